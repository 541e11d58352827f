/* SPDX-License-Identifier: MIT */
/* Fatal errors: print one clear line and stop this hart. */
#ifndef L0_PANIC_H
#define L0_PANIC_H

#include <l0/printf.h>

void panic(const char *fmt, ...) L0_PRINTF(1, 2) __attribute__((noreturn));

#define BUG_ON(cond)                                                          \
	do {                                                                  \
		if (cond)                                                     \
			panic("BUG: %s at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif
