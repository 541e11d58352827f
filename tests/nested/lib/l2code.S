/* SPDX-License-Identifier: MIT */
/*
 * L2 code: small snippets that the payloads run in VS/VU-mode (or U-mode)
 * through l2_enter, at the same addresses (hgatp and vsatp Bare) or through
 * a G-stage alias. Each snippet's first instruction is the one under test;
 * when it does not trap, the snippet reports L2_DONE in a7 with an ecall.
 * l2_vec is a VS-mode trap vector that reports what VS-mode saw.
 */
#define L2_DONE 1
#define L2_SPUN 2
#define L2_VEC 3

	.option arch, +h
	/* Full-size instructions, so that insn_at() is the whole encoding. */
	.option norvc
	.text

.macro snip name, insn:vararg
	.globl \name
	.balign 4
\name:
	\insn
	li	a7, L2_DONE
	ecall
	j	\name
.endm

	snip	l2_ecall, ecall
	snip	l2_ebreak, ebreak
	snip	l2_unimp, .4byte 0xc0001073
	snip	l2_rd_hstatus, csrr a0, hstatus
	snip	l2_wr_hstatus, csrw hstatus, zero
	snip	l2_rd_hgatp, csrr a0, hgatp
	snip	l2_rd_hedeleg, csrr a0, hedeleg
	snip	l2_rd_hvip, csrr a0, hvip
	snip	l2_rd_vsstatus, csrr a0, vsstatus
	snip	l2_rd_vsatp, csrr a0, vsatp
	snip	l2_hfence_vvma, hfence.vvma
	snip	l2_hfence_gvma, hfence.gvma
	snip	l2_hlv, hlv.d a0, (a1)
	snip	l2_hlvx, hlvx.wu a0, (a1)
	snip	l2_hsv, hsv.d a0, (a1)
	snip	l2_wfi, wfi
	snip	l2_sret, sret
	snip	l2_sfence, sfence.vma
	snip	l2_rd_satp, csrr a0, satp
	snip	l2_wr_satp, csrw satp, zero
	snip	l2_rd_sstatus, csrr a0, sstatus
	snip	l2_rd_mstatus, csrr a0, mstatus
	snip	l2_rdtime, rdtime a0
	snip	l2_load, ld a0, 0(a1)
	snip	l2_store, sd a2, 0(a1)
	snip	l2_jump, jr a1
	snip	l2_wr_sscratch, csrw sscratch, a1

/* For an L2 "run" in HS-mode itself (SPV=0, SPP=1), where an ecall would
 * go to the SBI: end with ebreak. */
	.globl l2_hs_rd_hstatus
	.balign 4
l2_hs_rd_hstatus:
	csrr	a0, hstatus
	li	a7, L2_DONE
	ebreak
	j	l2_hs_rd_hstatus

/* Spin about a1 iterations with whatever interrupts are enabled. */
	.globl l2_spin
	.balign 4
l2_spin:
	addi	a1, a1, -1
	bnez	a1, l2_spin
	li	a7, L2_SPUN
	ecall
	j	l2_spin

/*
 * Spin until time reaches a1 (host harts may switch vCPUs meanwhile), then
 * WFI; L2_DONE when it completes.
 */
	.globl l2_spin_wfi
	.balign 4
l2_spin_wfi:
	rdtime	a0
	bltu	a0, a1, l2_spin_wfi
	wfi
	li	a7, L2_DONE
	ecall
	j	l2_spin_wfi

/* VS-mode trap vector: report scause, sepc, stval, sstatus (VS's own). */
	.globl l2_vec
	.balign 4
l2_vec:
	csrr	a0, scause
	csrr	a1, sepc
	csrr	a2, stval
	csrr	a3, sstatus
	li	a7, L2_VEC
	ecall
	j	l2_vec

/* The same, after clearing sip.SSIP (which is hvip.VSSIP). */
	.globl l2_vec_clr
	.balign 4
l2_vec_clr:
	csrci	sip, 2
	j	l2_vec
