// SPDX-License-Identifier: MIT
/*
 * The host PLIC (RISC-V PLIC spec v1.0.0): L0 takes its interrupts on one
 * S-mode context, claims them there and completes them there (a completion
 * may be written from any hart: it names the context by its address). The
 * gateway holds a claimed source until its completion ("Interrupt
 * Gateways").
 */
#include <drivers/irqchip.h>

#define PLIC_PRIORITY(irq) (4UL * (irq))
#define PLIC_ENABLE(ctx, irq) (0x2000UL + 0x80UL * (ctx) + 4UL * ((irq) / 32))
#define PLIC_THRESHOLD(ctx) (0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx) (0x200004UL + 0x1000UL * (ctx))

static uint64_t plic_base;
static unsigned int plic_ctx, plic_ndev;

static uintptr_t reg(uint64_t offset)
{
	return (uintptr_t)(plic_base + offset);
}

static bool plic_init(const struct platform *p, const struct platform_cpu *cpu)
{
	if (!p->plic.present)
		return false;
	plic_base = p->plic.base;
	plic_ndev = p->plic.ndev;
	plic_ctx = (unsigned int)cpu->irq_target;
	/*
	 * Only what L0 enables: a source the firmware left on for this
	 * context would interrupt L0 with nobody to take it. Unknown ndev:
	 * every word (the spec's 1023 sources; the others are WARL zero).
	 */
	for (unsigned int irq = 0; irq <= (plic_ndev ? plic_ndev : 1023);
	     irq += 32)
		irqchip_write32(reg(PLIC_ENABLE(plic_ctx, irq)), 0);
	irqchip_write32(reg(PLIC_THRESHOLD(plic_ctx)), 0);
	return true;
}

static bool plic_enable(unsigned int irq)
{
	uintptr_t en = reg(PLIC_ENABLE(plic_ctx, irq));

	if (!irq || (plic_ndev && irq > plic_ndev))
		return false;
	irqchip_write32(reg(PLIC_PRIORITY(irq)), 1);
	/* Read-modify-write: only the boot hart enables, while it sets up. */
	irqchip_write32(en, irqchip_read32(en) | 1u << (irq % 32));
	return true;
}

static void plic_disable(unsigned int irq)
{
	uintptr_t en = reg(PLIC_ENABLE(plic_ctx, irq));

	irqchip_write32(en, irqchip_read32(en) & ~(1u << (irq % 32)));
}

static unsigned int plic_claim(void)
{
	return irqchip_read32(reg(PLIC_CLAIM(plic_ctx)));
}

static void plic_complete(unsigned int irq)
{
	irqchip_write32(reg(PLIC_CLAIM(plic_ctx)), irq);
}

const struct irqchip_driver irqchip_plic = {
	.name = "PLIC",
	.init = plic_init,
	.enable = plic_enable,
	.disable = plic_disable,
	.claim = plic_claim,
	.complete = plic_complete,
};
