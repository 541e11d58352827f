// SPDX-License-Identifier: MIT
/*
 * SBI STA: two vCPUs share one hart. The one that waits for the other's
 * slice has that time as steal, published at its next entry with an even
 * sequence and preempted 0; the one taken off while still runnable is
 * marked preempted; a vCPU that was stopped or had the hart has none.
 */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <l0/sched.h>
#include <l0/timer.h>

#include "sim.h"
#include "stubs.h"

#define SIM_EXT_STA 0x535441UL

struct sta {
	uint32_t sequence, flags;
	uint64_t steal;
	uint8_t preempted, pad[47];
};

static const struct sta *sta_at(struct vm *vm, uint64_t gpa)
{
	return vm_ram_ptr(vm, gpa, sizeof(struct sta));
}

static void waiting_time_is_steal(void **state)
{
	struct vm_config c = sim_vm_config("a", 2, 1, false);
	uint64_t slice = timer_us_to_ticks(SCHED_SLICE_US);
	uint64_t g0 = GUEST_RAM_BASE + 0x1000, g1 = GUEST_RAM_BASE + 0x1040;
	const struct sta *s0, *s1;
	struct vm *vm;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);
	assert_int_equal(sim_sbi(0, SIM_EXT_STA, 0, g0, 0, 0, NULL), 0);
	s0 = sta_at(vm, g0);
	assert_int_equal(s0->steal, 0);

	/* vCPU 1 starts and waits for vCPU 0's slice to end. */
	assert_int_equal(sim_hart_start(0, 1), 0);
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);
	sim_now += slice;
	sim_deliver();
	assert_ptr_equal(sim_current(0), &vm->vcpus[1]);
	/* vCPU 0 had the hart: no steal; now it waits, preempted. */
	assert_int_equal(s0->steal, 0);
	assert_int_equal(s0->preempted, 1);
	assert_int_equal(sim_sbi(0, SIM_EXT_STA, 0, g1, 0, 0, NULL), 0);
	s1 = sta_at(vm, g1);

	/* vCPU 1's slice: vCPU 0 gets it as steal at its next entry. */
	sim_now += 3 * slice / 2;
	sim_deliver();
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);
	assert_int_equal(s0->steal, timer_ticks_to_ns(3 * slice / 2));
	assert_int_equal(s0->sequence % 2, 0);
	assert_true(s0->sequence >= 2);
	assert_int_equal(s0->preempted, 0);
	assert_int_equal(s1->steal, 0);
	assert_int_equal(s1->preempted, 1);

	/* All-ones: vCPU 0 reports no more. */
	assert_int_equal(sim_sbi(0, SIM_EXT_STA, 0, ~0UL, ~0UL, 0, NULL), 0);
	sim_now += slice;
	sim_deliver();
	sim_now += slice;
	sim_deliver();
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);
	assert_int_equal(s0->steal, timer_ticks_to_ns(3 * slice / 2));
	assert_int_equal(s1->steal, timer_ticks_to_ns(slice));
	assert_int_equal(sim_violations, 0);
}

/*
 * vCPU 1 suspends (HSM, retentive) until its timer; the timer fires while
 * vCPU 0 has the hart, whose slice goes on: vCPU 1's steal counts from its
 * deadline, not from when L0 got round to looking.
 */
static void timer_wake_waits_from_deadline(void **state)
{
	struct vm_config c = sim_vm_config("a", 2, 1, false);
	uint64_t slice = timer_us_to_ticks(SCHED_SLICE_US), deadline, end;
	uint64_t g1 = GUEST_RAM_BASE + 0x1040;
	struct vm *vm;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	assert_int_equal(sim_hart_start(0, 1), 0);
	sim_now += slice;
	sim_deliver();
	assert_ptr_equal(sim_current(0), &vm->vcpus[1]);
	assert_int_equal(sim_sbi(0, SIM_EXT_STA, 0, g1, 0, 0, NULL), 0);
	/* Its timer in a tenth of a slice, enabled in sie; it suspends. */
	deadline = sim_now + slice / 10;
	sim_set_hart_csr(0, CSR_VSIE, BIT(IRQ_S_TIMER));
	assert_int_equal(sim_sbi(0, SBI_EXT_TIME, 0, deadline + vm->time_delta,
				 0, 0, NULL),
			 0);
	sim_sbi(0, SBI_EXT_HSM, 3, 0, 0, 0, NULL);
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);
	end = sim_now + slice;

	/* vCPU 0's whole slice, then vCPU 1 runs. */
	sim_now = end;
	sim_deliver();
	assert_ptr_equal(sim_current(0), &vm->vcpus[1]);
	assert_int_equal(sta_at(vm, g1)->steal,
			 timer_ticks_to_ns(end - deadline));
	assert_int_equal(sim_violations, 0);
}

static void bad_shmem_is_refused(void **state)
{
	struct vm_config c = sim_vm_config("a", 1, 1, false);
	struct vm *vm;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	assert_int_equal(
		sim_sbi(0, SIM_EXT_STA, 0, GUEST_RAM_BASE + 8, 0, 0, NULL),
		SBI_ERR_INVALID_PARAM);
	assert_int_equal(sim_sbi(0, SIM_EXT_STA, 0, GUEST_RAM_BASE, 0, 1, NULL),
			 SBI_ERR_INVALID_PARAM);
	assert_int_equal(sim_sbi(0, SIM_EXT_STA, 0, vm->ram_gpa + vm->ram_size,
				 0, 0, NULL),
			 SBI_ERR_INVALID_ADDRESS);
	assert_int_equal(sim_sbi(0, SIM_EXT_STA, 0, GUEST_RAM_BASE, 1, 0, NULL),
			 SBI_ERR_INVALID_ADDRESS);
	assert_int_equal(sim_sbi(0, SIM_EXT_STA, 0, ~0UL - 63, 0, 0, NULL),
			 SBI_ERR_INVALID_ADDRESS);
	assert_int_equal(sim_sbi(0, SIM_EXT_STA, 1, 0, 0, 0, NULL),
			 SBI_ERR_NOT_SUPPORTED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(waiting_time_is_steal),
		cmocka_unit_test(timer_wake_waits_from_deadline),
		cmocka_unit_test(bad_shmem_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
