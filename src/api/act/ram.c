/* ram: placeholder table until the action family lands. */
#include "api/api_int.h"

const struct api_action act_ram_actions[] = {
	{ NULL, NULL, NULL, NULL, NULL, 0 },
};
