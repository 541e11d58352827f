// SPDX-License-Identifier: MIT
/* The simulated harts' TLB model: what it caches, fences, and checks (sim.h). */
#include <setjmp.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <arch/csr.h>
#include <arch/pte.h>
#include <arch/sbi.h>
#include <arch/tlb.h>
#include <arch/trap.h>
#include <arch/vcpu_arch.h>
#include <l0/bits.h>
#include <l0/hart.h>
#include <l0/isa.h>
#include <l0/printf.h>
#include <l0/page_alloc.h>
#include <l0/sched.h>
#include <l0/timer.h>
#include <l0/passthrough.h>
#include <l0/platform.h>
#include <l0/vm.h>

#include "../../nested/state.h"
#include "sim_internal.h"

static uint32_t sim_page_gen[POOL_PAGES]; /* times each page was freed */
static uint64_t sim_tlb_seq;		  /* orders fills and flush requests */
static struct {
	const struct vcpu *v;
	uint64_t seq;
} sim_expect_vs[16]; /* sim_expect_vs_flush() */

void sim_tlb_reset(void)
{
	memset(sim_page_gen, 0, sizeof(sim_page_gen));
	memset(sim_expect_vs, 0, sizeof(sim_expect_vs));
	sim_tlb_seq = 0;
}

/* --- the TLB model --- */

/*
 * Whose guest-virtual address space the hart runs: a VM's L1 (all its vCPUs
 * share one), or one L2 of one vCPU, named by L1's VMID for it.
 */
static uint64_t guest_ctx(const struct sim_hart *h)
{
	const struct vcpu *v = h->hart.current;
	const struct nested_vcpu *n = v ? v->nested : NULL;

	if (!v)
		return 0;
	if (!n || !n->in_l2)
		return (uint64_t)(v->vm->id + 1) << 40 | 0xffffffffUL;
	return (uint64_t)(v->vm->id + 1) << 40 | (uint64_t)v->id << 32 |
	       field_get(HGATP_VMID, n->csrs.hgatp);
}

static void tlb_add(struct sim_hart *h, enum tlb_kind kind, unsigned long vmid,
		    uint64_t addr, uint64_t size, uint64_t target)
{
	struct tlb_entry *e = &h->tlb[h->tlb_next++ % TLB_SIZE];
	uint64_t page = (target - (uintptr_t)sim_pool) / PAGE_SIZE;

	/* Dropping an entry to make room is always allowed. */
	*e = (struct tlb_entry){ .used = true,
				 .kind = kind,
				 .vmid = vmid,
				 .addr = addr,
				 .size = size,
				 .target = target,
				 .born = ++sim_tlb_seq };
	if (kind == TLB_G_TABLE)
		e->gen = sim_page_gen[page];
	if (kind == TLB_VS) {
		e->asid = field_get(GENMASK(59, 44), h->csr[CSR_VSATP]);
		e->ctx = guest_ctx(h);
	}
}

static struct tlb_entry *tlb_find(struct sim_hart *h, enum tlb_kind kind,
				  unsigned long vmid, uint64_t addr)
{
	for (unsigned int i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &h->tlb[i];

		if (e->used && e->kind == kind && e->vmid == vmid &&
		    addr - e->addr < e->size)
			return e;
	}
	return NULL;
}

static void log_fence(enum sim_fence_kind kind, unsigned long vmid,
		      uint64_t gpa)
{
	if (sim_nfences < SIM_MAX_FENCES)
		sim_fences[sim_nfences++] =
			(struct sim_fence){ sim_cur, kind, vmid, gpa };
}

void sim_fences_clear(void)
{
	sim_nfences = 0;
}

/*
 * HFENCE.GVMA (privileged spec, "Hypervisor Memory-Management Fence
 * Instructions"): G-stage entries of the VMID (or all), for one guest
 * physical address (leaves only: an address fence need not drop the walk's
 * non-leaf entries) or all. It "need not flush" the VS-stage cache, so
 * this model keeps those: the weakest hart the spec allows.
 */
void sim_hfence_gvma(unsigned long gpa, unsigned long vmid, int which)
{
	struct sim_hart *h = &sim_harts[sim_cur];

	vmid &= sim_vmid_mask(h);
	log_fence(which == SIM_GVMA_ALL	   ? SIM_FENCE_GVMA_ALL
		  : which == SIM_GVMA_VMID ? SIM_FENCE_GVMA_VMID
					   : SIM_FENCE_GVMA_GPA,
		  vmid, gpa);
	for (unsigned int i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &h->tlb[i];

		if (!e->used || e->kind == TLB_VS)
			continue;
		if (which != SIM_GVMA_ALL && e->vmid != vmid)
			continue;
		if (which == SIM_GVMA_GPA &&
		    (e->kind == TLB_G_TABLE || gpa - e->addr >= e->size))
			continue;
		e->used = false;
	}
}

/* HFENCE.VVMA rs1 = rs2 = x0: VS-stage entries of hgatp.VMID, every ASID. */
void sim_hfence_vvma(void)
{
	struct sim_hart *h = &sim_harts[sim_cur];
	unsigned long vmid = sim_cur_vmid(h);

	log_fence(SIM_FENCE_VVMA, vmid, 0);
	for (unsigned int i = 0; i < TLB_SIZE; i++)
		if (h->tlb[i].kind == TLB_VS && h->tlb[i].vmid == vmid)
			h->tlb[i].used = false;
}

void sim_guest_sfence(unsigned int hart)
{
	unsigned int saved = sim_cur;

	sim_cur = hart;
	sim_hfence_vvma();
	sim_cur = saved;
}

void sim_fence_i(void)
{
	log_fence(SIM_FENCE_I, 0, 0);
}

void sim_tlb_fill_vs(unsigned int hart, uint64_t va, uint64_t gpa)
{
	struct sim_hart *h = &sim_harts[hart];

	tlb_add(h, TLB_VS, sim_cur_vmid(h), ALIGN_DOWN(va, PAGE_SIZE),
		PAGE_SIZE, ALIGN_DOWN(gpa, PAGE_SIZE));
}

bool sim_tlb_has_vs(unsigned int hart, unsigned long vmid, uint64_t va)
{
	return tlb_find(&sim_harts[hart], TLB_VS, vmid, va) != NULL;
}

unsigned int sim_tlb_count(unsigned int hart, unsigned long vmid)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < TLB_SIZE; i++)
		n += sim_harts[hart].tlb[i].used &&
		     sim_harts[hart].tlb[i].vmid == vmid;
	return n;
}

/* Page table memory is L0's: anything else is a walk the sim refuses. */
static bool in_pool(uint64_t pa, uint64_t size)
{
	return pa >= (uintptr_t)sim_pool &&
	       pa - (uintptr_t)sim_pool <= POOL_SIZE - size;
}

struct gwalk {
	uint64_t hpa, leaf_size;
	unsigned int ntables;
	uint64_t table[4], span[4]; /* non-leaf entries: table, what it maps */
};

/*
 * A G-stage walk as the spec describes it (Sv39x4/Sv48x4: a 16 KiB root
 * with 2 more index bits; leaves need U), written apart from L0's walker.
 */
static bool gwalk(unsigned long hgatp, uint64_t gpa, struct gwalk *w)
{
	unsigned int levels = field_get(HGATP_MODE, hgatp) == 9 ? 4 : 3;
	uint64_t table = field_get(HGATP_PPN, hgatp) << PAGE_SHIFT;

	w->ntables = 0;
	if (!field_get(HGATP_MODE, hgatp) || gpa >> (12 + 9 * levels + 2))
		return false;
	for (int lvl = (int)levels - 1; lvl >= 0; lvl--) {
		unsigned int shift = 12 + 9 * (unsigned int)lvl;
		uint64_t idx =
			(gpa >> shift) &
			((unsigned int)lvl == levels - 1 ? 0x7ff : 0x1ff);
		uint64_t pte, pa, size = 1ULL << shift;

		if (!in_pool(table, (unsigned int)lvl == levels - 1
					    ? 16384
					    : PAGE_SIZE))
			return false;
		pte = ((const uint64_t *)(uintptr_t)table)[idx];
		pa = field_get(PTE_PPN, pte) << PAGE_SHIFT;
		if (!(pte & PTE_V) || (pte & (PTE_R | PTE_W)) == PTE_W)
			return false;
		if (pte & (PTE_R | PTE_X)) {
			if (!(pte & PTE_U) || (pa & (size - 1)))
				return false;
			w->hpa = pa + (gpa & (size - 1));
			w->leaf_size = size;
			return true;
		}
		if (!lvl)
			return false;
		w->table[w->ntables] = pa;
		w->span[w->ntables++] = size;
		table = pa;
	}
	return false;
}

/*
 * The hart is about to run guest code under hgatp: every G-stage entry of
 * that VMID must agree with the table, and every table page the hart
 * cached must not have been freed since.
 */
static void entry_check(struct sim_hart *h)
{
	unsigned long hgatp = h->csr[CSR_HGATP], vmid = sim_cur_vmid(h);
	unsigned int hart = (unsigned int)(h - sim_harts);
	struct gwalk w;

	for (unsigned int i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &h->tlb[i];
		uint64_t page = (e->target - (uintptr_t)sim_pool) / PAGE_SIZE;

		if (!e->used || e->vmid != vmid)
			continue;
		if (e->kind == TLB_G_TABLE && sim_page_gen[page] != e->gen)
			sim_violation(
				"hart %u, VMID %lu: a cached walk for gpa 0x%llx uses table page 0x%llx, freed since",
				hart, vmid, (unsigned long long)e->addr,
				(unsigned long long)e->target);
		if (e->kind == TLB_G_LEAF &&
		    (!gwalk(hgatp, e->addr, &w) ||
		     ALIGN_DOWN(w.hpa, PAGE_SIZE) != e->target))
			sim_violation(
				"hart %u, VMID %lu: a cached translation of gpa 0x%llx to 0x%llx that the table no longer has",
				hart, vmid, (unsigned long long)e->addr,
				(unsigned long long)e->target);
	}
}

void sim_expect_vs_flush(const struct vcpu *v)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(sim_expect_vs); i++)
		if (!sim_expect_vs[i].v || sim_expect_vs[i].v == v) {
			sim_expect_vs[i].v = v;
			sim_expect_vs[i].seq = ++sim_tlb_seq;
			return;
		}
}

/* The vCPU runs L1 (the VM's VMID) again: its VS-stage flush is due. */
static void vs_flush_check(struct sim_hart *h)
{
	unsigned long vmid = sim_cur_vmid(h);

	for (unsigned int i = 0; i < ARRAY_SIZE(sim_expect_vs); i++) {
		const struct vcpu *v = sim_expect_vs[i].v;

		if (!v || v != h->hart.current ||
		    vmid != (v->vm->gstage.vmid & sim_vmid_mask(h)))
			continue;
		for (unsigned int j = 0; j < TLB_SIZE; j++)
			if (h->tlb[j].used && h->tlb[j].kind == TLB_VS &&
			    h->tlb[j].vmid == vmid &&
			    h->tlb[j].born < sim_expect_vs[i].seq)
				sim_violation(
					"hart %u, VMID %lu: L1's VS-stage entry for va 0x%llx survived its remote SFENCE.VMA",
					(unsigned int)(h - sim_harts), vmid,
					(unsigned long long)h->tlb[j].addr);
		sim_expect_vs[i].v = NULL;
	}
}

/* No guest may run on another's VS-stage entries under a shared VMID. */
static void vs_owner_check(struct sim_hart *h)
{
	unsigned long vmid = sim_cur_vmid(h);
	uint64_t ctx = guest_ctx(h);

	for (unsigned int i = 0; i < TLB_SIZE; i++) {
		const struct tlb_entry *e = &h->tlb[i];

		if (e->used && e->kind == TLB_VS && e->vmid == vmid &&
		    e->ctx != ctx)
			sim_violation(
				"hart %u, VMID %lu: a guest runs on another guest's VS-stage entry for va 0x%llx",
				(unsigned int)(h - sim_harts), vmid,
				(unsigned long long)e->addr);
	}
}

void sim_entered(struct sim_hart *h)
{
	h->in_guest = true;
	entry_check(h);
	vs_flush_check(h);
	vs_owner_check(h);
}

bool sim_in_guest(unsigned int hart)
{
	return sim_harts[hart].in_guest;
}

/* Whatever the hart translates to must be the running VM's RAM. */
static bool served(struct sim_hart *h, uint64_t gpa, uint64_t to, uint64_t *hpa)
{
	const struct vm *vm = h->hart.current ? h->hart.current->vm : NULL;

	if (!vm || to < vm->ram_hpa || to - vm->ram_hpa >= vm->ram_size)
		sim_violation(
			"hart %u, VMID %lu: gpa 0x%llx reaches host 0x%llx, outside the VM's RAM",
			(unsigned int)(h - sim_harts), sim_cur_vmid(h),
			(unsigned long long)gpa, (unsigned long long)to);
	if (hpa)
		*hpa = to;
	return true;
}

bool sim_access(unsigned int hart, uint64_t gpa, unsigned int tries,
		uint64_t *hpa)
{
	struct sim_hart *h = &sim_harts[hart];

	for (unsigned int t = 0; t < tries && h->in_guest; t++) {
		unsigned long vmid = sim_cur_vmid(h);
		struct tlb_entry *e = tlb_find(h, TLB_G_LEAF, vmid, gpa);
		struct gwalk w;

		if (e)
			return served(h, gpa,
				      e->target + (gpa & (PAGE_SIZE - 1)), hpa);
		if (!tlb_find(h, TLB_G_FAULT, vmid, gpa) &&
		    gwalk(h->csr[CSR_HGATP], gpa, &w)) {
			for (unsigned int i = 0; i < w.ntables; i++)
				tlb_add(h, TLB_G_TABLE, vmid,
					ALIGN_DOWN(gpa, w.span[i]), w.span[i],
					w.table[i]);
			tlb_add(h, TLB_G_LEAF, vmid, ALIGN_DOWN(gpa, PAGE_SIZE),
				PAGE_SIZE, ALIGN_DOWN(w.hpa, PAGE_SIZE));
			return served(h, gpa, w.hpa, hpa);
		}
		/* A hart may keep the failed walk until a fence. */
		if (!tlb_find(h, TLB_G_FAULT, vmid, gpa))
			tlb_add(h, TLB_G_FAULT, vmid,
				ALIGN_DOWN(gpa, PAGE_SIZE), PAGE_SIZE, 0);
		sim_trap(hart, EXC_LOAD_GUEST_PAGE_FAULT, gpa, gpa >> 2, 0);
	}
	return false;
}

/* Count frees of table pages: a cached walk into one is a violation. */
void __real_page_free(void *addr, size_t npages);
void __wrap_page_free(void *addr, size_t npages);
void __wrap_page_free(void *addr, size_t npages)
{
	uintptr_t a = (uintptr_t)addr;

	if (in_pool(a, npages * PAGE_SIZE))
		for (size_t i = 0; i < npages; i++)
			sim_page_gen[(a - (uintptr_t)sim_pool) / PAGE_SIZE +
				     i]++;
	__real_page_free(addr, npages);
}

/*
 * A page handed out again: no hart may still hold a walk into it from
 * before it was freed (it had to be fenced on every hart that ran it).
 */
static void check_reuse(void *p, size_t npages)
{
	uintptr_t a = (uintptr_t)p;

	if (!p || !in_pool(a, npages * PAGE_SIZE))
		return;
	for (unsigned int h = 0; h < sim_nharts; h++)
		for (unsigned int i = 0; i < TLB_SIZE; i++) {
			const struct tlb_entry *e = &sim_harts[h].tlb[i];
			uint64_t page =
				(e->target - (uintptr_t)sim_pool) / PAGE_SIZE;

			if (e->used && e->kind == TLB_G_TABLE &&
			    e->target - a < npages * PAGE_SIZE &&
			    sim_page_gen[page] != e->gen)
				sim_violation(
					"table page 0x%llx reused while hart %u may still walk it (VMID %lu, not fenced since it was freed)",
					(unsigned long long)e->target, h,
					e->vmid);
		}
}

static void *checked(void *p, size_t npages)
{
	check_reuse(p, npages);
	return p;
}

void *__real_page_try_alloc(size_t npages, size_t align);
void *__wrap_page_try_alloc(size_t npages, size_t align);
void *__wrap_page_try_alloc(size_t npages, size_t align)
{
	return checked(__real_page_try_alloc(npages, align), npages);
}

void *__real_page_alloc(size_t npages, size_t align);
void *__wrap_page_alloc(size_t npages, size_t align);
void *__wrap_page_alloc(size_t npages, size_t align)
{
	return checked(__real_page_alloc(npages, align), npages);
}
