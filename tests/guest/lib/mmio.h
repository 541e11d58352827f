/* SPDX-License-Identifier: MIT */
/* The 16550 UART and the PLIC, as the mmio-* payloads drive them. */
#ifndef GUEST_MMIO_H
#define GUEST_MMIO_H

#include "guest.h"

#define UART_RBR 0 /* THR on write; DLL with LCR.DLAB */
#define UART_IER 1 /* DLM with LCR.DLAB */
#define UART_IIR 2
#define UART_LCR 3
#define UART_LSR 5
#define UART_IER_ETBEI 0x02
#define UART_IIR_NONE 0x01
#define UART_IIR_THRE 0x02
#define UART_LCR_DLAB 0x80
#define UART_LSR_THRE 0x20

#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7

#define PLIC_PENDING 0x1000
#define PLIC_ENABLE 0x2000
#define PLIC_CONTEXT 0x200000

static inline uint8_t uart_read(unsigned int reg)
{
	return *(volatile uint8_t *)(plat.uart_base + (reg << plat.uart_shift));
}

static inline void uart_write(unsigned int reg, uint8_t v)
{
	*(volatile uint8_t *)(plat.uart_base + (reg << plat.uart_shift)) = v;
}

static inline volatile uint32_t *plic_reg(unsigned long off)
{
	return (volatile uint32_t *)(plat.plic_base + off);
}

static inline volatile uint32_t *plic_priority(uint32_t irq)
{
	return plic_reg(4UL * irq);
}

static inline bool plic_pending(uint32_t irq)
{
	return *plic_reg(PLIC_PENDING + 4UL * (irq / 32)) >> (irq % 32) & 1;
}

static inline volatile uint32_t *plic_enable_word(int ctx, uint32_t irq)
{
	return plic_reg(PLIC_ENABLE + 0x80UL * (unsigned long)ctx +
			4UL * (irq / 32));
}

static inline void plic_enable(int ctx, uint32_t irq, bool on)
{
	volatile uint32_t *w = plic_enable_word(ctx, irq);

	if (on)
		*w |= 1U << (irq % 32);
	else
		*w &= ~(1U << (irq % 32));
}

static inline volatile uint32_t *plic_threshold(int ctx)
{
	return plic_reg(PLIC_CONTEXT + 0x1000UL * (unsigned long)ctx);
}

static inline volatile uint32_t *plic_claim(int ctx)
{
	return plic_reg(PLIC_CONTEXT + 0x1000UL * (unsigned long)ctx + 4);
}

/* Disable every source for ctx. */
static inline void plic_disable_all(int ctx)
{
	for (uint32_t irq = 0; irq <= plat.plic_ndev; irq += 32)
		*plic_enable_word(ctx, irq) = 0;
}

/*
 * One load or store of `width` bytes (1, 2, 4, 8; loads zero-extended
 * except `lb`, given as width -1) at `addr`, which may fault: what was
 * taken. In asm, so that the width is exactly the one asked for.
 */
static inline struct trap_info mmio_try_load(uintptr_t addr, int width,
					     uint64_t *val)
{
	uint64_t v = 0;

	trap_expect(0);
	switch (width) {
	case -1:
		__asm__ volatile("lb %0, 0(%1)"
				 : "=r"(v)
				 : "r"(addr)
				 : "memory");
		break;
	case 1:
		__asm__ volatile("lbu %0, 0(%1)"
				 : "=r"(v)
				 : "r"(addr)
				 : "memory");
		break;
	case 2:
		__asm__ volatile("lhu %0, 0(%1)"
				 : "=r"(v)
				 : "r"(addr)
				 : "memory");
		break;
	case 4:
		__asm__ volatile("lwu %0, 0(%1)"
				 : "=r"(v)
				 : "r"(addr)
				 : "memory");
		break;
	default:
		__asm__ volatile("ld %0, 0(%1)"
				 : "=r"(v)
				 : "r"(addr)
				 : "memory");
		break;
	}
	*val = v;
	return trap_result();
}

static inline struct trap_info mmio_try_store(uintptr_t addr, int width,
					      uint64_t v)
{
	trap_expect(0);
	switch (width) {
	case 1:
		__asm__ volatile("sb %0, 0(%1)" ::"r"(v), "r"(addr) : "memory");
		break;
	case 2:
		__asm__ volatile("sh %0, 0(%1)" ::"r"(v), "r"(addr) : "memory");
		break;
	case 4:
		__asm__ volatile("sw %0, 0(%1)" ::"r"(v), "r"(addr) : "memory");
		break;
	default:
		__asm__ volatile("sd %0, 0(%1)" ::"r"(v), "r"(addr) : "memory");
		break;
	}
	return trap_result();
}

/* Whether `ti` is the access fault (or, misaligned, `misaligned`) at addr. */
static inline bool mmio_fault_is(struct trap_info ti, unsigned long cause,
				 unsigned long misaligned, uintptr_t addr)
{
	return ti.taken && ti.stval == addr &&
	       (ti.scause == cause || ti.scause == misaligned);
}

#endif
