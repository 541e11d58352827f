// SPDX-License-Identifier: MIT
/*
 * SBI PMU (SBI spec v2.0): two virtual hardware counters per vCPU, cycles
 * (counter 0, read as the cycle CSR) and instructions retired (counter 1,
 * the instret CSR). They count the host's cycle and instret only while the
 * vCPU is on its hart (from its entry to its exit, which includes the L0
 * work of the traps it takes meanwhile), so that no other vCPU's or VM's
 * work shows in them. Once a vCPU uses the PMU, its reads of cycle and
 * instret trap (hcounteren) and L0 answers with the counters' values;
 * before, they read the host's CSRs as ever. There are no firmware
 * counters, no privilege-mode filtering (a request for one is
 * NOT_SUPPORTED), no overflow interrupt and no snapshot memory
 * (SNAPSHOT_SET_SHMEM: NOT_SUPPORTED).
 *
 * A nested L1 calls the PMU itself; its L2's calls are L1's (an ecall in
 * L2 exits to L1). Without mode filtering a counter counts whatever its
 * hart runs while it is started (the SBI spec's filters are the INH
 * flags): L1's vCPU runs L2 too, so L1's counters count L2's work under
 * L1 as well, as a host's counters count its guests' on a hart without
 * Sscofpmf. L2 under L1 reads L1's counters as hardware would give it the
 * hart's: when L1's hcounteren allows it (else the trap is L1's).
 */
#include <arch/csr.h>
#include <arch/cpu.h>
#include <l0/bits.h>
#include <l0/sbi_guest.h>
#include <l0/vm.h>

#include "sbi.h"

#define PMU_EVENT_HW_CPU_CYCLES 0x00001	  /* type 0 (hardware), code 1 */
#define PMU_EVENT_HW_INSTRUCTIONS 0x00002 /* type 0, code 2 */
#define CFG_SKIP_MATCH BIT(0)
#define CFG_CLEAR_VALUE BIT(1)
#define CFG_AUTO_START BIT(2)
#define CFG_INHIBIT GENMASK(6, 3) /* VUINH, VSINH, UINH, SINH */
#define CFG_SET_MINH BIT(7)	  /* M-mode: the guest has none to count */
#define START_SET_INIT_VALUE BIT(0)
#define START_INIT_SNAPSHOT BIT(1)
#define STOP_RESET BIT(0)
#define STOP_TAKE_SNAPSHOT BIT(1)
#define INFO_WIDTH_SHIFT 12 /* counter_get_info: bits minus one */

static const struct {
	unsigned int csr; /* what the guest reads */
	unsigned long event;
	unsigned long hcounteren; /* the bit that makes its reads trap */
} counters[VCPU_PMU_COUNTERS] = {
	{ CSR_CYCLE, PMU_EVENT_HW_CPU_CYCLES, HCOUNTEREN_CY },
	{ CSR_INSTRET, PMU_EVENT_HW_INSTRUCTIONS, HCOUNTEREN_IR },
};

static uint64_t host_count(unsigned int i)
{
	return i ? csr_read(CSR_INSTRET) : csr_read(CSR_CYCLE);
}

/* Counter i's value now, on the vCPU's own hart. */
static uint64_t count(const struct vcpu_pmu *p, unsigned int i, bool on_hart)
{
	if (!(p->started & BIT(i)) || !on_hart)
		return p->value[i];
	return p->value[i] + host_count(i) - p->entered[i];
}

void sbi_pmu_enter(struct vcpu *v)
{
	struct vcpu_pmu *p = &v->sbi.pmu;

	for (unsigned int i = 0; i < VCPU_PMU_COUNTERS; i++)
		if (p->started & BIT(i))
			p->entered[i] = host_count(i);
}

void sbi_pmu_leave(struct vcpu *v)
{
	struct vcpu_pmu *p = &v->sbi.pmu;

	for (unsigned int i = 0; i < VCPU_PMU_COUNTERS; i++)
		if (p->started & BIT(i))
			p->value[i] = count(p, i, true);
}

/*
 * The counters (base, mask) names, as a bit set; -1 when one does not
 * exist (SBI_ERR_INVALID_PARAM).
 */
static long counter_set(unsigned long base, unsigned long mask)
{
	if (base >= VCPU_PMU_COUNTERS ||
	    (mask >> (VCPU_PMU_COUNTERS - base)) != 0)
		return -1;
	return (long)(mask << base);
}

/* From the guest's first use: its cycle and instret reads come to L0. */
static void virtualize_csrs(struct vcpu *v)
{
	if (v->sbi.pmu.virtual_csrs)
		return;
	v->sbi.pmu.virtual_csrs = true;
	for (unsigned int i = 0; i < VCPU_PMU_COUNTERS; i++)
		v->csrs.hcounteren &= ~counters[i].hcounteren;
	csr_write(CSR_HCOUNTEREN, v->csrs.hcounteren);
}

static void start(struct vcpu_pmu *p, unsigned int i)
{
	p->entered[i] = host_count(i);
	p->started |= BIT(i);
}

static struct sbi_result pmu_num_counters(struct sbi_call *c)
{
	(void)c;
	return sbi_ok(VCPU_PMU_COUNTERS);
}

static struct sbi_result pmu_counter_get_info(struct sbi_call *c)
{
	unsigned long i = c->a[0];

	if (i >= VCPU_PMU_COUNTERS)
		return sbi_err(SBI_ERR_INVALID_PARAM);
	/* A hardware counter (type bit 0), 64 bits wide. */
	return sbi_ok(counters[i].csr | (63UL << INFO_WIDTH_SHIFT));
}

static struct sbi_result pmu_config_matching(struct sbi_call *c)
{
	struct vcpu_pmu *p = &c->vcpu->sbi.pmu;
	unsigned long flags = c->a[2], event = c->a[3];
	long set = counter_set(c->a[0], c->a[1]);
	unsigned int i;

	if (set <= 0 || (flags & ~GENMASK(7, 0)))
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (flags & CFG_SKIP_MATCH) {
		/* The first counter of the set, configured before. */
		i = ctz64((uint64_t)set);
		if (!(p->configured & BIT(i)))
			return sbi_err(SBI_ERR_INVALID_PARAM);
	} else {
		if (flags & CFG_INHIBIT)
			return sbi_err(SBI_ERR_NOT_SUPPORTED);
		for (i = 0; i < VCPU_PMU_COUNTERS; i++)
			if ((set & BIT(i)) && !(p->configured & BIT(i)) &&
			    counters[i].event == event)
				break;
		if (i == VCPU_PMU_COUNTERS)
			return sbi_err(SBI_ERR_NOT_SUPPORTED);
	}
	virtualize_csrs(c->vcpu);
	p->configured |= BIT(i);
	if (flags & CFG_CLEAR_VALUE) {
		p->value[i] = 0;
		p->entered[i] = host_count(i);
	}
	if ((flags & CFG_AUTO_START) && !(p->started & BIT(i)))
		start(p, i);
	return sbi_ok(i);
}

static struct sbi_result pmu_counter_start(struct sbi_call *c)
{
	struct vcpu_pmu *p = &c->vcpu->sbi.pmu;
	unsigned long flags = c->a[2];
	long set = counter_set(c->a[0], c->a[1]);

	if (set <= 0 || (flags & ~(START_SET_INIT_VALUE | START_INIT_SNAPSHOT)))
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (flags & START_INIT_SNAPSHOT)
		return sbi_err(SBI_ERR_NO_SHMEM);
	if ((unsigned long)set & p->started)
		return sbi_err(SBI_ERR_ALREADY_STARTED);
	virtualize_csrs(c->vcpu);
	for (unsigned int i = 0; i < VCPU_PMU_COUNTERS; i++) {
		if (!(set & BIT(i)))
			continue;
		if (flags & START_SET_INIT_VALUE)
			p->value[i] = c->a[3];
		start(p, i);
	}
	return sbi_ok(0);
}

static struct sbi_result pmu_counter_stop(struct sbi_call *c)
{
	struct vcpu_pmu *p = &c->vcpu->sbi.pmu;
	unsigned long flags = c->a[2], was_started = p->started;
	long set = counter_set(c->a[0], c->a[1]);

	if (set <= 0 || (flags & ~(STOP_RESET | STOP_TAKE_SNAPSHOT)))
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (flags & STOP_TAKE_SNAPSHOT)
		return sbi_err(SBI_ERR_NO_SHMEM);
	/* RESET releases a stopped counter too (Linux stops, then resets). */
	for (unsigned int i = 0; i < VCPU_PMU_COUNTERS; i++) {
		if (!(set & BIT(i)))
			continue;
		if (p->started & BIT(i)) {
			p->value[i] = count(p, i, true);
			p->started &= ~BIT(i);
		}
		if (flags & STOP_RESET)
			p->configured &= ~BIT(i);
	}
	return sbi_err(((unsigned long)set & was_started) != (unsigned long)set
			       ? SBI_ERR_ALREADY_STOPPED
			       : SBI_SUCCESS);
}

/* Both counters are hardware ones: no firmware counter to read. */
static struct sbi_result pmu_fw_read(struct sbi_call *c)
{
	(void)c;
	return sbi_err(SBI_ERR_INVALID_PARAM);
}

bool sbi_guest_pmu_read_csr(struct vcpu *v, struct trap_frame *tf,
			    unsigned long hcounteren)
{
	unsigned long insn = tf->stval, csr = insn >> 20, rd = (insn >> 7) & 31;
	unsigned long funct3 = (insn >> 12) & 7, rs1 = (insn >> 15) & 31;
	bool from_vu = !(tf->sstatus & SSTATUS_SPP);

	/* csrrs or csrrc (funct3 2, 3) with x0, csrrsi or csrrci (6, 7)
	 * with 0: reads only. Anything else stays an illegal instruction. */
	if (!v->sbi.pmu.virtual_csrs || (insn & 0x7f) != 0x73 || rs1 ||
	    (funct3 & 3) < 2)
		return false;
	for (unsigned int i = 0; i < VCPU_PMU_COUNTERS; i++) {
		if (csr != counters[i].csr)
			continue;
		/*
		 * V=1 reads as hcounteren, then (VU-mode) scounteren let
		 * them (privileged spec, "Counter-Enable Registers"); the
		 * hart's scounteren is the reader's own.
		 */
		if (!(hcounteren & counters[i].hcounteren))
			return false;
		if (from_vu &&
		    !(csr_read(CSR_SCOUNTEREN) & counters[i].hcounteren))
			return false;
		if (rd)
			tf->regs[rd] = count(&v->sbi.pmu, i, true);
		tf->sepc += 4;
		return true;
	}
	return false;
}

static void pmu_vcpu_reset(struct vcpu *v)
{
	v->sbi.pmu = (struct vcpu_pmu){ 0 };
}

/* FIDs 0-6; 7 (SNAPSHOT_SET_SHMEM) and 8 are NOT_SUPPORTED. */
static const sbi_fn pmu_fns[] = {
	pmu_num_counters,  pmu_counter_get_info, pmu_config_matching,
	pmu_counter_start, pmu_counter_stop,	 pmu_fw_read,
	pmu_fw_read,
};

const struct sbi_ext sbi_ext_pmu =
	SBI_EXT(0x504d55, "PMU", pmu_fns, .vcpu_reset = pmu_vcpu_reset);
