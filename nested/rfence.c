// SPDX-License-Identifier: MIT
/*
 * SBI RFENCE's remote HFENCEs (SBI spec v2.0, RFENCE FIDs 3-6) for an L1
 * hypervisor: the calling vCPU records each fence in its targets' queues;
 * each target empties its queue on its own hart before it runs again, on
 * the shadows it holds for L1's VMID (shadow.c), as L1's own HFENCE.GVMA /
 * HFENCE.VVMA would. A fence larger than asked for is always allowed, so
 * a full queue or a long range becomes a fence of everything.
 */
#include <arch/csr.h>
#include <l0/bits.h>
#include <l0/nested.h>
#include <l0/page_alloc.h>

#include "state.h"

/* A longer GVMA range is fenced whole (one page at a time is bounded). */
#define RFENCE_MAX_PAGES 64
/* rs2's bits above VMIDMAX (14 bits on RV64) are ignored, as by HFENCE. */
#define L1_VMID_MASK GENMASK(13, 0)

unsigned long nested_l1_vmid(const struct vcpu *v)
{
	return field_get(HGATP_VMID, v->nested->csrs.hgatp);
}

void nested_remote_hfence(struct vcpu *t, const struct nested_rfence *f)
{
	struct nested_rfence_queue *q = &t->nested->rfences;

	spin_lock(&q->lock);
	if (q->n < RFENCE_QUEUE)
		q->f[q->n++] = *f;
	else
		q->overflow = true;
	spin_unlock(&q->lock);
}

/*
 * The whole address space: start 0 with size 0, size ~0, too long, or (the
 * caller refuses it) wrapping around.
 */
static bool whole_range(const struct nested_rfence *f)
{
	return (!f->start && !f->size) || f->size == ~0UL ||
	       f->size > RFENCE_MAX_PAGES * PAGE_SIZE ||
	       f->start + f->size < f->start;
}

static void apply_gvma(struct nested_vcpu *n, const struct nested_rfence *f)
{
	bool all_vmids = f->kind == NESTED_RFENCE_GVMA;
	unsigned long vmid = f->vmid & L1_VMID_MASK;
	uint64_t gpa = ALIGN_DOWN(f->start, PAGE_SIZE);

	if (whole_range(f)) {
		nested_shadow_fence_gvma(n, all_vmids, vmid, true, 0);
		return;
	}
	/* At most RFENCE_MAX_PAGES + 1 pages: the range may straddle one. */
	for (; gpa < f->start + f->size; gpa += PAGE_SIZE)
		nested_shadow_fence_gvma(n, all_vmids, vmid, false, gpa);
}

static void apply(struct nested_vcpu *n, const struct nested_rfence *f)
{
	switch (f->kind) {
	case NESTED_RFENCE_GVMA_VMID:
	case NESTED_RFENCE_GVMA:
		apply_gvma(n, f);
		break;
	default:
		/* Every VS-stage entry of the VMID covers the ASID and range. */
		nested_shadow_fence_vvma(n, false, f->vmid & L1_VMID_MASK);
		break;
	}
}

void nested_apply_remote_hfences(struct vcpu *v)
{
	struct nested_vcpu *n = v->nested;
	struct nested_rfence_queue *q = &n->rfences, todo;

	spin_lock(&q->lock);
	todo = *q;
	q->n = 0;
	q->overflow = false;
	spin_unlock(&q->lock);
	if (todo.overflow) {
		nested_shadow_fence_gvma(n, true, 0, true, 0);
		nested_shadow_fence_vvma(n, true, 0);
		return;
	}
	for (unsigned int i = 0; i < todo.n; i++)
		apply(n, &todo.f[i]);
}
