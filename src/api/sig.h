/*
 * sig: Alibaba Cloud request signatures, pure functions (no I/O, no state).
 *
 *   V1  HMAC-SHA1, SignatureVersion=1.0 (pop-core, Terraform, Tea 'v2'):
 *       StringToSign = METHOD "&%2F&" pct(canonical query of ALL params but
 *       Signature); key = secret "&"; Base64 digest.
 *   V3  ACS3-HMAC-SHA256 (Tea SDKs by default): canonical request of
 *       method, path, sorted query, the signed headers, the body hash;
 *       key = secret; lower-hex digest.
 *
 * Both canonicalize the DECODED parameters re-encoded per RFC 3986, never
 * the raw text (COMPAT: ../shared/spec/ecs-api.md §1.2-1.3, §9.3 item 2).
 */
#ifndef SEKISHO_SIG_H
#define SEKISHO_SIG_H

#include <stddef.h>

#include "lib/prm.h"
#include "lib/sb.h"

#define SIG_V3_ALGO "ACS3-HMAC-SHA256"
#define SIG_EMPTY_SHA256 \
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

/* Sorted "k=v&k=v" of params[0..n) minus skip (may be NULL), RFC 3986. */
int sig_canonical_query(const struct prm *params, size_t n, const char *skip,
    struct sb *out);

int sig_v1_string_to_sign(const char *method, const struct prm_list *params,
    struct sb *out);
/* Base64(HMAC-SHA1(secret + "&", sts)) into out (>= 29 bytes). */
int sig_v1_sign(const char *secret, const char *sts, char *out, size_t len);

struct sig_v3_auth {
	char akid[128];
	char signed_headers[1024];	/* "host;x-acs-action;..." */
	char signature[72];
};

/* Parses "ACS3-HMAC-SHA256 Credential=..,SignedHeaders=..,Signature=..". */
int sig_v3_parse_auth(const char *header, struct sig_v3_auth *out);

/* Returns the value of header lname (lower-case) or NULL. */
typedef const char *(*sig_header_fn)(void *arg, const char *lname);

/*
 * Builds the V3 canonical request. query/nquery are the parameters that
 * came in the URL query only. Returns -ERR_INCOMPLETE_SIGNATURE when a
 * signed header is absent or the list is not lower-case and sorted.
 */
int sig_v3_canonical_request(const char *method, const char *path,
    const struct prm *query, size_t nquery, const char *signed_headers,
    sig_header_fn hdr, void *arg, const char *payload_hash, struct sb *out);
int sig_v3_string_to_sign(const char *canonical_request, struct sb *out);
/* lower-hex HMAC-SHA256(secret, sts) into out (>= 65 bytes). */
int sig_v3_sign(const char *secret, const char *sts, char *out, size_t len);

void sig_sha256_hex(const void *data, size_t n, char out[65]);
/* Constant-time string equality (length leaks, content does not). */
int sig_equal(const char *a, const char *b);

#endif
