/* SPDX-License-Identifier: MIT */
/* The hart-level half of running a vCPU (arch/riscv/vcpu_switch.c). */
#ifndef ARCH_VCPU_ARCH_H
#define ARCH_VCPU_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;
struct trap_frame;

/*
 * At boot: probe the hart's henvcfg/senvcfg fields and vsatp modes. Guests
 * get vstimecmp when the host has Sstc (`sstc`) and henvcfg.STCE is there.
 */
void vcpu_arch_init(bool sstc);

/* Whether guests have Sstc (set once, at boot): asked on every trap. */
extern bool vcpu_arch_sstc;
static inline bool vcpu_arch_has_sstc(void)
{
	return vcpu_arch_sstc;
}

/* "henvcfg <fields>, senvcfg <fields>": what the hart has of each. */
void vcpu_arch_format_envcfg(char *buf, size_t size);
/* Whether the hart's henvcfg has all of `fields` (HENVCFG_*). */
bool vcpu_arch_henvcfg_has(unsigned long fields);
/* Bit per satp MODE the hart's vsatp accepts (Bare always). */
uint64_t vcpu_arch_vsatp_modes(void);

/* Put the vCPU's VS CSRs, hgatp and delegation on this hart. */
void vcpu_arch_load(struct vcpu *v);
/* Read its VS CSRs back before another vCPU uses the hart. */
void vcpu_arch_put(struct vcpu *v);

/* Registers for a (re)started vCPU: entry point in VS-mode, MMU off. */
void vcpu_arch_reset(struct vcpu *v, unsigned long entry, unsigned long a0,
		     unsigned long a1);

/* The guest's view of time: host time plus the VM's htimedelta. */
uint64_t vcpu_arch_guest_time(void);

/* Enter `frame` (at the hart's stack top) and never return here. */
void __attribute__((noreturn)) guest_enter(struct trap_frame *frame);

/*
 * Read guest memory with HLV/HLVX as the guest would (its VS-stage and
 * G-stage). Returns 0, or the exception cause the access took.
 */
unsigned long guest_load_insn_half(unsigned long va, uint16_t *out);

void fp_save(unsigned long *regs);
void fp_restore(const unsigned long *regs);

#endif
