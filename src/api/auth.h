/*
 * auth: who sent this request. Verifies a V1 or V3 signature against the
 * store's access keys, the timestamp window and the nonce cache, and names
 * the principal. STS credentials plug in through auth_sts_hook (set by the
 * identity layer); without it "STS." keys are unknown.
 */
#ifndef SEKISHO_AUTH_H
#define SEKISHO_AUTH_H

#include <stdint.h>

#include "api/api.h"
#include "lib/prm.h"
#include "lib/sb.h"

struct auth_principal {
	char account[32];
	char principal[160];	/* "root" | "user:<name>" | "role:<name>" | "agent:<host>" */
	char akid[128];
	int is_sts;
	int sig_version;	/* 1 or 3 */
};

struct nonce_cache;

int nonce_cache_new(int64_t window, struct nonce_cache **out);
void nonce_cache_free(struct nonce_cache *nc);
/* 0 if fresh (and now remembered), -ERR_NONCE_USED if seen in the window. */
int nonce_cache_check(struct nonce_cache *nc, const char *akid,
    const char *nonce, int64_t now);

/*
 * Resolves an STS AccessKeyId + token to its secret and principal.
 * Returns 0, or -ERR_ACCESS_KEY_NOT_FOUND / -ERR_SECURITY_TOKEN_* .
 */
typedef int (*auth_sts_fn)(struct store *st, const char *akid,
    const char *token, int64_t now, char *secret, size_t secret_len,
    struct auth_principal *who);
extern auth_sts_fn auth_sts_hook;

struct auth_input {
	const struct api_request *req;
	const struct prm_list *params;	/* query + body, decoded */
	struct store *st;
	struct nonce_cache *nonces;
	int64_t now;
	int64_t skew;
};

/* 0 with *who filled, or -ERR_x with a detail (e.g. the string to sign). */
int auth_verify(const struct auth_input *in, struct auth_principal *who,
    struct sb *detail);

#endif
