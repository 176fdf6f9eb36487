/*
 * nftel_check: what nftel_check.c (the checks) takes from nftel_data.c
 * (rulesets the goldens lack, and the --bench timing).
 */
#ifndef SEKISHO_NFTEL_CHECK_H
#define SEKISHO_NFTEL_CHECK_H

#include "fw/fw.h"

/* A ruleset of every set and map type with the edge cases (whole address
 * spaces, ranges to the top, adjacent intervals, every data type). */
struct fw_ruleset *nftel_synthetic(void);
/* Three 1500-element sets (a batch larger than the socket's buffer). */
struct fw_ruleset *nftel_big(void);
void nftel_big_free(struct fw_ruleset *rs);
/* One element into a 1000-element set: nftel vs libnftables, timed. */
int nftel_bench(void);

#endif
