// SPDX-License-Identifier: MIT
/*
 * The shadow G-stage. While L2 runs under L1's G-stage table (L2 GPA -> L1
 * GPA), the hart walks a table of L0's that composes it with L0's own stage
 * for L1 (L1 GPA -> host PA, which is RWX RAM, so the permissions are the
 * leaf's of L1's table). A shadow is a TLB of one L1 table, filled from L2's
 * guest-page faults: with a 2 MiB page where L1's leaf is at least that big
 * (L0 backs L1's RAM with one 2 MiB aligned block), else with 4 KiB.
 *
 * Each vCPU keeps SHADOW_SLOTS shadows, one per L1 VMID (the slot is the
 * VMID modulo SHADOW_SLOTS), each under an L0 VMID of its own: entering or
 * leaving L2 writes hgatp, which fences only on a hart with fewer VMIDs
 * than L0 has address spaces (arch/vmid.h). L1's HFENCE.GVMA empties what
 * it names; a slot another L1 table needs is emptied first. The vCPU's
 * shadows hold at most shadow_cap table pages: at the cap, the other slots
 * are emptied, then the one in use. So a guest's page tables never cost L0
 * more than the cap, however they are made.
 *
 * Each shadow also caches, per 2 MiB region of L2's GPA space, the level-0
 * table that L1's non-leaf entries lead to: a fault there reads only the
 * leaf, and its fill-around maps the neighbours from that table, into the
 * shadow's own level-0 table there, which the cache keeps too.
 */
#include <string.h>

#include <arch/csr.h>
#include <arch/tlb.h>
#include <l0/mmio.h>
#include <l0/page_alloc.h>
#include <l0/hot.h>

#include "state.h"

#define HGATP_KEY (HGATP_MODE | HGATP_VMID | HGATP_PPN)
#define HUGE_SIZE (2UL << 20)
#define AROUND_PAGES 16UL
#define PTES_PER_TABLE 512UL

L0_HOT static bool read_l1(void *vm, uint64_t addr, uint64_t *pte)
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

/*
 * The walk cache: L1's non-leaf entries, as a hart's walk cache may keep
 * them, until an HFENCE.GVMA of L1's covers them. The privileged spec lets
 * an address fence keep non-leaf entries ("Supervisor Memory-Management
 * Fence Instruction": with rs1 != x0 it "orders only reads and writes made
 * to leaf page table entries"; HFENCE.GVMA is its G-stage analogue); this
 * drops the region's entry on one anyway, as L1's KVM fences by address
 * what it unmaps under a table it removes. A fence of all addresses (of a
 * VMID or all) empties the shadow, and the cache with it (shadow_clear()).
 */
static struct shadow_walk_cache *walk_cache_of(struct shadow *s, uint64_t gpa)
{
	return &s->walks[(gpa / HUGE_SIZE) % SHADOW_WALK_CACHE];
}

static uint64_t walk_cache_key(uint64_t gpa)
{
	return ALIGN_DOWN(gpa, HUGE_SIZE) | 1;
}

/*
 * walk_l1() where the cache misses: the whole walk, then the cache entry
 * of gpa's region. Out of line, so that the common case, a hit, saves no
 * registers for it.
 */
__attribute__((noinline)) static enum walk_result
walk_l1_miss(struct nested_vcpu *n, struct shadow *s, uint64_t gpa,
	     enum walk_access acc, struct walk *w, const uint64_t **ptes)
{
	struct shadow_walk_cache *c = walk_cache_of(s, gpa);
	enum walk_result res;

	res = nested_gstage_walk(s->of, gpa, acc, read_l1, n->vm, w);
	if (res != WALK_OK || w->page_size != PAGE_SIZE)
		return res;
	*ptes = vm_ram_ptr(n->vm, ALIGN_DOWN(w->pte_addr, PAGE_SIZE),
			   PAGE_SIZE);
	if (*ptes) {
		c->key = walk_cache_key(gpa);
		c->table = ALIGN_DOWN(w->pte_addr, PAGE_SIZE);
		c->ptes = *ptes;
		c->shadow = NULL;
	}
	return res;
}

/*
 * Walk L1's table of `s` for `gpa`, from the cached level-0 table when the
 * cache has gpa's region. With a 4 KiB leaf, `*ptes` is L0's pointer to
 * L1's table of it, else NULL.
 */
L0_HOT static enum walk_result walk_l1(struct nested_vcpu *n, struct shadow *s,
				       uint64_t gpa, enum walk_access acc,
				       struct walk *w, const uint64_t **ptes)
{
	struct shadow_walk_cache *c = walk_cache_of(s, gpa);
	uint64_t index = (gpa >> PAGE_SHIFT) % PTES_PER_TABLE;
	enum walk_result res;

	*ptes = NULL;
	if (c->key != walk_cache_key(gpa))
		return walk_l1_miss(n, s, gpa, acc, w, ptes);
	n->stats.walk_hits++;
	res = nested_gstage_walk_last(
		__atomic_load_n(&c->ptes[index], __ATOMIC_RELAXED),
		c->table + index * 8, gpa, acc, w);
	if (res == WALK_OK)
		*ptes = c->ptes;
	return res;
}

/*
 * The run of the fill-around group at `base` in the shadow's level-0 table,
 * which the walk cache keeps for the group's region (walked by walk_l1()
 * just before) as long as the shadow freed no table: no walk of the shadow
 * then. False when the table is not there.
 */
L0_HOT static bool shadow_run(struct shadow *s, uint64_t base,
			      struct gstage_run *run)
{
	struct shadow_walk_cache *c = walk_cache_of(s, base);

	if (c->key == walk_cache_key(base) && c->shadow &&
	    c->frees == s->g.frees) {
		gstage_run_again(c->shadow, base, AROUND_PAGES, run);
		return true;
	}
	if (!gstage_run_at(&s->g, base, AROUND_PAGES, run))
		return false;
	if (c->key == walk_cache_key(base)) {
		c->shadow = gstage_run_table(run, base);
		c->frees = s->g.frees;
	}
	return true;
}

static void walk_cache_drop(struct shadow *s, uint64_t gpa)
{
	struct shadow_walk_cache *c = walk_cache_of(s, gpa);

	if (c->key == walk_cache_key(gpa))
		c->key = 0;
}

unsigned long nested_bare_vmid(const struct nested_vcpu *n)
{
	return n->vmid_base + SHADOW_SLOTS;
}

uint64_t nested_bare_hgatp(const struct nested_vcpu *n)
{
	return field_set(HGATP_VMID, gstage_hgatp(&n->vm->gstage),
			 nested_bare_vmid(n));
}

static unsigned long slot_vmid(const struct nested_vcpu *n,
			       const struct shadow *s)
{
	return n->vmid_base + (unsigned long)(s - n->shadows);
}

/* Drop every entry of `s` (keeping its root) and what the hart caches. */
static void shadow_clear(struct nested_vcpu *n, struct shadow *s)
{
	size_t before = s->g.tables;

	memset(s->walks, 0, sizeof(s->walks));
	s->leaf_max = PAGE_SIZE;
	if (!s->g.root)
		return;
	gstage_unmap(&s->g, 0, gstage_gpa_limit(s->g.mode));
	n->shadow_tables -= before - s->g.tables;
	hfence_gvma_vmid(slot_vmid(n, s));
}

static void shadow_free(struct nested_vcpu *n, struct shadow *s)
{
	memset(s->walks, 0, sizeof(s->walks));
	n->shadow_tables -= s->g.tables;
	gstage_destroy(&s->g);
	hfence_gvma_vmid(slot_vmid(n, s));
}

void nested_shadow_reset(struct nested_vcpu *n)
{
	for (unsigned int i = 0; i < SHADOW_SLOTS; i++) {
		shadow_clear(n, &n->shadows[i]);
		n->shadows[i].of = SHADOW_NONE;
	}
	n->shadow = NULL;
	n->bare_of = SHADOW_NONE;
	hfence_gvma_vmid(nested_bare_vmid(n));
}

/*
 * A host VMID that passes to another L1 VMID (a slot, or the Bare one)
 * keeps the old owner's guest-virtual translations: HFENCE.GVMA "need not
 * flush" them (privileged spec, "Hypervisor Memory-Management Fence
 * Instructions"), and L1 fences nothing between VMIDs it keeps apart.
 */
static void new_owner(struct nested_vcpu *n, uint64_t hgatp)
{
	n->stats.fences_switch++;
	hfence_vvma_of(hgatp);
}

void nested_bare_enter(struct nested_vcpu *n)
{
	uint64_t of = field_get(HGATP_VMID, n->csrs.hgatp);

	if (n->bare_of == of)
		return;
	new_owner(n, nested_bare_hgatp(n));
	n->bare_of = of;
}

void nested_shadow_free_all(struct nested_vcpu *n)
{
	for (unsigned int i = 0; i < SHADOW_SLOTS; i++) {
		shadow_free(n, &n->shadows[i]);
		n->shadows[i].of = SHADOW_NONE;
	}
	n->shadow = NULL;
}

/* Make `s` an empty shadow of L1's table `of`. */
static int shadow_assign(struct nested_vcpu *n, struct shadow *s, uint64_t of,
			 bool mxr)
{
	enum gstage_mode mode = field_get(HGATP_MODE, of);

	n->stats.fences_switch++;
	if (s->g.root && s->g.mode != mode)
		shadow_free(n, s);
	if (s->g.root) {
		shadow_clear(n, s);
	} else {
		if (gstage_init(&s->g, mode, (uint16_t)slot_vmid(n, s)))
			return -1;
		n->shadow_tables += s->g.tables;
		hfence_gvma_vmid(slot_vmid(n, s));
	}
	new_owner(n, gstage_hgatp(&s->g));
	s->of = of;
	s->mxr = mxr;
	s->leaf_max = PAGE_SIZE;
	return 0;
}

L0_HOT int nested_shadow_enter(struct nested_vcpu *n, bool mxr, uint64_t *hgatp)
{
	uint64_t of = n->csrs.hgatp & HGATP_KEY;
	struct shadow *s =
		&n->shadows[field_get(HGATP_VMID, of) % SHADOW_SLOTS];

	/* A stale occupant, or permissions filled under the other MXR. */
	if ((s->of != of || s->mxr != mxr) && shadow_assign(n, s, of, mxr))
		return -1;
	n->shadow = s;
	*hgatp = gstage_hgatp(&s->g);
	return 0;
}

/* At the cap: empty the other shadows, and `s` too if that is not enough. */
static void reclaim(struct nested_vcpu *n, struct shadow *s)
{
	n->stats.reclaims++;
	for (unsigned int i = 0; i < SHADOW_SLOTS; i++) {
		if (&n->shadows[i] == s)
			continue;
		shadow_clear(n, &n->shadows[i]);
		n->shadows[i].of = SHADOW_NONE;
	}
	if (n->shadow_tables >= n->shadow_cap)
		shadow_clear(n, s);
}

/*
 * Whether [hpa, hpa + size) is the VM's RAM. Every host address a shadow
 * maps comes from vm_ram_ptr(), so this is a debug check, cheap enough to
 * keep: a failure stops the VM with "L0 bug", which the tests look for.
 */
L0_HOT static bool in_vm_ram(struct nested_vcpu *n, uint64_t hpa, uint64_t size)
{
	const struct vm *vm = n->vm;

	if (hpa >= vm->ram_hpa && hpa - vm->ram_hpa <= vm->ram_size - size)
		return true;
	vm_stop(n->vm, "L0 bug: a shadow entry outside the VM's RAM");
	return false;
}

L0_HOT static int shadow_map(struct nested_vcpu *n, struct shadow *s,
			     uint64_t gpa, uint64_t hpa, uint64_t size,
			     unsigned int prot)
{
	size_t before = s->g.tables;
	int rc;

	if (!in_vm_ram(n, hpa, size))
		return -1;
	rc = gstage_map(&s->g, gpa, hpa, size, prot);

	n->shadow_tables += s->g.tables - before;
	return rc;
}

/*
 * htinst's pseudoinstructions for a G-stage fault of an implicit access made
 * to walk the VS-stage table (privileged spec, "Transformed Instruction or
 * Pseudoinstruction for mtinst or htinst"): bit 12 is the size, bit 5 a
 * write (an A/D update).
 */
#define HTINST_PSEUDO_MASK (~(BIT(12) | BIT(5)))
#define HTINST_PSEUDO_PTE 0x2000UL

/*
 * What the faulting access is, for L1's table. A VS-stage PTE read is a
 * load whatever the instruction was: the fault keeps the instruction's
 * cause, the permission check is a read's.
 */
L0_HOT static enum walk_access access_of(const struct trap_frame *tf, bool mxr)
{
	unsigned long cause = tf->scause;

	if ((tf->htinst & HTINST_PSEUDO_MASK) == HTINST_PSEUDO_PTE)
		cause = tf->htinst & BIT(5) ? EXC_STORE_GUEST_PAGE_FAULT
					    : EXC_LOAD_GUEST_PAGE_FAULT;
	switch (cause) {
	case EXC_INST_GUEST_PAGE_FAULT:
		return WALK_FETCH;
	case EXC_LOAD_GUEST_PAGE_FAULT:
		/* HS-level MXR makes G-stage execute-only pages readable too. */
		return mxr ? WALK_LOAD_MXR : WALK_LOAD;
	default:
		return WALK_STORE;
	}
}

/* The shadow's permissions for L1's leaf (walk.h: W only when D is set). */
L0_HOT static unsigned int shadow_prot(unsigned int walk_prot, bool mxr)
{
	return (walk_prot & WALK_R || (mxr && walk_prot & WALK_X) ? GSTAGE_R
								  : 0) |
	       (walk_prot & WALK_W ? GSTAGE_W : 0) |
	       (walk_prot & WALK_X ? GSTAGE_X : 0);
}

/*
 * After L2's fault at `gpa` is mapped (`size` bytes around it): the hart
 * may keep its walk that faulted; fence it (privileged spec, "Hypervisor
 * Memory-Management Fence Instructions"), the whole VMID when the map freed
 * a table, where the walk may have gone. An address fence covers only the
 * address it names: the fault's, not the huge page's base.
 */
L0_HOT static void shadow_filled(struct nested_vcpu *n, struct shadow *s,
				 uint64_t gpa, uint64_t size,
				 const struct walk *w, bool freed)
{
	if (freed)
		hfence_gvma_vmid(slot_vmid(n, s));
	else
		hfence_gvma_gpa(gpa, slot_vmid(n, s));
	if (w->page_size > s->leaf_max)
		s->leaf_max = w->page_size;
	n->filled = true;
	if (size == PAGE_SIZE)
		n->stats.fills_small++;
	else
		n->stats.fills_huge++;
}

/*
 * Map the `size` bytes around L2's `gpa` to host `hpa`, at whatever it
 * takes.
 */
L0_HOT static bool shadow_fill(struct vcpu *v, struct nested_vcpu *n,
			       uint64_t gpa, uint64_t hpa, uint64_t size,
			       const struct walk *w)
{
	unsigned int prot = shadow_prot(w->prot, n->shadow->mxr);
	uint64_t base = ALIGN_DOWN(gpa, size);
	struct shadow *s = n->shadow;
	unsigned long frees;

	if (n->shadow_tables >= n->shadow_cap)
		reclaim(n, s);
	frees = s->g.frees;
	if (shadow_map(n, s, base, hpa, size, prot)) {
		/* The host is out of memory: start afresh (it is only a TLB). */
		reclaim(n, s);
		shadow_clear(n, s);
		if (shadow_map(n, s, base, hpa, size, prot)) {
			vm_stop(v->vm,
				"L0 has no memory for L2's shadow G-stage");
			return false;
		}
	}
	/* A huge page over a table frees it: the walk into it must go too. */
	shadow_filled(n, s, gpa, size, w, s->g.frees != frees);
	return true;
}

/*
 * A 4 KiB fill, and its neighbours in the same AROUND_PAGES group that L1's
 * leaf table maps (valid, A set: a TLB may cache those at any time). L2
 * touches memory in runs, and after each of L1's fences it would fault on
 * every page again: one fault now fills a group.
 *
 * `ptes` is L0's view of L1's leaf table; `block`, of the 2 MiB of L1's RAM
 * at `block_gpa` that hold the fault's page `page`. The group's entries of
 * the shadow are one run (gstage.h), filled inline: the page, unless that
 * takes a table or replaces an entry (shadow_fill() then), and the
 * neighbours. A neighbour in the block needs no lookup of L1's RAM, others
 * one each. The group's leaves mostly share their flags, which are checked
 * and converted once; and mostly map pages in a row (L1's own memory for
 * L2 comes in runs, huge pages in L1): a leaf that continues the one before
 * (its flags, the next page, in the block) needs no look at all.
 */
L0_HOT static void fill_group(struct vcpu *v, struct nested_vcpu *n,
			      uint64_t gpa, const struct walk *w,
			      uintptr_t page, const uint64_t *ptes,
			      uint64_t block_gpa, uintptr_t block)
{
	struct shadow *s = n->shadow;
	uint64_t base = ALIGN_DOWN(gpa, AROUND_PAGES * PAGE_SIZE);
	uint64_t seen = 0, flags = 0;
	struct gstage_run run, r;
	unsigned int ahead = 0, len;

	if (!in_vm_ram(n, block, HUGE_SIZE))
		return;
	gpa = ALIGN_DOWN(gpa, PAGE_SIZE);
	if (n->shadow_tables < n->shadow_cap && shadow_run(s, base, &run) &&
	    gstage_run_fill(&run, (gpa - base) >> PAGE_SHIFT, 1, page,
			    gstage_leaf_flags(shadow_prot(w->prot, s->mxr))))
		shadow_filled(n, s, gpa, PAGE_SIZE, w, false);
	else if (!shadow_fill(v, n, gpa, page, PAGE_SIZE, w) ||
		 n->shadow_tables >= n->shadow_cap ||
		 !shadow_run(s, base, &run))
		return;
	/* A copy whose address never escapes: the stores need not reload it. */
	r = run;
	ptes += (base >> PAGE_SHIFT) % PTES_PER_TABLE;
	for (unsigned int i = 0; i < AROUND_PAGES; i += len) {
		uint64_t pte = __atomic_load_n(&ptes[i], __ATOMIC_RELAXED);
		uint64_t off, next, most;
		struct walk leaf;

		len = 1;
		/* Mostly nothing there yet: no need to look further. */
		if (!(pte & PTE_V))
			continue;
		if ((pte & ~PTE_PPN) != seen) {
			if (!nested_gstage_leaf_4k(pte, &leaf))
				continue;
			seen = pte & ~PTE_PPN;
			flags = gstage_leaf_flags(
				shadow_prot(leaf.prot, s->mxr));
		}
		off = walk_leaf_pa(pte) - block_gpa;
		if (off >= HUGE_SIZE) {
			uintptr_t hpa = (uintptr_t)vm_ram_ptr(
				n->vm, walk_leaf_pa(pte), PAGE_SIZE);

			if (hpa && !in_vm_ram(n, hpa, PAGE_SIZE))
				break;
			if (hpa)
				ahead += gstage_run_fill(&r, i, 1, hpa, flags);
			continue;
		}
		/*
		 * The stretch ends at the group's end or the block's, so no
		 * PPN below overflows into other bits.
		 */
		most = (HUGE_SIZE - off) >> PAGE_SHIFT;
		if (most > AROUND_PAGES - i)
			most = AROUND_PAGES - i;
		for (next = pte + field_prep(PTE_PPN, 1);
		     len < most &&
		     __atomic_load_n(&ptes[i + len], __ATOMIC_RELAXED) == next;
		     next += field_prep(PTE_PPN, 1))
			len++;
		ahead += gstage_run_fill(&r, i, len, block + off, flags);
	}
	n->stats.fills_ahead += ahead;
}

/*
 * L0's pointer to the 2 MiB of L1's RAM at `block_gpa`, if all of it is
 * RAM; 0 if not. Faults in a row mostly map pages of one block: the last
 * one is kept, which stays right while this nested state lives, as L1's
 * RAM is one block that neither moves nor is emptied until the VM
 * restarts, and a restart makes the nested state anew (core/vm_ram.c,
 * vm_finish_reboot()).
 */
L0_HOT static uintptr_t l1_block(struct nested_vcpu *n, uint64_t block_gpa)
{
	uintptr_t block;

	if (n->block && n->block_gpa == block_gpa)
		return n->block;
	block = (uintptr_t)vm_ram_ptr(n->vm, block_gpa, HUGE_SIZE);
	if (block) {
		n->block_gpa = block_gpa;
		n->block = block;
	}
	return block;
}

L0_HOT enum shadow_result nested_shadow_fault(struct vcpu *v,
					      struct nested_vcpu *n,
					      struct trap_frame *tf,
					      uint64_t gpa)
{
	struct shadow *s = n->shadow;
	uint64_t block_gpa;
	const uint64_t *ptes;
	struct walk w;
	uintptr_t block;
	void *page;

	switch (walk_l1(n, s, gpa, access_of(tf, s->mxr), &w, &ptes)) {
	case WALK_GUEST_PAGE_FAULT:
		return SHADOW_L1_FAULT;
	case WALK_ACCESS_FAULT:
		return SHADOW_ACCESS_FAULT;
	default:
		break;
	}
	block_gpa = ALIGN_DOWN(w.pa, HUGE_SIZE);
	block = l1_block(n, block_gpa);
	if (block && w.page_size >= HUGE_SIZE) {
		shadow_fill(v, n, gpa, block, HUGE_SIZE, &w);
		return SHADOW_MAPPED;
	}
	page = block ? (void *)(block + ALIGN_DOWN(w.pa - block_gpa, PAGE_SIZE))
		     : vm_ram_ptr(v->vm, ALIGN_DOWN(w.pa, PAGE_SIZE),
				  PAGE_SIZE);
	if (!page) {
		if (tf->scause != EXC_INST_GUEST_PAGE_FAULT &&
		    mmio_emulate(v, tf, w.pa))
			return SHADOW_MAPPED;
		return SHADOW_ACCESS_FAULT;
	}
	if (ptes && block)
		fill_group(v, n, gpa, &w, (uintptr_t)page, ptes, block_gpa,
			   block);
	else
		shadow_fill(v, n, gpa, (uintptr_t)page, PAGE_SIZE, &w);
	return SHADOW_MAPPED;
}

static bool fence_applies(const struct shadow *s, bool all_vmids,
			  unsigned long vmid)
{
	return s->of != SHADOW_NONE &&
	       (all_vmids || field_get(HGATP_VMID, s->of) == vmid);
}

/*
 * After a fence of one page, map it again if L1's table now maps it with a
 * 4 KiB leaf: L1's KVM fences each page it has just mapped for L2, which is
 * about to touch it, so this saves L2 a fault (a TLB may hold any valid
 * leaf). The caller fences the page after this.
 */
static void refill_page(struct nested_vcpu *n, struct shadow *s, uint64_t gpa)
{
	const uint64_t *ptes;
	struct walk w;
	void *page;

	if (n->shadow_tables >= n->shadow_cap ||
	    walk_l1(n, s, gpa, WALK_PREFETCH, &w, &ptes) != WALK_OK ||
	    w.page_size != PAGE_SIZE)
		return;
	page = vm_ram_ptr(n->vm, ALIGN_DOWN(w.pa, PAGE_SIZE), PAGE_SIZE);
	if (page &&
	    !shadow_map(n, s, ALIGN_DOWN(gpa, PAGE_SIZE), (uintptr_t)page,
			PAGE_SIZE, shadow_prot(w.prot, s->mxr)))
		n->stats.fills_on_fence++;
}

/*
 * Drop the shadow's entries for `gpa`: the 4 KiB page, or, once an entry came
 * from a larger L1 leaf, all that such a leaf around `gpa` could cover (a
 * fence of any address in a superpage covers all of it). Nothing larger than
 * 2 MiB is ever mapped, so this never splits a leaf and cannot fail.
 */
static void shadow_drop_gpa(struct nested_vcpu *n, struct shadow *s,
			    uint64_t gpa)
{
	uint64_t base = ALIGN_DOWN(gpa, s->leaf_max);
	uint64_t limit = gstage_gpa_limit(s->g.mode);
	size_t before = s->g.tables;

	walk_cache_drop(s, gpa);
	if (base >= limit)
		return;
	/*
	 * A 4 KiB entry goes alone and its table stays, however empty (the
	 * cap bounds them all): L1's KVM fences each page it maps for L2,
	 * and this is the path of every one. The hart's entries for that page
	 * must go; an address fence is enough, as no table was freed.
	 */
	if (s->leaf_max == PAGE_SIZE) {
		gstage_unmap_keep_tables(&s->g, base, PAGE_SIZE);
		refill_page(n, s, gpa);
		hfence_gvma_gpa(gpa, slot_vmid(n, s));
		return;
	}
	/*
	 * All that a huge leaf around gpa could cover, and then all the
	 * hart's entries of the shadow: when a table went with it, an address
	 * fence need not drop the walk's non-leaf entries, which point into
	 * the freed page.
	 */
	gstage_unmap(&s->g, base,
		     s->leaf_max < limit - base ? s->leaf_max : limit - base);
	n->shadow_tables -= before - s->g.tables;
	hfence_gvma_vmid(slot_vmid(n, s));
}

void nested_shadow_fence_gvma(struct nested_vcpu *n, bool all_vmids,
			      unsigned long vmid, bool all_gpas, uint64_t gpa)
{
	if (!all_gpas)
		n->stats.l1_gvma_gpa++;
	else if (all_vmids)
		n->stats.l1_gvma_all++;
	else
		n->stats.l1_gvma_vmid++;
	for (unsigned int i = 0; i < SHADOW_SLOTS; i++) {
		struct shadow *s = &n->shadows[i];

		if (!fence_applies(s, all_vmids, vmid))
			continue;
		if (all_gpas)
			shadow_clear(n, s);
		else
			shadow_drop_gpa(n, s, gpa);
	}
	/* Under a Bare hgatp L2's G-stage is L0's: only its VS-stage caches. */
	hfence_gvma_vmid(nested_bare_vmid(n));
}

void nested_shadow_fence_vvma(struct nested_vcpu *n, bool all_vmids,
			      unsigned long vmid)
{
	n->stats.l1_vvma++;
	for (unsigned int i = 0; i < SHADOW_SLOTS; i++)
		if (fence_applies(&n->shadows[i], all_vmids, vmid))
			hfence_vvma_of(gstage_hgatp(&n->shadows[i].g));
	/* L2 under a Bare hgatp: VS-stage entries of its own host VMID. */
	hfence_vvma_of(nested_bare_hgatp(n));
}
