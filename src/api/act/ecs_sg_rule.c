/*
 * ecs_sg_rule: security-group rules (ECS 2014-05-26, ../shared/spec/
 * ecs-api.md §4.7-4.12) — AuthorizeSecurityGroup[Egress],
 * RevokeSecurityGroup[Egress], ModifySecurityGroup[Egress]Rule — and the
 * act_ecs_sgrule_actions table. Parsing and every per-rule check live in
 * src/sg/rule_parse.c; here are the checks that need the store.
 *
 * Semantics (COMPAT §9.3 items 13-14, §9.2):
 *   Authorize  rules already present (same identity, rparse_key) are
 *              skipped; duplicates inside one request are refused.
 *   Revoke     by SecurityGroupRuleId.N (unknown id: error) or by content
 *              (no match: success); Description never takes part.
 *   Modify     by SecurityGroupRuleId (fields given replace the stored
 *              ones; the kind of peer cannot change), or, Terraform's way,
 *              by the flat fields of the rule: the rule found gets the
 *              Description given (possibly empty). Both are idempotent.
 */
#include <stdio.h>
#include <string.h>

#include "api/act/ecs_sg_int.h"
#include "lib/err.h"
#include "sg/rule_parse.h"
#include "sg/sgdb.h"
#include "sg/sgdb_int.h"

#define SGR_PEER_GROUPS_MAX 20	/* groups named by a basic group (§4.7) */

/* Per-direction catalogue errors. */
static const struct {
	int not_found, netype, vpc;
	int peer_ip;		/* "peer kind changed" on modify */
} sgr_errs[] = {
	[RULE_INGRESS] = { ERR_SGR_SRC_GROUP_NOT_FOUND, ERR_SGR_NETTYPE_INGRESS,
	    ERR_SGR_SRC_GROUP_VPC, ERR_SGR_SRC_IP },
	[RULE_EGRESS] = { ERR_SGR_DST_GROUP_NOT_FOUND, ERR_SGR_NETTYPE_EGRESS,
	    ERR_SGR_DST_GROUP_VPC, ERR_SGR_DST_IP },
};

/* Peer fields per direction and kind, for Modify by id. */
static const char *const sgr_peer_kinds[][4][3] = {
	[RULE_INGRESS] = { { "SourceCidrIp" }, { "Ipv6SourceCidrIp" },
	    { "SourceGroupId", "SourceGroupOwnerAccount",
	      "SourceGroupOwnerId" },
	    { "SourcePrefixListId" } },
	[RULE_EGRESS] = { { "DestCidrIp" }, { "Ipv6DestCidrIp" },
	    { "DestGroupId", "DestGroupOwnerAccount", "DestGroupOwnerId" },
	    { "DestPrefixListId" } },
};

/* Stored fields a Modify by id may replace (request name = doc name). */
static const char *const sgr_modify_fields[] = {
	"IpProtocol", "PortRange", "SourcePortRange", "Policy", "Description",
	"SourceCidrIp", "DestCidrIp", "Ipv6SourceCidrIp", "Ipv6DestCidrIp",
	"SourceGroupId", "DestGroupId", "SourceGroupOwnerAccount",
	"DestGroupOwnerAccount", "SourcePrefixListId", "DestPrefixListId",
	NULL,
};

/*
 * A group peer must exist in the same region — in the caller's account or
 * the one named — be a basic group of the same network type, and, within
 * one account, in the same VPC (§4.7 error table). Fills the peer's name.
 */
static int
sgr_peer_check(struct api_call *c, const struct store_res *sg,
    enum rule_dir dir, json_t *doc)
{
	const char *owner, *peer = rparse_peer_group(doc, &owner);
	const char *acct = owner[0] ? owner : sg->account;
	struct store_res p;
	int r;

	if (peer == NULL)
		return 0;
	memset(&p, 0, sizeof(p));
	r = store_res_get(c->st, peer, &p);
	if (r == -ERR_NOT_FOUND || (r == 0 && (strcmp(p.kind, SGDB_KIND_SG) ||
	    strcmp(p.account, acct) || strcmp(p.region, sg->region))))
		r = api_fail(c, sgr_errs[dir].not_found, NULL);
	else if (r == 0 && sgdb_is_enterprise(&p))
		r = api_fail(c, ERR_SGR_ENTERPRISE_PEER, NULL);
	else if (r == 0 && sgdb_is_vpc(&p) != sgdb_is_vpc(sg))
		r = api_fail(c, sgr_errs[dir].netype, NULL);
	else if (r == 0 && strcmp(p.account, sg->account) == 0 &&
	    strcmp(p.parent, sg->parent) != 0)
		r = api_fail(c, sgr_errs[dir].vpc, NULL);
	if (r == 0)
		json_object_set_new(doc, dir == RULE_INGRESS ?
		    "SourceGroupName" : "DestGroupName", json_string(
		    rparse_str(p.doc, "SecurityGroupName")));
	store_res_clear(&p);
	return r;
}

static int
sgr_key(struct api_call *c, const json_t *doc, char *key)
{
	int r = rparse_key(doc, c->who.account, key, RPARSE_KEY_MAX);

	return r < 0 ? api_fail(c, r, "Permissions") : 0;
}

/*
 * Every rule of the request (Permissions.N or the flat form) parsed, in
 * request order, into docs, with its identity at the same index of keys;
 * a key seen twice is InvalidParam.DuplicatePermissions.
 */
static int
sgr_parse_all(struct api_call *c, const struct store_res *sg,
    enum rule_dir dir, unsigned mode, json_t *docs, json_t *keys)
{
	int idx[RPARSE_MAX_PERMISSIONS], flat, r = 0;
	size_t n, count;
	struct rparse_group g;
	char detail[RPARSE_DETAIL] = "", prefix[32] = "", key[RPARSE_KEY_MAX];
	json_t *seen = json_object();

	sgdb_parse_group(sg, &g);
	if ((r = rparse_form(c->params, dir, idx, RPARSE_MAX_PERMISSIONS, &n,
	    &flat)) < 0) {
		r = api_fail(c, r, NULL);
		goto out;
	}
	count = n ? n : 1;
	for (size_t i = 0; i < count; i++) {
		json_t *doc;

		if (n)
			snprintf(prefix, sizeof(prefix), "Permissions.%d.",
			    idx[i]);
		if ((r = rparse_rule(c->params, prefix, dir, &g, mode, &doc,
		    detail)) < 0) {
			r = api_fail(c, r, "%s", detail);
			goto out;
		}
		json_array_append_new(docs, doc);
		if ((r = sgr_key(c, doc, key)) < 0)
			goto out;
		if (json_object_get(seen, key)) {
			r = api_fail(c, ERR_SGR_DUPLICATE, NULL);
			goto out;
		}
		json_object_set_new(seen, key, json_true());
		json_array_append_new(keys, json_string(key));
	}
out:
	json_decref(seen);
	return r;
}

/* The group's rules with their keys ({key: [rule index...]}). */
static int
sgr_existing(struct api_call *c, const struct store_res *sg,
    struct store_res_list *l, json_t *keys)
{
	char key[RPARSE_KEY_MAX];
	int r;

	if ((r = sgdb_rules(c->st, sg->id, l)) < 0)
		return r;
	for (size_t i = 0; i < l->n; i++) {
		json_t *a;

		if ((r = sgr_key(c, l->v[i].doc, key)) < 0)
			return r;
		if ((a = json_object_get(keys, key)) == NULL) {
			a = json_array();
			json_object_set_new(keys, key, a);
		}
		json_array_append_new(a, json_integer((json_int_t)i));
	}
	return 0;
}

/* Distinct peer groups of existing + new rules, at most 20 (§4.7). */
static int
sgr_peer_groups_check(struct api_call *c, const struct store_res_list *l,
    const json_t *docs)
{
	json_t *seen = json_object(), *d;
	const char *owner, *peer;
	size_t i;
	int r = 0;

	for (i = 0; i < l->n; i++)
		if ((peer = rparse_peer_group(l->v[i].doc, &owner)) != NULL)
			json_object_set_new(seen, peer, json_true());
	json_array_foreach(docs, i, d)
		if ((peer = rparse_peer_group(d, &owner)) != NULL)
			json_object_set_new(seen, peer, json_true());
	if (json_object_size(seen) > SGR_PEER_GROUPS_MAX)
		r = api_fail(c, ERR_SGR_LIMIT, NULL);
	json_decref(seen);
	return r;
}

static int
sgr_authorize(struct api_call *c, enum rule_dir dir)
{
	struct store_res sg;
	struct store_res_list l = { NULL, 0 };
	json_t *docs = json_array(), *keys = json_array();
	json_t *have = json_object();
	json_t *fresh = json_array(), *d;
	char detail[256] = "";
	size_t i;
	int r;

	if ((r = sgact_group(c, &sg)) < 0 ||
	    (r = sgr_parse_all(c, &sg, dir, RPARSE_AUTHORIZE, docs,
	    keys)) < 0 ||
	    (r = sgr_existing(c, &sg, &l, have)) < 0)
		goto out;
	json_array_foreach(docs, i, d)
		if (json_object_get(have, json_string_value(
		    json_array_get(keys, i))) == NULL)
			json_array_append(fresh, d);
	json_array_foreach(fresh, i, d)
		if ((r = sgr_peer_check(c, &sg, dir, d)) < 0)
			goto out;
	if (l.n + json_array_size(fresh) >
	    (size_t)sgdb_rules_per_group(&c->api->cfg)) {
		r = api_fail(c, ERR_SGR_LIMIT, NULL);
		goto out;
	}
	if ((r = sgr_peer_groups_check(c, &l, fresh)) < 0)
		goto out;
	if ((r = sgdb_eni_rules_check(c->st, &c->api->cfg, sg.id,
	    json_array_size(fresh), detail)) < 0) {
		r = api_fail(c, r, "%s", detail);
		goto out;
	}
	json_array_foreach(fresh, i, d)
		if ((r = sgdb_rule_add(c->st, &sg, d, c->now, NULL)) < 0)
			goto out;
out:
	store_res_list_free(&l);
	store_res_clear(&sg);
	json_decref(docs);
	json_decref(keys);
	json_decref(have);
	json_decref(fresh);
	return r;
}

/* Revoke by SecurityGroupRuleId.N: every id must be a rule of this group
 * and direction (checked before anything is deleted). */
static int
sgr_revoke_ids(struct api_call *c, const struct store_res *sg,
    enum rule_dir dir, const int *idx, size_t n)
{
	const char *want = dir == RULE_INGRESS ? "ingress" : "egress";
	int r = 0;

	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(api_strf(c, "SecurityGroupRuleId.%d",
			    idx[j]), api_strf(c, "SecurityGroupRuleId.%d",
			    idx[i])) == 0)
				return api_fail(c, ERR_SGR_ID_REPEATED, NULL);
	for (size_t i = 0; i < n && r == 0; i++) {
		const char *id = api_strf(c, "SecurityGroupRuleId.%d", idx[i]);
		struct store_res rule;

		memset(&rule, 0, sizeof(rule));
		r = store_res_get(c->st, id, &rule);
		if (r == -ERR_NOT_FOUND || (r == 0 &&
		    (strcmp(rule.kind, SGDB_KIND_RULE) ||
		    strcmp(rule.parent, sg->id) ||
		    strcmp(rparse_str(rule.doc, "Direction"), want))))
			r = api_fail(c, ERR_SGR_ID_UNKNOWN, "%s", id);
		store_res_clear(&rule);
	}
	for (size_t i = 0; i < n && r == 0; i++)
		r = sgdb_rule_del(c->st, api_strf(c, "SecurityGroupRuleId.%d",
		    idx[i]));
	return r;
}

/* Revoke by content: every stored rule with a requested identity. */
static int
sgr_revoke_content(struct api_call *c, const struct store_res *sg,
    enum rule_dir dir)
{
	struct store_res_list l = { NULL, 0 };
	json_t *docs = json_array(), *keys = json_array();
	json_t *have = json_object();
	json_t *hits, *v, *k;
	size_t i, j;
	int r;

	if ((r = sgr_parse_all(c, sg, dir, RPARSE_MATCH, docs, keys)) < 0 ||
	    (r = sgr_existing(c, sg, &l, have)) < 0)
		goto out;
	json_array_foreach(keys, j, k) {
		hits = json_object_get(have, json_string_value(k));
		if (hits == NULL)
			continue;
		json_array_foreach(hits, i, v)
			if ((r = sgdb_rule_del(c->st,
			    l.v[json_integer_value(v)].id)) < 0)
				goto out;
	}
out:
	store_res_list_free(&l);
	json_decref(docs);
	json_decref(keys);
	json_decref(have);
	return r;
}

static int
sgr_revoke(struct api_call *c, enum rule_dir dir)
{
	int idx[RPARSE_MAX_PERMISSIONS], pidx[1], flat, r;
	size_t n = api_indices(c, "SecurityGroupRuleId", idx,
	    RPARSE_MAX_PERMISSIONS), np;
	struct store_res sg;

	if ((r = sgact_group(c, &sg)) < 0)
		goto out;
	if (n > 0) {
		r = rparse_form(c->params, dir, pidx, 1, &np, &flat);
		if (r < 0 || np > 0 || flat)
			r = api_fail(c, ERR_SGR_PERMISSIONS_CONFLICT, NULL);
		else
			r = sgr_revoke_ids(c, &sg, dir, idx, n);
	} else {
		r = sgr_revoke_content(c, &sg, dir);
	}
out:
	store_res_clear(&sg);
	return r;
}

/* Which kind of peer (index into sgr_peer_kinds) a field set names; -1. */
static int
sgr_peer_kind(const struct prm_list *p, const json_t *doc, enum rule_dir dir)
{
	for (int k = 0; k < 4; k++)
		for (int f = 0; f < 3 && sgr_peer_kinds[dir][k][f]; f++) {
			const char *name = sgr_peer_kinds[dir][k][f];
			const char *v = p ? prm_get(p, name) :
			    rparse_str(doc, name);

			if (v && v[0])
				return k;
		}
	return -1;
}

/*
 * The parameters of the modified rule: the stored fields, replaced by the
 * non-empty ones of the request. NicType cannot change (§4.11).
 */
static int
sgr_modify_params(struct api_call *c, const json_t *old, enum rule_dir dir,
    struct prm_list *m)
{
	int owner_given = sgr_peer_kind(c->params, NULL, dir) == 2;
	const char *id_field = sgr_peer_kinds[dir][2][2];
	char prio[16];
	int r = 0;

	for (int i = 0; sgr_modify_fields[i] && r == 0; i++) {
		const char *f = sgr_modify_fields[i], *v = api_str(c, f);

		if (v == NULL || v[0] == '\0') {
			if (owner_given &&
			    strcmp(f, sgr_peer_kinds[dir][2][1]) == 0)
				continue;
			v = rparse_str(old, f);
		}
		r = prm_add(m, f, strlen(f), v, strlen(v));
	}
	if (r == 0 && api_str(c, id_field))
		r = prm_add(m, id_field, strlen(id_field), api_str(c, id_field),
		    strlen(api_str(c, id_field)));
	snprintf(prio, sizeof(prio), "%lld", (long long)json_integer_value(
	    json_object_get(old, "Priority")));
	if (api_str(c, "Priority") && api_str(c, "Priority")[0])
		snprintf(prio, sizeof(prio), "%s", api_str(c, "Priority"));
	if (r == 0)
		r = prm_add(m, "Priority", 8, prio, strlen(prio));
	if (r == 0)
		r = prm_add(m, "NicType", 7, rparse_str(old, "NicType"),
		    strlen(rparse_str(old, "NicType")));
	return r;
}

/* Another rule of the group with the identity of doc (not rule_id)? */
static int
sgr_clash(struct api_call *c, const struct store_res *sg, const json_t *doc,
    const char *rule_id)
{
	struct store_res_list l = { NULL, 0 };
	json_t *have = json_object(), *hits, *v;
	char key[RPARSE_KEY_MAX];
	size_t i;
	int r;

	if ((r = sgr_existing(c, sg, &l, have)) < 0 ||
	    (r = sgr_key(c, doc, key)) < 0)
		goto out;
	json_array_foreach((hits = json_object_get(have, key)), i, v)
		if (strcmp(l.v[json_integer_value(v)].id, rule_id) != 0)
			r = api_fail(c, ERR_SGR_DUPLICATE, NULL);
out:
	store_res_list_free(&l);
	json_decref(have);
	return r;
}

static int
sgr_modify_by_id(struct api_call *c, const struct store_res *sg,
    enum rule_dir dir, const char *rule_id)
{
	struct store_res rule;
	struct prm_list m;
	struct rparse_group g;
	char detail[RPARSE_DETAIL] = "";
	unsigned mode;
	json_t *doc = NULL;
	int r, want;

	prm_init(&m);
	memset(&rule, 0, sizeof(rule));
	r = store_res_get(c->st, rule_id, &rule);
	if (r == -ERR_NOT_FOUND || (r == 0 &&
	    (strcmp(rule.kind, SGDB_KIND_RULE) || strcmp(rule.parent, sg->id) ||
	    strcmp(rparse_str(rule.doc, "Direction"),
	    dir == RULE_INGRESS ? "ingress" : "egress")))) {
		r = api_fail(c, ERR_SGR_NOT_FOUND, "%s", rule_id);
		goto out;
	}
	want = sgr_peer_kind(c->params, NULL, dir);
	if (want >= 0 && want != sgr_peer_kind(NULL, rule.doc, dir)) {
		r = api_fail(c, sgr_errs[dir].peer_ip, "the kind of "
		    "authorization object of a rule cannot be changed.");
		goto out;
	}
	if ((r = sgr_modify_params(c, rule.doc, dir, &m)) < 0)
		goto out;
	/* A system rule (110) keeps its priority; a new one must be 1..100. */
	mode = api_str(c, "Priority") && api_str(c, "Priority")[0] ?
	    RPARSE_AUTHORIZE : RPARSE_MATCH;
	sgdb_parse_group(sg, &g);
	if ((r = rparse_rule(&m, "", dir, &g, mode, &doc, detail)) < 0) {
		r = api_fail(c, r, "%s", detail);
		goto out;
	}
	if ((r = sgr_peer_check(c, sg, dir, doc)) < 0 ||
	    (r = sgr_clash(c, sg, doc, rule.id)) < 0)
		goto out;
	json_object_set(doc, "SecurityGroupRuleId",
	    json_object_get(rule.doc, "SecurityGroupRuleId"));
	json_object_set(doc, "CreateTime",
	    json_object_get(rule.doc, "CreateTime"));
	json_decref(rule.doc);
	rule.doc = doc;
	doc = NULL;
	r = sgdb_rule_update(c->st, sg, &rule);
out:
	json_decref(doc);
	prm_free(&m);
	store_res_clear(&rule);
	return r;
}

/* Terraform's Modify: find the rule by its flat fields, set Description. */
static int
sgr_modify_by_content(struct api_call *c, const struct store_res *sg,
    enum rule_dir dir)
{
	struct store_res_list l = { NULL, 0 };
	json_t *docs = json_array(), *keys = json_array();
	json_t *have = json_object();
	json_t *hits, *v, *k;
	const char *desc = api_str(c, "Description");
	size_t i, j;
	int r, found = 0;

	if ((r = sgr_parse_all(c, sg, dir, RPARSE_MATCH, docs, keys)) < 0 ||
	    (r = sgr_existing(c, sg, &l, have)) < 0)
		goto out;
	json_array_foreach(keys, j, k) {
		hits = json_object_get(have, json_string_value(k));
		if (hits == NULL)
			continue;
		json_array_foreach(hits, i, v) {
			struct store_res *rule = &l.v[json_integer_value(v)];

			found = 1;
			json_object_set_new(rule->doc, "Description",
			    json_string(desc ? desc : ""));
			if ((r = sgdb_rule_update(c->st, sg, rule)) < 0)
				goto out;
		}
	}
	if (!found)
		r = api_fail(c, ERR_SGR_NOT_FOUND, NULL);
out:
	store_res_list_free(&l);
	json_decref(docs);
	json_decref(keys);
	json_decref(have);
	return r;
}

static int
sgr_modify(struct api_call *c, enum rule_dir dir)
{
	const char *id = api_str(c, "SecurityGroupRuleId");
	struct store_res sg;
	int r;

	if ((r = sgact_group(c, &sg)) == 0)
		r = id && id[0] ? sgr_modify_by_id(c, &sg, dir, id) :
		    sgr_modify_by_content(c, &sg, dir);
	store_res_clear(&sg);
	return r;
}

static int
act_authorize(struct api_call *c)
{
	return sgr_authorize(c, RULE_INGRESS);
}

static int
act_authorize_egress(struct api_call *c)
{
	return sgr_authorize(c, RULE_EGRESS);
}

static int
act_revoke(struct api_call *c)
{
	return sgr_revoke(c, RULE_INGRESS);
}

static int
act_revoke_egress(struct api_call *c)
{
	return sgr_revoke(c, RULE_EGRESS);
}

static int
act_modify(struct api_call *c)
{
	return sgr_modify(c, RULE_INGRESS);
}

static int
act_modify_egress(struct api_call *c)
{
	return sgr_modify(c, RULE_EGRESS);
}

/*
 * Schemas: only shapes here (Permissions.N up to 100, SecurityGroupRuleId.N
 * up to 100); every value is checked by rule_parse with its own error.
 */
#define P_STR(name) { name, PT_STR, 0, 0, 0, NULL, 0 }
#define P_RULE_COMMON \
	{ "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 }, \
	{ "SecurityGroupId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 }, \
	P_STR("IpProtocol"), P_STR("PortRange"), P_STR("SourcePortRange"), \
	P_STR("PortRangeListId"), P_STR("NicType"), P_STR("Policy"), \
	P_STR("Priority"), P_STR("Description"), P_STR("SourceCidrIp"), \
	P_STR("DestCidrIp"), P_STR("Ipv6SourceCidrIp"), \
	P_STR("Ipv6DestCidrIp")
#define P_INGRESS_PEER \
	P_STR("SourceGroupId"), P_STR("SourceGroupOwnerAccount"), \
	P_STR("SourceGroupOwnerId"), P_STR("SourcePrefixListId")
#define P_EGRESS_PEER \
	P_STR("DestGroupId"), P_STR("DestGroupOwnerAccount"), \
	P_STR("DestGroupOwnerId"), P_STR("DestPrefixListId")
#define P_PERMISSIONS { "Permissions", PT_OBJLIST, 0, 0, \
	RPARSE_MAX_PERMISSIONS, NULL, 0 }
#define P_RULE_IDS { "SecurityGroupRuleId", PT_LIST, 0, 0, \
	RPARSE_MAX_PERMISSIONS, NULL, 0 }
#define P_END { NULL, 0, 0, 0, 0, NULL, 0 }

static const struct api_param p_authorize[] = {
	P_RULE_COMMON, P_INGRESS_PEER, P_PERMISSIONS, P_END,
};
static const struct api_param p_authorize_egress[] = {
	P_RULE_COMMON, P_EGRESS_PEER, P_PERMISSIONS, P_END,
};
static const struct api_param p_revoke[] = {
	P_RULE_COMMON, P_INGRESS_PEER, P_PERMISSIONS, P_RULE_IDS, P_END,
};
static const struct api_param p_revoke_egress[] = {
	P_RULE_COMMON, P_EGRESS_PEER, P_PERMISSIONS, P_RULE_IDS, P_END,
};
static const struct api_param p_modify[] = {
	P_RULE_COMMON, P_INGRESS_PEER, P_STR("SecurityGroupRuleId"), P_END,
};
static const struct api_param p_modify_egress[] = {
	P_RULE_COMMON, P_EGRESS_PEER, P_STR("SecurityGroupRuleId"), P_END,
};

#define ECS "2014-05-26"
#define AF_RULE (AF_WRITE | AF_CLIENT_TOKEN)

const struct api_action act_ecs_sgrule_actions[] = {
	{ ECS, "AuthorizeSecurityGroup", "ecs:AuthorizeSecurityGroup",
	  act_authorize, p_authorize, AF_RULE },
	{ ECS, "AuthorizeSecurityGroupEgress",
	  "ecs:AuthorizeSecurityGroupEgress", act_authorize_egress,
	  p_authorize_egress, AF_RULE },
	{ ECS, "RevokeSecurityGroup", "ecs:RevokeSecurityGroup", act_revoke,
	  p_revoke, AF_RULE },
	{ ECS, "RevokeSecurityGroupEgress", "ecs:RevokeSecurityGroupEgress",
	  act_revoke_egress, p_revoke_egress, AF_RULE },
	{ ECS, "ModifySecurityGroupRule", "ecs:ModifySecurityGroupRule",
	  act_modify, p_modify, AF_RULE },
	{ ECS, "ModifySecurityGroupEgressRule",
	  "ecs:ModifySecurityGroupEgressRule", act_modify_egress,
	  p_modify_egress, AF_RULE },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
