/*
 * cli_req: one signed OpenAPI request, built from the resolved credentials
 * and the API parameters. Pure: the date and nonce come in, nothing is
 * sent; the same signing code (api/sig.h) the server verifies with.
 *
 *   V3 (default)  POST /?<sorted RFC 3986 query>, empty body, headers host,
 *                 x-acs-action, x-acs-version, x-acs-date,
 *                 x-acs-signature-nonce, x-acs-content-sha256 (all signed),
 *                 accept; Authorization: ACS3-HMAC-SHA256 ... (as the Tea
 *                 SDKs, ../shared/spec/ecs-api.md §1.2, §2.1)
 *   V1 (--sig v1) GET /?<every parameter incl. the common ones>&Signature=
 *                 (as pop-core, §1.3, §2.4)
 * With an STS token V3 adds the signed x-acs-accesskey-id and
 * x-acs-security-token headers, V1 the SecurityToken parameter.
 */
#include <stdlib.h>
#include <string.h>

#include "api/sig.h"
#include "cli/cli_int.h"
#include "lib/err.h"
#include "lib/pct.h"
#include "lib/tm.h"

/* Set by the client itself; an API parameter of that name is an error. */
static const char *const cli_req_reserved[] = {
	"Action", "Version", "Format", "AccessKeyId", "Signature",
	"SignatureMethod", "SignatureVersion", "SignatureNonce",
	"SignatureType", "Timestamp", "SecurityToken", NULL,
};

static int
cli_req_check_params(const struct prm_list *p, struct sb *why)
{
	for (size_t i = 0; i < p->n; i++)
		for (int j = 0; cli_req_reserved[j]; j++)
			if (strcmp(p->v[i].key, cli_req_reserved[j]) == 0) {
				sb_addf(why, "--%s is set by sekisho itself",
				    p->v[i].key);
				return -ERR_INVALID_PARAMETER;
			}
	return 0;
}

static int
cli_req_add(struct prm_list *l, const char *k, const char *v)
{
	return prm_add(l, k, strlen(k), v, strlen(v));
}

static int
cli_req_hdr_cmp(const void *a, const void *b)
{
	const struct prm *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static const char *
cli_req_hdr(void *arg, const char *lname)
{
	return prm_get(arg, lname);
}

/* url = endpoint "/" ["?" query] */
static int
cli_req_url(const struct cli_cred *c, const char *query, struct cli_req *out)
{
	struct sb u = SB_INIT;

	sb_adds(&u, c->endpoint);
	sb_addc(&u, '/');
	if (query[0]) {
		sb_addc(&u, '?');
		sb_adds(&u, query);
	}
	if (sb_ok(&u) < 0) {
		sb_free(&u);
		return -ERR_NOMEM;
	}
	out->url = sb_take(&u);
	return 0;
}

static int
cli_req_v3(const struct cli_req_in *in, struct cli_req *out)
{
	const struct cli_cred *c = in->cred;
	struct prm_list *h = &out->headers;
	struct sb query = SB_INIT, names = SB_INIT, canon = SB_INIT;
	struct sb sts = SB_INIT, authz = SB_INIT;
	char date[32], sig[72];
	int r;

	out->method = "POST";
	tm_format_iso(in->now, date, sizeof(date));
	if ((r = sig_canonical_query(in->params->v, in->params->n, NULL,
	    &query)) < 0 || (r = cli_req_url(c, sb_str(&query), out)) < 0)
		goto out;
	if ((r = cli_req_add(h, "host", c->host)) < 0 ||
	    (r = cli_req_add(h, "x-acs-action", in->action)) < 0 ||
	    (r = cli_req_add(h, "x-acs-version", in->version)) < 0 ||
	    (r = cli_req_add(h, "x-acs-date", date)) < 0 ||
	    (r = cli_req_add(h, "x-acs-signature-nonce", in->nonce)) < 0 ||
	    (r = cli_req_add(h, "x-acs-content-sha256", SIG_EMPTY_SHA256)) < 0)
		goto out;
	if (c->token[0] &&
	    ((r = cli_req_add(h, "x-acs-accesskey-id", c->akid)) < 0 ||
	    (r = cli_req_add(h, "x-acs-security-token", c->token)) < 0))
		goto out;
	qsort(h->v, h->n, sizeof(h->v[0]), cli_req_hdr_cmp);
	for (size_t i = 0; i < h->n; i++)	/* all of them are signed */
		sb_addf(&names, "%s%s", i ? ";" : "", h->v[i].key);
	if ((r = sb_ok(&names)) < 0 ||
	    (r = sig_v3_canonical_request(out->method, "/", in->params->v,
	    in->params->n, sb_str(&names), cli_req_hdr, h, SIG_EMPTY_SHA256,
	    &canon)) < 0 ||
	    (r = sig_v3_string_to_sign(sb_str(&canon), &sts)) < 0 ||
	    (r = sig_v3_sign(c->secret, sb_str(&sts), sig, sizeof(sig))) < 0)
		goto out;
	sb_addf(&authz, "%s Credential=%s,SignedHeaders=%s,Signature=%s",
	    SIG_V3_ALGO, c->akid, sb_str(&names), sig);
	if ((r = sb_ok(&authz)) < 0 ||
	    (r = cli_req_add(h, "accept", "application/json")) < 0 ||
	    (r = cli_req_add(h, "authorization", sb_str(&authz))) < 0)
		goto out;
	qsort(h->v, h->n, sizeof(h->v[0]), cli_req_hdr_cmp);
out:
	sb_free(&query);
	sb_free(&names);
	sb_free(&canon);
	sb_free(&sts);
	sb_free(&authz);
	return r;
}

static int
cli_req_v1(const struct cli_req_in *in, struct cli_req *out)
{
	const struct cli_cred *c = in->cred;
	struct prm_list all;
	struct sb sts = SB_INIT, query = SB_INIT;
	char ts[32], sig[64];
	int r;

	prm_init(&all);
	out->method = "GET";
	tm_format_iso(in->now, ts, sizeof(ts));
	for (size_t i = 0; i < in->params->n; i++)
		if ((r = cli_req_add(&all, in->params->v[i].key,
		    in->params->v[i].val)) < 0)
			goto out;
	if ((r = cli_req_add(&all, "Action", in->action)) < 0 ||
	    (r = cli_req_add(&all, "Version", in->version)) < 0 ||
	    (r = cli_req_add(&all, "Format", "JSON")) < 0 ||
	    (r = cli_req_add(&all, "AccessKeyId", c->akid)) < 0 ||
	    (r = cli_req_add(&all, "SignatureMethod", "HMAC-SHA1")) < 0 ||
	    (r = cli_req_add(&all, "SignatureVersion", "1.0")) < 0 ||
	    (r = cli_req_add(&all, "SignatureNonce", in->nonce)) < 0 ||
	    (r = cli_req_add(&all, "Timestamp", ts)) < 0)
		goto out;
	if (c->token[0] &&
	    (r = cli_req_add(&all, "SecurityToken", c->token)) < 0)
		goto out;
	if ((r = sig_v1_string_to_sign(out->method, &all, &sts)) < 0 ||
	    (r = sig_v1_sign(c->secret, sb_str(&sts), sig, sizeof(sig))) < 0 ||
	    (r = sig_canonical_query(all.v, all.n, NULL, &query)) < 0)
		goto out;
	sb_adds(&query, "&Signature=");
	pct_encode(&query, sig, strlen(sig));
	if ((r = sb_ok(&query)) < 0 ||
	    (r = cli_req_url(c, sb_str(&query), out)) < 0 ||
	    (r = cli_req_add(&out->headers, "accept", "application/json")) < 0 ||
	    (r = cli_req_add(&out->headers, "host", c->host)) < 0)
		goto out;
out:
	prm_free(&all);
	sb_free(&sts);
	sb_free(&query);
	return r;
}

int
cli_req_build(const struct cli_req_in *in, struct cli_req *out,
    struct sb *why)
{
	int r;

	memset(out, 0, sizeof(*out));
	prm_init(&out->headers);
	if ((r = cli_req_check_params(in->params, why)) < 0)
		return r;
	r = in->v1 ? cli_req_v1(in, out) : cli_req_v3(in, out);
	if (r < 0)
		cli_req_free(out);
	return r;
}

void
cli_req_free(struct cli_req *r)
{
	if (r == NULL)
		return;
	free(r->url);
	r->url = NULL;
	prm_free(&r->headers);
}

void
cli_req_print(const struct cli_req *r, FILE *f, int with_headers)
{
	const char *q = strchr(r->url, '?'), *p;
	size_t tl = strlen("SecurityToken=");

	fprintf(f, "%s %.*s", r->method,
	    (int)(q ? (size_t)(q - r->url) : strlen(r->url)), r->url);
	for (p = q; p && *p; ) {	/* the query, the token redacted */
		size_t n = strcspn(p + 1, "&") + 1;

		if (strncmp(p + 1, "SecurityToken=", tl) == 0)
			fprintf(f, "%cSecurityToken=REDACTED", *p);
		else
			fprintf(f, "%.*s", (int)n, p);
		p += n;
	}
	fputc('\n', f);
	for (size_t i = 0; with_headers && i < r->headers.n; i++)
		fprintf(f, "%s: %s\n", r->headers.v[i].key,
		    strcmp(r->headers.v[i].key, "x-acs-security-token") == 0 ?
		    "REDACTED" : r->headers.v[i].val);
}
