/*
 * ramdb: lookups over the RAM resources (see ramdb.h for the model), the
 * policy set of a principal for the authorization step, the role record
 * for STS, and RAM-user AccessKeys.
 */
#include "iam/ramdb.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "lib/err.h"
#include "lib/rnd.h"

#define RAMDB_ALNUM \
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

static const char *
ramdb_str(const json_t *doc, const char *key)
{
	const char *v = json_string_value(json_object_get(doc, key));

	return v ? v : "";
}

const char *
ramdb_name_field(const char *kind)
{
	if (strcmp(kind, RAMDB_USER) == 0)
		return "UserName";
	if (strcmp(kind, RAMDB_GROUP) == 0)
		return "GroupName";
	if (strcmp(kind, RAMDB_ROLE) == 0)
		return "RoleName";
	if (strcmp(kind, RAMDB_POLICY) == 0)
		return "PolicyName";
	return NULL;
}

int
ramdb_children(struct store *st, const char *account, const char *kind,
    const char *parent, struct store_res_list *out)
{
	struct store_filter f = { account, kind, NULL, parent, NULL };

	return store_res_list(st, &f, out);
}

/* The name index id of (account, kind, name): "rn-" + 40 hex digits. */
static int
ramdb_name_id(const char *account, const char *kind, const char *name,
    char id[STORE_ID_MAX])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char key[512];
	int n;

	n = snprintf(key, sizeof(key), "%s\n%s\n%s", account, kind, name);
	if (n < 0 || (size_t)n >= sizeof(key))
		return -ERR_INVALID_PARAMETER;
	for (char *p = key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (!EVP_Digest(key, (size_t)n, md, &mdlen, EVP_sha256(), NULL))
		return -ERR_INTERNAL;
	memcpy(id, "rn-", 3);
	for (unsigned int i = 0; i < 20; i++)
		snprintf(id + 3 + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int
ramdb_find(struct store *st, const char *account, const char *kind,
    const char *name, struct store_res *out)
{
	const char *field = ramdb_name_field(kind);
	struct store_res idx;
	char id[STORE_ID_MAX];
	int r;

	memset(out, 0, sizeof(*out));
	if (field == NULL || name == NULL)
		return -ERR_INTERNAL;
	if ((r = ramdb_name_id(account, kind, name, id)) < 0)
		return r == -ERR_INVALID_PARAMETER ? -ERR_NOT_FOUND : r;
	if ((r = store_res_get(st, id, &idx)) < 0)
		return r;
	r = store_res_get(st, ramdb_str(idx.doc, "Id"), out);
	store_res_clear(&idx);
	if (r == 0 && (strcmp(out->kind, kind) != 0 ||
	    strcmp(out->account, account) != 0 ||
	    strcasecmp(ramdb_str(out->doc, field), name) != 0))
		r = -ERR_STORE;		/* an index entry that lies */
	if (r < 0)
		store_res_clear(out);
	return r == -ERR_NOT_FOUND ? -ERR_STORE : r;
}

static int
ramdb_name_put(struct store *st, const struct store_res *res,
    const char *name)
{
	struct store_res idx;
	int r;

	memset(&idx, 0, sizeof(idx));
	if ((r = ramdb_name_id(res->account, res->kind, name, idx.id)) < 0)
		return r;
	snprintf(idx.kind, sizeof(idx.kind), "%s", RAMDB_NAME);
	snprintf(idx.account, sizeof(idx.account), "%s", res->account);
	idx.doc = json_pack("{s:s, s:s}", "Kind", res->kind, "Id", res->id);
	r = idx.doc ? store_res_put(st, &idx) : -ERR_NOMEM;
	store_res_clear(&idx);
	return r;
}

static int
ramdb_name_del(struct store *st, const struct store_res *res,
    const char *name)
{
	char id[STORE_ID_MAX];
	int r;

	if ((r = ramdb_name_id(res->account, res->kind, name, id)) < 0)
		return r;
	r = store_res_del(st, id);
	return r == -ERR_NOT_FOUND ? 0 : r;
}

int
ramdb_put(struct store *st, struct store_res *res, const char *old_name)
{
	const char *field = ramdb_name_field(res->kind), *name;
	int r;

	if ((r = store_res_put(st, res)) < 0 || field == NULL)
		return r;
	name = json_string_value(json_object_get(res->doc, field));
	if (name == NULL)
		return -ERR_INTERNAL;
	if (old_name && strcasecmp(old_name, name) == 0)
		return 0;
	if (old_name && (r = ramdb_name_del(st, res, old_name)) < 0)
		return r;
	return ramdb_name_put(st, res, name);
}

int
ramdb_del(struct store *st, const struct store_res *res)
{
	const char *field = ramdb_name_field(res->kind);
	int r;

	if ((r = store_res_del(st, res->id)) < 0 || field == NULL)
		return r;
	return ramdb_name_del(st, res, ramdb_str(res->doc, field));
}

int
ramdb_delete_children(struct store *st, const char *account,
    const char *kind, const char *parent)
{
	struct store_res_list l = { NULL, 0 };
	int r;

	if ((r = ramdb_children(st, account, kind, parent, &l)) < 0)
		return r;
	for (size_t i = 0; i < l.n && r == 0; i++)
		r = store_res_del(st, l.v[i].id);
	store_res_list_free(&l);
	return r;
}

/* Keeps the elements of l for which keep() says so, in order. */
static void
ramdb_filter(struct store_res_list *l,
    int (*keep)(const struct store_res *, const void *), const void *arg)
{
	size_t m = 0;

	for (size_t i = 0; i < l->n; i++) {
		if (keep(&l->v[i], arg))
			l->v[m++] = l->v[i];
		else
			store_res_clear(&l->v[i]);
	}
	l->n = m;
}

static int
ramdb_is_member(const struct store_res *r, const void *group_id)
{
	return strcmp(ramdb_str(r->doc, "GroupId"), group_id) == 0;
}

int
ramdb_group_members(struct store *st, const char *account,
    const char *group_id, struct store_res_list *out)
{
	int r;

	if ((r = ramdb_children(st, account, RAMDB_MEMBER, NULL, out)) < 0)
		return r;
	ramdb_filter(out, ramdb_is_member, group_id);
	return 0;
}

struct ramdb_polref {
	const char *type;
	const char *name;
};

static int
ramdb_is_attach_of(const struct store_res *r, const void *arg)
{
	const struct ramdb_polref *p = arg;

	return strcmp(ramdb_str(r->doc, "PolicyType"), p->type) == 0 &&
	    strcasecmp(ramdb_str(r->doc, "PolicyName"), p->name) == 0;
}

int
ramdb_policy_attachments(struct store *st, const char *account,
    const char *type, const char *name, struct store_res_list *out,
    size_t n[3])
{
	static const char *const types[3] = { "User", "Group", "Role" };
	struct ramdb_polref ref = { type, name };
	struct store_res_list l = { NULL, 0 };
	int r;

	if (out)
		memset(out, 0, sizeof(*out));
	if ((r = ramdb_children(st, account, RAMDB_ATTACH, NULL, &l)) < 0)
		return r;
	ramdb_filter(&l, ramdb_is_attach_of, &ref);
	for (int t = 0; n && t < 3; t++) {
		n[t] = 0;
		for (size_t i = 0; i < l.n; i++)
			if (strcmp(ramdb_str(l.v[i].doc, "TargetType"),
			    types[t]) == 0)
				n[t]++;
	}
	if (out)
		*out = l;
	else
		store_res_list_free(&l);
	return 0;
}

int
ramdb_policy_default_doc(struct store *st, const struct store_res *pol,
    char **text)
{
	const char *want = ramdb_str(pol->doc, "DefaultVersion");
	struct store_res_list l = { NULL, 0 };
	int r;

	*text = NULL;
	if ((r = ramdb_children(st, pol->account, RAMDB_POLVER, pol->id,
	    &l)) < 0)
		return r;
	r = -ERR_NOT_FOUND;
	for (size_t i = 0; i < l.n; i++)
		if (strcmp(ramdb_str(l.v[i].doc, "VersionId"), want) == 0) {
			*text = strdup(ramdb_str(l.v[i].doc, "PolicyDocument"));
			r = *text ? 0 : -ERR_NOMEM;
			break;
		}
	store_res_list_free(&l);
	return r;
}

/* Appends the document text of one attachment to docs. */
static int
ramdb_add_attached(struct store *st, const char *account,
    const struct store_res *att, json_t *docs)
{
	const char *type = ramdb_str(att->doc, "PolicyType");
	const char *name = ramdb_str(att->doc, "PolicyName");
	const struct pol_system *sys;
	struct store_res pol;
	char *text = NULL;
	int r;

	if (strcmp(type, "System") == 0) {
		if ((sys = ramdb_sys_find(name)) == NULL)
			return -ERR_INTERNAL;
		return json_array_append_new(docs,
		    json_string(sys->document)) == 0 ? 0 : -ERR_NOMEM;
	}
	if ((r = store_res_get(st, ramdb_str(att->doc, "PolicyId"), &pol)) < 0)
		return r == -ERR_NOT_FOUND ? -ERR_STORE : r;
	r = ramdb_policy_default_doc(st, &pol, &text);
	store_res_clear(&pol);
	if (r < 0)
		return r == -ERR_NOT_FOUND ? -ERR_STORE : r;
	r = json_array_append_new(docs, json_string(text)) == 0 ? 0 :
	    -ERR_NOMEM;
	free(text);
	return r;
}

/* Appends the documents of every policy attached to target_id. */
static int
ramdb_add_target(struct store *st, const char *account, const char *target_id,
    json_t *docs)
{
	struct store_res_list l = { NULL, 0 };
	int r;

	if ((r = ramdb_children(st, account, RAMDB_ATTACH, target_id, &l)) < 0)
		return r;
	for (size_t i = 0; i < l.n && r == 0; i++)
		r = ramdb_add_attached(st, account, &l.v[i], docs);
	store_res_list_free(&l);
	return r;
}

int
ramdb_principal_policies(struct store *st, const char *account,
    const char *principal, json_t **docs)
{
	struct store_res ent;
	struct store_res_list groups = { NULL, 0 };
	json_t *arr = NULL;
	int r, is_user = strncmp(principal, "user:", 5) == 0;

	*docs = NULL;
	memset(&ent, 0, sizeof(ent));
	if (!is_user && strncmp(principal, "role:", 5) != 0)
		return -ERR_INVALID_PARAMETER;
	if ((r = ramdb_find(st, account, is_user ? RAMDB_USER : RAMDB_ROLE,
	    principal + 5, &ent)) < 0)
		return r;
	if ((arr = json_array()) == NULL) {
		r = -ERR_NOMEM;
		goto out;
	}
	if ((r = ramdb_add_target(st, account, ent.id, arr)) < 0)
		goto out;
	if (is_user) {
		if ((r = ramdb_children(st, account, RAMDB_MEMBER, ent.id,
		    &groups)) < 0)
			goto out;
		for (size_t i = 0; i < groups.n && r == 0; i++)
			r = ramdb_add_target(st, account, ramdb_str(
			    groups.v[i].doc, "GroupId"), arr);
		if (r < 0)
			goto out;
	}
	*docs = arr;
	arr = NULL;
out:
	json_decref(arr);
	store_res_list_free(&groups);
	store_res_clear(&ent);
	return r;
}

int
ramdb_role_get(struct store *st, const char *account, const char *role_name,
    json_t **role_doc)
{
	struct store_res role;
	const json_t *d;
	int r;

	*role_doc = NULL;
	if ((r = ramdb_find(st, account, RAMDB_ROLE, role_name, &role)) < 0)
		return r;
	d = role.doc;
	*role_doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
	    "RoleId", role.id, "RoleName", ramdb_str(d, "RoleName"),
	    "Arn", ramdb_str(d, "Arn"),
	    "Description", ramdb_str(d, "Description"),
	    "AssumeRolePolicyDocument",
	    ramdb_str(d, "AssumeRolePolicyDocument"),
	    "MaxSessionDuration",
	    (json_int_t)json_integer_value(json_object_get(d,
	    "MaxSessionDuration")),
	    "CreateDate", ramdb_str(d, "CreateDate"),
	    "UpdateDate", ramdb_str(d, "UpdateDate"));
	store_res_clear(&role);
	return *role_doc ? 0 : -ERR_NOMEM;
}

int
ramdb_key_new(const char *account, const char *principal, int64_t now,
    struct store_key *out)
{
	int r;

	memset(out, 0, sizeof(*out));
	if (strlen(account) >= sizeof(out->account) ||
	    strlen(principal) >= sizeof(out->principal))
		return -ERR_INVALID_PARAMETER;
	snprintf(out->id, sizeof(out->id), "LTAI");
	if ((r = rnd_chars(RAMDB_ALNUM, 20, out->id + 4,
	    sizeof(out->id) - 4)) < 0 ||
	    (r = rnd_chars(RAMDB_ALNUM, 30, out->secret,
	    sizeof(out->secret))) < 0)
		return r;
	snprintf(out->account, sizeof(out->account), "%s", account);
	snprintf(out->principal, sizeof(out->principal), "%s", principal);
	snprintf(out->status, sizeof(out->status), "Active");
	out->created = now;
	return 0;
}

int
ramdb_key_drop(struct store *st, const char *akid)
{
	return store_key_del(st, akid);
}
