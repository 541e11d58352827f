/* SPDX-License-Identifier: MIT */
/* Formatted output: a subset of C's printf, checked by the compiler. */
#ifndef L0_PRINTF_H
#define L0_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

#define L0_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))

/*
 * Supported: %d %i %u %x %X %o %c %s %p %% with flags '-', '0', width,
 * precision for %s, and length modifiers hh h l ll z.
 * Returns the length the full output would have had, like C's vsnprintf.
 */
int l0_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int l0_snprintf(char *buf, size_t size, const char *fmt, ...) L0_PRINTF(3, 4);

/* Print to L0's console (drivers/console.c). Lines are never interleaved. */
int printk(const char *fmt, ...) L0_PRINTF(1, 2);

#endif
