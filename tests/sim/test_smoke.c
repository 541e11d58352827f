// SPDX-License-Identifier: MIT
/* The sim itself: VMs boot, harts enter vCPUs, RAM faults map and fence. */
#include "sim.h"
#include "stubs.h"

static void boots_and_maps_ram(void **state)
{
	struct vm_config c = sim_vm_config("a", 2, 3, false);
	uint64_t hpa;

	(void)state;
	sim_init(2, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	assert_non_null(sim_current(0));
	assert_null(sim_current(1)); /* vCPU 1 is stopped */
	sim_fences_clear();
	/* First touch: a guest-page fault, L0 maps 2 MiB and fences VMID 1. */
	assert_true(sim_access(0, 0x80400000, 2, &hpa));
	assert_int_equal(hpa, vm_by_index(0)->ram_hpa + 0x400000);
	assert_int_equal(sim_nfences, 1);
	assert_int_equal(sim_fences[0].kind, SIM_FENCE_GVMA_VMID);
	assert_int_equal(sim_fences[0].vmid, 1);
	assert_int_equal(sim_violations, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(boots_and_maps_ram),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
