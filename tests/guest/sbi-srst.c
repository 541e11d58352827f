// SPDX-License-Identifier: MIT
/* SBI SRST: reserved reset types and reasons fail; then a real shutdown. */
#include "guest.h"

const char payload_name[] = "sbi-srst";
PLAN("bad-type", "bad-type-high", "bad-type-64bit", "bad-reason",
     "bad-reason-high", "unknown-fid");

static void expect_reset(const char *name, unsigned long type,
			 unsigned long reason)
{
	long err = sbi_call(SBI_EXT_SRST, 0, type, reason, 0, 0, 0).error;

	check(name, err == SBI_ERR_INVALID_PARAM,
	      "reset(0x%lx, 0x%lx): error %ld, want -3", type, reason, err);
}

void test_main(void)
{
	long err;

	/* Types 0x3..0xEFFFFFFF and reasons 0x2..0xDFFFFFFF are reserved. */
	expect_reset("bad-type", 0x1000, 0);
	expect_reset("bad-type-high", 0xEFFFFFFF, 0);
	expect_reset("bad-type-64bit", 1UL << 32, 0);
	expect_reset("bad-reason", 0, 0x10000000);
	expect_reset("bad-reason-high", 0, 0xDFFFFFFF);
	err = sbi_call0(SBI_EXT_SRST, 1).error;
	check("unknown-fid", err == SBI_ERR_NOT_SUPPORTED, "error %ld, want -2",
	      err);
	/* test_done() shuts down for real; run.sh checks that QEMU exits. */
}
