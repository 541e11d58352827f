// SPDX-License-Identifier: MIT
/* A small vsnprintf: enough for L0's console, with C's semantics. */
#include <stdbool.h>
#include <stdint.h>

#include <l0/printf.h>

struct out {
	char *buf;
	size_t size;
	size_t len; /* what the full output would be */
};

struct spec {
	bool left;
	bool zero;
	int width;
	int precision; /* -1: none */
	int length;    /* -2 hh, -1 h, 0, 1 l, 2 ll, 3 z */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
	int n = 0;

	if (!s)
		s = "(null)";
	while (s[n] && (sp->precision < 0 || n < sp->precision))
		n++;
	if (!sp->left)
		pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

static void put_num(struct out *o, const struct spec *sp, uint64_t v,
		    bool negative, unsigned int base, bool upper,
		    const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, plen = 0, fill;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (negative)
		prefix = "-";
	while (prefix && prefix[plen])
		plen++;
	fill = sp->width - n - plen;
	if (!sp->left && !sp->zero)
		pad(o, ' ', fill);
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	if (!sp->left && sp->zero)
		pad(o, '0', fill);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		pad(o, ' ', fill);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){ .precision = -1 };
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	}
	for (; *f >= '0' && *f <= '9'; f++)
		sp->width = sp->width * 10 + (*f - '0');
	if (*f == '.') {
		sp->precision = 0;
		for (f++; *f >= '0' && *f <= '9'; f++)
			sp->precision = sp->precision * 10 + (*f - '0');
	}
	for (;; f++) {
		if (*f == 'h')
			sp->length--;
		else if (*f == 'l')
			sp->length++;
		else if (*f == 'z')
			sp->length = 3;
		else
			return f;
	}
}

_Static_assert(sizeof(size_t) == sizeof(unsigned long), "LP64");

static uint64_t arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case -2:
		return (unsigned char)va_arg(*ap, unsigned int);
	case -1:
		return (unsigned short)va_arg(*ap, unsigned int);
	case 0:
		return va_arg(*ap, unsigned int);
	case 1:
	case 3: /* size_t is unsigned long on LP64 */
		return va_arg(*ap, unsigned long);
	default:
		return va_arg(*ap, unsigned long long);
	}
}

static int64_t arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case -2:
		return (signed char)va_arg(*ap, int);
	case -1:
		return (short)va_arg(*ap, int);
	case 0:
		return va_arg(*ap, int);
	case 1:
		return va_arg(*ap, long);
	case 3:
		return (int64_t)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, long long);
	}
}

static void convert(struct out *o, struct spec *sp, char conv, va_list *ap)
{
	int64_t s;

	switch (conv) {
	case 'd':
	case 'i':
		s = arg_signed(sp, ap);
		put_num(o, sp, s < 0 ? -(uint64_t)s : (uint64_t)s, s < 0, 10,
			false, NULL);
		break;
	case 'u':
		put_num(o, sp, arg_unsigned(sp, ap), false, 10, false, NULL);
		break;
	case 'x':
	case 'X':
		put_num(o, sp, arg_unsigned(sp, ap), false, 16, conv == 'X',
			NULL);
		break;
	case 'o':
		put_num(o, sp, arg_unsigned(sp, ap), false, 8, false, NULL);
		break;
	case 'p':
		put_num(o, sp, (uintptr_t)va_arg(*ap, void *), false, 16, false,
			"0x");
		break;
	case 'c':
		if (!sp->left)
			pad(o, ' ', sp->width - 1);
		put(o, (char)va_arg(*ap, int));
		if (sp->left)
			pad(o, ' ', sp->width - 1);
		break;
	case 's':
		put_str(o, sp, va_arg(*ap, const char *));
		break;
	default: /* '%' and anything unknown print as themselves */
		put(o, conv);
		break;
	}
}

int l0_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	struct spec sp;
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt = parse_spec(fmt + 1, &sp, &args);
		if (!*fmt)
			break;
		convert(&o, &sp, *fmt++, &args);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int l0_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = l0_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
