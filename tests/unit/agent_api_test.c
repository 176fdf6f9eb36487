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
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_long_poll_returns),
	};

	return cmocka_run_group_tests_name("agent_api", tests, setup,
	    sgtu_teardown);
}
