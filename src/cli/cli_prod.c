/*
 * cli_prod: which API version a product word stands for. One row per
 * product; adding a product (e.g. our own "sekisho2026" API, 2026-12-01)
 * is adding a row. --version-override bypasses the table.
 */
#include <strings.h>

#include "cli/cli_int.h"

const struct cli_product cli_products[] = {
	{ "ecs", "2014-05-26", "Elastic Compute Service" },
	{ "vpc", "2016-04-28", "Virtual Private Cloud" },
	{ "ram", "2015-05-01", "Resource Access Management" },
	{ "sts", "2015-04-01", "Security Token Service" },
	{ "sekisho", "2026-12-01", "sekisho: agents, enforcement, explain" },
	{ NULL, NULL, NULL },
};

const struct cli_product *
cli_prod_find(const char *name)
{
	for (const struct cli_product *p = cli_products; p->name; p++)
		if (strcasecmp(p->name, name) == 0)
			return p;
	return NULL;
}
