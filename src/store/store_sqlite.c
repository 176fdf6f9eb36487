/*
 * store_sqlite: the embedded SQLite backend of store.h.
 * Schema changes are numbered migrations applied in order at open
 * (PRAGMA user_version records how many ran); never edit a shipped one.
 */
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "lib/err.h"

static const char *const store_migrations[] = {
	/* 1: the foundation. */
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT INTO meta VALUES('revision', '0');"
	"CREATE TABLE accounts(id TEXT PRIMARY KEY, created INTEGER NOT NULL);"
	"CREATE TABLE access_keys(id TEXT PRIMARY KEY, secret TEXT NOT NULL,"
	" account_id TEXT NOT NULL, principal TEXT NOT NULL,"
	" status TEXT NOT NULL, created INTEGER NOT NULL);"
	"CREATE TABLE resources(id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
	" account_id TEXT NOT NULL, region TEXT NOT NULL,"
	" parent TEXT NOT NULL DEFAULT '', seq INTEGER NOT NULL,"
	" revision INTEGER NOT NULL, doc TEXT NOT NULL);"
	"CREATE INDEX resources_kind ON resources(kind, account_id, region, seq);"
	"CREATE INDEX resources_parent ON resources(parent, kind);"
	"CREATE TABLE changes(revision INTEGER NOT NULL, id TEXT NOT NULL,"
	" kind TEXT NOT NULL, op TEXT NOT NULL);"
	"CREATE INDEX changes_revision ON changes(revision);"
	"CREATE TABLE idempotency(account_id TEXT NOT NULL, action TEXT NOT NULL,"
	" token TEXT NOT NULL, params_hash TEXT NOT NULL, response TEXT NOT NULL,"
	" created INTEGER NOT NULL, PRIMARY KEY(account_id, action, token));",
	/* 2: write transactions re-read MAX(seq) (another process may write). */
	"CREATE INDEX resources_seq ON resources(seq);",
	/* 3: the change log names the row's parent (a deleted rule's group),
	 * so agents can be sent what changed instead of everything. */
	"ALTER TABLE changes ADD COLUMN parent TEXT NOT NULL DEFAULT '';",
	/* 4: an instance's ENIs without reading every ENI of the account. */
	("CREATE INDEX resources_instance ON resources("
	" json_extract(doc, '$.InstanceId'), kind, account_id, region);"),
};

enum store_stmt_id {
	SQ_BEGIN_READ, SQ_BEGIN_WRITE, SQ_COMMIT, SQ_ROLLBACK,
	SQ_RES_GET, SQ_RES_PUT, SQ_RES_DEL, SQ_CHANGE, SQ_REV_SET,
	SQ_KEY_GET, SQ_KEY_PUT, SQ_KEY_DEL, SQ_ACCOUNT_PUT, SQ_ACCOUNT_COUNT,
	SQ_IDEM_GET, SQ_IDEM_PUT, SQ_META_GET, SQ_META_PUT,
	SQ__COUNT
};

static const char *const store_sql[SQ__COUNT] = {
	[SQ_BEGIN_READ] = "BEGIN",
	[SQ_BEGIN_WRITE] = "BEGIN IMMEDIATE",
	[SQ_COMMIT] = "COMMIT",
	[SQ_ROLLBACK] = "ROLLBACK",
	[SQ_RES_GET] = "SELECT id, kind, account_id, region, parent, seq,"
	    " revision, doc FROM resources WHERE id = ?1",
	[SQ_RES_PUT] = "INSERT INTO resources(id, kind, account_id, region,"
	    " parent, seq, revision, doc) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
	    " ON CONFLICT(id) DO UPDATE SET parent = excluded.parent,"
	    " revision = excluded.revision, doc = excluded.doc",
	[SQ_RES_DEL] = "DELETE FROM resources WHERE id = ?1 RETURNING kind, parent",
	[SQ_CHANGE] = "INSERT INTO changes(revision, id, kind, op, parent)"
	    " VALUES(?1, ?2, ?3, ?4, ?5)",
	[SQ_REV_SET] = "UPDATE meta SET value = ?1 WHERE key = 'revision'",
	[SQ_KEY_GET] = "SELECT id, secret, account_id, principal, status,"
	    " created FROM access_keys WHERE id = ?1",
	[SQ_KEY_PUT] = "INSERT OR REPLACE INTO access_keys(id, secret,"
	    " account_id, principal, status, created)"
	    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[SQ_KEY_DEL] = "DELETE FROM access_keys WHERE id = ?1",
	[SQ_ACCOUNT_PUT] = "INSERT OR IGNORE INTO accounts(id, created)"
	    " VALUES(?1, ?2)",
	[SQ_ACCOUNT_COUNT] = "SELECT COUNT(*) FROM accounts",
	[SQ_IDEM_GET] = "SELECT params_hash, response FROM idempotency"
	    " WHERE account_id = ?1 AND action = ?2 AND token = ?3",
	[SQ_IDEM_PUT] = "INSERT INTO idempotency(account_id, action, token,"
	    " params_hash, response, created) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
	[SQ_META_GET] = "SELECT value FROM meta WHERE key = ?1",
	[SQ_META_PUT] = "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)",
};

struct store {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQ__COUNT];
	pthread_mutex_t lock;
	int in_tx;		/* 0, or 1 + enum store_tx_kind */
	uint64_t revision;	/* committed */
	uint64_t tx_revision;	/* revision of the open tx once it wrote, else 0 */
	int64_t next_seq;
};

static int
store_exec(struct store *st, const char *sql)
{
	return sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK ?
	    0 : -ERR_STORE;
}

/* Resets and returns the cached statement. */
static sqlite3_stmt *
store_stmt(struct store *st, enum store_stmt_id id)
{
	sqlite3_stmt *s = st->stmt[id];

	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static int
store_step_done(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -ERR_STORE;
}

static void
store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

static void
store_copy(char *dst, size_t len, const unsigned char *src)
{
	snprintf(dst, len, "%s", src ? (const char *)src : "");
}

static int
store_migrate(struct store *st)
{
	size_t n = sizeof(store_migrations) / sizeof(store_migrations[0]);
	sqlite3_stmt *s = NULL;
	int version = 0, r = 0;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s, NULL))
		return -ERR_STORE;
	if (sqlite3_step(s) == SQLITE_ROW)
		version = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (version > (int)n)
		return -ERR_STORE;	/* a newer sekisho wrote this file */
	for (size_t i = (size_t)version; i < n && r == 0; i++) {
		char pragma[64];

		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %zu", i + 1);
		if ((r = store_exec(st, "BEGIN IMMEDIATE")) < 0)
			break;
		if ((r = store_exec(st, store_migrations[i])) == 0)
			r = store_exec(st, pragma);
		if (r == 0)
			r = store_exec(st, "COMMIT");
		else
			store_exec(st, "ROLLBACK");
	}
	return r;
}

static int
store_load_counters(struct store *st)
{
	sqlite3_stmt *s = NULL;
	int r = -ERR_STORE;

	if (sqlite3_prepare_v2(st->db, "SELECT (SELECT CAST(value AS INTEGER)"
	    " FROM meta WHERE key = 'revision'), (SELECT IFNULL(MAX(seq), 0)"
	    " FROM resources)", -1, &s, NULL))
		return r;
	if (sqlite3_step(s) == SQLITE_ROW) {
		st->revision = (uint64_t)sqlite3_column_int64(s, 0);
		st->next_seq = sqlite3_column_int64(s, 1) + 1;
		r = 0;
	}
	sqlite3_finalize(s);
	return r;
}

int
store_open(const struct store_opts *o, struct store **out)
{
	struct store *st;
	int r = -ERR_STORE;

	*out = NULL;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return -ERR_NOMEM;
	pthread_mutex_init(&st->lock, NULL);
	if (sqlite3_open_v2(o->path, &st->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
		goto out;
	sqlite3_busy_timeout(st->db, 5000);
	if (store_exec(st, "PRAGMA journal_mode = WAL") < 0 ||
	    store_exec(st, o->sync_full ? "PRAGMA synchronous = FULL" :
	    "PRAGMA synchronous = NORMAL") < 0 ||
	    store_exec(st, "PRAGMA foreign_keys = ON") < 0)
		goto out;
	if ((r = store_migrate(st)) < 0)
		goto out;
	r = -ERR_STORE;
	for (int i = 0; i < SQ__COUNT; i++)
		if (sqlite3_prepare_v3(st->db, store_sql[i], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[i], NULL) != SQLITE_OK)
			goto out;
	if ((r = store_load_counters(st)) < 0)
		goto out;
	*out = st;
	st = NULL;
	r = 0;
out:
	store_close(st);
	return r;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	for (int i = 0; i < SQ__COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	pthread_mutex_destroy(&st->lock);
	free(st);
}

int
store_tx_begin(struct store *st, enum store_tx_kind kind)
{
	pthread_mutex_lock(&st->lock);
	if (store_step_done(store_stmt(st, kind == STORE_TX_WRITE ?
	    SQ_BEGIN_WRITE : SQ_BEGIN_READ)) < 0) {
		pthread_mutex_unlock(&st->lock);
		return -ERR_STORE;
	}
	st->in_tx = 1 + (int)kind;
	st->tx_revision = 0;
	if (kind == STORE_TX_WRITE && store_load_counters(st) < 0) {
		store_tx_abort(st);
		return -ERR_STORE;
	}
	return 0;
}

int
store_tx_commit(struct store *st)
{
	int r;

	if (!st->in_tx)
		return -ERR_INTERNAL;
	r = store_step_done(store_stmt(st, SQ_COMMIT));
	if (r < 0) {
		store_tx_abort(st);
		return r;
	}
	if (st->tx_revision)
		__atomic_store_n(&st->revision, st->tx_revision, __ATOMIC_RELEASE);
	st->in_tx = 0;
	st->tx_revision = 0;
	pthread_mutex_unlock(&st->lock);
	return 0;
}

void
store_tx_abort(struct store *st)
{
	if (st == NULL || !st->in_tx)
		return;
	store_step_done(store_stmt(st, SQ_ROLLBACK));
	st->in_tx = 0;
	st->tx_revision = 0;
	pthread_mutex_unlock(&st->lock);
}

uint64_t
store_revision(struct store *st)
{
	return st->tx_revision ? st->tx_revision : st->revision;
}

uint64_t
store_committed_revision(struct store *st)
{
	return __atomic_load_n(&st->revision, __ATOMIC_ACQUIRE);
}

static int
store_need_write(struct store *st)
{
	return st->in_tx == 1 + STORE_TX_WRITE ? 0 : -ERR_INTERNAL;
}

/* Records one change; the first one of the transaction bumps the revision. */
static int
store_log_change(struct store *st, const char *id, const char *kind,
    const char *parent, const char *op)
{
	sqlite3_stmt *s;
	int r;

	if (st->tx_revision == 0) {
		char buf[32];

		st->tx_revision = st->revision + 1;
		snprintf(buf, sizeof(buf), "%llu",
		    (unsigned long long)st->tx_revision);
		s = store_stmt(st, SQ_REV_SET);
		store_bind_text(s, 1, buf);
		if ((r = store_step_done(s)) < 0)
			return r;
	}
	s = store_stmt(st, SQ_CHANGE);
	sqlite3_bind_int64(s, 1, (sqlite3_int64)st->tx_revision);
	store_bind_text(s, 2, id);
	store_bind_text(s, 3, kind);
	store_bind_text(s, 4, op);
	store_bind_text(s, 5, parent);
	return store_step_done(s);
}

void
store_res_clear(struct store_res *r)
{
	if (r == NULL)
		return;
	json_decref(r->doc);
	memset(r, 0, sizeof(*r));
}

static int
store_res_row(sqlite3_stmt *s, struct store_res *out)
{
	const char *doc = (const char *)sqlite3_column_text(s, 7);

	memset(out, 0, sizeof(*out));
	store_copy(out->id, sizeof(out->id), sqlite3_column_text(s, 0));
	store_copy(out->kind, sizeof(out->kind), sqlite3_column_text(s, 1));
	store_copy(out->account, sizeof(out->account), sqlite3_column_text(s, 2));
	store_copy(out->region, sizeof(out->region), sqlite3_column_text(s, 3));
	store_copy(out->parent, sizeof(out->parent), sqlite3_column_text(s, 4));
	out->seq = sqlite3_column_int64(s, 5);
	out->revision = (uint64_t)sqlite3_column_int64(s, 6);
	out->doc = json_loads(doc ? doc : "{}", 0, NULL);
	return out->doc ? 0 : -ERR_STORE;
}

int
store_res_get(struct store *st, const char *id, struct store_res *out)
{
	sqlite3_stmt *s;
	int rc, r;

	memset(out, 0, sizeof(*out));
	if (!st->in_tx)
		return -ERR_INTERNAL;
	s = store_stmt(st, SQ_RES_GET);
	store_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		r = store_res_row(s, out);
	else
		r = rc == SQLITE_DONE ? -ERR_NOT_FOUND : -ERR_STORE;
	sqlite3_reset(s);
	return r;
}

int
store_res_put(struct store *st, struct store_res *res)
{
	sqlite3_stmt *s;
	char *doc = NULL;
	int r;

	if ((r = store_need_write(st)) < 0)
		return r;
	if ((r = store_log_change(st, res->id, res->kind, res->parent,
	    "put")) < 0)
		return r;
	if ((doc = json_dumps(res->doc ? res->doc : json_object(),
	    JSON_COMPACT)) == NULL)
		return -ERR_NOMEM;
	if (res->seq == 0)
		res->seq = st->next_seq++;
	res->revision = st->tx_revision;
	s = store_stmt(st, SQ_RES_PUT);
	store_bind_text(s, 1, res->id);
	store_bind_text(s, 2, res->kind);
	store_bind_text(s, 3, res->account);
	store_bind_text(s, 4, res->region);
	store_bind_text(s, 5, res->parent);
	sqlite3_bind_int64(s, 6, res->seq);
	sqlite3_bind_int64(s, 7, (sqlite3_int64)res->revision);
	store_bind_text(s, 8, doc);
	r = store_step_done(s);
	free(doc);
	return r;
}

int
store_res_del(struct store *st, const char *id)
{
	char kind[32] = "", parent[STORE_ID_MAX] = "";
	sqlite3_stmt *s;
	int rc, r;

	if ((r = store_need_write(st)) < 0)
		return r;
	s = store_stmt(st, SQ_RES_DEL);
	store_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_copy(kind, sizeof(kind), sqlite3_column_text(s, 0));
		store_copy(parent, sizeof(parent), sqlite3_column_text(s, 1));
	}
	while (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return -ERR_STORE;
	if (kind[0] == '\0')
		return -ERR_NOT_FOUND;
	return store_log_change(st, id, kind, parent, "del");
}

int
store_changes(struct store *st, uint64_t since, size_t max,
    struct store_changes *out)
{
	sqlite3_stmt *s = NULL;
	int rc, r = 0;

	memset(out, 0, sizeof(*out));
	if (!st->in_tx)
		return -ERR_INTERNAL;
	if (sqlite3_prepare_v2(st->db, "SELECT revision, id, kind, parent,"
	    " op FROM changes WHERE revision > ?1 ORDER BY rowid LIMIT ?2",
	    -1, &s, NULL) != SQLITE_OK)
		return -ERR_STORE;
	sqlite3_bind_int64(s, 1, (sqlite3_int64)since);
	sqlite3_bind_int64(s, 2, (sqlite3_int64)max + 1);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_change *c;

		if (out->n == max) {
			out->more = 1;
			break;
		}
		if (out->n % 64 == 0) {
			void *v = realloc(out->v, (out->n + 64) * sizeof(*c));

			if (v == NULL) {
				r = -ERR_NOMEM;
				break;
			}
			out->v = v;
		}
		c = &out->v[out->n++];
		c->revision = (uint64_t)sqlite3_column_int64(s, 0);
		store_copy(c->id, sizeof(c->id), sqlite3_column_text(s, 1));
		store_copy(c->kind, sizeof(c->kind), sqlite3_column_text(s, 2));
		store_copy(c->parent, sizeof(c->parent),
		    sqlite3_column_text(s, 3));
		c->del = strcmp((const char *)sqlite3_column_text(s, 4),
		    "del") == 0;
	}
	if (r == 0 && rc != SQLITE_ROW && rc != SQLITE_DONE)
		r = -ERR_STORE;
	sqlite3_finalize(s);
	if (r < 0)
		store_changes_free(out);
	return r;
}

void
store_changes_free(struct store_changes *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Builds "... WHERE kind = ? [AND account_id = ?] ..." for a filter. */
static int
store_filter_prepare(struct store *st, const char *what,
    const struct store_filter *f, sqlite3_stmt **out)
{
	char sql[512];

	snprintf(sql, sizeof(sql), "SELECT %s FROM resources WHERE kind = ?1%s%s%s"
	    "%s%s", what,
	    f->account ? " AND account_id = ?2" : "",
	    f->region ? " AND region = ?3" : "",
	    f->parent ? " AND parent = ?4" : "",
	    /* the expression of index resources_instance, literally */
	    f->instance ? " AND json_extract(doc, '$.InstanceId') = ?5" : "",
	    /* (ordering by seq would make resources_kind look cheaper) */
	    strncmp(what, "COUNT", 5) && !f->instance ? " ORDER BY seq" : "");
	if (sqlite3_prepare_v2(st->db, sql, -1, out, NULL) != SQLITE_OK)
		return -ERR_STORE;
	store_bind_text(*out, 1, f->kind);
	if (f->account)
		store_bind_text(*out, 2, f->account);
	if (f->region)
		store_bind_text(*out, 3, f->region);
	if (f->parent)
		store_bind_text(*out, 4, f->parent);
	if (f->instance)
		store_bind_text(*out, 5, f->instance);
	return 0;
}

int
store_res_list(struct store *st, const struct store_filter *f,
    struct store_res_list *out)
{
	sqlite3_stmt *s = NULL;
	size_t cap = 0;
	int rc, r;

	memset(out, 0, sizeof(*out));
	if (!st->in_tx || f->kind == NULL)
		return -ERR_INTERNAL;
	if ((r = store_filter_prepare(st, "id, kind, account_id, region, parent,"
	    " seq, revision, doc", f, &s)) < 0)
		return r;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (out->n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct store_res *v = realloc(out->v, ncap * sizeof(*v));

			if (v == NULL) {
				r = -ERR_NOMEM;
				goto out;
			}
			out->v = v;
			cap = ncap;
		}
		if ((r = store_res_row(s, &out->v[out->n])) < 0)
			goto out;
		out->n++;
	}
	r = rc == SQLITE_DONE ? 0 : -ERR_STORE;
out:
	sqlite3_finalize(s);
	if (r < 0)
		store_res_list_free(out);
	return r;
}

void
store_res_list_free(struct store_res_list *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		store_res_clear(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

int
store_res_count(struct store *st, const struct store_filter *f, size_t *out)
{
	sqlite3_stmt *s = NULL;
	int r;

	*out = 0;
	if (!st->in_tx || f->kind == NULL)
		return -ERR_INTERNAL;
	if ((r = store_filter_prepare(st, "COUNT(*)", f, &s)) < 0)
		return r;
	if (sqlite3_step(s) == SQLITE_ROW)
		*out = (size_t)sqlite3_column_int64(s, 0);
	else
		r = -ERR_STORE;
	sqlite3_finalize(s);
	return r;
}

int
store_account_put(struct store *st, const char *account_id, int64_t now)
{
	sqlite3_stmt *s;
	int r;

	if ((r = store_need_write(st)) < 0)
		return r;
	s = store_stmt(st, SQ_ACCOUNT_PUT);
	store_bind_text(s, 1, account_id);
	sqlite3_bind_int64(s, 2, now);
	if ((r = store_step_done(s)) < 0)
		return r;
	return store_log_change(st, account_id, "account", "", "put");
}

int
store_account_count(struct store *st, size_t *out)
{
	sqlite3_stmt *s;
	int r = -ERR_STORE;

	*out = 0;
	if (!st->in_tx)
		return -ERR_INTERNAL;
	s = store_stmt(st, SQ_ACCOUNT_COUNT);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*out = (size_t)sqlite3_column_int64(s, 0);
		r = 0;
	}
	sqlite3_reset(s);
	return r;
}

int
store_key_get(struct store *st, const char *id, struct store_key *out)
{
	sqlite3_stmt *s;
	int rc, r = -ERR_NOT_FOUND;

	memset(out, 0, sizeof(*out));
	if (!st->in_tx)
		return -ERR_INTERNAL;
	s = store_stmt(st, SQ_KEY_GET);
	store_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_copy(out->id, sizeof(out->id), sqlite3_column_text(s, 0));
		store_copy(out->secret, sizeof(out->secret), sqlite3_column_text(s, 1));
		store_copy(out->account, sizeof(out->account), sqlite3_column_text(s, 2));
		store_copy(out->principal, sizeof(out->principal), sqlite3_column_text(s, 3));
		store_copy(out->status, sizeof(out->status), sqlite3_column_text(s, 4));
		out->created = sqlite3_column_int64(s, 5);
		r = 0;
	} else if (rc != SQLITE_DONE) {
		r = -ERR_STORE;
	}
	sqlite3_reset(s);
	return r;
}

int
store_key_del(struct store *st, const char *id)
{
	sqlite3_stmt *s;
	int r;

	if ((r = store_need_write(st)) < 0)
		return r;
	s = store_stmt(st, SQ_KEY_DEL);
	store_bind_text(s, 1, id);
	if ((r = store_step_done(s)) < 0)
		return r;
	if (sqlite3_changes(st->db) == 0)
		return -ERR_NOT_FOUND;
	return store_log_change(st, id, "accesskey", "", "del");
}

int
store_key_put(struct store *st, const struct store_key *k)
{
	sqlite3_stmt *s;
	int r;

	if ((r = store_need_write(st)) < 0)
		return r;
	s = store_stmt(st, SQ_KEY_PUT);
	store_bind_text(s, 1, k->id);
	store_bind_text(s, 2, k->secret);
	store_bind_text(s, 3, k->account);
	store_bind_text(s, 4, k->principal);
	store_bind_text(s, 5, k->status);
	sqlite3_bind_int64(s, 6, k->created);
	if ((r = store_step_done(s)) < 0)
		return r;
	return store_log_change(st, k->id, "accesskey", "", "put");
}

int
store_idem_get(struct store *st, const char *account, const char *action,
    const char *token, char hash[65], char **response)
{
	sqlite3_stmt *s;
	int rc, r = -ERR_NOT_FOUND;

	*response = NULL;
	if (!st->in_tx)
		return -ERR_INTERNAL;
	s = store_stmt(st, SQ_IDEM_GET);
	store_bind_text(s, 1, account);
	store_bind_text(s, 2, action);
	store_bind_text(s, 3, token);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		store_copy(hash, 65, sqlite3_column_text(s, 0));
		*response = strdup((const char *)sqlite3_column_text(s, 1));
		r = *response ? 0 : -ERR_NOMEM;
	} else if (rc != SQLITE_DONE) {
		r = -ERR_STORE;
	}
	sqlite3_reset(s);
	return r;
}

int
store_idem_put(struct store *st, const char *account, const char *action,
    const char *token, const char *hash, const char *response, int64_t now)
{
	sqlite3_stmt *s;
	int r;

	if ((r = store_need_write(st)) < 0)
		return r;
	s = store_stmt(st, SQ_IDEM_PUT);
	store_bind_text(s, 1, account);
	store_bind_text(s, 2, action);
	store_bind_text(s, 3, token);
	store_bind_text(s, 4, hash);
	store_bind_text(s, 5, response);
	sqlite3_bind_int64(s, 6, now);
	return store_step_done(s);
}

int
store_meta_get(struct store *st, const char *key, char **out)
{
	sqlite3_stmt *s;
	int rc, r = -ERR_NOT_FOUND;

	*out = NULL;
	if (!st->in_tx)
		return -ERR_INTERNAL;
	s = store_stmt(st, SQ_META_GET);
	store_bind_text(s, 1, key);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*out = strdup((const char *)sqlite3_column_text(s, 0));
		r = *out ? 0 : -ERR_NOMEM;
	} else if (rc != SQLITE_DONE) {
		r = -ERR_STORE;
	}
	sqlite3_reset(s);
	return r;
}

int
store_meta_put(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *s;
	int r;

	if ((r = store_need_write(st)) < 0)
		return r;
	s = store_stmt(st, SQ_META_PUT);
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, value);
	return store_step_done(s);
}
