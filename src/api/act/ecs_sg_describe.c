/*
 * ecs_sg_describe: DescribeSecurityGroups and DescribeSecurityGroupAttribute
 * (ECS 2014-05-26, ../shared/spec/ecs-api.md §4.3-4.4). Read-only.
 *
 * Paging: DescribeSecurityGroups has the deprecated PageNumber/PageSize
 * (with TotalCount) and MaxResults/NextToken (no TotalCount); the
 * attribute call has MaxResults/NextToken only. A NextToken is the offset
 * of the next item in the (creation-ordered) result, as 8 hex digits;
 * callers treat it as opaque.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/act/ecs_sg_int.h"
#include "lib/err.h"
#include "sg/rule_parse.h"
#include "sg/sgdb.h"
#include "sg/sgdb_int.h"

#define SGD_PAGE_MAX 50			/* PageSize */
#define SGD_RESULTS_MAX 100		/* MaxResults, groups */
#define SGD_RESULTS_DEFAULT 10
#define SGD_RULES_MIN 10		/* MaxResults, rules */
#define SGD_RULES_MAX 1000
#define SGD_RULES_DEFAULT 500
#define SGD_IDS_MAX 100			/* SecurityGroupIds */

/* Offset from NextToken ("" or absent = 0); -1 when malformed. */
static long
sgd_token(const char *t)
{
	char *end;
	long v;

	if (t == NULL || t[0] == '\0')
		return 0;
	if (strlen(t) != 8)
		return -1;
	v = strtol(t, &end, 16);
	return *end || v < 0 ? -1 : v;
}

static json_t *
sgd_token_out(size_t next, size_t total)
{
	char buf[24];

	if (next >= total)
		return json_string("");
	snprintf(buf, sizeof(buf), "%08zx", next);
	return json_string(buf);
}

/* ---- DescribeSecurityGroups ---- */

static int
sgd_listed(const json_t *ids, const char *id)
{
	const json_t *v;
	size_t i;

	json_array_foreach(ids, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
			return 1;
	return 0;
}

/* Does group g pass every filter of the request? */
static int
sgd_match(struct api_call *c, const struct store_res *g, const json_t *ids)
{
	static const char *const exact[] = { "SecurityGroupId", "VpcId",
	    "SecurityGroupName", "SecurityGroupType", "ResourceGroupId", NULL };
	const char *nt = api_str(c, "NetworkType");

	for (int i = 0; exact[i]; i++) {
		const char *want = api_str(c, exact[i]);

		if (want && want[0] &&
		    strcmp(want, rparse_str(g->doc, exact[i])) != 0)
			return 0;
	}
	if (ids && !sgd_listed(ids, g->id))
		return 0;
	if (nt && nt[0] && strcmp(nt, sgdb_is_vpc(g) ? "vpc" : "classic") != 0)
		return 0;
	if (api_str(c, "ServiceManaged") && api_bool(c, "ServiceManaged", 0) !=
	    json_is_true(json_object_get(g->doc, "ServiceManaged")))
		return 0;
	return sgact_tags_match(c, json_object_get(g->doc, "Tags"));
}

/* Rules naming another group. */
static int
sgd_group_rules(struct api_call *c, const char *sg_id, size_t *all,
    size_t *g2g)
{
	struct store_res_list l = { NULL, 0 };
	const char *owner;
	int r;

	*all = *g2g = 0;
	if ((r = sgdb_rules(c->st, sg_id, &l)) < 0)
		return r;
	*all = l.n;
	for (size_t i = 0; i < l.n; i++)
		if (rparse_peer_group(l.v[i].doc, &owner))
			(*g2g)++;
	store_res_list_free(&l);
	return 0;
}

static int
sgd_group_out(struct api_call *c, const struct store_res *g, json_t *arr)
{
	static const char *const fields[] = { "SecurityGroupId",
	    "SecurityGroupName", "Description", "VpcId", "SecurityGroupType",
	    "CreationTime", "ResourceGroupId", NULL };
	json_t *o = json_object();
	size_t all, g2g, members;
	int r;

	for (int i = 0; fields[i]; i++)
		json_object_set_new(o, fields[i],
		    json_string(rparse_str(g->doc, fields[i])));
	json_object_set_new(o, "ServiceManaged", json_boolean(json_is_true(
	    json_object_get(g->doc, "ServiceManaged"))));
	json_object_set_new(o, "Tags", api_wrap_list(json_deep_copy(
	    json_object_get(g->doc, "Tags")), "Tag"));
	if ((r = sgd_group_rules(c, g->id, &all, &g2g)) < 0)
		goto out;
	json_object_set_new(o, "RuleCount", json_integer((json_int_t)all));
	json_object_set_new(o, "GroupToGroupRuleCount",
	    json_integer((json_int_t)g2g));
	if (api_bool(c, "IsQueryEcsCount", 0)) {
		int limit = sgdb_member_limit(&c->api->cfg, g);

		if ((r = sgdb_member_count(c->st, g->id, &members)) < 0)
			goto out;
		json_object_set_new(o, "EcsCount",
		    json_integer((json_int_t)members));
		json_object_set_new(o, "AvailableInstanceAmount",
		    json_integer((json_int_t)limit - (json_int_t)members));
	}
	json_array_append_new(arr, o);
	o = NULL;
out:
	json_decref(o);
	return r;
}

/* [first, first + count) of the matches, and the response's paging fields. */
static int
sgd_page(struct api_call *c, size_t total, size_t *first, size_t *count)
{
	int64_t num, size;
	long off;
	int r;

	if (api_str(c, "MaxResults") || api_str(c, "NextToken")) {
		if ((off = sgd_token(api_str(c, "NextToken"))) < 0)
			return api_fail(c, ERR_INVALID_PARAMETER, "NextToken");
		*first = (size_t)off;
		*count = (size_t)api_int(c, "MaxResults", SGD_RESULTS_DEFAULT);
		json_object_set_new(c->out, "NextToken",
		    sgd_token_out(*first + *count, total));
		return 0;
	}
	if ((r = api_page(c, SGD_PAGE_MAX, &num, &size)) < 0)
		return r;
	*first = (size_t)((num - 1) * size);
	*count = (size_t)size;
	json_object_set_new(c->out, "PageNumber", json_integer(num));
	json_object_set_new(c->out, "PageSize", json_integer(size));
	json_object_set_new(c->out, "TotalCount",
	    json_integer((json_int_t)total));
	return 0;
}

int
sgact_describe_groups(struct api_call *c)
{
	const char *region = api_str(c, "RegionId");
	struct store_filter f = { c->who.account, SGDB_KIND_SG, region, NULL, NULL };
	struct store_res_list l = { NULL, 0 };
	json_t *ids = api_jsonlist(c, "SecurityGroupIds"), *arr = json_array();
	size_t *hit = NULL, n = 0, first = 0, count = 0;
	int r;

	if ((r = api_check_region(c, region)) < 0 ||
	    (r = store_res_list(c->st, &f, &l)) < 0)
		goto out;
	if (api_bool(c, "DryRun", 0)) {
		r = api_fail(c, ERR_VPC_DRY_RUN, NULL);
		goto out;
	}
	if (l.n && (hit = calloc(l.n, sizeof(*hit))) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < l.n; i++)
		if (sgd_match(c, &l.v[i], ids))
			hit[n++] = i;
	if ((r = sgd_page(c, n, &first, &count)) < 0)
		goto out;
	for (size_t i = first; i < n && i - first < count; i++)
		if ((r = sgd_group_out(c, &l.v[hit[i]], arr)) < 0)
			goto out;
	json_object_set_new(c->out, "RegionId", json_string(region));
	json_object_set_new(c->out, "SecurityGroups",
	    api_wrap_list(arr, "SecurityGroup"));
	arr = NULL;
out:
	free(hit);
	store_res_list_free(&l);
	json_decref(ids);
	json_decref(arr);
	return r;
}

/* ---- DescribeSecurityGroupAttribute ---- */

/* The peer group's current name (it may have been renamed). */
static void
sgd_peer_name(struct api_call *c, json_t *perm)
{
	const char *owner, *peer = rparse_peer_group(perm, &owner);
	const char *field = strcmp(rparse_str(perm, "Direction"), "egress") ?
	    "SourceGroupName" : "DestGroupName";
	struct store_res g;

	if (peer == NULL)
		return;
	memset(&g, 0, sizeof(g));
	if (store_res_get(c->st, peer, &g) == 0 &&
	    strcmp(g.kind, SGDB_KIND_SG) == 0)
		json_object_set_new(perm, field, json_string(rparse_str(g.doc,
		    "SecurityGroupName")));
	store_res_clear(&g);
}

/*
 * COMPAT: §4.4 — Direction all|ingress|egress; NicType defaults to
 * internet on classic groups; VPC groups have intranet rules only and any
 * NicType given is read as intranet.
 */
static int
sgd_rule_filter(struct api_call *c, const struct store_res *sg,
    const char **dir, const char **nic)
{
	const char *d = api_str(c, "Direction"), *n = api_str(c, "NicType");

	*dir = d && d[0] ? d : "all";
	if (strcmp(*dir, "all") && strcmp(*dir, "ingress") &&
	    strcmp(*dir, "egress"))
		return api_fail(c, ERR_INVALID_PARAMETER, "Direction");
	if (n && n[0] && strcmp(n, "intranet") && strcmp(n, "internet"))
		return api_fail(c, ERR_SG_NIC_FILTER, NULL);
	if (sgdb_is_vpc(sg))
		*nic = "intranet";
	else
		*nic = n && n[0] ? n : "internet";
	return 0;
}

static int
sgd_permissions(struct api_call *c, const struct store_res *sg, json_t *arr)
{
	struct store_res_list l = { NULL, 0 };
	const char *dir, *nic;
	size_t *hit = NULL, n = 0, first = 0, count = 0;
	long off;
	int r;

	if ((r = sgd_rule_filter(c, sg, &dir, &nic)) < 0)
		return r;
	if ((off = sgd_token(api_str(c, "NextToken"))) < 0)
		return api_fail(c, ERR_INVALID_PARAMETER, "NextToken");
	if ((r = sgdb_rules(c->st, sg->id, &l)) < 0)
		goto out;
	if (l.n && (hit = calloc(l.n, sizeof(*hit))) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < l.n; i++)
		if ((strcmp(dir, "all") == 0 ||
		    strcmp(dir, rparse_str(l.v[i].doc, "Direction")) == 0) &&
		    strcmp(nic, rparse_str(l.v[i].doc, "NicType")) == 0)
			hit[n++] = i;
	first = (size_t)off;
	count = (size_t)api_int(c, "MaxResults", SGD_RULES_DEFAULT);
	for (size_t i = first; i < n && i - first < count; i++) {
		json_t *p = json_deep_copy(l.v[hit[i]].doc);

		sgd_peer_name(c, p);
		json_array_append_new(arr, p);
	}
	json_object_set_new(c->out, "NextToken",
	    sgd_token_out(first + count, n));
out:
	free(hit);
	store_res_list_free(&l);
	return r;
}

int
sgact_describe_attribute(struct api_call *c)
{
	static const char *const fields[] = { "SecurityGroupId",
	    "SecurityGroupName", "Description", "VpcId", "InnerAccessPolicy",
	    NULL };
	const char *attr = api_str(c, "Attribute");
	struct store_res sg;
	json_t *arr = json_array();
	int r;

	if ((r = sgact_group(c, &sg)) < 0 ||
	    (r = sgd_permissions(c, &sg, arr)) < 0)
		goto out;
	json_object_set_new(c->out, "RegionId", json_string(sg.region));
	for (int i = 0; fields[i]; i++)
		json_object_set_new(c->out, fields[i],
		    json_string(rparse_str(sg.doc, fields[i])));
	json_object_set_new(c->out, "Permissions",
	    api_wrap_list(arr, "Permission"));
	arr = NULL;
	if (attr && strcmp(attr, "snapshotPolicyIds") == 0)
		json_object_set_new(c->out, "SnapshotPolicyIds",
		    api_wrap_list(NULL, "SnapshotPolicyId"));
out:
	json_decref(arr);
	store_res_clear(&sg);
	return r;
}

const struct api_param sgact_p_describe_groups[] = {
	{ "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "SecurityGroupId", PT_STR, 0, 0, 64, NULL, 0 },
	{ "SecurityGroupIds", PT_JSONLIST, 0, 0, SGD_IDS_MAX, NULL, 0 },
	{ "VpcId", PT_STR, 0, 0, 64, NULL, 0 },
	{ "SecurityGroupName", PT_STR, 0, 0, 0, NULL, 0 },
	{ "SecurityGroupType", PT_STR, 0, 0, 0, NULL, 0 },
	{ "NetworkType", PT_STR, 0, 0, 0, NULL, 0 },
	{ "ResourceGroupId", PT_STR, 0, 0, 64, NULL, 0 },
	{ "ServiceManaged", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "IsQueryEcsCount", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "FuzzyQuery", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "PageNumber", PT_INT, 0, 1, 1000000, NULL, 0 },
	{ "PageSize", PT_INT, 0, 1, SGD_PAGE_MAX, NULL, 0 },
	{ "MaxResults", PT_INT, 0, 1, SGD_RESULTS_MAX, NULL, 0 },
	{ "NextToken", PT_STR, 0, 0, 64, NULL, 0 },
	{ "Tag", PT_OBJLIST, 0, 0, SGACT_TAGS_MAX, sgact_p_tag_fields,
	  ERR_TAG_TAGS_EXCEED },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

const struct api_param sgact_p_describe_attribute[] = {
	{ "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "SecurityGroupId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "Direction", PT_STR, 0, 0, 0, NULL, 0 },
	{ "NicType", PT_STR, 0, 0, 0, NULL, 0 },
	{ "Attribute", PT_STR, 0, 0, 0, NULL, 0 },
	{ "MaxResults", PT_INT, 0, SGD_RULES_MIN, SGD_RULES_MAX, NULL, 0 },
	{ "NextToken", PT_STR, 0, 0, 64, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};
