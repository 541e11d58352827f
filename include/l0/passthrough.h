/* SPDX-License-Identifier: MIT */
/*
 * Static device assignment (core/passthrough.c): which host device-tree
 * nodes a guest's `passthrough` property may take, with their MMIO ranges
 * and PLIC sources. Plain logic on the host FDT, the platform and the
 * guests' configuration, so that unit tests can call it.
 *
 * Trust: without an IOMMU a device that does DMA reaches all of memory, so
 * a guest that owns one is trusted for DMA; `direct-map` only makes its own
 * addresses the right ones. An IOMMU would confine it here: this is where
 * a device's DMA domain would be set up from the same node list.
 */
#ifndef L0_PASSTHROUGH_H
#define L0_PASSTHROUGH_H

#include <stddef.h>
#include <stdint.h>

#include <l0/memrange.h>
#include <l0/platform.h>
#include <l0/vm_config.h>

#define PT_MAX_REGS 4 /* reg entries of one node */
#define PT_MAX_IRQS 4 /* PLIC sources of one node */

/* What L0 needs from the host to create guests. */
struct vm_host {
	const void *fdt; /* the host's device tree */
	const struct platform *plat;
};

struct pt_device {
	int node; /* offset in the host FDT */
	struct mem_range reg[PT_MAX_REGS];
	unsigned int nreg;
	uint32_t irq[PT_MAX_IRQS]; /* host PLIC sources */
	unsigned int nirq;
};

struct passthrough {
	struct pt_device dev[VM_PASSTHROUGH_MAX];
	unsigned int ndev;
};

/*
 * Resolve and check the passthrough nodes of guest cfg[idx] against the
 * host: each node exists, is no interrupt controller
 * and not L0's console UART, is passed to no earlier guest (cfg[0..idx-1])
 * and not twice to this one, has page-aligned reg ranges that overlap no
 * RAM (L0's or a guest's) and none of a guest's virtual devices (vPLIC,
 * vUART), and interrupts on the host PLIC that the vPLIC can number; and
 * the guest has direct-map. Returns 0 with `out` filled, or -1 with one
 * line "guests/<name>: passthrough: <reason>" in `err`.
 */
int passthrough_check(const struct vm_host *host, const struct vm_config *cfg,
		      size_t idx, struct passthrough *out, char *err,
		      size_t errlen);

#endif
