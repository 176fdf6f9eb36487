/*
 * rule_parse: Permissions.N.* / flat rule parameters -> stored rule
 * documents, with every validation of ../shared/spec/ecs-api.md §4.7-4.12
 * and §9.1, and the identity key used for duplicate detection and for
 * revoke/modify by content. See rule_parse.h for the contract.
 *
 * The two directions differ only in which fields name the peer (Source* on
 * ingress, Dest* on egress) and which restrict the local side (the other
 * pair); one table row per direction holds the names and their errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/cidr.h"
#include "lib/err.h"
#include "sg/rule_parse.h"

#define RPARSE_DESC_MAX 512	/* characters */

struct rparse_names {
	const char *dir;
	const char *peer4, *peer6, *group, *owner_acct, *owner_id, *prefix;
	const char *local4, *local6;
	int err_peer4, err_peer6, err_local4, err_local6;
	int err_peer_ip, err_local_ip, err_missing, err_self, err_group_nic;
};

static const struct rparse_names rparse_dirs[] = {
	[RULE_INGRESS] = { "ingress", "SourceCidrIp", "Ipv6SourceCidrIp",
	    "SourceGroupId", "SourceGroupOwnerAccount", "SourceGroupOwnerId",
	    "SourcePrefixListId", "DestCidrIp", "Ipv6DestCidrIp",
	    ERR_SGR_SRC_CIDR, ERR_SGR_SRC_IP6, ERR_SGR_DST_CIDR,
	    ERR_SGR_DST_IP6, ERR_SGR_SRC_IP, ERR_SGR_DST_IP,
	    ERR_SGR_MISSING_SOURCE, ERR_SGR_SELF_INGRESS,
	    ERR_SGR_SRC_GROUP_NIC },
	[RULE_EGRESS] = { "egress", "DestCidrIp", "Ipv6DestCidrIp",
	    "DestGroupId", "DestGroupOwnerAccount", "DestGroupOwnerId",
	    "DestPrefixListId", "SourceCidrIp", "Ipv6SourceCidrIp",
	    ERR_SGR_DST_CIDR, ERR_SGR_DST_IP6, ERR_SGR_SRC_CIDR,
	    ERR_SGR_SRC_IP6, ERR_SGR_DST_IP, ERR_SGR_SRC_IP,
	    ERR_SGR_MISSING_DEST, ERR_SGR_SELF_EGRESS, ERR_SGR_DST_GROUP_NIC },
};

/* Fields common to both directions (request names). */
static const char *const rparse_common[] = {
	"IpProtocol", "PortRange", "SourcePortRange", "PortRangeListId",
	"NicType", "Policy", "Priority", "Description", NULL,
};

/* Every string field of a stored Permission, in output order. */
static const char *const rparse_doc_fields[] = {
	"SecurityGroupRuleId", "Direction", "IpProtocol", "PortRange",
	"SourcePortRange", "PortRangeListId", "PortRangeListName",
	"SourceCidrIp", "DestCidrIp", "Ipv6SourceCidrIp", "Ipv6DestCidrIp",
	"SourceGroupId", "DestGroupId", "SourceGroupName", "DestGroupName",
	"SourceGroupOwnerAccount", "DestGroupOwnerAccount",
	"SourcePrefixListId", "DestPrefixListId", "SourcePrefixListName",
	"DestPrefixListName", "NicType", "Policy", "Description", "CreateTime",
	NULL,
};

/* Protocols: the wire name (upper-case, as stored) and whether it has ports. */
static const struct {
	const char *name;
	enum rule_proto proto;
	int ports;
} rparse_protos[] = {
	{ "TCP", RULE_TCP, 1 }, { "UDP", RULE_UDP, 1 },
	{ "ICMP", RULE_ICMP, 0 }, { "ICMPV6", RULE_ICMPV6, 0 },
	{ "GRE", RULE_GRE, 0 }, { "ALL", RULE_ALL, 0 },
};

#define RPARSE_NPROTOS (sizeof(rparse_protos) / sizeof(rparse_protos[0]))

/* One rule being parsed. */
struct rparse_state {
	const struct prm_list *p;
	const char *prefix;
	const struct rparse_names *nm;
	const struct rparse_group *g;
	unsigned mode;
	char *detail;
	json_t *doc;
	int proto;		/* index into rparse_protos */
	int peer_family;	/* 4, 6, or 0 (prefix list) */
	int peer_group;		/* the peer is a group */
	struct cidr peer4;	/* when peer_family == 4 and a CIDR */
	int has_peer4;
};

const char *
rparse_str(const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	return s ? s : "";
}

static int
rparse_fail(struct rparse_state *s, int err, const char *detail)
{
	if (s->detail)
		snprintf(s->detail, RPARSE_DETAIL, "%s", detail ? detail : "");
	return -err;
}

/* The non-empty value of <prefix><name>, or NULL. */
static const char *
rparse_get(const struct rparse_state *s, const char *name)
{
	char key[128];
	const char *v;

	snprintf(key, sizeof(key), "%s%s", s->prefix, name);
	v = prm_get(s->p, key);
	return v && v[0] ? v : NULL;
}

static void
rparse_set(struct rparse_state *s, const char *field, const char *v)
{
	json_object_set_new(s->doc, field, json_string(v));
}

json_t *
rparse_doc_new(enum rule_dir dir)
{
	json_t *doc = json_object();

	if (doc == NULL)
		return NULL;
	for (int i = 0; rparse_doc_fields[i]; i++)
		json_object_set_new(doc, rparse_doc_fields[i], json_string(""));
	json_object_set_new(doc, "Direction",
	    json_string(rparse_dirs[dir].dir));
	json_object_set_new(doc, "Priority", json_integer(1));
	return doc;
}

/* ---- the request form ---- */

static int
rparse_is_flat_field(const char *key, enum rule_dir dir)
{
	const struct rparse_names *nm = &rparse_dirs[dir];
	const char *const names[] = { nm->peer4, nm->peer6, nm->group,
	    nm->owner_acct, nm->owner_id, nm->prefix, nm->local4, nm->local6,
	    NULL };

	for (int i = 0; rparse_common[i]; i++)
		if (strcmp(key, rparse_common[i]) == 0)
			return 1;
	for (int i = 0; names[i]; i++)
		if (strcmp(key, names[i]) == 0)
			return 1;
	return 0;
}

/* N of "Permissions.N.<x>" (1..RPARSE_MAX_PERMISSIONS) or -1. */
static int
rparse_perm_index(const char *key)
{
	static const char pfx[] = "Permissions.";
	int v = 0, i = 0;

	if (strncmp(key, pfx, sizeof(pfx) - 1) != 0)
		return -1;
	key += sizeof(pfx) - 1;
	if (key[0] < '1' || key[0] > '9')
		return -1;
	while (key[i] >= '0' && key[i] <= '9' && i < 4)
		v = v * 10 + (key[i++] - '0');
	if (key[i] != '.' || v > RPARSE_MAX_PERMISSIONS)
		return -1;
	return v;
}

int
rparse_form(const struct prm_list *p, enum rule_dir dir, int *idx,
    size_t max, size_t *n, int *flat)
{
	char seen[RPARSE_MAX_PERMISSIONS + 1];

	memset(seen, 0, sizeof(seen));
	*n = 0;
	*flat = 0;
	for (size_t i = 0; i < p->n; i++) {
		int k = rparse_perm_index(p->v[i].key);

		if (k > 0)
			seen[k] = 1;
		else if (p->v[i].val[0] &&
		    rparse_is_flat_field(p->v[i].key, dir))
			*flat = 1;
	}
	for (int k = 1; k <= RPARSE_MAX_PERMISSIONS && *n < max; k++)
		if (seen[k])
			idx[(*n)++] = k;
	if (*n > 0 && *flat)
		return -ERR_SGR_PERMISSIONS_CONFLICT;
	return 0;
}

/* ---- field parsers ---- */

/* "-1" or 1..65535 written plainly; *v = -1 for "-1". */
static int
rparse_port(const char *s, size_t len, int *v)
{
	int x = 0;

	if (len == 2 && s[0] == '-' && s[1] == '1') {
		*v = -1;
		return 0;
	}
	if (len == 0 || len > 5 || s[0] < '1' || s[0] > '9')
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	if (x > 65535)
		return -1;
	*v = x;
	return 0;
}

/* "a/b": 0 with lo/hi (both -1 for "-1/-1"), or -1 when malformed. */
static int
rparse_range(const char *s, int *lo, int *hi)
{
	const char *slash = strchr(s, '/');

	if (slash == NULL ||
	    rparse_port(s, (size_t)(slash - s), lo) < 0 ||
	    rparse_port(slash + 1, strlen(slash + 1), hi) < 0)
		return -1;
	if ((*lo == -1) != (*hi == -1) || *lo > *hi)
		return -1;
	return 0;
}

static int
rparse_proto(struct rparse_state *s)
{
	const char *v = rparse_get(s, "IpProtocol");

	for (size_t i = 0; v && i < RPARSE_NPROTOS; i++) {
		if (strcasecmp(v, rparse_protos[i].name) == 0) {
			s->proto = (int)i;
			rparse_set(s, "IpProtocol", rparse_protos[i].name);
			return 0;
		}
	}
	return rparse_fail(s, ERR_SGR_PROTO, "IpProtocol");
}

/*
 * COMPAT: §9.1 — TCP/UDP need start/end in 1..65535; ICMP, ICMPv6, GRE and
 * ALL take -1/-1 (the stored default when omitted).
 */
static int
rparse_ports(struct rparse_state *s)
{
	int ports = rparse_protos[s->proto].ports, lo, hi;
	const char *d = rparse_get(s, "PortRange");
	const char *src = rparse_get(s, "SourcePortRange");

	if (d == NULL && ports)
		return rparse_fail(s, ERR_SGR_PORT_MISSING, "PortRange");
	if (d && rparse_range(d, &lo, &hi) < 0)
		return rparse_fail(s, ERR_SGR_PORT, "PortRange");
	if (d && (lo == -1) == ports)
		return rparse_fail(s, ERR_SGR_PORT_PROTO, "PortRange");
	rparse_set(s, "PortRange", d ? d : "-1/-1");
	if (src && (rparse_range(src, &lo, &hi) < 0 || (!ports && lo != -1)))
		return rparse_fail(s, ERR_SGR_SPORT, "SourcePortRange");
	rparse_set(s, "SourcePortRange", src ? src : "");
	return 0;
}

static int
rparse_policy(struct rparse_state *s)
{
	const char *v = rparse_get(s, "Policy");

	if (v == NULL || strcasecmp(v, "accept") == 0) {
		rparse_set(s, "Policy", "Accept");
		return 0;
	}
	if (strcasecmp(v, "drop") != 0)
		return rparse_fail(s, ERR_SGR_POLICY, "Policy");
	/* Seed §1.6: enterprise groups are whitelists. */
	if (s->g->enterprise)
		return rparse_fail(s, ERR_SGR_ENTERPRISE_PARAM, "Policy=drop");
	rparse_set(s, "Policy", "Drop");
	return 0;
}

static int
rparse_priority(struct rparse_state *s)
{
	const char *v = rparse_get(s, "Priority");
	long x = 0;

	if (v == NULL) {
		json_object_set_new(s->doc, "Priority", json_integer(1));
		return 0;
	}
	for (const char *q = v; *q; q++) {
		if (*q < '0' || *q > '9')
			return rparse_fail(s, ERR_SGR_PRIORITY_MALFORMED,
			    "Priority");
		if (x < 100000)
			x = x * 10 + (*q - '0');
	}
	if ((x < RULE_PRIORITY_MIN || x > RULE_PRIORITY_MAX) &&
	    !((s->mode & RPARSE_MATCH) && x == RULE_PRIORITY_SYSTEM))
		return rparse_fail(s, ERR_SGR_PRIORITY_RANGE, "Priority");
	/* Seed §1.6: enterprise rules have no priorities (all are 1). */
	if (s->g->enterprise && x != 1)
		return rparse_fail(s, ERR_SGR_ENTERPRISE_PARAM, "Priority");
	json_object_set_new(s->doc, "Priority", json_integer(x));
	return 0;
}

static int
rparse_description(struct rparse_state *s)
{
	const char *v = rparse_get(s, "Description");
	size_t chars = 0;

	for (const char *q = v; q && *q; q++)
		if (((unsigned char)*q & 0xC0) != 0x80)
			chars++;
	if (chars > RPARSE_DESC_MAX)
		return rparse_fail(s, ERR_SGR_DESC, "Description");
	rparse_set(s, "Description", v ? v : "");
	return 0;
}

/* Parses an address field of family fam (4 or 6) into *c. */
static int
rparse_addr(struct rparse_state *s, const char *v, int fam, int err,
    struct cidr *c)
{
	if (cidr_parse_any(v, c) < 0 || c->family != fam)
		return rparse_fail(s, err, NULL);
	if (fam == 6 && !s->g->vpc)
		return rparse_fail(s, err,
		    "IPv6 rules are supported in VPC security groups only.");
	return 0;
}

static int
rparse_peer_group_fields(struct rparse_state *s, const char *grp)
{
	const struct rparse_names *nm = s->nm;
	const char *acct = rparse_get(s, nm->owner_acct);
	const char *oid = rparse_get(s, nm->owner_id);
	const char *owner = acct ? acct : oid ? oid : "";

	if (acct && oid && strcmp(acct, oid) != 0)
		return rparse_fail(s, ERR_SGR_OWNER_CONFLICT, nm->owner_acct);
	/* Seed §1.6: enterprise groups authorise CIDR blocks only. */
	if (s->g->enterprise)
		return rparse_fail(s, ERR_SGR_ENTERPRISE_PARAM, nm->group);
	if (strcmp(grp, s->g->id) == 0 &&
	    (owner[0] == '\0' || strcmp(owner, s->g->account) == 0))
		return rparse_fail(s, nm->err_self, nm->group);
	rparse_set(s, nm->group, grp);
	rparse_set(s, nm->owner_acct, owner);
	s->peer_group = 1;
	s->peer_family = 4;	/* members' private IPv4 addresses */
	return 0;
}

/* COMPAT: §4.7 — a CIDR wins over a group, which wins over a prefix list. */
static int
rparse_peer(struct rparse_state *s)
{
	const struct rparse_names *nm = s->nm;
	const char *v4 = rparse_get(s, nm->peer4);
	const char *v6 = rparse_get(s, nm->peer6);
	const char *grp = rparse_get(s, nm->group);
	const char *pl = rparse_get(s, nm->prefix);
	struct cidr c;
	int r;

	if (v4 && v6)
		return rparse_fail(s, nm->err_peer_ip,
		    "an IPv4 and an IPv6 peer cannot be given together.");
	if (v4) {
		if ((r = rparse_addr(s, v4, 4, nm->err_peer4, &s->peer4)) < 0)
			return r;
		s->has_peer4 = 1;
		s->peer_family = 4;
		rparse_set(s, nm->peer4, v4);
	} else if (v6) {
		if ((r = rparse_addr(s, v6, 6, nm->err_peer6, &c)) < 0)
			return r;
		s->peer_family = 6;
		rparse_set(s, nm->peer6, v6);
	} else if (grp) {
		return rparse_peer_group_fields(s, grp);
	} else if (pl) {
		rparse_set(s, nm->prefix, pl);
	} else {
		return rparse_fail(s, nm->err_missing, NULL);
	}
	return 0;
}

/* Quintuple rules: the local side (DestCidrIp on ingress, §4.7-4.8). */
static int
rparse_local(struct rparse_state *s)
{
	const struct rparse_names *nm = s->nm;
	const char *v4 = rparse_get(s, nm->local4);
	const char *v6 = rparse_get(s, nm->local6);
	struct cidr c;
	int r, fam = v4 ? 4 : v6 ? 6 : 0;

	if (v4 && v6)
		return rparse_fail(s, nm->err_local_ip,
		    "an IPv4 and an IPv6 local address cannot be given "
		    "together.");
	if (fam == 0)
		return 0;
	if ((r = rparse_addr(s, fam == 4 ? v4 : v6, fam,
	    fam == 4 ? nm->err_local4 : nm->err_local6, &c)) < 0)
		return r;
	if (s->peer_family && s->peer_family != fam)
		return rparse_fail(s, nm->err_local_ip,
		    "the local and the peer address families differ.");
	if (s->has_peer4 && cidr_equal(&s->peer4, &c))
		return rparse_fail(s, ERR_SGR_CIDR_CONFLICT, NULL);
	rparse_set(s, fam == 4 ? nm->local4 : nm->local6, fam == 4 ? v4 : v6);
	if (s->peer_family == 0)
		s->peer_family = fam;
	return 0;
}

/* ICMP is IPv4-only, ICMPv6 IPv6-only (§4.7 InvalidParam.*Conflict*). */
static int
rparse_family(struct rparse_state *s)
{
	enum rule_proto p = rparse_protos[s->proto].proto;

	if (s->peer_family == 0 || rule_proto_family_ok(p, s->peer_family))
		return 0;
	return rparse_fail(s, p == RULE_ICMP ? ERR_SGR_V4PROTO_V6ADDR :
	    ERR_SGR_V6PROTO_V4ADDR, rparse_protos[s->proto].name);
}

/*
 * NicType (seed §1.3): VPC groups have intranet rules only (anything given
 * is coerced); classic rules default to internet, group peers to intranet
 * and must be intranet; classic intranet ingress by address accepts only a
 * single IPv4 address (a.b.c.d or a.b.c.d/32).
 */
static int
rparse_nic(struct rparse_state *s, const char *nic)
{
	const char *eff;

	if (nic && strcmp(nic, "intranet") != 0 && strcmp(nic, "internet") != 0)
		return rparse_fail(s, ERR_SGR_NIC, "NicType");
	if (s->g->vpc)
		eff = "intranet";
	else if (s->peer_group) {
		if (nic && strcmp(nic, "internet") == 0)
			return rparse_fail(s, s->nm->err_group_nic, NULL);
		eff = "intranet";
	} else
		eff = nic ? nic : "internet";
	if (!s->g->vpc && strcmp(eff, "intranet") == 0 &&
	    s->nm == &rparse_dirs[RULE_INGRESS] && s->has_peer4 &&
	    s->peer4.len != 32)
		return rparse_fail(s, s->nm->err_peer4, s->nm->peer4);
	rparse_set(s, "NicType", eff);
	return 0;
}

int
rparse_rule(const struct prm_list *p, const char *prefix, enum rule_dir dir,
    const struct rparse_group *g, unsigned mode, json_t **out, char *detail)
{
	struct rparse_state s;
	const char *nic;
	int r;

	*out = NULL;
	memset(&s, 0, sizeof(s));
	s.p = p;
	s.prefix = prefix;
	s.nm = &rparse_dirs[dir];
	s.g = g;
	s.mode = mode;
	s.detail = detail;
	if ((s.doc = rparse_doc_new(dir)) == NULL)
		return -ERR_NOMEM;
	nic = rparse_get(&s, "NicType");
	if ((r = rparse_proto(&s)) < 0 || (r = rparse_ports(&s)) < 0 ||
	    (r = rparse_policy(&s)) < 0 || (r = rparse_priority(&s)) < 0 ||
	    (r = rparse_description(&s)) < 0 || (r = rparse_peer(&s)) < 0 ||
	    (r = rparse_local(&s)) < 0 || (r = rparse_family(&s)) < 0 ||
	    (r = rparse_nic(&s, nic)) < 0) {
		json_decref(s.doc);
		return r;
	}
	*out = s.doc;
	return 0;
}

/* ---- identity ---- */

/* Appends the canonical form of a range ("any" for ""/-1/-1). */
static int
rparse_key_range(const char *v, char *buf, size_t len)
{
	int lo, hi;

	if (v[0] == '\0' || strcmp(v, "-1/-1") == 0)
		return snprintf(buf, len, "any") < 0 ? -1 : 0;
	if (rparse_range(v, &lo, &hi) < 0)
		return -1;
	snprintf(buf, len, "%d-%d", lo, hi);
	return 0;
}

/* The canonical text of the first set address field of a pair. */
static int
rparse_key_addr(const json_t *doc, const char *f4, const char *f6,
    char *buf, size_t len)
{
	const char *v = rparse_str(doc, f4);
	struct cidr c;

	if (v[0] == '\0')
		v = rparse_str(doc, f6);
	buf[0] = '\0';
	if (v[0] == '\0')
		return 0;
	if (cidr_parse_any(v, &c) < 0)
		return -1;
	return cidr_format(&c, buf, len) < 0 ? -1 : 0;
}

int
rparse_key(const json_t *doc, const char *own_account, char *buf, size_t len)
{
	int dir = strcmp(rparse_str(doc, "Direction"), "egress") == 0 ?
	    RULE_EGRESS : RULE_INGRESS;
	const struct rparse_names *nm = &rparse_dirs[dir];
	char dport[16], sport[16], peer[CIDR_STR_MAX], local[CIDR_STR_MAX];
	const char *owner = rparse_str(doc, nm->owner_acct);
	int n;

	if (rparse_key_range(rparse_str(doc, "PortRange"), dport,
	    sizeof(dport)) < 0 ||
	    rparse_key_range(rparse_str(doc, "SourcePortRange"), sport,
	    sizeof(sport)) < 0 ||
	    rparse_key_addr(doc, nm->peer4, nm->peer6, peer,
	    sizeof(peer)) < 0 ||
	    rparse_key_addr(doc, nm->local4, nm->local6, local,
	    sizeof(local)) < 0)
		return -ERR_INVALID_PARAMETER;
	if (rparse_str(doc, nm->group)[0] == '\0')
		owner = "";
	else if (owner[0] == '\0')
		owner = own_account;
	n = snprintf(buf, len, "%s|%s|%s|%s|%s|%s/%s|%s|%s|%s|%s|%lld",
	    nm->dir, rparse_str(doc, "IpProtocol"), dport, sport, peer, owner,
	    rparse_str(doc, nm->group), rparse_str(doc, nm->prefix), local,
	    rparse_str(doc, "NicType"), rparse_str(doc, "Policy"),
	    (long long)json_integer_value(json_object_get(doc, "Priority")));
	return n < 0 || (size_t)n >= len ? -ERR_INVALID_PARAMETER : 0;
}

const char *
rparse_peer_group(const json_t *doc, const char **owner)
{
	int dir = strcmp(rparse_str(doc, "Direction"), "egress") == 0 ?
	    RULE_EGRESS : RULE_INGRESS;
	const char *g = rparse_str(doc, rparse_dirs[dir].group);

	*owner = rparse_str(doc, rparse_dirs[dir].owner_acct);
	return g[0] ? g : NULL;
}
