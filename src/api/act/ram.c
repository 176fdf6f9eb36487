/*
 * ram: the RAM 2015-05-01 action table (generated from RAM_ACTIONS in
 * ram_int.h) and the helpers the RAM handlers share: name and document
 * checks, Marker/MaxItems paging, tags, entity lookup and creation.
 *
 * COMPAT: RAM error codes carry the parameter in the code itself
 * (InvalidParameter.UserName.Length); the schemas name that code per
 * parameter, and the handlers check the character sets the schema cannot.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/act/ram_int.h"
#include "lib/rnd.h"
#include "lib/tm.h"

const struct api_action act_ram_actions[] = {
#define RAM_ROW(name, flags) \
	{ RAM_VERSION, #name, "ram:" #name, ram_##name, ram_p_##name, flags },
	RAM_ACTIONS(RAM_ROW)
#undef RAM_ROW
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};

const struct api_param ram_p_tag_fields[] = {
	{ "Key", PT_STR, 0, 1, 128, NULL, 0 },
	{ "Value", PT_STR, 0, 0, 128, NULL, 0 },
	RAM_END,
};

const char *
ram_str(const json_t *doc, const char *key)
{
	const char *v = json_string_value(json_object_get(doc, key));

	return v ? v : "";
}

void
ram_date(const struct api_call *c, char *ts)
{
	tm_format_iso(c->now, ts, 32);
}

int
ram_check_chars(struct api_call *c, const char *param, const char *extra,
    int err)
{
	const char *v = api_str(c, param);

	for (const char *p = v; p && *p; p++)
		if (!isalnum((unsigned char)*p) && strchr(extra, *p) == NULL)
			return api_fail(c, err, "%s", param);
	return 0;
}

int
ram_digits_id(char first, char *buf, size_t len)
{
	if (len < 17)
		return -ERR_INTERNAL;
	buf[0] = first;
	return rnd_chars("0123456789", 15, buf + 1, len - 1);
}

int
ram_get(struct api_call *c, const char *kind, const char *name, int notfound,
    struct store_res *out)
{
	int r = ramdb_find(c->st, c->who.account, kind, name, out);

	return r == -ERR_NOT_FOUND ? api_fail(c, notfound, "%s", name) : r;
}

int
ram_check_new(struct api_call *c, const char *kind, const char *name,
    int exists, size_t max, int limit)
{
	struct store_filter f = { c->who.account, kind, NULL, NULL, NULL };
	struct store_res old;
	size_t n;
	int r;

	r = ramdb_find(c->st, c->who.account, kind, name, &old);
	store_res_clear(&old);
	if (r == 0)
		return api_fail(c, exists, "%s", name);
	if (r != -ERR_NOT_FOUND)
		return r;
	if ((r = store_res_count(c->st, &f, &n)) < 0)
		return r;
	return n >= max ? api_fail(c, limit, NULL) : 0;
}

int
ram_put_new(struct api_call *c, const char *kind, const char *id,
    const char *parent, json_t *doc)
{
	struct store_res res;
	int r;

	if (doc == NULL)
		return -ERR_NOMEM;
	memset(&res, 0, sizeof(res));
	snprintf(res.id, sizeof(res.id), "%s", id);
	snprintf(res.kind, sizeof(res.kind), "%s", kind);
	snprintf(res.account, sizeof(res.account), "%s", c->who.account);
	snprintf(res.parent, sizeof(res.parent), "%s", parent ? parent : "");
	res.doc = doc;
	r = ramdb_put(c->st, &res, NULL);
	store_res_clear(&res);
	return r;
}

int
ram_put(struct api_call *c, struct store_res *res, json_t *doc)
{
	const char *field = ramdb_name_field(res->kind);
	char old[256] = "";

	if (doc == NULL)
		return -ERR_NOMEM;
	if (field)
		snprintf(old, sizeof(old), "%s", ram_str(res->doc, field));
	json_decref(res->doc);
	res->doc = doc;
	return ramdb_put(c->st, res, field ? old : NULL);
}

int
ram_page(struct api_call *c, size_t n, size_t *start, size_t *end)
{
	const char *marker = api_str(c, "Marker");
	int64_t max = api_int(c, "MaxItems", RAM_DEFAULT_ITEMS);
	size_t from = 0;

	if (marker) {
		char *e;
		unsigned long long v;

		/* Our markers are decimal offsets; anything else is foreign. */
		if (marker[0] < '0' || marker[0] > '9' ||
		    (v = strtoull(marker, &e, 10), *e != '\0') || v > n)
			return api_fail(c, ERR_INVALID_PARAMETER, "Marker");
		from = (size_t)v;
	}
	*start = from;
	*end = from + (size_t)max < n ? from + (size_t)max : n;
	return 0;
}

void
ram_page_out(struct api_call *c, size_t end, size_t n)
{
	char m[32];

	json_object_set_new(c->out, "IsTruncated", json_boolean(end < n));
	if (end < n) {
		snprintf(m, sizeof(m), "%zu", end);
		json_object_set_new(c->out, "Marker", json_string(m));
	}
}

int
ram_doc_check(struct api_call *c, const char *param, enum pol_kind kind,
    size_t max, int len_err)
{
	const char *v = api_str(c, param);
	struct pol *p = NULL;
	char why[256];
	int r;

	if (v == NULL)
		return 0;
	r = pol_parse(v, strlen(v), kind, max, &p, why, sizeof(why));
	pol_free(p);
	if (r == -ERR_RAM_POLICY_DOC_LENGTH)
		return api_fail(c, len_err, "%s", param);
	if (r == -ERR_RAM_MALFORMED_POLICY)
		return api_fail(c, ERR_RAM_MALFORMED_POLICY, "%s", why);
	return r;
}

int
ram_tags_parse(struct api_call *c, json_t **out)
{
	int idx[RAM_TAGS_MAX];
	size_t n = api_indices(c, "Tag", idx, RAM_TAGS_MAX);
	json_t *arr = json_array(), *t;
	size_t j;

	*out = NULL;
	if (arr == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *key = api_strf(c, "Tag.%d.Key", idx[i]);
		const char *value = api_strf(c, "Tag.%d.Value", idx[i]);

		if (key == NULL) {
			json_decref(arr);
			return api_fail(c, ERR_MISSING_PARAMETER,
			    "Tag.%d.Key", idx[i]);
		}
		json_array_foreach(arr, j, t)
			if (strcmp(ram_str(t, "TagKey"), key) == 0) {
				json_decref(arr);
				return api_fail(c, ERR_INVALID_PARAMETER,
				    "Tag.%d.Key", idx[i]);
			}
		json_array_append_new(arr, json_pack("{s:s, s:s}", "TagKey",
		    key, "TagValue", value ? value : ""));
	}
	*out = arr;
	return 0;
}

json_t *
ram_tags_out(const json_t *tags)
{
	return api_wrap_list(json_is_array(tags) ? json_deep_copy(tags) : NULL,
	    "Tag");
}

int
ram_key_user(struct api_call *c, const char **name)
{
	*name = api_str(c, "UserName");
	if (*name == NULL && strncmp(c->who.principal, "user:", 5) == 0)
		*name = c->who.principal + 5;
	return *name ? 0 : api_fail(c, ERR_MISSING_PARAMETER, "UserName");
}

int
ram_policy_type(struct api_call *c, const char *def, const char **out)
{
	const char *v = api_str(c, "PolicyType");

	*out = v ? v : def;
	if (v && strcmp(v, "System") != 0 && strcmp(v, "Custom") != 0)
		return api_fail(c, ERR_RAM_POLICY_TYPE, NULL);
	return 0;
}

/* "<country code>-<number>", e.g. 86-1868888****: digits (and '*'). */
static int
ram_phone_ok(const char *v)
{
	const char *dash = strchr(v, '-');

	if (dash == NULL || dash == v || dash - v > 4 || dash[1] == '\0' ||
	    strlen(dash + 1) > 20)
		return 0;
	for (const char *p = v; *p; p++)
		if (p != dash && !isdigit((unsigned char)*p) &&
		    !(p > dash && *p == '*'))
			return 0;
	return 1;
}

static int
ram_email_ok(const char *v)
{
	const char *at = strchr(v, '@');

	return at && at != v && strchr(at + 1, '@') == NULL &&
	    strchr(at + 1, '.') && at[1] != '.' && v[strlen(v) - 1] != '.' &&
	    strchr(v, ' ') == NULL && strlen(v) <= 128;
}

int
ram_check_user_fields(struct api_call *c, int update)
{
	const char *phone = api_str(c, update ? "NewMobilePhone" : "MobilePhone");
	const char *email = api_str(c, update ? "NewEmail" : "Email");
	int r;

	if ((r = ram_check_chars(c, update ? "NewUserName" : "UserName",
	    RAM_CHARS_USER, update ? ERR_RAM_NEW_USER_NAME_CHARS :
	    ERR_RAM_USER_NAME_CHARS)) < 0)
		return r;
	if (phone && phone[0] && !ram_phone_ok(phone))
		return api_fail(c, update ? ERR_RAM_NEW_MOBILE_FORMAT :
		    ERR_RAM_MOBILE_FORMAT, NULL);
	if (email && email[0] && !ram_email_ok(email))
		return api_fail(c, update ? ERR_RAM_NEW_EMAIL_FORMAT :
		    ERR_RAM_EMAIL_FORMAT, NULL);
	return 0;
}

int
ram_list_kind(struct api_call *c, const char *kind,
    json_t *(*view)(const struct store_res *, int), const char *outer,
    const char *inner)
{
	struct store_res_list l = { NULL, 0 };
	json_t *arr = json_array();
	size_t start, end;
	int r;

	if (arr == NULL)
		return -ERR_NOMEM;
	if ((r = ramdb_children(c->st, c->who.account, kind, NULL, &l)) < 0 ||
	    (r = ram_page(c, l.n, &start, &end)) < 0)
		goto out;
	for (size_t i = start; i < end; i++)
		json_array_append_new(arr, view(&l.v[i], 1));
	json_object_set_new(c->out, outer, api_wrap_list(arr, inner));
	arr = NULL;
	ram_page_out(c, end, l.n);
out:
	json_decref(arr);
	store_res_list_free(&l);
	return r;
}
