// SPDX-License-Identifier: MIT
/*
 * panic() and printk() for the fuzz targets: an L0 panic is a finding
 * (abort, which libFuzzer reports with the input), and L0's messages are
 * formatted, so that their arguments are checked too, then dropped.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include <l0/panic.h>
#include <l0/printf.h>

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "L0 panic: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

int printk(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return n;
}
