/* SPDX-License-Identifier: MIT */
/*
 * The guest test payloads' runtime (tests/guest/lib): S-mode programs entered
 * at 0x80200000 with a0 = hart id, a1 = FDT, MMU off, as a kernel would be.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdbool.h>
#include <stdint.h>

#include <l0/printf.h>

#define MAX_HARTS 8

/* CSRs and bits (RISC-V privileged spec, supervisor level). */
#define CSR_STIMECMP 0x14d
#define SSTATUS_SIE (1UL << 1)
#define IRQ_S_SOFT 1
#define IRQ_S_TIMER 5
#define IRQ_S_EXT 9
#define SIE_SSIE (1UL << IRQ_S_SOFT)
#define SIE_STIE (1UL << IRQ_S_TIMER)
#define SIE_SEIE (1UL << IRQ_S_EXT)
#define SCAUSE_IRQ (1UL << 63)

/* Two levels, so that a CSR given as a macro (CSR_STIMECMP) expands. */
#define csr_read(csr) csr_read_(csr)
#define csr_write(csr, v) csr_write_(csr, v)
#define csr_set(csr, v) csr_set_(csr, v)
#define csr_clear(csr, v) csr_clear_(csr, v)
#define csr_read_(csr)                                                   \
	({                                                               \
		unsigned long v_;                                        \
		__asm__ volatile("csrr %0, " #csr : "=r"(v_)::"memory"); \
		v_;                                                      \
	})
#define csr_write_(csr, v) \
	__asm__ volatile("csrw " #csr ", %0" ::"rK"(v) : "memory")
#define csr_set_(csr, v) \
	__asm__ volatile("csrs " #csr ", %0" ::"rK"(v) : "memory")
#define csr_clear_(csr, v) \
	__asm__ volatile("csrc " #csr ", %0" ::"rK"(v) : "memory")

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

static inline void mb(void)
{
	__asm__ volatile("fence rw, rw" ::: "memory");
}

/* SBI (RISC-V SBI spec v2.0). */
#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_LEGACY_GETCHAR 0x02
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494d45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464e43
#define SBI_EXT_HSM 0x48534d
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434e

#define SBI_SUCCESS 0
#define SBI_ERR_FAILED (-1)
#define SBI_ERR_NOT_SUPPORTED (-2)
#define SBI_ERR_INVALID_PARAM (-3)
#define SBI_ERR_DENIED (-4)
#define SBI_ERR_INVALID_ADDRESS (-5)
#define SBI_ERR_ALREADY_AVAILABLE (-6)

#define HSM_STARTED 0
#define HSM_STOPPED 1
#define HSM_SUSPENDED 4

struct sbiret {
	long error;
	long value;
};

struct sbiret sbi_call(unsigned long ext, unsigned long fid, unsigned long a0,
		       unsigned long a1, unsigned long a2, unsigned long a3,
		       unsigned long a4);
struct sbiret sbi_call0(unsigned long ext, unsigned long fid);
long sbi_probe(unsigned long ext);
/*
 * Whether the SBI is OpenSBI 1.5 or older: its DBCN checks a buffer against
 * its PMP domain only (all but the firmware) and reads it in M-mode, where
 * past RAM the firmware faults and the machine hangs; its SSE is an early
 * draft's. Payloads do not run such cases there.
 */
bool opensbi_upto_1_5(void);
long sbi_set_timer(uint64_t when);
long sbi_send_ipi(unsigned long mask, unsigned long base);
long sbi_hart_start(unsigned long hartid, unsigned long addr,
		    unsigned long opaque);
long sbi_hart_stop(void);
struct sbiret sbi_hart_status(unsigned long hartid);
long sbi_hart_suspend(uint32_t type, unsigned long resume, unsigned long opq);
void sbi_shutdown(void) __attribute__((noreturn));

/* Console: whole lines through DBCN (legacy putchar without it). */
void console_write(const char *s, unsigned long len);
int gprintf(const char *fmt, ...) L0_PRINTF(1, 2);

/* The platform, read from the FDT at boot (lib/platform.c). */
struct platform {
	const void *fdt;
	uint64_t timebase; /* ticks per second */
	int nr_harts;
	unsigned long hart_ids[MAX_HARTS];
	uint64_t mem_base, mem_size;
	uint64_t uart_base;
	uint32_t uart_irq, uart_shift;
	uint64_t plic_base;
	uint32_t plic_ndev;
	uint64_t bad_addr; /* a physical address S-mode may not access */
};

extern struct platform plat;
extern unsigned long boot_hartid;

int platform_init(const void *fdt);
bool hart_has_ext(unsigned long hartid, const char *ext);
int plic_s_context(unsigned long hartid); /* <0 when not found */
long other_hart(void);			  /* a hart besides the boot one */

/* Time, from the time CSR. */
static inline uint64_t now(void)
{
	uint64_t t;

	__asm__ volatile("rdtime %0" : "=r"(t));
	return t;
}

uint64_t us_to_ticks(uint64_t us);
/* Poll until *flag is nonzero or us microseconds pass: whether it was set. */
bool wait_flag(volatile unsigned long *flag, uint64_t us);
void delay_us(uint64_t us);

/* Traps (lib/trap.c). Interrupts count per hart and cause. */
struct hart_traps {
	volatile unsigned long irqs[16];
	volatile uint64_t irq_time[16]; /* time of the last one */
	volatile unsigned long expect;	/* resume after one exception */
	volatile unsigned long scause, stval, sepc;
	volatile unsigned long caught; /* exceptions taken while expected */
	volatile unsigned long resume; /* where to resume it; 0: next insn */
};

extern struct hart_traps traps[MAX_HARTS];
/* Optional per-cause hook; it must quiet the source. NULL: mask it. */
extern void (*irq_hooks[16])(unsigned long hartid);

/* One expected exception on this hart, as trap_expect()/trap_result() see it. */
struct trap_info {
	bool taken;
	unsigned long scause, stval, sepc;
};

/*
 * Expect one exception on this hart: the handler records it and resumes at
 * `resume`, or after the faulting instruction when `resume` is 0 (which
 * needs the instruction to be readable: not for a fetch fault).
 */
void trap_expect(unsigned long resume);
/* Stop expecting; what was taken since trap_expect(). */
struct trap_info trap_result(void);

unsigned long this_hart(void); /* from tp, set at entry */
void irq_enable(unsigned long sie_bits);
void irq_disable_all(void);

/* Secondary harts: started at secondary_entry, they run fn(hartid, opaque). */
typedef void (*secondary_fn)(unsigned long hartid, unsigned long opaque);
extern secondary_fn secondary_main;
extern volatile unsigned long secondary_a0[MAX_HARTS];
extern volatile unsigned long secondary_a1[MAX_HARTS];
extern volatile unsigned long secondary_entered[MAX_HARTS];
void secondary_entry(void);
long start_hart(unsigned long hartid, secondary_fn fn, unsigned long opaque);
/*
 * A non-retentive suspend's resume_addr (lib/crt0.S): it keeps the hart's
 * a0, a1 and sstatus at resume in resume_regs[a0] and counts the resume,
 * then runs resume_main(a0, a1) on the hart's stack, or, when that is NULL,
 * goes on as a hart just started (secondary_main, then hart_stop).
 */
struct resume_regs {
	unsigned long a0, a1, sstatus, count;
};
_Static_assert(sizeof(struct resume_regs) == 32, "crt0.S's slot size");
extern volatile struct resume_regs resume_regs[MAX_HARTS];
extern secondary_fn resume_main;
void resume_entry(void);
/* Wait until get_status(hartid) == state: whether it got there. */
bool wait_hart_status(unsigned long hartid, long state, uint64_t us);

/*
 * Test cases. Each payload defines its name and plan; the runtime prints
 * 'PLAN <payload> <n>: case...' first, then the payload's test_main() runs.
 */
extern const char payload_name[];
extern const char *const payload_plan[];
extern const unsigned long payload_plan_len;
void test_main(void);

bool check(const char *name, bool ok, const char *fmt, ...) L0_PRINTF(3, 4);
void pass_note(const char *name, const char *fmt, ...) L0_PRINTF(2, 3);
void test_done(void) __attribute__((noreturn));
/* SKIP every planned case, for `why`. */
void skip_all(const char *why);
/* When the SBI does not offer extension `ext`: SKIP every planned case. */
bool skip_unless_offered(unsigned long ext, const char *name);

#define PLAN(...)                                           \
	const char *const payload_plan[] = { __VA_ARGS__ }; \
	const unsigned long payload_plan_len = ARRAY_SIZE(payload_plan)

#endif
