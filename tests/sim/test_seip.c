// SPDX-License-Identifier: MIT
/*
 * A vCPU's VSEIP follows its vPLIC context, whichever hart updates it. Here
 * vCPU 1 (hart 1) enables a pending source for vCPU 0's context: hart 1
 * asks hart 0 to raise VSEIP. Before hart 0 applies that, vCPU 0 claims
 * the source, which lowers VSEIP at once. The older request must not raise
 * VSEIP again on the way back into the guest: the guest would take an
 * interrupt it can never claim, forever (a Linux guest stalls in it).
 */
#include <arch/csr.h>
#include <l0/vm.h>
#include <l0/vplic.h>

#include "sim.h"
#include "stubs.h"

/* The vPLIC's layout (PLIC spec), for context 0: vCPU 0's S-mode. */
#define PLIC_PRIORITY(src) (4UL * (src))
#define PLIC_ENABLE_CTX0 0x2000UL
#define PLIC_CLAIM_CTX0 0x200004UL

/* Transformed instructions in htinst (privileged spec, 18.6.3): rs1 = 0. */
#define HTINST_SW_A1 0x00b02023UL /* sw a1, 0(x0) */
#define HTINST_LW_A0 0x00002503UL /* lw a0, 0(x0) */

static void mmio(unsigned int hart, unsigned long scause, uint64_t gpa,
		 unsigned long htinst)
{
	sim_trap(hart, scause, gpa, gpa >> 2, htinst);
}

static void claim_beats_remote_raise(void **state)
{
	struct vm_config c = sim_vm_config("a", 2, 3, false);
	struct vm *vm;

	(void)state;
	sim_init(2, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	assert_int_equal(sim_hart_start(0, 1), 0);
	vm = vm_by_index(0);
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);
	assert_ptr_equal(sim_current(1), &vm->vcpus[1]);

	/* The UART's line is high, with a priority; nobody enabled it yet. */
	assert_true(
		vplic_write(&vm->plic, PLIC_PRIORITY(GUEST_UART_IRQ), 4, 1));
	vplic_set_level(&vm->plic, GUEST_UART_IRQ, true);

	/* Hart 1: vCPU 1 enables it for context 0 (as Linux moves an IRQ). */
	sim_frame(1)->regs[11] = 1UL << GUEST_UART_IRQ;
	mmio(1, EXC_STORE_GUEST_PAGE_FAULT, GUEST_PLIC_BASE + PLIC_ENABLE_CTX0,
	     HTINST_SW_A1);
	assert_true(vplic_context_pending(&vm->plic, 0));

	/* Hart 0, before it took hart 1's IPI: vCPU 0 claims the source. */
	mmio(0, EXC_LOAD_GUEST_PAGE_FAULT, GUEST_PLIC_BASE + PLIC_CLAIM_CTX0,
	     HTINST_LW_A0);
	assert_int_equal(sim_frame(0)->regs[10], GUEST_UART_IRQ);
	assert_false(vplic_context_pending(&vm->plic, 0));
	assert_false(sim_hart_csr(0, CSR_HVIP) & HVIP_VSEIP);

	/* The IPI arrives late: still nothing for vCPU 0 to take. */
	sim_deliver();
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);
	assert_false(sim_hart_csr(0, CSR_HVIP) & HVIP_VSEIP);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(claim_beats_remote_raise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
