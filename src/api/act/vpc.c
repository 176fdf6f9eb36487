/* vpc: VPC 2016-04-28 actions (placeholder table, filled next). */
#include "api/api_int.h"

const struct api_action act_vpc_actions[] = {
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
