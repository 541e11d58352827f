// SPDX-License-Identifier: MIT
/* A software walk of an Sv39x4/Sv48x4 G-stage table (see walk.h). */
#include <arch/csr.h>
#include <arch/pte.h>
#include <l0/bits.h>
#include <l0/hot.h>

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

L0_HOT enum walk_result nested_gstage_walk(uint64_t hgatp, uint64_t gpa,
					   enum walk_access acc,
					   walk_read_fn read, void *ctx,
					   struct walk *out)
{
	int levels = mode_levels(field_get(HGATP_MODE, hgatp));
	unsigned int gpa_bits = 12 + 9 * (unsigned int)levels + 2;
	uint64_t table = field_get(HGATP_PPN, hgatp) << 12, pte;

	if (!levels || (gpa >> gpa_bits))
		return WALK_GUEST_PAGE_FAULT;
	for (int i = levels - 1; i >= 0; i--) {
		unsigned int shift = 12 + 9 * (unsigned int)i;
		uint64_t addr = table + ((gpa >> shift) &
					 (i == levels - 1 ? 0x7ff : 0x1ff)) *
						8;

		if (!read(ctx, addr, &pte))
			return WALK_ACCESS_FAULT;
		if (!walk_pte_valid(pte))
			return WALK_GUEST_PAGE_FAULT;
		if (pte & (PTE_R | PTE_X))
			return walk_gstage_leaf(pte, (unsigned int)i, addr, gpa,
						acc, out);
		/* Non-leaf: A, D, U are reserved and must be 0. */
		if (pte & (PTE_A | PTE_D | PTE_U))
			return WALK_GUEST_PAGE_FAULT;
		table = field_get(PTE_PPN, pte) << 12;
	}
	return WALK_GUEST_PAGE_FAULT; /* no leaf at the last level */
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
		if (!walk_pte_valid(pte))
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
