/*
 * agent_fw: the firewall side of the agent (agent_int.h). The real tables
 * and a shadow namespace receive the same scripts; the shadow's listing
 * is the expectation the real tables are compared with.
 *
 *   first apply     shadow <- full(old or new); compare real with it:
 *                   our tables absent        -> full load (not drift)
 *                   equal to old             -> delta old -> new
 *                   equal to new             -> nothing at all (the
 *                                               established flows and the
 *                                               counters stay as they are)
 *                   anything else            -> drift reported, full load
 *   later applies   fw_delta(applied, new) on the shadow, then on the
 *                   real tables (one transaction each, agent_fw_delta
 *                   picks the path); a real failure means someone
 *                   changed our tables: compare, report, full load
 *   check           compare real with the cached shadow listing; repair
 *                   with one full-replace transaction
 * A full replace deletes and re-creates our two tables in one transaction:
 * packets see the old or the new ruleset, and conntrack entries are not
 * touched, so established connections continue.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_int.h"
#include "agent/nftrp.h"
#include "lib/err.h"
#include "lib/log.h"

int
agent_fw_open(struct agent_fw *f, const char *hostns)
{
	int r;

	memset(f, 0, sizeof(*f));
	if ((r = nftb_open(NULL, &f->shadow)) < 0)
		return r;
	if (hostns && (r = nftb_open(hostns, &f->real)) < 0) {
		nftb_close(f->shadow);
		f->shadow = NULL;
	}
	return r;
}

void
agent_fw_close(struct agent_fw *f)
{
	nftb_close(f->real);
	nftb_close(f->shadow);
	fw_ruleset_free(f->applied);
	nftb_view_free(&f->want);
	memset(f, 0, sizeof(*f));
}

static int
agent_fw_full(struct nftb *b, const struct fw_ruleset *rs, struct sb *err)
{
	struct sb s = SB_INIT;
	int r;

	if ((r = fw_render(rs, &s)) == 0)
		r = nftb_run(b, sb_str(&s), err);
	sb_free(&s);
	return r;
}

/* The shadow's listing of what it holds, cached. */
static int
agent_fw_want(struct agent_fw *f, struct sb *err)
{
	int r;

	if (f->want_ok)
		return 0;
	nftb_view_free(&f->want);
	if ((r = nftb_view(f->shadow, &f->want, err)) == 0)
		f->want_ok = 1;
	return r;
}

/* Shadow <- full(rs). */
static int
agent_fw_shadow_full(struct agent_fw *f, const struct fw_ruleset *rs,
    struct sb *err)
{
	f->want_ok = 0;
	return agent_fw_full(f->shadow, rs, err);
}

/* Compares real with the shadow: -ERR_x, or the number of differences
 * (lines in diff). *absent: none of our tables is in the real namespace. */
static int
agent_fw_compare(struct agent_fw *f, struct sb *diff, int *absent,
    struct sb *err)
{
	struct nftb_view have;
	int r;

	if ((r = agent_fw_want(f, err)) < 0 ||
	    (r = nftb_view(f->real, &have, err)) < 0)
		return r;
	if (absent)
		*absent = have.tables == 0;
	r = nftb_view_diff(&f->want, &have, diff);
	nftb_view_free(&have);
	return r;
}

/* Remembers the real namespace's generation after our own commit. */
static void
agent_fw_mark(struct agent_fw *f)
{
	f->gen_ok = nftb_gen(f->real, &f->gen) == 0;
	f->quiet = 0;
}

static void
agent_fw_take(struct agent_fw *f, struct fw_ruleset *rs)
{
	if (f->applied != rs)
		fw_ruleset_free(f->applied);
	f->applied = rs;
}

/* First apply of this process. */
static int
agent_fw_first(struct agent_fw *f, struct fw_ruleset *rs,
    const struct fw_ruleset *old, struct sb *drift, struct sb *err)
{
	struct sb diff = SB_INIT;
	int absent = 0, n, r;

	if (old) {
		if ((r = agent_fw_shadow_full(f, old, err)) < 0 ||
		    (n = r = agent_fw_compare(f, &diff, &absent, err)) < 0)
			goto out;
		if (!absent && n == 0) {
			/* The kernel holds what the last agent left. */
			log_info("nft: tables match the last applied state");
			r = 1;	/* continue with a delta */
			goto out;
		}
		log_info("nft: tables differ from the last applied state:\n%s",
		    sb_str(&diff));
		sb_reset(&diff);
	}
	if ((r = agent_fw_shadow_full(f, rs, err)) < 0 ||
	    (n = r = agent_fw_compare(f, &diff, &absent, err)) < 0)
		goto out;
	if (!absent && n == 0) {
		log_info("nft: tables already match the desired state");
		r = 0;
		goto out;
	}
	if (!absent) {
		sb_adds(drift, sb_str(&diff));
		log_warn("nft: %d objects differ from the desired state; "
		    "replacing our tables:\n%s", n, sb_str(&diff));
	}
	r = agent_fw_full(f->real, rs, err);
out:
	sb_free(&diff);
	return r;
}

/* Repairs after the real tables refused a delta: someone changed them. */
static int
agent_fw_repair(struct agent_fw *f, const struct fw_ruleset *rs,
    struct sb *drift, struct sb *err)
{
	struct sb diff = SB_INIT;
	int r;

	log_warn("nft: delta refused (%s); our tables were changed, "
	    "repairing", sb_str(err));
	sb_reset(err);
	if ((r = agent_fw_compare(f, &diff, NULL, err)) == 0 || r > 0) {
		sb_adds(drift, sb_str(&diff));
		r = agent_fw_full(f->real, rs, err);
		f->path = "full";
	}
	sb_free(&diff);
	return r;
}

/*
 * A delta, by the cheapest path that expresses it:
 *   elements only   nftel batches (libnftnl), shadow then real: no nft
 *                   parser anywhere;
 *   anything else   nft text to the shadow (libnftables, where nft's
 *                   evaluator builds the rules), then one libnftnl batch
 *                   to the real tables with the rules read back from the
 *                   shadow (nftrp); text to the real tables only for what
 *                   that path does not express (base chains).
 * A delta the shadow refuses is a compiler bug: full replaces, loudly.
 */
static int
agent_fw_delta(struct agent_fw *f, const struct fw_delta *d,
    const struct fw_ruleset *rs, struct sb *drift, struct sb *err)
{
	struct sb text = SB_INIT;
	int r;

	f->want_ok = 0;
	if (fw_delta_elems_only(d)) {
		if (nftrp_elems(nftb_nsfd(f->shadow), d, err) == 0) {
			f->path = "elements";
			r = nftrp_elems(nftb_nsfd(f->real), d, err) == 0 ? 0 :
			    agent_fw_repair(f, rs, drift, err);
			goto out;
		}
		log_error("nft: element batch refused by the shadow: %s",
		    sb_str(err));
		sb_reset(err);
	}
	if ((r = fw_delta_render(d, rs, &text)) < 0)
		goto out;
	if (nftb_run(f->shadow, sb_str(&text), err) < 0) {
		log_error("nft: delta refused by the shadow: %s", sb_str(err));
		sb_reset(err);
		f->path = "full";
		if ((r = agent_fw_shadow_full(f, rs, err)) == 0)
			r = agent_fw_full(f->real, rs, err);
		goto out;
	}
	f->path = "replay";
	if ((r = nftrp_apply(nftb_nsfd(f->real), nftb_nsfd(f->shadow), d,
	    err)) == 0)
		goto out;
	if (r < 0)
		log_warn("nft: batch from the shadow failed (%s); sending the "
		    "text", sb_str(err));
	sb_reset(err);
	f->path = "text";
	if ((r = nftb_run(f->real, sb_str(&text), err)) < 0)
		r = agent_fw_repair(f, rs, drift, err);
out:
	sb_free(&text);
	return r;
}

int
agent_fw_apply(struct agent_fw *f, struct fw_ruleset *rs,
    const struct fw_ruleset *old, struct sb *drift, struct sb *err)
{
	const struct fw_ruleset *from = f->applied;
	struct fw_delta d = { 0 };
	int r;

	f->path = "none";
	if (from == NULL) {
		f->path = "first";
		if ((r = agent_fw_first(f, rs, old, drift, err)) <= 0)
			goto done;
		from = old;
	}
	if ((r = fw_delta(from, rs, &d)) < 0)
		goto out;
	if (d.full || d.n > 0)
		r = agent_fw_delta(f, &d, rs, drift, err);
done:
	if (r == 0) {
		agent_fw_take(f, rs);
		agent_fw_mark(f);
	}
out:
	fw_delta_free(&d);
	return r;
}

int
agent_fw_follow(struct agent_fw *f, const char *hostns, int after)
{
	if (!after) {
		if (f->real && !nftb_same_ns(f->real, hostns)) {
			log_warn("nft: namespace %s was replaced", hostns);
			nftb_close(f->real);
			f->real = NULL;
			f->gen_ok = 0;
		}
		return 0;
	}
	if (f->real || !agent_ns_exists(hostns))
		return 0;
	f->gen_ok = 0;
	return nftb_open(hostns, &f->real);
}

int
agent_fw_check(struct agent_fw *f, struct sb *drift, struct sb *err)
{
	struct sb diff = SB_INIT;
	uint32_t gen;
	int n, r;

	if (f->applied == NULL || f->real == NULL)
		return 0;
	if (f->gen_ok && f->quiet < AGENT_FW_FULL_EVERY &&
	    nftb_gen(f->real, &gen) == 0 && gen == f->gen) {
		f->quiet++;	/* nobody committed anything since us */
		return 0;
	}
	if ((n = r = agent_fw_compare(f, &diff, NULL, err)) < 0)
		goto out;
	if (n > 0) {
		log_warn("nft: drift, %d objects differ; repairing", n);
		sb_adds(drift, sb_str(&diff));
		r = agent_fw_full(f->real, f->applied, err);
	}
	agent_fw_mark(f);
out:
	sb_free(&diff);
	return r;
}

int
agent_fw_print(struct agent_fw *f, const struct fw_ruleset *rs,
    const struct fw_ruleset *old, FILE *out, struct sb *err)
{
	struct sb diff = SB_INIT, script = SB_INIT;
	int absent = 1, n = 0, r;

	if (old && f->real) {
		if ((r = agent_fw_shadow_full(f, old, err)) < 0 ||
		    (n = r = agent_fw_compare(f, &diff, &absent, err)) < 0)
			goto out;
		if (!absent && n == 0) {
			if ((r = fw_diff(old, rs, &script)) < 0)
				goto out;
			fprintf(out, "# nft: delta from the last applied state\n"
			    "%s", script.len ? sb_str(&script) :
			    "# (no change)\n");
			goto out;
		}
		sb_reset(&diff);
	}
	if ((r = agent_fw_shadow_full(f, rs, err)) < 0)
		goto out;
	if (f->real && (n = r = agent_fw_compare(f, &diff, &absent, err)) < 0)
		goto out;
	if (!absent && n == 0) {
		fprintf(out, "# nft: our tables match the desired state "
		    "(no change)\n");
		r = 0;
		goto out;
	}
	if (!absent)
		fprintf(out, "# nft: %d objects differ:\n%s", n, sb_str(&diff));
	if ((r = fw_render(rs, &script)) < 0)
		goto out;
	fprintf(out, "# nft: full replace of our tables (one transaction)\n%s",
	    sb_str(&script));
	r = 0;
out:
	sb_free(&diff);
	sb_free(&script);
	return r;
}
