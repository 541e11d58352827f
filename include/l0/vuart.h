/* SPDX-License-Identifier: MIT */
/*
 * An emulated 16550A UART (the ns16550a of QEMU's virt machine), enough for
 * Linux's 8250 driver: polled and interrupt-driven transmit, receive from a
 * small FIFO, the interrupt identification register, and a level output for
 * the PLIC. Plain logic: the caller decodes MMIO and moves bytes.
 */
#ifndef L0_VUART_H
#define L0_VUART_H

#include <stdbool.h>
#include <stdint.h>

#define VUART_SIZE 0x100
#define VUART_RX_FIFO 16

struct vuart {
	/* Called for each byte the guest transmits. */
	void (*tx)(void *ctx, uint8_t byte);
	void *ctx;
	uint8_t ier, lcr, mcr, scr, dll, dlm, fcr;
	bool thr_irq_pending; /* THRE interrupt, cleared by reading IIR */
	uint8_t rx[VUART_RX_FIFO];
	unsigned int rx_head, rx_count;
};

void vuart_init(struct vuart *u, void (*tx)(void *ctx, uint8_t byte),
		void *ctx);

/*
 * A guest access to register `offset` (reg-shift 0, 1-byte registers);
 * offsets 8..VUART_SIZE-1 read 0 and ignore writes. Not locked: the caller
 * serializes the accesses to one vuart.
 */
uint8_t vuart_read(struct vuart *u, uint64_t offset);
void vuart_write(struct vuart *u, uint64_t offset, uint8_t value);

/*
 * Whether a guest access of `width` bytes at `offset` is one the device
 * takes: any naturally aligned access of 1, 2, 4 or 8 bytes below
 * VUART_SIZE, as QEMU's ns16550a on virt (serial-mm, reg-shift 0) takes
 * them. Such an access is one access to the register at `offset`: a load
 * gets that register zero-extended, a store writes the value's low byte.
 * Anything else is an access fault.
 */
bool vuart_access_ok(uint64_t offset, unsigned int width);

/* Queue a received byte; false when the FIFO is full (the byte is dropped). */
bool vuart_receive(struct vuart *u, uint8_t byte);

/* The interrupt line's level (IIR shows an interrupt pending). */
bool vuart_irq_level(const struct vuart *u);

#endif
