/*
 * rule_test: the pure rule modules — rule_parse (parameters -> stored
 * document, the request form, identity keys) and rule (stored document ->
 * compiled struct rule). Golden documents pin the stored form; the
 * per-error behaviour through the API is sg_rule_test's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cidr.h"
#include "lib/err.h"
#include "lib/prm.h"
#include "sg/rule.h"
#include "sg/rule_parse.h"

static const struct rparse_group vpc_group = { "sg-self", "1000", 1, 0 };
static const struct rparse_group classic_group = { "sg-self", "1000", 0, 0 };

/* Parses "k=v&..." as one flat rule of vpc_group; returns the error. */
static int
parse(const char *q, enum rule_dir dir, const struct rparse_group *g,
    unsigned mode, json_t **doc)
{
	struct prm_list p;
	char detail[RPARSE_DETAIL];
	int r;

	prm_init(&p);
	assert_int_equal(prm_parse(&p, q, strlen(q)), 0);
	r = rparse_rule(&p, "", dir, g, mode, doc, detail);
	prm_free(&p);
	return r;
}

static json_t *
must(const char *q, enum rule_dir dir)
{
	json_t *doc = NULL;

	assert_int_equal(parse(q, dir, &vpc_group, RPARSE_AUTHORIZE, &doc), 0);
	return doc;
}

static void
test_golden(void **state)
{
	json_t *doc = must("IpProtocol=tcp&PortRange=22/22&"
	    "SourceCidrIp=10.0.0.1&Description=ssh&Policy=DROP&Priority=5&"
	    "NicType=internet",
	    RULE_INGRESS);
	char *s = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);

	(void)state;
	assert_string_equal(s, "{\"CreateTime\":\"\",\"Description\":\"ssh\","
	    "\"DestCidrIp\":\"\",\"DestGroupId\":\"\",\"DestGroupName\":\"\","
	    "\"DestGroupOwnerAccount\":\"\",\"DestPrefixListId\":\"\","
	    "\"DestPrefixListName\":\"\",\"Direction\":\"ingress\","
	    "\"IpProtocol\":\"TCP\",\"Ipv6DestCidrIp\":\"\","
	    "\"Ipv6SourceCidrIp\":\"\",\"NicType\":\"intranet\","
	    "\"Policy\":\"Drop\",\"PortRange\":\"22/22\","
	    "\"PortRangeListId\":\"\",\"PortRangeListName\":\"\","
	    "\"Priority\":5,\"SecurityGroupRuleId\":\"\","
	    "\"SourceCidrIp\":\"10.0.0.1\",\"SourceGroupId\":\"\","
	    "\"SourceGroupName\":\"\",\"SourceGroupOwnerAccount\":\"\","
	    "\"SourcePortRange\":\"\",\"SourcePrefixListId\":\"\","
	    "\"SourcePrefixListName\":\"\"}");
	free(s);
	json_decref(doc);
}

static void
test_compile(void **state)
{
	struct rule r;
	struct cidr want;
	json_t *doc;

	(void)state;
	doc = must("IpProtocol=tcp&PortRange=22/80&SourcePortRange=1000/2000&"
	    "SourceCidrIp=10.0.0.1&DestCidrIp=192.168.0.0/16&Policy=drop&"
	    "Priority=5", RULE_INGRESS);
	assert_int_equal(rule_compile(doc, &r), 0);
	assert_int_equal(r.dir, RULE_INGRESS);
	assert_int_equal(r.proto, RULE_TCP);
	assert_int_equal(r.policy, RULE_DROP);
	assert_int_equal(r.nic, RULE_NIC_INTRANET);
	assert_int_equal(r.priority, 5);
	assert_int_equal(r.peer_kind, RULE_PEER_CIDR);
	assert_int_equal(cidr_parse("10.0.0.1/32", &want), 0);
	assert_true(cidr_equal(&r.peer_cidr, &want));
	assert_int_equal(r.dport.lo, 22);
	assert_int_equal(r.dport.hi, 80);
	assert_int_equal(r.sport.lo, 1000);
	assert_int_equal(r.sport.hi, 2000);
	assert_true(r.has_local);
	assert_int_equal(cidr_parse("192.168.0.0/16", &want), 0);
	assert_true(cidr_equal(&r.local, &want));
	json_decref(doc);

	doc = must("IpProtocol=all&DestGroupId=sg-peer&DestGroupOwnerId=2000&"
	    "SourceCidrIp=10.0.0.0/24", RULE_EGRESS);
	assert_int_equal(rule_compile(doc, &r), 0);
	assert_int_equal(r.dir, RULE_EGRESS);
	assert_int_equal(r.proto, RULE_ALL);
	assert_int_equal(r.policy, RULE_ACCEPT);
	assert_int_equal(r.priority, 1);
	assert_int_equal(r.peer_kind, RULE_PEER_GROUP);
	assert_string_equal(r.peer_group, "sg-peer");
	assert_string_equal(r.peer_owner, "2000");
	assert_int_equal(r.dport.lo, 0);
	assert_int_equal(r.dport.hi, 0);
	assert_true(r.has_local);
	json_decref(doc);

	doc = must("IpProtocol=icmpv6&SourcePrefixListId=pl-1", RULE_INGRESS);
	assert_int_equal(rule_compile(doc, &r), 0);
	assert_int_equal(r.proto, RULE_ICMPV6);
	assert_int_equal(r.peer_kind, RULE_PEER_PREFIX_LIST);
	assert_false(r.has_local);
	/* Documents not made by the parser are refused, never guessed. */
	json_object_set_new(doc, "Direction", json_string("sideways"));
	assert_int_equal(rule_compile(doc, &r), -ERR_INVALID_PARAMETER);
	json_object_set_new(doc, "Direction", json_string("ingress"));
	json_object_set_new(doc, "SourcePrefixListId", json_string(""));
	assert_int_equal(rule_compile(doc, &r), -ERR_INVALID_PARAMETER);
	json_object_set_new(doc, "SourceCidrIp", json_string("0.0.0.0/0"));
	assert_int_equal(rule_compile(doc, &r), 0);
	json_object_set_new(doc, "Priority", json_integer(110));
	assert_int_equal(rule_compile(doc, &r), 0);
	assert_int_equal(r.priority, RULE_PRIORITY_SYSTEM);
	json_object_set_new(doc, "Priority", json_integer(0));
	assert_int_equal(rule_compile(doc, &r), -ERR_INVALID_PARAMETER);
	json_object_set_new(doc, "Priority", json_integer(1));
	json_object_set_new(doc, "PortRange", json_string("9/1"));
	assert_int_equal(rule_compile(doc, &r), -ERR_INVALID_PARAMETER);
	json_object_set_new(doc, "PortRange", json_string("-1/-1"));
	json_object_set_new(doc, "IpProtocol", json_string("tcp"));
	assert_int_equal(rule_compile(doc, &r), -ERR_INVALID_PARAMETER);
	json_decref(doc);
}

static void
test_family(void **state)
{
	(void)state;
	assert_true(rule_proto_family_ok(RULE_ICMP, 4));
	assert_false(rule_proto_family_ok(RULE_ICMP, 6));
	assert_true(rule_proto_family_ok(RULE_ICMPV6, 6));
	assert_false(rule_proto_family_ok(RULE_ICMPV6, 4));
	assert_true(rule_proto_family_ok(RULE_TCP, 6));
	assert_true(rule_proto_family_ok(RULE_ALL, 4));
	assert_false(rule_proto_family_ok(RULE_GRE, 5));
}

static void
key_of(const char *q, enum rule_dir dir, char *key)
{
	json_t *doc = NULL;

	assert_int_equal(parse(q, dir, &vpc_group, RPARSE_MATCH, &doc), 0);
	assert_int_equal(rparse_key(doc, "1000", key, RPARSE_KEY_MAX), 0);
	json_decref(doc);
}

static void
test_keys(void **state)
{
	char a[RPARSE_KEY_MAX], b[RPARSE_KEY_MAX];

	(void)state;
	key_of("IpProtocol=tcp&PortRange=22/22&SourceCidrIp=10.0.0.1&"
	    "Description=x", RULE_INGRESS, a);
	key_of("IpProtocol=TCP&PortRange=22/22&SourceCidrIp=10.0.0.1/32&"
	    "Policy=Accept&Priority=1&NicType=internet", RULE_INGRESS, b);
	assert_string_equal(a, b);
	key_of("IpProtocol=tcp&PortRange=22/22&SourceCidrIp=10.0.0.1&"
	    "Priority=2", RULE_INGRESS, b);
	assert_string_not_equal(a, b);
	key_of("IpProtocol=tcp&PortRange=22/22&SourceCidrIp=10.0.0.1&"
	    "Policy=drop", RULE_INGRESS, b);
	assert_string_not_equal(a, b);
	key_of("IpProtocol=tcp&PortRange=22/22&DestCidrIp=10.0.0.1",
	    RULE_EGRESS, b);
	assert_string_not_equal(a, b);
	key_of("IpProtocol=all&SourceCidrIp=10.0.0.1/8", RULE_INGRESS, a);
	key_of("IpProtocol=all&SourceCidrIp=10.0.0.0/8", RULE_INGRESS, b);
	assert_string_not_equal(a, b);
	key_of("IpProtocol=all&Ipv6SourceCidrIp=2001:DB8::/32", RULE_INGRESS,
	    a);
	key_of("IpProtocol=all&Ipv6SourceCidrIp=2001:db8:0::/32", RULE_INGRESS,
	    b);
	assert_string_equal(a, b);
	key_of("IpProtocol=all&SourceGroupId=sg-p", RULE_INGRESS, a);
	key_of("IpProtocol=all&SourceGroupId=sg-p&SourceGroupOwnerId=1000",
	    RULE_INGRESS, b);
	assert_string_equal(a, b);
	key_of("IpProtocol=all&SourceGroupId=sg-p&SourceGroupOwnerId=2000",
	    RULE_INGRESS, b);
	assert_string_not_equal(a, b);
	key_of("IpProtocol=udp&PortRange=1/2&SourcePortRange=-1/-1&"
	    "SourceCidrIp=1.1.1.1", RULE_INGRESS, a);
	key_of("IpProtocol=udp&PortRange=1/2&SourceCidrIp=1.1.1.1",
	    RULE_INGRESS, b);
	assert_string_equal(a, b);
}

static void
test_form(void **state)
{
	struct prm_list p;
	int idx[RPARSE_MAX_PERMISSIONS], flat;
	size_t n;
	const char *q;

	(void)state;
	prm_init(&p);
	q = "Permissions.10.IpProtocol=tcp&Permissions.2.IpProtocol=tcp&"
	    "Permissions.10.PortRange=1/1&Description=&RegionId=x";
	assert_int_equal(prm_parse(&p, q, strlen(q)), 0);
	assert_int_equal(rparse_form(&p, RULE_INGRESS, idx,
	    RPARSE_MAX_PERMISSIONS, &n, &flat), 0);
	assert_int_equal(n, 2);
	assert_int_equal(idx[0], 2);
	assert_int_equal(idx[1], 10);
	assert_false(flat);
	q = "SourceGroupId=sg-x";
	assert_int_equal(prm_parse(&p, q, strlen(q)), 0);
	assert_int_equal(rparse_form(&p, RULE_INGRESS, idx,
	    RPARSE_MAX_PERMISSIONS, &n, &flat), -ERR_SGR_PERMISSIONS_CONFLICT);
	/* An egress request does not know SourceGroupId. */
	assert_int_equal(rparse_form(&p, RULE_EGRESS, idx,
	    RPARSE_MAX_PERMISSIONS, &n, &flat), 0);
	prm_free(&p);
}

/* A few errors of the parser itself (all of them: sg_rule_test). */
static void
test_parse_errors(void **state)
{
	json_t *doc = NULL;

	(void)state;
	assert_int_equal(parse("IpProtocol=tcp&PortRange=1/1&SourceGroupId="
	    "sg-self", RULE_INGRESS, &vpc_group, 0, &doc),
	    -ERR_SGR_SELF_INGRESS);
	assert_int_equal(parse("IpProtocol=tcp&PortRange=1/1&SourceGroupId="
	    "sg-self&SourceGroupOwnerId=2000", RULE_INGRESS, &vpc_group, 0,
	    &doc), 0);
	json_decref(doc);
	assert_int_equal(parse("IpProtocol=tcp&PortRange=1/1&DestCidrIp="
	    "10.0.0.0/8&NicType=intranet", RULE_EGRESS, &classic_group, 0,
	    &doc), 0);
	assert_string_equal(rparse_str(doc, "NicType"), "intranet");
	json_decref(doc);
	assert_int_equal(parse("IpProtocol=tcp&PortRange=1/1&SourceCidrIp="
	    "10.0.0.1", RULE_INGRESS, &classic_group, 0, &doc), 0);
	assert_string_equal(rparse_str(doc, "NicType"), "internet");
	json_decref(doc);
	assert_int_equal(parse("IpProtocol=tcp&PortRange=1/1&SourceCidrIp="
	    "0.0.0.0/0&Priority=110", RULE_INGRESS, &vpc_group, RPARSE_MATCH,
	    &doc), 0);
	json_decref(doc);
	assert_int_equal(parse("IpProtocol=tcp&PortRange=1/1&SourceCidrIp="
	    "0.0.0.0/0&Priority=99999999999999", RULE_INGRESS, &vpc_group, 0,
	    &doc), -ERR_SGR_PRIORITY_RANGE);
	/* CIDR wins over a group peer (§4.7). */
	assert_int_equal(parse("IpProtocol=tcp&PortRange=1/1&SourceCidrIp="
	    "1.1.1.1&SourceGroupId=sg-x", RULE_INGRESS, &vpc_group, 0, &doc),
	    0);
	assert_string_equal(rparse_str(doc, "SourceGroupId"), "");
	json_decref(doc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_compile),
		cmocka_unit_test(test_family),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_form),
		cmocka_unit_test(test_parse_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
