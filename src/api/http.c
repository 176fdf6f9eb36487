/* http: libmicrohttpd glue for the API. */
#include "api/http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "lib/err.h"
#include "lib/log.h"
#include "lib/sb.h"

struct http_server {
	struct MHD_Daemon *d;
	struct api *api;
	size_t max_body;
	unsigned short port;
};

/* Per-request state, created by the URI callback. */
struct http_req {
	char *uri;
	struct sb body;
	int too_large;
	int started;	/* the first call only announces the headers */
};

static void *
http_uri_cb(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct http_req *hr = calloc(1, sizeof(*hr));

	(void)cls;
	(void)conn;
	if (hr)
		hr->uri = strdup(uri);
	return hr;
}

static void
http_done_cb(void *cls, struct MHD_Connection *conn, void **req_cls,
    enum MHD_RequestTerminationCode toe)
{
	struct http_req *hr = *req_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (hr == NULL)
		return;
	free(hr->uri);
	sb_free(&hr->body);
	free(hr);
	*req_cls = NULL;
}

static const char *
http_header(void *arg, const char *lname)
{
	return MHD_lookup_connection_value(arg, MHD_HEADER_KIND, lname);
}

static enum MHD_Result
http_send(struct MHD_Connection *conn, int status, char *body,
    uint64_t revision)
{
	char rev[32];

	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(strlen(body), body,
	    MHD_RESPMEM_MUST_FREE);
	if (resp == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, "Content-Type",
	    "application/json;charset=utf-8");
	if (revision) {
		snprintf(rev, sizeof(rev), "%llu", (unsigned long long)revision);
		MHD_add_response_header(resp, "x-sekisho-revision", rev);
	}
	ret = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result
http_access_cb(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **req_cls)
{
	struct http_server *s = cls;
	struct http_req *hr = *req_cls;
	const union MHD_ConnectionInfo *ci;
	struct api_request req;
	struct api_response resp;
	char path[1024], ip[INET6_ADDRSTRLEN] = "";
	const char *q;
	size_t plen;

	(void)version;
	if (hr == NULL || hr->uri == NULL)
		return MHD_NO;
	if (!hr->started) {
		hr->started = 1;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		if (hr->body.len + *upload_size > s->max_body)
			hr->too_large = 1;
		else
			sb_addn(&hr->body, upload_data, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	q = strchr(hr->uri, '?');
	plen = q ? (size_t)(q - hr->uri) : strlen(hr->uri);
	if (plen >= sizeof(path))
		plen = sizeof(path) - 1;
	memcpy(path, hr->uri, plen);
	path[plen] = '\0';
	(void)url;
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;

		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			    ip, sizeof(ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr,
			    ip, sizeof(ip));
	}
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = path;
	req.query = q ? q + 1 : NULL;
	req.body = sb_str(&hr->body);
	req.body_len = hr->body.len;
	req.body_too_large = hr->too_large || sb_ok(&hr->body) < 0;
	req.client_ip = ip;
	req.header = http_header;
	req.header_arg = conn;
	api_handle(s->api, &req, &resp);
	return http_send(conn, resp.status, resp.body, resp.revision);
}

int
http_start(struct api *a, const struct http_opts *o, struct http_server **out)
{
	struct http_server *s = calloc(1, sizeof(*s));
	struct sockaddr_in sin;
	const union MHD_DaemonInfo *di;

	*out = NULL;
	if (s == NULL)
		return -ERR_NOMEM;
	s->api = a;
	s->max_body = o->max_body;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(o->port);
	if (inet_pton(AF_INET, o->host, &sin.sin_addr) != 1) {
		free(s);
		return -ERR_INVALID_PARAMETER;
	}
	s->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG, 0, NULL, NULL, http_access_cb, s,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(o->threads ? o->threads : 2),
	    MHD_OPTION_URI_LOG_CALLBACK, http_uri_cb, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, http_done_cb, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	    /* V3 clients put every parameter in the URL: 100 permissions
	     * with long descriptions reach 60 KB. The pool holds the request
	     * line and headers (the body is streamed), default 32 KB. */
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(512 * 1024),
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
	    MHD_OPTION_END);
	if (s->d == NULL) {
		free(s);
		return -ERR_SERVICE_UNAVAILABLE;
	}
	di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : o->port;
	*out = s;
	return 0;
}

unsigned short
http_port(const struct http_server *s)
{
	return s->port;
}

void
http_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	MHD_stop_daemon(s->d);
	free(s);
}
