/*
 * nftb_gen: the ruleset generation of a namespace (NFT_MSG_GETGEN over
 * nfnetlink). Every committed nftables transaction in a namespace bumps
 * it, whoever made it. The drift check lists our tables (the expensive
 * part: a JSON listing costs ~50 ms at 100 ENIs and ~400 ms at 1000 here)
 * only when the generation moved since the agent's own last commit, and
 * in full every few checks in any case (a foreign commit racing with ours
 * between our commit and our reading of the generation is caught then).
 */
#include <errno.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "agent/agent_sys.h"
#include "agent/nftb.h"
#include "lib/err.h"

int
nftb_gen_read(int nsfd, uint32_t *gen)
{
	struct {
		struct nlmsghdr h;
		struct nfgenmsg g;
	} req;
	char buf[1024];
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int fd, saved, r = -ERR_INTERNAL;
	ssize_t n;

	if (agent_ns_enter(NULL, nsfd, &saved) < 0)
		return r;
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_NETFILTER);
	if (agent_ns_leave(saved) < 0 || fd < 0)
		goto out;
	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = sizeof(req);
	req.h.nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETGEN;
	req.h.nlmsg_flags = NLM_F_REQUEST;
	req.h.nlmsg_seq = 1;
	req.g.nfgen_family = AF_UNSPEC;
	req.g.version = NFNETLINK_V0;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&sa,
	    sizeof(sa)) < 0)
		goto out;
	while ((n = recv(fd, buf, sizeof(buf), 0)) < 0 && errno == EINTR)
		;
	for (struct nlmsghdr *h = (struct nlmsghdr *)buf;
	    n > 0 && NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
		struct nlattr *a;
		int len;

		if (h->nlmsg_type != ((NFNL_SUBSYS_NFTABLES << 8) |
		    NFT_MSG_NEWGEN))
			continue;
		a = (struct nlattr *)((char *)NLMSG_DATA(h) +
		    NLMSG_ALIGN(sizeof(struct nfgenmsg)));
		len = (int)h->nlmsg_len - NLMSG_LENGTH(
		    NLMSG_ALIGN(sizeof(struct nfgenmsg)));
		while (len >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) &&
		    a->nla_len <= len) {
			if ((a->nla_type & NLA_TYPE_MASK) == NFTA_GEN_ID &&
			    a->nla_len >= NLA_HDRLEN + 4) {
				uint32_t v;

				memcpy(&v, (char *)a + NLA_HDRLEN, 4);
				*gen = ntohl(v);
				r = 0;
			}
			len -= NLA_ALIGN(a->nla_len);
			a = (struct nlattr *)((char *)a + NLA_ALIGN(a->nla_len));
		}
	}
out:
	if (fd >= 0)
		close(fd);
	return r;
}
