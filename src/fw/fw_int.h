/*
 * fw_int: the firewall compiler's private interface, shared by
 *   fw_input.c  desired-state JSON -> struct fw_input (validation)
 *   fw_port.c   host-local assignments (port names, marks), lookups, and
 *               loading the input into the decision engine
 *   fw_obj.c    the ruleset builder, canonical order and hashes, render
 *   fw_diff.c   the delta script between two rulesets
 *   fw_comp.c   the two tables: base chains, dispatch maps, shared sets
 *   fw_prof.c   one profile chain: blocks, inner items, rule runs
 *   fw_box.c    disjoint set elements for a run (overlap removal)
 */
#ifndef SEKISHO_FW_INT_H
#define SEKISHO_FW_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "fw/fw.h"

#define FW_SCHEMA "sekisho fw v1"	/* table comment */

/* 64-bit FNV-1a, continued from h (start with FW_FNV_INIT). */
#define FW_FNV_INIT 0xcbf29ce484222325ULL
uint64_t fw_fnv(uint64_t h, const void *p, size_t n);

/* ---- builder (fw_obj.c) --------------------------------------------- */

struct fw_rsb {
	struct fw_obj *obj;
	size_t n;
	size_t cap;
	int err;			/* first error; later calls do nothing */
};

/* Adds an object; returns its index (or (size_t)-1 after an error). decl
 * is a printf format; lines are added with fw_rsb_line. */
size_t fw_rsb_obj(struct fw_rsb *b, int table, int kind, const char *name,
    const char *declfmt, ...) __attribute__((format(printf, 5, 6)));
void fw_rsb_line(struct fw_rsb *b, size_t obj, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void fw_rsb_vline(struct fw_rsb *b, size_t obj, const char *fmt, va_list ap);
/* Sorts set/map elements (dropping duplicates), sorts the objects, checks
 * names are unique, hashes. Frees the builder's state either way. */
int fw_rsb_finish(struct fw_rsb *b, struct fw_ruleset **out);
void fw_rsb_free(struct fw_rsb *b);

/* Rendering helpers shared with fw_diff.c. */
const char *fw_table_spec(int table);	/* "bridge sekisho_port" */
const char *fw_kind_word(int kind);	/* "set", "map", "chain" */
/* decl with newlines turned into "; " (for "add set … { decl; }"). */
void fw_decl_inline(struct sb *s, const char *decl);
/* The key of an element line: up to " : " or " comment ". */
void fw_elem_key(struct sb *s, const char *line);

/* ---- text helpers (fw_comp.c) --------------------------------------- */

/* Masked prefix, bare address for host prefixes. buf >= CIDR_STR_MAX. */
void fw_cidr_text(const struct cidr *c, char *buf, size_t len);
void fw_addr_text(const struct cidr *c, char *buf, size_t len);
/* "lo" or "lo-hi". */
void fw_ports_text(unsigned lo, unsigned hi, char *buf, size_t len);
/* "tcp", "udp", "icmp", "gre", "ipv6-icmp" or the number; lo-hi range. */
void fw_proto_text(unsigned lo, unsigned hi, char *buf, size_t len);

/* ---- profiles (fw_prof.c) ------------------------------------------- */

struct fw_prof {
	char *key;			/* "v|<vpc>|g1,g2" or "c||g1,g2" */
	char name[24];			/* "p_" + 12 hex */
	long vpc;			/* index, -1 classic */
	size_t groups[FW_ENI_GROUPS_MAX]; /* sorted indexes (= by id) */
	size_t ngroups;
	uint8_t need_intra;		/* chains _in/_eg */
	uint8_t need_net;		/* classic internet chains _in_net/_eg_net */
};

/* Group sets referenced by the compiled chains (indexes into groups). */
struct fw_refs {
	uint8_t *group;			/* [ngroups] */
	uint8_t *vpc;			/* [nvpcs]: its intra sets are used */
};

/* Emits the chains (and run sets) of one profile into table inet. */
int fw_prof_emit(struct fw_rsb *b, const struct fw_input *in,
    const struct fw_prof *p, struct fw_refs *refs);

/* ---- boxes (fw_box.c) ----------------------------------------------- */

/* One element of a run set: prefix x protocol range x port range. */
struct fw_box {
	struct cidr pfx;		/* masked */
	uint8_t plo, phi;		/* protocol numbers */
	uint16_t lo, hi;		/* destination ports (ignored: 0-65535) */
	const char *rule_id;		/* comment */
};

struct fw_boxes {
	struct fw_box *v;
	size_t n;
	size_t cap;
};

/* Adds b minus every box already in the list (keeps the list pairwise
 * disjoint; earlier boxes keep the overlap). 0 or -ERR_NOMEM. */
int fw_boxes_add(struct fw_boxes *l, const struct fw_box *b);
void fw_boxes_free(struct fw_boxes *l);

/* ---- ports (fw_port.c) ---------------------------------------------- */

int fw_ports_assign(struct fw_input *in);

#endif
