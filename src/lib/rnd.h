/*
 * rnd: identifiers and secrets from the OpenSSL CSPRNG.
 * Resource IDs look like Alibaba's: prefix + 20 lower-case alphanumerics
 * ("vpc-bp15zckdt37pq72zv..."); RequestIds are upper-case UUIDs.
 */
#ifndef SEKISHO_RND_H
#define SEKISHO_RND_H

#include <stddef.h>

#define RND_ID_LEN 64

/* Fills buf with n random bytes; 0 or -ERR_INTERNAL. */
int rnd_bytes(void *buf, size_t n);
/* "<prefix><20 chars>" into buf (>= RND_ID_LEN). */
int rnd_id(const char *prefix, char *buf, size_t len);
/* n random characters of alphabet into buf (NUL-terminated, len > n). */
int rnd_chars(const char *alphabet, size_t n, char *buf, size_t len);
/* 8-4-4-4-12 upper-case hex UUID (buf >= 37). */
int rnd_uuid(char *buf, size_t len);

#endif
