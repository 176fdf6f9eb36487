/*
 * engload: the decision engine's model (sg/eng.h) built from the store,
 * as one account sees one region — and the request forms of the engine
 * actions (ExplainPacket, DescribeEffectiveRules, DescribeReachability,
 * AnalyzeSecurityGroup; src/api/act/sekisho_eng*.c).
 *
 *   eng_load.c      the model: build, shared cache, lookups, what-if
 *   eng_load_req.c  pure parsers: a flow given by its two ends, a what-if
 *                   change (AddPermissions.N / RemovePermissions.N /
 *                   Change); item coverage (which rule shadows which)
 *
 * What a model holds. Every security group, rule, ENI and VPC of the
 * account in the region; and, for rules that name another account's group
 * (SourceGroupOwnerAccount), that group and its members' private addresses
 * (as member stubs: no rules, never queried), so that group peers resolve
 * as they do on the wire. Rules keep their stored documents for the
 * answers. Another account's rules and ENIs are never exposed.
 *
 * Owner normalisation: a stored rule names its peer group's owner as given
 * (SourceGroupOwnerAccount, an account id; "" = the rule's own account).
 * The engine compares it with the peer group's owner account id; "" is
 * made the rule group's account when loading.
 *
 * Sharing. engload_get() returns a read-only model shared through a cache
 * keyed by (store, account, region, operator setting, store revision):
 * any write to the store makes the next call build a new one. Queries on a
 * shared model are safe from several threads (eng.h); nothing may change
 * it. A what-if query builds a private model (engload_build) and changes
 * that. Building runs inside the caller's store transaction.
 *
 * Errors: catalogue errors; detail buffers (>= ENGLOAD_DETAIL) receive the
 * parameter or resource the error is about.
 */
#ifndef SEKISHO_ENG_LOAD_H
#define SEKISHO_ENG_LOAD_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "lib/cidr.h"
#include "lib/prm.h"
#include "sg/eng.h"
#include "store/store.h"

#define ENGLOAD_DETAIL 256
#define ENGLOAD_EDITS_MAX 100		/* AddPermissions.N, RemovePermissions.N */
#define ENGLOAD_CHANGE_TEXT_MAX 65536	/* the Change JSON */
#define ENGLOAD_DEFAULT_SPORT 40000	/* SourcePort when not given */
#define ENGLOAD_PROTO_ALL 255		/* Protocol=all: only ALL rules name it */

/* ---- the model ------------------------------------------------------ */

struct engload_opts {
	const char *account;
	const char *region;
	int tcp25_open;			/* the operator setting */
};

/* One of the account's ENIs. */
struct engload_eni {
	char id[RULE_ID_MAX];
	char instance[RULE_ID_MAX];	/* "" when detached */
	char vpc[RULE_ID_MAX];		/* "" = classic network */
	int primary;			/* Type Primary */
	struct cidr ip;			/* private address (family 0: none) */
	struct cidr pub;		/* classic internet NIC (family 0: none) */
	uint32_t groups[ENG_GROUPS_MAX];	/* indexes into engload.groups */
	size_t ngroups;
	const struct eng_eni *e;	/* in the model */
};

struct engload_group {
	char id[RULE_ID_MAX];
	char owner[ENG_OWNER_MAX];	/* account id */
	char vpc[RULE_ID_MAX];
	int own;			/* the caller's (else a peer's) */
	int enterprise;
	int inner_accept;
	size_t members;			/* ENIs listing it (own: the
					 * account's; peer: member rows) */
	json_t *doc;			/* the stored group */
};

struct engload_rule {
	struct rule r;			/* compiled, owner normalised */
	json_t *doc;			/* the stored (or proposed) Permission */
	uint32_t group;			/* index into engload.groups */
	int proposed;			/* added by a what-if change */
	int removed;			/* removed by a what-if change */
};

struct engload {
	struct eng_model *m;		/* compiled */
	char account[32];
	char region[64];
	uint64_t revision;		/* the store's, when built */
	struct engload_eni *enis;	/* the account's, creation order */
	size_t nenis;
	struct engload_group *groups;	/* own (creation order), then peers */
	size_t ngroups;
	struct engload_rule *rules;	/* own groups' rules, creation order */
	size_t nrules;
	/* private to eng_load.c: the lookups */
	json_t *index;			/* "g:" group, "s:" peer stub -> index */
	const struct engload_eni **by_id;	/* sorted by id */
	const struct engload_eni **by_inst;	/* primary ENIs, by instance */
	size_t nby_inst;
	const struct engload_rule **by_rule;	/* sorted by rule id */
	json_t *stubs;			/* peer members: [{id, ip, groups}] */
	size_t capgroups, caprules;
	int refs;
	char key[192];
};

/* A private model (refs 1); free with engload_free (NULL-safe). */
int engload_build(struct store *st, const struct engload_opts *o,
    struct engload **out);
void engload_free(struct engload *l);

/* The shared cache of read-only models (a static in the API layer). */
#define ENGLOAD_CACHE_SLOTS 4
struct engload_cache {
	pthread_mutex_t mu;
	struct engload *slot[ENGLOAD_CACHE_SLOTS];
	uint64_t hits, builds;
};
#define ENGLOAD_CACHE_INIT { PTHREAD_MUTEX_INITIALIZER, { NULL }, 0, 0 }

/* A shared model at the store's current revision; engload_put releases. */
int engload_get(struct engload_cache *c, struct store *st,
    const struct engload_opts *o, struct engload **out);
void engload_put(struct engload_cache *c, struct engload *l);
/* Drops every cached model (tests, shutdown). */
void engload_cache_clear(struct engload_cache *c);

/* Lookups; NULL when absent. engload_instance: its primary ENI. */
const struct engload_eni *engload_eni(const struct engload *l,
    const char *id);
const struct engload_eni *engload_instance(const struct engload *l,
    const char *id);
const struct engload_group *engload_group(const struct engload *l,
    const char *id);
const struct engload_rule *engload_rule(const struct engload *l,
    const char *id);
/*
 * Does a rule's group peer resolve (the group is loaded and owned by the
 * account the rule names)? 1 for rules without a group peer.
 */
int engload_peer_ok(const struct engload *l, const struct rule *r);

/* ---- a flow given by its ends ---------------------------------------- */

enum engload_end_kind {
	ENGLOAD_END_NONE,
	ENGLOAD_END_INSTANCE,
	ENGLOAD_END_ENI,
	ENGLOAD_END_IP,
};

struct engload_end {
	uint8_t kind;			/* enum engload_end_kind */
	char id[RULE_ID_MAX];		/* INSTANCE, ENI */
	struct cidr ip;			/* IP: a host outside the account */
};

struct engload_query {
	struct engload_end src, dst;
	int proto;			/* 0..255, -1 = not given */
	int dport;			/* -1 = not given */
	uint16_t sport;
	uint8_t ct;			/* enum eng_ct */
	uint8_t icmp_type, icmp_code;
};

/*
 * Reads Protocol (tcp|udp|icmp|icmpv6|gre|all, any case, or 0..255),
 * SourceInstanceId | SourceNetworkInterfaceId | SourceIp, the same three
 * Destination*, DestinationPort and SourcePort (0..65535; SourcePort
 * default ENGLOAD_DEFAULT_SPORT), ConnectionState
 * (new|established|related|invalid, default new), IcmpType and IcmpCode
 * (0..255). Presence is the caller's to check. -ERR_INVALID_PARAMETER
 * (detail names the parameter: a malformed value, or two ends given for
 * one side).
 */
int engload_query_parse(const struct prm_list *p, struct engload_query *q,
    char *detail);

/*
 * The packet of q (first packet of the flow in state q->ct) on model l:
 * ends resolved (instances to their primary ENI), addresses chosen — an
 * ENI sends and receives with its private address, except that a classic
 * ENI with an internet NIC uses that address with an outside host outside
 * the private ranges. *src / *dst (may be NULL) receive the ENIs.
 * Errors: ERR_INST_NOT_FOUND, ERR_ENI_NOT_FOUND (not the account's, not in
 * the region), ERR_INVALID_PARAMETER (families differ, ICMP/ICMPv6 with
 * the other family, an ENI without address, both ends the same ENI or
 * both outside), ERR_MISSING_PARAMETER (an end, or DestinationPort for
 * TCP/UDP).
 */
int engload_flow(const struct engload *l, const struct engload_query *q,
    struct eng_flow *f, const struct engload_eni **src,
    const struct engload_eni **dst, char *detail);

/* ---- what-if --------------------------------------------------------- */

/* One proposed edit: a rule to add, or one to remove (by id or content). */
struct engload_edit {
	uint8_t remove;
	uint8_t dir;			/* enum rule_dir */
	char group[RULE_ID_MAX];
	char rule_id[RULE_ID_MAX];	/* remove by id; "" = by content */
	char where[48];			/* "AddPermissions.3", "Change.Add[0]" */
	struct prm_list fields;		/* the rule's fields, unprefixed */
};

struct engload_change {
	struct engload_edit *v;
	size_t n;
};

/*
 * Reads AddPermissions.N.* and RemovePermissions.N.* (N <= 100; each with
 * SecurityGroupId and Direction ingress|egress, Remove with
 * SecurityGroupRuleId or the rule's fields) or Change, a JSON object
 * {"Add": [..], "Remove": [..]} of objects with the same field names
 * (strings or integers) — not both forms. Pure. c->n == 0 when nothing is
 * proposed. -ERR_INVALID_PARAMETER / -ERR_MISSING_PARAMETER (detail names
 * the parameter). Free with engload_change_free (NULL-safe, idempotent).
 */
int engload_change_parse(const struct prm_list *p, struct engload_change *c,
    char *detail);
void engload_change_free(struct engload_change *c);

/*
 * Applies c to a private model, then recompiles: each added rule is
 * validated as AuthorizeSecurityGroup[Egress] would (rule_parse), its
 * group must be the account's and its peer group must exist (another
 * account's peer group is loaded from st); each removal names a rule of
 * the group (by id, or by content as Revoke does). Added rules get the ids
 * "proposed-<k>" (k = 1.. in order) and .proposed; removed ones stay in
 * l->rules with .removed. Catalogue errors (SG_NOT_FOUND,
 * SGR_NOT_FOUND, rule_parse's), detail naming the edit's parameter.
 */
int engload_apply(struct engload *l, struct store *st,
    const struct engload_change *c, char *detail);

/* ---- coverage (which rule makes another one never decide) ------------ */

/*
 * Does item j match every packet item i matches? Items are effective-list
 * lines of one ENI and direction (eng_effective) — RULE or INNER — with
 * their NIC. The same test as the engine's shadow flag, made on the
 * items, so that the answers can name the covering item. Group peers: i
 * must name the same group; unresolved ones (engload_peer_ok) match
 * nothing and cover nothing.
 */
int engload_covers(const struct engload *l, const struct eng_item *j,
    int jnic, const struct eng_item *i, int inic);

/* The address families (bit 0 IPv4, bit 1 IPv6) an item can match. */
unsigned engload_item_fams(const struct engload *l, const struct eng_item *it);

#endif
