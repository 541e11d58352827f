// SPDX-License-Identifier: MIT
/*
 * The host PLIC (RISC-V PLIC spec v1.0.0): L0 takes its interrupts on one
 * S-mode context, claims them there and completes them there (a completion
 * may be written from any hart: it names the context by its address).
 */
#include <drivers/plic.h>

#define PLIC_PRIORITY(irq) (4UL * (irq))
#define PLIC_ENABLE(ctx, irq) (0x2000UL + 0x80UL * (ctx) + 4UL * ((irq) / 32))
#define PLIC_THRESHOLD(ctx) (0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx) (0x200004UL + 0x1000UL * (ctx))

static uint64_t plic_base;
static unsigned int plic_ctx;

static volatile uint32_t *reg(uint64_t offset)
{
	return (volatile uint32_t *)(uintptr_t)(plic_base + offset);
}

void plic_init(uint64_t base, unsigned int ctx, unsigned int ndev)
{
	plic_base = base;
	plic_ctx = ctx;
	/* Only what L0 enables: nothing the firmware left on interrupts. */
	for (unsigned int irq = 0; irq <= ndev; irq += 32)
		*reg(PLIC_ENABLE(ctx, irq)) = 0;
	*reg(PLIC_THRESHOLD(ctx)) = 0;
}

void plic_enable(unsigned int irq)
{
	*reg(PLIC_PRIORITY(irq)) = 1;
	/* Read-modify-write: only the boot hart enables, while it sets up. */
	*reg(PLIC_ENABLE(plic_ctx, irq)) |= 1u << (irq % 32);
}

void plic_disable(unsigned int irq)
{
	*reg(PLIC_ENABLE(plic_ctx, irq)) &= ~(1u << (irq % 32));
}

unsigned int plic_claim(void)
{
	return *reg(PLIC_CLAIM(plic_ctx));
}

void plic_complete(unsigned int irq)
{
	*reg(PLIC_CLAIM(plic_ctx)) = irq;
}
