/*
 * api: one listener for every product; turns a decoded HTTP request into
 * a JSON reply by running the guard pipeline, always in this order:
 *
 *   decode -> find action -> authenticate -> authorize -> validate
 *          -> handler (inside one store transaction for writes)
 *          -> serialize (success or catalogue error)
 *
 * The HTTP layer (http.c) fills struct api_request; api_handle() never
 * fails: every outcome is a status and a JSON body with a RequestId.
 */
#ifndef SEKISHO_API_H
#define SEKISHO_API_H

#include <stddef.h>
#include <stdint.h>

#include "api/sig.h"
#include "store/store.h"

struct api;

struct api_request {
	const char *method;		/* "GET", "POST", ... */
	const char *path;		/* "/" */
	const char *query;		/* raw text after '?', or NULL */
	const char *body;
	size_t body_len;
	int body_too_large;		/* the HTTP layer stopped reading */
	const char *client_ip;
	sig_header_fn header;		/* case-insensitive header lookup */
	void *header_arg;
};

struct api_response {
	int status;
	char *body;			/* malloc'd JSON; api_response_free() */
	uint64_t revision;		/* after a write: the store revision that
					 * holds it (x-sekisho-revision), else 0 */
};

void api_response_free(struct api_response *r);

#define API_MAX_REGIONS 32

struct api_config {
	const char *regions[API_MAX_REGIONS];	/* region ids, NULL-terminated */
	int64_t clock_skew;			/* seconds accepted, default 900 */
	size_t max_body;			/* bytes */
	/* quotas (VPC) */
	int vpc_quota;				/* VPCs per region per account */
	int vswitch_quota;			/* vSwitches per VPC */
	/* quotas (security groups; ../shared/spec/seed-spec.md §1.2) */
	int sg_quota;				/* groups per account and region */
	int sg_per_eni;				/* 5, 10 or 16 */
	int rules_per_eni;			/* summed over an ENI's groups */
	int classic_group_instances;		/* members of a classic group */
	int vpc_basic_group_ips;		/* private IPs in a VPC basic group */
	int enterprise_group_enis;		/* ENIs in an enterprise group */
	int tcp25_open;				/* operator lifts the TCP 25 block */
	const char *host_id;			/* the host every instance runs on */
	const char *trusted_proxy_header;	/* acs:SourceIp from this header
						 * (NULL: the TCP peer) */
};

void api_config_defaults(struct api_config *c);

/* Takes a reference to st (not ownership). */
int api_new(struct store *st, const struct api_config *cfg, struct api **out);
void api_free(struct api *a);	/* NULL-safe */

void api_handle(struct api *a, const struct api_request *req,
    struct api_response *resp);

/* For tests and benchmarks: set the clock the pipeline uses (0 = real). */
void api_set_fixed_now(struct api *a, int64_t now);

#endif
