// SPDX-License-Identifier: MIT
/* SBI SRST (SBI spec v2.0): the VM's shutdown and reboot. */
#include <l0/vm.h>

#include "sbi.h"

#define SRST_TYPE_SHUTDOWN 0
#define SRST_TYPE_COLD_REBOOT 1
#define SRST_TYPE_WARM_REBOOT 2
#define SRST_REASON_SYSFAIL 1

/* Reserved and vendor types and reasons alike: L0 implements no other. */
static struct sbi_result srst_reset(struct sbi_call *c)
{
	unsigned long type = c->a[0], reason = c->a[1];

	if (type > SRST_TYPE_WARM_REBOOT || reason > SRST_REASON_SYSFAIL)
		return sbi_err(SBI_ERR_INVALID_PARAM);
	if (type == SRST_TYPE_SHUTDOWN)
		vm_stop(c->vcpu->vm,
			reason ? "the guest shut down (system failure)"
			       : "the guest shut down");
	else
		vm_reboot(c->vcpu->vm);
	return sbi_ok(0);
}

static const sbi_fn srst_fns[] = { srst_reset };

const struct sbi_ext sbi_ext_srst = SBI_EXT(0x53525354, "SRST", srst_fns);
