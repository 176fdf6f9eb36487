/*
 * nonce: replay protection. Remembers (AccessKeyId, nonce) pairs for at
 * least one window (15 minutes) in two generations of hash sets: a pair is
 * checked against both and inserted into the current one; every window the
 * older generation is dropped. A pair is thus remembered for between one
 * and two windows. Keys are the first 16 bytes of SHA-256(akid NUL nonce).
 * Capacity is bounded: a generation that reaches NONCE_MAX_PER_GEN entries
 * rotates early (documented in docs/compat.md); the timestamp window still
 * bounds any replay.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "api/auth.h"
#include "lib/err.h"

#define NONCE_MAX_PER_GEN (4u << 20)

struct nonce_set {
	unsigned char (*slot)[16];	/* all-zero = empty */
	size_t cap;			/* power of two */
	size_t n;
};

struct nonce_cache {
	pthread_mutex_t lock;
	struct nonce_set gen[2];	/* [0] current, [1] previous */
	int64_t window;
	int64_t gen_start;
};

static void
nonce_set_free(struct nonce_set *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

static size_t
nonce_hash(const unsigned char *k)
{
	size_t h;

	memcpy(&h, k, sizeof(h));
	return h;
}

static int
nonce_set_has(const struct nonce_set *s, const unsigned char *k)
{
	if (s->cap == 0)
		return 0;
	for (size_t i = nonce_hash(k) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		static const unsigned char zero[16];

		if (memcmp(s->slot[i], zero, 16) == 0)
			return 0;
		if (memcmp(s->slot[i], k, 16) == 0)
			return 1;
	}
}

static void
nonce_set_put_slot(struct nonce_set *s, const unsigned char *k)
{
	static const unsigned char zero[16];
	size_t i = nonce_hash(k) & (s->cap - 1);

	while (memcmp(s->slot[i], zero, 16) != 0)
		i = (i + 1) & (s->cap - 1);
	memcpy(s->slot[i], k, 16);
	s->n++;
}

static int
nonce_set_add(struct nonce_set *s, const unsigned char *k)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct nonce_set g = { NULL, s->cap ? s->cap * 2 : 1024, 0 };

		if ((g.slot = calloc(g.cap, 16)) == NULL)
			return -ERR_NOMEM;
		for (size_t i = 0; i < s->cap; i++) {
			static const unsigned char zero[16];

			if (memcmp(s->slot[i], zero, 16) != 0)
				nonce_set_put_slot(&g, s->slot[i]);
		}
		free(s->slot);
		*s = g;
	}
	nonce_set_put_slot(s, k);
	return 0;
}

int
nonce_cache_new(int64_t window, struct nonce_cache **out)
{
	struct nonce_cache *nc = calloc(1, sizeof(*nc));

	*out = NULL;
	if (nc == NULL)
		return -ERR_NOMEM;
	pthread_mutex_init(&nc->lock, NULL);
	nc->window = window > 0 ? window : 900;
	*out = nc;
	return 0;
}

void
nonce_cache_free(struct nonce_cache *nc)
{
	if (nc == NULL)
		return;
	nonce_set_free(&nc->gen[0]);
	nonce_set_free(&nc->gen[1]);
	pthread_mutex_destroy(&nc->lock);
	free(nc);
}

static void
nonce_rotate(struct nonce_cache *nc, int64_t now)
{
	nonce_set_free(&nc->gen[1]);
	nc->gen[1] = nc->gen[0];
	memset(&nc->gen[0], 0, sizeof(nc->gen[0]));
	nc->gen_start = now;
}

int
nonce_cache_check(struct nonce_cache *nc, const char *akid, const char *nonce,
    int64_t now)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int r = 0;

	if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1 ||
	    EVP_DigestUpdate(ctx, akid, strlen(akid) + 1) != 1 ||
	    EVP_DigestUpdate(ctx, nonce, strlen(nonce)) != 1 ||
	    EVP_DigestFinal_ex(ctx, md, &mdlen) != 1) {
		EVP_MD_CTX_free(ctx);
		return -ERR_INTERNAL;
	}
	EVP_MD_CTX_free(ctx);
	if (memcmp(md, (unsigned char[16]){ 0 }, 16) == 0)
		md[0] = 1;	/* all-zero marks an empty slot */

	pthread_mutex_lock(&nc->lock);
	if (nc->gen_start == 0)
		nc->gen_start = now;
	if (now - nc->gen_start >= nc->window)
		nonce_rotate(nc, now);
	if (nc->gen[0].n >= NONCE_MAX_PER_GEN)
		nonce_rotate(nc, now);
	if (nonce_set_has(&nc->gen[0], md) || nonce_set_has(&nc->gen[1], md))
		r = -ERR_NONCE_USED;
	else
		r = nonce_set_add(&nc->gen[0], md);
	pthread_mutex_unlock(&nc->lock);
	return r;
}
