/*
 * nftel_check: the agent's libnftnl paths (src/agent/nftel*.c, nftrp.c)
 * against libnftables, in throwaway anonymous namespaces (root).
 *
 *   e2e-nftel [GOLDEN_DIR]     checks (default $GOLDEN, tests/golden/fw)
 *   e2e-nftel --bench          one element into a 1000-element set, timed
 *
 * For every golden input (tests/golden/fw/NAME.in.json, a desired state or
 * {"Old", "New"}) and every ruleset R compiled from it, plus a synthetic
 * ruleset (nftel_data.c) with the edge cases the goldens lack (whole address spaces,
 * ranges to the top, adjacent intervals, every data type), two
 * namespaces are compared with nftb_view / nftb_view_diff (what the
 * agent's drift check compares):
 *   a. X loads fw_render(R); Y loads R with every set and map empty and
 *      gets all elements through nftel_apply;
 *   b. a pseudo-random half P of every set's elements is deleted (X:
 *      `delete element` text, Y: nftel), then in one transaction the
 *      rest is deleted and P added back, then the rest added back;
 *   c. {"Old","New"} whose fw_diff only changes elements: X applies the
 *      fw_diff script, Y the same element changes through nftel;
 *   e. {"Old","New"}, both ways, whatever the delta changes: X (the
 *      agent's shadow) applies the fw_diff script, Y gets the batch
 *      nftrp_apply reads back from X (rules, new chains and sets) with
 *      the element changes encoded by nftel;
 *      and a batch that meets a table someone deleted is refused whole;
 *   d. refused batches (a missing set, an element deleted twice) return
 *      -ERR_INTERNAL and change nothing (view and generation), and an
 *      unencodable line returns -ERR_INVALID_PARAMETER before anything
 *      is sent.
 * One line per check ("ok   - ..." / "FAIL - ..."), last line
 * "nftel: N passed, N failed"; exit 1 on any failure.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <libnftnl/chain.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>

#include "agent/nftb.h"
#include "agent/nftel.h"
#include "agent/nftrp.h"
#include "nftel_check.h"
#include "fw/fw_int.h"
#include "lib/err.h"

static int npass, nfail;

static void report(int ok, const char *why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
report(int ok, const char *why, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok  " : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!ok && why && why[0])
		printf("\n\t%.1500s", why);
	printf("\n");
	fflush(stdout);
	if (ok)
		npass++;
	else
		nfail++;
}

/* ---- rulesets ----------------------------------------------------------- */

static int
is_elems(const struct fw_obj *o)
{
	return o->kind == FW_K_SET || o->kind == FW_K_MAP;
}

static struct fw_ruleset *
compile_doc(const json_t *j, struct sb *why)
{
	const char *host = json_string_value(json_object_get(j, "HostId"));
	struct fw_input *in = NULL;
	struct fw_ruleset *rs = NULL;
	char detail[FW_DETAIL_MAX] = "";

	if (fw_input_from_json_detail(j, host ? host : "host-local", &in,
	    detail) < 0 || fw_compile(in, &rs) < 0)
		sb_addf(why, "compile: %s", detail);
	fw_input_free(in);
	return rs;
}

/* fw_render(rs) with every set and map empty. */
static int
render_empty(const struct fw_ruleset *rs, struct sb *out)
{
	struct fw_obj *o = calloc(rs->nobj + 1, sizeof(*o));
	struct fw_ruleset e = { o, rs->nobj };
	int r;

	if (o == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < rs->nobj; i++) {
		o[i] = rs->obj[i];
		if (is_elems(&o[i]))
			o[i].nlines = 0;
	}
	r = fw_render(&e, out);
	free(o);
	return r;
}

/* ---- deltas -------------------------------------------------------------- */

/*
 * One transaction both ways: per set, the lines with del[o][i] set are
 * deleted and those with add[o][i] added (NULL masks: none). c/v for
 * nftel, text for libnftables (the form fw_diff writes).
 */
struct delta {
	struct nftel_change *c;
	size_t n;
	const char **v;
	struct sb text;
};

static void
delta_free(struct delta *d)
{
	free(d->c);
	free(d->v);
	sb_free(&d->text);
	memset(d, 0, sizeof(*d));
}

static void
delta_text(struct sb *s, const char *verb, const struct fw_obj *o,
    const char *const *lines, size_t n)
{
	if (n == 0)
		return;
	sb_addf(s, "%s element %s %s {\n", verb, fw_table_spec(o->table),
	    o->name);
	for (size_t i = 0; i < n; i++) {
		sb_adds(s, i ? ",\n\t" : "\t");
		if (verb[0] == 'd')
			fw_elem_key(s, lines[i]);
		else
			sb_adds(s, lines[i]);
	}
	sb_adds(s, "\n}\n");
}

static int
delta_build(const struct fw_ruleset *rs, uint8_t *const *del,
    uint8_t *const *add, struct delta *d)
{
	size_t total = 0, k = 0;

	memset(d, 0, sizeof(*d));
	for (size_t o = 0; o < rs->nobj; o++)
		total += rs->obj[o].nlines * 2;
	d->c = calloc(rs->nobj + 1, sizeof(*d->c));
	d->v = calloc(total + 1, sizeof(*d->v));
	if (d->c == NULL || d->v == NULL)
		return -ERR_NOMEM;
	for (size_t o = 0; o < rs->nobj; o++) {
		const struct fw_obj *ob = &rs->obj[o];
		struct nftel_change *c = &d->c[d->n];

		if (!is_elems(ob))
			continue;
		c->table = ob->table;
		c->set = ob->name;
		c->decl = ob->decl;
		c->del = &d->v[k];
		for (size_t i = 0; del && i < ob->nlines; i++)
			if (del[o][i])
				d->v[k++] = ob->lines[i], c->ndel++;
		c->add = &d->v[k];
		for (size_t i = 0; add && i < ob->nlines; i++)
			if (add[o][i])
				d->v[k++] = ob->lines[i], c->nadd++;
		delta_text(&d->text, "delete", ob, c->del, c->ndel);
		delta_text(&d->text, "add", ob, c->add, c->nadd);
		if (c->ndel || c->nadd)
			d->n++;
	}
	return sb_ok(&d->text);
}

/* masks[o][i] for every line; how: 1 all, 0 none, 2 random, 3 the
 * complement of other. */
static uint64_t rng_state;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static uint8_t **
masks_new(const struct fw_ruleset *rs, int how, uint8_t *const *other)
{
	uint8_t **m = calloc(rs->nobj + 1, sizeof(*m));

	if (m == NULL)
		return NULL;
	for (size_t o = 0; o < rs->nobj; o++) {
		if ((m[o] = calloc(rs->obj[o].nlines + 1, 1)) == NULL)
			return NULL;	/* (a test: leaking on OOM is fine) */
		for (size_t i = 0; i < rs->obj[o].nlines; i++)
			m[o][i] = how == 3 ? !other[o][i] : how == 2 ?
			    (uint8_t)(rng() >> 33 & 1) : (uint8_t)how;
	}
	return m;
}

static void
masks_free(const struct fw_ruleset *rs, uint8_t **m)
{
	for (size_t o = 0; m && o < rs->nobj; o++)
		free(m[o]);
	free(m);
}

/* ---- namespaces ---------------------------------------------------------- */

/* 1 when x and y show the same objects (why: the differences);
 * both: and both hold our two tables. */
static int
same_objects(struct nftb *x, struct nftb *y, int both, struct sb *why)
{
	struct nftb_view a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	struct sb e = SB_INIT;
	int ok = 0;

	if (nftb_view(x, &a, &e) < 0 || nftb_view(y, &b, &e) < 0)
		sb_addf(why, "view: %s", sb_str(&e));
	else if (both ? a.tables != 2 || b.tables != 2 : a.tables != b.tables)
		sb_addf(why, "tables: %d and %d", a.tables, b.tables);
	else
		ok = nftb_view_diff(&a, &b, why) == 0;
	nftb_view_free(&a);
	nftb_view_free(&b);
	sb_free(&e);
	return ok;
}

static int
same_view(struct nftb *x, struct nftb *y, struct sb *why)
{
	return same_objects(x, y, 1, why);
}

/* Both ways, then compare: X by text, Y by nftel. */
static void
step(const char *name, const char *what, struct nftb *x, struct nftb *y,
    const struct delta *d)
{
	struct sb why = SB_INIT;
	int r;

	if ((r = nftb_run(x, sb_str(&d->text), &why)) < 0)
		sb_addf(&why, " (libnftables script)\n%.600s", sb_str(&d->text));
	else if ((r = nftel_apply(nftb_nsfd(y), d->c, d->n, &why)) < 0)
		sb_addf(&why, " (nftel: %s)", err_name(r));
	report(r == 0 && same_view(x, y, &why), sb_str(&why), "%s: %s", name,
	    what);
	sb_free(&why);
}

/* a and b: X and Y as the caller then uses them (both NULL on error). */
static void
check_load_and_half(const char *name, const struct fw_ruleset *rs,
    struct nftb **xo, struct nftb **yo)
{
	struct sb full = SB_INIT, empty = SB_INIT, why = SB_INIT;
	struct nftb *x = NULL, *y = NULL;
	uint8_t **all = masks_new(rs, 1, NULL), **p = masks_new(rs, 2, NULL);
	uint8_t **q = p ? masks_new(rs, 3, p) : NULL;
	struct delta d;
	int r;

	*xo = *yo = NULL;
	if (all == NULL || q == NULL || fw_render(rs, &full) < 0 ||
	    render_empty(rs, &empty) < 0 || nftb_open(NULL, &x) < 0 ||
	    nftb_open(NULL, &y) < 0) {
		report(0, "setup", "%s: setup", name);
		goto out;
	}
	if ((r = nftb_run(x, sb_str(&full), &why)) < 0 ||
	    (r = nftb_run(y, sb_str(&empty), &why)) < 0) {
		report(0, sb_str(&why), "%s: load", name);
		goto out;
	}
	delta_build(rs, NULL, all, &d);
	/* The views must see the elements, or every check below is void. */
	if (d.n > 0 && same_view(x, y, &why)) {
		report(0, "", "%s: the empty load looks like the full one",
		    name);
		delta_free(&d);
		goto out;
	}
	sb_reset(&why);
	if ((r = nftel_apply(nftb_nsfd(y), d.c, d.n, &why)) < 0)
		sb_addf(&why, " (%s)", err_name(r));
	report(r == 0 && same_view(x, y, &why), sb_str(&why),
	    "%s: all elements through nftel == fw_render", name);
	delta_free(&d);
	sb_reset(&why);

	delta_build(rs, p, NULL, &d);
	step(name, "delete a random half", x, y, &d);
	delta_free(&d);
	delta_build(rs, q, p, &d);
	step(name, "delete the rest + add the half back, one batch", x, y, &d);
	delta_free(&d);
	delta_build(rs, NULL, q, &d);
	step(name, "add the rest back", x, y, &d);
	delta_free(&d);
	*xo = x;
	*yo = y;
	x = y = NULL;
out:
	nftb_close(x);
	nftb_close(y);
	masks_free(rs, all);
	masks_free(rs, p);
	masks_free(rs, q);
	sb_free(&full);
	sb_free(&empty);
	sb_free(&why);
}

/* ---- d: refusals --------------------------------------------------------- */

/* nftel_apply must fail with want and leave y as it was. */
static void
refused(const char *name, const char *what, struct nftb *x, struct nftb *y,
    const struct nftel_change *c, size_t n, int want)
{
	struct sb msg = SB_INIT, why = SB_INIT;
	uint32_t g0 = 0, g1 = 0;
	int r, ok;

	nftb_gen(y, &g0);
	r = nftel_apply(nftb_nsfd(y), c, n, &msg);
	nftb_gen(y, &g1);
	ok = r == want && msg.len > 0 && same_view(x, y, &why);
	if (r != want)
		sb_addf(&why, " (returned %s)", err_name(r));
	if (want == -ERR_INVALID_PARAMETER && g0 != g1)
		ok = 0, sb_adds(&why, " (a batch was sent)");
	report(ok, sb_str(&why), "%s: %s [%s]", name, what, sb_str(&msg));
	sb_free(&msg);
	sb_free(&why);
}

/* Nothing to do: 0, and no batch (the generation stays). */
static void
nothing(const char *name, struct nftb *y, const struct fw_obj *s)
{
	struct nftel_change c = { s->table, s->name, s->decl, NULL, 0, NULL,
	    0 };
	struct sb why = SB_INIT;
	uint32_t g0 = 0, g1 = 0;
	int r, r2;

	nftb_gen(y, &g0);
	r = nftel_apply(nftb_nsfd(y), NULL, 0, &why);
	r2 = nftel_apply(nftb_nsfd(y), &c, 1, &why);
	nftb_gen(y, &g1);
	report(r == 0 && r2 == 0 && g0 == g1, sb_str(&why),
	    "%s: no change sends nothing", name);
	sb_free(&why);
}

static void
check_refusals(const char *name, const struct fw_ruleset *rs, struct nftb *x,
    struct nftb *y)
{
	static const char *nosuch_line[] = { "192.0.2.1" };
	static const char *bad_line[] = { "not an element" };
	const struct fw_obj *s = NULL;
	struct nftel_change c[2];
	size_t k = 0, pick;

	for (size_t i = 0; i < rs->nobj; i++)
		k += is_elems(&rs->obj[i]) && rs->obj[i].nlines > 0;
	if (k == 0)
		return;
	pick = (size_t)(rng() % k);
	for (size_t i = 0; i < rs->nobj && s == NULL; i++)
		if (is_elems(&rs->obj[i]) && rs->obj[i].nlines > 0 &&
		    pick-- == 0)
			s = &rs->obj[i];
	nothing(name, y, s);
	memset(c, 0, sizeof(c));
	c[0].table = s->table;
	c[0].set = s->name;
	c[0].decl = s->decl;
	c[0].del = (const char *const *)&s->lines[rng() % s->nlines];
	c[0].ndel = 1;
	c[1].table = FW_T_SG;
	c[1].set = "nftel_nosuch";
	c[1].decl = "type ipv4_addr";
	c[1].add = nosuch_line;
	c[1].nadd = 1;
	refused(name, "refused: delete + add to a missing set", x, y, c, 2,
	    -ERR_INTERNAL);
	c[1] = c[0];
	refused(name, "refused: the same element deleted twice", x, y, c, 2,
	    -ERR_INTERNAL);
	c[1].del = NULL;
	c[1].ndel = 0;
	c[1].add = bad_line;
	c[1].nadd = 1;
	refused(name, "refused: an unencodable line, nothing sent", x, y, c, 2,
	    -ERR_INVALID_PARAMETER);
}

/* ---- the open batch (nftel_tx_*) ------------------------------------------- */

/* A chain message (type) and element changes in one batch, into y. */
static int
tx_chain(struct nftb *y, uint16_t type, const char *chain,
    const struct nftel_change *c, struct sb *err)
{
	struct nftel_tx *tx = NULL;
	struct nftnl_chain *ch = nftnl_chain_alloc();
	struct nlmsghdr *h;
	int r = -ERR_NOMEM;

	if (ch == NULL || nftel_tx_begin(&tx) < 0)
		goto out;
	nftnl_chain_set_str(ch, NFTNL_CHAIN_TABLE, FW_TABLE_SG);
	nftnl_chain_set_str(ch, NFTNL_CHAIN_NAME, chain);
	if ((h = nftel_tx_msg(tx, type, NFPROTO_INET,
	    type == NFT_MSG_NEWCHAIN ? NLM_F_CREATE : 0)) == NULL)
		goto out;
	nftnl_chain_nlmsg_build_payload(h, ch);
	if ((r = nftel_tx_end(tx, h)) == 0 &&
	    (r = nftel_tx_changes(tx, c, 1, err)) == 0)
		r = nftel_tx_commit(tx, nftb_nsfd(y), err);
out:
	nftel_tx_free(tx);
	if (ch)
		nftnl_chain_free(ch);
	return r;
}

/* nftrp's use: other messages beside the elements, one transaction. */
static void
check_tx(const char *name, const struct fw_obj *s, struct nftb *x,
    struct nftb *y)
{
	const char *line[1] = { s->lines[0] };
	struct nftel_change c = { s->table, s->name, s->decl, line, 1, NULL,
	    0 };
	struct sb why = SB_INIT, text = SB_INIT;
	int r;

	sb_addf(&text, "add chain inet %s nftel_tx_ch\n", FW_TABLE_SG);
	delta_text(&text, "delete", s, line, 1);
	if ((r = nftb_run(x, sb_str(&text), &why)) == 0 &&
	    (r = tx_chain(y, NFT_MSG_NEWCHAIN, "nftel_tx_ch", &c, &why)) < 0)
		sb_addf(&why, " (%s)", err_name(r));
	report(r == 0 && same_view(x, y, &why), sb_str(&why),
	    "%s: tx: add chain + delete element, one batch", name);
	sb_reset(&why);

	c.del = NULL, c.ndel = 0, c.add = line, c.nadd = 1;
	sb_reset(&text);
	r = tx_chain(y, NFT_MSG_DELCHAIN, "nftel_nosuch_ch", &c, &text);
	report(r == -ERR_INTERNAL && strstr(sb_str(&text), "delete chain") &&
	    same_view(x, y, &why), sb_str(&why),
	    "%s: tx: refused (missing chain), nothing changed [%s]", name,
	    sb_str(&text));
	sb_reset(&why);
	sb_reset(&text);

	sb_addf(&text, "delete chain inet %s nftel_tx_ch\n", FW_TABLE_SG);
	delta_text(&text, "add", s, line, 1);
	if ((r = nftb_run(x, sb_str(&text), &why)) == 0 &&
	    (r = tx_chain(y, NFT_MSG_DELCHAIN, "nftel_tx_ch", &c, &why)) < 0)
		sb_addf(&why, " (%s)", err_name(r));
	report(r == 0 && same_view(x, y, &why), sb_str(&why),
	    "%s: tx: delete chain + add element, one batch", name);
	sb_free(&why);
	sb_free(&text);
}

/* ---- c: fw_diff deltas ----------------------------------------------------- */

static int
elements_only(const struct fw_ruleset *a, const struct fw_ruleset *b)
{
	if (a->nobj != b->nobj)
		return 0;
	for (size_t i = 0; i < a->nobj; i++) {
		const struct fw_obj *x = &a->obj[i], *y = &b->obj[i];

		if (x->table != y->table || x->kind != y->kind ||
		    strcmp(x->name, y->name) != 0 || strcmp(x->decl, y->decl))
			return 0;
		if (!is_elems(x) && x->hash != y->hash)
			return 0;
	}
	return 1;
}

/* The element changes old -> new as one delta (the script is fw_diff's). */
static int
diff_delta(const struct fw_ruleset *a, const struct fw_ruleset *b,
    struct delta *d)
{
	size_t total = 0, k = 0;

	memset(d, 0, sizeof(*d));
	for (size_t o = 0; o < a->nobj; o++)
		total += a->obj[o].nlines + b->obj[o].nlines;
	d->c = calloc(a->nobj + 1, sizeof(*d->c));
	d->v = calloc(total + 1, sizeof(*d->v));
	if (d->c == NULL || d->v == NULL)
		return -ERR_NOMEM;
	for (size_t o = 0; o < a->nobj; o++) {
		const struct fw_obj *x = &a->obj[o], *y = &b->obj[o];
		struct nftel_change *c = &d->c[d->n];
		size_t i = 0, j = 0, nd = 0;

		if (!is_elems(x) || x->hash == y->hash)
			continue;
		c->table = x->table;
		c->set = x->name;
		c->decl = x->decl;
		c->del = &d->v[k];
		while (i < x->nlines || j < y->nlines) {
			int cmp = i == x->nlines ? 1 : j == y->nlines ? -1 :
			    strcmp(x->lines[i], y->lines[j]);

			if (cmp < 0)
				d->v[k++] = x->lines[i++], nd++;
			else if (cmp > 0)
				j++;
			else
				i++, j++;
		}
		c->ndel = nd;
		c->add = &d->v[k];
		for (i = 0, j = 0; j < y->nlines;) {
			int cmp = i == x->nlines ? 1 : strcmp(x->lines[i],
			    y->lines[j]);

			if (cmp < 0)
				i++;
			else if (cmp > 0)
				d->v[k++] = y->lines[j++], c->nadd++;
			else
				i++, j++;
		}
		d->n++;
	}
	return fw_diff(a, b, &d->text);
}

static void
check_diff(const char *name, const struct fw_ruleset *a,
    const struct fw_ruleset *b)
{
	struct sb full = SB_INIT, why = SB_INIT;
	struct nftb *x = NULL, *y = NULL;
	struct delta d;

	memset(&d, 0, sizeof(d));
	if (!elements_only(a, b)) {
		printf("skip - %s: fw_diff changes more than elements\n", name);
		return;
	}
	if (diff_delta(a, b, &d) < 0 || fw_render(a, &full) < 0 ||
	    nftb_open(NULL, &x) < 0 || nftb_open(NULL, &y) < 0 ||
	    nftb_run(x, sb_str(&full), &why) < 0 ||
	    nftb_run(y, sb_str(&full), &why) < 0) {
		report(0, sb_str(&why), "%s: Old -> New setup", name);
		goto out;
	}
	step(name, "Old -> New: fw_diff script == nftel", x, y, &d);
out:
	delta_free(&d);
	nftb_close(x);
	nftb_close(y);
	sb_free(&full);
	sb_free(&why);
}

/* ---- e: any delta, rules read back from the shadow ----------------------- */

static void
check_replay(const char *name, const char *dir, const struct fw_ruleset *a,
    const struct fw_ruleset *b)
{
	struct sb full = SB_INIT, text = SB_INIT, why = SB_INIT;
	struct nftb *x = NULL, *y = NULL;
	struct fw_delta d;
	int r = -1;

	if (fw_delta(a, b, &d) < 0 || fw_render(a, &full) < 0 ||
	    fw_delta_render(&d, b, &text) < 0 ||
	    nftb_open(NULL, &x) < 0 || nftb_open(NULL, &y) < 0 ||
	    nftb_run(x, sb_str(&full), &why) < 0 ||
	    nftb_run(y, sb_str(&full), &why) < 0) {
		report(0, sb_str(&why), "%s: %s setup", name, dir);
		goto out;
	}
	if (text.len == 0)
		goto out;	/* nothing to send */
	if (nftb_run(x, sb_str(&text), &why) < 0)
		sb_addf(&why, " (the shadow refused the script)");
	else if ((r = nftrp_apply(nftb_nsfd(y), nftb_nsfd(x), &d, &why)) == 1)
		printf("skip - %s: %s: not for the batch path\n", name, dir);
	if (r != 1)
		report(r == 0 && same_view(x, y, &why), sb_str(&why),
		    "%s: %s: shadow script == batch read back", name, dir);
out:
	fw_delta_free(&d);
	nftb_close(x);
	nftb_close(y);
	sb_free(&full);
	sb_free(&text);
	sb_free(&why);
}

/*
 * A batch that meets tables someone else changed is refused whole: Y lost
 * the table of the first chain the delta refills, so the kernel aborts
 * the transaction and Y stays exactly as it was (the agent then repairs
 * with a full load).
 */
static void
check_replay_refused(const char *name, const struct fw_ruleset *a,
    const struct fw_ruleset *b)
{
	struct sb full = SB_INIT, text = SB_INIT, why = SB_INIT, cmd = SB_INIT;
	struct nftb *x = NULL, *y = NULL, *z = NULL;
	const struct fw_obj *chain = NULL;
	struct fw_delta d;
	int r = 0;

	if (fw_delta(a, b, &d) < 0)
		return;
	for (size_t i = 0; i < d.n && chain == NULL; i++)
		if (d.v[i].op == FW_OP_REFILL && !strstr(d.v[i].new->decl, "hook "))
			chain = d.v[i].new;
	if (chain == NULL)
		goto out;	/* nothing refilled: nothing to break */
	/* (A chain that map elements jump to cannot be deleted alone.) */
	sb_addf(&cmd, "delete table %s\n", chain->table == FW_T_PORT ?
	    "bridge " FW_TABLE_PORT : "inet " FW_TABLE_SG);
	if (fw_render(a, &full) < 0 || fw_delta_render(&d, b, &text) < 0 ||
	    nftb_open(NULL, &x) < 0 || nftb_open(NULL, &y) < 0 ||
	    nftb_open(NULL, &z) < 0 ||
	    nftb_run(x, sb_str(&full), &why) < 0 ||
	    nftb_run(y, sb_str(&full), &why) < 0 ||
	    nftb_run(z, sb_str(&full), &why) < 0 ||
	    nftb_run(y, sb_str(&cmd), &why) < 0 ||
	    nftb_run(z, sb_str(&cmd), &why) < 0 ||
	    nftb_run(x, sb_str(&text), &why) < 0) {
		report(0, sb_str(&why), "%s: refused batch setup", name);
		goto out;
	}
	/* x: the shadow with the new state; y: broken real; z: y's twin. */
	r = nftrp_apply(nftb_nsfd(y), nftb_nsfd(x), &d, &why);
	if (r == 1)
		goto out;
	sb_reset(&why);
	report(r < 0 && same_objects(y, z, 0, &why), sb_str(&why),
	    "%s: a batch meeting a deleted table is refused, nothing changed",
	    name);
out:
	fw_delta_free(&d);
	nftb_close(x);
	nftb_close(y);
	nftb_close(z);
	sb_free(&full);
	sb_free(&text);
	sb_free(&why);
	sb_free(&cmd);
}

/* ---- files ----------------------------------------------------------------- */

static uint64_t
fnv(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 0x100000001b3ULL;
	return h | 1;
}

static void
check_ruleset(const char *name, const struct fw_ruleset *rs, int refuse)
{
	struct nftb *x = NULL, *y = NULL;

	rng_state = fnv(name);
	check_load_and_half(name, rs, &x, &y);
	if (x && refuse)
		check_refusals(name, rs, x, y);
	if (x && refuse > 1)
		for (size_t i = 0; i < rs->nobj; i++)
			if (is_elems(&rs->obj[i]) && rs->obj[i].nlines) {
				check_tx(name, &rs->obj[i], x, y);
				break;
			}
	nftb_close(x);
	nftb_close(y);
}

static void
check_file(const char *dir, const char *file)
{
	char path[1024], name[256];
	struct sb why = SB_INIT;
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	snprintf(name, sizeof(name), "%.*s", (int)(strlen(file) - 8), file);
	if ((j = json_load_file(path, 0, &je)) == NULL) {
		report(0, je.text, "%s: load", name);
		return;
	}
	if (json_object_get(j, "Old")) {
		struct fw_ruleset *a = compile_doc(json_object_get(j, "Old"),
		    &why);
		struct fw_ruleset *b = compile_doc(json_object_get(j, "New"),
		    &why);
		char n2[300];

		if (a == NULL || b == NULL) {
			report(0, sb_str(&why), "%s: compile", name);
		} else {
			snprintf(n2, sizeof(n2), "%s/Old", name);
			check_ruleset(n2, a, 1);
			snprintf(n2, sizeof(n2), "%s/New", name);
			check_ruleset(n2, b, 0);
			check_diff(name, a, b);
			check_replay(name, "Old -> New", a, b);
			check_replay(name, "New -> Old", b, a);
			check_replay_refused(name, a, b);
		}
		fw_ruleset_free(a);
		fw_ruleset_free(b);
	} else {
		struct fw_ruleset *a = compile_doc(j, &why);

		if (a == NULL)
			report(0, sb_str(&why), "%s: compile", name);
		else
			check_ruleset(name, a, 1);
		fw_ruleset_free(a);
	}
	json_decref(j);
	sb_free(&why);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
check_all(const char *dir)
{
	struct fw_ruleset *s = nftel_synthetic();
	char *names[256];
	size_t n = 0;
	struct dirent *de;
	DIR *d;

	check_ruleset("synthetic", s, 2);
	free(s->obj);
	free(s);
	s = nftel_big();
	check_ruleset("big", s, 1);
	nftel_big_free(s);
	if ((d = opendir(dir)) == NULL) {
		report(0, dir, "golden directory");
		return 1;
	}
	while ((de = readdir(d)) != NULL && n < 256) {
		size_t l = strlen(de->d_name);

		if (l > 8 && strcmp(de->d_name + l - 8, ".in.json") == 0)
			names[n++] = strdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	if (n == 0)
		report(0, dir, "no golden inputs");
	for (size_t i = 0; i < n; i++) {
		check_file(dir, names[i]);
		free(names[i]);
	}
	printf("nftel: %d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}

int
main(int argc, char **argv)
{
	const char *dir = getenv("GOLDEN");

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (geteuid() != 0) {
		printf("nftel: skipped (needs root: network namespaces)\n");
		printf("nftel: 0 passed, 0 failed\n");
		return 0;
	}
	if (argc > 1 && strcmp(argv[1], "--bench") == 0)
		return nftel_bench();
	if (argc > 1)
		dir = argv[1];
	return check_all(dir ? dir : "tests/golden/fw");
}
