/*
 * utf8: validation and character counting. Every parameter is checked
 * at decode time (JSON replies cannot carry invalid UTF-8), and Alibaba's
 * length limits count characters, not bytes. Pure.
 */
#ifndef SEKISHO_UTF8_H
#define SEKISHO_UTF8_H

#include <stddef.h>

/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int utf8_valid(const char *s, size_t n);
/* Number of code points of a valid UTF-8 string. */
size_t utf8_count(const char *s);

#endif
