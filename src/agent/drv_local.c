/*
 * drv_local: the local driver's planner and the plan runner (drv.h).
 * A plan is a list of `ip -batch` lines per namespace; consecutive lines
 * for one namespace run as one `ip -n NS -batch -`.
 *
 * Order inside PRE: host namespace, bridges and gateway addresses, stale
 * ports removed (also ports to rebuild), new ports created down, orphan
 * instance namespaces and unused bridges removed. POST only raises ports.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/drv.h"
#include "lib/err.h"

#define DRV_MAX_ETH 64

int
drv_init(struct drv *d, const char *hostns)
{
	memset(d, 0, sizeof(*d));
	if (!agent_name_ok(hostns, AGENT_NAME_MAX))
		return -ERR_INVALID_PARAMETER;
	snprintf(d->hostns, sizeof(d->hostns), "%s", hostns);
	return 0;
}

void
drv_fini(struct drv *d)
{
	agent_strv_free(d->owned, d->nowned);
	d->owned = NULL;
	d->nowned = 0;
}

int
drv_step_add(struct drv_plan *p, int kind, const char *ns, const char *fmt,
    ...)
{
	struct drv_step *t, *s;
	va_list ap;
	int n;

	if ((t = realloc(p->v, (p->n + 1) * sizeof(*t))) == NULL)
		return -ERR_NOMEM;
	p->v = t;
	s = &p->v[p->n];
	memset(s, 0, sizeof(*s));
	s->kind = (uint8_t)kind;
	snprintf(s->ns, sizeof(s->ns), "%s", ns ? ns : "");
	va_start(ap, fmt);
	n = vsnprintf(s->text, sizeof(s->text), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(s->text))
		return -ERR_INVALID_PARAMETER;
	p->n++;
	return 0;
}

static void
drv_drift(struct drv_plan *p, int on, const char *obj, const char *change)
{
	if (on)
		sb_addf(&p->drift, "%s\t%s\n", obj, change);
}

void
drv_plan_free(struct drv_plan *p)
{
	if (p == NULL)
		return;
	free(p->v);
	sb_free(&p->drift);
	sb_free(&p->errors);
	memset(p, 0, sizeof(*p));
}

/* Plans the sysctl "path=value" unless the namespace already has it. */
static int
drv_plan_sysctl(struct drv *d, const struct drv_obs *o, int dm,
    struct drv_plan *p, const char *kv)
{
	char path[128], cur[32];
	const char *eq = strchr(kv, '=');

	snprintf(path, sizeof(path), "%.*s", (int)(eq - kv), kv);
	if (o->host_exists && agent_sysctl_get(d->hostns, path, cur,
	    sizeof(cur)) == 0 && strcmp(cur, eq + 1) == 0)
		return 0;
	if (o->host_exists)
		drv_drift(p, dm, path, "changed; restored");
	return drv_step_add(p, DRV_SYSCTL, d->hostns, "%s", kv);
}

int
drv_plan_base(struct drv *d, const struct drv_obs *o, struct drv_plan *p)
{
	static const char *const sysctls[] = {
		"net/ipv4/ip_forward=1",
		"net/ipv6/conf/all/forwarding=1",
		"net/bridge/bridge-nf-call-iptables=1",
		"net/bridge/bridge-nf-call-ip6tables=1",
		NULL,
	};
	const char *h = d->hostns;
	int r = 0;

	if (!o->host_exists &&
	    ((r = drv_step_add(p, DRV_IP, "", "netns add %s", h)) < 0 ||
	    (r = drv_step_add(p, DRV_IP, h, "link set lo up")) < 0))
		return r;
	for (int i = 0; sysctls[i]; i++)
		if ((r = drv_plan_sysctl(d, o, p->drift_mode, p,
		    sysctls[i])) < 0)
			return r;
	return r;
}

static int
drv_gw_wanted(const struct agent_br *b, const struct cidr *c)
{
	for (size_t i = 0; i < b->ngw; i++)
		if (cidr_equal(&b->gw[i], c))
			return 1;
	return 0;
}

static int
drv_plan_bridges(struct drv *d, const struct agent_ds *ds,
    const struct drv_obs *o, int dm, struct drv_plan *p)
{
	const char *h = d->hostns;
	char a[CIDR_STR_MAX], obj[64], mac[18];
	int r;

	for (size_t i = 0; i < ds->nbrs; i++) {
		const struct agent_br *b = &ds->brs[i];
		const struct drv_link *l = drv_obs_link(o, b->name);

		drv_bridge_mac(b->name, mac);
		snprintf(obj, sizeof(obj), "bridge %s", b->name);
		if (l && strcmp(l->kind, "bridge") != 0) {
			sb_addf(&p->errors, "%s exists and is not a bridge\n",
			    b->name);
			continue;
		}
		if (l == NULL) {
			drv_drift(p, dm, obj, "missing; recreated");
			if ((r = drv_step_add(p, DRV_IP, h,
			    "link add %s address %s type bridge", b->name,
			    mac)) < 0)
				return r;
		} else if (strcmp(l->mac, mac) != 0) {
			drv_drift(p, dm, obj, "MAC changed; restored");
			if ((r = drv_step_add(p, DRV_IP, h,
			    "link set %s address %s", b->name, mac)) < 0)
				return r;
		}
		if ((l == NULL || !l->up) && (r = drv_step_add(p, DRV_IP, h,
		    "link set %s up", b->name)) < 0)
			return r;
		if (l && !l->up)
			drv_drift(p, dm, obj, "down; set up");
		for (size_t k = 0; k < b->ngw; k++) {
			int have = 0;

			for (size_t m = 0; l && m < l->nv4; m++)
				have |= cidr_equal(&l->v4[m], &b->gw[k]);
			if (have)
				continue;
			cidr_format(&b->gw[k], a, sizeof(a));
			if (l)
				drv_drift(p, dm, obj, "gateway address missing");
			if ((r = drv_step_add(p, DRV_IP, h,
			    "addr replace %s dev %s", a, b->name)) < 0)
				return r;
		}
		for (size_t m = 0; l && m < l->nv4; m++) {
			if (drv_gw_wanted(b, &l->v4[m]))
				continue;
			cidr_format(&l->v4[m], a, sizeof(a));
			drv_drift(p, dm, obj, "unexpected address removed");
			if ((r = drv_step_add(p, DRV_IP, h,
			    "addr del %s dev %s", a, b->name)) < 0)
				return r;
		}
	}
	return 0;
}

int
drv_plan_inet(struct drv *d, const struct drv_obs *o, struct drv_plan *p)
{
	struct agent_br br;
	struct agent_ds ds;
	int r;

	memset(&br, 0, sizeof(br));
	memset(&ds, 0, sizeof(ds));
	snprintf(br.name, sizeof(br.name), "%s", AGENT_BR_INET);
	if (cidr_parse(AGENT_INET_GW, &br.gw[0]) < 0)
		return -ERR_INTERNAL;
	br.ngw = 1;
	ds.brs = &br;
	ds.nbrs = 1;
	if ((r = drv_plan_base(d, o, p)) < 0)
		return r;
	return drv_plan_bridges(d, &ds, o, 0, p);
}

/* "sekisho:<eni>:<inst>:<eth>:<fp>" -> fields; 0 or -1. */
static int
drv_alias_parse(const char *alias, char eni[AGENT_NAME_MAX],
    char inst[AGENT_NAME_MAX], char eth[AGENT_IFNAME_MAX])
{
	char buf[DRV_ALIAS_MAX], *f[5], *save = NULL;
	int n = 0;

	if (strncmp(alias, "sekisho:", 8) != 0)
		return -1;
	snprintf(buf, sizeof(buf), "%s", alias);
	for (char *t = strtok_r(buf, ":", &save); t && n < 5;
	    t = strtok_r(NULL, ":", &save))
		f[n++] = t;
	if (n < 4)
		return -1;
	snprintf(eni, AGENT_NAME_MAX, "%s", f[1]);
	snprintf(inst, AGENT_NAME_MAX, "%s", f[2]);
	snprintf(eth, AGENT_IFNAME_MAX, "%s", n == 5 ? f[3] : "");
	return 0;
}

static uint32_t
drv_fp(const struct agent_nic *n, const char *eth)
{
	char a[CIDR_STR_MAX] = "", g[CIDR_STR_MAX] = "";
	struct sb buf = SB_INIT;
	uint32_t h = 2166136261u;

	cidr_format_addr(&n->gw, g, sizeof(g));
	sb_addf(&buf, "%s|%s|%s|%s|%s|%d|%s", n->inst, eth, n->bridge, n->mac,
	    n->defroute ? g : "", n->external, n->port);
	for (size_t i = 0; i < n->naddr; i++) {
		cidr_format(&n->addr[i], a, sizeof(a));
		sb_addf(&buf, "|%s", a);
	}
	for (const char *s = sb_str(&buf); *s; s++) {
		h ^= (uint8_t)*s;
		h *= 16777619u;
	}
	sb_free(&buf);
	return h;
}

void
drv_alias(const struct agent_nic *n, const char *eth, char *out, size_t len)
{
	if (n->external)
		snprintf(out, len, "sekisho:%s:ext:%08x", n->eni,
		    drv_fp(n, ""));
	else
		snprintf(out, len, "sekisho:%s:%s:%s:%08x", n->eni, n->inst,
		    eth, drv_fp(n, eth));
}

/* Which NIC does observed port l serve, if it still serves one as is. */
static const struct agent_nic *
drv_match(const struct agent_ds *ds, const struct drv_link *l)
{
	char eni[AGENT_NAME_MAX], inst[AGENT_NAME_MAX], eth[AGENT_IFNAME_MAX];
	char alias[DRV_ALIAS_MAX];

	if (drv_alias_parse(l->alias, eni, inst, eth) < 0)
		return NULL;
	for (size_t i = 0; i < ds->nnics; i++) {
		const struct agent_nic *n = &ds->nics[i];

		if (strcmp(n->eni, eni) != 0 || strcmp(n->port, l->name) != 0)
			continue;
		drv_alias(n, eth, alias, sizeof(alias));
		return strcmp(alias, l->alias) == 0 ? n : NULL;
	}
	return NULL;
}

/* Kept ports: running state and bridge. */
static int
drv_plan_keep(struct drv *d, const struct agent_nic *n,
    const struct drv_link *l, int dm, struct drv_plan *pre,
    struct drv_plan *post)
{
	const char *h = d->hostns;
	char obj[96];
	int r;

	snprintf(obj, sizeof(obj), "link %s (%s)", l->name, n->eni);
	if (strcmp(l->master, n->bridge) != 0) {
		drv_drift(pre, dm, obj, "not on its bridge; re-attached");
		if ((r = drv_step_add(pre, DRV_IP, h, "link set %s master %s",
		    l->name, n->bridge)) < 0)
			return r;
	}
	if (!n->running && l->up) {
		drv_drift(pre, dm, obj, "up while stopped; set down");
		return drv_step_add(pre, DRV_IP, h, "link set %s down", l->name);
	}
	if (n->running && !l->up) {
		drv_drift(pre, dm, obj, "down; set up");
		return drv_step_add(post, DRV_IP, h, "link set %s up", l->name);
	}
	return 0;
}

/* The lowest eth<N> (N >= 1) of inst that no kept or new port uses. */
static void
drv_pick_eth(const struct drv_obs *o,
    const unsigned char *kept, const char *inst, const uint8_t *used_new,
    char eth[AGENT_IFNAME_MAX], int *idx)
{
	uint8_t used[DRV_MAX_ETH];

	memcpy(used, used_new, sizeof(used));
	for (size_t i = 0; i < o->nlinks; i++) {
		char e[AGENT_NAME_MAX], in[AGENT_NAME_MAX], x[AGENT_IFNAME_MAX];
		int k;

		if (!kept[i] || drv_alias_parse(o->links[i].alias, e, in,
		    x) < 0 || strcmp(in, inst) != 0)
			continue;
		if (sscanf(x, "eth%d", &k) == 1 && k >= 0 && k < DRV_MAX_ETH)
			used[k] = 1;
	}
	for (*idx = 1; *idx < DRV_MAX_ETH - 1 && used[*idx]; (*idx)++)
		;
	snprintf(eth, AGENT_IFNAME_MAX, "eth%d", *idx);
}

/*
 * A NIC without the default route answers from its own interface: a
 * source rule to a table of its own (1000 + N for ethN) with the subnet
 * and a default route via its gateway. Without it, replies from a second
 * ENI's address would leave by eth0 and be dropped there as spoofed (on
 * ECS the guest configures the same; COMPAT: "Configure an ENI" doc).
 */
static int
drv_plan_srcroute(const struct agent_nic *n, const char *eth,
    struct drv_plan *pre)
{
	char a[CIDR_STR_MAX], net[CIDR_STR_MAX], g[CIDR_STR_MAX];
	struct cidr sub = n->gw;
	int t, r;

	if (sscanf(eth, "eth%d", &t) != 1)
		return -ERR_INTERNAL;
	t += 1000;
	cidr_mask(&sub);
	cidr_format(&sub, net, sizeof(net));
	cidr_format_addr(&n->gw, g, sizeof(g));
	if ((r = drv_step_add(pre, DRV_IP, n->inst,
	    "route replace %s dev %s table %d", net, eth, t)) < 0 ||
	    (r = drv_step_add(pre, DRV_IP, n->inst,
	    "route replace default via %s dev %s table %d", g, eth, t)) < 0)
		return r;
	for (size_t i = 0; i < n->naddr; i++) {
		cidr_format_addr(&n->addr[i], a, sizeof(a));
		if ((r = drv_step_add(pre, DRV_IP_TRY, n->inst,
		    "rule del from %s lookup %d", a, t)) < 0 ||
		    (r = drv_step_add(pre, DRV_IP, n->inst,
		    "rule add from %s lookup %d", a, t)) < 0)
			return r;
	}
	return 0;
}

static int
drv_plan_new(struct drv *d, const struct agent_nic *n, const char *eth,
    int dm, struct drv_plan *pre, struct drv_plan *post)
{
	const char *h = d->hostns, *in = n->inst, *hif = n->port;
	char alias[DRV_ALIAS_MAX], a[CIDR_STR_MAX], g[CIDR_STR_MAX], obj[96];
	int r;

	drv_alias(n, eth, alias, sizeof(alias));
	cidr_format_addr(&n->gw, g, sizeof(g));
	snprintf(obj, sizeof(obj), "link %s (%s)", hif, n->eni);
	drv_drift(pre, dm, obj, "missing; recreated");
	if ((r = drv_step_add(pre, DRV_IP, h,
	    "link add %s type veth peer name %s netns %s", hif, eth, in)) < 0 ||
	    (r = drv_step_add(pre, DRV_IP, h, "link set %s alias %s", hif,
	    alias)) < 0 ||
	    (r = drv_step_add(pre, DRV_IP, h, "link set %s master %s", hif,
	    n->bridge)) < 0)
		return r;
	if (n->mac[0] && (r = drv_step_add(pre, DRV_IP, in,
	    "link set %s address %s", eth, n->mac)) < 0)
		return r;
	for (size_t i = 0; i < n->naddr; i++) {
		cidr_format(&n->addr[i], a, sizeof(a));
		if ((r = drv_step_add(pre, DRV_IP, in,
		    "addr replace %s dev %s", a, eth)) < 0)
			return r;
	}
	if ((r = drv_step_add(pre, DRV_IP, in, "link set %s up", eth)) < 0)
		return r;
	if (n->defroute && (r = drv_step_add(pre, DRV_IP, in,
	    "route replace default via %s dev %s", g, eth)) < 0)
		return r;
	if (!n->defroute && (r = drv_plan_srcroute(n, eth, pre)) < 0)
		return r;
	if (n->running)
		return drv_step_add(post, DRV_IP, h, "link set %s up", hif);
	return 0;
}

/* The instance namespace of n: ours already, created in this plan, or to
 * create. -ERR_INVALID_PARAMETER when the name is taken by someone else. */
static int
drv_plan_ns(struct drv *d, const struct drv_obs *o, const char *inst,
    char ***made, size_t *nmade, struct drv_plan *pre)
{
	char **t;
	int r;

	for (size_t i = 0; i < *nmade; i++)
		if (strcmp((*made)[i], inst) == 0)
			return 0;
	if (drv_owned(d, inst))
		return 0;
	for (size_t i = 0; i < o->nns; i++)
		if (strcmp(o->ns[i], inst) == 0) {
			sb_addf(&pre->errors, "namespace %s exists and is not "
			    "ours\n", inst);
			return -ERR_INVALID_PARAMETER;
		}
	if ((t = realloc(*made, (*nmade + 1) * sizeof(*t))) == NULL ||
	    ((*made = t), (t[*nmade] = strdup(inst)) == NULL))
		return -ERR_NOMEM;
	(*nmade)++;
	if ((r = drv_step_add(pre, DRV_IP, "", "netns add %s", inst)) < 0 ||
	    (r = drv_step_add(pre, DRV_IP, inst, "link set lo up")) < 0)
		return r;
	return drv_step_add(pre, DRV_IP, inst, "link set lo alias sekisho:%s",
	    d->hostns);
}

static int
drv_inst_wanted(const struct agent_ds *ds, const char *inst)
{
	for (size_t i = 0; i < ds->nnics; i++)
		if (!ds->nics[i].external && strcmp(ds->nics[i].inst, inst) == 0)
			return 1;
	return 0;
}

static int
drv_is_our_bridge(const char *name)
{
	return strncmp(name, "skv", 3) == 0 ||
	    strcmp(name, AGENT_BR_CLASSIC) == 0;
}

static int
drv_plan_ports(struct drv *d, const struct agent_ds *ds,
    const struct drv_obs *o, int dm, struct drv_plan *pre,
    struct drv_plan *post, unsigned char *kept, unsigned char *have)
{
	const char *h = d->hostns;
	char obj[96];
	int r;

	for (size_t i = 0; i < o->nlinks; i++) {
		const struct drv_link *l = &o->links[i];
		const struct agent_nic *n;

		if (strncmp(l->alias, "sekisho:", 8) != 0 ||
		    !agent_name_ok(l->name, AGENT_IFNAME_MAX))
			continue;
		if ((n = drv_match(ds, l)) != NULL) {
			kept[i] = 1;
			have[n - ds->nics] = 1;
			if ((r = drv_plan_keep(d, n, l, dm, pre, post)) < 0)
				return r;
			continue;
		}
		snprintf(obj, sizeof(obj), "link %s", l->name);
		drv_drift(pre, dm, obj, "unexpected; removed");
		if (strstr(l->alias, ":ext:"))
			r = drv_ext_release(h, l, pre);
		else if (strcmp(l->kind, "veth") == 0)
			r = drv_step_add(pre, DRV_IP, h, "link del %s", l->name);
		else
			r = 0;
		if (r < 0)
			return r;
	}
	return 0;
}

int
drv_plan(struct drv *d, const struct agent_ds *ds, const struct drv_obs *o,
    int dm, struct drv_plan *pre, struct drv_plan *post)
{
	unsigned char *kept = NULL, *have = NULL;
	uint8_t used[DRV_MAX_ETH], *picked = NULL;
	char **made = NULL, eth[AGENT_IFNAME_MAX];
	size_t nmade = 0;
	int r = -ERR_NOMEM, idx;

	memset(pre, 0, sizeof(*pre));
	memset(post, 0, sizeof(*post));
	if ((kept = calloc(o->nlinks + 1, 1)) == NULL ||
	    (have = calloc(ds->nnics + 1, 1)) == NULL ||
	    (picked = calloc(ds->nnics + 1, 1)) == NULL)
		goto out;
	pre->drift_mode = dm;
	if (dm && !o->host_exists)
		drv_drift(pre, 1, d->hostns, "namespace missing; recreated");
	if ((r = drv_plan_base(d, o, pre)) < 0 ||
	    (r = drv_plan_bridges(d, ds, o, dm, pre)) < 0 ||
	    (r = drv_plan_ports(d, ds, o, dm, pre, post, kept, have)) < 0)
		goto out;
	for (size_t i = 0; i < ds->nnics; i++) {
		const struct agent_nic *n = &ds->nics[i];

		if (have[i])
			continue;
		if (n->external) {
			if ((r = drv_ext_plan(d, n, o, dm, pre, post)) < 0)
				goto out;
			continue;
		}
		if (drv_plan_ns(d, o, n->inst, &made, &nmade, pre) < 0) {
			if ((r = sb_ok(&pre->errors)) < 0)
				goto out;
			continue;
		}
		memset(used, 0, sizeof(used));
		for (size_t k = 0; k < i; k++)	/* picked earlier in this plan */
			if (picked[k] && strcmp(ds->nics[k].inst, n->inst) == 0)
				used[picked[k]] = 1;
		if (n->primary)
			snprintf(eth, sizeof(eth), "eth0");
		else if (n->internet)
			snprintf(eth, sizeof(eth), "eth1");
		else {
			drv_pick_eth(o, kept, n->inst, used, eth, &idx);
			picked[i] = (uint8_t)idx;
		}
		if ((r = drv_plan_new(d, n, eth, dm, pre, post)) < 0)
			goto out;
	}
	for (size_t i = 0; i < d->nowned; i++)
		if (!drv_inst_wanted(ds, d->owned[i]) &&
		    (r = drv_step_add(pre, DRV_IP, "", "netns del %s",
		    d->owned[i])) < 0)
			goto out;
	for (size_t i = 0; i < o->nlinks; i++) {
		const struct drv_link *l = &o->links[i];
		int want = 0;

		if (strcmp(l->kind, "bridge") != 0 ||
		    !drv_is_our_bridge(l->name))
			continue;
		for (size_t k = 0; k < ds->nbrs; k++)
			want |= strcmp(ds->brs[k].name, l->name) == 0;
		if (!want && (r = drv_step_add(pre, DRV_IP, d->hostns,
		    "link del %s", l->name)) < 0)
			goto out;
	}
	r = sb_ok(&pre->drift) < 0 || sb_ok(&pre->errors) < 0 ? -ERR_NOMEM : 0;
out:
	agent_strv_free(made, nmade);
	free(kept);
	free(have);
	free(picked);
	return r;
}

/* Bookkeeping of the instance namespaces a batch created or removed. */
static int
drv_exec_owned(struct drv *d, const struct drv_step *s)
{
	if (s->kind != DRV_IP || s->ns[0] != '\0')
		return 0;
	if (strncmp(s->text, "netns add ", 10) == 0 &&
	    strcmp(s->text + 10, d->hostns) != 0)
		return drv_owned_add(d, s->text + 10);
	if (strncmp(s->text, "netns del ", 10) == 0)
		drv_owned_del(d, s->text + 10);
	return 0;
}

int
drv_exec(struct drv *d, const struct drv_plan *p, struct sb *err)
{
	struct sb batch = SB_INIT;
	size_t i = 0, j;
	int r = 0;

	while (i < p->n && r == 0) {
		const struct drv_step *s = &p->v[i];

		if (s->kind == DRV_SYSCTL) {
			char path[sizeof(s->text)], *eq;

			snprintf(path, sizeof(path), "%s", s->text);
			if ((eq = strchr(path, '=')) == NULL)
				return -ERR_INTERNAL;
			*eq = '\0';
			if ((r = agent_sysctl(s->ns, path, eq + 1)) < 0)
				sb_addf(err, "sysctl %s in %s failed", path,
				    s->ns);
			i++;
			continue;
		}
		if (s->kind == DRV_IP_TRY) {
			sb_reset(&batch);
			sb_addf(&batch, "%s\n", s->text);
			(void)agent_ip_batch(s->ns, sb_str(&batch), NULL);
			i++;
			continue;
		}
		sb_reset(&batch);
		for (j = i; j < p->n && p->v[j].kind == DRV_IP &&
		    strcmp(p->v[j].ns, s->ns) == 0; j++)
			sb_addf(&batch, "%s\n", p->v[j].text);
		if ((r = sb_ok(&batch)) < 0)
			break;
		if ((r = agent_ip_batch(s->ns, sb_str(&batch), err)) < 0)
			sb_addf(err, " (ip%s%s -batch)", s->ns[0] ? " -n " : "",
			    s->ns);
		for (; i < j; i++)
			if (r == 0 && drv_exec_owned(d, &p->v[i]) < 0)
				r = -ERR_NOMEM;
	}
	sb_free(&batch);
	return r;
}

void
drv_plan_print(const struct drv_plan *p, FILE *f)
{
	for (size_t i = 0; i < p->n; i++) {
		const struct drv_step *s = &p->v[i];

		if (s->kind == DRV_SYSCTL)
			fprintf(f, "sysctl -n %s %s\n", s->ns, s->text);
		else if (s->kind == DRV_IP_TRY)
			fprintf(f, "ip -n %s %s || true\n", s->ns, s->text);
		else
			fprintf(f, "ip%s%s %s\n", s->ns[0] ? " -n " : "",
			    s->ns, s->text);
	}
	if (p->errors.len)
		fprintf(f, "# cannot serve now:\n%s", sb_str(&p->errors));
}
