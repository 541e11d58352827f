// SPDX-License-Identifier: MIT
/* A software walk of an Sv39x4/Sv48x4 G-stage table (see walk.h). */
#include <arch/csr.h>
#include <arch/pte.h>
#include <l0/bits.h>

#include "walk.h"

/* Levels of each mode; the root index has 2 extra bits ("x4"). */
static int mode_levels(uint64_t mode)
{
	switch (mode) {
	case 8:
		return 3; /* Sv39x4: 41-bit GPA */
	case 9:
		return 4; /* Sv48x4: 50-bit GPA */
	default:
		return 0;
	}
}

/* What the leaf allows without a fault: Svade faults a store while D = 0. */
static unsigned int leaf_prot(uint64_t pte)
{
	return (pte & PTE_R ? WALK_R : 0) |
	       ((pte & PTE_W) && (pte & PTE_D) ? WALK_W : 0) |
	       (pte & PTE_X ? WALK_X : 0);
}

/* The leaf's checks: G-stage leaves are U pages; A and D as Svade says. */
static bool leaf_allows(uint64_t pte, enum walk_access acc)
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

enum walk_result nested_gstage_walk(uint64_t hgatp, uint64_t gpa,
				    enum walk_access acc, walk_read_fn read,
				    void *ctx, struct walk *out)
{
	int levels = mode_levels(field_get(HGATP_MODE, hgatp));
	unsigned int gpa_bits = 12 + 9 * (unsigned int)levels + 2;
	uint64_t table = field_get(HGATP_PPN, hgatp) << 12, pte;

	if (!levels || (gpa >> gpa_bits))
		return WALK_GUEST_PAGE_FAULT;
	for (int i = levels - 1; i >= 0; i--) {
		unsigned int shift = 12 + 9 * (unsigned int)i;
		uint64_t index =
			(gpa >> shift) & (i == levels - 1 ? 0x7ff : 0x1ff);
		uint64_t ppn;

		if (!read(ctx, table + index * 8, &pte))
			return WALK_ACCESS_FAULT;
		if (!(pte & PTE_V) || ((pte & PTE_W) && !(pte & PTE_R)) ||
		    (pte & PTE_RESERVED))
			return WALK_GUEST_PAGE_FAULT;
		ppn = field_get(PTE_PPN, pte);
		if (!(pte & (PTE_R | PTE_X))) {
			/* Non-leaf: A, D, U are reserved and must be 0. */
			if (pte & (PTE_A | PTE_D | PTE_U))
				return WALK_GUEST_PAGE_FAULT;
			table = ppn << 12;
			continue;
		}
		/* A superpage's PPN must be aligned to its size. */
		if (ppn & ((1ULL << (9 * i)) - 1))
			return WALK_GUEST_PAGE_FAULT;
		if (!leaf_allows(pte, acc))
			return WALK_GUEST_PAGE_FAULT;
		out->page_size = 1ULL << shift;
		out->pa = (ppn << 12) | (gpa & (out->page_size - 1));
		out->prot = leaf_prot(pte);
		out->pte_addr = table + index * 8;
		return WALK_OK;
	}
	return WALK_GUEST_PAGE_FAULT; /* no leaf at the last level */
}

bool nested_gstage_leaf_4k(uint64_t pte, struct walk *out)
{
	if (!(pte & PTE_V) || !(pte & (PTE_R | PTE_X)) ||
	    ((pte & PTE_W) && !(pte & PTE_R)) || (pte & PTE_RESERVED) ||
	    !(pte & PTE_U) || !(pte & PTE_A))
		return false;
	out->pa = field_get(PTE_PPN, pte) << 12;
	out->prot = leaf_prot(pte);
	out->page_size = 1ULL << 12;
	return true;
}

#define SATP_MODE_FIELD GENMASK(63, 60)
#define SATP_PPN_FIELD GENMASK(43, 0)

/*
 * VS-stage leaf checks (privileged spec, "Virtual Address Translation"). SUM
 * opens U pages to S-mode loads and stores, HLVX included, never to fetches.
 */
static bool vs_leaf_allows(uint64_t pte, const struct vs_walk_ctl *c)
{
	bool user = pte & PTE_U;

	if (c->user ? !user : (user && (!c->sum || c->acc == WALK_FETCH)))
		return false;
	if (!(pte & PTE_A))
		return false;
	switch (c->acc) {
	case WALK_LOAD:
		return (pte & PTE_R) || (c->mxr && (pte & PTE_X));
	case WALK_LOAD_MXR:
		return pte & (PTE_R | PTE_X);
	case WALK_STORE:
		return (pte & PTE_W) && (pte & PTE_D);
	default: /* WALK_FETCH, WALK_HLVX */
		return pte & PTE_X;
	}
}

enum walk_result nested_vs_walk(uint64_t vsatp, uint64_t va,
				const struct vs_walk_ctl *c, uint64_t *gpa,
				uint64_t *fault_gpa)
{
	uint64_t mode = field_get(SATP_MODE_FIELD, vsatp);
	int levels = mode == 8 ? 3 : mode == 9 ? 4 : 0;
	unsigned int va_bits = 12 + 9 * (unsigned int)levels;
	uint64_t table = field_get(SATP_PPN_FIELD, vsatp) << 12, pte;
	int64_t sva = (int64_t)va;

	/* Bits above the VA width must all equal its top bit. */
	if (!levels || (uint64_t)((sva >> (va_bits - 1)) + 1) > 1)
		return WALK_PAGE_FAULT;
	for (int i = levels - 1; i >= 0; i--) {
		unsigned int shift = 12 + 9 * (unsigned int)i;
		uint64_t addr = table + ((va >> shift) & 0x1ff) * 8, ppn;
		enum walk_result r = c->read(c->ctx, addr, &pte);

		if (r != WALK_OK) {
			*fault_gpa = addr;
			return r;
		}
		if (!(pte & PTE_V) || ((pte & PTE_W) && !(pte & PTE_R)) ||
		    (pte & PTE_RESERVED))
			return WALK_PAGE_FAULT;
		ppn = field_get(PTE_PPN, pte);
		if (!(pte & (PTE_R | PTE_X))) {
			if (pte & (PTE_A | PTE_D | PTE_U))
				return WALK_PAGE_FAULT;
			table = ppn << 12;
			continue;
		}
		if ((ppn & ((1ULL << (9 * i)) - 1)) || !vs_leaf_allows(pte, c))
			return WALK_PAGE_FAULT;
		*gpa = (ppn << 12) | (va & ((1ULL << shift) - 1));
		return WALK_OK;
	}
	return WALK_PAGE_FAULT;
}
