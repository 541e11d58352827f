/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the G-stage unit tests (test_gstage.c, test_gstage_unmap.c):
 * arch/riscv/gstage.c on the host, its tables from core/page_alloc.c over a
 * host buffer. Every case runs in both modes. The checks read the tables as
 * the privileged spec lays them out (constants below, not the code's): each
 * census walks the whole tree, checks every entry's bits, counts the leaves
 * per level and accounts for every page the allocator handed out.
 */
#ifndef GSTAGE_FIXTURE_H
#define GSTAGE_FIXTURE_H

/* Each test file uses only some of the helpers; its own tests stay checked. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"

#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>

#include <arch/gstage.h>
#include <l0/bits.h>
#include <l0/page_alloc.h>

#include "stubs.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define POOL_SIZE (4 * MiB)
#define MAX_PAGES (POOL_SIZE / PAGE_SIZE)
#define ROOT_PAGES 4

/* Privileged spec: PTE bits and the hgatp fields. */
#define T_V BIT(0)
#define T_R BIT(1)
#define T_W BIT(2)
#define T_X BIT(3)
#define T_U BIT(4)
#define T_G BIT(5)
#define T_A BIT(6)
#define T_D BIT(7)
#define T_RWX (T_R | T_W | T_X)

static uint8_t *arena; /* 2 MiB aligned */
static void *arena_map;
static struct gstage g;
static size_t free0;		 /* free pages before gstage_init() */
static void *ballast[MAX_PAGES]; /* pages taken to starve the allocator */
static size_t nballast;

static enum gstage_mode sv39x4 = GSTAGE_SV39X4;
static enum gstage_mode sv48x4 = GSTAGE_SV48X4;

struct census {
	size_t leaves[3]; /* 4 KiB, 2 MiB, 1 GiB */
	size_t tables;	  /* besides the root */
};

static int arena_setup(void **state)
{
	(void)state;
	arena_map = mmap(NULL, POOL_SIZE + 2 * MiB, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena_map == MAP_FAILED)
		return -1;
	arena = (uint8_t *)ALIGN_UP((uintptr_t)arena_map, 2 * MiB);
	return 0;
}

static int arena_teardown(void **state)
{
	(void)state;
	return munmap(arena_map, POOL_SIZE + 2 * MiB);
}

static void pool_reset(void)
{
	struct mem_range r = { (uintptr_t)arena, POOL_SIZE };

	memset(arena, 0xa5, POOL_SIZE);
	page_alloc_init(&r, 1);
	nballast = 0;
}

/* A fresh pool and an empty table of the case's mode. */
static enum gstage_mode start(void **state)
{
	enum gstage_mode mode = *(const enum gstage_mode *)*state;

	pool_reset();
	free0 = page_free_count();
	assert_int_equal(gstage_init(&g, mode, 1), 0);
	return mode;
}

static void release_ballast(void)
{
	while (nballast)
		page_free(ballast[--nballast], 1);
}

/* Take pages until exactly k are free. */
static void leave_free(size_t k)
{
	release_ballast();
	assert_true(page_free_count() >= k);
	while (page_free_count() > k)
		ballast[nballast++] = page_alloc(1, PAGE_SIZE);
}

static int root_level(void)
{
	return g.mode == GSTAGE_SV39X4 ? 2 : 3;
}

static uint64_t level_size(int level)
{
	return PAGE_SIZE << (9 * level);
}

static uint64_t *pte_table(uint64_t pte)
{
	return (uint64_t *)(uintptr_t)(((pte >> 10) & GENMASK(43, 0)) << 12);
}

static void check_leaf(uint64_t pte, int level)
{
	uint64_t pa = ((pte >> 10) & GENMASK(43, 0)) << 12;

	assert_int_equal(pte & (T_U | T_A | T_D | T_G), T_U | T_A | T_D);
	assert_int_not_equal(pte & (T_R | T_W), T_W);
	assert_true(level <= 2);
	assert_true(IS_ALIGNED(pa, level_size(level)));
}

static void walk(const uint64_t *t, size_t n, int level, struct census *c)
{
	for (size_t i = 0; i < n; i++) {
		uint64_t pte = t[i];

		if (!(pte & T_V)) {
			assert_int_equal(pte, 0);
			continue;
		}
		assert_int_equal(pte >> 54, 0);
		if (pte & T_RWX) {
			check_leaf(pte, level);
			c->leaves[level]++;
			continue;
		}
		/* Non-leaf: V only; D, A, U are reserved there. */
		assert_true(level > 0);
		assert_int_equal(pte & 0x3ff, T_V);
		c->tables++;
		walk(pte_table(pte), 512, level - 1, c);
	}
}

/* Walk and check the whole tree; every page taken is in it or ballast. */
static struct census census(void)
{
	struct census c;

	memset(&c, 0, sizeof(c));
	walk(g.root, 2048, root_level(), &c);
	assert_int_equal(free0 - page_free_count(),
			 ROOT_PAGES + c.tables + nballast);
	assert_int_equal(g.tables, g.root ? ROOT_PAGES + c.tables : 0);
	return c;
}

static void expect_leaves(size_t l0, size_t l1, size_t l2)
{
	struct census c = census();

	assert_int_equal(c.leaves[0], l0);
	assert_int_equal(c.leaves[1], l1);
	assert_int_equal(c.leaves[2], l2);
}

static void expect_map(uint64_t gpa, uint64_t hpa, unsigned int prot)
{
	uint64_t h = ~0ULL;
	unsigned int p = ~0U;

	if (!gstage_translate(&g, gpa, &h, &p))
		fail_msg("gpa 0x%llx unmapped", (unsigned long long)gpa);
	assert_int_equal(h, hpa);
	assert_int_equal(p, prot);
}

static void expect_unmapped(uint64_t gpa)
{
	if (gstage_translate(&g, gpa, NULL, NULL))
		fail_msg("gpa 0x%llx mapped", (unsigned long long)gpa);
}

/* Every page of small ranges, a sample of large ones, both ends. */
static void expect_range(uint64_t gpa, uint64_t hpa, uint64_t size,
			 unsigned int prot)
{
	uint64_t step = size <= 8 * MiB ? PAGE_SIZE : 0x7ff000;

	for (uint64_t off = 0; off < size; off += step) {
		expect_map(gpa + off, hpa + off, prot);
		expect_map(gpa + off + 0x7ff, hpa + off + 0x7ff, prot);
	}
	expect_map(gpa + size - 1, hpa + size - 1, prot);
}

/* A map the code must refuse. */
static void expect_rejected(uint64_t gpa, uint64_t hpa, uint64_t size,
			    unsigned int prot)
{
	if (gstage_map(&g, gpa, hpa, size, prot) != -1)
		fail_msg("map 0x%llx 0x%llx 0x%llx %u accepted",
			 (unsigned long long)gpa, (unsigned long long)hpa,
			 (unsigned long long)size, prot);
}

/* Destroy: every page is back. */
static void finish(void)
{
	census();
	gstage_destroy(&g);
	assert_null(g.root);
	release_ballast();
	assert_int_equal(page_free_count(), free0);
}

#define MODE_TEST(fn, m)                                                 \
	{                                                                \
		.name = #fn "/" #m, .test_func = fn, .initial_state = &m \
	}
#define BOTH_MODES(fn) MODE_TEST(fn, sv39x4), MODE_TEST(fn, sv48x4)

#pragma GCC diagnostic pop

#endif
