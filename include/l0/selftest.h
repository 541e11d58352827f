/* SPDX-License-Identifier: MIT */
/*
 * Boot self-tests of the hart services (core/selftest.c). Each prints one
 * machine-readable line, "selftest: <case>: PASS|FAIL ...", which the QEMU
 * boot tests check.
 */
#ifndef L0_SELFTEST_H
#define L0_SELFTEST_H

#include <l0/hart.h>

/* On hart `h` itself: arm its timer and wait for the interrupt. */
void selftest_timer(struct hart *h);
/* From the boot hart: an IPI to every hart, answered by an IPI back. */
void selftest_ipi(void);
/* Wait until every online hart has finished selftest_timer(). */
void selftest_wait_all(void);
/* L0's page table leaves each no-map reserved region out, and only it. */
void selftest_nomap(const struct platform *p);
/*
 * Wait (20 s at most) for a key typed on the console UART, which only its
 * interrupt through the host's controller brings (call after
 * hostirq_init()).
 */
void selftest_console_input(const struct platform *p);
/* Deliberately take an unexpected trap, to show the register dump. */
void selftest_fault(void);

#endif
