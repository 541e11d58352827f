// SPDX-License-Identifier: MIT
/*
 * SBI HSM's state machine (SBI spec v2.0, HSM, "hart states") on every hart
 * at once: each transition it allows (STOPPED -> STARTED by hart_start,
 * STARTED -> SUSPENDED by a retentive or non-retentive hart_suspend,
 * SUSPENDED -> STARTED by an interrupt, STARTED -> STOPPED by hart_stop)
 * and each it forbids (hart_start of a started or a suspended hart, a
 * reserved suspend type), with the registers checked at every start and
 * resume. Run on 2 and on 4 harts, and under L0 beside another VM.
 */
#include "guest.h"

#define WAIT_US 2000000
#define OPAQUE(h, n) (0x0a5a000000000000UL | ((unsigned long)(n) << 8) | (h))
#define SSCRATCH_MARK 0x5c5c000000000000UL

const char payload_name[] = "hsm-states";
PLAN("all-stopped", "start-all", "start-regs", "status-started",
     "start-started", "ret-status-suspended", "start-suspended", "ret-resume",
     "ret-regs-kept", "nonret-status-suspended", "nonret-resume-regs",
     "nonret-started", "suspend-bad-type", "stop-all", "restart-all",
     "restart-regs", "stop-again");

enum cmd { CMD_NONE, CMD_RET, CMD_NONRET, CMD_BAD, CMD_STOP };

static volatile unsigned long cmd[MAX_HARTS], done[MAX_HARTS];
static volatile long result[MAX_HARTS];
static volatile unsigned long woke_sip[MAX_HARTS], kept_sscratch[MAX_HARTS];

/* What each secondary hart does: the boot hart's commands, one at a time. */
static void worker(unsigned long h, unsigned long opaque)
{
	(void)opaque;
	for (;;) {
		unsigned long c;
		long err;

		while (!(c = READ_ONCE(cmd[h])))
			;
		WRITE_ONCE(cmd[h], CMD_NONE);
		switch (c) {
		case CMD_RET:
			/* Woken by an IPI with sstatus.SIE = 0: no trap. */
			csr_write(sscratch, SSCRATCH_MARK | h);
			csr_set(sie, SIE_SSIE);
			err = sbi_hart_suspend(0, 0, 0);
			woke_sip[h] = csr_read(sip);
			kept_sscratch[h] = csr_read(sscratch);
			csr_clear(sip, SIE_SSIE);
			csr_clear(sie, SIE_SSIE);
			break;
		case CMD_NONRET:
			/* SIE = 1, which the resume must clear. */
			csr_set(sie, SIE_SSIE);
			csr_set(sstatus, SSTATUS_SIE);
			err = sbi_hart_suspend(0x80000000,
					       (unsigned long)resume_entry,
					       OPAQUE(h, 3));
			csr_clear(sstatus, SSTATUS_SIE);
			break; /* it returned: the suspend failed */
		case CMD_BAD:
			err = sbi_hart_suspend(0x1, (unsigned long)resume_entry,
					       0);
			break;
		default:
			return; /* CMD_STOP: guest_secondary stops the hart */
		}
		result[h] = err;
		mb();
		done[h]++;
	}
}

static long status(unsigned long hart)
{
	struct sbiret r = sbi_hart_status(hart);

	return r.error ? r.error : r.value;
}

/* The harts besides the boot hart. */
static long nsec;
static unsigned long secs[MAX_HARTS];

/* The first secondary hart for which ok() fails, or -1. */
static long first_bad(bool (*ok)(unsigned long h))
{
	for (long i = 0; i < nsec; i++)
		if (!ok(secs[i]))
			return (long)secs[i];
	return -1;
}

static long want_state;

static bool in_state(unsigned long h)
{
	return wait_hart_status(h, want_state, WAIT_US);
}

static void expect_all(const char *name, long state)
{
	long bad;

	want_state = state;
	bad = first_bad(in_state);
	check(name, bad < 0, "hart %ld status %ld, want %ld", bad,
	      bad < 0 ? 0 : status((unsigned long)bad), state);
}

static void send(enum cmd c)
{
	for (long i = 0; i < nsec; i++)
		WRITE_ONCE(cmd[secs[i]], c);
}

/* Each secondary's done[] and resume count before the command. */
static unsigned long done_before[MAX_HARTS], resumes_before[MAX_HARTS];

static void send_counted(enum cmd c)
{
	for (long i = 0; i < nsec; i++) {
		done_before[secs[i]] = done[secs[i]];
		resumes_before[secs[i]] = resume_regs[secs[i]].count;
	}
	send(c);
}

static bool is_done(unsigned long h)
{
	uint64_t end = now() + us_to_ticks(WAIT_US);

	while (READ_ONCE(done[h]) == done_before[h])
		if (now() > end)
			return false;
	return true;
}

/* Start every secondary at worker(), each with opaque OPAQUE(h, n). */
static unsigned long start_round, entered_before[MAX_HARTS];

static bool starts(unsigned long h)
{
	entered_before[h] = secondary_entered[h];
	return !sbi_hart_start(h, (unsigned long)secondary_entry,
			       OPAQUE(h, start_round));
}

static bool start_regs_ok(unsigned long h)
{
	uint64_t end = now() + us_to_ticks(WAIT_US);

	while (READ_ONCE(secondary_entered[h]) == entered_before[h])
		if (now() > end)
			return false;
	return secondary_entered[h] == entered_before[h] + 1 &&
	       secondary_a0[h] == h &&
	       secondary_a1[h] == OPAQUE(h, start_round);
}

static void start_all(const char *name, const char *regs, unsigned long n)
{
	long bad;

	secondary_main = worker;
	start_round = n;
	mb();
	bad = first_bad(starts);
	check(name, bad < 0, "hart %ld would not start", bad);
	bad = first_bad(start_regs_ok);
	check(regs, bad < 0, "hart %ld: entered %lu times, a0 0x%lx a1 0x%lx",
	      bad, bad < 0 ? 0 : secondary_entered[bad] - entered_before[bad],
	      bad < 0 ? 0 : secondary_a0[bad], bad < 0 ? 0 : secondary_a1[bad]);
}

/* hart_start of a hart that is not stopped: refused, its state kept. */
static long start_err;

static bool start_refused(unsigned long h)
{
	start_err = sbi_hart_start(h, (unsigned long)secondary_entry, 0);
	/* OpenSBI says INVALID_PARAM for a suspended hart. */
	return (start_err == SBI_ERR_ALREADY_AVAILABLE ||
		(want_state == HSM_SUSPENDED &&
		 start_err == SBI_ERR_INVALID_PARAM)) &&
	       status(h) == want_state;
}

static void forbidden_start(const char *name, long state)
{
	long bad;

	want_state = state;
	bad = first_bad(start_refused);
	check(name, bad < 0, "hart %ld: error %ld, want -6; status %ld", bad,
	      start_err, bad < 0 ? 0 : status((unsigned long)bad));
}

static void wake_all(void)
{
	for (long i = 0; i < nsec; i++)
		sbi_send_ipi(1UL << secs[i], 0);
}

static bool ret_resumed(unsigned long h)
{
	return is_done(h) && !result[h] && (woke_sip[h] & SIE_SSIE);
}

static bool ret_kept(unsigned long h)
{
	return kept_sscratch[h] == (SSCRATCH_MARK | h) &&
	       status(h) == HSM_STARTED;
}

static bool nonret_resumed(unsigned long h)
{
	volatile struct resume_regs *r = &resume_regs[h];
	uint64_t end = now() + us_to_ticks(WAIT_US);

	while (READ_ONCE(r->count) == resumes_before[h] && now() < end)
		;
	return r->count == resumes_before[h] + 1 && r->a0 == h &&
	       r->a1 == OPAQUE(h, 3) && !(r->sstatus & SSTATUS_SIE);
}

static bool bad_type_refused(unsigned long h)
{
	return is_done(h) && result[h] == SBI_ERR_INVALID_PARAM &&
	       status(h) == HSM_STARTED;
}

static void suspend_cases(void)
{
	long bad;

	send_counted(CMD_RET);
	expect_all("ret-status-suspended", HSM_SUSPENDED);
	forbidden_start("start-suspended", HSM_SUSPENDED);
	wake_all();
	bad = first_bad(ret_resumed);
	check("ret-resume", bad < 0, "hart %ld: done %d error %ld sip 0x%lx",
	      bad, bad >= 0 && done[bad] != done_before[bad],
	      bad < 0 ? 0 : result[bad], bad < 0 ? 0 : woke_sip[bad]);
	bad = first_bad(ret_kept);
	check("ret-regs-kept", bad < 0, "hart %ld: sscratch 0x%lx status %ld",
	      bad, bad < 0 ? 0 : kept_sscratch[bad],
	      bad < 0 ? 0 : status((unsigned long)bad));

	send_counted(CMD_NONRET);
	expect_all("nonret-status-suspended", HSM_SUSPENDED);
	wake_all();
	bad = first_bad(nonret_resumed);
	check("nonret-resume-regs", bad < 0,
	      "hart %ld: resumes %lu, a0 0x%lx a1 0x%lx sstatus 0x%lx", bad,
	      bad < 0 ? 0 : resume_regs[bad].count - resumes_before[bad],
	      bad < 0 ? 0 : resume_regs[bad].a0,
	      bad < 0 ? 0 : resume_regs[bad].a1,
	      bad < 0 ? 0 : resume_regs[bad].sstatus);
	expect_all("nonret-started", HSM_STARTED);

	send_counted(CMD_BAD);
	bad = first_bad(bad_type_refused);
	check("suspend-bad-type", bad < 0,
	      "hart %ld: error %ld, want -3; status %ld", bad,
	      bad < 0 ? 0 : result[bad],
	      bad < 0 ? 0 : status((unsigned long)bad));
}

void test_main(void)
{
	for (int i = 0; i < plat.nr_harts; i++)
		if (plat.hart_ids[i] != boot_hartid &&
		    plat.hart_ids[i] < MAX_HARTS)
			secs[nsec++] = plat.hart_ids[i];
	if (!nsec) {
		for (unsigned long i = 0; i < payload_plan_len; i++)
			check(payload_plan[i], false, "needs 2 harts");
		return;
	}
	gprintf("hsm-states: %ld secondary harts\n", nsec);
	irq_disable_all();
	expect_all("all-stopped", HSM_STOPPED);
	start_all("start-all", "start-regs", 1);
	expect_all("status-started", HSM_STARTED);
	forbidden_start("start-started", HSM_STARTED);
	suspend_cases();
	send(CMD_STOP);
	expect_all("stop-all", HSM_STOPPED);
	start_all("restart-all", "restart-regs", 2);
	send(CMD_STOP);
	expect_all("stop-again", HSM_STOPPED);
}
