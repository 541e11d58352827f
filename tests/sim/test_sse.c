// SPDX-License-Identifier: MIT
/*
 * SBI SSE on a shared hart: an event injected from another hart for a vCPU
 * whose hart runs another VM interrupts nobody, and enters its handler when
 * that vCPU's turn comes (pc = ENTRY_PC, a6 = hart ID, a7 = ENTRY_ARG,
 * vsepc = the interrupted pc); COMPLETE puts the interrupted pc, a6 and a7
 * back; once the vCPU runs there, an injection interrupts its hart.
 */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <l0/sched.h>

#include "sim.h"
#include "stubs.h"

#define SIM_EXT_SSE 0x535345UL
#define SSE_REGISTER 2
#define SSE_ENABLE 4
#define SSE_COMPLETE 6
#define SSE_INJECT 7
#define SSE_HART_UNMASK 8
#define LOCAL_SW 0xffff0000UL
#define ENTRY_PC (GUEST_RAM_BASE + 0x4000)
#define ENTRY_ARG 0xa5a5UL

static long sse(unsigned int hart, unsigned long fid, unsigned long a0,
		unsigned long a1, unsigned long a2)
{
	return sim_sbi(hart, SIM_EXT_SSE, fid, a0, a1, a2, NULL);
}

static void slice_passes(void)
{
	sim_now += 2 * SCHED_SLICE_US * 10;
	sim_deliver();
}

static void enters_on_its_turn(void **state)
{
	struct vm *a = sim_boot_shared_hart();
	struct trap_frame *tf;
	unsigned int before;
	unsigned long pc;

	(void)state;
	assert_non_null(a);
	slice_passes();
	assert_ptr_equal(sim_current(1), &a->vcpus[1]);
	assert_int_equal(sse(1, SSE_REGISTER, LOCAL_SW, ENTRY_PC, ENTRY_ARG),
			 0);
	assert_int_equal(sse(1, SSE_ENABLE, LOCAL_SW, 0, 0), 0);
	assert_int_equal(sse(1, SSE_HART_UNMASK, 0, 0, 0), 0);

	/* VM b has hart 1: the injection waits for a's turn, no IPI. */
	slice_passes();
	assert_ptr_equal(sim_current(1), &vm_by_index(1)->vcpus[0]);
	pc = a->vcpus[1].regs.sepc;
	before = sim_ipis_sent[1];
	assert_int_equal(sse(0, SSE_INJECT, LOCAL_SW, 1, 0), 0);
	assert_int_equal(sim_ipis_sent[1], before);
	slice_passes();
	assert_ptr_equal(sim_current(1), &a->vcpus[1]);
	tf = sim_frame(1);
	assert_int_equal(tf->sepc, ENTRY_PC);
	assert_int_equal(tf->regs[16], 1);
	assert_int_equal(tf->regs[17], ENTRY_ARG);
	assert_true(tf->sstatus & SSTATUS_SPP);
	assert_int_equal(sim_hart_csr(1, CSR_VSEPC), pc);

	/* COMPLETE: back where it was, its ecall's a6/a7 restored. */
	assert_int_equal(sse(1, SSE_COMPLETE, 0, 0, 0), 0);
	tf = sim_frame(1);
	assert_int_equal(tf->sepc, pc);
	assert_int_equal(tf->regs[16], SSE_HART_UNMASK);
	assert_int_equal(tf->regs[17], SIM_EXT_SSE);

	/* It runs on hart 1 now: an injection interrupts that hart. */
	before = sim_ipis_sent[1];
	assert_int_equal(sse(0, SSE_INJECT, LOCAL_SW, 1, 0), 0);
	assert_int_equal(sim_ipis_sent[1], before + 1);
	sim_deliver();
	assert_int_equal(sim_frame(1)->sepc, ENTRY_PC);
	assert_int_equal(sim_violations, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(enters_on_its_turn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
