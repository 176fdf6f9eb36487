/*
 * cli: argv -> struct cli_ctx, then one row of the subcommand table runs.
 *
 * Parsing is context-free so every subcommand sees the same grammar:
 *   --name VALUE, --name=VALUE   a global option (CLI_OPTS), lower-case
 *   --flag                       a switch (CLI_SWITCHES)
 *   --Name VALUE, --Name=VALUE   an API parameter (upper-case first letter)
 *   word                         a positional word
 *   --                           everything after it is a positional word
 * A word that names no subcommand is a product (cli_prod.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "lib/err.h"

/* Subcommands. Later ones (sg, explain, wait) are new rows here. */
static const struct cli_cmd cli_cmds[] = {
	{ "configure",
	    "[--endpoint URL] [--access-key-id ID --access-key-secret SECRET]",
	    "write the profile (mode 0600); without options, show it",
	    cli_cfg_configure },
	{ NULL, NULL, NULL, NULL },
};

static void
cli_usage(FILE *f)
{
	fprintf(f,
	    "usage: sekisho <product> <Action> [--Name value]... [options]\n"
	    "       sekisho <command> [arguments] [options]\n\n"
	    "Calls any OpenAPI action of a sekisho server (or Alibaba Cloud) and\n"
	    "prints the JSON answer. API parameters are written as in the API\n"
	    "reference: --RegionId cn-hangzhou --SecurityGroupIds.1 sg-1 ...\n\n"
	    "Products:\n");
	for (const struct cli_product *p = cli_products; p->name; p++)
		fprintf(f, "  %-10s %s (%s)\n", p->name, p->title, p->version);
	fprintf(f, "\nCommands:\n");
	for (const struct cli_cmd *c = cli_cmds; c->name; c++)
		fprintf(f, "  %-10s %s\n  %-10s %s\n", c->name, c->help, "",
		    c->synopsis);
	fprintf(f, "\nOptions:\n");
#define X(field, flag, meta, help) \
	fprintf(f, "  %s %s\n      %s\n", flag, meta, help);
	CLI_OPTS(X)
#undef X
#define X(field, flag, help) fprintf(f, "  %s\n      %s\n", flag, help);
	CLI_SWITCHES(X)
#undef X
	fprintf(f,
	    "\nCredentials, first source that has them wins: options; then\n"
	    "ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET,\n"
	    "ALIBABA_CLOUD_SECURITY_TOKEN and SEKISHO_ENDPOINT; then the profile;\n"
	    "then --credentials-file.\n\n"
	    "Exit status: 0 success, 1 API error (Code: Message (RequestId) on\n"
	    "stderr), 2 no usable answer (network, timeout), 64 bad usage,\n"
	    "78 missing or unreadable credentials/profile.\n");
}

/* Matches "--name" or "--name=..." against flag; sets *val to after '='. */
static int
cli_flag_is(const char *arg, const char *flag, const char **val)
{
	size_t n = strlen(flag);

	if (strncmp(arg, flag, n) != 0 || (arg[n] != '\0' && arg[n] != '='))
		return 0;
	*val = arg[n] == '=' ? arg + n + 1 : NULL;
	return 1;
}

/* An option or switch at argv[*i]; 0 or -ERR_INVALID_PARAMETER. */
static int
cli_parse_option(struct cli_ctx *ctx, int argc, char **argv, int *i,
    struct sb *why)
{
	const char *arg = argv[*i], *val;

	if (strcmp(arg, "-h") == 0)
		arg = "--help";
#define X(field, flag, help) \
	if (cli_flag_is(arg, flag, &val)) { \
		if (val) \
			return sb_addf(why, "%s takes no value", flag), \
			    -ERR_INVALID_PARAMETER; \
		ctx->o.field = 1; \
		return 0; \
	}
	CLI_SWITCHES(X)
#undef X
#define X(field, flag, meta, help) \
	if (cli_flag_is(arg, flag, &val)) { \
		if (val == NULL && *i + 1 >= argc) \
			return sb_addf(why, "%s needs a value (%s)", flag, meta), \
			    -ERR_INVALID_PARAMETER; \
		ctx->o.field = val ? val : argv[++*i]; \
		return 0; \
	}
	CLI_OPTS(X)
#undef X
	sb_addf(why, "unknown option %s (API parameters start with an "
	    "upper-case letter: --RegionId)", arg);
	return -ERR_INVALID_PARAMETER;
}

/* "--Name value" / "--Name=value" at argv[*i]. */
static int
cli_parse_param(struct cli_ctx *ctx, int argc, char **argv, int *i,
    struct sb *why)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '='), *val;
	size_t nl = eq ? (size_t)(eq - name) : strlen(name);

	if (eq)
		val = eq + 1;
	else if (*i + 1 < argc)
		val = argv[++*i];
	else
		return sb_addf(why, "--%s needs a value", name),
		    -ERR_INVALID_PARAMETER;
	return prm_add(&ctx->params, name, nl, val, strlen(val));
}

static int
cli_parse(struct cli_ctx *ctx, int argc, char **argv, struct sb *why)
{
	int words_only = 0;

	if ((ctx->words = calloc((size_t)argc + 1, sizeof(char *))) == NULL)
		return -ERR_NOMEM;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = 0;

		if (words_only || a[0] != '-' || a[1] == '\0')
			ctx->words[ctx->nwords++] = argv[i];
		else if (strcmp(a, "--") == 0)
			words_only = 1;
		else if (a[1] == '-' && a[2] >= 'A' && a[2] <= 'Z')
			r = cli_parse_param(ctx, argc, argv, &i, why);
		else
			r = cli_parse_option(ctx, argc, argv, &i, why);
		if (r < 0)
			return r;
	}
	return 0;
}

static const struct cli_cmd *
cli_find_cmd(const char *name)
{
	for (const struct cli_cmd *c = cli_cmds; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int
cli_main(int argc, char **argv)
{
	struct cli_ctx ctx;
	struct sb why = SB_INIT;
	const struct cli_cmd *cmd;
	int rc;

	memset(&ctx, 0, sizeof(ctx));
	prm_init(&ctx.params);
	if (cli_parse(&ctx, argc, argv, &why) < 0) {
		fprintf(stderr, "sekisho: %s\n",
		    why.len ? sb_str(&why) : "out of memory");
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (ctx.nwords == 0) {
		cli_usage(ctx.o.help ? stdout : stderr);
		rc = ctx.o.help ? CLI_EXIT_OK : CLI_EXIT_USAGE;
		goto out;
	}
	if ((cmd = cli_find_cmd(ctx.words[0])) != NULL && ctx.o.help) {
		printf("usage: sekisho %s %s\n%s\n", cmd->name, cmd->synopsis,
		    cmd->help);
		rc = CLI_EXIT_OK;
	} else if (cmd)
		rc = cmd->run(&ctx);
	else
		rc = cli_call(&ctx);
out:
	prm_free(&ctx.params);
	free(ctx.words);
	sb_free(&why);
	return rc;
}
