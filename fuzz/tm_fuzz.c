/*
 * tm_fuzz: tm_parse_iso, the parser of Timestamp / x-acs-date.
 *
 * Checks, besides ASan/UBSan: anything accepted has the exact shape
 * YYYY-MM-DDThh:mm:ssZ and is not before 1970; formatting the parsed value
 * gives the input back, except for the two normalisations the parser
 * allows on purpose or by omission (second 60, and February 29 of a common
 * year, which becomes March 1); a rejection is -ERR_TIMESTAMP_FORMAT and
 * leaves *out at 0.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/tm.h"

static int
tm_fuzz_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64], back[32];
	int64_t t = -1;
	int r;

	if (size >= sizeof(s))
		size = sizeof(s) - 1;
	memcpy(s, data, size);
	s[size] = '\0';
	r = tm_parse_iso(s, &t);
	if (r < 0) {
		if (r != -ERR_TIMESTAMP_FORMAT || t != 0)
			abort();
		return 0;
	}
	if (strlen(s) != 20 || strspn(s, "0123456789-T:Z") != 20 || t < 0)
		abort();
	tm_format_iso(t, back, sizeof(back));
	if (strcmp(back, s) != 0) {
		int y = atoi(s);

		if (strcmp(s + 17, "60Z") != 0 &&
		    !(strncmp(s + 5, "02-29", 5) == 0 && !tm_fuzz_leap(y)))
			abort();
	}
	return 0;
}
