/* SPDX-License-Identifier: MIT */
/*
 * H-extension emulation for nested-enabled VMs (nested/): the one interface
 * the rest of L0 calls. A nested vCPU runs its L1 hypervisor in real
 * VS-mode as "virtual HS-mode"; when L1 returns to its guest with its
 * virtual hstatus.SPV = 1, L0 runs that L2 in real VS/VU-mode instead.
 * Nothing outside nested/ sees the virtual h* and vs* state.
 */
#ifndef L0_NESTED_H
#define L0_NESTED_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/trap.h>

struct vcpu;
struct vm;

/* Give `v` its virtual-HS state; 0, or -1 when L0 has no memory for it. */
int nested_vcpu_init(struct vcpu *v);

/*
 * Give back all `v` held for nested/ (its state, its shadow tables): its VM
 * has stopped and the vCPU is off every hart. No-op for a plain vCPU.
 */
void nested_vcpu_free(struct vcpu *v);

/* At the vCPU's (re)start: L1 in virtual HS-mode, its h* CSRs at reset. */
void nested_vcpu_reset(struct vcpu *v);

/*
 * A trap from a nested vCPU, before L0's own handling. Returns true when
 * nested/ handled it: an H-extension CSR or instruction of L1, L1's SRET
 * into L2, or anything from L2 that L1 must see.
 */
bool nested_handle_trap(struct vcpu *v, struct trap_frame *tf);

/* Before going back into `v`: an L1 interrupt that is due ends L2's run. */
void nested_before_entry(struct vcpu *v, struct trap_frame *tf);

/*
 * An interrupt for `v` (hvip bits) while it runs L2 belongs to L1: record
 * it there and return true; false when `v` runs L1 (the caller goes on).
 */
bool nested_route_irq(struct vcpu *v, unsigned long hvip_bits, bool level);

/* Host time at which L1's own timer fires while L2 runs; ~0 when never. */
uint64_t nested_l1_timer_deadline(const struct vcpu *v);

/*
 * Counters for the bench. Every L0 trap entry from nested vCPU `v`, by its
 * vm_stats index; then the L0 instructions retired handling it.
 */
void nested_count_trap(struct vcpu *v, unsigned long stat_index);
void nested_count_insns(struct vcpu *v, unsigned long insns);

/* Print the VM's nested counters (switches, shadow faults, fences). */
void nested_print_stats(const struct vm *vm);

/* What an SBI call nested/ handles gives back. */
struct nested_sbiret {
	long error;
	unsigned long value;
	bool no_return; /* a0/a1 are not the result: the call went on
			 * (SYNC_SRET into L2, or L1's own SRET) */
};

/*
 * SBI nested acceleration (the SBI spec's NACL extension, EID "NACL"):
 * function `fid` from L1, with its arguments in the frame's a0-a2. Only
 * for a nested vCPU whose VM config allows it (nested-nacl-off absent).
 */
struct nested_sbiret nested_nacl_call(struct vcpu *v, struct trap_frame *tf,
				      unsigned long fid);

#endif
