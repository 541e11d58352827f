// SPDX-License-Identifier: MIT
/*
 * core/string.c, built with l0_ names (l0_string_rename.h), against the
 * host's libc.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <l0/bits.h>

#include "l0_string.h"
#include "stubs.h"

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* Every alignment of source and destination, every length up to 100. */
static void test_memcpy(void **state)
{
	_Alignas(8) char src[128], a[128], b[128];

	(void)state;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (char)(i * 7 + 1);
	for (size_t from = 0; from < 8; from++) {
		for (size_t to = 0; to < 8; to++) {
			for (size_t n = 0; n <= 100; n++) {
				memset(a, 0, sizeof(a));
				memset(b, 0, sizeof(b));
				assert_ptr_equal(
					l0_memcpy(a + to, src + from, n),
					a + to);
				memcpy(b + to, src + from, n);
				assert_memory_equal(a, b, sizeof(a));
			}
		}
	}
}

/* Copy [from, from+n) to [to, to+n) of a 64-byte buffer both ways. */
static void check_memmove(size_t to, size_t from, size_t n)
{
	char a[64], b[64];

	for (size_t i = 0; i < sizeof(a); i++)
		a[i] = b[i] = (char)('A' + i % 50);
	assert_ptr_equal(l0_memmove(a + to, a + from, n), a + to);
	memmove(b + to, b + from, n);
	assert_memory_equal(a, b, sizeof(a));
}

static void test_memmove_overlap_forward(void **state)
{
	(void)state;
	check_memmove(4, 0, 40); /* dst above src: must copy backwards */
	check_memmove(1, 0, 63);
	check_memmove(10, 9, 1);
}

static void test_memmove_overlap_backward(void **state)
{
	(void)state;
	check_memmove(0, 4, 40); /* dst below src */
	check_memmove(0, 1, 63);
	check_memmove(5, 5, 20); /* same place */
}

static void test_memmove_disjoint_and_empty(void **state)
{
	(void)state;
	check_memmove(0, 32, 32);
	check_memmove(40, 0, 20);
	check_memmove(3, 7, 0);
}

static void test_memset(void **state)
{
	unsigned char a[32], b[32];

	(void)state;
	memset(a, 1, sizeof(a));
	memset(b, 1, sizeof(b));
	assert_ptr_equal(l0_memset(a + 3, 0x1ab, 20), a + 3);
	memset(b + 3, 0x1ab, 20);
	assert_memory_equal(a, b, sizeof(a));
	l0_memset(a, -1, 0);
	assert_memory_equal(a, b, sizeof(a));
}

static void test_memcmp(void **state)
{
	static const struct {
		const char *a, *b;
		size_t n;
	} c[] = {
		{ "abc", "abc", 3 },   { "abc", "abd", 3 },
		{ "abd", "abc", 3 },   { "abc", "abd", 2 },
		{ "", "x", 0 },	       { "\x80", "\x01", 1 },
		{ "\x01", "\xff", 1 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(c); i++)
		assert_int_equal(sign(l0_memcmp(c[i].a, c[i].b, c[i].n)),
				 sign(memcmp(c[i].a, c[i].b, c[i].n)));
}

static void test_memchr(void **state)
{
	static const char s[] = "hello\0world\xe9";

	(void)state;
	assert_ptr_equal(l0_memchr(s, 'o', sizeof(s)),
			 memchr(s, 'o', sizeof(s)));
	assert_ptr_equal(l0_memchr(s, 'w', sizeof(s)), s + 6);
	assert_ptr_equal(l0_memchr(s, '\0', sizeof(s)), s + 5);
	assert_null(l0_memchr(s, 'w', 5));
	assert_null(l0_memchr(s, 'h', 0));
	/* c is converted to unsigned char. */
	assert_ptr_equal(l0_memchr(s, 0xe9, sizeof(s)), s + 11);
	assert_ptr_equal(l0_memchr(s, 0x1e9, sizeof(s)), s + 11);
	assert_ptr_equal(l0_memchr(s, -0x17, sizeof(s)), s + 11);
}

static void test_strlen_strnlen(void **state)
{
	static const char *const s[] = { "", "a", "hello world",
					 "riscv,isa-extensions" };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(s); i++) {
		assert_int_equal(l0_strlen(s[i]), strlen(s[i]));
		for (size_t max = 0; max < 24; max++)
			assert_int_equal(l0_strnlen(s[i], max),
					 strnlen(s[i], max));
	}
}

static void test_strcmp_strncmp(void **state)
{
	static const char *const s[] = { "",	"a", "ab",   "abc",
					 "abd", "b", "\x80", "A" };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(s); i++) {
		for (size_t j = 0; j < ARRAY_SIZE(s); j++) {
			assert_int_equal(sign(l0_strcmp(s[i], s[j])),
					 sign(strcmp(s[i], s[j])));
			for (size_t n = 0; n < 5; n++)
				assert_int_equal(
					sign(l0_strncmp(s[i], s[j], n)),
					sign(strncmp(s[i], s[j], n)));
		}
	}
}

/* strncmp must not read past a NUL both strings share. */
static void test_strncmp_stops_at_nul(void **state)
{
	char *a = malloc(2), *b = malloc(2);

	(void)state;
	strcpy(a, "x");
	strcpy(b, "x");
	assert_int_equal(l0_strncmp(a, b, 100), 0);
	free(a);
	free(b);
}

static void test_strchr_strrchr(void **state)
{
	static const char s[] = "/soc/serial@10000000:115200";
	static const int cs[] = { '/', ':', 's', '0', '\0', 'q', 0x100 + ':' };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cs); i++) {
		assert_ptr_equal(l0_strchr(s, cs[i]), strchr(s, cs[i]));
		assert_ptr_equal(l0_strrchr(s, cs[i]), strrchr(s, cs[i]));
	}
	assert_ptr_equal(l0_strrchr(s, '\0'), s + strlen(s));
	assert_null(l0_strrchr("", 'a'));
}

struct strtoul_case {
	const char *s;
	int base;
};

static const struct strtoul_case strtoul_cases[] = {
	{ "0", 0 },
	{ "123", 10 },
	{ "123abc", 10 },
	{ "0x1f", 0 },
	{ "0X1F", 0 },
	{ "0x1f", 16 },
	{ "1f", 16 },
	{ "ff", 16 },
	{ "0755", 0 },
	{ "0755", 8 },
	{ "089", 0 },
	{ "08", 8 },
	{ "0x", 0 },
	{ "0x", 16 },
	{ "0xg", 16 },
	{ "0x1g", 0 },
	{ "  42", 10 },
	{ "\t7", 0 },
	{ "", 10 },
	{ "abc", 10 },
	{ "z", 36 },
	{ "10", 2 },
	{ "102", 2 },
	{ "0x10", 10 },
	{ "18446744073709551615", 10 },
	{ "0xffffffffffffffff", 0 },
	{ "1777777777777777777777", 8 },
};

static void check_strtoul(const char *s, int base)
{
	char *e1 = NULL, *e2 = NULL;
	unsigned long want = strtoul(s, &e1, base);
	unsigned long got = l0_strtoul(s, &e2, base);

	if (got != want || e1 != e2) {
		print_error(
			"strtoul(\"%s\", %d): host %lu end +%td, L0 %lu end +%td\n",
			s, base, want, e1 - s, got, e2 - s);
		fail();
	}
}

static void test_strtoul_bases(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(strtoul_cases); i++)
		check_strtoul(strtoul_cases[i].s, strtoul_cases[i].base);
}

static void test_strtoul_overflow_saturates(void **state)
{
	static const struct strtoul_case c[] = {
		{ "18446744073709551616", 10 },
		{ "99999999999999999999999", 10 },
		{ "0x10000000000000000", 0 },
		{ "0x1ffffffffffffffff", 16 },
		{ "2000000000000000000000", 8 },
		{ "184467440737095516150", 10 },
	};
	char *end;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(c); i++)
		check_strtoul(c[i].s, c[i].base);
	/* The end pointer still goes past every digit. */
	assert_int_equal(l0_strtoul("99999999999999999999999x", &end, 10),
			 ULONG_MAX);
	assert_int_equal(*end, 'x');
}

static void test_strtoul_null_end(void **state)
{
	(void)state;
	assert_int_equal(l0_strtoul("0x80200000", NULL, 0), 0x80200000UL);
	assert_int_equal(l0_strtoul("115200n8", NULL, 10), 115200);
}

/* C: with no digits, *end is the string itself, blanks included. */
static void test_strtoul_no_digits_end(void **state)
{
	(void)state;
	check_strtoul("  xyz", 10);
	check_strtoul(" \t", 0);
}

static void test_stack_chk_fail_panics(void **state)
{
	(void)state;
	assert_int_not_equal(l0___stack_chk_guard, 0);
	EXPECT_PANIC(l0___stack_chk_fail());
	assert_substr(stub_panic_msg, "stack smashing");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy),
		cmocka_unit_test(test_memmove_overlap_forward),
		cmocka_unit_test(test_memmove_overlap_backward),
		cmocka_unit_test(test_memmove_disjoint_and_empty),
		cmocka_unit_test(test_memset),
		cmocka_unit_test(test_memcmp),
		cmocka_unit_test(test_memchr),
		cmocka_unit_test(test_strlen_strnlen),
		cmocka_unit_test(test_strcmp_strncmp),
		cmocka_unit_test(test_strncmp_stops_at_nul),
		cmocka_unit_test(test_strchr_strrchr),
		cmocka_unit_test(test_strtoul_bases),
		cmocka_unit_test(test_strtoul_overflow_saturates),
		cmocka_unit_test(test_strtoul_null_end),
		cmocka_unit_test(test_strtoul_no_digits_end),
		cmocka_unit_test(test_stack_chk_fail_panics),
	};

	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
