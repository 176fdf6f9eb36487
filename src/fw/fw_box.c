/*
 * fw_box: the elements of one run set made pairwise disjoint. A run is a
 * sequence of same-verdict rules, so their union is all that matters; but
 * the kernel's interval sets must not hold overlapping elements, and each
 * element carries the id of the rule the engine would report for it. So
 * each new box (prefix x protocols x ports) is cut by every box already
 * in the set, earlier rules keeping the overlap:
 *   B - A = (B.prefix - A.prefix) x B.protos x B.ports     (A inside B)
 *         + P x (B.protos - A.protos) x B.ports
 *         + P x (B.protos & A.protos) x (B.ports - A.ports)
 * with P the smaller of the two (nested) prefixes; a prefix difference is
 * the siblings along the path from B down to A (at most 128 prefixes), a
 * range difference at most two ranges.
 */
#include <stdlib.h>
#include <string.h>

#include "fw/fw_int.h"
#include "lib/err.h"

static int
fw_boxes_push(struct fw_boxes *l, const struct fw_box *b)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 16;
		struct fw_box *nv = realloc(l->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return -ERR_NOMEM;
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n++] = *b;
	return 0;
}

void
fw_boxes_free(struct fw_boxes *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
fw_box_meets(const struct fw_box *a, const struct fw_box *b)
{
	return cidr_overlaps(&a->pfx, &b->pfx) && a->plo <= b->phi &&
	    b->plo <= a->phi && a->lo <= b->hi && b->lo <= a->hi;
}

/* Pushes the pieces of [lo, hi] outside [xlo, xhi] (they overlap). */
static int
fw_range_rest(unsigned lo, unsigned hi, unsigned xlo, unsigned xhi,
    unsigned out[2][2], int *n)
{
	*n = 0;
	if (lo < xlo) {
		out[*n][0] = lo;
		out[(*n)++][1] = xlo - 1;
	}
	if (hi > xhi) {
		out[*n][0] = xhi + 1;
		out[(*n)++][1] = hi;
	}
	return 0;
}

/* Appends b - a to out. */
static int
fw_box_sub(const struct fw_box *b, const struct fw_box *a,
    struct fw_boxes *out)
{
	struct fw_box p = *b;
	unsigned rest[2][2];
	int n, r;

	if (!fw_box_meets(a, b))
		return fw_boxes_push(out, b);
	/* prefix: the siblings of a's path below b */
	for (unsigned len = (unsigned)b->pfx.len + 1; len <= a->pfx.len;
	    len++) {
		p.pfx = a->pfx;
		p.pfx.len = (uint8_t)len;
		cidr_mask(&p.pfx);
		p.pfx.addr[(len - 1) / 8] ^= (uint8_t)(0x80 >> ((len - 1) % 8));
		if ((r = fw_boxes_push(out, &p)) < 0)
			return r;
	}
	p = *b;
	if (a->pfx.len > b->pfx.len)
		p.pfx = a->pfx;
	/* protocols outside a's */
	fw_range_rest(b->plo, b->phi, a->plo, a->phi, rest, &n);
	for (int i = 0; i < n; i++) {
		struct fw_box q = p;

		q.plo = (uint8_t)rest[i][0];
		q.phi = (uint8_t)rest[i][1];
		if ((r = fw_boxes_push(out, &q)) < 0)
			return r;
	}
	/* shared protocols, ports outside a's */
	p.plo = b->plo > a->plo ? b->plo : a->plo;
	p.phi = b->phi < a->phi ? b->phi : a->phi;
	fw_range_rest(b->lo, b->hi, a->lo, a->hi, rest, &n);
	for (int i = 0; i < n; i++) {
		struct fw_box q = p;

		q.lo = (uint16_t)rest[i][0];
		q.hi = (uint16_t)rest[i][1];
		if ((r = fw_boxes_push(out, &q)) < 0)
			return r;
	}
	return 0;
}

int
fw_boxes_add(struct fw_boxes *l, const struct fw_box *b)
{
	struct fw_boxes cur = { NULL, 0, 0 }, next = { NULL, 0, 0 };
	size_t have = l->n;
	int r;

	if ((r = fw_boxes_push(&cur, b)) < 0)
		goto out;
	cur.v[0].pfx.len = b->pfx.len;
	cidr_mask(&cur.v[0].pfx);
	for (size_t i = 0; i < have && cur.n > 0; i++) {
		next.n = 0;
		for (size_t k = 0; k < cur.n; k++)
			if ((r = fw_box_sub(&cur.v[k], &l->v[i], &next)) < 0)
				goto out;
		{
			struct fw_boxes t = cur;

			cur = next;
			next = t;
		}
	}
	for (size_t k = 0; k < cur.n; k++)
		if ((r = fw_boxes_push(l, &cur.v[k])) < 0)
			goto out;
	r = 0;
out:
	fw_boxes_free(&cur);
	fw_boxes_free(&next);
	return r;
}
