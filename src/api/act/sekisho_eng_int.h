/*
 * sekisho_eng_int: what the decision-engine actions of our product
 * (Version 2026-12-01, docs/api.md) share.
 *   sekisho_eng.c          ExplainPacket, DescribeEffectiveRules, the
 *                          act_sekisho_eng_actions table, the helpers below
 *   sekisho_eng_reach.c    DescribeReachability
 *   sekisho_eng_analyze.c  AnalyzeSecurityGroup
 * Every action answers from a model of the caller's account in one region
 * (src/sg/eng_load.h): shared and cached per store revision, or private
 * when the request proposes a what-if change. Read-only: nothing is
 * written, whatever is proposed.
 */
#ifndef SEKISHO_SEKISHO_ENG_INT_H
#define SEKISHO_SEKISHO_ENG_INT_H

#include <jansson.h>

#include "api/api_int.h"
#include "sg/eng_load.h"

/* The models shared by every request of the process. */
struct engload_cache *engact_cache(void);

/*
 * The region of the request: RegionId when given (checked), else the
 * region of the first of the resource-id parameters named in ids
 * (NULL-ended) that the request carries — another account's resource, or
 * none at all, is the catalogue's NotFound / MissingParameter RegionId.
 * *region points into the call's parameters or into buf (>= 64 bytes).
 */
int engact_region(struct api_call *c, const char *const *ids, char *buf,
    const char **region);

/*
 * The model for the request: the shared one, or, when ch proposes edits,
 * a private one with them applied (errors from engload_apply). Release
 * with engact_done.
 */
int engact_model(struct api_call *c, const char *region,
    const struct engload_change *ch, struct engload **out);
void engact_done(struct engload *l);

/* Parses the what-if parameters; api_fail on error. */
int engact_change(struct api_call *c, struct engload_change *ch);

/* Wire names. */
const char *engact_kind(int kind);		/* enum eng_item_kind */
const char *engact_policy(int policy);		/* Accept | Drop */

/*
 * An item as the answers show it: Kind, Policy, Priority,
 * SecurityGroupId, SecurityGroupRuleId, Port, ConnectionState,
 * Description, Proposed, and — with_perm, rules only — the Permission
 * (the stored rule document).
 */
json_t *engact_item(const struct engload *l, const struct eng_item *it,
    int with_perm);

/* Handlers and schemas registered in act_sekisho_eng_actions. */
int engact_reach(struct api_call *c);
int engact_analyze(struct api_call *c);
extern const struct api_param engact_p_reach[];
extern const struct api_param engact_p_analyze[];

#endif
