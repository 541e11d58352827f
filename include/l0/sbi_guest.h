/* SPDX-License-Identifier: MIT */
/* The SBI that guests see (core/sbi/): v2.0 as the SBI spec defines. */
#ifndef L0_SBI_GUEST_H
#define L0_SBI_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/trap.h>

struct vcpu;
struct vm;

/*
 * The extensions L0 counts per VM (vm_stats.sbi_calls): how many counters,
 * and the name of each (the last: "unknown").
 */
unsigned int sbi_guest_ext_count(void);
const char *sbi_guest_ext_name(unsigned int i);

/*
 * From the scheduler of the vCPU's hart, at host time `now`: `v` goes onto
 * its hart, or has just left it, still runnable or not. SBI STA counts its
 * steal time from these, SBI PMU its counters.
 */
void sbi_guest_vcpu_enter(struct vcpu *v, uint64_t now);
void sbi_guest_vcpu_leave(struct vcpu *v, uint64_t now, bool runnable);

/*
 * A virtual-instruction trap of `v`: when it reads a counter that SBI PMU
 * virtualizes for it (cycle, instret) and that `hcounteren` (HCOUNTEREN_*
 * bits: what the hypervisor below the reader lets it read; all of them
 * for L0's own guests, L1's for its L2) allows, answer it and return true.
 */
bool sbi_guest_pmu_read_csr(struct vcpu *v, struct trap_frame *tf,
			    unsigned long hcounteren);

/* A vCPU (re)starts: the extensions' per-vCPU state back to its reset. */
void sbi_guest_vcpu_reset(struct vcpu *v);

/* A VM (re)starts: the extensions' per-VM state back to its reset. */
void sbi_guest_vm_reset(struct vm *vm);

/*
 * On `v`'s own hart, its frame `tf` about to go back into the guest (after
 * a switch to it or a trap): SBI SSE enters an event's handler there.
 */
void sbi_guest_before_entry(struct vcpu *v, struct trap_frame *tf);

/* Whether a suspended `v` has an SSE event to enter: it wakes for it. */
bool sbi_guest_wakeup_pending(struct vcpu *v);

/*
 * Handle the guest's ecall in `tf` (a7 = extension, a6 = function, a0-a5 =
 * arguments): a0/a1 get the error and value, sepc moves past the ecall.
 */
void sbi_guest_call(struct vcpu *v, struct trap_frame *tf);

#endif
