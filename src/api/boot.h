/*
 * boot: first start of a data directory. Creates the root account and its
 * AccessKey: from SEKISHO_ROOT_ACCESS_KEY_ID / _SECRET when set (automation;
 * re-seeded on every start so the environment stays authoritative), else a
 * generated pair written once to DIR/root-credentials.json (mode 0600).
 */
#ifndef SEKISHO_BOOT_H
#define SEKISHO_BOOT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

struct boot_result {
	char account[32];
	char akid[128];
	int generated;		/* 1 if credentials were written to a file */
	char cred_path[512];
};

int boot_root(struct store *st, const char *data_dir, const char *env_akid,
    const char *env_secret, int64_t now, struct boot_result *out);

/*
 * The host agent's AccessKey (principal "agent:<host_id>", in the root
 * account): created once, and written on every start to
 * DIR/agent-credentials.json (mode 0600: AccessKeyId, AccessKeySecret,
 * HostId) for the agent to read. Agent keys may call only agent actions.
 */
int boot_agent(struct store *st, const char *data_dir, const char *host_id,
    int64_t now, char *path, size_t path_len);

#endif
