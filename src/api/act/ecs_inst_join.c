/*
 * ecs_inst_join: JoinSecurityGroup and LeaveSecurityGroup (ECS 2014-05-26)
 * for an instance (its primary ENI) or an ENI — one of the two, never
 * both. RegionId is optional for an instance and required for an ENI
 * (COMPAT: spec §4.14). The membership checks (VPC, quotas, basic vs
 * enterprise) are sgdb_member_add()'s; this file only decides which ENI,
 * and refuses to remove an ENI's last group (InstanceLastSecurityGroup:
 * every instance and every ENI is in at least one group).
 */
#include <string.h>

#include "api/act/ecs_inst_int.h"
#include "sg/sgdb.h"

/* The ENI the request names (an instance's primary, or the ENI itself). */
static int
join_target(struct api_call *c, struct store_res *eni)
{
	const char *inst_id = api_str(c, "InstanceId");
	const char *eni_id = api_str(c, "NetworkInterfaceId");
	const char *region = api_str(c, "RegionId");
	struct store_res inst;
	int r;

	memset(eni, 0, sizeof(*eni));
	if (inst_id && eni_id)
		return api_fail(c, ERR_INST_PARAM_CONFLICT,
		    "InstanceId and NetworkInterfaceId");
	if (inst_id == NULL && eni_id == NULL)
		return api_fail(c, ERR_MISSING_PARAMETER, "InstanceId");
	if (region && (r = api_check_region(c, region)) < 0)
		return r;
	if (eni_id) {
		if (region == NULL)
			return api_fail(c, ERR_INST_REGION_MISSING, NULL);
		return eni_get(c, eni_id, region, eni);
	}
	if ((r = inst_get(c, inst_id, region, &inst)) < 0)
		return r;
	r = inst_primary(c, &inst, eni);
	store_res_clear(&inst);
	return r;
}

static int
join_group_exists(struct api_call *c, const struct store_res *eni,
    const char *sg_id)
{
	struct store_res sg;
	int r;

	memset(&sg, 0, sizeof(sg));
	r = sgdb_group_get(c->st, c->who.account, eni->region, sg_id, &sg);
	store_res_clear(&sg);
	if (r == -ERR_SG_NOT_FOUND)
		return api_fail(c, ERR_SG_NOT_FOUND, "%s", sg_id);
	return r;
}

int
inst_act_join(struct api_call *c)
{
	const char *sg_id = api_str(c, "SecurityGroupId");
	char detail[256] = "";
	struct store_res eni;
	int r;

	if ((r = join_target(c, &eni)) < 0 ||
	    (r = join_group_exists(c, &eni, sg_id)) < 0)
		goto out;
	if ((r = sgdb_member_add(c->st, &c->api->cfg, &eni, sg_id,
	    detail)) < 0) {
		r = api_fail(c, -r, "%s", detail[0] ? detail : sg_id);
		goto out;
	}
	r = inst_sync_id(c, inst_str(eni.doc, "InstanceId"));
out:
	store_res_clear(&eni);
	return r;
}

int
inst_act_leave(struct api_call *c)
{
	const char *sg_id = api_str(c, "SecurityGroupId");
	struct store_res eni;
	json_t *groups;
	int r;

	if ((r = join_target(c, &eni)) < 0 ||
	    (r = join_group_exists(c, &eni, sg_id)) < 0)
		goto out;
	groups = json_object_get(eni.doc, "SecurityGroupIds");
	if (!inst_has(eni.doc, "SecurityGroupIds", sg_id)) {
		r = api_fail(c, ERR_SG_MEMBER_ABSENT, "%s", sg_id);
		goto out;
	}
	if (json_array_size(groups) <= 1) {
		r = api_fail(c, ERR_INST_LAST_GROUP, "%s", sg_id);
		goto out;
	}
	if ((r = sgdb_member_del(c->st, &eni, sg_id)) < 0)
		goto out;
	r = inst_sync_id(c, inst_str(eni.doc, "InstanceId"));
out:
	store_res_clear(&eni);
	return r;
}

const struct api_param inst_p_join[] = {
	{ "SecurityGroupId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "InstanceId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "NetworkInterfaceId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "RegionId", PT_STR, 0, 1, 64, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};
