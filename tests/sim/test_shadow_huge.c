// SPDX-License-Identifier: MIT
/*
 * A shadow fill with a 2 MiB page where the shadow had a table of 4 KiB
 * pages: the map frees that table, so the fence must drop the hart's walk
 * into it, not only the address (a finding of the sim).
 */
#include <arch/csr.h>

#include "sim.h"
#include "stubs.h"

#define ROOT 0x80600000UL
#define L2_GPA 0x80000000UL
#define L1_HUGE 0x80400000UL /* 2 MiB aligned L1 RAM */
/* hfence.gvma t0, t1 */
#define HFENCE_GVMA_T0_T1 (0x62000073u | (6u << 20) | (5u << 15))
#define PTE_LEAF 0xdfUL /* V R W X U A D */

static void huge_fill_over_a_table_fences_its_walk(void **state)
{
	struct vm_config c = sim_vm_config("n", 1, 1, true);
	uint64_t *l1_pmd;
	struct vm *vm;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	sim_l1_gstage_map(vm, ROOT, L2_GPA, 0x80700000);
	sim_l1_gstage_map(vm, ROOT, L2_GPA + 0x1000, 0x80701000);
	sim_l1_enter_l2(0, sim_l1_hgatp(ROOT, 1));
	assert_true(sim_access(0, L2_GPA, 3, NULL)); /* and its neighbour */
	sim_l2_exit(0);

	/* L1 maps those 2 MiB with one leaf now, and fences one address. */
	l1_pmd =
		vm_ram_ptr(vm, ROOT + 0x4000 + 8 * ((L2_GPA >> 21) & 0x1ff), 8);
	*l1_pmd = ((L1_HUGE >> 12) << 10) | PTE_LEAF;
	sim_l1_insn(0, HFENCE_GVMA_T0_T1, L2_GPA >> 2, 1);
	sim_l1_enter_l2(0, sim_l1_hgatp(ROOT, 1));
	assert_true(sim_access(0, L2_GPA, 3, NULL));
	if (sim_violations)
		fail_msg("%s", sim_violation_msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(huge_fill_over_a_table_fences_its_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
