// SPDX-License-Identifier: MIT
/*
 * Issue 13 fix 10: an IPI or a remote fence for a vCPU interrupts its hart
 * only when that vCPU runs there (or the hart idles and must wake), not
 * whichever other VM's vCPU has the hart.
 */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <l0/sched.h>

#include "sim.h"
#include "stubs.h"

static void kick_only_the_running_target(void **state)
{
	struct vm *a = sim_boot_shared_hart();
	unsigned int before;

	(void)state;
	assert_non_null(a);
	assert_int_equal(a->vcpus[1].hart, 1);
	assert_ptr_equal(sim_current(1), &vm_by_index(1)->vcpus[0]);

	/* VM b runs on hart 1: a's IPI and RFENCE wait for a's turn. */
	before = sim_ipis_sent[1];
	assert_int_equal(sim_sbi(0, SBI_EXT_IPI, 0, 2, 0, 0, NULL), 0);
	assert_int_equal(sim_sbi(0, SIM_EXT_RFENCE, 0, 2, 0, 0, NULL), 0);
	assert_int_equal(sim_ipis_sent[1], before);

	/* Its slice ends: hart 1 runs a's vCPU 1, which takes both. */
	sim_now += 2 * SCHED_SLICE_US * 10;
	sim_deliver();
	assert_ptr_equal(sim_current(1), &a->vcpus[1]);
	assert_true(sim_hart_csr(1, CSR_HVIP) & HVIP_VSSIP);

	/* Now it runs there: an IPI interrupts hart 1. */
	before = sim_ipis_sent[1];
	assert_int_equal(sim_sbi(0, SBI_EXT_IPI, 0, 2, 0, 0, NULL), 0);
	assert_int_equal(sim_ipis_sent[1], before + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kick_only_the_running_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
