/*
 * cli_int: what the files of the cli module share.
 *
 *   cli.c       argv -> struct cli_ctx, the subcommand table, usage
 *   cli_prod.c  product -> API version table
 *   cli_cfg.c   endpoint/AccessKey resolution, the profile, `configure`
 *   cli_req.c   one signed request (V3 or V1), pure: no I/O, no clock
 *   cli_http.c  libcurl transport
 *   cli_call.c  the generic `<product> <Action>` command and its output
 *
 * Helpers return 0 or -ERR_x with a human-readable reason appended to a
 * caller's sb (never printed from here); only the commands (struct cli_cmd
 * .run) print, and they return a process exit status (CLI_EXIT_x).
 * Secrets (AccessKeySecret, SecurityToken) are never printed, logged or
 * passed to another process.
 */
#ifndef SEKISHO_CLI_INT_H
#define SEKISHO_CLI_INT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cli/cli.h"
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
};

/* A subcommand: run() returns the process exit status. */
struct cli_cmd {
	const char *name;
	const char *synopsis;		/* arguments, for usage */
	const char *help;		/* one line */
	int (*run)(struct cli_ctx *ctx);
};

/* cli_prod.c */
struct cli_product {
	const char *name;		/* command-line word, e.g. "ecs" */
	const char *version;		/* OpenAPI version, e.g. "2014-05-26" */
	const char *title;
};
extern const struct cli_product cli_products[];	/* NULL-name terminated */
/* Case-insensitive lookup; NULL if unknown. */
const struct cli_product *cli_prod_find(const char *name);

/* cli_cfg.c */
struct cli_cred {
	char endpoint[1024];		/* "http[s]://authority", no slash */
	char host[512];			/* authority: the signed host header */
	char akid[256];
	char secret[256];
	char token[8192];		/* "" unless STS */
	char endpoint_src[PATH_MAX + 64];	/* where each came from (--verbose) */
	char key_src[PATH_MAX + 64];
	char warning[PATH_MAX + 128];		/* e.g. a profile readable by others */
};

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
void cli_cfg_clear(struct cli_cred *c);
/* "http://h:p" / "h:p" / "https://h/" -> endpoint and host; -ERR_INVALID_PARAMETER. */
int cli_cfg_endpoint(const char *in, struct cli_cred *out, struct sb *why);
int cli_cfg_configure(struct cli_ctx *ctx);

/* cli_req.c */
struct cli_req_in {
	const struct cli_cred *cred;
	const char *action;
	const char *version;
	int v1;				/* V1 GET instead of V3 POST */
	const struct prm_list *params;	/* the API parameters */
	int64_t now;			/* Unix seconds, for the date */
	const char *nonce;		/* unique per request */
};

struct cli_req {
	const char *method;		/* "POST" or "GET" */
	char *url;			/* owned */
	struct prm_list headers;	/* lower-case names, sorted; owned */
};

/*
 * Builds and signs one request. -ERR_INVALID_PARAMETER when a parameter
 * name is one the protocol reserves (why names it); -ERR_NOMEM.
 * cli_req_free() is NULL-safe and idempotent.
 */
int cli_req_build(const struct cli_req_in *in, struct cli_req *out,
    struct sb *why);
void cli_req_free(struct cli_req *r);
/* Prints "METHOD URL" and the headers, the SecurityToken redacted. */
void cli_req_print(const struct cli_req *r, FILE *f, int with_headers);

/* cli_http.c */
struct cli_resp {
	long status;
	struct sb body;
};

/* Sends r; 0 with any HTTP status, or -ERR_SERVICE_UNAVAILABLE (why says). */
int cli_http_send(const struct cli_req *r, long timeout_s,
    struct cli_resp *out, struct sb *why);
void cli_resp_free(struct cli_resp *r);

/* cli_call.c */
int cli_call(struct cli_ctx *ctx);
void cli_call_usage(const struct cli_product *p, FILE *f);

#endif
