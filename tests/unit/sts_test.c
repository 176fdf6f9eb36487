/*
 * sts_test: STS 2015-04-01 in-process — AssumeRole's two checks (the
 * caller's sts:AssumeRole, the role's trust policy), its parameters and
 * codes, the credentials it returns and what they may do (the role's
 * policies narrowed by the session policy), token errors (malformed,
 * another key's, forged, expired, pruned), GetCallerIdentity for every
 * kind of caller, cross-account roles, and a role deleted under a live
 * session.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iam/sts.h"
#include "ramtu.h"
#include "authztu.h"

#define STSV "Version=2015-04-01"
#define ECS "Version=2014-05-26"
#define ECSH ECS "&RegionId=cn-hangzhou"

/* Session credentials, and the key they replace while in use. */
struct cred {
	char akid[64];
	char secret[64];
	char token[128];
	char expiration[32];
	char arn[256];
	char role_id[320];
};

static struct ramtu_key caller;	/* the RAM user assuming roles */

static void
trust_account(char *buf, size_t len, const char *account, const char *cond)
{
	snprintf(buf, len, "{\"Statement\":[{\"Action\":\"sts:AssumeRole\","
	    "\"Effect\":\"Allow\",\"Principal\":{\"RAM\":[\"acs:ram::%s:root\"]}"
	    "%s%s}],\"Version\":\"1\"}", account, cond ? ",\"Condition\":" : "",
	    cond ? cond : "");
}

/* A role trusting this account, with AliyunECSFullAccess; a caller user
 * with AliyunSTSAssumeRoleAccess. */
static int
sts_setup(void **state)
{
	char trust[512];

	if (ramtu_setup(state) < 0)
		return -1;
	trust_account(trust, sizeof(trust), env.account, NULL);
	ok0("CreateRole", "RoleName", "Ops", "AssumeRolePolicyDocument", trust,
	    "MaxSessionDuration", "7200", NULL);
	ok0("AttachPolicyToRole", "PolicyType", "System", "PolicyName",
	    "AliyunECSFullAccess", "RoleName", "Ops", NULL);
	aztu_user("caller", NULL, &caller);
	ok0("AttachPolicyToUser", "PolicyType", "System", "PolicyName",
	    "AliyunSTSAssumeRoleAccess", "UserName", "caller", NULL);
	return 0;
}

static int
sts_teardown(void **state)
{
	aztu_token = NULL;
	return ramtu_teardown(state);
}

static void
role_arn(char *buf, size_t len, const char *account, const char *role)
{
	snprintf(buf, len, "acs:ram::%s:role/%s", account, role);
}

/* AssumeRole as the current identity; extra = "&K=V..." (encoded). */
static void
assume(struct tu_reply *rp, const char *arn, const char *session,
    const char *extra)
{
	struct sb q = SB_INIT;

	sb_adds(&q, "Action=AssumeRole&" STSV "&RoleArn=");
	pct_encode(&q, arn, strlen(arn));
	sb_addf(&q, "&RoleSessionName=%s%s", session, extra ? extra : "");
	aztu_call(rp, sb_str(&q));
	sb_free(&q);
}

static void
assume_ok(const char *arn, const char *session, const char *extra,
    struct cred *c)
{
	struct tu_reply rp;
	json_t *cr, *u;

	assume(&rp, arn, session, extra);
	if (rp.status != 200)
		fail_msg("AssumeRole %s: %d %s %s", arn, rp.status,
		    tu_code(&rp), tu_message(&rp));
	cr = json_object_get(rp.json, "Credentials");
	u = json_object_get(rp.json, "AssumedRoleUser");
	snprintf(c->akid, sizeof(c->akid), "%s", jstr(cr, "AccessKeyId"));
	snprintf(c->secret, sizeof(c->secret), "%s", jstr(cr,
	    "AccessKeySecret"));
	snprintf(c->token, sizeof(c->token), "%s", jstr(cr, "SecurityToken"));
	snprintf(c->expiration, sizeof(c->expiration), "%s", jstr(cr,
	    "Expiration"));
	snprintf(c->arn, sizeof(c->arn), "%s", jstr(u, "Arn"));
	snprintf(c->role_id, sizeof(c->role_id), "%s", jstr(u,
	    "AssumedRoleId"));
	assert_null(json_object_get(rp.json, "Code"));
	tu_reply_free(&rp);
}

static void
assume_fails(const char *arn, const char *session, const char *extra,
    int status, const char *code)
{
	struct tu_reply rp;

	assume(&rp, arn, session, extra);
	if (rp.status != status || strcmp(tu_code(&rp), code) != 0)
		fail_msg("AssumeRole %s %s: want %d %s, got %d %s (%s)", arn,
		    extra ? extra : "", status, code, rp.status, tu_code(&rp),
		    tu_message(&rp));
	assert_string_equal(jstr(rp.json, "HostId"), "sts.aliyuncs.com");
	tu_expect_error(&rp, status, code);
}

/* Signs the next requests with the session (NULL: the caller user). */
static void
as_session(const struct cred *c)
{
	static struct ramtu_key k;

	if (c == NULL) {
		ramtu_as(&caller);
		aztu_token = NULL;
		return;
	}
	snprintf(k.id, sizeof(k.id), "%s", c->akid);
	snprintf(k.secret, sizeof(k.secret), "%s", c->secret);
	ramtu_as(&k);
	aztu_token = c->token;
}

static void
as_root(void)
{
	ramtu_as(NULL);
	aztu_token = NULL;
}

static void
test_assume_and_use(void **state)
{
	char arn[128], want[256];
	struct cred c;
	json_t *j;
	int64_t exp;

	(void)state;
	role_arn(arn, sizeof(arn), env.account, "Ops");
	as_session(NULL);
	assume_ok(arn, "alice@corp", NULL, &c);
	assert_int_equal(strncmp(c.akid, "STS.", 4), 0);
	assert_int_equal(strlen(c.akid), 4 + STS_AKID_CHARS);
	assert_true(strlen(c.secret) >= 30);
	assert_true(strlen(c.token) > 40);
	assert_int_equal(tm_parse_iso(c.expiration, &exp), 0);
	assert_int_equal(exp, env.now + 3600);
	snprintf(want, sizeof(want), "acs:ram::%s:role/Ops/alice@corp",
	    env.account);
	assert_string_equal(c.arn, want);
	assert_non_null(strstr(c.role_id, ":alice@corp"));
	/* The session acts with the role's policies. */
	as_session(&c);
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	json_decref(aztu_ok("Action=CreateSecurityGroup&" ECSH));
	aztu_denied("Action=ListUsers&Version=2015-05-01", 403, "NoPermission",
	    "ImplicitDeny", "AccountLevelIdentityBasedPolicy");
	/* Who am I. */
	j = aztu_ok("Action=GetCallerIdentity&" STSV);
	assert_string_equal(jstr(j, "IdentityType"), "AssumedRoleUser");
	assert_string_equal(jstr(j, "AccountId"), env.account);
	assert_string_equal(jstr(j, "Arn"), want);
	assert_string_equal(jstr(j, "PrincipalId"), c.role_id);
	assert_true(strlen(jstr(j, "RoleId")) == 16);
	assert_null(json_object_get(j, "UserId"));
	json_decref(j);
	/* The denial names the session. */
	{
		struct tu_reply rp;
		json_t *d;

		aztu_call(&rp, "Action=ListUsers&Version=2015-05-01");
		d = json_object_get(rp.json, "AccessDeniedDetail");
		assert_string_equal(jstr(d, "AuthPrincipalType"),
		    "AssumedRoleUser");
		assert_string_equal(jstr(d, "AuthPrincipalDisplayName"),
		    "Ops:alice@corp");
		tu_reply_free(&rp);
	}
	/* Role policy changes apply to live sessions. */
	as_root();
	ok0("DetachPolicyFromRole", "PolicyType", "System", "PolicyName",
	    "AliyunECSFullAccess", "RoleName", "Ops", NULL);
	as_session(&c);
	aztu_denied("Action=DescribeRegions&" ECS, 403, "Forbidden.RAM",
	    "ImplicitDeny", NULL);
	/* A role deleted under a live session: nothing is allowed. */
	as_root();
	ok0("AttachPolicyToRole", "PolicyType", "System", "PolicyName",
	    "AliyunECSFullAccess", "RoleName", "Ops", NULL);
	as_session(&c);
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	as_root();
	ok0("DetachPolicyFromRole", "PolicyType", "System", "PolicyName",
	    "AliyunECSFullAccess", "RoleName", "Ops", NULL);
	ok0("DeleteRole", "RoleName", "Ops", NULL);
	as_session(&c);
	aztu_denied("Action=DescribeRegions&" ECS, 403, "Forbidden.RAM",
	    "ImplicitDeny", NULL);
	as_root();
}

static void
test_session_policy(void **state)
{
	char arn[128], extra[512];
	struct sb enc = SB_INIT;
	struct cred c;
	const char *pol = "{\"Version\":\"1\",\"Statement\":[{\"Effect\":"
	    "\"Allow\",\"Action\":[\"ecs:DescribeRegions\",\"ram:ListUsers\"],"
	    "\"Resource\":\"*\"},{\"Effect\":\"Deny\",\"Action\":"
	    "\"ecs:DescribeZones\",\"Resource\":\"*\"}]}";

	(void)state;
	role_arn(arn, sizeof(arn), env.account, "Ops");
	pct_encode(&enc, pol, strlen(pol));
	snprintf(extra, sizeof(extra), "&Policy=%s", sb_str(&enc));
	sb_free(&enc);
	as_session(NULL);
	assume_ok(arn, "narrow", extra, &c);
	as_session(&c);
	/* Both allow. */
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	/* The role allows, the session policy does not mention it. */
	aztu_denied("Action=CreateSecurityGroup&" ECSH, 403, "Forbidden.RAM",
	    "ImplicitDeny", "SessionPolicy");
	/* The session policy denies. */
	aztu_denied("Action=DescribeZones&" ECSH, 403, "Forbidden.RAM",
	    "ExplicitDeny", "SessionPolicy");
	/* The session policy allows, the role does not: no widening. */
	aztu_denied("Action=ListUsers&Version=2015-05-01", 403, "NoPermission",
	    "ImplicitDeny", "AccountLevelIdentityBasedPolicy");
	as_root();
}

static void
test_assume_checks(void **state)
{
	char arn[128], trust[512], other[128];
	struct ramtu_key nobody;
	struct tu_reply rp;
	json_t *d;

	(void)state;
	role_arn(arn, sizeof(arn), env.account, "Ops");
	/* The account root may not assume roles. */
	as_root();
	assume_fails(arn, "root1", NULL, 403, "NoPermission");
	/* A user without sts:AssumeRole: the authorize step refuses. */
	aztu_user("nobody", NULL, &nobody);
	ramtu_as(&nobody);
	assume(&rp, arn, "s1", NULL);
	assert_int_equal(rp.status, 403);
	d = json_object_get(rp.json, "AccessDeniedDetail");
	assert_string_equal(jstr(d, "AuthAction"), "sts:AssumeRole");
	assert_string_equal(jstr(d, "PolicyType"),
	    "AccountLevelIdentityBasedPolicy");
	tu_expect_error(&rp, 403, "NoPermission");
	/* sts:AssumeRole on another role only. */
	as_root();
	ok0("CreatePolicy", "PolicyName", "AssumeOther", "PolicyDocument",
	    "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":"
	    "\"sts:AssumeRole\",\"Resource\":\"acs:ram:*:*:role/other\"}]}",
	    NULL);
	ok0("AttachPolicyToUser", "PolicyType", "Custom", "PolicyName",
	    "AssumeOther", "UserName", "nobody", NULL);
	ramtu_as(&nobody);
	assume_fails(arn, "s1", NULL, 403, "NoPermission");
	/* Allowed to ask, but the role trusts only ECS. */
	as_root();
	ok0("CreateRole", "RoleName", "other", "AssumeRolePolicyDocument",
	    RAMTU_TRUST, NULL);
	role_arn(other, sizeof(other), env.account, "other");
	ramtu_as(&nobody);
	assume(&rp, other, "s1", NULL);
	assert_int_equal(rp.status, 403);
	d = json_object_get(rp.json, "AccessDeniedDetail");
	assert_string_equal(jstr(d, "PolicyType"), "AssumeRolePolicy");
	assert_string_equal(jstr(d, "NoPermissionType"), "ImplicitDeny");
	tu_expect_error(&rp, 403, "NoPermission");
	/* Trust naming this very user works; another user's name does not. */
	as_root();
	snprintf(trust, sizeof(trust), "{\"Statement\":[{\"Action\":"
	    "\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"RAM\":"
	    "[\"acs:ram::%s:user/somebody\"]}}],\"Version\":\"1\"}", env.account);
	ok0("UpdateRole", "RoleName", "other", "NewAssumeRolePolicyDocument",
	    trust, NULL);
	ramtu_as(&nobody);
	assume_fails(other, "s1", NULL, 403, "NoPermission");
	as_root();
	snprintf(trust, sizeof(trust), "{\"Statement\":[{\"Action\":"
	    "\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"RAM\":"
	    "[\"acs:ram::%s:user/nobody\"]}}],\"Version\":\"1\"}", env.account);
	ok0("UpdateRole", "RoleName", "other", "NewAssumeRolePolicyDocument",
	    trust, NULL);
	ramtu_as(&nobody);
	assume(&rp, other, "s1", NULL);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	/* An explicit deny in the trust policy. */
	as_root();
	snprintf(trust, sizeof(trust), "{\"Statement\":[{\"Action\":"
	    "\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"RAM\":"
	    "[\"acs:ram::%s:root\"]}},{\"Action\":\"sts:AssumeRole\",\"Effect\":"
	    "\"Deny\",\"Principal\":{\"RAM\":[\"acs:ram::%s:user/nobody\"]}}],"
	    "\"Version\":\"1\"}", env.account, env.account);
	ok0("UpdateRole", "RoleName", "other", "NewAssumeRolePolicyDocument",
	    trust, NULL);
	ramtu_as(&nobody);
	assume(&rp, other, "s1", NULL);
	d = json_object_get(rp.json, "AccessDeniedDetail");
	assert_string_equal(jstr(d, "NoPermissionType"), "ExplicitDeny");
	tu_expect_error(&rp, 403, "NoPermission");
	as_root();
}

static void
test_assume_params(void **state)
{
	char arn[128], nope[128], big[4096], extra[4200];
	struct sb enc = SB_INIT;
	struct cred c;
	int64_t exp;

	(void)state;
	role_arn(arn, sizeof(arn), env.account, "Ops");
	role_arn(nope, sizeof(nope), env.account, "Nope");
	as_session(NULL);
	assume_fails("arn:aws:iam::1:role/x", "s1", NULL, 400,
	    "InvalidParameter.RoleArn");
	assume_fails("acs:ram::12ab:role/x", "s1", NULL, 400,
	    "InvalidParameter.RoleArn");
	assume_fails("acs:ram::1:user/x", "s1", NULL, 400,
	    "InvalidParameter.RoleArn");
	assume_fails(nope, "s1", NULL, 404, "EntityNotExist.Role");
	assume_fails(arn, "x", NULL, 400, "InvalidParameter.RoleSessionName");
	assume_fails(arn, "a%20b", NULL, 400,
	    "InvalidParameter.RoleSessionName");
	assume_fails(arn, ramtu_rep('s', 65), NULL, 400,
	    "InvalidParameter.RoleSessionName");
	assume_fails(arn, "s1", "&DurationSeconds=899", 400,
	    "InvalidParameter.DurationSeconds");
	assume_fails(arn, "s1", "&DurationSeconds=7201", 400,
	    "InvalidParameter.DurationSeconds");
	assume_fails(arn, "s1", "&DurationSeconds=abc", 400,
	    "InvalidParameter.DurationSeconds");
	assume_fails(arn, "s1", "&Policy=%7Bnot%20json", 400,
	    "InvalidParameter.PolicyGrammar");
	assume_fails(arn, "s1", "&Policy=%7B%22Version%22%3A%221%22%7D", 400,
	    "InvalidParameter.PolicyGrammar");
	snprintf(big, sizeof(big), "{\"Version\":\"1\",\"Statement\":[{"
	    "\"Effect\":\"Allow\",\"Action\":\"ecs:%.2100s\",\"Resource\":\"*\"}]}",
	    ramtu_rep('D', 2100));
	pct_encode(&enc, big, strlen(big));
	snprintf(extra, sizeof(extra), "&Policy=%s", sb_str(&enc));
	sb_free(&enc);
	assume_fails(arn, "s1", extra, 400, "InvalidParameter.PolicySize");
	assume_fails(arn, "s1", "&ExternalId=a%20b", 400, "InvalidParameter");
	/* The bounds themselves are fine. */
	assume_ok(arn, "s.1-_@x", "&DurationSeconds=900", &c);
	assert_int_equal(tm_parse_iso(c.expiration, &exp), 0);
	assert_int_equal(exp, env.now + 900);
	assume_ok(arn, "ab", "&DurationSeconds=7200", &c);
	assert_int_equal(tm_parse_iso(c.expiration, &exp), 0);
	assert_int_equal(exp, env.now + 7200);
	/* Role names are case-insensitive; the response keeps the stored one. */
	role_arn(nope, sizeof(nope), env.account, "OPS");
	assume_ok(nope, "ab", NULL, &c);
	assert_non_null(strstr(c.arn, ":role/Ops/ab"));
	as_root();
}

static void
test_external_id(void **state)
{
	char trust[512], arn[128];
	struct cred c;

	(void)state;
	trust_account(trust, sizeof(trust), env.account,
	    "{\"StringEquals\":{\"sts:ExternalId\":\"abc123\"}}");
	ok0("CreateRole", "RoleName", "Ext", "AssumeRolePolicyDocument", trust,
	    NULL);
	role_arn(arn, sizeof(arn), env.account, "Ext");
	as_session(NULL);
	assume_fails(arn, "s1", NULL, 403, "NoPermission");
	assume_fails(arn, "s1", "&ExternalId=abc124", 403, "NoPermission");
	assume_ok(arn, "s1", "&ExternalId=abc123", &c);
	as_root();
}

/* Which session an STS key belongs to, and when it stops. */
static void
test_token_errors(void **state)
{
	char arn[128], forged[128];
	struct cred a, b, tmp;

	(void)state;
	role_arn(arn, sizeof(arn), env.account, "Ops");
	as_session(NULL);
	assume_ok(arn, "one", NULL, &a);
	assume_ok(arn, "two", "&DurationSeconds=7200", &b);
	as_session(&a);
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	/* No token. */
	aztu_token = NULL;
	aztu_denied("Action=DescribeRegions&" ECS, 400, "MissingSecurityToken",
	    NULL, NULL);
	/* Not one of ours. */
	aztu_token = "CAISnotours";
	aztu_denied("Action=DescribeRegions&" ECS, 400,
	    "InvalidSecurityToken.Malformed", NULL, NULL);
	/* Another session's token. */
	aztu_token = b.token;
	aztu_denied("Action=DescribeRegions&" ECS, 400,
	    "InvalidSecurityToken.MismatchWithAccessKey", NULL, NULL);
	/* The right shape for this key, the wrong secret part: forged. */
	snprintf(forged, sizeof(forged), "%s", a.token);
	forged[strlen(forged) - 1] = forged[strlen(forged) - 1] == 'A' ? 'B' :
	    'A';
	aztu_token = forged;
	aztu_denied("Action=DescribeRegions&" ECS, 400,
	    "InvalidSecurityToken.Malformed", NULL, NULL);
	/* An STS key never issued, with a token made to match it. */
	tmp = a;
	tmp.akid[4] = tmp.akid[4] == 'Z' ? 'Y' : 'Z';
	snprintf(tmp.token, sizeof(tmp.token), "%s", a.token);
	tmp.token[strlen(STS_TOKEN_PREFIX)] = tmp.akid[4];
	as_session(&tmp);
	aztu_denied("Action=DescribeRegions&" ECS, 404,
	    "InvalidAccessKeyId.NotFound", NULL, NULL);
	/* The right token, a wrong secret: the signature fails. */
	snprintf(tmp.akid, sizeof(tmp.akid), "%s", a.akid);
	snprintf(tmp.token, sizeof(tmp.token), "%s", a.token);
	snprintf(tmp.secret, sizeof(tmp.secret), "%s", b.secret);
	as_session(&tmp);
	aztu_denied("Action=DescribeRegions&" ECS, 400,
	    "SignatureDoesNotMatch", NULL, NULL);
	/* Expiry: one second before, then at the Expiration. */
	env.now += 3599;
	api_set_fixed_now(env.api, env.now);
	as_session(&a);
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	env.now += 1;
	api_set_fixed_now(env.api, env.now);
	aztu_denied("Action=DescribeRegions&" ECS, 400,
	    "InvalidSecurityToken.Expired", NULL, NULL);
	as_session(&b);
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	/* Long after: still "expired" for a day, then pruned by the next
	 * AssumeRole. */
	env.now += STS_GRACE - 10;
	api_set_fixed_now(env.api, env.now);
	as_session(&a);
	aztu_denied("Action=DescribeRegions&" ECS, 400,
	    "InvalidSecurityToken.Expired", NULL, NULL);
	env.now += 20 + STS_PRUNE_EVERY;
	api_set_fixed_now(env.api, env.now);
	as_session(NULL);
	assume_ok(arn, "three", NULL, &tmp);
	as_session(&a);
	aztu_denied("Action=DescribeRegions&" ECS, 404,
	    "InvalidAccessKeyId.NotFound", NULL, NULL);
	/* b expired an hour after a: still there (expired, not pruned). */
	as_session(&b);
	aztu_denied("Action=DescribeRegions&" ECS, 400,
	    "InvalidSecurityToken.Expired", NULL, NULL);
	as_root();
}

/* V3 with the token in x-acs-security-token. */
static void
test_token_v3(void **state)
{
	char arn[128];
	struct tu_hdrs hs = { .n = 0 };
	struct prm_list p;
	struct sb canon = SB_INIT, sts = SB_INIT, auth = SB_INIT;
	struct tu_reply rp;
	struct api_request req;
	struct api_response resp;
	struct cred c;
	char ts[32], sig[72];
	const char *sh = "host;x-acs-action;x-acs-content-sha256;x-acs-date;"
	    "x-acs-security-token;x-acs-signature-nonce;x-acs-version";

	(void)state;
	role_arn(arn, sizeof(arn), env.account, "Ops");
	as_session(NULL);
	assume_ok(arn, "v3", NULL, &c);
	tm_format_iso(env.now, ts, sizeof(ts));
	tu_hdr_set(&hs, "host", "127.0.0.1:8080");
	tu_hdr_set(&hs, "x-acs-action", "GetCallerIdentity");
	tu_hdr_set(&hs, "x-acs-content-sha256", SIG_EMPTY_SHA256);
	tu_hdr_set(&hs, "x-acs-date", ts);
	tu_hdr_set(&hs, "x-acs-security-token", c.token);
	tu_hdr_set(&hs, "x-acs-signature-nonce", "v3-nonce-1");
	tu_hdr_set(&hs, "x-acs-version", "2015-04-01");
	prm_init(&p);
	sig_v3_canonical_request("POST", "/", p.v, 0, sh, tu_hdr_lookup, &hs,
	    SIG_EMPTY_SHA256, &canon);
	sig_v3_string_to_sign(sb_str(&canon), &sts);
	sig_v3_sign(c.secret, sb_str(&sts), sig, sizeof(sig));
	sb_addf(&auth, "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,"
	    "Signature=%s", c.akid, sh, sig);
	tu_hdr_set(&hs, "authorization", sb_str(&auth));
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.path = "/";
	req.body = "";
	req.client_ip = "127.0.0.1";
	req.header = tu_hdr_lookup;
	req.header_arg = &hs;
	api_handle(env.api, &req, &resp);
	rp.status = resp.status;
	rp.json = json_loads(resp.body, 0, NULL);
	api_response_free(&resp);
	assert_int_equal(rp.status, 200);
	assert_string_equal(jstr(rp.json, "IdentityType"), "AssumedRoleUser");
	tu_reply_free(&rp);
	prm_free(&p);
	sb_free(&canon);
	sb_free(&sts);
	sb_free(&auth);
	as_root();
}

static void
test_caller_identity(void **state)
{
	char want[256];
	json_t *j, *u;

	(void)state;
	as_root();
	j = aztu_ok("Action=GetCallerIdentity&" STSV);
	snprintf(want, sizeof(want), "acs:ram::%s:root", env.account);
	assert_string_equal(jstr(j, "IdentityType"), "Account");
	assert_string_equal(jstr(j, "Arn"), want);
	assert_string_equal(jstr(j, "AccountId"), env.account);
	assert_string_equal(jstr(j, "UserId"), env.account);
	assert_string_equal(jstr(j, "PrincipalId"), env.account);
	assert_null(json_object_get(j, "RoleId"));
	json_decref(j);
	u = ok("GetUser", "UserName", "caller", NULL);
	as_session(NULL);
	j = aztu_ok("Action=GetCallerIdentity&" STSV);
	snprintf(want, sizeof(want), "acs:ram::%s:user/caller", env.account);
	assert_string_equal(jstr(j, "IdentityType"), "RAMUser");
	assert_string_equal(jstr(j, "Arn"), want);
	assert_string_equal(jstr(j, "UserId"), jstr(jget(u, "User", NULL),
	    "UserId"));
	assert_string_equal(jstr(j, "PrincipalId"), jstr(j, "UserId"));
	json_decref(j);
	json_decref(u);
	as_root();
}

/* A role of account B that trusts account A: A's user works in B. */
static void
test_cross_account_role(void **state)
{
	struct ramtu_key broot;
	char acct_b[32], trust[512], arn[128], q[256];
	struct cred c;
	json_t *j;

	(void)state;
	ramtu_other_account(&broot, acct_b);
	role_arn(arn, sizeof(arn), acct_b, "Partner");
	/* No such role in B yet. */
	as_session(NULL);
	assume_fails(arn, "x1", NULL, 404, "EntityNotExist.Role");
	/* B's role trusting only B. */
	ramtu_as(&broot);
	trust_account(trust, sizeof(trust), acct_b, NULL);
	ok0("CreateRole", "RoleName", "Partner", "AssumeRolePolicyDocument",
	    trust, NULL);
	ok0("AttachPolicyToRole", "PolicyType", "System", "PolicyName",
	    "AliyunECSReadOnlyAccess", "RoleName", "Partner", NULL);
	json_decref(aztu_ok("Action=CreateSecurityGroup&" ECSH));
	as_session(NULL);
	assume_fails(arn, "x1", NULL, 403, "NoPermission");
	/* B trusts A. */
	ramtu_as(&broot);
	trust_account(trust, sizeof(trust), env.account, NULL);
	ok0("UpdateRole", "RoleName", "Partner", "NewAssumeRolePolicyDocument",
	    trust, NULL);
	as_session(NULL);
	assume_ok(arn, "x1", NULL, &c);
	as_session(&c);
	j = aztu_ok("Action=GetCallerIdentity&" STSV);
	assert_string_equal(jstr(j, "AccountId"), acct_b);
	json_decref(j);
	/* Sees B's group, may not change anything. */
	j = aztu_ok("Action=DescribeSecurityGroups&" ECSH);
	assert_int_equal(json_integer_value(json_object_get(j, "TotalCount")),
	    1);
	snprintf(q, sizeof(q), "%s", "Action=CreateSecurityGroup&" ECSH);
	json_decref(j);
	{
		struct tu_reply rp;

		aztu_call(&rp, q);
		assert_int_equal(rp.status, 403);
		assert_string_equal(jstr(json_object_get(rp.json,
		    "AccessDeniedDetail"), "AuthPrincipalOwnerId"), acct_b);
		tu_expect_error(&rp, 403, "Forbidden.RAM");
	}
	as_root();
}

/* A session may assume another role (role chaining). */
static void
test_chaining(void **state)
{
	char arn[128];
	struct cred c, c2;
	json_t *j;

	(void)state;
	as_root();
	ok0("AttachPolicyToRole", "PolicyType", "System", "PolicyName",
	    "AliyunSTSAssumeRoleAccess", "RoleName", "Ops", NULL);
	role_arn(arn, sizeof(arn), env.account, "Ops");
	as_session(NULL);
	assume_ok(arn, "first", NULL, &c);
	as_session(&c);
	assume_ok(arn, "second", NULL, &c2);
	as_session(&c2);
	j = aztu_ok("Action=GetCallerIdentity&" STSV);
	assert_non_null(strstr(jstr(j, "Arn"), "role/Ops/second"));
	json_decref(j);
	as_root();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sts_setup, sts_teardown)
		T(test_assume_and_use),
		T(test_session_policy),
		T(test_assume_checks),
		T(test_assume_params),
		T(test_external_id),
		T(test_token_errors),
		T(test_token_v3),
		T(test_caller_identity),
		T(test_cross_account_role),
		T(test_chaining),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
