// SPDX-License-Identifier: MIT
/*
 * Virtual-instruction exceptions (cause 22) from L2: what VS-mode and
 * VU-mode may not do under the H extension, with stval holding zero or the
 * instruction's bits, and what stays an illegal instruction.
 */
#include "nested.h"

const char payload_name[] = "h-virt";
PLAN("vs-hstatus-read", "vs-hstatus-write", "vs-hgatp", "vs-hedeleg", "vs-hvip",
     "vs-vsstatus", "vs-vsatp", "vs-hfence-vvma", "vs-hfence-gvma", "vs-hlv",
     "vs-hlvx", "vs-hsv", "vs-wfi-vtw", "vs-sret-vtsr", "vs-sfence-vtvm",
     "vs-satp-read-vtvm", "vs-satp-write-vtvm", "vs-satp-ok", "vs-sfence-ok",
     "vs-time-tm0", "vs-time-delta", "vs-mstatus-illegal", "vu-sstatus",
     "vu-sret", "vu-wfi", "vu-sfence", "vu-hfence", "vu-hlv");

static struct vctx c;
static uint64_t word = 0x0123456789abcdefUL;

/* Run snippet fn in mode; it must trap to HS with a virtual instruction. */
static void virt(const char *name, void (*fn)(void), enum l2_mode mode)
{
	vctx_init(&c, fn);
	c.x[R_A1] = (unsigned long)&word;
	l2_run(&c, mode);
	check(name,
	      c.scause == EXC_VIRTUAL && c.pc == ADDR(fn) &&
		      stval_insn_ok(c.stval, insn_at(fn)) &&
		      (c.hstatus & HSTATUS_SPV),
	      "scause %lu (a7 %lu) sepc 0x%lx (insn at 0x%lx) stval 0x%lx (insn 0x%x) hstatus 0x%lx",
	      c.scause, c.x[R_A7], c.pc, ADDR(fn), c.stval, insn_at(fn),
	      c.hstatus);
}

/* Run snippet fn in mode; it must complete (L2_DONE). */
static bool done(void (*fn)(void), enum l2_mode mode)
{
	vctx_init(&c, fn);
	c.x[R_A1] = (unsigned long)&word;
	l2_run(&c, mode);
	return c.x[R_A7] == L2_DONE &&
	       c.scause == (mode == MODE_VS ? EXC_ECALL_VS : EXC_ECALL_U);
}

void test_main(void)
{
	unsigned long t0, t1, delta = 1UL << 40;
	bool ok;

	h_reset();
	virt("vs-hstatus-read", l2_rd_hstatus, MODE_VS);
	virt("vs-hstatus-write", l2_wr_hstatus, MODE_VS);
	virt("vs-hgatp", l2_rd_hgatp, MODE_VS);
	virt("vs-hedeleg", l2_rd_hedeleg, MODE_VS);
	virt("vs-hvip", l2_rd_hvip, MODE_VS);
	virt("vs-vsstatus", l2_rd_vsstatus, MODE_VS);
	virt("vs-vsatp", l2_rd_vsatp, MODE_VS);
	virt("vs-hfence-vvma", l2_hfence_vvma, MODE_VS);
	virt("vs-hfence-gvma", l2_hfence_gvma, MODE_VS);
	virt("vs-hlv", l2_hlv, MODE_VS);
	virt("vs-hlvx", l2_hlvx, MODE_VS);
	virt("vs-hsv", l2_hsv, MODE_VS);

	csr_set(hstatus, HSTATUS_VTW);
	virt("vs-wfi-vtw", l2_wfi, MODE_VS);
	csr_clear(hstatus, HSTATUS_VTW);
	csr_set(hstatus, HSTATUS_VTSR);
	virt("vs-sret-vtsr", l2_sret, MODE_VS);
	csr_clear(hstatus, HSTATUS_VTSR);
	csr_set(hstatus, HSTATUS_VTVM);
	virt("vs-sfence-vtvm", l2_sfence, MODE_VS);
	virt("vs-satp-read-vtvm", l2_rd_satp, MODE_VS);
	virt("vs-satp-write-vtvm", l2_wr_satp, MODE_VS);
	csr_clear(hstatus, HSTATUS_VTVM);

	csr_write(vsatp, 0);
	ok = done(l2_rd_satp, MODE_VS);
	check("vs-satp-ok", ok && c.x[R_A0] == 0,
	      "VTVM=0: scause %lu a7 %lu satp 0x%lx", c.scause, c.x[R_A7],
	      c.x[R_A0]);
	ok = done(l2_sfence, MODE_VS);
	check("vs-sfence-ok", ok, "VTVM=0: scause %lu a7 %lu", c.scause,
	      c.x[R_A7]);

	/* time: hcounteren.TM=0 makes it a virtual instruction in VS. */
	csr_clear(hcounteren, 1UL << 1);
	virt("vs-time-tm0", l2_rdtime, MODE_VS);
	csr_set(hcounteren, 1UL << 1);
	csr_write(htimedelta, delta);
	t0 = now();
	ok = done(l2_rdtime, MODE_VS);
	t1 = now();
	csr_write(htimedelta, 0);
	check("vs-time-delta",
	      ok && c.x[R_A0] >= t0 + delta && c.x[R_A0] <= t1 + delta,
	      "L2 read time 0x%lx, expected 0x%lx..0x%lx (a7 %lu scause %lu)",
	      c.x[R_A0], t0 + delta, t1 + delta, c.x[R_A7], c.scause);

	/* An M-mode CSR is an illegal instruction, not a virtual one. */
	vctx_init(&c, l2_rd_mstatus);
	l2_run(&c, MODE_VS);
	check("vs-mstatus-illegal",
	      c.scause == EXC_ILLEGAL && c.pc == ADDR(l2_rd_mstatus),
	      "scause %lu sepc 0x%lx", c.scause, c.pc);

	virt("vu-sstatus", l2_rd_sstatus, MODE_VU);
	virt("vu-sret", l2_sret, MODE_VU);
	virt("vu-wfi", l2_wfi, MODE_VU);
	virt("vu-sfence", l2_sfence, MODE_VU);
	virt("vu-hfence", l2_hfence_vvma, MODE_VU);
	csr_set(hstatus, HSTATUS_HU);
	virt("vu-hlv", l2_hlv, MODE_VU);
	h_reset();
}
