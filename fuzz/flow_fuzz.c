/*
 * flow_fuzz: eng_flow_parse, the text form of a flow (CLI, tests), and —
 * for every flow it accepts — the decision engine on a small fixed model.
 *
 * Checks, besides ASan/UBSan: a rejection is -ERR_INVALID_PARAMETER with
 * the flow zeroed; an accepted flow formats back into a string that parses
 * to the same flow (and formatting into any shorter buffer fails cleanly);
 * at both gates the compiled lookup, the first-match scan and explain's
 * first item agree.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cidr.h"
#include "lib/err.h"
#include "sg/eng.h"

static struct eng_model *flow_fuzz_m;

static void
flow_fuzz_rule(struct eng_model *m, const char *gid, const char *id, int dir,
    int proto, int policy, int prio, const char *peer, uint16_t lo,
    uint16_t hi)
{
	struct rule r;

	memset(&r, 0, sizeof(r));
	strcpy(r.id, id);
	strcpy(r.group_id, gid);
	r.dir = (uint8_t)dir;
	r.proto = (uint8_t)proto;
	r.policy = (uint8_t)policy;
	r.priority = (uint8_t)prio;
	r.dport.lo = lo;
	r.dport.hi = hi;
	if (strncmp(peer, "sg-", 3) == 0) {
		r.peer_kind = RULE_PEER_GROUP;
		strcpy(r.peer_group, peer);
	} else if (cidr_parse_any(peer, &r.peer_cidr) < 0) {
		abort();
	}
	if (eng_rule_put(m, &r) < 0)
		abort();
}

static void
flow_fuzz_eni(struct eng_model *m, const char *id, const char *vpc,
    const char *g, const char *a1, const char *a2, const char *pub)
{
	const char *gs[1] = { g };
	struct cidr as[2];
	struct eng_eni_def d = { .id = id, .vpc_id = vpc, .groups = gs,
	    .ngroups = 1, .addrs = as, .naddrs = 2 };

	if (cidr_parse_addr(a1, &as[0]) < 0 || cidr_parse_addr(a2, &as[1]) < 0 ||
	    (pub && cidr_parse_addr(pub, &d.pub) < 0) || eng_eni_put(m, &d) < 0)
		abort();
}

/* Two VPC ENIs and a classic one, basic and enterprise groups. */
static struct eng_model *
flow_fuzz_model(void)
{
	struct eng_group_def g[3] = {
		{ .id = "sg-a", .owner = "1", .inner_accept = 1 },
		{ .id = "sg-b", .owner = "1", .inner_accept = 0 },
		{ .id = "sg-e", .owner = "1", .type = ENG_GROUP_ENTERPRISE },
	};
	struct eng_model *m;

	if (eng_model_new(&m) < 0)
		abort();
	for (int i = 0; i < 3; i++)
		if (eng_group_put(m, &g[i]) < 0)
			abort();
	flow_fuzz_rule(m, "sg-a", "r1", RULE_INGRESS, RULE_TCP, RULE_ACCEPT, 1,
	    "0.0.0.0/0", 22, 22);
	flow_fuzz_rule(m, "sg-a", "r2", RULE_INGRESS, RULE_ALL, RULE_DROP, 1,
	    "10.0.0.0/8", 0, 0);
	flow_fuzz_rule(m, "sg-a", "r3", RULE_EGRESS, RULE_UDP, RULE_DROP, 50,
	    "::/0", 1, 1024);
	flow_fuzz_rule(m, "sg-b", "r4", RULE_INGRESS, RULE_ALL, RULE_ACCEPT,
	    110, "sg-a", 0, 0);
	flow_fuzz_rule(m, "sg-b", "r5", RULE_INGRESS, RULE_ICMP, RULE_ACCEPT,
	    2, "1.2.3.4/32", 0, 0);
	flow_fuzz_rule(m, "sg-e", "r6", RULE_EGRESS, RULE_TCP, RULE_ACCEPT, 1,
	    "0.0.0.0/0", 443, 443);
	flow_fuzz_eni(m, "eni-a", "vpc-1", "sg-a", "10.0.0.1", "fd00::1", NULL);
	flow_fuzz_eni(m, "eni-b", "", "sg-b", "10.1.0.1", "fd00::2",
	    "198.18.0.1");
	flow_fuzz_eni(m, "eni-e", "vpc-1", "sg-e", "10.0.0.3", "fd00::3", NULL);
	if (eng_compile(m) < 0)
		abort();
	return m;
}

static void
flow_fuzz_gate(const struct eng_eni *e, int dir, const struct eng_flow *f)
{
	struct eng_verdict v, vl;
	struct eng_item it[4];
	size_t n;

	if (eng_gate(flow_fuzz_m, e, dir, f, &v) < 0 ||
	    eng_gate_linear(flow_fuzz_m, e, dir, f, &vl) < 0 ||
	    eng_explain(flow_fuzz_m, e, dir, f, it, 4, &n, NULL) < 0)
		abort();
	if (v.accept != vl.accept || v.item.kind != vl.item.kind ||
	    v.item.rule != vl.item.rule || v.item.group_id != vl.item.group_id ||
	    n == 0 || it[0].kind != v.item.kind || it[0].rule != v.item.rule ||
	    it[0].policy != v.item.policy)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const enis[] = { "eni-a", "eni-b", "eni-e" };
	char s[512], out[300];
	struct eng_flow f, g, zero;
	int r;

	if (flow_fuzz_m == NULL)
		flow_fuzz_m = flow_fuzz_model();
	if (size >= sizeof(s))
		size = sizeof(s) - 1;
	memcpy(s, data, size);
	s[size] = '\0';
	memset(&zero, 0, sizeof(zero));
	r = eng_flow_parse(s, &f);
	if (r < 0) {
		if (r != -ERR_INVALID_PARAMETER || memcmp(&f, &zero, sizeof(f)))
			abort();
		return 0;
	}
	if (eng_flow_format(&f, out, sizeof(out)) < 0 ||
	    eng_flow_parse(out, &g) < 0 || memcmp(&f, &g, sizeof(f)) != 0)
		abort();
	for (size_t len = 0; len <= strlen(out); len++)
		if (eng_flow_format(&f, out, len) != -ERR_INVALID_PARAMETER)
			abort();
	for (size_t i = 0; i < 3; i++) {
		const struct eng_eni *e = eng_eni_find(flow_fuzz_m, enis[i]);

		flow_fuzz_gate(e, RULE_INGRESS, &f);
		flow_fuzz_gate(e, RULE_EGRESS, &f);
	}
	return 0;
}
