// SPDX-License-Identifier: MIT
/*
 * SBI NACL: at L2's exit L0 writes into L1's CSR space only the CSRs an
 * exit may change (nested/nacl.c's list), where the SBI spec's NACL
 * chapter wants the space updated "whenever the state of any RISC-V
 * H-extension CSR changes". This holds the exit to the list: L1 enters L2
 * with SYNC_SRET (with dirty CSRs, some the exit leaves out), L2 changes
 * every VS-level CSR the hart holds for it, the time passes its
 * vstimecmp, and it traps to L1; then a publish of every CSR must find
 * the CSR space already as it would write it.
 */
#include <string.h>

#include <arch/csr.h>

#include "../../nested/state.h"
#include "sim.h"
#include "stubs.h"

#define EXT_NACL 0x4e41434cUL
#define NACL_SET_SHMEM 1
#define NACL_SYNC_SRET 4
#define SHMEM_GPA 0x80500000UL

#define VSSI BIT(2)
#define VSTI BIT(6)
#define VSEI BIT(10)

static uint8_t *shmem;

/* L1 writes CSR `csr` in the CSR space and marks it dirty. */
static void l1_write(unsigned int csr, uint64_t val)
{
	unsigned int i = nacl_csr_index(csr);

	memcpy(shmem + NACL_CSR_OFF + 8 * i, &val, 8);
	shmem[NACL_DIRTY_OFF + i / 8] |= (uint8_t)(1u << (i % 8));
}

static uint64_t space(unsigned int csr)
{
	return nacl_csr_word(shmem, csr);
}

/*
 * L2 runs on the hart: it writes each VS CSR it has (a round's own
 * values), and the time passes its vstimecmp in odd rounds.
 */
static void l2_runs(unsigned int round)
{
	unsigned long r = round + 1;

	sim_set_hart_csr(0, CSR_VSSTATUS,
			 SSTATUS_SUM | (round & 1 ? SSTATUS_SIE : 0));
	sim_set_hart_csr(0, CSR_VSIE, round & 1 ? 0x222 : 0x20);
	sim_set_hart_csr(0, CSR_VSTVEC, 0x80201000 + 4 * r + 1);
	sim_set_hart_csr(0, CSR_VSSCRATCH, 0x5c0000 + r);
	sim_set_hart_csr(0, CSR_VSEPC, 0x80202000 + 2 * r);
	sim_set_hart_csr(0, CSR_VSCAUSE, r);
	sim_set_hart_csr(0, CSR_VSTVAL, 0x7000 + r);
	sim_set_hart_csr(0, CSR_VSATP, (8UL << 60) | (r << 44) | (0x80300 + r));
	sim_set_hart_csr(0, CSR_VSTIMECMP, sim_now + (round & 1 ? 0 : 1000));
	/* L2 clears (or sets) its sip.SSIP: hvip.VSSIP on the hart. */
	sim_set_hart_csr(0, CSR_HVIP, round & 1 ? 0 : HVIP_VSSIP);
	sim_now += 10;
}

static void exit_publishes_enough(void **state)
{
	struct vm_config cfg = sim_vm_config("n", 1, 1, true);
	static uint8_t after[NACL_SHMEM_SIZE];
	struct nested_vcpu *n;
	struct vcpu *v;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&cfg, 1), 1);
	v = sim_current(0);
	n = v->nested;
	shmem = vm_ram_ptr(v->vm, SHMEM_GPA, NACL_SHMEM_SIZE);
	assert_non_null(shmem);
	assert_int_equal(
		sim_sbi(0, EXT_NACL, NACL_SET_SHMEM, SHMEM_GPA, 0, 0, NULL), 0);

	for (unsigned int round = 0; round < 4; round++) {
		/* L1's set-up for L2, dirty: two of them only L1 changes. */
		l1_write(CSR_H_HEDELEG, ~0UL); /* legalized: WARL */
		l1_write(CSR_H_HENVCFG, HENVCFG_STCE | ~0UL << 1 >> 1);
		/* All it raises is delegated: L2 runs (else L1 takes it). */
		l1_write(CSR_H_HIDELEG, round & 1 ? VSSI | VSTI | VSEI : VSSI);
		l1_write(CSR_H_HIE, VSSI | VSTI | VSEI);
		l1_write(CSR_H_HVIP, round & 1 ? VSEI : VSSI);
		l1_write(CSR_H_HSTATUS, HSTATUS_SPV | HSTATUS_SPVP);
		sim_sbi(0, EXT_NACL, NACL_SYNC_SRET, 0, 0, 0, NULL);
		assert_true(nested_in_l2(v));

		l2_runs(round);
		/* An ecall, as the hart gives it (htval, htinst: any). */
		sim_trap(0, EXC_ECALL_VS, 0, 0x1234 + round, 0x73);
		assert_false(nested_in_l2(v));

		/* The exit's values are there: L1 reads them. */
		assert_true(space(CSR_H_HSTATUS) & HSTATUS_SPV);
		assert_int_equal(space(CSR_H_HTVAL), 0x1234 + round);
		assert_int_equal(space(CSR_H_VSSCRATCH), 0x5c0000 + round + 1);
		assert_int_equal(space(CSR_H_VSCAUSE), round + 1);
		/* And a publish of all of them writes nothing new. */
		memcpy(after, shmem, NACL_SHMEM_SIZE);
		nested_nacl_publish(n);
		for (unsigned int i = 0; i < nested_csr_count(); i++) {
			unsigned int csr = nested_csr_number(i);

			if (space(csr) != nacl_csr_word(after, csr))
				fail_msg(
					"round %u: %s is 0x%lx in the CSR space after the exit, 0x%lx in L0",
					round, nested_csr_name(csr),
					(unsigned long)nacl_csr_word(after,
								     csr),
					(unsigned long)space(csr));
		}
		assert_memory_equal(after, shmem, NACL_SHMEM_SIZE);
	}
	if (sim_violations)
		fail_msg("%s", sim_violation_msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exit_publishes_enough),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
