/*
 * cli_int: what the files of the cli module share.
 *
 *   cli.c       argv -> struct cli_ctx, the subcommand table, usage
 *   cli_prod.c  product -> API version table
 *   cli_cfg.c   endpoint/AccessKey resolution, the profile, `configure`
 *   cli_req.c   one signed request (V3 or V1), pure: no I/O, no clock
 *   cli_http.c  libcurl transport
 *   cli_call.c  the generic `<product> <Action>` command and its output;
 *               the session (struct cli_sess) every command calls through
 *   cli_table.c aligned text tables, JSON field access, paged listing
 *   cli_sg.c    `sg create|authorize|revoke|list|show|delete`
 *   cli_net.c   `vpc create|list`, `vswitch create|list`,
 *               `instance run|list`
 *   cli_eng.c   `explain`, `rules`, `reach`, `analyze` (the engine)
 *
 * Helpers return 0 or -ERR_x with a human-readable reason appended to a
 * caller's sb (never printed from here); only the commands (struct cli_cmd
 * .run, struct cli_verb .run) and the session they call through
 * (cli_sess_*, which reports API errors as "Code: Message (RequestId)")
 * print, and they return a process exit status (CLI_EXIT_x).
 * Secrets (AccessKeySecret, SecurityToken) are never printed, logged or
 * passed to another process.
 */
#ifndef SEKISHO_CLI_INT_H
#define SEKISHO_CLI_INT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "cli/cli.h"
#include "cli/cli_req.h"
#include "lib/prm.h"
#include "lib/sb.h"

#define CLI_DEFAULT_ENDPOINT	"http://127.0.0.1:8080"
#define CLI_DEFAULT_TIMEOUT	30	/* seconds */
#define CLI_MAX_RESPONSE	(64u << 20)	/* bytes */

/*
 * Global options, defined once: the parser, --help and the docs come from
 * these lists. Options start with "--" and a lower-case letter; anything
 * "--" + upper-case is an API parameter (as in the aliyun CLI).
 * X(field, flag, metavar, help)
 */
#define CLI_OPTS(X) \
	X(endpoint, "--endpoint", "URL", \
	    "API endpoint (default " CLI_DEFAULT_ENDPOINT ")") \
	X(akid, "--access-key-id", "ID", "AccessKey id") \
	X(secret, "--access-key-secret", "SECRET", \
	    "AccessKey secret; '-' reads it from stdin (keeps it out of ps)") \
	X(token, "--security-token", "TOKEN", "STS SecurityToken") \
	X(profile_file, "--profile-file", "PATH", \
	    "profile (default $SEKISHO_CONFIG, else ~/.sekisho/config.json)") \
	X(cred_file, "--credentials-file", "FILE", \
	    "the server's root-credentials.json, used when nothing else gives a key") \
	X(sig, "--sig", "v3|v1", \
	    "v3: ACS3-HMAC-SHA256, POST (default); v1: HMAC-SHA1, GET") \
	X(version_override, "--version-override", "VERSION", \
	    "API version to send instead of the product's") \
	X(timeout, "--timeout", "SECONDS", "give up after SECONDS (default 30)")

/* X(field, flag, help) — switches, no value. */
#define CLI_SWITCHES(X) \
	X(json, "--json", "on an API error also print the error body on stdout") \
	X(dry_run, "--dry-run", "print the signed request instead of sending it") \
	X(verbose, "--verbose", "say on stderr which endpoint and key are used") \
	X(help, "--help", "usage; after a product or subcommand, its usage")

/*
 * Options of the resource commands (sg, vpc, vswitch, instance): lower-case
 * like the global ones, parsed everywhere (context-free) into
 * cli_ctx.copts under their name without "--"; a verb accepts those its
 * synopsis names (cli_verb.args) and nothing else. meta NULL: a switch.
 * X(name, meta, repeat, help)
 */
#define CLI_COPTS(X) \
	X("region", "REGION", 0, "region id, e.g. cn-hangzhou") \
	X("vpc", "VPC_ID", 0, "VPC id") \
	X("vswitch", "VSW_ID", 0, "vSwitch id") \
	X("zone", "ZONE", 0, "zone id, e.g. cn-hangzhou-b") \
	X("sg", "SG_ID", 1, "a security group of the instance (repeatable)") \
	X("name", "NAME", 0, "name of the new resource") \
	X("description", "TEXT", 0, "description (of a rule for authorize)") \
	X("type", "TYPE", 0, \
	    "group type normal|enterprise; instance type for instance run") \
	X("image", "IMAGE_ID", 0, "image of the instance") \
	X("template", "NAME", 0, \
	    "web-server-linux|web-server-windows|custom") \
	X("quick", "NAME[,NAME]", 1, "ssh telnet http https mssql oracle " \
	    "mysql rdp postgresql redis (TCP; repeatable)") \
	X("protocol", "PROTO", 0, "tcp|udp|icmp|icmpv6|gre|all") \
	X("port", "PORT[/END]", 0, "destination port or range (tcp, udp)") \
	X("cidr", "CIDR", 0, \
	    "peer address block of a rule; address block of a VPC or vSwitch") \
	X("group", "SG_ID", 0, "peer security group of a rule") \
	X("group-owner", "ACCOUNT", 0, "account owning --group (id or name)") \
	X("egress", NULL, 0, "an outbound rule (default: inbound)") \
	X("policy", "accept|drop", 0, "rule policy (default accept)") \
	X("priority", "1-100", 0, "rule priority, 1 wins (default 1)") \
	X("rule-id", "SGR_ID", 1, "a rule to revoke (repeatable)") \
	X("from", "I|ENI|IP", 0, "sender: instance, ENI or address") \
	X("to", "I|ENI|IP", 0, "receiver: instance, ENI or address") \
	X("tcp", "PORT", 0, "a TCP packet to PORT") \
	X("udp", "PORT", 0, "a UDP packet to PORT") \
	X("icmp", NULL, 0, "an ICMP packet") \
	X("sport", "PORT", 0, "source port (default 40000)") \
	X("state", "STATE", 0, "new|established|related|invalid") \
	X("ingress", NULL, 0, "inbound rules only") \
	X("revision", "N", 0, "store revision to wait for (default: the current)") \
	X("seconds", "S", 0, "give up after S seconds (default 60)")

struct cli_opts {
#define X(field, flag, meta, help) const char *field;
	CLI_OPTS(X)
#undef X
#define X(field, flag, help) int field;
	CLI_SWITCHES(X)
#undef X
};

/* A parsed command line. Strings point into argv except params' copies. */
struct cli_ctx {
	struct cli_opts o;
	char **words;			/* positional words, in order */
	size_t nwords;
	struct prm_list params;		/* --Name value pairs, in order */
	struct prm_list copts;		/* command options (CLI_COPTS), in
					   order: name -> value ("" switch) */
};

struct cli_verb;

/* A subcommand: run() returns the process exit status. */
struct cli_cmd {
	const char *name;
	const char *synopsis;		/* arguments, for usage */
	const char *help;		/* one line */
	int (*run)(struct cli_ctx *ctx);
	/* Resource commands: their verbs (run is then cli_verb_main). */
	const struct cli_verb *verbs;
	int copts;	/* a command without verbs that takes command options */
};

/* cli.c */
/* A command option's value (the first), "" for a given switch; NULL. */
const char *cli_opt(const struct cli_ctx *ctx, const char *name);
/* `sekisho <cmd> <verb> ...` for a command with verbs; a product's
 * command without a verb word (vpc CreateVpc) goes to cli_call. */
int cli_verb_main(struct cli_ctx *ctx);

/* cli_prod.c */
struct cli_product {
	const char *name;		/* command-line word, e.g. "ecs" */
	const char *version;		/* OpenAPI version, e.g. "2014-05-26" */
	const char *title;
};
extern const struct cli_product cli_products[];	/* NULL-name terminated */
/* Case-insensitive lookup; NULL if unknown. */
const struct cli_product *cli_prod_find(const char *name);

/* cli_cfg.c (struct cli_cred: cli_req.h) */
/*
 * Fills out from flags > environment > profile > --credentials-file, the
 * endpoint and the key pair each from the first source that has them (a
 * key pair and its token always come from one source). need_key: fail
 * when no source gives a key. Returns 0, -ERR_MISSING_PARAMETER (nothing
 * usable) or -ERR_INVALID_PARAMETER (a bad file or value); why says which.
 * Call cli_cfg_clear() on out afterwards (also after a failure).
 */
int cli_cfg_resolve(const struct cli_opts *o, int need_key,
    struct cli_cred *out, struct sb *why);
int cli_cfg_configure(struct cli_ctx *ctx);

/* cli_call.c */
int cli_call(struct cli_ctx *ctx);
void cli_call_usage(const struct cli_product *p, FILE *f);

/*
 * A session: what one command needs for any number of calls. Credentials
 * are resolved at the first call (so usage errors come first); each call
 * sends the parameters set since the previous one. With --json the raw
 * answers are kept and cli_sess_end() prints them as one JSON array, in
 * call order (error answers included); with --dry-run every request is
 * printed, not sent, and answers are empty objects.
 */
struct cli_sess {
	struct cli_ctx *ctx;
	const char *id;			/* the verb's positional id, or NULL */
	int opened;			/* credentials resolved */
	int v1;
	long timeout;
	int nomem;			/* a parameter could not be stored */
	struct cli_cred cred;
	struct prm_list params;		/* the next call's API parameters */
	json_t *last;			/* the last answer (a JSON object) */
	struct sb bodies;		/* --json: the raw answers, ", "-joined */
};

void cli_sess_init(struct cli_sess *s, struct cli_ctx *ctx);
/* Sets an API parameter of the next call; NULL or "" val: not sent. */
void cli_sess_set(struct cli_sess *s, const char *key, const char *val);
void cli_sess_setf(struct cli_sess *s, const char *val, const char *kfmt,
    ...) __attribute__((format(printf, 3, 4)));
/*
 * Calls product's action with the parameters set, then clears them.
 * CLI_EXIT_OK: s->last is the answer (owned by s, valid until the next
 * call). Otherwise the reason is printed on stderr and the exit status
 * returned (API error 1, no answer 2, usage 64, credentials 78).
 */
int cli_sess_call(struct cli_sess *s, const char *product,
    const char *action);
/* With --json prints the answers; frees s; returns rc. */
int cli_sess_end(struct cli_sess *s, int rc);
/* 1 when human-readable output is off (--json or --dry-run). */
int cli_sess_quiet(const struct cli_sess *s);

/* cli_table.c */
struct cli_tab {
	size_t ncol;
	size_t ncell;			/* cells so far, header included */
	size_t cap;
	char **cell;			/* row-major, owned */
	int nomem;
};

/* Starts a table with ncol columns and its header row (ncol strings). */
void cli_tab_init(struct cli_tab *t, size_t ncol, const char *const *head);
/* Appends one cell (copied; NULL or "" shows as "-"), row by row. */
void cli_tab_add(struct cli_tab *t, const char *cell);
void cli_tab_addf(struct cli_tab *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Prints the rows, columns aligned two spaces apart; frees t. */
void cli_tab_print(struct cli_tab *t, FILE *f);
void cli_tab_free(struct cli_tab *t);

/*
 * The value at a dotted path ("VpcAttributes.VSwitchId") as text: strings
 * as they are, integers and booleans formatted into buf (>= 32 bytes);
 * "" when absent. The result lives as long as o and buf.
 */
const char *cli_js(const json_t *o, const char *path, char *buf);
/*
 * Calls action page by page (MaxResults/NextToken, or PageNumber/PageSize
 * when by_page) and appends every element of the answer's list.item array
 * to items. base: parameters sent with every page (key, value pairs,
 * NULL-terminated; NULL/"" values skipped). Returns a CLI_EXIT_x status.
 */
int cli_sess_list(struct cli_sess *s, const char *product, const char *action,
    int by_page, const char *const *base, const char *list, const char *item,
    json_t *items);

/* cli_sg.c, cli_net.c: the verb tables of the resource commands. */
struct cli_verb {
	const char *name;		/* "create" */
	const char *args;		/* synopsis; names every option taken */
	const char *help;		/* one line */
	const char *need;		/* required options, space-separated */
	int nid;			/* positional ids after the verb: 0 or 1 */
	int (*run)(struct cli_sess *s);
};
extern const struct cli_verb cli_sg_verbs[];	/* NULL-name terminated */
extern const struct cli_verb cli_vpc_verbs[];
extern const struct cli_verb cli_vsw_verbs[];
extern const struct cli_verb cli_inst_verbs[];

/* cli_wait.c: waits until host agents have enforced a revision. */
int cli_wait_main(struct cli_ctx *ctx);

/* cli_eng.c: explain, rules, reach, analyze (one row each). */
extern const struct cli_verb cli_eng_verbs[];
int cli_eng_main(struct cli_ctx *ctx);

#endif
