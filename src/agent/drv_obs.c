/*
 * drv_obs: what the kernel has — the links and IPv4 addresses of the host
 * namespace (rtnetlink, drv_nl.c), the namespace list and which instance
 * namespaces are ours (the loopback alias, asked once per namespace).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "agent/drv.h"
#include "lib/err.h"

static uint32_t
drv_fnv(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++) {
		h ^= (uint8_t)*s;
		h *= 16777619u;
	}
	return h;
}

void
drv_outside_name(const char *name, char out[AGENT_IFNAME_MAX])
{
	snprintf(out, AGENT_IFNAME_MAX, "sko%08x", drv_fnv(name));
}

void
drv_bridge_mac(const char *name, char out[18])
{
	uint32_t h = drv_fnv(name);

	snprintf(out, 18, "02:73:6b:%02x:%02x:%02x", (h >> 16) & 0xff,
	    (h >> 8) & 0xff, h & 0xff);
}

static const char *
obs_str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

static int
obs_json(const char *ns, const char *const *args, json_t **out,
    struct sb *err)
{
	struct sb o = SB_INIT;
	json_error_t je;
	int r;

	*out = NULL;
	if ((r = agent_ip(ns, args, NULL, &o, err)) < 0)
		goto out;
	if ((*out = json_loads(sb_str(&o), 0, &je)) == NULL ||
	    !json_is_array(*out)) {
		sb_addf(err, "ip -j: unreadable output: %s", je.text);
		json_decref(*out);
		*out = NULL;
		r = -ERR_INTERNAL;
	}
out:
	sb_free(&o);
	return r;
}

const struct drv_link *
drv_obs_link(const struct drv_obs *o, const char *name)
{
	for (size_t i = 0; i < o->nlinks; i++)
		if (strcmp(o->links[i].name, name) == 0)
			return &o->links[i];
	return NULL;
}

static int
drv_owned_has(const struct drv *d, const char *ns)
{
	for (size_t i = 0; i < d->nowned; i++)
		if (strcmp(d->owned[i], ns) == 0)
			return 1;
	return 0;
}

/* Is namespace ns marked ours (lo alias "sekisho:<host ns>")? */
static int
obs_ns_ours(const struct drv *d, const char *ns)
{
	static const char *const la[] = { "-j", "link", "show", "lo", NULL };
	char want[AGENT_NAME_MAX + 16];
	json_t *j = NULL;
	int ours = 0;

	if (obs_json(ns, la, &j, NULL) == 0)
		ours = strcmp(obs_str(json_array_get(j, 0), "ifalias"),
		    (snprintf(want, sizeof(want), "sekisho:%s", d->hostns),
		    want)) == 0;
	json_decref(j);
	return ours;
}

int
drv_owned_add(struct drv *d, const char *ns)
{
	char **t;

	if (drv_owned_has(d, ns))
		return 0;
	if ((t = realloc(d->owned, (d->nowned + 1) * sizeof(*t))) == NULL)
		return -ERR_NOMEM;
	d->owned = t;
	if ((d->owned[d->nowned] = strdup(ns)) == NULL)
		return -ERR_NOMEM;
	d->nowned++;
	return 0;
}

void
drv_owned_del(struct drv *d, const char *ns)
{
	for (size_t i = 0; i < d->nowned; i++)
		if (strcmp(d->owned[i], ns) == 0) {
			free(d->owned[i]);
			d->owned[i] = d->owned[--d->nowned];
			return;
		}
}

int
drv_owned(const struct drv *d, const char *ns)
{
	return drv_owned_has(d, ns);
}

int
drv_observe(struct drv *d, int scan_owned, struct drv_obs *o, struct sb *err)
{
	int r;

	memset(o, 0, sizeof(*o));
	if ((r = agent_ns_list(&o->ns, &o->nns)) < 0)
		return r;
	for (size_t i = 0; i < o->nns; i++)
		if (strcmp(o->ns[i], d->hostns) == 0)
			o->host_exists = 1;
	/* Forget namespaces someone else removed. */
	for (size_t i = 0; i < d->nowned; ) {
		int seen = 0;

		for (size_t k = 0; k < o->nns && !seen; k++)
			seen = strcmp(o->ns[k], d->owned[i]) == 0;
		if (!seen)
			drv_owned_del(d, d->owned[i]);
		else
			i++;
	}
	if (scan_owned)
		for (size_t i = 0; i < o->nns; i++)
			if (strncmp(o->ns[i], "i-", 2) == 0 &&
			    !drv_owned_has(d, o->ns[i]) &&
			    obs_ns_ours(d, o->ns[i]) &&
			    (r = drv_owned_add(d, o->ns[i])) < 0)
				return r;
	if (!o->host_exists)
		return 0;
	return drv_nl_observe(d->hostns, o, err);
}

void
drv_obs_free(struct drv_obs *o)
{
	if (o == NULL)
		return;
	free(o->links);
	agent_strv_free(o->ns, o->nns);
	memset(o, 0, sizeof(*o));
}
