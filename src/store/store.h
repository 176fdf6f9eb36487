/*
 * store: sekisho's durable state behind one narrow interface, so that a
 * PostgreSQL backend can replace the embedded SQLite one later.
 *
 * Model: generic resources (id, kind, owning account, region, parent id,
 * a JSON document), access keys, accounts, idempotency records and a small
 * meta table. Every write happens inside a write transaction opened by the
 * API dispatcher (one transaction per API write); the first change in a
 * transaction bumps the global revision once, and every change is appended
 * to the change log under that revision (agents watch it).
 *
 * Concurrency: one connection guarded by one mutex; store_tx_begin() takes
 * it and store_tx_commit()/store_tx_abort() release it. Every other call
 * requires an open transaction (-ERR_INTERNAL otherwise). Another process
 * may write the same file (sekishod account create): a write transaction
 * re-reads the revision and sequence counters after taking SQLite's lock.
 * Durability: WAL; an acknowledged commit survives kill -9 (and, with
 * sync "full", the default, power loss).
 */
#ifndef SEKISHO_STORE_H
#define SEKISHO_STORE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

struct store;

struct store_opts {
	const char *path;	/* the SQLite file */
	int sync_full;		/* PRAGMA synchronous=FULL (else NORMAL) */
};

int store_open(const struct store_opts *o, struct store **out);
void store_close(struct store *st);	/* NULL-safe */

enum store_tx_kind { STORE_TX_READ, STORE_TX_WRITE };
int store_tx_begin(struct store *st, enum store_tx_kind kind);
int store_tx_commit(struct store *st);
void store_tx_abort(struct store *st);	/* NULL-safe; no-op without a tx */

/*
 * The global revision: inside the caller's own transaction, the tx's once
 * it wrote (else the last committed); store_committed_revision() may be
 * called from any thread at any time.
 */
uint64_t store_revision(struct store *st);
uint64_t store_committed_revision(struct store *st);

#define STORE_ID_MAX 64

struct store_res {
	char id[STORE_ID_MAX];
	char kind[32];
	char account[32];
	char region[64];
	char parent[STORE_ID_MAX];
	int64_t seq;		/* creation order, assigned on first put */
	uint64_t revision;	/* revision of the last change */
	json_t *doc;		/* owned; released by store_res_clear() */
};

void store_res_clear(struct store_res *r);
/* -ERR_NOT_FOUND when absent. Fills *out (caller clears). */
int store_res_get(struct store *st, const char *id, struct store_res *out);
/* Inserts or replaces (keeps seq); the doc is serialized, not taken. */
int store_res_put(struct store *st, struct store_res *r);
int store_res_del(struct store *st, const char *id);

struct store_filter {
	const char *account;	/* NULL = any */
	const char *kind;	/* required */
	const char *region;	/* NULL = any */
	const char *parent;	/* NULL = any */
	const char *instance;	/* NULL = any; else the doc's InstanceId
				 * (indexed: an instance's ENIs; the list
				 * is then in no particular order) */
};

struct store_res_list {
	struct store_res *v;
	size_t n;
};

/* All matching resources in creation order; caller frees with _list_free. */
int store_res_list(struct store *st, const struct store_filter *f,
    struct store_res_list *out);
void store_res_list_free(struct store_res_list *l);
int store_res_count(struct store *st, const struct store_filter *f,
    size_t *out);

/*
 * The change log: every put and del, in order, under its revision. parent
 * is the row's parent at the change ("" in entries written before schema
 * 3). store_changes() reads the entries with revision > since visible to
 * the caller's transaction, at most max of them (more = 1 when the log
 * holds more: read the resources instead).
 */
struct store_change {
	uint64_t revision;
	char id[STORE_ID_MAX];
	char kind[32];
	char parent[STORE_ID_MAX];
	int del;
};

struct store_changes {
	struct store_change *v;
	size_t n;
	int more;
};

int store_changes(struct store *st, uint64_t since, size_t max,
    struct store_changes *out);
void store_changes_free(struct store_changes *l);	/* NULL-safe fields */

/* Accounts and access keys. Secrets are stored as given (HMAC needs them). */
struct store_key {
	char id[128];
	char secret[128];
	char account[32];
	char principal[160];	/* "root", later "user:<name>" */
	char status[16];	/* "Active" | "Inactive" */
	int64_t created;
};

int store_account_put(struct store *st, const char *account_id, int64_t now);
int store_account_count(struct store *st, size_t *out);
int store_key_get(struct store *st, const char *id, struct store_key *out);
int store_key_put(struct store *st, const struct store_key *k);
/* -ERR_NOT_FOUND when absent. */
int store_key_del(struct store *st, const char *id);

/* Idempotency records (ClientToken). *response is malloc'd (caller frees). */
int store_idem_get(struct store *st, const char *account, const char *action,
    const char *token, char hash[65], char **response);
int store_idem_put(struct store *st, const char *account, const char *action,
    const char *token, const char *hash, const char *response, int64_t now);

/* Small settings; *out is malloc'd. -ERR_NOT_FOUND when absent. */
int store_meta_get(struct store *st, const char *key, char **out);
int store_meta_put(struct store *st, const char *key, const char *value);

#endif
