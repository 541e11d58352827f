/* SPDX-License-Identifier: MIT */
/* The hypervisor fences L0 issues on the local hart (privileged spec 21.3.2). */
#ifndef ARCH_TLB_H
#define ARCH_TLB_H

/* Drop every cached translation of guests under `vmid` (G-stage, VS-stage). */
static inline void hfence_gvma_vmid(unsigned long vmid)
{
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.gvma zero, %0\n.option pop" ::"r"(vmid)
			 : "memory");
}

/* Drop the cached translations of every guest. */
static inline void hfence_gvma_all(void)
{
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.gvma zero, zero\n.option pop" ::
				 : "memory");
}

/* Drop the VS-stage entries of the VMID in hgatp, and stale instructions. */
static inline void hfence_vvma_all_fence_i(void)
{
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "fence.i\nhfence.vvma zero, zero\n.option pop" ::
				 : "memory");
}

#endif
