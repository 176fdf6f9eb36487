/*
 * sig_test: the signature recipes against the spec's vectors
 * (../shared/spec/ecs-api.md §1.2, §1.3, §2): the official V1 example, and
 * requests captured from the official SDKs, verified from their RAW wire
 * text so that decoding + re-encoding is exercised too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "api/sig.h"
#include "lib/err.h"
#include "lib/prm.h"

struct hdr {
	const char *name;
	const char *value;
};

static const char *
hdr_lookup(void *arg, const char *lname)
{
	for (const struct hdr *h = arg; h->name; h++)
		if (strcmp(h->name, lname) == 0)
			return h->value;
	return NULL;
}

static void
v1_check(const char *method, const char *raw, const char *secret,
    const char *want)
{
	struct prm_list p;
	struct sb sts = SB_INIT;
	char sig[64];

	prm_init(&p);
	assert_int_equal(prm_parse(&p, raw, strlen(raw)), 0);
	assert_int_equal(sig_v1_string_to_sign(method, &p, &sts), 0);
	assert_int_equal(sig_v1_sign(secret, sb_str(&sts), sig, sizeof(sig)), 0);
	assert_string_equal(sig, want);
	assert_string_equal(prm_get(&p, "Signature"), want);
	sb_free(&sts);
	prm_free(&p);
}

static void
test_v1_official_vector(void **state)
{
	const char *raw = "Timestamp=2016-02-23T12:46:24Z&Format=XML&"
	    "AccessKeyId=testid&Action=DescribeRegions&SignatureMethod=HMAC-SHA1&"
	    "SignatureNonce=3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf&"
	    "Version=2014-05-26&SignatureVersion=1.0&"
	    "Signature=OLeaidS1JvxuMvnyHOwuJ%2BuX5qY%3D";

	(void)state;
	v1_check("GET", raw, "testsecret", "OLeaidS1JvxuMvnyHOwuJ+uX5qY=");
}

static void
test_v1_tea_v2_post_query(void **state)
{
	/* §2.2: '(' and ')' unescaped on the wire, signed as %28/%29. */
	const char *raw = "Action=CreateSecurityGroup&Format=json&"
	    "Version=2014-05-26&Timestamp=2026-11-28T20%3A21%3A10Z&"
	    "SignatureNonce=4f3b699d74c98a5f90f72b23eb45f4b8e00828f587302fdfe269d62770195e5e&"
	    "Description=test%20sg%20(v7)&RegionId=cn-hangzhou&"
	    "SecurityGroupName=web-sg&SecurityGroupType=normal&Tag.1.Key=env&"
	    "Tag.1.Value=dev&VpcId=vpc-123&SignatureMethod=HMAC-SHA1&"
	    "SignatureVersion=1.0&AccessKeyId=AKIDEXAMPLE&"
	    "Signature=7uyfvlBENwLxoJssEUt15eHA6kU%3D";

	(void)state;
	v1_check("POST", raw, "SECRETEXAMPLE", "7uyfvlBENwLxoJssEUt15eHA6kU=");
}

static void
test_v1_popcore_get_and_post(void **state)
{
	const char *get = "AccessKeyId=AKIDEXAMPLE&Action=CreateSecurityGroup&"
	    "Description=test%20sg%20%28pop%29&Format=JSON&RegionId=cn-hangzhou&"
	    "SecurityGroupName=web-sg&SignatureMethod=HMAC-SHA1&"
	    "SignatureNonce=0dad750c72b5387866bd2e34a4f488e1&SignatureVersion=1.0&"
	    "Timestamp=2026-11-28T20%3A21%3A12Z&Version=2014-05-26&VpcId=vpc-123&"
	    "Signature=NAqCrJHaqBvru0uZdfBXvIm5AmI%3D";
	const char *post = "AccessKeyId=AKIDEXAMPLE&Action=CreateSecurityGroup&"
	    "Description=test%20sg%20%28pop%29&Format=JSON&RegionId=cn-hangzhou&"
	    "SecurityGroupName=web-sg&SignatureMethod=HMAC-SHA1&"
	    "SignatureNonce=eacc2a38d3c97408826e20ffeec18262&SignatureVersion=1.0&"
	    "Timestamp=2026-11-28T20%3A21%3A13Z&Version=2014-05-26&VpcId=vpc-123&"
	    "Signature=Mfr%2BoSieJfoTvbQ8E5ufUdxZNJU%3D";

	(void)state;
	v1_check("GET", get, "SECRETEXAMPLE", "NAqCrJHaqBvru0uZdfBXvIm5AmI=");
	v1_check("POST", post, "SECRETEXAMPLE", "Mfr+oSieJfoTvbQ8E5ufUdxZNJU=");
}

static void
test_v1_method_matters(void **state)
{
	const char *raw = "A=1&Signature=x";
	struct prm_list p;
	struct sb a = SB_INIT, b = SB_INIT;

	(void)state;
	prm_init(&p);
	assert_int_equal(prm_parse(&p, raw, strlen(raw)), 0);
	assert_int_equal(sig_v1_string_to_sign("GET", &p, &a), 0);
	assert_int_equal(sig_v1_string_to_sign("POST", &p, &b), 0);
	assert_string_equal(sb_str(&a), "GET&%2F&A%3D1");
	assert_string_equal(sb_str(&b), "POST&%2F&A%3D1");
	sb_free(&a);
	sb_free(&b);
	prm_free(&p);
}

static void
v3_check(const char *raw_query, const struct hdr *h, const char *authz,
    const char *secret, const char *want_canon)
{
	struct sig_v3_auth a;
	struct prm_list p;
	struct sb canon = SB_INIT, sts = SB_INIT;
	char sig[72];

	prm_init(&p);
	assert_int_equal(prm_parse(&p, raw_query, strlen(raw_query)), 0);
	assert_int_equal(sig_v3_parse_auth(authz, &a), 0);
	assert_int_equal(sig_v3_canonical_request("POST", "/", p.v, p.n,
	    a.signed_headers, hdr_lookup, (void *)h, SIG_EMPTY_SHA256, &canon), 0);
	if (want_canon)
		assert_string_equal(sb_str(&canon), want_canon);
	assert_int_equal(sig_v3_string_to_sign(sb_str(&canon), &sts), 0);
	assert_int_equal(sig_v3_sign(secret, sb_str(&sts), sig, sizeof(sig)), 0);
	assert_string_equal(sig, a.signature);
	assert_true(sig_equal(sig, a.signature));
	sb_free(&canon);
	sb_free(&sts);
	prm_free(&p);
}

static void
test_v3_create_security_group(void **state)
{
	static const struct hdr h[] = {
		{ "host", "127.0.0.1:39217" },
		{ "x-acs-version", "2014-05-26" },
		{ "x-acs-action", "CreateSecurityGroup" },
		{ "x-acs-date", "2026-11-28T20:21:10Z" },
		{ "x-acs-signature-nonce", "b4a68c00b3c97e4eb297e92deadfb2ce6502ce297b191129406a651e8c4ab542" },
		{ "x-acs-content-sha256", SIG_EMPTY_SHA256 },
		{ "x-acs-credentials-provider", "static_ak" },
		{ NULL, NULL },
	};
	const char *q = "Description=test%20sg%20(v7)&RegionId=cn-hangzhou&"
	    "SecurityGroupName=web-sg&SecurityGroupType=normal&Tag.1.Key=env&"
	    "Tag.1.Value=dev&VpcId=vpc-123";
	const char *authz = "ACS3-HMAC-SHA256 Credential=AKIDEXAMPLE,"
	    "SignedHeaders=host;x-acs-action;x-acs-content-sha256;"
	    "x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;"
	    "x-acs-version,Signature="
	    "443fca9656f532b33dce0d9f0b37a457570c6995cdf68030694c6586e6110000";
	const char *canon = "POST\n/\n"
	    "Description=test%20sg%20%28v7%29&RegionId=cn-hangzhou&"
	    "SecurityGroupName=web-sg&SecurityGroupType=normal&Tag.1.Key=env&"
	    "Tag.1.Value=dev&VpcId=vpc-123\n"
	    "host:127.0.0.1:39217\n"
	    "x-acs-action:CreateSecurityGroup\n"
	    "x-acs-content-sha256:" SIG_EMPTY_SHA256 "\n"
	    "x-acs-credentials-provider:static_ak\n"
	    "x-acs-date:2026-11-28T20:21:10Z\n"
	    "x-acs-signature-nonce:b4a68c00b3c97e4eb297e92deadfb2ce6502ce297b191129406a651e8c4ab542\n"
	    "x-acs-version:2014-05-26\n"
	    "\n"
	    "host;x-acs-action;x-acs-content-sha256;x-acs-credentials-provider;"
	    "x-acs-date;x-acs-signature-nonce;x-acs-version\n" SIG_EMPTY_SHA256;

	(void)state;
	v3_check(q, h, authz, "SECRETEXAMPLE", canon);
}

static void
test_v3_authorize_two_permissions(void **state)
{
	static const struct hdr h[] = {
		{ "host", "127.0.0.1:39217" },
		{ "x-acs-version", "2014-05-26" },
		{ "x-acs-action", "AuthorizeSecurityGroup" },
		{ "x-acs-date", "2026-11-28T20:21:10Z" },
		{ "x-acs-signature-nonce", "e52c383a90e6ae27dbf67c8b2110470f99252ff54109faeaed5448c9f997a102" },
		{ "x-acs-content-sha256", SIG_EMPTY_SHA256 },
		{ "x-acs-credentials-provider", "static_ak" },
		{ NULL, NULL },
	};
	const char *q = "Permissions.1.Description=ssh%20in&Permissions.1.IpProtocol=TCP&"
	    "Permissions.1.Policy=accept&Permissions.1.PortRange=22%2F22&"
	    "Permissions.1.Priority=1&Permissions.1.SourceCidrIp=10.0.0.0%2F8&"
	    "Permissions.2.IpProtocol=ICMP&Permissions.2.NicType=intranet&"
	    "Permissions.2.PortRange=-1%2F-1&Permissions.2.Priority=100&"
	    "Permissions.2.SourceGroupId=sg-2&RegionId=cn-hangzhou&SecurityGroupId=sg-1";
	const char *authz = "ACS3-HMAC-SHA256 Credential=AKIDEXAMPLE,"
	    "SignedHeaders=host;x-acs-action;x-acs-content-sha256;"
	    "x-acs-credentials-provider;x-acs-date;x-acs-signature-nonce;"
	    "x-acs-version,Signature="
	    "95a60699743973086834b5649925f3fc5fe7f6b35efb09e3f8f7ac63f41d898f";

	(void)state;
	v3_check(q, h, authz, "SECRETEXAMPLE", NULL);
}

static void
test_v3_sts_headers(void **state)
{
	static const struct hdr h[] = {
		{ "host", "127.0.0.1:39217" },
		{ "x-acs-version", "2014-05-26" },
		{ "x-acs-action", "CreateSecurityGroup" },
		{ "x-acs-date", "2026-11-28T20:21:11Z" },
		{ "x-acs-signature-nonce", "c748c5a572d4c5148a3235add347163ca42ecfc3e6e8b3a60d3ea01ad403b8a3" },
		{ "x-acs-content-sha256", SIG_EMPTY_SHA256 },
		{ "x-acs-credentials-provider", "static_sts" },
		{ "x-acs-accesskey-id", "AKIDEXAMPLE" },
		{ "x-acs-security-token", "STSTOKENEXAMPLE" },
		{ NULL, NULL },
	};
	const char *q = "Description=test%20sg%20(v7)&RegionId=cn-hangzhou&"
	    "SecurityGroupName=web-sg&SecurityGroupType=normal&Tag.1.Key=env&"
	    "Tag.1.Value=dev&VpcId=vpc-123";
	const char *authz = "ACS3-HMAC-SHA256 Credential=AKIDEXAMPLE,"
	    "SignedHeaders=host;x-acs-accesskey-id;x-acs-action;"
	    "x-acs-content-sha256;x-acs-credentials-provider;x-acs-date;"
	    "x-acs-security-token;x-acs-signature-nonce;x-acs-version,Signature="
	    "cd72a1cfa38d681420d7499b5f5c2a75bb626c1ab1dc90e78d2ca3a22a001367";

	(void)state;
	v3_check(q, h, authz, "SECRETEXAMPLE", NULL);
}

static void
test_v3_parse_auth_errors(void **state)
{
	struct sig_v3_auth a;

	(void)state;
	assert_int_equal(sig_v3_parse_auth("ACS3-HMAC-SHA256 Credential=AK,"
	    "SignedHeaders=host,Signature=ab", &a), 0);
	assert_string_equal(a.akid, "AK");
	assert_string_equal(a.signed_headers, "host");
	assert_int_equal(sig_v3_parse_auth("ACS3-HMAC-SHA256 Credential=AK,"
	    "Signature=ab", &a), -ERR_INCOMPLETE_SIGNATURE);
	assert_int_equal(sig_v3_parse_auth("ACS3-HMAC-SM3 Credential=AK,"
	    "SignedHeaders=host,Signature=ab", &a), -ERR_INCOMPLETE_SIGNATURE);
	assert_int_equal(sig_v3_parse_auth("ACS3-HMAC-SHA256 Credential=,"
	    "SignedHeaders=host,Signature=ab", &a), -ERR_INCOMPLETE_SIGNATURE);
	assert_int_equal(sig_v3_parse_auth("", &a), -ERR_INCOMPLETE_SIGNATURE);
}

static void
test_v3_signed_headers_must_exist_and_sort(void **state)
{
	static const struct hdr h[] = { { "host", "x" }, { NULL, NULL } };
	struct sb out = SB_INIT;

	(void)state;
	assert_int_equal(sig_v3_canonical_request("POST", "/", NULL, 0,
	    "host;x-acs-date", hdr_lookup, (void *)h, SIG_EMPTY_SHA256, &out),
	    -ERR_INCOMPLETE_SIGNATURE);
	sb_reset(&out);
	assert_int_equal(sig_v3_canonical_request("POST", "/", NULL, 0,
	    "Host", hdr_lookup, (void *)h, SIG_EMPTY_SHA256, &out),
	    -ERR_INCOMPLETE_SIGNATURE);
	sb_reset(&out);
	assert_int_equal(sig_v3_canonical_request("POST", "/", NULL, 0,
	    "host;host", hdr_lookup, (void *)h, SIG_EMPTY_SHA256, &out),
	    -ERR_INCOMPLETE_SIGNATURE);
	sb_free(&out);
}

static void
test_sig_equal(void **state)
{
	(void)state;
	assert_true(sig_equal("abc", "abc"));
	assert_false(sig_equal("abc", "abd"));
	assert_false(sig_equal("abc", "ab"));
	assert_true(sig_equal("", ""));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v1_official_vector),
		cmocka_unit_test(test_v1_tea_v2_post_query),
		cmocka_unit_test(test_v1_popcore_get_and_post),
		cmocka_unit_test(test_v1_method_matters),
		cmocka_unit_test(test_v3_create_security_group),
		cmocka_unit_test(test_v3_authorize_two_permissions),
		cmocka_unit_test(test_v3_sts_headers),
		cmocka_unit_test(test_v3_parse_auth_errors),
		cmocka_unit_test(test_v3_signed_headers_must_exist_and_sort),
		cmocka_unit_test(test_sig_equal),
	};

	return cmocka_run_group_tests_name("sig", tests, NULL, NULL);
}
