// SPDX-License-Identifier: MIT
/*
 * The SBI a guest calls (RISC-V SBI spec v2.0). One table of extensions,
 * each with a table of functions; anything not in them is
 * SBI_ERR_NOT_SUPPORTED. Every argument comes from the guest and is checked.
 */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <arch/vcpu_arch.h>
#include <l0/bits.h>
#include <l0/nested.h>
#include <l0/sbi_guest.h>
#include <l0/sched.h>
#include <l0/vm.h>

#define SBI_SPEC_VERSION ((2UL << 24) | 0) /* v2.0 */
#define SBI_IMPL_VERSION 1

enum hsm_state {
	HSM_STARTED = 0,
	HSM_STOPPED = 1,
	HSM_STOP_PENDING = 3,
	HSM_SUSPENDED = 4,
};

#define HSM_SUSPEND_RETENTIVE 0x00000000UL
#define HSM_SUSPEND_NON_RETENTIVE 0x80000000UL
#define SRST_TYPE_SHUTDOWN 0
#define SRST_TYPE_COLD_REBOOT 1
#define SRST_TYPE_WARM_REBOOT 2
#define SRST_REASON_SYSFAIL 1

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
};

static struct sbi_result ok(unsigned long value)
{
	return (struct sbi_result){ SBI_SUCCESS, value, false };
}

static struct sbi_result err(long error)
{
	return (struct sbi_result){ error, 0, false };
}

/* --- BASE --- */

static bool ext_known(const struct vcpu *v, unsigned long id);

static struct sbi_result base_spec_version(struct sbi_call *c)
{
	(void)c;
	return ok(SBI_SPEC_VERSION);
}

static struct sbi_result base_impl_id(struct sbi_call *c)
{
	(void)c;
	return ok(SBI_IMPL_ID_L0);
}

static struct sbi_result base_impl_version(struct sbi_call *c)
{
	(void)c;
	return ok(SBI_IMPL_VERSION);
}

static struct sbi_result base_probe(struct sbi_call *c)
{
	return ok(ext_known(c->vcpu, c->a[0]));
}

/* mvendorid, marchid, mimpid: 0 is the spec's "not implemented". */
static struct sbi_result base_machine_id(struct sbi_call *c)
{
	(void)c;
	return ok(0);
}

static const sbi_fn base_fns[] = {
	base_spec_version, base_impl_id,    base_impl_version, base_probe,
	base_machine_id,   base_machine_id, base_machine_id,
};

/* --- TIME --- */

static struct sbi_result time_set_timer(struct sbi_call *c)
{
	struct vcpu *v = c->vcpu;

	if (vcpu_arch_has_sstc()) {
		csr_write(CSR_VSTIMECMP, c->a[0]);
	} else {
		v->timer_deadline = c->a[0];
		csr_clear(CSR_HVIP, HVIP_VSTIP);
	}
	return ok(0);
}

static const sbi_fn time_fns[] = { time_set_timer };

/* --- hart masks (IPI, RFENCE) --- */

/*
 * Call `fn` for each vCPU in (mask, base); base == -1 means every vCPU.
 * A bit naming a vCPU that does not exist is SBI_ERR_INVALID_PARAM.
 */
static long for_each_in_mask(struct vm *vm, unsigned long mask,
			     unsigned long base,
			     void (*fn)(struct vcpu *, const void *),
			     const void *arg)
{
	if (base == ~0UL) {
		for (unsigned int i = 0; i < vm->nvcpus; i++)
			fn(&vm->vcpus[i], arg);
		return SBI_SUCCESS;
	}
	if (base >= vm->nvcpus && mask)
		return SBI_ERR_INVALID_PARAM;
	if (base < vm->nvcpus && (mask >> (vm->nvcpus - base)) &&
	    vm->nvcpus - base < 64)
		return SBI_ERR_INVALID_PARAM;
	for (unsigned int i = 0; i < 64 && base + i < vm->nvcpus; i++)
		if (mask & BIT(i))
			fn(&vm->vcpus[base + i], arg);
	return SBI_SUCCESS;
}

static void raise_soft_irq(struct vcpu *v, const void *arg)
{
	(void)arg;
	vcpu_set_irq(v, HVIP_VSSIP, true);
}

static struct sbi_result ipi_send(struct sbi_call *c)
{
	return err(for_each_in_mask(c->vcpu->vm, c->a[0], c->a[1],
				    raise_soft_irq, NULL));
}

static const sbi_fn ipi_fns[] = { ipi_send };

/* --- RFENCE --- */

static void request_flush(struct vcpu *v, const void *arg)
{
	(void)arg;
	__atomic_or_fetch(&v->flush_pending, FLUSH_VVMA, __ATOMIC_RELEASE);
	sched_poke(v);
}

/*
 * Every remote fence is done as the widest one for the VM (fence.i and
 * hfence.vvma of its VMID) when each target next runs: correct for
 * fence.i, sfence.vma and sfence.vma.asid, since a larger flush is allowed.
 */
static struct sbi_result rfence_any(struct sbi_call *c)
{
	return err(for_each_in_mask(c->vcpu->vm, c->a[0], c->a[1],
				    request_flush, NULL));
}

static void request_hfence(struct vcpu *v, const void *f)
{
	nested_remote_hfence(v, f);
	__atomic_or_fetch(&v->flush_pending, FLUSH_HFENCE, __ATOMIC_RELEASE);
	sched_poke(v);
}

/*
 * FIDs 3-6, the remote HFENCEs, for an L1 hypervisor (a nested vCPU, whose
 * VM's vCPUs all are): each target fences the shadows and VS-stage entries
 * it holds for L1's VMID (nested/rfence.c) before it runs again. A guest
 * without the H extension gets SBI_ERR_NOT_SUPPORTED, as the spec says. A
 * range that wraps around the address space is SBI_ERR_INVALID_ADDRESS;
 * the spec's "whole address space" forms are start 0 with size 0, and
 * size ~0.
 */
static struct sbi_result remote_hfence(struct sbi_call *c,
				       enum nested_rfence_kind kind)
{
	struct nested_rfence f = { kind, c->a[4], c->a[4], c->a[2], c->a[3] };

	if (!c->vcpu->nested)
		return err(SBI_ERR_NOT_SUPPORTED);
	if (f.size != ~0UL && f.start + f.size < f.start)
		return err(SBI_ERR_INVALID_ADDRESS);
	/* The VVMA forms name the caller's current VMID (its hgatp's). */
	if (kind == NESTED_RFENCE_VVMA_ASID || kind == NESTED_RFENCE_VVMA)
		f.vmid = nested_l1_vmid(c->vcpu);
	return err(for_each_in_mask(c->vcpu->vm, c->a[0], c->a[1],
				    request_hfence, &f));
}

static struct sbi_result remote_hfence_gvma_vmid(struct sbi_call *c)
{
	return remote_hfence(c, NESTED_RFENCE_GVMA_VMID);
}

static struct sbi_result remote_hfence_gvma(struct sbi_call *c)
{
	return remote_hfence(c, NESTED_RFENCE_GVMA);
}

static struct sbi_result remote_hfence_vvma_asid(struct sbi_call *c)
{
	return remote_hfence(c, NESTED_RFENCE_VVMA_ASID);
}

static struct sbi_result remote_hfence_vvma(struct sbi_call *c)
{
	return remote_hfence(c, NESTED_RFENCE_VVMA);
}

static const sbi_fn rfence_fns[] = {
	rfence_any,	    rfence_any,
	rfence_any,	    remote_hfence_gvma_vmid,
	remote_hfence_gvma, remote_hfence_vvma_asid,
	remote_hfence_vvma,
};

/* --- HSM --- */

static struct vcpu *vcpu_of(struct vm *vm, unsigned long hartid)
{
	return hartid < vm->nvcpus ? &vm->vcpus[hartid] : NULL;
}

static bool in_guest_ram(struct vm *vm, unsigned long gpa)
{
	return gpa >= vm->ram_gpa && gpa - vm->ram_gpa < vm->ram_size;
}

static struct sbi_result hsm_start(struct sbi_call *c)
{
	struct vm *vm = c->vcpu->vm;
	struct vcpu *t = vcpu_of(vm, c->a[0]);
	struct sbi_result r = ok(0);

	if (!t)
		return err(SBI_ERR_INVALID_PARAM);
	if (!in_guest_ram(vm, c->a[1]) || (c->a[1] & 1))
		return err(SBI_ERR_INVALID_ADDRESS);
	spin_lock(&vm->lock);
	/*
	 * Stopped, and off its hart: until then that hart still saves the
	 * vCPU's registers over whatever a start would put there.
	 */
	if (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != VCPU_STOPPED ||
	    sched_on_hart(t)) {
		r = err(SBI_ERR_ALREADY_AVAILABLE);
	} else {
		vcpu_arch_reset(t, c->a[1], t->id, c->a[2]);
		if (t->nested) {
			nested_vcpu_reset(t);
			__atomic_or_fetch(&t->flush_pending, FLUSH_NESTED,
					  __ATOMIC_RELEASE);
		}
		sched_wake(t);
	}
	spin_unlock(&vm->lock);
	return r;
}

static struct sbi_result hsm_stop(struct sbi_call *c)
{
	__atomic_store_n(&c->vcpu->state, VCPU_STOPPED, __ATOMIC_RELEASE);
	return ok(0);
}

static struct sbi_result hsm_status(struct sbi_call *c)
{
	struct vcpu *t = vcpu_of(c->vcpu->vm, c->a[0]);

	if (!t)
		return err(SBI_ERR_INVALID_PARAM);
	switch (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE)) {
	case VCPU_STOPPED:
		return ok(sched_on_hart(t) ? HSM_STOP_PENDING : HSM_STOPPED);
	case VCPU_SUSPENDED:
		return ok(HSM_SUSPENDED);
	default:
		return ok(HSM_STARTED);
	}
}

/*
 * Suspend until an interrupt: retentive resumes after the ecall with
 * SBI_SUCCESS, non-retentive at resume_addr with a0 = hart id, a1 = opaque,
 * satp = 0 and sstatus.SIE = 0 (SBI spec v2.0, HSM, "resume register
 * state"), so the result pair must not be written over a0/a1 then.
 * suspend_type is 32 bits wide: on RV64 its upper half is ignored, as the
 * spec's uint32_t argument and OpenSBI and KVM have it.
 */
static struct sbi_result hsm_suspend(struct sbi_call *c)
{
	struct vcpu *v = c->vcpu;
	uint32_t type = (uint32_t)c->a[0];

	/* Reserved and platform types alike: L0 implements no other. */
	if (type != HSM_SUSPEND_RETENTIVE && type != HSM_SUSPEND_NON_RETENTIVE)
		return err(SBI_ERR_INVALID_PARAM);
	if (type == HSM_SUSPEND_NON_RETENTIVE && !in_guest_ram(v->vm, c->a[1]))
		return err(SBI_ERR_INVALID_ADDRESS);
	if (type == HSM_SUSPEND_RETENTIVE) {
		__atomic_store_n(&v->state, VCPU_SUSPENDED, __ATOMIC_RELEASE);
		return ok(0);
	}
	c->tf->sepc = c->a[1];
	c->tf->regs[10] = v->id;
	c->tf->regs[11] = c->a[2];
	csr_write(CSR_VSATP, 0);
	csr_clear(CSR_VSSTATUS, SSTATUS_SIE);
	__atomic_store_n(&v->state, VCPU_SUSPENDED, __ATOMIC_RELEASE);
	return (struct sbi_result){ .no_return = true };
}

static const sbi_fn hsm_fns[] = { hsm_start, hsm_stop, hsm_status,
				  hsm_suspend };

/* --- SRST --- */

/* Reserved and vendor types and reasons alike: L0 implements no other. */
static struct sbi_result srst_reset(struct sbi_call *c)
{
	unsigned long type = c->a[0], reason = c->a[1];

	if (type > SRST_TYPE_WARM_REBOOT || reason > SRST_REASON_SYSFAIL)
		return err(SBI_ERR_INVALID_PARAM);
	if (type == SRST_TYPE_SHUTDOWN)
		vm_stop(c->vcpu->vm,
			reason ? "the guest shut down (system failure)"
			       : "the guest shut down");
	else
		vm_reboot(c->vcpu->vm);
	return ok(0);
}

static const sbi_fn srst_fns[] = { srst_reset };

/* --- DBCN --- */

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
		return err(SBI_ERR_INVALID_PARAM);
	if (len > DBCN_WRITE_MAX)
		len = DBCN_WRITE_MAX;
	buf = vm_ram_ptr(vm, gpa, len);
	while (n < len) {
		char ch = buf[n++];

		vm_console_putc(vm, (uint8_t)ch);
		if (ch == '\n')
			break;
	}
	return ok(n);
}

static struct sbi_result dbcn_read(struct sbi_call *c)
{
	/* Checked, not touched: nothing is read into it. */
	if (c->a[2] || !vm_ram_contains(c->vcpu->vm, c->a[1], c->a[0]))
		return err(SBI_ERR_INVALID_PARAM);
	return ok(0); /* console input goes to the guest's UART */
}

static struct sbi_result dbcn_write_byte(struct sbi_call *c)
{
	vm_console_putc(c->vcpu->vm, (uint8_t)c->a[0]);
	return ok(0);
}

static const sbi_fn dbcn_fns[] = { dbcn_write, dbcn_read, dbcn_write_byte };

/* --- legacy (v0.1) calls that early Linux consoles still use --- */

static struct sbi_result legacy_putchar(struct sbi_call *c)
{
	vm_console_putc(c->vcpu->vm, (uint8_t)c->a[0]);
	return ok(0);
}

static struct sbi_result legacy_getchar(struct sbi_call *c)
{
	(void)c;
	return err(SBI_ERR_FAILED); /* -1: no character */
}

static const sbi_fn legacy_putchar_fns[] = { legacy_putchar };
static const sbi_fn legacy_getchar_fns[] = { legacy_getchar };

/* --- NACL: nested acceleration, nested/'s (nested-enabled VMs only) --- */

static struct sbi_result nacl_call(struct sbi_call *c)
{
	struct nested_sbiret r = nested_nacl_call(c->vcpu, c->tf, c->fid);

	return (struct sbi_result){ r.error, r.value, r.no_return };
}

/* PROBE_FEATURE, SET_SHMEM, SYNC_CSR, SYNC_HFENCE, SYNC_SRET. */
static const sbi_fn nacl_fns[] = { nacl_call, nacl_call, nacl_call, nacl_call,
				   nacl_call };

static bool nacl_present(const struct vcpu *v)
{
	return v->nested && !v->vm->cfg->nested_nacl_off;
}

#define EXT(id_, name_, fns_)                            \
	{                                                \
		id_, name_, fns_, ARRAY_SIZE(fns_), NULL \
	}

static const struct sbi_ext extensions[] = {
	EXT(0x10, "BASE", base_fns),
	EXT(0x54494d45, "TIME", time_fns),
	EXT(0x735049, "IPI", ipi_fns),
	EXT(0x52464e43, "RFENCE", rfence_fns),
	EXT(0x48534d, "HSM", hsm_fns),
	EXT(0x53525354, "SRST", srst_fns),
	EXT(0x4442434e, "DBCN", dbcn_fns),
	EXT(0x01, "legacy putchar", legacy_putchar_fns),
	EXT(0x02, "legacy getchar", legacy_getchar_fns),
	{ 0x4e41434c, "NACL", nacl_fns, ARRAY_SIZE(nacl_fns), nacl_present },
};

const char *const sbi_guest_ext_names[] = {
	"BASE",
	"TIME",
	"IPI",
	"RFENCE",
	"HSM",
	"SRST",
	"DBCN",
	"legacy putchar",
	"legacy getchar",
	"NACL",
	"unknown",
};

/* A counter and a name per extension, and one for the unknown ones. */
_Static_assert(ARRAY_SIZE(sbi_guest_ext_names) == ARRAY_SIZE(extensions) + 1,
	       "a name per extension");
_Static_assert(ARRAY_SIZE(((struct vm_stats *)0)->sbi_calls) >=
		       ARRAY_SIZE(extensions) + 1,
	       "a counter per extension");

unsigned int sbi_guest_ext_count(void)
{
	return ARRAY_SIZE(extensions) + 1;
}

static bool ext_present(const struct sbi_ext *e, const struct vcpu *v)
{
	return !e->present || e->present(v);
}

static bool ext_known(const struct vcpu *v, unsigned long id)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(extensions); i++)
		if (extensions[i].id == id)
			return ext_present(&extensions[i], v);
	return false;
}

void sbi_guest_call(struct vcpu *v, struct trap_frame *tf)
{
	unsigned long ext = tf->regs[17], fid = tf->regs[16];
	struct sbi_call c = { .vcpu = v, .tf = tf, .fid = fid };
	struct sbi_result r = err(SBI_ERR_NOT_SUPPORTED);
	unsigned int i;

	tf->sepc += 4;
	for (i = 0; i < 6; i++)
		c.a[i] = tf->regs[10 + i];
	for (i = 0; i < ARRAY_SIZE(extensions); i++)
		if (extensions[i].id == ext)
			break;
	__atomic_add_fetch(&v->vm->stats.sbi_calls[i], 1, __ATOMIC_RELAXED);
	if (i < ARRAY_SIZE(extensions) && fid < extensions[i].nfns &&
	    ext_present(&extensions[i], v))
		r = extensions[i].fns[fid](&c);
	if (r.no_return)
		return;
	if (ext == 0x01 || ext == 0x02) {
		tf->regs[10] = r.error ? (unsigned long)r.error : r.value;
		return; /* legacy calls return one value in a0 */
	}
	tf->regs[10] = (unsigned long)r.error;
	tf->regs[11] = r.value;
}
