/* SPDX-License-Identifier: MIT */
/*
 * The simulated hart's instructions (tests/sim): what include/arch/cpu.h
 * does with inline assembly, here calls into the current fake hart.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <arch/csr.h>

struct hart;

unsigned long sim_csr_read(unsigned int csr);
void sim_csr_write(unsigned int csr, unsigned long val);
unsigned long sim_csr_swap(unsigned int csr, unsigned long val);
void sim_csr_set(unsigned int csr, unsigned long bits);
void sim_csr_clear(unsigned int csr, unsigned long bits);
void sim_wfi(void);
struct hart *sim_this_hart(void);

#define csr_read(csr) sim_csr_read(csr)
#define csr_write(csr, val) sim_csr_write(csr, (unsigned long)(val))
#define csr_swap(csr, val) sim_csr_swap(csr, (unsigned long)(val))
#define csr_set(csr, val) sim_csr_set(csr, (unsigned long)(val))
#define csr_clear(csr, val) sim_csr_clear(csr, (unsigned long)(val))

static inline void local_irq_enable(void)
{
	csr_set(CSR_SSTATUS, SSTATUS_SIE);
}

static inline void local_irq_disable(void)
{
	csr_clear(CSR_SSTATUS, SSTATUS_SIE);
}

/* The hart has nothing to run: the simulation goes on with another. */
static inline void wait_for_interrupt(void)
{
	sim_wfi();
}

static inline struct hart *this_hart(void)
{
	return sim_this_hart();
}

#endif
