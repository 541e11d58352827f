// SPDX-License-Identifier: MIT
/* Test doubles for panic() and printk(); see stubs.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/zero.h>
#include <l0/panic.h>

#include "stubs.h"

jmp_buf *stub_panic_jmp;
char stub_panic_msg[STUB_MSG_LEN];
unsigned int stub_panic_count;
char stub_printk_log[4 * STUB_MSG_LEN];

/* Keep TAP lines that were printed before a crash: line-buffer stdout. */
static void __attribute__((constructor)) stub_init(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
}

void stub_reset(void)
{
	stub_panic_jmp = NULL;
	stub_panic_msg[0] = '\0';
	stub_panic_count = 0;
	stub_printk_log[0] = '\0';
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(stub_panic_msg, sizeof(stub_panic_msg), fmt, ap);
	va_end(ap);
	stub_panic_count++;
	if (stub_panic_jmp)
		longjmp(*stub_panic_jmp, 1);
	fprintf(stderr, "unexpected L0 panic: %s\n", stub_panic_msg);
	fail_msg("unexpected L0 panic: %s", stub_panic_msg);
	abort(); /* fail_msg does not return; this keeps noreturn honest */
}

/*
 * arch/riscv/zero.c's, for the page allocator: a plain memset. Weak: the
 * sim, which links these stubs too, has its own (tests/sim/host.c).
 */
void __attribute__((weak)) zero_range(void *p, size_t len)
{
	memset(p, 0, len);
}

int printk(const char *fmt, ...)
{
	size_t used = strlen(stub_printk_log);
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(stub_printk_log + used, sizeof(stub_printk_log) - used,
		      fmt, ap);
	va_end(ap);
	return n;
}

void stub_assert_substr(const char *haystack, const char *needle,
			const char *file, int line)
{
	if (haystack && strstr(haystack, needle))
		return;
	print_error("%s:%d: \"%s\" does not contain \"%s\"\n", file, line,
		    haystack ? haystack : "(null)", needle);
	_fail(file, line);
}
