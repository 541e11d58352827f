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

/*
 * void cbo_zero_range(void *p, size_t len, size_t block): all aligned.
 * Four blocks a turn while four are left (a shadow G-stage table, 4 KiB,
 * is 64 blocks of 64 bytes), then one at a time.
 */
	.globl cbo_zero_range
cbo_zero_range:
	add	a1, a0, a1		/* the end */
	slli	a3, a2, 2		/* four blocks */
	sub	t0, a1, a0
	bltu	t0, a3, 2f
	sub	a4, a1, a3		/* the last start of four, >= p */
	.option push
	.option arch, +zicboz
1:	cbo.zero (a0)
	add	t0, a0, a2
	cbo.zero (t0)
	add	t0, t0, a2
	cbo.zero (t0)
	add	t0, t0, a2
	cbo.zero (t0)
	add	a0, a0, a3
	bgeu	a4, a0, 1b
2:	bgeu	a0, a1, 3f
	cbo.zero (a0)
	add	a0, a0, a2
	j	2b
	.option pop
3:	ret
