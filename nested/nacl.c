// SPDX-License-Identifier: MIT
/*
 * SBI nested acceleration (SBI spec, "Nested Acceleration Extension (EID
 * #0x4E41434C "NACL")") for a nested vCPU: L1 batches its H-extension CSR
 * writes and HFENCEs in a shared memory and hands them over with one call,
 * SYNC_SRET even with the SRET into L2. Every feature is offered: SYNC_CSR,
 * SYNC_HFENCE, SYNC_SRET and AUTOSWAP_CSR. The shared memory's layout and
 * its coherence with the virtual CSRs are nacl_shmem.c's.
 */
#include <arch/sbi.h>
#include <l0/bits.h>
#include <l0/nested.h>
#include <l0/vm.h>
#include <l0/hot.h>

#include "state.h"

#define SHMEM_DISABLE (~0UL) /* both address words all-ones: NACL off */
#define ALL (~0UL)	     /* SYNC_CSR/SYNC_HFENCE: every CSR or entry */

typedef struct nested_sbiret (*nacl_fn)(struct vcpu *v, struct nested_vcpu *n,
					struct trap_frame *tf);

static struct nested_sbiret ret(long error, unsigned long value)
{
	return (struct nested_sbiret){ .error = error, .value = value };
}

static unsigned long arg(const struct trap_frame *tf, unsigned int i)
{
	return tf->regs[10 + i];
}

L0_HOT void nested_nacl_publish(struct nested_vcpu *n)
{
	if (n->nacl)
		nacl_publish(n->nacl, &n->csrs, &n->feat, NESTED_CSR_ALL);
}

void nested_nacl_publish_csr(struct nested_vcpu *n, unsigned int csr)
{
	int e = nested_csr_entry(csr, &n->feat);

	if (n->nacl && e >= 0)
		nacl_publish(n->nacl, &n->csrs, &n->feat, BIT(e));
}

/*
 * The CSRs an exit from L2 into L1 may change (nested_exit_to_l1() in
 * switch.c): the vs* CSRs, which the hart holds while L2 runs (vsie is
 * hie's bits, so hie too; L2's sip.SSIP is hvip.VSSIP); those the trap
 * into L1's HS-mode writes (hstatus, htval, htinst), hstatus also by
 * autoswap; hip, whose VSTIP follows the time; and vsip, read from hip.
 * L1's other CSRs change only when L1 writes them, and L0 writes them
 * into the CSR space then (a CSR write's trap, a synchronization), so
 * the exit leaves them be. tests/sim/test_nacl_exit.c holds the exit to
 * this list: after it, a publish of every CSR changes nothing.
 */
static const uint16_t exit_csrs[] = {
	CSR_H_HSTATUS, CSR_H_HIE,	CSR_H_HTVAL,	 CSR_H_HVIP,
	CSR_H_HIP,     CSR_H_HTINST,	CSR_H_VSSTATUS,	 CSR_H_VSIE,
	CSR_H_VSTVEC,  CSR_H_VSSCRATCH, CSR_H_VSEPC,	 CSR_H_VSCAUSE,
	CSR_H_VSTVAL,  CSR_H_VSIP,	CSR_H_VSTIMECMP, CSR_H_VSATP,
};

/* Their table entries, of the CSRs L1 has. */
static uint32_t exit_entries(const struct nested_features *f)
{
	uint32_t entries = 0;

	for (size_t i = 0; i < ARRAY_SIZE(exit_csrs); i++) {
		int e = nested_csr_entry(exit_csrs[i], f);

		if (e >= 0)
			entries |= BIT(e);
	}
	return entries;
}

void nested_nacl_exit_to_l1(struct vcpu *v, struct nested_vcpu *n)
{
	if (!n->nacl)
		return;
	nacl_autoswap(n->nacl, &n->csrs, &n->feat);
	nested_refresh_hip(v, n);
	nacl_publish(n->nacl, &n->csrs, &n->feat, n->nacl_exit);
}

/* FID 0: every feature of the spec's table is there; none beyond it. */
static struct nested_sbiret probe_feature(struct vcpu *v, struct nested_vcpu *n,
					  struct trap_frame *tf)
{
	(void)v;
	(void)n;
	return ret(SBI_SUCCESS, arg(tf, 0) < NACL_FEAT_COUNT);
}

/*
 * FID 1: the shared memory, 4 KiB aligned, all of it in the VM's RAM
 * (which holds none of L0's own structures: those are in L0's pages). Any
 * call turns the old one off first: after an error NACL is off.
 */
static struct nested_sbiret set_shmem(struct vcpu *v, struct nested_vcpu *n,
				      struct trap_frame *tf)
{
	unsigned long lo = arg(tf, 0), hi = arg(tf, 1), flags = arg(tf, 2);
	uint8_t *p;

	n->nacl = NULL;
	if (lo == SHMEM_DISABLE && hi == SHMEM_DISABLE)
		return ret(SBI_SUCCESS, 0);
	if (flags || (lo & (NACL_SHMEM_ALIGN - 1)))
		return ret(SBI_ERR_INVALID_PARAM, 0);
	/* hi: the address bits above XLEN, which no RAM of a VM has. */
	p = hi ? NULL : vm_ram_ptr(v->vm, lo, NACL_SHMEM_SIZE);
	if (!p)
		return ret(SBI_ERR_INVALID_ADDRESS, 0);
	n->nacl = p;
	n->nacl_exit = exit_entries(&n->feat);
	nested_refresh_hip(v, n);
	nacl_publish(p, &n->csrs, &n->feat, NESTED_CSR_ALL);
	return ret(SBI_SUCCESS, 0);
}

/*
 * The table entries written. hstatus.SPV may change: the caller brings
 * L0's VTSR for L1 in line (nested_update_l1_hstatus); and, before it
 * publishes, hip's inputs (nested_refresh_hip), which the writes do not
 * read: hip and vsip write only hvip.
 */
static uint32_t sync_all_csrs(struct nested_vcpu *n)
{
	/*
	 * L1 states its hstatus in the shared memory: no exit mark applies.
	 * Not settled first: a hypervisor sets its guest's sepc before this
	 * call, which would read as a trap of L1's own and clear the SPV an
	 * L1 that neither writes hstatus here nor autoswaps relies on.
	 */
	n->exit_mark.valid = false;
	return nacl_sync_all_csrs(n->nacl, &n->csrs, &n->feat);
}

/* FID 2: all-ones, or one CSR that L0 implements. */
L0_HOT static struct nested_sbiret
sync_csr(struct vcpu *v, struct nested_vcpu *n, struct trap_frame *tf)
{
	unsigned long csr = arg(tf, 0);

	if (csr != ALL && (!nacl_csr_num_ok(csr) ||
			   !nested_csr_known((unsigned int)csr, &n->feat)))
		return ret(SBI_ERR_INVALID_PARAM, 0);
	if (!n->nacl)
		return ret(SBI_ERR_NO_SHMEM, 0);
	if (csr == ALL) {
		sync_all_csrs(n);
		nested_update_l1_hstatus(n, tf);
		nested_refresh_hip(v, n);
		nacl_publish(n->nacl, &n->csrs, &n->feat, NESTED_CSR_ALL);
		return ret(SBI_SUCCESS, 0);
	}
	nested_refresh_hip(v, n);
	if (csr == CSR_H_HSTATUS)
		n->exit_mark.valid = false;
	if (nacl_sync_csr(n->nacl, &n->csrs, &n->feat, (unsigned int)csr) &&
	    csr == CSR_H_HSTATUS)
		nested_update_l1_hstatus(n, tf);
	return ret(SBI_SUCCESS, 0);
}

/* One entry's fence, on the shadows of the VMID it names (shadow.c). */
static void hfence(struct nested_vcpu *n, const struct nacl_hfence *h)
{
	switch (h->kind) {
	case NACL_FENCE_VVMA:
		nested_shadow_fence_vvma(n, h->all_vmids, h->vmid);
		break;
	case NACL_FENCE_GVMA:
		if (h->all_addrs) {
			nested_shadow_fence_gvma(n, h->all_vmids, h->vmid, true,
						 0);
			break;
		}
		for (uint64_t i = 0; i < h->pages; i++)
			nested_shadow_fence_gvma(n, h->all_vmids, h->vmid,
						 false,
						 h->addr + i * h->page_size);
		break;
	default:
		break;
	}
}

/*
 * Entries from the pending entry `i` to `end` - 1, each consumed and
 * fenced: page by page up to NACL_HFENCE_PAGE_BUDGET pages in all, then
 * whole VMIDs.
 */
static void fence_pending(struct nested_vcpu *n, unsigned int i,
			  unsigned int end)
{
	uint64_t budget = NACL_HFENCE_PAGE_BUDGET;
	struct nacl_hfence h;

	for (; i < end; i = nacl_hfence_next(n->nacl, i + 1, end)) {
		nacl_hfence_take(n->nacl, i, &h);
		if (h.kind == NACL_FENCE_GVMA && !h.all_addrs) {
			if (h.pages > budget)
				h.all_addrs = true;
			else
				budget -= h.pages;
		}
		hfence(n, &h);
	}
}

/*
 * Entries first .. first + count - 1. Mostly none is pending: the scan
 * alone then, without the set-up of the fences.
 */
static void sync_hfences(struct nested_vcpu *n, unsigned long first,
			 unsigned long count)
{
	unsigned int end = (unsigned int)(first + count);
	unsigned int i = nacl_hfence_next(n->nacl, (unsigned int)first, end);

	if (i < end)
		fence_pending(n, i, end);
}

/* FID 3: all-ones, or one entry below 3840 / XLEN. */
L0_HOT static struct nested_sbiret
sync_hfence(struct vcpu *v, struct nested_vcpu *n, struct trap_frame *tf)
{
	unsigned long i = arg(tf, 0);

	(void)v;
	if (i != ALL && i >= NACL_HFENCE_ENTRIES)
		return ret(SBI_ERR_INVALID_PARAM, 0);
	if (!n->nacl)
		return ret(SBI_ERR_NO_SHMEM, 0);
	if (i == ALL)
		sync_hfences(n, 0, NACL_HFENCE_ENTRIES);
	else
		sync_hfences(n, i, 1);
	return ret(SBI_SUCCESS, 0);
}

/*
 * FID 4 (spec, "Feature: Synchronize SRET"): every CSR, every HFENCE,
 * X1..X31 from the SRET context, the autoswap of hstatus, then SRET as
 * the instruction would do it. No return on success.
 */
L0_HOT static struct nested_sbiret
sync_sret(struct vcpu *v, struct nested_vcpu *n, struct trap_frame *tf)
{
	uint32_t written;

	if (!n->nacl)
		return ret(SBI_ERR_NO_SHMEM, 0);
	written = sync_all_csrs(n);
	sync_hfences(n, 0, NACL_HFENCE_ENTRIES);
	nacl_sret_gprs(n->nacl, tf->regs);
	nacl_autoswap(n->nacl, &n->csrs, &n->feat);
	nested_update_l1_hstatus(n, tf);
	nested_emulate_sret(v, n, tf);
	/*
	 * Into L2, L1 looks at the CSR space again only after L2's exit,
	 * which publishes the CSRs it may change (nested_nacl_exit_to_l1):
	 * the synchronized ones it leaves out go now, and those derived
	 * from them are the exit's (hip, vsip, vsie, hie). An SRET that
	 * stays in L1 (hstatus.SPV = 0) publishes all now.
	 */
	if (!n->in_l2) {
		nested_refresh_hip(v, n);
		nacl_publish(n->nacl, &n->csrs, &n->feat, NESTED_CSR_ALL);
	} else if (written & ~n->nacl_exit) {
		nacl_publish(n->nacl, &n->csrs, &n->feat,
			     written & ~n->nacl_exit);
	}
	return (struct nested_sbiret){ .no_return = true };
}

/* By FID (the spec's function listing). */
static const nacl_fn fns[] = {
	probe_feature, set_shmem, sync_csr, sync_hfence, sync_sret,
};

L0_HOT bool nested_nacl_offered(const struct vcpu *v)
{
	return v->nested && v->nested->feat.nacl;
}

L0_HOT struct nested_sbiret
nested_nacl_call(struct vcpu *v, struct trap_frame *tf, unsigned long fid)
{
	struct nested_vcpu *n = v->nested;

	if (!nested_nacl_offered(v) || n->in_l2 || fid >= ARRAY_SIZE(fns))
		return ret(SBI_ERR_NOT_SUPPORTED, 0);
	return fns[fid](v, n, tf);
}
