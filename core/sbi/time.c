// SPDX-License-Identifier: MIT
/* SBI TIME (SBI spec v2.0): the vCPU's timer. */
#include <arch/csr.h>
#include <arch/vcpu_arch.h>

#include "sbi.h"

static struct sbi_result time_set_timer(struct sbi_call *c)
{
	struct vcpu *v = c->vcpu;

	if (vcpu_arch_has_sstc()) {
		csr_write(CSR_VSTIMECMP, c->a[0]);
	} else {
		v->timer_deadline = c->a[0];
		csr_clear(CSR_HVIP, HVIP_VSTIP);
	}
	return sbi_ok(0);
}

static const sbi_fn time_fns[] = { time_set_timer };

const struct sbi_ext sbi_ext_time = SBI_EXT(0x54494d45, "TIME", time_fns);
