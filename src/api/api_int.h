/*
 * api_int: what action handlers see. An action is one row of a table
 * (src/api/act/): name, version, RAM action, handler, parameter schema, flags.
 * Handlers receive validated input (types, ranges, required fields were
 * checked by the schema) and an open store transaction; they add response
 * fields to c->out and return 0, or return api_fail(c, ERR_x, detail).
 */
#ifndef SEKISHO_API_INT_H
#define SEKISHO_API_INT_H

#include <pthread.h>

#include <jansson.h>

#include "api/api.h"
#include "api/auth.h"
#include "lib/err.h"
#include "lib/prm.h"

enum api_ptype {
	PT_STR,		/* string; min/max = length */
	PT_INT,		/* decimal integer; min/max = range */
	PT_BOOL,	/* true | false */
	PT_LIST,	/* Name.N scalars; max = N limit */
	PT_OBJLIST,	/* Name.N.Field; fields = sub-schema; max = N limit */
	PT_JSONLIST,	/* JSON text array of strings; max = element limit */
};

#define AP_REQUIRED 1u

struct api_param {
	const char *name;
	enum api_ptype type;
	unsigned flags;
	int64_t min, max;		/* 0, 0 = unbounded */
	const struct api_param *fields;	/* PT_OBJLIST sub-schema, {NULL} ended */
	int err;			/* ERR_x for a bad value; 0 = InvalidParameter */
};

#define AF_WRITE 1u		/* runs in a write transaction */
#define AF_CLIENT_TOKEN 2u	/* honours ClientToken idempotency */
#define AF_AGENT 4u		/* only host agents ("agent:<host>") may call */
#define AF_LONGPOLL 8u		/* waits for SinceRevision/WaitSeconds first */
#define AF_NOSTORE 16u		/* reads configuration only: no store tx */

struct api_call;

struct api_action {
	const char *version;	/* API version: selects the product */
	const char *name;	/* Action */
	const char *ram_action;	/* e.g. "ecs:DescribeRegions"; NULL: open
				 * to every authenticated identity */
	int (*handler)(struct api_call *c);
	const struct api_param *params;	/* {NULL} ended */
	unsigned flags;
};

struct api_product {
	const char *version;
	const char *name;	/* "Ecs", "Vpc" */
	const char *host;	/* HostId in errors */
	const struct api_action *const *tables;	/* NULL-ended list of tables */
};

struct api {
	struct store *st;
	struct api_config cfg;
	struct nonce_cache *nonces;
	int64_t fixed_now;
	/* Long-polls wait on rev_cond for the store revision to pass theirs. */
	pthread_mutex_t rev_lock;
	pthread_cond_t rev_cond;
	struct authz *authz;	/* compiled policies (iam/authz.h) */
};

struct api_call {
	struct api *api;
	struct store *st;
	const struct api_action *act;
	const struct prm_list *params;
	struct auth_principal who;
	json_t *out;
	int64_t now;
	uint64_t revision;	/* the revision this call's write committed */
	char request_id[40];
	char detail[512];
	const struct api_request *req;	/* the HTTP request (condition keys) */
	json_t *extra;		/* merged into an error reply (AccessDeniedDetail) */
};

/* Records detail (printf-style, may be NULL) and returns -err. */
int api_fail(struct api_call *c, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Parameter accessors (after validation). */
const char *api_str(const struct api_call *c, const char *name);
const char *api_strf(const struct api_call *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int64_t api_int(const struct api_call *c, const char *name, int64_t def);
int api_bool(const struct api_call *c, const char *name, int def);
/*
 * Sorted distinct N of "Name.N" / "Name.N.*" keys; returns the count
 * (<= max: the first max distinct N in request order, then sorted).
 */
size_t api_indices(const struct api_call *c, const char *name, int *idx,
    size_t max);
/* Elements of a PT_JSONLIST parameter (NULL if absent); caller decrefs. */
json_t *api_jsonlist(const struct api_call *c, const char *name);

/* Schema validation; on error fills c->detail. */
int api_validate(struct api_call *c, const struct api_param *schema);

/* Response helpers: {"Outer":{"Inner":[...]}} always with an array. */
json_t *api_wrap_list(json_t *array, const char *inner);

/* Page bounds from PageNumber/PageSize (defaults 1/10, max size). */
int api_page(struct api_call *c, int max_size, int64_t *number,
    int64_t *size);

/* Region check against the configured list. */
int api_check_region(struct api_call *c, const char *region);

/* Action tables (one per product family, in act/). */
extern const struct api_action act_ecs_region_actions[];
extern const struct api_action act_vpc_actions[];
extern const struct api_action act_ecs_sg_actions[];
extern const struct api_action act_ecs_sgrule_actions[];
extern const struct api_action act_ecs_instance_actions[];
extern const struct api_action act_ecs_eni_actions[];
extern const struct api_action act_ram_actions[];
extern const struct api_action act_sts_actions[];
extern const struct api_action act_sekisho_agent_actions[];
extern const struct api_action act_sekisho_eng_actions[];

#endif
