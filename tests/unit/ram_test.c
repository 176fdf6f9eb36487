/*
 * ram_test: RAM 2015-05-01 in-process — users, AccessKeys (and that a
 * disabled or deleted key stops authenticating at once), groups and
 * memberships, paging, limits, accounts and cross-account isolation.
 * Roles, policies and attachments: ram_pol_test.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ramtu.h"

static void
test_user_lifecycle(void **state)
{
	json_t *j, *u;

	(void)state;
	j = ok("CreateUser", "UserName", "alice", "DisplayName", "Alice Doe",
	    "Email", "alice@example.com", "MobilePhone", "86-1868888****",
	    "Comments", "engineer", NULL);
	u = jget(j, "User", NULL);
	assert_int_equal(strlen(jstr(u, "UserId")), 16);
	assert_string_equal(jstr(u, "UserName"), "alice");
	assert_string_equal(jstr(u, "DisplayName"), "Alice Doe");
	assert_string_equal(jstr(u, "Email"), "alice@example.com");
	assert_string_equal(jstr(u, "MobilePhone"), "86-1868888****");
	assert_string_equal(jstr(u, "Comments"), "engineer");
	assert_string_equal(jstr(u, "CreateDate"), "2026-11-18T11:06:40Z");
	json_decref(j);
	/* Names are unique without regard to case. */
	fails(409, "EntityAlreadyExists.User", "CreateUser", "UserName",
	    "ALICE", NULL);
	j = ok("GetUser", "UserName", "Alice", NULL);
	u = jget(j, "User", NULL);
	assert_string_equal(jstr(u, "UserName"), "alice");
	assert_string_equal(jstr(u, "UpdateDate"), "2026-11-18T11:06:40Z");
	assert_non_null(json_object_get(u, "LastLoginDate"));
	json_decref(j);
	j = ok("UpdateUser", "UserName", "alice", "NewUserName", "alice2",
	    "NewDisplayName", "A2", "NewComments", "moved", NULL);
	assert_string_equal(jstr(jget(j, "User", NULL), "UserName"), "alice2");
	assert_string_equal(jstr(jget(j, "User", NULL), "DisplayName"), "A2");
	json_decref(j);
	fails(404, "EntityNotExist.User", "GetUser", "UserName", "alice", NULL);
	ok0("CreateUser", "UserName", "bob", NULL);
	fails(409, "EntityAlreadyExists.User", "UpdateUser", "UserName", "bob",
	    "NewUserName", "Alice2", NULL);
	/* Renaming to itself in another case is fine. */
	ok0("UpdateUser", "UserName", "bob", "NewUserName", "Bob", NULL);
	fails(404, "EntityNotExist.User", "UpdateUser", "UserName", "nobody",
	    NULL);
	ok0("DeleteUser", "UserName", "alice2", NULL);
	fails(404, "EntityNotExist.User", "DeleteUser", "UserName", "alice2",
	    NULL);
	assert_int_equal(ramtu_count(ok("ListUsers", NULL), "Users", "User"), 1);
}

static void
test_user_params(void **state)
{
	(void)state;
	fails(400, "MissingParameter", "CreateUser", NULL);
	fails(400, "InvalidParameter.UserName.InvalidChars", "CreateUser",
	    "UserName", "a b", NULL);
	fails(400, "InvalidParameter.UserName.InvalidChars", "CreateUser",
	    "UserName", "a@b", NULL);
	fails(400, "InvalidParameter.UserName.Length", "CreateUser",
	    "UserName", ramtu_rep('u', 65), NULL);
	fails(400, "InvalidParameter.UserName.Length", "CreateUser",
	    "UserName", "", NULL);
	ok0("CreateUser", "UserName", ramtu_rep('u', 64), NULL);
	ok0("CreateUser", "UserName", "a.b_c-D9", NULL);
	fails(400, "InvalidParameter.DisplayName.Length", "CreateUser",
	    "UserName", "x", "DisplayName", ramtu_rep('d', 129), NULL);
	fails(400, "InvalidParameter.Comments.Length", "CreateUser",
	    "UserName", "x", "Comments", ramtu_rep('c', 129), NULL);
	fails(400, "InvalidParameter.MobilePhone.Format", "CreateUser",
	    "UserName", "x", "MobilePhone", "1868888", NULL);
	fails(400, "InvalidParameter.Email.Format", "CreateUser",
	    "UserName", "x", "Email", "not-an-email", NULL);
	ok0("CreateUser", "UserName", "x", NULL);
	fails(400, "InvalidParameter.NewUserName.InvalidChars", "UpdateUser",
	    "UserName", "x", "NewUserName", "x/y", NULL);
	fails(400, "InvalidParameter.NewUserName.Length", "UpdateUser",
	    "UserName", "x", "NewUserName", ramtu_rep('n', 65), NULL);
	fails(400, "InvalidParameter.NewDisplayName.Length", "UpdateUser",
	    "UserName", "x", "NewDisplayName", ramtu_rep('d', 129), NULL);
	fails(400, "InvalidParameter.NewComments.Length", "UpdateUser",
	    "UserName", "x", "NewComments", ramtu_rep('c', 129), NULL);
	fails(400, "InvalidParameter.NewMobilePhone.Format", "UpdateUser",
	    "UserName", "x", "NewMobilePhone", "86-12a", NULL);
	fails(400, "InvalidParameter.NewEmail.Format", "UpdateUser",
	    "UserName", "x", "NewEmail", "a@@b.c", NULL);
}

static void
test_list_paging(void **state)
{
	const char *names[] = { "u1", "u2", "u3", "u4", "u5" };
	json_t *j, *a;

	(void)state;
	for (int i = 0; i < 5; i++)
		ok0("CreateUser", "UserName", names[i], NULL);
	j = ok("ListUsers", "MaxItems", "2", NULL);
	a = jlist(j, "Users", "User");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(jstr(json_array_get(a, 0), "UserName"), "u1");
	assert_true(json_is_true(json_object_get(j, "IsTruncated")));
	assert_string_equal(jstr(j, "Marker"), "2");
	json_decref(j);
	j = ok("ListUsers", "MaxItems", "2", "Marker", "4", NULL);
	a = jlist(j, "Users", "User");
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(jstr(json_array_get(a, 0), "UserName"), "u5");
	assert_true(json_is_false(json_object_get(j, "IsTruncated")));
	assert_null(json_object_get(j, "Marker"));
	json_decref(j);
	j = ok("ListUsers", NULL);
	assert_int_equal(json_array_size(jlist(j, "Users", "User")), 5);
	assert_true(json_is_false(json_object_get(j, "IsTruncated")));
	json_decref(j);
	fails(400, "InvalidParameter", "ListUsers", "MaxItems", "0", NULL);
	fails(400, "InvalidParameter", "ListUsers", "MaxItems", "1001", NULL);
	fails(400, "InvalidParameter", "ListUsers", "Marker", "x", NULL);
	fails(400, "InvalidParameter", "ListUsers", "Marker", "6", NULL);
	/* Empty lists are still wrapped twice, with an array. */
	assert_int_equal(ramtu_count(ok("ListGroups", NULL), "Groups", "Group"),
	    0);
}

static void
test_access_keys(void **state)
{
	json_t *j, *k, *a;
	char akid[128];

	(void)state;
	ok0("CreateUser", "UserName", "alice", NULL);
	ok0("CreateUser", "UserName", "bob", NULL);
	j = ok("CreateAccessKey", "UserName", "alice", NULL);
	k = jget(j, "AccessKey", NULL);
	snprintf(akid, sizeof(akid), "%s", jstr(k, "AccessKeyId"));
	assert_int_equal(strlen(akid), 24);
	assert_int_equal(strncmp(akid, "LTAI", 4), 0);
	assert_int_equal(strlen(jstr(k, "AccessKeySecret")), 30);
	assert_string_equal(jstr(k, "Status"), "Active");
	assert_string_equal(jstr(k, "CreateDate"), "2026-11-18T11:06:40Z");
	json_decref(j);
	ok0("CreateAccessKey", "UserName", "alice", NULL);
	fails(409, "LimitExceeded.User.AccessKey", "CreateAccessKey",
	    "UserName", "alice", NULL);
	fails(404, "EntityNotExist.User", "CreateAccessKey", "UserName",
	    "nobody", NULL);
	/* The root identity must say whose keys (COMPAT, see ram_key.c). */
	fails(400, "MissingParameter", "CreateAccessKey", NULL);
	fails(400, "MissingParameter", "ListAccessKeys", NULL);
	j = ok("ListAccessKeys", "UserName", "alice", NULL);
	a = jlist(j, "AccessKeys", "AccessKey");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(jstr(json_array_get(a, 0), "AccessKeyId"), akid);
	assert_string_equal(jstr(json_array_get(a, 0), "Status"), "Active");
	assert_null(json_object_get(json_array_get(a, 0), "AccessKeySecret"));
	json_decref(j);
	ok0("UpdateAccessKey", "UserName", "alice", "UserAccessKeyId", akid,
	    "Status", "Inactive", NULL);
	j = ok("ListAccessKeys", "UserName", "alice", NULL);
	assert_string_equal(jstr(json_array_get(jlist(j, "AccessKeys",
	    "AccessKey"), 0), "Status"), "Inactive");
	json_decref(j);
	fails(400, "InvalidParameter", "UpdateAccessKey", "UserName", "alice",
	    "UserAccessKeyId", akid, "Status", "Disabled", NULL);
	fails(400, "MissingParameter", "UpdateAccessKey", "UserName", "alice",
	    "UserAccessKeyId", akid, NULL);
	/* Someone else's key, or none at all. */
	fails(404, "EntityNotExist.User.AccessKey", "UpdateAccessKey",
	    "UserName", "bob", "UserAccessKeyId", akid, "Status", "Active",
	    NULL);
	fails(404, "EntityNotExist.User.AccessKey", "DeleteAccessKey",
	    "UserName", "alice", "UserAccessKeyId", "LTAInope", NULL);
	fails(404, "EntityNotExist.User.AccessKey", "DeleteAccessKey",
	    "UserName", "alice", "UserAccessKeyId", TU_AKID, NULL);
	fails(409, "DeleteConflict.User.AccessKey", "DeleteUser", "UserName",
	    "alice", NULL);
	ok0("DeleteAccessKey", "UserName", "alice", "UserAccessKeyId", akid,
	    NULL);
	fails(404, "EntityNotExist.User.AccessKey", "DeleteAccessKey",
	    "UserName", "alice", "UserAccessKeyId", akid, NULL);
	assert_int_equal(ramtu_count(ok("ListAccessKeys", "UserName", "alice",
	    NULL), "AccessKeys", "AccessKey"), 1);
	/* Room again for a second key. */
	ok0("CreateAccessKey", "UserName", "alice", NULL);
}

/* A RAM user's key authenticates; Inactive or deleted, it stops at once. */
static void
test_key_auth(void **state)
{
	struct ramtu_key k, k2;
	struct tu_reply rp;
	json_t *j;

	(void)state;
	ok0("CreateUser", "UserName", "alice", NULL);
	/* What alice does below needs these (authorization: iam/authz.h). */
	ok0("AttachPolicyToUser", "PolicyType", "System", "PolicyName",
	    "AliyunECSReadOnlyAccess", "UserName", "alice", NULL);
	ok0("AttachPolicyToUser", "PolicyType", "System", "PolicyName",
	    "AliyunRAMFullAccess", "UserName", "alice", NULL);
	ramtu_user_key("alice", &k);
	ramtu_as(&k);
	ramtu_ecs_call(&rp);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	/* Without UserName a RAM user acts on itself. */
	j = ok("ListAccessKeys", NULL);
	assert_string_equal(jstr(json_array_get(jlist(j, "AccessKeys",
	    "AccessKey"), 0), "AccessKeyId"), k.id);
	json_decref(j);
	j = ok("CreateAccessKey", NULL);
	snprintf(k2.id, sizeof(k2.id), "%s", jstr(jget(j, "AccessKey", NULL),
	    "AccessKeyId"));
	snprintf(k2.secret, sizeof(k2.secret), "%s", jstr(jget(j, "AccessKey",
	    NULL), "AccessKeySecret"));
	json_decref(j);
	fails(409, "LimitExceeded.User.AccessKey", "CreateAccessKey", NULL);
	ok0("UpdateAccessKey", "UserAccessKeyId", k2.id, "Status", "Inactive",
	    NULL);
	ramtu_as(&k2);
	ramtu_ecs_call(&rp);
	tu_expect_error(&rp, 403, "Forbidden.AccessKeyDisabled");

	/* The root disables the user's first key: the next request fails. */
	ramtu_as(NULL);
	ok0("UpdateAccessKey", "UserName", "alice", "UserAccessKeyId", k.id,
	    "Status", "Inactive", NULL);
	ramtu_as(&k);
	ramtu_ecs_call(&rp);
	tu_expect_error(&rp, 403, "Forbidden.AccessKeyDisabled");
	ramtu_as(NULL);
	ok0("UpdateAccessKey", "UserName", "alice", "UserAccessKeyId", k.id,
	    "Status", "Active", NULL);
	ramtu_as(&k);
	ramtu_ecs_call(&rp);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);

	/* A renamed user keeps its keys: they follow the new name. */
	ramtu_as(NULL);
	ok0("UpdateUser", "UserName", "alice", "NewUserName", "carol", NULL);
	ramtu_as(&k);
	assert_int_equal(ramtu_count(ok("ListAccessKeys", NULL), "AccessKeys",
	    "AccessKey"), 2);

	/* Deleted: unknown at once. */
	ramtu_as(NULL);
	ok0("DeleteAccessKey", "UserName", "carol", "UserAccessKeyId", k.id,
	    NULL);
	ramtu_as(&k);
	ramtu_ecs_call(&rp);
	tu_expect_error(&rp, 404, "InvalidAccessKeyId.NotFound");
	ramtu_as(NULL);
}

static void
test_groups(void **state)
{
	json_t *j, *g;

	(void)state;
	j = ok("CreateGroup", "GroupName", "Dev-Team", "Comments", "devs", NULL);
	g = jget(j, "Group", NULL);
	assert_int_equal(strncmp(jstr(g, "GroupId"), "g-", 2), 0);
	assert_string_equal(jstr(g, "GroupName"), "Dev-Team");
	assert_string_equal(jstr(g, "Comments"), "devs");
	assert_string_equal(jstr(g, "CreateDate"), "2026-11-18T11:06:40Z");
	json_decref(j);
	fails(409, "EntityAlreadyExists.Group", "CreateGroup", "GroupName",
	    "dev-team", NULL);
	fails(400, "InvalidParameter.GroupName.InvalidChars", "CreateGroup",
	    "GroupName", "dev team", NULL);
	fails(400, "InvalidParameter.GroupName.Length", "CreateGroup",
	    "GroupName", ramtu_rep('g', 65), NULL);
	fails(400, "InvalidParameter.Comments.Length", "CreateGroup",
	    "GroupName", "x", "Comments", ramtu_rep('c', 129), NULL);
	j = ok("GetGroup", "GroupName", "DEV-TEAM", NULL);
	assert_string_equal(jstr(jget(j, "Group", NULL), "UpdateDate"),
	    "2026-11-18T11:06:40Z");
	json_decref(j);
	fails(404, "EntityNotExist.Group", "GetGroup", "GroupName", "ops", NULL);
	j = ok("UpdateGroup", "GroupName", "Dev-Team", "NewGroupName", "Ops",
	    "NewComments", "operators", NULL);
	assert_string_equal(jstr(jget(j, "Group", NULL), "GroupName"), "Ops");
	assert_string_equal(jstr(jget(j, "Group", NULL), "Comments"),
	    "operators");
	json_decref(j);
	ok0("CreateGroup", "GroupName", "Sysadmins", NULL);
	fails(409, "EntityAlreadyExists.Group", "UpdateGroup", "GroupName",
	    "Ops", "NewGroupName", "sysadmins", NULL);
	fails(400, "InvalidParameter.NewGroupName.InvalidChars", "UpdateGroup",
	    "GroupName", "Ops", "NewGroupName", "a:b", NULL);
	fails(400, "InvalidParameter.NewGroupName.Length", "UpdateGroup",
	    "GroupName", "Ops", "NewGroupName", ramtu_rep('g', 65), NULL);
	fails(400, "InvalidParameter.NewComments.Length", "UpdateGroup",
	    "GroupName", "Ops", "NewComments", ramtu_rep('c', 129), NULL);
	fails(404, "EntityNotExist.Group", "UpdateGroup", "GroupName", "none",
	    NULL);
	j = ok("ListGroups", "MaxItems", "1", NULL);
	assert_string_equal(jstr(json_array_get(jlist(j, "Groups", "Group"), 0),
	    "GroupName"), "Ops");
	assert_true(json_is_true(json_object_get(j, "IsTruncated")));
	json_decref(j);
	ok0("DeleteGroup", "GroupName", "sysadmins", NULL);
	fails(404, "EntityNotExist.Group", "DeleteGroup", "GroupName",
	    "sysadmins", NULL);
}

static void
test_memberships(void **state)
{
	char name[16];
	json_t *j, *a;

	(void)state;
	ok0("CreateUser", "UserName", "alice", "DisplayName", "Alice", NULL);
	ok0("CreateUser", "UserName", "bob", NULL);
	ok0("CreateGroup", "GroupName", "devs", NULL);
	ok0("AddUserToGroup", "GroupName", "devs", "UserName", "alice", NULL);
	ok0("AddUserToGroup", "GroupName", "DEVS", "UserName", "bob", NULL);
	fails(409, "EntityAlreadyExists.User.Group", "AddUserToGroup",
	    "GroupName", "devs", "UserName", "Alice", NULL);
	fails(404, "EntityNotExist.User", "AddUserToGroup", "GroupName", "devs",
	    "UserName", "nobody", NULL);
	fails(404, "EntityNotExist.Group", "AddUserToGroup", "GroupName",
	    "none", "UserName", "alice", NULL);
	j = ok("ListGroupsForUser", "UserName", "alice", NULL);
	a = jlist(j, "Groups", "Group");
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(jstr(json_array_get(a, 0), "GroupName"), "devs");
	assert_string_equal(jstr(json_array_get(a, 0), "JoinDate"),
	    "2026-11-18T11:06:40Z");
	assert_int_equal(strncmp(jstr(json_array_get(a, 0), "GroupId"), "g-",
	    2), 0);
	json_decref(j);
	fails(404, "EntityNotExist.User", "ListGroupsForUser", "UserName",
	    "nobody", NULL);
	j = ok("ListUsersForGroup", "GroupName", "devs", "MaxItems", "1", NULL);
	a = jlist(j, "Users", "User");
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(jstr(json_array_get(a, 0), "UserName"), "alice");
	assert_string_equal(jstr(json_array_get(a, 0), "DisplayName"), "Alice");
	assert_true(json_is_true(json_object_get(j, "IsTruncated")));
	json_decref(j);
	fails(404, "EntityNotExist.Group", "ListUsersForGroup", "GroupName",
	    "none", NULL);
	/* Renaming either side keeps the membership. */
	ok0("UpdateGroup", "GroupName", "devs", "NewGroupName", "builders",
	    NULL);
	ok0("UpdateUser", "UserName", "bob", "NewUserName", "robert", NULL);
	assert_int_equal(ramtu_count(ok("ListGroupsForUser", "UserName",
	    "robert", NULL), "Groups", "Group"), 1);
	fails(409, "DeleteConflict.Group.User", "DeleteGroup", "GroupName",
	    "builders", NULL);
	fails(409, "DeleteConflict.User.Group", "DeleteUser", "UserName",
	    "alice", NULL);
	/* Five groups per user. */
	for (int i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "g%d", i);
		ok0("CreateGroup", "GroupName", name, NULL);
		if (i < 4)
			ok0("AddUserToGroup", "GroupName", name, "UserName",
			    "alice", NULL);
	}
	fails(409, "LimitExceeded.User.Group", "AddUserToGroup", "GroupName",
	    "g4", "UserName", "alice", NULL);
	ok0("RemoveUserFromGroup", "GroupName", "builders", "UserName", "alice",
	    NULL);
	fails(404, "EntityNotExist.User.Group", "RemoveUserFromGroup",
	    "GroupName", "builders", "UserName", "alice", NULL);
	fails(404, "EntityNotExist.User", "RemoveUserFromGroup", "GroupName",
	    "builders", "UserName", "nobody", NULL);
	ok0("AddUserToGroup", "GroupName", "g4", "UserName", "alice", NULL);
	ok0("RemoveUserFromGroup", "GroupName", "builders", "UserName",
	    "robert", NULL);
	ok0("DeleteGroup", "GroupName", "builders", NULL);
	assert_int_equal(ramtu_count(ok("ListGroupsForUser", "UserName",
	    "robert", NULL), "Groups", "Group"), 0);
	ok0("DeleteUser", "UserName", "robert", NULL);
}

/* Counts (users, groups, roles, custom policies) are limited per account. */
static void
test_limits(void **state)
{
	char name[32];

	(void)state;
	for (int i = 0; i < RAMDB_MAX_GROUPS; i++) {
		snprintf(name, sizeof(name), "g%d", i);
		ok0("CreateGroup", "GroupName", name, NULL);
	}
	fails(409, "LimitExceeded.Group", "CreateGroup", "GroupName", "one-more",
	    NULL);
	for (int i = 0; i < RAMDB_MAX_USERS; i++) {
		snprintf(name, sizeof(name), "u%d", i);
		ok0("CreateUser", "UserName", name, NULL);
	}
	fails(409, "LimitExceeded.User", "CreateUser", "UserName", "one-more",
	    NULL);
	/* The name check comes first: a duplicate is still a duplicate. */
	fails(409, "EntityAlreadyExists.User", "CreateUser", "UserName", "u0",
	    NULL);
	for (int i = 0; i < RAMDB_MAX_ROLES; i++) {
		snprintf(name, sizeof(name), "r%d", i);
		ok0("CreateRole", "RoleName", name, "AssumeRolePolicyDocument",
		    RAMTU_TRUST, NULL);
	}
	fails(409, "LimitExceeded.Role", "CreateRole", "RoleName", "one-more",
	    "AssumeRolePolicyDocument", RAMTU_TRUST, NULL);
	for (int i = 0; i < RAMDB_MAX_POLICIES; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		ok0("CreatePolicy", "PolicyName", name, "PolicyDocument",
		    RAMTU_DOC, NULL);
	}
	fails(409, "LimitExceeded.Policy", "CreatePolicy", "PolicyName",
	    "one-more", "PolicyDocument", RAMTU_DOC, NULL);
}

/* RAM entities of one account are invisible to another. */
static void
test_cross_account(void **state)
{
	struct ramtu_key other;
	char account[32];
	json_t *j;

	(void)state;
	ok0("CreateUser", "UserName", "alice", NULL);
	ok0("CreateGroup", "GroupName", "devs", NULL);
	ok0("CreateRole", "RoleName", "ops", "AssumeRolePolicyDocument",
	    RAMTU_TRUST, NULL);
	ok0("CreatePolicy", "PolicyName", "mine", "PolicyDocument", RAMTU_DOC,
	    NULL);
	ok0("AttachPolicyToUser", "PolicyType", "System", "PolicyName",
	    "AdministratorAccess", "UserName", "alice", NULL);
	ramtu_other_account(&other, account);
	assert_string_not_equal(account, env.account);
	assert_int_equal(account[0], '1');
	assert_int_equal(strlen(account), 16);
	ramtu_as(&other);
	assert_int_equal(ramtu_count(ok("ListUsers", NULL), "Users", "User"), 0);
	assert_int_equal(ramtu_count(ok("ListGroups", NULL), "Groups", "Group"),
	    0);
	assert_int_equal(ramtu_count(ok("ListRoles", NULL), "Roles", "Role"), 0);
	assert_int_equal(ramtu_count(ok("ListPolicies", "PolicyType", "Custom",
	    NULL), "Policies", "Policy"), 0);
	fails(404, "EntityNotExist.User", "GetUser", "UserName", "alice", NULL);
	fails(404, "EntityNotExist.Group", "GetGroup", "GroupName", "devs",
	    NULL);
	fails(404, "EntityNotExist.Role", "GetRole", "RoleName", "ops", NULL);
	fails(404, "EntityNotExist.Policy", "GetPolicy", "PolicyName", "mine",
	    "PolicyType", "Custom", NULL);
	j = ok("ListEntitiesForPolicy", "PolicyType", "System", "PolicyName",
	    "AdministratorAccess", NULL);
	assert_int_equal(json_array_size(jlist(j, "Users", "User")), 0);
	json_decref(j);
	j = ok("GetPolicy", "PolicyType", "System", "PolicyName",
	    "AdministratorAccess", NULL);
	assert_int_equal(json_integer_value(jget(j, "Policy", "AttachmentCount",
	    NULL)), 0);
	json_decref(j);
	/* The same names are free in the other account. */
	j = ok("CreateRole", "RoleName", "ops", "AssumeRolePolicyDocument",
	    RAMTU_TRUST, NULL);
	assert_true(strstr(jstr(jget(j, "Role", NULL), "Arn"), account) != NULL);
	json_decref(j);
	ok0("CreateUser", "UserName", "alice", NULL);
	ramtu_as(NULL);
	assert_int_equal(ramtu_count(ok("ListRoles", NULL), "Roles", "Role"), 1);
}

static void
test_accounts(void **state)
{
	struct store_key k;
	json_t *all;

	(void)state;
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(ramdb_account_create(env.st, "team-a", env.now, &k), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
	assert_string_equal(k.principal, "root");
	assert_string_equal(k.status, "Active");
	assert_int_equal(store_tx_begin(env.st, STORE_TX_READ), 0);
	assert_int_equal(ramdb_account_list(env.st, &all), 0);
	store_tx_abort(env.st);
	assert_int_equal(json_array_size(all), 2);
	assert_string_equal(jstr(json_array_get(all, 0), "AccountId"),
	    env.account);
	assert_string_equal(jstr(json_array_get(all, 1), "AccountId"),
	    k.account);
	assert_string_equal(jstr(json_array_get(all, 1), "Name"), "team-a");
	json_decref(all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, ramtu_setup, ramtu_teardown)
		T(test_user_lifecycle),
		T(test_user_params),
		T(test_list_paging),
		T(test_access_keys),
		T(test_key_auth),
		T(test_groups),
		T(test_memberships),
		T(test_limits),
		T(test_cross_account),
		T(test_accounts),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
