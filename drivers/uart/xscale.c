// SPDX-License-Identifier: MIT
/*
 * The XScale (PXA) UART (intel,xscale-uart; SpacemiT K1/K3's). Its IER has
 * the unit enable bit UUE: a write of IER without it switches the UART off.
 * Received bytes below the FIFO's trigger level raise an interrupt only
 * with the receiver time-out enabled (RTOIE). (PXA2xx developer's manual,
 * "UART Interrupt Enable Register".)
 */
#include <drivers/uart.h>

#define XSCALE_IER_RTOIE 0x10 /* receiver time-out interrupt */
#define XSCALE_IER_UUE 0x40   /* UART unit enable */

const struct uart_model uart_xscale = {
	.compatible = "intel,xscale-uart",
	.name = "XScale UART",
	.ier_keep = XSCALE_IER_UUE,
	.ier_rx = IER_ERBFI | XSCALE_IER_RTOIE,
};
