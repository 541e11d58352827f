// SPDX-License-Identifier: MIT
/*
 * L1's own HFENCEs, as the spec defines them for the L2 it runs (findings
 * of the sim beyond the review's):
 * - HFENCE.VVMA reaches L2's VS-stage entries under a Bare hgatp too;
 * - HFENCE.GVMA of one address: L0 drops that shadow entry and keeps its
 *   table (so an address fence is enough: the walk's non-leaf entries
 *   still point at a live table), and when L1 maps the page again, to
 *   another page, L0's refill must be what L2 sees, not the old entry.
 */
#include <arch/csr.h>

#include "sim.h"
#include "stubs.h"

#define ROOT 0x80600000UL
#define L2_GPA 0x80000000UL
#define L2_VA 0x3000UL
#define HFENCE_VVMA 0x22000073u
/* hfence.gvma t0, t1 */
#define HFENCE_GVMA_T0_T1 (0x62000073u | (6u << 20) | (5u << 15))

static unsigned long host_vmid(void)
{
	return field_get(HGATP_VMID, sim_hart_csr(0, CSR_HGATP));
}

static void l1_fences_reach_l2(void **state)
{
	struct vm_config c = sim_vm_config("n", 1, 1, true);
	uint64_t *l1_pte, hpa;
	unsigned long bare;
	struct vm *vm;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);

	/* Bare: L2 cached a VS-stage entry; L1 runs HFENCE.VVMA. */
	sim_l1_enter_l2(0, 0);
	bare = host_vmid();
	sim_tlb_fill_vs(0, L2_VA, L2_GPA);
	sim_l2_exit(0);
	sim_l1_insn(0, HFENCE_VVMA, 0, 0);
	sim_l1_enter_l2(0, 0);
	if (sim_tlb_has_vs(0, bare, L2_VA))
		fail_msg("L2's VS-stage entry survived L1's HFENCE.VVMA");
	sim_l2_exit(0);

	/* A shadow: L2 touched its one page; L1 unmaps it and fences it. */
	sim_l1_gstage_map(vm, ROOT, L2_GPA, 0x80700000);
	sim_l1_enter_l2(0, sim_l1_hgatp(ROOT, 1));
	assert_true(sim_access(0, L2_GPA, 3, NULL));
	sim_l2_exit(0);
	l1_pte =
		vm_ram_ptr(vm, ROOT + 0x5000 + 8 * ((L2_GPA >> 12) & 0x1ff), 8);
	*l1_pte = 0;
	sim_l1_insn(0, HFENCE_GVMA_T0_T1, L2_GPA >> 2, 1);
	sim_l1_enter_l2(0, sim_l1_hgatp(ROOT, 1));
	assert_false(sim_access(0, L2_GPA, 1, NULL)); /* L1's fault now */

	/* L1 maps the page again, elsewhere, and fences it: L0 refills it. */
	*l1_pte = (0x80701000UL >> 12 << 10) | 0xdf; /* V R W X U A D */
	sim_l1_insn(0, HFENCE_GVMA_T0_T1, L2_GPA >> 2, 1);
	sim_l1_enter_l2(0, sim_l1_hgatp(ROOT, 1));
	assert_true(sim_access(0, L2_GPA, 1, &hpa));
	assert_ptr_equal((void *)(uintptr_t)hpa,
			 vm_ram_ptr(vm, 0x80701000, 4096));
	if (sim_violations)
		fail_msg("%s", sim_violation_msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(l1_fences_reach_l2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
