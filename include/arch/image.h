/* SPDX-License-Identifier: MIT */
/*
 * Where L0's image is linked: where QEMU -kernel and OpenSBI fw_jump put it,
 * so that gdb needs no offset there. L0 runs wherever it is loaded
 * (head.S applies its relocations); the Makefile reads this value for the
 * linker (--defsym, arch/riscv/l0.lds).
 */
#ifndef ARCH_IMAGE_H
#define ARCH_IMAGE_H

#define L0_LINK_BASE 0x80200000

#endif
