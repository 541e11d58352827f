// SPDX-License-Identifier: MIT
/*
 * L0's host environment on the simulated harts: the hart table, the timer,
 * IPIs and the firmware (sim.h).
 */
#include <setjmp.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <arch/csr.h>
#include <arch/pte.h>
#include <arch/sbi.h>
#include <arch/tlb.h>
#include <arch/trap.h>
#include <arch/vcpu_arch.h>
#include <l0/bits.h>
#include <l0/hart.h>
#include <l0/isa.h>
#include <l0/printf.h>
#include <l0/page_alloc.h>
#include <l0/sched.h>
#include <l0/timer.h>
#include <l0/passthrough.h>
#include <l0/platform.h>
#include <l0/vm.h>

#include "../../nested/state.h"
#include "sim_internal.h"

/* --- L0's host environment: harts, timer, IPIs, firmware --- */

unsigned int hart_count(void)
{
	return sim_nharts;
}

unsigned int harts_online(void)
{
	return sim_nharts;
}

struct hart *hart_by_index(unsigned int index)
{
	return index < sim_nharts ? &sim_harts[index].hart : NULL;
}

void ipi_send(unsigned int to, enum ipi_msg msg)
{
	__atomic_or_fetch(&sim_harts[to].hart.ipi_pending, BIT(msg),
			  __ATOMIC_RELEASE);
	sim_harts[to].csr[CSR_SIP] |= BIT(IRQ_S_SOFT);
	sim_ipis_sent[to]++;
}

/* What core/smp.c's handlers do (the sim has its own hart table). */
void sim_ipi_handler(void)
{
	csr_clear(CSR_SIP, BIT(IRQ_S_SOFT));
	__atomic_exchange_n(&this_hart()->ipi_pending, 0, __ATOMIC_ACQ_REL);
}

void sim_timer_handler(void)
{
	timer_cancel();
	this_hart()->timer_armed = ~0ULL;
}

/*
 * Time stands still within a trap, unless L0 sim_polls it in a loop (waiting for
 * other harts, as vm_finish_reboot() does): then it passes, and the other
 * harts take their pending IPIs meanwhile, as they would in parallel.
 */
uint64_t timer_now(void)
{
	static bool polling;
	unsigned int saved = sim_cur;

	if (++sim_polls < 1000 || polling)
		return sim_now;
	sim_now += TICKS_PER_US;
	polling = true;
	for (unsigned int i = 0; i < sim_nharts; i++)
		if (i != saved && (sim_harts[i].csr[CSR_SIP] & BIT(IRQ_S_SOFT)))
			sim_interrupt(i, IRQ_S_SOFT);
	sim_cur = saved;
	polling = false;
	return sim_now;
}

uint64_t timer_us_to_ticks(uint64_t us)
{
	return us * TICKS_PER_US;
}

uint64_t timer_ticks_to_ns(uint64_t ticks)
{
	return ticks * 1000 / TICKS_PER_US;
}

void timer_set(uint64_t when)
{
	sim_harts[sim_cur].timer = when;
}

void timer_cancel(void)
{
	sim_harts[sim_cur].timer = ~0ULL;
}

long sbi_hart_stop(void)
{
	return 0;
}

/* The firmware's remote HFENCE.GVMA of everything: each hart fences. */
long sbi_remote_hfence_gvma_all(void)
{
	unsigned int self = sim_cur;

	for (sim_cur = 0; sim_cur < sim_nharts; sim_cur++)
		sim_hfence_gvma(0, 0, SIM_GVMA_ALL);
	sim_cur = self;
	return 0;
}

void sbi_system_shutdown(void)
{
	sim_violation("L0 powered the machine off");
	abort();
}

void fp_save(unsigned long *regs)
{
	(void)regs;
}

void fp_restore(const unsigned long *regs)
{
	(void)regs;
}

unsigned long guest_load_insn_half(unsigned long va, uint16_t *out)
{
	(void)va;
	*out = 0;
	return EXC_INST_ACCESS; /* tests give htinst when they need decoding */
}

/*
 * Guest RAM is the pool's memory. A plain memset: the sim_pool stays resident
 * across fuzz inputs, and dropping the pages instead (madvise) cost each
 * input a TLB shootdown and a page fault per page touched again.
 */
void zero_range(void *p, size_t len)
{
	memset(p, 0, len);
}

void console_stream_char(const void *owner, const char *prefix, char c)
{
	(void)owner;
	(void)prefix;
	(void)c;
}
