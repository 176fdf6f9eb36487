/*
 * fw_test: the firewall compiler (src/fw).
 *
 *  - Golden files tests/golden/fw/<name>.in.json -> <name>.nft, compared
 *    byte for byte: a desired state renders to the full-replace script; a
 *    file {"Old": …, "New": …} renders to the delta script. UPDATE_GOLDEN=1
 *    rewrites the .nft files (review the diff before committing).
 *  - On the real kernel, when run as root with nft and unshare(1) present
 *    (else skipped): every full script applies in a private network
 *    namespace, and for every delta, old + delta lists the same ruleset as
 *    new (listings compared with elements and objects sorted). Nothing
 *    touches the host's own namespace.
 *  - Properties: input order does not change the output; diff(x, x) is
 *    empty; port names and marks; overlap removal of run sets (random
 *    boxes: disjoint, same union, each point attributed to its first box);
 *    the input parser refuses malformed desired states.
 * The packet semantics (compiled chains vs src/sg/eng) are in fw_sim_test.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "fw/fw.h"
#include "fw/fw_int.h"
#include "lib/err.h"

#define GOLDEN_DIR "tests/golden/fw/"

static const char *const golden_names[] = {
	"vpc_seed", "shared_profile", "group_peers", "enterprise", "classic",
	"ipv6", "tcp25_open",
	"diff_none", "diff_member", "diff_rule", "diff_run_elem",
	"diff_eni_add", "diff_eni_remove", "diff_eni_stop", "diff_tcp25",
	"diff_run_reshape", "diff_vpc_v6",
	NULL,
};

/* ---- helpers -------------------------------------------------------- */

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct sb s = SB_INIT;
	char buf[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_addn(&s, buf, n);
	fclose(f);
	return sb_take(&s);
}

static void
spill(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static struct fw_ruleset *
compile_json(const json_t *j)
{
	const char *host = json_string_value(json_object_get(j, "HostId"));
	struct fw_input *in = NULL;
	struct fw_ruleset *rs = NULL;
	char detail[FW_DETAIL_MAX];
	int r;

	r = fw_input_from_json_detail(j, host ? host : "host-local", &in,
	    detail);
	if (r != 0)
		fail_msg("input refused: %s", detail);
	assert_int_equal(fw_compile(in, &rs), 0);
	fw_input_free(in);
	return rs;
}

static json_t *
load_golden(const char *name)
{
	char path[256];
	json_error_t e;
	json_t *j;

	snprintf(path, sizeof(path), GOLDEN_DIR "%s.in.json", name);
	j = json_load_file(path, 0, &e);
	if (j == NULL)
		fail_msg("%s: %s", path, e.text);
	return j;
}

/* The script a golden input stands for (caller frees). */
static char *
golden_script(const json_t *j)
{
	struct sb s = SB_INIT;

	if (json_object_get(j, "Old")) {
		struct fw_ruleset *a = compile_json(json_object_get(j, "Old"));
		struct fw_ruleset *b = compile_json(json_object_get(j, "New"));

		assert_int_equal(fw_diff(a, b, &s), 0);
		fw_ruleset_free(a);
		fw_ruleset_free(b);
	} else {
		struct fw_ruleset *a = compile_json(j);

		assert_int_equal(fw_render(a, &s), 0);
		fw_ruleset_free(a);
	}
	if (s.p == NULL)
		sb_adds(&s, "");
	return sb_take(&s);
}

/* ---- golden --------------------------------------------------------- */

static void
test_golden(void **state)
{
	const char *upd = getenv("UPDATE_GOLDEN");

	(void)state;
	for (size_t i = 0; golden_names[i]; i++) {
		json_t *j = load_golden(golden_names[i]);
		char *got = golden_script(j), *want, path[256];

		snprintf(path, sizeof(path), GOLDEN_DIR "%s.nft",
		    golden_names[i]);
		if (upd && strcmp(upd, "1") == 0)
			spill(path, got);
		want = slurp(path);
		if (want == NULL)
			fail_msg("%s missing (UPDATE_GOLDEN=1 creates it)", path);
		if (strcmp(got, want) != 0)
			fail_msg("%s differs from the compiler's output "
			    "(UPDATE_GOLDEN=1 to accept)", path);
		free(got);
		free(want);
		json_decref(j);
	}
}

/* What the golden diffs must (not) contain: the delta stays local. */
static void
test_golden_diff_shapes(void **state)
{
	json_t *j;
	char *s;

	(void)state;
	j = load_golden("diff_none");
	s = golden_script(j);
	assert_string_equal(s, "");
	free(s);
	json_decref(j);
	/* membership: element ops only */
	j = load_golden("diff_member");
	s = golden_script(j);
	assert_null(strstr(s, "chain"));
	assert_null(strstr(s, "delete"));
	assert_non_null(strstr(s, "add element inet sekisho g_sg-web_4"));
	free(s);
	json_decref(j);
	/* a rule added to a run set: one element */
	j = load_golden("diff_run_elem");
	s = golden_script(j);
	assert_null(strstr(s, "chain"));
	assert_non_null(strstr(s, "sgr-w443"));
	free(s);
	json_decref(j);
	/* a rule change: exactly one chain flushed, nothing else */
	j = load_golden("diff_rule");
	s = golden_script(j);
	assert_non_null(strstr(s, "flush chain"));
	assert_null(strstr(strstr(s, "flush chain") + 1, "flush chain"));
	assert_null(strstr(s, "element"));
	free(s);
	json_decref(j);
	/* ENI attached: map elements, new chains, no flush of others */
	j = load_golden("diff_eni_add");
	s = golden_script(j);
	assert_non_null(strstr(s, "add element inet sekisho sk_eg"));
	assert_non_null(strstr(s, "add element inet sekisho sk_in4"));
	assert_non_null(strstr(s, "add chain inet sekisho p_"));
	assert_null(strstr(s, "flush"));
	free(s);
	json_decref(j);
}

/* ---- the kernel (private namespace) ---------------------------------- */

static int
kernel_ok(void)
{
	static int ok = -1;

	if (ok < 0)
		ok = geteuid() == 0 &&
		    system("command -v nft >/dev/null 2>&1 && "
		    "unshare -n true >/dev/null 2>&1") == 0;
	return ok;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One listed object with its element list sorted ("a, b, c"). */
static char *
block_norm(const char *b)
{
	const char *e = strstr(b, "elements = {"), *end;
	char **it = NULL, *body;
	size_t n = 0;
	struct sb s = SB_INIT;

	if (e == NULL || (end = strchr(e, '}')) == NULL)
		return strdup(b);
	e += strlen("elements = {");
	body = strndup(e, (size_t)(end - e));
	for (char *save = NULL, *t = strtok_r(body, ",", &save); t;
	    t = strtok_r(NULL, ",", &save)) {
		size_t len;

		t += strspn(t, " \t\n");
		for (len = strlen(t); len && strchr(" \t\n", t[len - 1]); len--)
			;
		it = realloc(it, (n + 1) * sizeof(*it));
		it[n++] = strndup(t, len);
	}
	qsort(it, n, sizeof(*it), cmp_str);
	sb_addn(&s, b, (size_t)(e - b));
	for (size_t i = 0; i < n; i++) {
		sb_addf(&s, "%s%s", i ? ", " : " ", it[i]);
		free(it[i]);
	}
	sb_addf(&s, " %s", end);
	free(it);
	free(body);
	return sb_take(&s);
}

/*
 * A listing made comparable: objects sorted within their table, element
 * lists sorted (nft lists in creation order, which a delta changes).
 */
static char *
listing_norm(const char *text)
{
	char **blk = NULL, *copy = strdup(text), *save = NULL;
	size_t n = 0;
	struct sb cur = SB_INIT, out = SB_INIT;

	assert_non_null(copy);
	for (char *l = strtok_r(copy, "\n", &save); l;
	    l = strtok_r(NULL, "\n", &save)) {
		if (strcmp(l, "}") == 0) {
			qsort(blk, n, sizeof(*blk), cmp_str);
			for (size_t i = 0; i < n; i++) {
				sb_addf(&out, "%s\n", blk[i]);
				free(blk[i]);
			}
			n = 0;
		}
		if (l[0] != '\t' || strncmp(l, "\tcomment ", 9) == 0) {
			sb_addf(&out, "%s\n", l);	/* table level */
			continue;
		}
		sb_addf(&cur, "%s\n", l);
		if (strcmp(l, "\t}") == 0) {
			char *b = sb_take(&cur);

			blk = realloc(blk, (n + 1) * sizeof(*blk));
			blk[n++] = block_norm(b);
			free(b);
		}
	}
	free(blk);
	free(copy);
	sb_free(&cur);
	return sb_take(&out);
}

/* Runs sh -c cmd in a fresh network namespace; its stdout or NULL. */
static char *
in_netns(const char *script_a, const char *script_b, int list)
{
	char fa[] = "/tmp/fw_test_aXXXXXX", fb[] = "/tmp/fw_test_bXXXXXX";
	char cmd[512], *out = NULL, buf[4096];
	struct sb s = SB_INIT;
	FILE *p;
	int da = mkstemp(fa), db = mkstemp(fb), rc;

	assert_true(da >= 0 && db >= 0);
	assert_int_equal(write(da, script_a, strlen(script_a)),
	    (ssize_t)strlen(script_a));
	assert_int_equal(write(db, script_b, strlen(script_b)),
	    (ssize_t)strlen(script_b));
	close(da);
	close(db);
	snprintf(cmd, sizeof(cmd), "unshare -n sh -c 'nft -f %s && nft -f %s"
	    "%s' 2>&1", fa, fb, list ? " && nft list ruleset" : "");
	if ((p = popen(cmd, "r")) != NULL) {
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
			sb_addn(&s, buf, n);
		rc = pclose(p);
		out = sb_take(&s);
		if (rc != 0) {
			print_error("nft failed: %s\n", out);
			free(out);
			out = NULL;
		}
	}
	unlink(fa);
	unlink(fb);
	return out;
}

static void
test_kernel_apply(void **state)
{
	(void)state;
	if (!kernel_ok())
		skip();
	for (size_t i = 0; golden_names[i]; i++) {
		json_t *j = load_golden(golden_names[i]);
		struct sb full_old = SB_INIT, full_new = SB_INIT;
		struct fw_ruleset *a, *b;
		char *delta, *got, *want, *ng, *nw;

		if (!json_object_get(j, "Old")) {
			struct fw_ruleset none = { NULL, 0 };
			struct sb from0 = SB_INIT;

			a = compile_json(j);
			assert_int_equal(fw_render(a, &full_old), 0);
			/* twice: the replace works over existing tables */
			got = in_netns(full_old.p, full_old.p, 1);
			/* a delta from empty tables builds the same thing */
			assert_int_equal(fw_diff(&none, a, &from0), 0);
			want = in_netns("add table bridge " FW_TABLE_PORT "\n"
			    "add table inet " FW_TABLE_SG "\n", from0.p, 1);
			if (got == NULL || want == NULL)
				fail_msg("%s: script refused", golden_names[i]);
			ng = listing_norm(got);
			nw = listing_norm(want);
			/* the table comment comes only with the full script */
			if (strstr(ng, "comment \"" FW_SCHEMA "\"\n") == NULL)
				fail_msg("%s: no schema comment", golden_names[i]);
			{
				char *c;

				while ((c = strstr(ng, "\tcomment \"" FW_SCHEMA
				    "\"\n")) != NULL)
					memmove(c, c + strlen("\tcomment \""
					    FW_SCHEMA "\"\n"), strlen(c) -
					    strlen("\tcomment \"" FW_SCHEMA
					    "\"\n") + 1);
			}
			if (strcmp(ng, nw) != 0)
				fail_msg("%s: diff from empty != full\n%s\n----"
				    "\n%s", golden_names[i], nw, ng);
			free(ng);
			free(nw);
			free(got);
			free(want);
			fw_ruleset_free(a);
			sb_free(&full_old);
			sb_free(&from0);
			json_decref(j);
			continue;
		}
		a = compile_json(json_object_get(j, "Old"));
		b = compile_json(json_object_get(j, "New"));
		assert_int_equal(fw_render(a, &full_old), 0);
		assert_int_equal(fw_render(b, &full_new), 0);
		delta = golden_script(j);
		got = in_netns(full_old.p, delta[0] ? delta : "\n", 1);
		want = in_netns(full_new.p, "\n", 1);
		if (got == NULL || want == NULL)
			fail_msg("%s: delta refused by the kernel",
			    golden_names[i]);
		ng = listing_norm(got);
		nw = listing_norm(want);
		if (strcmp(ng, nw) != 0)
			fail_msg("%s: old + delta != new\n%s\n----\n%s",
			    golden_names[i], ng, nw);
		free(ng);
		free(nw);
		free(got);
		free(want);
		free(delta);
		sb_free(&full_old);
		sb_free(&full_new);
		fw_ruleset_free(a);
		fw_ruleset_free(b);
		json_decref(j);
	}
}

/* ---- properties ------------------------------------------------------- */

static void
reverse_array(json_t *a)
{
	size_t n = json_array_size(a);

	for (size_t i = 0; i < n / 2; i++) {
		json_t *x = json_incref(json_array_get(a, i));
		json_t *y = json_incref(json_array_get(a, n - 1 - i));

		json_array_set_new(a, i, y);
		json_array_set_new(a, n - 1 - i, x);
	}
}

/* Same desired state, every list reversed: the same bytes out. */
static void
test_order_independent(void **state)
{
	(void)state;
	for (size_t i = 0; golden_names[i]; i++) {
		json_t *j = load_golden(golden_names[i]), *r, *v;
		struct fw_ruleset *a, *b;
		struct sb sa = SB_INIT, sbb = SB_INIT, d = SB_INIT;
		size_t k;

		if (json_object_get(j, "Old")) {
			json_decref(j);
			continue;
		}
		r = json_deep_copy(j);
		reverse_array(json_object_get(r, "Vpcs"));
		reverse_array(json_object_get(r, "VSwitches"));
		reverse_array(json_object_get(r, "Groups"));
		reverse_array(json_object_get(r, "NetworkInterfaces"));
		json_array_foreach(json_object_get(r, "Groups"), k, v)
			reverse_array(json_object_get(v, "Rules"));
		json_array_foreach(json_object_get(r, "NetworkInterfaces"), k, v)
			reverse_array(json_object_get(v, "SecurityGroupIds"));
		a = compile_json(j);
		b = compile_json(r);
		assert_int_equal(fw_render(a, &sa), 0);
		assert_int_equal(fw_render(b, &sbb), 0);
		assert_string_equal(sa.p, sbb.p);
		assert_int_equal(fw_diff(a, b, &d), 0);
		assert_int_equal(d.len, 0);		/* diff(x, x) is empty */
		for (size_t o = 0; o < a->nobj; o++)
			assert_true(a->obj[o].hash == b->obj[o].hash);
		sb_free(&sa);
		sb_free(&sbb);
		fw_ruleset_free(a);
		fw_ruleset_free(b);
		json_decref(r);
		json_decref(j);
	}
}

static struct fw_input *
input_of(const char *name)
{
	json_t *j = load_golden(name);
	struct fw_input *in = NULL;

	assert_int_equal(fw_input_from_json(j, "host-local", &in), 0);
	json_decref(j);
	return in;
}

static void
test_ports(void **state)
{
	struct fw_input *in = input_of("shared_profile");
	const struct fw_port *p;
	char want[FW_IFNAME_MAX];

	(void)state;
	assert_int_equal(in->nports, 3);	/* s1, s2, s3 (stopped) */
	for (size_t i = 0; i < in->nports; i++) {
		p = &in->ports[i];
		assert_true(p->mark != 0);
		snprintf(want, sizeof(want), "ske%08x", (unsigned)p->mark);
		assert_string_equal(p->name, want);
		assert_string_equal(p->bridge, "skv1");
		assert_int_equal(p->zone, 1);
		for (size_t k = 0; k < i; k++)
			assert_true(in->ports[k].mark != p->mark);
	}
	assert_non_null(p = fw_port_find(in, "eni-s3", RULE_NIC_INTRANET));
	assert_int_equal(p->up, 0);
	assert_non_null(p = fw_port_find(in, "eni-s1", RULE_NIC_INTRANET));
	assert_int_equal(p->up, 1);
	snprintf(want, sizeof(want), "%s", p->name);
	assert_null(fw_port_find(in, "eni-r1", RULE_NIC_INTRANET));
	assert_null(fw_port_find(in, "eni-s1", RULE_NIC_INTERNET));
	fw_input_free(in);
	/* names depend on the ENI id only */
	in = input_of("group_peers");
	assert_null(fw_port_find(in, "eni-s1", RULE_NIC_INTRANET));
	fw_input_free(in);
	in = input_of("vpc_seed");
	assert_string_equal(in->ports[0].name, "skea14eea0f");
	fw_input_free(in);
	/* classic: two ports; the internet one on skinet, LA-bit MAC */
	in = input_of("classic");
	assert_non_null(p = fw_port_find(in, "eni-c1", RULE_NIC_INTERNET));
	assert_string_equal(p->bridge, FW_BR_INET);
	assert_int_equal(p->zone, FW_ZONE_INET);
	assert_int_equal(p->mac[0], 0x02);
	assert_non_null(p = fw_port_find(in, "eni-c1", RULE_NIC_INTRANET));
	assert_string_equal(p->bridge, FW_BR_CLASSIC);
	assert_int_equal(p->zone, FW_ZONE_CLASSIC);
	assert_int_equal(p->mac[0], 0x00);
	assert_null(fw_port_find(in, "eni-c2", RULE_NIC_INTERNET));
	fw_input_free(in);
	/* external driver: the host interface is the port */
	in = input_of("tcp25_open");
	assert_non_null(p = fw_port_find(in, "eni-o1", RULE_NIC_INTRANET));
	assert_string_equal(p->name, "tap-o1");
	assert_int_equal(in->tcp25_open, 1);
	fw_input_free(in);
}

/* ---- run-set boxes ---------------------------------------------------- */

static uint64_t
rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int
box_has(const struct fw_box *b, unsigned a, unsigned pr, unsigned po)
{
	struct cidr c;

	memset(&c, 0, sizeof(c));
	c.family = CIDR_V4;
	c.len = 32;
	c.addr[0] = 10;
	c.addr[3] = (uint8_t)a;
	return cidr_contains(&b->pfx, &c) && pr >= b->plo && pr <= b->phi &&
	    po >= b->lo && po <= b->hi;
}

static void
test_boxes(void **state)
{
	static const char *const ids[] = { "r0", "r1", "r2", "r3", "r4", "r5",
	    "r6", "r7" };
	uint64_t seed = 42;

	(void)state;
	for (int iter = 0; iter < 300; iter++) {
		struct fw_box orig[8];
		struct fw_boxes l = { NULL, 0, 0 };
		size_t n = 1 + rnd(&seed) % 8;

		for (size_t i = 0; i < n; i++) {
			struct fw_box *b = &orig[i];
			unsigned x = rnd(&seed) % 8, y = rnd(&seed) % 8;

			memset(b, 0, sizeof(*b));
			b->pfx.family = CIDR_V4;
			b->pfx.addr[0] = 10;
			b->pfx.addr[3] = (uint8_t)(rnd(&seed) % 16);
			b->pfx.len = (uint8_t)(rnd(&seed) % 6 == 0 ? 8 :
			    28 + rnd(&seed) % 5);
			cidr_mask(&b->pfx);
			b->plo = (uint8_t)(x < y ? x : y);
			b->phi = (uint8_t)(x < y ? y : x);
			x = rnd(&seed) % 16;
			y = rnd(&seed) % 16;
			b->lo = (uint16_t)(x < y ? x : y);
			b->hi = (uint16_t)(x < y ? y : x);
			b->rule_id = ids[i];
			assert_int_equal(fw_boxes_add(&l, b), 0);
		}
		for (unsigned a = 0; a < 16; a++)
			for (unsigned pr = 0; pr < 8; pr++)
				for (unsigned po = 0; po < 16; po++) {
					const char *first = NULL, *got = NULL;
					int hits = 0;

					for (size_t i = 0; i < n && !first; i++)
						if (box_has(&orig[i], a, pr, po))
							first = orig[i].rule_id;
					for (size_t i = 0; i < l.n; i++)
						if (box_has(&l.v[i], a, pr, po)) {
							hits++;
							got = l.v[i].rule_id;
						}
					assert_int_equal(hits, first ? 1 : 0);
					if (first)
						assert_string_equal(got, first);
				}
		fw_boxes_free(&l);
	}
}

/* ---- the input boundary ----------------------------------------------- */

static json_t *
jpath(json_t *root, const char *arr, size_t i)
{
	return json_array_get(json_object_get(root, arr), i);
}

static void
mutate(json_t *d, int k)
{
	json_t *eni = jpath(d, "NetworkInterfaces", 0);
	json_t *grp = jpath(d, "Groups", 0), *vpc = jpath(d, "Vpcs", 0);
	json_t *rule = json_array_get(json_object_get(grp, "Rules"), 0);

	switch (k) {
	case 0: json_object_set_new(vpc, "ZoneId", json_integer(0)); break;
	case 1: json_array_append_new(json_object_get(d, "Vpcs"), json_pack(
	    "{s:s,s:s,s:i}", "VpcId", "vpc-b", "CidrBlock", "10.0.0.0/8",
	    "ZoneId", 1)); break;
	case 2: json_object_set_new(grp, "SecurityGroupId",
	    json_string("sg-x\" accept")); break;
	case 3: json_object_set_new(eni, "MacAddress",
	    json_string("00:16:3e:00:00")); break;
	case 4: json_object_set_new(eni, "MacAddress",
	    json_string("01:00:5e:00:00:01")); break;
	case 5: json_object_set_new(eni, "SecurityGroupIds",
	    json_pack("[s]", "sg-missing")); break;
	case 6: json_object_set_new(eni, "PrivateIpAddress",
	    json_string("192.168.1.300")); break;
	case 7: json_object_set_new(eni, "VpcId", json_string("vpc-x")); break;
	case 8: json_object_set_new(jpath(d, "VSwitches", 0), "CidrBlock",
	    json_string("10.0.0.0/24")); break;
	case 9: json_object_set_new(eni, "Driver", json_string("external"));
	    break;
	case 10: json_array_append(json_object_get(d, "NetworkInterfaces"),
	    eni); break;
	case 11: json_object_set_new(d, "Revision", json_integer(-1)); break;
	case 12: json_object_set_new(rule, "Priority", json_integer(0)); break;
	case 13: json_object_set_new(rule, "IpProtocol", json_string("FOO"));
	    break;
	case 14: json_object_set_new(grp, "Rules", json_object()); break;
	case 15: json_object_set_new(eni, "Ipv6Addresses",
	    json_pack("[s]", "192.168.1.9")); break;
	case 16: {
		json_t *e2 = json_deep_copy(eni);

		json_object_set_new(e2, "NetworkInterfaceId",
		    json_string("eni-dup-ip"));
		json_array_append_new(json_object_get(d, "NetworkInterfaces"),
		    e2);
		break;
	}
	case 17: json_object_set_new(eni, "Driver", json_string("external"));
	    json_object_set_new(eni, "HostInterface",
	    json_string("ske12345678")); break;
	case 18: json_object_set_new(eni, "SecurityGroupIds",
	    json_pack("[s,s]", "sg-seed", "sg-seed")); break;
	case 19: json_object_set_new(grp, "OwnerId",
	    json_stringn("10\0001", 4)); break;
	case 20: json_object_set_new(d, "Operator",
	    json_pack("{s:s}", "Tcp25Open", "yes")); break;
	case 21: json_object_set_new(eni, "Running", json_integer(1)); break;
	case 22: json_object_set_new(eni, "HostInterface",
	    json_string("a-very-long-interface")); break;
	case 23: json_object_set_new(eni, "Type", json_string("Tertiary"));
	    break;
	case 24: json_object_set_new(vpc, "Ipv6CidrBlock",
	    json_string("2001:db8::1/64")); break;	/* not aligned */
	case 25: json_object_set_new(rule, "SecurityGroupRuleId",
	    json_string("")); break;
	case 26: json_object_set_new(d, "Groups", json_string("x")); break;
	case 27: json_object_set_new(jpath(d, "VSwitches", 0), "GatewayIp",
	    json_string("192.168.2.1")); break;
	}
}

#define MUTATIONS 28

static void
test_input_refused(void **state)
{
	json_t *base = load_golden("vpc_seed");
	struct fw_input *in = NULL;
	char detail[FW_DETAIL_MAX];

	(void)state;
	assert_int_equal(fw_input_from_json(base, "host-local", &in), 0);
	fw_input_free(in);
	for (int k = 0; k < MUTATIONS; k++) {
		json_t *d = json_deep_copy(base);

		mutate(d, k);
		in = (struct fw_input *)1;
		if (fw_input_from_json_detail(d, "host-local", &in, detail) !=
		    -ERR_INVALID_PARAMETER)
			fail_msg("mutation %d accepted", k);
		assert_null(in);
		assert_true(detail[0] != '\0');
		json_decref(d);
	}
	{
		json_t *arr = json_array();

		in = (struct fw_input *)1;
		assert_int_equal(fw_input_from_json(arr, "h", &in),
		    -ERR_INVALID_PARAMETER);
		assert_null(in);
		json_decref(arr);
	}
	/* a bad host id; an empty desired state is fine */
	assert_int_equal(fw_input_from_json(base, "h\"x", &in),
	    -ERR_INVALID_PARAMETER);
	{
		json_t *empty = json_object();

		assert_int_equal(fw_input_from_json(empty, "h", &in), 0);
		assert_int_equal(in->nenis + in->nports + in->ngroups, 0);
		fw_input_free(in);
		json_decref(empty);
	}
	json_decref(base);
}

/* fw_input_eng: the engine sees the same world (seed scenarios). */
static void
test_engine_load(void **state)
{
	struct fw_input *in = input_of("vpc_seed");
	struct eng_model *m = NULL;
	struct eng_flow f;
	struct eng_result res;

	(void)state;
	assert_int_equal(eng_model_new(&m), 0);
	assert_int_equal(fw_input_eng(in, m), 0);
	assert_int_equal(eng_compile(m), 0);
	assert_int_equal(eng_flow_parse("tcp/22 src=203.0.113.5 "
	    "dst=192.168.1.1 to=eni-a1", &f), 0);
	assert_int_equal(eng_decide(m, &f, &res), 0);
	assert_true(res.accept);
	assert_string_equal(res.ingress.item.rule->id, "sgr-ssh");
	assert_int_equal(eng_flow_parse("tcp/22 src=203.0.113.6 "
	    "dst=192.168.1.1 to=eni-a1", &f), 0);
	assert_int_equal(eng_decide(m, &f, &res), 0);
	assert_false(res.accept);
	assert_int_equal(eng_flow_parse("udp/53 src=192.168.1.1 "
	    "dst=8.8.8.8 from=eni-a1", &f), 0);
	assert_int_equal(eng_decide(m, &f, &res), 0);
	assert_false(res.accept);
	assert_string_equal(res.egress.item.rule->id, "sgr-drop-all");
	eng_model_free(m);
	fw_input_free(in);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden),
		cmocka_unit_test(test_golden_diff_shapes),
		cmocka_unit_test(test_kernel_apply),
		cmocka_unit_test(test_order_independent),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_boxes),
		cmocka_unit_test(test_input_refused),
		cmocka_unit_test(test_engine_load),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
