/*
 * pol_test: the RAM policy language — tables of {policies, request,
 * expected decision} in the style of the AWS policy simulator, covering
 * Action/NotAction and Resource/NotResource matching, every condition
 * operator (positive and negated, absent keys, value lists, case rules),
 * deny-beats-allow across policies, the seed's RAM scenarios (Sysadmins,
 * Developers, corporate CIDR, resource-level security-group permission,
 * PassRole), trust policies, and malformed documents with their reasons.
 *
 * Policies are written with ' for " (pol_test_json() swaps them) and
 * requests as "a=<action> r=<arn> ip=<addr> t=<ISO time> tls=0|1 mfa=0|1
 * vpc=<id> rt:<tag>=<v> qt:<tag>=<v> x:<key>=<v>".
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "iam/pol.h"
#include "iam/pol_int.h"
#include "lib/err.h"
#include "lib/tm.h"
#include "lib/utf8.h"

#define A POL_ALLOW
#define D POL_EXPLICIT_DENY
#define I POL_IMPLICIT_DENY

/* Document and statement shorthands. */
#define DOC(s) "{'Version':'1','Statement':[" s "]}"
#define ST(e, a, r) "{'Effect':'" e "','Action':" a ",'Resource':" r "}"
#define STC(e, a, r, c) "{'Effect':'" e "','Action':" a ",'Resource':" r \
	",'Condition':" c "}"
#define ALLOW_ECS DOC(ST("Allow", "'ecs:*'", "'*'"))
/* Allow everything in ECS under one condition block. */
#define IF(c) DOC(STC("Allow", "'ecs:*'", "'*'", c))

#define MAXPOL 4
#define MAXKV 8

struct pol_case {
	const char *name;
	const char *pols[MAXPOL];
	const char *req;
	enum pol_decision want;
};

/* ' -> " (the documents never need a literal '). */
static char *
pol_test_json(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	for (char *p = d; *p; p++)
		if (*p == '\'')
			*p = '"';
	return d;
}

static struct pol *
pol_test_parse(const char *doc, enum pol_kind kind)
{
	char *json = pol_test_json(doc), detail[256];
	struct pol *p = NULL;
	int r = pol_parse(json, strlen(json), kind, POL_MAX_CHARS, &p, detail,
	    sizeof(detail));

	if (r != 0)
		fail_msg("cannot parse %s: %d %s", json, r, detail);
	free(json);
	return p;
}

/* A request built from its text form; strings point into buf. */
struct pol_req {
	char buf[1024];
	struct pol_ctx ctx;
	struct pol_kv rt[MAXKV], qt[MAXKV], x[MAXKV];
};

static void
pol_test_kv(struct pol_kv *kv, size_t *n, char *s)
{
	char *eq = strchr(s, '=');

	assert_non_null(eq);
	assert_true(*n < MAXKV);
	*eq = '\0';
	kv[*n].key = s;
	kv[*n].value = eq + 1;
	(*n)++;
}

static void
pol_test_req(struct pol_req *q, const char *text)
{
	struct pol_ctx *c = &q->ctx;
	char *save = NULL, *tok;

	memset(q, 0, sizeof(*q));
	assert_true(strlen(text) < sizeof(q->buf));
	strcpy(q->buf, text);
	c->resource_tags = q->rt;
	c->request_tags = q->qt;
	c->extra = q->x;
	c->secure_transport = 1;
	assert_int_equal(tm_parse_iso("2024-01-01T00:00:00Z", &c->now), 0);
	for (tok = strtok_r(q->buf, " ", &save); tok != NULL;
	    tok = strtok_r(NULL, " ", &save)) {
		if (strncmp(tok, "a=", 2) == 0)
			c->action = tok + 2;
		else if (strncmp(tok, "r=", 2) == 0)
			c->resource = tok + 2;
		else if (strncmp(tok, "ip=", 3) == 0)
			c->source_ip = tok + 3;
		else if (strncmp(tok, "t=", 2) == 0)
			assert_int_equal(tm_parse_iso(tok + 2, &c->now), 0);
		else if (strncmp(tok, "tls=", 4) == 0)
			c->secure_transport = atoi(tok + 4);
		else if (strncmp(tok, "mfa=", 4) == 0)
			c->mfa_present = atoi(tok + 4);
		else if (strncmp(tok, "vpc=", 4) == 0)
			c->source_vpc = tok + 4;
		else if (strncmp(tok, "rt:", 3) == 0)
			pol_test_kv(q->rt, &c->n_resource_tags, tok + 3);
		else if (strncmp(tok, "qt:", 3) == 0)
			pol_test_kv(q->qt, &c->n_request_tags, tok + 3);
		else if (strncmp(tok, "x:", 2) == 0)
			pol_test_kv(q->x, &c->n_extra, tok + 2);
		else
			fail_msg("bad request token %s", tok);
	}
	assert_non_null(c->action);
}

static enum pol_decision
pol_test_eval(const char *const *docs, const char *req, struct pol_result *res)
{
	struct pol *p[MAXPOL] = { NULL };
	struct pol_req q;
	size_t n = 0;

	for (; n < MAXPOL && docs[n] != NULL; n++)
		p[n] = pol_test_parse(docs[n], POL_IDENTITY);
	pol_test_req(&q, req);
	assert_int_equal(pol_eval((const struct pol *const *)p, n, &q.ctx, res), 0);
	for (size_t i = 0; i < n; i++)
		pol_free(p[i]);
	return res->decision;
}

static void
pol_test_run(const struct pol_case *cs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct pol_result res;
		enum pol_decision got = pol_test_eval(cs[i].pols, cs[i].req, &res);

		if (got != cs[i].want)
			fail_msg("case %zu \"%s\" (%s): got %s, want %s", i,
			    cs[i].name, cs[i].req, pol_decision_str(got),
			    pol_decision_str(cs[i].want));
	}
}

#define RUN(t) pol_test_run(t, sizeof(t) / sizeof(t[0]))

#include "pol_cases.h"

static void
test_actions(void **state)
{
	(void)state;
	RUN(pol_action_cases);
}

static void
test_resources(void **state)
{
	(void)state;
	RUN(pol_resource_cases);
}

static void
test_string_ops(void **state)
{
	(void)state;
	RUN(pol_string_cases);
}

static void
test_numeric_ops(void **state)
{
	(void)state;
	RUN(pol_numeric_cases);
}

static void
test_date_ops(void **state)
{
	(void)state;
	RUN(pol_date_cases);
}

static void
test_bool_ip_ops(void **state)
{
	(void)state;
	RUN(pol_bool_ip_cases);
}

static void
test_logic(void **state)
{
	(void)state;
	RUN(pol_logic_cases);
}

static void
test_seed(void **state)
{
	(void)state;
	RUN(pol_seed_cases);
}

/* Trust policies. */
static void
test_trust(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pol_trust_cases) / sizeof(pol_trust_cases[0]); i++) {
		const struct pol_trust_case *tc = &pol_trust_cases[i];
		struct pol *p = pol_test_parse(tc->doc, POL_TRUST);
		struct pol_principal who = { tc->kind, tc->account, tc->arn,
			tc->service };
		struct pol_result res;
		struct pol_req q;

		pol_test_req(&q, tc->req);
		assert_int_equal(pol_trust_eval(p, &who, &q.ctx, &res), 0);
		if (res.decision != tc->want)
			fail_msg("trust case %zu \"%s\": got %s, want %s", i,
			    tc->name, pol_decision_str(res.decision),
			    pol_decision_str(tc->want));
		assert_int_equal(pol_trust_allows(p, &who, &q.ctx),
		    tc->want == POL_ALLOW);
		pol_free(p);
	}
}

/* Malformed documents: the error and a piece of the reason. */
static void
test_malformed(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pol_bad_cases) / sizeof(pol_bad_cases[0]); i++) {
		const struct pol_bad_case *bc = &pol_bad_cases[i];
		char *json = pol_test_json(bc->doc), detail[256];
		struct pol *p = (struct pol *)1;
		int r = pol_parse(json, strlen(json), bc->kind, POL_MAX_CHARS,
		    &p, detail, sizeof(detail));

		if (r != -ERR_RAM_MALFORMED_POLICY || p != NULL ||
		    strstr(detail, bc->detail) == NULL ||
		    !utf8_valid(detail, strlen(detail)))
			fail_msg("bad case %zu %s: r=%d detail \"%s\", want \"%s\"",
			    i, json, r, detail, bc->detail);
		free(json);
	}
}

/* Bytes that are not text, and the length limit counted in characters. */
static void
test_length_and_encoding(void **state)
{
	static const char ok[] = "{\"Version\":\"1\",\"Statement\":{\"Effect\":"
	    "\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\"}}";
	char big[POL_MAX_CHARS * 3 + 64], detail[128];
	struct pol *p = NULL;
	size_t n;

	(void)state;
	assert_int_equal(pol_parse(ok, strlen(ok), POL_IDENTITY, strlen(ok), &p,
	    detail, sizeof(detail)), 0);
	pol_free(p);
	assert_int_equal(pol_parse(ok, strlen(ok), POL_IDENTITY,
	    strlen(ok) - 1, &p, detail, sizeof(detail)),
	    -ERR_RAM_POLICY_DOC_LENGTH);
	assert_null(p);
	assert_non_null(strstr(detail, "characters"));
	assert_int_equal(pol_parse("", 0, POL_IDENTITY, POL_MAX_CHARS, &p,
	    detail, sizeof(detail)), -ERR_RAM_POLICY_DOC_LENGTH);
	/* 6144 characters of 3 bytes each (a Sid of CJK) pass; one more fails. */
	n = (size_t)snprintf(big, sizeof(big), "{\"Version\":\"1\",\"Statement\":"
	    "{\"Effect\":\"Allow\",\"Action\":\"ecs:*\",\"Resource\":\"*\","
	    "\"Sid\":\"");
	{
		size_t head = n, tail = 3, chars = POL_MAX_CHARS - head - tail;

		for (size_t k = 0; k < chars; k++) {
			memcpy(big + n, "\xe5\x85\xb3", 3);	/* 関 */
			n += 3;
		}
		memcpy(big + n, "\"}}", 3);
		n += 3;
	}
	assert_int_equal(pol_parse(big, n, POL_IDENTITY, POL_MAX_CHARS, &p,
	    detail, sizeof(detail)), 0);
	assert_int_equal(strlen(pol_stmt_sid(p, 0)) % 3, 0);
	pol_free(p);
	assert_int_equal(pol_parse(big, n, POL_IDENTITY, POL_MAX_CHARS - 1, &p,
	    detail, sizeof(detail)), -ERR_RAM_POLICY_DOC_LENGTH);
	/* Invalid UTF-8, an embedded NUL, a NUL escape. */
	assert_int_equal(pol_parse("{\"Version\":\"\xff\"}", 15, POL_IDENTITY,
	    POL_MAX_CHARS, &p, detail, sizeof(detail)), -ERR_RAM_MALFORMED_POLICY);
	assert_non_null(strstr(detail, "UTF-8"));
	assert_int_equal(pol_parse("{\"Version\":\"1\0\"}", 16, POL_IDENTITY,
	    POL_MAX_CHARS, &p, detail, sizeof(detail)), -ERR_RAM_MALFORMED_POLICY);
	assert_int_equal(pol_parse("{\"Version\":\"1\\u0000\"}", 21, POL_IDENTITY,
	    POL_MAX_CHARS, &p, detail, sizeof(detail)), -ERR_RAM_MALFORMED_POLICY);
	/* No detail buffer: still refused. */
	assert_int_equal(pol_parse("{}", 2, POL_IDENTITY, POL_MAX_CHARS, &p,
	    NULL, 0), -ERR_RAM_MALFORMED_POLICY);
	/* A tiny buffer is truncated, never overrun. */
	memset(detail, 'x', sizeof(detail));
	assert_int_equal(pol_parse("{}", 2, POL_IDENTITY, POL_MAX_CHARS, &p,
	    detail, 8), -ERR_RAM_MALFORMED_POLICY);
	assert_int_equal(strlen(detail), 7);
	assert_int_equal(detail[8], 'x');
}

/* Matched statements, as the simulator reports them. */
static void
test_matches(void **state)
{
	const char *docs[] = {
		DOC(ST("Allow", "'ecs:Describe*'", "'*'") ","
		    ST("Allow", "'vpc:*'", "'*'") ","
		    ST("Allow", "'ecs:DescribeInstances'", "'*'")),
		DOC(ST("Deny", "'ecs:Delete*'", "'*'") ","
		    ST("Allow", "'*'", "'*'")),
		NULL,
	};
	const char *many[2] = { NULL, NULL };
	char buf[4096];
	struct pol_result res;
	size_t n;

	(void)state;
	assert_int_equal(pol_test_eval(docs, "a=ecs:DescribeInstances", &res), A);
	assert_int_equal(res.nallow, 3);
	assert_int_equal(res.allow[0].pol, 0);
	assert_int_equal(res.allow[0].stmt, 0);
	assert_int_equal(res.allow[1].pol, 0);
	assert_int_equal(res.allow[1].stmt, 2);
	assert_int_equal(res.allow[2].pol, 1);
	assert_int_equal(res.allow[2].stmt, 1);
	assert_int_equal(pol_test_eval(docs, "a=ecs:DeleteInstance", &res), D);
	assert_int_equal(res.deny.pol, 1);
	assert_int_equal(res.deny.stmt, 0);
	assert_int_equal(res.nallow, 0);
	assert_int_equal(pol_test_eval(docs, "a=ram:ListUsers", &res), A);
	assert_int_equal(res.nallow, 1);
	/* More allows than POL_MATCH_MAX: all counted, the first kept. */
	n = (size_t)snprintf(buf, sizeof(buf), "{'Version':'1','Statement':[");
	for (int i = 0; i < 20; i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s%s",
		    i ? "," : "", ST("Allow", "'ecs:*'", "'*'"));
	snprintf(buf + n, sizeof(buf) - n, "]}");
	many[0] = buf;
	assert_int_equal(pol_test_eval(many, "a=ecs:StartInstance", &res), A);
	assert_int_equal(res.nallow, 20);
	assert_int_equal(res.allow[POL_MATCH_MAX - 1].stmt, POL_MATCH_MAX - 1);
}

/* The API edges: NULL entries, trust policies in pol_eval, Sids. */
static void
test_api_edges(void **state)
{
	struct pol *id = pol_test_parse(DOC("{'Sid':'S1','Effect':'Allow',"
	    "'Action':'ecs:*','Resource':'*'}," ST("Deny", "'vpc:*'", "'*'")),
	    POL_IDENTITY);
	struct pol *tr = pol_test_parse(DOC("{'Effect':'Allow','Action':"
	    "'sts:AssumeRole','Principal':{'Service':'ecs.aliyuncs.com'}}"),
	    POL_TRUST);
	const struct pol *set[3] = { NULL, id, NULL };
	struct pol_principal who = { POL_PRINCIPAL_SERVICE, NULL, NULL,
		"ecs.aliyuncs.com" };
	struct pol_ctx ctx = { 0 };
	struct pol_result res;

	(void)state;
	assert_int_equal(pol_kind_of(id), POL_IDENTITY);
	assert_int_equal(pol_kind_of(tr), POL_TRUST);
	assert_int_equal(pol_stmt_count(id), 2);
	assert_string_equal(pol_stmt_sid(id, 0), "S1");
	assert_null(pol_stmt_sid(id, 1));
	assert_null(pol_stmt_sid(id, 2));
	ctx.action = "ecs:StartInstance";
	assert_int_equal(pol_eval(set, 3, &ctx, &res), 0);
	assert_int_equal(res.decision, A);
	assert_int_equal(res.allow[0].pol, 1);
	assert_int_equal(pol_eval(set, 0, &ctx, &res), 0);
	assert_int_equal(res.decision, I);
	set[2] = tr;
	assert_int_equal(pol_eval(set, 3, &ctx, &res), -ERR_INVALID_PARAMETER);
	assert_int_equal(res.decision, I);
	/* Actions too long for the lower-case copy take the folding path. */
	{
		char longact[300];

		memset(longact, 'A', sizeof(longact) - 1);
		longact[sizeof(longact) - 1] = '\0';
		memcpy(longact, "ECS:", 4);
		ctx.action = longact;
		assert_int_equal(pol_eval(set, 2, &ctx, &res), 0);
		assert_int_equal(res.decision, A);
		memcpy(longact, "Vpc:", 4);
		assert_int_equal(pol_eval(set, 2, &ctx, &res), 0);
		assert_int_equal(res.decision, D);
		memcpy(longact, "ram:", 4);
		assert_int_equal(pol_eval(set, 2, &ctx, &res), 0);
		assert_int_equal(res.decision, I);
	}
	ctx.action = NULL;
	assert_int_equal(pol_eval(set, 2, &ctx, &res), -ERR_INVALID_PARAMETER);
	ctx.action = "sts:AssumeRole";
	assert_int_equal(pol_trust_eval(id, &who, &ctx, &res),
	    -ERR_INVALID_PARAMETER);
	assert_int_equal(pol_trust_eval(tr, &who, &ctx, &res), 0);
	assert_int_equal(res.decision, A);
	assert_int_equal(pol_trust_allows(tr, &who, &ctx), 1);
	assert_int_equal(pol_trust_allows(id, &who, &ctx), 0);
	pol_free(id);
	pol_free(tr);
	pol_free(NULL);
}

static void
test_both_and_names(void **state)
{
	(void)state;
	assert_int_equal(pol_both(A, A), A);
	assert_int_equal(pol_both(A, I), I);
	assert_int_equal(pol_both(I, A), I);
	assert_int_equal(pol_both(I, I), I);
	assert_int_equal(pol_both(D, A), D);
	assert_int_equal(pol_both(A, D), D);
	assert_int_equal(pol_both(I, D), D);
	assert_string_equal(pol_decision_str(A), "allowed");
	assert_string_equal(pol_decision_str(D), "explicitDeny");
	assert_string_equal(pol_decision_str(I), "implicitDeny");
}

/* System policies parse and mean what their names say. */
static void
test_system_policies(void **state)
{
	static const struct {
		const char *name, *action;
		enum pol_decision want;
	} sys[] = {
		{ "AdministratorAccess", "ram:CreateUser", A },
		{ "AdministratorAccess", "ecs:DeleteInstance", A },
		{ "AliyunECSFullAccess", "ecs:DeleteInstance", A },
		{ "AliyunECSFullAccess", "vpc:DescribeVpcs", A },
		{ "AliyunECSFullAccess", "vpc:DeleteVpc", I },
		{ "AliyunECSFullAccess", "ram:CreateUser", I },
		{ "AliyunECSReadOnlyAccess", "ecs:DescribeInstances", A },
		{ "AliyunECSReadOnlyAccess", "ecs:ListTagResources", A },
		{ "AliyunECSReadOnlyAccess", "ecs:DescribeSecurityGroupAttribute", A },
		{ "AliyunECSReadOnlyAccess", "ecs:StartInstance", I },
		{ "AliyunECSReadOnlyAccess", "ecs:AuthorizeSecurityGroup", I },
		{ "AliyunECSReadOnlyAccess", "ecs:DeleteInstance", I },
		{ "AliyunVPCFullAccess", "vpc:CreateVSwitch", A },
		{ "AliyunVPCFullAccess", "ecs:DescribeInstances", I },
		{ "AliyunRAMFullAccess", "ram:AttachPolicyToUser", A },
		{ "AliyunRAMFullAccess", "sts:AssumeRole", I },
		{ "AliyunRAMReadOnlyAccess", "ram:GetUser", A },
		{ "AliyunRAMReadOnlyAccess", "ram:ListPolicies", A },
		{ "AliyunRAMReadOnlyAccess", "ram:CreateUser", I },
		{ "AliyunRAMReadOnlyAccess", "ram:PassRole", I },
		{ "AliyunSTSAssumeRoleAccess", "sts:AssumeRole", A },
		{ "AliyunSTSAssumeRoleAccess", "sts:GetCallerIdentity", I },
	};
	const struct pol_system *s;
	size_t count = 0;

	(void)state;
	for (size_t i = 0; (s = pol_system(i)) != NULL; i++, count++) {
		struct pol *p = NULL;
		char detail[128];

		assert_ptr_equal(pol_system_find(s->name), s);
		assert_ptr_equal(pol_system_doc(s->name), s->document);
		assert_true(strlen(s->description) > 10);
		if (pol_parse(s->document, strlen(s->document), POL_IDENTITY,
		    POL_MAX_CHARS, &p, detail, sizeof(detail)) != 0)
			fail_msg("%s: %s", s->name, detail);
		pol_free(p);
	}
	assert_int_equal(count, 7);
	assert_null(pol_system_doc("NoSuchPolicy"));
	assert_null(pol_system_doc("administratoraccess"));
	assert_null(pol_system_find(NULL));
	for (size_t i = 0; i < sizeof(sys) / sizeof(sys[0]); i++) {
		const char *docs[2] = { pol_system_doc(sys[i].name), NULL };
		char req[128];
		struct pol_result res;
		char *json;

		assert_non_null(docs[0]);
		json = pol_test_json(docs[0]);	/* no ' inside: unchanged */
		assert_string_equal(json, docs[0]);
		free(json);
		snprintf(req, sizeof(req), "a=%s r=acs:ecs:cn-hangzhou:1:instance/i-1",
		    sys[i].action);
		if (pol_test_eval(docs, req, &res) != sys[i].want)
			fail_msg("%s / %s", sys[i].name, sys[i].action);
	}
}

/* The value decoders on their own. */
static void
test_values(void **state)
{
	static const struct {
		const char *s;
		int64_t ms;	/* -1: refused */
	} dates[] = {
		{ "2019-08-12T17:00:00+08:00", 1565600400000 },
		{ "2019-08-12T09:00:00Z", 1565600400000 },
		{ "2019-08-12T09:00:00", 1565600400000 },
		{ "2019-08-12T17:00:00+0800", 1565600400000 },
		{ "2019-08-12T17:00:00+08", 1565600400000 },
		{ "2019-08-12T04:30:00-04:30", 1565600400000 },
		{ "2019-08-12T09:00Z", 1565600400000 },
		{ "2019-08-12T09:00:00.250Z", 1565600400250 },
		{ "2019-08-12T09:00:00.2Z", 1565600400200 },
		{ "2019-08-12T09:00:00.123456789Z", 1565600400123 },
		{ "2019-08-12", 1565568000000 },
		{ "1565600400", 1565600400000 },
		{ "0", 0 },
		{ "2019-08-12T09:00:00.Z", -1 },
		{ "2019-08-12T09:00:00.1234567890Z", -1 },
		{ "2019-08-12T24:00:00Z", -1 },
		{ "2019-13-12", -1 },
		{ "2019-02-30", -1 },
		{ "1969-12-31", -1 },
		{ "2019-08-12T09", -1 },
		{ "2019-08-12t09:00:00Z", -1 },
		{ "2019-08-12T09:00:00+24:00", -1 },
		{ "2019-08-12T09:00:00+08:60", -1 },
		{ "2019-08-12T09:00:00+8", -1 },
		{ "2019-08-12T09:00:00ZZ", -1 },
		{ "2019-08-12 09:00:00", -1 },
		{ "1234567890123", -1 },
		{ "", -1 },
		{ "yesterday", -1 },
	};
	static const struct {
		const char *s;
		double v;	/* NAN-free: ok says whether accepted */
		int ok;
	} nums[] = {
		{ "0", 0, 1 }, { "5", 5, 1 }, { "-5", -5, 1 }, { "0.5", 0.5, 1 },
		{ "10.25", 10.25, 1 }, { "007", 7, 1 }, { "-0.5", -0.5, 1 },
		{ "", 0, 0 }, { "-", 0, 0 }, { "1.", 0, 0 }, { ".5", 0, 0 },
		{ "+1", 0, 0 }, { "1e3", 0, 0 }, { "1,5", 0, 0 }, { " 1", 0, 0 },
		{ "0x10", 0, 0 }, { "1.2.3", 0, 0 }, { "nan", 0, 0 },
	};
	int64_t ms;
	double v;
	int b;

	(void)state;
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		int r = pol_date_parse(dates[i].s, strlen(dates[i].s), &ms);

		if (dates[i].ms < 0 ? r == 0 : (r != 0 || ms != dates[i].ms))
			fail_msg("date %s: r=%d ms=%lld", dates[i].s, r,
			    (long long)ms);
	}
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		int r = pol_num_parse(nums[i].s, strlen(nums[i].s), &v);

		if (nums[i].ok ? (r != 0 || v != nums[i].v) : r == 0)
			fail_msg("number %s: r=%d v=%g", nums[i].s, r, v);
	}
	assert_int_equal(pol_bool_parse("True", 4, &b), 0);
	assert_int_equal(b, 1);
	assert_int_equal(pol_bool_parse("FALSE", 5, &b), 0);
	assert_int_equal(b, 0);
	assert_int_equal(pol_bool_parse("yes", 3, &b), -1);
	assert_int_equal(pol_bool_parse("1", 1, &b), -1);
	assert_int_equal(pol_bool_parse("truex", 5, &b), -1);
}

/* Wildcard patterns, including the worst cases of the backtracking. */
static void
test_patterns(void **state)
{
	static const struct {
		const char *pat, *s;
		int fold, want;
	} pats[] = {
		{ "*", "", 0, 1 }, { "*", "anything", 0, 1 },
		{ "", "", 0, 1 }, { "", "a", 0, 0 },
		{ "abc", "abc", 0, 1 }, { "abc", "abd", 0, 0 },
		{ "abc", "ABC", 0, 0 }, { "abc", "ABC", 1, 1 },
		{ "ab*", "ab", 0, 1 }, { "ab*", "abzzz", 0, 1 }, { "ab*", "a", 0, 0 },
		{ "ab*", "AB", 1, 1 },
		{ "*b", "ab", 0, 1 }, { "*b", "ba", 0, 0 },
		{ "a*b*c", "abc", 0, 1 }, { "a*b*c", "axxbyyc", 0, 1 },
		{ "a*b*c", "axxbyy", 0, 0 }, { "a*b*c", "acb", 0, 0 },
		{ "a?c", "abc", 0, 1 }, { "a?c", "ac", 0, 0 }, { "a?c", "abbc", 0, 0 },
		{ "a??", "a\xc3\xa9", 0, 0 }, { "a?", "a\xc3\xa9", 0, 1 },
		{ "*?", "\xc3\xa9", 0, 1 }, { "??", "\xc3\xa9", 0, 0 },
		{ "**", "x", 0, 1 }, { "a**b", "ab", 0, 1 },
		{ "*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, 0 },
		{ "*a*a*a*a*a*a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 0, 1 },
		{ "?*", "", 0, 0 }, { "*?*", "x", 0, 1 },
		/* Head and tail cut off, the middle by literal segments. */
		{ "ab*ba", "aba", 0, 0 }, { "ab*ba", "abba", 0, 1 },
		{ "ab*ba", "abxba", 0, 1 }, { "a*a", "a", 0, 0 },
		{ "a*b*c*d", "abcd", 0, 1 }, { "a*b*c*d", "adcb", 0, 0 },
		{ "a*bc*bc", "abcbc", 0, 1 }, { "a*bc*bc", "abcbcx", 0, 0 },
		{ "*x*", "abc", 0, 0 }, { "*x*", "axc", 0, 1 },
		{ "*aab", "aaab", 0, 1 }, { "*ab*ab", "abab", 0, 1 },
		{ "*ab*ab", "ab", 0, 0 }, { "*ab*ab", "abxxab", 0, 1 },
		{ "x*ab*ab*y", "xababy", 0, 1 }, { "x*ab*ab*y", "xaby", 0, 0 },
		/* A '?' after the last star: no tail, general glob. */
		{ "a*b?", "a123bc", 0, 1 }, { "a*b?", "a123b", 0, 0 },
		{ "a*b?", "ab\xc3\xa9", 0, 1 }, { "a*?b", "ab", 0, 0 },
		{ "a?*b", "axyb", 0, 1 }, { "a?*b", "ab", 0, 0 },
		/* Folding through every path. */
		{ "ecs:*securitygroup*", "ECS:AuthorizeSecurityGroupEgress", 1, 1 },
		{ "ecs:*securitygroup*", "ECS:DescribeInstances", 1, 0 },
		{ "ecs:*instance", "ecs:StartINSTANCE", 1, 1 },
		{ "ecs:start?nstance", "ECS:STARTINSTANCE", 1, 1 },
		{ "ecs:*instance", "ecs:StartINSTANCE", 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		struct pol_pat pt;

		pol_pat_init(&pt, pats[i].pat, strlen(pats[i].pat));
		if (pol_pat_match(&pt, pats[i].s, strlen(pats[i].s),
		    pats[i].fold) != pats[i].want)
			fail_msg("pattern %s vs %s", pats[i].pat, pats[i].s);
	}
}

/*
 * Property test: random Action/NotAction and Resource/NotResource
 * statements and random requests, pol_eval() against a naive recursive
 * glob over the same strings — checks that the evaluator's shortcuts
 * (lower-cased actions, Bloom pre-filter, head/tail cuts, memmem
 * segments) never change a decision.
 */
struct ref_rng {
	uint64_t s;
};

static unsigned
ref_rn(struct ref_rng *r, unsigned n)
{
	r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((r->s >> 33) % n);
}

static int
ref_glob(const char *p, const char *s, int fold)
{
	char a, b;

	if (*p == '\0')
		return *s == '\0';
	if (*p == '*')
		return ref_glob(p + 1, s, fold) || (*s && ref_glob(p, s + 1, fold));
	if (*s == '\0')
		return 0;
	a = *p;
	b = *s;
	if (fold && a >= 'A' && a <= 'Z')
		a = (char)(a + 32);
	if (fold && b >= 'A' && b <= 'Z')
		b = (char)(b + 32);
	return (*p == '?' || a == b) && ref_glob(p + 1, s + 1, fold);
}

static void
ref_pick(struct ref_rng *r, char *out, size_t len, const char *const *parts,
    unsigned nparts, unsigned max)
{
	unsigned k = 1 + ref_rn(r, max);

	out[0] = '\0';
	for (unsigned i = 0; i < k; i++)
		strncat(out, parts[ref_rn(r, nparts)], len - strlen(out) - 1);
}

#define REF_STMTS 6

struct ref_stmt {
	int deny, not_act, not_res;
	char act[2][64], res[2][80];
};

static void
test_random_vs_reference(void **state)
{
	static const char *const svc[] = { "ecs", "vpc", "ram", "e*", "*s",
		"ec?", "ECS", "*" };
	static const char *const name[] = { "Start", "stop", "Describe",
		"Instance", "Group", "*", "?", "s", "S", "" };
	static const char *const rname[] = { "Start", "Stop", "describe",
		"Instances", "Group", "s", "" };
	static const char *const rid[] = { "i-", "sg-", "1", "a", "*", "?",
		"/", "" };
	struct ref_rng r = { 7 };

	(void)state;
	for (int round = 0; round < 300; round++) {
		struct ref_stmt st[REF_STMTS];
		char doc[4096], ssvc[8], sname[48], srid[48];
		size_t n;
		struct pol *p;

		n = (size_t)snprintf(doc, sizeof(doc), "{'Version':'1','Statement':[");
		for (int i = 0; i < REF_STMTS; i++) {
			struct ref_stmt *t = &st[i];

			t->deny = ref_rn(&r, 5) == 0;
			t->not_act = ref_rn(&r, 6) == 0;
			t->not_res = ref_rn(&r, 6) == 0;
			for (int k = 0; k < 2; k++) {
				snprintf(ssvc, sizeof(ssvc), "%s", svc[ref_rn(&r, 8)]);
				ref_pick(&r, sname, sizeof(sname), name, 10, 3);
				if (strcmp(ssvc, "*") == 0 && ref_rn(&r, 3) == 0)
					snprintf(t->act[k], sizeof(t->act[k]), "*");
				else
					snprintf(t->act[k], sizeof(t->act[k]), "%s:%s",
					    ssvc, sname[0] ? sname : "*");
				ref_pick(&r, srid, sizeof(srid), rid, 8, 3);
				snprintf(t->res[k], sizeof(t->res[k]), "%s",
				    ref_rn(&r, 4) == 0 ? "*" : "");
				if (t->res[k][0] == '\0')
					snprintf(t->res[k], sizeof(t->res[k]),
					    "acs:ecs:%s:1:%s", ref_rn(&r, 2) ? "*" : "cn",
					    srid[0] ? srid : "x");
			}
			n += (size_t)snprintf(doc + n, sizeof(doc) - n,
			    "%s{'Effect':'%s','%s':['%s','%s'],'%s':['%s','%s']}",
			    i ? "," : "", t->deny ? "Deny" : "Allow",
			    t->not_act ? "NotAction" : "Action", t->act[0], t->act[1],
			    t->not_res ? "NotResource" : "Resource", t->res[0],
			    t->res[1]);
		}
		snprintf(doc + n, sizeof(doc) - n, "]}");
		p = pol_test_parse(doc, POL_IDENTITY);
		for (int q = 0; q < 40; q++) {
			static const char *const rsvc[] = { "ecs", "ECS", "vpc",
				"ram", "ecs2", "es" };
			char act[96], res[96];
			struct pol_ctx ctx = { 0 };
			struct pol_result res_out;
			const struct pol *one = p;
			enum pol_decision want = I;

			ref_pick(&r, sname, sizeof(sname), rname, 7, 3);
			snprintf(act, sizeof(act), "%s:%s", rsvc[ref_rn(&r, 6)], sname);
			ref_pick(&r, srid, sizeof(srid), rid, 6, 3);
			snprintf(res, sizeof(res), "acs:ecs:%s:1:%s",
			    ref_rn(&r, 2) ? "cn" : "us", srid);
			for (int i = 0; i < REF_STMTS && want != D; i++) {
				const struct ref_stmt *t = &st[i];
				int a = ref_glob(t->act[0], act, 1) ||
				    ref_glob(t->act[1], act, 1);
				int rs = ref_glob(t->res[0], res, 0) ||
				    ref_glob(t->res[1], res, 0);

				if (a != t->not_act && rs != t->not_res)
					want = t->deny ? D : A;
			}
			ctx.action = act;
			ctx.resource = res;
			assert_int_equal(pol_eval(&one, 1, &ctx, &res_out), 0);
			if (res_out.decision != want)
				fail_msg("%s\n%s on %s: got %s, want %s", doc, act,
				    res, pol_decision_str(res_out.decision),
				    pol_decision_str(want));
		}
		pol_free(p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_resources),
		cmocka_unit_test(test_string_ops),
		cmocka_unit_test(test_numeric_ops),
		cmocka_unit_test(test_date_ops),
		cmocka_unit_test(test_bool_ip_ops),
		cmocka_unit_test(test_logic),
		cmocka_unit_test(test_seed),
		cmocka_unit_test(test_trust),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_length_and_encoding),
		cmocka_unit_test(test_matches),
		cmocka_unit_test(test_api_edges),
		cmocka_unit_test(test_both_and_names),
		cmocka_unit_test(test_system_policies),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_patterns),
		cmocka_unit_test(test_random_vs_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
