// SPDX-License-Identifier: MIT
/*
 * core/mmio.c: mmio_decode() over every load and store form. The encodings
 * are built here from the ISA spec's bit layouts (RV64I loads/stores, the
 * C extension's CL/CS/CI/CSS formats) and the privileged spec's
 * "transformed instruction" rules for htinst, not from the decoder.
 */
#include <stdbool.h>
#include <string.h>

#include <arch/trap.h>
#include <arch/vcpu_arch.h>
#include <l0/bits.h>
#include <l0/mmio.h>
#include <l0/vm.h>

#include "stubs.h"

/*
 * What mmio.c calls besides the device models: the instruction fetch is
 * never reached (the tests give htinst), the rest does nothing here.
 */
unsigned long guest_load_insn_half(unsigned long va, uint16_t *out)
{
	(void)va;
	*out = 0;
	fail_msg("guest_load_insn_half called");
	return 1;
}

void vm_update_plic(struct vm *vm)
{
	(void)vm;
}

void vm_console_refill(struct vm *vm)
{
	(void)vm;
}

/* --- 32-bit encodings (unprivileged spec, "RV32I/RV64I Base") --- */

#define OPC_LOAD 0x03
#define OPC_LOAD_FP 0x07
#define OPC_STORE 0x23
#define OPC_STORE_FP 0x27
#define OPC_AMO 0x2f
#define OPC_OP_IMM 0x13

/* I-type: imm[11:0] rs1 funct3 rd opcode */
static uint32_t i_type(uint32_t imm, unsigned int rs1, unsigned int f3,
		       unsigned int rd, unsigned int opc)
{
	return (imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | opc;
}

/* S-type: imm[11:5] rs2 rs1 funct3 imm[4:0] opcode */
static uint32_t s_type(uint32_t imm, unsigned int rs2, unsigned int rs1,
		       unsigned int f3, unsigned int opc)
{
	return ((imm >> 5) & 0x7f) << 25 | rs2 << 20 | rs1 << 15 | f3 << 12 |
	       (imm & 0x1f) << 7 | opc;
}

/* AMO: funct5 aq rl rs2 rs1 funct3 rd opcode */
static uint32_t amo(unsigned int f5, unsigned int rs2, unsigned int rs1,
		    unsigned int f3, unsigned int rd)
{
	return f5 << 27 | rs2 << 20 | rs1 << 15 | f3 << 12 | rd << 7 | OPC_AMO;
}

struct form {
	const char *name;
	unsigned int funct3, width;
	bool sign;
};

static const struct form loads[] = {
	{ "lb", 0, 1, true },	{ "lh", 1, 2, true },	{ "lw", 2, 4, true },
	{ "ld", 3, 8, true },	{ "lbu", 4, 1, false }, { "lhu", 5, 2, false },
	{ "lwu", 6, 4, false },
};

static const struct form stores[] = {
	{ "sb", 0, 1, false },
	{ "sh", 1, 2, false },
	{ "sw", 2, 4, false },
	{ "sd", 3, 8, false },
};

/* A decode into a struct full of garbage, so stale fields show. */
static bool decode(unsigned long htinst, uint32_t insn, struct mmio_access *a)
{
	memset(a, 0xa5, sizeof(*a));
	return mmio_decode(htinst, insn, a);
}

static void expect_load(const struct mmio_access *a, const struct form *f,
			unsigned int rd, unsigned int len)
{
	assert_false(a->store);
	assert_int_equal(a->width, f->width);
	/* ld: a 64-bit value needs no extension, either answer is right. */
	if (f->width < 8)
		assert_int_equal(a->sign_extend, f->sign);
	assert_int_equal(a->reg, rd);
	assert_int_equal(a->insn_len, len);
}

static void expect_store(const struct mmio_access *a, const struct form *f,
			 unsigned int rs2, unsigned int len)
{
	assert_true(a->store);
	assert_int_equal(a->width, f->width);
	assert_int_equal(a->reg, rs2);
	assert_int_equal(a->insn_len, len);
}

/* Every load, every rd, several rs1 and offsets (which do not matter). */
static void test_loads_32(void **state)
{
	static const uint32_t imms[] = { 0, 1, 0x7ff, 0x800, 0xfff };
	struct mmio_access a;

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(loads); i++)
		for (unsigned int rd = 0; rd < 32; rd++)
			for (unsigned int k = 0; k < ARRAY_SIZE(imms); k++) {
				uint32_t insn =
					i_type(imms[k], (rd * 7 + k) % 32,
					       loads[i].funct3, rd, OPC_LOAD);

				assert_true(decode(0, insn, &a));
				expect_load(&a, &loads[i], rd, 4);
			}
}

static void test_stores_32(void **state)
{
	static const uint32_t imms[] = { 0, 1, 0x7ff, 0x800, 0xfff };
	struct mmio_access a;

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(stores); i++)
		for (unsigned int rs2 = 0; rs2 < 32; rs2++)
			for (unsigned int k = 0; k < ARRAY_SIZE(imms); k++) {
				uint32_t insn =
					s_type(imms[k], rs2, (rs2 * 5 + k) % 32,
					       stores[i].funct3, OPC_STORE);

				assert_true(decode(0, insn, &a));
				expect_store(&a, &stores[i], rs2, 4);
			}
}

/* The upper half of `insn` is ignored for a 16-bit instruction. */
static void test_upper_half_ignored(void **state)
{
	struct mmio_access a;
	/* c.lw x8, 0(x9): 010 000 001 00 000 00 */
	uint16_t clw = 0x4000 | 1 << 7;

	(void)state;
	assert_true(decode(0, 0xffff0000u | clw, &a));
	assert_false(a.store);
	assert_int_equal(a.reg, 8);
	assert_int_equal(a.insn_len, 2);
}

/* --- compressed (C extension, RV64C) --- */

#define CREG(r) ((r)-8) /* x8..x15 as rd'/rs1'/rs2' */

/* CL/CS: funct3 imm[3] rs1' imm[2] rd'/rs2' op; quadrant 0 */
static uint16_t c_ls(unsigned int f3, unsigned int imm3, unsigned int rs1p,
		     unsigned int imm2, unsigned int rp)
{
	return (uint16_t)(f3 << 13 | imm3 << 10 | rs1p << 7 | imm2 << 5 |
			  rp << 2 | 0);
}

/* CI (c.lwsp, c.ldsp): funct3 imm[5] rd imm[4:0] 10 */
static uint16_t c_ci(unsigned int f3, unsigned int imm5, unsigned int rd,
		     unsigned int imm40)
{
	return (uint16_t)(f3 << 13 | imm5 << 12 | rd << 7 | imm40 << 2 | 2);
}

/* CSS (c.swsp, c.sdsp): funct3 imm[5:0] rs2 10 */
static uint16_t c_css(unsigned int f3, unsigned int imm6, unsigned int rs2)
{
	return (uint16_t)(f3 << 13 | imm6 << 7 | rs2 << 2 | 2);
}

static const struct form c_lw = { "c.lw", 2, 4, true };
static const struct form c_ld = { "c.ld", 3, 8, true };
static const struct form c_sw = { "c.sw", 2, 4, false };
static const struct form c_sd = { "c.sd", 3, 8, false };

static void test_compressed_quadrant0(void **state)
{
	struct mmio_access a;

	(void)state;
	for (unsigned int r = 8; r < 16; r++)
		for (unsigned int imm = 0; imm < 8; imm++) {
			unsigned int rs1p = (r + imm) % 8;

			assert_true(decode(
				0, c_ls(2, imm, rs1p, imm & 3, CREG(r)), &a));
			expect_load(&a, &c_lw, r, 2);
			assert_true(decode(
				0, c_ls(3, imm, rs1p, imm & 3, CREG(r)), &a));
			expect_load(&a, &c_ld, r, 2);
			assert_true(decode(
				0, c_ls(6, imm, rs1p, imm & 3, CREG(r)), &a));
			expect_store(&a, &c_sw, r, 2);
			assert_true(decode(
				0, c_ls(7, imm, rs1p, imm & 3, CREG(r)), &a));
			expect_store(&a, &c_sd, r, 2);
		}
}

static void test_compressed_sp(void **state)
{
	struct mmio_access a;

	(void)state;
	/* c.lwsp / c.ldsp: rd = 0 is reserved, 1..31 are loads. */
	for (unsigned int rd = 1; rd < 32; rd++)
		for (unsigned int imm = 0; imm < 32; imm += 7) {
			assert_true(decode(0, c_ci(2, imm & 1, rd, imm), &a));
			expect_load(&a, &c_lw, rd, 2);
			assert_true(decode(0, c_ci(3, imm & 1, rd, imm), &a));
			expect_load(&a, &c_ld, rd, 2);
		}
	/* c.swsp / c.sdsp: any rs2, x0 included. */
	for (unsigned int rs2 = 0; rs2 < 32; rs2++)
		for (unsigned int imm = 0; imm < 64; imm += 9) {
			assert_true(decode(0, c_css(6, imm, rs2), &a));
			expect_store(&a, &c_sw, rs2, 2);
			assert_true(decode(0, c_css(7, imm, rs2), &a));
			expect_store(&a, &c_sd, rs2, 2);
		}
}

/* --- transformed htinst (privileged spec, "Transformed Instruction") --- */

/*
 * A transformed load/store: the original's fields, its immediate replaced
 * by zero and rs1 by the faulting address's offset (here `off`); bit 0 = 1,
 * bit 1 = 1 for a 32-bit original and 0 for a compressed one.
 */
static uint32_t xform_load(unsigned int f3, unsigned int rd, unsigned int off,
			   bool compressed)
{
	uint32_t t = i_type(0, off, f3, rd, OPC_LOAD);

	return compressed ? t & ~2u : t;
}

static uint32_t xform_store(unsigned int f3, unsigned int rs2, unsigned int off,
			    bool compressed)
{
	uint32_t t = s_type(0, rs2, off, f3, OPC_STORE);

	return compressed ? t & ~2u : t;
}

static void test_transformed(void **state)
{
	struct mmio_access a;

	(void)state;
	for (unsigned int r = 0; r < 32; r++)
		for (unsigned int off = 0; off < 8; off += 3) {
			for (unsigned int i = 0; i < ARRAY_SIZE(loads); i++) {
				/* insn is ignored with a transformed htinst */
				assert_true(decode(xform_load(loads[i].funct3,
							      r, off, false),
						   0xffffffffu, &a));
				expect_load(&a, &loads[i], r, 4);
			}
			for (unsigned int i = 0; i < ARRAY_SIZE(stores); i++) {
				assert_true(decode(xform_store(stores[i].funct3,
							       r, off, false),
						   0, &a));
				expect_store(&a, &stores[i], r, 4);
			}
		}
	/* From compressed originals: lw/ld/sw/sd with any register (the
	 * transformed form names x0..x31, not x8..x15). */
	for (unsigned int r = 0; r < 32; r++) {
		assert_true(decode(xform_load(2, r, 0, true), 0, &a));
		expect_load(&a, &c_lw, r, 2);
		assert_true(decode(xform_load(3, r, 0, true), 0, &a));
		expect_load(&a, &c_ld, r, 2);
		assert_true(decode(xform_store(2, r, 0, true), 0, &a));
		expect_store(&a, &c_sw, r, 2);
		assert_true(decode(xform_store(3, r, 0, true), 0, &a));
		expect_store(&a, &c_sd, r, 2);
	}
}

/* A transformed AMO or LR/SC is still not a plain load/store. */
static void test_transformed_amo_rejected(void **state)
{
	struct mmio_access a;

	(void)state;
	assert_false(decode(amo(0x00, 5, 0, 2, 6), 0, &a)); /* amoadd.w */
	assert_false(decode(amo(0x02, 0, 0, 3, 6), 0, &a)); /* lr.d */
	assert_false(decode(i_type(0, 0, 3, 6, OPC_LOAD_FP), 0, &a)); /* fld */
}

/*
 * htinst nonzero with bit 0 = 0 is not a transformed instruction: it is one
 * of the pseudoinstructions for an implicit VS-stage page-table access
 * (0x2000, 0x3000: 32-/64-bit read; 0x2020, 0x3020: write) or a custom
 * value. The fault is then on the page-table walk, not on the access at
 * sepc, so decoding the instruction at sepc and emulating it at the
 * faulting address would be wrong.
 */
static void test_pseudoinstruction_rejected(void **state)
{
	static const unsigned long pseudo[] = { 0x2000, 0x3000, 0x2020,
						0x3020 };
	uint32_t ld = i_type(0, 10, 3, 11, OPC_LOAD);
	struct mmio_access a;

	(void)state;
	for (unsigned int i = 0; i < ARRAY_SIZE(pseudo); i++)
		assert_false(decode(pseudo[i], ld, &a));
}

/* --- not loads or stores --- */

static void test_rejected_32(void **state)
{
	struct mmio_access a;

	(void)state;
	/* funct3 7 loads, funct3 4..7 stores: reserved. */
	for (unsigned int rd = 0; rd < 32; rd++)
		assert_false(decode(0, i_type(0, 1, 7, rd, OPC_LOAD), &a));
	for (unsigned int f3 = 4; f3 < 8; f3++)
		for (unsigned int rs2 = 0; rs2 < 32; rs2 += 5)
			assert_false(decode(0, s_type(0, rs2, 1, f3, OPC_STORE),
					    &a));
	/* FP loads and stores: flh flw fld flq, fsh fsw fsd fsq. */
	for (unsigned int f3 = 1; f3 < 5; f3++) {
		assert_false(decode(0, i_type(0, 1, f3, 2, OPC_LOAD_FP), &a));
		assert_false(decode(0, s_type(0, 2, 1, f3, OPC_STORE_FP), &a));
	}
	/* LR, SC and every AMO, .w and .d. */
	static const unsigned int f5[] = { 0x02, 0x03, 0x01, 0x00, 0x04, 0x0c,
					   0x08, 0x10, 0x14, 0x18, 0x1c };
	for (unsigned int i = 0; i < ARRAY_SIZE(f5); i++) {
		assert_false(decode(0, amo(f5[i], 3, 1, 2, 5), &a));
		assert_false(decode(0, amo(f5[i], 3, 1, 3, 5), &a));
	}
	/* Not memory at all: addi, ecall, csrrw, fence. */
	assert_false(decode(0, i_type(1, 1, 0, 1, OPC_OP_IMM), &a));
	assert_false(decode(0, 0x00000073, &a));
	assert_false(decode(0, 0x34011073, &a));
	assert_false(decode(0, 0x0ff0000f, &a));
	/* Transformed forms of the same. */
	assert_false(decode(i_type(0, 0, 7, 5, OPC_LOAD), 0, &a));
	assert_false(decode(s_type(0, 5, 0, 4, OPC_STORE), 0, &a));
	assert_false(decode(i_type(0, 0, 2, 5, OPC_LOAD_FP), 0, &a));
}

static void test_rejected_16(void **state)
{
	struct mmio_access a;

	(void)state;
	/* Quadrant 0: c.addi4spn (000), c.fld (001), c.fsd (101), the all-zero
	 * illegal instruction, and reserved 100. */
	assert_false(decode(0, 0x0000, &a));
	assert_false(decode(0, c_ls(0, 1, 0, 0, 1), &a));
	assert_false(decode(0, c_ls(1, 1, 1, 1, 1), &a));
	assert_false(decode(0, c_ls(5, 1, 1, 1, 1), &a));
	assert_false(decode(0, c_ls(4, 1, 1, 1, 1), &a));
	/* Quadrant 1: c.addi, c.li (010), c.lui (011), c.j, c.beqz (110),
	 * c.bnez (111): same funct3 as the loads/stores, other quadrant. */
	for (unsigned int f3 = 0; f3 < 8; f3++)
		assert_false(decode(
			0, (uint16_t)(f3 << 13 | 5 << 7 | 3 << 2 | 1), &a));
	/* Quadrant 2: c.slli (000), c.fldsp (001), c.mv/c.add/c.jr (100),
	 * c.fsdsp (101). */
	assert_false(decode(0, c_ci(0, 0, 5, 1), &a));
	assert_false(decode(0, c_ci(1, 0, 5, 1), &a));
	assert_false(decode(0, (uint16_t)(4 << 13 | 5 << 7 | 6 << 2 | 2), &a));
	assert_false(decode(
		0, (uint16_t)(4 << 13 | 1 << 12 | 5 << 7 | 6 << 2 | 2), &a));
	assert_false(decode(0, c_css(5, 1, 5), &a));
}

/* --- mmio_emulate(): the widths each emulated device takes --- */

static struct vm emu_vm;
static struct vcpu emu_vcpu = { .vm = &emu_vm };

static void emu_setup(void)
{
	memset(&emu_vm, 0, sizeof(emu_vm));
	vuart_init(&emu_vm.uart, NULL, NULL);
	vplic_init(&emu_vm.plic, GUEST_PLIC_NDEV + 1, 2);
}

/*
 * One access of `f3` (funct3) at `gpa` given as a transformed instruction
 * in htinst, with rd/rs2 = a0: whether it was emulated, and a0 after it.
 */
static bool emu(bool store, unsigned int f3, uint64_t gpa, uint64_t *a0)
{
	struct trap_frame tf = { .sepc = 0x1000 };
	bool ok;

	tf.htinst = store ? s_type(0, 10, 0, f3, OPC_STORE)
			  : i_type(0, 0, f3, 10, OPC_LOAD);
	tf.regs[10] = *a0;
	ok = mmio_emulate(&emu_vcpu, &tf, gpa);
	assert_int_equal(tf.sepc, ok ? 0x1004 : 0x1000);
	*a0 = tf.regs[10];
	return ok;
}

enum { LB, LH, LW, LD, LBU, LHU, LWU };
enum { SB, SH, SW, SD };
#define UART(off) (GUEST_UART_BASE + (off))
#define PLIC(off) (GUEST_PLIC_BASE + (off))

/* As QEMU's ns16550a: 1 to 8 bytes, naturally aligned; one register. */
static void test_emulate_uart_widths(void **state)
{
	uint64_t v;

	(void)state;
	emu_setup();
	v = 0x83; /* LCR: DLAB, 8 bits */
	assert_true(emu(true, SB, UART(3), &v));
	v = 0x1122334455667788ULL;
	assert_true(emu(true, SD, UART(0), &v)); /* DLL gets the low byte */
	v = 0;
	assert_true(emu(false, LW, UART(0), &v));
	assert_int_equal(v, 0x88); /* zero-extended register, then lw */
	assert_true(emu(false, LB, UART(0), &v));
	assert_int_equal(v, 0xffffffffffffff88ULL);
	assert_true(emu(false, LD, UART(0), &v));
	assert_int_equal(v, 0x88);
	v = 0x5a5a;
	assert_true(emu(true, SH, UART(0), &v));
	assert_true(emu(false, LBU, UART(0), &v));
	assert_int_equal(v, 0x5a);
	assert_true(emu(false, LHU, UART(2), &v));
	/* Misaligned: an access fault, the register untouched. */
	v = 0;
	assert_false(emu(false, LW, UART(1), &v));
	assert_false(emu(true, SH, UART(3), &v));
	assert_false(emu(false, LD, UART(4), &v));
	assert_true(emu(false, LBU, UART(3), &v));
	assert_int_equal(v, 0x83);
	/* Past the FDT's 0x100 bytes: nothing there. */
	assert_false(emu(false, LBU, UART(VUART_SIZE), &v));
}

/* The PLIC's registers are 32 bits: reserved words read 0, others fault. */
static void test_emulate_plic_widths(void **state)
{
	uint64_t v;

	(void)state;
	emu_setup();
	v = 0xffffffff;
	assert_true(emu(true, SW, PLIC(4), &v));
	assert_true(emu(false, LW, PLIC(4), &v));
	assert_int_equal(v, 7);
	/* The enable word of sources 32-63, past ndev 31: reserved. */
	v = 0xffffffff;
	assert_true(emu(true, SW, PLIC(0x2004), &v));
	v = 0xdead;
	assert_true(emu(false, LWU, PLIC(0x2004), &v));
	assert_int_equal(v, 0);
	v = 0;
	assert_false(emu(false, LB, PLIC(4), &v));
	assert_false(emu(false, LH, PLIC(4), &v));
	assert_false(emu(false, LD, PLIC(0), &v));
	assert_false(emu(true, SD, PLIC(0), &v));
	assert_false(emu(true, SB, PLIC(4), &v));
	assert_false(emu(false, LW, PLIC(6), &v));
	assert_true(emu(false, LW, PLIC(4), &v));
	assert_int_equal(v, 7); /* the faulting stores changed nothing */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loads_32),
		cmocka_unit_test(test_stores_32),
		cmocka_unit_test(test_upper_half_ignored),
		cmocka_unit_test(test_compressed_quadrant0),
		cmocka_unit_test(test_compressed_sp),
		cmocka_unit_test(test_transformed),
		cmocka_unit_test(test_transformed_amo_rejected),
		cmocka_unit_test(test_pseudoinstruction_rejected),
		cmocka_unit_test(test_rejected_32),
		cmocka_unit_test(test_rejected_16),
		cmocka_unit_test(test_emulate_uart_widths),
		cmocka_unit_test(test_emulate_plic_widths),
	};

	return cmocka_run_group_tests_name("mmio", tests, NULL, NULL);
}
