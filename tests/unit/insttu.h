/*
 * insttu: helpers shared by the instance and ENI suites (instance_test.c,
 * eni_test.c) on top of test_util.h: a store per test, ECS/VPC calls,
 * success and error assertions, and the VPC/vSwitch/group fixtures.
 * Header-only: each test binary includes it once.
 */
#ifndef SEKISHO_INSTTU_H
#define SEKISHO_INSTTU_H

#include <stdarg.h>

#include "test_util.h"

#define NOW 1795000000
#define ECS "Version=2014-05-26&RegionId=cn-hangzhou"
#define VPCV "Version=2016-04-28&RegionId=cn-hangzhou"

static struct tu_env env;

static int
setup(void **state)
{
	(void)state;
	return tu_env_open(&env, NOW);
}

static int
teardown(void **state)
{
	(void)state;
	tu_env_close(&env);
	return 0;
}

static TU_UNUSED void
call(struct tu_reply *rp, const char *fmt, ...)
{
	char q[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	tu_v1(&env, "GET", q, NULL, rp);
}

/* Expects a 200; copies the string field key into out (>= 64 bytes). */
static TU_UNUSED void
call_ok(char *out, const char *key, const char *fmt, ...)
{
	struct tu_reply rp;
	char q[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	tu_v1(&env, "GET", q, NULL, &rp);
	if (rp.status != 200)
		fail_msg("%s -> %d %s %s", q, rp.status, tu_code(&rp),
		    tu_message(&rp));
	if (out)
		snprintf(out, 64, "%s", json_string_value(json_object_get(
		    rp.json, key)));
	tu_reply_free(&rp);
}

#define expect(want_st, want_code, ...) do { \
	struct tu_reply rp_; \
	call(&rp_, __VA_ARGS__); \
	if (rp_.status != (want_st) || strcmp(tu_code(&rp_), (want_code)) != 0) \
		fail_msg("want %d %s, got %d %s (%s)", (want_st), (want_code), \
		    rp_.status, tu_code(&rp_), tu_message(&rp_)); \
	tu_expect_error(&rp_, (want_st), (want_code)); \
} while (0)

static TU_UNUSED void
mk_vpc(char *out, const char *cidr)
{
	call_ok(out, "VpcId", "Action=CreateVpc&" VPCV "&CidrBlock=%s", cidr);
}

static TU_UNUSED void
mk_vsw(char *out, const char *vpc_id, const char *zone, const char *cidr)
{
	call_ok(out, "VSwitchId", "Action=CreateVSwitch&" VPCV
	    "&VpcId=%s&ZoneId=%s&CidrBlock=%s", vpc_id, zone, cidr);
}

static TU_UNUSED void
mk_sg(char *out, const char *vpc_id, const char *type)
{
	call_ok(out, "SecurityGroupId", "Action=CreateSecurityGroup&" ECS
	    "&VpcId=%s&SecurityGroupType=%s", vpc_id, type);
}

#endif
