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

/*
 * The index of the lowest set bit of a non-zero `x`, at run time. Without
 * Zbb (the Makefile's -march is rv64gc) __builtin_ctzll() is a call to
 * libgcc's __ctzdi2, which looks a byte at a time (up to about 45
 * instructions); here the lowest bit times a de Bruijn sequence puts a
 * distinct 6-bit pattern in the product's top bits, which a table maps
 * back to the index (about 10).
 */
static inline unsigned int ctz64(uint64_t x)
{
#ifdef __riscv_zbb
	return (unsigned int)__builtin_ctzll(x);
#else
	static const uint8_t index[64] = {
		0,  1,	48, 2,	57, 49, 28, 3,	61, 58, 50, 42, 38, 29, 17, 4,
		62, 55, 59, 36, 53, 51, 43, 22, 45, 39, 33, 30, 24, 18, 12, 5,
		63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21, 44, 32, 23, 11,
		46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,	13, 8,	7,  6,
	};

	return index[((x & -x) * 0x03f79d71b4cb0a89ULL) >> 58];
#endif
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
