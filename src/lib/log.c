/* log: timestamped lines on stderr, filtered by level. */
#include "lib/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static enum log_level log_cur = LOG_INFO;
static const char *const log_names[] = { "error", "warn", "info", "debug" };

void log_set_level(enum log_level lv) { log_cur = lv; }

int
log_level_parse(const char *s, enum log_level *out)
{
	for (int i = 0; i <= LOG_DEBUG; i++) {
		if (strcmp(s, log_names[i]) == 0) {
			*out = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void
log_msg(enum log_level lv, const char *fmt, ...)
{
	char ts[32], line[2048];
	struct timespec now;
	struct tm tm;
	va_list ap;

	if (lv > log_cur)
		return;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s %s %s\n", ts, log_names[lv], line);
}
