/*
 * agent_ds: struct fw_input -> this host's NICs and bridges (agent_ds.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_ds.h"
#include "lib/err.h"

static int
ds_br_add(struct agent_ds *ds, const char *name, const struct cidr *gw)
{
	struct agent_br *b = NULL, *t;

	for (size_t i = 0; i < ds->nbrs; i++)
		if (strcmp(ds->brs[i].name, name) == 0)
			b = &ds->brs[i];
	if (b == NULL) {
		if ((t = realloc(ds->brs, (ds->nbrs + 1) * sizeof(*t))) == NULL)
			return -ERR_NOMEM;
		ds->brs = t;
		b = &ds->brs[ds->nbrs++];
		memset(b, 0, sizeof(*b));
		snprintf(b->name, sizeof(b->name), "%s", name);
	}
	if (gw == NULL)
		return 0;
	for (size_t i = 0; i < b->ngw; i++)
		if (cidr_equal(&b->gw[i], gw))
			return 0;
	if (b->ngw == sizeof(b->gw) / sizeof(b->gw[0]))
		return -ERR_INVALID_PARAMETER;
	b->gw[b->ngw++] = *gw;
	return 0;
}

/* Address, gateway and route of one port's NIC. */
static int
ds_nic_net(const struct fw_input *in, const struct fw_eni *e,
    const struct fw_port *p, struct agent_nic *n)
{
	struct cidr gw;
	uint8_t len;

	if (p->nic == RULE_NIC_INTERNET) {
		if (cidr_parse(AGENT_INET_GW, &gw) < 0 || e->pub.family == 0)
			return -ERR_INTERNAL;
		n->addr[0] = e->pub;
		n->addr[0].len = gw.len;
		n->naddr = 1;
		n->gw = gw;
		n->defroute = 1;
		return cidr_contains(&gw, &n->addr[0]) ? 0 :
		    -ERR_INVALID_PARAMETER;
	}
	if (e->vpc < 0) {
		if (cidr_parse(AGENT_CLASSIC_GW, &gw) < 0)
			return -ERR_INTERNAL;
		n->defroute = e->pub.family == 0;
	} else {
		const struct fw_vswitch *v;

		if (e->vswitch < 0 || (size_t)e->vswitch >= in->nvswitches)
			return -ERR_INVALID_PARAMETER;
		v = &in->vswitches[e->vswitch];
		gw = v->gateway;
		gw.len = v->cidr.len;
		n->defroute = n->primary;
	}
	len = gw.len;
	n->gw = gw;
	for (size_t i = 0; i < e->naddrs && n->naddr < AGENT_NIC_ADDRS; i++) {
		if (e->addrs[i].family != CIDR_V4)
			continue;	/* IPv6: not plumbed yet */
		n->addr[n->naddr] = e->addrs[i];
		n->addr[n->naddr].len = len;
		if (!cidr_contains(&gw, &n->addr[n->naddr]))
			return -ERR_INVALID_PARAMETER;
		n->naddr++;
	}
	return n->naddr ? 0 : -ERR_INVALID_PARAMETER;
}

static int
ds_nic_cmp(const void *a, const void *b)
{
	const struct agent_nic *x = a, *y = b;
	int c;

	if ((c = strcmp(x->inst, y->inst)) != 0)
		return c;
	if (x->primary != y->primary)
		return x->primary ? -1 : 1;
	if ((c = strcmp(x->eni, y->eni)) != 0)
		return c;
	return (int)x->internet - (int)y->internet;
}

int
agent_ds_from_fw(const struct fw_input *in, struct agent_ds **out,
    struct sb *why)
{
	struct agent_ds *ds;
	struct cidr inet;
	int r = -ERR_NOMEM;

	*out = NULL;
	if ((ds = calloc(1, sizeof(*ds))) == NULL)
		return -ERR_NOMEM;
	ds->revision = in->revision;
	if (in->nports &&
	    (ds->nics = calloc(in->nports, sizeof(*ds->nics))) == NULL)
		goto out;
	/* The internet bridge always exists: outside hosts hang on it. */
	if (cidr_parse(AGENT_INET_GW, &inet) < 0 ||
	    (r = ds_br_add(ds, AGENT_BR_INET, &inet)) < 0)
		goto out;
	for (size_t i = 0; i < in->nports; i++) {
		const struct fw_port *p = &in->ports[i];
		const struct fw_eni *e = &in->enis[p->eni];
		struct agent_nic *n = &ds->nics[ds->nnics];

		if (!agent_name_ok(e->instance_id, AGENT_NAME_MAX) ||
		    !agent_name_ok(p->name, AGENT_IFNAME_MAX)) {
			sb_addf(why, "%s: bad instance or port name", e->id);
			r = -ERR_INVALID_PARAMETER;
			goto out;
		}
		snprintf(n->eni, sizeof(n->eni), "%s", e->id);
		snprintf(n->inst, sizeof(n->inst), "%s", e->instance_id);
		snprintf(n->port, sizeof(n->port), "%s", p->name);
		snprintf(n->bridge, sizeof(n->bridge), "%s", p->bridge);
		snprintf(n->mac, sizeof(n->mac),
		    "%02x:%02x:%02x:%02x:%02x:%02x", p->mac[0], p->mac[1],
		    p->mac[2], p->mac[3], p->mac[4], p->mac[5]);
		n->internet = p->nic == RULE_NIC_INTERNET;
		n->primary = e->primary && !n->internet;
		n->running = p->up;
		n->external = e->driver == FW_DRIVER_EXTERNAL;
		if ((r = ds_nic_net(in, e, p, n)) < 0) {
			sb_addf(why, "%s: address outside its subnet", e->id);
			goto out;
		}
		if ((r = ds_br_add(ds, n->bridge, &n->gw)) < 0)
			goto out;
		ds->nnics++;
	}
	if (ds->nnics)
		qsort(ds->nics, ds->nnics, sizeof(ds->nics[0]), ds_nic_cmp);
	*out = ds;
	ds = NULL;
	r = 0;
out:
	agent_ds_free(ds);
	return r;
}

void
agent_ds_free(struct agent_ds *ds)
{
	if (ds == NULL)
		return;
	free(ds->nics);
	free(ds->brs);
	free(ds);
}

/* NICs and bridges are made zeroed and filled field by field (names with
 * snprintf), so equal contents are equal bytes. */
int
agent_ds_equal(const struct agent_ds *a, const struct agent_ds *b)
{
	return a->nnics == b->nnics && a->nbrs == b->nbrs &&
	    (a->nnics == 0 ||
	    memcmp(a->nics, b->nics, a->nnics * sizeof(*a->nics)) == 0) &&
	    (a->nbrs == 0 ||
	    memcmp(a->brs, b->brs, a->nbrs * sizeof(*a->brs)) == 0);
}
