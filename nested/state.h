/* SPDX-License-Identifier: MIT */
/* nested/ internal: one nested vCPU's virtual-HS state. */
#ifndef NESTED_STATE_H
#define NESTED_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include <l0/nested.h>
#include <l0/spinlock.h>
#include <l0/vm.h>

#include "csr.h"
#include "nacl.h"
#include "walk.h"

/* L1's own VS-level state, put aside while L2 has the hart's CSRs. */
struct nested_l1_save {
	struct vcpu_csrs csrs;
};

/*
 * What L0 wrote into L1's vsepc, vscause and vstval when it last gave L1 a
 * trap from L2; `valid` until L1 writes hstatus or enters L2 again.
 */
struct nested_exit_mark {
	unsigned long epc, cause, tval;
	bool valid;
};

/* Shadows kept per vCPU, one per L1 VMID modulo this (shadow.c). */
#define SHADOW_SLOTS 4

/*
 * A walk cache entry (shadow.c): where L1's non-leaf entries lead for one
 * 2 MiB region of L2's GPA space, its level-0 table; and the shadow's own
 * level-0 table there, once known.
 */
struct shadow_walk_cache {
	uint64_t key;	      /* the region's base | 1; 0: empty */
	uint64_t table;	      /* L1 guest physical address of the table */
	const uint64_t *ptes; /* the table in L0's view of L1's RAM */
	uint64_t *shadow;     /* the shadow's table; NULL: not known */
	unsigned long frees;  /* the shadow's g.frees when it was found */
};

/* Walk cache entries per shadow, one per region modulo this (shadow.c). */
#define SHADOW_WALK_CACHE 64

/* One shadow G-stage: L2 GPA -> host PA for one table of L1's. */
struct shadow {
	struct gstage g; /* its own host VMID; root NULL: never used */
	uint64_t of;	 /* L1's hgatp (MODE, VMID, PPN); SHADOW_NONE: empty */
	bool mxr;	 /* L1's sstatus.MXR it was filled under */
	/* The largest L1 leaf any entry came from: what a fence must drop. */
	uint64_t leaf_max;
	struct shadow_walk_cache walks[SHADOW_WALK_CACHE];
};

#define SHADOW_NONE (~0ULL)

/*
 * Who an L0 trap of a nested vCPU is for: L2 running; L1 between an exit of
 * L2's and its next entry (handling that exit: on behalf of L2); L1 at any
 * other time (its own work: its boot, its QEMU before L2 runs, its idle).
 */
enum nested_level { LEVEL_L2, LEVEL_L1_FOR_L2, LEVEL_L1_OWN, NESTED_LEVELS };

/* Counters for the bench, printed when the VM stops. */
struct nested_stats {
	unsigned long switches;		       /* entries into L2 */
	unsigned long fills_huge, fills_small; /* shadow faults filled */
	unsigned long fills_ahead;	       /* and their neighbours */
	unsigned long fills_on_fence; /* pages L1 fenced, mapped again */
	unsigned long fill_insns;     /* L0 instructions in them */
	unsigned long walk_hits; /* walks of L1's table from the walk cache */
	unsigned long fences_switch; /* host HFENCEs in switches */
	/* L1's fences: HFENCE.GVMA all, by VMID, by address; HFENCE.VVMA. */
	unsigned long l1_gvma_all, l1_gvma_vmid, l1_gvma_gpa, l1_vvma;
	unsigned long reclaims;	   /* shadows emptied at the cap */
	unsigned long ecall_exits; /* L2 ecalls given to L1 */
	unsigned long ecall_traps[VM_STAT_CAUSES]; /* L0 traps until L2 again */
	unsigned long ecall_insns; /* and their L0 instructions (-icount) */
	/* Every L0 trap and its L0 instructions by who caused it. */
	unsigned long level_traps[NESTED_LEVELS][VM_STAT_CAUSES];
	unsigned long level_insns[NESTED_LEVELS];
};

/* SBI remote HFENCEs other vCPUs asked of this one (rfence.c). */
#define RFENCE_QUEUE 8
struct nested_rfence_queue {
	spinlock_t lock;
	unsigned int n;
	bool overflow; /* more than fit: fence everything */
	struct nested_rfence f[RFENCE_QUEUE];
};

/*
 * Page-aligned (nested.c), the fields every trap touches first: L1's CSRs,
 * the switch's state and the counters lie in the first page, the shadows
 * after them. Under QEMU each trap refills every page L0 touches.
 */
struct nested_vcpu {
	struct vm *vm;
	struct nested_features feat;
	struct nested_csrs csrs; /* L1's virtual h* and vs* CSRs */
	bool in_l2;
	bool in_ecall;		 /* L1 handles an ecall of L2's */
	bool ecall_trap;	 /* the trap being handled came in in_ecall */
	bool filled;		 /* the trap being handled filled a shadow */
	bool for_l2;		 /* L1 handles an exit of L2's */
	enum nested_level level; /* of the trap being handled */
	struct nested_exit_mark exit_mark;
	struct nested_l1_save l1;
	/* Interrupts for L1 (hvip bits) raised from any hart; applied here. */
	unsigned long l1_irq_set, l1_irq_clear;
	uint8_t *nacl;	    /* SBI NACL shared memory (host); NULL: off */
	uint32_t nacl_exit; /* table entries an exit from L2 may change */
	struct nested_stats stats;
	unsigned long vmid_base; /* host VMIDs: shadows, then L2 under Bare */
	struct shadow *shadow;	 /* L2's, while it runs under L1's hgatp */
	uint64_t bare_of; /* L1 VMID of the last L2 under Bare; SHADOW_NONE */
	/* The 2 MiB of L1's RAM the last shadow fault used (shadow.c). */
	uint64_t block_gpa;
	uintptr_t block;
	size_t shadow_tables; /* table pages of all its shadows */
	size_t shadow_cap;    /* the most they may hold */
	struct shadow shadows[SHADOW_SLOTS];
	struct nested_rfence_queue rfences;
};

enum shadow_result {
	SHADOW_MAPPED,	     /* retry: mapped now (or a device access done) */
	SHADOW_L1_FAULT,     /* L1's table forbids it: a guest-page fault */
	SHADOW_ACCESS_FAULT, /* L1 has nothing at the address it maps to */
};

/* The shadow G-stage (shadow.c). */

/* The host VMID of L2 while L1's hgatp is Bare (L1's own G-stage). */
unsigned long nested_bare_vmid(const struct nested_vcpu *n);

/* The hart's hgatp for L2 while L1's hgatp is Bare: L1's table, that VMID. */
uint64_t nested_bare_hgatp(const struct nested_vcpu *n);

/*
 * L2 enters under a Bare hgatp of L1's (its VMID in n->csrs.hgatp): the one
 * host VMID of every L1 VMID under Bare.
 */
void nested_bare_enter(struct nested_vcpu *n);

/*
 * The hart's hgatp for L2 under L1's hgatp (with L1's sstatus.MXR): the
 * shadow of that table. 0, or -1 when L0 has no memory for one.
 */
int nested_shadow_enter(struct nested_vcpu *n, bool mxr, uint64_t *hgatp);

/* A guest-page fault of L2 at L2 guest physical `gpa`, under a shadow. */
enum shadow_result nested_shadow_fault(struct vcpu *v, struct nested_vcpu *n,
				       struct trap_frame *tf, uint64_t gpa);

/* Give back every shadow's tables (the vCPU is off its hart for good). */
void nested_shadow_free_all(struct nested_vcpu *n);

/*
 * L1's HFENCE.GVMA: the shadows of `vmid` (or all, `all_vmids`) drop their
 * entries for L2 guest physical `gpa` (or all, `all_gpas`).
 */
void nested_shadow_fence_gvma(struct nested_vcpu *n, bool all_vmids,
			      unsigned long vmid, bool all_gpas, uint64_t gpa);

/*
 * L1's HFENCE.VVMA (of its current VMID) or a NACL HFENCE entry's: L2's
 * VS-stage entries under L1's VMID `vmid` (or all, `all_vmids`), whatever
 * the root, and under a Bare hgatp.
 */
void nested_shadow_fence_vvma(struct nested_vcpu *n, bool all_vmids,
			      unsigned long vmid);

/* Empty every shadow (the vCPU restarts). */
void nested_shadow_reset(struct nested_vcpu *n);

/* The CSR instruction, HFENCE, HLV/HSV and SRET emulation (emulate.c). */
bool nested_emulate_l1_insn(struct vcpu *v, struct nested_vcpu *n,
			    struct trap_frame *tf);

/* L1's SRET: into L2 when virtual hstatus.SPV = 1 (emulate.c). */
void nested_emulate_sret(struct vcpu *v, struct nested_vcpu *n,
			 struct trap_frame *tf);

/* Whether `insn` is an HLV, HLVX or HSV (emulate.c). */
bool nested_is_hlv_hsv(uint32_t insn);

/*
 * An exception taken into L1's virtual HS-mode from L1 itself (V=0), e.g.
 * a fault of its HLV: L1's scause/sepc/stval, and hstatus.GVA, htval and
 * htinst as the spec's trap entry sets them (switch.c).
 */
void nested_l1_exception(struct nested_vcpu *n, struct trap_frame *tf,
			 unsigned long cause, unsigned long tval,
			 unsigned long htval, bool gva);

/* The nested switch (switch.c). */
void nested_enter_l2(struct vcpu *v, struct nested_vcpu *n,
		     struct trap_frame *tf);
void nested_exit_to_l1(struct vcpu *v, struct nested_vcpu *n,
		       struct trap_frame *tf, unsigned long cause,
		       unsigned long tval);

/*
 * SBI NACL (nacl.c): after L0 changed L1's virtual CSRs (an emulated CSR
 * write, a trap into L1), their values into the shared memory's CSR space.
 */
void nested_nacl_publish(struct nested_vcpu *n);

/* The same for CSR `csr` alone, when only it changed. */
void nested_nacl_publish_csr(struct nested_vcpu *n, unsigned int csr);

/*
 * At every exit from L2 to L1, before L1 runs: the autoswap of hstatus
 * (virtualization ON -> OFF) and the CSR space, where L1 reads hstatus,
 * htval and htinst.
 */
void nested_nacl_exit_to_l1(struct vcpu *v, struct nested_vcpu *n);

/* L1's hip inputs (its VSTIP from vstimecmp) before L1 reads it. */
void nested_refresh_hip(struct vcpu *v, struct nested_vcpu *n);

/* L0's hstatus for L1's frame: SRET traps only while virtual SPV = 1. */
/*
 * Virtual hstatus.SPV and GVA as hardware would have them now: 0 if L1 has
 * taken a trap of its own since L0's last exit from L2 (see switch.c).
 */
void nested_settle_l1_hstatus(struct nested_vcpu *n);

void nested_update_l1_hstatus(const struct nested_vcpu *n,
			      struct trap_frame *tf);

#endif
