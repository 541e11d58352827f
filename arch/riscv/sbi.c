// SPDX-License-Identifier: MIT
/* SBI calls from HS-mode to the firmware (RISC-V SBI spec v2.0). */
#include <arch/sbi.h>

enum { BASE_SPEC_VERSION, BASE_IMPL_ID, BASE_IMPL_VERSION, BASE_PROBE_EXT };
enum { HSM_HART_START, HSM_HART_STOP, HSM_HART_GET_STATUS };
enum { SRST_RESET = 0, SRST_SHUTDOWN = 0, SRST_REASON_NONE = 0 };
enum { RFENCE_REMOTE_HFENCE_GVMA = 4 };

static struct sbiret ecall4(unsigned long ext, unsigned long fid,
			    unsigned long a0, unsigned long a1,
			    unsigned long a2, unsigned long a3)
{
	register unsigned long r0 __asm__("a0") = a0;
	register unsigned long r1 __asm__("a1") = a1;
	register unsigned long r2 __asm__("a2") = a2;
	register unsigned long r3 __asm__("a3") = a3;
	register unsigned long r6 __asm__("a6") = fid;
	register unsigned long r7 __asm__("a7") = ext;

	__asm__ volatile("ecall"
			 : "+r"(r0), "+r"(r1)
			 : "r"(r2), "r"(r3), "r"(r6), "r"(r7)
			 : "memory");
	return (struct sbiret){ .error = (long)r0, .value = (long)r1 };
}

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2)
{
	return ecall4(ext, fid, a0, a1, a2, 0);
}

/*
 * HFENCE.GVMA of every VMID and guest address on every hart: hart_mask_base
 * -1 names them all, and start 0 with size 0 the whole address space (SBI
 * spec, RFENCE, "remote HFENCE.GVMA").
 */
long sbi_remote_hfence_gvma_all(void)
{
	return ecall4(SBI_EXT_RFENCE, RFENCE_REMOTE_HFENCE_GVMA, 0, ~0UL, 0, 0)
		.error;
}

static long base_call(unsigned long fid, unsigned long arg)
{
	return sbi_ecall(SBI_EXT_BASE, fid, arg, 0, 0).value;
}

long sbi_spec_version(void)
{
	return base_call(BASE_SPEC_VERSION, 0);
}

long sbi_impl_id(void)
{
	return base_call(BASE_IMPL_ID, 0);
}

long sbi_impl_version(void)
{
	return base_call(BASE_IMPL_VERSION, 0);
}

int sbi_probe(unsigned long ext)
{
	return base_call(BASE_PROBE_EXT, ext) != 0;
}

/* Implementation IDs from the SBI spec's "SBI Implementation ID" table. */
const char *sbi_impl_name(long id)
{
	static const char *const names[] = {
		"Berkeley BBL",	 "OpenSBI",  "Xvisor",	"KVM",
		"RustSBI",	 "Diosix",   "Coffer",	"Xen",
		"PolarFire HSS", "coreboot", "oreboot", "bhyve",
	};

	if (id >= 0 && id < (long)(sizeof(names) / sizeof(names[0])))
		return names[id];
	if (id == SBI_IMPL_ID_L0)
		return "L0";
	return "unknown";
}

long sbi_hart_start(unsigned long hartid, unsigned long addr,
		    unsigned long opaque)
{
	return sbi_ecall(SBI_EXT_HSM, HSM_HART_START, hartid, addr, opaque)
		.error;
}

long sbi_hart_stop(void)
{
	return sbi_ecall(SBI_EXT_HSM, HSM_HART_STOP, 0, 0, 0).error;
}

long sbi_hart_get_status(unsigned long hartid)
{
	struct sbiret r =
		sbi_ecall(SBI_EXT_HSM, HSM_HART_GET_STATUS, hartid, 0, 0);

	return r.error ? r.error : r.value;
}

/* HSM hart states, SBI spec chapter "Hart State Management Extension". */
const char *sbi_hart_state_name(long state)
{
	static const char *const names[] = {
		"started",	  "stopped",   "start pending",
		"stop pending",	  "suspended", "suspend pending",
		"resume pending",
	};

	if (state >= 0 && state < (long)(sizeof(names) / sizeof(names[0])))
		return names[state];
	return "unknown";
}

long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base)
{
	return sbi_ecall(SBI_EXT_IPI, 0, hart_mask, hart_mask_base, 0).error;
}

long sbi_set_timer(uint64_t when)
{
	return sbi_ecall(SBI_EXT_TIME, 0, when, 0, 0).error;
}

long sbi_debug_console_write(const char *s, unsigned long len)
{
	/* L0 is identity-mapped: the virtual address is the physical one. */
	return sbi_ecall(SBI_EXT_DBCN, 0, len, (unsigned long)s, 0).error;
}

void sbi_legacy_putchar(char c)
{
	sbi_ecall(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)c, 0, 0);
}

void sbi_system_shutdown(void)
{
	sbi_ecall(SBI_EXT_SRST, SRST_RESET, SRST_SHUTDOWN, SRST_REASON_NONE, 0);
	for (;;)
		__asm__ volatile("wfi");
}
