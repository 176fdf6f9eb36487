/*
 * eng_load: the decision engine's model of one account and region, built
 * from the store rows (docs/design.md, "Store model": sg, sgrule, eni, vpc,
 * sgmember), the shared cache of such models, and what-if changes applied
 * to a private one. See eng_load.h for the contract.
 *
 * A build reads four lists (groups, rules, ENIs, VPCs of the account in
 * the region: one query each) and, per rule naming another account's
 * group, that group and its member rows. Nothing is read per ENI, so the
 * cost is linear in the rows, dominated by decoding their JSON documents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "sg/eng_load.h"
#include "sg/rule_parse.h"

#define ENGLOAD_KIND_SG "sg"
#define ENGLOAD_KIND_RULE "sgrule"
#define ENGLOAD_KIND_MEMBER "sgmember"

static const char *
engload_str(const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	return s ? s : "";
}

/*
 * Lookups. ENIs, instances and rules (up to tens of thousands) through
 * arrays of pointers sorted by id, rebuilt by engload_sort after every
 * change; groups and peer stubs (a few hundred) through the JSON object
 * l->index ("g:" / "s:" + id -> position).
 */

static int
engload_idx_put(struct engload *l, char kind, const char *id, size_t pos)
{
	char key[RULE_ID_MAX + 4];

	snprintf(key, sizeof(key), "%c:%s", kind, id);
	return json_object_set_new(l->index, key,
	    json_integer((json_int_t)pos)) < 0 ? -ERR_NOMEM : 0;
}

static long
engload_idx_get(const struct engload *l, char kind, const char *id)
{
	char key[RULE_ID_MAX + 4];
	json_t *v;

	if (id == NULL || strlen(id) >= RULE_ID_MAX)
		return -1;
	snprintf(key, sizeof(key), "%c:%s", kind, id);
	v = json_object_get(l->index, key);
	return v ? (long)json_integer_value(v) : -1;
}

static int
engload_eni_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct engload_eni *const *)a)->id,
	    (*(const struct engload_eni *const *)b)->id);
}

static int
engload_inst_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct engload_eni *const *)a)->instance,
	    (*(const struct engload_eni *const *)b)->instance);
}

static int
engload_rule_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct engload_rule *const *)a)->r.id,
	    (*(const struct engload_rule *const *)b)->r.id);
}

/* (Re)builds the sorted arrays. */
static int
engload_sort(struct engload *l)
{
	const struct engload_eni **e, **i;
	const struct engload_rule **r;
	size_t ni = 0;

	e = calloc(l->nenis + 1, sizeof(*e));
	i = calloc(l->nenis + 1, sizeof(*i));
	r = calloc(l->nrules + 1, sizeof(*r));
	if (e == NULL || i == NULL || r == NULL) {
		free(e);
		free(i);
		free(r);
		return -ERR_NOMEM;
	}
	for (size_t k = 0; k < l->nenis; k++) {
		e[k] = &l->enis[k];
		if (l->enis[k].primary && l->enis[k].instance[0])
			i[ni++] = &l->enis[k];
	}
	for (size_t k = 0; k < l->nrules; k++)
		r[k] = &l->rules[k];
	qsort(e, l->nenis, sizeof(*e), engload_eni_cmp);
	qsort(i, ni, sizeof(*i), engload_inst_cmp);
	qsort(r, l->nrules, sizeof(*r), engload_rule_cmp);
	free(l->by_id);
	free(l->by_inst);
	free(l->by_rule);
	l->by_id = e;
	l->by_inst = i;
	l->nby_inst = ni;
	l->by_rule = r;
	return 0;
}

const struct engload_eni *
engload_eni(const struct engload *l, const char *id)
{
	struct engload_eni key;
	const struct engload_eni *k = &key, *const *hit;

	if (id == NULL || strlen(id) >= sizeof(key.id))
		return NULL;
	snprintf(key.id, sizeof(key.id), "%s", id);
	hit = bsearch(&k, l->by_id, l->nenis, sizeof(*l->by_id),
	    engload_eni_cmp);
	return hit ? *hit : NULL;
}

const struct engload_eni *
engload_instance(const struct engload *l, const char *id)
{
	struct engload_eni key;
	const struct engload_eni *k = &key, *const *hit;

	if (id == NULL || id[0] == '\0' || strlen(id) >= sizeof(key.instance))
		return NULL;
	snprintf(key.instance, sizeof(key.instance), "%s", id);
	hit = bsearch(&k, l->by_inst, l->nby_inst, sizeof(*l->by_inst),
	    engload_inst_cmp);
	return hit ? *hit : NULL;
}

const struct engload_rule *
engload_rule(const struct engload *l, const char *id)
{
	struct engload_rule key;
	const struct engload_rule *k = &key, *const *hit;

	if (id == NULL || strlen(id) >= sizeof(key.r.id))
		return NULL;
	snprintf(key.r.id, sizeof(key.r.id), "%s", id);
	hit = bsearch(&k, l->by_rule, l->nrules, sizeof(*l->by_rule),
	    engload_rule_cmp);
	return hit ? *hit : NULL;
}

const struct engload_group *
engload_group(const struct engload *l, const char *id)
{
	long i = engload_idx_get(l, 'g', id);

	return i < 0 ? NULL : &l->groups[i];
}


int
engload_peer_ok(const struct engload *l, const struct rule *r)
{
	const struct engload_group *g;

	if (r->peer_kind != RULE_PEER_GROUP)
		return 1;
	g = engload_group(l, r->peer_group);
	return g != NULL && strcmp(g->owner, r->peer_owner) == 0;
}

/* ---- building -------------------------------------------------------- */

void
engload_free(struct engload *l)
{
	if (l == NULL)
		return;
	eng_model_free(l->m);
	for (size_t i = 0; i < l->ngroups; i++)
		json_decref(l->groups[i].doc);
	for (size_t i = 0; i < l->nrules; i++)
		json_decref(l->rules[i].doc);
	free(l->enis);
	free(l->groups);
	free(l->rules);
	json_decref(l->index);
	json_decref(l->stubs);
	free(l->by_id);
	free(l->by_inst);
	free(l->by_rule);
	free(l);
}

static int
engload_group_add(struct engload *l, const struct store_res *g, int own)
{
	struct engload_group *n;
	struct eng_group_def d;
	int r;

	if (l->ngroups == l->capgroups) {
		size_t cap = l->capgroups ? 2 * l->capgroups : 16;

		if ((n = realloc(l->groups, cap * sizeof(*n))) == NULL)
			return -ERR_NOMEM;
		l->groups = n;
		l->capgroups = cap;
	}
	n = &l->groups[l->ngroups];
	memset(n, 0, sizeof(*n));
	memset(&d, 0, sizeof(d));
	snprintf(n->id, sizeof(n->id), "%s", g->id);
	snprintf(n->owner, sizeof(n->owner), "%s", g->account);
	snprintf(n->vpc, sizeof(n->vpc), "%s", g->parent);
	n->own = own;
	n->enterprise = strcmp(engload_str(g->doc, "SecurityGroupType"),
	    "enterprise") == 0;
	n->inner_accept = strcmp(engload_str(g->doc, "InnerAccessPolicy"),
	    "Drop") != 0;
	snprintf(d.id, sizeof(d.id), "%s", n->id);
	snprintf(d.owner, sizeof(d.owner), "%s", n->owner);
	d.type = n->enterprise ? ENG_GROUP_ENTERPRISE : ENG_GROUP_BASIC;
	d.inner_accept = (uint8_t)n->inner_accept;
	if ((r = eng_group_put(l->m, &d)) < 0 ||
	    (r = engload_idx_put(l, 'g', n->id, l->ngroups)) < 0)
		return r;
	n->doc = json_incref(g->doc);
	l->ngroups++;
	return 0;
}

/* (Re)puts a peer member stub with every loaded peer group it is in. */
static int
engload_stub_put(struct engload *l, json_t *stub)
{
	const char *gs[ENG_GROUPS_MAX];
	json_t *groups = json_object_get(stub, "groups"), *v;
	struct eng_eni_def d;
	struct cidr ip;
	size_t i, n = 0;

	json_array_foreach(groups, i, v)
		if (n < ENG_GROUPS_MAX)
			gs[n++] = json_string_value(v);
	memset(&d, 0, sizeof(d));
	d.id = engload_str(stub, "id");
	d.groups = gs;
	d.ngroups = n;
	if (cidr_parse_addr(engload_str(stub, "ip"), &ip) == 0) {
		d.addrs = &ip;
		d.naddrs = 1;
	}
	return eng_eni_put(l->m, &d);
}

/*
 * Another account's group named by a rule: the group (when it exists in
 * the region and belongs to owner) and its members' private addresses.
 * Absent or not the owner's: nothing is loaded, the rule matches nothing.
 */
static int
engload_peer_load(struct engload *l, struct store *st, const char *id,
    const char *owner)
{
	struct store_filter f = { NULL, ENGLOAD_KIND_MEMBER, NULL, id, NULL };
	struct store_res_list m = { NULL, 0 };
	struct store_res g;
	int r;

	if (engload_group(l, id) != NULL)
		return 0;
	memset(&g, 0, sizeof(g));
	r = store_res_get(st, id, &g);
	if (r == -ERR_NOT_FOUND || (r == 0 &&
	    (strcmp(g.kind, ENGLOAD_KIND_SG) != 0 ||
	    strcmp(g.account, owner) != 0 || strcmp(g.region, l->region) != 0)))
		r = 0;
	else if (r == 0 && (r = engload_group_add(l, &g, 0)) == 0 &&
	    (r = store_res_list(st, &f, &m)) == 0) {
		l->groups[l->ngroups - 1].members = m.n;
		for (size_t i = 0; i < m.n && r == 0; i++) {
			const char *eni = engload_str(m.v[i].doc,
			    "NetworkInterfaceId");
			long k = engload_idx_get(l, 's', eni);
			json_t *stub;

			if (k < 0) {
				stub = json_pack("{s:s, s:s, s:[]}", "id", eni,
				    "ip", engload_str(m.v[i].doc,
				    "PrivateIpAddress"), "groups");
				if (stub == NULL || (r = engload_idx_put(l, 's',
				    eni, json_array_size(l->stubs))) < 0 ||
				    json_array_append_new(l->stubs, stub) < 0) {
					r = r < 0 ? r : -ERR_NOMEM;
					break;
				}
			} else {
				stub = json_array_get(l->stubs, (size_t)k);
			}
			json_array_append_new(json_object_get(stub, "groups"),
			    json_string(id));
			r = engload_stub_put(l, stub);
		}
	}
	store_res_clear(&g);
	store_res_list_free(&m);
	return r;
}

/* Adds a rule document of group gidx (the group's rules list). */
static int
engload_rule_add(struct engload *l, struct store *st, json_t *doc,
    uint32_t gidx, int proposed)
{
	const struct engload_group *g = &l->groups[gidx];
	struct engload_rule *n;
	struct rule ru;
	int r;

	if (rule_compile(doc, &ru) < 0)
		return 0;	/* never for stored rules: not guessed at */
	snprintf(ru.group_id, sizeof(ru.group_id), "%s", g->id);
	if (ru.peer_kind == RULE_PEER_GROUP) {
		if (ru.peer_owner[0] == '\0')
			snprintf(ru.peer_owner, sizeof(ru.peer_owner), "%s",
			    g->owner);
		if (strcmp(ru.peer_owner, l->account) != 0 &&
		    (r = engload_peer_load(l, st, ru.peer_group,
		    ru.peer_owner)) < 0)
			return r;
	}
	if (l->nrules == l->caprules) {
		size_t cap = l->caprules ? 2 * l->caprules : 64;

		if ((n = realloc(l->rules, cap * sizeof(*n))) == NULL)
			return -ERR_NOMEM;
		l->rules = n;
		l->caprules = cap;
	}
	if ((r = eng_rule_put(l->m, &ru)) < 0)
		return r;
	n = &l->rules[l->nrules++];
	memset(n, 0, sizeof(*n));
	n->r = ru;
	n->doc = json_incref(doc);
	n->group = gidx;
	n->proposed = proposed;
	return 0;
}

static int
engload_eni_add(struct engload *l, const struct store_res *e)
{
	struct engload_eni *n = &l->enis[l->nenis];
	const char *gs[ENG_GROUPS_MAX];
	json_t *ids = json_object_get(e->doc, "SecurityGroupIds"), *v;
	struct eng_eni_def d;
	size_t i;
	int r;

	memset(n, 0, sizeof(*n));
	memset(&d, 0, sizeof(d));
	snprintf(n->id, sizeof(n->id), "%s", e->id);
	snprintf(n->instance, sizeof(n->instance), "%s",
	    engload_str(e->doc, "InstanceId"));
	snprintf(n->vpc, sizeof(n->vpc), "%s", engload_str(e->doc, "VpcId"));
	n->primary = strcmp(engload_str(e->doc, "Type"), "Primary") == 0;
	if (cidr_parse_addr(engload_str(e->doc, "PrivateIpAddress"),
	    &n->ip) < 0)
		memset(&n->ip, 0, sizeof(n->ip));
	if (n->vpc[0] || cidr_parse_addr(engload_str(e->doc,
	    "PublicIpAddress"), &n->pub) < 0)
		memset(&n->pub, 0, sizeof(n->pub));
	json_array_foreach(ids, i, v) {
		long k = engload_idx_get(l, 'g', json_string_value(v));

		if (k < 0 || !l->groups[k].own || n->ngroups == ENG_GROUPS_MAX)
			continue;
		n->groups[n->ngroups] = (uint32_t)k;
		gs[n->ngroups++] = l->groups[k].id;
		l->groups[k].members++;
	}
	d.id = n->id;
	d.vpc_id = n->vpc;
	d.groups = gs;
	d.ngroups = n->ngroups;
	d.addrs = &n->ip;
	d.naddrs = n->ip.family ? 1 : 0;
	d.pub = n->pub;
	if ((r = eng_eni_put(l->m, &d)) < 0)
		return r;
	l->nenis++;
	return 0;
}

/* A VPC's intranet prefixes: its IPv4 block and IPv6 block(s). */
static int
engload_vpc_add(struct engload *l, const struct store_res *v)
{
	static const char *const keys[] = { "CidrBlock", "Ipv6CidrBlock", NULL };
	struct cidr c;
	int r;

	for (int i = 0; keys[i]; i++)
		if (cidr_parse(engload_str(v->doc, keys[i]), &c) == 0 &&
		    (r = eng_vpc_prefix_add(l->m, v->id, &c)) < 0)
			return r;
	return 0;
}

static int
engload_list(struct store *st, const struct engload_opts *o, const char *kind,
    struct store_res_list *out)
{
	struct store_filter f = { o->account, kind, o->region, NULL, NULL };

	return store_res_list(st, &f, out);
}

static int
engload_fill(struct engload *l, struct store *st, const struct engload_opts *o)
{
	struct store_res_list gs = { 0 }, rs = { 0 }, es = { 0 }, vs = { 0 };
	int r;

	if ((r = engload_list(st, o, ENGLOAD_KIND_SG, &gs)) < 0 ||
	    (r = engload_list(st, o, ENGLOAD_KIND_RULE, &rs)) < 0 ||
	    (r = engload_list(st, o, "eni", &es)) < 0 ||
	    (r = engload_list(st, o, "vpc", &vs)) < 0)
		goto out;
	if (es.n && (l->enis = calloc(es.n, sizeof(*l->enis))) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < gs.n && r == 0; i++)
		r = engload_group_add(l, &gs.v[i], 1);
	for (size_t i = 0; i < vs.n && r == 0; i++)
		r = engload_vpc_add(l, &vs.v[i]);
	for (size_t i = 0; i < rs.n && r == 0; i++) {
		long g = engload_idx_get(l, 'g', rs.v[i].parent);

		if (g >= 0 && l->groups[g].own)
			r = engload_rule_add(l, st, rs.v[i].doc, (uint32_t)g, 0);
	}
	for (size_t i = 0; i < es.n && r == 0; i++)
		r = engload_eni_add(l, &es.v[i]);
out:
	store_res_list_free(&gs);
	store_res_list_free(&rs);
	store_res_list_free(&es);
	store_res_list_free(&vs);
	return r;
}

/* ENI pointers of the model, valid once it is compiled. */
static void
engload_link(struct engload *l)
{
	for (size_t i = 0; i < l->nenis; i++)
		l->enis[i].e = eng_eni_find(l->m, l->enis[i].id);
}

int
engload_build(struct store *st, const struct engload_opts *o,
    struct engload **out)
{
	struct engload *l;
	int r;

	*out = NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL)
		return -ERR_NOMEM;
	l->refs = 1;
	snprintf(l->account, sizeof(l->account), "%s", o->account);
	snprintf(l->region, sizeof(l->region), "%s", o->region);
	l->revision = store_revision(st);
	l->index = json_object();
	l->stubs = json_array();
	if (l->index == NULL || l->stubs == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	if ((r = eng_model_new(&l->m)) < 0 ||
	    (r = engload_fill(l, st, o)) < 0)
		goto out;
	eng_model_set_tcp25_open(l->m, o->tcp25_open);
	if ((r = eng_compile(l->m)) < 0 || (r = engload_sort(l)) < 0)
		goto out;
	engload_link(l);
	*out = l;
	l = NULL;
out:
	engload_free(l);
	return r;
}

/* ---- the cache ------------------------------------------------------- */

static void
engload_unref(struct engload *l)
{
	if (l && --l->refs == 0)
		engload_free(l);
}

/*
 * The cache key: the store (its address and its root account, random per
 * store, so that a store opened later at the same address never matches),
 * the account, the region and the operator setting. The revision is
 * compared apart.
 */
static void
engload_key(struct store *st, const struct engload_opts *o, char *key,
    size_t len)
{
	char *root = NULL;

	if (store_meta_get(st, "root_account", &root) < 0)
		root = NULL;
	snprintf(key, len, "%p|%s|%s|%s|%d", (void *)st, root ? root : "",
	    o->account, o->region, o->tcp25_open);
	free(root);
}

int
engload_get(struct engload_cache *c, struct store *st,
    const struct engload_opts *o, struct engload **out)
{
	uint64_t rev = store_revision(st);
	struct engload *l = NULL;
	char key[sizeof(l->key)];
	size_t i;
	int r;

	*out = NULL;
	engload_key(st, o, key, sizeof(key));
	pthread_mutex_lock(&c->mu);
	for (i = 0; i < ENGLOAD_CACHE_SLOTS; i++)
		if (c->slot[i] && c->slot[i]->revision == rev &&
		    strcmp(c->slot[i]->key, key) == 0) {
			l = c->slot[i];
			l->refs++;
			c->hits++;
			break;
		}
	pthread_mutex_unlock(&c->mu);
	if (l) {
		*out = l;
		return 0;
	}
	if ((r = engload_build(st, o, &l)) < 0)
		return r;
	snprintf(l->key, sizeof(l->key), "%s", key);
	pthread_mutex_lock(&c->mu);
	/* Most recent first: the same key's older model or the last goes. */
	for (i = 0; i < ENGLOAD_CACHE_SLOTS - 1; i++)
		if (c->slot[i] && strcmp(c->slot[i]->key, key) == 0)
			break;
	engload_unref(c->slot[i]);
	memmove(&c->slot[1], &c->slot[0], i * sizeof(c->slot[0]));
	c->slot[0] = l;
	l->refs++;
	c->builds++;
	pthread_mutex_unlock(&c->mu);
	*out = l;
	return 0;
}

void
engload_put(struct engload_cache *c, struct engload *l)
{
	if (l == NULL)
		return;
	if (c)
		pthread_mutex_lock(&c->mu);
	engload_unref(l);
	if (c)
		pthread_mutex_unlock(&c->mu);
}

void
engload_cache_clear(struct engload_cache *c)
{
	pthread_mutex_lock(&c->mu);
	for (size_t i = 0; i < ENGLOAD_CACHE_SLOTS; i++) {
		engload_unref(c->slot[i]);
		c->slot[i] = NULL;
	}
	pthread_mutex_unlock(&c->mu);
}

/* ---- what-if --------------------------------------------------------- */

static void
engload_rparse_group(const struct engload_group *g, struct rparse_group *out)
{
	out->id = g->id;
	out->account = g->owner;
	out->vpc = g->vpc[0] != '\0';
	out->enterprise = g->enterprise;
}

/* rule_parse's detail, prefixed with the edit when it names a field. */
static int
engload_edit_fail(const struct engload_edit *e, int r, const char *what,
    char *detail)
{
	char tmp[ENGLOAD_DETAIL];

	if (detail) {
		snprintf(tmp, sizeof(tmp), "%s", what ? what : "");
		if (tmp[0] && strchr(tmp, ' ') == NULL)
			snprintf(detail, ENGLOAD_DETAIL, "%s.%.160s", e->where,
			    tmp);
		else if (tmp[0])
			snprintf(detail, ENGLOAD_DETAIL, "%s", tmp);
		else
			snprintf(detail, ENGLOAD_DETAIL, "%s", e->where);
	}
	return r;
}

static int
engload_remove(struct engload *l, const struct engload_edit *e, long gidx,
    char *detail)
{
	struct rparse_group g;
	char key[RPARSE_KEY_MAX], have[RPARSE_KEY_MAX], det[RPARSE_DETAIL] = "";
	json_t *doc = NULL;
	size_t hits = 0;
	int r = 0;

	engload_rparse_group(&l->groups[gidx], &g);
	if (e->rule_id[0] == '\0') {
		if ((r = rparse_rule(&e->fields, "", e->dir, &g, RPARSE_MATCH,
		    &doc, det)) < 0)
			return engload_edit_fail(e, r, det, detail);
		if ((r = rparse_key(doc, l->account, key, sizeof(key))) < 0)
			goto out;
	}
	for (size_t i = 0; i < l->nrules; i++) {
		struct engload_rule *ru = &l->rules[i];

		if (ru->removed || ru->group != (uint32_t)gidx ||
		    ru->r.dir != e->dir)
			continue;
		if (e->rule_id[0] ? strcmp(ru->r.id, e->rule_id) != 0 :
		    rparse_key(ru->doc, l->account, have, sizeof(have)) < 0 ||
		    strcmp(have, key) != 0)
			continue;
		if ((r = eng_rule_del(l->m, l->groups[gidx].id, ru->r.id)) < 0)
			goto out;
		ru->removed = 1;
		hits++;
	}
	if (hits == 0)
		r = engload_edit_fail(e, -ERR_SGR_NOT_FOUND, NULL, detail);
out:
	json_decref(doc);
	return r;
}

/* A proposed rule's peer group must exist where Authorize looks for it. */
static int
engload_add_peer(struct engload *l, struct store *st,
    const struct engload_edit *e, const json_t *doc, char *detail)
{
	const char *owner, *peer = rparse_peer_group(doc, &owner);
	const struct engload_group *pg;
	int r;

	if (peer == NULL)
		return 0;
	if (owner[0] && strcmp(owner, l->account) != 0 &&
	    (r = engload_peer_load(l, st, peer, owner)) < 0)
		return r;
	pg = engload_group(l, peer);
	if (pg == NULL || strcmp(pg->owner, owner[0] ? owner : l->account) != 0)
		return engload_edit_fail(e, e->dir == RULE_INGRESS ?
		    -ERR_SGR_SRC_GROUP_NOT_FOUND : -ERR_SGR_DST_GROUP_NOT_FOUND,
		    NULL, detail);
	return 0;
}

static int
engload_add(struct engload *l, struct store *st, const struct engload_edit *e,
    long gidx, int k, char *detail)
{
	struct rparse_group g;
	char det[RPARSE_DETAIL] = "", id[32];
	json_t *doc = NULL;
	int r;

	engload_rparse_group(&l->groups[gidx], &g);
	if ((r = rparse_rule(&e->fields, "", e->dir, &g, RPARSE_AUTHORIZE,
	    &doc, det)) < 0)
		return engload_edit_fail(e, r, det, detail);
	snprintf(id, sizeof(id), "proposed-%d", k);
	json_object_set_new(doc, "SecurityGroupRuleId", json_string(id));
	if ((r = engload_add_peer(l, st, e, doc, detail)) == 0)
		r = engload_rule_add(l, st, doc, (uint32_t)gidx, 1);
	json_decref(doc);
	return r;
}

int
engload_apply(struct engload *l, struct store *st,
    const struct engload_change *c, char *detail)
{
	int r, k = 0;

	for (size_t i = 0; i < c->n; i++) {
		const struct engload_edit *e = &c->v[i];
		long g = engload_idx_get(l, 'g', e->group);

		if (g < 0 || !l->groups[g].own) {
			if (detail)
				snprintf(detail, ENGLOAD_DETAIL,
				    "%s.SecurityGroupId", e->where);
			return -ERR_SG_NOT_FOUND;
		}
		r = e->remove ? engload_remove(l, e, g, detail) :
		    engload_add(l, st, e, g, ++k, detail);
		if (r < 0)
			return r;
	}
	if ((r = eng_compile(l->m)) < 0 || (r = engload_sort(l)) < 0)
		return r;
	engload_link(l);
	return 0;
}
