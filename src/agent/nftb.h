/*
 * nftb: the nftables backend — a libnftables context bound to one network
 * namespace, and the reading-back of our own tables for reconcile/drift.
 *
 * A context is opened inside its namespace (the netlink socket stays
 * there) and every call re-enters that namespace for its duration, so
 * the calling thread is back where it was when a call returns. Two kinds:
 *   nftb_open("sekisho-host")  the host namespace the packets cross;
 *   nftb_open(NULL)            a "shadow": a fresh anonymous namespace that
 *                              receives the same scripts. Listing it gives
 *                              exactly the kernel's canonical form of what
 *                              we compiled, to compare the real tables
 *                              with, and a script that fails there never
 *                              reaches the real tables.
 *
 * Views. nftb_view() lists only our two tables (fw.h FW_TABLE_*; never the
 * whole ruleset) as JSON and reduces each object to one canonical string:
 * handles dropped, counters zeroed, set/map elements sorted, a chain's
 * rules kept in order. Two views compare object by object
 * (nftb_view_diff), which names what differs for the Drift report.
 */
#ifndef SEKISHO_NFTB_H
#define SEKISHO_NFTB_H

#include <stddef.h>
#include <stdint.h>

#include "lib/sb.h"

struct nftb;

/* One object of a view: key "chain inet sekisho sk_fwd" (tables: "table
 * bridge sekisho_port"; a chain's rules: "rules inet sekisho sk_fwd");
 * val its canonical JSON. */
struct nftb_obj {
	char *key;
	char *val;
	size_t count;			/* rules or elements */
};

struct nftb_view {
	struct nftb_obj *v;		/* sorted by key */
	size_t n;
	int tables;			/* how many of our tables exist */
};

/* ns NULL: a new anonymous namespace. 0, -ERR_NOT_FOUND, -ERR_INTERNAL. */
int nftb_open(const char *ns, struct nftb **out);
void nftb_close(struct nftb *b);	/* NULL-safe */

/* 1 when /run/netns/<name> is still the namespace b lives in (a
 * namespace deleted and made anew under the same name is another one). */
int nftb_same_ns(const struct nftb *b, const char *name);

/* The namespace b lives in (an fd owned by b), for other netlink users
 * (nftel.h). */
int nftb_nsfd(const struct nftb *b);

/* Runs script as one transaction; err receives nft's messages. */
int nftb_run(struct nftb *b, const char *script, struct sb *err);
/* Runs a listing command with JSON output into out. */
int nftb_list_json(struct nftb *b, const char *cmd, struct sb *out,
    struct sb *err);

/* The ruleset generation of b's namespace (nftb_gen.c). */
int nftb_gen(struct nftb *b, uint32_t *gen);
int nftb_gen_read(int nsfd, uint32_t *gen);

int nftb_view(struct nftb *b, struct nftb_view *out, struct sb *err);
void nftb_view_free(struct nftb_view *v);	/* NULL-safe */
/*
 * Compares want (expected) with have (actual): appends one
 * "object\tchange" line per difference to out and returns how many
 * (0 = equal), or -ERR_NOMEM.
 */
int nftb_view_diff(const struct nftb_view *want, const struct nftb_view *have,
    struct sb *out);

#endif
