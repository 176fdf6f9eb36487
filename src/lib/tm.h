/* tm: the ISO 8601 UTC forms Alibaba uses ("YYYY-MM-DDThh:mm:ssZ"). Pure. */
#ifndef SEKISHO_TM_H
#define SEKISHO_TM_H

#include <stddef.h>
#include <stdint.h>

/* Parses exactly YYYY-MM-DDThh:mm:ssZ into Unix seconds; 0 or -ERR_TIMESTAMP_FORMAT. */
int tm_parse_iso(const char *s, int64_t *out);
/* Formats t as YYYY-MM-DDThh:mm:ssZ (buf >= 21 bytes). */
void tm_format_iso(int64_t t, char *buf, size_t len);
/* Wall-clock seconds, and a monotonic clock in nanoseconds. */
int64_t tm_now(void);
uint64_t tm_mono_ns(void);

#endif
