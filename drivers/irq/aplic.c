// SPDX-License-Identifier: MIT
/*
 * The host APLIC (AIA spec 1.0, chapter 4): the S-level interrupt domain
 * the device tree gives L0, whose sources the M-level domain (the
 * firmware's) has delegated to it. In direct delivery mode it is L0's
 * controller (irqchip_aplic: one IDC per hart); in MSI mode it turns wired
 * sources into MSIs to the IMSIC (drivers/irq/imsic.c).
 */
#include <drivers/aia.h>
#include <drivers/irqchip.h>

static uint64_t aplic_base;
static unsigned int aplic_nsources;
static unsigned int idc_hart; /* direct mode: the boot hart's hart index */

static uint32_t rd(uint64_t offset)
{
	return irqchip_read32((uintptr_t)(aplic_base + offset));
}

static void wr(uint64_t offset, uint32_t v)
{
	irqchip_write32((uintptr_t)(aplic_base + offset), v);
}

bool aplic_setup(uint64_t base, unsigned int nsources, bool msi)
{
	uint32_t dm = msi ? DOMAINCFG_DM : 0;

	aplic_base = base;
	aplic_nsources =
		nsources < APLIC_MAX_SOURCES ? nsources : APLIC_MAX_SOURCES;
	/* Delivery off while the sources are set: little-endian, `dm`. */
	wr(APLIC_DOMAINCFG, dm);
	if ((rd(APLIC_DOMAINCFG) & DOMAINCFG_DM) != dm)
		return false;
	for (unsigned int k = 0; k <= aplic_nsources / 32; k++)
		wr(APLIC_CLRIE(k), ~0u);
	wr(APLIC_DOMAINCFG, dm | DOMAINCFG_IE);
	return true;
}

bool aplic_route(unsigned int irq, uint32_t target)
{
	if (!irq || irq > aplic_nsources)
		return false;
	/*
	 * A source the parent domain kept (or delegated further) reads 0 here
	 * whatever is written (4.5.2): not L0's to use.
	 */
	wr(APLIC_SOURCECFG(irq), SM_LEVEL1);
	if (rd(APLIC_SOURCECFG(irq)) != SM_LEVEL1)
		return false;
	wr(APLIC_TARGET(irq), target);
	aplic_enable(irq);
	return true;
}

void aplic_enable(unsigned int irq)
{
	wr(APLIC_SETIENUM, irq);
}

void aplic_disable(unsigned int irq)
{
	wr(APLIC_CLRIENUM, irq);
}

void aplic_retrigger(unsigned int irq)
{
	wr(APLIC_SETIPNUM, irq);
}

void aplic_idc_setup(unsigned int hart)
{
	wr(APLIC_IDC(hart) + IDC_IFORCE, 0);
	/* 0: no threshold, every priority is delivered (4.8.1.3). */
	wr(APLIC_IDC(hart) + IDC_ITHRESHOLD, 0);
	wr(APLIC_IDC(hart) + IDC_IDELIVERY, 1);
}

unsigned int aplic_idc_claim(unsigned int hart)
{
	return (unsigned int)field_get(IDC_ID,
				       rd(APLIC_IDC(hart) + IDC_CLAIMI));
}

static bool direct_init(const struct platform *p,
			const struct platform_cpu *cpu)
{
	if (!p->aplic.present ||
	    !aplic_setup(p->aplic.base, p->aplic.ndev, false))
		return false;
	idc_hart = (unsigned int)cpu->irq_target;
	aplic_idc_setup(idc_hart);
	return true;
}

static bool direct_enable(unsigned int irq)
{
	return aplic_route(irq, (uint32_t)(field_prep(TARGET_HART, idc_hart) |
					   field_prep(TARGET_IPRIO, 1)));
}

/*
 * In direct mode a level-sensitive source whose input is still asserted is
 * pending again right after the claim (4.7), so the source is held by its
 * enable bit until it is completed: the PLIC gateway's behaviour, which
 * core/hostirq.c relies on for a guest's level-triggered device.
 */
static unsigned int direct_claim(void)
{
	unsigned int irq = aplic_idc_claim(idc_hart);

	if (irq)
		aplic_disable(irq);
	return irq;
}

const struct irqchip_driver irqchip_aplic = {
	.name = "APLIC (direct delivery)",
	.init = direct_init,
	.enable = direct_enable,
	.disable = aplic_disable,
	.claim = direct_claim,
	.complete = aplic_enable,
};
