/* tm: timestamps. */
#include "lib/tm.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/err.h"

static int
tm_digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int
tm_parse_iso(const char *s, int64_t *out)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, se;
	struct tm tm;

	*out = 0;
	if (strlen(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -ERR_TIMESTAMP_FORMAT;
	if (tm_digits(s, 4, &y) || tm_digits(s + 5, 2, &mo) ||
	    tm_digits(s + 8, 2, &d) || tm_digits(s + 11, 2, &h) ||
	    tm_digits(s + 14, 2, &mi) || tm_digits(s + 17, 2, &se))
		return -ERR_TIMESTAMP_FORMAT;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h > 23 || mi > 59 || se > 59)
		return -ERR_TIMESTAMP_FORMAT;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
		return -ERR_TIMESTAMP_FORMAT;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = (int64_t)timegm(&tm);
	return 0;
}

void
tm_format_iso(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t
tm_now(void)
{
	return (int64_t)time(NULL);
}

uint64_t
tm_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
