/*
 * eng_int: the decision engine's private structures, shared by
 *   eng.c       the model (groups, rules, ENIs, address sets) and the
 *               profile cache, eng_compile
 *   eng_comp.c  profile compilation: ordered items, interval bitmaps
 *   eng_look.c  gates: conntrack, operator blocks, compiled and linear
 *               lookup, explain, effective list
 *   eng_text.c  flow parsing and formatting
 *   eng_map.c   the string-keyed map
 * Invariants: a profile is compiled iff !stale; a clean model (!dirty) has
 * every in-use profile compiled and every address set built.
 */
#ifndef SEKISHO_ENG_INT_H
#define SEKISHO_ENG_INT_H

#include <stddef.h>
#include <stdint.h>

#include "sg/eng.h"

/* 128-bit key: IPv6 addresses, and IPv4 addresses / ports widened. */
struct eng_u128 {
	uint64_t hi;
	uint64_t lo;
};

/* Members' private addresses, sorted and unique, per family. */
struct eng_aset {
	uint32_t *v4;
	size_t n4;
	struct eng_u128 *v6;
	size_t n6;
};

struct eng_grp {
	char id[RULE_ID_MAX];
	char owner[ENG_OWNER_MAX];
	uint8_t type;
	uint8_t inner_accept;
	uint8_t set_dirty;		/* membership changed */
	struct rule **rules;		/* each malloc'ed: stable pointers */
	size_t nrules;
	size_t caprules;
	size_t members;			/* ENIs that list this group */
	struct eng_aset set;
};

struct eng_vpc {
	char id[RULE_ID_MAX];
	struct cidr *pfx;
	size_t npfx;
	size_t cap;
};

struct eng_eni {
	char id[RULE_ID_MAX];
	struct eng_vpc *vpc;		/* NULL = classic */
	struct eng_grp *groups[ENG_GROUPS_MAX];	/* sorted by id */
	size_t ngroups;
	struct cidr *addrs;
	size_t naddrs;
	struct cidr pub;		/* classic internet NIC, family 0 none */
	struct eng_prof *prof;		/* NULL until compiled */
};

/* Simple string-keyed open-addressing map (values are pointers). */
struct eng_map {
	const char **keys;		/* points into the value */
	void **vals;
	size_t cap;			/* power of two, or 0 */
	size_t n;
};

enum eng_peer { ENG_PEER_NONE, ENG_PEER_CIDR, ENG_PEER_GROUP };
enum eng_nicsel { ENG_NIC_ANY = 2 };	/* besides RULE_NIC_* */

/* Protocol classes: one lookup table each. */
enum eng_pclass {
	ENG_PC_TCP,
	ENG_PC_UDP,
	ENG_PC_ICMP,
	ENG_PC_ICMPV6,
	ENG_PC_GRE,
	ENG_PC_OTHER,
	ENG_PC_N,
};

/* One compiled item of a profile (a rule or an intra-group policy). */
struct eng_citem {
	uint8_t kind;			/* ENG_ITEM_RULE | ENG_ITEM_INNER */
	uint8_t policy;
	uint8_t priority;
	uint8_t proto;			/* enum rule_proto */
	uint8_t nic;			/* RULE_NIC_* or ENG_NIC_ANY */
	uint8_t peer;			/* enum eng_peer */
	uint8_t has_local;
	struct rule_ports dport;
	struct rule_ports sport;
	struct cidr peer_cidr;
	struct cidr local;
	const struct eng_aset *set;	/* ENG_PEER_GROUP */
	const char *peer_group;		/* ENG_PEER_GROUP: the group's id */
	const struct rule *rule;
	const char *group_id;
};

/*
 * A field: interval i = [key[i], key[i+1]) holds bm + i * words. blk, set
 * for 16- and 32-bit keys with more than ENG_BLK_MIN intervals, narrows
 * the search: blk[b] is the interval holding the first key whose top 8
 * bits are b, blk[256] = n - 1; a key with top bits b lies in an interval
 * of [blk[b], blk[b + 1]].
 */
struct eng_fld {
	uint32_t n;			/* 0: unrestricted, bm = all items */
	void *keys;			/* uint16_t, uint32_t or eng_u128 */
	const uint64_t *bm;
	const uint32_t *blk;		/* NULL or 257 entries */
};

#define ENG_BLK_MIN 16
#define ENG_SETS_MAX 64			/* address sets with a mask per table */

/*
 * The items that can match packets of one NIC, family and protocol class,
 * as bits in evaluation order. Group-peer bits (verify) are confirmed
 * against their address set: for the table's first ENG_SETS_MAX distinct
 * sets, once per set and lookup through setmask (the bits of each set);
 * the rest (slow) one by one.
 */
struct eng_tab {
	uint32_t nitems;
	uint32_t words;
	const struct eng_citem **item;	/* bit -> item */
	const uint64_t *verify;		/* group-peer bits */
	const uint64_t *slow;		/* group-peer bits without a set mask */
	const uint64_t *setmask;	/* [set][word] */
	const struct eng_aset **sets;	/* distinct sets, at most SETS_MAX */
	uint32_t nsets;
	struct eng_fld dport, sport, peer, local;
};

struct eng_arena {
	struct eng_chunk *head;
	size_t bytes;
};

struct eng_prof {
	char *key;			/* "v|sg-a,sg-b" / "c|…" */
	uint8_t classic;
	uint8_t stale;
	uint8_t egress_accept;		/* default at the egress gate */
	size_t refs;			/* ENIs using it */
	struct eng_citem *items[2];	/* per enum rule_dir, in order */
	size_t nitems[2];
	/* [dir][nic][family 0=v4 1=v6][class]; NULL = no item */
	struct eng_tab *tab[2][2][2][ENG_PC_N];
	struct eng_arena arena;
};

struct eng_model {
	struct eng_map groups;		/* id -> struct eng_grp */
	struct eng_map enis;		/* id -> struct eng_eni */
	struct eng_map vpcs;		/* id -> struct eng_vpc */
	struct eng_map profs;		/* key -> struct eng_prof */
	uint8_t dirty;
	uint8_t tcp25_open;
	uint8_t all_stale;		/* group created/deleted/re-owned */
	uint64_t profile_compiles;
	uint64_t set_builds;
};

/* eng_map.c: get returns NULL when absent; reserve makes room for one
 * more entry (-ERR_NOMEM); put's key must live inside val. */
void *eng_map_get(const struct eng_map *mp, const char *key);
int eng_map_reserve(struct eng_map *mp);
void eng_map_put(struct eng_map *mp, const char *key, void *val);
void eng_map_del(struct eng_map *mp, const char *key);
void eng_map_free(struct eng_map *mp);

/* eng.c */
struct eng_grp *eng_grp_get(const struct eng_model *m, const char *id);
void eng_u128_from(int family, const uint8_t *addr, struct eng_u128 *out);
int eng_aset_has(const struct eng_aset *s, int family, const uint8_t *addr);

/* The same for a key made by eng_u128_from (inline: the lookup path). */
static inline int
eng_aset_has_key(const struct eng_aset *s, int family,
    const struct eng_u128 *k)
{
	size_t lo = 0, n;

	if (family == CIDR_V4) {
		uint32_t v = (uint32_t)k->lo;

		if (s->n4 == 0 || v < s->v4[0] || v > s->v4[s->n4 - 1])
			return 0;
		for (n = s->n4; n > 1;) {
			size_t half = n / 2;

			lo = s->v4[lo + half] <= v ? lo + half : lo;
			n -= half;
		}
		return s->v4[lo] == v;
	}
	if (s->n6 == 0)
		return 0;
	for (n = s->n6; n > 1;) {
		size_t half = n / 2;
		const struct eng_u128 *x = &s->v6[lo + half];

		lo = x->hi < k->hi || (x->hi == k->hi && x->lo <= k->lo) ?
		    lo + half : lo;
		n -= half;
	}
	return s->v6[lo].hi == k->hi && s->v6[lo].lo == k->lo;
}

/* eng_comp.c */
int eng_prof_compile(const struct eng_model *m, struct eng_prof *p,
    struct eng_grp *const *groups, size_t ngroups);
void eng_arena_free(struct eng_arena *a);
int eng_pclass(uint8_t ipproto);
/* The item can match some packet of this family / protocol class. */
int eng_citem_family_ok(const struct eng_citem *c, int family);
int eng_citem_class_ok(const struct eng_citem *c, int cls);

/* eng_look.c */
int eng_citem_match(const struct eng_citem *c, int classic, int nic,
    const struct eng_flow *f, const uint8_t *local, const uint8_t *remote);

#endif
