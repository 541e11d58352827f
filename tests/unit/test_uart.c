// SPDX-License-Identifier: MIT
/*
 * drivers/uart/ against a register-level fake of each model, since QEMU
 * presents none but the 16550A. The fake sees the driver's bus accesses
 * (uart_mmio_read/write: address and width), decodes them with the model's
 * own stride and width, and behaves as the hardware does where the models
 * differ: the 16550's divisor latch, DesignWare's busy detect (LCR writes
 * ignored while busy, the busy-detect interrupt until USR is read),
 * XScale's unit enable (THR writes lost while IER.UUE is clear).
 */
#include <string.h>

#include <drivers/uart.h>
#include <l0/bits.h>

#include "stubs.h"

#define FAKE_BASE 0x50900000UL
#define DW_USR 0x1f
#define XSCALE_UUE 0x40
#define XSCALE_RTOIE 0x10

enum fake_kind { FAKE_16550, FAKE_DW, FAKE_XSCALE };

static struct fake {
	enum fake_kind kind;
	unsigned int shift, width;
	uint8_t ier, lcr, dll;
	char out[64]; /* what the line sent */
	size_t nout;
	uint8_t in[16]; /* the receive FIFO */
	size_t nin;
	unsigned int tx_busy;	  /* LSR reads until the shifter is empty */
	bool stuck;		  /* DesignWare: busy for good */
	bool busy_irq;		  /* DesignWare: busy detect pending */
	unsigned int lcr_ignored; /* DesignWare: LCR writes dropped */
	unsigned int lost;	  /* XScale: THR writes while the unit is off */
	unsigned int bad;	  /* accesses of the wrong width or place */
} f;

/* What the device tree says: reg-shift and reg-io-width. */
static unsigned int node_shift, node_width;

static bool dw_busy(void)
{
	return f.stuck || f.tx_busy || f.nin;
}

/* The register an access reaches, or -1 (and a bad access). */
static int decode(uintptr_t addr, unsigned int width)
{
	uintptr_t off = addr - FAKE_BASE;

	if (addr < FAKE_BASE || width != f.width ||
	    off & ((1UL << f.shift) - 1) || (off >> f.shift) > DW_USR) {
		f.bad++;
		return -1;
	}
	return (int)(off >> f.shift);
}

static uint8_t pop_rx(void)
{
	uint8_t c = f.in[0];

	memmove(f.in, f.in + 1, --f.nin);
	return c;
}

uint32_t uart_mmio_read(uintptr_t addr, unsigned int width)
{
	switch (decode(addr, width)) {
	case UART_RBR:
		if (f.lcr & LCR_DLAB)
			return f.dll;
		return f.nin ? pop_rx() : 0;
	case UART_IER:
		return f.ier;
	case UART_IIR:
		if (f.busy_irq)
			return 0xc7;
		return f.nin && (f.ier & IER_ERBFI) ? 0xc4 : 0xc1;
	case UART_LCR:
		return f.lcr;
	case UART_LSR:
		if (f.tx_busy) {
			f.tx_busy--;
			return f.nin ? LSR_DR : 0;
		}
		return (f.nin ? LSR_DR : 0) | LSR_THRE | LSR_TEMT;
	case DW_USR:
		if (f.kind != FAKE_DW)
			return 0;
		f.busy_irq = false;
		return dw_busy();
	default:
		return 0;
	}
}

void uart_mmio_write(uintptr_t addr, unsigned int width, uint32_t v)
{
	switch (decode(addr, width)) {
	case UART_THR:
		if (f.lcr & LCR_DLAB)
			f.dll = (uint8_t)v;
		else if (f.kind == FAKE_XSCALE && !(f.ier & XSCALE_UUE))
			f.lost++;
		else if (f.nout < sizeof(f.out) - 1)
			f.out[f.nout++] = (char)v, f.tx_busy = 3;
		break;
	case UART_IER:
		if (!(f.lcr & LCR_DLAB))
			f.ier = (uint8_t)v;
		break;
	case UART_FCR:
		if (v & FCR_CLEAR_RX)
			f.nin = 0;
		break;
	case UART_LCR:
		if (f.kind == FAKE_DW && dw_busy()) {
			f.lcr_ignored++;
			f.busy_irq = true;
		} else {
			f.lcr = (uint8_t)v;
		}
		break;
	default:
		break;
	}
}

static void fake_reset(enum fake_kind kind, unsigned int shift,
		       unsigned int width)
{
	memset(&f, 0, sizeof(f));
	f.kind = kind;
	f.shift = shift;
	f.width = width;
	f.lcr = LCR_WLEN8;
	node_shift = shift;
	node_width = width;
}

static bool start(const struct uart_model *m)
{
	struct platform_uart u = { .present = true,
				   .model = m,
				   .base = FAKE_BASE,
				   .reg_shift = node_shift,
				   .reg_io_width = node_width };

	return uart_init(&u);
}

static void put(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

static char got[16];
static size_t ngot;

static void sink(uint8_t c)
{
	if (ngot < sizeof(got) - 1)
		got[ngot++] = (char)c;
}

/* Firmware left the divisor latch open: init closes it, output arrives. */
static void test_16550_dlab_and_output(void **state)
{
	(void)state;
	fake_reset(FAKE_16550, 0, 1);
	f.lcr = LCR_DLAB | LCR_WLEN8;
	assert_true(start(&uart_ns16550a));
	assert_int_equal(f.lcr, LCR_WLEN8);
	put("hi\n");
	assert_string_equal(f.out, "hi\n");
	assert_string_equal(uart_name(), "16550 UART");
	assert_int_equal(f.bad, 0);
}

static void test_16550_rx(void **state)
{
	(void)state;
	fake_reset(FAKE_16550, 2, 4);
	assert_true(start(&uart_ns16550));
	assert_int_equal(uart_getc(), -1);
	uart_enable_rx_irq();
	assert_int_equal(f.ier, IER_ERBFI);
	memcpy(f.in, "ok", 2);
	f.nin = 2;
	ngot = 0;
	uart_handle_irq(sink);
	got[ngot] = '\0';
	assert_string_equal(got, "ok");
	assert_int_equal(f.bad, 0);
}

/*
 * DesignWare busy at init (a character leaving, two received): the first
 * LCR writes are ignored; the driver drains, empties the FIFO, reads USR
 * and writes again until LCR reads back. Every access is 32 bits wide, 4
 * bytes apart (reg-shift 2, reg-io-width 4, as on EIC7700).
 */
static void test_dw_busy_lcr(void **state)
{
	(void)state;
	fake_reset(FAKE_DW, 2, 4);
	f.lcr = 0x1b; /* 8E1 */
	f.tx_busy = 5;
	memcpy(f.in, "zz", 2);
	f.nin = 2;
	assert_true(start(&uart_dw_apb));
	assert_int_equal(f.lcr, LCR_WLEN8);
	assert_true(f.lcr_ignored >= 1);
	assert_false(f.busy_irq); /* USR was read */
	put("dw");
	assert_string_equal(f.out, "dw");
	assert_string_equal(uart_name(), "DesignWare APB UART");
	assert_int_equal(f.bad, 0);
}

/* A UART that stays busy: init gives up in bounded time, and says so. */
static void test_dw_stuck(void **state)
{
	(void)state;
	fake_reset(FAKE_DW, 2, 4);
	f.lcr = 0x1b;
	f.stuck = true;
	assert_false(start(&uart_dw_apb));
	assert_int_equal(f.lcr, 0x1b);
	assert_true(f.lcr_ignored > 1);
	assert_int_equal(f.bad, 0);
}

/* The busy-detect interrupt (IIR 7) is cleared by reading USR. */
static void test_dw_busy_irq(void **state)
{
	(void)state;
	fake_reset(FAKE_DW, 2, 4);
	assert_true(start(&uart_dw_apb));
	uart_enable_rx_irq();
	f.busy_irq = true;
	memcpy(f.in, "ab", 2);
	f.nin = 2;
	ngot = 0;
	uart_handle_irq(sink);
	got[ngot] = '\0';
	assert_string_equal(got, "ab");
	assert_false(f.busy_irq);
	assert_int_equal(f.bad, 0);
}

/* XScale: every IER write keeps UUE, so output is never lost. */
static void test_xscale_uue(void **state)
{
	(void)state;
	fake_reset(FAKE_XSCALE, 2, 4);
	f.ier = XSCALE_UUE;
	assert_true(start(&uart_xscale));
	assert_int_equal(f.ier, XSCALE_UUE);
	put("k3");
	uart_enable_rx_irq();
	assert_int_equal(f.ier, XSCALE_UUE | XSCALE_RTOIE | IER_ERBFI);
	put("!");
	assert_string_equal(f.out, "k3!");
	assert_int_equal(f.lost, 0);
	assert_string_equal(uart_name(), "XScale UART");
	assert_int_equal(f.bad, 0);
}

/* A firmware that left the unit off: init turns it on. */
static void test_xscale_unit_off(void **state)
{
	(void)state;
	fake_reset(FAKE_XSCALE, 2, 4);
	assert_true(start(&uart_xscale));
	put("x");
	assert_string_equal(f.out, "x");
	assert_int_equal(f.lost, 0);
}

/* The fake itself: accesses at the wrong width or stride miss. */
static void test_fake_catches_wrong_width(void **state)
{
	(void)state;
	fake_reset(FAKE_DW, 2, 4);
	f.width = 1; /* the node said 4, the hardware is 1 */
	assert_true(start(&uart_ns16550a));
	assert_true(f.bad > 0);
	fake_reset(FAKE_16550, 2, 4);
	f.shift = 0; /* the node said reg-shift 2, the hardware has 0 */
	f.lcr = 0x1b;
	start(&uart_ns16550a);
	assert_int_equal(f.lcr, 0x1b); /* LCR's write landed elsewhere */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_16550_dlab_and_output),
		cmocka_unit_test(test_16550_rx),
		cmocka_unit_test(test_dw_busy_lcr),
		cmocka_unit_test(test_dw_stuck),
		cmocka_unit_test(test_dw_busy_irq),
		cmocka_unit_test(test_xscale_uue),
		cmocka_unit_test(test_xscale_unit_off),
		cmocka_unit_test(test_fake_catches_wrong_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
