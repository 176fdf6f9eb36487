/*
 * eng_look: the gates. One gate runs the stages of eng.h in order —
 * conntrack, operator blocks, then the profile's items (compiled lookup or
 * first-match scan), then the default — and reports the deciding item.
 * Also explain (every matching item) and the effective list with the
 * shadow flag. Nothing here allocates.
 */
#include <string.h>

#include "lib/err.h"
#include "sg/eng_int.h"

/* COMPAT: seed-spec §1.5.7 — high-risk ports the operator blocks. */
static const uint16_t eng_risky_ports[] = { 135, 139, 444, 445, 5800, 5900 };
#define ENG_SMTP_PORT 25

/* Private IPv4 ranges (never internet): network, prefix length. */
static const struct {
	uint32_t net;
	uint8_t len;
} eng_priv4[] = {
	{ 0x0a000000, 8 },	/* 10/8 */
	{ 0xac100000, 12 },	/* 172.16/12 */
	{ 0xc0a80000, 16 },	/* 192.168/16 */
	{ 0x64400000, 10 },	/* 100.64/10: shared, Alibaba services */
	{ 0x7f000000, 8 },	/* loopback */
	{ 0xa9fe0000, 16 },	/* link-local */
	{ 0x00000000, 8 },	/* "this network" */
};

static uint32_t
eng_be32(const uint8_t *a)
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
	    (uint32_t)a[2] << 8 | a[3];
}

static int
eng_private(int family, const uint8_t *a)
{
	if (family == CIDR_V4) {
		uint32_t v = eng_be32(a);

		for (size_t i = 0; i < sizeof(eng_priv4) / sizeof(*eng_priv4);
		    i++)
			if ((v & ~(0xffffffffU >> eng_priv4[i].len)) ==
			    eng_priv4[i].net)
				return 1;
		return 0;
	}
	if ((a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || (a[0] & 0xfe) == 0xfc)
		return 1;	/* fe80::/10 link-local, fc00::/7 ULA */
	for (int i = 0; i < 15; i++)
		if (a[i])
			return 0;
	return a[15] <= 1;	/* :: and ::1 */
}

/* The NIC of a classic ENI that carries the packet (VPC: 0). */
static int
eng_nic(const struct eng_eni *e, int family, const uint8_t *local)
{
	if (e->vpc == NULL && e->pub.family == family &&
	    memcmp(e->pub.addr, local, family == CIDR_V4 ? 4 : 16) == 0)
		return RULE_NIC_INTERNET;
	return RULE_NIC_INTRANET;
}

static int
eng_internet(const struct eng_eni *e, int nic, int family,
    const uint8_t *remote)
{
	if (e->vpc == NULL)
		return nic == RULE_NIC_INTERNET;
	if (eng_private(family, remote))
		return 0;
	for (size_t i = 0; i < e->vpc->npfx; i++)
		if (cidr_contains_addr(&e->vpc->pfx[i], family, remote))
			return 0;
	return 1;
}

/* Is the packet's destination port one the operator blocks here? */
static int
eng_block_port(const struct eng_model *m, int dir, const struct eng_flow *f)
{
	if ((f->proto != ENG_IPPROTO_TCP && f->proto != ENG_IPPROTO_UDP) ||
	    f->dport < ENG_SMTP_PORT || f->dport > 5900)
		return 0;	/* the common case, without the loop */
	if (f->dport == ENG_SMTP_PORT && f->proto == ENG_IPPROTO_TCP &&
	    dir == RULE_EGRESS && !m->tcp25_open)
		return 1;
	for (size_t i = 0; i < sizeof(eng_risky_ports) /
	    sizeof(*eng_risky_ports); i++)
		if (f->dport == eng_risky_ports[i])
			return 1;
	return 0;
}

static void
eng_item_simple(struct eng_item *it, int kind, int policy, int priority)
{
	memset(it, 0, sizeof(*it));
	it->kind = (uint8_t)kind;
	it->policy = (uint8_t)policy;
	it->priority = (uint8_t)priority;
}

static void
eng_item_of(const struct eng_citem *c, struct eng_item *it)
{
	eng_item_simple(it, c->kind, c->policy, c->priority);
	it->rule = c->rule;
	it->group_id = c->group_id;
}

static void
eng_item_default(const struct eng_prof *p, int dir, struct eng_item *it)
{
	eng_item_simple(it, ENG_ITEM_DEFAULT, dir == RULE_EGRESS &&
	    p->egress_accept ? RULE_ACCEPT : RULE_DROP, ENG_PRIO_DEFAULT);
}

/* The packet as one gate sees it. */
struct eng_pkt {
	int family;
	int nic;
	const uint8_t *local;
	const uint8_t *remote;
};

static int
eng_pkt_init(const struct eng_model *m, const struct eng_eni *e, int dir,
    const struct eng_flow *f, struct eng_pkt *k)
{
	if (m->dirty || e == NULL || e->prof == NULL)
		return -ERR_INTERNAL;
	if ((dir != RULE_INGRESS && dir != RULE_EGRESS) ||
	    (f->family != CIDR_V4 && f->family != CIDR_V6) ||
	    f->ct > ENG_CT_INVALID)
		return -ERR_INVALID_PARAMETER;
	k->family = f->family;
	k->local = dir == RULE_EGRESS ? f->src : f->dst;
	k->remote = dir == RULE_EGRESS ? f->dst : f->src;
	k->nic = eng_nic(e, f->family, k->local);
	return 0;
}

/* Stages 1 and 2: 1 with *it set if conntrack or a block decides. */
static int
eng_pre(const struct eng_model *m, const struct eng_eni *e, int dir,
    const struct eng_flow *f, const struct eng_pkt *k, struct eng_item *it)
{
	if (f->ct != ENG_CT_NEW) {
		eng_item_simple(it, ENG_ITEM_CT, f->ct == ENG_CT_INVALID ?
		    RULE_DROP : RULE_ACCEPT, 0);
		it->ct = f->ct;
		return 1;
	}
	if (eng_block_port(m, dir, f) &&
	    eng_internet(e, k->nic, k->family, k->remote)) {
		eng_item_simple(it, ENG_ITEM_BLOCK, RULE_DROP, 0);
		it->port = f->dport;
		return 1;
	}
	return 0;
}

/* ---- compiled lookup ------------------------------------------------ */

/*
 * Index of the last key <= v (keys[0] is 0): branch-free binary search in
 * [lo, lo + n), narrowed first by the bucket index when there is one.
 */
static inline uint32_t
eng_find16(const struct eng_fld *fl, uint16_t v)
{
	const uint16_t *k = fl->keys;
	uint32_t lo = 0, n = fl->n;

	if (fl->blk) {
		lo = fl->blk[v >> 8];
		n = fl->blk[(v >> 8) + 1] - lo + 1;
	}
	while (n > 1) {
		uint32_t half = n / 2;

		lo = k[lo + half] <= v ? lo + half : lo;
		n -= half;
	}
	return lo;
}

static inline uint32_t
eng_find32(const struct eng_fld *fl, uint32_t v)
{
	const uint32_t *k = fl->keys;
	uint32_t lo = 0, n = fl->n;

	if (fl->blk) {
		lo = fl->blk[v >> 24];
		n = fl->blk[(v >> 24) + 1] - lo + 1;
	}
	while (n > 1) {
		uint32_t half = n / 2;

		lo = k[lo + half] <= v ? lo + half : lo;
		n -= half;
	}
	return lo;
}

static inline uint32_t
eng_find128(const struct eng_fld *fl, const struct eng_u128 *v)
{
	const struct eng_u128 *k = fl->keys;
	uint32_t lo = 0, n = fl->n;

	while (n > 1) {
		uint32_t half = n / 2;
		const struct eng_u128 *x = &k[lo + half];
		int le = x->hi < v->hi || (x->hi == v->hi && x->lo <= v->lo);

		lo = le ? lo + half : lo;
		n -= half;
	}
	return lo;
}

static inline const uint64_t *
eng_addr_bm(const struct eng_fld *fl, int family, const struct eng_u128 *u,
    uint32_t w)
{
	if (fl->n == 0)
		return fl->bm;
	if (family == CIDR_V4)
		return fl->bm + (size_t)eng_find32(fl, (uint32_t)u->lo) * w;
	return fl->bm + (size_t)eng_find128(fl, u) * w;
}

/* Bit k set: the remote address is in the table's set k. */
static uint64_t
eng_tab_members(const struct eng_tab *t, int family, const struct eng_u128 *u)
{
	uint64_t memb = 0;

	for (uint32_t k = 0; k < t->nsets; k++)
		if (eng_aset_has_key(t->sets[k], family, u))
			memb |= 1ULL << k;
	return memb;
}

/*
 * The first item whose bits survive the AND of the four fields and, for a
 * group peer, its address set. The sets are searched once per lookup, on
 * the first word where a group-peer bit survives; a non-member set then
 * removes all its bits at once.
 */
static const struct eng_citem *
eng_tab_lookup(const struct eng_tab *t, const struct eng_flow *f,
    const struct eng_pkt *k)
{
	uint32_t w = t->words;
	const uint64_t *a = t->dport.bm, *b = t->sport.bm, *c, *d;
	struct eng_u128 ru, lu;
	uint64_t memb = 0;
	int known = 0;

	eng_u128_from(k->family, k->remote, &ru);
	eng_u128_from(k->family, k->local, &lu);
	if (t->dport.n)
		a += (size_t)eng_find16(&t->dport, f->dport) * w;
	if (t->sport.n)
		b += (size_t)eng_find16(&t->sport, f->sport) * w;
	c = eng_addr_bm(&t->peer, k->family, &ru, w);
	d = eng_addr_bm(&t->local, k->family, &lu, w);
	for (uint32_t i = 0; i < w; i++) {
		uint64_t x = a[i] & b[i] & c[i] & d[i];

		if (x & t->verify[i]) {
			uint64_t ok = ~t->verify[i] | t->slow[i];

			if (!known) {
				memb = eng_tab_members(t, k->family, &ru);
				known = 1;
			}
			for (uint64_t mm = memb; mm; mm &= mm - 1)
				ok |= t->setmask[(size_t)__builtin_ctzll(mm) *
				    w + i];
			x &= ok;
		}
		while (x) {
			unsigned bit = (unsigned)__builtin_ctzll(x);
			const struct eng_citem *it = t->item[i * 64 + bit];

			if (!(t->slow[i] >> bit & 1) ||
			    eng_aset_has_key(it->set, k->family, &ru))
				return it;
			x &= x - 1;
		}
	}
	return NULL;
}

int
eng_gate(const struct eng_model *m, const struct eng_eni *e, int dir,
    const struct eng_flow *f, struct eng_verdict *v)
{
	const struct eng_prof *p;
	const struct eng_tab *t;
	const struct eng_citem *c = NULL;
	struct eng_pkt k;
	int r;

	if ((r = eng_pkt_init(m, e, dir, f, &k)) < 0)
		return r;
	p = e->prof;
	v->present = 1;
	if (!eng_pre(m, e, dir, f, &k, &v->item)) {
		t = p->tab[dir][p->classic ? k.nic : 0][k.family == CIDR_V6]
		    [eng_pclass(f->proto)];
		if (t && (c = eng_tab_lookup(t, f, &k)) != NULL)
			eng_item_of(c, &v->item);
		else
			eng_item_default(p, dir, &v->item);
	}
	v->accept = v->item.policy == RULE_ACCEPT;
	return 0;
}

/* ---- first-match scan ----------------------------------------------- */

static int
eng_port_in(const struct rule_ports *p, uint16_t v)
{
	return (p->lo == 0 && p->hi == 0) || (p->lo <= v && v <= p->hi);
}

int
eng_citem_match(const struct eng_citem *c, int classic, int nic,
    const struct eng_flow *f, const uint8_t *local, const uint8_t *remote)
{
	if (!eng_citem_family_ok(c, f->family) ||
	    !eng_citem_class_ok(c, eng_pclass(f->proto)) ||
	    (classic && c->nic != nic))
		return 0;
	if ((c->proto == RULE_TCP || c->proto == RULE_UDP) &&
	    (!eng_port_in(&c->dport, f->dport) ||
	    !eng_port_in(&c->sport, f->sport)))
		return 0;
	if (c->has_local && !cidr_contains_addr(&c->local, f->family, local))
		return 0;
	if (c->peer == ENG_PEER_CIDR)
		return cidr_contains_addr(&c->peer_cidr, f->family, remote);
	return eng_aset_has(c->set, f->family, remote);
}

int
eng_gate_linear(const struct eng_model *m, const struct eng_eni *e, int dir,
    const struct eng_flow *f, struct eng_verdict *v)
{
	const struct eng_prof *p;
	struct eng_pkt k;
	int r;

	if ((r = eng_pkt_init(m, e, dir, f, &k)) < 0)
		return r;
	p = e->prof;
	v->present = 1;
	if (!eng_pre(m, e, dir, f, &k, &v->item)) {
		size_t i;

		for (i = 0; i < p->nitems[dir]; i++)
			if (eng_citem_match(&p->items[dir][i], p->classic,
			    k.nic, f, k.local, k.remote))
				break;
		if (i < p->nitems[dir])
			eng_item_of(&p->items[dir][i], &v->item);
		else
			eng_item_default(p, dir, &v->item);
	}
	v->accept = v->item.policy == RULE_ACCEPT;
	return 0;
}

int
eng_decide(const struct eng_model *m, const struct eng_flow *f,
    struct eng_result *res)
{
	const struct eng_eni *src = NULL, *dst = NULL;
	int r;

	memset(res, 0, sizeof(*res));
	if (m->dirty)
		return -ERR_INTERNAL;
	if ((f->src_eni[0] && (src = eng_eni_find(m, f->src_eni)) == NULL) ||
	    (f->dst_eni[0] && (dst = eng_eni_find(m, f->dst_eni)) == NULL))
		return -ERR_NOT_FOUND;
	if (src && (r = eng_gate(m, src, RULE_EGRESS, f, &res->egress)) < 0)
		return r;
	if (dst && (r = eng_gate(m, dst, RULE_INGRESS, f, &res->ingress)) < 0)
		return r;
	res->accept = (!res->egress.present || res->egress.accept) &&
	    (!res->ingress.present || res->ingress.accept);
	return 0;
}

/* ---- explain and the effective list --------------------------------- */

static void
eng_push(struct eng_item *items, size_t cap, size_t *n,
    const struct eng_item *it)
{
	if (*n < cap)
		items[*n] = *it;
	(*n)++;
}

int
eng_explain(const struct eng_model *m, const struct eng_eni *e, int dir,
    const struct eng_flow *f, struct eng_item *items, size_t cap, size_t *n,
    int *internet)
{
	const struct eng_prof *p;
	struct eng_item it;
	struct eng_pkt k;
	int r, inet;

	*n = 0;
	if ((r = eng_pkt_init(m, e, dir, f, &k)) < 0)
		return r;
	p = e->prof;
	inet = eng_internet(e, k.nic, k.family, k.remote);
	if (internet)
		*internet = inet;
	if (f->ct != ENG_CT_NEW) {
		eng_pre(m, e, dir, f, &k, &it);
		eng_push(items, cap, n, &it);
	}
	if (eng_block_port(m, dir, f) && inet) {
		eng_item_simple(&it, ENG_ITEM_BLOCK, RULE_DROP, 0);
		it.port = f->dport;
		eng_push(items, cap, n, &it);
	}
	for (size_t i = 0; i < p->nitems[dir]; i++)
		if (eng_citem_match(&p->items[dir][i], p->classic, k.nic, f,
		    k.local, k.remote)) {
			eng_item_of(&p->items[dir][i], &it);
			eng_push(items, cap, n, &it);
		}
	eng_item_default(p, dir, &it);
	eng_push(items, cap, n, &it);
	return 0;
}

static int
eng_ports_cover(const struct rule_ports *outer, const struct rule_ports *in)
{
	if (outer->lo == 0 && outer->hi == 0)
		return 1;
	if (in->lo == 0 && in->hi == 0)
		return 0;
	return outer->lo <= in->lo && in->hi <= outer->hi;
}

/* Every packet that i matches, j matches too. */
static int
eng_covers(const struct eng_citem *j, const struct eng_citem *i)
{
	if (j->nic != i->nic)
		return 0;
	if (j->proto != RULE_ALL && j->proto != i->proto)
		return 0;
	for (int f = CIDR_V4; f <= CIDR_V6; f += CIDR_V6 - CIDR_V4)
		if (eng_citem_family_ok(i, f) && !eng_citem_family_ok(j, f))
			return 0;
	if (j->peer == ENG_PEER_GROUP &&
	    (i->peer != ENG_PEER_GROUP || i->set != j->set))
		return 0;
	if (j->peer == ENG_PEER_CIDR && (i->peer != ENG_PEER_CIDR ||
	    !cidr_contains(&j->peer_cidr, &i->peer_cidr)))
		return 0;
	if (j->has_local && (!i->has_local ||
	    !cidr_contains(&j->local, &i->local)))
		return 0;
	if ((j->proto == RULE_TCP || j->proto == RULE_UDP) &&
	    (!eng_ports_cover(&j->dport, &i->dport) ||
	    !eng_ports_cover(&j->sport, &i->sport)))
		return 0;
	return 1;
}

int
eng_effective(const struct eng_model *m, const struct eng_eni *e, int dir,
    struct eng_eff *out, size_t cap, size_t *n)
{
	const struct eng_prof *p;
	const struct eng_citem *items;
	size_t cnt;

	*n = 0;
	if (m->dirty || e == NULL || e->prof == NULL)
		return -ERR_INTERNAL;
	if (dir != RULE_INGRESS && dir != RULE_EGRESS)
		return -ERR_INVALID_PARAMETER;
	p = e->prof;
	items = p->items[dir];
	cnt = p->nitems[dir];
	for (size_t i = 0; i < cnt && i < cap; i++) {
		const struct eng_citem *c = &items[i];
		struct eng_eff *l = &out[i];

		memset(l, 0, sizeof(*l));
		eng_item_of(c, &l->item);
		l->nic = c->nic == ENG_NIC_ANY ? RULE_NIC_INTRANET : c->nic;
		l->never = !eng_citem_family_ok(c, CIDR_V4) &&
		    !eng_citem_family_ok(c, CIDR_V6);
		l->shadowed = l->never;
		for (size_t j = 0; j < i && !l->shadowed; j++)
			l->shadowed = !(!eng_citem_family_ok(&items[j], CIDR_V4) &&
			    !eng_citem_family_ok(&items[j], CIDR_V6)) &&
			    eng_covers(&items[j], c);
	}
	if (cnt < cap) {
		memset(&out[cnt], 0, sizeof(out[cnt]));
		eng_item_default(p, dir, &out[cnt].item);
		out[cnt].nic = RULE_NIC_INTRANET;
	}
	*n = cnt + 1;
	return 0;
}
