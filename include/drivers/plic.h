/* SPDX-License-Identifier: MIT */
/*
 * The host PLIC, seen from the one S-mode context L0 takes external
 * interrupts on (core/hostirq.c decides what each source is for).
 */
#ifndef DRIVERS_PLIC_H
#define DRIVERS_PLIC_H

#include <stdint.h>

/*
 * Use S-mode context `ctx` of the PLIC at `base` (sources 1..ndev): every
 * source disabled there, threshold 0.
 */
void plic_init(uint64_t base, unsigned int ctx, unsigned int ndev);
/* Route source `irq` to that context (priority 1). */
void plic_enable(unsigned int irq);
/* Stop routing source `irq` to that context. */
void plic_disable(unsigned int irq);
/* The highest pending source, now claimed; 0 when none. */
unsigned int plic_claim(void);
/* Let the source's gateway forward its next request. */
void plic_complete(unsigned int irq);

#endif
