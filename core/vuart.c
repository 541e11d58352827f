// SPDX-License-Identifier: MIT
/*
 * The emulated 16550A. Transmit is instant: a byte written to THR goes to
 * the tx callback at once, so THR and the shift register are always empty
 * (LSR.THRE and LSR.TEMT always set) and the THRE interrupt is raised again
 * right after every THR write.
 *
 * The THRE interrupt behaves as on a real 16550, which Linux's 8250 driver
 * probes at startup (UART_BUG_THRE, UART_BUG_TXEN): it becomes pending
 * when THR empties and when IER.ETBEI goes from 0 to 1, and is cleared by
 * an IIR read that reports it (or by a THR write, which empties at once).
 *
 * In loopback (MCR bit 4) transmitted bytes are received instead, and MSR
 * reflects the MCR outputs, as Linux's autoconfig loopback test expects.
 */
#include <l0/bits.h>
#include <l0/vuart.h>

/* Register offsets (reg-shift 0). */
#define UART_RBR 0 /* read, DLAB = 0 */
#define UART_THR 0 /* write, DLAB = 0 */
#define UART_DLL 0 /* DLAB = 1 */
#define UART_IER 1 /* DLAB = 0 */
#define UART_DLM 1 /* DLAB = 1 */
#define UART_IIR 2 /* read */
#define UART_FCR 2 /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define IER_ERBFI 0x01 /* received data available */
#define IER_ETBEI 0x02 /* transmitter holding register empty */
#define IER_MASK 0x0f

#define IIR_NO_INT 0x01
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_FIFO 0xc0 /* FIFOs enabled */

#define FCR_FE 0x01   /* FIFO enable */
#define FCR_RFR 0x02  /* clear the receive FIFO */
#define FCR_KEEP 0xc9 /* FIFO enable, DMA mode, receive trigger */

#define LCR_DLAB 0x80

#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define MCR_MASK 0x1f

#define LSR_DR 0x01
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80

void vuart_init(struct vuart *u, void (*tx)(void *ctx, uint8_t byte), void *ctx)
{
	*u = (struct vuart){ .tx = tx, .ctx = ctx };
}

/* The interrupt IIR reports, without the FIFO bits and side effects. */
static uint8_t iir_id(const struct vuart *u)
{
	if ((u->ier & IER_ERBFI) && u->rx_count)
		return IIR_RDI;
	if ((u->ier & IER_ETBEI) && u->thr_irq_pending)
		return IIR_THRI;
	return IIR_NO_INT;
}

bool vuart_irq_level(const struct vuart *u)
{
	return !(iir_id(u) & IIR_NO_INT);
}

bool vuart_receive(struct vuart *u, uint8_t byte)
{
	if (u->rx_count >= VUART_RX_FIFO)
		return false;
	u->rx[(u->rx_head + u->rx_count) % VUART_RX_FIFO] = byte;
	u->rx_count++;
	return true;
}

static uint8_t rx_pop(struct vuart *u)
{
	uint8_t byte;

	if (!u->rx_count)
		return 0;
	byte = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VUART_RX_FIFO;
	u->rx_count--;
	return byte;
}

static void rx_clear(struct vuart *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

static bool dlab(const struct vuart *u)
{
	return u->lcr & LCR_DLAB;
}

static uint8_t read_iir(struct vuart *u)
{
	uint8_t id = iir_id(u);

	if (id == IIR_THRI)
		u->thr_irq_pending = false;
	return id | ((u->fcr & FCR_FE) ? IIR_FIFO : 0);
}

static uint8_t read_msr(const struct vuart *u)
{
	uint8_t msr = 0;

	if (!(u->mcr & MCR_LOOP))
		return MSR_DCD | MSR_DSR | MSR_CTS;
	if (u->mcr & MCR_DTR)
		msr |= MSR_DSR;
	if (u->mcr & MCR_RTS)
		msr |= MSR_CTS;
	if (u->mcr & MCR_OUT1)
		msr |= MSR_RI;
	if (u->mcr & MCR_OUT2)
		msr |= MSR_DCD;
	return msr;
}

bool vuart_access_ok(uint64_t offset, unsigned int width)
{
	return offset < VUART_SIZE &&
	       (width == 1 || width == 2 || width == 4 || width == 8) &&
	       IS_ALIGNED(offset, width);
}

uint8_t vuart_read(struct vuart *u, uint64_t offset)
{
	switch (offset) {
	case UART_RBR:
		return dlab(u) ? u->dll : rx_pop(u);
	case UART_IER:
		return dlab(u) ? u->dlm : u->ier;
	case UART_IIR:
		return read_iir(u);
	case UART_LCR:
		return u->lcr;
	case UART_MCR:
		return u->mcr;
	case UART_LSR:
		return LSR_THRE | LSR_TEMT | (u->rx_count ? LSR_DR : 0);
	case UART_MSR:
		return read_msr(u);
	case UART_SCR:
		return u->scr;
	default:
		return 0;
	}
}

static void write_thr(struct vuart *u, uint8_t byte)
{
	if (u->mcr & MCR_LOOP)
		vuart_receive(u, byte);
	else if (u->tx)
		u->tx(u->ctx, byte);
	/* Sent at once: THR is empty again, which raises THRE. */
	u->thr_irq_pending = true;
}

static void write_ier(struct vuart *u, uint8_t value)
{
	bool was_etbei = u->ier & IER_ETBEI;

	u->ier = value & IER_MASK;
	if (!was_etbei && (u->ier & IER_ETBEI))
		u->thr_irq_pending = true; /* THR is always empty */
}

/* As on a 16550, turning the FIFOs on or off also empties them. */
static void write_fcr(struct vuart *u, uint8_t value)
{
	if ((value & FCR_RFR) || ((value ^ u->fcr) & FCR_FE))
		rx_clear(u);
	u->fcr = value & FCR_KEEP;
}

void vuart_write(struct vuart *u, uint64_t offset, uint8_t value)
{
	switch (offset) {
	case UART_THR:
		if (dlab(u))
			u->dll = value;
		else
			write_thr(u, value);
		break;
	case UART_IER:
		if (dlab(u))
			u->dlm = value;
		else
			write_ier(u, value);
		break;
	case UART_FCR:
		write_fcr(u, value);
		break;
	case UART_LCR:
		u->lcr = value;
		break;
	case UART_MCR:
		u->mcr = value & MCR_MASK;
		break;
	case UART_SCR:
		u->scr = value;
		break;
	default: /* LSR and MSR are read-only; nothing beyond SCR */
		break;
	}
}
