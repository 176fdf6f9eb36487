/*
 * cli_call: `sekisho <product> <Action> [--Name value]...` — resolve the
 * credentials, sign, send, print — and the session (cli_sess_*) the
 * resource commands make their calls through: the same resolution,
 * signing and sending, the answers parsed for them instead of printed.
 *
 * Success (HTTP 2xx): the JSON body re-indented (2 spaces) on stdout, the
 * server's text kept byte for byte (key order, number spelling). Error:
 * "Code: Message (RequestId)" on stderr, with --json the body on stdout
 * too, exit 1. No usable answer: exit 2.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli/cli_int.h"
#include "lib/err.h"
#include "lib/pct.h"
#include "lib/rnd.h"
#include "lib/tm.h"

void
cli_call_usage(const struct cli_product *p, FILE *f)
{
	fprintf(f, "usage: sekisho %s <Action> [--Name value]... [options]\n",
	    p ? p->name : "<product>");
	if (p)
		fprintf(f, "%s, API version %s.\n", p->title, p->version);
	fprintf(f, "Parameters as in the API reference, e.g.\n"
	    "  sekisho %s %s --RegionId cn-hangzhou\n"
	    "Lists: --SecurityGroupIds.1 sg-1 --SecurityGroupIds.2 sg-2; "
	    "objects: --Tag.1.Key env.\n"
	    "Options: sekisho --help.\n", p ? p->name : "ecs",
	    p && strcmp(p->name, "ecs") != 0 ? "<Action>" : "DescribeZones");
}

/* Re-indents valid JSON text; strings and numbers are copied verbatim. */
static void
cli_call_pretty(const char *s, size_t n, FILE *f)
{
	int depth = 0, in_str = 0, esc = 0;

	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		size_t j;

		if (in_str) {
			fputc(ch, f);
			if (esc)
				esc = 0;
			else if (ch == '\\')
				esc = 1;
			else if (ch == '"')
				in_str = 0;
			continue;
		}
		switch (ch) {
		case ' ': case '\t': case '\n': case '\r':
			break;
		case '"':
			in_str = 1;
			fputc(ch, f);
			break;
		case '{': case '[':
			for (j = i + 1; j < n && strchr(" \t\r\n", s[j]); j++)
				;
			fputc(ch, f);
			if (j < n && (s[j] == '}' || s[j] == ']')) {
				fputc(s[j], f);
				i = j;
				break;
			}
			fprintf(f, "\n%*s", 2 * ++depth, "");
			break;
		case '}': case ']':
			fprintf(f, "\n%*s%c", 2 * --depth, "", ch);
			break;
		case ',':
			fprintf(f, ",\n%*s", 2 * depth, "");
			break;
		case ':':
			fputs(": ", f);
			break;
		default:
			fputc(ch, f);
		}
	}
	fputc('\n', f);
}

/* Prints s on stderr with control characters (but newlines) neutralised. */
static void
cli_call_safe(const char *s, size_t max)
{
	for (size_t i = 0; s[i] && i < max; i++)
		fputc((unsigned char)s[i] < 0x20 && s[i] != '\n' ? '?' : s[i],
		    stderr);
}

/*
 * Replaces our own SecurityToken in body, as is and percent-encoded once
 * and twice: a V1 SignatureDoesNotMatch message echoes the server's string
 * to sign, which holds every parameter (COMPAT: Alibaba does the same).
 */
static int
cli_call_redact(struct sb *body, const char *token)
{
	struct sb needles[3] = { SB_INIT, SB_INIT, SB_INIT }, out = SB_INIT;
	const char *p;
	int r = -ERR_NOMEM;

	if (token[0] == '\0' || body->len == 0)
		return 0;
	sb_adds(&needles[0], token);
	pct_encode(&needles[1], token, strlen(token));
	pct_encode(&needles[2], sb_str(&needles[1]), needles[1].len);
	for (p = sb_str(body); *p; ) {
		int hit = 0;

		for (int i = 2; i >= 0 && !hit; i--)	/* longest first */
			if (strncmp(p, sb_str(&needles[i]), needles[i].len) == 0) {
				sb_adds(&out, "REDACTED");
				p += needles[i].len;
				hit = 1;
			}
		if (!hit)
			sb_addc(&out, *p++);
	}
	if (sb_ok(&out) < 0 || sb_ok(&needles[2]) < 0)
		goto out;
	sb_free(body);
	*body = out;
	out = (struct sb)SB_INIT;
	r = 0;
out:
	for (int i = 0; i < 3; i++)
		sb_free(&needles[i]);
	sb_free(&out);
	return r;
}

static const char *
cli_call_field(json_t *o, const char *a, const char *b)
{
	const char *v = json_string_value(json_object_get(o, a));

	return v ? v : json_string_value(json_object_get(o, b));
}

/* An error answer (o: its parsed body or NULL): "Code: Message (RequestId)"
 * on stderr. Returns CLI_EXIT_API. */
static int
cli_call_error(const struct cli_resp *resp, json_t *o)
{
	const char *code, *msg, *rid;

	if (!json_is_object(o)) {
		fprintf(stderr, "sekisho: HTTP %ld: ", resp->status);
		cli_call_safe(sb_str(&resp->body), 200);
		fputc('\n', stderr);
		return CLI_EXIT_API;
	}
	code = cli_call_field(o, "Code", "code");
	msg = cli_call_field(o, "Message", "message");
	rid = cli_call_field(o, "RequestId", "requestId");
	if (code)
		cli_call_safe(code, 200);
	else
		fprintf(stderr, "HTTP %ld", resp->status);
	fputs(": ", stderr);
	cli_call_safe(msg ? msg : "", 4096);
	fputs(" (", stderr);
	cli_call_safe(rid ? rid : "no RequestId", 200);
	fputs(")\n", stderr);
	return CLI_EXIT_API;
}

static int
cli_call_render(const struct cli_resp *resp, int json_on_error)
{
	const char *body = sb_str(&resp->body);
	json_t *o;
	int rc;

	/* integers as reals: validation only, so huge numbers still pass */
	o = json_loadb(body, resp->body.len, JSON_DECODE_INT_AS_REAL, NULL);
	if (resp->status >= 200 && resp->status < 300) {
		if (o == NULL) {
			fprintf(stderr, "sekisho: HTTP %ld with a body that is "
			    "not JSON: ", resp->status);
			cli_call_safe(body, 200);
			fputc('\n', stderr);
			rc = CLI_EXIT_NET;
			goto out;
		}
		cli_call_pretty(body, resp->body.len, stdout);
		rc = CLI_EXIT_OK;
		goto out;
	}
	rc = cli_call_error(resp, o);
	if (json_on_error && json_is_object(o))
		cli_call_pretty(body, resp->body.len, stdout);
out:
	json_decref(o);
	return rc;
}

/* Checks the command line; fills action and version. */
static int
cli_call_args(struct cli_ctx *ctx, const struct cli_product *p,
    const char **action, const char **version, struct sb *why)
{
	const struct cli_opts *o = &ctx->o;

	if (ctx->nwords < 2)
		return sb_addf(why, "which action? (sekisho %s --help)",
		    ctx->words[0]), -ERR_MISSING_PARAMETER;
	if (ctx->nwords > 2)
		return sb_addf(why, "unexpected '%s' (API parameters are written "
		    "--Name value)", ctx->words[2]), -ERR_INVALID_PARAMETER;
	*action = ctx->words[1];
	*version = o->version_override ? o->version_override : p->version;
	if ((*action)[strspn(*action, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
	    "klmnopqrstuvwxyz0123456789")] != '\0')
		return sb_addf(why, "'%s' is not an action name", *action),
		    -ERR_INVALID_PARAMETER;
	if ((*version)[0] == '\0' || (*version)[strspn(*version,
	    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_")])
		return sb_addf(why, "'%s' is not an API version", *version),
		    -ERR_INVALID_PARAMETER;
	return 0;
}

static void
cli_call_verbose(const struct cli_cred *c)
{
	fprintf(stderr, "sekisho: endpoint %s (from %s)\n", c->endpoint,
	    c->endpoint_src);
	fprintf(stderr, "sekisho: AccessKeyId %s%s (from %s)\n", c->akid,
	    c->token[0] ? " with a SecurityToken" : "", c->key_src);
}

/* Global options a session needs, checked once: --sig and --timeout. */
static int
cli_sess_open(struct cli_sess *s, struct sb *why)
{
	const struct cli_opts *o = &s->ctx->o;
	char *end;

	if (o->sig && strcmp(o->sig, "v1") != 0 && strcmp(o->sig, "v3") != 0)
		return sb_addf(why, "--sig takes v3 or v1, not '%s'", o->sig),
		    CLI_EXIT_USAGE;
	s->v1 = o->sig && strcmp(o->sig, "v1") == 0;
	s->timeout = CLI_DEFAULT_TIMEOUT;
	if (o->timeout) {
		errno = 0;
		s->timeout = strtol(o->timeout, &end, 10);
		if (errno || *end || end == o->timeout || s->timeout < 1 ||
		    s->timeout > 3600)
			return sb_addf(why, "--timeout takes 1..3600 seconds"),
			    CLI_EXIT_USAGE;
	}
	if (cli_cfg_resolve(o, 1, &s->cred, why) < 0)
		return CLI_EXIT_CONFIG;
	if (s->cred.warning[0])
		fprintf(stderr, "sekisho: warning: %s\n", s->cred.warning);
	if (o->verbose)
		cli_call_verbose(&s->cred);
	s->opened = 1;
	return CLI_EXIT_OK;
}

/*
 * One exchange: sign params for action/version and send them. OK with
 * resp filled (any HTTP status; status 0 after --dry-run printed the
 * request); otherwise the reason is printed and the exit status returned.
 */
static int
cli_sess_send(struct cli_sess *s, const char *action, const char *version,
    const struct prm_list *params, struct cli_resp *resp)
{
	const struct cli_opts *o = &s->ctx->o;
	struct cli_req req;
	struct cli_req_in in;
	struct sb why = SB_INIT;
	char nonce[40];
	int rc = CLI_EXIT_USAGE;

	memset(&req, 0, sizeof(req));
	memset(&in, 0, sizeof(in));
	if (!s->opened && (rc = cli_sess_open(s, &why)) != CLI_EXIT_OK)
		goto out;
	rc = CLI_EXIT_USAGE;
	in.cred = &s->cred;
	in.action = action;
	in.version = version;
	in.v1 = s->v1;
	in.params = params;
	in.now = tm_now();
	in.nonce = nonce;
	if (s->nomem || rnd_chars("0123456789abcdef", 32, nonce,
	    sizeof(nonce)) < 0 || cli_req_build(&in, &req, &why) < 0)
		goto out;
	rc = CLI_EXIT_OK;
	if (o->dry_run) {
		cli_req_print(&req, stdout, 1);
		goto out;
	}
	if (o->verbose)
		cli_req_print(&req, stderr, 0);
	if (cli_http_send(&req, s->timeout, resp, &why) < 0) {
		fprintf(stderr, "sekisho: cannot call %s: %s\n",
		    s->cred.endpoint, sb_str(&why));
		sb_reset(&why);
		rc = CLI_EXIT_NET;
		goto out;
	}
	if (o->verbose) {
		struct timespec ts;

		/* When the answer arrived, for timing enforcement after it
		 * (bench/dp_bench.sh): the process exit comes later. */
		clock_gettime(CLOCK_REALTIME, &ts);
		fprintf(stderr, "sekisho: HTTP %ld, %zu bytes, received at "
		    "%lld.%06ld\n", resp->status, resp->body.len,
		    (long long)ts.tv_sec, ts.tv_nsec / 1000);
	}
	if (cli_call_redact(&resp->body, s->cred.token) < 0)
		rc = CLI_EXIT_NET;
out:
	if (rc != CLI_EXIT_OK)
		fprintf(stderr, "sekisho: %s\n", why.len ? sb_str(&why) :
		    "out of memory");
	cli_req_free(&req);
	sb_free(&why);
	return rc;
}

void
cli_sess_init(struct cli_sess *s, struct cli_ctx *ctx)
{
	memset(s, 0, sizeof(*s));
	s->ctx = ctx;
	prm_init(&s->params);
	s->bodies = (struct sb)SB_INIT;
}

void
cli_sess_set(struct cli_sess *s, const char *key, const char *val)
{
	if (val && val[0] && prm_add(&s->params, key, strlen(key), val,
	    strlen(val)) < 0)
		s->nomem = 1;
}

void
cli_sess_setf(struct cli_sess *s, const char *val, const char *kfmt, ...)
{
	char key[128];
	va_list ap;

	va_start(ap, kfmt);
	vsnprintf(key, sizeof(key), kfmt, ap);
	va_end(ap);
	cli_sess_set(s, key, val);
}

int
cli_sess_call(struct cli_sess *s, const char *product, const char *action)
{
	const struct cli_product *p = cli_prod_find(product);
	struct cli_resp resp = { 0, SB_INIT };
	json_t *o = NULL;
	int rc;

	json_decref(s->last);
	s->last = NULL;
	rc = cli_sess_send(s, action, p->version, &s->params, &resp);
	prm_free(&s->params);
	prm_init(&s->params);
	if (rc != CLI_EXIT_OK)
		goto out;
	if (s->ctx->o.dry_run) {
		s->last = json_object();
		goto out;
	}
	o = json_loadb(sb_str(&resp.body), resp.body.len, 0, NULL);
	if (json_is_object(o) && s->ctx->o.json) {
		if (s->bodies.len)
			sb_adds(&s->bodies, ", ");
		sb_addn(&s->bodies, resp.body.p, resp.body.len);
	}
	if (resp.status < 200 || resp.status > 299)
		rc = cli_call_error(&resp, o);
	else if (!json_is_object(o)) {
		fprintf(stderr, "sekisho: HTTP %ld with a body that is not a "
		    "JSON object: ", resp.status);
		cli_call_safe(sb_str(&resp.body), 200);
		fputc('\n', stderr);
		rc = CLI_EXIT_NET;
	} else {
		s->last = o;
		o = NULL;
	}
out:
	json_decref(o);
	cli_resp_free(&resp);
	return rc;
}

int
cli_sess_quiet(const struct cli_sess *s)
{
	return s->ctx->o.json || s->ctx->o.dry_run;
}

static void
cli_sess_free(struct cli_sess *s)
{
	cli_cfg_clear(&s->cred);
	prm_free(&s->params);
	json_decref(s->last);
	s->last = NULL;
	sb_free(&s->bodies);
}

int
cli_sess_end(struct cli_sess *s, int rc)
{
	struct sb all = SB_INIT;

	if (s->ctx->o.json && !s->ctx->o.dry_run) {
		sb_addf(&all, "[%s]", sb_str(&s->bodies));
		if (sb_ok(&all) == 0 && sb_ok(&s->bodies) == 0)
			cli_call_pretty(sb_str(&all), all.len, stdout);
		else
			s->nomem = 1;
	}
	sb_free(&all);
	if (s->nomem && rc == CLI_EXIT_OK)
		rc = CLI_EXIT_USAGE;
	cli_sess_free(s);
	return rc;
}

int
cli_call(struct cli_ctx *ctx)
{
	static const struct cli_product override = { "", "", "" };
	const struct cli_product *p = cli_prod_find(ctx->words[0]);
	struct cli_sess s;
	struct cli_resp resp = { 0, SB_INIT };
	struct sb why = SB_INIT;
	const char *action, *version;
	int rc = CLI_EXIT_USAGE;

	cli_sess_init(&s, ctx);
	if (ctx->o.help) {
		cli_call_usage(p, stdout);
		rc = CLI_EXIT_OK;
		goto out;
	}
	if (p == NULL && ctx->o.version_override == NULL) {
		sb_addf(&why, "'%s' is neither a command nor a product (sekisho "
		    "--help lists them; --version-override calls any product)",
		    ctx->words[0]);
		goto out;
	}
	if (cli_call_args(ctx, p ? p : &override, &action, &version,
	    &why) < 0)
		goto out;
	rc = cli_sess_send(&s, action, version, &ctx->params, &resp);
	if (rc == CLI_EXIT_OK && !ctx->o.dry_run)
		rc = cli_call_render(&resp, ctx->o.json);
out:
	if (rc != CLI_EXIT_OK && why.len)
		fprintf(stderr, "sekisho: %s\n", sb_str(&why));
	cli_sess_free(&s);
	cli_resp_free(&resp);
	sb_free(&why);
	return rc;
}
