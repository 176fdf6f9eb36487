/*
 * sg_rule_test: the rule actions in-process (Authorize/Revoke/Modify, both
 * directions) through api_handle() with a real store: the stored and
 * returned form of rules, idempotency, every validation error with its
 * exact Code and HTTP status (and that a refused request changes nothing),
 * group peers across VPCs, network types and accounts, the Terraform call
 * patterns of spec §9.2, and the rule limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sg/sgdb.h"
#include "sgtu.h"

/* The groups every test works with ($X in the tables below). */
struct fixture {
	char vpc[64], vpc2[64], ovpc[64];
	char s[64];	/* $S VPC basic group under test */
	char o[64];	/* $O another basic group, same VPC */
	char x[64];	/* $X a basic group in another VPC */
	char c[64];	/* $C a classic group */
	char d[64];	/* $D a second classic group */
	char e[64];	/* $E an enterprise group, same VPC */
	char a[64];	/* $A a VPC group of the other account */
};

static struct fixture fx;

static int
setup(void **state)
{
	char extra[128];

	if (sgtu_setup(state) != 0)
		return -1;
	mkvpc(fx.vpc);
	mkvpc(fx.vpc2);
	snprintf(extra, sizeof(extra), "&VpcId=%s", fx.vpc);
	mksg(extra, fx.s);
	mksg(extra, fx.o);
	snprintf(extra, sizeof(extra), "&VpcId=%s&SecurityGroupType=enterprise",
	    fx.vpc);
	mksg(extra, fx.e);
	snprintf(extra, sizeof(extra), "&VpcId=%s&SecurityGroupName=far",
	    fx.vpc2);
	mksg(extra, fx.x);
	mksg("", fx.c);
	mksg("", fx.d);
	sgtu_other_account();
	sgtu_as_other(1);
	mkvpc(fx.ovpc);
	snprintf(extra, sizeof(extra), "&VpcId=%s&SecurityGroupName=theirs",
	    fx.ovpc);
	mksg(extra, fx.a);
	sgtu_as_other(0);
	return 0;
}

/* Replaces $S, $O, $X, $C, $D, $E, $A (groups) and $U (other account). */
static void
expand(const char *in, char *out, size_t len)
{
	size_t n = 0;

	for (; *in && n + 1 < len; in++) {
		const char *v = NULL;

		if (in[0] == '$' && in[1]) {
			switch (in[1]) {
			case 'S': v = fx.s; break;
			case 'O': v = fx.o; break;
			case 'X': v = fx.x; break;
			case 'C': v = fx.c; break;
			case 'D': v = fx.d; break;
			case 'E': v = fx.e; break;
			case 'A': v = fx.a; break;
			case 'U': v = SGTU_OTHER_ACCOUNT; break;
			}
		}
		if (v) {
			assert_true(n + strlen(v) + 1 < len);
			n += (size_t)snprintf(out + n, len - n, "%s", v);
			in++;
		} else
			out[n++] = *in;
	}
	out[n] = '\0';
}

#define AUTH "AuthorizeSecurityGroup"
#define AUTHE "AuthorizeSecurityGroupEgress"
#define TCP22 "IpProtocol=tcp&PortRange=22/22&"
#define P1 "Permissions.1."

/* One refused request: action, group, parameters, HTTP status, Code. */
static const struct {
	const char *action;
	const char *group;
	const char *params;
	int status;
	const char *code;
} errors[] = {
	{ AUTH, "$S", P1 "IpProtocol=tcp&" P1 "PortRange=22/22&" P1
	  "SourceCidrIp=1.1.1.1&IpProtocol=tcp", 400,
	  "InvalidParam.Permissions" },
	{ AUTH, "$S", P1 "IpProtocol=tcp&" P1 "PortRange=22/22&" P1
	  "SourceCidrIp=1.1.1.1&Permissions.2.IpProtocol=TCP&Permissions.2."
	  "PortRange=22/22&Permissions.2.SourceCidrIp=1.1.1.1/32&"
	  "Permissions.2.Description=other", 400,
	  "InvalidParam.DuplicatePermissions" },
	{ AUTH, "$S", "IpProtocol=foo&PortRange=22/22&SourceCidrIp=1.1.1.1",
	  400, "InvalidIpProtocol.ValueNotSupported" },
	{ AUTH, "$S", "PortRange=22/22&SourceCidrIp=1.1.1.1", 400,
	  "InvalidIpProtocol.ValueNotSupported" },
	{ AUTH, "$S", "IpProtocol=tcp&SourceCidrIp=1.1.1.1", 400,
	  "InvalidPortRange.Malformed" },
	{ AUTH, "$S", "IpProtocol=tcp&PortRange=22&SourceCidrIp=1.1.1.1", 400,
	  "InvalidParam.PortRange" },
	{ AUTH, "$S", "IpProtocol=tcp&PortRange=0/5&SourceCidrIp=1.1.1.1", 400,
	  "InvalidParam.PortRange" },
	{ AUTH, "$S", "IpProtocol=udp&PortRange=5/3&SourceCidrIp=1.1.1.1", 400,
	  "InvalidParam.PortRange" },
	{ AUTH, "$S", "IpProtocol=tcp&PortRange=70000/70000&"
	  "SourceCidrIp=1.1.1.1", 400, "InvalidParam.PortRange" },
	{ AUTH, "$S", "IpProtocol=tcp&PortRange=-1/80&SourceCidrIp=1.1.1.1",
	  400, "InvalidParam.PortRange" },
	{ AUTH, "$S", "IpProtocol=tcp&PortRange=-1/-1&SourceCidrIp=1.1.1.1",
	  400, "OperationDenied" },
	{ AUTH, "$S", "IpProtocol=icmp&PortRange=22/22&SourceCidrIp=1.1.1.1",
	  400, "OperationDenied" },
	{ AUTH, "$S", "IpProtocol=all&PortRange=1/65535&SourceCidrIp=1.1.1.1",
	  400, "OperationDenied" },
	{ AUTH, "$S", TCP22 "SourcePortRange=abc&SourceCidrIp=1.1.1.1", 400,
	  "InvalidSourcePortRange.Malformed" },
	{ AUTH, "$S", "IpProtocol=icmp&SourcePortRange=1/2&"
	  "SourceCidrIp=1.1.1.1", 400, "InvalidSourcePortRange.Malformed" },
	{ AUTH, "$S", TCP22 "Policy=allow&SourceCidrIp=1.1.1.1", 400,
	  "InvalidPolicy.Malformed" },
	{ AUTH, "$S", TCP22 "Priority=abc&SourceCidrIp=1.1.1.1", 400,
	  "InvalidPriority.Malformed" },
	{ AUTH, "$S", TCP22 "Priority=0&SourceCidrIp=1.1.1.1", 400,
	  "InvalidPriority.ValueNotSupported" },
	{ AUTH, "$S", TCP22 "Priority=101&SourceCidrIp=1.1.1.1", 400,
	  "InvalidPriority.ValueNotSupported" },
	{ AUTH, "$S", TCP22 "Priority=110&SourceCidrIp=1.1.1.1", 400,
	  "InvalidPriority.ValueNotSupported" },
	{ AUTH, "$S", TCP22 "NicType=wan&SourceCidrIp=1.1.1.1", 400,
	  "InvalidNicType.ValueNotSupported" },
	{ AUTH, "$S", TCP22 "SourceCidrIp=1.2.3", 400,
	  "InvalidSourceCidrIp.Malformed" },
	{ AUTH, "$S", TCP22 "SourceCidrIp=::/0", 400,
	  "InvalidSourceCidrIp.Malformed" },
	{ AUTH, "$S", TCP22 "Ipv6SourceCidrIp=1.1.1.1", 400,
	  "InvalidParam.Ipv6SourceCidrIp" },
	{ AUTH, "$S", TCP22 "SourceCidrIp=1.1.1.1&Ipv6SourceCidrIp=::/0", 400,
	  "InvalidParam.SourceIp" },
	{ AUTH, "$S", TCP22 "SourceCidrIp=1.1.1.1&DestCidrIp=10.1", 400,
	  "InvalidDestCidrIp.Malformed" },
	{ AUTH, "$S", TCP22 "SourceCidrIp=1.1.1.1&Ipv6DestCidrIp=zz", 400,
	  "InvalidParam.Ipv6DestCidrIp" },
	{ AUTH, "$S", TCP22 "SourceCidrIp=1.1.1.1&Ipv6DestCidrIp=::1", 400,
	  "InvalidParam.DestIp" },
	{ AUTH, "$S", TCP22 "SourceCidrIp=10.0.0.0/8&DestCidrIp=10.0.0.0/8",
	  400, "InvalidParamter.Conflict" },
	{ AUTH, "$S", "IpProtocol=icmp&Ipv6SourceCidrIp=::/0", 400,
	  "InvalidParam.Ipv4ProtocolConflictWithIpv6Address" },
	{ AUTH, "$S", "IpProtocol=icmpv6&SourceCidrIp=0.0.0.0/0", 400,
	  "InvalidParam.Ipv6ProtocolConflictWithIpv4Address" },
	{ AUTH, "$S", TCP22 "Policy=accept", 400, "MissingParameter.Source" },
	{ AUTHE, "$S", TCP22 "SourceCidrIp=1.1.1.1", 400,
	  "MissingParameter.Dest" },
	{ AUTH, "$S", TCP22 "SourceGroupId=$S", 403,
	  "InvalidParamter.Conflict" },
	{ AUTHE, "$S", TCP22 "DestGroupId=$S", 403,
	  "InvalidSecurityGroup.IsSame" },
	{ AUTH, "$S", TCP22 "SourceGroupId=sg-nope", 404,
	  "InvalidSourceGroupId.NotFound" },
	{ AUTHE, "$S", TCP22 "DestGroupId=sg-nope", 404,
	  "InvalidDestGroupId.NotFound" },
	{ AUTH, "$S", TCP22 "SourceGroupId=$X", 400,
	  "InvalidSourceGroupId.Mismatch" },
	{ AUTHE, "$S", TCP22 "DestGroupId=$X", 400,
	  "InvalidDestGroupId.Mismatch" },
	{ AUTH, "$S", TCP22 "SourceGroupId=$C", 403,
	  "InvalidNetworkType.Mismatch" },
	{ AUTHE, "$S", TCP22 "DestGroupId=$C", 403,
	  "InvalidNetworkType.Conflict" },
	{ AUTH, "$C", TCP22 "SourceGroupId=$D&NicType=internet", 403,
	  "InvalidSourceGroupId.Mismatch" },
	{ AUTHE, "$C", TCP22 "DestGroupId=$D&NicType=internet", 403,
	  "InvalidDestGroupId.Mismatch" },
	{ AUTH, "$C", TCP22 "NicType=intranet&SourceCidrIp=10.0.0.0/8", 400,
	  "InvalidSourceCidrIp.Malformed" },
	{ AUTH, "$C", TCP22 "Ipv6SourceCidrIp=::/0", 400,
	  "InvalidParam.Ipv6SourceCidrIp" },
	{ AUTH, "$E", TCP22 "Policy=drop&SourceCidrIp=1.1.1.1", 400,
	  "InvalidGroupParameter.OperationDenied" },
	{ AUTH, "$E", TCP22 "Priority=5&SourceCidrIp=1.1.1.1", 400,
	  "InvalidGroupParameter.OperationDenied" },
	{ AUTH, "$E", TCP22 "SourceGroupId=$S", 400,
	  "InvalidGroupParameter.OperationDenied" },
	{ AUTH, "$S", TCP22 "SourceGroupId=$E", 400,
	  "InvalidGroupAuthParameter.OperationDenied" },
	{ AUTH, "$S", TCP22 "SourceGroupId=$A", 404,
	  "InvalidSourceGroupId.NotFound" },
	{ AUTH, "$S", TCP22 "SourceGroupId=$A&SourceGroupOwnerId=1234", 404,
	  "InvalidSourceGroupId.NotFound" },
	{ AUTH, "$S", TCP22 "SourceGroupId=$A&SourceGroupOwnerAccount=$U&"
	  "SourceGroupOwnerId=1234", 400, "InvalidParameter" },
	{ AUTH, "sg-nope", TCP22 "SourceCidrIp=1.1.1.1", 404,
	  "InvalidSecurityGroupId.NotFound" },
	{ "RevokeSecurityGroup", "$S", "SecurityGroupRuleId.1=sgr-nope", 400,
	  "InvalidParam.SecurityGroupRuleId" },
	{ "RevokeSecurityGroup", "$S", "SecurityGroupRuleId.1=sgr-a&"
	  "SecurityGroupRuleId.2=sgr-a", 400,
	  "InvalidParam.SecurityGroupRuleIdRepeated" },
	{ "RevokeSecurityGroupEgress", "$S", "SecurityGroupRuleId.1=sgr-a&"
	  TCP22 "DestCidrIp=1.1.1.1", 400, "InvalidParam.Permissions" },
	{ "RevokeSecurityGroup", "$S", TCP22 "Priority=0&SourceCidrIp=1.1.1.1",
	  400, "InvalidPriority.ValueNotSupported" },
	{ "RevokeSecurityGroup", "sg-nope", TCP22 "SourceCidrIp=1.1.1.1", 404,
	  "InvalidSecurityGroupId.NotFound" },
	{ "ModifySecurityGroupRule", "$S", TCP22 "SourceCidrIp=1.1.1.1&"
	  "Description=x", 404, "SecurityGroupRule.NotFound" },
	{ "ModifySecurityGroupEgressRule", "$S", "SecurityGroupRuleId=sgr-nope&"
	  "Description=x", 404, "SecurityGroupRule.NotFound" },
	{ "ModifySecurityGroupRule", "sg-nope", TCP22 "SourceCidrIp=1.1.1.1",
	  404, "InvalidSecurityGroupId.NotFound" },
};

static void
test_errors(void **state)
{
	char q[4096], desc[600];

	(void)state;
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		char group[64];

		expand(errors[i].group, group, sizeof(group));
		expand(errors[i].params, desc, sizeof(desc));
		snprintf(q, sizeof(q), "%s&RegionId=cn-hangzhou&"
		    "SecurityGroupId=%s&%s", errors[i].action, group, desc);
		bad(errors[i].status, errors[i].code, "%s", q);
	}
	/* A 513-character description. */
	memset(desc, 'd', 513);
	desc[513] = '\0';
	bad(400, "InvalidSecurityGroupDiscription.Malformed", AUTH "&RegionId="
	    "cn-hangzhou&SecurityGroupId=%s&" TCP22 "SourceCidrIp=1.1.1.1&"
	    "Description=%s", fx.s, desc);
	bad(404, "InvalidRegionId.NotFound", AUTH "&RegionId=xx-nowhere&"
	    "SecurityGroupId=%s&" TCP22 "SourceCidrIp=1.1.1.1", fx.s);
	/* Nothing was stored by any refused request. */
	assert_int_equal(nrows("sgrule", NULL), 0);
	assert_int_equal(nrows("sgref", NULL), 0);
}

static const char *const fields[] = {
	"SecurityGroupRuleId", "Direction", "IpProtocol", "PortRange",
	"SourcePortRange", "PortRangeListId", "SourceCidrIp", "DestCidrIp",
	"Ipv6SourceCidrIp", "Ipv6DestCidrIp", "SourceGroupId", "DestGroupId",
	"SourceGroupName", "DestGroupName", "SourceGroupOwnerAccount",
	"DestGroupOwnerAccount", "SourcePrefixListId", "DestPrefixListId",
	"NicType", "Policy", "Description", "CreateTime", NULL,
};

static void
test_shape_and_idempotency(void **state)
{
	json_t *j, *p, *a;
	char id0[64];

	(void)state;
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    P1 "IpProtocol=tcp&" P1 "PortRange=22/22&"
	    P1 "SourceCidrIp=10.0.0.1&" P1 "Description=ssh&"
	    P1 "NicType=internet&Permissions.2.IpProtocol=ICMP&"
	    "Permissions.2.SourceCidrIp=0.0.0.0/0&Permissions.2.Policy=DROP&"
	    "Permissions.2.Priority=7", fx.s));
	j = perms(fx.s, "");
	assert_string_equal(jstr(j, "SecurityGroupId"), fx.s);
	assert_string_equal(jstr(j, "VpcId"), fx.vpc);
	assert_string_equal(jstr(j, "InnerAccessPolicy"), "Accept");
	assert_string_equal(jstr(j, "RegionId"), "cn-hangzhou");
	a = jlist(j, "Permissions", "Permission");
	assert_int_equal(json_array_size(a), 2);
	p = json_array_get(a, 0);
	for (int i = 0; fields[i]; i++)
		assert_true(json_is_string(json_object_get(p, fields[i])));
	assert_true(json_is_integer(json_object_get(p, "Priority")));
	assert_int_equal(jint(p, "Priority"), 1);
	assert_string_equal(jstr(p, "IpProtocol"), "TCP");
	assert_string_equal(jstr(p, "Policy"), "Accept");
	assert_string_equal(jstr(p, "SourceCidrIp"), "10.0.0.1");
	assert_string_equal(jstr(p, "PortRange"), "22/22");
	assert_string_equal(jstr(p, "SourcePortRange"), "");
	assert_string_equal(jstr(p, "NicType"), "intranet"); /* coerced */
	assert_string_equal(jstr(p, "Direction"), "ingress");
	assert_string_equal(jstr(p, "Description"), "ssh");
	assert_string_equal(jstr(p, "CreateTime"), "2026-11-18T11:06:40Z");
	assert_true(strncmp(jstr(p, "SecurityGroupRuleId"), "sgr-", 4) == 0);
	snprintf(id0, sizeof(id0), "%s", jstr(p, "SecurityGroupRuleId"));
	p = json_array_get(a, 1);
	assert_string_equal(jstr(p, "IpProtocol"), "ICMP");
	assert_string_equal(jstr(p, "PortRange"), "-1/-1");
	assert_string_equal(jstr(p, "Policy"), "Drop");
	assert_int_equal(jint(p, "Priority"), 7);
	json_decref(j);
	/* The same rule again, flat and spelt differently: nothing added. */
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    "IpProtocol=TCP&PortRange=22/22&SourceCidrIp=10.0.0.1/32&"
	    "Description=again&Priority=1&Policy=Accept", fx.s));
	j = perms(fx.s, "");
	a = jlist(j, "Permissions", "Permission");
	assert_int_equal(json_array_size(a), 2);
	assert_string_equal(jstr(json_array_get(a, 0), "SecurityGroupRuleId"),
	    id0);
	assert_string_equal(jstr(json_array_get(a, 0), "Description"), "ssh");
	json_decref(j);
	/* Direction filter; a DescribeSecurityGroups RuleCount of 2. */
	assert_int_equal(nperms(fx.s, "&Direction=egress"), 0);
	assert_int_equal(nperms(fx.s, "&Direction=ingress"), 2);
	assert_int_equal(nperms(fx.s, "&NicType=internet"), 2);
	j = ok("DescribeSecurityGroups&RegionId=cn-hangzhou&SecurityGroupId=%s",
	    fx.s);
	p = json_array_get(jlist(j, "SecurityGroups", "SecurityGroup"), 0);
	assert_int_equal(jint(p, "RuleCount"), 2);
	json_decref(j);
}

/* Classic groups: NicType default internet, intranet by /32 or groups. */
static void
test_classic(void **state)
{
	json_t *j, *a;

	(void)state;
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&" TCP22
	    "SourceCidrIp=0.0.0.0/0", fx.c));
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&" TCP22
	    "SourceCidrIp=10.1.2.3&NicType=intranet", fx.c));
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&" TCP22
	    "SourceCidrIp=10.1.2.4/32&NicType=intranet", fx.c));
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&" TCP22
	    "SourceGroupId=%s", fx.c, fx.d));
	/* Egress to a /8 on the intranet NIC is fine (ingress-only rule). */
	json_decref(ok(AUTHE "&RegionId=cn-hangzhou&SecurityGroupId=%s&" TCP22
	    "DestCidrIp=10.0.0.0/8&NicType=intranet", fx.c));
	assert_int_equal(nperms(fx.c, ""), 1);		/* internet */
	assert_int_equal(nperms(fx.c, "&NicType=internet"), 1);
	j = perms(fx.c, "&NicType=intranet&Direction=ingress");
	a = jlist(j, "Permissions", "Permission");
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(jstr(json_array_get(a, 2), "SourceGroupId"), fx.d);
	assert_string_equal(jstr(json_array_get(a, 2), "NicType"), "intranet");
	json_decref(j);
	bad(400, "InvalidNicType.ValueNotSupported", "DescribeSecurityGroup"
	    "Attribute&RegionId=cn-hangzhou&SecurityGroupId=%s&NicType=x",
	    fx.c);
	bad(400, "InvalidParameter", "DescribeSecurityGroupAttribute&RegionId="
	    "cn-hangzhou&SecurityGroupId=%s&Direction=up", fx.c);
	/* The peer cannot go while the rule names it. */
	bad(403, "DependencyViolation", "DeleteSecurityGroup&RegionId="
	    "cn-hangzhou&SecurityGroupId=%s", fx.d);
}

/* IPv6, quintuple, egress and cross-account peers in a VPC group. */
static void
test_peers_and_ipv6(void **state)
{
	json_t *j, *a, *p;

	(void)state;
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    "IpProtocol=icmpv6&Ipv6SourceCidrIp=2001:DB8::/32", fx.s));
	json_decref(ok(AUTHE "&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    "IpProtocol=udp&PortRange=53/53&SourcePortRange=1024/65535&"
	    "DestCidrIp=8.8.8.8&SourceCidrIp=10.0.0.0/24", fx.s));
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&" TCP22
	    "SourceGroupId=%s", fx.s, fx.o));
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&" TCP22
	    "SourceGroupId=%s&SourceGroupOwnerId=%s", fx.s, fx.a,
	    SGTU_OTHER_ACCOUNT));
	json_decref(ok(AUTHE "&RegionId=cn-hangzhou&SecurityGroupId=%s&" TCP22
	    "DestGroupId=%s&DestGroupOwnerAccount=%s", fx.s, fx.a,
	    SGTU_OTHER_ACCOUNT));
	j = perms(fx.s, "");
	a = jlist(j, "Permissions", "Permission");
	assert_int_equal(json_array_size(a), 5);
	p = json_array_get(a, 0);
	assert_string_equal(jstr(p, "IpProtocol"), "ICMPV6");
	assert_string_equal(jstr(p, "Ipv6SourceCidrIp"), "2001:DB8::/32");
	p = json_array_get(a, 1);
	assert_string_equal(jstr(p, "Direction"), "egress");
	assert_string_equal(jstr(p, "SourceCidrIp"), "10.0.0.0/24");
	assert_string_equal(jstr(p, "SourcePortRange"), "1024/65535");
	p = json_array_get(a, 3);
	assert_string_equal(jstr(p, "SourceGroupOwnerAccount"),
	    SGTU_OTHER_ACCOUNT);
	assert_string_equal(jstr(p, "SourceGroupName"), "theirs");
	assert_string_equal(jstr(json_array_get(a, 4), "DestGroupName"),
	    "theirs");
	json_decref(j);
	assert_int_equal(nrows("sgref", fx.a), 2);
	/* The other account sees who references its group, cannot delete it. */
	sgtu_as_other(1);
	j = ok("DescribeSecurityGroupReferences&RegionId=cn-hangzhou&"
	    "SecurityGroupId.1=%s", fx.a);
	a = jlist(j, "SecurityGroupReferences", "SecurityGroupReference");
	assert_int_equal(json_array_size(a), 1);
	p = json_array_get(a, 0);
	assert_string_equal(jstr(p, "SecurityGroupId"), fx.a);
	a = jlist(p, "ReferencingSecurityGroups", "ReferencingSecurityGroup");
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(jstr(json_array_get(a, 0), "SecurityGroupId"),
	    fx.s);
	assert_string_equal(jstr(json_array_get(a, 0), "AliUid"), env.account);
	json_decref(j);
	bad(403, "DependencyViolation", "DeleteSecurityGroup&RegionId="
	    "cn-hangzhou&SecurityGroupId=%s", fx.a);
	/* Its view of our group: not found. */
	bad(404, "InvalidSecurityGroupId.NotFound", "DescribeSecurityGroup"
	    "Attribute&RegionId=cn-hangzhou&SecurityGroupId=%s", fx.s);
	sgtu_as_other(0);
	/* Deleting the referencing group drops its rules and sgref rows. */
	json_decref(ok("DeleteSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s", fx.s));
	assert_int_equal(nrows("sgref", NULL), 0);
	assert_int_equal(nrows("sgrule", fx.s), 0);
	sgtu_as_other(1);
	json_decref(ok("DeleteSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s", fx.a));
	sgtu_as_other(0);
}

/* Terraform (§9.2): revoke and modify with the flat fields. */
static void
test_revoke(void **state)
{
	json_t *j, *a;
	char id[64];

	(void)state;
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    P1 "IpProtocol=tcp&" P1 "PortRange=80/80&"
	    P1 "SourceCidrIp=0.0.0.0/0&" P1 "Description=web&"
	    "Permissions.2.IpProtocol=tcp&Permissions.2.PortRange=443/443&"
	    "Permissions.2.SourceGroupId=%s&"
	    "Permissions.3.IpProtocol=all&Permissions.3.SourceCidrIp=1.0.0.0/8",
	    fx.s, fx.o));
	assert_int_equal(nrows("sgref", fx.o), 1);
	/* No match: success, nothing removed. */
	json_decref(ok("RevokeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=tcp&PortRange=81/81&"
	    "SourceCidrIp=0.0.0.0/0", fx.s));
	assert_int_equal(nperms(fx.s, ""), 3);
	/* Flat, with an empty Description, NicType, Priority: matches. */
	json_decref(ok("RevokeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=tcp&PortRange=80/80&"
	    "SourceCidrIp=0.0.0.0/0&Description=&NicType=intranet&Priority=1&"
	    "Policy=accept&SourceGroupOwnerAccount=", fx.s));
	assert_int_equal(nperms(fx.s, ""), 2);
	/* The group rule, by Permissions: its sgref row goes too. */
	json_decref(ok("RevokeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&" P1 "IpProtocol=TCP&" P1 "PortRange=443/443&"
	    P1 "SourceGroupId=%s", fx.s, fx.o));
	assert_int_equal(nrows("sgref", NULL), 0);
	/* By id; an ingress id is unknown to the egress call. */
	j = perms(fx.s, "");
	a = jlist(j, "Permissions", "Permission");
	snprintf(id, sizeof(id), "%s",
	    jstr(json_array_get(a, 0), "SecurityGroupRuleId"));
	json_decref(j);
	bad(400, "InvalidParam.SecurityGroupRuleId",
	    "RevokeSecurityGroupEgress&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&SecurityGroupRuleId.1=%s",
	    fx.s, id);
	bad(400, "InvalidParam.SecurityGroupRuleId", "RevokeSecurityGroup&"
	    "RegionId=cn-hangzhou&SecurityGroupId=%s&SecurityGroupRuleId.1=%s",
	    fx.o, id);
	json_decref(ok("RevokeSecurityGroup&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&SecurityGroupRuleId.1=%s", fx.s, id));
	assert_int_equal(nperms(fx.s, ""), 0);
	bad(400, "InvalidParam.SecurityGroupRuleId", "RevokeSecurityGroup&"
	    "RegionId=cn-hangzhou&SecurityGroupId=%s&SecurityGroupRuleId.1=%s",
	    fx.s, id);
	/* Egress by content. */
	json_decref(ok(AUTHE "&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    "IpProtocol=all&DestCidrIp=0.0.0.0/0&Policy=drop&Priority=2",
	    fx.s));
	json_decref(ok("RevokeSecurityGroupEgress&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=ALL&PortRange=-1/-1&"
	    "DestCidrIp=0.0.0.0/0&Policy=Drop&Priority=2&Description=", fx.s));
	assert_int_equal(nperms(fx.s, ""), 0);
}

static void
test_modify(void **state)
{
	json_t *j, *p;
	char id[64], q[512];

	(void)state;
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    "IpProtocol=tcp&PortRange=22/22&SourceCidrIp=1.2.3.4&Priority=3",
	    fx.s));
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    "IpProtocol=tcp&PortRange=23/23&SourceCidrIp=1.2.3.4&Priority=3",
	    fx.s));
	/* Terraform sends the same modify twice. */
	snprintf(q, sizeof(q), "ModifySecurityGroupRule&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=tcp&PortRange=22/22&"
	    "SourceCidrIp=1.2.3.4&Priority=3&Policy=accept&NicType=intranet&"
	    "SourceGroupId=&SourceGroupOwnerAccount=&Description=new+text",
	    fx.s);
	json_decref(ok("%s", q));
	json_decref(ok("%s", q));
	j = perms(fx.s, "");
	p = json_array_get(jlist(j, "Permissions", "Permission"), 0);
	assert_string_equal(jstr(p, "Description"), "new text");
	snprintf(id, sizeof(id), "%s", jstr(p, "SecurityGroupRuleId"));
	json_decref(j);
	assert_int_equal(nperms(fx.s, ""), 2);
	/* An empty Description clears it. */
	json_decref(ok("ModifySecurityGroupRule&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=tcp&PortRange=22/22&"
	    "SourceCidrIp=1.2.3.4&Priority=3&Description=", fx.s));
	j = perms(fx.s, "");
	p = json_array_get(jlist(j, "Permissions", "Permission"), 0);
	assert_string_equal(jstr(p, "Description"), "");
	json_decref(j);
	/* By id: port and priority change, id and CreateTime stay. */
	json_decref(ok("ModifySecurityGroupRule&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&SecurityGroupRuleId=%s&PortRange=2222/2222&"
	    "Priority=9&SourceCidrIp=", fx.s, id));
	json_decref(ok("ModifySecurityGroupRule&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&SecurityGroupRuleId=%s&PortRange=2222/2222&"
	    "Priority=9", fx.s, id));
	j = perms(fx.s, "");
	p = json_array_get(jlist(j, "Permissions", "Permission"), 0);
	assert_string_equal(jstr(p, "SecurityGroupRuleId"), id);
	assert_string_equal(jstr(p, "PortRange"), "2222/2222");
	assert_string_equal(jstr(p, "SourceCidrIp"), "1.2.3.4");
	assert_int_equal(jint(p, "Priority"), 9);
	json_decref(j);
	bad(400, "InvalidParam.SourceIp", "ModifySecurityGroupRule&RegionId="
	    "cn-hangzhou&SecurityGroupId=%s&SecurityGroupRuleId=%s&"
	    "SourceGroupId=%s", fx.s, id, fx.o);
	bad(400, "InvalidParam.DuplicatePermissions", "ModifySecurityGroupRule&"
	    "RegionId=cn-hangzhou&SecurityGroupId=%s&SecurityGroupRuleId=%s&"
	    "PortRange=23/23&Priority=3", fx.s, id);
	bad(400, "InvalidParam.PortRange", "ModifySecurityGroupRule&RegionId="
	    "cn-hangzhou&SecurityGroupId=%s&SecurityGroupRuleId=%s&"
	    "PortRange=99999/1", fx.s, id);
	bad(404, "SecurityGroupRule.NotFound", "ModifySecurityGroupEgressRule&"
	    "RegionId=cn-hangzhou&SecurityGroupId=%s&SecurityGroupRuleId=%s&"
	    "PortRange=1/2", fx.s, id);
	/* Egress by content. */
	json_decref(ok(AUTHE "&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    "IpProtocol=gre&DestGroupId=%s", fx.s, fx.o));
	json_decref(ok("ModifySecurityGroupEgressRule&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=gre&PortRange=-1/-1&DestGroupId=%s&"
	    "Description=tunnel", fx.s, fx.o));
	j = perms(fx.s, "&Direction=egress");
	p = json_array_get(jlist(j, "Permissions", "Permission"), 0);
	assert_string_equal(jstr(p, "Description"), "tunnel");
	assert_string_equal(jstr(p, "DestGroupId"), fx.o);
	json_decref(j);
	assert_int_equal(nrows("sgref", fx.o), 1);
}

/* Rules per group (quota table), groups named, rules per ENI. */
static void
test_limits(void **state)
{
	char q[8192];
	size_t n = 0;
	struct store_res eni;
	char detail[256];

	(void)state;
	env.api->cfg.sg_per_eni = 16;	/* -> 30 rules per group */
	n += (size_t)snprintf(q, sizeof(q), AUTH "&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s", fx.s);
	for (int i = 1; i <= 30; i++)
		n += (size_t)snprintf(q + n, sizeof(q) - n, "&Permissions.%d."
		    "IpProtocol=tcp&Permissions.%d.PortRange=%d/%d&Permissions."
		    "%d.SourceCidrIp=0.0.0.0/0", i, i, i, i, i);
	json_decref(ok("%s", q));
	bad(403, "AuthorizationLimitExceed", AUTHE "&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=all&DestCidrIp=0.0.0.0/0", fx.s);
	json_decref(ok("%s", q)); /* all present: adds nothing */
	env.api->cfg.sg_per_eni = 5;
	/* 21 distinct peer groups from one basic group. */
	for (int i = 0; i < 21; i++) {
		char g[64], extra[128];

		snprintf(extra, sizeof(extra), "&VpcId=%s", fx.vpc);
		mksg(extra, g);
		if (i < 20)
			json_decref(ok(AUTH "&RegionId=cn-hangzhou&"
			    "SecurityGroupId=%s&IpProtocol=all&"
			    "SourceGroupId=%s", fx.o, g));
		else
			bad(403, "AuthorizationLimitExceed", AUTH "&RegionId="
			    "cn-hangzhou&SecurityGroupId=%s&IpProtocol=all&"
			    "SourceGroupId=%s", fx.o, g);
	}
	/* An ENI in $S and $O (30 + 20 rules) with a limit of 52. */
	memset(&eni, 0, sizeof(eni));
	snprintf(eni.id, sizeof(eni.id), "eni-limits");
	snprintf(eni.kind, sizeof(eni.kind), "eni");
	snprintf(eni.account, sizeof(eni.account), "%s", env.account);
	snprintf(eni.region, sizeof(eni.region), "cn-hangzhou");
	eni.doc = json_pack("{s:s, s:s, s:s, s:[]}", "NetworkInterfaceId",
	    eni.id, "Type", "Secondary", "VpcId", fx.vpc, "SecurityGroupIds");
	assert_int_equal(store_tx_begin(env.st, STORE_TX_WRITE), 0);
	assert_int_equal(sgdb_member_add(env.st, &env.api->cfg, &eni, fx.s,
	    detail), 0);
	assert_int_equal(sgdb_member_add(env.st, &env.api->cfg, &eni, fx.o,
	    detail), 0);
	assert_int_equal(store_tx_commit(env.st), 0);
	store_res_clear(&eni);
	env.api->cfg.rules_per_eni = 52;
	json_decref(ok(AUTHE "&RegionId=cn-hangzhou&SecurityGroupId=%s&"
	    P1 "IpProtocol=all&" P1 "DestCidrIp=1.0.0.0/8&Permissions.2."
	    "IpProtocol=all&Permissions.2.DestCidrIp=2.0.0.0/8", fx.o));
	bad(403, "AclLimitExceed", AUTHE "&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s&IpProtocol=all&DestCidrIp=3.0.0.0/8", fx.o);
	env.api->cfg.rules_per_eni = 500;
}

/* Enterprise groups: accept rules by CIDR, priority 1 only. */
static void
test_enterprise(void **state)
{
	json_t *j, *p;

	(void)state;
	json_decref(ok(AUTH "&RegionId=cn-hangzhou&SecurityGroupId=%s&" TCP22
	    "SourceCidrIp=10.0.0.0/8&Priority=1&Policy=accept", fx.e));
	j = perms(fx.e, "");
	assert_string_equal(jstr(j, "InnerAccessPolicy"), "Drop");
	p = json_array_get(jlist(j, "Permissions", "Permission"), 0);
	assert_int_equal(jint(p, "Priority"), 1);
	json_decref(j);
}

/* NextToken / MaxResults on the attribute call. */
static void
test_attribute_paging(void **state)
{
	char q[4096];
	size_t n = 0;
	json_t *j;
	char tok[64];

	(void)state;
	n += (size_t)snprintf(q, sizeof(q), AUTH "&RegionId=cn-hangzhou&"
	    "SecurityGroupId=%s", fx.s);
	for (int i = 1; i <= 12; i++)
		n += (size_t)snprintf(q + n, sizeof(q) - n, "&Permissions.%d."
		    "IpProtocol=udp&Permissions.%d.PortRange=%d/%d&Permissions."
		    "%d.SourceCidrIp=0.0.0.0/0", i, i, i, i, i);
	json_decref(ok("%s", q));
	j = perms(fx.s, "&MaxResults=10");
	assert_int_equal(json_array_size(jlist(j, "Permissions", "Permission")),
	    10);
	snprintf(tok, sizeof(tok), "%s", jstr(j, "NextToken"));
	assert_true(tok[0] != '\0');
	json_decref(j);
	snprintf(q, sizeof(q), "&MaxResults=10&NextToken=%s", tok);
	j = perms(fx.s, q);
	assert_int_equal(json_array_size(jlist(j, "Permissions", "Permission")),
	    2);
	assert_string_equal(jstr(j, "NextToken"), "");
	json_decref(j);
	bad(400, "InvalidParameter", "DescribeSecurityGroupAttribute&RegionId="
	    "cn-hangzhou&SecurityGroupId=%s&MaxResults=5", fx.s);
	bad(400, "InvalidParameter", "DescribeSecurityGroupAttribute&RegionId="
	    "cn-hangzhou&SecurityGroupId=%s&NextToken=zz", fx.s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_errors, setup,
		    sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_shape_and_idempotency,
		    setup, sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_classic, setup,
		    sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_peers_and_ipv6, setup,
		    sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_revoke, setup,
		    sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_modify, setup,
		    sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup,
		    sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_enterprise, setup,
		    sgtu_teardown),
		cmocka_unit_test_setup_teardown(test_attribute_paging, setup,
		    sgtu_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
