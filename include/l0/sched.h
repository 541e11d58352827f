/* SPDX-License-Identifier: MIT */
/*
 * Running vCPUs on harts (core/sched.c). Each vCPU is bound to one hart;
 * a hart with several runnable vCPUs gives each a time slice in turn.
 */
#ifndef L0_SCHED_H
#define L0_SCHED_H

#include <stdbool.h>

#include <arch/trap.h>

struct vcpu;

#define SCHED_SLICE_US 10000

/* Bind `v` to its hart (v->hart). Call before the harts start running. */
void sched_add(struct vcpu *v);

/* Run this hart's vCPUs forever; idle in WFI while none is runnable. */
void __attribute__((noreturn)) sched_run(void);

/*
 * After a guest's trap was handled: go back to the same vCPU, or save it and
 * run another (or idle) when it stopped, suspended, or its slice ended.
 */
void sched_after_trap(struct trap_frame *tf);

/* The vCPU running on this hart, or NULL. */
struct vcpu *sched_current(void);

/* Make `v` runnable again and poke its hart. */
void sched_wake(struct vcpu *v);

/* Poke the hart with index `hart`: it re-checks its vCPUs' state. */
void sched_kick(unsigned int hart);

/*
 * After asking something of `v` (an interrupt, a fence): poke its hart if
 * `v` runs there, or if the hart idles and `v` may have to wake. A hart
 * that runs another vCPU finds the request when `v`'s turn comes.
 */
void sched_poke(struct vcpu *v);

/* Whether `v` is on its hart: its registers are there, not in v->regs. */
bool sched_on_hart(const struct vcpu *v);

#endif
