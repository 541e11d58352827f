/* SPDX-License-Identifier: MIT */
/*
 * The fixture of the unit tests of nested/csr.c, L1's virtual H-extension
 * CSRs (test_nested_csr.c: the table and the h* CSRs; test_nested_vscsr.c:
 * the vs* CSRs). The expected values come from the RISC-V privileged spec,
 * chapter "H" Extension for Hypervisor Support (cited as H.<register>),
 * RV64 (HSXLEN = VSXLEN = 64), and from L0's documented choices where the
 * spec leaves one (nested/csr.c's top).
 */
#ifndef NESTED_CSR_FIXTURE_H
#define NESTED_CSR_FIXTURE_H

/* Each test file uses only some of the helpers; its own tests stay checked. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-const-variable"

#include <stdbool.h>

#include <l0/bits.h>

#include "../../nested/csr.h"
#include "stubs.h"

/* VS-level interrupt bits in hideleg/hvip/hip/hie (H.hvip/hip/hie). */
#define VSSIP BIT(2)
#define VSTIP BIT(6)
#define VSEIP BIT(10)
#define VS_ALL (VSSIP | VSTIP | VSEIP)
/* Their S-level bits in vsip/vsie (H.vsip/vsie): SSIP 1, STIP 5, SEIP 9. */
#define SSIP BIT(1)
#define STIP BIT(5)
#define SEIP BIT(9)
#define S_ALL (SSIP | STIP | SEIP)

#define XL64 (2UL << 32) /* VSXL/UXL = 2 (misa.MXL encoding: 64-bit) */
#define STCE BIT(63)
#define MODE(m) ((uint64_t)(m) << 60)
#define VMID(v) ((uint64_t)(v) << 44)
#define BARE 0
#define SV39 8 /* satp Sv39, hgatp Sv39x4 */
#define SV48 9
#define SV57 10

static struct nested_csrs c;
static struct nested_features f;

static int setup(void **state)
{
	(void)state;
	stub_reset();
	f = (struct nested_features){
		.sstc = true,
		.svinval = true,
		.vmid_bits = 14,
		.hgatp_modes = BIT(SV39) | BIT(SV48),
		.vsatp_modes = BIT(SV39) | BIT(SV48),
	};
	nested_csr_reset(&c, &f);
	return 0;
}

static uint64_t rd(unsigned int csr)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(nested_csr_read(&c, &f, csr, &v), NESTED_CSR_OK);
	return v;
}

static void wr(unsigned int csr, uint64_t v)
{
	assert_int_equal(nested_csr_write(&c, &f, csr, v), NESTED_CSR_OK);
}

/* Write `v`, return what reads back. */
static uint64_t wr_rd(unsigned int csr, uint64_t v)
{
	wr(csr, v);
	return rd(csr);
}

/* A reproducible stream of 64-bit patterns (xorshift64). */
static uint64_t rnd_state = 0x9e3779b97f4a7c15UL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* The spec's list of H CSRs (CSR listing, "Hypervisor and VS CSRs"). */
static const unsigned int all_csrs[] = {
	0x600, 0x602, 0x603, 0x604, 0x605, 0x606, 0x607, 0x60a,
	0x643, 0x644, 0x645, 0x64a, 0x680, 0xe12, 0x200, 0x204,
	0x205, 0x240, 0x241, 0x242, 0x243, 0x244, 0x24d, 0x280,
};

#define T(fn) cmocka_unit_test_setup(fn, setup)

#pragma GCC diagnostic pop

#endif
