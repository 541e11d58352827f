/* SPDX-License-Identifier: MIT */
/*
 * Hardware VMIDs for L0's address spaces (arch/riscv/vmid.c).
 *
 * L0 names every address space that hgatp can select (a VM's G-stage, a
 * nested vCPU's shadows, its L2 under a Bare hgatp) with an "L0 VMID" below
 * VMID_L0_LIMIT, fixed for the space's life; the hgatp values L0 keeps carry
 * that name. A hart's hgatp.VMID field has only VMIDLEN bits, 0 to 14
 * (privileged spec, "Hypervisor Guest Address Translation and Protection
 * Register"), which may be fewer than L0 has names. So each hart maps L0
 * VMIDs to its hardware VMIDs as it loads them, handing the hardware VMIDs
 * out in turn; one taken from its last owner, or never used, is fenced
 * (HFENCE.GVMA and HFENCE.VVMA: a G-stage fence need not drop VS-stage
 * entries) before its new owner runs. Two address spaces therefore never
 * share a hardware VMID on a hart without a fence between them. With
 * VMIDLEN = 0 every change of address space fences; with enough bits,
 * each L0 VMID is fenced once, the first time the hart loads it.
 *
 * A vCPU runs on one hart only, so each hart has its own map (struct
 * vmid_space, in struct hart) and harts need not agree on VMIDLEN.
 */
#ifndef ARCH_VMID_H
#define ARCH_VMID_H

#include <stdbool.h>
#include <stdint.h>

/* L0 VMIDs are 0 .. VMID_L0_LIMIT - 1. */
#define VMID_L0_LIMIT 512
/* VMIDMAX: hgatp.VMID is 14 bits wide on RV64. */
#define VMID_BITS_MAX 14

struct vmid_space {
	unsigned int bits;  /* VMIDLEN */
	unsigned int count; /* hardware VMIDs handed out: 0 .. count - 1 */
	unsigned int next;  /* the one to hand out next */
	/* Hardware VMIDs given to an L0 VMID (each one fenced). */
	unsigned long assigned;
	uint16_t hw[VMID_L0_LIMIT]; /* L0 VMID -> hardware VMID + 1; 0: none */
	uint16_t owner[VMID_L0_LIMIT]; /* hardware VMID -> L0 VMID + 1; 0: none */
};

/* An empty map for a hart with VMIDLEN `bits` (at most VMID_BITS_MAX). */
void vmid_space_init(struct vmid_space *s, unsigned int bits);

/*
 * Whether L0 VMID `l0` has a hardware VMID in `s`, and which (`hw`).
 * Inline: every HFENCE of L0's asks (a shadow fault's, one).
 */
static inline bool vmid_space_lookup(const struct vmid_space *s,
				     unsigned int l0, unsigned int *hw)
{
	if (l0 >= VMID_L0_LIMIT || !s->hw[l0])
		return false;
	*hw = s->hw[l0] - 1U;
	return true;
}

/*
 * The hardware VMID for L0 VMID `l0` (below VMID_L0_LIMIT), given to it now
 * if it has none, taken from its previous owner if need be. Returns true
 * when it was given now: the caller fences it on the hart, G-stage and
 * VS-stage, before `l0` runs under it.
 */
bool vmid_space_get(struct vmid_space *s, unsigned int l0, unsigned int *hw);

#endif
