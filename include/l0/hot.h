/* SPDX-License-Identifier: MIT */
/*
 * L0_HOT marks a function on the path of a guest's frequent traps: every
 * trap's dispatch and return, L1's CSR accesses, SBI calls and NACL, the
 * nested switch and the shadow fault. GCC puts such functions in
 * .text.hot.*, which arch/riscv/l0.lds places first, beside the trap
 * vector: those paths' code lies in three pages instead of being spread
 * over the image. Every page is a TLB entry a trap needs, and QEMU empties
 * its TLB on each change of V, so each trap refilled all of them.
 *
 * L0_HOT_DATA does the same for the data those paths read on every trap
 * (the trap and CSR tables, flags set at boot): arch/riscv/l0.lds puts
 * .data.hot beside the GOT, in one page.
 *
 * L0_SLOW marks the rare branch of such a function (somebody asked for
 * something, a vCPU wakes), kept out of line: GCC saves the registers a
 * function needs at its entry, so a rare branch inlined into a hot function
 * makes every trap pay for the slow branch's registers.
 */
#ifndef L0_HOT_H
#define L0_HOT_H

#define L0_HOT __attribute__((hot))
#define L0_HOT_DATA __attribute__((section(".data.hot")))
#define L0_SLOW __attribute__((noinline, cold))

#endif
