/*
 * pol_int: the compiled form of a policy, shared by the parser (pol.c), the
 * evaluator (pol_eval.c) and the value helpers (pol_val.c). Everything a
 * compiled policy points to lives in its arena and is immutable after
 * pol_parse(); evaluation only reads.
 *
 * Invariants the evaluator relies on:
 *   - action patterns are stored lower-case (matching folds the request);
 *   - every condition value was checked against its operator's type at
 *     parse time (numbers, dates, booleans, IPs already decoded);
 *   - counts are >= 1 wherever the grammar requires a non-empty list.
 */
#ifndef SEKISHO_POL_INT_H
#define SEKISHO_POL_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "iam/pol.h"
#include "lib/cidr.h"

/*
 * Patterns, classified once so that matching rarely runs the general glob:
 * the literal head (before the first wildcard) and tail (after the last
 * '*', when it holds no '?') are compared with memcmp, and a middle made
 * of '*'-separated literals is matched with memmem, left to right.
 */
enum pol_pat_kind {
	POL_PAT_ANY = 0,	/* "*" */
	POL_PAT_EXACT,		/* no wildcard */
	POL_PAT_PREFIX,		/* "abc*": one trailing star, nothing else */
	POL_PAT_GLOB,		/* anything else */
};

struct pol_pat {
	uint64_t head;		/* the first min(pre, 8) bytes, zero-padded */
	uint64_t hmask;		/* which bytes of head count (0: none) */
	const char *s;		/* the whole pattern, NUL-terminated */
	uint32_t len;		/* its length */
	uint32_t pre;		/* literal bytes before the first wildcard */
	uint32_t suf;		/* GLOB: literal bytes after the last '*' */
	uint8_t kind;		/* enum pol_pat_kind */
	uint8_t quest;		/* GLOB: the middle holds a '?' */
};

/* Condition value types (what an operator compares). */
enum pol_vtype {
	POL_V_STR = 0,
	POL_V_NUM,
	POL_V_DATE,
	POL_V_BOOL,
	POL_V_IP,
};

/* Comparisons. */
enum pol_test {
	POL_T_EQ = 0,	/* StringEquals, NumericEquals, DateEquals, Bool */
	POL_T_EQ_IC,	/* StringEqualsIgnoreCase */
	POL_T_LIKE,	/* StringLike */
	POL_T_LT,
	POL_T_LE,
	POL_T_GT,
	POL_T_GE,
	POL_T_IN,	/* IpAddress */
};

/* The condition operators: enum name, JSON name, value type, test, negated. */
#define POL_OPS(X) \
	X(STRING_EQUALS, "StringEquals", POL_V_STR, POL_T_EQ, 0) \
	X(STRING_NOT_EQUALS, "StringNotEquals", POL_V_STR, POL_T_EQ, 1) \
	X(STRING_EQUALS_IC, "StringEqualsIgnoreCase", POL_V_STR, POL_T_EQ_IC, 0) \
	X(STRING_NOT_EQUALS_IC, "StringNotEqualsIgnoreCase", POL_V_STR, POL_T_EQ_IC, 1) \
	X(STRING_LIKE, "StringLike", POL_V_STR, POL_T_LIKE, 0) \
	X(STRING_NOT_LIKE, "StringNotLike", POL_V_STR, POL_T_LIKE, 1) \
	X(NUMERIC_EQUALS, "NumericEquals", POL_V_NUM, POL_T_EQ, 0) \
	X(NUMERIC_NOT_EQUALS, "NumericNotEquals", POL_V_NUM, POL_T_EQ, 1) \
	X(NUMERIC_LT, "NumericLessThan", POL_V_NUM, POL_T_LT, 0) \
	X(NUMERIC_LE, "NumericLessThanEquals", POL_V_NUM, POL_T_LE, 0) \
	X(NUMERIC_GT, "NumericGreaterThan", POL_V_NUM, POL_T_GT, 0) \
	X(NUMERIC_GE, "NumericGreaterThanEquals", POL_V_NUM, POL_T_GE, 0) \
	X(DATE_EQUALS, "DateEquals", POL_V_DATE, POL_T_EQ, 0) \
	X(DATE_NOT_EQUALS, "DateNotEquals", POL_V_DATE, POL_T_EQ, 1) \
	X(DATE_LT, "DateLessThan", POL_V_DATE, POL_T_LT, 0) \
	X(DATE_LE, "DateLessThanEquals", POL_V_DATE, POL_T_LE, 0) \
	X(DATE_GT, "DateGreaterThan", POL_V_DATE, POL_T_GT, 0) \
	X(DATE_GE, "DateGreaterThanEquals", POL_V_DATE, POL_T_GE, 0) \
	X(BOOL, "Bool", POL_V_BOOL, POL_T_EQ, 0) \
	X(IP_ADDRESS, "IpAddress", POL_V_IP, POL_T_IN, 0) \
	X(NOT_IP_ADDRESS, "NotIpAddress", POL_V_IP, POL_T_IN, 1)

enum pol_op {
#define POL_OP_ENUM(e, name, vt, test, neg) POL_OP_##e,
	POL_OPS(POL_OP_ENUM)
#undef POL_OP_ENUM
	POL_OP__COUNT
};

struct pol_op_def {
	const char *name;
	uint8_t vtype;		/* enum pol_vtype */
	uint8_t test;		/* enum pol_test */
	uint8_t negated;
};

extern const struct pol_op_def pol_op_defs[POL_OP__COUNT];

/*
 * Condition keys the context provides. Prefixes are matched
 * case-insensitively at parse time; the tag key after the '/' is kept as
 * written (tag keys are case-sensitive).
 */
enum pol_key {
	POL_K_SOURCE_IP = 0,	/* acs:SourceIp */
	POL_K_CURRENT_TIME,	/* acs:CurrentTime */
	POL_K_SECURE_TRANSPORT,	/* acs:SecureTransport */
	POL_K_MFA_PRESENT,	/* acs:MFAPresent */
	POL_K_SOURCE_VPC,	/* acs:SourceVpc */
	POL_K_RESOURCE_TAG,	/* acs:ResourceTag/<k>, ecs:tag/<k> */
	POL_K_REQUEST_TAG,	/* acs:RequestTag/<k> */
	POL_K_OTHER,		/* looked up in pol_ctx.extra */
};

struct pol_val {
	const char *s;		/* as written (NUL-terminated) */
	uint32_t len;
	struct pol_pat pat;	/* StringLike: the value as a pattern */
	union {
		double num;
		int64_t ms;	/* dates: Unix milliseconds */
		int b;
		struct cidr ip;
	} u;
};

struct pol_cond {
	uint8_t op;		/* enum pol_op */
	uint8_t key;		/* enum pol_key */
	const char *arg;	/* tag key, or the whole key for POL_K_OTHER */
	uint32_t arg_len;
	uint32_t nval;
	struct pol_val *val;
};

struct pol_str {
	const char *s;
	uint32_t len;
};

enum pol_effect {
	POL_EFFECT_ALLOW = 0,
	POL_EFFECT_DENY,
};

struct pol_stmt {
	uint64_t act_bloom;	/* pol_act_bits() of every action pattern */
	uint8_t effect;		/* enum pol_effect */
	uint8_t not_action;
	uint8_t not_resource;
	uint32_t nact, nres, ncond;
	struct pol_pat *act;
	struct pol_pat *res;	/* identity policies only */
	struct pol_cond *cond;
	/* Trust policies only. */
	uint32_t nram, nsvc, nfed;
	struct pol_str *ram, *svc, *fed;
	const char *sid;
};

struct pol_blk;

struct pol {
	enum pol_kind kind;
	uint32_t nstmt;
	struct pol_stmt *stmt;
	/* Per statement, contiguous so that the evaluator's first pass stays
	 * in cache: act_bloom, or all bits for NotAction statements (which
	 * apply exactly when no pattern matches). */
	uint64_t *scan;
	struct pol_blk *blk;	/* arena: every pointer above lives here */
};

/* Arena (pol_val.c): zeroed, max-aligned memory freed with the policy. */
void *pol_alloc(struct pol *p, size_t n);
char *pol_strdup(struct pol *p, const char *s, size_t n);
void pol_arena_free(struct pol *p);

/* Classifies pattern s (NUL-terminated, length n; kept) and fills *pt. */
void pol_pat_init(struct pol_pat *pt, const char *s, size_t n);
/*
 * Matches subject str[0..n) against pt: '*' any run (empty too), '?' one
 * UTF-8 character. fold: compare ASCII case-insensitively (the pattern
 * must then be lower-case already); the evaluator lower-cases actions
 * once instead, so fold is its slow path.
 */
int pol_pat_match(const struct pol_pat *pt, const char *str, size_t n,
    int fold);

/*
 * Statement pre-filter, a 64-bit Bloom filter of the action patterns:
 * "<service>:<first letter of the name>" sets one bit, "<service>:*..."
 * (the name starts with a wildcard) the bit of "<service>:*", and a
 * wildcard in the service all bits. A request "svc:Name" (lower-cased)
 * looks for the bits of "svc:n" and "svc:*"; a statement with neither has
 * no action pattern that can match.
 */
static inline uint64_t
pol_act_bit1(uint32_t h, unsigned char c)
{
	h = (h ^ c) * 16777619u;
	return (uint64_t)1 << (h >> 26);
}

/* pat: 1 for a pattern (the bit it sets), 0 for a request (the bits to
 * look for). */
static inline uint64_t
pol_act_bits(const char *s, size_t n, int pat)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (pat && (c == '*' || c == '?'))
			return UINT64_MAX;
		h = (h ^ c) * 16777619u;
		if (c != ':')
			continue;
		c = i + 1 < n ? (unsigned char)s[i + 1] : 0;
		if (pat)
			return pol_act_bit1(h, c == '?' ? '*' : c);
		return pol_act_bit1(h, c) | pol_act_bit1(h, '*');
	}
	/* No ':': patterns always have one; a request can match only
	 * patterns with a wildcard service (all bits). */
	return pat ? UINT64_MAX : 1;
}

/* The first 8 bytes of s[0..n), zero-padded, as pol_pat.head is built. */
static inline uint64_t
pol_head8(const char *s, size_t n)
{
	unsigned char b[8] = { 0 };
	uint64_t h;

	memcpy(b, s, n < 8 ? n : 8);
	memcpy(&h, b, 8);
	return h;
}

/*
 * Cheap rejection before pol_pat_match: h8 = pol_head8() of the subject
 * (lower-cased when the pattern is). 0 means "cannot match".
 */
static inline int
pol_pat_maybe(const struct pol_pat *pt, uint64_t h8, size_t n)
{
	return ((h8 ^ pt->head) & pt->hmask) == 0 &&
	    (pt->kind != POL_PAT_EXACT || n == pt->len);
}

/* Strict decimal number "-?D+(.D+)?" (at most 40 characters); 0 or -1. */
int pol_num_parse(const char *s, size_t n, double *out);
/*
 * Dates: "YYYY-MM-DD", "YYYY-MM-DDThh:mm[:ss[.fff...]]" with optional
 * "Z", "+hh:mm", "+hhmm" or "+hh" (and '-'), no zone meaning UTC; or
 * Unix seconds as up to 12 digits. Not before 1970. 0 or -1.
 */
int pol_date_parse(const char *s, size_t n, int64_t *ms);
/* "true" / "false", ASCII case-insensitive; 0 or -1. */
int pol_bool_parse(const char *s, size_t n, int *out);
/* IPv4-mapped IPv6 host addresses become IPv4 (for context values). */
void pol_ip_unmap(struct cidr *c);

/* ASCII case-insensitive equality of a[0..n) and b[0..n). */
int pol_ieq(const char *a, const char *b, size_t n);

#endif
