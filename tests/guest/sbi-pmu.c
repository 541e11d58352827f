// SPDX-License-Identifier: MIT
/*
 * SBI PMU (SBI spec v2.0): the counters' info, a cycles and an
 * instructions counter found by config_matching, started, read through
 * their CSRs while they count and after a stop (frozen), with the spec's
 * errors for counters that do not exist, a second start or stop, an event
 * no counter has, and a firmware read of a hardware counter; and that the
 * cycles counted are this vCPU's own (cycles-own-time, below).
 */
#include "guest.h"

#define SBI_EXT_PMU 0x504d55
#define SBI_ERR_ALREADY_STARTED (-7)
#define SBI_ERR_ALREADY_STOPPED (-8)
#define EVENT_CYCLES 0x1
#define EVENT_INSTRUCTIONS 0x2
#define EVENT_NONE 0x7fff /* type 0, a code no spec version defines */
#define CFG_CLEAR_VALUE 2UL
#define START_SET_INIT 1UL
#define CSR_CYCLE 0xc00
#define CSR_INSTRET 0xc02
#define LONG_US 200000 /* many of L0's 10 ms slices */

const char payload_name[] = "sbi-pmu";
PLAN("probe", "num-counters", "info-invalid", "config-instret", "info-instret",
     "start", "start-again", "instret-counts", "stop", "stopped-frozen",
     "stop-again", "config-cycles", "cycles-count", "event-none",
     "start-bad-set", "config-bad-set", "fw-read-hw", "cycles-own-time");

static struct sbiret pmu(unsigned long fid, unsigned long a0, unsigned long a1,
			 unsigned long a2, unsigned long a3, unsigned long a4)
{
	return sbi_call(SBI_EXT_PMU, fid, a0, a1, a2, a3, a4);
}

static void expect_err(const char *name, long err, long want)
{
	check(name, err == want, "error %ld, want %ld", err, want);
}

static unsigned long rdinstret(void)
{
	return csr_read(instret);
}

/* Spin until `us` pass; the turns taken, and instret's growth. */
static unsigned long spin(uint64_t us, unsigned long *instrs)
{
	uint64_t end = now() + us_to_ticks(us);
	unsigned long n = 0, before = rdinstret();

	do
		n++;
	while (now() < end);
	*instrs = rdinstret() - before;
	return n;
}

static long n_ctr;

/* All counters, as a mask from base 0 (the spec's sets are 64 wide). */
static unsigned long all_counters(void)
{
	return n_ctr >= 64 ? ~0UL : (1UL << n_ctr) - 1;
}

static long config(unsigned long event)
{
	struct sbiret r = pmu(2, 0, all_counters(), CFG_CLEAR_VALUE, event, 0);

	return r.error ? r.error : r.value;
}

static void instret_cases(void)
{
	long idx = config(EVENT_INSTRUCTIONS);
	unsigned long a, b, n, instrs;
	struct sbiret r;

	check("config-instret", idx >= 0 && idx < n_ctr, "error/index %ld",
	      idx);
	if (idx < 0)
		idx = 0;
	r = pmu(1, (unsigned long)idx, 0, 0, 0, 0);
	check("info-instret",
	      !r.error && (r.value & 0xfff) == CSR_INSTRET && r.value > 0,
	      "counter %ld: error %ld info 0x%lx, want CSR 0xc02, hardware",
	      idx, r.error, r.value);
	expect_err("start",
		   pmu(3, (unsigned long)idx, 1, START_SET_INIT, 0, 0).error,
		   0);
	expect_err("start-again", pmu(3, (unsigned long)idx, 1, 0, 0, 0).error,
		   SBI_ERR_ALREADY_STARTED);
	n = spin(1000, &instrs);
	/* At least one a turn (QEMU without -icount: no upper bound). */
	check("instret-counts", instrs >= n,
	      "%lu turns of a loop, %lu instructions", n, instrs);
	expect_err("stop", pmu(4, (unsigned long)idx, 1, 1, 0, 0).error, 0);
	a = rdinstret();
	spin(1000, &instrs);
	b = rdinstret();
	check("stopped-frozen", a == b, "instret went from %lu to %lu", a, b);
	expect_err("stop-again", pmu(4, (unsigned long)idx, 1, 1, 0, 0).error,
		   SBI_ERR_ALREADY_STOPPED);
	expect_err("fw-read-hw", pmu(5, (unsigned long)idx, 0, 0, 0, 0).error,
		   SBI_ERR_INVALID_PARAM);
}

/*
 * Without QEMU's -icount, its cycle and instret follow the host's clock,
 * as its time does: the cycles counted per tick of time are about the
 * same over any stretch of this hart's own running. Over a long spin on a
 * hart shared with a busy VM (@neighbour), the time this vCPU waited is
 * its steal time (SBI STA): a counter of its own work counts the rest.
 */
#define SBI_EXT_STA 0x535441
static struct {
	volatile uint32_t sequence, flags;
	volatile uint64_t steal;
	uint8_t pad[48];
} sta __attribute__((aligned(64)));

/* Cycles per tick of this vCPU's own running over a spin of `us`. */
static unsigned long own_rate(uint64_t us, uint64_t *steal_ns)
{
	uint64_t s0 = sta.steal, t0 = now(), c0 = csr_read(cycle), c1, t1;
	unsigned long instrs;
	uint64_t own;

	spin(us, &instrs);
	c1 = csr_read(cycle);
	t1 = now();
	*steal_ns = sta.steal - s0;
	/* steal is in ns: the ticks this vCPU ran are the others. */
	own = (t1 - t0) - *steal_ns * us_to_ticks(1000) / 1000000;
	return own ? (c1 - c0) / own : 0;
}

static void own_time_case(void)
{
	long idx = config(EVENT_CYCLES);
	unsigned long short_rate, long_rate;
	uint64_t short_steal, long_steal;

	if (!sbi_probe(SBI_EXT_STA) ||
	    sbi_call(SBI_EXT_STA, 0, (unsigned long)&sta, 0, 0, 0, 0).error) {
		pass_note("cycles-own-time", "no SBI STA here: not measured");
		return;
	}
	pmu(3, (unsigned long)idx, 1, START_SET_INIT, 0, 0);
	short_rate = own_rate(2000, &short_steal);
	long_rate = own_rate(LONG_US, &long_steal);
	pmu(4, (unsigned long)idx, 1, 1, 0, 0);
	sbi_call(SBI_EXT_STA, 0, ~0UL, ~0UL, 0, 0, 0);
	if (idx >= 0 && long_rate * 10 >= short_rate * 7 &&
	    long_rate * 10 <= short_rate * 13)
		pass_note(
			"cycles-own-time",
			"%lu cycles per own tick over 2 ms, %lu over %u ms (steal %lu ns)",
			short_rate, long_rate, LONG_US / 1000,
			(unsigned long)long_steal);
	else
		check("cycles-own-time", false,
		      "%lu cycles per own tick over 2 ms (steal %lu ns), %lu over %u ms (steal %lu ns)",
		      short_rate, (unsigned long)short_steal, long_rate,
		      LONG_US / 1000, (unsigned long)long_steal);
}

void test_main(void)
{
	unsigned long a, b, instrs;
	struct sbiret r;
	long idx;

	irq_disable_all();
	if (skip_unless_offered(SBI_EXT_PMU, "PMU"))
		return;
	pass_note("probe", "PMU offered");
	r = pmu(0, 0, 0, 0, 0, 0);
	n_ctr = r.error ? 0 : r.value;
	check("num-counters", !r.error && r.value >= 2 && r.value <= 64,
	      "error %ld value %ld", r.error, r.value);
	expect_err("info-invalid",
		   pmu(1, (unsigned long)n_ctr, 0, 0, 0, 0).error,
		   SBI_ERR_INVALID_PARAM);
	instret_cases();
	idx = config(EVENT_CYCLES);
	r = pmu(1, idx < 0 ? 0 : (unsigned long)idx, 0, 0, 0, 0);
	check("config-cycles", idx >= 0 && (r.value & 0xfff) == CSR_CYCLE,
	      "error/index %ld, info 0x%lx", idx, r.value);
	pmu(3, (unsigned long)idx, 1, START_SET_INIT, 0, 0);
	a = csr_read(cycle);
	spin(1000, &instrs);
	b = csr_read(cycle);
	pmu(4, (unsigned long)idx, 1, 1, 0, 0);
	check("cycles-count", b > a, "cycle %lu then %lu", a, b);
	/* No counter for it, or an invalid event: the spec has both. */
	idx = config(EVENT_NONE);
	check("event-none",
	      idx == SBI_ERR_NOT_SUPPORTED || idx == SBI_ERR_INVALID_PARAM,
	      "error/index %ld, want -2 (or -3)", idx);
	expect_err("start-bad-set",
		   pmu(3, (unsigned long)n_ctr, 1, 0, 0, 0).error,
		   SBI_ERR_INVALID_PARAM);
	expect_err("config-bad-set",
		   pmu(2, (unsigned long)n_ctr, 1, 0, EVENT_CYCLES, 0).error,
		   SBI_ERR_INVALID_PARAM);
	own_time_case();
}
