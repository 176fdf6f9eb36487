/*
 * eng_bench: decision-engine lookups per second on one core, for ENIs
 * with 5, 50 and 500 rules, next to the linear evaluators in the same run:
 *   compiled   eng_gate (interval bitmaps, the production path)
 *   scan       eng_gate_linear (first match over the ordered item list)
 *   reference  ref_gate from tests/unit/eng_ref.h (the property test's
 *              deliberately simple evaluator)
 * Rule sets look like real ones (mostly TCP ingress rules on single ports
 * and small ranges, CIDR peers of every length, some group peers, priorities
 * 1..100, 70% accept), flows are a fixed mix of hits and misses. Runs are
 * interleaved (compiled, scan, reference, compiled, …) and each figure is
 * the median of ENG_BENCH_REPS (5) runs of ENG_BENCH_MS (200) ms; every
 * verdict of the three is compared first. Prints one line per size and the
 * aims: compiled >= 5x the reference and >= 10 M lookups/s at 500 rules.
 *
 *   cc -O2 -Isrc bench/eng_bench.c build/libsekisho.a $(libs) -o eng_bench
 *   ENG_BENCH_STRICT=1 makes a missed aim exit 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tests/unit/eng_ref.h"
#include "lib/cidr.h"
#include "sg/eng.h"

#define NFLOWS 4096
#define NPEERS 16		/* other ENIs, members of the peer groups */

struct prng {
	uint64_t s;
};

static uint64_t
rnd(struct prng *p)
{
	uint64_t z = (p->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned
rn(struct prng *p, unsigned n)
{
	return (unsigned)(rnd(p) % n);
}

static const uint16_t common_ports[] = { 22, 80, 443, 3306, 3389, 5432, 6379,
	8080, 8443, 9000, 53, 123, 1433, 1521, 27017 };

static void
rand_v4(struct prng *p, struct cidr *c, unsigned len)
{
	memset(c, 0, sizeof(*c));
	c->family = CIDR_V4;
	c->len = (uint8_t)len;
	c->addr[0] = (uint8_t)(rn(p, 4) == 0 ? 10 : 1 + rn(p, 223));
	c->addr[1] = (uint8_t)rnd(p);
	c->addr[2] = (uint8_t)rnd(p);
	c->addr[3] = (uint8_t)rnd(p);
	cidr_mask(c);
}

static void
rule_make(struct prng *p, const char *gid, size_t i, struct rule *r)
{
	unsigned k = rn(p, 100);

	memset(r, 0, sizeof(*r));
	snprintf(r->id, sizeof(r->id), "sgr-%s-%04zu", gid, i);
	snprintf(r->group_id, sizeof(r->group_id), "%s", gid);
	r->dir = rn(p, 100) < 70 ? RULE_INGRESS : RULE_EGRESS;
	r->proto = k < 55 ? RULE_TCP : k < 70 ? RULE_UDP : k < 80 ? RULE_ALL :
	    k < 90 ? RULE_ICMP : k < 95 ? RULE_ICMPV6 : RULE_GRE;
	r->policy = rn(p, 100) < 70 ? RULE_ACCEPT : RULE_DROP;
	r->priority = (uint8_t)(1 + rn(p, 100));
	r->nic = RULE_NIC_INTRANET;
	if (r->proto == RULE_TCP || r->proto == RULE_UDP) {
		k = rn(p, 100);
		if (k < 60) {
			r->dport.lo = r->dport.hi = rn(p, 2) ?
			    common_ports[rn(p, 15)] : (uint16_t)(1024 + rn(p, 60000));
		} else if (k < 85) {
			r->dport.lo = (uint16_t)(1 + rn(p, 60000));
			r->dport.hi = (uint16_t)(r->dport.lo + rn(p, 1000));
		} else {
			r->dport.lo = 1;
			r->dport.hi = 65535;
		}
		if (rn(p, 100) < 5) {
			r->sport.lo = (uint16_t)(1024 + rn(p, 1000));
			r->sport.hi = (uint16_t)(r->sport.lo + rn(p, 100));
		}
	}
	k = rn(p, 100);
	if (r->proto == RULE_ICMPV6 || (k >= 75 && k < 85)) {
		r->peer_kind = RULE_PEER_CIDR;
		cidr_parse(rn(p, 2) ? "::/0" : "2001:db8:1::/48", &r->peer_cidr);
	} else if (k < 75) {
		static const unsigned lens[] = { 0, 8, 12, 16, 20, 24, 24, 28,
		    32, 32, 32 };

		r->peer_kind = RULE_PEER_CIDR;
		rand_v4(p, &r->peer_cidr, lens[rn(p, 11)]);
	} else if (k < 97) {
		r->peer_kind = RULE_PEER_GROUP;
		snprintf(r->peer_group, sizeof(r->peer_group), "sg-peer%u",
		    rn(p, 3));
	} else {
		r->peer_kind = RULE_PEER_PREFIX_LIST;
	}
	if (rn(p, 100) < 3 && r->peer_kind == RULE_PEER_CIDR &&
	    r->peer_cidr.family == CIDR_V4) {
		r->has_local = 1;
		cidr_parse("10.1.0.0/24", &r->local);
	}
}

/* ENI 0 ("eni-0", 10.1.0.5) holds nrules rules in ngroups groups; ENIs
 * 1..NPEERS are members of the three peer groups. */
static void
world_make(struct prng *p, struct ref_world *w, size_t nrules)
{
	size_t ngroups = nrules >= 100 ? 5 : 1;
	struct ref_eni *e0 = &w->enis[0];

	memset(w, 0, sizeof(*w));
	for (size_t g = 0; g < ngroups + 3; g++) {
		struct eng_group_def *d = &w->groups[w->ngroups++];

		if (g < ngroups)
			snprintf(d->id, sizeof(d->id), "sg-%zu", g);
		else
			snprintf(d->id, sizeof(d->id), "sg-peer%zu", g - ngroups);
		snprintf(d->owner, sizeof(d->owner), "acct1");
		d->type = ENG_GROUP_BASIC;
		d->inner_accept = 1;
	}
	for (size_t i = 0; i < nrules; i++) {
		rule_make(p, w->groups[i % ngroups].id, i, &w->rules[i]);
		w->nrules++;
	}
	snprintf(e0->id, sizeof(e0->id), "eni-0");
	snprintf(e0->vpc, sizeof(e0->vpc), "vpc-1");
	for (size_t g = 0; g < ngroups; g++)
		snprintf(e0->groups[e0->ngroups++], RULE_ID_MAX, "sg-%zu", g);
	cidr_parse_addr("10.1.0.5", &e0->addrs[e0->naddrs++]);
	cidr_parse_addr("2001:db8:1::5", &e0->addrs[e0->naddrs++]);
	for (size_t i = 1; i <= NPEERS; i++) {
		struct ref_eni *e = &w->enis[i];
		char a[32];

		snprintf(e->id, sizeof(e->id), "eni-%zu", i);
		snprintf(e->vpc, sizeof(e->vpc), "vpc-1");
		snprintf(e->groups[e->ngroups++], RULE_ID_MAX, "sg-peer%zu",
		    i % 3);
		snprintf(a, sizeof(a), "10.2.0.%zu", i);
		cidr_parse_addr(a, &e->addrs[e->naddrs++]);
	}
	w->nenis = NPEERS + 1;
	snprintf(w->pfx_vpc[0], RULE_ID_MAX, "vpc-1");
	cidr_parse("10.0.0.0/8", &w->pfx[w->npfx++]);
}

/* Half of the flows aim at a rule's peer, port and protocol. */
static void
flows_make(struct prng *p, const struct ref_world *w, struct eng_flow *fs,
    int *dirs)
{
	for (size_t i = 0; i < NFLOWS; i++) {
		struct eng_flow *f = &fs[i];
		const struct rule *r = w->nrules ? &w->rules[rn(p,
		    (unsigned)w->nrules)] : NULL;
		int dir = rn(p, 100) < 70 ? RULE_INGRESS : RULE_EGRESS;
		uint8_t *local, *remote;
		struct cidr c;

		memset(f, 0, sizeof(*f));
		f->family = CIDR_V4;
		f->proto = rn(p, 100) < 70 ? 6 : rn(p, 2) ? 17 : 1;
		f->sport = (uint16_t)(1024 + rn(p, 60000));
		f->dport = rn(p, 2) ? common_ports[rn(p, 15)] :
		    (uint16_t)rn(p, 65536);
		if (r && rn(p, 2)) {
			dir = r->dir;
			if (r->peer_kind == RULE_PEER_CIDR)
				f->family = r->peer_cidr.family;
			f->proto = r->proto == RULE_TCP ? 6 : r->proto ==
			    RULE_UDP ? 17 : r->proto == RULE_ICMPV6 ? 58 :
			    r->proto == RULE_GRE ? 47 : f->proto;
			if (r->dport.lo)
				f->dport = (uint16_t)(r->dport.lo +
				    rn(p, (unsigned)(r->dport.hi - r->dport.lo) + 1));
		}
		local = dir == RULE_EGRESS ? f->src : f->dst;
		remote = dir == RULE_EGRESS ? f->dst : f->src;
		memcpy(local, w->enis[0].addrs[f->family == CIDR_V4 ? 0 : 1].addr,
		    16);
		if (r && r->peer_kind == RULE_PEER_CIDR &&
		    r->peer_cidr.family == f->family) {
			c = r->peer_cidr;
			for (int b = c.len; b < (f->family == CIDR_V4 ? 32 : 128); b++)
				if (rn(p, 2))
					c.addr[b / 8] |= (uint8_t)(0x80 >> (b % 8));
			memcpy(remote, c.addr, 16);
		} else if (f->family == CIDR_V4 && rn(p, 4) == 0) {
			memcpy(remote, w->enis[1 + rn(p, NPEERS)].addrs[0].addr, 16);
		} else {
			rand_v4(p, &c, 32);
			if (f->family == CIDR_V6)
				cidr_parse_addr("2001:db8:1::77", &c);
			memcpy(remote, c.addr, 16);
		}
		dirs[i] = dir;
	}
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

enum { EV_COMPILED, EV_SCAN, EV_REF, EV_N };

/* Lookups per second of one evaluator over the flow table for ms. */
static double
measure(int ev, const struct ref_world *w, const struct eng_model *m,
    const struct eng_eni *e, const struct eng_flow *fs, const int *dirs,
    unsigned ms, unsigned long *sink)
{
	double t0 = now_s(), t;
	unsigned long n = 0;

	do {
		for (size_t i = 0; i < NFLOWS; i++) {
			struct eng_verdict v;
			struct ref_item r;

			if (ev == EV_COMPILED) {
				eng_gate(m, e, dirs[i], &fs[i], &v);
				*sink += v.accept;
			} else if (ev == EV_SCAN) {
				eng_gate_linear(m, e, dirs[i], &fs[i], &v);
				*sink += v.accept;
			} else {
				ref_gate(w, 0, dirs[i], &fs[i], &r);
				*sink += (unsigned long)r.policy;
			}
		}
		n += NFLOWS;
		t = now_s() - t0;
	} while (t * 1000 < ms);
	return n / t;
}

/* Microseconds per recompile after a rule change, and per membership
 * change (a peer ENI's address moves: address sets only). */
static void
update_costs(const struct ref_world *w, struct eng_model *m, double *rule_us,
    double *member_us)
{
	const struct ref_eni *pe = &w->enis[1];
	const char *gs[1] = { pe->groups[0] };
	struct cidr a[1];
	struct eng_eni_def d = { .id = pe->id, .vpc_id = pe->vpc, .groups = gs,
	    .ngroups = 1, .addrs = a, .naddrs = 1 };
	double t0 = now_s();
	int n;

	for (n = 0; n < 20 && w->nrules; n++)
		if (eng_rule_put(m, &w->rules[0]) < 0 || eng_compile(m) < 0)
			break;
	*rule_us = n ? (now_s() - t0) * 1e6 / n : 0;
	t0 = now_s();
	for (n = 0; n < 1000; n++) {
		a[0] = pe->addrs[0];
		a[0].addr[3] = (uint8_t)(100 + n % 100);
		if (eng_eni_put(m, &d) < 0 || eng_compile(m) < 0)
			break;
	}
	*member_us = (now_s() - t0) * 1e6 / n;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int
env_int(const char *name, int def)
{
	const char *s = getenv(name);

	return s && atoi(s) > 0 ? atoi(s) : def;
}

int
main(void)
{
	static const size_t sizes[] = { 5, 50, 500 };
	static struct ref_world w;
	static struct eng_flow fs[NFLOWS];
	static int dirs[NFLOWS];
	int reps = env_int("ENG_BENCH_REPS", 5);
	unsigned ms = (unsigned)env_int("ENG_BENCH_MS", 200);
	double rate500 = 0, ratio500 = 0;
	unsigned long sink = 0;

	printf("eng_bench: lookups/s on one core, median of %d x %u ms; "
	    "%d flows per table\n", reps, ms, NFLOWS);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
		struct prng p = { 42 + sizes[s] };
		struct eng_model *m;
		const struct eng_eni *e;
		struct eng_stats st;
		double rates[EV_N][32], med[EV_N], rule_us, member_us;

		world_make(&p, &w, sizes[s]);
		flows_make(&p, &w, fs, dirs);
		if (eng_model_new(&m) < 0 || ref_load(&w, m) < 0 ||
		    (e = eng_eni_find(m, "eni-0")) == NULL) {
			fprintf(stderr, "eng_bench: cannot build the model\n");
			return 1;
		}
		for (size_t i = 0; i < NFLOWS; i++) {
			struct eng_verdict v, vl;
			struct ref_item r;

			eng_gate(m, e, dirs[i], &fs[i], &v);
			eng_gate_linear(m, e, dirs[i], &fs[i], &vl);
			ref_gate(&w, 0, dirs[i], &fs[i], &r);
			if (!ref_same(&v, &r) || !ref_same(&vl, &r)) {
				fprintf(stderr, "eng_bench: verdicts differ "
				    "(flow %zu)\n", i);
				return 1;
			}
		}
		if (reps > 32)
			reps = 32;
		for (int k = 0; k < reps; k++)
			for (int ev = 0; ev < EV_N; ev++)
				rates[ev][k] = measure(ev, &w, m, e, fs, dirs, ms,
				    &sink);
		for (int ev = 0; ev < EV_N; ev++) {
			qsort(rates[ev], (size_t)reps, sizeof(double), dbl_cmp);
			med[ev] = rates[ev][reps / 2];
		}
		eng_model_stats(m, &st);
		update_costs(&w, m, &rule_us, &member_us);
		printf("eng_bench: %3zu rules: compiled %6.2f M/s, scan %6.2f "
		    "M/s, reference %6.2f M/s; compiled/reference %5.1fx, "
		    "compiled/scan %5.1fx\n", sizes[s],
		    med[EV_COMPILED] / 1e6, med[EV_SCAN] / 1e6, med[EV_REF] / 1e6,
		    med[EV_COMPILED] / med[EV_REF],
		    med[EV_COMPILED] / med[EV_SCAN]);
		printf("eng_bench: %3zu rules: %zu profiles, %zu KiB; the ENI's "
		    "recompiled in %.0f us after a rule change; a membership "
		    "change costs %.1f us\n", sizes[s], st.profiles,
		    st.profile_bytes / 1024, rule_us, member_us);
		if (sizes[s] == 500) {
			rate500 = med[EV_COMPILED];
			ratio500 = med[EV_COMPILED] / med[EV_REF];
		}
		eng_model_free(m);
	}
	printf("eng_bench: 500 rules: %.1fx the reference (aim >= 5x), "
	    "%.1f M lookups/s (aim >= 10 M) -> %s (checksum %lu)\n", ratio500,
	    rate500 / 1e6, ratio500 >= 5 && rate500 >= 10e6 ? "aims met" :
	    "aim missed", sink % 1000);
	if (getenv("ENG_BENCH_STRICT") && (ratio500 < 5 || rate500 < 10e6))
		return 1;
	return 0;
}
