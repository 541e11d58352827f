/* SPDX-License-Identifier: MIT */
/* L0's console: the FDT's 16550 when it has one, SBI DBCN otherwise. */
#ifndef L0_CONSOLE_H
#define L0_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <l0/platform.h>

/* Before the FDT is read: write through SBI. */
void console_init_early(void);
/* Switch to the platform's UART when there is one. */
void console_init(const struct platform *p);
void console_write(const char *s, size_t len);
const char *console_name(void);

/*
 * Write `c` as part of `owner`'s current line, starting the line with
 * `prefix`; another owner's output, or a printk, first ends an open line.
 */
void console_stream_char(const void *owner, const char *prefix, char c);

/*
 * Hand each byte typed on the UART to `sink`, from its interrupt (through
 * core/hostirq.c, on the boot hart); a second call only changes the sink.
 * False when the platform gives L0 no way to take that interrupt (no host
 * interrupt controller target, a source not routed to L0, SBI console).
 */
bool console_enable_input(const struct platform *p, void (*sink)(uint8_t c));

#endif
