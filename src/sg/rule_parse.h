/*
 * rule_parse: request parameters -> stored rule documents (src/sg/rule.h
 * describes the stored form). Pure: reads a decoded parameter list, knows
 * nothing about the store; the checks that need other groups (peer exists,
 * same VPC, self reference) belong to the actions (ecs_sg_rule.c).
 *
 * A request carries its rules either as Permissions.N.<Field> or as the
 * deprecated flat parameters <Field> (one rule), never both
 * (COMPAT: ../shared/spec/ecs-api.md §4 "Common semantics", §9.3 item 14).
 * An empty value is treated as absent everywhere: Terraform sends
 * Description= and NicType= empty on Modify and Revoke (§9.2).
 *
 * Every syntactic and group-type rule of §9.1 and the seed (§1.3, §1.6) is
 * checked here, each with its catalogue error; detail (>= RPARSE_DETAIL)
 * names the parameter for "%s" messages.
 */
#ifndef SEKISHO_RULE_PARSE_H
#define SEKISHO_RULE_PARSE_H

#include <stddef.h>

#include <jansson.h>

#include "lib/prm.h"
#include "sg/rule.h"

#define RPARSE_MAX_PERMISSIONS 100	/* Permissions.N, N <= 100 */
#define RPARSE_DETAIL 256
#define RPARSE_KEY_MAX 512

/* What the parser needs to know about the group that will own the rules. */
struct rparse_group {
	const char *id;		/* sg-… */
	const char *account;	/* the group's account */
	int vpc;		/* 1: VPC group, 0: classic network */
	int enterprise;		/* 1: SecurityGroupType enterprise */
};

/* Parsing modes. */
#define RPARSE_AUTHORIZE 0u	/* a rule to store: priorities 1..100 */
#define RPARSE_MATCH 1u		/* a rule to look for: 110 allowed too */

/*
 * Which form the request uses. Writes the sorted distinct N of the
 * Permissions.N.* keys into idx (max entries, at least
 * RPARSE_MAX_PERMISSIONS) and their count into *n; *n == 0 means the flat
 * form (or nothing at all: *flat tells whether any non-empty flat rule
 * field was given). Both forms -> -ERR_SGR_PERMISSIONS_CONFLICT.
 */
int rparse_form(const struct prm_list *p, enum rule_dir dir, int *idx,
    size_t max, size_t *n, int *flat);

/*
 * Parses one rule: the fields <prefix><Field> ("Permissions.3." or "" for
 * the flat form). *out receives a new document with every Permission
 * field present ("" when unset; SecurityGroupRuleId, CreateTime and the
 * peer group name are left "" for the caller); caller decrefs.
 */
int rparse_rule(const struct prm_list *p, const char *prefix,
    enum rule_dir dir, const struct rparse_group *g, unsigned mode,
    json_t **out, char *detail);

/* A document with every Permission field "" and Priority 1. */
json_t *rparse_doc_new(enum rule_dir dir);

/*
 * The identity of a rule, for "authorize adds nothing twice" and revoke or
 * modify by content: direction, protocol, ports (numerically), addresses
 * (canonical text, host bits kept), peer group and its owner (own_account
 * when unset), prefix lists, NicType, Policy, Priority. Description, ids,
 * times and names are not part of it. 0 or -ERR_INVALID_PARAMETER.
 */
int rparse_key(const json_t *doc, const char *own_account, char *buf,
    size_t len);

/*
 * The peer group of a rule (SourceGroupId on ingress, DestGroupId on
 * egress) or NULL; *owner is its owner account field ("" = the rule's
 * own account).
 */
const char *rparse_peer_group(const json_t *doc, const char **owner);

/* The string field key of a rule document, "" when absent. */
const char *rparse_str(const json_t *doc, const char *key);

#endif
