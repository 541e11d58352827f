/* SPDX-License-Identifier: MIT */
/*
 * L0's host UART (drivers/uart/): the 16550 register set, driven by the
 * model that the node's `compatible` names. The models differ in quirks
 * only: DesignWare's busy detect, XScale's unit-enable bit.
 */
#ifndef DRIVERS_UART_H
#define DRIVERS_UART_H

#include <stdbool.h>
#include <stdint.h>

#include <l0/platform.h>

/* 16550 registers, in units of the register stride (reg-shift). */
#define UART_RBR 0 /* receive buffer (read) */
#define UART_THR 0 /* transmit holding (write) */
#define UART_IER 1 /* interrupt enable */
#define UART_IIR 2 /* interrupt identification (read) */
#define UART_FCR 2 /* FIFO control (write) */
#define UART_LCR 3 /* line control */
#define UART_LSR 5 /* line status */

#define IER_ERBFI 0x01 /* received data available */
#define IIR_ID 0x0f    /* the pending interrupt's identification */
#define FCR_FIFO_EN 0x01
#define FCR_CLEAR_RX 0x02
#define LCR_WLEN8 0x03 /* 8 data bits, 1 stop bit, no parity */
#define LCR_DLAB 0x80  /* offsets 0 and 1 are the divisor latch */
#define LSR_DR 0x01    /* data ready */
#define LSR_THRE 0x20  /* transmit holding register empty */
#define LSR_TEMT 0x40  /* transmitter empty */

struct uart_port {
	uintptr_t base;
	unsigned int reg_shift; /* register r is at base + (r << reg_shift) */
	unsigned int io_width;	/* bytes per access: 1 or 4 */
};

struct uart_model {
	const char *compatible;
	const char *name; /* for the banner */
	/* IER bits that must stay set (XScale's UUE: the unit is on). */
	uint8_t ier_keep;
	/* IER bits for receive interrupts. */
	uint8_t ier_rx;
	/* Set LCR to `v`; NULL: a plain write. False: the UART refused. */
	bool (*set_lcr)(const struct uart_port *p, uint8_t v);
	/* An interrupt the 16550 core does not know, by its IIR; or NULL. */
	void (*irq_quirk)(const struct uart_port *p, uint8_t iir);
};

/* The models, in drivers/uart/ (one file each, beside the 16550 core). */
extern const struct uart_model uart_ns16550a, uart_ns16550, uart_dw_apb,
	uart_xscale;

/*
 * The model for a device-tree node: its first `compatible` string that a
 * model has (the most specific one L0 drives). NULL when none.
 */
const struct uart_model *uart_model_of(const void *fdt, int node);
/* The first node some model drives, by the models' order; -1: none. */
int uart_find_any(const void *fdt);

/* Register access: base + (reg << reg_shift), io_width bytes wide. */
uint32_t uart_read(const struct uart_port *p, unsigned int reg);
void uart_write(const struct uart_port *p, unsigned int reg, uint32_t v);
/*
 * One bus access of `width` bytes (drivers/uart/io.c; the unit tests put a
 * register-level fake of each model here).
 */
uint32_t uart_mmio_read(uintptr_t addr, unsigned int width);
void uart_mmio_write(uintptr_t addr, unsigned int width, uint32_t v);

/*
 * Take over the UART the firmware set up (its baud rate is kept): 8N1 with
 * the divisor latch closed, interrupts off. False when the UART refused the
 * line setting (the console then stays on SBI).
 */
bool uart_init(const struct platform_uart *u);
const char *uart_name(void);
void uart_putc(char c);
/* A received byte, or -1 when there is none. */
int uart_getc(void);
/* Received bytes raise the UART's interrupt. */
void uart_enable_rx_irq(void);
/* The UART's interrupt: acknowledge it, hand each received byte to `sink`. */
void uart_handle_irq(void (*sink)(uint8_t c));

#endif
