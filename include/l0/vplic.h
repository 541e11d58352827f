/* SPDX-License-Identifier: MIT */
/*
 * An emulated PLIC (RISC-V PLIC specification v1.0.0), one S-mode context per
 * vCPU, in the register layout of QEMU's virt PLIC. Plain logic: the caller
 * decodes the guest's MMIO access and turns the context's output into the
 * vCPU's VSEIP (hvip bit 10).
 */
#ifndef L0_VPLIC_H
#define L0_VPLIC_H

#include <stdbool.h>
#include <stdint.h>

#include <l0/spinlock.h>

#define VPLIC_MAX_SOURCES 64 /* sources 1..63; source 0 does not exist */
#define VPLIC_MAX_CONTEXTS 8
#define VPLIC_SIZE 0x4000000 /* 64 MiB of address space, as on virt */

struct vplic {
	spinlock_t lock;
	unsigned int nsources;  /* including the non-existent source 0 */
	unsigned int ncontexts; /* one per vCPU: its S-mode context */
	uint32_t priority[VPLIC_MAX_SOURCES];
	uint64_t pending;       /* bit per source */
	uint64_t level;         /* current line level per source */
	uint64_t claimed;       /* claimed and not yet completed */
	uint64_t enable[VPLIC_MAX_CONTEXTS];
	uint32_t threshold[VPLIC_MAX_CONTEXTS];
};

void vplic_init(struct vplic *p, unsigned int nsources, unsigned int ncontexts);

/*
 * A guest access at `offset` within the PLIC window, of `size` bytes (only
 * 4-byte aligned 4-byte accesses are defined; others read 0 / are ignored).
 * Returns false when the offset is outside any register (the caller then
 * raises an access fault in the guest).
 */
bool vplic_read(struct vplic *p, uint64_t offset, unsigned int size,
		uint32_t *value);
bool vplic_write(struct vplic *p, uint64_t offset, unsigned int size,
		 uint32_t value);

/* A device drives source `irq` to `level` (level-triggered, as on virt). */
void vplic_set_level(struct vplic *p, unsigned int irq, bool level);

/* Whether context `ctx` has an enabled pending source above its threshold. */
bool vplic_context_pending(struct vplic *p, unsigned int ctx);

#endif
