/*
 * nftel_test: the agent's element encoder (src/agent/nftel_enc.c), pure
 * parts only: element lines -> key bytes, inclusive ends, data, verdicts,
 * comments; the netlink elements of rbtree ranges; refusals. The kernel
 * side (the same changes made with libnftables give the same tables) is
 * tests/e2e/nftel_check.c, which needs root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <linux/netfilter/nf_tables.h>

#include "agent/nftel_int.h"
#include "fw/fw.h"
#include "lib/err.h"

/* Parses lines (as adds) under decl into *p; returns nftel_parse's result. */
static int
parse(const char *decl, const char *const *lines, size_t n,
    struct nftel_parsed *p, struct sb *err)
{
	struct nftel_change c = { FW_T_SG, "s1", decl, NULL, 0, lines, n };

	memset(p, 0, sizeof(*p));
	return nftel_parse(&c, p, err);
}

static void
parsed_free(struct nftel_parsed *p)
{
	free(p->add);
	free(p->del);
}

static void
test_rbtree(void **state)
{
	const char *lines[] = { "10.0.0.0/8", "0.0.0.0/0", "192.168.1.1" };
	static const uint8_t start[4] = { 10, 0, 0, 0 };
	static const uint8_t last[4] = { 10, 255, 255, 255 };
	static const uint8_t after[4] = { 11, 0, 0, 0 };
	struct nftel_parsed p;
	struct nftel_out *o = NULL;
	size_t n = 0, ends = 0;

	(void)state;
	assert_int_equal(parse("type ipv4_addr\nflags interval", lines, 1, &p,
	    NULL), 0);
	assert_int_equal(p.d.kind, NK_RBTREE);
	assert_int_equal(p.d.klen, 4);
	assert_memory_equal(p.add[0].key, start, 4);
	assert_memory_equal(p.add[0].end, last, 4);
	/* A start element and an end element at last + 1. */
	assert_int_equal(nftel_outs(&p.d, p.add, 1, &o, &n), 0);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++)
		if (o[i].end) {
			ends++;
			assert_memory_equal(o[i].key, after, 4);
		} else {
			assert_memory_equal(o[i].key, start, 4);
		}
	assert_int_equal(ends, 1);
	free(o);
	parsed_free(&p);
	/* The whole space has no end element (it would wrap to 0). */
	assert_int_equal(parse("type ipv4_addr\nflags interval", lines + 1, 1,
	    &p, NULL), 0);
	assert_int_equal(nftel_outs(&p.d, p.add, 1, &o, &n), 0);
	assert_int_equal(n, 1);
	assert_false(o[0].end);
	free(o);
	parsed_free(&p);
}

static void
test_pipapo(void **state)
{
	const char *lines[] = {
		"10.0.0.0/8 . tcp . 1000-2000",
		"203.0.113.5 . udp . 53 comment \"sgr-dns\"",
	};
	static const uint8_t key[12] = { 10, 0, 0, 0, 6, 0, 0, 0,
	    0x03, 0xe8, 0, 0 };
	static const uint8_t end[12] = { 10, 255, 255, 255, 6, 0, 0, 0,
	    0x07, 0xd0, 0, 0 };
	struct nftel_parsed p;

	(void)state;
	assert_int_equal(parse("type ipv4_addr . inet_proto . inet_service\n"
	    "flags interval", lines, 2, &p, NULL), 0);
	assert_int_equal(p.d.kind, NK_PIPAPO);
	assert_int_equal(p.d.klen, 12);
	assert_memory_equal(p.add[0].key, key, 12);
	assert_memory_equal(p.add[0].end, end, 12);
	/* One value: the end is the value itself; the comment is kept. */
	assert_memory_equal(p.add[1].key, p.add[1].end, 12);
	assert_int_equal(p.add[1].key[4], 17);
	assert_int_equal(p.add[1].commentlen, 7);
	assert_memory_equal(p.add[1].comment, "sgr-dns", 7);
	parsed_free(&p);
}

static void
test_maps(void **state)
{
	const char *vmap[] = { "\"skv1\" . 192.168.1.1 : jump p_ab12_in" };
	const char *mark[] = { "\"skea17db119\" : 0xa17db119" };
	const char *zone[] = { "\"skv1\" : 7" };
	uint8_t ifname[16] = "skv1";
	uint32_t m = 0xa17db119;
	uint16_t z = 7;
	struct nftel_parsed p;

	(void)state;
	assert_int_equal(parse("type ifname . ipv4_addr : verdict", vmap, 1,
	    &p, NULL), 0);
	assert_true(p.d.map);
	assert_int_equal(p.d.klen, 20);
	assert_memory_equal(p.add[0].key, ifname, 16);
	assert_int_equal(p.add[0].key[16], 192);
	assert_int_equal(p.add[0].verdict, NFT_JUMP);
	assert_int_equal(p.add[0].chainlen, 9);
	assert_memory_equal(p.add[0].chain, "p_ab12_in", 9);
	parsed_free(&p);
	/* mark and ct zone are host-order numbers. */
	assert_int_equal(parse("type ifname : mark", mark, 1, &p, NULL), 0);
	assert_int_equal(p.add[0].dlen, 4);
	assert_memory_equal(p.add[0].data, &m, 4);
	parsed_free(&p);
	assert_int_equal(parse("typeof iifname : ct zone", zone, 1, &p, NULL),
	    0);
	assert_int_equal(p.add[0].dlen, 2);
	assert_memory_equal(p.add[0].data, &z, 2);
	parsed_free(&p);
}

/* What cannot be encoded is refused before anything is built, and the
 * reason names the set and the line. */
static void
test_refusals(void **state)
{
	static const char *const bad[][2] = {
		{ "type ipv4_addr\nflags interval", "10.0.0.0/33" },
		{ "type ipv4_addr", "300.1.2.3" },
		{ "type ipv4_addr . inet_service", "10.0.0.1 . 70000" },
		{ "type ifname : verdict", "\"x\" : jump" },
		{ "type ifname", "\"0123456789abcdefX\"" },
		{ "type frobnicator", "1" },
		{ "type ipv4_addr\nflags interval", "10.0.0.9-10.0.0.1" },
	};
	struct nftel_parsed p;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sb err = SB_INIT;
		const char *line = bad[i][1];

		assert_int_equal(parse(bad[i][0], &line, 1, &p, &err),
		    -ERR_INVALID_PARAMETER);
		assert_non_null(strstr(sb_str(&err), "s1"));
		sb_free(&err);
		parsed_free(&p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rbtree),
		cmocka_unit_test(test_pipapo),
		cmocka_unit_test(test_maps),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
