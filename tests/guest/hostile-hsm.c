// SPDX-License-Identifier: MIT
/*
 * A hostile guest's HSM and SRST arguments: huge hart ids, reserved and
 * platform-specific suspend types, a resume address with nothing there,
 * reserved reset types and reasons. Every call must return, with the error
 * the SBI spec (v2.0) gives it.
 */
#include "guest.h"

#define WAKE_US 300000 /* a timer that ends a suspend that should fail */

const char payload_name[] = "hostile-hsm";
PLAN("start-huge-hart", "status-huge-hart", "suspend-rsv-1",
     "suspend-rsv-0fffffff", "suspend-rsv-80000001", "suspend-rsv-8fffffff",
     "suspend-platform-ret", "suspend-platform-nonret", "suspend-bad-resume",
     "srst-type-rsv", "srst-type-rsv-high", "srst-reason-rsv",
     "srst-reason-rsv-high", "srst-type-rsv-vendor-reason", "srst-type-vendor");

static void expect_err(const char *name, long err, long want)
{
	check(name, err == want, "error %ld, want %ld", err, want);
}

/* Where a non-retentive suspend that should have failed lands. */
static void wrong_resume(void)
{
	gprintf("FAIL: hostile-hsm: suspend-resumed (a suspend that must fail resumed)\n");
	sbi_shutdown();
}

/*
 * One suspend that must fail. A timer is armed (STIE, with SIE = 0) so that
 * a suspend that wrongly happens still ends.
 */
static long suspend(uint32_t type, unsigned long resume)
{
	long err;

	sbi_set_timer(now() + us_to_ticks(WAKE_US));
	csr_set(sie, SIE_STIE);
	err = sbi_hart_suspend(type, resume, 0);
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIE_STIE);
	return err;
}

static void hsm_cases(void)
{
	unsigned long resume = (unsigned long)wrong_resume;
	long err;

	expect_err("start-huge-hart",
		   sbi_hart_start(~0UL, (unsigned long)secondary_entry, 0),
		   SBI_ERR_INVALID_PARAM);
	expect_err("status-huge-hart", sbi_hart_status(~0UL).error,
		   SBI_ERR_INVALID_PARAM);
	/* Reserved types: SBI_ERR_INVALID_PARAM. */
	expect_err("suspend-rsv-1", suspend(0x1, resume),
		   SBI_ERR_INVALID_PARAM);
	expect_err("suspend-rsv-0fffffff", suspend(0x0fffffff, resume),
		   SBI_ERR_INVALID_PARAM);
	expect_err("suspend-rsv-80000001", suspend(0x80000001, resume),
		   SBI_ERR_INVALID_PARAM);
	expect_err("suspend-rsv-8fffffff", suspend(0x8fffffff, resume),
		   SBI_ERR_INVALID_PARAM);
	/* Platform-specific: INVALID_PARAM when unimplemented, NOT_SUPPORTED
	 * when implemented but missing a dependency. */
	err = suspend(0x7fffffff, resume);
	check("suspend-platform-ret",
	      err == SBI_ERR_INVALID_PARAM || err == SBI_ERR_NOT_SUPPORTED,
	      "type 0x7fffffff: error %ld, want -3 (or -2)", err);
	err = suspend(0x90000000, resume);
	check("suspend-platform-nonret",
	      err == SBI_ERR_INVALID_PARAM || err == SBI_ERR_NOT_SUPPORTED,
	      "type 0x90000000: error %ld, want -3 (or -2)", err);
	err = suspend(0x80000000, plat.bad_addr);
	check("suspend-bad-resume", err == SBI_ERR_INVALID_ADDRESS,
	      "resume 0x%lx: error %ld, want -5", (unsigned long)plat.bad_addr,
	      err);
}

static long srst(unsigned long type, unsigned long reason)
{
	return sbi_call(SBI_EXT_SRST, 0, type, reason, 0, 0, 0).error;
}

static void srst_cases(void)
{
	long err;

	expect_err("srst-type-rsv", srst(3, 0), SBI_ERR_INVALID_PARAM);
	expect_err("srst-type-rsv-high", srst(0xefffffff, 0),
		   SBI_ERR_INVALID_PARAM);
	expect_err("srst-reason-rsv", srst(0, 2), SBI_ERR_INVALID_PARAM);
	expect_err("srst-reason-rsv-high", srst(0, 0xdfffffff),
		   SBI_ERR_INVALID_PARAM);
	/* A reserved type is INVALID_PARAM whatever the reason. */
	expect_err("srst-type-rsv-vendor-reason", srst(3, 0xf0000000),
		   SBI_ERR_INVALID_PARAM);
	/* A vendor type: INVALID_PARAM when unimplemented, NOT_SUPPORTED
	 * when implemented but missing a dependency. */
	err = srst(0xf0000000, 0);
	check("srst-type-vendor",
	      err == SBI_ERR_INVALID_PARAM || err == SBI_ERR_NOT_SUPPORTED,
	      "error %ld, want -3 (or -2)", err);
}

void test_main(void)
{
	irq_disable_all();
	hsm_cases();
	srst_cases();
}
