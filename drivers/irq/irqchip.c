// SPDX-License-Identifier: MIT
/*
 * The host interrupt controller L0 takes SEIP from: the driver of the kind
 * core/platform.c found by `compatible`, one instance for the boot hart.
 */
#include <drivers/irqchip.h>

static const struct irqchip_driver *const drivers[] = {
	[IRQCHIP_PLIC] = &irqchip_plic,
	[IRQCHIP_APLIC] = &irqchip_aplic,
	[IRQCHIP_IMSIC] = &irqchip_imsic,
};

static const struct irqchip_driver *chip;

const struct irqchip_driver *irqchip_driver(enum platform_irqchip kind)
{
	return kind < sizeof(drivers) / sizeof(drivers[0]) ? drivers[kind]
							   : NULL;
}

bool irqchip_init(const struct platform *p, const struct platform_cpu *cpu)
{
	const struct irqchip_driver *d = irqchip_driver(p->irqchip);

	if (!d || !cpu || cpu->irq_target < 0 || !d->init(p, cpu))
		return false;
	chip = d;
	return true;
}

const char *irqchip_name(void)
{
	return chip ? chip->name : "none";
}

bool irqchip_enable(unsigned int irq)
{
	return chip->enable(irq);
}

void irqchip_disable(unsigned int irq)
{
	chip->disable(irq);
}

unsigned int irqchip_claim(void)
{
	return chip->claim();
}

void irqchip_complete(unsigned int irq)
{
	chip->complete(irq);
}
