/*
 * fw_port: the host-local assignments derived from the desired state —
 * one bridge port per local ENI NIC with a stable name and mark — plus the
 * lookups and the loader that gives the decision engine the same input.
 *
 * Port identity. value = 32-bit fold of FNV-1a-64("<eni id>[#internet]
 * [#<salt>]"); the first salt (0, 1, ...) whose value is non-zero and not
 * taken by a port earlier in (ENI id, NIC) order wins. The value is the
 * packet mark and, for the local driver, the name "ske%08x". A value only
 * changes when a colliding ENI with a smaller id appears (probability
 * about ports/2^32 per new ENI).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fw/fw_int.h"
#include "lib/err.h"

static uint32_t
fw_port_hash(const char *id, int nic, unsigned salt)
{
	uint64_t h = fw_fnv(FW_FNV_INIT, id, strlen(id));
	char tail[32];

	if (nic == RULE_NIC_INTERNET)
		h = fw_fnv(h, "#internet", 9);
	if (salt) {
		int n = snprintf(tail, sizeof(tail), "#%u", salt);

		h = fw_fnv(h, tail, (size_t)n);
	}
	return (uint32_t)(h ^ (h >> 32));
}

/* Open-addressing set of taken values (0 = empty slot). */
struct fw_taken {
	uint32_t *v;
	size_t mask;
};

static int
fw_taken_add(struct fw_taken *t, uint32_t x)
{
	size_t i = (x * 0x9e3779b1U) & t->mask;

	for (; t->v[i]; i = (i + 1) & t->mask)
		if (t->v[i] == x)
			return 0;
	t->v[i] = x;
	return 1;
}

static int
fw_port_qcmp(const void *a, const void *b)
{
	return strcmp(((const struct fw_port *)a)->name,
	    ((const struct fw_port *)b)->name);
}

/* (bridge, address) of every port address, to refuse duplicates. */
struct fw_baddr {
	const char *bridge;
	const struct cidr *addr;
};

static int
fw_baddr_qcmp(const void *a, const void *b)
{
	const struct fw_baddr *x = a, *y = b;
	int c = strcmp(x->bridge, y->bridge);

	return c ? c : cidr_cmp(x->addr, y->addr);
}

static int
fw_ports_unique(const struct fw_input *in)
{
	struct fw_baddr *v;
	size_t n = 0;
	int r = 0;

	for (size_t i = 1; i < in->nports; i++)
		if (strcmp(in->ports[i - 1].name, in->ports[i].name) == 0)
			return -ERR_INVALID_PARAMETER;
	if ((v = calloc(in->nports * FW_ENI_ADDRS_MAX + 1, sizeof(*v))) == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < in->nports; i++) {
		const struct fw_port *p = &in->ports[i];
		const struct fw_eni *e = &in->enis[p->eni];

		if (p->nic == RULE_NIC_INTERNET) {
			v[n].bridge = p->bridge;
			v[n++].addr = &e->pub;
			continue;
		}
		for (size_t k = 0; k < e->naddrs; k++) {
			v[n].bridge = p->bridge;
			v[n++].addr = &e->addrs[k];
		}
	}
	qsort(v, n, sizeof(*v), fw_baddr_qcmp);
	for (size_t i = 1; i < n && r == 0; i++)
		if (fw_baddr_qcmp(&v[i - 1], &v[i]) == 0)
			r = -ERR_INVALID_PARAMETER;
	free(v);
	return r;
}

static void
fw_port_fill(const struct fw_input *in, size_t ei, int nic, uint32_t mark,
    struct fw_port *p)
{
	const struct fw_eni *e = &in->enis[ei];

	memset(p, 0, sizeof(*p));
	p->mark = mark;
	p->eni = ei;
	p->nic = (uint8_t)nic;
	p->up = e->running;
	memcpy(p->mac, e->mac, 6);
	if (e->driver == FW_DRIVER_EXTERNAL && nic == RULE_NIC_INTRANET)
		snprintf(p->name, sizeof(p->name), "%s", e->host_if);
	else
		snprintf(p->name, sizeof(p->name), FW_PORT_PREFIX "%08x",
		    (unsigned)mark);
	if (nic == RULE_NIC_INTERNET) {
		p->mac[0] |= 0x02;	/* locally administered */
		snprintf(p->bridge, sizeof(p->bridge), "%s", FW_BR_INET);
		p->zone = FW_ZONE_INET;
	} else if (e->vpc >= 0) {
		snprintf(p->bridge, sizeof(p->bridge), "%s",
		    in->vpcs[e->vpc].bridge);
		p->zone = in->vpcs[e->vpc].zone;
	} else {
		snprintf(p->bridge, sizeof(p->bridge), "%s", FW_BR_CLASSIC);
		p->zone = FW_ZONE_CLASSIC;
	}
}

int
fw_ports_assign(struct fw_input *in)
{
	struct fw_taken t = { NULL, 0 };
	size_t n = 0, cap = 4;
	int r;

	for (size_t i = 0; i < in->nenis; i++)
		if (in->enis[i].local)
			n += 1 + (in->enis[i].vpc < 0 &&
			    in->enis[i].pub.family != 0);
	while (cap < 2 * n)
		cap *= 2;
	t.mask = cap - 1;
	if ((t.v = calloc(cap, sizeof(*t.v))) == NULL ||
	    (n && (in->ports = calloc(n, sizeof(*in->ports))) == NULL)) {
		r = -ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < in->nenis; i++) {
		const struct fw_eni *e = &in->enis[i];

		if (!e->local)
			continue;
		for (int nic = RULE_NIC_INTRANET; nic <= RULE_NIC_INTERNET;
		    nic++) {
			unsigned salt = 0;
			uint32_t h;

			if (nic == RULE_NIC_INTERNET &&
			    (e->vpc >= 0 || e->pub.family == 0))
				continue;
			while ((h = fw_port_hash(e->id, nic, salt)) == 0 ||
			    !fw_taken_add(&t, h))
				salt++;
			fw_port_fill(in, i, nic, h, &in->ports[in->nports++]);
		}
	}
	if (in->nports > 1)
		qsort(in->ports, in->nports, sizeof(*in->ports),
		    fw_port_qcmp);
	r = fw_ports_unique(in);
out:
	free(t.v);
	return r;
}

/* ---- lookups -------------------------------------------------------- */

const struct fw_eni *
fw_eni_find(const struct fw_input *in, const char *id)
{
	size_t lo = 0, hi = in->nenis;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(in->enis[mid].id, id);

		if (c == 0)
			return &in->enis[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct fw_port *
fw_port_find(const struct fw_input *in, const char *eni_id, int nic)
{
	const struct fw_eni *e = fw_eni_find(in, eni_id);

	for (size_t i = 0; e && i < in->nports; i++)
		if (in->ports[i].eni == (size_t)(e - in->enis) &&
		    in->ports[i].nic == nic)
			return &in->ports[i];
	return NULL;
}

/* ---- the same input for the decision engine ------------------------- */

static int
fw_eng_groups(const struct fw_input *in, struct eng_model *m)
{
	int r;

	for (size_t i = 0; i < in->ngroups; i++) {
		const struct fw_group *g = &in->groups[i];
		struct eng_group_def d;

		memset(&d, 0, sizeof(d));
		snprintf(d.id, sizeof(d.id), "%s", g->id);
		snprintf(d.owner, sizeof(d.owner), "%s", g->owner);
		d.type = g->type;
		d.inner_accept = g->inner_accept;
		if ((r = eng_group_put(m, &d)) < 0)
			return r;
		for (size_t k = 0; k < g->nrules; k++)
			if ((r = eng_rule_put(m, &g->rules[k])) < 0)
				return r;
	}
	return 0;
}

int
fw_input_eng(const struct fw_input *in, struct eng_model *m)
{
	int r;

	eng_model_set_tcp25_open(m, in->tcp25_open);
	if ((r = fw_eng_groups(in, m)) < 0)
		return r;
	for (size_t i = 0; i < in->nvpcs; i++)
		for (size_t k = 0; k < in->vpcs[i].npfx; k++)
			if ((r = eng_vpc_prefix_add(m, in->vpcs[i].id,
			    &in->vpcs[i].pfx[k])) < 0)
				return r;
	for (size_t i = 0; i < in->nenis; i++) {
		const struct fw_eni *e = &in->enis[i];
		const char *gids[FW_ENI_GROUPS_MAX];
		struct eng_eni_def d;

		for (size_t k = 0; k < e->ngroups; k++)
			gids[k] = in->groups[e->groups[k]].id;
		memset(&d, 0, sizeof(d));
		d.id = e->id;
		d.vpc_id = e->vpc >= 0 ? in->vpcs[e->vpc].id : "";
		d.groups = gids;
		d.ngroups = e->ngroups;
		d.addrs = e->addrs;
		d.naddrs = e->naddrs;
		if (e->vpc < 0)
			d.pub = e->pub;
		if ((r = eng_eni_put(m, &d)) < 0)
			return r;
	}
	return 0;
}
