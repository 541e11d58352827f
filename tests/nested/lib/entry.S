/* SPDX-License-Identifier: MIT */
/*
 * Entry of a nested test payload: an S-mode kernel on a hart with the H
 * extension, i.e. a small HS-mode hypervisor ("L1"). As tests/guest/lib's
 * crt0.S, plus the world switch into L2 (l2_enter) and back.
 *
 * sscratch is 0 while the hart runs the payload itself; during an L2 run it
 * holds the struct vctx, so that a trap from V=1 (or from U-mode) saves L2's
 * registers there and returns from l2_enter.
 */
#define MAX_HARTS 8
#define STACK_SHIFT 14

#define CTX_PC 256
#define CTX_SCAUSE 264
#define CTX_STVAL 272
#define CTX_HTVAL 280
#define CTX_HTINST 288
#define CTX_HSTATUS 296
#define CTX_SSTATUS 304
#define CTX_HOST_SP 312

#define SBI_EXT_NACL 0x4e41434c
#define SBI_NACL_SYNC_SRET 4

/* The callee-saved registers of l2_enter's caller, on its stack. */
.macro host_save
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	s0, 8(sp)
	sd	s1, 16(sp)
	sd	s2, 24(sp)
	sd	s3, 32(sp)
	sd	s4, 40(sp)
	sd	s5, 48(sp)
	sd	s6, 56(sp)
	sd	s7, 64(sp)
	sd	s8, 72(sp)
	sd	s9, 80(sp)
	sd	s10, 88(sp)
	sd	s11, 96(sp)
	sd	tp, 104(sp)
	sd	gp, 112(sp)
.endm

.macro host_restore
	ld	ra, 0(sp)
	ld	s0, 8(sp)
	ld	s1, 16(sp)
	ld	s2, 24(sp)
	ld	s3, 32(sp)
	ld	s4, 40(sp)
	ld	s5, 48(sp)
	ld	s6, 56(sp)
	ld	s7, 64(sp)
	ld	s8, 72(sp)
	ld	s9, 80(sp)
	ld	s10, 88(sp)
	ld	s11, 96(sp)
	ld	tp, 104(sp)
	ld	gp, 112(sp)
	addi	sp, sp, 128
.endm

	.option arch, +h
	.section .head, "ax"
	.globl _start
_start:
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
park:
	csrw	sie, zero
3:	wfi
	j	3b

hart_setup:
	mv	tp, a0
	la	sp, hart_stacks
	addi	t0, a0, 1
	slli	t0, t0, STACK_SHIFT
	add	sp, sp, t0
	la	t0, hs_vector
	csrw	stvec, t0
	csrw	sscratch, zero
	csrw	sie, zero
	ret

	.balign 4
hs_vector:
	csrrw	sp, sscratch, sp
	bnez	sp, from_l2
	csrrw	sp, sscratch, sp
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
	call	hs_trap_handler
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

/* A trap from L2 (V=1) or from U-mode: sp is the struct vctx. */
from_l2:
	sd	x1, 8(sp)
	sd	x3, 24(sp)
	sd	x4, 32(sp)
	sd	x5, 40(sp)
	sd	x6, 48(sp)
	sd	x7, 56(sp)
	sd	x8, 64(sp)
	sd	x9, 72(sp)
	sd	x10, 80(sp)
	sd	x11, 88(sp)
	sd	x12, 96(sp)
	sd	x13, 104(sp)
	sd	x14, 112(sp)
	sd	x15, 120(sp)
	sd	x16, 128(sp)
	sd	x17, 136(sp)
	sd	x18, 144(sp)
	sd	x19, 152(sp)
	sd	x20, 160(sp)
	sd	x21, 168(sp)
	sd	x22, 176(sp)
	sd	x23, 184(sp)
	sd	x24, 192(sp)
	sd	x25, 200(sp)
	sd	x26, 208(sp)
	sd	x27, 216(sp)
	sd	x28, 224(sp)
	sd	x29, 232(sp)
	sd	x30, 240(sp)
	sd	x31, 248(sp)
	csrr	t0, sscratch
	sd	t0, 16(sp)
	csrw	sscratch, zero
	csrr	t0, sepc
	sd	t0, CTX_PC(sp)
	csrr	t0, scause
	sd	t0, CTX_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, CTX_STVAL(sp)
	csrr	t0, htval
	sd	t0, CTX_HTVAL(sp)
	csrr	t0, htinst
	sd	t0, CTX_HTINST(sp)
	csrr	t0, hstatus
	sd	t0, CTX_HSTATUS(sp)
	csrr	t0, sstatus
	sd	t0, CTX_SSTATUS(sp)
	ld	sp, CTX_HOST_SP(sp)
	host_restore
	ret

/*
 * l2_enter(ctx): run L2 from ctx->pc with ctx's registers, in the mode that
 * hstatus.SPV and sstatus.SPP (set by the caller) say, until it traps to
 * HS-mode; the trap's CSRs are then in ctx.
 */
	.globl l2_enter
	.balign 4
l2_enter:
	host_save
	sd	sp, CTX_HOST_SP(a0)
	ld	t0, CTX_PC(a0)
	csrw	sepc, t0
	csrw	sscratch, a0
	ld	x1, 8(a0)
	ld	x2, 16(a0)
	ld	x3, 24(a0)
	ld	x4, 32(a0)
	ld	x5, 40(a0)
	ld	x6, 48(a0)
	ld	x7, 56(a0)
	ld	x8, 64(a0)
	ld	x9, 72(a0)
	ld	x11, 88(a0)
	ld	x12, 96(a0)
	ld	x13, 104(a0)
	ld	x14, 112(a0)
	ld	x15, 120(a0)
	ld	x16, 128(a0)
	ld	x17, 136(a0)
	ld	x18, 144(a0)
	ld	x19, 152(a0)
	ld	x20, 160(a0)
	ld	x21, 168(a0)
	ld	x22, 176(a0)
	ld	x23, 184(a0)
	ld	x24, 192(a0)
	ld	x25, 200(a0)
	ld	x26, 208(a0)
	ld	x27, 216(a0)
	ld	x28, 224(a0)
	ld	x29, 232(a0)
	ld	x30, 240(a0)
	ld	x31, 248(a0)
	ld	x10, 80(a0)
	sret

/*
 * l2_enter_nacl(ctx, sret): l2_enter through SBI NACL's SYNC_SRET: ctx's
 * x1..x31 go to the nested SRET context at `sret` (the shared memory's
 * start) and L0 loads them and performs the SRET. An L2 run returns as
 * from l2_enter; a failed call returns its SBI error, ctx untouched.
 */
	.globl l2_enter_nacl
	.balign 4
l2_enter_nacl:
	host_save
	sd	sp, CTX_HOST_SP(a0)
	ld	t0, CTX_PC(a0)
	csrw	sepc, t0
	li	t0, 8
1:	add	t1, a0, t0
	ld	t2, 0(t1)
	add	t1, a1, t0
	sd	t2, 0(t1)
	addi	t0, t0, 8
	li	t1, 256
	bltu	t0, t1, 1b
	fence	rw, rw
	csrw	sscratch, a0
	li	a7, SBI_EXT_NACL
	li	a6, SBI_NACL_SYNC_SRET
	ecall
	csrw	sscratch, zero
	host_restore
	ret

	.data
	.balign 4
boot_claimed:
	.word	0

	.bss
	.balign 16
hart_stacks:
	.space	MAX_HARTS << STACK_SHIFT
