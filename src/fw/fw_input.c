/*
 * fw_input: the desired-state JSON (docs/helpers/AGENT.md) -> struct
 * fw_input. This is a trust boundary — the agent receives the document
 * over HTTP — so every member is type-checked and bounded, every string
 * that can reach nft text is restricted to a safe alphabet, and anything
 * unexpected is refused with -ERR_INVALID_PARAMETER and a short reason,
 * never truncated or guessed. Unknown members are ignored (forward
 * compatibility with the server). Fuzzed by fuzz/fw_input_fuzz.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/fw_int.h"
#include "lib/err.h"

/* Parser state: the result being built and the first error's reason. */
struct fw_pin {
	struct fw_input *in;
	char *detail;			/* FW_DETAIL_MAX */
};

static int
fw_bad(struct fw_pin *p, const char *what, const char *where)
{
	if (p->detail && p->detail[0] == '\0')
		snprintf(p->detail, FW_DETAIL_MAX, "%s: %s", where, what);
	return -ERR_INVALID_PARAMETER;
}

/* 1..max-1 chars of [A-Za-z0-9._-], first alphanumeric; "" if empty_ok. */
static int
fw_id_ok(const char *s, size_t max, int empty_ok)
{
	size_t n = strnlen(s, max);

	if (n == 0)
		return empty_ok;
	if (n >= max || !((s[0] >= 'a' && s[0] <= 'z') ||
	    (s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/*
 * A string member into buf (max bytes incl. NUL) after fw_id_ok. Absent
 * is "" when optional. JSON strings with NUL bytes are refused.
 */
static int
fw_jid(struct fw_pin *p, const json_t *o, const char *key, int required,
    char *buf, size_t max, const char *where)
{
	const json_t *v = json_object_get(o, key);
	const char *s;

	buf[0] = '\0';
	if (v == NULL && !required)
		return 0;
	if (!json_is_string(v))
		return fw_bad(p, key, where);
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || !fw_id_ok(s, max, !required))
		return fw_bad(p, key, where);
	memcpy(buf, s, strlen(s) + 1);
	return 0;
}

/* A string member (any text, bounded) or NULL when absent. */
static int
fw_jtext(struct fw_pin *p, const json_t *o, const char *key,
    const char **out, const char *where)
{
	const json_t *v = json_object_get(o, key);

	*out = NULL;
	if (v == NULL)
		return 0;
	if (!json_is_string(v) || json_string_length(v) >= CIDR_STR_MAX ||
	    strlen(json_string_value(v)) != json_string_length(v))
		return fw_bad(p, key, where);
	*out = json_string_value(v);
	return 0;
}

/* An address or prefix member of a family (0 = any); "" -> family 0
 * when optional. want_prefix: "a/len" aligned; else a bare address. */
static int
fw_jaddr(struct fw_pin *p, const json_t *o, const char *key, int required,
    int family, int want_prefix, struct cidr *c, const char *where)
{
	const char *s;
	int r;

	memset(c, 0, sizeof(*c));
	if ((r = fw_jtext(p, o, key, &s, where)) < 0)
		return r;
	if (s == NULL || s[0] == '\0')
		return required ? fw_bad(p, key, where) : 0;
	r = want_prefix ? cidr_parse(s, c) : cidr_parse_addr(s, c);
	if (r < 0 || (family && c->family != family) ||
	    (want_prefix && !cidr_is_aligned(c)))
		return fw_bad(p, key, where);
	return 0;
}

static int
fw_jarray(struct fw_pin *p, const json_t *o, const char *key, size_t max,
    const json_t **out, const char *where)
{
	const json_t *v = json_object_get(o, key);

	*out = v;
	if (v == NULL)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > max)
		return fw_bad(p, key, where);
	return 0;
}

static int
fw_jbool(struct fw_pin *p, const json_t *o, const char *key, uint8_t *out,
    const char *where)
{
	const json_t *v = json_object_get(o, key);

	*out = 0;
	if (v == NULL)
		return 0;
	if (!json_is_boolean(v))
		return fw_bad(p, key, where);
	*out = json_is_true(v);
	return 0;
}

static int
fw_jenum(struct fw_pin *p, const json_t *o, const char *key,
    const char *const *names, int dflt, int *out, const char *where)
{
	const char *s;
	int r;

	*out = dflt;
	if ((r = fw_jtext(p, o, key, &s, where)) < 0)
		return r;
	if (s == NULL)
		return dflt < 0 ? fw_bad(p, key, where) : 0;
	for (int i = 0; names[i]; i++)
		if (strcmp(names[i], s) == 0) {
			*out = i;
			return 0;
		}
	return fw_bad(p, key, where);
}

static int
fw_mac_parse(const char *s, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++) {
		unsigned v = 0;

		for (int k = 0; k < 2; k++) {
			char c = s[i * 3 + k];

			if (c >= '0' && c <= '9')
				v = v * 16 + (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v = v * 16 + (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v = v * 16 + (unsigned)(c - 'A' + 10);
			else
				return -1;
		}
		if (s[i * 3 + 2] != (i == 5 ? '\0' : ':'))
			return -1;
		mac[i] = (uint8_t)v;
	}
	return (mac[0] & 1) ? -1 : 0;	/* unicast only */
}

/* ---- sections --------------------------------------------------------- */

static int
fw_id_cmp(const void *a, const void *b)
{
	return strcmp((const char *)a, (const char *)b);	/* id first */
}

/* Sorts n records of size sz whose first member is the id; refuses
 * duplicates. */
static int
fw_sort_ids(struct fw_pin *p, void *v, size_t n, size_t sz,
    const char *where)
{
	if (n > 1)
		qsort(v, n, sz, fw_id_cmp);
	for (size_t i = 1; i < n; i++)
		if (strcmp((char *)v + (i - 1) * sz, (char *)v + i * sz) == 0)
			return fw_bad(p, "duplicate id", where);
	return 0;
}

static long
fw_find_id(const void *v, size_t n, size_t sz, const char *id)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp((const char *)v + mid * sz, id);

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
fw_parse_vpcs(struct fw_pin *p, const json_t *arr)
{
	struct fw_input *in = p->in;
	size_t n = json_array_size(arr), i;
	int r;

	if (n && (in->vpcs = calloc(n, sizeof(*in->vpcs))) == NULL)
		return -ERR_NOMEM;
	for (i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i);
		const json_t *z = json_object_get(o, "ZoneId");
		struct fw_vpc *v = &in->vpcs[i];

		if (!json_is_object(o))
			return fw_bad(p, "not an object", "Vpcs");
		if ((r = fw_jid(p, o, "VpcId", 1, v->id, FW_ID_MAX,
		    "Vpcs")) < 0 ||
		    (r = fw_jaddr(p, o, "CidrBlock", 1, CIDR_V4, 1, &v->pfx[0],
		    "Vpcs")) < 0 ||
		    (r = fw_jaddr(p, o, "Ipv6CidrBlock", 0, CIDR_V6, 1,
		    &v->pfx[1], "Vpcs")) < 0)
			return r;
		v->npfx = v->pfx[1].family ? 2 : 1;
		if (!json_is_integer(z) || json_integer_value(z) < 1 ||
		    json_integer_value(z) > FW_ZONE_MAX)
			return fw_bad(p, "ZoneId", "Vpcs");
		v->zone = (uint16_t)json_integer_value(z);
		snprintf(v->bridge, sizeof(v->bridge), FW_BR_VPC_PREFIX "%u",
		    (unsigned)v->zone);
		in->nvpcs++;
	}
	if ((r = fw_sort_ids(p, in->vpcs, n, sizeof(*in->vpcs), "Vpcs")) < 0)
		return r;
	for (i = 0; i < n; i++)
		for (size_t k = i + 1; k < n; k++)
			if (in->vpcs[i].zone == in->vpcs[k].zone)
				return fw_bad(p, "duplicate ZoneId", "Vpcs");
	return 0;
}

static int
fw_parse_vswitches(struct fw_pin *p, const json_t *arr)
{
	struct fw_input *in = p->in;
	size_t n = json_array_size(arr);
	char vpc[FW_ID_MAX];
	int r;

	if (n && (in->vswitches = calloc(n, sizeof(*in->vswitches))) == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i);
		struct fw_vswitch *w = &in->vswitches[i];
		long v;

		if (!json_is_object(o))
			return fw_bad(p, "not an object", "VSwitches");
		if ((r = fw_jid(p, o, "VSwitchId", 1, w->id, FW_ID_MAX,
		    "VSwitches")) < 0 ||
		    (r = fw_jid(p, o, "VpcId", 1, vpc, FW_ID_MAX,
		    "VSwitches")) < 0 ||
		    (r = fw_jaddr(p, o, "CidrBlock", 1, CIDR_V4, 1, &w->cidr,
		    "VSwitches")) < 0 ||
		    (r = fw_jaddr(p, o, "GatewayIp", 1, CIDR_V4, 0, &w->gateway,
		    "VSwitches")) < 0)
			return r;
		if ((v = fw_find_id(in->vpcs, in->nvpcs, sizeof(*in->vpcs),
		    vpc)) < 0)
			return fw_bad(p, "unknown VpcId", "VSwitches");
		w->vpc = (size_t)v;
		if (!cidr_contains(&in->vpcs[v].pfx[0], &w->cidr) ||
		    !cidr_contains(&w->cidr, &w->gateway))
			return fw_bad(p, "CidrBlock/GatewayIp", "VSwitches");
		in->nvswitches++;
	}
	return fw_sort_ids(p, in->vswitches, n, sizeof(*in->vswitches),
	    "VSwitches");
}

static int
fw_parse_rules(struct fw_pin *p, struct fw_group *g, const json_t *arr)
{
	size_t n = json_array_size(arr);

	if (n && (g->rules = calloc(n, sizeof(*g->rules))) == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i);
		struct rule *r = &g->rules[i];

		if (!json_is_object(o) || rule_compile(o, r) < 0 ||
		    !fw_id_ok(r->id, sizeof(r->id), 0) ||
		    (r->peer_kind == RULE_PEER_GROUP &&
		    (!fw_id_ok(r->peer_group, sizeof(r->peer_group), 0) ||
		    !fw_id_ok(r->peer_owner, sizeof(r->peer_owner), 1))))
			return fw_bad(p, "rule", g->id);
		snprintf(r->group_id, sizeof(r->group_id), "%s", g->id);
		for (size_t k = 0; k < i; k++)
			if (strcmp(g->rules[k].id, r->id) == 0)
				return fw_bad(p, "duplicate rule id", g->id);
		g->nrules++;
	}
	return 0;
}

static int
fw_parse_groups(struct fw_pin *p, const json_t *arr)
{
	static const char *const types[] = { "normal", "enterprise", NULL };
	static const char *const inner[] = { "Drop", "Accept", NULL };
	struct fw_input *in = p->in;
	size_t n = json_array_size(arr);
	int r, t, a;

	if (n && (in->groups = calloc(n, sizeof(*in->groups))) == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const json_t *o = json_array_get(arr, i), *rules;
		struct fw_group *g = &in->groups[i];

		if (!json_is_object(o))
			return fw_bad(p, "not an object", "Groups");
		in->ngroups++;		/* g owns memory from here on */
		if ((r = fw_jid(p, o, "SecurityGroupId", 1, g->id, FW_ID_MAX,
		    "Groups")) < 0 ||
		    (r = fw_jid(p, o, "OwnerId", 1, g->owner, FW_OWNER_MAX,
		    g->id)) < 0 ||
		    (r = fw_jid(p, o, "VpcId", 0, g->vpc_id, FW_ID_MAX,
		    g->id)) < 0 ||
		    (r = fw_jenum(p, o, "SecurityGroupType", types, 0, &t,
		    g->id)) < 0 ||
		    (r = fw_jenum(p, o, "InnerAccessPolicy", inner, 1, &a,
		    g->id)) < 0 ||
		    (r = fw_jarray(p, o, "Rules", FW_MAX_RULES_PER_GROUP,
		    &rules, g->id)) < 0 ||
		    (r = fw_parse_rules(p, g, rules)) < 0)
			return r;
		g->type = t ? ENG_GROUP_ENTERPRISE : ENG_GROUP_BASIC;
		g->inner_accept = (uint8_t)a;
	}
	return fw_sort_ids(p, in->groups, n, sizeof(*in->groups), "Groups");
}

static int
fw_parse_eni_groups(struct fw_pin *p, struct fw_eni *e, const json_t *o)
{
	const json_t *arr = json_object_get(o, "SecurityGroupIds");
	struct fw_input *in = p->in;

	if (arr == NULL)
		return 0;
	if (!json_is_array(arr) || json_array_size(arr) > FW_ENI_GROUPS_MAX)
		return fw_bad(p, "SecurityGroupIds", e->id);
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		long g = s ? fw_find_id(in->groups, in->ngroups,
		    sizeof(*in->groups), s) : -1;

		if (g < 0)
			return fw_bad(p, "unknown security group", e->id);
		for (size_t k = 0; k < e->ngroups; k++)
			if (e->groups[k] == (size_t)g)
				return fw_bad(p, "duplicate group", e->id);
		e->groups[e->ngroups++] = (size_t)g;
	}
	/* indexes follow the sorted ids: sorting them sorts by id */
	for (size_t i = 1; i < e->ngroups; i++)
		for (size_t k = i; k > 0 && e->groups[k - 1] > e->groups[k];
		    k--) {
			size_t t = e->groups[k];

			e->groups[k] = e->groups[k - 1];
			e->groups[k - 1] = t;
		}
	return 0;
}

static int
fw_parse_eni_addrs(struct fw_pin *p, struct fw_eni *e, const json_t *o)
{
	const json_t *arr;
	int r;

	if ((r = fw_jaddr(p, o, "PrivateIpAddress", 1, CIDR_V4, 0,
	    &e->addrs[0], e->id)) < 0 ||
	    (r = fw_jaddr(p, o, "PublicIpAddress", 0, CIDR_V4, 0, &e->pub,
	    e->id)) < 0 ||
	    (r = fw_jarray(p, o, "Ipv6Addresses", FW_ENI_ADDRS_MAX - 1, &arr,
	    e->id)) < 0)
		return r;
	e->naddrs = 1;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const char *s = json_string_value(json_array_get(arr, i));
		struct cidr *c = &e->addrs[e->naddrs];

		if (s == NULL || strlen(s) >= CIDR_STR_MAX ||
		    cidr_parse_addr(s, c) < 0 || c->family != CIDR_V6)
			return fw_bad(p, "Ipv6Addresses", e->id);
		for (size_t k = 1; k < e->naddrs; k++)
			if (cidr_equal(&e->addrs[k], c))
				return fw_bad(p, "duplicate address", e->id);
		e->naddrs++;
	}
	if (e->vpc >= 0)
		memset(&e->pub, 0, sizeof(e->pub));	/* no NAT modelled */
	return 0;
}

static int
fw_parse_eni(struct fw_pin *p, const json_t *o, struct fw_eni *e)
{
	static const char *const types[] = { "Secondary", "Primary", "", NULL };
	static const char *const drivers[] = { "local", "external", NULL };
	struct fw_input *in = p->in;
	char vpc[FW_ID_MAX], vsw[FW_ID_MAX], mac[24];
	const char *s;
	int r, t, d;

	if (!json_is_object(o))
		return fw_bad(p, "not an object", "NetworkInterfaces");
	if ((r = fw_jid(p, o, "NetworkInterfaceId", 1, e->id, FW_ID_MAX,
	    "NetworkInterfaces")) < 0 ||
	    (r = fw_jid(p, o, "InstanceId", 0, e->instance_id, FW_ID_MAX,
	    e->id)) < 0 ||
	    (r = fw_jid(p, o, "OwnerId", 1, e->owner, FW_OWNER_MAX,
	    e->id)) < 0 ||
	    (r = fw_jid(p, o, "HostId", 0, e->host_id, FW_ID_MAX, e->id)) < 0 ||
	    (r = fw_jid(p, o, "VpcId", 0, vpc, FW_ID_MAX, e->id)) < 0 ||
	    (r = fw_jid(p, o, "VSwitchId", 0, vsw, FW_ID_MAX, e->id)) < 0 ||
	    (r = fw_jid(p, o, "HostInterface", 0, e->host_if, FW_IFNAME_MAX,
	    e->id)) < 0 ||
	    (r = fw_jenum(p, o, "Type", types, 1, &t, e->id)) < 0 ||
	    (r = fw_jenum(p, o, "Driver", drivers, 0, &d, e->id)) < 0 ||
	    (r = fw_jbool(p, o, "Running", &e->running, e->id)) < 0 ||
	    (r = fw_jtext(p, o, "MacAddress", &s, e->id)) < 0)
		return r;
	e->primary = t == 1;
	e->driver = (uint8_t)d;
	if (s == NULL || strlen(s) >= sizeof(mac) || fw_mac_parse(s, e->mac))
		return fw_bad(p, "MacAddress", e->id);
	e->vpc = e->vswitch = -1;
	if (vpc[0] && (e->vpc = fw_find_id(in->vpcs, in->nvpcs,
	    sizeof(*in->vpcs), vpc)) < 0)
		return fw_bad(p, "unknown VpcId", e->id);
	if (vsw[0] && ((e->vswitch = fw_find_id(in->vswitches, in->nvswitches,
	    sizeof(*in->vswitches), vsw)) < 0 ||
	    (long)in->vswitches[e->vswitch].vpc != e->vpc))
		return fw_bad(p, "VSwitchId", e->id);
	if (e->driver == FW_DRIVER_EXTERNAL && (e->host_if[0] == '\0' ||
	    strncmp(e->host_if, FW_PORT_PREFIX, strlen(FW_PORT_PREFIX)) == 0))
		return fw_bad(p, "HostInterface", e->id);
	if ((r = fw_parse_eni_addrs(p, e, o)) < 0 ||
	    (r = fw_parse_eni_groups(p, e, o)) < 0)
		return r;
	e->local = p->in->host_id[0] && strcmp(e->host_id,
	    p->in->host_id) == 0 && e->instance_id[0] != '\0';
	return 0;
}

static int
fw_parse_enis(struct fw_pin *p, const json_t *arr)
{
	struct fw_input *in = p->in;
	size_t n = json_array_size(arr);
	int r;

	if (n && (in->enis = calloc(n, sizeof(*in->enis))) == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if ((r = fw_parse_eni(p, json_array_get(arr, i),
		    &in->enis[i])) < 0)
			return r;
		in->nenis++;
	}
	return fw_sort_ids(p, in->enis, n, sizeof(*in->enis),
	    "NetworkInterfaces");
}

static int
fw_parse_top(struct fw_pin *p, const json_t *d)
{
	const json_t *rev = json_object_get(d, "Revision");
	const json_t *op = json_object_get(d, "Operator");
	const json_t *vpcs, *vsws, *grps, *enis;
	int r;

	if (!json_is_object(d))
		return fw_bad(p, "not an object", "desired state");
	if (rev != NULL && (!json_is_integer(rev) ||
	    json_integer_value(rev) < 0))
		return fw_bad(p, "Revision", "desired state");
	p->in->revision = rev ? json_integer_value(rev) : 0;
	if (op != NULL && !json_is_object(op))
		return fw_bad(p, "Operator", "desired state");
	if (op && (r = fw_jbool(p, op, "Tcp25Open", &p->in->tcp25_open,
	    "Operator")) < 0)
		return r;
	if ((r = fw_jarray(p, d, "Vpcs", FW_MAX_VPCS, &vpcs, "")) < 0 ||
	    (r = fw_jarray(p, d, "VSwitches", FW_MAX_VSWITCHES, &vsws,
	    "")) < 0 ||
	    (r = fw_jarray(p, d, "Groups", FW_MAX_GROUPS, &grps, "")) < 0 ||
	    (r = fw_jarray(p, d, "NetworkInterfaces", FW_MAX_ENIS, &enis,
	    "")) < 0)
		return r;
	if ((r = fw_parse_vpcs(p, vpcs)) < 0 ||
	    (r = fw_parse_vswitches(p, vsws)) < 0 ||
	    (r = fw_parse_groups(p, grps)) < 0 ||
	    (r = fw_parse_enis(p, enis)) < 0)
		return r;
	return 0;
}

int
fw_input_from_json_detail(const json_t *desired, const char *host_id,
    struct fw_input **out, char detail[FW_DETAIL_MAX])
{
	struct fw_pin p;
	int r;

	*out = NULL;
	if (detail)
		detail[0] = '\0';
	p.detail = detail;
	if ((p.in = calloc(1, sizeof(*p.in))) == NULL)
		return -ERR_NOMEM;
	if (host_id && !fw_id_ok(host_id, FW_ID_MAX, 1)) {
		r = fw_bad(&p, "bad host id", "HostId");
		goto out;
	}
	snprintf(p.in->host_id, sizeof(p.in->host_id), "%s",
	    host_id ? host_id : "");
	if ((r = fw_parse_top(&p, desired)) < 0)
		goto out;
	if ((r = fw_ports_assign(p.in)) < 0) {
		if (r == -ERR_INVALID_PARAMETER)
			fw_bad(&p, "duplicate port or address", "ports");
		goto out;
	}
	*out = p.in;
	p.in = NULL;
out:
	fw_input_free(p.in);
	return r;
}

int
fw_input_from_json(const json_t *desired, const char *host_id,
    struct fw_input **out)
{
	return fw_input_from_json_detail(desired, host_id, out, NULL);
}

void
fw_input_free(struct fw_input *in)
{
	if (in == NULL)
		return;
	for (size_t i = 0; i < in->ngroups; i++)
		free(in->groups[i].rules);
	free(in->vpcs);
	free(in->vswitches);
	free(in->groups);
	free(in->enis);
	free(in->ports);
	free(in);
}
