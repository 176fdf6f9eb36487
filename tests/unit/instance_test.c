/*
 * instance_test: the instance actions (RunInstances, CreateInstance,
 * DescribeInstances, Start/Stop/Reboot/DeleteInstance) in-process through
 * api_handle() (Join/LeaveSecurityGroup: eni_test): every error path with its
 * Code and HTTP status, address allocation from the vSwitch and the classic
 * pools, the default group, and the store rows a delete must release.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "insttu.h"

#define RUN "Action=RunInstances&" ECS "&InstanceType=ecs.g6.large&ImageId=img1"

/* RunInstances (one instance) with extra parameters; returns its id. */
static void
run(char *id, const char *extra)
{
	struct tu_reply rp;
	json_t *ids;

	call(&rp, RUN "%s", extra);
	if (rp.status != 200)
		fail_msg("RunInstances%s -> %d %s %s", extra, rp.status,
		    tu_code(&rp), tu_message(&rp));
	ids = json_object_get(json_object_get(rp.json, "InstanceIdSets"),
	    "InstanceIdSet");
	assert_int_equal(json_array_size(ids), 1);
	snprintf(id, 64, "%s", json_string_value(json_array_get(ids, 0)));
	assert_memory_equal(id, "i-", 2);
	tu_reply_free(&rp);
}

/* DescribeInstances with a query; returns the Instances.Instance array. */
static json_t *
describe(const char *extra, json_t **whole)
{
	struct tu_reply rp;
	json_t *arr;

	call(&rp, "Action=DescribeInstances&" ECS "%s", extra);
	if (rp.status != 200)
		fail_msg("DescribeInstances%s -> %d %s", extra, rp.status,
		    tu_code(&rp));
	arr = json_object_get(json_object_get(rp.json, "Instances"),
	    "Instance");
	assert_true(json_is_array(arr));
	*whole = rp.json;
	return arr;
}

/* The one instance id as DescribeInstances returns it (caller decrefs). */
static json_t *
inst_of(const char *id)
{
	json_t *whole, *arr, *o;
	char q[128];

	snprintf(q, sizeof(q), "&InstanceIds=%%5B%%22%s%%22%%5D", id);
	arr = describe(q, &whole);
	assert_int_equal(json_array_size(arr), 1);
	o = json_incref(json_array_get(arr, 0));
	json_decref(whole);
	return o;
}

static const char *
jstr(const json_t *o, const char *a, const char *b, size_t i)
{
	json_t *n = json_object_get(o, a);

	if (b) {
		n = json_object_get(n, b);
		if (json_is_array(n))
			n = json_array_get(n, i);
	}
	return json_string_value(n) ? json_string_value(n) : "";
}

static size_t
jlen(const json_t *o, const char *a, const char *b)
{
	return json_array_size(json_object_get(json_object_get(o, a), b));
}

static const char *
inst_ip(const json_t *o)
{
	return json_string_value(json_array_get(json_object_get(
	    json_object_get(json_object_get(o, "VpcAttributes"),
	    "PrivateIpAddress"), "IpAddress"), 0));
}

/* Rows of kind (with parent, or any if NULL), read from the store. */
static size_t
rows(const char *kind, const char *parent)
{
	struct store_filter f = { NULL, kind, NULL, parent, NULL };
	size_t n = 0;

	assert_int_equal(store_tx_begin(env.st, STORE_TX_READ), 0);
	assert_int_equal(store_res_count(env.st, &f, &n), 0);
	store_tx_abort(env.st);
	return n;
}

static json_t *
row_doc(const char *id)
{
	struct store_res r;
	json_t *d = NULL;

	memset(&r, 0, sizeof(r));
	assert_int_equal(store_tx_begin(env.st, STORE_TX_READ), 0);
	if (store_res_get(env.st, id, &r) == 0)
		d = json_incref(r.doc);
	store_res_clear(&r);
	store_tx_abort(env.st);
	return d;
}

static void
test_run_vpc_default_group(void **state)
{
	char vpc[64], vsw[64], a[64], b[64], sg[64];
	json_t *o, *nic, *d;
	struct store_filter f = { NULL, "sgrule", NULL, NULL, NULL };
	struct store_res_list l = { NULL, 0 };
	int ports = 0;

	(void)state;
	mk_vpc(vpc, "192.168.0.0/16");
	mk_vsw(vsw, vpc, "cn-hangzhou-b", "192.168.1.0/24");
	{
		char q[128];

		snprintf(q, sizeof(q), "&VSwitchId=%s", vsw);
		run(a, q);
		run(b, q);
	}
	o = inst_of(a);
	assert_string_equal(jstr(o, "Status", NULL, 0), "Running");
	assert_string_equal(jstr(o, "InstanceNetworkType", NULL, 0), "vpc");
	assert_string_equal(jstr(o, "ZoneId", NULL, 0), "cn-hangzhou-b");
	assert_string_equal(jstr(o, "VpcAttributes", "VpcId", 0), vpc);
	assert_string_equal(jstr(o, "VpcAttributes", "VSwitchId", 0), vsw);
	assert_string_equal(inst_ip(o), "192.168.1.1");
	assert_string_equal(jstr(o, "InstanceName", NULL, 0), a);
	assert_int_equal(strlen(jstr(o, "CreationTime", NULL, 0)), 17);
	assert_int_equal(jlen(o, "InnerIpAddress", "IpAddress"), 0);
	assert_int_equal(jlen(o, "PublicIpAddress", "IpAddress"), 0);
	assert_int_equal(jlen(o, "SecurityGroupIds", "SecurityGroupId"), 1);
	assert_true(json_is_array(json_object_get(json_object_get(o, "Tags"),
	    "Tag")));
	d = row_doc(a);		/* stored tags: a bare array, as ecs_tag.c keeps */
	assert_true(json_is_array(json_object_get(d, "Tags")));
	json_decref(d);
	snprintf(sg, sizeof(sg), "%s", jstr(o, "SecurityGroupIds",
	    "SecurityGroupId", 0));
	nic = json_array_get(json_object_get(json_object_get(o,
	    "NetworkInterfaces"), "NetworkInterface"), 0);
	assert_string_equal(jstr(nic, "Type", NULL, 0), "Primary");
	assert_string_equal(jstr(nic, "PrimaryIpAddress", NULL, 0),
	    "192.168.1.1");
	assert_memory_equal(jstr(nic, "MacAddress", NULL, 0), "00:16:3e:", 9);
	assert_int_equal(strlen(jstr(nic, "MacAddress", NULL, 0)), 17);
	json_decref(o);
	/* The second instance: the next address, the same default group. */
	o = inst_of(b);
	assert_string_equal(inst_ip(o), "192.168.1.2");
	assert_string_equal(jstr(o, "SecurityGroupIds", "SecurityGroupId", 0),
	    sg);
	json_decref(o);
	d = row_doc(sg);
	assert_true(json_is_true(json_object_get(d, "IsDefault")));
	assert_string_equal(jstr(d, "VpcId", NULL, 0), vpc);
	json_decref(d);
	/* Its rules: ICMP, 22, 3389, 80, 443 inbound at priority 110. */
	f.parent = sg;
	assert_int_equal(store_tx_begin(env.st, STORE_TX_READ), 0);
	assert_int_equal(store_res_list(env.st, &f, &l), 0);
	store_tx_abort(env.st);
	assert_int_equal(l.n, 5);
	for (size_t i = 0; i < l.n; i++) {
		const char *pr = jstr(l.v[i].doc, "PortRange", NULL, 0);

		assert_int_equal(json_integer_value(json_object_get(l.v[i].doc,
		    "Priority")), 110);
		assert_string_equal(jstr(l.v[i].doc, "Direction", NULL, 0),
		    "ingress");
		ports += strcmp(pr, "22/22") == 0 || strcmp(pr, "3389/3389") == 0 ||
		    strcmp(pr, "80/80") == 0 || strcmp(pr, "443/443") == 0 ||
		    (strcmp(pr, "-1/-1") == 0 && strcmp(jstr(l.v[i].doc,
		    "IpProtocol", NULL, 0), "ICMP") == 0);
	}
	assert_int_equal(ports, 5);
	store_res_list_free(&l);
	/* Primary ENIs and memberships: one per instance. */
	assert_int_equal(rows("eni", vsw), 2);
	assert_int_equal(rows("instance", vsw), 2);
	assert_int_equal(rows("sgmember", sg), 2);
}

static void
test_run_groups(void **state)
{
	char vpc[64], vpc2[64], vsw[64], vsw2[64], sg[6][64], other[64];
	char csg[64], id[64], q[1024];
	json_t *o;

	(void)state;
	mk_vpc(vpc, "10.0.0.0/8");
	mk_vpc(vpc2, "172.16.0.0/12");
	mk_vsw(vsw, vpc, "cn-hangzhou-b", "10.1.0.0/24");
	mk_vsw(vsw2, vpc2, "cn-hangzhou-b", "172.16.1.0/24");
	for (int i = 0; i < 6; i++)
		mk_sg(sg[i], vpc, "normal");
	mk_sg(other, vpc2, "normal");
	mk_sg(csg, "", "normal");
	snprintf(q, sizeof(q), "&VSwitchId=%s&SecurityGroupIds.1=%s"
	    "&SecurityGroupIds.2=%s", vsw, sg[0], sg[1]);
	run(id, q);
	o = inst_of(id);
	assert_int_equal(jlen(o, "SecurityGroupIds", "SecurityGroupId"), 2);
	assert_string_equal(jstr(o, "SecurityGroupIds", "SecurityGroupId", 0),
	    sg[0]);
	assert_string_equal(jstr(o, "SecurityGroupIds", "SecurityGroupId", 1),
	    sg[1]);
	json_decref(o);
	snprintf(q, sizeof(q), "&VSwitchId=%s&SecurityGroupId=%s", vsw, sg[2]);
	run(id, q);
	o = inst_of(id);
	assert_int_equal(jlen(o, "SecurityGroupIds", "SecurityGroupId"), 1);
	json_decref(o);
	assert_int_equal(rows("sgmember", sg[0]), 1);
	assert_int_equal(rows("sgmember", sg[2]), 1);

	expect(400, "InvalidParameter.Conflict", RUN "&VSwitchId=%s"
	    "&SecurityGroupId=%s&SecurityGroupIds.1=%s", vsw, sg[0], sg[1]);
	expect(400, "InvalidParameter", RUN "&VSwitchId=%s"
	    "&SecurityGroupIds.1=%s&SecurityGroupIds.2=%s", vsw, sg[0], sg[0]);
	expect(400, "InstanceSecurityGroupLimitExceeded", RUN "&VSwitchId=%s"
	    "&SecurityGroupIds.1=%s&SecurityGroupIds.2=%s&SecurityGroupIds.3=%s"
	    "&SecurityGroupIds.4=%s&SecurityGroupIds.5=%s&SecurityGroupIds.6=%s",
	    vsw, sg[0], sg[1], sg[2], sg[3], sg[4], sg[5]);
	expect(404, "InvalidSecurityGroupId.NotFound", RUN "&VSwitchId=%s"
	    "&SecurityGroupId=sg-nothere", vsw);
	expect(403, "OperationDenied.InconsistentNetwork", RUN "&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw, other);
	expect(403, "OperationDenied.InconsistentNetwork", RUN "&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw, csg);
	expect(403, "OperationDenied.InconsistentNetwork", RUN
	    "&SecurityGroupId=%s", sg[0]);
	expect(400, "InvalidParameter", RUN "&VSwitchId=%s"
	    "&SecurityGroupIds.17=%s", vsw, sg[0]);
	/* Failed runs left nothing behind. */
	assert_int_equal(rows("instance", vsw), 2);
	assert_int_equal(rows("eni", vsw), 2);
	assert_int_equal(rows("sgmember", sg[5]), 0);
	(void)vsw2;
}

static void
test_run_amount_names_ips(void **state)
{
	char vpc[64], vsw[64], id[64];
	struct tu_reply rp;
	json_t *ids, *o;
	const char *want[] = { "web01", "web02", "web03" };
	const char *ips[] = { "10.0.0.10", "10.0.0.11", "10.0.0.12" };

	(void)state;
	mk_vpc(vpc, "10.0.0.0/16");
	mk_vsw(vsw, vpc, "cn-hangzhou-g", "10.0.0.0/24");
	call(&rp, RUN "&VSwitchId=%s&Amount=3&InstanceName=web%%5B1,2%%5D"
	    "&PrivateIpAddress=10.0.0.10&HostName=h-%%5B7,1%%5D", vsw);
	assert_int_equal(rp.status, 200);
	ids = json_object_get(json_object_get(rp.json, "InstanceIdSets"),
	    "InstanceIdSet");
	assert_int_equal(json_array_size(ids), 3);
	for (size_t i = 0; i < 3; i++) {
		char host[16];

		o = inst_of(json_string_value(json_array_get(ids, i)));
		assert_string_equal(jstr(o, "InstanceName", NULL, 0), want[i]);
		assert_string_equal(inst_ip(o), ips[i]);
		snprintf(host, sizeof(host), "h-%zu", 7 + i);
		assert_string_equal(jstr(o, "HostName", NULL, 0), host);
		json_decref(o);
	}
	tu_reply_free(&rp);
	call(&rp, RUN "&VSwitchId=%s&Amount=2&InstanceName=node"
	    "&UniqueSuffix=true", vsw);
	assert_int_equal(rp.status, 200);
	ids = json_object_get(json_object_get(rp.json, "InstanceIdSets"),
	    "InstanceIdSet");
	o = inst_of(json_string_value(json_array_get(ids, 1)));
	assert_string_equal(jstr(o, "InstanceName", NULL, 0), "node002");
	assert_string_equal(inst_ip(o), "10.0.0.2");
	json_decref(o);
	tu_reply_free(&rp);
	assert_int_equal(rows("instance", vsw), 5);

	/* All or nothing: .10 is taken, so the batch .8-.10 fails whole. */
	expect(400, "InvalidPrivateIpAddress.Duplicated", RUN "&VSwitchId=%s"
	    "&Amount=3&PrivateIpAddress=10.0.0.8", vsw);
	assert_int_equal(rows("instance", vsw), 5);
	assert_int_equal(rows("eni", vsw), 5);
	expect(403, "InvalidParam.Amount", RUN "&VSwitchId=%s&Amount=101", vsw);
	expect(403, "InvalidParam.Amount", RUN "&VSwitchId=%s&Amount=0", vsw);
	/* DryRun runs every check, then nothing is kept. */
	expect(400, "DryRunOperation", RUN "&VSwitchId=%s&DryRun=true", vsw);
	expect(400, "InvalidPrivateIpAddress.Duplicated", RUN "&VSwitchId=%s"
	    "&DryRun=true&PrivateIpAddress=10.0.0.10", vsw);
	assert_int_equal(rows("instance", vsw), 5);
	/* Unsupported: explicit NICs at creation. */
	expect(400, "UnsupportedParameter", RUN "&VSwitchId=%s"
	    "&NetworkInterface.1.VSwitchId=%s", vsw, vsw);
	run(id, "&InstanceName=ok-name");
}

static void
test_private_ip_errors(void **state)
{
	char vpc[64], vsw[64], tiny[64], id[5][64], q[256];
	json_t *o;

	(void)state;
	mk_vpc(vpc, "10.0.0.0/16");
	mk_vsw(vsw, vpc, "cn-hangzhou-g", "10.0.1.0/24");
	mk_vsw(tiny, vpc, "cn-hangzhou-g", "10.0.2.0/29");
	expect(400, "InvalidPrivateIpAddress.Malformed", RUN "&VSwitchId=%s"
	    "&PrivateIpAddress=10.0.1", vsw);
	expect(400, "InvalidPrivateIpAddress.Malformed", RUN "&VSwitchId=%s"
	    "&PrivateIpAddress=fe80::1", vsw);
	expect(400, "InvalidPrivateIpAddress", RUN "&VSwitchId=%s"
	    "&PrivateIpAddress=10.0.9.5", vsw);
	expect(400, "InvalidPrivateIpAddress", RUN "&VSwitchId=%s"
	    "&PrivateIpAddress=10.0.1.0", vsw);
	expect(400, "InvalidPrivateIpAddress", RUN "&VSwitchId=%s"
	    "&PrivateIpAddress=10.0.1.253", vsw);
	snprintf(q, sizeof(q), "&VSwitchId=%s&PrivateIpAddress=10.0.1.252", vsw);
	run(id[0], q);
	expect(400, "InvalidPrivateIpAddress.Duplicated", RUN "&VSwitchId=%s"
	    "&PrivateIpAddress=10.0.1.252", vsw);
	/* A /29 has four usable addresses (.1-.4). */
	snprintf(q, sizeof(q), "&VSwitchId=%s", tiny);
	for (int i = 0; i < 4; i++)
		run(id[i], q);
	expect(400, "QuotaExceeded.PrivateIpAddress", RUN "&VSwitchId=%s",
	    tiny);
	/* Releasing an instance frees its address. */
	o = inst_of(id[2]);
	assert_string_equal(inst_ip(o), "10.0.2.3");
	json_decref(o);
	call_ok(NULL, NULL, "Action=DeleteInstance&Version=2014-05-26"
	    "&InstanceId=%s&Force=true", id[2]);
	run(id[2], q);
	o = inst_of(id[2]);
	assert_string_equal(inst_ip(o), "10.0.2.3");
	json_decref(o);
	expect(404, "InvalidVSwitchId.NotFound", RUN "&VSwitchId=vsw-none");
	expect(404, "InvalidVSwitchId.NotFound", "Action=RunInstances"
	    "&Version=2014-05-26&RegionId=cn-shanghai&InstanceType=ecs.g6.large"
	    "&VSwitchId=%s", vsw);
	expect(400, "InvalidParameter", RUN "&VSwitchId=%s"
	    "&ZoneId=cn-hangzhou-b", vsw);
}

static void
test_create_and_power(void **state)
{
	char vpc[64], vsw[64], id[64];
	json_t *o;

	(void)state;
	mk_vpc(vpc, "10.0.0.0/16");
	mk_vsw(vsw, vpc, "cn-hangzhou-h", "10.0.1.0/24");
	call_ok(id, "InstanceId", "Action=CreateInstance&" ECS
	    "&InstanceType=ecs.t5-lc1m1.small&VSwitchId=%s&InstanceName=db"
	    "&Description=primary+db", vsw);
	assert_memory_equal(id, "i-", 2);
	o = inst_of(id);
	assert_string_equal(jstr(o, "Status", NULL, 0), "Stopped");
	assert_string_equal(jstr(o, "InstanceName", NULL, 0), "db");
	assert_string_equal(jstr(o, "Description", NULL, 0), "primary db");
	assert_string_equal(jstr(o, "InstanceType", NULL, 0),
	    "ecs.t5-lc1m1.small");
	json_decref(o);
#define POWER(a) "Action=" a "&Version=2014-05-26&InstanceId=%s"
	expect(403, "IncorrectInstanceStatus", POWER("StopInstance"), id);
	expect(403, "IncorrectInstanceStatus", POWER("RebootInstance"), id);
	expect(400, "DryRunOperation", POWER("StartInstance") "&DryRun=true",
	    id);
	o = inst_of(id);
	assert_string_equal(jstr(o, "Status", NULL, 0), "Stopped");
	json_decref(o);
	call_ok(NULL, NULL, POWER("StartInstance"), id);
	expect(403, "IncorrectInstanceStatus", POWER("StartInstance"), id);
	call_ok(NULL, NULL, POWER("RebootInstance"), id);
	o = inst_of(id);
	assert_string_equal(jstr(o, "Status", NULL, 0), "Running");
	json_decref(o);
	expect(403, "IncorrectInstanceStatus", POWER("DeleteInstance"), id);
	expect(400, "DryRunOperation", POWER("DeleteInstance")
	    "&Force=true&DryRun=true", id);
	call_ok(NULL, NULL, POWER("StopInstance"), id);
	call_ok(NULL, NULL, POWER("DeleteInstance"), id);
	expect(404, "InvalidInstanceId.NotFound", POWER("DeleteInstance"), id);
	expect(404, "InvalidInstanceId.NotFound", POWER("StartInstance"), id);
	expect(404, "InvalidInstanceId.NotFound", POWER("StopInstance"), id);
	expect(404, "InvalidInstanceId.NotFound", POWER("RebootInstance"), id);
	expect(400, "MissingParameter", "Action=StartInstance"
	    "&Version=2014-05-26");
	/* A running instance goes with Force=true. */
	call_ok(id, "InstanceId", "Action=CreateInstance&" ECS
	    "&InstanceType=ecs.g6.large&VSwitchId=%s", vsw);
	call_ok(NULL, NULL, POWER("StartInstance"), id);
	call_ok(NULL, NULL, POWER("DeleteInstance") "&Force=true", id);
	/* DeletionProtection. */
	call_ok(id, "InstanceId", "Action=CreateInstance&" ECS
	    "&InstanceType=ecs.g6.large&VSwitchId=%s&DeletionProtection=true",
	    vsw);
	expect(403, "InvalidOperation.DeletionProtection",
	    POWER("DeleteInstance"), id);
#undef POWER
	/* Parameter checks. */
	expect(400, "MissingParameter", "Action=CreateInstance&" ECS);
	expect(400, "MissingParameter", "Action=RunInstances&" ECS);
	expect(400, "InvalidInstanceType.ValueNotSupported",
	    "Action=CreateInstance&" ECS "&InstanceType=g6.large");
	expect(400, "InvalidInstanceType.ValueNotSupported",
	    "Action=CreateInstance&" ECS "&InstanceType=ecs.G6.large");
	expect(400, "InvalidInstanceType.ValueNotSupported",
	    "Action=CreateInstance&" ECS "&InstanceType=ecs.g6..large");
	expect(400, "InvalidInstanceName.Malformed", RUN "&InstanceName=1abc");
	expect(400, "InvalidInstanceName.Malformed", RUN "&InstanceName=a");
	expect(400, "InvalidInstanceName.Malformed", RUN
	    "&InstanceName=http://x");
	expect(400, "InvalidInstanceName.Malformed", RUN "&InstanceName=a+b");
	expect(400, "InvalidHostName.Malformed", RUN "&HostName=-host");
	expect(400, "InvalidHostName.Malformed", RUN "&HostName=a..b");
	expect(400, "InvalidHostName.Malformed", RUN "&HostName=a_b");
	expect(400, "InvalidDescription.Malformed", RUN
	    "&Description=http://x.example");
	expect(400, "InvalidDescription.Malformed", RUN "&Description=x");
	expect(404, "InvalidRegionId.NotFound", "Action=RunInstances"
	    "&Version=2014-05-26&RegionId=xx-nowhere-1"
	    "&InstanceType=ecs.g6.large");
	expect(400, "MissingParameter", "Action=RunInstances"
	    "&Version=2014-05-26&InstanceType=ecs.g6.large");
}

static void
test_classic(void **state)
{
	char a[64], b[64], vpc[64], vsw[64], q[256];
	json_t *o, *d;

	(void)state;
	run(a, "&ZoneId=cn-hangzhou-i&KeyPairName=kp1");
	run(b, "");
	o = inst_of(a);
	assert_string_equal(jstr(o, "InstanceNetworkType", NULL, 0), "classic");
	assert_string_equal(jstr(o, "ZoneId", NULL, 0), "cn-hangzhou-i");
	assert_string_equal(jstr(o, "InnerIpAddress", "IpAddress", 0),
	    "192.168.0.1");
	assert_string_equal(jstr(o, "PublicIpAddress", "IpAddress", 0),
	    "198.18.0.1");
	assert_string_equal(jstr(o, "VpcAttributes", "VpcId", 0), "");
	assert_int_equal(jlen(o, "VpcAttributes", "PrivateIpAddress"), 0);
	assert_string_equal(jstr(o, "KeyPairName", NULL, 0), "kp1");
	d = row_doc(jstr(o, "SecurityGroupIds", "SecurityGroupId", 0));
	assert_true(json_is_true(json_object_get(d, "IsDefault")));
	assert_string_equal(jstr(d, "VpcId", NULL, 0), "");
	json_decref(d);
	json_decref(o);
	o = inst_of(b);
	assert_string_equal(jstr(o, "ZoneId", NULL, 0), "cn-hangzhou-b");
	assert_string_equal(jstr(o, "InnerIpAddress", "IpAddress", 0),
	    "192.168.0.2");
	assert_string_equal(jstr(o, "PublicIpAddress", "IpAddress", 0),
	    "198.18.0.2");
	json_decref(o);
	expect(403, "InvalidNetworkType.MismatchRamRole", RUN
	    "&RamRoleName=role1");
	expect(400, "InvalidParameter", RUN "&PrivateIpAddress=192.168.0.9");
	expect(404, "InvalidZoneId.NotFound", RUN "&ZoneId=cn-hangzhou-z");
	/* Classic ENIs are internal: not listed as ENIs. */
	{
		struct tu_reply rp;

		call(&rp, "Action=DescribeNetworkInterfaces&" ECS);
		assert_int_equal(jlen(rp.json, "NetworkInterfaceSets",
		    "NetworkInterfaceSet"), 0);
		tu_reply_free(&rp);
	}
	/* A VPC instance keeps KeyPairName and RamRoleName as given (the
	 * role must exist and trust ECS: iam/authz.h, authz_pass_role). */
	call_ok(NULL, NULL, "Action=CreateRole&Version=2015-05-01"
	    "&RoleName=r1&AssumeRolePolicyDocument=%%7B%%22Statement%%22%%3A"
	    "%%5B%%7B%%22Action%%22%%3A%%22sts%%3AAssumeRole%%22%%2C"
	    "%%22Effect%%22%%3A%%22Allow%%22%%2C%%22Principal%%22%%3A%%7B"
	    "%%22Service%%22%%3A%%5B%%22ecs.aliyuncs.com%%22%%5D%%7D%%7D%%5D"
	    "%%2C%%22Version%%22%%3A%%221%%22%%7D");
	mk_vpc(vpc, "10.0.0.0/16");
	mk_vsw(vsw, vpc, "cn-hangzhou-b", "10.0.1.0/24");
	snprintf(q, sizeof(q), "&VSwitchId=%s&KeyPairName=kp&RamRoleName=r1",
	    vsw);
	run(a, q);
	o = inst_of(a);
	assert_string_equal(jstr(o, "KeyPairName", NULL, 0), "kp");
	assert_string_equal(jstr(o, "RamRoleName", NULL, 0), "r1");
	json_decref(o);
}

static void
test_delete_releases(void **state)
{
	char vpc[64], vsw[64], sg1[64], sg2[64], id[64], eni[64], pri[64];
	char q[512];
	json_t *o, *d;

	(void)state;
	mk_vpc(vpc, "10.0.0.0/16");
	mk_vsw(vsw, vpc, "cn-hangzhou-b", "10.0.1.0/24");
	mk_sg(sg1, vpc, "normal");
	mk_sg(sg2, vpc, "normal");
	snprintf(q, sizeof(q), "&VSwitchId=%s&SecurityGroupIds.1=%s"
	    "&SecurityGroupIds.2=%s", vsw, sg1, sg2);
	run(id, q);
	o = inst_of(id);
	snprintf(pri, sizeof(pri), "%s", jstr(json_array_get(json_object_get(
	    json_object_get(o, "NetworkInterfaces"), "NetworkInterface"), 0),
	    "NetworkInterfaceId", NULL, 0));
	json_decref(o);
	call_ok(eni, "NetworkInterfaceId", "Action=CreateNetworkInterface&"
	    ECS "&VSwitchId=%s&SecurityGroupId=%s", vsw, sg1);
	call_ok(NULL, NULL, "Action=AttachNetworkInterface&" ECS
	    "&InstanceId=%s&NetworkInterfaceId=%s", id, eni);
	assert_int_equal(rows("sgmember", sg1), 2);
	assert_int_equal(rows("sgmember", sg2), 1);
	expect(400, "DependencyViolation", "Action=DeleteVSwitch&" VPCV
	    "&VSwitchId=%s", vsw);
	call_ok(NULL, NULL, "Action=DeleteInstance&Version=2014-05-26"
	    "&InstanceId=%s&Force=true", id);
	/* The primary ENI and its memberships went; the secondary stays. */
	assert_int_equal(rows("instance", NULL), 0);
	assert_null(row_doc(pri));
	assert_int_equal(rows("sgmember", sg1), 1);
	assert_int_equal(rows("sgmember", sg2), 0);
	d = row_doc(eni);
	assert_string_equal(jstr(d, "Status", NULL, 0), "Available");
	assert_string_equal(jstr(d, "InstanceId", NULL, 0), "");
	json_decref(d);
	{
		char mid[160];

		snprintf(mid, sizeof(mid), "%s|%s", sg1, eni);
		d = row_doc(mid);
		assert_non_null(d);
		assert_string_equal(jstr(d, "InstanceId", NULL, 0), "");
		json_decref(d);
	}
	expect(400, "DependencyViolation", "Action=DeleteVSwitch&" VPCV
	    "&VSwitchId=%s", vsw);
	call_ok(NULL, NULL, "Action=DeleteNetworkInterface&" ECS
	    "&NetworkInterfaceId=%s", eni);
	assert_int_equal(rows("sgmember", NULL), 0);
	call_ok(NULL, NULL, "Action=DeleteVSwitch&" VPCV "&VSwitchId=%s", vsw);
	/* A secondary ENI created with DeleteOnRelease=true goes too. */
	mk_vsw(vsw, vpc, "cn-hangzhou-b", "10.0.2.0/24");
	snprintf(q, sizeof(q), "&VSwitchId=%s&SecurityGroupId=%s", vsw, sg1);
	run(id, q);
	call_ok(eni, "NetworkInterfaceId", "Action=CreateNetworkInterface&"
	    ECS "&VSwitchId=%s&SecurityGroupId=%s&DeleteOnRelease=true", vsw,
	    sg1);
	call_ok(NULL, NULL, "Action=AttachNetworkInterface&" ECS
	    "&InstanceId=%s&NetworkInterfaceId=%s", id, eni);
	call_ok(NULL, NULL, "Action=DeleteInstance&Version=2014-05-26"
	    "&InstanceId=%s&Force=true", id);
	assert_int_equal(rows("eni", vsw), 0);
	assert_int_equal(rows("sgmember", NULL), 0);
	call_ok(NULL, NULL, "Action=DeleteVSwitch&" VPCV "&VSwitchId=%s", vsw);
}

static void
test_describe(void **state)
{
	char vpc[64], vsw[2][64], sg[64], id[6][64], q[512];
	json_t *whole, *arr;
	struct tu_reply rp;

	(void)state;
	mk_vpc(vpc, "10.0.0.0/16");
	mk_vsw(vsw[0], vpc, "cn-hangzhou-b", "10.0.1.0/24");
	mk_vsw(vsw[1], vpc, "cn-hangzhou-g", "10.0.2.0/24");
	mk_sg(sg, vpc, "normal");
	arr = describe("", &whole);
	assert_int_equal(json_array_size(arr), 0);
	assert_int_equal(json_integer_value(json_object_get(whole,
	    "TotalCount")), 0);
	json_decref(whole);
	for (int i = 0; i < 6; i++) {
		snprintf(q, sizeof(q), "&VSwitchId=%s&InstanceName=%s-%d%s%s",
		    vsw[i % 2], i < 3 ? "web" : "db", i, i == 5 ?
		    "&SecurityGroupId=" : "", i == 5 ? sg : "");
		run(id[i], q);
	}
	call_ok(NULL, NULL, "Action=StopInstance&Version=2014-05-26"
	    "&InstanceId=%s", id[1]);
#define COUNT(extra, n) do { \
	arr = describe(extra, &whole); \
	assert_int_equal(json_array_size(arr), (n)); \
	json_decref(whole); \
} while (0)
	COUNT("", 6);
	snprintf(q, sizeof(q), "&VSwitchId=%s", vsw[1]);
	COUNT(q, 3);
	snprintf(q, sizeof(q), "&VpcId=%s", vpc);
	COUNT(q, 6);
	COUNT("&VpcId=vpc-other", 0);
	snprintf(q, sizeof(q), "&SecurityGroupId=%s", sg);
	COUNT(q, 1);
	COUNT("&Status=Stopped", 1);
	COUNT("&Status=Running", 5);
	COUNT("&ZoneId=cn-hangzhou-g", 3);
	COUNT("&InstanceName=web*", 3);
	COUNT("&InstanceName=*-4", 1);
	COUNT("&InstanceName=db-3", 1);
	COUNT("&InstanceNetworkType=vpc", 6);
	COUNT("&InstanceNetworkType=classic", 0);
	COUNT("&PrivateIpAddresses=%5B%2210.0.1.1%22,%2210.0.2.2%22%5D", 2);
	snprintf(q, sizeof(q), "&InstanceIds=%%5B%%22%s%%22,%%22%s%%22%%5D",
	    id[0], id[4]);
	COUNT(q, 2);
	COUNT("&InstanceIds=%5B%5D", 6);
	/* Paging: PageNumber/PageSize. */
	arr = describe("&PageSize=4&PageNumber=2", &whole);
	assert_int_equal(json_array_size(arr), 2);
	assert_int_equal(json_integer_value(json_object_get(whole,
	    "TotalCount")), 6);
	assert_int_equal(json_integer_value(json_object_get(whole,
	    "PageNumber")), 2);
	assert_int_equal(json_integer_value(json_object_get(whole,
	    "PageSize")), 4);
	assert_string_equal(jstr(json_array_get(arr, 0), "InstanceId", NULL,
	    0), id[4]);
	json_decref(whole);
	/* MaxResults below 10 counts as 10; NextToken walks on. */
	arr = describe("&MaxResults=5", &whole);
	assert_int_equal(json_array_size(arr), 6);
	assert_string_equal(jstr(whole, "NextToken", NULL, 0), "");
	json_decref(whole);
	for (int i = 0; i < 6; i++)
		run(id[0], "");
	arr = describe("&MaxResults=10", &whole);
	assert_int_equal(json_array_size(arr), 10);
	assert_string_equal(jstr(whole, "NextToken", NULL, 0), "10");
	json_decref(whole);
	arr = describe("&MaxResults=10&NextToken=10", &whole);
	assert_int_equal(json_array_size(arr), 2);
	assert_string_equal(jstr(whole, "NextToken", NULL, 0), "");
	assert_int_equal(json_integer_value(json_object_get(whole,
	    "TotalCount")), 12);
	json_decref(whole);
#undef COUNT
	expect(404, "InvalidStatus.NotFound", "Action=DescribeInstances&" ECS
	    "&Status=Sleeping");
	expect(404, "InvalidNetworkType.NotFound", "Action=DescribeInstances&"
	    ECS "&InstanceNetworkType=vlan");
	expect(400, "InvalidParameter", "Action=DescribeInstances&" ECS
	    "&InstanceIds=i-abc");
	expect(400, "InvalidParameter", "Action=DescribeInstances&" ECS
	    "&NextToken=abc");
	expect(400, "InvalidParameter", "Action=DescribeInstances&" ECS
	    "&PageSize=101");
	expect(400, "InvalidParameter", "Action=DescribeInstances&" ECS
	    "&MaxResults=101");
	expect(400, "DryRunOperation", "Action=DescribeInstances&" ECS
	    "&DryRun=true");
	expect(404, "InvalidRegionId.NotFound", "Action=DescribeInstances"
	    "&Version=2014-05-26&RegionId=xx-none");
	/* The shapes: arrays even for a single element. */
	call(&rp, "Action=DescribeInstances&" ECS "&PageSize=1");
	assert_true(json_is_array(json_object_get(json_object_get(rp.json,
	    "Instances"), "Instance")));
	tu_reply_free(&rp);
}

static void
test_client_token(void **state)
{
	char vpc[64], vsw[64];
	struct tu_reply a, b;

	(void)state;
	mk_vpc(vpc, "10.0.0.0/16");
	mk_vsw(vsw, vpc, "cn-hangzhou-b", "10.0.1.0/24");
	call(&a, RUN "&VSwitchId=%s&ClientToken=tok-1", vsw);
	call(&b, RUN "&VSwitchId=%s&ClientToken=tok-1", vsw);
	assert_int_equal(a.status, 200);
	assert_int_equal(b.status, 200);
	assert_true(json_equal(json_object_get(a.json, "InstanceIdSets"),
	    json_object_get(b.json, "InstanceIdSets")));
	assert_int_equal(rows("instance", vsw), 1);
	tu_reply_free(&a);
	tu_reply_free(&b);
	expect(400, "IdempotentParameterMismatch", RUN "&VSwitchId=%s"
	    "&ClientToken=tok-1&Amount=2", vsw);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_run_vpc_default_group,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_groups, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_run_amount_names_ips,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_private_ip_errors, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_create_and_power, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_classic, setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_releases, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_describe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_client_token, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
