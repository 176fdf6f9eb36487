/*
 * jsonparam_fuzz: schema validation of JSON-text and typed parameters
 * (api_validate and the accessors handlers rely on afterwards).
 *
 * Each input is used twice:
 *   1. as the exact value of a PT_JSONLIST parameter "InstanceIds"
 *      (spec §1.4: JSON arrays of strings sent URL-encoded);
 *   2. as a query string, decoded with prm_parse and validated against a
 *      schema mixing every parameter type (STR, INT, BOOL, LIST, OBJLIST,
 *      JSONLIST).
 * Checks, besides ASan/UBSan: a value the schema accepts is what handlers
 * expect (api_jsonlist gives an array of at most max strings; integers are
 * within range; Name.N indices are sorted, distinct and within the limit);
 * a rejection is a 400-class catalogue error naming the parameter.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "lib/err.h"
#include "lib/prm.h"

#define JP_FUZZ_MAX_IDS 100
#define JP_FUZZ_MAX_TAGS 20
#define JP_FUZZ_MAX_SGS 5

static const struct api_param jp_fuzz_json_schema[] = {
	{ "InstanceIds", PT_JSONLIST, AP_REQUIRED, 0, JP_FUZZ_MAX_IDS, NULL, 0 },
	{ NULL, PT_STR, 0, 0, 0, NULL, 0 },
};

static const struct api_param jp_fuzz_tag_fields[] = {
	{ "Key", PT_STR, 0, 1, 128, NULL, 0 },
	{ "Value", PT_STR, 0, 0, 128, NULL, 0 },
	{ "Priority", PT_INT, 0, 1, 100, NULL, 0 },
	{ NULL, PT_STR, 0, 0, 0, NULL, 0 },
};

static const struct api_param jp_fuzz_mixed_schema[] = {
	{ "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "PageSize", PT_INT, 0, 1, 50, NULL, 0 },
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "SecurityGroupIds", PT_LIST, 0, 0, JP_FUZZ_MAX_SGS, NULL, 0 },
	{ "Tag", PT_OBJLIST, 0, 0, JP_FUZZ_MAX_TAGS, jp_fuzz_tag_fields, 0 },
	{ "InstanceIds", PT_JSONLIST, 0, 0, JP_FUZZ_MAX_IDS, NULL, 0 },
	{ NULL, PT_STR, 0, 0, 0, NULL, 0 },
};

static void
jp_fuzz_check_jsonlist(const struct api_call *c)
{
	json_t *j = api_jsonlist(c, "InstanceIds"), *e;
	size_t i;

	if (j == NULL) {
		if (api_str(c, "InstanceIds") != NULL)
			abort();	/* validated, yet unreadable */
		return;
	}
	if (!json_is_array(j) || json_array_size(j) > JP_FUZZ_MAX_IDS)
		abort();
	json_array_foreach(j, i, e)
		if (!json_is_string(e))
			abort();
	json_decref(j);
}

/* Distinct N of "name.N" / "name.N.*" keys, counted independently. */
static size_t
jp_fuzz_count_indices(const struct api_call *c, const char *name, int max)
{
	size_t count = 0;
	char pre[64];

	for (int k = 1; k <= max; k++) {
		int len = snprintf(pre, sizeof(pre), "%s.%d", name, k);

		for (size_t i = 0; i < c->params->n; i++) {
			const char *key = c->params->v[i].key;

			if (strncmp(key, pre, (size_t)len) == 0 &&
			    (key[len] == '\0' || key[len] == '.')) {
				count++;
				break;
			}
		}
	}
	return count;
}

/*
 * After validation every index is within 1..max, so asking api_indices
 * for max entries must return all of them, sorted and distinct.
 */
static void
jp_fuzz_check_indices(const struct api_call *c, const char *name, int max)
{
	int idx[64];
	size_t n = api_indices(c, name, idx, (size_t)max);

	for (size_t i = 0; i < n; i++)
		if (idx[i] < 1 || idx[i] > max || (i && idx[i - 1] >= idx[i]))
			abort();
	if (n != jp_fuzz_count_indices(c, name, max))
		abort();	/* an index was silently dropped */
}

static void
jp_fuzz_check_rejection(const struct api_call *c, int r)
{
	if (r >= 0 || err_status(r) != 400 || c->detail[0] == '\0')
		abort();
}

static void
jp_fuzz_mixed(const struct api_call *c)
{
	int idx[JP_FUZZ_MAX_TAGS + 1];
	size_t n;
	int64_t v;

	if (api_str(c, "RegionId") == NULL)
		abort();
	v = api_int(c, "PageSize", 10);
	if (v < 1 || v > 50)
		abort();
	if (api_str(c, "DryRun") && api_bool(c, "DryRun", 1) !=
	    (strcmp(api_str(c, "DryRun"), "true") == 0))
		abort();
	jp_fuzz_check_indices(c, "SecurityGroupIds", JP_FUZZ_MAX_SGS);
	jp_fuzz_check_indices(c, "Tag", JP_FUZZ_MAX_TAGS);
	n = api_indices(c, "Tag", idx, JP_FUZZ_MAX_TAGS);
	for (size_t i = 0; i < n; i++) {
		char key[32];

		snprintf(key, sizeof(key), "Tag.%d.Priority", idx[i]);
		if (api_str(c, key) == NULL)
			continue;
		v = api_int(c, key, -1);
		if (v < 1 || v > 100)
			abort();
	}
	jp_fuzz_check_jsonlist(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prm_list params;
	struct api_call c;
	int r;

	/* 1. the bytes as one JSON-text value */
	memset(&c, 0, sizeof(c));
	prm_init(&params);
	c.params = &params;
	if (memchr(data, '\0', size) == NULL) {
		if (prm_add(&params, "InstanceIds", 11, (const char *)data,
		    size) != 0)
			abort();
		r = api_validate(&c, jp_fuzz_json_schema);
		if (r == 0)
			jp_fuzz_check_jsonlist(&c);
		else if (r != -ERR_INVALID_PARAMETER ||
		    strcmp(c.detail, "InstanceIds") != 0)
			abort();
	}
	prm_free(&params);

	/* 2. the bytes as a query string against a mixed schema */
	memset(&c, 0, sizeof(c));
	prm_init(&params);
	c.params = &params;
	if (prm_parse(&params, (const char *)data, size) == 0) {
		r = api_validate(&c, jp_fuzz_mixed_schema);
		if (r == 0)
			jp_fuzz_mixed(&c);
		else
			jp_fuzz_check_rejection(&c, r);
	}
	prm_free(&params);
	return 0;
}
