/* SPDX-License-Identifier: MIT */
/* The hypervisor fences L0 issues on the local hart (privileged spec 21.3.2). */
#ifndef ARCH_TLB_H
#define ARCH_TLB_H

#include <arch/csr.h>

/* Drop every cached translation of guests under `vmid` (G-stage, VS-stage). */
static inline void hfence_gvma_vmid(unsigned long vmid)
{
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.gvma zero, %0\n.option pop" ::"r"(vmid)
			 : "memory");
}

/* Drop what the hart caches for guest physical `gpa` under `vmid`. */
static inline void hfence_gvma_gpa(unsigned long gpa, unsigned long vmid)
{
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.gvma %0, %1\n.option pop" ::"r"(gpa >> 2),
			 "r"(vmid)
			 : "memory");
}

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

/*
 * Drop the VS-stage entries of the guest that `hgatp` selects (its VMID), not
 * the running one: HFENCE.VVMA works on hgatp's VMID, so swap it in briefly.
 */
static inline void hfence_vvma_of(unsigned long hgatp)
{
	unsigned long old = csr_swap(CSR_HGATP, hgatp);

	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.vvma zero, zero\n.option pop" ::
				 : "memory");
	csr_write(CSR_HGATP, old);
}

#endif
