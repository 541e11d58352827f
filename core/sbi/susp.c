// SPDX-License-Identifier: MIT
/*
 * SBI SUSP (SBI spec v2.0, system suspend): SUSPEND_TO_RAM of the whole
 * VM. The spec asks that every hart but the caller be STOPPED; then the
 * VM's only started vCPU sleeps until an interrupt it enabled in sie is
 * pending (its timer, an IPI or a device, as a retentive HSM suspend
 * waits) and resumes at resume_addr with a0 = hart id, a1 = opaque, satp
 * = 0, sstatus.SIE = 0. The VM's RAM and devices are left as they are: to
 * the guest, that is RAM kept across the sleep.
 */
#include <l0/printf.h>
#include <l0/sched.h>
#include <l0/vm.h>

#include "sbi.h"

#define SUSP_SLEEP_TYPE_SUSPEND_TO_RAM 0

/*
 * Checked in the order KVM checks them: the type (32 bits wide, its upper
 * half ignored on RV64 as for HSM), the address, then the other harts.
 * Under vm->lock, so that no hart_start of another vCPU slips in between.
 */
static struct sbi_result susp_suspend(struct sbi_call *c)
{
	struct vcpu *v = c->vcpu;
	struct vm *vm = v->vm;
	struct sbi_result r = { .no_return = true };

	if ((uint32_t)c->a[0] != SUSP_SLEEP_TYPE_SUSPEND_TO_RAM)
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (!sbi_in_guest_ram(vm, c->a[1]))
		return sbi_err(SBI_ERR_INVALID_ADDRESS);
	spin_lock(&vm->lock);
	for (unsigned int i = 0; i < vm->nvcpus; i++) {
		struct vcpu *t = &vm->vcpus[i];

		/* A hart still on its way out (STOP_PENDING) is not yet. */
		if (t != v && (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE) !=
				       VCPU_STOPPED ||
			       sched_on_hart(t))) {
			r = sbi_err(SBI_ERR_DENIED);
			break;
		}
	}
	if (r.no_return) {
		sbi_resume_at(c, c->a[1], c->a[2]);
		__atomic_store_n(&v->state, VCPU_SUSPENDED, __ATOMIC_RELEASE);
	}
	spin_unlock(&vm->lock);
	/* One line per suspend the guest asked for (the vm case waits on it). */
	if (r.no_return)
		printk("L0: VM %s: system suspend (SBI SUSP), until an interrupt\n",
		       vm->cfg->name);
	return r;
}

static const sbi_fn susp_fns[] = { susp_suspend };

const struct sbi_ext sbi_ext_susp = SBI_EXT(0x53555350, "SUSP", susp_fns);
