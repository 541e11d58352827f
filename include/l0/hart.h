/* SPDX-License-Identifier: MIT */
/* Per-hart data and starting the other harts (core/smp.c). */
#ifndef L0_HART_H
#define L0_HART_H

#define HART_STACK_SIZE 0x4000 /* 16 KiB */
/* Offsets for assembly (head.S, guest_mem.S); checked below. */
#define HART_STACK_TOP_OFFSET 0
#define HART_FIXUP_PC_OFFSET 8
#define HART_FIXUP_CAUSE_OFFSET 16

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <arch/cpu.h>
#include <arch/vmid.h>
#include <l0/platform.h>

struct vcpu;

struct hart {
	uintptr_t stack_top; /* a guest's trap frame sits just below it */
	/*
	 * Where an expected exception in L0 resumes (an HLV/HLVX/HSV access
	 * of guest memory), and the cause it took; 0: none expected.
	 */
	unsigned long fixup_pc;
	unsigned long fixup_cause;
	uint64_t hartid;
	isa_bitmap_t isa;
	/* Self-test state, written by the interrupt handlers. */
	unsigned long ipi_pending; /* bit mask of IPI_* messages */
	unsigned long ipi_count;
	unsigned long timer_count;
	unsigned int index; /* 0 .. nharts-1, the boot hart is 0 */
	bool online;
	/* Scheduling (core/sched.c): the vCPUs this hart runs, in turn. */
	struct vcpu *current;
	struct vcpu *runq[8];
	unsigned int nrunq;
	unsigned int next;	 /* round-robin position */
	uint64_t slice_end;	 /* time when the running vCPU's turn ends */
	uint64_t timer_armed;	 /* what the scheduler last set the timer to */
	struct vmid_space vmids; /* L0 VMID -> this hart's VMID (arch/tlb.h) */
};

_Static_assert(offsetof(struct hart, stack_top) == HART_STACK_TOP_OFFSET,
	       "head.S loads the stack from here");
_Static_assert(offsetof(struct hart, fixup_pc) == HART_FIXUP_PC_OFFSET,
	       "guest_mem.S sets the fixup here");
_Static_assert(offsetof(struct hart, fixup_cause) == HART_FIXUP_CAUSE_OFFSET,
	       "guest_mem.S reads the cause here");

enum ipi_msg {
	IPI_PING,
	IPI_PONG,
	IPI_KICK, /* re-check the run queue and the running vCPU's interrupts */
};

unsigned int hart_count(void);
unsigned int harts_online(void);
struct hart *hart_by_index(unsigned int index);

/* Set up per-hart data for every enabled cpu; `boot` becomes index 0. */
void smp_init(const struct platform *p, uint64_t boot_hartid);

/* Start every other hart through SBI HSM and wait until each reports in. */
void smp_boot_secondaries(void);

/* Let the other harts go on to run vCPUs (sched_run). */
void smp_release_harts(void);
/* On a secondary hart: wait for smp_release_harts(). */
void smp_wait_release(void);

/* Send `msg` to hart `to` (an index) through SBI IPI. */
void ipi_send(unsigned int to, enum ipi_msg msg);

#endif /* __ASSEMBLER__ */
#endif
