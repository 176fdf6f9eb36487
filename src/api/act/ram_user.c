/*
 * ram_user: RAM users — CreateUser, GetUser, UpdateUser, DeleteUser,
 * ListUsers. A user is a ram_user resource (id = UserId); renaming it also
 * renames the principal ("user:<UserName>") of its AccessKeys, so a key
 * keeps working under the new name. DeleteUser refuses while the user is
 * in a group, holds AccessKeys or has policies (DeleteConflict.User.*).
 */
#include <stdio.h>
#include <string.h>

#include "api/act/ram_int.h"

static json_t *
ram_user_view(const struct store_res *u, int full)
{
	const json_t *d = u->doc;
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "UserId", u->id, "UserName", ram_str(d, "UserName"),
	    "DisplayName", ram_str(d, "DisplayName"),
	    "Email", ram_str(d, "Email"),
	    "MobilePhone", ram_str(d, "MobilePhone"),
	    "Comments", ram_str(d, "Comments"),
	    "CreateDate", ram_str(d, "CreateDate"));

	if (o && full)
		json_object_set_new(o, "UpdateDate",
		    json_string(ram_str(d, "UpdateDate")));
	return o;
}

int
ram_CreateUser(struct api_call *c)
{
	const char *name = api_str(c, "UserName");
	const char *display = api_str(c, "DisplayName");
	const char *email = api_str(c, "Email"), *phone = api_str(c, "MobilePhone");
	const char *comments = api_str(c, "Comments");
	struct store_res u;
	char id[17], ts[32];
	int r;

	memset(&u, 0, sizeof(u));
	if ((r = ram_check_user_fields(c, 0)) < 0 ||
	    (r = ram_check_new(c, RAMDB_USER, name, ERR_RAM_USER_EXISTS,
	    RAMDB_MAX_USERS, ERR_RAM_LIMIT_USER)) < 0 ||
	    (r = ram_digits_id('2', id, sizeof(id))) < 0)
		return r;
	ram_date(c, ts);
	snprintf(u.id, sizeof(u.id), "%s", id);
	u.doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
	    "UserName", name, "DisplayName", display ? display : "",
	    "Email", email ? email : "", "MobilePhone", phone ? phone : "",
	    "Comments", comments ? comments : "", "CreateDate", ts,
	    "UpdateDate", ts);
	if ((r = ram_put_new(c, RAMDB_USER, id, NULL, json_incref(u.doc))) < 0)
		goto out;
	json_object_set_new(c->out, "User", ram_user_view(&u, 0));
out:
	store_res_clear(&u);
	return r;
}

int
ram_GetUser(struct api_call *c)
{
	struct store_res u;
	json_t *o;
	int r;

	if ((r = ram_get(c, RAMDB_USER, api_str(c, "UserName"),
	    ERR_RAM_USER_NOT_FOUND, &u)) < 0)
		return r;
	o = ram_user_view(&u, 1);
	if (o)
		json_object_set_new(o, "LastLoginDate", json_string(""));
	json_object_set_new(c->out, "User", o);
	store_res_clear(&u);
	return o ? 0 : -ERR_NOMEM;
}

/* Renames the principal of every AccessKey of the user. */
static int
ram_user_rename_keys(struct api_call *c, const char *user_id,
    const char *new_name)
{
	struct store_res_list l = { NULL, 0 };
	struct store_key k;
	int r;

	if ((r = ramdb_children(c->st, c->who.account, RAMDB_AK, user_id,
	    &l)) < 0)
		return r;
	for (size_t i = 0; i < l.n && r == 0; i++) {
		if ((r = store_key_get(c->st, ram_str(l.v[i].doc,
		    "AccessKeyId"), &k)) < 0)
			break;
		snprintf(k.principal, sizeof(k.principal), "user:%s", new_name);
		r = store_key_put(c->st, &k);
	}
	memset(&k, 0, sizeof(k));
	store_res_list_free(&l);
	return r;
}

static void
ram_set_if(json_t *doc, const char *key, const char *v)
{
	if (v)
		json_object_set_new(doc, key, json_string(v));
}

int
ram_UpdateUser(struct api_call *c)
{
	const char *nn = api_str(c, "NewUserName");
	struct store_res u, other;
	char ts[32];
	json_t *d;
	int r;

	if ((r = ram_check_user_fields(c, 1)) < 0 ||
	    (r = ram_get(c, RAMDB_USER, api_str(c, "UserName"),
	    ERR_RAM_USER_NOT_FOUND, &u)) < 0)
		return r;
	if (nn) {
		r = ramdb_find(c->st, c->who.account, RAMDB_USER, nn, &other);
		if (r == 0 && strcmp(other.id, u.id) != 0)
			r = api_fail(c, ERR_RAM_USER_EXISTS, "%s", nn);
		else if (r == 0 || r == -ERR_NOT_FOUND)
			r = ram_user_rename_keys(c, u.id, nn);
		store_res_clear(&other);
		if (r < 0)
			goto out;
	}
	ram_date(c, ts);
	d = json_deep_copy(u.doc);
	if (d == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	ram_set_if(d, "UserName", nn);
	ram_set_if(d, "DisplayName", api_str(c, "NewDisplayName"));
	ram_set_if(d, "Email", api_str(c, "NewEmail"));
	ram_set_if(d, "MobilePhone", api_str(c, "NewMobilePhone"));
	ram_set_if(d, "Comments", api_str(c, "NewComments"));
	json_object_set_new(d, "UpdateDate", json_string(ts));
	if ((r = ram_put(c, &u, d)) < 0)
		goto out;
	json_object_set_new(c->out, "User", ram_user_view(&u, 1));
out:
	store_res_clear(&u);
	return r;
}

int
ram_DeleteUser(struct api_call *c)
{
	struct store_filter fk = { c->who.account, RAMDB_AK, NULL, NULL, NULL };
	struct store_filter fa = { c->who.account, RAMDB_ATTACH, NULL, NULL, NULL };
	struct store_filter fm = { c->who.account, RAMDB_MEMBER, NULL, NULL, NULL };
	struct store_res u;
	size_t keys, pols, groups;
	int r;

	if ((r = ram_get(c, RAMDB_USER, api_str(c, "UserName"),
	    ERR_RAM_USER_NOT_FOUND, &u)) < 0)
		return r;
	fk.parent = fa.parent = fm.parent = u.id;
	if ((r = store_res_count(c->st, &fm, &groups)) < 0 ||
	    (r = store_res_count(c->st, &fk, &keys)) < 0 ||
	    (r = store_res_count(c->st, &fa, &pols)) < 0)
		goto out;
	if (groups)
		r = api_fail(c, ERR_RAM_DELETE_USER_GROUP, NULL);
	else if (keys)
		r = api_fail(c, ERR_RAM_DELETE_USER_AK, NULL);
	else if (pols)
		r = api_fail(c, ERR_RAM_DELETE_USER_POLICY, NULL);
	else
		r = ramdb_del(c->st, &u);
out:
	store_res_clear(&u);
	return r;
}

int
ram_ListUsers(struct api_call *c)
{
	return ram_list_kind(c, RAMDB_USER, ram_user_view, "Users", "User");
}

#define RAM_P_USERNAME(flags) \
	{ "UserName", PT_STR, flags, 1, 64, NULL, ERR_RAM_USER_NAME_LENGTH }

const struct api_param ram_p_CreateUser[] = {
	RAM_P_USERNAME(AP_REQUIRED),
	{ "DisplayName", PT_STR, 0, 1, 128, NULL, ERR_RAM_DISPLAY_NAME_LENGTH },
	{ "Comments", PT_STR, 0, 0, 128, NULL, ERR_RAM_COMMENTS_LENGTH },
	{ "Email", PT_STR, 0, 0, 256, NULL, ERR_RAM_EMAIL_FORMAT },
	{ "MobilePhone", PT_STR, 0, 0, 32, NULL, ERR_RAM_MOBILE_FORMAT },
	RAM_END,
};

const struct api_param ram_p_GetUser[] = {
	RAM_P_USERNAME(AP_REQUIRED),
	RAM_END,
};

const struct api_param ram_p_UpdateUser[] = {
	RAM_P_USERNAME(AP_REQUIRED),
	{ "NewUserName", PT_STR, 0, 1, 64, NULL, ERR_RAM_NEW_USER_NAME_LENGTH },
	{ "NewDisplayName", PT_STR, 0, 1, 128, NULL,
	  ERR_RAM_NEW_DISPLAY_NAME_LENGTH },
	{ "NewComments", PT_STR, 0, 0, 128, NULL, ERR_RAM_NEW_COMMENTS_LENGTH },
	{ "NewEmail", PT_STR, 0, 0, 256, NULL, ERR_RAM_NEW_EMAIL_FORMAT },
	{ "NewMobilePhone", PT_STR, 0, 0, 32, NULL, ERR_RAM_NEW_MOBILE_FORMAT },
	RAM_END,
};

const struct api_param ram_p_DeleteUser[] = {
	RAM_P_USERNAME(AP_REQUIRED),
	RAM_END,
};

const struct api_param ram_p_ListUsers[] = {
	{ "Marker", PT_STR, 0, 0, 256, NULL, 0 },
	{ "MaxItems", PT_INT, 0, 1, RAM_MAX_ITEMS, NULL, 0 },
	RAM_END,
};
