/*
 * auth: signature verification (V1 and V3), timestamp window, nonce, key
 * status. Order matters: the nonce is recorded only after the signature
 * verified, so a forged request cannot burn a client's nonce.
 */
#include "api/auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/sig.h"
#include "lib/err.h"
#include "lib/tm.h"

auth_sts_fn auth_sts_hook;

struct auth_key {
	char secret[256];
	struct auth_principal who;
};

static int
auth_fail(struct sb *detail, int err, const char *what)
{
	if (what)
		sb_adds(detail, what);
	return err;
}

static int
auth_check_time(const struct auth_input *in, const char *ts, struct sb *detail)
{
	int64_t t;
	int r;

	if ((r = tm_parse_iso(ts, &t)) < 0)
		return auth_fail(detail, -ERR_TIMESTAMP_FORMAT, NULL);
	if (t > in->now + in->skew || t < in->now - in->skew)
		return auth_fail(detail, -ERR_TIMESTAMP_EXPIRED, NULL);
	return 0;
}

/* Looks up a permanent or STS key; fills k->secret and k->who. */
static int
auth_lookup(const struct auth_input *in, const char *akid, const char *token,
    struct auth_key *k)
{
	struct store_key sk;
	int r;

	memset(k, 0, sizeof(*k));
	if (strncmp(akid, "STS.", 4) == 0) {
		if (auth_sts_hook == NULL)
			return -ERR_ACCESS_KEY_NOT_FOUND;
		if (token == NULL || token[0] == '\0')
			return -ERR_MISSING_SECURITY_TOKEN;
		if ((r = store_tx_begin(in->st, STORE_TX_READ)) < 0)
			return r;
		r = auth_sts_hook(in->st, akid, token, in->now, k->secret,
		    sizeof(k->secret), &k->who);
		store_tx_abort(in->st);
		k->who.is_sts = 1;
		goto out;
	}
	if ((r = store_tx_begin(in->st, STORE_TX_READ)) < 0)
		return r;
	r = store_key_get(in->st, akid, &sk);
	store_tx_abort(in->st);
	if (r == -ERR_NOT_FOUND)
		return -ERR_ACCESS_KEY_NOT_FOUND;
	if (r < 0)
		return r;
	if (strcmp(sk.status, "Active") != 0) {
		r = -ERR_ACCESS_KEY_DISABLED;
		goto out;
	}
	snprintf(k->secret, sizeof(k->secret), "%s", sk.secret);
	snprintf(k->who.account, sizeof(k->who.account), "%s", sk.account);
	snprintf(k->who.principal, sizeof(k->who.principal), "%s", sk.principal);
out:
	OPENSSL_cleanse(&sk, sizeof(sk));
	snprintf(k->who.akid, sizeof(k->who.akid), "%s", akid);
	return r;
}

static int
auth_v1(const struct auth_input *in, struct auth_principal *who,
    struct sb *detail)
{
	const struct prm_list *p = in->params;
	const char *sig = prm_get(p, "Signature");
	const char *akid = prm_get(p, "AccessKeyId");
	const char *ts = prm_get(p, "Timestamp");
	const char *nonce = prm_get(p, "SignatureNonce");
	const char *method = prm_get(p, "SignatureMethod");
	const char *version = prm_get(p, "SignatureVersion");
	struct sb sts = SB_INIT;
	struct auth_key k;
	char mine[64];
	int r;

	if (method == NULL)
		return auth_fail(detail, -ERR_MISSING_PARAMETER, "SignatureMethod");
	if (strcmp(method, "HMAC-SHA1") != 0)
		return auth_fail(detail, -ERR_INVALID_SIGNATURE_METHOD, "SignatureMethod");
	if (version && strcmp(version, "1.0") != 0)
		return auth_fail(detail, -ERR_INVALID_SIGNATURE_METHOD, "SignatureVersion");
	if (akid == NULL || akid[0] == '\0')
		return auth_fail(detail, -ERR_MISSING_PARAMETER, "AccessKeyId");
	if (ts == NULL || ts[0] == '\0')
		return auth_fail(detail, -ERR_MISSING_PARAMETER, "Timestamp");
	if (nonce == NULL || nonce[0] == '\0')
		return auth_fail(detail, -ERR_MISSING_PARAMETER, "SignatureNonce");
	if ((r = auth_check_time(in, ts, detail)) < 0)
		return r;
	if ((r = auth_lookup(in, akid, prm_get(p, "SecurityToken"), &k)) < 0)
		goto out;
	if ((r = sig_v1_string_to_sign(in->req->method, p, &sts)) < 0)
		goto out;
	if ((r = sig_v1_sign(k.secret, sb_str(&sts), mine, sizeof(mine))) < 0)
		goto out;
	if (!sig_equal(mine, sig)) {
		r = auth_fail(detail, -ERR_SIGNATURE_MISMATCH, sb_str(&sts));
		goto out;
	}
	if ((r = nonce_cache_check(in->nonces, akid, nonce, in->now)) < 0)
		goto out;
	*who = k.who;
	who->sig_version = 1;
out:
	OPENSSL_cleanse(&k, sizeof(k));
	sb_free(&sts);
	return r;
}

static int
auth_v3(const struct auth_input *in, const char *authz,
    struct auth_principal *who, struct sb *detail)
{
	const struct api_request *req = in->req;
	struct sb canon = SB_INIT, sts = SB_INIT;
	const char *date, *nonce, *sent_hash, *token;
	struct sig_v3_auth a;
	struct auth_key k;
	char body_hash[65], mine[72];
	int r;

	memset(&k, 0, sizeof(k));
	if ((r = sig_v3_parse_auth(authz, &a)) < 0)
		return auth_fail(detail, r, "Authorization");
	date = req->header(req->header_arg, "x-acs-date");
	nonce = req->header(req->header_arg, "x-acs-signature-nonce");
	if (date == NULL)
		return auth_fail(detail, -ERR_MISSING_PARAMETER, "x-acs-date");
	if (nonce == NULL || nonce[0] == '\0')
		return auth_fail(detail, -ERR_MISSING_PARAMETER,
		    "x-acs-signature-nonce");
	if ((r = auth_check_time(in, date, detail)) < 0)
		return r;
	sig_sha256_hex(req->body ? req->body : "", req->body_len, body_hash);
	sent_hash = req->header(req->header_arg, "x-acs-content-sha256");
	if (sent_hash && strcmp(sent_hash, body_hash) != 0)
		return auth_fail(detail, -ERR_INCOMPLETE_SIGNATURE,
		    "x-acs-content-sha256 does not match the body.");
	token = req->header(req->header_arg, "x-acs-security-token");
	if (token == NULL)
		token = prm_get(in->params, "SecurityToken");
	if ((r = auth_lookup(in, a.akid, token, &k)) < 0)
		goto out;
	r = sig_v3_canonical_request(req->method, req->path, in->params->v,
	    (size_t)in->params->from_query, a.signed_headers, req->header,
	    req->header_arg, body_hash, &canon);
	if (r < 0) {
		auth_fail(detail, r, "SignedHeaders");
		goto out;
	}
	if ((r = sig_v3_string_to_sign(sb_str(&canon), &sts)) < 0 ||
	    (r = sig_v3_sign(k.secret, sb_str(&sts), mine, sizeof(mine))) < 0)
		goto out;
	if (!sig_equal(mine, a.signature)) {
		r = auth_fail(detail, -ERR_SIGNATURE_MISMATCH, sb_str(&sts));
		goto out;
	}
	if ((r = nonce_cache_check(in->nonces, a.akid, nonce, in->now)) < 0)
		goto out;
	*who = k.who;
	who->sig_version = 3;
out:
	OPENSSL_cleanse(&k, sizeof(k));
	sb_free(&canon);
	sb_free(&sts);
	return r;
}

int
auth_verify(const struct auth_input *in, struct auth_principal *who,
    struct sb *detail)
{
	const char *authz = in->req->header(in->req->header_arg, "authorization");

	memset(who, 0, sizeof(*who));
	if (authz && strncmp(authz, "ACS3-", 5) == 0) {
		if (strncmp(authz, SIG_V3_ALGO " ", sizeof(SIG_V3_ALGO)) != 0)
			return auth_fail(detail, -ERR_INCOMPLETE_SIGNATURE,
			    "Unsupported signature algorithm.");
		return auth_v3(in, authz, who, detail);
	}
	if (prm_get(in->params, "Signature"))
		return auth_v1(in, who, detail);
	return auth_fail(detail, -ERR_MISSING_PARAMETER, "Signature");
}
