/*
 * nftrp: a delta that changes chains or creates sets, sent to the real
 * tables as one libnftnl batch (nftrp.h).
 *
 * The shadow namespace (nftb.h) has already taken the delta as nft text:
 * nft's parser and evaluator turned every rule into kernel expressions
 * there, off the packets' path. What the real tables need is read back
 * from the shadow over netlink — the rules of each changed or new chain,
 * each new set with its elements, each new chain's comment — and sent
 * with the element changes (encoded by nftel) and the flushes and
 * deletions in one batch: one transaction, in fw_diff's order. So the
 * kernel that filters packets receives exactly the expressions nft
 * built, without a second run of libnftables (whose cost grows with our
 * tables: ADR 004).
 *
 * Not expressed here (the caller sends the text instead, answer 1): base
 * chains (hooks are created by full loads only) and rules that use an
 * anonymous set (it would have to be re-created under a new id; the
 * profile chains the deltas touch do not use them).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/set.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>

#include "agent/agent_sys.h"
#include "agent/nftel.h"
#include "agent/nftrp.h"
#include "fw/fw.h"
#include "lib/err.h"

#define NFTRP_DUMP_SIZE 65536	/* a dump part (libmnl 1.0.5 names 32 KB) */

/* ---- reading the shadow --------------------------------------------- */

struct nftrp_rd {
	struct mnl_socket *nl;
	uint32_t seq;
	uint32_t portid;
	uint32_t set_id;		/* last NFTNL_SET_ID given */
	char *buf;			/* NFTRP_DUMP_SIZE */
};

static int
nftrp_rd_open(struct nftrp_rd *rd, int nsfd)
{
	int saved;

	memset(rd, 0, sizeof(*rd));
	if ((rd->buf = malloc(NFTRP_DUMP_SIZE)) == NULL)
		return -ERR_NOMEM;
	if (agent_ns_enter(NULL, nsfd, &saved) < 0)
		return -ERR_INTERNAL;
	rd->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (agent_ns_leave(saved) < 0)
		abort();	/* the thread is in a foreign namespace */
	if (rd->nl == NULL || mnl_socket_bind(rd->nl, 0, MNL_SOCKET_AUTOPID) < 0)
		return -ERR_INTERNAL;
	rd->portid = mnl_socket_get_portid(rd->nl);
	rd->seq = 1;
	return 0;
}

static void
nftrp_rd_close(struct nftrp_rd *rd)
{
	if (rd->nl)
		mnl_socket_close(rd->nl);
	free(rd->buf);
	memset(rd, 0, sizeof(*rd));
}

/* Sends the request in rd->buf and runs cb on every answer. */
static int
nftrp_rd_talk(struct nftrp_rd *rd, struct nlmsghdr *h, mnl_cb_t cb, void *arg)
{
	ssize_t n;
	int r;

	if (mnl_socket_sendto(rd->nl, h, h->nlmsg_len) < 0)
		return -ERR_INTERNAL;
	do {
		n = mnl_socket_recvfrom(rd->nl, rd->buf, NFTRP_DUMP_SIZE);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -ERR_INTERNAL;
		r = mnl_cb_run(rd->buf, (size_t)n, rd->seq, rd->portid, cb, arg);
	} while (r > MNL_CB_STOP);
	rd->seq++;
	return r < 0 ? -ERR_INTERNAL : 0;
}

static int
nftrp_family(int table)
{
	return table == FW_T_PORT ? NFPROTO_BRIDGE : NFPROTO_INET;
}

static const char *
nftrp_table(int table)
{
	return table == FW_T_PORT ? FW_TABLE_PORT : FW_TABLE_SG;
}

/* The rules of a chain, in order. */
struct nftrp_rules {
	struct nftnl_rule **v;
	size_t n;
	int anon;			/* one uses an anonymous set */
};

static int
nftrp_expr_anon(struct nftnl_expr *e, void *arg)
{
	const char *name = nftnl_expr_get_str(e, NFTNL_EXPR_NAME);
	const char *set = NULL;

	if (strcmp(name, "lookup") == 0)
		set = nftnl_expr_get_str(e, NFTNL_EXPR_LOOKUP_SET);
	else if (strcmp(name, "dynset") == 0)
		set = nftnl_expr_get_str(e, NFTNL_EXPR_DYNSET_SET_NAME);
	if (set && strncmp(set, "__", 2) == 0)
		*(int *)arg = 1;
	return 0;
}

static int
nftrp_rule_cb(const struct nlmsghdr *h, void *arg)
{
	struct nftrp_rules *l = arg;
	struct nftnl_rule *r, **v;

	if ((r = nftnl_rule_alloc()) == NULL)
		return MNL_CB_ERROR;
	if (nftnl_rule_nlmsg_parse(h, r) < 0 ||
	    (v = realloc(l->v, (l->n + 1) * sizeof(*v))) == NULL) {
		nftnl_rule_free(r);
		return MNL_CB_ERROR;
	}
	l->v = v;
	l->v[l->n++] = r;
	nftnl_expr_foreach(r, nftrp_expr_anon, &l->anon);
	return MNL_CB_OK;
}

static void
nftrp_rules_free(struct nftrp_rules *l)
{
	for (size_t i = 0; i < l->n; i++)
		nftnl_rule_free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int
nftrp_get_rules(struct nftrp_rd *rd, const struct fw_obj *o,
    struct nftrp_rules *out)
{
	struct nftnl_rule *q = nftnl_rule_alloc();
	char req[512];
	struct nlmsghdr *h;
	int r;

	memset(out, 0, sizeof(*out));
	if (q == NULL)
		return -ERR_NOMEM;
	nftnl_rule_set_str(q, NFTNL_RULE_TABLE, nftrp_table(o->table));
	nftnl_rule_set_str(q, NFTNL_RULE_CHAIN, o->name);
	h = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETRULE,
	    (uint16_t)nftrp_family(o->table), NLM_F_DUMP, rd->seq);
	nftnl_rule_nlmsg_build_payload(h, q);
	nftnl_rule_free(q);
	if ((r = nftrp_rd_talk(rd, h, nftrp_rule_cb, out)) < 0)
		nftrp_rules_free(out);
	return r;
}

static int
nftrp_chain_cb(const struct nlmsghdr *h, void *arg)
{
	return nftnl_chain_nlmsg_parse(h, arg) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

static int
nftrp_set_cb(const struct nlmsghdr *h, void *arg)
{
	return nftnl_set_nlmsg_parse(h, arg) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

static int
nftrp_elem_cb(const struct nlmsghdr *h, void *arg)
{
	return nftnl_set_elems_nlmsg_parse(h, arg) < 0 ? MNL_CB_ERROR :
	    MNL_CB_OK;
}

/* One chain (its comment) or one set with its elements. */
static int
nftrp_get_chain(struct nftrp_rd *rd, const struct fw_obj *o,
    struct nftnl_chain **out)
{
	struct nftnl_chain *c = nftnl_chain_alloc();
	char req[512];
	struct nlmsghdr *h;
	int r;

	if ((*out = c) == NULL)
		return -ERR_NOMEM;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, nftrp_table(o->table));
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, o->name);
	h = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETCHAIN,
	    (uint16_t)nftrp_family(o->table), NLM_F_ACK, rd->seq);
	nftnl_chain_nlmsg_build_payload(h, c);
	if ((r = nftrp_rd_talk(rd, h, nftrp_chain_cb, c)) < 0) {
		nftnl_chain_free(c);
		*out = NULL;
	}
	return r;
}

static int
nftrp_get_set(struct nftrp_rd *rd, const struct fw_obj *o,
    struct nftnl_set **out)
{
	struct nftnl_set *s = nftnl_set_alloc();
	char req[512];
	struct nlmsghdr *h;
	int r;

	if ((*out = s) == NULL)
		return -ERR_NOMEM;
	nftnl_set_set_str(s, NFTNL_SET_TABLE, nftrp_table(o->table));
	nftnl_set_set_str(s, NFTNL_SET_NAME, o->name);
	h = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETSET,
	    (uint16_t)nftrp_family(o->table), NLM_F_ACK, rd->seq);
	nftnl_set_nlmsg_build_payload(h, s);
	if ((r = nftrp_rd_talk(rd, h, nftrp_set_cb, s)) == 0) {
		h = nftnl_nlmsg_build_hdr(req, NFT_MSG_GETSETELEM,
		    (uint16_t)nftrp_family(o->table), NLM_F_DUMP, rd->seq);
		nftnl_set_elems_nlmsg_build_payload(h, s);
		r = nftrp_rd_talk(rd, h, nftrp_elem_cb, s);
	}
	if (r < 0) {
		nftnl_set_free(s);
		*out = NULL;
	}
	return r;
}

/* ---- writing the real tables ---------------------------------------- */

/* DELRULE of a whole chain (flush), DELCHAIN, DELSET: table + name. */
static int
nftrp_put_del(struct nftel_tx *tx, const struct fw_obj *o, int what)
{
	uint16_t fam = (uint16_t)nftrp_family(o->table);
	struct nlmsghdr *h;
	int r = -ERR_NOMEM;

	if (what == NFT_MSG_DELSET) {
		struct nftnl_set *s = nftnl_set_alloc();

		if (s && (h = nftel_tx_msg(tx, NFT_MSG_DELSET, fam, 0)) != NULL) {
			nftnl_set_set_str(s, NFTNL_SET_TABLE,
			    nftrp_table(o->table));
			nftnl_set_set_str(s, NFTNL_SET_NAME, o->name);
			nftnl_set_nlmsg_build_payload(h, s);
			r = nftel_tx_end(tx, h);
		}
		nftnl_set_free(s);
	} else if (what == NFT_MSG_DELCHAIN) {
		struct nftnl_chain *c = nftnl_chain_alloc();

		if (c && (h = nftel_tx_msg(tx, NFT_MSG_DELCHAIN, fam, 0)) != NULL) {
			nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE,
			    nftrp_table(o->table));
			nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, o->name);
			nftnl_chain_nlmsg_build_payload(h, c);
			r = nftel_tx_end(tx, h);
		}
		nftnl_chain_free(c);
	} else {
		struct nftnl_rule *q = nftnl_rule_alloc();

		if (q && (h = nftel_tx_msg(tx, NFT_MSG_DELRULE, fam, 0)) != NULL) {
			nftnl_rule_set_str(q, NFTNL_RULE_TABLE,
			    nftrp_table(o->table));
			nftnl_rule_set_str(q, NFTNL_RULE_CHAIN, o->name);
			nftnl_rule_nlmsg_build_payload(h, q);
			r = nftel_tx_end(tx, h);
		}
		nftnl_rule_free(q);
	}
	return r;
}

/* The rules of o as the shadow holds them, appended to the chain. */
static int
nftrp_put_rules(struct nftrp_rd *rd, struct nftel_tx *tx,
    const struct fw_obj *o)
{
	struct nftrp_rules l;
	int r;

	if ((r = nftrp_get_rules(rd, o, &l)) < 0)
		return r;
	if (l.anon || l.n != o->nlines) {
		r = 1;	/* not for us, or not what was compiled */
		goto out;
	}
	for (size_t i = 0; i < l.n && r == 0; i++) {
		struct nlmsghdr *h = nftel_tx_msg(tx, NFT_MSG_NEWRULE,
		    (uint16_t)nftrp_family(o->table),
		    NLM_F_CREATE | NLM_F_APPEND);

		if (h == NULL) {
			r = -ERR_NOMEM;
			break;
		}
		nftnl_rule_unset(l.v[i], NFTNL_RULE_HANDLE);
		nftnl_rule_unset(l.v[i], NFTNL_RULE_POSITION);
		nftnl_rule_nlmsg_build_payload(h, l.v[i]);
		r = nftel_tx_end(tx, h);
	}
out:
	nftrp_rules_free(&l);
	return r;
}

static int
nftrp_put_chain(struct nftrp_rd *rd, struct nftel_tx *tx,
    const struct fw_obj *o)
{
	struct nftnl_chain *got = NULL, *c = NULL;
	struct nlmsghdr *h;
	const void *ud;
	uint32_t udlen = 0;
	int r;

	if (strstr(o->decl, "hook ") != NULL)
		return 1;	/* base chains come with full loads */
	if ((r = nftrp_get_chain(rd, o, &got)) < 0)
		return r;
	r = -ERR_NOMEM;
	if ((c = nftnl_chain_alloc()) == NULL ||
	    (h = nftel_tx_msg(tx, NFT_MSG_NEWCHAIN,
	    (uint16_t)nftrp_family(o->table), NLM_F_CREATE)) == NULL)
		goto out;
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, nftrp_table(o->table));
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, o->name);
	if ((ud = nftnl_chain_get_data(got, NFTNL_CHAIN_USERDATA, &udlen)))
		nftnl_chain_set_data(c, NFTNL_CHAIN_USERDATA, ud, udlen);
	nftnl_chain_nlmsg_build_payload(h, c);
	r = nftel_tx_end(tx, h);
out:
	nftnl_chain_free(got);
	nftnl_chain_free(c);
	return r;
}

/* A new set or map: its declaration, then its elements, as many per
 * message as fit an attribute (libnftnl's iterator splits them). */
static int
nftrp_put_set(struct nftrp_rd *rd, struct nftel_tx *tx,
    const struct fw_obj *o)
{
	uint16_t fam = (uint16_t)nftrp_family(o->table);
	struct nftnl_set_elems_iter *it = NULL;
	struct nftnl_set *s = NULL;
	struct nlmsghdr *h;
	int more, r;

	if ((r = nftrp_get_set(rd, o, &s)) < 0)
		return r;
	r = -ERR_NOMEM;
	nftnl_set_unset(s, NFTNL_SET_HANDLE);
	/* The kernel wants an id for a set made in a batch (elements could
	 * name it by id; ours name it by name). */
	nftnl_set_set_u32(s, NFTNL_SET_ID, ++rd->set_id);
	if ((h = nftel_tx_msg(tx, NFT_MSG_NEWSET, fam, NLM_F_CREATE)) == NULL)
		goto out;
	nftnl_set_nlmsg_build_payload(h, s);
	if ((r = nftel_tx_end(tx, h)) < 0)
		goto out;
	r = -ERR_NOMEM;
	if ((it = nftnl_set_elems_iter_create(s)) == NULL)
		goto out;
	for (more = nftnl_set_elems_iter_cur(it) != NULL; more == 1;) {
		if ((h = nftel_tx_msg(tx, NFT_MSG_NEWSETELEM, fam,
		    NLM_F_CREATE)) == NULL)
			goto out;
		more = nftnl_set_elems_nlmsg_build_payload_iter(h, it);
		if ((r = nftel_tx_end(tx, h)) < 0)
			goto out;
		r = -ERR_NOMEM;
	}
	r = more < 0 ? -ERR_INTERNAL : 0;
out:
	if (it)
		nftnl_set_elems_iter_destroy(it);
	nftnl_set_free(s);
	return r;
}

/* The element changes of an FW_OP_ELEMS operation as nftel takes them
 * (the line arrays are the caller's to free). */
static int
nftrp_change(const struct fw_op *op, struct nftel_change *c)
{
	const char **del, **add;

	memset(c, 0, sizeof(*c));
	del = calloc(op->old->nlines + 1, sizeof(*del));
	add = calloc(op->new->nlines + 1, sizeof(*add));
	c->del = del;
	c->add = add;
	if (del == NULL || add == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < op->old->nlines; i++)
		if (op->go[i])
			del[c->ndel++] = op->old->lines[i];
	for (size_t i = 0; i < op->new->nlines; i++)
		if (op->come[i])
			add[c->nadd++] = op->new->lines[i];
	c->table = op->new->table;
	c->set = op->new->name;
	c->decl = op->new->decl;
	return 0;
}

static void
nftrp_change_free(struct nftel_change *c)
{
	free((void *)c->del);
	free((void *)c->add);
}

static int
nftrp_put_elems(struct nftel_tx *tx, const struct fw_op *op, struct sb *err)
{
	struct nftel_change c;
	int r;

	if ((r = nftrp_change(op, &c)) == 0)
		r = nftel_tx_changes(tx, &c, 1, err);
	nftrp_change_free(&c);
	return r;
}

int
nftrp_elems(int nsfd, const struct fw_delta *d, struct sb *err)
{
	struct nftel_change *c = calloc(d->n + 1, sizeof(*c));
	size_t n = 0;
	int r = c ? 0 : -ERR_NOMEM;

	for (size_t i = 0; i < d->n && r == 0; i++)
		if (d->v[i].op == FW_OP_ELEMS)
			r = nftrp_change(&d->v[i], &c[n++]);
	if (r == 0)
		r = nftel_apply(nsfd, c, n, err);
	for (size_t i = 0; i < n; i++)
		nftrp_change_free(&c[i]);
	free(c);
	return r;
}

int
nftrp_apply(int real_nsfd, int shadow_nsfd, const struct fw_delta *d,
    struct sb *err)
{
	struct nftrp_rd rd;
	struct nftel_tx *tx = NULL;
	int r;

	if (d->full)
		return 1;
	if ((r = nftrp_rd_open(&rd, shadow_nsfd)) < 0 ||
	    (r = nftel_tx_begin(&tx)) < 0)
		goto out;
	for (size_t i = 0; i < d->n && r == 0; i++) {
		const struct fw_op *op = &d->v[i];
		const struct fw_obj *o = op->new ? op->new : op->old;

		switch (op->op) {
		case FW_OP_CREATE:
			r = o->kind == FW_K_CHAIN ? nftrp_put_chain(&rd, tx, o) :
			    nftrp_put_set(&rd, tx, o);
			break;
		case FW_OP_ELEMS:
			r = nftrp_put_elems(tx, op, err);
			break;
		case FW_OP_REFILL:
			if ((r = nftrp_put_del(tx, o, NFT_MSG_DELRULE)) == 0)
				r = nftrp_put_rules(&rd, tx, o);
			break;
		case FW_OP_FILL:
			r = nftrp_put_rules(&rd, tx, o);
			break;
		case FW_OP_DELETE:
			if (o->kind != FW_K_CHAIN)
				r = nftrp_put_del(tx, o, NFT_MSG_DELSET);
			else if (strstr(o->decl, "hook ") != NULL)
				r = 1;
			else if ((r = nftrp_put_del(tx, o,
			    NFT_MSG_DELRULE)) == 0)
				r = nftrp_put_del(tx, o, NFT_MSG_DELCHAIN);
			break;
		}
	}
	if (r == 0)
		r = nftel_tx_commit(tx, real_nsfd, err);
out:
	nftel_tx_free(tx);
	nftrp_rd_close(&rd);
	return r;
}
