/*
 * fw_sim_test: the compiled chains decide like the engine. A small
 * interpreter runs the rule text fw_compile produced — the dispatch maps
 * (sk_eg by the port's mark, sk_in4/6 by bridge . address) and the
 * profile chains with their sets (group members, VPC intranet sets, run
 * sets with element comments, the operator block sets) — on random
 * desired states and random NEW packets, and each gate's verdict is
 * compared with eng_gate on the model fw_input_eng loaded. The deciding
 * item must agree too where the layout makes it exact (default, operator
 * block, intra-group item); for rules, the named rule has the engine's
 * policy. The kernel side of the layout (conntrack, br_netfilter, marks)
 * is the agent's differential test; this one pins the compiler's logic.
 *
 *   FW_SIM_WORLDS=N (default 300), FW_SIM_SEED=S.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "fw/fw.h"
#include "lib/err.h"

/* ---- interpreter ------------------------------------------------------ */

struct pkt {
	int family;
	unsigned proto;
	unsigned sport, dport;
	struct cidr src, dst;		/* host prefixes */
};

struct sim {
	const struct fw_ruleset *rs;
	const struct pkt *p;
	const char *comment;		/* of the deciding line or element */
	char elem_comment[80];
	char line_comment[128];
	char verdict[16];
};

static const struct fw_obj *
obj(const struct fw_ruleset *rs, int kind, const char *name)
{
	const struct fw_obj *o = fw_obj_find(rs, FW_T_SG, kind, name);

	if (o == NULL)
		fail_msg("no object %s", name);
	return o;
}

static unsigned
proto_num(const char *s)
{
	if (strcmp(s, "tcp") == 0)
		return 6;
	if (strcmp(s, "udp") == 0)
		return 17;
	if (strcmp(s, "icmp") == 0)
		return 1;
	if (strcmp(s, "gre") == 0)
		return 47;
	if (strcmp(s, "ipv6-icmp") == 0)
		return 58;
	return (unsigned)atoi(s);
}

/* "a" or "a-b" (numbers or protocol names) */
static int
in_range(const char *s, unsigned v)
{
	char buf[32];
	char *dash;

	snprintf(buf, sizeof(buf), "%s", s);
	if ((dash = strchr(buf, '-')) != NULL && buf[0] >= '0' &&
	    buf[0] <= '9') {
		*dash = '\0';
		return v >= (unsigned)atoi(buf) && v <= (unsigned)atoi(dash + 1);
	}
	return v == proto_num(buf);
}

static int
addr_in(const char *s, const struct cidr *a)
{
	struct cidr c;

	if (cidr_parse_any(s, &c) < 0)
		fail_msg("bad address %s", s);
	return cidr_contains(&c, a);
}

/* Splits "x . y . z comment \"id\"" into fields; returns the count. */
static int
fields(char *line, char **f, int max, char **comment)
{
	char *c = strstr(line, " comment \""), *q = line;
	int n = 0;

	*comment = NULL;
	if (c) {
		*c = '\0';
		*comment = c + 10;
		(*comment)[strcspn(*comment, "\"")] = '\0';
	}
	while (n < max) {
		char *d = strstr(q, " . ");

		f[n++] = q;
		if (d == NULL)
			break;
		*d = '\0';
		q = d + 3;
	}
	return n;
}

/* Is the key (addr [. proto [. port]]) in the named set? */
static int
set_has(struct sim *s, const char *name, const struct cidr *a, int nkey)
{
	const struct fw_obj *o = obj(s->rs, FW_K_SET, name);

	for (size_t i = 0; i < o->nlines; i++) {
		char line[256], *f[4], *cm;
		int n;

		snprintf(line, sizeof(line), "%s", o->lines[i]);
		n = fields(line, f, 4, &cm);
		if (n != nkey)
			fail_msg("set %s: element %s", name, o->lines[i]);
		if (!addr_in(f[0], a) || (n > 1 && !in_range(f[1], s->p->proto)) ||
		    (n > 2 && !in_range(f[2], s->p->dport)))
			continue;
		snprintf(s->elem_comment, sizeof(s->elem_comment), "%s",
		    cm ? cm : "");
		return 1;
	}
	return 0;
}

/* proto . dport in a block set ("tcp . 25" elements) */
static int
block_has(const struct fw_obj *set, const struct pkt *p)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%s . %u", p->proto == 6 ? "tcp" :
	    p->proto == 17 ? "udp" : "none", p->dport);
	for (size_t i = 0; i < set->nlines; i++)
		if (strcmp(set->lines[i], buf) == 0)
			return 1;
	return 0;
}

static int
l4(const struct pkt *p, const char *name)
{
	return p->proto == proto_num(name);
}

/*
 * One rule: 1 and *verdict when it matches. Tokens are the forms the
 * compiler emits (see fw_prof.c); anything else fails the test.
 */
static int
rule_eval(struct sim *s, const char *text, const char **verdict)
{
	char line[1024], *t[64], *save = NULL;
	const struct pkt *p = s->p;
	int n = 0, i = 0;

	snprintf(line, sizeof(line), "%s", text);
	s->comment = NULL;
	{
		char *c = strstr(line, " comment \"");

		if (c) {
			*c = '\0';
			snprintf(s->line_comment, sizeof(s->line_comment), "%s",
			    c + 10);
			s->line_comment[strcspn(s->line_comment, "\"")] = '\0';
			s->comment = s->line_comment;
		}
	}
	for (char *x = strtok_r(line, " ", &save); x && n < 64;
	    x = strtok_r(NULL, " ", &save))
		t[n++] = x;
	s->elem_comment[0] = '\0';
	while (i < n - 1) {
		if (strcmp(t[i], "ip") == 0 || strcmp(t[i], "ip6") == 0) {
			int fam = t[i][2] ? CIDR_V6 : CIDR_V4, neg = 0, hit;
			const struct cidr *a = strcmp(t[i + 1], "saddr") == 0 ?
			    &p->src : &p->dst;

			if (p->family != fam)
				return 0;
			i += 2;
			if (strcmp(t[i], "!=") == 0) {
				neg = 1;
				i++;
			}
			if (strcmp(t[i], ".") == 0) {	/* run set */
				int nkey = strcmp(t[i + 3], ".") == 0 ? 3 : 2;

				i += nkey == 3 ? 6 : 3;
				hit = set_has(s, t[i] + 1, a, nkey);
			} else if (t[i][0] == '@') {
				hit = set_has(s, t[i] + 1, a, 1);
			} else {
				hit = addr_in(t[i], a);
			}
			if (hit == neg)
				return 0;
			i++;
		} else if (strcmp(t[i], "meta") == 0 &&
		    strcmp(t[i + 1], "nfproto") == 0) {
			if (p->family != (strcmp(t[i + 2], "ipv4") == 0 ?
			    CIDR_V4 : CIDR_V6))
				return 0;
			i += 3;
		} else if (strcmp(t[i], "meta") == 0 &&
		    strcmp(t[i + 2], ".") == 0) {	/* operator block */
			if (!block_has(obj(s->rs, FW_K_SET, t[i + 5] + 1), p))
				return 0;
			i += 6;
		} else if (strcmp(t[i], "meta") == 0) {	/* l4proto */
			if (!l4(p, t[i + 2]))
				return 0;
			i += 3;
		} else if (strcmp(t[i], "tcp") == 0 || strcmp(t[i], "udp") == 0) {
			unsigned v = strcmp(t[i + 1], "sport") == 0 ? p->sport :
			    p->dport;

			if (!l4(p, t[i]) || !in_range(t[i + 2], v))
				return 0;
			i += 3;
		} else {
			fail_msg("interpreter: unknown token %s in %s", t[i], text);
		}
	}
	snprintf(s->verdict, sizeof(s->verdict), "%s", t[n - 1]);
	*verdict = s->verdict;
	if (s->elem_comment[0])
		s->comment = s->elem_comment;
	return 1;
}

/* Runs a chain: "accept", "drop" or "return" and the deciding comment. */
static const char *
chain_run(struct sim *s, const char *name)
{
	const struct fw_obj *c = obj(s->rs, FW_K_CHAIN, name);
	const char *v;

	for (size_t i = 0; i < c->nlines; i++)
		if (rule_eval(s, c->lines[i], &v))
			return v;
	s->comment = "(end)";
	return "return";
}

/* The chain a dispatch map sends key to, or NULL. */
static const char *
dispatch(const struct fw_ruleset *rs, const char *map, const char *key,
    char *buf, size_t len)
{
	const struct fw_obj *o = obj(rs, FW_K_MAP, map);
	size_t kl = strlen(key);

	for (size_t i = 0; i < o->nlines; i++)
		if (strncmp(o->lines[i], key, kl) == 0 &&
		    strncmp(o->lines[i] + kl, " : jump ", 8) == 0) {
			snprintf(buf, len, "%s", o->lines[i] + kl + 8);
			return buf;
		}
	return NULL;
}

/* ---- random worlds ---------------------------------------------------- */

struct prng {
	uint64_t s;
};

static uint64_t
rnd(struct prng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
rn(struct prng *r, unsigned n)
{
	return (unsigned)(rnd(r) % n);
}

#define PICK(r, a) ((a)[rn((r), sizeof(a) / sizeof((a)[0]))])

static const char *const peer4[] = { "0.0.0.0/0", "192.168.1.0/24",
	"192.168.1.5", "203.0.113.0/24", "203.0.0.0/16", "10.0.0.1/8",
	"198.18.0.0/15", "192.168.1.0/28", "8.8.8.8" };
static const char *const peer6[] = { "::/0", "2001:db8:a::/64",
	"2001:db8:b::1", "2001:db8::/32", "fe80::/10" };
static const char *const ports[] = { "22/22", "1/65535", "20/30", "80/80",
	"25/25", "445/445", "-1/-1", "1/1024", "65535/65535" };
static const char *const sports[] = { "", "", "", "1024/65535", "53/53" };
static const char *const protos[] = { "TCP", "TCP", "TCP", "UDP", "UDP",
	"ICMP", "ICMPV6", "GRE", "ALL", "ALL" };
static const unsigned prios[] = { 1, 1, 2, 5, 100 };

#define NGROUPS 5

static json_t *
rand_rule(struct prng *r, int k)
{
	int in = rn(r, 2), v6 = rn(r, 4) == 0;
	const char *pr = PICK(r, protos);
	char id[32];
	json_t *o;

	snprintf(id, sizeof(id), "sgr-%02d", k);
	if (strcmp(pr, "ICMPV6") == 0)
		v6 = 1;
	if (strcmp(pr, "ICMP") == 0 && rn(r, 3))
		v6 = 0;
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:I}", "SecurityGroupRuleId",
	    id, "Direction", in ? "ingress" : "egress", "IpProtocol", pr,
	    "PortRange", strcmp(pr, "TCP") && strcmp(pr, "UDP") ? "-1/-1" :
	    PICK(r, ports), "NicType", rn(r, 3) ? "intranet" : "internet",
	    "Policy", rn(r, 2) ? "Accept" : "Drop", "Priority",
	    (json_int_t)PICK(r, prios));
	if ((!strcmp(pr, "TCP") || !strcmp(pr, "UDP")))
		json_object_set_new(o, "SourcePortRange",
		    json_string(PICK(r, sports)));
	if (rn(r, 4) == 0) {
		char g[16];

		snprintf(g, sizeof(g), "sg-%u", rn(r, NGROUPS + 1));
		json_object_set_new(o, in ? "SourceGroupId" : "DestGroupId",
		    json_string(g));
		if (rn(r, 4) == 0)
			json_object_set_new(o, in ? "SourceGroupOwnerAccount" :
			    "DestGroupOwnerAccount", json_string(rn(r, 2) ?
			    "2002" : "1001"));
	} else if (rn(r, 15) == 0) {
		json_object_set_new(o, in ? "SourcePrefixListId" :
		    "DestPrefixListId", json_string("pl-1"));
	} else {
		json_object_set_new(o, in ? (v6 ? "Ipv6SourceCidrIp" :
		    "SourceCidrIp") : (v6 ? "Ipv6DestCidrIp" : "DestCidrIp"),
		    json_string(v6 ? PICK(r, peer6) : PICK(r, peer4)));
	}
	if (rn(r, 6) == 0) {
		int lv6 = rn(r, 5) == 0 ? !v6 : v6;

		json_object_set_new(o, in ? (lv6 ? "Ipv6DestCidrIp" :
		    "DestCidrIp") : (lv6 ? "Ipv6SourceCidrIp" : "SourceCidrIp"),
		    json_string(lv6 ? "2001:db8:a::/64" : "192.168.1.0/28"));
	}
	return o;
}

/* 4..9 rules of one direction, policy and priority with CIDR peers:
 * set-shaped, overlapping, some of them not (a source port). */
static void
rand_run(struct prng *r, json_t *rules, int *k)
{
	static const char *const ported[] = { "TCP", "UDP", "TCP" };
	static const char *const other[] = { "ICMP", "GRE", "ALL" };
	int in = rn(r, 2), pol = rn(r, 2), ported_run = rn(r, 3) != 0;
	json_int_t prio = PICK(r, prios);

	for (unsigned i = 4 + rn(r, 6); i > 0; i--) {
		json_t *o = rand_rule(r, (*k)++);
		const char *pr = ported_run ? PICK(r, ported) : PICK(r, other);
		int v6 = rn(r, 4) == 0 && strcmp(pr, "ICMP") != 0;

		json_object_set_new(o, "Direction", json_string(in ? "ingress" :
		    "egress"));
		json_object_set_new(o, "Policy", json_string(pol ? "Accept" :
		    "Drop"));
		json_object_set_new(o, "Priority", json_integer(prio));
		json_object_set_new(o, "IpProtocol", json_string(pr));
		json_object_set_new(o, "PortRange", json_string(ported_run ?
		    PICK(r, ports) : "-1/-1"));
		if (rn(r, 5))
			json_object_del(o, "SourcePortRange");
		for (size_t f = 0; f < 4; f++)
			json_object_del(o, (const char *[]){ "SourceCidrIp",
			    "DestCidrIp", "Ipv6SourceCidrIp",
			    "Ipv6DestCidrIp" }[f]);
		json_object_del(o, "SourceGroupId");
		json_object_del(o, "DestGroupId");
		json_object_del(o, "SourcePrefixListId");
		json_object_del(o, "DestPrefixListId");
		json_object_set_new(o, in ? (v6 ? "Ipv6SourceCidrIp" :
		    "SourceCidrIp") : (v6 ? "Ipv6DestCidrIp" : "DestCidrIp"),
		    json_string(v6 ? PICK(r, peer6) : PICK(r, peer4)));
		json_array_append_new(rules, o);
	}
}

static json_t *
rand_world(struct prng *r)
{
	json_t *groups = json_array(), *enis = json_array();
	int k = 0;

	for (int g = 0; g < NGROUPS; g++) {
		json_t *rules = json_array();
		char id[16];

		for (unsigned i = rn(r, 9); i > 0; i--)
			json_array_append_new(rules, rand_rule(r, k++));
		if (rn(r, 2))	/* a run long enough for a set */
			rand_run(r, rules, &k);
		snprintf(id, sizeof(id), "sg-%d", g);
		json_array_append_new(groups, json_pack("{s:s,s:s,s:s,s:s,s:o}",
		    "SecurityGroupId", id, "OwnerId", g == 4 ? "2002" : "1001",
		    "SecurityGroupType", rn(r, 4) ? "normal" : "enterprise",
		    "InnerAccessPolicy", rn(r, 2) ? "Accept" : "Drop",
		    "Rules", rules));
	}
	for (int e = 0; e < 8; e++) {
		int kind = rn(r, 4);	/* 0,1 vpc-a; 2 vpc-b; 3 classic */
		char id[16], ip[32], mac[32], ip6[32];
		json_t *gs = json_array(), *o;

		snprintf(id, sizeof(id), "eni-%d", e);
		snprintf(mac, sizeof(mac), "00:16:3e:00:00:%02x", e + 1);
		snprintf(ip, sizeof(ip), kind == 2 ? "203.0.7.%d" :
		    kind == 3 ? "192.168.9.%d" : "192.168.1.%d", e + 1);
		for (int g = 0; g < NGROUPS; g++)
			if (rn(r, 3) == 0) {
				snprintf(ip6, sizeof(ip6), "sg-%d", g);
				json_array_append_new(gs, json_string(ip6));
			}
		o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:s,s:o}",
		    "NetworkInterfaceId", id, "InstanceId", "i-x", "OwnerId",
		    "1001", "HostId", rn(r, 5) ? "host-local" : "host-other",
		    "Running", rn(r, 6) != 0, "MacAddress", mac,
		    "PrivateIpAddress", ip, "VpcId", kind == 3 ? "" :
		    kind == 2 ? "vpc-b" : "vpc-a", "SecurityGroupIds", gs);
		if (kind < 2 && rn(r, 2)) {
			snprintf(ip6, sizeof(ip6), "2001:db8:a::%x", e + 1);
			json_object_set_new(o, "Ipv6Addresses",
			    json_pack("[s]", ip6));
		}
		if (kind == 3 && rn(r, 3)) {
			snprintf(ip, sizeof(ip), "198.18.9.%d", e + 1);
			json_object_set_new(o, "PublicIpAddress",
			    json_string(ip));
		}
		json_array_append_new(enis, o);
	}
	return json_pack("{s:{s:b},s:[{s:s,s:s,s:s,s:i},{s:s,s:s,s:i}],"
	    "s:o,s:o}", "Operator", "Tcp25Open", rn(r, 2),
	    "Vpcs", "VpcId", "vpc-a", "CidrBlock", "192.168.0.0/16",
	    "Ipv6CidrBlock", "2001:db8:a::/56", "ZoneId", 1,
	    "VpcId", "vpc-b", "CidrBlock", "203.0.0.0/16", "ZoneId", 2,
	    "Groups", groups, "NetworkInterfaces", enis);
}

/* ---- the comparison --------------------------------------------------- */

static const char *const remote4[] = { "8.8.8.8", "203.0.113.7",
	"203.0.5.5", "192.168.1.5", "10.1.2.3", "198.18.0.5", "192.168.1.1",
	"192.168.1.2", "203.0.7.3", "192.168.9.4", "198.18.9.4", "100.64.0.1" };
static const char *const remote6[] = { "2001:db8:a::2", "2001:db8:b::1",
	"fe80::1", "2001:4860::1", "2001:db8:a::3", "fd00::5", "::1" };
static const unsigned pnums[] = { 6, 6, 17, 17, 1, 58, 47, 0, 50 };
static const unsigned pports[] = { 0, 1, 22, 25, 53, 80, 135, 445, 1024,
	3306, 5900, 8080, 65535 };

struct tally {
	unsigned long gates, accepts, exact, by_set;
};

static const struct rule *
rule_by_id(const struct fw_input *in, const char *id)
{
	for (size_t g = 0; g < in->ngroups; g++)
		for (size_t k = 0; k < in->groups[g].nrules; k++)
			if (strcmp(in->groups[g].rules[k].id, id) == 0)
				return &in->groups[g].rules[k];
	return NULL;
}

static void
check_gate(const struct fw_input *in, const struct fw_ruleset *rs,
    const struct eng_model *m, const struct fw_port *pt, int dir,
    const struct pkt *p, struct tally *t)
{
	const struct fw_eni *e = &in->enis[pt->eni];
	const struct cidr *local = dir == RULE_EGRESS ? &p->src : &p->dst;
	struct sim s = { rs, p, NULL, "", "", "" };
	struct eng_verdict v;
	struct eng_flow f;
	char key[96], chain[64], a[CIDR_STR_MAX], want[96];
	const char *verdict;
	int acc;

	memset(&f, 0, sizeof(f));
	f.family = (uint8_t)p->family;
	f.proto = (uint8_t)p->proto;
	f.ct = ENG_CT_NEW;
	f.sport = (uint16_t)p->sport;
	f.dport = (uint16_t)p->dport;
	memcpy(f.src, p->src.addr, 16);
	memcpy(f.dst, p->dst.addr, 16);
	assert_int_equal(eng_gate(m, eng_eni_find(m, e->id), dir, &f, &v), 0);
	if (dir == RULE_EGRESS) {
		snprintf(key, sizeof(key), "0x%08x", (unsigned)pt->mark);
		assert_non_null(dispatch(rs, "sk_eg", key, chain,
		    sizeof(chain)));
	} else {
		cidr_format_addr(local, a, sizeof(a));
		snprintf(key, sizeof(key), "\"%s\" . %s", pt->bridge, a);
		assert_non_null(dispatch(rs, p->family == CIDR_V4 ? "sk_in4" :
		    "sk_in6", key, chain, sizeof(chain)));
	}
	verdict = chain_run(&s, chain);
	acc = strcmp(verdict, dir == RULE_EGRESS ? "return" : "accept") == 0;
	eng_item_format(&v.item, want, sizeof(want));
	if (acc != v.accept)
		fail_msg("%s %s proto %u %u->%u: engine %s (%s), chain %s says "
		    "%s (%s)", e->id, dir == RULE_EGRESS ? "egress" : "ingress",
		    p->proto, p->sport, p->dport, v.accept ? "accept" : "drop",
		    want, chain, verdict, s.comment ? s.comment : "");
	t->gates++;
	t->accepts += (unsigned long)acc;
	t->by_set += s.elem_comment[0] != '\0';
	if (v.item.kind == ENG_ITEM_DEFAULT)
		snprintf(want, sizeof(want), "default");
	else if (v.item.kind == ENG_ITEM_BLOCK)
		snprintf(want, sizeof(want), "operator block");
	else if (v.item.kind == ENG_ITEM_INNER)
		snprintf(want, sizeof(want), "%s inner", v.item.group_id);
	else
		snprintf(want, sizeof(want), "%s", v.item.rule->id);
	if (s.comment && strcmp(s.comment, want) == 0) {
		t->exact++;
	} else if (v.item.kind != ENG_ITEM_RULE) {
		fail_msg("%s: engine decided by %s, chain %s by %s", e->id,
		    want, chain, s.comment ? s.comment : "(none)");
	} else {
		const struct rule *r = s.comment ? rule_by_id(in, s.comment) :
		    NULL;

		if (r == NULL || r->policy != v.item.policy)
			fail_msg("%s: engine rule %s, chain %s by %s", e->id,
			    want, chain, s.comment ? s.comment : "(none)");
	}
}

static void
one_world(struct prng *r, struct tally *t)
{
	json_t *w = rand_world(r);
	struct fw_input *in = NULL;
	struct fw_ruleset *rs = NULL;
	struct eng_model *m = NULL;
	char detail[FW_DETAIL_MAX];

	if (fw_input_from_json_detail(w, "host-local", &in, detail) != 0)
		fail_msg("world refused: %s", detail);
	assert_int_equal(fw_compile(in, &rs), 0);
	assert_int_equal(eng_model_new(&m), 0);
	assert_int_equal(fw_input_eng(in, m), 0);
	assert_int_equal(eng_compile(m), 0);
	for (size_t i = 0; i < in->nports; i++) {
		const struct fw_port *pt = &in->ports[i];
		const struct fw_eni *e = &in->enis[pt->eni];

		if (!pt->up)
			continue;
		for (int n = 0; n < 40; n++) {
			struct pkt p;
			const struct cidr *mine;
			struct cidr other;
			int dir = rn(r, 2) ? RULE_EGRESS : RULE_INGRESS;

			memset(&p, 0, sizeof(p));
			mine = pt->nic == RULE_NIC_INTERNET ? &e->pub :
			    &e->addrs[rn(r, (unsigned)e->naddrs)];
			p.family = mine->family;
			assert_int_equal(cidr_parse_addr(p.family == CIDR_V4 ?
			    PICK(r, remote4) : PICK(r, remote6), &other), 0);
			p.src = dir == RULE_EGRESS ? *mine : other;
			p.dst = dir == RULE_EGRESS ? other : *mine;
			p.proto = PICK(r, pnums);
			if (p.proto == 1 && p.family == CIDR_V6 && rn(r, 2))
				p.proto = 58;
			if (p.proto == 6 || p.proto == 17) {
				p.sport = PICK(r, pports);
				p.dport = PICK(r, pports);
			}
			check_gate(in, rs, m, pt, dir, &p, t);
		}
	}
	eng_model_free(m);
	fw_ruleset_free(rs);
	fw_input_free(in);
	json_decref(w);
}

static void
test_chains_decide_like_engine(void **state)
{
	const char *nw = getenv("FW_SIM_WORLDS"), *sd = getenv("FW_SIM_SEED");
	unsigned long worlds = nw ? strtoul(nw, NULL, 10) : 300;
	struct prng r = { sd ? strtoull(sd, NULL, 10) : 20261201 };
	struct tally t = { 0, 0, 0, 0 };

	(void)state;
	for (unsigned long i = 0; i < worlds; i++)
		one_world(&r, &t);
	print_message("fw_sim: %lu worlds, %lu gates (%lu accept), deciding "
	    "item exact for %lu, decided by a run-set element %lu\n", worlds,
	    t.gates, t.accepts, t.exact, t.by_set);
	assert_true(t.gates > worlds * 10);
	assert_true(t.by_set > t.gates / 200);
	assert_true(t.accepts > t.gates / 20 && t.accepts < t.gates);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chains_decide_like_engine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
