/*
 * rule_fuzz: security-group rule parameter parsing (src/sg/rule_parse.c)
 * and the compiler it feeds (src/sg/rule.c).
 *
 * Input: a query string / form body, decoded with prm_parse, then read as
 * the rules of an Authorize or Revoke request (Permissions.N.* or the flat
 * form) for each direction and each kind of group (VPC basic, classic,
 * enterprise). The first input byte picks nothing: every combination runs.
 * Checks, besides ASan/UBSan:
 *   - a refusal is a 4xx catalogue error with a NUL-terminated detail;
 *   - an accepted rule has every Permission field as a string and an
 *     integer Priority, always compiles (rule_compile), and has a key;
 *   - round trip: the stored fields, sent again as flat parameters, parse
 *     to a rule with the same identity key (what revoke-by-content and
 *     "authorize adds nothing twice" rely on).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/err.h"
#include "lib/prm.h"
#include "sg/rule.h"
#include "sg/rule_parse.h"

static const struct rparse_group rule_fuzz_groups[] = {
	{ "sg-self", "1000", 1, 0 },
	{ "sg-self", "1000", 0, 0 },
	{ "sg-self", "1000", 1, 1 },
};

/* Request names of the stored fields (doc name = request name). */
static const char *const rule_fuzz_fields[] = {
	"IpProtocol", "PortRange", "SourcePortRange", "NicType", "Policy",
	"Description", "SourceCidrIp", "DestCidrIp", "Ipv6SourceCidrIp",
	"Ipv6DestCidrIp", "SourceGroupId", "DestGroupId",
	"SourceGroupOwnerAccount", "DestGroupOwnerAccount",
	"SourcePrefixListId", "DestPrefixListId", NULL,
};

static void
rule_fuzz_roundtrip(const json_t *doc, enum rule_dir dir,
    const struct rparse_group *g, unsigned mode, const char *key)
{
	struct prm_list p;
	char prio[32], detail[RPARSE_DETAIL], key2[RPARSE_KEY_MAX];
	json_t *again = NULL;

	prm_init(&p);
	for (int i = 0; rule_fuzz_fields[i]; i++) {
		const char *v = rparse_str(doc, rule_fuzz_fields[i]);

		if (prm_add(&p, rule_fuzz_fields[i],
		    strlen(rule_fuzz_fields[i]), v, strlen(v)) != 0)
			abort();
	}
	snprintf(prio, sizeof(prio), "%lld", (long long)json_integer_value(
	    json_object_get(doc, "Priority")));
	if (prm_add(&p, "Priority", 8, prio, strlen(prio)) != 0)
		abort();
	if (rparse_rule(&p, "", dir, g, mode, &again, detail) != 0)
		abort();	/* what we stored, we must accept again */
	if (rparse_key(again, g->account, key2, sizeof(key2)) != 0 ||
	    strcmp(key, key2) != 0)
		abort();
	json_decref(again);
	prm_free(&p);
}

static void
rule_fuzz_check(const json_t *doc, enum rule_dir dir,
    const struct rparse_group *g, unsigned mode)
{
	struct rule r;
	char key[RPARSE_KEY_MAX];
	json_t *v;
	const char *k;

	json_object_foreach((json_t *)doc, k, v)
		if (!json_is_string(v) && strcmp(k, "Priority") != 0)
			abort();
	if (!json_is_integer(json_object_get(doc, "Priority")))
		abort();
	if (rule_compile(doc, &r) != 0 || r.dir != dir)
		abort();
	if (rparse_key(doc, g->account, key, sizeof(key)) != 0)
		abort();
	rule_fuzz_roundtrip(doc, dir, g, mode, key);
}

static void
rule_fuzz_one(const struct prm_list *p, enum rule_dir dir,
    const struct rparse_group *g, unsigned mode)
{
	int idx[RPARSE_MAX_PERMISSIONS], flat, r;
	size_t n, count;
	char prefix[32] = "", detail[RPARSE_DETAIL];

	r = rparse_form(p, dir, idx, RPARSE_MAX_PERMISSIONS, &n, &flat);
	if (r < 0) {
		if (r != -ERR_SGR_PERMISSIONS_CONFLICT)
			abort();
		return;
	}
	count = n ? n : 1;
	for (size_t i = 0; i < count; i++) {
		json_t *doc = NULL;

		if (n)
			snprintf(prefix, sizeof(prefix), "Permissions.%d.",
			    idx[i]);
		memset(detail, 'x', sizeof(detail));
		r = rparse_rule(p, prefix, dir, g, mode, &doc, detail);
		if (r < 0) {
			if (doc != NULL || err_status(r) < 400 ||
			    err_status(r) >= 500 ||
			    memchr(detail, '\0', sizeof(detail)) == NULL)
				abort();
			continue;
		}
		rule_fuzz_check(doc, dir, g, mode);
		json_decref(doc);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct prm_list p;

	prm_init(&p);
	if (prm_parse(&p, (const char *)data, size) == 0) {
		for (size_t g = 0; g < 3; g++)
			for (int d = RULE_INGRESS; d <= RULE_EGRESS; d++) {
				rule_fuzz_one(&p, d, &rule_fuzz_groups[g],
				    RPARSE_AUTHORIZE);
				rule_fuzz_one(&p, d, &rule_fuzz_groups[g],
				    RPARSE_MATCH);
			}
	}
	prm_free(&p);
	return 0;
}
