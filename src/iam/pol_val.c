/*
 * pol_val: the small value machinery of the policy module — the arena a
 * compiled policy lives in, wildcard patterns, and the decoders of
 * condition values (numbers, dates, booleans, IPv4-mapped addresses).
 * Used by the parser on policy text and by the evaluator on context text,
 * so a value means the same thing on both sides. Pure; the arena is the
 * only allocation and belongs to one policy.
 */
#include "iam/pol_int.h"

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/tm.h"

/* Arena. */

#define POL_BLK_MIN 4096
#define POL_ALIGN alignof(max_align_t)

struct pol_blk {
	struct pol_blk *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char data[];
};

void *
pol_alloc(struct pol *p, size_t n)
{
	struct pol_blk *b = p->blk;
	void *r;

	n = (n + POL_ALIGN - 1) & ~(POL_ALIGN - 1);
	if (n == 0)
		n = POL_ALIGN;
	if (b == NULL || b->cap - b->used < n) {
		size_t cap = n > POL_BLK_MIN ? n : POL_BLK_MIN;

		b = calloc(1, sizeof(*b) + cap);
		if (b == NULL)
			return NULL;
		b->cap = cap;
		b->next = p->blk;
		p->blk = b;
	}
	r = b->data + b->used;
	b->used += n;
	return r;
}

char *
pol_strdup(struct pol *p, const char *s, size_t n)
{
	char *d = pol_alloc(p, n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

void
pol_arena_free(struct pol *p)
{
	struct pol_blk *b = p->blk, *next;

	for (; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	p->blk = NULL;
}

/* Patterns. */

static inline unsigned char
pol_lc(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

int
pol_ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pol_lc((unsigned char)a[i]) != pol_lc((unsigned char)b[i]))
			return 0;
	return 1;
}

void
pol_pat_init(struct pol_pat *pt, const char *s, size_t n)
{
	size_t stars = 0, quest = 0, first = n, last = n;

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '*' && s[i] != '?')
			continue;
		if (first == n)
			first = i;
		if (s[i] == '*') {
			stars++;
			last = i;
		} else
			quest++;
	}
	memset(pt, 0, sizeof(*pt));
	pt->s = s;
	pt->len = (uint32_t)n;
	pt->pre = (uint32_t)first;
	pt->head = pol_head8(s, first);
	pt->hmask = pol_head8("\xff\xff\xff\xff\xff\xff\xff\xff", first);
	if (n == 1 && stars == 1)
		pt->kind = POL_PAT_ANY;
	else if (stars == 0 && quest == 0)
		pt->kind = POL_PAT_EXACT;
	else if (stars == 1 && quest == 0 && last == n - 1)
		pt->kind = POL_PAT_PREFIX;
	else {
		pt->kind = POL_PAT_GLOB;
		/* A tail after the last star, unless a '?' follows that star. */
		if (last != n && memchr(s + last, '?', n - last) == NULL)
			pt->suf = (uint32_t)(n - last - 1);
		pt->quest = memchr(s + first, '?', n - first - pt->suf) != NULL;
	}
}

/* Pattern bytes p[0..n) equal subject s[0..n) (pattern pre-folded). */
static inline int
pol_bytes_eq(const char *p, const char *s, size_t n, int fold)
{
	if (!fold)
		return memcmp(p, s, n) == 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] != pol_lc((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Index just past the UTF-8 character starting at s[i]. */
static inline size_t
pol_next_char(const char *s, size_t n, size_t i)
{
	for (i++; i < n && ((unsigned char)s[i] & 0xc0) == 0x80; i++)
		;
	return i;
}

/*
 * Wildcard match with single-star backtracking: O(len(p) * len(s)) at
 * worst, no recursion. '?' and the star's advance move by whole UTF-8
 * characters so that '?' means one character, not one byte.
 */
static int
pol_glob(const char *p, size_t pn, const char *s, size_t sn, int fold)
{
	size_t pi = 0, si = 0, star = SIZE_MAX, mark = 0;

	while (si < sn) {
		if (pi < pn && p[pi] == '*') {
			star = pi++;
			mark = si;
			continue;
		}
		if (pi < pn && p[pi] == '?') {
			pi++;
			si = pol_next_char(s, sn, si);
			continue;
		}
		if (pi < pn && (unsigned char)p[pi] ==
		    (fold ? pol_lc((unsigned char)s[si]) : (unsigned char)s[si])) {
			pi++;
			si++;
			continue;
		}
		if (star == SIZE_MAX)
			return 0;
		pi = star + 1;
		mark = pol_next_char(s, sn, mark);
		si = mark;
	}
	while (pi < pn && p[pi] == '*')
		pi++;
	return pi == pn;
}

/*
 * A middle "*lit*lit*" (starts and ends with '*', no '?'): each literal is
 * found leftmost after the previous one, which is optimal because the
 * stars around it can absorb anything.
 */
static int
pol_segments(const char *p, size_t pn, const char *s, size_t sn)
{
	size_t pi = 0, si = 0;

	while (pi < pn) {
		const char *hit, *star;
		size_t seg;

		if (p[pi] == '*') {
			pi++;
			continue;
		}
		star = memchr(p + pi, '*', pn - pi);
		seg = (size_t)(star - (p + pi));
		hit = memmem(s + si, sn - si, p + pi, seg);
		if (hit == NULL)
			return 0;
		si = (size_t)(hit - s) + seg;
		pi += seg;
	}
	return 1;
}

int
pol_pat_match(const struct pol_pat *pt, const char *str, size_t n, int fold)
{
	size_t mid_p, mid_s;

	switch (pt->kind) {
	case POL_PAT_ANY:
		return 1;
	case POL_PAT_EXACT:
		return n == pt->len && pol_bytes_eq(pt->s, str, n, fold);
	case POL_PAT_PREFIX:
		return n >= pt->pre && pol_bytes_eq(pt->s, str, pt->pre, fold);
	default:
		break;
	}
	if (n < (size_t)pt->pre + pt->suf ||
	    !pol_bytes_eq(pt->s, str, pt->pre, fold) ||
	    !pol_bytes_eq(pt->s + pt->len - pt->suf, str + n - pt->suf,
	    pt->suf, fold))
		return 0;
	mid_p = pt->len - pt->pre - pt->suf;
	mid_s = n - pt->pre - pt->suf;
	/* The middle starts with a wildcard; it ends with '*' unless a '?'
	 * sits after the last star (then suf is 0 and quest is set). */
	if (!pt->quest && !fold)
		return pol_segments(pt->s + pt->pre, mid_p, str + pt->pre, mid_s);
	return pol_glob(pt->s + pt->pre, mid_p, str + pt->pre, mid_s, fold);
}

/* Values. */

int
pol_num_parse(const char *s, size_t n, double *out)
{
	double ip = 0, fp = 0, scale = 1;
	size_t i = 0, d;
	int neg = 0;

	*out = 0;
	if (n == 0 || n > 40)
		return -1;
	if (s[0] == '-') {
		neg = 1;
		i++;
	}
	for (d = i; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		ip = ip * 10 + (s[i] - '0');
	if (i == d)
		return -1;
	if (i < n && s[i] == '.') {
		for (d = ++i; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
			fp = fp * 10 + (s[i] - '0');
			scale *= 10;
		}
		if (i == d)
			return -1;
	}
	if (i != n)
		return -1;
	ip += fp / scale;
	*out = neg ? -ip : ip;
	return 0;
}

static int
pol_digits(const char *s, size_t n, int *out)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* The zone designator at s[0..n): Z, +hh, +hhmm, +hh:mm (or '-'). */
static int
pol_zone(const char *s, size_t n, int *off)
{
	int h = 0, m = 0, sign;

	*off = 0;
	if (n == 1 && s[0] == 'Z')
		return 0;
	if (n < 3 || (s[0] != '+' && s[0] != '-'))
		return -1;
	sign = s[0] == '-' ? -1 : 1;
	if (pol_digits(s + 1, 2, &h) < 0)
		return -1;
	if (n == 5 && pol_digits(s + 3, 2, &m) < 0)
		return -1;
	if (n == 6 && (s[3] != ':' || pol_digits(s + 4, 2, &m) < 0))
		return -1;
	if ((n != 3 && n != 5 && n != 6) || h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

int
pol_date_parse(const char *s, size_t n, int64_t *ms)
{
	char iso[24];
	int hh = 0, mi = 0, ss = 0, frac = 0, off = 0;
	size_t i;
	int64_t t = 0;

	*ms = 0;
	for (i = 0; i < n && i <= 12 && s[i] >= '0' && s[i] <= '9'; i++)
		t = t * 10 + (s[i] - '0');
	if (i == n && n >= 1 && n <= 12) {
		*ms = t * 1000;
		return 0;
	}
	if (n < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	i = 10;
	if (n > 10) {
		if (s[10] != 'T' || n < 16 || s[13] != ':' ||
		    pol_digits(s + 11, 2, &hh) < 0 ||
		    pol_digits(s + 14, 2, &mi) < 0)
			return -1;
		i = 16;
		if (i < n && s[i] == ':') {
			if (n < 19 || pol_digits(s + 17, 2, &ss) < 0)
				return -1;
			i = 19;
			if (i < n && s[i] == '.') {
				size_t d = ++i;

				for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
					if (i - d < 3)
						frac = frac * 10 + (s[i] - '0');
				if (i == d || i - d > 9)
					return -1;
				for (size_t k = i - d; k < 3; k++)
					frac *= 10;
			}
		}
		if (i < n && pol_zone(s + i, n - i, &off) < 0)
			return -1;
	}
	snprintf(iso, sizeof(iso), "%.10sT%02d:%02d:%02dZ", s, hh, mi, ss);
	if (tm_parse_iso(iso, &t) < 0)
		return -1;
	*ms = (t - off) * 1000 + frac;
	return 0;
}

int
pol_bool_parse(const char *s, size_t n, int *out)
{
	*out = 0;
	if (n == 4 && pol_ieq(s, "true", 4)) {
		*out = 1;
		return 0;
	}
	if (n == 5 && pol_ieq(s, "false", 5))
		return 0;
	return -1;
}

void
pol_ip_unmap(struct cidr *c)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0xff, 0xff };

	if (c->family != CIDR_V6 || c->len != 128 ||
	    memcmp(c->addr, pfx, sizeof(pfx)) != 0)
		return;
	memmove(c->addr, c->addr + 12, 4);
	memset(c->addr + 4, 0, 12);
	c->family = CIDR_V4;
	c->len = 32;
}
