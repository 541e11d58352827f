// SPDX-License-Identifier: MIT
/*
 * nested/csr.c: L1's virtual vs* CSRs, as L1 sees them while it runs
 * (nested_csr_fixture.h).
 */
#include "nested_csr_fixture.h"

/* ---- vsstatus ---- */

static void test_vsstatus_writable(void **state)
{
	(void)state;
	/* SIE 1, SPIE 5, SPP 8, FS 14:13, SUM 18, MXR 19; UXL = 2; FS = 3
	 * (Dirty) makes SD (63) read 1. */
	assert_int_equal(wr_rd(0x200, ~0UL), BIT(1) | BIT(5) | BIT(8) |
						     GENMASK(14, 13) | BIT(18) |
						     BIT(19) | XL64 | BIT(63));
	assert_int_equal(wr_rd(0x200, 0), XL64);
}

static void test_vsstatus_sd_follows_fs(void **state)
{
	(void)state;
	/* SD: read-only, set when FS, VS or XS is Dirty (3). */
	assert_int_equal(wr_rd(0x200, 1UL << 13), XL64 | (1UL << 13));
	assert_int_equal(wr_rd(0x200, 2UL << 13), XL64 | (2UL << 13));
	assert_int_equal(wr_rd(0x200, 3UL << 13), XL64 | (3UL << 13) | BIT(63));
	/* Writing SD alone does nothing. */
	assert_int_equal(wr_rd(0x200, BIT(63)), XL64);
}

static void test_vsstatus_read_only_fields(void **state)
{
	(void)state;
	/* UBE 6 (= VSBE = 0), VS 10:9 (no V), XS 16:15, SPELP 23, SDT 24,
	 * UXL (kept 2: a read-only copy of VSXL). */
	assert_int_equal(wr_rd(0x200, BIT(6) | GENMASK(10, 9) |
					      GENMASK(16, 15) | BIT(23) |
					      BIT(24) | (1UL << 32)),
			 XL64);
}

/* ---- vsie, vsip ---- */

static void test_vsie_alias_when_delegated(void **state)
{
	(void)state;
	/* H.vsip/vsie: with hideleg bits 2, 6, 10 set, vsie.SSIE/STIE/SEIE
	 * are aliases of hie.VSSIE/VSTIE/VSEIE. */
	wr(0x603, VS_ALL);
	assert_int_equal(wr_rd(0x204, ~0UL), S_ALL);
	assert_int_equal(rd(0x604), VS_ALL);
	wr(0x604, VSTIP);
	assert_int_equal(rd(0x204), STIP);
	wr(0x204, 0);
	assert_int_equal(rd(0x604), 0);
}

static void test_vsie_zero_when_not_delegated(void **state)
{
	(void)state;
	/* hideleg bits clear: vsie bits are read-only zeros. */
	wr(0x604, VS_ALL);
	assert_int_equal(rd(0x204), 0);
	assert_int_equal(wr_rd(0x204, 0), 0);
	assert_int_equal(rd(0x604), VS_ALL);
	wr(0x604, 0);
	assert_int_equal(wr_rd(0x204, S_ALL), 0);
	assert_int_equal(rd(0x604), 0);
}

static void test_vsie_partial_delegation(void **state)
{
	(void)state;
	wr(0x603, VSTIP);
	wr(0x604, VS_ALL);
	assert_int_equal(rd(0x204), STIP);
	wr(0x204, 0);
	assert_int_equal(rd(0x604), VSSIP | VSEIP);
	wr(0x204, S_ALL);
	assert_int_equal(rd(0x604), VS_ALL);
}

static void test_vsip_alias_when_delegated(void **state)
{
	(void)state;
	wr(0x603, VS_ALL);
	wr(0x645, VS_ALL);
	assert_int_equal(rd(0x244), S_ALL);
	/* vsip.SSIP aliases hip.VSSIP (writable); STIP, SEIP alias the
	 * read-only hip bits. */
	wr(0x244, 0);
	assert_int_equal(rd(0x645), VSTIP | VSEIP);
	assert_int_equal(rd(0x244), STIP | SEIP);
	wr(0x244, SSIP);
	assert_int_equal(rd(0x645), VS_ALL);
}

static void test_vsip_zero_when_not_delegated(void **state)
{
	(void)state;
	wr(0x645, VS_ALL);
	assert_int_equal(rd(0x244), 0);
	wr(0x244, 0);
	assert_int_equal(rd(0x645), VS_ALL);
	/* Only VSSI delegated. */
	wr(0x603, VSSIP);
	assert_int_equal(rd(0x244), SSIP);
	wr(0x645, 0);
	wr(0x244, S_ALL);
	assert_int_equal(rd(0x645), VSSIP);
}

static void test_vsip_sees_sstc_timer(void **state)
{
	(void)state;
	wr(0x603, VSTIP);
	wr(0x60a, STCE);
	c.hip = VSTIP;
	assert_int_equal(rd(0x244), STIP);
}

/* ---- vstvec, vsepc ---- */

static void test_vstvec_mode(void **state)
{
	(void)state;
	/* stvec MODE: 0 Direct, 1 Vectored, >= 2 reserved; L0 keeps MODE
	 * bit 1 zero, so 2 reads as Direct and 3 as Vectored. */
	assert_int_equal(wr_rd(0x205, 0x80200000UL), 0x80200000UL);
	assert_int_equal(wr_rd(0x205, 0x80200001UL), 0x80200001UL);
	assert_int_equal(wr_rd(0x205, 0x80200002UL), 0x80200000UL);
	assert_int_equal(wr_rd(0x205, 0x80200003UL), 0x80200001UL);
}

static void test_vsepc_alignment(void **state)
{
	(void)state;
	/* sepc[0] is always zero; with IALIGN = 16, bit 1 is writable. */
	assert_int_equal(wr_rd(0x241, 0x80001003UL), 0x80001002UL);
	assert_int_equal(wr_rd(0x241, 0x80001001UL), 0x80001000UL);
}

/* ---- vsatp ---- */

static void test_vsatp_supported_modes(void **state)
{
	uint64_t v = MODE(SV39) | (0xffffUL << 44) | 0xfffffffffffUL;

	(void)state;
	assert_int_equal(wr_rd(0x280, v), v);
	v = MODE(SV48) | (0x1234UL << 44) | 0x80123UL;
	assert_int_equal(wr_rd(0x280, v), v);
	assert_int_equal(wr_rd(0x280, 0), 0);
}

static void test_vsatp_unsupported_mode_ignored(void **state)
{
	/* H.vsatp: at V=0, an unsupported MODE write is either ignored as
	 * for satp or WARL; L0 ignores it: no field changes. */
	static const unsigned int bad[] = { 1, 7, SV57, 11, 15 };
	uint64_t v = MODE(SV39) | (5UL << 44) | 0x8000;

	(void)state;
	wr(0x280, v);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(wr_rd(0x280, MODE(bad[i]) | 0x1234), v);
	f.vsatp_modes = 0;
	assert_int_equal(wr_rd(0x280, MODE(SV39) | 0x1234), v);
	/* Bare is always supported. */
	assert_int_equal(wr_rd(0x280, 0), 0);
}

/* ---- vstimecmp and the sstc feature ---- */

static void test_vstimecmp_with_sstc(void **state)
{
	(void)state;
	assert_true(nested_csr_known(0x24d, &f));
	assert_int_equal(wr_rd(0x24d, 0xfedcba9876543210UL),
			 0xfedcba9876543210UL);
}

static void test_vstimecmp_without_sstc_illegal(void **state)
{
	uint64_t v = 7;

	(void)state;
	f.sstc = false;
	assert_false(nested_csr_known(0x24d, &f));
	assert_int_equal(nested_csr_read(&c, &f, 0x24d, &v),
			 NESTED_CSR_ILLEGAL);
	assert_int_equal(v, 7);
	assert_int_equal(nested_csr_write(&c, &f, 0x24d, 1),
			 NESTED_CSR_ILLEGAL);
	assert_int_equal(c.vstimecmp, 0);
	/* The rest is unaffected. */
	for (size_t i = 0; i < ARRAY_SIZE(all_csrs); i++)
		if (all_csrs[i] != 0x24d)
			assert_true(nested_csr_known(all_csrs[i], &f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_vsstatus_writable),
		T(test_vsstatus_sd_follows_fs),
		T(test_vsstatus_read_only_fields),
		T(test_vsie_alias_when_delegated),
		T(test_vsie_zero_when_not_delegated),
		T(test_vsie_partial_delegation),
		T(test_vsip_alias_when_delegated),
		T(test_vsip_zero_when_not_delegated),
		T(test_vsip_sees_sstc_timer),
		T(test_vstvec_mode),
		T(test_vsepc_alignment),
		T(test_vsatp_supported_modes),
		T(test_vsatp_unsupported_mode_ignored),
		T(test_vstimecmp_with_sstc),
		T(test_vstimecmp_without_sstc_illegal),
	};

	return cmocka_run_group_tests_name("nested_vscsr", tests, NULL, NULL);
}
