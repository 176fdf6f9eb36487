/*
 * sig_v3_fuzz: V3 (ACS3-HMAC-SHA256) Authorization parsing and the
 * canonical request over fuzzed SignedHeaders lists and headers.
 *
 * Input, '\n'-separated lines:
 *   0   the Authorization header value
 *   1   the HTTP method
 *   2   the raw query string (decoded with prm_parse)
 *   3.. headers "name:value", looked up case-insensitively (first wins)
 * The canonical request is built twice: with the SignedHeaders parsed from
 * line 0 (when it parses), and with line 0 itself as the list, so the list
 * tokenizer sees arbitrary bytes. Checks, besides ASan/UBSan:
 *   - parsed Credential/SignedHeaders/Signature are non-empty, comma-free;
 *   - an accepted list is lower-case, strictly sorted, every header present;
 *   - the canonical request has exactly the documented shape (spec §1.2):
 *     METHOD\n/\nQUERY\n{name:value\n}\nSIGNEDHEADERS\nHASH;
 *   - the string to sign and the signature have their fixed forms.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/sig.h"
#include "lib/prm.h"
#include "lib/sb.h"

#define SIG_V3_FUZZ_LINES 64

struct sig_v3_fuzz_in {
	char *line[SIG_V3_FUZZ_LINES];
	size_t n;
};

static const char *
sig_v3_fuzz_header(void *arg, const char *lname)
{
	const struct sig_v3_fuzz_in *in = arg;
	size_t nl = strlen(lname);

	for (size_t i = 3; i < in->n; i++)
		if (strncasecmp(in->line[i], lname, nl) == 0 &&
		    in->line[i][nl] == ':')
			return in->line[i] + nl + 1;
	return NULL;
}

static void
sig_v3_fuzz_is_hex64(const char *s)
{
	if (strlen(s) != 64 || strspn(s, "0123456789abcdef") != 64)
		abort();
}

/* Walks the canonical request line by line against the header list. */
static void
sig_v3_fuzz_check_shape(const char *canon, const char *method,
    const char *list, const char *hash)
{
	const char *p = canon, *name = list, *nl;
	char prev[128] = "", cur[128];
	size_t ml = strlen(method), n;

	if (strncmp(p, method, ml) != 0 || strncmp(p + ml, "\n/\n", 3) != 0)
		abort();
	p += ml + 3;
	if ((nl = strchr(p, '\n')) == NULL)
		abort();
	p = nl + 1;				/* past the canonical query */
	while (*name) {
		const char *semi = strchr(name, ';');

		n = semi ? (size_t)(semi - name) : strlen(name);
		if (n == 0 || n >= sizeof(prev) || strncmp(p, name, n) != 0 ||
		    p[n] != ':')
			abort();
		for (size_t i = 0; i < n; i++)
			if (name[i] >= 'A' && name[i] <= 'Z')
				abort();
		memcpy(cur, name, n);
		cur[n] = '\0';
		if (prev[0] && strcmp(prev, cur) >= 0)
			abort();	/* not strictly increasing */
		memcpy(prev, cur, n + 1);
		if ((nl = strchr(p, '\n')) == NULL)
			abort();
		p = nl + 1;
		name = semi ? semi + 1 : name + n;
	}
	if (*p++ != '\n' || strncmp(p, list, strlen(list)) != 0)
		abort();
	p += strlen(list);
	if (*p++ != '\n' || strcmp(p, hash) != 0)
		abort();
}

static void
sig_v3_fuzz_canon(struct sig_v3_fuzz_in *in, const struct prm_list *q,
    const char *list)
{
	struct sb canon = SB_INIT, sts = SB_INIT;
	char sig[72];

	if (sig_v3_canonical_request(in->line[1], "/", q->v, q->n, list,
	    sig_v3_fuzz_header, in, SIG_EMPTY_SHA256, &canon) == 0) {
		sig_v3_fuzz_check_shape(sb_str(&canon), in->line[1], list,
		    SIG_EMPTY_SHA256);
		if (sig_v3_string_to_sign(sb_str(&canon), &sts) != 0 ||
		    strncmp(sb_str(&sts), SIG_V3_ALGO "\n", 17) != 0)
			abort();
		sig_v3_fuzz_is_hex64(sb_str(&sts) + 17);
		if (sig_v3_sign("SECRETEXAMPLE", sb_str(&sts), sig,
		    sizeof(sig)) != 0)
			abort();
		sig_v3_fuzz_is_hex64(sig);
	}
	sb_free(&canon);
	sb_free(&sts);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sig_v3_fuzz_in in;
	struct sig_v3_auth a;
	struct prm_list q;
	char *text, *p;

	if (memchr(data, '\0', size) != NULL || (text = malloc(size + 1)) == NULL)
		return 0;	/* headers never carry NUL bytes */
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&in, 0, sizeof(in));
	for (p = text; in.n < SIG_V3_FUZZ_LINES; ) {
		char *nl = strchr(p, '\n');

		in.line[in.n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	while (in.n < 3)
		in.line[in.n++] = "";
	prm_init(&q);
	if (prm_parse(&q, in.line[2], strlen(in.line[2])) != 0)
		prm_free(&q);

	if (sig_v3_parse_auth(in.line[0], &a) == 0) {
		if (!a.akid[0] || !a.signed_headers[0] || !a.signature[0] ||
		    strchr(a.akid, ',') || strchr(a.signed_headers, ',') ||
		    strchr(a.signature, ','))
			abort();
		sig_v3_fuzz_canon(&in, &q, a.signed_headers);
		(void)sig_equal(a.signature, a.akid);
	}
	sig_v3_fuzz_canon(&in, &q, in.line[0]);
	prm_free(&q);
	free(text);
	return 0;
}
