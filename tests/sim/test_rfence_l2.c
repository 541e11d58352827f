// SPDX-License-Identifier: MIT
/*
 * Issue 13 fix 4: L1's remote SFENCE.VMA (SBI RFENCE) to a vCPU that runs
 * L2 must drop L1's own VS-stage entries (its VMID), not L2's.
 */
#include <arch/csr.h>

#include "sim.h"
#include "stubs.h"

#define L1_VA 0x1000UL

static void remote_sfence_reaches_l1_under_l2(void **state)
{
	struct vm_config c = sim_vm_config("n", 2, 3, true);
	unsigned long l1_vmid;

	(void)state;
	sim_init(2, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	assert_int_equal(sim_hart_start(0, 1), 0);
	l1_vmid = field_get(HGATP_VMID, sim_hart_csr(1, CSR_HGATP));
	/* L1 on vCPU 1 ran with this translation cached, then entered L2. */
	sim_tlb_fill_vs(1, L1_VA, 0x80100000);
	sim_l1_enter_l2(1, 0);
	assert_int_not_equal(field_get(HGATP_VMID, sim_hart_csr(1, CSR_HGATP)),
			     l1_vmid);

	/* vCPU 0: sbi_remote_sfence_vma(mask = vCPU 1, all addresses). */
	assert_int_equal(sim_sbi(0, SIM_EXT_RFENCE, 1, 2, 0, 0, NULL), 0);
	sim_deliver();
	sim_l2_exit(1); /* back in L1 */
	assert_int_equal(field_get(HGATP_VMID, sim_hart_csr(1, CSR_HGATP)),
			 l1_vmid);
	if (sim_tlb_has_vs(1, l1_vmid, L1_VA))
		fail_msg("L1's VS-stage entry survived its remote SFENCE.VMA");
	assert_int_equal(sim_violations, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(remote_sfence_reaches_l1_under_l2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
