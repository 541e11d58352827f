/* SPDX-License-Identifier: MIT */
/* A polled NS16550-compatible UART. */
#ifndef DRIVERS_UART_16550_H
#define DRIVERS_UART_16550_H

#include <l0/platform.h>

void uart_16550_init(const struct platform_uart *u);
void uart_16550_putc(char c);
/* Received bytes raise the UART's interrupt. */
void uart_16550_enable_rx_irq(void);
/* A received byte, or -1 when there is none. */
int uart_16550_getc(void);

#endif
