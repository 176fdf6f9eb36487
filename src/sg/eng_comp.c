/*
 * eng_comp: compiles a profile (the merged groups of a set of ENIs) into
 * lookup tables. See eng.h ("Lookup structure") for the shape:
 *
 *   items[dir]  every rule and intra-group item of the direction, in
 *               evaluation order (inner Accept, rules by priority with drop
 *               first, inner Drop); explain and the linear path walk it.
 *   tab[dir][nic][family][class]  the items that can match packets of
 *               that NIC, family and protocol class, as bits 0..n-1 in
 *               evaluation order; per field a sorted list of elementary
 *               intervals, each with the bitmap of the items it satisfies
 *               (built by a sweep over range starts and ends; adjacent
 *               intervals with equal bitmaps are merged).
 *
 * All memory of a profile comes from its arena and goes in one free.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "sg/eng_int.h"

/* ---- arena ---------------------------------------------------------- */

struct eng_chunk {
	struct eng_chunk *next;
	size_t used;
	size_t cap;
	_Alignas(16) unsigned char data[];
};

/* Chunks grow geometrically: small profiles stay small. */
#define ENG_CHUNK_FIRST 1024
#define ENG_CHUNK_MAX 65536

static void *
eng_alloc(struct eng_arena *a, size_t n)
{
	struct eng_chunk *c = a->head;
	void *p;

	n = (n + 15) & ~(size_t)15;
	if (c == NULL || c->cap - c->used < n) {
		size_t cap = c == NULL ? ENG_CHUNK_FIRST : c->cap < ENG_CHUNK_MAX ?
		    c->cap * 2 : c->cap;

		if (cap < n)
			cap = n;

		if ((c = malloc(sizeof(*c) + cap)) == NULL)
			return NULL;
		c->next = a->head;
		c->used = 0;
		c->cap = cap;
		a->head = c;
		a->bytes += sizeof(*c) + cap;
	}
	p = c->data + c->used;
	c->used += n;
	return p;
}

void
eng_arena_free(struct eng_arena *a)
{
	struct eng_chunk *c = a->head, *next;

	for (; c; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
	a->bytes = 0;
}

/* ---- items ---------------------------------------------------------- */

int
eng_pclass(uint8_t ipproto)
{
	switch (ipproto) {
	case ENG_IPPROTO_TCP:
		return ENG_PC_TCP;
	case ENG_IPPROTO_UDP:
		return ENG_PC_UDP;
	case ENG_IPPROTO_ICMP:
		return ENG_PC_ICMP;
	case ENG_IPPROTO_ICMPV6:
		return ENG_PC_ICMPV6;
	case ENG_IPPROTO_GRE:
		return ENG_PC_GRE;
	default:
		return ENG_PC_OTHER;
	}
}

static int
eng_ports_ok(const struct rule_ports *p)
{
	return (p->lo == 0 && p->hi == 0) || p->lo <= p->hi;
}

static int
eng_proto_ported(int proto)
{
	return proto == RULE_TCP || proto == RULE_UDP;
}

int
eng_citem_family_ok(const struct eng_citem *c, int family)
{
	if (c->peer == ENG_PEER_NONE)
		return 0;
	if (c->peer == ENG_PEER_CIDR && c->peer_cidr.family != family)
		return 0;
	if (c->has_local && c->local.family != family)
		return 0;
	if ((c->proto == RULE_ICMP && family != CIDR_V4) ||
	    (c->proto == RULE_ICMPV6 && family != CIDR_V6))
		return 0;
	if (eng_proto_ported(c->proto) &&
	    (!eng_ports_ok(&c->dport) || !eng_ports_ok(&c->sport)))
		return 0;
	return 1;
}

int
eng_citem_class_ok(const struct eng_citem *c, int cls)
{
	static const int8_t cls_of[] = {
		[RULE_TCP] = ENG_PC_TCP, [RULE_UDP] = ENG_PC_UDP,
		[RULE_ICMP] = ENG_PC_ICMP, [RULE_ICMPV6] = ENG_PC_ICMPV6,
		[RULE_GRE] = ENG_PC_GRE, [RULE_ALL] = -1,
	};

	return c->proto == RULE_ALL || cls_of[c->proto] == cls;
}

/* Evaluation order of rules: priority, drop first, group id, rule id. */
static int
eng_rule_order(const void *a, const void *b)
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

static void
eng_citem_inner(struct eng_citem *c, const struct eng_grp *g, int classic,
    int policy)
{
	memset(c, 0, sizeof(*c));
	c->kind = ENG_ITEM_INNER;
	c->policy = (uint8_t)policy;
	c->priority = policy == RULE_ACCEPT ? ENG_PRIO_INNER_ACCEPT :
	    ENG_PRIO_DEFAULT;
	c->proto = RULE_ALL;
	c->nic = classic ? RULE_NIC_INTRANET : ENG_NIC_ANY;
	c->peer = ENG_PEER_GROUP;
	c->set = &g->set;
	c->peer_group = g->id;
	c->group_id = g->id;
}

static void
eng_citem_rule(const struct eng_model *m, struct eng_citem *c,
    const struct rule *r, const struct eng_grp *own, int classic)
{
	const struct eng_grp *pg;

	memset(c, 0, sizeof(*c));
	c->kind = ENG_ITEM_RULE;
	c->policy = r->policy;
	c->priority = r->priority;
	c->proto = r->proto;
	c->nic = classic ? r->nic : ENG_NIC_ANY;
	if (eng_proto_ported(r->proto)) {
		c->dport = r->dport;
		c->sport = r->sport;
	}
	c->has_local = r->has_local != 0;
	c->local = r->local;
	c->rule = r;
	c->group_id = own->id;
	switch (r->peer_kind) {
	case RULE_PEER_CIDR:
		c->peer = ENG_PEER_CIDR;
		c->peer_cidr = r->peer_cidr;
		break;
	case RULE_PEER_GROUP:
		pg = eng_grp_get(m, r->peer_group);
		if (pg && strcmp(pg->owner, r->peer_owner[0] ? r->peer_owner :
		    own->owner) == 0) {
			c->peer = ENG_PEER_GROUP;
			c->set = &pg->set;
			c->peer_group = pg->id;
		}
		break;
	default:
		break;	/* prefix lists match nothing */
	}
}

/* Fills p->items[dir] in evaluation order. */
static int
eng_items_build(const struct eng_model *m, struct eng_prof *p,
    struct eng_grp *const *gs, size_t ngs, int dir)
{
	const struct rule **rs = NULL;
	struct eng_citem *it;
	size_t nr = 0, n = 0, total;
	int r = -ERR_NOMEM;

	for (size_t i = 0; i < ngs; i++)
		for (size_t k = 0; k < gs[i]->nrules; k++)
			nr += gs[i]->rules[k]->dir == dir;
	total = nr + 2 * ngs;
	rs = malloc((nr + 1) * sizeof(*rs));
	it = eng_alloc(&p->arena, (total + 1) * sizeof(*it));
	if (rs == NULL || it == NULL)
		goto out;
	nr = 0;
	for (size_t i = 0; i < ngs; i++)
		for (size_t k = 0; k < gs[i]->nrules; k++)
			if (gs[i]->rules[k]->dir == dir)
				rs[nr++] = gs[i]->rules[k];
	qsort(rs, nr, sizeof(*rs), eng_rule_order);
	for (size_t i = 0; i < ngs; i++)
		if (gs[i]->type == ENG_GROUP_BASIC && gs[i]->inner_accept)
			eng_citem_inner(&it[n++], gs[i], p->classic, RULE_ACCEPT);
	for (size_t k = 0; k < nr; k++) {
		const struct eng_grp *own = NULL;

		for (size_t i = 0; i < ngs && own == NULL; i++)
			if (strcmp(gs[i]->id, rs[k]->group_id) == 0)
				own = gs[i];
		if (own == NULL)	/* rule_put keeps group_id in step */
			continue;
		eng_citem_rule(m, &it[n++], rs[k], own, p->classic);
	}
	for (size_t i = 0; dir == RULE_INGRESS && i < ngs; i++)
		if (gs[i]->type == ENG_GROUP_BASIC && !gs[i]->inner_accept)
			eng_citem_inner(&it[n++], gs[i], p->classic, RULE_DROP);
	p->items[dir] = it;
	p->nitems[dir] = n;
	r = 0;
out:
	free(rs);
	return r;
}

/* ---- fields --------------------------------------------------------- */

enum eng_keyk { ENG_K16, ENG_K32, ENG_K128 };

struct eng_rng {
	struct eng_u128 lo;
	struct eng_u128 hi;
	uint32_t bit;
};

/* Scratch space of one table build. */
struct eng_ctx {
	struct eng_arena *a;
	uint32_t words;
	const uint64_t *ones;
	struct eng_rng *rng;		/* nitems */
	struct eng_rng *byhi;		/* nitems */
	struct eng_u128 *keys;		/* 2 * nitems + 1 */
	uint64_t *bms;			/* (2 * nitems + 1) * words */
};

static int
eng_u128_le(const struct eng_u128 *a, const struct eng_u128 *b)
{
	return a->hi < b->hi || (a->hi == b->hi && a->lo <= b->lo);
}

static int
eng_rng_lo_cmp(const void *a, const void *b)
{
	const struct eng_rng *x = a, *y = b;

	if (x->lo.hi != y->lo.hi)
		return x->lo.hi < y->lo.hi ? -1 : 1;
	if (x->lo.lo != y->lo.lo)
		return x->lo.lo < y->lo.lo ? -1 : 1;
	return 0;
}

static int
eng_rng_hi_cmp(const void *a, const void *b)
{
	const struct eng_rng *x = a, *y = b;

	if (x->hi.hi != y->hi.hi)
		return x->hi.hi < y->hi.hi ? -1 : 1;
	if (x->hi.lo != y->hi.lo)
		return x->hi.lo < y->hi.lo ? -1 : 1;
	return 0;
}

static void
eng_u128_inc(struct eng_u128 *v)
{
	if (++v->lo == 0)
		v->hi++;
}

/* [lo, hi] of a prefix in the 128-bit key space of its family. */
static void
eng_cidr_range(const struct cidr *c, struct eng_u128 *lo, struct eng_u128 *hi)
{
	unsigned host = (c->family == CIDR_V4 ? 32 : 128) - c->len;
	struct eng_u128 v, mask;

	eng_u128_from(c->family, c->addr, &v);
	mask.hi = host >= 128 ? ~0ULL : host > 64 ? (1ULL << (host - 64)) - 1 : 0;
	mask.lo = host >= 64 ? ~0ULL : (1ULL << host) - 1;
	lo->hi = v.hi & ~mask.hi;
	lo->lo = v.lo & ~mask.lo;
	hi->hi = lo->hi | mask.hi;
	hi->lo = lo->lo | mask.lo;
	if (c->family == CIDR_V4) {
		hi->hi = lo->hi = 0;
		hi->lo &= 0xffffffffULL;
		lo->lo &= 0xffffffffULL;
	}
}

/* The bucket index of a 16- or 32-bit field (see struct eng_fld). */
static int
eng_fld_blk(struct eng_arena *a, struct eng_fld *f, unsigned shift)
{
	uint32_t *blk = eng_alloc(a, 257 * sizeof(*blk));
	uint32_t k = 0;

	if (blk == NULL)
		return -ERR_NOMEM;
	for (uint32_t b = 0; b < 256; b++) {
		uint32_t start = b << shift;

		/* The last interval whose key is <= start. */
		while (k + 1 < f->n && (shift == 8 ?
		    ((const uint16_t *)f->keys)[k + 1] :
		    ((const uint32_t *)f->keys)[k + 1]) <= start)
			k++;
		blk[b] = k;
	}
	blk[256] = f->n - 1;
	f->blk = blk;
	return 0;
}

/*
 * Builds field f from nr restricted ranges (every other item matches the
 * whole field). max is the largest key of the field.
 */
static int
eng_fld_build(struct eng_ctx *x, struct eng_fld *f, enum eng_keyk kk,
    size_t nr, const struct eng_u128 *max)
{
	size_t nk = 0, ia = 0, id = 0, w = x->words, ksz;
	uint64_t *cur;
	struct eng_u128 at = { 0, 0 };

	if (nr == 0) {
		f->n = 0;
		f->keys = NULL;
		f->bm = x->ones;
		return 0;
	}
	memcpy(x->byhi, x->rng, nr * sizeof(*x->rng));
	qsort(x->rng, nr, sizeof(*x->rng), eng_rng_lo_cmp);
	qsort(x->byhi, nr, sizeof(*x->byhi), eng_rng_hi_cmp);
	/* Current bitmap: the unrestricted items. */
	cur = x->bms;
	memcpy(cur, x->ones, w * sizeof(*cur));
	for (size_t i = 0; i < nr; i++)
		cur[x->rng[i].bit / 64] &= ~(1ULL << (x->rng[i].bit % 64));
	for (;;) {
		uint64_t *bm = x->bms + nk * w;

		/* Enter ranges starting at `at`, leave those ending before. */
		if (nk > 0)
			memcpy(bm, bm - w, w * sizeof(*bm));
		else
			bm = cur;
		while (ia < nr && eng_u128_le(&x->rng[ia].lo, &at)) {
			bm[x->rng[ia].bit / 64] |= 1ULL << (x->rng[ia].bit % 64);
			ia++;
		}
		while (id < nr && !eng_u128_le(&at, &x->byhi[id].hi)) {
			bm[x->byhi[id].bit / 64] &=
			    ~(1ULL << (x->byhi[id].bit % 64));
			id++;
		}
		if (nk == 0 || memcmp(bm, bm - w, w * sizeof(*bm)) != 0)
			x->keys[nk++] = at;
		/* Next boundary: the smallest pending start or end + 1. */
		{
			struct eng_u128 next = { 0, 0 };
			int have = 0;

			if (ia < nr) {
				next = x->rng[ia].lo;
				have = 1;
			}
			if (id < nr && !(x->byhi[id].hi.hi == max->hi &&
			    x->byhi[id].hi.lo == max->lo)) {
				struct eng_u128 e = x->byhi[id].hi;

				eng_u128_inc(&e);
				if (!have || eng_u128_le(&e, &next))
					next = e;
				have = 1;
			}
			if (!have)
				break;
			at = next;
		}
	}
	ksz = kk == ENG_K16 ? 2 : kk == ENG_K32 ? 4 : sizeof(struct eng_u128);
	f->n = (uint32_t)nk;
	if ((f->keys = eng_alloc(x->a, nk * ksz)) == NULL ||
	    (f->bm = eng_alloc(x->a, nk * w * sizeof(uint64_t))) == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < nk; i++) {
		if (kk == ENG_K16)
			((uint16_t *)f->keys)[i] = (uint16_t)x->keys[i].lo;
		else if (kk == ENG_K32)
			((uint32_t *)f->keys)[i] = (uint32_t)x->keys[i].lo;
		else
			((struct eng_u128 *)f->keys)[i] = x->keys[i];
	}
	memcpy((uint64_t *)f->bm, x->bms, nk * w * sizeof(uint64_t));
	f->blk = NULL;
	if (kk != ENG_K128 && nk > ENG_BLK_MIN)
		return eng_fld_blk(x->a, f, kk == ENG_K16 ? 8 : 24);
	return 0;
}

/* ---- tables --------------------------------------------------------- */

static int
eng_citem_in_tab(const struct eng_citem *c, int classic, int nic, int family,
    int cls)
{
	return eng_citem_family_ok(c, family) && eng_citem_class_ok(c, cls) &&
	    (!classic || c->nic == nic);
}

static void
eng_rng_add(struct eng_ctx *x, size_t *nr, uint32_t bit,
    const struct eng_u128 *lo, const struct eng_u128 *hi)
{
	x->rng[*nr].lo = *lo;
	x->rng[*nr].hi = *hi;
	x->rng[*nr].bit = bit;
	(*nr)++;
}

static int
eng_tab_ports(struct eng_ctx *x, struct eng_tab *t, int src)
{
	static const struct eng_u128 max16 = { 0, 0xffff };
	size_t nr = 0;

	for (uint32_t b = 0; b < t->nitems; b++) {
		const struct eng_citem *c = t->item[b];
		const struct rule_ports *pr = src ? &c->sport : &c->dport;
		struct eng_u128 lo = { 0, pr->lo }, hi = { 0, pr->hi };

		if (eng_proto_ported(c->proto) && (pr->lo || pr->hi))
			eng_rng_add(x, &nr, b, &lo, &hi);
	}
	return eng_fld_build(x, src ? &t->sport : &t->dport, ENG_K16, nr,
	    &max16);
}

static int
eng_tab_addrs(struct eng_ctx *x, struct eng_tab *t, int family, int local)
{
	static const struct eng_u128 max4 = { 0, 0xffffffffULL };
	static const struct eng_u128 max6 = { ~0ULL, ~0ULL };
	size_t nr = 0;

	for (uint32_t b = 0; b < t->nitems; b++) {
		const struct eng_citem *c = t->item[b];
		const struct cidr *pfx = NULL;
		struct eng_u128 lo, hi;

		if (local && c->has_local)
			pfx = &c->local;
		else if (!local && c->peer == ENG_PEER_CIDR)
			pfx = &c->peer_cidr;
		if (pfx == NULL)
			continue;
		eng_cidr_range(pfx, &lo, &hi);
		eng_rng_add(x, &nr, b, &lo, &hi);
	}
	return eng_fld_build(x, local ? &t->local : &t->peer,
	    family == CIDR_V4 ? ENG_K32 : ENG_K128, nr,
	    family == CIDR_V4 ? &max4 : &max6);
}

/* The distinct address sets of the table's group-peer items, their
 * masks, and the bits left to check one by one. */
static int
eng_tab_sets(struct eng_arena *a, struct eng_tab *t, uint64_t *verify)
{
	const struct eng_aset *found[ENG_SETS_MAX + 1];
	const struct eng_aset **sets;
	uint64_t *setmask, *slow;
	uint32_t w = t->words, ns = 0;

	for (uint32_t b = 0; b < t->nitems; b++)
		if (t->item[b]->peer == ENG_PEER_GROUP) {
			uint32_t k = 0;

			verify[b / 64] |= 1ULL << (b % 64);
			while (k < ns && found[k] != t->item[b]->set)
				k++;
			if (k == ns && k < ENG_SETS_MAX)
				found[ns++] = t->item[b]->set;
		}
	sets = eng_alloc(a, (ns + 1) * sizeof(*sets));
	slow = eng_alloc(a, w * sizeof(*slow));
	setmask = eng_alloc(a, (ns * w + 1) * sizeof(*setmask));
	if (sets == NULL || slow == NULL || setmask == NULL)
		return -ERR_NOMEM;
	memcpy(sets, found, ns * sizeof(*sets));
	memset(slow, 0, w * sizeof(*slow));
	memset(setmask, 0, (ns * w + 1) * sizeof(*setmask));
	for (uint32_t b = 0; b < t->nitems; b++) {
		uint32_t k = 0;

		if (t->item[b]->peer != ENG_PEER_GROUP)
			continue;
		while (k < ns && sets[k] != t->item[b]->set)
			k++;
		if (k < ns)
			setmask[k * w + b / 64] |= 1ULL << (b % 64);
		else
			slow[b / 64] |= 1ULL << (b % 64);
	}
	t->sets = sets;
	t->nsets = ns;
	t->setmask = setmask;
	t->slow = slow;
	return 0;
}

static int
eng_tab_build(struct eng_ctx *x, const struct eng_prof *p, int dir, int nic,
    int family, int cls, struct eng_tab **out)
{
	const struct eng_citem *items = p->items[dir];
	struct eng_tab *t;
	uint64_t *ones, *verify;
	uint32_t n = 0, w;
	int r;

	*out = NULL;
	for (size_t i = 0; i < p->nitems[dir]; i++)
		n += (uint32_t)eng_citem_in_tab(&items[i], p->classic, nic,
		    family, cls);
	if (n == 0)
		return 0;
	w = (n + 63) / 64;
	t = eng_alloc(x->a, sizeof(*t));
	ones = eng_alloc(x->a, w * sizeof(*ones));
	verify = eng_alloc(x->a, w * sizeof(*verify));
	if (t == NULL || ones == NULL || verify == NULL ||
	    (t->item = eng_alloc(x->a, n * sizeof(*t->item))) == NULL)
		return -ERR_NOMEM;
	t->nitems = n;
	t->words = w;
	memset(ones, 0xff, w * sizeof(*ones));
	if (n % 64)
		ones[w - 1] = (1ULL << (n % 64)) - 1;
	memset(verify, 0, w * sizeof(*verify));
	n = 0;
	for (size_t i = 0; i < p->nitems[dir]; i++)
		if (eng_citem_in_tab(&items[i], p->classic, nic, family, cls))
			t->item[n++] = &items[i];
	t->verify = verify;
	x->words = w;
	x->ones = ones;
	if ((r = eng_tab_sets(x->a, t, verify)) < 0 ||
	    (r = eng_tab_ports(x, t, 0)) < 0 ||
	    (r = eng_tab_ports(x, t, 1)) < 0 ||
	    (r = eng_tab_addrs(x, t, family, 0)) < 0 ||
	    (r = eng_tab_addrs(x, t, family, 1)) < 0)
		return r;
	*out = t;
	return 0;
}

int
eng_prof_compile(const struct eng_model *m, struct eng_prof *p,
    struct eng_grp *const *gs, size_t ngs)
{
	struct eng_ctx x;
	size_t nmax, wmax, enterprise = 0;
	int r;

	eng_arena_free(&p->arena);
	memset(p->tab, 0, sizeof(p->tab));
	memset(p->items, 0, sizeof(p->items));
	memset(p->nitems, 0, sizeof(p->nitems));
	for (size_t i = 0; i < ngs; i++)
		enterprise += gs[i]->type == ENG_GROUP_ENTERPRISE;
	p->egress_accept = !(ngs > 0 && enterprise == ngs);
	if ((r = eng_items_build(m, p, gs, ngs, RULE_INGRESS)) < 0 ||
	    (r = eng_items_build(m, p, gs, ngs, RULE_EGRESS)) < 0)
		return r;
	nmax = p->nitems[0] > p->nitems[1] ? p->nitems[0] : p->nitems[1];
	wmax = (nmax + 63) / 64;
	memset(&x, 0, sizeof(x));
	x.a = &p->arena;
	x.rng = malloc((nmax + 1) * sizeof(*x.rng));
	x.byhi = malloc((nmax + 1) * sizeof(*x.byhi));
	x.keys = malloc((2 * nmax + 1) * sizeof(*x.keys));
	x.bms = malloc(((2 * nmax + 1) * wmax + 1) * sizeof(*x.bms));
	r = -ERR_NOMEM;
	if (x.rng == NULL || x.byhi == NULL || x.keys == NULL || x.bms == NULL)
		goto out;
	for (int dir = 0; dir < 2; dir++)
		for (int nic = 0; nic < (p->classic ? 2 : 1); nic++)
			for (int f = 0; f < 2; f++)
				for (int cls = 0; cls < ENG_PC_N; cls++)
					if ((r = eng_tab_build(&x, p, dir, nic,
					    f ? CIDR_V6 : CIDR_V4, cls,
					    &p->tab[dir][nic][f][cls])) < 0)
						goto out;
	r = 0;
out:
	free(x.rng);
	free(x.byhi);
	free(x.keys);
	free(x.bms);
	return r;
}
