// SPDX-License-Identifier: MIT
/* SBI NACL (SBI spec v2.0): nested/'s, for nested-enabled VMs. */
#include <l0/nested.h>
#include <l0/vm.h>
#include <l0/hot.h>

#include "sbi.h"

L0_HOT static struct sbi_result nacl_call(struct sbi_call *c)
{
	struct nested_sbiret r = nested_nacl_call(c->vcpu, c->tf, c->fid);

	return (struct sbi_result){ r.error, r.value, r.no_return };
}

/* PROBE_FEATURE, SET_SHMEM, SYNC_CSR, SYNC_HFENCE, SYNC_SRET. */
static const sbi_fn nacl_fns[] = { nacl_call, nacl_call, nacl_call, nacl_call,
				   nacl_call };

const struct sbi_ext sbi_ext_nacl =
	SBI_EXT(0x4e41434c, "NACL", nacl_fns, .present = nested_nacl_offered);
