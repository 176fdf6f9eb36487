/*
 * nftel_enc: the pure half of nftel (nftel_int.h): decls and element
 * lines in, libnftnl set elements out. No sockets and no batch here, so
 * that every change is parsed (and refused, when it cannot be encoded)
 * before nftel.c builds or sends anything.
 *
 *   parse    each change's decl (the key fields, the data type, the
 *            interval flag) and every line into struct nftel_el: key
 *            bytes, inclusive end, data or verdict, comment
 *            (nftel_parse);
 *   encode   a set's parsed lines into its netlink elements (nftel_outs:
 *            an rbtree range is a start and an end element, sorted by
 *            key) and each of those into a libnftnl set element
 *            (nftel_elem), which nftel.c puts into its messages.
 *
 * Byte layouts follow nft 1.0.6 (checked with `nft --debug=netlink`):
 * addresses, protocols and ports in network order, mark and ct zone in
 * host order, ifname as 16 NUL-padded bytes, each field of a
 * concatenation padded to 4 bytes.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libnftnl/set.h>
#include <libnftnl/udata.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "agent/nftel.h"
#include "agent/nftel_int.h"
#include "fw/fw.h"
#include "lib/err.h"

#define NFTEL_NAME_MAX 255			/* set and chain names */

/* ---- types ------------------------------------------------------------ */

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
int
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
int
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

/* ---- phase 1: parse --------------------------------------------------- */

const char *
nftel_spec(int table)
{
	return table == FW_T_PORT ? "bridge " FW_TABLE_PORT :
	    "inet " FW_TABLE_SG;
}

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

int
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
