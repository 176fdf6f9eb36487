/*
 * cli_sg: `sekisho sg <verb>` — security groups for people: create a group
 * from a template, add and remove rules by quick name or protocol/port,
 * list, show (rules in the order they are evaluated), delete. Every verb
 * is one or a few ECS calls through the session (cli_call.c); the server
 * checks every value, the CLI only its own words (templates, quick names)
 * and which options go together (usage errors, exit 64).
 *
 *   create     CreateSecurityGroup, then one AuthorizeSecurityGroup with
 *              the template's rules as Permissions.N; when that fails the
 *              group is deleted again, so no half-made group is left
 *   authorize  Authorize[Egress]: one Permission per quick name, or one for
 *              --protocol/--port; peer --cidr (IPv4 or IPv6) or --group
 *   revoke     Revoke[Egress] by the same rule description, or by
 *              --rule-id (each id's direction looked up unless --egress)
 *   list       DescribeSecurityGroups, every page
 *   show       DescribeSecurityGroupAttribute, every page
 *   delete     DeleteSecurityGroup
 *
 * Templates and quick names: ../shared/spec/seed-spec.md §1.7 and §1.4.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli_int.h"

#define SG_RULES_MAX 100	/* Permissions.N per request (ecs-api.md §4.7) */
#define SG_DRY_ID "<SecurityGroupId>"	/* --dry-run: the id not created */

struct sg_rule {
	const char *proto;	/* as sent: tcp, udp, icmp, ... */
	char ports[48];		/* PortRange "a/b" */
};

/* Quick names: all TCP (seed §1.4). */
static const struct {
	const char *name;
	const char *ports;
} sg_quick[] = {
	{ "ssh", "22/22" }, { "telnet", "23/23" }, { "http", "80/80" },
	{ "https", "443/443" }, { "mssql", "1433/1433" },
	{ "oracle", "1521/1521" }, { "mysql", "3306/3306" },
	{ "rdp", "3389/3389" }, { "postgresql", "5432/5432" },
	{ "redis", "6379/6379" }, { NULL, NULL },
};

/* Templates at creation, inbound from 0.0.0.0/0 (seed §1.7). */
static const struct {
	const char *name;
	struct sg_rule rules[4];
	size_t n;
} sg_tmpl[] = {
	{ "web-server-linux", { { "tcp", "80/80" }, { "tcp", "443/443" },
	    { "tcp", "22/22" }, { "icmp", "-1/-1" } }, 4 },
	{ "web-server-windows", { { "tcp", "80/80" }, { "tcp", "443/443" },
	    { "tcp", "3389/3389" }, { "icmp", "-1/-1" } }, 4 },
	{ "custom", { { NULL, "" } }, 0 },
	{ NULL, { { NULL, "" } }, 0 },
};

static int sg_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/* "sekisho: <why>" on stderr; the usage exit status. */
static int
sg_usage(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "sekisho: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_EXIT_USAGE;
}

static const char *
sg_region(const struct cli_sess *s)
{
	return cli_opt(s->ctx, "region");
}

/* --port: "80" -> "80/80"; anything else as given (the server checks). */
static void
sg_ports(const char *in, char *out, size_t len)
{
	if (in == NULL)
		snprintf(out, len, "-1/-1");
	else if (in[0] && strspn(in, "0123456789") == strlen(in))
		snprintf(out, len, "%s/%s", in, in);
	else
		snprintf(out, len, "%s", in);
}

/* One quick name (case-insensitive) -> a rule. */
static int
sg_quick_rule(const char *name, size_t len, struct sg_rule *r)
{
	for (int i = 0; sg_quick[i].name; i++)
		if (strlen(sg_quick[i].name) == len &&
		    strncasecmp(sg_quick[i].name, name, len) == 0) {
			r->proto = "tcp";
			snprintf(r->ports, sizeof(r->ports), "%s",
			    sg_quick[i].ports);
			return 0;
		}
	fprintf(stderr, "sekisho: unknown quick rule '%.*s' (ssh, telnet, "
	    "http, https, mssql, oracle, mysql, rdp, postgresql, redis)\n",
	    (int)len, name);
	return CLI_EXIT_USAGE;
}

/* The traffic of --quick (every value, comma lists) or --protocol/--port. */
static int
sg_traffic(const struct cli_ctx *ctx, struct sg_rule *r, size_t *n)
{
	const char *proto = cli_opt(ctx, "protocol"), *port;
	int rc;

	*n = 0;
	for (size_t i = 0; i < ctx->copts.n; i++) {
		const char *p = ctx->copts.v[i].val, *e;

		if (strcmp(ctx->copts.v[i].key, "quick") != 0)
			continue;
		do {
			e = p + strcspn(p, ",");
			if (*n == SG_RULES_MAX)
				return sg_usage("at most %d rules per call",
				    SG_RULES_MAX);
			if ((rc = sg_quick_rule(p, (size_t)(e - p),
			    &r[*n])) != CLI_EXIT_OK)
				return rc;
			++*n;
			p = e + 1;
		} while (*e);
	}
	port = cli_opt(ctx, "port");
	if (*n && proto)
		return sg_usage("give --quick or --protocol, not both");
	if (port && !proto)
		return sg_usage("--port goes with --protocol");
	if (proto == NULL)
		return *n ? CLI_EXIT_OK : sg_usage("which traffic? --quick "
		    "NAME or --protocol PROTO [--port PORT]");
	if (port == NULL && (strcasecmp(proto, "tcp") == 0 ||
	    strcasecmp(proto, "udp") == 0))
		return sg_usage("--protocol %s needs --port", proto);
	r[0].proto = proto;
	sg_ports(port, r[0].ports, sizeof(r[0].ports));
	*n = 1;
	return CLI_EXIT_OK;
}

/* --cidr or --group [--group-owner]: exactly one peer. */
static int
sg_peer(const struct cli_ctx *ctx)
{
	const char *cidr = cli_opt(ctx, "cidr"), *grp = cli_opt(ctx, "group");

	if (cli_opt(ctx, "group-owner") && grp == NULL)
		return sg_usage("--group-owner goes with --group");
	if (cidr && grp)
		return sg_usage("give --cidr or --group, not both");
	if (cidr == NULL && grp == NULL)
		return sg_usage("from/to where? --cidr CIDR or --group "
		    "SG_ID");
	return CLI_EXIT_OK;
}

/* Permissions.N.* of the rules, the peer and the shared fields. */
static void
sg_set_rules(struct cli_sess *s, const struct sg_rule *r, size_t n,
    const char *cidr, int with_desc)
{
	const struct cli_ctx *ctx = s->ctx;
	const char *side = cli_opt(ctx, "egress") ? "Dest" : "Source";
	const char *grp = cli_opt(ctx, "group");
	const char *owner = cli_opt(ctx, "group-owner");

	for (size_t i = 0; i < n; i++) {
		int k = (int)i + 1;

		cli_sess_setf(s, r[i].proto, "Permissions.%d.IpProtocol", k);
		cli_sess_setf(s, r[i].ports, "Permissions.%d.PortRange", k);
		if (cidr)
			cli_sess_setf(s, cidr, strchr(cidr, ':') ?
			    "Permissions.%d.Ipv6%sCidrIp" :
			    "Permissions.%d.%sCidrIp", k, side);
		cli_sess_setf(s, grp, "Permissions.%d.%sGroupId", k, side);
		if (owner)
			cli_sess_setf(s, owner, owner[strspn(owner,
			    "0123456789")] ? "Permissions.%d.%sGroupOwnerAccount"
			    : "Permissions.%d.%sGroupOwnerId", k, side);
		cli_sess_setf(s, cli_opt(ctx, "policy"),
		    "Permissions.%d.Policy", k);
		cli_sess_setf(s, cli_opt(ctx, "priority"),
		    "Permissions.%d.Priority", k);
		if (with_desc)
			cli_sess_setf(s, cli_opt(ctx, "description"),
			    "Permissions.%d.Description", k);
	}
}

/* "22/22" -> "22", "-1/-1" -> "any", a range as it is. */
static const char *
sg_ports_text(const char *pr, char *out, size_t len)
{
	const char *slash = strchr(pr, '/');
	size_t n = slash ? (size_t)(slash - pr) : 0;

	if (strcmp(pr, "-1/-1") == 0)
		snprintf(out, len, "any");
	else if (slash && strlen(slash + 1) == n && strncmp(pr, slash + 1, n)
	    == 0)
		snprintf(out, len, "%.*s", (int)n, pr);
	else
		snprintf(out, len, "%s", pr);
	return out;
}

static void
sg_say_rules(const struct cli_sess *s, const char *what,
    const struct sg_rule *r, size_t n)
{
	const struct cli_ctx *ctx = s->ctx;
	const char *egress = cli_opt(ctx, "egress");
	const char *peer = cli_opt(ctx, "cidr");
	const char *owner = cli_opt(ctx, "group-owner");
	const char *policy = cli_opt(ctx, "policy");
	const char *prio = cli_opt(ctx, "priority");
	char ports[48];

	if (cli_sess_quiet(s))
		return;
	if (peer == NULL)
		peer = cli_opt(ctx, "group");
	for (size_t i = 0; i < n; i++)
		printf("%s: %s %s %s %s %s %s%s%s (%s, priority %s)\n", s->id,
		    what, egress ? "egress" : "ingress", r[i].proto,
		    sg_ports_text(r[i].ports, ports, sizeof(ports)),
		    egress ? "to" : "from", peer,
		    owner ? " of account " : "", owner ? owner : "",
		    policy ? policy : "accept", prio ? prio : "1");
}

/* ---- create ---- */

static int
sg_create(struct cli_sess *s)
{
	const struct cli_ctx *ctx = s->ctx;
	const char *tname = cli_opt(ctx, "template"), *id;
	const char *type = cli_opt(ctx, "type");
	char idbuf[128], buf[32];
	int t, rc, drc;

	for (t = 0; sg_tmpl[t].name; t++)
		if (strcasecmp(sg_tmpl[t].name, tname) == 0)
			break;
	if (sg_tmpl[t].name == NULL)
		return sg_usage("unknown template '%s' (web-server-linux, "
		    "web-server-windows, custom)", tname);
	if (sg_tmpl[t].n == 0 && cli_opt(ctx, "priority"))
		return sg_usage("--priority applies to a template's rules; "
		    "custom has none");
	cli_sess_set(s, "RegionId", sg_region(s));
	cli_sess_set(s, "VpcId", cli_opt(ctx, "vpc"));
	cli_sess_set(s, "SecurityGroupName", cli_opt(ctx, "name"));
	cli_sess_set(s, "Description", cli_opt(ctx, "description"));
	cli_sess_set(s, "SecurityGroupType", type);
	if ((rc = cli_sess_call(s, "ecs", "CreateSecurityGroup")) !=
	    CLI_EXIT_OK)
		return rc;
	id = cli_js(s->last, "SecurityGroupId", buf);
	snprintf(idbuf, sizeof(idbuf), "%s", ctx->o.dry_run ? SG_DRY_ID : id);
	if (sg_tmpl[t].n > 0) {
		cli_sess_set(s, "RegionId", sg_region(s));
		cli_sess_set(s, "SecurityGroupId", idbuf);
		sg_set_rules(s, sg_tmpl[t].rules, sg_tmpl[t].n, "0.0.0.0/0", 0);
		rc = cli_sess_call(s, "ecs", "AuthorizeSecurityGroup");
	}
	if (rc != CLI_EXIT_OK) {
		/* No half-made group: the template is part of the request. */
		cli_sess_set(s, "RegionId", sg_region(s));
		cli_sess_set(s, "SecurityGroupId", idbuf);
		drc = cli_sess_call(s, "ecs", "DeleteSecurityGroup");
		if (drc == CLI_EXIT_OK)
			fprintf(stderr, "sekisho: the template's rules could "
			    "not be added; %s was deleted again\n", idbuf);
		else
			fprintf(stderr, "sekisho: the template's rules could "
			    "not be added and %s could not be deleted: "
			    "sekisho sg delete %s --region %s\n", idbuf, idbuf,
			    sg_region(s));
		return rc;
	}
	if (!cli_sess_quiet(s))
		printf("%s created in %s: name %s, type %s, template %s "
		    "(%zu rule%s)\n", idbuf, cli_opt(ctx, "vpc"),
		    cli_opt(ctx, "name"), type ? type : "normal",
		    sg_tmpl[t].name, sg_tmpl[t].n, sg_tmpl[t].n == 1 ? "" : "s");
	return CLI_EXIT_OK;
}

/* ---- authorize, revoke ---- */

static int
sg_rules_call(struct cli_sess *s, const char *verb, const char *ingress,
    const char *egress)
{
	struct sg_rule r[SG_RULES_MAX];
	size_t n;
	int rc;

	if ((rc = sg_traffic(s->ctx, r, &n)) != CLI_EXIT_OK ||
	    (rc = sg_peer(s->ctx)) != CLI_EXIT_OK)
		return rc;
	cli_sess_set(s, "RegionId", sg_region(s));
	cli_sess_set(s, "SecurityGroupId", s->id);
	sg_set_rules(s, r, n, cli_opt(s->ctx, "cidr"), 1);
	if ((rc = cli_sess_call(s, "ecs", cli_opt(s->ctx, "egress") ? egress :
	    ingress)) == CLI_EXIT_OK)
		sg_say_rules(s, verb, r, n);
	return rc;
}

static int
sg_authorize(struct cli_sess *s)
{
	return sg_rules_call(s, "authorized", "AuthorizeSecurityGroup",
	    "AuthorizeSecurityGroupEgress");
}

/* The direction of each --rule-id: egress ids -> 1 in dirs. */
static int
sg_rule_dirs(struct cli_sess *s, char *dirs, size_t n)
{
	const char *const base[] = { "RegionId", sg_region(s),
	    "SecurityGroupId", s->id, NULL };
	json_t *rules = json_array(), *r;
	char buf[32];
	size_t i, k;
	int rc;

	memset(dirs, 0, n);
	if (cli_opt(s->ctx, "egress")) {
		memset(dirs, 1, n);
		rc = CLI_EXIT_OK;
		goto out;
	}
	rc = cli_sess_list(s, "ecs", "DescribeSecurityGroupAttribute", 0,
	    base, "Permissions", "Permission", rules);
	if (rc != CLI_EXIT_OK)
		goto out;
	for (k = 0, i = 0; i < s->ctx->copts.n; i++) {
		size_t j;

		if (strcmp(s->ctx->copts.v[i].key, "rule-id") != 0)
			continue;
		json_array_foreach(rules, j, r)
			if (strcmp(cli_js(r, "SecurityGroupRuleId", buf),
			    s->ctx->copts.v[i].val) == 0)
				dirs[k] = strcmp(cli_js(r, "Direction", buf),
				    "egress") == 0;
		k++;
	}
out:
	json_decref(rules);
	return rc;
}

/* Revoke by id: one call per direction that has ids. */
static int
sg_revoke_ids(struct cli_sess *s)
{
	static const char *const act[2] = { "RevokeSecurityGroup",
	    "RevokeSecurityGroupEgress" };
	static const char *const opts[] = { "quick", "protocol", "port",
	    "cidr", "group", "group-owner", "policy", "priority", NULL };
	char dirs[SG_RULES_MAX];
	size_t n = prm_count(&s->ctx->copts, "rule-id");
	int rc;

	for (int i = 0; opts[i]; i++)
		if (cli_opt(s->ctx, opts[i]))
			return sg_usage("--rule-id names the rules; --%s "
			    "cannot be added", opts[i]);
	if (n > SG_RULES_MAX)
		return sg_usage("at most %d rule ids per call", SG_RULES_MAX);
	if ((rc = sg_rule_dirs(s, dirs, n)) != CLI_EXIT_OK)
		return rc;
	for (int d = 0; d < 2; d++) {
		int k = 0;

		for (size_t i = 0, j = 0; i < s->ctx->copts.n; i++)
			if (strcmp(s->ctx->copts.v[i].key, "rule-id") == 0 &&
			    dirs[j++] == d)
				cli_sess_setf(s, s->ctx->copts.v[i].val,
				    "SecurityGroupRuleId.%d", ++k);
		if (k == 0)
			continue;
		cli_sess_set(s, "RegionId", sg_region(s));
		cli_sess_set(s, "SecurityGroupId", s->id);
		if ((rc = cli_sess_call(s, "ecs", act[d])) != CLI_EXIT_OK)
			return rc;
	}
	if (!cli_sess_quiet(s))
		for (size_t i = 0; i < s->ctx->copts.n; i++)
			if (strcmp(s->ctx->copts.v[i].key, "rule-id") == 0)
				printf("%s: revoked %s\n", s->id,
				    s->ctx->copts.v[i].val);
	return CLI_EXIT_OK;
}

static int
sg_revoke(struct cli_sess *s)
{
	if (cli_opt(s->ctx, "rule-id"))
		return sg_revoke_ids(s);
	return sg_rules_call(s, "revoked", "RevokeSecurityGroup",
	    "RevokeSecurityGroupEgress");
}

/* ---- list, show, delete ---- */

static int
sg_list(struct cli_sess *s)
{
	static const char *const head[] = { "ID", "NAME", "TYPE", "VPC",
	    "RULES", "CREATED", "DESCRIPTION" };
	static const char *const fields[] = { "SecurityGroupId",
	    "SecurityGroupName", "SecurityGroupType", "VpcId", "RuleCount",
	    "CreationTime", "Description" };
	const char *const base[] = { "RegionId", sg_region(s), "VpcId",
	    cli_opt(s->ctx, "vpc"), NULL };
	json_t *groups = json_array(), *g;
	struct cli_tab t;
	char buf[32];
	size_t i;
	int rc;

	rc = cli_sess_list(s, "ecs", "DescribeSecurityGroups", 0, base,
	    "SecurityGroups", "SecurityGroup", groups);
	if (rc == CLI_EXIT_OK && !cli_sess_quiet(s)) {
		cli_tab_init(&t, 7, head);
		json_array_foreach(groups, i, g)
			for (int f = 0; f < 7; f++)
				cli_tab_add(&t, cli_js(g, fields[f], buf));
		cli_tab_print(&t, stdout);
	}
	json_decref(groups);
	return rc;
}

struct sg_row {
	json_t *r;
	size_t i;
};

/* As evaluated (seed §1.5): per direction, priority 1 first, drop before
 * accept at equal priority; then the server's order. */
static int
sg_row_cmp(const void *a, const void *b)
{
	const struct sg_row *x = a, *y = b;
	char bx[32], by[32];
	int d;

	d = strcmp(cli_js(y->r, "Direction", bx), cli_js(x->r, "Direction",
	    by));			/* "ingress" before "egress" */
	if (d == 0)
		d = atoi(cli_js(x->r, "Priority", bx)) -
		    atoi(cli_js(y->r, "Priority", by));
	if (d == 0)
		d = strcasecmp(cli_js(y->r, "Policy", bx),
		    cli_js(x->r, "Policy", by));	/* "Drop" first */
	if (d == 0)
		d = x->i < y->i ? -1 : x->i > y->i;
	return d;
}

/* The peer of a rule, as text. */
static void
sg_row_peer(const json_t *r, char *out, size_t len)
{
	const char *side = strcmp(cli_js(r, "Direction", out), "egress") ?
	    "Source" : "Dest";
	static const char *const pre[] = { "", "Ipv6", "" };
	static const char *const post[] = { "CidrIp", "CidrIp", "PrefixListId" };
	char key[64], b1[32], b2[32], b3[32];

	snprintf(key, sizeof(key), "%sGroupId", side);
	if (cli_js(r, key, b1)[0]) {
		const char *id = cli_js(r, key, b1), *name, *owner;

		snprintf(key, sizeof(key), "%sGroupName", side);
		name = cli_js(r, key, b2);
		snprintf(key, sizeof(key), "%sGroupOwnerAccount", side);
		owner = cli_js(r, key, b3);
		snprintf(out, len, "%s%s%s%s%s%s", owner, owner[0] ? ":" : "",
		    id, name[0] ? " (" : "", name, name[0] ? ")" : "");
		return;
	}
	for (int i = 0; i < 3; i++) {
		snprintf(key, sizeof(key), "%s%s%s", pre[i], side, post[i]);
		if (cli_js(r, key, b1)[0]) {
			snprintf(out, len, "%s", cli_js(r, key, b1));
			return;
		}
	}
	snprintf(out, len, "-");
}

/* "Accept" -> "accept", "TCP" -> "tcp": the words the options take. */
static const char *
sg_lower(const char *in, char *out, size_t len)
{
	size_t i;

	for (i = 0; in[i] && i + 1 < len; i++)
		out[i] = (char)(in[i] >= 'A' && in[i] <= 'Z' ? in[i] + 32 :
		    in[i]);
	out[i] = '\0';
	return out;
}

static void
sg_show_rules(json_t *rules)
{
	static const char *const head[] = { "DIRECTION", "POLICY", "PRIORITY",
	    "PROTOCOL", "PORTS", "PEER", "NIC", "RULE ID", "DESCRIPTION" };
	size_t i, n = json_array_size(rules);
	struct sg_row *rows = calloc(n + 1, sizeof(*rows));
	struct cli_tab t;
	char buf[32], peer[512], low[32];

	if (rows == NULL) {
		fprintf(stderr, "sekisho: out of memory\n");
		return;
	}
	for (i = 0; i < n; i++)
		rows[i] = (struct sg_row){ json_array_get(rules, i), i };
	qsort(rows, n, sizeof(*rows), sg_row_cmp);
	cli_tab_init(&t, 9, head);
	for (i = 0; i < n; i++) {
		json_t *r = rows[i].r;

		cli_tab_add(&t, cli_js(r, "Direction", buf));
		cli_tab_add(&t, sg_lower(cli_js(r, "Policy", buf), low,
		    sizeof(low)));
		cli_tab_add(&t, cli_js(r, "Priority", buf));
		cli_tab_add(&t, sg_lower(cli_js(r, "IpProtocol", buf), low,
		    sizeof(low)));
		cli_tab_add(&t, sg_ports_text(cli_js(r, "PortRange", buf), low,
		    sizeof(low)));
		sg_row_peer(r, peer, sizeof(peer));
		cli_tab_add(&t, peer);
		cli_tab_add(&t, cli_js(r, "NicType", buf));
		cli_tab_add(&t, cli_js(r, "SecurityGroupRuleId", buf));
		cli_tab_add(&t, cli_js(r, "Description", buf));
	}
	cli_tab_print(&t, stdout);
	free(rows);
}

static int
sg_show(struct cli_sess *s)
{
	static const char *const keys[] = { "SecurityGroupName", "VpcId",
	    "InnerAccessPolicy", "Description", NULL };
	const char *const base[] = { "RegionId", sg_region(s),
	    "SecurityGroupId", s->id, NULL };
	const char *head[2] = { "SecurityGroupId", s->id };
	json_t *rules = json_array();
	struct cli_tab t;
	char buf[32];
	int rc;

	rc = cli_sess_list(s, "ecs", "DescribeSecurityGroupAttribute", 0,
	    base, "Permissions", "Permission", rules);
	if (rc == CLI_EXIT_OK && !cli_sess_quiet(s)) {
		cli_tab_init(&t, 2, head);
		for (int i = 0; keys[i]; i++) {
			cli_tab_add(&t, keys[i]);
			cli_tab_add(&t, cli_js(s->last, keys[i], buf));
		}
		cli_tab_print(&t, stdout);
		printf("\n");
		sg_show_rules(rules);
	}
	json_decref(rules);
	return rc;
}

static int
sg_delete(struct cli_sess *s)
{
	int rc;

	cli_sess_set(s, "RegionId", sg_region(s));
	cli_sess_set(s, "SecurityGroupId", s->id);
	if ((rc = cli_sess_call(s, "ecs", "DeleteSecurityGroup")) ==
	    CLI_EXIT_OK && !cli_sess_quiet(s))
		printf("deleted %s\n", s->id);
	return rc;
}

#define SG_RULE_ARGS \
	"(--quick NAME[,NAME] | --protocol PROTO [--port PORT[/END]]) " \
	"(--cidr CIDR | --group SG_ID [--group-owner ACCOUNT]) " \
	"[--policy accept|drop] [--priority 1-100]"

const struct cli_verb cli_sg_verbs[] = {
	{ "create", "--region REGION --vpc VPC_ID --name NAME "
	    "--template web-server-linux|web-server-windows|custom "
	    "[--type normal|enterprise] [--description TEXT] "
	    "[--priority 1-100]",
	    "create a group with a template's inbound rules (from 0.0.0.0/0)",
	    "region vpc name template", 0, sg_create },
	{ "authorize", "SG_ID --region REGION " SG_RULE_ARGS
	    " [--egress] [--description TEXT]",
	    "add rules: one per quick name, or one for --protocol/--port",
	    "region", 1, sg_authorize },
	{ "revoke", "SG_ID --region REGION (" SG_RULE_ARGS
	    " | --rule-id SGR_ID...) [--egress]",
	    "remove the rules described as for authorize, or by rule id",
	    "region", 1, sg_revoke },
	{ "list", "--region REGION [--vpc VPC_ID]",
	    "the region's groups", "region", 0, sg_list },
	{ "show", "SG_ID --region REGION",
	    "a group and its rules, in the order they are evaluated",
	    "region", 1, sg_show },
	{ "delete", "SG_ID --region REGION", "delete a group", "region", 1,
	    sg_delete },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};
