/* SPDX-License-Identifier: MIT */
/*
 * L0's host interrupt controller (drivers/irq/): the one that raises the boot
 * hart's supervisor external interrupt (SEIP), whichever kind the host has.
 * core/platform.c picks it by `compatible` (platform->irqchip); this
 * interface hides the kind from core/hostirq.c and the console.
 *
 * Each driver keeps a claimed wired source held until irqchip_complete(),
 * whatever the controller does on its own: the PLIC's gateway holds it, the
 * APLIC in direct mode has the source's enable bit cleared meanwhile, the
 * APLIC in MSI mode sends no new MSI without a new edge (AIA spec 4.9.2).
 */
#ifndef DRIVERS_IRQCHIP_H
#define DRIVERS_IRQCHIP_H

#include <stdbool.h>
#include <stdint.h>

#include <l0/platform.h>

struct irqchip_driver {
	const char *name; /* for the banner */
	/* Take SEIP on `cpu` (call on that hart): all sources off, threshold 0. */
	bool (*init)(const struct platform *p, const struct platform_cpu *cpu);
	/* Route wired source `irq` to that hart. False: no such source. */
	bool (*enable)(unsigned int irq);
	/* Stop routing source `irq` (one enable() succeeded for). */
	void (*disable)(unsigned int irq);
	/* The highest-priority pending source, now claimed; 0 when none. */
	unsigned int (*claim)(void);
	/* Let source `irq` interrupt again (any hart may call). */
	void (*complete)(unsigned int irq);
};

extern const struct irqchip_driver irqchip_plic, irqchip_aplic, irqchip_imsic;

/* The driver for `kind`; NULL for IRQCHIP_NONE. */
const struct irqchip_driver *irqchip_driver(enum platform_irqchip kind);

/*
 * Take SEIP on `cpu` from the host's controller (platform->irqchip). False
 * when L0 has no driver for it or the hart is not one of its targets.
 */
bool irqchip_init(const struct platform *p, const struct platform_cpu *cpu);
const char *irqchip_name(void);
bool irqchip_enable(unsigned int irq);
void irqchip_disable(unsigned int irq);
unsigned int irqchip_claim(void);
void irqchip_complete(unsigned int irq);

/*
 * One 32-bit register access of the PLIC or APLIC (drivers/irq/io.c; the
 * unit tests put a register-level fake of each controller here).
 */
uint32_t irqchip_read32(uintptr_t addr);
void irqchip_write32(uintptr_t addr, uint32_t v);

#endif
