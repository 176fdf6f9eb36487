/*
 * eng_param_fuzz: the parameters of the engine actions (ExplainPacket,
 * DescribeEffectiveRules, DescribeReachability; src/sg/eng_load.h) — the
 * input is a query string, decoded like a request's — into a flow
 * (engload_query_parse) and a what-if change (engload_change_parse), and
 * every proposed rule of the change through the rule parser
 * (rparse_rule) as a VPC and as a classic group would take it.
 *
 * Checks, besides ASan/UBSan and leaks: every rejection is a catalogue
 * error with a detail that names something; an accepted query keeps its
 * fields in range; an accepted change has at most 2 x ENGLOAD_EDITS_MAX
 * edits, each with a group, a direction and a "where", removals first.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/prm.h"
#include "sg/eng_load.h"
#include "sg/rule_parse.h"

static void
eng_param_check_err(int r, const char *detail)
{
	if (r != -ERR_INVALID_PARAMETER && r != -ERR_MISSING_PARAMETER &&
	    r != -ERR_NOMEM)
		abort();
	if (r != -ERR_NOMEM && detail[0] == '\0')
		abort();
}

static void
eng_param_query(const struct prm_list *p)
{
	struct engload_query q;
	char det[ENGLOAD_DETAIL] = "";
	int r = engload_query_parse(p, &q, det);

	if (r < 0) {
		eng_param_check_err(r, det);
		return;
	}
	if (q.proto < -1 || q.proto > 255 || q.dport < -1 || q.dport > 65535 ||
	    q.ct > ENG_CT_INVALID || q.src.kind > ENGLOAD_END_IP ||
	    q.dst.kind > ENGLOAD_END_IP ||
	    memchr(q.src.id, '\0', sizeof(q.src.id)) == NULL ||
	    memchr(q.dst.id, '\0', sizeof(q.dst.id)) == NULL)
		abort();
}

static void
eng_param_rules(const struct engload_edit *e)
{
	static const struct rparse_group groups[] = {
		{ "sg-fuzz", "1000000000000001", 1, 0 },
		{ "sg-fuzz", "1000000000000001", 0, 0 },
		{ "sg-fuzz", "1000000000000001", 1, 1 },
	};
	char det[RPARSE_DETAIL], key[RPARSE_KEY_MAX];

	for (size_t i = 0; i < sizeof(groups) / sizeof(*groups); i++) {
		json_t *doc = NULL;
		struct rule r;

		det[0] = '\0';
		if (rparse_rule(&e->fields, "", e->dir, &groups[i],
		    e->remove ? RPARSE_MATCH : RPARSE_AUTHORIZE, &doc, det) < 0)
			continue;
		/* What engload_apply does with an accepted rule. */
		json_object_set_new(doc, "SecurityGroupRuleId",
		    json_string("proposed-1"));
		if (rule_compile(doc, &r) < 0 ||
		    rparse_key(doc, "1000000000000001", key, sizeof(key)) < 0)
			abort();
		json_decref(doc);
	}
}

static void
eng_param_change(const struct prm_list *p)
{
	struct engload_change c;
	char det[ENGLOAD_DETAIL] = "";
	int r = engload_change_parse(p, &c, det);

	if (r < 0) {
		eng_param_check_err(r, det);
		if (c.n != 0 || c.v != NULL)
			abort();
		return;
	}
	if (c.n > 2 * ENGLOAD_EDITS_MAX)
		abort();
	for (size_t i = 0; i < c.n; i++) {
		const struct engload_edit *e = &c.v[i];

		if (e->group[0] == '\0' || e->where[0] == '\0' ||
		    e->dir > RULE_EGRESS || (i > 0 && e->remove &&
		    !c.v[i - 1].remove) || (!e->remove && e->rule_id[0]))
			abort();
		eng_param_rules(e);
	}
	engload_change_free(&c);
	if (c.n != 0 || c.v != NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prm_list p;

	if (size > 1 << 16)
		return 0;
	prm_init(&p);
	if (prm_parse(&p, (const char *)data, size) == 0) {
		eng_param_query(&p);
		eng_param_change(&p);
	}
	prm_free(&p);
	return 0;
}
