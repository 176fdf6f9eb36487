/*
 * cli_cfg: where the endpoint and the AccessKey come from, and `configure`.
 *
 * Sources, first that has the item wins, each item resolved on its own:
 *   1. options   --endpoint, --access-key-id/--access-key-secret/--security-token
 *   2. env       SEKISHO_ENDPOINT, ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET,
 *                ALIBABA_CLOUD_SECURITY_TOKEN
 *   3. profile   --profile-file, else $SEKISHO_CONFIG, else
 *                ~/.sekisho/config.json: {"endpoint", "access_key_id",
 *                "access_key_secret", "security_token"}
 *   4. --credentials-file FILE: the server's root-credentials.json
 *                {"AccountId", "AccessKeyId", "AccessKeySecret"} (key only)
 * An id, its secret and its token always come from the same source: a
 * source that has only half a pair is an error, never completed from a
 * lower one (that would sign with a mismatched secret). The profile is read
 * only when a lower source is needed, except that an explicit --profile-file
 * is always read (and must exist), so a typo in its name cannot go unseen.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "cli/cli_int.h"
#include "lib/err.h"

#define CLI_PROFILE_MAX	(1u << 20)	/* bytes; a profile is a few lines */

struct cli_profile {
	int tried;
	json_t *o;			/* NULL: no profile */
	char path[PATH_MAX];
};

static int cli_cfg_bad(struct sb *why, int r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Appends the reason to why and returns r. */
static int
cli_cfg_bad(struct sb *why, int r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	sb_adds(why, buf);
	return r;
}

/* Copies a single-line printable value; rejects what could split a header. */
static int
cli_cfg_copy(char *dst, size_t len, const char *src, const char *what,
    struct sb *why)
{
	size_t n = strlen(src);

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)src[i] < 0x20 || src[i] == 0x7f)
			return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
			    "%s contains a control character", what);
	if (n >= len)
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "%s is too long", what);
	memcpy(dst, src, n + 1);
	return 0;
}

/* The value of --access-key-secret; "-" reads one line from stdin. */
static int
cli_cfg_flag_secret(const char *v, char *buf, size_t len, struct sb *why)
{
	size_t n;

	if (strcmp(v, "-") != 0)
		return cli_cfg_copy(buf, len, v, "--access-key-secret", why);
	if (fgets(buf, (int)len, stdin) == NULL)
		return cli_cfg_bad(why, -ERR_MISSING_PARAMETER,
		    "--access-key-secret -: nothing on stdin");
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	if (n == 0 || n + 1 >= len)
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "--access-key-secret -: %s", n ? "too long" : "empty line");
	return cli_cfg_copy(buf, len, buf, "--access-key-secret", why);
}

/* host, host:port, [v6] or [v6]:port with a port of 1..65535. */
static int
cli_cfg_authority_ok(const char *auth, size_t n)
{
	const char *end = auth + n, *c;
	long port = 0;

	if (auth[0] == '[') {
		if ((c = memchr(auth, ']', n)) == NULL)
			return 0;
		if (++c == end)
			return 1;
		if (*c != ':')
			return 0;
	} else if ((c = memchr(auth, ':', n)) == NULL)
		return 1;
	if (c == auth || end - ++c < 1 || end - c > 5)
		return 0;
	for (; c < end; c++) {
		if (*c < '0' || *c > '9')
			return 0;
		port = port * 10 + (*c - '0');
	}
	return port >= 1 && port <= 65535;
}

int
cli_cfg_endpoint(const char *in, struct cli_cred *out, struct sb *why)
{
	const char *scheme = "http", *auth = in, *end;
	size_t n;

	if (strncasecmp(in, "http://", 7) == 0)
		auth = in + 7;
	else if (strncasecmp(in, "https://", 8) == 0) {
		scheme = "https";
		auth = in + 8;
	} else if (strstr(in, "://"))
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "endpoint %s: only http:// and https:// are supported", in);
	end = auth + strcspn(auth, "/?#");
	n = (size_t)(end - auth);
	if (n == 0 || (*end && strcmp(end, "/") != 0))
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "endpoint %s: want [scheme://]host[:port] without a path",
		    in);
	for (size_t i = 0; i < n; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		    "0123456789.-_:[]", auth[i]))
			return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
			    "endpoint %s: bad character in the host", in);
	if (!cli_cfg_authority_ok(auth, n))
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "endpoint %s: want host, host:port or [v6addr]:port", in);
	if (n >= sizeof(out->host))
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "endpoint %s: too long", in);
	memcpy(out->host, auth, n);
	out->host[n] = '\0';
	snprintf(out->endpoint, sizeof(out->endpoint), "%s://%s", scheme,
	    out->host);
	return 0;
}

/* The profile path; *explicit_ when the user named it (--profile-file). */
static int
cli_cfg_profile_path(const struct cli_opts *o, char *buf, size_t len,
    int *explicit_, struct sb *why)
{
	const char *env = getenv("SEKISHO_CONFIG"), *home = getenv("HOME");
	int n;

	*explicit_ = o->profile_file != NULL;
	if (o->profile_file)
		n = snprintf(buf, len, "%s", o->profile_file);
	else if (env && env[0])
		n = snprintf(buf, len, "%s", env);
	else if (home && home[0])
		n = snprintf(buf, len, "%s/.sekisho/config.json", home);
	else
		return cli_cfg_bad(why, -ERR_MISSING_PARAMETER, "no profile "
		    "path: set --profile-file, SEKISHO_CONFIG or HOME");
	if (n < 0 || (size_t)n >= len)
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "profile path too long");
	return 0;
}

/*
 * Reads a JSON object file into *out (NULL when absent and !must_exist).
 * warn (may be NULL) gets a note when the file is open to group/other.
 */
static int
cli_cfg_read_json(const char *path, int must_exist, json_t **out,
    char *warn, size_t wlen, struct sb *why)
{
	json_error_t je;
	struct stat st;
	json_t *o;
	int fd;

	*out = NULL;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT && !must_exist)
			return 0;
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "cannot read %s: %s", path, strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size > (off_t)CLI_PROFILE_MAX) {
		close(fd);
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "%s: not a regular file of at most 1 MiB", path);
	}
	if (warn && (st.st_mode & 077))
		snprintf(warn, wlen, "%s is readable by others (mode %04o); "
		    "chmod 600 it", path, (unsigned)(st.st_mode & 07777));
	o = json_loadfd(fd, JSON_REJECT_DUPLICATES, &je);
	close(fd);
	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "%s: not a JSON object (%s)", path,
		    o ? "wrong type" : je.text);
	}
	*out = o;
	return 0;
}

/* The string field key of o, or NULL when absent; other types are errors. */
static int
cli_cfg_field(json_t *o, const char *key, const char *path,
    const char **out, struct sb *why)
{
	json_t *v = o ? json_object_get(o, key) : NULL;

	*out = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "%s: \"%s\" must be a string", path, key);
	*out = json_string_value(v)[0] ? json_string_value(v) : NULL;
	return 0;
}

static int
cli_cfg_profile(const struct cli_opts *o, struct cli_profile *pf,
    struct cli_cred *c, struct sb *why)
{
	int explicit_, r;

	if (pf->tried)
		return 0;
	pf->tried = 1;
	r = cli_cfg_profile_path(o, pf->path, sizeof(pf->path), &explicit_,
	    why);
	if (r == -ERR_MISSING_PARAMETER) {	/* no HOME: no default profile */
		sb_reset(why);
		return 0;
	}
	if (r < 0)
		return r;
	return cli_cfg_read_json(pf->path, explicit_, &pf->o, c->warning,
	    sizeof(c->warning), why);
}

/* Takes a whole key pair (and token) from one source. */
static int
cli_cfg_pair(struct cli_cred *c, const char *id, const char *secret,
    const char *token, const char *src, struct sb *why)
{
	int r;

	if (id == NULL || id[0] == '\0' || secret == NULL || secret[0] == '\0')
		return cli_cfg_bad(why, -ERR_MISSING_PARAMETER,
		    "%s gives only half of the key pair (%s)", src,
		    id && id[0] ? "no secret" : "no id");
	if ((r = cli_cfg_copy(c->akid, sizeof(c->akid), id, "AccessKeyId",
	    why)) < 0 ||
	    (r = cli_cfg_copy(c->secret, sizeof(c->secret), secret,
	    "AccessKeySecret", why)) < 0 ||
	    (r = cli_cfg_copy(c->token, sizeof(c->token), token ? token : "",
	    "SecurityToken", why)) < 0)
		return r;
	snprintf(c->key_src, sizeof(c->key_src), "%s", src);
	return 0;
}

static int
cli_cfg_key_from_files(const struct cli_opts *o, struct cli_profile *pf,
    int need_key, struct cli_cred *c, struct sb *why)
{
	const char *id, *secret, *token;
	char src[PATH_MAX + 32];
	json_t *cf = NULL;
	int r;

	if ((r = cli_cfg_profile(o, pf, c, why)) < 0 ||
	    (r = cli_cfg_field(pf->o, "access_key_id", pf->path, &id, why)) < 0 ||
	    (r = cli_cfg_field(pf->o, "access_key_secret", pf->path, &secret,
	    why)) < 0 ||
	    (r = cli_cfg_field(pf->o, "security_token", pf->path, &token,
	    why)) < 0)
		return r;
	if (id || secret) {
		snprintf(src, sizeof(src), "profile %s", pf->path);
		return cli_cfg_pair(c, id, secret, token, src, why);
	}
	if (o->cred_file) {
		if ((r = cli_cfg_read_json(o->cred_file, 1, &cf, NULL, 0,
		    why)) < 0 ||
		    (r = cli_cfg_field(cf, "AccessKeyId", o->cred_file, &id,
		    why)) < 0 ||
		    (r = cli_cfg_field(cf, "AccessKeySecret", o->cred_file,
		    &secret, why)) < 0)
			goto out;
		snprintf(src, sizeof(src), "credentials file %s", o->cred_file);
		r = cli_cfg_pair(c, id, secret, NULL, src, why);
		goto out;
	}
	if (need_key)
		return cli_cfg_bad(why, -ERR_MISSING_PARAMETER, "no AccessKey: "
		    "give --access-key-id/--access-key-secret, set ALIBABA_CLOUD_"
		    "ACCESS_KEY_ID/_SECRET, run 'sekisho configure', or use "
		    "--credentials-file");
	r = 0;
out:
	json_decref(cf);
	return r;
}

/* The key pair from --access-key-id/--access-key-secret/--security-token. */
static int
cli_cfg_key_flags(const struct cli_opts *o, struct cli_cred *c,
    struct sb *why)
{
	char secret[sizeof(c->secret)];
	int r;

	if (o->akid == NULL && o->secret == NULL)
		return cli_cfg_bad(why, -ERR_MISSING_PARAMETER, "--security-token "
		    "needs --access-key-id and --access-key-secret");
	if (o->secret && (r = cli_cfg_flag_secret(o->secret, secret,
	    sizeof(secret), why)) < 0)
		return r;
	r = cli_cfg_pair(c, o->akid, o->secret ? secret : NULL, o->token,
	    "command-line options", why);
	OPENSSL_cleanse(secret, sizeof(secret));
	return r;
}

static int
cli_cfg_key(const struct cli_opts *o, struct cli_profile *pf, int need_key,
    struct cli_cred *c, struct sb *why)
{
	const char *eid = getenv("ALIBABA_CLOUD_ACCESS_KEY_ID");
	const char *esec = getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET");

	if (o->akid || o->secret || o->token)
		return cli_cfg_key_flags(o, c, why);
	if ((eid && eid[0]) || (esec && esec[0]))
		return cli_cfg_pair(c, eid, esec,
		    getenv("ALIBABA_CLOUD_SECURITY_TOKEN"),
		    "environment ALIBABA_CLOUD_ACCESS_KEY_ID", why);
	return cli_cfg_key_from_files(o, pf, need_key, c, why);
}

int
cli_cfg_resolve(const struct cli_opts *o, int need_key, struct cli_cred *out,
    struct sb *why)
{
	struct cli_profile pf;
	const char *ep = NULL, *env = getenv("SEKISHO_ENDPOINT");
	int r;

	memset(out, 0, sizeof(*out));
	memset(&pf, 0, sizeof(pf));
	/* a profile named on the command line is checked even if unused */
	if (o->profile_file && (r = cli_cfg_profile(o, &pf, out, why)) < 0)
		goto out;
	if (o->endpoint) {
		ep = o->endpoint;
		snprintf(out->endpoint_src, sizeof(out->endpoint_src),
		    "command-line options");
	} else if (env && env[0]) {
		ep = env;
		snprintf(out->endpoint_src, sizeof(out->endpoint_src),
		    "environment SEKISHO_ENDPOINT");
	} else {
		if ((r = cli_cfg_profile(o, &pf, out, why)) < 0 ||
		    (r = cli_cfg_field(pf.o, "endpoint", pf.path, &ep, why)) < 0)
			goto out;
		if (ep)
			snprintf(out->endpoint_src, sizeof(out->endpoint_src),
			    "profile %s", pf.path);
		else
			snprintf(out->endpoint_src, sizeof(out->endpoint_src),
			    "default");
	}
	if ((r = cli_cfg_endpoint(ep ? ep : CLI_DEFAULT_ENDPOINT, out,
	    why)) < 0)
		goto out;
	r = cli_cfg_key(o, &pf, need_key, out, why);
out:
	json_decref(pf.o);
	return r;
}

void
cli_cfg_clear(struct cli_cred *c)
{
	OPENSSL_cleanse(c, sizeof(*c));
}

/* Writes o to path atomically: a 0600 temporary file renamed over it. */
static int
cli_cfg_write(json_t *o, const char *path, struct sb *why)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	int fd = -1, r = -ERR_INVALID_PARAMETER;

	snprintf(dir, sizeof(dir), "%s", path);
	if (mkdir(dirname(dir), 0700) < 0 && errno != EEXIST)
		return cli_cfg_bad(why, r, "cannot create the directory of %s: "
		    "%s", path, strerror(errno));
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >=
	    sizeof(tmp))
		return cli_cfg_bad(why, r, "profile path too long");
	if ((fd = mkstemp(tmp)) < 0) {
		cli_cfg_bad(why, r, "cannot create %s: %s", tmp,
		    strerror(errno));
		tmp[0] = '\0';
		goto out;
	}
	if (fchmod(fd, 0600) < 0 || json_dumpfd(o, fd, JSON_INDENT(2)) < 0 ||
	    write(fd, "\n", 1) != 1 || fsync(fd) < 0) {
		cli_cfg_bad(why, r, "cannot write %s: %s", tmp, strerror(errno));
		goto out;
	}
	r = close(fd);
	fd = -1;
	if (r < 0 || rename(tmp, path) < 0) {
		r = cli_cfg_bad(why, -ERR_INVALID_PARAMETER, "cannot write %s: "
		    "%s", path, strerror(errno));
		goto out;
	}
	tmp[0] = '\0';
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	if (tmp[0])
		unlink(tmp);
	return r;
}

static void
cli_cfg_show(json_t *o, const char *path)
{
	const char *ep = json_string_value(json_object_get(o, "endpoint"));
	const char *id = json_string_value(json_object_get(o, "access_key_id"));

	printf("profile: %s\n", path);
	printf("endpoint: %s\n", ep ? ep : "(not set)");
	printf("access_key_id: %s\n", id ? id : "(not set)");
	printf("access_key_secret: %s\n",
	    json_object_get(o, "access_key_secret") ? "(set, not shown)" :
	    "(not set)");
	if (json_object_get(o, "security_token"))
		printf("security_token: (set, not shown)\n");
}

/* Applies the options to the profile object. */
static int
cli_cfg_update(const struct cli_opts *o, json_t *prof, struct cli_cred *c,
    struct sb *why)
{
	int r;

	if (o->endpoint) {
		if ((r = cli_cfg_endpoint(o->endpoint, c, why)) < 0)
			return r;
		if (json_object_set_new(prof, "endpoint",
		    json_string(c->endpoint)) < 0)
			return -ERR_NOMEM;
	}
	if (o->akid == NULL && o->secret == NULL && o->token == NULL)
		return 0;
	if ((r = cli_cfg_key_flags(o, c, why)) < 0)
		return r;
	if (json_object_set_new(prof, "access_key_id", json_string(c->akid)) < 0 ||
	    json_object_set_new(prof, "access_key_secret",
	    json_string(c->secret)) < 0)
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "the key pair is not valid UTF-8");
	if (c->token[0] == '\0')
		json_object_del(prof, "security_token");
	else if (json_object_set_new(prof, "security_token",
	    json_string(c->token)) < 0)
		return cli_cfg_bad(why, -ERR_INVALID_PARAMETER,
		    "--security-token is not valid UTF-8");
	return 0;
}

int
cli_cfg_configure(struct cli_ctx *ctx)
{
	const struct cli_opts *o = &ctx->o;
	struct cli_cred c;
	struct sb why = SB_INIT;
	char path[PATH_MAX];
	json_t *prof = NULL;
	int explicit_, rc = CLI_EXIT_CONFIG;

	memset(&c, 0, sizeof(c));
	if (ctx->nwords > 1 || ctx->params.n > 0) {
		sb_adds(&why, "configure takes options only (sekisho configure "
		    "--help)");
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (cli_cfg_profile_path(o, path, sizeof(path), &explicit_, &why) < 0 ||
	    cli_cfg_read_json(path, 0, &prof, NULL, 0, &why) < 0)
		goto out;
	if (!o->endpoint && !o->akid && !o->secret && !o->token) {
		if (prof == NULL)
			sb_addf(&why, "no profile at %s", path);
		else {
			cli_cfg_show(prof, path);
			rc = CLI_EXIT_OK;
		}
		goto out;
	}
	if (prof == NULL && (prof = json_object()) == NULL)
		goto out;
	if (cli_cfg_update(o, prof, &c, &why) < 0) {
		rc = CLI_EXIT_USAGE;
		goto out;
	}
	if (cli_cfg_write(prof, path, &why) < 0)
		goto out;
	fprintf(stderr, "sekisho: wrote %s (mode 0600)\n", path);
	rc = CLI_EXIT_OK;
out:
	if (rc != CLI_EXIT_OK)
		fprintf(stderr, "sekisho: %s\n",
		    why.len ? sb_str(&why) : "out of memory");
	json_decref(prof);
	cli_cfg_clear(&c);
	sb_free(&why);
	return rc;
}
