/*
 * nftb: libnftables contexts bound to a namespace (nftb.h). Text scripts
 * in, JSON out for listings. The object cache of libnftables is refreshed
 * by the library per command; nothing here keeps kernel state.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nftables/libnftables.h>

#include "agent/agent_sys.h"
#include "agent/nftb.h"
#include "lib/err.h"

struct nftb {
	struct nft_ctx *ctx;
	int nsfd;			/* the namespace the context lives in */
};

int
nftb_open(const char *ns, struct nftb **out)
{
	struct nftb *b;
	int saved = -1, r;

	*out = NULL;
	if ((b = calloc(1, sizeof(*b))) == NULL)
		return -ERR_NOMEM;
	b->nsfd = -1;
	if (ns == NULL) {
		if ((r = agent_ns_anon(&b->nsfd)) < 0)
			goto out;
	} else {
		/* Keep an fd: the name may be removed while we run. */
		if ((r = agent_ns_enter(ns, -1, &saved)) < 0)
			goto out;
		b->nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
		if ((r = agent_ns_leave(saved)) < 0 || b->nsfd < 0) {
			r = -ERR_INTERNAL;
			goto out;
		}
	}
	if ((r = agent_ns_enter(NULL, b->nsfd, &saved)) < 0)
		goto out;
	b->ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	if (agent_ns_leave(saved) < 0)
		abort();
	if (b->ctx == NULL) {
		r = -ERR_INTERNAL;
		goto out;
	}
	nft_ctx_buffer_output(b->ctx);
	nft_ctx_buffer_error(b->ctx);
	*out = b;
	b = NULL;
	r = 0;
out:
	nftb_close(b);
	return r;
}

int
nftb_nsfd(const struct nftb *b)
{
	return b->nsfd;
}

void
nftb_close(struct nftb *b)
{
	if (b == NULL)
		return;
	if (b->ctx)
		nft_ctx_free(b->ctx);
	if (b->nsfd >= 0)
		close(b->nsfd);
	free(b);
}

static int
nftb_cmd(struct nftb *b, const char *cmd, int json, struct sb *out,
    struct sb *err)
{
	const char *o, *e;
	int saved, rc, r;

	if ((r = agent_ns_enter(NULL, b->nsfd, &saved)) < 0)
		return r;
	nft_ctx_output_set_flags(b->ctx, json ? NFT_CTX_OUTPUT_JSON : 0);
	rc = nft_run_cmd_from_buffer(b->ctx, cmd);
	if (agent_ns_leave(saved) < 0)
		abort();
	o = nft_ctx_get_output_buffer(b->ctx);
	e = nft_ctx_get_error_buffer(b->ctx);
	if (out && o)
		sb_adds(out, o);
	if (err && e && rc != 0)
		sb_adds(err, e);
	if (rc != 0)
		return -ERR_INTERNAL;
	return out ? sb_ok(out) : 0;
}

int
nftb_run(struct nftb *b, const char *script, struct sb *err)
{
	if (script == NULL || script[0] == '\0')
		return 0;
	return nftb_cmd(b, script, 0, NULL, err);
}

int
nftb_list_json(struct nftb *b, const char *cmd, struct sb *out,
    struct sb *err)
{
	return nftb_cmd(b, cmd, 1, out, err);
}

int
nftb_gen(struct nftb *b, uint32_t *gen)
{
	return nftb_gen_read(b->nsfd, gen);
}

int
nftb_same_ns(const struct nftb *b, const char *name)
{
	char path[sizeof(AGENT_NETNS_DIR) + AGENT_NAME_MAX + 2];
	struct stat a, c;

	if (!agent_name_ok(name, AGENT_NAME_MAX))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", AGENT_NETNS_DIR, name);
	return stat(path, &a) == 0 && fstat(b->nsfd, &c) == 0 &&
	    a.st_dev == c.st_dev && a.st_ino == c.st_ino;
}
