// SPDX-License-Identifier: MIT
/*
 * G-stage page tables, privileged spec "Guest Physical Address Translation":
 * Sv39x4 and Sv48x4 are Sv39 and Sv48 with a 4x root table (2048 entries,
 * 16 KiB aligned) that takes two more address bits. Every leaf has U set (the
 * G-stage checks accesses as U-mode), A and D set (no fault on hardware
 * without Svadu) and G clear; non-leaf entries have V only.
 *
 * The addresses come from guests: map and unmap check them all, and are
 * all-or-nothing. A dry walk first counts the tables the change needs, they
 * are all allocated, and only then does a second walk change the tree; that
 * walk cannot fail. (One 4 KiB page under no huge leaf needs no dry walk:
 * map_page() knows its missing tables from one walk down.) L0 runs
 * identity-mapped, so a table page's address is its physical address. No
 * HFENCE here: see gstage.h.
 */
#include <stdbool.h>

#include <arch/csr.h>
#include <arch/gstage.h>
#include <arch/pte.h>
#include <l0/bits.h>
#include <l0/page_alloc.h>
#include <l0/panic.h>

#define VPN_BITS 9
#define PTES_PER_TABLE GSTAGE_PTES_PER_TABLE
_Static_assert(PTES_PER_TABLE == 1UL << VPN_BITS, "a table's entries");
#define ROOT_PTES (4 * PTES_PER_TABLE)
#define ROOT_PAGES 4
#define ROOT_ALIGN (ROOT_PAGES * PAGE_SIZE)
#define MAX_LEAF_LEVEL 2 /* 1 GiB; no 512 GiB leaves */
#define VMID_MAX 0x3fff	 /* VMIDLEN is at most 14 */

typedef uint64_t pte_t;

/* One map or unmap: first a dry walk that counts, then the real one. */
struct walk {
	struct gstage *g;
	uint64_t gpa; /* start of the request */
	uint64_t hpa; /* where gpa goes (map) */
	pte_t flags;  /* leaf flags (map) */
	bool dry;     /* count tables, change nothing */
	size_t need;  /* tables the real walk will take */
	size_t avail; /* the dry walk stops when need exceeds this */
	pte_t *spare; /* allocated tables, linked through entry 0 */
	size_t freed; /* tables the real walk dropped */
	bool keep;    /* unmap: keep tables that become empty */
};

typedef void walk_fn(struct walk *w, pte_t *table, int level, uint64_t gpa,
		     uint64_t end);

uint64_t gstage_gpa_limit(enum gstage_mode mode)
{
	switch (mode) {
	case GSTAGE_SV39X4:
		return 1ULL << 41;
	case GSTAGE_SV48X4:
		return 1ULL << 50;
	}
	return 0;
}

static int root_level(const struct gstage *g)
{
	return g->mode == GSTAGE_SV39X4 ? 2 : 3;
}

static uint64_t level_size(int level)
{
	return (uint64_t)PAGE_SIZE << (VPN_BITS * level);
}

static pte_t *pte_of(const struct gstage *g, pte_t *table, int level,
		     uint64_t gpa)
{
	uint64_t idx = gpa >> (PAGE_SHIFT + VPN_BITS * level);

	idx &= level == root_level(g) ? ROOT_PTES - 1 : PTES_PER_TABLE - 1;
	return &table[idx];
}

static uint64_t pte_addr(pte_t pte)
{
	return field_get(PTE_PPN, pte) << PAGE_SHIFT;
}

static pte_t *pte_table(pte_t pte)
{
	return (pte_t *)(uintptr_t)pte_addr(pte);
}

static bool is_table(pte_t pte)
{
	return (pte & PTE_V) && !(pte & PTE_RWX);
}

/* Free the tables below `table`, whose entries are of `level`; count them. */
static size_t free_children(pte_t *table, size_t n, int level)
{
	size_t freed = 0;

	for (size_t i = 0; level > 0 && i < n; i++) {
		if (!is_table(table[i]))
			continue;
		freed += free_children(pte_table(table[i]), PTES_PER_TABLE,
				       level - 1);
		page_free(pte_table(table[i]), 1);
		freed++;
	}
	return freed;
}

/* Replace the entry `pte` of `level`, freeing the tables it pointed to. */
static void replace(struct walk *w, pte_t *pte, int level, pte_t val)
{
	pte_t old = *pte;

	gstage_set_pte(pte, val);
	if (level > 0 && is_table(old)) {
		w->freed += free_children(pte_table(old), PTES_PER_TABLE,
					  level - 1);
		page_free(pte_table(old), 1);
		w->freed++;
	}
}

/*
 * May the walk change *pte? Not in a dry walk, where pte is NULL inside the
 * tables it would add.
 */
static bool changing(const struct walk *w, const pte_t *pte)
{
	return !w->dry && pte;
}

static pte_t *take_table(struct walk *w)
{
	pte_t *t = w->spare;

	BUG_ON(!t); /* the dry walk counted fewer tables than needed */
	w->spare = (pte_t *)(uintptr_t)t[0];
	t[0] = 0;
	return t;
}

/* Pages of a huge leaf of level + 1, as leaves of `level`. */
static void split_leaf(pte_t *t, pte_t leaf, int level)
{
	pte_t step = field_prep(PTE_PPN, level_size(level) >> PAGE_SHIFT);

	for (size_t i = 0; i < PTES_PER_TABLE; i++)
		t[i] = leaf + i * step;
}

/*
 * The table below `pte` (of `level`): the existing one, or a new one, empty
 * or holding the pages of a huge leaf. A dry walk only counts new tables and
 * returns NULL for them; pte is NULL inside such a table.
 */
static pte_t *descend(struct walk *w, pte_t *pte, int level)
{
	pte_t *t;

	if (pte && is_table(*pte))
		return pte_table(*pte);
	if (w->dry || !pte) {
		w->need++;
		return NULL;
	}
	t = take_table(w);
	if (*pte & PTE_V)
		split_leaf(t, *pte, level - 1);
	gstage_set_pte(pte, gstage_pte((uintptr_t)t, 0));
	return t;
}

/* The end of the entry of `level` holding gpa, or `end` if that is lower. */
static uint64_t entry_end(uint64_t gpa, uint64_t end, int level)
{
	uint64_t next = ALIGN_DOWN(gpa, level_size(level)) + level_size(level);

	return next < end ? next : end;
}

static void map_range(struct walk *w, pte_t *table, int level, uint64_t gpa,
		      uint64_t end)
{
	while (gpa < end && w->need <= w->avail) {
		uint64_t next = entry_end(gpa, end, level);
		uint64_t hpa = w->hpa + (gpa - w->gpa);
		pte_t *pte = table ? pte_of(w->g, table, level, gpa) : NULL;

		if (level <= MAX_LEAF_LEVEL &&
		    next - gpa == level_size(level) &&
		    IS_ALIGNED(hpa, level_size(level))) {
			if (changing(w, pte))
				replace(w, pte, level,
					gstage_pte(hpa, w->flags));
		} else {
			map_range(w, descend(w, pte, level), level - 1, gpa,
				  next);
		}
		gpa = next;
	}
}

/* Free the table below `pte` if nothing is left in it. */
static void prune(struct walk *w, pte_t *pte, pte_t *t)
{
	if (w->keep)
		return;
	for (size_t i = 0; i < PTES_PER_TABLE; i++)
		if (t[i])
			return;
	gstage_set_pte(pte, 0);
	page_free(t, 1);
	w->freed++;
}

static void unmap_range(struct walk *w, pte_t *table, int level, uint64_t gpa,
			uint64_t end)
{
	while (gpa < end && w->need <= w->avail) {
		uint64_t next = entry_end(gpa, end, level);
		pte_t *pte = table ? pte_of(w->g, table, level, gpa) : NULL;
		pte_t *t;

		if (pte && !(*pte & PTE_V)) {
			/* nothing mapped here */
		} else if (next - gpa == level_size(level) &&
			   !(w->keep && pte && is_table(*pte))) {
			if (changing(w, pte))
				replace(w, pte, level, 0);
		} else {
			/* A NULL pte (dry walk) is a leaf being split. */
			t = descend(w, pte, level);
			unmap_range(w, t, level - 1, gpa, next);
			if (changing(w, pte))
				prune(w, pte, t);
		}
		gpa = next;
	}
}

/* Allocate the w->need tables of the real walk; all or none. */
static int reserve(struct walk *w)
{
	w->spare = NULL;
	for (size_t i = 0; i < w->need; i++) {
		pte_t *t = page_try_alloc(1, PAGE_SIZE);

		if (!t) {
			while (w->spare)
				page_free(take_table(w), 1);
			return -1;
		}
		t[0] = (uintptr_t)w->spare;
		w->spare = t;
	}
	return 0;
}

static int apply(struct walk *w, walk_fn *fn, uint64_t size)
{
	int root = root_level(w->g);

	/* Stop counting early when memory cannot suffice: no long futile walk. */
	w->dry = true;
	w->need = 0;
	w->avail = page_free_count();
	fn(w, w->g->root, root, w->gpa, w->gpa + size);
	if (w->need > w->avail || reserve(w))
		return -1;
	w->dry = false;
	w->avail = SIZE_MAX;
	w->freed = 0;
	fn(w, w->g->root, root, w->gpa, w->gpa + size);
	BUG_ON(w->spare); /* the dry walk counted more tables than needed */
	w->g->tables += w->need - w->freed;
	if (w->freed)
		w->g->frees++;
	return 0;
}

/* [gpa, gpa + size) is non-empty, page aligned and translated by g. */
static bool gpa_range_ok(const struct gstage *g, uint64_t gpa, uint64_t size)
{
	uint64_t limit = gstage_gpa_limit(g->mode);

	return g->root && limit && size && IS_ALIGNED(gpa | size, PAGE_SIZE) &&
	       gpa < limit && size <= limit - gpa;
}

int gstage_init(struct gstage *g, enum gstage_mode mode, uint16_t vmid)
{
	g->root = NULL;
	if (!gstage_gpa_limit(mode) || vmid > VMID_MAX)
		return -1;
	g->root = page_try_alloc(ROOT_PAGES, ROOT_ALIGN);
	if (!g->root)
		return -1;
	g->mode = mode;
	g->vmid = vmid;
	g->tables = ROOT_PAGES;
	return 0;
}

/*
 * The last-level table that holds `gpa`, when every table above it is
 * there: a run, or one page unmapped, needs no allocation and no dry walk.
 */
static pte_t *leaf_table(const struct gstage *g, uint64_t gpa)
{
	pte_t *table = g->root;

	for (int level = root_level(g); level > 0; level--) {
		pte_t pte = *pte_of(g, table, level, gpa);

		if (!is_table(pte))
			return NULL;
		table = pte_table(pte);
	}
	return table;
}

/*
 * Map one 4 KiB page (`leaf` its entry) with no dry walk: 1 when a huge
 * leaf above it is in the way (apply() splits it). The tables it lacks are
 * all taken first, or none (-1), and built from the bottom up before one
 * store links them in: a walker sees all of them or none.
 */
static int map_page(struct gstage *g, uint64_t gpa, pte_t leaf)
{
	int level = root_level(g), missing;
	pte_t *pte = pte_of(g, g->root, level, gpa);

	for (; level > 0 && is_table(*pte); level--)
		pte = pte_of(g, pte_table(*pte), level - 1, gpa);
	if (level > 0 && (*pte & PTE_V))
		return 1;
	for (missing = 0; missing < level; missing++) {
		pte_t *t = page_try_alloc(1, PAGE_SIZE);

		if (!t)
			break;
		*pte_of(g, t, missing, gpa) = leaf;
		leaf = gstage_pte((uintptr_t)t, 0);
	}
	if (missing < level) {
		/* Give back those taken: none is linked yet. */
		while (missing--) {
			pte_t *t = pte_table(leaf);

			leaf = *pte_of(g, t, missing, gpa);
			page_free(t, 1);
		}
		return -1;
	}
	gstage_set_pte(pte, leaf);
	g->tables += (size_t)level;
	return 0;
}

int gstage_map(struct gstage *g, uint64_t gpa, uint64_t hpa, uint64_t size,
	       unsigned int prot)
{
	struct walk w = { .g = g, .gpa = gpa, .hpa = hpa };
	int rc;

	w.flags = gstage_leaf_flags(prot);
	if (!w.flags || !gpa_range_ok(g, gpa, size) ||
	    !gstage_hpa_ok(hpa, size))
		return -1;
	if (size == PAGE_SIZE) {
		rc = map_page(g, gpa, gstage_pte(hpa, w.flags));
		if (rc <= 0)
			return rc;
	}
	return apply(&w, map_range, size);
}

bool gstage_run_at(const struct gstage *g, uint64_t gpa, unsigned int n,
		   struct gstage_run *run)
{
	uint64_t first = (gpa >> PAGE_SHIFT) & (PTES_PER_TABLE - 1);
	pte_t *table;

	run->n = 0;
	if (!n || n > PTES_PER_TABLE - first ||
	    !gpa_range_ok(g, gpa, (uint64_t)n << PAGE_SHIFT))
		return false;
	table = leaf_table(g, gpa);
	if (!table)
		return false;
	gstage_run_again(table, gpa, n, run);
	return true;
}

int gstage_unmap(struct gstage *g, uint64_t gpa, uint64_t size)
{
	struct walk w = { .g = g, .gpa = gpa };

	if (!gpa_range_ok(g, gpa, size))
		return -1;
	return apply(&w, unmap_range, size);
}

int gstage_unmap_keep_tables(struct gstage *g, uint64_t gpa, uint64_t size)
{
	struct walk w = { .g = g, .gpa = gpa, .keep = true };
	pte_t *table;

	if (!gpa_range_ok(g, gpa, size))
		return -1;
	/* One page under tables that are all there: its entry, no walks. */
	table = size == PAGE_SIZE ? leaf_table(g, gpa) : NULL;
	if (table) {
		gstage_set_pte(pte_of(g, table, 0, gpa), 0);
		return 0;
	}
	return apply(&w, unmap_range, size);
}

static bool leaf_ok(pte_t pte, int level)
{
	return (pte & (PTE_R | PTE_W)) != PTE_W && (pte & PTE_U) &&
	       !(pte & PTE_RESERVED) &&
	       IS_ALIGNED(pte_addr(pte), level_size(level));
}

bool gstage_translate(const struct gstage *g, uint64_t gpa, uint64_t *hpa,
		      unsigned int *prot)
{
	pte_t *table = g->root;

	if (!table || gpa >= gstage_gpa_limit(g->mode))
		return false;
	for (int level = root_level(g); level >= 0; level--) {
		pte_t pte = *pte_of(g, table, level, gpa);

		if (!(pte & PTE_V) || (pte & PTE_RESERVED))
			return false;
		if (is_table(pte)) {
			table = pte_table(pte);
			continue;
		}
		if (!leaf_ok(pte, level))
			return false;
		if (hpa)
			*hpa = pte_addr(pte) | (gpa & (level_size(level) - 1));
		if (prot)
			*prot = (pte & PTE_R ? GSTAGE_R : 0) |
				(pte & PTE_W ? GSTAGE_W : 0) |
				(pte & PTE_X ? GSTAGE_X : 0);
		return true;
	}
	return false; /* a non-leaf entry at level 0 */
}

void gstage_destroy(struct gstage *g)
{
	if (!g->root)
		return;
	free_children(g->root, ROOT_PTES, root_level(g));
	page_free(g->root, ROOT_PAGES);
	g->root = NULL;
	g->tables = 0;
	g->frees++;
}

uint64_t gstage_hgatp(const struct gstage *g)
{
	return field_prep(HGATP_MODE, g->mode) |
	       field_prep(HGATP_VMID, g->vmid) |
	       field_prep(HGATP_PPN, (uintptr_t)g->root >> PAGE_SHIFT);
}
