/*
 * rule: one security-group rule, in two forms.
 *
 *  - The stored form is a JSON document holding the fields exactly as the
 *    caller gave them (Terraform compares strings: "10.0.0.1" stays
 *    "10.0.0.1", "22/22" stays "22/22"), with IpProtocol upper-cased and
 *    Policy capitalised, as DescribeSecurityGroupAttribute returns them.
 *  - The compiled form (struct rule) is what the decision engine and the
 *    firewall compiler read: enums, port numbers, parsed prefixes.
 *
 * Direction conventions (COMPAT: ../shared/spec/ecs-api.md §4.7-4.8):
 *   PortRange       = the packet's destination port, both directions
 *   SourcePortRange = the packet's source port, both directions
 *   peer  (remote)  = Source* fields on ingress, Dest* fields on egress
 *   local (quintuple restriction of the member's own address)
 *                   = DestCidrIp on ingress, SourceCidrIp on egress
 * Pure: no I/O, no global state.
 */
#ifndef SEKISHO_RULE_H
#define SEKISHO_RULE_H

#include <stdint.h>

#include <jansson.h>

#include "lib/cidr.h"

#define RULE_ID_MAX 64
#define RULE_PRIORITY_MIN 1
#define RULE_PRIORITY_MAX 100
#define RULE_PRIORITY_SYSTEM 110	/* default rules, below every user rule */

enum rule_dir { RULE_INGRESS, RULE_EGRESS };

enum rule_proto {
	RULE_TCP,
	RULE_UDP,
	RULE_ICMP,	/* IPv4 only */
	RULE_ICMPV6,	/* IPv6 only */
	RULE_GRE,
	RULE_ALL,
};

enum rule_policy { RULE_ACCEPT, RULE_DROP };

/* Classic-network groups keep separate intranet and internet rule sets;
 * VPC groups only have intranet rules, which cover all traffic. */
enum rule_nic { RULE_NIC_INTRANET, RULE_NIC_INTERNET };

enum rule_peer {
	RULE_PEER_CIDR,		/* peer_cidr (IPv4 or IPv6) */
	RULE_PEER_GROUP,	/* members' private IPs of peer_group */
	RULE_PEER_PREFIX_LIST,	/* accepted and stored; matches nothing yet */
};

/* An inclusive port range; {0, 0} means "any" (-1/-1 or not given). */
struct rule_ports {
	uint16_t lo;
	uint16_t hi;
};

struct rule {
	char id[RULE_ID_MAX];		/* sgr-… */
	char group_id[RULE_ID_MAX];	/* the group that owns the rule */
	uint8_t dir;			/* enum rule_dir */
	uint8_t proto;			/* enum rule_proto */
	uint8_t policy;			/* enum rule_policy */
	uint8_t nic;			/* enum rule_nic */
	uint8_t priority;		/* 1..100, or RULE_PRIORITY_SYSTEM */
	uint8_t peer_kind;		/* enum rule_peer */
	uint8_t has_local;		/* local is set */
	struct rule_ports dport;	/* PortRange */
	struct rule_ports sport;	/* SourcePortRange */
	struct cidr peer_cidr;		/* RULE_PEER_CIDR */
	char peer_group[RULE_ID_MAX];	/* RULE_PEER_GROUP */
	char peer_owner[32];		/* peer group's account, "" = same */
	struct cidr local;		/* has_local */
};

/*
 * Builds the compiled form from a stored rule document. Returns 0, or
 * -ERR_INVALID_PARAMETER for a document that was not produced by the
 * validating parser (never happens for stored rules).
 */
int rule_compile(const json_t *doc, struct rule *out);

/* 1 if a rule of protocol p can match a packet of address family f (4/6). */
int rule_proto_family_ok(enum rule_proto p, int family);

#endif
