/*
 * ipam: private (and classic internet) addresses and MAC addresses for
 * ENIs. The store is the allocation table: an address is taken exactly
 * when an "eni" resource carries it, so releasing an address is deleting
 * (or re-homing) its ENI, in the same transaction.
 *
 * Two kinds of pools:
 *  - a vSwitch: its CIDR block, minus the addresses Alibaba reserves
 *    (CIDR_VSW_RESERVED_*); taken = the PrivateIpAddress of every ENI whose
 *    parent is the vSwitch;
 *  - the classic network: one shared intranet pool (IPAM_CLASSIC_INTRANET)
 *    and one internet pool (IPAM_CLASSIC_INTERNET), both test-safe ranges;
 *    taken = the PrivateIpAddress / PublicIpAddress of every classic ENI
 *    (parent ""), of every account and region, so classic addresses are
 *    unique on the whole server.
 *
 * Usage: ipam_open_*() loads the taken set once, ipam_take() hands out
 * addresses (lowest free first, or the one asked for) and records them,
 * ipam_close() frees. The caller stores the ENI carrying each address in
 * the same transaction. Errors are catalogue errors chosen by the caller
 * (struct ipam_errs), because RunInstances and CreateNetworkInterface use
 * different codes for the same fault.
 */
#ifndef SEKISHO_IPAM_H
#define SEKISHO_IPAM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/cidr.h"
#include "store/store.h"

/* COMPAT: classic pools are ours (Alibaba's classic ranges are private). */
#define IPAM_CLASSIC_INTRANET "192.168.0.0/16"
#define IPAM_CLASSIC_INTERNET "198.18.0.0/15"

/* "00:16:3e:" is the prefix of every Alibaba ECS MAC address. */
#define IPAM_MAC_PREFIX "00:16:3e"
#define IPAM_MAC_MAX 18

enum ipam_pool {
	IPAM_POOL_VSWITCH,
	IPAM_POOL_INTRANET,
	IPAM_POOL_INTERNET,
};

/* Catalogue errors (ERR_x, positive) returned for each fault. */
struct ipam_errs {
	int malformed;		/* the requested address does not parse */
	int outside;		/* not a usable address of the pool */
	int in_use;		/* already carried by an ENI */
	int exhausted;		/* no free address left */
};

struct ipam {
	struct cidr block;
	uint64_t lo, hi;	/* usable indexes, inclusive */
	uint64_t *used;		/* sorted, distinct indexes */
	size_t n, cap;
	uint32_t *macs;		/* low 24 bits of the MACs seen, unsorted */
	size_t nmac, capmac;
	struct ipam_errs err;
};

/*
 * Loads the taken set of a vSwitch (cidr = its CidrBlock text) or of a
 * classic pool (vsw_id and cidr ignored). 0 or -ERR_x; *p is always safe to
 * ipam_close().
 */
int ipam_open(struct ipam *p, struct store *st, enum ipam_pool pool,
    const char *vsw_id, const char *cidr, const struct ipam_errs *err);
void ipam_close(struct ipam *p);	/* NULL-safe, idempotent */

/*
 * Takes want (NULL = the lowest free address) and writes it into out
 * (>= CIDR_STR_MAX). detail (>= 256 bytes, may be NULL) names the address
 * on error.
 */
int ipam_take(struct ipam *p, const char *want, char *out, size_t len,
    char *detail);

/* A fresh MAC address (IPAM_MAC_PREFIX + 3 random bytes) unused in the
 * pool; out >= IPAM_MAC_MAX. */
int ipam_mac(struct ipam *p, char *out, size_t len);

/* The IPv4 address k after base (text) into out; -ERR_INVALID_PARAMETER if
 * base is not an IPv4 address or the sum overflows. Pure. */
int ipam_addr_add(const char *base, uint64_t k, char *out, size_t len);

#endif
