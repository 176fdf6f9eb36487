/*
 * api: the guard pipeline. See api.h for the order of the steps; each step
 * either passes or ends the request with one catalogue error.
 */
#include "api/api.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "api/auth.h"
#include "iam/authz.h"
#include "lib/err.h"
#include "lib/log.h"
#include "lib/rnd.h"
#include "lib/sb.h"
#include "lib/tm.h"

static const struct api_action *const api_ecs_tables[] = {
	act_ecs_region_actions, act_ecs_sg_actions, act_ecs_sgrule_actions,
	act_ecs_instance_actions, act_ecs_eni_actions, NULL,
};
static const struct api_action *const api_vpc_tables[] = {
	act_vpc_actions, NULL,
};
static const struct api_action *const api_ram_tables[] = {
	act_ram_actions, NULL,
};
static const struct api_action *const api_sts_tables[] = {
	act_sts_actions, NULL,
};
static const struct api_action *const api_sekisho_tables[] = {
	act_sekisho_agent_actions, act_sekisho_eng_actions, NULL,
};

static const struct api_product api_products[] = {
	{ "2014-05-26", "Ecs", "ecs.aliyuncs.com", api_ecs_tables },
	{ "2016-04-28", "Vpc", "vpc.aliyuncs.com", api_vpc_tables },
	{ "2015-05-01", "Ram", "ram.aliyuncs.com", api_ram_tables },
	{ "2015-04-01", "Sts", "sts.aliyuncs.com", api_sts_tables },
	/* Our own product: agents, enforcement status, the decision engine. */
	{ "2026-12-01", "Sekisho", "sekisho.local", api_sekisho_tables },
};

#define API_NPRODUCTS (sizeof(api_products) / sizeof(api_products[0]))

/* Parameters that belong to the protocol, not to the action. */
static const char *const api_common_params[] = {
	"Action", "Version", "Format", "AccessKeyId", "Signature",
	"SignatureMethod", "SignatureVersion", "SignatureNonce", "SignatureType",
	"Timestamp", "SecurityToken", "ClientToken", "OwnerId", "OwnerAccount",
	"ResourceOwnerId", "ResourceOwnerAccount", NULL,
};

void
api_config_defaults(struct api_config *c)
{
	static const char *const regions[] = { "cn-hangzhou", "cn-shanghai",
	    "cn-beijing", "ap-northeast-1", NULL };

	memset(c, 0, sizeof(*c));
	for (int i = 0; regions[i]; i++)
		c->regions[i] = regions[i];
	c->clock_skew = 900;
	c->max_body = 1 << 20;
	c->vpc_quota = 10;
	c->vswitch_quota = 150;
	c->sg_quota = 100;
	c->sg_per_eni = 5;
	c->rules_per_eni = 500;
	c->classic_group_instances = 1000;
	c->vpc_basic_group_ips = 2000;
	c->enterprise_group_enis = 50000;
	c->tcp25_open = 0;
	c->host_id = "host-local";
}

int
api_new(struct store *st, const struct api_config *cfg, struct api **out)
{
	struct api *a = calloc(1, sizeof(*a));
	int r;

	*out = NULL;
	if (a == NULL)
		return -ERR_NOMEM;
	a->st = st;
	a->cfg = *cfg;
	if ((r = nonce_cache_new(cfg->clock_skew, &a->nonces)) < 0) {
		free(a);
		return r;
	}
	if ((r = authz_new(&a->authz)) < 0) {
		nonce_cache_free(a->nonces);
		free(a);
		return r;
	}
	pthread_mutex_init(&a->rev_lock, NULL);
	pthread_cond_init(&a->rev_cond, NULL);
	*out = a;
	return 0;
}

void
api_free(struct api *a)
{
	if (a == NULL)
		return;
	nonce_cache_free(a->nonces);
	authz_free(a->authz);
	pthread_cond_destroy(&a->rev_cond);
	pthread_mutex_destroy(&a->rev_lock);
	free(a);
}

void
api_set_fixed_now(struct api *a, int64_t now)
{
	a->fixed_now = now;
}

void
api_response_free(struct api_response *r)
{
	free(r->body);
	r->body = NULL;
}

int
api_fail(struct api_call *c, int err, const char *fmt, ...)
{
	va_list ap;

	c->detail[0] = '\0';
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(c->detail, sizeof(c->detail), fmt, ap);
		va_end(ap);
	}
	return err < 0 ? err : -err;
}

static void
api_reply_json(struct api_response *resp, int status, json_t *obj)
{
	resp->status = status;
	resp->body = json_dumps(obj, JSON_COMPACT);
	if (resp->body == NULL) {
		resp->status = 500;
		resp->body = strdup("{\"Code\":\"InternalError\"}");
	}
}

static void
api_reply_error(struct api_response *resp, const char *request_id,
    const struct api_product *prod, int err, const char *detail,
    json_t *extra)
{
	char msg[2048], recommend[256];
	const char *code = err_code_str(err);
	json_t *o;

	err_format(err, detail, msg, sizeof(msg));
	snprintf(recommend, sizeof(recommend),
	    "https://api.aliyun.com/troubleshoot?q=%s&product=%s&requestId=%s",
	    code, prod ? prod->name : "Ecs", request_id);
	o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "RequestId", request_id,
	    "HostId", prod ? prod->host : "ecs.aliyuncs.com", "Code", code,
	    "Message", msg, "Recommend", recommend);
	if (o == NULL) {
		/* A detail that JSON cannot carry: keep the envelope without it. */
		err_format(err, "", msg, sizeof(msg));
		o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "RequestId", request_id,
		    "HostId", prod ? prod->host : "ecs.aliyuncs.com", "Code", code,
		    "Message", msg, "Recommend", recommend);
	}
	if (o && extra)
		json_object_update_missing(o, extra);
	api_reply_json(resp, err_status(err), o);
	json_decref(o);
}

static const struct api_product *
api_find_product(const char *version)
{
	for (size_t i = 0; version && i < API_NPRODUCTS; i++)
		if (strcmp(api_products[i].version, version) == 0)
			return &api_products[i];
	return NULL;
}

static const struct api_action *
api_find_action(const struct api_product *p, const char *name)
{
	for (size_t t = 0; name && p->tables[t]; t++)
		for (const struct api_action *a = p->tables[t]; a->name; a++)
			if (strcmp(a->name, name) == 0)
				return a;
	return NULL;
}

static int
api_is_common(const char *key)
{
	for (int i = 0; api_common_params[i]; i++)
		if (strcmp(api_common_params[i], key) == 0)
			return 1;
	return 0;
}

/* SHA-256 over the action's own parameters, for ClientToken matching. */
static int
api_params_hash(const struct prm_list *p, char out[65])
{
	struct prm *own = calloc(p->n ? p->n : 1, sizeof(*own));
	struct sb cq = SB_INIT;
	size_t m = 0;
	int r;

	if (own == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < p->n; i++)
		if (!api_is_common(p->v[i].key))
			own[m++] = p->v[i];
	r = sig_canonical_query(own, m, NULL, &cq);
	if (r == 0)
		sig_sha256_hex(sb_str(&cq), cq.len, out);
	sb_free(&cq);
	free(own);
	return r;
}

/*
 * Long-poll: waits (outside any store transaction) until the store
 * revision passes SinceRevision or WaitSeconds (0..25) elapse. The schema
 * of such an action declares both parameters.
 */
static void
api_long_poll(struct api_call *c)
{
	uint64_t since = (uint64_t)api_int(c, "SinceRevision", 0);
	int64_t wait = api_int(c, "WaitSeconds", 0);
	struct timespec until;

	if (wait <= 0)
		return;
	if (wait > 25)
		wait = 25;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait;
	pthread_mutex_lock(&c->api->rev_lock);
	while (store_committed_revision(c->st) <= since &&
	    pthread_cond_timedwait(&c->api->rev_cond, &c->api->rev_lock,
	    &until) == 0)
		;
	pthread_mutex_unlock(&c->api->rev_lock);
}

/* Parses query and form body into params; records how many came first. */
static int
api_decode(const struct api_request *req, struct prm_list *p,
    struct sb *detail)
{
	const char *ct;
	int r;

	if (req->query && (r = prm_parse(p, req->query, strlen(req->query))) < 0)
		return sb_adds(detail, "QueryString"), r;
	p->from_query = (int)p->n;
	if (req->body_len == 0)
		return 0;
	ct = req->header(req->header_arg, "content-type");
	if (ct && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0) {
		if (memchr(req->body, '\0', req->body_len))
			return sb_adds(detail, "Body"), -ERR_INVALID_PARAMETER;
		if ((r = prm_parse(p, req->body, req->body_len)) < 0)
			return sb_adds(detail, "Body"), r;
	}
	return 0;
}

/*
 * Runs the handler inside a transaction, with ClientToken idempotency for
 * actions that take it. On success c->out holds the response fields.
 */
static int
api_run(struct api_call *c)
{
	const char *token = NULL;
	char hash[65] = "", old_hash[65] = "";
	char *old = NULL;
	int write = (c->act->flags & AF_WRITE) != 0, r;

	if (c->act->flags & AF_CLIENT_TOKEN)
		token = prm_get(c->params, "ClientToken");
	if (token && (strlen(token) > 64 || token[0] == '\0'))
		return api_fail(c, ERR_INVALID_CLIENT_TOKEN, NULL);
	if (token && (r = api_params_hash(c->params, hash)) < 0)
		return r;
	if (c->act->flags & AF_NOSTORE)
		return c->act->handler(c);
	if ((r = store_tx_begin(c->st, write ? STORE_TX_WRITE : STORE_TX_READ)) < 0)
		return r;
	if (token) {
		r = store_idem_get(c->st, c->who.account, c->act->name, token,
		    old_hash, &old);
		if (r == 0) {
			if (strcmp(old_hash, hash) != 0) {
				r = api_fail(c, ERR_IDEMPOTENT_MISMATCH, NULL);
				goto out;
			}
			json_decref(c->out);
			c->out = json_loads(old, 0, NULL);
			r = c->out ? 0 : -ERR_STORE;
			goto out;
		}
		if (r != -ERR_NOT_FOUND)
			goto out;
	}
	if ((r = c->act->handler(c)) < 0)
		goto out;
	if (token) {
		char *saved = json_dumps(c->out, JSON_COMPACT);

		r = saved ? store_idem_put(c->st, c->who.account, c->act->name,
		    token, hash, saved, c->now) : -ERR_NOMEM;
		free(saved);
		if (r < 0)
			goto out;
	}
	if (write) {
		c->revision = store_revision(c->st);
		r = store_tx_commit(c->st);
		free(old);
		if (r == 0) {
			pthread_mutex_lock(&c->api->rev_lock);
			pthread_cond_broadcast(&c->api->rev_cond);
			pthread_mutex_unlock(&c->api->rev_lock);
		}
		return r;
	}
out:
	store_tx_abort(c->st);
	free(old);
	return r;
}

void
api_handle(struct api *a, const struct api_request *req,
    struct api_response *resp)
{
	const struct api_product *prod = NULL;
	struct prm_list params;
	struct api_call c;
	struct sb detail = SB_INIT;
	const char *action, *version;
	int r;

	memset(&c, 0, sizeof(c));
	memset(resp, 0, sizeof(*resp));
	prm_init(&params);
	c.api = a;
	c.st = a->st;
	c.params = &params;
	c.now = a->fixed_now ? a->fixed_now : tm_now();
	if (rnd_uuid(c.request_id, sizeof(c.request_id)) < 0)
		snprintf(c.request_id, sizeof(c.request_id), "0");

	/* 1. decode */
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "POST") != 0) {
		r = -ERR_UNSUPPORTED_HTTP_METHOD;
		goto fail;
	}
	if (req->body_too_large) {
		sb_addf(&detail, "%zu", a->cfg.max_body);
		r = -ERR_BODY_TOO_LARGE;
		goto fail;
	}
	if ((r = api_decode(req, &params, &detail)) < 0)
		goto fail;

	/* 2. find the action: parameters first (V1), else headers (V3) */
	action = prm_get(&params, "Action");
	if (action == NULL)
		action = req->header(req->header_arg, "x-acs-action");
	version = prm_get(&params, "Version");
	if (version == NULL)
		version = req->header(req->header_arg, "x-acs-version");
	if (action == NULL || action[0] == '\0') {
		sb_adds(&detail, "Action");
		r = -ERR_MISSING_PARAMETER;
		goto fail;
	}
	if (version == NULL || version[0] == '\0') {
		sb_adds(&detail, "Version");
		r = -ERR_MISSING_PARAMETER;
		goto fail;
	}
	if ((prod = api_find_product(version)) == NULL) {
		r = -ERR_INVALID_VERSION;
		goto fail;
	}
	if (strcmp(req->path, "/") != 0 ||
	    (c.act = api_find_action(prod, action)) == NULL) {
		r = -ERR_INVALID_ACTION;
		goto fail;
	}

	/* 3. authenticate */
	{
		struct auth_input in = { req, &params, a->st, a->nonces, c.now,
		    a->cfg.clock_skew };

		if ((r = auth_verify(&in, &c.who, &detail)) < 0)
			goto fail;
	}

	/* 4. authorize: host agents call the agent actions and nothing else;
	 * everyone else is judged by RAM policy (iam/authz.h). */
	if ((c.act->flags & AF_AGENT) !=
	    (strncmp(c.who.principal, "agent:", 6) == 0 ? AF_AGENT : 0u)) {
		r = -ERR_FORBIDDEN_RAM;
		goto fail;
	}
	c.req = req;
	if ((r = authz_call(&c)) < 0)
		goto fail_call;

	/* 5. validate */
	if ((r = api_validate(&c, c.act->params)) < 0)
		goto fail_call;

	/* 6. handle (7. serialize below) */
	c.out = json_object();
	if (c.out == NULL) {
		r = -ERR_NOMEM;
		goto fail;
	}
	if (c.act->flags & AF_LONGPOLL)
		api_long_poll(&c);
	if ((r = api_run(&c)) < 0)
		goto fail_call;
	if (c.act->flags & AF_WRITE)
		authz_committed(a->authz, c.act->version);
	json_object_set_new(c.out, "RequestId", json_string(c.request_id));
	api_reply_json(resp, 200, c.out);
	resp->revision = c.revision;
	log_debug("%s %s/%s -> 200", c.request_id, prod->name, c.act->name);
	goto out;

fail_call:
	sb_reset(&detail);
	sb_adds(&detail, c.detail);
fail:
	if (err_status(r) >= 500)
		log_error("%s %s: %s (%s)", c.request_id, c.act ? c.act->name : "-",
		    err_name(r), sb_str(&detail));
	else
		log_debug("%s %s: %s", c.request_id,
		    c.act ? c.act->name : "-", err_code_str(r));
	api_reply_error(resp, c.request_id, prod, r, sb_str(&detail), c.extra);
out:
	json_decref(c.extra);
	json_decref(c.out);
	prm_free(&params);
	sb_free(&detail);
}
