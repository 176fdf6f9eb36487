/* act: helpers shared by the action families. */
#ifndef SEKISHO_ACT_H
#define SEKISHO_ACT_H

#include <stddef.h>

/* Zone ids of a region (zones[i] >= 80 bytes); returns the count. */
size_t act_region_zones(const char *region, char zones[][80], size_t max);
int act_zone_exists(const char *region, const char *zone);

#endif
