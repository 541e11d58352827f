/* SPDX-License-Identifier: MIT */
/* L0's own address space: an identity map (arch/riscv/mmu.c). */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdbool.h>
#include <stdint.h>

enum mmu_prot {
	MMU_RW,	 /* devices and data */
	MMU_RWX, /* RAM that holds L0's code */
};

void mmu_init(void);
void mmu_map_identity(uint64_t base, uint64_t size, enum mmu_prot prot);
/* Whether L0's page table maps `va` (a walk of the table, for self-tests). */
bool mmu_is_mapped(uint64_t va);
/*
 * Turn translation on for the boot hart, after every mmu_map_identity();
 * returns "Sv39" (all mapped below 256 GiB) or "Sv48".
 */
const char *mmu_enable(void);
/* Turn the same translation on for a secondary hart. */
void mmu_enable_hart(void);

#endif
