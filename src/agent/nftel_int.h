/*
 * nftel_int: what the two files of nftel share (nftel.h is the API).
 *
 *   nftel_enc.c   decls and element lines parsed into struct
 *                 nftel_parsed, and encoded into libnftnl set elements;
 *                 pure: no sockets, no batch
 *   nftel.c       the batch (nftel_tx_*), sending, the ACKs, error
 *                 reports, nftel_apply()
 */
#ifndef SEKISHO_NFTEL_INT_H
#define SEKISHO_NFTEL_INT_H

#include <stddef.h>
#include <stdint.h>

#include <linux/netfilter/nf_tables.h>

#include "agent/nftel.h"
#include "lib/sb.h"

#define NFTEL_FIELDS_MAX 8
#define NFTEL_KEY_MAX NFT_DATA_VALUE_MAXLEN	/* 64 */

/* Element types; their names and sizes are nftel_types[] (nftel_enc.c). */
enum nftel_t {
	NT_IFNAME, NT_ETHER, NT_IPV4, NT_IPV6, NT_MARK, NT_PROTO, NT_SERVICE,
	NT_ZONE, NT_VERDICT
};

enum nftel_kind { NK_PLAIN, NK_PIPAPO, NK_RBTREE };

struct nftel_decl {
	uint8_t key[NFTEL_FIELDS_MAX];	/* enum nftel_t */
	size_t nkey;
	size_t klen;			/* key bytes */
	int map;
	uint8_t data;			/* enum nftel_t, when map */
	int interval;
	int kind;			/* enum nftel_kind */
};

/* One parsed element line. */
struct nftel_el {
	const char *line;
	uint8_t key[NFTEL_KEY_MAX];	/* start */
	uint8_t end[NFTEL_KEY_MAX];	/* inclusive end (= key: one value) */
	uint8_t data[4];
	uint8_t dlen;			/* 0: verdict (maps) */
	int32_t verdict;
	const char *chain;		/* jump / goto target, in line */
	size_t chainlen;
	const char *comment;		/* in line, without quotes */
	size_t commentlen;
};

/* One change, parsed. */
struct nftel_parsed {
	struct nftel_decl d;
	struct nftel_el *del, *add;
};

/* One netlink element: a line's element, or an rbtree range's end. */
struct nftel_out {
	const struct nftel_el *e;
	uint8_t key[16];		/* rbtree: the sort key (start or end) */
	uint8_t end;			/* rbtree interval end element */
};

struct nftnl_set_elem;

/*
 * Parses c (its table, set name, decl, and every line) into p, which
 * the caller has zeroed. p->del and p->add (c->ndel and c->nadd entries)
 * are the caller's to free, also after an error; they point into c's
 * strings. -ERR_INVALID_PARAMETER (err, may be NULL, names the set and
 * the line), -ERR_NOMEM.
 */
int nftel_parse(const struct nftel_change *c, struct nftel_parsed *p,
    struct sb *err);

/*
 * The netlink elements of els[0..n) in the order they are sent (rbtree:
 * starts and ends, by key). *out is the caller's to free (free()), also
 * after an error; its entries point into els. 0 or -ERR_NOMEM.
 */
int nftel_outs(const struct nftel_decl *d, const struct nftel_el *els,
    size_t n, struct nftel_out **out, size_t *nout);

/*
 * The libnftnl element of o (add: with data and comment) in *out, the
 * caller's to free (nftnl_set_elem_free). 0 or -ERR_NOMEM.
 */
int nftel_elem(const struct nftel_decl *d, const struct nftel_out *o,
    int add, struct nftnl_set_elem **out);

/* A table as nft names it ("inet sekisho"), for error reports. */
const char *nftel_spec(int table);

#endif
