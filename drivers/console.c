// SPDX-License-Identifier: MIT
/* L0's console and printk: whole lines under one lock, never interleaved. */
#include <arch/sbi.h>
#include <drivers/uart.h>
#include <l0/console.h>
#include <l0/hostirq.h>
#include <l0/printf.h>
#include <l0/spinlock.h>
#include <string.h>

#define PRINTK_BUF 600

enum console_kind { CONSOLE_SBI_LEGACY, CONSOLE_SBI_DBCN, CONSOLE_UART };

static enum console_kind kind;
static spinlock_t console_lock;
static void (*input_sink)(uint8_t c);
/* A streamed line that has no newline yet, and whose it is. */
static const void *open_line_owner;

void console_init_early(void)
{
	kind = sbi_probe(SBI_EXT_DBCN) ? CONSOLE_SBI_DBCN : CONSOLE_SBI_LEGACY;
}

void console_init(const struct platform *p)
{
	if (!p->uart.present)
		return;
	if (!uart_init(&p->uart)) {
		printk("L0: the %s at 0x%llx keeps refusing its line setting; console on SBI\n",
		       p->uart.model->name, (unsigned long long)p->uart.base);
		return;
	}
	kind = CONSOLE_UART;
}

const char *console_name(void)
{
	static const char *const names[] = {
		[CONSOLE_SBI_LEGACY] = "SBI legacy putchar",
		[CONSOLE_SBI_DBCN] = "SBI DBCN",
	};

	return kind == CONSOLE_UART ? uart_name() : names[kind];
}

static void write_char(char c)
{
	if (kind == CONSOLE_UART) {
		if (c == '\n')
			uart_putc('\r');
		uart_putc(c);
	} else {
		sbi_legacy_putchar(c);
	}
}

void console_write(const char *s, size_t len)
{
	if (kind == CONSOLE_SBI_DBCN) {
		sbi_debug_console_write(s, len);
		return;
	}
	while (len--)
		write_char(*s++);
}

int printk(const char *fmt, ...)
{
	char buf[PRINTK_BUF];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = l0_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	spin_lock(&console_lock);
	if (open_line_owner) {
		console_write("\n", 1);
		open_line_owner = NULL;
	}
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	spin_unlock(&console_lock);
	return n;
}

void console_stream_char(const void *owner, const char *prefix, char c)
{
	spin_lock(&console_lock);
	if (open_line_owner != owner) {
		if (open_line_owner)
			console_write("\n", 1);
		console_write(prefix, strlen(prefix));
		open_line_owner = owner;
	}
	console_write(&c, 1);
	if (c == '\n')
		open_line_owner = NULL;
	spin_unlock(&console_lock);
}

static void console_irq(void)
{
	uart_handle_irq(input_sink);
}

bool console_enable_input(const struct platform *p, void (*sink)(uint8_t c))
{
	static bool input_on;

	if (kind != CONSOLE_UART || !p->uart.irq)
		return false;
	input_sink = sink;
	if (input_on)
		return true;
	if (!hostirq_own(p->uart.irq, console_irq))
		return false;
	uart_enable_rx_irq();
	input_on = true;
	return true;
}
