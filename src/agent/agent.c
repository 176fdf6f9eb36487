/*
 * agent: the main loop (agent.h). One struct agent holds everything the
 * process keeps between cycles: the server connection, the driver state,
 * the firewall state, the applied document and what to report next.
 *
 * The applied document is also written to <state-dir>/<netns>.json so a
 * restarted agent knows what its predecessor left in the kernel: when the
 * kernel still holds exactly that, a change made while no agent ran is
 * applied as a delta rather than a full replace.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent_int.h"
#include "lib/err.h"
#include "lib/log.h"

#define AGENT_POLL_MAX 25	/* GetHostDesiredState WaitSeconds bound */
#define AGENT_FILE_POLL_MS 100
#define AGENT_DRIFT_MAX 200	/* items reported (the server takes 1000) */
#define AGENT_DRIFT_LEN 160	/* characters of an object or a change */
#define AGENT_ERROR_LEN 1500	/* the server takes 2048 */

struct agent {
	const struct agent_cfg *cfg;
	struct agent_srv srv;
	int use_srv;
	char host_id[AGENT_NAME_MAX];
	struct drv drv;
	struct agent_fw fw;
	json_t *doc;			/* applied desired state */
	int whole;			/* ask for the whole document next
					 * (a delta did not fit doc) */
	struct agent_ds *ds;		/* its drivers' view */
	long long rev;			/* applied revision, -1 none */
	struct fw_ruleset *old;		/* the state file's, until used */
	struct stat file_st;		/* --desired-file last read */
	struct sb drift;		/* "object\tchange" lines found since
					 * the applied revision: reported
					 * until the next one */
	struct sb error;
	int report_due;
	int half_applied;		/* an apply failed after it began to
					 * change things: no drift check
					 * against the older state until one
					 * succeeds (it is retried) */
	long long next_check;
};

static void
agent_state_path(const struct agent *a, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s.json", a->cfg->state_dir ?
	    a->cfg->state_dir : AGENT_STATE_DIR, a->cfg->netns);
}

/* Writes doc atomically (temporary file + rename). */
static int
agent_write_json(const char *path, const json_t *doc)
{
	char tmp[4200];
	int r = -ERR_INTERNAL;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_dump_file(doc, tmp, JSON_COMPACT) == 0 &&
	    rename(tmp, path) == 0)
		r = 0;
	else
		unlink(tmp);
	return r;
}

static void
agent_state_save(struct agent *a)
{
	char path[4096];
	const char *dir = a->cfg->state_dir ? a->cfg->state_dir :
	    AGENT_STATE_DIR;

	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return;
	agent_state_path(a, path, sizeof(path));
	if (agent_write_json(path, a->doc) < 0)
		log_warn("cannot write the state file %s", path);
}

/* The ruleset the previous agent applied, or NULL. */
static struct fw_ruleset *
agent_state_load(struct agent *a)
{
	struct fw_ruleset *rs = NULL;
	struct fw_input *in = NULL;
	char path[4096];
	json_t *j;

	agent_state_path(a, path, sizeof(path));
	if ((j = json_load_file(path, 0, NULL)) == NULL)
		return NULL;
	if (fw_input_from_json(j, a->host_id, &in) == 0)
		(void)fw_compile(in, &rs);
	fw_input_free(in);
	json_decref(j);
	return rs;
}

/* Drift lines -> ["object: change", ...] (the server's Drift list,
 * bounded: AGENT_DRIFT_MAX items of AGENT_DRIFT_LEN characters). */
static json_t *
agent_drift_json(const char *lines)
{
	json_t *arr = json_array();
	const char *p = lines;

	while (arr && *p && json_array_size(arr) < AGENT_DRIFT_MAX) {
		const char *nl = strchr(p, '\n'), *tab;
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		tab = memchr(p, '\t', n);
		if (tab)
			json_array_append_new(arr, json_sprintf("%.*s: %.*s",
			    (int)(tab - p > AGENT_DRIFT_LEN ? AGENT_DRIFT_LEN :
			    tab - p), p, (int)(n - (size_t)(tab - p) - 1 >
			    AGENT_DRIFT_LEN ? AGENT_DRIFT_LEN :
			    n - (size_t)(tab - p) - 1), tab + 1));
		p += n + (nl != NULL);
	}
	return arr;
}

static void
agent_report(struct agent *a)
{
	char rev[32], *drift_txt = NULL;
	json_t *drift = agent_drift_json(sb_str(&a->drift)), *out = NULL;
	struct sb why = SB_INIT;

	snprintf(rev, sizeof(rev), "%lld", a->rev < 0 ? 0 : a->rev);
	drift_txt = json_dumps(drift, JSON_COMPACT);
	if (a->error.len > AGENT_ERROR_LEN) {	/* the server's bound */
		a->error.len = AGENT_ERROR_LEN;
		a->error.p[AGENT_ERROR_LEN] = '\0';
	}
	if (a->cfg->status_file) {
		json_t *st = json_pack("{s:I, s:O, s:s}", "AppliedRevision",
		    (json_int_t)(a->rev < 0 ? 0 : a->rev), "Drift", drift,
		    "Error", sb_str(&a->error));

		if (st == NULL || agent_write_json(a->cfg->status_file, st) < 0)
			log_warn("cannot write %s", a->cfg->status_file);
		json_decref(st);
	}
	if (a->use_srv && drift_txt) {
		const char *const p[] = { "HostId", a->host_id,
		    "AppliedRevision", rev, "Drift", drift_txt,
		    "Error", sb_str(&a->error), NULL };

		int r = agent_api_call(&a->srv, "ReportEnforcementStatus", p,
		    10, &out, &why);

		if (r == -ERR_SERVICE_UNAVAILABLE) {
			log_warn("report: %s", sb_str(&why));
			goto out;	/* retried with the next cycle */
		}
		if (r < 0)	/* refused: retrying would not help */
			log_error("report refused: %s", sb_str(&why));
	}
	a->report_due = 0;
out:
	json_decref(out);
	json_decref(drift);
	free(drift_txt);
	sb_free(&why);
}

/* The document to apply next, or NULL (nothing new, or an error). */
static json_t *
agent_fetch(struct agent *a, int wait_s)
{
	struct sb why = SB_INIT;
	json_t *j = NULL;

	if (a->cfg->desired_file) {
		struct stat st;
		json_error_t je;
		long long end = agent_now_ms() + wait_s * 1000LL;

		for (;;) {
			if (stat(a->cfg->desired_file, &st) == 0 &&
			    (st.st_mtim.tv_sec != a->file_st.st_mtim.tv_sec ||
			    st.st_mtim.tv_nsec != a->file_st.st_mtim.tv_nsec ||
			    st.st_size != a->file_st.st_size ||
			    st.st_ino != a->file_st.st_ino))
				break;
			if (agent_now_ms() >= end)
				return NULL;
			usleep(AGENT_FILE_POLL_MS * 1000);
		}
		a->file_st = st;
		if ((j = json_load_file(a->cfg->desired_file, 0, &je)) == NULL)
			log_warn("%s: %s", a->cfg->desired_file, je.text);
		return j;
	} else {
		char since[32], wait[16];
		/* With a document in hand, only what changed since it. */
		const char *const p[] = { "HostId", a->host_id,
		    "SinceRevision", since, "WaitSeconds", wait,
		    a->doc && !a->whole ? "Delta" : NULL, "true", NULL };
		json_t *whole;

		snprintf(since, sizeof(since), "%lld", a->rev < 0 ? 0 : a->rev);
		snprintf(wait, sizeof(wait), "%d", a->rev < 0 ? 0 : wait_s);
		if (agent_api_call(&a->srv, "GetHostDesiredState", p,
		    wait_s + 15, &j, &why) < 0) {
			log_warn("GetHostDesiredState: %s", sb_str(&why));
			sb_free(&why);
			sleep(1);
			return NULL;
		}
		if (!json_is_true(json_object_get(j, "Delta")))
			a->whole = 0;
		if (a->rev >= 0 && json_integer_value(json_object_get(j,
		    "Revision")) == a->rev) {
			json_decref(j);
			j = NULL;
		} else if (json_is_true(json_object_get(j, "Delta"))) {
			if ((whole = fw_doc_patch(a->doc, j)) == NULL) {
				/* Not a delta of what we hold: ask for all. */
				log_warn("a desired-state delta that does not "
				    "fit revision %lld; fetching the whole",
				    a->rev);
				a->whole = 1;
			}
			json_decref(j);
			j = whole;
		}
	}
	sb_free(&why);
	return j;
}

static void
agent_error(struct agent *a, const char *what, const struct sb *why)
{
	log_error("%s: %s", what, sb_str(why));
	sb_reset(&a->error);
	sb_addf(&a->error, "%s: %s", what, sb_str(why));
	a->report_due = 1;
}

/* Plans and (unless --check) runs the driver and firewall for doc. */
static int
agent_apply(struct agent *a, json_t *doc)
{
	struct fw_input *in = NULL;
	struct fw_ruleset *rs = NULL;
	struct agent_ds *ds = NULL;
	struct drv_plan pre = { 0 }, post = { 0 };
	struct drv_obs obs = { 0 };
	struct sb why = SB_INIT;
	char detail[FW_DETAIL_MAX] = "";
	long long t0 = agent_now_ms(), t1 = 0, t2 = 0, t3 = 0;
	int same = 0, r;

	if ((r = fw_input_from_json_detail(doc, a->host_id, &in, detail)) < 0) {
		sb_addf(&why, "%s", detail);
		agent_error(a, "desired state refused", &why);
		goto out;
	}
	if ((r = agent_ds_from_fw(in, &ds, &why)) < 0 ||
	    (r = fw_compile(in, &rs)) < 0) {
		agent_error(a, "desired state cannot be built", &why);
		goto out;
	}
	t1 = agent_now_ms();
	if (!a->cfg->check)
		agent_fw_follow(&a->fw, a->cfg->netns, 0);
	/* The same NICs and bridges as applied (a rule or membership
	 * change): nothing for the drivers; the drift check still looks. */
	if (!a->cfg->check && !a->half_applied && a->ds &&
	    agent_ds_equal(a->ds, ds))
		same = 1;
	else if ((r = drv_observe(&a->drv, 1, &obs, &why)) < 0 ||
	    (r = drv_plan(&a->drv, ds, &obs, 0, &pre, &post)) < 0) {
		agent_error(a, "driver", &why);
		goto out;
	}
	if (a->cfg->check) {
		printf("# driver, before the firewall\n");
		drv_plan_print(&pre, stdout);
		if (agent_fw_print(&a->fw, rs, a->old, stdout, &why) < 0)
			agent_error(a, "nft", &why);
		printf("# driver, after the firewall\n");
		drv_plan_print(&post, stdout);
		goto out;
	}
	sb_reset(&a->error);
	if (pre.errors.len)
		sb_addf(&a->error, "%s", sb_str(&pre.errors));
	a->half_applied = 1;
	if ((r = drv_exec(&a->drv, &pre, &why)) < 0) {
		agent_error(a, "driver", &why);
		goto out;
	}
	t2 = agent_now_ms();
	if ((r = agent_fw_follow(&a->fw, a->cfg->netns, 1)) < 0 ||
	    a->fw.real == NULL) {
		r = -ERR_INTERNAL;
		sb_adds(&why, "cannot open the host namespace");
		agent_error(a, "nft", &why);
		goto out;
	}
	if (a->rev != in->revision)
		sb_reset(&a->drift);
	if ((r = agent_fw_apply(&a->fw, rs, a->old, &a->drift, &why)) < 0) {
		agent_error(a, "nft", &why);
		goto out;
	}
	rs = NULL;	/* a->fw owns it */
	t3 = agent_now_ms();
	fw_ruleset_free(a->old);
	a->old = NULL;
	if ((r = drv_exec(&a->drv, &post, &why)) < 0) {
		agent_error(a, "driver", &why);
		goto out;
	}
	json_decref(a->doc);
	a->doc = json_incref(doc);
	agent_ds_free(a->ds);
	a->ds = ds;
	ds = NULL;
	a->rev = in->revision;
	a->half_applied = 0;
	agent_state_save(a);
	a->report_due = 1;
	log_info("applied revision %lld in %lld ms (compile %lld, driver %lld "
	    "+ %lld, nft %lld by %s; %zu steps%s)", a->rev,
	    agent_now_ms() - t0, t1 - t0, t2 - t1, agent_now_ms() - t3,
	    t3 - t2, a->fw.path, pre.n + post.n,
	    same ? ", NICs unchanged" : "");
out:
	drv_obs_free(&obs);
	drv_plan_free(&pre);
	drv_plan_free(&post);
	fw_ruleset_free(rs);
	agent_ds_free(ds);
	fw_input_free(in);
	sb_free(&why);
	return r;
}

/* Drift check of the applied revision: driver, then firewall. */
static void
agent_check(struct agent *a)
{
	struct drv_plan pre = { 0 }, post = { 0 };
	struct drv_obs obs = { 0 };
	struct sb why = SB_INIT;
	size_t before = a->drift.len;
	long long t0 = agent_now_ms();

	if (a->ds == NULL || a->half_applied)
		return;
	agent_fw_follow(&a->fw, a->cfg->netns, 0);
	if (drv_observe(&a->drv, 0, &obs, &why) < 0 ||
	    drv_plan(&a->drv, a->ds, &obs, 1, &pre, &post) < 0) {
		agent_error(a, "driver check", &why);
		goto out;
	}
	if (pre.n || post.n) {
		sb_adds(&a->drift, sb_str(&pre.drift));
		if (drv_exec(&a->drv, &pre, &why) < 0) {
			agent_error(a, "driver repair", &why);
			goto out;
		}
	}
	/* A host namespace made anew: the check finds our tables missing. */
	if (agent_fw_follow(&a->fw, a->cfg->netns, 1) < 0) {
		sb_adds(&why, "cannot open the host namespace");
		agent_error(a, "nft", &why);
		goto out;
	}
	if (agent_fw_check(&a->fw, &a->drift, &why) < 0) {
		agent_error(a, "nft check", &why);
		goto out;
	}
	if (post.n && drv_exec(&a->drv, &post, &why) < 0) {
		agent_error(a, "driver repair", &why);
		goto out;
	}
	if (a->drift.len > before) {
		log_warn("drift repaired:\n%s", sb_str(&a->drift) + before);
		a->report_due = 1;
		if (before && a->drift.len > 65536) {	/* keep the latest */
			memmove(a->drift.p, a->drift.p + before,
			    a->drift.len - before + 1);
			a->drift.len -= before;
		}
	}
	/* What cannot be served now (e.g. an external interface gone). */
	if (strcmp(sb_str(&pre.errors), sb_str(&a->error)) != 0) {
		sb_reset(&a->error);
		sb_adds(&a->error, sb_str(&pre.errors));
		a->report_due = 1;
	}
	log_debug("drift check in %lld ms", agent_now_ms() - t0);
out:
	drv_obs_free(&obs);
	drv_plan_free(&pre);
	drv_plan_free(&post);
	sb_free(&why);
}

static int
agent_init(struct agent *a, const struct agent_cfg *cfg)
{
	struct sb why = SB_INIT;
	int r;

	memset(a, 0, sizeof(*a));
	a->cfg = cfg;
	a->rev = -1;
	if (cfg->desired_file == NULL) {
		if ((r = agent_api_init(&a->srv, cfg->server ? cfg->server :
		    AGENT_DEFAULT_SERVER, cfg->credentials, cfg->host_id,
		    &why)) < 0) {
			fprintf(stderr, "sekisho-agent: %s\n", sb_str(&why));
			sb_free(&why);
			return r;
		}
		a->use_srv = 1;
		snprintf(a->host_id, sizeof(a->host_id), "%s", a->srv.host_id);
	} else
		snprintf(a->host_id, sizeof(a->host_id), "%s", cfg->host_id ?
		    cfg->host_id : AGENT_DEFAULT_HOST);
	sb_free(&why);
	if ((r = drv_init(&a->drv, cfg->netns)) < 0) {
		fprintf(stderr, "sekisho-agent: bad --netns\n");
		return r;
	}
	/* The real context opens once the host namespace exists. */
	if ((r = agent_fw_open(&a->fw, agent_ns_exists(cfg->netns) ?
	    cfg->netns : NULL)) < 0) {
		fprintf(stderr, "sekisho-agent: cannot open libnftables\n");
		return r;
	}
	a->old = agent_state_load(a);
	return 0;
}

static void
agent_fini(struct agent *a)
{
	agent_fw_close(&a->fw);
	drv_fini(&a->drv);
	fw_ruleset_free(a->old);
	agent_ds_free(a->ds);
	json_decref(a->doc);
	sb_free(&a->drift);
	sb_free(&a->error);
	if (a->use_srv)
		agent_api_fini(&a->srv);
}

int
agent_run(const struct agent_cfg *cfg)
{
	struct agent a;
	int interval = cfg->drift_interval > 0 ? cfg->drift_interval : 5;
	int rc = AGENT_EXIT_OK;

	if (agent_init(&a, cfg) < 0) {
		agent_fini(&a);
		return AGENT_EXIT_CONFIG;
	}
	log_info("sekisho-agent: host %s, namespace %s, %s", a.host_id,
	    cfg->netns, cfg->desired_file ? cfg->desired_file : "server");
	a.next_check = agent_now_ms() + interval * 1000LL;
	for (;;) {
		long long now = agent_now_ms();
		int wait = (int)((a.next_check - now + 999) / 1000);
		json_t *doc;

		if (wait < 0 || cfg->once || cfg->check)
			wait = 0;
		if (wait > AGENT_POLL_MAX)
			wait = AGENT_POLL_MAX;
		doc = agent_fetch(&a, wait);
		if (doc) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			log_debug("revision %lld received at %lld.%03ld",
			    (long long)json_integer_value(json_object_get(doc,
			    "Revision")), (long long)ts.tv_sec,
			    ts.tv_nsec / 1000000);
			rc = agent_apply(&a, doc) < 0 ? AGENT_EXIT_FAIL :
			    AGENT_EXIT_OK;
			json_decref(doc);
			if (rc != AGENT_EXIT_OK && !cfg->once && !cfg->check) {
				/* Retry: the server answers at once, the
				 * file is read again. */
				memset(&a.file_st, 0, sizeof(a.file_st));
				sleep(1);
			}
		} else if (a.rev < 0 && (cfg->once || cfg->check)) {
			fprintf(stderr, "sekisho-agent: no desired state\n");
			rc = AGENT_EXIT_FAIL;
		}
		if (cfg->check || cfg->once)
			break;
		if (agent_now_ms() >= a.next_check) {
			agent_check(&a);
			a.next_check = agent_now_ms() + interval * 1000LL;
		}
		if (a.report_due)
			agent_report(&a);
	}
	if (cfg->once && a.report_due)
		agent_report(&a);
	agent_fini(&a);
	return rc;
}
