/* sekisho_agent_int: what the agent actions' files share. */
#ifndef SEKISHO_AGENT_ACT_INT_H
#define SEKISHO_AGENT_ACT_INT_H

#include <jansson.h>

#include "api/api_int.h"

/* The caller's principal must be "agent:<host>": 0, or Forbidden.RAM. */
int agent_check_host(struct api_call *c, const char *host);
/* doc[key] as a string, "" when absent. */
const char *agent_str(const json_t *doc, const char *key);
/* GetHostDesiredState (sekisho_desired.c). */
int act_get_host_desired_state(struct api_call *c);

#endif
