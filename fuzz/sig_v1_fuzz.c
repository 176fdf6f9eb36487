/*
 * sig_v1_fuzz: the V1 (HMAC-SHA1) string to sign over arbitrary parameters.
 *
 * Input: byte 0 picks the method (even GET, odd POST); the rest is split at
 * NUL bytes into key, value, key, value... (exact bytes, as prm_parse would
 * hand them over after decoding: pairs with an empty key or invalid UTF-8
 * are dropped, as prm_parse refuses them).
 * Checks, besides ASan/UBSan:
 *   - the string to sign is METHOD "&%2F&" + only RFC 3986 output
 *     (unreserved characters and %XX with upper-case hex);
 *   - it does not depend on parameter order, nor on Signature's value;
 *   - the canonical query decodes back to as many pairs as were signed;
 *   - sig_v1_sign yields 28 Base64 characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/sig.h"
#include "lib/prm.h"
#include "lib/sb.h"
#include "lib/utf8.h"

static int
sig_v1_fuzz_unreserved(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '~';
}

static int
sig_v1_fuzz_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
}

/* Checks the part after the prefix is pure RFC 3986 output. */
static void
sig_v1_fuzz_check_encoded(const char *s)
{
	for (; *s; s++) {
		if (sig_v1_fuzz_unreserved(*s))
			continue;
		if (s[0] != '%' || !sig_v1_fuzz_hex(s[1]) || !sig_v1_fuzz_hex(s[2]))
			abort();
		s += 2;
	}
}

static void
sig_v1_fuzz_split(const uint8_t *data, size_t size, struct prm_list *l)
{
	const char *p = (const char *)data, *end = p + size, *key = NULL;
	size_t klen = 0;

	while (p <= end && l->n < PRM_MAX_COUNT) {
		const char *z = memchr(p, '\0', (size_t)(end - p));
		size_t n = z ? (size_t)(z - p) : (size_t)(end - p);

		if (key == NULL) {
			key = p;
			klen = n;
		} else {
			if (klen > 0 && utf8_valid(key, klen) &&
			    utf8_valid(p, n) && prm_add(l, key, klen, p, n) != 0)
				abort();
			key = NULL;
		}
		if (z == NULL)
			break;
		p = z + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prm_list l, rev, back;
	struct sb sts = SB_INIT, sts2 = SB_INIT, cq = SB_INIT;
	const char *method;
	char sig[64];
	size_t nsigned = 0, plen;

	if (size < 1)
		return 0;
	method = (data[0] & 1) ? "POST" : "GET";
	prm_init(&l);
	prm_init(&rev);
	prm_init(&back);
	sig_v1_fuzz_split(data + 1, size - 1, &l);

	if (sig_v1_string_to_sign(method, &l, &sts) != 0)
		abort();
	plen = strlen(method) + 5;
	if (strncmp(sb_str(&sts), method, plen - 5) != 0 ||
	    strncmp(sb_str(&sts) + plen - 5, "&%2F&", 5) != 0)
		abort();
	sig_v1_fuzz_check_encoded(sb_str(&sts) + plen);

	/* Order independence; Signature is never signed. */
	for (size_t i = l.n; i-- > 0;)
		if (prm_add(&rev, l.v[i].key, strlen(l.v[i].key), l.v[i].val,
		    strlen(l.v[i].val)) != 0)
			abort();
	if (rev.n < PRM_MAX_COUNT &&
	    prm_add(&rev, "Signature", 9, "forged", 6) != 0)
		abort();
	if (sig_v1_string_to_sign(method, &rev, &sts2) != 0 ||
	    strcmp(sb_str(&sts), sb_str(&sts2)) != 0)
		abort();

	/* The canonical query decodes back to the signed pairs. */
	for (size_t i = 0; i < l.n; i++)
		nsigned += strcmp(l.v[i].key, "Signature") != 0;
	if (sig_canonical_query(l.v, l.n, "Signature", &cq) != 0 ||
	    prm_parse(&back, sb_str(&cq), cq.len) != 0 || back.n != nsigned)
		abort();

	if (sig_v1_sign("SECRETEXAMPLE", sb_str(&sts), sig, sizeof(sig)) != 0 ||
	    strlen(sig) != 28)
		abort();

	prm_free(&l);
	prm_free(&rev);
	prm_free(&back);
	sb_free(&sts);
	sb_free(&sts2);
	sb_free(&cq);
	return 0;
}
