/*
 * authz: the authorize step and ram:PassRole (see authz.h for the rules,
 * the resource table and the denial body). The order inside the step:
 * open actions and the account root pass; otherwise the request's
 * resources are derived, the caller's policy sets fetched from the cache
 * and every resource evaluated with the request's condition context —
 * an explicit deny anywhere decides, then the first resource not allowed.
 */
#include "iam/authz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "api/api_int.h"
#include "iam/authz_int.h"
#include "iam/ramdb.h"
#include "iam/sts.h"
#include "lib/err.h"

#define AUTHZ_IDENTITY "AccountLevelIdentityBasedPolicy"
#define AUTHZ_SESSION "SessionPolicy"
#define AUTHZ_ECS_SERVICE "ecs.aliyuncs.com"

/* The policy sets a caller is judged by. */
struct authz_who {
	struct authz_set *id;	/* user + groups, or the role */
	struct authz_set *ses;	/* the STS session policy; NULL or empty */
};

struct authz_verdict {
	enum pol_decision d;
	const char *policy_type;
	const char *resource;	/* the first resource not allowed */
};

static int
authz_is_user(const struct api_call *c)
{
	return strncmp(c->who.principal, "user:", 5) == 0;
}

static int
authz_is_session(const struct api_call *c)
{
	return c->who.is_sts && strncmp(c->who.principal, "role:", 5) == 0;
}

/* RAM and STS say NoPermission; ECS, VPC and our own product Forbidden.RAM. */
static int
authz_err(const struct api_call *c)
{
	const char *v = c->act ? c->act->version : "";

	return strcmp(v, "2015-05-01") == 0 || strcmp(v, "2015-04-01") == 0 ?
	    ERR_NO_PERMISSION : ERR_FORBIDDEN_RAM;
}

static void
authz_who_put(struct api_call *c, struct authz_who *w)
{
	authz_set_put(c->api->authz, w->id);
	authz_set_put(c->api->authz, w->ses);
	w->id = w->ses = NULL;
}

/*
 * The caller's sets. Principals other than RAM users and role sessions
 * (none exist today) get none: everything is denied (fail closed).
 */
static int
authz_who_get(struct api_call *c, int in_tx, struct authz_who *w)
{
	char ses[sizeof(c->who.akid) + 16];
	int r;

	memset(w, 0, sizeof(*w));
	if (!authz_is_user(c) && !authz_is_session(c))
		return 0;
	if ((r = authz_set_get(c->api->authz, c->st, in_tx, c->who.account,
	    c->who.principal, &w->id)) < 0)
		return r;
	if (!authz_is_session(c))
		return 0;
	snprintf(ses, sizeof(ses), "session:%s", c->who.akid);
	if ((r = authz_set_get(c->api->authz, c->st, in_tx, c->who.account,
	    ses, &w->ses)) < 0)
		authz_who_put(c, w);
	return r;
}

/* One resource: identity policies, intersected with the session's. */
static void
authz_eval_one(struct authz *az, const struct authz_who *w,
    const struct pol_ctx *ctx, enum pol_decision *d, const char **ptype)
{
	enum pol_decision id, ses;

	*ptype = AUTHZ_IDENTITY;
	if (w->id == NULL) {
		*d = POL_IMPLICIT_DENY;
		return;
	}
	id = *d = authz_set_eval(az, w->id, ctx);
	if (w->ses == NULL || w->ses->n == 0)
		return;
	ses = authz_set_eval(az, w->ses, ctx);
	*d = pol_both(ses, id);
	if (*d == POL_EXPLICIT_DENY && ses == POL_EXPLICIT_DENY &&
	    id != POL_EXPLICIT_DENY)
		*ptype = AUTHZ_SESSION;
	else if (*d == POL_IMPLICIT_DENY && id == POL_ALLOW)
		*ptype = AUTHZ_SESSION;
}

static void
authz_eval(const struct api_call *c, const struct authz_who *w,
    const char *action, char *const *arns, size_t n, struct authz_verdict *v)
{
	struct pol_ctx ctx;
	char ip[64];

	v->d = POL_ALLOW;
	v->policy_type = AUTHZ_IDENTITY;
	v->resource = NULL;
	for (size_t i = 0; i < n; i++) {
		enum pol_decision d;
		const char *pt;

		authz_context(c, action, arns[i], &ctx, ip, sizeof(ip));
		authz_eval_one(c->api->authz, w, &ctx, &d, &pt);
		if (d == POL_ALLOW || (v->d == POL_IMPLICIT_DENY &&
		    d == POL_IMPLICIT_DENY))
			continue;
		v->d = d;
		v->policy_type = pt;
		v->resource = arns[i];
		if (d == POL_EXPLICIT_DENY)
			return;
	}
}

void
authz_context(const struct api_call *c, const char *action,
    const char *resource, struct pol_ctx *ctx, char *ip, size_t iplen)
{
	const struct api_request *req = c->req;
	const char *hname = c->api->cfg.trusted_proxy_header, *v, *proto;

	memset(ctx, 0, sizeof(*ctx));
	ctx->action = action;
	ctx->resource = resource;
	ctx->now = c->now;
	ip[0] = '\0';
	if (req && req->client_ip)
		snprintf(ip, iplen, "%s", req->client_ip);
	/* COMPAT: behind the operator's proxy, the address it appended last
	 * (the one it saw) and the scheme it reports. */
	if (req && hname && hname[0] &&
	    (v = req->header(req->header_arg, hname)) != NULL) {
		const char *last = strrchr(v, ',');
		size_t len;

		last = last ? last + 1 : v;
		while (*last == ' ' || *last == '\t')
			last++;
		len = strcspn(last, " \t");
		if (len > 0 && len < iplen) {
			memcpy(ip, last, len);
			ip[len] = '\0';
		}
		proto = req->header(req->header_arg, "x-forwarded-proto");
		ctx->secure_transport = proto && strcasecmp(proto, "https") == 0;
	}
	ctx->source_ip = ip[0] ? ip : NULL;
}

void
authz_caller_arn(const struct api_call *c, char *buf, size_t len)
{
	const char *p = c->who.principal, *a = c->who.account;

	if (strcmp(p, "root") == 0)
		snprintf(buf, len, "acs:ram::%s:root", a);
	else if (strncmp(p, "user:", 5) == 0)
		snprintf(buf, len, "acs:ram::%s:user/%s", a, p + 5);
	else if (strncmp(p, "role:", 5) == 0)
		snprintf(buf, len, "acs:ram::%s:role/%s", a, p + 5);
	else
		snprintf(buf, len, "%s", p);
}

/* AuthPrincipalDisplayName: the UserId, or RoleName:RoleSessionName. */
static void
authz_display(struct api_call *c, char *buf, size_t len)
{
	struct store_res u;
	struct sts_session s;

	snprintf(buf, len, "%s", strchr(c->who.principal, ':') ?
	    strchr(c->who.principal, ':') + 1 : c->who.principal);
	if (authz_is_user(c) && ramdb_find(c->st, c->who.account, RAMDB_USER,
	    c->who.principal + 5, &u) == 0) {
		snprintf(buf, len, "%s", u.id);
		store_res_clear(&u);
	} else if (authz_is_session(c) &&
	    sts_session_get(c->st, c->who.akid, &s) == 0) {
		snprintf(buf, len, "%s:%s", s.role_name, s.session_name);
		sts_session_clear(&s);
	}
}

int
authz_deny(struct api_call *c, int in_tx, int err, enum pol_decision d,
    const char *policy_type, const char *action, const char *detail)
{
	char name[256];
	int opened = 0;

	if (!in_tx && store_tx_begin(c->st, STORE_TX_READ) == 0)
		opened = 1;
	if (in_tx || opened)
		authz_display(c, name, sizeof(name));
	else
		snprintf(name, sizeof(name), "%s", c->who.principal);
	if (opened)
		store_tx_abort(c->st);
	json_decref(c->extra);
	c->extra = json_pack("{s:{s:s, s:s, s:s, s:s, s:s, s:s}}",
	    "AccessDeniedDetail", "AuthAction", action,
	    "AuthPrincipalType", c->who.is_sts ? "AssumedRoleUser" : "SubUser",
	    "AuthPrincipalOwnerId", c->who.account,
	    "AuthPrincipalDisplayName", name,
	    "PolicyType", policy_type,
	    "NoPermissionType", d == POL_EXPLICIT_DENY ? "ExplicitDeny" :
	    "ImplicitDeny");
	return api_fail(c, err, "%s", detail ? detail : "");
}

/* Evaluates action on arns for the caller; 0 or the denial. */
static int
authz_check(struct api_call *c, int in_tx, const char *action,
    char *const *arns, size_t n)
{
	struct authz_who w;
	struct authz_verdict v;
	char detail[512];
	int r;

	if ((r = authz_who_get(c, in_tx, &w)) < 0)
		return r;
	authz_eval(c, &w, action, arns, n, &v);
	authz_who_put(c, &w);
	if (v.d == POL_ALLOW)
		return 0;
	snprintf(detail, sizeof(detail), "You should be authorized by RAM. "
	    "Action: %s, Resource: %s", action, v.resource);
	return authz_deny(c, in_tx, authz_err(c), v.d, v.policy_type, action,
	    detail);
}

int
authz_call(struct api_call *c)
{
	const char *ram = c->act->ram_action, *p = c->who.principal, *colon;
	struct authz_arn_in in;
	struct authz_arns arns;
	char service[32];
	int r;

	if (ram == NULL || strcmp(p, "root") == 0 ||
	    strncmp(p, "agent:", 6) == 0)
		return 0;
	colon = strchr(ram, ':');
	if (colon == NULL || (size_t)(colon - ram) >= sizeof(service))
		return api_fail(c, ERR_INTERNAL, "%s", ram);
	memcpy(service, ram, (size_t)(colon - ram));
	service[colon - ram] = '\0';
	in = (struct authz_arn_in){ c->params, service, c->act->name,
	    c->who.account, authz_is_user(c) ? p + 5 : NULL };
	if ((r = authz_arns_build(&in, &arns)) < 0)
		return r == -ERR_INVALID_PARAMETER ? api_fail(c, r,
		    "more than %d resources", AUTHZ_ARNS_MAX) : r;
	r = authz_check(c, 0, ram, arns.v, arns.n);
	authz_arns_free(&arns);
	return r;
}

/* Whether the role's trust policy lets the ECS service assume it. */
static int
authz_trusts_ecs(const struct api_call *c, const char *doc)
{
	struct pol_principal who = { POL_PRINCIPAL_SERVICE, NULL, NULL,
	    AUTHZ_ECS_SERVICE };
	struct pol_ctx ctx;
	struct pol *trust = NULL;
	char ip[64];
	int ok;

	if (doc == NULL || pol_parse(doc, strlen(doc), POL_TRUST,
	    POL_MAX_CHARS, &trust, NULL, 0) < 0)
		return 0;
	authz_context(c, "sts:AssumeRole", NULL, &ctx, ip, sizeof(ip));
	ok = pol_trust_allows(trust, &who, &ctx);
	pol_free(trust);
	return ok;
}

int
authz_pass_role(struct api_call *c, const char *role_name, int not_ecs,
    char *canonical)
{
	json_t *role = NULL;
	char *arn = NULL;
	int r;

	if (asprintf(&arn, "acs:ram::%s:role/%s", c->who.account,
	    role_name) < 0)
		return -ERR_NOMEM;
	if (strcmp(c->who.principal, "root") != 0 &&
	    (r = authz_check(c, 1, "ram:PassRole", &arn, 1)) < 0)
		goto out;
	r = ramdb_role_get(c->st, c->who.account, role_name, &role);
	if (r == -ERR_NOT_FOUND) {
		r = api_fail(c, ERR_AUTHZ_ROLE_NOT_FOUND, NULL);
		goto out;
	}
	if (r < 0)
		goto out;
	if (!authz_trusts_ecs(c, json_string_value(json_object_get(role,
	    "AssumeRolePolicyDocument")))) {
		r = api_fail(c, not_ecs, NULL);
		goto out;
	}
	if (canonical)
		snprintf(canonical, 128, "%s", json_string_value(
		    json_object_get(role, "RoleName")));
out:
	json_decref(role);
	free(arn);
	return r;
}
