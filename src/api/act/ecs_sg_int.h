/*
 * ecs_sg_int: what the security-group action files share (ECS 2014-05-26).
 *   ecs_sg.c           Create/Delete/Modify*, DescribeSecurityGroupReferences
 *                      and the act_ecs_sg_actions table (every row below)
 *   ecs_sg_describe.c  DescribeSecurityGroups, DescribeSecurityGroupAttribute
 *   ecs_tag.c          TagResources, UntagResources, ListTagResources
 *   ecs_sg_rule.c      Authorize/Revoke/Modify rules (act_ecs_sgrule_actions)
 * Store model: src/sg/sgdb.h, sgdb_int.h; another account's groups are
 * reported as not found, except as rule peers.
 */
#ifndef SEKISHO_ECS_SG_INT_H
#define SEKISHO_ECS_SG_INT_H

#include <stddef.h>

#include <jansson.h>

#include "api/api_int.h"
#include "store/store.h"

#define SGACT_TAGS_MAX 20	/* Tag.N per call and tags per resource */

/*
 * Loads the caller's group SecurityGroupId in RegionId (both parameters
 * validated as present): InvalidRegionId.NotFound, or
 * InvalidSecurityGroupId.NotFound. *out is cleared by the caller.
 */
int sgact_group(struct api_call *c, struct store_res *out);

/* COMPAT: §9.1 name and description rules; "" means "not given". */
int sgact_check_name(struct api_call *c, const char *name);
int sgact_check_desc(struct api_call *c, const char *desc);

/*
 * Tag.N.Key/Tag.N.Value of the request as [{TagKey,TagValue}] (*out owned
 * by the caller; an empty array without Tag.N): keys 1..128, not starting
 * with aliyun or acs:, no http(s)://; values 0..128, no http(s)://; keys
 * unique. 0 or the catalogue error.
 */
int sgact_tags_parse(struct api_call *c, json_t **out);
/* 1 if tags ([{TagKey,TagValue}]) hold every Tag.N of the request
 * (a Tag.N without Value matches any value). */
int sgact_tags_match(struct api_call *c, const json_t *tags);

/* Tag.N schema fields, shared by every action that takes Tag.N. */
extern const struct api_param sgact_p_tag_fields[];

/* Handlers and schemas registered in act_ecs_sg_actions (ecs_sg.c). */
int sgact_describe_groups(struct api_call *c);
int sgact_describe_attribute(struct api_call *c);
int sgact_tag_resources(struct api_call *c);
int sgact_untag_resources(struct api_call *c);
int sgact_list_tag_resources(struct api_call *c);
extern const struct api_param sgact_p_describe_groups[];
extern const struct api_param sgact_p_describe_attribute[];
extern const struct api_param sgact_p_tag_resources[];
extern const struct api_param sgact_p_untag_resources[];
extern const struct api_param sgact_p_list_tag_resources[];

#endif
