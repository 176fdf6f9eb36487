/*
 * cli_net: the rest of the newcomer's path, so a VPC, a vSwitch, a group
 * and an instance can be made with the CLI alone —
 *
 *   vpc create      CreateVpc (VPC 2016-04-28)
 *   vpc list        DescribeVpcs, every page
 *   vswitch create  CreateVSwitch
 *   vswitch list    DescribeVSwitches, every page
 *   instance run    RunInstances (ECS 2014-05-26), one instance
 *   instance list   DescribeInstances, every page
 *
 * Like cli_sg.c: the server checks the values; output is one line per
 * created resource (its id first) or a table, --json the raw answers.
 */
#include <string.h>

#include "cli/cli_int.h"

#define NET_INSTANCE_TYPE "ecs.g7.large"	/* instance run default */

static const char *
net_region(const struct cli_sess *s)
{
	return cli_opt(s->ctx, "region");
}

/* Lists action's items as a table of fields (dotted paths). */
static int
net_table(struct cli_sess *s, const char *product, const char *action,
    int by_page, const char *const *base, const char *list, const char *item,
    size_t ncol, const char *const *head, const char *const *fields)
{
	json_t *items = json_array(), *it;
	struct cli_tab t;
	char buf[32];
	size_t i;
	int rc;

	rc = cli_sess_list(s, product, action, by_page, base, list, item,
	    items);
	if (rc == CLI_EXIT_OK && !cli_sess_quiet(s)) {
		cli_tab_init(&t, ncol, head);
		json_array_foreach(items, i, it)
			for (size_t f = 0; f < ncol; f++)
				cli_tab_add(&t, cli_js(it, fields[f], buf));
		cli_tab_print(&t, stdout);
	}
	json_decref(items);
	return rc;
}

static int
net_vpc_create(struct cli_sess *s)
{
	char buf[32];
	int rc;

	cli_sess_set(s, "RegionId", net_region(s));
	cli_sess_set(s, "CidrBlock", cli_opt(s->ctx, "cidr"));
	cli_sess_set(s, "VpcName", cli_opt(s->ctx, "name"));
	cli_sess_set(s, "Description", cli_opt(s->ctx, "description"));
	if ((rc = cli_sess_call(s, "vpc", "CreateVpc")) == CLI_EXIT_OK &&
	    !cli_sess_quiet(s))
		printf("%s created in %s: %s\n", cli_js(s->last, "VpcId", buf),
		    net_region(s), cli_opt(s->ctx, "cidr"));
	return rc;
}

static int
net_vpc_list(struct cli_sess *s)
{
	static const char *const head[] = { "ID", "NAME", "CIDR", "STATUS",
	    "CREATED", "DESCRIPTION" };
	static const char *const fields[] = { "VpcId", "VpcName", "CidrBlock",
	    "Status", "CreationTime", "Description" };
	const char *const base[] = { "RegionId", net_region(s), NULL };

	return net_table(s, "vpc", "DescribeVpcs", 1, base, "Vpcs", "Vpc", 6,
	    head, fields);
}

static int
net_vsw_create(struct cli_sess *s)
{
	char buf[32];
	int rc;

	cli_sess_set(s, "RegionId", net_region(s));
	cli_sess_set(s, "VpcId", cli_opt(s->ctx, "vpc"));
	cli_sess_set(s, "ZoneId", cli_opt(s->ctx, "zone"));
	cli_sess_set(s, "CidrBlock", cli_opt(s->ctx, "cidr"));
	cli_sess_set(s, "VSwitchName", cli_opt(s->ctx, "name"));
	cli_sess_set(s, "Description", cli_opt(s->ctx, "description"));
	if ((rc = cli_sess_call(s, "vpc", "CreateVSwitch")) == CLI_EXIT_OK &&
	    !cli_sess_quiet(s))
		printf("%s created in %s, %s: %s\n", cli_js(s->last,
		    "VSwitchId", buf), cli_opt(s->ctx, "vpc"),
		    cli_opt(s->ctx, "zone"), cli_opt(s->ctx, "cidr"));
	return rc;
}

static int
net_vsw_list(struct cli_sess *s)
{
	static const char *const head[] = { "ID", "NAME", "VPC", "ZONE",
	    "CIDR", "FREE IPS", "CREATED" };
	static const char *const fields[] = { "VSwitchId", "VSwitchName",
	    "VpcId", "ZoneId", "CidrBlock", "AvailableIpAddressCount",
	    "CreationTime" };
	const char *const base[] = { "RegionId", net_region(s), "VpcId",
	    cli_opt(s->ctx, "vpc"), NULL };

	return net_table(s, "vpc", "DescribeVSwitches", 1, base, "VSwitches",
	    "VSwitch", 7, head, fields);
}

static int
net_inst_run(struct cli_sess *s)
{
	const struct cli_ctx *ctx = s->ctx;
	const char *type = cli_opt(ctx, "type");
	json_t *ids;
	int rc, k = 0;

	cli_sess_set(s, "RegionId", net_region(s));
	cli_sess_set(s, "VSwitchId", cli_opt(ctx, "vswitch"));
	cli_sess_set(s, "InstanceName", cli_opt(ctx, "name"));
	cli_sess_set(s, "InstanceType", type ? type : NET_INSTANCE_TYPE);
	cli_sess_set(s, "ImageId", cli_opt(ctx, "image"));
	for (size_t i = 0; i < ctx->copts.n; i++)
		if (strcmp(ctx->copts.v[i].key, "sg") == 0)
			cli_sess_setf(s, ctx->copts.v[i].val,
			    "SecurityGroupIds.%d", ++k);
	if ((rc = cli_sess_call(s, "ecs", "RunInstances")) != CLI_EXIT_OK ||
	    cli_sess_quiet(s))
		return rc;
	ids = json_object_get(json_object_get(s->last, "InstanceIdSets"),
	    "InstanceIdSet");
	for (size_t i = 0; i < json_array_size(ids); i++)
		printf("%s created in %s\n", json_string_value(
		    json_array_get(ids, i)), cli_opt(ctx, "vswitch"));
	return rc;
}

static int
net_inst_list(struct cli_sess *s)
{
	static const char *const head[] = { "ID", "NAME", "STATUS", "TYPE",
	    "ZONE", "PRIVATE IP", "VSWITCH", "SECURITY GROUPS" };
	static const char *const fields[] = { "InstanceId", "InstanceName",
	    "Status", "InstanceType", "ZoneId" };
	const char *const base[] = { "RegionId", net_region(s), "VpcId",
	    cli_opt(s->ctx, "vpc"), "VSwitchId", cli_opt(s->ctx, "vswitch"),
	    "SecurityGroupId", cli_opt(s->ctx, "sg"), NULL };
	json_t *items = json_array(), *it, *a;
	struct cli_tab t;
	struct sb groups = SB_INIT;
	char buf[32];
	size_t i, j;
	int rc;

	if (prm_count(&s->ctx->copts, "sg") > 1) {
		fprintf(stderr, "sekisho: instance list filters by one --sg\n");
		json_decref(items);
		return CLI_EXIT_USAGE;
	}
	rc = cli_sess_list(s, "ecs", "DescribeInstances", 0, base,
	    "Instances", "Instance", items);
	if (rc == CLI_EXIT_OK && !cli_sess_quiet(s)) {
		cli_tab_init(&t, 8, head);
		json_array_foreach(items, i, it) {
			for (size_t f = 0; f < 5; f++)
				cli_tab_add(&t, cli_js(it, fields[f], buf));
			a = json_object_get(json_object_get(json_object_get(it,
			    "VpcAttributes"), "PrivateIpAddress"), "IpAddress");
			cli_tab_add(&t, json_string_value(json_array_get(a, 0)));
			cli_tab_add(&t, cli_js(it, "VpcAttributes.VSwitchId",
			    buf));
			a = json_object_get(json_object_get(it,
			    "SecurityGroupIds"), "SecurityGroupId");
			sb_reset(&groups);
			for (j = 0; j < json_array_size(a); j++)
				sb_addf(&groups, "%s%s", j ? "," : "",
				    json_string_value(json_array_get(a, j)));
			cli_tab_add(&t, sb_str(&groups));
		}
		cli_tab_print(&t, stdout);
	}
	sb_free(&groups);
	json_decref(items);
	return rc;
}

const struct cli_verb cli_vpc_verbs[] = {
	{ "create", "--region REGION --cidr CIDR [--name NAME] "
	    "[--description TEXT]", "create a VPC", "region cidr", 0,
	    net_vpc_create },
	{ "list", "--region REGION", "the region's VPCs", "region", 0,
	    net_vpc_list },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

const struct cli_verb cli_vsw_verbs[] = {
	{ "create", "--vpc VPC_ID --zone ZONE --cidr CIDR [--region REGION] "
	    "[--name NAME] [--description TEXT]",
	    "create a vSwitch in a zone of a VPC", "vpc zone cidr", 0,
	    net_vsw_create },
	{ "list", "--region REGION [--vpc VPC_ID]", "the region's vSwitches",
	    "region", 0, net_vsw_list },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

const struct cli_verb cli_inst_verbs[] = {
	{ "run", "--region REGION --vswitch VSW_ID --sg SG_ID... "
	    "[--name NAME] [--type TYPE] [--image IMAGE_ID]",
	    "run an instance (type " NET_INSTANCE_TYPE " unless --type) in "
	    "a vSwitch with its groups", "region vswitch sg", 0,
	    net_inst_run },
	{ "list", "--region REGION [--vpc VPC_ID] [--vswitch VSW_ID] "
	    "[--sg SG_ID]", "the region's instances", "region", 0,
	    net_inst_list },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};
