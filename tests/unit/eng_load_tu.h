/*
 * eng_load_tu: what the two suites of the decision engine as API actions
 * share (eng_load_test.c: ExplainPacket, what-if, the request parsers;
 * eng_load_model_test.c: DescribeEffectiveRules, DescribeReachability,
 * AnalyzeSecurityGroup, the model build and its cache): calls of our
 * product 2026-12-01 on top of sgtu.h, and the fixture of one VPC with
 * two groups and three instances. Header-only: each test binary includes
 * it once.
 */
#ifndef SEKISHO_ENG_LOAD_TU_H
#define SEKISHO_ENG_LOAD_TU_H

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

/*
 * sgtu.h's ok() and bad() for any API version: the call "Action&k=v..."
 * (V1, GET) must answer status and, when code is not NULL, that error
 * code. Returns the body of a success (json_decref); an error reply is
 * checked and freed (NULL).
 */
static TU_UNUSED json_t *
vcheck(const char *version, int status, const char *code, const char *q)
{
	char full[16500];
	struct tu_reply rp;

	snprintf(full, sizeof(full), "Version=%s&Action=%s", version, q);
	tu_v1(&env, "GET", full, NULL, &rp);
	if (rp.status != status || (code && strcmp(tu_code(&rp), code) != 0))
		fail_msg("%.300s: want %d %s, got %d %s (%s)", q, status,
		    code ? code : "", rp.status, tu_code(&rp), tu_message(&rp));
	if (code == NULL)
		return rp.json;
	tu_expect_error(&rp, status, code);
	return NULL;
}

/* A call of our product that must succeed; the body is the caller's. */
static TU_UNUSED json_t * __attribute__((format(printf, 1, 2)))
sok(const char *fmt, ...)
{
	char q[16384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	return vcheck("2026-12-01", 200, NULL, q);
}

/* A call of our product that must fail with exactly (status, code). */
static TU_UNUSED void __attribute__((format(printf, 3, 4)))
sbad(int status, const char *code, const char *fmt, ...)
{
	char q[16384];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(q, sizeof(q), fmt, ap);
	va_end(ap);
	vcheck("2026-12-01", status, code, q);
}

/* A VPC 10.0.0.0/8 with a vSwitch 10.1.0.0/16 in cn-hangzhou-b. */
static TU_UNUSED void
mknet(char vpc[64], char vsw[64])
{
	char q[512];
	json_t *j;

	mkvpc(vpc);
	snprintf(q, sizeof(q), "CreateVSwitch&" HZ "&VpcId=%s&"
	    "ZoneId=cn-hangzhou-b&CidrBlock=10.1.0.0/16", vpc);
	j = vcheck("2016-04-28", 200, NULL, q);
	snprintf(vsw, 64, "%s", jstr(j, "VSwitchId"));
	json_decref(j);
}

/* RunInstances (one) with extra parameters; copies the id. */
static TU_UNUSED void
mkinst(const char *extra, char id[64])
{
	json_t *j = ok("RunInstances&" HZ "&InstanceType=ecs.g6.large&"
	    "ImageId=img1%s", extra);
	json_t *ids = jlist(j, "InstanceIdSets", "InstanceIdSet");

	snprintf(id, 64, "%s", json_string_value(json_array_get(ids, 0)));
	json_decref(j);
}

/* A group named name in the fixture's VPC; copies the id. */
static TU_UNUSED void
fxsg(const char *name, char id[64])
{
	char q[256];

	snprintf(q, sizeof(q), "&VpcId=%s&SecurityGroupName=%s", fx.vpc, name);
	mksg(q, id);
}

/* web (10.1.0.10), db (10.1.0.20) and db2 (10.1.0.21, also in db). */
static TU_UNUSED void
fixture(void)
{
	char q[256];

	memset(&fx, 0, sizeof(fx));
	mknet(fx.vpc, fx.vsw);
	fxsg("web", fx.web);
	fxsg("db", fx.db);
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
static TU_UNUSED void
authorize(const char *sg, int egress, const char *fields)
{
	json_decref(ok("AuthorizeSecurityGroup%s&" HZ "&SecurityGroupId=%s%s",
	    egress ? "Egress" : "", sg, fields));
}

#endif
