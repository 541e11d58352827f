// SPDX-License-Identifier: MIT
/*
 * arch/riscv/gstage.c: mapping (page sizes, runs, PTE bits, bad arguments,
 * limits), hgatp, set-up errors and translation (gstage_fixture.h).
 */
#include "gstage_fixture.h"

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
		BOTH_MODES(test_hgatp),
		cmocka_unit_test(test_init_errors),
		MODE_TEST(test_translate_rejects_bad_ptes, sv39x4),
	};

	return cmocka_run_group_tests_name("gstage", tests, arena_setup,
					   arena_teardown);
}
