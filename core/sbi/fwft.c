// SPDX-License-Identifier: MIT
/*
 * SBI FWFT (firmware features, SBI spec v3.0): the per-hart (local)
 * features a hypervisor can honour for a vCPU, in a table. L0 has:
 * - MISALIGNED_EXC_DELEG: L0 always delegates misaligned load and store
 *   exceptions to the guest (hedeleg) and emulates no misaligned access, so
 *   the value is 1; setting 1 is accepted, setting 0 is SBI_ERR_DENIED, as
 *   the spec lets a hypervisor that passes its delegation through deny it.
 * - PTE_AD_HW_UPDATING: henvcfg.ADUE of the vCPU, where the hart has Svadu
 *   (else SBI_ERR_NOT_SUPPORTED); reset 0.
 * The other defined local features (landing pad, shadow stack, double trap,
 * pointer masking) need hart support L0 does not give its guests:
 * SBI_ERR_NOT_SUPPORTED. Reserved and platform-specific features, local or
 * global, are SBI_ERR_DENIED. A LOCK keeps a feature's value until the
 * vCPU (re)starts (hart reset), when every feature is back at its reset.
 */
#include <arch/csr.h>
#include <arch/vcpu_arch.h>
#include <l0/bits.h>
#include <l0/vm.h>

#include "sbi.h"

#define FWFT_MISALIGNED_EXC_DELEG 0
#define FWFT_LANDING_PAD 1
#define FWFT_SHADOW_STACK 2
#define FWFT_DOUBLE_TRAP 3
#define FWFT_PTE_AD_HW_UPDATING 4
#define FWFT_POINTER_MASKING_PMLEN 5
#define FWFT_SET_LOCK BIT(0) /* flags; the other bits are reserved */

#define MISALIGNED_DELEG (BIT(EXC_LOAD_MISALIGNED) | BIT(EXC_STORE_MISALIGNED))

struct fwft_feature {
	/* Whether the vCPU's hart can have it; NULL: never (NOT_SUPPORTED). */
	bool (*supported)(const struct vcpu *v);
	/* Its value now, and a new one (an SBI error if refused). */
	unsigned long (*get)(const struct vcpu *v);
	long (*set)(struct vcpu *v, unsigned long value);
};

static unsigned long misaligned_get(const struct vcpu *v)
{
	return (v->csrs.hedeleg & MISALIGNED_DELEG) == MISALIGNED_DELEG;
}

static long misaligned_set(struct vcpu *v, unsigned long value)
{
	if (value > 1)
		return SBI_ERR_INVALID_PARAM;
	return value == misaligned_get(v) ? SBI_SUCCESS : SBI_ERR_DENIED;
}

static bool always(const struct vcpu *v)
{
	(void)v;
	return true;
}

static bool has_svadu(const struct vcpu *v)
{
	(void)v;
	return vcpu_arch_henvcfg_has(HENVCFG_ADUE);
}

static unsigned long ad_get(const struct vcpu *v)
{
	return !!(v->csrs.henvcfg & HENVCFG_ADUE);
}

/* The vCPU runs on this hart (its ecall): its live henvcfg too. */
static long ad_set(struct vcpu *v, unsigned long value)
{
	if (value > 1)
		return SBI_ERR_INVALID_PARAM;
	if (value)
		v->csrs.henvcfg |= HENVCFG_ADUE;
	else
		v->csrs.henvcfg &= ~HENVCFG_ADUE;
	csr_write(CSR_HENVCFG, v->csrs.henvcfg);
	return SBI_SUCCESS;
}

/* The spec's defined local features, by ID; the rest are reserved. */
static const struct fwft_feature features[] = {
	[FWFT_MISALIGNED_EXC_DELEG] = { always, misaligned_get,
					misaligned_set },
	[FWFT_LANDING_PAD] = { 0 },
	[FWFT_SHADOW_STACK] = { 0 },
	[FWFT_DOUBLE_TRAP] = { 0 },
	[FWFT_PTE_AD_HW_UPDATING] = { has_svadu, ad_get, ad_set },
	[FWFT_POINTER_MASKING_PMLEN] = { 0 },
};

_Static_assert(ARRAY_SIZE(features) <=
		       8 * sizeof(((struct vcpu_sbi *)0)->fwft_locked),
	       "a lock bit each");

/*
 * The feature `id` names (32 bits: on RV64 the upper half is ignored, as
 * for every uint32_t argument): SBI_ERR_DENIED when reserved or platform-
 * specific, SBI_ERR_NOT_SUPPORTED when this vCPU cannot have it.
 */
static long lookup(const struct vcpu *v, unsigned long id,
		   const struct fwft_feature **f)
{
	uint32_t fid = (uint32_t)id;

	if (fid >= ARRAY_SIZE(features))
		return SBI_ERR_DENIED;
	*f = &features[fid];
	if (!(*f)->supported || !(*f)->supported(v))
		return SBI_ERR_NOT_SUPPORTED;
	return SBI_SUCCESS;
}

static struct sbi_result fwft_set(struct sbi_call *c)
{
	struct vcpu *v = c->vcpu;
	const struct fwft_feature *f = NULL;
	unsigned long value = c->a[1], flags = c->a[2];
	uint32_t fid = (uint32_t)c->a[0];
	long e;

	if (flags & ~FWFT_SET_LOCK)
		return sbi_err(SBI_ERR_INVALID_PARAM);
	e = lookup(v, c->a[0], &f);
	if (e)
		return sbi_err(e);
	if (v->sbi.fwft_locked & BIT(fid))
		return sbi_err(SBI_ERR_DENIED_LOCKED);
	e = f->set(v, value);
	if (e)
		return sbi_err(e);
	if (flags & FWFT_SET_LOCK)
		v->sbi.fwft_locked |= BIT(fid);
	return sbi_ok(0);
}

static struct sbi_result fwft_get(struct sbi_call *c)
{
	const struct fwft_feature *f = NULL;
	long e = lookup(c->vcpu, c->a[0], &f);

	return e ? sbi_err(e) : sbi_ok(f->get(c->vcpu));
}

/* The values are the vCPU's CSRs, which its reset sets: only the locks. */
static void fwft_vcpu_reset(struct vcpu *v)
{
	v->sbi.fwft_locked = 0;
}

static const sbi_fn fwft_fns[] = { fwft_set, fwft_get };

const struct sbi_ext sbi_ext_fwft =
	SBI_EXT(0x46574654, "FWFT", fwft_fns, .vcpu_reset = fwft_vcpu_reset);
