/*
 * ramdb_acct: accounts made by the operator (`sekishod account create`).
 * Each is a store account with an Active root AccessKey; its name and
 * creation date live in the meta value "accounts" (a JSON array), so the
 * command, which may run while the server does, never writes resources.
 * The data directory's first account is meta "root_account" (boot.c).
 */
#include "iam/ramdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/rnd.h"
#include "lib/tm.h"

#define RAMDB_ACCOUNTS_META "accounts"
#define RAMDB_ACCOUNT_TRIES 8

/* The recorded accounts (a new empty array when none). */
static int
ramdb_accounts_load(struct store *st, json_t **out)
{
	char *text = NULL;
	int r;

	*out = NULL;
	r = store_meta_get(st, RAMDB_ACCOUNTS_META, &text);
	if (r == -ERR_NOT_FOUND) {
		*out = json_array();
		return *out ? 0 : -ERR_NOMEM;
	}
	if (r < 0)
		return r;
	*out = json_loads(text, 0, NULL);
	free(text);
	if (!json_is_array(*out)) {
		json_decref(*out);
		*out = NULL;
		return -ERR_STORE;
	}
	return 0;
}

/* Adds a fresh account id to the store; retries on the (rare) clash. */
static int
ramdb_account_new_id(struct store *st, int64_t now, char id[17])
{
	size_t before, after;
	int r;

	for (int i = 0; i < RAMDB_ACCOUNT_TRIES; i++) {
		/* A leading 1 keeps ids below 2^53 (see boot.c). */
		id[0] = '1';
		if ((r = rnd_chars("0123456789", 15, id + 1, 16)) < 0 ||
		    (r = store_account_count(st, &before)) < 0 ||
		    (r = store_account_put(st, id, now)) < 0 ||
		    (r = store_account_count(st, &after)) < 0)
			return r;
		if (after > before)
			return 0;
	}
	return -ERR_INTERNAL;
}

int
ramdb_account_create(struct store *st, const char *name, int64_t now,
    struct store_key *key)
{
	char id[17], ts[32];
	json_t *all = NULL;
	char *text = NULL;
	int r;

	memset(key, 0, sizeof(*key));
	if ((r = ramdb_accounts_load(st, &all)) < 0 ||
	    (r = ramdb_account_new_id(st, now, id)) < 0 ||
	    (r = ramdb_key_new(id, "root", now, key)) < 0 ||
	    (r = store_key_put(st, key)) < 0)
		goto out;
	tm_format_iso(now, ts, sizeof(ts));
	if (json_array_append_new(all, json_pack("{s:s, s:s, s:s}",
	    "AccountId", id, "Name", name ? name : "", "CreateDate", ts)) < 0 ||
	    (text = json_dumps(all, JSON_COMPACT)) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	r = store_meta_put(st, RAMDB_ACCOUNTS_META, text);
out:
	free(text);
	json_decref(all);
	return r;
}

int
ramdb_account_list(struct store *st, json_t **out)
{
	json_t *all = NULL, *first = NULL;
	char *root = NULL;
	int r;

	*out = NULL;
	if ((r = ramdb_accounts_load(st, &all)) < 0)
		return r;
	r = store_meta_get(st, "root_account", &root);
	if (r == 0) {
		first = json_pack("{s:s, s:s}", "AccountId", root, "Name",
		    "default");
		if (first == NULL || json_array_insert_new(all, 0, first) < 0) {
			r = -ERR_NOMEM;
			goto out;
		}
	} else if (r != -ERR_NOT_FOUND) {
		goto out;
	}
	*out = all;
	all = NULL;
	r = 0;
out:
	free(root);
	json_decref(all);
	return r;
}
