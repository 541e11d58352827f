/* SPDX-License-Identifier: MIT */
/*
 * An emulated PLIC (RISC-V PLIC specification v1.0.0), one S-mode context per
 * vCPU, in the register layout of QEMU's virt PLIC. Plain logic: the caller
 * decodes the guest's MMIO access and turns the context's output into the
 * vCPU's VSEIP (hvip bit 10).
 */
#ifndef L0_VPLIC_H
#define L0_VPLIC_H

#include <stdbool.h>
#include <stdint.h>

#include <l0/spinlock.h>

/* Sources 1..127 (source 0 does not exist): a host PLIC's numbers fit. */
#define VPLIC_MAX_SOURCES 128
#define VPLIC_WORDS (VPLIC_MAX_SOURCES / 64) /* 64-bit words per bitmap */
#define VPLIC_MAX_CONTEXTS 8
#define VPLIC_SIZE 0x4000000 /* 64 MiB of address space, as on virt */

struct vplic {
	spinlock_t lock;
	unsigned int nsources;	/* including the non-existent source 0 */
	unsigned int ncontexts; /* one per vCPU: its S-mode context */
	uint32_t priority[VPLIC_MAX_SOURCES];
	uint64_t pending[VPLIC_WORDS]; /* bit per source */
	uint64_t level[VPLIC_WORDS];   /* current line level per source */
	uint64_t claimed[VPLIC_WORDS]; /* claimed and not yet completed */
	uint64_t enable[VPLIC_MAX_CONTEXTS][VPLIC_WORDS];
	uint32_t threshold[VPLIC_MAX_CONTEXTS];
	/* Sources wired to a host interrupt (passthrough), see vplic_set_hw. */
	uint64_t hw[VPLIC_WORDS];
	uint64_t hw_done[VPLIC_WORDS]; /* completed, owed to the host */
	unsigned int hw_events; /* claims and completions of hw sources */
};

/* Everything off and idle; panics unless 1 <= nsources, ncontexts <= max. */
void vplic_init(struct vplic *p, unsigned int nsources, unsigned int ncontexts);

/*
 * A guest access at `offset` within the PLIC window, of `size` bytes.
 * The registers that exist are those of sources 0..nsources-1 and contexts
 * 0..ncontexts-1 (the guest's riscv,ndev must be nsources - 1):
 *   0x000000 + 4*src               priority (WARL, 0..7; source 0 reads 0)
 *   0x001000 + 4*w                 pending bits, read-only
 *   0x002000 + 0x80*ctx + 4*w      enable bits (source 0 and missing ones
 *                                  read-only zero)
 *   0x200000 + 0x1000*ctx          threshold (WARL, 0..7)
 *   0x200004 + 0x1000*ctx          claim (read) / complete (write)
 * with w < (nsources + 31) / 32. Every other word below VPLIC_SIZE is
 * reserved: it reads 0 and ignores writes, as the PLIC spec's reserved
 * registers and QEMU's PLIC do (a guest may touch the enable word of
 * sources past its riscv,ndev, say). Only naturally aligned 4-byte
 * accesses are defined: any other width or alignment, and any offset at or
 * beyond VPLIC_SIZE, returns false without side effects (the caller then
 * raises an access fault in the guest, as QEMU's PLIC does); *value is 0
 * then.
 */
bool vplic_read(struct vplic *p, uint64_t offset, unsigned int size,
		uint32_t *value);
bool vplic_write(struct vplic *p, uint64_t offset, unsigned int size,
		 uint32_t value);

/*
 * A device drives source `irq` to `level` (level-triggered, as on virt): a
 * source is pending exactly while its line is high and it is not claimed,
 * so lowering the line withdraws an unclaimed request, and a completed
 * source whose line is still high is pending again. Sources 0 and
 * >= nsources are ignored.
 */
void vplic_set_level(struct vplic *p, unsigned int irq, bool level);

/*
 * Wire source `irq` to a host interrupt (a passed-through device): the host
 * sets its level high with vplic_set_level() when its gateway forwards it
 * and holds it there. When the guest completes the source, its level drops
 * (the host gateway now decides) and it joins the completions that
 * vplic_take_hw_done() hands back, to be completed at the host.
 */
void vplic_set_hw(struct vplic *p, unsigned int irq);

/*
 * The hw sources the guest completed since the last call, as a bitmap of
 * VPLIC_WORDS words into `done` (to be completed at the host), and the
 * number of claims and completions of hw sources since the last call (each
 * one guest access, i.e. one trap to L0: for the counters).
 */
unsigned int vplic_take_hw_done(struct vplic *p, uint64_t *done);

/*
 * Let go of every hw source (a reboot): those the host still holds claimed
 * for the guest (line high, claimed or completed-but-owed) go into `held`
 * (VPLIC_WORDS words), to be completed at the host; their lines drop and
 * their claims are forgotten. A device that still asserts its line is
 * forwarded again by the host.
 */
void vplic_release_hw(struct vplic *p, uint64_t *held);

/* Whether context `ctx` has an enabled pending source above its threshold. */
bool vplic_context_pending(struct vplic *p, unsigned int ctx);

#endif
