/*
 * ram_attach: policy attachments — AttachPolicyToUser/Group/Role,
 * DetachPolicyFromUser/Group/Role, ListPoliciesForUser/Group/Role,
 * ListEntitiesForPolicy. An attachment is a ram_attach resource under the
 * target (user, group or role) naming the policy by type and canonical
 * name (and id when Custom). Per target: 20 system policies, and 10 custom
 * ones for a user, 5 for a group or role (LimitExceeded.<Target>.Policy).
 */
#include <stdio.h>
#include <string.h>

#include "api/act/ram_int.h"
#include "lib/rnd.h"

struct ram_target {
	const char *type;	/* TargetType: User | Group | Role */
	const char *kind;
	const char *param;
	int notfound, exists, notattached, limit;
	size_t custom_max;
};

enum { RAM_T_USER, RAM_T_GROUP, RAM_T_ROLE };

static const struct ram_target ram_targets[] = {
	[RAM_T_USER] = { "User", RAMDB_USER, "UserName",
	    ERR_RAM_USER_NOT_FOUND, ERR_RAM_USER_POLICY_EXISTS,
	    ERR_RAM_USER_POLICY_NOT_FOUND, ERR_RAM_LIMIT_USER_POLICY,
	    RAMDB_MAX_CUSTOM_USER },
	[RAM_T_GROUP] = { "Group", RAMDB_GROUP, "GroupName",
	    ERR_RAM_GROUP_NOT_FOUND, ERR_RAM_GROUP_POLICY_EXISTS,
	    ERR_RAM_GROUP_POLICY_NOT_FOUND, ERR_RAM_LIMIT_GROUP_POLICY,
	    RAMDB_MAX_CUSTOM_OTHER },
	[RAM_T_ROLE] = { "Role", RAMDB_ROLE, "RoleName",
	    ERR_RAM_ROLE_NOT_FOUND, ERR_RAM_ROLE_POLICY_EXISTS,
	    ERR_RAM_ROLE_POLICY_NOT_FOUND, ERR_RAM_LIMIT_ROLE_POLICY,
	    RAMDB_MAX_CUSTOM_OTHER },
};

/* The target, the named policy and the target's attachments. */
struct ram_att_ctx {
	struct store_res target;
	struct ram_policy pol;
	struct store_res_list atts;
	size_t at;		/* index of the policy in atts, or atts.n */
};

static void
ram_att_free(struct ram_att_ctx *x)
{
	store_res_clear(&x->target);
	ram_policy_clear(&x->pol);
	store_res_list_free(&x->atts);
}

static int
ram_att_get(struct api_call *c, const struct ram_target *t,
    struct ram_att_ctx *x)
{
	const char *type;
	int r;

	memset(x, 0, sizeof(*x));
	if ((r = ram_policy_type(c, NULL, &type)) < 0 ||
	    (r = ram_get(c, t->kind, api_str(c, t->param), t->notfound,
	    &x->target)) < 0 ||
	    (r = ram_policy_get(c, type, api_str(c, "PolicyName"),
	    &x->pol)) < 0 ||
	    (r = ramdb_children(c->st, c->who.account, RAMDB_ATTACH,
	    x->target.id, &x->atts)) < 0)
		return r;
	for (x->at = 0; x->at < x->atts.n; x->at++) {
		const json_t *d = x->atts.v[x->at].doc;

		if (strcmp(ram_str(d, "PolicyType"),
		    ram_policy_type_of(&x->pol)) == 0 &&
		    strcmp(ram_str(d, "PolicyName"),
		    ram_policy_name(&x->pol)) == 0)
			break;
	}
	return 0;
}

static int
ram_attach(struct api_call *c, const struct ram_target *t)
{
	struct ram_att_ctx x;
	size_t same = 0;
	char id[RND_ID_LEN], ts[32];
	int r;

	if ((r = ram_att_get(c, t, &x)) < 0)
		goto out;
	if (x.at < x.atts.n) {
		r = api_fail(c, t->exists, NULL);
		goto out;
	}
	for (size_t i = 0; i < x.atts.n; i++)
		if (strcmp(ram_str(x.atts.v[i].doc, "PolicyType"),
		    ram_policy_type_of(&x.pol)) == 0)
			same++;
	if (same >= (x.pol.sys ? RAMDB_MAX_SYSTEM_ATTACH : t->custom_max)) {
		r = api_fail(c, t->limit, NULL);
		goto out;
	}
	if ((r = rnd_id("rat-", id, sizeof(id))) < 0)
		goto out;
	ram_date(c, ts);
	r = ram_put_new(c, RAMDB_ATTACH, id, x.target.id, json_pack(
	    "{s:s, s:s, s:s, s:s, s:s}", "TargetType", t->type,
	    "PolicyType", ram_policy_type_of(&x.pol),
	    "PolicyName", ram_policy_name(&x.pol),
	    "PolicyId", x.pol.sys ? "" : x.pol.res.id, "AttachDate", ts));
out:
	ram_att_free(&x);
	return r;
}

static int
ram_detach(struct api_call *c, const struct ram_target *t)
{
	struct ram_att_ctx x;
	int r;

	if ((r = ram_att_get(c, t, &x)) == 0)
		r = x.at == x.atts.n ? api_fail(c, t->notattached, NULL) :
		    store_res_del(c->st, x.atts.v[x.at].id);
	ram_att_free(&x);
	return r;
}

static int
ram_list_for(struct api_call *c, const struct ram_target *t)
{
	struct store_res_list atts = { NULL, 0 };
	struct store_res target;
	struct ram_policy p;
	json_t *arr = json_array();
	int r;

	if (arr == NULL)
		return -ERR_NOMEM;
	if ((r = ram_get(c, t->kind, api_str(c, t->param), t->notfound,
	    &target)) < 0) {
		json_decref(arr);
		return r;
	}
	if ((r = ramdb_children(c->st, c->who.account, RAMDB_ATTACH,
	    target.id, &atts)) < 0)
		goto out;
	for (size_t i = 0; i < atts.n; i++) {
		const json_t *d = atts.v[i].doc;

		if ((r = ram_policy_get(c, ram_str(d, "PolicyType"),
		    ram_str(d, "PolicyName"), &p)) < 0)
			goto out;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s}",
		    "PolicyName", ram_policy_name(&p),
		    "PolicyType", ram_policy_type_of(&p),
		    "Description", ram_policy_desc(&p),
		    "DefaultVersion", ram_policy_default(&p),
		    "AttachDate", ram_str(d, "AttachDate")));
		ram_policy_clear(&p);
	}
	json_object_set_new(c->out, "Policies", api_wrap_list(arr, "Policy"));
	arr = NULL;
out:
	json_decref(arr);
	store_res_list_free(&atts);
	store_res_clear(&target);
	return r;
}

/* The nine per-target actions: one line each over the shared bodies. */
#define RAM_TARGET_ACTIONS(Name, t) \
int \
ram_AttachPolicyTo##Name(struct api_call *c) \
{ \
	return ram_attach(c, &ram_targets[t]); \
} \
int \
ram_DetachPolicyFrom##Name(struct api_call *c) \
{ \
	return ram_detach(c, &ram_targets[t]); \
} \
int \
ram_ListPoliciesFor##Name(struct api_call *c) \
{ \
	return ram_list_for(c, &ram_targets[t]); \
}

RAM_TARGET_ACTIONS(User, RAM_T_USER)
RAM_TARGET_ACTIONS(Group, RAM_T_GROUP)
RAM_TARGET_ACTIONS(Role, RAM_T_ROLE)

/* One entity of ListEntitiesForPolicy, in the shape of its TargetType. */
static json_t *
ram_entity_view(const char *type, const struct store_res *e,
    const char *attached)
{
	const json_t *d = e->doc;

	if (strcmp(type, "User") == 0)
		return json_pack("{s:s, s:s, s:s, s:s}", "UserId", e->id,
		    "UserName", ram_str(d, "UserName"),
		    "DisplayName", ram_str(d, "DisplayName"),
		    "AttachDate", attached);
	if (strcmp(type, "Group") == 0)
		return json_pack("{s:s, s:s, s:s}", "GroupName",
		    ram_str(d, "GroupName"), "Comments", ram_str(d, "Comments"),
		    "AttachDate", attached);
	return json_pack("{s:s, s:s, s:s, s:s, s:s}", "RoleId", e->id,
	    "RoleName", ram_str(d, "RoleName"), "Arn", ram_str(d, "Arn"),
	    "Description", ram_str(d, "Description"), "AttachDate", attached);
}

int
ram_ListEntitiesForPolicy(struct api_call *c)
{
	static const char *const outer[3] = { "Users", "Groups", "Roles" };
	static const char *const inner[3] = { "User", "Group", "Role" };
	struct store_res_list atts = { NULL, 0 };
	struct store_res e;
	struct ram_policy p;
	const char *type;
	json_t *arr[3] = { json_array(), json_array(), json_array() };
	int r;

	memset(&p, 0, sizeof(p));
	if ((r = ram_policy_type(c, NULL, &type)) < 0 ||
	    (r = ram_policy_get(c, type, api_str(c, "PolicyName"), &p)) < 0)
		goto out;
	if ((r = ramdb_policy_attachments(c->st, c->who.account,
	    ram_policy_type_of(&p), ram_policy_name(&p), &atts, NULL)) < 0)
		goto out;
	for (size_t i = 0; i < atts.n; i++) {
		const char *tt = ram_str(atts.v[i].doc, "TargetType");
		int k = strcmp(tt, "User") == 0 ? 0 :
		    strcmp(tt, "Group") == 0 ? 1 : 2;

		if ((r = store_res_get(c->st, atts.v[i].parent, &e)) < 0)
			goto out;
		json_array_append_new(arr[k], ram_entity_view(tt, &e,
		    ram_str(atts.v[i].doc, "AttachDate")));
		store_res_clear(&e);
	}
	for (int k = 0; k < 3; k++) {
		json_object_set_new(c->out, outer[k], api_wrap_list(arr[k],
		    inner[k]));
		arr[k] = NULL;
	}
out:
	for (int k = 0; k < 3; k++)
		json_decref(arr[k]);
	store_res_list_free(&atts);
	ram_policy_clear(&p);
	return r;
}

#define RAM_P_ATTACH(target, err) \
	{ "PolicyType", PT_STR, AP_REQUIRED, 1, 16, NULL, ERR_RAM_POLICY_TYPE }, \
	{ "PolicyName", PT_STR, AP_REQUIRED, 1, 128, NULL, \
	  ERR_RAM_POLICY_NAME_LENGTH }, \
	{ target, PT_STR, AP_REQUIRED, 1, 64, NULL, err }, \
	{ "ResourceGroupId", PT_STR, 0, 0, 128, NULL, 0 }, \
	RAM_END

const struct api_param ram_p_AttachPolicyToUser[] = {
	RAM_P_ATTACH("UserName", ERR_RAM_USER_NAME_LENGTH) };
const struct api_param ram_p_AttachPolicyToGroup[] = {
	RAM_P_ATTACH("GroupName", ERR_RAM_GROUP_NAME_LENGTH) };
const struct api_param ram_p_AttachPolicyToRole[] = {
	RAM_P_ATTACH("RoleName", ERR_RAM_ROLE_NAME_LENGTH) };
const struct api_param ram_p_DetachPolicyFromUser[] = {
	RAM_P_ATTACH("UserName", ERR_RAM_USER_NAME_LENGTH) };
const struct api_param ram_p_DetachPolicyFromGroup[] = {
	RAM_P_ATTACH("GroupName", ERR_RAM_GROUP_NAME_LENGTH) };
const struct api_param ram_p_DetachPolicyFromRole[] = {
	RAM_P_ATTACH("RoleName", ERR_RAM_ROLE_NAME_LENGTH) };

const struct api_param ram_p_ListPoliciesForUser[] = {
	{ "UserName", PT_STR, AP_REQUIRED, 1, 64, NULL,
	  ERR_RAM_USER_NAME_LENGTH }, RAM_END };
const struct api_param ram_p_ListPoliciesForGroup[] = {
	{ "GroupName", PT_STR, AP_REQUIRED, 1, 64, NULL,
	  ERR_RAM_GROUP_NAME_LENGTH }, RAM_END };
const struct api_param ram_p_ListPoliciesForRole[] = {
	{ "RoleName", PT_STR, AP_REQUIRED, 1, 64, NULL,
	  ERR_RAM_ROLE_NAME_LENGTH }, RAM_END };

const struct api_param ram_p_ListEntitiesForPolicy[] = {
	{ "PolicyName", PT_STR, AP_REQUIRED, 1, 128, NULL,
	  ERR_RAM_POLICY_NAME_LENGTH },
	{ "PolicyType", PT_STR, 0, 0, 16, NULL, ERR_RAM_POLICY_TYPE },
	RAM_END,
};
