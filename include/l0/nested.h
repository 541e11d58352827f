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

/*
 * At the vCPU's (re)start, from any hart while it is stopped and off its
 * own: L1 in virtual HS-mode, its h* CSRs at reset. The caller then asks
 * for FLUSH_NESTED, for nested_vcpu_flush() before the vCPU runs again.
 */
void nested_vcpu_reset(struct vcpu *v);

/*
 * On the vCPU's own hart, the only one that ran its shadows and its L2
 * under a Bare hgatp: empty the shadows, free their tables and fence
 * their VMIDs there, before anyone may reuse a page a hart could walk.
 */
void nested_vcpu_flush(struct vcpu *v);

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

/*
 * Whether `v` runs L2 now: L2 runs under L1's hstatus.VTW only. L0's VTW
 * (a hart shared by vCPUs) would trap WFIs that L1 lets L2 wait in; those
 * wait in the hart, which L0's next interrupt (slice end, a kick) ends.
 */
bool nested_in_l2(const struct vcpu *v);

/*
 * For a vCPU waiting in L1 (its WFI, HSM suspend): whether an interrupt of
 * L1's is pending that L0 has not put on the hart yet: one raised from any
 * hart that L1's sie enables, or a VS-level one it keeps for itself (its
 * hvip & hie & ~hideleg).
 */
bool nested_l1_wakeup_pending(const struct vcpu *v);

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

/*
 * SBI RFENCE's remote HFENCEs (FIDs 3-6), which an L1 hypervisor asks of
 * its vCPUs: HFENCE.GVMA over [start, start + size) of L2 guest physical
 * addresses for `vmid` (or every VMID), or HFENCE.VVMA of L2 guest virtual
 * addresses for `asid` (or every ASID) under `vmid`. size 0 with start 0,
 * or ~0, is the whole address space (SBI spec v2.0, RFENCE).
 */
enum nested_rfence_kind {
	NESTED_RFENCE_GVMA_VMID,
	NESTED_RFENCE_GVMA,
	NESTED_RFENCE_VVMA_ASID,
	NESTED_RFENCE_VVMA,
};

struct nested_rfence {
	enum nested_rfence_kind kind;
	unsigned long vmid, asid, start, size;
};

/* The VMID of L1's virtual hgatp now: what FIDs 5-6 of `v` fence. */
unsigned long nested_l1_vmid(const struct vcpu *v);

/*
 * Record fence `f` for nested vCPU `t` (any hart may call this): `t` does
 * it on its own hart, in nested_apply_remote_hfences(), before it runs
 * again; the caller then has `t` call that (FLUSH_HFENCE) and kicks it.
 * What does not fit in `t`'s queue becomes a fence of everything.
 */
void nested_remote_hfence(struct vcpu *t, const struct nested_rfence *f);

/* On `v`'s hart, before it runs again: the fences others recorded for it. */
void nested_apply_remote_hfences(struct vcpu *v);

/* What an SBI call nested/ handles gives back. */
struct nested_sbiret {
	long error;
	unsigned long value;
	bool no_return; /* a0/a1 are not the result: the call went on
			 * (SYNC_SRET into L2, or L1's own SRET) */
};

/* Whether L0 offers `v` SBI NACL: a nested vCPU, no nested-nacl-off. */
bool nested_nacl_offered(const struct vcpu *v);

/*
 * SBI nested acceleration (the SBI spec's NACL extension, EID "NACL"):
 * function `fid` from L1, with its arguments in the frame's a0-a2. Only
 * for a nested vCPU whose VM config allows it (nested-nacl-off absent).
 */
struct nested_sbiret nested_nacl_call(struct vcpu *v, struct trap_frame *tf,
				      unsigned long fid);

#endif
