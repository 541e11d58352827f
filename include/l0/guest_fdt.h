/* SPDX-License-Identifier: MIT */
/*
 * The device tree L0 writes for each guest (core/guest_fdt.c): only what the
 * guest really gets, laid out like QEMU's virt machine so that Debian's
 * kernel needs nothing special.
 */
#ifndef L0_GUEST_FDT_H
#define L0_GUEST_FDT_H

#include <stddef.h>
#include <stdint.h>

#include <l0/passthrough.h>

struct guest_fdt_params {
	const char *name;   /* the VM's name: root "model" */
	unsigned int vcpus; /* cpu@0 .. cpu@(vcpus-1), hart ids 0.. */
	const char *isa;    /* riscv,isa string, e.g. "rv64imafdc_zicsr_sstc" */
	const char *const *isa_extensions; /* riscv,isa-extensions, NULL-ended */
	uint32_t timebase_hz;
	uint64_t mem_base, mem_size;
	uint64_t plic_base, plic_size;
	uint32_t plic_ndev;
	uint64_t uart_base;
	uint32_t uart_irq; /* PLIC source of the UART */
	uint32_t uart_clock_hz;
	const char *bootargs;		   /* "" for none */
	uint64_t initrd_start, initrd_end; /* both 0: no initrd */
	const uint8_t *rng_seed;	   /* /chosen/rng-seed; NULL: none */
	size_t rng_seed_len;
	/* Host nodes the guest owns, copied from host_fdt (pt NULL: none). */
	const void *host_fdt;
	const struct passthrough *pt;
};

/*
 * Write the tree into `buf` (`size` bytes; nothing is written past them).
 * Returns 0, or a negative libfdt error: -FDT_ERR_NOSPACE when it does not
 * fit, -FDT_ERR_BADVALUE for no vcpus, a NULL name or isa, or an initrd that
 * ends before it starts. The PLIC's context N is vcpu N's S-mode context.
 * Each passed-through node is copied into /soc under its host name with
 * its properties, its reg (two cells each) and its interrupts on the
 * guest's PLIC; the properties that name other nodes by phandle are left
 * out (the interrupt ones are rewritten), so the node must not need them.
 */
int guest_fdt_build(void *buf, size_t size, const struct guest_fdt_params *p);

#endif
