// SPDX-License-Identifier: MIT
/*
 * SBI SSE (supervisor software events, SBI spec v3.0). L0 raises no event
 * of its own: a guest has the two software-injected events, the local one
 * (one per vCPU) and the global one (one per VM), which it raises with
 * INJECT. The other standard events need a source L0 gives no guest (RAS
 * errors, Ssdbltrp's double trap, Sscofpmf's overflow interrupt): they are
 * SBI_ERR_NOT_SUPPORTED; reserved and platform-specific IDs, which name no
 * event here, SBI_ERR_INVALID_PARAM.
 *
 * An event enters its handler on its vCPU's own hart, on the way back into
 * the guest (sbi_guest_before_entry(), from core/sched.c): the vCPU's
 * highest-priority pending ENABLED event (lowest PRIORITY, then lowest
 * event ID), once the vCPU has unmasked events and when the event outranks
 * every event already RUNNING there. A global event runs on its
 * PREFERRED_HART only (the spec lets the implementation pick the hart). A
 * suspended vCPU (WFI, HSM suspend) wakes for such an event.
 *
 * Where the spec leaves a choice, L0's:
 * - READ_ATTRS and WRITE_ATTRS put attribute base + i at word i of the
 *   memory: the spec gives its size as attr_count words, which its "offset
 *   (XLEN / 8) * (base_attr_id + i)" would overrun for base > 0 (OpenSBI
 *   reads it as L0 does); the memory must be the VM's RAM and 8-byte
 *   aligned, else
 *   SBI_ERR_INVALID_ADDRESS. A write checks every value, in attribute ID
 *   order, before it changes any; a value with bits the attribute has not
 *   is SBI_ERR_INVALID_PARAM, so is a PREFERRED_HART that is no vCPU.
 * - The INTERRUPTED_* attributes of a global event can be written only from
 *   the vCPU running its handler: elsewhere SBI_ERR_INVALID_STATE.
 * - INJECT needs the event ENABLED or RUNNING on its vCPU, else
 *   SBI_ERR_INVALID_STATE (as OpenSBI): nothing would run it.
 * - UNREGISTER also clears the pending bit; a vCPU's start (HSM) resets
 *   its local events and masks them, and a global event RUNNING on it goes
 *   back to ENABLED (that run is lost with the hart's state); a VM's
 *   (re)start resets its global events, whose PREFERRED_HART is then 0.
 *
 * Not for a nested-enabled vCPU: its guest state may be its L2's when an
 * event comes (V=1 under L1's own hypervisor), and entering L1's handler
 * means an exit from L2 to L1 first and hstatus.SPV/SPVP in its flags;
 * nested/ does not do that, so SSE is not offered to it.
 */
#include <string.h>

#include <arch/csr.h>
#include <l0/bits.h>
#include <l0/sbi_guest.h>
#include <l0/sched.h>
#include <l0/vm.h>
#include <l0/hot.h>

#include "sbi.h"

enum sse_state { SSE_UNUSED, SSE_REGISTERED, SSE_ENABLED, SSE_RUNNING };

/* The spec's attribute IDs (its table of event attributes). */
enum sse_attr {
	ATTR_STATUS,
	ATTR_PRIORITY,
	ATTR_CONFIG,
	ATTR_PREFERRED_HART,
	ATTR_ENTRY_PC,
	ATTR_ENTRY_ARG,
	ATTR_INTERRUPTED_SEPC,
	ATTR_INTERRUPTED_FLAGS,
	ATTR_INTERRUPTED_A6,
	ATTR_INTERRUPTED_A7,
};

_Static_assert(ATTR_INTERRUPTED_A7 + 1 == SSE_NATTRS, "an attribute each");

#define STATUS_STATE 3UL
#define STATUS_PENDING BIT(2)
#define STATUS_INJECTABLE BIT(3)
#define CONFIG_ONESHOT BIT(0)
/*
 * INTERRUPTED_FLAGS: sstatus.SPP and SPIE. Its hstatus.SPV and SPVP,
 * sstatus.SPELP and SDT bits are 0 for a vCPU without H, Zicfilp and
 * Ssdbltrp, which SSE's vCPUs are.
 */
#define FLAGS_SPP BIT(0)
#define FLAGS_SPIE BIT(1)

#define EVENT_GLOBAL BIT(15) /* event_id bit 15: global, else local */
#define NO_SLOT (-1)

/*
 * The spec's standard events (its table of event IDs), and where L0 keeps
 * each it supports: slot of vcpu_sbi.sse (local) or vm.sse (global).
 */
static const struct sse_event_id {
	uint32_t id;
	int slot;
} event_ids[] = {
	{ 0x00000000, NO_SLOT }, /* local high-priority RAS */
	{ 0x00000001, NO_SLOT }, /* local double trap */
	{ 0x00008000, NO_SLOT }, /* global high-priority RAS */
	{ 0x00010000, NO_SLOT }, /* local PMU overflow */
	{ 0x00100000, NO_SLOT }, /* local low-priority RAS */
	{ 0x00108000, NO_SLOT }, /* global low-priority RAS */
	{ 0xffff0000, 0 },	 /* software-injected local */
	{ 0xffff8000, 0 },	 /* software-injected global */
};

/*
 * Who may write each attribute (the spec's table of event attributes): the
 * states it may be written in (0: read-only, SBI_ERR_DENIED) and the bits
 * a value may have. PREFERRED_HART is read-only for a local event.
 */
static const struct sse_attr_rule {
	unsigned long states;
	unsigned long valid;
} attr_rules[SSE_NATTRS] = {
	[ATTR_STATUS] = { 0, 0 },
	[ATTR_PRIORITY] = { BIT(SSE_UNUSED) | BIT(SSE_REGISTERED), 0xffffffff },
	[ATTR_CONFIG] = { BIT(SSE_UNUSED) | BIT(SSE_REGISTERED),
			  CONFIG_ONESHOT },
	[ATTR_PREFERRED_HART] = { BIT(SSE_UNUSED) | BIT(SSE_REGISTERED), ~0UL },
	[ATTR_ENTRY_PC] = { 0, 0 },
	[ATTR_ENTRY_ARG] = { 0, 0 },
	[ATTR_INTERRUPTED_SEPC] = { BIT(SSE_RUNNING), ~0UL },
	[ATTR_INTERRUPTED_FLAGS] = { BIT(SSE_RUNNING), FLAGS_SPP | FLAGS_SPIE },
	[ATTR_INTERRUPTED_A6] = { BIT(SSE_RUNNING), ~0UL },
	[ATTR_INTERRUPTED_A7] = { BIT(SSE_RUNNING), ~0UL },
};

static unsigned long state(const struct sse_event *e)
{
	return e->attr[ATTR_STATUS] & STATUS_STATE;
}

static void set_state(struct sse_event *e, unsigned long s)
{
	e->attr[ATTR_STATUS] = (e->attr[ATTR_STATUS] & ~STATUS_STATE) | s;
}

static bool pending(const struct sse_event *e)
{
	return e->attr[ATTR_STATUS] & STATUS_PENDING;
}

/* Whether `a` has the higher priority: lower PRIORITY, then lower ID. */
static bool outranks(const struct sse_event *a, const struct sse_event *b)
{
	return a->attr[ATTR_PRIORITY] < b->attr[ATTR_PRIORITY] ||
	       (a->attr[ATTR_PRIORITY] == b->attr[ATTR_PRIORITY] &&
		a->id < b->id);
}

/* The vCPU an event runs on: its own for a local event (its hart ID). */
static struct vcpu *target(struct vm *vm, const struct sse_event *e)
{
	return &vm->vcpus[e->attr[ATTR_PREFERRED_HART]];
}

/*
 * The event `id` names, of vCPU `t` when local (a uint32_t: on RV64 the
 * upper half is ignored, as for every uint32_t argument).
 */
static long lookup(struct vcpu *t, unsigned long id, struct sse_event **e)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(event_ids); i++) {
		int slot = event_ids[i].slot;

		if (event_ids[i].id != (uint32_t)id)
			continue;
		if (slot == NO_SLOT)
			return SBI_ERR_NOT_SUPPORTED;
		*e = (event_ids[i].id & EVENT_GLOBAL) ? &t->vm->sse[slot]
						      : &t->sbi.sse[slot];
		return SBI_SUCCESS;
	}
	return SBI_ERR_INVALID_PARAM;
}

/* The events that may run on `v`: its local ones, then its global ones. */
static struct sse_event *event_on(struct vcpu *v, unsigned int i)
{
	struct sse_event *e;

	if (i < SSE_LOCAL_EVENTS)
		return &v->sbi.sse[i];
	e = &v->vm->sse[i - SSE_LOCAL_EVENTS];
	return target(v->vm, e) == v ? e : NULL;
}

#define EVENTS_ON (SSE_LOCAL_EVENTS + SSE_GLOBAL_EVENTS)

/* The highest-priority event RUNNING on `v`, or NULL. */
static struct sse_event *top_running(struct vcpu *v)
{
	struct sse_event *top = NULL, *e;

	for (unsigned int i = 0; i < EVENTS_ON; i++) {
		e = event_on(v, i);
		if (e && state(e) == SSE_RUNNING && (!top || outranks(e, top)))
			top = e;
	}
	return top;
}

/* The event to enter on `v` now, or NULL. */
static struct sse_event *next_to_enter(struct vcpu *v)
{
	struct sse_event *best = NULL, *running, *e;

	if (!v->sbi.sse_unmasked)
		return NULL;
	for (unsigned int i = 0; i < EVENTS_ON; i++) {
		e = event_on(v, i);
		if (e && state(e) == SSE_ENABLED && pending(e) &&
		    (!best || outranks(e, best)))
			best = e;
	}
	running = top_running(v);
	return best && (!running || outranks(best, running)) ? best : NULL;
}

/*
 * Something may have made an event ready for `t`: it looks at its next
 * entry, which the poke brings about (none needed for this hart's vCPU).
 */
static void recheck(struct vcpu *t)
{
	__atomic_store_n(&t->sbi.sse_recheck, 1, __ATOMIC_RELEASE);
	sched_poke(t);
}

/*
 * The spec's "software event injection": the interrupted sepc, flags, a6
 * and a7 into the event's attributes, then the handler at ENTRY_PC in
 * VS-mode with a6 = the hart ID, a7 = ENTRY_ARG, and sepc, sstatus.SPP,
 * SPIE and SIE as a trap into S-mode sets them.
 */
static void enter_handler(struct vcpu *v, struct sse_event *e,
			  struct trap_frame *tf)
{
	unsigned long vsstatus = csr_read(CSR_VSSTATUS);

	e->attr[ATTR_INTERRUPTED_FLAGS] =
		(vsstatus & SSTATUS_SPP ? FLAGS_SPP : 0) |
		(vsstatus & SSTATUS_SPIE ? FLAGS_SPIE : 0);
	e->attr[ATTR_INTERRUPTED_SEPC] = csr_read(CSR_VSEPC);
	e->attr[ATTR_INTERRUPTED_A6] = tf->regs[16];
	e->attr[ATTR_INTERRUPTED_A7] = tf->regs[17];
	e->attr[ATTR_STATUS] &= ~STATUS_PENDING;
	set_state(e, SSE_RUNNING);
	tf->regs[16] = v->id;
	tf->regs[17] = e->attr[ATTR_ENTRY_ARG];
	vcpu_trap_to_vs(tf, e->attr[ATTR_ENTRY_PC]);
}

L0_HOT void sbi_guest_before_entry(struct vcpu *v, struct trap_frame *tf)
{
	struct sse_event *e;

	if (!__atomic_load_n(&v->sbi.sse_recheck, __ATOMIC_RELAXED))
		return;
	__atomic_store_n(&v->sbi.sse_recheck, 0, __ATOMIC_RELAXED);
	spin_lock(&v->vm->sse_lock);
	e = next_to_enter(v);
	if (e)
		enter_handler(v, e, tf);
	spin_unlock(&v->vm->sse_lock);
}

bool sbi_guest_wakeup_pending(struct vcpu *v)
{
	bool ready;

	if (!__atomic_load_n(&v->sbi.sse_recheck, __ATOMIC_ACQUIRE))
		return false;
	spin_lock(&v->vm->sse_lock);
	ready = next_to_enter(v) != NULL;
	spin_unlock(&v->vm->sse_lock);
	return ready;
}

/*
 * The words of guest memory (lo, hi) for `n` attributes: the VM's RAM,
 * 8-byte aligned (RV64 has no RAM above 2^64: hi != 0 is never RAM).
 */
static unsigned long *attr_memory(struct vm *vm, unsigned long lo,
				  unsigned long hi, uint32_t n)
{
	if (hi || lo % sizeof(unsigned long))
		return NULL;
	return vm_ram_ptr(vm, lo, (uint64_t)n * sizeof(unsigned long));
}

/*
 * The checks READ_ATTRS and WRITE_ATTRS share, in the order of the spec's
 * tables: the event, a count of 0, a range with a reserved attribute
 * (base and count are uint32_t), then the memory.
 */
static long attr_call(struct sbi_call *c, struct sse_event **e,
		      unsigned long **mem)
{
	uint32_t base = (uint32_t)c->a[1], n = (uint32_t)c->a[2];
	long err = lookup(c->vcpu, c->a[0], e);

	if (err)
		return err;
	if (!n)
		return SBI_ERR_INVALID_PARAM;
	if ((uint64_t)base + n > SSE_NATTRS)
		return SBI_ERR_BAD_RANGE;
	*mem = attr_memory(c->vcpu->vm, c->a[3], c->a[4], n);
	return *mem ? SBI_SUCCESS : SBI_ERR_INVALID_ADDRESS;
}

static struct sbi_result sse_read_attrs(struct sbi_call *c)
{
	struct vm *vm = c->vcpu->vm;
	struct sse_event *e = NULL;
	unsigned long *out = NULL;
	long err = attr_call(c, &e, &out);

	if (err)
		return sbi_err(err);
	spin_lock(&vm->sse_lock);
	memcpy(out, &e->attr[(uint32_t)c->a[1]],
	       (uint32_t)c->a[2] * sizeof(unsigned long));
	spin_unlock(&vm->sse_lock);
	return sbi_ok(0);
}

/* Whether `v` may write `value` to attribute `attr` of `e` now. */
static long check_write(const struct vcpu *v, const struct sse_event *e,
			unsigned int attr, unsigned long value)
{
	const struct sse_attr_rule *r = &attr_rules[attr];

	if (!r->states ||
	    (attr == ATTR_PREFERRED_HART && !(e->id & EVENT_GLOBAL)))
		return SBI_ERR_DENIED;
	if (!(r->states & BIT(state(e))))
		return SBI_ERR_INVALID_STATE;
	/* The interrupted state: only where the handler runs (global). */
	if (r->states == BIT(SSE_RUNNING) &&
	    e->attr[ATTR_PREFERRED_HART] != v->id)
		return SBI_ERR_INVALID_STATE;
	if (value & ~r->valid)
		return SBI_ERR_INVALID_PARAM;
	if (attr == ATTR_PREFERRED_HART && value >= v->vm->nvcpus)
		return SBI_ERR_INVALID_PARAM;
	return SBI_SUCCESS;
}

static struct sbi_result sse_write_attrs(struct sbi_call *c)
{
	struct vcpu *v = c->vcpu;
	uint32_t base = (uint32_t)c->a[1], n = (uint32_t)c->a[2];
	unsigned long in[SSE_NATTRS], *mem = NULL;
	struct sse_event *e = NULL;
	long err = attr_call(c, &e, &mem);

	if (err)
		return sbi_err(err);
	/* Read once: the guest may change its memory meanwhile. */
	memcpy(in, mem, n * sizeof(unsigned long));
	spin_lock(&v->vm->sse_lock);
	for (uint32_t i = 0; i < n && !err; i++)
		err = check_write(v, e, base + i, in[i]);
	for (uint32_t i = 0; i < n && !err; i++)
		e->attr[base + i] = in[i];
	spin_unlock(&v->vm->sse_lock);
	return sbi_err(err);
}

/*
 * Move event a[0] of the caller from state `from` to `to` (INVALID_STATE
 * when not in `from`); an UNUSED event has no pending one either. Returns
 * the event's vCPU through `t` when it is pending in its new state.
 */
static long transition(struct sbi_call *c, unsigned long from, unsigned long to,
		       struct vcpu **t)
{
	struct vm *vm = c->vcpu->vm;
	struct sse_event *e = NULL;
	long err = lookup(c->vcpu, c->a[0], &e);

	if (err)
		return err;
	spin_lock(&vm->sse_lock);
	if (state(e) != from) {
		err = SBI_ERR_INVALID_STATE;
	} else {
		set_state(e, to);
		if (to == SSE_UNUSED)
			e->attr[ATTR_STATUS] &= ~STATUS_PENDING;
		*t = pending(e) ? target(vm, e) : NULL;
	}
	spin_unlock(&vm->sse_lock);
	return err;
}

/* handler_entry_pc must be 2-byte aligned (a virtual address: no RAM check). */
static struct sbi_result sse_register(struct sbi_call *c)
{
	struct vm *vm = c->vcpu->vm;
	struct sse_event *e = NULL;
	long err = lookup(c->vcpu, c->a[0], &e);

	if (!err && (c->a[1] & 1))
		err = SBI_ERR_INVALID_PARAM;
	if (err)
		return sbi_err(err);
	spin_lock(&vm->sse_lock);
	if (state(e) != SSE_UNUSED) {
		err = SBI_ERR_INVALID_STATE;
	} else {
		e->attr[ATTR_ENTRY_PC] = c->a[1];
		e->attr[ATTR_ENTRY_ARG] = c->a[2];
		set_state(e, SSE_REGISTERED);
	}
	spin_unlock(&vm->sse_lock);
	return sbi_err(err);
}

static struct sbi_result sse_unregister(struct sbi_call *c)
{
	struct vcpu *t = NULL;

	return sbi_err(transition(c, SSE_REGISTERED, SSE_UNUSED, &t));
}

/* An event injected while it was disabled may run now. */
static struct sbi_result sse_enable(struct sbi_call *c)
{
	struct vcpu *t = NULL;
	long err = transition(c, SSE_REGISTERED, SSE_ENABLED, &t);

	if (t)
		recheck(t);
	return sbi_err(err);
}

static struct sbi_result sse_disable(struct sbi_call *c)
{
	struct vcpu *t = NULL;

	return sbi_err(transition(c, SSE_ENABLED, SSE_REGISTERED, &t));
}

/*
 * The spec's "software event completion" of the caller's highest-priority
 * RUNNING event (none: SBI_SUCCESS, nothing else): back to its interrupted
 * pc (sepc) and privilege (sstatus.SPP); sstatus.SIE = SPIE, then SPIE and
 * SPP, a6, a7 and sepc from the INTERRUPTED_* attributes. a0 and a1 are
 * the interrupted code's, so no result goes there.
 */
static struct sbi_result sse_complete(struct sbi_call *c)
{
	struct vcpu *v = c->vcpu;
	struct trap_frame *tf = c->tf;
	unsigned long vsstatus, flags;
	struct sse_event *e;

	spin_lock(&v->vm->sse_lock);
	e = top_running(v);
	if (!e) {
		spin_unlock(&v->vm->sse_lock);
		return sbi_ok(0);
	}
	set_state(e, e->attr[ATTR_CONFIG] & CONFIG_ONESHOT ? SSE_REGISTERED
							   : SSE_ENABLED);
	flags = e->attr[ATTR_INTERRUPTED_FLAGS];
	vsstatus = csr_read(CSR_VSSTATUS);
	tf->sepc = csr_read(CSR_VSEPC);
	tf->sstatus =
		field_set(SSTATUS_SPP, tf->sstatus, !!(vsstatus & SSTATUS_SPP));
	vsstatus =
		field_set(SSTATUS_SIE, vsstatus, !!(vsstatus & SSTATUS_SPIE));
	vsstatus = field_set(SSTATUS_SPIE, vsstatus, !!(flags & FLAGS_SPIE));
	vsstatus = field_set(SSTATUS_SPP, vsstatus, !!(flags & FLAGS_SPP));
	csr_write(CSR_VSSTATUS, vsstatus);
	tf->regs[17] = e->attr[ATTR_INTERRUPTED_A7];
	tf->regs[16] = e->attr[ATTR_INTERRUPTED_A6];
	csr_write(CSR_VSEPC, e->attr[ATTR_INTERRUPTED_SEPC]);
	spin_unlock(&v->vm->sse_lock);
	recheck(v); /* a lower one may wait, or this one again */
	return (struct sbi_result){ .no_return = true };
}

/*
 * inject(event_id, hart_id): a local event of vCPU hart_id (none such:
 * INVALID_PARAM), the global event wherever it runs (hart_id ignored).
 */
static struct sbi_result sse_inject(struct sbi_call *c)
{
	struct vm *vm = c->vcpu->vm;
	struct vcpu *t = c->vcpu;
	struct sse_event *e = NULL;
	long err = lookup(t, c->a[0], &e);

	if (!err && !((uint32_t)c->a[0] & EVENT_GLOBAL)) {
		if (c->a[1] >= vm->nvcpus)
			return sbi_err(SBI_ERR_INVALID_PARAM);
		err = lookup(&vm->vcpus[c->a[1]], c->a[0], &e);
	}
	if (err)
		return sbi_err(err);
	/* Both events L0 has are injectable (STATUS_INJECTABLE). */
	spin_lock(&vm->sse_lock);
	if (state(e) != SSE_ENABLED && state(e) != SSE_RUNNING)
		err = SBI_ERR_INVALID_STATE;
	else
		e->attr[ATTR_STATUS] |= STATUS_PENDING;
	t = target(vm, e);
	spin_unlock(&vm->sse_lock);
	if (!err)
		recheck(t);
	return sbi_err(err);
}

/* HART_UNMASK, HART_MASK: whether `v` takes events; `already`: no change. */
static long set_unmasked(struct vcpu *v, bool unmasked, long already)
{
	long err = already;

	spin_lock(&v->vm->sse_lock);
	if (v->sbi.sse_unmasked != unmasked) {
		v->sbi.sse_unmasked = unmasked;
		err = SBI_SUCCESS;
	}
	spin_unlock(&v->vm->sse_lock);
	return err;
}

static struct sbi_result sse_hart_unmask(struct sbi_call *c)
{
	long err = set_unmasked(c->vcpu, true, SBI_ERR_ALREADY_STARTED);

	if (!err)
		recheck(c->vcpu);
	return sbi_err(err);
}

static struct sbi_result sse_hart_mask(struct sbi_call *c)
{
	return sbi_err(set_unmasked(c->vcpu, false, SBI_ERR_ALREADY_STOPPED));
}

/* Every event L0 keeps of one kind back to its reset, on hart `hart`. */
static void reset_events(struct sse_event *slots, bool global,
			 unsigned long hart)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(event_ids); i++) {
		struct sse_event *e;

		if (event_ids[i].slot == NO_SLOT ||
		    !(event_ids[i].id & EVENT_GLOBAL) != !global)
			continue;
		e = &slots[event_ids[i].slot];
		memset(e, 0, sizeof(*e));
		e->id = event_ids[i].id;
		e->attr[ATTR_STATUS] = STATUS_INJECTABLE;
		e->attr[ATTR_PREFERRED_HART] = hart;
	}
}

static void sse_vcpu_reset(struct vcpu *v)
{
	struct vm *vm = v->vm;

	spin_lock(&vm->sse_lock);
	reset_events(v->sbi.sse, false, v->id);
	for (unsigned int i = 0; i < SSE_GLOBAL_EVENTS; i++)
		if (target(vm, &vm->sse[i]) == v &&
		    state(&vm->sse[i]) == SSE_RUNNING)
			set_state(&vm->sse[i], SSE_ENABLED);
	v->sbi.sse_unmasked = false;
	__atomic_store_n(&v->sbi.sse_recheck, 0, __ATOMIC_RELAXED);
	spin_unlock(&vm->sse_lock);
}

static void sse_vm_reset(struct vm *vm)
{
	spin_lock(&vm->sse_lock);
	reset_events(vm->sse, true, 0);
	spin_unlock(&vm->sse_lock);
}

/* Not for a nested-enabled vCPU (see the top of this file). */
static bool sse_present(const struct vcpu *v)
{
	return !v->nested;
}

static const sbi_fn sse_fns[] = {
	sse_read_attrs,	 sse_write_attrs, sse_register, sse_unregister,
	sse_enable,	 sse_disable,	  sse_complete, sse_inject,
	sse_hart_unmask, sse_hart_mask,
};

const struct sbi_ext sbi_ext_sse =
	SBI_EXT(0x535345, "SSE", sse_fns, .present = sse_present,
		.vcpu_reset = sse_vcpu_reset, .vm_reset = sse_vm_reset);
