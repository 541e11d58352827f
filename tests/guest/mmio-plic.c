// SPDX-License-Identifier: MIT
/*
 * The PLIC: priority WARL, read-only pending, empty claim, masking; its
 * reserved words read 0 and ignore writes, and only aligned 4-byte accesses
 * are taken (as on QEMU's PLIC and the PLIC spec's 32-bit registers).
 */
#include "guest.h"
#include "mmio.h"

#define WAIT_US 500000

const char payload_name[] = "mmio-plic";
PLAN("fdt-plic", "priority-roundtrip", "priority-warl", "threshold-roundtrip",
     "claim-empty", "pending-readonly", "pending-set", "enable-masks",
     "threshold-masks", "threshold-unmasks", "claim", "complete",
     "disable-past-ndev", "enable-word-past-ndev", "reserved-priority",
     "reserved-pending", "reserved-gaps", "reserved-context-word",
     "reserved-enable-context", "priority-source0", "width-faults",
     "misaligned-faults");

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

/*
 * A reserved word: a 4-byte write of ~0 and a read back, neither faulting,
 * and the read 0.
 */
static bool reserved_word(unsigned long off, char *why, size_t len)
{
	uintptr_t addr = plat.plic_base + off;
	struct trap_info w, r;
	uint64_t v = 0;

	w = mmio_try_store(addr, 4, 0xffffffff);
	r = mmio_try_load(addr, 4, &v);
	if (!w.taken && !r.taken && !v)
		return true;
	l0_snprintf(
		why, len,
		"offset 0x%lx: write scause %ld, read scause %ld value 0x%lx",
		off, w.taken ? (long)w.scause : -1L,
		r.taken ? (long)r.scause : -1L, (unsigned long)v);
	return false;
}

static void reserved_case(const char *name, const unsigned long *offs, size_t n)
{
	char why[120] = "";
	bool ok = true;

	for (size_t i = 0; i < n && ok; i++)
		ok = reserved_word(offs[i], why, sizeof(why));
	check(name, ok, "%s", why);
}

static void reserved_cases(void)
{
	/* Words of pending/enable bits: (ndev + 1 + 31) / 32. */
	unsigned long words = (plat.plic_ndev + 32) / 32;
	unsigned long past =
		PLIC_ENABLE + 0x80UL * (unsigned long)ctx + 4 * words;
	const unsigned long past_ndev[] = { past };
	const unsigned long prio[] = { 4 * 1023, 4 * 1020 };
	const unsigned long pend[] = { PLIC_PENDING + 0x7c };
	const unsigned long gaps[] = { 0x1080, 0x1ffc, 0x1f2000, 0x1ffffc };
	const unsigned long ctx_word[] = {
		PLIC_CONTEXT + 0x1000UL * (unsigned long)ctx + 8,
		PLIC_CONTEXT + 0x1000UL * (unsigned long)ctx + 0xffc,
	};
	const unsigned long enable_ctx[] = { PLIC_ENABLE + 0x80 * 15,
					     PLIC_ENABLE + 0x80 * 15871 };
	bool ok = true;
	uint32_t irq;

	/* What an L1 hypervisor did: disable 1..ndev + 1, one too many. */
	for (irq = 1; irq <= plat.plic_ndev + 1 && ok; irq++) {
		struct trap_info ti;
		uint64_t v;
		uintptr_t w = (uintptr_t)plic_enable_word(ctx, irq);

		ti = mmio_try_load(w, 4, &v);
		ok = !ti.taken;
		if (ok)
			ok = !mmio_try_store(w, 4, v & ~(1U << (irq % 32)))
				      .taken;
	}
	check("disable-past-ndev", ok, "source %u's enable word faulted",
	      irq - 1);
	reserved_case("enable-word-past-ndev", past_ndev, 1);
	reserved_case("reserved-priority", prio, ARRAY_SIZE(prio));
	reserved_case("reserved-pending", pend, ARRAY_SIZE(pend));
	reserved_case("reserved-gaps", gaps, ARRAY_SIZE(gaps));
	reserved_case("reserved-context-word", ctx_word, ARRAY_SIZE(ctx_word));
	reserved_case("reserved-enable-context", enable_ctx,
		      ARRAY_SIZE(enable_ctx));
}

/*
 * Source 0 does not exist (PLIC spec): its priority register takes a write
 * without a fault; it reads 0 (L0) or, on QEMU's PLIC, which keeps it, the
 * value written. Either way, nothing can claim source 0.
 */
static void source0_case(void)
{
	uintptr_t addr = (uintptr_t)plic_priority(0);
	struct trap_info w, r;
	uint64_t v = ~0UL;

	w = mmio_try_store(addr, 4, 1);
	r = mmio_try_load(addr, 4, &v);
	mmio_try_store(addr, 4, 0);
	check("priority-source0", !w.taken && !r.taken && (v == 0 || v == 1),
	      "write scause %ld, read scause %ld value 0x%lx",
	      w.taken ? (long)w.scause : -1L, r.taken ? (long)r.scause : -1L,
	      (unsigned long)v);
}

/* 1-, 2- and 8-byte accesses to a register: access faults, no effect. */
static void width_cases(uint32_t irq)
{
	static const int widths[] = { -1, 1, 2, 8 };
	uintptr_t addr = (uintptr_t)plic_priority(irq);
	struct trap_info ti;
	bool ok = true;
	uint64_t v;
	int bad = 0;

	*plic_priority(irq) = 1;
	for (size_t i = 0; i < ARRAY_SIZE(widths) && ok; i++) {
		bad = widths[i];
		ti = mmio_try_load(addr, widths[i], &v);
		ok = mmio_fault_is(ti, EXC_LOAD_ACCESS, EXC_LOAD_ACCESS, addr);
		if (ok && widths[i] > 0) {
			ti = mmio_try_store(addr, widths[i], 0);
			ok = mmio_fault_is(ti, EXC_STORE_ACCESS,
					   EXC_STORE_ACCESS, addr);
		}
	}
	check("width-faults", ok && *plic_priority(irq) == 1,
	      "width %d: scause 0x%lx stval 0x%lx; priority %u after", bad,
	      ti.scause, ti.stval, *plic_priority(irq));
}

/*
 * A 4-byte access that is not aligned: an access fault, or the misaligned
 * exception where the hart raises that first.
 */
static void misaligned_case(uint32_t irq)
{
	uintptr_t addr = (uintptr_t)plic_priority(irq) + 2;
	struct trap_info l, s;
	uint64_t v;

	l = mmio_try_load(addr, 4, &v);
	s = mmio_try_store(addr, 4, 0);
	check("misaligned-faults",
	      mmio_fault_is(l, EXC_LOAD_ACCESS, EXC_LOAD_MISALIGNED, addr) &&
		      mmio_fault_is(s, EXC_STORE_ACCESS, EXC_STORE_MISALIGNED,
				    addr),
	      "load scause 0x%lx stval 0x%lx, store scause 0x%lx stval 0x%lx",
	      l.scause, l.stval, s.scause, s.stval);
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
	reserved_cases();
	source0_case();
	width_cases(plat.uart_irq);
	misaligned_case(plat.uart_irq);
	*plic_priority(plat.uart_irq) = 0;
}
