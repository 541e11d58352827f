// SPDX-License-Identifier: MIT
/*
 * Each hart runs the vCPUs bound to it in turn. A running vCPU's registers
 * live in the trap frame at the top of the hart's stack; switching vCPUs
 * copies them out and in. With one vCPU per hart nothing is ever copied and
 * the guest's WFI sleeps in hardware.
 */
#include <arch/csr.h>
#include <arch/tlb.h>
#include <arch/sbi.h>
#include <arch/vcpu_arch.h>
#include <l0/hart.h>
#include <l0/nested.h>
#include <l0/panic.h>
#include <l0/sbi_guest.h>
#include <l0/sched.h>
#include <l0/timer.h>
#include <l0/vm.h>
#include <l0/hot.h>

static struct trap_frame *hart_frame(const struct hart *h)
{
	return (struct trap_frame *)(h->stack_top - sizeof(struct trap_frame));
}

void sched_add(struct vcpu *v)
{
	struct hart *h = hart_by_index(v->hart);

	if (h->nrunq == ARRAY_SIZE(h->runq))
		panic("sched: more than %zu vCPUs on hart %llu",
		      ARRAY_SIZE(h->runq), (unsigned long long)h->hartid);
	h->runq[h->nrunq++] = v;
}

L0_HOT struct vcpu *sched_current(void)
{
	struct hart *h = this_hart();

	return h ? h->current : NULL;
}

static bool vm_is_running(const struct vcpu *v)
{
	return __atomic_load_n(&v->vm->running, __ATOMIC_ACQUIRE);
}

/* The host time at which the vCPU's own timer fires; ~0 when never. */
static uint64_t vcpu_timer_deadline(const struct vcpu *v)
{
	uint64_t guest =
		vcpu_arch_has_sstc() ? v->csrs.vstimecmp : v->timer_deadline;

	return guest == ~0ULL ? ~0ULL : guest - v->vm->time_delta;
}

/*
 * Interrupts a suspended vCPU waits for: pending and enabled in vsie; and
 * an SBI SSE event it can enter, which preempts interrupts.
 */
static bool vcpu_wakeup_pending(struct vcpu *v)
{
	unsigned long pending =
		v->csrs.hvip | __atomic_load_n(&v->hvip_set, __ATOMIC_ACQUIRE);

	if (timer_now() >= vcpu_timer_deadline(v))
		pending |= HVIP_VSTIP;
	/* vsie's SSIE/STIE/SEIE are hvip's VSSIP/VSTIP/VSEIP shifted by 1. */
	return (pending & (v->csrs.vsie << 1)) || nested_l1_wakeup_pending(v) ||
	       sbi_guest_wakeup_pending(v);
}

/*
 * When a suspended vCPU that has just been found woken became runnable,
 * for its steal time (SBI STA): when its own timer woke it, the deadline
 * (not before it left its hart), which may be well past while another
 * vCPU had the hart; else now, all L0 knows of an interrupt's arrival.
 */
static uint64_t woke_at(const struct vcpu *v)
{
	uint64_t now = timer_now(), deadline = vcpu_timer_deadline(v);

	if (deadline > now || !((v->csrs.vsie << 1) & HVIP_VSTIP))
		return now;
	return deadline > v->sbi.left_at ? deadline : v->sbi.left_at;
}

/* A suspended vCPU: make it runnable if what it waits for came. */
L0_SLOW static bool wake_if_pending(struct vcpu *v)
{
	if (!vcpu_wakeup_pending(v))
		return false;
	/* The current vCPU (must_switch()) goes on: no wait. */
	v->sbi.wait_since = v == sched_current() ? 0 : woke_at(v);
	__atomic_store_n(&v->state, VCPU_RUNNABLE, __ATOMIC_RELEASE);
	return true;
}

L0_HOT static bool is_runnable(struct vcpu *v)
{
	enum vcpu_state s = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);

	if (!vm_is_running(v))
		return false;
	if (s == VCPU_SUSPENDED)
		return wake_if_pending(v);
	return s == VCPU_RUNNABLE;
}

static struct vcpu *pick_next(struct hart *h)
{
	for (unsigned int i = 0; i < h->nrunq; i++) {
		unsigned int idx = (h->next + i) % h->nrunq;

		if (is_runnable(h->runq[idx])) {
			h->next = (idx + 1) % h->nrunq;
			return h->runq[idx];
		}
	}
	return NULL;
}

/*
 * Bring the hart up to what others asked of this vCPU while it was away or
 * running: hvip bits, the fences of SBI RFENCE calls and of a G-stage
 * change, and a nested reset's, which only this hart can do.
 */
L0_SLOW static void apply_requests(struct vcpu *v)
{
	unsigned long set, clear, flush;

	set = __atomic_exchange_n(&v->hvip_set, 0, __ATOMIC_ACQ_REL);
	clear = __atomic_exchange_n(&v->hvip_clear, 0, __ATOMIC_ACQ_REL);
	csr_clear(CSR_HVIP, clear);
	csr_set(CSR_HVIP, set);
	flush = __atomic_exchange_n(&v->flush_pending, 0, __ATOMIC_ACQ_REL);
	if (flush & FLUSH_NESTED)
		nested_vcpu_flush(v);
	if (flush & FLUSH_VVMA) {
		/* The VM's own VMID: hgatp may hold its L2's (nested/). */
		fence_i();
		hfence_vvma_of(gstage_hgatp(&v->vm->gstage));
	}
	if (flush & FLUSH_GVMA)
		hfence_gvma_vmid(v->vm->gstage.vmid);
	if (flush & FLUSH_HFENCE)
		nested_apply_remote_hfences(v);
}

L0_HOT static void apply_pending(struct vcpu *v)
{
	/* Its SBI timer: L1's interrupt even while it runs L2 (nested/). */
	if (!vcpu_arch_has_sstc() && timer_now() >= vcpu_timer_deadline(v))
		vcpu_set_irq(v, HVIP_VSTIP, true);
	/* The common case, on every trap: nobody asked for anything. */
	if (__atomic_load_n(&v->hvip_set, __ATOMIC_RELAXED) |
	    __atomic_load_n(&v->hvip_clear, __ATOMIC_RELAXED) |
	    __atomic_load_n(&v->flush_pending, __ATOMIC_RELAXED))
		apply_requests(v);
}

/* The host timer fires for the next of: slice end, a vCPU's own timer. */
L0_HOT static void arm_timer(struct hart *h)
{
	uint64_t when = ~0ULL, now = timer_now(), l1;
	/* One vCPU that has Sstc: only L1's timer under L2 can matter. */
	unsigned int scan = h->nrunq == 1 && h->current && vcpu_arch_has_sstc()
				    ? 0
				    : h->nrunq;

	for (unsigned int i = 0; i < scan; i++) {
		struct vcpu *v = h->runq[i];
		uint64_t t = vcpu_timer_deadline(v);

		/* A deadline already past has raised VSTIP or woken the vCPU. */
		if (t <= now)
			continue;
		if ((v == h->current && !vcpu_arch_has_sstc()) ||
		    (v != h->current && v->state == VCPU_SUSPENDED))
			when = t < when ? t : when;
	}
	if (h->current && h->nrunq > 1 && h->slice_end < when)
		when = h->slice_end;
	/* L1's own timer while the vCPU runs L2. */
	l1 = h->current ? nested_l1_timer_deadline(h->current) : ~0ULL;
	if (l1 > now && l1 < when)
		when = l1;
	if (when != h->timer_armed) {
		timer_set(when);
		h->timer_armed = when;
	}
}

/*
 * Sharing the hart: a guest's WFI must trap so others get to run (not L2's:
 * see nested_in_l2()). Set at every entry, after nested/ wrote the frame.
 */
static void trap_wfi_if_shared(const struct hart *h, const struct vcpu *v,
			       struct trap_frame *tf)
{
	if (h->nrunq > 1 && !nested_in_l2(v))
		tf->hstatus |= HSTATUS_VTW;
}

/* The frame goes back into `v`: an SBI SSE event, nested/, then the WFI. */
static void before_entry(const struct hart *h, struct vcpu *v,
			 struct trap_frame *tf)
{
	sbi_guest_before_entry(v, tf);
	nested_before_entry(v, tf);
	trap_wfi_if_shared(h, v, tf);
}

/*
 * Make `v` this hart's current vCPU, unless its VM stopped meanwhile: a
 * hart that frees or reboots the VM sees either this hart's vCPU, or this
 * hart sees the VM stopped (vm_left_hart() has the matching fence).
 */
static bool claim(struct hart *h, struct vcpu *v)
{
	/* Before reading what others asked of it: see sched_poke() too. */
	__atomic_store_n(&h->current, v, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vm_is_running(v))
		return true;
	__atomic_store_n(&h->current, NULL, __ATOMIC_RELEASE);
	vm_left_hart(v->vm);
	return false;
}

static void __attribute__((noreturn)) enter(struct hart *h, struct vcpu *v)
{
	struct trap_frame *frame = hart_frame(h);
	uint64_t now = timer_now();

	if (v->fp_saved) {
		fp_restore(v->fp);
		v->fp_saved = false;
	}
	vcpu_arch_load(v);
	apply_pending(v);
	sbi_guest_vcpu_enter(v, now);
	h->slice_end = now + timer_us_to_ticks(SCHED_SLICE_US);
	arm_timer(h);
	*frame = v->regs;
	frame->hart = h;
	before_entry(h, v, frame);
	guest_enter(frame);
}

void sched_run(void)
{
	struct hart *h = this_hart();
	struct vcpu *v;

	for (;;) {
		local_irq_disable();
		v = pick_next(h);
		if (v && claim(h, v))
			enter(h, v);
		if (v)
			continue;
		arm_timer(h);
		/*
		 * Sleep with interrupts masked, then take what woke the hart:
		 * WFI wakes on an interrupt pending and enabled in sie whatever
		 * sstatus.SIE says (privileged spec, "Wait for Interrupt"). An
		 * interrupt taken between pick_next() and the WFI could make a
		 * vCPU of this hart runnable (a device interrupt for it, with
		 * no IPI to itself) and the WFI would then sleep on.
		 */
		wait_for_interrupt();
		local_irq_enable();
	}
}

static bool must_switch(struct hart *h, struct vcpu *v)
{
	/*
	 * A vCPU that has just suspended (HSM, WFI) waits for what its live
	 * CSRs say: save them before is_runnable() looks, or it judges by
	 * those of its last switch (a timer long past, say) and wakes at once.
	 */
	if (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE) == VCPU_SUSPENDED)
		vcpu_arch_put(v);
	if (!is_runnable(v))
		return true;
	return h->nrunq > 1 && timer_now() >= h->slice_end;
}

L0_HOT void sched_after_trap(struct trap_frame *tf)
{
	struct hart *h = this_hart();
	struct vcpu *v = h->current;

	if (!v)
		return;
	if (!must_switch(h, v)) {
		apply_pending(v);
		before_entry(h, v, tf);
		arm_timer(h);
		return;
	}
	v->regs = *tf;
	vcpu_arch_put(v);
	v->sbi.left_at = timer_now();
	/* Runnable: its slice ended, not its work; from now it waits. */
	sbi_guest_vcpu_leave(v, v->sbi.left_at,
			     __atomic_load_n(&v->state, __ATOMIC_ACQUIRE) ==
				     VCPU_RUNNABLE);
	if (h->nrunq > 1) {
		fp_save(v->fp);
		v->fp_saved = true;
	}
	/* Off the hart, its state saved: now hsm_start may reset it. */
	__atomic_store_n(&h->current, NULL, __ATOMIC_RELEASE);
	vm_left_hart(v->vm);
	sched_run();
}

void sched_kick(unsigned int hart)
{
	if (hart != this_hart()->index)
		ipi_send(hart, IPI_KICK);
}

bool sched_on_hart(const struct vcpu *v)
{
	return __atomic_load_n(&hart_by_index(v->hart)->current,
			       __ATOMIC_ACQUIRE) == v;
}

void sched_poke(struct vcpu *v)
{
	struct vcpu *cur;

	/* The caller's request before `current`; enter() does the reverse. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	cur = __atomic_load_n(&hart_by_index(v->hart)->current,
			      __ATOMIC_RELAXED);
	if (cur == v || !cur)
		sched_kick(v->hart);
}

void sched_wake(struct vcpu *v)
{
	v->sbi.wait_since = timer_now();
	__atomic_store_n(&v->state, VCPU_RUNNABLE, __ATOMIC_RELEASE);
	sched_kick(v->hart);
}
