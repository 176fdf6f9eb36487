/*
 * ecs_region: DescribeRegions and DescribeZones (ECS 2014-05-26).
 * Regions come from configuration (--regions); zones per region from a
 * small table of real zone letters, "<region>-a/-b" for unknown regions.
 */
#include <stdio.h>
#include <string.h>

#include "api/act/act.h"
#include "api/api_int.h"

struct region_info {
	const char *id;
	const char *zh;
	const char *en;
	const char *ja;
	const char *zones;	/* zone letters */
};

static const struct region_info region_table[] = {
	{ "cn-hangzhou", "华东1（杭州）", "China (Hangzhou)", "中国 (杭州)", "bghijk" },
	{ "cn-shanghai", "华东2（上海）", "China (Shanghai)", "中国 (上海)", "befglm" },
	{ "cn-beijing", "华北2（北京）", "China (Beijing)", "中国 (北京)", "acfghijkl" },
	{ "cn-shenzhen", "华南1（深圳）", "China (Shenzhen)", "中国 (深圳)", "acdef" },
	{ "ap-northeast-1", "日本（东京）", "Japan (Tokyo)", "日本 (東京)", "abc" },
	{ "ap-southeast-1", "新加坡", "Singapore", "シンガポール", "abc" },
	{ "us-west-1", "美国（硅谷）", "US (Silicon Valley)", "米国 (シリコンバレー)", "ab" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static const struct region_info *
region_lookup(const char *id)
{
	for (const struct region_info *r = region_table; r->id; r++)
		if (strcmp(r->id, id) == 0)
			return r;
	return NULL;
}

/*
 * AcceptLanguage -> 0 Chinese, 1 English, 2 Japanese. COMPAT: the spec
 * lists zh-CN (default), zh-TW, en-US, ja, fr, de, ko; we have Chinese,
 * English and Japanese names, so zh-TW reads Chinese and fr/de/ko English.
 */
static int
region_lang(struct api_call *c, int *lang)
{
	static const struct {
		const char *tag;
		int lang;
	} langs[] = { { "zh-CN", 0 }, { "zh-TW", 0 }, { "en-US", 1 },
	    { "ja", 2 }, { "fr", 1 }, { "de", 1 }, { "ko", 1 } };
	const char *l = api_str(c, "AcceptLanguage");

	*lang = 0;
	if (l == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
		if (strcmp(l, langs[i].tag) == 0) {
			*lang = langs[i].lang;
			return 0;
		}
	}
	return api_fail(c, ERR_ACCEPT_LANGUAGE_NOT_FOUND, NULL);
}

static const char *
region_local_name(const struct region_info *ri, const char *id, int lang)
{
	if (ri == NULL)
		return id;
	return lang == 1 ? ri->en : lang == 2 ? ri->ja : ri->zh;
}

static int
act_describe_regions(struct api_call *c)
{
	const char *rt = api_str(c, "ResourceType");
	json_t *arr = json_array();
	int lang, r;

	if ((r = region_lang(c, &lang)) < 0)
		goto out;
	if (rt && strcmp(rt, "instance") != 0 && strcmp(rt, "disk") != 0 &&
	    strcmp(rt, "reservedinstance") != 0 && strcmp(rt, "scu") != 0) {
		r = api_fail(c, ERR_RESOURCE_TYPE_NOT_FOUND, NULL);
		goto out;
	}
	for (int i = 0; i < API_MAX_REGIONS && c->api->cfg.regions[i]; i++) {
		const char *id = c->api->cfg.regions[i];
		char endpoint[128];

		snprintf(endpoint, sizeof(endpoint), "ecs.%s.aliyuncs.com", id);
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}",
		    "RegionId", id, "LocalName",
		    region_local_name(region_lookup(id), id, lang),
		    "RegionEndpoint", endpoint, "Status", "available"));
	}
	json_object_set_new(c->out, "Regions", api_wrap_list(arr, "Region"));
	arr = NULL;
out:
	json_decref(arr);
	return r;
}

/* Writes the zone ids of region into zones[] (each >= 80 bytes). */
size_t
act_region_zones(const char *region, char zones[][80], size_t max)
{
	const struct region_info *ri = region_lookup(region);
	const char *letters = ri ? ri->zones : "ab";
	size_t n = 0;

	for (; letters[n] && n < max; n++)
		snprintf(zones[n], 80, "%s-%c", region, letters[n]);
	return n;
}

int
act_zone_exists(const char *region, const char *zone)
{
	char zones[16][80];
	size_t n = act_region_zones(region, zones, 16);

	for (size_t i = 0; i < n; i++)
		if (strcmp(zones[i], zone) == 0)
			return 1;
	return 0;
}

static int
act_describe_zones(struct api_call *c)
{
	const char *region = api_str(c, "RegionId");
	const struct region_info *ri;
	char zones[16][80];
	json_t *arr;
	size_t n;
	int lang, r;

	if ((r = api_check_region(c, region)) < 0 ||
	    (r = region_lang(c, &lang)) < 0)
		return r;
	ri = region_lookup(region);
	n = act_region_zones(region, zones, 16);
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char local[160];
		const char *base = region_local_name(ri, region, lang);
		char letter = zones[i][strlen(zones[i]) - 1];

		snprintf(local, sizeof(local), "%s %c", base, letter - 32);
		json_array_append_new(arr, json_pack(
		    "{s:s, s:s, s:s, s:{s:[s,s,s]}, s:{s:[]}}",
		    "ZoneId", zones[i], "LocalName", local,
		    "ZoneType", "AvailabilityZone",
		    "AvailableResourceCreation", "ResourceTypes", "Instance",
		    "VSwitch", "IoOptimized",
		    "AvailableInstanceTypes", "InstanceTypes"));
	}
	json_object_set_new(c->out, "Zones", api_wrap_list(arr, "Zone"));
	return 0;
}

static const struct api_param p_describe_regions[] = {
	{ "AcceptLanguage", PT_STR, 0, 0, 16, NULL, ERR_ACCEPT_LANGUAGE_NOT_FOUND },
	{ "InstanceChargeType", PT_STR, 0, 0, 32, NULL, 0 },
	{ "ResourceType", PT_STR, 0, 0, 32, NULL, ERR_RESOURCE_TYPE_NOT_FOUND },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

static const struct api_param p_describe_zones[] = {
	{ "RegionId", PT_STR, AP_REQUIRED, 1, 64, NULL, 0 },
	{ "AcceptLanguage", PT_STR, 0, 0, 16, NULL, ERR_ACCEPT_LANGUAGE_NOT_FOUND },
	{ "InstanceChargeType", PT_STR, 0, 0, 32, NULL, 0 },
	{ "SpotStrategy", PT_STR, 0, 0, 32, NULL, 0 },
	{ "Verbose", PT_BOOL, 0, 0, 0, NULL, 0 },
	{ NULL, 0, 0, 0, 0, NULL, 0 },
};

const struct api_action act_ecs_region_actions[] = {
	{ "2014-05-26", "DescribeRegions", "ecs:DescribeRegions",
	  act_describe_regions, p_describe_regions, AF_NOSTORE },
	{ "2014-05-26", "DescribeZones", "ecs:DescribeZones",
	  act_describe_zones, p_describe_zones, AF_NOSTORE },
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
