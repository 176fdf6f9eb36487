/*
 * ecs_inst_res: the helpers the instance and ENI actions share (contracts
 * in ecs_inst_int.h) — lookups, group lists, ENI records and their
 * memberships, the instance's copies of its ENIs, paging.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/act/ecs_inst_int.h"
#include "lib/rnd.h"
#include "lib/tm.h"
#include "sg/sgdb.h"

static int
inst_res_get(struct api_call *c, const char *kind, const char *id,
    const char *region, int notfound, struct store_res *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = store_res_get(c->st, id, out);
	if (r == -ERR_NOT_FOUND || (r == 0 && (strcmp(out->kind, kind) != 0 ||
	    strcmp(out->account, c->who.account) != 0 ||
	    (region && strcmp(out->region, region) != 0)))) {
		store_res_clear(out);
		return api_fail(c, notfound, "%s", id);
	}
	return r;
}

int
inst_get(struct api_call *c, const char *id, const char *region,
    struct store_res *out)
{
	return inst_res_get(c, INST_KIND, id, region, ERR_INST_NOT_FOUND, out);
}

int
eni_get(struct api_call *c, const char *id, const char *region,
    struct store_res *out)
{
	int r;

	if ((r = inst_res_get(c, ENI_KIND, id, region, ERR_ENI_NOT_FOUND,
	    out)) < 0)
		return r;
	if (out->parent[0] == '\0') {
		store_res_clear(out);
		return api_fail(c, ERR_ENI_NOT_FOUND, "%s", id);
	}
	return 0;
}

json_t *
inst_path(const json_t *doc, const char *path)
{
	char key[64];
	const char *dot;
	json_t *node = (json_t *)doc;

	while (node && path) {
		dot = strchr(path, '.');
		snprintf(key, sizeof(key), "%.*s",
		    (int)(dot ? (size_t)(dot - path) : strlen(path)), path);
		node = json_object_get(node, key);
		path = dot ? dot + 1 : NULL;
	}
	return node;
}

const char *
inst_str(const json_t *doc, const char *path)
{
	const char *s = json_string_value(inst_path(doc, path));

	return s ? s : "";
}

int
inst_has(const json_t *doc, const char *path, const char *want)
{
	json_t *node = inst_path(doc, path), *e;
	size_t i;

	if (json_is_string(node))
		return strcmp(json_string_value(node), want) == 0;
	json_array_foreach(node, i, e)
		if (json_is_string(e) && strcmp(json_string_value(e), want) == 0)
			return 1;
	return 0;
}

int
inst_glob(const char *pat, const char *s)
{
	const char *star = NULL, *back = NULL;

	while (*s) {
		if (*pat == '*') {
			star = pat++;
			back = s;
		} else if (*pat == *s) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++back;
		} else {
			return 0;
		}
	}
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}

static int
inst_groups_add(struct api_call *c, struct inst_groups *g, const char *id,
    const char *param)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->id[i], id) == 0)
			return api_fail(c, ERR_INVALID_PARAMETER, "%s", param);
	if (g->n == INST_GROUPS_MAX || strlen(id) >= STORE_ID_MAX)
		return api_fail(c, ERR_INVALID_PARAMETER, "%s", param);
	snprintf(g->id[g->n++], STORE_ID_MAX, "%s", id);
	return 0;
}

int
inst_groups_param(struct api_call *c, const char *single, const char *list,
    struct inst_groups *g)
{
	const char *one = single ? api_str(c, single) : NULL;
	int idx[INST_GROUPS_MAX];
	size_t n = list ? api_indices(c, list, idx, INST_GROUPS_MAX) : 0;
	char param[64];
	int r;

	memset(g, 0, sizeof(*g));
	if (one && n > 0)
		return api_fail(c, ERR_INST_PARAM_CONFLICT, "%s and %s.N",
		    single, list);
	if (one)
		return inst_groups_add(c, g, one, single);
	for (size_t i = 0; i < n; i++) {
		snprintf(param, sizeof(param), "%s.%d", list, idx[i]);
		if ((r = inst_groups_add(c, g, api_str(c, param), param)) < 0)
			return r;
	}
	return 0;
}

int
inst_groups_check(struct api_call *c, const char *region, const char *vpc_id,
    const struct inst_groups *g, int mismatch_err, int classic_err)
{
	struct store_res sg;
	const char *sg_vpc;
	int r = 0;

	for (size_t i = 0; i < g->n && r == 0; i++) {
		memset(&sg, 0, sizeof(sg));
		r = sgdb_group_get(c->st, c->who.account, region, g->id[i], &sg);
		if (r == -ERR_SG_NOT_FOUND)
			r = api_fail(c, ERR_SG_NOT_FOUND, "%s", g->id[i]);
		if (r < 0)
			break;
		sg_vpc = inst_str(sg.doc, "VpcId");
		if (classic_err && sg_vpc[0] == '\0' && vpc_id[0] != '\0')
			r = api_fail(c, classic_err, "%s", g->id[i]);
		else if (strcmp(sg_vpc, vpc_id) != 0)
			r = api_fail(c, mismatch_err, "%s", g->id[i]);
		store_res_clear(&sg);
	}
	return r;
}

static json_t *
eni_new_doc(const struct api_call *c, const struct eni_spec *s,
    const char *id)
{
	char ts[32];
	int attached = s->instance_id[0] != '\0';
	json_t *doc;

	tm_format_iso(c->now, ts, sizeof(ts));
	doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:[], s:s, s:b, s:s, s:[]}",
	    "NetworkInterfaceId", id,
	    "NetworkInterfaceName", s->name ? s->name : "",
	    "Description", s->description ? s->description : "",
	    "Type", s->type, "InstanceId", s->instance_id,
	    "Status", attached ? "InUse" : "Available",
	    "PrivateIpAddress", s->private_ip, "MacAddress", s->mac,
	    "VpcId", s->vpc_id, "VSwitchId", s->vsw_id, "ZoneId", s->zone,
	    "SecurityGroupIds", "CreationTime", ts,
	    "DeleteOnRelease", s->delete_on_release,
	    "ResourceGroupId", "", "Tags");
	if (doc && attached)
		json_object_set_new(doc, "DeviceIndex", json_integer(0));
	if (doc && s->public_ip)
		json_object_set_new(doc, "PublicIpAddress",
		    json_string(s->public_ip));
	return doc;
}

static int
eni_join(struct api_call *c, struct store_res *eni, const char *sg_id)
{
	char detail[256] = "";
	int r;

	if ((r = sgdb_member_add(c->st, &c->api->cfg, eni, sg_id, detail)) < 0)
		return api_fail(c, -r, "%s", detail[0] ? detail : sg_id);
	return 0;
}

int
eni_create(struct api_call *c, const struct eni_spec *s,
    const struct inst_groups *g, struct store_res *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = rnd_id("eni-", out->id, sizeof(out->id))) < 0)
		return r;
	snprintf(out->kind, sizeof(out->kind), "%s", ENI_KIND);
	snprintf(out->account, sizeof(out->account), "%s", c->who.account);
	snprintf(out->region, sizeof(out->region), "%s", s->region);
	snprintf(out->parent, sizeof(out->parent), "%s", s->vsw_id);
	if ((out->doc = eni_new_doc(c, s, out->id)) == NULL)
		return -ERR_NOMEM;
	if ((r = store_res_put(c->st, out)) < 0)
		return r;
	for (size_t i = 0; i < g->n; i++)
		if ((r = eni_join(c, out, g->id[i])) < 0)
			return r;
	return 0;
}

int
eni_set_groups(struct api_call *c, struct store_res *eni,
    const struct inst_groups *g)
{
	int r;

	if ((r = sgdb_member_del_all(c->st, eni)) < 0)
		return r;
	for (size_t i = 0; i < g->n; i++)
		if ((r = eni_join(c, eni, g->id[i])) < 0)
			return r;
	return 0;
}

/* The membership index row names the instance too (docs/design.md). */
static int
eni_retag_members(struct api_call *c, const struct store_res *eni,
    const char *inst_id)
{
	json_t *ids = json_object_get(eni->doc, "SecurityGroupIds"), *e;
	struct store_res m;
	char key[2 * STORE_ID_MAX + 2];
	size_t i;
	int r = 0;

	json_array_foreach(ids, i, e) {
		snprintf(key, sizeof(key), "%s|%s", json_string_value(e),
		    eni->id);
		memset(&m, 0, sizeof(m));
		if ((r = store_res_get(c->st, key, &m)) == -ERR_NOT_FOUND)
			continue;
		if (r == 0) {
			json_object_set_new(m.doc, "InstanceId",
			    json_string(inst_id));
			r = store_res_put(c->st, &m);
		}
		store_res_clear(&m);
		if (r < 0)
			break;
	}
	return r == -ERR_NOT_FOUND ? 0 : r;
}

int
eni_set_instance(struct api_call *c, struct store_res *eni,
    const char *inst_id, int device_index)
{
	int r;

	json_object_set_new(eni->doc, "InstanceId", json_string(inst_id));
	json_object_set_new(eni->doc, "Status",
	    json_string(inst_id[0] ? "InUse" : "Available"));
	if (inst_id[0])
		json_object_set_new(eni->doc, "DeviceIndex",
		    json_integer(device_index));
	else
		json_object_del(eni->doc, "DeviceIndex");
	if ((r = store_res_put(c->st, eni)) < 0)
		return r;
	return eni_retag_members(c, eni, inst_id);
}

json_t *
eni_describe(const struct api_call *c, const struct store_res *eni)
{
	const json_t *d = eni->doc;
	json_t *o;

	o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:s, s:s, s:b, s:b, s:{s:O}, s:{s:[{s:s, s:b}]}, "
	    "s:{s:[]}, s:{s:O}}",
	    "NetworkInterfaceId", eni->id,
	    "NetworkInterfaceName", inst_str(d, "NetworkInterfaceName"),
	    "Description", inst_str(d, "Description"),
	    "Type", inst_str(d, "Type"), "Status", inst_str(d, "Status"),
	    "InstanceId", inst_str(d, "InstanceId"),
	    "MacAddress", inst_str(d, "MacAddress"),
	    "PrivateIpAddress", inst_str(d, "PrivateIpAddress"),
	    "VpcId", inst_str(d, "VpcId"), "VSwitchId", inst_str(d, "VSwitchId"),
	    "ZoneId", inst_str(d, "ZoneId"),
	    "CreationTime", inst_str(d, "CreationTime"),
	    "OwnerId", c->who.account,
	    "ResourceGroupId", inst_str(d, "ResourceGroupId"),
	    "DeleteOnRelease", json_is_true(json_object_get(d,
	    "DeleteOnRelease")), "ServiceManaged", 0,
	    "SecurityGroupIds", "SecurityGroupId", inst_path(d,
	    "SecurityGroupIds"),
	    "PrivateIpSets", "PrivateIpSet", "PrivateIpAddress",
	    inst_str(d, "PrivateIpAddress"), "Primary", 1,
	    "Ipv6Sets", "Ipv6Set", "Tags", "Tag", inst_path(d, "Tags"));
	if (o && inst_str(d, "InstanceId")[0])
		json_object_set_new(o, "Attachment", json_pack("{s:s, s:I}",
		    "InstanceId", inst_str(d, "InstanceId"), "DeviceIndex",
		    json_integer_value(json_object_get(d, "DeviceIndex"))));
	return o;
}

static int
inst_eni_order(const void *a, const void *b)
{
	const struct store_res *x = a, *y = b;
	int px = strcmp(inst_str(x->doc, "Type"), "Primary") == 0;
	int py = strcmp(inst_str(y->doc, "Type"), "Primary") == 0;
	json_int_t dx = json_integer_value(json_object_get(x->doc,
	    "DeviceIndex"));
	json_int_t dy = json_integer_value(json_object_get(y->doc,
	    "DeviceIndex"));

	if (px != py)
		return py - px;
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int
inst_enis(struct api_call *c, const struct store_res *inst,
    struct store_res_list *out)
{
	struct store_filter f = { c->who.account, ENI_KIND, inst->region,
	    NULL, inst->id };
	int r;

	if ((r = store_res_list(c->st, &f, out)) < 0)
		return r;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), inst_eni_order);
	return 0;
}

int
inst_primary(struct api_call *c, const struct store_res *inst,
    struct store_res *out)
{
	json_t *nics = inst_path(inst->doc,
	    "NetworkInterfaces.NetworkInterface");
	const char *id = inst_str(json_array_get(nics, 0), "NetworkInterfaceId");

	memset(out, 0, sizeof(*out));
	if (store_res_get(c->st, id, out) < 0 ||
	    strcmp(inst_str(out->doc, "Type"), "Primary") != 0) {
		store_res_clear(out);
		return api_fail(c, ERR_INTERNAL, "primary ENI of %s", inst->id);
	}
	return 0;
}

static json_t *
inst_nic_entry(const struct store_res *eni)
{
	const char *ip = inst_str(eni->doc, "PrivateIpAddress");

	return json_pack("{s:s, s:s, s:s, s:s, s:{s:[{s:s, s:b}]}}",
	    "NetworkInterfaceId", eni->id,
	    "MacAddress", inst_str(eni->doc, "MacAddress"),
	    "PrimaryIpAddress", ip, "Type", inst_str(eni->doc, "Type"),
	    "PrivateIpSets", "PrivateIpSet", "PrivateIpAddress", ip,
	    "Primary", 1);
}

int
inst_sync(struct api_call *c, struct store_res *inst)
{
	struct store_res_list l = { NULL, 0 };
	json_t *nics = json_array(), *groups = NULL;
	int r;

	if (nics == NULL)
		return -ERR_NOMEM;
	if ((r = inst_enis(c, inst, &l)) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		if (i == 0 && strcmp(inst_str(l.v[i].doc, "Type"),
		    "Primary") == 0)
			groups = json_deep_copy(json_object_get(l.v[i].doc,
			    "SecurityGroupIds"));
		json_array_append_new(nics, inst_nic_entry(&l.v[i]));
	}
	json_object_set_new(inst->doc, "SecurityGroupIds",
	    api_wrap_list(groups, "SecurityGroupId"));
	json_object_set_new(inst->doc, "NetworkInterfaces",
	    api_wrap_list(nics, "NetworkInterface"));
	groups = nics = NULL;
	r = store_res_put(c->st, inst);
out:
	json_decref(nics);
	store_res_list_free(&l);
	return r;
}

int
inst_sync_id(struct api_call *c, const char *inst_id)
{
	struct store_res inst;
	int r;

	if (inst_id == NULL || inst_id[0] == '\0')
		return 0;
	if ((r = inst_get(c, inst_id, NULL, &inst)) == 0)
		r = inst_sync(c, &inst);
	store_res_clear(&inst);
	return r;
}

int
inst_page_parse(struct api_call *c, int64_t page_size_max,
    struct inst_page *pg)
{
	const char *tok = api_str(c, "NextToken");
	int64_t size;
	char *end;
	int r;

	memset(pg, 0, sizeof(*pg));
	if (tok || api_str(c, "MaxResults")) {
		pg->token = 1;
		if (tok && tok[0]) {
			unsigned long long v = strtoull(tok, &end, 10);

			if (tok[0] < '0' || tok[0] > '9' || *end || v > 1u << 30)
				return api_fail(c, ERR_INVALID_PARAMETER,
				    "NextToken");
			pg->offset = (size_t)v;
		}
		size = api_int(c, "MaxResults", 10);
		pg->limit = (size_t)(size < 10 ? 10 : size);
		return 0;
	}
	if ((r = api_page(c, (int)page_size_max, &pg->number, &size)) < 0)
		return r;
	if (pg->number > (1 << 20))
		return api_fail(c, ERR_INVALID_PARAMETER, "PageNumber");
	pg->limit = (size_t)size;
	pg->offset = (size_t)(pg->number - 1) * pg->limit;
	return 0;
}

void
inst_page_out(struct api_call *c, const struct inst_page *pg, size_t total)
{
	char next[32] = "";

	if (pg->token && pg->offset + pg->limit < total)
		snprintf(next, sizeof(next), "%zu", pg->offset + pg->limit);
	json_object_set_new(c->out, "TotalCount", json_integer((json_int_t)total));
	json_object_set_new(c->out, "NextToken", json_string(next));
	if (!pg->token) {
		json_object_set_new(c->out, "PageNumber",
		    json_integer(pg->number));
		json_object_set_new(c->out, "PageSize",
		    json_integer((json_int_t)pg->limit));
	}
}

int
inst_dry_run(struct api_call *c)
{
	return api_bool(c, "DryRun", 0) ? api_fail(c, ERR_VPC_DRY_RUN, NULL) : 0;
}
