/*
 * vpc_int: what the two halves of the VPC 2016-04-28 family share.
 * vpc.c holds the VPC actions, the helpers below and the one action table
 * (act_vpc_actions); vpc_vswitch.c holds the vSwitch actions.
 *
 * Store model: kind "vpc" (parent ""), kind "vswitch" (parent = VpcId),
 * both with account = the caller's account and region = the VPC's region.
 * Resources of another account are reported as not found.
 */
#ifndef SEKISHO_VPC_INT_H
#define SEKISHO_VPC_INT_H

#include <stddef.h>

#include <jansson.h>

#include "api/api_int.h"
#include "store/store.h"

#define VPC_KIND "vpc"
#define VSW_KIND "vswitch"
#define VPC_TAGS_MAX 20		/* Tag.N, N <= 20 */
#define VPC_PAGE_MAX 50		/* PageSize */

/* Tag.N.Key / Tag.N.Value schema fields (shared by every action). */
extern const struct api_param vpc_p_tag_fields[];

/*
 * Loads resource id of kind for the caller's account into *out (caller
 * clears). region may be NULL (any); a mismatch, another account or another
 * kind is -notfound (a catalogue error, detail = the id).
 */
int vpc_res_get(struct api_call *c, const char *kind, const char *id,
    const char *region, int notfound, struct store_res *out);

/* Name/Description rule beyond the schema's length: not empty, not
 * starting with http:// or https://. 0 or -err. */
int vpc_check_text(struct api_call *c, const char *param, int err);

/* Tag.N.Key/Value of a create call as [{"Key","Value"}] (*out owned by
 * the caller); 0 or -ERR_TAG_*. */
int vpc_tags_parse(struct api_call *c, json_t **out);
/* 1 if tags (a stored array) carry every Tag.N of the request. */
int vpc_tags_match(struct api_call *c, const json_t *tags);
/* {"Tag":[...]} copy of a stored array (NULL-safe). */
json_t *vpc_tags_out(const json_t *tags);

/* 1 if id is one of the comma-separated ids in list (spaces ignored). */
int vpc_id_listed(const char *list, const char *id);
/* Counts a comma-separated list; -1 when an element is empty. */
int vpc_id_count(const char *list);

/* The account id as the JSON number Alibaba returns in OwnerId. */
json_t *vpc_owner_id(const struct api_call *c);
/* The string field key of a stored doc, "" when absent. */
const char *vpc_doc_str(const json_t *doc, const char *key);
/* 0 or -ERR_VPC_DRY_RUN when DryRun=true (every check passed). */
int vpc_dry_run(struct api_call *c);

/*
 * Describe* paging: of the rows that match(), puts page (PageNumber,
 * PageSize) described by describe() into c->out as {outer: {inner: [...]}}
 * with TotalCount, PageNumber and PageSize.
 */
int vpc_page_out(struct api_call *c, const struct store_res_list *all,
    int64_t page, int64_t size,
    int (*match)(struct api_call *, const struct store_res *),
    int (*describe)(struct api_call *, const struct store_res *, json_t **),
    const char *outer, const char *inner);

/*
 * Hooks for resources that live in a vSwitch (ENIs, instances: kinds
 * "eni" and "instance" with parent = the VSwitchId). Today nothing
 * creates them, so both report 0.
 *   dependants: how many resources block deleting the vSwitch.
 *   ips_used:   addresses taken out of AvailableIpAddressCount (one per
 *               ENI; secondary private IPs join when ENIs grow them).
 */
int vpc_vswitch_dependants(struct api_call *c, const char *vsw_id,
    size_t *n);
int vpc_vswitch_ips_used(struct api_call *c, const char *vsw_id,
    size_t *n);

/* vSwitch actions (vpc_vswitch.c), registered in act_vpc_actions. */
int vpc_act_create_vswitch(struct api_call *c);
int vpc_act_describe_vswitches(struct api_call *c);
int vpc_act_delete_vswitch(struct api_call *c);
extern const struct api_param vpc_p_create_vswitch[];
extern const struct api_param vpc_p_describe_vswitches[];
extern const struct api_param vpc_p_delete_vswitch[];

#endif
