// SPDX-License-Identifier: MIT
/*
 * Synopsys DesignWare APB UART (snps,dw-apb-uart; ESWIN EIC7700's). With
 * busy detect configured, it ignores a write of LCR while it is busy (a
 * character in the shifter or in the receive FIFO) and raises the "busy
 * detect" interrupt (IIR 0x7) instead, which only a read of USR clears
 * (DW_apb_uart databook, "Busy Functionality"). So LCR is written until it
 * reads back, with the transmitter drained and the receiver emptied between
 * tries; and the interrupt handler reads USR on a busy-detect interrupt.
 */
#include <drivers/uart.h>

#define DW_USR 0x1f	     /* UART status register */
#define DW_IIR_BUSY 0x07     /* IIR: busy detect indication */
#define DW_LCR_TRIES 100     /* each try waits for the transmitter */
#define DW_DRAIN_SPINS 10000 /* LSR reads while one character leaves */

static void dw_force_idle(const struct uart_port *p)
{
	for (int i = 0; i < DW_DRAIN_SPINS; i++)
		if (uart_read(p, UART_LSR) & LSR_TEMT)
			break;
	uart_write(p, UART_FCR, FCR_FIFO_EN | FCR_CLEAR_RX);
	(void)uart_read(p, UART_RBR);
	(void)uart_read(p, DW_USR); /* clears a busy-detect interrupt */
}

static bool dw_set_lcr(const struct uart_port *p, uint8_t v)
{
	for (int i = 0; i < DW_LCR_TRIES; i++) {
		uart_write(p, UART_LCR, v);
		if ((uart_read(p, UART_LCR) & 0xff) == v)
			return true;
		dw_force_idle(p);
	}
	return false;
}

static void dw_irq_quirk(const struct uart_port *p, uint8_t iir)
{
	if ((iir & IIR_ID) == DW_IIR_BUSY)
		(void)uart_read(p, DW_USR);
}

const struct uart_model uart_dw_apb = {
	.compatible = "snps,dw-apb-uart",
	.name = "DesignWare APB UART",
	.ier_rx = IER_ERBFI,
	.set_lcr = dw_set_lcr,
	.irq_quirk = dw_irq_quirk,
};
