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
fw_diff_elems(struct sb *s, const struct fw_obj *a, const struct fw_obj *b)
{
	uint8_t *go = NULL, *come = NULL;
	int r;

	if ((r = fw_elem_delta(a, b, &go, &come)) == 0) {
		fw_cmd_elems(s, "delete", a, go, 1);
		fw_cmd_elems(s, "add", b, come, 0);
	}
	free(go);
	free(come);
	return r;
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

int
fw_diff(const struct fw_ruleset *old, const struct fw_ruleset *new,
    struct sb *script)
{
	struct sb s = SB_INIT;
	int r = 0;

	if (old == NULL || fw_diff_needs_full(old, new))
		return fw_render(new, script);
	/* 1. creations: chains (empty), then sets and maps */
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < new->nobj; i++) {
			const struct fw_obj *n = &new->obj[i];

			if ((n->kind == FW_K_CHAIN) != (pass == 0) ||
			    fw_diff_match(old, n) != SIZE_MAX)
				continue;
			fw_cmd_create(&s, n);
			if (n->kind != FW_K_CHAIN)
				fw_cmd_elems(&s, "add", n, NULL, 0);
		}
	/* 2. element deltas */
	for (size_t i = 0; i < new->nobj && r == 0; i++) {
		const struct fw_obj *n = &new->obj[i];
		size_t k = fw_diff_match(old, n);

		if (n->kind != FW_K_CHAIN && k != SIZE_MAX &&
		    old->obj[k].hash != n->hash)
			r = fw_diff_elems(&s, &old->obj[k], n);
	}
	/* 3. chains: changed, then new */
	for (size_t pass = 0; pass < 2 && r == 0; pass++)
		for (size_t i = 0; i < new->nobj; i++) {
			const struct fw_obj *n = &new->obj[i];
			size_t k = fw_diff_match(old, n);

			if (n->kind != FW_K_CHAIN)
				continue;
			if (pass == 0 && k != SIZE_MAX &&
			    old->obj[k].hash != n->hash) {
				fw_cmd_head(&s, "flush", n);
				sb_addc(&s, '\n');
				fw_cmd_rules(&s, n);
			} else if (pass == 1 && k == SIZE_MAX) {
				fw_cmd_rules(&s, n);
			}
		}
	/* 4. removals: chains, then sets and maps */
	for (size_t pass = 0; pass < 2 && r == 0; pass++)
		for (size_t i = 0; i < old->nobj; i++) {
			const struct fw_obj *o = &old->obj[i];

			if ((o->kind == FW_K_CHAIN) != (pass == 0) ||
			    fw_diff_match(new, o) != SIZE_MAX)
				continue;
			if (o->kind == FW_K_CHAIN) {
				fw_cmd_head(&s, "flush", o);
				sb_addc(&s, '\n');
			}
			fw_cmd_head(&s, "delete", o);
			sb_addc(&s, '\n');
		}
	if (r == 0 && (r = sb_ok(&s)) == 0 && s.len > 0) {
		sb_adds(script, "# sekisho firewall: delta (generated)\n");
		sb_addn(script, s.p, s.len);
		r = sb_ok(script);
	}
	sb_free(&s);
	return r;
}
