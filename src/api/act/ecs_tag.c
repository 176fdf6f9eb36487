/*
 * ecs_tag: TagResources, UntagResources, ListTagResources (ECS 2014-05-26,
 * ../shared/spec/ecs-api.md §7.11-7.13).
 *
 * Tags live in each resource's document as "Tags": [{TagKey, TagValue}]
 * (the form DescribeSecurityGroups wraps as Tags.Tag). Which resource
 * types can be tagged is one table: a ResourceType, the store kind behind
 * it. Adding a type is adding a row, provided its documents keep tags the
 * same way.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/act/ecs_sg_int.h"
#include "lib/err.h"

#define TAG_RESOURCES_MAX 50	/* ResourceId.N */
#define TAG_LIST_PAGE 50	/* pairs per ListTagResources page */

static const struct {
	const char *type;	/* ResourceType, lower-case */
	const char *kind;	/* store kind */
} tag_types[] = {
	{ "securitygroup", "sg" },
	{ "instance", "instance" },
	{ "eni", "eni" },
};

#define TAG_NTYPES (sizeof(tag_types) / sizeof(tag_types[0]))

/* The store kind for the request's ResourceType. */
static int
tag_kind(struct api_call *c, const char **kind)
{
	const char *t = api_str(c, "ResourceType");

	if (t == NULL || t[0] == '\0')
		return api_fail(c, ERR_TAG_MISSING_TYPE, NULL);
	for (size_t i = 0; i < TAG_NTYPES; i++) {
		if (strcmp(tag_types[i].type, t) == 0) {
			*kind = tag_types[i].kind;
			return 0;
		}
	}
	return api_fail(c, ERR_RESOURCE_TYPE_NOT_FOUND, NULL);
}

/* The caller's resource id of kind in RegionId (InvalidResourceId.NotFound). */
static int
tag_res_get(struct api_call *c, const char *kind, const char *id,
    struct store_res *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = store_res_get(c->st, id, out);
	if (r == -ERR_NOT_FOUND || (r == 0 && (strcmp(out->kind, kind) != 0 ||
	    strcmp(out->account, c->who.account) != 0 ||
	    strcmp(out->region, api_str(c, "RegionId")) != 0))) {
		store_res_clear(out);
		return api_fail(c, ERR_TAG_RESOURCE_NOT_FOUND, "%s", id);
	}
	return r;
}

/* The resource's tag array, created when absent. */
static json_t *
tag_array(struct store_res *res)
{
	json_t *a = json_object_get(res->doc, "Tags");

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(res->doc, "Tags", a);
	}
	return a;
}

static json_t *
tag_find(json_t *tags, const char *key, size_t *at)
{
	json_t *t;
	size_t i;

	json_array_foreach(tags, i, t) {
		const char *k = json_string_value(json_object_get(t, "TagKey"));

		if (k && strcmp(k, key) == 0) {
			*at = i;
			return t;
		}
	}
	return NULL;
}

/* Adds or overwrites add's tags on res; OperationDenied.QuotaExceed past 20. */
static int
tag_merge(struct api_call *c, struct store_res *res, const json_t *add)
{
	json_t *tags = tag_array(res), *t, *old;
	size_t i, at;

	json_array_foreach(add, i, t) {
		const char *k = json_string_value(json_object_get(t, "TagKey"));

		if ((old = tag_find(tags, k, &at)) != NULL)
			json_object_set(old, "TagValue",
			    json_object_get(t, "TagValue"));
		else
			json_array_append(tags, t);
	}
	if (json_array_size(tags) > SGACT_TAGS_MAX)
		return api_fail(c, ERR_TAG_QUOTA, NULL);
	return 0;
}

/* ResourceId.N in order. */
static size_t
tag_ids(struct api_call *c, int *idx)
{
	return api_indices(c, "ResourceId", idx, TAG_RESOURCES_MAX);
}

int
sgact_tag_resources(struct api_call *c)
{
	int idx[TAG_RESOURCES_MAX], r;
	size_t n = tag_ids(c, idx);
	const char *kind;
	json_t *add = NULL;

	if ((r = api_check_region(c, api_str(c, "RegionId"))) < 0 ||
	    (r = tag_kind(c, &kind)) < 0 ||
	    (r = sgact_tags_parse(c, &add)) < 0)
		goto out;
	if (json_array_size(add) == 0) {
		r = api_fail(c, ERR_TAG_MISSING_TAGS, NULL);
		goto out;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		struct store_res res;

		if ((r = tag_res_get(c, kind, api_strf(c, "ResourceId.%d",
		    idx[i]), &res)) < 0)
			break;
		if ((r = tag_merge(c, &res, add)) == 0)
			r = store_res_put(c->st, &res);
		store_res_clear(&res);
	}
out:
	json_decref(add);
	return r;
}

/* Removes TagKey.N from res, or every tag with all. */
static void
tag_remove(struct api_call *c, struct store_res *res, int all)
{
	int idx[SGACT_TAGS_MAX];
	size_t n = api_indices(c, "TagKey", idx, SGACT_TAGS_MAX), at;
	json_t *tags = tag_array(res);

	if (n == 0 && all)
		json_array_clear(tags);
	for (size_t i = 0; i < n; i++)
		if (tag_find(tags, api_strf(c, "TagKey.%d", idx[i]), &at))
			json_array_remove(tags, at);
}

int
sgact_untag_resources(struct api_call *c)
{
	int idx[TAG_RESOURCES_MAX], r;
	size_t n = tag_ids(c, idx);
	const char *kind;

	if ((r = api_check_region(c, api_str(c, "RegionId"))) < 0 ||
	    (r = tag_kind(c, &kind)) < 0)
		return r;
	for (size_t i = 0; i < n && r == 0; i++) {
		struct store_res res;

		if ((r = tag_res_get(c, kind, api_strf(c, "ResourceId.%d",
		    idx[i]), &res)) < 0)
			break;
		tag_remove(c, &res, api_bool(c, "All", 0));
		r = store_res_put(c->st, &res);
		store_res_clear(&res);
	}
	return r;
}

/* Is res named by ResourceId.N (when given) and carrying every Tag.N? */
static int
tag_list_match(struct api_call *c, const struct store_res *res,
    const int *idx, size_t n)
{
	int named = n == 0;

	for (size_t i = 0; i < n && !named; i++)
		named = strcmp(api_strf(c, "ResourceId.%d", idx[i]),
		    res->id) == 0;
	return named && sgact_tags_match(c, json_object_get(res->doc, "Tags"));
}

/*
 * COMPAT: every tag of each matching resource is listed (a Tag.N filter
 * selects resources); pairs come in resource creation order, 50 a page.
 */
int
sgact_list_tag_resources(struct api_call *c)
{
	const char *region = api_str(c, "RegionId"), *kind, *tok;
	struct store_filter f = { c->who.account, NULL, region, NULL, NULL };
	struct store_res_list l = { NULL, 0 };
	int idx[TAG_RESOURCES_MAX], tag1[1], r;
	size_t n = tag_ids(c, idx), pos = 0, first = 0;
	json_t *arr = json_array();
	char next[24] = "";

	if ((r = api_check_region(c, region)) < 0 ||
	    (r = tag_kind(c, &kind)) < 0)
		goto out;
	if (n == 0 && api_indices(c, "Tag", tag1, 1) == 0) {
		r = api_fail(c, ERR_MISSING_PARAMETER, "ResourceId.N or Tag.N");
		goto out;
	}
	if ((tok = api_str(c, "NextToken")) && tok[0]) {
		char *end;

		first = strtoul(tok, &end, 16);
		if (*end || strlen(tok) != 8) {
			r = api_fail(c, ERR_INVALID_PARAMETER, "NextToken");
			goto out;
		}
	}
	f.kind = kind;
	if ((r = store_res_list(c->st, &f, &l)) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		json_t *t;
		size_t j;

		if (!tag_list_match(c, &l.v[i], idx, n))
			continue;
		json_array_foreach(json_object_get(l.v[i].doc, "Tags"), j, t) {
			if (pos >= first && pos < first + TAG_LIST_PAGE)
				json_array_append_new(arr, json_pack(
				    "{s:s, s:s, s:O, s:O}", "ResourceId",
				    l.v[i].id, "ResourceType",
				    api_str(c, "ResourceType"), "TagKey",
				    json_object_get(t, "TagKey"), "TagValue",
				    json_object_get(t, "TagValue")));
			else if (pos == first + TAG_LIST_PAGE)
				snprintf(next, sizeof(next), "%08zx", pos);
			pos++;
		}
	}
	json_object_set_new(c->out, "NextToken", json_string(next));
	json_object_set_new(c->out, "TagResources",
	    api_wrap_list(arr, "TagResource"));
	arr = NULL;
out:
	store_res_list_free(&l);
	json_decref(arr);
	return r;
}

#define P_REGION { "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 }
#define P_TYPE { "ResourceType", PT_STR, 0, 0, 64, NULL, 0 }
#define P_IDS(flags) { "ResourceId", PT_LIST, flags, 0, TAG_RESOURCES_MAX, \
	NULL, ERR_TAG_RESOURCE_IDS_EXCEED }
#define P_TAGS { "Tag", PT_OBJLIST, 0, 0, SGACT_TAGS_MAX, sgact_p_tag_fields, \
	ERR_TAG_TAGS_EXCEED }

const struct api_param sgact_p_tag_resources[] = {
	P_REGION, P_TYPE, P_IDS(AP_REQUIRED), P_TAGS,
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

const struct api_param sgact_p_untag_resources[] = {
	P_REGION, P_TYPE, P_IDS(AP_REQUIRED),
	{ "TagKey", PT_LIST, 0, 0, SGACT_TAGS_MAX, NULL, ERR_TAG_TAGS_EXCEED },
	{ "All", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

const struct api_param sgact_p_list_tag_resources[] = {
	P_REGION, P_TYPE, P_IDS(0), P_TAGS,
	{ "NextToken", PT_STR, 0, 0, 64, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};
