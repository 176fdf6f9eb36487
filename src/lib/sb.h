/*
 * sb: a growable, always NUL-terminated byte string. The caller owns the
 * struct; sb_free() releases the bytes (NULL-safe, idempotent). On allocation
 * failure the buffer sets oom and further appends are ignored; sb_ok() tells.
 */
#ifndef SEKISHO_SB_H
#define SEKISHO_SB_H

#include <stdarg.h>
#include <stddef.h>

struct sb {
	char *p;
	size_t len;
	size_t cap;
	int oom;
};

#define SB_INIT { NULL, 0, 0, 0 }

void sb_free(struct sb *b);
void sb_reset(struct sb *b);
void sb_addn(struct sb *b, const char *s, size_t n);
void sb_adds(struct sb *b, const char *s);
void sb_addc(struct sb *b, char c);
void sb_addf(struct sb *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* 0 when every append so far succeeded, else -ERR_NOMEM. */
int sb_ok(const struct sb *b);
/* The string ("" when empty); valid until the next append or sb_free. */
const char *sb_str(const struct sb *b);
/* Hands the bytes to the caller (free() them) and resets b. */
char *sb_take(struct sb *b);

#endif
