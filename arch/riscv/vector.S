/* SPDX-License-Identifier: MIT */
/*
 * HS-mode trap vector. sscratch is 0 while L0 runs, so a trap from L0 keeps
 * its own stack; a trap from a guest finds the hart's stack top there, with
 * the guest's frame just below it and the hart's struct in the frame.
 */
#include <arch/csr.h>
#include <arch/trap.h>

/*
 * Uncompressed and unrelaxed: every instruction here is 4 bytes, so the
 * assembler can count those of a guest's trap that lie outside the
 * instret reads around trap_handle() (.Lvector_insns, below).
 */
	.option	norvc
	.option	norelax
	.section .text.hot, "ax", @progbits
	.balign 4
	.globl trap_vector
trap_vector:
	csrrw	sp, CSR_SSCRATCH, sp
	bnez	sp, 1f
	csrr	sp, CSR_SSCRATCH	/* from L0: sp back, sscratch still holds it */
1:	addi	sp, sp, -TF_SIZE
	.irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, TF_REG(\n)(sp)
	.endr
	/* The interrupted sp is in sscratch; leave 0 there while L0 runs. */
	csrrw	t0, CSR_SSCRATCH, zero
	sd	t0, TF_REG(2)(sp)
	csrr	t0, CSR_SEPC
	sd	t0, TF_SEPC(sp)
	csrr	t0, CSR_SSTATUS
	sd	t0, TF_SSTATUS(sp)
	csrr	t0, CSR_HSTATUS
	sd	t0, TF_HSTATUS(sp)
	/* From a guest, tp is the guest's: L0's comes from the frame slot. */
	andi	t0, t0, HSTATUS_SPV
	beqz	t0, 2f
	ld	tp, TF_HART(sp)
2:
	csrr	t0, CSR_SCAUSE
	sd	t0, TF_SCAUSE(sp)
	csrr	t0, CSR_STVAL
	sd	t0, TF_STVAL(sp)
	csrr	t0, CSR_HTVAL
	sd	t0, TF_HTVAL(sp)
	csrr	t0, CSR_HTINST
	sd	t0, TF_HTINST(sp)

	/*
	 * L0's instructions in this trap, for the bench: instret read around
	 * trap_handle() (s1 survives the call); trap_account() adds the
	 * vector's own. Its call is the measurement's and not counted.
	 */
	csrr	s1, CSR_INSTRET
.Lcount_from:
	mv	a0, sp
	call	trap_handle
	csrr	a1, CSR_INSTRET
	sub	a1, a1, s1
	ld	a2, .Lvector_insns
	add	a1, a1, a2
	mv	a0, sp
	call	trap_account
.Lreturn_from:
	mv	a0, sp

/*
 * trap_return(frame): resume the context in `frame`. A guest's frame sits at
 * the top of the hart's stack, so sscratch gets the stack top back for its
 * next trap; L0's own contexts keep sscratch 0.
 */
	.globl trap_return
trap_return:
	mv	sp, a0
	ld	t0, TF_HSTATUS(sp)
	csrw	CSR_HSTATUS, t0
	andi	t0, t0, HSTATUS_SPV
	beqz	t0, 1f
	addi	t0, sp, TF_SIZE
	csrw	CSR_SSCRATCH, t0
1:	ld	t0, TF_SEPC(sp)
	csrw	CSR_SEPC, t0
	ld	t0, TF_SSTATUS(sp)
	csrw	CSR_SSTATUS, t0
	.irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, TF_REG(\n)(sp)
	.endr
	ld	sp, TF_REG(2)(sp)
	sret
.Lreturn_end:

/*
 * The instructions of a guest's trap outside the instret reads: the vector
 * up to the first read, less the csrr it skips (sscratch held the stack),
 * and the return path from .Lreturn_from to sret.
 */
	.balign	8
.Lvector_insns:
	.quad	(.Lcount_from - trap_vector) / 4 - 2 + \
		(.Lreturn_end - .Lreturn_from) / 4

/* guest_enter(frame): the first entry of a vCPU on this hart. */
	.globl guest_enter
guest_enter:
	j	trap_return
