/* SPDX-License-Identifier: MIT */
/*
 * A stand-in for a bootloader that puts L0 elsewhere (U-Boot's booti on a
 * board whose RAM starts at another address): QEMU -kernel loads this at
 * 0x80200000, where OpenSBI enters it in S-mode with a0 = hart id and
 * a1 = FDT, and it jumps with both kept to L0_AT, where the boot runner has
 * QEMU's loader device put build/l0.bin (tests/boot/qemu.sh --load-at).
 */
	.text
	.globl _start
_start:
	li	t0, L0_AT
	jr	t0
