/* SPDX-License-Identifier: MIT */
/* HS-mode traps: the saved state and the cause names. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>
#endif

/* Offsets into struct trap_frame, shared with trap.S. */
#define TF_REG(n) ((n)*8)
#define TF_SEPC (32 * 8)
#define TF_SSTATUS (33 * 8)
#define TF_HSTATUS (34 * 8)
#define TF_SCAUSE (35 * 8)
#define TF_STVAL (36 * 8)
#define TF_HTVAL (37 * 8)
#define TF_HTINST (38 * 8)
#define TF_HART (39 * 8)
#define TF_SIZE (40 * 8) /* keeps sp 16-byte aligned */

#ifndef __ASSEMBLER__
struct hart;

struct trap_frame {
	unsigned long regs[32]; /* by register number; regs[0] unused */
	unsigned long sepc;
	unsigned long sstatus;
	unsigned long hstatus;
	unsigned long scause;
	unsigned long stval;
	unsigned long htval;
	unsigned long htinst;
	struct hart *hart; /* a guest's frame: L0's tp, restored on a trap */
};

_Static_assert(sizeof(struct trap_frame) == (size_t)TF_SIZE,
	       "trap frame layout");

/* The spec's name of an scause value, e.g. "load guest-page fault". */
const char *trap_cause_name(unsigned long scause);

/* Called from vector.S with the saved state. */
void trap_handle(struct trap_frame *tf);

/*
 * Called from vector.S after trap_handle() returns, with the instructions
 * L0 retired in the trap, from the vector's first instruction to its sret
 * (instret: exact under QEMU -icount); counts them for a guest's VM.
 */
void trap_account(const struct trap_frame *tf, unsigned long insns);

/* Print every saved register with the cause, for a fatal trap. */
void trap_dump(const struct trap_frame *tf);

/* Install L0's trap vector on this hart. */
void trap_init_hart(void);

typedef void (*irq_handler_t)(void);

/* Route supervisor interrupt `irq` (IRQ_S_*) to `fn` on every hart. */
void trap_set_irq_handler(unsigned int irq, irq_handler_t fn);
#endif

#endif
