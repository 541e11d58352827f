/* SPDX-License-Identifier: MIT */
/* CSR numbers and fields (RISC-V privileged spec, chapters 12 and 21). */
#ifndef ARCH_CSR_H
#define ARCH_CSR_H

#include <l0/bits.h>

#define CSR_SSTATUS 0x100
#define CSR_SIE 0x104
#define CSR_STVEC 0x105
#define CSR_SSCRATCH 0x140
#define CSR_SEPC 0x141
#define CSR_SCAUSE 0x142
#define CSR_STVAL 0x143
#define CSR_SIP 0x144
#define CSR_STIMECMP 0x14d
#define CSR_SATP 0x180
#define CSR_HSTATUS 0x600
#define CSR_HTVAL 0x643
#define CSR_HTINST 0x64a
#define CSR_HGATP 0x680
#define CSR_TIME 0xc01

#define SSTATUS_SIE BIT(1)
#define SSTATUS_SPIE BIT(5)
#define SSTATUS_SPP BIT(8)
#define SSTATUS_FS GENMASK(14, 13)
#define SSTATUS_SUM BIT(18)

#define HSTATUS_SPV BIT(7)

/* Interrupt numbers, as bits of sie/sip and as scause codes. */
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9

#define SCAUSE_INTERRUPT BIT(63)

#define SATP_MODE GENMASK(63, 60)
#define SATP_PPN GENMASK(43, 0)
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9

#ifndef __ASSEMBLER__
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
#endif /* __ASSEMBLER__ */

#endif
