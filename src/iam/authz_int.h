/*
 * authz_int: shared by authz.c (the step) and authz_cache.c (the compiled
 * policy sets of principals, keyed by account and principal).
 *
 * A set is immutable once built and reference-counted: the table holds
 * one reference while the set is cached, every user one more, so a set
 * replaced or evicted while a request evaluates with it stays valid until
 * released. Only `gen` and `used` change after creation (under the cache
 * lock), and the memo (under its own lock).
 */
#ifndef SEKISHO_AUTHZ_INT_H
#define SEKISHO_AUTHZ_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "iam/authz.h"
#include "iam/pol.h"
#include "store/store.h"

#define AUTHZ_BUCKETS 256
#define AUTHZ_MAX_SETS 4096
#define AUTHZ_MEMO_SLOTS 64		/* decisions remembered per set */

/*
 * A remembered decision of pol_eval() over a set. pol_eval() is a pure
 * function of the policies and the context, and the authorization step
 * fills only action, resource, source IP, secure transport and the time
 * (the other context fields are constant), so the key is those five —
 * the time only when a document of the set mentions acs:CurrentTime at
 * all (a conservative test on the text).
 */
struct authz_memo {
	uint64_t hash;
	char *key;			/* NULL: empty slot */
	size_t klen;
	enum pol_decision d;
};

struct authz_set {
	struct authz_set *next;		/* hash chain */
	unsigned refs;
	int cached;			/* in the table */
	uint64_t gen;			/* RAM generation the documents were read at */
	uint64_t used;			/* LRU tick */
	char digest[65];		/* SHA-256 (hex) over the document texts */
	int timed;			/* a document mentions acs:CurrentTime */
	pthread_mutex_t memo_lock;
	struct authz_memo *memo;	/* AUTHZ_MEMO_SLOTS, direct-mapped */
	struct pol **pols;
	size_t n;
	char key[];			/* "<account>\n<principal>" */
};

/*
 * The compiled policies of principal in account:
 *   "user:<name>"     the user's and its groups' (ramdb);
 *   "role:<name>"     the role's;
 *   "session:<akid>"  the session policy of an STS session (n == 0: the
 *                     session has none, i.e. no restriction).
 * A user or role that does not exist has no policies (n == 0).
 * in_tx: the caller holds a store transaction (else one is opened here
 * when the documents must be read). Sets read inside a transaction that
 * already wrote are not cached (their revision is not committed yet).
 * 0 with *out referenced (authz_set_put), or -ERR_x; a stored document
 * that no longer parses fails closed with -ERR_INTERNAL.
 */
int authz_set_get(struct authz *az, struct store *st, int in_tx,
    const char *account, const char *principal, struct authz_set **out);
/* Drops a reference (NULL-safe). */
void authz_set_put(struct authz *az, struct authz_set *s);

/*
 * pol_eval() of the set for ctx (built by authz_context()), through the
 * set's memo: the decision only (the caller needs no statements).
 */
enum pol_decision authz_set_eval(struct authz *az, struct authz_set *s,
    const struct pol_ctx *ctx);

#endif
