/*
 * eng_load_test: the decision engine as API actions (our product
 * 2026-12-01: ExplainPacket, DescribeEffectiveRules, DescribeReachability,
 * AnalyzeSecurityGroup) in-process through api_handle(), on groups, rules
 * and instances made through the ECS/VPC actions; plus the parts of
 * src/sg/eng_load.h used without the API (request parsers, the model
 * build, the shared cache). Every verdict asserted here follows from the
 * seed's rules (seed-spec §1.5): priorities, drop over accept, the 110
 * defaults, InnerAccessPolicy, operator blocks, SPI.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "api/act/sekisho_eng_int.h"
#include "sgtu.h"

#define HZ "RegionId=cn-hangzhou"

struct fx {
	char vpc[64], vsw[64], web[64], db[64];
	char i_web[64], i_db[64], i_db2[64];
};

static struct fx fx;

/* A call of our product; the reply is the caller's. */
static void __attribute__((format(printf, 2, 3)))
sek(struct tu_reply *rp, const char *fmt, ...)
{
	char q[16384], full[16500];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "Version=2026-12-01&Action=%s", q);
	tu_v1(&env, "GET", full, NULL, rp);
}

static json_t * __attribute__((format(printf, 1, 2)))
sok(const char *fmt, ...)
{
	char q[16384];
	struct tu_reply rp;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	sek(&rp, "%s", q);
	if (rp.status != 200)
		fail_msg("%.300s: %d %s %s", q, rp.status, tu_code(&rp),
		    tu_message(&rp));
	return rp.json;
}

static void __attribute__((format(printf, 3, 4)))
sbad(int status, const char *code, const char *fmt, ...)
{
	char q[16384];
	struct tu_reply rp;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	sek(&rp, "%s", q);
	if (rp.status != status || strcmp(tu_code(&rp), code) != 0)
		fail_msg("%.300s: want %d %s, got %d %s (%s)", q, status, code,
		    rp.status, tu_code(&rp), tu_message(&rp));
	tu_expect_error(&rp, status, code);
}

/* A VPC 10.0.0.0/8 with a vSwitch 10.1.0.0/16 in cn-hangzhou-b. */
static void
mknet(char vpc[64], char vsw[64])
{
	struct tu_reply rp;
	char q[512];

	mkvpc(vpc);
	snprintf(q, sizeof(q), "Version=2016-04-28&Action=CreateVSwitch&" HZ
	    "&VpcId=%s&ZoneId=cn-hangzhou-b&CidrBlock=10.1.0.0/16", vpc);
	tu_v1(&env, "GET", q, NULL, &rp);
	if (rp.status != 200)
		fail_msg("CreateVSwitch: %d %s", rp.status, tu_code(&rp));
	snprintf(vsw, 64, "%s", jstr(rp.json, "VSwitchId"));
	tu_reply_free(&rp);
}

/* RunInstances (one) with extra parameters; copies the id. */
static void
mkinst(const char *extra, char id[64])
{
	json_t *j = ok("RunInstances&" HZ "&InstanceType=ecs.g6.large&"
	    "ImageId=img1%s", extra);
	json_t *ids = jlist(j, "InstanceIdSets", "InstanceIdSet");

	snprintf(id, 64, "%s", json_string_value(json_array_get(ids, 0)));
	json_decref(j);
}

/* web (10.1.0.10), db (10.1.0.20) and db2 (10.1.0.21, also in db). */
static void
fixture(void)
{
	char q[256];

	memset(&fx, 0, sizeof(fx));
	mknet(fx.vpc, fx.vsw);
	snprintf(q, sizeof(q), "&VpcId=%s&SecurityGroupName=web", fx.vpc);
	mksg(q, fx.web);
	snprintf(q, sizeof(q), "&VpcId=%s&SecurityGroupName=db", fx.vpc);
	mksg(q, fx.db);
	snprintf(q, sizeof(q), "&VSwitchId=%s&SecurityGroupId=%s&"
	    "PrivateIpAddress=10.1.0.10", fx.vsw, fx.web);
	mkinst(q, fx.i_web);
	snprintf(q, sizeof(q), "&VSwitchId=%s&SecurityGroupId=%s&"
	    "PrivateIpAddress=10.1.0.20", fx.vsw, fx.db);
	mkinst(q, fx.i_db);
	snprintf(q, sizeof(q), "&VSwitchId=%s&SecurityGroupId=%s&"
	    "PrivateIpAddress=10.1.0.21", fx.vsw, fx.db);
	mkinst(q, fx.i_db2);
}

/* AuthorizeSecurityGroup[Egress] with "&Permissions.1.X=..." fields. */
static void
authorize(const char *sg, int egress, const char *fields)
{
	json_decref(ok("AuthorizeSecurityGroup%s&" HZ "&SecurityGroupId=%s%s",
	    egress ? "Egress" : "", sg, fields));
}

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

/* ---- DescribeEffectiveRules -------------------------------------------- */

static void
test_effective(void **state)
{
	json_t *j, *rules, *e;
	size_t i, shadowed = 0, redundant = 0;
	char sgr_wide[64] = "";

	(void)state;
	fixture();
	authorize(fx.db, 0, "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=1/65535&Permissions.1.SourceCidrIp=10.0.0.0/8&"
	    "Permissions.1.Priority=1&Permissions.2.IpProtocol=tcp&"
	    "Permissions.2.PortRange=3306/3306&Permissions.2.SourceCidrIp=10.1.0.0/16&"
	    "Permissions.2.Priority=2&Permissions.3.IpProtocol=tcp&"
	    "Permissions.3.PortRange=22/22&Permissions.3.SourceCidrIp=10.1.2.0/24&"
	    "Permissions.3.Priority=3&Permissions.3.Policy=drop&"
	    "Permissions.4.IpProtocol=udp&Permissions.4.PortRange=53/53&"
	    "Permissions.4.SourceCidrIp=10.0.0.0/8&Permissions.4.Priority=3");
	j = sok("DescribeEffectiveRules&InstanceId=%s&Direction=ingress",
	    fx.i_db);
	assert_string_equal(jstr(j, "NetworkType"), "vpc");
	assert_string_equal(jstr(j, "RegionId"), "cn-hangzhou");
	rules = jlist(j, "Rules", "Rule");
	/* inner Accept, 4 rules, default */
	assert_int_equal(json_array_size(rules), 6);
	assert_string_equal(jstr(json_array_get(rules, 0), "Kind"),
	    "InnerAccessPolicy");
	assert_string_equal(jstr(json_array_get(rules, 5), "Kind"), "Default");
	snprintf(sgr_wide, sizeof(sgr_wide), "%s",
	    jstr(json_array_get(rules, 1), "SecurityGroupRuleId"));
	json_array_foreach(rules, i, e) {
		if (json_is_true(json_object_get(e, "Shadowed"))) {
			json_t *by = json_object_get(e, "ShadowedBy");

			shadowed++;
			assert_non_null(by);
			assert_string_equal(jstr(by, "SecurityGroupRuleId"),
			    sgr_wide);
			redundant += json_is_true(json_object_get(e,
			    "Redundant"));
		}
		assert_int_equal(jint(e, "Order"), (json_int_t)i + 1);
	}
	/* 3306 (accept) redundant, 22 drop shadowed; udp 53 is not covered. */
	assert_int_equal(shadowed, 2);
	assert_int_equal(redundant, 1);
	assert_int_equal(jint(j, "ShadowedCount"), 2);
	json_decref(j);
	/* Both directions; egress has only the default (no inner Drop). */
	j = sok("DescribeEffectiveRules&" HZ "&InstanceId=%s", fx.i_db);
	assert_int_equal(json_array_size(jlist(j, "Rules", "Rule")), 6 + 2);
	json_decref(j);
	/* What-if: a proposed rule is listed in its place. */
	j = sok("DescribeEffectiveRules&InstanceId=%s&Direction=ingress&"
	    "AddPermissions.1.SecurityGroupId=%s&AddPermissions.1.Direction="
	    "ingress&AddPermissions.1.IpProtocol=all&"
	    "AddPermissions.1.SourceCidrIp=0.0.0.0/0&AddPermissions.1.Policy="
	    "drop&AddPermissions.1.Priority=1", fx.i_db, fx.db);
	rules = jlist(j, "Rules", "Rule");
	assert_int_equal(json_array_size(rules), 7);
	assert_string_equal(jstr(json_array_get(rules, 1),
	    "SecurityGroupRuleId"), "proposed-1");
	assert_true(json_is_true(json_object_get(json_array_get(rules, 2),
	    "Shadowed")));
	json_decref(j);
	sbad(400, "InvalidParameter", "DescribeEffectiveRules&InstanceId=%s&"
	    "Direction=up", fx.i_db);
	sbad(400, "MissingParameter", "DescribeEffectiveRules&" HZ);
	sbad(404, "InvalidEniId.NotFound", "DescribeEffectiveRules&" HZ
	    "&NetworkInterfaceId=eni-x");
}

/* ---- DescribeReachability ----------------------------------------------- */

static void
test_reach(void **state)
{
	json_t *j, *peers, *inet;
	char f[256];

	(void)state;
	fixture();
	j = sok("DescribeReachability&DestinationInstanceId=%s&Protocol=tcp&"
	    "DestinationPort=3306", fx.i_db);
	peers = jlist(j, "Peers", "Peer");
	/* db2 shares the group (inner Accept); web does not. */
	assert_int_equal(json_array_size(peers), 1);
	assert_string_equal(jstr(json_array_get(peers, 0), "InstanceId"),
	    fx.i_db2);
	assert_string_equal(jstr(json_object_get(json_array_get(peers, 0),
	    "IngressItem"), "Kind"), "InnerAccessPolicy");
	inet = json_object_get(j, "Internet");
	assert_false(json_is_true(json_object_get(inet, "Reachable")));
	assert_string_equal(jstr(j, "Direction"), "to");
	json_decref(j);
	snprintf(f, sizeof(f), "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=3306/3306&Permissions.1.SourceGroupId=%s",
	    fx.web);
	authorize(fx.db, 0, f);
	authorize(fx.db, 0, "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=3306/3306&Permissions.1.SourceCidrIp=0.0.0.0/0&"
	    "Permissions.1.Priority=50&Permissions.2.IpProtocol=tcp&"
	    "Permissions.2.PortRange=3306/3306&Permissions.2.SourceCidrIp=47.0.0.0/8&"
	    "Permissions.2.Priority=10&Permissions.2.Policy=drop");
	j = sok("DescribeReachability&DestinationInstanceId=%s&Protocol=tcp&"
	    "DestinationPort=3306", fx.i_db);
	assert_int_equal(json_array_size(jlist(j, "Peers", "Peer")), 2);
	inet = json_object_get(j, "Internet");
	assert_true(json_is_true(json_object_get(inet, "Reachable")));
	assert_false(json_is_true(json_object_get(inet, "AllAddresses")));
	{
		json_t *ranges = jlist(inet, "Ranges", "Range"), *e;
		size_t i;
		int has46 = 0, has47 = 0, has10 = 0;

		json_array_foreach(ranges, i, e) {
			const char *s = json_string_value(e);

			has46 |= strcmp(s, "46.0.0.0/8") == 0;
			has47 |= strncmp(s, "47.", 3) == 0;
			has10 |= strncmp(s, "10.", 3) == 0;
		}
		assert_true(has46);
		assert_false(has47);
		assert_false(has10);
	}
	json_decref(j);
	/* Without the drop: every internet address. */
	j = sok("DescribeReachability&DestinationInstanceId=%s&Protocol=tcp&"
	    "DestinationPort=3306&RemovePermissions.1.SecurityGroupId=%s&"
	    "RemovePermissions.1.Direction=ingress&"
	    "RemovePermissions.1.IpProtocol=tcp&"
	    "RemovePermissions.1.PortRange=3306/3306&"
	    "RemovePermissions.1.SourceCidrIp=47.0.0.0/8&"
	    "RemovePermissions.1.Priority=10&RemovePermissions.1.Policy=drop",
	    fx.i_db, fx.db);
	inet = json_object_get(j, "Internet");
	assert_true(json_is_true(json_object_get(inet, "AllAddresses")));
	json_decref(j);
	/* From web: db and db2 on 3306. */
	j = sok("DescribeReachability&SourceInstanceId=%s&Protocol=tcp&"
	    "DestinationPort=3306", fx.i_web);
	assert_int_equal(jint(j, "TotalCount"), 2);
	assert_true(json_is_true(json_object_get(json_object_get(j,
	    "Internet"), "AllAddresses")));
	json_decref(j);
	sbad(400, "InvalidParameter", "DescribeReachability&SourceInstanceId=%s&"
	    "DestinationInstanceId=%s&Protocol=tcp&DestinationPort=1",
	    fx.i_web, fx.i_db);
	sbad(400, "MissingParameter", "DescribeReachability&" HZ
	    "&Protocol=tcp&DestinationPort=1");
	sbad(400, "MissingParameter", "DescribeReachability&"
	    "SourceInstanceId=%s&Protocol=tcp", fx.i_web);
}

/* ---- AnalyzeSecurityGroup ----------------------------------------------- */

static size_t
nwarn(json_t *j, const char *kind)
{
	json_t *w = jlist(j, "Warnings", "Warning"), *e;
	size_t i, n = 0;

	json_array_foreach(w, i, e)
		n += strcmp(jstr(e, "Kind"), kind) == 0;
	return n;
}

static void
test_analyze(void **state)
{
	char empty[64], q[256];
	json_t *j;

	(void)state;
	fixture();
	snprintf(q, sizeof(q), "&VpcId=%s&SecurityGroupName=empty", fx.vpc);
	mksg(q, empty);
	authorize(fx.web, 0, "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=20/25&Permissions.1.SourceCidrIp=0.0.0.0/0&"
	    "Permissions.2.IpProtocol=tcp&Permissions.2.PortRange=22/22&"
	    "Permissions.2.SourceCidrIp=10.0.0.0/8&Permissions.2.Priority=9&"
	    "Permissions.3.IpProtocol=all&Permissions.3.SourceCidrIp=10.0.0.0/8&"
	    "Permissions.3.Priority=20&Permissions.3.Policy=drop");
	/* Another group drops everything at priority 1 on the db members. */
	authorize(fx.db, 0, "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=5432/5432&Permissions.1.SourceCidrIp=10.0.0.0/8&"
	    "Permissions.1.Priority=50");
	j = sok("AnalyzeSecurityGroup&SecurityGroupId=%s", fx.web);
	/* 22 and 23 open to everyone; 22/22 redundant; drop all shadowed? no:
	 * it is wider than the rules before it. */
	assert_int_equal(nwarn(j, "OpenAdministrativePort"), 2);
	assert_int_equal(nwarn(j, "RedundantRule"), 1);
	assert_int_equal(nwarn(j, "ShadowedRule"), 0);
	assert_int_equal(nwarn(j, "NoMembers"), 0);
	assert_int_equal(jint(json_array_get(jlist(j, "SecurityGroups",
	    "SecurityGroup"), 0), "RuleCount"), 3);
	json_decref(j);
	j = sok("AnalyzeSecurityGroup&" HZ);
	assert_int_equal(nwarn(j, "NoMembers"), 1);
	assert_int_equal(json_array_size(jlist(j, "SecurityGroups",
	    "SecurityGroup")), 3 + 0);
	json_decref(j);
	/* Cross-group shadowing on the members: db2 joins web too. */
	json_decref(ok("JoinSecurityGroup&" HZ "&InstanceId=%s&"
	    "SecurityGroupId=%s", fx.i_db2, fx.web));
	json_decref(ok("JoinSecurityGroup&" HZ "&InstanceId=%s&"
	    "SecurityGroupId=%s", fx.i_db, fx.web));
	j = sok("AnalyzeSecurityGroup&SecurityGroupId=%s", fx.db);
	/* web's drop all from 10/8 at 20 shadows db's 5432 at 50. */
	assert_int_equal(nwarn(j, "ShadowedOnMembers"), 1);
	json_decref(j);
	sbad(400, "MissingParameter", "AnalyzeSecurityGroup");
	sbad(404, "InvalidSecurityGroupId.NotFound",
	    "AnalyzeSecurityGroup&SecurityGroupId=sg-nope");
}

/* A rule whose peer group went away (legacy state: deleted in the store). */
static void
test_analyze_deleted_ref(void **state)
{
	char other[64], q[256];
	json_t *j;

	(void)state;
	fixture();
	snprintf(q, sizeof(q), "&VpcId=%s&SecurityGroupName=gone", fx.vpc);
	mksg(q, other);
	snprintf(q, sizeof(q), "&Permissions.1.IpProtocol=tcp&"
	    "Permissions.1.PortRange=80/80&Permissions.1.SourceGroupId=%s",
	    other);
	authorize(fx.web, 0, q);
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(store_res_del(env.st, other), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
	j = sok("AnalyzeSecurityGroup&SecurityGroupId=%s", fx.web);
	assert_int_equal(nwarn(j, "DeletedGroupReference"), 1);
	json_decref(j);
}

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

/* ---- the library ------------------------------------------------------- */

static void
test_cache(void **state)
{
	struct engload_cache *c = engact_cache();
	uint64_t builds, hits;
	json_t *j;

	(void)state;
	fixture();
	j = sok("DescribeEffectiveRules&InstanceId=%s", fx.i_db);
	json_decref(j);
	builds = c->builds;
	hits = c->hits;
	json_decref(sok("DescribeEffectiveRules&InstanceId=%s", fx.i_db));
	json_decref(sok("AnalyzeSecurityGroup&" HZ));
	assert_int_equal(c->builds, builds);
	assert_int_equal(c->hits, hits + 2);
	/* A write: the next request builds again. */
	authorize(fx.db, 0, "&Permissions.1.IpProtocol=icmp&"
	    "Permissions.1.SourceCidrIp=10.0.0.0/8");
	json_decref(sok("DescribeEffectiveRules&InstanceId=%s", fx.i_db));
	assert_int_equal(c->builds, builds + 1);
	engload_cache_clear(c);
}

static void
test_build_direct(void **state)
{
	struct engload_opts o = { env.account, "cn-hangzhou", 0 };
	struct engload *l = NULL;

	(void)state;
	fixture();
	assert_int_equal(store_tx_begin(env.st, STORE_TX_READ), 0);
	assert_int_equal(engload_build(env.st, &o, &l), 0);
	store_tx_abort(env.st);
	assert_int_equal(l->nenis, 3);
	assert_int_equal(l->ngroups, 2);
	assert_non_null(engload_instance(l, fx.i_web));
	assert_true(engload_instance(l, fx.i_web)->primary);
	assert_non_null(engload_group(l, fx.db));
	assert_int_equal(engload_group(l, fx.db)->members, 2);
	assert_null(engload_eni(l, "eni-none"));
	assert_null(engload_instance(l, NULL));
	engload_free(l);
	engload_free(NULL);
}

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
		T(test_effective),
		T(test_reach),
		T(test_analyze),
		T(test_analyze_deleted_ref),
		T(test_cross_account),
		T(test_classic),
		T(test_cache),
		T(test_build_direct),
		cmocka_unit_test(test_parsers),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
