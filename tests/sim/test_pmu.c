// SPDX-License-Identifier: MIT
/*
 * SBI PMU: a vCPU's cycles counter counts the host's cycles only while
 * that vCPU is on its hart, not while another vCPU of the hart runs; the
 * guest's read of cycle traps (hcounteren) and gets the counter's value;
 * a write to cycle stays an illegal instruction. A nested L1 has the PMU
 * too: its counter counts on while its vCPU runs L2, L2 reads it where
 * L1's hcounteren (and, in VU-mode, scounteren) lets it, and any other
 * read of L2's is L1's virtual instruction.
 */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <l0/nested.h>
#include <l0/sched.h>
#include <l0/timer.h>

#include "sim.h"
#include "stubs.h"

#define SIM_EXT_PMU 0x504d55UL
#define INSN_CSRR_A0_CYCLE 0xc0002573UL	    /* csrrs a0, cycle, x0 */
#define INSN_CSRRW_A0_CYCLE_A1 0xc0059573UL /* csrrw a0, cycle, a1 */
#define INSN_CSRR_A0_INSTRET 0xc0202573UL   /* csrrs a0, instret, x0 */

/* vCPU on hart 0 configures the cycles counter (event 1), starts it at 0. */
static void start_cycles(void)
{
	unsigned long idx;

	sim_frame(0)->regs[13] = 1; /* a3: event_idx HW_CPU_CYCLES */
	assert_int_equal(sim_sbi(0, SIM_EXT_PMU, 2, 0, 3, 2, &idx), 0);
	assert_int_equal(idx, 0);
	sim_frame(0)->regs[13] = 0; /* a3: initial value */
	assert_int_equal(sim_sbi(0, SIM_EXT_PMU, 3, 0, 1, 1, NULL), 0);
}

/* The guest on hart 0 reads `insn`'s counter in VS- or VU-mode: a0. */
static unsigned long read_counter(unsigned long insn, bool vs)
{
	struct trap_frame *f = sim_frame(0);

	f->sstatus = vs ? f->sstatus | SSTATUS_SPP : f->sstatus & ~SSTATUS_SPP;
	f->regs[10] = 0;
	sim_trap(0, EXC_VIRTUAL_INST, insn, 0, 0);
	return sim_frame(0)->regs[10];
}

static void counts_only_its_own_turns(void **state)
{
	struct vm_config c = sim_vm_config("a", 2, 1, false);
	uint64_t slice = timer_us_to_ticks(SCHED_SLICE_US);
	struct vm *vm;
	unsigned long pc;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	assert_int_equal(sim_hart_start(0, 1), 0);
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);
	assert_true(sim_hart_csr(0, CSR_HCOUNTEREN) & HCOUNTEREN_CY);

	/* vCPU 0 finds the cycles counter (event 1) and starts it at 0. */
	sim_set_hart_csr(0, CSR_CYCLE, 1000);
	start_cycles();
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

static void nested_l1_counts_under_l2(void **state)
{
	struct vm_config c = sim_vm_config("n", 1, 1, true);
	struct vcpu *v;
	unsigned long pc;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	v = sim_current(0);
	assert_non_null(v);

	/* L1 starts its cycles counter: its own reads of cycle trap. */
	sim_set_hart_csr(0, CSR_CYCLE, 1000);
	start_cycles();
	assert_false(sim_hart_csr(0, CSR_HCOUNTEREN) & HCOUNTEREN_CY);
	sim_set_hart_csr(0, CSR_CYCLE, 1100);
	assert_int_equal(read_counter(INSN_CSRR_A0_CYCLE, true), 100);

	/* L1 lets L2 read cycle, not instret, and enters L2. */
	sim_l1_csrw(0, CSR_HCOUNTEREN, HCOUNTEREN_CY);
	sim_l1_enter_l2(0, 0);
	assert_true(nested_in_l2(v));
	assert_false(sim_hart_csr(0, CSR_HCOUNTEREN) & HCOUNTEREN_CY);

	/* L2's time is L1's vCPU's: L2 reads L1's counter, 400 on. */
	sim_set_hart_csr(0, CSR_CYCLE, 1500);
	pc = sim_frame(0)->sepc;
	assert_int_equal(read_counter(INSN_CSRR_A0_CYCLE, true), 500);
	assert_int_equal(sim_frame(0)->sepc, pc + 4);
	assert_true(nested_in_l2(v));

	/* From VU-mode only as L2's scounteren lets it: else L1's trap. */
	sim_set_hart_csr(0, CSR_SCOUNTEREN, HCOUNTEREN_CY);
	assert_int_equal(read_counter(INSN_CSRR_A0_CYCLE, false), 500);
	assert_true(nested_in_l2(v));
	sim_set_hart_csr(0, CSR_SCOUNTEREN, 0);
	read_counter(INSN_CSRR_A0_CYCLE, false);
	assert_false(nested_in_l2(v));
	assert_int_equal(sim_hart_csr(0, CSR_VSCAUSE), EXC_VIRTUAL_INST);
	assert_int_equal(sim_hart_csr(0, CSR_VSTVAL), INSN_CSRR_A0_CYCLE);

	/* instret, which L1's hcounteren keeps: L1's virtual instruction. */
	sim_l1_enter_l2(0, 0);
	assert_true(nested_in_l2(v));
	read_counter(INSN_CSRR_A0_INSTRET, true);
	assert_false(nested_in_l2(v));
	assert_int_equal(sim_hart_csr(0, CSR_VSCAUSE), EXC_VIRTUAL_INST);
	assert_int_equal(sim_hart_csr(0, CSR_VSTVAL), INSN_CSRR_A0_INSTRET);

	/* Back in L1: its counter went on through L2's run. */
	sim_set_hart_csr(0, CSR_CYCLE, 1700);
	assert_int_equal(read_counter(INSN_CSRR_A0_CYCLE, true), 700);
	assert_int_equal(sim_violations, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(counts_only_its_own_turns),
		cmocka_unit_test(nested_l1_counts_under_l2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
