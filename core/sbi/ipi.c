// SPDX-License-Identifier: MIT
/* SBI IPI (SBI spec v2.0), and the hart masks IPI and RFENCE take. */
#include <arch/csr.h>
#include <l0/bits.h>
#include <l0/vm.h>

#include "sbi.h"

long sbi_for_each_in_mask(struct vm *vm, unsigned long mask, unsigned long base,
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
	return sbi_err(sbi_for_each_in_mask(c->vcpu->vm, c->a[0], c->a[1],
					    raise_soft_irq, NULL));
}

static const sbi_fn ipi_fns[] = { ipi_send };

const struct sbi_ext sbi_ext_ipi = SBI_EXT(0x735049, "IPI", ipi_fns);
