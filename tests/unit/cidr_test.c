/*
 * cidr_test: the CIDR module — strict parsing (every malformed shape we
 * could think of), canonical output (RFC 5952), prefix relations at the
 * boundaries (/0, /32, /128), address arithmetic and the vSwitch address
 * plan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cidr.h"
#include "lib/err.h"

static struct cidr
P(const char *s)
{
	struct cidr c;

	if (cidr_parse_any(s, &c) < 0)
		fail_msg("cannot parse %s", s);
	return c;
}

static const char *
F(const struct cidr *c)
{
	static char buf[4][CIDR_STR_MAX];
	static int i;

	i = (i + 1) % 4;
	assert_int_equal(cidr_format(c, buf[i], sizeof(buf[i])), 0);
	return buf[i];
}

/* Parses s as a prefix and prints it back. */
static void
roundtrip(const char *s, const char *want)
{
	struct cidr c;

	if (cidr_parse(s, &c) < 0)
		fail_msg("cannot parse %s", s);
	assert_string_equal(F(&c), want);
}

static void
test_parse_v4(void **state)
{
	struct cidr c;

	(void)state;
	assert_int_equal(cidr_parse("10.1.2.3/8", &c), 0);
	assert_int_equal(c.family, CIDR_V4);
	assert_int_equal(c.len, 8);
	assert_memory_equal(c.addr, "\x0a\x01\x02\x03", 4);
	for (int i = 4; i < 16; i++)
		assert_int_equal(c.addr[i], 0);
	roundtrip("0.0.0.0/0", "0.0.0.0/0");
	roundtrip("255.255.255.255/32", "255.255.255.255/32");
	roundtrip("192.168.0.0/16", "192.168.0.0/16");
	roundtrip("0.0.0.0/32", "0.0.0.0/32");

	assert_int_equal(cidr_parse_addr("1.2.3.4", &c), 0);
	assert_int_equal(c.len, 32);
	assert_int_equal(cidr_parse_any("1.2.3.4", &c), 0);
	assert_int_equal(c.len, 32);
	assert_int_equal(cidr_parse_any("1.2.3.4/24", &c), 0);
	assert_int_equal(c.len, 24);
}

static void
test_parse_v4_malformed(void **state)
{
	static const char *const bad[] = {
		"", "/", "/8", "10.0.0.0/", "10.0.0.0//8", "10.0.0.0/33",
		"10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/08", "10.0.0.0/8 ",
		" 10.0.0.0/8", "10.0.0.0/8x", "10.0.0.0 /8", "10.0.0/8",
		"10.0.0.0.0/8", "10..0.0/8", ".10.0.0.0/8", "10.0.0.0./8",
		"256.0.0.0/8", "10.0.0.256/32", "1000.0.0.0/8", "010.1.1.1/32",
		"10.01.0.0/16", "00.0.0.0/0", "0x0a.0.0.0/8", "a.b.c.d/8",
		"10.0.0.0/8/8", "10.0.0.0/1000", "10.0.0.0/4294967304",
		"10.0.0.0\t/8", "-1.0.0.0/8", "1.2.3.4%eth0/32",
		"１.2.3.4/32",
	};
	struct cidr c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cidr_parse(bad[i], &c) != -ERR_CIDR_MALFORMED)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(c.family, 0);
		assert_int_equal(cidr_parse_any(bad[i], &c), -ERR_CIDR_MALFORMED);
	}
	/* Form checks. */
	assert_int_equal(cidr_parse("10.0.0.1", &c), -ERR_CIDR_MALFORMED);
	assert_int_equal(cidr_parse_addr("10.0.0.1/32", &c), -ERR_CIDR_MALFORMED);
	assert_int_equal(cidr_parse_addr("010.0.0.1", &c), -ERR_CIDR_MALFORMED);
}

static void
test_parse_v6(void **state)
{
	struct cidr c;

	(void)state;
	assert_int_equal(cidr_parse("2001:db8::/32", &c), 0);
	assert_int_equal(c.family, CIDR_V6);
	assert_int_equal(c.len, 32);
	assert_memory_equal(c.addr, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\0",
	    16);
	roundtrip("::/0", "::/0");
	roundtrip("::/128", "::/128");
	roundtrip("::1/128", "::1/128");
	roundtrip("1::/16", "1::/16");
	roundtrip("1:2:3:4:5:6:7::/128", "1:2:3:4:5:6:7:0/128");
	roundtrip("::2:3:4:5:6:7:8/128", "0:2:3:4:5:6:7:8/128");
	roundtrip("2001:0DB8:0000:0000:0000:0000:0000:0001/128",
	    "2001:db8::1/128");
	roundtrip("2001:db8:0:0:1:0:0:1/128", "2001:db8::1:0:0:1/128");
	roundtrip("2001:db8:0:1:0:0:0:1/128", "2001:db8:0:1::1/128");
	roundtrip("2001:db8:0:1:1:1:1:1/128", "2001:db8:0:1:1:1:1:1/128");
	roundtrip("fe80:0:0:0:1::/64", "fe80::1:0:0:0/64"); /* tie: first */
	roundtrip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128",
	    "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128");
	roundtrip("::ffff:10.0.0.1/128", "::ffff:10.0.0.1/128");
	roundtrip("::ffff:a00:1/128", "::ffff:10.0.0.1/128");
	roundtrip("::10.0.0.1/128", "::a00:1/128");
	roundtrip("64:ff9b::192.0.2.33/96", "64:ff9b::c000:221/96");
	roundtrip("1:2:3:4:5:6:1.2.3.4/128", "1:2:3:4:5:6:102:304/128");
	roundtrip("2408:4004:0:6a00::/56", "2408:4004:0:6a00::/56");

	assert_int_equal(cidr_parse_addr("fe80::1", &c), 0);
	assert_int_equal(c.len, 128);
	assert_int_equal(cidr_parse_any("2001:db8::/48", &c), 0);
	assert_int_equal(c.len, 48);
}

static void
test_parse_v6_malformed(void **state)
{
	static const char *const bad[] = {
		":/0", ":::/0", "1:::2/128", "::1::/128", "1::2::3/128",
		":1::/128", "1::2:/128", "1:2:3:4:5:6:7:8:9/128",
		"1:2:3:4:5:6:7/128", "1:2:3:4:5:6:7:8::/128",
		"::1:2:3:4:5:6:7:8/128", "1::2:3:4:5:6:7:8/128",
		"12345::/16", "g::/16", "::/129", "::/0128", "fe80::1%eth0/128",
		"[::1]/128", "::1/", "::ffff:10.0.0/128", "::ffff:10.0.0.256/128",
		"::ffff:010.0.0.1/128", "::10.0.0.1:1/128",
		"1:2:3:4:5:6:7:1.2.3.4/128", "1.2.3.4::/128", ":: /0",
		"::1/12 8", "0x1::/16",
	};
	struct cidr c;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (cidr_parse(bad[i], &c) != -ERR_CIDR_MALFORMED)
			fail_msg("accepted \"%s\"", bad[i]);
	/* The longest legal text fits; anything >= CIDR_STR_MAX is refused
	 * before it is read. */
	assert_int_equal(cidr_parse("ffff:ffff:ffff:ffff:ffff:ffff:"
	    "255.255.255.255/128", &c), 0);
	assert_int_equal(cidr_parse("0000:0000:0000:0000:0000:0000:0000:0000"
	    "000000000000000000000000/0", &c), -ERR_CIDR_MALFORMED);
}

static void
test_alignment(void **state)
{
	struct cidr c;

	(void)state;
	assert_true(cidr_is_aligned(&(struct cidr){ 0 }));
	c = P("10.0.0.0/8");
	assert_true(cidr_is_aligned(&c));
	c = P("10.0.0.1/8");
	assert_false(cidr_is_aligned(&c));
	cidr_mask(&c);
	assert_string_equal(F(&c), "10.0.0.0/8");
	c = P("10.0.0.128/25");
	assert_true(cidr_is_aligned(&c));
	c = P("10.0.0.64/25");
	assert_false(cidr_is_aligned(&c));
	c = P("1.2.3.4/0");
	assert_false(cidr_is_aligned(&c));
	cidr_mask(&c);
	assert_string_equal(F(&c), "0.0.0.0/0");
	c = P("1.2.3.4/32");
	assert_true(cidr_is_aligned(&c));
	c = P("172.31.255.255/12");
	cidr_mask(&c);
	assert_string_equal(F(&c), "172.16.0.0/12");
	c = P("2001:db8::1/64");
	assert_false(cidr_is_aligned(&c));
	cidr_mask(&c);
	assert_string_equal(F(&c), "2001:db8::/64");
	c = P("2001:db8:ffff::/35");
	cidr_mask(&c);
	assert_string_equal(F(&c), "2001:db8:e000::/35");
	c = P("::1/128");
	assert_true(cidr_is_aligned(&c));
}

static void
test_relations(void **state)
{
	struct cidr a = P("10.0.0.0/8"), b = P("10.1.0.0/16");
	struct cidr c = P("11.0.0.0/8"), all = P("0.0.0.0/0");
	struct cidr h = P("10.255.255.255"), v6 = P("::/0");
	struct cidr u = P("10.9.9.9/8");

	(void)state;
	assert_true(cidr_contains(&a, &b));
	assert_false(cidr_contains(&b, &a));
	assert_true(cidr_contains(&a, &a));
	assert_true(cidr_contains(&a, &h));
	assert_false(cidr_contains(&c, &h));
	assert_true(cidr_contains(&all, &a));
	assert_true(cidr_contains(&all, &all));
	assert_false(cidr_contains(&all, &v6));	/* families never mix */
	assert_false(cidr_contains(&v6, &all));
	assert_true(cidr_contains(&u, &b));	/* host bits ignored */

	assert_true(cidr_overlaps(&a, &b));
	assert_true(cidr_overlaps(&b, &a));
	assert_false(cidr_overlaps(&a, &c));
	assert_true(cidr_overlaps(&all, &c));
	assert_false(cidr_overlaps(&all, &v6));
	{
		struct cidr x = P("192.168.1.0/25"), y = P("192.168.1.128/25");
		struct cidr z = P("192.168.1.127/32");

		assert_false(cidr_overlaps(&x, &y));
		assert_true(cidr_overlaps(&x, &z));
		assert_false(cidr_overlaps(&y, &z));
	}
	{
		struct cidr x = P("2001:db8::/32"), y = P("2001:db8:1::/48");
		struct cidr z = P("2001:db9::/32");

		assert_true(cidr_contains(&x, &y));
		assert_false(cidr_overlaps(&z, &y));
		assert_true(cidr_overlaps(&v6, &z));
	}

	assert_true(cidr_equal(&a, &a));
	assert_false(cidr_equal(&a, &u));
	assert_int_equal(cidr_cmp(&a, &a), 0);
	assert_int_equal(cidr_cmp(&a, &b), -1);
	assert_int_equal(cidr_cmp(&b, &a), 1);
	assert_int_equal(cidr_cmp(&a, &v6), -1);
	{
		struct cidr s8 = P("10.0.0.0/8"), s16 = P("10.0.0.0/16");

		assert_int_equal(cidr_cmp(&s8, &s16), -1);
	}
}

static void
test_contains_addr(void **state)
{
	struct cidr n = P("192.168.1.0/24"), all = P("0.0.0.0/0");
	struct cidr h = P("192.168.1.7/32"), n6 = P("fd00::/8");
	const uint8_t in[4] = { 192, 168, 1, 255 }, out[4] = { 192, 168, 2, 0 };
	uint8_t a6[16] = { 0xfd, 0x12 };

	(void)state;
	assert_true(cidr_contains_addr(&n, CIDR_V4, in));
	assert_false(cidr_contains_addr(&n, CIDR_V4, out));
	assert_false(cidr_contains_addr(&n, CIDR_V6, a6));
	assert_true(cidr_contains_addr(&all, CIDR_V4, out));
	assert_true(cidr_contains_addr(&h, CIDR_V4, "\xc0\xa8\x01\x07"));
	assert_false(cidr_contains_addr(&h, CIDR_V4, "\xc0\xa8\x01\x06"));
	assert_true(cidr_contains_addr(&n6, CIDR_V6, a6));
	a6[0] = 0xfc;
	assert_false(cidr_contains_addr(&n6, CIDR_V6, a6));
}

static void
test_size_nth_index(void **state)
{
	struct cidr c = P("192.168.1.0/24"), o;
	uint64_t n;

	(void)state;
	assert_true(cidr_size(&c) == 256);
	assert_true(cidr_size(&(struct cidr){ 0 }) == 0);
	o = P("0.0.0.0/0");
	assert_true(cidr_size(&o) == 4294967296ull);
	o = P("1.2.3.4/32");
	assert_true(cidr_size(&o) == 1);
	o = P("::/0");
	assert_true(cidr_size(&o) == UINT64_MAX);
	o = P("2001:db8::/64");
	assert_true(cidr_size(&o) == UINT64_MAX);
	o = P("2001:db8::/65");
	assert_true(cidr_size(&o) == (uint64_t)1 << 63);
	o = P("::1/128");
	assert_true(cidr_size(&o) == 1);

	assert_int_equal(cidr_nth(&c, 0, &o), 0);
	assert_string_equal(F(&o), "192.168.1.0/32");
	assert_int_equal(cidr_nth(&c, 255, &o), 0);
	assert_string_equal(F(&o), "192.168.1.255/32");
	assert_int_equal(cidr_nth(&c, 256, &o), -ERR_INVALID_PARAMETER);
	c = P("10.0.0.77/16");	/* unaligned input counts from the network */
	assert_int_equal(cidr_nth(&c, 258, &o), 0);
	assert_string_equal(F(&o), "10.0.1.2/32");
	assert_int_equal(cidr_index(&c, &o, &n), 0);
	assert_true(n == 258);
	c = P("0.0.0.0/0");
	assert_int_equal(cidr_nth(&c, 4294967295ull, &o), 0);
	assert_string_equal(F(&o), "255.255.255.255/32");
	assert_int_equal(cidr_nth(&c, 4294967296ull, &o), -ERR_INVALID_PARAMETER);

	c = P("2001:db8::/64");
	assert_int_equal(cidr_nth(&c, UINT64_MAX, &o), 0);
	assert_string_equal(F(&o), "2001:db8::ffff:ffff:ffff:ffff/128");
	assert_int_equal(cidr_index(&c, &o, &n), 0);
	assert_true(n == UINT64_MAX);
	c = P("2001:db8::/32");
	assert_int_equal(cidr_nth(&c, 0x10001, &o), 0);
	assert_string_equal(F(&o), "2001:db8::1:1/128");
	assert_int_equal(cidr_index(&c, &o, &n), 0);
	assert_true(n == 0x10001);
	o = P("2001:db8:0:1::");	/* index needs more than 64 bits */
	assert_int_equal(cidr_index(&c, &o, &n), -ERR_INVALID_PARAMETER);
	o = P("2001:db9::1");
	assert_int_equal(cidr_index(&c, &o, &n), -ERR_INVALID_PARAMETER);
	o = P("10.0.0.1");
	assert_int_equal(cidr_index(&c, &o, &n), -ERR_INVALID_PARAMETER);
}

static void
test_vswitch_plan(void **state)
{
	struct cidr c = P("192.168.1.0/24"), o;

	(void)state;
	/* COMPAT: .0, .253, .254, .255 are reserved. */
	assert_true(cidr_vsw_usable(&c) == 252);
	assert_int_equal(cidr_vsw_host(&c, 0, &o), 0);
	assert_string_equal(F(&o), "192.168.1.1/32");
	assert_int_equal(cidr_vsw_host(&c, 251, &o), 0);
	assert_string_equal(F(&o), "192.168.1.252/32");
	assert_int_equal(cidr_vsw_host(&c, 252, &o), -ERR_INVALID_PARAMETER);
	assert_false(cidr_vsw_is_usable(&c, &(struct cidr){ 0 }));
	o = P("192.168.1.0");
	assert_false(cidr_vsw_is_usable(&c, &o));
	o = P("192.168.1.1");
	assert_true(cidr_vsw_is_usable(&c, &o));
	o = P("192.168.1.252");
	assert_true(cidr_vsw_is_usable(&c, &o));
	o = P("192.168.1.253");
	assert_false(cidr_vsw_is_usable(&c, &o));
	o = P("192.168.1.255");
	assert_false(cidr_vsw_is_usable(&c, &o));
	o = P("192.168.2.1");
	assert_false(cidr_vsw_is_usable(&c, &o));

	c = P("10.0.0.0/29");	/* the smallest vSwitch: 4 usable */
	assert_true(cidr_vsw_usable(&c) == 4);
	assert_int_equal(cidr_vsw_host(&c, 3, &o), 0);
	assert_string_equal(F(&o), "10.0.0.4/32");
	c = P("10.0.0.0/30");
	assert_true(cidr_vsw_usable(&c) == 0);
	assert_int_equal(cidr_vsw_host(&c, 0, &o), -ERR_INVALID_PARAMETER);
	c = P("10.0.0.0/16");
	assert_true(cidr_vsw_usable(&c) == 65532);
	c = P("2001:db8:1:2::/64");
	assert_int_equal(cidr_vsw_host(&c, 0, &o), 0);
	assert_string_equal(F(&o), "2001:db8:1:2::1/128");
}

static void
test_format_errors(void **state)
{
	struct cidr c = P("255.255.255.255/32"), z = { 0 };
	char small[18], exact[19];

	(void)state;
	assert_int_equal(cidr_format(&c, small, sizeof(small)),
	    -ERR_INVALID_PARAMETER);
	assert_int_equal(cidr_format(&c, exact, sizeof(exact)), 0);
	assert_string_equal(exact, "255.255.255.255/32");
	assert_int_equal(cidr_format_addr(&c, exact, sizeof(exact)), 0);
	assert_string_equal(exact, "255.255.255.255");
	assert_int_equal(cidr_format(&z, exact, sizeof(exact)),
	    -ERR_INVALID_PARAMETER);
}

/* Every IPv4 prefix of one address: round trip, mask, containment chain. */
static void
test_all_v4_lengths(void **state)
{
	struct cidr prev, c;
	char text[CIDR_STR_MAX];

	(void)state;
	for (int len = 0; len <= 32; len++) {
		snprintf(text, sizeof(text), "203.0.113.77/%d", len);
		assert_int_equal(cidr_parse(text, &c), 0);
		assert_string_equal(F(&c), text);
		cidr_mask(&c);
		assert_true(cidr_is_aligned(&c));
		assert_true(cidr_size(&c) == (uint64_t)1 << (32 - len));
		if (len > 0) {
			assert_true(cidr_contains(&prev, &c));
			assert_false(len < 32 && cidr_contains(&c, &prev));
		}
		prev = c;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4),
		cmocka_unit_test(test_parse_v4_malformed),
		cmocka_unit_test(test_parse_v6),
		cmocka_unit_test(test_parse_v6_malformed),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_relations),
		cmocka_unit_test(test_contains_addr),
		cmocka_unit_test(test_size_nth_index),
		cmocka_unit_test(test_vswitch_plan),
		cmocka_unit_test(test_format_errors),
		cmocka_unit_test(test_all_v4_lengths),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
