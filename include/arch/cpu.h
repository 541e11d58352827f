/* SPDX-License-Identifier: MIT */
/*
 * The hart's own instructions L0 uses from C: CSR access, interrupts on and
 * off, WFI, and tp (this hart's data). The one place of inline assembly for
 * them: tests/sim/include/arch/cpu.h puts a simulated hart in its place.
 */
#ifndef ARCH_CPU_H
#define ARCH_CPU_H

#include <arch/csr.h>

struct hart;

#define __str(x) #x
#define __xstr(x) __str(x)

#define csr_read(csr)                                    \
	({                                               \
		unsigned long __v;                       \
		__asm__ volatile("csrr %0, " __xstr(csr) \
				 : "=r"(__v)             \
				 :                       \
				 : "memory");            \
		__v;                                     \
	})

#define csr_write(csr, val)                                             \
	__asm__ volatile(                                               \
		"csrw " __xstr(csr) ", %0" ::"rK"((unsigned long)(val)) \
		: "memory")

#define csr_swap(csr, val)                                       \
	({                                                       \
		unsigned long __v;                               \
		__asm__ volatile("csrrw %0, " __xstr(csr) ", %1" \
				 : "=r"(__v)                     \
				 : "rK"((unsigned long)(val))    \
				 : "memory");                    \
		__v;                                             \
	})

#define csr_set(csr, val)                                               \
	__asm__ volatile(                                               \
		"csrs " __xstr(csr) ", %0" ::"rK"((unsigned long)(val)) \
		: "memory")

#define csr_clear(csr, val)                                             \
	__asm__ volatile(                                               \
		"csrc " __xstr(csr) ", %0" ::"rK"((unsigned long)(val)) \
		: "memory")

static inline void local_irq_enable(void)
{
	csr_set(CSR_SSTATUS, SSTATUS_SIE);
}

static inline void local_irq_disable(void)
{
	csr_clear(CSR_SSTATUS, SSTATUS_SIE);
}

static inline void wait_for_interrupt(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

/* This hart's data: tp holds it in HS-mode. */
static inline struct hart *this_hart(void)
{
	struct hart *h;

	__asm__("mv %0, tp" : "=r"(h));
	return h;
}

#endif
