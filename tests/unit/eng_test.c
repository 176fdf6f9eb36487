/*
 * eng_test: the decision engine's semantics, case by case — priorities,
 * drop-over-accept ties, system priority 110 and the defaults, union of
 * groups, InnerAccessPolicy (Accept above rules, Drop below them, the
 * three-instance case of the "network isolation within a basic security
 * group" doc), enterprise whitelists, group peers and membership changes,
 * cross-account peers, classic NIC types, quintuple rules, protocols,
 * conntrack, the operator blocks (TCP 25, high-risk ports), the seed's
 * scenarios (seed-spec §1.8) and FAQ cases. Rules are one-line specs
 * (eng_fix.h); the query API is tested in eng_api_test.c.
 */
#include "eng_fix.h"

/* ---- priorities, ties, defaults --------------------------------------- */

static void
test_defaults(void **state)
{
	struct eng_model *m = model();
	struct eng_flow f;
	struct eng_verdict v;

	(void)state;
	BASIC(m, "sg-a");
	BASIC(m, "sg-b");
	eni(m, "eni-1", "vpc-1", "sg-a", "10.0.0.1", NULL);
	eni(m, "eni-2", "vpc-1", "sg-b", "10.0.0.2", NULL);
	compile(m);
	/* A group without rules: outbound allowed, inbound denied. */
	OUT(m, "tcp/22 src=10.0.0.2 dst=10.0.0.1 from=eni-2 to=eni-1",
	    "accept default");
	IN(m, "tcp/22 src=10.0.0.2 dst=10.0.0.1 from=eni-2 to=eni-1",
	    "drop default");
	IN(m, "icmp src=198.18.0.9 dst=10.0.0.1 to=eni-1", "drop default");
	OUT(m, "udp/53 src=10.0.0.1 dst=8.8.8.8 from=eni-1", "accept default");
	OUT(m, "tcp/443 src=fd00::1 dst=2001:db8::9 from=eni-1",
	    "accept default");
	assert_int_equal(eng_flow_parse("tcp/22 src=1.2.3.4 dst=10.0.0.1",
	    &f), 0);
	assert_int_equal(eng_gate(m, eng_eni_find(m, "eni-1"), RULE_INGRESS,
	    &f, &v), 0);
	assert_int_equal(v.item.priority, 110);	/* FAQ: defaults at 110 */
	eng_model_free(m);
}

static void
test_priority_ties(void **state)
{
	struct eng_model *m = model();

	(void)state;
	BASIC(m, "sg-a");
	BASIC(m, "sg-b");
	rule(m, "sg-a", "sgr-1", "in tcp 22/22 0.0.0.0/0 accept 1");
	rule(m, "sg-a", "sgr-2", "in tcp 22/22 0.0.0.0/0 drop 2");
	eni(m, "eni-1", "vpc-1", "sg-a", "10.0.0.1", NULL);
	compile(m);
	/* The smaller number wins, whatever the policy. */
	IN(m, "tcp/22 src=1.2.3.4 dst=10.0.0.1 to=eni-1", "accept rule sgr-1");
	rule(m, "sg-a", "sgr-1", "in tcp 22/22 0.0.0.0/0 accept 3");
	compile(m);
	IN(m, "tcp/22 src=1.2.3.4 dst=10.0.0.1 to=eni-1", "drop rule sgr-2");
	/* Equal priority: drop beats accept (even an accept sorted first
	 * by id, and a narrower accept). */
	rule(m, "sg-a", "sgr-0", "in tcp 22/22 1.2.3.4 accept 2");
	compile(m);
	IN(m, "tcp/22 src=1.2.3.4 dst=10.0.0.1 to=eni-1", "drop rule sgr-2");
	/* Union of groups: the drop of another group ties and wins. */
	rule(m, "sg-b", "sgr-b1", "in tcp 1/65535 1.2.3.0/24 drop 1");
	rule(m, "sg-a", "sgr-a1", "in tcp 22/22 1.2.3.4 accept 1");
	eni(m, "eni-1", "vpc-1", "sg-a,sg-b", "10.0.0.1", NULL);
	compile(m);
	IN(m, "tcp/22 src=1.2.3.4 dst=10.0.0.1 to=eni-1", "drop rule sgr-b1");
	IN(m, "tcp/22 src=1.2.4.4 dst=10.0.0.1 to=eni-1", "drop rule sgr-2");
	eng_model_free(m);
}

static void
test_system_priority(void **state)
{
	struct eng_model *m = model();

	(void)state;
	BASIC(m, "sg-d");
	/* The default group's rules (seed §1.7) at system priority 110. */
	rule(m, "sg-d", "sgr-icmp", "in icmp -1/-1 0.0.0.0/0 accept 110");
	rule(m, "sg-d", "sgr-22", "in tcp 22/22 0.0.0.0/0 accept 110");
	rule(m, "sg-d", "sgr-3389", "in tcp 3389/3389 0.0.0.0/0 accept 110");
	rule(m, "sg-d", "sgr-80", "in tcp 80/80 0.0.0.0/0 accept 110");
	rule(m, "sg-d", "sgr-443", "in tcp 443/443 0.0.0.0/0 accept 110");
	eni(m, "eni-1", "vpc-1", "sg-d", "10.0.0.1", NULL);
	compile(m);
	IN(m, "icmp type=8 src=198.18.0.9 dst=10.0.0.1 to=eni-1",
	    "accept rule sgr-icmp");
	IN(m, "tcp/3389 src=198.18.0.9 dst=10.0.0.1 to=eni-1",
	    "accept rule sgr-3389");
	IN(m, "tcp/8080 src=198.18.0.9 dst=10.0.0.1 to=eni-1", "drop default");
	/* Any user rule (1..100) outranks the system rules. */
	rule(m, "sg-d", "sgr-u", "in tcp 22/22 198.18.0.0/15 drop 100");
	compile(m);
	IN(m, "tcp/22 src=198.18.0.9 dst=10.0.0.1 to=eni-1", "drop rule sgr-u");
	IN(m, "tcp/22 src=1.1.1.1 dst=10.0.0.1 to=eni-1", "accept rule sgr-22");
	rule(m, "sg-d", "sgr-s", "in tcp 80/80 10.0.0.0/8 drop 110");
	rule(m, "sg-d", "sgr-u2", "in tcp 80/80 10.1.0.0/16 accept 100");
	compile(m);
	IN(m, "tcp/80 src=10.1.0.9 dst=10.0.0.1 to=eni-1", "accept rule sgr-u2");
	/* At 110 itself drop still beats accept. */
	IN(m, "tcp/80 src=10.2.0.9 dst=10.0.0.1 to=eni-1", "drop rule sgr-s");
	eng_model_free(m);
}

/* ---- intra-group policy, enterprise groups ---------------------------- */

static void
test_inner_accept(void **state)
{
	struct eng_model *m = model();

	(void)state;
	BASIC(m, "sg-a");
	BASIC(m, "sg-b");
	rule(m, "sg-a", "sgr-in", "in all -1/-1 0.0.0.0/0 drop 1");
	rule(m, "sg-a", "sgr-out", "out all -1/-1 0.0.0.0/0 drop 1");
	eni(m, "eni-1", "vpc-1", "sg-a", "10.0.0.1", NULL);
	eni(m, "eni-2", "vpc-1", "sg-a", "10.0.0.2,fd00::2", NULL);
	eni(m, "eni-3", "vpc-1", "sg-b", "10.0.0.3", NULL);
	compile(m);
	/* COMPAT: Accept takes precedence over user rules, both gates. */
	OUT(m, "tcp/22 src=10.0.0.2 dst=10.0.0.1 from=eni-2 to=eni-1",
	    "accept inner sg-a");
	IN(m, "tcp/22 src=10.0.0.2 dst=10.0.0.1 from=eni-2 to=eni-1",
	    "accept inner sg-a");
	IN(m, "udp/53 src=fd00::2 dst=fd00::1 to=eni-1", "accept inner sg-a");
	IN(m, "tcp/22 src=10.0.0.3 dst=10.0.0.1 from=eni-3 to=eni-1",
	    "drop rule sgr-in");
	OUT(m, "tcp/22 src=10.0.0.1 dst=10.0.0.3 from=eni-1 to=eni-3",
	    "drop rule sgr-out");
	eng_model_free(m);
}

static void
test_inner_drop(void **state)
{
	struct eng_model *m = model();

	(void)state;
	/* "Network isolation within a basic security group", case analysis:
	 * Group1 isolated {ECS1, ECS2}, Group2 interconnected {ECS1, ECS2},
	 * Group3 interconnected {ECS2, ECS3}. */
	grp(m, "sg-1", "acct1", ENG_GROUP_BASIC, 0);
	grp(m, "sg-2", "acct1", ENG_GROUP_BASIC, 1);
	grp(m, "sg-3", "acct1", ENG_GROUP_BASIC, 1);
	eni(m, "ecs1", "vpc-1", "sg-1,sg-2", "10.0.0.1", NULL);
	eni(m, "ecs2", "vpc-1", "sg-1,sg-2,sg-3", "10.0.0.2", NULL);
	eni(m, "ecs3", "vpc-1", "sg-3", "10.0.0.3", NULL);
	compile(m);
	/* Isolation has the lowest priority: Group2 connects ECS1-ECS2. */
	IN(m, "tcp/22 src=10.0.0.1 dst=10.0.0.2 to=ecs2", "accept inner sg-2");
	IN(m, "tcp/22 src=10.0.0.2 dst=10.0.0.1 to=ecs1", "accept inner sg-2");
	IN(m, "tcp/22 src=10.0.0.3 dst=10.0.0.2 to=ecs2", "accept inner sg-3");
	IN(m, "tcp/22 src=10.0.0.1 dst=10.0.0.3 to=ecs3", "drop default");
	/* A group that only isolates: drop at ingress, not at egress; a
	 * rule (any priority) opens it. */
	grp(m, "sg-iso", "acct1", ENG_GROUP_BASIC, 0);
	eni(m, "a", "vpc-1", "sg-iso", "10.0.1.1", NULL);
	eni(m, "b", "vpc-1", "sg-iso", "10.0.1.2", NULL);
	compile(m);
	IN(m, "tcp/22 src=10.0.1.1 dst=10.0.1.2 to=b", "drop inner sg-iso");
	OUT(m, "tcp/22 src=10.0.1.1 dst=10.0.1.2 from=a", "accept default");
	rule(m, "sg-iso", "sgr-ssh", "in tcp 22/22 sg-iso accept 100");
	compile(m);
	IN(m, "tcp/22 src=10.0.1.1 dst=10.0.1.2 to=b", "accept rule sgr-ssh");
	IN(m, "tcp/80 src=10.0.1.1 dst=10.0.1.2 to=b", "drop inner sg-iso");
	eng_model_free(m);
}

static void
test_enterprise(void **state)
{
	struct eng_model *m = model();

	(void)state;
	grp(m, "sg-e", "acct1", ENG_GROUP_ENTERPRISE, 1);
	eni(m, "eni-1", "vpc-1", "sg-e", "10.0.0.1", NULL);
	eni(m, "eni-2", "vpc-1", "sg-e", "10.0.0.2", NULL);
	compile(m);
	/* Whitelist: no intra-group access, outbound denied too. */
	IN(m, "tcp/22 src=10.0.0.2 dst=10.0.0.1 to=eni-1", "drop default");
	OUT(m, "tcp/443 src=10.0.0.1 dst=8.8.8.8 from=eni-1", "drop default");
	rule(m, "sg-e", "sgr-1", "out tcp 443/443 0.0.0.0/0 accept 1");
	rule(m, "sg-e", "sgr-2", "in tcp 22/22 10.0.0.0/24 accept 1");
	compile(m);
	OUT(m, "tcp/443 src=10.0.0.1 dst=8.8.8.8 from=eni-1", "accept rule sgr-1");
	OUT(m, "tcp/80 src=10.0.0.1 dst=8.8.8.8 from=eni-1", "drop default");
	IN(m, "tcp/22 src=10.0.0.2 dst=10.0.0.1 to=eni-1", "accept rule sgr-2");
	/* Replies of an allowed connection pass (SPI). */
	IN(m, "tcp sport=443 dport=40000 src=8.8.8.8 dst=10.0.0.1 "
	    "state=established to=eni-1", "accept ct established");
	eng_model_free(m);
}

/* ---- group peers -------------------------------------------------------- */

static void
test_group_peer_membership(void **state)
{
	struct eng_model *m = model();
	struct eng_stats before, after;

	(void)state;
	BASIC(m, "sg-web");
	BASIC(m, "sg-db");
	BASIC(m, "sg-other");
	rule(m, "sg-db", "sgr-mysql", "in tcp 3306/3306 sg-web accept 1");
	eni(m, "web", "vpc-1", "sg-web", "10.0.0.1,fd00::1", NULL);
	eni(m, "db", "vpc-1", "sg-db", "10.0.0.2", NULL);
	eni(m, "x", "vpc-1", "sg-other", "10.0.0.3", NULL);
	compile(m);
	IN(m, "tcp/3306 src=10.0.0.1 dst=10.0.0.2 to=db", "accept rule sgr-mysql");
	IN(m, "tcp/3306 src=fd00::1 dst=fd00::2 to=db", "accept rule sgr-mysql");
	IN(m, "tcp/3306 src=10.0.0.3 dst=10.0.0.2 to=db", "drop default");
	/* x joins sg-web: its address enters the shared set; no profile is
	 * compiled (x's new group set already has one: web's). */
	eng_model_stats(m, &before);
	eni(m, "x", "vpc-1", "sg-web", "10.0.0.3", NULL);
	compile(m);
	eng_model_stats(m, &after);
	assert_true(after.profile_compiles == before.profile_compiles);
	assert_true(after.set_builds > before.set_builds);
	assert_int_equal(after.profiles, 2);	/* sg-other's is gone */
	IN(m, "tcp/3306 src=10.0.0.3 dst=10.0.0.2 to=db", "accept rule sgr-mysql");
	/* web leaves: its old address no longer matches; a new secondary
	 * address of x does. */
	eni(m, "web", "vpc-1", "sg-other", "10.0.0.1", NULL);
	eni(m, "x", "vpc-1", "sg-web", "10.0.0.3,10.0.0.33", NULL);
	compile(m);
	IN(m, "tcp/3306 src=10.0.0.1 dst=10.0.0.2 to=db", "drop default");
	IN(m, "tcp/3306 src=10.0.0.33 dst=10.0.0.2 to=db",
	    "accept rule sgr-mysql");
	/* The last member leaves: the set is empty, nothing matches. */
	assert_int_equal(eng_eni_del(m, "x"), 0);
	compile(m);
	IN(m, "tcp/3306 src=10.0.0.3 dst=10.0.0.2 to=db", "drop default");
	eng_model_free(m);
}

static void
test_cross_account(void **state)
{
	struct eng_model *m = model();

	(void)state;
	grp(m, "sg-mine", "acct1", ENG_GROUP_BASIC, 1);
	grp(m, "sg-theirs", "acct2", ENG_GROUP_BASIC, 1);
	rule(m, "sg-mine", "sgr-ok", "in tcp 22/22 sg-theirs accept 1 owner=acct2");
	rule(m, "sg-mine", "sgr-wrong", "in tcp 23/23 sg-theirs accept 1 "
	    "owner=acct3");
	rule(m, "sg-mine", "sgr-noowner", "in tcp 24/24 sg-theirs accept 1");
	rule(m, "sg-mine", "sgr-gone", "in tcp 25/25 sg-gone accept 1");
	rule(m, "sg-mine", "sgr-pl", "in tcp 26/26 pl-abc accept 1");
	eni(m, "mine", "", "sg-mine", "10.1.0.1", NULL);
	eni(m, "theirs", "", "sg-theirs", "10.1.0.2", NULL);
	compile(m);
	IN(m, "tcp/22 src=10.1.0.2 dst=10.1.0.1 to=mine", "accept rule sgr-ok");
	/* A reference naming the wrong account, or none across accounts,
	 * is not authorised; a missing group and a prefix list match
	 * nothing. */
	IN(m, "tcp/23 src=10.1.0.2 dst=10.1.0.1 to=mine", "drop default");
	IN(m, "tcp/24 src=10.1.0.2 dst=10.1.0.1 to=mine", "drop default");
	IN(m, "tcp/25 src=10.1.0.2 dst=10.1.0.1 to=mine", "drop default");
	IN(m, "tcp/26 src=10.1.0.2 dst=10.1.0.1 to=mine", "drop default");
	/* The group appears later: rules that named it start to match. */
	BASIC(m, "sg-gone");
	eni(m, "late", "", "sg-gone", "10.1.0.3", NULL);
	compile(m);
	IN(m, "tcp/25 src=10.1.0.3 dst=10.1.0.1 to=mine", "accept rule sgr-gone");
	eng_model_free(m);
}

/* ---- matching details --------------------------------------------------- */

static void
test_ports_prefixes(void **state)
{
	struct eng_model *m = model();

	(void)state;
	BASIC(m, "sg-a");
	rule(m, "sg-a", "sgr-all", "in tcp 1/65535 10.9.0.0/16 accept 1");
	rule(m, "sg-a", "sgr-rng", "in udp 1000/2000 0.0.0.0/0 accept 1");
	rule(m, "sg-a", "sgr-sp", "in tcp 80/80 0.0.0.0/0 accept 2 "
	    "sport=1024/1024");
	rule(m, "sg-a", "sgr-32", "in tcp 8080/8080 10.0.0.7 accept 1");
	rule(m, "sg-a", "sgr-hb", "in tcp 8081/8081 10.0.0.7/8 accept 1");
	rule(m, "sg-a", "sgr-v6", "in all -1/-1 ::/0 accept 5");
	rule(m, "sg-a", "sgr-128", "in tcp 22/22 2001:db8::7/128 drop 1");
	eni(m, "e", "vpc-1", "sg-a", "10.0.0.1,fd00::1", NULL);
	compile(m);
	IN(m, "tcp/1 src=10.9.0.1 dst=10.0.0.1 to=e", "accept rule sgr-all");
	IN(m, "tcp/65535 src=10.9.255.255 dst=10.0.0.1 to=e",
	    "accept rule sgr-all");
	IN(m, "tcp/0 src=10.9.0.1 dst=10.0.0.1 to=e", "drop default");
	IN(m, "tcp/22 src=10.10.0.0 dst=10.0.0.1 to=e", "drop default");
	IN(m, "tcp/22 src=10.8.255.255 dst=10.0.0.1 to=e", "drop default");
	IN(m, "udp/999 src=1.1.1.1 dst=10.0.0.1 to=e", "drop default");
	IN(m, "udp/1000 src=1.1.1.1 dst=10.0.0.1 to=e", "accept rule sgr-rng");
	IN(m, "udp/2000 src=1.1.1.1 dst=10.0.0.1 to=e", "accept rule sgr-rng");
	IN(m, "udp/2001 src=1.1.1.1 dst=10.0.0.1 to=e", "drop default");
	IN(m, "tcp/1500 src=1.1.1.1 dst=10.0.0.1 to=e", "drop default");
	IN(m, "tcp/80 sport=1024 src=1.1.1.1 dst=10.0.0.1 to=e",
	    "accept rule sgr-sp");
	IN(m, "tcp/80 sport=1025 src=1.1.1.1 dst=10.0.0.1 to=e", "drop default");
	IN(m, "tcp/8080 src=10.0.0.7 dst=10.0.0.1 to=e", "accept rule sgr-32");
	IN(m, "tcp/8080 src=10.0.0.8 dst=10.0.0.1 to=e", "drop default");
	/* Host bits as stored ("10.0.0.7/8") mean the /8. */
	IN(m, "tcp/8081 src=10.200.0.1 dst=10.0.0.1 to=e", "accept rule sgr-hb");
	/* IPv4 rules never match IPv6 packets and the reverse. */
	IN(m, "tcp/22 src=2001:db8::7 dst=fd00::1 to=e", "drop rule sgr-128");
	IN(m, "tcp/22 src=2001:db8::8 dst=fd00::1 to=e", "accept rule sgr-v6");
	IN(m, "tcp/1 src=::ffff:10.9.0.1 dst=fd00::1 to=e",
	    "accept rule sgr-v6");
	eng_model_free(m);
}

static void
test_protocols(void **state)
{
	struct eng_model *m = model();

	(void)state;
	BASIC(m, "sg-a");
	rule(m, "sg-a", "sgr-icmp", "in icmp -1/-1 0.0.0.0/0 accept 1");
	rule(m, "sg-a", "sgr-icmp6", "in icmpv6 -1/-1 ::/0 accept 1");
	rule(m, "sg-a", "sgr-gre", "in gre -1/-1 192.0.2.0/24 accept 1");
	rule(m, "sg-a", "sgr-all", "in all -1/-1 198.51.100.0/24 accept 1");
	rule(m, "sg-a", "sgr-tcp", "in tcp 1/65535 203.0.113.0/24 accept 1");
	eni(m, "e", "vpc-1", "sg-a", "10.0.0.1,fd00::1", NULL);
	compile(m);
	/* ICMP rules take every type and code (PortRange is -1/-1). */
	IN(m, "icmp type=8 code=0 src=1.1.1.1 dst=10.0.0.1 to=e",
	    "accept rule sgr-icmp");
	IN(m, "icmp type=3 code=4 src=1.1.1.1 dst=10.0.0.1 to=e",
	    "accept rule sgr-icmp");
	IN(m, "icmpv6 type=128 src=2001:db8::1 dst=fd00::1 to=e",
	    "accept rule sgr-icmp6");
	IN(m, "gre src=192.0.2.9 dst=10.0.0.1 to=e", "accept rule sgr-gre");
	IN(m, "gre src=192.0.3.9 dst=10.0.0.1 to=e", "drop default");
	IN(m, "proto=132 src=198.51.100.1 dst=10.0.0.1 to=e",
	    "accept rule sgr-all");
	IN(m, "proto=132 src=203.0.113.1 dst=10.0.0.1 to=e", "drop default");
	IN(m, "udp/53 src=203.0.113.1 dst=10.0.0.1 to=e", "drop default");
	eng_model_free(m);
}

static void
test_quintuple_local(void **state)
{
	struct eng_model *m = model();

	(void)state;
	BASIC(m, "sg-a");
	rule(m, "sg-a", "sgr-l", "in tcp 22/22 0.0.0.0/0 accept 1 "
	    "local=10.0.0.1/32");
	rule(m, "sg-a", "sgr-o", "out all -1/-1 0.0.0.0/0 drop 1 "
	    "local=10.0.0.2");
	eni(m, "e", "vpc-1", "sg-a", "10.0.0.1,10.0.0.2", NULL);
	compile(m);
	IN(m, "tcp/22 src=1.1.1.1 dst=10.0.0.1 to=e", "accept rule sgr-l");
	IN(m, "tcp/22 src=1.1.1.1 dst=10.0.0.2 to=e", "drop default");
	OUT(m, "tcp/80 src=10.0.0.2 dst=1.1.1.1 from=e", "drop rule sgr-o");
	OUT(m, "tcp/80 src=10.0.0.1 dst=1.1.1.1 from=e", "accept default");
	eng_model_free(m);
}

static void
test_conntrack(void **state)
{
	struct eng_model *m = model();

	(void)state;
	BASIC(m, "sg-a");
	rule(m, "sg-a", "sgr-in", "in all -1/-1 0.0.0.0/0 drop 1");
	rule(m, "sg-a", "sgr-out", "out all -1/-1 0.0.0.0/0 accept 1");
	eni(m, "e", "vpc-1", "sg-a", "10.0.0.1", NULL);
	compile(m);
	/* Replies and related packets pass whatever the rules say;
	 * invalid packets are dropped even where everything is open. */
	IN(m, "tcp sport=80 dport=40000 src=1.1.1.1 dst=10.0.0.1 "
	    "state=established to=e", "accept ct established");
	IN(m, "icmp type=3 code=4 src=1.1.1.1 dst=10.0.0.1 state=related to=e",
	    "accept ct related");
	OUT(m, "tcp/80 src=10.0.0.1 dst=1.1.1.1 state=invalid from=e",
	    "drop ct invalid");
	/* Established flows are not re-checked against operator blocks. */
	OUT(m, "tcp/445 src=10.0.0.1 dst=1.1.1.1 state=established from=e",
	    "accept ct established");
	eng_model_free(m);
}

/* ---- operator blocks and NIC types ------------------------------------ */

static void
test_tcp25(void **state)
{
	struct eng_model *m = model();
	struct cidr c;

	(void)state;
	BASIC(m, "sg-a");
	rule(m, "sg-a", "sgr-out", "out all -1/-1 0.0.0.0/0 accept 1");
	rule(m, "sg-a", "sgr-in", "in all -1/-1 0.0.0.0/0 accept 1");
	eni(m, "e", "vpc-1", "sg-a", "10.0.0.1", NULL);
	compile(m);
	/* FAQ: TCP 25 outbound to the internet is blocked, no rule opens
	 * it; the intranet, inbound 25, UDP 25 and 465 are not affected. */
	OUT(m, "tcp/25 src=10.0.0.1 dst=198.18.0.9 from=e", "drop block 25");
	OUT(m, "tcp/25 src=10.0.0.1 dst=10.0.0.9 from=e", "accept rule sgr-out");
	OUT(m, "tcp/25 src=10.0.0.1 dst=100.100.2.3 from=e",
	    "accept rule sgr-out");
	OUT(m, "tcp/465 src=10.0.0.1 dst=198.18.0.9 from=e",
	    "accept rule sgr-out");
	OUT(m, "udp/25 src=10.0.0.1 dst=198.18.0.9 from=e",
	    "accept rule sgr-out");
	IN(m, "tcp/25 src=198.18.0.9 dst=10.0.0.1 to=e", "accept rule sgr-in");
	/* The VPC's own prefixes are intranet. */
	assert_int_equal(cidr_parse("198.18.0.0/24", &c), 0);
	assert_int_equal(eng_vpc_prefix_add(m, "vpc-1", &c), 0);
	compile(m);
	OUT(m, "tcp/25 src=10.0.0.1 dst=198.18.0.9 from=e",
	    "accept rule sgr-out");
	OUT(m, "tcp/25 src=10.0.0.1 dst=198.18.1.9 from=e", "drop block 25");
	/* The operator setting lifts the block. */
	eng_model_set_tcp25_open(m, 1);
	compile(m);
	OUT(m, "tcp/25 src=10.0.0.1 dst=198.18.1.9 from=e",
	    "accept rule sgr-out");
	eng_model_free(m);
}

static void
test_risky_ports(void **state)
{
	static const char *const ports[] = { "135", "139", "444", "445",
	    "5800", "5900" };
	struct eng_model *m = model();
	char f[160], want[32];

	(void)state;
	BASIC(m, "sg-a");
	rule(m, "sg-a", "sgr-out", "out all -1/-1 0.0.0.0/0 accept 1");
	rule(m, "sg-a", "sgr-in", "in all -1/-1 0.0.0.0/0 accept 1");
	rule(m, "sg-a", "sgr-in6", "in all -1/-1 ::/0 accept 1");
	eni(m, "e", "vpc-1", "sg-a", "10.0.0.1,fd00::1", NULL);
	compile(m);
	for (size_t i = 0; i < sizeof(ports) / sizeof(*ports); i++) {
		snprintf(want, sizeof(want), "drop block %s", ports[i]);
		snprintf(f, sizeof(f), "tcp/%s src=198.18.0.9 dst=10.0.0.1 "
		    "to=e", ports[i]);
		IN(m, f, want);
		snprintf(f, sizeof(f), "udp/%s src=10.0.0.1 dst=8.8.8.8 "
		    "from=e", ports[i]);
		OUT(m, f, want);
		snprintf(f, sizeof(f), "tcp/%s src=2001:db8::9 dst=fd00::1 "
		    "to=e", ports[i]);
		IN(m, f, want);
		/* Intranet traffic (SMB to NAS over the VPC) is not blocked. */
		snprintf(f, sizeof(f), "tcp/%s src=10.0.0.9 dst=10.0.0.1 to=e",
		    ports[i]);
		IN(m, f, "accept rule sgr-in");
		snprintf(f, sizeof(f), "tcp/%s src=fd00::9 dst=fd00::1 to=e",
		    ports[i]);
		IN(m, f, "accept rule sgr-in6");
	}
	IN(m, "tcp/446 src=198.18.0.9 dst=10.0.0.1 to=e", "accept rule sgr-in");
	IN(m, "tcp/137 src=198.18.0.9 dst=10.0.0.1 to=e", "accept rule sgr-in");
	eng_model_free(m);
}

static void
test_classic_nic(void **state)
{
	struct eng_model *m = model();

	(void)state;
	BASIC(m, "sg-c");
	rule(m, "sg-c", "sgr-ssh", "in tcp 22/22 0.0.0.0/0 accept 1 nic=internet");
	rule(m, "sg-c", "sgr-web", "in tcp 80/80 0.0.0.0/0 accept 1");
	rule(m, "sg-c", "sgr-smb", "in tcp 445/445 0.0.0.0/0 accept 1");
	rule(m, "sg-c", "sgr-smb2", "in tcp 445/445 0.0.0.0/0 accept 1 "
	    "nic=internet");
	eni(m, "c1", "", "sg-c", "10.1.0.1", "198.18.1.1");
	eni(m, "c2", "", "sg-c", "10.1.0.2", "198.18.1.2");
	compile(m);
	/* The internet NIC (public address) meets the internet rules only,
	 * the intranet NIC the intranet rules. */
	IN(m, "tcp/22 src=198.18.0.9 dst=198.18.1.1 to=c1", "accept rule sgr-ssh");
	IN(m, "tcp/80 src=198.18.0.9 dst=198.18.1.1 to=c1", "drop default");
	IN(m, "tcp/80 src=198.18.0.9 dst=10.1.0.1 to=c1", "accept rule sgr-web");
	IN(m, "tcp/22 src=10.1.0.9 dst=10.1.0.1 to=c1", "drop default");
	/* Blocks follow the NIC: intranet NIC traffic is never blocked. */
	IN(m, "tcp/445 src=198.18.0.9 dst=10.1.0.1 to=c1", "accept rule sgr-smb");
	IN(m, "tcp/445 src=10.1.0.9 dst=198.18.1.1 to=c1", "drop block 445");
	OUT(m, "tcp/25 src=198.18.1.1 dst=10.1.0.9 from=c1", "drop block 25");
	OUT(m, "tcp/25 src=10.1.0.1 dst=198.18.0.9 from=c1", "accept default");
	/* Intra-group access is intranet only. */
	IN(m, "tcp/3306 src=10.1.0.2 dst=10.1.0.1 to=c1", "accept inner sg-c");
	IN(m, "tcp/3306 src=10.1.0.2 dst=198.18.1.1 to=c1", "drop default");
	IN(m, "tcp/3306 src=198.18.1.2 dst=10.1.0.1 to=c1", "drop default");
	/* A VPC ENI ignores NicType: one rule set for everything. */
	eni(m, "v", "vpc-1", "sg-c", "10.0.0.1", NULL);
	compile(m);
	IN(m, "tcp/22 src=198.18.0.9 dst=10.0.0.1 to=v", "accept rule sgr-ssh");
	eng_model_free(m);
}

/* ---- the seed's scenarios (seed-spec §1.8) ---------------------------- */

static void
test_seed_scenarios(void **state)
{
	struct eng_model *m = model();

	(void)state;
	/* 1. Different groups, same account (VPC, group peer, priority 1)
	 * and different accounts (classic, group with the account id). */
	BASIC(m, "sg-app");
	BASIC(m, "sg-db");
	rule(m, "sg-db", "sgr-s1", "in all -1/-1 sg-app accept 1");
	eni(m, "app", "vpc-1", "sg-app", "172.16.0.10", NULL);
	eni(m, "db", "vpc-1", "sg-db", "172.16.0.20", NULL);
	grp(m, "sg-ca", "1111", ENG_GROUP_BASIC, 1);
	grp(m, "sg-cb", "2222", ENG_GROUP_BASIC, 1);
	rule(m, "sg-cb", "sgr-s1b", "in all -1/-1 sg-ca accept 1 owner=1111");
	eni(m, "ca", "", "sg-ca", "10.1.0.10", "198.18.9.10");
	eni(m, "cb", "", "sg-cb", "10.1.0.20", "198.18.9.20");
	/* 2. SSH only from one address. */
	BASIC(m, "sg-ssh");
	rule(m, "sg-ssh", "sgr-s2", "in tcp 22/22 198.51.100.5 accept 1");
	eni(m, "bastion", "vpc-1", "sg-ssh", "172.16.0.30", NULL);
	/* 3. Reach only given addresses: drop all at 2, accept one at 1. */
	BASIC(m, "sg-jail");
	rule(m, "sg-jail", "sgr-s3d", "out all -1/-1 0.0.0.0/0 drop 2");
	rule(m, "sg-jail", "sgr-s3a", "out all -1/-1 198.51.100.7 accept 1");
	eni(m, "jail", "vpc-1", "sg-jail", "172.16.0.40", NULL);
	/* 4-5. Remote login and web from the internet. */
	BASIC(m, "sg-pub");
	rule(m, "sg-pub", "sgr-rdp", "in tcp 3389/3389 0.0.0.0/0 accept 1");
	rule(m, "sg-pub", "sgr-22", "in tcp 22/22 172.16.0.10 accept 1");
	rule(m, "sg-pub", "sgr-80", "in tcp 80/80 0.0.0.0/0 accept 1");
	rule(m, "sg-pub", "sgr-443", "in tcp 443/443 0.0.0.0/0 accept 1");
	rule(m, "sg-pub", "sgr-8080", "in tcp 8080/8080 0.0.0.0/0 accept 1");
	eni(m, "www", "vpc-1", "sg-pub", "172.16.0.50", NULL);
	compile(m);
	IN(m, "tcp/3306 src=172.16.0.10 dst=172.16.0.20 to=db",
	    "accept rule sgr-s1");
	IN(m, "tcp/3306 src=172.16.0.30 dst=172.16.0.20 to=db", "drop default");
	IN(m, "tcp/22 src=10.1.0.10 dst=10.1.0.20 to=cb", "accept rule sgr-s1b");
	IN(m, "tcp/22 src=198.18.9.10 dst=198.18.9.20 to=cb", "drop default");
	IN(m, "tcp/22 src=198.51.100.5 dst=172.16.0.30 to=bastion",
	    "accept rule sgr-s2");
	IN(m, "tcp/22 src=198.51.100.6 dst=172.16.0.30 to=bastion",
	    "drop default");
	OUT(m, "tcp/443 src=172.16.0.40 dst=198.51.100.7 from=jail",
	    "accept rule sgr-s3a");
	OUT(m, "tcp/443 src=172.16.0.40 dst=8.8.8.8 from=jail",
	    "drop rule sgr-s3d");
	IN(m, "tcp sport=443 dport=40000 src=198.51.100.7 dst=172.16.0.40 "
	    "state=established to=jail", "accept ct established");
	IN(m, "tcp/3389 src=198.18.0.9 dst=172.16.0.50 to=www",
	    "accept rule sgr-rdp");
	IN(m, "tcp/22 src=172.16.0.10 dst=172.16.0.50 to=www",
	    "accept rule sgr-22");
	IN(m, "tcp/22 src=198.18.0.9 dst=172.16.0.50 to=www", "drop default");
	IN(m, "tcp/80 src=198.18.0.9 dst=172.16.0.50 to=www", "accept rule sgr-80");
	IN(m, "tcp/443 src=198.18.0.9 dst=172.16.0.50 to=www",
	    "accept rule sgr-443");
	IN(m, "tcp/8080 src=198.18.0.9 dst=172.16.0.50 to=www",
	    "accept rule sgr-8080");
	eng_model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_priority_ties),
		cmocka_unit_test(test_system_priority),
		cmocka_unit_test(test_inner_accept),
		cmocka_unit_test(test_inner_drop),
		cmocka_unit_test(test_enterprise),
		cmocka_unit_test(test_group_peer_membership),
		cmocka_unit_test(test_cross_account),
		cmocka_unit_test(test_ports_prefixes),
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_quintuple_local),
		cmocka_unit_test(test_conntrack),
		cmocka_unit_test(test_tcp25),
		cmocka_unit_test(test_risky_ports),
		cmocka_unit_test(test_classic_nic),
		cmocka_unit_test(test_seed_scenarios),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
