/*
 * dp_probe: the traffic side of bench/dp_bench.sh, run inside the
 * benchmark's instance namespaces only.
 *
 *   dp_probe send IP PORT USEC     one UDP datagram every USEC µs to
 *                                  IP:PORT, each from a new source port
 *                                  (20000..59999, cycling), so every
 *                                  datagram is a new conntrack flow and
 *                                  meets the current rules;
 *   dp_probe recv PORT             prints the CLOCK_REALTIME ns of every
 *                                  datagram received on PORT, one a line;
 *   dp_probe flood IP PORT SECS    sendmmsg of 64-byte datagrams as fast as
 *                                  it goes for SECS (<= 10) seconds, from
 *                                  one source port (19999), after a
 *                                  1-byte hello that `echo` answers: the
 *                                  flow has seen a reply, so every
 *                                  datagram is ct state established;
 *   dp_probe flood1 IP PORT SECS   the same from port 19998 without the
 *                                  hello: an unreplied UDP flow stays ct
 *                                  state new, so every datagram walks the
 *                                  rules, but conntrack inserts nothing
 *                                  after the first;
 *   dp_probe rawflood SRC IP PORT NPORTS SECS [MAX]
 *                                  IPv4/UDP from address SRC (the
 *                                  namespace's own: anything else is
 *                                  dropped as spoofed) through a raw
 *                                  socket, 64-byte payload, the
 *                                  destination port cycling over
 *                                  PORT..PORT+NPORTS-1 and the source
 *                                  port over 1024..65535: every datagram
 *                                  is a new conntrack flow; at most MAX
 *                                  datagrams (default: no bound);
 *   dp_probe echo PORT SECS        answers the first datagram on PORT
 *                                  (within SECS) to its sender, exits;
 *   dp_probe ctflush               deletes the namespace's IPv4 conntrack
 *                                  entries (`conntrack -F`, which may
 *                                  not be installed);
 *   dp_probe stamp                 copies stdin lines (nft monitor)
 *                                  prefixed with the CLOCK_REALTIME ns at
 *                                  which each was read.
 *
 * The floods stop after SECS (<= 10), print "N sent T s" (T: the seconds
 * they took) and exit 1 when nothing was sent.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAY 64		/* flood payload bytes */
#define BATCH 64	/* datagrams per sendmmsg */

static long long
now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int
dst_of(const char *ip, const char *port, struct sockaddr_in *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((unsigned short)atoi(port));
	return inet_pton(AF_INET, ip, &sa->sin_addr) == 1 ? 0 : -1;
}

static int
bound(int type, int port)
{
	struct sockaddr_in sa;
	int s, one = 1;

	if ((s = socket(AF_INET, type, 0)) < 0)
		return -1;
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(s);
		return -1;
	}
	return s;
}

static int
do_send(struct sockaddr_in *dst, long usec)
{
	struct timespec d = { usec / 1000000, (usec % 1000000) * 1000 };
	int sport = 20000;

	for (;;) {
		int s = bound(SOCK_DGRAM, sport);

		sport = sport >= 59999 ? 20000 : sport + 1;
		if (s < 0)
			continue;
		sendto(s, "p", 1, 0, (struct sockaddr *)dst, sizeof(*dst));
		close(s);
		nanosleep(&d, NULL);
	}
	return 0;
}

static int
do_recv(int port)
{
	char buf[64];
	int s = bound(SOCK_DGRAM, port);

	if (s < 0)
		return 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (;;)
		if (recv(s, buf, sizeof(buf), 0) >= 0)
			printf("%lld\n", now_ns(CLOCK_REALTIME));
	return 0;
}

/*
 * The hello of `flood`: conntrack marks the flow as having seen a reply
 * once `echo` answers, after which its datagrams are ct state established
 * (without a reply they all stay ct state new).
 */
static int
hello(int s, const struct sockaddr_in *dst)
{
	struct timeval tv = { 0, 200000 };
	char b[8];

	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (int i = 0; i < 10; i++) {
		sendto(s, "h", 1, 0, (const struct sockaddr *)dst,
		    sizeof(*dst));
		if (recv(s, b, sizeof(b), 0) >= 0)
			return 0;
	}
	return -1;
}

/*
 * sendmmsg of m[BATCH] on s for secs seconds or until max datagrams
 * (0: no bound) went; prints "N sent T s" (T the seconds it took), 1 when
 * none went. next (may be NULL) rewrites the batch before each call.
 */
static int
blast(int s, struct mmsghdr *m, int secs, long long max, void (*next)(void))
{
	long long start, end, t, sent = 0;

	start = now_ns(CLOCK_MONOTONIC);
	end = start + (long long)secs * 1000000000LL;
	while ((t = now_ns(CLOCK_MONOTONIC)) < end &&
	    (max <= 0 || sent < max)) {
		int n;

		if (next != NULL)
			next();
		if ((n = sendmmsg(s, m, BATCH, 0)) > 0)
			sent += n;
	}
	if (sent == 0)
		return 1;
	printf("%lld sent %.6f s\n", sent, (double)(t - start) / 1e9);
	return 0;
}

static int
do_flood(struct sockaddr_in *dst, int secs, int est)
{
	struct mmsghdr m[BATCH];
	struct iovec iov;
	char pay[PAY] = { 0 };
	/* Not the same flow: an est flood's entry may still be alive. */
	int s = bound(SOCK_DGRAM, est ? 19999 : 19998);

	if (s < 0)
		return 1;
	if (est && hello(s, dst) < 0) {
		fprintf(stderr, "dp_probe: no answer to the hello\n");
		return 1;
	}
	iov.iov_base = pay;
	iov.iov_len = sizeof(pay);
	memset(m, 0, sizeof(m));
	for (int i = 0; i < BATCH; i++) {
		m[i].msg_hdr.msg_name = dst;
		m[i].msg_hdr.msg_namelen = sizeof(*dst);
		m[i].msg_hdr.msg_iov = &iov;
		m[i].msg_hdr.msg_iovlen = 1;
	}
	return blast(s, m, secs, 0, NULL);
}

/* rawflood: one datagram = IPv4 header, UDP header, payload. */
struct rawpkt {
	struct iphdr ip;
	struct udphdr udp;
	char pay[PAY];
};

static struct rawpkt raw_pkt[BATCH];
static unsigned raw_sport = 1024, raw_dport, raw_port0, raw_nports;
static unsigned short raw_id;

/* The next BATCH tuples (in raw_pkt, which the iovecs point at):
 * destination port fastest, then the source port; 64512 x NPORTS
 * distinct flows before the first repeats. */
static void
raw_next(void)
{
	for (int i = 0; i < BATCH; i++) {
		struct rawpkt *p = &raw_pkt[i];

		/* A non-zero id spares the kernel choosing one. */
		if (++raw_id == 0)
			raw_id = 1;
		p->ip.id = htons(raw_id);
		p->udp.source = htons((unsigned short)raw_sport);
		p->udp.dest = htons((unsigned short)(raw_port0 + raw_dport));
		if (++raw_dport == raw_nports) {
			raw_dport = 0;
			raw_sport = raw_sport == 65535 ? 1024 : raw_sport + 1;
		}
	}
}

static int
do_rawflood(const char *src, struct sockaddr_in *dst, int nports, int secs,
    long long max)
{
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	struct in_addr sa;
	int s, buf = 4 << 20;

	if (inet_pton(AF_INET, src, &sa) != 1 || nports < 1 ||
	    nports > 65536 - ntohs(dst->sin_port))
		return 2;
	/* IPPROTO_RAW: we write the IPv4 header (IP_HDRINCL); the kernel
	 * fills in the total length and the header checksum. */
	if ((s = socket(AF_INET, SOCK_RAW, IPPROTO_RAW)) < 0)
		return 1;
	setsockopt(s, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	raw_port0 = ntohs(dst->sin_port);
	raw_nports = (unsigned)nports;
	memset(m, 0, sizeof(m));
	for (int i = 0; i < BATCH; i++) {
		struct rawpkt *p = &raw_pkt[i];

		memset(p, 0, sizeof(*p));
		p->ip.version = 4;
		p->ip.ihl = 5;
		p->ip.tot_len = htons(sizeof(*p));
		p->ip.frag_off = htons(IP_DF);
		p->ip.ttl = 64;
		p->ip.protocol = IPPROTO_UDP;
		p->ip.saddr = sa.s_addr;
		p->ip.daddr = dst->sin_addr.s_addr;
		/* UDP checksum 0: none (IPv4), nothing to compute. */
		p->udp.len = htons(sizeof(p->udp) + PAY);
		iov[i].iov_base = p;
		iov[i].iov_len = sizeof(*p);
		m[i].msg_hdr.msg_name = dst;
		m[i].msg_hdr.msg_namelen = sizeof(*dst);
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	return blast(s, m, secs, max, raw_next);
}

static int
do_echo(int port, int secs)
{
	struct sockaddr_in from;
	socklen_t flen = sizeof(from);
	struct timeval tv = { secs, 0 };
	char b[8];
	int s = bound(SOCK_DGRAM, port), r = 1;

	if (s < 0)
		return 1;
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (recvfrom(s, b, sizeof(b), 0, (struct sockaddr *)&from,
	    &flen) >= 0 && sendto(s, b, 1, 0, (struct sockaddr *)&from,
	    flen) == 1)
		r = 0;
	close(s);
	return r;
}

/*
 * IPCTNL_MSG_CT_DELETE without a tuple flushes the table of the caller's
 * namespace (every zone) for the family of the request.
 */
static int
do_ctflush(void)
{
	struct {
		struct nlmsghdr h;
		struct nfgenmsg g;
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char buf[1024];
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	ssize_t n;
	int fd, r = 1;

	if ((fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER)) < 0)
		return 1;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.h.nlmsg_seq = 1;
	req.g.nfgen_family = AF_INET;
	req.g.version = NFNETLINK_V0;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) == (ssize_t)sizeof(req) &&
	    (n = recv(fd, buf, sizeof(buf), 0)) > 0 &&
	    NLMSG_OK(h, (size_t)n) && h->nlmsg_type == NLMSG_ERROR &&
	    ((struct nlmsgerr *)NLMSG_DATA(h))->error == 0)
		r = 0;
	close(fd);
	return r;
}

static int
do_stamp(void)
{
	char line[256];

	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin) != NULL)
		printf("%lld %.60s%s", now_ns(CLOCK_REALTIME), line,
		    strchr(line, '\n') && strlen(line) <= 60 ? "" : "\n");
	return 0;
}

static int
secs_ok(const char *a)
{
	int v = atoi(a);

	return v >= 1 && v <= 10;
}

int
main(int argc, char **argv)
{
	struct sockaddr_in dst;

	if (argc == 2 && strcmp(argv[1], "stamp") == 0)
		return do_stamp();
	if (argc == 5 && strcmp(argv[1], "send") == 0 &&
	    dst_of(argv[2], argv[3], &dst) == 0)
		return do_send(&dst, atol(argv[4]));
	if (argc == 3 && strcmp(argv[1], "recv") == 0)
		return do_recv(atoi(argv[2]));
	if (argc == 5 && (strcmp(argv[1], "flood") == 0 ||
	    strcmp(argv[1], "flood1") == 0) &&
	    dst_of(argv[2], argv[3], &dst) == 0 && secs_ok(argv[4]))
		return do_flood(&dst, atoi(argv[4]), argv[1][5] == '\0');
	if ((argc == 7 || argc == 8) && strcmp(argv[1], "rawflood") == 0 &&
	    dst_of(argv[3], argv[4], &dst) == 0 && secs_ok(argv[6]))
		return do_rawflood(argv[2], &dst, atoi(argv[5]),
		    atoi(argv[6]), argc == 8 ? atoll(argv[7]) : 0);
	if (argc == 4 && strcmp(argv[1], "echo") == 0 && secs_ok(argv[3]))
		return do_echo(atoi(argv[2]), atoi(argv[3]));
	if (argc == 2 && strcmp(argv[1], "ctflush") == 0)
		return do_ctflush();
	fprintf(stderr, "usage: dp_probe send IP PORT USEC | recv PORT | "
	    "flood[1] IP PORT SECS |\n"
	    "       rawflood SRC IP PORT NPORTS SECS [MAX] | echo PORT SECS | "
	    "ctflush | stamp\n");
	return 2;
}
