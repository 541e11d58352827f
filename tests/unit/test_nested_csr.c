// SPDX-License-Identifier: MIT
/*
 * nested/csr.c: the CSR table, reset, and L1's virtual h* CSRs
 * (nested_csr_fixture.h).
 */
#include "nested_csr_fixture.h"

/* ---- the table ---- */

static void test_table_has_every_h_csr(void **state)
{
	(void)state;
	assert_int_equal(nested_csr_count(), ARRAY_SIZE(all_csrs));
	for (size_t i = 0; i < ARRAY_SIZE(all_csrs); i++) {
		assert_true(nested_csr_known(all_csrs[i], &f));
		assert_non_null(nested_csr_name(all_csrs[i]));
	}
	assert_string_equal(nested_csr_name(0x600), "hstatus");
	assert_string_equal(nested_csr_name(0x680), "hgatp");
	assert_string_equal(nested_csr_name(0x24d), "vstimecmp");
}

static void test_table_no_duplicates(void **state)
{
	unsigned int n = nested_csr_count();

	(void)state;
	for (unsigned int i = 0; i < n; i++)
		for (unsigned int j = i + 1; j < n; j++)
			assert_int_not_equal(nested_csr_number(i),
					     nested_csr_number(j));
	assert_int_equal(nested_csr_number(n), 0);
}

/* The number -> entry map finds each entry at its own place. */
static void test_lookup_finds_each_entry(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < nested_csr_count(); i++)
		assert_int_equal(nested_csr_entry(nested_csr_number(i), &f),
				 (int)i);
	assert_int_equal(nested_csr_entry(0x601, &f), -1);
	assert_int_equal(nested_csr_entry(0xfff, &f), -1);
	assert_int_equal(nested_csr_entry(0x1000, &f), -1);
}

/*
 * Every other CSR number, whatever the map's key shares with an entry's
 * (0x300 with vsstatus's 0x200, 0xa12 with hgeip's 0xe12), finds nothing.
 */
static void test_lookup_finds_nothing_else(void **state)
{
	unsigned int found = 0;

	(void)state;
	for (unsigned int csr = 0; csr < 4096; csr++) {
		int e = nested_csr_entry(csr, &f);

		if (e < 0)
			continue;
		assert_int_equal(nested_csr_number((unsigned int)e), csr);
		found++;
	}
	assert_int_equal(found, nested_csr_count());
}

/* hgeip (0xe12) is the only one in the read-only range (bits 11:10 = 3). */
static void test_read_only_matches_number(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(all_csrs); i++) {
		unsigned int csr = all_csrs[i];
		uint64_t v = rd(csr);
		enum nested_csr_result r = nested_csr_write(&c, &f, csr, v);

		assert_int_equal(r, (csr >> 10) == 3 ? NESTED_CSR_READ_ONLY
						     : NESTED_CSR_OK);
	}
}

static void test_unknown_csrs_illegal(void **state)
{
	/*
	 * RV64 has no h*h halves (H.hedeleg, henvcfg, htimedelta: "does not
	 * exist when XLEN=64"), nor vstimecmph; S and M CSRs are not here.
	 */
	static const unsigned int bad[] = { 0x601, 0x608, 0x609, 0x612,
					    0x615, 0x61a, 0x25d, 0x100,
					    0x180, 0x300, 0x681, 0xe13,
					    0x201, 0x000, 0xfff, 0x1600 };
	struct nested_csrs before;

	(void)state;
	wr(0x600, ~0UL);
	before = c;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t v = 0x1234;

		assert_false(nested_csr_known(bad[i], &f));
		assert_null(nested_csr_name(bad[i]));
		assert_int_equal(nested_csr_read(&c, &f, bad[i], &v),
				 NESTED_CSR_ILLEGAL);
		assert_int_equal(v, 0x1234);
		assert_int_equal(nested_csr_write(&c, &f, bad[i], ~0UL),
				 NESTED_CSR_ILLEGAL);
	}
	assert_memory_equal(&c, &before, sizeof(c));
}

/* ---- reset ---- */

/* What a CSR reads after reset. */
static uint64_t reset_value(unsigned int csr)
{
	/* VSXL and UXL are read-only 2 (64-bit) in L0's choice. */
	return csr == 0x600 || csr == 0x200 ? XL64 : 0;
}

static void test_reset_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(all_csrs); i++)
		assert_int_equal(rd(all_csrs[i]), reset_value(all_csrs[i]));
}

static void test_reset_clears_state(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(all_csrs); i++)
		if (all_csrs[i] != 0xe12)
			wr(all_csrs[i], ~0UL);
	nested_csr_reset(&c, &f);
	test_reset_values(state);
}

/* ---- plain registers: all-ones, zero, random ---- */

/*
 * The writable bits and read-only ones of every CSR without aliasing,
 * from the spec (sections cited) and L0's choices.
 */
static const struct {
	unsigned int csr;
	uint64_t mask, ones;
} plain[] = {
	/* H.hstatus: GVA 6, SPV 7, SPVP 8, HU 9, VTVM 20, VTW 21, VTSR 22. */
	{ 0x600,
	  BIT(6) | BIT(7) | BIT(8) | BIT(9) | BIT(20) | BIT(21) | BIT(22),
	  XL64 },
	/* H.hedeleg table: writable 0-8, 12, 13, 15, 18, 19. */
	{ 0x602, 0x1ffUL | BIT(12) | BIT(13) | BIT(15) | BIT(18) | BIT(19), 0 },
	/* H.hideleg: 10, 6, 2 writable. */
	{ 0x603, VS_ALL, 0 },
	/* H.hie: VSEIE, VSTIE, VSSIE; SGEIE 0 with GEILEN = 0. */
	{ 0x604, VS_ALL, 0 },
	/* H.htimedelta: 64-bit read/write. */
	{ 0x605, ~0UL, 0 },
	/* H.hcounteren: L0 gives CY, TM, IR. */
	{ 0x606, 0x7, 0 },
	/* H.hgeie: GEILEN = 0, all read-only zero. */
	{ 0x607, 0, 0 },
	/* H.htval, htinst: L0 holds any value. */
	{ 0x643, ~0UL, 0 },
	{ 0x64a, ~0UL, 0 },
	/* H.hvip: VSEIP, VSTIP, VSSIP writable, the rest read-only 0. */
	{ 0x645, VS_ALL, 0 },
	/* vsscratch, vscause (WLRL, kept), vstval: full width. */
	{ 0x240, ~0UL, 0 },
	{ 0x242, ~0UL, 0 },
	{ 0x243, ~0UL, 0 },
	/* vsepc: bit 0 read-only 0 with IALIGN = 16. */
	{ 0x241, ~1UL, 0 },
	/* vstvec: MODE bit 1 read-only 0 (L0's choice). */
	{ 0x205, ~2UL, 0 },
	/* vstimecmp (Sstc): 64 bits. */
	{ 0x24d, ~0UL, 0 },
};

static void test_plain_masks(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(plain); i++) {
		unsigned int csr = plain[i].csr;
		uint64_t m = plain[i].mask, one = plain[i].ones;

		assert_int_equal(wr_rd(csr, ~0UL), m | one);
		assert_int_equal(wr_rd(csr, 0), one);
		for (int k = 0; k < 8; k++) {
			uint64_t v = rnd();

			assert_int_equal(wr_rd(csr, v), (v & m) | one);
		}
	}
}

/* A write touches only its own CSR (hip, vsip, vsie alias others). */
static void test_writes_are_independent(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(plain); i++) {
		nested_csr_reset(&c, &f);
		wr(plain[i].csr, ~0UL);
		for (size_t j = 0; j < ARRAY_SIZE(all_csrs); j++) {
			unsigned int o = all_csrs[j];

			if (o == plain[i].csr || o == 0x644 || o == 0x244 ||
			    o == 0x204)
				continue;
			assert_int_equal(rd(o), reset_value(o));
		}
	}
}

/* ---- hstatus ---- */

static void test_hstatus_vsxl_read_only(void **state)
{
	(void)state;
	/* H.hstatus: VSXL WARL; L0 keeps it 2 (VSXLEN = HSXLEN = 64). */
	assert_int_equal(wr_rd(0x600, 1UL << 32), XL64);
	assert_int_equal(wr_rd(0x600, 3UL << 32), XL64);
}

static void test_hstatus_vsbe_vgein_zero(void **state)
{
	(void)state;
	/* VSBE (5): little-endian only. VGEIN (17:12): GEILEN = 0. */
	assert_int_equal(wr_rd(0x600, BIT(5) | (0x3fUL << 12)), XL64);
	/* HUKTE (24), HUPMM (49:48) without Svukte/Ssnpm: 0. */
	assert_int_equal(wr_rd(0x600, BIT(24) | (3UL << 48)), XL64);
}

static void test_hstatus_each_field(void **state)
{
	static const unsigned int bits[] = { 6, 7, 8, 9, 20, 21, 22 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bits); i++)
		assert_int_equal(wr_rd(0x600, BIT(bits[i])),
				 BIT(bits[i]) | XL64);
}

/* L0 sets trap fields directly; stray bits there do not show. */
static void test_direct_field_junk_masked(void **state)
{
	(void)state;
	c.hstatus = ~0UL;
	assert_int_equal(rd(0x600), plain[0].mask | XL64);
	c.hedeleg = ~0UL;
	assert_int_equal(rd(0x602), plain[1].mask);
	c.hgeip = ~0UL;
	assert_int_equal(rd(0xe12), 0);
}

/* ---- hedeleg, hideleg ---- */

static void test_hedeleg_read_only_zero_bits(void **state)
{
	/* H.hedeleg table: ecall from HS/VS/M, double trap, guest-page
	 * faults and virtual instruction are read-only 0. */
	static const unsigned int ro[] = { 9, 10, 11, 16, 20, 21, 22, 23 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ro); i++)
		assert_int_equal(wr_rd(0x602, BIT(ro[i])), 0);
	/* Reserved 14, 17 and 24 and up: not writable either. */
	assert_int_equal(wr_rd(0x602, BIT(14) | BIT(17) | GENMASK(63, 24)), 0);
}

static void test_hideleg_s_level_bits_zero(void **state)
{
	(void)state;
	/* H.hideleg: 12, 9, 5, 1 read-only zeros; LCOFI (13) without
	 * Shlcofideleg read-only zero. */
	assert_int_equal(
		wr_rd(0x603, BIT(12) | BIT(9) | BIT(5) | BIT(1) | BIT(13)), 0);
}

/* ---- hvip, hip, hie ---- */

static void test_hie_sgeie_zero(void **state)
{
	(void)state;
	/* H.hie: SGEIE (12) writable only if SGEIP can become pending. */
	assert_int_equal(wr_rd(0x604, BIT(12)), 0);
}

static void test_hip_vssip_alias_of_hvip(void **state)
{
	(void)state;
	/* H.hip: "VSSIP in hip is an alias (writable) of the same bit in
	 * hvip". */
	wr(0x644, VSSIP);
	assert_int_equal(rd(0x645), VSSIP);
	assert_int_equal(rd(0x644), VSSIP);
	wr(0x644, 0);
	assert_int_equal(rd(0x645), 0);
	wr(0x645, VSSIP);
	assert_int_equal(rd(0x644), VSSIP);
}

static void test_hip_vstip_vseip_read_only(void **state)
{
	(void)state;
	/* H.hip: VSTIP and VSEIP are read-only in hip. */
	assert_int_equal(wr_rd(0x644, ~0UL), VSSIP);
	assert_int_equal(rd(0x645), VSSIP);
	wr(0x645, VSTIP | VSEIP);
	wr(0x644, 0);
	assert_int_equal(rd(0x644), VSTIP | VSEIP);
	assert_int_equal(rd(0x645), VSTIP | VSEIP);
}

static void test_hip_reflects_hvip(void **state)
{
	(void)state;
	/* VSTIP, VSEIP in hip: the OR of hvip's and the other sources. */
	wr(0x645, VS_ALL);
	assert_int_equal(rd(0x644), VS_ALL);
	wr(0x645, VSEIP);
	assert_int_equal(rd(0x644), VSEIP);
}

static void test_hip_sstc_timer_input(void **state)
{
	(void)state;
	/* The caller's vstimecmp condition (nested/csr.h). Sstc: it counts
	 * in hip.VSTIP only with henvcfg.STCE = 1 ("VSTIP in hip reverts to
	 * its defined behavior as if this extension is not implemented"). */
	c.hip = VSTIP;
	assert_int_equal(rd(0x644), 0);
	wr(0x60a, STCE);
	assert_int_equal(rd(0x644), VSTIP);
	/* Still read-only: writing 0 does not clear it. */
	wr(0x644, 0);
	assert_int_equal(rd(0x644), VSTIP);
	assert_int_equal(rd(0x645), 0);
	c.hip = 0;
	assert_int_equal(rd(0x644), 0);
}

static void test_hip_timer_input_without_sstc(void **state)
{
	(void)state;
	c.henvcfg = STCE; /* even if set behind the table's back */
	c.hip = VSTIP;
	f.sstc = false;
	assert_int_equal(rd(0x644), 0);
	assert_int_equal(rd(0x60a), 0);
}

static void test_hip_external_input(void **state)
{
	(void)state;
	/* VSEIP: OR of hvip.VSEIP, hgeip[VGEIN] and platform signals. */
	c.hip = VSEIP;
	assert_int_equal(rd(0x644), VSEIP);
	/* The input's VSSIP means nothing: hip.VSSIP is hvip.VSSIP. */
	c.hip = VSSIP;
	assert_int_equal(rd(0x644), 0);
}

/* ---- hgeie, hgeip ---- */

static void test_hgeip_read_only(void **state)
{
	(void)state;
	/* H.hgeip: "an HSXLEN-bit read-only register". GEILEN = 0. */
	assert_int_equal(rd(0xe12), 0);
	assert_int_equal(nested_csr_write(&c, &f, 0xe12, 0),
			 NESTED_CSR_READ_ONLY);
	assert_int_equal(nested_csr_write(&c, &f, 0xe12, ~0UL),
			 NESTED_CSR_READ_ONLY);
	assert_int_equal(rd(0xe12), 0);
}

static void test_hgeie_reads_zero(void **state)
{
	(void)state;
	/* GEILEN = 0: "all other bit positions shall be read-only zeros". */
	assert_int_equal(wr_rd(0x607, ~0UL), 0);
	assert_int_equal(wr_rd(0x607, BIT(1)), 0);
}

/* ---- hcounteren ---- */

static void test_hcounteren_hpm_zero(void **state)
{
	(void)state;
	/* HPM3..HPM31 read-only zero (L0's choice; "effectively WARL"). */
	assert_int_equal(wr_rd(0x606, GENMASK(31, 3)), 0);
	assert_int_equal(wr_rd(0x606, BIT(1)), BIT(1));
}

/* ---- henvcfg ---- */

static void test_henvcfg_with_sstc(void **state)
{
	(void)state;
	/* FIOM (0) and STCE (63, Sstc). */
	assert_int_equal(wr_rd(0x60a, ~0UL), BIT(0) | STCE);
	assert_int_equal(wr_rd(0x60a, STCE), STCE);
	assert_int_equal(wr_rd(0x60a, 0), 0);
}

static void test_henvcfg_without_sstc(void **state)
{
	(void)state;
	f.sstc = false;
	/* menvcfg.STCE = 0 analogue: "STCE in henvcfg is read-only zero". */
	assert_int_equal(wr_rd(0x60a, ~0UL), BIT(0));
	assert_int_equal(wr_rd(0x60a, STCE), 0);
}

static void test_henvcfg_read_only_fields(void **state)
{
	(void)state;
	/* CBIE 5:4, CBCFE 6, CBZE 7, PBMTE 62, ADUE 61, LPE 2, SSE 3, PMM
	 * 33:32, DTE 59: L0 gives none of these extensions. */
	assert_int_equal(wr_rd(0x60a, GENMASK(7, 2) | BIT(62) | BIT(61) |
					      GENMASK(33, 32) | BIT(59)),
			 0);
}

/* ---- hgatp ---- */

static void test_hgatp_supported_mode(void **state)
{
	uint64_t v = MODE(SV39) | VMID(0x2a5) | 0x123454UL;

	(void)state;
	assert_int_equal(wr_rd(0x680, v), v);
	v = MODE(SV48) | VMID(0x3fff) | 0xffffffffffcUL; /* PPN[43:2] */
	assert_int_equal(wr_rd(0x680, v), v);
	assert_int_equal(wr_rd(0x680, 0), 0);
}

static void test_hgatp_unsupported_mode(void **state)
{
	/* H.hgatp: "A write to hgatp with an unsupported MODE value is not
	 * ignored as it is for satp. Instead, the fields of hgatp are WARL
	 * in the normal way": MODE keeps a legal value (the old one, L0's
	 * choice) while VMID and PPN take the written ones. */
	static const unsigned int bad[] = { 1, 7, SV57, 11, 15 };

	(void)state;
	wr(0x680, MODE(SV39) | VMID(1) | 0x1000);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		uint64_t v = MODE(bad[i]) | VMID(i + 2) | (0x2000 + 4 * i);

		assert_int_equal(wr_rd(0x680, v),
				 MODE(SV39) | VMID(i + 2) | (0x2000 + 4 * i));
	}
	/* From Bare, it stays Bare. */
	wr(0x680, 0);
	assert_int_equal(wr_rd(0x680, MODE(SV57) | VMID(3) | 0x4000),
			 VMID(3) | 0x4000);
}

static void test_hgatp_bare_always(void **state)
{
	(void)state;
	f.hgatp_modes = 0; /* "Bare always" */
	assert_int_equal(wr_rd(0x680, MODE(SV39) | 0x1000), 0x1000);
	assert_int_equal(rd(0x680) >> 60, BARE);
	f.hgatp_modes = BIT(SV39);
	wr(0x680, MODE(SV39));
	assert_int_equal(wr_rd(0x680, MODE(BARE)), 0);
}

static void test_hgatp_vmid_width(void **state)
{
	/* H.hgatp: VMIDLEN found by writing ones to VMID; the low bits are
	 * implemented first; VMIDMAX = 14 for Sv39x4 and up. */
	static const unsigned int widths[] = { 0, 1, 7, 13, 14 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(widths); i++) {
		f.vmid_bits = widths[i];
		assert_int_equal(wr_rd(0x680, MODE(SV39) | VMID(0x3fff)) >> 44 &
					 0x3fff,
				 (1UL << widths[i]) - 1);
	}
	/* Above VMIDMAX: still 14 bits, bits 59:58 stay zero. */
	f.vmid_bits = 16;
	assert_int_equal(wr_rd(0x680, MODE(SV39) | GENMASK(59, 44)),
			 MODE(SV39) | VMID(0x3fff));
}

static void test_hgatp_ppn_alignment(void **state)
{
	(void)state;
	/* H.hgatp: "the lowest two bits of the physical page number (PPN)
	 * in hgatp always read as zeros" (16 KiB root). */
	assert_int_equal(wr_rd(0x680, MODE(SV39) | 0xfffUL),
			 MODE(SV39) | 0xffc);
	assert_int_equal(wr_rd(0x680, MODE(SV39) | 0x3UL), MODE(SV39));
	/* Bits 59:58 are a zero field in the RV64 layout. */
	assert_int_equal(wr_rd(0x680, MODE(SV39) | GENMASK(59, 58)),
			 MODE(SV39));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_table_has_every_h_csr),
		T(test_table_no_duplicates),
		T(test_lookup_finds_each_entry),
		T(test_lookup_finds_nothing_else),
		T(test_read_only_matches_number),
		T(test_unknown_csrs_illegal),
		T(test_reset_values),
		T(test_reset_clears_state),
		T(test_plain_masks),
		T(test_writes_are_independent),
		T(test_hstatus_vsxl_read_only),
		T(test_hstatus_vsbe_vgein_zero),
		T(test_hstatus_each_field),
		T(test_direct_field_junk_masked),
		T(test_hedeleg_read_only_zero_bits),
		T(test_hideleg_s_level_bits_zero),
		T(test_hie_sgeie_zero),
		T(test_hip_vssip_alias_of_hvip),
		T(test_hip_vstip_vseip_read_only),
		T(test_hip_reflects_hvip),
		T(test_hip_sstc_timer_input),
		T(test_hip_timer_input_without_sstc),
		T(test_hip_external_input),
		T(test_hgeip_read_only),
		T(test_hgeie_reads_zero),
		T(test_hcounteren_hpm_zero),
		T(test_henvcfg_with_sstc),
		T(test_henvcfg_without_sstc),
		T(test_henvcfg_read_only_fields),
		T(test_hgatp_supported_mode),
		T(test_hgatp_unsupported_mode),
		T(test_hgatp_bare_always),
		T(test_hgatp_vmid_width),
		T(test_hgatp_ppn_alignment),
	};

	return cmocka_run_group_tests_name("nested_csr", tests, NULL, NULL);
}
