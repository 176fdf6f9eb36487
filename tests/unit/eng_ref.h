/*
 * eng_ref: a deliberately simple reference evaluator for the decision
 * engine, written from eng.h's semantics without sharing any of its code
 * (only lib/cidr for prefix tests). A "world" is plain arrays — groups,
 * rules, ENIs, VPC prefixes — that ref_load() also feeds to an eng model.
 * ref_gate() checks every candidate item of the ENI's groups and keeps the
 * smallest by (class, priority, drop first, group id, rule id); group
 * membership is a scan over all ENIs. No sorting, no index, no cache.
 * Header-only, used by eng_prop_test.c and bench/eng_bench.c.
 */
#ifndef SEKISHO_ENG_REF_H
#define SEKISHO_ENG_REF_H

#include <stdint.h>
#include <string.h>

#include "lib/cidr.h"
#include "sg/eng.h"
#include "sg/rule.h"

#define REF_GROUPS 32
#define REF_RULES 1200
#define REF_ENIS 32
#define REF_ADDRS 6
#define REF_PFX 8
#define REF_UNUSED __attribute__((unused))

struct ref_eni {
	char id[RULE_ID_MAX];
	char vpc[RULE_ID_MAX];		/* "" = classic */
	char groups[ENG_GROUPS_MAX][RULE_ID_MAX];
	size_t ngroups;
	struct cidr addrs[REF_ADDRS];
	size_t naddrs;
	struct cidr pub;
};

struct ref_world {
	struct eng_group_def groups[REF_GROUPS];
	size_t ngroups;
	struct rule rules[REF_RULES];
	size_t nrules;
	struct ref_eni enis[REF_ENIS];
	size_t nenis;
	char pfx_vpc[REF_PFX][RULE_ID_MAX];
	struct cidr pfx[REF_PFX];
	size_t npfx;
	int tcp25_open;
};

/* The deciding item as the reference sees it. */
struct ref_item {
	int kind;			/* enum eng_item_kind */
	int policy;
	int priority;
	int ct;
	int port;
	const char *group_id;		/* "" when none */
	const char *rule_id;		/* "" when none */
	int cls;			/* order: 0 inner accept, 1 rule, 2 drop */
};

static REF_UNUSED const struct eng_group_def *
ref_group(const struct ref_world *w, const char *id)
{
	for (size_t i = 0; i < w->ngroups; i++)
		if (strcmp(w->groups[i].id, id) == 0)
			return &w->groups[i];
	return NULL;
}

/* Loads w into an empty model m and compiles it. */
static REF_UNUSED int
ref_load(const struct ref_world *w, struct eng_model *m)
{
	int r;

	eng_model_set_tcp25_open(m, w->tcp25_open);
	for (size_t i = 0; i < w->ngroups; i++)
		if ((r = eng_group_put(m, &w->groups[i])) < 0)
			return r;
	for (size_t i = 0; i < w->nrules; i++)
		if ((r = eng_rule_put(m, &w->rules[i])) < 0)
			return r;
	for (size_t i = 0; i < w->npfx; i++)
		if ((r = eng_vpc_prefix_add(m, w->pfx_vpc[i], &w->pfx[i])) < 0)
			return r;
	for (size_t i = 0; i < w->nenis; i++) {
		const struct ref_eni *e = &w->enis[i];
		const char *gs[ENG_GROUPS_MAX];
		struct eng_eni_def d = { .id = e->id, .vpc_id = e->vpc,
		    .groups = gs, .ngroups = e->ngroups, .addrs = e->addrs,
		    .naddrs = e->naddrs, .pub = e->pub };

		for (size_t k = 0; k < e->ngroups; k++)
			gs[k] = e->groups[k];
		if ((r = eng_eni_put(m, &d)) < 0)
			return r;
	}
	return eng_compile(m);
}

static REF_UNUSED int
ref_same_addr(const struct cidr *c, int family, const uint8_t *a)
{
	return c->family == family &&
	    memcmp(c->addr, a, family == CIDR_V4 ? 4 : 16) == 0;
}

static REF_UNUSED int
ref_member(const struct ref_world *w, const char *gid, int family,
    const uint8_t *a)
{
	for (size_t i = 0; i < w->nenis; i++) {
		const struct ref_eni *e = &w->enis[i];
		int in = 0;

		for (size_t k = 0; k < e->ngroups; k++)
			in |= strcmp(e->groups[k], gid) == 0;
		for (size_t k = 0; in && k < e->naddrs; k++)
			if (ref_same_addr(&e->addrs[k], family, a))
				return 1;
	}
	return 0;
}

static REF_UNUSED int
ref_internet(const struct ref_world *w, const struct ref_eni *e, int nic,
    int family, const uint8_t *remote)
{
	static const char *const priv[] = { "10.0.0.0/8", "172.16.0.0/12",
	    "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
	    "169.254.0.0/16", "0.0.0.0/8", "::1/128", "::/128", "fe80::/10",
	    "fc00::/7" };
	struct cidr c;

	if (e->vpc[0] == '\0')
		return nic == RULE_NIC_INTERNET;
	for (size_t i = 0; i < sizeof(priv) / sizeof(*priv); i++)
		if (cidr_parse(priv[i], &c) == 0 &&
		    cidr_contains_addr(&c, family, remote))
			return 0;
	for (size_t i = 0; i < w->npfx; i++)
		if (strcmp(w->pfx_vpc[i], e->vpc) == 0 &&
		    cidr_contains_addr(&w->pfx[i], family, remote))
			return 0;
	return 1;
}

static REF_UNUSED int
ref_port_ok(const struct rule_ports *p, unsigned v)
{
	if (p->lo == 0 && p->hi == 0)
		return 1;
	return p->lo <= v && v <= p->hi;
}

static REF_UNUSED int
ref_rule_match(const struct ref_world *w, const struct rule *r,
    const struct eng_group_def *own, int classic, int nic,
    const struct eng_flow *f, const uint8_t *local, const uint8_t *remote)
{
	const struct eng_group_def *pg;
	int fam = f->family;

	if (classic && r->nic != nic)
		return 0;
	switch (r->proto) {
	case RULE_TCP:
		if (f->proto != 6)
			return 0;
		break;
	case RULE_UDP:
		if (f->proto != 17)
			return 0;
		break;
	case RULE_ICMP:
		if (f->proto != 1 || fam != CIDR_V4)
			return 0;
		break;
	case RULE_ICMPV6:
		if (f->proto != 58 || fam != CIDR_V6)
			return 0;
		break;
	case RULE_GRE:
		if (f->proto != 47)
			return 0;
		break;
	default:
		break;
	}
	if ((r->proto == RULE_TCP || r->proto == RULE_UDP) &&
	    (!ref_port_ok(&r->dport, f->dport) ||
	    !ref_port_ok(&r->sport, f->sport)))
		return 0;
	if (r->has_local && !cidr_contains_addr(&r->local, fam, local))
		return 0;
	switch (r->peer_kind) {
	case RULE_PEER_CIDR:
		return cidr_contains_addr(&r->peer_cidr, fam, remote);
	case RULE_PEER_GROUP:
		pg = ref_group(w, r->peer_group);
		if (pg == NULL || strcmp(pg->owner, r->peer_owner[0] ?
		    r->peer_owner : own->owner) != 0)
			return 0;
		return ref_member(w, pg->id, fam, remote);
	default:
		return 0;
	}
}

/* a before b in evaluation order? */
static REF_UNUSED int
ref_before(const struct ref_item *a, const struct ref_item *b)
{
	int c;

	if (a->cls != b->cls)
		return a->cls < b->cls;
	if (a->priority != b->priority)
		return a->priority < b->priority;
	if (a->policy != b->policy)
		return a->policy == RULE_DROP;
	if ((c = strcmp(a->group_id, b->group_id)) != 0)
		return c < 0;
	return strcmp(a->rule_id, b->rule_id) < 0;
}

static REF_UNUSED void
ref_offer(struct ref_item *best, int *have, const struct ref_item *cand)
{
	if (!*have || ref_before(cand, best)) {
		*best = *cand;
		*have = 1;
	}
}

/* The gate of ENI index ei in direction dir. */
static REF_UNUSED void
ref_gate(const struct ref_world *w, size_t ei, int dir,
    const struct eng_flow *f, struct ref_item *out)
{
	const struct ref_eni *e = &w->enis[ei];
	const uint8_t *local = dir == RULE_EGRESS ? f->src : f->dst;
	const uint8_t *remote = dir == RULE_EGRESS ? f->dst : f->src;
	int classic = e->vpc[0] == '\0', nic = RULE_NIC_INTRANET, have = 0;
	size_t enterprise = 0;
	struct ref_item cand;

	memset(out, 0, sizeof(*out));
	out->group_id = out->rule_id = "";
	if (f->ct != ENG_CT_NEW) {
		out->kind = ENG_ITEM_CT;
		out->ct = f->ct;
		out->policy = f->ct == ENG_CT_INVALID ? RULE_DROP : RULE_ACCEPT;
		return;
	}
	if (classic && ref_same_addr(&e->pub, f->family, local))
		nic = RULE_NIC_INTERNET;
	if ((f->proto == 6 || f->proto == 17) &&
	    ((f->proto == 6 && f->dport == 25 && dir == RULE_EGRESS &&
	    !w->tcp25_open) || f->dport == 135 || f->dport == 139 ||
	    f->dport == 444 || f->dport == 445 || f->dport == 5800 ||
	    f->dport == 5900) &&
	    ref_internet(w, e, nic, f->family, remote)) {
		out->kind = ENG_ITEM_BLOCK;
		out->policy = RULE_DROP;
		out->port = f->dport;
		return;
	}
	for (size_t k = 0; k < e->ngroups; k++) {
		const struct eng_group_def *g = ref_group(w, e->groups[k]);
		int same = ref_member(w, g->id, f->family, remote) &&
		    nic == RULE_NIC_INTRANET;

		enterprise += g->type == ENG_GROUP_ENTERPRISE;
		memset(&cand, 0, sizeof(cand));
		cand.group_id = g->id;
		cand.rule_id = "";
		cand.kind = ENG_ITEM_INNER;
		if (g->type == ENG_GROUP_BASIC && g->inner_accept && same) {
			cand.cls = 0;
			cand.policy = RULE_ACCEPT;
			cand.priority = ENG_PRIO_INNER_ACCEPT;
			ref_offer(out, &have, &cand);
		}
		if (g->type == ENG_GROUP_BASIC && !g->inner_accept && same &&
		    dir == RULE_INGRESS) {
			cand.cls = 2;
			cand.policy = RULE_DROP;
			cand.priority = ENG_PRIO_DEFAULT;
			ref_offer(out, &have, &cand);
		}
		for (size_t i = 0; i < w->nrules; i++) {
			const struct rule *r = &w->rules[i];

			if (r->dir != dir || strcmp(r->group_id, g->id) != 0 ||
			    !ref_rule_match(w, r, g, classic, nic, f, local,
			    remote))
				continue;
			cand.kind = ENG_ITEM_RULE;
			cand.cls = 1;
			cand.policy = r->policy;
			cand.priority = r->priority;
			cand.rule_id = r->id;
			ref_offer(out, &have, &cand);
		}
	}
	if (!have) {
		memset(out, 0, sizeof(*out));
		out->group_id = out->rule_id = "";
		out->kind = ENG_ITEM_DEFAULT;
		out->priority = ENG_PRIO_DEFAULT;
		out->policy = dir == RULE_EGRESS && !(e->ngroups > 0 &&
		    enterprise == e->ngroups) ? RULE_ACCEPT : RULE_DROP;
	}
}

/* 1 if the engine's item names the same decision as the reference's. */
static REF_UNUSED int
ref_same(const struct eng_verdict *v, const struct ref_item *r)
{
	const struct eng_item *it = &v->item;

	if (it->kind != r->kind || it->policy != r->policy ||
	    v->accept != (r->policy == RULE_ACCEPT))
		return 0;
	switch (r->kind) {
	case ENG_ITEM_RULE:
		return it->priority == r->priority && it->rule &&
		    strcmp(it->rule->id, r->rule_id) == 0 && it->group_id &&
		    strcmp(it->group_id, r->group_id) == 0;
	case ENG_ITEM_INNER:
		return it->priority == r->priority && it->group_id &&
		    strcmp(it->group_id, r->group_id) == 0;
	case ENG_ITEM_BLOCK:
		return it->port == r->port;
	case ENG_ITEM_CT:
		return it->ct == r->ct;
	default:
		return it->priority == r->priority;
	}
}

#endif
