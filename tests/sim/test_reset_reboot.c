// SPDX-License-Identifier: MIT
/*
 * Issue 13 fix 3 (one VM per process: L0's VM table is static), reboot: a
 * nested vCPU reset from another hart (SBI HSM hart_start, a VM reboot) frees its shadow tables and must fence them on
 * the hart that ran them, before anyone reuses a freed page or the vCPU
 * runs again; a reboot frees the VM's G-stage tables, which its VMID and
 * the VMID of L2 under a Bare hgatp walked, on every hart of the VM.
 */
#include <arch/sbi.h>

#include "sim.h"
#include "stubs.h"

static struct vm *boot_nested(void)
{
	struct vm_config c = sim_vm_config("n", 2, 3, true);

	sim_init(2, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	assert_int_equal(sim_hart_start(0, 1), 0);
	assert_non_null(sim_current(1));
	return vm_by_index(0);
}

/*
 * vCPU 0 touched RAM on hart 0 (VMID of the VM), vCPU 1 ran L2 under a
 * Bare hgatp on hart 1 (the bare VMID walks the VM's table). The reboot
 * frees that table: neither hart may walk it again unfenced.
 */
static void reboot_fences_vm_and_bare_vmids(void **state)
{
	struct vm *vm = boot_nested();

	(void)state;
	assert_true(sim_access(0, 0x80400000, 3, NULL));
	sim_tlb_fill_vs(0, 0x5000, 0x80400000); /* the old boot's L1 */
	sim_l1_enter_l2(1, 0);
	assert_true(sim_access(1, 0x80400000, 3, NULL));
	sim_l2_exit(1);
	assert_int_equal(sim_sbi(1, SBI_EXT_HSM, SIM_HSM_STOP, 0, 0, 0, NULL),
			 0);

	/* SRST cold reboot: hart 0 finishes it and runs vCPU 0 again. */
	sim_sbi(0, SBI_EXT_SRST, 0, 1, 0, 0, NULL);
	sim_deliver();
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);
	/* Nothing of the previous run shows through, its TLB entries too. */
	if (sim_tlb_has_vs(0, vm->gstage.vmid, 0x5000))
		fail_msg("the new boot runs on the old one's VS-stage entry");
	assert_true(sim_access(0, 0x80400000, 3, NULL));
	assert_int_equal(sim_hart_start(0, 1), 0);
	sim_l1_enter_l2(1, 0);
	assert_true(sim_access(1, 0x80400000, 3, NULL));
	if (sim_violations)
		fail_msg("%s", sim_violation_msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reboot_fences_vm_and_bare_vmids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
