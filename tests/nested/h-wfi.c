// SPDX-License-Identifier: MIT
/*
 * WFI on a hart that L0 shares between vCPUs (configs/nested-payload-h-wfi.dts
 * puts both of the payload's vCPUs on host hart 0, so L0 sets hstatus.VTW):
 * - WFI in L1's HS-mode is legal: with an interrupt pending that sie enables
 *   (sstatus.SIE = 0) it completes; with none, it waits until one is, here
 *   L1's timer or an IPI from L1's other hart, which L0 runs meanwhile. So
 *   does SBI HSM's retentive suspend.
 * - L2's WFI in VS-mode is legal while L1's hstatus.VTW = 0 (pending
 *   interrupt: it completes), also after L0 ended a slice in L2, and a
 *   virtual instruction for L1 with VTW = 1.
 * On QEMU's own H extension (reference) the same holds, without L0.
 */
#include "nested.h"

const char payload_name[] = "h-wfi";
PLAN("hs-wfi-pending", "hs-wfi-timer", "hs-wfi-ipi", "hs-suspend-ipi",
     "vs-wfi-vtw0", "vs-wfi-vtw1");

#define WAIT_US 2000000UL /* a wait that does not end by then has hung */

static struct vctx c;

/* WFI in HS-mode until one of `sip_bits` pends; the exception it took. */
static struct htrap_info wfi_until(unsigned long sip_bits, bool *seen)
{
	uint64_t end = now() + us_to_ticks(WAIT_US);
	struct htrap_info t = { 0 };

	do {
		htrap_expect(0);
		__asm__ volatile("wfi" ::: "memory");
		t = htrap_result();
	} while (!t.taken && !(csr_read(sip) & sip_bits) && now() < end);
	*seen = csr_read(sip) & sip_bits;
	return t;
}

static void hs_pending(void)
{
	struct htrap_info t;
	bool seen;

	csr_write(sie, SIE_SSIE);
	sbi_send_ipi(1, this_hart());
	t = wfi_until(SIE_SSIE, &seen);
	csr_clear(sip, SIE_SSIE);
	check("hs-wfi-pending", !t.taken && seen,
	      "trap %d scause 0x%lx stval 0x%lx; sip.SSIP %d", t.taken,
	      t.scause, t.stval, seen);
}

static void hs_timer(void)
{
	struct htrap_info t;
	bool seen;

	csr_write(sie, SIE_STIE);
	sbi_set_timer(now() + us_to_ticks(2000));
	t = wfi_until(SIE_STIE, &seen);
	sbi_set_timer(~0UL);
	check("hs-wfi-timer", !t.taken && seen,
	      "trap %d scause 0x%lx stval 0x%lx; sip.STIP %d", t.taken,
	      t.scause, t.stval, seen);
}

static volatile bool waiting;

/*
 * The other hart: once the first one is about to wait (its flag, or SBI HSM
 * says SUSPENDED), an IPI to it. On L0 both vCPUs share host hart 0, so
 * this one runs while the first one waits.
 */
static void ipi_later(unsigned long hartid, unsigned long target)
{
	uint64_t end = now() + us_to_ticks(WAIT_US);

	(void)hartid;
	while (!waiting && now() < end)
		;
	delay_us(1000);
	sbi_send_ipi(1, target);
	sbi_hart_stop();
}

static void ipi_when_suspended(unsigned long hartid, unsigned long target)
{
	(void)hartid;
	if (wait_hart_status(target, HSM_SUSPENDED, WAIT_US))
		sbi_send_ipi(1, target);
	sbi_hart_stop();
}

static void hs_ipi(void)
{
	unsigned long other = boot_hartid == 0 ? 1 : 0;
	struct htrap_info t = { 0 };
	long err;
	bool seen = false;

	csr_write(sie, SIE_SSIE);
	waiting = false;
	err = start_hart(other, ipi_later, this_hart());
	if (!err) {
		waiting = true;
		t = wfi_until(SIE_SSIE, &seen);
	}
	csr_clear(sip, SIE_SSIE);
	check("hs-wfi-ipi",
	      !err && !t.taken && seen &&
		      wait_hart_status(other, HSM_STOPPED, WAIT_US),
	      "hart_start %ld; trap %d scause 0x%lx; sip.SSIP %d", err, t.taken,
	      t.scause, seen);
}

/* SBI HSM retentive suspend: an IPI from the other hart ends it. */
static void hs_suspend_ipi(void)
{
	unsigned long other = boot_hartid == 0 ? 1 : 0;
	long err, susp = -1;
	bool seen;

	csr_write(sie, SIE_SSIE);
	err = start_hart(other, ipi_when_suspended, this_hart());
	if (!err)
		susp = sbi_hart_suspend(0, 0, 0);
	seen = csr_read(sip) & SIE_SSIE;
	csr_clear(sip, SIE_SSIE);
	check("hs-suspend-ipi",
	      !err && !susp && seen &&
		      wait_hart_status(other, HSM_STOPPED, WAIT_US),
	      "hart_start %ld; suspend %ld; sip.SSIP %d", err, susp, seen);
}

static void vs_wfi(bool vtw)
{
	csr_write(hideleg, HIP_VSSIP);
	csr_write(vsie, 1UL << IRQ_S_SOFT);
	csr_write(vsstatus, 0);
	if (vtw) {
		csr_set(hstatus, HSTATUS_VTW);
	} else {
		/* Pending and enabled in vsie: the WFI completes. */
		csr_write(hvip, HIP_VSSIP);
	}
	if (vtw) {
		vctx_init(&c, l2_wfi);
	} else {
		/* Long enough for L0 to end a slice and enter L2 afresh. */
		vctx_init(&c, l2_spin_wfi);
		c.x[R_A1] = now() + us_to_ticks(30000);
	}
	l2_run(&c, MODE_VS);
	if (vtw)
		check("vs-wfi-vtw1",
		      c.scause == EXC_VIRTUAL && c.pc == ADDR(l2_wfi) &&
			      stval_insn_ok(c.stval, insn_at(l2_wfi)),
		      "scause 0x%lx sepc 0x%lx stval 0x%lx", c.scause, c.pc,
		      c.stval);
	else
		check("vs-wfi-vtw0",
		      c.scause == EXC_ECALL_VS && c.x[R_A7] == L2_DONE,
		      "scause 0x%lx sepc 0x%lx a7 %lu", c.scause, c.pc,
		      c.x[R_A7]);
	h_reset();
}

void test_main(void)
{
	h_reset();
	csr_clear(sstatus, SSTATUS_SIE);
	hs_pending();
	hs_timer();
	hs_ipi();
	hs_suspend_ipi();
	csr_write(sie, 0);
	vs_wfi(false);
	vs_wfi(true);
}
