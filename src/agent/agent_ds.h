/*
 * agent_ds: the drivers' view of a validated desired state — this host's
 * NICs (one per struct fw_port of fw_input: a classic ENI has two) with
 * what the inside needs (address/prefix, gateway, default route, MAC) and
 * the bridges with their gateway addresses. Everything comes from
 * struct fw_input (fw_input_from_json validated it): the drivers and the
 * firewall compiler read one parse of the document, with the same port
 * names. The agent never decides policy.
 */
#ifndef SEKISHO_AGENT_DS_H
#define SEKISHO_AGENT_DS_H

#include <stddef.h>

#include "agent/agent_sys.h"
#include "fw/fw.h"
#include "lib/cidr.h"

/* The classic network's intranet bridge and the internet bridge. */
#define AGENT_BR_CLASSIC FW_BR_CLASSIC
#define AGENT_BR_INET FW_BR_INET
/*
 * The gateways are the first of the three reserved tail addresses of
 * their block, as a vSwitch's GatewayIp (COMPAT: CreateVSwitch doc): the
 * server's address pools never hand them out (src/sg/ipam.h allocates
 * classic public addresses from the head of 198.18.0.0/15).
 */
#define AGENT_CLASSIC_GW "192.168.255.253/16"
#define AGENT_INET_GW "198.19.255.253/15"
#define AGENT_INET_GW_ADDR "198.19.255.253"
#define AGENT_INET_NET "198.18.0.0/15"
#define AGENT_NIC_ADDRS 8

/* One NIC of an instance as the drivers see it. */
struct agent_nic {
	char eni[AGENT_NAME_MAX];
	char inst[AGENT_NAME_MAX];
	char port[AGENT_IFNAME_MAX];	/* host side: ske… or HostInterface */
	char bridge[AGENT_IFNAME_MAX];	/* skv<zone>, skclassic, skinet */
	char mac[18];
	struct cidr addr[AGENT_NIC_ADDRS]; /* IPv4 address/prefix; [0] main */
	size_t naddr;
	struct cidr gw;			/* the subnet's gateway address/prefix,
					 * carried by the bridge */
	unsigned primary:1;		/* eth0 */
	unsigned defroute:1;		/* default route via gw */
	unsigned internet:1;		/* classic internet NIC (eth1) */
	unsigned running:1;
	unsigned external:1;
};

/* A bridge of a VPC (or classic/internet) with its gateway addresses. */
struct agent_br {
	char name[AGENT_IFNAME_MAX];
	struct cidr gw[64];		/* addr/prefix */
	size_t ngw;
};

struct agent_ds {
	long long revision;
	struct agent_nic *nics;		/* sorted by (inst, primary first,
					 * eni, internet) */
	size_t nnics;
	struct agent_br *brs;		/* skinet, and the bridges NICs need */
	size_t nbrs;
};

/* 0, -ERR_NOMEM or -ERR_INVALID_PARAMETER (a NIC the drivers cannot
 * build: why says which). agent_ds_free is NULL-safe. */
int agent_ds_from_fw(const struct fw_input *in, struct agent_ds **out,
    struct sb *why);
void agent_ds_free(struct agent_ds *ds);
/* 1 when both ask the drivers for exactly the same (revision aside). */
int agent_ds_equal(const struct agent_ds *a, const struct agent_ds *b);

#endif
