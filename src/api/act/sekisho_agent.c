/*
 * sekisho_agent: our own product (Version 2026-12-01) — the contract
 * between the server and its host agents, and the enforcement status the
 * users see.
 *
 *   GetHostDesiredState       agent: the desired state (whole, or what
 *                             changed since a revision), long-poll
 *                             (sekisho_desired.c)
 *   ReportEnforcementStatus   agent: applied revision, drift, error
 *   DescribeEnforcementStatus anyone: per host desired vs applied
 *   SetNetworkInterfaceDriver owner of an ENI: local | external binding
 *
 * The agent never decides policy: it receives groups, rules and ENIs as
 * stored and compiles them. Host reports live in the meta table, outside
 * the revisioned resources, so that reporting never wakes the long-polls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/act/sekisho_agent_int.h"
#include "lib/tm.h"

#define AGENT_HOSTS_KEY "agent_hosts"

/* The caller's host ("agent:<host>" principal) must be the one asked for. */
int
agent_check_host(struct api_call *c, const char *host)
{
	if (strncmp(c->who.principal, "agent:", 6) != 0 ||
	    strcmp(c->who.principal + 6, host) != 0)
		return api_fail(c, ERR_FORBIDDEN_RAM, NULL);
	return 0;
}

const char *
agent_str(const json_t *doc, const char *key)
{
	const char *s = json_string_value(json_object_get(doc, key));

	return s ? s : "";
}

/* Adds host to the list of hosts that ever reported. */
static int
agent_note_host(struct api_call *c, const char *host)
{
	json_t *hosts = NULL, *e;
	char *text = NULL;
	size_t i;
	int r;

	r = store_meta_get(c->st, AGENT_HOSTS_KEY, &text);
	if (r == 0)
		hosts = json_loads(text, 0, NULL);
	else if (r != -ERR_NOT_FOUND)
		return r;
	free(text);
	text = NULL;
	if (!json_is_array(hosts)) {
		json_decref(hosts);
		hosts = json_array();
	}
	json_array_foreach(hosts, i, e)
		if (strcmp(json_string_value(e), host) == 0)
			goto done;
	json_array_append_new(hosts, json_string(host));
	text = json_dumps(hosts, JSON_COMPACT);
	r = text ? store_meta_put(c->st, AGENT_HOSTS_KEY, text) : -ERR_NOMEM;
done:
	free(text);
	json_decref(hosts);
	return r;
}

static int
act_report_enforcement_status(struct api_call *c)
{
	const char *host = api_str(c, "HostId"), *err = api_str(c, "Error");
	json_t *drift = api_jsonlist(c, "Drift"), *o = NULL;
	char key[160], ts[32], *text = NULL;
	int r;

	if ((r = agent_check_host(c, host)) < 0)
		goto out;
	tm_format_iso(c->now, ts, sizeof(ts));
	o = json_pack("{s:I, s:O, s:s, s:s}", "AppliedRevision",
	    (json_int_t)api_int(c, "AppliedRevision", 0),
	    "Drift", drift ? drift : json_array(), "Error", err ? err : "",
	    "LastReportTime", ts);
	if (drift == NULL)
		json_decref(json_object_get(o, "Drift"));
	if (o == NULL || (text = json_dumps(o, JSON_COMPACT)) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	snprintf(key, sizeof(key), "agent_status:%s", host);
	if ((r = store_meta_put(c->st, key, text)) < 0 ||
	    (r = agent_note_host(c, host)) < 0)
		goto out;
out:
	free(text);
	json_decref(o);
	json_decref(drift);
	return r;
}

static json_t *
agent_host_status(struct api_call *c, const char *host)
{
	uint64_t desired = store_revision(c->st);
	json_t *st = NULL, *o;
	char key[160], *text = NULL;
	json_int_t applied;

	snprintf(key, sizeof(key), "agent_status:%s", host);
	if (store_meta_get(c->st, key, &text) == 0)
		st = json_loads(text, 0, NULL);
	free(text);
	applied = json_integer_value(json_object_get(st, "AppliedRevision"));
	o = json_pack("{s:s, s:I, s:I, s:b, s:s, s:{s:O}, s:s}",
	    "HostId", host, "DesiredRevision", (json_int_t)desired,
	    "AppliedRevision", applied,
	    "InSync", applied >= (json_int_t)desired,
	    "LastReportTime", agent_str(st, "LastReportTime"),
	    "Drift", "Item", json_is_array(json_object_get(st, "Drift")) ?
	    json_object_get(st, "Drift") : json_array(),
	    "Error", agent_str(st, "Error"));
	json_decref(st);
	return o;
}

static int
act_describe_enforcement_status(struct api_call *c)
{
	const char *only = api_str(c, "HostId");
	json_t *hosts = NULL, *arr = json_array(), *e;
	char *text = NULL;
	size_t i;
	int r;

	r = store_meta_get(c->st, AGENT_HOSTS_KEY, &text);
	if (r == 0)
		hosts = json_loads(text, 0, NULL);
	else if (r != -ERR_NOT_FOUND)
		goto out;
	r = 0;
	json_array_foreach(hosts, i, e) {
		const char *h = json_string_value(e);

		if (h && (only == NULL || strcmp(only, h) == 0))
			json_array_append_new(arr, agent_host_status(c, h));
	}
	json_object_set_new(c->out, "Revision",
	    json_integer((json_int_t)store_revision(c->st)));
	json_object_set_new(c->out, "Hosts", api_wrap_list(arr, "Host"));
	arr = NULL;
out:
	free(text);
	json_decref(hosts);
	json_decref(arr);
	return r;
}

/* Interface names as Linux takes them: 1..15 of [A-Za-z0-9_.-]. */
static int
agent_ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 15)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' ||
		    *s == '-'))
			return 0;
	return 1;
}

static int
act_set_eni_driver(struct api_call *c)
{
	const char *id = api_str(c, "NetworkInterfaceId");
	const char *drv = api_str(c, "Driver"), *ifn = api_str(c, "HostInterface");
	struct store_res eni;
	int r;

	if (strcmp(drv, "local") != 0 && strcmp(drv, "external") != 0)
		return api_fail(c, ERR_INVALID_PARAMETER, "Driver");
	if (strcmp(drv, "external") == 0 && (ifn == NULL || !agent_ifname_ok(ifn)))
		return api_fail(c, ERR_INVALID_PARAMETER, "HostInterface");
	r = store_res_get(c->st, id, &eni);
	if (r == -ERR_NOT_FOUND || (r == 0 && (strcmp(eni.kind, "eni") != 0 ||
	    strcmp(eni.account, c->who.account) != 0))) {
		store_res_clear(&eni);
		return api_fail(c, ERR_ENI_NOT_FOUND, "%s", id);
	}
	if (r < 0)
		return r;
	json_object_set_new(eni.doc, "Driver", json_string(drv));
	json_object_set_new(eni.doc, "HostInterface",
	    json_string(strcmp(drv, "external") == 0 ? ifn : ""));
	r = store_res_put(c->st, &eni);
	store_res_clear(&eni);
	return r;
}

static const struct api_param p_desired[] = {
	{ "HostId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "SinceRevision", PT_INT, 0, 0, INT64_MAX, NULL, 0 },
	{ "WaitSeconds", PT_INT, 0, 0, 25, NULL, 0 },
	{ "Delta", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

static const struct api_param p_report[] = {
	{ "HostId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "AppliedRevision", PT_INT, AP_REQUIRED, 0, INT64_MAX, NULL, 0 },
	{ "Drift", PT_JSONLIST, 0, 0, 1000, NULL, 0 },
	{ "Error", PT_STR, 0, 0, 2048, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

static const struct api_param p_describe[] = {
	{ "HostId", PT_STR, 0, 1, 64, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

static const struct api_param p_driver[] = {
	{ "NetworkInterfaceId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "Driver", PT_STR, AP_REQUIRED, 1, 16, NULL, 0 },
	{ "HostInterface", PT_STR, 0, 0, 64, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

const struct api_action act_sekisho_agent_actions[] = {
	{ "2026-12-01", "GetHostDesiredState", "sekisho:GetHostDesiredState",
	  act_get_host_desired_state, p_desired, AF_AGENT | AF_LONGPOLL },
	{ "2026-12-01", "ReportEnforcementStatus",
	  "sekisho:ReportEnforcementStatus", act_report_enforcement_status,
	  p_report, AF_AGENT | AF_WRITE },
	{ "2026-12-01", "DescribeEnforcementStatus",
	  "sekisho:DescribeEnforcementStatus", act_describe_enforcement_status,
	  p_describe, 0 },
	{ "2026-12-01", "SetNetworkInterfaceDriver",
	  "sekisho:SetNetworkInterfaceDriver", act_set_eni_driver, p_driver,
	  AF_WRITE },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
