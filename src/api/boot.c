/* boot: root account bootstrap. */
#include "api/boot.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/crypto.h>

#include "lib/err.h"
#include "lib/rnd.h"

#define BOOT_ALNUM "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

static int
boot_write_creds(const char *path, const struct store_key *k,
    const char *host_id)
{
	json_t *o = host_id ?
	    json_pack("{s:s, s:s, s:s}", "HostId", host_id,
	    "AccessKeyId", k->id, "AccessKeySecret", k->secret) :
	    json_pack("{s:s, s:s, s:s}", "AccountId", k->account,
	    "AccessKeyId", k->id, "AccessKeySecret", k->secret);
	char *text = o ? json_dumps(o, JSON_INDENT(2)) : NULL;
	int fd = -1, r = -ERR_INTERNAL;
	size_t len;

	json_decref(o);
	if (text == NULL)
		return -ERR_NOMEM;
	len = strlen(text);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) < 0)
		goto out;
	if (write(fd, text, len) != (ssize_t)len || write(fd, "\n", 1) != 1 ||
	    fsync(fd) < 0)
		goto out;
	r = 0;
out:
	if (fd >= 0)
		close(fd);
	OPENSSL_cleanse(text, len);
	free(text);
	return r;
}

int
boot_root(struct store *st, const char *data_dir, const char *env_akid,
    const char *env_secret, int64_t now, struct boot_result *out)
{
	struct store_key k;
	char *account = NULL;
	int r, have_env = env_akid && env_secret && env_akid[0] && env_secret[0];

	memset(out, 0, sizeof(*out));
	memset(&k, 0, sizeof(k));
	if ((r = store_tx_begin(st, STORE_TX_WRITE)) < 0)
		return r;
	r = store_meta_get(st, "root_account", &account);
	if (r == -ERR_NOT_FOUND) {
		char id[17];

		/* A leading 1 keeps ids below 2^53: JavaScript clients read
		 * OwnerId as a number (real account ids mostly start so). */
		id[0] = '1';
		if ((r = rnd_chars("0123456789", 15, id + 1, sizeof(id) - 1)) < 0)
			goto out;
		if ((r = store_account_put(st, id, now)) < 0 ||
		    (r = store_meta_put(st, "root_account", id)) < 0)
			goto out;
		snprintf(out->account, sizeof(out->account), "%s", id);
		if (!have_env) {
			snprintf(k.id, sizeof(k.id), "LTAI");
			if ((r = rnd_chars(BOOT_ALNUM, 20, k.id + 4,
			    sizeof(k.id) - 4)) < 0 ||
			    (r = rnd_chars(BOOT_ALNUM, 30, k.secret,
			    sizeof(k.secret))) < 0)
				goto out;
			out->generated = 1;
		}
	} else if (r == 0) {
		snprintf(out->account, sizeof(out->account), "%s", account);
	} else {
		goto out;
	}
	if (have_env) {
		if (strlen(env_akid) >= sizeof(k.id) ||
		    strlen(env_secret) >= sizeof(k.secret)) {
			r = -ERR_INVALID_PARAMETER;
			goto out;
		}
		snprintf(k.id, sizeof(k.id), "%s", env_akid);
		snprintf(k.secret, sizeof(k.secret), "%s", env_secret);
	}
	if (k.id[0]) {
		snprintf(k.account, sizeof(k.account), "%s", out->account);
		snprintf(k.principal, sizeof(k.principal), "root");
		snprintf(k.status, sizeof(k.status), "Active");
		k.created = now;
		if ((r = store_key_put(st, &k)) < 0)
			goto out;
		snprintf(out->akid, sizeof(out->akid), "%s", k.id);
	}
	if (out->generated) {
		snprintf(out->cred_path, sizeof(out->cred_path),
		    "%s/root-credentials.json", data_dir);
		if ((r = boot_write_creds(out->cred_path, &k, NULL)) < 0)
			goto out;
	}
	r = store_tx_commit(st);
	goto done;
out:
	store_tx_abort(st);
done:
	OPENSSL_cleanse(&k, sizeof(k));
	free(account);
	return r;
}

int
boot_agent(struct store *st, const char *data_dir, const char *host_id,
    int64_t now, char *path, size_t path_len)
{
	char meta_key[160], *account = NULL, *akid = NULL;
	struct store_key k;
	int r;

	memset(&k, 0, sizeof(k));
	snprintf(meta_key, sizeof(meta_key), "agent_key:%s", host_id);
	snprintf(path, path_len, "%s/agent-credentials.json", data_dir);
	if ((r = store_tx_begin(st, STORE_TX_WRITE)) < 0)
		return r;
	if ((r = store_meta_get(st, "root_account", &account)) < 0)
		goto out;
	r = store_meta_get(st, meta_key, &akid);
	if (r == 0) {
		if ((r = store_key_get(st, akid, &k)) < 0)
			goto out;
	} else if (r == -ERR_NOT_FOUND) {
		snprintf(k.id, sizeof(k.id), "LTAIagent");
		if ((r = rnd_chars(BOOT_ALNUM, 15, k.id + 9,
		    sizeof(k.id) - 9)) < 0 ||
		    (r = rnd_chars(BOOT_ALNUM, 30, k.secret,
		    sizeof(k.secret))) < 0)
			goto out;
		snprintf(k.account, sizeof(k.account), "%s", account);
		snprintf(k.principal, sizeof(k.principal), "agent:%s", host_id);
		snprintf(k.status, sizeof(k.status), "Active");
		k.created = now;
		if ((r = store_key_put(st, &k)) < 0 ||
		    (r = store_meta_put(st, meta_key, k.id)) < 0)
			goto out;
	} else {
		goto out;
	}
	if ((r = boot_write_creds(path, &k, host_id)) < 0)
		goto out;
	r = store_tx_commit(st);
	goto done;
out:
	store_tx_abort(st);
done:
	OPENSSL_cleanse(&k, sizeof(k));
	free(account);
	free(akid);
	return r;
}
