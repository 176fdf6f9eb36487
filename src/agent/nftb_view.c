/*
 * nftb_view: our tables as canonical objects, and their comparison
 * (nftb.h). Listing is `list tables` (names only) and then `list table`
 * for each of ours that exists: the cost is our tables', never the whole
 * ruleset's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent/nftb.h"
#include "fw/fw.h"
#include "lib/err.h"

static const struct {
	const char *family, *name;
} nftb_ours[] = {
	{ "bridge", FW_TABLE_PORT },
	{ "inet", FW_TABLE_SG },
};

static const char *
vs(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static int
nftb_strcmp_json(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts a JSON array by the compact dump of its members. */
static int
nftb_sort_array(json_t *arr)
{
	size_t n = json_array_size(arr), i;
	char **txt;
	json_t *sorted;
	int r = -ERR_NOMEM;

	if (n < 2)
		return 0;
	if ((txt = calloc(n, sizeof(*txt))) == NULL)
		return r;
	for (i = 0; i < n; i++)
		if ((txt[i] = json_dumps(json_array_get(arr, i),
		    JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY)) == NULL)
			goto out;
	qsort(txt, n, sizeof(*txt), nftb_strcmp_json);
	if ((sorted = json_array()) == NULL)
		goto out;
	for (i = 0; i < n; i++)
		json_array_append_new(sorted, json_loads(txt[i],
		    JSON_DECODE_ANY, NULL));
	json_array_clear(arr);
	json_array_extend(arr, sorted);
	json_decref(sorted);
	r = 0;
out:
	for (i = 0; i < n; i++)
		free(txt[i]);
	free(txt);
	return r;
}

/* Drops handles, zeroes counters, sorts element lists, recursively. */
static int
nftb_canon(json_t *j)
{
	const char *k;
	json_t *v;
	void *tmp;
	size_t i;
	int r;

	if (json_is_array(j)) {
		json_array_foreach(j, i, v)
			if ((r = nftb_canon(v)) < 0)
				return r;
		return 0;
	}
	if (!json_is_object(j))
		return 0;
	json_object_del(j, "handle");
	if (json_object_get(j, "packets") && json_object_get(j, "bytes")) {
		json_object_set_new(j, "packets", json_integer(0));
		json_object_set_new(j, "bytes", json_integer(0));
	}
	json_object_foreach_safe(j, tmp, k, v) {
		if ((r = nftb_canon(v)) < 0)
			return r;
		if (strcmp(k, "elem") == 0 && json_is_array(v) &&
		    (r = nftb_sort_array(v)) < 0)
			return r;
	}
	return 0;
}

static int
nftb_push(struct nftb_view *v, const char *key, json_t *val, size_t count)
{
	struct nftb_obj *t;
	char *k, *s;

	if ((t = realloc(v->v, (v->n + 1) * sizeof(*t))) == NULL)
		return -ERR_NOMEM;
	v->v = t;
	k = strdup(key);
	s = json_dumps(val, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	if (k == NULL || s == NULL) {
		free(k);
		free(s);
		return -ERR_NOMEM;
	}
	v->v[v->n].key = k;
	v->v[v->n].val = s;
	v->v[v->n].count = count;
	v->n++;
	return 0;
}

/* One `list table` answer into v. */
static int
nftb_table_objs(struct nftb_view *v, json_t *doc)
{
	json_t *items = json_object_get(doc, "nftables"), *it, *rules;
	const char *type;
	json_t *body;
	char key[256];
	size_t i;
	int r = 0;

	if ((rules = json_object()) == NULL)
		return -ERR_NOMEM;
	json_array_foreach(items, i, it) {
		json_object_foreach(it, type, body) {
			if (strcmp(type, "metainfo") == 0)
				continue;
			if ((r = nftb_canon(body)) < 0)
				goto out;
			if (strcmp(type, "rule") == 0) {
				json_t *l;

				snprintf(key, sizeof(key), "rules %s %s %s",
				    vs(body, "family"), vs(body, "table"),
				    vs(body, "chain"));
				if ((l = json_object_get(rules, key)) == NULL) {
					l = json_array();
					json_object_set_new(rules, key, l);
				}
				json_array_append(l, body);
				continue;
			}
			if (strcmp(type, "table") == 0)
				snprintf(key, sizeof(key), "table %s %s",
				    vs(body, "family"), vs(body, "name"));
			else
				snprintf(key, sizeof(key), "%s %s %s %s", type,
				    vs(body, "family"), vs(body, "table"),
				    vs(body, "name"));
			if ((r = nftb_push(v, key, body, json_array_size(
			    json_object_get(body, "elem")))) < 0)
				goto out;
		}
	}
	{
		const char *k;
		json_t *l;

		json_object_foreach(rules, k, l)
			if ((r = nftb_push(v, k, l, json_array_size(l))) < 0)
				goto out;
	}
out:
	json_decref(rules);
	return r;
}

static int
nftb_obj_cmp(const void *a, const void *b)
{
	return strcmp(((const struct nftb_obj *)a)->key,
	    ((const struct nftb_obj *)b)->key);
}

static int
nftb_exists(const json_t *tables, const char *family, const char *name)
{
	json_t *it, *t;
	size_t i;

	json_array_foreach(json_object_get(tables, "nftables"), i, it)
		if ((t = json_object_get(it, "table")) != NULL &&
		    strcmp(vs(t, "family"), family) == 0 &&
		    strcmp(vs(t, "name"), name) == 0)
			return 1;
	return 0;
}

int
nftb_view(struct nftb *b, struct nftb_view *out, struct sb *err)
{
	struct sb txt = SB_INIT;
	json_t *tables = NULL, *doc = NULL;
	char cmd[128];
	int r;

	memset(out, 0, sizeof(*out));
	if ((r = nftb_list_json(b, "list tables", &txt, err)) < 0)
		goto out;
	if ((tables = json_loads(sb_str(&txt), 0, NULL)) == NULL) {
		sb_adds(err, "nft: unreadable JSON listing");
		r = -ERR_INTERNAL;
		goto out;
	}
	for (size_t i = 0; i < sizeof(nftb_ours) / sizeof(nftb_ours[0]); i++) {
		if (!nftb_exists(tables, nftb_ours[i].family, nftb_ours[i].name))
			continue;
		out->tables++;
		snprintf(cmd, sizeof(cmd), "list table %s %s",
		    nftb_ours[i].family, nftb_ours[i].name);
		sb_reset(&txt);
		if ((r = nftb_list_json(b, cmd, &txt, err)) < 0)
			goto out;
		json_decref(doc);
		if ((doc = json_loads(sb_str(&txt), 0, NULL)) == NULL) {
			sb_adds(err, "nft: unreadable JSON listing");
			r = -ERR_INTERNAL;
			goto out;
		}
		if ((r = nftb_table_objs(out, doc)) < 0)
			goto out;
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(out->v[0]), nftb_obj_cmp);
out:
	if (r < 0)
		nftb_view_free(out);
	json_decref(tables);
	json_decref(doc);
	sb_free(&txt);
	return r;
}

void
nftb_view_free(struct nftb_view *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].key);
		free(v->v[i].val);
	}
	free(v->v);
	memset(v, 0, sizeof(*v));
}

int
nftb_view_diff(const struct nftb_view *want, const struct nftb_view *have,
    struct sb *out)
{
	size_t i = 0, j = 0;
	int n = 0;

	while (i < want->n || j < have->n) {
		int c = i == want->n ? 1 : j == have->n ? -1 :
		    strcmp(want->v[i].key, have->v[j].key);

		if (c < 0) {
			sb_addf(out, "%s\tmissing\n", want->v[i++].key);
			n++;
		} else if (c > 0) {
			sb_addf(out, "%s\tunexpected\n", have->v[j++].key);
			n++;
		} else {
			if (strcmp(want->v[i].val, have->v[j].val) != 0) {
				sb_addf(out, "%s\tdiffers (%zu expected, %zu "
				    "present)\n", want->v[i].key,
				    want->v[i].count, have->v[j].count);
				n++;
			}
			i++;
			j++;
		}
	}
	return sb_ok(out) < 0 ? -ERR_NOMEM : n;
}
