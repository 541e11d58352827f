// SPDX-License-Identifier: MIT
/*
 * What L0 does when a guest traps to it: a table from exception cause to
 * handler. Anything a guest does wrong becomes the architected exception in
 * the guest itself; L0 never trusts, and never dies of, guest state.
 */
#include <arch/csr.h>
#include <l0/mmio.h>
#include <l0/nested.h>
#include <l0/printf.h>
#include <l0/sbi_guest.h>
#include <l0/sched.h>
#include <l0/vm.h>
#include <l0/hot.h>

typedef void (*exit_handler)(struct vcpu *v, struct trap_frame *tf);

void vcpu_trap_to_vs(struct trap_frame *tf, unsigned long pc)
{
	unsigned long vsstatus = csr_read(CSR_VSSTATUS);

	csr_write(CSR_VSEPC, tf->sepc);
	/* As hardware does on a trap into S-mode: SPP, SPIE <- SIE, SIE <- 0. */
	vsstatus =
		field_set(SSTATUS_SPP, vsstatus, !!(tf->sstatus & SSTATUS_SPP));
	vsstatus =
		field_set(SSTATUS_SPIE, vsstatus, !!(vsstatus & SSTATUS_SIE));
	vsstatus &= ~SSTATUS_SIE;
	csr_write(CSR_VSSTATUS, vsstatus);
	tf->sepc = pc;
	tf->sstatus |= SSTATUS_SPP;
}

void vcpu_inject_exception(struct trap_frame *tf, unsigned long cause,
			   unsigned long tval)
{
	csr_write(CSR_VSCAUSE, cause);
	csr_write(CSR_VSTVAL, tval);
	/* Exceptions: never vectored. */
	vcpu_trap_to_vs(tf, csr_read(CSR_VSTVEC) & ~3UL);
}

L0_HOT static void handle_ecall(struct vcpu *v, struct trap_frame *tf)
{
	sbi_guest_call(v, tf);
}

/* The access fault a guest sees for a guest-page fault of each kind. */
static unsigned long access_fault_for(unsigned long cause)
{
	switch (cause) {
	case EXC_INST_GUEST_PAGE_FAULT:
		return EXC_INST_ACCESS;
	case EXC_LOAD_GUEST_PAGE_FAULT:
		return EXC_LOAD_ACCESS;
	default:
		return EXC_STORE_ACCESS;
	}
}

/*
 * A guest-page fault is RAM the guest touches for the first time, an
 * emulated device, or an address the guest has nothing at: an access fault.
 */
static void handle_guest_page_fault(struct vcpu *v, struct trap_frame *tf)
{
	uint64_t gpa = (tf->htval << 2) | (tf->stval & 3);

	if (vm_ram_fault(v->vm, gpa))
		return;
	if (tf->scause != EXC_INST_GUEST_PAGE_FAULT && mmio_emulate(v, tf, gpa))
		return;
	vcpu_inject_exception(tf, access_fault_for(tf->scause), tf->stval);
}

/*
 * A virtual instruction: an H-extension or M-level CSR or instruction a
 * non-nested guest may not use is an illegal instruction for it. WFI traps
 * here only when the hart time-slices vCPUs (hstatus.VTW); it then waits
 * for an interrupt without holding the hart. So does a nested L1's WFI in
 * its virtual HS-mode (nested/ hands it on). A read of cycle or instret
 * traps here once the guest uses SBI PMU, which answers it.
 */
static void handle_virtual_inst(struct vcpu *v, struct trap_frame *tf)
{
	if (tf->stval == INSN_WFI) {
		tf->sepc += 4;
		__atomic_store_n(&v->state, VCPU_SUSPENDED, __ATOMIC_RELEASE);
		return;
	}
	if (sbi_guest_pmu_read_csr(v, tf, ~0UL))
		return;
	vcpu_inject_exception(tf, EXC_ILLEGAL_INST, tf->stval);
}

L0_HOT_DATA static const exit_handler exit_handlers[] = {
	[EXC_ECALL_VS] = handle_ecall,
	[EXC_INST_GUEST_PAGE_FAULT] = handle_guest_page_fault,
	[EXC_LOAD_GUEST_PAGE_FAULT] = handle_guest_page_fault,
	[EXC_STORE_GUEST_PAGE_FAULT] = handle_guest_page_fault,
	[EXC_VIRTUAL_INST] = handle_virtual_inst,
};

/* Not delegated and not handled: L0's delegation has a hole. */
L0_SLOW static void unexpected_trap(struct vcpu *v, const struct trap_frame *tf)
{
	char why[96];

	l0_snprintf(why, sizeof(why), "unexpected trap: %s at 0x%lx",
		    trap_cause_name(tf->scause), tf->sepc);
	vm_stop(v->vm, why);
}

L0_HOT void vcpu_handle_trap(struct vcpu *v, struct trap_frame *tf)
{
	exit_handler fn = NULL;

	if (v->nested && nested_handle_trap(v, tf))
		return;
	if (tf->scause < ARRAY_SIZE(exit_handlers))
		fn = exit_handlers[tf->scause];
	if (fn)
		fn(v, tf);
	else
		unexpected_trap(v, tf);
}

void vcpu_set_irq(struct vcpu *v, unsigned long hvip_bits, bool level)
{
	/* A nested vCPU's interrupts are L1's, wherever L1's CSRs are now. */
	if (nested_route_irq(v, hvip_bits, level)) {
		sched_poke(v);
		return;
	}
	if (v == sched_current()) {
		/*
		 * Newer than what other harts asked while it ran, which
		 * apply_pending() has not applied yet: that must not undo it.
		 */
		__atomic_and_fetch(&v->hvip_set, ~hvip_bits, __ATOMIC_ACQ_REL);
		__atomic_and_fetch(&v->hvip_clear, ~hvip_bits,
				   __ATOMIC_ACQ_REL);
		if (level)
			csr_set(CSR_HVIP, hvip_bits);
		else
			csr_clear(CSR_HVIP, hvip_bits);
		return;
	}
	if (level) {
		__atomic_and_fetch(&v->hvip_clear, ~hvip_bits,
				   __ATOMIC_ACQ_REL);
		__atomic_or_fetch(&v->hvip_set, hvip_bits, __ATOMIC_ACQ_REL);
	} else {
		__atomic_and_fetch(&v->hvip_set, ~hvip_bits, __ATOMIC_ACQ_REL);
		__atomic_or_fetch(&v->hvip_clear, hvip_bits, __ATOMIC_ACQ_REL);
	}
	sched_poke(v);
}
