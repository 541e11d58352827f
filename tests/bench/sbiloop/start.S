/* SPDX-License-Identifier: MIT */
/*
 * Entry of the SBI loop (sbiloop.c), an L2 guest that L1's QEMU starts with
 * -bios none -kernel: a0 = hart id, a1 = FDT, MMU off. The code is
 * PC-relative only (lla, medany), so it runs wherever the loader puts it.
 */
	.section .head, "ax"
	.globl _start
_start:
	/* One vCPU is all it needs; any other hart waits for good. */
	bnez	a0, park
	lla	sp, stack_top
	call	sbiloop_main
park:
	wfi
	j	park

	.bss
	.balign 16
	.space	4096
stack_top:
