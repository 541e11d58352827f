// SPDX-License-Identifier: MIT
/*
 * The host interrupt controllers' accesses, one per call: 32-bit registers
 * of the PLIC and APLIC, and the S-level IMSIC file through its CSRs.
 */
#include <arch/cpu.h>
#include <drivers/aia.h>
#include <drivers/irqchip.h>

uint32_t irqchip_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

void irqchip_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

/*
 * siselect then sireg: only the boot hart's set-up uses the pair, and the
 * interrupt path uses stopei alone, so no interrupt comes in between.
 */
uint64_t imsic_read(unsigned int reg)
{
	csr_write(CSR_SISELECT, reg);
	return csr_read(CSR_SIREG);
}

void imsic_write(unsigned int reg, uint64_t v)
{
	csr_write(CSR_SISELECT, reg);
	csr_write(CSR_SIREG, v);
}

/* A csrrw reads the top identity and claims it in one access (3.9). */
uint64_t imsic_claim_top(void)
{
	return csr_swap(CSR_STOPEI, 0);
}
