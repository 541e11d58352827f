/* SPDX-License-Identifier: MIT */
/* nested/ internal: one nested vCPU's virtual-HS state. */
#ifndef NESTED_STATE_H
#define NESTED_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include <l0/vm.h>

#include "csr.h"
#include "nacl.h"
#include "walk.h"

/* L1's own VS-level state, put aside while L2 has the hart's CSRs. */
struct nested_l1_save {
	struct vcpu_csrs csrs;
};

struct nested_vcpu {
	struct vm *vm;
	struct nested_features feat;
	struct nested_csrs csrs; /* L1's virtual h* and vs* CSRs */
	bool in_l2;
	struct nested_l1_save l1;
	/* Interrupts for L1 (hvip bits) raised from any hart; applied here. */
	unsigned long l1_irq_set, l1_irq_clear;
	unsigned long switches; /* entries into L2 */
	unsigned long l2_vmid;	/* the hart's VMID for L2 (Bare or shadow) */
	struct gstage shadow;	/* L2 GPA -> host PA, while L1's hgatp is on */
	uint64_t shadow_of;	/* the virtual hgatp (mode, root) it shadows */
	uint8_t *nacl;		/* SBI NACL shared memory (host); NULL: off */
};

enum shadow_result {
	SHADOW_MAPPED,	     /* retry: mapped now (or a device access done) */
	SHADOW_L1_FAULT,     /* L1's table forbids it: a guest-page fault */
	SHADOW_ACCESS_FAULT, /* L1 has nothing at the address it maps to */
};

/* The shadow G-stage (shadow.c). */
int nested_shadow_hgatp(struct nested_vcpu *n, uint64_t *hgatp);
void nested_shadow_flush(struct nested_vcpu *n);
enum shadow_result nested_shadow_fault(struct vcpu *v, struct nested_vcpu *n,
				       struct trap_frame *tf, uint64_t gpa);

/* The CSR instruction, HFENCE, HLV/HSV and SRET emulation (emulate.c). */
bool nested_emulate_l1_insn(struct vcpu *v, struct nested_vcpu *n,
			    struct trap_frame *tf);

/* L1's SRET: into L2 when virtual hstatus.SPV = 1 (emulate.c). */
void nested_emulate_sret(struct vcpu *v, struct nested_vcpu *n,
			 struct trap_frame *tf);

/* An HFENCE.VVMA (gvma false) or HFENCE.GVMA of L1's, any operands. */
void nested_hfence(struct nested_vcpu *n, bool gvma);

/* Whether `insn` is an HLV, HLVX or HSV (emulate.c). */
bool nested_is_hlv_hsv(uint32_t insn);

/*
 * An exception taken into L1's virtual HS-mode from L1 itself (V=0), e.g.
 * a fault of its HLV: L1's scause/sepc/stval, and hstatus.GVA, htval and
 * htinst as the spec's trap entry sets them (switch.c).
 */
void nested_l1_exception(struct nested_vcpu *n, struct trap_frame *tf,
			 unsigned long cause, unsigned long tval,
			 unsigned long htval, bool gva);

/* The nested switch (switch.c). */
void nested_enter_l2(struct vcpu *v, struct nested_vcpu *n,
		     struct trap_frame *tf);
void nested_exit_to_l1(struct vcpu *v, struct nested_vcpu *n,
		       struct trap_frame *tf, unsigned long cause,
		       unsigned long tval);

/*
 * SBI NACL (nacl.c): after L0 changed L1's virtual CSRs (an emulated CSR
 * write, a trap into L1), their values into the shared memory's CSR space.
 */
void nested_nacl_publish(struct nested_vcpu *n);

/*
 * At every exit from L2 to L1, before L1 runs: the autoswap of hstatus
 * (virtualization ON -> OFF) and the CSR space, where L1 reads hstatus,
 * htval and htinst.
 */
void nested_nacl_exit_to_l1(struct vcpu *v, struct nested_vcpu *n);

/* L1's hip inputs (its VSTIP from vstimecmp) before L1 reads it. */
void nested_refresh_hip(struct vcpu *v, struct nested_vcpu *n);

/* L0's hstatus for L1's frame: SRET traps only while virtual SPV = 1. */
void nested_update_l1_hstatus(const struct nested_vcpu *n,
			      struct trap_frame *tf);

#endif
