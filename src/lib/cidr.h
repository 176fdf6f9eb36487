/*
 * cidr: IPv4/IPv6 addresses and prefixes, parsed strictly and compared
 * cheaply. Pure (no I/O, no allocation, no global state); used by the VPC
 * actions (VPC and vSwitch CIDR blocks, address allocation), by security
 * group rules and by the packet decision engine.
 *
 * Text forms accepted:
 *   IPv4  dotted quad "a.b.c.d", each part 0..255 in decimal without
 *         leading zeros ("010.1.1.1" is rejected: inet_aton reads it as
 *         octal, other parsers as decimal — an address that means two
 *         things is refused rather than guessed; Python's ipaddress and
 *         Go's net package made the same choice).
 *   IPv6  RFC 4291 section 2.2: eight groups of 1..4 hex digits (any case),
 *         at most one "::" standing for one or more zero groups, optionally
 *         ending in an embedded dotted quad ("::ffff:10.0.0.1"). No zone
 *         ("%eth0"), no brackets.
 *   Prefix "/<len>", decimal without leading zeros, 0..32 or 0..128.
 * Nothing else: no whitespace, no trailing junk, at most CIDR_STR_MAX-1
 * characters. Every parse error is -ERR_CIDR_MALFORMED; callers that need
 * another catalogue code (security-group rules) map it.
 *
 * Host bits: parsing keeps the address exactly as written, so
 * "10.0.0.1/8" parses (security-group rules accept it) and
 * cidr_is_aligned() tells whether host bits are set (VPC and vSwitch
 * blocks must be aligned). Output is canonical: lower-case IPv6 with the
 * longest run of two or more zero groups compressed (RFC 5952).
 */
#ifndef SEKISHO_CIDR_H
#define SEKISHO_CIDR_H

#include <stddef.h>
#include <stdint.h>

enum cidr_family {
	CIDR_V4 = 4,
	CIDR_V6 = 6,
};

struct cidr {
	uint8_t family;		/* CIDR_V4 | CIDR_V6 */
	uint8_t len;		/* prefix length, 0..32 | 0..128 */
	uint8_t addr[16];	/* network byte order; IPv4 in addr[0..3],
				 * the rest zero */
};

/* "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255/128" plus NUL, rounded. */
#define CIDR_STR_MAX 64

/*
 * COMPAT: Alibaba reserves the first and the last three addresses of every
 * vSwitch CIDR block (CreateVSwitch doc: 192.168.1.0, .253, .254, .255 of
 * 192.168.1.0/24).
 */
#define CIDR_VSW_RESERVED_HEAD 1
#define CIDR_VSW_RESERVED_TAIL 3

/* Parsing: 0 with *out filled, or -ERR_CIDR_MALFORMED (*out zeroed). */
/* "addr/len" only: the prefix length is required. */
int cidr_parse(const char *s, struct cidr *out);
/* A bare address; len is set to 32 or 128. */
int cidr_parse_addr(const char *s, struct cidr *out);
/* Either form (security-group peers): a bare address is a /32 or /128. */
int cidr_parse_any(const char *s, struct cidr *out);

/* Formatting into buf (>= CIDR_STR_MAX is always enough); 0 or
 * -ERR_INVALID_PARAMETER (buffer too small, family unset). */
int cidr_format(const struct cidr *c, char *buf, size_t len);	/* "a/len" */
int cidr_format_addr(const struct cidr *c, char *buf, size_t len); /* "a" */

/* 1 if no bit after the prefix is set (10.0.0.0/8 yes, 10.0.0.1/8 no). */
int cidr_is_aligned(const struct cidr *c);
/* Clears the host bits in place (10.0.0.1/8 -> 10.0.0.0/8). */
void cidr_mask(struct cidr *c);
/* Bits in the address part: 32 or 128. */
unsigned cidr_bits(const struct cidr *c);

/*
 * Relations. All compare prefixes, ignoring host bits beyond each prefix
 * length, and are 0 across families.
 *   contains(a, b): every address of b is in a (a.len <= b.len).
 *   overlaps(a, b): some address is in both (one contains the other).
 *   equal(a, b):    same family, length and all 16 address bytes
 *                   (exact: 10.0.0.1/8 and 10.0.0.0/8 differ).
 *   cmp(a, b):      total order for sorting: family, address, length.
 */
int cidr_contains(const struct cidr *a, const struct cidr *b);
int cidr_overlaps(const struct cidr *a, const struct cidr *b);
int cidr_equal(const struct cidr *a, const struct cidr *b);
int cidr_cmp(const struct cidr *a, const struct cidr *b);
/*
 * Fast path for packets: is the address at addr (4 or 16 bytes, network
 * order, per family) inside c? 0 when the family differs.
 */
int cidr_contains_addr(const struct cidr *c, int family, const void *addr);

/*
 * Sizes and addresses. Counts saturate at UINT64_MAX (IPv6 prefixes
 * shorter than /64); indexes count from the network address (index 0).
 */
uint64_t cidr_size(const struct cidr *c);
/* Address number n of c as a host prefix (/32, /128); -ERR_INVALID_PARAMETER
 * when n >= cidr_size(c). */
int cidr_nth(const struct cidr *c, uint64_t n, struct cidr *out);
/* Inverse of cidr_nth: the index of host's address inside c;
 * -ERR_INVALID_PARAMETER when not contained or the index exceeds 64 bits. */
int cidr_index(const struct cidr *c, const struct cidr *host, uint64_t *n);

/*
 * vSwitch address plan (CIDR_VSW_RESERVED_*): usable addresses are the
 * indexes 1 .. size-4. cidr_vsw_usable() counts them (0 for blocks of
 * fewer than 5 addresses); cidr_vsw_host(c, k) is usable address number k
 * (k = 0 is the first usable one, e.g. 192.168.1.1);
 * cidr_vsw_is_usable() says whether host's address is one of them.
 */
uint64_t cidr_vsw_usable(const struct cidr *c);
int cidr_vsw_host(const struct cidr *c, uint64_t k, struct cidr *out);
int cidr_vsw_is_usable(const struct cidr *c, const struct cidr *host);

#endif
