/* SPDX-License-Identifier: MIT */
/*
 * The simulated hart's fences (tests/sim): each one is logged and applied
 * to the fake hart's TLB model, as the privileged spec defines it.
 */
#ifndef ARCH_TLB_H
#define ARCH_TLB_H

#include <arch/csr.h>

void sim_hfence_gvma(unsigned long gpa, unsigned long vmid, int which);
void sim_hfence_vvma(void);
void sim_fence_i(void);

#define SIM_GVMA_ALL 0
#define SIM_GVMA_VMID 1
#define SIM_GVMA_GPA 2

/*
 * L0 VMIDs are the simulated hart's own (arch/riscv/tlb.c's map to a real
 * hart's fewer VMID bits is not modelled here: test_vmid checks it).
 */
static inline void hgatp_write(uint64_t hgatp)
{
	csr_write(CSR_HGATP, hgatp);
}

/* No hardware VMID map to report on a simulated hart. */
static inline void tlb_print_stats(void)
{
}

static inline void hfence_gvma_vmid(unsigned long vmid)
{
	sim_hfence_gvma(0, vmid, SIM_GVMA_VMID);
}

static inline void hfence_gvma_gpa(unsigned long gpa, unsigned long vmid)
{
	sim_hfence_gvma(gpa, vmid, SIM_GVMA_GPA);
}

static inline void hfence_gvma_all(void)
{
	sim_hfence_gvma(0, 0, SIM_GVMA_ALL);
}

static inline void fence_i(void)
{
	sim_fence_i();
}

static inline void hfence_vvma_of(unsigned long hgatp)
{
	unsigned long old = csr_swap(CSR_HGATP, hgatp);

	sim_hfence_vvma();
	csr_write(CSR_HGATP, old);
}

#endif
