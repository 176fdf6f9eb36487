/*
 * ram_key: AccessKeys of RAM users — CreateAccessKey, UpdateAccessKey,
 * DeleteAccessKey, ListAccessKeys. The key is a store_key row (principal
 * "user:<UserName>", the user's account) that auth.c reads on every
 * request, so a status change or a deletion takes effect at once; a
 * ram_ak resource under the user lists it. At most two keys per user.
 * A RAM user calling without UserName acts on itself; COMPAT: the root
 * identity must name the user (Alibaba would manage the account's own
 * keys, which live outside RAM here).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/act/ram_int.h"

/* The ram_ak record of akid under user (EntityNotExist.User.AccessKey). */
static int
ram_key_find(struct api_call *c, const struct store_res *user,
    const char *akid, struct store_res *out)
{
	char id[STORE_ID_MAX];
	int r;

	memset(out, 0, sizeof(*out));
	if (strlen(akid) > 48)
		return api_fail(c, ERR_RAM_AK_NOT_FOUND, NULL);
	snprintf(id, sizeof(id), "rak-%s", akid);
	r = store_res_get(c->st, id, out);
	if (r == 0 && (strcmp(out->kind, RAMDB_AK) != 0 ||
	    strcmp(out->account, c->who.account) != 0 ||
	    strcmp(out->parent, user->id) != 0))
		r = -ERR_NOT_FOUND;
	if (r < 0)
		store_res_clear(out);
	return r == -ERR_NOT_FOUND ? api_fail(c, ERR_RAM_AK_NOT_FOUND, NULL) : r;
}

static int
ram_key_owner(struct api_call *c, struct store_res *user)
{
	const char *name;
	int r;

	memset(user, 0, sizeof(*user));
	if ((r = ram_key_user(c, &name)) < 0)
		return r;
	return ram_get(c, RAMDB_USER, name, ERR_RAM_USER_NOT_FOUND, user);
}

int
ram_CreateAccessKey(struct api_call *c)
{
	struct store_filter f = { c->who.account, RAMDB_AK, NULL, NULL, NULL };
	struct store_res user;
	struct store_key k;
	char principal[160], id[STORE_ID_MAX + 80], ts[32];
	size_t n;
	int r;

	memset(&k, 0, sizeof(k));
	if ((r = ram_key_owner(c, &user)) < 0)
		return r;
	f.parent = user.id;
	if ((r = store_res_count(c->st, &f, &n)) < 0)
		goto out;
	if (n >= RAMDB_MAX_KEYS) {
		r = api_fail(c, ERR_RAM_LIMIT_USER_AK, NULL);
		goto out;
	}
	snprintf(principal, sizeof(principal), "user:%s",
	    ram_str(user.doc, "UserName"));
	if ((r = ramdb_key_new(c->who.account, principal, c->now, &k)) < 0 ||
	    (r = store_key_put(c->st, &k)) < 0)
		goto out;
	ram_date(c, ts);
	snprintf(id, sizeof(id), "rak-%s", k.id);
	if ((r = ram_put_new(c, RAMDB_AK, id, user.id, json_pack("{s:s, s:s}",
	    "AccessKeyId", k.id, "CreateDate", ts))) < 0)
		goto out;
	json_object_set_new(c->out, "AccessKey", json_pack("{s:s, s:s, s:s, s:s}",
	    "AccessKeyId", k.id, "AccessKeySecret", k.secret,
	    "Status", "Active", "CreateDate", ts));
out:
	OPENSSL_cleanse(&k, sizeof(k));
	store_res_clear(&user);
	return r;
}

int
ram_UpdateAccessKey(struct api_call *c)
{
	const char *akid = api_str(c, "UserAccessKeyId");
	const char *status = api_str(c, "Status");
	struct store_res user, rec;
	struct store_key k;
	int r;

	memset(&rec, 0, sizeof(rec));
	memset(&k, 0, sizeof(k));
	if (strcmp(status, "Active") != 0 && strcmp(status, "Inactive") != 0)
		return api_fail(c, ERR_INVALID_PARAMETER, "Status");
	if ((r = ram_key_owner(c, &user)) < 0)
		return r;
	if ((r = ram_key_find(c, &user, akid, &rec)) < 0 ||
	    (r = store_key_get(c->st, akid, &k)) < 0)
		goto out;
	snprintf(k.status, sizeof(k.status), "%s", status);
	r = store_key_put(c->st, &k);
out:
	OPENSSL_cleanse(&k, sizeof(k));
	store_res_clear(&rec);
	store_res_clear(&user);
	return r;
}

int
ram_DeleteAccessKey(struct api_call *c)
{
	const char *akid = api_str(c, "UserAccessKeyId");
	struct store_res user, rec;
	int r;

	memset(&rec, 0, sizeof(rec));
	if ((r = ram_key_owner(c, &user)) < 0)
		return r;
	if ((r = ram_key_find(c, &user, akid, &rec)) < 0 ||
	    (r = ramdb_key_drop(c->st, akid)) < 0)
		goto out;
	r = store_res_del(c->st, rec.id);
out:
	store_res_clear(&rec);
	store_res_clear(&user);
	return r;
}

int
ram_ListAccessKeys(struct api_call *c)
{
	struct store_res_list l = { NULL, 0 };
	struct store_res user;
	struct store_key k;
	json_t *arr = json_array();
	int r;

	memset(&k, 0, sizeof(k));
	if (arr == NULL)
		return -ERR_NOMEM;
	if ((r = ram_key_owner(c, &user)) < 0) {
		json_decref(arr);
		return r;
	}
	if ((r = ramdb_children(c->st, c->who.account, RAMDB_AK, user.id,
	    &l)) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		const char *akid = ram_str(l.v[i].doc, "AccessKeyId");

		if ((r = store_key_get(c->st, akid, &k)) < 0)
			goto out;
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s}",
		    "AccessKeyId", akid, "Status", k.status,
		    "CreateDate", ram_str(l.v[i].doc, "CreateDate")));
	}
	json_object_set_new(c->out, "AccessKeys", api_wrap_list(arr,
	    "AccessKey"));
	arr = NULL;
out:
	OPENSSL_cleanse(&k, sizeof(k));
	json_decref(arr);
	store_res_list_free(&l);
	store_res_clear(&user);
	return r;
}

#define RAM_P_KEY_USER \
	{ "UserName", PT_STR, 0, 1, 64, NULL, ERR_RAM_USER_NAME_LENGTH }

const struct api_param ram_p_CreateAccessKey[] = {
	RAM_P_KEY_USER,
	RAM_END,
};

const struct api_param ram_p_UpdateAccessKey[] = {
	RAM_P_KEY_USER,
	{ "UserAccessKeyId", PT_STR, AP_REQUIRED, 1, 128, NULL, 0 },
	{ "Status", PT_STR, AP_REQUIRED, 1, 16, NULL, 0 },
	RAM_END,
};

const struct api_param ram_p_DeleteAccessKey[] = {
	RAM_P_KEY_USER,
	{ "UserAccessKeyId", PT_STR, AP_REQUIRED, 1, 128, NULL, 0 },
	RAM_END,
};

const struct api_param ram_p_ListAccessKeys[] = {
	RAM_P_KEY_USER,
	RAM_END,
};
