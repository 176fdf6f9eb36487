/*
 * agent_api: the agent's signed calls to sekishod. The request is built
 * and signed by the CLI's code (cli_req_build, V3 ACS3-HMAC-SHA256 over
 * api/sig.h) and sent by its libcurl transport (cli_http_send), so the
 * agent and the CLI sign exactly alike. The AccessKey is the agent's own
 * (agent-credentials.json, written by sekishod, mode 0600): its principal
 * may call only the agent actions.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "agent/agent_int.h"
#include "lib/err.h"
#include "lib/rnd.h"

int
agent_api_init(struct agent_srv *s, const char *server, const char *cred_file,
    const char *host_id, struct sb *why)
{
	json_error_t je;
	json_t *j = NULL;
	struct stat st;
	const char *ak, *sk, *host;
	int r = -ERR_INVALID_PARAMETER;

	memset(s, 0, sizeof(*s));
	if (cred_file == NULL) {
		sb_adds(why, "--credentials FILE is required");
		return -ERR_MISSING_PARAMETER;
	}
	if (stat(cred_file, &st) < 0) {
		sb_addf(why, "%s: cannot read", cred_file);
		return -ERR_MISSING_PARAMETER;
	}
	if (st.st_mode & 077) {
		sb_addf(why, "%s: readable by others (mode %03o); chmod 600",
		    cred_file, (unsigned)(st.st_mode & 0777));
		return r;
	}
	if ((j = json_load_file(cred_file, 0, &je)) == NULL) {
		sb_addf(why, "%s: %s", cred_file, je.text);
		return r;
	}
	ak = json_string_value(json_object_get(j, "AccessKeyId"));
	sk = json_string_value(json_object_get(j, "AccessKeySecret"));
	host = host_id ? host_id :
	    json_string_value(json_object_get(j, "HostId"));
	if (ak == NULL || sk == NULL || host == NULL ||
	    strlen(ak) >= sizeof(s->cred.akid) ||
	    strlen(sk) >= sizeof(s->cred.secret) ||
	    !agent_name_ok(host, AGENT_NAME_MAX)) {
		sb_addf(why, "%s: want AccessKeyId, AccessKeySecret and HostId",
		    cred_file);
		goto out;
	}
	snprintf(s->cred.akid, sizeof(s->cred.akid), "%s", ak);
	snprintf(s->cred.secret, sizeof(s->cred.secret), "%s", sk);
	snprintf(s->host_id, sizeof(s->host_id), "%s", host);
	if ((r = cli_cfg_endpoint(server, &s->cred, why)) < 0)
		goto out;
	r = 0;
out:
	json_decref(j);
	if (r < 0)
		agent_api_fini(s);
	return r;
}

void
agent_api_fini(struct agent_srv *s)
{
	cli_cfg_clear(&s->cred);
}

int
agent_api_call(const struct agent_srv *s, const char *action,
    const char *const *params, long timeout_s, json_t **out, struct sb *why)
{
	struct cli_req_in in;
	struct cli_req req = { 0 };
	struct cli_resp resp = { 0, SB_INIT };
	struct prm_list pl;
	char nonce[40];
	json_t *j = NULL;
	int r;

	*out = NULL;
	prm_init(&pl);
	for (size_t i = 0; params && params[i]; i += 2)
		if ((r = prm_add(&pl, params[i], strlen(params[i]),
		    params[i + 1], strlen(params[i + 1]))) < 0)
			goto out;
	if ((r = rnd_uuid(nonce, sizeof(nonce))) < 0)
		goto out;
	memset(&in, 0, sizeof(in));
	in.cred = &s->cred;
	in.action = action;
	in.version = AGENT_API_VERSION;
	in.params = &pl;
	in.now = (int64_t)time(NULL);
	in.nonce = nonce;
	if ((r = cli_req_build(&in, &req, why)) < 0 ||
	    (r = cli_http_send(&req, timeout_s, &resp, why)) < 0)
		goto out;
	j = json_loads(sb_str(&resp.body), 0, NULL);
	if (resp.status != 200 || !json_is_object(j)) {
		sb_addf(why, "%s: HTTP %ld %s: %s", action, resp.status,
		    json_string_value(json_object_get(j, "Code")) ?
		    json_string_value(json_object_get(j, "Code")) : "",
		    json_string_value(json_object_get(j, "Message")) ?
		    json_string_value(json_object_get(j, "Message")) : "");
		r = resp.status >= 500 || j == NULL ?
		    -ERR_SERVICE_UNAVAILABLE : -ERR_INVALID_PARAMETER;
		goto out;
	}
	*out = j;
	j = NULL;
out:
	json_decref(j);
	cli_req_free(&req);
	cli_resp_free(&resp);
	prm_free(&pl);
	return r;
}
