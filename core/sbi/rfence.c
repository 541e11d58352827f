// SPDX-License-Identifier: MIT
/* SBI RFENCE (SBI spec v2.0): remote fences, and HFENCEs for L1. */
#include <l0/nested.h>
#include <l0/sched.h>
#include <l0/vm.h>

#include "sbi.h"

static void request_flush(struct vcpu *v, const void *arg)
{
	(void)arg;
	__atomic_or_fetch(&v->flush_pending, FLUSH_VVMA, __ATOMIC_RELEASE);
	sched_poke(v);
}

/*
 * Every remote fence is done as the widest one for the VM (fence.i and
 * hfence.vvma of its VMID) when each target next runs: correct for
 * fence.i, sfence.vma and sfence.vma.asid, since a larger flush is allowed.
 */
static struct sbi_result rfence_any(struct sbi_call *c)
{
	return sbi_err(sbi_for_each_in_mask(c->vcpu->vm, c->a[0], c->a[1],
					    request_flush, NULL));
}

static void request_hfence(struct vcpu *v, const void *f)
{
	nested_remote_hfence(v, f);
	__atomic_or_fetch(&v->flush_pending, FLUSH_HFENCE, __ATOMIC_RELEASE);
	sched_poke(v);
}

/*
 * FIDs 3-6, the remote HFENCEs, for an L1 hypervisor (a nested vCPU, whose
 * VM's vCPUs all are): each target fences the shadows and VS-stage entries
 * it holds for L1's VMID (nested/rfence.c) before it runs again. A guest
 * without the H extension gets SBI_ERR_NOT_SUPPORTED, as the spec says. A
 * range that wraps around the address space is SBI_ERR_INVALID_ADDRESS;
 * the spec's "whole address space" forms are start 0 with size 0, and
 * size ~0.
 */
static struct sbi_result remote_hfence(struct sbi_call *c,
				       enum nested_rfence_kind kind)
{
	struct nested_rfence f = { kind, c->a[4], c->a[4], c->a[2], c->a[3] };

	if (!c->vcpu->nested)
		return sbi_err(SBI_ERR_NOT_SUPPORTED);
	if (f.size != ~0UL && f.start + f.size < f.start)
		return sbi_err(SBI_ERR_INVALID_ADDRESS);
	/* The VVMA forms name the caller's current VMID (its hgatp's). */
	if (kind == NESTED_RFENCE_VVMA_ASID || kind == NESTED_RFENCE_VVMA)
		f.vmid = nested_l1_vmid(c->vcpu);
	return sbi_err(sbi_for_each_in_mask(c->vcpu->vm, c->a[0], c->a[1],
					    request_hfence, &f));
}

static struct sbi_result remote_hfence_gvma_vmid(struct sbi_call *c)
{
	return remote_hfence(c, NESTED_RFENCE_GVMA_VMID);
}

static struct sbi_result remote_hfence_gvma(struct sbi_call *c)
{
	return remote_hfence(c, NESTED_RFENCE_GVMA);
}

static struct sbi_result remote_hfence_vvma_asid(struct sbi_call *c)
{
	return remote_hfence(c, NESTED_RFENCE_VVMA_ASID);
}

static struct sbi_result remote_hfence_vvma(struct sbi_call *c)
{
	return remote_hfence(c, NESTED_RFENCE_VVMA);
}

static const sbi_fn rfence_fns[] = {
	rfence_any,	    rfence_any,
	rfence_any,	    remote_hfence_gvma_vmid,
	remote_hfence_gvma, remote_hfence_vvma_asid,
	remote_hfence_vvma,
};

const struct sbi_ext sbi_ext_rfence = SBI_EXT(0x52464e43, "RFENCE", rfence_fns);
