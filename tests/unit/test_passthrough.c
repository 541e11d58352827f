// SPDX-License-Identifier: MIT
/*
 * core/passthrough.c on tests/unit/dts/passthrough-host.dts (a QEMU virt
 * like host, read by L0's own platform_parse()): every reason a node is
 * refused, each as its one line; what a good node resolves to; and the node
 * as core/guest_fdt.c copies it into the guest's tree.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <l0/guest_fdt.h>
#include <l0/passthrough.h>
#include <l0/platform.h>

#include "stubs.h"

#define FDT_BUF 65536

static void *host_fdt;
static struct platform plat;
static struct vm_host host;
static struct vm_config cfg[3];
static struct passthrough pt;
static char err[256];

/* The host tree `name` from UNIT_DTB_DIR, parsed into `p`. */
static void *load_host(const char *name, struct platform *p)
{
	char path[512];
	void *fdt;
	FILE *f;
	long len;

	snprintf(path, sizeof(path), "%s/%s.dtb", UNIT_DTB_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run `make unit-test`)", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	fdt = malloc((size_t)len);
	assert_non_null(fdt);
	assert_int_equal(fread(fdt, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	if (platform_parse(fdt, p, err, sizeof(err)))
		fail_msg("platform_parse: %s", err);
	return fdt;
}

static int setup(void **state)
{
	(void)state;
	host_fdt = load_host("passthrough-host", &plat);
	host = (struct vm_host){ host_fdt, &plat };
	memset(cfg, 0, sizeof(cfg));
	for (int i = 0; i < 3; i++) {
		snprintf(cfg[i].name, sizeof(cfg[i].name), "g%d", i);
		cfg[i].direct_map = true;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(host_fdt);
	return 0;
}

static void give(struct vm_config *c, const char *path)
{
	snprintf(c->passthrough[c->npassthrough++], VM_PATH_MAX, "%s", path);
}

/* Guest g0 with only `path`: the check's line, or "" when it passes. */
static const char *check_one(const char *path)
{
	memset(&cfg[0].passthrough, 0, sizeof(cfg[0].passthrough));
	cfg[0].npassthrough = 0;
	give(&cfg[0], path);
	memset(err, 0, sizeof(err));
	memset(&pt, 0x5a, sizeof(pt));
	return passthrough_check(&host, cfg, 0, &pt, err, sizeof(err)) ? err
								       : "";
}

static void test_good_node(void **state)
{
	(void)state;
	assert_string_equal(check_one("/soc/virtio_mmio@10008000"), "");
	assert_int_equal(pt.ndev, 1);
	assert_int_equal(
		pt.dev[0].node,
		fdt_path_offset(host_fdt, "/soc/virtio_mmio@10008000"));
	assert_int_equal(pt.dev[0].nreg, 1);
	assert_int_equal(pt.dev[0].reg[0].base, 0x10008000);
	assert_int_equal(pt.dev[0].reg[0].size, 0x1000);
	assert_int_equal(pt.dev[0].nirq, 1);
	assert_int_equal(pt.dev[0].irq[0], 8);
	/* interrupt-parent from /soc; two ranges, two sources. */
	assert_string_equal(check_one("/soc/virtio_mmio@10007000"), "");
	assert_int_equal(pt.dev[0].irq[0], 7);
	assert_string_equal(check_one("/soc/two-ranges@25000000"), "");
	assert_int_equal(pt.dev[0].nreg, 2);
	assert_int_equal(pt.dev[0].reg[1].base, 0x26000000);
	assert_int_equal(pt.dev[0].reg[1].size, 0x2000);
	assert_int_equal(pt.dev[0].nirq, 2);
	assert_int_equal(pt.dev[0].irq[1], 34);
	/* No passthrough: nothing to check, nothing resolved. */
	cfg[1].npassthrough = 0;
	cfg[1].direct_map = false;
	assert_int_equal(
		passthrough_check(&host, cfg, 1, &pt, err, sizeof(err)), 0);
	assert_int_equal(pt.ndev, 0);
	cfg[1].direct_map = true;
}

static void test_refused(void **state)
{
	static const struct {
		const char *path, *line;
	} cases[] = {
		{ "/soc/nothing@0",
		  "guests/g0: passthrough: /soc/nothing@0: not in the host device tree" },
		{ "/soc/plic@c000000",
		  "guests/g0: passthrough: /soc/plic@c000000: an interrupt controller (L0's)" },
		{ "/soc/serial@10000000",
		  "guests/g0: passthrough: /soc/serial@10000000: L0's console UART" },
		{ "/soc/in-vplic@d000000",
		  "guests/g0: passthrough: /soc/in-vplic@d000000: reg: 0xd000000 overlaps the guest's virtual PLIC" },
		{ "/soc/near-vuart@28000000",
		  "guests/g0: passthrough: /soc/near-vuart@28000000: reg: 0x10000000 overlaps the guest's virtual UART" },
		{ "/soc/in-ram@bffff000",
		  "guests/g0: passthrough: /soc/in-ram@bffff000: reg: 0xbffff000 overlaps RAM" },
		{ "/memory@80000000",
		  "guests/g0: passthrough: /memory@80000000: reg: 0x80000000 overlaps RAM" },
		{ "/soc/unaligned@22000000",
		  "guests/g0: passthrough: /soc/unaligned@22000000: reg: 0x22000800+0x1000 is not page aligned (4 KiB)" },
		{ "/fw-cfg@10100000",
		  "guests/g0: passthrough: /fw-cfg@10100000: reg: 0x10100000+0x18 is not page aligned (4 KiB)" },
		{ "/soc/no-reg",
		  "guests/g0: passthrough: /soc/no-reg: reg: missing or malformed" },
		{ "/soc/clint@2000000",
		  "guests/g0: passthrough: /soc/clint@2000000: interrupts-extended: not supported" },
		{ "/soc/on-other-intc@21000000",
		  "guests/g0: passthrough: /soc/on-other-intc@21000000: interrupts: not on the host PLIC or L0's APLIC domain" },
		{ "/soc/irq-too-high@23000000",
		  "guests/g0: passthrough: /soc/irq-too-high@23000000: interrupts: source 200 is not one the vPLIC has (1..127)" },
		{ "/soc/irq-of-uart@24000000",
		  "guests/g0: passthrough: /soc/irq-of-uart@24000000: interrupts: source 10 is L0's console UART's" },
		{ "/soc/other-intc@20000000",
		  "guests/g0: passthrough: /soc/other-intc@20000000: an interrupt controller (L0's)" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(check_one(cases[i].path), cases[i].line);
}

static void test_needs_direct_map(void **state)
{
	(void)state;
	cfg[0].direct_map = false;
	assert_string_equal(
		check_one("/soc/virtio_mmio@10008000"),
		"guests/g0: passthrough: needs direct-map (a device does DMA to the addresses the guest gives it)");
	cfg[0].direct_map = true;
}

/* Two guests name one node: the first keeps it, the second is refused. */
static void test_two_owners(void **state)
{
	(void)state;
	give(&cfg[0], "/soc/virtio_mmio@10008000");
	give(&cfg[1], "/soc/virtio_mmio@10007000");
	give(&cfg[2], "/soc/virtio_mmio@10008000/"); /* same node */
	assert_int_equal(
		passthrough_check(&host, cfg, 0, &pt, err, sizeof(err)), 0);
	assert_int_equal(
		passthrough_check(&host, cfg, 1, &pt, err, sizeof(err)), 0);
	assert_int_equal(
		passthrough_check(&host, cfg, 2, &pt, err, sizeof(err)), -1);
	assert_string_equal(
		err,
		"guests/g2: passthrough: /soc/virtio_mmio@10008000/: already passed through to guests/g0");
	/* Twice in one guest. */
	give(&cfg[1], "/soc/virtio_mmio@10007000");
	assert_int_equal(
		passthrough_check(&host, cfg, 1, &pt, err, sizeof(err)), -1);
	assert_string_equal(
		err,
		"guests/g1: passthrough: /soc/virtio_mmio@10007000: listed twice");
}

/* Another node on an earlier guest's page or source is taken too. */
static void test_shared_page_or_source(void **state)
{
	(void)state;
	give(&cfg[0], "/soc/virtio_mmio@10008000");
	give(&cfg[1], "/soc/alias@10008000");
	assert_int_equal(
		passthrough_check(&host, cfg, 1, &pt, err, sizeof(err)), -1);
	assert_string_equal(
		err,
		"guests/g1: passthrough: /soc/alias@10008000: reg: 0x10008000 overlaps /soc/virtio_mmio@10008000 of guests/g0");
	give(&cfg[2], "/soc/irq-sharer@27000000");
	assert_int_equal(
		passthrough_check(&host, cfg, 2, &pt, err, sizeof(err)), -1);
	assert_string_equal(
		err,
		"guests/g2: passthrough: /soc/irq-sharer@27000000: interrupts: source 8 is also /soc/virtio_mmio@10008000's, of guests/g0");
	/* Alone, both are fine. */
	assert_string_equal(check_one("/soc/alias@10008000"), "");
	assert_string_equal(check_one("/soc/irq-sharer@27000000"), "");
	assert_int_equal(pt.dev[0].nirq, 2);
}

/* A bad node after a good one refuses the guest all the same. */
static void test_one_bad_of_two(void **state)
{
	(void)state;
	give(&cfg[0], "/soc/virtio_mmio@10008000");
	give(&cfg[0], "/soc/plic@c000000");
	assert_int_equal(
		passthrough_check(&host, cfg, 0, &pt, err, sizeof(err)), -1);
	assert_string_equal(
		err,
		"guests/g0: passthrough: /soc/plic@c000000: an interrupt controller (L0's)");
}

/*
 * On an AIA host (qemu-virt-aia.dts) a device's two-cell `interrupts` on
 * L0's S-level APLIC domain are taken when level-high; the M-level domain
 * is the firmware's.
 */
static void test_aia_host(void **state)
{
	static const struct {
		const char *path, *line;
	} cases[] = {
		{ "/soc/virtio_mmio@10008000", "" },
		{ "/soc/virtio_mmio@10007000",
		  "guests/g0: passthrough: /soc/virtio_mmio@10007000: interrupts: source 7 is not level-high (sense 1)" },
		{ "/soc/virtio_mmio@10006000",
		  "guests/g0: passthrough: /soc/virtio_mmio@10006000: interrupts: not on the host PLIC or L0's APLIC domain" },
	};
	struct platform aia;
	struct vm_host saved = host;
	void *fdt;

	(void)state;
	fdt = load_host("qemu-virt-aia", &aia);
	host = (struct vm_host){ fdt, &aia };
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(check_one(cases[i].path), cases[i].line);
	check_one("/soc/virtio_mmio@10008000");
	assert_int_equal(pt.ndev, 1);
	assert_int_equal(pt.dev[0].nirq, 1);
	assert_int_equal(pt.dev[0].irq[0], 8);
	/* Source 4 is no other guest's: g0's <8 4> has 4 as its sense. */
	give(&cfg[1], "/soc/virtio_mmio@10004000");
	assert_int_equal(
		passthrough_check(&host, cfg, 1, &pt, err, sizeof(err)), 0);
	assert_int_equal(pt.dev[0].irq[0], 4);
	host = saved;
	free(fdt);
}

/* The short error buffer: truncated, terminated, nothing written past. */
static void test_error_buffer_small(void **state)
{
	char small[16];

	(void)state;
	memset(small, 'x', sizeof(small));
	give(&cfg[0], "/soc/nothing@0");
	assert_int_equal(passthrough_check(&host, cfg, 0, &pt, small, 8), -1);
	assert_string_equal(small, "guests/");
	assert_int_equal(small[8], 'x');
}

static const struct guest_fdt_params params = {
	.name = "g0",
	.vcpus = 1,
	.isa = "rv64imafdc",
	.timebase_hz = 10000000,
	.mem_base = 0x90000000,
	.mem_size = 0x10000000,
	.plic_base = 0xc000000,
	.plic_size = 0x4000000,
	.plic_ndev = 95,
	.uart_base = 0x10000000,
	.uart_irq = 10,
	.uart_clock_hz = 3686400,
	.bootargs = "",
};

/* Two-cell number `i` of a reg property. */
static uint64_t reg64(const fdt32_t *reg, int i)
{
	return (uint64_t)fdt32_to_cpu(reg[2 * i]) << 32 |
	       fdt32_to_cpu(reg[2 * i + 1]);
}

/* The guest's copy: host properties, reg and interrupts on the vPLIC. */
static void test_guest_fdt_copy(void **state)
{
	struct guest_fdt_params p = params;
	void *fdt = malloc(FDT_BUF);
	const fdt32_t *cell;
	const fdt32_t *reg;
	int node, len;

	(void)state;
	assert_non_null(fdt);
	give(&cfg[0], "/soc/virtio_mmio@10007000");
	give(&cfg[0], "/soc/two-ranges@25000000");
	assert_int_equal(
		passthrough_check(&host, cfg, 0, &pt, err, sizeof(err)), 0);
	p.host_fdt = host_fdt;
	p.pt = &pt;
	assert_int_equal(guest_fdt_build(fdt, FDT_BUF, &p), 0);
	assert_int_equal(fdt_check_full(fdt, FDT_BUF), 0);

	node = fdt_path_offset(fdt, "/soc/virtio_mmio@10007000");
	assert_true(node >= 0);
	assert_int_equal(fdt_node_check_compatible(fdt, node, "virtio,mmio"),
			 0);
	assert_non_null(fdt_getprop(fdt, node, "dma-coherent", &len));
	assert_int_equal(len, 0);
	/* The host's phandle and status stay with the host. */
	assert_null(fdt_getprop(fdt, node, "phandle", NULL));
	assert_null(fdt_getprop(fdt, node, "status", NULL));
	reg = fdt_getprop(fdt, node, "reg", &len);
	assert_int_equal(len, 16);
	assert_int_equal(reg64(reg, 0), 0x10007000);
	assert_int_equal(reg64(reg, 1), 0x1000);
	cell = fdt_getprop(fdt, node, "interrupts", &len);
	assert_int_equal(len, 4);
	assert_int_equal(fdt32_to_cpu(cell[0]), 7);
	cell = fdt_getprop(fdt, node, "interrupt-parent", &len);
	assert_int_equal(len, 4);
	/* ... which is the guest's PLIC. */
	assert_int_equal(fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*cell)),
			 fdt_path_offset(fdt, "/soc/plic@c000000"));

	node = fdt_path_offset(fdt, "/soc/two-ranges@25000000");
	assert_true(node >= 0);
	reg = fdt_getprop(fdt, node, "reg", &len);
	assert_int_equal(len, 32);
	assert_int_equal(reg64(reg, 2), 0x26000000);
	assert_int_equal(reg64(reg, 3), 0x2000);
	cell = fdt_getprop(fdt, node, "interrupts", &len);
	assert_int_equal(len, 8);
	assert_int_equal(fdt32_to_cpu(cell[0]), 33);
	assert_int_equal(fdt32_to_cpu(cell[1]), 34);

	/* Too small a buffer: the libfdt error, nothing past the end. */
	for (int size = 64; size < (int)fdt_totalsize(fdt); size += 97) {
		void *small = malloc((size_t)size);

		assert_non_null(small);
		assert_int_equal(guest_fdt_build(small, (size_t)size, &p),
				 -FDT_ERR_NOSPACE);
		free(small);
	}
	free(fdt);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_good_node),	    T(test_refused),
		T(test_needs_direct_map),   T(test_two_owners),
		T(test_one_bad_of_two),	    T(test_shared_page_or_source),
		T(test_error_buffer_small), T(test_guest_fdt_copy),
		T(test_aia_host),
	};

	return cmocka_run_group_tests_name("passthrough", tests, NULL, NULL);
}
