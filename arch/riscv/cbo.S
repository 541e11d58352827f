/* SPDX-License-Identifier: MIT */
/*
 * Zeroing memory with Zicboz's cbo.zero, a cache block per instruction. It
 * traps unless M-mode firmware set menvcfg.CBZE, so the first use is a
 * probe under the hart's fixup (see guest_mem.S).
 */
#include <l0/hart.h>

	.text
/* unsigned long cbo_zero_probe(void *block): 0, or the cause it took */
	.globl cbo_zero_probe
cbo_zero_probe:
	lla	t0, 1f
	sd	t0, HART_FIXUP_PC_OFFSET(tp)
	sd	zero, HART_FIXUP_CAUSE_OFFSET(tp)
	.option push
	.option arch, +zicboz
	cbo.zero (a0)
	.option pop
1:	sd	zero, HART_FIXUP_PC_OFFSET(tp)
	ld	a0, HART_FIXUP_CAUSE_OFFSET(tp)
	ret

/* void cbo_zero_range(void *p, size_t len, size_t block): all aligned */
	.globl cbo_zero_range
cbo_zero_range:
	add	a1, a0, a1
	.option push
	.option arch, +zicboz
1:	bgeu	a0, a1, 2f
	cbo.zero (a0)
	add	a0, a0, a2
	j	1b
	.option pop
2:	ret
