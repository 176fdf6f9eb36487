/*
 * lg_req: the load generator's request builder. Produces complete HTTP/1.1
 * requests signed with V3 (ACS3-HMAC-SHA256) the way the Tea SDKs send them
 * (spec §1.2, §2.1): POST /?<query>, action and version in x-acs-* headers,
 * empty body. Uses the server's own pure signing code (src/api/sig.h), so a
 * request the server rejects points at a real disagreement.
 */
#ifndef SEKISHO_LG_REQ_H
#define SEKISHO_LG_REQ_H

#include <stddef.h>

#include "lib/prm.h"

struct lg_key {
	const char *akid;
	const char *secret;
};

/* One request, as bytes on the wire. Owned; lg_req_free() releases. */
struct lg_req {
	char *buf;
	size_t len;
};

/* Sets up the nonce source (random prefix + counter): call once. */
int lg_req_init(void);

/*
 * Builds a signed request into *out. host is the Host header value
 * ("127.0.0.1:PORT"); query may be empty. Returns 0 or -1.
 */
int lg_req_v3(const struct lg_key *k, const char *host, const char *version,
    const char *action, const struct prm_list *query, struct lg_req *out);
/*
 * The same from a text template "VERSION ACTION [Name=Value]...": words
 * separated by blanks, values taken literally (they are percent-encoded
 * when signed), every "{}" in a value replaced by subst when subst is not
 * NULL. Returns 0, or -1 on a malformed template or a signing failure.
 */
int lg_req_tmpl(const struct lg_key *k, const char *host, const char *tmpl,
    const char *subst, struct lg_req *out);
void lg_req_free(struct lg_req *r);

#endif
