/*
 * drv: instance drivers — the host topology an ENI needs before the
 * firewall can guard it (docs/helpers/AGENT.md "Host topology").
 *
 *   local     the agent builds it: a namespace named exactly the
 *             InstanceId, a veth pair per NIC (inside eth<N> with the MAC,
 *             the address and, on eth0, the default route; host side
 *             fw's port name "ske<8 hex>" enslaved to the bridge)
 *   external  the ENI is an existing interface of the host namespace (a VM
 *             tap, a container veth moved there); the agent only enslaves
 *             it to the bridge and sets it up or down
 *
 * Everything lives in the host namespace (default "sekisho-host"); the
 * namespace the agent runs in is never changed. Ownership is written into
 * the kernel objects themselves, so a restarted agent finds its work: the
 * host side of each port carries the alias "sekisho:<eni>:<instance>:<eth
 * N>:<fingerprint>" (external: "sekisho:<eni>:ext:<fingerprint>"), and the
 * loopback of each instance namespace the alias "sekisho:<host ns>". The
 * fingerprint covers everything the inside was built from (instance, name,
 * bridge, MAC, address, route): a port whose fingerprint differs is
 * rebuilt, so the inside is never inspected.
 *
 * The driver is a planner: drv_observe() reads the kernel (rtnetlink),
 * drv_plan() compares with the desired NICs and writes the `ip` commands
 * that close the gap, in two phases around the firewall update — PRE
 * (namespaces, bridges, removals, new ports left down, stops) and POST
 * (ports brought up once the firewall knows them). drv_exec() runs a
 * plan; --check prints it instead.
 */
#ifndef SEKISHO_DRV_H
#define SEKISHO_DRV_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "agent/agent_ds.h"
#include "agent/agent_sys.h"
#include "lib/sb.h"

#define DRV_ALIAS_MAX 256

/* Host side of an outside host's veth: sko<8 hex>. */
void drv_outside_name(const char *name, char out[AGENT_IFNAME_MAX]);
/* A bridge's fixed MAC "02:73:6b:xx:xx:xx" (locally administered, from
 * a hash of its name). A bridge left to choose takes its lowest port's
 * MAC and changes it when that port goes: every instance's cached
 * gateway MAC would go stale with it. */
void drv_bridge_mac(const char *name, char out[18]);

/* One link of the host namespace as `ip -j -d link` / `addr` show it. */
struct drv_link {
	char name[AGENT_IFNAME_MAX];
	char kind[16];			/* "bridge", "veth", "" ... */
	char master[AGENT_IFNAME_MAX];
	char alias[DRV_ALIAS_MAX];
	char mac[18];			/* lower-case hex */
	unsigned up:1;
	struct cidr v4[64];		/* IPv4 addresses with prefix */
	size_t nv4;
};

struct drv_obs {
	int host_exists;
	struct drv_link *links;
	size_t nlinks;
	char **ns;			/* /run/netns names */
	size_t nns;
};

/* DRV_IP_TRY: an `ip` line whose failure is expected and ignored (a
 * cleanup of what may not exist); runs alone with -force. */
enum drv_step_kind { DRV_IP, DRV_SYSCTL, DRV_IP_TRY };

struct drv_step {
	uint8_t kind;			/* enum drv_step_kind */
	char ns[AGENT_NAME_MAX];	/* DRV_IP: `ip -n`; "" = agent's own */
	char text[384];			/* an `ip -batch` line | "path=value" */
};

struct drv_plan {
	struct drv_step *v;
	size_t n;
	struct sb drift;		/* "object\tchange\n" lines: what was
					 * found different from what an
					 * earlier apply left (see drv_plan) */
	struct sb errors;		/* NICs that cannot be served now */
	int drift_mode;			/* set by drv_plan */
};

/* The alias marking a port (drv_local.c). */
void drv_alias(const struct agent_nic *n, const char *eth, char *out,
    size_t len);

/* Driver state kept across cycles. */
struct drv {
	char hostns[AGENT_NAME_MAX];
	char **owned;			/* instance namespaces known ours */
	size_t nowned;
};

int drv_init(struct drv *d, const char *hostns);
void drv_fini(struct drv *d);

/* Reads the host namespace and the namespace list. scan_owned: also ask
 * each i-* namespace whether it is ours (one `ip` per namespace). */
int drv_observe(struct drv *d, int scan_owned, struct drv_obs *o,
    struct sb *err);
/* drv_nl.c: the host namespace's links and addresses into o. */
int drv_nl_observe(const char *hostns, struct drv_obs *o, struct sb *err);
void drv_obs_free(struct drv_obs *o);

/*
 * Plans ds against o. drift_mode: the desired state is the one applied
 * before, so every difference found is someone else's change and is
 * listed in pre->drift. 0 or -ERR_NOMEM.
 */
int drv_plan(struct drv *d, const struct agent_ds *ds,
    const struct drv_obs *o, int drift_mode, struct drv_plan *pre,
    struct drv_plan *post);
void drv_plan_free(struct drv_plan *p);
/* Runs the steps in order; stops at the first failing batch. Records the
 * namespaces created/removed in d. */
int drv_exec(struct drv *d, const struct drv_plan *p, struct sb *err);
void drv_plan_print(const struct drv_plan *p, FILE *f);

/* Steps shared with the outside-host command (drv_local.c). */
int drv_step_add(struct drv_plan *p, int kind, const char *ns,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The host namespace with its sysctls; _inet adds the internet bridge
 * and its gateway (for `outside add` before the agent has run). */
int drv_plan_base(struct drv *d, const struct drv_obs *o,
    struct drv_plan *p);
int drv_plan_inet(struct drv *d, const struct drv_obs *o,
    struct drv_plan *p);
const struct drv_link *drv_obs_link(const struct drv_obs *o,
    const char *name);

/* The instance namespaces known to be ours (drv_obs.c). */
int drv_owned(const struct drv *d, const char *ns);
int drv_owned_add(struct drv *d, const char *ns);
void drv_owned_del(struct drv *d, const char *ns);

/* drv_ext.c: the external driver's part of drv_plan. */
int drv_ext_plan(struct drv *d, const struct agent_nic *n,
    const struct drv_obs *o, int drift_mode, struct drv_plan *pre,
    struct drv_plan *post);
/* External ports no longer desired: released from the bridge. */
int drv_ext_release(const char *hostns, const struct drv_link *l,
    struct drv_plan *pre);

#endif
