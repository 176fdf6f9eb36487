/* err: the catalogue tables, generated from err_list.h. */
#include "lib/err.h"

#include <stdio.h>
#include <string.h>

struct err_entry {
	const char *name;
	int status;
	const char *code;
	const char *msg;
};

static const struct err_entry err_table[ERR__COUNT] = {
	[ERR_NONE] = { "NONE", 200, "", "" },
#define ERR_X(name, status, code, msg) [ERR_##name] = { #name, status, code, msg },
#include "lib/err_list.h"
#undef ERR_X
};

static const struct err_entry *
err_entry(int e)
{
	if (e < 0)
		e = -e;
	if (e <= 0 || e >= ERR__COUNT)
		e = ERR_INTERNAL;
	return &err_table[e];
}

int err_status(int e) { return err_entry(e)->status; }
const char *err_code_str(int e) { return err_entry(e)->code; }
const char *err_message_fmt(int e) { return err_entry(e)->msg; }
const char *err_name(int e) { return err_entry(e)->name; }

void
err_format(int e, const char *detail, char *buf, size_t len)
{
	const char *fmt = err_message_fmt(e);
	const char *hole = strstr(fmt, "%s");

	if (len == 0)
		return;
	if (hole == NULL) {
		snprintf(buf, len, "%s", fmt);
		return;
	}
	snprintf(buf, len, "%.*s%s%s", (int)(hole - fmt), fmt,
	    detail ? detail : "", hole + 2);
}
