/*
 * eng_load_model_test: the decision engine's actions over a whole model
 * (our product 2026-12-01: DescribeEffectiveRules, DescribeReachability,
 * AnalyzeSecurityGroup) in-process through api_handle(), on groups, rules
 * and instances made through the ECS/VPC actions; plus the model build of
 * src/sg/eng_load.h used without the API and the shared cache. The
 * per-packet action (ExplainPacket) is in eng_load_test.c; eng_load_tu.h
 * holds what both share.
 */
#include "eng_load_tu.h"

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
	char empty[64];
	json_t *j;

	(void)state;
	fixture();
	fxsg("empty", empty);
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
	fxsg("gone", other);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, sgtu_setup, sgtu_teardown)
		T(test_effective),
		T(test_reach),
		T(test_analyze),
		T(test_analyze_deleted_ref),
		T(test_cache),
		T(test_build_direct),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
