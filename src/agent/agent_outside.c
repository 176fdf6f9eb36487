/*
 * agent_outside: "outside hosts" — namespaces that stand for machines on
 * the internet, for tests and demos: namespace NAME with eth0 = IP/15 on
 * the internet bridge skinet of the host namespace (host side sko<8 hex>),
 * default route via the bridge's 198.19.255.253. Only 198.18.0.0/15 (RFC
 * 2544 benchmarking space) is accepted, so an outside host never shadows
 * a real address. The server hands out classic public addresses from the
 * head of the same block (198.18.0.1, ...): give outside hosts addresses
 * from its end (198.19.x) so they never meet.
 * The namespace carries the loopback alias "sekisho-outside:<host ns>";
 * `outside del` removes only namespaces marked so.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "agent/agent_int.h"
#include "lib/err.h"

static int
outside_ours(const char *hostns, const char *name)
{
	static const char *const la[] = { "-j", "link", "show", "lo", NULL };
	struct sb out = SB_INIT;
	char want[AGENT_NAME_MAX + 32];
	json_t *j = NULL;
	const char *alias;
	int ours = 0;

	snprintf(want, sizeof(want), "sekisho-outside:%s", hostns);
	if (agent_ip(name, la, NULL, &out, NULL) == 0 &&
	    (j = json_loads(sb_str(&out), 0, NULL)) != NULL) {
		alias = json_string_value(json_object_get(json_array_get(j, 0),
		    "ifalias"));
		ours = alias && strcmp(alias, want) == 0;
	}
	json_decref(j);
	sb_free(&out);
	return ours;
}

/* A usable host address of the /15 (vSwitch rules: not the first, not
 * the three last — the gateway is one of them). */
static int
outside_ip_ok(const char *ip, struct cidr *out)
{
	struct cidr net;

	return cidr_parse_addr(ip, out) == 0 &&
	    cidr_parse(AGENT_INET_NET, &net) == 0 &&
	    cidr_vsw_is_usable(&net, out);
}

int
agent_outside_add(const char *hostns, const char *name, const char *ip)
{
	struct drv d;
	struct drv_obs o = { 0 };
	struct drv_plan p = { 0 };
	struct sb err = SB_INIT;
	char port[AGENT_IFNAME_MAX];
	struct cidr addr;
	int r;

	if (!agent_name_ok(name, AGENT_NAME_MAX) ||
	    strcmp(name, hostns) == 0) {
		fprintf(stderr, "outside: bad name %s\n", name);
		return -ERR_INVALID_PARAMETER;
	}
	if (!outside_ip_ok(ip, &addr)) {
		fprintf(stderr, "outside: %s is not a usable address of %s "
		    "(the first and the last three are reserved; %s is the "
		    "gateway)\n", ip, AGENT_INET_NET, AGENT_INET_GW_ADDR);
		return -ERR_INVALID_PARAMETER;
	}
	if ((r = drv_init(&d, hostns)) < 0)
		return r;
	if (agent_ns_exists(name)) {
		if (!outside_ours(hostns, name)) {
			fprintf(stderr, "outside: namespace %s exists and is "
			    "not an outside host of %s\n", name, hostns);
			r = -ERR_INVALID_PARAMETER;
			goto out;
		}
		if ((r = drv_step_add(&p, DRV_IP, "", "netns del %s", name)) < 0)
			goto out;
	}
	drv_outside_name(name, port);
	if ((r = drv_observe(&d, 0, &o, &err)) < 0 ||
	    (r = drv_plan_inet(&d, &o, &p)) < 0 ||
	    (r = drv_step_add(&p, DRV_IP, "", "netns add %s", name)) < 0 ||
	    (r = drv_step_add(&p, DRV_IP, name, "link set lo up")) < 0 ||
	    (r = drv_step_add(&p, DRV_IP, name,
	    "link set lo alias sekisho-outside:%s", hostns)) < 0 ||
	    (r = drv_step_add(&p, DRV_IP, hostns,
	    "link add %s type veth peer name eth0 netns %s", port, name)) < 0 ||
	    (r = drv_step_add(&p, DRV_IP, hostns,
	    "link set %s alias sekisho-outside:%s", port, name)) < 0 ||
	    (r = drv_step_add(&p, DRV_IP, hostns, "link set %s master %s",
	    port, AGENT_BR_INET)) < 0 ||
	    (r = drv_step_add(&p, DRV_IP, hostns, "link set %s up", port)) < 0 ||
	    (r = drv_step_add(&p, DRV_IP, name, "addr replace %s/15 dev eth0",
	    ip)) < 0 ||
	    (r = drv_step_add(&p, DRV_IP, name, "link set eth0 up")) < 0 ||
	    (r = drv_step_add(&p, DRV_IP, name,
	    "route replace default via %s dev eth0", AGENT_INET_GW_ADDR)) < 0)
		goto out;
	if ((r = drv_exec(&d, &p, &err)) < 0)
		fprintf(stderr, "outside: %s\n", sb_str(&err));
out:
	drv_obs_free(&o);
	drv_plan_free(&p);
	drv_fini(&d);
	sb_free(&err);
	return r;
}

int
agent_outside_del(const char *hostns, const char *name)
{
	static const char *const args[] = { "netns", "del", NULL, NULL };
	const char *a[4];
	struct sb err = SB_INIT;
	int r;

	if (!agent_name_ok(name, AGENT_NAME_MAX) || !agent_ns_exists(name)) {
		fprintf(stderr, "outside: no namespace %s\n", name ? name : "");
		return -ERR_NOT_FOUND;
	}
	if (!outside_ours(hostns, name)) {
		fprintf(stderr, "outside: %s is not an outside host of %s\n",
		    name, hostns);
		return -ERR_INVALID_PARAMETER;
	}
	memcpy(a, args, sizeof(a));
	a[2] = name;
	if ((r = agent_ip(NULL, a, NULL, NULL, &err)) < 0)
		fprintf(stderr, "outside: %s\n", sb_str(&err));
	sb_free(&err);
	return r;
}
