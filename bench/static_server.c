/*
 * static_server: the benchmark's baseline. A minimal libmicrohttpd server
 * with the same daemon settings as sekishod (src/api/http.c: internal
 * polling thread + epoll, a pool of --threads threads, default 2) that
 * answers every request with one fixed JSON body, the size of a
 * DescribeRegions reply. No parsing, no signature, no store: what is left
 * is the HTTP cost every request pays, the denominator of the API path's
 * ratio. Runs until SIGTERM/SIGINT.
 *
 *   static_server --port-file FILE [--threads N]   (listens on 127.0.0.1:0)
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

static const char ss_body[] =
    "{\"Regions\":{\"Region\":["
    "{\"RegionId\":\"cn-hangzhou\",\"RegionEndpoint\":\"ecs.cn-hangzhou.aliyuncs.com\","
    "\"LocalName\":\"China (Hangzhou)\",\"Status\":\"available\"},"
    "{\"RegionId\":\"cn-shanghai\",\"RegionEndpoint\":\"ecs.cn-shanghai.aliyuncs.com\","
    "\"LocalName\":\"China (Shanghai)\",\"Status\":\"available\"},"
    "{\"RegionId\":\"cn-beijing\",\"RegionEndpoint\":\"ecs.cn-beijing.aliyuncs.com\","
    "\"LocalName\":\"China (Beijing)\",\"Status\":\"available\"},"
    "{\"RegionId\":\"ap-northeast-1\",\"RegionEndpoint\":\"ecs.ap-northeast-1.aliyuncs.com\","
    "\"LocalName\":\"Japan (Tokyo)\",\"Status\":\"available\"}]},"
    "\"RequestId\":\"00000000-0000-0000-0000-000000000000\"}";

static struct MHD_Response *ss_resp;

static enum MHD_Result
ss_access(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload_data,
    size_t *upload_size, void **req_cls)
{
	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload_data;
	if (*req_cls == NULL) {		/* headers only: wait for the body */
		*req_cls = conn;
		return MHD_YES;
	}
	if (*upload_size > 0) {
		*upload_size = 0;	/* discard */
		return MHD_YES;
	}
	return MHD_queue_response(conn, MHD_HTTP_OK, ss_resp);
}

int
main(int argc, char **argv)
{
	const char *port_file = NULL;
	unsigned threads = 2;
	struct sockaddr_in sin;
	const union MHD_DaemonInfo *di;
	struct MHD_Daemon *d;
	sigset_t sigs;
	FILE *f;
	int sig;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--port-file") == 0)
			port_file = argv[i + 1];
		else if (strcmp(argv[i], "--threads") == 0)
			threads = (unsigned)atoi(argv[i + 1]);
	}
	if (port_file == NULL || threads < 1 || threads > 256) {
		fprintf(stderr, "usage: static_server --port-file FILE "
		    "[--threads N]\n");
		return 2;
	}
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	ss_resp = MHD_create_response_from_buffer(sizeof(ss_body) - 1,
	    (void *)ss_body, MHD_RESPMEM_PERSISTENT);
	if (ss_resp == NULL)
		return 1;
	MHD_add_response_header(ss_resp, "Content-Type",
	    "application/json;charset=utf-8");
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	    MHD_USE_ERROR_LOG, 0, NULL, NULL, ss_access, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sin,
	    MHD_OPTION_THREAD_POOL_SIZE, threads,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
	    MHD_OPTION_END);
	if (d == NULL) {
		fprintf(stderr, "static_server: cannot listen\n");
		return 1;
	}
	di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	if (di == NULL || (f = fopen(port_file, "w")) == NULL) {
		MHD_stop_daemon(d);
		return 1;
	}
	fprintf(f, "%u\n", di->port);
	fclose(f);
	while (sigwait(&sigs, &sig) == 0 && sig != SIGTERM && sig != SIGINT)
		;
	MHD_stop_daemon(d);
	MHD_destroy_response(ss_resp);
	return 0;
}
