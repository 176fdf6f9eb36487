/*
 * sts: the STS 2015-04-01 actions — AssumeRole and GetCallerIdentity
 * (../shared/spec/identity.md §7). Sessions live in the store (iam/sts.h);
 * requests signed with their credentials are authorized as the role,
 * narrowed by the session policy (iam/authz.h).
 *
 * AssumeRole needs two yeses: the caller's own sts:AssumeRole on the role
 * ARN (checked by the authorize step, the RoleArn being the resource) and
 * the role's trust policy (checked here, with the caller as principal and
 * sts:ExternalId in the context). COMPAT: the account root cannot assume
 * roles (NoPermission "Roles may not be assumed by root accounts.", STS's
 * error list); a role session may (role chaining). The role may live in
 * another account: its trust policy decides.
 *
 * GetCallerIdentity has no RAM action: every authenticated identity may
 * call it.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "api/api_int.h"
#include "iam/authz.h"
#include "iam/pol.h"
#include "iam/ramdb.h"
#include "iam/sts.h"
#include "lib/tm.h"

#define STS_VERSION "2015-04-01"
#define STS_ROLE_NAME_MAX 64

static const char *
sts_jstr(const json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

/* Every character alphanumeric or in extra. */
static int
sts_chars(const char *v, const char *extra)
{
	for (const char *p = v; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr(extra, *p) == NULL)
			return 0;
	return 1;
}

/* "acs:ram::<digits>:role/<name>" into account and name. */
static int
sts_arn_parse(const char *arn, char account[32], char name[128])
{
	const char *a = arn + 9, *colon, *n;
	size_t al;

	if (strncmp(arn, "acs:ram::", 9) != 0 ||
	    (colon = strchr(a, ':')) == NULL ||
	    strncmp(colon + 1, "role/", 5) != 0)
		return -1;
	al = (size_t)(colon - a);
	n = colon + 6;
	if (al == 0 || al >= 32 || strlen(n) == 0 ||
	    strlen(n) > STS_ROLE_NAME_MAX || !sts_chars(n, ".-@"))
		return -1;
	for (size_t i = 0; i < al; i++)
		if (!isdigit((unsigned char)a[i]))
			return -1;
	memcpy(account, a, al);
	account[al] = '\0';
	snprintf(name, 128, "%s", n);
	return 0;
}

/* The optional session policy: size, then grammar (STS's own codes). */
static int
sts_check_policy(struct api_call *c, const char *text)
{
	struct pol *p = NULL;
	char why[256] = "";
	int r;

	if (text == NULL)
		return 0;
	r = pol_parse(text, strlen(text), POL_IDENTITY, POL_SESSION_MAX_CHARS,
	    &p, why, sizeof(why));
	pol_free(p);
	if (r == -ERR_RAM_POLICY_DOC_LENGTH)
		return api_fail(c, strlen(text) == 0 ? ERR_STS_POLICY_GRAMMAR :
		    ERR_STS_POLICY_SIZE, "%s", why);
	if (r == -ERR_RAM_MALFORMED_POLICY)
		return api_fail(c, ERR_STS_POLICY_GRAMMAR, "%s", why);
	return r;
}

static int
sts_check_duration(struct api_call *c, const json_t *role, int64_t *out)
{
	int64_t d = api_int(c, "DurationSeconds", STS_DURATION_DEFAULT);
	int64_t max = json_integer_value(json_object_get(role,
	    "MaxSessionDuration"));

	if (max < STS_DURATION_DEFAULT)
		max = STS_DURATION_DEFAULT;
	*out = d;
	if (d >= STS_DURATION_MIN && d <= max)
		return 0;
	if (max % 3600 == 0)
		return api_fail(c, ERR_STS_DURATION, "%lldhr",
		    (long long)(max / 3600));
	return api_fail(c, ERR_STS_DURATION, "%llds", (long long)max);
}

/* The role's trust policy must let the caller assume it. */
static int
sts_check_trust(struct api_call *c, const json_t *role, const char *arn,
    const char *caller)
{
	const char *doc = sts_jstr(role, "AssumeRolePolicyDocument");
	const char *ext = api_str(c, "ExternalId");
	struct pol_principal who = { POL_PRINCIPAL_RAM, c->who.account,
	    caller, NULL };
	struct pol_kv extra = { "sts:ExternalId", ext };
	struct pol_result res;
	struct pol_ctx ctx;
	struct pol *trust = NULL;
	char ip[64];
	int r;

	if ((r = pol_parse(doc, strlen(doc), POL_TRUST, POL_MAX_CHARS, &trust,
	    NULL, 0)) < 0)
		return r == -ERR_NOMEM ? r : authz_deny(c, 1,
		    ERR_STS_NOT_TRUSTED, POL_IMPLICIT_DENY, "AssumeRolePolicy",
		    "sts:AssumeRole", caller);
	authz_context(c, "sts:AssumeRole", arn, &ctx, ip, sizeof(ip));
	if (ext) {
		ctx.extra = &extra;
		ctx.n_extra = 1;
	}
	r = pol_trust_eval(trust, &who, &ctx, &res);
	pol_free(trust);
	if (r < 0)
		return r;
	if (res.decision != POL_ALLOW)
		return authz_deny(c, 1, ERR_STS_NOT_TRUSTED, res.decision,
		    "AssumeRolePolicy", "sts:AssumeRole", caller);
	return 0;
}

static int
sts_out(struct api_call *c, const json_t *role, const char *account,
    const struct sts_cred *cred)
{
	const char *name = api_str(c, "RoleSessionName");
	const char *src = api_str(c, "SourceIdentity");
	char arn[320], id[320], exp[32];

	tm_format_iso(cred->expiration, exp, sizeof(exp));
	snprintf(arn, sizeof(arn), "acs:ram::%s:role/%s/%s", account,
	    sts_jstr(role, "RoleName"), name);
	snprintf(id, sizeof(id), "%s:%s", sts_jstr(role, "RoleId"), name);
	if (json_object_set_new(c->out, "AssumedRoleUser", json_pack(
	    "{s:s, s:s}", "Arn", arn, "AssumedRoleId", id)) < 0 ||
	    json_object_set_new(c->out, "Credentials", json_pack(
	    "{s:s, s:s, s:s, s:s}", "AccessKeyId", cred->akid,
	    "AccessKeySecret", cred->secret, "SecurityToken", cred->token,
	    "Expiration", exp)) < 0)
		return -ERR_NOMEM;
	if (src)
		json_object_set_new(c->out, "SourceIdentity", json_string(src));
	return 0;
}

static int
act_assume_role(struct api_call *c)
{
	const char *arn = api_str(c, "RoleArn");
	const char *name = api_str(c, "RoleSessionName");
	const char *ext = api_str(c, "ExternalId");
	char account[32], role_name[128], caller[256];
	struct sts_issue_in in;
	struct sts_cred cred;
	json_t *role = NULL;
	int64_t duration;
	int r;

	memset(&cred, 0, sizeof(cred));
	if (strcmp(c->who.principal, "root") == 0)
		return api_fail(c, ERR_STS_ROOT_ASSUME, NULL);
	if (sts_arn_parse(arn, account, role_name) < 0)
		return api_fail(c, ERR_STS_ROLE_ARN, NULL);
	if (!sts_chars(name, ".@-_"))
		return api_fail(c, ERR_STS_SESSION_NAME, NULL);
	if (ext && !sts_chars(ext, "_+=,.@:/-"))
		return api_fail(c, ERR_INVALID_PARAMETER, "ExternalId");
	if ((r = sts_check_policy(c, api_str(c, "Policy"))) < 0)
		return r;
	r = ramdb_role_get(c->st, account, role_name, &role);
	if (r == -ERR_NOT_FOUND)
		return api_fail(c, ERR_RAM_ROLE_NOT_FOUND, "%s", role_name);
	if (r < 0)
		return r;
	authz_caller_arn(c, caller, sizeof(caller));
	if ((r = sts_check_duration(c, role, &duration)) < 0 ||
	    (r = sts_check_trust(c, role, arn, caller)) < 0)
		goto out;
	in = (struct sts_issue_in){ account, sts_jstr(role, "RoleId"),
	    sts_jstr(role, "RoleName"), name, duration, api_str(c, "Policy"),
	    caller, c->now };
	if ((r = sts_issue(c->st, &in, &cred)) < 0)
		goto out;
	r = sts_out(c, role, account, &cred);
out:
	OPENSSL_cleanse(&cred, sizeof(cred));
	json_decref(role);
	return r;
}

static int
act_get_caller_identity(struct api_call *c)
{
	const char *p = c->who.principal, *acct = c->who.account;
	struct sts_session s;
	struct store_res u;
	char arn[320], id[320];
	int r;

	json_object_set_new(c->out, "AccountId", json_string(acct));
	if (strcmp(p, "root") == 0) {
		snprintf(arn, sizeof(arn), "acs:ram::%s:root", acct);
		return json_object_set_new(c->out, "IdentityType",
		    json_string("Account")) < 0 ||
		    json_object_set_new(c->out, "Arn", json_string(arn)) < 0 ||
		    json_object_set_new(c->out, "PrincipalId",
		    json_string(acct)) < 0 ||
		    json_object_set_new(c->out, "UserId", json_string(acct)) < 0 ?
		    -ERR_NOMEM : 0;
	}
	if (strncmp(p, "user:", 5) == 0) {
		if ((r = ramdb_find(c->st, acct, RAMDB_USER, p + 5, &u)) < 0)
			return r == -ERR_NOT_FOUND ? -ERR_ACCESS_KEY_NOT_FOUND : r;
		snprintf(arn, sizeof(arn), "acs:ram::%s:user/%s", acct,
		    sts_jstr(u.doc, "UserName"));
		json_object_set_new(c->out, "IdentityType",
		    json_string("RAMUser"));
		json_object_set_new(c->out, "Arn", json_string(arn));
		json_object_set_new(c->out, "PrincipalId", json_string(u.id));
		json_object_set_new(c->out, "UserId", json_string(u.id));
		store_res_clear(&u);
		return 0;
	}
	if (!c->who.is_sts || (r = sts_session_get(c->st, c->who.akid, &s)) < 0)
		return api_fail(c, ERR_FORBIDDEN_RAM, NULL);
	snprintf(arn, sizeof(arn), "acs:ram::%s:role/%s/%s", acct, s.role_name,
	    s.session_name);
	snprintf(id, sizeof(id), "%s:%s", s.role_id, s.session_name);
	json_object_set_new(c->out, "IdentityType",
	    json_string("AssumedRoleUser"));
	json_object_set_new(c->out, "Arn", json_string(arn));
	json_object_set_new(c->out, "PrincipalId", json_string(id));
	json_object_set_new(c->out, "RoleId", json_string(s.role_id));
	sts_session_clear(&s);
	return 0;
}

#define P_END { NULL, 0, 0, 0, 0, NULL, 0 }

static const struct api_param p_assume_role[] = {
	{ "RoleArn", PT_STR, AP_REQUIRED, 1, 256, NULL, ERR_STS_ROLE_ARN },
	{ "RoleSessionName", PT_STR, AP_REQUIRED, 2, 64, NULL,
	  ERR_STS_SESSION_NAME },
	{ "DurationSeconds", PT_INT, 0, 0, 0, NULL, ERR_STS_DURATION },
	{ "Policy", PT_STR, 0, 0, 0, NULL, ERR_STS_POLICY_GRAMMAR },
	{ "ExternalId", PT_STR, 0, 2, 1224, NULL, 0 },
	{ "SourceIdentity", PT_STR, 0, 2, 64, NULL, 0 },
	P_END,
};

static const struct api_param p_none[] = {
	P_END,
};

const struct api_action act_sts_actions[] = {
	{ STS_VERSION, "AssumeRole", "sts:AssumeRole", act_assume_role,
	  p_assume_role, AF_WRITE },
	/* No RAM action: open to every authenticated identity. */
	{ STS_VERSION, "GetCallerIdentity", NULL, act_get_caller_identity,
	  p_none, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
