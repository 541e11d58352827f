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
 * Whether `pte`, read from a last-level G-stage table, is a 4 KiB leaf some
 * access may use without a fault; if so, its page and prot in `out`.
 */
bool nested_gstage_leaf_4k(uint64_t pte, struct walk *out);

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
