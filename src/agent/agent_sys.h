/*
 * agent_sys: the agent's only contact with the operating system outside
 * nftables — network namespaces for the calling thread, sysctls inside a
 * namespace, and running iproute2 (`ip`) with an argv (never a shell).
 *
 * Namespaces. The agent process stays in the namespace it was started in
 * (the root namespace: the server is reached there). Work inside another
 * namespace is bracketed: agent_ns_enter() moves the calling thread (a
 * network namespace is per thread) and returns the fd to come back to;
 * agent_ns_leave() returns and closes it. Sockets keep the namespace they
 * were created in, so a libnftables context opened inside stays there.
 * Child processes are only ever forked from the starting namespace; `ip`
 * reaches another one with its own `-n NAME`.
 *
 * Named namespaces are the files /run/netns/NAME that `ip netns add`
 * creates; names are checked with agent_name_ok() before any use.
 */
#ifndef SEKISHO_AGENT_SYS_H
#define SEKISHO_AGENT_SYS_H

#include <stddef.h>

#include "lib/sb.h"

#define AGENT_NETNS_DIR "/run/netns"
#define AGENT_NAME_MAX 64	/* namespace names, resource ids */
#define AGENT_IFNAME_MAX 16	/* IFNAMSIZ */

/* 1 when s is 1..max-1 characters of [A-Za-z0-9._-] not starting with
 * '.' or '-' (safe as a file name, an `ip` argument, a batch word). */
int agent_name_ok(const char *s, size_t max);

/* 1 when /run/netns/NAME exists. */
int agent_ns_exists(const char *name);
/* Names in /run/netns, sorted; free with agent_strv_free. */
int agent_ns_list(char ***names, size_t *n);
void agent_strv_free(char **v, size_t n);

/*
 * Moves the calling thread into namespace NAME (or, with name NULL, into
 * the namespace of nsfd). *saved receives an fd of the namespace left;
 * hand it to agent_ns_leave(). -ERR_NOT_FOUND, -ERR_INTERNAL.
 */
int agent_ns_enter(const char *name, int nsfd, int *saved);
int agent_ns_leave(int saved);
/* Creates an anonymous namespace (no name, gone with its last user) and
 * returns an fd holding it; the thread stays where it was. */
int agent_ns_anon(int *fd);

/* Writes val to /proc/sys/<path> inside namespace NAME; _get reads it
 * (the first line, without the newline). */
int agent_sysctl(const char *name, const char *path, const char *val);
int agent_sysctl_get(const char *name, const char *path, char *buf,
    size_t len);

/*
 * Runs `ip [-n ns] args...` (ns NULL or "": no -n) with stdin_text on its
 * standard input (NULL: /dev/null). stdout goes to out (may be NULL),
 * stderr to err (may be NULL). 0 when ip exits 0, -ERR_INTERNAL otherwise
 * (err says why).
 */
int agent_ip(const char *ns, const char *const *args, const char *stdin_text,
    struct sb *out, struct sb *err);
/* `ip [-n ns] -batch -` fed with script (one command a line). */
int agent_ip_batch(const char *ns, const char *script, struct sb *err);

/* Monotonic milliseconds. */
long long agent_now_ms(void);

#endif
