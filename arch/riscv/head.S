/* SPDX-License-Identifier: MIT */
/*
 * Entry from OpenSBI in HS-mode: a0 = hart id, a1 = FDT address.
 * The image starts with the Linux RISC-V Image header
 * (Documentation/arch/riscv/boot-image-header.rst) so that QEMU -kernel,
 * OpenSBI fw_jump/fw_dynamic and U-Boot booti all accept it.
 *
 * L0 runs at any 2 MiB-aligned address (booti's rule): it is a static PIE
 * linked at L0_LINK_BASE, and applies its R_RISCV_RELATIVE relocations for
 * the address it was loaded at before any C code runs. Until then only
 * PC-relative addressing (lla) is used.
 */
#include <arch/csr.h>
#include <arch/image.h>
#include <arch/trap.h>
#include <l0/hart.h>

	.section .head, "ax"
	.globl _start
_start:
	j	boot_entry		/* code0 */
	.word	0			/* code1 */
	.dword	0x200000		/* text_offset: 2 MiB, like Linux */
	.dword	_image_end - _start	/* image_size, BSS included */
	.dword	0			/* flags: little endian */
	/*
	 * The header has no "relocatable" flag for RISC-V (unlike arm64's
	 * bit 3): loaders take any 2 MiB-aligned address, and L0 honours it.
	 */
	.word	0x00000002		/* header version 0.2 */
	.word	0			/* res1 */
	.dword	0			/* res2 */
	.ascii	"RISCV\0\0\0"		/* magic (deprecated) */
	.ascii	"RSC\x05"		/* magic2 */
	.word	0			/* res3 */

	.text
boot_entry:
	csrw	CSR_SIE, zero
	csrw	CSR_SSTATUS, zero	/* SIE=0, FS=off: L0 itself uses no FP */
	/* Only one hart may boot; a firmware without HSM would send them all. */
	lla	t0, boot_lottery
	li	t1, 1
	amoadd.w t1, t1, (t0)
	bnez	t1, park

	/*
	 * ELF64 Rela entries: r_offset, r_info, r_addend (8 bytes each). The
	 * linker leaves the relocated words 0 (the addend is in the entry), so
	 * this runs even when loaded at the link address.
	 */
	lla	t0, _start
	li	t1, L0_LINK_BASE
	sub	t2, t0, t1		/* load address - link address */
	lla	t0, __rela_dyn_start
	lla	t1, __rela_dyn_end
1:	bgeu	t0, t1, 2f
	ld	t3, 0(t0)
	ld	t4, 16(t0)
	add	t3, t3, t2
	add	t4, t4, t2
	sd	t4, (t3)		/* R_RISCV_RELATIVE: *(B + off) = B + addend */
	addi	t0, t0, 24
	j	1b
2:	fence.i

	lla	t0, __bss_start
	lla	t1, __bss_end
3:	bgeu	t0, t1, 4f
	sd	zero, (t0)
	addi	t0, t0, 8
	j	3b
4:
	/* The top TF_SIZE bytes of each stack hold a running guest's frame. */
	lla	sp, boot_stack_top
	addi	sp, sp, -TF_SIZE
	mv	tp, zero
	call	l0_main			/* (hartid, fdt) */
	j	park

/* Harts started by SBI HSM: a0 = hart id, a1 = its struct hart. */
	.globl secondary_entry
secondary_entry:
	csrw	CSR_SIE, zero
	csrw	CSR_SSTATUS, zero
	mv	tp, a1
	ld	sp, HART_STACK_TOP_OFFSET(a1)
	addi	sp, sp, -TF_SIZE
	mv	a0, a1
	call	secondary_main
park:
	csrw	CSR_SIE, zero
1:	wfi
	j	1b

	.section .bss
	.balign 16
boot_stack:
	.space	HART_STACK_SIZE
	.globl boot_stack_top
boot_stack_top:

	.section .data
boot_lottery:
	.word	0
