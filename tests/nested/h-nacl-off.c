// SPDX-License-Identifier: MIT
/*
 * A nested guest whose config has nested-nacl-off (under L0:
 * configs/nested-payload-h-nacl-off.dts) has the H extension without SBI
 * nested acceleration: NACL is not there to probe, and its calls are
 * SBI_ERR_NOT_SUPPORTED. OpenSBI on QEMU's own H extension has none either.
 */
#include "nested.h"

const char payload_name[] = "h-nacl-off";
PLAN("probe-absent", "calls-not-supported");

#define SBI_EXT_NACL 0x4e41434c

static uint8_t shmem[4096 + 8192] __attribute__((aligned(4096)));

void test_main(void)
{
	struct sbiret r = sbi_call(SBI_EXT_BASE, 3, SBI_EXT_NACL, 0, 0, 0, 0);
	bool all = true;

	check("probe-absent", !r.error && r.value == 0, "error %ld value %ld",
	      r.error, r.value);
	/* PROBE_FEATURE, SET_SHMEM, SYNC_CSR, SYNC_HFENCE, SYNC_SRET. */
	for (unsigned long fid = 0; fid < 5; fid++) {
		r = sbi_call(SBI_EXT_NACL, fid, (unsigned long)shmem, 0, 0, 0,
			     0);
		all &= r.error == SBI_ERR_NOT_SUPPORTED;
	}
	check("calls-not-supported", all, "a NACL call did not fail");
}
