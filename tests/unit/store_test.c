/*
 * store_test: the SQLite store — migrations, resources, revisions,
 * rollback, persistence across reopen, and durability of acknowledged
 * commits when the writing process is killed with SIGKILL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/err.h"
#include "store/store.h"

static char dir[] = "/tmp/sekisho-store-XXXXXX";
static char path[256];

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static struct store *
open_store(void)
{
	struct store_opts o = { path, 0 };
	struct store *st = NULL;

	assert_int_equal(store_open(&o, &st), 0);
	return st;
}

static void
put_res(struct store *st, const char *id, const char *kind,
    const char *account, const char *parent, int value)
{
	struct store_res r;

	memset(&r, 0, sizeof(r));
	snprintf(r.id, sizeof(r.id), "%s", id);
	snprintf(r.kind, sizeof(r.kind), "%s", kind);
	snprintf(r.account, sizeof(r.account), "%s", account);
	snprintf(r.region, sizeof(r.region), "cn-hangzhou");
	snprintf(r.parent, sizeof(r.parent), "%s", parent);
	r.doc = json_pack("{s:i}", "v", value);
	assert_int_equal(store_res_put(st, &r), 0);
	store_res_clear(&r);
}

static void
test_resources_and_revision(void **state)
{
	struct store *st = open_store();
	struct store_filter f = { "acct1", "vpc", NULL, NULL, NULL };
	struct store_res_list l;
	struct store_res r;
	uint64_t rev0 = store_revision(st);
	size_t n;

	(void)state;
	/* No call without a transaction. */
	assert_int_equal(store_res_get(st, "x", &r), -ERR_INTERNAL);

	assert_int_equal(store_tx_begin(st, STORE_TX_WRITE), 0);
	put_res(st, "vpc-1", "vpc", "acct1", "", 1);
	put_res(st, "vpc-2", "vpc", "acct1", "", 2);
	put_res(st, "vpc-3", "vpc", "acct2", "", 3);
	put_res(st, "vsw-1", "vswitch", "acct1", "vpc-1", 4);
	assert_int_equal(store_revision(st), rev0 + 1);	/* once per tx */
	assert_int_equal(store_tx_commit(st), 0);
	assert_int_equal(store_revision(st), rev0 + 1);

	assert_int_equal(store_tx_begin(st, STORE_TX_READ), 0);
	assert_int_equal(store_res_list(st, &f, &l), 0);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0].id, "vpc-1");	/* creation order */
	assert_string_equal(l.v[1].id, "vpc-2");
	assert_int_equal(json_integer_value(json_object_get(l.v[1].doc, "v")), 2);
	store_res_list_free(&l);
	f.account = NULL;
	assert_int_equal(store_res_count(st, &f, &n), 0);
	assert_int_equal(n, 3);
	f.kind = "vswitch";
	f.parent = "vpc-1";
	assert_int_equal(store_res_count(st, &f, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_res_get(st, "vsw-1", &r), 0);
	assert_string_equal(r.parent, "vpc-1");
	assert_int_equal(r.revision, rev0 + 1);
	store_res_clear(&r);
	assert_int_equal(store_res_get(st, "nope", &r), -ERR_NOT_FOUND);
	/* Writes need a write transaction. */
	assert_int_equal(store_res_del(st, "vpc-1"), -ERR_INTERNAL);
	store_tx_abort(st);

	/* Update keeps the creation order; delete logs and bumps. */
	assert_int_equal(store_tx_begin(st, STORE_TX_WRITE), 0);
	put_res(st, "vpc-1", "vpc", "acct1", "", 10);
	assert_int_equal(store_res_del(st, "vpc-2"), 0);
	assert_int_equal(store_res_del(st, "vpc-2"), -ERR_NOT_FOUND);
	assert_int_equal(store_tx_commit(st), 0);
	assert_int_equal(store_revision(st), rev0 + 2);
	store_close(st);

	/* Everything persisted. */
	st = open_store();
	assert_int_equal(store_revision(st), rev0 + 2);
	assert_int_equal(store_tx_begin(st, STORE_TX_READ), 0);
	f.kind = "vpc";
	f.account = "acct1";
	f.parent = NULL;
	assert_int_equal(store_res_list(st, &f, &l), 0);
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0].id, "vpc-1");
	assert_int_equal(json_integer_value(json_object_get(l.v[0].doc, "v")), 10);
	store_res_list_free(&l);
	store_tx_abort(st);
	store_close(st);
}

static void
test_rollback(void **state)
{
	struct store *st = open_store();
	uint64_t rev = store_revision(st);
	struct store_res r;

	(void)state;
	assert_int_equal(store_tx_begin(st, STORE_TX_WRITE), 0);
	put_res(st, "gone-1", "vpc", "acct1", "", 1);
	store_tx_abort(st);
	assert_int_equal(store_revision(st), rev);
	assert_int_equal(store_tx_begin(st, STORE_TX_READ), 0);
	assert_int_equal(store_res_get(st, "gone-1", &r), -ERR_NOT_FOUND);
	store_tx_abort(st);
	store_tx_abort(st);	/* no tx: no-op */
	store_close(st);
	store_close(NULL);
}

static void
test_keys_idem_meta(void **state)
{
	struct store *st = open_store();
	struct store_key k, got;
	char hash[65], *resp = NULL, *v = NULL;
	size_t n;

	(void)state;
	memset(&k, 0, sizeof(k));
	snprintf(k.id, sizeof(k.id), "LTAIkey");
	snprintf(k.secret, sizeof(k.secret), "s3cret");
	snprintf(k.account, sizeof(k.account), "1234567890123456");
	snprintf(k.principal, sizeof(k.principal), "root");
	snprintf(k.status, sizeof(k.status), "Active");
	assert_int_equal(store_tx_begin(st, STORE_TX_WRITE), 0);
	assert_int_equal(store_account_put(st, k.account, 1), 0);
	assert_int_equal(store_account_put(st, k.account, 1), 0);
	assert_int_equal(store_key_put(st, &k), 0);
	assert_int_equal(store_idem_put(st, "a", "CreateVpc", "tok", "h1",
	    "{\"VpcId\":\"vpc-1\"}", 1), 0);
	assert_int_equal(store_idem_put(st, "a", "CreateVpc", "tok", "h2", "{}", 1),
	    -ERR_STORE);	/* a token is recorded once */
	assert_int_equal(store_meta_put(st, "k", "v1"), 0);
	assert_int_equal(store_meta_put(st, "k", "v2"), 0);
	assert_int_equal(store_tx_commit(st), 0);

	assert_int_equal(store_tx_begin(st, STORE_TX_READ), 0);
	assert_int_equal(store_account_count(st, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_key_get(st, "LTAIkey", &got), 0);
	assert_string_equal(got.secret, "s3cret");
	assert_string_equal(got.status, "Active");
	assert_int_equal(store_key_get(st, "other", &got), -ERR_NOT_FOUND);
	assert_int_equal(store_idem_get(st, "a", "CreateVpc", "tok", hash, &resp), 0);
	assert_string_equal(hash, "h1");
	assert_string_equal(resp, "{\"VpcId\":\"vpc-1\"}");
	free(resp);
	assert_int_equal(store_idem_get(st, "b", "CreateVpc", "tok", hash, &resp),
	    -ERR_NOT_FOUND);
	assert_int_equal(store_meta_get(st, "k", &v), 0);
	assert_string_equal(v, "v2");
	free(v);
	store_tx_abort(st);
	store_close(st);
}

/*
 * A child commits one resource per transaction and writes each id to a
 * pipe only after its commit returned. The parent SIGKILLs it mid-stream;
 * every id the child acknowledged must be in the reopened store.
 */
static void
test_kill9_durability(void **state)
{
	int fds[2], status;
	char line[64], buf[1 << 16];
	size_t have = 0, acked = 0;
	pid_t pid;
	ssize_t n;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct store_opts o = { path, 0 };
		struct store *st;

		close(fds[0]);
		if (store_open(&o, &st) < 0)
			_exit(3);
		for (int i = 0;; i++) {
			struct store_res r;
			int len;

			memset(&r, 0, sizeof(r));
			snprintf(r.id, sizeof(r.id), "k9-%d", i);
			snprintf(r.kind, sizeof(r.kind), "k9");
			snprintf(r.account, sizeof(r.account), "a");
			r.doc = json_pack("{s:i}", "i", i);
			if (store_tx_begin(st, STORE_TX_WRITE) < 0 ||
			    store_res_put(st, &r) < 0 || store_tx_commit(st) < 0)
				_exit(4);
			json_decref(r.doc);
			len = snprintf(line, sizeof(line), "%s\n", r.id);
			if (write(fds[1], line, (size_t)len) != len)
				_exit(5);
		}
	}
	close(fds[1]);
	/* Let it acknowledge a few hundred writes, then kill it mid-stream. */
	while (acked < 300 && (n = read(fds[0], buf + have,
	    sizeof(buf) - have - 1)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			acked += buf[have + (size_t)i] == '\n';
		have += (size_t)n;
	}
	acked = 0;
	kill(pid, SIGKILL);
	while ((n = read(fds[0], buf + have, sizeof(buf) - have - 1)) > 0)
		have += (size_t)n;
	close(fds[0]);
	waitpid(pid, &status, 0);
	assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	buf[have] = '\0';

	{
		struct store *st = open_store();
		char *save = NULL;

		assert_int_equal(store_tx_begin(st, STORE_TX_READ), 0);
		for (char *id = strtok_r(buf, "\n", &save); id;
		    id = strtok_r(NULL, "\n", &save)) {
			struct store_res r;

			if (strncmp(id, "k9-", 3) != 0)
				continue;	/* a torn last line */
			assert_int_equal(store_res_get(st, id, &r), 0);
			store_res_clear(&r);
			acked++;
		}
		store_tx_abort(st);
		store_close(st);
	}
	assert_true(acked >= 300);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resources_and_revision),
		cmocka_unit_test(test_rollback),
		cmocka_unit_test(test_keys_idem_meta),
		cmocka_unit_test(test_kill9_durability),
	};

	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
