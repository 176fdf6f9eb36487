/*
 * nftrp: a fw_diff delta that changes chains or creates sets, applied to
 * the real tables as one libnftnl/libmnl batch whose rules and new sets
 * are read back from the shadow namespace after the shadow took the
 * delta as text (nftrp.c says why). Element changes are encoded by
 * nftel.
 */
#ifndef SEKISHO_NFTRP_H
#define SEKISHO_NFTRP_H

#include "fw/fw.h"
#include "lib/sb.h"

/*
 * real_nsfd: the namespace to change (holding the delta's old state);
 * shadow_nsfd: one that already holds its new state. 0 when the real
 * tables committed the whole delta in one transaction; 1 when the delta
 * has something this path does not express (a base chain, an anonymous
 * set, a full replace; nothing was sent: use the text); -ERR_x when the
 * shadow could not be read or the kernel refused (err says; the
 * transaction was aborted, nothing changed).
 */
int nftrp_apply(int real_nsfd, int shadow_nsfd, const struct fw_delta *d,
    struct sb *err);

/* An elements-only delta (fw_delta_elems_only) as one nftel batch into
 * nsfd. 0, or -ERR_x (err says; the kernel aborted it: nothing changed). */
int nftrp_elems(int nsfd, const struct fw_delta *d, struct sb *err);

#endif
