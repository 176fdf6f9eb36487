/*
 * fw_comp: fw_compile — the two tables around the profile chains:
 *   bridge sekisho_port: port identity (mark), anti-spoofing, fail-closed
 *     handling of ports that are down or unknown;
 *   inet sekisho: conntrack zones, the forward base chain with the two
 *     dispatch maps, the shared group member sets and VPC intranet sets.
 * Profiles are found from the local ports that are up; each is compiled by
 * fw_prof.c, which reports the group and VPC sets its chains reference so
 * that only those are emitted. See fw.h for the layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/fw_int.h"
#include "lib/err.h"

/* ---- text ----------------------------------------------------------- */

void
fw_cidr_text(const struct cidr *c, char *buf, size_t len)
{
	struct cidr m = *c;

	cidr_mask(&m);
	if (m.len == cidr_bits(&m))
		cidr_format_addr(&m, buf, len);
	else
		cidr_format(&m, buf, len);
}

void
fw_addr_text(const struct cidr *c, char *buf, size_t len)
{
	cidr_format_addr(c, buf, len);
}

void
fw_ports_text(unsigned lo, unsigned hi, char *buf, size_t len)
{
	if (lo == hi)
		snprintf(buf, len, "%u", lo);
	else
		snprintf(buf, len, "%u-%u", lo, hi);
}

void
fw_proto_text(unsigned lo, unsigned hi, char *buf, size_t len)
{
	static const struct {
		unsigned num;
		const char *name;
	} names[] = {
		{ 1, "icmp" }, { 6, "tcp" }, { 17, "udp" }, { 47, "gre" },
		{ 58, "ipv6-icmp" },
	};

	if (lo == hi)
		for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
			if (names[i].num == lo) {
				snprintf(buf, len, "%s", names[i].name);
				return;
			}
	fw_ports_text(lo, hi, buf, len);
}

static void
fw_mac_text(const uint8_t m[6], char *buf, size_t len)
{
	snprintf(buf, len, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
	    m[3], m[4], m[5]);
}

/* ---- profiles ------------------------------------------------------- */

struct fw_ctx {
	const struct fw_input *in;
	struct fw_prof *prof;		/* sorted by key */
	size_t nprof;
	size_t *port_prof;		/* [nports] profile of each up port */
	struct fw_refs refs;
	uint8_t *vpc_local;		/* [nvpcs] has a local port */
	uint8_t classic_local;
};

static int
fw_prof_key(const struct fw_input *in, const struct fw_eni *e, char **out)
{
	struct sb s = SB_INIT;

	sb_addf(&s, "%c|%s|", e->vpc >= 0 ? 'v' : 'c',
	    e->vpc >= 0 ? in->vpcs[e->vpc].id : "");
	for (size_t i = 0; i < e->ngroups; i++)
		sb_addf(&s, "%s%s", i ? "," : "", in->groups[e->groups[i]].id);
	if (sb_ok(&s) < 0) {
		sb_free(&s);
		return -ERR_NOMEM;
	}
	*out = sb_take(&s);
	return 0;
}

static int
fw_prof_qcmp(const void *a, const void *b)
{
	return strcmp(((const struct fw_prof *)a)->key,
	    ((const struct fw_prof *)b)->key);
}

static long
fw_prof_find(const struct fw_ctx *x, const char *key)
{
	size_t lo = 0, hi = x->nprof;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(x->prof[mid].key, key);

		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Names p_<12 hex> from the key's hash, salted past collisions. */
static int
fw_prof_names(struct fw_ctx *x)
{
	for (size_t i = 0; i < x->nprof; i++) {
		for (unsigned salt = 0;; salt++) {
			uint64_t h = fw_fnv(FW_FNV_INIT, x->prof[i].key,
			    strlen(x->prof[i].key));
			int taken = 0;

			if (salt)
				h = fw_fnv(h, &salt, sizeof(salt));
			snprintf(x->prof[i].name, sizeof(x->prof[i].name),
			    "p_%012llx", (unsigned long long)(h & 0xffffffffffffULL));
			for (size_t k = 0; k < i && !taken; k++)
				taken = strcmp(x->prof[k].name,
				    x->prof[i].name) == 0;
			if (!taken)
				break;
			if (salt > 1000)
				return -ERR_INTERNAL;
		}
	}
	return 0;
}

static int
fw_profiles(struct fw_ctx *x)
{
	const struct fw_input *in = x->in;
	int r;

	if ((x->prof = calloc(in->nports + 1, sizeof(*x->prof))) == NULL ||
	    (x->port_prof = calloc(in->nports + 1,
	    sizeof(*x->port_prof))) == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < in->nports; i++) {
		const struct fw_eni *e = &in->enis[in->ports[i].eni];
		struct fw_prof *p = &x->prof[x->nprof];

		if (e->vpc >= 0)
			x->vpc_local[e->vpc] = 1;
		else
			x->classic_local = 1;
		if (!in->ports[i].up)
			continue;
		if ((r = fw_prof_key(in, e, &p->key)) < 0)
			return r;
		p->vpc = e->vpc;
		memcpy(p->groups, e->groups, e->ngroups * sizeof(*e->groups));
		p->ngroups = e->ngroups;
		x->nprof++;
	}
	qsort(x->prof, x->nprof, sizeof(*x->prof), fw_prof_qcmp);
	{
		size_t k = 0;

		for (size_t i = 0; i < x->nprof; i++) {
			if (k > 0 && strcmp(x->prof[k - 1].key,
			    x->prof[i].key) == 0) {
				free(x->prof[i].key);
				continue;
			}
			x->prof[k++] = x->prof[i];
		}
		x->nprof = k;
	}
	for (size_t i = 0; i < in->nports; i++) {
		char *key;
		long p;

		if (!in->ports[i].up)
			continue;
		if ((r = fw_prof_key(in, &in->enis[in->ports[i].eni],
		    &key)) < 0)
			return r;
		p = fw_prof_find(x, key);
		free(key);
		x->port_prof[i] = (size_t)p;
		if (in->ports[i].nic == RULE_NIC_INTERNET)
			x->prof[p].need_net = 1;
		else
			x->prof[p].need_intra = 1;
	}
	return fw_prof_names(x);
}

/* ---- bridge sekisho_port -------------------------------------------- */

static void
fw_port_addrs(struct fw_rsb *b, const struct fw_input *in,
    const struct fw_port *p, size_t set4, size_t set6)
{
	const struct fw_eni *e = &in->enis[p->eni];
	char mac[24], a[CIDR_STR_MAX];

	fw_mac_text(p->mac, mac, sizeof(mac));
	if (p->nic == RULE_NIC_INTERNET) {
		fw_addr_text(&e->pub, a, sizeof(a));
		fw_rsb_line(b, set4, "\"%s\" . %s . %s", p->name, mac, a);
		return;
	}
	for (size_t k = 0; k < e->naddrs; k++) {
		fw_addr_text(&e->addrs[k], a, sizeof(a));
		fw_rsb_line(b, e->addrs[k].family == CIDR_V4 ? set4 : set6,
		    "\"%s\" . %s . %s", p->name, mac, a);
	}
}

static void
fw_table_port(struct fw_rsb *b, const struct fw_input *in)
{
	size_t up, down, mark, macs, ip4, ip6, c;
	char mac[24];

	up = fw_rsb_obj(b, FW_T_PORT, FW_K_SET, "ports", "type ifname");
	down = fw_rsb_obj(b, FW_T_PORT, FW_K_SET, "ports_down", "type ifname");
	mark = fw_rsb_obj(b, FW_T_PORT, FW_K_MAP, "port_mark",
	    "type ifname : mark");
	macs = fw_rsb_obj(b, FW_T_PORT, FW_K_SET, "port_mac",
	    "type ifname . ether_addr");
	ip4 = fw_rsb_obj(b, FW_T_PORT, FW_K_SET, "port_ip4",
	    "type ifname . ether_addr . ipv4_addr");
	ip6 = fw_rsb_obj(b, FW_T_PORT, FW_K_SET, "port_ip6",
	    "type ifname . ether_addr . ipv6_addr");
	for (size_t i = 0; i < in->nports; i++) {
		const struct fw_port *p = &in->ports[i];

		if (!p->up) {
			fw_rsb_line(b, down, "\"%s\"", p->name);
			continue;
		}
		fw_mac_text(p->mac, mac, sizeof(mac));
		fw_rsb_line(b, up, "\"%s\"", p->name);
		fw_rsb_line(b, mark, "\"%s\" : 0x%08x", p->name,
		    (unsigned)p->mark);
		fw_rsb_line(b, macs, "\"%s\" . %s", p->name, mac);
		fw_port_addrs(b, in, p, ip4, ip6);
	}
	c = fw_rsb_obj(b, FW_T_PORT, FW_K_CHAIN, "sk_pre",
	    "type filter hook prerouting priority -300; policy accept;");
	fw_rsb_line(b, c, "iifname @ports goto sk_port");
	fw_rsb_line(b, c, "iifname @ports_down drop");
	fw_rsb_line(b, c, "iifname \"" FW_PORT_PREFIX "*\" drop");
	c = fw_rsb_obj(b, FW_T_PORT, FW_K_CHAIN, "sk_port", "%s", "");
	fw_rsb_line(b, c, "iifname . ether saddr != @port_mac drop");
	fw_rsb_line(b, c, "meta mark set iifname map @port_mark");
	/* an instance is never a router: no RA, no redirect */
	fw_rsb_line(b, c, "icmpv6 type { nd-router-advert, nd-redirect } "
	    "drop");
	fw_rsb_line(b, c, "iifname . arp saddr ether . arp saddr ip "
	    "@port_ip4 accept");
	fw_rsb_line(b, c, "arp saddr ip 0.0.0.0 accept");
	fw_rsb_line(b, c, "iifname . ether saddr . ip saddr @port_ip4 accept");
	fw_rsb_line(b, c, "iifname . ether saddr . ip6 saddr @port_ip6 "
	    "accept");
	fw_rsb_line(b, c, "ip6 saddr { ::, fe80::/10 } icmpv6 type { "
	    "nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert, "
	    "mld-listener-report, mld2-listener-report } accept");
	fw_rsb_line(b, c, "drop");
	c = fw_rsb_obj(b, FW_T_PORT, FW_K_CHAIN, "sk_post",
	    "type filter hook postrouting priority 300; policy accept;");
	fw_rsb_line(b, c, "oifname @ports accept");
	fw_rsb_line(b, c, "oifname @ports_down drop");
	fw_rsb_line(b, c, "oifname \"" FW_PORT_PREFIX "*\" drop");
}

/* ---- inet sekisho --------------------------------------------------- */

/* eng.h "Internet vs intranet": the ranges never counted as internet. */
static const char *const fw_private[] = {
	"0.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
	"100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
	"::/128", "::1/128", "fe80::/10", "fc00::/7", NULL,
};

/* Sorted, no prefix inside another, siblings merged into their parent
 * (an interval set refuses overlaps; adjacent siblings are one interval). */
static size_t
fw_pfx_normalize(struct cidr *v, size_t n)
{
	int again = 1;

	while (again) {
		size_t k = 0;

		again = 0;
		for (size_t i = 0; i < n; i++)
			cidr_mask(&v[i]);
		for (size_t i = 0; i < n; i++) {
			int drop = 0;

			for (size_t j = 0; j < n && !drop; j++)
				drop = j != i && cidr_contains(&v[j], &v[i]) &&
				    (!cidr_equal(&v[j], &v[i]) || j < i);
			if (!drop)
				v[k++] = v[i];
		}
		n = k;
		for (size_t i = 0; i < n && !again; i++)
			for (size_t j = i + 1; j < n && !again; j++) {
				struct cidr a = v[i], c = v[j];

				if (a.family != c.family || a.len != c.len ||
				    a.len == 0)
					continue;
				a.len--;
				c.len--;
				cidr_mask(&a);
				cidr_mask(&c);
				if (cidr_equal(&a, &c)) {
					v[i] = a;
					v[j] = v[--n];
					again = 1;
				}
			}
	}
	return n;
}

static int
fw_intra_sets(struct fw_rsb *b, const struct fw_input *in, size_t vi)
{
	const struct fw_vpc *v = &in->vpcs[vi];
	struct cidr pf[16];
	char name[32], t[CIDR_STR_MAX];
	size_t n = 0;

	for (size_t i = 0; fw_private[i]; i++)
		if (cidr_parse(fw_private[i], &pf[n++]) < 0)
			return -ERR_INTERNAL;
	for (size_t i = 0; i < v->npfx; i++)
		pf[n++] = v->pfx[i];
	n = fw_pfx_normalize(pf, n);
	for (int f = CIDR_V4; f <= CIDR_V6; f += CIDR_V6 - CIDR_V4) {
		size_t s;

		snprintf(name, sizeof(name), "z%u_intra%d", (unsigned)v->zone,
		    f);
		s = fw_rsb_obj(b, FW_T_SG, FW_K_SET, name, "type %s\n"
		    "flags interval", f == CIDR_V4 ? "ipv4_addr" : "ipv6_addr");
		for (size_t i = 0; i < n; i++)
			if (pf[i].family == f) {
				fw_cidr_text(&pf[i], t, sizeof(t));
				fw_rsb_line(b, s, "%s", t);
			}
	}
	return 0;
}

static void
fw_group_sets(struct fw_rsb *b, const struct fw_ctx *x)
{
	const struct fw_input *in = x->in;
	size_t *obj4 = calloc(in->ngroups + 1, sizeof(*obj4));
	size_t *obj6 = calloc(in->ngroups + 1, sizeof(*obj6));
	char name[FW_ID_MAX + 8], a[CIDR_STR_MAX];

	if (obj4 == NULL || obj6 == NULL) {
		b->err = -ERR_NOMEM;
		goto out;
	}
	for (size_t g = 0; g < in->ngroups; g++) {
		if (!x->refs.group[g])
			continue;
		snprintf(name, sizeof(name), "g_%s_4", in->groups[g].id);
		obj4[g] = fw_rsb_obj(b, FW_T_SG, FW_K_SET, name,
		    "type ipv4_addr");
		snprintf(name, sizeof(name), "g_%s_6", in->groups[g].id);
		obj6[g] = fw_rsb_obj(b, FW_T_SG, FW_K_SET, name,
		    "type ipv6_addr");
	}
	for (size_t i = 0; i < in->nenis; i++) {
		const struct fw_eni *e = &in->enis[i];

		for (size_t k = 0; k < e->ngroups; k++) {
			size_t g = e->groups[k];

			if (!x->refs.group[g])
				continue;
			for (size_t j = 0; j < e->naddrs; j++) {
				fw_addr_text(&e->addrs[j], a, sizeof(a));
				fw_rsb_line(b, e->addrs[j].family == CIDR_V4 ?
				    obj4[g] : obj6[g], "%s", a);
			}
		}
	}
out:
	free(obj4);
	free(obj6);
}

static void
fw_dispatch(struct fw_rsb *b, const struct fw_ctx *x)
{
	const struct fw_input *in = x->in;
	size_t eg, in4, in6;
	char a[CIDR_STR_MAX];

	eg = fw_rsb_obj(b, FW_T_SG, FW_K_MAP, "sk_eg", "type mark : verdict");
	in4 = fw_rsb_obj(b, FW_T_SG, FW_K_MAP, "sk_in4",
	    "type ifname . ipv4_addr : verdict");
	in6 = fw_rsb_obj(b, FW_T_SG, FW_K_MAP, "sk_in6",
	    "type ifname . ipv6_addr : verdict");
	for (size_t i = 0; i < in->nports; i++) {
		const struct fw_port *p = &in->ports[i];
		const struct fw_eni *e = &in->enis[p->eni];
		const char *pn = x->prof[x->port_prof[i]].name;
		const char *net = p->nic == RULE_NIC_INTERNET ? "_net" : "";

		if (!p->up)
			continue;
		fw_rsb_line(b, eg, "0x%08x : jump %s_eg%s", (unsigned)p->mark,
		    pn, net);
		if (p->nic == RULE_NIC_INTERNET) {
			fw_addr_text(&e->pub, a, sizeof(a));
			fw_rsb_line(b, in4, "\"%s\" . %s : jump %s_in%s",
			    p->bridge, a, pn, net);
			continue;
		}
		for (size_t k = 0; k < e->naddrs; k++) {
			fw_addr_text(&e->addrs[k], a, sizeof(a));
			fw_rsb_line(b, e->addrs[k].family == CIDR_V4 ? in4 : in6,
			    "\"%s\" . %s : jump %s_in", p->bridge, a, pn);
		}
	}
}

static void
fw_zones(struct fw_rsb *b, const struct fw_ctx *x)
{
	const struct fw_input *in = x->in;
	size_t zone, zfib, paths, c;
	char name[32];

	zone = fw_rsb_obj(b, FW_T_SG, FW_K_MAP, "sk_zone",
	    "typeof iifname : ct zone");
	zfib = fw_rsb_obj(b, FW_T_SG, FW_K_MAP, "sk_zfib",
	    "typeof fib daddr oifname : verdict");
	paths = fw_rsb_obj(b, FW_T_SG, FW_K_SET, "sk_paths",
	    "type ifname . ifname");
	fw_rsb_line(b, paths, "\"%s\" . \"%s\"", FW_BR_INET, FW_BR_INET);
	if (x->classic_local) {
		fw_rsb_line(b, zone, "\"%s\" : %u", FW_BR_CLASSIC,
		    FW_ZONE_CLASSIC);
		fw_rsb_line(b, paths, "\"%s\" . \"%s\"", FW_BR_CLASSIC,
		    FW_BR_CLASSIC);
	}
	for (size_t i = 0; i < in->nvpcs; i++) {
		const struct fw_vpc *v = &in->vpcs[i];

		if (!x->vpc_local[i])
			continue;
		snprintf(name, sizeof(name), "sk_z%u", (unsigned)v->zone);
		c = fw_rsb_obj(b, FW_T_SG, FW_K_CHAIN, name, "%s", "");
		fw_rsb_line(b, c, "ct zone set %u", (unsigned)v->zone);
		fw_rsb_line(b, zone, "\"%s\" : %u", v->bridge,
		    (unsigned)v->zone);
		fw_rsb_line(b, zfib, "\"%s\" : goto %s", v->bridge, name);
		fw_rsb_line(b, paths, "\"%s\" . \"%s\"", v->bridge, v->bridge);
		fw_rsb_line(b, paths, "\"%s\" . \"%s\"", v->bridge, FW_BR_INET);
		fw_rsb_line(b, paths, "\"%s\" . \"%s\"", FW_BR_INET, v->bridge);
	}
}

/* COMPAT: seed-spec §1.5.7 — as eng_look.c (eng_risky_ports). */
static const unsigned fw_risky_ports[] = { 135, 139, 444, 445, 5800, 5900 };

/* The operator blocks: protocol . destination port, per gate. */
static void
fw_block_sets(struct fw_rsb *b, const struct fw_input *in)
{
	size_t s[2];

	s[RULE_INGRESS] = fw_rsb_obj(b, FW_T_SG, FW_K_SET, "sk_block_in",
	    "type inet_proto . inet_service");
	s[RULE_EGRESS] = fw_rsb_obj(b, FW_T_SG, FW_K_SET, "sk_block_eg",
	    "type inet_proto . inet_service");
	if (!in->tcp25_open)
		fw_rsb_line(b, s[RULE_EGRESS], "tcp . 25");
	for (int d = RULE_INGRESS; d <= RULE_EGRESS; d++)
		for (size_t i = 0; i < sizeof(fw_risky_ports) /
		    sizeof(*fw_risky_ports); i++) {
			fw_rsb_line(b, s[d], "tcp . %u", fw_risky_ports[i]);
			fw_rsb_line(b, s[d], "udp . %u", fw_risky_ports[i]);
		}
}

/* Multicast, limited broadcast and each local subnet's broadcast. */
static void
fw_nocast(struct fw_rsb *b, const struct fw_ctx *x)
{
	const struct fw_input *in = x->in;
	size_t s = fw_rsb_obj(b, FW_T_SG, FW_K_SET, "sk_nocast4",
	    "type ipv4_addr\nflags interval");
	struct cidr bc, cl, mc;
	char t[CIDR_STR_MAX];

	if (cidr_parse("224.0.0.0/4", &mc) < 0) {
		b->err = -ERR_INTERNAL;
		return;
	}
	fw_rsb_line(b, s, "224.0.0.0/4");
	fw_rsb_line(b, s, "255.255.255.255");
	for (size_t i = 0; i < in->nvswitches; i++) {
		const struct fw_vswitch *w = &in->vswitches[i];

		if (!x->vpc_local[w->vpc] || cidr_nth(&w->cidr,
		    cidr_size(&w->cidr) - 1, &bc) < 0 ||
		    cidr_contains(&mc, &bc))
			continue;	/* (no overlap in an interval set) */
		fw_addr_text(&bc, t, sizeof(t));
		fw_rsb_line(b, s, "%s", t);
	}
	if (x->classic_local && cidr_parse(FW_CLASSIC_CIDR, &cl) == 0 &&
	    cidr_nth(&cl, cidr_size(&cl) - 1, &bc) == 0) {
		fw_addr_text(&bc, t, sizeof(t));
		fw_rsb_line(b, s, "%s", t);
	}
}

static void
fw_base_chains(struct fw_rsb *b)
{
	size_t c;

	c = fw_rsb_obj(b, FW_T_SG, FW_K_CHAIN, "sk_raw",
	    "type filter hook prerouting priority raw; policy accept;");
	fw_rsb_line(b, c, "iifname \"%s\" fib daddr oifname vmap @sk_zfib",
	    FW_BR_INET);
	fw_rsb_line(b, c, "ct zone set iifname map @sk_zone");
	c = fw_rsb_obj(b, FW_T_SG, FW_K_CHAIN, "sk_raw_out",
	    "type filter hook output priority raw; policy accept;");
	fw_rsb_line(b, c, "ct zone set oifname map @sk_zone");
	c = fw_rsb_obj(b, FW_T_SG, FW_K_CHAIN, "sk_fwd",
	    "type filter hook forward priority filter; policy drop;");
	fw_rsb_line(b, c, "ct state invalid drop");
	fw_rsb_line(b, c, "ct state established,related accept");
	fw_rsb_line(b, c, "iifname . oifname != @sk_paths drop");
	fw_rsb_line(b, c, "ip6 hoplimit 255 icmpv6 type { nd-router-solicit, "
	    "nd-neighbor-solicit, nd-neighbor-advert } accept");
	/* COMPAT: a VPC carries no broadcast or multicast ("VPC does not
	 * support broadcast or multicast"); without this, a broadcast would
	 * reach every port with no ingress gate (no dispatch entry). */
	fw_rsb_line(b, c, "ip daddr @sk_nocast4 drop");
	fw_rsb_line(b, c, "ip6 daddr ff00::/8 drop");
	fw_rsb_line(b, c, "meta mark vmap @sk_eg");
	fw_rsb_line(b, c, "oifname . ip daddr vmap @sk_in4");
	fw_rsb_line(b, c, "oifname . ip6 daddr vmap @sk_in6");
	fw_rsb_line(b, c, "accept");
}

static void
fw_ctx_free(struct fw_ctx *x)
{
	for (size_t i = 0; i < x->nprof; i++)
		free(x->prof[i].key);
	free(x->prof);
	free(x->port_prof);
	free(x->refs.group);
	free(x->refs.vpc);
	free(x->vpc_local);
}

int
fw_compile(const struct fw_input *in, struct fw_ruleset **out)
{
	struct fw_rsb b = { NULL, 0, 0, 0 };
	struct fw_ctx x;
	int r;

	*out = NULL;
	memset(&x, 0, sizeof(x));
	x.in = in;
	x.refs.group = calloc(in->ngroups + 1, 1);
	x.refs.vpc = calloc(in->nvpcs + 1, 1);
	x.vpc_local = calloc(in->nvpcs + 1, 1);
	if (x.refs.group == NULL || x.refs.vpc == NULL || x.vpc_local == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	if ((r = fw_profiles(&x)) < 0)
		goto out;
	fw_table_port(&b, in);
	for (size_t i = 0; i < x.nprof && r == 0; i++)
		r = fw_prof_emit(&b, in, &x.prof[i], &x.refs);
	for (size_t i = 0; i < in->nvpcs && r == 0; i++)
		if (x.refs.vpc[i])
			r = fw_intra_sets(&b, in, i);
	if (r < 0)
		goto out;
	fw_group_sets(&b, &x);
	fw_dispatch(&b, &x);
	fw_zones(&b, &x);
	fw_block_sets(&b, in);
	fw_nocast(&b, &x);
	fw_base_chains(&b);
	r = fw_rsb_finish(&b, out);
out:
	fw_rsb_free(&b);
	fw_ctx_free(&x);
	return r;
}
