// SPDX-License-Identifier: MIT
/* core/isa.c: riscv,isa strings, extension names and the formatted list. */
#include <string.h>

#include <l0/bits.h>
#include <l0/isa.h>

#include "stubs.h"

#define B(x) ISA_BIT(ISA_##x)
#define IMAFD (B(I) | B(M) | B(A) | B(F) | B(D))
#define G (IMAFD | B(ZICSR) | B(ZIFENCEI))

struct isa_case {
	const char *str;
	int rc;
	isa_bitmap_t want;
};

static void check_cases(const struct isa_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		isa_bitmap_t got = 0xdead;
		int rc = isa_parse_string(c[i].str, &got);

		if (rc != c[i].rc || (!rc && got != c[i].want)) {
			print_error(
				"\"%s\": rc %d bits 0x%llx, want %d 0x%llx\n",
				c[i].str, rc, (unsigned long long)got, c[i].rc,
				(unsigned long long)c[i].want);
			fail();
		}
	}
}

static void test_parse_single_letters(void **state)
{
	static const struct isa_case cases[] = {
		{ "rv64i", 0, B(I) },
		{ "rv64imac", 0, B(I) | B(M) | B(A) | B(C) },
		{ "rv64imafdch", 0, IMAFD | B(C) | B(H) },
		{ "rv64imafdcvh", 0, IMAFD | B(C) | B(V) | B(H) },
		{ "rv64", 0, 0 },
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void test_parse_multi_letter(void **state)
{
	static const struct isa_case cases[] = {
		{ "rv64imafdch_zicsr_sstc", 0,
		  IMAFD | B(C) | B(H) | B(ZICSR) | B(SSTC) },
		{ "rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbs_sstc"
		  "_svinval_svadu_svnapot_svpbmt_sscofpmf_smaia_ssaia_zawrs"
		  "_zicbom_zicboz_zicntr_zihpm",
		  0, ((isa_bitmap_t)1 << ISA_EXT_COUNT) - 1 - B(V) },
		/* A multi-letter extension may follow the letters directly. */
		{ "rv64imaczicsr_sstc", 0,
		  B(I) | B(M) | B(A) | B(C) | B(ZICSR) | B(SSTC) },
		{ "rv64isstc", 0, B(I) | B(SSTC) },
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void test_parse_g_expansion(void **state)
{
	static const struct isa_case cases[] = {
		{ "rv64g", 0, G },
		{ "rv64gc", 0, G | B(C) },
		{ "rv64gch_sstc", 0, G | B(C) | B(H) | B(SSTC) },
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void test_parse_rejects_non_rv64(void **state)
{
	static const struct isa_case cases[] = {
		{ "rv32imafdc", -1, 0 }, { "rv128i", -1, 0 },
		{ "RV64IMAFDC", -1, 0 }, { "", -1, 0 },
		{ "rv6", -1, 0 },	 { "imafdc", -1, 0 },
	};
	isa_bitmap_t out = 0x1234;

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
	/* *out is left alone on failure. */
	assert_int_equal(isa_parse_string("rv32i", &out), -1);
	assert_int_equal(out, 0x1234);
}

static void test_parse_skips_unknown(void **state)
{
	static const struct isa_case cases[] = {
		{ "rv64imafdcbqh", 0, IMAFD | B(C) | B(H) },
		{ "rv64i_zfoo_sstc_xvendor1p0", 0, B(I) | B(SSTC) },
		{ "rv64i_zicsr2p0_sstc", 0, B(I) | B(SSTC) },
		/* Prefixes and extensions of known names are not them. */
		{ "rv64i_zics_zicsrx_sst", 0, B(I) },
		{ "rv64i_xsstc", 0, B(I) },
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void test_parse_underscores(void **state)
{
	static const struct isa_case cases[] = {
		{ "rv64ima__zicsr___sstc", 0,
		  B(I) | B(M) | B(A) | B(ZICSR) | B(SSTC) },
		{ "rv64i_", 0, B(I) },
		{ "rv64i__", 0, B(I) },
		{ "rv64_zicsr", 0, B(ZICSR) },
		{ "rv64_", 0, 0 },
		{ "rv64i_zicsr_", 0, B(I) | B(ZICSR) },
	};

	(void)state;
	check_cases(cases, ARRAY_SIZE(cases));
}

static void test_ext_lookup(void **state)
{
	(void)state;
	assert_int_equal(isa_ext_lookup("h", 1), ISA_H);
	assert_int_equal(isa_ext_lookup("sstc", 4), ISA_SSTC);
	assert_int_equal(isa_ext_lookup("zawrs", 5), ISA_ZAWRS);
	/* Only `len` bytes count: the rest of the string is not looked at. */
	assert_int_equal(isa_ext_lookup("zicsr_sstc", 5), ISA_ZICSR);
	assert_int_equal(isa_ext_lookup("sstcx", 4), ISA_SSTC);
	assert_int_equal(isa_ext_lookup("sst", 3), -1);
	assert_int_equal(isa_ext_lookup("sstc", 5), -1);
	assert_int_equal(isa_ext_lookup("", 0), -1);
	assert_int_equal(isa_ext_lookup("H", 1), -1);
	assert_int_equal(isa_ext_lookup("g", 1), -1);
}

/* Every name maps back to its own enum value. */
static void test_ext_names_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < ISA_EXT_COUNT; i++) {
		const char *name = isa_ext_name(i);

		assert_non_null(name);
		assert_int_equal(isa_ext_lookup(name, strlen(name)), i);
	}
	assert_string_equal(isa_ext_name(ISA_EXT_COUNT), "?");
	assert_string_equal(isa_ext_name(ISA_ZIHINTPAUSE), "zihintpause");
}

static void test_isa_has(void **state)
{
	isa_bitmap_t isa;

	(void)state;
	assert_int_equal(isa_parse_string("rv64imafdch_sstc", &isa), 0);
	assert_true(isa_has(isa, ISA_H));
	assert_true(isa_has(isa, ISA_SSTC));
	assert_false(isa_has(isa, ISA_V));
	assert_false(isa_has(isa, ISA_ZICSR));
}

static void test_format(void **state)
{
	char buf[256];

	(void)state;
	isa_format(IMAFD | B(C) | B(H) | B(ZICSR) | B(SSTC), buf, sizeof(buf));
	assert_string_equal(buf, "i m a f d c h zicsr sstc");
	isa_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "");
	isa_format(B(ZAWRS), buf, sizeof(buf));
	assert_string_equal(buf, "zawrs");
	/* Bits beyond the known extensions are ignored. */
	isa_format(B(I) | ((isa_bitmap_t)1 << 63), buf, sizeof(buf));
	assert_string_equal(buf, "i");
}

static void test_format_all(void **state)
{
	char buf[256], want[256] = "";

	(void)state;
	for (int i = 0; i < ISA_EXT_COUNT; i++) {
		if (i)
			strcat(want, " ");
		strcat(want, isa_ext_name(i));
	}
	isa_format(~(isa_bitmap_t)0, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

/* A short buffer holds a terminated prefix and nothing past its end. */
static void test_format_truncates(void **state)
{
	const isa_bitmap_t isa = IMAFD | B(C) | B(H) | B(ZICSR) | B(SSTC);
	const char *full = "i m a f d c h zicsr sstc";
	char buf[64];

	(void)state;
	for (size_t size = 1; size <= strlen(full) + 1; size++) {
		memset(buf, 'X', sizeof(buf));
		isa_format(isa, buf, size);
		assert_int_equal(strlen(buf), size - 1);
		assert_memory_equal(buf, full, size - 1);
		assert_int_equal(buf[size], 'X');
	}
	buf[0] = 'X';
	isa_format(isa, buf, 0);
	assert_int_equal(buf[0], 'X');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_single_letters),
		cmocka_unit_test(test_parse_multi_letter),
		cmocka_unit_test(test_parse_g_expansion),
		cmocka_unit_test(test_parse_rejects_non_rv64),
		cmocka_unit_test(test_parse_skips_unknown),
		cmocka_unit_test(test_parse_underscores),
		cmocka_unit_test(test_ext_lookup),
		cmocka_unit_test(test_ext_names_round_trip),
		cmocka_unit_test(test_isa_has),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_all),
		cmocka_unit_test(test_format_truncates),
	};

	return cmocka_run_group_tests_name("isa", tests, NULL, NULL);
}
