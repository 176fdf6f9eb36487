/*
 * pct: percent-encoding as the Alibaba signatures need it.
 * Encoding is RFC 3986 (A-Z a-z 0-9 - _ . ~ literal, everything else %XX
 * upper-case); decoding accepts what clients send: %XX, and '+' as a space
 * (the legacy Go SDK). Pure; no allocation except into the caller's sb.
 */
#ifndef SEKISHO_PCT_H
#define SEKISHO_PCT_H

#include <stddef.h>

#include "lib/sb.h"

void pct_encode(struct sb *out, const char *s, size_t n);
/*
 * Decodes n bytes of s into out. Returns 0, or -ERR_INVALID_PARAMETER for a
 * '%' not followed by two hex digits or a decoded NUL byte.
 */
int pct_decode(struct sb *out, const char *s, size_t n);

#endif
