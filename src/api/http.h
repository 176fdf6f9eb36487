/*
 * http: the libmicrohttpd listener. Collects method, raw query (taken
 * before libmicrohttpd decodes it, so signatures see what the client
 * sent), headers and body, hands them to api_handle() and sends the reply.
 */
#ifndef SEKISHO_HTTP_H
#define SEKISHO_HTTP_H

#include <stddef.h>

#include "api/api.h"

struct http_server;

struct http_opts {
	const char *host;	/* "127.0.0.1" */
	unsigned short port;	/* 0 = pick a free port */
	unsigned threads;	/* worker threads */
	size_t max_body;
};

int http_start(struct api *a, const struct http_opts *o,
    struct http_server **out);
unsigned short http_port(const struct http_server *s);
void http_stop(struct http_server *s);	/* NULL-safe */

#endif
