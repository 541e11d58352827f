// SPDX-License-Identifier: MIT
/* Per-hart data, starting the other harts, and inter-hart messages. */
#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/sbi.h>
#include <arch/tlb.h>
#include <arch/trap.h>
#include <l0/hart.h>
#include <l0/page_alloc.h>
#include <l0/panic.h>
#include <l0/timer.h>

#define HART_START_TIMEOUT_US 2000000

static struct hart harts[PLATFORM_MAX_HARTS];
static unsigned int nharts;
static bool released; /* the boot hart has set up the VMs */

extern char boot_stack_top[];

extern char secondary_entry[];
void secondary_main(struct hart *h);
void hart_main(struct hart *h);

unsigned int hart_count(void)
{
	return nharts;
}

unsigned int harts_online(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < nharts; i++)
		n += __atomic_load_n(&harts[i].online, __ATOMIC_ACQUIRE);
	return n;
}

struct hart *hart_by_index(unsigned int index)
{
	return index < nharts ? &harts[index] : NULL;
}

void smp_init(const struct platform *p, uint64_t boot_hartid)
{
	unsigned int next = 1;

	nharts = (unsigned int)p->ncpus;
	for (size_t i = 0; i < p->ncpus; i++) {
		bool boot = p->cpus[i].hartid == boot_hartid;
		struct hart *h = &harts[boot ? 0 : next++];

		h->index = (unsigned int)(h - harts);
		h->hartid = p->cpus[i].hartid;
		h->isa = p->cpus[i].isa;
	}
	harts[0].stack_top = (uintptr_t)boot_stack_top;
	__asm__ volatile("mv tp, %0" ::"r"(&harts[0]));
	harts[0].online = true;
}

static void ipi_handler(void)
{
	struct hart *h = this_hart();
	unsigned long msgs;

	csr_clear(CSR_SIP, BIT(IRQ_S_SOFT));
	msgs = __atomic_exchange_n(&h->ipi_pending, 0, __ATOMIC_ACQ_REL);
	if (msgs & BIT(IPI_PING))
		ipi_send(0, IPI_PONG);
	if (msgs & BIT(IPI_PONG))
		__atomic_add_fetch(&h->ipi_count, 1, __ATOMIC_RELEASE);
}

static void timer_handler(void)
{
	timer_cancel();
	this_hart()->timer_armed = ~0ULL;
	__atomic_add_fetch(&this_hart()->timer_count, 1, __ATOMIC_RELEASE);
}

void smp_release_harts(void)
{
	__atomic_store_n(&released, true, __ATOMIC_RELEASE);
	for (unsigned int i = 1; i < nharts; i++)
		if (__atomic_load_n(&harts[i].online, __ATOMIC_ACQUIRE))
			ipi_send(i, IPI_KICK);
}

void smp_wait_release(void)
{
	while (!__atomic_load_n(&released, __ATOMIC_ACQUIRE))
		wait_for_interrupt();
}

void ipi_send(unsigned int to, enum ipi_msg msg)
{
	struct hart *h = &harts[to];

	__atomic_or_fetch(&h->ipi_pending, BIT(msg), __ATOMIC_RELEASE);
	sbi_send_ipi(1, h->hartid);
}

/* Interrupts this hart takes from now on: timer and IPIs. */
static void hart_enable_irqs(void)
{
	trap_set_irq_handler(IRQ_S_SOFT, ipi_handler);
	trap_set_irq_handler(IRQ_S_TIMER, timer_handler);
	timer_cancel();
	this_hart()->timer_armed = ~0ULL;
	csr_write(CSR_SIE, BIT(IRQ_S_SOFT) | BIT(IRQ_S_TIMER));
	local_irq_enable();
}

void secondary_main(struct hart *h)
{
	unsigned int vmid_bits;

	trap_init_hart();
	mmu_enable_hart();
	vmid_bits = tlb_init_hart();
	if (vmid_bits != harts[0].vmids.bits)
		printk("smp: hart %llu has VMIDLEN %u, the boot hart %u\n",
		       (unsigned long long)h->hartid, vmid_bits,
		       harts[0].vmids.bits);
	hart_enable_irqs();
	__atomic_store_n(&h->online, true, __ATOMIC_RELEASE);
	hart_main(h);
}

static bool wait_online(struct hart *h)
{
	uint64_t deadline =
		timer_now() + timer_us_to_ticks(HART_START_TIMEOUT_US);

	while (!__atomic_load_n(&h->online, __ATOMIC_ACQUIRE))
		if (timer_now() > deadline)
			return false;
	return true;
}

/*
 * A hart that firmware accepted to start but that never ran L0's entry. Its
 * HSM state tells whose fault it is: "start pending" means the firmware
 * never released it (OpenSBI 1.5 fw_jump loses harts that reach their
 * lottery after the boot hart is done; see docs/boot.md).
 */
static void report_lost_hart(const struct hart *h)
{
	long state = sbi_hart_get_status(h->hartid);

	printk("smp: hart %llu never reported in (HSM state: %s)\n",
	       (unsigned long long)h->hartid, sbi_hart_state_name(state));
}

void smp_boot_secondaries(void)
{
	hart_enable_irqs();
	for (unsigned int i = 1; i < nharts; i++) {
		struct hart *h = &harts[i];
		uint8_t *stack =
			page_alloc(HART_STACK_SIZE / PAGE_SIZE, PAGE_SIZE);
		long err;

		h->stack_top = (uintptr_t)stack + HART_STACK_SIZE;
		err = sbi_hart_start(h->hartid, (unsigned long)secondary_entry,
				     (unsigned long)h);
		if (err)
			printk("smp: hart %llu did not start (SBI error %ld)\n",
			       (unsigned long long)h->hartid, err);
		else if (!wait_online(h))
			report_lost_hart(h);
	}
}
