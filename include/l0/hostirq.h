/* SPDX-License-Identifier: MIT */
/*
 * The host's external interrupts (core/hostirq.c), taken on the boot hart's
 * S-level target of the host controller (PLIC context, APLIC IDC or IMSIC
 * interrupt file, drivers/irq/): each wired source is L0's own (its console
 * UART) or a passed-through device's, forwarded to the owning guest's vPLIC.
 */
#ifndef L0_HOSTIRQ_H
#define L0_HOSTIRQ_H

#include <stdbool.h>

#include <l0/platform.h>

struct vm;

/*
 * Take external interrupts on `cpu`'s S-level target (call on that hart).
 * False when L0 has no driver for the host controller or the hart is not
 * one of its targets.
 */
bool hostirq_init(const struct platform *p, const struct platform_cpu *cpu);

/* Whether hostirq_init() succeeded. */
bool hostirq_ready(void);

/* Whether source `irq` can be owned or routed (not taken yet). */
bool hostirq_available(unsigned int irq);

/*
 * Source `irq` is L0's: `fn` runs on each interrupt, then it is completed.
 * False when taken, or when the controller cannot route it to L0.
 */
bool hostirq_own(unsigned int irq, void (*fn)(void));

/*
 * Source `irq` is `vm`'s: each interrupt sets the source's line in the vm's
 * vPLIC and stays claimed at the host until the guest completes it there
 * (vm_update_plic()). False when the source is taken, out of range or
 * not routable to L0 (e.g. not delegated to its APLIC domain).
 */
bool hostirq_route(unsigned int irq, struct vm *vm);

/*
 * Undo a hostirq_route() of `irq` to `vm`, which is not started after all:
 * the source is off at the host and free again (nothing when it is not
 * `vm`'s).
 */
void hostirq_unroute(unsigned int irq, const struct vm *vm);

/* The guest completed forwarded source `irq`: let the host send the next. */
void hostirq_complete(unsigned int irq);

#endif
