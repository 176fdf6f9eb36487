/*
 * sg_test: security groups in-process through api_handle() with a real
 * store — Create/Delete/Describe/Modify*, DescribeSecurityGroupReferences,
 * the tag actions, with every error Code and HTTP status; and the sgdb
 * glue the instance/ENI actions use (memberships with each of their
 * limits, the default group). Rules have their own suite (sg_rule_test.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/err.h"
#include "sg/sgdb.h"
#include "sgtu.h"

#define CREATE "CreateSecurityGroup&RegionId=cn-hangzhou"

static void
test_create_errors(void **state)
{
	char vpc[64], big[400];

	(void)state;
	mkvpc(vpc);
	bad(404, "InvalidRegionId.NotFound", "CreateSecurityGroup&RegionId=x");
	bad(400, "MissingParameter", "CreateSecurityGroup");
	bad(404, "InvalidVpcId.NotFound", CREATE "&VpcId=vpc-nope");
	bad(403, "InvalidVpcId.NotFound", CREATE
	    "&SecurityGroupType=enterprise");
	bad(400, "InvalidSecurityGroupType.Malformed", CREATE
	    "&SecurityGroupType=advanced");
	bad(400, "InvalidSecurityGroupName.Malformed", CREATE
	    "&SecurityGroupName=1abc");
	bad(400, "InvalidSecurityGroupName.Malformed", CREATE
	    "&SecurityGroupName=a");
	bad(400, "InvalidSecurityGroupName.Malformed", CREATE
	    "&SecurityGroupName=http://x");
	bad(400, "InvalidSecurityGroupName.Malformed", CREATE
	    "&SecurityGroupName=a%%20b");
	memset(big, 'n', 129);
	big[129] = '\0';
	bad(400, "InvalidSecurityGroupName.Malformed", CREATE
	    "&SecurityGroupName=%s", big);
	bad(400, "InvalidSecurityGroupDiscription.Malformed", CREATE
	    "&Description=x");
	bad(400, "InvalidSecurityGroupDiscription.Malformed", CREATE
	    "&Description=https://example.com");
	memset(big, 'd', 257);
	big[257] = '\0';
	bad(400, "InvalidSecurityGroupDiscription.Malformed", CREATE
	    "&Description=%s", big);
	bad(400, "InvalidTagKey.Malformed", CREATE "&Tag.1.Key=aliyunx");
	bad(400, "InvalidTagKey.Malformed", CREATE "&Tag.1.Key=acs:x");
	bad(400, "InvalidTagKey.Malformed", CREATE "&Tag.1.Key=&Tag.1.Value=v");
	bad(400, "InvalidTagValue.Malformed", CREATE
	    "&Tag.1.Key=k&Tag.1.Value=see+http://x");
	bad(400, "Duplicate.TagKey", CREATE "&Tag.1.Key=k&Tag.2.Key=k");
	bad(400, "NumberExceed.Tags", CREATE "&Tag.21.Key=k");
	/* Nothing was created. */
	assert_int_equal(nrows("sg", NULL), 0);
	/* Quota per account and region. */
	env.api->cfg.sg_quota = 2;
	json_decref(ok(CREATE));
	json_decref(ok(CREATE "&VpcId=%s", vpc));
	bad(403, "QuotaExceed.SecurityGroup", CREATE);
	json_decref(ok("CreateSecurityGroup&RegionId=cn-shanghai"));
	sgtu_other_account();
	sgtu_as_other(1);
	json_decref(ok(CREATE));
	sgtu_as_other(0);
}

static void
test_create_describe(void **state)
{
	char vpc[64], a[64], b[64], c[64], q[256];
	json_t *j, *g, *l;

	(void)state;
	mkvpc(vpc);
	snprintf(q, sizeof(q), "&VpcId=%s&SecurityGroupName=web.tier:1_a-b&"
	    "Description=front+end&Tag.1.Key=env&Tag.1.Value=prod&"
	    "ResourceGroupId=rg-1", vpc);
	mksg(q, a);
	mksg("&SecurityGroupName=%E6%B5%8B%E8%AF%95%E7%BB%84", b);
	snprintf(q, sizeof(q), "&VpcId=%s&SecurityGroupType=enterprise", vpc);
	mksg(q, c);
	/* Terraform's read: SecurityGroupId=<id>, fields and Tags.Tag. */
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&SecurityGroupId=%s",
	    a);
	assert_int_equal(jint(j, "TotalCount"), 1);
	assert_int_equal(jint(j, "PageNumber"), 1);
	assert_int_equal(jint(j, "PageSize"), 10);
	g = json_array_get(jlist(j, "SecurityGroups", "SecurityGroup"), 0);
	assert_string_equal(jstr(g, "SecurityGroupId"), a);
	assert_string_equal(jstr(g, "SecurityGroupName"), "web.tier:1_a-b");
	assert_string_equal(jstr(g, "Description"), "front end");
	assert_string_equal(jstr(g, "VpcId"), vpc);
	assert_string_equal(jstr(g, "SecurityGroupType"), "normal");
	assert_string_equal(jstr(g, "ResourceGroupId"), "rg-1");
	assert_string_equal(jstr(g, "CreationTime"), "2026-11-18T11:06:40Z");
	assert_true(json_is_false(json_object_get(g, "ServiceManaged")));
	assert_null(json_object_get(g, "IsDefault"));
	assert_null(json_object_get(g, "EcsCount"));
	l = jlist(g, "Tags", "Tag");
	assert_int_equal(json_array_size(l), 1);
	assert_string_equal(jstr(json_array_get(l, 0), "TagKey"), "env");
	assert_string_equal(jstr(json_array_get(l, 0), "TagValue"), "prod");
	json_decref(j);
	/* An unknown id: an empty (still wrapped) list. */
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&"
	    "SecurityGroupId=sg-nope");
	assert_int_equal(json_array_size(jlist(j, "SecurityGroups",
	    "SecurityGroup")), 0);
	json_decref(j);
	/* Filters. */
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&SecurityGroupIds="
	    "%%5B%%22%s%%22%%2C%%22%s%%22%%5D", b, c);
	assert_int_equal(jint(j, "TotalCount"), 2);
	json_decref(j);
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&VpcId=%s", vpc);
	assert_int_equal(jint(j, "TotalCount"), 2);
	json_decref(j);
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&"
	    "NetworkType=classic");
	assert_int_equal(jint(j, "TotalCount"), 1);
	g = json_array_get(jlist(j, "SecurityGroups", "SecurityGroup"), 0);
	assert_string_equal(jstr(g, "SecurityGroupName"), "测试组");
	assert_int_equal(json_array_size(jlist(g, "Tags", "Tag")), 0);
	json_decref(j);
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&"
	    "SecurityGroupType=enterprise&IsQueryEcsCount=true");
	assert_int_equal(jint(j, "TotalCount"), 1);
	g = json_array_get(jlist(j, "SecurityGroups", "SecurityGroup"), 0);
	assert_int_equal(jint(g, "EcsCount"), 0);
	assert_int_equal(jint(g, "AvailableInstanceAmount"), 50000);
	json_decref(j);
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&Tag.1.Key=env");
	assert_int_equal(jint(j, "TotalCount"), 1);
	json_decref(j);
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&Tag.1.Key=env&"
	    "Tag.1.Value=dev");
	assert_int_equal(jint(j, "TotalCount"), 0);
	json_decref(j);
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&"
	    "SecurityGroupName=web.tier:1_a-b");
	assert_int_equal(jint(j, "TotalCount"), 1);
	json_decref(j);
	/* Another region, another account: nothing. */
	j = ok("DescribeSecurityGroups&RegionId=cn-shanghai");
	assert_int_equal(jint(j, "TotalCount"), 0);
	json_decref(j);
	sgtu_other_account();
	sgtu_as_other(1);
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou");
	assert_int_equal(jint(j, "TotalCount"), 0);
	json_decref(j);
	bad(404, "InvalidSecurityGroupId.NotFound", "DeleteSecurityGroup&"
	    "RegionId=cn-hangzhou&SecurityGroupId=%s", a);
	sgtu_as_other(0);
	bad(400, "DryRunOperation", "DescribeSecurityGroups&RegionId="
	    "cn-hangzhou&DryRun=true");
	bad(400, "InvalidParameter", "DescribeSecurityGroups&RegionId="
	    "cn-hangzhou&PageSize=51");
	bad(404, "InvalidRegionId.NotFound",
	    "DescribeSecurityGroups&RegionId=x");
}

static void
test_describe_paging(void **state)
{
	char id[64], tok[64];
	json_t *j;

	(void)state;
	for (int i = 0; i < 5; i++)
		mksg("", id);
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&PageSize=2&"
	    "PageNumber=3");
	assert_int_equal(jint(j, "TotalCount"), 5);
	assert_int_equal(json_array_size(jlist(j, "SecurityGroups",
	    "SecurityGroup")), 1);
	json_decref(j);
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&MaxResults=3");
	assert_null(json_object_get(j, "TotalCount"));
	assert_int_equal(json_array_size(jlist(j, "SecurityGroups",
	    "SecurityGroup")), 3);
	snprintf(tok, sizeof(tok), "%s", jstr(j, "NextToken"));
	json_decref(j);
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&MaxResults=3&"
	    "NextToken=%s", tok);
	assert_int_equal(json_array_size(jlist(j, "SecurityGroups",
	    "SecurityGroup")), 2);
	assert_string_equal(jstr(j, "NextToken"), "");
	json_decref(j);
	bad(400, "InvalidParameter", "DescribeSecurityGroups&RegionId="
	    "cn-hangzhou&NextToken=garbage");
	bad(400, "InvalidParameter", "DescribeSecurityGroups&RegionId="
	    "cn-hangzhou&MaxResults=101");
}

static void
test_modify_and_policy(void **state)
{
	char vpc[64], a[64], e[64], q[128];
	json_t *j;

	(void)state;
	mkvpc(vpc);
	mksg("&SecurityGroupName=old&Description=old+text", a);
	snprintf(q, sizeof(q), "&VpcId=%s&SecurityGroupType=enterprise", vpc);
	mksg(q, e);
	json_decref(ok("ModifySecurityGroupAttribute&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&SecurityGroupName=new", a));
	j = perms(a, "");
	assert_string_equal(jstr(j, "SecurityGroupName"), "new");
	assert_string_equal(jstr(j, "Description"), "old text");
	json_decref(j);
	bad(400, "InvalidSecurityGroupName.Malformed", "ModifySecurityGroup"
	    "Attribute&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    "SecurityGroupName=_x", a);
	bad(400, "InvalidSecurityGroupDiscription.Malformed", "ModifySecurity"
	    "GroupAttribute&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    "Description=http://x", a);
	bad(404, "InvalidSecurityGroupId.NotFound", "ModifySecurityGroup"
	    "Attribute&RegionId=cn-hangzhou&SecurityGroupId=sg-nope");
	json_decref(ok("ModifySecurityGroupPolicy&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&InnerAccessPolicy=dRoP", a));
	j = perms(a, "");
	assert_string_equal(jstr(j, "InnerAccessPolicy"), "Drop");
	json_decref(j);
	bad(400, "InvalidPolicy.Malformed", "ModifySecurityGroupPolicy&"
	    "RegionId=cn-hangzhou&SecurityGroupId=%s&InnerAccessPolicy=allow",
	    a);
	bad(400, "MissingParameter", "ModifySecurityGroupPolicy&RegionId="
	    "cn-hangzhou&SecurityGroupId=%s", a);
	bad(400, "InvalidParameter.InnerAccessPolicy", "ModifySecurityGroup"
	    "Policy&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    "InnerAccessPolicy=Accept", e);
	bad(404, "InvalidSecurityGroupId.NotFound", "ModifySecurityGroupPolicy&"
	    "RegionId=cn-hangzhou&SecurityGroupId=sg-nope&"
	    "InnerAccessPolicy=Drop");
	/* Same ClientToken, same parameters: the first answer again. */
	j = ok(CREATE "&ClientToken=tok-1");
	snprintf(q, sizeof(q), "%s", jstr(j, "SecurityGroupId"));
	json_decref(j);
	j = ok(CREATE "&ClientToken=tok-1");
	assert_string_equal(jstr(j, "SecurityGroupId"), q);
	json_decref(j);
}

static void
test_references(void **state)
{
	char a[64], b[64], q[2048];
	size_t n;
	json_t *j, *l;

	(void)state;
	mksg("", a);
	mksg("", b);
	json_decref(ok("AuthorizeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=all&SourceGroupId=%s", b, a));
	json_decref(ok("AuthorizeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=tcp&PortRange=1/2&SourceGroupId=%s",
	    b, a));
	j = ok("DescribeSecurityGroupReferences&RegionId=cn-hangzhou&"
	    "SecurityGroupId.1=%s&SecurityGroupId.2=%s", a, b);
	l = jlist(j, "SecurityGroupReferences", "SecurityGroupReference");
	assert_int_equal(json_array_size(l), 2);
	/* Two rules, one referring group. */
	assert_int_equal(json_array_size(jlist(json_array_get(l, 0),
	    "ReferencingSecurityGroups", "ReferencingSecurityGroup")), 1);
	assert_int_equal(json_array_size(jlist(json_array_get(l, 1),
	    "ReferencingSecurityGroups", "ReferencingSecurityGroup")), 0);
	json_decref(j);
	bad(403, "DependencyViolation", "DeleteSecurityGroup&RegionId="
	    "cn-hangzhou&SecurityGroupId=%s", a);
	{
		struct tu_reply rp;

		ecs(&rp, "DeleteSecurityGroup&RegionId=cn-hangzhou&"
		    "SecurityGroupId=%s", a);
		assert_string_equal(tu_message(&rp), "The specified security "
		    "group has been authorized in another one.");
		tu_reply_free(&rp);
	}
	bad(400, "InvalidSecurityGroupId.Malformed", "DescribeSecurityGroup"
	    "References&RegionId=cn-hangzhou");
	n = (size_t)snprintf(q, sizeof(q), "DescribeSecurityGroupReferences&"
	    "RegionId=cn-hangzhou");
	for (int i = 1; i <= 11; i++)
		n += (size_t)snprintf(q + n, sizeof(q) - n,
		    "&SecurityGroupId.%d=%s", i, a);
	bad(400, "InvalidSecurityGroupId.Malformed", "%s", q);
	bad(404, "InvalidSecurityGroupId.NotFound", "DescribeSecurityGroup"
	    "References&RegionId=cn-hangzhou&SecurityGroupId.1=sg-nope");
	/* Deleting b frees a. */
	json_decref(ok("DeleteSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s", b));
	json_decref(ok("DeleteSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s", a));
	bad(404, "InvalidSecurityGroupId.NotFound", "DeleteSecurityGroup&"
	    "RegionId=cn-hangzhou&SecurityGroupId=%s", a);
	assert_int_equal(nrows("sg", NULL) + nrows("sgrule", NULL) +
	    nrows("sgref", NULL), 0);
}

#define TAGS "RegionId=cn-hangzhou&ResourceType=securitygroup"

static void
test_tags(void **state)
{
	char a[64], b[64], q[2048];
	size_t n;
	json_t *j, *l;

	(void)state;
	mksg("&Tag.1.Key=keep&Tag.1.Value=1", a);
	mksg("", b);
	json_decref(ok("TagResources&" TAGS "&ResourceId.1=%s&ResourceId.2=%s&"
	    "Tag.1.Key=env&Tag.1.Value=prod&Tag.2.Key=team&Tag.2.Value=",
	    a, b));
	json_decref(ok("TagResources&" TAGS "&ResourceId.1=%s&Tag.1.Key=env&"
	    "Tag.1.Value=dev", a));
	j = ok("ListTagResources&" TAGS "&ResourceId.1=%s", a);
	l = jlist(j, "TagResources", "TagResource");
	assert_int_equal(json_array_size(l), 3);
	assert_string_equal(jstr(json_array_get(l, 1), "TagKey"), "env");
	assert_string_equal(jstr(json_array_get(l, 1), "TagValue"), "dev");
	assert_string_equal(jstr(json_array_get(l, 1), "ResourceType"),
	    "securitygroup");
	assert_string_equal(jstr(json_array_get(l, 1), "ResourceId"), a);
	json_decref(j);
	j = ok("ListTagResources&" TAGS "&Tag.1.Key=team");
	assert_int_equal(json_array_size(jlist(j, "TagResources",
	    "TagResource")), 5);
	json_decref(j);
	json_decref(ok("UntagResources&" TAGS "&ResourceId.1=%s&TagKey.1=env&"
	    "TagKey.2=nothere", a));
	json_decref(ok("UntagResources&" TAGS "&ResourceId.1=%s&All=true", b));
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&SecurityGroupId=%s",
	    a);
	l = jlist(json_array_get(jlist(j, "SecurityGroups", "SecurityGroup"),
	    0), "Tags", "Tag");
	assert_int_equal(json_array_size(l), 2);
	json_decref(j);
	j = ok("ListTagResources&" TAGS "&ResourceId.1=%s", b);
	assert_int_equal(json_array_size(jlist(j, "TagResources",
	    "TagResource")), 0);
	json_decref(j);
	/* Errors. */
	bad(404, "MissingParameter.ResourceType", "TagResources&RegionId="
	    "cn-hangzhou&ResourceId.1=%s&Tag.1.Key=k", a);
	bad(404, "InvalidResourceType.NotFound", "TagResources&RegionId="
	    "cn-hangzhou&ResourceType=disk&ResourceId.1=%s&Tag.1.Key=k", a);
	bad(404, "InvalidResourceId.NotFound", "TagResources&" TAGS
	    "&ResourceId.1=sg-nope&Tag.1.Key=k");
	bad(404, "MissingParameter.Tags", "TagResources&" TAGS
	    "&ResourceId.1=%s", a);
	bad(400, "MissingParameter", "TagResources&" TAGS "&Tag.1.Key=k");
	bad(400, "NumberExceed.ResourceIds", "TagResources&" TAGS
	    "&ResourceId.51=%s&Tag.1.Key=k", a);
	bad(400, "NumberExceed.Tags", "UntagResources&" TAGS
	    "&ResourceId.1=%s&TagKey.21=k", a);
	bad(400, "InvalidTagKey.Malformed", "TagResources&" TAGS
	    "&ResourceId.1=%s&Tag.1.Key=aliyun-x", a);
	bad(400, "Duplicate.TagKey", "TagResources&" TAGS
	    "&ResourceId.1=%s&Tag.1.Key=k&Tag.2.Key=k", a);
	bad(404, "InvalidResourceId.NotFound", "UntagResources&" TAGS
	    "&ResourceId.1=sg-nope&All=true");
	bad(400, "MissingParameter", "ListTagResources&" TAGS);
	bad(400, "InvalidParameter", "ListTagResources&" TAGS
	    "&ResourceId.1=%s&NextToken=x", a);
	n = (size_t)snprintf(q, sizeof(q), "TagResources&" TAGS
	    "&ResourceId.1=%s", b);
	for (int i = 1; i <= 20; i++)
		n += (size_t)snprintf(q + n, sizeof(q) - n, "&Tag.%d.Key=k%d",
		    i, i);
	json_decref(ok("%s", q));
	bad(400, "OperationDenied.QuotaExceed", "TagResources&" TAGS
	    "&ResourceId.1=%s&Tag.1.Key=one-more", b);
	/* 20 tags on b: two pages of ListTagResources with Tag.1 = k1. */
	j = ok("ListTagResources&" TAGS "&Tag.1.Key=k1");
	assert_int_equal(json_array_size(jlist(j, "TagResources",
	    "TagResource")), 20);
	assert_string_equal(jstr(j, "NextToken"), "");
	json_decref(j);
}

/* An ENI row as the ENI actions would store it. */
static void
mkeni(struct store_res *eni, const char *id, const char *type,
    const char *vpc, const char *inst)
{
	memset(eni, 0, sizeof(*eni));
	snprintf(eni->id, sizeof(eni->id), "%s", id);
	snprintf(eni->kind, sizeof(eni->kind), "eni");
	snprintf(eni->account, sizeof(eni->account), "%s", env.account);
	snprintf(eni->region, sizeof(eni->region), "cn-hangzhou");
	eni->doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[]}",
	    "NetworkInterfaceId", id, "Type", type, "VpcId", vpc,
	    "InstanceId", inst, "PrivateIpAddress", "10.0.0.5",
	    "SecurityGroupIds");
}

/* sgdb_member_add in its own transaction; returns the error. */
static int
join(struct store_res *eni, const char *sg)
{
	char detail[256] = "";
	int r;

	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	r = sgdb_member_add(env.st, &env.api->cfg, eni, sg, detail);
	if (r == 0)
		assert_int_equal(store_tx_commit(env.st), 0);
	else
		store_tx_abort(env.st);
	return r;
}

static void
expect_err(int r, int status, const char *code)
{
	assert_true(r < 0);
	assert_int_equal(err_status(r), status);
	assert_string_equal(err_code_str(r), code);
}

static void
test_membership(void **state)
{
	char vpc[64], vpc2[64], g[6][64], e[64], far[64], q[128];
	struct store_res eni, eni2, eni3, inst, got;
	json_t *ids;
	struct tu_reply rp;

	(void)state;
	mkvpc(vpc);
	mkvpc(vpc2);
	snprintf(q, sizeof(q), "&VpcId=%s", vpc);
	for (int i = 0; i < 6; i++)
		mksg(q, g[i]);
	snprintf(q, sizeof(q), "&VpcId=%s&SecurityGroupType=enterprise", vpc);
	mksg(q, e);
	snprintf(q, sizeof(q), "&VpcId=%s", vpc2);
	mksg(q, far);
	/* An instance row whose groups mirror its primary ENI's. */
	memset(&inst, 0, sizeof(inst));
	snprintf(inst.id, sizeof(inst.id), "i-test");
	snprintf(inst.kind, sizeof(inst.kind), "instance");
	snprintf(inst.account, sizeof(inst.account), "%s", env.account);
	snprintf(inst.region, sizeof(inst.region), "cn-hangzhou");
	inst.doc = json_pack("{s:s}", "InstanceId", "i-test");
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(store_res_put(env.st, &inst), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
	store_res_clear(&inst);
	mkeni(&eni, "eni-primary", "Primary", vpc, "i-test");
	mkeni(&eni2, "eni-second", "Secondary", vpc, "");
	for (int i = 0; i < 5; i++)
		assert_int_equal(join(&eni, g[i]), 0);
	expect_err(join(&eni, g[0]), 403, "InvalidInstanceId.AlreadyExists");
	expect_err(join(&eni, g[5]), 400, "InstanceSecurityGroupLimitExceeded");
	expect_err(join(&eni, far), 400, "InvalidInstanceId.Mismatch");
	expect_err(join(&eni2, far), 403, "InvalidOperation.VpcMismatch");
	expect_err(join(&eni, "sg-nope"), 404,
	    "InvalidSecurityGroupId.NotFound");
	assert_int_equal(join(&eni2, e), 0);
	expect_err(join(&eni2, g[0]), 403, "InvalidSecurityGroup.TypeConflict");
	/* The instance mirrors the primary ENI; the ENI row is stored. */
	assert_int_equal(store_tx_begin(env.st, STORE_TX_READ), 0);
	assert_int_equal(store_res_get(env.st, "i-test", &inst), 0);
	assert_int_equal(store_res_get(env.st, "eni-primary", &got), 0);
	store_tx_abort(env.st);
	ids = json_object_get(json_object_get(inst.doc, "SecurityGroupIds"),
	    "SecurityGroupId");
	assert_int_equal(json_array_size(ids), 5);
	assert_true(json_equal(ids, json_object_get(got.doc,
	    "SecurityGroupIds")));
	store_res_clear(&inst);
	store_res_clear(&got);
	assert_int_equal(nrows("sgmember", g[0]), 1);
	/* A group with members cannot be deleted. */
	bad(403, "DependencyViolation", "DeleteSecurityGroup&RegionId="
	    "cn-hangzhou&SecurityGroupId=%s", g[0]);
	ecs(&rp, "DeleteSecurityGroup&RegionId=cn-hangzhou&SecurityGroupId=%s",
	    g[0]);
	assert_string_equal(tu_message(&rp),
	    "There is still instance(s) in the specified security group.");
	tu_reply_free(&rp);
	{
		json_t *j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&"
		    "SecurityGroupId=%s&IsQueryEcsCount=true", g[0]);
		json_t *o = json_array_get(jlist(j, "SecurityGroups",
		    "SecurityGroup"), 0);

		assert_int_equal(jint(o, "EcsCount"), 1);
		assert_int_equal(jint(o, "AvailableInstanceAmount"), 1999);
		json_decref(j);
	}
	/* Leave one, then all. */
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(sgdb_member_del(env.st, &eni, g[0]), 0);
	expect_err(sgdb_member_del(env.st, &eni, g[0]), 403,
	    "InstanceNotInSecurityGroup");
	assert_int_equal(sgdb_member_del_all(env.st, &eni), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
	assert_int_equal(json_array_size(json_object_get(eni.doc,
	    "SecurityGroupIds")), 0);
	assert_int_equal(nrows("sgmember", NULL), 1);	/* eni2 in e */
	json_decref(ok("DeleteSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s", g[0]));
	/* Limits: members per group (VPC basic: private IPs). */
	env.api->cfg.vpc_basic_group_ips = 1;
	assert_int_equal(join(&eni, g[1]), 0);
	mkeni(&eni3, "eni-third", "Secondary", vpc, "");
	expect_err(join(&eni3, g[1]), 403,
	    "SecurityGroupInstanceLimitExceeded");
	store_res_clear(&eni3);
	env.api->cfg.vpc_basic_group_ips = 2000;
	/* Rules per ENI, counted over its groups. */
	json_decref(ok("AuthorizeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=all&SourceCidrIp=1.0.0.0/8", g[2]));
	json_decref(ok("AuthorizeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=all&SourceCidrIp=2.0.0.0/8", g[1]));
	env.api->cfg.rules_per_eni = 1;
	expect_err(join(&eni, g[2]), 403, "AclLimitExceed");
	env.api->cfg.rules_per_eni = 500;
	store_res_clear(&eni);
	store_res_clear(&eni2);
}

static void
test_default_group(void **state)
{
	char vpc[64], id[64], id2[64], cid[64];
	json_t *j, *a;

	(void)state;
	mkvpc(vpc);
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(sgdb_default_group(env.st, &env.api->cfg, env.account,
	    "cn-hangzhou", vpc, SGTU_NOW, id), 0);
	assert_int_equal(sgdb_default_group(env.st, &env.api->cfg, env.account,
	    "cn-hangzhou", vpc, SGTU_NOW, id2), 0);
	assert_int_equal(sgdb_default_group(env.st, &env.api->cfg, env.account,
	    "cn-hangzhou", "", SGTU_NOW, cid), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
	assert_string_equal(id, id2);
	assert_string_not_equal(id, cid);
	j = perms(id, "");
	assert_string_equal(jstr(j, "SecurityGroupName"), "sg-default");
	a = jlist(j, "Permissions", "Permission");
	assert_int_equal(json_array_size(a), 5);
	for (size_t i = 0; i < 5; i++) {
		json_t *p = json_array_get(a, i);

		assert_int_equal(jint(p, "Priority"), 110);
		assert_string_equal(jstr(p, "SourceCidrIp"), "0.0.0.0/0");
		assert_string_equal(jstr(p, "Policy"), "Accept");
		assert_string_equal(jstr(p, "NicType"), "intranet");
	}
	assert_string_equal(jstr(json_array_get(a, 0), "IpProtocol"), "ICMP");
	assert_string_equal(jstr(json_array_get(a, 2), "PortRange"),
	    "3389/3389");
	json_decref(j);
	assert_int_equal(nperms(cid, "&NicType=internet"), 5);
	/* A system rule can be revoked by content (priority 110). */
	json_decref(ok("RevokeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=tcp&PortRange=22/22&"
	    "SourceCidrIp=0.0.0.0/0&Priority=110", id));
	assert_int_equal(nperms(id, ""), 4);
	/* The quota applies to the default group too. */
	env.api->cfg.sg_quota = 2;
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	expect_err(sgdb_default_group(env.st, &env.api->cfg, env.account,
	    "cn-hangzhou", "vpc-other", SGTU_NOW, id2), 403,
	    "QuotaExceed.SecurityGroup");
	store_tx_abort(env.st);
	assert_int_equal(sgdb_rules_per_group(&env.api->cfg), 100);
	env.api->cfg.sg_per_eni = 10;
	assert_int_equal(sgdb_rules_per_group(&env.api->cfg), 50);
	env.api->cfg.sg_per_eni = 16;
	assert_int_equal(sgdb_rules_per_group(&env.api->cfg), 30);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_errors, sgtu_setup,
		    sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_create_describe,
		    sgtu_setup, sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_describe_paging,
		    sgtu_setup, sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_modify_and_policy,
		    sgtu_setup, sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_references, sgtu_setup,
		    sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_tags, sgtu_setup,
		    sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_membership, sgtu_setup,
		    sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_default_group, sgtu_setup,
		    sgtu_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
