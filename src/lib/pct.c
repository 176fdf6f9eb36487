/* pct: RFC 3986 percent-encoding and lenient decoding. */
#include "lib/pct.h"

#include "lib/err.h"

static int
pct_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
	    c == '~';
}

void
pct_encode(struct sb *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	char esc[3] = { '%', 0, 0 };
	size_t i, run = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (pct_unreserved(c))
			continue;
		sb_addn(out, s + run, i - run);
		esc[1] = hex[c >> 4];
		esc[2] = hex[c & 15];
		sb_addn(out, esc, 3);
		run = i + 1;
	}
	sb_addn(out, s + run, n - run);
}

static int
pct_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
pct_decode(struct sb *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -ERR_INVALID_PARAMETER;
			hi = pct_hexval(s[i + 1]);
			lo = pct_hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -ERR_INVALID_PARAMETER;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (c == '\0')
			return -ERR_INVALID_PARAMETER;
		sb_addc(out, c);
	}
	return sb_ok(out);
}
