/*
 * prm: the request's parameters as an ordered multimap of decoded strings.
 * Filled from the query string, then from a form body (query first, as the
 * spec says); both signature schemes and every handler read from here.
 * The list owns its strings; prm_free() releases them (NULL-safe).
 */
#ifndef SEKISHO_PRM_H
#define SEKISHO_PRM_H

#include <stddef.h>

#define PRM_MAX_COUNT 4096	/* parameters per request */

struct prm {
	char *key;
	char *val;
};

struct prm_list {
	struct prm *v;
	size_t n;
	size_t cap;
	int from_query;		/* how many of v[] came from the query (V3) */
};

void prm_init(struct prm_list *l);
void prm_free(struct prm_list *l);
/* Appends a copy of key/val (exact bytes). 0 or -ERR_NOMEM / -ERR_INVALID_PARAMETER (too many). */
int prm_add(struct prm_list *l, const char *key, size_t klen, const char *val, size_t vlen);
/*
 * Parses "k=v&k2=v2" (application/x-www-form-urlencoded or a query string)
 * and appends every pair decoded. Empty segments are skipped; a key without
 * '=' gets the value "". Returns 0 or -ERR_INVALID_PARAMETER (bad escape,
 * NUL byte, too many parameters), with nothing appended on error.
 */
int prm_parse(struct prm_list *l, const char *s, size_t n);
/* First value for key, or NULL. */
const char *prm_get(const struct prm_list *l, const char *key);
/* Number of values stored under key. */
size_t prm_count(const struct prm_list *l, const char *key);

#endif
