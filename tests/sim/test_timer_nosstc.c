// SPDX-License-Identifier: MIT
/*
 * Issue 13 fix 6: without Sstc, L1's SBI timer that expires while L2 runs is
 * L1's interrupt (as with Sstc): L2 exits to L1 with it, and L2's hvip
 * never gets a VSTIP it did not raise.
 */
#include <arch/csr.h>
#include <arch/sbi.h>

#include "sim.h"
#include "stubs.h"

static void l1_timer_under_l2_goes_to_l1(void **state)
{
	struct vm_config c = sim_vm_config("n", 1, 1, true);
	unsigned long l1_vmid;

	(void)state;
	sim_init(1, false);
	assert_int_equal(sim_boot(&c, 1), 1);
	l1_vmid = field_get(HGATP_VMID, sim_hart_csr(0, CSR_HGATP));
	/* L1 enables its timer interrupt (sie.STIE) and sets the timer. */
	sim_set_hart_csr(0, CSR_VSIE, BIT(IRQ_S_TIMER));
	assert_int_equal(
		sim_sbi(0, SBI_EXT_TIME, 0, sim_now + 1000, 0, 0, NULL), 0);
	sim_l1_enter_l2(0, 0);
	assert_int_not_equal(field_get(HGATP_VMID, sim_hart_csr(0, CSR_HGATP)),
			     l1_vmid);

	sim_now += 2000;
	sim_deliver();
	assert_int_equal(field_get(HGATP_VMID, sim_hart_csr(0, CSR_HGATP)),
			 l1_vmid);
	assert_int_equal(sim_hart_csr(0, CSR_VSCAUSE),
			 SCAUSE_INTERRUPT | IRQ_S_TIMER);
	assert_true(sim_hart_csr(0, CSR_HVIP) & HVIP_VSTIP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(l1_timer_under_l2_goes_to_l1),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
