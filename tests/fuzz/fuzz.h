/* SPDX-License-Identifier: MIT */
/*
 * Shared by the fuzz targets: their input, read as a stream of little-
 * endian numbers (past its end every number reads 0, so any input is a
 * whole stream), and the oracle's check.
 */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct input {
	const uint8_t *p;
	size_t n;
};

/* The next `bytes` (at most 8) bytes as a number. */
static inline uint64_t get(struct input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes && in->n; i++, in->n--)
		v |= (uint64_t)*in->p++ << (8 * i);
	return v;
}

/* An oracle: when `cond` is false, say what broke and abort (a finding). */
#define CHECK(cond, ...)                                         \
	do {                                                     \
		if (!(cond)) {                                   \
			fprintf(stderr, "oracle: " __VA_ARGS__); \
			fprintf(stderr, " (%s)\n", #cond);       \
			abort();                                 \
		}                                                \
	} while (0)

#endif
