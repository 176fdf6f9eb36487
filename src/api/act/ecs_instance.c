/*
 * ecs_instance: instances as control-plane records (ECS 2014-05-26) —
 * RunInstances, CreateInstance, StartInstance, StopInstance,
 * RebootInstance, DeleteInstance — and the family's action table (which
 * also lists DescribeInstances, ecs_inst_view.c, and Join/Leave-
 * SecurityGroup, ecs_inst_join.c).
 *
 * An instance is a record plus its primary ENI ("eni", Type Primary), whose
 * groups are the instance's groups. VPC instances take their private IP
 * from the vSwitch; classic ones (no VSwitchId) an intranet and an internet
 * address from the classic pools (src/sg/ipam.h). Without a group the
 * instance joins the region's / VPC's default group (sgdb_default_group).
 *
 * States (COMPAT: Alibaba passes through Pending/Starting/Stopping; the
 * transitions here are immediate):
 *
 *   RunInstances ──> Running <──StartInstance── Stopped <── CreateInstance
 *                    Running ──StopInstance───> Stopped
 *                    Running ──RebootInstance─> Running
 *   DeleteInstance: Stopped, or any state with Force=true.
 *
 * KeyPairName is stored as given; checking that it exists belongs to the
 * key-pair actions (a later issue). RamRoleName must name a role that
 * trusts ecs.aliyuncs.com, and the caller needs ram:PassRole on it
 * (authz_pass_role).
 */
#include <stdio.h>
#include <string.h>

#include "api/act/act.h"
#include "api/act/ecs_inst_int.h"
#include "api/act/vpc_int.h"
#include "iam/authz.h"
#include "lib/rnd.h"
#include "lib/tm.h"
#include "sg/ipam.h"
#include "sg/sgdb.h"

#define INST_AMOUNT_MAX 100
#define INST_NAME_MAX 128
#define INST_HOSTNAME_MAX 64

/* Where new instances go: resolved once per request. */
struct inst_plan {
	const char *region;
	const char *zone;
	const char *vpc_id;		/* "" = classic */
	struct store_res vsw;		/* kind "" when classic */
	struct inst_groups g;
	const char *status;		/* Running | Stopped */
	int64_t amount;			/* instances in this request */
	char zone_buf[80];		/* classic default zone */
	struct ipam ip;			/* vSwitch, or classic intranet */
	struct ipam pub;		/* classic internet */
};

static const struct ipam_errs inst_ip_errs = {
	ERR_INST_IP_MALFORMED, ERR_INST_IP_INVALID, ERR_INST_IP_DUPLICATED,
	ERR_INST_IP_QUOTA,
};

static int
inst_is_name_char(unsigned char ch, int host)
{
	if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	    (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' ||
	    ch == '[' || ch == ']' || ch == ',')
		return 1;
	return !host && (ch == ':' || ch == '_' || ch >= 0x80);
}

/*
 * COMPAT: RunInstances doc — InstanceName: 2..128 characters, starting
 * with a letter, then letters, digits, ':', '_', '.', '-'; HostName:
 * 2..64 of letters, digits, '.', '-', not starting or ending with '.' or
 * '-'. '[', ',' and ']' are the numbering syntax "name[begin,digits]".
 */
static int
inst_check_name(struct api_call *c, const char *param, int host, int err)
{
	const unsigned char *s = (const unsigned char *)api_str(c, param);
	size_t chars = 0, len;

	if (s == NULL)
		return 0;
	len = strlen((const char *)s);
	for (size_t i = 0; i < len; i++) {
		if (!inst_is_name_char(s[i], host))
			return api_fail(c, err, NULL);
		chars += (s[i] & 0xc0) != 0x80;
	}
	if (chars < 2 || chars > (host ? INST_HOSTNAME_MAX : INST_NAME_MAX))
		return api_fail(c, err, NULL);
	if (!host && !((s[0] | 0x20) >= 'a' && (s[0] | 0x20) <= 'z') &&
	    s[0] < 0x80)
		return api_fail(c, err, NULL);
	if (host && (s[0] == '.' || s[0] == '-' || s[len - 1] == '.' ||
	    s[len - 1] == '-' || strstr((const char *)s, "..") ||
	    strstr((const char *)s, "--")))
		return api_fail(c, err, NULL);
	return 0;
}

/* COMPAT: instance types are not checked against a catalogue; any
 * "ecs.<family>.<size>" of lower-case letters, digits and '-' passes. */
static int
inst_check_type(struct api_call *c)
{
	const char *t = api_str(c, "InstanceType");
	int dots = 0;

	if (t == NULL)
		return api_fail(c, ERR_MISSING_PARAMETER, "InstanceType");
	if (strncmp(t, "ecs.", 4) != 0)
		return api_fail(c, ERR_INST_TYPE_INVALID, NULL);
	for (const char *p = t + 4; *p; p++) {
		if (*p == '.' && p[-1] != '.' && p[1] != '\0')
			dots++;
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			return api_fail(c, ERR_INST_TYPE_INVALID, NULL);
	}
	return dots == 1 ? 0 : api_fail(c, ERR_INST_TYPE_INVALID, NULL);
}

/*
 * Name number k of a batch: "name[begin,digits]" counts from begin with
 * zero padding; UniqueSuffix appends 001, 002, ... for Amount > 1;
 * otherwise the name is used as is (fallback when absent).
 */
static void
inst_name_nth(struct api_call *c, const struct inst_plan *p,
    const char *tmpl, const char *fallback, int k, char *out, size_t len)
{
	const char *open, *comma, *close;
	int begin, digits;

	if (tmpl == NULL) {
		snprintf(out, len, "%s", fallback);
		return;
	}
	open = strchr(tmpl, '[');
	comma = open ? strchr(open, ',') : NULL;
	close = comma ? strchr(comma, ']') : NULL;
	if (close && sscanf(open, "[%d,%d]", &begin, &digits) == 2 &&
	    begin >= 0 && begin < 100000000 && digits >= 0 && digits <= 8) {
		snprintf(out, len, "%.*s%0*d%s", (int)(open - tmpl), tmpl,
		    digits, begin + k, close + 1);
		return;
	}
	if (api_bool(c, "UniqueSuffix", 0) && p->amount > 1)
		snprintf(out, len, "%s%03d", tmpl, k + 1);
	else
		snprintf(out, len, "%s", tmpl);
}

static int
inst_check_params(struct api_call *c)
{
	int r;

	if ((r = api_check_region(c, api_str(c, "RegionId"))) < 0 ||
	    (r = inst_check_type(c)) < 0 ||
	    (r = inst_check_name(c, "InstanceName", 0,
	    ERR_INST_NAME_MALFORMED)) < 0 ||
	    (r = inst_check_name(c, "HostName", 1,
	    ERR_INST_HOSTNAME_MALFORMED)) < 0 ||
	    (r = vpc_check_text(c, "Description",
	    ERR_DESCRIPTION_MALFORMED)) < 0)
		return r;
	return 0;
}

/* Network placement: the vSwitch's VPC and zone, or classic. */
static int
inst_place(struct api_call *c, struct inst_plan *p)
{
	const char *vsw = api_str(c, "VSwitchId");
	const char *zone = api_str(c, "ZoneId");
	char zones[1][80];
	int r;

	if (vsw == NULL) {
		p->vpc_id = "";
		if (api_str(c, "PrivateIpAddress"))
			return api_fail(c, ERR_INVALID_PARAMETER,
			    "PrivateIpAddress");
		if (api_str(c, "RamRoleName"))
			return api_fail(c, ERR_INST_RAM_ROLE_CLASSIC, NULL);
		if (zone && !act_zone_exists(p->region, zone))
			return api_fail(c, ERR_ZONE_NOT_FOUND, "%s", zone);
		if (zone == NULL && act_region_zones(p->region, zones, 1) == 1)
			snprintf(p->zone_buf, sizeof(p->zone_buf), "%s",
			    zones[0]);
		p->zone = zone ? zone : p->zone_buf;
		return 0;
	}
	if ((r = vpc_res_get(c, VSW_KIND, vsw, p->region,
	    ERR_VSWITCH_NOT_FOUND, &p->vsw)) < 0)
		return r;
	p->vpc_id = inst_str(p->vsw.doc, "VpcId");
	p->zone = inst_str(p->vsw.doc, "ZoneId");
	if (zone && strcmp(zone, p->zone) != 0)
		return api_fail(c, ERR_INVALID_PARAMETER, "ZoneId");
	return 0;
}

/* The requested groups, checked; none = the default group. */
static int
inst_plan_groups(struct api_call *c, struct inst_plan *p, int multi)
{
	char sg[STORE_ID_MAX];
	int r;

	if ((r = inst_groups_param(c, "SecurityGroupId",
	    multi ? "SecurityGroupIds" : NULL, &p->g)) < 0)
		return r;
	if (p->g.n > 0)
		return inst_groups_check(c, p->region, p->vpc_id, &p->g,
		    ERR_INST_NETWORK_MISMATCH, 0);
	if ((r = sgdb_default_group(c->st, &c->api->cfg, c->who.account,
	    p->region, p->vpc_id, c->now, sg)) < 0)
		return api_fail(c, -r, "default security group");
	snprintf(p->g.id[0], sizeof(p->g.id[0]), "%s", sg);
	p->g.n = 1;
	return 0;
}

static int
inst_plan_ipam(struct api_call *c, struct inst_plan *p)
{
	int r;

	if (p->vpc_id[0])
		return ipam_open(&p->ip, c->st, IPAM_POOL_VSWITCH, p->vsw.id,
		    inst_str(p->vsw.doc, "CidrBlock"), &inst_ip_errs);
	if ((r = ipam_open(&p->ip, c->st, IPAM_POOL_INTRANET, NULL, NULL,
	    &inst_ip_errs)) < 0)
		return r;
	return ipam_open(&p->pub, c->st, IPAM_POOL_INTERNET, NULL, NULL,
	    &inst_ip_errs);
}

/* DescribeInstances documents CreationTime to the minute. */
static void
inst_minute(int64_t t, char *buf, size_t len)
{
	char iso[32];

	tm_format_iso(t, iso, sizeof(iso));
	snprintf(buf, len, "%.16sZ", iso);
}

static json_t *
inst_new_doc(struct api_call *c, const struct inst_plan *p, const char *id,
    int k, const char *ip, const char *pub)
{
	const char *image = api_str(c, "ImageId"), *key = api_str(c,
	    "KeyPairName"), *role = api_str(c, "RamRoleName"), *desc =
	    api_str(c, "Description");
	char name[4 * INST_NAME_MAX], host[4 * INST_NAME_MAX], fb[80], ts[32];
	int vpc = p->vpc_id[0] != '\0';
	json_t *doc;

	inst_name_nth(c, p, api_str(c, "InstanceName"), id, k, name,
	    sizeof(name));
	snprintf(fb, sizeof(fb), "iZ%.60sZ", id + 2);
	inst_name_nth(c, p, api_str(c, "HostName"), fb, k, host,
	    sizeof(host));
	inst_minute(c->now, ts, sizeof(ts));
	doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
	    "InstanceId", id, "InstanceName", name, "HostName", host,
	    "Description", desc ? desc : "", "Status", p->status,
	    "InstanceType", api_str(c, "InstanceType"),
	    "ImageId", image ? image : "", "RegionId", p->region,
	    "ZoneId", p->zone, "InstanceNetworkType", vpc ? "vpc" : "classic",
	    "KeyPairName", key ? key : "", "RamRoleName", role ? role : "",
	    "CreationTime", ts,
	    "StartTime", strcmp(p->status, "Running") == 0 ? ts : "",
	    "InstanceChargeType", "PostPaid",
	    "InternetChargeType", "PayByTraffic", "OSType", "linux",
	    "ResourceGroupId", "",
	    "DeletionProtection", api_bool(c, "DeletionProtection", 0));
	if (doc == NULL)
		return NULL;
	json_object_set_new(doc, "VpcAttributes", json_pack(
	    "{s:s, s:s, s:s, s:{s:[s*]}}", "VpcId", p->vpc_id,
	    "VSwitchId", vpc ? p->vsw.id : "", "NatIpAddress", "",
	    "PrivateIpAddress", "IpAddress", vpc ? ip : NULL));
	json_object_set_new(doc, "InnerIpAddress", json_pack("{s:[s*]}",
	    "IpAddress", vpc ? NULL : ip));
	json_object_set_new(doc, "PublicIpAddress", json_pack("{s:[s*]}",
	    "IpAddress", pub));
	json_object_set_new(doc, "EipAddress", json_pack("{s:s, s:s, s:s}",
	    "AllocationId", "", "IpAddress", "", "InternetChargeType", ""));
	json_object_set_new(doc, "OperationLocks", api_wrap_list(NULL,
	    "LockReason"));
	json_object_set_new(doc, "Tags", json_array());	/* see ecs_tag.c */
	return doc;
}

static int
inst_create_one(struct api_call *c, struct inst_plan *p, int k,
    json_t *ids)
{
	const char *base = api_str(c, "PrivateIpAddress");
	char ip[CIDR_STR_MAX], pub[CIDR_STR_MAX], want[CIDR_STR_MAX];
	char mac[IPAM_MAC_MAX], detail[256];
	int classic = p->vpc_id[0] == '\0', r;
	struct store_res inst, eni;
	struct eni_spec s;

	memset(&inst, 0, sizeof(inst));
	memset(&eni, 0, sizeof(eni));
	if (base && ipam_addr_add(base, (uint64_t)k, want, sizeof(want)) < 0)
		return api_fail(c, ERR_INST_IP_MALFORMED, "%s", base);
	if ((r = ipam_take(&p->ip, base ? want : NULL, ip, sizeof(ip),
	    detail)) < 0 || (classic && (r = ipam_take(&p->pub, NULL, pub,
	    sizeof(pub), detail)) < 0))
		return api_fail(c, -r, "%s", detail);
	if ((r = ipam_mac(&p->ip, mac, sizeof(mac))) < 0 ||
	    (r = rnd_id("i-", inst.id, sizeof(inst.id))) < 0)
		return r;
	snprintf(inst.kind, sizeof(inst.kind), "%s", INST_KIND);
	snprintf(inst.account, sizeof(inst.account), "%s", c->who.account);
	snprintf(inst.region, sizeof(inst.region), "%s", p->region);
	snprintf(inst.parent, sizeof(inst.parent), "%s", classic ? "" :
	    p->vsw.id);
	if ((inst.doc = inst_new_doc(c, p, inst.id, k, ip,
	    classic ? pub : NULL)) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	s = (struct eni_spec){ "Primary", inst.id, p->region, p->zone,
	    p->vpc_id, inst.parent, ip, classic ? pub : NULL, mac, NULL, NULL,
	    1 };
	if ((r = store_res_put(c->st, &inst)) < 0 ||
	    (r = eni_create(c, &s, &p->g, &eni)) < 0 ||
	    (r = inst_sync(c, &inst)) < 0)
		goto out;
	json_array_append_new(ids, json_string(inst.id));
out:
	store_res_clear(&inst);
	store_res_clear(&eni);
	return r;
}

/*
 * Creates amount instances in one transaction (all or none). DryRun runs
 * the whole creation, then refuses: the rollback discards it, so every
 * check — addresses, quotas — took part.
 */
static int
inst_run(struct api_call *c, int multi, const char *status, json_t *ids)
{
	struct inst_plan p;
	int r;

	memset(&p, 0, sizeof(p));
	p.region = api_str(c, "RegionId");
	p.status = status;
	p.amount = multi ? api_int(c, "Amount", 1) : 1;
	if (api_indices(c, "NetworkInterface", (int[1]){ 0 }, 1) > 0)
		return api_fail(c, ERR_ENI_UNSUPPORTED, "NetworkInterface.N");
	if ((r = inst_check_params(c)) < 0 || (r = inst_place(c, &p)) < 0 ||
	    (api_str(c, "RamRoleName") && (r = authz_pass_role(c,
	    api_str(c, "RamRoleName"), ERR_AUTHZ_ROLE_NOT_ECS, NULL)) < 0) ||
	    (r = inst_plan_groups(c, &p, multi)) < 0 ||
	    (r = inst_plan_ipam(c, &p)) < 0)
		goto out;
	for (int64_t k = 0; k < p.amount && r == 0; k++)
		r = inst_create_one(c, &p, (int)k, ids);
	if (r == 0)
		r = inst_dry_run(c);
out:
	ipam_close(&p.ip);
	ipam_close(&p.pub);
	store_res_clear(&p.vsw);
	return r;
}

static int
act_run_instances(struct api_call *c)
{
	json_t *ids = json_array();
	int r;

	if (ids == NULL)
		return -ERR_NOMEM;
	if ((r = inst_run(c, 1, "Running", ids)) < 0) {
		json_decref(ids);
		return r;
	}
	json_object_set_new(c->out, "InstanceIdSets", api_wrap_list(ids,
	    "InstanceIdSet"));
	return 0;
}

static int
act_create_instance(struct api_call *c)
{
	json_t *ids = json_array();
	int r;

	if (ids == NULL)
		return -ERR_NOMEM;
	if ((r = inst_run(c, 0, "Stopped", ids)) == 0)
		json_object_set_new(c->out, "InstanceId",
		    json_copy(json_array_get(ids, 0)));
	json_decref(ids);
	return r;
}

/* COMPAT: power actions are immediate (no Starting/Stopping). */
static const struct inst_transition {
	const char *action;
	const char *from;
	const char *to;
} inst_transitions[] = {
	{ "StartInstance", "Stopped", "Running" },
	{ "StopInstance", "Running", "Stopped" },
	{ "RebootInstance", "Running", "Running" },
	{ NULL, NULL, NULL },
};

static int
act_power(struct api_call *c)
{
	const struct inst_transition *t = inst_transitions;
	struct store_res inst;
	char ts[32];
	int r;

	while (t->action && strcmp(t->action, c->act->name) != 0)
		t++;
	if (t->action == NULL)
		return api_fail(c, ERR_INTERNAL, "%s", c->act->name);
	if ((r = inst_get(c, api_str(c, "InstanceId"), NULL, &inst)) < 0)
		return r;
	if (strcmp(inst_str(inst.doc, "Status"), t->from) != 0) {
		r = api_fail(c, ERR_INST_STATUS, "%s", inst_str(inst.doc,
		    "Status"));
		goto out;
	}
	json_object_set_new(inst.doc, "Status", json_string(t->to));
	if (strcmp(t->to, "Running") == 0) {
		inst_minute(c->now, ts, sizeof(ts));
		json_object_set_new(inst.doc, "StartTime", json_string(ts));
	}
	if ((r = store_res_put(c->st, &inst)) < 0)
		goto out;
	r = inst_dry_run(c);
out:
	store_res_clear(&inst);
	return r;
}

/*
 * Releases the instance with everything hanging off it, in this one
 * transaction: the primary ENI (its address and memberships), secondary
 * ENIs created with DeleteOnRelease=true; other secondary ENIs are
 * detached and become Available.
 */
static int
act_delete_instance(struct api_call *c)
{
	struct store_res_list l = { NULL, 0 };
	struct store_res inst;
	int r;

	if ((r = inst_get(c, api_str(c, "InstanceId"), NULL, &inst)) < 0)
		return r;
	if (json_is_true(json_object_get(inst.doc, "DeletionProtection"))) {
		r = api_fail(c, ERR_INST_DELETION_PROTECTION, "%s", inst.id);
		goto out;
	}
	if (strcmp(inst_str(inst.doc, "Status"), "Stopped") != 0 &&
	    !api_bool(c, "Force", 0)) {
		r = api_fail(c, ERR_INST_STATUS, "%s", inst_str(inst.doc,
		    "Status"));
		goto out;
	}
	if ((r = inst_enis(c, &inst, &l)) < 0)
		goto out;
	for (size_t i = 0; i < l.n && r == 0; i++) {
		struct store_res *e = &l.v[i];

		if (strcmp(inst_str(e->doc, "Type"), "Primary") == 0 ||
		    json_is_true(json_object_get(e->doc, "DeleteOnRelease"))) {
			if ((r = sgdb_member_del_all(c->st, e)) == 0)
				r = store_res_del(c->st, e->id);
		} else {
			r = eni_set_instance(c, e, "", 0);
		}
	}
	if (r == 0 && (r = store_res_del(c->st, inst.id)) == 0)
		r = inst_dry_run(c);
out:
	store_res_list_free(&l);
	store_res_clear(&inst);
	return r;
}

#define P_END { NULL, 0, 0, 0, 0, NULL, 0 }
/* Parameters RunInstances and CreateInstance share. */
#define P_CREATE_COMMON \
	{ "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 }, \
	{ "ImageId", PT_STR, 0, 1, 128, NULL, 0 }, \
	{ "InstanceType", PT_STR, 0, 1, 64, NULL, ERR_INST_TYPE_INVALID }, \
	{ "SecurityGroupId", PT_STR, 0, 1, 64, NULL, 0 }, \
	{ "VSwitchId", PT_STR, 0, 1, 64, NULL, 0 }, \
	{ "ZoneId", PT_STR, 0, 1, 64, NULL, 0 }, \
	{ "PrivateIpAddress", PT_STR, 0, 1, 64, NULL, ERR_INST_IP_MALFORMED }, \
	{ "InstanceName", PT_STR, 0, 1, INST_NAME_MAX, NULL, \
	  ERR_INST_NAME_MALFORMED }, \
	{ "HostName", PT_STR, 0, 1, INST_HOSTNAME_MAX, NULL, \
	  ERR_INST_HOSTNAME_MALFORMED }, \
	{ "Description", PT_STR, 0, 2, 256, NULL, ERR_DESCRIPTION_MALFORMED }, \
	{ "KeyPairName", PT_STR, 0, 1, 128, NULL, 0 }, \
	{ "RamRoleName", PT_STR, 0, 1, 128, NULL, 0 }, \
	{ "DeletionProtection", PT_BOOL, 0, 0, 0, NULL, 0 }, \
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 }, \
	{ "ClientToken", PT_STR, 0, 1, 64, NULL, 0 }

static const struct api_param p_run[] = {
	P_CREATE_COMMON,
	{ "SecurityGroupIds", PT_LIST, 0, 0, INST_GROUPS_MAX, NULL, 0 },
	{ "Amount", PT_INT, 0, 1, INST_AMOUNT_MAX, NULL, ERR_INST_AMOUNT },
	{ "MinAmount", PT_INT, 0, 1, INST_AMOUNT_MAX, NULL, ERR_INST_AMOUNT },
	{ "UniqueSuffix", PT_BOOL, 0, 0, 0, NULL, 0 },
	P_END,
};

static const struct api_param p_create[] = {
	P_CREATE_COMMON,
	P_END,
};

static const struct api_param p_power[] = {
	{ "InstanceId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "ForceStop", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "ConfirmStop", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "InitLocalDisk", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "StoppedMode", PT_STR, 0, 1, 32, NULL, 0 },
	P_END,
};

static const struct api_param p_delete[] = {
	{ "InstanceId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "Force", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "ForceStop", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "TerminateSubscription", PT_BOOL, 0, 0, 0, NULL, 0 },
	P_END,
};

#define V "2014-05-26"
const struct api_action act_ecs_instance_actions[] = {
	{ V, "RunInstances", "ecs:RunInstances", act_run_instances, p_run,
	  AF_WRITE | AF_CLIENT_TOKEN },
	{ V, "CreateInstance", "ecs:CreateInstance", act_create_instance,
	  p_create, AF_WRITE | AF_CLIENT_TOKEN },
	{ V, "DescribeInstances", "ecs:DescribeInstances", inst_act_describe,
	  inst_p_describe, 0 },
	{ V, "StartInstance", "ecs:StartInstance", act_power, p_power,
	  AF_WRITE },
	{ V, "StopInstance", "ecs:StopInstance", act_power, p_power, AF_WRITE },
	{ V, "RebootInstance", "ecs:RebootInstance", act_power, p_power,
	  AF_WRITE },
	{ V, "DeleteInstance", "ecs:DeleteInstance", act_delete_instance,
	  p_delete, AF_WRITE },
	{ V, "JoinSecurityGroup", "ecs:JoinSecurityGroup", inst_act_join,
	  inst_p_join, AF_WRITE },
	{ V, "LeaveSecurityGroup", "ecs:LeaveSecurityGroup", inst_act_leave,
	  inst_p_join, AF_WRITE },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
