/* prm: decoded parameter multimap. */
#include "lib/prm.h"

#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/pct.h"
#include "lib/sb.h"
#include "lib/utf8.h"

void
prm_init(struct prm_list *l)
{
	memset(l, 0, sizeof(*l));
}

void
prm_free(struct prm_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].val);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
prm_add(struct prm_list *l, const char *key, size_t klen, const char *val,
    size_t vlen)
{
	struct prm *p;
	char *k, *v;

	if (l->n >= PRM_MAX_COUNT)
		return -ERR_INVALID_PARAMETER;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;

		p = realloc(l->v, cap * sizeof(*p));
		if (p == NULL)
			return -ERR_NOMEM;
		l->v = p;
		l->cap = cap;
	}
	k = strndup(key, klen);
	v = strndup(val, vlen);
	if (k == NULL || v == NULL) {
		free(k);
		free(v);
		return -ERR_NOMEM;
	}
	l->v[l->n].key = k;
	l->v[l->n].val = v;
	l->n++;
	return 0;
}

int
prm_parse(struct prm_list *l, const char *s, size_t n)
{
	struct sb k = SB_INIT, v = SB_INIT;
	size_t start_n = l->n, i = 0;
	int r = 0;

	while (i < n) {
		size_t end = i, eq;

		while (end < n && s[end] != '&')
			end++;
		if (end == i) {
			i++;
			continue;
		}
		eq = i;
		while (eq < end && s[eq] != '=')
			eq++;
		sb_reset(&k);
		sb_reset(&v);
		if ((r = pct_decode(&k, s + i, eq - i)) < 0)
			goto out;
		if (eq < end && (r = pct_decode(&v, s + eq + 1, end - eq - 1)) < 0)
			goto out;
		/* JSON replies cannot carry invalid UTF-8: refuse it here. */
		if (!utf8_valid(sb_str(&k), k.len) ||
		    !utf8_valid(sb_str(&v), v.len)) {
			r = -ERR_INVALID_PARAMETER;
			goto out;
		}
		if (k.len == 0) {
			i = end + 1;
			continue;
		}
		if ((r = prm_add(l, sb_str(&k), k.len, sb_str(&v), v.len)) < 0)
			goto out;
		i = end + 1;
	}
out:
	if (r < 0) {
		while (l->n > start_n) {
			l->n--;
			free(l->v[l->n].key);
			free(l->v[l->n].val);
		}
	}
	sb_free(&k);
	sb_free(&v);
	return r;
}

const char *
prm_get(const struct prm_list *l, const char *key)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].key, key) == 0)
			return l->v[i].val;
	return NULL;
}

size_t
prm_count(const struct prm_list *l, const char *key)
{
	size_t c = 0;

	for (size_t i = 0; i < l->n; i++)
		c += strcmp(l->v[i].key, key) == 0;
	return c;
}
