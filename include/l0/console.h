/* SPDX-License-Identifier: MIT */
/* L0's console: the FDT's 16550 when it has one, SBI DBCN otherwise. */
#ifndef L0_CONSOLE_H
#define L0_CONSOLE_H

#include <stddef.h>

#include <l0/platform.h>

/* Before the FDT is read: write through SBI. */
void console_init_early(void);
/* Switch to the platform's UART when there is one. */
void console_init(const struct platform *p);
void console_write(const char *s, size_t len);
const char *console_name(void);

#endif
