/*
 * rule: the compiled form of a stored rule document (see rule.h). The
 * document was produced by rule_parse, so every field is known to be well
 * formed; a document that is not is refused rather than guessed at.
 * group_id is not part of the document (it is the store row's parent):
 * callers that need it copy it in.
 */
#include <stdio.h>
#include <string.h>

#include "lib/err.h"
#include "sg/rule.h"

static const struct {
	const char *name;
	enum rule_proto proto;
} rule_protos[] = {
	{ "TCP", RULE_TCP }, { "UDP", RULE_UDP }, { "ICMP", RULE_ICMP },
	{ "ICMPV6", RULE_ICMPV6 }, { "GRE", RULE_GRE }, { "ALL", RULE_ALL },
};

/* Field names per direction: the peer side and the local side. */
static const struct {
	const char *dir;
	const char *peer4, *peer6, *group, *owner, *prefix, *local4, *local6;
} rule_fields[] = {
	[RULE_INGRESS] = { "ingress", "SourceCidrIp", "Ipv6SourceCidrIp",
	    "SourceGroupId", "SourceGroupOwnerAccount", "SourcePrefixListId",
	    "DestCidrIp", "Ipv6DestCidrIp" },
	[RULE_EGRESS] = { "egress", "DestCidrIp", "Ipv6DestCidrIp",
	    "DestGroupId", "DestGroupOwnerAccount", "DestPrefixListId",
	    "SourceCidrIp", "Ipv6SourceCidrIp" },
};

static const char *
rule_str(const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	return s ? s : "";
}

/* "a/b" -> {a, b}; "" and "-1/-1" -> {0, 0}. */
static int
rule_ports(const char *s, struct rule_ports *out)
{
	unsigned lo, hi;
	char tail;

	out->lo = out->hi = 0;
	if (s[0] == '\0' || strcmp(s, "-1/-1") == 0)
		return 0;
	if (sscanf(s, "%u/%u%c", &lo, &hi, &tail) != 2 || lo < 1 ||
	    lo > hi || hi > 65535)
		return -ERR_INVALID_PARAMETER;
	out->lo = (uint16_t)lo;
	out->hi = (uint16_t)hi;
	return 0;
}

/* The first non-empty of two address fields, parsed; 1 if set. */
static int
rule_addr(const json_t *doc, const char *f4, const char *f6, struct cidr *c)
{
	const char *v = rule_str(doc, f4);

	if (v[0] == '\0')
		v = rule_str(doc, f6);
	if (v[0] == '\0')
		return 0;
	return cidr_parse_any(v, c) < 0 ? -ERR_INVALID_PARAMETER : 1;
}

static int
rule_enums(const json_t *doc, struct rule *out)
{
	const char *proto = rule_str(doc, "IpProtocol");
	const char *pol = rule_str(doc, "Policy");
	const char *nic = rule_str(doc, "NicType");
	json_int_t prio = json_integer_value(json_object_get(doc, "Priority"));
	size_t i, n = sizeof(rule_protos) / sizeof(rule_protos[0]);

	for (i = 0; i < n && strcmp(rule_protos[i].name, proto) != 0; i++)
		;
	if (i == n)
		return -ERR_INVALID_PARAMETER;
	out->proto = (uint8_t)rule_protos[i].proto;
	if (strcmp(pol, "Accept") != 0 && strcmp(pol, "Drop") != 0)
		return -ERR_INVALID_PARAMETER;
	out->policy = pol[0] == 'A' ? RULE_ACCEPT : RULE_DROP;
	if (strcmp(nic, "intranet") != 0 && strcmp(nic, "internet") != 0)
		return -ERR_INVALID_PARAMETER;
	out->nic = strcmp(nic, "internet") == 0 ? RULE_NIC_INTERNET :
	    RULE_NIC_INTRANET;
	if ((prio < RULE_PRIORITY_MIN || prio > RULE_PRIORITY_MAX) &&
	    prio != RULE_PRIORITY_SYSTEM)
		return -ERR_INVALID_PARAMETER;
	out->priority = (uint8_t)prio;
	return 0;
}

static int
rule_peer(const json_t *doc, int dir, struct rule *out)
{
	const char *grp = rule_str(doc, rule_fields[dir].group);
	int r;

	if ((r = rule_addr(doc, rule_fields[dir].peer4, rule_fields[dir].peer6,
	    &out->peer_cidr)) < 0)
		return r;
	if (r == 1) {
		out->peer_kind = RULE_PEER_CIDR;
	} else if (grp[0]) {
		out->peer_kind = RULE_PEER_GROUP;
		snprintf(out->peer_group, sizeof(out->peer_group), "%s", grp);
		snprintf(out->peer_owner, sizeof(out->peer_owner), "%s",
		    rule_str(doc, rule_fields[dir].owner));
	} else if (rule_str(doc, rule_fields[dir].prefix)[0]) {
		out->peer_kind = RULE_PEER_PREFIX_LIST;
	} else {
		return -ERR_INVALID_PARAMETER;
	}
	if ((r = rule_addr(doc, rule_fields[dir].local4,
	    rule_fields[dir].local6, &out->local)) < 0)
		return r;
	out->has_local = (uint8_t)r;
	return 0;
}

int
rule_compile(const json_t *doc, struct rule *out)
{
	const char *dir = rule_str(doc, "Direction");
	int d, r;

	memset(out, 0, sizeof(*out));
	if (strcmp(dir, "ingress") == 0)
		d = RULE_INGRESS;
	else if (strcmp(dir, "egress") == 0)
		d = RULE_EGRESS;
	else
		return -ERR_INVALID_PARAMETER;
	out->dir = (uint8_t)d;
	snprintf(out->id, sizeof(out->id), "%s",
	    rule_str(doc, "SecurityGroupRuleId"));
	if ((r = rule_enums(doc, out)) < 0 ||
	    (r = rule_ports(rule_str(doc, "PortRange"), &out->dport)) < 0 ||
	    (r = rule_ports(rule_str(doc, "SourcePortRange"),
	    &out->sport)) < 0 ||
	    (r = rule_peer(doc, d, out)) < 0) {
		memset(out, 0, sizeof(*out));
		return r;
	}
	return 0;
}

int
rule_proto_family_ok(enum rule_proto p, int family)
{
	if (p == RULE_ICMP)
		return family == 4;
	if (p == RULE_ICMPV6)
		return family == 6;
	return family == 4 || family == 6;
}
