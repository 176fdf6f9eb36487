/*
 * cli_wait: `sekisho wait` — polls DescribeEnforcementStatus until every
 * host agent reports an AppliedRevision at or past the one asked for (a
 * write's x-sekisho-revision, or by default the revision current when the
 * command starts: "everything done so far"). Exit 0 when enforced, 1 when
 * the time runs out or no agent has ever reported, as for API errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli_int.h"

static int
wait_num(const char *s, long long lo, long long hi, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return errno || end == s || *end || *out < lo || *out > hi ? -1 : 0;
}

/* 1 when every host has applied rev; fills the summary. */
static int
wait_done(const json_t *ans, long long rev, size_t *hosts, long long *lowest)
{
	json_t *list = json_object_get(json_object_get(ans, "Hosts"), "Host");
	json_t *h;
	size_t i;
	int done = 1;

	*hosts = json_array_size(list);
	*lowest = -1;
	json_array_foreach(list, i, h) {
		long long a = json_integer_value(json_object_get(h,
		    "AppliedRevision"));

		if (*lowest < 0 || a < *lowest)
			*lowest = a;
		if (a < rev)
			done = 0;
	}
	return done && *hosts > 0;
}

int
cli_wait_main(struct cli_ctx *ctx)
{
	const char *rs = cli_opt(ctx, "revision"), *ss = cli_opt(ctx, "seconds");
	long long rev = -1, secs = 60, lowest = -1;
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	struct cli_sess s;
	size_t hosts = 0;
	time_t until;
	int rc;

	if (ctx->o.help) {
		printf("usage: sekisho wait [--revision N] [--seconds S]\n"
		    "Waits until every host agent enforces store revision N\n"
		    "(the x-sekisho-revision header of a write; default: the\n"
		    "revision current now). Exit 0 enforced, 1 timed out.\n");
		return CLI_EXIT_OK;
	}
	if (ctx->nwords > 1 || ctx->params.n > 0 ||
	    (rs && wait_num(rs, 0, (long long)1 << 53, &rev) < 0) ||
	    (ss && wait_num(ss, 0, 86400, &secs) < 0)) {
		fprintf(stderr, "usage: sekisho wait [--revision N] [--seconds S]\n");
		return CLI_EXIT_USAGE;
	}
	for (size_t i = 0; i < ctx->copts.n; i++)
		if (strcmp(ctx->copts.v[i].key, "revision") != 0 &&
		    strcmp(ctx->copts.v[i].key, "seconds") != 0) {
			fprintf(stderr, "wait does not take --%s\n",
			    ctx->copts.v[i].key);
			return CLI_EXIT_USAGE;
		}
	until = time(NULL) + (time_t)secs;
	cli_sess_init(&s, ctx);
	for (;;) {
		if ((rc = cli_sess_call(&s, "sekisho",
		    "DescribeEnforcementStatus")) != CLI_EXIT_OK)
			return cli_sess_end(&s, rc);
		if (rev < 0)
			rev = json_integer_value(json_object_get(s.last,
			    "Revision"));
		if (wait_done(s.last, rev, &hosts, &lowest)) {
			if (!cli_sess_quiet(&s))
				printf("enforced: revision %lld on %zu host(s)\n",
				    rev, hosts);
			return cli_sess_end(&s, CLI_EXIT_OK);
		}
		if (time(NULL) >= until || ctx->o.dry_run)
			break;
		nanosleep(&nap, NULL);
	}
	if (hosts == 0)
		fprintf(stderr, "wait: no host agent has reported yet\n");
	else
		fprintf(stderr, "wait: revision %lld not enforced after %llds "
		    "(lowest applied: %lld)\n", rev, secs, lowest);
	return cli_sess_end(&s, CLI_EXIT_API);
}
