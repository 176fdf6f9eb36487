/*
 * ecs_sg: security groups (ECS 2014-05-26) — CreateSecurityGroup,
 * DeleteSecurityGroup, ModifySecurityGroupAttribute,
 * ModifySecurityGroupPolicy, DescribeSecurityGroupReferences, the helpers
 * of ecs_sg_int.h, and the act_ecs_sg_actions table, which also lists the
 * Describe actions (ecs_sg_describe.c) and the tag actions (ecs_tag.c).
 *
 * A group is created at once (no pending state). Every check runs before
 * anything is written. Deleting a group is refused while ENIs are members
 * or another group's rule names it (DependencyViolation, 403, with the two
 * messages of the DeleteSecurityGroup doc); otherwise its rules and their
 * sgref rows go with it.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api/act/ecs_sg_int.h"
#include "lib/err.h"
#include "sg/sgdb.h"
#include "sg/sgdb_int.h"

#define SG_NAME_MIN 2
#define SG_NAME_MAX 128
#define SG_DESC_MIN 2
#define SG_DESC_MAX 256
#define SG_TAG_MAX 128
#define SG_REFS_MAX 10		/* DescribeSecurityGroupReferences */

/* ---- shared helpers (ecs_sg_int.h) ---- */

int
sgact_group(struct api_call *c, struct store_res *out)
{
	const char *region = api_str(c, "RegionId");
	const char *id = api_str(c, "SecurityGroupId");
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = api_check_region(c, region)) < 0)
		return r;
	if ((r = sgdb_group_get(c->st, c->who.account, region, id, out)) < 0)
		return api_fail(c, r, "%s", id);
	return 0;
}

/* Characters, not bytes (UTF-8). */
static size_t
sg_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

static int
sg_is_url(const char *s)
{
	return strncasecmp(s, "http://", 7) == 0 ||
	    strncasecmp(s, "https://", 8) == 0;
}

static int
sg_name_char(unsigned char ch)
{
	return ch >= 0x80 || (ch >= 'a' && ch <= 'z') ||
	    (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	    ch == ':' || ch == '_' || ch == '.' || ch == '-';
}

/*
 * COMPAT: §9.1 — 2..128 characters, starting with a letter (any non-ASCII
 * character counts as one: Chinese and other Unicode letters), then
 * letters, digits, ':', '_', '.', '-'; never http(s)://.
 */
int
sgact_check_name(struct api_call *c, const char *name)
{
	unsigned char first = (unsigned char)name[0];
	size_t n;

	if (name[0] == '\0')
		return 0;
	n = sg_chars(name);
	if (n < SG_NAME_MIN || n > SG_NAME_MAX || sg_is_url(name) ||
	    !(first >= 0x80 || (first >= 'a' && first <= 'z') ||
	    (first >= 'A' && first <= 'Z')))
		return api_fail(c, ERR_SG_NAME_MALFORMED, NULL);
	for (const char *p = name; *p; p++)
		if (!sg_name_char((unsigned char)*p))
			return api_fail(c, ERR_SG_NAME_MALFORMED, NULL);
	return 0;
}

int
sgact_check_desc(struct api_call *c, const char *desc)
{
	size_t n;

	if (desc[0] == '\0')
		return 0;
	n = sg_chars(desc);
	if (n < SG_DESC_MIN || n > SG_DESC_MAX || sg_is_url(desc))
		return api_fail(c, ERR_SG_DESC_MALFORMED, NULL);
	return 0;
}

static int
sg_has_url(const char *s)
{
	return strstr(s, "http://") != NULL || strstr(s, "https://") != NULL;
}

/* One Tag.N: COMPAT §9.1 / §7.11 key and value rules. */
static int
sg_tag_check(struct api_call *c, const char *key, const char *val)
{
	size_t n = sg_chars(key);

	if (n < 1 || n > SG_TAG_MAX || strncmp(key, "aliyun", 6) == 0 ||
	    strncmp(key, "acs:", 4) == 0 || sg_has_url(key))
		return api_fail(c, ERR_TAG_ECS_KEY_MALFORMED, NULL);
	if (sg_chars(val) > SG_TAG_MAX || sg_has_url(val))
		return api_fail(c, ERR_TAG_ECS_VALUE_MALFORMED, NULL);
	return 0;
}

int
sgact_tags_parse(struct api_call *c, json_t **out)
{
	int idx[SGACT_TAGS_MAX + 1], r = 0;
	size_t n = api_indices(c, "Tag", idx, SGACT_TAGS_MAX + 1);
	json_t *tags = json_array();

	*out = NULL;
	if (tags == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < n && r == 0; i++) {
		const char *k = api_strf(c, "Tag.%d.Key", idx[i]);
		const char *v = api_strf(c, "Tag.%d.Value", idx[i]);

		if ((r = sg_tag_check(c, k ? k : "", v ? v : "")) < 0)
			break;
		for (size_t j = 0; j < i; j++)
			if (strcmp(api_strf(c, "Tag.%d.Key", idx[j]), k) == 0)
				r = api_fail(c, ERR_TAG_KEY_DUPLICATE, NULL);
		json_array_append_new(tags, json_pack("{s:s, s:s}", "TagKey", k,
		    "TagValue", v ? v : ""));
	}
	if (r < 0) {
		json_decref(tags);
		return r;
	}
	*out = tags;
	return 0;
}

int
sgact_tags_match(struct api_call *c, const json_t *tags)
{
	int idx[SGACT_TAGS_MAX + 1];
	size_t n = api_indices(c, "Tag", idx, SGACT_TAGS_MAX + 1);

	for (size_t i = 0; i < n; i++) {
		const char *k = api_strf(c, "Tag.%d.Key", idx[i]);
		const char *v = api_strf(c, "Tag.%d.Value", idx[i]);
		const json_t *t;
		size_t j;
		int hit = 0;

		json_array_foreach(tags, j, t) {
			const char *tk = json_string_value(json_object_get(t,
			    "TagKey"));
			const char *tv = json_string_value(json_object_get(t,
			    "TagValue"));

			if (k && tk && strcmp(k, tk) == 0 &&
			    (v == NULL || (tv && strcmp(v, tv) == 0)))
				hit = 1;
		}
		if (!hit)
			return 0;
	}
	return 1;
}

/* ---- actions ---- */

/* The VPC must be the caller's, in the region (§4.1 InvalidVpcId.NotFound). */
static int
sg_vpc_check(struct api_call *c, const char *region, const char *vpc_id)
{
	struct store_res vpc;
	int r;

	memset(&vpc, 0, sizeof(vpc));
	r = store_res_get(c->st, vpc_id, &vpc);
	if (r == -ERR_NOT_FOUND || (r == 0 && (strcmp(vpc.kind, "vpc") != 0 ||
	    strcmp(vpc.account, c->who.account) != 0 ||
	    strcmp(vpc.region, region) != 0)))
		r = api_fail(c, ERR_VPC_NOT_FOUND, "%s", vpc_id);
	store_res_clear(&vpc);
	return r;
}

static const char *
sg_param(struct api_call *c, const char *name)
{
	const char *v = api_str(c, name);

	return v ? v : "";
}

static int
act_create_sg(struct api_call *c)
{
	struct sgdb_group_spec s;
	const char *type = sg_param(c, "SecurityGroupType");
	char id[STORE_ID_MAX];
	json_t *tags = NULL;
	int r;

	memset(&s, 0, sizeof(s));
	s.account = c->who.account;
	s.region = api_str(c, "RegionId");
	s.vpc_id = sg_param(c, "VpcId");
	s.name = sg_param(c, "SecurityGroupName");
	s.description = sg_param(c, "Description");
	s.type = type[0] ? type : "normal";
	s.resource_group = sg_param(c, "ResourceGroupId");
	s.now = c->now;
	if ((r = api_check_region(c, s.region)) < 0)
		return r;
	if (strcmp(s.type, "normal") != 0 && strcmp(s.type, "enterprise") != 0)
		return api_fail(c, ERR_SG_TYPE_MALFORMED, NULL);
	/* Seed §1.6: enterprise groups exist in VPCs only. */
	if (s.vpc_id[0] == '\0' && strcmp(s.type, "enterprise") == 0)
		return api_fail(c, ERR_SG_VPC_REQUIRED, NULL);
	if ((s.vpc_id[0] && (r = sg_vpc_check(c, s.region, s.vpc_id)) < 0) ||
	    (r = sgact_check_name(c, s.name)) < 0 ||
	    (r = sgact_check_desc(c, s.description)) < 0 ||
	    (r = sgact_tags_parse(c, &tags)) < 0)
		goto out;
	s.tags = tags;
	if ((r = sgdb_group_new(c->st, &c->api->cfg, &s, id)) < 0) {
		r = api_fail(c, r, NULL);
		goto out;
	}
	json_object_set_new(c->out, "SecurityGroupId", json_string(id));
out:
	json_decref(tags);
	return r;
}

static int
act_delete_sg(struct api_call *c)
{
	struct store_res sg;
	size_t n;
	int r;

	if ((r = sgact_group(c, &sg)) < 0)
		goto out;
	if ((r = sgdb_member_count(c->st, sg.id, &n)) < 0)
		goto out;
	if (n > 0) {
		r = api_fail(c, ERR_SG_HAS_MEMBERS, NULL);
		goto out;
	}
	if ((r = sgdb_ref_count(c->st, sg.id, &n)) < 0)
		goto out;
	if (n > 0) {
		r = api_fail(c, ERR_SG_REFERENCED, NULL);
		goto out;
	}
	r = sgdb_group_del(c->st, sg.id);
out:
	store_res_clear(&sg);
	return r;
}

static int
act_modify_sg_attribute(struct api_call *c)
{
	const char *name = sg_param(c, "SecurityGroupName");
	const char *desc = sg_param(c, "Description");
	struct store_res sg;
	int r;

	if ((r = sgact_group(c, &sg)) < 0 ||
	    (r = sgact_check_name(c, name)) < 0 ||
	    (r = sgact_check_desc(c, desc)) < 0)
		goto out;
	if (name[0])
		json_object_set_new(sg.doc, "SecurityGroupName",
		    json_string(name));
	if (desc[0])
		json_object_set_new(sg.doc, "Description", json_string(desc));
	if (name[0] || desc[0])
		r = store_res_put(c->st, &sg);
out:
	store_res_clear(&sg);
	return r;
}

/* COMPAT: §4.6 — Accept | Drop, any case; enterprise groups stay Drop. */
static int
act_modify_sg_policy(struct api_call *c)
{
	const char *pol = sg_param(c, "InnerAccessPolicy");
	struct store_res sg;
	int r;

	if ((r = sgact_group(c, &sg)) < 0)
		goto out;
	if (strcasecmp(pol, "accept") != 0 && strcasecmp(pol, "drop") != 0) {
		r = api_fail(c, ERR_SG_INNER_POLICY_MALFORMED, NULL);
		goto out;
	}
	if (sgdb_is_enterprise(&sg)) {
		r = api_fail(c, ERR_SG_INNER_POLICY_ENTERPRISE, NULL);
		goto out;
	}
	json_object_set_new(sg.doc, "InnerAccessPolicy",
	    json_string(strcasecmp(pol, "accept") == 0 ? "Accept" : "Drop"));
	r = store_res_put(c->st, &sg);
out:
	store_res_clear(&sg);
	return r;
}

/* The groups whose rules name sg_id, once each (any account). */
static int
sg_referrers(struct api_call *c, const char *sg_id, json_t *arr)
{
	struct store_filter f = { NULL, SGDB_KIND_REF, NULL, sg_id, NULL };
	struct store_res_list l = { NULL, 0 };
	json_t *seen = json_object();
	int r;

	if ((r = store_res_list(c->st, &f, &l)) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		const char *g = rparse_str(l.v[i].doc, "SecurityGroupId");

		if (json_object_get(seen, g))
			continue;
		json_object_set_new(seen, g, json_true());
		json_array_append_new(arr, json_pack("{s:s, s:s}", "AliUid",
		    rparse_str(l.v[i].doc, "AliUid"), "SecurityGroupId", g));
	}
out:
	store_res_list_free(&l);
	json_decref(seen);
	return r;
}

static int
act_describe_sg_references(struct api_call *c)
{
	const char *region = api_str(c, "RegionId");
	int idx[SG_REFS_MAX];
	size_t n = api_indices(c, "SecurityGroupId", idx, SG_REFS_MAX);
	json_t *out = json_array();
	int r;

	if ((r = api_check_region(c, region)) < 0)
		goto out;
	if (n == 0) {
		r = api_fail(c, ERR_SG_REFS_MALFORMED, NULL);
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		const char *id = api_strf(c, "SecurityGroupId.%d", idx[i]);
		struct store_res sg;
		json_t *refs = json_array();

		r = sgdb_group_get(c->st, c->who.account, region, id, &sg);
		store_res_clear(&sg);
		if (r < 0 || (r = sg_referrers(c, id, refs)) < 0) {
			json_decref(refs);
			r = api_fail(c, r, "%s", id);
			goto out;
		}
		json_array_append_new(out, json_pack("{s:s, s:o}",
		    "SecurityGroupId", id, "ReferencingSecurityGroups",
		    api_wrap_list(refs, "ReferencingSecurityGroup")));
	}
	json_object_set_new(c->out, "SecurityGroupReferences",
	    api_wrap_list(out, "SecurityGroupReference"));
	out = NULL;
out:
	json_decref(out);
	return r;
}

/* ---- schemas and the table ---- */

const struct api_param sgact_p_tag_fields[] = {
	{ "Key", PT_STR, 0, 0, 0, NULL, ERR_TAG_ECS_KEY_MALFORMED },
	{ "Value", PT_STR, 0, 0, 0, NULL, ERR_TAG_ECS_VALUE_MALFORMED },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

#define P_REGION { "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 }
#define P_SG { "SecurityGroupId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 }
#define P_END { NULL, 0, 0, 0, 0, NULL, 0 }

static const struct api_param p_create_sg[] = {
	P_REGION,
	{ "VpcId", PT_STR, 0, 0, 64, NULL, ERR_VPC_NOT_FOUND },
	{ "SecurityGroupName", PT_STR, 0, 0, 0, NULL, 0 },
	{ "Description", PT_STR, 0, 0, 0, NULL, 0 },
	{ "SecurityGroupType", PT_STR, 0, 0, 0, NULL, 0 },
	{ "ResourceGroupId", PT_STR, 0, 0, 64, NULL, 0 },
	{ "ServiceManaged", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "Tag", PT_OBJLIST, 0, 0, SGACT_TAGS_MAX, sgact_p_tag_fields,
	  ERR_TAG_TAGS_EXCEED },
	P_END,
};

static const struct api_param p_sg_only[] = {
	P_REGION, P_SG, P_END,
};

static const struct api_param p_modify_sg_attribute[] = {
	P_REGION, P_SG,
	{ "SecurityGroupName", PT_STR, 0, 0, 0, NULL, 0 },
	{ "Description", PT_STR, 0, 0, 0, NULL, 0 },
	P_END,
};

static const struct api_param p_modify_sg_policy[] = {
	P_REGION, P_SG,
	{ "InnerAccessPolicy", PT_STR, AP_REQUIRED, 0, 0, NULL, 0 },
	P_END,
};

static const struct api_param p_describe_sg_references[] = {
	P_REGION,
	{ "SecurityGroupId", PT_LIST, 0, 0, SG_REFS_MAX, NULL,
	  ERR_SG_REFS_MALFORMED },
	P_END,
};

#define ECS "2014-05-26"

const struct api_action act_ecs_sg_actions[] = {
	{ ECS, "CreateSecurityGroup", "ecs:CreateSecurityGroup",
	  act_create_sg, p_create_sg, AF_WRITE | AF_CLIENT_TOKEN },
	{ ECS, "DeleteSecurityGroup", "ecs:DeleteSecurityGroup",
	  act_delete_sg, p_sg_only, AF_WRITE },
	{ ECS, "DescribeSecurityGroups", "ecs:DescribeSecurityGroups",
	  sgact_describe_groups, sgact_p_describe_groups, 0 },
	{ ECS, "DescribeSecurityGroupAttribute",
	  "ecs:DescribeSecurityGroupAttribute", sgact_describe_attribute,
	  sgact_p_describe_attribute, 0 },
	{ ECS, "ModifySecurityGroupAttribute",
	  "ecs:ModifySecurityGroupAttribute", act_modify_sg_attribute,
	  p_modify_sg_attribute, AF_WRITE },
	{ ECS, "ModifySecurityGroupPolicy", "ecs:ModifySecurityGroupPolicy",
	  act_modify_sg_policy, p_modify_sg_policy,
	  AF_WRITE | AF_CLIENT_TOKEN },
	{ ECS, "DescribeSecurityGroupReferences",
	  "ecs:DescribeSecurityGroupReferences", act_describe_sg_references,
	  p_describe_sg_references, 0 },
	{ ECS, "TagResources", "ecs:TagResources", sgact_tag_resources,
	  sgact_p_tag_resources, AF_WRITE },
	{ ECS, "UntagResources", "ecs:UntagResources", sgact_untag_resources,
	  sgact_p_untag_resources, AF_WRITE },
	{ ECS, "ListTagResources", "ecs:ListTagResources",
	  sgact_list_tag_resources, sgact_p_list_tag_resources, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
