/* SPDX-License-Identifier: MIT */
/*
 * L0_HOT marks a function on the path of every guest trap. GCC puts such
 * functions in .text.hot.*, which arch/riscv/l0.lds places first, beside
 * the trap vector: the path's code then spans two pages rather than eight.
 * Every page is a TLB entry the trap needs, and QEMU empties its TLB on
 * each change of V, so each trap refilled all of them.
 */
#ifndef L0_HOT_H
#define L0_HOT_H

#define L0_HOT __attribute__((hot))

#endif
