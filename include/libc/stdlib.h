/* SPDX-License-Identifier: MIT */
/* The one stdlib function the libfdt archive needs (core/string.c). */
#ifndef L0_LIBC_STDLIB_H
#define L0_LIBC_STDLIB_H

unsigned long strtoul(const char *s, char **end, int base);

#endif
