/*
 * cli_eng: the decision engine for people — four commands, each one call
 * of our own product (sekisho 2026-12-01, docs/api.md), its answer shown
 * as text that says which gate, which rule and why (or, with --json, the
 * answer as it came):
 *
 *   explain  ExplainPacket: --from/--to an instance (i-…), an ENI (eni-…)
 *            or an address, a protocol and port
 *   rules    DescribeEffectiveRules of an instance or ENI
 *   reach    DescribeReachability --to (or --from) an instance or ENI
 *   analyze  AnalyzeSecurityGroup of one group, or of every group
 *
 * API parameters (--AddPermissions.1.SecurityGroupId sg-… and so on) are
 * passed through: a what-if change for explain, rules and reach. The
 * region is the server's to infer from the ids unless --region says.
 * These rows of the command table have a verb table (cli_eng_verbs, one
 * row per command, its synopsis naming the options it takes) so that the
 * command options reach them; cli_eng_main checks and runs them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"

#define ENG_PRODUCT "sekisho"	/* cli_prod.c: version 2026-12-01 */

static const struct {
	const char *name, *meta, *help;
} eng_copts[] = {
#define X(name, meta, repeat, help) { name, meta, help },
	CLI_COPTS(X)
#undef X
	{ NULL, NULL, NULL },
};

static int eng_usage(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
eng_usage(const char *fmt, ...)
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
eng_opt(const struct cli_sess *s, const char *name)
{
	return cli_opt(s->ctx, name);
}

/* --from/--to VALUE: an instance, an ENI or an address. */
static void
eng_end(struct cli_sess *s, const char *side, const char *v)
{
	const char *kind = strncmp(v, "i-", 2) == 0 ? "InstanceId" :
	    strncmp(v, "eni-", 4) == 0 ? "NetworkInterfaceId" : "Ip";

	cli_sess_setf(s, v, "%s%s", side, kind);
}

/* Protocol and DestinationPort from --tcp/--udp/--icmp/--protocol. */
static int
eng_proto(struct cli_sess *s)
{
	const char *tcp = eng_opt(s, "tcp"), *udp = eng_opt(s, "udp");
	const char *icmp = eng_opt(s, "icmp"), *proto = eng_opt(s, "protocol");
	const char *port = eng_opt(s, "port");
	int n = (tcp != NULL) + (udp != NULL) + (icmp != NULL) + (proto != NULL);

	if (n != 1)
		return eng_usage("give one of --tcp PORT, --udp PORT, --icmp "
		    "or --protocol PROTO");
	if (port && proto == NULL)
		return eng_usage("--port goes with --protocol (--tcp and --udp "
		    "take the port)");
	cli_sess_set(s, "Protocol", tcp ? "tcp" : udp ? "udp" : icmp ? "icmp" :
	    proto);
	cli_sess_set(s, "DestinationPort", tcp ? tcp : udp ? udp : port);
	return CLI_EXIT_OK;
}

/* The API parameters of the command line: a what-if change. */
static void
eng_passthrough(struct cli_sess *s)
{
	for (size_t i = 0; i < s->ctx->params.n; i++)
		cli_sess_set(s, s->ctx->params.v[i].key, s->ctx->params.v[i].val);
}

/* "tcp 22 from 10.0.0.0/8", "all to sg-… of account …" of a Permission. */
static void
eng_perm_text(const json_t *p, char *out, size_t len)
{
	static const char *const peers[2][4] = {
		{ "SourceCidrIp", "Ipv6SourceCidrIp", "SourceGroupId",
		  "SourcePrefixListId" },
		{ "DestCidrIp", "Ipv6DestCidrIp", "DestGroupId",
		  "DestPrefixListId" } };
	char b1[32], b2[32], b3[32], proto[16], pr[32] = "";
	const char *peer = "", *owner, *ports;
	int eg, lo, hi;

	eg = strcmp(cli_js(p, "Direction", b1), "egress") == 0;
	ports = cli_js(p, "PortRange", b1);
	if (sscanf(ports, "%d/%d", &lo, &hi) == 2 && lo > 0)
		snprintf(pr, sizeof(pr), lo == hi ? " %d" : " %d-%d", lo, hi);
	snprintf(proto, sizeof(proto), "%s", cli_js(p, "IpProtocol", b1));
	for (char *c = proto; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	for (int i = 0; i < 4 && peer[0] == '\0'; i++)
		peer = cli_js(p, peers[eg][i], b2);
	owner = cli_js(p, eg ? "DestGroupOwnerAccount" :
	    "SourceGroupOwnerAccount", b3);
	snprintf(out, len, "%s%s %s %s%s%s", proto, pr, eg ? "to" : "from",
	    peer, owner[0] ? " of account " : "", owner);
}

/* ---- explain ---------------------------------------------------------- */

static void
eng_gate_line(const json_t *g, const char *gate, const json_t *flow)
{
	const json_t *d = json_object_get(g, "DecidingItem");
	const json_t *perm = json_object_get(d, "Permission");
	char buf[32], text[256];

	if (!json_is_true(json_object_get(g, "Present"))) {
		printf("  %-8s %s is outside: no gate\n", gate, cli_js(flow,
		    strcmp(gate, "egress") == 0 ? "SourceIp" : "DestinationIp",
		    buf));
		return;
	}
	printf("  %-8s %s%s%s%s  %-6s %s%s\n", gate,
	    cli_js(g, "NetworkInterfaceId", buf),
	    cli_js(g, "InstanceId", buf)[0] ? " (" : "",
	    cli_js(g, "InstanceId", buf),
	    cli_js(g, "InstanceId", buf)[0] ? ")" : "",
	    strcmp(cli_js(g, "Verdict", buf), "Accept") == 0 ? "accept" :
	    "DROP", cli_js(d, "Description", buf),
	    json_is_true(json_object_get(d, "Proposed")) ? " [proposed]" : "");
	if (perm) {
		eng_perm_text(perm, text, sizeof(text));
		printf("  %-8s   the rule: %s\n", "", text);
	}
}

/* "tcp 10.0.0.1:40000 -> 10.0.0.2:22 (new)" */
static const char *
eng_flow_text(const json_t *f, char *out, size_t len)
{
	char proto[16], b1[32], b2[32], sp[16] = "", dp[16] = "";
	int ported;

	snprintf(proto, sizeof(proto), "%s", cli_js(f, "Protocol", b1));
	for (char *c = proto; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	ported = strcmp(proto, "tcp") == 0 || strcmp(proto, "udp") == 0;
	if (ported) {
		snprintf(sp, sizeof(sp), ":%s", cli_js(f, "SourcePort", b1));
		snprintf(dp, sizeof(dp), ":%s", cli_js(f, "DestinationPort", b2));
	}
	snprintf(out, len, "%s %s%s -> %s%s (%s)", proto,
	    cli_js(f, "SourceIp", b1), sp, cli_js(f, "DestinationIp", b2), dp,
	    cli_js(f, "ConnectionState", b1));
	return out;
}

static void
eng_explain_print(const json_t *a)
{
	static const char *const head[] = { "GATE", "#", "KIND", "PRIORITY",
	    "POLICY", "ITEM", "RULE" };
	const json_t *flow = json_object_get(a, "Flow"), *it;
	const json_t *items = json_object_get(json_object_get(a,
	    "MatchedItems"), "Item");
	char b1[32], b2[32], b3[32], text[256];
	struct cli_tab t;
	size_t i;

	printf("%s: %s\n", json_is_true(json_object_get(a, "Accept")) ?
	    "ACCEPT" : "DROP", eng_flow_text(flow, text, sizeof(text)));
	eng_gate_line(json_object_get(a, "Egress"), "egress", flow);
	eng_gate_line(json_object_get(a, "Ingress"), "ingress", flow);
	if (json_is_true(json_object_get(a, "WhatIf")))
		printf("  (as if the proposed change were applied; nothing "
		    "was changed)\n");
	printf("\nMatched, in evaluation order (the first of each gate "
	    "decides):\n");
	cli_tab_init(&t, 7, head);
	json_array_foreach(items, i, it) {
		const json_t *perm = json_object_get(it, "Permission");

		text[0] = '\0';
		if (perm)
			eng_perm_text(perm, text, sizeof(text));
		cli_tab_add(&t, strcmp(cli_js(it, "Gate", b1), "Egress") == 0 ?
		    "egress" : "ingress");
		cli_tab_add(&t, cli_js(it, "Order", b2));
		cli_tab_add(&t, cli_js(it, "Kind", b3));
		cli_tab_add(&t, cli_js(it, "Priority", b1));
		cli_tab_add(&t, cli_js(it, "Policy", b2));
		cli_tab_add(&t, cli_js(it, "Description", b3));
		cli_tab_add(&t, text);
	}
	cli_tab_print(&t, stdout);
	printf("\nWhy: %s\n", cli_js(a, "Reason", b1));
}

static int
eng_explain(struct cli_sess *s)
{
	int rc;

	cli_sess_set(s, "RegionId", eng_opt(s, "region"));
	eng_end(s, "Source", eng_opt(s, "from"));
	eng_end(s, "Destination", eng_opt(s, "to"));
	if ((rc = eng_proto(s)) != CLI_EXIT_OK)
		return rc;
	cli_sess_set(s, "SourcePort", eng_opt(s, "sport"));
	cli_sess_set(s, "ConnectionState", eng_opt(s, "state"));
	eng_passthrough(s);
	if ((rc = cli_sess_call(s, ENG_PRODUCT, "ExplainPacket")) ==
	    CLI_EXIT_OK && !cli_sess_quiet(s))
		eng_explain_print(s->last);
	return rc;
}

/* ---- rules -------------------------------------------------------------- */

/* The note of an effective-rule line: why it never decides. */
static void
eng_rule_note(const json_t *l, char *out, size_t len)
{
	const json_t *by = json_object_get(l, "ShadowedBy");
	char b1[32], b2[32];

	out[0] = '\0';
	if (json_is_true(json_object_get(l, "NeverMatches")))
		snprintf(out, len, "never matches");
	else if (by)
		snprintf(out, len, "%s by %s (%s)",
		    json_is_true(json_object_get(l, "Redundant")) ?
		    "redundant: covered" : "SHADOWED", cli_js(by,
		    "SecurityGroupRuleId", b1)[0] ? cli_js(by,
		    "SecurityGroupRuleId", b1) : cli_js(by, "Kind", b1),
		    cli_js(by, "SecurityGroupId", b2));
	else if (json_is_true(json_object_get(l, "Shadowed")))
		snprintf(out, len, "never decides");
	if (json_is_true(json_object_get(l, "Proposed")))
		snprintf(out + strlen(out), len - strlen(out), "%sproposed",
		    out[0] ? "; " : "");
}

static void
eng_rules_print(const json_t *a)
{
	static const char *const head[] = { "DIR", "#", "PRIORITY", "POLICY",
	    "RULE", "GROUP", "MATCHES", "NOTE", "NIC" };
	const json_t *lines = json_object_get(json_object_get(a, "Rules"),
	    "Rule"), *l, *gs = json_object_get(json_object_get(a,
	    "SecurityGroupIds"), "SecurityGroupId"), *g;
	char b1[32], b2[32], text[256], note[256];
	struct cli_tab t;
	size_t i;
	int classic;

	printf("%s%s%s%s, %s network%s%s, groups:", cli_js(a,
	    "NetworkInterfaceId", b1), cli_js(a, "InstanceId", b2)[0] ?
	    " (" : "", cli_js(a, "InstanceId", b2), cli_js(a, "InstanceId",
	    b2)[0] ? ")" : "", cli_js(a, "NetworkType", b1),
	    cli_js(a, "VpcId", b2)[0] ? " " : "", cli_js(a, "VpcId", b2));
	json_array_foreach(gs, i, g)
		printf(" %s", json_string_value(g));
	printf("\n\n");
	/* VPC rules have no NIC type: the column is for classic ENIs. */
	classic = strcmp(cli_js(a, "NetworkType", b1), "classic") == 0;
	cli_tab_init(&t, classic ? 9 : 8, head);
	json_array_foreach(lines, i, l) {
		const char *kind = cli_js(l, "Kind", b1);

		if (strcmp(kind, "Rule") == 0)
			eng_perm_text(json_object_get(l, "Permission"), text,
			    sizeof(text));
		else if (strcmp(kind, "InnerAccessPolicy") == 0)
			snprintf(text, sizeof(text), "all from members of %s",
			    cli_js(l, "SecurityGroupId", b2));
		else
			snprintf(text, sizeof(text), "everything else");
		eng_rule_note(l, note, sizeof(note));
		cli_tab_add(&t, cli_js(l, "Direction", b2));
		cli_tab_add(&t, cli_js(l, "Order", b2));
		cli_tab_add(&t, cli_js(l, "Priority", b2));
		cli_tab_add(&t, cli_js(l, "Policy", b2));
		cli_tab_add(&t, strcmp(kind, "Rule") == 0 ?
		    cli_js(l, "SecurityGroupRuleId", b2) : kind);
		cli_tab_add(&t, cli_js(l, "SecurityGroupId", b2));
		cli_tab_add(&t, text);
		cli_tab_add(&t, note);
		if (classic)
			cli_tab_add(&t, cli_js(l, "NicType", b2));
	}
	cli_tab_print(&t, stdout);
	printf("\n%s lines, %s of them never decide%s\n",
	    cli_js(a, "TotalCount", b1), cli_js(a, "ShadowedCount", b2),
	    json_is_true(json_object_get(a, "WhatIf")) ?
	    " (with the proposed change; nothing was changed)" : "");
}

static int
eng_rules(struct cli_sess *s)
{
	const char *in = eng_opt(s, "ingress"), *out = eng_opt(s, "egress");
	int rc;

	if (in && out)
		return eng_usage("--ingress or --egress, not both");
	cli_sess_set(s, "RegionId", eng_opt(s, "region"));
	cli_sess_set(s, strncmp(s->id, "i-", 2) == 0 ? "InstanceId" :
	    "NetworkInterfaceId", s->id);
	cli_sess_set(s, "Direction", in ? "ingress" : out ? "egress" : NULL);
	eng_passthrough(s);
	if ((rc = cli_sess_call(s, ENG_PRODUCT, "DescribeEffectiveRules")) ==
	    CLI_EXIT_OK && !cli_sess_quiet(s))
		eng_rules_print(s->last);
	return rc;
}

/* ---- reach -------------------------------------------------------------- */

/* "sgr-…/1", "default/110", "inner sg-…" of a brief item. */
static void
eng_brief(const json_t *it, char *out, size_t len)
{
	char b1[32], b2[32];
	const char *kind = cli_js(it, "Kind", b1);

	if (strcmp(kind, "Rule") == 0)
		snprintf(out, len, "%s (%s, %s)", cli_js(it,
		    "SecurityGroupRuleId", b1), cli_js(it, "SecurityGroupId",
		    b2), cli_js(it, "Priority", b1));
	else if (strcmp(kind, "InnerAccessPolicy") == 0)
		snprintf(out, len, "same group %s", cli_js(it,
		    "SecurityGroupId", b2));
	else
		snprintf(out, len, "%s/%s", kind, cli_js(it, "Priority", b2));
}

static void
eng_reach_print(const json_t *a, const char *what)
{
	static const char *const head[] = { "INSTANCE", "ENI", "ADDRESS",
	    "EGRESS", "INGRESS" };
	const json_t *peers = json_object_get(json_object_get(a, "Peers"),
	    "Peer"), *p, *inet = json_object_get(a, "Internet");
	const json_t *ranges = json_object_get(json_object_get(inet, "Ranges"),
	    "Range"), *r;
	char b1[32], b2[32], text[256];
	int to = strcmp(cli_js(a, "Direction", b1), "to") == 0;
	struct cli_tab t;
	size_t i;

	printf("%s %s %s (%s): %s of %s network interfaces on its network "
	    "%s\n", what, to ? "to" : "from", cli_js(a, "InstanceId", b1)[0] ?
	    cli_js(a, "InstanceId", b1) : cli_js(a, "NetworkInterfaceId", b1),
	    cli_js(a, "NetworkInterfaceId", b2), cli_js(a, "TotalCount", b1),
	    cli_js(a, "EvaluatedCount", b2), to ? "can connect to it" :
	    "it can connect to");
	if (json_array_size(peers)) {
		cli_tab_init(&t, 5, head);
		json_array_foreach(peers, i, p) {
			cli_tab_add(&t, cli_js(p, "InstanceId", b1));
			cli_tab_add(&t, cli_js(p, "NetworkInterfaceId", b1));
			cli_tab_add(&t, cli_js(p, "PrivateIpAddress", b1));
			eng_brief(json_object_get(p, "EgressItem"), text,
			    sizeof(text));
			cli_tab_add(&t, text);
			eng_brief(json_object_get(p, "IngressItem"), text,
			    sizeof(text));
			cli_tab_add(&t, text);
		}
		cli_tab_print(&t, stdout);
	}
	printf("internet: ");
	if (json_is_true(json_object_get(inet, "AllAddresses")))
		printf("every address\n");
	else if (!json_is_true(json_object_get(inet, "Reachable")))
		printf("no address\n");
	else {
		json_array_foreach(ranges, i, r)
			printf("%s%s", i ? ", " : "", json_string_value(r));
		printf("%s\n", json_is_true(json_object_get(inet, "Truncated")) ?
		    ", ..." : "");
	}
}

static int
eng_reach(struct cli_sess *s)
{
	const char *to = eng_opt(s, "to"), *from = eng_opt(s, "from");
	char what[64];
	int rc;

	if ((to == NULL) == (from == NULL))
		return eng_usage("reach needs --to or --from (one of them)");
	cli_sess_set(s, "RegionId", eng_opt(s, "region"));
	cli_sess_setf(s, to ? to : from, "%s%s", to ? "Destination" : "Source",
	    strncmp(to ? to : from, "i-", 2) == 0 ? "InstanceId" :
	    "NetworkInterfaceId");
	if ((rc = eng_proto(s)) != CLI_EXIT_OK)
		return rc;
	eng_passthrough(s);
	if (eng_opt(s, "tcp") || eng_opt(s, "udp"))
		snprintf(what, sizeof(what), "%s/%s", eng_opt(s, "tcp") ? "tcp" :
		    "udp", eng_opt(s, "tcp") ? eng_opt(s, "tcp") :
		    eng_opt(s, "udp"));
	else
		snprintf(what, sizeof(what), "%s%s%s", eng_opt(s, "icmp") ?
		    "icmp" : eng_opt(s, "protocol"), eng_opt(s, "port") ? "/" :
		    "", eng_opt(s, "port") ? eng_opt(s, "port") : "");
	if ((rc = cli_sess_call(s, ENG_PRODUCT, "DescribeReachability")) ==
	    CLI_EXIT_OK && !cli_sess_quiet(s))
		eng_reach_print(s->last, what);
	return rc;
}

/* ---- analyze ------------------------------------------------------------ */

static void
eng_analyze_print(const json_t *a)
{
	static const char *const head[] = { "SEVERITY", "GROUP", "RULE",
	    "KIND", "PORT", "WHY" };
	const json_t *ws = json_object_get(json_object_get(a, "Warnings"),
	    "Warning"), *w;
	const json_t *gs = json_object_get(json_object_get(a,
	    "SecurityGroups"), "SecurityGroup");
	char b1[32];
	struct cli_tab t;
	size_t i;

	if (json_array_size(ws)) {
		cli_tab_init(&t, 6, head);
		json_array_foreach(ws, i, w) {
			cli_tab_add(&t, cli_js(w, "Severity", b1));
			cli_tab_add(&t, cli_js(w, "SecurityGroupId", b1));
			cli_tab_add(&t, cli_js(w, "SecurityGroupRuleId", b1));
			cli_tab_add(&t, cli_js(w, "Kind", b1));
			cli_tab_add(&t, json_integer_value(json_object_get(w,
			    "Port")) ? cli_js(w, "Port", b1) : "");
			cli_tab_add(&t, cli_js(w, "Message", b1));
		}
		cli_tab_print(&t, stdout);
		printf("\n");
	}
	printf("%zu warning%s in %zu group%s\n", json_array_size(ws),
	    json_array_size(ws) == 1 ? "" : "s", json_array_size(gs),
	    json_array_size(gs) == 1 ? "" : "s");
}

static int
eng_analyze(struct cli_sess *s)
{
	int rc;

	if (s->id == NULL && eng_opt(s, "region") == NULL)
		return eng_usage("analyze needs SG_ID or --region REGION");
	cli_sess_set(s, "RegionId", eng_opt(s, "region"));
	cli_sess_set(s, "SecurityGroupId", s->id);
	if ((rc = cli_sess_call(s, ENG_PRODUCT, "AnalyzeSecurityGroup")) ==
	    CLI_EXIT_OK && !cli_sess_quiet(s))
		eng_analyze_print(s->last);
	return rc;
}

/* ---- the commands --------------------------------------------------------- */

#define ENG_PROTO_ARGS \
	"(--tcp PORT | --udp PORT | --icmp | --protocol PROTO [--port PORT])"

/* nid: positional ids after the command (analyze: 0 or 1, written -1). */
const struct cli_verb cli_eng_verbs[] = {
	{ "explain", "--from I|ENI|IP --to I|ENI|IP " ENG_PROTO_ARGS
	    " [--sport PORT] [--state STATE] [--region REGION]",
	    "which gate and which rule decide a packet, and every rule it "
	    "matches", "from to", 0, eng_explain },
	{ "rules", "INSTANCE|ENI [--ingress | --egress] [--region REGION]",
	    "an ENI's rules merged from all its groups, in evaluation order, "
	    "with the ones that never decide", "", 1, eng_rules },
	{ "reach", "(--to I|ENI | --from I|ENI) " ENG_PROTO_ARGS
	    " [--region REGION]",
	    "every instance (and internet range) that can reach it, or that "
	    "it can reach", "", 0, eng_reach },
	{ "analyze", "[SG_ID] [--region REGION]",
	    "warnings: admin ports open to everyone, shadowed and redundant "
	    "rules, empty groups, references to deleted groups", "", -1,
	    eng_analyze },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

/* Does the synopsis name --name? */
static int
eng_takes(const struct cli_verb *v, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = v->args; (p = strstr(p, "--")) != NULL; p += 2)
		if (strncmp(p + 2, name, n) == 0 && strchr(" ]|)", p[2 + n]))
			return 1;
	return 0;
}

static void
eng_help(const struct cli_verb *v)
{
	printf("usage: sekisho %s %s\n%s\n\nOptions:\n", v->name, v->args,
	    v->help);
	for (int k = 0; eng_copts[k].name; k++)
		if (eng_takes(v, eng_copts[k].name))
			printf("  --%s%s%s\n      %s\n", eng_copts[k].name,
			    eng_copts[k].meta ? " " : "",
			    eng_copts[k].meta ? eng_copts[k].meta : "",
			    eng_copts[k].help);
	printf("  --json\n      print the answer as the server sent it\n");
	if (strcmp(v->name, "analyze") != 0)
		printf("  --AddPermissions.N.Field VALUE, "
		    "--RemovePermissions.N.Field VALUE\n      what-if: answer "
		    "as if these rules were added/removed (docs/api.md)\n");
	printf("Global options: sekisho --help.\n");
}

static int
eng_check(const struct cli_ctx *ctx, const struct cli_verb *v)
{
	size_t ids = ctx->nwords - 1;
	const char *p, *e;
	char name[32];

	if (v->nid >= 0 ? ids != (size_t)v->nid : ids > 1)
		return eng_usage("usage: sekisho %s %s", v->name, v->args);
	if (ctx->params.n > 0 && strcmp(v->name, "analyze") == 0)
		return eng_usage("analyze takes no API parameter (--%s)",
		    ctx->params.v[0].key);
	for (size_t i = 0; i < ctx->copts.n; i++)
		if (!eng_takes(v, ctx->copts.v[i].key))
			return eng_usage("%s does not take --%s", v->name,
			    ctx->copts.v[i].key);
	for (p = v->need; *p; p = e + strspn(e, " ")) {
		e = p + strcspn(p, " ");
		snprintf(name, sizeof(name), "%.*s", (int)(e - p), p);
		if (cli_opt(ctx, name) == NULL || cli_opt(ctx, name)[0] == 0)
			return eng_usage("%s needs --%s", v->name, name);
	}
	return CLI_EXIT_OK;
}

int
cli_eng_main(struct cli_ctx *ctx)
{
	const struct cli_verb *v = NULL;
	struct cli_sess s;
	int rc;

	for (size_t i = 0; cli_eng_verbs[i].name && v == NULL; i++)
		if (strcmp(cli_eng_verbs[i].name, ctx->words[0]) == 0)
			v = &cli_eng_verbs[i];
	if (v == NULL)
		return eng_usage("unknown command '%s'", ctx->words[0]);
	if (ctx->o.help) {
		eng_help(v);
		return CLI_EXIT_OK;
	}
	if ((rc = eng_check(ctx, v)) != CLI_EXIT_OK)
		return rc;
	cli_sess_init(&s, ctx);
	s.id = ctx->nwords > 1 ? ctx->words[1] : NULL;
	return cli_sess_end(&s, v->run(&s));
}
