/*
 * fw_diff: the delta between two compiled rulesets as one nft script (one
 * transaction). Objects are matched by (table, kind, name); equal hashes
 * mean equal objects and cost nothing. The order of the phases makes every
 * reference valid at the point it is made, inside one batch:
 *
 *   1. create new chains (empty), then new sets/maps with their elements;
 *   2. changed sets/maps: delete the elements that went, add the new ones
 *      (deletes first: an interval set never holds two overlapping
 *      elements, even transiently);
 *   3. changed chains: flush + re-add their rules; then fill new chains;
 *   4. delete removed chains (nothing jumps to them any more: map elements
 *      went in 2, rules in 3), then removed sets/maps (no rule names
 *      them any more).
 *
 * A declaration change under the same name cannot be expressed as a delta
 * of that object while rules still reference it; the compiler's naming
 * never produces one, and if it ever did the full replace is emitted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fw/fw_int.h"
#include "lib/err.h"

/* Index of old's counterpart of n (SIZE_MAX when new). */
static size_t
fw_diff_match(const struct fw_ruleset *rs, const struct fw_obj *o)
{
	const struct fw_obj *m = fw_obj_find(rs, o->table, o->kind, o->name);

	return m ? (size_t)(m - rs->obj) : SIZE_MAX;
}

static void
fw_cmd_head(struct sb *s, const char *verb, const struct fw_obj *o)
{
	sb_addf(s, "%s %s %s %s", verb, fw_kind_word(o->kind),
	    fw_table_spec(o->table), o->name);
}

static void
fw_cmd_create(struct sb *s, const struct fw_obj *o)
{
	fw_cmd_head(s, "add", o);
	if (o->kind != FW_K_CHAIN || o->decl[0]) {
		size_t n = strlen(o->decl);

		sb_adds(s, " { ");
		fw_decl_inline(s, o->decl);
		sb_adds(s, n && o->decl[n - 1] == ';' ? " }" : "; }");
	}
	sb_addc(s, '\n');
}

/* "add element …" or "delete element …" for lines[i] where pick[i]. */
static void
fw_cmd_elems(struct sb *s, const char *verb, const struct fw_obj *o,
    const uint8_t *pick, int keys_only)
{
	int any = 0;

	for (size_t i = 0; i < o->nlines; i++) {
		if (pick && !pick[i])
			continue;
		if (!any)
			sb_addf(s, "%s element %s %s {\n", verb,
			    fw_table_spec(o->table), o->name);
		else
			sb_adds(s, ",\n");
		sb_adds(s, "\t");
		if (keys_only)
			fw_elem_key(s, o->lines[i]);
		else
			sb_adds(s, o->lines[i]);
		any = 1;
	}
	if (any)
		sb_adds(s, "\n}\n");
}

static void
fw_cmd_rules(struct sb *s, const struct fw_obj *o)
{
	for (size_t i = 0; i < o->nlines; i++)
		sb_addf(s, "add rule %s %s %s\n", fw_table_spec(o->table),
		    o->name, o->lines[i]);
}

/*
 * Marks in go[] the lines of a that are not in b and in come[] the lines
 * of b not in a (both sorted, unique: sets and maps after finish).
 */
static int
fw_elem_delta(const struct fw_obj *a, const struct fw_obj *b, uint8_t **go,
    uint8_t **come)
{
	size_t i = 0, j = 0;

	*go = calloc(a->nlines + 1, 1);
	*come = calloc(b->nlines + 1, 1);
	if (*go == NULL || *come == NULL)
		return -ERR_NOMEM;
	while (i < a->nlines || j < b->nlines) {
		int c = i == a->nlines ? 1 : j == b->nlines ? -1 :
		    strcmp(a->lines[i], b->lines[j]);

		if (c < 0)
			(*go)[i++] = 1;
		else if (c > 0)
			(*come)[j++] = 1;
		else
			i++, j++;
	}
	return 0;
}

static int
fw_diff_needs_full(const struct fw_ruleset *old, const struct fw_ruleset *new)
{
	for (size_t i = 0; i < new->nobj; i++) {
		const struct fw_obj *n = &new->obj[i];
		size_t k = fw_diff_match(old, n);

		if (k != SIZE_MAX && strcmp(old->obj[k].decl, n->decl) != 0)
			return 1;
	}
	return 0;
}

/* Appends one operation; 0 or -ERR_NOMEM. */
static int
fw_delta_push(struct fw_delta *d, int op, const struct fw_obj *o,
    const struct fw_obj *n)
{
	struct fw_op *v;

	if (d->n % 32 == 0) {
		if ((v = realloc(d->v, (d->n + 32) * sizeof(*v))) == NULL)
			return -ERR_NOMEM;
		d->v = v;
	}
	v = &d->v[d->n++];
	memset(v, 0, sizeof(*v));
	v->op = op;
	v->old = o;
	v->new = n;
	if (op == FW_OP_ELEMS)
		return fw_elem_delta(o, n, &v->go, &v->come);
	return 0;
}

int
fw_delta(const struct fw_ruleset *old, const struct fw_ruleset *new,
    struct fw_delta *d)
{
	int r = 0;

	memset(d, 0, sizeof(*d));
	if (old == NULL || fw_diff_needs_full(old, new)) {
		d->full = 1;
		return 0;
	}
	/* 1. creations: chains (empty), then sets and maps */
	for (size_t pass = 0; pass < 2 && r == 0; pass++)
		for (size_t i = 0; i < new->nobj && r == 0; i++) {
			const struct fw_obj *n = &new->obj[i];

			if ((n->kind == FW_K_CHAIN) == (pass == 0) &&
			    fw_diff_match(old, n) == SIZE_MAX)
				r = fw_delta_push(d, FW_OP_CREATE, NULL, n);
		}
	/* 2. element deltas */
	for (size_t i = 0; i < new->nobj && r == 0; i++) {
		const struct fw_obj *n = &new->obj[i];
		size_t k = fw_diff_match(old, n);

		if (n->kind != FW_K_CHAIN && k != SIZE_MAX &&
		    old->obj[k].hash != n->hash)
			r = fw_delta_push(d, FW_OP_ELEMS, &old->obj[k], n);
	}
	/* 3. chains: changed, then new */
	for (size_t pass = 0; pass < 2 && r == 0; pass++)
		for (size_t i = 0; i < new->nobj && r == 0; i++) {
			const struct fw_obj *n = &new->obj[i];
			size_t k = fw_diff_match(old, n);

			if (n->kind != FW_K_CHAIN)
				continue;
			if (pass == 0 && k != SIZE_MAX &&
			    old->obj[k].hash != n->hash)
				r = fw_delta_push(d, FW_OP_REFILL,
				    &old->obj[k], n);
			else if (pass == 1 && k == SIZE_MAX)
				r = fw_delta_push(d, FW_OP_FILL, NULL, n);
		}
	/* 4. removals: chains, then sets and maps */
	for (size_t pass = 0; pass < 2 && r == 0; pass++)
		for (size_t i = 0; i < old->nobj && r == 0; i++) {
			const struct fw_obj *o = &old->obj[i];

			if ((o->kind == FW_K_CHAIN) == (pass == 0) &&
			    fw_diff_match(new, o) == SIZE_MAX)
				r = fw_delta_push(d, FW_OP_DELETE, o, NULL);
		}
	if (r < 0)
		fw_delta_free(d);
	return r;
}

int
fw_delta_elems_only(const struct fw_delta *d)
{
	if (d->full)
		return 0;
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].op != FW_OP_ELEMS)
			return 0;
	return 1;
}

void
fw_delta_free(struct fw_delta *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].go);
		free(d->v[i].come);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

int
fw_delta_render(const struct fw_delta *d, const struct fw_ruleset *new,
    struct sb *script)
{
	struct sb s = SB_INIT;
	int r;

	if (d->full)
		return fw_render(new, script);
	for (size_t i = 0; i < d->n; i++) {
		const struct fw_op *op = &d->v[i];

		switch (op->op) {
		case FW_OP_CREATE:
			fw_cmd_create(&s, op->new);
			if (op->new->kind != FW_K_CHAIN)
				fw_cmd_elems(&s, "add", op->new, NULL, 0);
			break;
		case FW_OP_ELEMS:
			fw_cmd_elems(&s, "delete", op->old, op->go, 1);
			fw_cmd_elems(&s, "add", op->new, op->come, 0);
			break;
		case FW_OP_REFILL:
			fw_cmd_head(&s, "flush", op->new);
			sb_addc(&s, '\n');
			/* FALLTHROUGH */
		case FW_OP_FILL:
			fw_cmd_rules(&s, op->new);
			break;
		case FW_OP_DELETE:
			if (op->old->kind == FW_K_CHAIN) {
				fw_cmd_head(&s, "flush", op->old);
				sb_addc(&s, '\n');
			}
			fw_cmd_head(&s, "delete", op->old);
			sb_addc(&s, '\n');
			break;
		}
	}
	if ((r = sb_ok(&s)) == 0 && s.len > 0) {
		sb_adds(script, "# sekisho firewall: delta (generated)\n");
		sb_addn(script, s.p, s.len);
		r = sb_ok(script);
	}
	sb_free(&s);
	return r;
}

int
fw_diff(const struct fw_ruleset *old, const struct fw_ruleset *new,
    struct sb *script)
{
	struct fw_delta d;
	int r;

	if ((r = fw_delta(old, new, &d)) == 0)
		r = fw_delta_render(&d, new, script);
	fw_delta_free(&d);
	return r;
}
