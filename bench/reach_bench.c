/*
 * reach_bench: DescribeReachability (our product 2026-12-01) at 1,000 and
 * 10,000 ENIs with 100 security groups, in-process through api_handle()
 * (signed V1 requests, a real SQLite store in a temporary directory).
 *
 * The account: one VPC, one vSwitch, 100 groups of 10 rules each (TCP
 * ports from CIDR blocks and from other groups, priorities 1..100, a
 * fifth of them drops; each group also accepts 3306 from the next one),
 * ENIs in batches of 50, each batch in two groups (rb_grow: written to the
 * store directly). Measured, for each size:
 *   cold   the first DescribeReachability after a write: builds the model
 *          from the store (engload_build) and answers
 *   warm   the same request again: the cached model (median of 9)
 *   build  engload_build alone (median of 3), its share of cold
 *   explain  ExplainPacket on the cached model (median of 9)
 * and the ratios 10,000 / 1,000 (linear would be 10).
 *
 *   cc -O2 -Isrc bench/reach_bench.c build/libsekisho.a $(libs) -o reach_bench
 * The store lives in /tmp/sekisho-test-* (removed at the end).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/unit/test_util.h"
#include "api/act/sekisho_eng_int.h"
#include "api/api_int.h"
#include "sg/eng_load.h"

#define RB_GROUPS 100
#define RB_RULES 10		/* per group */
#define RB_BATCH 50		/* instances per RunInstances */
#define RB_NOW 1795000000

static struct tu_env rb_env;
static char rb_vpc[64], rb_vsw[64];
static char rb_groups[RB_GROUPS][64];
static size_t rb_made;

static double
rb_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static json_t *
rb_call(const char *q)
{
	struct tu_reply rp;

	tu_v1(&rb_env, "GET", q, NULL, &rp);
	if (rp.status != 200) {
		fprintf(stderr, "reach_bench: %.200s: %d %s %s\n", q, rp.status,
		    tu_code(&rp), tu_message(&rp));
		exit(1);
	}
	return rp.json;
}

static const char *
rb_str(json_t *j, const char *key, char *out)
{
	snprintf(out, 64, "%s", json_string_value(json_object_get(j, key)));
	json_decref(j);
	return out;
}

static void
rb_setup(void)
{
	char q[2048], *vpc = rb_vpc;

	rb_str(rb_call("Version=2016-04-28&Action=CreateVpc&RegionId="
	    "cn-hangzhou&CidrBlock=10.0.0.0/8"), "VpcId", vpc);
	snprintf(q, sizeof(q), "Version=2016-04-28&Action=CreateVSwitch&"
	    "RegionId=cn-hangzhou&VpcId=%s&ZoneId=cn-hangzhou-b&"
	    "CidrBlock=10.1.0.0/16", vpc);
	rb_str(rb_call(q), "VSwitchId", rb_vsw);
	for (int g = 0; g < RB_GROUPS; g++) {
		snprintf(q, sizeof(q), "Version=2014-05-26&Action="
		    "CreateSecurityGroup&RegionId=cn-hangzhou&VpcId=%s", vpc);
		rb_str(rb_call(q), "SecurityGroupId", rb_groups[g]);
	}
	for (int g = 0; g < RB_GROUPS; g++) {
		size_t off = (size_t)snprintf(q, sizeof(q), "Version=2014-05-26&"
		    "Action=AuthorizeSecurityGroup&RegionId=cn-hangzhou&"
		    "SecurityGroupId=%.63s", rb_groups[g]);

		for (int k = 1; k <= RB_RULES; k++) {
			int port = 3000 + (g * 7 + k * 13) % 1000;

			off += (size_t)snprintf(q + off, sizeof(q) - off,
			    "&Permissions.%d.IpProtocol=tcp&Permissions.%d."
			    "PortRange=%d/%d&Permissions.%d.Priority=%d&"
			    "Permissions.%d.Policy=%s", k, k, port,
			    port + k % 3, k, 1 + (g + k * 11) % 100, k,
			    k % 5 == 0 ? "drop" : "accept");
			if (k % 2)
				off += (size_t)snprintf(q + off, sizeof(q) - off,
				    "&Permissions.%d.SourceGroupId=%.63s", k,
				    rb_groups[(g + k) % RB_GROUPS]);
			else
				off += (size_t)snprintf(q + off, sizeof(q) - off,
				    "&Permissions.%d.SourceCidrIp=10.%d.0.0/16",
				    k, 1 + k);
		}
		json_decref(rb_call(q));
	}
	/* Every group accepts 3306 from the first group at priority 1. */
	for (int g = 0; g < RB_GROUPS; g++) {
		snprintf(q, sizeof(q), "Version=2014-05-26&Action="
		    "AuthorizeSecurityGroup&RegionId=cn-hangzhou&SecurityGroupId="
		    "%.63s&Permissions.1.IpProtocol=tcp&Permissions.1.PortRange="
		    "3306/3306&Permissions.1.SourceGroupId=%.63s", rb_groups[g],
		    rb_groups[(g + 1) % RB_GROUPS]);
		json_decref(rb_call(q));
	}
}

static int
rb_put(const char *id, const char *kind, const char *parent, json_t *doc)
{
	struct store_res r;
	int rc;

	memset(&r, 0, sizeof(r));
	snprintf(r.id, sizeof(r.id), "%s", id);
	snprintf(r.kind, sizeof(r.kind), "%s", kind);
	snprintf(r.account, sizeof(r.account), "%s", rb_env.account);
	snprintf(r.region, sizeof(r.region), "cn-hangzhou");
	snprintf(r.parent, sizeof(r.parent), "%s", parent);
	r.doc = doc;
	rc = doc ? store_res_put(rb_env.st, &r) : -1;
	json_decref(doc);
	return rc;
}

/*
 * ENIs up to n, in batches of RB_BATCH, each batch in two groups: the
 * "eni" and "sgmember" rows as the instance actions write them
 * (docs/design.md, "Store model"), in one transaction. Written directly:
 * RunInstances lists every ENI of the account per instance, so making
 * 10,000 through the API takes far longer than what is measured here.
 */
static void
rb_grow(size_t n)
{
	char id[64], inst[64], ip[32], mid[160];

	if (store_tx_begin(rb_env.st, STORE_TX_WRITE) < 0)
		exit(1);
	for (; rb_made < n; rb_made++) {
		size_t b = rb_made / RB_BATCH, k = rb_made + 10;
		const char *g[2] = { rb_groups[b % RB_GROUPS],
		    rb_groups[(b * 7 + 3) % RB_GROUPS] };

		snprintf(id, sizeof(id), "eni-bench%06zu", rb_made);
		snprintf(inst, sizeof(inst), "i-bench%06zu", rb_made);
		snprintf(ip, sizeof(ip), "10.1.%zu.%zu", k / 256, k % 256);
		if (rb_put(id, "eni", rb_vsw, json_pack("{s:s, s:s, s:s, s:s, "
		    "s:s, s:s, s:s, s:s, s:[s, s]}", "NetworkInterfaceId", id,
		    "Type", "Primary", "InstanceId", inst, "Status", "InUse",
		    "PrivateIpAddress", ip, "VpcId", rb_vpc, "VSwitchId",
		    rb_vsw, "ZoneId", "cn-hangzhou-b", "SecurityGroupIds",
		    g[0], g[1])) < 0)
			exit(1);
		for (int i = 0; i < 2; i++) {
			snprintf(mid, sizeof(mid), "%s|%s", g[i], id);
			if (rb_put(mid, "sgmember", g[i], json_pack("{s:s, s:s, "
			    "s:s, s:s}", "SecurityGroupId", g[i],
			    "NetworkInterfaceId", id, "InstanceId", inst,
			    "PrivateIpAddress", ip)) < 0)
				exit(1);
		}
	}
	if (store_tx_commit(rb_env.st) < 0)
		exit(1);
}

static int
rb_dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
rb_median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), rb_dcmp);
	return v[n / 2];
}

/*
 * One V1-signed GET through api_handle(), timed from the request to the
 * serialized answer (the client's JSON decoding is not part of it, as it
 * is in tu_v1); *keep (may be NULL) receives the decoded answer.
 */
static double
rb_time(const char *q, json_t **keep)
{
	struct tu_hdrs hs = { .n = 0 };
	struct api_request req;
	struct api_response resp;
	struct prm_list all;
	struct sb full = SB_INIT, sts = SB_INIT;
	char ts[32], sig[64];
	double t0, t;

	tm_format_iso(rb_env.now, ts, sizeof(ts));
	sb_addf(&full, "%s&AccessKeyId=%s&SignatureMethod=HMAC-SHA1&"
	    "SignatureVersion=1.0&SignatureNonce=rb-%u&Timestamp=", q,
	    rb_env.akid, ++rb_env.nonce_seq);
	pct_encode(&full, ts, strlen(ts));
	sb_adds(&full, "&Format=JSON");
	prm_init(&all);
	prm_parse(&all, sb_str(&full), full.len);
	sig_v1_string_to_sign("GET", &all, &sts);
	sig_v1_sign(rb_env.secret, sb_str(&sts), sig, sizeof(sig));
	prm_free(&all);
	sb_adds(&full, "&Signature=");
	pct_encode(&full, sig, strlen(sig));
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.path = "/";
	req.query = sb_str(&full);
	req.body = "";
	req.client_ip = "127.0.0.1";
	req.header = tu_hdr_lookup;
	req.header_arg = &hs;
	t0 = rb_ms();
	api_handle(rb_env.api, &req, &resp);
	t = rb_ms() - t0;
	if (resp.status != 200) {
		fprintf(stderr, "reach_bench: %.200s: %d %s\n", q, resp.status,
		    resp.body);
		exit(1);
	}
	if (keep)
		*keep = json_loads(resp.body, 0, NULL);
	api_response_free(&resp);
	sb_free(&full);
	sb_free(&sts);
	return t;
}

struct rb_fig {
	double cold, warm, build, explain;
	json_int_t peers;
};

static void
rb_measure(size_t n, const char *inst, const char *other, struct rb_fig *f)
{
	struct engload_opts o = { rb_env.account, "cn-hangzhou", 0 };
	char q[512], e[512];
	double v[9];
	json_t *j = NULL;

	snprintf(q, sizeof(q), "Version=2026-12-01&Action=DescribeReachability&"
	    "RegionId=cn-hangzhou&DestinationInstanceId=%s&Protocol=tcp&"
	    "DestinationPort=3306", inst);
	snprintf(e, sizeof(e), "Version=2026-12-01&Action=ExplainPacket&"
	    "RegionId=cn-hangzhou&SourceInstanceId=%s&DestinationInstanceId=%s&"
	    "Protocol=tcp&DestinationPort=3306", other, inst);
	engload_cache_clear(engact_cache());
	f->cold = rb_time(q, &j);
	f->peers = json_integer_value(json_object_get(j, "TotalCount"));
	json_decref(j);
	for (int i = 0; i < 9; i++)
		v[i] = rb_time(q, NULL);
	f->warm = rb_median(v, 9);
	for (int i = 0; i < 9; i++)
		v[i] = rb_time(e, NULL);
	f->explain = rb_median(v, 9);
	for (int i = 0; i < 3; i++) {
		struct engload *l = NULL;
		double t0;

		if (store_tx_begin(rb_env.st, STORE_TX_READ) < 0)
			exit(1);
		t0 = rb_ms();
		if (engload_build(rb_env.st, &o, &l) < 0) {
			fprintf(stderr, "reach_bench: engload_build failed\n");
			exit(1);
		}
		v[i] = rb_ms() - t0;
		store_tx_abort(rb_env.st);
		if (l->nenis != n) {
			fprintf(stderr, "reach_bench: %zu ENIs, want %zu\n",
			    l->nenis, n);
			exit(1);
		}
		engload_free(l);
	}
	f->build = rb_median(v, 3);
	printf("reach_bench: %5zu ENIs, %d groups: DescribeReachability cold "
	    "%7.1f ms (model build %6.1f ms), warm %6.2f ms, %lld peers; "
	    "ExplainPacket warm %5.2f ms\n", n, RB_GROUPS, f->cold, f->build,
	    f->warm, (long long)f->peers, f->explain);
}

int
main(void)
{
	struct rb_fig small, big;
	const char *inst = "i-bench000000", *other = "i-bench000050";
	double t0;

	if (tu_env_open(&rb_env, RB_NOW) < 0) {
		fprintf(stderr, "reach_bench: cannot open the store\n");
		return 1;
	}
	rb_env.api->cfg.sg_quota = 2 * RB_GROUPS;
	t0 = rb_ms();
	rb_setup();
	rb_grow(1000);
	printf("reach_bench: setup: %d groups x %d rules, 1000 ENIs in "
	    "%.1f s\n", RB_GROUPS, RB_RULES + 1, (rb_ms() - t0) / 1e3);
	rb_measure(1000, inst, other, &small);
	t0 = rb_ms();
	rb_grow(10000);
	printf("reach_bench: setup: 9000 more ENIs in %.1f s\n",
	    (rb_ms() - t0) / 1e3);
	rb_measure(10000, inst, other, &big);
	printf("reach_bench: 10000/1000 ratio: cold %.1fx, model build %.1fx, "
	    "warm %.1fx (linear: 10x)\n", big.cold / small.cold,
	    big.build / small.build, big.warm / small.warm);
	tu_env_close(&rb_env);
	return 0;
}
