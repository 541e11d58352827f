// SPDX-License-Identifier: MIT
/* The NS16550(A) itself: the 16550 core without quirks. */
#include <drivers/uart.h>

const struct uart_model uart_ns16550a = {
	.compatible = "ns16550a",
	.name = "16550 UART",
	.ier_rx = IER_ERBFI,
};

const struct uart_model uart_ns16550 = {
	.compatible = "ns16550",
	.name = "16550 UART",
	.ier_rx = IER_ERBFI,
};
