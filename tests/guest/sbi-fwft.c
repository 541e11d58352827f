// SPDX-License-Identifier: MIT
/*
 * SBI FWFT (firmware features, SBI spec v3.0): get and set of each defined
 * local feature, with the spec's errors for bad values, reserved flags and
 * reserved or platform-specific features; LOCK, which holds per hart until
 * that hart restarts; the values back at their reset on a restart; and a
 * misaligned AMO that, delegated, reaches this kernel's trap handler.
 */
#include "guest.h"

#define SBI_EXT_FWFT 0x46574654
#define SBI_ERR_DENIED_LOCKED (-14)
#define MISALIGNED_EXC_DELEG 0
#define PTE_AD_HW_UPDATING 4
#define LOCK 1UL
#define EXC_STORE_MISALIGNED 6
#define WAIT_US 1000000

const char payload_name[] = "sbi-fwft";
PLAN("probe", "misaligned-get", "misaligned-set", "misaligned-delegated",
     "misaligned-bad-value", "lock", "locked-set", "locked-get",
     "lock-per-hart", "lock-reset-on-start", "ad-set-get", "ad-bad-value",
     "ad-reset-on-start", "other-features", "flags-reserved", "flags-all-ones",
     "reserved-local", "reserved-local-high", "platform-local",
     "reserved-global", "platform-global", "feature-upper-ignored", "bad-fid");

static struct sbiret set(unsigned long feature, unsigned long value,
			 unsigned long flags)
{
	return sbi_call(SBI_EXT_FWFT, 0, feature, value, flags, 0, 0);
}

static struct sbiret get(unsigned long feature)
{
	return sbi_call(SBI_EXT_FWFT, 1, feature, 0, 0, 0, 0);
}

static void expect_err(const char *name, long err, long want)
{
	check(name, err == want, "error %ld, want %ld", err, want);
}

static bool has_ad;

/* What the other hart saw: its first run locks, its second checks reset. */
static volatile long other_first_set, other_locked_set, other_ad_set;
static volatile struct sbiret other_mis_get, other_ad_get;
static volatile unsigned long other_runs;

static void other_lock(unsigned long hartid, unsigned long opaque)
{
	(void)hartid;
	(void)opaque;
	other_first_set = set(MISALIGNED_EXC_DELEG, 1, 0).error;
	set(MISALIGNED_EXC_DELEG, 1, LOCK);
	other_locked_set = set(MISALIGNED_EXC_DELEG, 1, 0).error;
	other_ad_set = has_ad ? set(PTE_AD_HW_UPDATING, 1, LOCK).error : 0;
	mb();
	other_runs++;
}

static void other_after_restart(unsigned long hartid, unsigned long opaque)
{
	(void)hartid;
	(void)opaque;
	other_mis_get = get(MISALIGNED_EXC_DELEG);
	other_first_set = set(MISALIGNED_EXC_DELEG, 1, 0).error;
	if (has_ad)
		other_ad_get = get(PTE_AD_HW_UPDATING);
	mb();
	other_runs++;
}

static bool run_other(long other, secondary_fn fn)
{
	unsigned long runs = other_runs;

	return !start_hart((unsigned long)other, fn, 0) &&
	       wait_hart_status((unsigned long)other, HSM_STOPPED, WAIT_US) &&
	       other_runs == runs + 1;
}

static void misaligned_cases(void)
{
	static volatile uint32_t word[4] __attribute__((aligned(16)));
	struct sbiret r = get(MISALIGNED_EXC_DELEG);
	struct trap_info t;

	check("misaligned-get", !r.error && (r.value == 0 || r.value == 1),
	      "error %ld value %ld", r.error, r.value);
	r = set(MISALIGNED_EXC_DELEG, 1, 0);
	check("misaligned-set",
	      !r.error && get(MISALIGNED_EXC_DELEG).value == 1,
	      "error %ld, value then %ld", r.error,
	      get(MISALIGNED_EXC_DELEG).value);
	/* An AMO never works misaligned (Zam aside): delegated, it is ours. */
	trap_expect(0);
	__asm__ volatile(
		"amoadd.w zero, %1, (%0)" ::"r"((unsigned long)&word[0] + 2),
		"r"(1)
		: "memory");
	t = trap_result();
	check("misaligned-delegated",
	      t.taken && t.scause == EXC_STORE_MISALIGNED &&
		      t.stval == (unsigned long)&word[0] + 2,
	      "taken %d scause %lu stval 0x%lx", t.taken, t.scause, t.stval);
	expect_err("misaligned-bad-value",
		   set(MISALIGNED_EXC_DELEG, 2, 0).error,
		   SBI_ERR_INVALID_PARAM);
}

static void lock_cases(long other)
{
	struct sbiret r;

	expect_err("lock", set(MISALIGNED_EXC_DELEG, 1, LOCK).error, 0);
	expect_err("locked-set", set(MISALIGNED_EXC_DELEG, 1, 0).error,
		   SBI_ERR_DENIED_LOCKED);
	r = get(MISALIGNED_EXC_DELEG);
	check("locked-get", !r.error && r.value == 1, "error %ld value %ld",
	      r.error, r.value);
	if (other < 0) {
		check("lock-per-hart", false, "needs 2 harts");
		check("lock-reset-on-start", false, "needs 2 harts");
		return;
	}
	check("lock-per-hart",
	      run_other(other, other_lock) && !other_first_set &&
		      other_locked_set == SBI_ERR_DENIED_LOCKED &&
		      !other_ad_set,
	      "other hart: set %ld, then locked set %ld, ad lock %ld",
	      other_first_set, other_locked_set, other_ad_set);
	check("lock-reset-on-start",
	      run_other(other, other_after_restart) && !other_first_set &&
		      !other_mis_get.error,
	      "after a restart: get error %ld, set %ld", other_mis_get.error,
	      other_first_set);
}

/* PTE_AD_HW_UPDATING: only where the hart has Svadu. */
static void ad_cases(long other)
{
	struct sbiret r = get(PTE_AD_HW_UPDATING);
	long e0, e1;

	if (!has_ad) {
		pass_note("ad-set-get", "NOT_SUPPORTED (no Svadu)");
		expect_err("ad-bad-value", set(PTE_AD_HW_UPDATING, 2, 0).error,
			   SBI_ERR_NOT_SUPPORTED);
		pass_note("ad-reset-on-start", "NOT_SUPPORTED (no Svadu)");
		return;
	}
	e1 = set(PTE_AD_HW_UPDATING, 1, 0).error;
	r = get(PTE_AD_HW_UPDATING);
	e0 = set(PTE_AD_HW_UPDATING, 0, 0).error;
	check("ad-set-get",
	      !e1 && !r.error && r.value == 1 && !e0 &&
		      get(PTE_AD_HW_UPDATING).value == 0,
	      "set 1: %ld, get %ld/%ld, set 0: %ld, get %ld", e1, r.error,
	      r.value, e0, get(PTE_AD_HW_UPDATING).value);
	expect_err("ad-bad-value", set(PTE_AD_HW_UPDATING, 2, 0).error,
		   SBI_ERR_INVALID_PARAM);
	/* The other hart locked it at 1 (lock_cases): reset is 0. */
	check("ad-reset-on-start",
	      other >= 0 && !other_ad_get.error && other_ad_get.value == 0,
	      "after a restart: error %ld value %ld", other_ad_get.error,
	      other_ad_get.value);
}

/* The hostile part: features and flags the spec gives an error. */
static void error_cases(void)
{
	static const unsigned long others[] = { 1, 2, 3, 5 };
	unsigned long bad = 0;
	struct sbiret r = { 0, 0 };

	/* Landing pad, shadow stack, double trap, pointer masking: where
	 * the hart cannot have them, NOT_SUPPORTED; else a value. */
	for (unsigned long i = 0; i < ARRAY_SIZE(others) && !bad; i++) {
		r = get(others[i]);
		if (r.error != SBI_ERR_NOT_SUPPORTED && r.error)
			bad = others[i];
	}
	check("other-features", !bad, "feature %lu: get error %ld", bad,
	      r.error);
	expect_err("flags-reserved", set(MISALIGNED_EXC_DELEG, 1, 2).error,
		   SBI_ERR_INVALID_PARAM);
	expect_err("flags-all-ones", set(MISALIGNED_EXC_DELEG, 1, ~0UL).error,
		   SBI_ERR_INVALID_PARAM);
	r = get(6);
	check("reserved-local",
	      r.error == SBI_ERR_DENIED && set(6, 0, 0).error == SBI_ERR_DENIED,
	      "get error %ld, set error %ld, want -4", r.error,
	      set(6, 0, 0).error);
	expect_err("reserved-local-high", set(0x3fffffff, 1, 0).error,
		   SBI_ERR_DENIED);
	expect_err("platform-local", get(0x40000000).error, SBI_ERR_DENIED);
	expect_err("reserved-global", set(0x80000000, 1, 0).error,
		   SBI_ERR_DENIED);
	expect_err("platform-global", get(0xffffffff).error, SBI_ERR_DENIED);
	/* feature is a uint32_t: RV64 ignores the upper half. */
	r = get(0xffffffff00000000UL | MISALIGNED_EXC_DELEG);
	check("feature-upper-ignored", !r.error && r.value == 1,
	      "get 0xffffffff00000000: error %ld value %ld", r.error, r.value);
	expect_err("bad-fid", sbi_call(SBI_EXT_FWFT, 2, 0, 0, 0, 0, 0).error,
		   SBI_ERR_NOT_SUPPORTED);
}

void test_main(void)
{
	long other = other_hart();

	irq_disable_all();
	if (skip_unless_offered(SBI_EXT_FWFT, "FWFT"))
		return;
	pass_note("probe", "FWFT offered");
	has_ad = get(PTE_AD_HW_UPDATING).error != SBI_ERR_NOT_SUPPORTED;
	misaligned_cases();
	lock_cases(other);
	ad_cases(other);
	error_cases();
}
