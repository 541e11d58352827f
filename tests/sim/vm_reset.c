// SPDX-License-Identifier: MIT
/*
 * core/vm.c as it is, plus a way for the sim to forget its VMs: the table is
 * static, and a fuzzer boots a fresh machine for every input.
 */
#include "../../core/vm.c"

#include "sim.h"

void sim_forget_vms(void)
{
	memset(vms, 0, sizeof(vms));
	nvms = 0;
}
