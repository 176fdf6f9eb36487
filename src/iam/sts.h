/*
 * sts: temporary credentials (STS 2015-04-01) — issuing a role session,
 * and resolving a request's STS AccessKeyId + SecurityToken back to the
 * session's secret and principal (the authentication step's
 * auth_sts_hook, see api/auth.h).
 *
 * A session is one store resource of the role's account:
 *
 *   kind         id                 parent   doc
 *   sts_session  "sts-<AccessKeyId>" RoleId   AccessKeyId AccessKeySecret
 *                                            TokenHash RoleId RoleName
 *                                            RoleSessionName Policy?
 *                                            Expiration (Unix s) CreateDate
 *                                            Caller (ARN of who assumed)
 *
 * AccessKeyId  "STS." + 24 letters and digits;
 * SecurityToken STS_TOKEN_PREFIX + the AccessKeyId's 24 characters + "." +
 *              43 random letters and digits. Opaque to clients; only its
 *              SHA-256 is stored. Carrying the AccessKeyId lets a token
 *              presented with another key be told apart (MismatchWith-
 *              AccessKey) from a damaged or invented one (Malformed).
 *
 * Lifetime: a session works until Expiration; afterwards its requests get
 * InvalidSecurityToken.Expired. Sessions are kept STS_GRACE seconds past
 * expiry (so a late request still learns "expired"), then pruned by the
 * next sts_issue() (at most once per STS_PRUNE_EVERY seconds; one listing
 * of all sessions).
 *
 * The session's permissions (authorization step, iam/authz.h): the role's
 * policies, intersected with the session Policy when one was given.
 * Deleting the role or detaching its policies takes effect at once.
 *
 * Every function needs an open store transaction (write for sts_issue),
 * except that sts_resolve() is called by auth.c inside its own read one.
 */
#ifndef SEKISHO_STS_H
#define SEKISHO_STS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "api/auth.h"
#include "store/store.h"

#define STS_KIND "sts_session"
#define STS_TOKEN_PREFIX "SKST1."
#define STS_AKID_CHARS 24
#define STS_DURATION_MIN 900
#define STS_DURATION_DEFAULT 3600
#define STS_GRACE 86400
#define STS_PRUNE_EVERY 300

/* Sizes of the credential strings (with their NUL). */
#define STS_AKID_MAX 32
#define STS_SECRET_MAX 48
#define STS_TOKEN_MAX 96

/* What AssumeRole (or an instance role) asks for. Borrowed strings. */
struct sts_issue_in {
	const char *account;		/* the role's account */
	const char *role_id;
	const char *role_name;		/* canonical spelling (RoleName) */
	const char *session_name;	/* RoleSessionName, checked by caller */
	int64_t duration;		/* seconds, checked by caller */
	const char *policy;		/* session policy text, or NULL */
	const char *caller;		/* ARN of the caller, for the record */
	int64_t now;
};

struct sts_cred {
	char akid[STS_AKID_MAX];
	char secret[STS_SECRET_MAX];
	char token[STS_TOKEN_MAX];
	int64_t expiration;
};

/*
 * Creates a session and fills *out (the caller cleanses it after use).
 * Also prunes long-expired sessions (see above). Needs a write tx.
 */
int sts_issue(struct store *st, const struct sts_issue_in *in,
    struct sts_cred *out);

/*
 * auth_sts_fn: resolves akid + token at `now`. On success the secret is
 * copied out and who gets the role's account and principal
 * "role:<RoleName>" (who->akid keeps the session key). Errors, checked in
 * this order: -ERR_SECURITY_TOKEN_MALFORMED (not one of our tokens),
 * -ERR_SECURITY_TOKEN_MISMATCH (a token of another key),
 * -ERR_ACCESS_KEY_NOT_FOUND (no such session, or pruned),
 * -ERR_SECURITY_TOKEN_MALFORMED (right shape, wrong secret part: forged),
 * -ERR_SECURITY_TOKEN_EXPIRED.
 */
int sts_resolve(struct store *st, const char *akid, const char *token,
    int64_t now, char *secret, size_t secret_len, struct auth_principal *who);

/* A session as the authorization step and GetCallerIdentity see it. */
struct sts_session {
	char account[32];
	char role_id[STORE_ID_MAX];
	char role_name[128];
	char session_name[128];
	char *policy;		/* session policy text (malloc'd) or NULL */
	int64_t expiration;
};

/* 0 with *out filled (sts_session_clear() it), or -ERR_NOT_FOUND. */
int sts_session_get(struct store *st, const char *akid,
    struct sts_session *out);
void sts_session_clear(struct sts_session *s);	/* NULL-safe */

/*
 * Deletes sessions that expired more than STS_GRACE seconds before now,
 * in every account; *n (may be NULL) says how many. Needs a write tx.
 */
int sts_prune(struct store *st, int64_t now, size_t *n);

#endif
