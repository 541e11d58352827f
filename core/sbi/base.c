// SPDX-License-Identifier: MIT
/* SBI BASE (SBI spec v2.0): versions, IDs and probe. */
#include "sbi.h"

#define SBI_SPEC_VERSION ((2UL << 24) | 0) /* v2.0 */
#define SBI_IMPL_VERSION 1

static struct sbi_result base_spec_version(struct sbi_call *c)
{
	(void)c;
	return sbi_ok(SBI_SPEC_VERSION);
}

static struct sbi_result base_impl_id(struct sbi_call *c)
{
	(void)c;
	return sbi_ok(SBI_IMPL_ID_L0);
}

static struct sbi_result base_impl_version(struct sbi_call *c)
{
	(void)c;
	return sbi_ok(SBI_IMPL_VERSION);
}

static struct sbi_result base_probe(struct sbi_call *c)
{
	return sbi_ok(sbi_ext_offered(c->vcpu, c->a[0]));
}

/* mvendorid, marchid, mimpid: 0 is the spec's "not implemented". */
static struct sbi_result base_machine_id(struct sbi_call *c)
{
	(void)c;
	return sbi_ok(0);
}

static const sbi_fn base_fns[] = {
	base_spec_version, base_impl_id,    base_impl_version, base_probe,
	base_machine_id,   base_machine_id, base_machine_id,
};

const struct sbi_ext sbi_ext_base = SBI_EXT(0x10, "BASE", base_fns);
