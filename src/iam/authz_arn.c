/*
 * authz_arn: the resources a request acts on, derived from its parameters
 * by one table (see authz.h for the mapping). Pure: no store, no clock.
 *
 * Every occurrence counts: "InstanceId", "InstanceId.3", a repeated key,
 * each element of a JSON array ("InstanceIds=[...]"). A JSON text that
 * does not parse is taken as one id (the handler refuses it later), so a
 * request can never name a resource this step did not check.
 */
#include "iam/authz.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/err.h"

#define AM_LIST 1u	/* a plural: may be a JSON array */
#define AM_RAM 2u	/* RAM only: region-less ARN */
#define AM_ARN 4u	/* STS only: the value is an ARN */

static const struct authz_map {
	const char *param;
	const char *service;
	const char *type;
	unsigned flags;
} authz_maps[] = {
	{ "SecurityGroupId", "ecs", "securitygroup", 0 },
	{ "SecurityGroupIds", "ecs", "securitygroup", AM_LIST },
	{ "InstanceId", "ecs", "instance", 0 },
	{ "InstanceIds", "ecs", "instance", AM_LIST },
	{ "NetworkInterfaceId", "ecs", "eni", 0 },
	{ "NetworkInterfaceIds", "ecs", "eni", AM_LIST },
	{ "KeyPairName", "ecs", "keypair", 0 },
	{ "KeyPairNames", "ecs", "keypair", AM_LIST },
	{ "VpcId", "vpc", "vpc", 0 },
	{ "VSwitchId", "vpc", "vswitch", 0 },
	{ "UserName", "ram", "user", AM_RAM },
	{ "GroupName", "ram", "group", AM_RAM },
	{ "RoleName", "ram", "role", AM_RAM },
	{ "PolicyName", "ram", "policy", AM_RAM },
	{ "RoleArn", "sts", NULL, AM_ARN },
};

#define AUTHZ_NMAPS (sizeof(authz_maps) / sizeof(authz_maps[0]))

/* RAM and STS are global services: their ARNs carry no region. */
static int
authz_global(const char *service)
{
	return strcmp(service, "ram") == 0 || strcmp(service, "sts") == 0;
}

void
authz_arns_free(struct authz_arns *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

/* Appends arn (taken) unless already there. */
static int
authz_arns_add(struct authz_arns *a, char *arn)
{
	char **nv;

	if (arn == NULL)
		return -ERR_NOMEM;
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i], arn) == 0) {
			free(arn);
			return 0;
		}
	if (a->n == AUTHZ_ARNS_MAX) {
		free(arn);
		return -ERR_INVALID_PARAMETER;
	}
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 8;

		if ((nv = realloc(a->v, cap * sizeof(*nv))) == NULL) {
			free(arn);
			return -ERR_NOMEM;
		}
		a->v = nv;
		a->cap = cap;
	}
	a->v[a->n++] = arn;
	return 0;
}

static char *
authz_fmt(const char *service, const char *region, const char *account,
    const char *type, const char *id)
{
	char *s = NULL;

	if (asprintf(&s, "acs:%s:%s:%s:%s/%s", service, region, account, type,
	    id) < 0)
		return NULL;
	return s;
}

/* "Name" or "Name.<digits>": the base length, 0 if neither. */
static size_t
authz_base_len(const char *key)
{
	const char *dot = strchr(key, '.');

	if (dot == NULL)
		return strlen(key);
	if (dot[1] == '\0')
		return 0;
	for (const char *p = dot + 1; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return (size_t)(dot - key);
}

static const struct authz_map *
authz_map_find(const char *key, const char *service)
{
	size_t bl = authz_base_len(key);

	for (size_t i = 0; bl > 0 && i < AUTHZ_NMAPS; i++) {
		const struct authz_map *m = &authz_maps[i];

		if (strlen(m->param) != bl || strncmp(m->param, key, bl) != 0)
			continue;
		if ((m->flags & (AM_RAM | AM_ARN)) &&
		    strcmp(m->service, service) != 0)
			return NULL;
		return m;
	}
	return NULL;
}

/* One value of a mapped parameter (a plural may hold a JSON array). */
static int
authz_add_value(struct authz_arns *a, const struct authz_map *m,
    const char *value, const char *region, const char *account)
{
	json_t *arr = NULL, *e;
	size_t i;
	int r = 0;

	if (value[0] == '\0')
		return 0;
	if (m->flags & AM_ARN) {
		char *s = strdup(value);

		return authz_arns_add(a, s);
	}
	if ((m->flags & AM_LIST) && value[0] == '[' &&
	    (arr = json_loads(value, 0, NULL)) != NULL && json_is_array(arr)) {
		json_array_foreach(arr, i, e) {
			if (!json_is_string(e) || json_string_length(e) == 0)
				continue;
			if ((r = authz_arns_add(a, authz_fmt(m->service, region,
			    account, m->type, json_string_value(e)))) < 0)
				break;
		}
		json_decref(arr);
		return r;
	}
	json_decref(arr);
	return authz_arns_add(a, authz_fmt(m->service, (m->flags & AM_RAM) ?
	    "" : region, account, m->type, value));
}

/* ResourceId.N with ResourceType (the tag actions). */
static int
authz_add_tagged(struct authz_arns *a, const struct authz_arn_in *in,
    const char *region)
{
	const char *type = prm_get(in->params, "ResourceType");
	char lower[64];
	size_t i;
	int r = 0;

	if (type == NULL || type[0] == '\0' || strlen(type) >= sizeof(lower))
		return 0;
	for (i = 0; type[i]; i++)
		lower[i] = (char)tolower((unsigned char)type[i]);
	lower[i] = '\0';
	for (i = 0; i < in->params->n && r == 0; i++) {
		const struct prm *p = &in->params->v[i];
		size_t bl = authz_base_len(p->key);

		if (bl == 10 && strncmp(p->key, "ResourceId", 10) == 0 &&
		    p->val[0] != '\0')
			r = authz_arns_add(a, authz_fmt(in->service, region,
			    in->account, lower, p->val));
	}
	return r;
}

/* RegionId when it looks like one, else "*" (any region). */
static const char *
authz_region(const struct authz_arn_in *in)
{
	const char *r = prm_get(in->params, "RegionId");

	if (authz_global(in->service))
		return "";
	if (r == NULL || r[0] == '\0' || strlen(r) > 64)
		return "*";
	for (const char *p = r; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) &&
		    *p != '-')
			return "*";
	return r;
}

int
authz_arns_build(const struct authz_arn_in *in, struct authz_arns *out)
{
	const char *region = authz_region(in);
	size_t al;
	int r = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < in->params->n && r == 0; i++) {
		const struct prm *p = &in->params->v[i];
		const struct authz_map *m = authz_map_find(p->key, in->service);

		if (m)
			r = authz_add_value(out, m, p->val, region, in->account);
	}
	if (r == 0)
		r = authz_add_tagged(out, in, region);
	/* A RAM user's own AccessKey actions name no user: it is itself. */
	al = strlen(in->action);
	if (r == 0 && strcmp(in->service, "ram") == 0 && in->self_user &&
	    prm_get(in->params, "UserName") == NULL &&
	    ((al > 9 && strcmp(in->action + al - 9, "AccessKey") == 0) ||
	    (al > 10 && strcmp(in->action + al - 10, "AccessKeys") == 0)))
		r = authz_arns_add(out, authz_fmt("ram", "", in->account,
		    "user", in->self_user));
	if (r == 0 && out->n == 0) {
		char *s = NULL;

		r = asprintf(&s, "acs:%s:%s:%s:*", in->service, region,
		    in->account) < 0 ? -ERR_NOMEM : authz_arns_add(out, s);
	}
	if (r < 0)
		authz_arns_free(out);
	return r;
}
