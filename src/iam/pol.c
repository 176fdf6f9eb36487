/*
 * pol: policy documents in, compiled policies out (the parser and
 * validator; evaluation is pol_eval.c). The JSON is read with jansson,
 * checked against the grammar in pol.h, and copied into the policy's arena
 * in the shape the evaluator wants (patterns classified, action patterns
 * lower-cased, condition values decoded); the JSON tree is then dropped.
 *
 * Decisions where Alibaba documents nothing (for docs/compat.md):
 *   - Element names ("Version", "Effect", ...), Effect values and
 *     operator names are exact-case; unknown members, duplicate members
 *     (JSON_REJECT_DUPLICATES) and empty lists are refused. "Sid" is
 *     accepted and kept (identity.md §10.1 says tolerate it).
 *   - Version is required and must be the string "1".
 *   - Action: "*" or "<service>:<name>", no white space, one ':'.
 *     Resource: "*" or "acs:<service>:<region>:<account>:<relative-id>"
 *     with a non-empty service and relative id (region and account may be
 *     empty, as in acs:ram::<acct>:role/x); AWS refuses partial ARNs too.
 *   - Identity policies need Resource or NotResource and refuse Principal;
 *     trust policies need Principal and refuse Resource/NotResource.
 *   - Condition values may be JSON strings, integers or booleans (read as
 *     their text); they are checked against the operator: numbers
 *     "-?D+(.D+)?", dates ISO 8601 (pol_int.h) or Unix seconds,
 *     "true"/"false" any case, IPs/CIDRs strict (lib/cidr.h).
 *   - Operators that cannot apply to a known global key are refused
 *     (IpAddress on acs:SourceVpc, Bool on acs:SourceIp, ...); string
 *     operators apply to every key (the key's text form).
 *   - Detail messages number statements from 1.
 */
#include "iam/pol.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "iam/pol_int.h"
#include "lib/err.h"
#include "lib/utf8.h"

const struct pol_op_def pol_op_defs[POL_OP__COUNT] = {
#define POL_OP_DEF(e, name, vt, test, neg) { name, vt, test, neg },
	POL_OPS(POL_OP_DEF)
#undef POL_OP_DEF
};

struct pol_pc {
	struct pol *p;
	char *detail;
	size_t dlen;
	size_t stmt;		/* 1-based statement number, 0 = top level */
};

/*
 * Keeps a reason valid UTF-8 (it goes into a JSON error message): a cut
 * "%.64s" or a truncated buffer can split a character; such bytes become
 * '?'.
 */
static void
pol_clean(char *s)
{
	size_t n = strlen(s), i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t k = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 :
		    c >= 0xc0 ? 2 : 0;

		if (k == 1 || (k > 1 && i + k <= n && utf8_valid(s + i, k)))
			i += k;
		else
			s[i++] = '?';
	}
}

/* Records a reason and returns -ERR_RAM_MALFORMED_POLICY. */
__attribute__((format(printf, 2, 3)))
static int
pol_bad(struct pol_pc *pc, const char *fmt, ...)
{
	va_list ap;
	int n = 0;

	if (pc->dlen == 0)
		return -ERR_RAM_MALFORMED_POLICY;
	if (pc->stmt > 0)
		n = snprintf(pc->detail, pc->dlen, "Statement %zu: ", pc->stmt);
	if (n < 0 || (size_t)n >= pc->dlen)
		n = 0;
	va_start(ap, fmt);
	vsnprintf(pc->detail + n, pc->dlen - (size_t)n, fmt, ap);
	va_end(ap);
	pol_clean(pc->detail);
	return -ERR_RAM_MALFORMED_POLICY;
}

/* Strings in messages are cut so that one bad value cannot flood them. */
#define POL_Q "\"%.64s\""

/*
 * A list element as text: strings as they are, integers and booleans
 * (condition values only) in their JSON spelling. 0, or -1 for any other
 * type.
 */
static int
pol_text(json_t *v, int scalars, char *buf, size_t blen, const char **s,
    size_t *n)
{
	if (json_is_string(v)) {
		*s = json_string_value(v);
		*n = json_string_length(v);
		return 0;
	}
	if (!scalars)
		return -1;
	if (json_is_integer(v))
		snprintf(buf, blen, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, blen, "%s", json_is_true(v) ? "true" : "false");
	else
		return -1;
	*s = buf;
	*n = strlen(buf);
	return 0;
}

/* Size of a string-or-array element; 0 if it is neither or empty. */
static size_t
pol_list_size(json_t *v)
{
	if (json_is_array(v))
		return json_array_size(v);
	return json_is_string(v) || json_is_integer(v) || json_is_boolean(v);
}

static json_t *
pol_list_at(json_t *v, size_t i)
{
	return json_is_array(v) ? json_array_get(v, i) : v;
}

static int
pol_has_space(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 1;
	return 0;
}

static int
pol_has_ctl(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			return 1;
	return 0;
}

/* Action element. */

static int
pol_action_ok(const char *s, size_t n)
{
	const char *colon = memchr(s, ':', n);

	if (n == 1 && s[0] == '*')
		return 1;
	if (colon == NULL || colon == s || colon == s + n - 1 ||
	    memchr(colon + 1, ':', (size_t)(s + n - colon - 1)) != NULL)
		return 0;
	return !pol_has_space(s, n);
}

/* Resource element: "*" or acs:<svc>:<region>:<acct>:<relative-id>. */
static int
pol_resource_ok(const char *s, size_t n)
{
	size_t colons = 0, i, svc_end = 0, last = 0;

	if (n == 1 && s[0] == '*')
		return 1;
	if (n < 4 || memcmp(s, "acs:", 4) != 0 || pol_has_ctl(s, n))
		return 0;
	for (i = 4; i < n && colons < 3; i++) {
		if (s[i] != ':')
			continue;
		if (++colons == 1)
			svc_end = i;
		last = i;
	}
	return colons == 3 && svc_end > 4 && last + 1 < n;
}

/* Action / NotAction / Resource / NotResource into a pattern array. */
static int
pol_patterns(struct pol_pc *pc, json_t *v, const char *elem, int action,
    struct pol_pat **out, uint32_t *count)
{
	size_t n = pol_list_size(v);
	struct pol_pat *pt;

	if (n == 0 || !(json_is_array(v) || json_is_string(v)))
		return pol_bad(pc, "%s must be a string or a non-empty array of strings.",
		    elem);
	pt = pol_alloc(pc->p, n * sizeof(*pt));
	if (pt == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		json_t *e = pol_list_at(v, i);
		const char *s;
		size_t len;
		char *d;

		if (!json_is_string(e))
			return pol_bad(pc, "%s must be a string or a non-empty array of strings.",
			    elem);
		s = json_string_value(e);
		len = json_string_length(e);
		if (action && !pol_action_ok(s, len))
			return pol_bad(pc, "%s " POL_Q " is not \"*\" or \"<service>:<action>\".",
			    elem, s);
		if (!action && !pol_resource_ok(s, len))
			return pol_bad(pc, "%s " POL_Q " is not \"*\" or an ARN \"acs:<service>:<region>:<account>:<resource>\".",
			    elem, s);
		d = pol_strdup(pc->p, s, len);
		if (d == NULL)
			return -ERR_NOMEM;
		if (action)
			for (size_t k = 0; k < len; k++)
				if (d[k] >= 'A' && d[k] <= 'Z')
					d[k] = (char)(d[k] + 32);
		pol_pat_init(&pt[i], d, len);
	}
	*out = pt;
	*count = (uint32_t)n;
	return 0;
}

/* Principal element (trust policies). */

static int
pol_digits_only(const char *s, size_t n)
{
	if (n == 0 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
pol_principal_ok(int which, const char *s, size_t n)
{
	const char *p, *colon;

	if (n == 0 || pol_has_space(s, n))
		return 0;
	if (which == 1)		/* Service */
		return memchr(s, '.', n) != NULL || (n == 1 && s[0] == '*');
	if (which == 0 && ((n == 1 && s[0] == '*') || pol_digits_only(s, n)))
		return 1;
	if (n < 10 || memcmp(s, "acs:ram::", 9) != 0)
		return 0;
	p = s + 9;
	colon = memchr(p, ':', (size_t)(s + n - p));
	if (colon == NULL || colon + 1 == s + n)
		return 0;
	return which == 2 || pol_digits_only(p, (size_t)(colon - p));
}

static int
pol_principal(struct pol_pc *pc, struct pol_stmt *st, json_t *v)
{
	static const char *const names[] = { "RAM", "Service", "Federated" };
	const char *key;
	json_t *val;

	if (!json_is_object(v) || json_object_size(v) == 0)
		return pol_bad(pc, "Principal must be an object with RAM, Service or Federated.");
	json_object_foreach(v, key, val) {
		size_t n = pol_list_size(val);
		struct pol_str *out;
		int w;

		for (w = 0; w < 3 && strcmp(key, names[w]) != 0; w++)
			;
		if (w == 3)
			return pol_bad(pc, "Unknown principal type " POL_Q ".", key);
		if (n == 0 || !(json_is_array(val) || json_is_string(val)))
			return pol_bad(pc, "Principal %s must be a string or a non-empty array of strings.",
			    names[w]);
		out = pol_alloc(pc->p, n * sizeof(*out));
		if (out == NULL)
			return -ERR_NOMEM;
		for (size_t i = 0; i < n; i++) {
			json_t *e = pol_list_at(val, i);
			const char *s = json_string_value(e);
			size_t len = json_string_length(e);

			if (!json_is_string(e))
				return pol_bad(pc, "Principal %s must be a string or a non-empty array of strings.",
				    names[w]);
			if (!pol_principal_ok(w, s, len))
				return pol_bad(pc, "Principal %s " POL_Q " is not valid.",
				    names[w], s);
			out[i].s = pol_strdup(pc->p, s, len);
			if (out[i].s == NULL)
				return -ERR_NOMEM;
			out[i].len = (uint32_t)len;
		}
		if (w == 0) {
			st->ram = out;
			st->nram = (uint32_t)n;
		} else if (w == 1) {
			st->svc = out;
			st->nsvc = (uint32_t)n;
		} else {
			st->fed = out;
			st->nfed = (uint32_t)n;
		}
	}
	return 0;
}

/* Condition element. */

static int
pol_prefix_ic(const char *s, size_t n, const char *pfx)
{
	size_t k = strlen(pfx);

	return n > k && pol_ieq(s, pfx, k);
}

static int
pol_is_key(const char *s, size_t n, const char *name)
{
	return n == strlen(name) && pol_ieq(s, name, n);
}

/* Classifies a condition key; -1 if it is not "<service>:<name>". */
static int
pol_key(const char *s, size_t n, size_t *arg_off)
{
	const char *colon = memchr(s, ':', n);

	*arg_off = 0;
	if (colon == NULL || colon == s || colon + 1 == s + n ||
	    pol_has_ctl(s, n) || pol_has_space(s, (size_t)(colon - s)))
		return -1;
	if (pol_is_key(s, n, "acs:SourceIp"))
		return POL_K_SOURCE_IP;
	if (pol_is_key(s, n, "acs:CurrentTime"))
		return POL_K_CURRENT_TIME;
	if (pol_is_key(s, n, "acs:SecureTransport"))
		return POL_K_SECURE_TRANSPORT;
	if (pol_is_key(s, n, "acs:MFAPresent"))
		return POL_K_MFA_PRESENT;
	if (pol_is_key(s, n, "acs:SourceVpc"))
		return POL_K_SOURCE_VPC;
	if (pol_prefix_ic(s, n, "acs:ResourceTag/")) {
		*arg_off = strlen("acs:ResourceTag/");
		return POL_K_RESOURCE_TAG;
	}
	if (pol_prefix_ic(s, n, "ecs:tag/")) {
		*arg_off = strlen("ecs:tag/");
		return POL_K_RESOURCE_TAG;
	}
	if (pol_prefix_ic(s, n, "acs:RequestTag/")) {
		*arg_off = strlen("acs:RequestTag/");
		return POL_K_REQUEST_TAG;
	}
	return POL_K_OTHER;
}

/* Which value types an operator may compare for a key. */
static int
pol_key_accepts(int key, int vtype)
{
	if (vtype == POL_V_STR)
		return 1;
	switch (key) {
	case POL_K_SOURCE_IP:
		return vtype == POL_V_IP;
	case POL_K_CURRENT_TIME:
		return vtype == POL_V_DATE;
	case POL_K_SECURE_TRANSPORT:
	case POL_K_MFA_PRESENT:
		return vtype == POL_V_BOOL;
	case POL_K_SOURCE_VPC:
		return 0;
	default:
		return 1;
	}
}

static int
pol_value(struct pol_pc *pc, const struct pol_op_def *op, const char *key,
    const char *s, size_t n, struct pol_val *v)
{
	v->s = pol_strdup(pc->p, s, n);
	if (v->s == NULL)
		return -ERR_NOMEM;
	v->len = (uint32_t)n;
	switch (op->vtype) {
	case POL_V_STR:
		if (op->test == POL_T_LIKE)
			pol_pat_init(&v->pat, v->s, n);
		return 0;
	case POL_V_NUM:
		if (pol_num_parse(s, n, &v->u.num) == 0)
			return 0;
		return pol_bad(pc, "%s %s: " POL_Q " is not a number.",
		    op->name, key, s);
	case POL_V_DATE:
		if (pol_date_parse(s, n, &v->u.ms) == 0)
			return 0;
		return pol_bad(pc, "%s %s: " POL_Q " is not an ISO 8601 date.",
		    op->name, key, s);
	case POL_V_BOOL:
		if (pol_bool_parse(s, n, &v->u.b) == 0)
			return 0;
		return pol_bad(pc, "%s %s: " POL_Q " is not \"true\" or \"false\".",
		    op->name, key, s);
	default:
		if (strlen(v->s) == n && cidr_parse_any(v->s, &v->u.ip) == 0)
			return 0;
		return pol_bad(pc, "%s %s: " POL_Q " is not an IP address or CIDR block.",
		    op->name, key, s);
	}
}

static int
pol_cond_one(struct pol_pc *pc, int opi, const char *key, json_t *vals,
    struct pol_cond *c)
{
	const struct pol_op_def *op = &pol_op_defs[opi];
	size_t klen = strlen(key), off, n = pol_list_size(vals);
	int k = pol_key(key, klen, &off), r;

	if (k < 0)
		return pol_bad(pc, "Condition key " POL_Q " is not \"<service>:<key>\".",
		    key);
	if (!pol_key_accepts(k, op->vtype))
		return pol_bad(pc, "Condition operator %s cannot be used with key %s.",
		    op->name, key);
	if (n == 0)
		return pol_bad(pc, "%s %s: values must be a string or a non-empty array of strings.",
		    op->name, key);
	c->op = (uint8_t)opi;
	c->key = (uint8_t)k;
	c->arg = pol_strdup(pc->p, key + off, klen - off);
	c->arg_len = (uint32_t)(klen - off);
	c->val = pol_alloc(pc->p, n * sizeof(*c->val));
	if (c->arg == NULL || c->val == NULL)
		return -ERR_NOMEM;
	c->nval = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		char buf[32];
		const char *s;
		size_t len;

		if (pol_text(pol_list_at(vals, i), 1, buf, sizeof(buf), &s,
		    &len) < 0)
			return pol_bad(pc, "%s %s: values must be a string or a non-empty array of strings.",
			    op->name, key);
		if ((r = pol_value(pc, op, key, s, len, &c->val[i])) < 0)
			return r;
	}
	return 0;
}

static int
pol_condition(struct pol_pc *pc, struct pol_stmt *st, json_t *v)
{
	const char *opname, *key;
	json_t *block, *vals;
	size_t total = 0, i = 0;
	int r;

	if (!json_is_object(v))
		return pol_bad(pc, "Condition must be an object of operators.");
	json_object_foreach(v, opname, block) {
		if (!json_is_object(block) || json_object_size(block) == 0)
			return pol_bad(pc, "Condition operator " POL_Q " must map at least one key to values.",
			    opname);
		total += json_object_size(block);
	}
	if (total == 0)
		return 0;
	st->cond = pol_alloc(pc->p, total * sizeof(*st->cond));
	if (st->cond == NULL)
		return -ERR_NOMEM;
	json_object_foreach(v, opname, block) {
		int opi;

		for (opi = 0; opi < POL_OP__COUNT; opi++)
			if (strcmp(opname, pol_op_defs[opi].name) == 0)
				break;
		if (opi == POL_OP__COUNT)
			return pol_bad(pc, "Unknown condition operator " POL_Q ".",
			    opname);
		json_object_foreach(block, key, vals)
			if ((r = pol_cond_one(pc, opi, key, vals,
			    &st->cond[i++])) < 0)
				return r;
	}
	st->ncond = (uint32_t)total;
	return 0;
}

/* Statement. */

static int
pol_statement(struct pol_pc *pc, struct pol_stmt *st, json_t *obj)
{
	json_t *act = NULL, *nact = NULL, *res = NULL, *nres = NULL;
	json_t *eff = NULL, *cond = NULL, *prin = NULL, *v;
	const char *key;
	int r, trust = pc->p->kind == POL_TRUST;

	if (!json_is_object(obj))
		return pol_bad(pc, "A statement must be an object.");
	json_object_foreach(obj, key, v) {
		if (strcmp(key, "Effect") == 0)
			eff = v;
		else if (strcmp(key, "Action") == 0)
			act = v;
		else if (strcmp(key, "NotAction") == 0)
			nact = v;
		else if (strcmp(key, "Resource") == 0)
			res = v;
		else if (strcmp(key, "NotResource") == 0)
			nres = v;
		else if (strcmp(key, "Condition") == 0)
			cond = v;
		else if (strcmp(key, "Principal") == 0)
			prin = v;
		else if (strcmp(key, "Sid") == 0) {
			if (!json_is_string(v))
				return pol_bad(pc, "Sid must be a string.");
			st->sid = pol_strdup(pc->p, json_string_value(v),
			    json_string_length(v));
			if (st->sid == NULL)
				return -ERR_NOMEM;
		} else
			return pol_bad(pc, "Unknown element " POL_Q " in the policy statement.",
			    key);
	}
	if (eff == NULL)
		return pol_bad(pc, "Add an Effect element to the policy statement.");
	if (json_is_string(eff) && strcmp(json_string_value(eff), "Allow") == 0)
		st->effect = POL_EFFECT_ALLOW;
	else if (json_is_string(eff) && strcmp(json_string_value(eff), "Deny") == 0)
		st->effect = POL_EFFECT_DENY;
	else
		return pol_bad(pc, "Effect must be \"Allow\" or \"Deny\".");
	if (act != NULL && nact != NULL)
		return pol_bad(pc, "A policy statement cannot have both Action and NotAction.");
	if (act == NULL && nact == NULL)
		return pol_bad(pc, "Add an Action or NotAction element to the policy statement.");
	if (res != NULL && nres != NULL)
		return pol_bad(pc, "A policy statement cannot have both Resource and NotResource.");
	if (trust && (res != NULL || nres != NULL))
		return pol_bad(pc, "A trust policy statement cannot have a %s element.",
		    res != NULL ? "Resource" : "NotResource");
	if (!trust && res == NULL && nres == NULL)
		return pol_bad(pc, "Add a Resource or NotResource element to the policy statement.");
	if (trust && prin == NULL)
		return pol_bad(pc, "Add a Principal element to the trust policy statement.");
	if (!trust && prin != NULL)
		return pol_bad(pc, "Principal is only allowed in a trust policy.");
	st->not_action = nact != NULL;
	r = pol_patterns(pc, act ? act : nact, act ? "Action" : "NotAction", 1,
	    &st->act, &st->nact);
	for (uint32_t i = 0; r == 0 && i < st->nact; i++)
		st->act_bloom |= pol_act_bits(st->act[i].s, st->act[i].len, 1);
	if (r == 0 && !trust) {
		st->not_resource = nres != NULL;
		r = pol_patterns(pc, res ? res : nres,
		    res ? "Resource" : "NotResource", 0, &st->res, &st->nres);
	}
	if (r == 0 && prin != NULL)
		r = pol_principal(pc, st, prin);
	if (r == 0 && cond != NULL)
		r = pol_condition(pc, st, cond);
	return r;
}

/* Document. */

static int
pol_document(struct pol_pc *pc, json_t *doc)
{
	json_t *ver = NULL, *stmts = NULL, *v;
	const char *key;
	size_t n;
	int r;

	if (!json_is_object(doc))
		return pol_bad(pc, "The policy document must be a JSON object.");
	json_object_foreach(doc, key, v) {
		if (strcmp(key, "Version") == 0)
			ver = v;
		else if (strcmp(key, "Statement") == 0)
			stmts = v;
		else
			return pol_bad(pc, "Unknown element " POL_Q " in the policy.",
			    key);
	}
	if (ver == NULL)
		return pol_bad(pc, "Add a Version element to the policy.");
	if (!json_is_string(ver) || strcmp(json_string_value(ver), "1") != 0 ||
	    json_string_length(ver) != 1)
		return pol_bad(pc, "Version must be \"1\".");
	if (stmts == NULL)
		return pol_bad(pc, "Add a Statement element to the policy.");
	if (!json_is_array(stmts) && !json_is_object(stmts))
		return pol_bad(pc, "Statement must be an object or an array of objects.");
	n = json_is_array(stmts) ? json_array_size(stmts) : 1;
	if (n == 0)
		return pol_bad(pc, "Statement must not be empty.");
	pc->p->stmt = pol_alloc(pc->p, n * sizeof(*pc->p->stmt));
	pc->p->scan = pol_alloc(pc->p, n * sizeof(*pc->p->scan));
	if (pc->p->stmt == NULL || pc->p->scan == NULL)
		return -ERR_NOMEM;
	pc->p->nstmt = (uint32_t)n;
	for (size_t i = 0; i < n; i++) {
		pc->stmt = i + 1;
		r = pol_statement(pc, &pc->p->stmt[i], pol_list_at(stmts, i));
		if (r < 0)
			return r;
		pc->p->scan[i] = pc->p->stmt[i].not_action ? UINT64_MAX :
		    pc->p->stmt[i].act_bloom;
	}
	pc->stmt = 0;
	return 0;
}

int
pol_parse(const char *text, size_t len, enum pol_kind kind, size_t max_chars,
    struct pol **out, char *detail, size_t dlen)
{
	struct pol_pc pc = { NULL, detail, dlen, 0 };
	json_error_t jerr;
	json_t *doc = NULL;
	size_t chars = 0;
	int r;

	*out = NULL;
	if (dlen > 0)
		detail[0] = '\0';
	if (len == 0 || text == NULL) {
		if (dlen > 0)
			snprintf(detail, dlen, "The policy document is empty.");
		return -ERR_RAM_POLICY_DOC_LENGTH;
	}
	if (!utf8_valid(text, len))
		return pol_bad(&pc, "The policy document is not valid UTF-8.");
	for (size_t i = 0; i < len; i++)
		chars += ((unsigned char)text[i] & 0xc0) != 0x80;
	if (chars > max_chars) {
		if (dlen > 0)
			snprintf(detail, dlen, "The policy document has %zu characters, more than %zu.",
			    chars, max_chars);
		return -ERR_RAM_POLICY_DOC_LENGTH;
	}
	doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		if (json_error_code(&jerr) == json_error_out_of_memory)
			return -ERR_NOMEM;
		return pol_bad(&pc, "The policy document is not valid JSON: %s (line %d, column %d).",
		    jerr.text, jerr.line, jerr.column);
	}
	pc.p = calloc(1, sizeof(*pc.p));
	if (pc.p == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	pc.p->kind = kind;
	if ((r = pol_document(&pc, doc)) < 0)
		goto out;
	*out = pc.p;
	pc.p = NULL;
out:
	pol_free(pc.p);
	json_decref(doc);
	return r;
}

void
pol_free(struct pol *p)
{
	if (p == NULL)
		return;
	pol_arena_free(p);
	free(p);
}

enum pol_kind
pol_kind_of(const struct pol *p)
{
	return p->kind;
}

size_t
pol_stmt_count(const struct pol *p)
{
	return p->nstmt;
}

const char *
pol_stmt_sid(const struct pol *p, size_t i)
{
	return i < p->nstmt ? p->stmt[i].sid : NULL;
}
