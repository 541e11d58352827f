// SPDX-License-Identifier: MIT
/* The UART's bus accesses, one per call, of the width its node says. */
#include <drivers/uart.h>

uint32_t uart_mmio_read(uintptr_t addr, unsigned int width)
{
	if (width == 4)
		return *(volatile uint32_t *)addr;
	return *(volatile uint8_t *)addr;
}

void uart_mmio_write(uintptr_t addr, unsigned int width, uint32_t v)
{
	if (width == 4)
		*(volatile uint32_t *)addr = v;
	else
		*(volatile uint8_t *)addr = (uint8_t)v;
}
