/*
 * ram_policy: RAM policies and their versions — CreatePolicy, GetPolicy,
 * DeletePolicy, ListPolicies, UpdatePolicyDescription, CreatePolicyVersion,
 * GetPolicyVersion, DeletePolicyVersion, ListPolicyVersions,
 * SetDefaultPolicyVersion.
 *
 * A custom policy is a ram_policy resource with ram_polver children
 * (VersionId "v1", "v2", ...; ids are never reused, NextVersion counts);
 * its DefaultVersion names the version that applies. At most five
 * versions. System policies (ramdb_sys_*) have one version, v1, and cannot
 * be changed or deleted. Documents are checked (ram_doc_check) and kept as
 * sent.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/act/ram_int.h"
#include "lib/rnd.h"

int
ram_policy_get(struct api_call *c, const char *type, const char *name,
    struct ram_policy *out)
{
	int r = -ERR_NOT_FOUND;

	memset(out, 0, sizeof(*out));
	if (type == NULL || strcmp(type, "Custom") == 0)
		r = ramdb_find(c->st, c->who.account, RAMDB_POLICY, name,
		    &out->res);
	if (r == -ERR_NOT_FOUND && (type == NULL ||
	    strcmp(type, "System") == 0) &&
	    (out->sys = ramdb_sys_find(name)) != NULL)
		r = 0;
	return r == -ERR_NOT_FOUND ?
	    api_fail(c, ERR_RAM_POLICY_NOT_FOUND, "%s", name) : r;
}

void
ram_policy_clear(struct ram_policy *p)
{
	if (p == NULL)
		return;
	store_res_clear(&p->res);
	p->sys = NULL;
}

const char *
ram_policy_name(const struct ram_policy *p)
{
	return p->sys ? p->sys->name : ram_str(p->res.doc, "PolicyName");
}

const char *
ram_policy_type_of(const struct ram_policy *p)
{
	return p->sys ? "System" : "Custom";
}

const char *
ram_policy_desc(const struct ram_policy *p)
{
	return p->sys ? p->sys->description : ram_str(p->res.doc,
	    "Description");
}

const char *
ram_policy_default(const struct ram_policy *p)
{
	return p->sys ? "v1" : ram_str(p->res.doc, "DefaultVersion");
}

static const char *
ram_policy_date(const struct ram_policy *p, const char *field)
{
	return p->sys ? RAMDB_SYS_DATE : ram_str(p->res.doc, field);
}

/* The versions of p, in creation order (one synthesised for System). */
static int
ram_versions(struct api_call *c, const struct ram_policy *p,
    struct store_res_list *out)
{
	if (p->sys == NULL)
		return ramdb_children(c->st, c->who.account, RAMDB_POLVER,
		    p->res.id, out);
	memset(out, 0, sizeof(*out));
	if ((out->v = calloc(1, sizeof(*out->v))) == NULL)
		return -ERR_NOMEM;
	out->n = 1;
	out->v[0].doc = json_pack("{s:s, s:s, s:s}", "VersionId", "v1",
	    "PolicyDocument", p->sys->document, "CreateDate", RAMDB_SYS_DATE);
	return out->v[0].doc ? 0 : -ERR_NOMEM;
}

static json_t *
ram_version_view(const struct ram_policy *p, const struct store_res *v)
{
	const char *id = ram_str(v->doc, "VersionId");

	return json_pack("{s:s, s:b, s:s, s:s}", "VersionId", id,
	    "IsDefaultVersion", strcmp(id, ram_policy_default(p)) == 0,
	    "PolicyDocument", ram_str(v->doc, "PolicyDocument"),
	    "CreateDate", ram_str(v->doc, "CreateDate"));
}

/* VersionId: "v<n>", n >= 1 (InvalidParameter.VersionId.Format). */
static int
ram_version_id(struct api_call *c, const char **out)
{
	const char *v = api_str(c, "VersionId");

	*out = v;
	if (v[0] != 'v' || v[1] < '1' || v[1] > '9' ||
	    strspn(v + 1, "0123456789") != strlen(v + 1) || strlen(v) > 8)
		return api_fail(c, ERR_RAM_VERSION_ID_FORMAT, NULL);
	return 0;
}

/* Index of version id in l, or l->n. */
static size_t
ram_version_at(const struct store_res_list *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(ram_str(l->v[i].doc, "VersionId"), id) == 0)
			break;
	return i;
}

static int
ram_version_put(struct api_call *c, const char *policy_id, const char *vid,
    const char *doc, const char *ts)
{
	char id[RND_ID_LEN];
	int r;

	if ((r = rnd_id("rpv-", id, sizeof(id))) < 0)
		return r;
	return ram_put_new(c, RAMDB_POLVER, id, policy_id, json_pack(
	    "{s:s, s:s, s:s}", "VersionId", vid, "PolicyDocument", doc,
	    "CreateDate", ts));
}

int
ram_CreatePolicy(struct api_call *c)
{
	const char *name = api_str(c, "PolicyName");
	const char *desc = api_str(c, "Description");
	struct ram_policy p;
	char ts[32];
	json_t *tags = NULL;
	int r;

	memset(&p, 0, sizeof(p));
	if ((r = ram_check_chars(c, "PolicyName", RAM_CHARS_POLICY,
	    ERR_RAM_POLICY_NAME_CHARS)) < 0 ||
	    (r = ram_doc_check(c, "PolicyDocument", POL_IDENTITY,
	    POL_MAX_CHARS, ERR_RAM_POLICY_DOC_LENGTH)) < 0 ||
	    (r = ram_tags_parse(c, &tags)) < 0)
		goto out;
	if (ramdb_sys_find(name)) {
		r = api_fail(c, ERR_RAM_POLICY_EXISTS, "%s", name);
		goto out;
	}
	if ((r = ram_check_new(c, RAMDB_POLICY, name, ERR_RAM_POLICY_EXISTS,
	    RAMDB_MAX_POLICIES, ERR_RAM_LIMIT_POLICY)) < 0 ||
	    (r = rnd_id("rp-", p.res.id, sizeof(p.res.id))) < 0)
		goto out;
	ram_date(c, ts);
	if ((r = ram_put_new(c, RAMDB_POLICY, p.res.id, NULL, json_pack(
	    "{s:s, s:s, s:s, s:i, s:O, s:s, s:s}", "PolicyName", name,
	    "Description", desc ? desc : "", "DefaultVersion", "v1",
	    "NextVersion", 2, "Tags", tags, "CreateDate", ts,
	    "UpdateDate", ts))) < 0 ||
	    (r = ram_version_put(c, p.res.id, "v1",
	    api_str(c, "PolicyDocument"), ts)) < 0)
		goto out;
	json_object_set_new(c->out, "Policy", json_pack(
	    "{s:s, s:s, s:s, s:s, s:s}", "PolicyName", name,
	    "PolicyType", "Custom", "Description", desc ? desc : "",
	    "DefaultVersion", "v1", "CreateDate", ts));
out:
	json_decref(tags);
	ram_policy_clear(&p);
	return r;
}

/* AttachmentCount of p in the caller's account. */
static int
ram_policy_uses(struct api_call *c, const struct ram_policy *p, size_t *n)
{
	size_t per[3];
	int r;

	*n = 0;
	if ((r = ramdb_policy_attachments(c->st, c->who.account,
	    ram_policy_type_of(p), ram_policy_name(p), NULL, per)) < 0)
		return r;
	*n = per[0] + per[1] + per[2];
	return 0;
}

static json_t *
ram_policy_view(const struct ram_policy *p, size_t uses)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
	    "PolicyName", ram_policy_name(p),
	    "PolicyType", ram_policy_type_of(p),
	    "Description", ram_policy_desc(p),
	    "DefaultVersion", ram_policy_default(p),
	    "AttachmentCount", (json_int_t)uses,
	    "CreateDate", ram_policy_date(p, "CreateDate"),
	    "UpdateDate", ram_policy_date(p, "UpdateDate"));
}

int
ram_GetPolicy(struct api_call *c)
{
	struct store_res_list vs = { NULL, 0 };
	struct ram_policy p;
	const char *type;
	size_t uses, at;
	json_t *o = NULL;
	int r;

	if ((r = ram_policy_type(c, NULL, &type)) < 0 ||
	    (r = ram_policy_get(c, type, api_str(c, "PolicyName"), &p)) < 0)
		return r;
	if ((r = ram_policy_uses(c, &p, &uses)) < 0 ||
	    (r = ram_versions(c, &p, &vs)) < 0)
		goto out;
	if ((at = ram_version_at(&vs, ram_policy_default(&p))) == vs.n) {
		r = -ERR_STORE;
		goto out;
	}
	if ((o = ram_policy_view(&p, uses)) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	json_object_set_new(o, "PolicyDocument", json_string(ram_str(
	    vs.v[at].doc, "PolicyDocument")));
	json_object_set_new(c->out, "Policy", o);
	json_object_set_new(c->out, "DefaultPolicyVersion",
	    ram_version_view(&p, &vs.v[at]));
out:
	store_res_list_free(&vs);
	ram_policy_clear(&p);
	return r;
}

int
ram_DeletePolicy(struct api_call *c)
{
	struct ram_policy p;
	size_t per[3];
	struct store_filter fv = { c->who.account, RAMDB_POLVER, NULL, NULL, NULL };
	size_t nv;
	int r;

	if ((r = ram_policy_get(c, "Custom", api_str(c, "PolicyName"),
	    &p)) < 0)
		return r;
	fv.parent = p.res.id;
	if ((r = ramdb_policy_attachments(c->st, c->who.account, "Custom",
	    ram_policy_name(&p), NULL, per)) < 0 ||
	    (r = store_res_count(c->st, &fv, &nv)) < 0)
		goto out;
	if (per[0])
		r = api_fail(c, ERR_RAM_DELETE_POLICY_USER, NULL);
	else if (per[1])
		r = api_fail(c, ERR_RAM_DELETE_POLICY_GROUP, NULL);
	else if (per[2])
		r = api_fail(c, ERR_RAM_DELETE_POLICY_ROLE, NULL);
	else if (nv > 1 && !api_bool(c, "CascadingDelete", 0))
		r = api_fail(c, ERR_RAM_DELETE_POLICY_VERSION, NULL);
	if (r < 0)
		goto out;
	if ((r = ramdb_delete_children(c->st, c->who.account, RAMDB_POLVER,
	    p.res.id)) == 0)
		r = ramdb_del(c->st, &p.res);
out:
	ram_policy_clear(&p);
	return r;
}

/* Attachments of p among all of the account's (atts). */
static size_t
ram_policy_uses_in(const struct ram_policy *p,
    const struct store_res_list *atts)
{
	size_t n = 0;

	for (size_t i = 0; i < atts->n; i++)
		if (strcmp(ram_str(atts->v[i].doc, "PolicyType"),
		    ram_policy_type_of(p)) == 0 &&
		    strcmp(ram_str(atts->v[i].doc, "PolicyName"),
		    ram_policy_name(p)) == 0)
			n++;
	return n;
}

int
ram_ListPolicies(struct api_call *c)
{
	struct store_res_list l = { NULL, 0 }, atts = { NULL, 0 };
	struct ram_policy p;
	const char *type;
	size_t nsys, n, start, end;
	json_t *arr = json_array(), *o;
	int r;

	if (arr == NULL)
		return -ERR_NOMEM;
	if ((r = ram_policy_type(c, NULL, &type)) < 0 ||
	    (r = ramdb_children(c->st, c->who.account, RAMDB_ATTACH, NULL,
	    &atts)) < 0)
		goto out;
	nsys = type && strcmp(type, "Custom") == 0 ? 0 : ramdb_sys_count();
	if ((!type || strcmp(type, "Custom") == 0) &&
	    (r = ramdb_children(c->st, c->who.account, RAMDB_POLICY, NULL,
	    &l)) < 0)
		goto out;
	n = nsys + l.n;
	if ((r = ram_page(c, n, &start, &end)) < 0)
		goto out;
	for (size_t i = start; i < end; i++) {
		memset(&p, 0, sizeof(p));
		if (i < nsys)
			p.sys = ramdb_sys_at(i);
		else
			p.res = l.v[i - nsys];
		if ((o = ram_policy_view(&p, ram_policy_uses_in(&p,
		    &atts))) == NULL) {
			r = -ERR_NOMEM;
			goto out;
		}
		json_object_set_new(o, "Tags", ram_tags_out(p.sys ? NULL :
		    json_object_get(p.res.doc, "Tags")));
		json_array_append_new(arr, o);
	}
	json_object_set_new(c->out, "Policies", api_wrap_list(arr, "Policy"));
	arr = NULL;
	ram_page_out(c, end, n);
out:
	json_decref(arr);
	store_res_list_free(&atts);
	store_res_list_free(&l);
	return r;
}

int
ram_UpdatePolicyDescription(struct api_call *c)
{
	const char *desc = api_str(c, "NewDescription");
	struct ram_policy p;
	char ts[32];
	json_t *d, *o;
	int r;

	if ((r = ram_policy_get(c, "Custom", api_str(c, "PolicyName"),
	    &p)) < 0)
		return r;
	ram_date(c, ts);
	if ((d = json_deep_copy(p.res.doc)) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	json_object_set_new(d, "Description", json_string(desc ? desc : ""));
	json_object_set_new(d, "UpdateDate", json_string(ts));
	if ((r = ram_put(c, &p.res, d)) < 0)
		goto out;
	o = ram_policy_view(&p, 0);
	json_object_del(o, "AttachmentCount");
	json_object_set_new(c->out, "Policy", o);
out:
	ram_policy_clear(&p);
	return r;
}

#define RAM_ROTATE "DeleteOldestNonDefaultVersionWhenLimitExceeded"

/* Makes room for one more version (rotation) or fails with the limit. */
static int
ram_version_room(struct api_call *c, const struct ram_policy *p,
    struct store_res_list *vs)
{
	const char *rotate = api_str(c, "RotateStrategy");

	if (vs->n < RAMDB_MAX_VERSIONS)
		return 0;
	if (rotate == NULL || strcmp(rotate, RAM_ROTATE) != 0)
		return api_fail(c, ERR_RAM_LIMIT_POLICY_VERSION, NULL);
	for (size_t i = 0; i < vs->n; i++)
		if (strcmp(ram_str(vs->v[i].doc, "VersionId"),
		    ram_policy_default(p)) != 0)
			return store_res_del(c->st, vs->v[i].id);
	return api_fail(c, ERR_RAM_LIMIT_POLICY_VERSION, NULL);
}

int
ram_CreatePolicyVersion(struct api_call *c)
{
	const char *rotate = api_str(c, "RotateStrategy");
	struct store_res_list vs = { NULL, 0 };
	struct store_res v;
	struct ram_policy p;
	char vid[16], ts[32];
	json_t *d;
	int r;

	memset(&v, 0, sizeof(v));
	if (rotate && strcmp(rotate, "None") != 0 &&
	    strcmp(rotate, RAM_ROTATE) != 0)
		return api_fail(c, ERR_INVALID_PARAMETER, "RotateStrategy");
	if ((r = ram_doc_check(c, "PolicyDocument", POL_IDENTITY,
	    POL_MAX_CHARS, ERR_RAM_POLICY_DOC_LENGTH)) < 0 ||
	    (r = ram_policy_get(c, "Custom", api_str(c, "PolicyName"),
	    &p)) < 0)
		return r;
	if ((r = ram_versions(c, &p, &vs)) < 0 ||
	    (r = ram_version_room(c, &p, &vs)) < 0)
		goto out;
	snprintf(vid, sizeof(vid), "v%lld", (long long)json_integer_value(
	    json_object_get(p.res.doc, "NextVersion")));
	ram_date(c, ts);
	if ((d = json_deep_copy(p.res.doc)) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	json_object_set_new(d, "NextVersion", json_integer(json_integer_value(
	    json_object_get(d, "NextVersion")) + 1));
	if (api_bool(c, "SetAsDefault", 0))
		json_object_set_new(d, "DefaultVersion", json_string(vid));
	json_object_set_new(d, "UpdateDate", json_string(ts));
	if ((r = ram_put(c, &p.res, d)) < 0 ||
	    (r = ram_version_put(c, p.res.id, vid,
	    api_str(c, "PolicyDocument"), ts)) < 0)
		goto out;
	v.doc = json_pack("{s:s, s:s, s:s}", "VersionId", vid,
	    "PolicyDocument", api_str(c, "PolicyDocument"), "CreateDate", ts);
	json_object_set_new(c->out, "PolicyVersion", ram_version_view(&p, &v));
out:
	store_res_clear(&v);
	store_res_list_free(&vs);
	ram_policy_clear(&p);
	return r;
}

/* The policy (of PolicyType, default Custom) and its versions, and the
 * index of VersionId among them (EntityNotExist.Policy.Version). */
static int
ram_version_get(struct api_call *c, const char *def_type,
    struct ram_policy *p, struct store_res_list *vs, size_t *at)
{
	const char *type, *vid;
	int r;

	memset(p, 0, sizeof(*p));
	memset(vs, 0, sizeof(*vs));
	if ((r = ram_policy_type(c, def_type, &type)) < 0 ||
	    (r = ram_version_id(c, &vid)) < 0 ||
	    (r = ram_policy_get(c, type, api_str(c, "PolicyName"), p)) < 0 ||
	    (r = ram_versions(c, p, vs)) < 0)
		return r;
	if ((*at = ram_version_at(vs, vid)) == vs->n)
		return api_fail(c, ERR_RAM_POLICY_VERSION_NOT_FOUND, "%s", vid);
	return 0;
}

int
ram_GetPolicyVersion(struct api_call *c)
{
	struct store_res_list vs;
	struct ram_policy p;
	size_t at;
	int r;

	if ((r = ram_version_get(c, NULL, &p, &vs, &at)) == 0)
		json_object_set_new(c->out, "PolicyVersion",
		    ram_version_view(&p, &vs.v[at]));
	store_res_list_free(&vs);
	ram_policy_clear(&p);
	return r;
}

int
ram_DeletePolicyVersion(struct api_call *c)
{
	struct store_res_list vs;
	struct ram_policy p;
	size_t at;
	int r;

	if ((r = ram_version_get(c, "Custom", &p, &vs, &at)) < 0)
		goto out;
	if (strcmp(ram_str(vs.v[at].doc, "VersionId"),
	    ram_policy_default(&p)) == 0)
		r = api_fail(c, ERR_RAM_DELETE_POLICY_VERSION_DEFAULT, NULL);
	else
		r = store_res_del(c->st, vs.v[at].id);
out:
	store_res_list_free(&vs);
	ram_policy_clear(&p);
	return r;
}

int
ram_SetDefaultPolicyVersion(struct api_call *c)
{
	struct store_res_list vs;
	struct ram_policy p;
	char ts[32];
	json_t *d;
	size_t at;
	int r;

	if ((r = ram_version_get(c, "Custom", &p, &vs, &at)) < 0)
		goto out;
	ram_date(c, ts);
	if ((d = json_deep_copy(p.res.doc)) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	json_object_set_new(d, "DefaultVersion", json_string(ram_str(
	    vs.v[at].doc, "VersionId")));
	json_object_set_new(d, "UpdateDate", json_string(ts));
	r = ram_put(c, &p.res, d);
out:
	store_res_list_free(&vs);
	ram_policy_clear(&p);
	return r;
}

int
ram_ListPolicyVersions(struct api_call *c)
{
	struct store_res_list vs = { NULL, 0 };
	struct ram_policy p;
	const char *type;
	json_t *arr;
	int r;

	if ((r = ram_policy_type(c, NULL, &type)) < 0 ||
	    (r = ram_policy_get(c, type, api_str(c, "PolicyName"), &p)) < 0)
		return r;
	if ((r = ram_versions(c, &p, &vs)) == 0 &&
	    (arr = json_array()) != NULL) {
		for (size_t i = 0; i < vs.n; i++)
			json_array_append_new(arr, ram_version_view(&p,
			    &vs.v[i]));
		json_object_set_new(c->out, "PolicyVersions",
		    api_wrap_list(arr, "PolicyVersion"));
	} else if (r == 0) {
		r = -ERR_NOMEM;
	}
	store_res_list_free(&vs);
	ram_policy_clear(&p);
	return r;
}

#define RAM_P_POLICYNAME \
	{ "PolicyName", PT_STR, AP_REQUIRED, 1, 128, NULL, \
	  ERR_RAM_POLICY_NAME_LENGTH }
#define RAM_P_POLICYTYPE { "PolicyType", PT_STR, 0, 0, 16, NULL, \
	ERR_RAM_POLICY_TYPE }
#define RAM_P_VERSIONID { "VersionId", PT_STR, AP_REQUIRED, 1, 16, NULL, \
	ERR_RAM_VERSION_ID_FORMAT }

const struct api_param ram_p_CreatePolicy[] = {
	RAM_P_POLICYNAME,
	{ "PolicyDocument", PT_STR, AP_REQUIRED, 0, 0, NULL, 0 },
	{ "Description", PT_STR, 0, 0, 1024, NULL, ERR_RAM_DESCRIPTION_LENGTH },
	{ "Tag", PT_OBJLIST, 0, 0, RAM_TAGS_MAX, ram_p_tag_fields, 0 },
	RAM_END,
};

const struct api_param ram_p_GetPolicy[] = {
	RAM_P_POLICYNAME, RAM_P_POLICYTYPE, RAM_END,
};

const struct api_param ram_p_DeletePolicy[] = {
	RAM_P_POLICYNAME,
	{ "CascadingDelete", PT_BOOL, 0, 0, 0, NULL, 0 },
	RAM_END,
};

const struct api_param ram_p_ListPolicies[] = {
	RAM_P_POLICYTYPE,
	{ "Marker", PT_STR, 0, 0, 256, NULL, 0 },
	{ "MaxItems", PT_INT, 0, 1, RAM_MAX_ITEMS, NULL, 0 },
	{ "Tag", PT_OBJLIST, 0, 0, RAM_TAGS_MAX, ram_p_tag_fields, 0 },
	RAM_END,
};

const struct api_param ram_p_UpdatePolicyDescription[] = {
	RAM_P_POLICYNAME,
	{ "NewDescription", PT_STR, 0, 0, 1024, NULL,
	  ERR_RAM_NEW_DESCRIPTION_LENGTH },
	RAM_END,
};

const struct api_param ram_p_CreatePolicyVersion[] = {
	RAM_P_POLICYNAME,
	{ "PolicyDocument", PT_STR, AP_REQUIRED, 0, 0, NULL, 0 },
	{ "SetAsDefault", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "RotateStrategy", PT_STR, 0, 0, 64, NULL, 0 },
	RAM_END,
};

const struct api_param ram_p_GetPolicyVersion[] = {
	RAM_P_POLICYNAME, RAM_P_POLICYTYPE, RAM_P_VERSIONID, RAM_END,
};

const struct api_param ram_p_DeletePolicyVersion[] = {
	RAM_P_POLICYNAME, RAM_P_VERSIONID, RAM_END,
};

const struct api_param ram_p_ListPolicyVersions[] = {
	RAM_P_POLICYNAME, RAM_P_POLICYTYPE, RAM_END,
};

const struct api_param ram_p_SetDefaultPolicyVersion[] = {
	RAM_P_POLICYNAME, RAM_P_VERSIONID, RAM_END,
};
