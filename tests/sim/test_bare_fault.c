// SPDX-License-Identifier: MIT
/*
 * Issue 13 fix 8: L2 under a Bare hgatp touches L1's RAM for the first time.
 * L0 maps it and must fence the VMID L2 runs under, which may keep the
 * failed walk: else L2 faults on it forever.
 */
#include "sim.h"
#include "stubs.h"

static void bare_l2_first_touch_makes_progress(void **state)
{
	struct vm_config c = sim_vm_config("n", 1, 1, true);

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	sim_l1_enter_l2(0, 0);
	if (!sim_access(0, 0x80400000, 4, NULL))
		fail_msg("L2 still faults after 4 tries");
	assert_int_equal(sim_violations, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bare_l2_first_touch_makes_progress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
