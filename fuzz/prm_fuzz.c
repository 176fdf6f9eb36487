/*
 * prm_fuzz: the query-string / form-body decoder (prm_parse, pct_decode).
 *
 * Input: raw bytes as they arrive in a URL query or an
 * application/x-www-form-urlencoded body. Besides memory safety (ASan,
 * UBSan), checks the decoder's contract:
 *   - on error nothing is appended (the list is exactly as before);
 *   - every key is non-empty, keys and values hold no NUL byte;
 *   - RFC 3986 re-encoding round-trips: prm_parse(pct_encode(k)=pct_encode(v))
 *     yields k and v again (what both signature schemes rely on);
 *   - prm_get/prm_count agree with the list.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/pct.h"
#include "lib/prm.h"
#include "lib/sb.h"

static void
prm_fuzz_roundtrip(const struct prm *p)
{
	struct prm_list back;
	struct sb enc = SB_INIT;

	prm_init(&back);
	pct_encode(&enc, p->key, strlen(p->key));
	sb_addc(&enc, '=');
	pct_encode(&enc, p->val, strlen(p->val));
	if (sb_ok(&enc) < 0)
		abort();
	if (prm_parse(&back, sb_str(&enc), enc.len) != 0 || back.n != 1 ||
	    strcmp(back.v[0].key, p->key) != 0 ||
	    strcmp(back.v[0].val, p->val) != 0)
		abort();
	prm_free(&back);
	sb_free(&enc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prm_list l;
	size_t before;
	int r;

	prm_init(&l);
	/* A first, valid parse: the query; the fuzzed text is then the body. */
	if (prm_parse(&l, "Action=DescribeRegions&a=1", 26) != 0 || l.n != 2)
		abort();
	l.from_query = (int)l.n;
	before = l.n;
	r = prm_parse(&l, (const char *)data, size);
	if (r < 0 && (r != -ERR_INVALID_PARAMETER || l.n != before))
		abort();
	if (r == 0 && (l.n > PRM_MAX_COUNT || memchr(data, '\0', size) != NULL))
		abort();	/* a raw NUL byte must be refused */
	for (size_t i = before; i < l.n; i++) {
		const struct prm *p = &l.v[i];

		if (p->key[0] == '\0')
			abort();
		prm_fuzz_roundtrip(p);
		if (prm_get(&l, p->key) == NULL || prm_count(&l, p->key) == 0)
			abort();
	}
	prm_free(&l);
	return 0;
}
