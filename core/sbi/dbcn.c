// SPDX-License-Identifier: MIT
/*
 * SBI DBCN (SBI spec v2.0), and the legacy (v0.1) console calls
 * that early Linux consoles still use.
 */
#include <l0/vm.h>

#include "sbi.h"

/*
 * One call prints at most one line: the buffer up to its first newline, and
 * no more than the console's line buffer holds. SBI 2.0's DBCN write may
 * write part of the buffer and return the count, and one trap must not keep
 * this hart, and the console every hart prints on, for the hours that a
 * guest's whole RAM would take on a UART. The whole range is still checked,
 * but only the part printed is touched (zeroed if it never was).
 */
#define DBCN_WRITE_MAX (sizeof(((struct vm *)0)->line) - 1)

static struct sbi_result dbcn_write(struct sbi_call *c)
{
	struct vm *vm = c->vcpu->vm;
	unsigned long len = c->a[0], gpa = c->a[1], n = 0;
	const char *buf;

	if (c->a[2] || !vm_ram_contains(vm, gpa, len)) /* a[2]: base_addr_hi */
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (len > DBCN_WRITE_MAX)
		len = DBCN_WRITE_MAX;
	buf = vm_ram_ptr(vm, gpa, len);
	while (n < len) {
		char ch = buf[n++];

		vm_console_putc(vm, (uint8_t)ch);
		if (ch == '\n')
			break;
	}
	return sbi_ok(n);
}

static struct sbi_result dbcn_read(struct sbi_call *c)
{
	/* Checked, not touched: nothing is read into it. */
	if (c->a[2] || !vm_ram_contains(c->vcpu->vm, c->a[1], c->a[0]))
		return sbi_err(SBI_ERR_INVALID_PARAM);
	return sbi_ok(0); /* console input goes to the guest's UART */
}

/* DBCN write_byte and the legacy putchar alike. */
static struct sbi_result console_putc(struct sbi_call *c)
{
	vm_console_putc(c->vcpu->vm, (uint8_t)c->a[0]);
	return sbi_ok(0);
}

static const sbi_fn dbcn_fns[] = { dbcn_write, dbcn_read, console_putc };

const struct sbi_ext sbi_ext_dbcn = SBI_EXT(0x4442434e, "DBCN", dbcn_fns);

static struct sbi_result legacy_getchar(struct sbi_call *c)
{
	(void)c;
	return sbi_err(SBI_ERR_FAILED); /* -1: no character */
}

static const sbi_fn legacy_putchar_fns[] = { console_putc };
static const sbi_fn legacy_getchar_fns[] = { legacy_getchar };

const struct sbi_ext sbi_ext_legacy_putchar =
	SBI_EXT(0x01, "legacy putchar", legacy_putchar_fns, .legacy = true);
const struct sbi_ext sbi_ext_legacy_getchar =
	SBI_EXT(0x02, "legacy getchar", legacy_getchar_fns, .legacy = true);
