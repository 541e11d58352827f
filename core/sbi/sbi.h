/* SPDX-License-Identifier: MIT */
/*
 * Inside core/sbi/: what the extensions' files share. One file per
 * extension (as Linux's arch/riscv/kvm/vcpu_sbi_*.c), each defining its
 * `struct sbi_ext`: its ID, its table of functions (indexed by FID) and
 * whether a vCPU has it. core/sbi/sbi.c lists them and dispatches.
 */
#ifndef CORE_SBI_SBI_H
#define CORE_SBI_SBI_H

#include <stdbool.h>

#include <arch/sbi.h>
#include <arch/trap.h>
#include <l0/vm.h>

struct sbi_call {
	struct vcpu *vcpu;
	struct trap_frame *tf;
	unsigned long fid;
	unsigned long a[6];
};

struct sbi_result {
	long error;
	unsigned long value;
	bool no_return; /* the call went elsewhere: a0/a1 stay as they are */
};

typedef struct sbi_result (*sbi_fn)(struct sbi_call *c);

struct sbi_ext {
	unsigned long id;
	const char *name;
	const sbi_fn *fns;
	unsigned int nfns;
	/* Whether this vCPU has the extension; NULL: every vCPU has it. */
	bool (*present)(const struct vcpu *v);
	/* Per-vCPU state back to its reset value (hart start); NULL: none. */
	void (*vcpu_reset)(struct vcpu *v);
	/* Per-VM state back to its reset value (VM start); NULL: none. */
	void (*vm_reset)(struct vm *vm);
	bool legacy; /* a v0.1 call: one value in a0, the error or result */
};

#define SBI_EXT(id_, name_, fns_, ...)                                \
	{                                                             \
		.id = (id_), .name = (name_), .fns = (fns_),          \
		.nfns = sizeof(fns_) / sizeof((fns_)[0]), __VA_ARGS__ \
	}

static inline struct sbi_result sbi_ok(unsigned long value)
{
	return (struct sbi_result){ SBI_SUCCESS, value, false };
}

static inline struct sbi_result sbi_err(long error)
{
	return (struct sbi_result){ error, 0, false };
}

/* Whether vCPU `v` has the extension `id` (BASE probe_extension). */
bool sbi_ext_offered(const struct vcpu *v, unsigned long id);

/*
 * Call `fn` for each vCPU in (mask, base); base == -1 means every vCPU.
 * A bit naming a vCPU that does not exist is SBI_ERR_INVALID_PARAM.
 */
long sbi_for_each_in_mask(struct vm *vm, unsigned long mask, unsigned long base,
			  void (*fn)(struct vcpu *, const void *),
			  const void *arg);

/*
 * Resume the calling vCPU at `addr` instead of after its ecall, with the
 * register state of a non-retentive HSM suspend and of a system suspend
 * (SBI spec v2.0): a0 = hart id, a1 = `opaque`, satp = 0, sstatus.SIE =
 * 0. The call then returns no_return, so its result leaves a0/a1 be.
 */
void sbi_resume_at(struct sbi_call *c, unsigned long addr,
		   unsigned long opaque);

/* Whether guest physical address `gpa` is in the VM's RAM. */
static inline bool sbi_in_guest_ram(const struct vm *vm, unsigned long gpa)
{
	return gpa >= vm->ram_gpa && gpa - vm->ram_gpa < vm->ram_size;
}

/* The scheduler's hooks (sbi_guest_vcpu_enter/leave), by extension. */
void sbi_sta_enter(struct vcpu *v, uint64_t now);
void sbi_sta_preempted(struct vcpu *v, uint64_t now);
void sbi_pmu_enter(struct vcpu *v);
void sbi_pmu_leave(struct vcpu *v);

extern const struct sbi_ext sbi_ext_base, sbi_ext_time, sbi_ext_ipi,
	sbi_ext_rfence, sbi_ext_hsm, sbi_ext_srst, sbi_ext_dbcn,
	sbi_ext_legacy_putchar, sbi_ext_legacy_getchar, sbi_ext_nacl,
	sbi_ext_susp, sbi_ext_fwft, sbi_ext_sta, sbi_ext_pmu, sbi_ext_sse;

#endif
