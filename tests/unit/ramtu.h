/*
 * ramtu: helpers shared by the RAM suites (ram_test.c, ram_pol_test.c) on
 * top of test_util.h: RAM calls with percent-encoded key/value pairs,
 * assertions on success and on exact error replies, and switching the
 * signing key (another account's root, a RAM user).
 * Header-only: each test binary includes it once.
 */
#ifndef SEKISHO_RAMTU_H
#define SEKISHO_RAMTU_H

#include <stdarg.h>

#include "iam/ramdb.h"
#include "lib/err.h"
#include "test_util.h"

#define RAMTU_NOW 1795000000

static struct tu_env env;

static int
ramtu_setup(void **state)
{
	(void)state;
	return tu_env_open(&env, RAMTU_NOW);
}

static int
ramtu_teardown(void **state)
{
	(void)state;
	tu_env_close(&env);
	return 0;
}

/* RAM call: action, then key, value, ... NULL (values percent-encoded). */
static void
ramtu_vcall(struct tu_reply *rp, const char *action, va_list ap)
{
	struct sb b = SB_INIT;
	const char *k, *v;

	sb_addf(&b, "Action=%s&Version=2015-05-01", action);
	while ((k = va_arg(ap, const char *)) != NULL) {
		v = va_arg(ap, const char *);
		sb_addf(&b, "&%s=", k);
		pct_encode(&b, v, strlen(v));
	}
	tu_v1(&env, "POST", NULL, sb_str(&b), rp);
	sb_free(&b);
}

static TU_UNUSED void __attribute__((sentinel))
ram(struct tu_reply *rp, const char *action, ...)
{
	va_list ap;

	va_start(ap, action);
	ramtu_vcall(rp, action, ap);
	va_end(ap);
}

/* A call that must succeed; returns the body (caller decrefs). */
static TU_UNUSED json_t * __attribute__((sentinel))
ok(const char *action, ...)
{
	struct tu_reply rp;
	json_t *j;
	va_list ap;

	va_start(ap, action);
	ramtu_vcall(&rp, action, ap);
	va_end(ap);
	if (rp.status != 200)
		fail_msg("%s: %d %s %s", action, rp.status, tu_code(&rp),
		    tu_message(&rp));
	assert_null(json_object_get(rp.json, "Code"));
	assert_non_null(json_object_get(rp.json, "RequestId"));
	j = rp.json;
	rp.json = NULL;
	return j;
}

/* A call that must succeed; the body is dropped. */
#define ok0(...) json_decref(ok(__VA_ARGS__))

/* A call that must fail with exactly this status and Code. */
static TU_UNUSED void __attribute__((sentinel))
fails(int status, const char *code, const char *action, ...)
{
	struct tu_reply rp;
	va_list ap;

	va_start(ap, action);
	ramtu_vcall(&rp, action, ap);
	va_end(ap);
	if (rp.status != status || strcmp(tu_code(&rp), code) != 0)
		fail_msg("%s: want %d %s, got %d %s (%s)", action, status, code,
		    rp.status, tu_code(&rp), tu_message(&rp));
	assert_string_equal(json_string_value(json_object_get(rp.json,
	    "HostId")), "ram.aliyuncs.com");
	tu_expect_error(&rp, status, code);
}

static TU_UNUSED const char *
jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* o.a.b... (NULL-terminated path of object keys). */
static TU_UNUSED json_t * __attribute__((sentinel))
jget(json_t *o, ...)
{
	const char *k;
	va_list ap;

	va_start(ap, o);
	while (o && (k = va_arg(ap, const char *)) != NULL)
		o = json_object_get(o, k);
	va_end(ap);
	return o;
}

/* {"A":{"B":[...]}} -> the array (asserted to be one). */
static TU_UNUSED json_t *
jlist(json_t *o, const char *outer, const char *inner)
{
	json_t *a = json_object_get(json_object_get(o, outer), inner);

	if (!json_is_array(a))
		fail_msg("%s.%s is not an array", outer, inner);
	return a;
}

/* Number of elements of the wrapped list of a successful call. */
static TU_UNUSED size_t
ramtu_count(json_t *body, const char *outer, const char *inner)
{
	size_t n = json_array_size(jlist(body, outer, inner));

	json_decref(body);
	return n;
}

/* A key pair kept for signing with (the env points into it). */
struct ramtu_key {
	char id[128];
	char secret[128];
};

/* Creates an AccessKey for user and returns it. */
static TU_UNUSED void
ramtu_user_key(const char *user, struct ramtu_key *k)
{
	json_t *j = ok("CreateAccessKey", "UserName", user, NULL);

	snprintf(k->id, sizeof(k->id), "%s", jstr(jget(j, "AccessKey", NULL),
	    "AccessKeyId"));
	snprintf(k->secret, sizeof(k->secret), "%s", jstr(jget(j, "AccessKey",
	    NULL), "AccessKeySecret"));
	json_decref(j);
}

/* Signs the following calls with k (NULL: back to the test root key). */
static TU_UNUSED void
ramtu_as(const struct ramtu_key *k)
{
	env.akid = k ? k->id : TU_AKID;
	env.secret = k ? k->secret : TU_SECRET;
}

/* A second account made the operator's way; *k is its root key. */
static TU_UNUSED void
ramtu_other_account(struct ramtu_key *k, char account[32])
{
	struct store_key sk;

	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(ramdb_account_create(env.st, "other", env.now, &sk), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
	snprintf(k->id, sizeof(k->id), "%s", sk.id);
	snprintf(k->secret, sizeof(k->secret), "%s", sk.secret);
	snprintf(account, 32, "%s", sk.account);
}

/* DescribeRegions as whoever signs now: 200, or the error it got. */
static TU_UNUSED void
ramtu_ecs_call(struct tu_reply *rp)
{
	tu_v1(&env, "GET", "Action=DescribeRegions&Version=2014-05-26", NULL,
	    rp);
}

/* A string of n copies of c (static buffer, n < 8192). */
static TU_UNUSED const char *
ramtu_rep(char c, size_t n)
{
	static char buf[8192];

	memset(buf, c, n);
	buf[n] = '\0';
	return buf;
}

#define RAMTU_DOC "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\"," \
	"\"Action\":\"ecs:Describe*\",\"Resource\":\"*\"}]}"
#define RAMTU_DOC2 "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Deny\"," \
	"\"Action\":\"ecs:*\",\"Resource\":\"*\"}]}"
#define RAMTU_TRUST "{\"Statement\":[{\"Action\":\"sts:AssumeRole\"," \
	"\"Effect\":\"Allow\",\"Principal\":{\"Service\":" \
	"[\"ecs.aliyuncs.com\"]}}],\"Version\":\"1\"}"

#endif
