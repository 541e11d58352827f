// SPDX-License-Identifier: MIT
/*
 * Boot self-tests: every hart's timer, an IPI round trip to each hart, and
 * (when asked) a key typed on the console, taken by the UART's interrupt.
 */
#include <arch/csr.h>
#include <arch/mmu.h>
#include <drivers/irqchip.h>
#include <l0/console.h>
#include <l0/page_alloc.h>
#include <l0/hart.h>
#include <l0/printf.h>
#include <l0/selftest.h>
#include <l0/timer.h>

#define TIMER_DELAY_US 1000
#define WAIT_TIMEOUT_US 500000
#define INPUT_TIMEOUT_US 20000000

static unsigned int timer_tests_done;

/* Spin until *counter passes `start`, or `timeout_us`. */
static bool wait_counter(const unsigned long *counter, unsigned long start,
			 uint64_t timeout_us)
{
	uint64_t deadline = timer_now() + timer_us_to_ticks(timeout_us);

	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) == start) {
		if (timer_now() > deadline)
			return false;
		__asm__ volatile("nop" ::: "memory");
	}
	return true;
}

void selftest_timer(struct hart *h)
{
	unsigned long before = h->timer_count;
	uint64_t start = timer_now();
	uint64_t target = start + timer_us_to_ticks(TIMER_DELAY_US);
	bool ok;

	timer_set(target);
	/* It must fire, and not before its deadline. */
	ok = wait_counter(&h->timer_count, before, WAIT_TIMEOUT_US) &&
	     timer_now() >= target;
	printk("selftest: timer hart %llu: %s (%s, interrupt %llu ticks after arming)\n",
	       (unsigned long long)h->hartid, ok ? "PASS" : "FAIL",
	       timer_kind(), (unsigned long long)(timer_now() - start));
	__atomic_add_fetch(&timer_tests_done, 1, __ATOMIC_RELEASE);
}

void selftest_ipi(void)
{
	struct hart *boot = hart_by_index(0);

	for (unsigned int i = 0; i < hart_count(); i++) {
		struct hart *h = hart_by_index(i);
		unsigned long before = boot->ipi_count;
		const char *result = "SKIP (hart offline)";

		if (__atomic_load_n(&h->online, __ATOMIC_ACQUIRE)) {
			ipi_send(i, IPI_PING);
			result = wait_counter(&boot->ipi_count, before,
					      WAIT_TIMEOUT_US)
					 ? "PASS"
					 : "FAIL";
		}
		printk("selftest: ipi hart %llu -> hart %llu -> hart %llu: %s\n",
		       (unsigned long long)boot->hartid,
		       (unsigned long long)h->hartid,
		       (unsigned long long)boot->hartid, result);
	}
}

static unsigned long input_bytes;

static void count_input(uint8_t c)
{
	(void)c;
	__atomic_add_fetch(&input_bytes, 1, __ATOMIC_RELEASE);
}

void selftest_console_input(const struct platform *p)
{
	bool ok;

	if (!console_enable_input(p, count_input)) {
		printk("selftest: console input: FAIL (L0 takes no interrupt of its console UART)\n");
		return;
	}
	printk("selftest: console input: type a key within %llu s\n",
	       (unsigned long long)(INPUT_TIMEOUT_US / 1000000));
	ok = wait_counter(&input_bytes, 0, INPUT_TIMEOUT_US);
	printk("selftest: console input: %s (%lu bytes by the UART's interrupt %u, from the %s)\n",
	       ok ? "PASS" : "FAIL",
	       __atomic_load_n(&input_bytes, __ATOMIC_ACQUIRE), p->uart.irq,
	       irqchip_name());
}

void selftest_wait_all(void)
{
	unsigned int online = harts_online();
	uint64_t deadline = timer_now() + timer_us_to_ticks(WAIT_TIMEOUT_US);

	while (__atomic_load_n(&timer_tests_done, __ATOMIC_ACQUIRE) < online &&
	       timer_now() < deadline)
		;
}

void selftest_nomap(const struct platform *p)
{
	for (size_t i = 0; i < p->nnomap; i++) {
		const struct mem_range *r = &p->nomap[i];
		uint64_t last = ALIGN_DOWN(mem_range_end(r) - 1, PAGE_SIZE);
		/* Left out, and only it: the page after it is mapped RAM. */
		bool ok = !mmu_is_mapped(r->base) && !mmu_is_mapped(last);
		bool next_ram = false;

		for (size_t m = 0; m < p->nmem; m++)
			next_ram |=
				last + PAGE_SIZE >= p->mem[m].base &&
				last + PAGE_SIZE < mem_range_end(&p->mem[m]);
		for (size_t j = 0; j < p->nnomap; j++)
			next_ram &= p->nomap[j].base != last + PAGE_SIZE;
		if (next_ram)
			ok &= mmu_is_mapped(last + PAGE_SIZE);
		printk("selftest: no-map 0x%llx-0x%llx out of L0's page table: %s\n",
		       (unsigned long long)r->base,
		       (unsigned long long)mem_range_end(r),
		       ok ? "PASS" : "FAIL");
	}
}

void selftest_fault(void)
{
	unsigned long v;

	printk("selftest: taking a deliberate load page fault\n");
	/* Page 0 is not in L0's identity map. */
	__asm__ volatile("ld %0, 8(zero)" : "=r"(v) : : "memory");
}
