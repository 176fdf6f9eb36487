/*
 * sekishod: the API server. Parses flags (defined once below), opens the
 * store in the data directory, bootstraps the root account on first start,
 * serves HTTP until SIGTERM/SIGINT, then shuts down cleanly.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "api/api.h"
#include "api/boot.h"
#include "api/http.h"
#include "iam/ramdb.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/proc.h"
#include "lib/tm.h"
#include "store/store.h"

/* X(field, flag, metavar, default, help) — parser, --help and docs. */
#define SEKISHOD_FLAGS(X) \
	X(listen, "--listen", "HOST:PORT", "127.0.0.1:8080", \
	    "address to serve the API on (port 0 picks a free one)") \
	X(data_dir, "--data-dir", "DIR", "./var", \
	    "where the store (sekisho.db) and root-credentials.json live") \
	X(regions, "--regions", "LIST", \
	    "cn-hangzhou,cn-shanghai,cn-beijing,ap-northeast-1", \
	    "comma-separated region ids served") \
	X(sync, "--sync", "full|normal", "full", \
	    "SQLite durability: full survives power loss, normal survives kill -9") \
	X(threads, "--threads", "N", "4", "HTTP worker threads (agent long-polls hold one each)") \
	X(log_level, "--log-level", "LEVEL", "info", "error, warn, info or debug") \
	X(port_file, "--port-file", "FILE", "", \
	    "write the bound port to FILE once listening (for tests)") \
	X(vpc_quota, "--vpc-quota", "N", "10", "VPCs per account and region") \
	X(vswitch_quota, "--vswitch-quota", "N", "150", "vSwitches per VPC") \
	X(sg_quota, "--sg-quota", "N", "100", \
	    "security groups per account and region") \
	X(sg_per_eni, "--sg-per-eni", "5|10|16", "5", \
	    "groups per ENI; 10 and 16 lower rules per group to 50 and 30") \
	X(rules_per_eni, "--rules-per-eni", "N", "500", \
	    "rules per ENI, summed over its groups") \
	X(classic_group_instances, "--classic-group-instances", "N", "1000", \
	    "instances in a classic-network group") \
	X(vpc_basic_group_ips, "--vpc-basic-group-ips", "N", "2000", \
	    "private IPs in a VPC basic group") \
	X(enterprise_group_enis, "--enterprise-group-enis", "N", "50000", \
	    "ENIs in an enterprise group") \
	X(tcp25_open, "--tcp25-open", "0|1", "0", \
	    "operator setting: lift the outbound TCP 25 block") \
	X(all_in_one, "--all-in-one", "0|1", "0", \
	    "also start the local host agent (root), see --agent/--agent-args") \
	X(agent, "--agent", "PATH", "", \
	    "the agent binary (default: sekisho-agent beside sekishod)") \
	X(agent_args, "--agent-args", "ARGS", "", \
	    "extra agent arguments, space-separated (e.g. --netns NAME)") \
	X(user, "--user", "NAME", "", \
	    "after starting the agent, hand the data dir to NAME and drop to it") \
	X(host_id, "--host-id", "ID", "host-local", \
	    "the host instances run on; its agent key is in agent-credentials.json") \
	X(trusted_proxy_header, "--trusted-proxy-header", "NAME", "", \
	    "take acs:SourceIp from this header's last address (and acs:SecureTransport from X-Forwarded-Proto): only behind a proxy that sets it")

struct sekishod_cfg {
#define X(field, flag, meta, def, help) const char *field;
	SEKISHOD_FLAGS(X)
#undef X
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: sekishod [options]\n\n");
#define X(field, flag, meta, def, help) \
	fprintf(f, "  %s %-10s %s (default: %s)\n", flag, meta, help, \
	    def[0] ? def : "none");
	SEKISHOD_FLAGS(X)
#undef X
	fprintf(f, "  --help               this text\n\n"
	    "Environment: SEKISHO_ROOT_ACCESS_KEY_ID and "
	    "SEKISHO_ROOT_ACCESS_KEY_SECRET seed the root AccessKey.\n"
	    "Accounts: sekishod account create --data-dir DIR [--name NAME]\n"
	    "          sekishod account list --data-dir DIR\n");
}

static int
parse_flags(int argc, char **argv, struct sekishod_cfg *cfg)
{
#define X(field, flag, meta, def, help) cfg->field = def;
	SEKISHOD_FLAGS(X)
#undef X
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '=');
		size_t nl = eq ? (size_t)(eq - a) : strlen(a);
		int matched = 0;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			exit(0);
		}
#define X(field, flag, meta, def, help) \
		if (!matched && strlen(flag) == nl && strncmp(a, flag, nl) == 0) { \
			if (eq) \
				cfg->field = eq + 1; \
			else if (strcmp(meta, "0|1") == 0 && (i + 1 >= argc || \
			    argv[i + 1][0] == '-')) \
				cfg->field = "1";	/* a bare switch */ \
			else if (i + 1 < argc) \
				cfg->field = argv[++i]; \
			else \
				return fprintf(stderr, "%s needs a value\n", flag), -1; \
			matched = 1; \
		}
		SEKISHOD_FLAGS(X)
#undef X
		if (!matched)
			return fprintf(stderr, "unknown option %s\n", a), -1;
	}
	return 0;
}

static int
parse_uint(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int
split_listen(const char *listen, char *host, size_t hlen, unsigned short *port)
{
	const char *colon = strrchr(listen, ':');
	long p;

	if (colon == NULL || (size_t)(colon - listen) >= hlen ||
	    parse_uint(colon + 1, 0, 65535, &p) < 0)
		return -1;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	*port = (unsigned short)p;
	return 0;
}

static int
config_api(const struct sekishod_cfg *cfg, struct api_config *ac,
    char *regions_buf)
{
	long v;
	int n = 0;

	api_config_defaults(ac);
	memset(ac->regions, 0, sizeof(ac->regions));
	for (char *tok = strtok(regions_buf, ","); tok; tok = strtok(NULL, ",")) {
		if (n == API_MAX_REGIONS - 1 || tok[0] == '\0')
			return -1;
		ac->regions[n++] = tok;
	}
	if (n == 0)
		return -1;
	if (parse_uint(cfg->vpc_quota, 1, 100000, &v) < 0)
		return -1;
	ac->vpc_quota = (int)v;
	if (parse_uint(cfg->vswitch_quota, 1, 100000, &v) < 0)
		return -1;
	ac->vswitch_quota = (int)v;
	if (parse_uint(cfg->sg_quota, 1, 1000000, &v) < 0)
		return -1;
	ac->sg_quota = (int)v;
	if (parse_uint(cfg->sg_per_eni, 5, 16, &v) < 0 ||
	    (v != 5 && v != 10 && v != 16))
		return -1;
	ac->sg_per_eni = (int)v;
	if (parse_uint(cfg->rules_per_eni, 1, 100000, &v) < 0)
		return -1;
	ac->rules_per_eni = (int)v;
	if (parse_uint(cfg->classic_group_instances, 1, 10000000, &v) < 0)
		return -1;
	ac->classic_group_instances = (int)v;
	if (parse_uint(cfg->vpc_basic_group_ips, 1, 10000000, &v) < 0)
		return -1;
	ac->vpc_basic_group_ips = (int)v;
	if (parse_uint(cfg->enterprise_group_enis, 1, 10000000, &v) < 0)
		return -1;
	ac->enterprise_group_enis = (int)v;
	if (parse_uint(cfg->tcp25_open, 0, 1, &v) < 0)
		return -1;
	ac->tcp25_open = (int)v;
	if (cfg->host_id[0] == '\0' || strlen(cfg->host_id) > 64)
		return -1;
	ac->host_id = cfg->host_id;
	if (strlen(cfg->trusted_proxy_header) > 64 ||
	    strspn(cfg->trusted_proxy_header, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789-_") !=
	    strlen(cfg->trusted_proxy_header))
		return -1;
	ac->trusted_proxy_header = cfg->trusted_proxy_header[0] ?
	    cfg->trusted_proxy_header : NULL;
	return 0;
}

/*
 * `sekishod account create|list --data-dir DIR [--name N]`: the operator's
 * way to add accounts (and see them). Opens the store next to a possibly
 * running server (SQLite WAL and the busy timeout make that safe) and
 * prints JSON on stdout: {AccountId, AccessKeyId, AccessKeySecret} for the
 * new account's root AccessKey, or the list of accounts.
 */
static int
account_main(int argc, char **argv)
{
	const char *dir = "./var", *name = NULL, *verb = argc > 1 ? argv[1] : "";
	struct store_opts so;
	struct store *st = NULL;
	struct store_key k;
	char dbpath[4096], *text = NULL;
	json_t *o = NULL;
	int r, bad = 0, create = strcmp(verb, "create") == 0;

	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--data-dir") == 0 && i + 1 < argc)
			dir = argv[++i];
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc && create)
			name = argv[++i];
		else
			bad = 1;
	}
	if (bad || (!create && strcmp(verb, "list") != 0) ||
	    (name && strlen(name) > 128)) {
		fprintf(stderr, "usage: sekishod account create --data-dir DIR "
		    "[--name NAME]\n       sekishod account list --data-dir DIR\n");
		return 2;
	}
	memset(&k, 0, sizeof(k));
	snprintf(dbpath, sizeof(dbpath), "%s/sekisho.db", dir);
	so.path = dbpath;
	so.sync_full = 1;
	umask(077);
	if (mkdir(dir, 0700) < 0 && errno != EEXIST) {
		r = -ERR_INTERNAL;
		goto out;
	}
	if ((r = store_open(&so, &st)) < 0 ||
	    (r = store_tx_begin(st, create ? STORE_TX_WRITE : STORE_TX_READ)) < 0)
		goto out;
	if (create) {
		if ((r = ramdb_account_create(st, name, tm_now(), &k)) == 0 &&
		    (r = store_tx_commit(st)) == 0)
			o = json_pack("{s:s, s:s, s:s}", "AccountId", k.account,
			    "AccessKeyId", k.id, "AccessKeySecret", k.secret);
	} else {
		r = ramdb_account_list(st, &o);
	}
	store_tx_abort(st);
	if (r == 0 && (o == NULL ||
	    (text = json_dumps(o, JSON_INDENT(2))) == NULL))
		r = -ERR_NOMEM;
	if (r == 0)
		printf("%s\n", text);
out:
	if (r < 0)
		fprintf(stderr, "sekishod account %s: %s (store %s)\n", verb,
		    err_name(r), dbpath);
	if (text)
		OPENSSL_cleanse(text, strlen(text));
	free(text);
	json_decref(o);
	OPENSSL_cleanse(&k, sizeof(k));
	store_close(st);
	return r < 0 ? 1 : 0;
}

/*
 * All-in-one: starts the host agent (the agent binary beside sekishod
 * unless --agent names one) against this server with the agent key.
 */
static int
start_agent(const struct sekishod_cfg *cfg, const char *argv0,
    unsigned port, const char *host, const char *cred, const char *host_id,
    pid_t *pid)
{
	char bin[4096], server[300], *args = NULL, *argv[64];
	const char *slash;
	int n = 0, r;

	if (cfg->agent[0])
		snprintf(bin, sizeof(bin), "%s", cfg->agent);
	else if ((slash = strrchr(argv0, '/')) != NULL)
		snprintf(bin, sizeof(bin), "%.*s/sekisho-agent",
		    (int)(slash - argv0), argv0);
	else
		snprintf(bin, sizeof(bin), "./sekisho-agent");
	if (geteuid() != 0) {
		log_error("--all-in-one: the agent needs root (running as uid %u)",
		    (unsigned)geteuid());
		return -1;
	}
	snprintf(server, sizeof(server), "http://%s:%u", host, port);
	argv[n++] = bin;
	argv[n++] = (char *)"--server";
	argv[n++] = server;
	argv[n++] = (char *)"--credentials";
	argv[n++] = (char *)cred;
	argv[n++] = (char *)"--host-id";
	argv[n++] = (char *)host_id;
	argv[n++] = (char *)"--exit-with-parent";
	if ((args = strdup(cfg->agent_args)) == NULL)
		return -1;
	for (char *t = strtok(args, " "); t && n < 62; t = strtok(NULL, " "))
		argv[n++] = t;
	argv[n] = NULL;
	r = proc_spawn(argv, pid);
	if (r < 0)
		log_error("cannot start %s", bin);
	else
		log_info("started the host agent %s (pid %d)", bin, (int)*pid);
	free(args);
	return r;
}

int
main(int argc, char **argv)
{
	struct sekishod_cfg cfg;
	struct api_config ac;
	struct http_opts ho;
	struct store_opts so;
	struct store *st = NULL;
	struct api *api = NULL;
	struct http_server *srv = NULL;
	struct boot_result br;
	char host[256], dbpath[4096], agent_path[4200], *regions = NULL;
	pid_t agent_pid = 0;
	enum log_level lv;
	sigset_t sigs;
	long threads;
	int sig, r, rc = 1;

	if (argc > 1 && strcmp(argv[1], "account") == 0)
		return account_main(argc - 1, argv + 1);
	if (parse_flags(argc, argv, &cfg) < 0) {
		usage(stderr);
		return 2;
	}
	regions = strdup(cfg.regions);
	if (log_level_parse(cfg.log_level, &lv) < 0 ||
	    split_listen(cfg.listen, host, sizeof(host), &ho.port) < 0 ||
	    parse_uint(cfg.threads, 1, 256, &threads) < 0 ||
	    (strcmp(cfg.sync, "full") != 0 && strcmp(cfg.sync, "normal") != 0) ||
	    regions == NULL || config_api(&cfg, &ac, regions) < 0) {
		fprintf(stderr, "sekishod: invalid option value (see --help)\n");
		free(regions);
		return 2;
	}
	log_set_level(lv);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (mkdir(cfg.data_dir, 0700) < 0 && errno != EEXIST) {
		log_error("cannot create %s: %s", cfg.data_dir, strerror(errno));
		goto out;
	}
	snprintf(dbpath, sizeof(dbpath), "%s/sekisho.db", cfg.data_dir);
	so.path = dbpath;
	so.sync_full = strcmp(cfg.sync, "full") == 0;
	umask(077);
	if ((r = store_open(&so, &st)) < 0) {
		log_error("cannot open store %s (%s)", dbpath, err_name(r));
		goto out;
	}
	if ((r = boot_root(st, cfg.data_dir, getenv("SEKISHO_ROOT_ACCESS_KEY_ID"),
	    getenv("SEKISHO_ROOT_ACCESS_KEY_SECRET"), tm_now(), &br)) < 0) {
		log_error("cannot create the root account (%s)", err_name(r));
		goto out;
	}
	if ((r = boot_agent(st, cfg.data_dir, ac.host_id, tm_now(), agent_path,
	    sizeof(agent_path))) < 0) {
		log_error("cannot create the agent key (%s)", err_name(r));
		goto out;
	}
	if ((r = api_new(st, &ac, &api)) < 0)
		goto out;
	ho.host = host;
	ho.threads = (unsigned)threads;
	ho.max_body = ac.max_body;
	if ((r = http_start(api, &ho, &srv)) < 0) {
		log_error("cannot listen on %s", cfg.listen);
		goto out;
	}
	if (cfg.port_file[0]) {
		FILE *f = fopen(cfg.port_file, "w");

		if (f == NULL) {
			log_error("cannot write %s", cfg.port_file);
			goto out;
		}
		fprintf(f, "%u\n", http_port(srv));
		fclose(f);
	}
	log_info("sekishod listening on http://%s:%u (account %s, store %s)",
	    host, http_port(srv), br.account, dbpath);
	if (br.generated)
		log_info("root credentials written to %s (mode 0600)", br.cred_path);
	else if (getenv("SEKISHO_ROOT_ACCESS_KEY_ID"))
		log_info("root AccessKeyId taken from SEKISHO_ROOT_ACCESS_KEY_ID");
	else
		log_info("root credentials: %s/root-credentials.json", cfg.data_dir);
	log_info("agent credentials for host %s: %s (mode 0600)", ac.host_id,
	    agent_path);
	if (strcmp(cfg.all_in_one, "1") == 0 &&
	    start_agent(&cfg, argv[0], http_port(srv), host, agent_path,
	    ac.host_id, &agent_pid) < 0)
		goto out;
	if (cfg.user[0]) {
		if (proc_drop_to(cfg.user, cfg.data_dir) < 0) {
			log_error("cannot drop privileges to user %s", cfg.user);
			goto out;
		}
		log_info("running as %s; the agent keeps root", cfg.user);
	}
	for (;;) {
		struct timespec tick = { 1, 0 };
		int status;

		sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT)
			break;
		if (agent_pid > 0 && proc_exited(agent_pid, &status)) {
			log_error("the agent exited (status %d): traffic is no "
			    "longer enforced", status);
			agent_pid = 0;
		}
	}
	log_info("signal %d: shutting down", sig);
	rc = 0;
out:
	proc_stop(agent_pid, 5000);
	http_stop(srv);
	api_free(api);
	store_close(st);
	free(regions);
	return rc;
}
