/*
 * eni_test: the ENI actions (Create/Delete/Describe/Attach/Detach-
 * NetworkInterface, ModifyNetworkInterfaceAttribute) and Join/Leave-
 * SecurityGroup (instance and ENI forms), in-process through api_handle(): every error
 * path with its Code and HTTP status, the group-set replacement being
 * atomic, and the instance's view of its ENIs staying in step.
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

#define CREATE "Action=CreateNetworkInterface&" ECS
#define ATTACH "Action=AttachNetworkInterface&" ECS
#define DETACH "Action=DetachNetworkInterface&" ECS
#define MODIFY "Action=ModifyNetworkInterfaceAttribute&" ECS
#define DELETE "Action=DeleteNetworkInterface&" ECS

/* The network most tests start from. */
static char vpc[64], vsw[64], sg[6][64];

static int
net_setup(void **state)
{
	if (setup(state) < 0)
		return -1;
	mk_vpc(vpc, "10.0.0.0/16");
	mk_vsw(vsw, vpc, "cn-hangzhou-b", "10.0.1.0/24");
	for (int i = 0; i < 6; i++)
		mk_sg(sg[i], vpc, "normal");
	return 0;
}

static void
run(char *id, const char *vsw_id, const char *sg_id)
{
	struct tu_reply rp;

	call(&rp, "Action=RunInstances&" ECS "&InstanceType=ecs.g6.large"
	    "&VSwitchId=%s&SecurityGroupId=%s", vsw_id, sg_id);
	if (rp.status != 200)
		fail_msg("RunInstances -> %d %s", rp.status, tu_code(&rp));
	snprintf(id, 64, "%s", json_string_value(json_array_get(
	    json_object_get(json_object_get(rp.json, "InstanceIdSets"),
	    "InstanceIdSet"), 0)));
	tu_reply_free(&rp);
}

/* DescribeNetworkInterfaces; returns the whole reply (caller decrefs). */
static json_t *
enis(const char *fmt, ...)
{
	struct tu_reply rp;
	char q[1024], extra[900];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(extra, sizeof(extra), fmt, ap);
	va_end(ap);
	snprintf(q, sizeof(q), "Action=DescribeNetworkInterfaces&" ECS "%s",
	    extra);
	tu_v1(&env, "GET", q, NULL, &rp);
	if (rp.status != 200)
		fail_msg("%s -> %d %s", q, rp.status, tu_code(&rp));
	return rp.json;
}

static json_t *
set_of(json_t *reply)
{
	json_t *a = json_object_get(json_object_get(reply,
	    "NetworkInterfaceSets"), "NetworkInterfaceSet");

	assert_true(json_is_array(a));
	return a;
}

/* The one ENI id as DescribeNetworkInterfaces shows it (caller decrefs). */
static json_t *
eni_of(const char *id)
{
	json_t *r = enis("&NetworkInterfaceId.1=%s", id), *o;

	assert_int_equal(json_array_size(set_of(r)), 1);
	o = json_incref(json_array_get(set_of(r), 0));
	json_decref(r);
	return o;
}

static json_t *
inst_of(const char *id)
{
	struct tu_reply rp;
	json_t *o;

	call(&rp, "Action=DescribeInstances&" ECS
	    "&InstanceIds=%%5B%%22%s%%22%%5D", id);
	assert_int_equal(rp.status, 200);
	o = json_incref(json_array_get(json_object_get(json_object_get(
	    rp.json, "Instances"), "Instance"), 0));
	tu_reply_free(&rp);
	assert_non_null(o);
	return o;
}

static const char *
s_of(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* Element i of o.a.b (an array of strings or objects' field). */
static const char *
list_str(const json_t *o, const char *a, const char *b, size_t i)
{
	return json_string_value(json_array_get(json_object_get(
	    json_object_get(o, a), b), i));
}

static size_t
list_len(const json_t *o, const char *a, const char *b)
{
	return json_array_size(json_object_get(json_object_get(o, a), b));
}

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

static void
test_create(void **state)
{
	char eni[64], vpc2[64], vsw2[64], other[64], csg[64], tiny[64];
	struct tu_reply rp;
	json_t *o;

	(void)state;
	call(&rp, CREATE "&VSwitchId=%s&SecurityGroupIds.1=%s"
	    "&SecurityGroupIds.2=%s&NetworkInterfaceName=eni-a"
	    "&Description=two+groups", vsw, sg[0], sg[1]);
	assert_int_equal(rp.status, 200);
	o = rp.json;
	snprintf(eni, sizeof(eni), "%s", s_of(o, "NetworkInterfaceId"));
	assert_memory_equal(eni, "eni-", 4);
	assert_string_equal(s_of(o, "Status"), "Available");
	assert_string_equal(s_of(o, "Type"), "Secondary");
	assert_string_equal(s_of(o, "PrivateIpAddress"), "10.0.1.1");
	assert_string_equal(s_of(o, "VpcId"), vpc);
	assert_string_equal(s_of(o, "VSwitchId"), vsw);
	assert_string_equal(s_of(o, "ZoneId"), "cn-hangzhou-b");
	assert_string_equal(s_of(o, "NetworkInterfaceName"), "eni-a");
	assert_string_equal(s_of(o, "Description"), "two groups");
	assert_string_equal(s_of(o, "InstanceId"), "");
	assert_memory_equal(s_of(o, "MacAddress"), "00:16:3e:", 9);
	assert_int_equal(list_len(o, "SecurityGroupIds", "SecurityGroupId"), 2);
	assert_string_equal(list_str(o, "SecurityGroupIds", "SecurityGroupId",
	    1), sg[1]);
	assert_int_equal(list_len(o, "PrivateIpSets", "PrivateIpSet"), 1);
	assert_null(json_object_get(o, "Attachment"));
	tu_reply_free(&rp);
	assert_int_equal(rows("sgmember", sg[0]), 1);
	call_ok(eni, "PrivateIpAddress", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s&PrimaryIpAddress=10.0.1.200", vsw, sg[0]);
	assert_string_equal(eni, "10.0.1.200");

	mk_vpc(vpc2, "172.16.0.0/16");
	mk_vsw(vsw2, vpc2, "cn-hangzhou-b", "172.16.1.0/24");
	mk_sg(other, vpc2, "normal");
	mk_sg(csg, "", "normal");
	mk_vsw(tiny, vpc, "cn-hangzhou-b", "10.0.9.0/29");
	expect(400, "MissingParameter", CREATE "&VSwitchId=%s", vsw);
	expect(400, "MissingParameter", CREATE "&SecurityGroupId=%s", sg[0]);
	expect(400, "MissingParameter", "Action=CreateNetworkInterface"
	    "&Version=2014-05-26&VSwitchId=%s&SecurityGroupId=%s", vsw, sg[0]);
	expect(404, "InvalidRegionId.NotFound", "Action=CreateNetworkInterface"
	    "&Version=2014-05-26&RegionId=xx-none&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw, sg[0]);
	expect(404, "InvalidVSwitchId.NotFound", CREATE "&VSwitchId=vsw-none"
	    "&SecurityGroupId=%s", sg[0]);
	expect(404, "InvalidSecurityGroupId.NotFound", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=sg-none", vsw);
	expect(403, "InvalidOperation.VpcMismatch", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw, other);
	expect(403, "InvalidSecurityGroupId.NotVpc", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw, csg);
	expect(400, "InvalidParameter.Conflict", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s&SecurityGroupIds.1=%s", vsw, sg[0], sg[1]);
	expect(400, "InvalidParameter", CREATE "&VSwitchId=%s"
	    "&SecurityGroupIds.1=%s&SecurityGroupIds.2=%s", vsw, sg[0], sg[0]);
	expect(400, "InstanceSecurityGroupLimitExceeded", CREATE "&VSwitchId=%s"
	    "&SecurityGroupIds.1=%s&SecurityGroupIds.2=%s&SecurityGroupIds.3=%s"
	    "&SecurityGroupIds.4=%s&SecurityGroupIds.5=%s&SecurityGroupIds.6=%s",
	    vsw, sg[0], sg[1], sg[2], sg[3], sg[4], sg[5]);
	expect(403, "InvalidIp.Address", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s&PrimaryIpAddress=10.0.1.300", vsw, sg[0]);
	expect(403, "InvalidVSwitchId.IpInvalid", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s&PrimaryIpAddress=10.0.2.1", vsw, sg[0]);
	expect(403, "InvalidVSwitchId.IpInvalid", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s&PrimaryIpAddress=10.0.1.255", vsw, sg[0]);
	expect(403, "InvalidIp.IpRepeated", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s&PrimaryIpAddress=10.0.1.200", vsw, sg[0]);
	for (int i = 0; i < 4; i++)
		call_ok(NULL, NULL, CREATE "&VSwitchId=%s&SecurityGroupId=%s",
		    tiny, sg[0]);
	expect(403, "InvalidVSwitchId.IpNotEnough", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s", tiny, sg[0]);
	expect(400, "UnsupportedParameter", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s&SecondaryPrivateIpAddressCount=2", vsw, sg[0]);
	expect(400, "UnsupportedParameter", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s&PrivateIpAddress.1=10.0.1.9", vsw, sg[0]);
	expect(400, "UnsupportedParameter", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s&InstanceType=Trunk", vsw, sg[0]);
	expect(400, "InvalidParameter", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s&NetworkInterfaceName=1eni", vsw, sg[0]);
	expect(400, "InvalidParameter", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s&Description=https://x.example", vsw, sg[0]);
	/* Failures stored nothing: 2 + 4 ENIs in all. */
	assert_int_equal(rows("eni", NULL), 6);
	(void)vsw2;
}

static void
test_attach_detach(void **state)
{
	char id[64], id2[64], eni[64], eni2[64], pri[64], vsw_g[64], q[256];
	char vpc2[64], vsw2[64], sg2[64], ent[64], eni_ent[64], mid[160];
	char classic[64];
	struct tu_reply rp;
	json_t *o, *r;

	(void)state;
	run(id, vsw, sg[0]);
	run(id2, vsw, sg[0]);
	call_ok(eni, "NetworkInterfaceId", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw, sg[1]);
	call_ok(eni2, "NetworkInterfaceId", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw, sg[1]);
	call_ok(NULL, NULL, ATTACH "&InstanceId=%s&NetworkInterfaceId=%s", id,
	    eni);
	call_ok(NULL, NULL, ATTACH "&InstanceId=%s&NetworkInterfaceId=%s", id,
	    eni2);
	o = eni_of(eni);
	assert_string_equal(s_of(o, "Status"), "InUse");
	assert_string_equal(s_of(o, "InstanceId"), id);
	assert_string_equal(s_of(json_object_get(o, "Attachment"),
	    "InstanceId"), id);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o,
	    "Attachment"), "DeviceIndex")), 1);
	json_decref(o);
	o = eni_of(eni2);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o,
	    "Attachment"), "DeviceIndex")), 2);
	json_decref(o);
	/* The instance lists its ENIs, the primary first. */
	o = inst_of(id);
	assert_int_equal(list_len(o, "NetworkInterfaces", "NetworkInterface"),
	    3);
	{
		json_t *nics = json_object_get(json_object_get(o,
		    "NetworkInterfaces"), "NetworkInterface");

		assert_string_equal(s_of(json_array_get(nics, 0), "Type"),
		    "Primary");
		snprintf(pri, sizeof(pri), "%s", s_of(json_array_get(nics, 0),
		    "NetworkInterfaceId"));
		assert_string_equal(s_of(json_array_get(nics, 1),
		    "NetworkInterfaceId"), eni);
		assert_string_equal(s_of(json_array_get(nics, 1),
		    "PrimaryIpAddress"), "10.0.1.3");
	}
	/* Secondary ENIs' groups are not the instance's. */
	assert_int_equal(list_len(o, "SecurityGroupIds", "SecurityGroupId"), 1);
	json_decref(o);
	r = enis("&InstanceId=%s", id);
	assert_int_equal(json_array_size(set_of(r)), 3);
	json_decref(r);
	/* The membership index names the instance. */
	snprintf(mid, sizeof(mid), "%s|%s", sg[1], eni);
	{
		struct store_res m;

		memset(&m, 0, sizeof(m));
		assert_int_equal(store_tx_begin(env.st, STORE_TX_READ), 0);
		assert_int_equal(store_res_get(env.st, mid, &m), 0);
		store_tx_abort(env.st);
		assert_string_equal(s_of(m.doc, "InstanceId"), id);
		store_res_clear(&m);
	}

	expect(400, "InvalidOperation.InvalidEniState", ATTACH "&InstanceId=%s"
	    "&NetworkInterfaceId=%s", id2, eni);
	expect(403, "InvalidOperation.InvalidEniType", ATTACH "&InstanceId=%s"
	    "&NetworkInterfaceId=%s", id2, pri);
	expect(404, "InvalidInstanceId.NotFound", ATTACH "&InstanceId=i-none"
	    "&NetworkInterfaceId=%s", eni);
	expect(404, "InvalidEniId.NotFound", ATTACH "&InstanceId=%s"
	    "&NetworkInterfaceId=eni-none", id);
	expect(400, "MissingParameter", ATTACH "&InstanceId=%s", id);
	expect(400, "InvalidOperation.DetachPrimaryEniNotAllowed", DETACH
	    "&InstanceId=%s&NetworkInterfaceId=%s", id, pri);
	expect(400, "InvalidOperation.InvalidEniState", DETACH "&InstanceId=%s"
	    "&NetworkInterfaceId=%s", id2, eni);
	expect(404, "InvalidInstanceId.NotFound", DETACH "&InstanceId=i-none"
	    "&NetworkInterfaceId=%s", eni);
	call_ok(NULL, NULL, DETACH "&InstanceId=%s&NetworkInterfaceId=%s", id,
	    eni);
	o = eni_of(eni);
	assert_string_equal(s_of(o, "Status"), "Available");
	assert_string_equal(s_of(o, "InstanceId"), "");
	assert_null(json_object_get(o, "Attachment"));
	json_decref(o);
	o = inst_of(id);
	assert_int_equal(list_len(o, "NetworkInterfaces", "NetworkInterface"),
	    2);
	json_decref(o);
	expect(400, "InvalidOperation.InvalidEniState", DETACH "&InstanceId=%s"
	    "&NetworkInterfaceId=%s", id, eni);
	/* Re-attach takes the lowest free device index. */
	call_ok(NULL, NULL, ATTACH "&InstanceId=%s&NetworkInterfaceId=%s", id,
	    eni);
	o = eni_of(eni);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(o,
	    "Attachment"), "DeviceIndex")), 1);
	json_decref(o);

	/* Zone, VPC and group type must match the instance's. */
	mk_vsw(vsw_g, vpc, "cn-hangzhou-g", "10.0.2.0/24");
	call_ok(q, "NetworkInterfaceId", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw_g, sg[1]);
	expect(403, "InvalidOperation.AvailabilityZoneMismatch", ATTACH
	    "&InstanceId=%s&NetworkInterfaceId=%s", id2, q);
	mk_vpc(vpc2, "172.16.0.0/16");
	mk_vsw(vsw2, vpc2, "cn-hangzhou-b", "172.16.1.0/24");
	mk_sg(sg2, vpc2, "normal");
	call_ok(q, "NetworkInterfaceId", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw2, sg2);
	expect(403, "InvalidOperation.VpcMismatch", ATTACH "&InstanceId=%s"
	    "&NetworkInterfaceId=%s", id2, q);
	call(&rp, "Action=RunInstances&" ECS "&InstanceType=ecs.g6.large");
	snprintf(classic, sizeof(classic), "%s", list_str(rp.json,
	    "InstanceIdSets", "InstanceIdSet", 0));
	tu_reply_free(&rp);
	expect(403, "InvalidOperation.VpcMismatch", ATTACH "&InstanceId=%s"
	    "&NetworkInterfaceId=%s", classic, q);
	mk_sg(ent, vpc, "enterprise");
	call_ok(eni_ent, "NetworkInterfaceId", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw, ent);
	expect(403, "InvalidSecurityGroup.TypeConflict", ATTACH
	    "&InstanceId=%s&NetworkInterfaceId=%s", id2, eni_ent);
	o = eni_of(eni_ent);
	assert_string_equal(s_of(o, "Status"), "Available");
	json_decref(o);
}

static void
test_delete(void **state)
{
	char id[64], eni[64], pri[64];
	json_t *o;

	(void)state;
	run(id, vsw, sg[0]);
	o = inst_of(id);
	snprintf(pri, sizeof(pri), "%s", s_of(json_array_get(json_object_get(
	    json_object_get(o, "NetworkInterfaces"), "NetworkInterface"), 0),
	    "NetworkInterfaceId"));
	json_decref(o);
	call_ok(eni, "NetworkInterfaceId", CREATE "&VSwitchId=%s"
	    "&SecurityGroupIds.1=%s&SecurityGroupIds.2=%s", vsw, sg[1], sg[2]);
	call_ok(NULL, NULL, ATTACH "&InstanceId=%s&NetworkInterfaceId=%s", id,
	    eni);
	expect(400, "InvalidOperation.InvalidEniState", DELETE
	    "&NetworkInterfaceId=%s", eni);
	expect(400, "InvalidOperation.InvalidEniState", DELETE
	    "&NetworkInterfaceId=%s", pri);
	call_ok(NULL, NULL, DETACH "&InstanceId=%s&NetworkInterfaceId=%s", id,
	    eni);
	expect(404, "InvalidEniId.NotFound", "Action=DeleteNetworkInterface"
	    "&Version=2014-05-26&RegionId=cn-shanghai&NetworkInterfaceId=%s",
	    eni);
	assert_int_equal(rows("sgmember", sg[2]), 1);
	call_ok(NULL, NULL, DELETE "&NetworkInterfaceId=%s", eni);
	assert_int_equal(rows("sgmember", sg[1]), 0);
	assert_int_equal(rows("sgmember", sg[2]), 0);
	expect(404, "InvalidEniId.NotFound", DELETE "&NetworkInterfaceId=%s",
	    eni);
	expect(400, "MissingParameter", DELETE);
	/* Its address is free again. */
	call_ok(eni, "PrivateIpAddress", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw, sg[1]);
	assert_string_equal(eni, "10.0.1.2");
}

static void
test_modify(void **state)
{
	char id[64], eni[64], pri[64], ent[64];
	json_t *o;

	(void)state;
	call_ok(eni, "NetworkInterfaceId", CREATE "&VSwitchId=%s"
	    "&SecurityGroupIds.1=%s&SecurityGroupIds.2=%s", vsw, sg[0], sg[1]);
	call_ok(NULL, NULL, MODIFY "&NetworkInterfaceId=%s"
	    "&SecurityGroupId.1=%s&SecurityGroupId.2=%s&SecurityGroupId.3=%s"
	    "&NetworkInterfaceName=renamed&Description=new+text", eni, sg[1],
	    sg[2], sg[3]);
	o = eni_of(eni);
	assert_int_equal(list_len(o, "SecurityGroupIds", "SecurityGroupId"), 3);
	assert_string_equal(list_str(o, "SecurityGroupIds", "SecurityGroupId",
	    0), sg[1]);
	assert_string_equal(list_str(o, "SecurityGroupIds", "SecurityGroupId",
	    2), sg[3]);
	assert_string_equal(s_of(o, "NetworkInterfaceName"), "renamed");
	assert_string_equal(s_of(o, "Description"), "new text");
	json_decref(o);
	assert_int_equal(rows("sgmember", sg[0]), 0);
	assert_int_equal(rows("sgmember", sg[3]), 1);
	/* A failing replacement changes nothing. */
	expect(400, "InstanceSecurityGroupLimitExceeded", MODIFY
	    "&NetworkInterfaceId=%s&SecurityGroupId.1=%s&SecurityGroupId.2=%s"
	    "&SecurityGroupId.3=%s&SecurityGroupId.4=%s&SecurityGroupId.5=%s"
	    "&SecurityGroupId.6=%s&NetworkInterfaceName=lost", eni, sg[0],
	    sg[1], sg[2], sg[3], sg[4], sg[5]);
	expect(404, "InvalidSecurityGroupId.NotFound", MODIFY
	    "&NetworkInterfaceId=%s&SecurityGroupId.1=%s"
	    "&SecurityGroupId.2=sg-none", eni, sg[0]);
	expect(400, "InvalidParameter", MODIFY "&NetworkInterfaceId=%s"
	    "&SecurityGroupId.1=%s&SecurityGroupId.2=%s", eni, sg[0], sg[0]);
	expect(400, "InvalidParameter", MODIFY "&NetworkInterfaceId=%s"
	    "&NetworkInterfaceName=http://x", eni);
	expect(404, "InvalidEniId.NotFound", MODIFY
	    "&NetworkInterfaceId=eni-none&SecurityGroupId.1=%s", sg[0]);
	o = eni_of(eni);
	assert_int_equal(list_len(o, "SecurityGroupIds", "SecurityGroupId"), 3);
	assert_string_equal(s_of(o, "NetworkInterfaceName"), "renamed");
	json_decref(o);
	assert_int_equal(rows("sgmember", sg[0]), 0);
	/* The primary ENI's groups are the instance's. */
	run(id, vsw, sg[0]);
	o = inst_of(id);
	snprintf(pri, sizeof(pri), "%s", s_of(json_array_get(json_object_get(
	    json_object_get(o, "NetworkInterfaces"), "NetworkInterface"), 0),
	    "NetworkInterfaceId"));
	json_decref(o);
	call_ok(NULL, NULL, MODIFY "&NetworkInterfaceId=%s"
	    "&SecurityGroupId.1=%s&SecurityGroupId.2=%s", pri, sg[4], sg[5]);
	o = inst_of(id);
	assert_int_equal(list_len(o, "SecurityGroupIds", "SecurityGroupId"), 2);
	assert_string_equal(list_str(o, "SecurityGroupIds", "SecurityGroupId",
	    0), sg[4]);
	json_decref(o);
	/* An attached ENI cannot switch to the other group type. */
	call_ok(NULL, NULL, ATTACH "&InstanceId=%s&NetworkInterfaceId=%s", id,
	    eni);
	mk_sg(ent, vpc, "enterprise");
	expect(403, "InvalidSecurityGroup.TypeConflict", MODIFY
	    "&NetworkInterfaceId=%s&SecurityGroupId.1=%s", eni, ent);
	expect(403, "InvalidSecurityGroup.TypeConflict", MODIFY
	    "&NetworkInterfaceId=%s&SecurityGroupId.1=%s", pri, ent);
	/* Detached, it can. */
	call_ok(NULL, NULL, DETACH "&InstanceId=%s&NetworkInterfaceId=%s", id,
	    eni);
	call_ok(NULL, NULL, MODIFY "&NetworkInterfaceId=%s"
	    "&SecurityGroupId.1=%s", eni, ent);
}

static void
test_join_leave_eni(void **state)
{
	char eni[64];
	json_t *o;

	(void)state;
	call_ok(eni, "NetworkInterfaceId", CREATE "&VSwitchId=%s"
	    "&SecurityGroupId=%s", vsw, sg[0]);
	call_ok(NULL, NULL, "Action=JoinSecurityGroup&" ECS
	    "&NetworkInterfaceId=%s&SecurityGroupId=%s", eni, sg[1]);
	o = eni_of(eni);
	assert_int_equal(list_len(o, "SecurityGroupIds", "SecurityGroupId"), 2);
	json_decref(o);
	expect(403, "InvalidInstanceId.AlreadyExists", "Action=JoinSecurityGroup&"
	    ECS "&NetworkInterfaceId=%s&SecurityGroupId=%s", eni, sg[1]);
	call_ok(NULL, NULL, "Action=LeaveSecurityGroup&" ECS
	    "&NetworkInterfaceId=%s&SecurityGroupId=%s", eni, sg[0]);
	expect(403, "InstanceLastSecurityGroup", "Action=LeaveSecurityGroup&"
	    ECS "&NetworkInterfaceId=%s&SecurityGroupId=%s", eni, sg[1]);
	expect(403, "InstanceNotInSecurityGroup", "Action=LeaveSecurityGroup&"
	    ECS "&NetworkInterfaceId=%s&SecurityGroupId=%s", eni, sg[0]);
	o = eni_of(eni);
	assert_int_equal(list_len(o, "SecurityGroupIds", "SecurityGroupId"), 1);
	assert_string_equal(list_str(o, "SecurityGroupIds", "SecurityGroupId",
	    0), sg[1]);
	json_decref(o);
	assert_int_equal(rows("sgmember", sg[0]), 0);
	assert_int_equal(rows("sgmember", sg[1]), 1);
}

static void
test_join_leave_instance(void **state)
{
	char vpc2[64], other[64], ent[64], id[64];
	json_t *o;

	(void)state;
	mk_vpc(vpc2, "172.16.0.0/16");
	mk_sg(other, vpc2, "normal");
	mk_sg(ent, vpc, "enterprise");
	run(id, vsw, sg[0]);
#define JOIN "Action=JoinSecurityGroup&Version=2014-05-26"
#define LEAVE "Action=LeaveSecurityGroup&Version=2014-05-26"
	/* RegionId is optional for instances. */
	call_ok(NULL, NULL, JOIN "&InstanceId=%s&SecurityGroupId=%s", id,
	    sg[1]);
	call_ok(NULL, NULL, JOIN "&RegionId=cn-hangzhou&InstanceId=%s"
	    "&SecurityGroupId=%s", id, sg[2]);
	o = inst_of(id);
	assert_int_equal(list_len(o, "SecurityGroupIds", "SecurityGroupId"), 3);
	assert_string_equal(list_str(o, "SecurityGroupIds", "SecurityGroupId",
	    2), sg[2]);
	json_decref(o);
	assert_int_equal(rows("sgmember", sg[1]), 1);
	expect(403, "InvalidInstanceId.AlreadyExists", JOIN "&InstanceId=%s"
	    "&SecurityGroupId=%s", id, sg[1]);
	expect(400, "InvalidInstanceId.Mismatch", JOIN "&InstanceId=%s"
	    "&SecurityGroupId=%s", id, other);
	expect(403, "InvalidSecurityGroup.TypeConflict", JOIN "&InstanceId=%s"
	    "&SecurityGroupId=%s", id, ent);
	call_ok(NULL, NULL, JOIN "&InstanceId=%s&SecurityGroupId=%s", id,
	    sg[3]);
	call_ok(NULL, NULL, JOIN "&InstanceId=%s&SecurityGroupId=%s", id,
	    sg[4]);
	expect(400, "InstanceSecurityGroupLimitExceeded", JOIN "&InstanceId=%s"
	    "&SecurityGroupId=%s", id, sg[5]);
	expect(404, "InvalidSecurityGroupId.NotFound", JOIN "&InstanceId=%s"
	    "&SecurityGroupId=sg-nothere", id);
	expect(404, "InvalidInstanceId.NotFound", JOIN "&InstanceId=i-nothere"
	    "&SecurityGroupId=%s", sg[0]);
	expect(404, "InvalidInstanceId.NotFound", JOIN "&RegionId=cn-shanghai"
	    "&InstanceId=%s&SecurityGroupId=%s", id, sg[5]);
	expect(404, "InvalidRegionId.NotFound", JOIN "&RegionId=xx-none"
	    "&InstanceId=%s&SecurityGroupId=%s", id, sg[5]);
	expect(400, "InvalidParameter.Conflict", JOIN "&InstanceId=%s"
	    "&NetworkInterfaceId=eni-x&SecurityGroupId=%s", id, sg[5]);
	expect(400, "MissingParameter", JOIN "&SecurityGroupId=%s", sg[5]);
	expect(400, "MissingParameter", JOIN "&InstanceId=%s", id);
	expect(400, "MissingParameter.RegionId", JOIN
	    "&NetworkInterfaceId=eni-x&SecurityGroupId=%s", sg[5]);
	expect(404, "InvalidEniId.NotFound", JOIN "&RegionId=cn-hangzhou"
	    "&NetworkInterfaceId=eni-x&SecurityGroupId=%s", sg[5]);
	/* Leave down to the last group. */
	for (int i = 4; i >= 1; i--)
		call_ok(NULL, NULL, LEAVE "&InstanceId=%s&SecurityGroupId=%s",
		    id, sg[i]);
	o = inst_of(id);
	assert_int_equal(list_len(o, "SecurityGroupIds", "SecurityGroupId"), 1);
	assert_string_equal(list_str(o, "SecurityGroupIds", "SecurityGroupId",
	    0), sg[0]);
	json_decref(o);
	assert_int_equal(rows("sgmember", sg[1]), 0);
	expect(403, "InstanceLastSecurityGroup", LEAVE "&InstanceId=%s"
	    "&SecurityGroupId=%s", id, sg[0]);
	expect(403, "InstanceNotInSecurityGroup", LEAVE "&InstanceId=%s"
	    "&SecurityGroupId=%s", id, sg[1]);
	expect(404, "InvalidSecurityGroupId.NotFound", LEAVE "&InstanceId=%s"
	    "&SecurityGroupId=sg-nothere", id);
	expect(404, "InvalidInstanceId.NotFound", LEAVE "&InstanceId=i-x"
	    "&SecurityGroupId=%s", sg[0]);
	expect(400, "InvalidParameter.Conflict", LEAVE "&InstanceId=%s"
	    "&NetworkInterfaceId=eni-x&SecurityGroupId=%s", id, sg[0]);
	expect(400, "MissingParameter.RegionId", LEAVE
	    "&NetworkInterfaceId=eni-x&SecurityGroupId=%s", sg[0]);
	/* An enterprise instance cannot join a basic group. */
	run(id, vsw, ent);
	expect(403, "InvalidSecurityGroup.TypeConflict", JOIN "&InstanceId=%s"
	    "&SecurityGroupId=%s", id, sg[0]);
#undef JOIN
#undef LEAVE
}

static void
test_describe(void **state)
{
	char id[64], e[12][64], q[256];
	json_t *r;

	(void)state;
	r = enis("");
	assert_int_equal(json_array_size(set_of(r)), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "TotalCount")),
	    0);
	json_decref(r);
	run(id, vsw, sg[0]);
	for (int i = 0; i < 11; i++)
		call_ok(e[i], "NetworkInterfaceId", CREATE "&VSwitchId=%s"
		    "&SecurityGroupId=%s", vsw, sg[i % 2]);
	call_ok(NULL, NULL, ATTACH "&InstanceId=%s&NetworkInterfaceId=%s", id,
	    e[0]);
#define COUNT(n, ...) do { \
	r = enis(__VA_ARGS__); \
	assert_int_equal(json_array_size(set_of(r)), (n)); \
	json_decref(r); \
} while (0)
	COUNT(10, "");		/* default page size 10 */
	COUNT(12, "&PageSize=50");
	COUNT(2, "&NetworkInterfaceId.1=%s&NetworkInterfaceId.2=%s", e[3], e[4]);
	COUNT(12, "&VSwitchId=%s&PageSize=50", vsw);
	COUNT(12, "&VpcId=%s&MaxResults=50", vpc);
	COUNT(0, "&VpcId=vpc-none");
	COUNT(1, "&Type=Primary");
	COUNT(11, "&Type=Secondary&PageSize=50");
	COUNT(2, "&InstanceId=%s", id);
	COUNT(1, "&Status=InUse&Type=Secondary");
	COUNT(10, "&Status=Available&PageSize=50");
	COUNT(7, "&SecurityGroupId=%s&PageSize=50", sg[0]);	/* 6 + primary */
	COUNT(1, "&PrimaryIpAddress=10.0.1.5");
	snprintf(q, sizeof(q), "&NetworkInterfaceId.1=%s&Type=Primary", e[3]);
	COUNT(0, "%s", q);
	/* Token paging. */
	r = enis("&MaxResults=10");
	assert_int_equal(json_array_size(set_of(r)), 10);
	assert_string_equal(s_of(r, "NextToken"), "10");
	assert_int_equal(json_integer_value(json_object_get(r, "TotalCount")),
	    12);
	json_decref(r);
	r = enis("&MaxResults=10&NextToken=10");
	assert_int_equal(json_array_size(set_of(r)), 2);
	assert_string_equal(s_of(r, "NextToken"), "");
	json_decref(r);
	r = enis("&PageSize=5&PageNumber=3");
	assert_int_equal(json_array_size(set_of(r)), 2);
	assert_int_equal(json_integer_value(json_object_get(r, "PageNumber")),
	    3);
	json_decref(r);
#undef COUNT
	expect(400, "InvalidParameter", "Action=DescribeNetworkInterfaces&" ECS
	    "&NextToken=x1");
	expect(400, "InvalidParameter", "Action=DescribeNetworkInterfaces&" ECS
	    "&MaxResults=501");
	expect(400, "InvalidParameter", "Action=DescribeNetworkInterfaces&" ECS
	    "&NetworkInterfaceId.101=eni-x");
	expect(400, "MissingParameter", "Action=DescribeNetworkInterfaces"
	    "&Version=2014-05-26");
	expect(404, "InvalidRegionId.NotFound", "Action=DescribeNetworkInterfaces"
	    "&Version=2014-05-26&RegionId=xx-none");
	/* Another region sees none of them. */
	{
		struct tu_reply rp;

		call(&rp, "Action=DescribeNetworkInterfaces&Version=2014-05-26"
		    "&RegionId=cn-shanghai");
		assert_int_equal(rp.status, 200);
		assert_int_equal(list_len(rp.json, "NetworkInterfaceSets",
		    "NetworkInterfaceSet"), 0);
		tu_reply_free(&rp);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create, net_setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_attach_detach, net_setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_delete, net_setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_modify, net_setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_join_leave_eni, net_setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_join_leave_instance,
		    net_setup, teardown),
		cmocka_unit_test_setup_teardown(test_describe, net_setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
