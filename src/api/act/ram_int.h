/*
 * ram_int: shared by the RAM 2015-05-01 action files (ram.c: the table and
 * helpers; ram_user.c, ram_key.c, ram_group.c, ram_role.c, ram_policy.c,
 * ram_attach.c: the handlers). Entities live in the store as described in
 * iam/ramdb.h; every lookup is confined to the caller's account.
 */
#ifndef SEKISHO_RAM_INT_H
#define SEKISHO_RAM_INT_H

#include <stddef.h>

#include "api/api_int.h"
#include "iam/ramdb.h"

#define RAM_VERSION "2015-05-01"
#define RAM_TAGS_MAX 20
#define RAM_MAX_ITEMS 1000
#define RAM_DEFAULT_ITEMS 100
#define RAM_SESSION_MIN 3600
#define RAM_SESSION_MAX 43200

/* Characters allowed in names besides letters and digits (§10.7). */
#define RAM_CHARS_USER "._-"
#define RAM_CHARS_GROUP "._-"
#define RAM_CHARS_ROLE ".-"
#define RAM_CHARS_POLICY "-"

/*
 * X(Action, flags): every RAM action, once. The table (ram.c) and the
 * handler/schema declarations below are generated from it; the handler of
 * Action is ram_<Action>, its schema ram_p_<Action>, its RAM action name
 * "ram:<Action>".
 */
#define RAM_ACTIONS(X) \
	X(CreateUser, AF_WRITE) \
	X(GetUser, 0) \
	X(UpdateUser, AF_WRITE) \
	X(DeleteUser, AF_WRITE) \
	X(ListUsers, 0) \
	X(CreateAccessKey, AF_WRITE) \
	X(UpdateAccessKey, AF_WRITE) \
	X(DeleteAccessKey, AF_WRITE) \
	X(ListAccessKeys, 0) \
	X(CreateGroup, AF_WRITE) \
	X(GetGroup, 0) \
	X(UpdateGroup, AF_WRITE) \
	X(DeleteGroup, AF_WRITE) \
	X(ListGroups, 0) \
	X(AddUserToGroup, AF_WRITE) \
	X(RemoveUserFromGroup, AF_WRITE) \
	X(ListGroupsForUser, 0) \
	X(ListUsersForGroup, 0) \
	X(CreateRole, AF_WRITE) \
	X(GetRole, 0) \
	X(UpdateRole, AF_WRITE) \
	X(DeleteRole, AF_WRITE) \
	X(ListRoles, 0) \
	X(CreatePolicy, AF_WRITE) \
	X(GetPolicy, 0) \
	X(DeletePolicy, AF_WRITE) \
	X(ListPolicies, 0) \
	X(UpdatePolicyDescription, AF_WRITE) \
	X(CreatePolicyVersion, AF_WRITE) \
	X(GetPolicyVersion, 0) \
	X(DeletePolicyVersion, AF_WRITE) \
	X(ListPolicyVersions, 0) \
	X(SetDefaultPolicyVersion, AF_WRITE) \
	X(AttachPolicyToUser, AF_WRITE) \
	X(AttachPolicyToGroup, AF_WRITE) \
	X(AttachPolicyToRole, AF_WRITE) \
	X(DetachPolicyFromUser, AF_WRITE) \
	X(DetachPolicyFromGroup, AF_WRITE) \
	X(DetachPolicyFromRole, AF_WRITE) \
	X(ListPoliciesForUser, 0) \
	X(ListPoliciesForGroup, 0) \
	X(ListPoliciesForRole, 0) \
	X(ListEntitiesForPolicy, 0)

#define RAM_DECLARE(name, flags) \
	int ram_##name(struct api_call *c); \
	extern const struct api_param ram_p_##name[];
RAM_ACTIONS(RAM_DECLARE)
#undef RAM_DECLARE

#define RAM_END { NULL, 0, 0, 0, 0, NULL, 0 }

/* Schema rows shared by several actions. */
extern const struct api_param ram_p_tag_fields[];

/* A doc's string field, "" when absent. */
const char *ram_str(const json_t *doc, const char *key);

/* The current time as YYYY-MM-DDThh:mm:ssZ (ts >= 32 bytes). */
void ram_date(const struct api_call *c, char *ts);

/* Fails with err unless the parameter (if present) is letters, digits
 * and characters of extra only. */
int ram_check_chars(struct api_call *c, const char *param, const char *extra,
    int err);

/* "<first><15 digits>" (buf >= 17 bytes): UserId, RoleId. */
int ram_digits_id(char first, char *buf, size_t len);

/*
 * The entity of kind named name in the caller's account, or notfound.
 * *out is cleared on failure, filled on success (caller clears).
 */
int ram_get(struct api_call *c, const char *kind, const char *name,
    int notfound, struct store_res *out);

/* Fails with exists if the caller's account has an entity of kind named
 * name (case-insensitive), or with limit once it holds max of them. */
int ram_check_new(struct api_call *c, const char *kind, const char *name,
    int exists, size_t max, int limit);

/* Creates a resource of kind in the caller's account (region "") and its
 * name index entry; takes doc (a new reference; NULL: -ERR_NOMEM). */
int ram_put_new(struct api_call *c, const char *kind, const char *id,
    const char *parent, json_t *doc);

/* Writes doc back as res (takes doc; res->doc is replaced); a changed
 * name moves the name index entry. */
int ram_put(struct api_call *c, struct store_res *res, json_t *doc);

/*
 * Marker/MaxItems paging over n items: [*start, *end). Marker is the
 * opaque string a previous truncated page returned.
 * ram_page_out() then sets IsTruncated (and Marker when truncated).
 */
int ram_page(struct api_call *c, size_t n, size_t *start, size_t *end);
void ram_page_out(struct api_call *c, size_t end, size_t n);
/*
 * The List* of one kind of the caller's account: a page of view(row, 1)
 * under {outer: {inner: [...]}} with IsTruncated/Marker.
 */
int ram_list_kind(struct api_call *c, const char *kind,
    json_t *(*view)(const struct store_res *, int), const char *outer,
    const char *inner);

/*
 * Checks a policy document parameter with pol_parse(): length 1..max
 * characters (else len_err, the parameter name as detail) and the policy
 * grammar of kind (else MalformedPolicyDocument saying why). Absent: 0.
 */
int ram_doc_check(struct api_call *c, const char *param, enum pol_kind kind,
    size_t max, int len_err);

/* Tag.N.Key/Value into [{TagKey, TagValue}] (*out new); and the output
 * shape Tags{Tag[]} of a stored array. */
int ram_tags_parse(struct api_call *c, json_t **out);
json_t *ram_tags_out(const json_t *tags);

/* The user a key action is about: UserName, else the calling RAM user
 * itself; root must name the user (MissingParameter). */
int ram_key_user(struct api_call *c, const char **name);

/* PolicyType parameter: "System" | "Custom" (else InvalidParameter.PolicyType);
 * absent gives def (may be NULL). */
int ram_policy_type(struct api_call *c, const char *def, const char **out);

/*
 * A policy named by the call: a system one (sys set, res empty) or a
 * custom one (res holds the ram_policy resource).
 */
struct ram_policy {
	const struct pol_system *sys;
	struct store_res res;
};

/* type: "System", "Custom" or NULL (custom first, then system). Fails
 * with EntityNotExist.Policy. ram_policy_clear() is NULL-safe. */
int ram_policy_get(struct api_call *c, const char *type, const char *name,
    struct ram_policy *out);
void ram_policy_clear(struct ram_policy *p);
const char *ram_policy_name(const struct ram_policy *p);
const char *ram_policy_type_of(const struct ram_policy *p);
const char *ram_policy_desc(const struct ram_policy *p);
const char *ram_policy_default(const struct ram_policy *p);

/* Validated common user fields (Create: prefix ""; Update: "New"). */
int ram_check_user_fields(struct api_call *c, int update);

#endif
