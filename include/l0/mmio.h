/* SPDX-License-Identifier: MIT */
/* Emulating a guest's load or store to an emulated device (core/mmio.c). */
#ifndef L0_MMIO_H
#define L0_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/trap.h>

struct vcpu;

/* The decoded access of a trapping load or store. */
struct mmio_access {
	bool store;
	unsigned int width; /* bytes: 1, 2, 4 or 8 */
	bool sign_extend;
	unsigned int reg;      /* rd of a load, rs2 of a store */
	unsigned int insn_len; /* 2 or 4 */
};

/*
 * Decode a load/store from htinst (the transformed instruction) or, when
 * htinst is 0, from the instruction bits `insn`. Returns false for anything
 * that is not a plain load or store (AMOs, LR/SC, FP loads...).
 */
bool mmio_decode(unsigned long htinst, uint32_t insn, struct mmio_access *a);

/*
 * Emulate the access at guest physical `gpa` that trapped in `tf`. Returns
 * false when no emulated device is there (the caller raises an access fault).
 */
bool mmio_emulate(struct vcpu *v, struct trap_frame *tf, uint64_t gpa);

#endif
