/*
 * sekisho_eng_reach: DescribeReachability (our product 2026-12-01,
 * docs/api.md). For one ENI (or instance) and a protocol and port: every
 * ENI of the account that can open a connection to it — or, given as the
 * source, every ENI it can open one to — and which internet addresses can.
 *
 * Peers: the account's ENIs on the same network (the same VPC; classic
 * with classic), each decided by the engine at both gates (the sender's
 * egress, the receiver's ingress), first packet (state new). One compiled
 * lookup per gate, so 10,000 ENIs cost 20,000 lookups on a cached model.
 *
 * The internet (IPv4): the address space is cut at the bounds of every
 * CIDR peer of the ENI's effective rules in that direction, of the
 * private ranges and of the VPC's block; within one piece every address
 * meets the same CIDR rules and has the same scope, so the engine decides
 * one address per piece (group peers match members' private addresses,
 * never internet ones). Accepted internet pieces are merged and written
 * as CIDR blocks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/act/sekisho_eng_int.h"
#include "lib/err.h"

#define REACH_RANGES_MAX 1000	/* CIDR blocks in the answer */

static int
reach_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t
reach_be32(const uint8_t *a)
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 |
	    (uint32_t)a[2] << 8 | a[3];
}

static void
reach_put32(uint8_t *a, uint32_t v)
{
	memset(a, 0, 16);
	a[0] = (uint8_t)(v >> 24);
	a[1] = (uint8_t)(v >> 16);
	a[2] = (uint8_t)(v >> 8);
	a[3] = (uint8_t)v;
}

/* Appends [start, end) of an IPv4 prefix to the bounds. */
static void
reach_bound(const struct cidr *c, uint64_t *b, size_t *n)
{
	uint64_t size, start;

	if (c->family != CIDR_V4)
		return;
	size = 1ULL << (32 - c->len);
	start = reach_be32(c->addr) & ~(size - 1) & 0xffffffffULL;
	b[(*n)++] = start;
	b[(*n)++] = start + size;
}

/* [lo, hi) as CIDR blocks, appended to arr (at most REACH_RANGES_MAX). */
static void
reach_cidrs(uint64_t lo, uint64_t hi, json_t *arr, int *truncated)
{
	while (lo < hi) {
		struct cidr c = { .family = CIDR_V4 };
		char buf[CIDR_STR_MAX];
		int len = 32;

		while (len > 0) {
			uint64_t size = 1ULL << (33 - len);

			if ((lo & (size - 1)) != 0 || lo + size > hi)
				break;
			len--;
		}
		if (json_array_size(arr) == REACH_RANGES_MAX) {
			*truncated = 1;
			return;
		}
		c.len = (uint8_t)len;
		reach_put32(c.addr, (uint32_t)lo);
		cidr_format(&c, buf, sizeof(buf));
		json_array_append_new(arr, json_string(buf));
		lo += 1ULL << (32 - len);
	}
}

/* The pieces' bounds: CIDR peers of the gate's items, private, the VPC. */
static int
reach_bounds(struct api_call *c, const struct engload *l,
    const struct engload_eni *n, int dir, uint64_t **out, size_t *nout)
{
	static const char *const fixed[] = { "10.0.0.0/8", "172.16.0.0/12",
	    "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
	    "169.254.0.0/16", "0.0.0.0/8", NULL };
	struct eng_eff *v = NULL;
	struct store_res vpc;
	struct cidr cb;
	uint64_t *b = NULL;
	size_t cnt = 0, m = 0;
	int r;

	memset(&vpc, 0, sizeof(vpc));
	if ((r = eng_effective(l->m, n->e, dir, NULL, 0, &cnt)) < 0)
		return r;
	if ((v = calloc(cnt, sizeof(*v))) == NULL ||
	    (b = calloc(2 * cnt + 32, sizeof(*b))) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	if ((r = eng_effective(l->m, n->e, dir, v, cnt, &cnt)) < 0)
		goto out;
	b[m++] = 0;
	b[m++] = 1ULL << 32;
	for (size_t i = 0; fixed[i]; i++)
		if (cidr_parse(fixed[i], &cb) == 0)
			reach_bound(&cb, b, &m);
	if (n->vpc[0] && store_res_get(c->st, n->vpc, &vpc) == 0 &&
	    cidr_parse(json_string_value(json_object_get(vpc.doc,
	    "CidrBlock")) ? json_string_value(json_object_get(vpc.doc,
	    "CidrBlock")) : "", &cb) == 0)
		reach_bound(&cb, b, &m);
	for (size_t i = 0; i < cnt; i++)
		if (v[i].item.kind == ENG_ITEM_RULE &&
		    v[i].item.rule->peer_kind == RULE_PEER_CIDR)
			reach_bound(&v[i].item.rule->peer_cidr, b, &m);
	qsort(b, m, sizeof(*b), reach_u64_cmp);
	*nout = 0;
	for (size_t i = 0; i < m; i++)
		if (*nout == 0 || b[*nout - 1] != b[i])
			b[(*nout)++] = b[i];
	*out = b;
	b = NULL;
out:
	store_res_clear(&vpc);
	free(v);
	free(b);
	return r;
}

/* {Reachable, AllAddresses, Ranges{Range[]}, Truncated} for the internet. */
static int
reach_internet(struct api_call *c, const struct engload *l,
    const struct engload_eni *n, int dir, const struct eng_flow *tmpl,
    json_t **out)
{
	struct eng_flow f = *tmpl;
	struct eng_verdict v;
	uint64_t *b = NULL, run = 0;
	size_t nb = 0, pieces = 0, accepted = 0;
	json_t *ranges = json_array();
	int r = 0, in_run = 0, truncated = 0;
	const struct cidr *local = n->vpc[0] || n->pub.family != CIDR_V4 ?
	    &n->ip : &n->pub;

	*out = NULL;
	if (local->family == CIDR_V4 && (r = reach_bounds(c, l, n, dir, &b,
	    &nb)) < 0)
		goto out;
	memcpy(dir == RULE_INGRESS ? f.dst : f.src, local->addr, 16);
	for (size_t i = 0; i + 1 < nb; i++) {
		uint8_t *remote = dir == RULE_INGRESS ? f.src : f.dst;
		size_t cnt;
		int inet = 0, ok;

		reach_put32(remote, (uint32_t)b[i]);
		if ((r = eng_explain(l->m, n->e, dir, &f, NULL, 0, &cnt,
		    &inet)) < 0 || (r = eng_gate(l->m, n->e, dir, &f, &v)) < 0)
			goto out;
		if (!inet) {
			ok = 0;
		} else {
			pieces++;
			ok = v.accept;
			accepted += ok;
		}
		if (ok && !in_run) {
			run = b[i];
			in_run = 1;
		} else if (!ok && in_run) {
			reach_cidrs(run, b[i], ranges, &truncated);
			in_run = 0;
		}
	}
	if (in_run)
		reach_cidrs(run, b[nb - 1], ranges, &truncated);
	if (pieces > 0 && accepted == pieces) {
		json_array_clear(ranges);
		json_array_append_new(ranges, json_string("0.0.0.0/0"));
	}
	*out = json_pack("{s:b, s:b, s:o, s:b}", "Reachable", accepted > 0,
	    "AllAddresses", pieces > 0 && accepted == pieces,
	    "Ranges", api_wrap_list(ranges, "Range"), "Truncated", truncated);
	ranges = NULL;
	r = *out ? 0 : -ERR_NOMEM;
out:
	json_decref(ranges);
	free(b);
	return r;
}

/* The anchor: exactly one of the four ENI/instance parameters. */
static int
reach_anchor(struct api_call *c, const struct engload *l,
    const struct engload_query *q, const struct engload_eni **n, int *dir)
{
	const struct engload_end *e = q->dst.kind ? &q->dst : &q->src;
	const char *side = q->dst.kind ? "Destination" : "Source";

	*n = NULL;
	*dir = q->dst.kind ? RULE_INGRESS : RULE_EGRESS;
	if (q->src.kind && q->dst.kind)
		return api_fail(c, ERR_INVALID_PARAMETER, "SourceInstanceId "
		    "(give the source or the destination, not both)");
	if (e->kind == ENGLOAD_END_NONE)
		return api_fail(c, ERR_MISSING_PARAMETER,
		    "DestinationNetworkInterfaceId");
	if (e->kind == ENGLOAD_END_IP)
		return api_fail(c, ERR_INVALID_PARAMETER, "%sIp", side);
	if (q->proto < 0)
		return api_fail(c, ERR_MISSING_PARAMETER, "Protocol");
	if ((q->proto == ENG_IPPROTO_TCP || q->proto == ENG_IPPROTO_UDP) &&
	    q->dport < 0)
		return api_fail(c, ERR_MISSING_PARAMETER, "DestinationPort");
	if (q->proto == ENG_IPPROTO_ICMPV6)
		return api_fail(c, ERR_INVALID_PARAMETER, "Protocol (network "
		    "interfaces have IPv4 addresses only)");
	if (e->kind == ENGLOAD_END_INSTANCE &&
	    (*n = engload_instance(l, e->id)) == NULL)
		return api_fail(c, ERR_INST_NOT_FOUND, "%s", e->id);
	if (e->kind == ENGLOAD_END_ENI && (*n = engload_eni(l, e->id)) == NULL)
		return api_fail(c, ERR_ENI_NOT_FOUND, "%s", e->id);
	if ((*n)->ip.family != CIDR_V4)
		return api_fail(c, ERR_INVALID_PARAMETER, "%sNetworkInterfaceId "
		    "(no IPv4 address)", side);
	return 0;
}

/* The deciding item of a peer's gate, brief (an answer may list 10,000). */
static json_t *
reach_item(const struct eng_item *it)
{
	return json_pack("{s:s, s:s, s:s, s:i, s:s}", "Kind",
	    engact_kind(it->kind), "SecurityGroupId",
	    it->group_id ? it->group_id : "", "SecurityGroupRuleId",
	    it->rule ? it->rule->id : "", "Priority", it->priority, "Policy",
	    engact_policy(it->policy));
}

/* Both gates for peer p with the anchor n; 1 if the packet passes. */
static int
reach_peer(const struct engload *l, const struct engload_eni *n,
    const struct engload_eni *p, int dir, struct eng_flow *f,
    struct eng_verdict *eg, struct eng_verdict *in)
{
	const struct engload_eni *s = dir == RULE_INGRESS ? p : n;
	const struct engload_eni *d = dir == RULE_INGRESS ? n : p;

	memcpy(f->src, s->ip.addr, 16);
	memcpy(f->dst, d->ip.addr, 16);
	if (eng_gate(l->m, s->e, RULE_EGRESS, f, eg) < 0 ||
	    eng_gate(l->m, d->e, RULE_INGRESS, f, in) < 0)
		return 0;
	return eg->accept && in->accept;
}

static int
reach_peers(const struct engload *l, const struct engload_eni *n, int dir,
    const struct eng_flow *tmpl, json_t *arr, size_t *considered)
{
	struct eng_flow f = *tmpl;
	struct eng_verdict eg, in;
	char ip[CIDR_STR_MAX];

	*considered = 0;
	for (size_t i = 0; i < l->nenis; i++) {
		const struct engload_eni *p = &l->enis[i];
		json_t *o;

		if (p == n || p->ip.family != CIDR_V4 ||
		    strcmp(p->vpc, n->vpc) != 0)
			continue;
		(*considered)++;
		if (!reach_peer(l, n, p, dir, &f, &eg, &in))
			continue;
		cidr_format_addr(&p->ip, ip, sizeof(ip));
		o = json_pack("{s:s, s:s, s:s, s:o, s:o}",
		    "NetworkInterfaceId", p->id, "InstanceId", p->instance,
		    "PrivateIpAddress", ip,
		    "EgressItem", reach_item(&eg.item),
		    "IngressItem", reach_item(&in.item));
		if (o == NULL || json_array_append_new(arr, o) < 0)
			return -ERR_NOMEM;
	}
	return 0;
}

int
engact_reach(struct api_call *c)
{
	static const char *const ids[] = { "DestinationInstanceId",
	    "DestinationNetworkInterfaceId", "SourceInstanceId",
	    "SourceNetworkInterfaceId", NULL };
	struct engload_change ch = { NULL, 0 };
	const struct engload_eni *n;
	struct engload *l = NULL;
	struct engload_query q;
	struct eng_flow f;
	char det[ENGLOAD_DETAIL] = "", rbuf[64];
	const char *region;
	json_t *peers = json_array(), *inet = NULL;
	size_t considered = 0;
	int r, dir;

	if ((r = engload_query_parse(c->params, &q, det)) < 0) {
		r = api_fail(c, r, "%s", det);
		goto out;
	}
	if ((r = engact_change(c, &ch)) < 0 ||
	    (r = engact_region(c, ids, rbuf, &region)) < 0 ||
	    (r = engact_model(c, region, &ch, &l)) < 0 ||
	    (r = reach_anchor(c, l, &q, &n, &dir)) < 0)
		goto out;
	memset(&f, 0, sizeof(f));
	f.family = CIDR_V4;
	f.proto = (uint8_t)q.proto;
	f.ct = ENG_CT_NEW;
	if (q.proto == ENG_IPPROTO_TCP || q.proto == ENG_IPPROTO_UDP) {
		f.sport = q.sport;
		f.dport = (uint16_t)q.dport;
	}
	if ((r = reach_peers(l, n, dir, &f, peers, &considered)) < 0 ||
	    (r = reach_internet(c, l, n, dir, &f, &inet)) < 0)
		goto out;
	json_object_set_new(c->out, "RegionId", json_string(region));
	json_object_set_new(c->out, "Direction", json_string(dir ==
	    RULE_INGRESS ? "to" : "from"));
	json_object_set_new(c->out, "NetworkInterfaceId", json_string(n->id));
	json_object_set_new(c->out, "InstanceId", json_string(n->instance));
	json_object_set_new(c->out, "ProtocolNumber", json_integer(q.proto));
	json_object_set_new(c->out, "DestinationPort",
	    json_integer(q.dport < 0 ? 0 : q.dport));
	json_object_set_new(c->out, "EvaluatedCount",
	    json_integer((json_int_t)considered));
	json_object_set_new(c->out, "TotalCount",
	    json_integer((json_int_t)json_array_size(peers)));
	json_object_set_new(c->out, "Peers", api_wrap_list(peers, "Peer"));
	peers = NULL;
	json_object_set_new(c->out, "Internet", inet);
	inet = NULL;
	json_object_set_new(c->out, "WhatIf", json_boolean(ch.n > 0));
out:
	json_decref(peers);
	json_decref(inet);
	engact_done(l);
	engload_change_free(&ch);
	return r;
}
