/*
 * sekisho_desired: GetHostDesiredState — what a host agent enforces.
 *
 * Whole: every VPC, vSwitch, group (with its rules) and ENI, as stored.
 * Delta (the agent asks with Delta=true and the SinceRevision it holds):
 * only the objects the change log names since that revision, re-read as
 * they are now, plus the ids of the ones that went. The agent patches its
 * copy (fw_doc_patch in src/fw/fw_doc.c); the result equals the whole
 * document at this revision. A delta costs what changed, not what exists:
 * at 1,000 ENIs the whole document is ~580 KB and ~140 ms to build.
 *
 * What a change means for the document:
 *   vpc, vswitch, eni    that object (or its removal)
 *   sg                   the group with all its rules (or its removal)
 *   sgrule               its group (the change log records the parent,
 *                        also for a deleted rule)
 *   instance             InstanceStates: its ENIs' Running flag
 * Other kinds (tags, members index, RAM, keys) are not in the document.
 * The whole document is sent when the agent holds nothing (0), when the
 * change log holds more than DESIRED_DELTA_MAX entries since, or when an
 * entry lacks what a delta needs (a rule deleted before schema 3).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/act/sekisho_agent_int.h"
#include "lib/cidr.h"

#define DESIRED_DELTA_MAX 4000	/* change-log entries */

static int
desired_list(struct api_call *c, const char *kind, const char *parent,
    struct store_res_list *l)
{
	struct store_filter f = { NULL, kind, NULL, parent, NULL };

	return store_res_list(c->st, &f, l);
}

static json_t *
desired_vpc(const struct store_res *v)
{
	return json_pack("{s:s, s:s, s:I}", "VpcId", v->id, "CidrBlock",
	    agent_str(v->doc, "CidrBlock"), "ZoneId",
	    json_integer_value(json_object_get(v->doc, "CtZone")));
}

/* COMPAT: Alibaba's vSwitch gateway is the first reserved tail address. */
static json_t *
desired_vswitch(const struct store_res *v)
{
	const char *block = agent_str(v->doc, "CidrBlock");
	char gw[CIDR_STR_MAX] = "";
	struct cidr net, host;

	if (cidr_parse(block, &net) == 0 && cidr_size(&net) >= 8 &&
	    cidr_nth(&net, cidr_size(&net) - 3, &host) == 0)
		cidr_format_addr(&host, gw, sizeof(gw));
	return json_pack("{s:s, s:s, s:s, s:s}", "VSwitchId", v->id,
	    "VpcId", v->parent, "CidrBlock", block, "GatewayIp", gw);
}

static json_t *
desired_group(const struct store_res *g)
{
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:[]}",
	    "SecurityGroupId", g->id, "OwnerId", g->account,
	    "SecurityGroupType", agent_str(g->doc, "SecurityGroupType"),
	    "InnerAccessPolicy", agent_str(g->doc, "InnerAccessPolicy"),
	    "VpcId", g->parent, "Rules");
}

static json_t *
desired_eni(struct api_call *c, const struct store_res *e, int running)
{
	const char *drv = agent_str(e->doc, "Driver");
	json_t *groups = json_object_get(e->doc, "SecurityGroupIds");

	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s,"
	    " s:s, s:s, s:s, s:o, s:s, s:s, s:I}",
	    "NetworkInterfaceId", e->id,
	    "InstanceId", agent_str(e->doc, "InstanceId"),
	    "OwnerId", e->account, "Type", agent_str(e->doc, "Type"),
	    "HostId", c->api->cfg.host_id, "Running", running,
	    "MacAddress", agent_str(e->doc, "MacAddress"),
	    "PrivateIpAddress", agent_str(e->doc, "PrivateIpAddress"),
	    "PublicIpAddress", agent_str(e->doc, "PublicIpAddress"),
	    "VpcId", agent_str(e->doc, "VpcId"),
	    "VSwitchId", agent_str(e->doc, "VSwitchId"),
	    "SecurityGroupIds", groups ? json_incref(groups) : json_array(),
	    "Driver", drv[0] ? drv : "local",
	    "HostInterface", agent_str(e->doc, "HostInterface"),
	    "DeviceIndex", json_integer_value(json_object_get(e->doc,
	    "DeviceIndex")));
}

static int
desired_running(const json_t *inst_doc)
{
	return strcmp(agent_str(inst_doc, "Status"), "Running") == 0;
}

/* The whole document. */
static int
desired_full(struct api_call *c)
{
	struct store_res_list vpcs = { 0 }, vsws = { 0 }, groups = { 0 };
	struct store_res_list rules = { 0 }, enis = { 0 }, insts = { 0 };
	json_t *running = NULL, *byid = NULL, *arr;
	int r;

	if ((r = desired_list(c, "vpc", NULL, &vpcs)) < 0 ||
	    (r = desired_list(c, "vswitch", NULL, &vsws)) < 0 ||
	    (r = desired_list(c, "sg", NULL, &groups)) < 0 ||
	    (r = desired_list(c, "sgrule", NULL, &rules)) < 0 ||
	    (r = desired_list(c, "eni", NULL, &enis)) < 0 ||
	    (r = desired_list(c, "instance", NULL, &insts)) < 0)
		goto out;
	arr = json_array();
	for (size_t i = 0; i < vpcs.n; i++)
		json_array_append_new(arr, desired_vpc(&vpcs.v[i]));
	json_object_set_new(c->out, "Vpcs", arr);
	arr = json_array();
	for (size_t i = 0; i < vsws.n; i++)
		json_array_append_new(arr, desired_vswitch(&vsws.v[i]));
	json_object_set_new(c->out, "VSwitches", arr);
	arr = json_array();
	byid = json_object();
	for (size_t i = 0; i < groups.n; i++) {
		json_t *o = desired_group(&groups.v[i]);

		json_object_set(byid, groups.v[i].id, o);
		json_array_append_new(arr, o);
	}
	for (size_t i = 0; i < rules.n; i++) {
		json_t *g = json_object_get(byid, rules.v[i].parent);

		if (g)
			json_array_append(json_object_get(g, "Rules"),
			    rules.v[i].doc);
	}
	json_object_set_new(c->out, "Groups", arr);
	running = json_object();
	for (size_t i = 0; i < insts.n; i++)
		json_object_set_new(running, insts.v[i].id,
		    json_boolean(desired_running(insts.v[i].doc)));
	arr = json_array();
	for (size_t i = 0; i < enis.n; i++)
		json_array_append_new(arr, desired_eni(c, &enis.v[i],
		    json_is_true(json_object_get(running,
		    agent_str(enis.v[i].doc, "InstanceId")))));
	json_object_set_new(c->out, "NetworkInterfaces", arr);
out:
	json_decref(running);
	json_decref(byid);
	store_res_list_free(&vpcs);
	store_res_list_free(&vsws);
	store_res_list_free(&groups);
	store_res_list_free(&rules);
	store_res_list_free(&enis);
	store_res_list_free(&insts);
	return r;
}

/* Ids a delta re-reads, per document list (json objects used as sets). */
struct desired_ids {
	json_t *vpc, *vsw, *sg, *eni, *inst;
};

/* Files the change log's entries; 0, or 1 when a delta cannot say it. */
static int
desired_collect(const struct store_changes *ch, struct desired_ids *ids)
{
	for (size_t i = 0; i < ch->n; i++) {
		const struct store_change *e = &ch->v[i];
		json_t *set = NULL;
		const char *id = e->id;

		if (strcmp(e->kind, "vpc") == 0)
			set = ids->vpc;
		else if (strcmp(e->kind, "vswitch") == 0)
			set = ids->vsw;
		else if (strcmp(e->kind, "sg") == 0)
			set = ids->sg;
		else if (strcmp(e->kind, "eni") == 0)
			set = ids->eni;
		else if (strcmp(e->kind, "instance") == 0)
			set = ids->inst;
		else if (strcmp(e->kind, "sgrule") == 0) {
			if (e->parent[0] == '\0')
				return 1;	/* logged before schema 3 */
			set = ids->sg;
			id = e->parent;
		}
		if (set)
			json_object_set_new(set, id, json_true());
	}
	return 0;
}

/* The delta's form of each object: as in the whole document. *r: a
 * store error while building it. */
static json_t *
delta_vpc(struct api_call *c, const struct store_res *v, int *r)
{
	return desired_vpc(v);
}

static json_t *
delta_vswitch(struct api_call *c, const struct store_res *v, int *r)
{
	return desired_vswitch(v);
}

/* A group with all its rules (one indexed listing per group). */
static json_t *
delta_group(struct api_call *c, const struct store_res *g, int *r)
{
	struct store_res_list rules = { 0 };
	json_t *o = desired_group(g);

	if ((*r = desired_list(c, "sgrule", g->id, &rules)) == 0)
		for (size_t i = 0; i < rules.n; i++)
			json_array_append(json_object_get(o, "Rules"),
			    rules.v[i].doc);
	store_res_list_free(&rules);
	return o;
}

/* An ENI with its instance's Running flag. */
static json_t *
delta_eni(struct api_call *c, const struct store_res *e, int *r)
{
	struct store_res inst;
	int running = 0;

	if (store_res_get(c->st, agent_str(e->doc, "InstanceId"), &inst) == 0)
		running = desired_running(inst.doc);
	store_res_clear(&inst);
	return desired_eni(c, e, running);
}

/* One list of the delta: the objects that exist now, the ids that went. */
static int
desired_delta_list(struct api_call *c, json_t *ids, const char *name,
    json_t *removed,
    json_t *(*build)(struct api_call *, const struct store_res *, int *))
{
	json_t *arr = json_array(), *gone = json_array(), *v;
	const char *id;
	int r = 0;

	json_object_foreach(ids, id, v) {
		struct store_res res;

		if ((r = store_res_get(c->st, id, &res)) == -ERR_NOT_FOUND) {
			json_array_append_new(gone, json_string(id));
			r = 0;
			continue;
		}
		if (r < 0)
			break;
		json_array_append_new(arr, build(c, &res, &r));
		store_res_clear(&res);
		if (r < 0)
			break;
	}
	json_object_set_new(c->out, name, arr);
	json_object_set_new(removed, name, gone);
	return r;
}

/* Instances: [{InstanceId, Running}] (a deleted one is not running). */
static int
desired_delta_insts(struct api_call *c, json_t *ids)
{
	json_t *arr = json_array(), *v;
	const char *id;
	int r = 0;

	json_object_foreach(ids, id, v) {
		struct store_res inst;
		int running = 0;

		if ((r = store_res_get(c->st, id, &inst)) == 0)
			running = desired_running(inst.doc);
		else if (r != -ERR_NOT_FOUND)
			break;
		r = 0;
		store_res_clear(&inst);
		json_array_append_new(arr, json_pack("{s:s, s:b}",
		    "InstanceId", id, "Running", running));
	}
	json_object_set_new(c->out, "InstanceStates", arr);
	return r;
}

/* 0: the delta is in c->out; 1: send the whole document instead. */
static int
desired_delta(struct api_call *c, uint64_t since)
{
	struct store_changes ch = { 0 };
	struct desired_ids ids = { json_object(), json_object(), json_object(),
	    json_object(), json_object() };
	json_t *removed = json_object();
	int r;

	if ((r = store_changes(c->st, since, DESIRED_DELTA_MAX, &ch)) < 0)
		goto out;
	if (ch.more || desired_collect(&ch, &ids)) {
		r = 1;
		goto out;
	}
	if ((r = desired_delta_list(c, ids.vpc, "Vpcs", removed,
	    delta_vpc)) < 0 ||
	    (r = desired_delta_list(c, ids.vsw, "VSwitches", removed,
	    delta_vswitch)) < 0 ||
	    (r = desired_delta_list(c, ids.sg, "Groups", removed,
	    delta_group)) < 0 ||
	    (r = desired_delta_list(c, ids.eni, "NetworkInterfaces", removed,
	    delta_eni)) < 0 ||
	    (r = desired_delta_insts(c, ids.inst)) < 0)
		goto out;
	json_object_set_new(c->out, "Delta", json_true());
	json_object_set_new(c->out, "BaseRevision", json_integer(
	    (json_int_t)since));
	json_object_set(c->out, "Removed", removed);
out:
	json_decref(removed);
	json_decref(ids.vpc);
	json_decref(ids.vsw);
	json_decref(ids.sg);
	json_decref(ids.eni);
	json_decref(ids.inst);
	store_changes_free(&ch);
	return r;
}

int
act_get_host_desired_state(struct api_call *c)
{
	const char *host = api_str(c, "HostId");
	uint64_t rev = store_revision(c->st);
	int64_t since = api_int(c, "SinceRevision", 0);
	int r;

	if ((r = agent_check_host(c, host)) < 0)
		return r;
	json_object_set_new(c->out, "Revision", json_integer((json_int_t)rev));
	json_object_set_new(c->out, "HostId", json_string(host));
	json_object_set_new(c->out, "Operator", json_pack("{s:b}",
	    "Tcp25Open", c->api->cfg.tcp25_open));
	if (api_bool(c, "Delta", 0) && since > 0 && (uint64_t)since <= rev &&
	    (r = desired_delta(c, (uint64_t)since)) <= 0)
		return r;
	/* The delta may have begun to fill c->out. */
	json_object_del(c->out, "Delta");
	json_object_del(c->out, "InstanceStates");
	json_object_del(c->out, "Removed");
	return desired_full(c);
}
