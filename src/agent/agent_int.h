/*
 * agent_int: what the files of the agent module share.
 *
 *   agent.c          the main loop: fetch, apply, check, report
 *   agent_api.c      signed calls to sekishod (the CLI's request builder
 *                    and transport, cli/cli_req.h), the credentials file
 *   agent_fw.c       firewall application: reconcile, deltas, drift
 *   agent_outside.c  outside hosts on the internet bridge
 *   agent_sys.c      namespaces, sysctls, `ip`
 *   agent_ds.c       fw_input -> the drivers' NICs and bridges
 */
#ifndef SEKISHO_AGENT_INT_H
#define SEKISHO_AGENT_INT_H

#include <jansson.h>

#include "agent/agent.h"
#include "agent/agent_ds.h"
#include "agent/drv.h"
#include "agent/nftb.h"
#include "cli/cli_req.h"
#include "fw/fw.h"
#include "lib/sb.h"

/* agent_api.c */
struct agent_srv {
	struct cli_cred cred;
	char host_id[AGENT_NAME_MAX];
};

/* Reads {"AccessKeyId","AccessKeySecret","HostId"} (refused when others
 * may read it) and the endpoint. host_id overrides the file's HostId. */
int agent_api_init(struct agent_srv *s, const char *server,
    const char *cred_file, const char *host_id, struct sb *why);
void agent_api_fini(struct agent_srv *s);
/*
 * One call of our product (AGENT_API_VERSION). params: NULL-terminated
 * key, value pairs. 0 and *out (the JSON answer), -ERR_SERVICE_UNAVAILABLE
 * (no answer: why says), -ERR_INVALID_PARAMETER (an API error: why has
 * its Code and Message).
 */
int agent_api_call(const struct agent_srv *s, const char *action,
    const char *const *params, long timeout_s, json_t **out, struct sb *why);

/* agent_fw.c: the firewall side of one host. */
struct agent_fw {
	struct nftb *real;		/* NULL in --check before the host exists */
	struct nftb *shadow;
	struct fw_ruleset *applied;	/* what the real tables hold */
	struct nftb_view want;		/* shadow listing of applied */
	int want_ok;
	uint32_t gen;			/* real generation after our commit */
	int gen_ok;
	unsigned quiet;			/* checks skipped since a full one */
	const char *path;		/* how the last apply went: "none",
					 * "first", "elements", "replay",
					 * "text", "full" (logged) */
};

/* A drift check lists our tables only when the generation moved, and in
 * full at least every AGENT_FW_FULL_EVERY checks. */
#define AGENT_FW_FULL_EVERY 12

int agent_fw_open(struct agent_fw *f, const char *hostns);
void agent_fw_close(struct agent_fw *f);
/*
 * Makes the real tables hold rs (ownership of rs passes to f on success).
 * old: the ruleset a previous agent applied (state file), or NULL.
 * drift receives "object\tchange" lines of differences found that the
 * agent did not cause; err the reason of a failure.
 */
int agent_fw_apply(struct agent_fw *f, struct fw_ruleset *rs,
    const struct fw_ruleset *old, struct sb *drift, struct sb *err);
/*
 * Follows the host namespace. before: a context on a namespace that is no
 * longer /run/netns/<hostns> is closed (holding it would keep the old
 * namespace, and the veths in it, alive). after: a missing context is
 * opened when the namespace exists; the next check compares in full.
 */
int agent_fw_follow(struct agent_fw *f, const char *hostns, int after);
/* Compares the real tables with the applied ruleset; repairs. */
int agent_fw_check(struct agent_fw *f, struct sb *drift, struct sb *err);
/* --check: prints what agent_fw_apply would do. */
int agent_fw_print(struct agent_fw *f, const struct fw_ruleset *rs,
    const struct fw_ruleset *old, FILE *out, struct sb *err);

#endif
