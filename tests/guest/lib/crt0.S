/* SPDX-License-Identifier: MIT */
/*
 * Entry of a guest test payload. The boot hart arrives at _start with
 * a0 = hart id and a1 = FDT; harts started later over SBI HSM arrive at
 * secondary_entry with a0 = hart id and a1 = opaque. tp holds the hart id.
 */
#define MAX_HARTS 8
#define STACK_SHIFT 14

	.section .head, "ax"
	.globl _start
_start:
	/* Only the first hart here boots; a second one would be a bug. */
	la	t0, boot_claimed
	li	t1, 1
	amoswap.w t1, t1, (t0)
	bnez	t1, park
	li	t0, MAX_HARTS
	bgeu	a0, t0, park
	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	call	hart_setup
	call	guest_boot
	j	park

	.text
	.globl secondary_entry
	.balign 4
secondary_entry:
	li	t0, MAX_HARTS
	bgeu	a0, t0, park
	call	hart_setup
	call	guest_secondary
	/* falls through when the hart could not be stopped */
park:
	csrw	sie, zero
3:	wfi
	j	3b

/*
 * Where a non-retentive suspend resumes (SBI HSM, SUSP): a0 (hart id), a1
 * (opaque) and sstatus as found go to resume_regs[a0] before anything else
 * runs, its count goes up, then the hart gets its stack again and goes on
 * in guest_resumed(a0, a1).
 */
	.globl resume_entry
	.balign 4
resume_entry:
	li	t0, MAX_HARTS
	bgeu	a0, t0, park
	la	t0, resume_regs
	slli	t1, a0, 5	/* sizeof(struct resume_regs) */
	add	t0, t0, t1
	sd	a0, 0(t0)
	sd	a1, 8(t0)
	csrr	t1, sstatus
	sd	t1, 16(t0)
	fence	rw, rw
	li	t1, 1
	addi	t2, t0, 24
	amoadd.d zero, t1, (t2)
	call	hart_setup
	call	guest_resumed
	j	park

/* hart_setup: stack, tp and trap vector for hart a0; keeps a0 and a1. */
hart_setup:
	mv	tp, a0
	la	sp, hart_stacks
	addi	t0, a0, 1
	slli	t0, t0, STACK_SHIFT
	add	sp, sp, t0
	la	t0, trap_vector
	csrw	stvec, t0
	csrw	sie, zero
	ret

/* Direct-mode vector: save the caller-saved registers, call trap_handler. */
	.balign 4
trap_vector:
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	t3, 32(sp)
	sd	t4, 40(sp)
	sd	t5, 48(sp)
	sd	t6, 56(sp)
	sd	a0, 64(sp)
	sd	a1, 72(sp)
	sd	a2, 80(sp)
	sd	a3, 88(sp)
	sd	a4, 96(sp)
	sd	a5, 104(sp)
	sd	a6, 112(sp)
	sd	a7, 120(sp)
	call	trap_handler
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	t3, 32(sp)
	ld	t4, 40(sp)
	ld	t5, 48(sp)
	ld	t6, 56(sp)
	ld	a0, 64(sp)
	ld	a1, 72(sp)
	ld	a2, 80(sp)
	ld	a3, 88(sp)
	ld	a4, 96(sp)
	ld	a5, 104(sp)
	ld	a6, 112(sp)
	ld	a7, 120(sp)
	addi	sp, sp, 128
	sret

	.data
	.balign 4
boot_claimed:
	.word	0

	.bss
	.balign 16
hart_stacks:
	.space	MAX_HARTS << STACK_SHIFT
