/*
 * authz_cache: compiled policy sets per (account, principal), so that the
 * authorization step neither reads the store nor parses a document on the
 * common path (see authz_int.h for the set's life cycle, authz.h for why
 * the RAM generation is the right freshness test).
 *
 * Freshness: a set is tagged with the RAM generation sampled before its
 * documents were read. A lookup at the same generation is a hit. After a
 * RAM write the documents are read again and hashed; when the hash
 * matches, the set is re-tagged and reused, so only a real change to the
 * principal's policies costs a parse. Sampling before reading keeps a
 * race harmless: a set read while a RAM write commits carries the older
 * generation and is read again next time.
 *
 * The table is bounded (AUTHZ_MAX_SETS): the least recently used
 * unreferenced set goes first. Each set's decision memo is bounded too
 * (AUTHZ_MEMO_SLOTS, direct-mapped: a colliding key replaces the slot).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "api/sig.h"
#include "iam/authz_int.h"
#include "iam/ramdb.h"
#include "iam/sts.h"
#include "lib/err.h"
#include "lib/sb.h"

#define AUTHZ_RAM_VERSION "2015-05-01"

struct authz {
	pthread_mutex_t lock;
	struct authz_set *bucket[AUTHZ_BUCKETS];
	size_t count;
	uint64_t tick;
	uint64_t gen;		/* RAM generation (atomic) */
	struct authz_stats stats;
};

int
authz_new(struct authz **out)
{
	struct authz *az = calloc(1, sizeof(*az));

	*out = NULL;
	if (az == NULL)
		return -ERR_NOMEM;
	pthread_mutex_init(&az->lock, NULL);
	/* STS credentials authenticate from now on (api/auth.h). */
	auth_sts_hook = sts_resolve;
	*out = az;
	return 0;
}

static void
authz_set_free(struct authz_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		pol_free(s->pols[i]);
	for (size_t i = 0; s->memo && i < AUTHZ_MEMO_SLOTS; i++)
		free(s->memo[i].key);
	free(s->memo);
	pthread_mutex_destroy(&s->memo_lock);
	free(s->pols);
	free(s);
}

void
authz_free(struct authz *az)
{
	if (az == NULL)
		return;
	for (size_t b = 0; b < AUTHZ_BUCKETS; b++) {
		struct authz_set *s = az->bucket[b], *next;

		for (; s; s = next) {
			next = s->next;
			authz_set_free(s);
		}
	}
	pthread_mutex_destroy(&az->lock);
	free(az);
}

void
authz_stats(struct authz *az, struct authz_stats *out)
{
	pthread_mutex_lock(&az->lock);
	*out = az->stats;
	out->memo_hits = __atomic_load_n(&az->stats.memo_hits, __ATOMIC_RELAXED);
	out->evals = __atomic_load_n(&az->stats.evals, __ATOMIC_RELAXED);
	out->sets = az->count;
	pthread_mutex_unlock(&az->lock);
}

void
authz_committed(struct authz *az, const char *version)
{
	if (az && version && strcmp(version, AUTHZ_RAM_VERSION) == 0)
		__atomic_add_fetch(&az->gen, 1, __ATOMIC_ACQ_REL);
}

/* FNV-1a. */
static uint64_t
authz_fnv(const char *p, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return h;
}

static size_t
authz_bucket(const char *key)
{
	return (size_t)(authz_fnv(key, strlen(key)) % AUTHZ_BUCKETS);
}

/* Under the lock. */
static struct authz_set *
authz_find(struct authz *az, const char *key)
{
	struct authz_set *s = az->bucket[authz_bucket(key)];

	while (s && strcmp(s->key, key) != 0)
		s = s->next;
	return s;
}

/* Under the lock: takes s out of the table and drops the table's ref. */
static void
authz_unlink(struct authz *az, struct authz_set *s)
{
	struct authz_set **pp = &az->bucket[authz_bucket(s->key)];

	while (*pp && *pp != s)
		pp = &(*pp)->next;
	if (*pp == NULL)
		return;
	*pp = s->next;
	s->next = NULL;
	s->cached = 0;
	az->count--;
	if (--s->refs == 0)
		authz_set_free(s);
}

/* Under the lock: the least recently used set nobody holds, if any. */
static void
authz_evict(struct authz *az)
{
	struct authz_set *victim = NULL;

	for (size_t b = 0; b < AUTHZ_BUCKETS; b++)
		for (struct authz_set *s = az->bucket[b]; s; s = s->next)
			if (s->refs == 1 && (victim == NULL ||
			    s->used < victim->used))
				victim = s;
	if (victim)
		authz_unlink(az, victim);
}

/* Under the lock: s (one ref for the caller) becomes the cached set. */
static void
authz_insert(struct authz *az, struct authz_set *s)
{
	struct authz_set *old = authz_find(az, s->key);
	size_t b = authz_bucket(s->key);

	if (old)
		authz_unlink(az, old);
	while (az->count >= AUTHZ_MAX_SETS) {
		size_t before = az->count;

		authz_evict(az);
		if (az->count == before)
			return;		/* all in use: leave s uncached */
	}
	s->next = az->bucket[b];
	az->bucket[b] = s;
	s->cached = 1;
	s->refs++;
	az->count++;
}

/* The documents of the principal (JSON array of strings; caller decrefs). */
static int
authz_load_docs(struct store *st, const char *account, const char *principal,
    json_t **docs)
{
	struct sts_session ses;
	int r;

	*docs = NULL;
	if (strncmp(principal, "session:", 8) == 0) {
		r = sts_session_get(st, principal + 8, &ses);
		if (r < 0 && r != -ERR_NOT_FOUND)
			return r;
		*docs = json_array();
		if (r == 0 && ses.policy && *docs)
			json_array_append_new(*docs, json_string(ses.policy));
		sts_session_clear(&ses);
		return *docs ? 0 : -ERR_NOMEM;
	}
	r = ramdb_principal_policies(st, account, principal, docs);
	if (r == -ERR_NOT_FOUND) {
		*docs = json_array();
		return *docs ? 0 : -ERR_NOMEM;
	}
	return r;
}

static int
authz_digest(const json_t *docs, char out[65])
{
	struct sb b = SB_INIT;
	const json_t *d;
	size_t i;
	int r = 0;

	json_array_foreach(docs, i, d) {
		const char *t = json_string_value(d);

		if (t == NULL) {
			r = -ERR_STORE;
			break;
		}
		sb_addn(&b, t, json_string_length(d));
		sb_addc(&b, '\0');
	}
	if (r == 0 && (r = sb_ok(&b)) == 0)
		sig_sha256_hex(b.p ? b.p : "", b.len, out);
	sb_free(&b);
	return r;
}

/* Whether text mentions acs:CurrentTime (any case, anywhere). */
static int
authz_mentions_time(const char *text)
{
	for (const char *p = text; (p = strchr(p, ':')) != NULL; p++)
		if (strncasecmp(p + 1, "CurrentTime", 11) == 0)
			return 1;
	return 0;
}

static int
authz_compile(const char *key, const json_t *docs, const char *digest,
    uint64_t gen, struct authz_set **out)
{
	size_t n = json_array_size(docs), klen = strlen(key);
	struct authz_set *s = calloc(1, sizeof(*s) + klen + 1);
	int r = 0;

	*out = NULL;
	if (s == NULL)
		return -ERR_NOMEM;
	pthread_mutex_init(&s->memo_lock, NULL);
	memcpy(s->key, key, klen + 1);
	memcpy(s->digest, digest, sizeof(s->digest));
	s->gen = gen;
	s->refs = 1;
	if ((n && (s->pols = calloc(n, sizeof(*s->pols))) == NULL) ||
	    (s->memo = calloc(AUTHZ_MEMO_SLOTS, sizeof(*s->memo))) == NULL)
		r = -ERR_NOMEM;
	for (size_t i = 0; i < n && r == 0; i++) {
		const json_t *d = json_array_get(docs, i);

		r = pol_parse(json_string_value(d), json_string_length(d),
		    POL_IDENTITY, POL_MAX_CHARS, &s->pols[i], NULL, 0);
		if (r == -ERR_NOMEM)
			break;
		if (r < 0)
			r = -ERR_INTERNAL;	/* fail closed: a stored doc rots */
		else
			s->n++;
		if (r == 0 && authz_mentions_time(json_string_value(d)))
			s->timed = 1;
	}
	if (r < 0) {
		authz_set_free(s);
		return r;
	}
	*out = s;
	return 0;
}

/* A hit at gen, or a set whose documents hash to digest (re-tagged). */
static struct authz_set *
authz_lookup(struct authz *az, const char *key, uint64_t gen,
    const char *digest, int retag)
{
	struct authz_set *s;

	pthread_mutex_lock(&az->lock);
	s = authz_find(az, key);
	if (s && (digest ? strcmp(s->digest, digest) == 0 : s->gen == gen)) {
		s->refs++;
		s->used = ++az->tick;
		if (digest == NULL)
			az->stats.hits++;
		else
			az->stats.rechecks++;
		if (digest && retag && gen > s->gen)
			s->gen = gen;
	} else {
		s = NULL;
	}
	pthread_mutex_unlock(&az->lock);
	return s;
}

int
authz_set_get(struct authz *az, struct store *st, int in_tx,
    const char *account, const char *principal, struct authz_set **out)
{
	struct authz_set *s;
	json_t *docs = NULL;
	char key[256], digest[65];
	uint64_t gen = __atomic_load_n(&az->gen, __ATOMIC_ACQUIRE);
	int r, cacheable;

	*out = NULL;
	if ((size_t)snprintf(key, sizeof(key), "%s\n%s", account, principal) >=
	    sizeof(key))
		return -ERR_INVALID_PARAMETER;
	if ((*out = authz_lookup(az, key, gen, NULL, 0)) != NULL)
		return 0;
	if (!in_tx && (r = store_tx_begin(st, STORE_TX_READ)) < 0)
		return r;
	/* A transaction that already wrote sees what may never commit. */
	cacheable = store_revision(st) == store_committed_revision(st);
	r = authz_load_docs(st, account, principal, &docs);
	if (!in_tx)
		store_tx_abort(st);
	if (r < 0 || (r = authz_digest(docs, digest)) < 0)
		goto out;
	if ((*out = authz_lookup(az, key, gen, digest, cacheable)) != NULL)
		goto out;
	if ((r = authz_compile(key, docs, digest, gen, &s)) < 0)
		goto out;
	pthread_mutex_lock(&az->lock);
	az->stats.parses += s->n;
	s->used = ++az->tick;
	if (cacheable)
		authz_insert(az, s);
	pthread_mutex_unlock(&az->lock);
	*out = s;
out:
	json_decref(docs);
	return r;
}

void
authz_set_put(struct authz *az, struct authz_set *s)
{
	if (s == NULL)
		return;
	pthread_mutex_lock(&az->lock);
	if (--s->refs == 0)
		authz_set_free(s);
	pthread_mutex_unlock(&az->lock);
}

/* The memo key of ctx for s: the context fields the step fills. */
static size_t
authz_memo_key(const struct authz_set *s, const struct pol_ctx *ctx,
    char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s%c%s%c%s%c%d%c%lld", ctx->action, 0,
	    ctx->resource ? ctx->resource : "*", 0,
	    ctx->source_ip ? ctx->source_ip : "", 0, ctx->secure_transport, 0,
	    s->timed ? (long long)ctx->now : 0LL);

	return n < 0 || (size_t)n >= len ? 0 : (size_t)n;
}

enum pol_decision
authz_set_eval(struct authz *az, struct authz_set *s,
    const struct pol_ctx *ctx)
{
	struct pol_result res;
	struct authz_memo *m;
	char key[1024];
	size_t klen = authz_memo_key(s, ctx, key, sizeof(key));
	uint64_t h = klen ? authz_fnv(key, klen) : 0;
	enum pol_decision d;
	int hit = 0;
	char *copy;

	if (klen) {
		m = &s->memo[h % AUTHZ_MEMO_SLOTS];
		pthread_mutex_lock(&s->memo_lock);
		if (m->key && m->hash == h && m->klen == klen &&
		    memcmp(m->key, key, klen) == 0) {
			d = m->d;
			hit = 1;
		}
		pthread_mutex_unlock(&s->memo_lock);
	}
	if (!hit) {
		pol_eval((const struct pol *const *)s->pols, s->n, ctx, &res);
		d = res.decision;
		if (klen && (copy = malloc(klen)) != NULL) {
			memcpy(copy, key, klen);
			pthread_mutex_lock(&s->memo_lock);
			free(m->key);
			*m = (struct authz_memo){ h, copy, klen, d };
			pthread_mutex_unlock(&s->memo_lock);
		}
	}
	__atomic_add_fetch(hit ? &az->stats.memo_hits : &az->stats.evals, 1,
	    __ATOMIC_RELAXED);
	return d;
}
