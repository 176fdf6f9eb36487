/*
 * agent_api_test: our product 2026-12-01 — the agent contract
 * (GetHostDesiredState, ReportEnforcementStatus), the enforcement status,
 * ENI driver bindings, and the wall between agent keys and everything else.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fw/fw.h"
#include "sgtu.h"

static char agent_akid[128], agent_secret[128];

static int
setup(void **state)
{
	char path[256];
	json_t *j;

	if (sgtu_setup(state) < 0 ||
	    boot_agent(env.st, env.dir, "host-local", SGTU_NOW, path,
	    sizeof(path)) < 0)
		return -1;
	j = json_load_file(path, 0, NULL);
	if (j == NULL)
		return -1;
	snprintf(agent_akid, sizeof(agent_akid), "%s", jstr(j, "AccessKeyId"));
	snprintf(agent_secret, sizeof(agent_secret), "%s",
	    jstr(j, "AccessKeySecret"));
	assert_string_equal(jstr(j, "HostId"), "host-local");
	json_decref(j);
	return 0;
}

/* A call of our product as the agent (or as root with as_agent = 0). */
static void __attribute__((format(printf, 3, 4)))
sk(struct tu_reply *rp, int as_agent, const char *fmt, ...)
{
	char q[4096], full[4200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "Version=2026-12-01&Action=%s", q);
	if (as_agent) {
		env.akid = agent_akid;
		env.secret = agent_secret;
	}
	tu_v1(&env, "GET", full, NULL, rp);
	env.akid = TU_AKID;
	env.secret = TU_SECRET;
}

static void
test_agent_wall(void **state)
{
	struct tu_reply rp;

	(void)state;
	/* Users cannot read the whole desired state... */
	sk(&rp, 0, "GetHostDesiredState&HostId=host-local");
	tu_expect_error(&rp, 403, "Forbidden.RAM");
	/* ...and agents can do nothing else. */
	env.akid = agent_akid;
	env.secret = agent_secret;
	tu_v1(&env, "GET", "Version=2014-05-26&Action=DescribeRegions", NULL, &rp);
	env.akid = TU_AKID;
	env.secret = TU_SECRET;
	tu_expect_error(&rp, 403, "Forbidden.RAM");
	/* An agent speaks for its own host only. */
	sk(&rp, 1, "GetHostDesiredState&HostId=host-other");
	tu_expect_error(&rp, 403, "Forbidden.RAM");
	sk(&rp, 1, "ReportEnforcementStatus&HostId=host-other&AppliedRevision=1");
	tu_expect_error(&rp, 403, "Forbidden.RAM");
	sk(&rp, 1, "GetHostDesiredState");
	tu_expect_error(&rp, 400, "MissingParameter");
}

static void
test_desired_state(void **state)
{
	char vpc[64], vsw[64], sg[64], q[512], inst[64];
	struct tu_reply rp;
	json_t *j, *arr, *e;
	size_t i;
	int found = 0;

	(void)state;
	mkvpc(vpc);
	snprintf(q, sizeof(q), "Version=2016-04-28&Action=CreateVSwitch&"
	    "VpcId=%s&ZoneId=cn-hangzhou-b&CidrBlock=10.1.0.0/24", vpc);
	tu_v1(&env, "GET", q, NULL, &rp);
	assert_int_equal(rp.status, 200);
	snprintf(vsw, 64, "%s", jstr(rp.json, "VSwitchId"));
	tu_reply_free(&rp);
	snprintf(q, sizeof(q), "&VpcId=%s", vpc);
	mksg(q, sg);
	json_decref(ok("AuthorizeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=22/22&Permissions.1.SourceCidrIp=10.0.0.9",
	    sg));
	j = ok("RunInstances&RegionId=cn-hangzhou&VSwitchId=%s&"
	    "SecurityGroupId=%s&InstanceType=ecs.g7.large&ImageId=img-1", vsw, sg);
	snprintf(inst, 64, "%s", json_string_value(json_array_get(jlist(j,
	    "InstanceIdSets", "InstanceIdSet"), 0)));
	json_decref(j);

	sk(&rp, 1, "GetHostDesiredState&HostId=host-local");
	assert_int_equal(rp.status, 200);
	assert_true(jint(rp.json, "Revision") > 0);
	assert_false(json_is_true(json_object_get(json_object_get(rp.json,
	    "Operator"), "Tcp25Open")));
	arr = json_object_get(rp.json, "Vpcs");
	assert_int_equal(json_array_size(arr), 1);
	assert_true(jint(json_array_get(arr, 0), "ZoneId") >= 1);
	arr = json_object_get(rp.json, "VSwitches");
	assert_string_equal(jstr(json_array_get(arr, 0), "GatewayIp"),
	    "10.1.0.253");
	arr = json_object_get(rp.json, "Groups");
	json_array_foreach(arr, i, e) {
		if (strcmp(jstr(e, "SecurityGroupId"), sg) != 0)
			continue;
		found = 1;
		assert_string_equal(jstr(e, "OwnerId"), env.account);
		assert_string_equal(jstr(e, "InnerAccessPolicy"), "Accept");
		assert_int_equal(json_array_size(json_object_get(e, "Rules")), 1);
		assert_string_equal(jstr(json_array_get(json_object_get(e,
		    "Rules"), 0), "SourceCidrIp"), "10.0.0.9");
	}
	assert_true(found);
	arr = json_object_get(rp.json, "NetworkInterfaces");
	assert_int_equal(json_array_size(arr), 1);
	e = json_array_get(arr, 0);
	assert_string_equal(jstr(e, "InstanceId"), inst);
	assert_string_equal(jstr(e, "PrivateIpAddress"), "10.1.0.1");
	assert_true(json_is_true(json_object_get(e, "Running")));
	assert_string_equal(jstr(e, "Driver"), "local");
	assert_string_equal(json_string_value(json_array_get(
	    json_object_get(e, "SecurityGroupIds"), 0)), sg);

	/* Bind it to an existing host interface, then check validation. */
	snprintf(q, sizeof(q), "SetNetworkInterfaceDriver&NetworkInterfaceId=%s&"
	    "Driver=external&HostInterface=tap7", jstr(e, "NetworkInterfaceId"));
	tu_reply_free(&rp);
	sk(&rp, 0, "%s", q);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	sk(&rp, 0, "SetNetworkInterfaceDriver&NetworkInterfaceId=eni-nope&"
	    "Driver=local");
	tu_expect_error(&rp, 404, "InvalidEniId.NotFound");
	sk(&rp, 0, "SetNetworkInterfaceDriver&NetworkInterfaceId=eni-nope&"
	    "Driver=external&HostInterface=bad%%20name");
	tu_expect_error(&rp, 400, "InvalidParameter");
	sk(&rp, 1, "GetHostDesiredState&HostId=host-local");
	e = json_array_get(json_object_get(rp.json, "NetworkInterfaces"), 0);
	assert_string_equal(jstr(e, "Driver"), "external");
	assert_string_equal(jstr(e, "HostInterface"), "tap7");
	tu_reply_free(&rp);

	/* Stopped instances are off the network. */
	json_decref(ok("StopInstance&InstanceId=%s", inst));
	sk(&rp, 1, "GetHostDesiredState&HostId=host-local");
	e = json_array_get(json_object_get(rp.json, "NetworkInterfaces"), 0);
	assert_false(json_is_true(json_object_get(e, "Running")));
	tu_reply_free(&rp);
}

/* The whole desired state as the agent asks for it. */
static json_t *
desired(json_int_t since, int delta)
{
	struct tu_reply rp;
	json_t *j;

	sk(&rp, 1, "GetHostDesiredState&HostId=host-local&SinceRevision=%lld%s",
	    (long long)since, delta ? "&Delta=true" : "");
	assert_int_equal(rp.status, 200);
	j = json_incref(rp.json);
	tu_reply_free(&rp);
	return j;
}

/* a and b hold the same objects (by id) in every list. */
static void
assert_same_doc(const json_t *a, const json_t *b)
{
	static const char *const lists[][2] = { { "Vpcs", "VpcId" },
	    { "VSwitches", "VSwitchId" }, { "Groups", "SecurityGroupId" },
	    { "NetworkInterfaces", "NetworkInterfaceId" } };
	json_t *x, *y;
	size_t i, j;

	assert_int_equal(jint(a, "Revision"), jint(b, "Revision"));
	for (size_t l = 0; l < 4; l++) {
		const json_t *la = json_object_get(a, lists[l][0]);
		const json_t *lb = json_object_get(b, lists[l][0]);
		int found;

		assert_int_equal(json_array_size(la), json_array_size(lb));
		json_array_foreach(la, i, x) {
			found = 0;
			json_array_foreach(lb, j, y)
				if (strcmp(jstr(x, lists[l][1]),
				    jstr(y, lists[l][1])) == 0) {
					found = 1;
					if (!json_equal(x, y))
						fail_msg("%s %s differs",
						    lists[l][0],
						    jstr(x, lists[l][1]));
				}
			assert_true(found);
		}
	}
}

/* A delta patched into the document the agent held equals the whole
 * document now, whatever changed in between. */
static void
test_desired_delta(void **state)
{
	char vpc[64], vsw[64], sg1[64], sg2[64], q[512], i1[64], i2[64];
	char eni[64], rule[64];
	struct tu_reply rp;
	json_t *base, *d, *whole, *patched, *j;
	json_int_t rev;

	(void)state;
	mkvpc(vpc);
	snprintf(q, sizeof(q), "Version=2016-04-28&Action=CreateVSwitch&"
	    "VpcId=%s&ZoneId=cn-hangzhou-b&CidrBlock=10.7.0.0/24", vpc);
	tu_v1(&env, "GET", q, NULL, &rp);
	assert_int_equal(rp.status, 200);
	snprintf(vsw, 64, "%s", jstr(rp.json, "VSwitchId"));
	tu_reply_free(&rp);
	snprintf(q, sizeof(q), "&VpcId=%s", vpc);
	mksg(q, sg1);
	mksg(q, sg2);
	j = ok("AuthorizeSecurityGroup&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    "IpProtocol=tcp&PortRange=22/22&SourceCidrIp=10.0.0.9", sg1);
	json_decref(j);
	j = ok("RunInstances&RegionId=cn-hangzhou&VSwitchId=%s&"
	    "SecurityGroupId=%s&InstanceType=ecs.g7.large&ImageId=img-1&"
	    "Amount=2", vsw, sg1);
	snprintf(i1, 64, "%s", json_string_value(json_array_get(jlist(j,
	    "InstanceIdSets", "InstanceIdSet"), 0)));
	snprintf(i2, 64, "%s", json_string_value(json_array_get(jlist(j,
	    "InstanceIdSets", "InstanceIdSet"), 1)));
	json_decref(j);
	base = desired(0, 1);	/* nothing held: the whole document */
	assert_null(json_object_get(base, "Delta"));
	rev = jint(base, "Revision");

	/* Nothing changed: an empty delta, not the whole document. */
	d = desired(rev, 1);
	assert_true(json_is_true(json_object_get(d, "Delta")));
	assert_int_equal(json_array_size(json_object_get(d,
	    "NetworkInterfaces")), 0);
	json_decref(d);

	/* Rules added and revoked, a membership, a stop, a new ENI, a
	 * deleted instance, a deleted group, a policy change. */
	j = ok("DescribeSecurityGroupAttribute&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s", sg1);
	snprintf(rule, 64, "%s", jstr(json_array_get(jlist(j, "Permissions",
	    "Permission"), 0), "SecurityGroupRuleId"));
	json_decref(j);
	json_decref(ok("RevokeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&SecurityGroupRuleId.1=%s", sg1, rule));
	json_decref(ok("AuthorizeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=udp&PortRange=53/53&"
	    "SourceGroupId=%s", sg1, sg2));
	json_decref(ok("JoinSecurityGroup&InstanceId=%s&SecurityGroupId=%s",
	    i1, sg2));
	json_decref(ok("ModifySecurityGroupPolicy&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&InnerAccessPolicy=Drop", sg2));
	json_decref(ok("StopInstance&InstanceId=%s", i1));
	j = ok("CreateNetworkInterface&RegionId=cn-hangzhou&VSwitchId=%s&"
	    "SecurityGroupId=%s", vsw, sg2);
	snprintf(eni, 64, "%s", jstr(j, "NetworkInterfaceId"));
	json_decref(j);
	json_decref(ok("AttachNetworkInterface&RegionId=cn-hangzhou&"
	    "InstanceId=%s&NetworkInterfaceId=%s", i1, eni));
	json_decref(ok("DeleteInstance&InstanceId=%s&Force=true", i2));
	mksg(q, q + 256);
	json_decref(ok("DeleteSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s", q + 256));

	d = desired(rev, 1);
	whole = desired(0, 0);
	assert_true(json_is_true(json_object_get(d, "Delta")));
	assert_int_equal(jint(d, "BaseRevision"), rev);
	assert_true(json_array_size(json_object_get(json_object_get(d,
	    "Removed"), "NetworkInterfaces")) >= 1);
	patched = fw_doc_patch(base, d);
	assert_non_null(patched);
	assert_same_doc(patched, whole);
	/* The held document is untouched (its objects are shared). */
	assert_int_equal(jint(base, "Revision"), rev);
	/* A delta of another revision is refused. */
	json_object_set_new(base, "Revision", json_integer(rev - 1));
	assert_null(fw_doc_patch(base, d));
	json_decref(patched);
	json_decref(whole);
	json_decref(d);
	json_decref(base);
}

static void
test_status(void **state)
{
	struct tu_reply rp;
	json_t *hosts, *h;
	json_int_t rev;

	(void)state;
	sk(&rp, 0, "DescribeEnforcementStatus");
	assert_int_equal(rp.status, 200);
	rev = jint(rp.json, "Revision");
	tu_reply_free(&rp);
	sk(&rp, 1, "ReportEnforcementStatus&HostId=host-local&"
	    "AppliedRevision=%lld&Drift=%%5B%%22rule%%20restored%%22%%5D",
	    (long long)rev - 1);
	assert_int_equal(rp.status, 200);
	tu_reply_free(&rp);
	/* Reporting does not move the revision (it would wake every poll). */
	sk(&rp, 0, "DescribeEnforcementStatus");
	assert_int_equal(jint(rp.json, "Revision"), rev);
	hosts = jlist(rp.json, "Hosts", "Host");
	assert_int_equal(json_array_size(hosts), 1);
	h = json_array_get(hosts, 0);
	assert_string_equal(jstr(h, "HostId"), "host-local");
	assert_int_equal(jint(h, "AppliedRevision"), rev - 1);
	assert_false(json_is_true(json_object_get(h, "InSync")));
	assert_string_equal(json_string_value(json_array_get(jlist(h, "Drift",
	    "Item"), 0)), "rule restored");
	tu_reply_free(&rp);
	sk(&rp, 1, "ReportEnforcementStatus&HostId=host-local&"
	    "AppliedRevision=%lld", (long long)rev);
	tu_reply_free(&rp);
	sk(&rp, 0, "DescribeEnforcementStatus&HostId=host-local");
	h = json_array_get(jlist(rp.json, "Hosts", "Host"), 0);
	assert_true(json_is_true(json_object_get(h, "InSync")));
	tu_reply_free(&rp);
	sk(&rp, 0, "DescribeEnforcementStatus&HostId=nowhere");
	assert_int_equal(json_array_size(jlist(rp.json, "Hosts", "Host")), 0);
	tu_reply_free(&rp);
}

static void
test_long_poll_returns(void **state)
{
	struct tu_reply rp;
	json_int_t rev;

	(void)state;
	sk(&rp, 1, "GetHostDesiredState&HostId=host-local");
	rev = jint(rp.json, "Revision");
	tu_reply_free(&rp);
	/* Nothing changes: the poll ends after WaitSeconds, same revision. */
	sk(&rp, 1, "GetHostDesiredState&HostId=host-local&SinceRevision=%lld&"
	    "WaitSeconds=1", (long long)rev);
	assert_int_equal(rp.status, 200);
	assert_int_equal(jint(rp.json, "Revision"), rev);
	tu_reply_free(&rp);
	/* Already behind: answers at once with the newer state. */
	sk(&rp, 1, "GetHostDesiredState&HostId=host-local&SinceRevision=0&"
	    "WaitSeconds=25");
	assert_int_equal(jint(rp.json, "Revision"), rev);
	tu_reply_free(&rp);
	sk(&rp, 1, "GetHostDesiredState&HostId=host-local&WaitSeconds=26");
	tu_expect_error(&rp, 400, "InvalidParameter");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agent_wall),
		cmocka_unit_test(test_desired_state),
		cmocka_unit_test(test_desired_delta),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_long_poll_returns),
	};

	return cmocka_run_group_tests_name("agent_api", tests, setup,
	    sgtu_teardown);
}
