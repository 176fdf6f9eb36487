/*
 * ecs_inst_int: what the instance and ENI actions (ECS 2014-05-26) share.
 *
 *   ecs_instance.c     RunInstances, CreateInstance, Start/Stop/Reboot,
 *                      DeleteInstance and the family's action table
 *   ecs_inst_view.c    DescribeInstances
 *   ecs_inst_join.c    JoinSecurityGroup, LeaveSecurityGroup
 *   ecs_inst_res.c     the helpers below: lookups, ENI bookkeeping, paging
 *   ecs_eni.c          the ENI actions and their table
 *
 * These are control-plane records only (store kinds "instance" and "eni",
 * parent = the VSwitchId, "" for classic; docs/design.md has the model).
 * Nothing here touches a network: the data plane follows the store
 * revision. Every write runs in the handler's transaction, so a failed
 * request leaves no trace. Memberships change only through sgdb_member_*
 * (src/sg/sgdb.h), where the quota, type and VPC checks live; an
 * instance's SecurityGroupIds and NetworkInterfaces are copies kept in step
 * by inst_sync() after every change to its ENIs.
 */
#ifndef SEKISHO_ECS_INST_INT_H
#define SEKISHO_ECS_INST_INT_H

#include <stddef.h>

#include <jansson.h>

#include "api/api_int.h"
#include "store/store.h"

#define INST_KIND "instance"
#define ENI_KIND "eni"
/* SecurityGroupIds.N / SecurityGroupId.N: the highest sg_per_eni quota;
 * the configured quota itself is enforced by sgdb_member_add(). */
#define INST_GROUPS_MAX 16

/* The caller's instance / ENI (region NULL = any); -ERR_INST_NOT_FOUND /
 * -ERR_ENI_NOT_FOUND otherwise. Classic primary ENIs are internal and
 * never found as ENIs. *out is cleared by the caller. */
int inst_get(struct api_call *c, const char *id, const char *region,
    struct store_res *out);
int eni_get(struct api_call *c, const char *id, const char *region,
    struct store_res *out);

/* Doc access by dotted path ("VpcAttributes.VpcId"): the node, or the
 * string ("" when absent or not a string). */
json_t *inst_path(const json_t *doc, const char *path);
const char *inst_str(const json_t *doc, const char *path);
/* 1 if the node at path is the string want or an array holding it. */
int inst_has(const json_t *doc, const char *path, const char *want);
/* '*' wildcard match (DescribeInstances InstanceName). */
int inst_glob(const char *pat, const char *s);

/* A requested group set, in request order, without duplicates. */
struct inst_groups {
	char id[INST_GROUPS_MAX][STORE_ID_MAX];
	size_t n;
};

/*
 * Reads the group set from the single parameter (may be NULL) or the
 * Name.N list (may be NULL); both given is -ERR_INST_PARAM_CONFLICT, a
 * repeated id -ERR_INVALID_PARAMETER. n = 0 when neither is given.
 */
int inst_groups_param(struct api_call *c, const char *single,
    const char *list, struct inst_groups *g);
/*
 * Every group exists in region (-ERR_SG_NOT_FOUND) and belongs to vpc_id
 * ("" = classic): a mismatch is -mismatch_err, or -classic_err (if not 0)
 * when the group is classic and vpc_id is not.
 */
int inst_groups_check(struct api_call *c, const char *region,
    const char *vpc_id, const struct inst_groups *g, int mismatch_err,
    int classic_err);

/* What a new ENI is made of (addresses already allocated by ipam). */
struct eni_spec {
	const char *type;		/* "Primary" | "Secondary" */
	const char *instance_id;	/* "" = detached (Available) */
	const char *region;
	const char *zone;
	const char *vpc_id;		/* "" = classic */
	const char *vsw_id;		/* "" = classic */
	const char *private_ip;
	const char *public_ip;		/* classic primary only, else NULL */
	const char *mac;
	const char *name;		/* NULL = "" */
	const char *description;	/* NULL = "" */
	int delete_on_release;
};

/* Stores the ENI and joins it to every group of g (sgdb_member_add). */
int eni_create(struct api_call *c, const struct eni_spec *s,
    const struct inst_groups *g, struct store_res *out);
/* Replaces the ENI's groups with g: leave all, then join each, so every
 * quota check runs on the final set. */
int eni_set_groups(struct api_call *c, struct store_res *eni,
    const struct inst_groups *g);
/* Attaches (inst_id, device index) or detaches (inst_id "") the ENI and
 * re-tags its membership rows with the instance. */
int eni_set_instance(struct api_call *c, struct store_res *eni,
    const char *inst_id, int device_index);
/* The ENI as DescribeNetworkInterfaces returns it (new reference). */
json_t *eni_describe(const struct api_call *c, const struct store_res *eni);

/* ENIs attached to an instance: the primary first, then by DeviceIndex.
 * *out is freed by the caller (store_res_list_free). */
int inst_enis(struct api_call *c, const struct store_res *inst,
    struct store_res_list *out);
/* The primary ENI of inst (*out cleared by the caller). */
int inst_primary(struct api_call *c, const struct store_res *inst,
    struct store_res *out);
/* Rewrites inst's SecurityGroupIds and NetworkInterfaces from its ENIs. */
int inst_sync(struct api_call *c, struct store_res *inst);
/* inst_sync() for the instance an ENI is attached to (no-op if none). */
int inst_sync_id(struct api_call *c, const char *inst_id);

/*
 * Paging: NextToken/MaxResults (token mode, MaxResults below 10 counts as
 * 10) when either is given, else PageNumber/PageSize.
 */
struct inst_page {
	size_t offset;
	size_t limit;
	int token;		/* token mode */
	int64_t number;		/* page mode */
};

int inst_page_parse(struct api_call *c, int64_t page_size_max,
    struct inst_page *pg);
/* Adds TotalCount, NextToken and (page mode) PageNumber/PageSize. */
void inst_page_out(struct api_call *c, const struct inst_page *pg,
    size_t total);

/* 0, or -ERR_VPC_DRY_RUN (DryRunOperation) when DryRun=true. */
int inst_dry_run(struct api_call *c);

/* Handlers of act_ecs_instance_actions that live in other files. */
int inst_act_describe(struct api_call *c);
int inst_act_join(struct api_call *c);
int inst_act_leave(struct api_call *c);
extern const struct api_param inst_p_describe[];
extern const struct api_param inst_p_join[];

#endif
