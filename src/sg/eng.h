/*
 * eng: the packet decision engine — the executable form of the security
 * group semantics (../shared/spec/seed-spec.md §1.5). Given the security
 * group state and one packet of a flow it returns, for each gate
 * separately (the sender's egress, the receiver's ingress), the verdict and
 * the item that decided it. The API uses it for explain / what-if queries
 * and effective-rule listings; the firewall compiler is tested against it.
 * Pure: no I/O, no global state; the lookup path does not allocate.
 *
 * Model. Groups (basic or enterprise, InnerAccessPolicy, owner account),
 * their rules (struct rule, rule.h), ENIs (groups, private addresses, the
 * classic internet-NIC address, VPC or classic) and per-VPC intranet
 * prefixes. Group membership is derived from the ENIs. Every change marks
 * the model dirty; eng_compile() brings it up to date and only then may it
 * be queried. Compilation is per distinct (network kind, group set) — a
 * "profile" shared by every ENI with the same groups — and is redone only
 * when one of those groups' rules or settings change. Each group keeps one
 * address set of its members' private IPs, shared by every rule that names
 * the group: a membership change rebuilds that set and recompiles nothing.
 *
 * Evaluation order at one gate (the first item that matches decides):
 *  1. Connection tracking: INVALID -> drop; ESTABLISHED / RELATED -> accept
 *     (SPI: replies and related packets of an allowed connection pass
 *     whatever the rules say; nothing below is consulted, operator blocks
 *     included — a block, like a rule, acts on connection set-up, and the
 *     NEW packet of every connection was checked).
 *  2. Operator blocks (NEW only, internet traffic only, no rule opens them):
 *     TCP destination port 25 at the egress gate unless the operator
 *     setting (eng_model_set_tcp25_open) lifts it; TCP and UDP destination
 *     ports 135, 139, 444, 445, 5800, 5900 at both gates. Intranet traffic
 *     is never blocked (SMB over the VPC, e.g. NAS, uses 445).
 *  3. InnerAccessPolicy Accept of each basic group of the ENI: traffic with
 *     a peer that is a member of the same group is accepted, above every
 *     rule. COMPAT: ModifySecurityGroupPolicy doc — "the Accept internal
 *     access control policy takes precedence over user-created security
 *     group rules"; applies at both gates, intranet only.
 *  4. The rules of all the ENI's groups, merged, ordered by priority
 *     (smaller first, system rules at 110 after every user rule); at equal
 *     priority drop before accept; remaining ties by (group id, rule id),
 *     which only chooses which of several equivalent items is reported.
 *  5. InnerAccessPolicy Drop of each basic group: same-group peers are
 *     dropped at the ingress gate. COMPAT: "internal isolation policies
 *     have the lowest priority" — any rule, or another shared group's
 *     Accept policy, wins over it; isolation needs no egress rule, so it is
 *     not applied at the egress gate. Reported with priority 110.
 *  6. The default, reported with system priority 110: egress accept,
 *     ingress drop. An ENI whose groups are all enterprise groups denies
 *     egress too (enterprise groups are whitelists; COMPAT: "enterprise
 *     security groups deny both inbound and outbound traffic by default").
 *     Enterprise groups get no intra-group item (isolated by default).
 *
 * Matching an item against a packet:
 *  - Protocol: TCP 6, UDP 17, ICMP 1 (IPv4 packets only), ICMPv6 58 (IPv6
 *    only), GRE 47, ALL = every protocol, any other number included.
 *  - Ports: PortRange is the packet's destination port and SourcePortRange
 *    its source port, in both directions; they restrict TCP and UDP rules
 *    only. {0,0} means any. ICMP/ICMPv6/GRE/ALL rules ignore port fields
 *    (the API fixes them at -1/-1): ICMP rules match every type and code —
 *    the flow's ICMP type/code are carried for display only.
 *  - Peer (the remote address: the source at ingress, the destination at
 *    egress): a CIDR matches addresses of its own family only (0.0.0.0/0 is
 *    all of IPv4, no IPv6). A group peer matches the current private IPs
 *    (IPv4 and IPv6; never the classic internet-NIC address) of the
 *    group's member ENIs. The reference resolves only when the group
 *    exists and its owner is the rule's peer_owner, or, when peer_owner is
 *    "", the owner of the rule's own group; otherwise the rule matches
 *    nothing (a cross-account reference that names the wrong account is
 *    not authorised). RULE_PEER_PREFIX_LIST rules match nothing.
 *  - Local (quintuple rules, has_local): the ENI's own address in the
 *    packet (destination at ingress, source at egress) must be inside it.
 *  - NicType: a VPC ENI has one rule set that covers intranet and internet
 *    traffic (rule nic ignored). A classic ENI has two NICs: a packet whose
 *    local address is the ENI's internet address (eng_eni_def.pub) is on
 *    the internet NIC and meets only the internet rules; every other packet
 *    is on the intranet NIC and meets the intranet rules and the
 *    intra-group items.
 *  - Internet vs intranet (operator blocks): classic — the NIC as above;
 *    VPC — the remote address is internet unless it is in a private range
 *    (10/8, 172.16/12, 192.168/16, 100.64/10, 127/8, 169.254/16, 0/8,
 *    ::1, ::, fe80::/10, fc00::/7) or in one of the VPC's prefixes
 *    (eng_vpc_prefix_add: give it the VPC's IPv4 and IPv6 blocks).
 *  - Address checks only: the engine does not do anti-spoofing (an ENI
 *    sending from an address it does not own) — the data plane drops that
 *    before the security group; nor does it model ARP/ND/DHCP.
 *
 * Lookup structure. Per profile, direction, NIC, address family and
 * protocol class, the items that can match are numbered in evaluation
 * order; each field (destination port, source port, peer, local address)
 * is cut into elementary intervals, each holding the bitmap of the items
 * it satisfies (16- and 32-bit fields also get a 256-bucket index on the
 * top byte). A lookup is four short binary searches, an AND of the
 * bitmaps and a find-first-set; group-peer bits are confirmed against the
 * groups' address sets, each set searched at most once per lookup and a
 * non-member set clearing all its bits at once. Cost grows with
 * log(rules) plus rules/64 words, not with the rule count. Memory: about
 * 15 KiB for a small profile, 200 KiB for 500 rules; recompiling a
 * 500-rule profile takes about 0.3-0.5 ms (bench/eng_bench.c).
 *
 * Ownership: the model owns everything it is given (copies). Pointers a
 * query returns (items' rule and group_id, eng_eni_find results) stay valid
 * until the next change to the model. Not thread-safe against changes;
 * concurrent queries of a compiled model are safe.
 */
#ifndef SEKISHO_ENG_H
#define SEKISHO_ENG_H

#include <stddef.h>
#include <stdint.h>

#include "lib/cidr.h"
#include "sg/rule.h"

#define ENG_OWNER_MAX 32	/* account ids, as struct rule.peer_owner */
#define ENG_GROUPS_MAX 16	/* groups per ENI (the raised quota) */
#define ENG_ADDRS_MAX 64	/* private addresses per ENI */

/* Reported priorities of the items that are not rules. */
#define ENG_PRIO_INNER_ACCEPT 0	/* above every rule */
#define ENG_PRIO_DEFAULT RULE_PRIORITY_SYSTEM	/* inner Drop and default */

/* IP protocol numbers of struct eng_flow.proto. */
#define ENG_IPPROTO_ICMP 1
#define ENG_IPPROTO_TCP 6
#define ENG_IPPROTO_UDP 17
#define ENG_IPPROTO_GRE 47
#define ENG_IPPROTO_ICMPV6 58

enum eng_group_type { ENG_GROUP_BASIC, ENG_GROUP_ENTERPRISE };

enum eng_ct {
	ENG_CT_NEW,
	ENG_CT_ESTABLISHED,
	ENG_CT_RELATED,
	ENG_CT_INVALID,
};

enum eng_item_kind {
	ENG_ITEM_RULE,		/* .rule, .group_id */
	ENG_ITEM_INNER,		/* InnerAccessPolicy of .group_id */
	ENG_ITEM_BLOCK,		/* operator block of .port */
	ENG_ITEM_DEFAULT,	/* no item matched */
	ENG_ITEM_CT,		/* conntrack state .ct */
};

struct eng_group_def {
	char id[RULE_ID_MAX];
	char owner[ENG_OWNER_MAX];	/* account id */
	uint8_t type;			/* enum eng_group_type */
	uint8_t inner_accept;		/* InnerAccessPolicy Accept (basic) */
};

/* An ENI as given to eng_eni_put; the arrays are copied. */
struct eng_eni_def {
	const char *id;
	const char *vpc_id;		/* "" or NULL = classic network */
	const char *const *groups;	/* group ids, 0..ENG_GROUPS_MAX */
	size_t ngroups;
	const struct cidr *addrs;	/* private addresses (any prefix length
					 * is read as the bare address) */
	size_t naddrs;
	struct cidr pub;		/* classic internet-NIC address;
					 * family 0 = none (VPC: ignored) */
};

/* One packet. Addresses in network order, IPv4 in the first 4 bytes. */
struct eng_flow {
	uint8_t family;			/* CIDR_V4 | CIDR_V6 */
	uint8_t proto;			/* ENG_IPPROTO_* or any number */
	uint8_t ct;			/* enum eng_ct */
	uint8_t icmp_type;		/* display only */
	uint8_t icmp_code;
	uint16_t sport;			/* TCP/UDP */
	uint16_t dport;
	uint8_t src[16];
	uint8_t dst[16];
	char src_eni[RULE_ID_MAX];	/* sending ENI; "" = outside */
	char dst_eni[RULE_ID_MAX];	/* receiving ENI; "" = outside */
};

/* The item that decided (or, in an explanation, one that matched). */
struct eng_item {
	uint8_t kind;			/* enum eng_item_kind */
	uint8_t policy;			/* RULE_ACCEPT | RULE_DROP */
	uint8_t priority;		/* rule priority; see ENG_PRIO_* */
	uint8_t ct;			/* ENG_ITEM_CT: enum eng_ct */
	uint16_t port;			/* ENG_ITEM_BLOCK: the blocked port */
	const struct rule *rule;	/* ENG_ITEM_RULE */
	const char *group_id;		/* ENG_ITEM_RULE, ENG_ITEM_INNER */
};

struct eng_verdict {
	uint8_t present;		/* the gate exists (an ENI is there) */
	uint8_t accept;
	struct eng_item item;
};

struct eng_result {
	struct eng_verdict egress;	/* the sender's gate */
	struct eng_verdict ingress;	/* the receiver's gate */
	int accept;			/* every present gate accepts */
};

/* A line of an ENI's effective rule list (eng_effective). */
struct eng_eff {
	struct eng_item item;		/* RULE, INNER or the final DEFAULT */
	uint8_t nic;			/* classic: enum rule_nic of the item */
	uint8_t never;			/* can match no packet at all */
	uint8_t shadowed;		/* never decides: an earlier item
					 * covers every packet it matches, or
					 * .never */
};

struct eng_stats {
	size_t groups, rules, enis, profiles;
	uint64_t profile_compiles;	/* since eng_model_new */
	uint64_t set_builds;		/* group address sets (re)built */
	size_t profile_bytes;		/* memory of the compiled profiles */
};

struct eng_model;
struct eng_eni;

/* Model lifetime. eng_model_free is NULL-safe. */
int eng_model_new(struct eng_model **out);
void eng_model_free(struct eng_model *m);

/*
 * Changes. Each returns 0 or -ERR_x and leaves the model unchanged on
 * error; each marks the model dirty (call eng_compile before querying).
 *  group_put: creates or updates a group (rules are kept on update).
 *  group_del: -ERR_SG_NOT_FOUND; -ERR_INVALID_PARAMETER while an ENI is
 *    still a member. Its rules go with it.
 *  rule_put:  adds r to r->group_id, or replaces the rule of that group
 *    with the same id. -ERR_SG_NOT_FOUND, -ERR_INVALID_PARAMETER (enum out
 *    of range, empty id).
 *  rule_del:  -ERR_NOT_FOUND when the group has no such rule.
 *  eni_put:   creates or replaces an ENI. -ERR_SG_NOT_FOUND for an unknown
 *    group, -ERR_INVALID_PARAMETER for too many groups/addresses, a
 *    duplicate group or an address without family.
 *  eni_del:   -ERR_NOT_FOUND.
 *  vpc_prefix_add: an intranet prefix of a VPC (see "Internet vs
 *    intranet"); duplicates are ignored.
 *  set_tcp25_open: the operator setting that lifts the TCP 25 block.
 */
int eng_group_put(struct eng_model *m, const struct eng_group_def *g);
int eng_group_del(struct eng_model *m, const char *group_id);
int eng_rule_put(struct eng_model *m, const struct rule *r);
int eng_rule_del(struct eng_model *m, const char *group_id,
    const char *rule_id);
int eng_eni_put(struct eng_model *m, const struct eng_eni_def *e);
int eng_eni_del(struct eng_model *m, const char *eni_id);
int eng_vpc_prefix_add(struct eng_model *m, const char *vpc_id,
    const struct cidr *c);
void eng_model_set_tcp25_open(struct eng_model *m, int open);

/*
 * Rebuilds what the changes since the last call made stale: the address
 * sets of groups whose membership changed, the profiles whose groups'
 * rules or settings changed. 0 or -ERR_NOMEM (the model stays dirty).
 */
int eng_compile(struct eng_model *m);
void eng_model_stats(const struct eng_model *m, struct eng_stats *st);

/* Queries: -ERR_INTERNAL on a dirty model (a caller bug). */

/* The ENI with this id, or NULL. */
const struct eng_eni *eng_eni_find(const struct eng_model *m, const char *id);

/* One gate of ENI e: dir RULE_EGRESS when e sends f, RULE_INGRESS when it
 * receives it. The compiled lookup. */
int eng_gate(const struct eng_model *m, const struct eng_eni *e, int dir,
    const struct eng_flow *f, struct eng_verdict *v);
/* The same answer by a first-match scan of the ordered item list (the
 * slow path; benchmarks and tests compare the two). */
int eng_gate_linear(const struct eng_model *m, const struct eng_eni *e,
    int dir, const struct eng_flow *f, struct eng_verdict *v);

/* Both gates of f (f->src_eni egress, f->dst_eni ingress; an empty id is
 * a host outside, whose gate is absent). -ERR_NOT_FOUND for an unknown
 * ENI id. */
int eng_decide(const struct eng_model *m, const struct eng_flow *f,
    struct eng_result *r);

/*
 * Explain: every item that matches f at this gate, in evaluation order —
 * the first one decides (it equals eng_gate's); the default closes the
 * list. Fills at most cap items; *n receives the full count. *internet
 * (may be NULL) receives the flow's scope at this gate.
 */
int eng_explain(const struct eng_model *m, const struct eng_eni *e, int dir,
    const struct eng_flow *f, struct eng_item *items, size_t cap, size_t *n,
    int *internet);

/*
 * The ENI's effective list for one direction in evaluation order: the
 * intra-group items, the merged rules of all its groups, then the default
 * (conntrack and operator blocks are not listed). .shadowed is sound but
 * not complete: it is set when the item can match nothing or a single
 * earlier item covers it; an item covered only by several earlier items
 * together is not flagged. A group peer is covered only by an earlier item
 * naming the same group. Fills at most cap lines; *n receives the count.
 */
int eng_effective(const struct eng_model *m, const struct eng_eni *e,
    int dir, struct eng_eff *out, size_t cap, size_t *n);

/*
 * Text forms (for the CLI, tests and logs).
 * eng_flow_parse reads space-separated tokens:
 *   tcp | udp | icmp | icmpv6 | gre | proto=<name|0..255>
 *   tcp/22 | udp/53          protocol and destination port
 *   src=<addr> dst=<addr>    required, same family
 *   sport=<0..65535> dport=<0..65535>   (TCP/UDP)
 *   type=<0..255> code=<0..255>        (ICMP/ICMPv6)
 *   state=new|established|related|invalid   (default new)
 *   from=<eni id> to=<eni id>   the sending / receiving ENI
 * Each key at most once; -ERR_INVALID_PARAMETER for anything else.
 * eng_flow_format writes the same form back (eng_flow_parse reads it to an
 * equal flow); eng_item_format a one-line description. Both return 0 or
 * -ERR_INVALID_PARAMETER when buf (>= 256 is always enough) is too small.
 */
int eng_flow_parse(const char *s, struct eng_flow *f);
int eng_flow_format(const struct eng_flow *f, char *buf, size_t len);
int eng_item_format(const struct eng_item *it, char *buf, size_t len);

#endif
