// SPDX-License-Identifier: MIT
/* SBI HSM: start with opaque, status transitions, errors, stop, suspend. */
#include "guest.h"

#define WAIT_US 1000000
#define SUSPEND_US 200000 /* the secondary's wake-up timer */
#define NO_SUCH_HART 40
#define OPAQUE1 0x0123456789abcdefUL
#define OPAQUE2 0x5a5a00005a5a0000UL

const char payload_name[] = "sbi-hsm";
PLAN("status-stopped", "start-bad-address", "start-invalid-hart", "start",
     "start-args", "status-started", "start-already", "status-invalid-hart",
     "status-suspended", "suspend-resumes", "suspend-bad-type",
     "suspend-boot-hart", "stop", "restart", "restart-args",
     "suspend-type-upper-ret", "nonret-status-suspended", "start-suspended",
     "nonret-resume-regs", "suspend-type-upper-nonret", "nonret-stop");

/* The opaques of the two non-retentive suspends. */
#define OPAQUE3 0xfeedc0de00000003UL
#define OPAQUE4 0xfeedc0de00000004UL

static volatile unsigned long do_suspend, suspend_done, suspend_err;
static volatile unsigned long suspend_sip;

/* Suspend when told (retentive, woken by our own timer), then return. */
static void secondary(unsigned long hartid, unsigned long opaque)
{
	(void)hartid;
	(void)opaque;
	while (!READ_ONCE(do_suspend))
		;
	sbi_set_timer(now() + us_to_ticks(SUSPEND_US));
	csr_set(sie, SIE_STIE); /* sstatus.SIE stays 0: wake, no trap */
	suspend_err = sbi_hart_suspend(0, 0, 0);
	suspend_sip = csr_read(sip);
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIE_STIE);
	WRITE_ONCE(suspend_done, 1);
}

static void idle_secondary(unsigned long hartid, unsigned long opaque)
{
	(void)hartid;
	(void)opaque;
}

static long status(long hart)
{
	struct sbiret r = sbi_hart_status((unsigned long)hart);

	return r.error ? r.error : r.value;
}

static void start_cases(long other)
{
	unsigned long entered = secondary_entered[other];
	long err;

	check("status-stopped", status(other) == HSM_STOPPED,
	      "hart %ld status %ld, want 1", other, status(other));
	err = sbi_hart_start((unsigned long)other, plat.bad_addr, 0);
	check("start-bad-address",
	      err == SBI_ERR_INVALID_ADDRESS && status(other) == HSM_STOPPED,
	      "start at 0x%lx: error %ld, want -5; status %ld",
	      (unsigned long)plat.bad_addr, err, status(other));
	err = sbi_hart_start(NO_SUCH_HART, (unsigned long)secondary_entry, 0);
	check("start-invalid-hart", err == SBI_ERR_INVALID_PARAM,
	      "error %ld, want -3", err);
	err = start_hart((unsigned long)other, secondary, OPAQUE1);
	check("start",
	      !err && wait_flag(&secondary_entered[other], WAIT_US) &&
		      secondary_entered[other] != entered,
	      "error %ld, entered %lu", err, secondary_entered[other]);
	check("start-args",
	      secondary_a0[other] == (unsigned long)other &&
		      secondary_a1[other] == OPAQUE1,
	      "a0 0x%lx a1 0x%lx", secondary_a0[other], secondary_a1[other]);
	check("status-started", wait_hart_status(other, HSM_STARTED, WAIT_US),
	      "status %ld, want 0", status(other));
	err = sbi_hart_start((unsigned long)other,
			     (unsigned long)secondary_entry, 0);
	check("start-already", err == SBI_ERR_ALREADY_AVAILABLE,
	      "error %ld, want -6", err);
	check("status-invalid-hart",
	      sbi_hart_status(NO_SUCH_HART).error == SBI_ERR_INVALID_PARAM,
	      "error %ld, want -3", sbi_hart_status(NO_SUCH_HART).error);
}

static void suspend_cases(long other)
{
	long err;

	WRITE_ONCE(do_suspend, 1);
	check("status-suspended",
	      wait_hart_status(other, HSM_SUSPENDED, SUSPEND_US / 2),
	      "status %ld, want 4", status(other));
	check("suspend-resumes",
	      wait_flag(&suspend_done, WAIT_US) && !suspend_err &&
		      (suspend_sip & SIE_STIE),
	      "done %lu error %ld sip 0x%lx", suspend_done, suspend_err,
	      suspend_sip);
	err = sbi_hart_suspend(1, 0, 0);
	check("suspend-bad-type", err == SBI_ERR_INVALID_PARAM,
	      "type 1: error %ld, want -3", err);
	sbi_set_timer(now() + us_to_ticks(SUSPEND_US / 10));
	csr_set(sie, SIE_STIE);
	err = sbi_hart_suspend(0, 0, 0);
	check("suspend-boot-hart", !err && (csr_read(sip) & SIE_STIE),
	      "error %ld sip 0x%lx", err, csr_read(sip));
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIE_STIE);
}

static void stop_cases(long other)
{
	unsigned long entered;
	long err;

	check("stop", wait_hart_status(other, HSM_STOPPED, WAIT_US),
	      "status %ld after hart_stop, want 1", status(other));
	entered = secondary_entered[other];
	err = start_hart((unsigned long)other, idle_secondary, OPAQUE2);
	check("restart",
	      !err && wait_hart_status(other, HSM_STOPPED, WAIT_US) &&
		      secondary_entered[other] == entered + 1,
	      "error %ld, entered %lu times more, status %ld", err,
	      secondary_entered[other] - entered, status(other));
	check("restart-args",
	      secondary_a0[other] == (unsigned long)other &&
		      secondary_a1[other] == OPAQUE2,
	      "a0 0x%lx a1 0x%lx", secondary_a0[other], secondary_a1[other]);
}

/* HSM hart_suspend with the raw 64-bit suspend_type in a0. */
static long suspend_raw(unsigned long type, unsigned long resume,
			unsigned long opaque)
{
	return sbi_call(SBI_EXT_HSM, 3, type, resume, opaque, 0, 0).error;
}

static volatile unsigned long nonret_err;
/*
 * Each resume's registers, kept by the resumed hart itself: crt0's slot
 * holds only the last, and the second resume may come before the boot
 * hart has read the first (a loaded host).
 */
static volatile struct resume_regs resumed[2];

/*
 * Twice a non-retentive suspend (woken by its own timer, with sstatus.SIE
 * = 1 that the resume must clear): first with type 0x80000000, then with
 * 0x8000000080000000, whose upper half RV64 ignores. Then hart_stop.
 */
static void nonret_secondary(unsigned long hartid, unsigned long opaque)
{
	unsigned long type =
		opaque == OPAQUE3 ? 0x8000000080000000UL : 0x80000000UL;
	unsigned long next = opaque == OPAQUE3 ? OPAQUE4 : OPAQUE3;
	unsigned long n = resume_regs[hartid].count;

	if (n >= 1 && n <= 2) {
		resumed[n - 1].a0 = resume_regs[hartid].a0;
		resumed[n - 1].a1 = resume_regs[hartid].a1;
		resumed[n - 1].sstatus = resume_regs[hartid].sstatus;
		mb();
		resumed[n - 1].count = n;
	}
	sbi_set_timer(~0ULL);
	if (opaque == OPAQUE4)
		return; /* the second resume: stop */
	sbi_set_timer(now() + us_to_ticks(SUSPEND_US));
	csr_set(sie, SIE_STIE);
	csr_set(sstatus, SSTATUS_SIE);
	nonret_err = (unsigned long)suspend_raw(
		type, (unsigned long)resume_entry, next);
	csr_clear(sstatus, SSTATUS_SIE);
	WRITE_ONCE(suspend_done, 2); /* it returned: the suspend failed */
}

/* Until resume n (1 or 2) has kept its registers. */
static bool wait_resumes(unsigned int n)
{
	uint64_t end = now() + us_to_ticks(WAIT_US);

	while (READ_ONCE(resumed[n - 1].count) != n)
		if (now() > end || READ_ONCE(suspend_done) == 2)
			return false;
	return true;
}

/* Resume n's register state: a0 = hart id, a1 = opaque, SIE = 0. */
static bool resume_ok(long other, unsigned int n, unsigned long opaque)
{
	volatile struct resume_regs *r = &resumed[n - 1];

	return r->a0 == (unsigned long)other && r->a1 == opaque &&
	       !(r->sstatus & SSTATUS_SIE);
}

static void nonret_cases(long other)
{
	long err;

	sbi_set_timer(now() + us_to_ticks(SUSPEND_US / 10));
	csr_set(sie, SIE_STIE);
	err = suspend_raw(0x8000000000000000UL, 0, 0);
	check("suspend-type-upper-ret", !err && (csr_read(sip) & SIE_STIE),
	      "type 0x8000000000000000: error %ld sip 0x%lx", err,
	      csr_read(sip));
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIE_STIE);

	WRITE_ONCE(suspend_done, 0);
	resume_regs[other].count = 0;
	resumed[0].count = resumed[1].count = 0;
	mb();
	err = start_hart((unsigned long)other, nonret_secondary, 0);
	check("nonret-status-suspended",
	      !err && wait_hart_status(other, HSM_SUSPENDED, SUSPEND_US / 2),
	      "start error %ld, status %ld, want 4", err, status(other));
	err = sbi_hart_start((unsigned long)other,
			     (unsigned long)secondary_entry, 0);
	/* Not a stopped hart: ALREADY_AVAILABLE, or INVALID_PARAM (OpenSBI). */
	check("start-suspended",
	      (err == SBI_ERR_ALREADY_AVAILABLE ||
	       err == SBI_ERR_INVALID_PARAM) &&
		      status(other) == HSM_SUSPENDED,
	      "error %ld, want -6 (or -3); status %ld", err, status(other));
	check("nonret-resume-regs",
	      wait_resumes(1) && resume_ok(other, 1, OPAQUE3),
	      "resumes %lu (error %ld): a0 0x%lx a1 0x%lx sstatus 0x%lx, want a0 %ld a1 0x%lx SIE 0",
	      resume_regs[other].count, (long)nonret_err, resumed[0].a0,
	      resumed[0].a1, resumed[0].sstatus, other, OPAQUE3);
	check("suspend-type-upper-nonret",
	      wait_resumes(2) && resume_ok(other, 2, OPAQUE4),
	      "type 0x8000000080000000: resumes %lu (error %ld): a0 0x%lx a1 0x%lx sstatus 0x%lx",
	      resume_regs[other].count, (long)nonret_err, resumed[1].a0,
	      resumed[1].a1, resumed[1].sstatus);
	check("nonret-stop", wait_hart_status(other, HSM_STOPPED, WAIT_US),
	      "status %ld after the last resume, want 1", status(other));
}

void test_main(void)
{
	long other = other_hart();

	if (other < 0) {
		for (unsigned long i = 0; i < payload_plan_len; i++)
			check(payload_plan[i], false, "needs 2 harts");
		return;
	}
	gprintf("sbi-hsm: other hart %ld, inaccessible address 0x%lx\n", other,
		(unsigned long)plat.bad_addr);
	start_cases(other);
	suspend_cases(other);
	stop_cases(other);
	nonret_cases(other);
}
