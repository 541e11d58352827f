// SPDX-License-Identifier: MIT
/*
 * nested/walk.c on the host: software walks of synthetic G-stage (Sv39x4,
 * Sv48x4) and VS-stage (Sv39, Sv48) tables that the test builds in a host
 * buffer standing for L1's memory at MEM_BASE. The PTEs, hgatp and vsatp are
 * built from the privileged spec's layout (constants below, not the code's).
 * Most cases run in every mode of their stage.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "../../nested/walk.h"

#include "stubs.h"

#define KiB (1ULL << 10)
#define MiB (1ULL << 20)
#define GiB (1ULL << 30)
#define PG (4 * KiB)

/* Privileged spec: PTE bits (PPN at bit 10), hgatp/vsatp fields. */
#define T_V (1ULL << 0)
#define T_R (1ULL << 1)
#define T_W (1ULL << 2)
#define T_X (1ULL << 3)
#define T_U (1ULL << 4)
#define T_G (1ULL << 5)
#define T_A (1ULL << 6)
#define T_D (1ULL << 7)
#define T_PPN_SHIFT 10
#define T_PPN_MASK ((1ULL << 44) - 1)
#define T_ATP_MODE_SHIFT 60
#define T_ATP_ID_SHIFT 44 /* hgatp.VMID, vsatp.ASID */

#define MEM_BASE 0x80000000ULL
#define MEM_PAGES 256

static uint64_t mem[MEM_PAGES * PG / 8];
static unsigned int next_page;
static unsigned int g_reads; /* calls of g_read() */

/* One mode of a stage: its atp MODE, levels and whether the root is x4. */
struct mode {
	const char *name;
	uint64_t atp_mode;
	int levels;
	bool x4;
	unsigned int addr_bits; /* GPA bits (G-stage), VA bits (VS-stage) */
};

static const struct mode g_modes[] = {
	{ "Sv39x4", 8, 3, true, 41 },
	{ "Sv48x4", 9, 4, true, 50 },
};

static const struct mode vs_modes[] = {
	{ "Sv39", 8, 3, false, 39 },
	{ "Sv48", 9, 4, false, 48 },
};

#define FOR_EACH_MODE(m, modes) \
	for (const struct mode *m = modes; m < modes + 2; m++)

struct table {
	const struct mode *m;
	uint64_t root; /* L1 guest physical */
};

static int reset(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	next_page = 0;
	g_reads = 0;
	return 0;
}

static bool in_mem(uint64_t addr)
{
	return addr >= MEM_BASE && addr - MEM_BASE < sizeof(mem);
}

static uint64_t *pte_at(uint64_t addr)
{
	assert_true(in_mem(addr));
	assert_int_equal(addr % 8, 0);
	return &mem[(addr - MEM_BASE) / 8];
}

/* `n` zeroed pages aligned to `n` pages; their guest physical address. */
static uint64_t alloc_pages(unsigned int n)
{
	uint64_t pa;

	next_page = (next_page + n - 1) / n * n;
	assert_true(next_page + n <= MEM_PAGES);
	pa = MEM_BASE + (uint64_t)next_page * PG;
	next_page += n;
	return pa;
}

static uint64_t pte_leaf(uint64_t pa, uint64_t flags)
{
	return ((pa >> 12) << T_PPN_SHIFT) | T_V | flags;
}

static uint64_t pte_ptr(uint64_t table)
{
	return ((table >> 12) << T_PPN_SHIFT) | T_V;
}

static struct table new_table(const struct mode *m)
{
	struct table t = { m, alloc_pages(m->x4 ? 4 : 1) };

	return t;
}

static uint64_t hgatp(const struct table *t)
{
	return (t->m->atp_mode << T_ATP_MODE_SHIFT) |
	       (0x5aULL << T_ATP_ID_SHIFT) | (t->root >> 12);
}

static uint64_t vsatp(const struct table *t)
{
	return (t->m->atp_mode << T_ATP_MODE_SHIFT) |
	       (0xa5ULL << T_ATP_ID_SHIFT) | (t->root >> 12);
}

/*
 * The PTE slot for `addr` at `level` (0: 4 KiB), making the tables above it
 * as needed.
 */
static uint64_t *slot(const struct table *t, uint64_t addr, int level)
{
	uint64_t table = t->root;

	for (int i = t->m->levels - 1;; i--) {
		unsigned int shift = 12 + 9 * (unsigned int)i;
		uint64_t mask =
			(i == t->m->levels - 1 && t->m->x4) ? 0x7ff : 0x1ff;
		uint64_t *p = pte_at(table + ((addr >> shift) & mask) * 8);

		if (i == level)
			return p;
		if (!(*p & T_V))
			*p = pte_ptr(alloc_pages(1));
		assert_int_equal(*p & (T_R | T_W | T_X), 0);
		table = ((*p >> T_PPN_SHIFT) & T_PPN_MASK) << 12;
	}
}

static uint64_t *map(const struct table *t, uint64_t addr, int level,
		     uint64_t pa, uint64_t flags)
{
	uint64_t *p = slot(t, addr, level);

	*p = pte_leaf(pa, flags);
	return p;
}

/* The case being checked, for CHECK_EQ's message. */
static char what[128];

#define CHECK_EQ(got, want)                                                    \
	do {                                                                   \
		unsigned long long _g = (got), _w = (want);                    \
		if (_g != _w)                                                  \
			fail_msg("%s: %s = %#llx, want %#llx", what, #got, _g, \
				 _w);                                          \
	} while (0)

/* --- the read callbacks --- */

static bool g_read(void *ctx, uint64_t addr, uint64_t *pte)
{
	(void)ctx;
	g_reads++;
	if (!in_mem(addr))
		return false;
	*pte = *pte_at(addr);
	return true;
}

struct vs_ctx {
	uint64_t fault_addr; /* a read here fails with fault_result */
	enum walk_result fault_result;
	const struct table *g; /* non-NULL: read through this G-stage */
	unsigned int reads;
};

static enum walk_result vs_read(void *ctx, uint64_t addr, uint64_t *pte)
{
	struct vs_ctx *v = ctx;
	struct walk w;

	v->reads++;
	if (v->fault_result != WALK_OK && addr == v->fault_addr)
		return v->fault_result;
	if (v->g) {
		/* Implicit PTE reads are loads for the G-stage. */
		enum walk_result r = nested_gstage_walk(
			hgatp(v->g), addr, WALK_LOAD, g_read, NULL, &w);

		if (r != WALK_OK)
			return r;
		addr = w.pa;
	}
	if (!in_mem(addr))
		return WALK_ACCESS_FAULT;
	*pte = *pte_at(addr);
	return WALK_OK;
}

static enum walk_result gwalk(const struct table *t, uint64_t gpa,
			      enum walk_access acc, struct walk *w)
{
	memset(w, 0xee, sizeof(*w));
	return nested_gstage_walk(hgatp(t), gpa, acc, g_read, NULL, w);
}

static struct vs_ctx vctx;

static struct vs_walk_ctl ctl(enum walk_access acc, bool user, bool sum,
			      bool mxr)
{
	struct vs_walk_ctl c = { acc, user, sum, mxr, vs_read, &vctx };

	return c;
}

static enum walk_result vwalk_ctl(const struct table *t, uint64_t va,
				  const struct vs_walk_ctl *c, uint64_t *gpa)
{
	uint64_t fault = 0xdead;

	*gpa = 0xdead;
	return nested_vs_walk(vsatp(t), va, c, gpa, &fault);
}

/* A supervisor access without SUM/MXR. */
static enum walk_result vwalk(const struct table *t, uint64_t va,
			      enum walk_access acc, uint64_t *gpa)
{
	struct vs_walk_ctl c = ctl(acc, false, false, false);

	return vwalk_ctl(t, va, &c, gpa);
}

static const enum walk_access all_acc[] = { WALK_LOAD, WALK_LOAD_MXR,
					    WALK_STORE, WALK_FETCH };
static const char *const acc_name[] = { "load", "load-mxr", "store", "fetch" };

#define GLEAF (T_U | T_A | T_D) /* what a usable G-stage leaf needs */
#define VLEAF (T_A | T_D)

/* --- G-stage --- */

/* A leaf at `level`; the address, size and permissions of the result. */
static void g_leaf_case(int level)
{
	FOR_EACH_MODE(m, g_modes)
	{
		struct table t;
		struct walk w;
		uint64_t size = 1ULL << (12 + 9 * level);
		uint64_t gpa = 7 * size + 0x123 + (size > PG ? PG * 5 : 0);
		uint64_t pa = 0x1234ULL * size; /* aligned to size */

		reset(NULL);
		t = new_table(m);
		map(&t, gpa, level, pa, T_R | T_W | GLEAF | T_G);
		assert_int_equal(gwalk(&t, gpa, WALK_LOAD, &w), WALK_OK);
		assert_int_equal(w.pa, pa + (gpa & (size - 1)));
		assert_int_equal(w.page_size, size);
		assert_int_equal(w.prot, WALK_R | WALK_W);
		assert_int_equal(g_reads > 0, true);
		/* The next page of that size is not mapped. */
		assert_int_equal(gwalk(&t, gpa + size, WALK_LOAD, &w),
				 WALK_GUEST_PAGE_FAULT);
	}
}

static void test_gstage_4k_leaf(void **state)
{
	(void)state;
	g_leaf_case(0);
}

static void test_gstage_2m_leaf(void **state)
{
	(void)state;
	g_leaf_case(1);
}

static void test_gstage_1g_leaf(void **state)
{
	(void)state;
	g_leaf_case(2);
}

/* Sv48x4's root level: a 512 GiB leaf, indexed by GPA bits 49:39. */
static void test_gstage_512g_leaf(void **state)
{
	struct table t = new_table(&g_modes[1]);
	uint64_t gpa = (3ULL << 48) | (5ULL << 39) | 0xabcdef123ULL;
	struct walk w;

	(void)state;
	map(&t, gpa, 3, 0x200ULL << 39, GLEAF | T_X);
	assert_int_equal(*pte_at(t.root + ((3 << 9) | 5) * 8),
			 pte_leaf(0x200ULL << 39, GLEAF | T_X));
	assert_int_equal(gwalk(&t, gpa, WALK_FETCH, &w), WALK_OK);
	assert_int_equal(w.pa, (0x200ULL << 39) | (gpa & ((1ULL << 39) - 1)));
	assert_int_equal(w.page_size, 1ULL << 39);
	assert_int_equal(w.prot, WALK_X);
}

/*
 * The 16 KiB root: its index takes 2 more GPA bits, so the top GPAs use the
 * root's 2nd..4th pages; the highest GPA of the range translates.
 */
static void test_gstage_x4_root_index(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, g_modes)
	{
		unsigned int top = 12 + 9 * (unsigned int)(m->levels - 1);
		uint64_t last = (1ULL << m->addr_bits) - 1;
		struct table t;
		struct walk w;

		reset(NULL);
		t = new_table(m);
		for (uint64_t hi = 0; hi < 4; hi++) {
			uint64_t gpa =
				(hi << (top + 9)) | (0x1ffULL << top) | 0x3456;

			map(&t, gpa, 0, 0x10000ULL * (hi + 1), GLEAF | T_R);
			/* The root slot is in page `hi` of the root, last. */
			assert_int_not_equal(
				*pte_at(t.root + hi * PG + 0x1ff * 8) & T_V, 0);
			assert_int_equal(gwalk(&t, gpa, WALK_LOAD, &w),
					 WALK_OK);
			assert_int_equal(w.pa, 0x10000ULL * (hi + 1) + 0x456);
		}
		map(&t, last, 0, 0x777000, GLEAF | T_R);
		assert_int_equal(gwalk(&t, last, WALK_LOAD, &w), WALK_OK);
		assert_int_equal(w.pa, 0x777fff);
	}
}

/* GPA bits above 41 (Sv39x4) or 50 (Sv48x4): fault without a read. */
static void test_gstage_gpa_too_wide(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, g_modes)
	{
		uint64_t bad[] = { 1ULL << m->addr_bits,
				   (1ULL << m->addr_bits) | 0x1000, 1ULL << 63,
				   ~0ULL };
		struct table t;
		struct walk w;

		reset(NULL);
		t = new_table(m);
		/* Map what the GPA would alias to if the bit were dropped. */
		map(&t, 0, 0, 0x5000, GLEAF | T_R);
		map(&t, 0x1000, 0, 0x6000, GLEAF | T_R);
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			g_reads = 0;
			assert_int_equal(gwalk(&t, bad[i], WALK_LOAD, &w),
					 WALK_GUEST_PAGE_FAULT);
			assert_int_equal(g_reads, 0);
		}
	}
}

/* The spec's leaf rules for every R/W/X and access (U, A, D all set). */
static bool g_allowed(uint64_t rwx, enum walk_access acc)
{
	bool r = rwx & T_R, w = rwx & T_W, x = rwx & T_X;

	if (w && !r)
		return false; /* reserved */
	switch (acc) {
	case WALK_LOAD:
		return r;
	case WALK_LOAD_MXR:
		return r || x;
	case WALK_STORE:
		return w;
	default:
		return x;
	}
}

static void test_gstage_permissions(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, g_modes)
	{
		for (int level = 0; level < 2; level++) {
			for (uint64_t rwx = T_R; rwx <= (T_R | T_W | T_X);
			     rwx += T_R) {
				uint64_t size = 1ULL << (12 + 9 * level);
				uint64_t gpa = 3 * size;
				struct table t;

				reset(NULL);
				t = new_table(m);
				map(&t, gpa, level, 9 * size, rwx | GLEAF);
				for (int a = 0; a < 4; a++) {
					struct walk w;
					enum walk_result r = gwalk(
						&t, gpa + 8, all_acc[a], &w);
					bool ok = g_allowed(rwx, all_acc[a]);

					snprintf(what, sizeof(what),
						 "%s L%d rwx=%llx %s", m->name,
						 level, (unsigned long long)rwx,
						 acc_name[a]);
					CHECK_EQ(r, ok ? WALK_OK
						       : WALK_GUEST_PAGE_FAULT);
					if (ok) {
						CHECK_EQ(w.prot, rwx >> 1);
						CHECK_EQ(w.pa, 9 * size + 8);
					}
				}
			}
		}
	}
}

/* W without R is reserved at any level, leaf or not. */
static void test_gstage_w_without_r(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, g_modes)
	{
		for (int level = 0; level < m->levels; level++) {
			struct table t;
			struct walk w;

			reset(NULL);
			t = new_table(m);
			*slot(&t, 0x1000, level) =
				pte_ptr(alloc_pages(1)) | T_W;
			for (int a = 0; a < 4; a++)
				assert_int_equal(
					gwalk(&t, 0x1000, all_acc[a], &w),
					WALK_GUEST_PAGE_FAULT);
			*slot(&t, 0x1000, level) =
				pte_leaf(0, T_W | T_X | GLEAF);
			assert_int_equal(gwalk(&t, 0x1000, WALK_FETCH, &w),
					 WALK_GUEST_PAGE_FAULT);
		}
	}
}

/* G-stage leaves are all U pages: a leaf without U faults every access. */
static void test_gstage_leaf_without_u(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, g_modes)
	{
		struct table t;
		struct walk w;

		reset(NULL);
		t = new_table(m);
		map(&t, 0x2000, 0, 0x9000, T_R | T_W | T_X | T_A | T_D);
		map(&t, 4 * MiB, 1, 8 * MiB, T_R | T_W | T_X | T_A | T_D);
		for (int a = 0; a < 4; a++) {
			assert_int_equal(gwalk(&t, 0x2000, all_acc[a], &w),
					 WALK_GUEST_PAGE_FAULT);
			assert_int_equal(gwalk(&t, 4 * MiB, all_acc[a], &w),
					 WALK_GUEST_PAGE_FAULT);
		}
	}
}

/* Svade: A = 0 faults every access, D = 0 faults stores only. */
static void test_gstage_accessed_dirty(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, g_modes)
	{
		struct table t;
		struct walk w;

		reset(NULL);
		t = new_table(m);
		map(&t, 0x1000, 0, 0x9000, T_R | T_W | T_X | T_U | T_D);
		map(&t, 0x2000, 0, 0xa000, T_R | T_W | T_X | T_U | T_A);
		for (int a = 0; a < 4; a++)
			assert_int_equal(gwalk(&t, 0x1000, all_acc[a], &w),
					 WALK_GUEST_PAGE_FAULT);
		assert_int_equal(gwalk(&t, 0x2000, WALK_LOAD, &w), WALK_OK);
		assert_int_equal(gwalk(&t, 0x2000, WALK_FETCH, &w), WALK_OK);
		assert_int_equal(gwalk(&t, 0x2000, WALK_STORE, &w),
				 WALK_GUEST_PAGE_FAULT);
	}
}

/* A, D and U are reserved in a non-leaf PTE; G is not. */
static void test_gstage_nonleaf_adu(void **state)
{
	static const uint64_t bad[] = { T_A, T_D, T_U };

	(void)state;
	FOR_EACH_MODE(m, g_modes)
	{
		for (int level = 1; level < m->levels; level++) {
			struct table t;
			struct walk w;

			reset(NULL);
			t = new_table(m);
			map(&t, 0x5000, 0, 0x9000, GLEAF | T_R);
			for (size_t i = 0; i < 3; i++) {
				*slot(&t, 0x5000, level) |= bad[i];
				assert_int_equal(
					gwalk(&t, 0x5000, WALK_LOAD, &w),
					WALK_GUEST_PAGE_FAULT);
				*slot(&t, 0x5000, level) &= ~bad[i];
			}
			assert_int_equal(gwalk(&t, 0x5000, WALK_LOAD, &w),
					 WALK_OK);
		}
	}
}

/* A superpage whose PPN is not aligned to its size. */
static void test_gstage_misaligned_superpage(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, g_modes)
	{
		for (int level = 1; level < m->levels; level++) {
			uint64_t size = 1ULL << (12 + 9 * level);
			struct table t;
			struct walk w;

			reset(NULL);
			t = new_table(m);
			/* Off by one page, then by half the size. */
			map(&t, size, level, 4 * size + PG, GLEAF | T_R);
			assert_int_equal(gwalk(&t, size, WALK_LOAD, &w),
					 WALK_GUEST_PAGE_FAULT);
			map(&t, size, level, 4 * size + size / 2, GLEAF | T_R);
			assert_int_equal(gwalk(&t, size, WALK_LOAD, &w),
					 WALK_GUEST_PAGE_FAULT);
			map(&t, size, level, 4 * size, GLEAF | T_R);
			assert_int_equal(gwalk(&t, size, WALK_LOAD, &w),
					 WALK_OK);
		}
	}
}

/* Bits 63:54 (N, PBMT, reserved) set in a leaf or a non-leaf PTE. */
static void test_gstage_reserved_bits(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, g_modes)
	{
		struct table t;
		struct walk w;

		reset(NULL);
		t = new_table(m);
		map(&t, 0x3000, 0, 0x9000, GLEAF | T_R);
		for (int bit = 54; bit < 64; bit++) {
			for (int level = 0; level < m->levels; level++) {
				*slot(&t, 0x3000, level) ^= 1ULL << bit;
				assert_int_equal(
					gwalk(&t, 0x3000, WALK_LOAD, &w),
					WALK_GUEST_PAGE_FAULT);
				*slot(&t, 0x3000, level) ^= 1ULL << bit;
			}
		}
		assert_int_equal(gwalk(&t, 0x3000, WALK_LOAD, &w), WALK_OK);
	}
}

/* V = 0 at each level; a pointer at level 0 (no leaf found). */
static void test_gstage_invalid_and_no_leaf(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, g_modes)
	{
		struct table t;
		struct walk w;

		reset(NULL);
		t = new_table(m);
		map(&t, 0x3000, 0, 0x9000, GLEAF | T_R);
		for (int level = 0; level < m->levels; level++) {
			*slot(&t, 0x3000, level) &= ~T_V;
			assert_int_equal(gwalk(&t, 0x3000, WALK_LOAD, &w),
					 WALK_GUEST_PAGE_FAULT);
			*slot(&t, 0x3000, level) |= T_V;
		}
		*slot(&t, 0x3000, 0) = pte_ptr(alloc_pages(1));
		assert_int_equal(gwalk(&t, 0x3000, WALK_LOAD, &w),
				 WALK_GUEST_PAGE_FAULT);
	}
}

/* A PTE address with no L1 memory: an access fault, not a page fault. */
static void test_gstage_read_fails(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, g_modes)
	{
		struct table t = { m, 0x10000000 }; /* outside mem */
		struct walk w;

		reset(NULL);
		assert_int_equal(gwalk(&t, 0x3000, WALK_LOAD, &w),
				 WALK_ACCESS_FAULT);
		t = new_table(m);
		map(&t, 0x3000, 0, 0x9000, GLEAF | T_R);
		for (int level = 0; level < m->levels - 1; level++) {
			uint64_t *p = slot(&t, 0x3000, level + 1);
			uint64_t keep = *p;

			*p = pte_ptr(0x40000000);
			assert_int_equal(gwalk(&t, 0x3000, WALK_LOAD, &w),
					 WALK_ACCESS_FAULT);
			*p = keep;
		}
		assert_int_equal(gwalk(&t, 0x3000, WALK_LOAD, &w), WALK_OK);
	}
}

/* Bare, Sv57x4 and the reserved modes are not walked. */
static void test_gstage_unsupported_modes(void **state)
{
	static const uint64_t modes[] = { 0, 1, 7, 10, 11, 15 };
	struct table t = new_table(&g_modes[0]);
	struct walk w;

	(void)state;
	map(&t, 0x3000, 0, 0x9000, GLEAF | T_R);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		uint64_t atp = (hgatp(&t) & ~(0xfULL << T_ATP_MODE_SHIFT)) |
			       (modes[i] << T_ATP_MODE_SHIFT);

		assert_int_equal(nested_gstage_walk(atp, 0x3000, WALK_LOAD,
						    g_read, NULL, &w),
				 WALK_GUEST_PAGE_FAULT);
	}
}

/* --- VS-stage --- */

static int vs_reset(void **state)
{
	memset(&vctx, 0, sizeof(vctx));
	return reset(state);
}

static void vs_leaf_case(int level)
{
	FOR_EACH_MODE(m, vs_modes)
	{
		uint64_t size = 1ULL << (12 + 9 * level);
		uint64_t va = 5 * size + 0x321 + (size > PG ? PG * 3 : 0);
		uint64_t pa = 0x4321ULL * size, gpa;
		struct table t;

		vs_reset(NULL);
		t = new_table(m);
		map(&t, va, level, pa, T_R | T_X | VLEAF | T_G);
		assert_int_equal(vwalk(&t, va, WALK_LOAD, &gpa), WALK_OK);
		assert_int_equal(gpa, pa + (va & (size - 1)));
		assert_int_equal(vwalk(&t, va, WALK_FETCH, &gpa), WALK_OK);
		assert_int_equal(vwalk(&t, va + size, WALK_LOAD, &gpa),
				 WALK_PAGE_FAULT);
		assert_int_equal(vctx.reads > 0, true);
	}
}

static void test_vs_4k_leaf(void **state)
{
	(void)state;
	vs_leaf_case(0);
}

static void test_vs_2m_leaf(void **state)
{
	(void)state;
	vs_leaf_case(1);
}

static void test_vs_1g_leaf(void **state)
{
	(void)state;
	vs_leaf_case(2);
}

/* The VS root is one page: the top VA bit is the root index's top bit. */
static void test_vs_upper_half(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		uint64_t va = ~0ULL << (m->addr_bits - 1); /* lowest high VA */
		uint64_t top = ~0ULL & ~0xfffULL, gpa;
		struct table t;

		vs_reset(NULL);
		t = new_table(m);
		map(&t, va, 0, 0x7000, VLEAF | T_R);
		map(&t, top, 0, 0x8000, VLEAF | T_R);
		assert_int_equal(*pte_at(t.root + 0x100 * 8) & T_V,
				 T_V); /* va */
		assert_int_equal(*pte_at(t.root + 0x1ff * 8) & T_V, T_V);
		assert_int_equal(vwalk(&t, va + 4, WALK_LOAD, &gpa), WALK_OK);
		assert_int_equal(gpa, 0x7004);
		assert_int_equal(vwalk(&t, ~0ULL, WALK_LOAD, &gpa), WALK_OK);
		assert_int_equal(gpa, 0x8fff);
	}
}

/* Bits above the VA width must all equal its top bit. */
static void test_vs_non_canonical(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		unsigned int n = m->addr_bits;
		uint64_t bad[] = {
			1ULL << n,			  /* positive, bit n */
			1ULL << 63,			  /* top bit only */
			(~0ULL << n),			  /* bit n-1 clear */
			(~0ULL << n) | 0x1000,		  /* likewise */
			(1ULL << 63) | (1ULL << (n - 1)), /* gap in between */
			(0x1ULL << 62) | 0x1000,
		};
		struct table t;
		uint64_t gpa;

		vs_reset(NULL);
		t = new_table(m);
		/* Map what each would alias to if the high bits were dropped. */
		map(&t, 0, 0, 0x5000, VLEAF | T_R);
		map(&t, 0x1000, 0, 0x6000, VLEAF | T_R);
		map(&t, (~0ULL << (n - 1)), 0, 0x7000, VLEAF | T_R);
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(what, sizeof(what), "%s va=%#llx", m->name,
				 (unsigned long long)bad[i]);
			vctx.reads = 0;
			CHECK_EQ(vwalk(&t, bad[i], WALK_LOAD, &gpa),
				 WALK_PAGE_FAULT);
			CHECK_EQ(vctx.reads, 0);
		}
	}
}

/* Supervisor, U = 0 pages: R/W/X against the access, with and without MXR. */
static bool vs_allowed(uint64_t rwx, enum walk_access acc, bool mxr)
{
	bool r = rwx & T_R, w = rwx & T_W, x = rwx & T_X;

	if (w && !r)
		return false; /* reserved */
	switch (acc) {
	case WALK_LOAD:
		return r || (mxr && x);
	case WALK_LOAD_MXR:
		return r || x;
	case WALK_STORE:
		return w;
	default:
		return x;
	}
}

static void test_vs_permissions(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		for (uint64_t rwx = T_R; rwx <= (T_R | T_W | T_X); rwx += T_R) {
			struct table t;

			vs_reset(NULL);
			t = new_table(m);
			map(&t, 0x4000, 0, 0x9000, rwx | VLEAF);
			map(&t, 4 * MiB, 1, 8 * MiB, rwx | VLEAF);
			for (int a = 0; a < 8; a++) {
				bool mxr = a & 4;
				enum walk_access acc = all_acc[a & 3];
				struct vs_walk_ctl c =
					ctl(acc, false, false, mxr);
				enum walk_result want =
					vs_allowed(rwx, acc, mxr)
						? WALK_OK
						: WALK_PAGE_FAULT;
				uint64_t gpa;

				snprintf(what, sizeof(what),
					 "%s rwx=%llx %s mxr=%d", m->name,
					 (unsigned long long)rwx,
					 acc_name[a & 3], mxr);
				CHECK_EQ(vwalk_ctl(&t, 0x4010, &c, &gpa), want);
				if (want == WALK_OK)
					CHECK_EQ(gpa, 0x9010);
				CHECK_EQ(
					vwalk_ctl(&t, 4 * MiB + 0x10, &c, &gpa),
					want);
			}
		}
	}
}

/*
 * U mode needs U pages; S mode may load and store U pages only with SUM and
 * never fetch from them.
 */
static void test_vs_user_sum(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		const uint64_t rwx = T_R | T_W | T_X;
		struct table t;
		uint64_t gpa;

		vs_reset(NULL);
		t = new_table(m);
		map(&t, 0x1000, 0, 0x9000, rwx | VLEAF);       /* S page */
		map(&t, 0x2000, 0, 0xa000, rwx | VLEAF | T_U); /* U page */
		for (int a = 0; a < 4; a++) {
			enum walk_access acc = all_acc[a];

			for (int sum = 0; sum < 2; sum++) {
				struct vs_walk_ctl u = ctl(acc, true, sum, 0);
				struct vs_walk_ctl s = ctl(acc, false, sum, 0);
				bool s_on_u = sum && acc != WALK_FETCH;

				snprintf(what, sizeof(what), "%s %s sum=%d",
					 m->name, acc_name[a], sum);
				CHECK_EQ(vwalk_ctl(&t, 0x1000, &u, &gpa),
					 WALK_PAGE_FAULT);
				CHECK_EQ(vwalk_ctl(&t, 0x2000, &u, &gpa),
					 WALK_OK);
				CHECK_EQ(gpa, 0xa000);
				CHECK_EQ(vwalk_ctl(&t, 0x1000, &s, &gpa),
					 WALK_OK);
				CHECK_EQ(vwalk_ctl(&t, 0x2000, &s, &gpa),
					 s_on_u ? WALK_OK : WALK_PAGE_FAULT);
			}
		}
	}
}

/* MXR lets a U-mode load read an execute-only U page too. */
static void test_vs_user_mxr(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		struct table t;
		struct vs_walk_ctl c;
		uint64_t gpa;

		vs_reset(NULL);
		t = new_table(m);
		map(&t, 0x2000, 0, 0xa000, T_X | VLEAF | T_U);
		c = ctl(WALK_LOAD, true, false, false);
		assert_int_equal(vwalk_ctl(&t, 0x2000, &c, &gpa),
				 WALK_PAGE_FAULT);
		c = ctl(WALK_LOAD, true, false, true);
		assert_int_equal(vwalk_ctl(&t, 0x2000, &c, &gpa), WALK_OK);
		c = ctl(WALK_LOAD_MXR, true, false, false);
		assert_int_equal(vwalk_ctl(&t, 0x2000, &c, &gpa), WALK_OK);
		c = ctl(WALK_FETCH, true, false, false);
		assert_int_equal(vwalk_ctl(&t, 0x2000, &c, &gpa), WALK_OK);
	}
}

static void test_vs_w_without_r(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		for (int level = 0; level < m->levels; level++) {
			struct table t;
			uint64_t gpa;

			vs_reset(NULL);
			t = new_table(m);
			*slot(&t, 0x1000, level) =
				pte_ptr(alloc_pages(1)) | T_W;
			for (int a = 0; a < 4; a++)
				assert_int_equal(
					vwalk(&t, 0x1000, all_acc[a], &gpa),
					WALK_PAGE_FAULT);
		}
	}
}

static void test_vs_accessed_dirty(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		struct table t;
		uint64_t gpa;

		vs_reset(NULL);
		t = new_table(m);
		map(&t, 0x1000, 0, 0x9000, T_R | T_W | T_X | T_D);
		map(&t, 0x2000, 0, 0xa000, T_R | T_W | T_X | T_A);
		for (int a = 0; a < 4; a++)
			assert_int_equal(vwalk(&t, 0x1000, all_acc[a], &gpa),
					 WALK_PAGE_FAULT);
		assert_int_equal(vwalk(&t, 0x2000, WALK_LOAD, &gpa), WALK_OK);
		assert_int_equal(vwalk(&t, 0x2000, WALK_FETCH, &gpa), WALK_OK);
		assert_int_equal(vwalk(&t, 0x2000, WALK_STORE, &gpa),
				 WALK_PAGE_FAULT);
	}
}

static void test_vs_nonleaf_adu(void **state)
{
	static const uint64_t bad[] = { T_A, T_D, T_U };

	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		for (int level = 1; level < m->levels; level++) {
			struct table t;
			uint64_t gpa;

			vs_reset(NULL);
			t = new_table(m);
			map(&t, 0x5000, 0, 0x9000, VLEAF | T_R);
			for (size_t i = 0; i < 3; i++) {
				*slot(&t, 0x5000, level) |= bad[i];
				assert_int_equal(
					vwalk(&t, 0x5000, WALK_LOAD, &gpa),
					WALK_PAGE_FAULT);
				*slot(&t, 0x5000, level) &= ~bad[i];
			}
			/* G is allowed in a non-leaf PTE. */
			*slot(&t, 0x5000, level) |= T_G;
			assert_int_equal(vwalk(&t, 0x5000, WALK_LOAD, &gpa),
					 WALK_OK);
			assert_int_equal(gpa, 0x9000);
		}
	}
}

static void test_vs_misaligned_superpage(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		for (int level = 1; level < m->levels; level++) {
			uint64_t size = 1ULL << (12 + 9 * level), gpa;
			struct table t;

			vs_reset(NULL);
			t = new_table(m);
			map(&t, size, level, 2 * size + PG, VLEAF | T_R);
			assert_int_equal(vwalk(&t, size, WALK_LOAD, &gpa),
					 WALK_PAGE_FAULT);
			map(&t, size, level, 2 * size + size / 2, VLEAF | T_R);
			assert_int_equal(vwalk(&t, size, WALK_LOAD, &gpa),
					 WALK_PAGE_FAULT);
			map(&t, size, level, 2 * size, VLEAF | T_R);
			assert_int_equal(vwalk(&t, size + 8, WALK_LOAD, &gpa),
					 WALK_OK);
			assert_int_equal(gpa, 2 * size + 8);
		}
	}
}

static void test_vs_reserved_bits(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		struct table t;
		uint64_t gpa;

		vs_reset(NULL);
		t = new_table(m);
		map(&t, 0x3000, 0, 0x9000, VLEAF | T_R);
		for (int bit = 54; bit < 64; bit++) {
			for (int level = 0; level < m->levels; level++) {
				*slot(&t, 0x3000, level) ^= 1ULL << bit;
				assert_int_equal(
					vwalk(&t, 0x3000, WALK_LOAD, &gpa),
					WALK_PAGE_FAULT);
				*slot(&t, 0x3000, level) ^= 1ULL << bit;
			}
		}
		assert_int_equal(vwalk(&t, 0x3000, WALK_LOAD, &gpa), WALK_OK);
	}
}

static void test_vs_invalid_and_no_leaf(void **state)
{
	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		struct table t;
		uint64_t gpa;

		vs_reset(NULL);
		t = new_table(m);
		map(&t, 0x3000, 0, 0x9000, VLEAF | T_R);
		for (int level = 0; level < m->levels; level++) {
			*slot(&t, 0x3000, level) &= ~T_V;
			assert_int_equal(vwalk(&t, 0x3000, WALK_LOAD, &gpa),
					 WALK_PAGE_FAULT);
			*slot(&t, 0x3000, level) |= T_V;
		}
		*slot(&t, 0x3000, 0) = pte_ptr(alloc_pages(1));
		assert_int_equal(vwalk(&t, 0x3000, WALK_LOAD, &gpa),
				 WALK_PAGE_FAULT);
	}
}

/*
 * A PTE read that fails: the callback's result comes back as is, with
 * fault_gpa the address of the PTE that could not be read.
 */
static void test_vs_read_fails(void **state)
{
	static const enum walk_result results[] = { WALK_GUEST_PAGE_FAULT,
						    WALK_ACCESS_FAULT };

	(void)state;
	FOR_EACH_MODE(m, vs_modes)
	{
		uint64_t va = (0x12ULL << 30) | (0x34ULL << 21) |
			      (0x56ULL << 12) | 0x789;
		struct table t;
		uint64_t gpa;

		vs_reset(NULL);
		t = new_table(m);
		map(&t, va, 0, 0x9000, VLEAF | T_R);
		for (int level = 0; level < m->levels; level++) {
			uint64_t pte_addr =
				(uint64_t)(slot(&t, va, level) - mem) * 8 +
				MEM_BASE;

			for (int i = 0; i < 2; i++) {
				struct vs_walk_ctl c =
					ctl(WALK_LOAD, false, false, false);
				uint64_t fault = 0xdead;

				gpa = 0xdead;

				vctx.fault_addr = pte_addr;
				vctx.fault_result = results[i];
				assert_int_equal(nested_vs_walk(vsatp(&t), va,
								&c, &gpa,
								&fault),
						 results[i]);
				assert_int_equal(fault, pte_addr);
			}
		}
		vctx.fault_result = WALK_OK;
		assert_int_equal(vwalk(&t, va, WALK_LOAD, &gpa), WALK_OK);
		assert_int_equal(gpa, 0x9789);
	}
}

static void test_vs_unsupported_modes(void **state)
{
	static const uint64_t modes[] = { 0, 1, 7, 10, 11, 15 };
	struct table t = new_table(&vs_modes[0]);
	struct vs_walk_ctl c = ctl(WALK_LOAD, false, false, false);

	(void)state;
	map(&t, 0x3000, 0, 0x9000, VLEAF | T_R);
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		uint64_t atp = (vsatp(&t) & ~(0xfULL << T_ATP_MODE_SHIFT)) |
			       (modes[i] << T_ATP_MODE_SHIFT);
		uint64_t gpa, fault;

		assert_int_equal(nested_vs_walk(atp, 0x3000, &c, &gpa, &fault),
				 WALK_PAGE_FAULT);
	}
}

/*
 * Both stages: the VS-stage tables hold L2 guest physical addresses, which
 * L1's G-stage maps into L1 memory. A hole in the G-stage under a VS table
 * is a guest-page fault at the PTE's L2 address; a G-stage leaf to where L1
 * has no memory, an access fault.
 */
#define L2_BASE 0x40000000ULL

static uint64_t to_l2(uint64_t l1)
{
	return l1 - MEM_BASE + L2_BASE;
}

static void test_two_stage(void **state)
{
	(void)state;
	for (int gi = 0; gi < 2; gi++) {
		FOR_EACH_MODE(m, vs_modes)
		{
			uint64_t va = (0x3ULL << 30) | (0x45ULL << 21) |
				      (0x67ULL << 12) | 0x89a;
			struct vs_walk_ctl c =
				ctl(WALK_STORE, false, false, false);
			uint64_t table, vs_root, leaf_table, gpa, fault;
			struct table g;
			struct walk w;

			vs_reset(NULL);
			g = new_table(&g_modes[gi]);
			vctx.g = &g;
			table = vs_root = alloc_pages(1);
			for (int i = m->levels - 1; i > 0; i--) {
				uint64_t next = alloc_pages(1);

				*pte_at(table +
					((va >> (12 + 9 * i)) & 0x1ff) * 8) =
					pte_ptr(to_l2(next));
				table = next;
			}
			leaf_table = table;
			*pte_at(table + ((va >> 12) & 0x1ff) * 8) =
				pte_leaf(0x50000000, VLEAF | T_R | T_W);
			for (uint64_t pa = vs_root; pa <= leaf_table; pa += PG)
				map(&g, to_l2(pa), 0, pa, GLEAF | T_R);
			map(&g, 0x50000000, 0, 0x12345000, GLEAF | T_R | T_W);

			fault = 0xdead;
			assert_int_equal(
				nested_vs_walk((m->atp_mode << 60) |
						       (to_l2(vs_root) >> 12),
					       va, &c, &gpa, &fault),
				WALK_OK);
			assert_int_equal(gpa, 0x5000089a);
			assert_int_equal(fault, 0xdead);
			assert_int_equal(gwalk(&g, gpa, WALK_STORE, &w),
					 WALK_OK);
			assert_int_equal(w.pa, 0x1234589a);

			/* The leaf table's page is not in the G-stage. */
			*slot(&g, to_l2(leaf_table), 0) = 0;
			assert_int_equal(
				nested_vs_walk((m->atp_mode << 60) |
						       (to_l2(vs_root) >> 12),
					       va, &c, &gpa, &fault),
				WALK_GUEST_PAGE_FAULT);
			assert_int_equal(fault,
					 to_l2(leaf_table) +
						 ((va >> 12) & 0x1ff) * 8);

			/* Mapped, but to an L1 address with no memory. */
			map(&g, to_l2(leaf_table), 0, 0x10000000, GLEAF | T_R);
			assert_int_equal(
				nested_vs_walk((m->atp_mode << 60) |
						       (to_l2(vs_root) >> 12),
					       va, &c, &gpa, &fault),
				WALK_ACCESS_FAULT);
			assert_int_equal(fault,
					 to_l2(leaf_table) +
						 ((va >> 12) & 0x1ff) * 8);
		}
	}
}

/*
 * --- Permission matrices: both stages, 4 KiB / 2 MiB / 1 GiB leaves ---
 *
 * Every leaf with R/W/X not all clear (a pointer otherwise), with every
 * U/A/D, for every access; the VS stage also at U and S privilege, with
 * SUM and MXR. The expectations are the privileged spec's rules, written
 * here once (spec_*), not the walker's.
 *
 * HLVX is a load that needs execute permission in place of read ("the
 * memory being read must be executable in both stages ..., but read
 * permission is not required"): SUM applies to it as to any load, and MXR
 * changes nothing (WALK_HLVX).
 */
enum m_acc { M_LOAD, M_LOAD_MXR, M_STORE, M_FETCH, M_HLVX, M_NACC };

static const enum walk_access m_walk[M_NACC] = {
	WALK_LOAD, WALK_LOAD_MXR, WALK_STORE, WALK_FETCH, WALK_HLVX,
};
static const char *const m_name[M_NACC] = { "load", "load-mxr", "store",
					    "fetch", "hlvx" };

/* R/W/X by access (X counts as R for a load with MXR), A for every access
 * and D for a store (Svade: no hardware update), W without R reserved. */
static bool spec_rwx_ad(uint64_t pte, enum m_acc a, bool mxr)
{
	bool r = pte & T_R, w = pte & T_W, x = pte & T_X;

	if ((w && !r) || !(pte & T_A))
		return false;
	switch (a) {
	case M_LOAD:
		return r || (mxr && x);
	case M_LOAD_MXR:
		return r || x;
	case M_STORE:
		return w && (pte & T_D);
	default:
		return x; /* fetch, HLVX */
	}
}

/* G-stage: every access is a U-mode one, so the leaf needs U. */
static bool spec_g_allows(uint64_t pte, enum m_acc a)
{
	return (pte & T_U) && spec_rwx_ad(pte, a, false);
}

/* VS-stage: U pages for U-mode; S-mode reaches them with SUM, except to
 * fetch. */
static bool spec_vs_allows(uint64_t pte, enum m_acc a, bool user, bool sum,
			   bool mxr)
{
	if (!(pte & T_U) ? user : !user && (!sum || a == M_FETCH))
		return false;
	return spec_rwx_ad(pte, a, mxr);
}

#define M_LEVELS 3 /* 4 KiB, 2 MiB, 1 GiB */

/* The leaf flags of the matrix, by index: R/W/X (1..7) with U/A/D. */
static uint64_t m_flags(unsigned int i)
{
	uint64_t rwx = (i % 7) + 1, uad = i / 7;

	return (rwx << 1) | ((uad & 1) ? T_U : 0) | ((uad & 2) ? T_A : 0) |
	       ((uad & 4) ? T_D : 0);
}

#define M_NFLAGS (7 * 8)

/* One leaf of the matrix: the checks made, for the count. */
typedef unsigned int (*leaf_check_fn)(const struct table *t, int level,
				      uint64_t addr, uint64_t pa,
				      uint64_t flags);

/*
 * For each mode of a stage and each leaf level, a table with one leaf for
 * the last 8 bytes of a page of that size, given each flag set in turn.
 */
static unsigned int leaf_matrix(const struct mode *modes, leaf_check_fn fn)
{
	unsigned int checks = 0;

	FOR_EACH_MODE(m, modes)
	{
		for (int level = 0; level < M_LEVELS; level++) {
			uint64_t size = 1ULL << (12 + 9 * level);
			uint64_t addr = 5 * size + (size - 8), pa = 11 * size;
			struct table t;
			uint64_t *p;

			vs_reset(NULL);
			t = new_table(m);
			p = map(&t, addr, level, pa, 0);
			for (unsigned int f = 0; f < M_NFLAGS; f++) {
				*p = pte_leaf(pa, m_flags(f));
				checks += fn(&t, level, addr, pa, m_flags(f));
			}
		}
	}
	return checks;
}

static unsigned int g_leaf_check(const struct table *t, int level, uint64_t gpa,
				 uint64_t pa, uint64_t flags)
{
	uint64_t size = 1ULL << (12 + 9 * level);

	for (int a = 0; a < M_NACC; a++) {
		bool ok = spec_g_allows(flags, a);
		struct walk w;

		snprintf(what, sizeof(what), "%s level %d pte flags %#llx %s",
			 t->m->name, level, (unsigned long long)flags,
			 m_name[a]);
		CHECK_EQ(gwalk(t, gpa, m_walk[a], &w),
			 ok ? WALK_OK : WALK_GUEST_PAGE_FAULT);
		if (!ok)
			continue;
		CHECK_EQ(w.pa, pa + size - 8);
		CHECK_EQ(w.page_size, size);
		/* What the leaf allows without a fault: Svade, so W needs D. */
		CHECK_EQ(w.prot, ((flags >> 1) & 7) &
					 ((flags & T_D) ? 7 : ~(uint64_t)2));
	}
	return M_NACC;
}

static void test_gstage_perm_matrix(void **state)
{
	(void)state;
	assert_int_equal(leaf_matrix(g_modes, g_leaf_check),
			 2 * M_LEVELS * M_NFLAGS * M_NACC);
}

/* Each access at U and S privilege, with and without SUM and MXR. */
static unsigned int vs_leaf_check(const struct table *t, int level, uint64_t va,
				  uint64_t pa, uint64_t flags)
{
	uint64_t size = 1ULL << (12 + 9 * level);

	for (unsigned int i = 0; i < M_NACC * 8; i++) {
		int a = i % M_NACC;
		bool user = i / M_NACC & 1, sum = i / M_NACC & 2;
		bool mxr = i / M_NACC & 4;
		struct vs_walk_ctl c = ctl(m_walk[a], user, sum, mxr);
		bool ok = spec_vs_allows(flags, a, user, sum, mxr);
		uint64_t gpa;

		snprintf(what, sizeof(what),
			 "%s level %d pte flags %#llx %s user=%d sum=%d mxr=%d",
			 t->m->name, level, (unsigned long long)flags,
			 m_name[a], user, sum, mxr);
		CHECK_EQ(vwalk_ctl(t, va, &c, &gpa),
			 ok ? WALK_OK : WALK_PAGE_FAULT);
		if (ok)
			CHECK_EQ(gpa, pa + size - 8);
	}
	return M_NACC * 8;
}

static void test_vs_perm_matrix(void **state)
{
	(void)state;
	assert_int_equal(leaf_matrix(vs_modes, vs_leaf_check),
			 2 * M_LEVELS * M_NFLAGS * M_NACC * 8);
}

/*
 * Malformed leaves, both stages, every level a leaf can be at: a PPN not
 * aligned to the page size, and each of bits 63:54 (N, PBMT, reserved:
 * L0 offers neither Svnapot nor Svpbmt). Each faults every access, though
 * the leaf has every permission.
 */
struct breaker {
	const char *name;
	uint64_t bits;	  /* ORed into the leaf */
	uint64_t pa_frac; /* PPN off by size / pa_frac (0: aligned) */
	int min_level;
};

static const struct breaker breakers[] = {
	{ "misaligned by 4 KiB", 0, 0, 1 }, { "misaligned by half", 0, 2, 1 },
	{ "bit 54", 1ULL << 54, 0, 0 },	    { "bit 55", 1ULL << 55, 0, 0 },
	{ "bit 56", 1ULL << 56, 0, 0 },	    { "bit 57", 1ULL << 57, 0, 0 },
	{ "bit 58", 1ULL << 58, 0, 0 },	    { "bit 59", 1ULL << 59, 0, 0 },
	{ "bit 60", 1ULL << 60, 0, 0 },	    { "PBMT=NC", 1ULL << 61, 0, 0 },
	{ "PBMT=IO", 2ULL << 61, 0, 0 },    { "PBMT=3", 3ULL << 61, 0, 0 },
	{ "N", 1ULL << 63, 0, 0 },
};

static uint64_t breaker_pa(const struct breaker *b, uint64_t size)
{
	if (b->min_level && !b->pa_frac)
		return 4 * size + PG;
	return 4 * size + (b->pa_frac ? size / b->pa_frac : 0);
}

static void test_malformed_leaf_matrix(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(breakers) / sizeof(breakers[0]); i++) {
		const struct breaker *b = &breakers[i];

		for (int level = b->min_level; level < M_LEVELS; level++) {
			uint64_t size = 1ULL << (12 + 9 * level);
			uint64_t pte = pte_leaf(breaker_pa(b, size),
						T_R | T_W | T_X | T_U | T_A |
							T_D | b->bits);

			for (int gi = 0; gi < 2; gi++) {
				struct table g, v;
				struct walk w;
				uint64_t gpa;

				vs_reset(NULL);
				g = new_table(&g_modes[gi]);
				v = new_table(&vs_modes[gi]);
				*slot(&g, 2 * size, level) = pte;
				*slot(&v, 2 * size, level) = pte;
				for (int a = 0; a < M_NACC; a++) {
					struct vs_walk_ctl c = ctl(
						m_walk[a], true, false, false);

					snprintf(what, sizeof(what),
						 "%s level %d %s, %s/%s",
						 b->name, level, m_name[a],
						 g_modes[gi].name,
						 vs_modes[gi].name);
					CHECK_EQ(gwalk(&g, 2 * size, m_walk[a],
						       &w),
						 WALK_GUEST_PAGE_FAULT);
					CHECK_EQ(vwalk_ctl(&v, 2 * size, &c,
							   &gpa),
						 WALK_PAGE_FAULT);
				}
			}
		}
	}
}

int main(void)
{
#define T(f) cmocka_unit_test_setup(f, vs_reset)
	const struct CMUnitTest tests[] = {
		T(test_gstage_4k_leaf),
		T(test_gstage_2m_leaf),
		T(test_gstage_1g_leaf),
		T(test_gstage_512g_leaf),
		T(test_gstage_x4_root_index),
		T(test_gstage_gpa_too_wide),
		T(test_gstage_permissions),
		T(test_gstage_w_without_r),
		T(test_gstage_leaf_without_u),
		T(test_gstage_accessed_dirty),
		T(test_gstage_nonleaf_adu),
		T(test_gstage_misaligned_superpage),
		T(test_gstage_reserved_bits),
		T(test_gstage_invalid_and_no_leaf),
		T(test_gstage_read_fails),
		T(test_gstage_unsupported_modes),
		T(test_vs_4k_leaf),
		T(test_vs_2m_leaf),
		T(test_vs_1g_leaf),
		T(test_vs_upper_half),
		T(test_vs_non_canonical),
		T(test_vs_permissions),
		T(test_vs_user_sum),
		T(test_vs_user_mxr),
		T(test_vs_w_without_r),
		T(test_vs_accessed_dirty),
		T(test_vs_nonleaf_adu),
		T(test_vs_misaligned_superpage),
		T(test_vs_reserved_bits),
		T(test_vs_invalid_and_no_leaf),
		T(test_vs_read_fails),
		T(test_vs_unsupported_modes),
		T(test_two_stage),
		T(test_gstage_perm_matrix),
		T(test_vs_perm_matrix),
		T(test_malformed_leaf_matrix),
	};
#undef T

	return cmocka_run_group_tests_name("nested_walk", tests, NULL, NULL);
}
