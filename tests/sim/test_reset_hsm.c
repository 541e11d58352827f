// SPDX-License-Identifier: MIT
/*
 * Issue 13 fix 3 (one VM per process: L0's VM table is static), HSM: a
 * nested vCPU reset from another hart (SBI HSM hart_start, also a reboot) frees its shadow tables and must fence them on
 * the hart that ran them, before anyone reuses a freed page or the vCPU
 * runs again; a reboot frees the VM's G-stage tables, which its VMID and
 * the VMID of L2 under a Bare hgatp walked, on every hart of the VM.
 */
#include <arch/sbi.h>

#include "sim.h"
#include "stubs.h"

#define L1_ROOT 0x80600000UL /* L1's G-stage table for its L2 */
#define L2_GPA 0x80000000UL
#define L1_PAGE 0x80700000UL

static struct vm *boot_nested(void)
{
	struct vm_config c = sim_vm_config("n", 2, 3, true);

	sim_init(2, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	assert_int_equal(sim_hart_start(0, 1), 0);
	assert_non_null(sim_current(1));
	return vm_by_index(0);
}

/* vCPU 1 ran L2 under a shadow on hart 1; vCPU 0 restarts it from hart 0. */
static void hart_start_fences_the_target_hart(void **state)
{
	struct vm *vm = boot_nested();

	(void)state;
	sim_l1_gstage_map(vm, L1_ROOT, L2_GPA, L1_PAGE);
	sim_l1_enter_l2(1, sim_l1_hgatp(L1_ROOT, 1));
	assert_true(sim_access(1, L2_GPA, 3, NULL)); /* a shadow fault */
	sim_l2_exit(1);
	assert_int_equal(sim_sbi(1, SBI_EXT_HSM, SIM_HSM_STOP, 0, 0, 0, NULL),
			 0);
	assert_null(sim_current(1));

	assert_int_equal(sim_hart_start(0, 1), 0);
	/* vCPU 0 runs an L2 of its own: its shadow takes pages L0 freed. */
	sim_l1_gstage_map(vm, L1_ROOT, L2_GPA, L1_PAGE);
	sim_l1_enter_l2(0, sim_l1_hgatp(L1_ROOT, 1));
	assert_true(sim_access(0, L2_GPA, 3, NULL));
	/* And vCPU 1 runs its L2 again on hart 1. */
	sim_l1_enter_l2(1, sim_l1_hgatp(L1_ROOT, 1));
	assert_true(sim_access(1, L2_GPA, 3, NULL));
	if (sim_violations)
		fail_msg("%s", sim_violation_msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hart_start_fences_the_target_hart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
