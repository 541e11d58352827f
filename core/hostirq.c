// SPDX-License-Identifier: MIT
/*
 * Dispatch of the host's external interrupts. A passed-through device's
 * source is level-triggered at its owner's vPLIC: the host claim raises the
 * vPLIC line, and L0 completes the source at the host only when the guest
 * has completed it in its vPLIC. Until then the host gateway holds it (PLIC
 * spec, "Interrupt Gateways"), so a device that keeps its line high costs
 * one interrupt per guest completion, not a storm, and one that raises it
 * again after the completion is seen again: nothing is lost.
 */
#include <arch/csr.h>
#include <arch/trap.h>
#include <drivers/plic.h>
#include <l0/hostirq.h>
#include <l0/vm.h>

#define HOSTIRQ_MAX VPLIC_MAX_SOURCES

static struct vm *owner[HOSTIRQ_MAX];
static void (*l0_handler[HOSTIRQ_MAX])(void);
static bool ready;

/* Mark the source pending in its owner's vPLIC; the host keeps it claimed. */
static void forward(struct vm *vm, unsigned int irq, bool first)
{
	__atomic_add_fetch(&vm->stats.devirqs, 1, __ATOMIC_RELAXED);
	if (first) /* the trap that took it; later claims ride on it */
		__atomic_add_fetch(&vm->stats.devirq_traps, 1,
				   __ATOMIC_RELAXED);
	vplic_set_level(&vm->plic, irq, true);
	vm_update_plic(vm);
}

/* Claim until the context has nothing left: each source once at most. */
static void dispatch(void)
{
	bool first = true;
	unsigned int irq;

	while ((irq = plic_claim())) {
		if (irq < HOSTIRQ_MAX && owner[irq]) {
			forward(owner[irq], irq, first);
			first = false;
			continue;
		}
		if (irq < HOSTIRQ_MAX && l0_handler[irq])
			l0_handler[irq]();
		else /* nobody's: it would come back for ever */
			plic_disable(irq);
		plic_complete(irq);
	}
}

bool hostirq_init(const struct platform *p, const struct platform_cpu *cpu)
{
	if (!p->plic.present || cpu->plic_s_context < 0)
		return false;
	plic_init(p->plic.base, (unsigned int)cpu->plic_s_context,
		  p->plic.ndev);
	trap_set_irq_handler(IRQ_S_EXT, dispatch);
	csr_set(CSR_SIE, BIT(IRQ_S_EXT));
	ready = true;
	return true;
}

bool hostirq_ready(void)
{
	return ready;
}

bool hostirq_available(unsigned int irq)
{
	return ready && irq && irq < HOSTIRQ_MAX && !owner[irq] &&
	       !l0_handler[irq];
}

bool hostirq_own(unsigned int irq, void (*fn)(void))
{
	if (!hostirq_available(irq))
		return false;
	l0_handler[irq] = fn;
	plic_enable(irq);
	return true;
}

bool hostirq_route(unsigned int irq, struct vm *vm)
{
	if (!hostirq_available(irq))
		return false;
	owner[irq] = vm;
	vplic_set_hw(&vm->plic, irq);
	plic_enable(irq);
	return true;
}

void hostirq_complete(unsigned int irq)
{
	if (irq < HOSTIRQ_MAX && owner[irq])
		plic_complete(irq);
}
