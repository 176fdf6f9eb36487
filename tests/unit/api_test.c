/*
 * api_test: the guard pipeline in-process — requests signed here with the
 * V1 and V3 recipes go straight into api_handle() with a real store and a
 * fixed clock; every gateway error path and the response envelope.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api.h"
#include "api/boot.h"
#include "api/sig.h"
#include "lib/err.h"
#include "lib/pct.h"
#include "lib/prm.h"
#include "lib/tm.h"
#include "test_util.h"

#define NOW 1795000000	/* 2026-11-18T... */

static struct tu_env env;

static int
setup(void **state)
{
	(void)state;
	return tu_env_open(&env, NOW);
}

static int
teardown(void **state)
{
	(void)state;
	tu_env_close(&env);
	return 0;
}

static void
test_v1_success_envelope(void **state)
{
	struct tu_reply rp;
	json_t *regions;

	(void)state;
	tu_v1(&env, "GET", "Action=DescribeRegions&Version=2014-05-26", NULL, &rp);
	assert_int_equal(rp.status, 200);
	assert_non_null(json_object_get(rp.json, "RequestId"));
	assert_null(json_object_get(rp.json, "Code"));
	regions = json_object_get(json_object_get(rp.json, "Regions"), "Region");
	assert_true(json_is_array(regions));
	assert_int_equal(json_array_size(regions), 4);
	tu_reply_free(&rp);
}

static void
test_v1_post_form_and_split(void **state)
{
	struct tu_reply rp;

	(void)state;
	/* Everything in the body. */
	tu_v1(&env, "POST", NULL, "Action=DescribeZones&Version=2014-05-26&"
	    "RegionId=cn-beijing", &rp);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	/* Terraform: common parameters in the query, API ones in the body. */
	tu_v1(&env, "POST", "Action=DescribeZones&Version=2014-05-26",
	    "RegionId=cn-beijing&Description=a+b%28c%29", &rp);
	assert_int_equal(rp.status, 200);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_object_get(rp.json, "Zones"), "Zone"), 0),
	    "ZoneId")), "cn-beijing-a");
	tu_reply_free(&rp);
}

static void
test_dispatch_errors(void **state)
{
	struct tu_reply rp;

	(void)state;
	tu_v1(&env, "GET", "Action=NoSuchThing&Version=2014-05-26", NULL, &rp);
	tu_expect_error(&rp, 403, "InvalidAction");
	tu_v1(&env, "GET", "Action=DescribeRegions&Version=1999-01-01", NULL, &rp);
	tu_expect_error(&rp, 400, "InvalidParameter");
	tu_v1(&env, "GET", "Version=2014-05-26", NULL, &rp);
	tu_expect_error(&rp, 400, "MissingParameter");
	tu_v1(&env, "PUT", "Action=DescribeRegions&Version=2014-05-26", NULL, &rp);
	tu_expect_error(&rp, 403, "UnsupportedHTTPMethod");
	tu_raw(&env, "GET", "Action=DescribeRegions&Version=2014-05-26&X=%zz",
	    NULL, NULL, &rp);
	tu_expect_error(&rp, 400, "InvalidParameter");
	tu_raw(&env, "GET", "Action=DescribeRegions&Version=2014-05-26", NULL,
	    NULL, &rp);
	tu_expect_error(&rp, 400, "MissingParameter");
}

static void
test_v1_auth_errors(void **state)
{
	struct tu_reply rp;
	const char *q = "Action=DescribeRegions&Version=2014-05-26";

	(void)state;
	env.secret = "wrong";
	tu_v1(&env, "GET", q, NULL, &rp);
	env.secret = TU_SECRET;
	assert_int_equal(rp.status, 400);
	assert_string_equal(tu_code(&rp), "SignatureDoesNotMatch");
	assert_non_null(strstr(tu_message(&rp),
	    "server string to sign is:GET&%2F&AccessKeyId%3D"));
	tu_reply_free(&rp);

	env.akid = "LTAInobody";
	tu_v1(&env, "GET", q, NULL, &rp);
	env.akid = TU_AKID;
	tu_expect_error(&rp, 404, "InvalidAccessKeyId.NotFound");

	/* An STS key needs its SecurityToken (iam/sts.h). */
	env.akid = "STS.something";
	tu_v1(&env, "GET", q, NULL, &rp);
	env.akid = TU_AKID;
	tu_expect_error(&rp, 400, "MissingSecurityToken");

	env.clock_offset = -16 * 60;
	tu_v1(&env, "GET", q, NULL, &rp);
	tu_expect_error(&rp, 400, "InvalidTimeStamp.Expired");
	env.clock_offset = 16 * 60;
	tu_v1(&env, "GET", q, NULL, &rp);
	tu_expect_error(&rp, 400, "InvalidTimeStamp.Expired");
	env.clock_offset = 14 * 60;
	tu_v1(&env, "GET", q, NULL, &rp);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	env.clock_offset = 0;

	tu_v1_extra(&env, "GET", q, "Timestamp=2026-11-18", &rp);
	tu_expect_error(&rp, 400, "InvalidTimeStamp.Format");
	tu_v1_extra(&env, "GET", q, "SignatureMethod=HMAC-SHA256", &rp);
	tu_expect_error(&rp, 400, "InvalidParamater");
}

static void
test_nonce_reuse(void **state)
{
	struct tu_reply rp;

	(void)state;
	env.fixed_nonce = "same-nonce-1";
	tu_v1(&env, "GET", "Action=DescribeRegions&Version=2014-05-26", NULL, &rp);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	tu_v1(&env, "GET", "Action=DescribeRegions&Version=2014-05-26", NULL, &rp);
	tu_expect_error(&rp, 400, "SignatureNonceUsed");
	/* A forged request does not burn a fresh nonce. */
	env.fixed_nonce = "same-nonce-2";
	env.secret = "wrong";
	tu_v1(&env, "GET", "Action=DescribeRegions&Version=2014-05-26", NULL, &rp);
	tu_expect_error(&rp, 400, "SignatureDoesNotMatch");
	env.secret = TU_SECRET;
	tu_v1(&env, "GET", "Action=DescribeRegions&Version=2014-05-26", NULL, &rp);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	env.fixed_nonce = NULL;
}

static void
test_v3(void **state)
{
	struct tu_reply rp;

	(void)state;
	tu_v3(&env, "DescribeZones", "2014-05-26", "RegionId=cn-hangzhou&"
	    "AcceptLanguage=en-US", NULL, 0, &rp);
	assert_int_equal(rp.status, 200);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(json_object_get(rp.json, "Zones"), "Zone"), 0),
	    "LocalName")), "China (Hangzhou) B");
	tu_reply_free(&rp);

	env.secret = "wrong";
	tu_v3(&env, "DescribeRegions", "2014-05-26", NULL, NULL, 0, &rp);
	env.secret = TU_SECRET;
	assert_int_equal(rp.status, 400);
	assert_string_equal(tu_code(&rp), "SignatureDoesNotMatch");
	assert_non_null(strstr(tu_message(&rp), "ACS3-HMAC-SHA256\n"));
	tu_reply_free(&rp);

	/* The body hash header must match the body. */
	tu_v3(&env, "DescribeRegions", "2014-05-26", NULL, "x=1", TU_V3_LIE_HASH,
	    &rp);
	tu_expect_error(&rp, 400, "IncompleteSignature");
	/* A signed header that is missing. */
	tu_v3(&env, "DescribeRegions", "2014-05-26", NULL, NULL,
	    TU_V3_DROP_DATE_HEADER, &rp);
	tu_expect_error(&rp, 400, "MissingParameter");
	env.clock_offset = -3600;
	tu_v3(&env, "DescribeRegions", "2014-05-26", NULL, NULL, 0, &rp);
	env.clock_offset = 0;
	tu_expect_error(&rp, 400, "InvalidTimeStamp.Expired");
}

static void
test_validation(void **state)
{
	struct tu_reply rp;

	(void)state;
	tu_v1(&env, "GET", "Action=DescribeZones&Version=2014-05-26", NULL, &rp);
	assert_int_equal(rp.status, 400);
	assert_string_equal(tu_code(&rp), "MissingParameter");
	assert_non_null(strstr(tu_message(&rp), "\"RegionId\""));
	tu_reply_free(&rp);
	tu_v1(&env, "GET", "Action=DescribeZones&Version=2014-05-26&"
	    "RegionId=mars-1", NULL, &rp);
	tu_expect_error(&rp, 404, "InvalidRegionId.NotFound");
	tu_v1(&env, "GET", "Action=DescribeRegions&Version=2014-05-26&"
	    "AcceptLanguage=xx", NULL, &rp);
	tu_expect_error(&rp, 404, "InvalidAcceptLanguage.NotFound");
	tu_v1(&env, "GET", "Action=DescribeZones&Version=2014-05-26&"
	    "RegionId=cn-hangzhou&Verbose=maybe", NULL, &rp);
	tu_expect_error(&rp, 400, "InvalidParameter");
}

static void
test_inactive_key(void **state)
{
	struct store_key k;
	struct tu_reply rp;

	(void)state;
	memset(&k, 0, sizeof(k));
	snprintf(k.id, sizeof(k.id), "LTAIinactive");
	snprintf(k.secret, sizeof(k.secret), "x");
	snprintf(k.account, sizeof(k.account), "1");
	snprintf(k.principal, sizeof(k.principal), "root");
	snprintf(k.status, sizeof(k.status), "Inactive");
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(store_key_put(env.st, &k), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
	env.akid = "LTAIinactive";
	env.secret = "x";
	tu_v1(&env, "GET", "Action=DescribeRegions&Version=2014-05-26", NULL, &rp);
	env.akid = TU_AKID;
	env.secret = TU_SECRET;
	tu_expect_error(&rp, 403, "Forbidden.AccessKeyDisabled");
}

static void
test_body_too_large(void **state)
{
	struct tu_reply rp;

	(void)state;
	env.too_large = 1;
	tu_v1(&env, "POST", NULL, "Action=DescribeRegions&Version=2014-05-26", &rp);
	env.too_large = 0;
	tu_expect_error(&rp, 400, "InvalidParameter");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_success_envelope),
		cmocka_unit_test(test_v1_post_form_and_split),
		cmocka_unit_test(test_dispatch_errors),
		cmocka_unit_test(test_v1_auth_errors),
		cmocka_unit_test(test_nonce_reuse),
		cmocka_unit_test(test_v3),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_inactive_key),
		cmocka_unit_test(test_body_too_large),
	};

	return cmocka_run_group_tests_name("api", tests, setup, teardown);
}
