/*
 * ipam: address and MAC allocation for ENIs (contract in ipam.h). The taken
 * set is rebuilt from the store on every open, so it can never drift from
 * the ENIs that carry the addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/rnd.h"
#include "sg/ipam.h"

#define IPAM_MAC_TRIES 64

struct ipam_pool_info {
	const char *cidr;	/* NULL = the vSwitch's block */
	const char *field;	/* ENI doc field holding the address */
	uint64_t head, tail;	/* reserved indexes at each end */
};

static const struct ipam_pool_info ipam_pools[] = {
	[IPAM_POOL_VSWITCH] = { NULL, "PrivateIpAddress",
	    CIDR_VSW_RESERVED_HEAD, CIDR_VSW_RESERVED_TAIL },
	[IPAM_POOL_INTRANET] = { IPAM_CLASSIC_INTRANET, "PrivateIpAddress", 1, 1 },
	[IPAM_POOL_INTERNET] = { IPAM_CLASSIC_INTERNET, "PublicIpAddress", 1, 1 },
};

static void
ipam_detail(char *detail, const char *s)
{
	if (detail)
		snprintf(detail, 256, "%s", s ? s : "");
}

/* Position of v in p->used (or where it would go); *found set. */
static size_t
ipam_find(const struct ipam *p, uint64_t v, int *found)
{
	size_t lo = 0, hi = p->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->used[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < p->n && p->used[lo] == v;
	return lo;
}

static int
ipam_insert(struct ipam *p, uint64_t v)
{
	size_t at;
	int found;

	at = ipam_find(p, v, &found);
	if (found)
		return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		uint64_t *u = realloc(p->used, cap * sizeof(*u));

		if (u == NULL)
			return -ERR_NOMEM;
		p->used = u;
		p->cap = cap;
	}
	memmove(p->used + at + 1, p->used + at, (p->n - at) * sizeof(*p->used));
	p->used[at] = v;
	p->n++;
	return 0;
}

static int
ipam_mac_add(struct ipam *p, uint32_t low)
{
	if (p->nmac == p->capmac) {
		size_t cap = p->capmac ? p->capmac * 2 : 64;
		uint32_t *m = realloc(p->macs, cap * sizeof(*m));

		if (m == NULL)
			return -ERR_NOMEM;
		p->macs = m;
		p->capmac = cap;
	}
	p->macs[p->nmac++] = low;
	return 0;
}

/* The low three bytes of a stored "xx:xx:xx:xx:xx:xx"; -1 if not one. */
static int64_t
ipam_mac_low(const char *s)
{
	unsigned b[6];
	char tail;

	if (s == NULL || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1],
	    &b[2], &b[3], &b[4], &b[5], &tail) != 6)
		return -1;
	return (int64_t)((b[3] << 16) | (b[4] << 8) | b[5]);
}

/* Records the address and MAC an existing ENI holds. */
static int
ipam_note(struct ipam *p, const json_t *doc, const char *field)
{
	const char *ip = json_string_value(json_object_get(doc, field));
	int64_t mac = ipam_mac_low(json_string_value(json_object_get(doc,
	    "MacAddress")));
	struct cidr host;
	uint64_t idx;
	int r;

	if (mac >= 0 && (r = ipam_mac_add(p, (uint32_t)mac)) < 0)
		return r;
	if (ip == NULL || cidr_parse_addr(ip, &host) < 0 ||
	    cidr_index(&p->block, &host, &idx) < 0)
		return 0;
	return ipam_insert(p, idx);
}

int
ipam_open(struct ipam *p, struct store *st, enum ipam_pool pool,
    const char *vsw_id, const char *cidr, const struct ipam_errs *err)
{
	const struct ipam_pool_info *pi = &ipam_pools[pool];
	struct store_filter f = { NULL, "eni", NULL, "", NULL };
	struct store_res_list l = { NULL, 0 };
	uint64_t size;
	int r;

	memset(p, 0, sizeof(*p));
	p->err = *err;
	if (pool == IPAM_POOL_VSWITCH)
		f.parent = vsw_id;
	if (cidr_parse(pi->cidr ? pi->cidr : cidr, &p->block) < 0 ||
	    p->block.family != CIDR_V4)
		return -ERR_INTERNAL;
	size = cidr_size(&p->block);
	p->lo = pi->head;
	p->hi = size > pi->head + pi->tail ? size - 1 - pi->tail : 0;
	if ((r = store_res_list(st, &f, &l)) < 0)
		return r;
	for (size_t i = 0; i < l.n && r == 0; i++)
		r = ipam_note(p, l.v[i].doc, pi->field);
	store_res_list_free(&l);
	return r;
}

void
ipam_close(struct ipam *p)
{
	if (p == NULL)
		return;
	free(p->used);
	free(p->macs);
	p->used = NULL;
	p->macs = NULL;
	p->n = p->cap = p->nmac = p->capmac = 0;
}

static int
ipam_lowest_free(const struct ipam *p, uint64_t *out)
{
	uint64_t cand = p->lo;
	size_t at;
	int found;

	at = ipam_find(p, cand, &found);
	for (; at < p->n && p->used[at] == cand; at++)
		cand++;
	if (cand > p->hi || p->lo > p->hi)
		return -1;
	*out = cand;
	return 0;
}

int
ipam_take(struct ipam *p, const char *want, char *out, size_t len,
    char *detail)
{
	struct cidr host;
	uint64_t idx;
	int found, r;

	ipam_detail(detail, want);
	if (want == NULL) {
		if (ipam_lowest_free(p, &idx) < 0)
			return -p->err.exhausted;
	} else {
		if (cidr_parse_addr(want, &host) < 0 || host.family != CIDR_V4)
			return -p->err.malformed;
		if (cidr_index(&p->block, &host, &idx) < 0 || idx < p->lo ||
		    idx > p->hi)
			return -p->err.outside;
		ipam_find(p, idx, &found);
		if (found)
			return -p->err.in_use;
	}
	if (cidr_nth(&p->block, idx, &host) < 0 ||
	    cidr_format_addr(&host, out, len) < 0)
		return -ERR_INTERNAL;
	if ((r = ipam_insert(p, idx)) < 0)
		return r;
	ipam_detail(detail, out);
	return 0;
}

int
ipam_mac(struct ipam *p, char *out, size_t len)
{
	unsigned char b[3];

	for (int t = 0; t < IPAM_MAC_TRIES; t++) {
		uint32_t low;
		int clash = 0;

		if (rnd_bytes(b, sizeof(b)) < 0)
			return -ERR_INTERNAL;
		low = ((uint32_t)b[0] << 16) | ((uint32_t)b[1] << 8) | b[2];
		for (size_t i = 0; i < p->nmac && !clash; i++)
			clash = p->macs[i] == low;
		if (clash)
			continue;
		if (ipam_mac_add(p, low) < 0)
			return -ERR_NOMEM;
		snprintf(out, len, "%s:%02x:%02x:%02x", IPAM_MAC_PREFIX,
		    b[0], b[1], b[2]);
		return 0;
	}
	return -ERR_INTERNAL;
}

int
ipam_addr_add(const char *base, uint64_t k, char *out, size_t len)
{
	struct cidr a, all;
	uint64_t idx;

	if (cidr_parse_addr(base, &a) < 0 || a.family != CIDR_V4 ||
	    cidr_parse("0.0.0.0/0", &all) < 0 ||
	    cidr_index(&all, &a, &idx) < 0 || idx + k > UINT32_MAX ||
	    cidr_nth(&all, idx + k, &a) < 0 ||
	    cidr_format_addr(&a, out, len) < 0)
		return -ERR_INVALID_PARAMETER;
	return 0;
}
