/*
 * drv_ext: the external driver (drv.h). An ENI with Driver=external is an
 * interface that already exists in the host namespace — a VM's tap or a
 * container's veth that its owner moved there:
 *
 *   ip link set tap7 netns sekisho-host          (a VM tap)
 *   ip link set veth1a2b netns sekisho-host      (the host end of a
 *                                                  container's veth pair)
 *
 * The guest configures its own MAC and address (those of the ENI: the
 * anti-spoofing rules drop anything else). The agent enslaves the
 * interface to the ENI's bridge, marks it with its alias, and sets it up
 * while the instance runs and down when it stops; when the binding goes
 * away it releases the interface from the bridge and clears the alias,
 * never deleting it (it is not ours). Names the agent itself uses are
 * refused.
 */
#include <string.h>

#include "agent/drv.h"
#include "lib/err.h"

static int
drv_ext_reserved(const char *name)
{
	static const char *const pfx[] = { "ske", "skp", "sko", "skv", NULL };

	for (int i = 0; pfx[i]; i++)
		if (strncmp(name, pfx[i], 3) == 0)
			return 1;
	return strcmp(name, AGENT_BR_INET) == 0 ||
	    strcmp(name, AGENT_BR_CLASSIC) == 0 || strcmp(name, "lo") == 0;
}

int
drv_ext_plan(struct drv *d, const struct agent_nic *n,
    const struct drv_obs *o, int dm, struct drv_plan *pre,
    struct drv_plan *post)
{
	const struct drv_link *l = drv_obs_link(o, n->port);
	const char *h = d->hostns;
	char alias[DRV_ALIAS_MAX];
	int r;

	if (drv_ext_reserved(n->port)) {
		sb_addf(&pre->errors, "%s: HostInterface %s is a name the agent "
		    "uses\n", n->eni, n->port);
		return sb_ok(&pre->errors);
	}
	if (l == NULL) {
		sb_addf(&pre->errors, "%s: HostInterface %s is not in namespace "
		    "%s\n", n->eni, n->port, h);
		return sb_ok(&pre->errors);
	}
	if (dm)
		sb_addf(&pre->drift, "link %s (%s)\tbinding changed; restored\n",
		    n->port, n->eni);
	drv_alias(n, "", alias, sizeof(alias));
	if ((r = drv_step_add(pre, DRV_IP, h, "link set %s alias %s", n->port,
	    alias)) < 0 ||
	    (r = drv_step_add(pre, DRV_IP, h, "link set %s master %s",
	    n->port, n->bridge)) < 0)
		return r;
	if (!n->running)
		return l->up ? drv_step_add(pre, DRV_IP, h, "link set %s down",
		    n->port) : 0;
	return drv_step_add(post, DRV_IP, h, "link set %s up", n->port);
}

int
drv_ext_release(const char *hostns, const struct drv_link *l,
    struct drv_plan *pre)
{
	int r;

	if ((r = drv_step_add(pre, DRV_IP, hostns, "link set %s nomaster",
	    l->name)) < 0)
		return r;
	return drv_step_add(pre, DRV_IP, hostns, "link set %s alias \"\"",
	    l->name);
}
