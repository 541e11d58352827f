/* SPDX-License-Identifier: MIT */
/* The SBI that guests see (core/sbi_guest.c): v2.0 as the SBI spec defines. */
#ifndef L0_SBI_GUEST_H
#define L0_SBI_GUEST_H

#include <arch/trap.h>

struct vcpu;

/* Names of the extensions L0 counts per VM, indexed like vm_stats.sbi_calls. */
extern const char *const sbi_guest_ext_names[];
unsigned int sbi_guest_ext_count(void);

/*
 * Handle the guest's ecall in `tf` (a7 = extension, a6 = function, a0-a5 =
 * arguments): a0/a1 get the error and value, sepc moves past the ecall.
 */
void sbi_guest_call(struct vcpu *v, struct trap_frame *tf);

#endif
