/* SPDX-License-Identifier: MIT */
/* L0's own use of the host PLIC: the interrupts of the devices L0 drives. */
#ifndef DRIVERS_PLIC_H
#define DRIVERS_PLIC_H

#include <stdint.h>

/* Route source `irq` to S-mode context `ctx` of the PLIC at `base`. */
void plic_enable(uint64_t base, unsigned int ctx, unsigned int irq);
unsigned int plic_claim(void);
void plic_complete(unsigned int irq);

#endif
