// SPDX-License-Identifier: MIT
/*
 * SBI STA (steal-time accounting, SBI spec v2.0): the time a vCPU was
 * ready to run but waited for its hart, which it shares with other vCPUs
 * (core/sched.c counts it), published in the 64 bytes of guest memory the
 * vCPU names each time the vCPU goes onto its hart (sbi_sta_enter()); it
 * is marked preempted when it leaves the hart still runnable. A vCPU alone
 * on its hart never waits.
 */
#include <string.h>

#include <l0/sbi_guest.h>
#include <l0/timer.h>
#include <l0/vm.h>

#include "sbi.h"

#define STA_SHMEM_OFF (~0ULL)
#define STA_SHMEM_SIZE 64 /* also its alignment */

/* The spec's layout of the shared memory. */
struct sta_shmem {
	uint32_t sequence; /* odd while `steal` is being written */
	uint32_t flags;	   /* always 0 */
	uint64_t steal;	   /* nanoseconds */
	uint8_t preempted; /* advisory: nonzero while it waits */
	uint8_t pad[47];
};

_Static_assert(sizeof(struct sta_shmem) == STA_SHMEM_SIZE, "64 bytes");

/*
 * Where the shared memory is in L0: set_shmem checked that the 64 bytes are
 * the VM's RAM, which is one block, so they are contiguous here too.
 */
static struct sta_shmem *shmem(struct vcpu *v)
{
	if (v->sbi.sta_gpa == STA_SHMEM_OFF)
		return NULL;
	return vm_ram_ptr(v->vm, v->sbi.sta_gpa, STA_SHMEM_SIZE);
}

/*
 * The guest reads `sequence`, `steal`, `sequence` again and retries while
 * the two differ or are odd: the fences order L0's stores the same way.
 */
static void publish(struct sta_shmem *s, uint64_t steal_ns, bool preempted)
{
	uint32_t seq = __atomic_load_n(&s->sequence, __ATOMIC_RELAXED);

	/* The guest may have written it: keep it even before the update. */
	seq += (seq & 1) ? 2 : 1;
	__atomic_store_n(&s->sequence, seq, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&s->steal, steal_ns, __ATOMIC_RELAXED);
	__atomic_store_n(&s->preempted, preempted, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&s->sequence, seq + 1, __ATOMIC_RELAXED);
}

void sbi_sta_enter(struct vcpu *v, uint64_t now)
{
	struct sta_shmem *s;

	if (v->sbi.wait_since) {
		v->sbi.steal += now - v->sbi.wait_since;
		v->sbi.wait_since = 0;
	}
	s = shmem(v);
	if (s)
		publish(s, timer_ticks_to_ns(v->sbi.steal), false);
}

void sbi_sta_preempted(struct vcpu *v, uint64_t now)
{
	struct sta_shmem *s = shmem(v);

	v->sbi.wait_since = now;
	if (s)
		__atomic_store_n(&s->preempted, 1, __ATOMIC_RELAXED);
}

/*
 * set_shmem(lo, hi, flags): all-ones lo and hi stop the reporting; else
 * lo must be 64-byte aligned (INVALID_PARAM), and the 64 bytes at hi:lo
 * the VM's RAM (INVALID_ADDRESS: RV64 has no RAM above 2^64, so hi != 0
 * is never RAM). The memory is zeroed before the call returns, and the
 * steal time counts from there.
 */
static struct sbi_result sta_set_shmem(struct sbi_call *c)
{
	struct vcpu *v = c->vcpu;
	unsigned long lo = c->a[0], hi = c->a[1], flags = c->a[2];
	struct sta_shmem *s;

	if (flags)
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (lo == ~0UL && hi == ~0UL) {
		v->sbi.sta_gpa = STA_SHMEM_OFF;
		return sbi_ok(0);
	}
	if (lo % STA_SHMEM_SIZE)
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (hi || !vm_ram_contains(v->vm, lo, STA_SHMEM_SIZE))
		return sbi_err(SBI_ERR_INVALID_ADDRESS);
	s = vm_ram_ptr(v->vm, lo, STA_SHMEM_SIZE);
	memset(s, 0, sizeof(*s));
	v->sbi.sta_gpa = lo;
	v->sbi.steal = 0;
	return sbi_ok(0);
}

/* A (re)started vCPU reports nothing until it sets its shared memory. */
static void sta_vcpu_reset(struct vcpu *v)
{
	v->sbi.sta_gpa = STA_SHMEM_OFF;
	v->sbi.steal = 0;
}

static const sbi_fn sta_fns[] = { sta_set_shmem };

const struct sbi_ext sbi_ext_sta =
	SBI_EXT(0x535441, "STA", sta_fns, .vcpu_reset = sta_vcpu_reset);
