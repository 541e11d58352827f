/* SPDX-License-Identifier: MIT */
/*
 * nested/ internal: walking L1's G-stage table (its virtual hgatp) in
 * software, as hardware would (privileged spec, "Guest Physical Address
 * Translation"). Plain logic: the table is read through a callback, so host
 * tests can give it synthetic tables.
 */
#ifndef NESTED_WALK_H
#define NESTED_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/pte.h>

/*
 * WALK_LOAD_MXR: a load that may read execute-only pages (sstatus.MXR).
 * WALK_HLVX: a load that needs execute permission instead of read (HLVX).
 * WALK_PREFETCH: no access yet: any leaf some access may use (G-stage).
 */
enum walk_access {
	WALK_LOAD,
	WALK_LOAD_MXR,
	WALK_STORE,
	WALK_FETCH,
	WALK_HLVX,
	WALK_PREFETCH,
};

enum walk_result {
	WALK_OK,
	WALK_GUEST_PAGE_FAULT, /* L1's table does not allow it */
	WALK_ACCESS_FAULT,     /* a PTE address L1 has no memory at */
	WALK_PAGE_FAULT,       /* the VS-stage table does not allow it */
};

#define WALK_R (1u << 0)
#define WALK_W (1u << 1)
#define WALK_X (1u << 2)

struct walk {
	uint64_t pa;	    /* the L1 guest physical address */
	unsigned int prot;  /* WALK_R/W/X the leaf allows: W only if D = 1 */
	uint64_t page_size; /* 4 KiB, 2 MiB, 1 GiB (or 512 GiB) */
	uint64_t pte_addr;  /* the leaf PTE's L1 guest physical address */
};

/* Read the 8-byte PTE at L1 guest physical `addr`; false: nothing there. */
typedef bool (*walk_read_fn)(void *ctx, uint64_t addr, uint64_t *pte);

/*
 * Translate L2 guest physical `gpa` through the G-stage table that `hgatp`
 * (Sv39x4 or Sv48x4) names, for an access of kind `acc`. A/D are not
 * updated: with no Svadu, A = 0 (or D = 0 for a store) is a fault.
 */
enum walk_result nested_gstage_walk(uint64_t hgatp, uint64_t gpa,
				    enum walk_access acc, walk_read_fn read,
				    void *ctx, struct walk *out);

/*
 * The rest is inline: the shadow G-stage runs it for each page it fills.
 * A PTE a walk may look further at: V set, no W without R, no reserved bit
 * (privileged spec, "Virtual Address Translation Process", step 3).
 */
static inline bool walk_pte_valid(uint64_t pte)
{
	return (pte & PTE_V) && !((pte & PTE_W) && !(pte & PTE_R)) &&
	       !(pte & PTE_RESERVED);
}

/* What a G-stage leaf allows without a fault: Svade faults a store while D = 0. */
static inline unsigned int walk_leaf_prot(uint64_t pte)
{
	return (pte & PTE_R ? WALK_R : 0) |
	       ((pte & PTE_W) && (pte & PTE_D) ? WALK_W : 0) |
	       (pte & PTE_X ? WALK_X : 0);
}

/* A G-stage leaf's checks: G-stage leaves are U pages; A and D as Svade says. */
static inline bool walk_gstage_leaf_allows(uint64_t pte, enum walk_access acc)
{
	if (!(pte & PTE_U) || !(pte & PTE_A))
		return false;
	switch (acc) {
	case WALK_LOAD:
		return pte & PTE_R;
	case WALK_LOAD_MXR:
		return pte & (PTE_R | PTE_X);
	case WALK_STORE:
		return (pte & PTE_W) && (pte & PTE_D);
	case WALK_PREFETCH:
		return true; /* a leaf: R or X is set */
	default:	     /* WALK_FETCH, WALK_HLVX */
		return pte & PTE_X;
	}
}

/* The physical address a PTE's PPN names. */
static inline uint64_t walk_leaf_pa(uint64_t pte)
{
	return field_get(PTE_PPN, pte) << 12;
}

/*
 * The valid leaf `pte` of `level` (R or X set), read at L1 guest physical
 * `pte_addr` on the G-stage walk of `gpa`: its translation for `acc`.
 */
static inline enum walk_result
walk_gstage_leaf(uint64_t pte, unsigned int level, uint64_t pte_addr,
		 uint64_t gpa, enum walk_access acc, struct walk *out)
{
	uint64_t page_size = 1ULL << (12 + 9 * level);

	/* A superpage's PPN must be aligned to its size. */
	if ((walk_leaf_pa(pte) & (page_size - 1)) ||
	    !walk_gstage_leaf_allows(pte, acc))
		return WALK_GUEST_PAGE_FAULT;
	out->page_size = page_size;
	out->pa = walk_leaf_pa(pte) | (gpa & (page_size - 1));
	out->prot = walk_leaf_prot(pte);
	out->pte_addr = pte_addr;
	return WALK_OK;
}

/*
 * The last step of nested_gstage_walk() of `gpa`, for a caller that knows
 * where L1's non-leaf entries led (a walk cache): `pte`, read at L1 guest
 * physical `pte_addr` in that level-0 table. The same result as the walk.
 */
static inline enum walk_result
nested_gstage_walk_last(uint64_t pte, uint64_t pte_addr, uint64_t gpa,
			enum walk_access acc, struct walk *out)
{
	/* At level 0 a valid PTE must be a leaf. */
	if (!walk_pte_valid(pte) || !(pte & (PTE_R | PTE_X)))
		return WALK_GUEST_PAGE_FAULT;
	return walk_gstage_leaf(pte, 0, pte_addr, gpa, acc, out);
}

/*
 * Whether `pte`, read from a last-level G-stage table, is a 4 KiB leaf some
 * access may use without a fault; if so, its page and prot in `out`.
 */
static inline bool nested_gstage_leaf_4k(uint64_t pte, struct walk *out)
{
	return nested_gstage_walk_last(pte, 0, 0, WALK_PREFETCH, out) ==
	       WALK_OK;
}

/* A VS-stage walk: how to read a PTE (through the G-stage) and who asks. */
struct vs_walk_ctl {
	enum walk_access acc;
	bool user; /* the access is made at U privilege (hstatus.SPVP = 0) */
	bool sum, mxr;
	/* Read the PTE at guest physical `addr`: WALK_OK or the G-stage fault. */
	enum walk_result (*read)(void *ctx, uint64_t addr, uint64_t *pte);
	void *ctx;
};

/*
 * Translate guest virtual `va` through the Sv39/Sv48 table `vsatp` names.
 * On a G-stage fault while reading a PTE, `fault_gpa` is that PTE's
 * address (what htval reports, shifted).
 */
enum walk_result nested_vs_walk(uint64_t vsatp, uint64_t va,
				const struct vs_walk_ctl *c, uint64_t *gpa,
				uint64_t *fault_gpa);

#endif
