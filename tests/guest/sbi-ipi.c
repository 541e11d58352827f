// SPDX-License-Identifier: MIT
/* SBI IPI between two harts, hart mask forms, invalid harts. */
#include "guest.h"

#define WAIT_US 1000000
#define NO_SUCH_HART 40 /* a hart id no test machine has */

const char payload_name[] = "sbi-ipi";
PLAN("hart-start", "to-other", "from-other", "mask-base", "self", "all-harts",
     "invalid-mask-bit", "invalid-mask-base");

static volatile unsigned long ready, stop, send_to, sent, send_err;

static void secondary(unsigned long hartid, unsigned long opaque)
{
	(void)hartid;
	(void)opaque;
	irq_enable(SIE_SSIE);
	WRITE_ONCE(ready, 1);
	while (!READ_ONCE(stop)) {
		if (READ_ONCE(send_to) == 0)
			continue;
		send_err = sbi_send_ipi(1, send_to - 1);
		WRITE_ONCE(send_to, 0);
		WRITE_ONCE(sent, 1);
	}
}

static unsigned long ipis(long hart)
{
	return READ_ONCE(traps[hart].irqs[IRQ_S_SOFT]);
}

/* Wait until hart's IPI count moves past before. */
static bool ipi_seen(long hart, unsigned long before)
{
	uint64_t end = now() + us_to_ticks(WAIT_US);

	while (ipis(hart) == before && now() < end)
		;
	return ipis(hart) != before;
}

static void send_case(const char *name, long target, unsigned long mask,
		      unsigned long base)
{
	unsigned long before = ipis(target);
	long err = sbi_send_ipi(mask, base);

	check(name, !err && ipi_seen(target, before),
	      "send_ipi(0x%lx, %ld): error %ld, hart %ld saw %lu IPIs", mask,
	      (long)base, err, target, ipis(target) - before);
}

static void two_hart_cases(long other)
{
	unsigned long b0 = ipis((long)boot_hartid), b1;
	long err;

	send_case("to-other", other, 1UL << other, 0);
	sent = 0;
	WRITE_ONCE(send_to, boot_hartid + 1);
	wait_flag(&sent, WAIT_US);
	check("from-other", sent && !send_err && ipi_seen(boot_hartid, b0),
	      "sent %lu error %ld", sent, send_err);
	send_case("mask-base", other, 1, (unsigned long)other);
	send_case("self", (long)boot_hartid, 1, boot_hartid);
	b0 = ipis((long)boot_hartid);
	b1 = ipis(other);
	err = sbi_send_ipi(0, -1UL);
	check("all-harts",
	      !err && ipi_seen((long)boot_hartid, b0) && ipi_seen(other, b1),
	      "error %ld, boot hart %lu, other hart %lu IPIs", err,
	      ipis((long)boot_hartid) - b0, ipis(other) - b1);
}

void test_main(void)
{
	long other = other_hart(), err;

	if (other < 0) {
		for (unsigned long i = 0; i < payload_plan_len; i++)
			check(payload_plan[i], false, "needs 2 harts");
		return;
	}
	irq_enable(SIE_SSIE);
	err = start_hart((unsigned long)other, secondary, 0);
	if (!check("hart-start", !err && wait_flag(&ready, WAIT_US),
		   "hart_start(%ld): error %ld", other, err)) {
		for (unsigned long i = 1; i < payload_plan_len; i++)
			check(payload_plan[i], false, "hart %ld not running",
			      other);
		return;
	}
	two_hart_cases(other);
	err = sbi_send_ipi(1UL << other | 1UL << NO_SUCH_HART, 0);
	check("invalid-mask-bit", err == SBI_ERR_INVALID_PARAM,
	      "hart %d in the mask: error %ld, want -3", NO_SUCH_HART, err);
	err = sbi_send_ipi(1, NO_SUCH_HART);
	check("invalid-mask-base", err == SBI_ERR_INVALID_PARAM,
	      "hart_mask_base %d: error %ld, want -3", NO_SUCH_HART, err);
	WRITE_ONCE(stop, 1);
	irq_disable_all();
}
