/*
 * nftbench: the measurements behind docs/adr/004-nft-backend.md — how
 * long the agent's kernel updates take through libnftables (what the
 * agent uses) and through raw nfnetlink batches built with libnftnl/libmnl
 * (the alternative the issue names), on the compiler's real output.
 *
 *   cc -O2 -std=c11 -D_GNU_SOURCE -Isrc -o build/nftbench \
 *       tests/e2e/nftbench.c build/libsekisho.a \
 *       $(pkg-config --cflags --libs libnftables libnftnl libmnl jansson \
 *       libcrypto sqlite3 libmicrohttpd libcurl) -lm -pthread
 *   build/nftbench 100 1000 5000        (root; runs in its own netns)
 *
 * For N ENIs (one VPC, 20 groups of 5 rules, each ENI in 1-2 groups) it
 * loads fw_render() once, then times (median of 20): a group membership
 * change as the agent applies it (fw_diff script through a persistent
 * libnftables context), the same single set element through libnftnl (add
 * and delete, one batch each), a profile chain replace, and the listing
 * of our tables the drift check does. Nothing leaves the private netns.
 */
#include <arpa/inet.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libmnl/libmnl.h>
#include <libnftnl/set.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <nftables/libnftables.h>

#include "fw/fw.h"

#define ITER 20

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), dcmp);
	return v[n / 2];
}

/* A desired state with n ENIs: ENI k has 10.(1 + k/250/256).(k/250 %
 * 256).(1 + k%250), in group k%20 and every third also in (k/20)%20. */
static json_t *
gen(int n, int extra_member)
{
	json_t *gs = json_array(), *enis = json_array();

	for (int g = 0; g < 20; g++) {
		json_t *rules = json_array();
		char id[64];

		for (int k = 0; k < 5; k++) {
			char rid[64], pr[32], src[32];

			snprintf(rid, sizeof(rid), "sgr-b%d-%d", g, k);
			snprintf(pr, sizeof(pr), "%d/%d", 1000 + g * 10 + k,
			    1000 + g * 10 + k);
			snprintf(src, sizeof(src), "172.%d.%d.0/24", 16 + g, k);
			json_array_append_new(rules, json_pack("{s:s, s:s, s:s,"
			    " s:s, s:s, s:s, s:s, s:s, s:i}",
			    "SecurityGroupRuleId", rid, "Direction", "ingress",
			    "IpProtocol", k == 4 ? "UDP" : "TCP", "PortRange", pr,
			    "SourceCidrIp", src, "NicType", "intranet", "Policy",
			    k == 3 ? "Drop" : "Accept", "SourceGroupId", "",
			    "Priority", 1 + k));
		}
		snprintf(id, sizeof(id), "sg-bench%02d", g);
		json_array_append_new(gs, json_pack("{s:s, s:s, s:s, s:s, s:s,"
		    " s:o}", "SecurityGroupId", id, "OwnerId", "1000000000000001",
		    "SecurityGroupType", "normal", "InnerAccessPolicy", "Accept",
		    "VpcId", "vpc-bench", "Rules", rules));
	}
	for (int k = 0; k < n; k++) {
		char eni[64], inst[64], ip[32], mac[32], g1[32], g2[32];
		json_t *sg = json_array();

		snprintf(eni, sizeof(eni), "eni-bench%06d", k);
		snprintf(inst, sizeof(inst), "i-bench%06d", k);
		snprintf(ip, sizeof(ip), "10.%d.%d.%d", 1 + (k / 250) / 256,
		    (k / 250) % 256, 1 + k % 250);
		snprintf(mac, sizeof(mac), "00:16:3e:%02x:%02x:%02x", k >> 16,
		    (k >> 8) & 255, k & 255);
		snprintf(g1, sizeof(g1), "sg-bench%02d", k % 20);
		snprintf(g2, sizeof(g2), "sg-bench%02d", (k / 20) % 20);
		json_array_append_new(sg, json_string(g1));
		if (k % 3 == 0 && strcmp(g1, g2) != 0)
			json_array_append_new(sg, json_string(g2));
		if (k == 0 && extra_member)
			json_array_append_new(sg, json_string("sg-bench19"));
		json_array_append_new(enis, json_pack("{s:s, s:s, s:s, s:s,"
		    " s:s, s:b, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s}",
		    "NetworkInterfaceId", eni, "InstanceId", inst, "OwnerId",
		    "1000000000000001", "Type", "Primary", "HostId",
		    "host-local", "Running", 1, "MacAddress", mac,
		    "PrivateIpAddress", ip, "PublicIpAddress", "", "VpcId",
		    "vpc-bench", "VSwitchId", "vsw-bench", "SecurityGroupIds",
		    sg, "Driver", "local", "HostInterface", ""));
	}
	return json_pack("{s:i, s:s, s:{s:b}, s:[{s:s, s:s, s:i}],"
	    " s:[{s:s, s:s, s:s, s:s}], s:o, s:o}", "Revision", 1, "HostId",
	    "host-local", "Operator", "Tcp25Open", 0, "Vpcs", "VpcId",
	    "vpc-bench", "CidrBlock", "10.0.0.0/8", "ZoneId", 1, "VSwitches",
	    "VSwitchId", "vsw-bench", "VpcId", "vpc-bench", "CidrBlock",
	    "10.0.0.0/8", "GatewayIp", "10.255.255.253", "Groups", gs,
	    "NetworkInterfaces", enis);
}

static struct fw_ruleset *
compile(json_t *doc)
{
	struct fw_input *in = NULL;
	struct fw_ruleset *rs = NULL;
	char d[FW_DETAIL_MAX] = "";

	if (fw_input_from_json_detail(doc, "host-local", &in, d) < 0 ||
	    fw_compile(in, &rs) < 0) {
		fprintf(stderr, "compile: %s\n", d);
		exit(1);
	}
	fw_input_free(in);
	return rs;
}

static double
run(struct nft_ctx *nft, const char *cmd)
{
	double t0 = now_ms();

	if (nft_run_cmd_from_buffer(nft, cmd) != 0) {
		fprintf(stderr, "nft: %s\n", nft_ctx_get_error_buffer(nft));
		exit(1);
	}
	return now_ms() - t0;
}

/* One NEWSETELEM or DELSETELEM batch of addr into set name; acked. */
static double
nl_elem(struct mnl_socket *nl, const char *name, uint32_t addr, int add)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_nlmsg_batch *b = mnl_nlmsg_batch_start(buf, sizeof(buf));
	static uint32_t seq = 1;
	struct nftnl_set *s = nftnl_set_alloc();
	struct nftnl_set_elem *e = nftnl_set_elem_alloc();
	struct nlmsghdr *h;
	double t0 = now_ms();
	uint32_t first;
	int r;

	nftnl_set_set_str(s, NFTNL_SET_TABLE, FW_TABLE_SG);
	nftnl_set_set_str(s, NFTNL_SET_NAME, name);
	nftnl_set_set_u32(s, NFTNL_SET_FAMILY, NFPROTO_INET);
	nftnl_set_elem_set(e, NFTNL_SET_ELEM_KEY, &addr, sizeof(addr));
	nftnl_set_elem_add(s, e);
	nftnl_batch_begin(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	first = seq;
	h = nftnl_nlmsg_build_hdr(mnl_nlmsg_batch_current(b),
	    add ? NFT_MSG_NEWSETELEM : NFT_MSG_DELSETELEM, NFPROTO_INET,
	    NLM_F_ACK | (add ? NLM_F_CREATE : 0), seq++);
	nftnl_set_elems_nlmsg_build_payload(h, s);
	mnl_nlmsg_batch_next(b);
	nftnl_batch_end(mnl_nlmsg_batch_current(b), seq++);
	mnl_nlmsg_batch_next(b);
	if (mnl_socket_sendto(nl, mnl_nlmsg_batch_head(b),
	    mnl_nlmsg_batch_size(b)) < 0) {
		perror("sendto");
		exit(1);
	}
	r = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (r <= 0 || mnl_cb_run(buf, (size_t)r, first, mnl_socket_get_portid(nl),
	    NULL, NULL) < 0) {
		perror("nfnetlink ack");
		exit(1);
	}
	mnl_nlmsg_batch_stop(b);
	nftnl_set_free(s);
	return now_ms() - t0;
}

static void
bench(int n)
{
	json_t *d0 = gen(n, 0), *d1 = gen(n, 1);
	struct fw_ruleset *r0 = compile(d0), *r1 = compile(d1);
	struct nft_ctx *nft = nft_ctx_new(NFT_CTX_DEFAULT);
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	struct sb full = SB_INIT, up = SB_INIT, down = SB_INIT, chain = SB_INIT;
	double t_full, t_lst, a[ITER], b[ITER], c[ITER], e[ITER];
	const struct fw_obj *ch = NULL;
	size_t rules = 0;

	nft_ctx_buffer_output(nft);
	nft_ctx_buffer_error(nft);
	mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID);
	fw_render(r0, &full);
	fw_diff(r0, r1, &up);
	fw_diff(r1, r0, &down);
	for (size_t i = 0; i < r0->nobj; i++) {
		if (r0->obj[i].kind == FW_K_CHAIN)
			rules += r0->obj[i].nlines;
		if (ch == NULL && r0->obj[i].kind == FW_K_CHAIN &&
		    strncmp(r0->obj[i].name, "p_", 2) == 0)
			ch = &r0->obj[i];
	}
	sb_addf(&chain, "flush chain inet %s %s\n", FW_TABLE_SG, ch->name);
	for (size_t i = 0; i < ch->nlines; i++)
		sb_addf(&chain, "add rule inet %s %s %s\n", FW_TABLE_SG,
		    ch->name, ch->lines[i]);
	t_full = run(nft, sb_str(&full));
	for (int i = 0; i < ITER; i++) {
		a[i] = run(nft, sb_str(&up)) + run(nft, sb_str(&down));
		a[i] /= 2;
		b[i] = (nl_elem(nl, "g_sg-bench19_4", inet_addr("10.1.0.1"), 1) +
		    nl_elem(nl, "g_sg-bench19_4", inet_addr("10.1.0.1"), 0)) / 2;
		c[i] = run(nft, sb_str(&chain));
	}
	nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON);
	for (int i = 0; i < 5; i++)
		e[i] = run(nft, "list table inet " FW_TABLE_SG);
	t_lst = median(e, 5);
	printf("| %d | %zu | %zu | %.0f | %.2f | %.3f | %.2f | %.1f |\n", n,
	    r0->nobj, rules, t_full, median(a, ITER), median(b, ITER),
	    median(c, ITER), t_lst);
	run(nft, "delete table inet " FW_TABLE_SG "; delete table bridge "
	    FW_TABLE_PORT);
	mnl_socket_close(nl);
	nft_ctx_free(nft);
	fw_ruleset_free(r0);
	fw_ruleset_free(r1);
	json_decref(d0);
	json_decref(d1);
	sb_free(&full);
	sb_free(&up);
	sb_free(&down);
	sb_free(&chain);
}

int
main(int argc, char **argv)
{
	if (unshare(CLONE_NEWNET) < 0) {
		perror("unshare (root needed)");
		return 1;
	}
	printf("| ENIs | objects | rules | full load ms | membership delta "
	    "(libnftables) ms | set element (libnftnl) ms | chain replace "
	    "(libnftables) ms | list table (JSON) ms |\n|---|---|---|---|---|"
	    "---|---|---|\n");
	for (int i = 1; i < argc; i++)
		bench(atoi(argv[i]));
	return 0;
}
