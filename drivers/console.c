// SPDX-License-Identifier: MIT
/* L0's console and printk: whole lines under one lock, never interleaved. */
#include <arch/sbi.h>
#include <drivers/uart_16550.h>
#include <l0/console.h>
#include <l0/printf.h>
#include <l0/spinlock.h>

#define PRINTK_BUF 512

enum console_kind { CONSOLE_SBI_LEGACY, CONSOLE_SBI_DBCN, CONSOLE_UART };

static enum console_kind kind;
static spinlock_t console_lock;

void console_init_early(void)
{
	kind = sbi_probe(SBI_EXT_DBCN) ? CONSOLE_SBI_DBCN : CONSOLE_SBI_LEGACY;
}

void console_init(const struct platform *p)
{
	if (!p->uart.present)
		return;
	uart_16550_init(&p->uart);
	kind = CONSOLE_UART;
}

const char *console_name(void)
{
	static const char *const names[] = {
		[CONSOLE_SBI_LEGACY] = "SBI legacy putchar",
		[CONSOLE_SBI_DBCN] = "SBI DBCN",
		[CONSOLE_UART] = "16550 UART",
	};

	return names[kind];
}

static void write_char(char c)
{
	if (kind == CONSOLE_UART) {
		if (c == '\n')
			uart_16550_putc('\r');
		uart_16550_putc(c);
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
	console_write(buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
	spin_unlock(&console_lock);
	return n;
}
