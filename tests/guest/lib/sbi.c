// SPDX-License-Identifier: MIT
/* SBI calls from the guest payloads, and the console built on them. */
#include <stdarg.h>

#include "guest.h"

struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2, unsigned long a3,
		       unsigned long a4)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r4 __asm__("a4") = a4;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r4), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}

struct sbiret sbi_call0(unsigned long ext, unsigned long fid)
{
	return sbi_call(ext, fid, 0, 0, 0, 0, 0);
}

long sbi_probe(unsigned long ext)
{
	return sbi_call(SBI_EXT_BASE, 3, ext, 0, 0, 0, 0).value;
}

bool opensbi_upto_1_5(void)
{
	return sbi_call0(SBI_EXT_BASE, 1).value == 1 /* OpenSBI */ &&
	       (unsigned long)sbi_call0(SBI_EXT_BASE, 2).value <= 0x10005;
}

long sbi_set_timer(uint64_t when)
{
	return sbi_call(SBI_EXT_TIME, 0, when, 0, 0, 0, 0).error;
}

long sbi_send_ipi(unsigned long mask, unsigned long base)
{
	return sbi_call(SBI_EXT_IPI, 0, mask, base, 0, 0, 0).error;
}

long sbi_hart_start(unsigned long hartid, unsigned long addr,
		    unsigned long opaque)
{
	return sbi_call(SBI_EXT_HSM, 0, hartid, addr, opaque, 0, 0).error;
}

long sbi_hart_stop(void)
{
	return sbi_call0(SBI_EXT_HSM, 1).error;
}

struct sbiret sbi_hart_status(unsigned long hartid)
{
	return sbi_call(SBI_EXT_HSM, 2, hartid, 0, 0, 0, 0);
}

long sbi_hart_suspend(uint32_t type, unsigned long resume, unsigned long opq)
{
	return sbi_call(SBI_EXT_HSM, 3, type, resume, opq, 0, 0).error;
}

void sbi_shutdown(void)
{
	sbi_call(SBI_EXT_SRST, 0, 0, 0, 0, 0, 0);
	for (;;)
		__asm__ volatile("wfi");
}

static int dbcn = -1; /* unknown until the first write */
static volatile unsigned int console_lock;

static void lock(void)
{
	while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
		;
}

static void unlock(void)
{
	__atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE);
}

void console_write(const char *s, unsigned long len)
{
	struct sbiret r;
	int spins = 0;

	if (dbcn < 0)
		dbcn = sbi_probe(SBI_EXT_DBCN) != 0;
	while (dbcn && len && spins < 1000) {
		/* MMU off: the address is the physical one. */
		r = sbi_call(SBI_EXT_DBCN, 0, len, (unsigned long)s, 0, 0, 0);
		if (r.error || (unsigned long)r.value > len)
			break;
		s += r.value;
		len -= (unsigned long)r.value;
		spins = r.value ? 0 : spins + 1;
	}
	while (len--)
		sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*s++, 0, 0,
			 0, 0);
}

int gprintf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = l0_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	lock();
	console_write(buf, (unsigned long)n);
	unlock();
	return n;
}

/* core/string.c's stack protector support calls this. */
void panic(const char *fmt, ...)
{
	(void)fmt;
	gprintf("FAIL: %s: panic (%s)\n", payload_name, fmt);
	sbi_shutdown();
}
