/* lg_req: V3-signed request texts for the load generator. */
#include "lg_req.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/sig.h"
#include "lib/rnd.h"
#include "lib/sb.h"
#include "lib/tm.h"

/* The signed headers, in the sorted order V3 requires. */
enum { H_HOST, H_ACTION, H_SHA, H_DATE, H_NONCE, H_VERSION, H_COUNT };

static const char *const lg_hnames[H_COUNT] = { "host", "x-acs-action",
    "x-acs-content-sha256", "x-acs-date", "x-acs-signature-nonce",
    "x-acs-version" };

static char lg_nonce_prefix[17];
static uint64_t lg_nonce_seq;

int
lg_req_init(void)
{
	return rnd_chars("0123456789abcdef", 16, lg_nonce_prefix,
	    sizeof(lg_nonce_prefix)) < 0 ? -1 : 0;
}

static const char *
lg_header(void *arg, const char *lname)
{
	const char *const *vals = arg;

	for (int i = 0; i < H_COUNT; i++)
		if (strcmp(lg_hnames[i], lname) == 0)
			return vals[i];
	return NULL;
}

int
lg_req_v3(const struct lg_key *k, const char *host, const char *version,
    const char *action, const struct prm_list *query, struct lg_req *out)
{
	struct sb cq = SB_INIT, canon = SB_INIT, sts = SB_INIT, req = SB_INIT;
	const char *vals[H_COUNT];
	char date[32], nonce[48], sig[72], signed_list[160] = "";
	int r = -1;

	out->buf = NULL;
	out->len = 0;
	tm_format_iso(tm_now(), date, sizeof(date));
	snprintf(nonce, sizeof(nonce), "%s%016" PRIx64, lg_nonce_prefix,
	    ++lg_nonce_seq);
	vals[H_HOST] = host;
	vals[H_ACTION] = action;
	vals[H_SHA] = SIG_EMPTY_SHA256;
	vals[H_DATE] = date;
	vals[H_NONCE] = nonce;
	vals[H_VERSION] = version;
	for (int i = 0; i < H_COUNT; i++) {
		if (i)
			strcat(signed_list, ";");
		strcat(signed_list, lg_hnames[i]);
	}
	if (sig_canonical_query(query->v, query->n, NULL, &cq) < 0 ||
	    sig_v3_canonical_request("POST", "/", query->v, query->n,
	    signed_list, lg_header, vals, SIG_EMPTY_SHA256, &canon) < 0 ||
	    sig_v3_string_to_sign(sb_str(&canon), &sts) < 0 ||
	    sig_v3_sign(k->secret, sb_str(&sts), sig, sizeof(sig)) < 0)
		goto out;
	sb_addf(&req, "POST /%s%s HTTP/1.1\r\n", cq.len ? "?" : "", sb_str(&cq));
	sb_addf(&req, "host: %s\r\nx-acs-version: %s\r\nx-acs-action: %s\r\n"
	    "user-agent: sekisho-loadgen\r\nx-acs-date: %s\r\n"
	    "x-acs-signature-nonce: %s\r\naccept: application/json\r\n"
	    "x-acs-content-sha256: %s\r\n", host, version, action, date, nonce,
	    SIG_EMPTY_SHA256);
	sb_addf(&req, "authorization: " SIG_V3_ALGO " Credential=%s,"
	    "SignedHeaders=%s,Signature=%s\r\ncontent-length: 0\r\n\r\n",
	    k->akid, signed_list, sig);
	if (sb_ok(&req) < 0)
		goto out;
	out->len = req.len;
	out->buf = sb_take(&req);
	r = 0;
out:
	sb_free(&cq);
	sb_free(&canon);
	sb_free(&sts);
	sb_free(&req);
	return r;
}

/* Appends one "Name=Value" word to q, "{}" in the value replaced. */
static int
lg_tmpl_param(struct prm_list *q, const char *w, size_t len,
    const char *subst)
{
	const char *eq = memchr(w, '=', len), *v, *end = w + len;
	struct sb val = SB_INIT;
	int r = -1;

	if (eq == NULL || eq == w)
		return -1;
	for (v = eq + 1; v < end; v++) {
		if (subst && v + 1 < end && v[0] == '{' && v[1] == '}') {
			sb_adds(&val, subst);
			v++;
		} else {
			sb_addc(&val, *v);
		}
	}
	if (sb_ok(&val) == 0 && prm_add(q, w, (size_t)(eq - w),
	    val.len ? sb_str(&val) : "", val.len) == 0)
		r = 0;
	sb_free(&val);
	return r;
}

int
lg_req_tmpl(const struct lg_key *k, const char *host, const char *tmpl,
    const char *subst, struct lg_req *out)
{
	char version[32] = "", action[96] = "";
	const char *p = tmpl;
	struct prm_list q;
	int r = -1, nw = 0;

	out->buf = NULL;
	out->len = 0;
	prm_init(&q);
	while (*p) {
		size_t len = strcspn(p, " \t\n");

		if (len == 0) {
			p++;
			continue;
		}
		if (nw == 0 && len < sizeof(version))
			memcpy(version, p, len);
		else if (nw == 1 && len < sizeof(action))
			memcpy(action, p, len);
		else if (nw < 2 || lg_tmpl_param(&q, p, len, subst) < 0)
			goto out;
		nw++;
		p += len;
	}
	if (nw >= 2)
		r = lg_req_v3(k, host, version, action, &q, out);
out:
	prm_free(&q);
	return r;
}

void
lg_req_free(struct lg_req *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = 0;
}
