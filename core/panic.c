// SPDX-License-Identifier: MIT
/* panic(): one clear line on the console, then the machine is shut down. */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <l0/hart.h>
#include <l0/panic.h>

void panic(const char *fmt, ...)
{
	char msg[256];
	struct hart *h = this_hart();
	va_list ap;

	local_irq_disable();
	va_start(ap, fmt);
	l0_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk("L0 panic on hart %llu: %s\n",
	       (unsigned long long)(h ? h->hartid : 0), msg);
	sbi_system_shutdown();
}
