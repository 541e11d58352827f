/* SPDX-License-Identifier: MIT */
/*
 * Inside tests/sim/: what its files share. sim.c has the harts' CSR files,
 * runs L0 on a hart and sets the machine up; tlb.c is the TLB model, with
 * the checks made at each guest entry and on page frees; host.c is L0's
 * host environment (hart table, timer, IPIs, firmware). Tests see sim.h.
 */
#ifndef TESTS_SIM_INTERNAL_H
#define TESTS_SIM_INTERNAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include <l0/hart.h>
#include <l0/printf.h>

#include "sim.h"

#define MiB (1UL << 20)
#define POOL_SIZE (128 * MiB)
#define POOL_PAGES (POOL_SIZE / PAGE_SIZE)
#define TLB_SIZE 1024
#define TICKS_PER_US 10

enum tlb_kind {
	TLB_G_LEAF,  /* gpa page -> hpa */
	TLB_G_TABLE, /* a non-leaf entry: the table page for a gpa span */
	TLB_G_FAULT, /* a walk that failed */
	TLB_VS,	     /* va page -> gpa, with the ASID */
};

struct tlb_entry {
	bool used;
	enum tlb_kind kind;
	unsigned long vmid, asid;
	uint64_t addr, size; /* what it covers */
	uint64_t target;     /* host page, table page, or gpa */
	uint32_t gen;	     /* the table page's free count when read */
	uint64_t born;	     /* sim_tlb_seq when cached */
	uint64_t ctx;	     /* VS-stage: the guest that made it */
};

struct sim_hart {
	struct hart hart;
	unsigned long csr[4096];
	unsigned int vmidlen;
	struct tlb_entry tlb[TLB_SIZE];
	unsigned int tlb_next;
	bool in_guest;
	jmp_buf *jb;
	uint64_t timer;
	_Alignas(16) uint8_t stack[1024];
};

extern struct sim_hart sim_harts[SIM_HARTS];
extern unsigned int sim_nharts, sim_cur; /* harts in use; the running one */
extern uint8_t *sim_pool;		 /* L0's memory, guests' RAM in it */
extern unsigned int sim_polls;		 /* timer_now() calls in this trap */

/* A broken rule: counted, the first one kept (sim.h). */
void sim_violation(const char *fmt, ...) L0_PRINTF(1, 2);

/* hgatp.VMID's bits on `h`, and the VMID it runs under now. */
unsigned long sim_vmid_mask(const struct sim_hart *h);
unsigned long sim_cur_vmid(const struct sim_hart *h);

/* tlb.c: a fresh machine's (no page freed yet, nothing expected). */
void sim_tlb_reset(void);

/* tlb.c: `h` enters a guest; the TLB's rules are checked. */
void sim_entered(struct sim_hart *h);

/* sim.c: interrupt `irq` on `hart`, into L0 from a guest or waking it. */
void sim_interrupt(unsigned int hart, unsigned int irq);

/* host.c: what core/smp.c's handlers of an IPI and the timer do. */
void sim_ipi_handler(void);
void sim_timer_handler(void);

#endif
