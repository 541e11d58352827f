/* SPDX-License-Identifier: MIT */
/* Zeroing large ranges: cbo.zero when the hart may use it (arch/riscv/zero.c). */
#ifndef ARCH_ZERO_H
#define ARCH_ZERO_H

#include <stddef.h>
#include <stdint.h>

/* Use cbo.zero with `block`-byte blocks, if the firmware lets S-mode. */
void zero_init(uint32_t block);

/* The cbo.zero block size in use; 0: memset. */
size_t zero_block_size(void);

/* Zero [p, p + len): any range, the aligned blocks in it by cbo.zero. */
void zero_range(void *p, size_t len);

#endif
