// SPDX-License-Identifier: MIT
/*
 * Interrupt injection through hvip: with hideleg delegating VSSIP, VSTIP
 * and VSEIP, L2 takes them at its vstvec as interrupts 1, 5 and 9; without
 * delegation they go to HS-mode as interrupts 2, 6 and 10. With Sstc,
 * vstimecmp raises hip.VSTIP. Every wait is a bounded spin in L2.
 */
#include "nested.h"

const char payload_name[] = "h-irq";
PLAN("vssip-deleg", "vstip-deleg", "vseip-deleg", "vssip-hs", "vstip-hs",
     "vseip-hs", "vs-sie-masked", "vsie-masked", "vu-deleg", "vssip-clear",
     "priority", "hs-spv", "sstc-vstip-set", "sstc-vstip-clear",
     "sstc-vstip-l2");

#define SPINS 200000

static struct vctx c;

/* Run l2_spin in mode with vsstatus.SIE = sie. */
static void spin(enum l2_mode mode, bool sie)
{
	csr_write(vsstatus, sie ? SSTATUS_SIE : 0);
	csr_write(vstvec, ADDR(l2_vec));
	vctx_init(&c, l2_spin);
	c.x[R_A1] = SPINS;
	l2_run(&c, mode);
	csr_write(hvip, 0);
}

static void deleg(const char *name, unsigned long bit, unsigned long vscause)
{
	csr_write(hideleg, HIP_VS_ALL);
	csr_write(hie, HIP_VS_ALL);
	csr_write(hvip, bit);
	spin(MODE_VS, true);
	check(name,
	      l2_reported(&c) && c.x[R_A0] == (SCAUSE_IRQ | vscause) &&
		      c.x[R_A1] >= ADDR(l2_spin) &&
		      c.x[R_A1] < ADDR(l2_spin) + 16,
	      "scause 0x%lx a7 %lu; vscause 0x%lx vsepc 0x%lx", c.scause,
	      c.x[R_A7], c.x[R_A0], c.x[R_A1]);
}

static void to_hs(const char *name, unsigned long bit, unsigned long cause)
{
	csr_write(hideleg, 0);
	csr_write(hie, bit);
	csr_write(hvip, bit);
	spin(MODE_VS, true);
	csr_write(hie, 0);
	check(name, c.scause == (SCAUSE_IRQ | cause), "scause 0x%lx (a7 %lu)",
	      c.scause, c.x[R_A7]);
}

static void sstc_cases(void)
{
	unsigned long a, b;

	if (!has_sstc()) {
		pass_note("sstc-vstip-set", "no Sstc: not checked");
		pass_note("sstc-vstip-clear", "no Sstc: not checked");
		pass_note("sstc-vstip-l2", "no Sstc: not checked");
		return;
	}
	csr_set(henvcfg, 1UL << 63);
	csr_write(vstimecmp, 0);
	delay_us(10);
	a = csr_read(hip);
	csr_write(vstimecmp, ~0UL);
	delay_us(10);
	b = csr_read(hip);
	check("sstc-vstip-set", a & HIP_VSTIP, "vstimecmp 0: hip 0x%lx", a);
	check("sstc-vstip-clear", !(b & HIP_VSTIP), "vstimecmp ~0: hip 0x%lx",
	      b);
	/* A deadline 1 ms ahead, in L2's time (htimedelta applied). */
	csr_write(htimedelta, 1UL << 32);
	csr_write(vstimecmp, now() + (1UL << 32) + us_to_ticks(1000));
	csr_write(hideleg, HIP_VS_ALL);
	csr_write(hie, HIP_VS_ALL);
	csr_write(vsstatus, SSTATUS_SIE);
	vctx_init(&c, l2_spin);
	c.x[R_A1] = 50UL * 1000 * 1000;
	l2_run(&c, MODE_VS);
	csr_write(vstimecmp, ~0UL);
	csr_write(htimedelta, 0);
	check("sstc-vstip-l2",
	      l2_reported(&c) && c.x[R_A0] == (SCAUSE_IRQ | IRQ_S_TIMER),
	      "scause 0x%lx a7 %lu vscause 0x%lx", c.scause, c.x[R_A7],
	      c.x[R_A0]);
	csr_clear(henvcfg, 1UL << 63);
}

void test_main(void)
{
	h_reset();
	deleg("vssip-deleg", HIP_VSSIP, IRQ_S_SOFT);
	deleg("vstip-deleg", HIP_VSTIP, IRQ_S_TIMER);
	deleg("vseip-deleg", HIP_VSEIP, IRQ_S_EXT);
	to_hs("vssip-hs", HIP_VSSIP, IRQ_VS_SOFT);
	to_hs("vstip-hs", HIP_VSTIP, IRQ_VS_TIMER);
	to_hs("vseip-hs", HIP_VSEIP, IRQ_VS_EXT);
	check("hs-spv", c.hstatus & HSTATUS_SPV, "hstatus 0x%lx", c.hstatus);

	/* Delegated and pending, but vsstatus.SIE = 0: L2 spins out. */
	csr_write(hideleg, HIP_VS_ALL);
	csr_write(hie, HIP_VS_ALL);
	csr_write(hvip, HIP_VSSIP);
	spin(MODE_VS, false);
	check("vs-sie-masked", c.scause == EXC_ECALL_VS && c.x[R_A7] == L2_SPUN,
	      "scause 0x%lx a7 %lu", c.scause, c.x[R_A7]);
	/* Pending, SIE = 1, but vsie.SSIE (hie.VSSIE) = 0. */
	csr_write(hie, HIP_VSTIP | HIP_VSEIP);
	csr_write(hvip, HIP_VSSIP);
	spin(MODE_VS, true);
	check("vsie-masked", c.scause == EXC_ECALL_VS && c.x[R_A7] == L2_SPUN,
	      "scause 0x%lx a7 %lu", c.scause, c.x[R_A7]);
	/* VU-mode: VS-level interrupts are enabled whatever vsstatus.SIE. */
	csr_write(hie, HIP_VS_ALL);
	csr_write(hvip, HIP_VSSIP);
	spin(MODE_VU, false);
	check("vu-deleg",
	      l2_reported(&c) && c.x[R_A0] == (SCAUSE_IRQ | IRQ_S_SOFT) &&
		      !(c.x[R_A3] & SSTATUS_SPP),
	      "scause 0x%lx a7 %lu vscause 0x%lx vsstatus 0x%lx", c.scause,
	      c.x[R_A7], c.x[R_A0], c.x[R_A3]);
	/* L2 clears sip.SSIP in its handler: that is hvip.VSSIP. */
	csr_write(hvip, HIP_VSSIP);
	csr_write(vsstatus, SSTATUS_SIE);
	csr_write(vstvec, ADDR(l2_vec_clr));
	vctx_init(&c, l2_spin);
	c.x[R_A1] = SPINS;
	l2_run(&c, MODE_VS);
	check("vssip-clear", l2_reported(&c) && !(csr_read(hvip) & HIP_VSSIP),
	      "scause 0x%lx a7 %lu hvip 0x%lx", c.scause, c.x[R_A7],
	      csr_read(hvip));
	/* All three pending: external first (SEI > SSI > STI). */
	csr_write(hvip, HIP_VS_ALL);
	spin(MODE_VS, true);
	check("priority",
	      l2_reported(&c) && c.x[R_A0] == (SCAUSE_IRQ | IRQ_S_EXT),
	      "vscause 0x%lx", c.x[R_A0]);
	h_reset();
	sstc_cases();
	h_reset();
}
