// SPDX-License-Identifier: MIT
/*
 * Not a test on its own: the other VM that runs beside a payload under L0
 * (tests/guest/run.sh, variant @neighbour), on the same harts. For
 * BUSY_US its harts keep busy, so that the payload's vCPUs wait for them:
 * the secondary spins, the boot hart spins until its timer is pending, a
 * tick at a time, and IPIs its secondary; then it ends with one retentive
 * HSM suspend that its timer ends.
 */
#include "guest.h"

#define BUSY_US 4000000
#define TICK_US 2000

const char payload_name[] = "neighbour";
PLAN("busy");

static volatile unsigned long spins, stop_spinning;

static void spinner(unsigned long hartid, unsigned long opaque)
{
	(void)hartid;
	(void)opaque;
	while (!READ_ONCE(stop_spinning))
		spins++;
}

void test_main(void)
{
	long other = other_hart();
	uint64_t end = now() + us_to_ticks(BUSY_US);
	unsigned long wakes = 0;
	long err = 0;

	irq_disable_all();
	if (other >= 0)
		err = start_hart((unsigned long)other, spinner, 0);
	csr_set(sie, SIE_STIE);
	while (now() < end) {
		uint64_t give_up = now() + us_to_ticks(100 * TICK_US);

		sbi_set_timer(now() + us_to_ticks(TICK_US));
		while (!(csr_read(sip) & SIE_STIE) && now() < give_up)
			;
		if (csr_read(sip) & SIE_STIE)
			wakes++;
		if (other >= 0)
			sbi_send_ipi(1UL << other, 0);
	}
	sbi_set_timer(now() + us_to_ticks(TICK_US));
	err = err ? err : sbi_hart_suspend(0, 0, 0);
	sbi_set_timer(~0ULL);
	csr_clear(sie, SIE_STIE);
	WRITE_ONCE(stop_spinning, 1);
	check("busy", !err && wakes && (other < 0 || spins),
	      "error %ld, %lu timer wake-ups, %lu spins", err, wakes, spins);
}
