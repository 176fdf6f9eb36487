/*
 * agent: sekisho-agent, the only privileged process. It pulls the desired
 * state of its host from sekishod (GetHostDesiredState, long-poll), or
 * reads it from a file, and makes the kernel match it: instance
 * namespaces and veths (drv.h), then the firewall the compiler produces
 * (fw.h) through libnftables (nftb.h), in one transaction per change. It
 * reports what it applied and any drift (ReportEnforcementStatus). It
 * never decides policy: every verdict comes from the compiled desired
 * state, and a document that does not validate is refused whole.
 *
 * Cycle (agent.c):
 *   desired doc --fw_input_from_json--> fw_input --> agent_ds + fw_ruleset
 *   drv PRE plan (namespaces, bridges, new ports down, removals)
 *   nft: first time  reconcile (shadow listing vs kernel listing; load
 *                    only when they differ — established flows survive)
 *        then        fw_diff(applied, new), one batch; on failure a full
 *                    replace and the difference reported as drift
 *   drv POST plan (ports up)  ->  report
 * Between revisions, every drift interval: the same comparison of driver
 * and firewall state against the applied revision; differences are
 * repaired and reported.
 */
#ifndef SEKISHO_AGENT_H
#define SEKISHO_AGENT_H

#define AGENT_DEFAULT_NETNS "sekisho-host"
#define AGENT_DEFAULT_HOST "host-local"
#define AGENT_DEFAULT_SERVER "http://127.0.0.1:8080"
#define AGENT_API_VERSION "2026-12-01"
#define AGENT_STATE_DIR "/run/sekisho-agent"

/* Exit statuses. */
#define AGENT_EXIT_OK 0
#define AGENT_EXIT_FAIL 1	/* --once: the state could not be applied */
#define AGENT_EXIT_USAGE 64
#define AGENT_EXIT_CONFIG 78

struct agent_cfg {
	const char *server;		/* URL of sekishod */
	const char *credentials;	/* agent-credentials.json */
	const char *host_id;		/* default: the credentials' HostId */
	const char *netns;		/* host namespace */
	const char *desired_file;	/* read the state from here instead */
	const char *status_file;	/* write each report here too (JSON) */
	const char *state_dir;		/* the last applied state, per netns */
	int check;			/* print the plan, change nothing */
	int once;			/* one cycle, then exit */
	int drift_interval;		/* seconds between drift checks */
};

/* Runs the agent; returns an exit status. */
int agent_run(const struct agent_cfg *cfg);

/* `outside add NAME IP` / `outside del NAME` in host namespace hostns. */
int agent_outside_add(const char *hostns, const char *name, const char *ip);
int agent_outside_del(const char *hostns, const char *name);

#endif
