/* SPDX-License-Identifier: MIT */
/* CSR numbers and fields (RISC-V privileged spec, chapters 12 and 21). */
#ifndef ARCH_CSR_H
#define ARCH_CSR_H

#include <l0/bits.h>

#define CSR_SSTATUS 0x100
#define CSR_SIE 0x104
#define CSR_STVEC 0x105
#define CSR_SCOUNTEREN 0x106
#define CSR_SENVCFG 0x10a
#define CSR_SSCRATCH 0x140
#define CSR_SEPC 0x141
#define CSR_SCAUSE 0x142
#define CSR_STVAL 0x143
#define CSR_SIP 0x144
#define CSR_STIMECMP 0x14d
/* Ssaia (AIA spec, chapter 2): the S-level IMSIC file and its top. */
#define CSR_SISELECT 0x150
#define CSR_SIREG 0x151
#define CSR_STOPEI 0x15c
#define CSR_SATP 0x180
#define CSR_VSSTATUS 0x200
#define CSR_VSIE 0x204
#define CSR_VSTVEC 0x205
#define CSR_VSSCRATCH 0x240
#define CSR_VSEPC 0x241
#define CSR_VSCAUSE 0x242
#define CSR_VSTVAL 0x243
#define CSR_VSIP 0x244
#define CSR_VSTIMECMP 0x24d
#define CSR_VSATP 0x280
#define CSR_HSTATUS 0x600
#define CSR_HEDELEG 0x602
#define CSR_HIDELEG 0x603
#define CSR_HIE 0x604
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HENVCFG 0x60a
#define CSR_HIP 0x644
#define CSR_HVIP 0x645
#define CSR_HTVAL 0x643
#define CSR_HTINST 0x64a
#define CSR_HGATP 0x680
#define CSR_CYCLE 0xc00
#define CSR_TIME 0xc01
#define CSR_INSTRET 0xc02

#define SSTATUS_SIE BIT(1)
#define SSTATUS_SPIE BIT(5)
#define SSTATUS_SPP BIT(8)
#define SSTATUS_FS GENMASK(14, 13)
#define SSTATUS_SUM BIT(18)
#define SSTATUS_MXR BIT(19)

#define HSTATUS_GVA BIT(6)
#define HSTATUS_SPV BIT(7)
#define HSTATUS_SPVP BIT(8)
#define HSTATUS_HU BIT(9)
#define HSTATUS_VTVM BIT(20)
#define HSTATUS_VTW BIT(21)
#define HSTATUS_VTSR BIT(22)
#define HSTATUS_VSXL GENMASK(33, 32)

/* VS-level interrupts as hvip/hip/hideleg bits, and their vsie bits. */
#define IRQ_VS_SOFT 2
#define IRQ_VS_TIMER 6
#define IRQ_VS_EXT 10
#define HVIP_VSSIP BIT(IRQ_VS_SOFT)
#define HVIP_VSTIP BIT(IRQ_VS_TIMER)
#define HVIP_VSEIP BIT(IRQ_VS_EXT)

#define HENVCFG_ADUE BIT(61) /* Svadu: hardware updates PTE A/D bits */
#define HENVCFG_STCE BIT(63)
#define HCOUNTEREN_CY BIT(0)
#define HCOUNTEREN_TM BIT(1)
#define HCOUNTEREN_IR BIT(2)

#define SSTATUS_FS_DIRTY (3UL << 13)

/* Interrupt numbers, as bits of sie/sip and as scause codes. */
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9

#define SCAUSE_INTERRUPT BIT(63)

/* WFI's encoding: stval of the virtual-instruction trap it takes (VTW). */
#define INSN_WFI 0x10500073

/* Exception causes (privileged spec, scause table). */
#define EXC_INST_MISALIGNED 0
#define EXC_INST_ACCESS 1
#define EXC_ILLEGAL_INST 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_ECALL_VS 10
#define EXC_INST_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15
#define EXC_INST_GUEST_PAGE_FAULT 20
#define EXC_LOAD_GUEST_PAGE_FAULT 21
#define EXC_VIRTUAL_INST 22
#define EXC_STORE_GUEST_PAGE_FAULT 23

/* hgatp (H extension, "Hypervisor Guest Address Translation and Protection"). */
#define HGATP_MODE GENMASK(63, 60)
#define HGATP_VMID GENMASK(57, 44)
#define HGATP_PPN GENMASK(43, 0)
#define SATP_MODE GENMASK(63, 60)
#define SATP_PPN GENMASK(43, 0)
#define SATP_MODE_SV39 8
#define SATP_MODE_SV48 9

/* The instructions that use them (a host build puts its own in their place). */
#ifndef __ASSEMBLER__
#include <arch/cpu.h>
#endif

#endif
