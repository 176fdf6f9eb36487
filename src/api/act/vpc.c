/*
 * vpc: the VPC 2016-04-28 actions CreateVpc, DescribeVpcs, DeleteVpc, the
 * helpers shared with the vSwitch half (vpc_vswitch.c, see vpc_int.h) and
 * the family's action table.
 *
 * A VPC is created "Available" at once (COMPAT: Alibaba creates it
 * asynchronously, Pending -> Available; Terraform waits for Available, so
 * an immediate Available is indistinguishable to clients). Every check runs
 * before anything is written; DryRun=true stops after the checks with
 * DryRunOperation (400), as Alibaba does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/act/vpc_int.h"
#include "lib/cidr.h"
#include "lib/rnd.h"
#include "lib/tm.h"

/* COMPAT: CreateVpc doc — default block, mask range. */
#define VPC_DEFAULT_CIDR "172.16.0.0/12"
#define VPC_MASK_MIN 8
#define VPC_MASK_MAX 28
#define VPC_FILTER_IDS_MAX 20

/*
 * COMPAT: CreateVpc doc — a VPC may use any IPv4 block except these and
 * their subnets. 0.0.0.0/8 and 240.0.0.0/4 (not routable) are refused too.
 */
static const char *const vpc_reserved[] = {
	"100.64.0.0/10", "224.0.0.0/4", "127.0.0.0/8", "169.254.0.0/16",
	"0.0.0.0/8", "240.0.0.0/4", NULL,
};

int
vpc_res_get(struct api_call *c, const char *kind, const char *id,
    const char *region, int notfound, struct store_res *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = store_res_get(c->st, id, out);
	if (r == 0 && (strcmp(out->kind, kind) != 0 ||
	    strcmp(out->account, c->who.account) != 0 ||
	    (region && strcmp(out->region, region) != 0)))
		r = -ERR_NOT_FOUND;
	if (r < 0)
		store_res_clear(out);
	return r == -ERR_NOT_FOUND ? api_fail(c, notfound, "%s", id) : r;
}

static int
vpc_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int
vpc_check_text(struct api_call *c, const char *param, int err)
{
	const char *v = api_str(c, param);

	if (v && (v[0] == '\0' || vpc_starts(v, "http://") ||
	    vpc_starts(v, "https://")))
		return api_fail(c, err, "%s", param);
	return 0;
}

/* COMPAT: Tag.N docs — keys 1..128, values 0..128, neither may start with
 * "aliyun" or "acs:", keys hold no "http://" / "https://". */
static int
vpc_tag_check(struct api_call *c, int i, const char *key, const char *value)
{
	if (key == NULL || key[0] == '\0' || vpc_starts(key, "aliyun") ||
	    vpc_starts(key, "acs:") || strstr(key, "http://") ||
	    strstr(key, "https://"))
		return api_fail(c, ERR_TAG_KEY_MALFORMED, "Tag.%d.Key", i);
	if (value && (vpc_starts(value, "aliyun") || vpc_starts(value, "acs:")))
		return api_fail(c, ERR_TAG_VALUE_MALFORMED, "Tag.%d.Value", i);
	return 0;
}

int
vpc_tags_parse(struct api_call *c, json_t **out)
{
	int idx[VPC_TAGS_MAX];
	size_t n = api_indices(c, "Tag", idx, VPC_TAGS_MAX);
	json_t *arr = json_array(), *t;
	size_t j;
	int r = 0;

	*out = NULL;
	if (arr == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *key = api_strf(c, "Tag.%d.Key", idx[i]);
		const char *value = api_strf(c, "Tag.%d.Value", idx[i]);

		if ((r = vpc_tag_check(c, idx[i], key, value)) < 0)
			goto out;
		json_array_foreach(arr, j, t)
			if (strcmp(vpc_doc_str(t, "Key"), key) == 0) {
				r = api_fail(c, ERR_TAG_KEY_DUPLICATE, NULL);
				goto out;
			}
		json_array_append_new(arr, json_pack("{s:s, s:s}", "Key", key,
		    "Value", value ? value : ""));
	}
	*out = arr;
	arr = NULL;
out:
	json_decref(arr);
	return r;
}

int
vpc_tags_match(struct api_call *c, const json_t *tags)
{
	int idx[VPC_TAGS_MAX];
	size_t n = api_indices(c, "Tag", idx, VPC_TAGS_MAX), j;
	const json_t *t;

	for (size_t i = 0; i < n; i++) {
		const char *key = api_strf(c, "Tag.%d.Key", idx[i]);
		const char *value = api_strf(c, "Tag.%d.Value", idx[i]);
		int found = 0;

		if (key == NULL)
			continue;
		json_array_foreach(tags, j, t)
			if (strcmp(vpc_doc_str(t, "Key"), key) == 0 &&
			    (value == NULL ||
			    strcmp(vpc_doc_str(t, "Value"), value) == 0))
				found = 1;
		if (!found)
			return 0;
	}
	return 1;
}

json_t *
vpc_tags_out(const json_t *tags)
{
	return api_wrap_list(json_is_array(tags) ? json_deep_copy(tags) : NULL,
	    "Tag");
}

/* Next element of a comma list: [*s, end) trimmed; advances *s. */
static int
vpc_list_next(const char **s, const char **b, size_t *len)
{
	const char *p = *s, *e;

	if (p == NULL)
		return 0;
	e = strchr(p, ',');
	*s = e ? e + 1 : NULL;
	if (e == NULL)
		e = p + strlen(p);
	while (p < e && *p == ' ')
		p++;
	while (e > p && e[-1] == ' ')
		e--;
	*b = p;
	*len = (size_t)(e - p);
	return 1;
}

int
vpc_id_listed(const char *list, const char *id)
{
	const char *b;
	size_t len;

	while (vpc_list_next(&list, &b, &len))
		if (len == strlen(id) && strncmp(b, id, len) == 0)
			return 1;
	return 0;
}

int
vpc_id_count(const char *list)
{
	const char *b;
	size_t len;
	int n = 0;

	while (vpc_list_next(&list, &b, &len)) {
		if (len == 0)
			return -1;
		n++;
	}
	return n;
}

json_t *
vpc_owner_id(const struct api_call *c)
{
	return json_integer(strtoll(c->who.account, NULL, 10));
}

const char *
vpc_doc_str(const json_t *doc, const char *key)
{
	const char *v = json_string_value(json_object_get(doc, key));

	return v ? v : "";
}

int
vpc_dry_run(struct api_call *c)
{
	return api_bool(c, "DryRun", 0) ? api_fail(c, ERR_VPC_DRY_RUN, NULL) : 0;
}

/* Counts resources of kind whose parent is id (any account). */
static int
vpc_count_children(struct api_call *c, const char *kind, const char *id,
    size_t *n)
{
	struct store_filter f = { NULL, kind, NULL, id, NULL };

	return store_res_count(c->st, &f, n);
}

int
vpc_vswitch_dependants(struct api_call *c, const char *vsw_id, size_t *n)
{
	size_t enis = 0, instances = 0;
	int r;

	*n = 0;
	if ((r = vpc_count_children(c, "eni", vsw_id, &enis)) < 0 ||
	    (r = vpc_count_children(c, "instance", vsw_id, &instances)) < 0)
		return r;
	*n = enis + instances;
	return 0;
}

int
vpc_vswitch_ips_used(struct api_call *c, const char *vsw_id, size_t *n)
{
	return vpc_count_children(c, "eni", vsw_id, n);
}

/* A VPC block: aligned IPv4, /8../28, clear of the reserved ranges. */
static int
vpc_check_cidr(struct api_call *c, const char *text, struct cidr *out)
{
	struct cidr res;

	if (cidr_parse(text, out) < 0 || out->family != CIDR_V4)
		return api_fail(c, ERR_CIDR_MALFORMED, "CidrBlock %s", text);
	if (!cidr_is_aligned(out))
		return api_fail(c, ERR_CIDR_MALFORMED,
		    "CidrBlock %s has host bits set", text);
	if (out->len < VPC_MASK_MIN || out->len > VPC_MASK_MAX)
		return api_fail(c, ERR_CIDR_MALFORMED,
		    "The mask length must be %d to %d.", VPC_MASK_MIN,
		    VPC_MASK_MAX);
	for (int i = 0; vpc_reserved[i]; i++) {
		if (cidr_parse(vpc_reserved[i], &res) < 0)
			return api_fail(c, ERR_INTERNAL, "reserved table");
		if (cidr_overlaps(&res, out))
			return api_fail(c, ERR_CIDR_MALFORMED,
			    "CidrBlock %s overlaps the reserved range %s.",
			    text, vpc_reserved[i]);
	}
	return 0;
}

static int
vpc_check_quota(struct api_call *c, const char *region)
{
	struct store_filter f = { c->who.account, VPC_KIND, region, NULL, NULL };
	size_t n;
	int r;

	if (c->api->cfg.vpc_quota <= 0)
		return 0;
	if ((r = store_res_count(c->st, &f, &n)) < 0)
		return r;
	if (n >= (size_t)c->api->cfg.vpc_quota)
		return api_fail(c, ERR_VPC_QUOTA_EXCEEDED, NULL);
	return 0;
}

/*
 * The VPC's conntrack zone: a small integer, unique and stable, that the
 * agent gives the VPC's traffic (overlapping CIDRs in different VPCs must
 * not share connection state). Internal: not part of any response.
 */
static int
vpc_next_zone(struct api_call *c, json_int_t *zone)
{
	char *v = NULL, buf[32];
	long long n = 1;
	int r;

	r = store_meta_get(c->st, "next_ct_zone", &v);
	if (r == 0)
		n = atoll(v);
	else if (r != -ERR_NOT_FOUND)
		return r;
	free(v);
	if (n < 1 || n > 65535)
		return api_fail(c, ERR_VPC_QUOTA_EXCEEDED, NULL);
	*zone = n;
	snprintf(buf, sizeof(buf), "%lld", n + 1);
	return store_meta_put(c->st, "next_ct_zone", buf);
}

static int
act_create_vpc(struct api_call *c)
{
	const char *region = api_str(c, "RegionId");
	const char *text = api_str(c, "CidrBlock");
	const char *name = api_str(c, "VpcName"), *desc = api_str(c, "Description");
	const char *rg = api_str(c, "ResourceGroupId");
	char vrt[RND_ID_LEN], vtb[RND_ID_LEN], ts[32], block[CIDR_STR_MAX];
	struct store_res res;
	struct cidr net;
	json_t *tags = NULL;
	json_int_t zone = 0;
	int r;

	memset(&res, 0, sizeof(res));
	if ((r = api_check_region(c, region)) < 0 ||
	    (r = vpc_check_cidr(c, text ? text : VPC_DEFAULT_CIDR, &net)) < 0 ||
	    (r = vpc_check_text(c, "VpcName", ERR_VPC_NAME_MALFORMED)) < 0 ||
	    (r = vpc_check_text(c, "Description",
	    ERR_VPC_DESCRIPTION_MALFORMED)) < 0 ||
	    (r = vpc_tags_parse(c, &tags)) < 0 ||
	    (r = vpc_check_quota(c, region)) < 0 ||
	    (r = vpc_dry_run(c)) < 0 ||
	    (r = vpc_next_zone(c, &zone)) < 0)
		goto out;
	if ((r = rnd_id("vpc-", res.id, sizeof(res.id))) < 0 ||
	    (r = rnd_id("vrt-", vrt, sizeof(vrt))) < 0 ||
	    (r = rnd_id("vtb-", vtb, sizeof(vtb))) < 0 ||
	    (r = cidr_format(&net, block, sizeof(block))) < 0)
		goto out;
	tm_format_iso(c->now, ts, sizeof(ts));
	snprintf(res.kind, sizeof(res.kind), "%s", VPC_KIND);
	snprintf(res.account, sizeof(res.account), "%s", c->who.account);
	snprintf(res.region, sizeof(res.region), "%s", region);
	res.doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:b}",
	    "VpcName", name ? name : "", "Description", desc ? desc : "",
	    "CidrBlock", block, "VRouterId", vrt, "RouteTableId", vtb,
	    "CreationTime", ts, "Status", "Available",
	    "ResourceGroupId", rg ? rg : "", "Tags", tags, "IsDefault", 0);
	if (res.doc == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	json_object_set_new(res.doc, "CtZone", json_integer(zone));
	if ((r = store_res_put(c->st, &res)) < 0)
		goto out;
	json_object_set_new(c->out, "VpcId", json_string(res.id));
	json_object_set_new(c->out, "VRouterId", json_string(vrt));
	json_object_set_new(c->out, "RouteTableId", json_string(vtb));
	json_object_set_new(c->out, "ResourceGroupId", json_string(rg ? rg : ""));
out:
	json_decref(tags);
	store_res_clear(&res);
	return r;
}

/* Does the VPC pass DescribeVpcs' filters? */
static int
vpc_matches(struct api_call *c, const struct store_res *v)
{
	const char *ids = api_str(c, "VpcId"), *name = api_str(c, "VpcName");
	const char *rg = api_str(c, "ResourceGroupId");

	if (ids && !vpc_id_listed(ids, v->id))
		return 0;
	if (name && strcmp(vpc_doc_str(v->doc, "VpcName"), name) != 0)
		return 0;
	if (rg && strcmp(vpc_doc_str(v->doc, "ResourceGroupId"), rg) != 0)
		return 0;
	if (api_str(c, "IsDefault") && api_bool(c, "IsDefault", 0) !=
	    json_is_true(json_object_get(v->doc, "IsDefault")))
		return 0;
	return vpc_tags_match(c, json_object_get(v->doc, "Tags"));
}

static json_t *
vpc_strings(const char *s)
{
	json_t *a = json_array();

	if (s && s[0])
		json_array_append_new(a, json_string(s));
	return a;
}

static int
vpc_describe_one(struct api_call *c, const struct store_res *v, json_t **out)
{
	struct store_filter f = { c->who.account, VSW_KIND, NULL, v->id, NULL };
	struct store_res_list sw = { NULL, 0 };
	const json_t *d = v->doc;
	json_t *ids = json_array();
	int r;

	*out = NULL;
	if ((r = store_res_list(c->st, &f, &sw)) < 0) {
		json_decref(ids);
		return r;
	}
	for (size_t i = 0; i < sw.n; i++)
		json_array_append_new(ids, json_string(sw.v[i].id));
	store_res_list_free(&sw);
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:s, "
	    "s:s, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:s, s:b}",
	    "VpcId", v->id, "RegionId", v->region,
	    "Status", vpc_doc_str(d, "Status"),
	    "VpcName", vpc_doc_str(d, "VpcName"),
	    "Description", vpc_doc_str(d, "Description"),
	    "CidrBlock", vpc_doc_str(d, "CidrBlock"),
	    "CreationTime", vpc_doc_str(d, "CreationTime"),
	    "IsDefault", json_is_true(json_object_get(d, "IsDefault")),
	    "OwnerId", vpc_owner_id(c),
	    "ResourceGroupId", vpc_doc_str(d, "ResourceGroupId"),
	    "VRouterId", vpc_doc_str(d, "VRouterId"),
	    "VSwitchIds", api_wrap_list(ids, "VSwitchId"),
	    "RouterTableIds", api_wrap_list(vpc_strings(vpc_doc_str(d,
	    "RouteTableId")), "RouterTableIds"),
	    "Tags", vpc_tags_out(json_object_get(d, "Tags")),
	    "NatGatewayIds", api_wrap_list(NULL, "NatGatewayIds"),
	    "UserCidrs", api_wrap_list(NULL, "UserCidr"),
	    "SecondaryCidrBlocks", api_wrap_list(NULL, "SecondaryCidrBlock"),
	    "Ipv6CidrBlocks", api_wrap_list(NULL, "Ipv6CidrBlock"),
	    "Ipv6CidrBlock", "", "EnabledIpv6", 0);
	return *out ? 0 : -ERR_NOMEM;
}

static int
act_describe_vpcs(struct api_call *c)
{
	const char *region = api_str(c, "RegionId"), *ids = api_str(c, "VpcId");
	struct store_filter f = { c->who.account, VPC_KIND, region, NULL, NULL };
	struct store_res_list all = { NULL, 0 };
	int64_t page, size;
	int r;

	if ((r = api_check_region(c, region)) < 0 ||
	    (r = api_page(c, VPC_PAGE_MAX, &page, &size)) < 0)
		goto out;
	if (ids && (vpc_id_count(ids) < 0 ||
	    vpc_id_count(ids) > VPC_FILTER_IDS_MAX)) {
		r = api_fail(c, ERR_INVALID_PARAMETER, "VpcId");
		goto out;
	}
	if ((r = vpc_dry_run(c)) < 0 ||
	    (r = store_res_list(c->st, &f, &all)) < 0)
		goto out;
	r = vpc_page_out(c, &all, page, size, vpc_matches, vpc_describe_one,
	    "Vpcs", "Vpc");
out:
	store_res_list_free(&all);
	return r;
}

int
vpc_page_out(struct api_call *c, const struct store_res_list *all,
    int64_t page, int64_t size,
    int (*match)(struct api_call *, const struct store_res *),
    int (*describe)(struct api_call *, const struct store_res *, json_t **),
    const char *outer, const char *inner)
{
	json_t *arr = json_array(), *one;
	int64_t total = 0;
	int r = 0;

	for (size_t i = 0; i < all->n; i++) {
		if (!match(c, &all->v[i]))
			continue;
		total++;
		if (total <= (page - 1) * size || total > page * size)
			continue;
		if ((r = describe(c, &all->v[i], &one)) < 0)
			goto out;
		json_array_append_new(arr, one);
	}
	json_object_set_new(c->out, outer, api_wrap_list(arr, inner));
	arr = NULL;
	json_object_set_new(c->out, "TotalCount", json_integer(total));
	json_object_set_new(c->out, "PageNumber", json_integer(page));
	json_object_set_new(c->out, "PageSize", json_integer(size));
out:
	json_decref(arr);
	return r;
}

/*
 * DeleteVpc refuses while the VPC holds vSwitches (unless ForceDelete,
 * which takes the vSwitches along as long as nothing lives in them) or
 * security groups (kind "sg", parent = VpcId, when that family exists).
 */
static int
act_delete_vpc(struct api_call *c)
{
	const char *id = api_str(c, "VpcId");
	int force = api_bool(c, "ForceDelete", 0);
	struct store_res vpc;
	struct store_filter f = { c->who.account, VSW_KIND, NULL, id, NULL };
	struct store_res_list sw = { NULL, 0 };
	size_t n;
	int r;

	if ((r = vpc_res_get(c, VPC_KIND, id, api_str(c, "RegionId"),
	    ERR_VPC_NOT_FOUND, &vpc)) < 0)
		return r;
	if ((r = store_res_list(c->st, &f, &sw)) < 0)
		goto out;
	if (sw.n > 0 && !force) {
		r = api_fail(c, ERR_VPC_DEPENDENCY_VSWITCH, "%s", sw.v[0].id);
		goto out;
	}
	for (size_t i = 0; i < sw.n; i++) {
		if ((r = vpc_vswitch_dependants(c, sw.v[i].id, &n)) < 0)
			goto out;
		if (n > 0) {
			r = api_fail(c, ERR_VPC_DEPENDENCY_INSTANCE, "%s",
			    sw.v[i].id);
			goto out;
		}
	}
	if ((r = vpc_count_children(c, "sg", id, &n)) < 0)
		goto out;
	if (n > 0) {
		r = api_fail(c, ERR_VPC_DEPENDENCY_SG, NULL);
		goto out;
	}
	if ((r = vpc_dry_run(c)) < 0)
		goto out;
	for (size_t i = 0; i < sw.n; i++)
		if ((r = store_res_del(c->st, sw.v[i].id)) < 0)
			goto out;
	r = store_res_del(c->st, id);
out:
	store_res_list_free(&sw);
	store_res_clear(&vpc);
	return r;
}

const struct api_param vpc_p_tag_fields[] = {
	{ "Key", PT_STR, 0, 1, 128, NULL, ERR_TAG_KEY_MALFORMED },
	{ "Value", PT_STR, 0, 0, 128, NULL, ERR_TAG_VALUE_MALFORMED },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

static const struct api_param p_create_vpc[] = {
	{ "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "CidrBlock", PT_STR, 0, 1, 64, NULL, ERR_CIDR_MALFORMED },
	{ "VpcName", PT_STR, 0, 1, 128, NULL, ERR_VPC_NAME_MALFORMED },
	{ "Description", PT_STR, 0, 1, 256, NULL,
	  ERR_VPC_DESCRIPTION_MALFORMED },
	{ "ResourceGroupId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "Tag", PT_OBJLIST, 0, 0, VPC_TAGS_MAX, vpc_p_tag_fields, 0 },
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "EnableIpv6", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

static const struct api_param p_describe_vpcs[] = {
	{ "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "VpcId", PT_STR, 0, 0, 2048, NULL, 0 },
	{ "VpcName", PT_STR, 0, 0, 128, NULL, 0 },
	{ "ResourceGroupId", PT_STR, 0, 0, 64, NULL, 0 },
	{ "IsDefault", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "PageNumber", PT_INT, 0, 1, 1000000, NULL, 0 },
	{ "PageSize", PT_INT, 0, 1, VPC_PAGE_MAX, NULL, 0 },
	{ "Tag", PT_OBJLIST, 0, 0, VPC_TAGS_MAX, vpc_p_tag_fields, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

static const struct api_param p_delete_vpc[] = {
	{ "VpcId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "RegionId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "ForceDelete", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

const struct api_action act_vpc_actions[] = {
	{ "2016-04-28", "CreateVpc", "vpc:CreateVpc", act_create_vpc,
	  p_create_vpc, AF_WRITE | AF_CLIENT_TOKEN },
	{ "2016-04-28", "DescribeVpcs", "vpc:DescribeVpcs", act_describe_vpcs,
	  p_describe_vpcs, 0 },
	{ "2016-04-28", "DeleteVpc", "vpc:DeleteVpc", act_delete_vpc,
	  p_delete_vpc, AF_WRITE | AF_CLIENT_TOKEN },
	{ "2016-04-28", "CreateVSwitch", "vpc:CreateVSwitch",
	  vpc_act_create_vswitch, vpc_p_create_vswitch,
	  AF_WRITE | AF_CLIENT_TOKEN },
	{ "2016-04-28", "DescribeVSwitches", "vpc:DescribeVSwitches",
	  vpc_act_describe_vswitches, vpc_p_describe_vswitches, 0 },
	{ "2016-04-28", "DeleteVSwitch", "vpc:DeleteVSwitch",
	  vpc_act_delete_vswitch, vpc_p_delete_vswitch, AF_WRITE },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
