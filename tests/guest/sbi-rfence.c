// SPDX-License-Identifier: MIT
/* SBI RFENCE: remote fences over valid and invalid hart masks. */
#include "guest.h"

#define WAIT_US 1000000
#define NO_SUCH_HART 40

enum {
	FENCE_I,
	SFENCE_VMA,
	SFENCE_VMA_ASID,
	HFENCE_GVMA_VMID,
	HFENCE_VVMA = 6,
};

const char payload_name[] = "sbi-rfence";
PLAN("hart-start", "fence-i", "fence-i-all", "sfence-vma", "sfence-vma-all",
     "sfence-vma-asid", "fence-i-invalid-base", "sfence-vma-invalid-base",
     "sfence-vma-asid-invalid-base", "fence-i-invalid-bit", "hfence-needs-h",
     "probe-still-rfence");

static volatile unsigned long ready, stop;

static void secondary(unsigned long hartid, unsigned long opaque)
{
	(void)hartid;
	(void)opaque;
	WRITE_ONCE(ready, 1);
	while (!READ_ONCE(stop))
		;
}

static long fence(unsigned long fid, unsigned long mask, unsigned long base,
		  unsigned long start, unsigned long size)
{
	return sbi_call(SBI_EXT_RFENCE, fid, mask, base, start, size, 1).error;
}

static void expect(const char *name, long err, long want)
{
	check(name, err == want, "error %ld, want %ld", err, want);
}

void test_main(void)
{
	long other = other_hart(), err, want;
	unsigned long both, bad_fid = 0;

	if (other < 0) {
		for (unsigned long i = 0; i < payload_plan_len; i++)
			check(payload_plan[i], false, "needs 2 harts");
		return;
	}
	err = start_hart((unsigned long)other, secondary, 0);
	check("hart-start", !err && wait_flag(&ready, WAIT_US),
	      "hart_start(%ld): error %ld", other, err);
	both = 1UL << other | 1UL << boot_hartid;
	expect("fence-i", fence(FENCE_I, both, 0, 0, 0), 0);
	expect("fence-i-all", fence(FENCE_I, 0, -1UL, 0, 0), 0);
	expect("sfence-vma", fence(SFENCE_VMA, both, 0, 0x80200000, 4096), 0);
	expect("sfence-vma-all", fence(SFENCE_VMA, 0, -1UL, 0, -1UL), 0);
	expect("sfence-vma-asid",
	       fence(SFENCE_VMA_ASID, both, 0, 0x80200000, 8192), 0);
	expect("fence-i-invalid-base", fence(FENCE_I, 1, NO_SUCH_HART, 0, 0),
	       SBI_ERR_INVALID_PARAM);
	expect("sfence-vma-invalid-base",
	       fence(SFENCE_VMA, 1, NO_SUCH_HART, 0, 0), SBI_ERR_INVALID_PARAM);
	expect("sfence-vma-asid-invalid-base",
	       fence(SFENCE_VMA_ASID, 1, NO_SUCH_HART, 0, 0),
	       SBI_ERR_INVALID_PARAM);
	expect("fence-i-invalid-bit",
	       fence(FENCE_I, both | 1UL << NO_SUCH_HART, 0, 0, 0),
	       SBI_ERR_INVALID_PARAM);
	/*
	 * FIDs 3-6 (remote HFENCE.GVMA/VVMA) are for a caller with the H
	 * extension (SBI spec v2.0, RFENCE): without it (a guest of L0 that
	 * is not nested-enabled) SBI_ERR_NOT_SUPPORTED for every mask and
	 * range; on a hart that has it (QEMU's rv64 has H), they succeed.
	 * RFENCE itself is there either way.
	 */
	want = hart_has_ext(boot_hartid, "h") ? SBI_SUCCESS
					      : SBI_ERR_NOT_SUPPORTED;
	err = want;
	for (unsigned long fid = HFENCE_GVMA_VMID;
	     fid <= HFENCE_VVMA && err == want; fid++) {
		bad_fid = fid;
		err = fence(fid, both, 0, 0, 0);
		if (err == want)
			err = fence(fid, 0, -1UL, 0, -1UL);
	}
	check("hfence-needs-h", err == want,
	      "FID %lu: error %ld, want %ld (H %s)", bad_fid, err, want,
	      want ? "absent" : "present");
	check("probe-still-rfence", sbi_probe(SBI_EXT_RFENCE) == 1,
	      "probe(RFENCE) = %ld", sbi_probe(SBI_EXT_RFENCE));
	WRITE_ONCE(stop, 1);
}
