/*
 * eng: the decision engine's model — groups, rules, ENIs, VPC intranet
 * prefixes — and eng_compile, which rebuilds the group address sets whose
 * membership changed and the profiles (one per distinct network kind and
 * group set) whose groups changed. Compilation proper is in eng_comp.c,
 * lookups in eng_look.c. See eng.h for the semantics.
 *
 * What a change makes stale:
 *   rule put/del, group type or InnerAccessPolicy  -> profiles of the group
 *   group created, deleted or re-owned             -> every profile (rules
 *                                                     elsewhere may name it)
 *   ENI put/del                                    -> the address sets of
 *                                                     its old and new groups,
 *                                                     its own profile link
 */
#include "sg/eng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "sg/eng_int.h"

/* ---- addresses ------------------------------------------------------ */

static uint64_t
eng_be64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

void
eng_u128_from(int family, const uint8_t *addr, struct eng_u128 *out)
{
	if (family == CIDR_V4) {
		out->hi = 0;
		out->lo = (uint32_t)addr[0] << 24 | (uint32_t)addr[1] << 16 |
		    (uint32_t)addr[2] << 8 | addr[3];
	} else {
		out->hi = eng_be64(addr);
		out->lo = eng_be64(addr + 8);
	}
}

static int
eng_u128_cmp(const struct eng_u128 *a, const struct eng_u128 *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	if (a->lo != b->lo)
		return a->lo < b->lo ? -1 : 1;
	return 0;
}

static int
eng_u32_qcmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
eng_u128_qcmp(const void *a, const void *b)
{
	return eng_u128_cmp(a, b);
}

int
eng_aset_has(const struct eng_aset *s, int family, const uint8_t *addr)
{
	struct eng_u128 k;

	eng_u128_from(family, addr, &k);
	return eng_aset_has_key(s, family, &k);
}

static void
eng_aset_free(struct eng_aset *s)
{
	free(s->v4);
	free(s->v6);
	memset(s, 0, sizeof(*s));
}

/* ---- model ---------------------------------------------------------- */

int
eng_model_new(struct eng_model **out)
{
	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return -ERR_NOMEM;
	(*out)->dirty = 1;
	return 0;
}

static void
eng_prof_free(struct eng_prof *p)
{
	if (p == NULL)
		return;
	eng_arena_free(&p->arena);
	free(p->key);
	free(p);
}

static void
eng_grp_free(struct eng_grp *g)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->nrules; i++)
		free(g->rules[i]);
	free(g->rules);
	eng_aset_free(&g->set);
	free(g);
}

static void
eng_eni_free(struct eng_eni *e)
{
	if (e == NULL)
		return;
	free(e->addrs);
	free(e);
}

void
eng_model_free(struct eng_model *m)
{
	if (m == NULL)
		return;
	for (size_t i = 0; i < m->groups.cap; i++)
		if (m->groups.keys[i])
			eng_grp_free(m->groups.vals[i]);
	for (size_t i = 0; i < m->enis.cap; i++)
		if (m->enis.keys[i])
			eng_eni_free(m->enis.vals[i]);
	for (size_t i = 0; i < m->vpcs.cap; i++)
		if (m->vpcs.keys[i]) {
			struct eng_vpc *v = m->vpcs.vals[i];

			free(v->pfx);
			free(v);
		}
	for (size_t i = 0; i < m->profs.cap; i++)
		if (m->profs.keys[i])
			eng_prof_free(m->profs.vals[i]);
	eng_map_free(&m->groups);
	eng_map_free(&m->enis);
	eng_map_free(&m->vpcs);
	eng_map_free(&m->profs);
	free(m);
}

void
eng_model_set_tcp25_open(struct eng_model *m, int open)
{
	m->tcp25_open = open != 0;
	m->dirty = 1;
}

struct eng_grp *
eng_grp_get(const struct eng_model *m, const char *id)
{
	return eng_map_get(&m->groups, id);
}

/* 1 if the profile key "x|a,b,c" lists group id. */
static int
eng_prof_has_group(const struct eng_prof *p, const char *id)
{
	size_t n = strlen(id);
	const char *s = p->key + 2;

	while (*s) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len == n && memcmp(s, id, n) == 0)
			return 1;
		if (e == NULL)
			break;
		s = e + 1;
	}
	return 0;
}

static void
eng_stale_group(struct eng_model *m, const char *id)
{
	for (size_t i = 0; i < m->profs.cap; i++)
		if (m->profs.keys[i] && eng_prof_has_group(m->profs.vals[i], id))
			((struct eng_prof *)m->profs.vals[i])->stale = 1;
	m->dirty = 1;
}

static int
eng_id_ok(const char *id, size_t max)
{
	size_t n = id ? strnlen(id, max) : 0;

	return n > 0 && n < max;
}

int
eng_group_put(struct eng_model *m, const struct eng_group_def *g)
{
	struct eng_grp *gr;
	int r;

	if (!eng_id_ok(g->id, RULE_ID_MAX) ||
	    strnlen(g->owner, ENG_OWNER_MAX) == ENG_OWNER_MAX ||
	    g->type > ENG_GROUP_ENTERPRISE)
		return -ERR_INVALID_PARAMETER;
	gr = eng_grp_get(m, g->id);
	if (gr) {
		if (strcmp(gr->owner, g->owner) != 0)
			m->all_stale = 1;
		snprintf(gr->owner, sizeof(gr->owner), "%s", g->owner);
		gr->type = g->type;
		gr->inner_accept = g->inner_accept != 0;
		eng_stale_group(m, g->id);
		return 0;
	}
	if ((r = eng_map_reserve(&m->groups)) < 0)
		return r;
	if ((gr = calloc(1, sizeof(*gr))) == NULL)
		return -ERR_NOMEM;
	snprintf(gr->id, sizeof(gr->id), "%s", g->id);
	snprintf(gr->owner, sizeof(gr->owner), "%s", g->owner);
	gr->type = g->type;
	gr->inner_accept = g->inner_accept != 0;
	eng_map_put(&m->groups, gr->id, gr);
	m->all_stale = 1;
	m->dirty = 1;
	return 0;
}

int
eng_group_del(struct eng_model *m, const char *group_id)
{
	struct eng_grp *g = eng_grp_get(m, group_id);

	if (g == NULL)
		return -ERR_SG_NOT_FOUND;
	if (g->members > 0)
		return -ERR_INVALID_PARAMETER;
	eng_map_del(&m->groups, g->id);
	eng_grp_free(g);
	m->all_stale = 1;
	m->dirty = 1;
	return 0;
}

static int
eng_rule_valid(const struct rule *r)
{
	return eng_id_ok(r->id, RULE_ID_MAX) && r->dir <= RULE_EGRESS &&
	    r->proto <= RULE_ALL && r->policy <= RULE_DROP &&
	    r->nic <= RULE_NIC_INTERNET && r->peer_kind <= RULE_PEER_PREFIX_LIST &&
	    strnlen(r->peer_group, RULE_ID_MAX) < RULE_ID_MAX &&
	    strnlen(r->peer_owner, sizeof(r->peer_owner)) <
	    sizeof(r->peer_owner);
}

int
eng_rule_put(struct eng_model *m, const struct rule *r)
{
	struct eng_grp *g;
	struct rule *copy;

	if (!eng_rule_valid(r))
		return -ERR_INVALID_PARAMETER;
	if ((g = eng_grp_get(m, r->group_id)) == NULL)
		return -ERR_SG_NOT_FOUND;
	for (size_t i = 0; i < g->nrules; i++)
		if (strcmp(g->rules[i]->id, r->id) == 0) {
			*g->rules[i] = *r;
			eng_stale_group(m, g->id);
			return 0;
		}
	if (g->nrules == g->caprules) {
		size_t ncap = g->caprules ? g->caprules * 2 : 8;
		struct rule **nr = realloc(g->rules, ncap * sizeof(*nr));

		if (nr == NULL)
			return -ERR_NOMEM;
		g->rules = nr;
		g->caprules = ncap;
	}
	if ((copy = malloc(sizeof(*copy))) == NULL)
		return -ERR_NOMEM;
	*copy = *r;
	g->rules[g->nrules++] = copy;
	eng_stale_group(m, g->id);
	return 0;
}

int
eng_rule_del(struct eng_model *m, const char *group_id, const char *rule_id)
{
	struct eng_grp *g = eng_grp_get(m, group_id);

	if (g == NULL)
		return -ERR_SG_NOT_FOUND;
	for (size_t i = 0; i < g->nrules; i++)
		if (strcmp(g->rules[i]->id, rule_id) == 0) {
			free(g->rules[i]);
			memmove(&g->rules[i], &g->rules[i + 1],
			    (g->nrules - i - 1) * sizeof(*g->rules));
			g->nrules--;
			eng_stale_group(m, g->id);
			return 0;
		}
	return -ERR_NOT_FOUND;
}

static int
eng_vpc_get(struct eng_model *m, const char *id, struct eng_vpc **out)
{
	struct eng_vpc *v;
	int r;

	*out = NULL;
	if (!eng_id_ok(id, RULE_ID_MAX))
		return -ERR_INVALID_PARAMETER;
	if ((v = eng_map_get(&m->vpcs, id)) != NULL) {
		*out = v;
		return 0;
	}
	if ((r = eng_map_reserve(&m->vpcs)) < 0)
		return r;
	if ((v = calloc(1, sizeof(*v))) == NULL)
		return -ERR_NOMEM;
	snprintf(v->id, sizeof(v->id), "%s", id);
	eng_map_put(&m->vpcs, v->id, v);
	*out = v;
	return 0;
}

int
eng_vpc_prefix_add(struct eng_model *m, const char *vpc_id,
    const struct cidr *c)
{
	struct eng_vpc *v;
	int r;

	if (c->family != CIDR_V4 && c->family != CIDR_V6)
		return -ERR_INVALID_PARAMETER;
	if ((r = eng_vpc_get(m, vpc_id, &v)) < 0)
		return r;
	m->dirty = 1;
	for (size_t i = 0; i < v->npfx; i++)
		if (cidr_equal(&v->pfx[i], c))
			return 0;
	if (v->npfx == v->cap) {
		size_t ncap = v->cap ? v->cap * 2 : 4;
		struct cidr *np = realloc(v->pfx, ncap * sizeof(*np));

		if (np == NULL)
			return -ERR_NOMEM;
		v->pfx = np;
		v->cap = ncap;
	}
	v->pfx[v->npfx++] = *c;
	return 0;
}

/* ---- ENIs ----------------------------------------------------------- */

static int
eng_grp_ptr_cmp(const void *a, const void *b)
{
	const struct eng_grp *x = *(struct eng_grp *const *)a;
	const struct eng_grp *y = *(struct eng_grp *const *)b;

	return strcmp(x->id, y->id);
}

/* Drops e's memberships and its profile link. */
static void
eng_eni_unlink(struct eng_eni *e)
{
	for (size_t i = 0; i < e->ngroups; i++) {
		e->groups[i]->members--;
		e->groups[i]->set_dirty = 1;
	}
	e->ngroups = 0;
	if (e->prof) {
		e->prof->refs--;
		e->prof = NULL;
	}
}

static int
eng_eni_check(const struct eng_model *m, const struct eng_eni_def *d,
    struct eng_grp **gs)
{
	if (!eng_id_ok(d->id, RULE_ID_MAX) || d->ngroups > ENG_GROUPS_MAX ||
	    d->naddrs > ENG_ADDRS_MAX || (d->ngroups && d->groups == NULL) ||
	    (d->naddrs && d->addrs == NULL))
		return -ERR_INVALID_PARAMETER;
	if (d->pub.family != 0 && d->pub.family != CIDR_V4 &&
	    d->pub.family != CIDR_V6)
		return -ERR_INVALID_PARAMETER;
	for (size_t i = 0; i < d->naddrs; i++)
		if (d->addrs[i].family != CIDR_V4 &&
		    d->addrs[i].family != CIDR_V6)
			return -ERR_INVALID_PARAMETER;
	for (size_t i = 0; i < d->ngroups; i++) {
		if (d->groups[i] == NULL ||
		    (gs[i] = eng_grp_get(m, d->groups[i])) == NULL)
			return -ERR_SG_NOT_FOUND;
		for (size_t j = 0; j < i; j++)
			if (gs[j] == gs[i])
				return -ERR_INVALID_PARAMETER;
	}
	return 0;
}

int
eng_eni_put(struct eng_model *m, const struct eng_eni_def *d)
{
	struct eng_grp *gs[ENG_GROUPS_MAX];
	struct eng_vpc *vpc = NULL;
	struct cidr *addrs = NULL;
	struct eng_eni *e;
	int r;

	if ((r = eng_eni_check(m, d, gs)) < 0)
		return r;
	if (d->naddrs &&
	    (addrs = malloc(d->naddrs * sizeof(*addrs))) == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < d->naddrs; i++) {
		addrs[i] = d->addrs[i];
		addrs[i].len = addrs[i].family == CIDR_V4 ? 32 : 128;
	}
	if (d->vpc_id && d->vpc_id[0] && (r = eng_vpc_get(m, d->vpc_id,
	    &vpc)) < 0)
		goto out;
	if ((e = eng_map_get(&m->enis, d->id)) == NULL) {
		if ((r = eng_map_reserve(&m->enis)) < 0)
			goto out;
		if ((e = calloc(1, sizeof(*e))) == NULL) {
			r = -ERR_NOMEM;
			goto out;
		}
		snprintf(e->id, sizeof(e->id), "%s", d->id);
		eng_map_put(&m->enis, e->id, e);
	}
	eng_eni_unlink(e);
	free(e->addrs);
	e->addrs = addrs;
	addrs = NULL;
	e->naddrs = d->naddrs;
	e->vpc = vpc;
	e->pub = d->pub;
	memcpy(e->groups, gs, d->ngroups * sizeof(*gs));
	e->ngroups = d->ngroups;
	qsort(e->groups, e->ngroups, sizeof(*e->groups), eng_grp_ptr_cmp);
	for (size_t i = 0; i < e->ngroups; i++) {
		e->groups[i]->members++;
		e->groups[i]->set_dirty = 1;
	}
	m->dirty = 1;
	r = 0;
out:
	free(addrs);
	return r;
}

int
eng_eni_del(struct eng_model *m, const char *eni_id)
{
	struct eng_eni *e = eng_map_get(&m->enis, eni_id);

	if (e == NULL)
		return -ERR_NOT_FOUND;
	eng_eni_unlink(e);
	eng_map_del(&m->enis, e->id);
	eng_eni_free(e);
	m->dirty = 1;
	return 0;
}

const struct eng_eni *
eng_eni_find(const struct eng_model *m, const char *id)
{
	return eng_map_get(&m->enis, id);
}

/* ---- compile -------------------------------------------------------- */

/* Rebuilds the address sets of groups whose membership changed. */
static int
eng_sets_rebuild(struct eng_model *m)
{
	struct eng_grp *g;
	int r = 0;

	for (size_t i = 0; i < m->groups.cap; i++)
		if (m->groups.keys[i] &&
		    (g = m->groups.vals[i])->set_dirty)
			eng_aset_free(&g->set);
	/* Count, allocate, fill: n4/n6 count first, then index. */
	for (size_t i = 0; i < m->enis.cap; i++) {
		struct eng_eni *e = m->enis.vals[i];

		if (m->enis.keys[i] == NULL)
			continue;
		for (size_t k = 0; k < e->ngroups; k++) {
			if (!(g = e->groups[k])->set_dirty)
				continue;
			for (size_t a = 0; a < e->naddrs; a++)
				*(e->addrs[a].family == CIDR_V4 ? &g->set.n4 :
				    &g->set.n6) += 1;
		}
	}
	for (size_t i = 0; i < m->groups.cap; i++) {
		if (m->groups.keys[i] == NULL ||
		    !(g = m->groups.vals[i])->set_dirty)
			continue;
		g->set.v4 = malloc((g->set.n4 + 1) * sizeof(*g->set.v4));
		g->set.v6 = malloc((g->set.n6 + 1) * sizeof(*g->set.v6));
		g->set.n4 = g->set.n6 = 0;
		if (g->set.v4 == NULL || g->set.v6 == NULL)
			r = -ERR_NOMEM;
	}
	if (r < 0)
		goto out;
	for (size_t i = 0; i < m->enis.cap; i++) {
		struct eng_eni *e = m->enis.vals[i];

		if (m->enis.keys[i] == NULL)
			continue;
		for (size_t k = 0; k < e->ngroups; k++) {
			if (!(g = e->groups[k])->set_dirty)
				continue;
			for (size_t a = 0; a < e->naddrs; a++) {
				struct eng_u128 u;

				eng_u128_from(e->addrs[a].family,
				    e->addrs[a].addr, &u);
				if (e->addrs[a].family == CIDR_V4)
					g->set.v4[g->set.n4++] = (uint32_t)u.lo;
				else
					g->set.v6[g->set.n6++] = u;
			}
		}
	}
	for (size_t i = 0; i < m->groups.cap; i++) {
		size_t n = 0;

		if (m->groups.keys[i] == NULL ||
		    !(g = m->groups.vals[i])->set_dirty)
			continue;
		qsort(g->set.v4, g->set.n4, sizeof(*g->set.v4), eng_u32_qcmp);
		for (size_t k = 0; k < g->set.n4; k++)
			if (n == 0 || g->set.v4[n - 1] != g->set.v4[k])
				g->set.v4[n++] = g->set.v4[k];
		g->set.n4 = n;
		qsort(g->set.v6, g->set.n6, sizeof(*g->set.v6), eng_u128_qcmp);
		n = 0;
		for (size_t k = 0; k < g->set.n6; k++)
			if (n == 0 ||
			    eng_u128_cmp(&g->set.v6[n - 1], &g->set.v6[k]) != 0)
				g->set.v6[n++] = g->set.v6[k];
		g->set.n6 = n;
		g->set_dirty = 0;
		m->set_builds++;
	}
out:
	if (r < 0)
		for (size_t i = 0; i < m->groups.cap; i++)
			if (m->groups.keys[i] &&
			    (g = m->groups.vals[i])->set_dirty)
				eng_aset_free(&g->set);
	return r;
}

/* Links e to the profile of its (network kind, group set). */
static int
eng_prof_attach(struct eng_model *m, struct eng_eni *e)
{
	char key[4 + ENG_GROUPS_MAX * RULE_ID_MAX];
	size_t off;
	struct eng_prof *p;
	int r;

	off = (size_t)snprintf(key, sizeof(key), "%c|", e->vpc ? 'v' : 'c');
	for (size_t i = 0; i < e->ngroups; i++)
		off += (size_t)snprintf(key + off, sizeof(key) - off, "%s%s",
		    i ? "," : "", e->groups[i]->id);
	if ((p = eng_map_get(&m->profs, key)) == NULL) {
		if ((r = eng_map_reserve(&m->profs)) < 0)
			return r;
		if ((p = calloc(1, sizeof(*p))) == NULL)
			return -ERR_NOMEM;
		if ((p->key = strdup(key)) == NULL) {
			free(p);
			return -ERR_NOMEM;
		}
		p->classic = e->vpc == NULL;
		p->stale = 1;
		eng_map_put(&m->profs, p->key, p);
	}
	p->refs++;
	e->prof = p;
	return 0;
}

/* The groups named by a profile key (they exist: members block deletion). */
static size_t
eng_prof_groups(const struct eng_model *m, const struct eng_prof *p,
    struct eng_grp **gs)
{
	char id[RULE_ID_MAX];
	const char *s = p->key + 2;
	size_t n = 0;

	while (*s && n < ENG_GROUPS_MAX) {
		size_t len = strcspn(s, ",");

		if (len < sizeof(id)) {
			memcpy(id, s, len);
			id[len] = '\0';
			if ((gs[n] = eng_grp_get(m, id)) != NULL)
				n++;
		}
		s += len;
		if (*s == ',')
			s++;
	}
	return n;
}

int
eng_compile(struct eng_model *m)
{
	struct eng_grp *gs[ENG_GROUPS_MAX];
	int r;

	if ((r = eng_sets_rebuild(m)) < 0)
		return r;
	for (size_t i = 0; i < m->profs.cap; i++)
		if (m->profs.keys[i] && m->all_stale)
			((struct eng_prof *)m->profs.vals[i])->stale = 1;
	m->all_stale = 0;
	for (size_t i = 0; i < m->enis.cap; i++) {
		struct eng_eni *e = m->enis.vals[i];

		if (m->enis.keys[i] && e->prof == NULL &&
		    (r = eng_prof_attach(m, e)) < 0)
			return r;
	}
	for (size_t i = 0; i < m->profs.cap;) {
		struct eng_prof *p = m->profs.vals[i];

		if (m->profs.keys[i] && p->refs == 0) {
			eng_map_del(&m->profs, p->key);
			eng_prof_free(p);
			continue;	/* slot i may hold a shifted entry */
		}
		i++;
	}
	for (size_t i = 0; i < m->profs.cap; i++) {
		struct eng_prof *p = m->profs.vals[i];

		if (m->profs.keys[i] == NULL || !p->stale)
			continue;
		r = eng_prof_compile(m, p, gs, eng_prof_groups(m, p, gs));
		if (r < 0)
			return r;
		p->stale = 0;
		m->profile_compiles++;
	}
	m->dirty = 0;
	return 0;
}

void
eng_model_stats(const struct eng_model *m, struct eng_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->groups = m->groups.n;
	st->enis = m->enis.n;
	st->profiles = m->profs.n;
	st->profile_compiles = m->profile_compiles;
	st->set_builds = m->set_builds;
	for (size_t i = 0; i < m->groups.cap; i++)
		if (m->groups.keys[i])
			st->rules += ((struct eng_grp *)m->groups.vals[i])->nrules;
	for (size_t i = 0; i < m->profs.cap; i++)
		if (m->profs.keys[i])
			st->profile_bytes +=
			    ((struct eng_prof *)m->profs.vals[i])->arena.bytes;
}
