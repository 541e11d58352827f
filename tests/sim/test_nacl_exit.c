// SPDX-License-Identifier: MIT
/*
 * SBI NACL: at L2's exit L0 writes into L1's CSR space only the CSRs an
 * exit may change (nested/nacl.c's list), where the SBI spec's NACL
 * chapter wants the space updated "whenever the state of any RISC-V
 * H-extension CSR changes". This holds the exit to the list: L1 enters L2
 * with SYNC_SRET (with dirty CSRs, some the exit leaves out), L2 changes
 * every VS-level CSR the hart holds for it, the time passes its
 * vstimecmp, and it traps to L1; then a publish of every CSR must find
 * the CSR space already as it would write it. And L1's own traps after
 * the exit, which L0 learns of late: the space and L0 agree on hstatus
 * once L0 does (own_trap_settles_space).
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

/* A nested VM of one vCPU, on hart 0, whose L1 set its shared memory. */
static struct vcpu *boot_with_shmem(void)
{
	struct vm_config cfg = sim_vm_config("n", 1, 1, true);
	struct vcpu *v;

	sim_init(1, true);
	assert_int_equal(sim_boot(&cfg, 1), 1);
	v = sim_current(0);
	shmem = vm_ram_ptr(v->vm, SHMEM_GPA, NACL_SHMEM_SIZE);
	assert_non_null(shmem);
	assert_int_equal(
		sim_sbi(0, EXT_NACL, NACL_SET_SHMEM, SHMEM_GPA, 0, 0, NULL), 0);
	return v;
}

static void exit_publishes_enough(void **state)
{
	static uint8_t after[NACL_SHMEM_SIZE];
	struct vcpu *v = boot_with_shmem();
	struct nested_vcpu *n = v->nested;

	(void)state;

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

/* csrr t0, hstatus (csrrs x5, hstatus, x0) */
#define CSRR_T0_HSTATUS ((CSR_H_HSTATUS << 20) | (2u << 12) | (5u << 7) | 0x73u)

/* What L1 next does after L2's exit and a trap of its own. */
enum after_own_trap {
	L1_READS_HSTATUS, /* csrr: a trap into L0 */
	L1_SRETS,	  /* its own SRET back (SPV 0: stays in L1) */
};

/*
 * L2 exits into L1 (hstatus.SPV = 1 in the CSR space), then L1 takes a
 * trap of its own, which the hart gives it directly: hardware clears SPV
 * and GVA, and L0 learns of it only at L1's next trap into L0, from L1's
 * changed sepc (nested_settle_l1_hstatus). After that trap L1 may read
 * hstatus in the CSR space; the spec wants the space to hold the CSR's
 * state then, so it must say SPV = 0 as L0 does.
 */
static void own_trap_settles_space(enum after_own_trap next)
{
	struct vcpu *v = boot_with_shmem();
	struct nested_vcpu *n = v->nested;

	l1_write(CSR_H_HSTATUS, HSTATUS_SPV | HSTATUS_SPVP);
	sim_sbi(0, EXT_NACL, NACL_SYNC_SRET, 0, 0, 0, NULL);
	assert_true(nested_in_l2(v));
	/* A page fault at a guest virtual address: the exit sets GVA too. */
	sim_frame(0)->hstatus |= HSTATUS_GVA;
	sim_trap(0, EXC_LOAD_PAGE_FAULT, 0x1000, 0, 0);
	assert_false(nested_in_l2(v));
	assert_true(space(CSR_H_HSTATUS) & HSTATUS_SPV);
	assert_true(space(CSR_H_HSTATUS) & HSTATUS_GVA);

	/* L1's own interrupt: the hart writes L1's sepc and scause. */
	sim_set_hart_csr(0, CSR_VSEPC, 0x80201234);
	sim_set_hart_csr(0, CSR_VSCAUSE, SCAUSE_INTERRUPT | 5);
	switch (next) {
	case L1_READS_HSTATUS:
		sim_l1_insn(0, CSRR_T0_HSTATUS, 0, 0);
		assert_false(sim_frame(0)->regs[5] & HSTATUS_SPV);
		break;
	case L1_SRETS:
		sim_l1_sret(0);
		assert_false(nested_in_l2(v));
		break;
	}
	assert_false(n->csrs.hstatus & (HSTATUS_SPV | HSTATUS_GVA));
	assert_false(space(CSR_H_HSTATUS) & (HSTATUS_SPV | HSTATUS_GVA));
	if (sim_violations)
		fail_msg("%s", sim_violation_msg);
}

static void own_trap_then_csr_read(void **state)
{
	(void)state;
	own_trap_settles_space(L1_READS_HSTATUS);
}

static void own_trap_then_sret(void **state)
{
	(void)state;
	own_trap_settles_space(L1_SRETS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exit_publishes_enough),
		cmocka_unit_test(own_trap_then_csr_read),
		cmocka_unit_test(own_trap_then_sret),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
