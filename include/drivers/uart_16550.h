/* SPDX-License-Identifier: MIT */
/* A polled NS16550-compatible UART. */
#ifndef DRIVERS_UART_16550_H
#define DRIVERS_UART_16550_H

#include <l0/platform.h>

void uart_16550_init(const struct platform_uart *u);
void uart_16550_putc(char c);

#endif
