// SPDX-License-Identifier: MIT
/*
 * L0's walk cache of L1's G-stage table (nested/shadow.c): after one walk
 * of a 2 MiB region, a shadow fault there reads only the leaf, in the
 * level-0 table that L1's non-leaf entries led to. L1 may then move the
 * region to another level-0 table: once it fences, by the region's address
 * (as L1's KVM fences what it unmaps) or all addresses (what the privileged
 * spec asks after a change of a non-leaf entry), L2 must see the new table.
 */
#include <arch/csr.h>
#include <arch/pte.h>

#include "../../nested/state.h"
#include "sim.h"
#include "stubs.h"

/* sim_l1_gstage_map(): root at ROOT, level 1 at +0x4000, level 0 +0x5000. */
#define ROOT 0x80600000UL
#define LEVEL1 (ROOT + 0x4000)
#define NEW_LEVEL0 (ROOT + 0x6000)
#define L2_GPA 0x80000000UL
/* Outside L2_GPA's fill-around group (16 pages), in its 2 MiB region. */
#define L2_FAR (L2_GPA + 0x20000)
/* L2's GiB mapped by one L1 leaf, and a 2 MiB region beside L2_GPA's. */
#define L2_GIB 0x40000000UL
#define L1_GIB 0x80000000UL
#define L2_OTHER_REGION 0x400000UL
#define OLD_PAGE 0x80700000UL
#define OLD_FAR 0x80702000UL
#define NEW_FAR 0x80703000UL
/* hfence.gvma t0, t1 and hfence.gvma zero, t1 */
#define HFENCE_GVMA_T0_T1 (0x62000073u | (6u << 20) | (5u << 15))
#define HFENCE_GVMA_ZERO_T1 (0x62000073u | (6u << 20))

static uint64_t leaf(uint64_t pa)
{
	return field_prep(PTE_PPN, pa >> 12) | PTE_V | PTE_R | PTE_W | PTE_X |
	       PTE_U | PTE_A | PTE_D;
}

static unsigned long walk_hits(struct vm *vm)
{
	return vm->vcpus[0].nested->stats.walk_hits;
}

/* L2 reads `gpa` (one fault for L0 at most): the host page it got. */
static void *l2_reads(uint64_t gpa)
{
	uint64_t hpa;

	sim_l1_enter_l2(0, sim_l1_hgatp(ROOT, 1));
	if (!sim_access(0, gpa, 2, &hpa))
		fail_msg("gpa %lx", (unsigned long)gpa);
	sim_l2_exit(0);
	return (void *)(uintptr_t)hpa;
}

static void region_moves(bool all_gpas)
{
	struct vm_config c = sim_vm_config("n", 1, 1, true);
	unsigned long hits;
	uint64_t *pmd, *t;
	struct vm *vm;

	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	sim_l1_gstage_map(vm, ROOT, L2_GPA, OLD_PAGE);
	sim_l1_gstage_map(vm, ROOT, L2_FAR, OLD_FAR);

	/* The first fault walks; the second, in the same region, hits. */
	assert_ptr_equal(l2_reads(L2_GPA), vm_ram_ptr(vm, OLD_PAGE, 4096));
	hits = walk_hits(vm);
	assert_ptr_equal(l2_reads(L2_FAR), vm_ram_ptr(vm, OLD_FAR, 4096));
	assert_int_equal(walk_hits(vm), hits + 1);

	/* L1 moves the region to a new level-0 table, and fences. */
	t = vm_ram_ptr(vm, NEW_LEVEL0, 4096);
	t[(L2_FAR >> 12) & 0x1ff] = leaf(NEW_FAR);
	pmd = vm_ram_ptr(vm, LEVEL1 + 8 * ((L2_GPA >> 21) & 0x1ff), 8);
	*pmd = field_prep(PTE_PPN, NEW_LEVEL0 >> 12) | PTE_V;
	if (all_gpas)
		sim_l1_insn(0, HFENCE_GVMA_ZERO_T1, 0, 1);
	else
		sim_l1_insn(0, HFENCE_GVMA_T0_T1, L2_FAR >> 2, 1);
	/* Through the new table: the old one would give L1 a fault. */
	assert_ptr_equal(l2_reads(L2_FAR), vm_ram_ptr(vm, NEW_FAR, 4096));
	if (sim_violations)
		fail_msg("%s", sim_violation_msg);
}

static void fence_by_address(void **state)
{
	(void)state;
	region_moves(false);
}

static void fence_of_all_addresses(void **state)
{
	(void)state;
	region_moves(true);
}

/*
 * The walk cache keeps the shadow's own level-0 table of a region too.
 * Once a 1 GiB leaf of L1's was filled, L1's fence of one address drops
 * the whole GiB around it from the shadow (shadow_drop_gpa()), and with it
 * the level-0 table of a region whose walk stays cached: the next fault
 * there must map into a new table, not into the freed one.
 */
static void shadow_table_freed(void **state)
{
	struct vm_config c = sim_vm_config("n", 1, 1, true);
	uint64_t *root;
	unsigned long hits;
	struct vm *vm;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	sim_l1_gstage_map(vm, ROOT, L2_GPA, OLD_PAGE);
	sim_l1_gstage_map(vm, ROOT, L2_FAR, OLD_FAR);
	/* L2's GiB at 1 GiB: one leaf, to L1's RAM (1 GiB aligned). */
	root = vm_ram_ptr(vm, ROOT + 8 * (L2_GIB >> 30), 8);
	*root = leaf(L1_GIB);
	assert_ptr_equal(l2_reads(L2_GIB + 0x1000),
			 vm_ram_ptr(vm, L1_GIB + 0x1000, 4096));
	assert_ptr_equal(l2_reads(L2_GPA), vm_ram_ptr(vm, OLD_PAGE, 4096));

	/* A fence in L2_GPA's GiB, not in its region. */
	sim_l1_insn(0, HFENCE_GVMA_T0_T1, (L2_GPA + L2_OTHER_REGION) >> 2, 1);
	hits = walk_hits(vm);
	assert_ptr_equal(l2_reads(L2_FAR), vm_ram_ptr(vm, OLD_FAR, 4096));
	assert_int_equal(walk_hits(vm), hits + 1);
	assert_ptr_equal(l2_reads(L2_GPA), vm_ram_ptr(vm, OLD_PAGE, 4096));
	if (sim_violations)
		fail_msg("%s", sim_violation_msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fence_by_address),
		cmocka_unit_test(fence_of_all_addresses),
		cmocka_unit_test(shadow_table_freed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
