// SPDX-License-Identifier: MIT
/*
 * SBI SUSP (SBI spec v2.0, system suspend): its errors for reserved and
 * platform sleep types, a resume address with nothing there, and another
 * hart started; then SUSPEND_TO_RAM, woken by the timer, resumes at
 * resume_addr with a0 = hart id, a1 = opaque, sstatus.SIE = 0, the other
 * harts still stopped and startable; a second time with the upper half of
 * the 64-bit sleep_type set, which RV64 ignores.
 */
#include "guest.h"

#define SBI_EXT_SUSP 0x53555350
#define SLEEP_US 100000 /* the timer that ends a suspend */
#define WAIT_US 1000000
#define OPAQUE1 0x5005000000000001UL
#define OPAQUE2 0x5005000000000002UL

const char payload_name[] = "sbi-susp";
PLAN("probe", "type-reserved", "type-reserved-high", "type-platform",
     "bad-resume", "resume-ram-end", "resume-huge", "denied-other-started",
     "resume-regs", "slept", "others-stopped", "type-upper-ignored",
     "start-after-resume");

static long suspend(unsigned long type, unsigned long resume,
		    unsigned long opaque)
{
	return sbi_call(SBI_EXT_SUSP, 0, type, resume, opaque, 0, 0).error;
}

static uint64_t slept_from;

static void expect_err(const char *name, long err, long want)
{
	check(name, err == want, "error %ld, want %ld", err, want);
}

/* A suspend that must fail: armed with a timer, should it happen. */
static long failing(unsigned long type, unsigned long resume)
{
	long err;

	sbi_set_timer(now() + us_to_ticks(SLEEP_US));
	err = suspend(type, resume, 0);
	sbi_set_timer(~0ULL);
	return err;
}

static volatile unsigned long stop_spinning;

static void spinner(unsigned long hartid, unsigned long opaque)
{
	(void)hartid;
	(void)opaque;
	while (!READ_ONCE(stop_spinning))
		;
}

static long other;

/* Sleep until the timer, SIE = 1 (the resume must clear it). */
static void __attribute__((noreturn))
sleep(unsigned long type, unsigned long opaque)
{
	long err;

	slept_from = now();
	sbi_set_timer(now() + us_to_ticks(SLEEP_US));
	csr_set(sie, SIE_STIE);
	csr_set(sstatus, SSTATUS_SIE);
	err = suspend(type, (unsigned long)resume_entry, opaque);
	csr_clear(sstatus, SSTATUS_SIE);
	check(opaque == OPAQUE1 ? "resume-regs" : "type-upper-ignored", false,
	      "type 0x%lx: the suspend returned error %ld", type, err);
	test_done();
}

static bool regs_ok(unsigned long opaque, unsigned long count)
{
	return resume_regs[boot_hartid].count == count &&
	       resume_regs[boot_hartid].a0 == boot_hartid &&
	       resume_regs[boot_hartid].a1 == opaque &&
	       !(resume_regs[boot_hartid].sstatus & SSTATUS_SIE);
}

static void __attribute__((noreturn))
after_resume(unsigned long hartid, unsigned long opaque)
{
	uint64_t slept = now() - slept_from;
	struct sbiret st;

	(void)hartid;
	(void)opaque;
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIE_STIE);
	if (resume_regs[boot_hartid].count == 1) {
		check("resume-regs", regs_ok(OPAQUE1, 1),
		      "a0 0x%lx a1 0x%lx sstatus 0x%lx, want a0 %lu a1 0x%lx SIE 0",
		      resume_regs[boot_hartid].a0, resume_regs[boot_hartid].a1,
		      resume_regs[boot_hartid].sstatus, boot_hartid, OPAQUE1);
		check("slept", slept >= us_to_ticks(SLEEP_US),
		      "resumed after %lu ticks, before its timer (%lu)",
		      (unsigned long)slept,
		      (unsigned long)us_to_ticks(SLEEP_US));
		st = sbi_hart_status((unsigned long)other);
		check("others-stopped", !st.error && st.value == HSM_STOPPED,
		      "hart %ld: error %ld status %ld", other, st.error,
		      st.value);
		sleep(0xffffffff00000000UL, OPAQUE2);
	}
	check("type-upper-ignored", regs_ok(OPAQUE2, 2),
	      "type 0xffffffff00000000: resumes %lu, a0 0x%lx a1 0x%lx sstatus 0x%lx",
	      resume_regs[boot_hartid].count, resume_regs[boot_hartid].a0,
	      resume_regs[boot_hartid].a1, resume_regs[boot_hartid].sstatus);
	WRITE_ONCE(stop_spinning, 0);
	check("start-after-resume",
	      !start_hart((unsigned long)other, spinner, 0) &&
		      wait_hart_status((unsigned long)other, HSM_STARTED,
				       WAIT_US),
	      "status %ld", sbi_hart_status((unsigned long)other).value);
	WRITE_ONCE(stop_spinning, 1);
	wait_hart_status((unsigned long)other, HSM_STOPPED, WAIT_US);
	test_done();
}

void test_main(void)
{
	long err;

	other = other_hart();
	irq_disable_all();
	if (skip_unless_offered(SBI_EXT_SUSP, "SUSP"))
		return;
	pass_note("probe", "SUSP offered");
	if (other < 0) {
		for (unsigned long i = 1; i < payload_plan_len; i++)
			check(payload_plan[i], false, "needs 2 harts");
		return;
	}
	expect_err("type-reserved", failing(1, (unsigned long)resume_entry),
		   SBI_ERR_INVALID_PARAM);
	expect_err("type-reserved-high",
		   failing(0x7fffffff, (unsigned long)resume_entry),
		   SBI_ERR_INVALID_PARAM);
	/* Platform-specific: INVALID_PARAM when unimplemented, NOT_SUPPORTED
	 * when implemented but missing a dependency. */
	err = failing(0x80000000, (unsigned long)resume_entry);
	check("type-platform",
	      err == SBI_ERR_INVALID_PARAM || err == SBI_ERR_NOT_SUPPORTED,
	      "type 0x80000000: error %ld, want -3 (or -2)", err);
	expect_err("bad-resume", failing(0, plat.bad_addr),
		   SBI_ERR_INVALID_ADDRESS);
	expect_err("resume-ram-end", failing(0, plat.mem_base + plat.mem_size),
		   SBI_ERR_INVALID_ADDRESS);
	expect_err("resume-huge", failing(0, ~1UL), SBI_ERR_INVALID_ADDRESS);
	err = start_hart((unsigned long)other, spinner, 0);
	if (!err &&
	    wait_hart_status((unsigned long)other, HSM_STARTED, WAIT_US))
		expect_err("denied-other-started",
			   failing(0, (unsigned long)resume_entry),
			   SBI_ERR_DENIED);
	else
		check("denied-other-started", false,
		      "hart %ld: start error %ld", other, err);
	WRITE_ONCE(stop_spinning, 1);
	wait_hart_status((unsigned long)other, HSM_STOPPED, WAIT_US);
	resume_main = after_resume;
	sleep(0, OPAQUE1);
}
