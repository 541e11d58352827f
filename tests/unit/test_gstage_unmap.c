// SPDX-License-Identifier: MIT
/*
 * arch/riscv/gstage.c: unmapping (splits, freed and kept tables), remapping,
 * destroying, and every operation when the allocator runs dry
 * (gstage_fixture.h).
 */
#include "gstage_fixture.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
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
	};

	return cmocka_run_group_tests_name("gstage_unmap", tests, arena_setup,
					   arena_teardown);
}
