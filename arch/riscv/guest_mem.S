/* SPDX-License-Identifier: MIT */
/*
 * Reading guest memory from L0 with the hypervisor load instructions. An
 * access may fault (the guest's page tables are the guest's); the hart's
 * fixup_pc makes trap_handle() resume at the label below instead of
 * treating the fault as L0's own bug.
 */
#include <l0/hart.h>

	.text
/* unsigned long guest_load_insn_half(unsigned long va, uint16_t *out) */
	.globl guest_load_insn_half
guest_load_insn_half:
	lla	t0, 1f
	sd	t0, HART_FIXUP_PC_OFFSET(tp)
	sd	zero, HART_FIXUP_CAUSE_OFFSET(tp)
	.option push
	.option arch, +h
	hlvx.hu	t1, (a0)
	.option pop
	sh	t1, (a1)
1:	sd	zero, HART_FIXUP_PC_OFFSET(tp)
	ld	a0, HART_FIXUP_CAUSE_OFFSET(tp)
	ret
