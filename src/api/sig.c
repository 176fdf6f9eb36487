/* sig: V1 and V3 canonicalization and digests. */
#include "api/sig.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "lib/err.h"
#include "lib/pct.h"

struct sig_pair {
	char *k;	/* encoded key */
	char *v;	/* encoded value */
};

static int
sig_pair_cmp(const void *a, const void *b)
{
	const struct sig_pair *x = a, *y = b;
	int c = strcmp(x->k, y->k);

	return c ? c : strcmp(x->v, y->v);
}

int
sig_canonical_query(const struct prm *params, size_t n, const char *skip,
    struct sb *out)
{
	struct sig_pair *pairs = NULL;
	struct sb enc = SB_INIT;
	size_t m = 0;
	int r = -ERR_NOMEM;

	if (n > 0 && (pairs = calloc(n, sizeof(*pairs))) == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (skip && strcmp(params[i].key, skip) == 0)
			continue;
		sb_reset(&enc);
		pct_encode(&enc, params[i].key, strlen(params[i].key));
		pairs[m].k = strdup(sb_str(&enc));
		sb_reset(&enc);
		pct_encode(&enc, params[i].val, strlen(params[i].val));
		pairs[m].v = strdup(sb_str(&enc));
		m++;
		if (sb_ok(&enc) < 0 || !pairs[m - 1].k || !pairs[m - 1].v)
			goto out;
	}
	if (m > 1)
		qsort(pairs, m, sizeof(*pairs), sig_pair_cmp);
	for (size_t i = 0; i < m; i++) {
		if (i)
			sb_addc(out, '&');
		sb_adds(out, pairs[i].k);
		sb_addc(out, '=');
		sb_adds(out, pairs[i].v);
	}
	r = sb_ok(out);
out:
	for (size_t i = 0; i < m; i++) {
		free(pairs[i].k);
		free(pairs[i].v);
	}
	free(pairs);
	sb_free(&enc);
	return r;
}

int
sig_v1_string_to_sign(const char *method, const struct prm_list *params,
    struct sb *out)
{
	struct sb cq = SB_INIT;
	int r;

	if ((r = sig_canonical_query(params->v, params->n, "Signature", &cq)) < 0)
		goto out;
	sb_adds(out, method);
	sb_adds(out, "&%2F&");
	pct_encode(out, cq.p ? cq.p : "", cq.len);
	r = sb_ok(out);
out:
	sb_free(&cq);
	return r;
}

int
sig_v1_sign(const char *secret, const char *sts, char *out, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	size_t klen = strlen(secret);
	char *key;

	if (len < 29 || (key = malloc(klen + 2)) == NULL)
		return -ERR_NOMEM;
	memcpy(key, secret, klen);
	key[klen] = '&';
	key[klen + 1] = '\0';
	HMAC(EVP_sha1(), key, (int)klen + 1, (const unsigned char *)sts,
	    strlen(sts), md, &mdlen);
	OPENSSL_cleanse(key, klen + 1);
	free(key);
	EVP_EncodeBlock((unsigned char *)out, md, (int)mdlen);
	return 0;
}

static void
sig_hex(const unsigned char *md, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = '\0';
}

void
sig_sha256_hex(const void *data, size_t n, char out[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256(data, n, md);
	sig_hex(md, sizeof(md), out);
}

int
sig_v3_sign(const char *secret, const char *sts, char *out, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (len < 65)
		return -ERR_INTERNAL;
	HMAC(EVP_sha256(), secret, (int)strlen(secret),
	    (const unsigned char *)sts, strlen(sts), md, &mdlen);
	sig_hex(md, mdlen, out);
	return 0;
}

/* Copies the value of "name=" from a comma-separated list into buf. */
static int
sig_auth_field(const char *list, const char *name, char *buf, size_t len)
{
	size_t nl = strlen(name);
	const char *p = list;

	while (*p) {
		const char *end = strchr(p, ',');
		size_t seg;

		if (end == NULL)
			end = p + strlen(p);
		while (*p == ' ')
			p++;
		seg = (size_t)(end - p);
		if (seg > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
			size_t vl = seg - nl - 1;

			while (vl > 0 && p[nl + vl] == ' ')
				vl--;
			if (vl == 0 || vl >= len)
				return -ERR_INCOMPLETE_SIGNATURE;
			memcpy(buf, p + nl + 1, vl);
			buf[vl] = '\0';
			return 0;
		}
		p = *end ? end + 1 : end;
	}
	return -ERR_INCOMPLETE_SIGNATURE;
}

int
sig_v3_parse_auth(const char *header, struct sig_v3_auth *out)
{
	size_t al = strlen(SIG_V3_ALGO);
	int r;

	memset(out, 0, sizeof(*out));
	if (strncmp(header, SIG_V3_ALGO, al) != 0 || header[al] != ' ')
		return -ERR_INCOMPLETE_SIGNATURE;
	header += al + 1;
	if ((r = sig_auth_field(header, "Credential", out->akid,
	    sizeof(out->akid))) < 0 ||
	    (r = sig_auth_field(header, "SignedHeaders", out->signed_headers,
	    sizeof(out->signed_headers))) < 0 ||
	    (r = sig_auth_field(header, "Signature", out->signature,
	    sizeof(out->signature))) < 0)
		return r;
	return 0;
}

static void
sig_trimmed(struct sb *out, const char *v)
{
	size_t n;

	while (*v == ' ' || *v == '\t')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	sb_addn(out, v, n);
}

int
sig_v3_canonical_request(const char *method, const char *path,
    const struct prm *query, size_t nquery, const char *signed_headers,
    sig_header_fn hdr, void *arg, const char *payload_hash, struct sb *out)
{
	char name[128], prev[128] = "";
	const char *p = signed_headers;
	int r;

	sb_adds(out, method);
	sb_addc(out, '\n');
	sb_adds(out, path);
	sb_addc(out, '\n');
	if ((r = sig_canonical_query(query, nquery, NULL, out)) < 0)
		return r;
	sb_addc(out, '\n');
	while (*p) {
		const char *end = strchr(p, ';'), *v;
		size_t nl;

		if (end == NULL)
			end = p + strlen(p);
		nl = (size_t)(end - p);
		if (nl == 0 || nl >= sizeof(name))
			return -ERR_INCOMPLETE_SIGNATURE;
		memcpy(name, p, nl);
		name[nl] = '\0';
		for (size_t i = 0; i < nl; i++)
			if (name[i] >= 'A' && name[i] <= 'Z')
				return -ERR_INCOMPLETE_SIGNATURE;
		if (strcmp(prev, name) >= 0 && prev[0])
			return -ERR_INCOMPLETE_SIGNATURE;
		if ((v = hdr(arg, name)) == NULL)
			return -ERR_INCOMPLETE_SIGNATURE;
		sb_adds(out, name);
		sb_addc(out, ':');
		sig_trimmed(out, v);
		sb_addc(out, '\n');
		memcpy(prev, name, nl + 1);
		p = *end ? end + 1 : end;
	}
	sb_addc(out, '\n');
	sb_adds(out, signed_headers);
	sb_addc(out, '\n');
	sb_adds(out, payload_hash);
	return sb_ok(out);
}

int
sig_v3_string_to_sign(const char *canonical_request, struct sb *out)
{
	char hex[65];

	sig_sha256_hex(canonical_request, strlen(canonical_request), hex);
	sb_adds(out, SIG_V3_ALGO "\n");
	sb_adds(out, hex);
	return sb_ok(out);
}

int
sig_equal(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n != strlen(b))
		return 0;
	return CRYPTO_memcmp(a, b, n) == 0;
}
