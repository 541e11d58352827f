// SPDX-License-Identifier: MIT
/*
 * core/vuart.c: the emulated 16550A's registers, FIFO and interrupts,
 * including the exact sequences Linux's 8250 driver uses to probe THRE.
 */
#include <stdbool.h>
#include <string.h>

#include <l0/bits.h>
#include <l0/vuart.h>

#include "stubs.h"

#define RBR 0
#define THR 0
#define DLL 0
#define IER 1
#define DLM 1
#define IIR 2
#define FCR 2
#define LCR 3
#define MCR 4
#define LSR 5
#define MSR 6
#define SCR 7

#define IER_RDI 0x01
#define IER_THRI 0x02
#define IIR_NO_INT 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define LSR_DR 0x01
#define LSR_TEMT 0x40
#define LSR_IDLE 0x60 /* THRE | TEMT */

static struct vuart uart;
static uint8_t sent[64];
static unsigned int nsent;

static void record_tx(void *ctx, uint8_t byte)
{
	assert_ptr_equal(ctx, &nsent);
	assert_true(nsent < sizeof(sent));
	sent[nsent++] = byte;
}

static int setup(void **state)
{
	(void)state;
	stub_reset();
	nsent = 0;
	vuart_init(&uart, record_tx, &nsent);
	return 0;
}

static uint8_t rd(uint64_t off)
{
	return vuart_read(&uart, off);
}

static void wr(uint64_t off, uint8_t v)
{
	vuart_write(&uart, off, v);
}

static void test_reset_state(void **state)
{
	(void)state;
	assert_int_equal(rd(IER), 0);
	assert_int_equal(rd(IIR), IIR_NO_INT);
	assert_int_equal(rd(LCR), 0);
	assert_int_equal(rd(MCR), 0);
	assert_int_equal(rd(LSR), LSR_IDLE);
	assert_int_equal(rd(MSR), 0xb0);
	assert_int_equal(rd(SCR), 0);
	assert_int_equal(rd(RBR), 0);
	assert_false(vuart_irq_level(&uart));
}

static void test_tx_callback_gets_bytes(void **state)
{
	static const char msg[] = "hello\r\n\0\xff";

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		wr(THR, (uint8_t)msg[i]);
	assert_int_equal(nsent, sizeof(msg));
	assert_memory_equal(sent, msg, sizeof(msg));
	assert_int_equal(rd(LSR), LSR_IDLE); /* transmit is instant */
}

static void test_no_tx_callback(void **state)
{
	(void)state;
	vuart_init(&uart, NULL, NULL);
	wr(IER, IER_THRI);
	wr(THR, 'x');
	assert_int_equal(rd(LSR), LSR_IDLE);
	assert_int_equal(rd(IIR), IIR_THRI);
}

static void test_dlab_switching(void **state)
{
	(void)state;
	wr(IER, 0x05);
	wr(LCR, 0x83); /* DLAB, 8N1 */
	wr(DLL, 0x0c);
	wr(DLM, 0x01);
	assert_int_equal(nsent, 0); /* a DLL write is not a transmit */
	assert_int_equal(rd(DLL), 0x0c);
	assert_int_equal(rd(DLM), 0x01);
	assert_int_equal(rd(LCR), 0x83);
	wr(LCR, 0x03);
	assert_int_equal(rd(IER), 0x05); /* IER untouched by the DLM write */
	wr(THR, 'a');
	assert_int_equal(nsent, 1);
	wr(LCR, 0x83);
	assert_int_equal(rd(DLL), 0x0c); /* DLL untouched by the THR write */
	assert_int_equal(rd(DLM), 0x01);
	/* With DLAB set, offset 0 reads DLL and does not pop the FIFO. */
	vuart_receive(&uart, 'z');
	assert_int_equal(rd(RBR), 0x0c);
	wr(LCR, 0x03);
	assert_int_equal(rd(RBR), 'z');
}

static void test_register_masks(void **state)
{
	(void)state;
	wr(SCR, 0x5a);
	assert_int_equal(rd(SCR), 0x5a);
	wr(IER, 0xff);
	assert_int_equal(rd(IER), 0x0f);
	wr(MCR, 0xff);
	assert_int_equal(rd(MCR), 0x1f);
	wr(MCR, 0x0b);
	/* LSR and MSR are read-only; nothing lives beyond SCR. */
	wr(LSR, 0x00);
	wr(MSR, 0x00);
	assert_int_equal(rd(LSR), LSR_IDLE);
	assert_int_equal(rd(MSR), 0xb0);
	for (uint64_t off = 8; off < VUART_SIZE; off++) {
		wr(off, 0xff);
		assert_int_equal(rd(off), 0);
	}
	wr(UINT64_MAX, 0xff);
	assert_int_equal(rd(UINT64_MAX), 0);
	assert_int_equal(rd(SCR), 0x5a);
	assert_int_equal(nsent, 0);
}

static void test_rx_fifo_order(void **state)
{
	(void)state;
	assert_true(vuart_receive(&uart, 'a'));
	assert_true(vuart_receive(&uart, 'b'));
	assert_true(vuart_receive(&uart, 'c'));
	assert_int_equal(rd(LSR), LSR_IDLE | LSR_DR);
	assert_int_equal(rd(RBR), 'a');
	assert_int_equal(rd(RBR), 'b');
	assert_int_equal(rd(LSR), LSR_IDLE | LSR_DR);
	assert_int_equal(rd(RBR), 'c');
	assert_int_equal(rd(LSR), LSR_IDLE);
	assert_int_equal(rd(RBR), 0); /* empty */
	assert_int_equal(rd(LSR), LSR_IDLE);
}

static void test_rx_overflow_drops(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < VUART_RX_FIFO; i++)
		assert_true(vuart_receive(&uart, (uint8_t)i));
	assert_false(vuart_receive(&uart, 0xee));
	assert_int_equal(uart.rx_count, VUART_RX_FIFO);
	/* Make room for two and wrap around the ring. */
	assert_int_equal(rd(RBR), 0);
	assert_int_equal(rd(RBR), 1);
	assert_true(vuart_receive(&uart, 0xa0));
	assert_true(vuart_receive(&uart, 0xa1));
	assert_false(vuart_receive(&uart, 0xee));
	for (unsigned int i = 2; i < VUART_RX_FIFO; i++)
		assert_int_equal(rd(RBR), i);
	assert_int_equal(rd(RBR), 0xa0);
	assert_int_equal(rd(RBR), 0xa1);
	assert_int_equal(rd(LSR), LSR_IDLE);
}

static void test_fcr(void **state)
{
	(void)state;
	wr(FCR, 0x01); /* FIFOs on: IIR bits 7:6 say so */
	assert_int_equal(rd(IIR), 0xc0 | IIR_NO_INT);
	assert_int_equal(rd(IIR) >> 6, 3); /* Linux's 16550A check */
	vuart_receive(&uart, 'x');
	vuart_receive(&uart, 'y');
	wr(FCR, 0x03); /* clear the receive FIFO, stay enabled */
	assert_int_equal(rd(LSR), LSR_IDLE);
	assert_int_equal(rd(RBR), 0);
	assert_int_equal(rd(IIR), 0xc0 | IIR_NO_INT);
	/* Clearing is a pulse: the FIFO works afterwards. */
	vuart_receive(&uart, 'z');
	wr(FCR, 0xc1);
	assert_int_equal(rd(RBR), 'z');
	/* Turning the FIFOs off empties them too, and IIR bits 7:6 drop. */
	vuart_receive(&uart, 'w');
	wr(FCR, 0x00);
	assert_int_equal(rd(LSR), LSR_IDLE);
	assert_int_equal(rd(IIR), IIR_NO_INT);
}

static void test_rx_irq_level(void **state)
{
	(void)state;
	vuart_receive(&uart, 'q');
	/* ERBFI off: data is there but no interrupt. */
	assert_int_equal(rd(IIR), IIR_NO_INT);
	assert_false(vuart_irq_level(&uart));
	wr(IER, IER_RDI);
	assert_true(vuart_irq_level(&uart));
	assert_int_equal(rd(IIR), IIR_RDI);
	assert_int_equal(rd(IIR), IIR_RDI); /* reading IIR does not clear it */
	assert_int_equal(rd(RBR), 'q');
	assert_false(vuart_irq_level(&uart));
	assert_int_equal(rd(IIR), IIR_NO_INT);
	vuart_receive(&uart, 'r');
	assert_true(vuart_irq_level(&uart));
	wr(IER, 0);
	assert_false(vuart_irq_level(&uart));
}

static void test_iir_priority(void **state)
{
	(void)state;
	wr(FCR, 0x01);
	wr(IER, IER_RDI | IER_THRI); /* THRE pending from the 0->1 edge */
	vuart_receive(&uart, 'k');
	/* Received data outranks THRE, and reporting it keeps THRE. */
	assert_int_equal(rd(IIR), 0xc0 | IIR_RDI);
	assert_int_equal(rd(IIR), 0xc0 | IIR_RDI);
	assert_int_equal(rd(RBR), 'k');
	assert_true(vuart_irq_level(&uart));
	assert_int_equal(rd(IIR), 0xc0 | IIR_THRI);
	assert_false(vuart_irq_level(&uart));
	assert_int_equal(rd(IIR), 0xc0 | IIR_NO_INT);
}

static void test_thre_on_etbei_edge(void **state)
{
	(void)state;
	wr(IER, IER_THRI);
	assert_true(vuart_irq_level(&uart));
	assert_int_equal(rd(IIR), IIR_THRI);
	/* Reported once: the IIR read cleared it. */
	assert_false(vuart_irq_level(&uart));
	assert_int_equal(rd(IIR), IIR_NO_INT);
	/* Writing IER with ETBEI still set is no edge. */
	wr(IER, IER_THRI | IER_RDI);
	assert_int_equal(rd(IIR), IIR_NO_INT);
	/* 1 -> 0 -> 1 is. */
	wr(IER, 0);
	wr(IER, IER_THRI);
	assert_int_equal(rd(IIR), IIR_THRI);
}

static void test_thre_after_thr_write(void **state)
{
	(void)state;
	wr(IER, IER_THRI);
	assert_int_equal(rd(IIR), IIR_THRI);
	assert_false(vuart_irq_level(&uart));
	/* Each byte empties THR at once, which raises THRE again. */
	for (int i = 0; i < 3; i++) {
		wr(THR, (uint8_t)('0' + i));
		assert_true(vuart_irq_level(&uart));
		assert_int_equal(rd(IIR), IIR_THRI);
		assert_false(vuart_irq_level(&uart));
	}
	assert_int_equal(nsent, 3);
	/* A DLL write with DLAB set is not a THR write. */
	wr(LCR, 0x80);
	wr(DLL, 1);
	wr(LCR, 0x00);
	assert_false(vuart_irq_level(&uart));
}

static void test_thre_masked_then_enabled(void **state)
{
	(void)state;
	/* Polled output, interrupt masked: no line, IIR shows nothing. */
	wr(THR, 'p');
	assert_false(vuart_irq_level(&uart));
	assert_int_equal(rd(IIR), IIR_NO_INT);
	/* An IIR read that did not report THRE did not clear it. */
	wr(IER, IER_THRI);
	assert_int_equal(rd(IIR), IIR_THRI);
	assert_int_equal(rd(IIR), IIR_NO_INT);
}

/*
 * serial8250_do_startup()'s UART_BUG_THRE test: a UART that shows THRE on
 * the first enable but not after IER 0 -> ETBEI again is marked buggy and
 * polled by a timer.
 */
static void test_linux_bug_thre_probe(void **state)
{
	uint8_t iir1, iir;

	(void)state;
	wr(FCR, 0x01);
	wr(MCR, 0x0b); /* DTR | RTS | OUT2 */
	assert_true(rd(LSR) & 0x20);
	wr(IER, IER_THRI);
	rd(LCR); /* serial_port_out_sync */
	iir1 = rd(IIR);
	wr(IER, 0);
	wr(IER, IER_THRI);
	rd(LCR);
	iir = rd(IIR);
	wr(IER, 0);
	assert_false(iir1 & IIR_NO_INT);
	assert_false(iir & IIR_NO_INT);
	assert_false(!(iir1 & IIR_NO_INT) && (iir & IIR_NO_INT));
	assert_false(vuart_irq_level(&uart));
}

/*
 * serial8250_do_startup()'s UART_BUG_TXEN test: enabling ETBEI on an idle
 * transmitter must show an interrupt in IIR.
 */
static void test_linux_bug_txen_probe(void **state)
{
	uint8_t lsr, iir;

	(void)state;
	wr(THR, 'x'); /* whatever came before */
	wr(IER, IER_THRI);
	lsr = rd(LSR);
	iir = rd(IIR);
	wr(IER, 0);
	assert_false((lsr & LSR_TEMT) && (iir & IIR_NO_INT));
}

/*
 * The interrupt-driven transmit of serial8250_start_tx() and
 * serial8250_tx_chars(): set ETBEI, take the interrupt, fill THR, take the
 * next interrupt, and clear ETBEI once the buffer is empty.
 */
static void test_linux_interrupt_driven_tx(void **state)
{
	static const char msg[] = "login: ";
	size_t next = 0;
	int irqs = 0;

	(void)state;
	wr(IER, IER_RDI | IER_THRI); /* __start_tx */
	while (vuart_irq_level(&uart)) {
		assert_int_equal(rd(IIR), IIR_THRI);
		assert_true(++irqs < 10);
		if (next == strlen(msg)) {
			wr(IER, IER_RDI); /* nothing left: __stop_tx */
			continue;
		}
		/* serial8250_tx_chars: up to tx_loadsz bytes per interrupt */
		for (int n = 0; n < 4 && next < strlen(msg); n++)
			wr(THR, (uint8_t)msg[next++]);
	}
	assert_int_equal(irqs, 3);
	assert_int_equal(nsent, strlen(msg));
	assert_memory_equal(sent, msg, strlen(msg));
	assert_int_equal(rd(IIR), IIR_NO_INT);
}

static void test_loopback(void **state)
{
	(void)state;
	/* Linux's autoconfig loopback check: MCR = LOOP | OUT2 | RTS. */
	wr(MCR, 0x10 | 0x0a);
	assert_int_equal(rd(MSR) & 0xf0, 0x90);
	wr(MCR, 0x10 | 0x05); /* DTR | OUT1 */
	assert_int_equal(rd(MSR) & 0xf0, 0x60);
	/* Transmitted bytes come back instead of leaving. */
	wr(IER, IER_RDI);
	wr(THR, 'L');
	assert_int_equal(nsent, 0);
	assert_true(vuart_irq_level(&uart));
	assert_int_equal(rd(RBR), 'L');
	wr(MCR, 0x0b);
	assert_int_equal(rd(MSR), 0xb0);
	wr(THR, 'T');
	assert_int_equal(nsent, 1);
	assert_int_equal(sent[0], 'T');
	assert_int_equal(rd(LSR), LSR_IDLE);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

/*
 * The accesses QEMU's ns16550a on virt takes (serial-mm: 1 to 8 bytes,
 * naturally aligned) are taken; others, and offsets past the window, not.
 */
static void test_access_widths(void **state)
{
	static const struct {
		uint64_t off;
		unsigned int width;
		bool ok;
	} cases[] = {
		{ RBR, 1, true },    { RBR, 2, true },	  { RBR, 4, true },
		{ RBR, 8, true },    { LSR, 1, true },	  { SCR, 1, true },
		{ 8, 8, true },	     { 0xf8, 8, true },	  { 0xff, 1, true },
		{ LCR, 2, false },   { IER, 4, false },	  { 2, 4, false },
		{ 4, 8, false },     { RBR, 0, false },	  { RBR, 3, false },
		{ RBR, 16, false },  { 0x100, 1, false }, { 0xfc, 8, false },
		{ ~0ULL, 1, false },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		if (vuart_access_ok(cases[i].off, cases[i].width) !=
		    cases[i].ok)
			fail_msg("%u bytes at 0x%llx: want %s", cases[i].width,
				 (unsigned long long)cases[i].off,
				 cases[i].ok ? "taken" : "a fault");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_state),
		T(test_tx_callback_gets_bytes),
		T(test_no_tx_callback),
		T(test_dlab_switching),
		T(test_register_masks),
		T(test_rx_fifo_order),
		T(test_rx_overflow_drops),
		T(test_fcr),
		T(test_rx_irq_level),
		T(test_iir_priority),
		T(test_thre_on_etbei_edge),
		T(test_thre_after_thr_write),
		T(test_thre_masked_then_enabled),
		T(test_linux_bug_thre_probe),
		T(test_linux_bug_txen_probe),
		T(test_linux_interrupt_driven_tx),
		T(test_loopback),
		T(test_access_widths),
	};

	return cmocka_run_group_tests_name("vuart", tests, NULL, NULL);
}
