// SPDX-License-Identifier: MIT
/* Polled output on an NS16550-compatible UART, as the FDT describes it. */
#include <stdint.h>

#include <drivers/uart_16550.h>

#define UART_RBR 0     /* receive buffer register */
#define UART_THR 0     /* transmit holding register */
#define UART_IER 1     /* interrupt enable register */
#define UART_LSR 5     /* line status register */
#define IER_ERBFI 0x01 /* received data available */
#define LSR_DR 0x01
#define LSR_THRE 0x20

static struct platform_uart uart;

static uint32_t reg_read(unsigned int reg)
{
	uintptr_t a = (uintptr_t)uart.base + (reg << uart.reg_shift);

	if (uart.reg_io_width == 4)
		return *(volatile uint32_t *)a;
	return *(volatile uint8_t *)a;
}

static void reg_write(unsigned int reg, uint32_t v)
{
	uintptr_t a = (uintptr_t)uart.base + (reg << uart.reg_shift);

	if (uart.reg_io_width == 4)
		*(volatile uint32_t *)a = v;
	else
		*(volatile uint8_t *)a = (uint8_t)v;
}

/* Firmware has set the baud rate already; L0 keeps its settings. */
void uart_16550_init(const struct platform_uart *u)
{
	uart = *u;
}

void uart_16550_putc(char c)
{
	while (!(reg_read(UART_LSR) & LSR_THRE))
		;
	reg_write(UART_THR, (unsigned char)c);
}

void uart_16550_enable_rx_irq(void)
{
	reg_write(UART_IER, IER_ERBFI);
}

int uart_16550_getc(void)
{
	if (!(reg_read(UART_LSR) & LSR_DR))
		return -1;
	return (int)reg_read(UART_RBR);
}
