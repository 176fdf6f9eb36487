/*
 * cidr: strict IPv4/IPv6 address and prefix parsing, canonical output,
 * prefix relations and address arithmetic. See cidr.h for the accepted
 * text forms and the reasons behind them.
 *
 * Parsers work on [p, end) and never read past end; a parse either fills
 * the whole struct or leaves it zeroed.
 */
#include "lib/cidr.h"

#include <stdio.h>
#include <string.h>

#include "lib/err.h"

static unsigned
cidr_family_bits(int family)
{
	return family == CIDR_V4 ? 32 : family == CIDR_V6 ? 128 : 0;
}

unsigned
cidr_bits(const struct cidr *c)
{
	return cidr_family_bits(c->family);
}

static int
cidr_is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

static int
cidr_hex_value(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/*
 * Decimal 0..max without leading zeros, exactly the characters [p, end).
 * Returns the value or -1.
 */
static int
cidr_parse_dec(const char *p, const char *end, int max)
{
	int v = 0;

	if (p == end || end - p > 3 || (p[0] == '0' && end - p > 1))
		return -1;
	for (; p < end; p++) {
		if (!cidr_is_digit(*p))
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v <= max ? v : -1;
}

/* Exactly a dotted quad in [p, end) into out[0..3]; 0 or -1. */
static int
cidr_parse_v4(const char *p, const char *end, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		const char *q = p;
		int v;

		while (q < end && *q != '.')
			q++;
		if ((i < 3) != (q < end))	/* 3 dots, the last part ends */
			return -1;
		if ((v = cidr_parse_dec(p, q, 255)) < 0)
			return -1;
		out[i] = (uint8_t)v;
		p = q + 1;
	}
	return 0;
}

/* Does [p, end) hold a '.' before the next ':'? (embedded IPv4 tail) */
static int
cidr_v4_tail(const char *p, const char *end)
{
	for (; p < end && *p != ':'; p++)
		if (*p == '.')
			return 1;
	return 0;
}

/* Exactly an RFC 4291 text address in [p, end) into out[0..15]; 0 or -1. */
static int
cidr_parse_v6(const char *p, const char *end, uint8_t out[16])
{
	uint16_t w[8];
	int n = 0, gap = -1;

	if (end - p >= 2 && p[0] == ':' && p[1] == ':') {
		gap = 0;
		p += 2;
	}
	while (p < end) {
		int digits = 0, v = 0, h;

		if (cidr_v4_tail(p, end)) {
			uint8_t q[4];

			if (n > 6 || cidr_parse_v4(p, end, q) < 0)
				return -1;
			w[n++] = (uint16_t)(q[0] << 8 | q[1]);
			w[n++] = (uint16_t)(q[2] << 8 | q[3]);
			p = end;
			break;
		}
		while (p < end && (h = cidr_hex_value(*p)) >= 0 && digits < 5) {
			v = v << 4 | h;
			digits++;
			p++;
		}
		if (digits == 0 || digits > 4 || n == 8)
			return -1;
		w[n++] = (uint16_t)v;
		if (p == end)
			break;
		if (*p++ != ':' || p == end)	/* junk, or a trailing ':' */
			return -1;
		if (*p == ':') {
			if (gap >= 0)
				return -1;
			gap = n;
			p++;
		}
	}
	if (gap < 0 ? n != 8 : n > 7)	/* "::" stands for >= 1 group */
		return -1;
	if (gap >= 0) {
		int tail = n - gap;

		memmove(&w[8 - tail], &w[gap], (size_t)tail * sizeof(w[0]));
		memset(&w[gap], 0, (size_t)(8 - n) * sizeof(w[0]));
	}
	for (int i = 0; i < 8; i++) {
		out[2 * i] = (uint8_t)(w[i] >> 8);
		out[2 * i + 1] = (uint8_t)w[i];
	}
	return 0;
}

/* Address in [p, end): IPv6 if it holds a ':', else IPv4. */
static int
cidr_parse_address(const char *p, const char *end, struct cidr *out)
{
	if (memchr(p, ':', (size_t)(end - p)) != NULL) {
		out->family = CIDR_V6;
		return cidr_parse_v6(p, end, out->addr);
	}
	out->family = CIDR_V4;
	return cidr_parse_v4(p, end, out->addr);
}

enum cidr_want { CIDR_WANT_PREFIX, CIDR_WANT_ADDR, CIDR_WANT_ANY };

static int
cidr_parse_as(const char *s, enum cidr_want want, struct cidr *out)
{
	size_t n = strnlen(s, CIDR_STR_MAX);
	const char *end = s + n, *slash;
	int len;

	memset(out, 0, sizeof(*out));
	if (n == 0 || n >= CIDR_STR_MAX)
		goto bad;
	slash = memchr(s, '/', n);
	if ((slash == NULL && want == CIDR_WANT_PREFIX) ||
	    (slash != NULL && want == CIDR_WANT_ADDR))
		goto bad;
	if (cidr_parse_address(s, slash ? slash : end, out) < 0)
		goto bad;
	if (slash == NULL) {
		out->len = (uint8_t)cidr_bits(out);
		return 0;
	}
	if ((len = cidr_parse_dec(slash + 1, end, (int)cidr_bits(out))) < 0)
		goto bad;
	out->len = (uint8_t)len;
	return 0;
bad:
	memset(out, 0, sizeof(*out));
	return -ERR_CIDR_MALFORMED;
}

int
cidr_parse(const char *s, struct cidr *out)
{
	return cidr_parse_as(s, CIDR_WANT_PREFIX, out);
}

int
cidr_parse_addr(const char *s, struct cidr *out)
{
	return cidr_parse_as(s, CIDR_WANT_ADDR, out);
}

int
cidr_parse_any(const char *s, struct cidr *out)
{
	return cidr_parse_as(s, CIDR_WANT_ANY, out);
}

/* RFC 5952: lower case, no leading zeros, longest zero run (>= 2) as "::". */
static void
cidr_format_v6(const uint8_t a[16], char *buf, size_t len)
{
	uint16_t w[8];
	int best = -1, best_n = 0, i;
	size_t o = 0;

	for (i = 0; i < 8; i++)
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
	for (i = 0; i < 8; i++) {
		int j = i;

		while (j < 8 && w[j] == 0)
			j++;
		if (j - i > best_n && j - i >= 2) {
			best = i;
			best_n = j - i;
		}
		if (j > i)
			i = j - 1;
	}
	/* IPv4-mapped addresses keep the dotted tail (RFC 5952 section 5). */
	if (best == 0 && best_n == 5 && w[5] == 0xffff) {
		snprintf(buf, len, "::ffff:%u.%u.%u.%u", a[12], a[13], a[14],
		    a[15]);
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < 8 && o < len; i++) {
		if (i == best) {
			o += (size_t)snprintf(buf + o, len - o, "::");
			i += best_n - 1;
			continue;
		}
		o += (size_t)snprintf(buf + o, len - o, "%s%x",
		    i > 0 && i != best + best_n ? ":" : "", w[i]);
	}
}

int
cidr_format_addr(const struct cidr *c, char *buf, size_t len)
{
	char tmp[CIDR_STR_MAX];

	if (c->family == CIDR_V4)
		snprintf(tmp, sizeof(tmp), "%u.%u.%u.%u", c->addr[0],
		    c->addr[1], c->addr[2], c->addr[3]);
	else if (c->family == CIDR_V6)
		cidr_format_v6(c->addr, tmp, sizeof(tmp));
	else
		return -ERR_INVALID_PARAMETER;
	if (strlen(tmp) >= len)
		return -ERR_INVALID_PARAMETER;
	memcpy(buf, tmp, strlen(tmp) + 1);
	return 0;
}

int
cidr_format(const struct cidr *c, char *buf, size_t len)
{
	char a[CIDR_STR_MAX];
	int r, n;

	if ((r = cidr_format_addr(c, a, sizeof(a))) < 0)
		return r;
	n = snprintf(buf, len, "%s/%u", a, c->len);
	return n < 0 || (size_t)n >= len ? -ERR_INVALID_PARAMETER : 0;
}

/* Do a and b agree on their first bits bits? */
static int
cidr_prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned n = bits / 8, rem = bits % 8;

	if (memcmp(a, b, n) != 0)
		return 0;
	return rem == 0 || ((a[n] ^ b[n]) & (uint8_t)(0xff << (8 - rem))) == 0;
}

int
cidr_is_aligned(const struct cidr *c)
{
	unsigned bits = cidr_bits(c), n = c->len / 8, rem = c->len % 8;

	if (rem && (c->addr[n] & (0xff >> rem)))
		return 0;
	for (unsigned i = n + (rem != 0); i < bits / 8; i++)
		if (c->addr[i])
			return 0;
	return 1;
}

void
cidr_mask(struct cidr *c)
{
	unsigned bits = cidr_bits(c), n = c->len / 8, rem = c->len % 8;

	if (rem)
		c->addr[n++] &= (uint8_t)(0xff << (8 - rem));
	if (n < bits / 8)
		memset(&c->addr[n], 0, bits / 8 - n);
}

int
cidr_contains(const struct cidr *a, const struct cidr *b)
{
	return a->family == b->family && a->len <= b->len &&
	    cidr_prefix_eq(a->addr, b->addr, a->len);
}

int
cidr_overlaps(const struct cidr *a, const struct cidr *b)
{
	return a->family == b->family &&
	    cidr_prefix_eq(a->addr, b->addr, a->len < b->len ? a->len : b->len);
}

int
cidr_equal(const struct cidr *a, const struct cidr *b)
{
	return a->family == b->family && a->len == b->len &&
	    memcmp(a->addr, b->addr, sizeof(a->addr)) == 0;
}

int
cidr_cmp(const struct cidr *a, const struct cidr *b)
{
	int r;

	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	if ((r = memcmp(a->addr, b->addr, sizeof(a->addr))) != 0)
		return r < 0 ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

int
cidr_contains_addr(const struct cidr *c, int family, const void *addr)
{
	return c->family == family && cidr_prefix_eq(c->addr, addr, c->len);
}

uint64_t
cidr_size(const struct cidr *c)
{
	unsigned host = cidr_bits(c) - c->len;

	if (cidr_bits(c) == 0)
		return 0;
	return host >= 64 ? UINT64_MAX : (uint64_t)1 << host;
}

/* The last 8 bytes (IPv6) or 4 bytes (IPv4) as a number, and back. */
static uint64_t
cidr_low_get(const struct cidr *c)
{
	unsigned off = c->family == CIDR_V4 ? 0 : 8;
	unsigned nb = c->family == CIDR_V4 ? 4 : 8;
	uint64_t v = 0;

	for (unsigned i = 0; i < nb; i++)
		v = v << 8 | c->addr[off + i];
	return v;
}

static void
cidr_low_or(struct cidr *c, uint64_t v)
{
	unsigned off = c->family == CIDR_V4 ? 0 : 8;
	unsigned nb = c->family == CIDR_V4 ? 4 : 8;

	for (unsigned i = nb; i-- > 0; v >>= 8)
		c->addr[off + i] |= (uint8_t)v;
}

int
cidr_nth(const struct cidr *c, uint64_t n, struct cidr *out)
{
	unsigned hostbits = cidr_bits(c) - c->len;
	struct cidr r = *c;

	/* cidr_size() saturates; with 64+ host bits every n is inside. */
	if (cidr_bits(c) == 0 || (hostbits < 64 && n >= cidr_size(c)))
		return -ERR_INVALID_PARAMETER;
	/* Host bits are zero after masking and n < 2^hostbits: OR adds. */
	cidr_mask(&r);
	cidr_low_or(&r, n);
	r.len = (uint8_t)cidr_bits(c);
	*out = r;
	return 0;
}

int
cidr_index(const struct cidr *c, const struct cidr *host, uint64_t *n)
{
	unsigned hostbits = cidr_bits(c) - c->len;
	uint64_t v;

	*n = 0;
	if (cidr_bits(c) == 0 || !cidr_contains_addr(c, host->family,
	    host->addr))
		return -ERR_INVALID_PARAMETER;
	/* Host bits above the low 64 must be zero for the index to fit. */
	if (hostbits > 64) {
		struct cidr hi = *host;

		memset(&hi.addr[8], 0, 8);
		hi.len = c->len;
		if (!cidr_is_aligned(&hi))
			return -ERR_INVALID_PARAMETER;
	}
	v = cidr_low_get(host);
	if (hostbits < 64)
		v &= ((uint64_t)1 << hostbits) - 1;
	*n = v;
	return 0;
}

uint64_t
cidr_vsw_usable(const struct cidr *c)
{
	uint64_t size = cidr_size(c);
	uint64_t reserved = CIDR_VSW_RESERVED_HEAD + CIDR_VSW_RESERVED_TAIL;

	return size > reserved ? size - reserved : 0;
}

int
cidr_vsw_host(const struct cidr *c, uint64_t k, struct cidr *out)
{
	if (k >= cidr_vsw_usable(c))
		return -ERR_INVALID_PARAMETER;
	return cidr_nth(c, k + CIDR_VSW_RESERVED_HEAD, out);
}

int
cidr_vsw_is_usable(const struct cidr *c, const struct cidr *host)
{
	uint64_t n;

	if (cidr_index(c, host, &n) < 0)
		return 0;
	return n >= CIDR_VSW_RESERVED_HEAD &&
	    n - CIDR_VSW_RESERVED_HEAD < cidr_vsw_usable(c);
}
