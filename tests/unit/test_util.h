/*
 * test_util: in-process harness for pipeline tests. Opens a real store in a
 * temp dir, boots the root account with known keys, and builds requests
 * signed with the V1 or V3 recipe into api_handle() with a fixed clock.
 * Header-only: each test binary includes it once.
 */
#ifndef SEKISHO_TEST_UTIL_H
#define SEKISHO_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "api/api.h"
#include "api/boot.h"
#include "api/sig.h"
#include "lib/pct.h"
#include "lib/prm.h"
#include "lib/tm.h"
#include "store/store.h"

#define TU_AKID "LTAItestroot"
#define TU_SECRET "testrootsecret"
#define TU_UNUSED __attribute__((unused))

struct tu_env {
	char dir[64];
	struct store *st;
	struct api *api;
	int64_t now;
	const char *akid;
	const char *secret;
	int64_t clock_offset;		/* client clock skew, seconds */
	const char *fixed_nonce;
	int too_large;
	unsigned nonce_seq;
	char account[32];
};

struct tu_reply {
	int status;
	json_t *json;
};

struct tu_hdr {
	const char *name;
	char value[512];
};

struct tu_hdrs {
	struct tu_hdr h[16];
	int n;
};

static TU_UNUSED int
tu_env_open(struct tu_env *e, int64_t now)
{
	struct store_opts so;
	struct api_config ac;
	struct boot_result br;
	char path[128];

	memset(e, 0, sizeof(*e));
	snprintf(e->dir, sizeof(e->dir), "/tmp/sekisho-test-XXXXXX");
	if (mkdtemp(e->dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/sekisho.db", e->dir);
	so.path = path;
	so.sync_full = 0;
	if (store_open(&so, &e->st) < 0)
		return -1;
	if (boot_root(e->st, e->dir, TU_AKID, TU_SECRET, now, &br) < 0)
		return -1;
	snprintf(e->account, sizeof(e->account), "%s", br.account);
	api_config_defaults(&ac);
	if (api_new(e->st, &ac, &e->api) < 0)
		return -1;
	api_set_fixed_now(e->api, now);
	e->now = now;
	e->akid = TU_AKID;
	e->secret = TU_SECRET;
	return 0;
}

static TU_UNUSED void
tu_env_close(struct tu_env *e)
{
	char cmd[128];

	api_free(e->api);
	store_close(e->st);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", e->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", e->dir);
}

static TU_UNUSED void
tu_reply_free(struct tu_reply *r)
{
	json_decref(r->json);
	r->json = NULL;
}

static TU_UNUSED const char *
tu_code(const struct tu_reply *r)
{
	const char *c = json_string_value(json_object_get(r->json, "Code"));

	return c ? c : "";
}

static TU_UNUSED const char *
tu_message(const struct tu_reply *r)
{
	const char *c = json_string_value(json_object_get(r->json, "Message"));

	return c ? c : "";
}

static const char *
tu_hdr_lookup(void *arg, const char *lname)
{
	struct tu_hdrs *hs = arg;

	for (int i = 0; i < hs->n; i++)
		if (strcasecmp(hs->h[i].name, lname) == 0)
			return hs->h[i].value;
	return NULL;
}

static TU_UNUSED void
tu_hdr_set(struct tu_hdrs *hs, const char *name, const char *value)
{
	hs->h[hs->n].name = name;
	snprintf(hs->h[hs->n].value, sizeof(hs->h[hs->n].value), "%s", value);
	hs->n++;
}

/* Sends an unsigned (or pre-signed) request. */
static TU_UNUSED void
tu_send(struct tu_env *e, const char *method, const char *query,
    const char *body, struct tu_hdrs *hs, struct tu_reply *rp)
{
	struct tu_hdrs none = { .n = 0 };
	struct api_request req;
	struct api_response resp;

	if (hs == NULL)
		hs = &none;
	if (body && tu_hdr_lookup(hs, "content-type") == NULL)
		tu_hdr_set(hs, "content-type", "application/x-www-form-urlencoded");
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = "/";
	req.query = query;
	req.body = body ? body : "";
	req.body_len = body ? strlen(body) : 0;
	req.body_too_large = e->too_large;
	req.client_ip = "127.0.0.1";
	req.header = tu_hdr_lookup;
	req.header_arg = hs;
	api_handle(e->api, &req, &resp);
	rp->status = resp.status;
	rp->json = json_loads(resp.body, 0, NULL);
	api_response_free(&resp);
}

static TU_UNUSED void
tu_raw(struct tu_env *e, const char *method, const char *query,
    const char *body, struct tu_hdrs *hs, struct tu_reply *rp)
{
	tu_send(e, method, query, body, hs, rp);
}

static void
tu_nonce(struct tu_env *e, char *buf, size_t len)
{
	if (e->fixed_nonce)
		snprintf(buf, len, "%s", e->fixed_nonce);
	else
		snprintf(buf, len, "nonce-%u-%lld", ++e->nonce_seq,
		    (long long)e->now);
}

/*
 * V1: the common parameters go where the API ones are (the body when the
 * query is NULL); extra ("K=V&...") overrides common ones.
 */
static TU_UNUSED void
tu_v1_full(struct tu_env *e, const char *method, const char *query,
    const char *body, const char *extra, struct tu_reply *rp)
{
	static const char *const keys[] = { "AccessKeyId", "SignatureMethod",
	    "SignatureVersion", "SignatureNonce", "Timestamp", "Format" };
	char ts[32], nonce[64], *q = NULL, *b = NULL;
	const char *vals[6];
	struct prm_list ex, all;
	struct sb common = SB_INIT, sts = SB_INIT, out = SB_INIT;
	char sig[64];

	tm_format_iso(e->now + e->clock_offset, ts, sizeof(ts));
	tu_nonce(e, nonce, sizeof(nonce));
	vals[0] = e->akid;
	vals[1] = "HMAC-SHA1";
	vals[2] = "1.0";
	vals[3] = nonce;
	vals[4] = ts;
	vals[5] = "JSON";
	prm_init(&ex);
	if (extra)
		prm_parse(&ex, extra, strlen(extra));
	for (int i = 0; i < 6; i++) {
		const char *v = prm_get(&ex, keys[i]);

		sb_addf(&common, "%s%s=", i ? "&" : "", keys[i]);
		v = v ? v : vals[i];
		pct_encode(&common, v, strlen(v));
	}
	prm_free(&ex);
	if (query || body == NULL) {
		if (asprintf(&q, "%s%s%s", query ? query : "", query ? "&" : "",
		    sb_str(&common)) < 0)
			abort();
		b = body ? strdup(body) : NULL;
	} else {
		if (asprintf(&b, "%s&%s", body, sb_str(&common)) < 0)
			abort();
	}
	prm_init(&all);
	if (q)
		prm_parse(&all, q, strlen(q));
	if (b)
		prm_parse(&all, b, strlen(b));
	sig_v1_string_to_sign(method, &all, &sts);
	sig_v1_sign(e->secret, sb_str(&sts), sig, sizeof(sig));
	prm_free(&all);
	sb_adds(&out, "&Signature=");
	pct_encode(&out, sig, strlen(sig));
	{
		char **where = q ? &q : &b, *joined;

		if (asprintf(&joined, "%s%s", *where, sb_str(&out)) < 0)
			abort();
		free(*where);
		*where = joined;
	}
	tu_send(e, method, q, b, NULL, rp);
	free(q);
	free(b);
	sb_free(&common);
	sb_free(&sts);
	sb_free(&out);
}

static TU_UNUSED void
tu_v1(struct tu_env *e, const char *method, const char *query,
    const char *body, struct tu_reply *rp)
{
	tu_v1_full(e, method, query, body, NULL, rp);
}

static TU_UNUSED void
tu_v1_extra(struct tu_env *e, const char *method, const char *query,
    const char *extra, struct tu_reply *rp)
{
	tu_v1_full(e, method, query, NULL, extra, rp);
}

#define TU_V3_LIE_HASH 1
#define TU_V3_DROP_DATE_HEADER 2

static TU_UNUSED void
tu_v3(struct tu_env *e, const char *action, const char *version,
    const char *query, const char *body, int flags, struct tu_reply *rp)
{
	struct tu_hdrs hs = { .n = 0 };
	struct prm_list p;
	struct sb canon = SB_INIT, sts = SB_INIT, auth = SB_INIT;
	char ts[32], nonce[64], hash[65], sig[72];
	const char *signed_headers;

	tm_format_iso(e->now + e->clock_offset, ts, sizeof(ts));
	tu_nonce(e, nonce, sizeof(nonce));
	sig_sha256_hex(body ? body : "", body ? strlen(body) : 0, hash);
	if (flags & TU_V3_LIE_HASH)
		snprintf(hash, sizeof(hash), "%s", SIG_EMPTY_SHA256);
	if (body)
		tu_hdr_set(&hs, "content-type", "application/x-www-form-urlencoded");
	tu_hdr_set(&hs, "host", "127.0.0.1:8080");
	tu_hdr_set(&hs, "x-acs-action", action);
	tu_hdr_set(&hs, "x-acs-content-sha256", hash);
	tu_hdr_set(&hs, "x-acs-date", ts);
	tu_hdr_set(&hs, "x-acs-signature-nonce", nonce);
	tu_hdr_set(&hs, "x-acs-version", version);
	signed_headers = body ? "content-type;host;x-acs-action;"
	    "x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version" :
	    "host;x-acs-action;x-acs-content-sha256;x-acs-date;"
	    "x-acs-signature-nonce;x-acs-version";
	prm_init(&p);
	if (query)
		prm_parse(&p, query, strlen(query));
	sig_v3_canonical_request("POST", "/", p.v, p.n, signed_headers,
	    tu_hdr_lookup, &hs, hash, &canon);
	sig_v3_string_to_sign(sb_str(&canon), &sts);
	sig_v3_sign(e->secret, sb_str(&sts), sig, sizeof(sig));
	sb_addf(&auth, "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,"
	    "Signature=%s", e->akid, signed_headers, sig);
	tu_hdr_set(&hs, "authorization", sb_str(&auth));
	if (flags & TU_V3_DROP_DATE_HEADER)
		hs.h[body ? 4 : 3].name = "x-removed";
	tu_send(e, "POST", query, body, &hs, rp);
	prm_free(&p);
	sb_free(&canon);
	sb_free(&sts);
	sb_free(&auth);
}

/* Asserts an error reply with the full envelope, then frees it. */
#define tu_expect_error(rp, want_status, want_code) do { \
	assert_int_equal((rp)->status, (want_status)); \
	assert_string_equal(tu_code(rp), (want_code)); \
	assert_non_null(json_object_get((rp)->json, "RequestId")); \
	assert_non_null(json_object_get((rp)->json, "HostId")); \
	assert_non_null(json_object_get((rp)->json, "Message")); \
	assert_non_null(json_object_get((rp)->json, "Recommend")); \
	tu_reply_free(rp); \
} while (0)

#endif
