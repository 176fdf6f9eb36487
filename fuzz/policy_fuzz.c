/*
 * policy_fuzz: pol_parse (RAM policy documents) and the evaluator.
 *
 * Input: a policy document, optionally followed by a NUL byte and request
 * fields separated by '\n': action, resource, source IP, source VPC, a tag
 * value (set as resource tag "env", request tag "team" and extra key
 * "sts:ExternalId"), a service name. The document is parsed as an identity
 * and as a trust policy; every accepted one is evaluated.
 *
 * Checks, besides ASan/UBSan/leaks: a refusal is one of the documented
 * errors with *out NULL and a non-empty, terminated, valid UTF-8 detail
 * (it becomes a JSON error message); evaluation returns 0, a decision in
 * range, matches that name existing statements, and the same result twice; an explicit deny reports no allow; with an
 * allow-everything policy evaluated first, the decision becomes "allowed"
 * unless the fuzzed policy denies (deny beats allow across policies).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iam/pol.h"
#include "lib/err.h"
#include "lib/utf8.h"

#define POL_FUZZ_FIELDS 6

static void
pol_fuzz_check(const struct pol *p, const struct pol_result *r)
{
	if (r->decision != POL_ALLOW && r->decision != POL_EXPLICIT_DENY &&
	    r->decision != POL_IMPLICIT_DENY)
		abort();
	if (r->decision == POL_EXPLICIT_DENY &&
	    (r->nallow != 0 || r->deny.stmt >= pol_stmt_count(p)))
		abort();
	if ((r->decision == POL_ALLOW) != (r->nallow > 0))
		abort();
	for (size_t i = 0; i < r->nallow && i < POL_MATCH_MAX; i++)
		if (r->allow[i].stmt >= pol_stmt_count(p))
			abort();
}

static void
pol_fuzz_eval(const struct pol *p, const struct pol_ctx *ctx,
    const char *service)
{
	static const char allow_all[] = "{\"Version\":\"1\",\"Statement\":"
	    "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}";
	struct pol_result r1, r2;
	struct pol_principal who = { POL_PRINCIPAL_RAM, "123",
		"acs:ram::123:user/alice", NULL };

	if (pol_kind_of(p) == POL_TRUST) {
		if (pol_trust_eval(p, &who, ctx, &r1) != 0)
			abort();
		pol_fuzz_check(p, &r1);
		who.kind = POL_PRINCIPAL_SERVICE;
		who.service = service;
		if (pol_trust_eval(p, &who, ctx, &r2) != 0)
			abort();
		pol_fuzz_check(p, &r2);
		return;
	}
	if (pol_eval(&p, 1, ctx, &r1) != 0 || pol_eval(&p, 1, ctx, &r2) != 0)
		abort();
	pol_fuzz_check(p, &r1);
	if (memcmp(&r1, &r2, sizeof(r1)) != 0)
		abort();
	{
		struct pol *a = NULL;
		const struct pol *set[2];
		enum pol_decision want = r1.decision == POL_EXPLICIT_DENY ?
		    POL_EXPLICIT_DENY : POL_ALLOW;

		if (pol_parse(allow_all, sizeof(allow_all) - 1, POL_IDENTITY,
		    POL_MAX_CHARS, &a, NULL, 0) != 0)
			abort();
		set[0] = a;
		set[1] = p;
		if (pol_eval(set, 2, ctx, &r2) != 0 || r2.decision != want ||
		    (want == POL_EXPLICIT_DENY && r2.deny.pol != 1))
			abort();
		pol_free(a);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum pol_kind kinds[] = { POL_IDENTITY, POL_TRUST };
	const char *f[POL_FUZZ_FIELDS] = { "ecs:DescribeInstances",
		"acs:ecs:cn-hangzhou:123:instance/i-1", "192.0.2.1", NULL,
		"prod", "ecs.aliyuncs.com" };
	const uint8_t *nul = memchr(data, '\0', size);
	size_t doclen = nul ? (size_t)(nul - data) : size;
	char *req = NULL;
	struct pol_kv rt, qt, x;
	struct pol_ctx ctx;

	if (nul != NULL) {
		size_t n = size - doclen - 1, k = 0;
		char *s;

		req = malloc(n + 1);
		if (req == NULL)
			return 0;
		memcpy(req, nul + 1, n);
		req[n] = '\0';
		for (s = req; k < POL_FUZZ_FIELDS; k++) {
			char *e = strchr(s, '\n');

			f[k] = s;
			if (e == NULL)
				break;
			*e = '\0';
			s = e + 1;
		}
	}
	rt.key = "env";
	qt.key = "team";
	x.key = "sts:ExternalId";
	rt.value = qt.value = x.value = f[4];
	memset(&ctx, 0, sizeof(ctx));
	ctx.action = f[0];
	ctx.resource = f[1];
	ctx.source_ip = f[2];
	ctx.source_vpc = f[3];
	ctx.now = 1717200000 + (int64_t)(size % 1000) * 86400;
	ctx.secure_transport = (int)(size & 1);
	ctx.resource_tags = &rt;
	ctx.n_resource_tags = 1;
	ctx.request_tags = &qt;
	ctx.n_request_tags = 1;
	ctx.extra = &x;
	ctx.n_extra = 1;
	for (size_t k = 0; k < 2; k++) {
		struct pol *p = (struct pol *)&ctx;	/* must be reset */
		char detail[160];
		int r;

		memset(detail, 'x', sizeof(detail));
		r = pol_parse((const char *)data, doclen, kinds[k],
		    POL_MAX_CHARS, &p, detail, sizeof(detail));
		if (r < 0) {
			if ((r != -ERR_RAM_MALFORMED_POLICY &&
			    r != -ERR_RAM_POLICY_DOC_LENGTH) || p != NULL ||
			    memchr(detail, '\0', sizeof(detail)) == NULL ||
			    detail[0] == '\0' ||
			    !utf8_valid(detail, strlen(detail)))
				abort();
			continue;
		}
		if (p == NULL || pol_kind_of(p) != kinds[k] ||
		    pol_stmt_count(p) == 0)
			abort();
		pol_fuzz_eval(p, &ctx, f[5]);
		pol_free(p);
	}
	free(req);
	return 0;
}
