// SPDX-License-Identifier: MIT
/*
 * arch/riscv/gstage.c on the host, its tables from core/page_alloc.c over a
 * host buffer. Every case runs in both modes. The checks read the tables as
 * the privileged spec lays them out (constants below, not the code's): each
 * census walks the whole tree, checks every entry's bits, counts the leaves
 * per level and accounts for every page the allocator handed out.
 */
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

/* Destroy: every page is back. */
static void finish(void)
{
	census();
	gstage_destroy(&g);
	assert_null(g.root);
	release_ballast();
	assert_int_equal(page_free_count(), free0);
}

static void test_page_sizes(void **state)
{
	start(state);
	assert_int_equal(gstage_map(&g, 0x1000, 0x80005000, 4 * KiB, GSTAGE_R),
			 0);
	expect_leaves(1, 0, 0);
	assert_int_equal(
		gstage_map(&g, 6 * MiB, 0x80600000, 2 * MiB, GSTAGE_RWX), 0);
	expect_leaves(1, 1, 0);
	assert_int_equal(gstage_map(&g, 2 * GiB, 5 * GiB, GiB, GSTAGE_RWX), 0);
	expect_leaves(1, 1, 1);
	/* One L1 and one L0 table (and one L2 in Sv48x4). */
	assert_int_equal(census().tables, root_level());
	expect_range(0x1000, 0x80005000, 4 * KiB, GSTAGE_R);
	expect_range(6 * MiB, 0x80600000, 2 * MiB, GSTAGE_RWX);
	expect_range(2 * GiB, 5 * GiB, GiB, GSTAGE_RWX);
	expect_unmapped(0);
	expect_unmapped(0x2000);
	expect_unmapped(6 * MiB - 1);
	expect_unmapped(8 * MiB);
	expect_unmapped(2 * GiB - 1);
	expect_unmapped(3 * GiB);
	finish();
}

/*
 * A run (gstage_run_at, gstage_run_fill): only in a last-level table that is
 * there, never across its end; a fill only where nothing is mapped, only
 * with a valid prot and a page-aligned host range below 2^56; pages of one
 * fill to host pages in a row.
 */
static void test_fill_run(void **state)
{
	uint64_t hpa[8] = { 0x80100000, 0x80200000, 0x80300000, 0x80400000,
			    0x80500000, 0x80600000, 0x80700000, 0x80800123 };
	unsigned int prot[8] = { GSTAGE_R, 0,	     GSTAGE_RWX,
				 GSTAGE_W, GSTAGE_X, GSTAGE_R | GSTAGE_W,
				 GSTAGE_R, GSTAGE_R };
	uint64_t r = gstage_leaf_flags(GSTAGE_R), gpa = 4 * MiB;
	struct gstage_run run;
	unsigned int mapped = 0;

	start(state);
	/* No table under 4 MiB yet: no run, and nothing allocated. */
	assert_false(gstage_run_at(&g, gpa, 8, &run));
	assert_int_equal(gstage_run_fill(&run, 0, 1, hpa[0], r), 0);
	assert_int_equal(census().tables, 0);
	assert_int_equal(gstage_map(&g, gpa + 6 * PAGE_SIZE, 0x90000000,
				    PAGE_SIZE, GSTAGE_X),
			 0);
	assert_true(gstage_run_at(&g, gpa, 8, &run));
	/* Page 1: no prot; 3: W without R; 6: mapped; 7: misaligned hpa. */
	for (unsigned int i = 0; i < 8; i++)
		mapped += gstage_run_fill(&run, i, 1, hpa[i],
					  gstage_leaf_flags(prot[i]));
	assert_int_equal(mapped, 4);
	/* Past 2^56, past the run's end, or no page at all: nothing. */
	assert_int_equal(gstage_run_fill(&run, 1, 1, 1ULL << 56, r), 0);
	assert_int_equal(
		gstage_run_fill(&run, 1, 1, (1ULL << 56) - PAGE_SIZE, r), 1);
	assert_int_equal(
		gstage_run_fill(&run, 3, 2, (1ULL << 56) - PAGE_SIZE, r), 0);
	assert_int_equal(gstage_run_fill(&run, 8, 1, 0x80900000, r), 0);
	assert_int_equal(gstage_run_fill(&run, 7, 2, 0x80900000, r), 0);
	assert_int_equal(gstage_run_fill(&run, 3, 0, 0x80900000, r), 0);
	expect_map(gpa, 0x80100000, GSTAGE_R);
	expect_map(gpa + PAGE_SIZE, (1ULL << 56) - PAGE_SIZE, GSTAGE_R);
	expect_map(gpa + 2 * PAGE_SIZE, 0x80300000, GSTAGE_RWX);
	expect_unmapped(gpa + 3 * PAGE_SIZE);
	expect_map(gpa + 4 * PAGE_SIZE, 0x80500000, GSTAGE_X);
	expect_map(gpa + 5 * PAGE_SIZE, 0x80600000, GSTAGE_R | GSTAGE_W);
	expect_map(gpa + 6 * PAGE_SIZE, 0x90000000, GSTAGE_X);
	expect_unmapped(gpa + 7 * PAGE_SIZE);
	expect_leaves(6, 0, 0);
	/* Pages 2 to 7 to 0xa0000000 on: only 3 and 7 were unmapped. */
	assert_int_equal(gstage_run_fill(&run, 2, 6, 0xa0000000, r), 2);
	expect_map(gpa + 2 * PAGE_SIZE, 0x80300000, GSTAGE_RWX);
	expect_map(gpa + 3 * PAGE_SIZE, 0xa0001000, GSTAGE_R);
	expect_map(gpa + 6 * PAGE_SIZE, 0x90000000, GSTAGE_X);
	expect_map(gpa + 7 * PAGE_SIZE, 0xa0005000, GSTAGE_R);
	expect_leaves(8, 0, 0);
	/* A run past the table's last entry, of no page, or misaligned. */
	assert_false(gstage_run_at(&g, gpa + 2 * MiB - 4 * PAGE_SIZE, 8, &run));
	assert_false(gstage_run_at(&g, gpa, 0, &run));
	assert_false(gstage_run_at(&g, gpa + 1, 1, &run));
	assert_int_equal(gstage_run_fill(&run, 0, 1, hpa[0], r), 0);
	expect_leaves(8, 0, 0);
	finish();
}

/* 3 x 4K, 2M, 1G, 2 x 2M, 5 x 4K, and nothing around them. */
static void test_mixed_range(void **state)
{
	uint64_t gpa = 3 * GiB - 2 * MiB - 3 * PAGE_SIZE;
	uint64_t hpa = gpa + 64 * GiB;
	uint64_t size = 8 * PAGE_SIZE + 3 * 2 * MiB + GiB;

	start(state);
	assert_int_equal(gstage_map(&g, gpa, hpa, size, GSTAGE_R | GSTAGE_W),
			 0);
	expect_leaves(8, 3, 1);
	expect_range(gpa, hpa, size, GSTAGE_R | GSTAGE_W);
	expect_range(gpa, hpa, 4 * MiB, GSTAGE_R | GSTAGE_W);
	expect_range(gpa + size - 4 * MiB, hpa + size - 4 * MiB, 4 * MiB,
		     GSTAGE_R | GSTAGE_W);
	expect_unmapped(gpa - 1);
	expect_unmapped(gpa + size);
	finish();
}

/* Huge pages need gpa and hpa aligned alike, not only the gpa. */
static void test_misaligned_hpa(void **state)
{
	start(state);
	assert_int_equal(gstage_map(&g, GiB, GiB + 0x1000, 4 * MiB, GSTAGE_R),
			 0);
	expect_leaves(1024, 0, 0);
	expect_range(GiB, GiB + 0x1000, 4 * MiB, GSTAGE_R);
	assert_int_equal(
		gstage_map(&g, 4 * GiB, 9 * GiB + 2 * MiB, GiB, GSTAGE_X), 0);
	expect_leaves(1024, 512, 0);
	expect_range(4 * GiB, 9 * GiB + 2 * MiB, GiB, GSTAGE_X);
	finish();
}

/* The PTE of gpa's leaf, read as hardware does. */
static uint64_t leaf_pte(uint64_t gpa, int *level)
{
	uint64_t *t = g.root;

	for (int l = root_level(); l >= 0; l--) {
		uint64_t mask = l == root_level() ? 2047 : 511;
		uint64_t pte = t[(gpa >> (12 + 9 * l)) & mask];

		assert_true(pte & T_V);
		if (pte & T_RWX) {
			*level = l;
			return pte;
		}
		t = pte_table(pte);
	}
	fail_msg("no leaf for 0x%llx", (unsigned long long)gpa);
	return 0;
}

static void test_pte_bits(void **state)
{
	static const unsigned int prots[] = {
		GSTAGE_R,   GSTAGE_R | GSTAGE_W, GSTAGE_X, GSTAGE_R | GSTAGE_X,
		GSTAGE_RWX,
	};
	static const uint64_t sizes[] = { 4 * KiB, 2 * MiB, GiB };
	int level;

	start(state);
	for (size_t i = 0; i < ARRAY_SIZE(prots); i++) {
		for (int s = 0; s < 3; s++) {
			uint64_t gpa = (8 * i + 2 * s + 2) * GiB;
			uint64_t hpa = gpa + 128 * GiB;
			uint64_t pte;

			assert_int_equal(
				gstage_map(&g, gpa, hpa, sizes[s], prots[i]),
				0);
			pte = leaf_pte(gpa, &level);
			assert_int_equal(level, s);
			assert_int_equal(pte & 0x3ff, T_V | T_U | T_A | T_D |
							      (prots[i] << 1));
			assert_int_equal(pte >> 10, hpa >> 12);
			expect_map(gpa + 0x123, hpa + 0x123, prots[i]);
		}
	}
	expect_leaves(5, 5, 5);
	finish();
}

static void expect_rejected(uint64_t gpa, uint64_t hpa, uint64_t size,
			    unsigned int prot)
{
	if (gstage_map(&g, gpa, hpa, size, prot) != -1)
		fail_msg("map 0x%llx 0x%llx 0x%llx %u accepted",
			 (unsigned long long)gpa, (unsigned long long)hpa,
			 (unsigned long long)size, prot);
}

static void test_bad_args(void **state)
{
	uint64_t lim;

	start(state);
	lim = gstage_gpa_limit(g.mode);
	/* W without R is reserved; no R/W/X is not a mapping. */
	expect_rejected(0, 0, PAGE_SIZE, GSTAGE_W);
	expect_rejected(0, 0, PAGE_SIZE, GSTAGE_W | GSTAGE_X);
	expect_rejected(0, 0, PAGE_SIZE, 0);
	expect_rejected(0, 0, PAGE_SIZE, GSTAGE_R | 8);
	expect_rejected(0, 0, PAGE_SIZE, ~0U);
	/* Alignment, size 0, wrap-around, limits. */
	expect_rejected(0x800, 0, PAGE_SIZE, GSTAGE_R);
	expect_rejected(0, 0x800, PAGE_SIZE, GSTAGE_R);
	expect_rejected(0, 0, 0x800, GSTAGE_R);
	expect_rejected(0, 0, 0, GSTAGE_R);
	expect_rejected(PAGE_SIZE, 0, ~0ULL << 12, GSTAGE_R);
	expect_rejected(~0ULL << 12, 0, 2 * PAGE_SIZE, GSTAGE_R);
	expect_rejected(lim, 0, PAGE_SIZE, GSTAGE_R);
	expect_rejected(0, 1ULL << 56, PAGE_SIZE, GSTAGE_R);
	expect_rejected(0, (1ULL << 56) - PAGE_SIZE, 2 * PAGE_SIZE, GSTAGE_R);
	expect_rejected(0, ~0ULL << 12, 2 * PAGE_SIZE, GSTAGE_R);
	assert_int_equal(gstage_unmap(&g, 0x800, PAGE_SIZE), -1);
	assert_int_equal(gstage_unmap(&g, 0, 0), -1);
	assert_int_equal(gstage_unmap(&g, 0, 0x1800), -1);
	assert_int_equal(gstage_unmap(&g, PAGE_SIZE, ~0ULL << 12), -1);
	assert_int_equal(gstage_unmap(&g, lim, PAGE_SIZE), -1);
	expect_leaves(0, 0, 0);
	assert_int_equal(census().tables, 0);
	/* The highest host page is fine. */
	assert_int_equal(gstage_map(&g, 0, (1ULL << 56) - PAGE_SIZE, PAGE_SIZE,
				    GSTAGE_R),
			 0);
	expect_map(0xfff, (1ULL << 56) - 1, GSTAGE_R);
	finish();
	/* A destroyed (or never initialised) table. */
	expect_rejected(0, 0, PAGE_SIZE, GSTAGE_R);
	assert_int_equal(gstage_unmap(&g, 0, PAGE_SIZE), -1);
	expect_unmapped(0);
}

static void test_limits(void **state)
{
	uint64_t lim, hpa = 7 * GiB;

	start(state);
	lim = gstage_gpa_limit(g.mode);
	assert_int_equal(lim,
			 g.mode == GSTAGE_SV39X4 ? 1ULL << 41 : 1ULL << 50);
	assert_int_equal(gstage_map(&g, lim - GiB, hpa, GiB, GSTAGE_R), 0);
	expect_leaves(0, 0, 1);
	expect_map(lim - 1, hpa + GiB - 1, GSTAGE_R);
	/* The last GiB is the root's last entry. */
	if (g.mode == GSTAGE_SV39X4)
		assert_true(g.root[2047] & T_V);
	else
		assert_true(g.root[2047] & T_V && !(g.root[2047] & T_RWX));
	expect_unmapped(lim);
	expect_unmapped(lim + lim - 1); /* would alias gpa lim - 1 */
	expect_unmapped(~0ULL);
	expect_rejected(lim - PAGE_SIZE, hpa, 2 * PAGE_SIZE, GSTAGE_R);
	expect_rejected(lim, hpa, PAGE_SIZE, GSTAGE_R);
	assert_int_equal(gstage_unmap(&g, lim - PAGE_SIZE, 2 * PAGE_SIZE), -1);
	expect_leaves(0, 0, 1);
	/* The highest page, alone. */
	assert_int_equal(gstage_unmap(&g, lim - PAGE_SIZE, PAGE_SIZE), 0);
	expect_leaves(511, 511, 0);
	expect_unmapped(lim - PAGE_SIZE);
	expect_map(lim - PAGE_SIZE - 1, hpa + GiB - PAGE_SIZE - 1, GSTAGE_R);
	assert_int_equal(
		gstage_map(&g, lim - PAGE_SIZE, 0x1000, PAGE_SIZE, GSTAGE_RWX),
		0);
	expect_map(lim - 1, 0x1fff, GSTAGE_RWX);
	expect_leaves(512, 511, 0);
	finish();
}

static void test_unmap_splits_2m(void **state)
{
	uint64_t gpa = GiB + 2 * MiB, hpa = 0x87600000;
	unsigned int rw = GSTAGE_R | GSTAGE_W;

	start(state);
	assert_int_equal(gstage_map(&g, gpa, hpa, 2 * MiB, rw), 0);
	assert_int_equal(gstage_unmap(&g, gpa + 0x5000, 0x3000), 0);
	expect_leaves(509, 0, 0);
	for (uint64_t off = 0; off < 2 * MiB; off += PAGE_SIZE) {
		if (off >= 0x5000 && off < 0x8000)
			expect_unmapped(gpa + off);
		else
			expect_map(gpa + off + 0x10, hpa + off + 0x10, rw);
	}
	finish();
}

/* A hole across a 2 MiB boundary of a 1 GiB page. */
static void test_unmap_splits_1g(void **state)
{
	uint64_t gpa = 3 * GiB, hpa = 10 * GiB;
	uint64_t hole = gpa + 6 * MiB - 2 * PAGE_SIZE;

	start(state);
	assert_int_equal(gstage_map(&g, gpa, hpa, GiB, GSTAGE_RWX), 0);
	assert_int_equal(gstage_unmap(&g, hole, 5 * PAGE_SIZE), 0);
	expect_leaves(1019, 510, 0);
	for (uint64_t a = hole; a < hole + 5 * PAGE_SIZE; a += PAGE_SIZE)
		expect_unmapped(a);
	expect_range(gpa, hpa, hole - gpa, GSTAGE_RWX);
	expect_range(hole + 5 * PAGE_SIZE, hpa + (hole - gpa) + 5 * PAGE_SIZE,
		     gpa + GiB - hole - 5 * PAGE_SIZE, GSTAGE_RWX);
	expect_range(hole + 5 * PAGE_SIZE, hpa + (hole - gpa) + 5 * PAGE_SIZE,
		     4 * MiB, GSTAGE_RWX);
	finish();
}

static void test_unmap_frees_tables(void **state)
{
	uint64_t lim;

	start(state);
	lim = gstage_gpa_limit(g.mode);
	/* Nothing there: fine. */
	assert_int_equal(gstage_unmap(&g, 0, lim), 0);
	assert_int_equal(gstage_map(&g, 0x5000, 0x5000, PAGE_SIZE, GSTAGE_R),
			 0);
	assert_int_equal(gstage_map(&g, lim / 2 + 0x3000, 0x3000,
				    2 * MiB + PAGE_SIZE, GSTAGE_R),
			 0);
	assert_int_equal(gstage_map(&g, 2 * GiB, 0, GiB, GSTAGE_R), 0);
	assert_true(census().tables > 4);
	/* Unmapping what a table holds frees it, up to the root. */
	assert_int_equal(gstage_unmap(&g, 0x5000, PAGE_SIZE), 0);
	assert_int_equal(gstage_unmap(&g, lim / 2, 4 * MiB), 0);
	expect_leaves(0, 0, 1);
	assert_int_equal(census().tables, root_level() - 2);
	assert_int_equal(gstage_unmap(&g, 2 * GiB, GiB), 0);
	expect_leaves(0, 0, 0);
	assert_int_equal(census().tables, 0);
	/* And the whole space, over a mix of everything. */
	assert_int_equal(
		gstage_map(&g, GiB - 0x3000, 17 * GiB - 0x3000, GiB, GSTAGE_R),
		0);
	expect_leaves(3 + 509, 511, 0);
	assert_int_equal(gstage_unmap(&g, 0, lim), 0);
	assert_int_equal(census().tables, 0);
	expect_leaves(0, 0, 0);
	finish();
}

/* A reboot's unmap: every leaf goes, every table stays (none is freed). */
static void test_unmap_keep_tables(void **state)
{
	size_t tables;

	start(state);
	assert_int_equal(gstage_map(&g, 0x5000, 0x5000, PAGE_SIZE, GSTAGE_R),
			 0);
	assert_int_equal(gstage_map(&g, 2 * GiB, 0, 2 * GiB, GSTAGE_R), 0);
	tables = census().tables;
	assert_int_equal(
		gstage_unmap_keep_tables(&g, 0, gstage_gpa_limit(g.mode)), 0);
	expect_leaves(0, 0, 0);
	expect_unmapped(0x5000);
	expect_unmapped(3 * GiB);
	assert_int_equal(census().tables, tables);
	/* Mapping again uses the same tables. */
	assert_int_equal(gstage_map(&g, 0x5000, 0x5000, PAGE_SIZE, GSTAGE_R),
			 0);
	assert_int_equal(census().tables, tables);
	/* One page of two in a last-level table: the other stays. */
	assert_int_equal(
		gstage_map(&g, 0x6000, 0x7000, PAGE_SIZE, GSTAGE_W | GSTAGE_R),
		0);
	assert_int_equal(gstage_unmap_keep_tables(&g, 0x5000, PAGE_SIZE), 0);
	expect_unmapped(0x5000);
	expect_map(0x6000, 0x7000, GSTAGE_R | GSTAGE_W);
	assert_int_equal(gstage_unmap_keep_tables(&g, 0x6000, PAGE_SIZE), 0);
	expect_leaves(0, 0, 0);
	assert_int_equal(census().tables, tables);
	/* A page inside a huge leaf: the leaf is split, only it goes. */
	assert_int_equal(gstage_map(&g, 2 * GiB, 0, 2 * MiB, GSTAGE_R), 0);
	assert_int_equal(gstage_unmap_keep_tables(&g, 2 * GiB, PAGE_SIZE), 0);
	expect_unmapped(2 * GiB);
	expect_map(2 * GiB + PAGE_SIZE, PAGE_SIZE, GSTAGE_R);
	finish();
}

static void test_remap_replaces(void **state)
{
	uint64_t gpa = 5 * GiB + 8 * MiB, h1 = 0x80000000, h2 = 0x12345000;

	start(state);
	assert_int_equal(gstage_map(&g, gpa, h1, 2 * MiB, GSTAGE_RWX), 0);
	/* 4K inside a 2M page: split, the rest stays. */
	assert_int_equal(gstage_map(&g, gpa + 0x3000, h2, PAGE_SIZE, GSTAGE_R),
			 0);
	expect_leaves(512, 0, 0);
	expect_map(gpa + 0x3abc, h2 + 0xabc, GSTAGE_R);
	expect_range(gpa, h1, 0x3000, GSTAGE_RWX);
	expect_range(gpa + 0x4000, h1 + 0x4000, 2 * MiB - 0x4000, GSTAGE_RWX);
	/* The same range again, elsewhere, with other rights. */
	assert_int_equal(gstage_map(&g, gpa, h2, 2 * MiB, GSTAGE_X), 0);
	expect_leaves(512, 0, 0);
	expect_range(gpa, h2, 2 * MiB, GSTAGE_X);
	/* A 1G page over all of it frees the tables below. */
	assert_int_equal(gstage_map(&g, 5 * GiB, 0, GiB, GSTAGE_R), 0);
	expect_leaves(0, 0, 1);
	assert_int_equal(census().tables, root_level() - 2);
	expect_range(5 * GiB, 0, GiB, GSTAGE_R);
	finish();
}

static void test_destroy_frees_all(void **state)
{
	enum gstage_mode mode = start(state);

	for (uint64_t i = 1; i < 16; i++)
		assert_int_equal(gstage_map(&g, i * i * 3 * GiB + i * 0x5000,
					    i * 0x7000, i * 2 * MiB, GSTAGE_R),
				 0);
	assert_int_equal(gstage_map(&g, 0, 0, 4 * GiB, GSTAGE_RWX), 0);
	assert_int_equal(gstage_unmap(&g, 0x3000, 0x3fff000), 0);
	assert_true(census().tables > 20);
	finish();
	gstage_destroy(&g); /* twice: harmless */
	assert_int_equal(page_free_count(), free0);
	assert_int_equal(gstage_init(&g, mode, 2), 0);
	finish();
}

static struct census snapshot(void)
{
	struct census c = census();

	expect_range(GiB, 40 * GiB, GiB, GSTAGE_R);
	expect_range(3 * GiB, 0x7000, 4 * MiB, GSTAGE_X);
	return c;
}

/*
 * Starve the allocator by one page at a time: every attempt short of the
 * pages needed fails and leaves the table as it was.
 */
static void test_oom_map(void **state)
{
	uint64_t gpa = GiB + 2 * MiB - 0x3000, size = 6 * MiB;
	struct census before, after;
	size_t k;

	start(state);
	assert_int_equal(gstage_map(&g, GiB, 40 * GiB, GiB, GSTAGE_R), 0);
	assert_int_equal(gstage_map(&g, 3 * GiB, 0x7000, 4 * MiB, GSTAGE_X), 0);
	before = snapshot();
	for (k = 0;; k++) {
		leave_free(k);
		if (!gstage_map(&g, gpa, 0x3000, size, GSTAGE_RWX))
			break;
		assert_int_equal(page_free_count(), k);
		after = snapshot();
		assert_memory_equal(&before, &after, sizeof(before));
		assert_true(k < 10);
	}
	/* An L1 table for the 1G page, four L0 tables: exactly that many. */
	assert_int_equal(k, 5);
	release_ballast();
	assert_int_equal(census().tables, before.tables + 5);
	expect_range(gpa, 0x3000, size, GSTAGE_RWX);
	expect_range(GiB, 40 * GiB, gpa - GiB, GSTAGE_R);
	expect_map(gpa + size, 40 * GiB + (gpa + size - GiB), GSTAGE_R);
	/* All of the space in 4K pages: fails early, not after 2^29+ pages. */
	before = census();
	expect_rejected(0, PAGE_SIZE, gstage_gpa_limit(g.mode), GSTAGE_R);
	after = census();
	assert_memory_equal(&before, &after, sizeof(before));
	finish();
}

/*
 * One 4 KiB page where every table below the root is missing (one a
 * level), then one more where only its L0 table is: all of them or none,
 * however few pages are free. Under a 2 MiB leaf, the leaf splits.
 */
static void test_oom_map_page(void **state)
{
	uint64_t gpa = 600 * GiB + 3 * MiB + 0x7000; /* a new 512 GiB */
	struct census before, after;
	size_t need, k;

	start(state);
	need = (size_t)root_level();
	assert_int_equal(gstage_map(&g, 3 * GiB, 0x7000, 4 * MiB, GSTAGE_X), 0);
	before = census();
	for (k = 0; k < need; k++) {
		leave_free(k);
		expect_rejected(gpa, 0x5000, PAGE_SIZE, GSTAGE_R);
		assert_int_equal(page_free_count(), k);
		after = census();
		assert_memory_equal(&before, &after, sizeof(before));
		expect_unmapped(gpa);
	}
	leave_free(need);
	assert_int_equal(gstage_map(&g, gpa, 0x5000, PAGE_SIZE, GSTAGE_R), 0);
	assert_int_equal(page_free_count(), 0);
	release_ballast();
	assert_int_equal(census().tables, before.tables + need);
	expect_map(gpa, 0x5000, GSTAGE_R);
	expect_unmapped(gpa - PAGE_SIZE);
	expect_unmapped(gpa + PAGE_SIZE);
	/* Its 1 GiB region has its L1 table now: one more L0 table. */
	assert_int_equal(gstage_map(&g, gpa + 2 * MiB, 0x6000, PAGE_SIZE,
				    GSTAGE_R | GSTAGE_W),
			 0);
	assert_int_equal(census().tables, before.tables + need + 1);
	expect_map(gpa + 2 * MiB, 0x6000, GSTAGE_R | GSTAGE_W);
	/* A page in a 2 MiB leaf splits it: nothing else moves. */
	assert_int_equal(
		gstage_map(&g, 3 * GiB + 0x1000, 0x9000, PAGE_SIZE, GSTAGE_R),
		0);
	expect_map(3 * GiB + 0x1000, 0x9000, GSTAGE_R);
	expect_range(3 * GiB + 0x2000, 0x9000, 2 * MiB - 0x2000, GSTAGE_X);
	expect_map(3 * GiB, 0x7000, GSTAGE_X);
	finish();
}

/*
 * g.frees moves exactly when a change frees a table page: a pointer into a
 * table kept from before (gstage_run_at()) is good while it stays put.
 */
static void test_frees_counts(void **state)
{
	unsigned long frees;

	start(state);
	frees = g.frees;
	assert_int_equal(gstage_map(&g, 0x1000, 0x5000, PAGE_SIZE, GSTAGE_R),
			 0);
	assert_int_equal(gstage_map(&g, 0x2000, 0x6000, PAGE_SIZE, GSTAGE_R),
			 0);
	assert_int_equal(gstage_unmap_keep_tables(&g, 0x1000, PAGE_SIZE), 0);
	assert_int_equal(g.frees, frees);
	/* The last leaf of its table goes: the table goes with it. */
	assert_int_equal(gstage_unmap(&g, 0x2000, PAGE_SIZE), 0);
	assert_int_equal(g.frees, frees + 1);
	assert_int_equal(gstage_map(&g, 0x3000, 0x6000, PAGE_SIZE, GSTAGE_R),
			 0);
	assert_int_equal(g.frees, frees + 1);
	/* A 2 MiB leaf over that table frees it. */
	assert_int_equal(gstage_map(&g, 0, 2 * MiB, 2 * MiB, GSTAGE_R), 0);
	assert_int_equal(g.frees, frees + 2);
	finish();
}

static void test_oom_unmap(void **state)
{
	start(state);
	assert_int_equal(gstage_map(&g, GiB, 40 * GiB, GiB, GSTAGE_R), 0);
	assert_int_equal(gstage_map(&g, 3 * GiB, 0x7000, 4 * MiB, GSTAGE_X), 0);
	for (size_t k = 0; k < 2; k++) {
		struct census before = snapshot(), after;

		leave_free(k);
		assert_int_equal(gstage_unmap(&g, GiB + 0x5000, PAGE_SIZE), -1);
		assert_int_equal(page_free_count(), k);
		after = snapshot();
		assert_memory_equal(&before, &after, sizeof(before));
	}
	leave_free(2);
	assert_int_equal(gstage_unmap(&g, GiB + 0x5000, PAGE_SIZE), 0);
	assert_int_equal(page_free_count(), 0);
	expect_unmapped(GiB + 0x5000);
	expect_map(GiB + 0x6000, 40 * GiB + 0x6000, GSTAGE_R);
	/* Unmapping whole entries needs no memory. */
	assert_int_equal(gstage_unmap(&g, 3 * GiB, 4 * MiB), 0);
	expect_unmapped(3 * GiB);
	finish();
}

static void test_hgatp(void **state)
{
	enum gstage_mode mode = start(state);
	uint64_t root = (uintptr_t)g.root, h;

	assert_true(IS_ALIGNED(root, 16 * KiB));
	h = gstage_hgatp(&g);
	assert_int_equal(h >> 60, mode);
	assert_int_equal((h >> 44) & 0x3fff, 1);
	assert_int_equal(h & GENMASK(43, 0), root >> 12);
	assert_int_equal(h & GENMASK(59, 58), 0);
	finish();
	assert_int_equal(gstage_init(&g, mode, 0x3fff), 0);
	h = gstage_hgatp(&g);
	assert_int_equal(h, ((uint64_t)mode << 60) | (0x3fffULL << 44) |
				    ((uintptr_t)g.root >> 12));
	finish();
	assert_int_equal(gstage_init(&g, mode, 0), 0);
	assert_int_equal(gstage_hgatp(&g),
			 ((uint64_t)mode << 60) | ((uintptr_t)g.root >> 12));
	finish();
}

static void test_init_errors(void **state)
{
	size_t n;

	(void)state;
	pool_reset();
	free0 = page_free_count();
	assert_int_equal(gstage_gpa_limit(GSTAGE_SV39X4), 1ULL << 41);
	assert_int_equal(gstage_gpa_limit(GSTAGE_SV48X4), 1ULL << 50);
	assert_int_equal(gstage_gpa_limit((enum gstage_mode)0), 0);
	assert_int_equal(gstage_init(&g, (enum gstage_mode)0, 1), -1);
	assert_null(g.root);
	assert_int_equal(gstage_init(&g, (enum gstage_mode)10, 1), -1);
	assert_int_equal(gstage_init(&g, GSTAGE_SV39X4, 0x4000), -1);
	assert_int_equal(gstage_init(&g, GSTAGE_SV48X4, 0xffff), -1);
	assert_null(g.root);
	/* 3 free pages, or 4 without 16 KiB alignment, are not a root. */
	leave_free(3);
	assert_int_equal(gstage_init(&g, GSTAGE_SV39X4, 1), -1);
	assert_null(g.root);
	/* One free page in each 16 KiB. */
	leave_free(0);
	n = nballast;
	nballast = 0;
	for (size_t i = 0; i < n; i++) {
		if (((uintptr_t)ballast[i] / PAGE_SIZE) % 4 == 1)
			page_free(ballast[i], 1);
		else
			ballast[nballast++] = ballast[i];
	}
	assert_true(page_free_count() >= 4);
	assert_int_equal(gstage_init(&g, GSTAGE_SV48X4, 1), -1);
	assert_null(g.root);
	release_ballast();
	assert_int_equal(page_free_count(), free0);
	gstage_destroy(&g); /* of a failed init: nothing */
	assert_int_equal(page_free_count(), free0);
}

/* What hardware would fault on is not a translation. */
static void test_translate_rejects_bad_ptes(void **state)
{
	static const uint64_t bad[] = {
		T_V | T_W | T_U | T_A | T_D,		    /* W without R */
		T_V | T_W | T_X | T_U | T_A | T_D,	    /* same */
		T_V | T_R | T_A | T_D,			    /* U clear */
		T_V | T_R | T_U | T_A | T_D | (1ULL << 10), /* misaligned */
		T_V | T_R | T_U | T_A | T_D | (1ULL << 63), /* reserved */
		T_R | T_U | T_A | T_D,			    /* not valid */
	};
	uint64_t *l0;

	start(state);
	assert_int_equal(gstage_map(&g, 0, 0, PAGE_SIZE, GSTAGE_R), 0);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		g.root[5] = bad[i];
		expect_unmapped(5 * GiB);
	}
	g.root[5] = T_V | T_R | T_U | T_A | T_D | (1ULL << 28);
	expect_map(5 * GiB + 0x10, GiB + 0x10, GSTAGE_R);
	g.root[5] = 0;
	/* A non-leaf entry at level 0. */
	l0 = pte_table(pte_table(g.root[0])[0]);
	l0[0] &= ~(T_R | T_W | T_X);
	expect_unmapped(0);
	l0[0] |= T_R;
	expect_map(0, 0, GSTAGE_R);
	finish();
}

#define MODE_TEST(fn, m)                                                 \
	{                                                                \
		.name = #fn "/" #m, .test_func = fn, .initial_state = &m \
	}
#define BOTH_MODES(fn) MODE_TEST(fn, sv39x4), MODE_TEST(fn, sv48x4)

int main(void)
{
	const struct CMUnitTest tests[] = {
		BOTH_MODES(test_page_sizes),
		BOTH_MODES(test_mixed_range),
		BOTH_MODES(test_fill_run),
		BOTH_MODES(test_misaligned_hpa),
		BOTH_MODES(test_pte_bits),
		BOTH_MODES(test_bad_args),
		BOTH_MODES(test_limits),
		BOTH_MODES(test_unmap_splits_2m),
		BOTH_MODES(test_unmap_splits_1g),
		BOTH_MODES(test_unmap_frees_tables),
		BOTH_MODES(test_unmap_keep_tables),
		BOTH_MODES(test_remap_replaces),
		BOTH_MODES(test_destroy_frees_all),
		BOTH_MODES(test_oom_map),
		BOTH_MODES(test_oom_unmap),
		BOTH_MODES(test_oom_map_page),
		BOTH_MODES(test_frees_counts),
		BOTH_MODES(test_hgatp),
		cmocka_unit_test(test_init_errors),
		MODE_TEST(test_translate_rejects_bad_ptes, sv39x4),
	};

	return cmocka_run_group_tests_name("gstage", tests, arena_setup,
					   arena_teardown);
}
