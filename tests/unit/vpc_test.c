/*
 * vpc_test: the VPC 2016-04-28 actions in-process — V1-signed requests go
 * through api_handle() with a real store (a fresh one per test): response
 * shapes, every validation error (and that it changes nothing), quotas,
 * dependencies and ForceDelete, the dependants hooks, DryRun, ClientToken,
 * paging and filters, and account isolation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/api_int.h"
#include "test_util.h"

#define NOW 1795000000

static struct tu_env env;

static int
setup(void **state)
{
	(void)state;
	return tu_env_open(&env, NOW);
}

static int
teardown(void **state)
{
	(void)state;
	tu_env_close(&env);
	return 0;
}

/* A VPC API call: "Action&k=v..." signed with V1 (GET, query). */
static void __attribute__((format(printf, 2, 3)))
call(struct tu_reply *rp, const char *fmt, ...)
{
	char q[4096], full[4200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "Version=2016-04-28&Action=%s", q);
	tu_v1(&env, "GET", full, NULL, rp);
}

static const char *
jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* {"A":{"B":[...]}} -> the array (asserted to be one). */
static json_t *
jlist(const json_t *o, const char *outer, const char *inner)
{
	json_t *a = json_object_get(json_object_get(o, outer), inner);

	assert_true(json_is_array(a));
	return a;
}

/* Creates a VPC (asserting success) and copies its id. */
static void
mkvpc(const char *extra, char id[64])
{
	struct tu_reply rp;

	call(&rp, "CreateVpc&RegionId=cn-hangzhou%s", extra);
	if (rp.status != 200)
		fail_msg("CreateVpc%s: %d %s", extra, rp.status, tu_code(&rp));
	snprintf(id, 64, "%s", jstr(rp.json, "VpcId"));
	tu_reply_free(&rp);
}

static void
mkvsw(const char *vpc, const char *extra, char id[64])
{
	struct tu_reply rp;

	call(&rp, "CreateVSwitch&VpcId=%s&ZoneId=cn-hangzhou-b%s", vpc, extra);
	if (rp.status != 200)
		fail_msg("CreateVSwitch%s: %d %s", extra, rp.status,
		    tu_code(&rp));
	snprintf(id, 64, "%s", jstr(rp.json, "VSwitchId"));
	tu_reply_free(&rp);
}

static int64_t
count(const char *what)
{
	struct tu_reply rp;
	int64_t n;

	call(&rp, "%s", what);
	assert_int_equal(rp.status, 200);
	n = json_integer_value(json_object_get(rp.json, "TotalCount"));
	tu_reply_free(&rp);
	return n;
}

static int64_t
nvpcs(void)
{
	return count("DescribeVpcs&RegionId=cn-hangzhou&PageSize=50");
}

/* Stores a resource of kind under parent, as a later family would. */
static void
put_child(const char *id, const char *kind, const char *parent)
{
	struct store_res r;

	memset(&r, 0, sizeof(r));
	snprintf(r.id, sizeof(r.id), "%s", id);
	snprintf(r.kind, sizeof(r.kind), "%s", kind);
	snprintf(r.account, sizeof(r.account), "%s", env.account);
	snprintf(r.region, sizeof(r.region), "cn-hangzhou");
	snprintf(r.parent, sizeof(r.parent), "%s", parent);
	r.doc = json_object();
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(store_res_put(env.st, &r), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
	store_res_clear(&r);
}

static void
del_child(const char *id)
{
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(store_res_del(env.st, id), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
}

static void
test_create_describe_shape(void **state)
{
	struct tu_reply rp;
	char vpc[64], vsw[64], owner[32];
	json_t *v, *s;

	(void)state;
	call(&rp, "CreateVpc&RegionId=cn-hangzhou&CidrBlock=10.0.0.0/16&"
	    "VpcName=web&Description=my%%20vpc&Tag.1.Key=env&Tag.1.Value=dev");
	assert_int_equal(rp.status, 200);
	assert_true(strncmp(jstr(rp.json, "VpcId"), "vpc-", 4) == 0);
	assert_true(strncmp(jstr(rp.json, "VRouterId"), "vrt-", 4) == 0);
	assert_true(strncmp(jstr(rp.json, "RouteTableId"), "vtb-", 4) == 0);
	assert_non_null(json_object_get(rp.json, "ResourceGroupId"));
	snprintf(vpc, sizeof(vpc), "%s", jstr(rp.json, "VpcId"));
	tu_reply_free(&rp);

	call(&rp, "DescribeVpcs&RegionId=cn-hangzhou");
	assert_int_equal(rp.status, 200);
	assert_int_equal(json_integer_value(json_object_get(rp.json,
	    "TotalCount")), 1);
	assert_int_equal(json_integer_value(json_object_get(rp.json,
	    "PageNumber")), 1);
	assert_int_equal(json_integer_value(json_object_get(rp.json,
	    "PageSize")), 10);
	v = json_array_get(jlist(rp.json, "Vpcs", "Vpc"), 0);
	assert_string_equal(jstr(v, "VpcId"), vpc);
	assert_string_equal(jstr(v, "CidrBlock"), "10.0.0.0/16");
	assert_string_equal(jstr(v, "VpcName"), "web");
	assert_string_equal(jstr(v, "Description"), "my vpc");
	assert_string_equal(jstr(v, "Status"), "Available");
	assert_string_equal(jstr(v, "RegionId"), "cn-hangzhou");
	assert_string_equal(jstr(v, "CreationTime"), "2026-11-18T11:06:40Z");
	assert_true(json_is_false(json_object_get(v, "IsDefault")));
	assert_true(json_is_integer(json_object_get(v, "OwnerId")));
	snprintf(owner, sizeof(owner), "%lld", (long long)json_integer_value(
	    json_object_get(v, "OwnerId")));
	assert_string_equal(owner, env.account);
	assert_int_equal(json_array_size(jlist(v, "VSwitchIds", "VSwitchId")), 0);
	assert_int_equal(json_array_size(jlist(v, "RouterTableIds",
	    "RouterTableIds")), 1);
	assert_string_equal(jstr(json_array_get(jlist(v, "Tags", "Tag"), 0),
	    "Key"), "env");
	assert_string_equal(jstr(json_array_get(jlist(v, "Tags", "Tag"), 0),
	    "Value"), "dev");
	tu_reply_free(&rp);

	mkvsw(vpc, "&CidrBlock=10.0.3.0/24&VSwitchName=a&Description=d", vsw);
	assert_true(strncmp(vsw, "vsw-", 4) == 0);
	call(&rp, "DescribeVpcs&RegionId=cn-hangzhou&VpcId=%s", vpc);
	v = json_array_get(jlist(rp.json, "Vpcs", "Vpc"), 0);
	assert_string_equal(json_string_value(json_array_get(jlist(v,
	    "VSwitchIds", "VSwitchId"), 0)), vsw);
	tu_reply_free(&rp);

	call(&rp, "DescribeVSwitches&VpcId=%s", vpc);
	assert_int_equal(rp.status, 200);
	s = json_array_get(jlist(rp.json, "VSwitches", "VSwitch"), 0);
	assert_string_equal(jstr(s, "VSwitchId"), vsw);
	assert_string_equal(jstr(s, "VpcId"), vpc);
	assert_string_equal(jstr(s, "ZoneId"), "cn-hangzhou-b");
	assert_string_equal(jstr(s, "CidrBlock"), "10.0.3.0/24");
	assert_string_equal(jstr(s, "VSwitchName"), "a");
	assert_string_equal(jstr(s, "Description"), "d");
	assert_string_equal(jstr(s, "Status"), "Available");
	assert_int_equal(json_integer_value(json_object_get(s,
	    "AvailableIpAddressCount")), 252);
	assert_true(json_is_integer(json_object_get(s, "OwnerId")));
	assert_string_equal(jstr(json_object_get(s, "RouteTable"),
	    "RouteTableType"), "System");
	assert_int_equal(json_array_size(jlist(s, "Tags", "Tag")), 0);
	tu_reply_free(&rp);

	/* Defaults: 172.16.0.0/12, empty name and description. */
	mkvpc("", vpc);
	call(&rp, "DescribeVpcs&RegionId=cn-hangzhou&VpcId=%s", vpc);
	v = json_array_get(jlist(rp.json, "Vpcs", "Vpc"), 0);
	assert_string_equal(jstr(v, "CidrBlock"), "172.16.0.0/12");
	assert_string_equal(jstr(v, "VpcName"), "");
	tu_reply_free(&rp);
}

static void
test_create_vpc_rejects(void **state)
{
	static const struct { const char *q; int status; const char *code; }
	    bad[] = {
		{ "", 400, "MissingParameter" },
		{ "&RegionId=xx-nowhere-1", 404, "InvalidRegionId.NotFound" },
		{ "&RegionId=cn-hangzhou&CidrBlock=10.0.0.1/16", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=10.0.0.0", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=10.0.0.0/33", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=010.0.0.0/16", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=10.0.0.0/7", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=10.0.0.0/29", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=100.64.0.0/16", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=100.0.0.0/8", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=127.0.0.0/16", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=169.254.0.0/16", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=224.0.0.0/8", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=fd00::/48", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&CidrBlock=", 400,
		  "InvalidCidrBlock.Malformed" },
		{ "&RegionId=cn-hangzhou&VpcName=http://x", 400,
		  "InvalidVpcName.Malformed" },
		{ "&RegionId=cn-hangzhou&VpcName=", 400,
		  "InvalidVpcName.Malformed" },
		{ "&RegionId=cn-hangzhou&Description=https://x", 400,
		  "InvalidVpcDiscription.Malformed" },
		{ "&RegionId=cn-hangzhou&Tag.1.Key=aliyun-x&Tag.1.Value=v", 400,
		  "InvalidTagKey.Malformed" },
		{ "&RegionId=cn-hangzhou&Tag.1.Value=v", 400,
		  "InvalidTagKey.Malformed" },
		{ "&RegionId=cn-hangzhou&Tag.1.Key=k&Tag.1.Value=acs:v", 400,
		  "InvalidTagValue.Malformed" },
		{ "&RegionId=cn-hangzhou&Tag.1.Key=k&Tag.2.Key=k", 400,
		  "Duplicate.TagKey" },
		{ "&RegionId=cn-hangzhou&Tag.21.Key=k", 400, "InvalidParameter" },
		{ "&RegionId=cn-hangzhou&DryRun=yes", 400, "InvalidParameter" },
		{ "&RegionId=cn-hangzhou&DryRun=true", 400, "DryRunOperation" },
	};
	struct tu_reply rp;
	char vpc[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		call(&rp, "CreateVpc%s", bad[i].q);
		if (rp.status != bad[i].status ||
		    strcmp(tu_code(&rp), bad[i].code) != 0)
			fail_msg("CreateVpc%s: %d %s, want %d %s", bad[i].q,
			    rp.status, tu_code(&rp), bad[i].status,
			    bad[i].code);
		tu_expect_error(&rp, bad[i].status, bad[i].code);
	}
	assert_int_equal(nvpcs(), 0);
	/* Public (non-reserved) blocks are allowed, as on Alibaba. */
	mkvpc("&CidrBlock=8.8.0.0/16", vpc);
	mkvpc("&CidrBlock=10.0.0.0/8", vpc);
	mkvpc("&CidrBlock=192.168.10.0/28", vpc);
	assert_int_equal(nvpcs(), 3);
}

static void
test_vpc_quota(void **state)
{
	struct tu_reply rp;
	char vpc[64];

	(void)state;
	for (int i = 0; i < env.api->cfg.vpc_quota; i++)
		mkvpc("", vpc);
	call(&rp, "CreateVpc&RegionId=cn-hangzhou");
	tu_expect_error(&rp, 400, "QuotaExceeded.Vpc");
	/* The quota is per region. */
	call(&rp, "CreateVpc&RegionId=cn-shanghai");
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	call(&rp, "DeleteVpc&VpcId=%s", vpc);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	mkvpc("", vpc);
}

static void
test_vswitch_rules(void **state)
{
	static const struct { const char *q; int status; const char *code; }
	    bad[] = {
		{ "&CidrBlock=10.0.1.0/24&ZoneId=cn-beijing-a", 404,
		  "InvalidZoneId.NotFound" },
		{ "&CidrBlock=10.0.1.0/24&RegionId=cn-shanghai", 404,
		  "InvalidVpcId.NotFound" },
		{ "&CidrBlock=10.0.1.0/24&RegionId=xx-none", 404,
		  "InvalidRegionId.NotFound" },
		{ "", 400, "MissingParameter" },
		{ "&CidrBlock=10.0.1.1/24", 400, "InvalidCidrBlock.Malformed" },
		{ "&CidrBlock=10.0.1.0-24", 400, "InvalidCidrBlock.Malformed" },
		{ "&CidrBlock=10.0.0.0/15", 400, "InvalidCirdrBlock.MaskLength" },
		{ "&CidrBlock=10.0.0.0/30", 400, "InvalidCirdrBlock.MaskLength" },
		{ "&CidrMask=30", 400, "InvalidCirdrBlock.MaskLength" },
		{ "&CidrBlock=10.1.0.0/24", 400, "InvalidParameter" },
		{ "&CidrBlock=10.0.0.0/24", 400, "InvalidCidrBlock.Overlapped" },
		{ "&CidrBlock=10.0.0.128/25", 400, "InvalidCidrBlock.Overlapped" },
		{ "&CidrBlock=10.0.0.0/16", 400, "InvalidCidrBlock.Overlapped" },
		{ "&CidrBlock=10.0.1.0/24&VSwitchName=https://a", 400,
		  "InvalidVSwitchName.Malformed" },
		{ "&CidrBlock=10.0.1.0/24&Description=http://a", 400,
		  "InvalidVSwitchDiscription.Malformed" },
		{ "&CidrBlock=10.0.1.0/24&DryRun=true", 400, "DryRunOperation" },
	};
	struct tu_reply rp;
	char vpc[64], vsw[64];

	(void)state;
	mkvpc("&CidrBlock=10.0.0.0/16", vpc);
	mkvsw(vpc, "&CidrBlock=10.0.0.0/24", vsw);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *zone = strstr(bad[i].q, "ZoneId") ? "" :
		    "&ZoneId=cn-hangzhou-b";

		call(&rp, "CreateVSwitch&VpcId=%s%s%s", vpc, zone, bad[i].q);
		if (rp.status != bad[i].status ||
		    strcmp(tu_code(&rp), bad[i].code) != 0)
			fail_msg("CreateVSwitch%s: %d %s, want %d %s",
			    bad[i].q, rp.status, tu_code(&rp), bad[i].status,
			    bad[i].code);
		tu_expect_error(&rp, bad[i].status, bad[i].code);
	}
	call(&rp, "CreateVSwitch&VpcId=vpc-nothere&ZoneId=cn-hangzhou-b&"
	    "CidrBlock=10.0.1.0/24");
	tu_expect_error(&rp, 404, "InvalidVpcId.NotFound");
	call(&rp, "CreateVSwitch&ZoneId=cn-hangzhou-b&CidrBlock=10.0.1.0/24");
	tu_expect_error(&rp, 400, "MissingParameter");
	assert_int_equal(count("DescribeVSwitches&RegionId=cn-hangzhou"), 1);

	/* Matching region given explicitly; the /29 minimum and a block
	 * equal to the VPC's are fine in an otherwise empty VPC. */
	mkvsw(vpc, "&CidrBlock=10.0.255.248/29&RegionId=cn-hangzhou", vsw);
	mkvpc("&CidrBlock=192.168.0.0/16", vpc);
	mkvsw(vpc, "&CidrBlock=192.168.0.0/16", vsw);
	call(&rp, "DescribeVSwitches&VSwitchId=%s&RegionId=cn-hangzhou", vsw);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    jlist(rp.json, "VSwitches", "VSwitch"), 0),
	    "AvailableIpAddressCount")), 65532);
	tu_reply_free(&rp);
}

static void
test_vswitch_cidr_mask_allocation(void **state)
{
	struct tu_reply rp;
	char vpc[64], vsw[64];
	json_t *l;

	(void)state;
	mkvpc("&CidrBlock=10.0.0.0/22", vpc);
	mkvsw(vpc, "&CidrBlock=10.0.1.0/24", vsw);
	mkvsw(vpc, "&CidrMask=24", vsw);	/* 10.0.0.0/24 */
	mkvsw(vpc, "&CidrMask=25", vsw);	/* skips 10.0.1.0/24 */
	/* No /23 is free: 10.0.0.0/23 and 10.0.2.0/23 are partly used. */
	call(&rp, "CreateVSwitch&VpcId=%s&ZoneId=cn-hangzhou-b&CidrMask=23",
	    vpc);
	tu_expect_error(&rp, 400, "InvalidCidrBlock.Overlapped");
	call(&rp, "DescribeVSwitches&VpcId=%s", vpc);
	l = jlist(rp.json, "VSwitches", "VSwitch");
	assert_int_equal(json_array_size(l), 3);
	assert_string_equal(jstr(json_array_get(l, 1), "CidrBlock"),
	    "10.0.0.0/24");
	assert_string_equal(jstr(json_array_get(l, 2), "CidrBlock"),
	    "10.0.2.0/25");
	tu_reply_free(&rp);
	mkvsw(vpc, "&CidrMask=25", vsw);	/* 10.0.2.128/25 */
	mkvsw(vpc, "&CidrMask=24", vsw);	/* 10.0.3.0/24: now full */
	call(&rp, "DescribeVSwitches&VpcId=%s&VSwitchId=%s", vpc, vsw);
	assert_string_equal(jstr(json_array_get(jlist(rp.json, "VSwitches",
	    "VSwitch"), 0), "CidrBlock"), "10.0.3.0/24");
	tu_reply_free(&rp);
	call(&rp, "CreateVSwitch&VpcId=%s&ZoneId=cn-hangzhou-b&CidrMask=29",
	    vpc);
	tu_expect_error(&rp, 400, "InvalidCidrBlock.Overlapped");
	/* Larger than the VPC itself. */
	call(&rp, "CreateVSwitch&VpcId=%s&ZoneId=cn-hangzhou-b&CidrMask=16",
	    vpc);
	tu_expect_error(&rp, 400, "InvalidParameter");
}

static void
test_vswitch_quota(void **state)
{
	struct tu_reply rp;
	char vpc[64], vsw[64], q[64];

	(void)state;
	env.api->cfg.vswitch_quota = 3;
	mkvpc("&CidrBlock=10.0.0.0/16", vpc);
	for (int i = 0; i < 3; i++) {
		snprintf(q, sizeof(q), "&CidrBlock=10.0.%d.0/24", i);
		mkvsw(vpc, q, vsw);
	}
	call(&rp, "CreateVSwitch&VpcId=%s&ZoneId=cn-hangzhou-b&"
	    "CidrBlock=10.0.9.0/24", vpc);
	tu_expect_error(&rp, 400, "QuotaExceeded.VSwitch");
	/* Per VPC. */
	mkvpc("&CidrBlock=10.1.0.0/16", vpc);
	mkvsw(vpc, "&CidrBlock=10.1.9.0/24", vsw);
}

static void
test_delete_dependencies(void **state)
{
	struct tu_reply rp;
	char vpc[64], a[64], b[64];

	(void)state;
	mkvpc("&CidrBlock=10.0.0.0/16", vpc);
	mkvsw(vpc, "&CidrBlock=10.0.0.0/24", a);
	mkvsw(vpc, "&CidrBlock=10.0.1.0/24", b);
	call(&rp, "DeleteVpc&VpcId=%s", vpc);
	tu_expect_error(&rp, 400, "DependencyViolation.VSwitch");

	/* Something living in vSwitch a blocks both deletes... */
	put_child("eni-test1", "eni", a);
	call(&rp, "DescribeVSwitches&VpcId=%s&VSwitchId=%s", vpc, a);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    jlist(rp.json, "VSwitches", "VSwitch"), 0),
	    "AvailableIpAddressCount")), 251);
	tu_reply_free(&rp);
	call(&rp, "DeleteVSwitch&VSwitchId=%s", a);
	tu_expect_error(&rp, 400, "DependencyViolation");
	call(&rp, "DeleteVpc&VpcId=%s&ForceDelete=true", vpc);
	tu_expect_error(&rp, 400, "DependencyViolation.Instance");
	del_child("eni-test1");
	put_child("i-test1", "instance", b);
	call(&rp, "DeleteVSwitch&VSwitchId=%s", b);
	tu_expect_error(&rp, 400, "DependencyViolation");
	del_child("i-test1");
	/* ...and a security group in the VPC blocks even ForceDelete. */
	put_child("sg-test1", "sg", vpc);
	call(&rp, "DeleteVpc&VpcId=%s&ForceDelete=true", vpc);
	tu_expect_error(&rp, 400, "DependencyViolation.SecurityGroup");
	del_child("sg-test1");
	assert_int_equal(count("DescribeVSwitches&RegionId=cn-hangzhou"), 2);

	/* DryRun deletes nothing. */
	call(&rp, "DeleteVSwitch&VSwitchId=%s&DryRun=true", a);
	tu_expect_error(&rp, 400, "DryRunOperation");
	call(&rp, "DeleteVpc&VpcId=%s&ForceDelete=true&DryRun=true", vpc);
	tu_expect_error(&rp, 400, "DryRunOperation");
	assert_int_equal(count("DescribeVSwitches&RegionId=cn-hangzhou"), 2);

	call(&rp, "DeleteVSwitch&VSwitchId=%s&RegionId=cn-shanghai", a);
	tu_expect_error(&rp, 404, "InvalidVSwitchId.NotFound");
	call(&rp, "DeleteVSwitch&VSwitchId=%s&RegionId=cn-hangzhou", a);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	call(&rp, "DeleteVSwitch&VSwitchId=%s", a);
	tu_expect_error(&rp, 404, "InvalidVSwitchId.NotFound");
	call(&rp, "DeleteVpc&VpcId=%s&ForceDelete=true", vpc);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	assert_int_equal(count("DescribeVSwitches&RegionId=cn-hangzhou"), 0);
	call(&rp, "DeleteVpc&VpcId=%s", vpc);
	tu_expect_error(&rp, 404, "InvalidVpcId.NotFound");
	call(&rp, "DeleteVpc");
	tu_expect_error(&rp, 400, "MissingParameter");
	call(&rp, "DeleteVSwitch");
	tu_expect_error(&rp, 400, "MissingParameter");

	mkvpc("", vpc);
	call(&rp, "DeleteVpc&VpcId=%s&RegionId=cn-beijing", vpc);
	tu_expect_error(&rp, 404, "InvalidVpcId.NotFound");
	call(&rp, "DeleteVpc&VpcId=%s&RegionId=cn-hangzhou", vpc);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
}

static void
test_describe_filters_paging(void **state)
{
	struct tu_reply rp;
	char v[5][64], s[3][64], ids[1400];
	json_t *l;

	(void)state;
	mkvpc("&VpcName=a&Tag.1.Key=env&Tag.1.Value=prod", v[0]);
	mkvpc("&VpcName=b&Tag.1.Key=env&Tag.1.Value=dev", v[1]);
	mkvpc("&VpcName=a", v[2]);
	mkvpc("&VpcName=c", v[3]);
	mkvpc("&VpcName=c", v[4]);
	call(&rp, "CreateVpc&RegionId=cn-beijing&VpcName=a");
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);

	assert_int_equal(nvpcs(), 5);
	assert_int_equal(count("DescribeVpcs&RegionId=cn-beijing"), 1);
	assert_int_equal(count("DescribeVpcs&RegionId=cn-hangzhou&VpcName=a"), 2);
	assert_int_equal(count("DescribeVpcs&RegionId=cn-hangzhou&"
	    "Tag.1.Key=env"), 2);
	assert_int_equal(count("DescribeVpcs&RegionId=cn-hangzhou&"
	    "Tag.1.Key=env&Tag.1.Value=dev"), 1);
	assert_int_equal(count("DescribeVpcs&RegionId=cn-hangzhou&"
	    "IsDefault=true"), 0);
	assert_int_equal(count("DescribeVpcs&RegionId=cn-hangzhou&"
	    "IsDefault=false"), 5);
	snprintf(ids, sizeof(ids), "DescribeVpcs&RegionId=cn-hangzhou&"
	    "VpcId=%s,%%20%s,vpc-none", v[0], v[3]);
	assert_int_equal(count(ids), 2);

	call(&rp, "DescribeVpcs&RegionId=cn-hangzhou&PageSize=2&PageNumber=2");
	assert_int_equal(json_integer_value(json_object_get(rp.json,
	    "TotalCount")), 5);
	l = jlist(rp.json, "Vpcs", "Vpc");
	assert_int_equal(json_array_size(l), 2);
	assert_string_equal(jstr(json_array_get(l, 0), "VpcId"), v[2]);
	assert_string_equal(jstr(json_array_get(l, 1), "VpcId"), v[3]);
	tu_reply_free(&rp);
	call(&rp, "DescribeVpcs&RegionId=cn-hangzhou&PageSize=2&PageNumber=9");
	assert_int_equal(json_array_size(jlist(rp.json, "Vpcs", "Vpc")), 0);
	tu_reply_free(&rp);

	call(&rp, "DescribeVpcs&RegionId=cn-hangzhou&PageSize=51");
	tu_expect_error(&rp, 400, "InvalidParameter");
	call(&rp, "DescribeVpcs&RegionId=cn-hangzhou&PageNumber=0");
	tu_expect_error(&rp, 400, "InvalidParameter");
	call(&rp, "DescribeVpcs");
	tu_expect_error(&rp, 400, "MissingParameter");
	call(&rp, "DescribeVpcs&RegionId=mars-1");
	tu_expect_error(&rp, 404, "InvalidRegionId.NotFound");
	call(&rp, "DescribeVpcs&RegionId=cn-hangzhou&VpcId=a,,b");
	tu_expect_error(&rp, 400, "InvalidParameter");
	snprintf(ids, sizeof(ids), "DescribeVpcs&RegionId=cn-hangzhou&VpcId=");
	for (int i = 0; i < 21; i++)
		snprintf(ids + strlen(ids), sizeof(ids) - strlen(ids), "%svpc-%d",
		    i ? "," : "", i);
	call(&rp, "%s", ids);
	tu_expect_error(&rp, 400, "InvalidParameter");
	call(&rp, "DescribeVpcs&RegionId=cn-hangzhou&DryRun=true");
	tu_expect_error(&rp, 400, "DryRunOperation");

	mkvsw(v[0], "&CidrBlock=172.16.0.0/24&VSwitchName=x", s[0]);
	call(&rp, "CreateVSwitch&VpcId=%s&ZoneId=cn-hangzhou-g&"
	    "CidrBlock=172.16.1.0/24&Tag.1.Key=t", v[0]);
	assert_int_equal(rp.status, 200);
	snprintf(s[1], sizeof(s[1]), "%s", jstr(rp.json, "VSwitchId"));
	tu_reply_free(&rp);
	mkvsw(v[1], "&CidrBlock=172.16.0.0/24&VSwitchName=x", s[2]);
	assert_int_equal(count("DescribeVSwitches&RegionId=cn-hangzhou"), 3);
	assert_int_equal(count("DescribeVSwitches&RegionId=cn-beijing"), 0);
	call(&rp, "DescribeVSwitches&VpcId=%s", v[0]);
	assert_int_equal(json_integer_value(json_object_get(rp.json,
	    "TotalCount")), 2);
	tu_reply_free(&rp);
	assert_int_equal(count("DescribeVSwitches&RegionId=cn-hangzhou&"
	    "ZoneId=cn-hangzhou-g"), 1);
	assert_int_equal(count("DescribeVSwitches&RegionId=cn-hangzhou&"
	    "VSwitchName=x"), 2);
	assert_int_equal(count("DescribeVSwitches&RegionId=cn-hangzhou&"
	    "Tag.1.Key=t"), 1);
	call(&rp, "DescribeVSwitches&RegionId=cn-hangzhou&VSwitchId=%s", s[2]);
	l = jlist(rp.json, "VSwitches", "VSwitch");
	assert_int_equal(json_array_size(l), 1);
	assert_string_equal(jstr(json_array_get(l, 0), "VpcId"), v[1]);
	tu_reply_free(&rp);
	call(&rp, "DescribeVSwitches&RegionId=cn-hangzhou&PageSize=1&"
	    "PageNumber=3");
	l = jlist(rp.json, "VSwitches", "VSwitch");
	assert_string_equal(jstr(json_array_get(l, 0), "VSwitchId"), s[2]);
	tu_reply_free(&rp);
	call(&rp, "DescribeVSwitches");
	tu_expect_error(&rp, 400, "MissingParameter");
	call(&rp, "DescribeVSwitches&VpcId=vpc-nothere");
	assert_int_equal(rp.status, 200);
	assert_int_equal(json_array_size(jlist(rp.json, "VSwitches",
	    "VSwitch")), 0);
	tu_reply_free(&rp);
}

static void
test_client_token(void **state)
{
	struct tu_reply rp;
	char first[64];

	(void)state;
	call(&rp, "CreateVpc&RegionId=cn-hangzhou&ClientToken=tok-1");
	assert_int_equal(rp.status, 200);
	snprintf(first, sizeof(first), "%s", jstr(rp.json, "VpcId"));
	tu_reply_free(&rp);
	call(&rp, "CreateVpc&RegionId=cn-hangzhou&ClientToken=tok-1");
	assert_int_equal(rp.status, 200);
	assert_string_equal(jstr(rp.json, "VpcId"), first);
	tu_reply_free(&rp);
	assert_int_equal(nvpcs(), 1);
	call(&rp, "CreateVpc&RegionId=cn-hangzhou&ClientToken=tok-1&"
	    "VpcName=other");
	tu_expect_error(&rp, 400, "IdempotentParameterMismatch");
	assert_int_equal(nvpcs(), 1);
}

static void
test_other_account_invisible(void **state)
{
	struct store_key k;
	struct tu_reply rp;
	char vpc[64], vsw[64];

	(void)state;
	mkvpc("&CidrBlock=10.0.0.0/16", vpc);
	mkvsw(vpc, "&CidrBlock=10.0.0.0/24", vsw);
	memset(&k, 0, sizeof(k));
	snprintf(k.id, sizeof(k.id), "LTAIother");
	snprintf(k.secret, sizeof(k.secret), "othersecret");
	snprintf(k.account, sizeof(k.account), "1234567890123456");
	snprintf(k.principal, sizeof(k.principal), "root");
	snprintf(k.status, sizeof(k.status), "Active");
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(store_account_put(env.st, k.account, NOW), 0);
	assert_int_equal(store_key_put(env.st, &k), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
	env.akid = "LTAIother";
	env.secret = "othersecret";

	assert_int_equal(nvpcs(), 0);
	assert_int_equal(count("DescribeVSwitches&RegionId=cn-hangzhou"), 0);
	call(&rp, "DescribeVSwitches&VpcId=%s", vpc);
	assert_int_equal(json_array_size(jlist(rp.json, "VSwitches",
	    "VSwitch")), 0);
	tu_reply_free(&rp);
	call(&rp, "CreateVSwitch&VpcId=%s&ZoneId=cn-hangzhou-b&"
	    "CidrBlock=10.0.5.0/24", vpc);
	tu_expect_error(&rp, 404, "InvalidVpcId.NotFound");
	call(&rp, "DeleteVSwitch&VSwitchId=%s", vsw);
	tu_expect_error(&rp, 404, "InvalidVSwitchId.NotFound");
	call(&rp, "DeleteVpc&VpcId=%s&ForceDelete=true", vpc);
	tu_expect_error(&rp, 404, "InvalidVpcId.NotFound");
	/* The other account's own quota and blocks are independent. */
	mkvpc("&CidrBlock=10.0.0.0/16", vpc);
	call(&rp, "DescribeVpcs&RegionId=cn-hangzhou");
	assert_string_equal(jstr(json_array_get(jlist(rp.json, "Vpcs", "Vpc"),
	    0), "VpcId"), vpc);
	assert_int_equal(json_integer_value(json_object_get(json_array_get(
	    jlist(rp.json, "Vpcs", "Vpc"), 0), "OwnerId")), 1234567890123456);
	tu_reply_free(&rp);

	env.akid = TU_AKID;
	env.secret = TU_SECRET;
	assert_int_equal(nvpcs(), 1);
	assert_int_equal(count("DescribeVSwitches&RegionId=cn-hangzhou"), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_describe_shape,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_create_vpc_rejects,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_vpc_quota, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_vswitch_rules, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_vswitch_cidr_mask_allocation, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vswitch_quota, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_delete_dependencies,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_describe_filters_paging,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_token, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_other_account_invisible,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
