/*
 * agent_sys: namespaces, sysctls and `ip` (agent_sys.h). The child is
 * started with posix_spawn and an argv; its three standard streams are
 * pipes drained with poll() so a large `ip -j` dump cannot deadlock.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent_sys.h"
#include "lib/err.h"

extern char **environ;

#define AGENT_IP_ARGS 64

int
agent_name_ok(const char *s, size_t max)
{
	size_t n = 0;

	if (s == NULL || s[0] == '\0' || s[0] == '.' || s[0] == '-')
		return 0;
	for (; s[n]; n++) {
		char c = s[n];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return n < max;
}

int
agent_ns_exists(const char *name)
{
	char path[sizeof(AGENT_NETNS_DIR) + AGENT_NAME_MAX + 2];
	struct stat st;

	if (!agent_name_ok(name, AGENT_NAME_MAX))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", AGENT_NETNS_DIR, name);
	return stat(path, &st) == 0;
}

static int
agent_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
agent_strv_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

int
agent_ns_list(char ***names, size_t *n)
{
	DIR *d;
	struct dirent *de;
	char **v = NULL, **t;
	size_t cnt = 0, cap = 0;
	int r = 0;

	*names = NULL;
	*n = 0;
	if ((d = opendir(AGENT_NETNS_DIR)) == NULL)
		return errno == ENOENT ? 0 : -ERR_INTERNAL;
	while ((de = readdir(d)) != NULL) {
		if (!agent_name_ok(de->d_name, AGENT_NAME_MAX))
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			if ((t = realloc(v, cap * sizeof(*v))) == NULL) {
				r = -ERR_NOMEM;
				goto out;
			}
			v = t;
		}
		if ((v[cnt] = strdup(de->d_name)) == NULL) {
			r = -ERR_NOMEM;
			goto out;
		}
		cnt++;
	}
	if (cnt)
		qsort(v, cnt, sizeof(*v), agent_strcmp);
	*names = v;
	*n = cnt;
	v = NULL;
	cnt = 0;
out:
	closedir(d);
	agent_strv_free(v, cnt);
	return r;
}

int
agent_ns_enter(const char *name, int nsfd, int *saved)
{
	char path[sizeof(AGENT_NETNS_DIR) + AGENT_NAME_MAX + 2];
	int fd = -1, cur = -1, r = -ERR_INTERNAL;

	*saved = -1;
	if (name) {
		if (!agent_name_ok(name, AGENT_NAME_MAX))
			return -ERR_INVALID_PARAMETER;
		snprintf(path, sizeof(path), "%s/%s", AGENT_NETNS_DIR, name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return errno == ENOENT ? -ERR_NOT_FOUND : -ERR_INTERNAL;
		nsfd = fd;
	}
	if ((cur = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		goto out;
	if (setns(nsfd, CLONE_NEWNET) < 0)
		goto out;
	*saved = cur;
	cur = -1;
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	if (cur >= 0)
		close(cur);
	return r;
}

int
agent_ns_leave(int saved)
{
	int r = 0;

	if (saved < 0)
		return 0;
	if (setns(saved, CLONE_NEWNET) < 0)
		r = -ERR_INTERNAL;
	close(saved);
	return r;
}

int
agent_ns_anon(int *fd)
{
	int cur, r = -ERR_INTERNAL;

	*fd = -1;
	if ((cur = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		return r;
	if (unshare(CLONE_NEWNET) < 0)
		goto out;
	*fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (setns(cur, CLONE_NEWNET) < 0) {
		/* Stuck in the new namespace: nothing sane can follow. */
		abort();
	}
	if (*fd >= 0)
		r = 0;
out:
	close(cur);
	return r;
}

int
agent_sysctl(const char *name, const char *path, const char *val)
{
	char file[256];
	int saved, fd, r;
	size_t n = strlen(val);

	if (strstr(path, "..") || path[0] == '/')
		return -ERR_INVALID_PARAMETER;
	snprintf(file, sizeof(file), "/proc/sys/%s", path);
	if ((r = agent_ns_enter(name, -1, &saved)) < 0)
		return r;
	r = -ERR_INTERNAL;
	if ((fd = open(file, O_WRONLY | O_CLOEXEC)) >= 0) {
		if (write(fd, val, n) == (ssize_t)n)
			r = 0;
		close(fd);
	}
	if (agent_ns_leave(saved) < 0)
		abort();
	return r;
}

int
agent_sysctl_get(const char *name, const char *path, char *buf, size_t len)
{
	char file[256];
	int saved, fd, r;
	ssize_t n = -1;

	buf[0] = '\0';
	if (strstr(path, "..") || path[0] == '/' || len < 2)
		return -ERR_INVALID_PARAMETER;
	snprintf(file, sizeof(file), "/proc/sys/%s", path);
	if ((r = agent_ns_enter(name, -1, &saved)) < 0)
		return r;
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) >= 0) {
		n = read(fd, buf, len - 1);
		close(fd);
	}
	if (agent_ns_leave(saved) < 0)
		abort();
	if (n < 0)
		return -ERR_INTERNAL;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static const char *
agent_ip_path(void)
{
	static const char *const cand[] = {
		"/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip", NULL,
	};

	for (int i = 0; cand[i]; i++)
		if (access(cand[i], X_OK) == 0)
			return cand[i];
	return "ip";
}

/* Feeds in, drains the two outputs, until all three are closed. */
static void
agent_pump(int fin, const char *in, int fout, int ferr, struct sb *out,
    struct sb *err)
{
	size_t inlen = in ? strlen(in) : 0, off = 0;
	char buf[8192];

	if (fin >= 0 && inlen == 0) {
		close(fin);
		fin = -1;
	}
	while (fin >= 0 || fout >= 0 || ferr >= 0) {
		struct pollfd p[3] = {
			{ fin, POLLOUT, 0 }, { fout, POLLIN, 0 },
			{ ferr, POLLIN, 0 },
		};

		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fin >= 0 && p[0].revents) {
			ssize_t w = write(fin, in + off, inlen - off);

			if (w > 0)
				off += (size_t)w;
			if (w < 0 || off == inlen) {
				close(fin);
				fin = -1;
			}
		}
		for (int i = 1; i < 3; i++) {
			int *fd = i == 1 ? &fout : &ferr;
			struct sb *dst = i == 1 ? out : err;
			ssize_t got;

			if (*fd < 0 || p[i].revents == 0)
				continue;
			got = read(*fd, buf, sizeof(buf));
			if (got <= 0) {
				close(*fd);
				*fd = -1;
			} else if (dst)
				sb_addn(dst, buf, (size_t)got);
		}
	}
}

int
agent_ip(const char *ns, const char *const *args, const char *stdin_text,
    struct sb *out, struct sb *err)
{
	const char *argv[AGENT_IP_ARGS + 4];
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	size_t k = 0;
	pid_t pid;
	int st, r = -ERR_INTERNAL;

	argv[k++] = "ip";
	if (ns && ns[0]) {
		if (!agent_name_ok(ns, AGENT_NAME_MAX))
			return -ERR_INVALID_PARAMETER;
		argv[k++] = "-n";
		argv[k++] = ns;
	}
	for (size_t i = 0; args[i]; i++) {
		if (k >= AGENT_IP_ARGS)
			return -ERR_INVALID_PARAMETER;
		argv[k++] = args[i];
	}
	argv[k] = NULL;
	if (pipe2(pin, O_CLOEXEC) < 0 || pipe2(pout, O_CLOEXEC) < 0 ||
	    pipe2(perr, O_CLOEXEC) < 0)
		goto out;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pin[0], 0);
	posix_spawn_file_actions_adddup2(&fa, pout[1], 1);
	posix_spawn_file_actions_adddup2(&fa, perr[1], 2);
	st = posix_spawn(&pid, agent_ip_path(), &fa, NULL, (char **)argv,
	    environ);
	posix_spawn_file_actions_destroy(&fa);
	if (st != 0) {
		if (err)
			sb_addf(err, "cannot run ip: %s", strerror(st));
		goto out;
	}
	close(pin[0]);
	close(pout[1]);
	close(perr[1]);
	pin[0] = pout[1] = perr[1] = -1;
	agent_pump(pin[1], stdin_text, pout[0], perr[0], out, err);
	pin[1] = pout[0] = perr[0] = -1;	/* closed by the pump */
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			goto out;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		r = 0;
	else if (err && err->len == 0)
		sb_addf(err, "ip exited with status %d", st);
out:
	for (int i = 0; i < 2; i++) {
		if (pin[i] >= 0)
			close(pin[i]);
		if (pout[i] >= 0)
			close(pout[i]);
		if (perr[i] >= 0)
			close(perr[i]);
	}
	return r;
}

int
agent_ip_batch(const char *ns, const char *script, struct sb *err)
{
	static const char *const args[] = { "-batch", "-", NULL };

	if (script == NULL || script[0] == '\0')
		return 0;
	return agent_ip(ns, args, script, NULL, err);
}

long long
agent_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
