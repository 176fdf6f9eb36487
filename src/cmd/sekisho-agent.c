/*
 * sekisho-agent: the privileged enforcement agent (src/agent/agent.h).
 *
 *   sekisho-agent [options]                 run (see --help)
 *   sekisho-agent outside add NAME IP       an outside host on skinet
 *   sekisho-agent outside del NAME
 *
 * Options are defined once (AGENT_OPTS): the parser and --help come from
 * the list.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "agent/agent.h"
#include "lib/log.h"

/* X(field, flag, metavar, help) — options with a value. */
#define AGENT_OPTS(X) \
	X(server, "--server", "URL", \
	    "sekishod endpoint (default " AGENT_DEFAULT_SERVER ")") \
	X(credentials, "--credentials", "FILE", \
	    "agent-credentials.json written by sekishod (mode 0600)") \
	X(host_id, "--host-id", "ID", \
	    "this host (default: the credentials' HostId, else " \
	    AGENT_DEFAULT_HOST ")") \
	X(netns, "--netns", "NAME", \
	    "host network namespace (default " AGENT_DEFAULT_NETNS ")") \
	X(desired_file, "--desired-file", "FILE", \
	    "read the desired state from FILE (re-read when it changes) " \
	    "instead of the server") \
	X(status_file, "--status-file", "FILE", \
	    "also write each status report to FILE (JSON)") \
	X(state_dir, "--state-dir", "DIR", \
	    "where the last applied state is kept (default " \
	    AGENT_STATE_DIR ")") \
	X(drift, "--drift-interval", "SECONDS", \
	    "seconds between drift checks (default 5)") \
	X(log_level, "--log-level", "LEVEL", "error|warn|info|debug")

/* X(field, flag, help) — switches. */
#define AGENT_SWITCHES(X) \
	X(check, "--check", "print the driver actions and the nft delta; " \
	    "change nothing") \
	X(once, "--once", "apply once, report, exit (1 when it failed)") \
	X(exit_with_parent, "--exit-with-parent", "end when the process that " \
	    "started the agent ends (sekishod --all-in-one)") \
	X(help, "--help", "this text")

struct agent_opts {
#define X(f, flag, meta, help) const char *f;
	AGENT_OPTS(X)
#undef X
#define X(f, flag, help) int f;
	AGENT_SWITCHES(X)
#undef X
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: sekisho-agent [options]\n"
	    "       sekisho-agent [--netns NAME] outside add NAME IP\n"
	    "       sekisho-agent [--netns NAME] outside del NAME\n\n"
	    "Options:\n");
#define X(fl, flag, meta, help) fprintf(f, "  %s %s\n      %s\n", flag, meta, help);
	AGENT_OPTS(X)
#undef X
#define X(fl, flag, help) fprintf(f, "  %s\n      %s\n", flag, help);
	AGENT_SWITCHES(X)
#undef X
	fprintf(f, "\nOutside hosts: namespace NAME with IP/15 on the internet "
	    "bridge skinet;\nIP must be in 198.18.0.0/15.\n");
}

/* Options anywhere; the other words go to words[]. -1 on a bad option. */
static int
parse(int argc, char **argv, struct agent_opts *o, char **words, int *nw)
{
	*nw = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int hit = 0;

#define X(f, flag, meta, help) \
		if (!hit && strcmp(a, flag) == 0) { \
			if (i + 1 >= argc) \
				return -1; \
			o->f = argv[++i]; \
			hit = 1; \
		}
		AGENT_OPTS(X)
#undef X
#define X(f, flag, help) \
		if (!hit && strcmp(a, flag) == 0) { \
			o->f = 1; \
			hit = 1; \
		}
		AGENT_SWITCHES(X)
#undef X
		if (hit)
			continue;
		if (a[0] == '-' && a[1] == '-')
			return -1;
		words[(*nw)++] = argv[i];
	}
	return 0;
}

static int
outside(const char *ns, char **w, int nw)
{
	if (nw == 4 && strcmp(w[1], "add") == 0)
		return agent_outside_add(ns, w[2], w[3]) < 0;
	if (nw == 3 && strcmp(w[1], "del") == 0)
		return agent_outside_del(ns, w[2]) < 0;
	usage(stderr);
	return AGENT_EXIT_USAGE;
}

/*
 * --exit-with-parent: sekishod --all-in-one drops root after starting us,
 * so it can no longer signal us; we watch for it to go instead (the
 * kernel's parent-death signal does not survive that here).
 */
static void *
parent_watch(void *arg)
{
	pid_t parent = (pid_t)(intptr_t)arg;
	struct timespec nap = { 0, 200 * 1000 * 1000 };

	while (getppid() == parent)
		nanosleep(&nap, NULL);
	log_info("the parent process %d ended: exiting", (int)parent);
	kill(getpid(), SIGTERM);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct agent_opts o;
	struct agent_cfg cfg;
	char **words;
	int nw, rc;
	enum log_level lv;

	memset(&o, 0, sizeof(o));
	signal(SIGPIPE, SIG_IGN);
	if ((words = calloc((size_t)argc + 1, sizeof(*words))) == NULL)
		return AGENT_EXIT_CONFIG;
	if (parse(argc, argv, &o, words, &nw) < 0 || o.help) {
		usage(o.help ? stdout : stderr);
		free(words);
		return o.help ? 0 : AGENT_EXIT_USAGE;
	}
	if (o.exit_with_parent) {
		pthread_t t;

		if (pthread_create(&t, NULL, parent_watch,
		    (void *)(intptr_t)getppid()) != 0 || pthread_detach(t) != 0) {
			free(words);
			return AGENT_EXIT_CONFIG;
		}
	}
	if (o.log_level) {
		if (log_level_parse(o.log_level, &lv) < 0) {
			usage(stderr);
			free(words);
			return AGENT_EXIT_USAGE;
		}
		log_set_level(lv);
	}
	if (nw > 0) {
		rc = strcmp(words[0], "outside") == 0 ? outside(o.netns ?
		    o.netns : AGENT_DEFAULT_NETNS, words, nw) :
		    (usage(stderr), AGENT_EXIT_USAGE);
		free(words);
		return rc;
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.server = o.server;
	cfg.credentials = o.credentials;
	cfg.host_id = o.host_id;
	cfg.netns = o.netns ? o.netns : AGENT_DEFAULT_NETNS;
	cfg.desired_file = o.desired_file;
	cfg.status_file = o.status_file;
	cfg.state_dir = o.state_dir;
	cfg.check = o.check;
	cfg.once = o.once;
	cfg.drift_interval = o.drift ? atoi(o.drift) : 5;
	if (cfg.drift_interval < 1 || cfg.drift_interval > 3600) {
		fprintf(stderr, "sekisho-agent: --drift-interval 1..3600\n");
		free(words);
		return AGENT_EXIT_USAGE;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = agent_run(&cfg);
	curl_global_cleanup();
	free(words);
	return rc;
}
