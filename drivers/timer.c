// SPDX-License-Identifier: MIT
/*
 * The S-mode timer of each hart. With Sstc, L0 writes stimecmp directly
 * (OpenSBI sets menvcfg.STCE); without it, every arm is an SBI TIME call.
 */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <l0/timer.h>
#include <l0/hot.h>

static uint64_t timebase_hz;
static bool use_sstc;

void timer_init(uint64_t hz, bool sstc)
{
	timebase_hz = hz;
	use_sstc = sstc;
}

L0_HOT uint64_t timer_now(void)
{
	return csr_read(CSR_TIME);
}

uint64_t timer_us_to_ticks(uint64_t us)
{
	return us * timebase_hz / 1000000;
}

uint64_t timer_ticks_to_ns(uint64_t ticks)
{
	/* In two parts: ticks * 10^9 would overflow after half an hour. */
	return ticks / timebase_hz * 1000000000ULL +
	       ticks % timebase_hz * 1000000000ULL / timebase_hz;
}

void timer_set(uint64_t when)
{
	if (use_sstc)
		csr_write(CSR_STIMECMP, when);
	else
		sbi_set_timer(when);
}

void timer_cancel(void)
{
	timer_set(~0ULL);
}

const char *timer_kind(void)
{
	return use_sstc ? "Sstc stimecmp" : "SBI TIME";
}
