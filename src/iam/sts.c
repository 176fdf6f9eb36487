/*
 * sts: role sessions in the store (see sts.h for the record, the token
 * shape and the lifetime rules). The secret and the token are drawn from
 * the CSPRNG; the token is stored only as its SHA-256 and compared in
 * constant time.
 */
#include "iam/sts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/sig.h"
#include "lib/err.h"
#include "lib/rnd.h"
#include "lib/tm.h"

#define STS_ALNUM \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
#define STS_SECRET_CHARS 44
#define STS_TOKEN_RANDOM 43
#define STS_PRUNE_META "sts_prune_after"

static const char *
sts_str(const json_t *doc, const char *key)
{
	const char *v = json_string_value(json_object_get(doc, key));

	return v ? v : "";
}

static void
sts_res_id(const char *akid, char id[STORE_ID_MAX])
{
	snprintf(id, STORE_ID_MAX, "sts-%s", akid);
}

/* Letters and digits only, exactly n of them. */
static int
sts_alnum(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i]; i++)
		if (strchr(STS_ALNUM, s[i]) == NULL)
			return 0;
	return i == n;
}

/* Prunes at most every STS_PRUNE_EVERY seconds (a meta timestamp). */
static int
sts_prune_due(struct store *st, int64_t now)
{
	char *v = NULL, buf[32];
	int r, due = 1;

	r = store_meta_get(st, STS_PRUNE_META, &v);
	if (r < 0 && r != -ERR_NOT_FOUND)
		return r;
	if (r == 0 && strtoll(v, NULL, 10) > now)
		due = 0;
	free(v);
	if (!due)
		return 0;
	if ((r = sts_prune(st, now, NULL)) < 0)
		return r;
	snprintf(buf, sizeof(buf), "%lld", (long long)(now + STS_PRUNE_EVERY));
	return store_meta_put(st, STS_PRUNE_META, buf);
}

int
sts_issue(struct store *st, const struct sts_issue_in *in,
    struct sts_cred *out)
{
	struct store_res res;
	char hash[65], ts[32];
	int r;

	memset(out, 0, sizeof(*out));
	memset(&res, 0, sizeof(res));
	if ((r = sts_prune_due(st, in->now)) < 0)
		return r;
	memcpy(out->akid, "STS.", 4);
	if ((r = rnd_chars(STS_ALNUM, STS_AKID_CHARS, out->akid + 4,
	    sizeof(out->akid) - 4)) < 0 ||
	    (r = rnd_chars(STS_ALNUM, STS_SECRET_CHARS, out->secret,
	    sizeof(out->secret))) < 0)
		goto out;
	snprintf(out->token, sizeof(out->token), "%s%s.", STS_TOKEN_PREFIX,
	    out->akid + 4);
	if ((r = rnd_chars(STS_ALNUM, STS_TOKEN_RANDOM, out->token +
	    strlen(out->token), sizeof(out->token) - strlen(out->token))) < 0)
		goto out;
	out->expiration = in->now + in->duration;
	sig_sha256_hex(out->token, strlen(out->token), hash);
	tm_format_iso(in->now, ts, sizeof(ts));
	sts_res_id(out->akid, res.id);
	snprintf(res.kind, sizeof(res.kind), "%s", STS_KIND);
	snprintf(res.account, sizeof(res.account), "%s", in->account);
	snprintf(res.parent, sizeof(res.parent), "%s", in->role_id);
	res.doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
	    "AccessKeyId", out->akid, "AccessKeySecret", out->secret,
	    "TokenHash", hash, "RoleId", in->role_id, "RoleName", in->role_name,
	    "RoleSessionName", in->session_name,
	    "Expiration", (json_int_t)out->expiration, "CreateDate", ts,
	    "Caller", in->caller ? in->caller : "");
	if (res.doc == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	if (in->policy && json_object_set_new(res.doc, "Policy",
	    json_string(in->policy)) < 0) {
		r = -ERR_NOMEM;
		goto out;
	}
	r = store_res_put(st, &res);
out:
	store_res_clear(&res);
	if (r < 0)
		OPENSSL_cleanse(out, sizeof(*out));
	return r;
}

/*
 * The token's shape: prefix, the AccessKeyId's characters, '.', the
 * random part. 0 and *key_part set, or -1.
 */
static int
sts_token_parse(const char *token, const char **key_part)
{
	size_t pl = strlen(STS_TOKEN_PREFIX);

	if (token == NULL || strncmp(token, STS_TOKEN_PREFIX, pl) != 0 ||
	    strlen(token) != pl + STS_AKID_CHARS + 1 + STS_TOKEN_RANDOM ||
	    !sts_alnum(token + pl, STS_AKID_CHARS) ||
	    token[pl + STS_AKID_CHARS] != '.' ||
	    !sts_alnum(token + pl + STS_AKID_CHARS + 1, STS_TOKEN_RANDOM))
		return -1;
	*key_part = token + pl;
	return 0;
}

int
sts_resolve(struct store *st, const char *akid, const char *token,
    int64_t now, char *secret, size_t secret_len, struct auth_principal *who)
{
	struct store_res res;
	const char *key_part;
	char id[STORE_ID_MAX], hash[65];
	int r;

	memset(&res, 0, sizeof(res));
	if (sts_token_parse(token, &key_part) < 0)
		return -ERR_SECURITY_TOKEN_MALFORMED;
	if (strlen(akid) != 4 + STS_AKID_CHARS ||
	    strncmp(akid + 4, key_part, STS_AKID_CHARS) != 0)
		return -ERR_SECURITY_TOKEN_MISMATCH;
	sts_res_id(akid, id);
	r = store_res_get(st, id, &res);
	if (r == -ERR_NOT_FOUND || (r == 0 && strcmp(res.kind, STS_KIND) != 0)) {
		r = -ERR_ACCESS_KEY_NOT_FOUND;
		goto out;
	}
	if (r < 0)
		goto out;
	sig_sha256_hex(token, strlen(token), hash);
	if (strlen(sts_str(res.doc, "TokenHash")) != 64 ||
	    CRYPTO_memcmp(hash, sts_str(res.doc, "TokenHash"), 64) != 0) {
		r = -ERR_SECURITY_TOKEN_MALFORMED;
		goto out;
	}
	if (now >= json_integer_value(json_object_get(res.doc, "Expiration"))) {
		r = -ERR_SECURITY_TOKEN_EXPIRED;
		goto out;
	}
	if (strlen(sts_str(res.doc, "AccessKeySecret")) >= secret_len) {
		r = -ERR_INTERNAL;
		goto out;
	}
	snprintf(secret, secret_len, "%s", sts_str(res.doc, "AccessKeySecret"));
	snprintf(who->account, sizeof(who->account), "%s", res.account);
	snprintf(who->principal, sizeof(who->principal), "role:%s",
	    sts_str(res.doc, "RoleName"));
	snprintf(who->akid, sizeof(who->akid), "%s", akid);
	who->is_sts = 1;
out:
	if (res.doc) {
		json_t *s = json_object_get(res.doc, "AccessKeySecret");

		/* jansson keeps its own copy; wipe it before release. */
		if (json_is_string(s))
			OPENSSL_cleanse((char *)json_string_value(s),
			    json_string_length(s));
	}
	store_res_clear(&res);
	return r;
}

int
sts_session_get(struct store *st, const char *akid, struct sts_session *out)
{
	struct store_res res;
	char id[STORE_ID_MAX];
	const char *pol;
	int r;

	memset(out, 0, sizeof(*out));
	sts_res_id(akid, id);
	if ((r = store_res_get(st, id, &res)) < 0)
		return r;
	if (strcmp(res.kind, STS_KIND) != 0) {
		r = -ERR_NOT_FOUND;
		goto out;
	}
	snprintf(out->account, sizeof(out->account), "%s", res.account);
	snprintf(out->role_id, sizeof(out->role_id), "%s",
	    sts_str(res.doc, "RoleId"));
	snprintf(out->role_name, sizeof(out->role_name), "%s",
	    sts_str(res.doc, "RoleName"));
	snprintf(out->session_name, sizeof(out->session_name), "%s",
	    sts_str(res.doc, "RoleSessionName"));
	out->expiration = json_integer_value(json_object_get(res.doc,
	    "Expiration"));
	pol = json_string_value(json_object_get(res.doc, "Policy"));
	if (pol && (out->policy = strdup(pol)) == NULL)
		r = -ERR_NOMEM;
out:
	store_res_clear(&res);
	if (r < 0)
		sts_session_clear(out);
	return r;
}

void
sts_session_clear(struct sts_session *s)
{
	if (s == NULL)
		return;
	free(s->policy);
	s->policy = NULL;
}

int
sts_prune(struct store *st, int64_t now, size_t *n)
{
	struct store_filter f = { NULL, STS_KIND, NULL, NULL, NULL };
	struct store_res_list l = { NULL, 0 };
	size_t gone = 0;
	int r;

	if (n)
		*n = 0;
	if ((r = store_res_list(st, &f, &l)) < 0)
		return r;
	for (size_t i = 0; i < l.n && r == 0; i++) {
		json_int_t exp = json_integer_value(json_object_get(l.v[i].doc,
		    "Expiration"));

		if (exp + STS_GRACE < now) {
			r = store_res_del(st, l.v[i].id);
			gone++;
		}
	}
	store_res_list_free(&l);
	if (n && r == 0)
		*n = gone;
	return r;
}
