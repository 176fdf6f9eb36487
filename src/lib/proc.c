/* proc: spawn/stop children, drop privileges. */
#include "lib/proc.h"

#include <dirent.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/err.h"

int
proc_spawn(char *const argv[], pid_t *pid)
{
	pid_t p = fork();

	if (p < 0)
		return -ERR_INTERNAL;
	if (p == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* The child ends with us even after we dropped privileges
		 * (an unprivileged parent cannot signal a root child).
		 * SIGKILL: a parent-death SIGTERM was seen not to take
		 * effect here; for the agent an abrupt end is safe (the
		 * kernel keeps enforcing, a restart reconciles). */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() == 1)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	*pid = p;
	return 0;
}

int
proc_exited(pid_t pid, int *status)
{
	return pid > 0 && waitpid(pid, status, WNOHANG) == pid;
}

void
proc_stop(pid_t pid, int wait_ms)
{
	struct timespec nap = { 0, 20 * 1000 * 1000 };
	int status;

	if (pid <= 0)
		return;
	/* Not ours to signal (we dropped privileges): it gets SIGTERM from
	 * the kernel when we exit (proc_spawn's parent-death signal). */
	if (kill(pid, SIGTERM) < 0)
		return;
	for (int waited = 0; waited < wait_ms; waited += 20) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return;
		nanosleep(&nap, NULL);
	}
	if (kill(pid, SIGKILL) == 0)
		waitpid(pid, &status, 0);
}

int
proc_drop_to(const char *user, const char *dir)
{
	struct passwd *pw = getpwnam(user);
	struct dirent *de;
	DIR *d;
	char path[4096];

	if (pw == NULL || pw->pw_uid == 0)
		return -ERR_INTERNAL;
	if (chown(dir, pw->pw_uid, pw->pw_gid) < 0 || (d = opendir(dir)) == NULL)
		return -ERR_INTERNAL;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (chown(path, pw->pw_uid, pw->pw_gid) < 0) {
			closedir(d);
			return -ERR_INTERNAL;
		}
	}
	closedir(d);
	if (setgroups(0, NULL) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0 || setuid(0) == 0)
		return -ERR_INTERNAL;
	return 0;
}
