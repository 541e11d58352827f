// SPDX-License-Identifier: MIT
/*
 * core/page_alloc.c on a host arena: a PROT_NONE mapping in which only the
 * "free ranges" are made accessible, so that the allocator touching a hole
 * faults instead of passing silently.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <l0/bits.h>
#include <l0/page_alloc.h>

#include "stubs.h"

#define MiB (1UL << 20)
#define ARENA_SIZE (256 * MiB)
#define MAX_RANGES 8

static uint8_t *arena; /* 2 MiB aligned */
static void *arena_map;
static struct mem_range ranges[MAX_RANGES]; /* absolute addresses */
static size_t nranges;

#define R(b, s) ((struct mem_range){ (b), (s) })

/* Ranges as offsets into the arena. */
static const struct mem_range simple[] = { R(0, 4 * MiB) };
/* Unaligned ends, three ranges, holes between them. */
static const struct mem_range holes[] = {
	R(0x800, 0x100000 - 0x800),
	R(0x180000, 0x80000 + 0x123),
	R(0x300000, 0x100000),
};
#define HOLES_TOTAL (255 + 128 + 256 - 1)
/* A span of 193 MiB: a 2-page bitmap, too big for the first range. */
static const struct mem_range far[] = {
	R(0, PAGE_SIZE),
	R(MiB, 4 * MiB),
	R(192 * MiB, MiB),
};

static int arena_setup(void **state)
{
	(void)state;
	arena_map = mmap(NULL, ARENA_SIZE + 2 * MiB, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (arena_map == MAP_FAILED)
		return -1;
	arena = (uint8_t *)ALIGN_UP((uintptr_t)arena_map, 2 * MiB);
	return 0;
}

static int arena_teardown(void **state)
{
	(void)state;
	return munmap(arena_map, ARENA_SIZE + 2 * MiB);
}

/* Make only `rel` accessible, dirty it, and hand it to the allocator. */
static void init_layout(const struct mem_range *rel, size_t n)
{
	assert_int_equal(mprotect(arena, ARENA_SIZE, PROT_NONE), 0);
	for (size_t i = 0; i < n; i++) {
		uintptr_t b = (uintptr_t)arena + rel[i].base;
		uintptr_t lo = ALIGN_DOWN(b, PAGE_SIZE);
		uintptr_t hi = ALIGN_UP(b + rel[i].size, PAGE_SIZE);

		assert_int_equal(
			mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE),
			0);
		memset((void *)b, 0xa5, rel[i].size);
		ranges[i] = R(b, rel[i].size);
	}
	nranges = n;
	page_alloc_init(ranges, n);
}

static bool in_free_ranges(const void *p, size_t npages)
{
	uintptr_t a = (uintptr_t)p, e = a + npages * PAGE_SIZE;

	for (size_t i = 0; i < nranges; i++)
		if (a >= ranges[i].base && e <= mem_range_end(&ranges[i]))
			return true;
	return false;
}

static bool is_zero(const void *p, size_t len)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < len; i++)
		if (b[i])
			return false;
	return true;
}

static void test_counts_single_range(void **state)
{
	(void)state;
	init_layout(simple, ARRAY_SIZE(simple));
	/* 1024 pages, one of them the bitmap. */
	assert_int_equal(page_total_count(), 1023);
	assert_int_equal(page_free_count(), 1023);
}

static void test_counts_with_holes(void **state)
{
	(void)state;
	init_layout(holes, ARRAY_SIZE(holes));
	assert_int_equal(page_total_count(), HOLES_TOTAL);
	assert_int_equal(page_free_count(), HOLES_TOTAL);
}

/* Drain the pool page by page: every page once, none outside the ranges. */
static void test_drain_all_pages(void **state)
{
	static bool seen[ARENA_SIZE / PAGE_SIZE];
	size_t count = 0;
	void *p;

	(void)state;
	memset(seen, 0, sizeof(seen));
	init_layout(holes, ARRAY_SIZE(holes));
	while ((p = page_try_alloc(1, PAGE_SIZE))) {
		size_t idx = ((uintptr_t)p - (uintptr_t)arena) / PAGE_SIZE;

		assert_true(IS_ALIGNED((uintptr_t)p, PAGE_SIZE));
		assert_true(in_free_ranges(p, 1));
		assert_false(seen[idx]);
		seen[idx] = true;
		count++;
	}
	assert_int_equal(count, HOLES_TOTAL);
	assert_int_equal(page_free_count(), 0);
	/* The bitmap's page (the first whole page of the first range). */
	assert_false(seen[1]);
}

static void test_allocations_are_zeroed(void **state)
{
	uint8_t *p, *q;

	(void)state;
	init_layout(simple, ARRAY_SIZE(simple));
	p = page_alloc(4, PAGE_SIZE);
	assert_true(is_zero(p, 4 * PAGE_SIZE));
	memset(p, 0xff, 4 * PAGE_SIZE);
	page_free(p, 4);
	q = page_alloc(4, PAGE_SIZE);
	assert_ptr_equal(q, p);
	assert_true(is_zero(q, 4 * PAGE_SIZE));
}

static void test_alignment(void **state)
{
	static const size_t aligns[] = {
		0, 1, 8, PAGE_SIZE, 2 * PAGE_SIZE, 64 * 1024, MiB
	};
	void *p;

	(void)state;
	init_layout(simple, ARRAY_SIZE(simple));
	for (size_t i = 0; i < ARRAY_SIZE(aligns); i++) {
		size_t a = aligns[i] > PAGE_SIZE ? aligns[i] : PAGE_SIZE;

		p = page_alloc(i + 1, aligns[i]);
		assert_true(IS_ALIGNED((uintptr_t)p, a));
		assert_true(in_free_ranges(p, i + 1));
	}
	/* Page 0 is the bitmap: the first 2 MiB-aligned run is at 2 MiB. */
	p = page_alloc(3, 2 * MiB);
	assert_ptr_equal(p, arena + 2 * MiB);
	assert_null(page_try_alloc(1, 2 * MiB));
	assert_null(page_try_alloc(1, 4 * MiB));
}

/* Runs never straddle a hole: they go where they fit whole. */
static void test_runs_skip_holes(void **state)
{
	(void)state;
	init_layout(holes, ARRAY_SIZE(holes));
	assert_ptr_equal(page_alloc(200, 0), arena + 0x2000);
	assert_ptr_equal(page_alloc(200, 0), arena + 0x300000);
	assert_null(page_try_alloc(129, 0));
	assert_ptr_equal(page_alloc(128, 0), arena + 0x180000);
	assert_ptr_equal(page_alloc(54, 0), arena + 0xca000);
	assert_ptr_equal(page_alloc(56, 0), arena + 0x3c8000);
	assert_int_equal(page_free_count(), 0);
}

static void test_free_then_realloc_reuses(void **state)
{
	void *a, *b, *c;

	(void)state;
	init_layout(simple, ARRAY_SIZE(simple));
	a = page_alloc(2, 0);
	b = page_alloc(1, 0);
	assert_ptr_not_equal(a, b);
	assert_int_equal(page_free_count(), 1023 - 3);
	page_free(a, 2);
	assert_int_equal(page_free_count(), 1023 - 1);
	c = page_alloc(2, 0);
	assert_ptr_equal(c, a);
	/* A run freed in the middle is found again, not only at the hint. */
	page_free(b, 1);
	assert_ptr_equal(page_alloc(1, 0), b);
	assert_int_equal(page_free_count(), 1023 - 3);
}

static void test_out_of_memory_panics(void **state)
{
	(void)state;
	init_layout(simple, ARRAY_SIZE(simple));
	assert_null(page_try_alloc(1024, 0));
	assert_int_equal(page_free_count(), 1023);
	EXPECT_PANIC(page_alloc(1024, 0x2000));
	assert_substr(stub_panic_msg, "out of memory");
	assert_substr(stub_panic_msg, "1024 pages");
	assert_substr(stub_panic_msg, "align 0x2000");
	assert_substr(stub_panic_msg, "1023 of 1023 free");
	/* What is left still works. */
	assert_non_null(page_alloc(1023, 0));
	EXPECT_PANIC(page_alloc(1, 0));
	assert_substr(stub_panic_msg, "1 pages");
	assert_substr(stub_panic_msg, "0 of 1023 free");
}

static void test_double_free_panics(void **state)
{
	void *p;

	(void)state;
	init_layout(simple, ARRAY_SIZE(simple));
	p = page_alloc(3, 0);
	page_free(p, 3);
	EXPECT_PANIC(page_free(p, 1));
	assert_substr(stub_panic_msg, "double free");
	/* A run that is only partly allocated is a double free too. */
	p = page_alloc(2, 0);
	EXPECT_PANIC(page_free(p, 3));
	assert_substr(stub_panic_msg, "double free");
	/* The failed frees changed nothing; the allocator still works. */
	assert_int_equal(page_free_count(), 1023 - 2);
	page_free(p, 2);
	assert_int_equal(page_free_count(), 1023);
}

static void test_free_outside_pool_panics(void **state)
{
	uint8_t *p;

	(void)state;
	init_layout(holes, ARRAY_SIZE(holes));
	p = page_alloc(1, 0);
	EXPECT_PANIC(page_free(arena - PAGE_SIZE, 1));
	assert_substr(stub_panic_msg, "not an allocator page");
	EXPECT_PANIC(page_free(arena + 0x400000, 1));
	assert_substr(stub_panic_msg, "not an allocator page");
	EXPECT_PANIC(page_free(arena + 0x3ff000, 2));
	assert_substr(stub_panic_msg, "not an allocator page");
	EXPECT_PANIC(page_free(p + 8, 1));
	assert_substr(stub_panic_msg, "not an allocator page");
	EXPECT_PANIC(page_free((void *)8, 1));
	assert_substr(stub_panic_msg, "not an allocator page");
	assert_int_equal(page_free_count(), HOLES_TOTAL - 1);
}

/* A page in a hole inside the span is foreign too, and must not be freed. */
static void test_free_hole_page_panics(void **state)
{
	(void)state;
	init_layout(holes, ARRAY_SIZE(holes));
	EXPECT_PANIC(page_free(arena + 0x100000, 1));
	assert_substr(stub_panic_msg, "not an allocator page");
	assert_int_equal(page_free_count(), HOLES_TOTAL);
}

/* Freeing the bitmap's own page would hand the bitmap out next. */
static void test_free_bitmap_page_panics(void **state)
{
	(void)state;
	init_layout(simple, ARRAY_SIZE(simple));
	EXPECT_PANIC(page_free(arena, 1));
	assert_substr(stub_panic_msg, "not an allocator page");
	assert_int_equal(page_free_count(), 1023);
}

/* A first range too small for the bitmap: it goes in the next one. */
static void test_bitmap_in_second_range(void **state)
{
	size_t span = (193 * MiB) / PAGE_SIZE;
	size_t bitmap_pages =
		ALIGN_UP((span + 63) / 64 * 8, PAGE_SIZE) / PAGE_SIZE;
	size_t total = 1 + 1024 + 256 - bitmap_pages;
	size_t count = 0;
	uint8_t *p;

	(void)state;
	assert_int_equal(bitmap_pages, 2);
	init_layout(far, ARRAY_SIZE(far));
	assert_int_equal(page_total_count(), total);
	assert_ptr_equal(page_alloc(1, 0), arena);
	while ((p = page_try_alloc(1, 0))) {
		assert_true(in_free_ranges(p, 1));
		assert_true(p < arena + MiB ||
			    p >= arena + MiB + 2 * PAGE_SIZE);
		count++;
	}
	assert_int_equal(count, total - 1);
}

static void test_no_room_for_bitmap_panics(void **state)
{
	static const struct mem_range tiny[] = {
		R(0, PAGE_SIZE),
		R(MiB, PAGE_SIZE),
		R(192 * MiB, PAGE_SIZE),
	};

	(void)state;
	EXPECT_PANIC(init_layout(tiny, ARRAY_SIZE(tiny)));
	assert_substr(stub_panic_msg, "2-page bitmap");
}

static void test_bad_requests_are_bugs(void **state)
{
	(void)state;
	init_layout(simple, ARRAY_SIZE(simple));
	EXPECT_PANIC(page_alloc(0, 0));
	assert_substr(stub_panic_msg, "BUG");
	EXPECT_PANIC(page_alloc(1, 3 * PAGE_SIZE));
	assert_substr(stub_panic_msg, "BUG");
	EXPECT_PANIC(page_alloc_init(ranges, 0));
	assert_substr(stub_panic_msg, "BUG");
}

/* In a child: a crash there fails this test instead of the whole binary. */
static void huge_request_child(void)
{
	init_layout(far, ARRAY_SIZE(far));
	page_alloc(1, 0); /* page 0 is free: this moves the hint to 1 */
	_exit(page_try_alloc(SIZE_MAX, 0) || page_try_alloc(SIZE_MAX - 1, 0));
}

/* npages so large that index + npages wraps must fail, not "succeed". */
static void test_huge_request_fails(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (!freopen("/dev/null", "w", stderr))
			_exit(2);
		huge_request_child();
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail_msg("page_try_alloc(SIZE_MAX) did not return NULL: %s %d",
			 WIFEXITED(status) ? "exit" : "signal",
			 WIFEXITED(status) ? WEXITSTATUS(status)
					   : WTERMSIG(status));
}

/*
 * Past a large block in use (a VM's RAM), first fit still finds the first
 * free page, whichever side of the block, whatever alignment is asked.
 */
static void test_first_fit_past_big_block(void **state)
{
	static const struct mem_range big[] = { R(0, 64 * MiB) };
	uint8_t *a, *block, *b, *c;

	(void)state;
	init_layout(big, 1);
	a = page_try_alloc(1, PAGE_SIZE);
	block = page_try_alloc(8192 + 3, PAGE_SIZE);
	assert_non_null(block);
	assert_ptr_equal(block, a + PAGE_SIZE);
	page_free(a, 1);
	assert_ptr_equal(page_try_alloc(1, PAGE_SIZE), a);
	/* Nothing free below the block now: the next pages follow it. */
	b = page_try_alloc(1, PAGE_SIZE);
	assert_ptr_equal(b, block + (8192 + 3) * PAGE_SIZE);
	c = page_try_alloc(4, 4 * PAGE_SIZE);
	assert_ptr_equal(c, (uint8_t *)ALIGN_UP((uintptr_t)b + PAGE_SIZE,
						4 * PAGE_SIZE));
	/* A page freed inside the block is found before anything after it. */
	page_free(block + 5000 * PAGE_SIZE, 1);
	assert_ptr_equal(page_try_alloc(1, PAGE_SIZE),
			 block + 5000 * PAGE_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_single_range),
		cmocka_unit_test(test_first_fit_past_big_block),
		cmocka_unit_test(test_counts_with_holes),
		cmocka_unit_test(test_drain_all_pages),
		cmocka_unit_test(test_allocations_are_zeroed),
		cmocka_unit_test(test_alignment),
		cmocka_unit_test(test_runs_skip_holes),
		cmocka_unit_test(test_free_then_realloc_reuses),
		cmocka_unit_test(test_out_of_memory_panics),
		cmocka_unit_test(test_double_free_panics),
		cmocka_unit_test(test_free_outside_pool_panics),
		cmocka_unit_test(test_free_hole_page_panics),
		cmocka_unit_test(test_free_bitmap_page_panics),
		cmocka_unit_test(test_bitmap_in_second_range),
		cmocka_unit_test(test_no_room_for_bitmap_panics),
		cmocka_unit_test(test_bad_requests_are_bugs),
		cmocka_unit_test(test_huge_request_fails),
	};

	return cmocka_run_group_tests_name("page_alloc", tests, arena_setup,
					   arena_teardown);
}
