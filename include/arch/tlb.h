/* SPDX-License-Identifier: MIT */
/*
 * hgatp and the hypervisor fences on the local hart (arch/riscv/tlb.c;
 * privileged spec, "Hypervisor Memory-Management Fence Instructions").
 * Every VMID and hgatp value here carries an L0 VMID: this hart's hardware
 * VMID for it comes from its map (arch/vmid.h). A fence of an L0 VMID that
 * has no hardware VMID on this hart does nothing: the hart caches nothing
 * for it, since a hardware VMID is fenced whenever it changes owner.
 */
#ifndef ARCH_TLB_H
#define ARCH_TLB_H

#include <stdint.h>

/* Never more VMID bits than `bits` on any hart (l0.vmidlen=, for tests). */
void tlb_cap_vmid_bits(unsigned int bits);

/* Find this hart's VMIDLEN and start its VMID map; returns VMIDLEN. */
unsigned int tlb_init_hart(void);

/* Print each hart's VMIDLEN and how many hardware VMIDs it handed out. */
void tlb_print_stats(void);

/*
 * Put `hgatp` on this hart, with its L0 VMID's hardware VMID, which is
 * fenced first if it has just been given to that L0 VMID.
 */
void hgatp_write(uint64_t hgatp);

/* Drop every cached translation of guests under `vmid` (G-stage, VS-stage). */
void hfence_gvma_vmid(unsigned long vmid);

/* Drop what the hart caches for guest physical `gpa` under `vmid`. */
void hfence_gvma_gpa(unsigned long gpa, unsigned long vmid);

/*
 * Drop the VS-stage entries of the guest that `hgatp` selects (its VMID), not
 * the running one: HFENCE.VVMA works on hgatp's VMID, so swap it in briefly.
 */
void hfence_vvma_of(unsigned long hgatp);

/* Drop the cached translations of every guest. */
static inline void hfence_gvma_all(void)
{
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.gvma zero, zero\n.option pop" ::
				 : "memory");
}

/* Drop stale instructions (an SBI remote fence.i). */
static inline void fence_i(void)
{
	__asm__ volatile("fence.i" ::: "memory");
}

#endif
