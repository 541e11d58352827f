// SPDX-License-Identifier: MIT
/*
 * The shadow G-stage: while L2 runs under L1's G-stage table (L2 GPA -> L1
 * GPA), the hart walks a table of L0's that composes it with L0's own
 * stage for L1 (L1 GPA -> host PA). It is a TLB of L1's table, filled a
 * 4 KiB page at a time from L2's guest-page faults and emptied by L1's
 * HFENCE.GVMA or a new L1 root. Permissions are the leaf's of L1's table;
 * L0's stage for L1 is RWX RAM, so nothing is added on L0's side.
 */
#include <arch/csr.h>
#include <arch/tlb.h>
#include <l0/mmio.h>
#include <l0/page_alloc.h>

#include "state.h"

#define HGATP_MODE GENMASK(63, 60)
#define HGATP_ROOT (GENMASK(63, 60) | GENMASK(43, 0))

static bool read_l1(void *vm, uint64_t addr, uint64_t *pte)
{
	const uint64_t *p;

	if (addr & 7)
		return false;
	p = vm_ram_ptr(vm, addr, sizeof(*p));
	if (!p)
		return false;
	*pte = __atomic_load_n(p, __ATOMIC_RELAXED);
	return true;
}

void nested_shadow_flush(struct nested_vcpu *n)
{
	if (n->shadow.root)
		gstage_unmap(&n->shadow, 0, gstage_gpa_limit(n->shadow.mode));
	hfence_gvma_vmid(n->l2_vmid);
}

int nested_shadow_hgatp(struct nested_vcpu *n, uint64_t *hgatp)
{
	uint64_t virt = n->csrs.hgatp & HGATP_ROOT;
	enum gstage_mode mode = field_get(HGATP_MODE, virt);

	if (n->shadow.root && n->shadow.mode != mode)
		gstage_destroy(&n->shadow);
	if (!n->shadow.root &&
	    gstage_init(&n->shadow, mode, (uint16_t)n->l2_vmid))
		return -1;
	if (virt != n->shadow_of) {
		nested_shadow_flush(n);
		n->shadow_of = virt;
	}
	*hgatp = gstage_hgatp(&n->shadow);
	return 0;
}

static enum walk_access access_of(unsigned long cause)
{
	switch (cause) {
	case EXC_INST_GUEST_PAGE_FAULT:
		return WALK_FETCH;
	case EXC_LOAD_GUEST_PAGE_FAULT:
		return WALK_LOAD;
	default:
		return WALK_STORE;
	}
}

static unsigned int gstage_prot(unsigned int walk_prot)
{
	return (walk_prot & WALK_R ? GSTAGE_R : 0) |
	       (walk_prot & WALK_W ? GSTAGE_W : 0) |
	       (walk_prot & WALK_X ? GSTAGE_X : 0);
}

/* Map the 4 KiB page of `gpa` (L2) to host `hpa`, making room if needed. */
static bool shadow_map(struct vcpu *v, struct nested_vcpu *n, uint64_t gpa,
		       uint64_t hpa, unsigned int prot)
{
	gpa = ALIGN_DOWN(gpa, PAGE_SIZE);
	if (!gstage_map(&n->shadow, gpa, hpa, PAGE_SIZE, prot))
		return true;
	/* Out of table memory: start the shadow afresh (it is only a TLB). */
	nested_shadow_flush(n);
	if (!gstage_map(&n->shadow, gpa, hpa, PAGE_SIZE, prot))
		return true;
	vm_stop(v->vm, "L0 has no memory left for L2's shadow G-stage");
	return false;
}

enum shadow_result nested_shadow_fault(struct vcpu *v, struct nested_vcpu *n,
				       struct trap_frame *tf, uint64_t gpa)
{
	struct walk w;
	void *page;

	switch (nested_gstage_walk(n->csrs.hgatp, gpa, access_of(tf->scause),
				   read_l1, v->vm, &w)) {
	case WALK_GUEST_PAGE_FAULT:
		return SHADOW_L1_FAULT;
	case WALK_ACCESS_FAULT:
		return SHADOW_ACCESS_FAULT;
	default:
		break;
	}
	page = vm_ram_ptr(v->vm, ALIGN_DOWN(w.pa, PAGE_SIZE), PAGE_SIZE);
	if (page) {
		shadow_map(v, n, gpa, (uintptr_t)page, gstage_prot(w.prot));
		return SHADOW_MAPPED;
	}
	if (tf->scause != EXC_INST_GUEST_PAGE_FAULT &&
	    mmio_emulate(v, tf, w.pa))
		return SHADOW_MAPPED;
	return SHADOW_ACCESS_FAULT;
}
