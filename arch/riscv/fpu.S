/* SPDX-License-Identifier: MIT */
/* Guest FP registers, saved only when a hart switches between vCPUs. */
#include <arch/csr.h>

	.text
/* void fp_save(unsigned long regs[33]): f0-f31 then fcsr */
	.globl fp_save
fp_save:
	li	t0, 0x6000		/* sstatus.FS = Dirty */
	csrs	CSR_SSTATUS, t0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, (\n * 8)(a0)
	.endr
	frcsr	t0
	sd	t0, (32 * 8)(a0)
	ret

/* void fp_restore(const unsigned long regs[33]) */
	.globl fp_restore
fp_restore:
	li	t0, 0x6000		/* sstatus.FS = Dirty */
	csrs	CSR_SSTATUS, t0
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, (\n * 8)(a0)
	.endr
	ld	t0, (32 * 8)(a0)
	fscsr	t0
	ret
