// SPDX-License-Identifier: MIT
/* Traps, interrupts, secondary harts and time for the guest payloads. */
#include "guest.h"

struct hart_traps traps[MAX_HARTS];
void (*irq_hooks[16])(unsigned long hartid);
secondary_fn secondary_main;
volatile unsigned long secondary_a0[MAX_HARTS];
volatile unsigned long secondary_a1[MAX_HARTS];
volatile unsigned long secondary_entered[MAX_HARTS];

void trap_handler(void);

unsigned long this_hart(void)
{
	unsigned long tp;

	__asm__ volatile("mv %0, tp" : "=r"(tp));
	return tp;
}

/* Default for an interrupt without a hook: mask it in sie. */
static void irq_default(unsigned long cause)
{
	if (cause == IRQ_S_SOFT)
		csr_clear(sip, SIE_SSIE);
	else
		csr_clear(sie, 1UL << cause);
}

static void interrupt(struct hart_traps *t, unsigned long hart,
		      unsigned long cause)
{
	if (cause >= ARRAY_SIZE(t->irqs)) {
		csr_clear(sie, 1UL << cause);
		return;
	}
	t->irq_time[cause] = now();
	t->irqs[cause]++;
	if (irq_hooks[cause])
		irq_hooks[cause](hart);
	else
		irq_default(cause);
}

void trap_handler(void)
{
	unsigned long hart = this_hart();
	struct hart_traps *t = &traps[hart];
	unsigned long cause = csr_read(scause);
	unsigned long sepc = csr_read(sepc);
	uint16_t insn;

	if (cause & SCAUSE_IRQ) {
		interrupt(t, hart, cause & ~SCAUSE_IRQ);
		return;
	}
	if (!t->expect) {
		gprintf("FAIL: %s: unexpected-trap (hart %lu scause 0x%lx sepc 0x%lx stval 0x%lx)\n",
			payload_name, hart, cause, sepc, csr_read(stval));
		sbi_shutdown();
	}
	t->scause = cause;
	t->stval = csr_read(stval);
	t->sepc = sepc;
	t->expect = 0;
	t->caught++;
	if (t->resume) {
		csr_write(sepc, t->resume);
		t->resume = 0;
		return;
	}
	/* Resume after the faulting instruction (2 or 4 bytes long). */
	insn = *(volatile uint16_t *)sepc;
	csr_write(sepc, sepc + ((insn & 3) == 3 ? 4 : 2));
}

void trap_expect(unsigned long resume)
{
	struct hart_traps *t = &traps[this_hart()];

	t->caught = 0;
	t->scause = 0;
	t->stval = 0;
	t->sepc = 0;
	t->resume = resume;
	mb();
	t->expect = 1;
	mb();
}

struct trap_info trap_result(void)
{
	struct hart_traps *t = &traps[this_hart()];
	struct trap_info r;

	mb();
	t->expect = 0;
	t->resume = 0;
	r.taken = t->caught != 0;
	r.scause = t->scause;
	r.stval = t->stval;
	r.sepc = t->sepc;
	return r;
}

void irq_enable(unsigned long sie_bits)
{
	csr_set(sie, sie_bits);
	csr_set(sstatus, SSTATUS_SIE);
}

void irq_disable_all(void)
{
	csr_clear(sstatus, SSTATUS_SIE);
	csr_write(sie, 0);
}

uint64_t us_to_ticks(uint64_t us)
{
	return us * plat.timebase / 1000000;
}

bool wait_flag(volatile unsigned long *flag, uint64_t us)
{
	uint64_t end = now() + us_to_ticks(us);

	while (!READ_ONCE(*flag))
		if (now() >= end)
			return READ_ONCE(*flag) != 0;
	return true;
}

void delay_us(uint64_t us)
{
	uint64_t end = now() + us_to_ticks(us);

	while (now() < end)
		;
}

void guest_secondary(unsigned long hartid, unsigned long opaque);
void guest_secondary(unsigned long hartid, unsigned long opaque)
{
	secondary_a0[hartid] = hartid;
	secondary_a1[hartid] = opaque;
	mb();
	secondary_entered[hartid]++;
	if (secondary_main)
		secondary_main(hartid, opaque);
	irq_disable_all();
	sbi_hart_stop();
}

volatile struct resume_regs resume_regs[MAX_HARTS];
secondary_fn resume_main;

void guest_resumed(unsigned long hartid, unsigned long opaque);
void guest_resumed(unsigned long hartid, unsigned long opaque)
{
	if (resume_main)
		resume_main(hartid, opaque);
	else
		guest_secondary(hartid, opaque);
}

long start_hart(unsigned long hartid, secondary_fn fn, unsigned long opaque)
{
	secondary_main = fn;
	mb();
	return sbi_hart_start(hartid, (unsigned long)secondary_entry, opaque);
}

bool wait_hart_status(unsigned long hartid, long state, uint64_t us)
{
	uint64_t end = now() + us_to_ticks(us);
	struct sbiret r;

	do {
		r = sbi_hart_status(hartid);
		if (!r.error && r.value == state)
			return true;
	} while (now() < end);
	return false;
}
