// SPDX-License-Identifier: MIT
/*
 * A hostile guest's SBI calls: unknown extensions and functions, hart masks
 * past every hart, RFENCE ranges that overflow, hfence calls without H,
 * set_timer(0). Every one must return, with the error the SBI spec (v2.0)
 * gives it. HSM and SRST arguments are in hostile-hsm.c.
 */
#include "guest.h"

#define WAIT_US 100000

enum {
	FENCE_I,
	SFENCE_VMA,
	SFENCE_VMA_ASID,
	HFENCE_GVMA_VMID,
	HFENCE_GVMA,
	HFENCE_VVMA_ASID,
	HFENCE_VVMA
};

const char payload_name[] = "hostile-sbi";
PLAN("unknown-ext", "unknown-ext-high", "probe-unknown", "fid-base",
     "fid-base-huge", "fid-time", "fid-ipi", "fid-rfence", "fid-hsm",
     "fid-srst", "fid-dbcn", "ipi-base-huge", "ipi-base-past", "ipi-base-wrap",
     "ipi-all", "rfence-base-huge", "rfence-range-overflow", "rfence-size-max",
     "hfence-gvma-vmid", "hfence-gvma", "hfence-vvma-asid", "hfence-vvma",
     "timer-zero", "timer-cancel");

static void expect_err(const char *name, long err, long want)
{
	check(name, err == want, "error %ld, want %ld", err, want);
}

static void unknown_cases(void)
{
	/* Not in the spec's registry, nor experimental/vendor/firmware. */
	expect_err("unknown-ext", sbi_call0(0x0badc0de, 0).error,
		   SBI_ERR_NOT_SUPPORTED);
	expect_err("unknown-ext-high", sbi_call0(0x7fffffff, 0).error,
		   SBI_ERR_NOT_SUPPORTED);
	check("probe-unknown",
	      sbi_probe(0x0badc0de) == 0 && sbi_probe(0x7fffffff) == 0,
	      "probe 0x%lx / 0x%lx", sbi_probe(0x0badc0de),
	      sbi_probe(0x7fffffff));
	expect_err("fid-base", sbi_call0(SBI_EXT_BASE, 7).error,
		   SBI_ERR_NOT_SUPPORTED);
	expect_err("fid-base-huge", sbi_call0(SBI_EXT_BASE, 0x7fffffff).error,
		   SBI_ERR_NOT_SUPPORTED);
	expect_err("fid-time", sbi_call0(SBI_EXT_TIME, 1).error,
		   SBI_ERR_NOT_SUPPORTED);
	expect_err("fid-ipi", sbi_call0(SBI_EXT_IPI, 1).error,
		   SBI_ERR_NOT_SUPPORTED);
	expect_err("fid-rfence", sbi_call0(SBI_EXT_RFENCE, 7).error,
		   SBI_ERR_NOT_SUPPORTED);
	expect_err("fid-hsm", sbi_call0(SBI_EXT_HSM, 4).error,
		   SBI_ERR_NOT_SUPPORTED);
	expect_err("fid-srst", sbi_call0(SBI_EXT_SRST, 1).error,
		   SBI_ERR_NOT_SUPPORTED);
	expect_err("fid-dbcn", sbi_call0(SBI_EXT_DBCN, 3).error,
		   SBI_ERR_NOT_SUPPORTED);
}

static unsigned long max_hart(void)
{
	unsigned long m = 0;

	for (int i = 0; i < plat.nr_harts; i++)
		if (plat.hart_ids[i] > m)
			m = plat.hart_ids[i];
	return m;
}

static void ipi_cases(void)
{
	unsigned long self = this_hart(), sip;
	long err;

	/* hart_mask_base not valid: SBI_ERR_INVALID_PARAM. */
	expect_err("ipi-base-huge", sbi_send_ipi(1, 1UL << 40),
		   SBI_ERR_INVALID_PARAM);
	expect_err("ipi-base-past", sbi_send_ipi(1, max_hart() + 1),
		   SBI_ERR_INVALID_PARAM);
	/* Base -2: its bits 0 and 1 name hart ids -2 and -1 (wrapping). */
	expect_err("ipi-base-wrap", sbi_send_ipi(3, ~0UL - 1),
		   SBI_ERR_INVALID_PARAM);
	/* Base -1: every hart, whatever the mask holds. */
	csr_clear(sstatus, SSTATUS_SIE);
	csr_clear(sip, SIE_SSIE);
	err = sbi_send_ipi(0xdeadbeefcafef00dUL, ~0UL);
	delay_us(WAIT_US / 10);
	for (int i = 0; i < 1000 && !(csr_read(sip) & SIE_SSIE); i++)
		delay_us(WAIT_US / 1000);
	sip = csr_read(sip);
	csr_clear(sip, SIE_SSIE);
	check("ipi-all", !err && (sip & SIE_SSIE),
	      "error %ld, hart %lu sip 0x%lx", err, self, sip);
}

static long fence(unsigned long fid, unsigned long mask, unsigned long base,
		  unsigned long start, unsigned long size, unsigned long id)
{
	return sbi_call(SBI_EXT_RFENCE, fid, mask, base, start, size, id).error;
}

static void rfence_cases(void)
{
	static const char *const names[] = { "hfence-gvma-vmid", "hfence-gvma",
					     "hfence-vvma-asid",
					     "hfence-vvma" };
	unsigned long self = this_hart();
	bool has_h = hart_has_ext(self, "h");
	long err;

	expect_err("rfence-base-huge", fence(FENCE_I, 1, 1UL << 40, 0, 0, 0),
		   SBI_ERR_INVALID_PARAM);
	/* start + size wraps: a flush of everything, or INVALID_ADDRESS. */
	err = fence(SFENCE_VMA, 1, self, ~0UL - 0xfff, 0x10000, 0);
	check("rfence-range-overflow",
	      err == SBI_SUCCESS || err == SBI_ERR_INVALID_ADDRESS,
	      "error %ld, want 0 or -5", err);
	/* size 2^XLEN - 1 is "the entire address space", whatever start is. */
	err = fence(SFENCE_VMA_ASID, 1, self, 0x1234, ~0UL, 0);
	expect_err("rfence-size-max", err, SBI_SUCCESS);
	/* hfence: only for harts with H; NOT_SUPPORTED for one without. */
	for (unsigned long fid = HFENCE_GVMA_VMID; fid <= HFENCE_VVMA; fid++) {
		err = fence(fid, 1, self, 0, 0, 0);
		check(names[fid - HFENCE_GVMA_VMID],
		      has_h ? err == SBI_SUCCESS : err == SBI_ERR_NOT_SUPPORTED,
		      "error %ld; the FDT says the hart %s H, want %d", err,
		      has_h ? "has" : "does not have",
		      has_h ? 0 : SBI_ERR_NOT_SUPPORTED);
	}
}

/* set_timer(0): the deadline is past, so STIP is pending at once. */
static void timer_cases(void)
{
	unsigned long sip = 0;
	uint64_t end;
	long err;

	csr_clear(sstatus, SSTATUS_SIE);
	err = sbi_set_timer(0);
	end = now() + us_to_ticks(WAIT_US);
	while (!((sip = csr_read(sip)) & SIE_STIE) && now() < end)
		;
	check("timer-zero", !err && (sip & SIE_STIE),
	      "error %ld sip 0x%lx after %u us", err, sip, WAIT_US);
	err = sbi_set_timer(~0ULL);
	end = now() + us_to_ticks(WAIT_US);
	while (((sip = csr_read(sip)) & SIE_STIE) && now() < end)
		;
	check("timer-cancel", !err && !(sip & SIE_STIE), "error %ld sip 0x%lx",
	      err, sip);
}

void test_main(void)
{
	irq_disable_all();
	unknown_cases();
	ipi_cases();
	rfence_cases();
	timer_cases();
}
