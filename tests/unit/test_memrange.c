// SPDX-License-Identifier: MIT
/* core/memrange.c: normalizing range sets and punching holes in them. */
#include <stdbool.h>

#include <l0/bits.h>
#include <l0/memrange.h>

#include "stubs.h"

#define MAXR 8
#define R(b, s) ((struct mem_range){ (b), (s) })

/* Assert that set[0..n) equals the expected ranges, printing both if not. */
static void check_set(const struct mem_range *set, size_t n,
		      const struct mem_range *want, size_t nwant)
{
	bool same = n == nwant;

	for (size_t i = 0; same && i < n; i++)
		same = set[i].base == want[i].base &&
		       set[i].size == want[i].size;
	if (same)
		return;
	for (size_t i = 0; i < n; i++)
		print_error("got  [%zu] 0x%llx+0x%llx\n", i,
			    (unsigned long long)set[i].base,
			    (unsigned long long)set[i].size);
	for (size_t i = 0; i < nwant; i++)
		print_error("want [%zu] 0x%llx+0x%llx\n", i,
			    (unsigned long long)want[i].base,
			    (unsigned long long)want[i].size);
	fail();
}

#define CHECK(set, n, ...)                                     \
	do {                                                   \
		const struct mem_range _w[] = { __VA_ARGS__ }; \
		check_set(set, n, _w, ARRAY_SIZE(_w));         \
	} while (0)

/* One range [0x1000, 0x9000) to punch holes in. */
static size_t one(struct mem_range *set)
{
	set[0] = R(0x1000, 0x8000);
	return 1;
}

static void test_normalize_sorts(void **state)
{
	struct mem_range s[MAXR] = { R(0x9000, 0x1000), R(0x1000, 0x1000),
				     R(0x5000, 0x1000) };
	size_t n = 3;

	(void)state;
	mem_ranges_normalize(s, &n);
	CHECK(s, n, R(0x1000, 0x1000), R(0x5000, 0x1000), R(0x9000, 0x1000));
}

static void test_normalize_merges_overlap(void **state)
{
	struct mem_range s[MAXR] = { R(0x3000, 0x3000), R(0x1000, 0x3000),
				     R(0x2000, 0x1000) };
	size_t n = 3;

	(void)state;
	mem_ranges_normalize(s, &n);
	CHECK(s, n, R(0x1000, 0x5000));
}

static void test_normalize_merges_touching(void **state)
{
	struct mem_range s[MAXR] = { R(0x2000, 0x1000), R(0x1000, 0x1000),
				     R(0x3000, 0x1000), R(0x8000, 0x1000) };
	size_t n = 4;

	(void)state;
	mem_ranges_normalize(s, &n);
	CHECK(s, n, R(0x1000, 0x3000), R(0x8000, 0x1000));
}

/* A range inside another, and a chain of merges through the first one. */
static void test_normalize_contained(void **state)
{
	struct mem_range s[MAXR] = { R(0x1000, 0x10000), R(0x2000, 0x1000),
				     R(0x10000, 0x4000), R(0x14000, 0x1000) };
	size_t n = 4;

	(void)state;
	mem_ranges_normalize(s, &n);
	CHECK(s, n, R(0x1000, 0x14000));
}

static void test_normalize_drops_empty(void **state)
{
	struct mem_range s[MAXR] = { R(0x5000, 0), R(0x1000, 0x1000), R(0, 0),
				     R(0x1800, 0), R(0x3000, 0x1000) };
	size_t n = 5;

	(void)state;
	mem_ranges_normalize(s, &n);
	CHECK(s, n, R(0x1000, 0x1000), R(0x3000, 0x1000));
	n = 1;
	s[0] = R(0x1000, 0);
	mem_ranges_normalize(s, &n);
	assert_int_equal(n, 0);
}

static void test_normalize_empty_and_single(void **state)
{
	struct mem_range s[MAXR] = { R(0x80000000, 0x8000000) };
	size_t n = 0;

	(void)state;
	mem_ranges_normalize(s, &n);
	assert_int_equal(n, 0);
	n = 1;
	mem_ranges_normalize(s, &n);
	CHECK(s, n, R(0x80000000, 0x8000000));
}

static void test_remove_at_start(void **state)
{
	struct mem_range s[MAXR];
	size_t n = one(s);

	(void)state;
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0x1000, 0x2000)), 0);
	CHECK(s, n, R(0x3000, 0x6000));
	/* A hole that starts below the range trims it too. */
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0, 0x4000)), 0);
	CHECK(s, n, R(0x4000, 0x5000));
}

static void test_remove_at_end(void **state)
{
	struct mem_range s[MAXR];
	size_t n = one(s);

	(void)state;
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0x8000, 0x1000)), 0);
	CHECK(s, n, R(0x1000, 0x7000));
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0x7000, 0x10000)), 0);
	CHECK(s, n, R(0x1000, 0x6000));
}

static void test_remove_splits(void **state)
{
	struct mem_range s[MAXR];
	size_t n = one(s);

	(void)state;
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0x3000, 0x1000)), 0);
	CHECK(s, n, R(0x1000, 0x2000), R(0x4000, 0x5000));
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0x5000, 0x1000)), 0);
	CHECK(s, n, R(0x1000, 0x2000), R(0x4000, 0x1000), R(0x6000, 0x3000));
}

/* Splitting the first range shifts the ones after it up. */
static void test_remove_split_keeps_order(void **state)
{
	struct mem_range s[MAXR] = { R(0x1000, 0x4000), R(0x10000, 0x1000),
				     R(0x20000, 0x1000) };
	size_t n = 3;

	(void)state;
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0x2000, 0x1000)), 0);
	CHECK(s, n, R(0x1000, 0x1000), R(0x3000, 0x2000), R(0x10000, 0x1000),
	      R(0x20000, 0x1000));
}

static void test_remove_whole(void **state)
{
	struct mem_range s[MAXR];
	size_t n = one(s);

	(void)state;
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0x1000, 0x8000)), 0);
	assert_int_equal(n, 0);
	n = one(s);
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0, 0x100000)), 0);
	assert_int_equal(n, 0);
}

/* One hole over several ranges: trims both ends, drops what is inside. */
static void test_remove_spanning(void **state)
{
	struct mem_range s[MAXR] = { R(0x1000, 0x2000), R(0x4000, 0x1000),
				     R(0x6000, 0x1000), R(0x8000, 0x2000),
				     R(0x20000, 0x1000) };
	size_t n = 5;

	(void)state;
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0x2000, 0x7000)), 0);
	CHECK(s, n, R(0x1000, 0x1000), R(0x9000, 0x1000), R(0x20000, 0x1000));
}

static void test_remove_disjoint_and_empty_hole(void **state)
{
	struct mem_range s[MAXR] = { R(0x1000, 0x1000), R(0x4000, 0x1000) };
	size_t n = 2;

	(void)state;
	/* Touching but not overlapping: nothing changes. */
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0x2000, 0x2000)), 0);
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0, 0x1000)), 0);
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0x5000, 0x1000)), 0);
	/* A zero-size hole in the middle of a range is no hole. */
	assert_int_equal(mem_ranges_remove(s, &n, MAXR, R(0x1800, 0)), 0);
	CHECK(s, n, R(0x1000, 0x1000), R(0x4000, 0x1000));
}

static void test_remove_out_of_room(void **state)
{
	struct mem_range s[2] = { R(0x1000, 0x1000), R(0x4000, 0x4000) };
	size_t n = 2;

	(void)state;
	assert_int_equal(mem_ranges_remove(s, &n, 2, R(0x5000, 0x1000)), -1);
	/* Untouched on failure. */
	CHECK(s, n, R(0x1000, 0x1000), R(0x4000, 0x4000));
	/* Trimming needs no room, so it still works when full. */
	assert_int_equal(mem_ranges_remove(s, &n, 2, R(0x4000, 0x1000)), 0);
	CHECK(s, n, R(0x1000, 0x1000), R(0x5000, 0x3000));
}

static void test_remove_fill_to_max(void **state)
{
	struct mem_range s[4];
	size_t n = one(s);

	(void)state;
	assert_int_equal(mem_ranges_remove(s, &n, 4, R(0x2000, 0x1000)), 0);
	assert_int_equal(mem_ranges_remove(s, &n, 4, R(0x4000, 0x1000)), 0);
	assert_int_equal(mem_ranges_remove(s, &n, 4, R(0x6000, 0x1000)), 0);
	assert_int_equal(n, 4);
	assert_int_equal(mem_ranges_remove(s, &n, 4, R(0x7800, 0x100)), -1);
	CHECK(s, n, R(0x1000, 0x1000), R(0x3000, 0x1000), R(0x5000, 0x1000),
	      R(0x7000, 0x2000));
}

/* Ranges up at the top of the 64-bit space. */
static void test_remove_high_addresses(void **state)
{
	struct mem_range s[MAXR] = { R(0xffffffff00000000ULL, 0xf0000000) };
	size_t n = 1;

	(void)state;
	assert_int_equal(mem_ranges_remove(s, &n, MAXR,
					   R(0xffffffff10000000ULL, 0x1000)),
			 0);
	CHECK(s, n, R(0xffffffff00000000ULL, 0x10000000),
	      R(0xffffffff10001000ULL, 0xdffff000));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize_sorts),
		cmocka_unit_test(test_normalize_merges_overlap),
		cmocka_unit_test(test_normalize_merges_touching),
		cmocka_unit_test(test_normalize_contained),
		cmocka_unit_test(test_normalize_drops_empty),
		cmocka_unit_test(test_normalize_empty_and_single),
		cmocka_unit_test(test_remove_at_start),
		cmocka_unit_test(test_remove_at_end),
		cmocka_unit_test(test_remove_splits),
		cmocka_unit_test(test_remove_split_keeps_order),
		cmocka_unit_test(test_remove_whole),
		cmocka_unit_test(test_remove_spanning),
		cmocka_unit_test(test_remove_disjoint_and_empty_hole),
		cmocka_unit_test(test_remove_out_of_room),
		cmocka_unit_test(test_remove_fill_to_max),
		cmocka_unit_test(test_remove_high_addresses),
	};

	return cmocka_run_group_tests_name("memrange", tests, NULL, NULL);
}
