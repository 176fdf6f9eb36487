/*
 * sekisho_eng: the decision engine as API actions of our own product
 * (Version 2026-12-01; parameters and answers in docs/api.md).
 *
 *   ExplainPacket           one packet: each gate's verdict, the item
 *                           that decided it and every item that matched
 *   DescribeEffectiveRules  an ENI's merged rule list in evaluation
 *                           order, with the lines that can never decide
 *   DescribeReachability    sekisho_eng_reach.c
 *   AnalyzeSecurityGroup    sekisho_eng_analyze.c
 *
 * ExplainPacket and DescribeEffectiveRules (and DescribeReachability)
 * take a what-if change (AddPermissions.N / RemovePermissions.N / Change)
 * and answer as if it were applied, on a private model; nothing is
 * written. Everything is the caller's own: another account's instances,
 * ENIs and groups are NotFound, as in every other action.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/act/sekisho_eng_int.h"
#include "lib/err.h"

#define ENGACT_ITEMS_STACK 64	/* explain lines before allocating */

static struct engload_cache engact_models = ENGLOAD_CACHE_INIT;

struct engload_cache *
engact_cache(void)
{
	return &engact_models;
}

/* ---- shared helpers ------------------------------------------------- */

/* The resource kind a parameter names, and its NotFound error. */
static void
engact_id_kind(const char *param, const char **kind, int *err)
{
	size_t n = strlen(param);

	if (n >= 10 && strcmp(param + n - 10, "InstanceId") == 0) {
		*kind = "instance";
		*err = ERR_INST_NOT_FOUND;
	} else if (n >= 15 && strcmp(param + n - 15, "SecurityGroupId") == 0) {
		*kind = "sg";
		*err = ERR_SG_NOT_FOUND;
	} else {
		*kind = "eni";
		*err = ERR_ENI_NOT_FOUND;
	}
}

int
engact_region(struct api_call *c, const char *const *ids, char *buf,
    const char **region)
{
	const char *given = api_str(c, "RegionId");

	*region = NULL;
	if (given && given[0]) {
		*region = given;
		return api_check_region(c, given);
	}
	for (size_t i = 0; ids[i]; i++) {
		const char *id = api_str(c, ids[i]), *kind;
		struct store_res res;
		int err, r;

		if (id == NULL || id[0] == '\0')
			continue;
		engact_id_kind(ids[i], &kind, &err);
		memset(&res, 0, sizeof(res));
		r = strlen(id) < STORE_ID_MAX ? store_res_get(c->st, id, &res) :
		    -ERR_NOT_FOUND;
		if (r == 0 && (strcmp(res.kind, kind) != 0 ||
		    strcmp(res.account, c->who.account) != 0))
			r = -ERR_NOT_FOUND;
		if (r == 0)
			snprintf(buf, 64, "%s", res.region);
		store_res_clear(&res);
		if (r == -ERR_NOT_FOUND)
			return api_fail(c, err, "%s", id);
		if (r < 0)
			return r;
		*region = buf;
		return 0;
	}
	return api_fail(c, ERR_MISSING_PARAMETER, "RegionId");
}

int
engact_change(struct api_call *c, struct engload_change *ch)
{
	char det[ENGLOAD_DETAIL] = "";
	int r;

	if ((r = engload_change_parse(c->params, ch, det)) < 0)
		return api_fail(c, r, "%s", det);
	return 0;
}

int
engact_model(struct api_call *c, const char *region,
    const struct engload_change *ch, struct engload **out)
{
	struct engload_opts o = { c->who.account, region,
	    c->api->cfg.tcp25_open };
	char det[ENGLOAD_DETAIL] = "";
	struct engload *l = NULL;
	int r;

	*out = NULL;
	if (ch == NULL || ch->n == 0)
		return engload_get(&engact_models, c->st, &o, out);
	if ((r = engload_build(c->st, &o, &l)) < 0)
		return r;
	if ((r = engload_apply(l, c->st, ch, det)) < 0) {
		engload_free(l);
		return api_fail(c, r, "%s", det);
	}
	*out = l;
	return 0;
}

void
engact_done(struct engload *l)
{
	engload_put(&engact_models, l);
}

const char *
engact_kind(int kind)
{
	static const char *const names[] = {
		[ENG_ITEM_RULE] = "Rule",
		[ENG_ITEM_INNER] = "InnerAccessPolicy",
		[ENG_ITEM_BLOCK] = "OperatorBlock",
		[ENG_ITEM_DEFAULT] = "Default",
		[ENG_ITEM_CT] = "Conntrack",
	};

	return kind >= 0 && kind <= ENG_ITEM_CT ? names[kind] : "";
}

const char *
engact_policy(int policy)
{
	return policy == RULE_DROP ? "Drop" : "Accept";
}

json_t *
engact_item(const struct engload *l, const struct eng_item *it, int with_perm)
{
	static const char *const states[] = { "new", "established", "related",
	    "invalid" };
	const struct engload_rule *ru = NULL;
	char text[256] = "";
	json_t *o;

	if (it->kind == ENG_ITEM_RULE && it->rule)
		ru = engload_rule(l, it->rule->id);
	eng_item_format(it, text, sizeof(text));
	o = json_pack("{s:s, s:s, s:i, s:s, s:s, s:i, s:s, s:s, s:b}",
	    "Kind", engact_kind(it->kind), "Policy", engact_policy(it->policy),
	    "Priority", it->priority,
	    "SecurityGroupId", it->group_id ? it->group_id : "",
	    "SecurityGroupRuleId", it->rule ? it->rule->id : "",
	    "Port", it->port, "ConnectionState", it->kind == ENG_ITEM_CT &&
	    it->ct <= ENG_CT_INVALID ? states[it->ct] : "",
	    "Description", text, "Proposed", ru && ru->proposed);
	if (o && with_perm && ru)
		json_object_set(o, "Permission", ru->doc);
	return o;
}

/* ---- ExplainPacket -------------------------------------------------- */

static const char *
engact_proto_name(int proto, char *buf)
{
	static const struct {
		int num;
		const char *name;
	} names[] = { { ENG_IPPROTO_TCP, "TCP" }, { ENG_IPPROTO_UDP, "UDP" },
	    { ENG_IPPROTO_ICMP, "ICMP" }, { ENG_IPPROTO_ICMPV6, "ICMPV6" },
	    { ENG_IPPROTO_GRE, "GRE" }, { ENGLOAD_PROTO_ALL, "ALL" } };

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (names[i].num == proto)
			return names[i].name;
	snprintf(buf, 8, "%d", proto);
	return buf;
}

static json_t *
engact_flow(const struct eng_flow *f, const struct engload_eni *s,
    const struct engload_eni *d)
{
	static const char *const states[] = { "new", "established", "related",
	    "invalid" };
	struct cidr a = { .family = f->family };
	char src[CIDR_STR_MAX] = "", dst[CIDR_STR_MAX] = "", text[512] = "";
	char num[8];

	memcpy(a.addr, f->src, 16);
	cidr_format_addr(&a, src, sizeof(src));
	memcpy(a.addr, f->dst, 16);
	cidr_format_addr(&a, dst, sizeof(dst));
	eng_flow_format(f, text, sizeof(text));
	return json_pack("{s:s, s:i, s:s, s:s, s:i, s:i, s:s, s:s, s:s, s:s,"
	    " s:s, s:s}",
	    "Protocol", engact_proto_name(f->proto, num),
	    "ProtocolNumber", f->proto, "SourceIp", src, "DestinationIp", dst,
	    "SourcePort", f->sport, "DestinationPort", f->dport,
	    "ConnectionState", states[f->ct <= ENG_CT_INVALID ? f->ct : 0],
	    "SourceNetworkInterfaceId", s ? s->id : "",
	    "SourceInstanceId", s ? s->instance : "",
	    "DestinationNetworkInterfaceId", d ? d->id : "",
	    "DestinationInstanceId", d ? d->instance : "", "Text", text);
}

/*
 * One gate: its verdict object, and its matched items appended to items
 * (Gate, Order, Decides). *inet receives the flow's scope at the gate.
 */
static int
engact_gate(const struct engload *l, const struct engload_eni *n, int dir,
    const struct eng_flow *f, const struct eng_verdict *v, json_t *items,
    int *inet, json_t **out)
{
	struct eng_item stack[ENGACT_ITEMS_STACK], *it = stack;
	const char *gate = dir == RULE_EGRESS ? "Egress" : "Ingress";
	size_t cnt = 0;
	int r;

	*inet = 0;
	*out = NULL;
	if (n == NULL) {
		*out = json_pack("{s:b, s:s, s:s, s:s, s:b}", "Present", 0,
		    "NetworkInterfaceId", "", "InstanceId", "", "Verdict", "",
		    "IsInternet", 0);
		return *out ? 0 : -ERR_NOMEM;
	}
	if ((r = eng_explain(l->m, n->e, dir, f, it, ENGACT_ITEMS_STACK, &cnt,
	    inet)) < 0)
		return r;
	if (cnt > ENGACT_ITEMS_STACK) {
		if ((it = calloc(cnt, sizeof(*it))) == NULL)
			return -ERR_NOMEM;
		if ((r = eng_explain(l->m, n->e, dir, f, it, cnt, &cnt,
		    inet)) < 0)
			goto out;
	}
	for (size_t i = 0; i < cnt; i++) {
		json_t *o = engact_item(l, &it[i], 1);

		json_object_set_new(o, "Gate", json_string(gate));
		json_object_set_new(o, "Order", json_integer((json_int_t)i + 1));
		json_object_set_new(o, "Decides", json_boolean(i == 0));
		json_array_append_new(items, o);
	}
	*out = json_pack("{s:b, s:s, s:s, s:s, s:b, s:o, s:i}", "Present", 1,
	    "NetworkInterfaceId", n->id, "InstanceId", n->instance,
	    "Verdict", v->accept ? "Accept" : "Drop", "IsInternet", *inet,
	    "DecidingItem", engact_item(l, &v->item, 1),
	    "MatchedItemCount", (int)cnt);
	r = *out ? 0 : -ERR_NOMEM;
out:
	if (it != stack)
		free(it);
	return r;
}

/* "Accepted. Egress (eni-a): ... Ingress (eni-b): ..." or the drop. */
static json_t *
engact_reason(const struct eng_result *res, const struct engload_eni *s,
    const struct engload_eni *d)
{
	const struct eng_verdict *v[2] = { &res->egress, &res->ingress };
	const struct engload_eni *n[2] = { s, d };
	const char *gate[2] = { "egress", "ingress" };
	char text[256], out[700];
	size_t off;

	off = (size_t)snprintf(out, sizeof(out), "%s", res->accept ?
	    "Accepted." : "Dropped");
	for (int i = 0; i < 2; i++) {
		if (!v[i]->present || (!res->accept && v[i]->accept))
			continue;
		eng_item_format(&v[i]->item, text, sizeof(text));
		if (res->accept)
			off += (size_t)snprintf(out + off, sizeof(out) - off,
			    " %s of %s: %s.", gate[i], n[i]->id, text);
		else {
			snprintf(out + off, sizeof(out) - off,
			    " at the %s of %s: %s.", gate[i], n[i]->id, text);
			break;
		}
		if (off >= sizeof(out))
			break;
	}
	return json_string(out);
}

static int
act_explain(struct api_call *c)
{
	static const char *const ids[] = { "SourceInstanceId",
	    "SourceNetworkInterfaceId", "DestinationInstanceId",
	    "DestinationNetworkInterfaceId", NULL };
	struct engload_change ch = { NULL, 0 };
	const struct engload_eni *s = NULL, *d = NULL;
	struct engload *l = NULL;
	struct engload_query q;
	struct eng_result res;
	struct eng_flow f;
	char det[ENGLOAD_DETAIL] = "", rbuf[64];
	const char *region;
	json_t *items = json_array(), *eg = NULL, *in = NULL;
	int r, inet_e = 0, inet_i = 0;

	if ((r = engload_query_parse(c->params, &q, det)) < 0) {
		r = api_fail(c, r, "%s", det);
		goto out;
	}
	if ((r = engact_change(c, &ch)) < 0 ||
	    (r = engact_region(c, ids, rbuf, &region)) < 0 ||
	    (r = engact_model(c, region, &ch, &l)) < 0)
		goto out;
	if ((r = engload_flow(l, &q, &f, &s, &d, det)) < 0) {
		r = api_fail(c, r, "%s", det);
		goto out;
	}
	if ((r = eng_decide(l->m, &f, &res)) < 0 ||
	    (r = engact_gate(l, s, RULE_EGRESS, &f, &res.egress, items,
	    &inet_e, &eg)) < 0 ||
	    (r = engact_gate(l, d, RULE_INGRESS, &f, &res.ingress, items,
	    &inet_i, &in)) < 0)
		goto out;
	json_object_set_new(c->out, "RegionId", json_string(region));
	json_object_set_new(c->out, "Flow", engact_flow(&f, s, d));
	json_object_set_new(c->out, "Egress", eg);
	json_object_set_new(c->out, "Ingress", in);
	eg = in = NULL;
	json_object_set_new(c->out, "Accept", json_boolean(res.accept));
	json_object_set_new(c->out, "Verdict", json_string(res.accept ?
	    "Accept" : "Drop"));
	json_object_set_new(c->out, "IsInternet",
	    json_boolean(inet_e || inet_i));
	if (s && d)
		json_object_set_new(c->out, "SameNetwork",
		    json_boolean(strcmp(s->vpc, d->vpc) == 0));
	json_object_set_new(c->out, "Reason", engact_reason(&res, s, d));
	json_object_set_new(c->out, "MatchedItems", api_wrap_list(items,
	    "Item"));
	items = NULL;
	json_object_set_new(c->out, "WhatIf", json_boolean(ch.n > 0));
out:
	json_decref(items);
	json_decref(eg);
	json_decref(in);
	engact_done(l);
	engload_change_free(&ch);
	return r;
}

/* ---- DescribeEffectiveRules ----------------------------------------- */

/* The first earlier line that covers line i, or -1. */
static long
engact_shadower(const struct engload *l, const struct eng_eff *v, size_t i)
{
	for (size_t j = 0; j < i; j++)
		if (engload_covers(l, &v[j].item, v[j].nic, &v[i].item,
		    v[i].nic))
			return (long)j;
	return -1;
}

static int
engact_eff_dir(const struct engload *l, const struct engload_eni *n, int dir,
    json_t *arr, size_t *shadowed)
{
	struct eng_eff *v = NULL;
	size_t cnt = 0;
	int r;

	if ((r = eng_effective(l->m, n->e, dir, NULL, 0, &cnt)) < 0)
		return r;
	if ((v = calloc(cnt, sizeof(*v))) == NULL)
		return -ERR_NOMEM;
	if ((r = eng_effective(l->m, n->e, dir, v, cnt, &cnt)) < 0)
		goto out;
	for (size_t i = 0; i < cnt; i++) {
		json_t *o = engact_item(l, &v[i].item, 1);
		long j = v[i].shadowed && !v[i].never ?
		    engact_shadower(l, v, i) : -1;

		json_object_set_new(o, "Direction", json_string(dir ==
		    RULE_EGRESS ? "egress" : "ingress"));
		json_object_set_new(o, "Order", json_integer((json_int_t)i + 1));
		json_object_set_new(o, "NicType", json_string(v[i].nic ==
		    RULE_NIC_INTERNET ? "internet" : "intranet"));
		json_object_set_new(o, "NeverMatches", json_boolean(v[i].never));
		json_object_set_new(o, "Shadowed", json_boolean(v[i].shadowed));
		json_object_set_new(o, "Redundant", json_boolean(j >= 0 &&
		    v[j].item.policy == v[i].item.policy));
		if (j >= 0)
			json_object_set_new(o, "ShadowedBy",
			    engact_item(l, &v[j].item, 0));
		*shadowed += v[i].shadowed;
		json_array_append_new(arr, o);
	}
out:
	free(v);
	return r;
}

/* NetworkInterfaceId or InstanceId (exactly one) on the model. */
static int
engact_eni_param(struct api_call *c, const struct engload *l,
    const struct engload_eni **out)
{
	const char *eni = api_str(c, "NetworkInterfaceId");
	const char *inst = api_str(c, "InstanceId");

	*out = NULL;
	if (eni && eni[0] && inst && inst[0])
		return api_fail(c, ERR_INVALID_PARAMETER, "InstanceId");
	if (eni && eni[0]) {
		if ((*out = engload_eni(l, eni)) == NULL)
			return api_fail(c, ERR_ENI_NOT_FOUND, "%s", eni);
		return 0;
	}
	if (inst && inst[0]) {
		if ((*out = engload_instance(l, inst)) == NULL)
			return api_fail(c, ERR_INST_NOT_FOUND, "%s", inst);
		return 0;
	}
	return api_fail(c, ERR_MISSING_PARAMETER, "NetworkInterfaceId");
}

static int
act_effective(struct api_call *c)
{
	static const char *const ids[] = { "NetworkInterfaceId", "InstanceId",
	    NULL };
	struct engload_change ch = { NULL, 0 };
	const struct engload_eni *n;
	struct engload *l = NULL;
	const char *dir = api_str(c, "Direction"), *region;
	json_t *rules = json_array(), *groups = json_array();
	size_t shadowed = 0;
	char rbuf[64];
	int r;

	if (dir == NULL || dir[0] == '\0')
		dir = "all";
	if (strcmp(dir, "all") && strcmp(dir, "ingress") &&
	    strcmp(dir, "egress")) {
		r = api_fail(c, ERR_INVALID_PARAMETER, "Direction");
		goto out;
	}
	if ((r = engact_change(c, &ch)) < 0 ||
	    (r = engact_region(c, ids, rbuf, &region)) < 0 ||
	    (r = engact_model(c, region, &ch, &l)) < 0 ||
	    (r = engact_eni_param(c, l, &n)) < 0)
		goto out;
	if ((strcmp(dir, "egress") != 0 &&
	    (r = engact_eff_dir(l, n, RULE_INGRESS, rules, &shadowed)) < 0) ||
	    (strcmp(dir, "ingress") != 0 &&
	    (r = engact_eff_dir(l, n, RULE_EGRESS, rules, &shadowed)) < 0))
		goto out;
	for (size_t i = 0; i < n->ngroups; i++)
		json_array_append_new(groups,
		    json_string(l->groups[n->groups[i]].id));
	json_object_set_new(c->out, "RegionId", json_string(region));
	json_object_set_new(c->out, "NetworkInterfaceId", json_string(n->id));
	json_object_set_new(c->out, "InstanceId", json_string(n->instance));
	json_object_set_new(c->out, "VpcId", json_string(n->vpc));
	json_object_set_new(c->out, "NetworkType",
	    json_string(n->vpc[0] ? "vpc" : "classic"));
	json_object_set_new(c->out, "SecurityGroupIds",
	    api_wrap_list(groups, "SecurityGroupId"));
	groups = NULL;
	json_object_set_new(c->out, "TotalCount",
	    json_integer((json_int_t)json_array_size(rules)));
	json_object_set_new(c->out, "ShadowedCount",
	    json_integer((json_int_t)shadowed));
	json_object_set_new(c->out, "Rules", api_wrap_list(rules, "Rule"));
	rules = NULL;
	json_object_set_new(c->out, "WhatIf", json_boolean(ch.n > 0));
out:
	json_decref(rules);
	json_decref(groups);
	engact_done(l);
	engload_change_free(&ch);
	return r;
}

/* ---- the table ------------------------------------------------------ */

#define P_END { NULL, 0, 0, 0, 0, NULL, 0 }
#define P_ID(name) { name, PT_STR, 0, 0, 64, NULL, 0 }
#define P_WHATIF \
	{ "AddPermissions", PT_OBJLIST, 0, 0, ENGLOAD_EDITS_MAX, NULL, 0 }, \
	{ "RemovePermissions", PT_OBJLIST, 0, 0, ENGLOAD_EDITS_MAX, NULL, 0 }, \
	{ "Change", PT_STR, 0, 0, ENGLOAD_CHANGE_TEXT_MAX, NULL, 0 }

static const struct api_param p_explain[] = {
	P_ID("RegionId"),
	{ "Protocol", PT_STR, AP_REQUIRED, 1, 16, NULL, 0 },
	P_ID("SourceInstanceId"), P_ID("SourceNetworkInterfaceId"),
	P_ID("SourceIp"), P_ID("DestinationInstanceId"),
	P_ID("DestinationNetworkInterfaceId"), P_ID("DestinationIp"),
	{ "DestinationPort", PT_INT, 0, 0, 65535, NULL, 0 },
	{ "SourcePort", PT_INT, 0, 0, 65535, NULL, 0 },
	{ "IcmpType", PT_INT, 0, 0, 255, NULL, 0 },
	{ "IcmpCode", PT_INT, 0, 0, 255, NULL, 0 },
	{ "ConnectionState", PT_STR, 0, 0, 16, NULL, 0 },
	P_WHATIF,
	P_END,
};

static const struct api_param p_effective[] = {
	P_ID("RegionId"), P_ID("NetworkInterfaceId"), P_ID("InstanceId"),
	{ "Direction", PT_STR, 0, 0, 16, NULL, 0 },
	P_WHATIF,
	P_END,
};

const struct api_param engact_p_reach[] = {
	P_ID("RegionId"),
	{ "Protocol", PT_STR, AP_REQUIRED, 1, 16, NULL, 0 },
	P_ID("SourceInstanceId"), P_ID("SourceNetworkInterfaceId"),
	P_ID("DestinationInstanceId"), P_ID("DestinationNetworkInterfaceId"),
	{ "DestinationPort", PT_INT, 0, 0, 65535, NULL, 0 },
	{ "SourcePort", PT_INT, 0, 0, 65535, NULL, 0 },
	P_WHATIF,
	P_END,
};

const struct api_param engact_p_analyze[] = {
	P_ID("RegionId"), P_ID("SecurityGroupId"),
	P_END,
};

#define V "2026-12-01"
const struct api_action act_sekisho_eng_actions[] = {
	{ V, "ExplainPacket", "sekisho:ExplainPacket", act_explain, p_explain,
	  0 },
	{ V, "DescribeEffectiveRules", "sekisho:DescribeEffectiveRules",
	  act_effective, p_effective, 0 },
	{ V, "DescribeReachability", "sekisho:DescribeReachability",
	  engact_reach, engact_p_reach, 0 },
	{ V, "AnalyzeSecurityGroup", "sekisho:AnalyzeSecurityGroup",
	  engact_analyze, engact_p_analyze, 0 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
