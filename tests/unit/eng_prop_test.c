/*
 * eng_prop_test: the decision engine against the linear reference
 * (eng_ref.h) on random worlds and flows. Each case is one flow through
 * both gates; the compiled lookup (eng_gate), the first-match scan
 * (eng_gate_linear) and, on a sample, explain's first item must name the
 * same verdict and deciding item as the reference, and the deciding item
 * must never be flagged shadowed by eng_effective. Worlds are drawn from
 * small pools so that collisions are common: port boundaries 0/1/65535,
 * /0 /32 /128 prefixes, equal priorities with drop+accept ties, ENIs in
 * overlapping groups, group peers (missing, foreign, wrongly owned),
 * classic internet NICs, operator-blocked ports, conntrack states. Between
 * rounds the world changes — memberships, addresses, rules, policies —
 * and is recompiled incrementally (an address-only change must rebuild
 * address sets without recompiling any profile).
 *
 *   ENG_PROP_CASES=N  number of cases (default 1,000,000; lower it under
 *                     ASan), ENG_PROP_SEED=S  another deterministic seed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "eng_ref.h"
#include "lib/cidr.h"
#include "sg/eng.h"

#define PROP_DEFAULT_CASES 1000000UL
#define PROP_FLOWS_PER_ROUND 48
#define PROP_ROUNDS 4

struct prng {
	uint64_t s;
};

static uint64_t
rnd(struct prng *p)
{
	uint64_t z = (p->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
rn(struct prng *p, unsigned n)
{
	return (unsigned)(rnd(p) % n);
}

static int
chance(struct prng *p, unsigned pct)
{
	return rn(p, 100) < pct;
}

static const char *const pool4[] = { "10.0.0.1", "10.0.0.2", "10.0.0.3",
	"10.0.0.4", "10.0.1.1", "172.16.0.1", "192.168.1.1",
	"100.100.100.200", "198.18.0.1", "198.18.0.2", "8.8.8.8", "0.0.0.0",
	"255.255.255.255", "127.0.0.1" };
static const char *const pool6[] = { "fd00::1", "fd00::2", "fd00::3",
	"2001:db8::1", "2001:db8::2", "2400:cb00::1", "fe80::1", "::1", "::",
	"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" };
static const uint16_t pool_ports[] = { 0, 1, 2, 21, 22, 25, 53, 80, 135, 139,
	443, 444, 445, 465, 3389, 5800, 5900, 8080, 65534, 65535 };
static const uint8_t pool_prio[] = { 1, 1, 2, 2, 50, 100, 110 };
static const uint8_t lens4[] = { 0, 0, 1, 8, 16, 24, 31, 32, 32, 32 };
static const uint8_t lens6[] = { 0, 0, 7, 10, 64, 127, 128, 128, 128 };

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void
addr_pick(struct prng *p, int family, struct cidr *c)
{
	memset(c, 0, sizeof(*c));
	if (chance(p, 10)) {	/* anywhere at all */
		c->family = (uint8_t)family;
		c->len = family == CIDR_V4 ? 32 : 128;
		for (int i = 0; i < (family == CIDR_V4 ? 4 : 16); i++)
			c->addr[i] = (uint8_t)rnd(p);
		return;
	}
	if (family == CIDR_V4)
		assert_int_equal(cidr_parse_addr(pool4[rn(p, NELEM(pool4))], c), 0);
	else
		assert_int_equal(cidr_parse_addr(pool6[rn(p, NELEM(pool6))], c), 0);
}

static void
prefix_pick(struct prng *p, int family, struct cidr *c)
{
	addr_pick(p, family, c);
	c->len = family == CIDR_V4 ? lens4[rn(p, NELEM(lens4))] :
	    lens6[rn(p, NELEM(lens6))];
	if (chance(p, 50))
		cidr_mask(c);	/* host bits kept otherwise, as stored */
}

static uint16_t
port_pick(struct prng *p)
{
	return chance(p, 80) ? pool_ports[rn(p, NELEM(pool_ports))] :
	    (uint16_t)rnd(p);
}

static void
ports_pick(struct prng *p, struct rule_ports *r, unsigned any_pct)
{
	uint16_t a = port_pick(p), b = port_pick(p);

	r->lo = r->hi = 0;
	if (chance(p, any_pct))
		return;
	if (chance(p, 3)) {		/* lo > hi: matches nothing */
		r->lo = 100;
		r->hi = 99;
	} else if (chance(p, 15)) {
		r->lo = 1;
		r->hi = 65535;
	} else if (chance(p, 40)) {
		r->lo = r->hi = a ? a : 1;
	} else {
		r->lo = a < b ? a : b;
		r->hi = a < b ? b : a;
		if (r->lo == 0)
			r->lo = 1;
	}
}

static void
rule_gen(struct prng *p, struct ref_world *w, const struct eng_group_def *g,
    int big, struct rule *r)
{
	static const uint8_t protos[] = { RULE_TCP, RULE_TCP, RULE_TCP,
	    RULE_UDP, RULE_UDP, RULE_ICMP, RULE_ICMPV6, RULE_GRE, RULE_ALL,
	    RULE_ALL };
	unsigned k;

	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "sgr-%04zu", w->nrules);
	snprintf(r->group_id, sizeof(r->group_id), "%s", g->id);
	r->dir = (uint8_t)rn(p, 2);
	r->proto = big && chance(p, 75) ? RULE_TCP :
	    protos[rn(p, NELEM(protos))];
	r->policy = g->type == ENG_GROUP_ENTERPRISE && chance(p, 80) ?
	    RULE_ACCEPT : (uint8_t)rn(p, 2);
	r->nic = (uint8_t)rn(p, 2);
	r->priority = chance(p, 70) ? pool_prio[rn(p, NELEM(pool_prio))] :
	    (uint8_t)(1 + rn(p, 100));
	if (r->proto == RULE_TCP || r->proto == RULE_UDP || chance(p, 10)) {
		ports_pick(p, &r->dport, 20);
		ports_pick(p, &r->sport, 75);
	}
	k = rn(p, 100);
	if (k < 70) {
		r->peer_kind = RULE_PEER_CIDR;
		prefix_pick(p, chance(p, big ? 90 : 65) ? CIDR_V4 : CIDR_V6,
		    &r->peer_cidr);
	} else if (k < 92) {
		const struct eng_group_def *pg = &w->groups[rn(p, w->ngroups)];

		r->peer_kind = RULE_PEER_GROUP;
		snprintf(r->peer_group, sizeof(r->peer_group), "%s",
		    chance(p, 8) ? "sg-missing" : pg->id);
		k = rn(p, 100);
		if (k >= 70)
			snprintf(r->peer_owner, sizeof(r->peer_owner), "%s",
			    k < 85 ? pg->owner : "acct-wrong");
	} else {
		r->peer_kind = RULE_PEER_PREFIX_LIST;
	}
	if (chance(p, 15)) {
		r->has_local = 1;
		prefix_pick(p, chance(p, 65) ? CIDR_V4 : CIDR_V6, &r->local);
	}
}

static void
eni_groups_pick(struct prng *p, const struct ref_world *w, struct ref_eni *e)
{
	size_t want = 1 + rn(p, 3);

	e->ngroups = 0;
	if (chance(p, 2))
		return;		/* no group at all */
	while (e->ngroups < want) {
		const char *id = w->groups[rn(p, w->ngroups)].id;
		int dup = 0;

		for (size_t k = 0; k < e->ngroups; k++)
			dup |= strcmp(e->groups[k], id) == 0;
		if (dup && e->ngroups >= w->ngroups)
			break;
		if (!dup)
			snprintf(e->groups[e->ngroups++], RULE_ID_MAX, "%s", id);
	}
}

static void
eni_addrs_pick(struct prng *p, struct ref_eni *e)
{
	e->naddrs = 1 + rn(p, 3);
	for (size_t k = 0; k < e->naddrs; k++)
		addr_pick(p, chance(p, 70) ? CIDR_V4 : CIDR_V6, &e->addrs[k]);
	memset(&e->pub, 0, sizeof(e->pub));
	if (e->vpc[0] == '\0' && chance(p, 70)) {
		assert_int_equal(cidr_parse_addr(chance(p, 50) ? "198.18.0.1" :
		    "198.18.0.2", &e->pub), 0);
	}
}

static void
world_gen(struct prng *p, struct ref_world *w)
{
	int big = chance(p, 6);	/* multi-word bitmaps: > 64 items */

	memset(w, 0, sizeof(*w));
	w->ngroups = 2 + rn(p, 5);
	for (size_t i = 0; i < w->ngroups; i++) {
		struct eng_group_def *g = &w->groups[i];

		snprintf(g->id, sizeof(g->id), "sg-%c", (char)('a' + i));
		snprintf(g->owner, sizeof(g->owner), "%s",
		    chance(p, 80) ? "acct1" : "acct2");
		g->type = chance(p, 20) ? ENG_GROUP_ENTERPRISE : ENG_GROUP_BASIC;
		g->inner_accept = (uint8_t)chance(p, 30);
	}
	for (size_t i = 0; i < w->ngroups; i++) {
		size_t n = big ? 100 + rn(p, 90) : rn(p, 17);

		for (size_t k = 0; k < n; k++) {
			rule_gen(p, w, &w->groups[i], big,
			    &w->rules[w->nrules]);
			w->nrules++;
		}
	}
	w->nenis = 2 + rn(p, 6);
	for (size_t i = 0; i < w->nenis; i++) {
		struct ref_eni *e = &w->enis[i];

		snprintf(e->id, sizeof(e->id), "eni-%zu", i);
		snprintf(e->vpc, sizeof(e->vpc), "%s",
		    chance(p, 70) ? "vpc-a" : "");
		eni_groups_pick(p, w, e);
		eni_addrs_pick(p, e);
	}
	if (chance(p, 50)) {
		snprintf(w->pfx_vpc[w->npfx], RULE_ID_MAX, "vpc-a");
		assert_int_equal(cidr_parse("2001:db8::/64", &w->pfx[w->npfx++]), 0);
	}
	if (chance(p, 25)) {
		snprintf(w->pfx_vpc[w->npfx], RULE_ID_MAX, "vpc-a");
		assert_int_equal(cidr_parse("198.18.0.0/24", &w->pfx[w->npfx++]), 0);
	}
	w->tcp25_open = chance(p, 20);
}

/* An address of ENI e in this family (or its public one), else any. */
static void
flow_addr(struct prng *p, const struct ref_world *w, int ei, int family,
    uint8_t *out)
{
	struct cidr c;

	if (ei >= 0 && chance(p, 80)) {
		const struct ref_eni *e = &w->enis[ei];
		size_t n = 0, pick;

		for (size_t k = 0; k < e->naddrs; k++)
			n += e->addrs[k].family == family;
		n += e->pub.family == family;
		if (n > 0) {
			pick = rn(p, (unsigned)n);
			for (size_t k = 0; k < e->naddrs; k++)
				if (e->addrs[k].family == family && pick-- == 0) {
					memcpy(out, e->addrs[k].addr, 16);
					return;
				}
			memcpy(out, e->pub.addr, 16);
			return;
		}
	}
	if (chance(p, 30) && w->nenis > 0) {	/* some member's address */
		const struct ref_eni *o = &w->enis[rn(p, (unsigned)w->nenis)];

		for (size_t k = 0; k < o->naddrs; k++)
			if (o->addrs[k].family == family) {
				memcpy(out, o->addrs[k].addr, 16);
				return;
			}
	}
	addr_pick(p, family, &c);
	memcpy(out, c.addr, 16);
}

static void
flow_gen(struct prng *p, const struct ref_world *w, int *si, int *di,
    struct eng_flow *f)
{
	static const uint8_t protos[] = { 6, 6, 6, 6, 17, 17, 17, 1, 58, 47 };
	unsigned k;

	memset(f, 0, sizeof(*f));
	*si = chance(p, 35) ? -1 : (int)rn(p, (unsigned)w->nenis);
	*di = chance(p, 35) && *si >= 0 ? -1 : (int)rn(p, (unsigned)w->nenis);
	f->family = chance(p, 70) ? CIDR_V4 : CIDR_V6;
	f->proto = chance(p, 5) ? (uint8_t)rnd(p) : protos[rn(p, NELEM(protos))];
	if (f->proto == 1 && f->family == CIDR_V6 && chance(p, 80))
		f->proto = 58;
	if (f->proto == 58 && f->family == CIDR_V4 && chance(p, 80))
		f->proto = 1;
	if (f->proto == 6 || f->proto == 17) {
		f->sport = port_pick(p);
		f->dport = port_pick(p);
	} else if (f->proto == 1 || f->proto == 58) {
		f->icmp_type = (uint8_t)rn(p, 256);
		f->icmp_code = (uint8_t)rn(p, 16);
	}
	k = rn(p, 100);
	f->ct = k < 85 ? ENG_CT_NEW : k < 90 ? ENG_CT_ESTABLISHED :
	    k < 95 ? ENG_CT_RELATED : ENG_CT_INVALID;
	flow_addr(p, w, *si, f->family, f->src);
	flow_addr(p, w, *di, f->family, f->dst);
	if (*si >= 0)
		snprintf(f->src_eni, sizeof(f->src_eni), "%s", w->enis[*si].id);
	if (*di >= 0)
		snprintf(f->dst_eni, sizeof(f->dst_eni), "%s", w->enis[*di].id);
}

/* addr += d (d = +1 / -1) with carry, in place, over nb bytes. */
static void
addr_step(uint8_t *a, int nb, int d)
{
	for (int i = nb - 1; i >= 0; i--) {
		a[i] = (uint8_t)(a[i] + d);
		if ((d > 0 && a[i] != 0) || (d < 0 && a[i] != 0xff))
			break;
	}
}

/* An address at or just past an edge of prefix c (or inside it). */
static void
edge_addr(struct prng *p, const struct cidr *c, uint8_t *out)
{
	int nb = c->family == CIDR_V4 ? 4 : 16;
	unsigned k = rn(p, 6);

	memset(out, 0, 16);
	for (int i = 0; i < nb; i++) {
		int bits = (int)c->len - 8 * i;
		uint8_t mask = bits >= 8 ? 0xff : bits <= 0 ? 0 :
		    (uint8_t)(0xff << (8 - bits));

		out[i] = (uint8_t)(c->addr[i] & mask);
		if (k == 1 || k == 3)		/* broadcast side */
			out[i] |= (uint8_t)~mask;
		else if (k == 4)		/* somewhere inside */
			out[i] |= (uint8_t)(rnd(p) & ~mask);
	}
	if (k == 2)
		addr_step(out, nb, -1);		/* just below */
	else if (k == 3)
		addr_step(out, nb, +1);		/* just above */
}

static uint16_t
edge_port(struct prng *p, const struct rule_ports *r)
{
	switch (rn(p, 5)) {
	case 0:
		return r->lo;
	case 1:
		return r->hi;
	case 2:
		return (uint16_t)(r->lo - 1);
	case 3:
		return (uint16_t)(r->hi + 1);
	default:
		if (r->lo > r->hi)
			return r->lo;
		return (uint16_t)(r->lo + rn(p, (unsigned)(r->hi - r->lo) + 1));
	}
}

/* Re-aims f at one rule of the gate's ENI: its protocol, its ports and
 * prefixes at their edges (or a member of its peer group). */
static void
flow_aim(struct prng *p, const struct ref_world *w, int si, int di,
    struct eng_flow *f)
{
	int dir = di >= 0 && (si < 0 || chance(p, 50)) ? RULE_INGRESS :
	    RULE_EGRESS;
	const struct ref_eni *e = &w->enis[dir == RULE_INGRESS ? di : si];
	const struct rule *cand[REF_RULES], *r;
	uint8_t *remote = dir == RULE_INGRESS ? f->src : f->dst;
	uint8_t *local = dir == RULE_INGRESS ? f->dst : f->src;
	size_t n = 0;

	for (size_t i = 0; i < w->nrules; i++)
		for (size_t k = 0; k < e->ngroups; k++)
			if (w->rules[i].dir == dir &&
			    strcmp(w->rules[i].group_id, e->groups[k]) == 0)
				cand[n++] = &w->rules[i];
	if (n == 0)
		return;
	r = cand[rn(p, (unsigned)n)];
	if (r->peer_kind == RULE_PEER_CIDR)
		f->family = r->peer_cidr.family;
	else if (r->has_local)
		f->family = r->local.family;
	switch (r->proto) {
	case RULE_TCP:
		f->proto = 6;
		break;
	case RULE_UDP:
		f->proto = 17;
		break;
	case RULE_ICMP:
		f->proto = 1;
		break;
	case RULE_ICMPV6:
		f->proto = 58;
		break;
	case RULE_GRE:
		f->proto = 47;
		break;
	default:
		break;
	}
	if ((r->proto == RULE_TCP || r->proto == RULE_UDP) &&
	    (r->dport.lo || r->dport.hi))
		f->dport = edge_port(p, &r->dport);
	if ((r->proto == RULE_TCP || r->proto == RULE_UDP) &&
	    (r->sport.lo || r->sport.hi))
		f->sport = edge_port(p, &r->sport);
	if (r->peer_kind == RULE_PEER_CIDR)
		edge_addr(p, &r->peer_cidr, remote);
	else
		flow_addr(p, w, -1, f->family, remote);
	if (r->has_local && r->local.family == f->family)
		edge_addr(p, &r->local, local);
	else
		flow_addr(p, w, dir == RULE_INGRESS ? di : si, f->family, local);
}

static void
report(const struct ref_world *w, const struct eng_flow *f, int dir,
    const struct eng_verdict *v, const struct ref_item *r, const char *what)
{
	char fb[512], ib[256];

	eng_flow_format(f, fb, sizeof(fb));
	eng_item_format(&v->item, ib, sizeof(ib));
	print_error("%s disagrees at %s gate\n  flow: %s\n  engine: %s "
	    "accept=%d\n  reference: kind=%d policy=%d prio=%d rule=%s "
	    "group=%s port=%d\n  world: %zu groups %zu rules %zu enis\n",
	    what, dir == RULE_EGRESS ? "egress" : "ingress", fb, ib,
	    v->accept, r->kind, r->policy, r->priority, r->rule_id,
	    r->group_id, r->port, w->ngroups, w->nrules, w->nenis);
}

/* Is the deciding item listed as shadowed? (It must not be.) */
static int
decider_shadowed(const struct eng_model *m, const struct eng_eni *e, int dir,
    const struct eng_item *it)
{
	struct eng_eff eff[REF_RULES + 2 * REF_GROUPS + 1];
	size_t n;

	if (it->kind != ENG_ITEM_RULE && it->kind != ENG_ITEM_INNER)
		return 0;
	assert_int_equal(eng_effective(m, e, dir, eff, NELEM(eff), &n), 0);
	for (size_t i = 0; i < n; i++)
		if (eff[i].item.kind == it->kind && eff[i].item.rule == it->rule &&
		    eff[i].item.policy == it->policy &&
		    eff[i].item.group_id == it->group_id)
			return eff[i].shadowed;
	return 1;	/* not listed at all: as bad */
}

/* How the decisions spread, to see that the pools reach every stage. */
struct prop_hist {
	unsigned long kind[ENG_ITEM_CT + 1];
	unsigned long accept;
	unsigned long group_peer;	/* decided by a group-peer rule */
	unsigned long multi;		/* explain found >= 3 items */
};

static void
check_gate(const struct ref_world *w, const struct eng_model *m, size_t ei,
    int dir, const struct eng_flow *f, unsigned long ncase,
    struct prop_hist *h)
{
	const struct eng_eni *e = eng_eni_find(m, w->enis[ei].id);
	struct eng_verdict v, vl;
	struct eng_item items[8];
	struct ref_item r;
	size_t n;

	assert_non_null(e);
	ref_gate(w, ei, dir, f, &r);
	assert_int_equal(eng_gate(m, e, dir, f, &v), 0);
	h->kind[v.item.kind]++;
	h->accept += v.accept;
	h->group_peer += v.item.rule &&
	    v.item.rule->peer_kind == RULE_PEER_GROUP;
	if (!ref_same(&v, &r)) {
		report(w, f, dir, &v, &r, "eng_gate");
		fail();
	}
	assert_int_equal(eng_gate_linear(m, e, dir, f, &vl), 0);
	if (!ref_same(&vl, &r)) {
		report(w, f, dir, &vl, &r, "eng_gate_linear");
		fail();
	}
	if (ncase % 16 != 0)
		return;
	assert_int_equal(eng_explain(m, e, dir, f, items, NELEM(items), &n,
	    NULL), 0);
	assert_true(n >= 1);
	h->multi += n >= 3;
	assert_int_equal(items[0].kind, v.item.kind);
	assert_int_equal(items[0].policy, v.item.policy);
	assert_int_equal(items[0].priority, v.item.priority);
	assert_int_equal(items[0].port, v.item.port);
	assert_int_equal(items[0].ct, v.item.ct);
	assert_ptr_equal(items[0].rule, v.item.rule);
	assert_ptr_equal(items[0].group_id, v.item.group_id);
	if (n <= NELEM(items))
		assert_int_equal(items[n - 1].kind, ENG_ITEM_DEFAULT);
	if (decider_shadowed(m, e, dir, &v.item)) {
		report(w, f, dir, &v, &r, "eng_effective (decider shadowed)");
		fail();
	}
}

/* Changes the world and the model the same way; returns 1 if only
 * addresses changed (no profile may be recompiled), 2 if moreover the ENI
 * is in a group (whose address set must be rebuilt). */
static int
mutate(struct prng *p, struct ref_world *w, struct eng_model *m)
{
	size_t ei = rn(p, (unsigned)w->nenis);
	struct ref_eni *e = &w->enis[ei];
	unsigned k = rn(p, 100);
	const char *gs[ENG_GROUPS_MAX];
	struct eng_eni_def d;

	if (k < 20) {			/* a rule changes or goes */
		struct rule *r;

		if (w->nrules == 0)
			return 0;
		r = &w->rules[rn(p, (unsigned)w->nrules)];
		if (chance(p, 50)) {
			r->priority = pool_prio[rn(p, NELEM(pool_prio))];
			r->policy ^= 1;
			assert_int_equal(eng_rule_put(m, r), 0);
		} else {
			assert_int_equal(eng_rule_del(m, r->group_id, r->id), 0);
			*r = w->rules[--w->nrules];
		}
		return 0;
	}
	if (k < 30) {			/* InnerAccessPolicy flips */
		struct eng_group_def *g = &w->groups[rn(p, (unsigned)w->ngroups)];

		g->inner_accept ^= 1;
		assert_int_equal(eng_group_put(m, g), 0);
		return 0;
	}
	if (k < 65)
		eni_groups_pick(p, w, e);
	else
		eni_addrs_pick(p, e);
	for (size_t i = 0; i < e->ngroups; i++)
		gs[i] = e->groups[i];
	memset(&d, 0, sizeof(d));
	d.id = e->id;
	d.vpc_id = e->vpc;
	d.groups = gs;
	d.ngroups = e->ngroups;
	d.addrs = e->addrs;
	d.naddrs = e->naddrs;
	d.pub = e->pub;
	assert_int_equal(eng_eni_put(m, &d), 0);
	return k < 65 ? 0 : e->ngroups ? 2 : 1;
}

static void
test_prop(void **state)
{
	const char *env_n = getenv("ENG_PROP_CASES");
	const char *env_s = getenv("ENG_PROP_SEED");
	unsigned long target = env_n ? strtoul(env_n, NULL, 10) :
	    PROP_DEFAULT_CASES;
	struct prng p = { env_s ? strtoull(env_s, NULL, 10) : 20240601ULL };
	struct ref_world *w = malloc(sizeof(*w));
	unsigned long ncase = 0, worlds = 0, gates = 0;
	struct prop_hist h;

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_non_null(w);
	while (ncase < target) {
		struct eng_model *m;

		world_gen(&p, w);
		assert_int_equal(eng_model_new(&m), 0);
		assert_int_equal(ref_load(w, m), 0);
		worlds++;
		for (int round = 0; round < PROP_ROUNDS && ncase < target;
		    round++) {
			for (int i = 0; i < PROP_FLOWS_PER_ROUND &&
			    ncase < target; i++) {
				struct eng_flow f;
				struct eng_result res;
				int si, di;

				flow_gen(&p, w, &si, &di, &f);
				if (chance(&p, 50))
					flow_aim(&p, w, si, di, &f);
				if (si >= 0)
					check_gate(w, m, (size_t)si, RULE_EGRESS,
					    &f, ncase, &h), gates++;
				if (di >= 0)
					check_gate(w, m, (size_t)di,
					    RULE_INGRESS, &f, ncase, &h), gates++;
				assert_int_equal(eng_decide(m, &f, &res), 0);
				ncase++;
			}
			{
				struct eng_stats before, after;
				int addr_only;

				eng_model_stats(m, &before);
				addr_only = mutate(&p, w, m);
				assert_int_equal(eng_compile(m), 0);
				eng_model_stats(m, &after);
				if (addr_only)
					assert_true(after.profile_compiles ==
					    before.profile_compiles);
				if (addr_only == 2)
					assert_true(after.set_builds >
					    before.set_builds);
			}
		}
		eng_model_free(m);
	}
	print_message("eng_prop: %lu cases (%lu gates) over %lu worlds, "
	    "0 disagreements\n", ncase, gates, worlds);
	print_message("eng_prop: deciders rule %lu (group peer %lu), inner "
	    "%lu, block %lu, default %lu, conntrack %lu; accepted %lu; "
	    ">= 3 matching items %lu of %lu explained\n",
	    h.kind[ENG_ITEM_RULE], h.group_peer, h.kind[ENG_ITEM_INNER],
	    h.kind[ENG_ITEM_BLOCK], h.kind[ENG_ITEM_DEFAULT],
	    h.kind[ENG_ITEM_CT], h.accept, h.multi, ncase / 16);
	free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
