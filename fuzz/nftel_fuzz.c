/*
 * nftel_fuzz: the element encoder of the agent's libnftnl path
 * (src/agent/nftel_enc.c). Input: a set declaration, a line "--", then
 * element lines (each used as an add and as a delete). Besides ASan and
 * UBSan, checks what the kernel would otherwise be trusted with: every
 * accepted element's end is not below its start (intervals), the netlink
 * elements of a change are within what the lines asked for (an rbtree
 * range gives at most two), and refusals name the set.
 */
#include <stdlib.h>
#include <string.h>

#include <libnftnl/set.h>

#include "agent/nftel_int.h"
#include "fw/fw.h"
#include "lib/err.h"

#define NFTEL_FUZZ_LINES 64

static void
nftel_fuzz_check(const struct nftel_decl *d, const struct nftel_el *els,
    size_t n)
{
	struct nftel_out *out = NULL;
	size_t nout = 0;

	for (size_t i = 0; i < n; i++)
		if (d->interval && memcmp(els[i].end, els[i].key, d->klen) < 0)
			abort();
	if (nftel_outs(d, els, n, &out, &nout) == 0) {
		if (nout > 2 * n)
			abort();
		for (size_t i = 0; i < nout; i++) {
			struct nftnl_set_elem *e = NULL;

			if (nftel_elem(d, &out[i], 1, &e) == 0)
				nftnl_set_elem_free(e);
		}
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const char *data, unsigned long size);

int
LLVMFuzzerTestOneInput(const char *data, unsigned long size)
{
	char *buf = malloc(size + 1), *sep, *p;
	const char *lines[NFTEL_FUZZ_LINES];
	struct nftel_change c;
	struct nftel_parsed pr;
	struct sb err = SB_INIT;
	size_t n = 0;
	int r;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if ((sep = strstr(buf, "\n--\n")) == NULL) {
		free(buf);
		return 0;
	}
	*sep = '\0';
	for (p = sep + 4; *p && n < NFTEL_FUZZ_LINES; ) {
		char *nl = strchr(p, '\n');

		lines[n++] = p;
		if (nl == NULL)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	memset(&c, 0, sizeof(c));
	c.table = FW_T_SG;
	c.set = "fuzz";
	c.decl = buf;
	c.add = lines;
	c.nadd = n;
	c.del = lines;
	c.ndel = n;
	memset(&pr, 0, sizeof(pr));
	r = nftel_parse(&c, &pr, &err);
	if (r == 0) {
		nftel_fuzz_check(&pr.d, pr.add, n);
	} else if (r == -ERR_INVALID_PARAMETER) {
		if (strstr(sb_str(&err), "fuzz") == NULL)
			abort();	/* a refusal names the set */
	} else if (r != -ERR_NOMEM) {
		abort();
	}
	free(pr.add);
	free(pr.del);
	sb_free(&err);
	free(buf);
	return 0;
}
