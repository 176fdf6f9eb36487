/*
 * proc: child processes and privileges for all-in-one mode, where sekishod
 * starts the local host agent (root) and then gives up root itself, so the
 * agent stays the only privileged process.
 */
#ifndef SEKISHO_PROC_H
#define SEKISHO_PROC_H

#include <sys/types.h>

/*
 * Starts argv[0] with argv (no shell); *pid set. The child gets SIGKILL
 * when the calling thread exits. 0 or -ERR_INTERNAL.
 */
int proc_spawn(char *const argv[], pid_t *pid);
/*
 * SIGTERM, then waits up to wait_ms before SIGKILL; no-op for pid <= 0 or
 * a child we may no longer signal (it ends with us, see proc_spawn).
 */
void proc_stop(pid_t pid, int wait_ms);
/* 1 if the child has exited (reaped), 0 if it still runs. */
int proc_exited(pid_t pid, int *status);
/*
 * Hands dir and the files directly in it to user, then drops to that
 * user's uid/gid (supplementary groups cleared). 0 or -ERR_INTERNAL.
 */
int proc_drop_to(const char *user, const char *dir);

#endif
