// SPDX-License-Identifier: MIT
/*
 * A shadow fault's fill-around (nested/shadow.c): the fault's 16-page
 * group gets every leaf L1's table has there that a TLB could cache (valid,
 * U and A set), each to its own L1 page with its own permissions; nothing
 * else. The group mixes what the fill takes different ways: leaves that
 * continue each other (one stretch, one lookup), one that continues another
 * page but with other flags, a leaf outside the fault's 2 MiB of L1's RAM,
 * a stretch that crosses its end, which is the end of L1's RAM (what lies
 * past it must stay unmapped), and entries no TLB may cache.
 */
#include <arch/csr.h>
#include <arch/gstage.h>
#include <arch/pte.h>

#include "../../nested/state.h"
#include "sim.h"
#include "stubs.h"

#define ROOT 0x80600000UL
#define LEVEL0 (ROOT + 0x5000) /* sim_l1_gstage_map()'s level-0 table */
#define L2_GPA 0x80000000UL    /* the group: 16 pages from here */
#define RWX (PTE_R | PTE_W | PTE_X)
#define LEAF (PTE_V | PTE_U | PTE_A | PTE_D)

/* Page i of the group: its L1 PTE, and what the shadow must hold. */
struct page {
	uint64_t l1_pa, flags;
	unsigned int prot; /* 0: no entry */
};

static const struct page group[16] = {
	/* A stretch of four (the fault is on page 2). */
	{ 0x80f00000, LEAF | RWX, GSTAGE_RWX },
	{ 0x80f01000, LEAF | RWX, GSTAGE_RWX },
	{ 0x80f02000, LEAF | RWX, GSTAGE_RWX },
	{ 0x80f03000, LEAF | RWX, GSTAGE_RWX },
	{ 0, 0, 0 },				     /* invalid */
	{ 0x80f05000, LEAF | PTE_R, GSTAGE_R },	     /* read-only */
	{ 0x80f06000, LEAF | RWX, GSTAGE_RWX },	     /* the next page, RWX */
	{ 0x80a00000, LEAF | RWX, GSTAGE_RWX },	     /* another 2 MiB */
	{ 0x80f08000, PTE_V | PTE_U | RWX, 0 },	     /* A clear */
	{ 0x80f09000, LEAF | PTE_W | PTE_X, 0 },     /* W without R */
	{ 0x80f0a000, LEAF | RWX | (1UL << 61), 0 }, /* PBMT: reserved */
	{ 0x80f0b000, PTE_V | PTE_A | RWX, 0 },	     /* U clear */
	/* A stretch across the end of the fault's 2 MiB, L1's RAM's last. */
	{ 0x80ffe000, LEAF | RWX, GSTAGE_RWX },
	{ 0x80fff000, LEAF | RWX, GSTAGE_RWX },
	{ 0x81000000, LEAF | RWX, 0 },
	{ 0x81001000, LEAF | RWX, 0 },
};

static void fill_around_maps_the_group(void **state)
{
	struct vm_config c = sim_vm_config("n", 1, 1, true);
	struct nested_vcpu *n;
	uint64_t *t, hpa;
	unsigned int prot;
	struct vm *vm;

	(void)state;
	sim_init(1, true);
	c.memory = 16UL << 20; /* L1 RAM: 0x80000000 to 0x81000000 */
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	n = vm->vcpus[0].nested;
	sim_l1_gstage_map(vm, ROOT, L2_GPA, group[0].l1_pa);
	t = vm_ram_ptr(vm, LEVEL0, 4096);
	for (unsigned int i = 0; i < 16; i++)
		t[i] = group[i].flags
			       ? field_prep(PTE_PPN, group[i].l1_pa >> 12) |
					 group[i].flags
			       : 0;

	sim_l1_enter_l2(0, sim_l1_hgatp(ROOT, 1));
	assert_true(sim_access(0, L2_GPA + 2 * 4096, 2, &hpa));
	assert_ptr_equal((void *)(uintptr_t)hpa,
			 vm_ram_ptr(vm, group[2].l1_pa, 4096));
	for (unsigned int i = 0; i < 16; i++) {
		bool mapped = gstage_translate(&n->shadow->g, L2_GPA + i * 4096,
					       &hpa, &prot);

		if (!group[i].prot) {
			if (mapped)
				fail_msg("page %u is mapped", i);
			continue;
		}
		if (!mapped)
			fail_msg("page %u is not mapped", i);
		assert_ptr_equal((void *)(uintptr_t)hpa,
				 vm_ram_ptr(vm, group[i].l1_pa, 4096));
		assert_int_equal(prot, group[i].prot);
	}
	if (sim_violations)
		fail_msg("%s", sim_violation_msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fill_around_maps_the_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
