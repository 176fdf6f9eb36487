/*
 * nftel_data: the rulesets nftel_check.c checks besides the goldens, and
 * its --bench mode (nftel_check.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent/nftb.h"
#include "agent/nftel.h"
#include "fw/fw_int.h"
#include "lib/err.h"
#include "nftel_check.h"

/* ---- the synthetic ruleset ------------------------------------------------- */

static const struct syn {
	int table, kind;
	const char *name, *decl;
	const char *lines[8];
} syn[] = {
	{ FW_T_PORT, FW_K_MAP, "m_ifmark", "type ifname : mark",
	    { "\"ske00000001\" : 0x1", "\"tap-o1\" : 0xffffffff" } },
	{ FW_T_PORT, FW_K_SET, "s_mac", "type ether_addr",
	    { "00:16:3e:00:00:01", "ff:ff:ff:ff:ff:ff" } },
	{ FW_T_PORT, FW_K_SET, "s_ifmac6", "type ifname . ether_addr . "
	    "ipv6_addr", { "\"ske1\" . 00:16:3e:00:00:01 . fe80::1",
	    "\"ske2\" . 02:16:3e:00:00:02 . 2001:db8::ffff" } },
	{ FW_T_SG, FW_K_CHAIN, "nftel_ch", "", { NULL } },
	{ FW_T_SG, FW_K_SET, "s_all4", "type ipv4_addr\nflags interval",
	    { "0.0.0.0/0" } },
	{ FW_T_SG, FW_K_SET, "s_all6", "type ipv6_addr\nflags interval",
	    { "::/0" } },
	{ FW_T_SG, FW_K_SET, "s_v4", "type ipv4_addr\nflags interval",
	    { "0.0.0.0/8", "10.0.0.0/24", "10.0.1.0/24",
	    "10.0.2.5 comment \"one\"", "192.168.1.1-192.168.1.9",
	    "224.0.0.0/4", "255.255.255.0-255.255.255.255 comment \"top\"" } },
	{ FW_T_SG, FW_K_SET, "s_v6", "type ipv6_addr\nflags interval",
	    { "::/127", "2001:db8::/32", "fe80::/10", "ffff::/16" } },
	{ FW_T_SG, FW_K_SET, "s_port", "type inet_service\nflags interval",
	    { "22", "1000-2000", "2001", "65535" } },
	{ FW_T_SG, FW_K_SET, "s_proto", "type inet_proto\nflags interval",
	    { "tcp", "udp", "50-51", "ipv6-icmp", "255" } },
	{ FW_T_SG, FW_K_SET, "s_c3", "type ipv4_addr . inet_proto . "
	    "inet_service\nflags interval",
	    { "0.0.0.0/0 . tcp . 0-65535 comment \"sgr-all\"",
	    "203.0.113.5 . 7-17 . 22", "10.0.0.0/8 . ipv6-icmp . 1000-2000",
	    "198.51.100.0/24 . gre . 0 comment \"sgr-gre\"",
	    "255.255.255.255 . 255 . 65535" } },
	{ FW_T_SG, FW_K_SET, "s_c6", "type ipv6_addr . inet_proto\n"
	    "flags interval", { "fe80::/10 . icmp comment \"x\"",
	    "::/0 . 47", "2001:db8::1 . 0-46" } },
	{ FW_T_SG, FW_K_SET, "s_ifip", "type ifname . ipv4_addr\n"
	    "flags interval", { "\"ske1\" . 10.0.0.0/8", "\"skv1\" . 1.2.3.4" } },
	{ FW_T_SG, FW_K_SET, "s_plain", "type ipv4_addr",
	    { "192.0.2.1 comment \"c1\"", "192.0.2.2", "0.0.0.0",
	    "255.255.255.255" } },
	{ FW_T_SG, FW_K_SET, "s_pp", "type inet_proto . inet_service",
	    { "tcp . 25", "udp . 65535", "0 . 0" } },
	{ FW_T_SG, FW_K_MAP, "m_mark", "type mark : verdict",
	    { "0x1 : accept", "0xffffffff : drop", "7 : jump nftel_ch",
	    "8 : goto nftel_ch", "9 : return", "10 : continue" } },
	{ FW_T_SG, FW_K_MAP, "m_zone", "typeof iifname : ct zone",
	    { "\"skv1\" : 1", "\"skv2\" : 65534", "\"skclassic\" : 65535" } },
	{ FW_T_SG, FW_K_MAP, "m_fib", "typeof fib daddr oifname : verdict",
	    { "\"skv1\" : goto nftel_ch", "\"skinet\" : accept" } },
	{ FW_T_SG, FW_K_MAP, "m_if4", "type ifname . ipv4_addr : verdict",
	    { "\"skv1\" . 192.168.1.1 : jump nftel_ch" } },
	{ FW_T_SG, FW_K_SET, "s_ifif", "type ifname . ifname",
	    { "\"a\" . \"b\"", "\"skinet\" . \"skv1\"",
	    "\"abcdefghijklmno\" . \"x\"" } },
};

/* The synthetic objects as a ruleset (the pointers are syn's). */
struct fw_ruleset *
nftel_synthetic(void)
{
	size_t n = sizeof(syn) / sizeof(syn[0]);
	struct fw_ruleset *rs = calloc(1, sizeof(*rs));

	if (rs == NULL || (rs->obj = calloc(n, sizeof(*rs->obj))) == NULL)
		exit(1);
	for (size_t i = 0; i < n; i++) {
		struct fw_obj *o = &rs->obj[rs->nobj++];

		o->table = (uint8_t)syn[i].table;
		o->kind = (uint8_t)syn[i].kind;
		o->name = (char *)syn[i].name;
		o->decl = (char *)syn[i].decl;
		o->lines = (char **)syn[i].lines;
		while (o->nlines < 8 && syn[i].lines[o->nlines])
			o->nlines++;
	}
	return rs;
}

/*
 * Three sets of BIG_N elements each: batches of several messages (the
 * element nest is split below 64 KiB) and beyond the default socket
 * buffers.
 */
#define BIG_N 1500

struct fw_ruleset *
nftel_big(void)
{
	static const char *name[] = { "big_rbtree", "big_pipapo", "big_hash" };
	static const char *decl[] = { "type ipv4_addr\nflags interval",
	    "type ipv4_addr . inet_proto . inet_service\nflags interval",
	    "type ipv6_addr" };
	struct fw_ruleset *rs = calloc(1, sizeof(*rs));

	if (rs == NULL || (rs->obj = calloc(3, sizeof(*rs->obj))) == NULL)
		exit(1);
	for (int k = 0; k < 3; k++) {
		struct fw_obj *o = &rs->obj[rs->nobj++];

		o->table = FW_T_SG;
		o->kind = FW_K_SET;
		o->name = (char *)name[k];
		o->decl = (char *)decl[k];
		if ((o->lines = calloc(BIG_N, sizeof(*o->lines))) == NULL)
			exit(1);
		for (int i = 0; i < BIG_N; i++) {
			int r = k == 0 ? asprintf(&o->lines[i],
			    "10.%d.%d.0/25", i / 256, i % 256) : k == 1 ?
			    asprintf(&o->lines[i], "172.16.%d.%d . tcp . %d "
			    "comment \"sgr-big%05d-%s\"", i / 256, i % 256,
			    1000 + i % 5000, i, "0123456789abcdef0123456789") :
			    asprintf(&o->lines[i], "2001:db8::%x", i);

			if (r < 0)
				exit(1);
		}
		o->nlines = BIG_N;
	}
	return rs;
}

void
nftel_big_free(struct fw_ruleset *rs)
{
	for (size_t k = 0; k < rs->nobj; k++) {
		for (size_t i = 0; i < rs->obj[k].nlines; i++)
			free(rs->obj[k].lines[i]);
		free(rs->obj[k].lines);
	}
	free(rs->obj);
	free(rs);
}

/* ---- --bench ---------------------------------------------------------------- */

#define BENCH_N 1000
#define BENCH_ITER 41

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median µs of adding one element to set (then deleting it, untimed),
 * through nftel (how 1) or libnftables text (how 0). */
static double
bench_one(struct nftb *b, const char *set, const char *decl, int how)
{
	double t[BENCH_ITER];
	char line[64], text[256];
	const char *v[1] = { line };
	struct nftel_change c = { FW_T_SG, set, decl, NULL, 0, v, 1 };
	struct sb err = SB_INIT;
	int r = 0;

	for (int i = 0; i < BENCH_ITER; i++) {
		double t0;

		snprintf(line, sizeof(line), "10.250.%d.%s", i,
		    strstr(decl, "interval") ? "0/24" : "1");
		c.del = NULL, c.ndel = 0, c.add = v, c.nadd = 1;
		t0 = now_us();
		if (how)
			r |= nftel_apply(nftb_nsfd(b), &c, 1, &err);
		else {
			snprintf(text, sizeof(text), "add element inet %s %s "
			    "{ %s }\n", FW_TABLE_SG, set, line);
			r |= nftb_run(b, text, &err);
		}
		t[i] = now_us() - t0;
		c.del = v, c.ndel = 1, c.add = NULL, c.nadd = 0;
		r |= nftel_apply(nftb_nsfd(b), &c, 1, &err);
	}
	if (r)
		fprintf(stderr, "bench: %s\n", sb_str(&err));
	sb_free(&err);
	qsort(t, BENCH_ITER, sizeof(*t), dcmp);
	return t[BENCH_ITER / 2];
}

int
nftel_bench(void)
{
	struct sb s = SB_INIT, err = SB_INIT;
	struct nftb *b = NULL;
	static const char *sets[][3] = {
		{ "b_hash", "type ipv4_addr", "ipv4_addr (hash)" },
		{ "b_rbtree", "type ipv4_addr\nflags interval",
		    "ipv4_addr, flags interval (rbtree)" },
	};

	if (nftb_open(NULL, &b) < 0)
		return 1;
	sb_addf(&s, "add table inet %s\n", FW_TABLE_SG);
	for (int k = 0; k < 2; k++) {
		sb_addf(&s, "add set inet %s %s { ", FW_TABLE_SG, sets[k][0]);
		fw_decl_inline(&s, sets[k][1]);
		sb_adds(&s, "; elements = { ");
		for (int i = 0; i < BENCH_N; i++)
			sb_addf(&s, "%s10.%d.%d.%s", i ? ", " : "", 1 + i / 250,
			    i % 250, k ? "0/24" : "1");
		sb_adds(&s, " } }\n");
	}
	if (nftb_run(b, sb_str(&s), &err) < 0) {
		fprintf(stderr, "bench load: %s\n", sb_str(&err));
		return 1;
	}
	printf("| set (%d elements) | nftel_apply µs | libnftables µs |\n"
	    "|---|---|---|\n", BENCH_N);
	for (int k = 0; k < 2; k++)
		printf("| %s | %.0f | %.0f |\n", sets[k][2],
		    bench_one(b, sets[k][0], sets[k][1], 1),
		    bench_one(b, sets[k][0], sets[k][1], 0));
	nftb_close(b);
	sb_free(&s);
	sb_free(&err);
	return 0;
}

