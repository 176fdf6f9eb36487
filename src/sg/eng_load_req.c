/*
 * eng_load_req: the request forms of the engine actions (see eng_load.h),
 * pure — decoded parameters in, structures out, nothing read from the
 * store: a flow given by its ends (engload_query_parse, and engload_flow
 * which resolves it on a model), a what-if change (engload_change_parse),
 * and item coverage for naming the rule that shadows another. Fuzzed by
 * fuzz/eng_param_fuzz.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/err.h"
#include "sg/eng_load.h"

#define ENGLOAD_FIELD_MAX 64	/* a rule field name after the prefix */

static int engload_fail(char *detail, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fills detail (may be NULL) and returns -err. */
static int
engload_fail(char *detail, int err, const char *fmt, ...)
{
	va_list ap;

	if (detail) {
		va_start(ap, fmt);
		vsnprintf(detail, ENGLOAD_DETAIL, fmt, ap);
		va_end(ap);
	}
	return -err;
}

/* Decimal 0..max, 1..6 digits, nothing else; -1 if not. */
static long
engload_num(const char *s, long max)
{
	long v = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 6)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v > max ? -1 : v;
}

/* A non-empty parameter value, or NULL. */
static const char *
engload_param(const struct prm_list *p, const char *key)
{
	const char *v = prm_get(p, key);

	return v && v[0] ? v : NULL;
}

/* ---- the flow --------------------------------------------------------- */

static const struct {
	const char *name;
	int num;
} engload_protos[] = {
	{ "tcp", ENG_IPPROTO_TCP }, { "udp", ENG_IPPROTO_UDP },
	{ "icmp", ENG_IPPROTO_ICMP }, { "icmpv6", ENG_IPPROTO_ICMPV6 },
	{ "gre", ENG_IPPROTO_GRE }, { "all", ENGLOAD_PROTO_ALL },
};

static const char *const engload_states[] = {
	[ENG_CT_NEW] = "new", [ENG_CT_ESTABLISHED] = "established",
	[ENG_CT_RELATED] = "related", [ENG_CT_INVALID] = "invalid",
};

static int
engload_proto(const char *v)
{
	for (size_t i = 0; i < sizeof(engload_protos) /
	    sizeof(*engload_protos); i++)
		if (strcasecmp(v, engload_protos[i].name) == 0)
			return engload_protos[i].num;
	return (int)engload_num(v, 255);
}

/* One side: <side>InstanceId | <side>NetworkInterfaceId | <side>Ip. */
static int
engload_end_parse(const struct prm_list *p, const char *side,
    struct engload_end *e, char *detail)
{
	static const char *const sfx[] = { "InstanceId", "NetworkInterfaceId",
	    "Ip" };
	static const uint8_t kinds[] = { ENGLOAD_END_INSTANCE, ENGLOAD_END_ENI,
	    ENGLOAD_END_IP };
	char key[64];

	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < 3; i++) {
		const char *v;

		snprintf(key, sizeof(key), "%s%s", side, sfx[i]);
		if ((v = engload_param(p, key)) == NULL)
			continue;
		if (e->kind != ENGLOAD_END_NONE)
			return engload_fail(detail, ERR_INVALID_PARAMETER,
			    "%s", key);
		e->kind = kinds[i];
		if (e->kind == ENGLOAD_END_IP) {
			if (cidr_parse_addr(v, &e->ip) < 0)
				return engload_fail(detail,
				    ERR_INVALID_PARAMETER, "%s", key);
		} else if (strlen(v) >= sizeof(e->id)) {
			return engload_fail(detail, ERR_INVALID_PARAMETER,
			    "%s", key);
		} else {
			snprintf(e->id, sizeof(e->id), "%s", v);
		}
	}
	return 0;
}

/* An optional number parameter: *out untouched when absent. */
static int
engload_num_param(const struct prm_list *p, const char *key, long max,
    long *out, char *detail)
{
	const char *v = engload_param(p, key);
	long n;

	if (v == NULL)
		return 0;
	if ((n = engload_num(v, max)) < 0)
		return engload_fail(detail, ERR_INVALID_PARAMETER, "%s", key);
	*out = n;
	return 0;
}

int
engload_query_parse(const struct prm_list *p, struct engload_query *q,
    char *detail)
{
	const char *v;
	long dport = -1, sport = ENGLOAD_DEFAULT_SPORT, type = 0, code = 0;
	int r;

	memset(q, 0, sizeof(*q));
	q->proto = -1;
	q->dport = -1;
	if ((v = engload_param(p, "Protocol")) != NULL &&
	    (q->proto = engload_proto(v)) < 0)
		return engload_fail(detail, ERR_INVALID_PARAMETER, "%s",
		    "Protocol");
	if ((r = engload_end_parse(p, "Source", &q->src, detail)) < 0 ||
	    (r = engload_end_parse(p, "Destination", &q->dst, detail)) < 0 ||
	    (r = engload_num_param(p, "DestinationPort", 65535, &dport,
	    detail)) < 0 ||
	    (r = engload_num_param(p, "SourcePort", 65535, &sport,
	    detail)) < 0 ||
	    (r = engload_num_param(p, "IcmpType", 255, &type, detail)) < 0 ||
	    (r = engload_num_param(p, "IcmpCode", 255, &code, detail)) < 0)
		return r;
	q->dport = (int)dport;
	q->sport = (uint16_t)sport;
	q->icmp_type = (uint8_t)type;
	q->icmp_code = (uint8_t)code;
	if ((v = engload_param(p, "ConnectionState")) != NULL) {
		size_t i;

		for (i = 0; i < sizeof(engload_states) /
		    sizeof(*engload_states); i++)
			if (strcasecmp(v, engload_states[i]) == 0)
				break;
		if (i == sizeof(engload_states) / sizeof(*engload_states))
			return engload_fail(detail, ERR_INVALID_PARAMETER,
			    "%s", "ConnectionState");
		q->ct = (uint8_t)i;
	}
	return 0;
}

/*
 * Private and special ranges, never internet: the engine's list
 * (eng_look.c, "Internet vs intranet" in eng.h).
 */
static int
engload_private(const struct cidr *a)
{
	static const char *const ranges[] = { "10.0.0.0/8", "172.16.0.0/12",
	    "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
	    "169.254.0.0/16", "0.0.0.0/8", "fe80::/10", "fc00::/7", "::/127",
	    NULL };
	struct cidr c;

	for (int i = 0; ranges[i]; i++)
		if (cidr_parse(ranges[i], &c) == 0 &&
		    cidr_contains_addr(&c, a->family, a->addr))
			return 1;
	return 0;
}

/* The end's ENI (or NULL for an outside host). */
static int
engload_end_eni(const struct engload *l, const struct engload_end *e,
    const struct engload_eni **out, char *detail)
{
	*out = NULL;
	if (e->kind == ENGLOAD_END_INSTANCE &&
	    (*out = engload_instance(l, e->id)) == NULL)
		return engload_fail(detail, ERR_INST_NOT_FOUND, "%s", e->id);
	if (e->kind == ENGLOAD_END_ENI && (*out = engload_eni(l, e->id)) == NULL)
		return engload_fail(detail, ERR_ENI_NOT_FOUND, "%s", e->id);
	return 0;
}

/* The address an ENI uses with the other end (family fam). */
static int
engload_end_addr(const struct engload_eni *n, const struct engload_end *other,
    int fam, const char *param, uint8_t *addr, char *detail)
{
	const struct cidr *a = &n->ip;

	if (other->kind == ENGLOAD_END_IP && n->vpc[0] == '\0' &&
	    n->pub.family == fam && !engload_private(&other->ip))
		a = &n->pub;
	if (a->family != fam)
		return engload_fail(detail, ERR_INVALID_PARAMETER,
		    fam == CIDR_V6 ? "%s (the network interface has no IPv6 "
		    "address)" : "%s (the network interface has no IPv4 "
		    "address)", param);
	memcpy(addr, a->addr, 16);
	return 0;
}

static int
engload_flow_check(const struct engload_query *q, char *detail)
{
	if (q->src.kind == ENGLOAD_END_NONE)
		return engload_fail(detail, ERR_MISSING_PARAMETER, "%s",
		    "SourceInstanceId, SourceNetworkInterfaceId or SourceIp");
	if (q->dst.kind == ENGLOAD_END_NONE)
		return engload_fail(detail, ERR_MISSING_PARAMETER, "%s",
		    "DestinationInstanceId, DestinationNetworkInterfaceId or "
		    "DestinationIp");
	if (q->src.kind == ENGLOAD_END_IP && q->dst.kind == ENGLOAD_END_IP)
		return engload_fail(detail, ERR_INVALID_PARAMETER, "%s",
		    "DestinationIp (one end must be an instance or a network "
		    "interface)");
	if (q->proto < 0)
		return engload_fail(detail, ERR_MISSING_PARAMETER, "%s",
		    "Protocol");
	if ((q->proto == ENG_IPPROTO_TCP || q->proto == ENG_IPPROTO_UDP) &&
	    q->dport < 0)
		return engload_fail(detail, ERR_MISSING_PARAMETER, "%s",
		    "DestinationPort");
	return 0;
}

int
engload_flow(const struct engload *l, const struct engload_query *q,
    struct eng_flow *f, const struct engload_eni **src,
    const struct engload_eni **dst, char *detail)
{
	const struct engload_eni *s = NULL, *d = NULL;
	int fam = CIDR_V4, r;

	memset(f, 0, sizeof(*f));
	if ((r = engload_flow_check(q, detail)) < 0 ||
	    (r = engload_end_eni(l, &q->src, &s, detail)) < 0 ||
	    (r = engload_end_eni(l, &q->dst, &d, detail)) < 0)
		return r;
	if (s && d && s == d)
		return engload_fail(detail, ERR_INVALID_PARAMETER, "%s",
		    "DestinationNetworkInterfaceId (the source and the "
		    "destination are the same network interface)");
	if (q->src.kind == ENGLOAD_END_IP)
		fam = q->src.ip.family;
	else if (q->dst.kind == ENGLOAD_END_IP)
		fam = q->dst.ip.family;
	if ((q->proto == ENG_IPPROTO_ICMP && fam != CIDR_V4) ||
	    (q->proto == ENG_IPPROTO_ICMPV6 && fam != CIDR_V6))
		return engload_fail(detail, ERR_INVALID_PARAMETER, "%s",
		    "Protocol (ICMP is IPv4 only, ICMPv6 IPv6 only)");
	f->family = (uint8_t)fam;
	f->proto = (uint8_t)q->proto;
	f->ct = q->ct;
	if (q->proto == ENG_IPPROTO_TCP || q->proto == ENG_IPPROTO_UDP) {
		f->sport = q->sport;
		f->dport = (uint16_t)q->dport;
	} else if (q->proto == ENG_IPPROTO_ICMP ||
	    q->proto == ENG_IPPROTO_ICMPV6) {
		f->icmp_type = q->icmp_type;
		f->icmp_code = q->icmp_code;
	}
	if (s) {
		if ((r = engload_end_addr(s, &q->dst, fam, "Source", f->src,
		    detail)) < 0)
			return r;
		snprintf(f->src_eni, sizeof(f->src_eni), "%s", s->id);
	} else {
		memcpy(f->src, q->src.ip.addr, 16);
	}
	if (d) {
		if ((r = engload_end_addr(d, &q->src, fam, "Destination",
		    f->dst, detail)) < 0)
			return r;
		snprintf(f->dst_eni, sizeof(f->dst_eni), "%s", d->id);
	} else {
		memcpy(f->dst, q->dst.ip.addr, 16);
	}
	if (src)
		*src = s;
	if (dst)
		*dst = d;
	return 0;
}

/* ---- what-if changes --------------------------------------------------- */

void
engload_change_free(struct engload_change *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++)
		prm_free(&c->v[i].fields);
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

/* The entry (op, n), created on first sight; NULL on ENOMEM. */
static struct engload_edit *
engload_edit_get(struct engload_change *c, int remove, const char *where)
{
	struct engload_edit *e;

	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].remove == remove &&
		    strcmp(c->v[i].where, where) == 0)
			return &c->v[i];
	if ((e = realloc(c->v, (c->n + 1) * sizeof(*e))) == NULL)
		return NULL;
	c->v = e;
	e = &c->v[c->n++];
	memset(e, 0, sizeof(*e));
	e->remove = (uint8_t)remove;
	snprintf(e->where, sizeof(e->where), "%s", where);
	prm_init(&e->fields);
	return e;
}

/*
 * "AddPermissions.N.Field" -> op, N and Field; 0 when the key is not of
 * either list, 1 when it is, -1 when it is but malformed.
 */
static int
engload_edit_key(const char *key, int *remove, int *n, const char **field)
{
	static const char *const lists[] = { "AddPermissions.",
	    "RemovePermissions." };
	const char *k = NULL;
	long v = 0;
	int i, d = 0;

	for (i = 0; i < 2 && k == NULL; i++)
		if (strncmp(key, lists[i], strlen(lists[i])) == 0)
			k = key + strlen(lists[i]);
	if (k == NULL)
		return 0;
	*remove = i - 1;
	if (k[0] < '1' || k[0] > '9')
		return -1;
	while (k[d] >= '0' && k[d] <= '9' && d < 4)
		v = v * 10 + (k[d++] - '0');
	if (k[d] != '.' || v > ENGLOAD_EDITS_MAX || k[d + 1] == '\0' ||
	    strlen(k + d + 1) > ENGLOAD_FIELD_MAX)
		return -1;
	*n = (int)v;
	*field = k + d + 1;
	return 1;
}

/* Reads SecurityGroupId, Direction and SecurityGroupRuleId of an edit. */
static int
engload_edit_finish(struct engload_edit *e, char *detail)
{
	const char *g = engload_param(&e->fields, "SecurityGroupId");
	const char *d = engload_param(&e->fields, "Direction");
	const char *id = engload_param(&e->fields, "SecurityGroupRuleId");
	char key[96];

	snprintf(key, sizeof(key), "%s.SecurityGroupId", e->where);
	if (g == NULL)
		return engload_fail(detail, ERR_MISSING_PARAMETER, "%s", key);
	if (strlen(g) >= sizeof(e->group))
		return engload_fail(detail, ERR_INVALID_PARAMETER, "%s", key);
	snprintf(key, sizeof(key), "%s.Direction", e->where);
	if (d == NULL)
		return engload_fail(detail, ERR_MISSING_PARAMETER, "%s", key);
	if (strcmp(d, "ingress") != 0 && strcmp(d, "egress") != 0)
		return engload_fail(detail, ERR_INVALID_PARAMETER, "%s", key);
	snprintf(key, sizeof(key), "%s.SecurityGroupRuleId", e->where);
	if (id && (!e->remove || strlen(id) >= sizeof(e->rule_id)))
		return engload_fail(detail, ERR_INVALID_PARAMETER, "%s", key);
	snprintf(e->group, sizeof(e->group), "%s", g);
	e->dir = strcmp(d, "egress") == 0 ? RULE_EGRESS : RULE_INGRESS;
	if (id)
		snprintf(e->rule_id, sizeof(e->rule_id), "%s", id);
	return 0;
}

static int
engload_edit_cmp(const void *a, const void *b)
{
	const struct engload_edit *x = a, *y = b;
	const char *dx = strrchr(x->where, '.'), *dy = strrchr(y->where, '.');

	/* Removals first; then by N (where is "<list>.<N>"). */
	if (x->remove != y->remove)
		return x->remove ? -1 : 1;
	return atoi(dx ? dx + 1 : "0") - atoi(dy ? dy + 1 : "0");
}

static int
engload_finish_all(struct engload_change *c, char *detail)
{
	int r;

	for (size_t i = 0; i < c->n; i++)
		if ((r = engload_edit_finish(&c->v[i], detail)) < 0)
			return r;
	return 0;
}

/* AddPermissions.N.* / RemovePermissions.N.* */
static int
engload_change_form(const struct prm_list *p, struct engload_change *c,
    char *detail)
{
	char where[48];

	for (size_t i = 0; i < p->n; i++) {
		struct engload_edit *e;
		const char *field;
		int remove, n, k;

		if ((k = engload_edit_key(p->v[i].key, &remove, &n, &field)) == 0)
			continue;
		if (k < 0)
			return engload_fail(detail, ERR_INVALID_PARAMETER, "%s",
			    p->v[i].key);
		snprintf(where, sizeof(where), "%s.%d", remove ?
		    "RemovePermissions" : "AddPermissions", n);
		if ((e = engload_edit_get(c, remove, where)) == NULL ||
		    prm_add(&e->fields, field, strlen(field), p->v[i].val,
		    strlen(p->v[i].val)) < 0)
			return -ERR_NOMEM;
	}
	if (c->n > 1)
		qsort(c->v, c->n, sizeof(*c->v), engload_edit_cmp);
	return engload_finish_all(c, detail);
}

/* One object of the Change JSON into an edit. */
static int
engload_change_obj(struct engload_change *c, int remove, size_t k,
    json_t *o, char *detail)
{
	struct engload_edit *e;
	char where[48], num[32];
	const char *key;
	json_t *v;

	snprintf(where, sizeof(where), "Change.%s[%zu]", remove ? "Remove" :
	    "Add", k);
	if (!json_is_object(o))
		return engload_fail(detail, ERR_INVALID_PARAMETER, "%s", where);
	if ((e = engload_edit_get(c, remove, where)) == NULL)
		return -ERR_NOMEM;
	json_object_foreach(o, key, v) {
		const char *s = json_string_value(v);

		if (json_is_integer(v)) {
			snprintf(num, sizeof(num), "%lld",
			    (long long)json_integer_value(v));
			s = num;
		}
		if (s == NULL || strlen(key) > ENGLOAD_FIELD_MAX)
			return engload_fail(detail, ERR_INVALID_PARAMETER,
			    "%s", where);
		if (prm_add(&e->fields, key, strlen(key), s, strlen(s)) < 0)
			return -ERR_NOMEM;
	}
	return 0;
}

/* {"Add": [...], "Remove": [...]} */
static int
engload_change_json(const char *text, struct engload_change *c,
    char *detail)
{
	json_t *j = NULL, *v;
	const char *key;
	int r = -ERR_INVALID_PARAMETER;

	if (strlen(text) > ENGLOAD_CHANGE_TEXT_MAX ||
	    (j = json_loads(text, JSON_REJECT_DUPLICATES, NULL)) == NULL ||
	    !json_is_object(j))
		goto bad;
	json_object_foreach(j, key, v) {
		int remove = strcmp(key, "Remove") == 0;

		if ((!remove && strcmp(key, "Add") != 0) || !json_is_array(v) ||
		    json_array_size(v) > ENGLOAD_EDITS_MAX)
			goto bad;
		for (size_t k = 0; k < json_array_size(v); k++)
			if ((r = engload_change_obj(c, remove, k,
			    json_array_get(v, k), detail)) < 0)
				goto out;
	}
	/* Removals first, each list in its order (edit_get appended). */
	for (size_t i = 0, m = 0; i < c->n; i++)
		if (c->v[i].remove) {
			struct engload_edit t = c->v[i];

			memmove(&c->v[m + 1], &c->v[m], (i - m) * sizeof(t));
			c->v[m++] = t;
		}
	r = engload_finish_all(c, detail);
	goto out;
bad:
	r = engload_fail(detail, ERR_INVALID_PARAMETER, "%s", "Change");
out:
	json_decref(j);
	return r;
}

int
engload_change_parse(const struct prm_list *p, struct engload_change *c,
    char *detail)
{
	const char *text = engload_param(p, "Change");
	int remove, n, r;
	const char *field;

	memset(c, 0, sizeof(*c));
	if (text) {
		for (size_t i = 0; i < p->n; i++)
			if (engload_edit_key(p->v[i].key, &remove, &n,
			    &field) != 0)
				return engload_fail(detail,
				    ERR_INVALID_PARAMETER, "%s", "Change");
		r = engload_change_json(text, c, detail);
	} else {
		r = engload_change_form(p, c, detail);
	}
	if (r < 0)
		engload_change_free(c);
	return r;
}

/* ---- coverage -------------------------------------------------------- */

#define ENGLOAD_FAM4 1u
#define ENGLOAD_FAM6 2u

unsigned
engload_item_fams(const struct engload *l, const struct eng_item *it)
{
	const struct rule *r = it->rule;
	unsigned f = ENGLOAD_FAM4 | ENGLOAD_FAM6;

	if (it->kind == ENG_ITEM_INNER)
		return f;
	if (it->kind != ENG_ITEM_RULE || r == NULL)
		return 0;
	if (r->peer_kind == RULE_PEER_PREFIX_LIST ||
	    (r->peer_kind == RULE_PEER_GROUP && !engload_peer_ok(l, r)))
		return 0;
	if (r->peer_kind == RULE_PEER_CIDR)
		f &= r->peer_cidr.family == CIDR_V4 ? ENGLOAD_FAM4 :
		    ENGLOAD_FAM6;
	if (r->has_local)
		f &= r->local.family == CIDR_V4 ? ENGLOAD_FAM4 : ENGLOAD_FAM6;
	if (r->proto == RULE_ICMP)
		f &= ENGLOAD_FAM4;
	if (r->proto == RULE_ICMPV6)
		f &= ENGLOAD_FAM6;
	return f;
}

static int
engload_ports_cover(const struct rule_ports *outer, const struct rule_ports *in)
{
	if (outer->lo == 0 && outer->hi == 0)
		return 1;
	if (in->lo == 0 && in->hi == 0)
		return 0;
	return outer->lo <= in->lo && in->hi <= outer->hi;
}

/* The fields of an item as coverage sees them (INNER = ALL from group). */
struct engload_cov {
	int proto;
	int peer;		/* RULE_PEER_* */
	const char *group;	/* RULE_PEER_GROUP: the peer group */
	const struct cidr *cidr;
	const struct cidr *local;
	const struct rule_ports *dport, *sport;
};

static void
engload_cov_of(const struct eng_item *it, struct engload_cov *c)
{
	static const struct rule_ports any = { 0, 0 };
	const struct rule *r = it->rule;

	memset(c, 0, sizeof(*c));
	c->dport = c->sport = &any;
	if (it->kind == ENG_ITEM_INNER) {
		c->proto = RULE_ALL;
		c->peer = RULE_PEER_GROUP;
		c->group = it->group_id;
		return;
	}
	c->proto = r->proto;
	c->peer = r->peer_kind;
	c->group = r->peer_group;
	c->cidr = &r->peer_cidr;
	c->local = r->has_local ? &r->local : NULL;
	if (r->proto == RULE_TCP || r->proto == RULE_UDP) {
		c->dport = &r->dport;
		c->sport = &r->sport;
	}
}

int
engload_covers(const struct engload *l, const struct eng_item *j, int jnic,
    const struct eng_item *i, int inic)
{
	unsigned fj = engload_item_fams(l, j), fi = engload_item_fams(l, i);
	struct engload_cov cj, ci;

	if (fj == 0 || fi == 0 || (fi & ~fj) != 0 || jnic != inic)
		return 0;
	engload_cov_of(j, &cj);
	engload_cov_of(i, &ci);
	if (cj.proto != RULE_ALL && cj.proto != ci.proto)
		return 0;
	if (cj.peer == RULE_PEER_GROUP && (ci.peer != RULE_PEER_GROUP ||
	    strcmp(cj.group, ci.group) != 0))
		return 0;
	if (cj.peer == RULE_PEER_CIDR && (ci.peer != RULE_PEER_CIDR ||
	    !cidr_contains(cj.cidr, ci.cidr)))
		return 0;
	if (cj.local && (ci.local == NULL || !cidr_contains(cj.local, ci.local)))
		return 0;
	if ((cj.proto == RULE_TCP || cj.proto == RULE_UDP) &&
	    (!engload_ports_cover(cj.dport, ci.dport) ||
	    !engload_ports_cover(cj.sport, ci.sport)))
		return 0;
	return 1;
}
