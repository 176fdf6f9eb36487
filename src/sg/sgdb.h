/*
 * sgdb: security groups, rules and memberships in the store — the shared
 * glue of the security-group and instance/ENI actions. Every function runs
 * inside the caller's store transaction and keeps the invariants listed in
 * docs/design.md ("Security-group data model"): an ENI's SecurityGroupIds
 * mirror its sgmember rows; every group-peer rule has one sgref row.
 * Errors are catalogue errors (-ERR_x); *detail (>= 256 bytes, may be NULL)
 * receives a short explanation for the response message.
 */
#ifndef SEKISHO_SGDB_H
#define SEKISHO_SGDB_H

#include <stddef.h>

#include <jansson.h>

#include "api/api.h"
#include "store/store.h"


/* The rules-per-group limit for this sg_per_eni (5->100, 10->50, 16->30). */
int sgdb_rules_per_group(const struct api_config *cfg);

/* The group, visible to account (its own, in region). -ERR_SG_NOT_FOUND. */
int sgdb_group_get(struct store *st, const char *account, const char *region,
    const char *sg_id, struct store_res *out);
/* Number of rules (both directions) of a group. */
int sgdb_rule_count(struct store *st, const char *sg_id, size_t *out);
/* Number of ENIs that are members of a group. */
int sgdb_member_count(struct store *st, const char *sg_id, size_t *out);
/* Number of rules in other groups that reference sg_id. */
int sgdb_ref_count(struct store *st, const char *sg_id, size_t *out);

/*
 * Makes eni (an "eni" resource, doc updated and stored here) a member of
 * the group, after every membership check: same VPC (or both classic),
 * not already a member, basic/enterprise not mixed, groups per ENI, rules
 * per ENI, members per group. Returns the catalogue error of the first
 * failed check.
 */
int sgdb_member_add(struct store *st, const struct api_config *cfg,
    struct store_res *eni, const char *sg_id, char *detail);
/* Removes the membership (the caller checks "last group" rules). */
int sgdb_member_del(struct store *st, struct store_res *eni, const char *sg_id);
/* Removes every membership of an ENI (instance/ENI deletion). */
int sgdb_member_del_all(struct store *st, struct store_res *eni);

/*
 * The default security group of (account, region, vpc_id or "" for
 * classic), created on first use with the seed's default inbound rules
 * (ICMP, TCP 22, 3389, 80, 443 from 0.0.0.0/0 at system priority 110).
 * Writes its id into sg_id (>= 64 bytes).
 */
int sgdb_default_group(struct store *st, const struct api_config *cfg,
    const char *account, const char *region, const char *vpc_id,
    int64_t now, char *sg_id);

#endif
