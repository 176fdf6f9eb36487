/*
 * cli_table: what the resource commands (cli_sg.c, cli_net.c) share for
 * their output — aligned text tables, field access into the JSON answers,
 * and listing every page of a Describe* call.
 *
 * Tables: a header row and rows of text cells; columns are as wide as
 * their widest cell (in characters, UTF-8 aware), two spaces apart, the
 * last one unpadded. Cells from the server are printed with control
 * characters replaced by '?', so a name cannot move the cursor.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "lib/err.h"

#define CLI_LIST_MAX_PAGES 1000	/* a server that never stops paging */

void
cli_tab_init(struct cli_tab *t, size_t ncol, const char *const *head)
{
	memset(t, 0, sizeof(*t));
	t->ncol = ncol;
	for (size_t i = 0; i < ncol; i++)
		cli_tab_add(t, head[i]);
}

void
cli_tab_add(struct cli_tab *t, const char *cell)
{
	char *c;

	if (t->nomem)
		return;
	if (t->ncell == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		char **v = realloc(t->cell, cap * sizeof(*v));

		if (v == NULL) {
			t->nomem = 1;
			return;
		}
		t->cell = v;
		t->cap = cap;
	}
	if ((c = strdup(cell && cell[0] ? cell : "-")) == NULL) {
		t->nomem = 1;
		return;
	}
	for (char *p = c; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	t->cell[t->ncell++] = c;
}

void
cli_tab_addf(struct cli_tab *t, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	cli_tab_add(t, buf);
}

/* Display width: UTF-8 continuation bytes take no column. */
static size_t
cli_tab_width(const char *s)
{
	size_t w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

void
cli_tab_print(struct cli_tab *t, FILE *f)
{
	size_t *w = NULL, nrow;

	if (t->nomem || t->ncol == 0 ||
	    (w = calloc(t->ncol, sizeof(*w))) == NULL) {
		fprintf(stderr, "sekisho: out of memory\n");
		goto out;
	}
	nrow = t->ncell / t->ncol;
	for (size_t i = 0; i < nrow * t->ncol; i++)
		if (cli_tab_width(t->cell[i]) > w[i % t->ncol])
			w[i % t->ncol] = cli_tab_width(t->cell[i]);
	for (size_t r = 0; r < nrow; r++)
		for (size_t c = 0; c < t->ncol; c++) {
			const char *cell = t->cell[r * t->ncol + c];

			if (c + 1 == t->ncol) {
				fprintf(f, "%s\n", cell);
				break;
			}
			fprintf(f, "%s%*s", cell,
			    (int)(w[c] - cli_tab_width(cell) + 2), "");
		}
out:
	free(w);
	cli_tab_free(t);
}

void
cli_tab_free(struct cli_tab *t)
{
	for (size_t i = 0; i < t->ncell; i++)
		free(t->cell[i]);
	free(t->cell);
	memset(t, 0, sizeof(*t));
}

const char *
cli_js(const json_t *o, const char *path, char *buf)
{
	char key[128];
	const char *dot;
	json_t *v = (json_t *)o;

	while (v && *path) {
		dot = strchr(path, '.');
		snprintf(key, sizeof(key), "%.*s", dot ? (int)(dot - path) :
		    (int)strlen(path), path);
		v = json_object_get(v, key);
		path = dot ? dot + 1 : "";
	}
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v)) {
		snprintf(buf, 32, "%lld", (long long)json_integer_value(v));
		return buf;
	}
	if (json_is_boolean(v))
		return json_is_true(v) ? "true" : "false";
	return "";
}

/* The base parameters plus the paging ones of page n (0-based). */
static void
cli_sess_list_params(struct cli_sess *s, const char *const *base,
    int by_page, int n, const char *token)
{
	char num[16];

	for (size_t i = 0; base[i]; i += 2)
		cli_sess_set(s, base[i], base[i + 1]);
	if (by_page) {
		snprintf(num, sizeof(num), "%d", n + 1);
		cli_sess_set(s, "PageNumber", num);
		cli_sess_set(s, "PageSize", "50");
	} else {
		cli_sess_set(s, "MaxResults", "100");
		cli_sess_set(s, "NextToken", token);
	}
}

int
cli_sess_list(struct cli_sess *s, const char *product, const char *action,
    int by_page, const char *const *base, const char *list, const char *item,
    json_t *items)
{
	char token[256] = "", buf[32];
	json_t *page;
	int rc;

	for (int n = 0; n < CLI_LIST_MAX_PAGES; n++) {
		cli_sess_list_params(s, base, by_page, n, token);
		if ((rc = cli_sess_call(s, product, action)) != CLI_EXIT_OK)
			return rc;
		page = json_object_get(json_object_get(s->last, list), item);
		if (json_array_size(page) == 0)
			break;
		json_array_extend(items, page);
		if (by_page) {
			if (json_array_size(items) >= (size_t)strtoll(cli_js(
			    s->last, "TotalCount", buf), NULL, 10))
				break;
		} else {
			snprintf(token, sizeof(token), "%s", cli_js(s->last,
			    "NextToken", buf));
			if (token[0] == '\0')
				break;
		}
	}
	return CLI_EXIT_OK;
}
