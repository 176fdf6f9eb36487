/*
 * authz: the authorize step of the guard pipeline (api.h, step 4) and the
 * checks handlers make on top of it (ram:PassRole, the STS trust check's
 * denial body).
 *
 * Who may do what:
 *   - an action whose table row has no RAM action (ram_action NULL, e.g.
 *     sts:GetCallerIdentity) is open to every authenticated identity;
 *   - "root" may do everything in its own account (other accounts'
 *     resources never resolve: handlers look them up in the caller's
 *     account only, so they are NotFound, not Forbidden);
 *   - "agent:<host>" principals are walled off in api.c (agent actions
 *     only), before this step;
 *   - "user:<name>": the user's policies and its groups' (ramdb.h), and
 *     "role:<name>" signed with STS credentials: the role's policies,
 *     intersected with the session policy when AssumeRole was given one.
 *     The request is allowed when every resource it names is allowed and
 *     none explicitly denied (iam/pol.h decides).
 *
 * Resources are derived from the request parameters by one table
 * (authz_arn.c), so action rows need no per-action builder:
 *
 *   parameter (also Name.N; *s also a JSON array)  resource
 *   SecurityGroupId(s)     acs:ecs:<region>:<account>:securitygroup/<id>
 *   InstanceId(s)          acs:ecs:<region>:<account>:instance/<id>
 *   NetworkInterfaceId(s)  acs:ecs:<region>:<account>:eni/<id>
 *   KeyPairName(s)         acs:ecs:<region>:<account>:keypair/<name>
 *   ResourceId.N + ResourceType  acs:<service>:<region>:<account>:<type>/<id>
 *   VpcId                  acs:vpc:<region>:<account>:vpc/<id>
 *   VSwitchId              acs:vpc:<region>:<account>:vswitch/<id>
 *   RAM: UserName, GroupName, RoleName, PolicyName
 *                          acs:ram::<account>:user|group|role|policy/<name>
 *                          (a RAM user's own AccessKey actions without
 *                          UserName: its own user ARN)
 *   STS AssumeRole: RoleArn  the ARN as given
 *   none of these          acs:<service>:<region>:<account>:*
 *
 * <region> is RegionId, "*" when absent, empty for RAM and STS; <account>
 * is the caller's; <service> the RAM action's prefix.
 *
 * Condition keys: acs:SourceIp = the TCP peer (or, with the operator's
 * --trusted-proxy-header NAME, the last address of that header);
 * acs:SecureTransport = false, or with that option true when
 * X-Forwarded-Proto says https; acs:CurrentTime = the request time;
 * acs:MFAPresent = false; acs:SourceVpc absent.
 *
 * Denials: Forbidden.RAM (ECS, VPC, Sekisho; 403) or NoPermission (RAM,
 * STS; 403), with "AccessDeniedDetail" {AuthAction, AuthPrincipalType
 * (SubUser | AssumedRoleUser), AuthPrincipalOwnerId,
 * AuthPrincipalDisplayName (UserId | RoleName:RoleSessionName),
 * PolicyType (AccountLevelIdentityBasedPolicy | SessionPolicy |
 * AssumeRolePolicy), NoPermissionType (ImplicitDeny | ExplicitDeny)}.
 *
 * Cost: policies are parsed once per (account, principal) and kept in a
 * cache (struct authz, one per api) tagged with the RAM generation they
 * were read at: a counter the pipeline bumps after every committed write
 * of the RAM product (authz_committed). Writes of other products (the
 * store revision moves on every one: instances, rules, agents' reports)
 * leave the cache alone, which is sound because RAM entities change only
 * through the RAM actions (`sekishod account create`, the one other
 * writer, adds accounts and their root keys, nothing a cached principal
 * depends on). After a RAM write the next request of each principal
 * re-reads its documents and re-parses only when their text changed (a
 * SHA-256 over them). Each set also remembers its last decisions (see
 * authz_int.h), so a repeated request costs a hash lookup, not a walk
 * over every statement.
 */
#ifndef SEKISHO_AUTHZ_H
#define SEKISHO_AUTHZ_H

#include <stddef.h>
#include <stdint.h>

#include "iam/pol.h"
#include "lib/prm.h"

struct authz;
struct api_call;

/* The policy cache; authz_free() is NULL-safe. */
int authz_new(struct authz **out);
void authz_free(struct authz *az);

/* Counters, for tests and the benchmark. */
struct authz_stats {
	uint64_t hits;		/* sets served at the current generation */
	uint64_t rechecks;	/* documents re-read, unchanged */
	uint64_t parses;	/* documents parsed */
	uint64_t memo_hits;	/* decisions remembered */
	uint64_t evals;		/* decisions computed (pol_eval) */
	size_t sets;		/* principals cached */
};
void authz_stats(struct authz *az, struct authz_stats *out);

/*
 * The pipeline calls this after a write action of API version `version`
 * committed; a RAM (2015-05-01) write makes every cached set stale.
 */
void authz_committed(struct authz *az, const char *version);

/*
 * Step 4 for c (c->act, c->who, c->params, c->req set; no store
 * transaction open). 0 = allowed; else -ERR_FORBIDDEN_RAM /
 * -ERR_NO_PERMISSION with c->detail and c->extra (AccessDeniedDetail)
 * set, or -ERR_x for a failure.
 */
int authz_call(struct api_call *c);

/*
 * ram:PassRole, for a handler (inside its store transaction) that hands
 * role_name to an instance: the caller needs ram:PassRole on
 * acs:ram::<account>:role/<role_name> (Forbidden.RAM), the role must
 * exist (-ERR_AUTHZ_ROLE_NOT_FOUND) and trust ecs.aliyuncs.com (not_ecs:
 * -ERR_AUTHZ_ROLE_NOT_ECS for Run/CreateInstance, _NOT_ECS_ATTACH for
 * AttachInstanceRamRole). *canonical (may be NULL, >= 128 bytes) gets
 * the role's stored spelling.
 */
int authz_pass_role(struct api_call *c, const char *role_name, int not_ecs,
    char *canonical);

/*
 * The condition context of c for action on resource (borrowed strings
 * into c and ip, which must outlive ctx; iplen >= 64).
 */
void authz_context(const struct api_call *c, const char *action,
    const char *resource, struct pol_ctx *ctx, char *ip, size_t iplen);

/* The caller's ARN: acs:ram::<acct>:root | user/<name> | role/<name>. */
void authz_caller_arn(const struct api_call *c, char *buf, size_t len);

/*
 * Records a denial on c: c->extra gets AccessDeniedDetail for decision d
 * on action (policy_type as above); returns api_fail(c, err, detail).
 * in_tx: whether c holds a store transaction (the principal's display
 * name is read from the store).
 */
int authz_deny(struct api_call *c, int in_tx, int err, enum pol_decision d,
    const char *policy_type, const char *action, const char *detail);

/* Resource ARNs of a request (authz_arn.c; pure). */
#define AUTHZ_ARNS_MAX 256

struct authz_arns {
	char **v;
	size_t n, cap;
};

struct authz_arn_in {
	const struct prm_list *params;
	const char *service;	/* "ecs", "vpc", "ram", "sts", "sekisho" */
	const char *action;	/* API name, "CreateAccessKey" */
	const char *account;
	const char *self_user;	/* the calling RAM user's name, or NULL */
};

/*
 * Fills *out (authz_arns_free) with the distinct ARNs in request order,
 * or the service-wide "acs:<service>:<region>:<account>:*" when the
 * request names none. -ERR_INVALID_PARAMETER past AUTHZ_ARNS_MAX.
 */
int authz_arns_build(const struct authz_arn_in *in, struct authz_arns *out);
void authz_arns_free(struct authz_arns *a);

#endif
