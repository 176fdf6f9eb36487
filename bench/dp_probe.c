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
 *                                  one source port;
 *   dp_probe count PORT SECS       counts datagrams received for SECS
 *                                  seconds; prints "N pps";
 *   dp_probe stamp                 copies stdin lines (nft monitor)
 *                                  prefixed with the CLOCK_REALTIME ns at
 *                                  which each was read.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

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

static int
do_flood(struct sockaddr_in *dst, int secs)
{
	enum { B = 64 };
	struct mmsghdr m[B];
	struct iovec iov;
	char pay[64] = { 0 };
	long long end, sent = 0;
	int s = bound(SOCK_DGRAM, 19999);

	if (s < 0)
		return 1;
	iov.iov_base = pay;
	iov.iov_len = sizeof(pay);
	memset(m, 0, sizeof(m));
	for (int i = 0; i < B; i++) {
		m[i].msg_hdr.msg_name = dst;
		m[i].msg_hdr.msg_namelen = sizeof(*dst);
		m[i].msg_hdr.msg_iov = &iov;
		m[i].msg_hdr.msg_iovlen = 1;
	}
	end = now_ns(CLOCK_MONOTONIC) + (long long)secs * 1000000000LL;
	while (now_ns(CLOCK_MONOTONIC) < end) {
		int n = sendmmsg(s, m, B, 0);

		if (n > 0)
			sent += n;
	}
	printf("%lld sent\n", sent);
	return 0;
}

static int
do_count(int port, int secs)
{
	enum { B = 64 };
	struct mmsghdr m[B];
	struct iovec iov[B];
	char buf[B][128];
	struct timeval tv = { 0, 200000 };
	long long start = 0, last = 0, n = 0;
	int s = bound(SOCK_DGRAM, port), rcv = 8 << 20;

	if (s < 0)
		return 1;
	setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &rcv, sizeof(rcv));
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(m, 0, sizeof(m));
	for (int i = 0; i < B; i++) {
		iov[i].iov_base = buf[i];
		iov[i].iov_len = sizeof(buf[i]);
		m[i].msg_hdr.msg_iov = &iov[i];
		m[i].msg_hdr.msg_iovlen = 1;
	}
	/* From the first datagram, for SECS seconds. */
	for (;;) {
		int r = recvmmsg(s, m, B, MSG_WAITFORONE, NULL);
		long long t = now_ns(CLOCK_MONOTONIC);

		if (r > 0) {
			if (start == 0)
				start = t;
			n += r;
			last = t;
		}
		if (start && t - start >= (long long)secs * 1000000000LL)
			break;
		if (start && r <= 0 && t - last > 500000000LL)
			break;
	}
	printf("%.0f pps\n", last > start ? n * 1e9 / (double)(last - start)
	    : 0.0);
	return 0;
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
	if (argc == 5 && strcmp(argv[1], "flood") == 0 &&
	    dst_of(argv[2], argv[3], &dst) == 0 && atoi(argv[4]) <= 10)
		return do_flood(&dst, atoi(argv[4]));
	if (argc == 4 && strcmp(argv[1], "count") == 0 && atoi(argv[3]) <= 10)
		return do_count(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: dp_probe send IP PORT USEC | recv PORT | "
	    "flood IP PORT SECS | count PORT SECS\n");
	return 2;
}
