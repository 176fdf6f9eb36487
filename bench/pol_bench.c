/*
 * pol_bench: RAM policy evaluations per second on one core, for the shape
 * authorization sees on every request of a well-provisioned RAM user:
 * 5 groups x 10 policies x 10 statements = 50 policies, 500 statements.
 *
 * Statements look like real custom policies: 2-6 actions each (exact
 * names, Describe*-style prefixes, a few infix globs), mostly
 * "*" resources with some instance / security-group / role ARNs, one in
 * five with a condition (corporate CIDR, HTTPS, a resource tag, a time
 * window), a few Deny statements that do not fire for the corporate
 * caller. Requests are a fixed mix: two thirds ECS/VPC/RAM/STS actions on
 * instances, security groups and roles (mostly allowed), one third
 * actions nothing grants (implicit deny), all from the corporate CIDR. Three figures, each the median of POL_BENCH_REPS (5)
 * runs of POL_BENCH_MS (200) ms:
 *   mixed     the request mix above (what a server sees);
 *   denied    a request nothing allows (every statement is examined);
 *   parse     pol_parse of one 10-statement policy (CreatePolicy cost).
 * Aim: >= 100,000 mixed evaluations/s (10 us per authorization, far below
 * the cost of the HTTP request around it). POL_BENCH_STRICT=1 makes a
 * missed aim exit 1.
 *
 *   make && cc -O2 -std=c11 -D_GNU_SOURCE -Isrc bench/pol_bench.c \
 *       build/libsekisho.a $(pkg-config --libs jansson) -lm -o build/pol_bench
 *   build/pol_bench
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "iam/pol.h"

#define GROUPS 5
#define PER_GROUP 10
#define STMTS 10
#define NPOL (GROUPS * PER_GROUP)
#define NREQ 64

struct prng {
	uint64_t s;
};

static uint64_t
rnd(struct prng *p)
{
	uint64_t z = (p->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
rn(struct prng *p, unsigned n)
{
	return (unsigned)(rnd(p) % n);
}

static const char *const actions[] = {
	"ecs:DescribeInstances", "ecs:StartInstance", "ecs:StopInstance",
	"ecs:RebootInstance", "ecs:CreateInstance", "ecs:DeleteInstance",
	"ecs:RunInstances", "ecs:AuthorizeSecurityGroup",
	"ecs:RevokeSecurityGroup", "ecs:AuthorizeSecurityGroupEgress",
	"ecs:DescribeSecurityGroups", "ecs:DescribeSecurityGroupAttribute",
	"ecs:CreateSecurityGroup", "ecs:DeleteSecurityGroup",
	"ecs:AttachKeyPair", "ecs:DescribeKeyPairs", "ecs:AttachInstanceRamRole",
	"ecs:TagResources", "vpc:DescribeVpcs", "vpc:CreateVSwitch",
	"ram:ListUsers", "ram:GetUser", "ram:PassRole", "sts:AssumeRole",
};
#define NACT (sizeof(actions) / sizeof(actions[0]))

static const char *const globs[] = {
	"ecs:Describe*", "ecs:*SecurityGroup*", "ram:List*", "vpc:Describe*",
	"ecs:*Instance", "ecs:Start*",
};

/* Actions no statement grants (other services, RAM writes). */
static const char *const ungranted[] = {
	"oss:PutObject", "rds:CreateDBInstance", "ram:CreateUser",
	"ram:AttachPolicyToUser", "slb:CreateLoadBalancer", "kms:Decrypt",
	"vpc:DeleteVpc", "ecs:ModifyInstanceSpec",
};

static const char *const resources[] = {
	"acs:ecs:*:1234:instance/*", "acs:ecs:cn-hangzhou:1234:securitygroup/sg-7",
	"acs:ecs:*:1234:instance/i-prod*", "acs:ram::1234:role/App*",
	"acs:ecs:cn-hangzhou:1234:keypair/ops",
};

static const char *const conds[] = {
	"{\"IpAddress\":{\"acs:SourceIp\":[\"203.0.113.0/24\",\"198.51.100.0/24\"]}}",
	"{\"Bool\":{\"acs:SecureTransport\":\"true\"}}",
	"{\"StringEquals\":{\"acs:ResourceTag/env\":[\"dev\",\"test\"]}}",
	"{\"DateLessThan\":{\"acs:CurrentTime\":\"2030-01-01T00:00:00+08:00\"}}",
};

static size_t
stmt_json(struct prng *p, char *buf, size_t len)
{
	size_t n = 0;
	unsigned na = 2 + rn(p, 5), kind = rn(p, 100);
	int deny = kind < 6;

	n += (size_t)snprintf(buf + n, len - n, "{\"Effect\":\"%s\",\"Action\":[",
	    deny ? "Deny" : "Allow");
	for (unsigned i = 0; i < na; i++) {
		unsigned g = rn(p, 100);
		const char *a = g < 20 ? globs[rn(p, 6)] : actions[rn(p, NACT)];

		n += (size_t)snprintf(buf + n, len - n, "%s\"%s\"", i ? "," : "", a);
	}
	n += (size_t)snprintf(buf + n, len - n, "],\"Resource\":\"%s\"",
	    rn(p, 100) < 70 ? "*" : resources[rn(p, 5)]);
	if (deny)	/* never fires for the corporate caller */
		n += (size_t)snprintf(buf + n, len - n, ",\"Condition\":{\"NotIpAddress\":"
		    "{\"acs:SourceIp\":\"203.0.113.0/24\"}}");
	else if (rn(p, 100) < 20)
		n += (size_t)snprintf(buf + n, len - n, ",\"Condition\":%s",
		    conds[rn(p, 4)]);
	n += (size_t)snprintf(buf + n, len - n, "}");
	return n;
}

static size_t
policy_json(struct prng *p, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "{\"Version\":\"1\",\"Statement\":[");

	for (int s = 0; s < STMTS; s++) {
		if (s)
			buf[n++] = ',';
		n += stmt_json(p, buf + n, len - n);
	}
	n += (size_t)snprintf(buf + n, len - n, "]}");
	return n;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static volatile unsigned sink;

/* Operations per second of one run of `ms` milliseconds. */
static double
run_eval(const struct pol *const *pols, const struct pol_ctx *reqs,
    size_t nreq, int ms)
{
	struct pol_result res;
	double t0 = now_s(), t;
	uint64_t ops = 0;

	do {
		for (int k = 0; k < 256; k++) {
			pol_eval(pols, NPOL, &reqs[ops % nreq], &res);
			sink += (unsigned)res.decision;
			ops++;
		}
		t = now_s() - t0;
	} while (t * 1000 < ms);
	return (double)ops / t;
}

static double
run_parse(const char *doc, size_t len, int ms)
{
	double t0 = now_s(), t;
	uint64_t ops = 0;

	do {
		for (int k = 0; k < 64; k++) {
			struct pol *p = NULL;

			if (pol_parse(doc, len, POL_IDENTITY, POL_MAX_CHARS, &p,
			    NULL, 0) != 0)
				abort();
			pol_free(p);
			ops++;
		}
		t = now_s() - t0;
	} while (t * 1000 < ms);
	return (double)ops / t;
}

static int
env_int(const char *name, int def)
{
	const char *v = getenv(name);

	return v != NULL && atoi(v) > 0 ? atoi(v) : def;
}

int
main(void)
{
	static char docs[NPOL][8192];
	static char arns[NREQ][96];
	struct pol *pols[NPOL];
	struct pol_ctx reqs[NREQ], denied;
	struct pol_kv tag = { "env", "dev" };
	struct prng p = { 42 };
	int reps = env_int("POL_BENCH_REPS", 5), ms = env_int("POL_BENCH_MS", 200);
	double mixed[16], deny[16], parse[16];
	size_t len0 = 0, allowed = 0, nstmt = 0;
	struct pol_result res;

	if (reps > 16)
		reps = 16;
	for (int i = 0; i < NPOL; i++) {
		char detail[256];
		size_t n = policy_json(&p, docs[i], sizeof(docs[i]));

		if (i == 0)
			len0 = n;
		if (pol_parse(docs[i], n, POL_IDENTITY, POL_MAX_CHARS, &pols[i],
		    detail, sizeof(detail)) != 0) {
			fprintf(stderr, "pol_bench: policy %d: %s\n", i, detail);
			return 1;
		}
		nstmt += pol_stmt_count(pols[i]);
	}
	for (int i = 0; i < NREQ; i++) {
		static const char *const types[] = { "instance/i-prod1",
			"instance/i-dev2", "securitygroup/sg-7", "securitygroup/sg-9" };
		const char *a = rn(&p, 3) == 0 ? ungranted[rn(&p, 8)] :
		    actions[rn(&p, NACT)];

		memset(&reqs[i], 0, sizeof(reqs[i]));
		if (strncmp(a, "ram:PassRole", 12) == 0)
			snprintf(arns[i], sizeof(arns[i]), "acs:ram::1234:role/App%u", rn(&p, 3));
		else if (strncmp(a, "ecs:Describe", 12) == 0 || strncmp(a, "ecs:", 4) != 0)
			snprintf(arns[i], sizeof(arns[i]), "*");
		else
			snprintf(arns[i], sizeof(arns[i]), "acs:ecs:cn-hangzhou:1234:%s",
			    types[rn(&p, 4)]);
		reqs[i].action = a;
		reqs[i].resource = arns[i];
		reqs[i].source_ip = "203.0.113.25";
		reqs[i].now = 1717200000;
		reqs[i].secure_transport = 1;
		reqs[i].resource_tags = &tag;
		reqs[i].n_resource_tags = 1;
		pol_eval((const struct pol *const *)pols, NPOL, &reqs[i], &res);
		allowed += res.decision == POL_ALLOW;
	}
	denied = reqs[0];
	denied.action = "oss:PutObject";
	denied.resource = "acs:oss:*:1234:bucket/x";
	pol_eval((const struct pol *const *)pols, NPOL, &denied, &res);
	if (res.decision != POL_IMPLICIT_DENY) {
		fprintf(stderr, "pol_bench: the denied request is %s\n",
		    pol_decision_str(res.decision));
		return 1;
	}
	for (int r = 0; r < reps; r++) {
		mixed[r] = run_eval((const struct pol *const *)pols, reqs, NREQ, ms);
		deny[r] = run_eval((const struct pol *const *)pols, &denied, 1, ms);
		parse[r] = run_parse(docs[0], len0, ms);
	}
	qsort(mixed, (size_t)reps, sizeof(double), cmp_d);
	qsort(deny, (size_t)reps, sizeof(double), cmp_d);
	qsort(parse, (size_t)reps, sizeof(double), cmp_d);
	printf("pol_bench: %d groups x %d policies x %d statements (%zu statements), "
	    "%d requests, %zu allowed\n", GROUPS, PER_GROUP, STMTS, nstmt, NREQ,
	    allowed);
	printf("pol_bench: mixed  %10.0f evaluations/s (%.2f us each)\n",
	    mixed[reps / 2], 1e6 / mixed[reps / 2]);
	printf("pol_bench: denied %10.0f evaluations/s (%.2f us each, %.1f ns/statement)\n",
	    deny[reps / 2], 1e6 / deny[reps / 2], 1e9 / deny[reps / 2] / (double)nstmt);
	printf("pol_bench: parse  %10.0f policies/s (%zu bytes, %d statements)\n",
	    parse[reps / 2], len0, STMTS);
	for (int i = 0; i < NPOL; i++)
		pol_free(pols[i]);
	if (mixed[reps / 2] < 100000) {
		printf("pol_bench: aim missed (mixed >= 100000/s)\n");
		return getenv("POL_BENCH_STRICT") != NULL &&
		    strcmp(getenv("POL_BENCH_STRICT"), "1") == 0;
	}
	printf("pol_bench: aim met (mixed >= 100000/s)\n");
	return 0;
}
