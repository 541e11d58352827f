/* SPDX-License-Identifier: MIT */
/*
 * G-stage (guest physical -> host physical) page tables: Sv39x4 and Sv48x4,
 * privileged spec section "Two-Stage Address Translation".
 *
 * Nothing here fences: after gstage_map(), gstage_unmap() or gstage_destroy()
 * the caller issues HFENCE.GVMA (for g->vmid, or all VMIDs) on every hart that
 * may hold translations of this table before a guest runs on it again. Tables
 * that a change drops are freed at once, so no hart may run a guest on this
 * table while it changes: stop them, change, fence, resume.
 *
 * map and unmap take guest-influenced input: they check it all and are
 * all-or-nothing, returning -1 with the table unchanged on bad input or when
 * memory runs out.
 */
#ifndef ARCH_GSTAGE_H
#define ARCH_GSTAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/pte.h>
#include <l0/bits.h>
#include <l0/page_alloc.h>

enum gstage_mode {
	GSTAGE_SV39X4 = 8, /* hgatp.MODE values */
	GSTAGE_SV48X4 = 9,
};

/* Permissions of a guest mapping: PTE R/W/X; U is always set (G-stage). */
#define GSTAGE_R (1u << 0)
#define GSTAGE_W (1u << 1)
#define GSTAGE_X (1u << 2)
#define GSTAGE_RWX (GSTAGE_R | GSTAGE_W | GSTAGE_X)

/* Entries of a table below the root (the root has four times as many). */
#define GSTAGE_PTES_PER_TABLE 512UL

struct gstage {
	uint64_t *root; /* 16 KiB, 16 KiB aligned */
	enum gstage_mode mode;
	uint16_t vmid; /* an L0 VMID: harts map it to theirs (arch/vmid.h) */
	size_t tables; /* pages of table memory it holds, root included */
	/*
	 * Changes that freed table pages so far (never reset): a pointer
	 * into a table (gstage_run_at()) stays good while this stays the same.
	 */
	unsigned long frees;
};

/* Largest guest physical address + 1 that `mode` translates. */
uint64_t gstage_gpa_limit(enum gstage_mode mode);

/*
 * Allocate an empty table (root: 16 KiB from page_try_alloc()). Returns 0, or
 * -1 when memory runs out, mode is unknown or vmid needs more than 14 bits;
 * g->root is then NULL.
 */
int gstage_init(struct gstage *g, enum gstage_mode mode, uint16_t vmid);

/*
 * Map [gpa, gpa + size) to [hpa, ...) with `prot`, using 1 GiB / 2 MiB pages
 * where both addresses and the size allow. All three must be 4 KiB aligned,
 * size non-zero, the GPA range within gstage_gpa_limit() and the HPA range
 * below 2^56. prot must include R when it has W. Mappings already in the
 * range are replaced, huge pages split as needed. Returns 0 or -1.
 */
int gstage_map(struct gstage *g, uint64_t gpa, uint64_t hpa, uint64_t size,
	       unsigned int prot);

/*
 * A run: the entries of consecutive 4 KiB pages in one last-level table, for
 * mapping many neighbouring pages fast (the shadow G-stage's fill-around).
 * gstage_run_fill() maps pages of it inline, with gstage_map()'s checks,
 * and only where nothing is mapped: nothing is allocated or replaced.
 */
struct gstage_run {
	uint64_t *pte; /* page i's entry: pte[i] */
	unsigned int n;
};

/*
 * The run of the `n` 4 KiB pages at `gpa`: true when they all lie in one
 * last-level table that is there; else false, and an empty run.
 */
bool gstage_run_at(const struct gstage *g, uint64_t gpa, unsigned int n,
		   struct gstage_run *run);

/*
 * The same run again, from the start of its last-level table `table`
 * (gstage_run_table()), kept while g->frees stayed the same.
 */
static inline void gstage_run_again(uint64_t *table, uint64_t gpa,
				    unsigned int n, struct gstage_run *run)
{
	run->pte = &table[(gpa >> PAGE_SHIFT) % GSTAGE_PTES_PER_TABLE];
	run->n = n;
}

/* The last-level table of a run that gstage_run_at() gave for `gpa`. */
static inline uint64_t *gstage_run_table(const struct gstage_run *run,
					 uint64_t gpa)
{
	return run->pte - (gpa >> PAGE_SHIFT) % GSTAGE_PTES_PER_TABLE;
}

/*
 * Leaf flags for `prot`, or 0 when it is empty, unknown or W without R.
 * Inline: the shadow G-stage converts a leaf's on every fault.
 */
static inline uint64_t gstage_leaf_flags(unsigned int prot)
{
	if (!prot || (prot & ~GSTAGE_RWX) ||
	    (prot & (GSTAGE_R | GSTAGE_W)) == GSTAGE_W)
		return 0;
	return (prot & GSTAGE_R ? PTE_R : 0) | (prot & GSTAGE_W ? PTE_W : 0) |
	       (prot & GSTAGE_X ? PTE_X : 0) | PTE_U | PTE_A | PTE_D;
}

/* The entry for physical page `pa` with `flags` (leaf flags, or 0: a table). */
static inline uint64_t gstage_pte(uint64_t pa, uint64_t flags)
{
	return field_prep(PTE_PPN, pa >> PAGE_SHIFT) | flags | PTE_V;
}

/* [hpa, hpa + size) is page aligned and below 2^56 (a PTE's PPN). */
static inline bool gstage_hpa_ok(uint64_t hpa, uint64_t size)
{
	return IS_ALIGNED(hpa, PAGE_SIZE) && hpa < (1ULL << 56) &&
	       size <= (1ULL << 56) - hpa;
}

/*
 * Publish an entry after the table it points to is complete, so that a
 * walker sees either the old or the new entry, never a half-built table.
 */
static inline void gstage_set_pte(uint64_t *pte, uint64_t val)
{
	__atomic_store_n(pte, val, __ATOMIC_RELEASE);
}

/*
 * Map pages i to i + count - 1 of the run to the host pages from `hpa` on,
 * one after the other, with `flags` (from gstage_leaf_flags(); 0 maps
 * nothing), each where it is unmapped. Returns how many it mapped.
 */
static inline unsigned int gstage_run_fill(const struct gstage_run *run,
					   unsigned int i, unsigned int count,
					   uint64_t hpa, uint64_t flags)
{
	uint64_t pte = gstage_pte(hpa, flags);
	unsigned int mapped = 0;

	if (i > run->n || count > run->n - i || !flags ||
	    !gstage_hpa_ok(hpa, (uint64_t)count << PAGE_SHIFT))
		return 0;
	/*
	 * One release for them all (what gstage_set_pte() does for one):
	 * what was written before, before any of the entries.
	 */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	/* The range is below 2^56: the PPN of each next page is one more. */
	for (uint64_t *e = &run->pte[i]; count; count--, e++) {
		if (!(*e & PTE_V)) {
			__atomic_store_n(e, pte, __ATOMIC_RELAXED);
			mapped++;
		}
		pte += field_prep(PTE_PPN, 1);
	}
	return mapped;
}

/*
 * Remove mappings in [gpa, gpa + size), splitting huge pages as needed and
 * freeing tables left empty. Same checks as gstage_map(). Returns 0 or -1.
 */
int gstage_unmap(struct gstage *g, uint64_t gpa, uint64_t size);

/*
 * The same, keeping every table (only leaves go, huge ones still split):
 * nothing is freed, so a hart that cached walks of this table needs its
 * fence only before it runs the VMID again, not before the pages' reuse.
 */
int gstage_unmap_keep_tables(struct gstage *g, uint64_t gpa, uint64_t size);

/*
 * Walk the table as hardware would. Returns true with the host address and
 * permissions of `gpa` (either pointer may be NULL), false when it is unmapped
 * or the walk would fault.
 */
bool gstage_translate(const struct gstage *g, uint64_t gpa, uint64_t *hpa,
		      unsigned int *prot);

/* Free every table page; g->root becomes NULL. */
void gstage_destroy(struct gstage *g);

/* The hgatp value that selects this table. */
uint64_t gstage_hgatp(const struct gstage *g);

#endif
