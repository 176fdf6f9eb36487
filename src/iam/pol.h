/*
 * pol: the RAM policy language — parse a JSON policy document once into a
 * compiled, immutable form, then evaluate requests against it as often as
 * needed with no allocation and no I/O. The whole module is pure: no global
 * state, no clock (the current time comes in the request context), no
 * logging. A compiled policy is read-only after pol_parse(), so any number
 * of threads may evaluate it at once.
 *
 * Data flow: RAM actions (CreatePolicy, CreatePolicyVersion, CreateRole,
 * UpdateRole, AssumeRole's Policy, AttachInstanceRamRole's Policy) call
 * pol_parse() to refuse a malformed document with MalformedPolicyDocument
 * before storing it; the authorization step of the API guard pipeline keeps
 * compiled policies (a user's own + its groups', a role's, a session
 * policy) and calls pol_eval() per request and resource, the simulator
 * style: allowed / explicit deny / implicit deny plus which statements
 * decided. AssumeRole and instance roles check trust policies with
 * pol_trust_eval().
 *
 * Grammar accepted (../shared/spec/identity.md §10.1-10.4, AWS IAM grammar
 * where Alibaba is silent):
 *   {"Version": "1", "Statement": <statement> | [<statement>, ...]}
 *   statement: "Effect": "Allow"|"Deny";
 *              "Action" | "NotAction": <string or array of strings>;
 *              "Resource" | "NotResource": idem   (identity policies);
 *              "Principal": {"RAM"|"Service"|"Federated": <str or array>}
 *                                                 (trust policies only);
 *              optional "Condition": {<Operator>: {<key>: <str or array>}};
 *              optional "Sid" (a string, ignored).
 * Element names, Effect values and operator names are exact-case; any other
 * member, a duplicate member, an empty array, a value of the wrong type is
 * refused with -ERR_RAM_MALFORMED_POLICY and a one-line reason in `detail`.
 *
 * Matching (the decisions are listed for docs/compat.md in pol.c's header):
 *   Action     "<service>:<name>" or "*"; glob with * and ?, ASCII
 *              case-insensitive.
 *   Resource   "acs:<service>:<region>:<account>:<relative-id>" or "*";
 *              glob over the whole string, case-sensitive ("*" can span
 *              ':' and '/'). A request on no particular resource uses "*",
 *              which only a "*" pattern (or a NotResource) matches.
 *   Condition  values of one key: OR; keys of an operator and operators of
 *              a block: AND; negated operators over a value list: NOR.
 *              A key absent from the context makes a positive operator
 *              false and a negated one (StringNot*, NumericNotEquals,
 *              DateNotEquals, NotIpAddress) true, as in AWS.
 *   Decision   any matching Deny wins; else any matching Allow; else an
 *              implicit deny.
 */
#ifndef SEKISHO_POL_H
#define SEKISHO_POL_H

#include <stddef.h>
#include <stdint.h>

/* Document length limits in characters (identity.md §10.7). */
#define POL_MAX_CHARS		6144	/* CreatePolicy, CreatePolicyVersion */
#define POL_SESSION_MAX_CHARS	2048	/* AssumeRole Policy */
#define POL_ATTACH_MAX_CHARS	1024	/* AttachInstanceRamRole Policy */
#define POL_TRUST_MAX_CHARS	2048	/* AssumeRolePolicyDocument (decision:
					 * Alibaba documents no figure) */

/* Matched statements kept in a result (more are counted, not stored). */
#define POL_MATCH_MAX		16

struct pol;

enum pol_kind {
	POL_IDENTITY = 0,	/* identity or session policy: Resource, no Principal */
	POL_TRUST,		/* trust policy: Principal, no Resource */
};

enum pol_decision {
	POL_IMPLICIT_DENY = 0,
	POL_ALLOW,
	POL_EXPLICIT_DENY,
};

/* One key=value pair: a tag, or any other condition key. */
struct pol_kv {
	const char *key;
	const char *value;
};

/*
 * A request as the evaluator sees it. Borrowed strings, none retained.
 *   action       "ecs:DescribeInstances" (service code and API name).
 *   resource     the ARN the action applies to; NULL or "*" for actions
 *                without resource-level permissions. A request on several
 *                resources is evaluated once per resource; all must allow.
 *   source_ip    acs:SourceIp, IPv4 or IPv6 text; NULL or unparsable =
 *                absent. An IPv4-mapped IPv6 address counts as IPv4.
 *   now          acs:CurrentTime, Unix seconds (always present).
 *   secure_transport  acs:SecureTransport (HTTPS), always present.
 *   mfa_present  acs:MFAPresent, always present (sekisho has no MFA: 0).
 *   source_vpc   acs:SourceVpc, NULL = absent (requests not from a VPC).
 *   resource_tags  acs:ResourceTag/<k> and ecs:tag/<k> (tag keys exact).
 *   request_tags   acs:RequestTag/<k> (tags the request sets).
 *   extra        any other key (e.g. sts:ExternalId), matched on the key
 *                case-insensitively; the first entry with the key wins.
 */
struct pol_ctx {
	const char *action;
	const char *resource;
	const char *source_ip;
	int64_t now;
	int secure_transport;
	int mfa_present;
	const char *source_vpc;
	const struct pol_kv *resource_tags;
	size_t n_resource_tags;
	const struct pol_kv *request_tags;
	size_t n_request_tags;
	const struct pol_kv *extra;
	size_t n_extra;
};

/* A statement: index of the policy in the evaluated array, and of the
 * statement inside it (document order, from 0). */
struct pol_match {
	uint32_t pol;
	uint32_t stmt;
};

/*
 * Simulator-style result. For POL_EXPLICIT_DENY, `deny` is the first
 * denying statement (evaluation stops there) and no allow is reported; for
 * POL_ALLOW, `allow[0..min(nallow, POL_MATCH_MAX))` are the allowing
 * statements in order, nallow counts them all.
 */
struct pol_result {
	enum pol_decision decision;
	struct pol_match deny;
	struct pol_match allow[POL_MATCH_MAX];
	size_t nallow;
};

enum pol_principal_kind {
	POL_PRINCIPAL_RAM = 0,	/* an account root, RAM user or role session */
	POL_PRINCIPAL_SERVICE,	/* a cloud service, e.g. "ecs.aliyuncs.com" */
};

/*
 * Who asks to assume a role. RAM: `account` is the caller's account id,
 * `arn` its own ARN ("acs:ram::<acct>:user/<name>", ...:role/<name>; NULL
 * for the account itself). SERVICE: `service` is the service name.
 * Trust principals match as follows: RAM "acs:ram::<acct>:root" or a bare
 * "<acct>" = any identity of that account; another RAM ARN = that identity
 * exactly (ASCII case-insensitive); "*" = anyone of the kind; Service =
 * that service (case-insensitive). Federated principals never match (no
 * SAML in sekisho).
 */
struct pol_principal {
	enum pol_principal_kind kind;
	const char *account;
	const char *arn;
	const char *service;
};

/*
 * Parses and validates a document of `len` bytes (need not be
 * NUL-terminated). `max_chars` is the length limit in characters (one of
 * the POL_*_MAX_CHARS). Returns 0 with *out owning the compiled policy
 * (pol_free), or:
 *   -ERR_RAM_POLICY_DOC_LENGTH  empty or longer than max_chars
 *                               characters (InvalidParameter.PolicyDocument
 *                               .Length; callers parsing another parameter
 *                               map it to that parameter's code);
 *   -ERR_RAM_MALFORMED_POLICY   anything else wrong (not UTF-8, JSON
 *                               syntax, grammar, bad values);
 *   -ERR_NOMEM.
 * On failure *out is NULL and `detail` (if dlen > 0) says why, e.g.
 * "Statement 2: Add an Action or NotAction element to the policy
 * statement.".
 */
int pol_parse(const char *text, size_t len, enum pol_kind kind,
    size_t max_chars, struct pol **out, char *detail, size_t dlen);
/* NULL-safe. */
void pol_free(struct pol *p);

enum pol_kind pol_kind_of(const struct pol *p);
size_t pol_stmt_count(const struct pol *p);
/* The Sid of statement i, or NULL (none, or i out of range). */
const char *pol_stmt_sid(const struct pol *p, size_t i);

/*
 * Evaluates identity policies pols[0..n) (NULL entries are skipped) for
 * ctx. Never allocates; res is fully written. Returns 0, or
 * -ERR_INVALID_PARAMETER when ctx->action is NULL or a policy is a trust
 * policy (res then says implicit deny).
 */
int pol_eval(const struct pol *const *pols, size_t n,
    const struct pol_ctx *ctx, struct pol_result *res);

/*
 * Evaluates a trust policy for `who` asking ctx->action (normally
 * "sts:AssumeRole"; the resource is ignored). Same result shape, pol is
 * always 0. -ERR_INVALID_PARAMETER for a non-trust policy or NULL action.
 */
int pol_trust_eval(const struct pol *trust, const struct pol_principal *who,
    const struct pol_ctx *ctx, struct pol_result *res);
/* 1 if pol_trust_eval() says POL_ALLOW, else 0. */
int pol_trust_allows(const struct pol *trust, const struct pol_principal *who,
    const struct pol_ctx *ctx);

/*
 * Combines two decisions that must both allow (session policy and identity
 * policies; the caller's sts:AssumeRole permission and the trust policy):
 * an explicit deny on either side wins, then allow only if both allow.
 */
enum pol_decision pol_both(enum pol_decision a, enum pol_decision b);
/* "allowed", "explicitDeny", "implicitDeny" (the AWS simulator's words). */
const char *pol_decision_str(enum pol_decision d);

/*
 * System policies (PolicyType "System"), static text that pol_parse()
 * accepts. pol_system(i) walks them in a fixed order (NULL past the end);
 * pol_system_find(name) looks one up by exact name.
 */
struct pol_system {
	const char *name;		/* "AliyunECSReadOnlyAccess" */
	const char *description;
	const char *document;		/* JSON text */
};

const struct pol_system *pol_system(size_t i);
const struct pol_system *pol_system_find(const char *name);
/* The document of system policy `name`, or NULL. */
const char *pol_system_doc(const char *name);

#endif
