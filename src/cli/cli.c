/*
 * cli: argv -> struct cli_ctx, then one row of the subcommand table runs.
 *
 * Parsing is context-free so every subcommand sees the same grammar:
 *   --name VALUE, --name=VALUE   a global option (CLI_OPTS), lower-case
 *   --flag                       a switch (CLI_SWITCHES)
 *   --Name VALUE, --Name=VALUE   an API parameter (upper-case first letter)
 *   --name VALUE, --flag         a command option (CLI_COPTS): kept in
 *                                ctx->copts for the resource commands
 *   word                         a positional word
 *   --                           everything after it is a positional word
 * A word that names no subcommand is a product (cli_prod.c).
 *
 * Resource commands (sg, vpc, vswitch, instance) have verbs (a table per
 * command, struct cli_verb); cli_verb_main() checks the words and options
 * against the verb's synopsis and runs it in a session (cli_call.c). The
 * word `vpc` is both: `vpc create` is a verb, `vpc CreateVpc` an action.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "lib/err.h"

/* Subcommands. Later ones (explain, wait) are new rows here. */
static const struct cli_cmd cli_cmds[] = {
	{ "configure",
	    "[--endpoint URL] [--access-key-id ID --access-key-secret SECRET]",
	    "write the profile (mode 0600); without options, show it",
	    cli_cfg_configure, NULL, 0 },
	{ "sg", "create|authorize|revoke|list|show|delete ...",
	    "security groups: from a template, rules, list, show, delete",
	    cli_verb_main, cli_sg_verbs, 0 },
	{ "vpc", "create|list ...  (or: vpc <Action> ...)",
	    "VPCs: create, list", cli_verb_main, cli_vpc_verbs, 0 },
	{ "vswitch", "create|list ...", "vSwitches: create, list",
	    cli_verb_main, cli_vsw_verbs, 0 },
	{ "instance", "run|list ...", "instances: run, list",
	    cli_verb_main, cli_inst_verbs, 0 },
	{ "explain", "--from I|ENI|IP --to I|ENI|IP --tcp PORT ...",
	    "which gate and rule decide a packet", cli_eng_main, cli_eng_verbs, 0 },
	{ "rules", "INSTANCE|ENI", "an ENI's merged rules, the shadowed ones",
	    cli_eng_main, cli_eng_verbs, 0 },
	{ "reach", "--to|--from INSTANCE|ENI --tcp PORT ...",
	    "who can reach it (or what it reaches)", cli_eng_main,
	    cli_eng_verbs, 0 },
	{ "analyze", "[SG_ID] [--region REGION]",
	    "risky, shadowed, redundant rules", cli_eng_main, cli_eng_verbs, 0 },
	{ "wait", "[--revision N] [--seconds S]",
	    "until every host agent enforces revision N (default: all so far)",
	    cli_wait_main, NULL, 1 },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};

/* The command options' help, for the options a synopsis names. */
static const struct {
	const char *name, *meta, *help;
	int repeat;
} cli_copts[] = {
#define X(name, meta, repeat, help) { name, meta, help, repeat },
	CLI_COPTS(X)
#undef X
	{ NULL, NULL, NULL, 0 },
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
	fprintf(f, "\nCommands (sekisho <command> --help for more):\n");
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
	for (int k = 0; cli_copts[k].name; k++) {
		const char *name = cli_copts[k].name;
		char flag[32];

		snprintf(flag, sizeof(flag), "--%s", name);
		if (!cli_flag_is(arg, flag, &val))
			continue;
		if (cli_copts[k].meta == NULL && val)
			return sb_addf(why, "--%s takes no value", name),
			    -ERR_INVALID_PARAMETER;
		if (cli_copts[k].meta && val == NULL && *i + 1 >= argc)
			return sb_addf(why, "--%s needs a value (%s)", name,
			    cli_copts[k].meta), -ERR_INVALID_PARAMETER;
		if (!cli_copts[k].repeat && prm_get(&ctx->copts, name))
			return sb_addf(why, "--%s given twice", name),
			    -ERR_INVALID_PARAMETER;
		if (cli_copts[k].meta && val == NULL)
			val = argv[++*i];
		return prm_add(&ctx->copts, name, strlen(name),
		    val ? val : "", val ? strlen(val) : 0);
	}
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

const char *
cli_opt(const struct cli_ctx *ctx, const char *name)
{
	return prm_get(&ctx->copts, name);
}

/* Does synopsis name --name (a whole word)? */
static int
cli_verb_takes(const struct cli_verb *v, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = v->args; (p = strstr(p, "--")) != NULL; p += 2)
		if (strncmp(p + 2, name, n) == 0 &&
		    strchr(" ]|)", p[2 + n]) != NULL)
			return 1;
	return 0;
}

static void
cli_verb_usage(const struct cli_cmd *c, const struct cli_verb *v, FILE *f)
{
	if (v == NULL) {
		fprintf(f, "usage: sekisho %s <verb> [options]\n%s\n\n",
		    c->name, c->help);
		for (v = c->verbs; v->name; v++)
			fprintf(f, "  %s %s %s\n      %s\n", c->name, v->name,
			    v->args, v->help);
		if (cli_prod_find(c->name))
			fprintf(f, "\nAny action: sekisho %s <Action> "
			    "[--Name value]... (sekisho %s <Action> --help)\n",
			    c->name, c->name);
		fprintf(f, "\nsekisho %s <verb> --help: its options; "
		    "sekisho --help: global options.\n", c->name);
		return;
	}
	fprintf(f, "usage: sekisho %s %s %s\n%s\n\nOptions:\n", c->name,
	    v->name, v->args, v->help);
	for (int k = 0; cli_copts[k].name; k++)
		if (cli_verb_takes(v, cli_copts[k].name))
			fprintf(f, "  --%s%s%s\n      %s\n", cli_copts[k].name,
			    cli_copts[k].meta ? " " : "",
			    cli_copts[k].meta ? cli_copts[k].meta : "",
			    cli_copts[k].help);
	fprintf(f, "  --json\n      print the raw answers of the calls made, "
	    "as one JSON array\nGlobal options: sekisho --help.\n");
}

/* Words and options fit the verb? Prints why not. */
static int
cli_verb_check(const struct cli_ctx *ctx, const struct cli_cmd *c,
    const struct cli_verb *v)
{
	const char *p, *e;
	char name[32];

	if (ctx->nwords < 2 + (size_t)v->nid) {
		fprintf(stderr, "sekisho: %s %s needs %.*s (usage: sekisho "
		    "%s %s %s)\n", c->name, v->name, (int)strcspn(v->args, " "),
		    v->args, c->name, v->name, v->args);
		return CLI_EXIT_USAGE;
	}
	if (ctx->nwords > 2 + (size_t)v->nid) {
		fprintf(stderr, "sekisho: unexpected '%s'\n",
		    ctx->words[2 + v->nid]);
		return CLI_EXIT_USAGE;
	}
	if (ctx->params.n > 0) {
		fprintf(stderr, "sekisho: %s %s takes no API parameter "
		    "(--%s); sekisho ecs|vpc <Action> takes any\n", c->name,
		    v->name, ctx->params.v[0].key);
		return CLI_EXIT_USAGE;
	}
	for (size_t i = 0; i < ctx->copts.n; i++)
		if (!cli_verb_takes(v, ctx->copts.v[i].key)) {
			fprintf(stderr, "sekisho: %s %s does not take --%s\n",
			    c->name, v->name, ctx->copts.v[i].key);
			return CLI_EXIT_USAGE;
		}
	for (p = v->need; *p; p = e + strspn(e, " ")) {
		e = p + strcspn(p, " ");
		snprintf(name, sizeof(name), "%.*s", (int)(e - p), p);
		if (cli_opt(ctx, name) == NULL || cli_opt(ctx, name)[0] == 0) {
			fprintf(stderr, "sekisho: %s %s needs --%s\n", c->name,
			    v->name, name);
			return CLI_EXIT_USAGE;
		}
	}
	return CLI_EXIT_OK;
}

int
cli_verb_main(struct cli_ctx *ctx)
{
	const struct cli_cmd *c = cli_find_cmd(ctx->words[0]);
	const struct cli_verb *v = NULL;
	struct cli_sess s;
	int rc;

	for (size_t i = 0; ctx->nwords > 1 && c->verbs[i].name; i++)
		if (strcmp(c->verbs[i].name, ctx->words[1]) == 0)
			v = &c->verbs[i];
	if (v == NULL && ctx->nwords > 1 && cli_prod_find(c->name)) {
		if (ctx->copts.n == 0)
			return cli_call(ctx);
		fprintf(stderr, "sekisho: unknown option --%s (API parameters "
		    "start with an upper-case letter: --RegionId)\n",
		    ctx->copts.v[0].key);
		return CLI_EXIT_USAGE;
	}
	if (v == NULL && ctx->nwords == 1 && ctx->o.help) {
		cli_verb_usage(c, NULL, stdout);
		return CLI_EXIT_OK;
	}
	if (v == NULL) {
		if (ctx->nwords > 1)
			fprintf(stderr, "sekisho: %s has no verb '%s'\n",
			    c->name, ctx->words[1]);
		cli_verb_usage(c, NULL, stderr);
		return CLI_EXIT_USAGE;
	}
	if (ctx->o.help) {
		cli_verb_usage(c, v, stdout);
		return CLI_EXIT_OK;
	}
	if ((rc = cli_verb_check(ctx, c, v)) != CLI_EXIT_OK)
		return rc;
	cli_sess_init(&s, ctx);
	s.id = v->nid ? ctx->words[2] : NULL;
	return cli_sess_end(&s, v->run(&s));
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
	prm_init(&ctx.copts);
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
	cmd = cli_find_cmd(ctx.words[0]);
	if ((cmd == NULL || (cmd->verbs == NULL && !cmd->copts)) &&
	    ctx.copts.n > 0) {
		fprintf(stderr, "sekisho: unknown option --%s (API parameters "
		    "start with an upper-case letter: --RegionId)\n",
		    ctx.copts.v[0].key);
		rc = CLI_EXIT_USAGE;
	} else if (cmd && cmd->verbs == NULL && !cmd->copts && ctx.o.help) {
		printf("usage: sekisho %s %s\n%s\n", cmd->name, cmd->synopsis,
		    cmd->help);
		rc = CLI_EXIT_OK;
	} else if (cmd)
		rc = cmd->run(&ctx);
	else
		rc = cli_call(&ctx);
out:
	prm_free(&ctx.params);
	prm_free(&ctx.copts);
	free(ctx.words);
	sb_free(&why);
	return rc;
}
