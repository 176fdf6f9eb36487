/* rnd: random identifiers. */
#include "lib/rnd.h"

#include <stdio.h>
#include <string.h>

#include <openssl/rand.h>

#include "lib/err.h"

int
rnd_bytes(void *buf, size_t n)
{
	return RAND_bytes(buf, (int)n) == 1 ? 0 : -ERR_INTERNAL;
}

int
rnd_chars(const char *alphabet, size_t n, char *buf, size_t len)
{
	size_t m = strlen(alphabet), limit = 256 - 256 % m, i = 0;
	unsigned char r[64];

	if (len <= n || m == 0)
		return -ERR_INTERNAL;
	while (i < n) {
		if (rnd_bytes(r, sizeof(r)) < 0)
			return -ERR_INTERNAL;
		for (size_t j = 0; j < sizeof(r) && i < n; j++)
			if (r[j] < limit)	/* no modulo bias */
				buf[i++] = alphabet[r[j] % m];
	}
	buf[n] = '\0';
	return 0;
}

int
rnd_id(const char *prefix, char *buf, size_t len)
{
	size_t pl = strlen(prefix);

	if (pl + 21 > len)
		return -ERR_INTERNAL;
	memcpy(buf, prefix, pl);
	return rnd_chars("abcdefghijklmnopqrstuvwxyz0123456789", 20, buf + pl,
	    len - pl);
}

int
rnd_uuid(char *buf, size_t len)
{
	unsigned char b[16];

	if (len < 37 || rnd_bytes(b, sizeof(b)) < 0)
		return -ERR_INTERNAL;
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(buf, len,
	    "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
	    b[11], b[12], b[13], b[14], b[15]);
	return 0;
}
