// SPDX-License-Identifier: MIT
/* The PLIC: priority WARL, read-only pending, empty claim, masking. */
#include "guest.h"
#include "mmio.h"

#define WAIT_US 500000

const char payload_name[] = "mmio-plic";
PLAN("fdt-plic", "priority-roundtrip", "priority-warl", "threshold-roundtrip",
     "claim-empty", "pending-readonly", "pending-set", "enable-masks",
     "threshold-masks", "threshold-unmasks", "claim", "complete");

static int ctx = -1;

static bool seip(void)
{
	return csr_read(sip) & SIE_SEIE;
}

/* Poll until sip.SEIP equals want. */
static bool seip_becomes(bool want)
{
	uint64_t end = now() + us_to_ticks(WAIT_US);

	while (seip() != want)
		if (now() > end)
			return false;
	return true;
}

static void register_cases(uint32_t irq)
{
	volatile uint32_t *prio = plic_priority(irq);
	uint32_t warl, pending;

	*prio = 1;
	check("priority-roundtrip", *prio == 1, "wrote 1, read %u", *prio);
	*prio = 0xffffffff;
	warl = *prio;
	*prio = warl;
	check("priority-warl", warl && *prio == warl,
	      "wrote ~0, read 0x%x; wrote that back, read 0x%x", warl, *prio);
	*plic_threshold(ctx) = 1;
	check("threshold-roundtrip", *plic_threshold(ctx) == 1,
	      "wrote 1, read %u", *plic_threshold(ctx));
	*plic_threshold(ctx) = 0;
	plic_disable_all(ctx);
	check("claim-empty", *plic_claim(ctx) == 0,
	      "claim with nothing enabled returned nonzero");
	pending = *plic_reg(PLIC_PENDING);
	*plic_reg(PLIC_PENDING) = 0xffffffff;
	check("pending-readonly", *plic_reg(PLIC_PENDING) == pending,
	      "pending word 0: 0x%x, then 0x%x after writing ~0", pending,
	      *plic_reg(PLIC_PENDING));
}

static void masking_cases(uint32_t irq)
{
	bool after_claim;
	uint32_t id;

	*plic_priority(irq) = 1;
	uart_write(UART_IER, UART_IER_ETBEI); /* THR empty: the line rises */
	delay_us(1000);
	check("pending-set", plic_pending(irq), "UART irq %u not pending", irq);
	check("enable-masks", !seip() && *plic_claim(ctx) == 0,
	      "disabled source: SEIP %d", seip());
	*plic_threshold(ctx) = 1;
	plic_enable(ctx, irq, true);
	delay_us(1000);
	check("threshold-masks", !seip(),
	      "priority 1 at threshold 1 raised SEIP");
	*plic_threshold(ctx) = 0;
	check("threshold-unmasks", seip_becomes(true),
	      "no SEIP at threshold 0");
	/* No console output until the source is quiet: it would raise it. */
	id = *plic_claim(ctx);
	after_claim = plic_pending(irq);
	uart_write(UART_IER, 0);
	*plic_claim(ctx) = id;
	check("claim", id == irq && !after_claim,
	      "claimed %u, want %u; pending %d after", id, irq, after_claim);
	check("complete", seip_becomes(false) && !plic_pending(irq),
	      "SEIP %d pending %d after complete with the source quiet", seip(),
	      plic_pending(irq));
	plic_enable(ctx, irq, false);
}

void test_main(void)
{
	ctx = plic_s_context(this_hart());
	if (!check("fdt-plic", plat.plic_base && plat.uart_base && ctx >= 0,
		   "PLIC 0x%lx, UART 0x%lx, S context %d",
		   (unsigned long)plat.plic_base, (unsigned long)plat.uart_base,
		   ctx)) {
		for (unsigned long i = 1; i < payload_plan_len; i++)
			check(payload_plan[i], false, "no PLIC or UART");
		return;
	}
	uart_write(UART_IER, 0);
	register_cases(plat.uart_irq);
	masking_cases(plat.uart_irq);
}
