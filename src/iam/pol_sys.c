/*
 * pol_sys: the system policies (PolicyType "System") sekisho ships — the
 * ones the seed's scenarios and the ECS/VPC/RAM/STS surface need. Static
 * text, parsed by the same pol_parse() as custom policies (a unit test
 * checks that each one parses). Documents follow the shape of Alibaba's
 * published system policies (https://www.alibabacloud.com/help/en/ram/
 * developer-reference/, e.g. AliyunRAMReadOnlyAccess), trimmed to the
 * services sekisho implements.
 */
#include "iam/pol.h"

#include <string.h>

static const struct pol_system pol_systems[] = {
	{ "AdministratorAccess",
	  "Provides full access to Alibaba Cloud services and resources.",
	  "{\"Version\":\"1\",\"Statement\":[{\"Action\":\"*\","
	  "\"Effect\":\"Allow\",\"Resource\":\"*\"}]}" },
	{ "AliyunECSFullAccess",
	  "Provides full access to Elastic Compute Service (ECS) via Management Console.",
	  "{\"Version\":\"1\",\"Statement\":["
	  "{\"Action\":\"ecs:*\",\"Effect\":\"Allow\",\"Resource\":\"*\"},"
	  "{\"Action\":[\"vpc:DescribeVpcs\",\"vpc:DescribeVSwitches\"],"
	  "\"Effect\":\"Allow\",\"Resource\":\"*\"}]}" },
	{ "AliyunECSReadOnlyAccess",
	  "Provides read-only access to Elastic Compute Service (ECS) via Management Console.",
	  "{\"Version\":\"1\",\"Statement\":["
	  "{\"Action\":[\"ecs:Describe*\",\"ecs:List*\"],"
	  "\"Effect\":\"Allow\",\"Resource\":\"*\"},"
	  "{\"Action\":[\"vpc:DescribeVpcs\",\"vpc:DescribeVSwitches\"],"
	  "\"Effect\":\"Allow\",\"Resource\":\"*\"}]}" },
	{ "AliyunVPCFullAccess",
	  "Provides full access to Virtual Private Cloud (VPC) via Management Console.",
	  "{\"Version\":\"1\",\"Statement\":[{\"Action\":\"vpc:*\","
	  "\"Effect\":\"Allow\",\"Resource\":\"*\"}]}" },
	{ "AliyunRAMFullAccess",
	  "Provides full access to Resource Access Management (RAM), i.e., the permissions to manage users and grant permissions.",
	  "{\"Version\":\"1\",\"Statement\":[{\"Action\":\"ram:*\","
	  "\"Effect\":\"Allow\",\"Resource\":\"*\"}]}" },
	{ "AliyunRAMReadOnlyAccess",
	  "Provides read-only access to Resource Access Management (RAM) via Management Console.",
	  "{\"Version\":\"1\",\"Statement\":[{\"Action\":[\"ram:Get*\","
	  "\"ram:List*\"],\"Effect\":\"Allow\",\"Resource\":\"*\"}]}" },
	{ "AliyunSTSAssumeRoleAccess",
	  "Provides access to call the AssumeRole operation of Security Token Service (STS).",
	  "{\"Version\":\"1\",\"Statement\":[{\"Action\":\"sts:AssumeRole\","
	  "\"Effect\":\"Allow\",\"Resource\":\"*\"}]}" },
};

const struct pol_system *
pol_system(size_t i)
{
	return i < sizeof(pol_systems) / sizeof(pol_systems[0]) ?
	    &pol_systems[i] : NULL;
}

const struct pol_system *
pol_system_find(const char *name)
{
	const struct pol_system *s;

	for (size_t i = 0; name != NULL && (s = pol_system(i)) != NULL; i++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

const char *
pol_system_doc(const char *name)
{
	const struct pol_system *s = pol_system_find(name);

	return s != NULL ? s->document : NULL;
}
