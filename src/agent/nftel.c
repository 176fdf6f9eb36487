/*
 * nftel: element deltas as one nfnetlink batch (nftel.h). Three phases,
 * so that nothing reaches the kernel unless all of it could be encoded:
 *
 *   1. parse   each change's decl and every line into struct nftel_el
 *              (nftel_enc.c: pure, no sockets);
 *   2. build   one buffer (struct nftel_tx): BATCH_BEGIN, per change a
 *              DELSETELEM and a NEWSETELEM message (split when the
 *              element nest would pass its 16-bit length) holding the
 *              elements nftel_enc.c encodes, any messages a caller of
 *              nftel_tx_msg() adds, BATCH_END; every message asks for an
 *              ACK;
 *   3. talk    a NETLINK_NETFILTER socket made inside the namespace, one
 *              sendmsg, then every ACK read back. The kernel processes
 *              the batch inside sendmsg, so the replies are queued when
 *              it returns; an error reply means the transaction was
 *              aborted as a whole.
 *
 * This file holds phases 2 and 3 and the API; the errors the kernel
 * reports are traced back to the message and element line they name.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/set.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>

#include "agent/agent_sys.h"
#include "agent/nftel.h"
#include "agent/nftel_int.h"
#include "fw/fw.h"
#include "lib/err.h"

#define NFTEL_NEST_MAX 60000	/* element nest bytes per message (< 64K) */
#define NFTEL_ELEM_MAX 2048	/* an upper bound of one encoded element */
#define NFTEL_MSG_ROOM (2 * 65536)	/* free bytes for nftel_tx_msg() */
#define NFTEL_ACK_WAIT_MS 2000

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
