/*
 * authz_test: the authorize step in-process — resource ARNs derived from
 * parameters (pure table), a table of policies x requests through the
 * whole pipeline (actions, NotAction, resources, conditions, explicit vs
 * implicit deny, open actions), resource-level permission on one security
 * group, the seed's Sysadmins/Developers groups with a user moving between
 * them, the trusted-proxy header, the denial body, the policy cache,
 * ram:PassRole on RunInstances/CreateInstance, cross-account isolation and
 * key deactivation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iam/authz.h"
#include "ramtu.h"
#include "authztu.h"

#define ECS "Version=2014-05-26"
#define ECSH ECS "&RegionId=cn-hangzhou"
#define RAMV "Version=2015-05-01"
#define ALLOW_ECS "{\"Version\":\"1\",\"Statement\":[{\"Effect\":\"Allow\"," \
	"\"Action\":\"ecs:*\",\"Resource\":\"*\"}]}"

/* ---- resources from parameters (pure) ---- */

static const struct arn_case {
	const char *params;
	const char *service;
	const char *action;
	const char *self;
	const char *want;	/* space-separated; "!" = refused */
} arn_cases[] = {
	{ "RegionId=cn-hangzhou&SecurityGroupId=sg-1", "ecs",
	  "AuthorizeSecurityGroup", NULL,
	  "acs:ecs:cn-hangzhou:A:securitygroup/sg-1" },
	{ "RegionId=cn-hangzhou&SecurityGroupIds=%5B%22sg-1%22%2C%22sg-2%22%5D",
	  "ecs", "DescribeSecurityGroups", NULL,
	  "acs:ecs:cn-hangzhou:A:securitygroup/sg-1 "
	  "acs:ecs:cn-hangzhou:A:securitygroup/sg-2" },
	{ "RegionId=cn-beijing&SecurityGroupIds.1=sg-1&SecurityGroupIds.2=sg-2"
	  "&VSwitchId=vsw-1&KeyPairName=kp", "ecs", "RunInstances", NULL,
	  "acs:ecs:cn-beijing:A:securitygroup/sg-1 "
	  "acs:ecs:cn-beijing:A:securitygroup/sg-2 "
	  "acs:vpc:cn-beijing:A:vswitch/vsw-1 acs:ecs:cn-beijing:A:keypair/kp" },
	{ "InstanceIds=%5B%22i-1%22%2C%22i-2%22%5D&RegionId=cn-hangzhou", "ecs",
	  "DescribeInstances", NULL,
	  "acs:ecs:cn-hangzhou:A:instance/i-1 acs:ecs:cn-hangzhou:A:instance/i-2" },
	/* A plural that is not a JSON array is one id (refused later). */
	{ "InstanceIds=%5Bbad", "ecs", "DescribeInstances", NULL,
	  "acs:ecs:*:A:instance/[bad" },
	{ "InstanceId=i-1&InstanceId.1=i-1&InstanceId.2=i-2&NetworkInterfaceId=eni-1",
	  "ecs", "X", NULL,
	  "acs:ecs:*:A:instance/i-1 acs:ecs:*:A:instance/i-2 acs:ecs:*:A:eni/eni-1" },
	{ "RegionId=cn-hangzhou&ResourceType=instance&ResourceId.1=i-1"
	  "&ResourceId.2=i-2", "ecs", "TagResources", NULL,
	  "acs:ecs:cn-hangzhou:A:instance/i-1 acs:ecs:cn-hangzhou:A:instance/i-2" },
	{ "RegionId=cn-hangzhou&VpcId=vpc-1", "vpc", "DeleteVpc", NULL,
	  "acs:vpc:cn-hangzhou:A:vpc/vpc-1" },
	{ "", "ecs", "DescribeRegions", NULL, "acs:ecs:*:A:*" },
	{ "RegionId=CN-Hangzhou", "ecs", "DescribeZones", NULL, "acs:ecs:*:A:*" },
	{ "RegionId=cn-shanghai", "vpc", "DescribeVpcs", NULL,
	  "acs:vpc:cn-shanghai:A:*" },
	/* RAM names only for RAM; RAM ARNs have no region. */
	{ "UserName=bob", "ecs", "X", NULL, "acs:ecs:*:A:*" },
	{ "UserName=bob&GroupName=devs&RegionId=cn-hangzhou", "ram",
	  "AddUserToGroup", NULL, "acs:ram::A:user/bob acs:ram::A:group/devs" },
	{ "PolicyName=p1&RoleName=r1", "ram", "AttachPolicyToRole", NULL,
	  "acs:ram::A:policy/p1 acs:ram::A:role/r1" },
	{ "", "ram", "ListUsers", NULL, "acs:ram::A:*" },
	/* A RAM user's own keys. */
	{ "", "ram", "CreateAccessKey", "alice", "acs:ram::A:user/alice" },
	{ "", "ram", "ListAccessKeys", "alice", "acs:ram::A:user/alice" },
	{ "UserName=bob", "ram", "ListAccessKeys", "alice", "acs:ram::A:user/bob" },
	{ "", "ram", "ListUsers", "alice", "acs:ram::A:*" },
	{ "RoleArn=acs:ram::B:role/r", "sts", "AssumeRole", NULL,
	  "acs:ram::B:role/r" },
	{ "RoleArn=acs:ram::B:role/r", "ecs", "X", NULL, "acs:ecs:*:A:*" },
	{ "", "sts", "GetCallerIdentity", NULL, "acs:sts::A:*" },
};

static void
test_arns(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(arn_cases) / sizeof(arn_cases[0]); i++) {
		const struct arn_case *t = &arn_cases[i];
		struct authz_arn_in in;
		struct authz_arns a;
		struct prm_list p;
		struct sb got = SB_INIT;

		prm_init(&p);
		assert_int_equal(prm_parse(&p, t->params, strlen(t->params)), 0);
		in = (struct authz_arn_in){ &p, t->service, t->action, "A",
		    t->self };
		assert_int_equal(authz_arns_build(&in, &a), 0);
		for (size_t k = 0; k < a.n; k++)
			sb_addf(&got, "%s%s", k ? " " : "", a.v[k]);
		if (strcmp(sb_str(&got), t->want) != 0)
			fail_msg("case %zu (%s): got \"%s\"", i, t->params,
			    sb_str(&got));
		authz_arns_free(&a);
		sb_free(&got);
		prm_free(&p);
	}
}

static void
test_arns_bounded(void **state)
{
	struct authz_arn_in in;
	struct authz_arns a;
	struct prm_list p;
	struct sb q = SB_INIT;

	(void)state;
	for (int i = 1; i <= AUTHZ_ARNS_MAX + 1; i++)
		sb_addf(&q, "%sInstanceId.%d=i-%d", i > 1 ? "&" : "", i, i);
	prm_init(&p);
	assert_int_equal(prm_parse(&p, sb_str(&q), q.len), 0);
	in = (struct authz_arn_in){ &p, "ecs", "X", "A", NULL };
	assert_int_equal(authz_arns_build(&in, &a), -ERR_INVALID_PARAMETER);
	assert_int_equal(a.n, 0);
	prm_free(&p);
	sb_free(&q);
}

/* ---- policies x requests through the pipeline ---- */

#define S(eff, act, res) "{\"Effect\":\"" eff "\",\"Action\":" act \
	",\"Resource\":" res "}"
#define SC(eff, act, cond) "{\"Effect\":\"" eff "\",\"Action\":" act \
	",\"Resource\":\"*\",\"Condition\":" cond "}"
#define DOC(a) "{\"Version\":\"1\",\"Statement\":[" a "]}"
#define DOC2(a, b) "{\"Version\":\"1\",\"Statement\":[" a "," b "]}"

static const struct pol_case {
	const char *doc;	/* NULL: no policy */
	const char *query;
	int status;
	const char *code;	/* "" for 200 */
	const char *nodeny;	/* for denials */
} pol_cases[] = {
	{ NULL, "Action=DescribeRegions&" ECS, 403, "Forbidden.RAM",
	  "ImplicitDeny" },
	{ DOC(S("Allow", "\"ecs:DescribeRegions\"", "\"*\"")),
	  "Action=DescribeRegions&" ECS, 200, "", NULL },
	/* Actions match without regard to case, with globs. */
	{ DOC(S("Allow", "\"ECS:describeregions\"", "\"*\"")),
	  "Action=DescribeRegions&" ECS, 200, "", NULL },
	{ DOC(S("Allow", "[\"vpc:*\",\"ecs:Describe*\"]", "\"*\"")),
	  "Action=DescribeZones&" ECSH, 200, "", NULL },
	{ DOC(S("Allow", "\"ecs:Describe?egions\"", "\"*\"")),
	  "Action=DescribeRegions&" ECS, 200, "", NULL },
	{ DOC(S("Allow", "\"vpc:*\"", "\"*\"")),
	  "Action=DescribeRegions&" ECS, 403, "Forbidden.RAM", "ImplicitDeny" },
	/* Deny beats Allow. */
	{ DOC2(S("Allow", "\"ecs:*\"", "\"*\""),
	      S("Deny", "\"ecs:DescribeRegions\"", "\"*\"")),
	  "Action=DescribeRegions&" ECS, 403, "Forbidden.RAM", "ExplicitDeny" },
	{ DOC2(S("Allow", "\"ecs:*\"", "\"*\""),
	      S("Deny", "\"ecs:DescribeRegions\"", "\"*\"")),
	  "Action=DescribeZones&" ECSH, 200, "", NULL },
	/* NotAction. */
	{ DOC("{\"Effect\":\"Allow\",\"NotAction\":\"ecs:DescribeRegions\","
	      "\"Resource\":\"*\"}"),
	  "Action=DescribeRegions&" ECS, 403, "Forbidden.RAM", "ImplicitDeny" },
	{ DOC("{\"Effect\":\"Allow\",\"NotAction\":\"ecs:DescribeRegions\","
	      "\"Resource\":\"*\"}"),
	  "Action=DescribeZones&" ECSH, 200, "", NULL },
	/* Region in the resource. */
	{ DOC(S("Allow", "\"ecs:DescribeZones\"", "\"acs:ecs:cn-hangzhou:*:*\"")),
	  "Action=DescribeZones&" ECSH, 200, "", NULL },
	{ DOC(S("Allow", "\"ecs:DescribeZones\"", "\"acs:ecs:cn-hangzhou:*:*\"")),
	  "Action=DescribeZones&" ECS "&RegionId=cn-shanghai", 403,
	  "Forbidden.RAM", "ImplicitDeny" },
	{ DOC(S("Allow", "\"ecs:DescribeRegions\"", "\"acs:ecs:cn-hangzhou:*:*\"")),
	  "Action=DescribeRegions&" ECS, 403, "Forbidden.RAM", "ImplicitDeny" },
	/* RAM says NoPermission; resources are user/group/role/policy. */
	{ DOC(S("Allow", "\"ram:Get*\"", "\"*\"")),
	  "Action=ListUsers&" RAMV, 403, "NoPermission", "ImplicitDeny" },
	{ DOC(S("Allow", "\"ram:ListUsers\"", "\"acs:ram:*:*:*\"")),
	  "Action=ListUsers&" RAMV, 200, "", NULL },
	{ DOC(S("Allow", "\"ram:CreateUser\"", "\"acs:ram:*:*:user/dev-*\"")),
	  "Action=CreateUser&" RAMV "&UserName=dev-1", 200, "", NULL },
	{ DOC(S("Allow", "\"ram:CreateUser\"", "\"acs:ram:*:*:user/dev-*\"")),
	  "Action=CreateUser&" RAMV "&UserName=ops-1", 403, "NoPermission",
	  "ImplicitDeny" },
	/* Conditions: the test client is 127.0.0.1, plain HTTP, no MFA. */
	{ DOC(SC("Allow", "\"ecs:*\"",
	      "{\"IpAddress\":{\"acs:SourceIp\":[\"10.0.0.0/8\",\"127.0.0.0/8\"]}}")),
	  "Action=DescribeRegions&" ECS, 200, "", NULL },
	{ DOC(SC("Allow", "\"ecs:*\"",
	      "{\"IpAddress\":{\"acs:SourceIp\":\"10.0.0.0/8\"}}")),
	  "Action=DescribeRegions&" ECS, 403, "Forbidden.RAM", "ImplicitDeny" },
	{ DOC2(S("Allow", "\"ecs:*\"", "\"*\""),
	      SC("Deny", "\"*\"",
	      "{\"NotIpAddress\":{\"acs:SourceIp\":\"10.0.0.0/8\"}}")),
	  "Action=DescribeRegions&" ECS, 403, "Forbidden.RAM", "ExplicitDeny" },
	{ DOC(SC("Allow", "\"ecs:*\"",
	      "{\"DateLessThan\":{\"acs:CurrentTime\":\"2020-01-01T00:00:00Z\"}}")),
	  "Action=DescribeRegions&" ECS, 403, "Forbidden.RAM", "ImplicitDeny" },
	{ DOC(SC("Allow", "\"ecs:*\"",
	      "{\"DateGreaterThan\":{\"acs:CurrentTime\":\"2020-01-01T00:00:00Z\"}}")),
	  "Action=DescribeRegions&" ECS, 200, "", NULL },
	{ DOC(SC("Allow", "\"ecs:*\"",
	      "{\"Bool\":{\"acs:SecureTransport\":\"true\"}}")),
	  "Action=DescribeRegions&" ECS, 403, "Forbidden.RAM", "ImplicitDeny" },
	{ DOC(SC("Allow", "\"ecs:*\"",
	      "{\"Bool\":{\"acs:MFAPresent\":\"false\"}}")),
	  "Action=DescribeRegions&" ECS, 200, "", NULL },
	{ DOC(SC("Allow", "\"ecs:*\"",
	      "{\"StringEquals\":{\"acs:SourceVpc\":\"vpc-1\"}}")),
	  "Action=DescribeRegions&" ECS, 403, "Forbidden.RAM", "ImplicitDeny" },
	/* An open action needs no policy. */
	{ NULL, "Action=GetCallerIdentity&Version=2015-04-01", 200, "", NULL },
	/* A Deny on it changes nothing (it is not authorized at all). */
	{ DOC(S("Deny", "\"*\"", "\"*\"")),
	  "Action=GetCallerIdentity&Version=2015-04-01", 200, "", NULL },
	{ DOC(S("Deny", "\"*\"", "\"*\"")),
	  "Action=AssumeRole&Version=2015-04-01&RoleArn=acs:ram::1:role/x"
	  "&RoleSessionName=abc", 403, "NoPermission", "ExplicitDeny" },
};

static void
test_policy_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pol_cases) / sizeof(pol_cases[0]); i++) {
		const struct pol_case *t = &pol_cases[i];
		struct ramtu_key k;
		char user[32], code[128];
		int st;

		snprintf(user, sizeof(user), "t%zu", i);
		aztu_user(user, t->doc, &k);
		ramtu_as(&k);
		if (t->nodeny) {
			aztu_denied(t->query, t->status, t->code, t->nodeny,
			    NULL);
		} else if ((st = aztu_status(t->query, code,
		    sizeof(code))) != t->status) {
			fail_msg("case %zu (%s): want %d, got %d %s", i,
			    t->query, t->status, st, code);
		}
		ramtu_as(NULL);
	}
}

/* The denial body, as documented for AccessDeniedDetail. */
static void
test_denial_body(void **state)
{
	struct ramtu_key k;
	struct tu_reply rp;
	json_t *u, *d;

	(void)state;
	aztu_user("dora", NULL, &k);
	u = ok("GetUser", "UserName", "dora", NULL);
	ramtu_as(&k);
	aztu_call(&rp, "Action=DescribeRegions&" ECS);
	assert_int_equal(rp.status, 403);
	assert_string_equal(jstr(rp.json, "HostId"), "ecs.aliyuncs.com");
	assert_string_equal(tu_message(&rp), "User not authorized to operate "
	    "on the specified resource, or this API doesn't support RAM.");
	d = json_object_get(rp.json, "AccessDeniedDetail");
	assert_string_equal(jstr(d, "AuthAction"), "ecs:DescribeRegions");
	assert_string_equal(jstr(d, "AuthPrincipalType"), "SubUser");
	assert_string_equal(jstr(d, "AuthPrincipalOwnerId"), env.account);
	assert_string_equal(jstr(d, "AuthPrincipalDisplayName"),
	    jstr(jget(u, "User", NULL), "UserId"));
	assert_string_equal(jstr(d, "PolicyType"),
	    "AccountLevelIdentityBasedPolicy");
	assert_string_equal(jstr(d, "NoPermissionType"), "ImplicitDeny");
	assert_int_equal(json_object_size(d), 6);
	tu_reply_free(&rp);
	/* RAM: NoPermission, saying which action and resource. */
	aztu_call(&rp, "Action=CreateUser&" RAMV "&UserName=eve");
	assert_int_equal(rp.status, 403);
	assert_string_equal(tu_code(&rp), "NoPermission");
	assert_string_equal(jstr(rp.json, "HostId"), "ram.aliyuncs.com");
	assert_non_null(strstr(tu_message(&rp), "You are not authorized to do "
	    "this action. You should be authorized by RAM. Action: "
	    "ram:CreateUser, Resource: acs:ram::"));
	assert_non_null(strstr(tu_message(&rp), ":user/eve"));
	assert_string_equal(jstr(json_object_get(rp.json,
	    "AccessDeniedDetail"), "AuthAction"), "ram:CreateUser");
	tu_reply_free(&rp);
	/* Success bodies carry none of it. */
	ramtu_as(NULL);
	aztu_call(&rp, "Action=DescribeRegions&" ECS);
	assert_int_equal(rp.status, 200);
	assert_null(json_object_get(rp.json, "AccessDeniedDetail"));
	tu_reply_free(&rp);
	json_decref(u);
}

/* ---- resource-level permission on one security group ---- */

static void
mksg(char *id, size_t len)
{
	json_t *j = aztu_ok("Action=CreateSecurityGroup&" ECSH);

	snprintf(id, len, "%s", jstr(j, "SecurityGroupId"));
	json_decref(j);
}

static void
test_one_security_group(void **state)
{
	struct ramtu_key k;
	char a[64], b[64], doc[1024], q[1024];

	(void)state;
	mksg(a, sizeof(a));
	mksg(b, sizeof(b));
	snprintf(doc, sizeof(doc), DOC("{\"Effect\":\"Allow\",\"Action\":"
	    "[\"ecs:AuthorizeSecurityGroup\",\"ecs:DescribeSecurityGroup*\"],"
	    "\"Resource\":\"acs:ecs:*:*:securitygroup/%s\"}"), a);
	aztu_user("sgadmin", doc, &k);
	ramtu_as(&k);
	snprintf(q, sizeof(q), "Action=AuthorizeSecurityGroup&" ECSH
	    "&SecurityGroupId=%s&IpProtocol=tcp&PortRange=22/22"
	    "&SourceCidrIp=10.0.0.0/8", a);
	json_decref(aztu_ok(q));
	snprintf(q, sizeof(q), "Action=AuthorizeSecurityGroup&" ECSH
	    "&SecurityGroupId=%s&IpProtocol=tcp&PortRange=22/22"
	    "&SourceCidrIp=10.0.0.0/8", b);
	aztu_denied(q, 403, "Forbidden.RAM", "ImplicitDeny", NULL);
	snprintf(q, sizeof(q), "Action=DescribeSecurityGroupAttribute&" ECSH
	    "&SecurityGroupId=%s", a);
	json_decref(aztu_ok(q));
	snprintf(q, sizeof(q), "Action=DescribeSecurityGroupAttribute&" ECSH
	    "&SecurityGroupId=%s", b);
	aztu_denied(q, 403, "Forbidden.RAM", "ImplicitDeny", NULL);
	/* A list naming both needs both. */
	snprintf(q, sizeof(q), "Action=DescribeSecurityGroups&" ECSH
	    "&SecurityGroupIds=%%5B%%22%s%%22%%5D", a);
	json_decref(aztu_ok(q));
	snprintf(q, sizeof(q), "Action=DescribeSecurityGroups&" ECSH
	    "&SecurityGroupIds=%%5B%%22%s%%22%%2C%%22%s%%22%%5D", a, b);
	aztu_denied(q, 403, "Forbidden.RAM", "ImplicitDeny", NULL);
	/* Listing every group is not a request on that one group. */
	aztu_denied("Action=DescribeSecurityGroups&" ECSH, 403,
	    "Forbidden.RAM", "ImplicitDeny", NULL);
	ramtu_as(NULL);
}

/* ---- the seed's groups (seed-spec §3) ---- */

#define DEV_DOC DOC(S("Allow", "[\"ecs:DescribeInstances\"," \
	"\"ecs:StartInstance\",\"ecs:StopInstance\",\"ecs:CreateInstance\"," \
	"\"ecs:DeleteInstance\"]", "\"*\""))

static void
test_groups_move(void **state)
{
	struct ramtu_key k;
	char sg[64];

	(void)state;
	ok0("CreateGroup", "GroupName", "Sysadmins", NULL);
	ok0("CreateGroup", "GroupName", "Developers", NULL);
	ok0("AttachPolicyToGroup", "PolicyType", "System", "PolicyName",
	    "AliyunECSFullAccess", "GroupName", "Sysadmins", NULL);
	ok0("CreatePolicy", "PolicyName", "DevEcs", "PolicyDocument", DEV_DOC,
	    NULL);
	ok0("AttachPolicyToGroup", "PolicyType", "Custom", "PolicyName",
	    "DevEcs", "GroupName", "Developers", NULL);
	aztu_user("alice", NULL, &k);
	ok0("AddUserToGroup", "GroupName", "Developers", "UserName", "alice",
	    NULL);
	ramtu_as(&k);
	json_decref(aztu_ok("Action=DescribeInstances&" ECSH));
	/* Authorized, then the instance is not there. */
	assert_int_equal(aztu_status("Action=StartInstance&" ECSH
	    "&InstanceId=i-nothere", NULL, 0), 404);
	aztu_denied("Action=CreateSecurityGroup&" ECSH, 403, "Forbidden.RAM",
	    "ImplicitDeny", NULL);
	aztu_denied("Action=DescribeSecurityGroups&" ECSH, 403, "Forbidden.RAM",
	    "ImplicitDeny", NULL);
	/* Moved to Sysadmins: the next request has the new rights. */
	ramtu_as(NULL);
	ok0("RemoveUserFromGroup", "GroupName", "Developers", "UserName",
	    "alice", NULL);
	ok0("AddUserToGroup", "GroupName", "Sysadmins", "UserName", "alice",
	    NULL);
	ramtu_as(&k);
	mksg(sg, sizeof(sg));
	json_decref(aztu_ok("Action=DescribeSecurityGroups&" ECSH));
	/* Sysadmins have ECS, not RAM. */
	aztu_denied("Action=ListUsers&" RAMV, 403, "NoPermission",
	    "ImplicitDeny", NULL);
	/* And back. */
	ramtu_as(NULL);
	ok0("RemoveUserFromGroup", "GroupName", "Sysadmins", "UserName",
	    "alice", NULL);
	ok0("AddUserToGroup", "GroupName", "Developers", "UserName", "alice",
	    NULL);
	ramtu_as(&k);
	aztu_denied("Action=CreateSecurityGroup&" ECSH, 403, "Forbidden.RAM",
	    "ImplicitDeny", NULL);
	json_decref(aztu_ok("Action=DescribeInstances&" ECSH));
	/* A policy detached from the group: gone at once. */
	ramtu_as(NULL);
	ok0("DetachPolicyFromGroup", "PolicyType", "Custom", "PolicyName",
	    "DevEcs", "GroupName", "Developers", NULL);
	ramtu_as(&k);
	aztu_denied("Action=DescribeInstances&" ECSH, 403, "Forbidden.RAM",
	    "ImplicitDeny", NULL);
	/* A new default version of a policy: effective at once. */
	ramtu_as(NULL);
	ok0("AttachPolicyToUser", "PolicyType", "Custom", "PolicyName",
	    "DevEcs", "UserName", "alice", NULL);
	ramtu_as(&k);
	json_decref(aztu_ok("Action=DescribeInstances&" ECSH));
	ramtu_as(NULL);
	ok0("CreatePolicyVersion", "PolicyName", "DevEcs", "PolicyDocument",
	    DOC(S("Allow", "\"ecs:StartInstance\"", "\"*\"")), "SetAsDefault",
	    "true", NULL);
	ramtu_as(&k);
	aztu_denied("Action=DescribeInstances&" ECSH, 403, "Forbidden.RAM",
	    "ImplicitDeny", NULL);
	ramtu_as(NULL);
}

/* ---- acs:SourceIp and acs:SecureTransport sources ---- */

static void
test_source_ip(void **state)
{
	struct ramtu_key k;
	struct tu_hdrs hs = { .n = 0 };
	struct tu_reply rp;

	(void)state;
	aztu_user("corp", DOC2(SC("Allow", "\"ecs:*\"", "{\"IpAddress\":"
	    "{\"acs:SourceIp\":\"203.0.113.0/24\"}}"), SC("Deny", "\"*\"",
	    "{\"NotIpAddress\":{\"acs:SourceIp\":\"203.0.113.0/24\"}}")), &k);
	ramtu_as(&k);
	/* The TCP peer. */
	aztu_denied("Action=DescribeRegions&" ECS, 403, "Forbidden.RAM",
	    "ExplicitDeny", NULL);
	aztu_ip = "203.0.113.9";
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	aztu_ip = "::ffff:203.0.113.9";
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	aztu_ip = "2001:db8::1";
	aztu_denied("Action=DescribeRegions&" ECS, 403, "Forbidden.RAM",
	    "ExplicitDeny", NULL);
	/* A forwarding header counts only when the operator trusts it. */
	aztu_ip = "127.0.0.1";
	tu_hdr_set(&hs, "X-Forwarded-For", "203.0.113.7");
	aztu_send("Action=DescribeRegions&" ECS, &hs, &rp);
	assert_int_equal(rp.status, 403);
	tu_reply_free(&rp);
	env.api->cfg.trusted_proxy_header = "x-forwarded-for";
	aztu_send("Action=DescribeRegions&" ECS, &hs, &rp);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	/* The last address is the one the proxy saw. */
	snprintf(hs.h[0].value, sizeof(hs.h[0].value), "10.9.9.9, 203.0.113.7");
	aztu_send("Action=DescribeRegions&" ECS, &hs, &rp);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	snprintf(hs.h[0].value, sizeof(hs.h[0].value), "203.0.113.7,10.9.9.9");
	aztu_send("Action=DescribeRegions&" ECS, &hs, &rp);
	assert_int_equal(rp.status, 403);
	tu_reply_free(&rp);
	/* No header behind the proxy: the peer. */
	aztu_send("Action=DescribeRegions&" ECS, NULL, &rp);
	assert_int_equal(rp.status, 403);
	tu_reply_free(&rp);
	env.api->cfg.trusted_proxy_header = NULL;

	/* HTTPS only as the trusted proxy reports it. */
	ramtu_as(NULL);
	aztu_user("tls", DOC(SC("Allow", "\"ecs:*\"",
	    "{\"Bool\":{\"acs:SecureTransport\":\"true\"}}")), &k);
	ramtu_as(&k);
	hs.n = 0;
	tu_hdr_set(&hs, "X-Forwarded-Proto", "https");
	aztu_send("Action=DescribeRegions&" ECS, &hs, &rp);
	assert_int_equal(rp.status, 403);
	tu_reply_free(&rp);
	env.api->cfg.trusted_proxy_header = "X-Real-IP";
	aztu_send("Action=DescribeRegions&" ECS, &hs, &rp);
	assert_int_equal(rp.status, 403);	/* no X-Real-IP: not proxied */
	tu_reply_free(&rp);
	tu_hdr_set(&hs, "X-Real-IP", "198.51.100.1");
	aztu_send("Action=DescribeRegions&" ECS, &hs, &rp);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	snprintf(hs.h[0].value, sizeof(hs.h[0].value), "http");
	aztu_send("Action=DescribeRegions&" ECS, &hs, &rp);
	assert_int_equal(rp.status, 403);
	tu_reply_free(&rp);
	env.api->cfg.trusted_proxy_header = NULL;
	aztu_ip = "127.0.0.1";
	ramtu_as(NULL);
}

/* ---- the cache: parse once, re-check after RAM writes, memo ---- */

static void
test_cache(void **state)
{
	struct authz_stats s0, s1, s2, s3, s4, s5;
	struct ramtu_key k;
	char sg[64], q[256];

	(void)state;
	aztu_user("cached", ALLOW_ECS, &k);
	ramtu_as(&k);
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	authz_stats(env.api->authz, &s0);
	for (int i = 0; i < 5; i++)
		json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	authz_stats(env.api->authz, &s1);
	assert_int_equal(s1.hits - s0.hits, 5);
	assert_int_equal(s1.memo_hits - s0.memo_hits, 5);
	assert_int_equal(s1.evals, s0.evals);
	assert_int_equal(s1.parses, s0.parses);
	/* Another resource, another client address: evaluated. */
	json_decref(aztu_ok("Action=DescribeZones&" ECSH));
	aztu_ip = "192.0.2.1";
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	aztu_ip = "127.0.0.1";
	authz_stats(env.api->authz, &s2);
	assert_int_equal(s2.evals - s1.evals, 2);
	/* A write of another product: the cache stays. */
	mksg(sg, sizeof(sg));
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	authz_stats(env.api->authz, &s3);
	assert_int_equal(s3.rechecks, s2.rechecks);
	assert_int_equal(s3.parses, s2.parses);
	assert_int_equal(s3.hits - s2.hits, 2);
	/* A RAM write elsewhere: documents re-read, not re-parsed. */
	ramtu_as(NULL);
	ok0("CreateUser", "UserName", "bystander", NULL);
	ramtu_as(&k);
	snprintf(q, sizeof(q), "Action=DescribeSecurityGroupAttribute&" ECSH
	    "&SecurityGroupId=%s", sg);
	json_decref(aztu_ok(q));
	authz_stats(env.api->authz, &s4);
	assert_int_equal(s4.rechecks - s3.rechecks, 1);
	assert_int_equal(s4.parses, s3.parses);
	/* A new policy on the user: both documents parsed again. */
	ramtu_as(NULL);
	ok0("AttachPolicyToUser", "PolicyType", "System", "PolicyName",
	    "AliyunRAMReadOnlyAccess", "UserName", "cached", NULL);
	ramtu_as(&k);
	json_decref(aztu_ok("Action=ListUsers&" RAMV));
	authz_stats(env.api->authz, &s5);
	assert_int_equal(s5.parses - s4.parses, 2);
	assert_true(s5.sets >= 1);
	ramtu_as(NULL);
}

/* A policy on acs:CurrentTime: the clock is part of the memo key. */
static void
test_memo_time(void **state)
{
	struct ramtu_key k;

	(void)state;
	aztu_user("timed", DOC(SC("Allow", "\"ecs:*\"", "{\"DateLessThan\":"
	    "{\"acs:CurrentTime\":\"2026-11-18T12:00:00Z\"}}")), &k);
	ramtu_as(&k);
	/* RAMTU_NOW is 2026-11-18T11:06:40Z. */
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	env.now += 3600;
	api_set_fixed_now(env.api, env.now);
	aztu_denied("Action=DescribeRegions&" ECS, 403, "Forbidden.RAM",
	    "ImplicitDeny", NULL);
	env.now -= 3600;
	api_set_fixed_now(env.api, env.now);
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	ramtu_as(NULL);
}

/* ---- keys: inactive or deleted stop at once, cache or not ---- */

static void
test_key_states(void **state)
{
	struct ramtu_key k;

	(void)state;
	aztu_user("keyed", ALLOW_ECS, &k);
	ramtu_as(&k);
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	ramtu_as(NULL);
	ok0("UpdateAccessKey", "UserName", "keyed", "UserAccessKeyId", k.id,
	    "Status", "Inactive", NULL);
	ramtu_as(&k);
	aztu_denied("Action=DescribeRegions&" ECS, 403,
	    "Forbidden.AccessKeyDisabled", NULL, NULL);
	ramtu_as(NULL);
	ok0("UpdateAccessKey", "UserName", "keyed", "UserAccessKeyId", k.id,
	    "Status", "Active", NULL);
	ramtu_as(&k);
	json_decref(aztu_ok("Action=DescribeRegions&" ECS));
	ramtu_as(NULL);
	ok0("DeleteAccessKey", "UserName", "keyed", "UserAccessKeyId", k.id,
	    NULL);
	ramtu_as(&k);
	aztu_denied("Action=DescribeRegions&" ECS, 404,
	    "InvalidAccessKeyId.NotFound", NULL, NULL);
	ramtu_as(NULL);
}

/* ---- ram:PassRole when an instance gets a role ---- */

#define ECS_TRUST "{\"Statement\":[{\"Action\":\"sts:AssumeRole\"," \
	"\"Effect\":\"Allow\",\"Principal\":{\"Service\":" \
	"[\"ecs.aliyuncs.com\"]}}],\"Version\":\"1\"}"

static void
run_with_role(const char *action, const char *vsw, const char *role, int st,
    const char *code)
{
	char q[1024], got[128];
	int s;

	snprintf(q, sizeof(q), "Action=%s&" ECSH "&InstanceType=ecs.g6.large"
	    "&ImageId=img1&VSwitchId=%s&RamRoleName=%s", action, vsw, role);
	s = aztu_status(q, got, sizeof(got));
	if (s != st || strcmp(got, code) != 0)
		fail_msg("%s %s: want %d %s, got %d %s", action, role, st, code,
		    s, got);
}

static void
test_pass_role(void **state)
{
	char trust[512], vpc[64], vsw[64], q[512];
	struct ramtu_key k;
	json_t *j;

	(void)state;
	snprintf(trust, sizeof(trust), "{\"Statement\":[{\"Action\":"
	    "\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"RAM\":"
	    "[\"acs:ram::%s:root\"]}}],\"Version\":\"1\"}", env.account);
	ok0("CreateRole", "RoleName", "EcsRole", "AssumeRolePolicyDocument",
	    ECS_TRUST, NULL);
	ok0("CreateRole", "RoleName", "UserRole", "AssumeRolePolicyDocument",
	    trust, NULL);
	j = aztu_ok("Action=CreateVpc&Version=2016-04-28&RegionId=cn-hangzhou"
	    "&CidrBlock=10.0.0.0/16");
	snprintf(vpc, sizeof(vpc), "%s", jstr(j, "VpcId"));
	json_decref(j);
	snprintf(q, sizeof(q), "Action=CreateVSwitch&Version=2016-04-28"
	    "&RegionId=cn-hangzhou&VpcId=%s&ZoneId=cn-hangzhou-b"
	    "&CidrBlock=10.0.1.0/24", vpc);
	j = aztu_ok(q);
	snprintf(vsw, sizeof(vsw), "%s", jstr(j, "VSwitchId"));
	json_decref(j);
	/* The root needs no PassRole; the role must exist and trust ECS. */
	run_with_role("RunInstances", vsw, "EcsRole", 200, "");
	run_with_role("RunInstances", vsw, "ecsrole", 200, "");
	run_with_role("RunInstances", vsw, "UserRole", 401,
	    "InvalidRamRole.NotEcsRole");
	run_with_role("CreateInstance", vsw, "NoSuchRole", 404,
	    "InvalidRamRole.NotFound");
	/* A user with ECS rights but no PassRole. */
	aztu_user("launcher", ALLOW_ECS, &k);
	ok0("AttachPolicyToUser", "PolicyType", "System", "PolicyName",
	    "AliyunVPCFullAccess", "UserName", "launcher", NULL);
	ramtu_as(&k);
	run_with_role("RunInstances", vsw, "EcsRole", 403, "Forbidden.RAM");
	run_with_role("CreateInstance", vsw, "EcsRole", 403, "Forbidden.RAM");
	/* Without a role nothing is passed. */
	snprintf(q, sizeof(q), "Action=RunInstances&" ECSH "&InstanceType="
	    "ecs.g6.large&ImageId=img1&VSwitchId=%s", vsw);
	json_decref(aztu_ok(q));
	/* PassRole on that one role. */
	ramtu_as(NULL);
	ok0("CreatePolicy", "PolicyName", "PassEcsRole", "PolicyDocument",
	    DOC(S("Allow", "\"ram:PassRole\"", "\"acs:ram:*:*:role/EcsRole\"")),
	    NULL);
	ok0("AttachPolicyToUser", "PolicyType", "Custom", "PolicyName",
	    "PassEcsRole", "UserName", "launcher", NULL);
	ramtu_as(&k);
	run_with_role("RunInstances", vsw, "EcsRole", 200, "");
	run_with_role("CreateInstance", vsw, "EcsRole", 200, "");
	run_with_role("RunInstances", vsw, "UserRole", 403, "Forbidden.RAM");
	/* PassRole on every role: the other checks speak. */
	ramtu_as(NULL);
	ok0("CreatePolicy", "PolicyName", "PassAll", "PolicyDocument",
	    DOC(S("Allow", "\"ram:PassRole\"", "\"*\"")), NULL);
	ok0("AttachPolicyToUser", "PolicyType", "Custom", "PolicyName",
	    "PassAll", "UserName", "launcher", NULL);
	ramtu_as(&k);
	run_with_role("RunInstances", vsw, "UserRole", 401,
	    "InvalidRamRole.NotEcsRole");
	run_with_role("RunInstances", vsw, "Nope", 404,
	    "InvalidRamRole.NotFound");
	ramtu_as(NULL);
}

/* ---- another account sees nothing of this one ---- */

static void
test_cross_account(void **state)
{
	struct ramtu_key b, bu;
	char acct_b[32], sg[64], mine[64], q[512];
	json_t *j;

	(void)state;
	mksg(sg, sizeof(sg));
	ramtu_other_account(&b, acct_b);
	ramtu_as(&b);
	snprintf(q, sizeof(q), "Action=DescribeSecurityGroupAttribute&" ECSH
	    "&SecurityGroupId=%s", sg);
	assert_int_equal(aztu_status(q, NULL, 0), 404);
	snprintf(q, sizeof(q), "Action=AuthorizeSecurityGroup&" ECSH
	    "&SecurityGroupId=%s&IpProtocol=tcp&PortRange=22/22"
	    "&SourceCidrIp=0.0.0.0/0", sg);
	assert_int_equal(aztu_status(q, NULL, 0), 404);
	snprintf(q, sizeof(q), "Action=DeleteSecurityGroup&" ECSH
	    "&SecurityGroupId=%s", sg);
	assert_int_equal(aztu_status(q, NULL, 0), 404);
	j = aztu_ok("Action=DescribeSecurityGroups&" ECSH);
	assert_int_equal(json_integer_value(json_object_get(j, "TotalCount")),
	    0);
	json_decref(j);
	/* Nor can a rule of B's reference A's group. */
	mksg(mine, sizeof(mine));
	snprintf(q, sizeof(q), "Action=AuthorizeSecurityGroup&" ECSH
	    "&SecurityGroupId=%s&IpProtocol=tcp&PortRange=22/22"
	    "&SourceGroupId=%s", mine, sg);
	assert_int_equal(aztu_status(q, NULL, 0) / 100, 4);
	assert_int_not_equal(aztu_status(q, NULL, 0), 200);
	/* B's RAM users have B's policies, not A's. */
	ok0("CreateUser", "UserName", "bob", NULL);
	ok0("AttachPolicyToUser", "PolicyType", "System", "PolicyName",
	    "AliyunECSFullAccess", "UserName", "bob", NULL);
	ramtu_user_key("bob", &bu);
	ramtu_as(&bu);
	snprintf(q, sizeof(q), "Action=DescribeSecurityGroupAttribute&" ECSH
	    "&SecurityGroupId=%s", sg);
	assert_int_equal(aztu_status(q, NULL, 0), 404);
	snprintf(q, sizeof(q), "Action=DescribeSecurityGroupAttribute&" ECSH
	    "&SecurityGroupId=%s", mine);
	json_decref(aztu_ok(q));
	/* A's root does not see B's group either. */
	ramtu_as(NULL);
	assert_int_equal(aztu_status(q, NULL, 0), 404);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arns),
		cmocka_unit_test(test_arns_bounded),
#define T(f) cmocka_unit_test_setup_teardown(f, ramtu_setup, ramtu_teardown)
		T(test_policy_table),
		T(test_denial_body),
		T(test_one_security_group),
		T(test_groups_move),
		T(test_source_ip),
		T(test_cache),
		T(test_memo_time),
		T(test_key_states),
		T(test_pass_role),
		T(test_cross_account),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
