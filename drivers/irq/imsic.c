// SPDX-License-Identifier: MIT
/*
 * The host IMSIC (AIA spec 1.0, chapter 3): L0 takes its interrupts at the
 * boot hart's S-level interrupt file, through the Ssaia CSRs. Its wired
 * sources come from the S-level APLIC in MSI mode, which sends source i as
 * identity i to that file (so the identity is the source number, as
 * core/hostirq.c and the vPLIC count them). Guests keep the vPLIC: no guest
 * interrupt file is used.
 */
#include <drivers/aia.h>
#include <drivers/irqchip.h>

static unsigned int num_ids;
static unsigned int hart_index; /* the boot hart's, as the APLIC names it */

static bool imsic_init(const struct platform *p, const struct platform_cpu *cpu)
{
	num_ids = p->imsic_files.num_ids;
	hart_index = (unsigned int)cpu->irq_target;
	if (!p->aplic.present || !p->aplic_msi ||
	    !aplic_setup(p->aplic.base, p->aplic.ndev, true))
		return false;
	for (unsigned int id = 0; id <= num_ids; id += 64)
		imsic_write(IMSIC_EIE(id), 0);
	/* 0: no threshold, every identity is delivered (3.8.2). */
	imsic_write(IMSIC_EITHRESHOLD, 0);
	imsic_write(IMSIC_EIDELIVERY, EIDELIVERY_ON);
	return true;
}

/* Call on the boot hart: eie is its own file's. */
static bool imsic_enable(unsigned int irq)
{
	if (!irq || irq > num_ids ||
	    !aplic_route(irq, (uint32_t)(field_prep(TARGET_HART, hart_index) |
					 field_prep(TARGET_EIID, irq))))
		return false;
	imsic_write(IMSIC_EIE(irq), imsic_read(IMSIC_EIE(irq)) | BIT(irq % 64));
	return true;
}

/*
 * Claiming clears the identity's pending bit in the file; the APLIC cleared
 * the source's when it sent the MSI (4.9.2), and sends none again before
 * aplic_retrigger(): a claimed source is held until it is completed.
 */
static unsigned int imsic_claim(void)
{
	return (unsigned int)field_get(TOPEI_ID, imsic_claim_top());
}

const struct irqchip_driver irqchip_imsic = {
	.name = "IMSIC (S-level file, APLIC in MSI mode)",
	.init = imsic_init,
	.enable = imsic_enable,
	.disable = aplic_disable,
	.claim = imsic_claim,
	.complete = aplic_retrigger,
};
