/*
 * eng_fix: fixtures of the decision-engine unit tests — groups, rules
 * written as one-line specs (rule_spec), ENIs from comma lists, and
 * expect(), which checks one gate of a flow (given in eng_flow_parse's
 * text form) on both the compiled and the linear path against a short
 * verdict string ("accept rule sgr-1", "drop default", "drop block 25",
 * "accept inner sg-a", "accept ct established"). Header-only.
 */
#ifndef SEKISHO_ENG_FIX_H
#define SEKISHO_ENG_FIX_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cidr.h"
#include "lib/err.h"
#include "sg/eng.h"

#define FIX_UNUSED __attribute__((unused))

static FIX_UNUSED void
grp(struct eng_model *m, const char *id, const char *owner, int type,
    int inner_accept)
{
	struct eng_group_def g;

	memset(&g, 0, sizeof(g));
	snprintf(g.id, sizeof(g.id), "%s", id);
	snprintf(g.owner, sizeof(g.owner), "%s", owner);
	g.type = (uint8_t)type;
	g.inner_accept = (uint8_t)inner_accept;
	assert_int_equal(eng_group_put(m, &g), 0);
}

#define BASIC(m, id) grp(m, id, "acct1", ENG_GROUP_BASIC, 1)

/*
 * "in|out <proto> <ports> <peer> accept|drop <priority> [sport=a/b]
 * [local=<cidr>] [nic=internet|intranet] [owner=<acct>]"; peer is a CIDR
 * or address, "sg-…" (group) or "pl-…" (prefix list); ports "-1/-1" = any.
 */
static FIX_UNUSED void
rule_spec(struct rule *r, const char *gid, const char *rid, const char *spec)
{
	static const char *const protos[] = { "tcp", "udp", "icmp", "icmpv6",
	    "gre", "all" };
	char dir[8], proto[8], ports[16], peer[64], pol[8], rest[128] = "";
	char *tok, *save;
	int prio, lo, hi;

	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "%s", rid);
	snprintf(r->group_id, sizeof(r->group_id), "%s", gid);
	assert_true(sscanf(spec, "%7s %7s %15s %63s %7s %d %127[^\n]", dir,
	    proto, ports, peer, pol, &prio, rest) >= 6);
	r->dir = strcmp(dir, "in") == 0 ? RULE_INGRESS : RULE_EGRESS;
	for (r->proto = 0; strcmp(protos[r->proto], proto) != 0; r->proto++)
		assert_true(r->proto < RULE_ALL);
	if (sscanf(ports, "%d/%d", &lo, &hi) == 2 && lo > 0) {
		r->dport.lo = (uint16_t)lo;
		r->dport.hi = (uint16_t)hi;
	}
	if (strncmp(peer, "sg-", 3) == 0) {
		r->peer_kind = RULE_PEER_GROUP;
		snprintf(r->peer_group, sizeof(r->peer_group), "%s", peer);
	} else if (strncmp(peer, "pl-", 3) == 0) {
		r->peer_kind = RULE_PEER_PREFIX_LIST;
	} else {
		assert_int_equal(cidr_parse_any(peer, &r->peer_cidr), 0);
	}
	r->policy = strcmp(pol, "drop") == 0 ? RULE_DROP : RULE_ACCEPT;
	r->priority = (uint8_t)prio;
	for (tok = strtok_r(rest, " ", &save); tok;
	    tok = strtok_r(NULL, " ", &save)) {
		if (sscanf(tok, "sport=%d/%d", &lo, &hi) == 2) {
			r->sport.lo = (uint16_t)lo;
			r->sport.hi = (uint16_t)hi;
		} else if (strncmp(tok, "local=", 6) == 0) {
			r->has_local = 1;
			assert_int_equal(cidr_parse_any(tok + 6, &r->local), 0);
		} else if (strcmp(tok, "nic=internet") == 0) {
			r->nic = RULE_NIC_INTERNET;
		} else if (strncmp(tok, "owner=", 6) == 0) {
			snprintf(r->peer_owner, sizeof(r->peer_owner), "%s",
			    tok + 6);
		} else {
			fail_msg("bad rule token %s", tok);
		}
	}
}

static FIX_UNUSED void
rule(struct eng_model *m, const char *gid, const char *rid, const char *spec)
{
	struct rule r;

	rule_spec(&r, gid, rid, spec);
	assert_int_equal(eng_rule_put(m, &r), 0);
}

/* groups and addrs are comma-separated; pub may be NULL. */
static FIX_UNUSED void
eni(struct eng_model *m, const char *id, const char *vpc, const char *groups,
    const char *addrs, const char *pub)
{
	char gbuf[256], abuf[256], *tok, *save;
	const char *gs[ENG_GROUPS_MAX];
	struct cidr as[8];
	struct eng_eni_def d;

	memset(&d, 0, sizeof(d));
	d.id = id;
	d.vpc_id = vpc;
	snprintf(gbuf, sizeof(gbuf), "%s", groups);
	for (tok = strtok_r(gbuf, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save))
		gs[d.ngroups++] = tok;
	snprintf(abuf, sizeof(abuf), "%s", addrs);
	for (tok = strtok_r(abuf, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save))
		assert_int_equal(cidr_parse_addr(tok, &as[d.naddrs++]), 0);
	d.groups = gs;
	d.addrs = as;
	if (pub)
		assert_int_equal(cidr_parse_addr(pub, &d.pub), 0);
	assert_int_equal(eng_eni_put(m, &d), 0);
}

static FIX_UNUSED struct eng_model *
model(void)
{
	struct eng_model *m;

	assert_int_equal(eng_model_new(&m), 0);
	return m;
}

static FIX_UNUSED void
compile(struct eng_model *m)
{
	assert_int_equal(eng_compile(m), 0);
}

/* "accept rule sgr-1", "drop default", "drop block 25", "accept inner
 * sg-a", "accept ct established" */
static FIX_UNUSED const char *
vstr(const struct eng_verdict *v, char *buf, size_t len)
{
	static const char *const ct[] = { "new", "established", "related",
	    "invalid" };
	const struct eng_item *it = &v->item;
	const char *pol = v->accept ? "accept" : "drop";

	switch (it->kind) {
	case ENG_ITEM_RULE:
		snprintf(buf, len, "%s rule %s", pol, it->rule->id);
		break;
	case ENG_ITEM_INNER:
		snprintf(buf, len, "%s inner %s", pol, it->group_id);
		break;
	case ENG_ITEM_BLOCK:
		snprintf(buf, len, "%s block %u", pol, it->port);
		break;
	case ENG_ITEM_DEFAULT:
		snprintf(buf, len, "%s default", pol);
		break;
	default:
		snprintf(buf, len, "%s ct %s", pol, ct[it->ct]);
	}
	return buf;
}

/* The verdict at one gate of the flow (from= egress, to= ingress). */
static FIX_UNUSED void
expect(const struct eng_model *m, const char *flow, int dir, const char *want)
{
	struct eng_flow f;
	struct eng_verdict v, vl;
	const struct eng_eni *e;
	char b1[128], b2[128];

	if (eng_flow_parse(flow, &f) < 0)
		fail_msg("cannot parse flow %s", flow);
	e = eng_eni_find(m, dir == RULE_EGRESS ? f.src_eni : f.dst_eni);
	assert_non_null(e);
	assert_int_equal(eng_gate(m, e, dir, &f, &v), 0);
	assert_int_equal(eng_gate_linear(m, e, dir, &f, &vl), 0);
	if (strcmp(vstr(&v, b1, sizeof(b1)), want) != 0)
		fail_msg("%s gate of [%s]: got \"%s\", want \"%s\"",
		    dir == RULE_EGRESS ? "egress" : "ingress", flow, b1, want);
	assert_string_equal(vstr(&vl, b2, sizeof(b2)), b1);
}

#define IN(m, flow, want) expect(m, flow, RULE_INGRESS, want)
#define OUT(m, flow, want) expect(m, flow, RULE_EGRESS, want)

#endif
