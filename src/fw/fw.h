/*
 * fw: the firewall compiler. Desired state (the GetHostDesiredState JSON of
 * docs/helpers/AGENT.md) -> struct fw_input (parsed, validated, with the
 * host-local port assignments) -> struct fw_ruleset (a deterministic set of
 * named nftables objects) -> nft scripts: a full replace (fw_render) or one
 * delta transaction (fw_diff). Pure: no I/O, no global state; the agent
 * applies the scripts (libnftables / `nft -f`, one batch each).
 *
 * The packet semantics are exactly src/sg/eng.h's (evaluation order 1-6);
 * fw_input_eng() loads the same input into an engine model so a kernel
 * differential test compares like with like.
 *
 * Change log of this contract (agent helper: read this first):
 *   v1  initial contract.
 *   v1.1 layout only, the API is unchanged: operator blocks look up the
 *       shared sets sk_block_in/_eg (not an anonymous set per chain: 10x
 *       faster full loads); sk_nocast4 and the multicast/broadcast drops;
 *       router advertisements/redirects from ports dropped; run sets only
 *       from 4 rules of a shape.
 *
 * ---- Topology names (the agent creates these; fw only refers to them) --
 *  VPC bridge      "skv<ZoneId>"     ct zone ZoneId (1..65534)
 *  classic bridge  FW_BR_CLASSIC     ct zone FW_ZONE_CLASSIC
 *  internet bridge FW_BR_INET        ct zone 0
 *  ENI port        struct fw_port.name: "ske" + 8 hex digits (local
 *                  driver) or the ENI's HostInterface (external driver).
 *                  A classic ENI has two ports: intranet (on skclassic,
 *                  its private addresses, its MacAddress) and internet (on
 *                  skinet, its PublicIpAddress, the MAC of fw_port.mac:
 *                  the ENI's MAC with the locally-administered bit 0x02 set
 *                  in the first octet).
 *
 * ---- Layout compiled (see docs/adr/003-enforcement-br-netfilter.md) -----
 *  table bridge sekisho_port
 *    chain sk_pre  (prerouting -300): port in @ports -> goto sk_port;
 *                  port in @ports_down (not running) -> drop;
 *                  any other "ske*" port -> drop (fail closed).
 *    chain sk_port: MAC must be the port's; meta mark set <port mark>;
 *                  no IPv6 router advertisement / redirect;
 *                  accept ARP / IPv4 / IPv6 only from the port's own
 *                  (ifname . MAC . address); IPv6 ND/MLD from :: or fe80::/10;
 *                  everything else drop (anti-spoofing).
 *    chain sk_post (postrouting 300): frames to a port that is not in
 *                  @ports (down or unknown "ske*") -> drop.
 *  table inet sekisho
 *    chain sk_raw  (prerouting raw): ct zone from the input bridge; for
 *                  FW_BR_INET, from the bridge the route leads to (fib),
 *                  so both directions of a VPC<->internet flow share the
 *                  VPC's zone. sk_raw_out: the same for host output.
 *    chain sk_fwd  (forward filter, policy drop):
 *                  ct invalid drop; ct established,related accept;
 *                  (input bridge . output bridge) not an allowed path ->
 *                  drop (VPCs are isolated from each other and from
 *                  classic; VPC<->internet and same-bridge are allowed);
 *                  IPv6 NS/NA/RS (hop limit 255) accept;
 *                  destination multicast, 255.255.255.255 or a local
 *                  subnet's broadcast address -> drop (a VPC carries
 *                  neither; they would bypass the ingress dispatch);
 *                  meta mark vmap @sk_eg   -> sender's egress chain
 *                                   (accept = return, deny = drop);
 *                  oifname . ip/ip6 daddr vmap @sk_in4/@sk_in6
 *                                -> receiver's ingress chain;
 *                  accept (no ENI at either end = outside host).
 *    profile chains p_<12 hex>_{in,eg} (VPC and classic intranet NIC),
 *                  p_<12 hex>_{in,eg}_net (classic internet NIC): operator
 *                  blocks, inner Accept, the merged rules as same-verdict
 *                  runs (interval concatenation sets p_…_r<k>_{4,6}{s,p}
 *                  where four or more rules share a shape), inner Drop
 *                  (ingress), default. Rule comments carry the
 *                  SecurityGroupRuleId; set elements carry it as element
 *                  comment. A profile = (VPC or classic, sorted group set).
 *    sets g_<SecurityGroupId>_4 / _6: member private addresses of a group
 *                  (every ENI of the desired state that lists it), one per
 *                  group referenced by a local profile, shared.
 *    sets z<ZoneId>_intra4 / _6: the "intranet" of a VPC (eng.h private
 *                  ranges + the VPC's blocks) for the operator blocks.
 *    sets sk_block_in / sk_block_eg: the operator-blocked (protocol .
 *                  destination port) pairs per gate; Tcp25Open toggles the
 *                  element "tcp . 25" of sk_block_eg.
 *    set sk_nocast4: multicast and broadcast destinations (sk_fwd).
 *
 * ---- Determinism and stability --------------------------------------------
 *  The same input gives byte-identical output. Port names and marks depend
 *  only on the ENI id (and, on a 32-bit hash collision between local ENIs,
 *  on the lexicographic order of the colliding ids), never on revision or
 *  list order. Profile chain names depend only on the profile key.
 *
 * ---- Where the kernel and the engine may differ (by design) ---------------
 *  eng.h decides each gate on its own; the data plane adds reachability:
 *  - traffic between two VPCs, or between a VPC and the classic network,
 *    is dropped (sk_paths) whatever the rules say;
 *  - multicast / broadcast destinations are dropped;
 *  - ARP and IPv6 ND/MLD are infrastructure, not subject to rules: ICMPv6
 *    NS/NA/RS with hop limit 255 are accepted before the gates; RA and
 *    redirects from a port are dropped; only a port's own addresses (and
 *    ::/fe80::/10 for ND/MLD) may be sources (anti-spoofing);
 *  - traffic to the host itself (gateway, metadata) takes the input hook,
 *    which fw does not filter.
 *  Differential tests therefore probe within one VPC, VPC<->internet and
 *  classic, with unicast addresses and no ICMPv6 types 133-137.
 *  The interface prefix "ske" is reserved for ENI ports (outside hosts'
 *  veths must not use it: unknown "ske*" ports are dropped).
 */
#ifndef SEKISHO_FW_H
#define SEKISHO_FW_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "lib/cidr.h"
#include "lib/sb.h"
#include "sg/eng.h"
#include "sg/rule.h"

#define FW_TABLE_PORT "sekisho_port"	/* family bridge */
#define FW_TABLE_SG "sekisho"		/* family inet */
#define FW_BR_INET "skinet"
#define FW_BR_CLASSIC "skclassic"
#define FW_BR_VPC_PREFIX "skv"		/* + ZoneId in decimal */
#define FW_PORT_PREFIX "ske"		/* + 8 lower-case hex digits */
#define FW_CLASSIC_CIDR "192.168.0.0/16"	/* the skclassic subnet */
#define FW_ZONE_INET 0
#define FW_ZONE_CLASSIC 65535
#define FW_ZONE_MAX 65534		/* VPC ZoneId 1..FW_ZONE_MAX */

#define FW_ID_MAX RULE_ID_MAX		/* resource ids, incl. NUL */
#define FW_OWNER_MAX ENG_OWNER_MAX
#define FW_IFNAME_MAX 16		/* IFNAMSIZ */
#define FW_VPC_PFX_MAX 2		/* CidrBlock, Ipv6CidrBlock */
#define FW_ENI_ADDRS_MAX ENG_ADDRS_MAX
#define FW_ENI_GROUPS_MAX ENG_GROUPS_MAX

/* Input bounds (a desired state beyond them is refused, not truncated). */
#define FW_MAX_VPCS 4096
#define FW_MAX_VSWITCHES 16384
#define FW_MAX_GROUPS 65536
#define FW_MAX_RULES_PER_GROUP 1000
#define FW_MAX_ENIS 262144

enum fw_driver { FW_DRIVER_LOCAL, FW_DRIVER_EXTERNAL };

struct fw_vpc {
	char id[FW_ID_MAX];
	uint16_t zone;			/* ZoneId, 1..FW_ZONE_MAX, unique */
	char bridge[FW_IFNAME_MAX];	/* "skv<zone>" */
	struct cidr pfx[FW_VPC_PFX_MAX]; /* CidrBlock [, Ipv6CidrBlock] */
	size_t npfx;
};

struct fw_vswitch {
	char id[FW_ID_MAX];
	size_t vpc;			/* index into fw_input.vpcs */
	struct cidr cidr;		/* aligned block inside the VPC's */
	struct cidr gateway;		/* host address (/32) inside cidr */
};

struct fw_group {
	char id[FW_ID_MAX];
	char owner[FW_OWNER_MAX];
	char vpc_id[FW_ID_MAX];		/* "" = classic */
	uint8_t type;			/* enum eng_group_type */
	uint8_t inner_accept;		/* InnerAccessPolicy Accept */
	struct rule *rules;		/* compiled; rules[i].group_id = id */
	size_t nrules;
};

struct fw_eni {
	char id[FW_ID_MAX];
	char instance_id[FW_ID_MAX];	/* "" = not attached */
	char owner[FW_OWNER_MAX];
	char host_id[FW_ID_MAX];
	uint8_t primary;		/* Type "Primary" */
	uint8_t running;
	uint8_t local;			/* host_id is ours and attached */
	uint8_t driver;			/* enum fw_driver */
	char host_if[FW_IFNAME_MAX];	/* external driver: HostInterface */
	uint8_t mac[6];
	long vpc;			/* index into vpcs, -1 = classic */
	long vswitch;			/* index into vswitches, -1 = none */
	struct cidr addrs[FW_ENI_ADDRS_MAX]; /* /32 and /128 host prefixes;
					 * [0] = PrivateIpAddress */
	size_t naddrs;
	struct cidr pub;		/* classic internet NIC; family 0 none */
	size_t groups[FW_ENI_GROUPS_MAX]; /* indexes into fw_input.groups */
	size_t ngroups;
};

/* A bridge port of a local ENI NIC (what the agent plugs in). */
struct fw_port {
	char name[FW_IFNAME_MAX];
	uint32_t mark;			/* != 0, unique per host */
	size_t eni;			/* index into fw_input.enis */
	uint8_t nic;			/* RULE_NIC_INTRANET | RULE_NIC_INTERNET */
	uint8_t up;			/* the instance is running */
	char bridge[FW_IFNAME_MAX];	/* skv<zone>, skclassic or skinet */
	uint16_t zone;
	uint8_t mac[6];
};

/*
 * The parsed desired state. Arrays are sorted by id (ports by name) so
 * lookups can bisect and output is independent of the JSON order.
 */
struct fw_input {
	int64_t revision;
	char host_id[FW_ID_MAX];
	uint8_t tcp25_open;		/* Operator.Tcp25Open */
	struct fw_vpc *vpcs;
	size_t nvpcs;
	struct fw_vswitch *vswitches;
	size_t nvswitches;
	struct fw_group *groups;
	size_t ngroups;
	struct fw_eni *enis;
	size_t nenis;
	struct fw_port *ports;		/* local ENIs' NICs, sorted by name */
	size_t nports;
};

/*
 * Parses and validates the desired-state object (the response body of
 * GetHostDesiredState; RequestId and unknown members are ignored).
 * host_id selects the local ENIs. Every field is type-checked and bounded:
 * ids 1..FW_ID_MAX-1 of [A-Za-z0-9._-]; MACs, addresses and blocks
 * strictly parsed; ZoneIds unique; references (ENI -> VPC, vSwitch,
 * groups; vSwitch -> VPC) must resolve; rules must compile (rule_compile)
 * with a SecurityGroupRuleId unique in their group; duplicate ids, two
 * local NICs with one address on one bridge, and an external HostInterface
 * starting with "ske" are refused. Absent lists are empty; an absent
 * Driver is "local"; an empty Type is "Secondary".
 * Optional members beyond AGENT.md: Vpcs[].Ipv6CidrBlock ("" = none),
 * NetworkInterfaces[].Ipv6Addresses (array of IPv6 addresses).
 * 0 and *out (free with fw_input_free), or -ERR_INVALID_PARAMETER
 * (*out NULL; detail, if not NULL, receives a short reason), -ERR_NOMEM.
 */
#define FW_DETAIL_MAX 160
int fw_input_from_json(const json_t *desired, const char *host_id,
    struct fw_input **out);
int fw_input_from_json_detail(const json_t *desired, const char *host_id,
    struct fw_input **out, char detail[FW_DETAIL_MAX]);
void fw_input_free(struct fw_input *in);	/* NULL-safe */

/* Lookups (NULL when absent). nic: RULE_NIC_*. */
const struct fw_eni *fw_eni_find(const struct fw_input *in, const char *id);
const struct fw_port *fw_port_find(const struct fw_input *in,
    const char *eni_id, int nic);

/*
 * Loads the whole input into an empty engine model: every group with its
 * rules, every ENI (classic ones with pub), every VPC's prefixes, the
 * operator setting. The model then decides exactly what the compiled
 * ruleset enforces (for ENIs with a port up on this host). 0 or -ERR_x.
 */
int fw_input_eng(const struct fw_input *in, struct eng_model *m);

/* ---- compiled objects ------------------------------------------------ */

enum fw_table { FW_T_PORT, FW_T_SG };		/* bridge, inet */
enum fw_kind { FW_K_SET, FW_K_MAP, FW_K_CHAIN };

/*
 * One named object. decl is everything inside its braces before the
 * elements / rules, one statement a line ("type ipv4_addr\nflags
 * interval", a base chain's "type filter hook forward priority filter;
 * policy drop;", a profile chain's comment, or ""). lines are set/map
 * elements ("192.168.1.1",
 * "\"skv1\" . 192.168.1.1 : jump p_…_in", "10.0.0.0/8 . tcp . 22 comment
 * \"sgr-…\"") in a canonical order, or a chain's rules in order. hash is
 * a 64-bit content hash of (table, kind, name, decl, lines) — equal hash,
 * equal object.
 */
struct fw_obj {
	uint8_t table;			/* enum fw_table */
	uint8_t kind;			/* enum fw_kind */
	char *name;
	char *decl;
	char **lines;
	size_t nlines;
	uint64_t hash;
};

/* Objects sorted by (table, kind, name). Read-only for callers. */
struct fw_ruleset {
	struct fw_obj *obj;
	size_t nobj;
};

/*
 * Applies a GetHostDesiredState delta (Delta true; BaseRevision must be
 * base's Revision) to base: a new whole document in which every object the
 * delta does not name is base's own (shared: neither is modified later).
 * NULL when delta is not a delta of base, or out of memory.
 */
json_t *fw_doc_patch(const json_t *base, const json_t *delta);

/* Compiles the input. 0 and *out (free with fw_ruleset_free), -ERR_NOMEM,
 * -ERR_INTERNAL (a name collision that salting could not resolve). */
int fw_compile(const struct fw_input *in, struct fw_ruleset **out);
void fw_ruleset_free(struct fw_ruleset *rs);	/* NULL-safe */

/* The object with this table, kind and name, or NULL. */
const struct fw_obj *fw_obj_find(const struct fw_ruleset *rs, int table,
    int kind, const char *name);

/*
 * Appends to script a complete nft script that replaces both of our tables
 * in one transaction ("add table" + "delete table" + the table block, so it
 * works whether or not they exist; nft 1.0.6 has no "destroy"). Other
 * tables are never touched. 0 or -ERR_NOMEM.
 */
int fw_render(const struct fw_ruleset *rs, struct sb *script);

/*
 * The delta between two rulesets as operations, in the order one
 * transaction needs them (fw_diff below says why):
 *   FW_OP_CREATE  new: a new chain (empty) or set/map (with elements)
 *   FW_OP_ELEMS   old -> new: go[i] marks old->lines[i] to delete (keys),
 *                 come[j] marks new->lines[j] to add
 *   FW_OP_REFILL  old -> new: a changed chain, flushed and refilled
 *   FW_OP_FILL    new: the rules of a chain created above
 *   FW_OP_DELETE  old: a chain (flushed first) or set/map that went
 * full = 1 (and no operations) when only a full replace can do it. The
 * objects point into old and new, which must outlive the delta.
 */
enum { FW_OP_CREATE, FW_OP_ELEMS, FW_OP_REFILL, FW_OP_FILL, FW_OP_DELETE };

struct fw_op {
	int op;
	const struct fw_obj *old;
	const struct fw_obj *new;
	uint8_t *go;			/* FW_OP_ELEMS: [old->nlines] */
	uint8_t *come;			/* FW_OP_ELEMS: [new->nlines] */
};

struct fw_delta {
	struct fw_op *v;
	size_t n;
	int full;
};

/* 0 or -ERR_NOMEM (d is then empty). */
int fw_delta(const struct fw_ruleset *old, const struct fw_ruleset *new,
    struct fw_delta *d);
void fw_delta_free(struct fw_delta *d);
/* 1 when the delta only adds and deletes elements of existing sets and
 * maps (an empty delta too); 0 for anything else or a full replace. */
int fw_delta_elems_only(const struct fw_delta *d);
/* The delta as one nft script (fw_diff's text). */
int fw_delta_render(const struct fw_delta *d, const struct fw_ruleset *new,
    struct sb *script);

/*
 * Appends to script one nft script that, applied as one transaction to a
 * kernel holding exactly old, leaves exactly new:
 *   1. new chains (empty), then new sets/maps (with elements);
 *   2. element deletes, then element adds, of changed sets and maps;
 *   3. "flush chain" + the rules of each changed chain, then the rules of
 *      new chains;
 *   4. removed chains (flush + delete), then removed sets and maps.
 * Nothing at all is appended when old and new are equal. If a set or map
 * keeps its name but changes its declaration (never happens with the
 * current naming), the script is the full replace of fw_render.
 * old == NULL means "nothing loaded": the full replace. 0 or -ERR_NOMEM.
 */
int fw_diff(const struct fw_ruleset *old, const struct fw_ruleset *new,
    struct sb *script);

#endif
