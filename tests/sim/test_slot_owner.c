// SPDX-License-Identifier: MIT
/*
 * Issue 13 fix 5: a shadow slot, or the VMID of L2 under a Bare hgatp, that
 * passes from one L1 VMID to another keeps its host VMID: the new owner must
 * not run on the old one's VS-stage entries (HFENCE.GVMA need not drop
 * them), only on its own.
 */
#include <arch/csr.h>

#include "sim.h"
#include "stubs.h"

#define ROOT_A 0x80600000UL
#define ROOT_B 0x80608000UL
#define L2_GPA 0x80000000UL
#define L2_VA 0x2000UL

static unsigned long host_vmid(void)
{
	return field_get(HGATP_VMID, sim_hart_csr(0, CSR_HGATP));
}

static void new_owner_gets_no_old_vs_entries(void **state)
{
	struct vm_config c = sim_vm_config("n", 1, 1, true);
	struct vm *vm;
	unsigned long slot, bare;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	sim_l1_gstage_map(vm, ROOT_A, L2_GPA, 0x80700000);
	sim_l1_gstage_map(vm, ROOT_B, L2_GPA, 0x80710000);

	/* L1 VMID 1, then 5: the same slot (VMID mod 4), one host VMID. */
	sim_l1_enter_l2(0, sim_l1_hgatp(ROOT_A, 1));
	slot = host_vmid();
	sim_tlb_fill_vs(0, L2_VA, L2_GPA);
	sim_l2_exit(0);
	sim_l1_enter_l2(0, sim_l1_hgatp(ROOT_B, 5));
	assert_int_equal(host_vmid(), slot);
	if (sim_tlb_has_vs(0, slot, L2_VA))
		fail_msg("L2 of L1 VMID 5 runs on L1 VMID 1's VS-stage entry");
	sim_l2_exit(0);

	/* Under a Bare hgatp: L1 VMID 1, then 2. */
	sim_l1_enter_l2(0, field_prep(HGATP_VMID, 1));
	bare = host_vmid();
	sim_tlb_fill_vs(0, L2_VA, L2_GPA);
	sim_l2_exit(0);
	sim_l1_enter_l2(0, field_prep(HGATP_VMID, 2));
	assert_int_equal(host_vmid(), bare);
	if (sim_tlb_has_vs(0, bare, L2_VA))
		fail_msg("Bare-hgatp L2 of L1 VMID 2 runs on VMID 1's entry");
	assert_int_equal(sim_violations, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_owner_gets_no_old_vs_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
