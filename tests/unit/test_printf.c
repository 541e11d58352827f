// SPDX-License-Identifier: MIT
/* core/printf.c: l0_snprintf against the host's snprintf, table-driven. */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <l0/bits.h>
#include <l0/printf.h>

#include "stubs.h"

enum arg_kind {
	A_NONE,
	A_INT,
	A_UINT,
	A_LONG,
	A_ULONG,
	A_LLONG,
	A_ULLONG,
	A_SIZE,
	A_CHAR,
	A_STR,
	A_PTR,
	A_STAR_INT,
	A_STAR_STR,
	A_INT_STR_INT,
};

struct fmt_case {
	const char *fmt;
	enum arg_kind kind;
	long long i;	      /* signed argument, or '*' width */
	unsigned long long u; /* unsigned argument */
	const char *s;
};

typedef int (*snprintf_fn)(char *buf, size_t size, const char *fmt, ...);

/* Call `fn` with the case's arguments, converted to their C types. */
static int call(snprintf_fn fn, char *buf, size_t size,
		const struct fmt_case *c)
{
	switch (c->kind) {
	case A_NONE:
		return fn(buf, size, c->fmt);
	case A_INT:
		return fn(buf, size, c->fmt, (int)c->i);
	case A_UINT:
		return fn(buf, size, c->fmt, (unsigned int)c->u);
	case A_LONG:
		return fn(buf, size, c->fmt, (long)c->i);
	case A_ULONG:
		return fn(buf, size, c->fmt, (unsigned long)c->u);
	case A_LLONG:
		return fn(buf, size, c->fmt, c->i);
	case A_ULLONG:
		return fn(buf, size, c->fmt, c->u);
	case A_SIZE:
		return fn(buf, size, c->fmt, (size_t)c->u);
	case A_CHAR:
		return fn(buf, size, c->fmt, (int)c->i);
	case A_STR:
		return fn(buf, size, c->fmt, c->s);
	case A_PTR:
		return fn(buf, size, c->fmt, (void *)(uintptr_t)c->u);
	case A_STAR_INT:
		return fn(buf, size, c->fmt, (int)c->i, (int)c->u);
	case A_STAR_STR:
		return fn(buf, size, c->fmt, (int)c->i, c->s);
	case A_INT_STR_INT:
		return fn(buf, size, c->fmt, (int)c->i, c->s, (int)c->u);
	}
	return -1;
}

/* Compare one case at buffer size `size`, including the bytes past it. */
static void check_size(const struct fmt_case *c, size_t size)
{
	char want[256], got[256];
	int nwant, ngot;

	memset(want, 0x5a, sizeof(want));
	memset(got, 0x5a, sizeof(got));
	nwant = call(snprintf, want, size, c);
	ngot = call(l0_snprintf, got, size, c);
	if (nwant != ngot || memcmp(want, got, sizeof(want))) {
		print_error(
			"fmt \"%s\" size %zu: host %d \"%.*s\", L0 %d \"%.*s\"\n",
			c->fmt, size, nwant, (int)(size ? size : 1), want, ngot,
			(int)(size ? size : 1), got);
		fail();
	}
}

/* Every case, with room to spare and truncated to every shorter size. */
static void check_table(const struct fmt_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char tmp[256];
		int len = call(snprintf, tmp, sizeof(tmp), &cases[i]);

		assert_in_range(len, 0, sizeof(tmp) - 2);
		check_size(&cases[i], sizeof(tmp));
		for (size_t size = 0; size <= (size_t)len + 1; size++)
			check_size(&cases[i], size);
	}
}

static const struct fmt_case signed_cases[] = {
	{ .fmt = "%d", .kind = A_INT },
	{ .fmt = "%d", .kind = A_INT, .i = 42 },
	{ .fmt = "%d", .kind = A_INT, .i = -42 },
	{ .fmt = "%i", .kind = A_INT, .i = 123456 },
	{ .fmt = "%d", .kind = A_INT, .i = INT_MAX },
	{ .fmt = "%d", .kind = A_INT, .i = INT_MIN },
	{ .fmt = "[%d|%i]", .kind = A_STAR_INT, .i = -1, .u = 77 },
	{ .fmt = "%ld", .kind = A_LONG, .i = LONG_MIN },
	{ .fmt = "%ld", .kind = A_LONG, .i = LONG_MAX },
	{ .fmt = "%lld", .kind = A_LLONG, .i = INT64_MIN },
	{ .fmt = "%lli", .kind = A_LLONG, .i = INT64_MAX },
	{ .fmt = "%lld", .kind = A_LLONG, .i = -1000000000000LL },
};

static const struct fmt_case unsigned_cases[] = {
	{ .fmt = "%u", .kind = A_UINT },
	{ .fmt = "%u", .kind = A_UINT, .u = UINT_MAX },
	{ .fmt = "%x", .kind = A_UINT, .u = 0xdeadbeef },
	{ .fmt = "%X", .kind = A_UINT, .u = 0xdeadbeef },
	{ .fmt = "%o", .kind = A_UINT, .u = 0755 },
	{ .fmt = "%o", .kind = A_UINT },
	{ .fmt = "%lu", .kind = A_ULONG, .u = ULONG_MAX },
	{ .fmt = "%lx", .kind = A_ULONG, .u = 0x8000000000000000UL },
	{ .fmt = "%llu", .kind = A_ULLONG, .u = UINT64_MAX },
	{ .fmt = "%llX", .kind = A_ULLONG, .u = 0xabcdef0123456789ULL },
	{ .fmt = "%llo", .kind = A_ULLONG, .u = UINT64_MAX },
	{ .fmt = "%x", .kind = A_UINT },
};

/* hh and h truncate the promoted int; z takes a size_t. */
static const struct fmt_case length_cases[] = {
	{ .fmt = "%hhd", .kind = A_INT, .i = 200 },
	{ .fmt = "%hhd", .kind = A_INT, .i = -128 },
	{ .fmt = "%hhu", .kind = A_UINT, .u = 0x1ff },
	{ .fmt = "%hhx", .kind = A_UINT, .u = 0xabcd },
	{ .fmt = "%hd", .kind = A_INT, .i = 70000 },
	{ .fmt = "%hd", .kind = A_INT, .i = -32768 },
	{ .fmt = "%hu", .kind = A_UINT, .u = 0x12345 },
	{ .fmt = "%hX", .kind = A_UINT, .u = 0xfffff },
	{ .fmt = "%zu", .kind = A_SIZE, .u = SIZE_MAX },
	{ .fmt = "%zx", .kind = A_SIZE, .u = 0x1000 },
	{ .fmt = "%zd", .kind = A_SIZE, .u = (size_t)-5 },
	{ .fmt = "%5zu|", .kind = A_SIZE, .u = 7 },
};

static const struct fmt_case flag_width_cases[] = {
	{ .fmt = "%5d", .kind = A_INT, .i = 42 },
	{ .fmt = "%-5d|", .kind = A_INT, .i = 42 },
	{ .fmt = "%05d", .kind = A_INT, .i = 42 },
	{ .fmt = "%05d", .kind = A_INT, .i = -42 },
	{ .fmt = "%-05d|", .kind = A_INT, .i = -42 },
	{ .fmt = "%2d", .kind = A_INT, .i = 12345 },
	{ .fmt = "%08x", .kind = A_UINT, .u = 0xbeef },
	{ .fmt = "%-8X|", .kind = A_UINT, .u = 0xbeef },
	{ .fmt = "%016llx", .kind = A_ULLONG, .u = 0x80200000 },
	{ .fmt = "%20lld", .kind = A_LLONG, .i = INT64_MIN },
	{ .fmt = "%025lld", .kind = A_LLONG, .i = INT64_MIN },
	{ .fmt = "%10u|%-3u|", .kind = A_STAR_INT, .i = 7, .u = 8 },
	{ .fmt = "%3o", .kind = A_UINT, .u = 8 },
	{ .fmt = "%-0d", .kind = A_INT, .i = 3 },
	{ .fmt = "%*d", .kind = A_STAR_INT, .i = 6, .u = 99 },
	{ .fmt = "%0*x", .kind = A_STAR_INT, .i = 10, .u = 0xfeed },
	{ .fmt = "%-*d|", .kind = A_STAR_INT, .i = 4, .u = 7 },
	{ .fmt = "%*d", .kind = A_STAR_INT, .u = -1 },
};

static const struct fmt_case string_cases[] = {
	{ .fmt = "%s", .kind = A_STR, .s = "hello" },
	{ .fmt = "%s", .kind = A_STR, .s = "" },
	{ .fmt = "<%10s>", .kind = A_STR, .s = "right" },
	{ .fmt = "<%-10s>", .kind = A_STR, .s = "left" },
	{ .fmt = "<%3s>", .kind = A_STR, .s = "longer than width" },
	{ .fmt = "%.3s", .kind = A_STR, .s = "abcdef" },
	{ .fmt = "%.0s|", .kind = A_STR, .s = "abcdef" },
	{ .fmt = "%.10s", .kind = A_STR, .s = "abc" },
	{ .fmt = "<%8.3s>", .kind = A_STR, .s = "abcdef" },
	{ .fmt = "<%-8.3s>", .kind = A_STR, .s = "abcdef" },
	{ .fmt = "%*s|", .kind = A_STAR_STR, .i = 7, .s = "x" },
	{ .fmt = "%s", .kind = A_STR, .s = NULL },
	{ .fmt = "<%10s>", .kind = A_STR, .s = NULL },
	{ .fmt = "%d %s %d",
	  .kind = A_INT_STR_INT,
	  .i = -3,
	  .u = 9,
	  .s = "mid" },
};

static const struct fmt_case misc_cases[] = {
	{ .fmt = "plain text", .kind = A_NONE },
	{ .fmt = "", .kind = A_NONE },
	{ .fmt = "100%%", .kind = A_NONE },
	{ .fmt = "%%d%%", .kind = A_NONE },
	{ .fmt = "%c", .kind = A_CHAR, .i = 'x' },
	{ .fmt = "[%c%c]", .kind = A_STAR_INT, .i = 'o', .u = 'k' },
	/* Converted to unsigned char. */
	{ .fmt = "%c", .kind = A_CHAR, .i = 0x141 },
	{ .fmt = "%p", .kind = A_PTR, .u = 0x80200000 },
	{ .fmt = "%p", .kind = A_PTR, .u = UINTPTR_MAX },
	{ .fmt = "%20p|", .kind = A_PTR, .u = 0xabc },
	{ .fmt = "%-20p|", .kind = A_PTR, .u = 0xabc },
};

static void test_signed(void **state)
{
	(void)state;
	check_table(signed_cases, ARRAY_SIZE(signed_cases));
}

static void test_unsigned_hex_octal(void **state)
{
	(void)state;
	check_table(unsigned_cases, ARRAY_SIZE(unsigned_cases));
}

static void test_length_modifiers(void **state)
{
	(void)state;
	check_table(length_cases, ARRAY_SIZE(length_cases));
}

static void test_flags_and_width(void **state)
{
	(void)state;
	check_table(flag_width_cases, ARRAY_SIZE(flag_width_cases));
}

static void test_strings(void **state)
{
	(void)state;
	check_table(string_cases, ARRAY_SIZE(string_cases));
}

static void test_chars_pointers_percent(void **state)
{
	(void)state;
	check_table(misc_cases, ARRAY_SIZE(misc_cases));
}

/* C: a negative '*' width is the '-' flag with a positive width. */
static void test_negative_star_width(void **state)
{
	static const struct fmt_case cases[] = {
		{ .fmt = "%*d|", .kind = A_STAR_INT, .i = -6, .u = 42 },
		{ .fmt = "%*s|", .kind = A_STAR_STR, .i = -5, .s = "ab" },
	};

	(void)state;
	check_table(cases, ARRAY_SIZE(cases));
}

/* The header promises width for every conversion, %c included. */
static void test_char_width(void **state)
{
	static const struct fmt_case cases[] = {
		{ .fmt = "[%3c]", .kind = A_CHAR, .i = 'a' },
		{ .fmt = "[%-3c]", .kind = A_CHAR, .i = 'b' },
	};

	(void)state;
	check_table(cases, ARRAY_SIZE(cases));
}

/* glibc prints "(nil)"; L0 prints what it prints for any other pointer. */
static void test_null_pointer(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(l0_snprintf(buf, sizeof(buf), "%p", NULL), 3);
	assert_string_equal(buf, "0x0");
	assert_int_equal(l0_snprintf(buf, sizeof(buf), "%6p|", NULL), 7);
	assert_string_equal(buf, "   0x0|");
}

/* Size 0 writes nothing at all, even with a NULL buffer. */
static void test_size_zero(void **state)
{
	char buf[4] = "abc";

	(void)state;
	assert_int_equal(l0_snprintf(NULL, 0, "%d-%s", 1234, "xyz"), 8);
	assert_int_equal(l0_snprintf(buf, 0, "%s", "zzzz"), 4);
	assert_string_equal(buf, "abc");
}

static void test_size_one_and_exact(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(l0_snprintf(buf, 1, "hello"), 5);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'x');
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(l0_snprintf(buf, 6, "hello"), 5);
	assert_string_equal(buf, "hello");
	assert_int_equal(buf[6], 'x');
	assert_int_equal(l0_snprintf(buf, 5, "hello"), 5);
	assert_string_equal(buf, "hell");
}

/* Truncation counts what would have been written by every conversion. */
static void test_return_is_full_length(void **state)
{
	char buf[4];

	(void)state;
	assert_int_equal(l0_snprintf(buf, sizeof(buf), "%-10s|%05d", "a", 7),
			 16);
	assert_string_equal(buf, "a  ");
	assert_int_equal(l0_snprintf(buf, sizeof(buf), "%llx",
				     (unsigned long long)UINT64_MAX),
			 16);
	assert_string_equal(buf, "fff");
}

/* A '%' at the end of the format ends the output without reading args. */
static void test_trailing_percent(void **state)
{
	/* Not literals at the call, so that gcc lets them through. */
	static const char *const fmts[] = { "abc%", "ab%-05", "%ll" };
	char buf[16];

	(void)state;
	assert_int_equal(l0_snprintf(buf, sizeof(buf), fmts[0]), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(l0_snprintf(buf, sizeof(buf), fmts[1]), 2);
	assert_string_equal(buf, "ab");
	assert_int_equal(l0_snprintf(buf, sizeof(buf), fmts[2]), 0);
	assert_string_equal(buf, "");
}

static int call_v(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = l0_vsnprintf(buf, size, fmt, ap);
	/* l0_vsnprintf works on a copy: ap is still at the first argument. */
	assert_int_equal(va_arg(ap, int), 11);
	va_end(ap);
	return n;
}

static void test_vsnprintf_leaves_ap(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(call_v(buf, sizeof(buf), "%d %d", 11, 22), 5);
	assert_string_equal(buf, "11 22");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned_hex_octal),
		cmocka_unit_test(test_length_modifiers),
		cmocka_unit_test(test_flags_and_width),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_chars_pointers_percent),
		cmocka_unit_test(test_negative_star_width),
		cmocka_unit_test(test_char_width),
		cmocka_unit_test(test_null_pointer),
		cmocka_unit_test(test_size_zero),
		cmocka_unit_test(test_size_one_and_exact),
		cmocka_unit_test(test_return_is_full_length),
		cmocka_unit_test(test_trailing_percent),
		cmocka_unit_test(test_vsnprintf_leaves_ap),
	};

	return cmocka_run_group_tests_name("printf", tests, NULL, NULL);
}
