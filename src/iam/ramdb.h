/*
 * ramdb: RAM identities in the store, the glue between the RAM actions
 * (src/api/act/ram*.c), the authorization step and STS. Also the accounts
 * the operator creates (`sekishod account create`) and the built-in
 * system policies.
 *
 * Store model: generic resources of the caller's account, region "".
 *
 *   kind        id                   parent       doc
 *   ram_user    UserId (16 digits)   ""           UserName DisplayName Email
 *                                                 MobilePhone Comments
 *                                                 CreateDate UpdateDate
 *   ram_group   GroupId ("g-...")    ""           GroupName Comments
 *                                                 CreateDate UpdateDate
 *   ram_member  "rgm-..."            UserId       GroupId JoinDate
 *   ram_role    RoleId (16 digits)   ""           RoleName Arn Description
 *                                                 AssumeRolePolicyDocument
 *                                                 MaxSessionDuration Tags
 *                                                 CreateDate UpdateDate
 *   ram_policy  "rp-..."             ""           PolicyName Description
 *                                                 DefaultVersion NextVersion
 *                                                 Tags CreateDate UpdateDate
 *   ram_polver  "rpv-..."            policy id    VersionId PolicyDocument
 *                                                 CreateDate
 *   ram_attach  "rat-..."            target id    TargetType (User|Group|
 *                                                 Role) PolicyType PolicyName
 *                                                 PolicyId ("" for System)
 *                                                 AttachDate
 *   ram_ak      "rak-<AccessKeyId>"  UserId       AccessKeyId CreateDate
 *   ram_name    "rn-<40 hex>"        ""           Kind Id
 *
 * ram_name is the name index: its id is a hash of (account, kind,
 * lower-cased name) of a user, group, role or custom policy, so a lookup
 * by name is one read (the authorization step does one per request).
 * Memberships and attachments hang under the user / target, the parents
 * the authorization step reads.
 *
 * A RAM user's AccessKey itself is a store_key row (principal
 * "user:<UserName>", the user's account); the ram_ak resource only lists it
 * under its user. Policy documents are kept as the JSON text the caller
 * sent (GetPolicy returns it verbatim). System policies are not stored:
 * they are the built-in table of iam/pol.h, attachable in every account.
 *
 * Invariants: names are unique per account and kind, compared without
 * regard to case (COMPAT: RAM names are case-insensitive; the stored
 * spelling is returned); an entity is deleted only when nothing refers to
 * it (the actions refuse with DeleteConflict.*), so no dangling parent.
 *
 * Every function here needs an open store transaction (write for changes),
 * like store.h; none prints or logs.
 */
#ifndef SEKISHO_RAMDB_H
#define SEKISHO_RAMDB_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "iam/pol.h"
#include "store/store.h"

#define RAMDB_USER "ram_user"
#define RAMDB_GROUP "ram_group"
#define RAMDB_MEMBER "ram_member"
#define RAMDB_ROLE "ram_role"
#define RAMDB_POLICY "ram_policy"
#define RAMDB_POLVER "ram_polver"
#define RAMDB_ATTACH "ram_attach"
#define RAMDB_AK "ram_ak"
#define RAMDB_NAME "ram_name"

/* COMPAT: RAM limits (identity.md §10.7, the old Limits page). */
#define RAMDB_MAX_USERS 1000
#define RAMDB_MAX_GROUPS 50
#define RAMDB_MAX_GROUPS_PER_USER 5
#define RAMDB_MAX_ROLES 1000
#define RAMDB_MAX_POLICIES 1500
#define RAMDB_MAX_VERSIONS 5
#define RAMDB_MAX_KEYS 2
#define RAMDB_MAX_SYSTEM_ATTACH 20
#define RAMDB_MAX_CUSTOM_USER 10
#define RAMDB_MAX_CUSTOM_OTHER 5	/* per group or role */

/*
 * Finds the entity of kind (RAMDB_USER, _GROUP, _ROLE, _POLICY) named name
 * (doc field UserName/GroupName/RoleName/PolicyName, case-insensitive) in
 * the account, through the name index (two reads). 0 with *out filled
 * (caller clears), -ERR_NOT_FOUND, or -ERR_STORE for an index entry that
 * does not lead to its entity.
 */
int ramdb_find(struct store *st, const char *account, const char *kind,
    const char *name, struct store_res *out);

/* The doc field holding the name of an entity of kind; NULL if none. */
const char *ramdb_name_field(const char *kind);

/* Resources of kind under parent (NULL = any) in the account. */
int ramdb_children(struct store *st, const char *account, const char *kind,
    const char *parent, struct store_res_list *out);

/*
 * Writes an entity; for a named kind (user, group, role, policy) it also
 * keeps the name index: old_name is the name it had (NULL when new).
 * Fails with -ERR_INTERNAL for a named kind without its name field.
 */
int ramdb_put(struct store *st, struct store_res *res, const char *old_name);
/* Deletes an entity and, for a named kind, its name index entry. */
int ramdb_del(struct store *st, const struct store_res *res);

/* Deletes every resource of kind under parent in the account. */
int ramdb_delete_children(struct store *st, const char *account,
    const char *kind, const char *parent);

/*
 * The memberships (ram_member) of a group, in joining order; caller frees.
 * (Those of a user are its children: ramdb_children(RAMDB_MEMBER, UserId).)
 */
int ramdb_group_members(struct store *st, const char *account,
    const char *group_id, struct store_res_list *out);

/*
 * Attachments (ram_attach) of the policy (type "System" or "Custom", the
 * canonical name) in the account, optionally counted per target type:
 * n[0] users, n[1] groups, n[2] roles (n may be NULL). *out may be NULL.
 */
int ramdb_policy_attachments(struct store *st, const char *account,
    const char *type, const char *name, struct store_res_list *out,
    size_t n[3]);

/*
 * The default-version document text of a custom policy resource (a
 * ram_policy) into *text (malloc'd, caller frees).
 */
int ramdb_policy_default_doc(struct store *st, const struct store_res *pol,
    char **text);

/*
 * For the authorization step. The policy documents that apply to a
 * principal of the account, as a JSON array of strings, each the JSON text
 * of one document, ready for pol_parse(..., POL_IDENTITY, POL_MAX_CHARS,
 * ...) (caller decrefs *docs):
 *   "user:<name>"  the user's attached policies, then those of each group
 *                  it belongs to (in joining order);
 *   "role:<name>"  the role's attached policies.
 * Custom policies contribute their default version, system ones their
 * built-in document. Root ("root") and other principals are not governed
 * by RAM policies: -ERR_INVALID_PARAMETER (callers skip evaluation for
 * root). -ERR_NOT_FOUND when the user or role does not exist.
 */
int ramdb_principal_policies(struct store *st, const char *account,
    const char *principal, json_t **docs);

/*
 * For STS. The role named role_name (case-insensitive) of the account as
 * a new JSON object (caller decrefs): RoleId, RoleName, Arn
 * ("acs:ram::<account>:role/<RoleName>"), Description,
 * AssumeRolePolicyDocument (the trust policy, JSON text), MaxSessionDuration
 * (integer seconds, 3600..43200), CreateDate, UpdateDate.
 * 0, or -ERR_NOT_FOUND.
 */
int ramdb_role_get(struct store *st, const char *account,
    const char *role_name, json_t **role_doc);

/* A fresh RAM-style AccessKey ("LTAI" + 20, secret 30) for the principal. */
int ramdb_key_new(const char *account, const char *principal, int64_t now,
    struct store_key *out);

/*
 * Makes an AccessKey unusable at once and for good. COMPAT: the store has
 * no key deletion yet, so the row stays with status "Deleted" and a
 * scrambled secret: requests signed with it get Forbidden.AccessKeyDisabled
 * (Alibaba: InvalidAccessKeyId.NotFound) until store_key_del() lands.
 */
int ramdb_key_drop(struct store *st, const char *akid);

/*
 * Accounts. ramdb_account_create makes a new account (id "1" + 15 digits,
 * below 2^53) with an Active root AccessKey, records its name (may be NULL)
 * and fills *key (caller cleanses it). ramdb_account_list returns a JSON
 * array of {AccountId, Name, CreateDate}: the data directory's first
 * account (Name "default"), then the created ones in order.
 */
int ramdb_account_create(struct store *st, const char *name, int64_t now,
    struct store_key *key);
int ramdb_account_list(struct store *st, json_t **out);

/*
 * System policies (PolicyType "System"): the built-in table of iam/pol.h
 * (pol_system), looked up here without regard to case (COMPAT: RAM
 * resolves "AliyunOssFullAccess" to "AliyunOSSFullAccess").
 */
size_t ramdb_sys_count(void);
const struct pol_system *ramdb_sys_at(size_t i);
/* NULL if there is no such system policy. */
const struct pol_system *ramdb_sys_find(const char *name);
/* Fixed CreateDate/UpdateDate shown for system policies. */
#define RAMDB_SYS_DATE "2015-04-28T16:00:00Z"

#endif
