// SPDX-License-Identifier: MIT
/*
 * Dispatch of the host's external interrupts, from whichever controller the
 * host has (include/drivers/irqchip.h). A passed-through device's source is
 * level-triggered at its owner's vPLIC: the host claim raises the vPLIC
 * line, and L0 completes the source at the host only when the guest has
 * completed it in its vPLIC. Until then the host controller holds it (the
 * PLIC's gateway, and the APLIC drivers do the same), so a device that
 * keeps its line high costs one interrupt per guest completion, not a
 * storm, and one that raises it again after the completion is seen again:
 * nothing is lost.
 */
#include <arch/csr.h>
#include <arch/trap.h>
#include <drivers/irqchip.h>
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

	while ((irq = irqchip_claim())) {
		if (irq < HOSTIRQ_MAX && owner[irq]) {
			forward(owner[irq], irq, first);
			first = false;
			continue;
		}
		if (irq < HOSTIRQ_MAX && l0_handler[irq]) {
			l0_handler[irq]();
			irqchip_complete(irq);
			continue;
		}
		/*
		 * Nobody's (a stray: L0 enables only what it owns or forwards):
		 * left claimed and disabled, or it would come back for ever.
		 */
		irqchip_disable(irq);
	}
}

bool hostirq_init(const struct platform *p, const struct platform_cpu *cpu)
{
	if (!irqchip_init(p, cpu))
		return false;
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
	if (!irqchip_enable(irq))
		return false;
	l0_handler[irq] = fn;
	return true;
}

bool hostirq_route(unsigned int irq, struct vm *vm)
{
	if (!hostirq_available(irq))
		return false;
	if (!irqchip_enable(irq))
		return false;
	owner[irq] = vm;
	vplic_set_hw(&vm->plic, irq);
	return true;
}

/*
 * Ownerless first, so that an interrupt taken meanwhile is only completed;
 * the completion also lets go of a claim the host may hold for the VM.
 */
void hostirq_unroute(unsigned int irq, const struct vm *vm)
{
	if (irq >= HOSTIRQ_MAX || owner[irq] != vm)
		return;
	owner[irq] = NULL;
	irqchip_complete(irq);
	irqchip_disable(irq);
}

void hostirq_complete(unsigned int irq)
{
	if (irq < HOSTIRQ_MAX && owner[irq])
		irqchip_complete(irq);
}
