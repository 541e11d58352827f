// SPDX-License-Identifier: MIT
/* The simulated harts, their TLB model and L0's host environment: sim.h. */
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
#include "sim.h"

#define MiB (1UL << 20)
#define POOL_SIZE (128 * MiB)
#define POOL_PAGES (POOL_SIZE / PAGE_SIZE)
#define TLB_SIZE 1024
#define TICKS_PER_US 10

enum tlb_kind {
	TLB_G_LEAF,  /* gpa page -> hpa */
	TLB_G_TABLE, /* a non-leaf entry: the table page for a gpa span */
	TLB_G_FAULT, /* a walk that failed */
	TLB_VS,	     /* va page -> gpa, with the ASID */
};

struct tlb_entry {
	bool used;
	enum tlb_kind kind;
	unsigned long vmid, asid;
	uint64_t addr, size; /* what it covers */
	uint64_t target;     /* host page, table page, or gpa */
	uint32_t gen;	     /* the table page's free count when read */
	uint64_t born;	     /* tlb_seq when cached */
	uint64_t ctx;	     /* VS-stage: the guest that made it */
};

struct sim_hart {
	struct hart hart;
	unsigned long csr[4096];
	unsigned int vmidlen;
	struct tlb_entry tlb[TLB_SIZE];
	unsigned int tlb_next;
	bool in_guest;
	jmp_buf *jb;
	uint64_t timer;
	_Alignas(16) uint8_t stack[1024];
};

static struct sim_hart harts[SIM_HARTS];
static unsigned int nharts, cur;
static uint8_t *pool;
static uint32_t page_gen[POOL_PAGES]; /* times each page was freed */
static uint64_t tlb_seq;	      /* orders fills and flush requests */
static unsigned int polls;	      /* timer_now() calls in this trap */
static struct {
	const struct vcpu *v;
	uint64_t seq;
} expect_vs[16]; /* sim_expect_vs_flush() */

uint64_t sim_now;
struct sim_fence sim_fences[SIM_MAX_FENCES];
unsigned int sim_nfences;
unsigned int sim_violations;
char sim_violation_msg[256];
unsigned int sim_ipis_sent[SIM_HARTS];

char trap_vector[4]; /* trap.c names it; nothing jumps there */

static void violation(const char *fmt, ...) L0_PRINTF(1, 2);
static void violation(const char *fmt, ...)
{
	char msg[sizeof(sim_violation_msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "sim: violation: %s\n", msg);
	if (!sim_violations++)
		memcpy(sim_violation_msg, msg, sizeof(msg));
}

/* --- the CSR file --- */

static unsigned long vmid_mask(const struct sim_hart *h)
{
	return (1UL << h->vmidlen) - 1;
}

static unsigned long cur_vmid(const struct sim_hart *h)
{
	return field_get(HGATP_VMID, h->csr[CSR_HGATP]);
}

unsigned long sim_csr_read(unsigned int csr)
{
	if (csr == CSR_TIME)
		return sim_now;
	if (csr == CSR_INSTRET)
		return 0;
	return harts[cur].csr[csr & 0xfff];
}

/* WARL fields as a hart with Sv39x4/Sv48x4, Sv39/Sv48 and VMIDLEN has. */
void sim_csr_write(unsigned int csr, unsigned long val)
{
	struct sim_hart *h = &harts[cur];
	unsigned long mode = field_get(SATP_MODE, val);

	switch (csr) {
	case CSR_HGATP:
		if (mode && mode != 8 && mode != 9)
			return; /* an unsupported MODE: the write is ignored */
		val &= HGATP_MODE | HGATP_VMID | HGATP_PPN;
		val = field_set(HGATP_VMID, val,
				field_get(HGATP_VMID, val) & vmid_mask(h));
		break;
	case CSR_VSATP:
		if (mode && mode != 8 && mode != 9)
			return;
		break;
	case CSR_HVIP:
		val &= HVIP_VSSIP | HVIP_VSTIP | HVIP_VSEIP;
		break;
	default:
		break;
	}
	h->csr[csr & 0xfff] = val;
}

unsigned long sim_csr_swap(unsigned int csr, unsigned long val)
{
	unsigned long old = sim_csr_read(csr);

	sim_csr_write(csr, val);
	return old;
}

void sim_csr_set(unsigned int csr, unsigned long bits)
{
	sim_csr_write(csr, sim_csr_read(csr) | bits);
}

void sim_csr_clear(unsigned int csr, unsigned long bits)
{
	sim_csr_write(csr, sim_csr_read(csr) & ~bits);
}

unsigned long sim_hart_csr(unsigned int hart, unsigned int csr)
{
	return harts[hart].csr[csr];
}

void sim_set_hart_csr(unsigned int hart, unsigned int csr, unsigned long v)
{
	unsigned int saved = cur;

	cur = hart;
	sim_csr_write(csr, v);
	cur = saved;
}

struct hart *sim_this_hart(void)
{
	return &harts[cur].hart;
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
	uint64_t page = (target - (uintptr_t)pool) / PAGE_SIZE;

	/* Dropping an entry to make room is always allowed. */
	*e = (struct tlb_entry){ .used = true,
				 .kind = kind,
				 .vmid = vmid,
				 .addr = addr,
				 .size = size,
				 .target = target,
				 .born = ++tlb_seq };
	if (kind == TLB_G_TABLE)
		e->gen = page_gen[page];
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
			(struct sim_fence){ cur, kind, vmid, gpa };
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
	struct sim_hart *h = &harts[cur];

	vmid &= vmid_mask(h);
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
	struct sim_hart *h = &harts[cur];
	unsigned long vmid = cur_vmid(h);

	log_fence(SIM_FENCE_VVMA, vmid, 0);
	for (unsigned int i = 0; i < TLB_SIZE; i++)
		if (h->tlb[i].kind == TLB_VS && h->tlb[i].vmid == vmid)
			h->tlb[i].used = false;
}

void sim_guest_sfence(unsigned int hart)
{
	unsigned int saved = cur;

	cur = hart;
	sim_hfence_vvma();
	cur = saved;
}

void sim_fence_i(void)
{
	log_fence(SIM_FENCE_I, 0, 0);
}

void sim_tlb_fill_vs(unsigned int hart, uint64_t va, uint64_t gpa)
{
	struct sim_hart *h = &harts[hart];

	tlb_add(h, TLB_VS, cur_vmid(h), ALIGN_DOWN(va, PAGE_SIZE), PAGE_SIZE,
		ALIGN_DOWN(gpa, PAGE_SIZE));
}

bool sim_tlb_has_vs(unsigned int hart, unsigned long vmid, uint64_t va)
{
	return tlb_find(&harts[hart], TLB_VS, vmid, va) != NULL;
}

unsigned int sim_tlb_count(unsigned int hart, unsigned long vmid)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < TLB_SIZE; i++)
		n += harts[hart].tlb[i].used && harts[hart].tlb[i].vmid == vmid;
	return n;
}

/* Page table memory is L0's: anything else is a walk the sim refuses. */
static bool in_pool(uint64_t pa, uint64_t size)
{
	return pa >= (uintptr_t)pool &&
	       pa - (uintptr_t)pool <= POOL_SIZE - size;
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
	unsigned long hgatp = h->csr[CSR_HGATP], vmid = cur_vmid(h);
	unsigned int hart = (unsigned int)(h - harts);
	struct gwalk w;

	for (unsigned int i = 0; i < TLB_SIZE; i++) {
		struct tlb_entry *e = &h->tlb[i];
		uint64_t page = (e->target - (uintptr_t)pool) / PAGE_SIZE;

		if (!e->used || e->vmid != vmid)
			continue;
		if (e->kind == TLB_G_TABLE && page_gen[page] != e->gen)
			violation(
				"hart %u, VMID %lu: a cached walk for gpa 0x%llx uses table page 0x%llx, freed since",
				hart, vmid, (unsigned long long)e->addr,
				(unsigned long long)e->target);
		if (e->kind == TLB_G_LEAF &&
		    (!gwalk(hgatp, e->addr, &w) ||
		     ALIGN_DOWN(w.hpa, PAGE_SIZE) != e->target))
			violation(
				"hart %u, VMID %lu: a cached translation of gpa 0x%llx to 0x%llx that the table no longer has",
				hart, vmid, (unsigned long long)e->addr,
				(unsigned long long)e->target);
	}
}

void sim_expect_vs_flush(const struct vcpu *v)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(expect_vs); i++)
		if (!expect_vs[i].v || expect_vs[i].v == v) {
			expect_vs[i].v = v;
			expect_vs[i].seq = ++tlb_seq;
			return;
		}
}

/* The vCPU runs L1 (the VM's VMID) again: its VS-stage flush is due. */
static void vs_flush_check(struct sim_hart *h)
{
	unsigned long vmid = cur_vmid(h);

	for (unsigned int i = 0; i < ARRAY_SIZE(expect_vs); i++) {
		const struct vcpu *v = expect_vs[i].v;

		if (!v || v != h->hart.current ||
		    vmid != (v->vm->gstage.vmid & vmid_mask(h)))
			continue;
		for (unsigned int j = 0; j < TLB_SIZE; j++)
			if (h->tlb[j].used && h->tlb[j].kind == TLB_VS &&
			    h->tlb[j].vmid == vmid &&
			    h->tlb[j].born < expect_vs[i].seq)
				violation(
					"hart %u, VMID %lu: L1's VS-stage entry for va 0x%llx survived its remote SFENCE.VMA",
					(unsigned int)(h - harts), vmid,
					(unsigned long long)h->tlb[j].addr);
		expect_vs[i].v = NULL;
	}
}

/* No guest may run on another's VS-stage entries under a shared VMID. */
static void vs_owner_check(struct sim_hart *h)
{
	unsigned long vmid = cur_vmid(h);
	uint64_t ctx = guest_ctx(h);

	for (unsigned int i = 0; i < TLB_SIZE; i++) {
		const struct tlb_entry *e = &h->tlb[i];

		if (e->used && e->kind == TLB_VS && e->vmid == vmid &&
		    e->ctx != ctx)
			violation(
				"hart %u, VMID %lu: a guest runs on another guest's VS-stage entry for va 0x%llx",
				(unsigned int)(h - harts), vmid,
				(unsigned long long)e->addr);
	}
}

static void entered(struct sim_hart *h)
{
	h->in_guest = true;
	entry_check(h);
	vs_flush_check(h);
	vs_owner_check(h);
}

bool sim_in_guest(unsigned int hart)
{
	return harts[hart].in_guest;
}

/* Whatever the hart translates to must be the running VM's RAM. */
static bool served(struct sim_hart *h, uint64_t gpa, uint64_t to, uint64_t *hpa)
{
	const struct vm *vm = h->hart.current ? h->hart.current->vm : NULL;

	if (!vm || to < vm->ram_hpa || to - vm->ram_hpa >= vm->ram_size)
		violation(
			"hart %u, VMID %lu: gpa 0x%llx reaches host 0x%llx, outside the VM's RAM",
			(unsigned int)(h - harts), cur_vmid(h),
			(unsigned long long)gpa, (unsigned long long)to);
	if (hpa)
		*hpa = to;
	return true;
}

bool sim_access(unsigned int hart, uint64_t gpa, unsigned int tries,
		uint64_t *hpa)
{
	struct sim_hart *h = &harts[hart];

	for (unsigned int t = 0; t < tries && h->in_guest; t++) {
		unsigned long vmid = cur_vmid(h);
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
			page_gen[(a - (uintptr_t)pool) / PAGE_SIZE + i]++;
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
	for (unsigned int h = 0; h < nharts; h++)
		for (unsigned int i = 0; i < TLB_SIZE; i++) {
			const struct tlb_entry *e = &harts[h].tlb[i];
			uint64_t page =
				(e->target - (uintptr_t)pool) / PAGE_SIZE;

			if (e->used && e->kind == TLB_G_TABLE &&
			    e->target - a < npages * PAGE_SIZE &&
			    page_gen[page] != e->gen)
				violation(
					"table page 0x%llx reused while hart %u may still walk it (VMID %lu, not fenced since it was freed)",
					(unsigned long long)e->target, h,
					e->vmid);
		}
}

void *__real_page_try_alloc(size_t npages, size_t align);
void *__wrap_page_try_alloc(size_t npages, size_t align);
void *__wrap_page_try_alloc(size_t npages, size_t align)
{
	void *p = __real_page_try_alloc(npages, align);

	check_reuse(p, npages);
	return p;
}

void *__real_page_alloc(size_t npages, size_t align);
void *__wrap_page_alloc(size_t npages, size_t align);
void *__wrap_page_alloc(size_t npages, size_t align)
{
	void *p = __real_page_alloc(npages, align);

	check_reuse(p, npages);
	return p;
}

static void interrupt(unsigned int hart, unsigned int irq);

/* --- running L0 on a hart --- */

static struct trap_frame *frame_of(struct sim_hart *h)
{
	return (struct trap_frame *)(h->hart.stack_top -
				     sizeof(struct trap_frame));
}

struct trap_frame *sim_frame(unsigned int hart)
{
	return frame_of(&harts[hart]);
}

struct vcpu *sim_current(unsigned int hart)
{
	return harts[hart].hart.current;
}

void guest_enter(struct trap_frame *frame)
{
	struct sim_hart *h = &harts[cur];

	if (frame != frame_of(h))
		violation("guest_enter with a frame not at the stack top");
	entered(h);
	longjmp(*h->jb, 1);
}

void sim_wfi(void)
{
	struct sim_hart *h = &harts[cur];

	h->in_guest = false;
	longjmp(*h->jb, 2);
}

/* Run the hart's scheduler until it enters a guest or idles. */
static void run_sched(unsigned int hart)
{
	struct sim_hart *h = &harts[hart];
	jmp_buf jb;

	cur = hart;
	h->jb = &jb;
	h->in_guest = false;
	polls = 0;
	if (!setjmp(jb))
		sched_run();
	h->jb = NULL;
}

static void set_cause(struct sim_hart *h, unsigned long scause,
		      unsigned long stval, unsigned long htval,
		      unsigned long htinst)
{
	struct trap_frame *tf = frame_of(h);

	polls = 0;
	tf->scause = scause;
	tf->stval = stval;
	tf->htval = htval;
	tf->htinst = htinst;
	h->in_guest = false;
}

void sim_trap(unsigned int hart, unsigned long scause, unsigned long stval,
	      unsigned long htval, unsigned long htinst)
{
	struct sim_hart *h = &harts[hart];
	jmp_buf jb;

	if (!h->in_guest)
		return; /* nothing runs there to trap */
	set_cause(h, scause, stval, htval, htinst);
	cur = hart;
	h->jb = &jb;
	if (!setjmp(jb)) {
		trap_handle(frame_of(h));
		entered(h); /* sret back into the same guest */
	}
	h->jb = NULL;
}

void sim_trap_handle_only(unsigned int hart, unsigned long scause,
			  unsigned long stval)
{
	struct sim_hart *h = &harts[hart];

	if (!h->in_guest)
		return;
	set_cause(h, scause, stval, 0, 0);
	cur = hart;
	vm_count_trap(scause);
	vcpu_handle_trap(frame_of(h));
}

void sim_trap_finish(unsigned int hart)
{
	struct sim_hart *h = &harts[hart];
	jmp_buf jb;

	cur = hart;
	h->jb = &jb;
	if (!setjmp(jb)) {
		sched_after_trap(frame_of(h));
		entered(h);
	}
	h->jb = NULL;
}

/* An interrupt: into L0 from the guest, or waking the idle hart. */
static void interrupt(unsigned int hart, unsigned int irq)
{
	struct sim_hart *h = &harts[hart];
	struct trap_frame tf = { .scause = SCAUSE_INTERRUPT | irq };
	jmp_buf jb;

	if (h->in_guest) {
		sim_trap(hart, SCAUSE_INTERRUPT | irq, 0, 0, 0);
		return;
	}
	cur = hart;
	h->jb = &jb;
	polls = 0;
	if (!setjmp(jb)) {
		trap_handle(&tf); /* from HS-mode: hstatus.SPV = 0 */
		sched_run();
	}
	h->jb = NULL;
}

void sim_deliver(void)
{
	for (unsigned int round = 0; round < 16; round++) {
		bool any = false;

		for (unsigned int i = 0; i < nharts; i++) {
			struct sim_hart *h = &harts[i];

			if (h->csr[CSR_SIP] & BIT(IRQ_S_SOFT)) {
				interrupt(i, IRQ_S_SOFT);
				any = true;
			}
			if (sim_now >= h->timer) {
				interrupt(i, IRQ_S_TIMER);
				any = true;
			}
		}
		if (!any)
			return;
	}
	violation("interrupts keep coming after 16 rounds");
}

long sim_sbi(unsigned int hart, unsigned long ext, unsigned long fid,
	     unsigned long a0, unsigned long a1, unsigned long a2,
	     unsigned long *value)
{
	struct trap_frame *tf = frame_of(&harts[hart]);
	struct vcpu *v = sim_current(hart);

	tf->regs[17] = ext;
	tf->regs[16] = fid;
	tf->regs[10] = a0;
	tf->regs[11] = a1;
	tf->regs[12] = a2;
	sim_trap(hart, EXC_ECALL_VS, 0, 0, 0);
	if (sim_current(hart) != v)
		tf = &v->regs;
	if (value)
		*value = tf->regs[11];
	return (long)tf->regs[10];
}

void sim_l1_insn(unsigned int hart, uint32_t insn, unsigned long rs1val,
		 unsigned long rs2val)
{
	struct trap_frame *tf = frame_of(&harts[hart]);

	tf->regs[5] = rs1val;
	tf->regs[6] = rs2val;
	sim_trap(hart, EXC_VIRTUAL_INST, insn, 0, 0);
}

void sim_l1_csrw(unsigned int hart, unsigned int csr, unsigned long val)
{
	/* csrrw x0, csr, t0 */
	sim_l1_insn(hart, (csr << 20) | (5u << 15) | (1u << 12) | 0x73u, val,
		    0);
}

void sim_l1_sret(unsigned int hart)
{
	sim_l1_insn(hart, 0x10200073u, 0, 0);
}

long sim_hart_start(unsigned int hart, unsigned int vcpu)
{
	long err = sim_sbi(hart, SBI_EXT_HSM, SIM_HSM_START, vcpu,
			   GUEST_RAM_BASE + GUEST_KERNEL_OFFSET, 0, NULL);

	sim_deliver();
	return err;
}

void sim_l1_enter_l2(unsigned int hart, unsigned long hgatp)
{
	sim_l1_csrw(hart, 0x680, hgatp);		      /* hgatp */
	sim_l1_csrw(hart, 0x600, HSTATUS_SPV | HSTATUS_SPVP); /* hstatus */
	sim_l1_sret(hart);
}

void sim_l2_exit(unsigned int hart)
{
	sim_trap(hart, EXC_ECALL_VS, 0, 0, 0);
}

/* --- L0's host environment: harts, timer, IPIs, firmware --- */

unsigned int hart_count(void)
{
	return nharts;
}

unsigned int harts_online(void)
{
	return nharts;
}

struct hart *hart_by_index(unsigned int index)
{
	return index < nharts ? &harts[index].hart : NULL;
}

void ipi_send(unsigned int to, enum ipi_msg msg)
{
	__atomic_or_fetch(&harts[to].hart.ipi_pending, BIT(msg),
			  __ATOMIC_RELEASE);
	harts[to].csr[CSR_SIP] |= BIT(IRQ_S_SOFT);
	sim_ipis_sent[to]++;
}

/* What core/smp.c's handlers do (the sim has its own hart table). */
static void ipi_handler(void)
{
	csr_clear(CSR_SIP, BIT(IRQ_S_SOFT));
	__atomic_exchange_n(&this_hart()->ipi_pending, 0, __ATOMIC_ACQ_REL);
}

static void timer_handler(void)
{
	timer_cancel();
	this_hart()->timer_armed = ~0ULL;
}

/*
 * Time stands still within a trap, unless L0 polls it in a loop (waiting for
 * other harts, as vm_finish_reboot() does): then it passes, and the other
 * harts take their pending IPIs meanwhile, as they would in parallel.
 */
uint64_t timer_now(void)
{
	static bool polling;
	unsigned int saved = cur;

	if (++polls < 1000 || polling)
		return sim_now;
	sim_now += TICKS_PER_US;
	polling = true;
	for (unsigned int i = 0; i < nharts; i++)
		if (i != saved && (harts[i].csr[CSR_SIP] & BIT(IRQ_S_SOFT)))
			interrupt(i, IRQ_S_SOFT);
	cur = saved;
	polling = false;
	return sim_now;
}

uint64_t timer_us_to_ticks(uint64_t us)
{
	return us * TICKS_PER_US;
}

uint64_t timer_ticks_to_ns(uint64_t ticks)
{
	return ticks * 1000 / TICKS_PER_US;
}

void timer_set(uint64_t when)
{
	harts[cur].timer = when;
}

void timer_cancel(void)
{
	harts[cur].timer = ~0ULL;
}

long sbi_hart_stop(void)
{
	return 0;
}

/* The firmware's remote HFENCE.GVMA of everything: each hart fences. */
long sbi_remote_hfence_gvma_all(void)
{
	unsigned int self = cur;

	for (cur = 0; cur < nharts; cur++)
		sim_hfence_gvma(0, 0, SIM_GVMA_ALL);
	cur = self;
	return 0;
}

void sbi_system_shutdown(void)
{
	violation("L0 powered the machine off");
	abort();
}

void fp_save(unsigned long *regs)
{
	(void)regs;
}

void fp_restore(const unsigned long *regs)
{
	(void)regs;
}

unsigned long guest_load_insn_half(unsigned long va, uint16_t *out)
{
	(void)va;
	*out = 0;
	return EXC_INST_ACCESS; /* tests give htinst when they need decoding */
}

/*
 * Guest RAM is the pool's memory. A plain memset: the pool stays resident
 * across fuzz inputs, and dropping the pages instead (madvise) cost each
 * input a TLB shootdown and a page fault per page touched again.
 */
void zero_range(void *p, size_t len)
{
	memset(p, 0, len);
}

void console_stream_char(const void *owner, const char *prefix, char c)
{
	(void)owner;
	(void)prefix;
	(void)c;
}

/* --- setting up --- */

void sim_init(unsigned int n, bool sstc)
{
	static void *map;
	struct mem_range r;

	if (!map) {
		map = mmap(NULL, POOL_SIZE + 2 * MiB, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED)
			abort();
		pool = (uint8_t *)ALIGN_UP((uintptr_t)map, 2 * MiB);
	}
	/* A fresh machine: every page free, no VM, nothing cached. */
	r = (struct mem_range){ (uintptr_t)pool, POOL_SIZE };
	page_alloc_init(&r, 1);
	memset(page_gen, 0, sizeof(page_gen));
	sim_forget_vms();
	sim_now = 0;
	sim_nfences = 0;
	sim_violations = 0;
	memset(sim_ipis_sent, 0, sizeof(sim_ipis_sent));
	memset(expect_vs, 0, sizeof(expect_vs));
	tlb_seq = 0;
	nharts = n;
	for (unsigned int i = 0; i < n; i++) {
		struct sim_hart *h = &harts[i];

		memset(h, 0, sizeof(*h));
		h->hart.index = i;
		h->hart.hartid = i;
		h->hart.online = true;
		h->hart.isa = ISA_BIT(ISA_H) | (sstc ? ISA_BIT(ISA_SSTC) : 0);
		h->hart.stack_top = (uintptr_t)h->stack + sizeof(h->stack);
		h->hart.timer_armed = ~0ULL;
		h->vmidlen = 14;
		h->timer = ~0ULL;
	}
	trap_set_irq_handler(IRQ_S_SOFT, ipi_handler);
	trap_set_irq_handler(IRQ_S_TIMER, timer_handler);
	cur = 0;
}

void sim_set_vmidlen(unsigned int hart, unsigned int bits)
{
	harts[hart].vmidlen = bits;
}

struct vm_config sim_vm_config(const char *name, unsigned int vcpus,
			       uint64_t hart_mask, bool nested)
{
	struct vm_config c = {
		.memory = 8 * MiB,
		.hart_mask = hart_mask,
		.kernel = "Image",
		.vcpus = vcpus,
		.nested = nested,
		.nested_hgatp_max = 9,
	};

	snprintf(c.name, sizeof(c.name), "%s", name);
	return c;
}

/* A "newc" cpio entry (cpio.c's format): header, name, data, padded. */
static size_t cpio_entry(uint8_t *out, const char *name, size_t size)
{
	size_t namesize = strlen(name) + 1, n;

	n = (size_t)sprintf(
		(char *)out,
		"070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
		1, size ? 0100644 : 0, 0, 0, 1, 0, size, 0, 0, 0, 0, namesize,
		0);
	memcpy(out + n, name, namesize);
	n = ALIGN_UP(n + namesize, 4);
	memset(out + n, 0, size);
	return ALIGN_UP(n + size, 4);
}

unsigned int sim_boot(const struct vm_config *cfg, unsigned int n)
{
	static uint8_t archive[16384];
	static struct vm_config cfgs[VM_MAX]; /* VMs keep pointing at theirs */
	/* A host with no devices to pass through: guests get 31 sources. */
	static const struct platform plat;
	static const struct vm_host host = { .fdt = NULL, .plat = &plat };
	size_t len = cpio_entry(archive, "Image", 4096);
	unsigned int made;

	len += cpio_entry(archive + len, "TRAILER!!!", 0);
	memcpy(cfgs, cfg, n * sizeof(*cfg));
	cur = 0;
	made = vm_create_all(cfgs, n, archive, len, &host);
	for (unsigned int i = 0; i < nharts; i++)
		run_sched(i);
	return made;
}

struct vm *sim_boot_shared_hart(void)
{
	struct vm_config c[] = {
		sim_vm_config("a", 2, 3, false), /* vCPU 0 on hart 0, 1 on 1 */
		sim_vm_config("b", 1, 2, false), /* shares hart 1 */
	};

	sim_init(2, true);
	if (sim_boot(c, 2) != 2 || sim_hart_start(0, 1))
		return NULL;
	return vm_by_index(0);
}

/* --- L1's own G-stage table, in its RAM --- */

void sim_l1_gstage_map(struct vm *vm, uint64_t root, uint64_t l2_gpa,
		       uint64_t l1_gpa)
{
	uint64_t *r = vm_ram_ptr(vm, root, 0x6000);
	uint64_t *t1 = r + 0x4000 / 8, *t0 = r + 0x5000 / 8;

	r[(l2_gpa >> 30) & 0x7ff] =
		field_prep(PTE_PPN, (root + 0x4000) >> 12) | PTE_V;
	t1[(l2_gpa >> 21) & 0x1ff] =
		field_prep(PTE_PPN, (root + 0x5000) >> 12) | PTE_V;
	t0[(l2_gpa >> 12) & 0x1ff] = field_prep(PTE_PPN, l1_gpa >> 12) | PTE_V |
				     PTE_R | PTE_W | PTE_X | PTE_U | PTE_A |
				     PTE_D;
}

unsigned long sim_l1_hgatp(uint64_t root, unsigned long vmid)
{
	return field_prep(HGATP_MODE, 8) | field_prep(HGATP_VMID, vmid) |
	       field_prep(HGATP_PPN, root >> 12);
}
