/*
 * sekisho_eng_analyze: AnalyzeSecurityGroup (our product 2026-12-01,
 * docs/api.md) — warnings about one group, or every group of the region:
 *
 *   OpenAdministrativePort  High    an inbound Accept rule from 0.0.0.0/0
 *                                   or ::/0 (TCP or ALL) covering 22, 23,
 *                                   1433, 1521, 3306, 3389, 5432 or 6379
 *   ShadowedRule            Medium  can never decide: an earlier rule of
 *                                   the group with the other policy
 *                                   matches every packet it matches
 *   ShadowedOnMembers       Medium  the same, on every member ENI, by a
 *                                   rule of another of its groups
 *   DeletedGroupReference   Medium  the peer group no longer exists (or
 *                                   is not the named account's): the rule
 *                                   matches nothing
 *   RedundantRule           Low     an earlier rule with the same policy
 *                                   matches every packet it matches
 *   NeverMatches            Low     a prefix-list peer (not evaluated)
 *   NoMembers               Low     no ENI is in the group
 *
 * "Earlier" is the engine's order (priority, drop before accept, rule
 * id) and coverage is the engine's shadow test (engload_covers), per
 * direction and, for classic groups, per NIC type.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/act/sekisho_eng_int.h"
#include "lib/err.h"

/* COMPAT: the list (SSH, telnet, MS SQL, Oracle, MySQL, RDP,
 * PostgreSQL, Redis): seed-spec §1.4 quick-rule ports. */
static const uint16_t ana_admin_ports[] = { 22, 23, 1433, 1521, 3306, 3389,
    5432, 6379 };

struct ana {
	const struct engload *l;
	json_t *out;		/* the Warning array */
	size_t count;		/* of the current group */
};

static void
ana_warn(struct ana *a, const struct engload_group *g, const char *kind,
    const char *severity, const struct engload_rule *ru,
    const struct eng_item *rel, int port, const char *msg)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:s, s:i, s:s,"
	    " s:s, s:s}", "SecurityGroupId", g->id, "Kind", kind,
	    "Severity", severity,
	    "SecurityGroupRuleId", ru ? ru->r.id : "",
	    "Direction", ru ? (ru->r.dir == RULE_EGRESS ? "egress" :
	    "ingress") : "",
	    "Priority", ru ? ru->r.priority : 0,
	    "Policy", ru ? engact_policy(ru->r.policy) : "",
	    "Port", port,
	    "RelatedSecurityGroupId", rel && rel->group_id ? rel->group_id : "",
	    "RelatedSecurityGroupRuleId", rel && rel->rule ? rel->rule->id : "",
	    "Message", msg);

	if (o && json_array_append_new(a->out, o) == 0)
		a->count++;
}

static void
ana_rule_item(const struct engload_rule *ru, const struct engload_group *g,
    struct eng_item *it)
{
	memset(it, 0, sizeof(*it));
	it->kind = ENG_ITEM_RULE;
	it->policy = ru->r.policy;
	it->priority = ru->r.priority;
	it->rule = &ru->r;
	it->group_id = g->id;
}

/* The engine's order within a group, grouped by direction and NIC. */
static int
ana_order(const void *pa, const void *pb)
{
	const struct engload_rule *x = *(const struct engload_rule *const *)pa;
	const struct engload_rule *y = *(const struct engload_rule *const *)pb;

	if (x->r.dir != y->r.dir)
		return x->r.dir < y->r.dir ? -1 : 1;
	if (x->r.nic != y->r.nic)
		return x->r.nic < y->r.nic ? -1 : 1;
	if (x->r.priority != y->r.priority)
		return x->r.priority < y->r.priority ? -1 : 1;
	if (x->r.policy != y->r.policy)
		return x->r.policy == RULE_DROP ? -1 : 1;
	return strcmp(x->r.id, y->r.id);
}

static int
ana_nic(const struct engload_group *g, const struct engload_rule *ru)
{
	return g->vpc[0] ? RULE_NIC_INTRANET : ru->r.nic;
}

static void
ana_open_ports(struct ana *a, const struct engload_group *g,
    const struct engload_rule *ru)
{
	const struct rule *r = &ru->r;
	char msg[256], cidr[CIDR_STR_MAX];

	if (r->dir != RULE_INGRESS || r->policy != RULE_ACCEPT ||
	    r->peer_kind != RULE_PEER_CIDR || r->peer_cidr.len != 0 ||
	    (r->proto != RULE_TCP && r->proto != RULE_ALL))
		return;
	cidr_format(&r->peer_cidr, cidr, sizeof(cidr));
	for (size_t i = 0; i < sizeof(ana_admin_ports) /
	    sizeof(*ana_admin_ports); i++) {
		uint16_t p = ana_admin_ports[i];

		if (r->proto == RULE_TCP && !(r->dport.lo == 0 &&
		    r->dport.hi == 0) && (p < r->dport.lo || p > r->dport.hi))
			continue;
		snprintf(msg, sizeof(msg), "rule %s accepts TCP port %u from "
		    "%s (everyone): allow a known address or group instead",
		    r->id, p, cidr);
		ana_warn(a, g, "OpenAdministrativePort", "High", ru, NULL, p,
		    msg);
	}
}

/* Within the group alone: never-matching, shadowed, redundant rules. */
static void
ana_group_rules(struct ana *a, const struct engload_group *g,
    const struct engload_rule **v, size_t n)
{
	struct eng_item it, jt;
	char msg[256];

	for (size_t i = 0; i < n; i++) {
		const struct rule *r = &v[i]->r;

		ana_rule_item(v[i], g, &it);
		if (engload_item_fams(a->l, &it) == 0) {
			if (r->peer_kind == RULE_PEER_GROUP) {
				snprintf(msg, sizeof(msg), "rule %s names "
				    "group %s (account %s), which does not "
				    "exist: it matches nothing", r->id,
				    r->peer_group, r->peer_owner);
				ana_warn(a, g, "DeletedGroupReference",
				    "Medium", v[i], NULL, 0, msg);
			} else {
				snprintf(msg, sizeof(msg), "rule %s names a "
				    "prefix list, which is not evaluated: it "
				    "matches nothing", r->id);
				ana_warn(a, g, "NeverMatches", "Low", v[i],
				    NULL, 0, msg);
			}
			continue;
		}
		for (size_t j = 0; j < i; j++) {
			int same;

			if (v[j]->r.dir != r->dir ||
			    ana_nic(g, v[j]) != ana_nic(g, v[i]))
				continue;
			ana_rule_item(v[j], g, &jt);
			if (!engload_covers(a->l, &jt, ana_nic(g, v[j]), &it,
			    ana_nic(g, v[i])))
				continue;
			same = v[j]->r.policy == r->policy;
			snprintf(msg, sizeof(msg), "rule %s (priority %u, %s) "
			    "never decides: rule %s (priority %u, %s) matches "
			    "every packet it matches first%s", r->id,
			    r->priority, engact_policy(r->policy), v[j]->r.id,
			    v[j]->r.priority, engact_policy(v[j]->r.policy),
			    same ? "; it can be removed" : "");
			ana_warn(a, g, same ? "RedundantRule" : "ShadowedRule",
			    same ? "Low" : "Medium", v[i], &jt, 0, msg);
			break;
		}
	}
}

/*
 * Rules of g shadowed on every distinct group set of its members by a
 * line of another group. shadow[k] counts the sets where rule v[k] is;
 * by[k] is the first shadowing item seen.
 */
static int
ana_members(struct ana *a, const struct engload_group *g, uint32_t gidx,
    const struct engload_rule **v, size_t n)
{
	json_t *seen = json_object();
	size_t *shadow = calloc(n + 1, sizeof(*shadow)), sets = 0;
	struct eng_item *by = calloc(n + 1, sizeof(*by));
	struct eng_eff *eff = NULL;
	char key[ENG_GROUPS_MAX * 12 + 1], msg[256];
	int r = 0;

	if (seen == NULL || shadow == NULL || by == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	for (size_t e = 0; e < a->l->nenis; e++) {
		const struct engload_eni *ni = &a->l->enis[e];
		size_t off = 0, member = 0;

		for (size_t i = 0; i < ni->ngroups; i++) {
			member |= ni->groups[i] == gidx;
			off += (size_t)snprintf(key + off, sizeof(key) - off,
			    "%u,", ni->groups[i]);
		}
		if (!member || json_object_get(seen, key))
			continue;
		json_object_set_new(seen, key, json_true());
		sets++;
		if (ni->ngroups < 2)
			continue;	/* no other group to shadow a rule */
		for (int dir = RULE_INGRESS; dir <= RULE_EGRESS; dir++) {
			size_t cnt = 0;

			free(eff);
			eff = NULL;
			if ((r = eng_effective(a->l->m, ni->e, dir, NULL, 0,
			    &cnt)) < 0)
				goto out;
			if ((eff = calloc(cnt, sizeof(*eff))) == NULL) {
				r = -ERR_NOMEM;
				goto out;
			}
			if ((r = eng_effective(a->l->m, ni->e, dir, eff, cnt,
			    &cnt)) < 0)
				goto out;
			for (size_t i = 0; i < cnt; i++) {
				size_t k;

				if (eff[i].item.kind != ENG_ITEM_RULE ||
				    strcmp(eff[i].item.group_id, g->id) != 0)
					continue;
				for (k = 0; k < n && strcmp(v[k]->r.id,
				    eff[i].item.rule->id) != 0; k++)
					;
				for (size_t j = 0; k < n && j < i; j++) {
					if (!engload_covers(a->l, &eff[j].item,
					    eff[j].nic, &eff[i].item,
					    eff[i].nic))
						continue;
					if (eff[j].item.group_id &&
					    strcmp(eff[j].item.group_id,
					    g->id) != 0) {
						if (shadow[k]++ == 0)
							by[k] = eff[j].item;
					}
					break;
				}
			}
		}
	}
	for (size_t k = 0; sets > 0 && k < n; k++) {
		if (shadow[k] != sets)
			continue;
		snprintf(msg, sizeof(msg), "rule %s never decides on any "
		    "member: %s of %s matches every packet it matches first",
		    v[k]->r.id, by[k].rule ? by[k].rule->id :
		    "InnerAccessPolicy", by[k].group_id ? by[k].group_id : "?");
		ana_warn(a, g, "ShadowedOnMembers", "Medium", v[k], &by[k], 0,
		    msg);
	}
out:
	json_decref(seen);
	free(shadow);
	free(by);
	free(eff);
	return r;
}

static int
ana_group(struct ana *a, uint32_t gidx, json_t *summary)
{
	const struct engload *l = a->l;
	const struct engload_group *g = &l->groups[gidx];
	const struct engload_rule **v = NULL;
	size_t n = 0;
	char msg[256];
	int r = 0;

	a->count = 0;
	if (l->nrules && (v = calloc(l->nrules, sizeof(*v))) == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < l->nrules; i++)
		if (l->rules[i].group == gidx && !l->rules[i].removed)
			v[n++] = &l->rules[i];
	if (n > 1)
		qsort(v, n, sizeof(*v), ana_order);
	for (size_t i = 0; i < n; i++)
		ana_open_ports(a, g, v[i]);
	ana_group_rules(a, g, v, n);
	if ((r = ana_members(a, g, gidx, v, n)) < 0)
		goto out;
	if (g->members == 0) {
		snprintf(msg, sizeof(msg), "no network interface is in group "
		    "%s: its rules protect nothing", g->id);
		ana_warn(a, g, "NoMembers", "Low", NULL, NULL, 0, msg);
	}
	json_array_append_new(summary, json_pack("{s:s, s:i, s:i, s:i}",
	    "SecurityGroupId", g->id, "MemberCount", (int)g->members,
	    "RuleCount", (int)n, "WarningCount", (int)a->count));
out:
	free(v);
	return r;
}

int
engact_analyze(struct api_call *c)
{
	static const char *const ids[] = { "SecurityGroupId", NULL };
	const char *only = api_str(c, "SecurityGroupId"), *region;
	const struct engload_group *g;
	struct engload *l = NULL;
	struct ana a;
	json_t *summary = json_array();
	char rbuf[64];
	int r;

	memset(&a, 0, sizeof(a));
	a.out = json_array();
	if ((r = engact_region(c, ids, rbuf, &region)) < 0 ||
	    (r = engact_model(c, region, NULL, &l)) < 0)
		goto out;
	a.l = l;
	if (only && only[0]) {
		if ((g = engload_group(l, only)) == NULL || !g->own) {
			r = api_fail(c, ERR_SG_NOT_FOUND, NULL);
			goto out;
		}
		r = ana_group(&a, (uint32_t)(g - l->groups), summary);
	} else {
		for (size_t i = 0; i < l->ngroups && r == 0; i++)
			if (l->groups[i].own)
				r = ana_group(&a, (uint32_t)i, summary);
	}
	if (r < 0)
		goto out;
	json_object_set_new(c->out, "RegionId", json_string(region));
	json_object_set_new(c->out, "TotalCount",
	    json_integer((json_int_t)json_array_size(a.out)));
	json_object_set_new(c->out, "Warnings", api_wrap_list(a.out,
	    "Warning"));
	a.out = NULL;
	json_object_set_new(c->out, "SecurityGroups", api_wrap_list(summary,
	    "SecurityGroup"));
	summary = NULL;
out:
	json_decref(a.out);
	json_decref(summary);
	engact_done(l);
	return r;
}
