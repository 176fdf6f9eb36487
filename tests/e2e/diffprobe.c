/*
 * diffprobe: the kernel/engine differential test (issue 5 item 6).
 *
 *   diffprobe --tag T --desired FILE --status FILE --outside NAME=IP...
 *             [--rounds R] [--probes N] [--seed S]
 *
 * A fixed topology (one VPC, two vSwitches, six instances named
 * i-dt<T>-<k>; two classic instances i-dt<T>-c<k>, each an intranet and an
 * internet address) plus the outside hosts given (created by the caller
 * with `sekisho-agent outside add`; 198.18.77.x below .100). Each round writes a desired-state document
 * with random groups, memberships and rules to FILE (a running agent with
 * --desired-file FILE --status-file STATUS applies it), waits for the
 * agent's report, then sends N probes — TCP SYN, UDP, ICMP echo, GRE —
 * from the sender's namespace with raw sockets (the sender's own address:
 * anti-spoofing passes) and watches every destination interface with a
 * packet socket. A probe that arrives was accepted by the kernel; the
 * engine (fw_input_eng + eng_decide, src/sg/eng.h) must say the same for
 * every probe. Every probe is a fresh flow: source ports are unique over
 * the run and above every destination port, so no probe is ever the reply
 * direction of another; GRE goes one way per pair for the same reason.
 *
 * Last line: "diffprobe: N passed, N failed" (probes); exit 1 on any
 * mismatch or setup failure. Traffic stays inside the test's namespaces.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "fw/fw.h"
#include "sg/eng.h"

#define NINST 6		/* VPC instances */
#define NCLS 2			/* classic instances: two endpoints each */
#define NOUT_MAX 4
#define NEP (NINST + 2 * NCLS + NOUT_MAX)
#define NGROUPS 5		/* VPC: 4 basic + 1 enterprise */
#define NCGROUPS 2		/* classic, basic */
#define OWNER "1000000000000001"
#define OTHER_OWNER "1000000000000002"

enum ep_kind { EP_VPC, EP_CIN, EP_CNET, EP_OUT };

/* An address that sends and receives probes: a VPC instance, a classic
 * instance's intranet or internet NIC, an outside host. */
struct ep {
	char ns[64];
	char eni[64];		/* "" = outside host */
	char ifname[16];	/* the receiving interface */
	char ip[16];
	uint32_t addr;		/* network order */
	int kind;		/* enum ep_kind */
	int sub;		/* VPC: vSwitch 0/1 */
	int tx, rx;		/* raw send socket, packet receive socket */
};

struct probe {
	uint8_t src, dst, proto;
	uint16_t sport, dport;	/* ICMP: id in sport */
	uint8_t want, got;
};

static struct ep eps[NEP];
static int nep, nout;
static uint64_t rng;
static const char *tag, *desired_path, *status_path;
static char groups[NGROUPS][64], cgroups[NCGROUPS][64];
static uint16_t next_sport = 10000;

static uint64_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static int
pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static void
die(const char *msg)
{
	fprintf(stderr, "diffprobe: %s (%s)\n", msg, strerror(errno));
	printf("diffprobe: 0 passed, 1 failed\n");
	exit(1);
}

/* ---- namespaces and sockets ---------------------------------------- */

static void
ns_enter(const char *name, int *saved)
{
	char path[128];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%.64s", name);
	*saved = open("/proc/thread-self/ns/net", O_RDONLY);
	if ((fd = open(path, O_RDONLY)) < 0 || setns(fd, CLONE_NEWNET) < 0)
		die(name);
	close(fd);
}

static void
ns_leave(int saved)
{
	if (setns(saved, CLONE_NEWNET) < 0)
		die("setns back");
	close(saved);
}

static void
ep_open(struct ep *e)
{
	struct sockaddr_ll sll;
	int one = 1, big = 8 << 20, saved;

	ns_enter(e->ns, &saved);
	if ((e->tx = socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) < 0 ||
	    setsockopt(e->tx, IPPROTO_IP, IP_HDRINCL, &one, sizeof(one)) < 0)
		die("raw socket");
	if ((e->rx = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP))) < 0)
		die("packet socket");
	setsockopt(e->rx, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_IP);
	sll.sll_ifindex = (int)if_nametoindex(e->ifname);
	if (sll.sll_ifindex == 0 ||
	    bind(e->rx, (struct sockaddr *)&sll, sizeof(sll)) < 0)
		die("bind to the receiving interface");
	fcntl(e->rx, F_SETFL, O_NONBLOCK);
	ns_leave(saved);
}

/* ---- packets --------------------------------------------------------- */

static uint16_t
csum(const void *p, size_t n, uint32_t sum)
{
	const uint8_t *b = p;

	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)(b[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static uint32_t
pseudo(uint32_t s, uint32_t d, uint8_t proto, size_t len)
{
	uint32_t sum = 0;

	s = ntohl(s);
	d = ntohl(d);
	sum += (s >> 16) + (s & 0xffff) + (d >> 16) + (d & 0xffff);
	return sum + proto + (uint32_t)len;
}

static void
send_probe(const struct probe *p)
{
	const struct ep *s = &eps[p->src], *d = &eps[p->dst];
	uint8_t pkt[64];
	struct iphdr *ip = (struct iphdr *)pkt;
	uint8_t *l4 = pkt + 20;
	size_t l4len = 0;
	struct sockaddr_in to;

	memset(pkt, 0, sizeof(pkt));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = p->proto;
	ip->saddr = s->addr;
	ip->daddr = d->addr;
	switch (p->proto) {
	case IPPROTO_TCP:
		l4len = 20;
		l4[0] = (uint8_t)(p->sport >> 8), l4[1] = (uint8_t)p->sport;
		l4[2] = (uint8_t)(p->dport >> 8), l4[3] = (uint8_t)p->dport;
		l4[7] = 1;		/* seq */
		l4[12] = 5 << 4;	/* data offset */
		l4[13] = 0x02;		/* SYN */
		l4[14] = 0xff, l4[15] = 0xff;
		*(uint16_t *)(l4 + 16) = csum(l4, l4len,
		    pseudo(ip->saddr, ip->daddr, IPPROTO_TCP, l4len));
		break;
	case IPPROTO_UDP:
		l4len = 12;
		l4[0] = (uint8_t)(p->sport >> 8), l4[1] = (uint8_t)p->sport;
		l4[2] = (uint8_t)(p->dport >> 8), l4[3] = (uint8_t)p->dport;
		l4[5] = (uint8_t)l4len;
		memcpy(l4 + 8, "sksk", 4);
		*(uint16_t *)(l4 + 6) = csum(l4, l4len,
		    pseudo(ip->saddr, ip->daddr, IPPROTO_UDP, l4len));
		break;
	case IPPROTO_ICMP:
		l4len = 8;
		l4[0] = 8;		/* echo request */
		l4[4] = (uint8_t)(p->sport >> 8), l4[5] = (uint8_t)p->sport;
		l4[7] = 1;
		*(uint16_t *)(l4 + 2) = csum(l4, l4len, 0);
		break;
	default:			/* GRE, version 0, protocol 0x0800 */
		l4len = 4;
		l4[2] = 0x08;
		break;
	}
	ip->tot_len = htons((uint16_t)(20 + l4len));
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_addr.s_addr = d->addr;
	if (sendto(s->tx, pkt, 20 + l4len, 0, (struct sockaddr *)&to,
	    sizeof(to)) < 0 && errno != EPERM)
		fprintf(stderr, "send %s -> %s: %s\n", s->ip, d->ip,
		    strerror(errno));
}

/* Marks the probe a received packet belongs to (linear: small rounds are
 * fast enough, and exactness matters more here). */
static void
note_rx(struct probe *pr, size_t n, int dst, const uint8_t *b, size_t len)
{
	const struct iphdr *ip = (const struct iphdr *)b;
	const uint8_t *l4;
	uint16_t sp = 0, dp = 0;

	if (len < 24 || ip->version != 4)
		return;
	l4 = b + ip->ihl * 4;
	if (ip->protocol == IPPROTO_TCP || ip->protocol == IPPROTO_UDP) {
		sp = (uint16_t)(l4[0] << 8 | l4[1]);
		dp = (uint16_t)(l4[2] << 8 | l4[3]);
	} else if (ip->protocol == IPPROTO_ICMP) {
		if (l4[0] != 8)
			return;	/* replies and errors are not probes */
		sp = (uint16_t)(l4[4] << 8 | l4[5]);
	}
	for (size_t i = 0; i < n; i++) {
		struct probe *p = &pr[i];

		if (p->dst != dst || p->proto != ip->protocol ||
		    eps[p->src].addr != ip->saddr)
			continue;
		if (p->proto == IPPROTO_GRE ||
		    (p->proto == IPPROTO_ICMP && p->sport == sp) ||
		    (p->sport == sp && p->dport == dp))
			p->got = 1;
	}
}

static void
drain(struct probe *pr, size_t n)
{
	uint8_t buf[2048];
	struct sockaddr_ll from;

	for (int k = 0; k < nep; k++) {
		for (;;) {
			socklen_t fl = sizeof(from);
			ssize_t got = recvfrom(eps[k].rx, buf, sizeof(buf), 0,
			    (struct sockaddr *)&from, &fl);

			if (got < 0)
				break;
			if (from.sll_pkttype == PACKET_OUTGOING)
				continue;
			note_rx(pr, n, k, buf, (size_t)got);
		}
	}
}

/* ---- random desired state ------------------------------------------- */

static const uint16_t port_pool[] = {
	22, 25, 53, 80, 135, 139, 443, 444, 445, 1433, 3306, 3389, 5800, 5900,
	8080, 9000,
};
#define NPOOL (sizeof(port_pool) / sizeof(port_pool[0]))

static uint16_t
pool_port(void)
{
	if (pick(4) == 0)
		return (uint16_t)(1 + pick(9999));
	return (uint16_t)(port_pool[pick(NPOOL)] + (pick(3) == 0 ?
	    pick(5) - 2 : 0));
}

/* A peer CIDR: a block, or one endpoint's address (any kind: rules may
 * name addresses that can never be their peer). */
static const char *
peer_cidr(char *buf, size_t len)
{
	static const char *const fixed[] = {
		"0.0.0.0/0", "10.77.0.0/16", "10.77.1.0/24", "10.77.2.0/24",
		"198.18.0.0/15", "10.77.1.0/25", "198.18.77.0/24",
		"192.168.77.0/24", "198.18.77.100/31", "192.168.0.0/16",
	};
	const struct ep *e = &eps[pick(nep)];

	if (pick(2) == 0) {
		snprintf(buf, len, "%s", fixed[pick(10)]);
		return buf;
	}
	snprintf(buf, len, "%s%s", e->ip, pick(2) ? "/32" : "");
	return buf;
}

/* Rule k of group g; classic: a classic group (NicType either). */
static json_t *
gen_rule(const char *gid, int k, int enterprise, int classic)
{
	static const char *const protos[] = { "TCP", "TCP", "TCP", "UDP",
	    "UDP", "ICMP", "ALL", "GRE" };
	const char *proto = protos[pick(8)];
	int ingress = pick(2), ports = proto[0] == 'T' || proto[0] == 'U';
	char id[96], pr[32] = "-1/-1", spr[32] = "", peer[64], local[64];
	json_t *r;

	snprintf(id, sizeof(id), "sgr-%s-%d", gid + 3, k);
	if (ports) {
		int lo = pool_port(), hi = lo;

		if (pick(3) == 0)
			hi = lo + pick(300);
		if (pick(10) == 0)
			lo = 1, hi = 65535;
		snprintf(pr, sizeof(pr), "%d/%d", lo, hi > 65535 ? 65535 : hi);
		if (pick(5) == 0) {
			int slo = 10000 + pick(40000), shi = slo + pick(20000);

			snprintf(spr, sizeof(spr), "%d/%d", slo,
			    shi > 65535 ? 65535 : shi);
		}
	}
	r = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s,"
	    " s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:i}",
	    "SecurityGroupRuleId", id, "Direction", ingress ? "ingress" :
	    "egress", "IpProtocol", proto, "PortRange", pr,
	    "SourcePortRange", spr, "SourceCidrIp", "", "DestCidrIp", "",
	    "Ipv6SourceCidrIp", "", "Ipv6DestCidrIp", "", "SourceGroupId", "",
	    "DestGroupId", "", "SourceGroupOwnerAccount", "",
	    "DestGroupOwnerAccount", "", "SourcePrefixListId", "",
	    "DestPrefixListId", "", "NicType", classic && pick(2) ?
	    "internet" : "intranet",
	    "Policy", enterprise || pick(5) < 3 ? "Accept" : "Drop",
	    "Priority", enterprise ? 1 : (int[]){ 1, 1, 2, 3, 5, 50, 100,
	    1 + pick(100) }[pick(8)]);
	if (!enterprise && pick(10) < 3) {
		static const char *const owners[] = { "", "", "", OWNER,
		    OTHER_OWNER };

		json_object_set_new(r, ingress ? "SourceGroupId" :
		    "DestGroupId", json_string(classic ?
		    cgroups[pick(NCGROUPS)] : groups[pick(NGROUPS - 1)]));
		json_object_set_new(r, ingress ? "SourceGroupOwnerAccount" :
		    "DestGroupOwnerAccount", json_string(owners[pick(5)]));
	} else
		json_object_set_new(r, ingress ? "SourceCidrIp" : "DestCidrIp",
		    json_string(peer_cidr(peer, sizeof(peer))));
	if (pick(10) == 0) {		/* quintuple: the local side */
		const struct ep *e = &eps[pick(NINST + 2 * NCLS)];

		snprintf(local, sizeof(local), "%s", pick(2) ? e->ip :
		    e->kind != EP_VPC ? "192.168.77.0/24" :
		    e->sub ? "10.77.2.0/24" : "10.77.1.0/24");
		json_object_set_new(r, ingress ? "DestCidrIp" : "SourceCidrIp",
		    json_string(local));
	}
	return r;
}

/* The classic network: its groups (VpcId "") and instances, each with
 * an intranet and an internet address. */
static void
gen_classic(json_t *gs, json_t *enis)
{
	for (int g = 0; g < NCGROUPS; g++) {
		json_t *rules = json_array();
		int nr = pick(9);

		for (int k = 0; k < nr; k++)
			json_array_append_new(rules, gen_rule(cgroups[g], k, 0,
			    1));
		json_array_append_new(gs, json_pack("{s:s, s:s, s:s, s:s,"
		    " s:s, s:o}", "SecurityGroupId", cgroups[g], "OwnerId",
		    OWNER, "SecurityGroupType", "normal", "InnerAccessPolicy",
		    pick(2) ? "Accept" : "Drop", "VpcId", "", "Rules", rules));
	}
	for (int k = 0; k < NCLS; k++) {
		const struct ep *in = &eps[NINST + 2 * k];
		json_t *sg = json_array();
		char mac[24];
		int first = pick(NCGROUPS);

		json_array_append_new(sg, json_string(cgroups[first]));
		if (pick(2))
			json_array_append_new(sg, json_string(
			    cgroups[(first + 1) % NCGROUPS]));
		snprintf(mac, sizeof(mac), "00:16:3e:77:01:%02x", k + 1);
		json_array_append_new(enis, json_pack("{s:s, s:s, s:s, s:s,"
		    " s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s}",
		    "NetworkInterfaceId", in->eni, "InstanceId", in->ns,
		    "OwnerId", OWNER, "Type", "Primary", "HostId", "host-local",
		    "Running", 1, "MacAddress", mac, "PrivateIpAddress", in->ip,
		    "PublicIpAddress", in[1].ip, "VpcId", "", "VSwitchId", "",
		    "SecurityGroupIds", sg, "Driver", "local",
		    "HostInterface", ""));
	}
}

static json_t *
gen_doc(int rev)
{
	json_t *doc, *gs, *enis;
	char vpc[64], vsw[2][64];

	snprintf(vpc, sizeof(vpc), "vpc-dt%s", tag);
	snprintf(vsw[0], sizeof(vsw[0]), "vsw-dt%s-a", tag);
	snprintf(vsw[1], sizeof(vsw[1]), "vsw-dt%s-b", tag);
	doc = json_pack("{s:i, s:s, s:{s:b}, s:[{s:s, s:s, s:i}],"
	    " s:[{s:s, s:s, s:s, s:s}, {s:s, s:s, s:s, s:s}]}",
	    "Revision", rev, "HostId", "host-local", "Operator", "Tcp25Open",
	    pick(5) == 0, "Vpcs", "VpcId", vpc, "CidrBlock", "10.77.0.0/16",
	    "ZoneId", 1, "VSwitches", "VSwitchId", vsw[0], "VpcId", vpc,
	    "CidrBlock", "10.77.1.0/24", "GatewayIp", "10.77.1.253",
	    "VSwitchId", vsw[1], "VpcId", vpc, "CidrBlock", "10.77.2.0/24",
	    "GatewayIp", "10.77.2.253");
	gs = json_array();
	for (int g = 0; g < NGROUPS; g++) {
		int ent = g == NGROUPS - 1, nr = pick(9);
		json_t *rules = json_array();

		for (int k = 0; k < nr; k++)
			json_array_append_new(rules, gen_rule(groups[g], k,
			    ent, 0));
		json_array_append_new(gs, json_pack("{s:s, s:s, s:s, s:s,"
		    " s:s, s:o}", "SecurityGroupId", groups[g], "OwnerId",
		    OWNER, "SecurityGroupType", ent ? "enterprise" : "normal",
		    "InnerAccessPolicy", !ent && pick(3) ? "Accept" : "Drop",
		    "VpcId", vpc, "Rules", rules));
	}
	enis = json_array();
	for (int k = 0; k < NINST; k++) {
		json_t *sg = json_array();
		char mac[24];

		if (pick(5) == 0)
			json_array_append_new(sg, json_string(
			    groups[NGROUPS - 1]));
		else {
			int n = 1 + pick(3), first = pick(NGROUPS - 1);

			for (int i = 0; i < n && i < NGROUPS - 1; i++)
				json_array_append_new(sg, json_string(groups[
				    (first + i) % (NGROUPS - 1)]));
		}
		snprintf(mac, sizeof(mac), "00:16:3e:77:00:%02x", k + 1);
		json_array_append_new(enis, json_pack("{s:s, s:s, s:s, s:s,"
		    " s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s}",
		    "NetworkInterfaceId", eps[k].eni, "InstanceId", eps[k].ns,
		    "OwnerId", OWNER, "Type", "Primary", "HostId", "host-local",
		    "Running", 1, "MacAddress", mac, "PrivateIpAddress",
		    eps[k].ip, "PublicIpAddress", "", "VpcId", vpc,
		    "VSwitchId", vsw[eps[k].sub], "SecurityGroupIds", sg,
		    "Driver", "local", "HostInterface", ""));
	}
	gen_classic(gs, enis);
	json_object_set_new(doc, "Groups", gs);
	json_object_set_new(doc, "NetworkInterfaces", enis);
	return doc;
}

static void
write_doc(const json_t *doc)
{
	char tmp[512];

	snprintf(tmp, sizeof(tmp), "%s.tmp", desired_path);
	if (json_dump_file(doc, tmp, JSON_INDENT(1)) < 0 ||
	    rename(tmp, desired_path) < 0)
		die("cannot write the desired state");
}

/* Waits until the agent reports rev applied without error. */
static void
wait_applied(int rev)
{
	for (int i = 0; i < 600; i++) {
		json_t *st = json_load_file(status_path, 0, NULL);
		json_int_t ar = json_integer_value(json_object_get(st,
		    "AppliedRevision"));
		const char *err = json_string_value(json_object_get(st,
		    "Error"));

		if (ar == rev && (err == NULL || err[0] == '\0')) {
			json_decref(st);
			return;
		}
		if (ar == rev || i == 599) {
			fprintf(stderr, "agent status: %s\n", err ? err : "?");
			json_decref(st);
			errno = 0;
			die("the agent did not apply the state");
		}
		json_decref(st);
		usleep(50000);
	}
}

/* ---- the rounds -------------------------------------------------------- */

static int
engine_says(const struct eng_model *m, const struct probe *p, char *why,
    size_t len)
{
	struct eng_flow f;
	struct eng_result r;
	char fl[256], eg[256] = "-", in[256] = "-";

	memset(&f, 0, sizeof(f));
	f.family = CIDR_V4;
	f.proto = p->proto;
	f.ct = ENG_CT_NEW;
	if (p->proto == IPPROTO_ICMP)
		f.icmp_type = 8;
	else if (p->proto != IPPROTO_GRE) {
		f.sport = p->sport;
		f.dport = p->dport;
	}
	memcpy(f.src, &eps[p->src].addr, 4);
	memcpy(f.dst, &eps[p->dst].addr, 4);
	snprintf(f.src_eni, sizeof(f.src_eni), "%s", eps[p->src].eni);
	snprintf(f.dst_eni, sizeof(f.dst_eni), "%s", eps[p->dst].eni);
	if (eng_decide(m, &f, &r) < 0) {
		errno = 0;
		die("eng_decide failed");
	}
	eng_flow_format(&f, fl, sizeof(fl));
	if (r.egress.present)
		eng_item_format(&r.egress.item, eg, sizeof(eg));
	if (r.ingress.present)
		eng_item_format(&r.ingress.item, in, sizeof(in));
	snprintf(why, len, "%s | egress %s: %s | ingress %s: %s", fl,
	    r.egress.present ? (r.egress.accept ? "accept" : "drop") : "none",
	    eg, r.ingress.present ? (r.ingress.accept ? "accept" : "drop") :
	    "none", in);
	return r.accept;
}

/*
 * Pairs a packet can travel: the classic intranet only to itself (no
 * route elsewhere; its sender would be a spoofer), everything else over
 * the VPC or the internet; outside to outside proves nothing.
 */
static int
pair_ok(int s, int d)
{
	int a = eps[s].kind, b = eps[d].kind;

	if (s == d || (a == EP_OUT && b == EP_OUT))
		return 0;
	if (a == EP_CIN || b == EP_CIN)
		return a == b && strcmp(eps[s].ns, eps[d].ns) != 0;
	return strcmp(eps[s].ns, eps[d].ns) != 0;
}

static void
gen_probe(struct probe *p)
{
	static const uint8_t protos[] = { IPPROTO_TCP, IPPROTO_TCP,
	    IPPROTO_TCP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDP, IPPROTO_UDP,
	    IPPROTO_ICMP, IPPROTO_ICMP, IPPROTO_GRE };

	memset(p, 0, sizeof(*p));
	do {
		p->src = (uint8_t)pick(nep);
		p->dst = (uint8_t)pick(nep);
	} while (!pair_ok(p->src, p->dst));
	p->proto = protos[pick(10)];
	if (p->proto == IPPROTO_GRE && p->src > p->dst) {
		uint8_t t = p->src;

		p->src = p->dst;
		p->dst = t;
	}
	p->sport = next_sport++;
	p->dport = pool_port();
	if (next_sport == 0) {
		errno = 0;
		die("out of source ports: fewer probes");
	}
}

static unsigned delivered, per_proto[256][2], per_kind[4][2];

static void
round_run(const struct eng_model *m, struct probe *pr, size_t n,
    unsigned *pass, unsigned *fail)
{
	char why[1024];
	unsigned shown = 0;

	for (size_t i = 0; i < n; i++) {
		gen_probe(&pr[i]);
		pr[i].want = (uint8_t)engine_says(m, &pr[i], why, sizeof(why));
	}
	for (size_t i = 0; i < n; i++) {
		send_probe(&pr[i]);
		if (i % 32 == 31) {
			usleep(2000);
			drain(pr, n);
		}
	}
	usleep(300000);
	drain(pr, n);
	for (size_t i = 0; i < n; i++) {
		delivered += pr[i].got;
		per_proto[pr[i].proto][pr[i].got]++;
		per_kind[eps[pr[i].dst].kind][pr[i].got]++;
		if (pr[i].want == pr[i].got) {
			(*pass)++;
			continue;
		}
		(*fail)++;
		if (shown++ < 15) {
			engine_says(m, &pr[i], why, sizeof(why));
			printf("MISMATCH kernel %s, engine: %s\n", pr[i].got ?
			    "delivered" : "dropped", why);
		}
	}
}

static void
warm_up(void)
{
	struct probe p;

	memset(&p, 0, sizeof(p));
	p.proto = IPPROTO_UDP;
	p.sport = 9999;
	p.dport = 9;
	for (int s = 0; s < nep; s++)
		for (int d = 0; d < nep; d++)
			if (pair_ok(s, d)) {
				p.src = (uint8_t)s;
				p.dst = (uint8_t)d;
				send_probe(&p);
			}
	usleep(500000);
}

int
main(int argc, char **argv)
{
	int rounds = 4, nprobe = 2500;
	unsigned pass = 0, fail = 0, seed = (unsigned)time(NULL);
	struct probe *pr;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (v == NULL)
			break;
		if (strcmp(a, "--tag") == 0)
			tag = v;
		else if (strcmp(a, "--desired") == 0)
			desired_path = v;
		else if (strcmp(a, "--status") == 0)
			status_path = v;
		else if (strcmp(a, "--rounds") == 0)
			rounds = atoi(v);
		else if (strcmp(a, "--probes") == 0)
			nprobe = atoi(v);
		else if (strcmp(a, "--seed") == 0)
			seed = (unsigned)strtoul(v, NULL, 10);
		else if (strcmp(a, "--outside") == 0 && nout < NOUT_MAX) {
			const char *eq = strchr(v, '=');
			struct ep *e = &eps[NINST + 2 * NCLS + nout++];

			if (eq == NULL)
				break;
			snprintf(e->ns, sizeof(e->ns), "%.*s", (int)(eq - v), v);
			snprintf(e->ip, sizeof(e->ip), "%s", eq + 1);
			snprintf(e->ifname, sizeof(e->ifname), "eth0");
			e->kind = EP_OUT;
		} else
			break;
		i++;
	}
	if (!tag || !desired_path || !status_path || rounds < 1 ||
	    nprobe < 1 || (size_t)rounds * (size_t)nprobe > 50000) {
		fprintf(stderr, "usage: diffprobe --tag T --desired FILE "
		    "--status FILE [--outside NAME=IP]... [--rounds R] "
		    "[--probes N] [--seed S]\n");
		return 64;
	}
	rng = 0x9e3779b97f4a7c15ull ^ seed;
	printf("diffprobe: seed %u, %d rounds x %d probes\n", seed, rounds,
	    nprobe);
	for (int k = 0; k < NINST; k++) {
		struct ep *e = &eps[k];

		snprintf(e->ns, sizeof(e->ns), "i-dt%s-%d", tag, k);
		snprintf(e->eni, sizeof(e->eni), "eni-dt%s-%d", tag, k);
		snprintf(e->ifname, sizeof(e->ifname), "eth0");
		e->kind = EP_VPC;
		e->sub = k % 2;
		snprintf(e->ip, sizeof(e->ip), "10.77.%d.%d", e->sub + 1,
		    10 + k);
	}
	for (int k = 0; k < NCLS; k++) {
		struct ep *in = &eps[NINST + 2 * k], *net = in + 1;

		snprintf(in->ns, sizeof(in->ns), "i-dt%s-c%d", tag, k);
		snprintf(in->eni, sizeof(in->eni), "eni-dt%s-c%d", tag, k);
		*net = *in;
		snprintf(in->ifname, sizeof(in->ifname), "eth0");
		snprintf(net->ifname, sizeof(net->ifname), "eth1");
		in->kind = EP_CIN;
		net->kind = EP_CNET;
		snprintf(in->ip, sizeof(in->ip), "192.168.77.%d", 10 + k);
		snprintf(net->ip, sizeof(net->ip), "198.18.77.%d", 100 + k);
	}
	nep = NINST + 2 * NCLS + nout;
	for (int k = 0; k < nep; k++)
		if (inet_pton(AF_INET, eps[k].ip, &eps[k].addr) != 1)
			die("bad address");
	for (int g = 0; g < NGROUPS; g++)
		snprintf(groups[g], sizeof(groups[g]), "sg-dt%s-%d", tag, g);
	for (int g = 0; g < NCGROUPS; g++)
		snprintf(cgroups[g], sizeof(cgroups[g]), "sg-dt%s-c%d", tag, g);
	if ((pr = calloc((size_t)nprobe, sizeof(*pr))) == NULL)
		die("memory");
	for (int r = 1; r <= rounds; r++) {
		json_t *doc = gen_doc(r);
		struct fw_input *in = NULL;
		struct eng_model *m = NULL;
		char detail[FW_DETAIL_MAX] = "";
		unsigned p0 = pass, f0 = fail;

		if (fw_input_from_json_detail(doc, "host-local", &in,
		    detail) < 0 || eng_model_new(&m) < 0 ||
		    fw_input_eng(in, m) < 0 || eng_compile(m) < 0) {
			fprintf(stderr, "round %d: %s\n", r, detail);
			errno = 0;
			die("the generated state does not load");
		}
		write_doc(doc);
		wait_applied(r);
		if (r == 1) {
			for (int k = 0; k < nep; k++)
				ep_open(&eps[k]);
			warm_up();
		}
		round_run(m, pr, (size_t)nprobe, &pass, &fail);
		printf("round %d: %u agree, %u differ\n", r, pass - p0,
		    fail - f0);
		eng_model_free(m);
		fw_input_free(in);
		json_decref(doc);
	}
	free(pr);
	printf("delivered %u of %u (tcp %u/%u, udp %u/%u, icmp %u/%u, gre "
	    "%u/%u)\n", delivered, pass + fail,
	    per_proto[IPPROTO_TCP][1], per_proto[IPPROTO_TCP][0] +
	    per_proto[IPPROTO_TCP][1], per_proto[IPPROTO_UDP][1],
	    per_proto[IPPROTO_UDP][0] + per_proto[IPPROTO_UDP][1],
	    per_proto[IPPROTO_ICMP][1], per_proto[IPPROTO_ICMP][0] +
	    per_proto[IPPROTO_ICMP][1], per_proto[IPPROTO_GRE][1],
	    per_proto[IPPROTO_GRE][0] + per_proto[IPPROTO_GRE][1]);
	printf("delivered by receiver: vpc %u/%u, classic intranet %u/%u, "
	    "classic internet %u/%u, outside %u/%u\n",
	    per_kind[EP_VPC][1], per_kind[EP_VPC][0] + per_kind[EP_VPC][1],
	    per_kind[EP_CIN][1], per_kind[EP_CIN][0] + per_kind[EP_CIN][1],
	    per_kind[EP_CNET][1], per_kind[EP_CNET][0] + per_kind[EP_CNET][1],
	    per_kind[EP_OUT][1], per_kind[EP_OUT][0] + per_kind[EP_OUT][1]);
	/* A run where everything passed or nothing did proves nothing. */
	if (delivered < (pass + fail) / 10 || delivered > (pass + fail) * 9 / 10) {
		printf("degenerate run: too few %s probes\n", delivered <
		    (pass + fail) / 10 ? "delivered" : "dropped");
		fail++;
	}
	printf("diffprobe: %u passed, %u failed\n", pass, fail);
	return fail ? 1 : 0;
}
