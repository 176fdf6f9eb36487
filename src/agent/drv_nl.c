/*
 * drv_nl: the links and IPv4 addresses of the host namespace read over
 * rtnetlink (RTM_GETLINK / RTM_GETADDR dumps) from a socket opened inside
 * that namespace. This is the driver's observation on every cycle and
 * every drift check; spawning `ip -n NS -j` twice cost 20-150 ms here
 * (its namespace switch remounts /sys), a dump costs well under one.
 * Changes still go through `ip -batch` (drv_local.c): they are rare and
 * their text form is what --check prints.
 */
#include <errno.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "agent/drv.h"
#include "lib/err.h"

#define NL_BUF 65536

struct nl_req {
	struct nlmsghdr h;
	union {
		struct ifinfomsg ifi;
		struct ifaddrmsg ifa;
	} u;
};

static int
nl_open(const char *ns, int *fd)
{
	int saved, r;

	if ((r = agent_ns_enter(ns, -1, &saved)) < 0)
		return r;
	*fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (agent_ns_leave(saved) < 0)
		abort();
	return *fd < 0 ? -ERR_INTERNAL : 0;
}

/* Sends a dump request and hands every answer message to fn. */
static int
nl_dump(int fd, int type, int family, int (*fn)(struct nlmsghdr *, void *),
    void *arg)
{
	struct nl_req req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	char *buf;
	int r = -ERR_INTERNAL, done = 0;

	memset(&req, 0, sizeof(req));
	req.h.nlmsg_len = NLMSG_LENGTH(type == RTM_GETLINK ?
	    sizeof(struct ifinfomsg) : sizeof(struct ifaddrmsg));
	req.h.nlmsg_type = (uint16_t)type;
	req.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req.h.nlmsg_seq = 1;
	if (type == RTM_GETLINK)
		req.u.ifi.ifi_family = (unsigned char)family;
	else
		req.u.ifa.ifa_family = (unsigned char)family;
	if (sendto(fd, &req, req.h.nlmsg_len, 0, (struct sockaddr *)&sa,
	    sizeof(sa)) < 0)
		return r;
	if ((buf = malloc(NL_BUF)) == NULL)
		return -ERR_NOMEM;
	while (!done) {
		ssize_t n = recv(fd, buf, NL_BUF, 0);
		struct nlmsghdr *h;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		    h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE) {
				done = 1;
				break;
			}
			if (h->nlmsg_type == NLMSG_ERROR)
				goto out;
			if ((r = fn(h, arg)) < 0)
				goto out;
		}
	}
	r = 0;
out:
	free(buf);
	return r;
}

struct nl_links {
	struct drv_obs *o;
	int *idx;			/* ifindex per link */
	int *master;			/* master ifindex per link, 0 none */
	size_t cap;
};

static void
nl_str(const struct rtattr *a, char *dst, size_t len)
{
	size_t n = RTA_PAYLOAD(a);

	if (n >= len)
		n = len - 1;
	memcpy(dst, RTA_DATA(a), n);
	dst[n] = '\0';
}

static int
nl_link(struct nlmsghdr *h, void *arg)
{
	struct nl_links *L = arg;
	struct ifinfomsg *ifi = NLMSG_DATA(h);
	struct rtattr *a;
	struct drv_link *l;
	int len = (int)IFLA_PAYLOAD(h);

	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (L->o->nlinks == L->cap) {
		size_t cap = L->cap ? L->cap * 2 : 32;
		void *t1 = realloc(L->o->links, cap * sizeof(*L->o->links));
		void *t2, *t3;

		if (t1 == NULL)
			return -ERR_NOMEM;
		L->o->links = t1;
		if ((t2 = realloc(L->idx, cap * sizeof(int))) == NULL)
			return -ERR_NOMEM;
		L->idx = t2;
		if ((t3 = realloc(L->master, cap * sizeof(int))) == NULL)
			return -ERR_NOMEM;
		L->master = t3;
		L->cap = cap;
	}
	l = &L->o->links[L->o->nlinks];
	memset(l, 0, sizeof(*l));
	L->idx[L->o->nlinks] = ifi->ifi_index;
	L->master[L->o->nlinks] = 0;
	l->up = (ifi->ifi_flags & IFF_UP) != 0;
	for (a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		switch (a->rta_type) {
		case IFLA_IFNAME:
			nl_str(a, l->name, sizeof(l->name));
			break;
		case IFLA_IFALIAS:
			nl_str(a, l->alias, sizeof(l->alias));
			break;
		case IFLA_ADDRESS:
			if (RTA_PAYLOAD(a) == 6) {
				const uint8_t *m = RTA_DATA(a);

				snprintf(l->mac, sizeof(l->mac),
				    "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1],
				    m[2], m[3], m[4], m[5]);
			}
			break;
		case IFLA_MASTER:
			L->master[L->o->nlinks] = *(int *)RTA_DATA(a);
			break;
		case IFLA_LINKINFO: {
			struct rtattr *b = RTA_DATA(a);
			int blen = (int)RTA_PAYLOAD(a);

			for (; RTA_OK(b, blen); b = RTA_NEXT(b, blen))
				if (b->rta_type == IFLA_INFO_KIND)
					nl_str(b, l->kind, sizeof(l->kind));
			break;
		}
		default:
			break;
		}
	}
	L->o->nlinks++;
	return 0;
}

static int
nl_addr(struct nlmsghdr *h, void *arg)
{
	struct nl_links *L = arg;
	struct ifaddrmsg *ifa = NLMSG_DATA(h);
	struct rtattr *a;
	int len = (int)IFA_PAYLOAD(h);

	if (h->nlmsg_type != RTM_NEWADDR || ifa->ifa_family != AF_INET)
		return 0;
	for (size_t i = 0; i < L->o->nlinks; i++) {
		struct drv_link *l = &L->o->links[i];

		if (L->idx[i] != (int)ifa->ifa_index ||
		    l->nv4 == sizeof(l->v4) / sizeof(l->v4[0]))
			continue;
		for (a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
			struct cidr *c;

			if (a->rta_type != IFA_LOCAL || RTA_PAYLOAD(a) != 4)
				continue;
			c = &l->v4[l->nv4++];
			memset(c, 0, sizeof(*c));
			c->family = CIDR_V4;
			c->len = ifa->ifa_prefixlen;
			memcpy(c->addr, RTA_DATA(a), 4);
		}
	}
	return 0;
}

int
drv_nl_observe(const char *hostns, struct drv_obs *o, struct sb *err)
{
	struct nl_links L = { o, NULL, NULL, 0 };
	int fd = -1, r;

	if ((r = nl_open(hostns, &fd)) < 0) {
		sb_addf(err, "rtnetlink in %s: cannot open", hostns);
		return r;
	}
	if ((r = nl_dump(fd, RTM_GETLINK, AF_UNSPEC, nl_link, &L)) < 0 ||
	    (r = nl_dump(fd, RTM_GETADDR, AF_INET, nl_addr, &L)) < 0) {
		sb_addf(err, "rtnetlink dump in %s failed", hostns);
		goto out;
	}
	for (size_t i = 0; i < o->nlinks; i++)
		for (size_t k = 0; L.master[i] && k < o->nlinks; k++)
			if (L.idx[k] == L.master[i])
				snprintf(o->links[i].master,
				    sizeof(o->links[i].master), "%s",
				    o->links[k].name);
out:
	free(L.idx);
	free(L.master);
	close(fd);
	return r;
}
