/*
 * fw_obj: the compiled ruleset as data — a builder the compiler appends
 * objects and lines to, the canonical form (objects sorted by table, kind,
 * name; set and map elements sorted and unique; a content hash per object)
 * and the full-replace script. Determinism lives here: whatever order the
 * compiler emits sets' elements in, the result is the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/fw_int.h"
#include "lib/err.h"

uint64_t
fw_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;

	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void
fw_obj_clear(struct fw_obj *o)
{
	free(o->name);
	free(o->decl);
	for (size_t i = 0; i < o->nlines; i++)
		free(o->lines[i]);
	free(o->lines);
	memset(o, 0, sizeof(*o));
}

void
fw_rsb_free(struct fw_rsb *b)
{
	for (size_t i = 0; i < b->n; i++)
		fw_obj_clear(&b->obj[i]);
	free(b->obj);
	memset(b, 0, sizeof(*b));
}

size_t
fw_rsb_obj(struct fw_rsb *b, int table, int kind, const char *name,
    const char *declfmt, ...)
{
	struct fw_obj *o;
	struct sb d = SB_INIT;
	va_list ap;

	if (b->err)
		return (size_t)-1;
	if (b->n == b->cap) {
		size_t ncap = b->cap ? b->cap * 2 : 64;
		struct fw_obj *no = realloc(b->obj, ncap * sizeof(*no));

		if (no == NULL) {
			b->err = -ERR_NOMEM;
			return (size_t)-1;
		}
		b->obj = no;
		b->cap = ncap;
	}
	va_start(ap, declfmt);
	{
		char *tmp = NULL;

		if (vasprintf(&tmp, declfmt, ap) < 0)
			tmp = NULL;
		if (tmp)
			sb_adds(&d, tmp);
		else
			d.oom = 1;
		free(tmp);
	}
	va_end(ap);
	o = &b->obj[b->n];
	memset(o, 0, sizeof(*o));
	o->table = (uint8_t)table;
	o->kind = (uint8_t)kind;
	o->name = strdup(name);
	o->decl = sb_ok(&d) == 0 ? sb_take(&d) : NULL;
	sb_free(&d);
	if (o->name == NULL || o->decl == NULL) {
		fw_obj_clear(o);
		b->err = -ERR_NOMEM;
		return (size_t)-1;
	}
	return b->n++;
}

void
fw_rsb_vline(struct fw_rsb *b, size_t obj, const char *fmt, va_list ap)
{
	struct fw_obj *o;
	char *line = NULL;

	if (b->err || obj >= b->n)
		return;
	o = &b->obj[obj];
	if ((o->nlines & (o->nlines - 1)) == 0) {	/* 0, 1, 2, 4, ... */
		size_t ncap = o->nlines ? o->nlines * 2 : 1;
		char **nl = realloc(o->lines, ncap * sizeof(*nl));

		if (nl == NULL) {
			b->err = -ERR_NOMEM;
			return;
		}
		o->lines = nl;
	}
	if (vasprintf(&line, fmt, ap) < 0) {
		b->err = -ERR_NOMEM;
		return;
	}
	o->lines[o->nlines++] = line;
}

void
fw_rsb_line(struct fw_rsb *b, size_t obj, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_rsb_vline(b, obj, fmt, ap);
	va_end(ap);
}

static int
fw_str_qcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
fw_obj_cmp(const struct fw_obj *x, const struct fw_obj *y)
{
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
fw_obj_qcmp(const void *a, const void *b)
{
	return fw_obj_cmp(a, b);
}

static void
fw_obj_hash(struct fw_obj *o)
{
	uint64_t h = FW_FNV_INIT;

	h = fw_fnv(h, &o->table, 1);
	h = fw_fnv(h, &o->kind, 1);
	h = fw_fnv(h, o->name, strlen(o->name) + 1);
	h = fw_fnv(h, o->decl, strlen(o->decl) + 1);
	for (size_t i = 0; i < o->nlines; i++)
		h = fw_fnv(h, o->lines[i], strlen(o->lines[i]) + 1);
	o->hash = h;
}

int
fw_rsb_finish(struct fw_rsb *b, struct fw_ruleset **out)
{
	struct fw_ruleset *rs = NULL;
	int r;

	*out = NULL;
	if ((r = b->err) < 0)
		goto out;
	for (size_t i = 0; i < b->n; i++) {
		struct fw_obj *o = &b->obj[i];
		size_t k = 0;

		if (o->kind == FW_K_CHAIN || o->nlines == 0)
			continue;
		qsort(o->lines, o->nlines, sizeof(*o->lines), fw_str_qcmp);
		for (size_t j = 0; j < o->nlines; j++) {
			if (k > 0 && strcmp(o->lines[k - 1], o->lines[j]) == 0)
				free(o->lines[j]);
			else
				o->lines[k++] = o->lines[j];
		}
		o->nlines = k;
	}
	if (b->n > 1)
		qsort(b->obj, b->n, sizeof(*b->obj), fw_obj_qcmp);
	for (size_t i = 1; i < b->n; i++)
		if (b->obj[i - 1].table == b->obj[i].table &&
		    strcmp(b->obj[i - 1].name, b->obj[i].name) == 0 &&
		    (b->obj[i - 1].kind == FW_K_CHAIN) ==
		    (b->obj[i].kind == FW_K_CHAIN)) {
			r = -ERR_INTERNAL;	/* a compiler bug */
			goto out;
		}
	for (size_t i = 0; i < b->n; i++)
		fw_obj_hash(&b->obj[i]);
	if ((rs = calloc(1, sizeof(*rs))) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	rs->obj = b->obj;
	rs->nobj = b->n;
	b->obj = NULL;
	b->n = b->cap = 0;
	*out = rs;
	r = 0;
out:
	fw_rsb_free(b);
	return r;
}

void
fw_ruleset_free(struct fw_ruleset *rs)
{
	if (rs == NULL)
		return;
	for (size_t i = 0; i < rs->nobj; i++)
		fw_obj_clear(&rs->obj[i]);
	free(rs->obj);
	free(rs);
}

const struct fw_obj *
fw_obj_find(const struct fw_ruleset *rs, int table, int kind,
    const char *name)
{
	struct fw_obj key;
	size_t lo = 0, hi = rs ? rs->nobj : 0;

	memset(&key, 0, sizeof(key));
	key.table = (uint8_t)table;
	key.kind = (uint8_t)kind;
	key.name = (char *)name;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = fw_obj_cmp(&rs->obj[mid], &key);

		if (c == 0)
			return &rs->obj[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- rendering ------------------------------------------------------ */

const char *
fw_table_spec(int table)
{
	return table == FW_T_PORT ? "bridge " FW_TABLE_PORT :
	    "inet " FW_TABLE_SG;
}

const char *
fw_kind_word(int kind)
{
	return kind == FW_K_SET ? "set" : kind == FW_K_MAP ? "map" : "chain";
}

void
fw_decl_inline(struct sb *s, const char *decl)
{
	for (const char *p = decl; *p; p++) {
		if (*p == '\n')
			sb_adds(s, "; ");
		else
			sb_addc(s, *p);
	}
}

void
fw_elem_key(struct sb *s, const char *line)
{
	const char *a = strstr(line, " : ");
	const char *c = strstr(line, " comment ");
	const char *e = line + strlen(line);

	if (a && a < e)
		e = a;
	if (c && c < e)
		e = c;
	sb_addn(s, line, (size_t)(e - line));
}

/* The decl's lines, each indented by two tabs. */
static void
fw_render_decl(struct sb *s, const char *decl)
{
	const char *p = decl;

	while (*p) {
		size_t n = strcspn(p, "\n");

		sb_adds(s, "\t\t");
		sb_addn(s, p, n);
		sb_addc(s, '\n');
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void
fw_render_obj(struct sb *s, const struct fw_obj *o)
{
	sb_addf(s, "\t%s %s {\n", fw_kind_word(o->kind), o->name);
	fw_render_decl(s, o->decl);
	if (o->kind == FW_K_CHAIN) {
		for (size_t i = 0; i < o->nlines; i++)
			sb_addf(s, "\t\t%s\n", o->lines[i]);
	} else if (o->nlines > 0) {
		sb_adds(s, "\t\telements = {\n");
		for (size_t i = 0; i < o->nlines; i++)
			sb_addf(s, "\t\t\t%s%s\n", o->lines[i],
			    i + 1 < o->nlines ? "," : "");
		sb_adds(s, "\t\t}\n");
	}
	sb_adds(s, "\t}\n");
}

/* Rendering phase of an object: every reference points backwards. */
static int
fw_render_phase(const struct fw_obj *o)
{
	if (o->kind == FW_K_SET)
		return 0;	/* named by rules */
	if (o->kind == FW_K_CHAIN && strstr(o->decl, "hook ") == NULL)
		return 1;	/* named by maps and base chains */
	if (o->kind == FW_K_MAP)
		return 2;	/* named by base chains */
	return 3;		/* base chains */
}

/*
 * One table block. Objects come in reference order (sets, regular chains,
 * maps, base chains), so each is declared once, complete: a regular chain
 * can not be turned into a base chain by a second declaration.
 */
static void
fw_render_table(struct sb *s, const struct fw_ruleset *rs, int table)
{
	const char *spec = fw_table_spec(table);

	sb_addf(s, "add table %s\ndelete table %s\ntable %s {\n"
	    "\tcomment \"%s\"\n", spec, spec, spec, FW_SCHEMA);
	for (int ph = 0; ph < 4; ph++)
		for (size_t i = 0; i < rs->nobj; i++)
			if (rs->obj[i].table == table &&
			    fw_render_phase(&rs->obj[i]) == ph)
				fw_render_obj(s, &rs->obj[i]);
	sb_adds(s, "}\n");
}

int
fw_render(const struct fw_ruleset *rs, struct sb *script)
{
	sb_adds(script, "# sekisho firewall: full replace (generated)\n");
	fw_render_table(script, rs, FW_T_PORT);
	fw_render_table(script, rs, FW_T_SG);
	return sb_ok(script);
}
