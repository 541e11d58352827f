/* SPDX-License-Identifier: MIT */
/* Bit-field helpers; fields are named masks, as the specs name them. */
#ifndef L0_BITS_H
#define L0_BITS_H

#ifdef __ASSEMBLER__
#define BIT(n) (1 << (n))
#else
#include <stdint.h>

#define BIT(n) (1UL << (n))
/* Bits h..l inclusive, e.g. GENMASK(63, 60) for satp.MODE. */
#define GENMASK(h, l) ((~0UL << (l)) & (~0UL >> (63 - (h))))

#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The shift of a mask's lowest set bit. */
static inline unsigned int field_shift(uint64_t mask)
{
	return (unsigned int)__builtin_ctzll(mask);
}

/* Extract the field `mask` from `reg`. */
static inline uint64_t field_get(uint64_t mask, uint64_t reg)
{
	return (reg & mask) >> field_shift(mask);
}

/* Place `val` in the field `mask`; bits of val beyond the field are dropped. */
static inline uint64_t field_prep(uint64_t mask, uint64_t val)
{
	return (val << field_shift(mask)) & mask;
}

/* Replace the field `mask` of `reg` by `val`. */
static inline uint64_t field_set(uint64_t mask, uint64_t reg, uint64_t val)
{
	return (reg & ~mask) | field_prep(mask, val);
}
#endif /* __ASSEMBLER__ */

#endif
