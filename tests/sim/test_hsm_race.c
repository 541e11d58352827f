// SPDX-License-Identifier: MIT
/*
 * Issue 13 fix 11: hart_stop, then hart_start from another hart before the
 * stopping hart has saved the vCPU. Only a vCPU that is stopped and off its
 * hart may be started (until then its status is STOP_PENDING): else the
 * stopping hart overwrites the fresh state, or resumes the old one.
 */
#include <arch/csr.h>
#include <arch/sbi.h>

#include "sim.h"
#include "stubs.h"

#define START_PC 0x80300000UL
#define HSM_STOP_PENDING 3

static void start_waits_until_off_hart(void **state)
{
	struct vm_config c = sim_vm_config("a", 2, 3, false);
	struct trap_frame *tf;
	unsigned long status;
	long err;

	(void)state;
	sim_init(2, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	assert_int_equal(sim_hart_start(0, 1), 0);

	/* Hart 1: vCPU 1's hart_stop, handled; not yet off the hart. */
	tf = sim_frame(1);
	tf->regs[17] = SBI_EXT_HSM;
	tf->regs[16] = SIM_HSM_STOP;
	sim_trap_handle_only(1, EXC_ECALL_VS, 0);

	/* Hart 0, meanwhile: status, and a start. */
	assert_int_equal(
		sim_sbi(0, SBI_EXT_HSM, SIM_HSM_STATUS, 1, 0, 0, &status), 0);
	err = sim_sbi(0, SBI_EXT_HSM, SIM_HSM_START, 1, START_PC, 0, NULL);
	if (!err)
		fail_msg("hart_start of a vCPU still on its hart (status %lu)",
			 status);
	assert_int_equal(err, SBI_ERR_ALREADY_AVAILABLE);
	assert_int_equal(status, HSM_STOP_PENDING);

	/* Hart 1 finishes the trap: the vCPU is off; now it may start. */
	sim_trap_finish(1);
	assert_null(sim_current(1));
	assert_int_equal(
		sim_sbi(0, SBI_EXT_HSM, SIM_HSM_STATUS, 1, 0, 0, &status), 0);
	assert_int_equal(status, 1); /* STOPPED */
	assert_int_equal(sim_hart_start(0, 1), 0);
	assert_ptr_equal(sim_current(1), &vm_by_index(0)->vcpus[1]);
	assert_int_equal(sim_frame(1)->sepc,
			 GUEST_RAM_BASE + GUEST_KERNEL_OFFSET);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(start_waits_until_off_hart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
