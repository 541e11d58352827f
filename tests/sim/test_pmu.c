// SPDX-License-Identifier: MIT
/*
 * SBI PMU: a vCPU's cycles counter counts the host's cycles only while
 * that vCPU is on its hart, not while another vCPU of the hart runs; the
 * guest's read of cycle traps (hcounteren) and gets the counter's value;
 * a write to cycle stays an illegal instruction.
 */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <l0/sched.h>
#include <l0/timer.h>

#include "sim.h"
#include "stubs.h"

#define SIM_EXT_PMU 0x504d55UL
#define INSN_CSRR_A0_CYCLE 0xc0002573UL	    /* csrrs a0, cycle, x0 */
#define INSN_CSRRW_A0_CYCLE_A1 0xc0059573UL /* csrrw a0, cycle, a1 */

static void counts_only_its_own_turns(void **state)
{
	struct vm_config c = sim_vm_config("a", 2, 1, false);
	uint64_t slice = timer_us_to_ticks(SCHED_SLICE_US);
	struct vm *vm;
	unsigned long idx, pc;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	assert_int_equal(sim_hart_start(0, 1), 0);
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);
	assert_true(sim_hart_csr(0, CSR_HCOUNTEREN) & HCOUNTEREN_CY);

	/* vCPU 0 finds the cycles counter (event 1) and starts it at 0. */
	sim_set_hart_csr(0, CSR_CYCLE, 1000);
	sim_frame(0)->regs[13] = 1; /* a3: event_idx HW_CPU_CYCLES */
	assert_int_equal(sim_sbi(0, SIM_EXT_PMU, 2, 0, 3, 2, &idx), 0);
	assert_int_equal(idx, 0);
	sim_frame(0)->regs[13] = 0; /* a3: initial value */
	assert_int_equal(sim_sbi(0, SIM_EXT_PMU, 3, 0, 1, 1, NULL), 0);
	assert_false(sim_hart_csr(0, CSR_HCOUNTEREN) & HCOUNTEREN_CY);

	/* 500 cycles of its own, then vCPU 1's slice: 4000 not its own. */
	sim_set_hart_csr(0, CSR_CYCLE, 1500);
	sim_now += slice;
	sim_deliver();
	assert_ptr_equal(sim_current(0), &vm->vcpus[1]);
	sim_set_hart_csr(0, CSR_CYCLE, 5500);
	sim_now += slice;
	sim_deliver();
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);

	/* 300 more of its own: it reads 800. */
	sim_set_hart_csr(0, CSR_CYCLE, sim_hart_csr(0, CSR_CYCLE) + 300);
	pc = sim_frame(0)->sepc;
	sim_trap(0, EXC_VIRTUAL_INST, INSN_CSRR_A0_CYCLE, 0, 0);
	assert_int_equal(sim_frame(0)->regs[10], 800);
	assert_int_equal(sim_frame(0)->sepc, pc + 4);

	/* cycle is read-only: a write is the guest's illegal instruction. */
	sim_trap(0, EXC_VIRTUAL_INST, INSN_CSRRW_A0_CYCLE_A1, 0, 0);
	assert_int_equal(sim_hart_csr(0, CSR_VSCAUSE), EXC_ILLEGAL_INST);
	assert_int_equal(sim_violations, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_only_its_own_turns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
