/*
 * api_schema: checks the decoded parameters against an action's schema
 * (types, ranges, required fields, Name.N repeats, JSON-text lists) so that
 * handlers only ever see well-formed input; plus the accessors handlers use.
 * Unknown parameters are ignored, as Alibaba's gateway does.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "lib/err.h"
#include "lib/utf8.h"

#define API_MAX_INDEX 1000

static int
api_parse_int(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (s[0] == '\0' || (s[0] == '-' && s[1] == '\0'))
		return -1;
	for (const char *p = s[0] == '-' ? s + 1 : s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int
api_bad(struct api_call *c, const struct api_param *p, const char *key)
{
	return api_fail(c, p->err ? p->err : ERR_INVALID_PARAMETER, "%s", key);
}

static int
api_check_scalar(struct api_call *c, const struct api_param *p,
    const char *key, const char *val)
{
	size_t len;
	int64_t v;

	switch (p->type) {
	case PT_STR:
		/* COMPAT: Alibaba's length limits count characters. */
		len = utf8_count(val);
		if ((p->min && (int64_t)len < p->min) ||
		    (p->max && (int64_t)len > p->max))
			return api_bad(c, p, key);
		return 0;
	case PT_INT:
		if (api_parse_int(val, &v) < 0)
			return api_bad(c, p, key);
		if ((p->min || p->max) && (v < p->min || v > p->max))
			return api_bad(c, p, key);
		return 0;
	case PT_BOOL:
		if (strcmp(val, "true") != 0 && strcmp(val, "false") != 0)
			return api_bad(c, p, key);
		return 0;
	default:
		return api_fail(c, ERR_INTERNAL, "schema");
	}
}

/* Parses "<digits>" at s (1..API_MAX_INDEX); returns chars used or -1. */
static int
api_parse_index(const char *s, int *out)
{
	int v = 0, i = 0;

	if (s[0] < '1' || s[0] > '9')
		return -1;
	while (s[i] >= '0' && s[i] <= '9' && i < 5)
		v = v * 10 + (s[i++] - '0');
	if ((s[i] >= '0' && s[i] <= '9') || v > API_MAX_INDEX)
		return -1;
	*out = v;
	return i;
}

static int
api_check_list(struct api_call *c, const struct api_param *p, int *present)
{
	size_t nl = strlen(p->name);
	const struct prm_list *l = c->params;

	for (size_t i = 0; i < l->n; i++) {
		const char *key = l->v[i].key, *rest;
		int idx, used, r;

		if (strncmp(key, p->name, nl) != 0 || key[nl] != '.')
			continue;
		if ((used = api_parse_index(key + nl + 1, &idx)) < 0 ||
		    (p->max && idx > p->max))
			return api_bad(c, p, key);
		rest = key + nl + 1 + used;
		if (p->type == PT_LIST) {
			if (*rest != '\0')
				return api_bad(c, p, key);
			*present = 1;
			continue;
		}
		if (*rest != '.')
			return api_bad(c, p, key);
		*present = 1;
		for (const struct api_param *f = p->fields; f && f->name; f++) {
			if (strcmp(rest + 1, f->name) != 0)
				continue;
			if ((r = api_check_scalar(c, f, key, l->v[i].val)) < 0)
				return r;
		}
	}
	return 0;
}

static int
api_check_jsonlist(struct api_call *c, const struct api_param *p,
    const char *val)
{
	json_t *j = json_loads(val, JSON_REJECT_DUPLICATES, NULL);
	size_t i;
	json_t *e;
	int ok = json_is_array(j);

	if (ok && p->max && (int64_t)json_array_size(j) > p->max)
		ok = 0;
	json_array_foreach(j, i, e)
		if (!json_is_string(e))
			ok = 0;
	json_decref(j);
	return ok ? 0 : api_bad(c, p, p->name);
}

int
api_validate(struct api_call *c, const struct api_param *schema)
{
	for (const struct api_param *p = schema; p && p->name; p++) {
		int present = 0, r = 0;
		const char *v;

		switch (p->type) {
		case PT_LIST:
		case PT_OBJLIST:
			r = api_check_list(c, p, &present);
			break;
		case PT_JSONLIST:
			if ((v = prm_get(c->params, p->name)) != NULL) {
				present = 1;
				r = api_check_jsonlist(c, p, v);
			}
			break;
		default:
			if ((v = prm_get(c->params, p->name)) != NULL) {
				present = 1;
				r = api_check_scalar(c, p, p->name, v);
			}
		}
		if (r < 0)
			return r;
		if (!present && (p->flags & AP_REQUIRED))
			return api_fail(c, ERR_MISSING_PARAMETER, "%s", p->name);
	}
	return 0;
}

const char *
api_str(const struct api_call *c, const char *name)
{
	return prm_get(c->params, name);
}

const char *
api_strf(const struct api_call *c, const char *fmt, ...)
{
	char key[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(key, sizeof(key), fmt, ap);
	va_end(ap);
	return prm_get(c->params, key);
}

int64_t
api_int(const struct api_call *c, const char *name, int64_t def)
{
	const char *v = prm_get(c->params, name);
	int64_t out;

	return v && api_parse_int(v, &out) == 0 ? out : def;
}

int
api_bool(const struct api_call *c, const char *name, int def)
{
	const char *v = prm_get(c->params, name);

	if (v == NULL)
		return def;
	return strcmp(v, "true") == 0;
}

static int
api_int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

size_t
api_indices(const struct api_call *c, const char *name, int *idx, size_t max)
{
	size_t nl = strlen(name), n = 0;
	const struct prm_list *l = c->params;

	/* Distinct while collecting: "Tag.1.Key" and "Tag.1.Value" are one N. */
	for (size_t i = 0; i < l->n && n < max; i++) {
		const char *key = l->v[i].key;
		int v, used, seen = 0;

		if (strncmp(key, name, nl) != 0 || key[nl] != '.')
			continue;
		if ((used = api_parse_index(key + nl + 1, &v)) < 0)
			continue;
		if (key[nl + 1 + used] != '\0' && key[nl + 1 + used] != '.')
			continue;
		for (size_t k = 0; k < n && !seen; k++)
			seen = idx[k] == v;
		if (!seen)
			idx[n++] = v;
	}
	if (n > 1)
		qsort(idx, n, sizeof(*idx), api_int_cmp);
	return n;
}

json_t *
api_jsonlist(const struct api_call *c, const char *name)
{
	const char *v = prm_get(c->params, name);

	return v ? json_loads(v, 0, NULL) : NULL;
}

json_t *
api_wrap_list(json_t *array, const char *inner)
{
	json_t *o = json_object();

	json_object_set_new(o, inner, array ? array : json_array());
	return o;
}

int
api_page(struct api_call *c, int max_size, int64_t *number, int64_t *size)
{
	*number = api_int(c, "PageNumber", 1);
	*size = api_int(c, "PageSize", 10);
	if (*number < 1)
		return api_fail(c, ERR_INVALID_PARAMETER, "PageNumber");
	if (*size < 1 || *size > max_size)
		return api_fail(c, ERR_INVALID_PARAMETER, "PageSize");
	return 0;
}

int
api_check_region(struct api_call *c, const char *region)
{
	for (int i = 0; i < API_MAX_REGIONS && c->api->cfg.regions[i]; i++)
		if (strcmp(c->api->cfg.regions[i], region) == 0)
			return 0;
	return api_fail(c, ERR_REGION_NOT_FOUND, NULL);
}
