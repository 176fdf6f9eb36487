/*
 * pol_eval: the policy evaluator — compiled policies + a request context
 * in, a simulator-style decision out. Runs on every authorized request, so
 * it never allocates, never formats unless a policy needs a key's text,
 * and tries the cheapest test first (action, then resource, then
 * conditions). Reads the compiled policies only; safe to call from any
 * number of threads at once.
 *
 * Speed: each policy keeps one 64-bit Bloom word per statement in a
 * contiguous array (pol_int.h, pol_act_bits), so a statement whose actions
 * cannot match costs one AND; the patterns that remain are rejected on
 * their first 8 bytes (pol_pat_maybe) before any real matching.
 *
 * Semantics (identity.md §10.4-10.6; AWS where Alibaba is silent):
 *   - a statement applies when its Action (or NotAction) and Resource (or
 *     NotResource) match and every condition holds;
 *   - the first applicable Deny ends the evaluation (explicit deny);
 *     otherwise any applicable Allow allows; otherwise implicit deny;
 *   - a condition key absent from the context, or whose value cannot be
 *     read as the operator's type (a tag "abc" under NumericLessThan),
 *     matches no value: positive operators are false, negated ones true.
 */
#include "iam/pol.h"

#include <string.h>

#include "iam/pol_int.h"
#include "lib/err.h"
#include "lib/tm.h"

/* Action names longer than this are matched with folding (slow path). */
#define POL_ACT_MAX 128

/* Per-evaluation state: context values decoded at most once. */
struct pol_ev {
	const struct pol_ctx *ctx;
	const char *act;	/* lower-case copy, or ctx->action if too long */
	const char *res;
	size_t act_len, res_len;
	int act_fold;		/* act is not lower-cased: fold while matching */
	uint64_t act_h8, res_h8;	/* pol_head8(), the action lower-cased */
	uint64_t act_bit;	/* pol_act_bits() of the action (all: unknown) */
	int ip_state;		/* 0 not yet parsed, 1 valid, -1 absent */
	struct cidr ip;
	char now_txt[24];
	char act_buf[POL_ACT_MAX];
};

static inline char
pol_lower(char c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

static void
pol_ev_init(struct pol_ev *ev, const struct pol_ctx *ctx)
{
	char head[8];

	ev->ctx = ctx;
	ev->act_len = strlen(ctx->action);
	if (ev->act_len < POL_ACT_MAX) {
		for (size_t i = 0; i <= ev->act_len; i++)
			ev->act_buf[i] = pol_lower(ctx->action[i]);
		ev->act = ev->act_buf;
		ev->act_fold = 0;
		ev->act_h8 = pol_head8(ev->act_buf, ev->act_len);
		ev->act_bit = pol_act_bits(ev->act_buf, ev->act_len, 0);
	} else {
		for (size_t i = 0; i < sizeof(head); i++)
			head[i] = pol_lower(ctx->action[i]);
		ev->act = ctx->action;
		ev->act_fold = 1;
		ev->act_h8 = pol_head8(head, sizeof(head));
		ev->act_bit = UINT64_MAX;
	}
	ev->res = ctx->resource != NULL ? ctx->resource : "*";
	ev->res_len = strlen(ev->res);
	ev->res_h8 = pol_head8(ev->res, ev->res_len);
	ev->ip_state = 0;
	ev->now_txt[0] = '\0';
}

static const struct cidr *
pol_ev_ip(struct pol_ev *ev)
{
	if (ev->ip_state == 0) {
		ev->ip_state = -1;
		if (ev->ctx->source_ip != NULL &&
		    cidr_parse_addr(ev->ctx->source_ip, &ev->ip) == 0) {
			pol_ip_unmap(&ev->ip);
			ev->ip_state = 1;
		}
	}
	return ev->ip_state > 0 ? &ev->ip : NULL;
}

static const char *
pol_kv_find(const struct pol_kv *kv, size_t n, const char *key, size_t klen,
    int fold)
{
	for (size_t i = 0; i < n; i++) {
		const char *k = kv[i].key;

		if (k == NULL || kv[i].value == NULL || strlen(k) != klen)
			continue;
		if (fold ? pol_ieq(k, key, klen) : memcmp(k, key, klen) == 0)
			return kv[i].value;
	}
	return NULL;
}

/* The text of a condition key, or NULL when the context lacks it. */
static const char *
pol_key_text(struct pol_ev *ev, const struct pol_cond *c)
{
	const struct pol_ctx *x = ev->ctx;

	switch (c->key) {
	case POL_K_SOURCE_IP:
		return pol_ev_ip(ev) != NULL ? x->source_ip : NULL;
	case POL_K_CURRENT_TIME:
		if (ev->now_txt[0] == '\0')
			tm_format_iso(x->now, ev->now_txt, sizeof(ev->now_txt));
		return ev->now_txt;
	case POL_K_SECURE_TRANSPORT:
		return x->secure_transport ? "true" : "false";
	case POL_K_MFA_PRESENT:
		return x->mfa_present ? "true" : "false";
	case POL_K_SOURCE_VPC:
		return x->source_vpc;
	case POL_K_RESOURCE_TAG:
		return pol_kv_find(x->resource_tags, x->n_resource_tags,
		    c->arg, c->arg_len, 0);
	case POL_K_REQUEST_TAG:
		return pol_kv_find(x->request_tags, x->n_request_tags,
		    c->arg, c->arg_len, 0);
	default:
		return pol_kv_find(x->extra, x->n_extra, c->arg, c->arg_len, 1);
	}
}

static int
pol_cmp_num(int test, double a, double b)
{
	switch (test) {
	case POL_T_LT:
		return a < b;
	case POL_T_LE:
		return a <= b;
	case POL_T_GT:
		return a > b;
	case POL_T_GE:
		return a >= b;
	default:
		return a == b;
	}
}

static int
pol_cmp_ms(int test, int64_t a, int64_t b)
{
	return pol_cmp_num(test, (a > b) - (a < b), 0);
}

static int
pol_str_any(const struct pol_cond *c, int test, const char *s)
{
	size_t n = strlen(s);

	for (uint32_t i = 0; i < c->nval; i++) {
		const struct pol_val *v = &c->val[i];

		if (test == POL_T_LIKE) {
			if (pol_pat_match(&v->pat, s, n, 0))
				return 1;
		} else if (n == v->len && (test == POL_T_EQ_IC ?
		    pol_ieq(s, v->s, n) : memcmp(s, v->s, n) == 0))
			return 1;
	}
	return 0;
}

/* Does the context value match any of the condition's values? -1: absent. */
static int
pol_cond_any(struct pol_ev *ev, const struct pol_cond *c,
    const struct pol_op_def *op)
{
	const char *s = NULL;
	struct cidr ip;
	double num;
	int64_t ms;
	int b;

	if (op->vtype != POL_V_DATE || c->key != POL_K_CURRENT_TIME)
		if ((s = pol_key_text(ev, c)) == NULL)
			return -1;
	switch (op->vtype) {
	case POL_V_STR:
		return pol_str_any(c, op->test, s);
	case POL_V_NUM:
		if (pol_num_parse(s, strlen(s), &num) < 0)
			return -1;
		for (uint32_t i = 0; i < c->nval; i++)
			if (pol_cmp_num(op->test, num, c->val[i].u.num))
				return 1;
		return 0;
	case POL_V_DATE:
		if (c->key == POL_K_CURRENT_TIME)
			ms = ev->ctx->now * 1000;
		else if (pol_date_parse(s, strlen(s), &ms) < 0)
			return -1;
		for (uint32_t i = 0; i < c->nval; i++)
			if (pol_cmp_ms(op->test, ms, c->val[i].u.ms))
				return 1;
		return 0;
	case POL_V_BOOL:
		if (pol_bool_parse(s, strlen(s), &b) < 0)
			return -1;
		for (uint32_t i = 0; i < c->nval; i++)
			if (b == c->val[i].u.b)
				return 1;
		return 0;
	default:
		if (c->key == POL_K_SOURCE_IP)
			ip = *pol_ev_ip(ev);
		else if (cidr_parse_addr(s, &ip) < 0)
			return -1;
		else
			pol_ip_unmap(&ip);
		for (uint32_t i = 0; i < c->nval; i++)
			if (cidr_contains(&c->val[i].u.ip, &ip))
				return 1;
		return 0;
	}
}

static int
pol_conds_hold(struct pol_ev *ev, const struct pol_stmt *st)
{
	for (uint32_t i = 0; i < st->ncond; i++) {
		const struct pol_cond *c = &st->cond[i];
		const struct pol_op_def *op = &pol_op_defs[c->op];
		int any = pol_cond_any(ev, c, op);

		/* Absent: positive false, negated true (any = 0 does both). */
		if ((any > 0) == (op->negated != 0))
			return 0;
	}
	return 1;
}

static int
pol_pats_match(const struct pol_pat *pt, uint32_t n, const char *s,
    size_t len, uint64_t h8, int fold)
{
	for (uint32_t i = 0; i < n; i++)
		if (pol_pat_maybe(&pt[i], h8, len) &&
		    pol_pat_match(&pt[i], s, len, fold))
			return 1;
	return 0;
}

static int
pol_stmt_applies(struct pol_ev *ev, const struct pol_stmt *st)
{
	int act = (st->act_bloom & ev->act_bit) != 0 &&
	    pol_pats_match(st->act, st->nact, ev->act, ev->act_len, ev->act_h8,
	    ev->act_fold);

	if (act == st->not_action)
		return 0;
	if (st->res != NULL &&
	    pol_pats_match(st->res, st->nres, ev->res, ev->res_len, ev->res_h8,
	    0) == st->not_resource)
		return 0;
	return pol_conds_hold(ev, st);
}

/* The whole result, so that two evaluations compare equal byte for byte. */
static void
pol_result_reset(struct pol_result *res)
{
	memset(res, 0, sizeof(*res));
	res->decision = POL_IMPLICIT_DENY;
}

/* Records statement (i, j); 1 when it is a deny (evaluation stops). */
static int
pol_record(struct pol_result *res, const struct pol_stmt *st, size_t i,
    size_t j)
{
	if (st->effect == POL_EFFECT_DENY) {
		res->decision = POL_EXPLICIT_DENY;
		res->deny.pol = (uint32_t)i;
		res->deny.stmt = (uint32_t)j;
		res->nallow = 0;
		return 1;
	}
	if (res->nallow < POL_MATCH_MAX) {
		res->allow[res->nallow].pol = (uint32_t)i;
		res->allow[res->nallow].stmt = (uint32_t)j;
	}
	res->nallow++;
	res->decision = POL_ALLOW;
	return 0;
}

int
pol_eval(const struct pol *const *pols, size_t n, const struct pol_ctx *ctx,
    struct pol_result *res)
{
	struct pol_ev ev;

	pol_result_reset(res);
	if (ctx == NULL || ctx->action == NULL)
		return -ERR_INVALID_PARAMETER;
	pol_ev_init(&ev, ctx);
	for (size_t i = 0; i < n; i++) {
		const struct pol *p = pols[i];
		const uint64_t *scan, bit = ev.act_bit;
		uint32_t nstmt;

		if (p == NULL)
			continue;
		if (p->kind != POL_IDENTITY) {
			pol_result_reset(res);
			return -ERR_INVALID_PARAMETER;
		}
		/* Locals: res and the policy may alias as far as C knows. */
		scan = p->scan;
		nstmt = p->nstmt;
		for (uint32_t j = 0; j < nstmt; j++)
			if ((scan[j] & bit) != 0 &&
			    pol_stmt_applies(&ev, &p->stmt[j]) &&
			    pol_record(res, &p->stmt[j], i, j))
				return 0;
	}
	return 0;
}

/* Trust policies. */

static int
pol_is(const struct pol_str *v, const char *s)
{
	return s != NULL && strlen(s) == v->len && memcmp(v->s, s, v->len) == 0;
}

static int
pol_ram_match(const struct pol_str *v, const struct pol_principal *who)
{
	const char *acct = who->account, *p, *colon;
	size_t alen;

	if (v->len == 1 && v->s[0] == '*')
		return 1;
	if (pol_is(v, acct))
		return 1;
	if (who->arn != NULL && strlen(who->arn) == v->len &&
	    pol_ieq(v->s, who->arn, v->len))
		return 1;
	/* "acs:ram::<acct>:root" (validated at parse: "acs:ram::" prefix). */
	if (acct == NULL || v->len < 9 || memcmp(v->s, "acs:ram::", 9) != 0)
		return 0;
	p = v->s + 9;
	colon = strchr(p, ':');
	alen = strlen(acct);
	return colon != NULL && (size_t)(colon - p) == alen &&
	    memcmp(p, acct, alen) == 0 && strcmp(colon + 1, "root") == 0;
}

static int
pol_principal_match(const struct pol_stmt *st, const struct pol_principal *who)
{
	if (who->kind == POL_PRINCIPAL_SERVICE) {
		for (uint32_t i = 0; i < st->nsvc; i++) {
			const struct pol_str *v = &st->svc[i];

			if ((v->len == 1 && v->s[0] == '*') ||
			    (who->service != NULL &&
			    strlen(who->service) == v->len &&
			    pol_ieq(v->s, who->service, v->len)))
				return 1;
		}
		return 0;
	}
	for (uint32_t i = 0; i < st->nram; i++)
		if (pol_ram_match(&st->ram[i], who))
			return 1;
	return 0;
}

int
pol_trust_eval(const struct pol *trust, const struct pol_principal *who,
    const struct pol_ctx *ctx, struct pol_result *res)
{
	struct pol_ev ev;

	pol_result_reset(res);
	if (trust == NULL || trust->kind != POL_TRUST || who == NULL ||
	    ctx == NULL || ctx->action == NULL)
		return -ERR_INVALID_PARAMETER;
	pol_ev_init(&ev, ctx);
	for (uint32_t j = 0; j < trust->nstmt; j++) {
		const struct pol_stmt *st = &trust->stmt[j];

		if (pol_principal_match(st, who) && pol_stmt_applies(&ev, st) &&
		    pol_record(res, st, 0, j))
			return 0;
	}
	return 0;
}

int
pol_trust_allows(const struct pol *trust, const struct pol_principal *who,
    const struct pol_ctx *ctx)
{
	struct pol_result res;

	return pol_trust_eval(trust, who, ctx, &res) == 0 &&
	    res.decision == POL_ALLOW;
}

enum pol_decision
pol_both(enum pol_decision a, enum pol_decision b)
{
	if (a == POL_EXPLICIT_DENY || b == POL_EXPLICIT_DENY)
		return POL_EXPLICIT_DENY;
	return a == POL_ALLOW && b == POL_ALLOW ? POL_ALLOW : POL_IMPLICIT_DENY;
}

const char *
pol_decision_str(enum pol_decision d)
{
	switch (d) {
	case POL_ALLOW:
		return "allowed";
	case POL_EXPLICIT_DENY:
		return "explicitDeny";
	default:
		return "implicitDeny";
	}
}
