/* SPDX-License-Identifier: MIT */
/* Calls from L0 (HS-mode) down to the SBI firmware (RISC-V SBI spec v2.0). */
#ifndef ARCH_SBI_H
#define ARCH_SBI_H

#include <stdint.h>

#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_HSM 0x48534d
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434e
#define SBI_EXT_RFENCE 0x52464e43
#define SBI_EXT_LEGACY_PUTCHAR 0x01

/*
 * L0's own SBI implementation ID, for its guests: "L0" in ASCII, outside the
 * spec's registry. An L0 that runs as a guest of L0 finds it below itself.
 */
#define SBI_IMPL_ID_L0 0x4c30

/* The spec's error codes (sbiret.error), for calls down and guests' calls. */
#define SBI_SUCCESS 0
#define SBI_ERR_FAILED (-1)
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_DENIED (-4)
#define SBI_ERR_INVALID_ADDRESS (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)
#define SBI_ERR_ALREADY_STARTED (-7)
#define SBI_ERR_ALREADY_STOPPED (-8)
#define SBI_ERR_NO_SHMEM (-9)
#define SBI_ERR_INVALID_STATE (-10)
#define SBI_ERR_BAD_RANGE (-11)
#define SBI_ERR_DENIED_LOCKED (-14)

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_ecall(unsigned long ext, unsigned long fid, unsigned long a0,
			unsigned long a1, unsigned long a2);

long sbi_spec_version(void);
long sbi_impl_id(void);
long sbi_impl_version(void);
int sbi_probe(unsigned long ext); /* nonzero when firmware has it */
const char *sbi_impl_name(long id);

/* HFENCE.GVMA of everything on every hart; 0, or the SBI error. */
long sbi_remote_hfence_gvma_all(void);

long sbi_hart_start(unsigned long hartid, unsigned long addr,
		    unsigned long opaque);
long sbi_hart_stop(void);
long sbi_hart_get_status(unsigned long hartid); /* state, or an SBI error */
const char *sbi_hart_state_name(long state);
long sbi_send_ipi(unsigned long hart_mask, unsigned long hart_mask_base);
long sbi_set_timer(uint64_t when);
long sbi_debug_console_write(const char *s, unsigned long len);
void sbi_legacy_putchar(char c);
void sbi_system_shutdown(void) __attribute__((noreturn));

#endif
