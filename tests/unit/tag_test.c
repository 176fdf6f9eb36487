/*
 * tag_test: TagResources / UntagResources / ListTagResources on instances
 * and ENIs (security groups are covered in sg_test), and that the tags
 * show in DescribeInstances / DescribeNetworkInterfaces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sgtu.h"

static void
mkfixture(char inst[64], char eni[64])
{
	char vpc[64], vsw[64], sg[64];
	struct tu_reply rp;
	char q[512];
	json_t *j;

	mkvpc(vpc);
	snprintf(q, sizeof(q), "Version=2016-04-28&Action=CreateVSwitch&"
	    "VpcId=%s&ZoneId=cn-hangzhou-b&CidrBlock=10.1.0.0/24", vpc);
	tu_v1(&env, "GET", q, NULL, &rp);
	assert_int_equal(rp.status, 200);
	snprintf(vsw, 64, "%s", jstr(rp.json, "VSwitchId"));
	tu_reply_free(&rp);
	snprintf(q, sizeof(q), "&VpcId=%s", vpc);
	mksg(q, sg);
	j = ok("RunInstances&RegionId=cn-hangzhou&VSwitchId=%s&"
	    "SecurityGroupId=%s&InstanceType=ecs.g7.large&ImageId=img-1", vsw, sg);
	snprintf(inst, 64, "%s", json_string_value(json_array_get(jlist(j,
	    "InstanceIdSets", "InstanceIdSet"), 0)));
	json_decref(j);
	j = ok("CreateNetworkInterface&RegionId=cn-hangzhou&VSwitchId=%s&"
	    "SecurityGroupId=%s", vsw, sg);
	snprintf(eni, 64, "%s", jstr(j, "NetworkInterfaceId"));
	json_decref(j);
}

static void
test_tag_instance_and_eni(void **state)
{
	char inst[64], eni[64];
	json_t *j, *tags, *res;

	(void)state;
	mkfixture(inst, eni);
	json_decref(ok("TagResources&RegionId=cn-hangzhou&ResourceType=instance&"
	    "ResourceId.1=%s&Tag.1.Key=env&Tag.1.Value=prod", inst));
	json_decref(ok("TagResources&RegionId=cn-hangzhou&ResourceType=eni&"
	    "ResourceId.1=%s&Tag.1.Key=role&Tag.1.Value=db", eni));

	j = ok("ListTagResources&RegionId=cn-hangzhou&ResourceType=instance&"
	    "ResourceId.1=%s", inst);
	res = jlist(j, "TagResources", "TagResource");
	assert_int_equal(json_array_size(res), 1);
	assert_string_equal(jstr(json_array_get(res, 0), "TagKey"), "env");
	assert_string_equal(jstr(json_array_get(res, 0), "ResourceType"),
	    "instance");
	json_decref(j);

	j = ok("DescribeInstances&RegionId=cn-hangzhou&InstanceIds=%%5B%%22%s"
	    "%%22%%5D", inst);
	tags = jlist(json_array_get(jlist(j, "Instances", "Instance"), 0),
	    "Tags", "Tag");
	assert_int_equal(json_array_size(tags), 1);
	assert_string_equal(jstr(json_array_get(tags, 0), "TagValue"), "prod");
	json_decref(j);

	json_decref(ok("UntagResources&RegionId=cn-hangzhou&ResourceType=eni&"
	    "ResourceId.1=%s&TagKey.1=role", eni));
	j = ok("ListTagResources&RegionId=cn-hangzhou&ResourceType=eni&"
	    "ResourceId.1=%s", eni);
	assert_int_equal(json_array_size(jlist(j, "TagResources",
	    "TagResource")), 0);
	json_decref(j);

	/* Kinds do not mix: an instance id is not an ENI. */
	bad(404, "InvalidResourceId.NotFound", "TagResources&RegionId=cn-hangzhou&"
	    "ResourceType=eni&ResourceId.1=%s&Tag.1.Key=a&Tag.1.Value=b", inst);
	bad(404, "InvalidResourceType.NotFound", "TagResources&RegionId="
	    "cn-hangzhou&ResourceType=disk&ResourceId.1=%s&Tag.1.Key=a", inst);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tag_instance_and_eni),
	};

	return cmocka_run_group_tests_name("tag", tests, sgtu_setup,
	    sgtu_teardown);
}
