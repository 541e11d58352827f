// SPDX-License-Identifier: MIT
/*
 * The SBI a guest calls (RISC-V SBI spec v2.0): one table of extensions
 * (core/sbi/<extension>.c), each with a table of functions; anything not
 * in them is SBI_ERR_NOT_SUPPORTED. Every argument comes from the guest
 * and is checked by the function it reaches.
 */
#include <arch/csr.h>
#include <l0/sbi_guest.h>
#include <l0/vm.h>
#include <l0/hot.h>

#include "sbi.h"

/* Also the order of vm_stats.sbi_calls. */
static const struct sbi_ext *const extensions[] = {
	&sbi_ext_base,
	&sbi_ext_time,
	&sbi_ext_ipi,
	&sbi_ext_rfence,
	&sbi_ext_hsm,
	&sbi_ext_srst,
	&sbi_ext_dbcn,
	&sbi_ext_legacy_putchar,
	&sbi_ext_legacy_getchar,
	&sbi_ext_nacl,
	&sbi_ext_susp,
	&sbi_ext_fwft,
	&sbi_ext_sta,
	&sbi_ext_pmu,
	&sbi_ext_sse,
};

#define NEXT ARRAY_SIZE(extensions)

/* A counter per extension, and one for the unknown ones. */
_Static_assert(ARRAY_SIZE(((struct vm_stats *)0)->sbi_calls) >= NEXT + 1 &&
		       ARRAY_SIZE(((struct vm_stats *)0)->sbi_insns) >=
			       NEXT + 1,
	       "a counter per extension");

unsigned int sbi_guest_ext_count(void)
{
	return NEXT + 1;
}

const char *sbi_guest_ext_name(unsigned int i)
{
	return i < NEXT ? extensions[i]->name : "unknown";
}

static bool ext_present(const struct sbi_ext *e, const struct vcpu *v)
{
	return !e->present || e->present(v);
}

bool sbi_ext_offered(const struct vcpu *v, unsigned long id)
{
	for (unsigned int i = 0; i < NEXT; i++)
		if (extensions[i]->id == id)
			return ext_present(extensions[i], v);
	return false;
}

void sbi_guest_vcpu_reset(struct vcpu *v)
{
	for (unsigned int i = 0; i < NEXT; i++)
		if (extensions[i]->vcpu_reset)
			extensions[i]->vcpu_reset(v);
}

void sbi_guest_vm_reset(struct vm *vm)
{
	for (unsigned int i = 0; i < NEXT; i++)
		if (extensions[i]->vm_reset)
			extensions[i]->vm_reset(vm);
}

void sbi_guest_vcpu_enter(struct vcpu *v, uint64_t now)
{
	sbi_sta_enter(v, now);
	sbi_pmu_enter(v); /* last: as close to the guest's entry as can be */
}

void sbi_guest_vcpu_leave(struct vcpu *v, uint64_t now, bool runnable)
{
	sbi_pmu_leave(v);
	if (runnable)
		sbi_sta_preempted(v, now);
}

void sbi_resume_at(struct sbi_call *c, unsigned long addr, unsigned long opaque)
{
	c->tf->sepc = addr;
	c->tf->regs[10] = c->vcpu->id;
	c->tf->regs[11] = opaque;
	csr_write(CSR_VSATP, 0);
	csr_clear(CSR_VSSTATUS, SSTATUS_SIE);
}

L0_HOT void sbi_guest_call(struct vcpu *v, struct trap_frame *tf)
{
	unsigned long ext = tf->regs[17], fid = tf->regs[16];
	struct sbi_call c = { .vcpu = v, .tf = tf, .fid = fid };
	struct sbi_result r = sbi_err(SBI_ERR_NOT_SUPPORTED);
	const struct sbi_ext *e = NULL;
	unsigned int i;

	tf->sepc += 4;
	for (i = 0; i < 6; i++)
		c.a[i] = tf->regs[10 + i];
	for (i = 0; i < NEXT; i++)
		if (extensions[i]->id == ext) {
			e = extensions[i];
			break;
		}
	__atomic_add_fetch(&v->vm->stats.sbi_calls[i], 1, __ATOMIC_RELAXED);
	v->sbi.last_ext = i; /* for vm_count_insns(), at the trap's end */
	if (e && fid < e->nfns && ext_present(e, v))
		r = e->fns[fid](&c);
	if (r.no_return)
		return;
	if (e && e->legacy) {
		tf->regs[10] = r.error ? (unsigned long)r.error : r.value;
		return;
	}
	tf->regs[10] = (unsigned long)r.error;
	tf->regs[11] = r.value;
}
