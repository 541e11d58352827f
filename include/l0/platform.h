/* SPDX-License-Identifier: MIT */
/* The machine L0 runs on, as its device tree describes it. */
#ifndef L0_PLATFORM_H
#define L0_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <l0/isa.h>
#include <l0/memrange.h>

#define PLATFORM_MAX_MEM 8
#define PLATFORM_MAX_RESV 16
/* SG2044-class hosts have 64 harts; a VM's hart_mask covers ids 0..63. */
#define PLATFORM_MAX_HARTS 64

struct platform_cpu {
	uint64_t hartid;
	isa_bitmap_t isa;
	uint32_t intc_phandle; /* its riscv,cpu-intc node */
	/*
	 * How platform->irqchip names this hart's S-level external interrupt
	 * target: its PLIC context, its APLIC IDC (hart index) or its IMSIC
	 * S-level interrupt file's hart index; -1: none.
	 */
	int irq_target;
	uint32_t cboz_block; /* riscv,cboz-block-size; 0: none */
};

struct uart_model;

struct platform_uart {
	bool present;
	const struct uart_model *model; /* by compatible (drivers/uart/) */
	uint64_t base;
	uint32_t reg_shift;
	uint32_t reg_io_width; /* 1 or 4 */
	uint32_t clock_hz;
	uint32_t irq; /* its interrupt source (first cell); 0: none */
};

struct platform_mmio {
	bool present;
	uint64_t base;
	uint64_t size;
	uint32_t ndev; /* riscv,ndev / riscv,num-sources: interrupt sources */
};

/* The kind of host interrupt controller that raises the harts' SEIP. */
enum platform_irqchip {
	IRQCHIP_NONE,
	IRQCHIP_PLIC,
	IRQCHIP_APLIC, /* direct delivery: per-hart IDCs */
	IRQCHIP_IMSIC, /* S-level interrupt files, fed by an APLIC in MSI mode */
};

/*
 * An IMSIC's S-level interrupt files: the devicetree binding's geometry,
 * which places hart h's file at address bits (AIA spec 3.6, "Arrangement
 * of the memory regions of multiple interrupt files").
 */
struct platform_imsic {
	uint32_t num_ids;     /* riscv,num-ids: identities 1..num_ids */
	uint32_t guest_bits;  /* riscv,guest-index-bits */
	uint32_t hart_bits;   /* riscv,hart-index-bits */
	uint32_t group_bits;  /* riscv,group-index-bits */
	uint32_t group_shift; /* riscv,group-index-shift */
};

struct platform {
	struct mem_range mem[PLATFORM_MAX_MEM];
	size_t nmem;
	/* /reserved-memory children and the FDT's memory reservation block. */
	struct mem_range resv[PLATFORM_MAX_RESV];
	size_t nresv;
	/*
	 * The /reserved-memory children with `no-map` (OpenSBI's own): kept out
	 * of L0's page table too, so that not even a speculative access of
	 * L0's reaches them (devicetree spec, /reserved-memory).
	 */
	struct mem_range nomap[PLATFORM_MAX_RESV];
	size_t nnomap;
	struct platform_cpu cpus[PLATFORM_MAX_HARTS];
	size_t ncpus;
	uint64_t timebase_hz;
	struct platform_uart uart;
	struct platform_mmio plic;
	struct platform_mmio aplic;
	struct platform_mmio imsic;
	/*
	 * The controller that raises the harts' SEIP (by its interrupts-
	 * extended entries for cause 9), and so L0's: the PLIC, APLIC and IMSIC
	 * above are the S-level ones (the M-level domain is the firmware's).
	 */
	enum platform_irqchip irqchip;
	struct platform_imsic imsic_files;
	bool aplic_msi; /* the APLIC forwards to the IMSIC (its msi-parent) */
	uint64_t initrd_start;
	uint64_t initrd_end;
	const char *bootargs; /* points into the FDT; "" when absent */
	const void *rng_seed; /* /chosen/rng-seed in the FDT; NULL: none */
	size_t rng_seed_len;
};

/*
 * Fill `p` from the flattened device tree at `fdt`. Returns 0, or -1 with a
 * one-line reason in `err` (naming the node and property at fault).
 */
int platform_parse(const void *fdt, struct platform *p, char *err,
		   size_t errlen);

/* `n` (1 or 2) big-endian device-tree cells as one number. */
uint64_t platform_read_cells(const void *cells, int n);

/*
 * The RAM L0 maps for itself: the memory ranges less the no-map regions,
 * sorted, into `out` (room for `max`). Returns their count, or -1 when they
 * do not fit.
 */
int platform_l0_ram(const struct platform *p, struct mem_range *out,
		    size_t max);

/* The cpu entry of `hartid`, or NULL. */
const struct platform_cpu *platform_cpu(const struct platform *p,
					uint64_t hartid);

/* Whether `word` appears as a whitespace-separated word of the bootargs. */
bool platform_has_bootarg(const struct platform *p, const char *word);

/*
 * The value of the first bootargs word that starts with `key` ("name="),
 * up to the next blank; NULL when there is none.
 */
const char *platform_bootarg_value(const struct platform *p, const char *key);

#endif
