/*
 * nftel: element deltas as one nfnetlink batch (nftel.h). Three phases,
 * so that nothing reaches the kernel unless all of it could be encoded:
 *
 *   1. parse   each change's decl (the key fields, the data type, the
 *              interval flag) and every line into struct nftel_el: key
 *              bytes, inclusive end, data or verdict, comment;
 *   2. build   one buffer (struct nftel_tx): BATCH_BEGIN, per change a
 *              DELSETELEM and a NEWSETELEM message (split when the
 *              element nest would pass its 16-bit length), any messages
 *              a caller of nftel_tx_msg() adds, BATCH_END; every message
 *              asks for an ACK;
 *   3. talk    a NETLINK_NETFILTER socket made inside the namespace, one
 *              sendmsg, then every ACK read back. The kernel processes
 *              the batch inside sendmsg, so the replies are queued when
 *              it returns; an error reply means the transaction was
 *              aborted as a whole.
 *
 * Byte layouts follow nft 1.0.6 (checked with `nft --debug=netlink`):
 * addresses, protocols and ports in network order, mark and ct zone in
 * host order, ifname as 16 NUL-padded bytes, each field of a
 * concatenation padded to 4 bytes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>

#include "agent/agent_sys.h"
#include "agent/nftel.h"
#include "fw/fw.h"
#include "lib/err.h"

#define NFTEL_FIELDS_MAX 8
#define NFTEL_KEY_MAX NFT_DATA_VALUE_MAXLEN	/* 64 */
#define NFTEL_NAME_MAX 255			/* set and chain names */
#define NFTEL_NEST_MAX 60000	/* element nest bytes per message (< 64K) */
#define NFTEL_ELEM_MAX 2048	/* an upper bound of one encoded element */
#define NFTEL_MSG_ROOM (2 * 65536)	/* free bytes for nftel_tx_msg() */
#define NFTEL_ACK_WAIT_MS 2000

/* ---- types ------------------------------------------------------------ */

enum nftel_t {
	NT_IFNAME, NT_ETHER, NT_IPV4, NT_IPV6, NT_MARK, NT_PROTO, NT_SERVICE,
	NT_ZONE, NT_VERDICT
};

static const struct {
	const char *name;	/* after "type"; NULL: only through typeof */
	uint8_t len;		/* bytes */
	uint8_t net;		/* a big-endian number: ranges, intervals */
} nftel_types[] = {
	[NT_IFNAME] = { "ifname", 16, 0 },
	[NT_ETHER] = { "ether_addr", 6, 1 },
	[NT_IPV4] = { "ipv4_addr", 4, 1 },
	[NT_IPV6] = { "ipv6_addr", 16, 1 },
	[NT_MARK] = { "mark", 4, 0 },
	[NT_PROTO] = { "inet_proto", 1, 1 },
	[NT_SERVICE] = { "inet_service", 2, 1 },
	[NT_ZONE] = { NULL, 2, 0 },
	[NT_VERDICT] = { "verdict", 0, 0 },
};

/* typeof expressions and the type nft gives their elements. */
static const struct {
	const char *expr;
	uint8_t t;
} nftel_typeof[] = {
	{ "iifname", NT_IFNAME }, { "oifname", NT_IFNAME },
	{ "meta iifname", NT_IFNAME }, { "meta oifname", NT_IFNAME },
	{ "fib daddr oifname", NT_IFNAME }, { "fib saddr oifname", NT_IFNAME },
	{ "ip saddr", NT_IPV4 }, { "ip daddr", NT_IPV4 },
	{ "ip6 saddr", NT_IPV6 }, { "ip6 daddr", NT_IPV6 },
	{ "ether saddr", NT_ETHER }, { "ether daddr", NT_ETHER },
	{ "meta mark", NT_MARK }, { "ct mark", NT_MARK },
	{ "meta l4proto", NT_PROTO }, { "th dport", NT_SERVICE },
	{ "ct zone", NT_ZONE },
};

/* The protocol names fw_proto_text() writes (nft reads /etc/protocols;
 * these five are the same everywhere). */
static const struct {
	const char *name;
	uint8_t num;
} nftel_protos[] = {
	{ "icmp", 1 }, { "tcp", 6 }, { "udp", 17 }, { "gre", 47 },
	{ "ipv6-icmp", 58 },
};

enum nftel_kind { NK_PLAIN, NK_PIPAPO, NK_RBTREE };

struct nftel_decl {
	uint8_t key[NFTEL_FIELDS_MAX];	/* enum nftel_t */
	size_t nkey;
	size_t klen;			/* key bytes */
	int map;
	uint8_t data;			/* enum nftel_t, when map */
	int interval;
	int kind;			/* enum nftel_kind */
};

/* One parsed element line. */
struct nftel_el {
	const char *line;
	uint8_t key[NFTEL_KEY_MAX];	/* start */
	uint8_t end[NFTEL_KEY_MAX];	/* inclusive end (= key: one value) */
	uint8_t data[4];
	uint8_t dlen;			/* 0: verdict (maps) */
	int32_t verdict;
	const char *chain;		/* jump / goto target, in line */
	size_t chainlen;
	const char *comment;		/* in line, without quotes */
	size_t commentlen;
};

/* ---- decl ------------------------------------------------------------- */

static int
nftel_type_find(const char *s, size_t n, int typeof_)
{
	if (typeof_) {
		for (size_t i = 0; i < sizeof(nftel_typeof) /
		    sizeof(nftel_typeof[0]); i++)
			if (strlen(nftel_typeof[i].expr) == n &&
			    memcmp(nftel_typeof[i].expr, s, n) == 0)
				return nftel_typeof[i].t;
		if (n == 7 && memcmp(s, "verdict", 7) == 0)
			return NT_VERDICT;
		return -1;
	}
	for (size_t i = 0; i < sizeof(nftel_types) / sizeof(nftel_types[0]);
	    i++)
		if (nftel_types[i].name && strlen(nftel_types[i].name) == n &&
		    memcmp(nftel_types[i].name, s, n) == 0)
			return (int)i;
	return -1;
}

/* "A . B : C" (after "type " or "typeof ") into d. */
static int
nftel_decl_types(struct nftel_decl *d, const char *s, size_t n, int typeof_)
{
	const char *e = s + n, *colon = NULL;
	int t;

	for (const char *p = s; p + 3 <= e; p++)
		if (memcmp(p, " : ", 3) == 0) {
			colon = p;
			break;
		}
	if (d->nkey || colon == s)
		return -1;
	if (colon) {
		if ((t = nftel_type_find(colon + 3, (size_t)(e - colon - 3),
		    typeof_)) < 0)
			return -1;
		d->map = 1;
		d->data = (uint8_t)t;
		e = colon;
	}
	while (s < e) {
		const char *dot = NULL;

		for (const char *p = s; p + 3 <= e; p++)
			if (memcmp(p, " . ", 3) == 0) {
				dot = p;
				break;
			}
		if (!dot)
			dot = e;
		t = nftel_type_find(s, (size_t)(dot - s), typeof_);
		if (t < 0 || t == NT_VERDICT || d->nkey == NFTEL_FIELDS_MAX)
			return -1;
		d->key[d->nkey++] = (uint8_t)t;
		s = dot == e ? e : dot + 3;
	}
	return d->nkey ? 0 : -1;
}

static int
nftel_decl_line(struct nftel_decl *d, const char *s, size_t n)
{
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == ';'))
		n--;
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	if (n == 0)
		return 0;
	if (n > 7 && memcmp(s, "typeof ", 7) == 0)
		return nftel_decl_types(d, s + 7, n - 7, 1);
	if (n > 5 && memcmp(s, "type ", 5) == 0)
		return nftel_decl_types(d, s + 5, n - 5, 0);
	if (n == 14 && memcmp(s, "flags interval", 14) == 0) {
		d->interval = 1;
		return 0;
	}
	return -1;	/* timeouts, counters, ...: not what nftel encodes */
}

static int
nftel_decl_parse(const char *decl, struct nftel_decl *d)
{
	const char *p = decl;

	memset(d, 0, sizeof(*d));
	while (*p) {
		size_t n = strcspn(p, "\n");

		if (nftel_decl_line(d, p, n) < 0)
			return -1;
		p += n;
		if (*p == '\n')
			p++;
	}
	if (d->nkey == 0)
		return -1;
	for (size_t i = 0; i < d->nkey; i++) {
		const uint8_t t = d->key[i];

		d->klen += d->nkey > 1 ? (nftel_types[t].len + 3u) & ~3u :
		    nftel_types[t].len;
		/* Host-order and string fields in intervals: nft has its own
		 * rules there and the compiler never asks for it. */
		if (d->interval && !nftel_types[t].net &&
		    (d->nkey == 1 || t != NT_IFNAME))
			return -1;
	}
	if (d->klen > NFTEL_KEY_MAX || (d->map && d->interval))
		return -1;
	d->kind = !d->interval ? NK_PLAIN : d->nkey > 1 ? NK_PIPAPO :
	    NK_RBTREE;
	return 0;
}

/* ---- values ----------------------------------------------------------- */

/* s[0..n) all decimal digits (or 0x + hex when hex), <= max. */
static int
nftel_num(const char *s, size_t n, int hex, unsigned long max,
    unsigned long *v)
{
	unsigned long x = 0;
	int base = 10;

	if (hex && n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		n -= 2;
		base = 16;
	}
	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int c = s[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		x = x * (unsigned long)base + (unsigned long)d;
	}
	if (x > max)
		return -1;
	*v = x;
	return 0;
}

static int
nftel_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* xx:xx:xx:xx:xx:xx (what the compiler writes). */
static int
nftel_ether(const char *s, size_t n, uint8_t *out)
{
	if (n != 17)
		return -1;
	for (int i = 0; i < 6; i++) {
		const char *p = s + i * 3;
		int hi = nftel_hex(p[0]), lo = nftel_hex(p[1]);

		if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':'))
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

/* One value (no range, no prefix) of type t into out. */
static int
nftel_single(int t, const char *s, size_t n, uint8_t *out)
{
	char buf[INET6_ADDRSTRLEN + 1];
	unsigned long v;
	uint32_t u32;
	uint16_t u16;

	switch (t) {
	case NT_IFNAME:
		if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
			s++, n -= 2;
		if (n == 0 || n >= nftel_types[t].len ||
		    memchr(s, '"', n) || memchr(s, '*', n) ||
		    memchr(s, '\\', n) || memchr(s, ' ', n))
			return -1;
		memcpy(out, s, n);
		return 0;
	case NT_ETHER:
		return nftel_ether(s, n, out);
	case NT_IPV4:
	case NT_IPV6:
		if (n >= sizeof(buf))
			return -1;
		memcpy(buf, s, n);
		buf[n] = '\0';
		return inet_pton(t == NT_IPV4 ? AF_INET : AF_INET6, buf,
		    out) == 1 ? 0 : -1;
	case NT_MARK:
		if (nftel_num(s, n, 1, UINT32_MAX, &v) < 0)
			return -1;
		u32 = (uint32_t)v;		/* host order */
		memcpy(out, &u32, 4);
		return 0;
	case NT_ZONE:
		if (nftel_num(s, n, 0, UINT16_MAX, &v) < 0)
			return -1;
		u16 = (uint16_t)v;		/* host order */
		memcpy(out, &u16, 2);
		return 0;
	case NT_PROTO:
		for (size_t i = 0; i < sizeof(nftel_protos) /
		    sizeof(nftel_protos[0]); i++)
			if (strlen(nftel_protos[i].name) == n &&
			    memcmp(nftel_protos[i].name, s, n) == 0) {
				out[0] = nftel_protos[i].num;
				return 0;
			}
		if (nftel_num(s, n, 0, 255, &v) < 0)
			return -1;
		out[0] = (uint8_t)v;
		return 0;
	case NT_SERVICE:
		if (nftel_num(s, n, 0, UINT16_MAX, &v) < 0)
			return -1;
		u16 = htons((uint16_t)v);
		memcpy(out, &u16, 2);
		return 0;
	}
	return -1;
}

/* addr/len: lo = network, hi = last address. */
static int
nftel_prefix(int t, const char *s, size_t n, uint8_t *lo, uint8_t *hi)
{
	const char *slash = memchr(s, '/', n);
	size_t w = nftel_types[t].len;
	unsigned long len;

	if (slash == NULL || nftel_single(t, s, (size_t)(slash - s), lo) < 0 ||
	    nftel_num(slash + 1, n - (size_t)(slash - s) - 1, 0, w * 8,
	    &len) < 0)
		return -1;
	for (size_t i = 0; i < w; i++) {
		size_t bits = len > i * 8 ? len - i * 8 : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);

		lo[i] &= mask;
		hi[i] = lo[i] | (uint8_t)~mask;
	}
	return 0;
}

/*
 * A field value: one value, a prefix (addresses) or lo-hi (big-endian
 * types). lo and hi receive the field's bytes (hi = lo for one value).
 */
static int
nftel_value(int t, const char *s, size_t n, uint8_t *lo, uint8_t *hi)
{
	size_t w = nftel_types[t].len;

	if (nftel_single(t, s, n, lo) == 0) {
		memcpy(hi, lo, w);
		return 0;
	}
	if (!nftel_types[t].net)
		return -1;
	if ((t == NT_IPV4 || t == NT_IPV6) && memchr(s, '/', n))
		return nftel_prefix(t, s, n, lo, hi);
	/* Split at each '-' in turn: "ipv6-icmp" has one of its own. */
	for (size_t k = 1; k + 1 < n; k++)
		if (s[k] == '-' && nftel_single(t, s, k, lo) == 0 &&
		    nftel_single(t, s + k + 1, n - k - 1, hi) == 0)
			return memcmp(lo, hi, w) <= 0 ? 0 : -1;
	return -1;
}

/* ---- element lines ---------------------------------------------------- */

/* Length of the token at p: a "quoted string" or a run of non-blanks. */
static size_t
nftel_tok(const char *p)
{
	if (*p == '"') {
		const char *q = strchr(p + 1, '"');

		return q ? (size_t)(q - p) + 1 : 0;
	}
	return strcspn(p, " \t");
}

static int
nftel_name_ok(const char *s, size_t n)
{
	if (n == 0 || n > NFTEL_NAME_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    strchr("_.-/", s[i])))
			return 0;
	return 1;
}

/* The data after " : " at *pp; advances *pp. */
static int
nftel_data(const struct nftel_decl *d, const char **pp, struct nftel_el *e)
{
	static const struct {
		const char *w;
		int32_t v;
	} vd[] = {
		{ "accept", NF_ACCEPT }, { "drop", NF_DROP },
		{ "continue", NFT_CONTINUE }, { "return", NFT_RETURN },
		{ "jump", NFT_JUMP }, { "goto", NFT_GOTO },
	};
	const char *p = *pp;
	size_t n = nftel_tok(p);

	if (d->data != NT_VERDICT) {
		if (n == 0 || nftel_single(d->data, p, n, e->data) < 0)
			return -1;
		e->dlen = nftel_types[d->data].len;
		*pp = p + n;
		return 0;
	}
	for (size_t i = 0; i < sizeof(vd) / sizeof(vd[0]); i++) {
		if (strlen(vd[i].w) != n || memcmp(vd[i].w, p, n) != 0)
			continue;
		e->verdict = vd[i].v;
		p += n;
		if (vd[i].v == NFT_JUMP || vd[i].v == NFT_GOTO) {
			if (*p++ != ' ')
				return -1;
			e->chain = p;
			e->chainlen = nftel_tok(p);
			if (!nftel_name_ok(p, e->chainlen))
				return -1;
			p += e->chainlen;
		}
		*pp = p;
		return 0;
	}
	return -1;
}

/*
 * Parses line into e. need_data: a map line must carry its data (adds);
 * deletes may carry it (checked, not used).
 */
static int
nftel_line(const struct nftel_decl *d, const char *line, int need_data,
    struct nftel_el *e)
{
	const char *p = line;
	size_t off = 0;
	int data = 0;

	memset(e, 0, sizeof(*e));
	e->line = line;
	for (size_t i = 0; i < d->nkey; i++) {
		const int t = d->key[i];
		const size_t w = nftel_types[t].len, n = nftel_tok(p);

		if (n == 0 || nftel_value(t, p, n, e->key + off,
		    e->end + off) < 0)
			return -1;
		if (!d->interval && memcmp(e->key + off, e->end + off, w) != 0)
			return -1;	/* a range needs "flags interval" */
		off += d->nkey > 1 ? (w + 3) & ~(size_t)3 : w;
		p += n;
		if (i + 1 < d->nkey) {
			if (strncmp(p, " . ", 3) != 0)
				return -1;
			p += 3;
		}
	}
	while (*p) {
		if (!data && d->map && strncmp(p, " : ", 3) == 0) {
			p += 3;
			if (nftel_data(d, &p, e) < 0)
				return -1;
			data = 1;
		} else if (!e->comment && strncmp(p, " comment \"", 10) == 0) {
			const char *q = strchr(p + 10, '"');

			e->comment = p + 10;
			if (q == NULL || q == e->comment ||
			    (e->commentlen = (size_t)(q - e->comment)) >
			    NFTNL_UDATA_COMMENT_MAXLEN)
				return -1;
			p = q + 1;
		} else {
			return -1;
		}
	}
	return d->map && need_data && !data ? -1 : 0;
}

/* ---- encoding --------------------------------------------------------- */

/* One netlink element: a line's element, or an rbtree range's end. */
struct nftel_out {
	const struct nftel_el *e;
	uint8_t key[16];		/* rbtree: the sort key (start or end) */
	uint8_t end;			/* rbtree interval end element */
};

static int
nftel_top(const uint8_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] != 0xff)
			return 0;
	return 1;
}

static int
nftel_out_cmp(const void *a, const void *b, void *klen)
{
	const struct nftel_out *x = a, *y = b;
	int c = memcmp(x->key, y->key, *(size_t *)klen);

	/* At one key an end (the range before) sorts before a start. */
	return c ? c : (int)y->end - (int)x->end;
}

/* The netlink elements of els (rbtree: starts and ends, by key). */
static int
nftel_outs(const struct nftel_decl *d, const struct nftel_el *els, size_t n,
    struct nftel_out **out, size_t *nout)
{
	struct nftel_out *o = calloc(2 * n + 1, sizeof(*o));
	size_t k = 0, klen = d->klen;

	*out = o;
	if (o == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < n; i++) {
		o[k].e = &els[i];
		if (d->kind != NK_RBTREE) {
			k++;
			continue;
		}
		memcpy(o[k++].key, els[i].key, klen);
		if (nftel_top(els[i].end, klen))
			continue;	/* open: no end element */
		o[k].e = &els[i];
		o[k].end = 1;
		memcpy(o[k].key, els[i].end, klen);
		for (size_t j = klen; j-- > 0;)	/* last + 1 */
			if (++o[k].key[j] != 0)
				break;
		k++;
	}
	if (d->kind == NK_RBTREE)
		qsort_r(o, k, sizeof(*o), nftel_out_cmp, &klen);
	*nout = k;
	return 0;
}

static int
nftel_udata(struct nftnl_set_elem *s, const struct nftel_el *e, int comment,
    int open)
{
	struct nftnl_udata_buf *u;
	char c[NFTNL_UDATA_COMMENT_MAXLEN + 1];
	int r = -ERR_NOMEM;

	if (!(comment && e->comment) && !open)
		return 0;
	if ((u = nftnl_udata_buf_alloc(NFT_USERDATA_MAXLEN)) == NULL)
		return r;
	if (comment && e->comment) {
		memcpy(c, e->comment, e->commentlen);
		c[e->commentlen] = '\0';
		if (!nftnl_udata_put_strz(u, NFTNL_UDATA_SET_ELEM_COMMENT, c))
			goto out;
	}
	if (open && !nftnl_udata_put_u32(u, NFTNL_UDATA_SET_ELEM_FLAGS,
	    NFTNL_SET_ELEM_F_INTERVAL_OPEN))
		goto out;
	if (nftnl_set_elem_set(s, NFTNL_SET_ELEM_USERDATA,
	    nftnl_udata_buf_data(u), nftnl_udata_buf_len(u)) < 0)
		goto out;
	r = 0;
out:
	nftnl_udata_buf_free(u);
	return r;
}

/* The libnftnl element of o (add: with data and comment). */
static int
nftel_elem(const struct nftel_decl *d, const struct nftel_out *o, int add,
    struct nftnl_set_elem **out)
{
	const struct nftel_el *e = o->e;
	struct nftnl_set_elem *s;
	char chain[NFTEL_NAME_MAX + 1];
	int r = -ERR_NOMEM, open = 0;

	*out = NULL;
	if ((s = nftnl_set_elem_alloc()) == NULL)
		return r;
	if (d->kind == NK_RBTREE) {
		if (nftnl_set_elem_set(s, NFTNL_SET_ELEM_KEY, o->key,
		    (uint32_t)d->klen) < 0)
			goto out;
		if (o->end) {
			nftnl_set_elem_set_u32(s, NFTNL_SET_ELEM_FLAGS,
			    NFT_SET_ELEM_INTERVAL_END);
			goto done;
		}
		open = nftel_top(e->end, d->klen);
	} else if (nftnl_set_elem_set(s, NFTNL_SET_ELEM_KEY, e->key,
	    (uint32_t)d->klen) < 0 || (d->kind == NK_PIPAPO &&
	    nftnl_set_elem_set(s, NFTNL_SET_ELEM_KEY_END, e->end,
	    (uint32_t)d->klen) < 0))
		goto out;
	if (add && d->map && e->dlen) {
		if (nftnl_set_elem_set(s, NFTNL_SET_ELEM_DATA, e->data,
		    e->dlen) < 0)
			goto out;
	} else if (add && d->map) {
		nftnl_set_elem_set_u32(s, NFTNL_SET_ELEM_VERDICT,
		    (uint32_t)e->verdict);
		if (e->chain) {
			memcpy(chain, e->chain, e->chainlen);
			chain[e->chainlen] = '\0';
			if (nftnl_set_elem_set_str(s, NFTNL_SET_ELEM_CHAIN,
			    chain) < 0)
				goto out;
		}
	}
	if ((r = nftel_udata(s, e, add, open)) < 0)
		goto out;
done:
	*out = s;
	s = NULL;
	r = 0;
out:
	if (s)
		nftnl_set_elem_free(s);
	return r;
}

/* ---- the batch -------------------------------------------------------- */

struct nftel_msg {
	uint16_t type;			/* NFT_MSG_* */
	size_t what;			/* "<table> <set>" in tx->names, or
					 * SIZE_MAX (nftel_tx_msg) */
	size_t rec0, nrec;		/* its elements in tx->rec */
};

struct nftel_rec {
	uint32_t off;			/* element nest offset in its message */
	size_t line;			/* the line, in tx->names */
};

struct nftel_tx {
	char *buf;
	size_t len, cap;		/* len: where the next message starts */
	uint32_t seq0;			/* BATCH_BEGIN; message i: seq0+1+i */
	struct nftel_msg *msg;
	size_t nmsg, capmsg;
	struct nftel_rec *rec;
	size_t nrec, caprec;
	struct sb names;		/* copies for error reports: the
					 * caller's strings may be gone */
	int open;			/* a message is being built */
	int spent;			/* committed (or tried) */
};

static int
nftel_grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	if ((q = realloc(*p, c * size)) == NULL)
		return -ERR_NOMEM;
	*p = q;
	*cap = c;
	return 0;
}

static int
nftel_room(struct nftel_tx *tx, size_t need)
{
	return nftel_grow((void **)&tx->buf, &tx->cap, tx->len + need, 1);
}

/* Offset of a NUL-terminated copy of s[0..n) in tx->names. */
static size_t
nftel_name(struct nftel_tx *tx, const char *s, size_t n)
{
	size_t off = tx->names.len;

	sb_addn(&tx->names, s, n);
	sb_addc(&tx->names, '\0');
	return off;
}

static const char *
nftel_spec(int table)
{
	return table == FW_T_PORT ? "bridge " FW_TABLE_PORT :
	    "inet " FW_TABLE_SG;
}

int
nftel_tx_begin(struct nftel_tx **out)
{
	struct nftel_tx *tx;

	*out = NULL;
	if ((tx = calloc(1, sizeof(*tx))) == NULL)
		return -ERR_NOMEM;
	tx->seq0 = 1;	/* a fresh socket: its replies are ours alone */
	if (nftel_room(tx, MNL_SOCKET_BUFFER_SIZE) < 0) {
		free(tx);
		return -ERR_NOMEM;
	}
	nftnl_batch_begin(tx->buf, tx->seq0);
	tx->len = NLMSG_ALIGN(((struct nlmsghdr *)tx->buf)->nlmsg_len);
	*out = tx;
	return 0;
}

void
nftel_tx_free(struct nftel_tx *tx)
{
	if (tx == NULL)
		return;
	free(tx->buf);
	free(tx->msg);
	free(tx->rec);
	sb_free(&tx->names);
	free(tx);
}

/* Opens message tx->nmsg at tx->len with room bytes free. */
static struct nlmsghdr *
nftel_msg(struct nftel_tx *tx, uint16_t type, uint16_t family,
    uint16_t flags, size_t room)
{
	struct nftel_msg *m;

	if (tx->open || tx->spent || nftel_room(tx, room) < 0 ||
	    nftel_grow((void **)&tx->msg, &tx->capmsg, tx->nmsg + 1,
	    sizeof(*tx->msg)) < 0)
		return NULL;
	m = &tx->msg[tx->nmsg];
	m->type = type;
	m->what = SIZE_MAX;
	m->rec0 = tx->nrec;
	m->nrec = 0;
	tx->open = 1;
	return nftnl_nlmsg_build_hdr(tx->buf + tx->len, type, family,
	    flags | NLM_F_ACK, tx->seq0 + 1 + (uint32_t)tx->nmsg);
}

struct nlmsghdr *
nftel_tx_msg(struct nftel_tx *tx, uint16_t type, uint16_t family,
    uint16_t flags)
{
	return nftel_msg(tx, type, family, flags, NFTEL_MSG_ROOM);
}

int
nftel_tx_end(struct nftel_tx *tx, struct nlmsghdr *h)
{
	if (!tx->open || (char *)h != tx->buf + tx->len ||
	    h->nlmsg_len > tx->cap - tx->len)
		return -ERR_INTERNAL;
	tx->len += NLMSG_ALIGN(h->nlmsg_len);
	tx->nmsg++;
	tx->open = 0;
	return 0;
}

/* Opens a DELSETELEM / NEWSETELEM message of c; *nest: the offset of
 * its element list nest. */
static struct nlmsghdr *
nftel_msg_elems(struct nftel_tx *tx, const struct nftel_change *c,
    size_t what, int del, uint32_t *nest)
{
	struct nlmsghdr *h;

	h = nftel_msg(tx, del ? NFT_MSG_DELSETELEM : NFT_MSG_NEWSETELEM,
	    c->table == FW_T_PORT ? NFPROTO_BRIDGE : NFPROTO_INET,
	    del ? 0 : NLM_F_CREATE, MNL_SOCKET_BUFFER_SIZE);
	if (h == NULL)
		return NULL;
	tx->msg[tx->nmsg].what = what;
	mnl_attr_put_strz(h, NFTA_SET_ELEM_LIST_SET, c->set);
	mnl_attr_put_strz(h, NFTA_SET_ELEM_LIST_TABLE,
	    c->table == FW_T_PORT ? FW_TABLE_PORT : FW_TABLE_SG);
	*nest = h->nlmsg_len;
	mnl_attr_nest_start(h, NFTA_SET_ELEM_LIST_ELEMENTS);
	return h;
}

static int
nftel_msg_elems_end(struct nftel_tx *tx, struct nlmsghdr *h, uint32_t nest)
{
	mnl_attr_nest_end(h, (struct nlattr *)((char *)h + nest));
	return nftel_tx_end(tx, h);
}

/* The messages of one change's deletes or adds. */
static int
nftel_put_elems(struct nftel_tx *tx, const struct nftel_change *c,
    const struct nftel_decl *d, const struct nftel_el *els, size_t n, int del)
{
	struct nftel_out *o = NULL;
	struct nlmsghdr *h = NULL;
	size_t no = 0, what;
	uint32_t nest = 0;
	int r;

	if (n == 0)
		return 0;
	if ((r = nftel_outs(d, els, n, &o, &no)) < 0)
		goto out;
	what = tx->names.len;
	sb_addf(&tx->names, "%s %s", nftel_spec(c->table), c->set);
	sb_addc(&tx->names, '\0');
	r = -ERR_NOMEM;
	for (size_t i = 0; i < no; i++) {
		struct nftnl_set_elem *s;

		if (h && h->nlmsg_len - nest > NFTEL_NEST_MAX) {
			if ((r = nftel_msg_elems_end(tx, h, nest)) < 0)
				goto out;
			r = -ERR_NOMEM;
			h = NULL;
		}
		if (h == NULL && (h = nftel_msg_elems(tx, c, what, del,
		    &nest)) == NULL)
			goto out;
		/* The buffer may move: h is found again by its offset. */
		if (nftel_room(tx, h->nlmsg_len + NFTEL_ELEM_MAX) < 0 ||
		    nftel_grow((void **)&tx->rec, &tx->caprec, tx->nrec + 1,
		    sizeof(*tx->rec)) < 0)
			goto out;
		h = (struct nlmsghdr *)(tx->buf + tx->len);
		if ((r = nftel_elem(d, &o[i], !del, &s)) < 0)
			goto out;
		r = -ERR_NOMEM;
		tx->rec[tx->nrec].off = h->nlmsg_len;
		tx->rec[tx->nrec++].line = nftel_name(tx, o[i].e->line,
		    strlen(o[i].e->line));
		/* the nest's attribute type counts from 1, as nft does */
		nftnl_set_elem_nlmsg_build(h, s,
		    (int)++tx->msg[tx->nmsg].nrec);
		nftnl_set_elem_free(s);
	}
	if ((r = nftel_msg_elems_end(tx, h, nest)) == 0)
		r = sb_ok(&tx->names);
out:
	free(o);
	return r;
}

/* ---- phase 1: parse --------------------------------------------------- */

struct nftel_parsed {
	struct nftel_decl d;
	struct nftel_el *del, *add;
};

static int
nftel_parse_lines(const struct nftel_change *c, const struct nftel_decl *d,
    const char *const *lines, size_t n, int add, struct nftel_el **out,
    struct sb *err)
{
	*out = NULL;
	if (n == 0)
		return 0;
	if ((*out = calloc(n, sizeof(**out))) == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < n; i++)
		if (lines[i] == NULL || nftel_line(d, lines[i], add,
		    &(*out)[i]) < 0) {
			if (err)
				sb_addf(err, "nftel: %s %s: cannot encode "
				    "element \"%s\"", nftel_spec(c->table),
				    c->set, lines[i] ? lines[i] : "(null)");
			return -ERR_INVALID_PARAMETER;
		}
	return 0;
}

static int
nftel_parse(const struct nftel_change *c, struct nftel_parsed *p,
    struct sb *err)
{
	int r;

	if ((c->table != FW_T_PORT && c->table != FW_T_SG) || c->set == NULL ||
	    !nftel_name_ok(c->set, strlen(c->set))) {
		if (err)
			sb_addf(err, "nftel: bad table or set name \"%s\"",
			    c->set ? c->set : "(null)");
		return -ERR_INVALID_PARAMETER;
	}
	if (c->decl == NULL || nftel_decl_parse(c->decl, &p->d) < 0) {
		if (err)
			sb_addf(err, "nftel: %s %s: cannot encode elements of "
			    "\"%s\"", nftel_spec(c->table), c->set,
			    c->decl ? c->decl : "(null)");
		return -ERR_INVALID_PARAMETER;
	}
	if ((r = nftel_parse_lines(c, &p->d, c->del, c->ndel, 0, &p->del,
	    err)) < 0)
		return r;
	return nftel_parse_lines(c, &p->d, c->add, c->nadd, 1, &p->add, err);
}

/* ---- phase 3: talk ---------------------------------------------------- */

struct nftel_ack {
	size_t acked;
	int error;			/* the first error (errno) */
	long msg;			/* its message, -1 begin/end/unknown */
	uint32_t offs;			/* extack: offending attribute */
	char text[160];			/* extack: message */
};

static void
nftel_ack_one(const struct nftel_tx *tx, const struct nlmsghdr *h,
    struct nftel_ack *a)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(h);
	const struct nlattr *at;
	size_t hlen = sizeof(*e);
	long i = (long)(h->nlmsg_seq - tx->seq0) - 1;

	if (h->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return;
	if (e->error == 0) {
		if (i >= 0 && (size_t)i < tx->nmsg)
			a->acked++;
		return;
	}
	if (a->error)
		return;
	a->error = -e->error;
	a->msg = i >= 0 && (size_t)i < tx->nmsg ? i : -1;
	if (!(h->nlmsg_flags & NLM_F_CAPPED))
		hlen += mnl_nlmsg_get_payload_len(&e->msg);
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    mnl_nlmsg_size(hlen) > h->nlmsg_len)
		return;
	mnl_attr_for_each(at, h, hlen) {
		if (mnl_attr_get_type(at) == NLMSGERR_ATTR_OFFS &&
		    mnl_attr_get_payload_len(at) == 4)
			a->offs = mnl_attr_get_u32(at);
		else if (mnl_attr_get_type(at) == NLMSGERR_ATTR_MSG)
			snprintf(a->text, sizeof(a->text), "%.*s",
			    (int)mnl_attr_get_payload_len(at),
			    (const char *)mnl_attr_get_payload(at));
	}
}

/* Reads acks until every message has one or an error came and the
 * queue is empty. -1 on a socket error or a timeout. */
static int
nftel_recv(int fd, const struct nftel_tx *tx, struct nftel_ack *a)
{
	size_t bufsz = 65536 + 4096;
	char *buf = malloc(bufsz);
	int r = -1;

	if (buf == NULL)
		return -1;
	while (a->acked < tx->nmsg) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n = recv(fd, buf, bufsz, MSG_DONTWAIT);
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
		int len;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			int pr;

			if (a->error)
				break;	/* aborted: what is queued is all */
			if ((pr = poll(&pfd, 1, NFTEL_ACK_WAIT_MS)) < 0 &&
			    errno == EINTR)
				continue;
			if (pr == 0)
				errno = ETIMEDOUT;
			if (pr <= 0)
				goto out;
			continue;
		}
		if (n <= 0)
			goto out;
		for (len = (int)n; mnl_nlmsg_ok(h, len);
		    h = mnl_nlmsg_next(h, &len))
			if (h->nlmsg_type == NLMSG_ERROR)
				nftel_ack_one(tx, h, a);
	}
	r = 0;
out:
	free(buf);
	return r;
}

static const char *
nftel_verb(uint16_t type)
{
	switch (type) {
	case NFT_MSG_NEWSETELEM:
		return "add element";
	case NFT_MSG_DELSETELEM:
		return "delete element";
	case NFT_MSG_NEWRULE:
		return "add rule";
	case NFT_MSG_DELRULE:
		return "delete rule";
	case NFT_MSG_NEWCHAIN:
		return "add chain";
	case NFT_MSG_DELCHAIN:
		return "delete chain";
	case NFT_MSG_NEWSET:
		return "add set";
	case NFT_MSG_DELSET:
		return "delete set";
	}
	return "message";
}

static void
nftel_report(const struct nftel_tx *tx, const struct nftel_ack *a,
    struct sb *err)
{
	const struct nftel_msg *m;
	const char *names = sb_str(&tx->names), *line = NULL;

	if (err == NULL)
		return;
	if (a->msg < 0) {
		sb_addf(err, "nftel: batch refused: %s", strerror(a->error));
		goto text;
	}
	m = &tx->msg[a->msg];
	/* The element whose nest the kernel points at, if it does. */
	for (size_t i = 0; i < m->nrec && a->offs; i++)
		if (tx->rec[m->rec0 + i].off <= a->offs)
			line = names + tx->rec[m->rec0 + i].line;
	sb_addf(err, "nftel: %s", nftel_verb(m->type));
	if (m->what != SIZE_MAX)
		sb_addf(err, " %s", names + m->what);
	else
		sb_addf(err, " (message %ld of %zu)", a->msg + 1, tx->nmsg);
	if (line)
		sb_addf(err, " { %s }", line);
	sb_addf(err, ": %s", strerror(a->error));
text:
	if (a->text[0])
		sb_addf(err, " (%s)", a->text);
}

/* Raises a socket buffer to want bytes (never lowers it). */
static void
nftel_sockbuf(int fd, int opt, int force, size_t want)
{
	int cur = 0, v = want > INT32_MAX / 2 ? INT32_MAX / 2 : (int)want;
	socklen_t len = sizeof(cur);

	if (getsockopt(fd, SOL_SOCKET, opt, &cur, &len) == 0 && cur >= v)
		return;
	if (setsockopt(fd, SOL_SOCKET, force, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
}

static int
nftel_talk(int nsfd, const struct nftel_tx *tx, struct sb *err)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	struct iovec iov = { tx->buf, tx->len };
	struct msghdr mh = { .msg_name = &sa, .msg_namelen = sizeof(sa),
	    .msg_iov = &iov, .msg_iovlen = 1 };
	struct nftel_ack a;
	struct mnl_socket *nl = NULL;
	int saved, one = 1, fd, r = -ERR_INTERNAL;

	memset(&a, 0, sizeof(a));
	a.msg = -1;
	if (agent_ns_enter(NULL, nsfd, &saved) < 0) {
		if (err)
			sb_adds(err, "nftel: cannot enter the namespace");
		return r;
	}
	nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (agent_ns_leave(saved) < 0)
		abort();	/* the thread is in a foreign namespace */
	if (nl == NULL || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		if (err)
			sb_addf(err, "nftel: netlink socket: %s",
			    strerror(errno));
		goto out;
	}
	fd = mnl_socket_get_fd(nl);
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	/* The batch goes in one sendmsg; one ACK per message comes back. */
	nftel_sockbuf(fd, SO_SNDBUF, SO_SNDBUFFORCE, tx->len + 65536);
	nftel_sockbuf(fd, SO_RCVBUF, SO_RCVBUFFORCE, tx->nmsg * 2048 + 65536);
	if (sendmsg(fd, &mh, 0) != (ssize_t)tx->len) {
		if (err)
			sb_addf(err, "nftel: send: %s", strerror(errno));
		goto out;
	}
	if (nftel_recv(fd, tx, &a) < 0 && !a.error) {
		/* Committed or not: unknown. The drift check will tell. */
		if (err)
			sb_addf(err, "nftel: %zu of %zu acks: %s", a.acked,
			    tx->nmsg, strerror(errno));
		goto out;
	}
	if (a.error) {
		nftel_report(tx, &a, err);
		goto out;
	}
	r = 0;
out:
	if (nl)
		mnl_socket_close(nl);
	return r;
}

/* ---- the API ---------------------------------------------------------- */

int
nftel_tx_changes(struct nftel_tx *tx, const struct nftel_change *c, size_t n,
    struct sb *err)
{
	struct nftel_parsed *p = NULL;
	int r = -ERR_NOMEM;

	if (n == 0)
		return 0;
	if (tx->open || tx->spent)
		return -ERR_INTERNAL;
	if ((p = calloc(n, sizeof(*p))) == NULL)
		return r;
	for (size_t i = 0; i < n; i++)
		if ((r = nftel_parse(&c[i], &p[i], err)) < 0)
			goto out;
	for (size_t i = 0; i < n; i++)
		if ((r = nftel_put_elems(tx, &c[i], &p[i].d, p[i].del,
		    c[i].ndel, 1)) < 0 || (r = nftel_put_elems(tx, &c[i],
		    &p[i].d, p[i].add, c[i].nadd, 0)) < 0)
			goto out;
out:
	for (size_t i = 0; p && i < n; i++) {
		free(p[i].del);
		free(p[i].add);
	}
	free(p);
	return r;
}

int
nftel_tx_commit(struct nftel_tx *tx, int nsfd, struct sb *err)
{
	struct nlmsghdr *h;

	if (tx->open || tx->spent)
		return -ERR_INTERNAL;
	tx->spent = 1;
	if (tx->nmsg == 0)
		return 0;
	if (nftel_room(tx, MNL_SOCKET_BUFFER_SIZE) < 0)
		return -ERR_NOMEM;
	h = nftnl_batch_end(tx->buf + tx->len, tx->seq0 + 1 +
	    (uint32_t)tx->nmsg);
	tx->len += NLMSG_ALIGN(h->nlmsg_len);
	return nftel_talk(nsfd, tx, err);
}

int
nftel_apply(int nsfd, const struct nftel_change *c, size_t n, struct sb *err)
{
	struct nftel_tx *tx = NULL;
	int r;

	if (n == 0)
		return 0;
	if ((r = nftel_tx_begin(&tx)) == 0 &&
	    (r = nftel_tx_changes(tx, c, n, err)) == 0)
		r = nftel_tx_commit(tx, nsfd, err);
	nftel_tx_free(tx);
	return r;
}
