/*
 * cli_req: one signed OpenAPI request, built and sent — the part of the
 * CLI that other programs call too (the host agent signs its calls with
 * it). cli_int.h is the CLI's private header; this one is public.
 */
#ifndef SEKISHO_CLI_REQ_H
#define SEKISHO_CLI_REQ_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>

#include "lib/prm.h"
#include "lib/sb.h"

/* Where and as whom (cli_cfg.c). */
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

void cli_cfg_clear(struct cli_cred *c);
/* "http://h:p" / "h:p" / "https://h/" -> endpoint and host; -ERR_INVALID_PARAMETER. */
int cli_cfg_endpoint(const char *in, struct cli_cred *out, struct sb *why);

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

#endif
