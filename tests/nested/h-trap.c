// SPDX-License-Identifier: MIT
/*
 * SRET into VS, VU and U (hstatus.SPV, sstatus.SPP), a tiny L2 that traps
 * back, and the trap CSRs on the way to HS-mode; exceptions delegated with
 * hedeleg reach L2's vstvec with V staying 1.
 */
#include "nested.h"

const char payload_name[] = "h-trap";
PLAN("vs-scause", "vs-sepc", "vs-stval", "vs-htval", "vs-htinst", "vs-spv",
     "vs-spvp", "vs-gva", "vs-spp", "hs-own-trap-spv0", "vu-scause", "vu-spv",
     "vu-spvp", "vu-spp", "u-scause", "u-spv", "u-spvp-kept", "hs-sret-spv0",
     "vs-sscratch", "vs-sstatus", "deleg-illegal", "deleg-illegal-v1",
     "deleg-ebreak", "deleg-vu-ebreak", "deleg-vu-ecall", "nodeleg-ebreak",
     "nodeleg-illegal", "u-hcsr-illegal", "u-hlv-illegal", "u-hlv-hu",
     "u-sret-illegal");

static struct vctx c;

static void run(void (*pc)(void), enum l2_mode mode)
{
	vctx_init(&c, pc);
	l2_run(&c, mode);
}

static void ecall_cases(void)
{
	struct htrap_info t;

	/* SPVP starts opposite to what the trap must write. */
	csr_clear(hstatus, HSTATUS_SPVP);
	csr_set(hstatus, HSTATUS_GVA);
	run(l2_ecall, MODE_VS);
	check("vs-scause", c.scause == EXC_ECALL_VS, "scause %lu", c.scause);
	check("vs-sepc", c.pc == ADDR(l2_ecall), "sepc 0x%lx, ecall at 0x%lx",
	      c.pc, ADDR(l2_ecall));
	check("vs-stval", c.stval == 0, "stval 0x%lx", c.stval);
	check("vs-htval", c.htval == 0, "htval 0x%lx", c.htval);
	/* The spec's table allows only zero in htinst for an ecall. */
	check("vs-htinst", c.htinst == 0, "htinst 0x%lx", c.htinst);
	check("vs-spv", c.hstatus & HSTATUS_SPV, "hstatus 0x%lx", c.hstatus);
	check("vs-spvp", c.hstatus & HSTATUS_SPVP, "hstatus 0x%lx", c.hstatus);
	check("vs-gva", !(c.hstatus & HSTATUS_GVA), "hstatus 0x%lx", c.hstatus);
	check("vs-spp", c.sstatus & SSTATUS_SPP, "sstatus 0x%lx", c.sstatus);

	/*
	 * hstatus still says SPV=1 from that exit. A trap HS-mode takes from
	 * itself writes SPV=0 (and GVA=0), also when the hart delivers it
	 * without L0 (a breakpoint, delegated by hedeleg under L0): else the
	 * trap would look like L2's, and its SRET would go into L2.
	 */
	htrap_expect(0);
	__asm__ volatile(".option push\n.option norvc\nebreak\n.option pop" ::
				 : "memory");
	t = htrap_result();
	check("hs-own-trap-spv0",
	      t.taken && t.scause == EXC_BREAKPOINT &&
		      !(t.hstatus & (HSTATUS_SPV | HSTATUS_GVA)) &&
		      !(csr_read(hstatus) & HSTATUS_SPV),
	      "taken %d scause %lu hstatus in the trap 0x%lx, after 0x%lx",
	      t.taken, t.scause, t.hstatus, csr_read(hstatus));

	csr_set(hstatus, HSTATUS_SPVP);
	run(l2_ecall, MODE_VU);
	check("vu-scause", c.scause == EXC_ECALL_U, "scause %lu", c.scause);
	check("vu-spv", c.hstatus & HSTATUS_SPV, "hstatus 0x%lx", c.hstatus);
	check("vu-spvp", !(c.hstatus & HSTATUS_SPVP), "hstatus 0x%lx",
	      c.hstatus);
	check("vu-spp", !(c.sstatus & SSTATUS_SPP), "sstatus 0x%lx", c.sstatus);

	/* From U-mode (V=0), SPVP is not written. */
	csr_set(hstatus, HSTATUS_SPVP);
	run(l2_ecall, MODE_U);
	check("u-scause", c.scause == EXC_ECALL_U && c.pc == ADDR(l2_ecall),
	      "scause %lu sepc 0x%lx", c.scause, c.pc);
	check("u-spv", !(c.hstatus & HSTATUS_SPV) && !(c.sstatus & SSTATUS_SPP),
	      "hstatus 0x%lx sstatus 0x%lx", c.hstatus, c.sstatus);
	check("u-spvp-kept", c.hstatus & HSTATUS_SPVP, "hstatus 0x%lx",
	      c.hstatus);

	/* SPV=0, SPP=1: sret stays in HS-mode, where hstatus is readable. */
	run(l2_hs_rd_hstatus, MODE_HS);
	check("hs-sret-spv0",
	      c.scause == EXC_BREAKPOINT && c.x[R_A7] == L2_DONE &&
		      !(c.hstatus & HSTATUS_SPV),
	      "scause %lu a7 %lu hstatus 0x%lx", c.scause, c.x[R_A7],
	      c.hstatus);
}

static void vs_state_cases(void)
{
	unsigned long old = csr_read(vsscratch);

	csr_write(vsscratch, 0);
	vctx_init(&c, l2_wr_sscratch);
	c.x[R_A1] = 0x5a5a1234;
	l2_run(&c, MODE_VS);
	check("vs-sscratch",
	      c.x[R_A7] == L2_DONE && csr_read(vsscratch) == 0x5a5a1234,
	      "a7 %lu vsscratch 0x%lx", c.x[R_A7], csr_read(vsscratch));
	csr_write(vsscratch, old);

	csr_write(vsstatus, SSTATUS_SUM | SSTATUS_SPIE);
	run(l2_rd_sstatus, MODE_VS);
	check("vs-sstatus",
	      c.x[R_A7] == L2_DONE && (c.x[R_A0] & (SSTATUS_SUM | SSTATUS_SPIE |
						    SSTATUS_SIE)) ==
					      (SSTATUS_SUM | SSTATUS_SPIE),
	      "L2 read sstatus 0x%lx with vsstatus SUM|SPIE", c.x[R_A0]);
	csr_write(vsstatus, 0);
}

static void deleg_cases(void)
{
	csr_write(vstvec, ADDR(l2_vec));
	csr_write(hedeleg, (1UL << EXC_ILLEGAL) | (1UL << EXC_BREAKPOINT) |
				   (1UL << EXC_ECALL_U));
	run(l2_unimp, MODE_VS);
	check("deleg-illegal",
	      l2_reported(&c) && c.x[R_A0] == EXC_ILLEGAL &&
		      c.x[R_A1] == ADDR(l2_unimp) &&
		      stval_insn_ok(c.x[R_A2], insn_at(l2_unimp)) &&
		      (c.x[R_A3] & SSTATUS_SPP),
	      "scause %lu a7 %lu; vscause %lu vsepc 0x%lx vstval 0x%lx vsstatus 0x%lx",
	      c.scause, c.x[R_A7], c.x[R_A0], c.x[R_A1], c.x[R_A2], c.x[R_A3]);
	check("deleg-illegal-v1",
	      c.scause == EXC_ECALL_VS && (c.hstatus & HSTATUS_SPV) &&
		      c.pc > ADDR(l2_vec) && c.pc < ADDR(l2_vec) + 32,
	      "the report came with scause %lu sepc 0x%lx hstatus 0x%lx",
	      c.scause, c.pc, c.hstatus);
	run(l2_ebreak, MODE_VS);
	check("deleg-ebreak",
	      l2_reported(&c) && c.x[R_A0] == EXC_BREAKPOINT &&
		      c.x[R_A1] == ADDR(l2_ebreak),
	      "scause %lu a7 %lu; vscause %lu vsepc 0x%lx", c.scause, c.x[R_A7],
	      c.x[R_A0], c.x[R_A1]);
	run(l2_ebreak, MODE_VU);
	check("deleg-vu-ebreak",
	      l2_reported(&c) && c.x[R_A0] == EXC_BREAKPOINT &&
		      c.x[R_A1] == ADDR(l2_ebreak) &&
		      !(c.x[R_A3] & SSTATUS_SPP),
	      "scause %lu a7 %lu; vscause %lu vsepc 0x%lx vsstatus 0x%lx",
	      c.scause, c.x[R_A7], c.x[R_A0], c.x[R_A1], c.x[R_A3]);
	run(l2_ecall, MODE_VU);
	check("deleg-vu-ecall",
	      l2_reported(&c) && c.x[R_A0] == EXC_ECALL_U &&
		      c.x[R_A1] == ADDR(l2_ecall),
	      "scause %lu a7 %lu; vscause %lu vsepc 0x%lx", c.scause, c.x[R_A7],
	      c.x[R_A0], c.x[R_A1]);

	csr_write(hedeleg, 0);
	run(l2_ebreak, MODE_VS);
	check("nodeleg-ebreak",
	      c.scause == EXC_BREAKPOINT && c.pc == ADDR(l2_ebreak) &&
		      (c.hstatus & HSTATUS_SPV),
	      "scause %lu sepc 0x%lx hstatus 0x%lx", c.scause, c.pc, c.hstatus);
	run(l2_unimp, MODE_VS);
	check("nodeleg-illegal",
	      c.scause == EXC_ILLEGAL && c.pc == ADDR(l2_unimp) &&
		      stval_insn_ok(c.stval, insn_at(l2_unimp)) &&
		      (c.hstatus & HSTATUS_SPV),
	      "scause %lu sepc 0x%lx stval 0x%lx", c.scause, c.pc, c.stval);
}

static uint64_t hu_word = 0x1122334455667788UL;

static void u_cases(void)
{
	run(l2_rd_hstatus, MODE_U);
	check("u-hcsr-illegal",
	      c.scause == EXC_ILLEGAL && c.pc == ADDR(l2_rd_hstatus) &&
		      stval_insn_ok(c.stval, insn_at(l2_rd_hstatus)),
	      "scause %lu sepc 0x%lx stval 0x%lx", c.scause, c.pc, c.stval);

	csr_clear(hstatus, HSTATUS_HU);
	vctx_init(&c, l2_hlv);
	c.x[R_A1] = (unsigned long)&hu_word;
	l2_run(&c, MODE_U);
	check("u-hlv-illegal", c.scause == EXC_ILLEGAL && c.pc == ADDR(l2_hlv),
	      "hstatus.HU=0: scause %lu sepc 0x%lx", c.scause, c.pc);

	csr_set(hstatus, HSTATUS_HU);
	csr_clear(hstatus, HSTATUS_SPVP);
	vctx_init(&c, l2_hlv);
	c.x[R_A1] = (unsigned long)&hu_word;
	l2_run(&c, MODE_U);
	csr_clear(hstatus, HSTATUS_HU);
	check("u-hlv-hu",
	      c.scause == EXC_ECALL_U && c.x[R_A7] == L2_DONE &&
		      c.x[R_A0] == hu_word,
	      "hstatus.HU=1: scause %lu a7 %lu a0 0x%lx", c.scause, c.x[R_A7],
	      c.x[R_A0]);

	run(l2_sret, MODE_U);
	check("u-sret-illegal",
	      c.scause == EXC_ILLEGAL && c.pc == ADDR(l2_sret),
	      "scause %lu sepc 0x%lx", c.scause, c.pc);
}

void test_main(void)
{
	h_reset();
	ecall_cases();
	h_reset();
	vs_state_cases();
	h_reset();
	deleg_cases();
	h_reset();
	u_cases();
	h_reset();
}
