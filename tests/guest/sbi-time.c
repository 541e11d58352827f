// SPDX-License-Identifier: MIT
/* SBI TIME: set_timer raises the S-mode timer interrupt, ~0 cancels it. */
#include "guest.h"

#define DELTA_US 20000 /* a deadline 20 ms ahead */
#define WAIT_US 2000000

const char payload_name[] = "sbi-time";
PLAN("set-timer", "timer-fires", "not-early", "pending-clears", "cancel",
     "past-deadline", "wfi-wakes", "stimecmp-fires", "stimecmp-cancel");

static volatile unsigned long *ticks(void)
{
	return &traps[this_hart()].irqs[IRQ_S_TIMER];
}

/* With STIE on, wait up to WAIT_US for a timer interrupt after 'before'. */
static bool timer_taken(unsigned long before)
{
	uint64_t end = now() + us_to_ticks(WAIT_US);

	irq_enable(SIE_STIE);
	while (*ticks() == before && now() < end)
		;
	irq_disable_all();
	return *ticks() != before;
}

/* No timer interrupt within us microseconds, with STIE on. */
static bool quiet_for(uint64_t us)
{
	unsigned long before = *ticks();

	irq_enable(SIE_STIE);
	delay_us(us);
	irq_disable_all();
	return *ticks() == before;
}

static void sbi_timer_cases(void)
{
	unsigned long before = *ticks();
	uint64_t deadline, fired;
	bool ok;
	long err;

	deadline = now() + us_to_ticks(DELTA_US);
	err = sbi_set_timer(deadline);
	ok = timer_taken(before);
	check("set-timer", err == 0, "error %ld", err);
	fired = traps[this_hart()].irq_time[IRQ_S_TIMER];
	check("timer-fires", ok, "no timer interrupt within %d ms",
	      WAIT_US / 1000);
	check("not-early", ok && fired >= deadline,
	      "taken at %lu, deadline %lu", (unsigned long)fired,
	      (unsigned long)deadline);
	err = sbi_set_timer(~0ULL);
	check("pending-clears", !err && !(csr_read(sip) & SIE_STIE),
	      "error %ld, sip 0x%lx after set_timer(~0)", err, csr_read(sip));
	sbi_set_timer(now() + us_to_ticks(DELTA_US));
	err = sbi_set_timer(~0ULL);
	check("cancel", !err && quiet_for(3ULL * DELTA_US),
	      "error %ld or an interrupt after set_timer(~0)", err);
}

static void past_and_wfi_cases(void)
{
	bool ok;

	sbi_set_timer(0);
	ok = timer_taken(*ticks());
	check("past-deadline", ok, "set_timer(0) raised no interrupt");
	if (!ok) {
		check("wfi-wakes", false, "skipped: the timer does not work");
		return;
	}
	/* Only after the timer proved to work: wfi would otherwise hang. */
	sbi_set_timer(now() + us_to_ticks(DELTA_US));
	csr_set(sie, SIE_STIE);
	__asm__ volatile("wfi");
	check("wfi-wakes", csr_read(sip) & SIE_STIE, "sip 0x%lx after wfi",
	      csr_read(sip));
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIE_STIE);
}

static void stimecmp_cases(void)
{
	struct hart_traps *t = &traps[this_hart()];
	unsigned long before = *ticks();

	if (!hart_has_ext(this_hart(), "sstc")) {
		pass_note("stimecmp-fires", "skipped: no Sstc in the FDT");
		pass_note("stimecmp-cancel", "skipped: no Sstc in the FDT");
		return;
	}
	t->expect = 1;
	csr_write(CSR_STIMECMP, now() + us_to_ticks(DELTA_US));
	t->expect = 0;
	if (t->caught) {
		check("stimecmp-fires", false, "stimecmp write: scause 0x%lx",
		      t->scause);
		check("stimecmp-cancel", false, "stimecmp write traps");
		return;
	}
	check("stimecmp-fires", timer_taken(before), "no interrupt");
	csr_write(CSR_STIMECMP, now() + us_to_ticks(DELTA_US));
	csr_write(CSR_STIMECMP, ~0UL);
	check("stimecmp-cancel",
	      !(csr_read(sip) & SIE_STIE) && quiet_for(3ULL * DELTA_US),
	      "interrupt after stimecmp = ~0");
}

void test_main(void)
{
	sbi_timer_cases();
	past_and_wfi_cases();
	stimecmp_cases();
}
