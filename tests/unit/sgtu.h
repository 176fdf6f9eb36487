/*
 * sgtu: helpers shared by the security-group suites (sg_test.c,
 * sg_rule_test.c) on top of test_util.h: ECS/VPC calls, assertions on
 * success and on error replies, fixtures (VPCs, groups, a second account).
 * Header-only: each test binary includes it once.
 */
#ifndef SEKISHO_SGTU_H
#define SEKISHO_SGTU_H

#include <stdarg.h>

#include "api/api_int.h"
#include "test_util.h"

#define SGTU_NOW 1795000000
#define SGTU_OTHER_AKID "LTAIotheraccount"
#define SGTU_OTHER_SECRET "otheraccountsecret"
#define SGTU_OTHER_ACCOUNT "1888888888888888"

static struct tu_env env;

static int
sgtu_setup(void **state)
{
	(void)state;
	return tu_env_open(&env, SGTU_NOW);
}

static int
sgtu_teardown(void **state)
{
	(void)state;
	tu_env_close(&env);
	return 0;
}

/* An ECS call "Action&k=v..." (V1, GET); the reply is the caller's. */
static TU_UNUSED void __attribute__((format(printf, 2, 3)))
ecs(struct tu_reply *rp, const char *fmt, ...)
{
	char q[16384], full[16500];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "Version=2014-05-26&Action=%s", q);
	tu_v1(&env, "GET", full, NULL, rp);
}

static TU_UNUSED const char *
jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static TU_UNUSED json_int_t
jint(const json_t *o, const char *key)
{
	return json_integer_value(json_object_get(o, key));
}

/* {"A":{"B":[...]}} -> the array (asserted to be one). */
static TU_UNUSED json_t *
jlist(const json_t *o, const char *outer, const char *inner)
{
	json_t *a = json_object_get(json_object_get(o, outer), inner);

	assert_true(json_is_array(a));
	return a;
}

/* An ECS call that must succeed; returns the reply body (json_decref). */
static TU_UNUSED json_t * __attribute__((format(printf, 1, 2)))
ok(const char *fmt, ...)
{
	char q[16384];
	struct tu_reply rp;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	ecs(&rp, "%s", q);
	if (rp.status != 200)
		fail_msg("%.200s: %d %s %s", q, rp.status, tu_code(&rp),
		    tu_message(&rp));
	return rp.json;
}

/* An ECS call that must fail with exactly (status, code). */
static TU_UNUSED void __attribute__((format(printf, 3, 4)))
bad(int status, const char *code, const char *fmt, ...)
{
	char q[16384];
	struct tu_reply rp;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	ecs(&rp, "%s", q);
	if (rp.status != status || strcmp(tu_code(&rp), code) != 0)
		fail_msg("%.300s: want %d %s, got %d %s (%s)", q, status, code,
		    rp.status, tu_code(&rp), tu_message(&rp));
	tu_expect_error(&rp, status, code);
}

static TU_UNUSED void
mkvpc(char id[64])
{
	struct tu_reply rp;

	tu_v1(&env, "GET", "Version=2016-04-28&Action=CreateVpc&"
	    "RegionId=cn-hangzhou&CidrBlock=10.0.0.0/8", NULL, &rp);
	if (rp.status != 200)
		fail_msg("CreateVpc: %d %s", rp.status, tu_code(&rp));
	snprintf(id, 64, "%s", jstr(rp.json, "VpcId"));
	tu_reply_free(&rp);
}

/* CreateSecurityGroup with extra "&k=v" parameters; copies the id. */
static TU_UNUSED void
mksg(const char *extra, char id[64])
{
	json_t *j = ok("CreateSecurityGroup&RegionId=cn-hangzhou%s", extra);

	snprintf(id, 64, "%s", jstr(j, "SecurityGroupId"));
	assert_true(strncmp(id, "sg-", 3) == 0);
	json_decref(j);
}

/* Creates a second account with its own root key (not selected). */
static TU_UNUSED void
sgtu_other_account(void)
{
	struct store_key k;

	memset(&k, 0, sizeof(k));
	snprintf(k.id, sizeof(k.id), "%s", SGTU_OTHER_AKID);
	snprintf(k.secret, sizeof(k.secret), "%s", SGTU_OTHER_SECRET);
	snprintf(k.account, sizeof(k.account), "%s", SGTU_OTHER_ACCOUNT);
	snprintf(k.principal, sizeof(k.principal), "root");
	snprintf(k.status, sizeof(k.status), "Active");
	k.created = SGTU_NOW;
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(store_account_put(env.st, SGTU_OTHER_ACCOUNT,
	    SGTU_NOW), 0);
	assert_int_equal(store_key_put(env.st, &k), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
}

/* Makes the following calls as the second account (1) or root (0). */
static TU_UNUSED void
sgtu_as_other(int other)
{
	env.akid = other ? SGTU_OTHER_AKID : TU_AKID;
	env.secret = other ? SGTU_OTHER_SECRET : TU_SECRET;
}

/* The Permissions of a group (Direction/NicType filters in extra). */
static TU_UNUSED json_t *
perms(const char *sg, const char *extra)
{
	return ok("DescribeSecurityGroupAttribute&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s%s", sg, extra);
}

static TU_UNUSED size_t
nperms(const char *sg, const char *extra)
{
	json_t *j = perms(sg, extra);
	size_t n = json_array_size(jlist(j, "Permissions", "Permission"));

	json_decref(j);
	return n;
}

/* Rows of kind in the store (any account). */
static TU_UNUSED size_t
nrows(const char *kind, const char *parent)
{
	struct store_filter f = { NULL, kind, NULL, parent, NULL };
	size_t n = 0;

	assert_int_equal(store_tx_begin(env.st, STORE_TX_READ), 0);
	assert_int_equal(store_res_count(env.st, &f, &n), 0);
	store_tx_abort(env.st);
	return n;
}

#endif
