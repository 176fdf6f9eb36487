/*
 * cli_http: sends one struct cli_req with libcurl and collects the answer.
 * Only http/https, no redirects (a redirect would re-send the signed
 * request elsewhere), a bounded response, no signals (CURLOPT_NOSIGNAL).
 * Any HTTP status is a result; only transport failures are errors.
 */
#include <string.h>

#include <curl/curl.h>

#include "cli/cli_int.h"
#include "lib/err.h"

struct cli_http_sink {
	struct sb *body;
	int too_big;
};

static size_t
cli_http_write(char *p, size_t size, size_t nmemb, void *arg)
{
	struct cli_http_sink *s = arg;
	size_t n = size * nmemb;

	if (s->body->len + n > CLI_MAX_RESPONSE) {
		s->too_big = 1;
		return 0;	/* aborts the transfer */
	}
	sb_addn(s->body, p, n);
	return sb_ok(s->body) < 0 ? 0 : n;
}

/* "Name: value" lines; curl copies each string. */
static int
cli_http_headers(const struct cli_req *r, struct curl_slist **out)
{
	struct curl_slist *l = NULL, *t;
	struct sb line = SB_INIT;
	int rc = -ERR_NOMEM;

	/* POST without a body: no content-type, no Expect. */
	static const char *const drop[] = { "Content-Type:", "Expect:", NULL };

	for (size_t i = 0; i < r->headers.n; i++) {
		sb_reset(&line);
		sb_addf(&line, "%s: %s", r->headers.v[i].key,
		    r->headers.v[i].val);
		if (sb_ok(&line) < 0 ||
		    (t = curl_slist_append(l, sb_str(&line))) == NULL)
			goto out;
		l = t;
	}
	for (int i = 0; drop[i]; i++) {
		if ((t = curl_slist_append(l, drop[i])) == NULL)
			goto out;
		l = t;
	}
	*out = l;
	l = NULL;
	rc = 0;
out:
	curl_slist_free_all(l);
	sb_free(&line);
	return rc;
}

int
cli_http_send(const struct cli_req *r, long timeout_s, struct cli_resp *out,
    struct sb *why)
{
	struct cli_http_sink sink = { &out->body, 0 };
	struct curl_slist *hdrs = NULL;
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *h = NULL;
	CURLcode cc;
	int rc;

	out->status = 0;
	sb_reset(&out->body);
	if ((rc = cli_http_headers(r, &hdrs)) < 0)
		goto out;
	rc = -ERR_NOMEM;
	if ((h = curl_easy_init()) == NULL)
		goto out;
	curl_easy_setopt(h, CURLOPT_URL, r->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, timeout_s);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, timeout_s < 10 ? timeout_s : 10L);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "sekisho-cli/1");
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, cli_http_write);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
	if (strcmp(r->method, "POST") == 0) {
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
	} else
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	if ((cc = curl_easy_perform(h)) != CURLE_OK) {
		if (sink.too_big)
			sb_addf(why, "the response is larger than %u bytes",
			    CLI_MAX_RESPONSE);
		else
			sb_addf(why, "%s", errbuf[0] ? errbuf :
			    curl_easy_strerror(cc));
		rc = -ERR_SERVICE_UNAVAILABLE;
		goto out;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	rc = 0;
out:
	curl_easy_cleanup(h);
	curl_slist_free_all(hdrs);
	return rc;
}

void
cli_resp_free(struct cli_resp *r)
{
	if (r)
		sb_free(&r->body);
}
