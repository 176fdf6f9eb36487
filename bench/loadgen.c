/*
 * loadgen: a closed-loop HTTP/1.1 load generator for loopback benchmarks.
 *
 * K keep-alive connections, one request in flight on each, driven by one
 * epoll thread. Requests are V3-signed (lg_req.c) BEFORE the clock starts,
 * each with its own nonce, because sekishod rejects a replayed nonce; the
 * signing rate is reported separately. Three modes:
 *
 *   read   DescribeRegions (ECS), or the request of --req, from a
 *          pre-signed pool shared by the connections. --cycle reuses the
 *          pool (only for a server that does not check nonces, i.e.
 *          bench/static_server.c).
 *   write  CreateVpc once (setup), then per connection CreateVSwitch
 *          (pre-signed, a /24 of its own) followed by DeleteVSwitch of the
 *          returned id. The delete can only be signed once the id is known,
 *          so it is signed inside the loop; that time is measured and
 *          reported (it is microseconds against milliseconds of fsync).
 *          Every 200 is one committed (durable) write.
 *   seq    each connection issues the --req templates in turn (A, B, A,
 *          B, ...), all pre-signed, "{}" in a value replaced by the
 *          connection's item of --each (connection i gets item i), and
 *          stops only at the end of a cycle: an Authorize/Revoke or
 *          Join/Leave pair is never left half done. --conns 1 makes it a
 *          fast sequential setup tool.
 *
 * Output: one line on stdout with requests/s and p50/p99 latency. Exit
 * status 1 when any reply was not 200, or on a connection failure.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "lg_req.h"
#include "lib/prm.h"
#include "lib/tm.h"

#define LG_MAX_CONNS 100	/* < the 150 vSwitches-per-VPC quota */
#define LG_MAX_REQS 8		/* --req templates (seq mode) */

struct lg_opts {
	const char *mode, *label, *region, *zone;
	struct lg_key key;
	unsigned short port;
	int conns;
	size_t count;
	double seconds;
	int cycle;
	const char *req[LG_MAX_REQS];	/* templates, lg_req_tmpl() */
	int nreq;
	char *each[LG_MAX_CONNS];	/* --each items (strdup'd) */
	int neach;
};

struct lg_conn {
	int fd, idx, wantout, busy, phase;	/* phase: 0 create, 1 delete */
	const char *out;
	size_t out_len, out_off;
	struct lg_req dyn;		/* DeleteVSwitch, signed in the loop */
	char *in;
	size_t in_len, in_cap;
	uint64_t t0;
	size_t next, end;		/* write mode: slice of the pool */
};

struct lg {
	struct lg_opts o;
	char host[64], vpc[80];
	int ep;
	struct lg_conn *c;
	struct lg_req *pool;
	size_t npool, next;
	uint64_t *lat;
	size_t nlat, lat_cap, errors;
	uint64_t sign_ns, t_start, t_last;
	size_t nsign;
	int stop, printed_error;
};

static int
lg_connect(unsigned short port)
{
	struct sockaddr_in sin;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/*
 * A complete response in buf? Returns its length, 0 when more bytes are
 * needed, -1 when malformed. Needs Content-Length (libmicrohttpd sends it).
 */
static long
lg_http_parse(const char *buf, size_t len, int *status, size_t *body_off)
{
	const char *end = memmem(buf, len, "\r\n\r\n", 4), *p;
	long clen = -1;

	if (end == NULL)
		return len > 65536 ? -1 : 0;
	if (sscanf(buf, "HTTP/1.%*d %d", status) != 1)
		return -1;
	for (p = buf; p && p < end; p = memmem(p, (size_t)(end - p), "\r\n", 2)) {
		p += (p == buf) ? 0 : 2;
		if (strncasecmp(p, "content-length:", 15) == 0)
			clen = strtol(p + 15, NULL, 10);
	}
	if (clen < 0)
		return -1;
	*body_off = (size_t)(end + 4 - buf);
	return len >= *body_off + (size_t)clen ? (long)(*body_off + clen) : 0;
}

/* Blocking request/response, for setup only. Body is malloc'd. */
static int
lg_roundtrip(unsigned short port, const struct lg_req *rq, int *status,
    char **body)
{
	char *buf = NULL;
	size_t len = 0, cap = 0, off;
	long n = 0;
	int fd = lg_connect(port), r = -1;

	*body = NULL;
	if (fd < 0 || write(fd, rq->buf, rq->len) != (ssize_t)rq->len)
		goto out;
	while ((n = lg_http_parse(buf ? buf : "", len, status, &off)) == 0) {
		ssize_t got;
		char *nb;

		if (len + 4096 > cap) {
			if ((nb = realloc(buf, cap * 2 + 8192)) == NULL)
				goto out;
			buf = nb;
			cap = cap * 2 + 8192;
		}
		if ((got = read(fd, buf + len, cap - len - 1)) <= 0)
			goto out;
		len += (size_t)got;
	}
	if (n > 0 && (*body = strndup(buf + off, (size_t)n - off)) != NULL)
		r = 0;
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return r;
}

static void
lg_record(struct lg *g, struct lg_conn *c, int status, const char *body,
    size_t blen)
{
	uint64_t now = tm_mono_ns();

	if (g->nlat == g->lat_cap) {
		g->lat_cap = g->lat_cap ? g->lat_cap * 2 : 65536;
		if ((g->lat = realloc(g->lat, g->lat_cap * sizeof(*g->lat))) == NULL)
			abort();
	}
	g->lat[g->nlat++] = now - c->t0;
	g->t_last = now;
	if (status != 200) {
		g->errors++;
		if (!g->printed_error++)
			fprintf(stderr, "loadgen: HTTP %d: %.*s\n", status,
			    (int)blen, body);
	}
	if ((double)(now - g->t_start) / 1e9 >= g->o.seconds)
		g->stop = 1;
}

static int
lg_flush(struct lg *g, struct lg_conn *c)
{
	struct epoll_event ev = { 0 };

	while (c->out_off < c->out_len) {
		ssize_t n = write(c->fd, c->out + c->out_off,
		    c->out_len - c->out_off);

		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0)
			return -1;
		c->out_off += (size_t)n;
	}
	if ((c->out_off < c->out_len) != c->wantout) {
		c->wantout = !c->wantout;
		ev.events = EPOLLIN | (c->wantout ? EPOLLOUT : 0);
		ev.data.ptr = c;
		if (epoll_ctl(g->ep, EPOLL_CTL_MOD, c->fd, &ev) < 0)
			return -1;
	}
	return 0;
}

static int
lg_send(struct lg *g, struct lg_conn *c, const struct lg_req *rq)
{
	c->out = rq->buf;
	c->out_len = rq->len;
	c->out_off = 0;
	c->busy = 1;
	c->t0 = tm_mono_ns();
	return lg_flush(g, c);
}

/* Starts the connection's next request, or leaves it idle. */
static int
lg_issue(struct lg *g, struct lg_conn *c)
{
	c->busy = 0;
	if (g->stop && (strcmp(g->o.mode, "seq") != 0 ||
	    c->next % (size_t)g->o.nreq == 0))
		return 0;	/* seq: slices are whole cycles (lg_slice) */
	if (strcmp(g->o.mode, "read") == 0) {
		if (g->next == g->npool && !g->o.cycle)
			return 0;
		return lg_send(g, c, &g->pool[g->next++ % g->npool]);
	}
	if (c->next == c->end)
		return 0;
	c->phase = 0;
	return lg_send(g, c, &g->pool[c->next++]);
}

/* Write mode: after a successful CreateVSwitch, delete what it made. */
static int
lg_delete_next(struct lg *g, struct lg_conn *c, const char *body, size_t blen)
{
	json_t *j = json_loadb(body, blen, 0, NULL);
	const char *id = json_string_value(json_object_get(j, "VSwitchId"));
	struct prm_list q;
	uint64_t t;
	int r = -1;

	prm_init(&q);
	if (id == NULL)
		goto out;
	t = tm_mono_ns();
	lg_req_free(&c->dyn);
	if (prm_add(&q, "RegionId", 8, g->o.region, strlen(g->o.region)) < 0 ||
	    prm_add(&q, "VSwitchId", 9, id, strlen(id)) < 0 ||
	    lg_req_v3(&g->o.key, g->host, "2016-04-28", "DeleteVSwitch", &q,
	    &c->dyn) < 0)
		goto out;
	g->sign_ns += tm_mono_ns() - t;
	g->nsign++;
	c->phase = 1;
	r = lg_send(g, c, &c->dyn);
out:
	prm_free(&q);
	json_decref(j);
	return r;
}

static int
lg_readable(struct lg *g, struct lg_conn *c)
{
	size_t off;
	long n;
	int status = 0, r;

	for (;;) {
		ssize_t got;

		if (c->in_cap - c->in_len < 4096) {
			c->in_cap = c->in_cap * 2 + 8192;
			if ((c->in = realloc(c->in, c->in_cap)) == NULL)
				return -1;
		}
		got = read(c->fd, c->in + c->in_len, c->in_cap - c->in_len);
		if (got < 0 && errno == EAGAIN)
			break;
		if (got <= 0)
			return -1;	/* the server closed a keep-alive */
		c->in_len += (size_t)got;
	}
	if ((n = lg_http_parse(c->in, c->in_len, &status, &off)) <= 0)
		return n < 0 ? -1 : 0;
	if (!c->busy)
		return -1;		/* an answer nobody asked for */
	lg_record(g, c, status, c->in + off, (size_t)n - off);
	if (status == 200 && c->phase == 0 && !g->stop &&
	    strcmp(g->o.mode, "write") == 0)
		r = lg_delete_next(g, c, c->in + off, (size_t)n - off);
	else
		r = lg_issue(g, c);
	c->in_len -= (size_t)n;
	memmove(c->in, c->in + n, c->in_len);
	return r;
}

/* Pool entries per connection; seq mode: whole cycles only. */
static size_t
lg_slice(const struct lg *g)
{
	size_t per = g->o.count / (size_t)g->o.conns;

	if (strcmp(g->o.mode, "seq") == 0)
		per -= per % (size_t)g->o.nreq;
	return per;
}

/* Pool entry i from the --req templates. */
static int
lg_build_tmpl(struct lg *g, size_t i, struct lg_req *rq)
{
	size_t per = lg_slice(g);
	const char *tmpl = g->o.req[0], *subst = NULL;

	if (strcmp(g->o.mode, "seq") == 0) {
		tmpl = g->o.req[(i % per) % (size_t)g->o.nreq];
		if (g->o.neach)
			subst = g->o.each[i / per];
	}
	return lg_req_tmpl(&g->o.key, g->host, tmpl, subst, rq);
}

/* Pre-signs the request pool; reports the signing rate on stderr. */
static int
lg_presign(struct lg *g, const char *version, const char *action,
    int per_conn)
{
	uint64_t t = tm_mono_ns();
	struct prm_list q;
	char cidr[32];

	if ((g->pool = calloc(g->o.count, sizeof(*g->pool))) == NULL)
		return -1;
	for (size_t i = 0; i < g->o.count; i++) {
		int conn = per_conn ? (int)(i / (g->o.count / (size_t)g->o.conns)) : 0;

		if (g->o.nreq) {
			if (lg_build_tmpl(g, i, &g->pool[i]) < 0) {
				fprintf(stderr, "loadgen: bad --req template\n");
				return -1;
			}
			g->npool++;
			continue;
		}
		prm_init(&q);
		if (per_conn) {
			if (conn >= g->o.conns)
				conn = g->o.conns - 1;
			snprintf(cidr, sizeof(cidr), "10.0.%d.0/24", conn);
			if (prm_add(&q, "CidrBlock", 9, cidr, strlen(cidr)) < 0 ||
			    prm_add(&q, "RegionId", 8, g->o.region,
			    strlen(g->o.region)) < 0 ||
			    prm_add(&q, "VpcId", 5, g->vpc, strlen(g->vpc)) < 0 ||
			    prm_add(&q, "ZoneId", 6, g->o.zone,
			    strlen(g->o.zone)) < 0) {
				prm_free(&q);
				return -1;
			}
		}
		if (lg_req_v3(&g->o.key, g->host, version, action, &q,
		    &g->pool[i]) < 0) {
			prm_free(&q);
			return -1;
		}
		prm_free(&q);
		g->npool++;
	}
	t = tm_mono_ns() - t;
	fprintf(stderr, "loadgen: pre-signed %zu %s requests in %.2f s "
	    "(%.1f us each, one core)\n", g->npool,
	    g->o.nreq ? "templated" : action, (double)t / 1e9,
	    (double)t / 1e3 / (double)g->npool);
	return 0;
}

/* Write mode setup: one VPC (10.0.0.0/16) to hold the vSwitches. */
static int
lg_create_vpc(struct lg *g)
{
	struct prm_list q;
	struct lg_req rq = { NULL, 0 };
	char *body = NULL;
	json_t *j = NULL;
	int status = 0, r = -1;

	prm_init(&q);
	if (prm_add(&q, "CidrBlock", 9, "10.0.0.0/16", 11) < 0 ||
	    prm_add(&q, "RegionId", 8, g->o.region, strlen(g->o.region)) < 0 ||
	    lg_req_v3(&g->o.key, g->host, "2016-04-28", "CreateVpc", &q, &rq) < 0 ||
	    lg_roundtrip(g->o.port, &rq, &status, &body) < 0)
		goto out;
	j = json_loads(body, 0, NULL);
	if (status != 200 || !json_is_string(json_object_get(j, "VpcId"))) {
		fprintf(stderr, "loadgen: CreateVpc: HTTP %d: %s\n", status, body);
		goto out;
	}
	snprintf(g->vpc, sizeof(g->vpc), "%s",
	    json_string_value(json_object_get(j, "VpcId")));
	r = 0;
out:
	json_decref(j);
	free(body);
	lg_req_free(&rq);
	prm_free(&q);
	return r;
}

static int
lg_u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double
lg_pct_ms(const struct lg *g, double p)
{
	if (g->nlat == 0)
		return 0;
	return (double)g->lat[(size_t)(p * (double)(g->nlat - 1) + 0.5)] / 1e6;
}

static void
lg_report(struct lg *g)
{
	double secs = (double)(g->t_last - g->t_start) / 1e9;

	qsort(g->lat, g->nlat, sizeof(*g->lat), lg_u64_cmp);
	printf("%-28s %7zu req in %5.2f s = %7.0f req/s  p50 %6.2f ms  "
	    "p99 %6.2f ms  %zu errors", g->o.label, g->nlat, secs,
	    secs > 0 ? (double)g->nlat / secs : 0, lg_pct_ms(g, 0.50),
	    lg_pct_ms(g, 0.99), g->errors);
	if (g->nsign)
		printf("  (in-loop signing %.1f us/req)",
		    (double)g->sign_ns / 1e3 / (double)g->nsign);
	printf("\n");
	fflush(stdout);
}

/* The event loop: until every connection is idle. */
static int
lg_run(struct lg *g)
{
	struct epoll_event ev[LG_MAX_CONNS];
	uint64_t last_progress;
	size_t done = 0;
	int active;

	g->t_start = g->t_last = last_progress = tm_mono_ns();
	for (int i = 0; i < g->o.conns; i++)
		if (lg_issue(g, &g->c[i]) < 0)
			return -1;
	for (;;) {
		int n;

		active = 0;
		for (int i = 0; i < g->o.conns; i++)
			active += g->c[i].busy;
		if (active == 0)
			return 0;
		n = epoll_wait(g->ep, ev, LG_MAX_CONNS, 1000);
		if (n < 0 && errno != EINTR)
			return -1;
		for (int i = 0; i < n; i++) {
			struct lg_conn *c = ev[i].data.ptr;

			if (((ev[i].events & EPOLLOUT) && lg_flush(g, c) < 0) ||
			    ((ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) &&
			    lg_readable(g, c) < 0)) {
				fprintf(stderr, "loadgen: connection %d failed\n",
				    c->idx);
				return -1;
			}
		}
		if (g->nlat != done) {
			done = g->nlat;
			last_progress = tm_mono_ns();
		} else if (tm_mono_ns() - last_progress > 30000000000ull) {
			fprintf(stderr, "loadgen: no reply for 30 s\n");
			return -1;
		}
	}
}

static int
lg_open_conns(struct lg *g)
{
	size_t per = lg_slice(g);
	int seq = strcmp(g->o.mode, "seq") == 0;

	if ((g->ep = epoll_create1(EPOLL_CLOEXEC)) < 0 ||
	    (g->c = calloc((size_t)g->o.conns, sizeof(*g->c))) == NULL)
		return -1;
	for (int i = 0; i < g->o.conns; i++) {
		struct lg_conn *c = &g->c[i];
		struct epoll_event ev = { 0 };

		c->idx = i;
		c->next = (size_t)i * per;
		c->end = i == g->o.conns - 1 && !seq ? g->o.count :
		    c->next + per;
		if ((c->fd = lg_connect(g->o.port)) < 0) {
			fprintf(stderr, "loadgen: cannot connect to 127.0.0.1:%u\n",
			    g->o.port);
			return -1;
		}
		if (fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK) < 0)
			return -1;
		ev.events = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(g->ep, EPOLL_CTL_ADD, c->fd, &ev) < 0)
			return -1;
	}
	return 0;
}

static void
lg_usage(void)
{
	fprintf(stderr, "usage: loadgen --port N --mode read|write|seq "
	    "[options]\n"
	    "  --conns K       keep-alive connections (default 16, max %d)\n"
	    "  --count N       requests pre-signed (read) or CreateVSwitch "
	    "requests pre-signed (write); seq: split over\n"
	    "                  the connections in whole cycles; default 50000\n"
	    "  --seconds S     stop issuing after S seconds (default 10)\n"
	    "  --cycle         reuse the read pool (nonce-blind servers only)\n"
	    "  --label TEXT    name printed with the result\n"
	    "  --req TEMPLATE  \"VERSION ACTION Name=Value ...\": read mode, "
	    "instead of\n"
	    "                  DescribeRegions; seq mode, up to %d, issued in "
	    "turn\n"
	    "  --each LIST     seq mode: comma-separated, connection i "
	    "replaces \"{}\"\n"
	    "                  in the templates' values with item i\n"
	    "  --region ID --zone ID   (default cn-hangzhou, cn-hangzhou-b)\n"
	    "Credentials: SEKISHO_ROOT_ACCESS_KEY_ID / _SECRET.\n",
	    LG_MAX_CONNS, LG_MAX_REQS);
}

/* --each: a comma-separated list, one item per connection. */
static int
lg_parse_each(struct lg_opts *o, const char *list)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");

		if (o->neach == LG_MAX_CONNS ||
		    (o->each[o->neach] = strndup(p, len)) == NULL)
			return -1;
		o->neach++;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

static int
lg_parse(int argc, char **argv, struct lg_opts *o)
{
	static const struct option opts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "mode", required_argument, NULL, 'm' },
		{ "conns", required_argument, NULL, 'c' },
		{ "count", required_argument, NULL, 'n' },
		{ "seconds", required_argument, NULL, 's' },
		{ "cycle", no_argument, NULL, 'y' },
		{ "label", required_argument, NULL, 'l' },
		{ "region", required_argument, NULL, 'r' },
		{ "zone", required_argument, NULL, 'z' },
		{ "req", required_argument, NULL, 'q' },
		{ "each", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	long port = 0;
	int ch;

	memset(o, 0, sizeof(*o));
	o->mode = "read";
	o->label = NULL;
	o->region = "cn-hangzhou";
	o->zone = "cn-hangzhou-b";
	o->conns = 16;
	o->count = 50000;
	o->seconds = 10;
	o->key.akid = getenv("SEKISHO_ROOT_ACCESS_KEY_ID");
	o->key.secret = getenv("SEKISHO_ROOT_ACCESS_KEY_SECRET");
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'p': port = strtol(optarg, NULL, 10); break;
		case 'm': o->mode = optarg; break;
		case 'c': o->conns = atoi(optarg); break;
		case 'n': o->count = strtoul(optarg, NULL, 10); break;
		case 's': o->seconds = strtod(optarg, NULL); break;
		case 'y': o->cycle = 1; break;
		case 'l': o->label = optarg; break;
		case 'r': o->region = optarg; break;
		case 'z': o->zone = optarg; break;
		case 'q':
			if (o->nreq == LG_MAX_REQS)
				return -1;
			o->req[o->nreq++] = optarg;
			break;
		case 'e':
			if (lg_parse_each(o, optarg) < 0)
				return -1;
			break;
		default: return -1;
		}
	}
	if (port < 1 || port > 65535 || o->conns < 1 ||
	    o->conns > LG_MAX_CONNS || o->count < (size_t)o->conns ||
	    o->seconds <= 0 || !o->key.akid || !o->key.secret)
		return -1;
	if (strcmp(o->mode, "seq") == 0) {
		if (o->nreq == 0 || (o->neach && o->neach < o->conns) ||
		    o->count / (size_t)o->conns < (size_t)o->nreq)
			return -1;
		o->count = o->count / (size_t)o->conns /
		    (size_t)o->nreq * (size_t)o->nreq * (size_t)o->conns;
	} else if (o->neach || (strcmp(o->mode, "read") == 0 ?
	    o->nreq > 1 : strcmp(o->mode, "write") != 0 || o->nreq)) {
		return -1;
	}
	o->port = (unsigned short)port;
	if (o->label == NULL)
		o->label = o->mode;
	return 0;
}

int
main(int argc, char **argv)
{
	struct lg g;
	int rc = 1, write_mode;

	memset(&g, 0, sizeof(g));
	g.ep = -1;
	if (lg_parse(argc, argv, &g.o) < 0) {
		lg_usage();
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	write_mode = strcmp(g.o.mode, "write") == 0;
	snprintf(g.host, sizeof(g.host), "127.0.0.1:%u", g.o.port);
	if (lg_req_init() < 0)
		goto out;
	if (write_mode && lg_create_vpc(&g) < 0)
		goto out;
	if (lg_presign(&g, write_mode ? "2016-04-28" : "2014-05-26",
	    write_mode ? "CreateVSwitch" : "DescribeRegions", write_mode) < 0 ||
	    lg_open_conns(&g) < 0) {
		fprintf(stderr, "loadgen: setup failed\n");
		goto out;
	}
	if (lg_run(&g) < 0)
		goto out;
	lg_report(&g);
	rc = g.errors ? 1 : 0;
out:
	for (int i = 0; g.c && i < g.o.conns; i++) {
		if (g.c[i].fd > 0)
			close(g.c[i].fd);
		free(g.c[i].in);
		lg_req_free(&g.c[i].dyn);
	}
	for (size_t i = 0; i < g.npool; i++)
		lg_req_free(&g.pool[i]);
	if (g.ep >= 0)
		close(g.ep);
	for (int i = 0; i < g.o.neach; i++)
		free(g.o.each[i]);
	free(g.pool);
	free(g.c);
	free(g.lat);
	return rc;
}
