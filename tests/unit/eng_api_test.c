/*
 * eng_api_test: the decision engine's query and model API — eng_decide
 * (both gates, absent gates, errors), explain (every matching item in
 * order, truncation), the effective list and its shadow / never flags,
 * model errors, incremental compilation (shared profiles, what a change
 * recompiles) and the flow text form (parse, format, round trip, every
 * malformed shape).
 */
#include "eng_fix.h"

/* ---- queries -------------------------------------------------------------- */

static void
test_decide(void **state)
{
	struct eng_model *m = model();
	struct eng_flow f;
	struct eng_result r;
	struct eng_verdict v;

	(void)state;
	BASIC(m, "sg-a");
	BASIC(m, "sg-b");
	eni(m, "e1", "vpc-1", "sg-a", "10.0.0.1", NULL);
	eni(m, "e2", "vpc-1", "sg-b", "10.0.0.2", NULL);
	compile(m);
	assert_int_equal(eng_flow_parse("tcp/22 src=10.0.0.1 dst=10.0.0.2 "
	    "from=e1 to=e2", &f), 0);
	assert_int_equal(eng_decide(m, &f, &r), 0);
	assert_true(r.egress.present && r.egress.accept);
	assert_true(r.ingress.present && !r.ingress.accept);
	assert_int_equal(r.accept, 0);
	rule(m, "sg-b", "sgr-1", "in tcp 22/22 sg-a accept 1");
	/* A dirty model refuses queries. */
	assert_int_equal(eng_decide(m, &f, &r), -ERR_INTERNAL);
	compile(m);
	assert_int_equal(eng_decide(m, &f, &r), 0);
	assert_int_equal(r.accept, 1);
	assert_string_equal(r.ingress.item.rule->id, "sgr-1");
	assert_string_equal(r.ingress.item.group_id, "sg-b");
	assert_int_equal(r.ingress.item.priority, 1);
	/* From outside: only the ingress gate. */
	f.src_eni[0] = '\0';
	assert_int_equal(eng_decide(m, &f, &r), 0);
	assert_false(r.egress.present);
	assert_true(r.ingress.present);
	snprintf(f.dst_eni, sizeof(f.dst_eni), "eni-nope");
	assert_int_equal(eng_decide(m, &f, &r), -ERR_NOT_FOUND);
	assert_int_equal(eng_gate(m, eng_eni_find(m, "e1"), 7, &f, &v),
	    -ERR_INVALID_PARAMETER);
	f.family = 5;
	assert_int_equal(eng_gate(m, eng_eni_find(m, "e1"), RULE_INGRESS, &f,
	    &v), -ERR_INVALID_PARAMETER);
	eng_model_free(m);
}

static void
test_explain(void **state)
{
	struct eng_model *m = model();
	struct eng_item it[8];
	struct eng_flow f;
	size_t n;
	int inet;
	char buf[256];

	(void)state;
	BASIC(m, "sg-a");
	rule(m, "sg-a", "sgr-1", "in tcp 445/445 0.0.0.0/0 accept 1");
	rule(m, "sg-a", "sgr-2", "in all -1/-1 0.0.0.0/0 drop 5");
	rule(m, "sg-a", "sgr-3", "in tcp 1/65535 198.18.0.0/15 accept 5");
	eni(m, "e", "vpc-1", "sg-a", "10.0.0.1", NULL);
	eni(m, "p", "vpc-1", "sg-a", "10.0.0.2", NULL);
	compile(m);
	assert_int_equal(eng_flow_parse("tcp/445 src=198.18.0.9 dst=10.0.0.1 "
	    "to=e", &f), 0);
	assert_int_equal(eng_explain(m, eng_eni_find(m, "e"), RULE_INGRESS,
	    &f, it, 8, &n, &inet), 0);
	/* block, then rules in order (drop before accept at 5), default. */
	assert_int_equal(n, 5);
	assert_int_equal(inet, 1);
	assert_int_equal(it[0].kind, ENG_ITEM_BLOCK);
	assert_string_equal(it[1].rule->id, "sgr-1");
	assert_string_equal(it[2].rule->id, "sgr-2");
	assert_string_equal(it[3].rule->id, "sgr-3");
	assert_int_equal(it[4].kind, ENG_ITEM_DEFAULT);
	assert_int_equal(eng_item_format(&it[0], buf, sizeof(buf)), 0);
	assert_string_equal(buf, "operator block of port 445 (Drop)");
	assert_int_equal(eng_item_format(&it[2], buf, sizeof(buf)), 0);
	assert_string_equal(buf, "rule sgr-2 of sg-a (priority 5, Drop)");
	/* A short buffer: the count is still complete. */
	assert_int_equal(eng_explain(m, eng_eni_find(m, "e"), RULE_INGRESS,
	    &f, it, 2, &n, NULL), 0);
	assert_int_equal(n, 5);
	assert_int_equal(eng_flow_parse("udp/53 src=10.0.0.2 dst=10.0.0.1 "
	    "state=established to=e", &f), 0);
	assert_int_equal(eng_explain(m, eng_eni_find(m, "e"), RULE_INGRESS,
	    &f, it, 8, &n, &inet), 0);
	assert_int_equal(inet, 0);
	assert_int_equal(n, 4);	/* ct, inner, sgr-2, default */
	assert_int_equal(it[0].kind, ENG_ITEM_CT);
	assert_int_equal(it[1].kind, ENG_ITEM_INNER);
	assert_int_equal(eng_item_format(&it[1], buf, sizeof(buf)), 0);
	assert_string_equal(buf, "InnerAccessPolicy Accept of sg-a (priority 0)");
	eng_model_free(m);
}

static void
test_effective(void **state)
{
	static const struct {
		const char *id;		/* rule id, "inner" or "default" */
		int shadowed, never;
	} want[] = {
		{ "inner", 0, 0 }, { "r01", 0, 0 }, { "r06", 1, 1 },
		{ "r02", 1, 0 }, { "r03", 0, 0 }, { "r09", 1, 1 },
		{ "r07", 0, 0 }, { "r11", 1, 0 }, { "r10", 1, 0 },
		{ "r04", 0, 0 }, { "r05", 1, 0 }, { "r08", 0, 0 },
		{ "default", 0, 0 },
	};
	struct eng_model *m = model();
	struct eng_eff eff[32];
	size_t n;

	(void)state;
	BASIC(m, "sg-a");
	BASIC(m, "sg-b");
	rule(m, "sg-a", "r01", "in tcp 22/22 10.0.0.0/8 accept 1");
	rule(m, "sg-a", "r02", "in tcp 22/22 10.1.0.0/16 drop 2");
	rule(m, "sg-a", "r03", "in tcp 20/30 10.1.0.0/16 drop 2");
	rule(m, "sg-a", "r04", "in all -1/-1 0.0.0.0/0 drop 100");
	rule(m, "sg-a", "r05", "in tcp 80/80 1.2.3.4 accept 100");
	rule(m, "sg-a", "r06", "in tcp 443/443 pl-x accept 1");
	rule(m, "sg-a", "r07", "in tcp 443/443 sg-b accept 50");
	rule(m, "sg-a", "r08", "in tcp 443/443 ::/0 accept 100");
	rule(m, "sg-a", "r09", "in tcp 8000/7000 0.0.0.0/0 accept 3");
	rule(m, "sg-a", "r10", "in tcp 443/443 sg-b drop 60");
	rule(m, "sg-a", "r11", "in udp 53/53 sg-a accept 50");
	rule(m, "sg-a", "r12", "out tcp 443/443 0.0.0.0/0 accept 1");
	eni(m, "e", "vpc-1", "sg-a", "10.0.0.1", NULL);
	compile(m);
	assert_int_equal(eng_effective(m, eng_eni_find(m, "e"), RULE_INGRESS,
	    eff, 32, &n), 0);
	assert_int_equal(n, sizeof(want) / sizeof(*want));
	for (size_t i = 0; i < n; i++) {
		const char *id = eff[i].item.kind == ENG_ITEM_RULE ?
		    eff[i].item.rule->id : eff[i].item.kind == ENG_ITEM_INNER ?
		    "inner" : "default";

		if (strcmp(id, want[i].id) != 0 ||
		    eff[i].shadowed != want[i].shadowed ||
		    eff[i].never != want[i].never)
			fail_msg("line %zu: %s shadowed=%d never=%d, want %s "
			    "%d %d", i, id, eff[i].shadowed, eff[i].never,
			    want[i].id, want[i].shadowed, want[i].never);
	}
	assert_int_equal(eff[n - 1].item.policy, RULE_DROP);
	/* Egress: the one rule, then the accepting default. */
	assert_int_equal(eng_effective(m, eng_eni_find(m, "e"), RULE_EGRESS,
	    eff, 32, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(eff[0].item.kind, ENG_ITEM_INNER);
	assert_string_equal(eff[1].item.rule->id, "r12");
	assert_int_equal(eff[2].item.kind, ENG_ITEM_DEFAULT);
	assert_int_equal(eff[2].item.policy, RULE_ACCEPT);
	/* A short array: the count is complete. */
	assert_int_equal(eng_effective(m, eng_eni_find(m, "e"), RULE_INGRESS,
	    eff, 2, &n), 0);
	assert_int_equal(n, sizeof(want) / sizeof(*want));
	eng_model_free(m);
}

static void
test_model_errors(void **state)
{
	struct eng_model *m = model();
	struct eng_group_def g;
	struct eng_eni_def d;
	struct eng_stats st;
	struct rule r;
	struct cidr c, a;
	const char *many[ENG_GROUPS_MAX + 1];
	size_t n;

	(void)state;
	BASIC(m, "sg-a");
	rule_spec(&r, "sg-nope", "sgr-1", "in tcp 22/22 0.0.0.0/0 accept 1");
	assert_int_equal(eng_rule_put(m, &r), -ERR_SG_NOT_FOUND);
	rule_spec(&r, "sg-a", "sgr-1", "in tcp 22/22 0.0.0.0/0 accept 1");
	r.proto = 9;
	assert_int_equal(eng_rule_put(m, &r), -ERR_INVALID_PARAMETER);
	r.proto = RULE_TCP;
	r.id[0] = '\0';
	assert_int_equal(eng_rule_put(m, &r), -ERR_INVALID_PARAMETER);
	assert_int_equal(eng_rule_del(m, "sg-a", "sgr-x"), -ERR_NOT_FOUND);
	assert_int_equal(eng_rule_del(m, "sg-x", "sgr-x"), -ERR_SG_NOT_FOUND);
	memset(&g, 0, sizeof(g));
	snprintf(g.id, sizeof(g.id), "sg-t");
	g.type = 7;
	assert_int_equal(eng_group_put(m, &g), -ERR_INVALID_PARAMETER);
	assert_int_equal(eng_group_del(m, "sg-x"), -ERR_SG_NOT_FOUND);
	memset(&d, 0, sizeof(d));
	assert_int_equal(eng_eni_put(m, &d), -ERR_INVALID_PARAMETER);
	eni(m, "e", "vpc-1", "sg-a", "10.0.0.1", NULL);
	assert_int_equal(eng_group_del(m, "sg-a"), -ERR_INVALID_PARAMETER);
	d.id = "e2";
	for (size_t i = 0; i <= ENG_GROUPS_MAX; i++)
		many[i] = "sg-a";
	d.groups = many;
	d.ngroups = 2;
	assert_int_equal(eng_eni_put(m, &d), -ERR_INVALID_PARAMETER);
	d.ngroups = ENG_GROUPS_MAX + 1;
	assert_int_equal(eng_eni_put(m, &d), -ERR_INVALID_PARAMETER);
	many[0] = "sg-nope";
	d.ngroups = 1;
	assert_int_equal(eng_eni_put(m, &d), -ERR_SG_NOT_FOUND);
	many[0] = "sg-a";
	memset(&a, 0, sizeof(a));
	d.addrs = &a;
	d.naddrs = 1;
	assert_int_equal(eng_eni_put(m, &d), -ERR_INVALID_PARAMETER);
	assert_int_equal(eng_eni_del(m, "e2"), -ERR_NOT_FOUND);
	memset(&c, 0, sizeof(c));
	assert_int_equal(eng_vpc_prefix_add(m, "vpc-1", &c),
	    -ERR_INVALID_PARAMETER);
	/* Nothing of the above changed the model. */
	eng_model_stats(m, &st);
	assert_int_equal(st.groups, 1);
	assert_int_equal(st.rules, 0);
	assert_int_equal(st.enis, 1);
	/* Queries need a compiled model. */
	assert_int_equal(eng_effective(m, eng_eni_find(m, "e"), RULE_INGRESS,
	    NULL, 0, &n), -ERR_INTERNAL);
	compile(m);
	assert_int_equal(eng_effective(m, eng_eni_find(m, "e"), 3, NULL, 0,
	    &n), -ERR_INVALID_PARAMETER);
	assert_int_equal(eng_effective(m, NULL, RULE_INGRESS, NULL, 0, &n),
	    -ERR_INTERNAL);
	assert_int_equal(eng_eni_del(m, "e"), 0);
	assert_int_equal(eng_group_del(m, "sg-a"), 0);
	compile(m);
	eng_model_stats(m, &st);
	assert_int_equal(st.groups + st.enis + st.profiles, 0);
	eng_model_free(m);
	eng_model_free(NULL);
}

static void
test_incremental(void **state)
{
	struct eng_model *m = model();
	struct eng_stats st, st2;
	struct cidr c;

	(void)state;
	BASIC(m, "sg-a");
	BASIC(m, "sg-b");
	BASIC(m, "sg-c");
	eni(m, "ab1", "vpc-1", "sg-a,sg-b", "10.0.0.1", NULL);
	eni(m, "ab2", "vpc-1", "sg-b,sg-a", "10.0.0.2", NULL);
	eni(m, "ab3", "vpc-1", "sg-a,sg-b", "10.0.0.3", NULL);
	eni(m, "a1", "vpc-1", "sg-a", "10.0.0.4", NULL);
	eni(m, "a2", "vpc-1", "sg-a", "10.0.0.5", NULL);
	eni(m, "c1", "vpc-1", "sg-c", "10.0.0.6", NULL);
	eni(m, "ac", "", "sg-a", "10.1.0.1", NULL);	/* classic: own */
	compile(m);
	eng_model_stats(m, &st);
	assert_int_equal(st.profiles, 4);	/* group order is irrelevant */
	assert_int_equal(st.profile_compiles, 4);
	assert_true(st.profile_bytes > 0);
#define COMPILES_AFTER(delta) do { \
	compile(m); \
	eng_model_stats(m, &st2); \
	assert_int_equal(st2.profile_compiles - st.profile_compiles, delta); \
	st = st2; \
} while (0)
	rule(m, "sg-b", "r1", "in tcp 22/22 0.0.0.0/0 accept 1");
	COMPILES_AFTER(1);
	rule(m, "sg-a", "r2", "in tcp 80/80 0.0.0.0/0 accept 1");
	COMPILES_AFTER(3);
	grp(m, "sg-c", "acct1", ENG_GROUP_BASIC, 0);
	COMPILES_AFTER(1);
	BASIC(m, "sg-d");	/* rules anywhere may name a new group */
	COMPILES_AFTER(4);
	assert_int_equal(eng_eni_del(m, "c1"), 0);
	COMPILES_AFTER(0);
	eng_model_stats(m, &st2);
	assert_int_equal(st2.profiles, 3);
	eni(m, "a2", "vpc-1", "sg-a", "10.0.0.55,fd00::55", NULL);
	COMPILES_AFTER(0);
	assert_true(st.set_builds > 0);
	assert_int_equal(cidr_parse("10.0.0.0/8", &c), 0);
	assert_int_equal(eng_vpc_prefix_add(m, "vpc-1", &c), 0);
	COMPILES_AFTER(0);
	eng_model_set_tcp25_open(m, 1);
	COMPILES_AFTER(0);
	assert_int_equal(eng_rule_del(m, "sg-a", "r2"), 0);
	COMPILES_AFTER(3);
	assert_int_equal(eng_group_del(m, "sg-d"), 0);
	COMPILES_AFTER(3);
	IN(m, "tcp/22 src=1.1.1.1 dst=10.0.0.2 to=ab2", "accept rule r1");
	IN(m, "tcp/80 src=1.1.1.1 dst=10.0.0.4 to=a1", "drop default");
	IN(m, "tcp/80 src=10.0.0.55 dst=10.0.0.4 to=a1", "accept inner sg-a");
#undef COMPILES_AFTER
	eng_model_free(m);
}

static void
test_flow_text(void **state)
{
	static const char *const bad[] = { "", "tcp", "tcp src=1.1.1.1",
	    "tcp src=1.1.1.1 dst=fd00::1", "tcp/22 dport=23 src=1.1.1.1 "
	    "dst=2.2.2.2", "tcp tcp src=1.1.1.1 dst=2.2.2.2",
	    "icmp/8 src=1.1.1.1 dst=2.2.2.2", "tcp/65536 src=1.1.1.1 "
	    "dst=2.2.2.2", "tcp/022 src=1.1.1.1 dst=2.2.2.2",
	    "udp type=1 src=1.1.1.1 dst=2.2.2.2", "gre sport=1 src=1.1.1.1 "
	    "dst=2.2.2.2", "tcp src=1.1.1.1 dst=2.2.2.2 state=new state=new",
	    "tcp src=01.1.1.1 dst=2.2.2.2", "tcp src=1.1.1.1 dst=2.2.2.2 "
	    "foo=bar", "tcp src=1.1.1.1 dst=2.2.2.2 from=", "tcp "
	    "src=1.1.1.1 dst=2.2.2.2 from=eni/1", "TCP/22 src=1.1.1.1 "
	    "dst=2.2.2.2", "proto=256 src=1.1.1.1 dst=2.2.2.2", "tcp "
	    "src=1.1.1.1 dst=2.2.2.2 state=NEW", "tcp src=1.1.1.1/32 "
	    "dst=2.2.2.2", "tcp/ src=1.1.1.1 dst=2.2.2.2", "tcp src=1.1.1.1 "
	    "dst=2.2.2.2 sport=-1", "tcp =1 src=1.1.1.1 dst=2.2.2.2",
	    "tcp src=1.1.1.1 dst=2.2.2.2 "
	    "from=eni-0123456789012345678901234567890123456789012345678901234567890" };
	static const char *const good[] = {
	    "tcp src=10.0.0.1 dst=10.0.0.2 sport=0 dport=22 state=new",
	    "udp src=fd00::1 dst=fd00::2 sport=53 dport=1000 state=related "
	    "from=eni-1 to=eni-2",
	    "proto=132 src=1.1.1.1 dst=2.2.2.2 state=invalid",
	    "icmp src=1.1.1.1 dst=2.2.2.2 type=8 code=0 state=established "
	    "to=eni-x",
	    "icmpv6 src=::1 dst=ff02::1 type=135 code=0 state=new",
	    "gre src=0.0.0.0 dst=255.255.255.255 state=new from=e_1.a" };
	struct eng_flow f, g;
	struct eng_item it;
	char buf[300];

	(void)state;
	assert_int_equal(eng_flow_parse("tcp/22 src=10.0.0.1 dst=10.0.0.2", &f),
	    0);
	assert_int_equal(f.proto, ENG_IPPROTO_TCP);
	assert_int_equal(f.dport, 22);
	assert_int_equal(f.family, CIDR_V4);
	assert_int_equal(f.ct, ENG_CT_NEW);
	assert_int_equal(eng_flow_parse("  proto=tcp\tdport=80 src=::1 "
	    "dst=::2 sport=65535  ", &f), 0);
	assert_int_equal(f.family, CIDR_V6);
	assert_int_equal(f.sport, 65535);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		f.proto = 99;
		if (eng_flow_parse(bad[i], &f) != -ERR_INVALID_PARAMETER)
			fail_msg("accepted [%s]", bad[i]);
		assert_int_equal(f.proto, 0);	/* zeroed on error */
	}
	/* The canonical form reads back to the same flow. */
	for (size_t i = 0; i < sizeof(good) / sizeof(*good); i++) {
		assert_int_equal(eng_flow_parse(good[i], &f), 0);
		assert_int_equal(eng_flow_format(&f, buf, sizeof(buf)), 0);
		assert_string_equal(buf, good[i]);
		assert_int_equal(eng_flow_parse(buf, &g), 0);
		assert_memory_equal(&f, &g, sizeof(f));
	}
	assert_int_equal(eng_flow_format(&f, buf, 10), -ERR_INVALID_PARAMETER);
	memset(&it, 0, sizeof(it));
	it.kind = ENG_ITEM_DEFAULT;
	it.priority = 110;
	assert_int_equal(eng_item_format(&it, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "default (priority 110, Accept)");
	it.kind = ENG_ITEM_CT;
	it.ct = ENG_CT_INVALID;
	it.policy = RULE_DROP;
	assert_int_equal(eng_item_format(&it, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "conntrack invalid (Drop)");
	it.kind = ENG_ITEM_INNER;
	it.group_id = "sg-x";
	assert_int_equal(eng_item_format(&it, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "InnerAccessPolicy Drop of sg-x (priority 110)");
	assert_int_equal(eng_item_format(&it, buf, 8), -ERR_INVALID_PARAMETER);
	it.kind = 42;
	assert_int_equal(eng_item_format(&it, buf, sizeof(buf)),
	    -ERR_INVALID_PARAMETER);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_explain),
		cmocka_unit_test(test_effective),
		cmocka_unit_test(test_model_errors),
		cmocka_unit_test(test_incremental),
		cmocka_unit_test(test_flow_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
