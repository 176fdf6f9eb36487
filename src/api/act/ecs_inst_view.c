/*
 * ecs_inst_view: DescribeInstances (ECS 2014-05-26). Instance docs are
 * stored in the response shape of spec §6.3 (lists always wrapped twice,
 * arrays even for 0 or 1 element), so an instance is returned as stored;
 * filters are a table of (parameter, doc path) pairs.
 */
#include <string.h>

#include "api/act/ecs_inst_int.h"

#define INST_PAGE_MAX 100
#define INST_FILTER_IDS_MAX 100

/* Exact-match filters: the doc node at path is the value, or an array
 * holding it. */
static const struct inst_filter {
	const char *param;
	const char *path;
} inst_filters[] = {
	{ "VpcId", "VpcAttributes.VpcId" },
	{ "VSwitchId", "VpcAttributes.VSwitchId" },
	{ "ZoneId", "ZoneId" },
	{ "Status", "Status" },
	{ "InstanceNetworkType", "InstanceNetworkType" },
	{ "InstanceType", "InstanceType" },
	{ "ImageId", "ImageId" },
	{ "KeyPairName", "KeyPairName" },
	{ "ResourceGroupId", "ResourceGroupId" },
	{ "SecurityGroupId", "SecurityGroupIds.SecurityGroupId" },
	{ NULL, NULL },
};

/* JSON-text list filters: any element matches. */
static const struct inst_filter inst_list_filters[] = {
	{ "InstanceIds", "InstanceId" },
	{ "PrivateIpAddresses", "VpcAttributes.PrivateIpAddress.IpAddress" },
	{ "InnerIpAddresses", "InnerIpAddress.IpAddress" },
	{ "PublicIpAddresses", "PublicIpAddress.IpAddress" },
	{ NULL, NULL },
};

static const char *const inst_statuses[] = { "Pending", "Running",
	"Starting", "Stopping", "Stopped", NULL };
static const char *const inst_net_types[] = { "vpc", "classic", NULL };

static int
inst_in(const char *const *set, const char *v)
{
	for (; *set; set++)
		if (strcmp(*set, v) == 0)
			return 1;
	return 0;
}

/* COMPAT: DescribeInstances doc — an unknown Status or
 * InstanceNetworkType is an error, not an empty result. */
static int
inst_check_filters(struct api_call *c)
{
	const char *st = api_str(c, "Status");
	const char *nt = api_str(c, "InstanceNetworkType");

	if (st && !inst_in(inst_statuses, st))
		return api_fail(c, ERR_INST_STATUS_FILTER, NULL);
	if (nt && !inst_in(inst_net_types, nt))
		return api_fail(c, ERR_INST_NETWORK_TYPE_FILTER, NULL);
	return 0;
}

/* lists[i]: the parsed JSON list of inst_list_filters[i], or NULL. */
static int
inst_matches(struct api_call *c, const json_t *doc, json_t *const *lists)
{
	const char *name = api_str(c, "InstanceName");

	for (const struct inst_filter *f = inst_filters; f->param; f++) {
		const char *want = api_str(c, f->param);

		if (want && !inst_has(doc, f->path, want))
			return 0;
	}
	for (size_t i = 0; inst_list_filters[i].param; i++) {
		json_t *e;
		size_t j;
		int hit = 0;

		if (lists[i] == NULL || json_array_size(lists[i]) == 0)
			continue;
		json_array_foreach(lists[i], j, e)
			hit |= inst_has(doc, inst_list_filters[i].path,
			    json_string_value(e));
		if (!hit)
			return 0;
	}
	return name == NULL || inst_glob(name, inst_str(doc, "InstanceName"));
}

static json_t *
inst_view(const json_t *doc)
{
	json_t *o = json_deep_copy(doc), *tags;

	if (o == NULL)
		return NULL;
	tags = json_object_get(o, "Tags");
	json_object_set_new(o, "Tags", api_wrap_list(json_is_array(tags) ?
	    json_incref(tags) : NULL, "Tag"));
	return o;
}

int
inst_act_describe(struct api_call *c)
{
	const char *region = api_str(c, "RegionId");
	struct store_filter f = { c->who.account, INST_KIND, region, NULL, NULL };
	struct store_res_list l = { NULL, 0 };
	json_t *lists[sizeof(inst_list_filters) / sizeof(*inst_list_filters)];
	json_t *arr = NULL;
	struct inst_page pg;
	size_t total = 0;
	int r;

	memset(lists, 0, sizeof(lists));
	if ((r = api_check_region(c, region)) < 0 ||
	    (r = inst_check_filters(c)) < 0 ||
	    (r = inst_page_parse(c, INST_PAGE_MAX, &pg)) < 0)
		return r;
	for (size_t i = 0; inst_list_filters[i].param; i++)
		lists[i] = api_jsonlist(c, inst_list_filters[i].param);
	if ((arr = json_array()) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	if ((r = store_res_list(c->st, &f, &l)) < 0)
		goto out;
	for (size_t i = 0; i < l.n; i++) {
		if (!inst_matches(c, l.v[i].doc, lists))
			continue;
		if (total >= pg.offset && total - pg.offset < pg.limit &&
		    json_array_append_new(arr, inst_view(l.v[i].doc)) < 0) {
			r = -ERR_NOMEM;
			goto out;
		}
		total++;
	}
	json_object_set_new(c->out, "Instances", api_wrap_list(arr,
	    "Instance"));
	arr = NULL;
	inst_page_out(c, &pg, total);
	r = inst_dry_run(c);
out:
	for (size_t i = 0; i < sizeof(lists) / sizeof(*lists); i++)
		json_decref(lists[i]);
	json_decref(arr);
	store_res_list_free(&l);
	return r;
}

const struct api_param inst_p_describe[] = {
	{ "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "InstanceIds", PT_JSONLIST, 0, 0, INST_FILTER_IDS_MAX, NULL, 0 },
	{ "PrivateIpAddresses", PT_JSONLIST, 0, 0, INST_FILTER_IDS_MAX, NULL,
	  0 },
	{ "InnerIpAddresses", PT_JSONLIST, 0, 0, INST_FILTER_IDS_MAX, NULL, 0 },
	{ "PublicIpAddresses", PT_JSONLIST, 0, 0, INST_FILTER_IDS_MAX, NULL,
	  0 },
	{ "VpcId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "VSwitchId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "ZoneId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "SecurityGroupId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "Status", PT_STR, 0, 1, 32, NULL, ERR_INST_STATUS_FILTER },
	{ "InstanceNetworkType", PT_STR, 0, 1, 32, NULL,
	  ERR_INST_NETWORK_TYPE_FILTER },
	{ "InstanceName", PT_STR, 0, 1, 512, NULL, 0 },
	{ "InstanceType", PT_STR, 0, 1, 64, NULL, 0 },
	{ "ImageId", PT_STR, 0, 1, 128, NULL, 0 },
	{ "KeyPairName", PT_STR, 0, 1, 128, NULL, 0 },
	{ "ResourceGroupId", PT_STR, 0, 1, 64, NULL, 0 },
	{ "DryRun", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ "NextToken", PT_STR, 0, 0, 64, NULL, 0 },
	{ "MaxResults", PT_INT, 0, 0, INST_PAGE_MAX, NULL, 0 },
	{ "PageNumber", PT_INT, 0, 1, 1 << 20, NULL, 0 },
	{ "PageSize", PT_INT, 0, 1, INST_PAGE_MAX, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};
