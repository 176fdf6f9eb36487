/*
 * ecs_eni: elastic network interfaces as control-plane records (ECS
 * 2014-05-26) — CreateNetworkInterface, DeleteNetworkInterface,
 * DescribeNetworkInterfaces, AttachNetworkInterface,
 * DetachNetworkInterface, ModifyNetworkInterfaceAttribute.
 *
 * An ENI lives in a vSwitch (store parent), takes one private IP from it
 * and is in 1..sg_per_eni groups of its VPC. States (COMPAT: Alibaba's
 * Attaching/Detaching are skipped, the transitions are immediate):
 *
 *   CreateNetworkInterface ──> Available ──Attach──> InUse
 *                              Available <──Detach── InUse
 *   DeleteNetworkInterface: Available only. Primary ENIs are born InUse
 *   with their instance and die with it (DeleteInstance).
 *
 * All ENIs of one instance are in groups of one type (basic or
 * enterprise): checked after every attach and group change.
 */
#include <stdio.h>
#include <string.h>

#include "api/act/ecs_inst_int.h"
#include "api/act/vpc_int.h"
#include "sg/ipam.h"
#include "sg/sgdb.h"

#define ENI_PAGE_MAX 500
#define ENI_FILTER_IDS_MAX 100

static const struct ipam_errs eni_ip_errs = {
	ERR_ENI_IP_MALFORMED, ERR_ENI_IP_INVALID, ERR_ENI_IP_REPEATED,
	ERR_ENI_IP_NOT_ENOUGH,
};

/* What we do not model is refused, never silently dropped: secondary
 * private IPs, IPv6, prefixes. */
static const char *const eni_unsupported[] = {
	"SecondaryPrivateIpAddressCount", "Ipv6AddressCount",
	"Ipv4PrefixCount", "Ipv6PrefixCount", NULL,
};
static const char *const eni_unsupported_lists[] = {
	"PrivateIpAddress", "Ipv6Address", "Ipv4Prefix", "Ipv6Prefix", NULL,
};

static int
eni_check_unsupported(struct api_call *c)
{
	const char *type = api_str(c, "InstanceType");
	int idx[1];

	for (int i = 0; eni_unsupported[i]; i++)
		if (api_str(c, eni_unsupported[i]))
			return api_fail(c, ERR_ENI_UNSUPPORTED, "%s",
			    eni_unsupported[i]);
	for (int i = 0; eni_unsupported_lists[i]; i++)
		if (api_indices(c, eni_unsupported_lists[i], idx, 1) > 0)
			return api_fail(c, ERR_ENI_UNSUPPORTED, "%s.N",
			    eni_unsupported_lists[i]);
	if (type && strcmp(type, "Secondary") != 0)
		return api_fail(c, ERR_ENI_UNSUPPORTED, "InstanceType");
	return 0;
}

/* COMPAT: NetworkInterfaceName starts with a letter and, like
 * Description, must not start with http:// or https://; both are
 * InvalidParameter (the ENI docs list no dedicated code). */
static int
eni_check_text(struct api_call *c)
{
	const unsigned char *name = (const unsigned char *)api_str(c,
	    "NetworkInterfaceName");
	int r;

	if ((r = vpc_check_text(c, "NetworkInterfaceName",
	    ERR_INVALID_PARAMETER)) < 0 ||
	    (r = vpc_check_text(c, "Description", ERR_INVALID_PARAMETER)) < 0)
		return r;
	if (name && name[0] < 0x80 && !((name[0] | 0x20) >= 'a' &&
	    (name[0] | 0x20) <= 'z'))
		return api_fail(c, ERR_INVALID_PARAMETER, "NetworkInterfaceName");
	return 0;
}

static int
eni_region(struct api_call *c, const char **region)
{
	*region = api_str(c, "RegionId");
	return api_check_region(c, *region);
}

/* The group type (normal / enterprise) of an ENI: its first group's. */
static int
eni_group_type(struct api_call *c, const struct store_res *eni, char *out,
    size_t len)
{
	json_t *ids = json_object_get(eni->doc, "SecurityGroupIds");
	struct store_res sg;
	int r;

	memset(&sg, 0, sizeof(sg));
	snprintf(out, len, "%s", "");
	if (json_array_size(ids) == 0)
		return 0;
	if ((r = sgdb_group_get(c->st, c->who.account, eni->region,
	    json_string_value(json_array_get(ids, 0)), &sg)) == 0)
		snprintf(out, len, "%s", inst_str(sg.doc, "SecurityGroupType"));
	store_res_clear(&sg);
	return r;
}

/* COMPAT: seed §1.6 — an ENI bound to an instance has the instance's
 * group type. Checked over every ENI of the instance after a change. */
static int
eni_check_instance_types(struct api_call *c, const char *inst_id)
{
	struct store_res_list l = { NULL, 0 };
	struct store_res inst;
	char first[32] = "", t[32];
	int r;

	if ((r = inst_get(c, inst_id, NULL, &inst)) < 0)
		return r;
	if ((r = inst_enis(c, &inst, &l)) < 0)
		goto out;
	for (size_t i = 0; i < l.n && r == 0; i++) {
		if ((r = eni_group_type(c, &l.v[i], t, sizeof(t))) < 0)
			break;
		if (i == 0)
			snprintf(first, sizeof(first), "%s", t);
		else if (strcmp(first, t) != 0)
			r = api_fail(c, ERR_SG_MEMBER_TYPE_CONFLICT, "%s",
			    l.v[i].id);
	}
out:
	store_res_list_free(&l);
	store_res_clear(&inst);
	return r;
}

static int
act_create_eni(struct api_call *c)
{
	const char *region, *vpc;
	char ip[CIDR_STR_MAX], mac[IPAM_MAC_MAX], detail[256];
	struct store_res vsw, eni;
	struct inst_groups g;
	struct ipam pool;
	struct eni_spec s;
	json_t *o;
	int r;

	memset(&vsw, 0, sizeof(vsw));
	memset(&eni, 0, sizeof(eni));
	memset(&pool, 0, sizeof(pool));
	if ((r = eni_region(c, &region)) < 0 ||
	    (r = eni_check_unsupported(c)) < 0 ||
	    (r = eni_check_text(c)) < 0 ||
	    (r = vpc_res_get(c, VSW_KIND, api_str(c, "VSwitchId"), region,
	    ERR_VSWITCH_NOT_FOUND, &vsw)) < 0 ||
	    (r = inst_groups_param(c, "SecurityGroupId", "SecurityGroupIds",
	    &g)) < 0)
		goto out;
	if (g.n == 0) {
		r = api_fail(c, ERR_MISSING_PARAMETER, "SecurityGroupId");
		goto out;
	}
	vpc = inst_str(vsw.doc, "VpcId");
	if ((r = inst_groups_check(c, region, vpc, &g, ERR_SG_MEMBER_VPC_ENI,
	    ERR_ENI_SG_NOT_VPC)) < 0 ||
	    (r = ipam_open(&pool, c->st, IPAM_POOL_VSWITCH, vsw.id,
	    inst_str(vsw.doc, "CidrBlock"), &eni_ip_errs)) < 0)
		goto out;
	if ((r = ipam_take(&pool, api_str(c, "PrimaryIpAddress"), ip,
	    sizeof(ip), detail)) < 0) {
		r = api_fail(c, -r, "%s", detail);
		goto out;
	}
	if ((r = ipam_mac(&pool, mac, sizeof(mac))) < 0)
		goto out;
	s = (struct eni_spec){ "Secondary", "", region,
	    inst_str(vsw.doc, "ZoneId"), vpc, vsw.id, ip, NULL, mac,
	    api_str(c, "NetworkInterfaceName"), api_str(c, "Description"),
	    api_bool(c, "DeleteOnRelease", 0) };
	if ((r = eni_create(c, &s, &g, &eni)) < 0)
		goto out;
	if ((o = eni_describe(c, &eni)) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	json_object_update(c->out, o);
	json_decref(o);
out:
	ipam_close(&pool);
	store_res_clear(&vsw);
	store_res_clear(&eni);
	return r;
}

static int
act_delete_eni(struct api_call *c)
{
	const char *region;
	struct store_res eni;
	int r;

	memset(&eni, 0, sizeof(eni));
	if ((r = eni_region(c, &region)) < 0 ||
	    (r = eni_get(c, api_str(c, "NetworkInterfaceId"), region,
	    &eni)) < 0)
		goto out;
	if (strcmp(inst_str(eni.doc, "Status"), "Available") != 0) {
		r = api_fail(c, ERR_ENI_STATE, "%s is %s", eni.id,
		    inst_str(eni.doc, "Status"));
		goto out;
	}
	if ((r = sgdb_member_del_all(c->st, &eni)) == 0)
		r = store_res_del(c->st, eni.id);
out:
	store_res_clear(&eni);
	return r;
}

/* DescribeNetworkInterfaces filters: parameter -> ENI doc field. */
static const struct {
	const char *param;
	const char *path;
} eni_filters[] = {
	{ "VSwitchId", "VSwitchId" },
	{ "VpcId", "VpcId" },
	{ "InstanceId", "InstanceId" },
	{ "Type", "Type" },
	{ "Status", "Status" },
	{ "NetworkInterfaceName", "NetworkInterfaceName" },
	{ "PrimaryIpAddress", "PrivateIpAddress" },
	{ "SecurityGroupId", "SecurityGroupIds" },
	{ "ResourceGroupId", "ResourceGroupId" },
	{ NULL, NULL },
};

static int
eni_matches(struct api_call *c, const struct store_res *e, const int *idx,
    size_t nidx)
{
	int hit = nidx == 0;

	if (e->parent[0] == '\0')	/* classic primary ENIs are internal */
		return 0;
	for (size_t i = 0; i < nidx && !hit; i++) {
		const char *id = api_strf(c, "NetworkInterfaceId.%d", idx[i]);

		hit = id && strcmp(id, e->id) == 0;
	}
	for (size_t i = 0; hit && eni_filters[i].param; i++) {
		const char *want = api_str(c, eni_filters[i].param);

		hit = want == NULL || inst_has(e->doc, eni_filters[i].path, want);
	}
	return hit;
}

static int
act_describe_enis(struct api_call *c)
{
	struct store_filter f = { c->who.account, ENI_KIND, NULL, NULL, NULL };
	struct store_res_list l = { NULL, 0 };
	int idx[ENI_FILTER_IDS_MAX];
	size_t nidx, total = 0;
	struct inst_page pg;
	json_t *arr, *o;
	int r;

	if ((r = eni_region(c, &f.region)) < 0 ||
	    (r = inst_page_parse(c, ENI_PAGE_MAX, &pg)) < 0)
		return r;
	nidx = api_indices(c, "NetworkInterfaceId", idx, ENI_FILTER_IDS_MAX);
	if ((arr = json_array()) == NULL)
		return -ERR_NOMEM;
	if ((r = store_res_list(c->st, &f, &l)) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		if (!eni_matches(c, &l.v[i], idx, nidx))
			continue;
		if (total >= pg.offset && total - pg.offset < pg.limit) {
			if ((o = eni_describe(c, &l.v[i])) == NULL) {
				r = -ERR_NOMEM;
				goto out;
			}
			json_array_append_new(arr, o);
		}
		total++;
	}
	json_object_set_new(c->out, "NetworkInterfaceSets",
	    api_wrap_list(arr, "NetworkInterfaceSet"));
	arr = NULL;
	inst_page_out(c, &pg, total);
out:
	json_decref(arr);
	store_res_list_free(&l);
	return r;
}

/* Loads the ENI and the instance an Attach/Detach names. */
static int
eni_pair(struct api_call *c, struct store_res *eni, struct store_res *inst)
{
	const char *region;
	int r;

	memset(eni, 0, sizeof(*eni));
	memset(inst, 0, sizeof(*inst));
	if ((r = eni_region(c, &region)) < 0 ||
	    (r = eni_get(c, api_str(c, "NetworkInterfaceId"), region,
	    eni)) < 0)
		return r;
	return inst_get(c, api_str(c, "InstanceId"), region, inst);
}

/* The lowest free device index (the primary ENI has 0). */
static int
eni_next_index(struct api_call *c, const struct store_res *inst, int *out)
{
	struct store_res_list l = { NULL, 0 };
	int r, taken;

	if ((r = inst_enis(c, inst, &l)) < 0)
		return r;
	for (*out = 1;; (*out)++) {
		taken = 0;
		for (size_t i = 0; i < l.n && !taken; i++)
			taken = json_integer_value(json_object_get(l.v[i].doc,
			    "DeviceIndex")) == *out;
		if (!taken)
			break;
	}
	store_res_list_free(&l);
	return 0;
}

static int
act_attach_eni(struct api_call *c)
{
	struct store_res eni, inst;
	int dev, r;

	if ((r = eni_pair(c, &eni, &inst)) < 0)
		goto out;
	if (strcmp(inst_str(eni.doc, "Type"), "Secondary") != 0)
		r = api_fail(c, ERR_ENI_TYPE, "%s is %s", eni.id,
		    inst_str(eni.doc, "Type"));
	else if (strcmp(inst_str(eni.doc, "Status"), "Available") != 0)
		r = api_fail(c, ERR_ENI_STATE, "%s is %s", eni.id,
		    inst_str(eni.doc, "Status"));
	else if (strcmp(inst_str(eni.doc, "VpcId"),
	    inst_str(inst.doc, "VpcAttributes.VpcId")) != 0)
		r = api_fail(c, ERR_ENI_VPC_MISMATCH, "instance %s", inst.id);
	else if (strcmp(inst_str(eni.doc, "ZoneId"),
	    inst_str(inst.doc, "ZoneId")) != 0)
		r = api_fail(c, ERR_ENI_ZONE_MISMATCH, "%s", inst.id);
	if (r < 0 || (r = eni_next_index(c, &inst, &dev)) < 0 ||
	    (r = eni_set_instance(c, &eni, inst.id, dev)) < 0 ||
	    (r = eni_check_instance_types(c, inst.id)) < 0)
		goto out;
	r = inst_sync(c, &inst);
out:
	store_res_clear(&eni);
	store_res_clear(&inst);
	return r;
}

static int
act_detach_eni(struct api_call *c)
{
	struct store_res eni, inst;
	int r;

	if ((r = eni_pair(c, &eni, &inst)) < 0)
		goto out;
	if (strcmp(inst_str(eni.doc, "Type"), "Primary") == 0)
		r = api_fail(c, ERR_ENI_DETACH_PRIMARY, NULL);
	else if (strcmp(inst_str(eni.doc, "InstanceId"), inst.id) != 0)
		r = api_fail(c, ERR_ENI_STATE, "%s is not attached to %s",
		    eni.id, inst.id);
	if (r < 0 || (r = eni_set_instance(c, &eni, "", 0)) < 0)
		goto out;
	r = inst_sync(c, &inst);
out:
	store_res_clear(&eni);
	store_res_clear(&inst);
	return r;
}

/* Text fields ModifyNetworkInterfaceAttribute may change. */
static const char *const eni_text_fields[] = { "NetworkInterfaceName",
	"Description", NULL };

static int
act_modify_eni(struct api_call *c)
{
	const char *region, *inst_id;
	struct store_res eni;
	struct inst_groups g;
	int r;

	memset(&eni, 0, sizeof(eni));
	if ((r = eni_region(c, &region)) < 0 ||
	    (r = eni_check_text(c)) < 0 ||
	    (r = eni_get(c, api_str(c, "NetworkInterfaceId"), region,
	    &eni)) < 0 ||
	    (r = inst_groups_param(c, NULL, "SecurityGroupId", &g)) < 0)
		goto out;
	for (int i = 0; eni_text_fields[i]; i++)
		if (api_str(c, eni_text_fields[i]))
			json_object_set_new(eni.doc, eni_text_fields[i],
			    json_string(api_str(c, eni_text_fields[i])));
	if (api_str(c, "DeleteOnRelease"))
		json_object_set_new(eni.doc, "DeleteOnRelease",
		    json_boolean(api_bool(c, "DeleteOnRelease", 0)));
	if (g.n > 0 && ((r = inst_groups_check(c, region,
	    inst_str(eni.doc, "VpcId"), &g, ERR_SG_MEMBER_VPC_ENI,
	    ERR_ENI_SG_NOT_VPC)) < 0 || (r = eni_set_groups(c, &eni, &g)) < 0))
		goto out;
	if ((r = store_res_put(c->st, &eni)) < 0)
		goto out;
	inst_id = inst_str(eni.doc, "InstanceId");
	if (inst_id[0] && ((r = eni_check_instance_types(c, inst_id)) < 0 ||
	    (r = inst_sync_id(c, inst_id)) < 0))
		goto out;
out:
	store_res_clear(&eni);
	return r;
}

#define P_END { NULL, 0, 0, 0, 0, NULL, 0 }
#define P_REGION { "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 }
#define P_ENI_ID(flags) { "NetworkInterfaceId", PT_STR, flags, 1, 64, NULL, 0 }
#define P_ENI_TEXT \
	{ "NetworkInterfaceName", PT_STR, 0, 2, 128, NULL, 0 }, \
	{ "Description", PT_STR, 0, 2, 256, NULL, 0 }, \
	{ "DeleteOnRelease", PT_BOOL, 0, 0, 0, NULL, 0 }

static const struct api_param p_create[] = {
	P_REGION,
	{ "VSwitchId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "SecurityGroupId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "SecurityGroupIds", PT_LIST, 0, 0, INST_GROUPS_MAX, NULL, 0 },
	{ "PrimaryIpAddress", PT_STR, 0, 1, 64, NULL, ERR_ENI_IP_MALFORMED },
	{ "InstanceType", PT_STR, 0, 1, 32, NULL, 0 },
	{ "ClientToken", PT_STR, 0, 1, 64, NULL, 0 },
	P_ENI_TEXT,
	P_END,
};

static const struct api_param p_delete[] = {
	P_REGION,
	P_ENI_ID(AP_REQUIRED),
	P_END,
};

static const struct api_param p_describe[] = {
	P_REGION,
	{ "NetworkInterfaceId", PT_LIST, 0, 0, ENI_FILTER_IDS_MAX, NULL, 0 },
	{ "VSwitchId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "VpcId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "InstanceId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "SecurityGroupId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "Type", PT_STR, 0, 1, 32, NULL, 0 },
	{ "Status", PT_STR, 0, 1, 32, NULL, 0 },
	{ "NetworkInterfaceName", PT_STR, 0, 1, 128, NULL, 0 },
	{ "PrimaryIpAddress", PT_STR, 0, 1, 64, NULL, 0 },
	{ "ResourceGroupId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "NextToken", PT_STR, 0, 0, 64, NULL, 0 },
	{ "MaxResults", PT_INT, 0, 0, ENI_PAGE_MAX, NULL, 0 },
	{ "PageNumber", PT_INT, 0, 1, 1 << 20, NULL, 0 },
	{ "PageSize", PT_INT, 0, 1, ENI_PAGE_MAX, NULL, 0 },
	P_END,
};

static const struct api_param p_attach[] = {
	P_REGION,
	P_ENI_ID(AP_REQUIRED),
	{ "InstanceId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "TrunkNetworkInstanceId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "NetworkCardIndex", PT_INT, 0, 0, 16, NULL, 0 },
	{ "WaitForNetworkConfigurationReady", PT_BOOL, 0, 0, 0, NULL, 0 },
	P_END,
};

static const struct api_param p_modify[] = {
	P_REGION,
	P_ENI_ID(AP_REQUIRED),
	{ "SecurityGroupId", PT_LIST, 0, 0, INST_GROUPS_MAX, NULL, 0 },
	P_ENI_TEXT,
	P_END,
};

#define V "2014-05-26"
const struct api_action act_ecs_eni_actions[] = {
	{ V, "CreateNetworkInterface", "ecs:CreateNetworkInterface",
	  act_create_eni, p_create, AF_WRITE | AF_CLIENT_TOKEN },
	{ V, "DeleteNetworkInterface", "ecs:DeleteNetworkInterface",
	  act_delete_eni, p_delete, AF_WRITE },
	{ V, "DescribeNetworkInterfaces", "ecs:DescribeNetworkInterfaces",
	  act_describe_enis, p_describe, 0 },
	{ V, "AttachNetworkInterface", "ecs:AttachNetworkInterface",
	  act_attach_eni, p_attach, AF_WRITE },
	{ V, "DetachNetworkInterface", "ecs:DetachNetworkInterface",
	  act_detach_eni, p_attach, AF_WRITE },
	{ V, "ModifyNetworkInterfaceAttribute",
	  "ecs:ModifyNetworkInterfaceAttribute", act_modify_eni, p_modify,
	  AF_WRITE },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
