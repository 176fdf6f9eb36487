/*
 * fw_input_fuzz: the desired-state document the agent receives over HTTP
 * (src/fw/fw_input.c), and everything downstream of an accepted one.
 *
 * Input: bytes parsed as JSON; when they parse, the document goes through
 * fw_input_from_json for host "host-local". Checks, besides ASan/UBSan:
 *   - a refusal is -ERR_INVALID_PARAMETER with a NUL-terminated reason
 *     and no result;
 *   - an accepted input compiles, renders, and diffs against itself to
 *     nothing; the rendered script holds no control characters but tabs
 *     and newlines (nothing from the document breaks out of a token);
 *   - the decision engine accepts the same input (fw_input_eng), so the
 *     compiler never enforces a world the engine could not explain.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fw/fw.h"
#include "lib/err.h"

static void
fw_fuzz_accepted(const struct fw_input *in)
{
	struct fw_ruleset *rs = NULL;
	struct eng_model *m = NULL;
	struct sb s = SB_INIT, d = SB_INIT;

	if (fw_compile(in, &rs) != 0 || fw_render(rs, &s) != 0 ||
	    fw_diff(rs, rs, &d) != 0 || d.len != 0)
		abort();
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)s.p[i] < 0x20 && s.p[i] != '\t' &&
		    s.p[i] != '\n')
			abort();
	if (eng_model_new(&m) != 0 || fw_input_eng(in, m) != 0 ||
	    eng_compile(m) != 0)
		abort();
	eng_model_free(m);
	sb_free(&s);
	sb_free(&d);
	fw_ruleset_free(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fw_input *in = NULL;
	char detail[FW_DETAIL_MAX];
	json_error_t e;
	json_t *j;
	int r;

	j = json_loadb((const char *)data, size, JSON_ALLOW_NUL, &e);
	if (j == NULL)
		return 0;
	memset(detail, 'x', sizeof(detail));
	r = fw_input_from_json_detail(j, "host-local", &in, detail);
	if (r == 0) {
		if (in == NULL)
			abort();
		fw_fuzz_accepted(in);
	} else if (r != -ERR_INVALID_PARAMETER || in != NULL ||
	    memchr(detail, '\0', sizeof(detail)) == NULL) {
		abort();
	}
	fw_input_free(in);
	json_decref(j);
	return 0;
}
