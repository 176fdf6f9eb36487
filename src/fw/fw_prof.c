/*
 * fw_prof: one profile (network kind, VPC, sorted group set) -> its gate
 * chains, following src/sg/eng.h stage by stage:
 *
 *   2. operator blocks: one rule per family (VPC: remote address outside
 *      the VPC's intranet set z<Z>_intra4/6; classic: every packet of the
 *      internet NIC chain, none on the intranet NIC) looking the protocol
 *      and destination port up in the shared sk_block_in / sk_block_eg
 *      (named, not anonymous: the kernel walks the whole transaction for
 *      every anonymous set a rule binds, which made a full load of 1000
 *      profiles take a minute);
 *   3. inner Accept of each basic group (VPC, classic intranet NIC);
 *   4. the merged rules in evaluation order (priority, drop first, group
 *      id, rule id), cut into maximal same-verdict runs per address family.
 *      Inside a run order does not matter, so rules of the set shapes
 *        CIDR peer x TCP/UDP x destination ports   -> <chain>_r<k>_<f>s
 *        CIDR peer x any other protocol (or ALL)   -> <chain>_r<k>_<f>p
 *      (no local restriction, no source port) become one lookup in an
 *      interval concatenation set when FW_RUN_SET_MIN or more rules share
 *      the shape;
 *      everything else is one rule each;
 *   5. inner Drop (ingress only);
 *   6. the default: ingress drop; egress return (accept), or drop when
 *      every group is an enterprise group.
 * At the egress gate "accept" is `return` (the ingress dispatch still has
 * to run), "deny" is `drop`. Items that can match no packet of a family
 * (an unresolved group reference, a prefix list, ICMP with an IPv6 peer,
 * a local restriction of the other family) are left out of that family.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/fw_int.h"
#include "lib/err.h"

/*
 * A run becomes a set lookup from this many rules of one shape. Below it,
 * separate rules cost less: ≈8.7 ns per non-matching rule against ≈110 ns
 * per concatenated-range lookup (dataplane.md [L2]), and every named set
 * costs the kernel a pipapo allocation and a linear name lookup per
 * reference at load time (1000 profiles with a set per 2-rule run took
 * 7 s to load instead of ~1 s).
 */
#define FW_RUN_SET_MIN 4

struct fw_item {
	uint8_t inner;			/* an intra-group item */
	uint8_t policy;
	const struct rule *rule;	/* NULL for inner items */
	long peer;			/* peer group index, -1 = CIDR */
	const char *comment;		/* rule id or group id */
};

/* What one chain is being built from. */
struct fw_chain {
	const struct fw_input *in;
	const struct fw_prof *p;
	struct fw_refs *refs;
	int dir;			/* RULE_INGRESS | RULE_EGRESS */
	int nic;			/* classic: RULE_NIC_*; VPC: intranet */
	char name[40];
	struct fw_item *items;
	size_t nitems;
	size_t obj;			/* the chain object */
};

static long
fw_group_index(const struct fw_input *in, const char *id)
{
	size_t lo = 0, hi = in->ngroups;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(in->groups[mid].id, id);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int
fw_rule_order(const void *a, const void *b)
{
	const struct rule *x = *(const struct rule *const *)a;
	const struct rule *y = *(const struct rule *const *)b;
	int c;

	if (x->priority != y->priority)
		return x->priority < y->priority ? -1 : 1;
	if (x->policy != y->policy)
		return x->policy == RULE_DROP ? -1 : 1;
	if ((c = strcmp(x->group_id, y->group_id)) != 0)
		return c;
	return strcmp(x->id, y->id);
}

/* The peer group of r as the engine resolves it, or -1 (matches nothing). */
static long
fw_rule_peer(const struct fw_input *in, const struct rule *r)
{
	long own = fw_group_index(in, r->group_id);
	long pg = fw_group_index(in, r->peer_group);

	if (own < 0 || pg < 0)
		return -1;
	return strcmp(in->groups[pg].owner, r->peer_owner[0] ? r->peer_owner :
	    in->groups[own].owner) == 0 ? pg : -1;
}

static void
fw_item_inner(struct fw_chain *c, size_t g, int policy)
{
	struct fw_item *it = &c->items[c->nitems++];

	memset(it, 0, sizeof(*it));
	it->inner = 1;
	it->policy = (uint8_t)policy;
	it->peer = (long)g;
	it->comment = c->in->groups[g].id;
}

/* Fills c->items in evaluation order (stages 3-5). */
static int
fw_items_build(struct fw_chain *c)
{
	const struct fw_input *in = c->in;
	const struct fw_prof *p = c->p;
	const struct rule **rs = NULL;
	int inner_ok = p->vpc >= 0 || c->nic == RULE_NIC_INTRANET;
	size_t nr = 0;

	for (size_t i = 0; i < p->ngroups; i++)
		nr += in->groups[p->groups[i]].nrules;
	rs = malloc((nr + 1) * sizeof(*rs));
	c->items = malloc((nr + 2 * p->ngroups + 1) * sizeof(*c->items));
	if (rs == NULL || c->items == NULL) {
		free(rs);
		return -ERR_NOMEM;
	}
	nr = 0;
	for (size_t i = 0; i < p->ngroups; i++) {
		const struct fw_group *g = &in->groups[p->groups[i]];

		for (size_t k = 0; k < g->nrules; k++)
			if (g->rules[k].dir == c->dir && (p->vpc >= 0 ||
			    g->rules[k].nic == c->nic))
				rs[nr++] = &g->rules[k];
	}
	qsort(rs, nr, sizeof(*rs), fw_rule_order);
	for (size_t i = 0; inner_ok && i < p->ngroups; i++) {
		const struct fw_group *g = &in->groups[p->groups[i]];

		if (g->type == ENG_GROUP_BASIC && g->inner_accept)
			fw_item_inner(c, p->groups[i], RULE_ACCEPT);
	}
	for (size_t k = 0; k < nr; k++) {
		struct fw_item *it = &c->items[c->nitems];

		memset(it, 0, sizeof(*it));
		it->policy = rs[k]->policy;
		it->rule = rs[k];
		it->comment = rs[k]->id;
		it->peer = -1;
		if (rs[k]->peer_kind == RULE_PEER_PREFIX_LIST)
			continue;	/* matches nothing */
		if (rs[k]->peer_kind == RULE_PEER_GROUP &&
		    (it->peer = fw_rule_peer(in, rs[k])) < 0)
			continue;	/* unresolved: matches nothing */
		c->nitems++;
	}
	for (size_t i = 0; inner_ok && c->dir == RULE_INGRESS &&
	    i < p->ngroups; i++) {
		const struct fw_group *g = &in->groups[p->groups[i]];

		if (g->type == ENG_GROUP_BASIC && !g->inner_accept)
			fw_item_inner(c, p->groups[i], RULE_DROP);
	}
	free(rs);
	return 0;
}

/* Can the item match a packet of family f (4 or 6)? */
static int
fw_item_family(const struct fw_item *it, int f)
{
	const struct rule *r = it->rule;

	if (r == NULL)
		return 1;
	if ((r->peer_kind == RULE_PEER_CIDR && r->peer_cidr.family != f) ||
	    (r->has_local && r->local.family != f))
		return 0;
	return rule_proto_family_ok(r->proto, f);
}

static int
fw_ported(const struct rule *r)
{
	return r->proto == RULE_TCP || r->proto == RULE_UDP;
}

/* 1 = S set shape, 2 = P set shape, 0 = a rule of its own. */
static int
fw_item_shape(const struct fw_item *it)
{
	const struct rule *r = it->rule;

	if (r == NULL || r->peer_kind != RULE_PEER_CIDR || r->has_local)
		return 0;
	if (fw_ported(r))
		return r->sport.lo == 0 && r->sport.hi == 0 ? 1 : 0;
	return 2;
}

static const char *
fw_verdict(const struct fw_chain *c, int policy)
{
	if (policy == RULE_DROP)
		return "drop";
	return c->dir == RULE_EGRESS ? "return" : "accept";
}

static void
fw_proto_range(const struct rule *r, uint8_t *lo, uint8_t *hi)
{
	static const uint8_t num[] = {
		[RULE_TCP] = 6, [RULE_UDP] = 17, [RULE_ICMP] = 1,
		[RULE_ICMPV6] = 58, [RULE_GRE] = 47, [RULE_ALL] = 0,
	};

	*lo = num[r->proto];
	*hi = r->proto == RULE_ALL ? 255 : num[r->proto];
}

/* The match part of one item's rule for family f. */
static void
fw_item_match(const struct fw_chain *c, const struct fw_item *it, int f,
    struct sb *s)
{
	const char *af = f == CIDR_V4 ? "ip" : "ip6";
	const char *rs = c->dir == RULE_INGRESS ? "saddr" : "daddr";
	const char *ls = c->dir == RULE_INGRESS ? "daddr" : "saddr";
	const struct rule *r = it->rule;
	char buf[CIDR_STR_MAX], pb[16];
	size_t start = s->len;

	if (it->peer >= 0)
		sb_addf(s, " %s %s @g_%s_%d", af, rs,
		    c->in->groups[it->peer].id, f);
	else if (r->peer_cidr.len > 0) {
		fw_cidr_text(&r->peer_cidr, buf, sizeof(buf));
		sb_addf(s, " %s %s %s", af, rs, buf);
	}
	if (r && r->has_local && r->local.len > 0) {
		fw_cidr_text(&r->local, buf, sizeof(buf));
		sb_addf(s, " %s %s %s", af, ls, buf);
	}
	if (s->len == start)
		sb_addf(s, " meta nfproto %s", f == CIDR_V4 ? "ipv4" : "ipv6");
	if (r == NULL || r->proto == RULE_ALL)
		return;
	if (fw_ported(r)) {
		const char *pn = r->proto == RULE_TCP ? "tcp" : "udp";
		int any = 1;

		if (r->sport.lo || r->sport.hi) {
			fw_ports_text(r->sport.lo, r->sport.hi, pb, sizeof(pb));
			sb_addf(s, " %s sport %s", pn, pb);
			any = 0;
		}
		if (r->dport.lo || r->dport.hi) {
			fw_ports_text(r->dport.lo, r->dport.hi, pb, sizeof(pb));
			sb_addf(s, " %s dport %s", pn, pb);
			any = 0;
		}
		if (any)
			sb_addf(s, " meta l4proto %s", pn);
		return;
	}
	{
		uint8_t lo, hi;

		fw_proto_range(r, &lo, &hi);
		fw_proto_text(lo, hi, pb, sizeof(pb));
		sb_addf(s, " meta l4proto %s", pb);
	}
}

static void
fw_item_line(struct fw_rsb *b, const struct fw_chain *c,
    const struct fw_item *it, int f)
{
	struct sb s = SB_INIT;

	fw_item_match(c, it, f, &s);
	if (sb_ok(&s) < 0) {
		b->err = -ERR_NOMEM;
	} else {
		fw_rsb_line(b, c->obj, "%s %s comment \"%s%s\"", s.p + 1,
		    fw_verdict(c, it->policy), it->comment,
		    it->inner ? " inner" : "");
		if (it->peer >= 0)
			c->refs->group[it->peer] = 1;
	}
	sb_free(&s);
}

/* The run set of one shape: declares it, fills it, adds the lookup rule. */
static int
fw_run_set(struct fw_rsb *b, const struct fw_chain *c,
    const struct fw_item *it, size_t n, int f, int shape, unsigned run)
{
	const char *at = f == CIDR_V4 ? "ipv4_addr" : "ipv6_addr";
	struct fw_boxes bx = { NULL, 0, 0 };
	char name[64], pfx[CIDR_STR_MAX], pr[16], po[16];
	size_t set;
	int r = 0;

	snprintf(name, sizeof(name), "%s_r%u_%d%c", c->name, run, f,
	    shape == 1 ? 's' : 'p');
	for (size_t i = 0; i < n && r == 0; i++) {
		struct fw_box x;

		if (!fw_item_family(&it[i], f) || fw_item_shape(&it[i]) != shape)
			continue;
		memset(&x, 0, sizeof(x));
		x.pfx = it[i].rule->peer_cidr;
		fw_proto_range(it[i].rule, &x.plo, &x.phi);
		x.lo = 0;
		x.hi = 65535;
		if (shape == 1 && (it[i].rule->dport.lo || it[i].rule->dport.hi)) {
			x.lo = it[i].rule->dport.lo;
			x.hi = it[i].rule->dport.hi;
		}
		x.rule_id = it[i].rule->id;
		r = fw_boxes_add(&bx, &x);
	}
	if (r < 0)
		goto out;
	set = fw_rsb_obj(b, FW_T_SG, FW_K_SET, name, "type %s . inet_proto%s\n"
	    "flags interval", at, shape == 1 ? " . inet_service" : "");
	for (size_t i = 0; i < bx.n; i++) {
		fw_cidr_text(&bx.v[i].pfx, pfx, sizeof(pfx));
		fw_proto_text(bx.v[i].plo, bx.v[i].phi, pr, sizeof(pr));
		fw_ports_text(bx.v[i].lo, bx.v[i].hi, po, sizeof(po));
		if (shape == 1)
			fw_rsb_line(b, set, "%s . %s . %s comment \"%s\"", pfx,
			    pr, po, bx.v[i].rule_id);
		else
			fw_rsb_line(b, set, "%s . %s comment \"%s\"", pfx, pr,
			    bx.v[i].rule_id);
	}
	fw_rsb_line(b, c->obj, "%s %s . meta l4proto%s @%s %s",
	    f == CIDR_V4 ? "ip" : "ip6",
	    c->dir == RULE_INGRESS ? "saddr" : "daddr",
	    shape == 1 ? " . th dport" : "", name,
	    fw_verdict(c, it[0].policy));
out:
	fw_boxes_free(&bx);
	return r;
}

/* One run (it[0..n), same policy) for family f. */
static int
fw_run_emit(struct fw_rsb *b, const struct fw_chain *c,
    const struct fw_item *it, size_t n, int f, unsigned run)
{
	size_t count[3] = { 0, 0, 0 };
	int done[3] = { 0, 0, 0 }, r;

	for (size_t i = 0; i < n; i++)
		if (fw_item_family(&it[i], f))
			count[fw_item_shape(&it[i])]++;
	for (size_t i = 0; i < n; i++) {
		int sh = fw_item_shape(&it[i]);

		if (!fw_item_family(&it[i], f))
			continue;
		if (sh == 0 || count[sh] < FW_RUN_SET_MIN) {
			fw_item_line(b, c, &it[i], f);
		} else if (!done[sh]) {
			if ((r = fw_run_set(b, c, it, n, f, sh, run)) < 0)
				return r;
			done[sh] = 1;
		}
	}
	return b->err;
}

/* Stage 2: the shared block sets (fw_comp.c) for internet traffic. */
static void
fw_blocks(struct fw_rsb *b, const struct fw_chain *c)
{
	const struct fw_prof *p = c->p;
	const char *set = c->dir == RULE_INGRESS ? "sk_block_in" :
	    "sk_block_eg";
	const char *side = c->dir == RULE_INGRESS ? "saddr" : "daddr";
	unsigned z;

	if (p->vpc < 0) {
		if (c->nic == RULE_NIC_INTERNET)	/* intranet: never */
			fw_rsb_line(b, c->obj, "meta l4proto . th dport @%s "
			    "drop comment \"operator block\"", set);
		return;
	}
	z = c->in->vpcs[p->vpc].zone;
	fw_rsb_line(b, c->obj, "ip %s != @z%u_intra4 meta l4proto . th dport "
	    "@%s drop comment \"operator block\"", side, z, set);
	fw_rsb_line(b, c->obj, "ip6 %s != @z%u_intra6 meta l4proto . th dport "
	    "@%s drop comment \"operator block\"", side, z, set);
	c->refs->vpc[p->vpc] = 1;
}

static int
fw_chain_emit(struct fw_rsb *b, struct fw_chain *c)
{
	const struct fw_prof *p = c->p;
	size_t enterprise = 0;
	int r;

	c->obj = fw_rsb_obj(b, FW_T_SG, FW_K_CHAIN, c->name,
	    "comment \"%.100s%s\"", p->key, strlen(p->key) > 100 ? "..." : "");
	fw_blocks(b, c);
	if ((r = fw_items_build(c)) < 0)
		return r;
	for (int f = CIDR_V4; f <= CIDR_V6; f += CIDR_V6 - CIDR_V4) {
		unsigned run = 0;

		for (size_t i = 0; i < c->nitems;) {
			size_t j = i + 1;

			if (!fw_item_family(&c->items[i], f)) {
				i++;
				continue;
			}
			/* a run: same policy among the family-f items */
			while (j < c->nitems &&
			    (!fw_item_family(&c->items[j], f) ||
			    c->items[j].policy == c->items[i].policy))
				j++;
			if ((r = fw_run_emit(b, c, &c->items[i], j - i, f,
			    ++run)) < 0)
				return r;
			i = j;
		}
	}
	for (size_t i = 0; i < p->ngroups; i++)
		enterprise += c->in->groups[p->groups[i]].type ==
		    ENG_GROUP_ENTERPRISE;
	fw_rsb_line(b, c->obj, "%s comment \"default\"",
	    c->dir == RULE_INGRESS || (p->ngroups > 0 &&
	    enterprise == p->ngroups) ? "drop" : "return");
	return b->err;
}

int
fw_prof_emit(struct fw_rsb *b, const struct fw_input *in,
    const struct fw_prof *p, struct fw_refs *refs)
{
	int r = 0;

	for (int nic = RULE_NIC_INTRANET; nic <= RULE_NIC_INTERNET && r == 0;
	    nic++) {
		if (!(nic == RULE_NIC_INTRANET ? p->need_intra : p->need_net))
			continue;
		for (int dir = RULE_INGRESS; dir <= RULE_EGRESS && r == 0;
		    dir++) {
			struct fw_chain c;

			memset(&c, 0, sizeof(c));
			c.in = in;
			c.p = p;
			c.refs = refs;
			c.dir = dir;
			c.nic = nic;
			snprintf(c.name, sizeof(c.name), "%s_%s%s", p->name,
			    dir == RULE_INGRESS ? "in" : "eg",
			    nic == RULE_NIC_INTERNET ? "_net" : "");
			r = fw_chain_emit(b, &c);
			free(c.items);
		}
	}
	return r;
}
