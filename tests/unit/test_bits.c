// SPDX-License-Identifier: MIT
/* include/l0/bits.h: masks, fields and alignment. */
#include <l0/bits.h>

#include "stubs.h"

static void test_bit(void **state)
{
	(void)state;
	assert_int_equal(BIT(0), 1);
	assert_int_equal(BIT(5), 0x20);
	assert_int_equal(BIT(63), 0x8000000000000000UL);
	assert_int_equal(sizeof(BIT(0)), sizeof(unsigned long));
}

static void test_genmask(void **state)
{
	(void)state;
	assert_int_equal(GENMASK(0, 0), 0x1);
	assert_int_equal(GENMASK(7, 4), 0xf0);
	assert_int_equal(GENMASK(63, 60), 0xf000000000000000UL);
	assert_int_equal(GENMASK(63, 0), ~0UL);
	assert_int_equal(GENMASK(43, 0), 0xfffffffffffUL); /* satp.PPN */
	assert_int_equal(GENMASK(31, 31), BIT(31));
}

static void test_field_shift(void **state)
{
	(void)state;
	assert_int_equal(field_shift(GENMASK(7, 4)), 4);
	assert_int_equal(field_shift(BIT(0)), 0);
	assert_int_equal(field_shift(GENMASK(63, 60)), 60);
}

/* ctz64() against the compiler's count, every bit alone and with others. */
static void test_ctz64(void **state)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;

	(void)state;
	for (unsigned int i = 0; i < 64; i++) {
		assert_int_equal(ctz64(BIT(i)), i);
		assert_int_equal(ctz64(~0ULL << i), i);
		assert_int_equal(ctz64((x | 1) << i), i);
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		assert_int_equal(ctz64(x | BIT(63)),
				 __builtin_ctzll(x | BIT(63)));
	}
}

static void test_field_get(void **state)
{
	(void)state;
	assert_int_equal(field_get(GENMASK(63, 60), 8UL << 60 | 0x1234), 8);
	assert_int_equal(field_get(GENMASK(7, 4), 0xabcd), 0xc);
	assert_int_equal(field_get(BIT(63), ~0UL), 1);
	assert_int_equal(field_get(GENMASK(63, 0), 0x1234), 0x1234);
}

static void test_field_prep(void **state)
{
	(void)state;
	assert_int_equal(field_prep(GENMASK(7, 4), 0xc), 0xc0);
	/* Bits of the value beyond the field are dropped. */
	assert_int_equal(field_prep(GENMASK(7, 4), 0x1c), 0xc0);
	assert_int_equal(field_prep(GENMASK(63, 60), 9), 9UL << 60);
}

static void test_field_set(void **state)
{
	uint64_t reg = 0xffff0000ffff0000UL;

	(void)state;
	assert_int_equal(field_set(GENMASK(15, 8), reg, 0x5a),
			 0xffff0000ffff5a00UL);
	assert_int_equal(field_set(GENMASK(63, 48), reg, 0), 0xffff0000UL);
	assert_int_equal(field_set(GENMASK(3, 0), 0xff, 0x10), 0xf0);
	assert_int_equal(
		field_get(GENMASK(11, 8), field_set(GENMASK(11, 8), reg, 0x7)),
		7);
}

static void test_align_up_down(void **state)
{
	(void)state;
	assert_int_equal(ALIGN_UP(0x1001UL, 0x1000), 0x2000);
	assert_int_equal(ALIGN_UP(0x1000UL, 0x1000), 0x1000);
	assert_int_equal(ALIGN_UP(0UL, 0x1000), 0);
	assert_int_equal(ALIGN_DOWN(0x1fffUL, 0x1000), 0x1000);
	assert_int_equal(ALIGN_DOWN(0x2000UL, 0x1000), 0x2000);
	assert_int_equal(ALIGN_UP(5U, 1), 5);
	assert_int_equal(ALIGN_UP(0x80200001UL, 0x200000), 0x80400000UL);
}

/* The mask takes the type of x: no truncation of 64-bit addresses. */
static void test_align_keeps_64_bits(void **state)
{
	uint64_t x = 0x123456789abcdef1ULL;

	(void)state;
	assert_int_equal(ALIGN_DOWN(x, 0x1000U), 0x123456789abcd000ULL);
	assert_int_equal(ALIGN_UP(x, 0x1000U), 0x123456789abce000ULL);
	assert_int_equal(ALIGN_DOWN(0xfffffffffffff123ULL, 4096),
			 0xfffffffffffff000ULL);
}

static void test_is_aligned(void **state)
{
	(void)state;
	assert_true(IS_ALIGNED(0x2000UL, 0x1000));
	assert_true(IS_ALIGNED(0UL, 0x1000));
	assert_false(IS_ALIGNED(0x2008UL, 0x1000));
	assert_true(IS_ALIGNED(0x2008UL, 8));
	assert_false(IS_ALIGNED(0x80000000000001ULL, 2));
	assert_true(IS_ALIGNED(7UL, 1));
}

static void test_array_size(void **state)
{
	int a[7];
	uint64_t b[3][2];

	(void)state;
	(void)a;
	(void)b;
	assert_int_equal(ARRAY_SIZE(a), 7);
	assert_int_equal(ARRAY_SIZE(b), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bit),
		cmocka_unit_test(test_genmask),
		cmocka_unit_test(test_field_shift),
		cmocka_unit_test(test_ctz64),
		cmocka_unit_test(test_field_get),
		cmocka_unit_test(test_field_prep),
		cmocka_unit_test(test_field_set),
		cmocka_unit_test(test_align_up_down),
		cmocka_unit_test(test_align_keeps_64_bits),
		cmocka_unit_test(test_is_aligned),
		cmocka_unit_test(test_array_size),
	};

	return cmocka_run_group_tests_name("bits", tests, NULL, NULL);
}
