// SPDX-License-Identifier: MIT
/*
 * The SBI loop: a bare-metal L2 guest for the nested-MMU bench
 * (tests/bench/sbi-loop.sh). It makes SBILOOP_CALLS harmless SBI calls that
 * L1's KVM answers itself (BASE probe_extension of BASE), so that L0 can
 * count its own traps per L2 call. Its lines go to the 16550 at 0x10000000
 * (QEMU virt's UART, L1's QEMU's -serial); SBI SRST powers it off, which KVM
 * hands to L1's QEMU, which exits.
 */
#include <stdint.h>

#define SBILOOP_CALLS 20000UL

#define UART_BASE 0x10000000UL
#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

#define SBI_EXT_BASE 0x10
#define SBI_BASE_PROBE_EXT 3
#define SBI_EXT_SRST 0x53525354
#define SBI_SRST_SHUTDOWN 0

struct sbiret {
	long error;
	long value;
};

void sbiloop_main(unsigned long hartid, const void *fdt);

static struct sbiret sbi_call(unsigned long ext, unsigned long fid,
			      unsigned long arg0, unsigned long arg1)
{
	register unsigned long a0 __asm__("a0") = arg0;
	register unsigned long a1 __asm__("a1") = arg1;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(a0), "+r"(a1)
			 : "r"(a6), "r"(a7)
			 : "memory");
	return (struct sbiret){ .error = (long)a0, .value = (long)a1 };
}

static void uart_putc(char c)
{
	volatile uint8_t *uart = (volatile uint8_t *)UART_BASE;

	while (!(uart[UART_LSR] & UART_LSR_THRE))
		;
	uart[UART_THR] = (uint8_t)c;
}

static void put_str(const char *s)
{
	while (*s)
		uart_putc(*s++);
}

static void put_dec(unsigned long n)
{
	char buf[24];
	int i = 0;

	do {
		buf[i++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (i)
		uart_putc(buf[--i]);
}

/* Each line costs L1's QEMU an MMIO exit per byte: keep them short. */
void sbiloop_main(unsigned long hartid, const void *fdt)
{
	unsigned long i, bad = 0;
	struct sbiret ret;

	(void)hartid;
	(void)fdt;
	put_str("L2: sbiloop start calls=");
	put_dec(SBILOOP_CALLS);
	put_str("\n");
	for (i = 0; i < SBILOOP_CALLS; i++) {
		ret = sbi_call(SBI_EXT_BASE, SBI_BASE_PROBE_EXT, SBI_EXT_BASE,
			       0);
		if (ret.error || !ret.value)
			bad++;
	}
	put_str("L2: sbiloop done calls=");
	put_dec(SBILOOP_CALLS);
	put_str(" bad=");
	put_dec(bad);
	put_str("\n");
	sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, 0);
	put_str("L2: sbiloop FAIL shutdown returned\n");
}
