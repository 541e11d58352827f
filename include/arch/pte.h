/* SPDX-License-Identifier: MIT */
/*
 * The page table entry of Sv39 and Sv48, and of their x4 forms for the
 * G-stage (privileged spec, "Sv39: Page-Based 39-bit Virtual-Memory
 * System", and "Guest Physical Address Translation": the same PTE). Shared
 * by L0's own table (arch/riscv/mmu.c), its G-stage tables
 * (arch/riscv/gstage.c), the software walks of L1's tables
 * (nested/walk.c) and the simulated hart (tests/sim/).
 */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include <l0/bits.h>

#define PTE_V BIT(0)
#define PTE_R BIT(1)
#define PTE_W BIT(2)
#define PTE_X BIT(3)
#define PTE_U BIT(4)
#define PTE_G BIT(5)
#define PTE_A BIT(6)
#define PTE_D BIT(7)
#define PTE_RWX (PTE_R | PTE_W | PTE_X)
#define PTE_PPN GENMASK(53, 10)
#define PTE_RESERVED GENMASK(63, 54) /* N, PBMT: L0 uses and offers neither */

#endif
