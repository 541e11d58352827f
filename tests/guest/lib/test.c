// SPDX-License-Identifier: MIT
/* Boot of a payload and its PASS/FAIL lines. */
#include <stdarg.h>

#include "guest.h"

unsigned long boot_hartid;

void guest_boot(unsigned long hartid, const void *fdt);

static void print_plan(void)
{
	char line[1024];
	int n;

	n = l0_snprintf(line, sizeof(line), "PLAN %s %lu:", payload_name,
			payload_plan_len);
	for (unsigned long i = 0; i < payload_plan_len && n < (int)sizeof(line);
	     i++)
		n += l0_snprintf(line + n, sizeof(line) - (unsigned long)n,
				 " %s", payload_plan[i]);
	gprintf("%s\n", line);
}

void guest_boot(unsigned long hartid, const void *fdt)
{
	boot_hartid = hartid;
	print_plan();
	if (platform_init(fdt)) {
		gprintf("FAIL: %s: fdt (no usable FDT at %p)\n", payload_name,
			fdt);
		test_done();
	}
	gprintf("%s: boot hart %lu of %d, timebase %lu Hz, RAM 0x%lx+0x%lx\n",
		payload_name, hartid, plat.nr_harts,
		(unsigned long)plat.timebase, (unsigned long)plat.mem_base,
		(unsigned long)plat.mem_size);
	test_main();
	test_done();
}

bool check(const char *name, bool ok, const char *fmt, ...)
{
	char detail[256];
	va_list ap;

	if (ok) {
		gprintf("PASS: %s: %s\n", payload_name, name);
		return true;
	}
	va_start(ap, fmt);
	l0_vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	gprintf("FAIL: %s: %s (%s)\n", payload_name, name, detail);
	return false;
}

void pass_note(const char *name, const char *fmt, ...)
{
	char note[256];
	va_list ap;

	va_start(ap, fmt);
	l0_vsnprintf(note, sizeof(note), fmt, ap);
	va_end(ap);
	gprintf("PASS: %s: %s (%s)\n", payload_name, name, note);
}

void skip_all(const char *why)
{
	for (unsigned long i = 0; i < payload_plan_len; i++)
		gprintf("SKIP: %s: %s (%s)\n", payload_name, payload_plan[i],
			why);
}

bool skip_unless_offered(unsigned long ext, const char *name)
{
	char why[64];

	if (sbi_probe(ext))
		return false;
	l0_snprintf(why, sizeof(why), "%s not offered", name);
	skip_all(why);
	return true;
}

void test_done(void)
{
	irq_disable_all();
	gprintf("GUEST DONE %s\n", payload_name);
	sbi_shutdown();
}
