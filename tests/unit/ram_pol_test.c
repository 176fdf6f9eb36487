/*
 * ram_pol_test: RAM 2015-05-01 in-process — roles, custom and system
 * policies, policy versions, attachments to users/groups/roles with their
 * limits and delete conflicts, and the two lookups the authorization step
 * and STS use (ramdb_principal_policies, ramdb_role_get).
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
test_roles(void **state)
{
	json_t *j, *r;
	char arn[128];

	(void)state;
	j = ok("CreateRole", "RoleName", "EcsRamRole", "AssumeRolePolicyDocument",
	    RAMTU_TRUST, "Description", "for instances", "Tag.1.Key", "env",
	    "Tag.1.Value", "prod", NULL);
	r = jget(j, "Role", NULL);
	assert_int_equal(strlen(jstr(r, "RoleId")), 16);
	snprintf(arn, sizeof(arn), "acs:ram::%s:role/EcsRamRole", env.account);
	assert_string_equal(jstr(r, "Arn"), arn);
	assert_string_equal(jstr(r, "AssumeRolePolicyDocument"), RAMTU_TRUST);
	assert_string_equal(jstr(r, "Description"), "for instances");
	assert_int_equal(json_integer_value(json_object_get(r,
	    "MaxSessionDuration")), 3600);
	assert_string_equal(jstr(r, "CreateDate"), "2026-11-18T11:06:40Z");
	json_decref(j);
	fails(409, "EntityAlreadyExists.Role", "CreateRole", "RoleName",
	    "ecsramrole", "AssumeRolePolicyDocument", RAMTU_TRUST, NULL);
	fails(400, "InvalidParameter.RoleName.InvalidChars", "CreateRole",
	    "RoleName", "a_b", "AssumeRolePolicyDocument", RAMTU_TRUST, NULL);
	fails(400, "InvalidParameter.RoleName.Length", "CreateRole",
	    "RoleName", ramtu_rep('r', 65), "AssumeRolePolicyDocument",
	    RAMTU_TRUST, NULL);
	fails(400, "MissingParameter", "CreateRole", "RoleName", "x", NULL);
	fails(400, "MalformedPolicyDocument", "CreateRole", "RoleName", "x",
	    "AssumeRolePolicyDocument", "{not json", NULL);
	/* A trust policy names a Principal and no Resource. */
	fails(400, "MalformedPolicyDocument", "CreateRole", "RoleName", "x",
	    "AssumeRolePolicyDocument", RAMTU_DOC, NULL);
	fails(400, "InvalidParameter.AssumeRolePolicyDocument.Length",
	    "CreateRole", "RoleName", "x", "AssumeRolePolicyDocument",
	    ramtu_rep(' ', 2049), NULL);
	fails(400, "InvalidParameter.Description.Length", "CreateRole",
	    "RoleName", "x", "AssumeRolePolicyDocument", RAMTU_TRUST,
	    "Description", ramtu_rep('d', 1025), NULL);
	fails(400, "InvalidParameter", "CreateRole", "RoleName", "x",
	    "AssumeRolePolicyDocument", RAMTU_TRUST, "MaxSessionDuration",
	    "3599", NULL);
	fails(400, "InvalidParameter", "CreateRole", "RoleName", "x",
	    "AssumeRolePolicyDocument", RAMTU_TRUST, "MaxSessionDuration",
	    "43201", NULL);
	ok0("CreateRole", "RoleName", "x.y-z", "AssumeRolePolicyDocument",
	    RAMTU_TRUST, "MaxSessionDuration", "43200", NULL);
	j = ok("GetRole", "RoleName", "ECSRAMROLE", NULL);
	assert_string_equal(jstr(jget(j, "Role", NULL), "UpdateDate"),
	    "2026-11-18T11:06:40Z");
	json_decref(j);
	fails(404, "EntityNotExist.Role", "GetRole", "RoleName", "none", NULL);
	j = ok("UpdateRole", "RoleName", "EcsRamRole", "NewDescription", "new",
	    "NewMaxSessionDuration", "7200", NULL);
	r = jget(j, "Role", NULL);
	assert_string_equal(jstr(r, "Description"), "new");
	assert_int_equal(json_integer_value(json_object_get(r,
	    "MaxSessionDuration")), 7200);
	json_decref(j);
	fails(400, "MalformedPolicyDocument", "UpdateRole", "RoleName",
	    "EcsRamRole", "NewAssumeRolePolicyDocument", "[]", NULL);
	fails(400, "InvalidParameter", "UpdateRole", "RoleName", "EcsRamRole",
	    "NewMaxSessionDuration", "100", NULL);
	fails(400, "InvalidParameter.NewDescription.Length", "UpdateRole",
	    "RoleName", "EcsRamRole", "NewDescription", ramtu_rep('d', 1025),
	    NULL);
	fails(404, "EntityNotExist.Role", "UpdateRole", "RoleName", "none",
	    NULL);
	/* ListRoles: tags shown, Tag filter, paging. */
	j = ok("ListRoles", NULL);
	r = json_array_get(jlist(j, "Roles", "Role"), 0);
	assert_int_equal(json_array_size(jlist(j, "Roles", "Role")), 2);
	assert_string_equal(jstr(json_array_get(jlist(r, "Tags", "Tag"), 0),
	    "TagKey"), "env");
	assert_null(json_object_get(r, "AssumeRolePolicyDocument"));
	json_decref(j);
	j = ok("ListRoles", "Tag.1.Key", "env", "Tag.1.Value", "prod", NULL);
	assert_int_equal(json_array_size(jlist(j, "Roles", "Role")), 1);
	json_decref(j);
	assert_int_equal(ramtu_count(ok("ListRoles", "Tag.1.Key", "env",
	    "Tag.1.Value", "dev", NULL), "Roles", "Role"), 0);
	j = ok("ListRoles", "MaxItems", "1", NULL);
	assert_string_equal(jstr(j, "Marker"), "1");
	json_decref(j);
	ok0("DeleteRole", "RoleName", "x.y-z", NULL);
	fails(404, "EntityNotExist.Role", "DeleteRole", "RoleName", "x.y-z",
	    NULL);
}

static void
test_role_get(void **state)
{
	json_t *role = NULL, *none = NULL;

	(void)state;
	ok0("CreateRole", "RoleName", "Worker", "AssumeRolePolicyDocument",
	    RAMTU_TRUST, "MaxSessionDuration", "7200", NULL);
	assert_int_equal(store_tx_begin(env.st, STORE_TX_READ), 0);
	assert_int_equal(ramdb_role_get(env.st, env.account, "worker", &role),
	    0);
	assert_int_equal(ramdb_role_get(env.st, "1999999999999999", "Worker",
	    &none), -ERR_NOT_FOUND);
	assert_null(none);
	store_tx_abort(env.st);
	assert_string_equal(jstr(role, "RoleName"), "Worker");
	assert_string_equal(jstr(role, "AssumeRolePolicyDocument"),
	    RAMTU_TRUST);
	assert_int_equal(json_integer_value(json_object_get(role,
	    "MaxSessionDuration")), 7200);
	assert_int_equal(strlen(jstr(role, "RoleId")), 16);
	assert_true(strstr(jstr(role, "Arn"), ":role/Worker") != NULL);
	json_decref(role);
}

static void
test_policies(void **state)
{
	json_t *j, *p, *a;

	(void)state;
	j = ok("CreatePolicy", "PolicyName", "Ecs-Read", "PolicyDocument",
	    RAMTU_DOC, "Description", "read ECS", NULL);
	p = jget(j, "Policy", NULL);
	assert_string_equal(jstr(p, "PolicyName"), "Ecs-Read");
	assert_string_equal(jstr(p, "PolicyType"), "Custom");
	assert_string_equal(jstr(p, "DefaultVersion"), "v1");
	assert_string_equal(jstr(p, "Description"), "read ECS");
	json_decref(j);
	fails(409, "EntityAlreadyExists.Policy", "CreatePolicy", "PolicyName",
	    "ecs-read", "PolicyDocument", RAMTU_DOC, NULL);
	fails(409, "EntityAlreadyExists.Policy", "CreatePolicy", "PolicyName",
	    "AdministratorAccess", "PolicyDocument", RAMTU_DOC, NULL);
	fails(400, "InvalidParameter.PolicyName.InvalidChars", "CreatePolicy",
	    "PolicyName", "a.b", "PolicyDocument", RAMTU_DOC, NULL);
	fails(400, "InvalidParameter.PolicyName.Length", "CreatePolicy",
	    "PolicyName", ramtu_rep('p', 129), "PolicyDocument", RAMTU_DOC,
	    NULL);
	fails(400, "InvalidParameter.PolicyDocument.Length", "CreatePolicy",
	    "PolicyName", "x", "PolicyDocument", ramtu_rep(' ', 6145), NULL);
	fails(400, "InvalidParameter.PolicyDocument.Length", "CreatePolicy",
	    "PolicyName", "x", "PolicyDocument", "", NULL);
	fails(400, "MalformedPolicyDocument", "CreatePolicy", "PolicyName",
	    "x", "PolicyDocument", "{\"Version\":\"1\"}", NULL);
	fails(400, "MalformedPolicyDocument", "CreatePolicy", "PolicyName",
	    "x", "PolicyDocument", RAMTU_TRUST, NULL);
	fails(400, "InvalidParameter.Description.Length", "CreatePolicy",
	    "PolicyName", "x", "PolicyDocument", RAMTU_DOC, "Description",
	    ramtu_rep('d', 1025), NULL);
	/* GetPolicy: custom and system, with the default version. */
	j = ok("GetPolicy", "PolicyName", "ECS-READ", "PolicyType", "Custom",
	    NULL);
	assert_string_equal(jstr(jget(j, "Policy", NULL), "PolicyDocument"),
	    RAMTU_DOC);
	assert_int_equal(json_integer_value(jget(j, "Policy",
	    "AttachmentCount", NULL)), 0);
	assert_true(json_is_true(jget(j, "DefaultPolicyVersion",
	    "IsDefaultVersion", NULL)));
	assert_string_equal(jstr(jget(j, "DefaultPolicyVersion", NULL),
	    "VersionId"), "v1");
	json_decref(j);
	j = ok("GetPolicy", "PolicyName", "AliyunECSReadOnlyAccess",
	    "PolicyType", "System", NULL);
	assert_string_equal(jstr(jget(j, "Policy", NULL), "PolicyType"),
	    "System");
	assert_string_equal(jstr(jget(j, "Policy", NULL), "PolicyDocument"),
	    pol_system_doc("AliyunECSReadOnlyAccess"));
	json_decref(j);
	fails(404, "EntityNotExist.Policy", "GetPolicy", "PolicyName",
	    "Ecs-Read", "PolicyType", "System", NULL);
	fails(400, "InvalidParameter.PolicyType", "GetPolicy", "PolicyName",
	    "Ecs-Read", "PolicyType", "Managed", NULL);
	/* ListPolicies: the seven system policies first, then custom. */
	j = ok("ListPolicies", NULL);
	a = jlist(j, "Policies", "Policy");
	assert_int_equal(json_array_size(a), ramdb_sys_count() + 1);
	assert_int_equal(ramdb_sys_count(), 7);
	assert_string_equal(jstr(json_array_get(a, 0), "PolicyName"),
	    "AdministratorAccess");
	assert_string_equal(jstr(json_array_get(a, 7), "PolicyName"),
	    "Ecs-Read");
	assert_true(json_is_array(jlist(json_array_get(a, 7), "Tags", "Tag")));
	json_decref(j);
	assert_int_equal(ramtu_count(ok("ListPolicies", "PolicyType", "Custom",
	    NULL), "Policies", "Policy"), 1);
	assert_int_equal(ramtu_count(ok("ListPolicies", "PolicyType", "System",
	    NULL), "Policies", "Policy"), 7);
	j = ok("ListPolicies", "MaxItems", "5", "Marker", "5", NULL);
	assert_int_equal(json_array_size(jlist(j, "Policies", "Policy")), 3);
	assert_true(json_is_false(json_object_get(j, "IsTruncated")));
	json_decref(j);
	j = ok("UpdatePolicyDescription", "PolicyName", "Ecs-Read",
	    "NewDescription", "changed", NULL);
	assert_string_equal(jstr(jget(j, "Policy", NULL), "Description"),
	    "changed");
	json_decref(j);
	fails(404, "EntityNotExist.Policy", "UpdatePolicyDescription",
	    "PolicyName", "AdministratorAccess", "NewDescription", "x", NULL);
	/* System policies cannot be deleted. */
	fails(404, "EntityNotExist.Policy", "DeletePolicy", "PolicyName",
	    "AdministratorAccess", NULL);
	ok0("DeletePolicy", "PolicyName", "Ecs-Read", NULL);
	fails(404, "EntityNotExist.Policy", "DeletePolicy", "PolicyName",
	    "Ecs-Read", NULL);
	/* The name is free again. */
	ok0("CreatePolicy", "PolicyName", "Ecs-Read", "PolicyDocument",
	    RAMTU_DOC, NULL);
}

static void
test_versions(void **state)
{
	json_t *j, *v, *a;

	(void)state;
	ok0("CreatePolicy", "PolicyName", "p", "PolicyDocument", RAMTU_DOC,
	    NULL);
	j = ok("CreatePolicyVersion", "PolicyName", "p", "PolicyDocument",
	    RAMTU_DOC2, NULL);
	v = jget(j, "PolicyVersion", NULL);
	assert_string_equal(jstr(v, "VersionId"), "v2");
	assert_true(json_is_false(json_object_get(v, "IsDefaultVersion")));
	assert_string_equal(jstr(v, "PolicyDocument"), RAMTU_DOC2);
	json_decref(j);
	j = ok("CreatePolicyVersion", "PolicyName", "p", "PolicyDocument",
	    RAMTU_DOC2, "SetAsDefault", "true", NULL);
	assert_true(json_is_true(jget(j, "PolicyVersion", "IsDefaultVersion",
	    NULL)));
	json_decref(j);
	ok0("CreatePolicyVersion", "PolicyName", "p", "PolicyDocument",
	    RAMTU_DOC, NULL);
	ok0("CreatePolicyVersion", "PolicyName", "p", "PolicyDocument",
	    RAMTU_DOC, "RotateStrategy", "None", NULL);
	fails(409, "LimitExceeded.Policy.Version", "CreatePolicyVersion",
	    "PolicyName", "p", "PolicyDocument", RAMTU_DOC, NULL);
	fails(400, "InvalidParameter", "CreatePolicyVersion", "PolicyName",
	    "p", "PolicyDocument", RAMTU_DOC, "RotateStrategy", "Oldest", NULL);
	fails(400, "MalformedPolicyDocument", "CreatePolicyVersion",
	    "PolicyName", "p", "PolicyDocument", "{}", NULL);
	fails(404, "EntityNotExist.Policy", "CreatePolicyVersion",
	    "PolicyName", "AdministratorAccess", "PolicyDocument", RAMTU_DOC,
	    NULL);
	/* Rotation drops the oldest non-default version (v1; v3 is default). */
	j = ok("CreatePolicyVersion", "PolicyName", "p", "PolicyDocument",
	    RAMTU_DOC, "RotateStrategy",
	    "DeleteOldestNonDefaultVersionWhenLimitExceeded", NULL);
	assert_string_equal(jstr(jget(j, "PolicyVersion", NULL), "VersionId"),
	    "v6");
	json_decref(j);
	j = ok("ListPolicyVersions", "PolicyName", "p", "PolicyType", "Custom",
	    NULL);
	a = jlist(j, "PolicyVersions", "PolicyVersion");
	assert_int_equal(json_array_size(a), 5);
	assert_string_equal(jstr(json_array_get(a, 0), "VersionId"), "v2");
	assert_true(json_is_true(json_object_get(json_array_get(a, 1),
	    "IsDefaultVersion")));
	json_decref(j);
	fails(404, "EntityNotExist.Policy.Version", "GetPolicyVersion",
	    "PolicyName", "p", "VersionId", "v1", NULL);
	fails(400, "InvalidParameter.VersionId.Format", "GetPolicyVersion",
	    "PolicyName", "p", "VersionId", "1", NULL);
	fails(400, "InvalidParameter.VersionId.Format", "GetPolicyVersion",
	    "PolicyName", "p", "VersionId", "v0", NULL);
	j = ok("GetPolicyVersion", "PolicyName", "p", "VersionId", "v2", NULL);
	assert_string_equal(jstr(jget(j, "PolicyVersion", NULL),
	    "PolicyDocument"), RAMTU_DOC2);
	json_decref(j);
	j = ok("GetPolicyVersion", "PolicyName", "AliyunVPCFullAccess",
	    "PolicyType", "System", "VersionId", "v1", NULL);
	assert_true(json_is_true(jget(j, "PolicyVersion", "IsDefaultVersion",
	    NULL)));
	json_decref(j);
	assert_int_equal(ramtu_count(ok("ListPolicyVersions", "PolicyName",
	    "AliyunVPCFullAccess", "PolicyType", "System", NULL),
	    "PolicyVersions", "PolicyVersion"), 1);
	fails(409, "DeleteConflict.Policy.Version.Default",
	    "DeletePolicyVersion", "PolicyName", "p", "VersionId", "v3", NULL);
	ok0("SetDefaultPolicyVersion", "PolicyName", "p", "VersionId", "v6",
	    NULL);
	j = ok("GetPolicy", "PolicyName", "p", NULL);
	assert_string_equal(jstr(jget(j, "Policy", NULL), "DefaultVersion"),
	    "v6");
	json_decref(j);
	fails(404, "EntityNotExist.Policy.Version", "SetDefaultPolicyVersion",
	    "PolicyName", "p", "VersionId", "v9", NULL);
	ok0("DeletePolicyVersion", "PolicyName", "p", "VersionId", "v3", NULL);
	fails(404, "EntityNotExist.Policy.Version", "DeletePolicyVersion",
	    "PolicyName", "p", "VersionId", "v3", NULL);
	fails(409, "DeleteConflict.Policy.Version", "DeletePolicy",
	    "PolicyName", "p", NULL);
	ok0("DeletePolicy", "PolicyName", "p", "CascadingDelete", "true", NULL);
	fails(404, "EntityNotExist.Policy", "ListPolicyVersions", "PolicyName",
	    "p", NULL);
}

static void
test_attach(void **state)
{
	json_t *j, *a;

	(void)state;
	ok0("CreateUser", "UserName", "alice", NULL);
	ok0("CreateGroup", "GroupName", "devs", NULL);
	ok0("CreateRole", "RoleName", "ops", "AssumeRolePolicyDocument",
	    RAMTU_TRUST, NULL);
	ok0("CreatePolicy", "PolicyName", "mine", "PolicyDocument", RAMTU_DOC,
	    NULL);
	/* System names resolve without regard to case. */
	ok0("AttachPolicyToUser", "PolicyType", "System", "PolicyName",
	    "administratoraccess", "UserName", "alice", NULL);
	fails(409, "EntityAlreadyExists.User.Policy", "AttachPolicyToUser",
	    "PolicyType", "System", "PolicyName", "AdministratorAccess",
	    "UserName", "alice", NULL);
	ok0("AttachPolicyToUser", "PolicyType", "Custom", "PolicyName", "mine",
	    "UserName", "alice", NULL);
	ok0("AttachPolicyToGroup", "PolicyType", "Custom", "PolicyName", "mine",
	    "GroupName", "devs", NULL);
	fails(409, "EntityAlreadyExists.Group.Policy", "AttachPolicyToGroup",
	    "PolicyType", "Custom", "PolicyName", "mine", "GroupName", "devs",
	    NULL);
	ok0("AttachPolicyToRole", "PolicyType", "Custom", "PolicyName", "mine",
	    "RoleName", "ops", NULL);
	fails(409, "EntityAlreadyExists.Role.Policy", "AttachPolicyToRole",
	    "PolicyType", "Custom", "PolicyName", "mine", "RoleName", "ops",
	    NULL);
	fails(400, "InvalidParameter.PolicyType", "AttachPolicyToUser",
	    "PolicyType", "Other", "PolicyName", "mine", "UserName", "alice",
	    NULL);
	fails(400, "MissingParameter", "AttachPolicyToUser", "PolicyName",
	    "mine", "UserName", "alice", NULL);
	fails(404, "EntityNotExist.Policy", "AttachPolicyToUser", "PolicyType",
	    "System", "PolicyName", "mine", "UserName", "alice", NULL);
	fails(404, "EntityNotExist.User", "AttachPolicyToUser", "PolicyType",
	    "Custom", "PolicyName", "mine", "UserName", "bob", NULL);
	fails(404, "EntityNotExist.Group", "AttachPolicyToGroup", "PolicyType",
	    "Custom", "PolicyName", "mine", "GroupName", "ops", NULL);
	fails(404, "EntityNotExist.Role", "AttachPolicyToRole", "PolicyType",
	    "Custom", "PolicyName", "mine", "RoleName", "devs", NULL);
	j = ok("ListPoliciesForUser", "UserName", "alice", NULL);
	a = jlist(j, "Policies", "Policy");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(jstr(json_array_get(a, 0), "PolicyName"),
	    "AdministratorAccess");
	assert_string_equal(jstr(json_array_get(a, 0), "PolicyType"), "System");
	assert_string_equal(jstr(json_array_get(a, 1), "DefaultVersion"), "v1");
	assert_string_equal(jstr(json_array_get(a, 1), "AttachDate"),
	    "2026-11-18T11:06:40Z");
	json_decref(j);
	assert_int_equal(ramtu_count(ok("ListPoliciesForGroup", "GroupName",
	    "devs", NULL), "Policies", "Policy"), 1);
	assert_int_equal(ramtu_count(ok("ListPoliciesForRole", "RoleName",
	    "ops", NULL), "Policies", "Policy"), 1);
	fails(404, "EntityNotExist.Role", "ListPoliciesForRole", "RoleName",
	    "none", NULL);
	j = ok("ListEntitiesForPolicy", "PolicyType", "Custom", "PolicyName",
	    "mine", NULL);
	assert_string_equal(jstr(json_array_get(jlist(j, "Users", "User"), 0),
	    "UserName"), "alice");
	assert_string_equal(jstr(json_array_get(jlist(j, "Groups", "Group"), 0),
	    "GroupName"), "devs");
	assert_string_equal(jstr(json_array_get(jlist(j, "Roles", "Role"), 0),
	    "RoleName"), "ops");
	json_decref(j);
	j = ok("GetPolicy", "PolicyType", "Custom", "PolicyName", "mine", NULL);
	assert_int_equal(json_integer_value(jget(j, "Policy", "AttachmentCount",
	    NULL)), 3);
	json_decref(j);
	/* Delete conflicts, in user, group, role order. */
	fails(409, "DeleteConflict.Policy.User", "DeletePolicy", "PolicyName",
	    "mine", NULL);
	fails(409, "DeleteConflict.User.Policy", "DeleteUser", "UserName",
	    "alice", NULL);
	fails(409, "DeleteConflict.Group.Policy", "DeleteGroup", "GroupName",
	    "devs", NULL);
	fails(409, "DeleteConflict.Role.Policy", "DeleteRole", "RoleName",
	    "ops", NULL);
	ok0("DetachPolicyFromUser", "PolicyType", "Custom", "PolicyName",
	    "mine", "UserName", "alice", NULL);
	fails(404, "EntityNotExist.User.Policy", "DetachPolicyFromUser",
	    "PolicyType", "Custom", "PolicyName", "mine", "UserName", "alice",
	    NULL);
	fails(409, "DeleteConflict.Policy.Group", "DeletePolicy", "PolicyName",
	    "mine", NULL);
	ok0("DetachPolicyFromGroup", "PolicyType", "Custom", "PolicyName",
	    "mine", "GroupName", "devs", NULL);
	fails(404, "EntityNotExist.Group.Policy", "DetachPolicyFromGroup",
	    "PolicyType", "Custom", "PolicyName", "mine", "GroupName", "devs",
	    NULL);
	fails(409, "DeleteConflict.Policy.Role", "DeletePolicy", "PolicyName",
	    "mine", NULL);
	ok0("DetachPolicyFromRole", "PolicyType", "Custom", "PolicyName",
	    "mine", "RoleName", "ops", NULL);
	fails(404, "EntityNotExist.Role.Policy", "DetachPolicyFromRole",
	    "PolicyType", "Custom", "PolicyName", "mine", "RoleName", "ops",
	    NULL);
	ok0("DeletePolicy", "PolicyName", "mine", NULL);
	ok0("DeleteGroup", "GroupName", "devs", NULL);
	ok0("DeleteRole", "RoleName", "ops", NULL);
	ok0("DetachPolicyFromUser", "PolicyType", "System", "PolicyName",
	    "AdministratorAccess", "UserName", "alice", NULL);
	ok0("DeleteUser", "UserName", "alice", NULL);
}

/* 10 custom policies per user, 5 per group or role. */
static void
test_attach_limits(void **state)
{
	char name[16];

	(void)state;
	ok0("CreateUser", "UserName", "alice", NULL);
	ok0("CreateGroup", "GroupName", "devs", NULL);
	ok0("CreateRole", "RoleName", "ops", "AssumeRolePolicyDocument",
	    RAMTU_TRUST, NULL);
	for (int i = 0; i <= RAMDB_MAX_CUSTOM_USER; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		ok0("CreatePolicy", "PolicyName", name, "PolicyDocument",
		    RAMTU_DOC, NULL);
		if (i < RAMDB_MAX_CUSTOM_USER)
			ok0("AttachPolicyToUser", "PolicyType", "Custom",
			    "PolicyName", name, "UserName", "alice", NULL);
		if (i < RAMDB_MAX_CUSTOM_OTHER) {
			ok0("AttachPolicyToGroup", "PolicyType", "Custom",
			    "PolicyName", name, "GroupName", "devs", NULL);
			ok0("AttachPolicyToRole", "PolicyType", "Custom",
			    "PolicyName", name, "RoleName", "ops", NULL);
		}
	}
	fails(409, "LimitExceeded.User.Policy", "AttachPolicyToUser",
	    "PolicyType", "Custom", "PolicyName", "p10", "UserName", "alice",
	    NULL);
	fails(409, "LimitExceeded.Group.Policy", "AttachPolicyToGroup",
	    "PolicyType", "Custom", "PolicyName", "p10", "GroupName", "devs",
	    NULL);
	fails(409, "LimitExceeded.Role.Policy", "AttachPolicyToRole",
	    "PolicyType", "Custom", "PolicyName", "p10", "RoleName", "ops",
	    NULL);
	/* System policies count separately. */
	ok0("AttachPolicyToRole", "PolicyType", "System", "PolicyName",
	    "AliyunSTSAssumeRoleAccess", "RoleName", "ops", NULL);
}

/* What the authorization step reads: own, then group policies. */
static void
test_principal_policies(void **state)
{
	json_t *docs = NULL;

	(void)state;
	ok0("CreateUser", "UserName", "alice", NULL);
	ok0("CreateGroup", "GroupName", "devs", NULL);
	ok0("CreateRole", "RoleName", "ops", "AssumeRolePolicyDocument",
	    RAMTU_TRUST, NULL);
	ok0("CreatePolicy", "PolicyName", "deny-ecs", "PolicyDocument",
	    RAMTU_DOC, NULL);
	ok0("CreatePolicyVersion", "PolicyName", "deny-ecs", "PolicyDocument",
	    RAMTU_DOC2, "SetAsDefault", "true", NULL);
	ok0("AttachPolicyToUser", "PolicyType", "System", "PolicyName",
	    "AliyunECSReadOnlyAccess", "UserName", "alice", NULL);
	ok0("AddUserToGroup", "GroupName", "devs", "UserName", "alice", NULL);
	ok0("AttachPolicyToGroup", "PolicyType", "Custom", "PolicyName",
	    "deny-ecs", "GroupName", "devs", NULL);
	ok0("AttachPolicyToRole", "PolicyType", "System", "PolicyName",
	    "AliyunVPCFullAccess", "RoleName", "ops", NULL);
	assert_int_equal(store_tx_begin(env.st, STORE_TX_READ), 0);
	assert_int_equal(ramdb_principal_policies(env.st, env.account,
	    "user:alice", &docs), 0);
	assert_int_equal(json_array_size(docs), 2);
	assert_string_equal(json_string_value(json_array_get(docs, 0)),
	    pol_system_doc("AliyunECSReadOnlyAccess"));
	/* The group's policy at its default version (v2), as stored. */
	assert_string_equal(json_string_value(json_array_get(docs, 1)),
	    RAMTU_DOC2);
	json_decref(docs);
	assert_int_equal(ramdb_principal_policies(env.st, env.account,
	    "role:OPS", &docs), 0);
	assert_int_equal(json_array_size(docs), 1);
	assert_string_equal(json_string_value(json_array_get(docs, 0)),
	    pol_system_doc("AliyunVPCFullAccess"));
	json_decref(docs);
	assert_int_equal(ramdb_principal_policies(env.st, env.account, "root",
	    &docs), -ERR_INVALID_PARAMETER);
	assert_int_equal(ramdb_principal_policies(env.st, env.account,
	    "user:bob", &docs), -ERR_NOT_FOUND);
	assert_int_equal(ramdb_principal_policies(env.st, "1999999999999999",
	    "user:alice", &docs), -ERR_NOT_FOUND);
	store_tx_abort(env.st);
	/* Leaving the group drops its policies at once. */
	ok0("RemoveUserFromGroup", "GroupName", "devs", "UserName", "alice",
	    NULL);
	assert_int_equal(store_tx_begin(env.st, STORE_TX_READ), 0);
	assert_int_equal(ramdb_principal_policies(env.st, env.account,
	    "user:alice", &docs), 0);
	store_tx_abort(env.st);
	assert_int_equal(json_array_size(docs), 1);
	json_decref(docs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, ramtu_setup, ramtu_teardown)
		T(test_roles),
		T(test_role_get),
		T(test_policies),
		T(test_versions),
		T(test_attach),
		T(test_attach_limits),
		T(test_principal_policies),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
