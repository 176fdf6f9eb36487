/*
 * api_fuzz: the whole guard pipeline (api_handle) over fuzzed requests,
 * with a real SQLite store in a temporary directory and a fixed clock.
 *
 * Input: an HTTP request as text,
 *   METHOD TARGET [HTTP/1.1]\n  header: value\n ... \n\n  body
 * (TARGET is "/path?query"; '\r' before '\n' is ignored; the body is the
 * rest, raw bytes). So that the fuzzer gets past authentication, the
 * harness acts as a client for a few placeholders, replaced before the
 * request is handled:
 *   @nonce   a fresh nonce (counter)
 *   @vpc @vsw @sg @sg2 @inst @eni   ids of resources created at start-up
 *   @sig     in "Signature=@sig": the harness signs the request with the
 *            root key (V3 when in the Authorization header, V1 when in
 *            the query or the form body), exactly as an SDK would.
 * The clock is fixed at 2026-11-28T20:21:10Z, when the spec's captured
 * requests (§2) were signed, so those verify as they are.
 *
 * Invariants (abort() on violation): never a crash, leak or UB; a status
 * >= 500 only for a store error (recognised from the pipeline's error log
 * line, captured by the log_msg() below, which replaces src/lib/log.c in
 * this binary); every reply is a JSON object with a RequestId, and every
 * error reply carries Code and Message.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "api/api.h"
#include "api/boot.h"
#include "api/sig.h"
#include "lib/log.h"
#include "lib/pct.h"
#include "lib/prm.h"
#include "lib/sb.h"
#include "lib/tm.h"
#include "store/store.h"

#define AF_AKID "AKIDEXAMPLE"
#define AF_SECRET "SECRETEXAMPLE"
#define AF_NOW "2026-11-28T20:21:10Z"
#define AF_MAX_HEADERS 64

struct af_hdr {
	char *name;
	char *value;	/* malloc'd, may be rewritten by the signer */
};

struct af_req {
	char *method, *path, *query;	/* query NULL when no '?' */
	struct af_hdr h[AF_MAX_HEADERS];
	size_t nh;
	struct sb body;
};

static struct api *af_api;

/*
 * Resources made at start-up, in this order, and the placeholders that
 * stand for their ids (substituted in table order: "@sg2" before "@sg").
 * A row whose action does not exist (yet) leaves its placeholder as is.
 */
static struct af_res {
	const char *ph, *version, *action, *query, *field;
	char id[80];
} af_res[] = {
	{ "@vpc", "2016-04-28", "CreateVpc",
	    "CidrBlock=10.0.0.0%2F16&RegionId=cn-hangzhou", "VpcId", "" },
	{ "@vsw", "2016-04-28", "CreateVSwitch", "CidrBlock=10.0.1.0%2F24&"
	    "RegionId=cn-hangzhou&VpcId=@vpc&ZoneId=cn-hangzhou-b",
	    "VSwitchId", "" },
	{ "@sg2", "2014-05-26", "CreateSecurityGroup",
	    "RegionId=cn-hangzhou&VpcId=@vpc", "SecurityGroupId", "" },
	{ "@sg", "2014-05-26", "CreateSecurityGroup",
	    "RegionId=cn-hangzhou&VpcId=@vpc", "SecurityGroupId", "" },
	{ "@inst", "2014-05-26", "CreateInstance", "ImageId=img-1&"
	    "InstanceType=ecs.g7.large&RegionId=cn-hangzhou&"
	    "SecurityGroupId=@sg&VSwitchId=@vsw", "InstanceId", "" },
	{ "@eni", "2014-05-26", "CreateNetworkInterface", "RegionId=cn-hangzhou&"
	    "SecurityGroupId=@sg&VSwitchId=@vsw", "NetworkInterfaceId", "" },
};

#define AF_NRES (sizeof(af_res) / sizeof(af_res[0]))
static unsigned long long af_nonce;
static char af_last_error[2048];

/* log double: quiet, but remembers the last error line of the pipeline. */
void
log_set_level(enum log_level lv)
{
	(void)lv;
}

int
log_level_parse(const char *s, enum log_level *out)
{
	(void)s;
	*out = LOG_ERROR;
	return 0;
}

void
log_msg(enum log_level lv, const char *fmt, ...)
{
	va_list ap;

	if (lv != LOG_ERROR)
		return;
	va_start(ap, fmt);
	vsnprintf(af_last_error, sizeof(af_last_error), fmt, ap);
	va_end(ap);
}

/* Replaces every occurrence of pat in b by rep. */
static void
af_subst(struct sb *b, const char *pat, const char *rep)
{
	struct sb out = SB_INIT;
	size_t pl = strlen(pat), i = 0;
	const char *p;

	if (memmem(b->p ? b->p : "", b->len, pat, pl) == NULL)
		return;
	while ((p = memmem(b->p + i, b->len - i, pat, pl)) != NULL) {
		sb_addn(&out, b->p + i, (size_t)(p - (b->p + i)));
		sb_adds(&out, rep);
		i = (size_t)(p - b->p) + pl;
	}
	sb_addn(&out, b->p + i, b->len - i);
	sb_free(b);
	*b = out;
}

static void
af_subst_nonces(struct sb *b)
{
	char n[32];

	while (b->p && memmem(b->p, b->len, "@nonce", 6)) {
		struct sb one = SB_INIT;
		const char *p = memmem(b->p, b->len, "@nonce", 6);
		size_t at = (size_t)(p - b->p);

		snprintf(n, sizeof(n), "fz%016llx", ++af_nonce);
		sb_addn(&one, b->p, at);
		sb_adds(&one, n);
		sb_addn(&one, p + 6, b->len - at - 6);
		sb_free(b);
		*b = one;
	}
}

static const char *
af_header(void *arg, const char *lname)
{
	const struct af_req *r = arg;

	for (size_t i = 0; i < r->nh; i++)
		if (strcasecmp(r->h[i].name, lname) == 0)
			return r->h[i].value;
	return NULL;
}

static void
af_req_free(struct af_req *r)
{
	for (size_t i = 0; i < r->nh; i++) {
		free(r->h[i].name);
		free(r->h[i].value);
	}
	free(r->method);
	free(r->path);
	free(r->query);
	sb_free(&r->body);
}

/* Splits text (NUL-free head + raw body) into *r; -1 if unusable. */
static int
af_parse(const struct sb *in, struct af_req *r)
{
	const char *end = in->p + in->len, *sep, *line, *eol;
	size_t hl;
	char *head;

	memset(r, 0, sizeof(*r));
	sep = memmem(in->p, in->len, "\n\n", 2);
	if (sep == NULL && (sep = memmem(in->p, in->len, "\r\n\r\n", 4)))
		sb_addn(&r->body, sep + 4, (size_t)(end - sep - 4));
	else if (sep)
		sb_addn(&r->body, sep + 2, (size_t)(end - sep - 2));
	hl = sep ? (size_t)(sep - in->p) : in->len;
	if (memchr(in->p, '\0', hl))
		return -1;
	head = strndup(in->p, hl);
	for (line = head; line && *line; line = eol ? eol + 1 : NULL) {
		const char *q, *colon;
		size_t ll;

		eol = strchr(line, '\n');
		ll = eol ? (size_t)(eol - line) : strlen(line);
		if (ll && line[ll - 1] == '\r')
			ll--;
		if (r->method == NULL) {
			size_t ml = strcspn(line, " \r\n"), tl;
			const char *t = line + ml;

			r->method = strndup(line, ml);
			while (*t == ' ')
				t++;
			tl = strcspn(t, " \r\n");
			q = memchr(t, '?', tl);
			r->path = strndup(t, q ? (size_t)(q - t) : tl);
			if (q)
				r->query = strndup(q + 1, tl - (size_t)(q - t) - 1);
			continue;
		}
		if ((colon = memchr(line, ':', ll)) == NULL ||
		    r->nh == AF_MAX_HEADERS)
			continue;
		r->h[r->nh].name = strndup(line, (size_t)(colon - line));
		for (colon++; colon < line + ll && (*colon == ' ' || *colon == '\t');)
			colon++;
		r->h[r->nh].value = strndup(colon, (size_t)(line + ll - colon));
		r->nh++;
	}
	free(head);
	if (r->method == NULL || r->path == NULL)
		return -1;
	return 0;
}

/* V3: signs like the Tea SDK if the Authorization ends in "Signature=@sig". */
static void
af_sign_v3(struct af_req *r)
{
	struct sig_v3_auth a;
	struct prm_list q;
	struct sb canon = SB_INIT, sts = SB_INIT, v = SB_INIT;
	char hash[65], sig[72];
	struct af_hdr *h = NULL;

	for (size_t i = 0; i < r->nh; i++)
		if (strcasecmp(r->h[i].name, "authorization") == 0) {
			h = &r->h[i];
			break;
		}
	if (h == NULL || strstr(h->value, "Signature=@sig") == NULL ||
	    sig_v3_parse_auth(h->value, &a) != 0)
		return;
	prm_init(&q);
	if (r->query && prm_parse(&q, r->query, strlen(r->query)) != 0)
		goto out;
	sig_sha256_hex(sb_str(&r->body), r->body.len, hash);
	if (sig_v3_canonical_request(r->method, r->path, q.v, q.n,
	    a.signed_headers, af_header, r, hash, &canon) != 0 ||
	    sig_v3_string_to_sign(sb_str(&canon), &sts) != 0 ||
	    sig_v3_sign(AF_SECRET, sb_str(&sts), sig, sizeof(sig)) != 0)
		goto out;
	sb_adds(&v, h->value);
	af_subst(&v, "@sig", sig);
	free(h->value);
	h->value = sb_take(&v);
out:
	prm_free(&q);
	sb_free(&canon);
	sb_free(&sts);
	sb_free(&v);
}

/* V1: "Signature=@sig" in the query or the form body. */
static void
af_sign_v1(struct af_req *r)
{
	const char *ct = af_header(r, "content-type");
	int form = ct && strncasecmp(ct, "application/x-www-form-urlencoded",
	    33) == 0 && !memchr(sb_str(&r->body), '\0', r->body.len);
	struct prm_list p;
	struct sb sts = SB_INIT, enc = SB_INIT, q = SB_INIT;
	char sig[64];

	if (!(r->query && strstr(r->query, "Signature=@sig")) &&
	    !(form && memmem(sb_str(&r->body), r->body.len, "Signature=@sig", 14)))
		return;
	prm_init(&p);
	if ((r->query && prm_parse(&p, r->query, strlen(r->query)) != 0) ||
	    (form && prm_parse(&p, sb_str(&r->body), r->body.len) != 0) ||
	    sig_v1_string_to_sign(r->method, &p, &sts) != 0 ||
	    sig_v1_sign(AF_SECRET, sb_str(&sts), sig, sizeof(sig)) != 0)
		goto out;
	sb_adds(&enc, "Signature=");
	pct_encode(&enc, sig, strlen(sig));
	if (r->query) {
		sb_adds(&q, r->query);
		af_subst(&q, "Signature=@sig", sb_str(&enc));
		free(r->query);
		r->query = sb_take(&q);
	}
	if (form)
		af_subst(&r->body, "Signature=@sig", sb_str(&enc));
out:
	prm_free(&p);
	sb_free(&sts);
	sb_free(&enc);
	sb_free(&q);
}

/* Runs one request text through api_handle, checking the invariants. */
static json_t *
af_run(const uint8_t *data, size_t size)
{
	struct sb text = SB_INIT;
	struct af_req r;
	struct api_request req;
	struct api_response resp;
	json_t *j;

	memset(&r, 0, sizeof(r));
	sb_addn(&text, (const char *)data, size);
	af_subst_nonces(&text);
	for (size_t i = 0; i < AF_NRES; i++)
		af_subst(&text, af_res[i].ph, af_res[i].id[0] ? af_res[i].id :
		    af_res[i].ph);
	if (sb_ok(&text) < 0 || text.len == 0 || af_parse(&text, &r) < 0) {
		af_req_free(&r);
		sb_free(&text);
		return NULL;
	}
	sb_free(&text);
	af_sign_v3(&r);
	af_sign_v1(&r);
	memset(&req, 0, sizeof(req));
	req.method = r.method;
	req.path = r.path;
	req.query = r.query;
	req.body = sb_str(&r.body);
	req.body_len = r.body.len;
	req.client_ip = "127.0.0.1";
	req.header = af_header;
	req.header_arg = &r;
	af_last_error[0] = '\0';
	api_handle(af_api, &req, &resp);
	if (resp.status >= 500 && strstr(af_last_error, ": STORE (") == NULL) {
		fprintf(stderr, "api_fuzz: status %d: %s\n%s\n", resp.status,
		    af_last_error, resp.body ? resp.body : "(no body)");
		abort();
	}
	j = resp.body ? json_loads(resp.body, 0, NULL) : NULL;
	if (!json_is_object(j) || !json_is_string(json_object_get(j, "RequestId")) ||
	    (resp.status != 200 &&
	    (!json_is_string(json_object_get(j, "Code")) ||
	    !json_is_string(json_object_get(j, "Message"))))) {
		fprintf(stderr, "api_fuzz: malformed reply %d: %s\n", resp.status,
		    resp.body ? resp.body : "(no body)");
		abort();
	}
	if (resp.status != 200) {
		json_decref(j);
		j = NULL;
	}
	api_response_free(&resp);
	af_req_free(&r);
	return j;
}

/* Creates the resources the placeholders stand for (af_res). */
static void
af_seed_resources(void)
{
	char buf[2048];
	json_t *j;
	int n;

	for (size_t i = 0; i < AF_NRES; i++) {
		struct af_res *r = &af_res[i];

		n = snprintf(buf, sizeof(buf), "POST /?%s\nhost: 127.0.0.1:8080\n"
		    "x-acs-action: %s\nx-acs-version: %s\nx-acs-date: " AF_NOW
		    "\nx-acs-signature-nonce: @nonce\nauthorization: "
		    "ACS3-HMAC-SHA256 Credential=" AF_AKID ",SignedHeaders=host;"
		    "x-acs-action;x-acs-date;x-acs-signature-nonce;x-acs-version,"
		    "Signature=@sig\n\n", r->query, r->action, r->version);
		if ((j = af_run((const uint8_t *)buf, (size_t)n)) == NULL)
			continue;
		if (json_is_string(json_object_get(j, r->field)))
			snprintf(r->id, sizeof(r->id), "%s",
			    json_string_value(json_object_get(j, r->field)));
		json_decref(j);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char af_dir[512];

/* The store lives in $TMPDIR (scripts/fuzz.sh points it at build-fuzz/). */
static void
af_cleanup(void)
{
	static const char *const files[] = { "sekisho.db", "sekisho.db-wal",
	    "sekisho.db-shm", NULL };
	char path[600];

	for (int i = 0; files[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", af_dir, files[i]);
		unlink(path);
	}
	rmdir(af_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	char path[600];
	struct store_opts so = { path, 0 };
	struct api_config cfg;
	struct boot_result br;
	struct store *st;
	int64_t now;

	(void)argc;
	(void)argv;
	snprintf(af_dir, sizeof(af_dir), "%s/sekisho-api-fuzz-XXXXXX",
	    tmp && tmp[0] ? tmp : "/tmp");
	if (mkdtemp(af_dir) == NULL)
		abort();
	atexit(af_cleanup);
	snprintf(path, sizeof(path), "%s/sekisho.db", af_dir);
	api_config_defaults(&cfg);
	if (tm_parse_iso(AF_NOW, &now) != 0 || store_open(&so, &st) != 0 ||
	    boot_root(st, af_dir, AF_AKID, AF_SECRET, now, &br) != 0 ||
	    api_new(st, &cfg, &af_api) != 0)
		abort();
	api_set_fixed_now(af_api, now);
	af_seed_resources();
	fprintf(stderr, "api_fuzz: store %s\n", path);
	for (size_t i = 0; i < AF_NRES; i++)
		fprintf(stderr, "api_fuzz: %s = %s\n", af_res[i].ph,
		    af_res[i].id[0] ? af_res[i].id : "(not created)");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_decref(af_run(data, size));
	return 0;
}
