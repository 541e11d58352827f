/* SPDX-License-Identifier: MIT */
/*
 * nested/ internal: the SBI nested acceleration (NACL) shared memory of one
 * vCPU, as the SBI spec's chapter "Nested Acceleration Extension" lays it
 * out (XLEN = 64, little-endian words), and the plain logic that keeps it
 * coherent with L1's virtual CSRs (nested/nacl_shmem.c, host-tested).
 *
 * The memory is L1's and L1 may change it at any time, from any hart:
 * every word is read once (a relaxed atomic load) and never trusted.
 */
#ifndef NESTED_NACL_H
#define NESTED_NACL_H

#include <stdbool.h>
#include <stdint.h>

#include "csr.h"

/* "4096 + (XLEN * 128) bytes", 4096-byte aligned. */
#define NACL_SHMEM_SIZE (4096 + 64 * 128)
#define NACL_SHMEM_ALIGN 4096

/* The scratch space (its first 4 KiB), by feature. */
#define NACL_SRET_OFF 0x0000	 /* SYNC_SRET: X1..X31 at 8 * i */
#define NACL_AUTOSWAP_OFF 0x0200 /* AUTOSWAP_CSR: flags, then hstatus */
#define NACL_HFENCE_OFF 0x0800	 /* SYNC_HFENCE: entries of 4 words */
#define NACL_DIRTY_OFF 0x0f80	 /* SYNC_CSR: dirty bit per CSR index */
#define NACL_CSR_OFF 0x1000	 /* 1024 words, one per H-extension CSR */
#define NACL_CSR_WORDS 1024
#define NACL_DIRTY_WORDS ((NACL_CSR_OFF - NACL_DIRTY_OFF) / 8) /* 16 */

/* Autoswap context: Autoswap_Flags, then the hstatus to swap. */
#define NACL_AUTOSWAP_FLAGS 0
#define NACL_AUTOSWAP_HSTATUS 8
#define NACL_AUTOSWAP_FLAG_HSTATUS 1UL

/* Nested HFENCE entries: "3840 / XLEN" of them, 32 bytes each. */
#define NACL_HFENCE_ENTRIES (3840 / 64)
#define NACL_HFENCE_ENTRY_SIZE 32
#define NACL_HFENCE_CONFIG 0 /* word 0; 1: Page_Number; 3: Page_Count */
#define NACL_HFENCE_PNUM 8
#define NACL_HFENCE_PCOUNT 24
/* Config word fields (XLEN = 64). */
#define NACL_HFENCE_PENDING (1UL << 63)
#define NACL_HFENCE_TYPE_SHIFT 56 /* BIT[XLEN-5:XLEN-8] */
#define NACL_HFENCE_TYPE_MASK 0xfUL
#define NACL_HFENCE_ORDER_SHIFT 48 /* BIT[XLEN-10:XLEN-16] */
#define NACL_HFENCE_ORDER_MASK 0x7fUL
#define NACL_HFENCE_VMID_SHIFT 16 /* BIT[29:16] */
#define NACL_HFENCE_VMID_MASK 0x3fffUL
#define NACL_HFENCE_ASID_MASK 0xffffUL /* BIT[15:0] */

/* Nested HFENCE entry types (the spec's table; 8..15 are reserved). */
enum nacl_hfence_type {
	NACL_HFENCE_GVMA,
	NACL_HFENCE_GVMA_ALL,
	NACL_HFENCE_GVMA_VMID,
	NACL_HFENCE_GVMA_VMID_ALL,
	NACL_HFENCE_VVMA,
	NACL_HFENCE_VVMA_ALL,
	NACL_HFENCE_VVMA_ASID,
	NACL_HFENCE_VVMA_ASID_ALL,
};

/* What kind of fence one pending entry asks L0 for. */
enum nacl_fence {
	NACL_FENCE_NONE, /* not pending, or a reserved type: ignored */
	NACL_FENCE_VVMA, /* an HFENCE.VVMA (VS-stage) */
	NACL_FENCE_GVMA, /* an HFENCE.GVMA (G-stage) */
};

/* A range longer than this many pages is fenced whole. */
#define NACL_HFENCE_MAX_PAGES 64
/*
 * Pages one SYNC_HFENCE or SYNC_SRET fences one by one, over all its
 * entries (each costs an unmap, a refill and an HFENCE per shadow slot);
 * the entries past it fence their whole VMID instead, which is as correct
 * and costs one clear, so that one call is bounded work.
 */
#define NACL_HFENCE_PAGE_BUDGET (4UL * NACL_HFENCE_MAX_PAGES)

/* One pending entry, decoded (the Config word, Page_Number, Page_Count). */
struct nacl_hfence {
	enum nacl_fence kind;
	bool all_vmids;	    /* GVMA and GVMA_ALL: every VMID */
	bool all_addrs;	    /* the *_ALL types, or a range fenced whole */
	unsigned long vmid; /* Config.VMID, unless all_vmids */
	uint64_t addr;	    /* the first page: Page_Number << (Order + 12) */
	uint64_t page_size; /* 1 << (Order + 12) */
	uint64_t pages;	    /* Page_Count (at most NACL_HFENCE_MAX_PAGES) */
};

/* Feature IDs (the spec's table of nested acceleration features). */
enum nacl_feature {
	NACL_FEAT_SYNC_CSR,
	NACL_FEAT_SYNC_HFENCE,
	NACL_FEAT_SYNC_SRET,
	NACL_FEAT_AUTOSWAP_CSR,
	NACL_FEAT_COUNT,
};

/* The CSR space index of CSR `csr`: ((x & 0xc00) >> 2) | (x & 0xff). */
#define NACL_CSR_INDEX(csr) ((((csr)&0xc00) >> 2) | ((csr)&0xff))
unsigned int nacl_csr_index(unsigned int csr);

/*
 * Whether `csr_num` names one CSR as SYNC_CSR accepts it:
 * (csr_num & 0x300) == 0x200 and csr_num < 0x1000 (the all-ones "every
 * CSR" is the caller's).
 */
bool nacl_csr_num_ok(unsigned long csr_num);

/* The CSR space's word for `csr` (tests; L1 reads it this way). */
uint64_t nacl_csr_word(const uint8_t *shmem, unsigned int csr);

/*
 * Write the CSRs of the table entries in `entries` (NESTED_CSR_ALL: every
 * CSR L1 has) into the CSR space, as they read now ("the SBI
 * implementation MUST update the CSR space whenever the state of any
 * H-extension CSR changes"): the caller names at least those whose state
 * changed since they were last written there. A CSR whose dirty bit is
 * set keeps L1's pending value: the write L1 asked for, not yet
 * synchronized.
 */
void nacl_publish(uint8_t *shmem, const struct nested_csrs *c,
		  const struct nested_features *f, uint32_t entries);

/*
 * Synchronize CSR `csr` (spec, "Feature: Synchronize CSR", steps 1-5):
 * if its dirty bit is set, write the CSR space's value to it (the WARL
 * rules of nested/csr.c decide what sticks; a read-only CSR ignores it),
 * clear the bit, and write the values back: all of them (nacl_publish),
 * as one write may change another CSR (hip.VSSIP is hvip.VSSIP).
 * Returns whether it wrote.
 */
bool nacl_sync_csr(uint8_t *shmem, struct nested_csrs *c,
		   const struct nested_features *f, unsigned int csr);

/*
 * Synchronize every CSR L1 has whose dirty bit is set, in the order of
 * nested/csr.c's table, which puts a CSR before those whose value derives
 * from it (hvip before hip, hideleg and hie before vsie and vsip). Dirty
 * bits of CSRs L0 does not implement are left alone. The values are not
 * written back: the caller publishes (nacl_publish) before L1 can look.
 * Returns the table entries written (a bit per entry).
 */
uint32_t nacl_sync_all_csrs(uint8_t *shmem, struct nested_csrs *c,
			    const struct nested_features *f);

/*
 * The first HFENCE entry in [from, end) whose Config.Pending bit is set,
 * or `end` (at most NACL_HFENCE_ENTRIES) when there is none.
 */
unsigned int nacl_hfence_next(const uint8_t *shmem, unsigned int from,
			      unsigned int end);

/*
 * Take HFENCE entry `i` (< NACL_HFENCE_ENTRIES): if its Config.Pending
 * bit is set, clear it and decode the entry into `h` (h->kind is
 * NACL_FENCE_NONE when there is nothing to do). Reserved types are
 * consumed and ignored; the fields a type ignores are ignored.
 */
void nacl_hfence_take(uint8_t *shmem, unsigned int i, struct nacl_hfence *h);

/* X1..X31 from the nested SRET context into regs[1..31]. */
void nacl_sret_gprs(const uint8_t *shmem, unsigned long regs[32]);

/*
 * Autoswap (spec, "Feature: Autoswap CSR"): when Autoswap_Flags.HSTATUS
 * is set, swap the virtual hstatus with the context's HSTATUS word (the
 * new hstatus legalized as a CSR write would be). Returns whether it did.
 */
bool nacl_autoswap(uint8_t *shmem, struct nested_csrs *c,
		   const struct nested_features *f);

#endif
