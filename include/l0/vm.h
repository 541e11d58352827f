/* SPDX-License-Identifier: MIT */
/*
 * Virtual machines and their vCPUs (core/vm.c, core/vcpu.c). A VM owns one
 * contiguous block of host RAM mapped at ram_gpa by its G-stage table
 * (GUEST_RAM_BASE, or the block's own host address for a direct-map VM),
 * an emulated PLIC and 16550, and up to VM_MAX_VCPUS vCPUs, each bound to one
 * host hart.
 */
#ifndef L0_VM_H
#define L0_VM_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/gstage.h>
#include <arch/trap.h>
#include <l0/passthrough.h>
#include <l0/spinlock.h>
#include <l0/vm_config.h>
#include <l0/vplic.h>
#include <l0/vuart.h>

/* The guest physical map, the same as QEMU's virt machine. */
#define GUEST_PLIC_BASE 0x0c000000UL
#define GUEST_UART_BASE 0x10000000UL
#define GUEST_UART_IRQ 10
#define GUEST_PLIC_NDEV 31
#define GUEST_RAM_BASE 0x80000000UL    /* RAM of a VM without direct-map */
#define GUEST_KERNEL_OFFSET 0x200000UL /* the Image header's text_offset */

/* Trap causes L0 counts per VM: the 24 exceptions, then 16 interrupts. */
#define VM_STAT_CAUSES 40
#define VM_STAT_IRQ_BASE 24

/* TLB maintenance a vCPU's hart owes it before it runs again. */
#define FLUSH_VVMA 1UL /* SBI RFENCE: fence.i and its VS-stage entries */
#define FLUSH_GVMA 2UL /* its G-stage changed */
/* nested/ was reset: empty and fence its shadows where they ran. */
#define FLUSH_NESTED 4UL
#define FLUSH_HFENCE 8UL /* SBI remote HFENCEs from its L1 (nested/) */

enum vcpu_state {
	VCPU_STOPPED, /* SBI HSM: STOPPED */
	VCPU_RUNNABLE,
	VCPU_SUSPENDED, /* SBI HSM retentive suspend: waits for an interrupt */
};

/* The VS-level CSRs L0 saves and restores when a hart switches vCPUs. */
struct vcpu_csrs {
	unsigned long vsstatus, vsie, vstvec, vsscratch, vsepc, vscause;
	unsigned long vstval, vsatp, vstimecmp, hvip;
	/* No VS copies: with V=1 the guest uses the real ones (H spec 21.2). */
	unsigned long scounteren, senvcfg;
	/* The HS-level set-up the vCPU runs under (nested/ swaps it for L2). */
	unsigned long hcounteren, hedeleg, hideleg, henvcfg, htimedelta, hgatp;
};

/* SBI PMU's counters of a vCPU: cycles and instructions (core/sbi/pmu.c). */
#define VCPU_PMU_COUNTERS 2
struct vcpu_pmu {
	uint64_t value[VCPU_PMU_COUNTERS];   /* as of `entered`, when started */
	uint64_t entered[VCPU_PMU_COUNTERS]; /* the host counter then */
	unsigned long configured, started;   /* bit per counter */
	bool virtual_csrs; /* the guest's cycle/instret reads trap to L0 */
};

/*
 * SBI SSE (core/sbi/sse.c): an event's attributes, indexed by the spec's
 * attribute ID (STATUS holds its state and pending bit), and its event ID.
 * A vCPU has the local events, its VM the global ones.
 */
#define SSE_NATTRS 10
#define SSE_LOCAL_EVENTS 1
#define SSE_GLOBAL_EVENTS 1

/* Images a VM starts with: its kernel and its initrd. */
#define VM_IMAGES 2
struct sse_event {
	unsigned long attr[SSE_NATTRS];
	uint32_t id;
};

/* Per-vCPU state of SBI extensions (core/sbi/), reset at hart start. */
struct vcpu_sbi {
	unsigned long fwft_locked; /* FWFT: bit per feature ID locked */
	/* STA: the shared memory (STA_SHMEM_OFF: none), and the time (in
	 * ticks of `time`) the vCPU was runnable but not running: since the
	 * shared memory was set, and since when it waits now (0: it does
	 * not). Only the vCPU's own hart writes them once it was started. */
	uint64_t sta_gpa, steal, wait_since;
	uint64_t left_at;      /* when it last left its hart */
	unsigned int last_ext; /* the last call's index in vm_stats.sbi_* */
	struct vcpu_pmu pmu;
	/* SSE, under vm->sse_lock: its local events, whether it takes events
	 * (HART_UNMASK); and, set by whoever may have made an event ready for
	 * it, "look for one to enter" at its next entry (atomic). */
	struct sse_event sse[SSE_LOCAL_EVENTS];
	bool sse_unmasked;
	unsigned int sse_recheck;
};

struct vm;
struct nested_vcpu;

struct vcpu {
	struct vm *vm;
	unsigned int id;   /* also the guest's hart id */
	unsigned int hart; /* host hart index it runs on */
	enum vcpu_state state;
	struct trap_frame regs; /* while not running */
	struct vcpu_csrs csrs;
	/* hvip bits other harts ask for (VSSIP, VSEIP), applied on entry. */
	unsigned long hvip_set, hvip_clear;
	uint64_t timer_deadline;     /* SBI TIME without Sstc; ~0: none */
	unsigned long flush_pending; /* FLUSH_* for this vCPU's next entry */
	unsigned int seip; /* vPLIC's last output for it, under vm->irq_lock */
	unsigned long fp[33]; /* f0-f31, fcsr: saved when the hart switches */
	bool fp_saved;
	struct vcpu_sbi sbi;	    /* per-vCPU state of SBI extensions */
	struct nested_vcpu *nested; /* nested/'s state; NULL: not nested */
};

struct vm_stats {
	unsigned long traps[VM_STAT_CAUSES];
	unsigned long sbi_calls[16]; /* by extension, see core/sbi/sbi.c */
	unsigned long sbi_insns[16]; /* L0 instructions for them (instret) */
	unsigned long mmio_exits;
	unsigned long vinst_traps, vinst_insns; /* virtual-instruction traps */
	unsigned long insns; /* L0 instructions in all its traps (-icount) */
	/* Passthrough: host interrupts forwarded, and the traps they cost:
	 * the host interrupt's, the guest's vPLIC claim and complete. */
	unsigned long devirqs, devirq_traps;
};

struct vm {
	const struct vm_config *cfg;
	unsigned int id;
	unsigned int running; /* word-sized: updated with atomics */
	struct gstage gstage;
	uint64_t ram_hpa, ram_gpa,
		ram_size;    /* ram_gpa: where the guest sees it */
	uint64_t *ram_ready; /* bit per 2 MiB of RAM: filled and usable */
	struct vm_image {    /* what each first touch copies (vm_ram_load) */
		uint64_t off, len; /* RAM offsets */
		const void *src;
	} images[VM_IMAGES];
	unsigned int nimages;
	uint64_t time_delta; /* htimedelta: guest time starts near zero */
	const void *archive; /* L0's initrd, for a reboot */
	uint64_t archive_size;
	/* Counted on every trap: beside the fields above, not a page away. */
	struct vm_stats stats;
	unsigned int nvcpus;
	struct vcpu vcpus[VM_MAX_VCPUS]; /* the first in its first page (vm.c) */
	struct vplic plic;
	struct vuart uart;
	struct passthrough pt; /* host devices it owns */
	spinlock_t lock;       /* HSM state changes, the UART */
	spinlock_t out_lock;   /* the console line below */
	spinlock_t irq_lock;   /* vm_update_plic(): the vCPUs' seip */
	spinlock_t ram_lock;   /* populating RAM, its G-stage table */
	spinlock_t sse_lock;   /* SBI SSE: its global events, its vCPUs' */
	struct sse_event sse[SSE_GLOBAL_EVENTS];
	unsigned int reboot_pending;
	unsigned int release_pending; /* stopped: free it once off the harts */
	char line[480]; /* console output, printed a line at a time */
	unsigned int line_len;
	uint8_t in_buf[1024]; /* typed input the UART's FIFO has no room for */
	unsigned int in_head, in_count;
};

/*
 * Create every VM that `cfg` describes, with the files from L0's initrd
 * archive. A VM whose set-up fails is reported and skipped. Returns the
 * number of VMs that are ready to run.
 */
unsigned int vm_create_all(const struct vm_config *cfg, unsigned int n,
			   const void *archive, uint64_t archive_size,
			   const struct vm_host *host);

/* Stop every vCPU of `vm`, print why and its counters. */
void vm_stop(struct vm *vm, const char *why);

/* Restart `vm` from its images, as a reset would (SBI SRST reboot). */
void vm_reboot(struct vm *vm);

/* One byte of the guest's console output (UART or SBI), line-buffered. */
void vm_console_putc(struct vm *vm, uint8_t c);

/* One byte typed on L0's console: to the VM that has the input. */
void vm_console_input(uint8_t c);
/* Say which VM has the console input. */
void vm_console_start(void);
/* Top up the UART's receive FIFO from typed input (vm->lock held). */
void vm_console_refill(struct vm *vm);

/*
 * From the scheduler, once a vCPU of `vm` has left this hart (or was about
 * to enter it while the VM stopped): finish a reboot, or give back what a
 * stopped VM held once none of its vCPUs is on any hart.
 */
void vm_left_hart(struct vm *vm);

/* Power the machine off once the last VM has stopped (l0.poweroff). */
void vm_poweroff_when_done(bool on);

/* Allocate the VM's RAM and an empty G-stage table (core/vm_ram.c). */
int vm_ram_init(struct vm *vm);

/* Give back the VM's RAM and all of its G-stage table (what is there). */
void vm_ram_free(struct vm *vm);

/* Whether guest physical range [gpa, gpa + len) is all RAM (wrap-safe). */
bool vm_ram_contains(const struct vm *vm, uint64_t gpa, uint64_t len);

/* Guest RAM is filled 2 MiB at a time, its first touch (core/vm_ram.c). */
#define VM_RAM_CHUNK_SHIFT 21
#define VM_RAM_CHUNK_SIZE (1UL << VM_RAM_CHUNK_SHIFT)

/* vm_ram_ptr() in full: any range, filled first where it must be. */
void *vm_ram_ptr_fill(struct vm *vm, uint64_t gpa, uint64_t len);

/*
 * Host address of guest physical range [gpa, gpa + len) in RAM, or NULL;
 * the range is filled first (zeroes, and the images' bytes) if the guest
 * has never touched it. Inline for the common case, a range inside one
 * 2 MiB chunk already filled (the shadow G-stage asks on every fault); a
 * RAM size is a multiple of the chunk (core/vm_config.c), so such a range
 * is all RAM.
 */
static inline void *vm_ram_ptr(struct vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t off = gpa - vm->ram_gpa, c = off >> VM_RAM_CHUNK_SHIFT;

	if (gpa >= vm->ram_gpa && off < vm->ram_size &&
	    len - 1 < VM_RAM_CHUNK_SIZE - (off & (VM_RAM_CHUNK_SIZE - 1)) &&
	    (__atomic_load_n(&vm->ram_ready[c / 64], __ATOMIC_ACQUIRE) &
	     (1ULL << (c % 64))))
		return (void *)(uintptr_t)(vm->ram_hpa + off);
	return vm_ram_ptr_fill(vm, gpa, len);
}

/*
 * Make `len` bytes at `src` the VM's RAM at `gpa` (an image: its kernel,
 * its initrd), before any vCPU runs. The bytes are copied as each 2 MiB
 * of RAM is first touched, not here: the guest starts at once. `src` must
 * stay (L0's initrd does). -1 when it is not all RAM, or there is no room
 * for another image.
 */
int vm_ram_load(struct vm *vm, uint64_t gpa, const void *src, uint64_t len);

/* A guest-page fault at `gpa`: map its RAM. False when `gpa` is not RAM. */
bool vm_ram_fault(struct vm *vm, uint64_t gpa);

/* Forget all of RAM (a reboot): unmapped, and zeroed again when touched. */
void vm_ram_reset(struct vm *vm);

/* The VMs that were created, by index. */
unsigned int vm_count(void);
struct vm *vm_by_index(unsigned int i);

/* The scause a vm_stats.traps index counts. */
unsigned long vm_stat_cause(unsigned int idx);

/* Count a trap from `v`, the running vCPU, by cause (for its VM's stats). */
void vm_count_trap(struct vcpu *v, unsigned long scause);

/*
 * Count the instructions L0 retired handling a trap of `scause` (instret:
 * exact only when QEMU runs with -icount). Kept for virtual-instruction
 * traps, which nested/ emulates: the bench's cost per emulated CSR access.
 */
void vm_count_insns(struct vcpu *v, unsigned long scause, unsigned long insns);

/*
 * Handle a trap that left `v`, the running vCPU; returns when the frame
 * may resume.
 */
void vcpu_handle_trap(struct vcpu *v, struct trap_frame *tf);

/*
 * Enter the guest's VS-mode at `pc` as a trap into it does (privileged
 * spec, "trap entry"): vsepc = the interrupted pc, vsstatus.SPP = the
 * interrupted privilege (VS or VU), SPIE = SIE, SIE = 0. For a vCPU on this
 * hart (its live VS CSRs).
 */
void vcpu_trap_to_vs(struct trap_frame *tf, unsigned long pc);

/* Redirect an exception to the guest's own VS-mode trap handler. */
void vcpu_inject_exception(struct trap_frame *tf, unsigned long cause,
			   unsigned long tval);

/* Ask for hvip bits of `v` to be set or cleared, wherever it runs. */
void vcpu_set_irq(struct vcpu *v, unsigned long hvip_bits, bool level);

/*
 * Re-evaluate the PLIC output of every vCPU of `vm`, and complete at the
 * host the passed-through sources the guest has completed.
 */
void vm_update_plic(struct vm *vm);

#endif
