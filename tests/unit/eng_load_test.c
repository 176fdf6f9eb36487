/*
 * eng_load_test: the decision engine as API actions (our product
 * 2026-12-01), one packet at a time: ExplainPacket in-process through
 * api_handle() on groups, rules and instances made through the ECS/VPC
 * actions — verdicts, errors, what-if changes, other accounts, the
 * classic network — and the request parsers of src/sg/eng_load.h used
 * without the API. The actions over the whole model (effective rules,
 * reachability, analysis) and the model build and cache are in
 * eng_load_model_test.c; eng_load_tu.h holds what both share. Every
 * verdict asserted here follows from the seed's rules (seed-spec §1.5):
 * priorities, drop over accept, the 110 defaults, InnerAccessPolicy,
 * operator blocks, SPI.
 */
#include "eng_load_tu.h"

/* The deciding item of a gate ("Egress"/"Ingress") of an explanation. */
static json_t *
decider(json_t *j, const char *gate)
{
	json_t *d = json_object_get(json_object_get(j, gate), "DecidingItem");

	assert_non_null(d);
	return d;
}

static json_t *
explain(const char *from, const char *to, const char *extra)
{
	return sok("ExplainPacket&" HZ "&%s&%s%s", from, to, extra);
}

/* ---- ExplainPacket ---------------------------------------------------- */

static void
test_explain_defaults(void **state)
{
	char from[96], to[96];
	json_t *j, *items;

	(void)state;
	fixture();
	snprintf(from, sizeof(from), "SourceInstanceId=%s", fx.i_web);
	snprintf(to, sizeof(to), "DestinationInstanceId=%s", fx.i_db);
	j = explain(from, to, "&Protocol=tcp&DestinationPort=3306");
	/* No rules: egress accepts by default, ingress drops (seed §1.5.4). */
	assert_false(json_is_true(json_object_get(j, "Accept")));
	assert_string_equal(jstr(j, "Verdict"), "Drop");
	assert_string_equal(jstr(json_object_get(j, "Egress"), "Verdict"),
	    "Accept");
	assert_string_equal(jstr(decider(j, "Egress"), "Kind"), "Default");
	assert_int_equal(jint(decider(j, "Egress"), "Priority"), 110);
	assert_string_equal(jstr(decider(j, "Ingress"), "Kind"), "Default");
	assert_string_equal(jstr(decider(j, "Ingress"), "Policy"), "Drop");
	assert_string_equal(jstr(json_object_get(j, "Flow"), "SourceIp"),
	    "10.1.0.10");
	assert_string_equal(jstr(json_object_get(j, "Flow"), "DestinationIp"),
	    "10.1.0.20");
	assert_int_equal(jint(json_object_get(j, "Flow"), "SourcePort"), 40000);
	assert_true(json_is_true(json_object_get(j, "SameNetwork")));
	assert_false(json_is_true(json_object_get(j, "IsInternet")));
	assert_non_null(strstr(jstr(j, "Reason"), "ingress"));
	items = jlist(j, "MatchedItems", "Item");
	assert_int_equal(json_array_size(items), 2);
	assert_string_equal(jstr(json_array_get(items, 0), "Gate"), "Egress");
	assert_true(json_is_true(json_object_get(json_array_get(items, 0),
	    "Decides")));
	json_decref(j);

	/* A rule naming the web group opens the port. */
	{
		char f[256];

		snprintf(f, sizeof(f), "&Permissions.1.IpProtocol=tcp&"
		    "Permissions.1.PortRange=3306/3306&"
		    "Permissions.1.SourceGroupId=%s", fx.web);
		authorize(fx.db, 0, f);
	}
	j = explain(from, to, "&Protocol=TCP&DestinationPort=3306");
	assert_true(json_is_true(json_object_get(j, "Accept")));
	assert_string_equal(jstr(decider(j, "Ingress"), "Kind"), "Rule");
	assert_int_equal(jint(decider(j, "Ingress"), "Priority"), 1);
	assert_string_equal(jstr(decider(j, "Ingress"), "SecurityGroupId"),
	    fx.db);
	assert_string_equal(jstr(json_object_get(decider(j, "Ingress"),
	    "Permission"), "SourceGroupId"), fx.web);
	assert_true(strncmp(jstr(decider(j, "Ingress"), "SecurityGroupRuleId"),
	    "sgr-", 4) == 0);
	json_decref(j);
	/* Other port: still dropped. From db2 (not in web): dropped. */
	j = explain(from, to, "&Protocol=tcp&DestinationPort=3307");
	assert_false(json_is_true(json_object_get(j, "Accept")));
	json_decref(j);
	snprintf(from, sizeof(from), "SourceInstanceId=%s", fx.i_db2);
	j = explain(from, to, "&Protocol=tcp&DestinationPort=3306");
	/* db2 and db share group db: InnerAccessPolicy Accept decides. */
	assert_true(json_is_true(json_object_get(j, "Accept")));
	assert_string_equal(jstr(decider(j, "Ingress"), "Kind"),
	    "InnerAccessPolicy");
	assert_int_equal(jint(decider(j, "Ingress"), "Priority"), 0);
	json_decref(j);
}

/* Seed scenario 3: only given IPs reachable outbound. */
static void
test_scenario_outbound_whitelist(void **state)
{
	char from[96];
	json_t *j, *items, *inet, *ranges;

	(void)state;
	fixture();
	authorize(fx.web, 1, "&Permissions.1.IpProtocol=all&"
	    "Permissions.1.DestCidrIp=0.0.0.0/0&Permissions.1.Policy=drop&"
	    "Permissions.1.Priority=2&Permissions.2.IpProtocol=all&"
	    "Permissions.2.DestCidrIp=47.1.2.3&Permissions.2.Priority=1");
	snprintf(from, sizeof(from), "SourceInstanceId=%s", fx.i_web);
	j = explain(from, "DestinationIp=47.1.2.3",
	    "&Protocol=tcp&DestinationPort=443");
	assert_true(json_is_true(json_object_get(j, "Accept")));
	assert_false(json_is_true(json_object_get(json_object_get(j,
	    "Ingress"), "Present")));
	assert_string_equal(jstr(decider(j, "Egress"), "Kind"), "Rule");
	assert_int_equal(jint(decider(j, "Egress"), "Priority"), 1);
	assert_true(json_is_true(json_object_get(j, "IsInternet")));
	/* Both rules match; the priority-1 accept is first. */
	items = jlist(j, "MatchedItems", "Item");
	assert_int_equal(json_array_size(items), 3);
	assert_int_equal(jint(json_array_get(items, 1), "Priority"), 2);
	assert_string_equal(jstr(json_array_get(items, 1), "Policy"), "Drop");
	assert_string_equal(jstr(json_array_get(items, 2), "Kind"), "Default");
	json_decref(j);
	j = explain(from, "DestinationIp=47.1.2.4",
	    "&Protocol=tcp&DestinationPort=443");
	assert_false(json_is_true(json_object_get(j, "Accept")));
	assert_int_equal(jint(decider(j, "Egress"), "Priority"), 2);
	assert_non_null(strstr(jstr(j, "Reason"), "priority 2"));
	json_decref(j);
	/* Intranet too: db is not reachable any more. */
	j = sok("DescribeReachability&" HZ "&SourceInstanceId=%s&Protocol=tcp&"
	    "DestinationPort=443", fx.i_web);
	inet = json_object_get(j, "Internet");
	assert_true(json_is_true(json_object_get(inet, "Reachable")));
	assert_false(json_is_true(json_object_get(inet, "AllAddresses")));
	ranges = jlist(inet, "Ranges", "Range");
	assert_int_equal(json_array_size(ranges), 1);
	assert_string_equal(json_string_value(json_array_get(ranges, 0)),
	    "47.1.2.3/32");
	assert_int_equal(jint(j, "TotalCount"), 0);
	assert_int_equal(jint(j, "EvaluatedCount"), 2);
	json_decref(j);
}

/* FAQ: at equal priority drop beats accept; explain lists both. */
static void
test_drop_over_accept(void **state)
{
	char from[96], to[96];
	json_t *j, *items;

	(void)state;
	fixture();
	authorize(fx.db, 0, "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=1/65535&Permissions.1.SourceCidrIp=10.0.0.0/8&"
	    "Permissions.1.Priority=5&Permissions.2.IpProtocol=tcp&"
	    "Permissions.2.PortRange=22/22&Permissions.2.SourceCidrIp=10.1.0.0/16&"
	    "Permissions.2.Priority=5&Permissions.2.Policy=drop");
	snprintf(from, sizeof(from), "SourceInstanceId=%s", fx.i_web);
	snprintf(to, sizeof(to), "DestinationInstanceId=%s", fx.i_db);
	j = explain(from, to, "&Protocol=tcp&DestinationPort=22");
	assert_false(json_is_true(json_object_get(j, "Accept")));
	assert_string_equal(jstr(decider(j, "Ingress"), "Policy"), "Drop");
	assert_int_equal(jint(decider(j, "Ingress"), "Priority"), 5);
	items = jlist(j, "MatchedItems", "Item");
	/* egress default, ingress: drop(5), accept(5), default */
	assert_int_equal(json_array_size(items), 4);
	assert_string_equal(jstr(json_array_get(items, 2), "Policy"), "Accept");
	json_decref(j);
	j = explain(from, to, "&Protocol=tcp&DestinationPort=80");
	assert_true(json_is_true(json_object_get(j, "Accept")));
	json_decref(j);
	/* SPI: a reply of an accepted connection passes whatever the rules. */
	j = explain(from, to, "&Protocol=tcp&DestinationPort=22&"
	    "ConnectionState=established");
	assert_true(json_is_true(json_object_get(j, "Accept")));
	assert_string_equal(jstr(decider(j, "Ingress"), "Kind"), "Conntrack");
	assert_string_equal(jstr(decider(j, "Ingress"), "ConnectionState"),
	    "established");
	json_decref(j);
}

/* FAQ: the default group's rules sit at 110, below every user rule. */
static void
test_priority_110(void **state)
{
	char inst[64], q[256], sg[64];
	json_t *j, *d;

	(void)state;
	fixture();
	snprintf(q, sizeof(q), "&VSwitchId=%s&PrivateIpAddress=10.1.0.30",
	    fx.vsw);
	mkinst(q, inst);	/* into the VPC's default group */
	j = sok("ExplainPacket&SourceIp=203.0.113.9&DestinationInstanceId=%s&"
	    "Protocol=tcp&DestinationPort=22", inst);
	d = decider(j, "Ingress");
	assert_true(json_is_true(json_object_get(j, "Accept")));
	assert_int_equal(jint(d, "Priority"), 110);
	assert_string_equal(jstr(d, "Kind"), "Rule");
	assert_string_equal(jstr(j, "RegionId"), "cn-hangzhou");
	snprintf(sg, sizeof(sg), "%s", jstr(d, "SecurityGroupId"));
	json_decref(j);
	authorize(sg, 0, "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=22/22&Permissions.1.SourceCidrIp=0.0.0.0/0&"
	    "Permissions.1.Priority=100&Permissions.1.Policy=drop");
	j = sok("ExplainPacket&SourceIp=203.0.113.9&DestinationInstanceId=%s&"
	    "Protocol=tcp&DestinationPort=22", inst);
	assert_false(json_is_true(json_object_get(j, "Accept")));
	assert_int_equal(jint(decider(j, "Ingress"), "Priority"), 100);
	json_decref(j);
	/* The analysis flags the open SSH/RDP defaults. */
	j = sok("AnalyzeSecurityGroup&SecurityGroupId=%s", sg);
	{
		json_t *w = jlist(j, "Warnings", "Warning"), *e;
		size_t i, open = 0, shadowed = 0;

		json_array_foreach(w, i, e) {
			open += strcmp(jstr(e, "Kind"),
			    "OpenAdministrativePort") == 0;
			shadowed += strcmp(jstr(e, "Kind"), "ShadowedRule") == 0;
		}
		/* 22 and 3389 at 110: 22 shadowed by the drop at 100. */
		assert_int_equal(open, 2);
		assert_int_equal(shadowed, 1);
	}
	json_decref(j);
}

/* Operator blocks: TCP 25 outbound, 445 etc., internet only. */
static void
test_operator_blocks(void **state)
{
	char from[96], to[96];
	json_t *j;

	(void)state;
	fixture();
	authorize(fx.web, 1, "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=25/25&Permissions.1.DestCidrIp=0.0.0.0/0");
	authorize(fx.db, 0, "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=445/445&Permissions.1.SourceCidrIp=0.0.0.0/0");
	snprintf(from, sizeof(from), "SourceInstanceId=%s", fx.i_web);
	j = explain(from, "DestinationIp=47.1.2.3",
	    "&Protocol=tcp&DestinationPort=25");
	assert_false(json_is_true(json_object_get(j, "Accept")));
	assert_string_equal(jstr(decider(j, "Egress"), "Kind"),
	    "OperatorBlock");
	assert_int_equal(jint(decider(j, "Egress"), "Port"), 25);
	json_decref(j);
	/* 465 is the FAQ's advice: not blocked. */
	j = explain(from, "DestinationIp=47.1.2.3",
	    "&Protocol=tcp&DestinationPort=465");
	assert_true(json_is_true(json_object_get(j, "Accept")));
	json_decref(j);
	snprintf(to, sizeof(to), "DestinationInstanceId=%s", fx.i_db);
	j = explain("SourceIp=47.1.2.3", to, "&Protocol=tcp&DestinationPort=445");
	assert_string_equal(jstr(decider(j, "Ingress"), "Kind"),
	    "OperatorBlock");
	json_decref(j);
	/* Intranet SMB is never blocked. */
	j = explain(from, to, "&Protocol=tcp&DestinationPort=445");
	assert_true(json_is_true(json_object_get(j, "Accept")));
	json_decref(j);
	/* The operator setting lifts the TCP 25 block. */
	env.api->cfg.tcp25_open = 1;
	j = explain(from, "DestinationIp=47.1.2.3",
	    "&Protocol=tcp&DestinationPort=25");
	assert_true(json_is_true(json_object_get(j, "Accept")));
	json_decref(j);
	env.api->cfg.tcp25_open = 0;
}

static void
test_explain_errors(void **state)
{
	char to[96];

	(void)state;
	fixture();
	snprintf(to, sizeof(to), "DestinationInstanceId=%s", fx.i_db);
	sbad(400, "MissingParameter", "ExplainPacket&" HZ "&%s", to);
	sbad(400, "MissingParameter", "ExplainPacket&" HZ "&%s&Protocol=tcp",
	    to);
	sbad(400, "MissingParameter", "ExplainPacket&" HZ "&%s&Protocol=tcp&"
	    "SourceIp=1.2.3.4", to);
	sbad(400, "InvalidParameter", "ExplainPacket&" HZ "&%s&Protocol=sctp&"
	    "SourceIp=1.2.3.4", to);
	sbad(400, "InvalidParameter", "ExplainPacket&" HZ "&%s&Protocol=tcp&"
	    "DestinationPort=70000&SourceIp=1.2.3.4", to);
	sbad(400, "InvalidParameter", "ExplainPacket&" HZ "&%s&Protocol=tcp&"
	    "DestinationPort=22&SourceIp=1.2.3", to);
	sbad(400, "InvalidParameter", "ExplainPacket&" HZ "&%s&Protocol=tcp&"
	    "DestinationPort=22&SourceIp=1.2.3.4&SourceInstanceId=%s", to,
	    fx.i_web);
	sbad(400, "InvalidParameter", "ExplainPacket&" HZ "&Protocol=tcp&"
	    "DestinationPort=22&SourceIp=1.2.3.4&DestinationIp=1.2.3.5");
	sbad(400, "InvalidParameter", "ExplainPacket&" HZ "&%s&Protocol=tcp&"
	    "DestinationPort=22&SourceInstanceId=%s", to, fx.i_db);
	sbad(400, "InvalidParameter", "ExplainPacket&" HZ "&%s&Protocol=icmp&"
	    "SourceIp=2001:db8::1", to);
	sbad(400, "InvalidParameter", "ExplainPacket&" HZ "&%s&Protocol=tcp&"
	    "DestinationPort=22&SourceIp=1.2.3.4&ConnectionState=closing", to);
	sbad(404, "InvalidInstanceId.NotFound", "ExplainPacket&" HZ "&Protocol="
	    "tcp&DestinationPort=22&SourceIp=1.2.3.4&DestinationInstanceId="
	    "i-nope");
	sbad(404, "InvalidEniId.NotFound", "ExplainPacket&" HZ "&Protocol="
	    "tcp&DestinationPort=22&SourceIp=1.2.3.4&"
	    "DestinationNetworkInterfaceId=eni-nope");
	/* Without RegionId: from the instance; with nothing to go by: missing. */
	sbad(404, "InvalidInstanceId.NotFound", "ExplainPacket&Protocol=tcp&"
	    "DestinationPort=22&SourceIp=1.2.3.4&DestinationInstanceId=i-nope");
	sbad(400, "MissingParameter", "ExplainPacket&Protocol=tcp&"
	    "DestinationPort=22&SourceIp=1.2.3.4&DestinationIp=1.2.3.5");
	sbad(404, "InvalidRegionId.NotFound", "ExplainPacket&RegionId=xx&"
	    "Protocol=tcp&DestinationPort=22&SourceIp=1.2.3.4&%s", to);
	/* Another account sees none of it. */
	sgtu_other_account();
	sgtu_as_other(1);
	sbad(404, "InvalidInstanceId.NotFound", "ExplainPacket&" HZ "&Protocol="
	    "tcp&DestinationPort=22&SourceIp=1.2.3.4&%s", to);
	sbad(404, "InvalidInstanceId.NotFound", "ExplainPacket&Protocol="
	    "tcp&DestinationPort=22&SourceIp=1.2.3.4&%s", to);
	sbad(404, "InvalidInstanceId.NotFound", "DescribeEffectiveRules&" HZ
	    "&InstanceId=%s", fx.i_db);
	sbad(404, "InvalidSecurityGroupId.NotFound", "AnalyzeSecurityGroup&" HZ
	    "&SecurityGroupId=%s", fx.db);
	sgtu_as_other(0);
	/* Other actions of the product still answer; unknown ones do not. */
	sbad(403, "InvalidAction", "ExplainPackets&" HZ);
}

/* ---- what-if ---------------------------------------------------------- */

static void
test_whatif(void **state)
{
	char base[256], q[1024];
	size_t before;
	json_t *j;

	(void)state;
	fixture();
	snprintf(base, sizeof(base), "ExplainPacket&" HZ "&SourceIp=47.1.2.3&"
	    "DestinationInstanceId=%s&Protocol=tcp&DestinationPort=22",
	    fx.i_db);
	before = nperms(fx.db, "");
	snprintf(q, sizeof(q), "%s&AddPermissions.1.SecurityGroupId=%s&"
	    "AddPermissions.1.Direction=ingress&AddPermissions.1.IpProtocol=tcp&"
	    "AddPermissions.1.PortRange=22/22&"
	    "AddPermissions.1.SourceCidrIp=47.1.2.0/24", base, fx.db);
	j = sok("%s", q);
	assert_true(json_is_true(json_object_get(j, "Accept")));
	assert_true(json_is_true(json_object_get(j, "WhatIf")));
	assert_string_equal(jstr(decider(j, "Ingress"), "SecurityGroupRuleId"),
	    "proposed-1");
	assert_true(json_is_true(json_object_get(decider(j, "Ingress"),
	    "Proposed")));
	json_decref(j);
	/* Nothing was written. */
	assert_int_equal(nperms(fx.db, ""), before);
	j = sok("%s", base);
	assert_false(json_is_true(json_object_get(j, "Accept")));
	assert_false(json_is_true(json_object_get(j, "WhatIf")));
	json_decref(j);
	/* The same as a Change document. */
	snprintf(q, sizeof(q), "%s&Change=%%7B%%22Add%%22%%3A%%5B%%7B%%22"
	    "SecurityGroupId%%22%%3A%%22%s%%22%%2C%%22Direction%%22%%3A%%22"
	    "ingress%%22%%2C%%22IpProtocol%%22%%3A%%22tcp%%22%%2C%%22PortRange"
	    "%%22%%3A%%2222%%2F22%%22%%2C%%22SourceCidrIp%%22%%3A%%220.0.0.0"
	    "%%2F0%%22%%2C%%22Priority%%22%%3A3%%7D%%5D%%7D", base, fx.db);
	j = sok("%s", q);
	assert_true(json_is_true(json_object_get(j, "Accept")));
	assert_int_equal(jint(decider(j, "Ingress"), "Priority"), 3);
	json_decref(j);
	/* Removing: by id and by content. */
	authorize(fx.db, 0, "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=22/22&Permissions.1.SourceCidrIp=0.0.0.0/0");
	j = sok("%s", base);
	assert_true(json_is_true(json_object_get(j, "Accept")));
	snprintf(q, sizeof(q), "%s&RemovePermissions.1.SecurityGroupId=%s&"
	    "RemovePermissions.1.Direction=ingress&"
	    "RemovePermissions.1.SecurityGroupRuleId=%s", base, fx.db,
	    jstr(decider(j, "Ingress"), "SecurityGroupRuleId"));
	json_decref(j);
	j = sok("%s", q);
	assert_false(json_is_true(json_object_get(j, "Accept")));
	json_decref(j);
	snprintf(q, sizeof(q), "%s&RemovePermissions.1.SecurityGroupId=%s&"
	    "RemovePermissions.1.Direction=ingress&"
	    "RemovePermissions.1.IpProtocol=TCP&"
	    "RemovePermissions.1.PortRange=22/22&"
	    "RemovePermissions.1.SourceCidrIp=0.0.0.0/0", base, fx.db);
	j = sok("%s", q);
	assert_false(json_is_true(json_object_get(j, "Accept")));
	json_decref(j);
	assert_int_equal(nperms(fx.db, ""), before + 1);
	/* Errors name the edit. */
	snprintf(q, sizeof(q), "%s&AddPermissions.1.SecurityGroupId=sg-nope&"
	    "AddPermissions.1.Direction=ingress&AddPermissions.1.IpProtocol=tcp&"
	    "AddPermissions.1.PortRange=22/22&AddPermissions.1.SourceCidrIp=1.1.1.1",
	    base);
	sbad(404, "InvalidSecurityGroupId.NotFound", "%s", q);
	snprintf(q, sizeof(q), "%s&AddPermissions.1.SecurityGroupId=%s&"
	    "AddPermissions.1.IpProtocol=tcp", base, fx.db);
	sbad(400, "MissingParameter", "%s", q);
	snprintf(q, sizeof(q), "%s&AddPermissions.1.SecurityGroupId=%s&"
	    "AddPermissions.1.Direction=ingress&AddPermissions.1.IpProtocol=tcp&"
	    "AddPermissions.1.PortRange=22/99999&"
	    "AddPermissions.1.SourceCidrIp=1.1.1.1", base, fx.db);
	sbad(400, "InvalidParam.PortRange", "%s", q);
	snprintf(q, sizeof(q), "%s&RemovePermissions.1.SecurityGroupId=%s&"
	    "RemovePermissions.1.Direction=ingress&"
	    "RemovePermissions.1.SecurityGroupRuleId=sgr-nope", base, fx.db);
	sbad(404, "SecurityGroupRule.NotFound", "%s", q);
	sbad(400, "InvalidParameter", "%s&Change=%%7B%%22Bad%%22%%3A1%%7D", base);
	sbad(400, "InvalidParameter", "%s&Change=%%7B%%7D&AddPermissions.1."
	    "SecurityGroupId=%s", base, fx.db);
}

/* ---- other accounts, the classic network ------------------------------ */

/* Seed scenario 1 across accounts: a rule naming another account's group. */
static void
test_cross_account(void **state)
{
	char ovpc[64], ovsw[64], osg[64], oinst[64], q[512];
	json_t *j;

	(void)state;
	fixture();
	sgtu_other_account();
	sgtu_as_other(1);
	mknet(ovpc, ovsw);
	snprintf(q, sizeof(q), "&VpcId=%s", ovpc);
	mksg(q, osg);
	snprintf(q, sizeof(q), "&VSwitchId=%s&SecurityGroupId=%s&"
	    "PrivateIpAddress=10.1.0.99", ovsw, osg);
	mkinst(q, oinst);
	sgtu_as_other(0);
	snprintf(q, sizeof(q), "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=22/22&Permissions.1.SourceGroupId=%s&"
	    "Permissions.1.SourceGroupOwnerAccount=%s", osg,
	    SGTU_OTHER_ACCOUNT);
	authorize(fx.db, 0, q);
	/* The other account's instance is an outside host to us. */
	j = sok("ExplainPacket&SourceIp=10.1.0.99&DestinationInstanceId=%s&"
	    "Protocol=tcp&DestinationPort=22", fx.i_db);
	assert_true(json_is_true(json_object_get(j, "Accept")));
	assert_string_equal(jstr(json_object_get(decider(j, "Ingress"),
	    "Permission"), "SourceGroupOwnerAccount"), SGTU_OTHER_ACCOUNT);
	json_decref(j);
	j = sok("ExplainPacket&SourceIp=10.1.0.98&DestinationInstanceId=%s&"
	    "Protocol=tcp&DestinationPort=22", fx.i_db);
	assert_false(json_is_true(json_object_get(j, "Accept")));
	json_decref(j);
	/* Its instance id is not ours to name. */
	sbad(404, "InvalidInstanceId.NotFound", "ExplainPacket&" HZ
	    "&SourceInstanceId=%s&DestinationInstanceId=%s&Protocol=tcp&"
	    "DestinationPort=22", oinst, fx.i_db);
}

/* Classic network: the internet NIC has its own rules. */
static void
test_classic(void **state)
{
	char sg[64], inst[64], q[256];
	json_t *j;

	(void)state;
	mksg("", sg);
	snprintf(q, sizeof(q), "&SecurityGroupId=%s", sg);
	mkinst(q, inst);
	authorize(sg, 0, "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=80/80&Permissions.1.SourceCidrIp=0.0.0.0/0&"
	    "Permissions.1.NicType=internet");
	j = sok("ExplainPacket&SourceIp=47.1.2.3&DestinationInstanceId=%s&"
	    "Protocol=tcp&DestinationPort=80", inst);
	assert_true(json_is_true(json_object_get(j, "Accept")));
	assert_string_equal(jstr(json_object_get(j, "Flow"), "DestinationIp"),
	    "198.18.0.1");
	json_decref(j);
	/* From the classic intranet the internet rule does not apply. */
	j = sok("ExplainPacket&SourceIp=192.168.9.9&DestinationInstanceId=%s&"
	    "Protocol=tcp&DestinationPort=80", inst);
	assert_false(json_is_true(json_object_get(j, "Accept")));
	json_decref(j);
	j = sok("DescribeEffectiveRules&InstanceId=%s&Direction=ingress", inst);
	assert_string_equal(jstr(j, "NetworkType"), "classic");
	assert_string_equal(jstr(json_array_get(jlist(j, "Rules", "Rule"), 1),
	    "NicType"), "internet");
	json_decref(j);
	j = sok("DescribeReachability&DestinationInstanceId=%s&Protocol=tcp&"
	    "DestinationPort=80", inst);
	assert_true(json_is_true(json_object_get(json_object_get(j,
	    "Internet"), "AllAddresses")));
	json_decref(j);
}

/* ---- the request parsers ---------------------------------------------- */

static void
parse(const char *q, struct prm_list *p)
{
	prm_init(p);
	assert_int_equal(prm_parse(p, q, strlen(q)), 0);
}

static void
test_parsers(void **state)
{
	static const struct {
		const char *q;
		int err;
		const char *detail;
	} bad[] = {
		{ "Protocol=tcpx", ERR_INVALID_PARAMETER, "Protocol" },
		{ "Protocol=256", ERR_INVALID_PARAMETER, "Protocol" },
		{ "DestinationPort=65536", ERR_INVALID_PARAMETER,
		  "DestinationPort" },
		{ "SourcePort=-1", ERR_INVALID_PARAMETER, "SourcePort" },
		{ "SourceIp=1.2.3.4&SourceInstanceId=i-1",
		  ERR_INVALID_PARAMETER, "SourceIp" },
		{ "DestinationIp=::g", ERR_INVALID_PARAMETER, "DestinationIp" },
		{ "ConnectionState=x", ERR_INVALID_PARAMETER, "ConnectionState" },
		{ "IcmpType=300", ERR_INVALID_PARAMETER, "IcmpType" },
	};
	static const struct {
		const char *q;
		int err;
		const char *detail;
	} badc[] = {
		{ "AddPermissions.0.SecurityGroupId=sg", ERR_INVALID_PARAMETER,
		  "AddPermissions.0.SecurityGroupId" },
		{ "AddPermissions.101.X=1", ERR_INVALID_PARAMETER,
		  "AddPermissions.101.X" },
		{ "AddPermissions.1.Direction=ingress", ERR_MISSING_PARAMETER,
		  "AddPermissions.1.SecurityGroupId" },
		{ "RemovePermissions.2.SecurityGroupId=sg-1",
		  ERR_MISSING_PARAMETER, "RemovePermissions.2.Direction" },
		{ "AddPermissions.1.SecurityGroupId=sg-1&AddPermissions.1."
		  "Direction=in", ERR_INVALID_PARAMETER,
		  "AddPermissions.1.Direction" },
		{ "AddPermissions.1.SecurityGroupId=sg-1&AddPermissions.1."
		  "Direction=ingress&AddPermissions.1.SecurityGroupRuleId=sgr-1",
		  ERR_INVALID_PARAMETER, "AddPermissions.1.SecurityGroupRuleId" },
		{ "Change=%5B%5D", ERR_INVALID_PARAMETER, "Change" },
		{ "Change=%7B%22Add%22%3A%5B1%5D%7D", ERR_INVALID_PARAMETER,
		  "Change.Add[0]" },
		{ "Change=%7B%22Add%22%3A%5B%7B%22Direction%22%3A%22egress%22%7D"
		  "%5D%7D", ERR_MISSING_PARAMETER,
		  "Change.Add[0].SecurityGroupId" },
	};
	struct engload_query q;
	struct engload_change c;
	struct prm_list p;
	char det[ENGLOAD_DETAIL];

	(void)state;
	parse("Protocol=Udp&SourceIp=2001:db8::1&DestinationNetworkInterfaceId="
	    "eni-1&DestinationPort=53&ConnectionState=RELATED&IcmpType=3", &p);
	assert_int_equal(engload_query_parse(&p, &q, det), 0);
	assert_int_equal(q.proto, ENG_IPPROTO_UDP);
	assert_int_equal(q.src.kind, ENGLOAD_END_IP);
	assert_int_equal(q.src.ip.family, CIDR_V6);
	assert_int_equal(q.dst.kind, ENGLOAD_END_ENI);
	assert_string_equal(q.dst.id, "eni-1");
	assert_int_equal(q.dport, 53);
	assert_int_equal(q.sport, ENGLOAD_DEFAULT_SPORT);
	assert_int_equal(q.ct, ENG_CT_RELATED);
	prm_free(&p);
	parse("Protocol=all", &p);
	assert_int_equal(engload_query_parse(&p, &q, det), 0);
	assert_int_equal(q.proto, ENGLOAD_PROTO_ALL);
	assert_int_equal(q.dport, -1);
	assert_int_equal(q.src.kind, ENGLOAD_END_NONE);
	prm_free(&p);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		parse(bad[i].q, &p);
		det[0] = '\0';
		assert_int_equal(engload_query_parse(&p, &q, det), -bad[i].err);
		assert_string_equal(det, bad[i].detail);
		prm_free(&p);
	}
	/* Changes: removals first, then by N. */
	parse("AddPermissions.2.SecurityGroupId=sg-b&AddPermissions.2.Direction="
	    "egress&AddPermissions.2.IpProtocol=tcp&AddPermissions.1."
	    "SecurityGroupId=sg-a&AddPermissions.1.Direction=ingress&"
	    "RemovePermissions.7.SecurityGroupId=sg-c&RemovePermissions.7."
	    "Direction=ingress&RemovePermissions.7.SecurityGroupRuleId=sgr-9",
	    &p);
	assert_int_equal(engload_change_parse(&p, &c, det), 0);
	assert_int_equal(c.n, 3);
	assert_true(c.v[0].remove);
	assert_string_equal(c.v[0].rule_id, "sgr-9");
	assert_string_equal(c.v[1].group, "sg-a");
	assert_int_equal(c.v[2].dir, RULE_EGRESS);
	assert_string_equal(prm_get(&c.v[2].fields, "IpProtocol"), "tcp");
	assert_string_equal(c.v[2].where, "AddPermissions.2");
	engload_change_free(&c);
	engload_change_free(&c);
	prm_free(&p);
	parse("Change=%7B%22Add%22%3A%5B%7B%22SecurityGroupId%22%3A%22sg-1%22%2C"
	    "%22Direction%22%3A%22ingress%22%2C%22Priority%22%3A7%7D%5D%2C"
	    "%22Remove%22%3A%5B%7B%22SecurityGroupId%22%3A%22sg-2%22%2C"
	    "%22Direction%22%3A%22egress%22%7D%5D%7D", &p);
	assert_int_equal(engload_change_parse(&p, &c, det), 0);
	assert_int_equal(c.n, 2);
	assert_true(c.v[0].remove);
	assert_string_equal(c.v[1].where, "Change.Add[0]");
	assert_string_equal(prm_get(&c.v[1].fields, "Priority"), "7");
	engload_change_free(&c);
	prm_free(&p);
	parse("Protocol=tcp", &p);
	assert_int_equal(engload_change_parse(&p, &c, det), 0);
	assert_int_equal(c.n, 0);
	prm_free(&p);
	for (size_t i = 0; i < sizeof(badc) / sizeof(*badc); i++) {
		parse(badc[i].q, &p);
		det[0] = '\0';
		assert_int_equal(engload_change_parse(&p, &c, det),
		    -badc[i].err);
		assert_string_equal(det, badc[i].detail);
		assert_int_equal(c.n, 0);
		prm_free(&p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sgtu_setup, sgtu_teardown)
		T(test_explain_defaults),
		T(test_scenario_outbound_whitelist),
		T(test_drop_over_accept),
		T(test_priority_110),
		T(test_operator_blocks),
		T(test_explain_errors),
		T(test_whatif),
		T(test_cross_account),
		T(test_classic),
		cmocka_unit_test(test_parsers),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
