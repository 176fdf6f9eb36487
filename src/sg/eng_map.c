/*
 * eng_map: the decision engine's string-keyed map (groups, ENIs, VPCs and
 * profiles by id): open addressing with linear probing, FNV-1a hashing,
 * backward-shift deletion. Keys are not copied: each points into its
 * value, which outlives the entry.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "sg/eng_int.h"

static uint64_t
eng_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static size_t
eng_map_slot(const struct eng_map *mp, const char *key)
{
	size_t i = eng_hash(key) & (mp->cap - 1);

	while (mp->keys[i] && strcmp(mp->keys[i], key) != 0)
		i = (i + 1) & (mp->cap - 1);
	return i;
}

void *
eng_map_get(const struct eng_map *mp, const char *key)
{
	size_t i;

	if (mp->cap == 0)
		return NULL;
	i = eng_map_slot(mp, key);
	return mp->keys[i] ? mp->vals[i] : NULL;
}

/* Makes room for one more entry. */
int
eng_map_reserve(struct eng_map *mp)
{
	struct eng_map nm;

	if ((mp->n + 1) * 4 <= mp->cap * 3)
		return 0;
	nm.cap = mp->cap ? mp->cap * 2 : 16;
	nm.n = mp->n;
	nm.keys = calloc(nm.cap, sizeof(*nm.keys));
	nm.vals = calloc(nm.cap, sizeof(*nm.vals));
	if (nm.keys == NULL || nm.vals == NULL) {
		free(nm.keys);
		free(nm.vals);
		return -ERR_NOMEM;
	}
	for (size_t i = 0; i < mp->cap; i++) {
		size_t j;

		if (mp->keys[i] == NULL)
			continue;
		j = eng_map_slot(&nm, mp->keys[i]);
		nm.keys[j] = mp->keys[i];
		nm.vals[j] = mp->vals[i];
	}
	free(mp->keys);
	free(mp->vals);
	*mp = nm;
	return 0;
}

/* key must live inside val; the caller has reserved room. */
void
eng_map_put(struct eng_map *mp, const char *key, void *val)
{
	size_t i = eng_map_slot(mp, key);

	if (mp->keys[i] == NULL)
		mp->n++;
	mp->keys[i] = key;
	mp->vals[i] = val;
}

/* Removes key (backward-shift deletion keeps probe chains intact). */
void
eng_map_del(struct eng_map *mp, const char *key)
{
	size_t i, j, home;

	if (mp->cap == 0)
		return;
	i = eng_map_slot(mp, key);
	if (mp->keys[i] == NULL)
		return;
	mp->keys[i] = NULL;
	mp->n--;
	for (j = (i + 1) & (mp->cap - 1); mp->keys[j];
	    j = (j + 1) & (mp->cap - 1)) {
		home = eng_hash(mp->keys[j]) & (mp->cap - 1);
		/* Leave j alone when its home lies cyclically in (i, j]. */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		mp->keys[i] = mp->keys[j];
		mp->vals[i] = mp->vals[j];
		mp->keys[j] = NULL;
		i = j;
	}
}

void
eng_map_free(struct eng_map *mp)
{
	free(mp->keys);
	free(mp->vals);
	memset(mp, 0, sizeof(*mp));
}
