/*
 * ram_role: RAM roles — CreateRole, GetRole, UpdateRole, DeleteRole,
 * ListRoles. A role is a ram_role resource (id = RoleId) carrying its trust
 * policy (AssumeRolePolicyDocument, kept as sent) and MaxSessionDuration;
 * STS reads it through ramdb_role_get(). Arn is
 * "acs:ram::<account>:role/<RoleName>" with the name as created (COMPAT:
 * the documented examples keep the case). DeleteRole refuses while
 * policies are attached.
 */
#include <stdio.h>
#include <string.h>

#include "api/act/ram_int.h"

static json_t *
ram_role_view(const struct store_res *role, int update_date, int tags)
{
	const json_t *d = role->doc;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I}",
	    "RoleId", role->id, "RoleName", ram_str(d, "RoleName"),
	    "Arn", ram_str(d, "Arn"), "Description", ram_str(d, "Description"),
	    "CreateDate", ram_str(d, "CreateDate"),
	    "MaxSessionDuration", (json_int_t)json_integer_value(
	    json_object_get(d, "MaxSessionDuration")));

	if (o == NULL)
		return NULL;
	if (update_date)
		json_object_set_new(o, "UpdateDate",
		    json_string(ram_str(d, "UpdateDate")));
	if (tags)
		json_object_set_new(o, "Tags", ram_tags_out(json_object_get(d,
		    "Tags")));
	else
		json_object_set_new(o, "AssumeRolePolicyDocument", json_string(
		    ram_str(d, "AssumeRolePolicyDocument")));
	return o;
}

int
ram_CreateRole(struct api_call *c)
{
	const char *name = api_str(c, "RoleName");
	const char *desc = api_str(c, "Description");
	struct store_res role;
	char arn[160], ts[32];
	json_t *tags = NULL;
	int r;

	memset(&role, 0, sizeof(role));
	if ((r = ram_check_chars(c, "RoleName", RAM_CHARS_ROLE,
	    ERR_RAM_ROLE_NAME_CHARS)) < 0 ||
	    (r = ram_doc_check(c, "AssumeRolePolicyDocument", POL_TRUST,
	    POL_TRUST_MAX_CHARS, ERR_RAM_ROLE_DOC_LENGTH)) < 0 ||
	    (r = ram_tags_parse(c, &tags)) < 0 ||
	    (r = ram_check_new(c, RAMDB_ROLE, name, ERR_RAM_ROLE_EXISTS,
	    RAMDB_MAX_ROLES, ERR_RAM_LIMIT_ROLE)) < 0 ||
	    (r = ram_digits_id('3', role.id, sizeof(role.id))) < 0)
		goto out;
	ram_date(c, ts);
	snprintf(arn, sizeof(arn), "acs:ram::%s:role/%s", c->who.account, name);
	role.doc = json_pack("{s:s, s:s, s:s, s:s, s:I, s:O, s:s, s:s}",
	    "RoleName", name, "Arn", arn, "Description", desc ? desc : "",
	    "AssumeRolePolicyDocument", api_str(c, "AssumeRolePolicyDocument"),
	    "MaxSessionDuration", (json_int_t)api_int(c, "MaxSessionDuration",
	    RAM_SESSION_MIN), "Tags", tags, "CreateDate", ts, "UpdateDate", ts);
	if ((r = ram_put_new(c, RAMDB_ROLE, role.id, NULL,
	    json_incref(role.doc))) < 0)
		goto out;
	json_object_set_new(c->out, "Role", ram_role_view(&role, 0, 0));
out:
	json_decref(tags);
	store_res_clear(&role);
	return r;
}

int
ram_GetRole(struct api_call *c)
{
	struct store_res role;
	int r;

	if ((r = ram_get(c, RAMDB_ROLE, api_str(c, "RoleName"),
	    ERR_RAM_ROLE_NOT_FOUND, &role)) < 0)
		return r;
	json_object_set_new(c->out, "Role", ram_role_view(&role, 1, 0));
	store_res_clear(&role);
	return 0;
}

int
ram_UpdateRole(struct api_call *c)
{
	const char *doc = api_str(c, "NewAssumeRolePolicyDocument");
	const char *desc = api_str(c, "NewDescription");
	struct store_res role;
	char ts[32];
	json_t *d;
	int r;

	if ((r = ram_doc_check(c, "NewAssumeRolePolicyDocument",
	    POL_TRUST, POL_TRUST_MAX_CHARS, ERR_RAM_ROLE_DOC_LENGTH)) < 0 ||
	    (r = ram_get(c, RAMDB_ROLE, api_str(c, "RoleName"),
	    ERR_RAM_ROLE_NOT_FOUND, &role)) < 0)
		return r;
	ram_date(c, ts);
	if ((d = json_deep_copy(role.doc)) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	if (doc)
		json_object_set_new(d, "AssumeRolePolicyDocument",
		    json_string(doc));
	if (desc)
		json_object_set_new(d, "Description", json_string(desc));
	if (api_str(c, "NewMaxSessionDuration"))
		json_object_set_new(d, "MaxSessionDuration", json_integer(
		    api_int(c, "NewMaxSessionDuration", RAM_SESSION_MIN)));
	json_object_set_new(d, "UpdateDate", json_string(ts));
	if ((r = ram_put(c, &role, d)) == 0)
		json_object_set_new(c->out, "Role", ram_role_view(&role, 1, 0));
out:
	store_res_clear(&role);
	return r;
}

int
ram_DeleteRole(struct api_call *c)
{
	struct store_filter fa = { c->who.account, RAMDB_ATTACH, NULL, NULL, NULL };
	struct store_res role;
	size_t pols;
	int r;

	if ((r = ram_get(c, RAMDB_ROLE, api_str(c, "RoleName"),
	    ERR_RAM_ROLE_NOT_FOUND, &role)) < 0)
		return r;
	fa.parent = role.id;
	if ((r = store_res_count(c->st, &fa, &pols)) == 0)
		r = pols ? api_fail(c, ERR_RAM_DELETE_ROLE_POLICY, NULL) :
		    ramdb_del(c->st, &role);
	store_res_clear(&role);
	return r;
}

/* Does the role carry every Tag.N.Key (=Tag.N.Value when given)? */
static int
ram_role_tagged(struct api_call *c, const json_t *tags)
{
	int idx[RAM_TAGS_MAX];
	size_t n = api_indices(c, "Tag", idx, RAM_TAGS_MAX), j;
	const json_t *t;

	for (size_t i = 0; i < n; i++) {
		const char *key = api_strf(c, "Tag.%d.Key", idx[i]);
		const char *value = api_strf(c, "Tag.%d.Value", idx[i]);
		int found = 0;

		json_array_foreach(tags, j, t)
			if (key && strcmp(ram_str(t, "TagKey"), key) == 0 &&
			    (value == NULL ||
			    strcmp(ram_str(t, "TagValue"), value) == 0))
				found = 1;
		if (key && !found)
			return 0;
	}
	return 1;
}

int
ram_ListRoles(struct api_call *c)
{
	struct store_res_list l = { NULL, 0 };
	json_t *arr = json_array();
	size_t start, end, m = 0;
	int r;

	if (arr == NULL)
		return -ERR_NOMEM;
	if ((r = ramdb_children(c->st, c->who.account, RAMDB_ROLE, NULL,
	    &l)) < 0)
		goto out;
	/* Tag filter first: paging counts the matching roles only. */
	for (size_t i = 0; i < l.n; i++) {
		if (ram_role_tagged(c, json_object_get(l.v[i].doc, "Tags"))) {
			struct store_res tmp = l.v[m];

			l.v[m++] = l.v[i];
			l.v[i] = tmp;
		}
	}
	if ((r = ram_page(c, m, &start, &end)) < 0)
		goto out;
	for (size_t i = start; i < end; i++)
		json_array_append_new(arr, ram_role_view(&l.v[i], 1, 1));
	json_object_set_new(c->out, "Roles", api_wrap_list(arr, "Role"));
	arr = NULL;
	ram_page_out(c, end, m);
out:
	json_decref(arr);
	store_res_list_free(&l);
	return r;
}

#define RAM_P_ROLENAME \
	{ "RoleName", PT_STR, AP_REQUIRED, 1, 64, NULL, \
	  ERR_RAM_ROLE_NAME_LENGTH }

const struct api_param ram_p_CreateRole[] = {
	RAM_P_ROLENAME,
	{ "AssumeRolePolicyDocument", PT_STR, AP_REQUIRED, 0, 0, NULL, 0 },
	{ "Description", PT_STR, 0, 0, 1024, NULL, ERR_RAM_DESCRIPTION_LENGTH },
	{ "MaxSessionDuration", PT_INT, 0, RAM_SESSION_MIN, RAM_SESSION_MAX,
	  NULL, 0 },
	{ "Tag", PT_OBJLIST, 0, 0, RAM_TAGS_MAX, ram_p_tag_fields, 0 },
	RAM_END,
};

const struct api_param ram_p_GetRole[] = { RAM_P_ROLENAME, RAM_END };

const struct api_param ram_p_UpdateRole[] = {
	RAM_P_ROLENAME,
	{ "NewAssumeRolePolicyDocument", PT_STR, 0, 0, 0, NULL, 0 },
	{ "NewDescription", PT_STR, 0, 0, 1024, NULL,
	  ERR_RAM_NEW_DESCRIPTION_LENGTH },
	{ "NewMaxSessionDuration", PT_INT, 0, RAM_SESSION_MIN, RAM_SESSION_MAX,
	  NULL, 0 },
	RAM_END,
};

const struct api_param ram_p_DeleteRole[] = { RAM_P_ROLENAME, RAM_END };

const struct api_param ram_p_ListRoles[] = {
	{ "Marker", PT_STR, 0, 0, 256, NULL, 0 },
	{ "MaxItems", PT_INT, 0, 1, RAM_MAX_ITEMS, NULL, 0 },
	{ "Tag", PT_OBJLIST, 0, 0, RAM_TAGS_MAX, ram_p_tag_fields, 0 },
	RAM_END,
};
