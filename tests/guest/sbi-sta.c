// SPDX-License-Identifier: MIT
/*
 * SBI STA (steal-time accounting, SBI spec v2.0): set_shmem's errors for
 * reserved flags, a misaligned address and addresses that are not RAM;
 * the 64 bytes zeroed by the call; the sequence and steal fields read as
 * the spec says, while every hart spins: steal only grows, never beyond
 * the time that passed, and is above zero only when the harts are shared
 * (under L0 the @4 variant has 4 vCPUs on 2 harts, the plain run one vCPU
 * per hart); disabled with all-ones, the memory is left alone.
 */
#include "guest.h"

#define SBI_EXT_STA 0x535441
#define BUSY_US 400000
#define WAIT_US 2000000

const char payload_name[] = "sbi-sta";
PLAN("probe", "flags-reserved", "misaligned", "not-ram", "ram-end",
     "above-64bit", "zeroed", "steal-consistent", "steal-expected", "disable",
     "disabled-untouched");

struct sta {
	volatile uint32_t sequence, flags;
	volatile uint64_t steal;
	volatile uint8_t preempted, pad[47];
};

static struct sta shmem[MAX_HARTS] __attribute__((aligned(64)));
static struct sta spare __attribute__((aligned(64)));

static long set_shmem(unsigned long lo, unsigned long hi, unsigned long flags)
{
	return sbi_call(SBI_EXT_STA, 0, lo, hi, flags, 0, 0).error;
}

static void expect_err(const char *name, long err, long want)
{
	check(name, err == want, "error %ld, want %ld", err, want);
}

/* The spec's read: sequence even and the same before and after. */
static uint64_t read_steal(struct sta *s)
{
	uint32_t seq;
	uint64_t steal;

	do {
		seq = READ_ONCE(s->sequence);
		mb();
		steal = s->steal;
		mb();
	} while ((seq & 1) || seq != READ_ONCE(s->sequence));
	return steal;
}

/* Per hart: its registration, steal growing or not, its last steal. */
static volatile long set_err[MAX_HARTS];
static volatile unsigned long went_back[MAX_HARTS], spun[MAX_HARTS];
static volatile uint64_t steal[MAX_HARTS], elapsed_ns[MAX_HARTS];

static void spin(unsigned long h)
{
	uint64_t start = now(), end = start + us_to_ticks(BUSY_US), last = 0;

	set_err[h] = set_shmem((unsigned long)&shmem[h], 0, 0);
	while (!set_err[h] && now() < end) {
		uint64_t s = read_steal(&shmem[h]);

		if (s < last)
			went_back[h]++;
		last = s;
	}
	steal[h] = last;
	elapsed_ns[h] = (now() - start) * 1000 / us_to_ticks(1000) * 1000;
	set_shmem(~0UL, ~0UL, 0);
	mb();
	spun[h] = 1;
}

static void spin_secondary(unsigned long hartid, unsigned long opaque)
{
	(void)opaque;
	spin(hartid);
}

static void steal_cases(void)
{
	unsigned long bad = MAX_HARTS, nonzero = 0;
	int n = plat.nr_harts;

	for (int i = 0; i < n; i++)
		if (plat.hart_ids[i] != boot_hartid &&
		    plat.hart_ids[i] < MAX_HARTS)
			start_hart(plat.hart_ids[i], spin_secondary, 0);
	spin(boot_hartid);
	for (int i = 0; i < n; i++) {
		unsigned long h = plat.hart_ids[i];

		if (h >= MAX_HARTS)
			continue;
		if (!wait_flag(&spun[h], WAIT_US) || set_err[h] ||
		    went_back[h] || steal[h] > elapsed_ns[h])
			bad = h;
		nonzero += steal[h] != 0;
		gprintf("sbi-sta: hart %lu: steal %lu ns of %lu ns\n", h,
			(unsigned long)steal[h], (unsigned long)elapsed_ns[h]);
	}
	check("steal-consistent", bad == MAX_HARTS,
	      "hart %lu: set error %ld, went back %lu times, steal %lu ns in %lu ns",
	      bad, bad < MAX_HARTS ? set_err[bad] : 0,
	      bad < MAX_HARTS ? went_back[bad] : 0,
	      bad < MAX_HARTS ? (unsigned long)steal[bad] : 0,
	      bad < MAX_HARTS ? (unsigned long)elapsed_ns[bad] : 0);
	/* More harts than the runners' 2 host harts: they are shared. */
	if (n > 2)
		check("steal-expected", nonzero > 0,
		      "%d harts sharing 2, none had steal time", n);
	else
		check("steal-expected", nonzero == 0,
		      "%lu of %d harts had steal time, each alone on a hart",
		      nonzero, n);
}

void test_main(void)
{
	unsigned long spare_addr = (unsigned long)&spare;
	bool zero = true;

	irq_disable_all();
	if (skip_unless_offered(SBI_EXT_STA, "STA"))
		return;
	pass_note("probe", "STA offered");
	expect_err("flags-reserved", set_shmem(spare_addr, 0, 1),
		   SBI_ERR_INVALID_PARAM);
	expect_err("misaligned", set_shmem(spare_addr + 8, 0, 0),
		   SBI_ERR_INVALID_PARAM);
	expect_err("not-ram", set_shmem(plat.bad_addr & ~63UL, 0, 0),
		   SBI_ERR_INVALID_ADDRESS);
	expect_err("ram-end", set_shmem(plat.mem_base + plat.mem_size, 0, 0),
		   SBI_ERR_INVALID_ADDRESS);
	expect_err("above-64bit", set_shmem(spare_addr, 1, 0),
		   SBI_ERR_INVALID_ADDRESS);
	for (unsigned int i = 0; i < sizeof(spare); i++)
		((volatile uint8_t *)&spare)[i] = 0xa5;
	if (set_shmem(spare_addr, 0, 0) == 0) {
		/* Only sequence and steal may have moved since. */
		zero = !spare.flags && !spare.preempted;
		for (unsigned int i = 0; i < sizeof(spare.pad); i++)
			zero = zero && !spare.pad[i];
		zero = zero && spare.sequence != 0xa5a5a5a5 &&
		       spare.steal != 0xa5a5a5a5a5a5a5a5;
	} else {
		zero = false;
	}
	check("zeroed", zero, "flags 0x%x preempted %u sequence 0x%x",
	      spare.flags, spare.preempted, spare.sequence);
	expect_err("disable", set_shmem(~0UL, ~0UL, 0), 0);
	for (unsigned int i = 0; i < sizeof(spare); i++)
		((volatile uint8_t *)&spare)[i] = 0x5a;
	steal_cases();
	zero = true;
	for (unsigned int i = 0; i < sizeof(spare); i++)
		zero = zero && ((volatile uint8_t *)&spare)[i] == 0x5a;
	check("disabled-untouched", zero, "sequence 0x%x steal 0x%lx",
	      spare.sequence, (unsigned long)spare.steal);
}
