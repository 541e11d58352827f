// SPDX-License-Identifier: MIT
/*
 * Nested virtualization for one vCPU: which traps belong to L1's virtual
 * HS-mode, which to L2's L1, and L1's interrupts while L2 runs.
 */
#include <arch/csr.h>
#include <arch/tlb.h>
#include <arch/trap.h>
#include <arch/vmid.h>
#include <arch/vcpu_arch.h>
#include <l0/mmio.h>
#include <l0/nested.h>
#include <l0/page_alloc.h>
#include <l0/printf.h>
#include <l0/sbi_guest.h>
#include <l0/timer.h>
#include <l0/hot.h>

#include "state.h"

/*
 * L0 VMIDs (arch/vmid.h: each hart gives them hardware VMIDs as it loads
 * them): VMs have 1..VM_MAX; then each vCPU's shadows and its L2 under a
 * Bare hgatp, SHADOW_SLOTS + 1 each.
 */
#define SHADOW_VMID_BASE (VM_MAX + 1)
#define VMIDS_PER_VCPU (SHADOW_SLOTS + 1)
_Static_assert(SHADOW_VMID_BASE + VM_MAX * VM_MAX_VCPUS * VMIDS_PER_VCPU <=
		       VMID_L0_LIMIT,
	       "every L0 VMID has a place in a hart's VMID map");
/* The VMID width L1 sees: its VMIDs only name shadows, any width will do. */
#define L1_VMID_BITS 14
/* A vCPU's shadows may hold this fraction of the VM's RAM in tables. */
#define SHADOW_CAP_SHIFT 6
#define SHADOW_CAP_MIN 64 /* pages */
#define HGATP_MODE_SV39X4 8
#define HGATP_MODE_SV48X4 9

/* L1's own S-level interrupts, in priority order (SEI, SSI, STI). */
static const struct {
	unsigned long hvip_bit;
	unsigned long cause;
} l1_irqs[] = {
	{ HVIP_VSEIP, IRQ_S_EXT },
	{ HVIP_VSSIP, IRQ_S_SOFT },
	{ HVIP_VSTIP, IRQ_S_TIMER },
};

static struct nested_vcpu *nested_of(const struct vcpu *v)
{
	return v->nested;
}

int nested_vcpu_init(struct vcpu *v)
{
	struct nested_vcpu *n = page_try_alloc(
		ALIGN_UP(sizeof(*n), PAGE_SIZE) >> PAGE_SHIFT, PAGE_SIZE);

	if (!n)
		return -1;
	v->nested = n;
	nested_vcpu_reset(v);
	nested_shadow_reset(n); /* none yet: only marks them empty */
	return 0;
}

void nested_vcpu_reset(struct vcpu *v)
{
	struct nested_vcpu *n = nested_of(v);

	n->vm = v->vm;
	n->feat = (struct nested_features){
		.sstc = vcpu_arch_has_sstc(),
		.nacl = !v->vm->cfg->nested_nacl_off,
		.vmid_bits = L1_VMID_BITS,
		/* Sv39x4, and Sv48x4 unless the VM's config stops there. */
		.hgatp_modes =
			BIT(0) | BIT(HGATP_MODE_SV39X4) |
			(v->vm->cfg->nested_hgatp_max >= HGATP_MODE_SV48X4
				 ? BIT(HGATP_MODE_SV48X4)
				 : 0),
		/* L2's satp is the real vsatp: exactly the hart's modes. */
		.vsatp_modes = vcpu_arch_vsatp_modes(),
	};
	nested_csr_reset(&n->csrs, &n->feat);
	n->in_l2 = false;
	n->in_ecall = false;
	n->for_l2 = false;
	n->vmid_base = SHADOW_VMID_BASE +
		       (v->vm->id * VM_MAX_VCPUS + v->id) * VMIDS_PER_VCPU;
	n->shadow_cap = (v->vm->ram_size >> PAGE_SHIFT >> SHADOW_CAP_SHIFT) /
			v->vm->nvcpus;
	if (n->shadow_cap < SHADOW_CAP_MIN)
		n->shadow_cap = SHADOW_CAP_MIN;
	n->l1_irq_set = n->l1_irq_clear = 0;
	n->nacl = NULL; /* L1 sets its shared memory again after a reset */
}

void nested_vcpu_flush(struct vcpu *v)
{
	nested_shadow_reset(nested_of(v));
}

void nested_vcpu_free(struct vcpu *v)
{
	struct nested_vcpu *n = v->nested;

	if (!n)
		return;
	v->nested = NULL; /* a late interrupt for it finds a plain vCPU */
	nested_shadow_free_all(n);
	page_free(n, ALIGN_UP(sizeof(*n), PAGE_SIZE) >> PAGE_SHIFT);
}

L0_HOT void nested_count_trap(struct vcpu *v, unsigned long stat_index)
{
	struct nested_vcpu *n = nested_of(v);

	n->ecall_trap = n->in_ecall;
	if (n->in_ecall)
		n->stats.ecall_traps[stat_index]++;
	n->level = n->in_l2    ? LEVEL_L2
		   : n->for_l2 ? LEVEL_L1_FOR_L2
			       : LEVEL_L1_OWN;
	n->stats.level_traps[n->level][stat_index]++;
	n->filled = false;
}

L0_HOT void nested_count_insns(struct vcpu *v, unsigned long insns)
{
	struct nested_vcpu *n = nested_of(v);

	if (n->filled)
		n->stats.fill_insns += insns;
	/* L2's ecall exit sets in_ecall; the SRET back into L2 clears it. */
	if (n->ecall_trap || n->in_ecall)
		n->stats.ecall_insns += insns;
	n->stats.level_insns[n->level] += insns;
}

/* The sum of every vCPU's counters (all unsigned long: summed as words). */
_Static_assert(sizeof(struct nested_stats) % sizeof(unsigned long) == 0,
	       "nested_stats holds unsigned long counters only");
static void sum_stats(const struct vm *vm, struct nested_stats *sum)
{
	const unsigned long *in;
	unsigned long *out = (unsigned long *)sum;

	*sum = (struct nested_stats){ 0 };
	for (unsigned int i = 0; i < vm->nvcpus; i++) {
		in = (const unsigned long *)&vm->vcpus[i].nested->stats;
		for (size_t j = 0; j < sizeof(*sum) / sizeof(*out); j++)
			out[j] += in[j];
	}
}

static unsigned long per(unsigned long a, unsigned long b)
{
	return b ? a / b : 0;
}

/* The traps and L0 instructions of each level, then its traps by cause. */
static void print_levels(const char *name, const struct nested_stats *s)
{
	static const char *const level_names[NESTED_LEVELS] = {
		[LEVEL_L2] = "L2",
		[LEVEL_L1_FOR_L2] = "L1 for L2",
		[LEVEL_L1_OWN] = "L1 own",
	};
	unsigned long traps[NESTED_LEVELS] = { 0 };

	for (unsigned int l = 0; l < NESTED_LEVELS; l++)
		for (unsigned int i = 0; i < VM_STAT_CAUSES; i++)
			traps[l] += s->level_traps[l][i];
	printk("L0: VM %s: traps by level: L2 %lu, L1 for L2 %lu, L1 own %lu\n",
	       name, traps[LEVEL_L2], traps[LEVEL_L1_FOR_L2],
	       traps[LEVEL_L1_OWN]);
	printk("L0: VM %s: L0 instructions by level: L2 %lu, L1 for L2 %lu, L1 own %lu\n",
	       name, s->level_insns[LEVEL_L2], s->level_insns[LEVEL_L1_FOR_L2],
	       s->level_insns[LEVEL_L1_OWN]);
	for (unsigned int l = 0; l < NESTED_LEVELS; l++)
		for (unsigned int i = 0; i < VM_STAT_CAUSES; i++)
			if (s->level_traps[l][i])
				printk("L0: VM %s: traps of %s: %lu %s\n", name,
				       level_names[l], s->level_traps[l][i],
				       trap_cause_name(vm_stat_cause(i)));
}

void nested_print_stats(const struct vm *vm)
{
	const char *name = vm->cfg->name;
	struct nested_stats s;
	unsigned long total = 0;

	sum_stats(vm, &s);
	printk("L0: VM %s: nested switches into L2 %lu\n", name, s.switches);
	printk("L0: VM %s: host HFENCEs in nested switches %lu\n", name,
	       s.fences_switch);
	printk("L0: VM %s: L1's fences: GVMA all %lu, by VMID %lu, by address %lu; VVMA %lu\n",
	       name, s.l1_gvma_all, s.l1_gvma_vmid, s.l1_gvma_gpa, s.l1_vvma);
	printk("L0: VM %s: shadow faults: huge %lu, small %lu, L0 instructions %lu (%lu each)\n",
	       name, s.fills_huge, s.fills_small, s.fill_insns,
	       per(s.fill_insns, s.fills_huge + s.fills_small));
	printk("L0: VM %s: shadow pages mapped ahead %lu, again after L1's fence %lu\n",
	       name, s.fills_ahead, s.fills_on_fence);
	printk("L0: VM %s: shadow walks of L1's table from the walk cache %lu\n",
	       name, s.walk_hits);
	printk("L0: VM %s: shadow reclaims at the cap %lu\n", name, s.reclaims);
	for (unsigned int i = 0; i < VM_STAT_CAUSES; i++)
		total += s.ecall_traps[i];
	printk("L0: VM %s: L2 ecall exits %lu, L0 traps until L2 resumes %lu\n",
	       name, s.ecall_exits, total);
	printk("L0: VM %s: L2 ecall round trip L0 instructions %lu (%lu per exit)\n",
	       name, s.ecall_insns, per(s.ecall_insns, s.ecall_exits));
	for (unsigned int i = 0; i < VM_STAT_CAUSES; i++)
		if (s.ecall_traps[i])
			printk("L0: VM %s: L2 ecall round trip traps: %lu %s\n",
			       name, s.ecall_traps[i],
			       trap_cause_name(vm_stat_cause(i)));
	print_levels(name, &s);
}

/* A trap while L1 runs: its H-extension instructions are ours. */
static bool l1_trap(struct vcpu *v, struct nested_vcpu *n,
		    struct trap_frame *tf)
{
	if (tf->scause != EXC_VIRTUAL_INST)
		return false;
	if (tf->sstatus & SSTATUS_SPP) {
		/*
		 * WFI is legal in L1's HS-mode; it trapped only for L0's own
		 * VTW (the hart is shared): L0 waits it out as for any guest
		 * (core/vcpu.c).
		 */
		if (tf->stval == INSN_WFI)
			return false;
		/* The common case first: an H-extension CSR or instruction. */
		if (nested_emulate_l1_insn(v, n, tf))
			return true;
	} else if ((n->csrs.hstatus & HSTATUS_HU) &&
		   nested_is_hlv_hsv(tf->stval) &&
		   nested_emulate_l1_insn(v, n, tf)) {
		/* From L1's U-mode: only HLV/HSV, and only with hstatus.HU. */
		return true;
	}
	/* cycle, instret: once L1 uses SBI PMU, its counters' values. */
	if (sbi_guest_pmu_read_csr(v, tf, ~0UL))
		return true;
	vcpu_inject_exception(tf, EXC_ILLEGAL_INST, tf->stval);
	return true;
}

/*
 * A trap while L2 runs. L0's own business (its interrupts, L1's RAM on
 * first touch, emulated devices at L1's addresses while L1's hgatp is
 * Bare) stays with L0; everything else is L1's, unless L1 delegated it to
 * L2 (then the hart would not have trapped here at all). Out of line: L1's
 * CSR accesses, the most frequent trap, don't pay for its registers.
 */
L0_HOT static bool __attribute__((noinline))
l2_trap(struct vcpu *v, struct nested_vcpu *n, struct trap_frame *tf)
{
	unsigned long cause = tf->scause;
	uint64_t gpa = (tf->htval << 2) | (tf->stval & 3);

	if (cause & SCAUSE_INTERRUPT)
		return false;
	/*
	 * L2 reads L1's SBI PMU counters where L1's hcounteren lets it: the
	 * hart's counters, to L1. Else the virtual instruction is L1's.
	 */
	if (cause == EXC_VIRTUAL_INST &&
	    sbi_guest_pmu_read_csr(v, tf, n->csrs.hcounteren))
		return true;
	if (cause == EXC_INST_GUEST_PAGE_FAULT ||
	    cause == EXC_LOAD_GUEST_PAGE_FAULT ||
	    cause == EXC_STORE_GUEST_PAGE_FAULT) {
		if (field_get(HGATP_MODE, n->csrs.hgatp)) {
			switch (nested_shadow_fault(v, n, tf, gpa)) {
			case SHADOW_MAPPED:
				return true;
			case SHADOW_L1_FAULT: /* as the hart gave it to L0 */
				nested_exit_to_l1(v, n, tf, cause, tf->stval);
				return true;
			default:
				break;
			}
		} else if (vm_ram_fault(v->vm, gpa)) {
			/* L2's VMID may keep the walk that failed, too. */
			hfence_gvma_vmid(nested_bare_vmid(n));
			return true;
		} else if (cause != EXC_INST_GUEST_PAGE_FAULT &&
			   mmio_emulate(v, tf, gpa)) {
			return true;
		}
		/* Nothing there at L1's address: L1 sees an access fault. */
		cause = cause == EXC_INST_GUEST_PAGE_FAULT   ? EXC_INST_ACCESS
			: cause == EXC_LOAD_GUEST_PAGE_FAULT ? EXC_LOAD_ACCESS
							     : EXC_STORE_ACCESS;
		/* stval keeps L2's virtual address: GVA stays as it was. */
		tf->htval = 0;
		tf->htinst = 0;
	}
	nested_exit_to_l1(v, n, tf, cause, tf->stval);
	return true;
}

L0_HOT bool nested_handle_trap(struct vcpu *v, struct trap_frame *tf)
{
	struct nested_vcpu *n = nested_of(v);

	if (!n)
		return false;
	return n->in_l2 ? l2_trap(v, n, tf) : l1_trap(v, n, tf);
}

bool nested_route_irq(struct vcpu *v, unsigned long hvip_bits, bool level)
{
	struct nested_vcpu *n = nested_of(v);

	if (!n)
		return false;
	if (level) {
		__atomic_and_fetch(&n->l1_irq_clear, ~hvip_bits,
				   __ATOMIC_ACQ_REL);
		__atomic_or_fetch(&n->l1_irq_set, hvip_bits, __ATOMIC_ACQ_REL);
	} else {
		__atomic_and_fetch(&n->l1_irq_set, ~hvip_bits,
				   __ATOMIC_ACQ_REL);
		__atomic_or_fetch(&n->l1_irq_clear, hvip_bits,
				  __ATOMIC_ACQ_REL);
	}
	return true;
}

bool nested_in_l2(const struct vcpu *v)
{
	const struct nested_vcpu *n = nested_of(v);

	return n && n->in_l2;
}

/*
 * VS-level interrupts L1 raised for L2 (its hvip) but did not delegate: they
 * are L1's HS-level interrupts 2/6/10, enabled by its hie.
 */
static unsigned long l1_vs_irqs(const struct nested_vcpu *n)
{
	return n->csrs.hvip & n->csrs.hie & ~n->csrs.hideleg;
}

bool nested_l1_wakeup_pending(const struct vcpu *v)
{
	const struct nested_vcpu *n = nested_of(v);
	unsigned long raised;

	if (!n || n->in_l2)
		return false;
	/* While L1 runs, v->csrs.vsie is its sie. */
	raised = __atomic_load_n(&n->l1_irq_set, __ATOMIC_ACQUIRE);
	return (raised & (v->csrs.vsie << 1)) || l1_vs_irqs(n);
}

L0_HOT uint64_t nested_l1_timer_deadline(const struct vcpu *v)
{
	const struct nested_vcpu *n = nested_of(v);

	if (!n || !n->in_l2 || !vcpu_arch_has_sstc() ||
	    n->l1.csrs.vstimecmp == ~0UL)
		return ~0ULL;
	return n->l1.csrs.vstimecmp - n->l1.csrs.htimedelta;
}

/*
 * Take what other harts raised or lowered of L1's interrupts: into the
 * hart's hvip while L1 runs (the hart delivers them itself), else into
 * L1's saved hvip.
 */
L0_SLOW static void take_l1_irqs(struct nested_vcpu *n)
{
	unsigned long set, clear;

	set = __atomic_exchange_n(&n->l1_irq_set, 0, __ATOMIC_ACQ_REL);
	clear = __atomic_exchange_n(&n->l1_irq_clear, 0, __ATOMIC_ACQ_REL);
	if (!n->in_l2) {
		csr_clear(CSR_HVIP, clear);
		csr_set(CSR_HVIP, set);
		return;
	}
	n->l1.csrs.hvip = (n->l1.csrs.hvip & ~clear) | set;
}

/* L1's pending S-level interrupts (as hvip bits) while L2 runs. */
static unsigned long l1_pending(const struct nested_vcpu *n)
{
	if (vcpu_arch_has_sstc() &&
	    timer_now() + n->l1.csrs.htimedelta >= n->l1.csrs.vstimecmp)
		return n->l1.csrs.hvip | HVIP_VSTIP;
	return n->l1.csrs.hvip;
}

static void exit_with_irq(struct vcpu *v, struct nested_vcpu *n,
			  struct trap_frame *tf, unsigned long cause)
{
	tf->stval = 0;
	tf->htval = 0;
	tf->htinst = 0;
	tf->hstatus &= ~HSTATUS_GVA;
	nested_exit_to_l1(v, n, tf, SCAUSE_INTERRUPT | cause, 0);
}

/*
 * While L2 runs: exit to L1 for an interrupt L1 takes, ahead of L2's. L1's
 * S-level interrupts are enabled whatever L1's sstatus.SIE says (a trap to
 * a more privileged mode); its sie bits decide. Out of line: L1's CSR
 * accesses, the common trap, don't pay for its registers.
 */
L0_HOT static void __attribute__((noinline))
l2_before_entry(struct vcpu *v, struct nested_vcpu *n, struct trap_frame *tf)
{
	unsigned long pending = l1_pending(n), enabled, vs;

	enabled = n->l1.csrs.vsie << 1; /* sie SSIE/STIE/SEIE -> hvip bits */
	vs = l1_vs_irqs(n);
	for (unsigned int i = 0; i < ARRAY_SIZE(l1_irqs); i++) {
		if (pending & enabled & l1_irqs[i].hvip_bit) {
			exit_with_irq(v, n, tf, l1_irqs[i].cause);
			return;
		}
		if (vs & l1_irqs[i].hvip_bit) {
			/* hvip bit i is the interrupt code i itself (2/6/10). */
			exit_with_irq(v, n, tf, ctz64(l1_irqs[i].hvip_bit));
			return;
		}
	}
}

L0_HOT void nested_before_entry(struct vcpu *v, struct trap_frame *tf)
{
	struct nested_vcpu *n = nested_of(v);

	if (!n)
		return;
	/* The common case, on every trap: nobody raised or lowered one. */
	if (__atomic_load_n(&n->l1_irq_set, __ATOMIC_RELAXED) |
	    __atomic_load_n(&n->l1_irq_clear, __ATOMIC_RELAXED))
		take_l1_irqs(n);
	if (n->in_l2)
		l2_before_entry(v, n, tf);
}
