// SPDX-License-Identifier: MIT
/*
 * The 16550 core of L0's host UART drivers: polled output, received bytes
 * by interrupt. The model (drivers/uart/<model>.c) adds its quirks.
 */
#include <libfdt.h>
#include <string.h>

#include <drivers/uart.h>

/* Most specific first: uart_find_any() takes the first it finds. */
static const struct uart_model *const models[] = {
	&uart_dw_apb,
	&uart_xscale,
	&uart_ns16550a,
	&uart_ns16550,
};

static struct uart_port port;
static const struct uart_model *model;

const struct uart_model *uart_model_of(const void *fdt, int node)
{
	const char *c;

	for (int i = 0;
	     (c = fdt_stringlist_get(fdt, node, "compatible", i, NULL)) != NULL;
	     i++)
		for (size_t m = 0; m < sizeof(models) / sizeof(models[0]); m++)
			if (!strcmp(c, models[m]->compatible))
				return models[m];
	return NULL;
}

int uart_find_any(const void *fdt)
{
	for (size_t m = 0; m < sizeof(models) / sizeof(models[0]); m++) {
		int node = fdt_node_offset_by_compatible(fdt, -1,
							 models[m]->compatible);

		if (node >= 0)
			return node;
	}
	return -1;
}

uint32_t uart_read(const struct uart_port *p, unsigned int reg)
{
	return uart_mmio_read(p->base + (reg << p->reg_shift), p->io_width);
}

void uart_write(const struct uart_port *p, unsigned int reg, uint32_t v)
{
	uart_mmio_write(p->base + (reg << p->reg_shift), p->io_width, v);
}

bool uart_init(const struct platform_uart *u)
{
	port = (struct uart_port){ .base = u->base,
				   .reg_shift = u->reg_shift,
				   .io_width = u->reg_io_width };
	model = u->model;
	uart_write(&port, UART_IER, model->ier_keep);
	/* L0 sends 8-bit bytes, and needs RBR/THR at offset 0. */
	if (model->set_lcr)
		return model->set_lcr(&port, LCR_WLEN8);
	uart_write(&port, UART_LCR, LCR_WLEN8);
	return true;
}

const char *uart_name(void)
{
	return model->name;
}

void uart_putc(char c)
{
	while (!(uart_read(&port, UART_LSR) & LSR_THRE))
		;
	uart_write(&port, UART_THR, (unsigned char)c);
}

int uart_getc(void)
{
	if (!(uart_read(&port, UART_LSR) & LSR_DR))
		return -1;
	return (int)(uart_read(&port, UART_RBR) & 0xff);
}

void uart_enable_rx_irq(void)
{
	uart_write(&port, UART_IER, model->ier_keep | model->ier_rx);
}

void uart_handle_irq(void (*sink)(uint8_t c))
{
	uint8_t iir = (uint8_t)uart_read(&port, UART_IIR);
	int c;

	if (model->irq_quirk)
		model->irq_quirk(&port, iir);
	while ((c = uart_getc()) >= 0)
		sink((uint8_t)c);
}
