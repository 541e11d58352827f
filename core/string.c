// SPDX-License-Identifier: MIT
/*
 * The freestanding C library subset that L0 and Debian's libfdt archive
 * link against: byte-wise and simple, since none of it is on a hot path.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <l0/hot.h>
#include <l0/panic.h>

/*
 * L0 copies guest images with it, tens of MiB at a boot: word stores once
 * the destination is 8-byte aligned, four a round. A source at 4 mod 8 (cpio
 * data is only 4-byte aligned, so an image in L0's initrd often is) is read
 * as aligned 32-bit halves, joined little-endian; any other skew goes byte
 * by byte. No misaligned access: a hart may trap on those.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = *s++;
	if (!((uintptr_t)s & 7)) {
		for (; n >= 32; n -= 32, d += 32, s += 32) {
			const uint64_t *from = (const uint64_t *)s;
			uint64_t *to = (uint64_t *)d;
			uint64_t w0 = from[0], w1 = from[1], w2 = from[2],
				 w3 = from[3];

			to[0] = w0;
			to[1] = w1;
			to[2] = w2;
			to[3] = w3;
		}
		for (; n >= 8; n -= 8, d += 8, s += 8)
			*(uint64_t *)d = *(const uint64_t *)s;
	} else if (!((uintptr_t)s & 3)) {
		for (; n >= 16; n -= 16, d += 16, s += 16) {
			const uint32_t *from = (const uint32_t *)s;
			uint64_t *to = (uint64_t *)d;
			uint64_t w0 = from[0] | (uint64_t)from[1] << 32;
			uint64_t w1 = from[2] | (uint64_t)from[3] << 32;

			to[0] = w0;
			to[1] = w1;
		}
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

/* Word at a time once aligned: L0 zeroes guest RAM with it. */
void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;
	uint64_t word = 0x0101010101010101ULL * (unsigned char)c;

	for (; n && ((uintptr_t)d & 7); n--)
		*d++ = (unsigned char)c;
	for (; n >= 8; n -= 8, d += 8)
		*(uint64_t *)d = word;
	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, SIZE_MAX);
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* Base 0 detects 0x and 0 prefixes; overflow saturates at ULONG_MAX. */
unsigned long strtoul(const char *s, char **end, int base)
{
	const char *start = s, *digits;
	unsigned long v = 0;
	int overflow = 0, d;

	while (*s == ' ' || *s == '\t')
		s++;
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (digits = s; (d = digit_value(*s)) < base; s++) {
		if (v > (~0UL - (unsigned long)d) / (unsigned long)base)
			overflow = 1;
		v = v * (unsigned long)base + (unsigned long)d;
	}
	if (end)
		*end = (char *)(s == digits ? start : s);
	return overflow ? ~0UL : v;
}

/* -fstack-protector support, used by L0 and by the libfdt archive. */
L0_HOT_DATA uintptr_t __stack_chk_guard = 0x5a17c0de2b6e4d31UL;

void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	panic("stack smashing detected");
}
