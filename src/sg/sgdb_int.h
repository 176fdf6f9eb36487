/*
 * sgdb_int: the part of the sgdb module that only the security-group
 * actions (src/api/act/ecs_sg*.c) use — creating and deleting groups,
 * storing rules with their sgref rows, the rules-per-ENI check. The
 * instance/ENI actions need sgdb.h only. Same conventions as sgdb.h: every
 * function runs inside the caller's store transaction and returns 0 or a
 * catalogue error.
 */
#ifndef SEKISHO_SGDB_INT_H
#define SEKISHO_SGDB_INT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "api/api.h"
#include "sg/rule_parse.h"
#include "sg/sgdb.h"
#include "store/store.h"

#define SGDB_KIND_SG "sg"
#define SGDB_KIND_RULE "sgrule"
#define SGDB_KIND_REF "sgref"
#define SGDB_KIND_MEMBER "sgmember"

struct sgdb_group_spec {
	const char *account;
	const char *region;
	const char *vpc_id;		/* "" for a classic-network group */
	const char *name;		/* "" when not given */
	const char *description;
	const char *type;		/* "normal" | "enterprise" */
	const char *resource_group;
	const json_t *tags;		/* [{TagKey,TagValue}] or NULL */
	int is_default;
	int64_t now;
};

/*
 * Creates a group after the per-region quota check (QuotaExceed.SecurityGroup);
 * writes its id into sg_id (>= STORE_ID_MAX).
 */
int sgdb_group_new(struct store *st, const struct api_config *cfg,
    const struct sgdb_group_spec *s, char *sg_id);
/* Deletes a group, its rules and their sgref rows (the caller has checked
 * members and references). */
int sgdb_group_del(struct store *st, const char *sg_id);

/* 1 for a VPC group, 0 for classic; 1 for an enterprise group. */
int sgdb_is_vpc(const struct store_res *sg);
int sgdb_is_enterprise(const struct store_res *sg);
/* Members a group may have (seed §1.2): classic instances, VPC basic
 * private IPs (one per ENI), enterprise ENIs. */
int sgdb_member_limit(const struct api_config *cfg, const struct store_res *sg);
/* What rule_parse needs to know about a group (points into sg). */
void sgdb_parse_group(const struct store_res *sg, struct rparse_group *g);

/* The rules of a group in creation order (caller frees the list). */
int sgdb_rules(struct store *st, const char *sg_id,
    struct store_res_list *out);
/*
 * Stores a new rule of group sg: assigns SecurityGroupRuleId (sgr-…) and
 * CreateTime in doc (borrowed, modified), adds the sgref row of a group
 * peer. id (>= STORE_ID_MAX, may be NULL) receives the rule id.
 */
int sgdb_rule_add(struct store *st, const struct store_res *sg, json_t *doc,
    int64_t now, char *id);
/* Stores a changed rule (rule->doc) and puts its sgref row in step. */
int sgdb_rule_update(struct store *st, const struct store_res *sg,
    struct store_res *rule);
/* Deletes a rule and its sgref row. */
int sgdb_rule_del(struct store *st, const char *rule_id);

/*
 * Would adding `adding` rules to sg_id push a member ENI over
 * cfg->rules_per_eni (summed over the ENI's groups)? -ERR_SG_MEMBER_RULE_LIMIT
 * (detail names the ENI) or 0.
 */
int sgdb_eni_rules_check(struct store *st, const struct api_config *cfg,
    const char *sg_id, size_t adding, char *detail);

#endif
