/* sb: growable string buffer. */
#include "lib/sb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"

void
sb_free(struct sb *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->oom = 0;
}

void
sb_reset(struct sb *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

static int
sb_grow(struct sb *b, size_t need)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (b->len + need + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < b->len + need + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (p == NULL) {
		b->oom = 1;
		return -1;
	}
	b->p = p;
	b->cap = cap;
	return 0;
}

void
sb_addn(struct sb *b, const char *s, size_t n)
{
	if (sb_grow(b, n) < 0)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sb_adds(struct sb *b, const char *s) { sb_addn(b, s, strlen(s)); }
void sb_addc(struct sb *b, char c) { sb_addn(b, &c, 1); }

void
sb_addf(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || sb_grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

int sb_ok(const struct sb *b) { return b->oom ? -ERR_NOMEM : 0; }
const char *sb_str(const struct sb *b) { return b->p ? b->p : ""; }

char *
sb_take(struct sb *b)
{
	char *p = b->p;

	if (p == NULL)
		p = strdup("");
	b->p = NULL;
	b->len = b->cap = 0;
	return p;
}
