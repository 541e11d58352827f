// SPDX-License-Identifier: MIT
/* SBI HSM (SBI spec v2.0): start, stop, status and suspend of vCPUs. */
#include <arch/csr.h>
#include <arch/vcpu_arch.h>
#include <l0/nested.h>
#include <l0/sbi_guest.h>
#include <l0/sched.h>
#include <l0/vm.h>

#include "sbi.h"

enum hsm_state {
	HSM_STARTED = 0,
	HSM_STOPPED = 1,
	HSM_STOP_PENDING = 3,
	HSM_SUSPENDED = 4,
};

#define HSM_SUSPEND_RETENTIVE 0x00000000UL
#define HSM_SUSPEND_NON_RETENTIVE 0x80000000UL

static struct vcpu *vcpu_of(struct vm *vm, unsigned long hartid)
{
	return hartid < vm->nvcpus ? &vm->vcpus[hartid] : NULL;
}

static struct sbi_result hsm_start(struct sbi_call *c)
{
	struct vm *vm = c->vcpu->vm;
	struct vcpu *t = vcpu_of(vm, c->a[0]);
	struct sbi_result r = sbi_ok(0);

	if (!t)
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (!sbi_in_guest_ram(vm, c->a[1]) || (c->a[1] & 1))
		return sbi_err(SBI_ERR_INVALID_ADDRESS);
	spin_lock(&vm->lock);
	/*
	 * Stopped, and off its hart: until then that hart still saves the
	 * vCPU's registers over whatever a start would put there.
	 */
	if (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != VCPU_STOPPED ||
	    sched_on_hart(t)) {
		r = sbi_err(SBI_ERR_ALREADY_AVAILABLE);
	} else {
		vcpu_arch_reset(t, c->a[1], t->id, c->a[2]);
		sbi_guest_vcpu_reset(t);
		if (t->nested) {
			nested_vcpu_reset(t);
			__atomic_or_fetch(&t->flush_pending, FLUSH_NESTED,
					  __ATOMIC_RELEASE);
		}
		sched_wake(t);
	}
	spin_unlock(&vm->lock);
	return r;
}

static struct sbi_result hsm_stop(struct sbi_call *c)
{
	__atomic_store_n(&c->vcpu->state, VCPU_STOPPED, __ATOMIC_RELEASE);
	return sbi_ok(0);
}

static struct sbi_result hsm_status(struct sbi_call *c)
{
	struct vcpu *t = vcpu_of(c->vcpu->vm, c->a[0]);

	if (!t)
		return sbi_err(SBI_ERR_INVALID_PARAM);
	switch (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE)) {
	case VCPU_STOPPED:
		return sbi_ok(sched_on_hart(t) ? HSM_STOP_PENDING
					       : HSM_STOPPED);
	case VCPU_SUSPENDED:
		return sbi_ok(HSM_SUSPENDED);
	default:
		return sbi_ok(HSM_STARTED);
	}
}

/*
 * Suspend until an interrupt: retentive resumes after the ecall with
 * SBI_SUCCESS, non-retentive at resume_addr with a0 = hart id, a1 = opaque,
 * satp = 0 and sstatus.SIE = 0 (SBI spec v2.0, HSM, "resume register
 * state"), so the result pair must not be written over a0/a1 then.
 * suspend_type is 32 bits wide: on RV64 its upper half is ignored, as the
 * spec's uint32_t argument and OpenSBI and KVM have it.
 */
static struct sbi_result hsm_suspend(struct sbi_call *c)
{
	struct vcpu *v = c->vcpu;
	uint32_t type = (uint32_t)c->a[0];

	/* Reserved and platform types alike: L0 implements no other. */
	if (type != HSM_SUSPEND_RETENTIVE && type != HSM_SUSPEND_NON_RETENTIVE)
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (type == HSM_SUSPEND_NON_RETENTIVE &&
	    !sbi_in_guest_ram(v->vm, c->a[1]))
		return sbi_err(SBI_ERR_INVALID_ADDRESS);
	if (type == HSM_SUSPEND_RETENTIVE) {
		__atomic_store_n(&v->state, VCPU_SUSPENDED, __ATOMIC_RELEASE);
		return sbi_ok(0);
	}
	sbi_resume_at(c, c->a[1], c->a[2]);
	__atomic_store_n(&v->state, VCPU_SUSPENDED, __ATOMIC_RELEASE);
	return (struct sbi_result){ .no_return = true };
}

static const sbi_fn hsm_fns[] = { hsm_start, hsm_stop, hsm_status,
				  hsm_suspend };

const struct sbi_ext sbi_ext_hsm = SBI_EXT(0x48534d, "HSM", hsm_fns);
