/*
 * sgdb: security groups, rules and memberships in the store (sgdb.h for
 * the instance/ENI actions, sgdb_int.h for the security-group actions).
 *
 * Rows (docs/design.md, "Security-group data model"):
 *   sg       id sg-…          parent VpcId or ""   the group (Describe* form)
 *   sgrule   id sgr-…         parent the group     the Permission object
 *   sgref    id ref:<sgr-…>   parent the peer      one per group-peer rule
 *   sgmember id <sg>|<eni>    parent the group     membership index
 * Invariants kept here, inside the caller's transaction: an ENI's
 * SecurityGroupIds mirror its sgmember rows (and an attached primary ENI's
 * list is copied to its instance's SecurityGroupIds.SecurityGroupId);
 * every group-peer rule has exactly one sgref row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/rnd.h"
#include "lib/tm.h"
#include "sg/rule_parse.h"
#include "sg/sgdb.h"
#include "sg/sgdb_int.h"

#define SGDB_DETAIL 256

/* The seed's quota table (§1.2): groups per ENI -> rules per group. */
static const struct {
	int sg_per_eni;
	int rules_per_group;
} sgdb_rule_quota[] = {
	{ 5, 100 }, { 10, 50 }, { 16, 30 },
};

/* Default group: inbound rules of the seed §1.7, system priority 110. */
static const struct {
	const char *proto;
	const char *ports;
} sgdb_default_rules[] = {
	{ "ICMP", "-1/-1" }, { "TCP", "22/22" }, { "TCP", "3389/3389" },
	{ "TCP", "80/80" }, { "TCP", "443/443" },
};

#define SGDB_DEFAULT_NAME "sg-default"
#define SGDB_DEFAULT_DESC "System created security group."

static void
sgdb_detail(char *detail, const char *what)
{
	if (detail)
		snprintf(detail, SGDB_DETAIL, "%s", what);
}

static const char *
sgdb_str(const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	return s ? s : "";
}

int
sgdb_rules_per_group(const struct api_config *cfg)
{
	size_t n = sizeof(sgdb_rule_quota) / sizeof(sgdb_rule_quota[0]);

	for (size_t i = 0; i < n; i++)
		if (cfg->sg_per_eni <= sgdb_rule_quota[i].sg_per_eni)
			return sgdb_rule_quota[i].rules_per_group;
	return sgdb_rule_quota[n - 1].rules_per_group;
}

int
sgdb_group_get(struct store *st, const char *account, const char *region,
    const char *sg_id, struct store_res *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = store_res_get(st, sg_id, out);
	if (r == -ERR_NOT_FOUND || (r == 0 &&
	    (strcmp(out->kind, SGDB_KIND_SG) != 0 ||
	    strcmp(out->account, account) != 0 ||
	    (region && strcmp(out->region, region) != 0)))) {
		store_res_clear(out);
		return -ERR_SG_NOT_FOUND;
	}
	return r;
}

static int
sgdb_count(struct store *st, const char *kind, const char *parent,
    size_t *out)
{
	struct store_filter f = { NULL, kind, NULL, parent, NULL };

	*out = 0;
	return store_res_count(st, &f, out);
}

int
sgdb_rule_count(struct store *st, const char *sg_id, size_t *out)
{
	return sgdb_count(st, SGDB_KIND_RULE, sg_id, out);
}

int
sgdb_member_count(struct store *st, const char *sg_id, size_t *out)
{
	return sgdb_count(st, SGDB_KIND_MEMBER, sg_id, out);
}

int
sgdb_ref_count(struct store *st, const char *sg_id, size_t *out)
{
	return sgdb_count(st, SGDB_KIND_REF, sg_id, out);
}

int
sgdb_is_vpc(const struct store_res *sg)
{
	return sg->parent[0] != '\0';
}

int
sgdb_is_enterprise(const struct store_res *sg)
{
	return strcmp(sgdb_str(sg->doc, "SecurityGroupType"),
	    "enterprise") == 0;
}

void
sgdb_parse_group(const struct store_res *sg, struct rparse_group *g)
{
	g->id = sg->id;
	g->account = sg->account;
	g->vpc = sgdb_is_vpc(sg);
	g->enterprise = sgdb_is_enterprise(sg);
}

/* ---- memberships ---- */

/* "<sg>|<eni>"; -ERR_INVALID_PARAMETER if it does not fit a store id. */
static int
sgdb_member_id(char *buf, size_t len, const char *sg_id, const char *eni_id)
{
	int n = snprintf(buf, len, "%s|%s", sg_id, eni_id);

	return n < 0 || (size_t)n >= len ? -ERR_INVALID_PARAMETER : 0;
}

/* The ENI's SecurityGroupIds array, created when absent. */
static json_t *
sgdb_eni_groups(struct store_res *eni)
{
	json_t *a = json_object_get(eni->doc, "SecurityGroupIds");

	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(eni->doc, "SecurityGroupIds", a);
	}
	return a;
}

/* Copies an attached primary ENI's groups to its instance (if stored). */
static int
sgdb_instance_mirror(struct store *st, struct store_res *eni)
{
	const char *iid = sgdb_str(eni->doc, "InstanceId");
	struct store_res inst;
	int r;

	if (iid[0] == '\0' ||
	    strcmp(sgdb_str(eni->doc, "Type"), "Primary") != 0)
		return 0;
	memset(&inst, 0, sizeof(inst));
	r = store_res_get(st, iid, &inst);
	if (r == -ERR_NOT_FOUND)
		return 0;
	if (r == 0 && strcmp(inst.kind, "instance") == 0) {
		json_object_set_new(inst.doc, "SecurityGroupIds", json_pack(
		    "{s:O}", "SecurityGroupId", sgdb_eni_groups(eni)));
		r = store_res_put(st, &inst);
	}
	store_res_clear(&inst);
	return r;
}

static int
sgdb_member_put(struct store *st, struct store_res *eni, const char *sg_id)
{
	struct store_res m;
	int r;

	memset(&m, 0, sizeof(m));
	if ((r = sgdb_member_id(m.id, sizeof(m.id), sg_id, eni->id)) < 0)
		return r;
	snprintf(m.kind, sizeof(m.kind), "%s", SGDB_KIND_MEMBER);
	snprintf(m.account, sizeof(m.account), "%s", eni->account);
	snprintf(m.region, sizeof(m.region), "%s", eni->region);
	snprintf(m.parent, sizeof(m.parent), "%s", sg_id);
	m.doc = json_pack("{s:s, s:s, s:s, s:s, s:s}", "SecurityGroupId", sg_id,
	    "NetworkInterfaceId", eni->id,
	    "InstanceId", sgdb_str(eni->doc, "InstanceId"),
	    "PrivateIpAddress", sgdb_str(eni->doc, "PrivateIpAddress"),
	    "PublicIpAddress", sgdb_str(eni->doc, "PublicIpAddress"));
	r = m.doc ? store_res_put(st, &m) : -ERR_NOMEM;
	store_res_clear(&m);
	return r;
}

/*
 * The checks on the groups an ENI is already in: basic and enterprise not
 * mixed, the rule total with the new group's rules added.
 */
static int
sgdb_member_check_groups(struct store *st, const struct api_config *cfg,
    struct store_res *eni, const struct store_res *sg, char *detail)
{
	json_t *ids = sgdb_eni_groups(eni), *v;
	size_t i, total = 0, n;
	int r = 0;

	if (json_array_size(ids) >= (size_t)cfg->sg_per_eni)
		return -ERR_SG_MEMBER_GROUP_LIMIT;
	if ((r = sgdb_rule_count(st, sg->id, &total)) < 0)
		return r;
	json_array_foreach(ids, i, v) {
		struct store_res other;

		memset(&other, 0, sizeof(other));
		if ((r = store_res_get(st, json_string_value(v) ?
		    json_string_value(v) : "", &other)) == -ERR_NOT_FOUND)
			continue;	/* deleted underneath: not counted */
		if (r < 0)
			return r;
		if (sgdb_is_enterprise(&other) != sgdb_is_enterprise(sg))
			r = -ERR_SG_MEMBER_TYPE_CONFLICT;
		else if ((r = sgdb_rule_count(st, other.id, &n)) == 0)
			total += n;
		store_res_clear(&other);
		if (r < 0)
			return r;
	}
	if (total > (size_t)cfg->rules_per_eni) {
		sgdb_detail(detail, eni->id);
		return -ERR_SG_MEMBER_RULE_LIMIT;
	}
	return 0;
}

int
sgdb_member_limit(const struct api_config *cfg, const struct store_res *sg)
{
	if (sgdb_is_enterprise(sg))
		return cfg->enterprise_group_enis;
	if (sgdb_is_vpc(sg))
		return cfg->vpc_basic_group_ips;	/* one IP per ENI */
	return cfg->classic_group_instances;
}

static int
sgdb_member_check_size(struct store *st, const struct api_config *cfg,
    const struct store_res *sg)
{
	size_t n;
	int r;

	if ((r = sgdb_member_count(st, sg->id, &n)) < 0)
		return r;
	return n >= (size_t)sgdb_member_limit(cfg, sg) ?
	    -ERR_SG_MEMBER_LIMIT : 0;
}

int
sgdb_member_add(struct store *st, const struct api_config *cfg,
    struct store_res *eni, const char *sg_id, char *detail)
{
	struct store_res sg, old;
	char mid[STORE_ID_MAX];
	int r;

	memset(&old, 0, sizeof(old));
	if ((r = sgdb_group_get(st, eni->account, eni->region, sg_id, &sg)) < 0)
		return r;
	/* COMPAT: JoinSecurityGroup doc — InvalidInstanceId.Mismatch for
	 * an instance (its primary ENI), InvalidOperation.VpcMismatch for
	 * an ENI. */
	if (strcmp(sg.parent, sgdb_str(eni->doc, "VpcId")) != 0) {
		sgdb_detail(detail, eni->id);
		r = strcmp(sgdb_str(eni->doc, "Type"), "Primary") == 0 ?
		    -ERR_SG_MEMBER_VPC_INSTANCE : -ERR_SG_MEMBER_VPC_ENI;
		goto out;
	}
	if ((r = sgdb_member_id(mid, sizeof(mid), sg_id, eni->id)) < 0)
		goto out;
	if ((r = store_res_get(st, mid, &old)) != -ERR_NOT_FOUND) {
		r = r < 0 ? r : -ERR_SG_MEMBER_EXISTS;
		goto out;
	}
	if ((r = sgdb_member_check_groups(st, cfg, eni, &sg, detail)) < 0 ||
	    (r = sgdb_member_check_size(st, cfg, &sg)) < 0)
		goto out;
	if ((r = sgdb_member_put(st, eni, sg_id)) < 0)
		goto out;
	json_array_append_new(sgdb_eni_groups(eni), json_string(sg_id));
	if ((r = store_res_put(st, eni)) < 0)
		goto out;
	r = sgdb_instance_mirror(st, eni);
out:
	store_res_clear(&old);
	store_res_clear(&sg);
	return r;
}

/* Drops sg_id from the ENI's list (doc only). */
static void
sgdb_eni_groups_remove(struct store_res *eni, const char *sg_id)
{
	json_t *ids = sgdb_eni_groups(eni);

	for (size_t i = json_array_size(ids); i-- > 0;) {
		const char *s = json_string_value(json_array_get(ids, i));

		if (s && strcmp(s, sg_id) == 0)
			json_array_remove(ids, i);
	}
}

int
sgdb_member_del(struct store *st, struct store_res *eni, const char *sg_id)
{
	char mid[STORE_ID_MAX];
	int r;

	if (sgdb_member_id(mid, sizeof(mid), sg_id, eni->id) < 0)
		return -ERR_SG_MEMBER_ABSENT;
	if ((r = store_res_del(st, mid)) < 0)
		return r == -ERR_NOT_FOUND ? -ERR_SG_MEMBER_ABSENT : r;
	sgdb_eni_groups_remove(eni, sg_id);
	if ((r = store_res_put(st, eni)) < 0)
		return r;
	return sgdb_instance_mirror(st, eni);
}

/*
 * Removes every membership row of the ENI and empties its list. The ENI is
 * stored again only if it still exists (callers usually delete it next).
 */
int
sgdb_member_del_all(struct store *st, struct store_res *eni)
{
	struct store_filter f = { NULL, SGDB_KIND_MEMBER, NULL, NULL, NULL };
	struct store_res_list l = { NULL, 0 };
	struct store_res cur;
	int r;

	memset(&cur, 0, sizeof(cur));
	f.account = eni->account;
	if ((r = store_res_list(st, &f, &l)) < 0)
		return r;
	for (size_t i = 0; i < l.n && r == 0; i++) {
		if (strcmp(sgdb_str(l.v[i].doc, "NetworkInterfaceId"),
		    eni->id) != 0)
			continue;
		r = store_res_del(st, l.v[i].id);
	}
	store_res_list_free(&l);
	if (r < 0)
		return r;
	json_array_clear(sgdb_eni_groups(eni));
	r = store_res_get(st, eni->id, &cur);
	store_res_clear(&cur);
	if (r == -ERR_NOT_FOUND)
		return 0;
	if (r < 0 || (r = store_res_put(st, eni)) < 0)
		return r;
	return sgdb_instance_mirror(st, eni);
}

/* ---- groups ---- */

int
sgdb_group_new(struct store *st, const struct api_config *cfg,
    const struct sgdb_group_spec *s, char *sg_id)
{
	struct store_filter f = { s->account, SGDB_KIND_SG, s->region, NULL, NULL };
	struct store_res g;
	char created[32];
	size_t n;
	int r, ent = strcmp(s->type, "enterprise") == 0;

	memset(&g, 0, sizeof(g));
	if ((r = store_res_count(st, &f, &n)) < 0)
		return r;
	if (n >= (size_t)cfg->sg_quota)
		return -ERR_SG_QUOTA;
	if ((r = rnd_id("sg-", g.id, sizeof(g.id))) < 0)
		return r;
	snprintf(g.kind, sizeof(g.kind), "%s", SGDB_KIND_SG);
	snprintf(g.account, sizeof(g.account), "%s", s->account);
	snprintf(g.region, sizeof(g.region), "%s", s->region);
	snprintf(g.parent, sizeof(g.parent), "%s", s->vpc_id);
	tm_format_iso(s->now, created, sizeof(created));
	/* COMPAT: CreateSecurityGroup doc: enterprise groups are Drop. */
	g.doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:b,"
	    " s:b}", "SecurityGroupId", g.id, "SecurityGroupName", s->name,
	    "Description", s->description, "VpcId", s->vpc_id,
	    "SecurityGroupType", s->type,
	    "InnerAccessPolicy", ent ? "Drop" : "Accept",
	    "CreationTime", created, "ResourceGroupId", s->resource_group,
	    "Tags", s->tags ? json_deep_copy(s->tags) : json_array(),
	    "ServiceManaged", 0, "IsDefault", s->is_default);
	r = g.doc ? store_res_put(st, &g) : -ERR_NOMEM;
	if (r == 0)
		snprintf(sg_id, STORE_ID_MAX, "%s", g.id);
	store_res_clear(&g);
	return r;
}

int
sgdb_rules(struct store *st, const char *sg_id, struct store_res_list *out)
{
	struct store_filter f = { NULL, SGDB_KIND_RULE, NULL, sg_id, NULL };

	return store_res_list(st, &f, out);
}

int
sgdb_group_del(struct store *st, const char *sg_id)
{
	struct store_res_list l = { NULL, 0 };
	int r;

	if ((r = sgdb_rules(st, sg_id, &l)) < 0)
		return r;
	for (size_t i = 0; i < l.n && r == 0; i++)
		r = sgdb_rule_del(st, l.v[i].id);
	store_res_list_free(&l);
	if (r < 0)
		return r;
	return store_res_del(st, sg_id);
}

/* ---- rules ---- */

static int
sgdb_ref_id(char *buf, size_t len, const char *rule_id)
{
	int n = snprintf(buf, len, "ref:%s", rule_id);

	return n < 0 || (size_t)n >= len ? -ERR_INVALID_PARAMETER : 0;
}

/* Deletes the sgref row of a rule, if any. */
static int
sgdb_ref_del(struct store *st, const char *rule_id)
{
	char id[STORE_ID_MAX];
	int r;

	if ((r = sgdb_ref_id(id, sizeof(id), rule_id)) < 0)
		return r;
	r = store_res_del(st, id);
	return r == -ERR_NOT_FOUND ? 0 : r;
}

/* Writes (or removes) the sgref row that matches the rule's peer. */
static int
sgdb_ref_sync(struct store *st, const struct store_res *sg,
    const struct store_res *rule)
{
	const char *owner, *peer = rparse_peer_group(rule->doc, &owner);
	struct store_res ref;
	int r;

	if (peer == NULL)
		return sgdb_ref_del(st, rule->id);
	memset(&ref, 0, sizeof(ref));
	if ((r = sgdb_ref_id(ref.id, sizeof(ref.id), rule->id)) < 0)
		return r;
	snprintf(ref.kind, sizeof(ref.kind), "%s", SGDB_KIND_REF);
	snprintf(ref.account, sizeof(ref.account), "%s", sg->account);
	snprintf(ref.region, sizeof(ref.region), "%s", sg->region);
	snprintf(ref.parent, sizeof(ref.parent), "%s", peer);
	ref.doc = json_pack("{s:s, s:s, s:s}", "SecurityGroupId", sg->id,
	    "AliUid", sg->account, "SecurityGroupRuleId", rule->id);
	r = ref.doc ? store_res_put(st, &ref) : -ERR_NOMEM;
	store_res_clear(&ref);
	return r;
}

int
sgdb_rule_add(struct store *st, const struct store_res *sg, json_t *doc,
    int64_t now, char *id)
{
	struct store_res rule;
	char created[32];
	int r;

	memset(&rule, 0, sizeof(rule));
	if ((r = rnd_id("sgr-", rule.id, sizeof(rule.id))) < 0)
		return r;
	snprintf(rule.kind, sizeof(rule.kind), "%s", SGDB_KIND_RULE);
	snprintf(rule.account, sizeof(rule.account), "%s", sg->account);
	snprintf(rule.region, sizeof(rule.region), "%s", sg->region);
	snprintf(rule.parent, sizeof(rule.parent), "%s", sg->id);
	tm_format_iso(now, created, sizeof(created));
	json_object_set_new(doc, "SecurityGroupRuleId", json_string(rule.id));
	json_object_set_new(doc, "CreateTime", json_string(created));
	rule.doc = doc;
	if ((r = store_res_put(st, &rule)) == 0)
		r = sgdb_ref_sync(st, sg, &rule);
	if (r == 0 && id)
		snprintf(id, STORE_ID_MAX, "%s", rule.id);
	return r;
}

int
sgdb_rule_update(struct store *st, const struct store_res *sg,
    struct store_res *rule)
{
	int r;

	if ((r = store_res_put(st, rule)) < 0)
		return r;
	return sgdb_ref_sync(st, sg, rule);
}

int
sgdb_rule_del(struct store *st, const char *rule_id)
{
	int r;

	if ((r = sgdb_ref_del(st, rule_id)) < 0)
		return r;
	return store_res_del(st, rule_id);
}

/* Rule count of a group, cached in counts ({sg id: n}) for one check. */
static int
sgdb_cached_count(struct store *st, json_t *counts, const char *sg_id,
    size_t *n)
{
	json_t *v = json_object_get(counts, sg_id);
	int r;

	if (v) {
		*n = (size_t)json_integer_value(v);
		return 0;
	}
	if ((r = sgdb_rule_count(st, sg_id, n)) == 0)
		json_object_set_new(counts, sg_id,
		    json_integer((json_int_t)*n));
	return r;
}

/* Rules over every group of one member ENI. */
static int
sgdb_eni_total(struct store *st, json_t *counts, const char *eni_id,
    size_t *total)
{
	struct store_res eni;
	json_t *v;
	size_t i, n;
	int r;

	*total = 0;
	memset(&eni, 0, sizeof(eni));
	if ((r = store_res_get(st, eni_id, &eni)) < 0)
		return r == -ERR_NOT_FOUND ? 0 : r;
	json_array_foreach(json_object_get(eni.doc, "SecurityGroupIds"), i, v) {
		if (!json_is_string(v))
			continue;
		if ((r = sgdb_cached_count(st, counts, json_string_value(v),
		    &n)) < 0)
			break;
		*total += n;
	}
	store_res_clear(&eni);
	return r;
}

int
sgdb_eni_rules_check(struct store *st, const struct api_config *cfg,
    const char *sg_id, size_t adding, char *detail)
{
	struct store_filter f = { NULL, SGDB_KIND_MEMBER, NULL, sg_id, NULL };
	struct store_res_list l = { NULL, 0 };
	json_t *counts = json_object();
	size_t total;
	int r;

	if (counts == NULL)
		return -ERR_NOMEM;
	if ((r = store_res_list(st, &f, &l)) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		const char *eni = sgdb_str(l.v[i].doc, "NetworkInterfaceId");

		if ((r = sgdb_eni_total(st, counts, eni, &total)) < 0)
			goto out;
		if (total + adding > (size_t)cfg->rules_per_eni) {
			sgdb_detail(detail, eni);
			r = -ERR_SG_MEMBER_RULE_LIMIT;
			goto out;
		}
	}
out:
	store_res_list_free(&l);
	json_decref(counts);
	return r;
}

/* ---- the default group ---- */

static int
sgdb_default_find(struct store *st, const char *account, const char *region,
    const char *vpc_id, char *sg_id)
{
	struct store_filter f = { account, SGDB_KIND_SG, region, vpc_id, NULL };
	struct store_res_list l = { NULL, 0 };
	int r, found = 0;

	if ((r = store_res_list(st, &f, &l)) < 0)
		return r;
	for (size_t i = 0; i < l.n && !found; i++) {
		if (!json_is_true(json_object_get(l.v[i].doc, "IsDefault")))
			continue;
		snprintf(sg_id, STORE_ID_MAX, "%s", l.v[i].id);
		found = 1;
	}
	store_res_list_free(&l);
	return found ? 0 : -ERR_NOT_FOUND;
}

static int
sgdb_default_rules_add(struct store *st, const struct store_res *sg,
    int64_t now)
{
	size_t n = sizeof(sgdb_default_rules) / sizeof(sgdb_default_rules[0]);
	int r = 0;

	for (size_t i = 0; i < n && r == 0; i++) {
		json_t *doc = rparse_doc_new(RULE_INGRESS);

		if (doc == NULL)
			return -ERR_NOMEM;
		json_object_set_new(doc, "IpProtocol",
		    json_string(sgdb_default_rules[i].proto));
		json_object_set_new(doc, "PortRange",
		    json_string(sgdb_default_rules[i].ports));
		json_object_set_new(doc, "SourceCidrIp",
		    json_string("0.0.0.0/0"));
		json_object_set_new(doc, "Policy", json_string("Accept"));
		/* Classic groups: the default rules face the internet NIC. */
		json_object_set_new(doc, "NicType",
		    json_string(sgdb_is_vpc(sg) ? "intranet" : "internet"));
		json_object_set_new(doc, "Priority",
		    json_integer(RULE_PRIORITY_SYSTEM));
		r = sgdb_rule_add(st, sg, doc, now, NULL);
		json_decref(doc);
	}
	return r;
}

int
sgdb_default_group(struct store *st, const struct api_config *cfg,
    const char *account, const char *region, const char *vpc_id,
    int64_t now, char *sg_id)
{
	struct sgdb_group_spec s = { account, region, vpc_id ? vpc_id : "",
	    SGDB_DEFAULT_NAME, SGDB_DEFAULT_DESC, "normal", "", NULL, 1, now };
	struct store_res sg;
	int r;

	r = sgdb_default_find(st, account, region, s.vpc_id, sg_id);
	if (r != -ERR_NOT_FOUND)
		return r;
	if ((r = sgdb_group_new(st, cfg, &s, sg_id)) < 0)
		return r;
	if ((r = sgdb_group_get(st, account, region, sg_id, &sg)) < 0)
		return r;
	r = sgdb_default_rules_add(st, &sg, now);
	store_res_clear(&sg);
	return r;
}
