/*
 * err: error values and their wire form. Every fallible function returns 0
 * or -ERR_x; the API boundary maps -ERR_x to (HTTP status, Code, Message).
 */
#ifndef SEKISHO_ERR_H
#define SEKISHO_ERR_H

#include <stddef.h>

enum err_code {
	ERR_NONE = 0,
#define ERR_X(name, status, code, msg) ERR_##name,
#include "lib/err_list.h"
#undef ERR_X
	ERR__COUNT
};

/* Catalogue entry for e (positive or negative); NULL-safe lookup. */
int err_status(int e);
const char *err_code_str(int e);
const char *err_message_fmt(int e);
const char *err_name(int e);

/*
 * Writes the message of e into buf, the first "%s" replaced by detail
 * (NULL means ""). Never interprets detail as a format.
 */
void err_format(int e, const char *detail, char *buf, size_t len);

#endif
