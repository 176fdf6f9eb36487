/*
 * vpc_vswitch: the VPC 2016-04-28 vSwitch actions CreateVSwitch,
 * DescribeVSwitches, DeleteVSwitch (rows in act_vpc_actions, vpc.c).
 *
 * A vSwitch is an aligned IPv4 block of /16../29 inside its VPC's block,
 * overlapping no sibling; it lives in one zone of the VPC's region. Its
 * address plan reserves the first and the last three addresses
 * (CIDR_VSW_RESERVED_*), which AvailableIpAddressCount reflects.
 */
#include <stdio.h>
#include <string.h>

#include "api/act/act.h"
#include "api/act/vpc_int.h"
#include "lib/cidr.h"
#include "lib/rnd.h"
#include "lib/tm.h"

/* COMPAT: CreateVSwitch doc — mask 16 to 29 bits. */
#define VSW_MASK_MIN 16
#define VSW_MASK_MAX 29

/* Parses a stored (always valid) CIDR text; a broken store is a 500. */
static int
vsw_stored_cidr(struct api_call *c, const json_t *doc, struct cidr *out)
{
	if (cidr_parse(vpc_doc_str(doc, "CidrBlock"), out) < 0)
		return api_fail(c, ERR_INTERNAL, "stored CidrBlock");
	return 0;
}

/* 1 with *which set when a sibling overlaps cand, 0 if none, or -ERR_x. */
static int
vsw_first_overlap(struct api_call *c, const struct store_res_list *sw,
    const struct cidr *cand, size_t *which)
{
	struct cidr s;
	int r;

	for (size_t i = 0; i < sw->n; i++) {
		if ((r = vsw_stored_cidr(c, sw->v[i].doc, &s)) < 0)
			return r;
		if (cidr_overlaps(&s, cand)) {
			*which = i;
			return 1;
		}
	}
	return 0;
}

/*
 * CidrMask without CidrBlock: the lowest free aligned block of that size.
 * A clash skips past the sibling it hit, so the scan is O(siblings^2).
 */
static int
vsw_allocate(struct api_call *c, const struct cidr *vpc, int mask,
    const struct store_res_list *sw, struct cidr *out)
{
	uint64_t step, off = 0, size = cidr_size(vpc), start;
	struct cidr cand, s;
	size_t which;
	int r;

	if (mask < vpc->len)
		return api_fail(c, ERR_VSWITCH_CIDR_OUTSIDE_VPC, NULL);
	step = (uint64_t)1 << (32 - mask);
	while (off + step <= size) {
		if ((r = cidr_nth(vpc, off, &cand)) < 0)
			return api_fail(c, ERR_INTERNAL, "allocation");
		cand.len = (uint8_t)mask;
		if ((r = vsw_first_overlap(c, sw, &cand, &which)) < 0)
			return r;
		if (r == 0) {
			*out = cand;
			return 0;
		}
		if ((r = vsw_stored_cidr(c, sw->v[which].doc, &s)) < 0)
			return r;
		if (cidr_index(vpc, &s, &start) < 0)
			start = off;
		/* Siblings are aligned: their end is a multiple of step
		 * whenever it lies beyond this candidate. */
		off = start + cidr_size(&s) > off + step ?
		    start + cidr_size(&s) : off + step;
	}
	return api_fail(c, ERR_VSWITCH_CIDR_OVERLAP, "(no free /%d block)",
	    mask);
}

/* The block a new vSwitch gets: CidrBlock checked, or CidrMask allocated. */
static int
vsw_pick_cidr(struct api_call *c, const struct cidr *vpc,
    const struct store_res_list *sw, struct cidr *out)
{
	const char *text = api_str(c, "CidrBlock");
	size_t which;
	int r;

	if (text == NULL && api_str(c, "CidrMask") == NULL)
		return api_fail(c, ERR_MISSING_PARAMETER, "CidrBlock");
	if (text == NULL)
		return vsw_allocate(c, vpc, (int)api_int(c, "CidrMask", 0), sw,
		    out);
	if (cidr_parse(text, out) < 0 || out->family != CIDR_V4)
		return api_fail(c, ERR_CIDR_MALFORMED, "CidrBlock %s", text);
	if (!cidr_is_aligned(out))
		return api_fail(c, ERR_CIDR_MALFORMED,
		    "CidrBlock %s has host bits set", text);
	if (out->len < VSW_MASK_MIN || out->len > VSW_MASK_MAX)
		return api_fail(c, ERR_VSWITCH_CIDR_MASK, "%d to %d",
		    VSW_MASK_MIN, VSW_MASK_MAX);
	if (!cidr_contains(vpc, out))
		return api_fail(c, ERR_VSWITCH_CIDR_OUTSIDE_VPC, NULL);
	if ((r = vsw_first_overlap(c, sw, out, &which)) < 0)
		return r;
	if (r > 0)
		return api_fail(c, ERR_VSWITCH_CIDR_OVERLAP, "%s", text);
	return 0;
}

static int
vsw_check_quota(struct api_call *c, const struct store_res_list *sw)
{
	if (c->api->cfg.vswitch_quota > 0 &&
	    sw->n >= (size_t)c->api->cfg.vswitch_quota)
		return api_fail(c, ERR_VSWITCH_QUOTA_EXCEEDED, NULL);
	return 0;
}

static int
vsw_new_doc(struct api_call *c, const struct store_res *vpc,
    const struct cidr *block, json_t *tags, json_t **out)
{
	const char *name = api_str(c, "VSwitchName");
	const char *desc = api_str(c, "Description");
	char ts[32], text[CIDR_STR_MAX];
	int r;

	*out = NULL;
	if ((r = cidr_format(block, text, sizeof(text))) < 0)
		return api_fail(c, ERR_INTERNAL, "format");
	tm_format_iso(c->now, ts, sizeof(ts));
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:O, "
	    "s:b}", "VpcId", vpc->id, "ZoneId", api_str(c, "ZoneId"),
	    "CidrBlock", text, "VSwitchName", name ? name : "",
	    "Description", desc ? desc : "", "CreationTime", ts,
	    "Status", "Available",
	    "ResourceGroupId", vpc_doc_str(vpc->doc, "ResourceGroupId"),
	    "RouteTableId", vpc_doc_str(vpc->doc, "RouteTableId"),
	    "Tags", tags, "IsDefault", 0);
	return *out ? 0 : -ERR_NOMEM;
}

int
vpc_act_create_vswitch(struct api_call *c)
{
	const char *region = api_str(c, "RegionId");
	const char *zone = api_str(c, "ZoneId");
	struct store_res vpc, res;
	struct store_res_list sw = { NULL, 0 };
	struct store_filter f = { c->who.account, VSW_KIND, NULL, NULL, NULL };
	struct cidr net, block;
	json_t *tags = NULL;
	int r;

	memset(&res, 0, sizeof(res));
	if ((region && (r = api_check_region(c, region)) < 0) ||
	    (r = vpc_check_text(c, "VSwitchName",
	    ERR_VSWITCH_NAME_MALFORMED)) < 0 ||
	    (r = vpc_check_text(c, "Description",
	    ERR_VSWITCH_DESCRIPTION_MALFORMED)) < 0 ||
	    (r = vpc_tags_parse(c, &tags)) < 0)
		goto out_tags;
	if ((r = vpc_res_get(c, VPC_KIND, api_str(c, "VpcId"), region,
	    ERR_VPC_NOT_FOUND, &vpc)) < 0)
		goto out_tags;
	f.parent = vpc.id;
	if (!act_zone_exists(vpc.region, zone)) {
		r = api_fail(c, ERR_ZONE_NOT_FOUND, "%s", zone);
		goto out;
	}
	if ((r = vsw_stored_cidr(c, vpc.doc, &net)) < 0 ||
	    (r = store_res_list(c->st, &f, &sw)) < 0 ||
	    (r = vsw_pick_cidr(c, &net, &sw, &block)) < 0 ||
	    (r = vsw_check_quota(c, &sw)) < 0 ||
	    (r = vpc_dry_run(c)) < 0)
		goto out;
	if ((r = rnd_id("vsw-", res.id, sizeof(res.id))) < 0 ||
	    (r = vsw_new_doc(c, &vpc, &block, tags, &res.doc)) < 0)
		goto out;
	snprintf(res.kind, sizeof(res.kind), "%s", VSW_KIND);
	snprintf(res.account, sizeof(res.account), "%s", c->who.account);
	snprintf(res.region, sizeof(res.region), "%s", vpc.region);
	snprintf(res.parent, sizeof(res.parent), "%s", vpc.id);
	if ((r = store_res_put(c->st, &res)) < 0)
		goto out;
	json_object_set_new(c->out, "VSwitchId", json_string(res.id));
out:
	store_res_list_free(&sw);
	store_res_clear(&vpc);
	store_res_clear(&res);
out_tags:
	json_decref(tags);
	return r;
}

/* Does the vSwitch pass DescribeVSwitches' filters? */
static int
vsw_matches(struct api_call *c, const struct store_res *s)
{
	static const char *const exact[] = { "ZoneId", "VSwitchName",
	    "ResourceGroupId", "RouteTableId", NULL };
	const char *ids = api_str(c, "VSwitchId");

	if (ids && !vpc_id_listed(ids, s->id))
		return 0;
	for (int i = 0; exact[i]; i++) {
		const char *want = api_str(c, exact[i]);

		if (want && strcmp(vpc_doc_str(s->doc, exact[i]), want) != 0)
			return 0;
	}
	if (api_str(c, "IsDefault") && api_bool(c, "IsDefault", 0) !=
	    json_is_true(json_object_get(s->doc, "IsDefault")))
		return 0;
	return vpc_tags_match(c, json_object_get(s->doc, "Tags"));
}

static int
vsw_describe_one(struct api_call *c, const struct store_res *s, json_t **out)
{
	const json_t *d = s->doc;
	struct cidr block;
	uint64_t usable;
	size_t used;
	int r;

	*out = NULL;
	if ((r = vsw_stored_cidr(c, d, &block)) < 0 ||
	    (r = vpc_vswitch_ips_used(c, s->id, &used)) < 0)
		return r;
	usable = cidr_vsw_usable(&block);
	usable = used < usable ? usable - used : 0;
	*out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:b, "
	    "s:s, s:o, s:s, s:{s:s, s:s}, s:o, s:s, s:b}",
	    "VSwitchId", s->id, "VpcId", vpc_doc_str(d, "VpcId"),
	    "Status", vpc_doc_str(d, "Status"),
	    "CidrBlock", vpc_doc_str(d, "CidrBlock"),
	    "ZoneId", vpc_doc_str(d, "ZoneId"),
	    "AvailableIpAddressCount", (json_int_t)usable,
	    "VSwitchName", vpc_doc_str(d, "VSwitchName"),
	    "Description", vpc_doc_str(d, "Description"),
	    "CreationTime", vpc_doc_str(d, "CreationTime"),
	    "IsDefault", json_is_true(json_object_get(d, "IsDefault")),
	    "ResourceGroupId", vpc_doc_str(d, "ResourceGroupId"),
	    "OwnerId", vpc_owner_id(c),
	    "NetworkAclId", "",
	    "RouteTable", "RouteTableId", vpc_doc_str(d, "RouteTableId"),
	    "RouteTableType", "System",
	    "Tags", vpc_tags_out(json_object_get(d, "Tags")),
	    "Ipv6CidrBlock", "", "EnabledIpv6", 0);
	return *out ? 0 : -ERR_NOMEM;
}

int
vpc_act_describe_vswitches(struct api_call *c)
{
	const char *region = api_str(c, "RegionId"), *vpc = api_str(c, "VpcId");
	struct store_filter f = { c->who.account, VSW_KIND, region, vpc, NULL };
	struct store_res_list all = { NULL, 0 };
	int64_t page, size;
	int r;

	if (region == NULL && vpc == NULL) {
		r = api_fail(c, ERR_MISSING_PARAMETER, "RegionId");
		goto out;
	}
	if ((region && (r = api_check_region(c, region)) < 0) ||
	    (r = api_page(c, VPC_PAGE_MAX, &page, &size)) < 0 ||
	    (r = vpc_dry_run(c)) < 0 ||
	    (r = store_res_list(c->st, &f, &all)) < 0)
		goto out;
	r = vpc_page_out(c, &all, page, size, vsw_matches, vsw_describe_one,
	    "VSwitches", "VSwitch");
out:
	store_res_list_free(&all);
	return r;
}

int
vpc_act_delete_vswitch(struct api_call *c)
{
	const char *id = api_str(c, "VSwitchId");
	struct store_res sw;
	size_t n;
	int r;

	if ((r = vpc_res_get(c, VSW_KIND, id, api_str(c, "RegionId"),
	    ERR_VSWITCH_NOT_FOUND, &sw)) < 0)
		return r;
	if ((r = vpc_vswitch_dependants(c, id, &n)) < 0)
		goto out;
	if (n > 0) {
		r = api_fail(c, ERR_VSWITCH_DEPENDENCY, "%zu", n);
		goto out;
	}
	if ((r = vpc_dry_run(c)) < 0)
		goto out;
	r = store_res_del(c->st, id);
out:
	store_res_clear(&sw);
	return r;
}

const struct api_param vpc_p_create_vswitch[] = {
	{ "VpcId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "ZoneId", PT_STR, AP_REQUIRED, 1, 64, NULL, ERR_ZONE_NOT_FOUND },
	{ "CidrBlock", PT_STR, 0, 1, 64, NULL, ERR_CIDR_MALFORMED },
	{ "CidrMask", PT_INT, 0, VSW_MASK_MIN, VSW_MASK_MAX, NULL,
	  ERR_VSWITCH_CIDR_MASK },
	{ "RegionId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "VSwitchName", PT_STR, 0, 1, 128, NULL, ERR_VSWITCH_NAME_MALFORMED },
	{ "Description", PT_STR, 0, 1, 256, NULL,
	  ERR_VSWITCH_DESCRIPTION_MALFORMED },
	{ "Tag", PT_OBJLIST, 0, 0, VPC_TAGS_MAX, vpc_p_tag_fields, 0 },
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

const struct api_param vpc_p_describe_vswitches[] = {
	{ "RegionId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "VpcId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "VSwitchId", PT_STR, 0, 0, 2048, NULL, 0 },
	{ "ZoneId", PT_STR, 0, 0, 64, NULL, 0 },
	{ "VSwitchName", PT_STR, 0, 0, 128, NULL, 0 },
	{ "ResourceGroupId", PT_STR, 0, 0, 64, NULL, 0 },
	{ "RouteTableId", PT_STR, 0, 0, 64, NULL, 0 },
	{ "IsDefault", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "PageNumber", PT_INT, 0, 1, 1000000, NULL, 0 },
	{ "PageSize", PT_INT, 0, 1, VPC_PAGE_MAX, NULL, 0 },
	{ "Tag", PT_OBJLIST, 0, 0, VPC_TAGS_MAX, vpc_p_tag_fields, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

const struct api_param vpc_p_delete_vswitch[] = {
	{ "VSwitchId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "RegionId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};
