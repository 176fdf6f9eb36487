/* lib_test: percent-encoding, parameter decoding, time, errors, ids, nonces. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "api/auth.h"
#include "lib/err.h"
#include "lib/pct.h"
#include "lib/prm.h"
#include "lib/rnd.h"
#include "lib/tm.h"
#include "lib/utf8.h"

static void
test_pct_encode(void **state)
{
	struct sb b = SB_INIT;
	const char *s = "a b(c)*!'~-_.+/=&\xe3\x81\x82";

	(void)state;
	pct_encode(&b, s, strlen(s));
	assert_string_equal(sb_str(&b),
	    "a%20b%28c%29%2A%21%27~-_.%2B%2F%3D%26%E3%81%82");
	sb_free(&b);
}

static void
test_pct_decode(void **state)
{
	struct sb b = SB_INIT;

	(void)state;
	assert_int_equal(pct_decode(&b, "a+b%20c%2f%2F", 13), 0);
	assert_string_equal(sb_str(&b), "a b c//");
	sb_reset(&b);
	assert_int_equal(pct_decode(&b, "%", 1), -ERR_INVALID_PARAMETER);
	sb_reset(&b);
	assert_int_equal(pct_decode(&b, "%2", 2), -ERR_INVALID_PARAMETER);
	sb_reset(&b);
	assert_int_equal(pct_decode(&b, "%zz", 3), -ERR_INVALID_PARAMETER);
	sb_reset(&b);
	assert_int_equal(pct_decode(&b, "a%00", 4), -ERR_INVALID_PARAMETER);
	sb_reset(&b);
	assert_int_equal(pct_decode(&b, "%41", 3), 0);
	assert_string_equal(sb_str(&b), "A");
	sb_free(&b);
}

static void
test_prm_parse(void **state)
{
	struct prm_list p;
	const char *q = "A=1&&B=&C&D=x%3Dy&A=2";

	(void)state;
	prm_init(&p);
	assert_int_equal(prm_parse(&p, q, strlen(q)), 0);
	assert_int_equal(p.n, 5);
	assert_string_equal(prm_get(&p, "A"), "1");
	assert_string_equal(prm_get(&p, "B"), "");
	assert_string_equal(prm_get(&p, "C"), "");
	assert_string_equal(prm_get(&p, "D"), "x=y");
	assert_null(prm_get(&p, "E"));
	assert_int_equal(prm_count(&p, "A"), 2);
	/* A bad escape appends nothing. */
	assert_int_equal(prm_parse(&p, "X=1&Y=%G1", 9), -ERR_INVALID_PARAMETER);
	assert_int_equal(p.n, 5);
	assert_null(prm_get(&p, "X"));
	prm_free(&p);
	prm_free(NULL);
}

static void
test_prm_limit(void **state)
{
	struct prm_list p;

	(void)state;
	prm_init(&p);
	for (int i = 0; i < PRM_MAX_COUNT; i++)
		assert_int_equal(prm_add(&p, "k", 1, "v", 1), 0);
	assert_int_equal(prm_add(&p, "k", 1, "v", 1), -ERR_INVALID_PARAMETER);
	prm_free(&p);
}

static void
test_tm(void **state)
{
	int64_t t;
	char buf[32];

	(void)state;
	assert_int_equal(tm_parse_iso("2016-02-23T12:46:24Z", &t), 0);
	assert_int_equal(t, 1456231584);
	tm_format_iso(t, buf, sizeof(buf));
	assert_string_equal(buf, "2016-02-23T12:46:24Z");
	assert_int_equal(tm_parse_iso("2016-02-23T12:46:24", &t), -ERR_TIMESTAMP_FORMAT);
	assert_int_equal(tm_parse_iso("2016-02-23 12:46:24Z", &t), -ERR_TIMESTAMP_FORMAT);
	assert_int_equal(tm_parse_iso("2016-13-23T12:46:24Z", &t), -ERR_TIMESTAMP_FORMAT);
	assert_int_equal(tm_parse_iso("2016-02-23T24:46:24Z", &t), -ERR_TIMESTAMP_FORMAT);
	assert_int_equal(tm_parse_iso("2016-02-23T12:46:24.123Z", &t), -ERR_TIMESTAMP_FORMAT);
	assert_int_equal(tm_parse_iso("", &t), -ERR_TIMESTAMP_FORMAT);
	assert_int_equal(tm_parse_iso("2026-02-29T00:00:00Z", &t), -ERR_TIMESTAMP_FORMAT);
	assert_int_equal(tm_parse_iso("2028-02-29T00:00:00Z", &t), 0);
	assert_int_equal(tm_parse_iso("2000-02-29T00:00:00Z", &t), 0);
	assert_int_equal(tm_parse_iso("2100-02-29T00:00:00Z", &t), -ERR_TIMESTAMP_FORMAT);
	assert_int_equal(tm_parse_iso("2026-01-01T00:00:60Z", &t), -ERR_TIMESTAMP_FORMAT);
}

static void
test_err(void **state)
{
	char msg[256];

	(void)state;
	assert_int_equal(err_status(-ERR_MISSING_PARAMETER), 400);
	assert_string_equal(err_code_str(-ERR_MISSING_PARAMETER), "MissingParameter");
	err_format(-ERR_MISSING_PARAMETER, "RegionId", msg, sizeof(msg));
	assert_string_equal(msg, "The input parameter \"RegionId\" that is "
	    "mandatory for processing this request is not supplied.");
	/* The detail is never a format. */
	err_format(-ERR_MISSING_PARAMETER, "%s%n", msg, sizeof(msg));
	assert_non_null(strstr(msg, "\"%s%n\""));
	err_format(-ERR_INVALID_ACTION, "ignored", msg, sizeof(msg));
	assert_string_equal(msg, "Specified action is not valid.");
	assert_int_equal(err_status(-ERR_ACCESS_KEY_NOT_FOUND), 404);
	assert_int_equal(err_status(99999), 500);
	/* Every catalogue entry has a code and a 4xx/5xx status. */
	for (int e = 1; e < ERR__COUNT; e++) {
		assert_true(err_status(e) >= 400 && err_status(e) < 600);
		assert_true(strlen(err_code_str(e)) > 0);
	}
}

static void
test_rnd(void **state)
{
	char id[RND_ID_LEN], id2[RND_ID_LEN], u[40];

	(void)state;
	assert_int_equal(rnd_id("vpc-", id, sizeof(id)), 0);
	assert_int_equal(strlen(id), 24);
	assert_memory_equal(id, "vpc-", 4);
	for (const char *p = id + 4; *p; p++)
		assert_true((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'));
	assert_int_equal(rnd_id("vpc-", id2, sizeof(id2)), 0);
	assert_string_not_equal(id, id2);
	assert_int_equal(rnd_uuid(u, sizeof(u)), 0);
	assert_int_equal(strlen(u), 36);
	assert_true(u[8] == '-' && u[13] == '-' && u[14] == '4');
	assert_int_equal(rnd_id("a-very-long-prefix-", id, 20), -ERR_INTERNAL);
}

static void
test_nonce(void **state)
{
	struct nonce_cache *nc;

	(void)state;
	assert_int_equal(nonce_cache_new(900, &nc), 0);
	assert_int_equal(nonce_cache_check(nc, "ak", "n1", 1000), 0);
	assert_int_equal(nonce_cache_check(nc, "ak", "n1", 1001), -ERR_NONCE_USED);
	assert_int_equal(nonce_cache_check(nc, "ak2", "n1", 1001), 0);
	/* Still remembered just under one window later (after a rotation). */
	assert_int_equal(nonce_cache_check(nc, "ak", "n2", 1899), 0);
	assert_int_equal(nonce_cache_check(nc, "ak", "n2", 1900), -ERR_NONCE_USED);
	assert_int_equal(nonce_cache_check(nc, "ak", "n1", 1950), -ERR_NONCE_USED);
	/* Forgotten after two windows. */
	assert_int_equal(nonce_cache_check(nc, "ak", "n1", 3000), 0);
	for (int i = 0; i < 5000; i++) {
		char n[16];

		snprintf(n, sizeof(n), "x%d", i);
		assert_int_equal(nonce_cache_check(nc, "ak", n, 3001), 0);
	}
	assert_int_equal(nonce_cache_check(nc, "ak", "x4999", 3002), -ERR_NONCE_USED);
	nonce_cache_free(nc);
}

static void
test_utf8(void **state)
{
	(void)state;
	assert_true(utf8_valid("abc", 3));
	assert_true(utf8_valid("\xe3\x81\x82", 3));		/* あ */
	assert_true(utf8_valid("\xf0\x9f\x98\x80", 4));	/* U+1F600 */
	assert_false(utf8_valid("\xff", 1));
	assert_false(utf8_valid("\xc0\xaf", 2));		/* overlong '/' */
	assert_false(utf8_valid("\xe0\x80\xaf", 3));	/* overlong */
	assert_false(utf8_valid("\xed\xa0\x80", 3));	/* surrogate */
	assert_false(utf8_valid("\xf4\x90\x80\x80", 4));	/* > U+10FFFF */
	assert_false(utf8_valid("\xe3\x81", 2));		/* truncated */
	assert_false(utf8_valid("a\x80", 2));
	assert_int_equal(utf8_count("a\xe3\x81\x82" "b"), 3);
	assert_int_equal(utf8_count(""), 0);
}

static void
test_prm_rejects_bad_utf8(void **state)
{
	struct prm_list p;

	(void)state;
	prm_init(&p);
	assert_int_equal(prm_parse(&p, "A=%FF%FE", 8), -ERR_INVALID_PARAMETER);
	assert_int_equal(prm_parse(&p, "%FF=x", 5), -ERR_INVALID_PARAMETER);
	assert_int_equal(prm_parse(&p, "A=%E3%81%82", 11), 0);
	assert_string_equal(prm_get(&p, "A"), "\xe3\x81\x82");
	prm_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pct_encode),
		cmocka_unit_test(test_pct_decode),
		cmocka_unit_test(test_prm_parse),
		cmocka_unit_test(test_prm_limit),
		cmocka_unit_test(test_tm),
		cmocka_unit_test(test_err),
		cmocka_unit_test(test_rnd),
		cmocka_unit_test(test_nonce),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_prm_rejects_bad_utf8),
	};

	return cmocka_run_group_tests_name("lib", tests, NULL, NULL);
}
