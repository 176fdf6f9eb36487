/*
 * authztu: helpers for the authorization and STS suites (authz_test.c,
 * sts_test.c) on top of ramtu.h: requests V1-signed by whoever signs now
 * (env.akid/env.secret, plus an STS token when set), sent from a chosen
 * client address with chosen headers; RAM users with keys and policies in
 * one call; assertions on denials and their AccessDeniedDetail.
 * Header-only: each test binary includes it once, after ramtu.h.
 */
#ifndef SEKISHO_AUTHZTU_H
#define SEKISHO_AUTHZTU_H

#include "api/api_int.h"
#include "api/sig.h"

/* The STS token sent with the next requests (NULL: none). */
static const char *aztu_token;
/* The client address of the next requests. */
static const char *aztu_ip = "127.0.0.1";

/*
 * GET with query q (the action's parameters, already percent-encoded),
 * V1-signed with the current key (and token), from aztu_ip, with the
 * headers hs (may be NULL).
 */
static TU_UNUSED void
aztu_send(const char *q, struct tu_hdrs *hs, struct tu_reply *rp)
{
	struct tu_hdrs none = { .n = 0 };
	struct api_request req;
	struct api_response resp;
	struct prm_list all;
	struct sb full = SB_INIT, sts = SB_INIT;
	char ts[32], sig[64];

	tm_format_iso(env.now, ts, sizeof(ts));
	sb_addf(&full, "%s&AccessKeyId=", q);
	pct_encode(&full, env.akid, strlen(env.akid));
	sb_addf(&full, "&SignatureMethod=HMAC-SHA1&SignatureVersion=1.0"
	    "&SignatureNonce=aztu-%u&Format=JSON&Timestamp=", ++env.nonce_seq);
	pct_encode(&full, ts, strlen(ts));
	if (aztu_token) {
		sb_adds(&full, "&SecurityToken=");
		pct_encode(&full, aztu_token, strlen(aztu_token));
	}
	prm_init(&all);
	prm_parse(&all, sb_str(&full), full.len);
	sig_v1_string_to_sign("GET", &all, &sts);
	sig_v1_sign(env.secret, sb_str(&sts), sig, sizeof(sig));
	prm_free(&all);
	sb_adds(&full, "&Signature=");
	pct_encode(&full, sig, strlen(sig));
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = "/";
	req.query = sb_str(&full);
	req.body = "";
	req.client_ip = aztu_ip;
	req.header = tu_hdr_lookup;
	req.header_arg = hs ? hs : &none;
	api_handle(env.api, &req, &resp);
	rp->status = resp.status;
	rp->json = json_loads(resp.body, 0, NULL);
	api_response_free(&resp);
	sb_free(&full);
	sb_free(&sts);
}

static TU_UNUSED void
aztu_call(struct tu_reply *rp, const char *q)
{
	aztu_send(q, NULL, rp);
}

/* The status and Code of q as the current identity (reply freed). */
static TU_UNUSED int
aztu_status(const char *q, char *code, size_t len)
{
	struct tu_reply rp;
	int st;

	aztu_call(&rp, q);
	st = rp.status;
	if (code)
		snprintf(code, len, "%s", tu_code(&rp));
	tu_reply_free(&rp);
	return st;
}

/* q must succeed; returns the body (caller decrefs). */
static TU_UNUSED json_t *
aztu_ok(const char *q)
{
	struct tu_reply rp;

	aztu_call(&rp, q);
	if (rp.status != 200)
		fail_msg("%s: %d %s %s", q, rp.status, tu_code(&rp),
		    tu_message(&rp));
	return rp.json;
}

/*
 * q must be denied with status/code; the AccessDeniedDetail must say
 * nodeny ("ImplicitDeny"/"ExplicitDeny") and policy type ptype (NULL: any).
 */
static TU_UNUSED void
aztu_denied(const char *q, int status, const char *code, const char *nodeny,
    const char *ptype)
{
	struct tu_reply rp;
	json_t *d;

	aztu_call(&rp, q);
	if (rp.status != status || strcmp(tu_code(&rp), code) != 0)
		fail_msg("%s: want %d %s, got %d %s (%s)", q, status, code,
		    rp.status, tu_code(&rp), tu_message(&rp));
	d = json_object_get(rp.json, "AccessDeniedDetail");
	if (nodeny) {
		assert_non_null(d);
		assert_string_equal(jstr(d, "NoPermissionType"), nodeny);
		if (ptype)
			assert_string_equal(jstr(d, "PolicyType"), ptype);
		assert_string_equal(jstr(d, "AuthPrincipalOwnerId"), env.account);
		assert_true(strlen(jstr(d, "AuthAction")) > 4);
		assert_true(strlen(jstr(d, "AuthPrincipalDisplayName")) > 0);
	}
	tu_expect_error(&rp, status, code);
}

/*
 * A RAM user with a new key (*k) and, if doc is not NULL, a custom
 * policy "<user>-p" with that document attached. Root signs the setup;
 * the key is not switched to.
 */
static TU_UNUSED void
aztu_user(const char *user, const char *doc, struct ramtu_key *k)
{
	char pname[128];

	ramtu_as(NULL);
	ok0("CreateUser", "UserName", user, NULL);
	ramtu_user_key(user, k);
	if (doc == NULL)
		return;
	snprintf(pname, sizeof(pname), "%s-p", user);
	ok0("CreatePolicy", "PolicyName", pname, "PolicyDocument", doc, NULL);
	ok0("AttachPolicyToUser", "PolicyType", "Custom", "PolicyName", pname,
	    "UserName", user, NULL);
}

/* "{Version:1, Statement:[{Effect, Action, Resource}]}" in buf. */
static TU_UNUSED const char *
aztu_doc(char *buf, size_t len, const char *effect, const char *action,
    const char *resource)
{
	snprintf(buf, len, "{\"Version\":\"1\",\"Statement\":[{\"Effect\":"
	    "\"%s\",\"Action\":%s,\"Resource\":%s}]}", effect, action,
	    resource);
	return buf;
}

#endif
