// SPDX-License-Identifier: MIT
/*
 * core/platform.c on device trees from tests/unit/dts (compiled by dtc into
 * UNIT_DTB_DIR) and on blobs broken here with the host libfdt. Every blob is
 * parsed from a heap buffer of exactly its size, so ASan sees any overread.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <drivers/uart.h>
#include <l0/bits.h>
#include <l0/platform.h>

#include "stubs.h"

#define B(x) ISA_BIT(ISA_##x)
#define IMAFD (B(I) | B(M) | B(A) | B(F) | B(D))

static struct platform plat;
static char err[256];
static void *kept; /* the blob plat.bootargs points into */

/* The DTB `name` from UNIT_DTB_DIR, in a buffer of its exact size. */
static void *load_dtb(const char *name, size_t *size)
{
	char path[512];
	FILE *f;
	void *buf;
	long len;

	snprintf(path, sizeof(path), "%s/%s.dtb", UNIT_DTB_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run `make unit-test`)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	if (size)
		*size = (size_t)len;
	return buf;
}

/* A writable copy of `name` with `extra` bytes of room, for libfdt edits. */
static void *editable(const char *name, size_t extra)
{
	size_t size;
	void *dtb = load_dtb(name, &size);
	void *buf = malloc(size + extra);

	assert_non_null(buf);
	assert_int_equal(fdt_open_into(dtb, buf, (int)(size + extra)), 0);
	free(dtb);
	return buf;
}

static int node(const void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	if (off < 0)
		fail_msg("no %s in the test tree", path);
	return off;
}

/* Parse a copy of `fdt` of exactly its totalsize; returns the result. */
static int parse_blob(const void *fdt)
{
	size_t size = fdt_totalsize(fdt);
	void *copy;
	int rc;

	copy = malloc(size);
	assert_non_null(copy);
	memcpy(copy, fdt, size);
	memset(err, 0, sizeof(err));
	rc = platform_parse(copy, &plat, err, sizeof(err));
	free(copy);
	return rc;
}

static void parse_ok(const char *name)
{
	void *fdt = load_dtb(name, NULL);

	memset(err, 0, sizeof(err));
	if (platform_parse(fdt, &plat, err, sizeof(err)))
		fail_msg("%s: %s", name, err);
	free(kept);
	kept = fdt;
}

#define assert_range(r, b, s)                    \
	do {                                     \
		assert_int_equal((r).base, (b)); \
		assert_int_equal((r).size, (s)); \
	} while (0)

/* Parsing must fail with an error naming `what` and `where`. */
static void expect_error(int rc, const char *what, const char *where)
{
	assert_int_equal(rc, -1);
	assert_substr(err, what);
	if (where)
		assert_substr(err, where);
}

static void expect_dtb_error(const char *name, const char *what,
			     const char *where)
{
	void *fdt = load_dtb(name, NULL);
	int rc;

	memset(err, 0, sizeof(err));
	rc = platform_parse(fdt, &plat, err, sizeof(err));
	free(fdt);
	expect_error(rc, what, where);
}

static void test_virt_memory_and_reserved(void **state)
{
	(void)state;
	parse_ok("qemu-virt");
	assert_int_equal(plat.nmem, 1);
	assert_range(plat.mem[0], 0x80000000, 0x8000000);
	/* OpenSBI's two touching regions merge; "dynamic" has no reg. */
	assert_int_equal(plat.nresv, 2);
	assert_range(plat.resv[0], 0x80000000, 0x60000);
	assert_range(plat.resv[1], 0x87e00000, 0x10000);
}

/* OpenSBI's no-map regions leave L0's own map; other reservations stay. */
static void test_virt_l0_ram(void **state)
{
	struct mem_range ram[4];

	(void)state;
	parse_ok("qemu-virt");
	assert_int_equal(plat.nnomap, 1);
	assert_range(plat.nomap[0], 0x80000000, 0x60000);
	assert_int_equal(platform_l0_ram(&plat, ram, ARRAY_SIZE(ram)), 1);
	assert_range(ram[0], 0x80060000, 0x8000000 - 0x60000);
}

/* A no-map region inside RAM splits it; one without no-map does not. */
static void test_l0_ram_split(void **state)
{
	void *fdt = editable("qemu-virt", 512);
	struct mem_range ram[4];
	int resv = node(fdt, "/reserved-memory"), n;

	(void)state;
	n = fdt_add_subnode(fdt, resv, "hole@84000000");
	assert_true(n >= 0);
	assert_int_equal(fdt_appendprop_u64(fdt, n, "reg", 0x84000000), 0);
	assert_int_equal(fdt_appendprop_u64(fdt, n, "reg", 0x200000), 0);
	assert_int_equal(fdt_setprop_empty(fdt, n, "no-map"), 0);
	n = fdt_add_subnode(fdt, resv, "kept@86000000");
	assert_true(n >= 0);
	assert_int_equal(fdt_appendprop_u64(fdt, n, "reg", 0x86000000), 0);
	assert_int_equal(fdt_appendprop_u64(fdt, n, "reg", 0x1000), 0);
	assert_int_equal(parse_blob(fdt), 0);
	assert_int_equal(plat.nnomap, 2);
	assert_int_equal(platform_l0_ram(&plat, ram, ARRAY_SIZE(ram)), 2);
	assert_range(ram[0], 0x80060000, 0x84000000 - 0x80060000);
	assert_range(ram[1], 0x84200000, 0x88000000 - 0x84200000);
	/* No room for the second range: an error, not a short map. */
	assert_int_equal(platform_l0_ram(&plat, ram, 1), -1);
	free(fdt);
}

static void test_virt_cpus(void **state)
{
	const isa_bitmap_t ext =
		IMAFD | B(C) | B(H) | B(ZICSR) | B(ZIFENCEI) | B(SSTC) | B(ZBA);

	(void)state;
	parse_ok("qemu-virt");
	assert_int_equal(plat.timebase_hz, 10000000);
	assert_int_equal(plat.ncpus, 4); /* cpu-map is no cpu */
	assert_int_equal(plat.cpus[0].hartid, 0);
	assert_int_equal(plat.cpus[1].hartid, 1);
	assert_int_equal(plat.cpus[2].hartid, 2);
	assert_int_equal(plat.cpus[3].hartid, 7);
	/* The list wins over the string (which lacks sstc on cpu@0). */
	assert_int_equal(plat.cpus[0].isa, ext);
	assert_int_equal(plat.cpus[1].isa, ext);
	assert_int_equal(plat.cpus[2].isa, ext);
	assert_int_equal(plat.cpus[3].isa,
			 IMAFD | B(C) | B(ZICSR) | B(SVINVAL));
}

/* stdout-path names the second UART; its ":115200" is not in the path. */
static void test_virt_uart_from_stdout_path(void **state)
{
	(void)state;
	parse_ok("qemu-virt");
	assert_true(plat.uart.present);
	assert_int_equal(plat.uart.base, 0x10001000);
	assert_int_equal(plat.uart.reg_shift, 2);
	assert_int_equal(plat.uart.reg_io_width, 4);
	assert_int_equal(plat.uart.clock_hz, 1843200);
}

static void test_virt_plic(void **state)
{
	(void)state;
	parse_ok("qemu-virt");
	assert_true(plat.plic.present);
	assert_int_equal(plat.plic.base, 0xc000000);
	assert_int_equal(plat.plic.size, 0x600000);
	assert_int_equal(plat.plic.ndev, 95);
	assert_false(plat.aplic.present);
	assert_false(plat.imsic.present);
}

static void test_virt_chosen(void **state)
{
	(void)state;
	parse_ok("qemu-virt");
	assert_int_equal(plat.initrd_start, 0x88000000);
	assert_int_equal(plat.initrd_end, 0x88200000);
	assert_string_equal(plat.bootargs,
			    "console=ttyS0  l0.poweroff quiet earlycon");
	assert_true(platform_has_bootarg(&plat, "l0.poweroff"));
	assert_true(platform_has_bootarg(&plat, "console=ttyS0"));
	assert_true(platform_has_bootarg(&plat, "earlycon"));
	assert_false(platform_has_bootarg(&plat, "l0.selftest=fault"));
	/* A value runs to the next blank: the caller stops there. */
	assert_string_equal(platform_bootarg_value(&plat, "console="),
			    "ttyS0  l0.poweroff quiet earlycon");
	assert_ptr_equal(platform_bootarg_value(&plat, "quiet="), NULL);
	assert_ptr_equal(platform_bootarg_value(&plat, "sole="), NULL);
	assert_ptr_equal(platform_bootarg_value(&plat, "l0.vmidlen="), NULL);
	assert_int_equal(plat.rng_seed_len, 16);
	assert_memory_equal(plat.rng_seed, "\x01\x02\x03\x04", 4);
}

/* aia=aplic-imsic: the S-level IMSIC and the APLIC that feeds it. */
static void test_aia_variant(void **state)
{
	(void)state;
	parse_ok("qemu-virt-aia");
	assert_false(plat.plic.present);
	assert_int_equal(plat.irqchip, IRQCHIP_IMSIC);
	assert_true(plat.aplic.present);
	assert_true(plat.aplic_msi);
	assert_int_equal(plat.aplic.base, 0xd000000);
	assert_int_equal(plat.aplic.size, 0x8000);
	assert_int_equal(plat.aplic.ndev, 96);
	assert_true(plat.imsic.present);
	assert_int_equal(plat.imsic.base, 0x28000000);
	assert_int_equal(plat.imsic.size, 0x2000);
	assert_int_equal(plat.imsic_files.num_ids, 255);
	assert_int_equal(plat.imsic_files.guest_bits, 0);
	assert_int_equal(plat.imsic_files.hart_bits, 1); /* 2 harts */
	assert_int_equal(plat.imsic_files.group_bits, 0);
	assert_int_equal(plat.imsic_files.group_shift, 24);
	assert_int_equal(plat.cpus[0].irq_target, 0);
	assert_int_equal(plat.cpus[1].irq_target, 1);
	assert_true(isa_has(plat.cpus[0].isa, ISA_SMAIA));
	assert_true(isa_has(plat.cpus[0].isa, ISA_SSAIA));
	assert_int_equal(plat.nresv, 0);
}

/* aia=aplic: the S-level APLIC in direct mode, one IDC per hart. */
static void test_aplic_direct(void **state)
{
	(void)state;
	parse_ok("qemu-virt-aplic");
	assert_int_equal(plat.irqchip, IRQCHIP_APLIC);
	assert_false(plat.aplic_msi);
	assert_false(plat.imsic.present);
	assert_int_equal(plat.aplic.base, 0xd000000);
	assert_int_equal(plat.aplic.ndev, 96);
	assert_int_equal(plat.cpus[0].irq_target, 0);
	assert_int_equal(plat.cpus[1].irq_target, 1);
	assert_int_equal(plat.uart.irq, 10);
}

/* Without the S-level domain only the firmware's is left: not L0's. */
static void test_aplic_m_level_only(void **state)
{
	void *fdt = editable("qemu-virt-aplic", 64);

	(void)state;
	assert_int_equal(fdt_setprop_string(
				 fdt,
				 node(fdt, "/soc/interrupt-controller@d000000"),
				 "status", "disabled"),
			 0);
	assert_int_equal(parse_blob(fdt), 0);
	assert_int_equal(plat.irqchip, IRQCHIP_NONE);
	assert_int_equal(plat.cpus[0].irq_target, -1);
	free(fdt);
}

/*
 * Files through two reg regions, 16 KiB apart (4 guest indices): the hart
 * index is each file's address bits (AIA spec 3.6), not its entry's index.
 */
static void test_imsic_groups(void **state)
{
	(void)state;
	parse_ok("imsic-groups");
	assert_int_equal(plat.irqchip, IRQCHIP_IMSIC);
	assert_true(plat.aplic_msi);
	assert_int_equal(plat.imsic_files.num_ids, 127);
	assert_int_equal(plat.cpus[3].irq_target, 0); /* 0x28000000 */
	assert_int_equal(plat.cpus[2].irq_target, 1); /* 0x28004000 */
	assert_int_equal(plat.cpus[1].irq_target, 4); /* 0x29000000: group 1 */
	assert_int_equal(plat.cpus[0].irq_target, 5); /* 0x29004000 */
}

/* Geometry out of the spec's range, and entries beyond the files. */
static void test_err_imsic_geometry(void **state)
{
	static const struct {
		const char *prop;
		uint32_t v;
	} bad[] = {
		{ "riscv,hart-index-bits", 14 }, /* with a group bit: 15 */
		{ "riscv,guest-index-bits", 7 },
		{ "riscv,num-ids", 62 },
		{ "riscv,group-index-shift", 15 }, /* into the hart bits */
	};
	const char *imsic = "/soc/interrupt-controller@28000000";

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		void *fdt = editable("imsic-groups", 64);

		assert_int_equal(fdt_setprop_u32(fdt, node(fdt, imsic),
						 bad[i].prop, bad[i].v),
				 0);
		expect_error(parse_blob(fdt),
			     "riscv,num-ids or riscv,*-index-*", imsic);
		free(fdt);
	}
	{
		void *fdt = editable("imsic-groups", 64);

		/* Two files of 16 KiB: entries 2 and 3 have none. */
		assert_int_equal(fdt_setprop_u64(fdt, node(fdt, imsic), "reg",
						 0x28000000),
				 0);
		assert_int_equal(fdt_appendprop_u64(fdt, node(fdt, imsic),
						    "reg", 0x8000),
				 0);
		expect_error(parse_blob(fdt),
			     "reg: no interrupt file for entry 2", imsic);
		free(fdt);
	}
}

/* One-cell initrd addresses; no bootargs; the first 16550, defaults. */
static void test_aia_chosen_and_uart(void **state)
{
	(void)state;
	parse_ok("qemu-virt-aia");
	assert_int_equal(plat.initrd_start, 0x84000000);
	assert_int_equal(plat.initrd_end, 0x84001000);
	assert_non_null(plat.bootargs);
	assert_string_equal(plat.bootargs, "");
	assert_null(plat.rng_seed); /* no rng-seed in this tree */
	assert_int_equal(plat.rng_seed_len, 0);
	assert_false(platform_has_bootarg(&plat, "console=ttyS0"));
	assert_ptr_equal(platform_bootarg_value(&plat, "console="), NULL);
	assert_true(plat.uart.present);
	assert_int_equal(plat.uart.base, 0x10000000);
	assert_int_equal(plat.uart.reg_shift, 0);
	assert_int_equal(plat.uart.reg_io_width, 1);
	assert_int_equal(plat.uart.clock_hz, 0);
}

static void test_cells_1_memory(void **state)
{
	(void)state;
	parse_ok("cells-1");
	/* Sorted, touching ranges merged, the disabled node left out. */
	assert_int_equal(plat.nmem, 2);
	assert_range(plat.mem[0], 0x80000000, 0x2000000);
	assert_range(plat.mem[1], 0x90000000, 0x1000000);
}

static void test_cells_1_cpus_skip_disabled(void **state)
{
	(void)state;
	parse_ok("cells-1");
	assert_int_equal(plat.timebase_hz, 24000000);
	assert_int_equal(plat.ncpus, 2);
	assert_int_equal(plat.cpus[0].hartid, 1);
	assert_int_equal(plat.cpus[0].isa, IMAFD | B(ZICSR) | B(ZIFENCEI) |
						   B(C) | B(H) | B(SSTC));
	assert_int_equal(plat.cpus[1].hartid, 2);
	assert_null(platform_cpu(&plat, 0));
}

/* stdout-path through an alias, to a UART that is only "ns16550". */
static void test_cells_1_uart_alias_and_plic(void **state)
{
	(void)state;
	parse_ok("cells-1");
	assert_true(plat.uart.present);
	assert_int_equal(plat.uart.base, 0x2500000);
	assert_int_equal(plat.uart.reg_shift, 2);
	assert_int_equal(plat.uart.reg_io_width, 4);
	assert_int_equal(plat.uart.clock_hz, 24000000);
	assert_true(plat.plic.present);
	assert_int_equal(plat.plic.base, 0x10000000);
	assert_int_equal(plat.plic.size, 0x4000000);
	assert_int_equal(plat.plic.ndev, 200);
	assert_int_equal(plat.initrd_start, 0);
	assert_int_equal(plat.initrd_end, 0);
}

/* EIC7700: a DesignWare UART by stdout-path, its stride and width. */
static void test_eic7700_dw_uart(void **state)
{
	(void)state;
	parse_ok("eic7700");
	assert_true(plat.uart.present);
	assert_ptr_equal(plat.uart.model, &uart_dw_apb);
	assert_int_equal(plat.uart.base, 0x50900000);
	assert_int_equal(plat.uart.reg_shift, 2);
	assert_int_equal(plat.uart.reg_io_width, 4);
	assert_int_equal(plat.uart.irq, 100);
	assert_false(isa_has(plat.cpus[0].isa, ISA_SSTC));
	assert_int_equal(plat.irqchip, IRQCHIP_PLIC);
	assert_int_equal(plat.cpus[0].irq_target, 1);
}

/* K3: the first UART L0 drives (no stdout-path), two-cell interrupts. */
static void test_k3_xscale_uart(void **state)
{
	(void)state;
	parse_ok("k3");
	assert_true(plat.uart.present);
	assert_ptr_equal(plat.uart.model, &uart_xscale);
	assert_int_equal(plat.uart.base, 0xd4017000);
	assert_int_equal(plat.uart.irq, 42);
	assert_range(plat.mem[0], 0x100000000, 0x200000000);
	assert_false(plat.plic.present);
	assert_true(plat.aplic.present);
	/* L0's interrupts: the hart's IMSIC file, fed by the APLIC's MSIs. */
	assert_int_equal(plat.irqchip, IRQCHIP_IMSIC);
	assert_true(plat.aplic_msi);
	assert_int_equal(plat.aplic.ndev, 512);
	assert_int_equal(plat.imsic_files.num_ids, 511);
	assert_int_equal(plat.cpus[0].irq_target, 0);
}

/* The node's most specific compatible that L0 drives picks the model. */
static void test_uart_model_by_compatible(void **state)
{
	static const struct {
		const char list[64];
		size_t len;
		const struct uart_model *model;
	} cases[] = {
		{ "snps,dw-apb-uart\0ns16550a", 26, &uart_dw_apb },
		{ "ns16550a\0snps,dw-apb-uart", 26, &uart_ns16550a },
		{ "eswin,uart\0snps,dw-apb-uart", 28, &uart_dw_apb },
		{ "spacemit,k1-uart\0intel,xscale-uart", 35, &uart_xscale },
		{ "ns16550", 8, &uart_ns16550 },
		{ "sifive,uart0", 13, NULL },
	};
	void *fdt = editable("base", 512);
	int uart = node(fdt, "/soc/serial@10000000");

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(fdt_setprop(fdt, uart, "compatible",
					     cases[i].list, (int)cases[i].len),
				 0);
		assert_ptr_equal(uart_model_of(fdt, uart), cases[i].model);
	}
	free(fdt);
}

/* reg-io-width and reg-shift L0 cannot drive: one line naming them. */
static void test_err_uart_io_width(void **state)
{
	void *fdt = editable("eic7700", 64);
	int uart = node(fdt, "/soc/serial@50900000");

	(void)state;
	assert_int_equal(fdt_setprop_u32(fdt, uart, "reg-io-width", 2), 0);
	expect_error(parse_blob(fdt), "reg-io-width", "/soc/serial@50900000");
	assert_int_equal(fdt_setprop_u32(fdt, uart, "reg-io-width", 4), 0);
	assert_int_equal(fdt_setprop_u32(fdt, uart, "reg-shift", 30), 0);
	expect_error(parse_blob(fdt), "reg-shift", "/soc/serial@50900000");
	free(fdt);
}

static void test_platform_cpu_lookup(void **state)
{
	(void)state;
	parse_ok("qemu-virt");
	assert_ptr_equal(platform_cpu(&plat, 0), &plat.cpus[0]);
	assert_ptr_equal(platform_cpu(&plat, 7), &plat.cpus[3]);
	assert_null(platform_cpu(&plat, 3));
	assert_null(platform_cpu(&plat, 0x100000007ULL));
}

static void test_has_bootarg_words(void **state)
{
	struct platform p = { .bootargs = "  root=/dev/vda  ro l0.x=1 " };

	(void)state;
	assert_true(platform_has_bootarg(&p, "ro"));
	assert_true(platform_has_bootarg(&p, "root=/dev/vda"));
	assert_true(platform_has_bootarg(&p, "l0.x=1"));
	assert_false(platform_has_bootarg(&p, "r"));
	assert_false(platform_has_bootarg(&p, "root"));
	assert_false(platform_has_bootarg(&p, "l0.x=10"));
	assert_false(platform_has_bootarg(&p, "1"));
	p.bootargs = "";
	assert_false(platform_has_bootarg(&p, "ro"));
}

/* platform.h: "a whitespace-separated word"; tabs and newlines count. */
static void test_has_bootarg_other_whitespace(void **state)
{
	struct platform p = { .bootargs = "quiet\tl0.poweroff\nro" };

	(void)state;
	assert_true(platform_has_bootarg(&p, "l0.poweroff"));
	assert_true(platform_has_bootarg(&p, "quiet"));
}

static void test_err_no_memory(void **state)
{
	(void)state;
	expect_dtb_error("bad-no-memory", "no memory node", "device_type");
}

static void test_err_no_timebase(void **state)
{
	(void)state;
	expect_dtb_error("bad-no-timebase", "timebase-frequency", "/cpus");
}

static void test_err_cpu_reg(void **state)
{
	(void)state;
	expect_dtb_error("bad-cpu-reg", "reg: bad hart id", "/cpus/cpu@1");
}

static void test_err_isa_not_rv64(void **state)
{
	(void)state;
	expect_dtb_error("bad-isa-rv32", "riscv,isa", "/cpus/cpu@1");
}

static void test_err_initrd_backwards(void **state)
{
	(void)state;
	expect_dtb_error("bad-initrd", "linux,initrd-end", "/chosen");
}

static void test_err_no_irqchip(void **state)
{
	(void)state;
	expect_dtb_error("bad-no-irqchip", "no interrupt controller", NULL);
}

/* A cpu without reg, and one without any ISA property. */
static void test_err_cpu_props_missing(void **state)
{
	void *fdt = editable("base", 1024);

	(void)state;
	assert_int_equal(fdt_delprop(fdt, node(fdt, "/cpus/cpu@0"), "reg"), 0);
	expect_error(parse_blob(fdt), "reg", "/cpus/cpu@0");
	free(fdt);
	fdt = editable("base", 1024);
	assert_int_equal(
		fdt_delprop(fdt, node(fdt, "/cpus/cpu@1"), "riscv,isa"), 0);
	expect_error(parse_blob(fdt), "riscv,isa", "/cpus/cpu@1");
	free(fdt);
}

/* Memory whose every range is empty is no memory. */
static void test_err_memory_all_empty(void **state)
{
	void *fdt = editable("base", 1024);
	int mem = node(fdt, "/memory@80000000"), rc;

	(void)state;
	assert_int_equal(fdt_delprop(fdt, mem, "reg"), 0);
	assert_int_equal(
		fdt_appendprop_addrrange(fdt, 0, mem, "reg", 0x80000000, 0), 0);
	rc = parse_blob(fdt);
	free(fdt);
	if (!rc)
		fail_msg("parsed, with %zu memory ranges", plat.nmem);
	assert_substr(err, "no memory");
}

static void test_err_no_cpus(void **state)
{
	void *fdt = editable("base", 1024);

	(void)state;
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/cpus/cpu@0"),
					    "status", "disabled"),
			 0);
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/cpus/cpu@1"),
					    "status", "fail"),
			 0);
	expect_error(parse_blob(fdt), "no enabled cpu", "/cpus");
	assert_int_equal(fdt_del_node(fdt, node(fdt, "/cpus")), 0);
	expect_error(parse_blob(fdt), "no /cpus", NULL);
	free(fdt);
}

static void test_err_unsupported_cells(void **state)
{
	void *fdt = editable("base", 1024);

	(void)state;
	assert_int_equal(
		fdt_setprop_u32(fdt, node(fdt, "/soc"), "#address-cells", 3),
		0);
	expect_error(parse_blob(fdt), "#address-cells", "/soc");
	free(fdt);
}

static void test_err_uart_reg_short(void **state)
{
	void *fdt = editable("base", 1024);
	int uart = node(fdt, "/soc/serial@10000000");

	(void)state;
	assert_int_equal(fdt_setprop_u32(fdt, uart, "reg", 0x10000000), 0);
	expect_error(parse_blob(fdt), "reg", "/soc/serial@10000000");
	free(fdt);
}

/* Add cpu@<id> nodes for ids first..last-1 under /cpus. */
static void add_cpus(void *fdt, unsigned int first, unsigned int last)
{
	for (unsigned int id = first; id < last; id++) {
		char name[16];
		int off;

		snprintf(name, sizeof(name), "cpu@%u", id);
		off = fdt_add_subnode(fdt, node(fdt, "/cpus"), name);
		assert_true(off >= 0);
		assert_int_equal(
			fdt_setprop_string(fdt, off, "device_type", "cpu"), 0);
		assert_int_equal(fdt_setprop_u32(fdt, off, "reg", id), 0);
		assert_int_equal(fdt_setprop_string(fdt, off, "riscv,isa",
						    "rv64imafdch"),
				 0);
	}
}

/* 64 harts, as SG2044-class hosts have; one more is refused by name. */
static void test_harts_limit(void **state)
{
	void *fdt = editable("base", 16384);

	(void)state;
	assert_int_equal(PLATFORM_MAX_HARTS, 64);
	add_cpus(fdt, 2, 64);
	assert_int_equal(parse_blob(fdt), 0);
	assert_int_equal(plat.ncpus, 64);
	assert_non_null(platform_cpu(&plat, 63));
	assert_int_equal(platform_cpu(&plat, 63)->hartid, 63);
	add_cpus(fdt, 64, 65);
	expect_error(parse_blob(fdt), "more than 64 harts", NULL);
	free(fdt);
}

/* A memory node with `n` disjoint 1 MiB ranges. */
static int set_memory(void *fdt, unsigned int n)
{
	int mem = node(fdt, "/memory@80000000");
	int rc;

	assert_int_equal(fdt_delprop(fdt, mem, "reg"), 0);
	for (unsigned int i = 0; i < n; i++) {
		rc = fdt_appendprop_addrrange(fdt, 0, mem, "reg",
					      0x80000000ULL + i * 0x200000,
					      0x100000);
		assert_int_equal(rc, 0);
	}
	return parse_blob(fdt);
}

static void test_memory_ranges_limit(void **state)
{
	void *fdt = editable("base", 1024);

	(void)state;
	assert_int_equal(set_memory(fdt, PLATFORM_MAX_MEM), 0);
	assert_int_equal(plat.nmem, PLATFORM_MAX_MEM);
	assert_range(plat.mem[7], 0x80e00000, 0x100000);
	expect_error(set_memory(fdt, PLATFORM_MAX_MEM + 1),
		     "more than 8 memory ranges", NULL);
	free(fdt);
}

static void test_reserved_limit(void **state)
{
	void *fdt = editable("base", 1024);

	(void)state;
	for (unsigned int i = 0; i < PLATFORM_MAX_RESV; i++)
		assert_int_equal(fdt_add_mem_rsv(fdt,
						 0x81000000ULL + i * 0x2000,
						 0x1000),
				 0);
	assert_int_equal(parse_blob(fdt), 0);
	assert_int_equal(plat.nresv, PLATFORM_MAX_RESV);
	assert_int_equal(fdt_add_mem_rsv(fdt, 0x82000000, 0x1000), 0);
	expect_error(parse_blob(fdt), "more than 16 reserved regions", NULL);
	free(fdt);
}

/* A reservation block that runs off the blob must not be ignored. */
static void test_err_reservation_block_unterminated(void **state)
{
	void *fdt = editable("base", 64);
	uint32_t total = fdt_totalsize(fdt);
	fdt64_t entry[2] = { cpu_to_fdt64(0x80000000), cpu_to_fdt64(0x200000) };
	int rc;

	(void)state;
	/* The last 16 bytes: one entry, and no all-zero one after it. */
	memcpy((char *)fdt + total - 16, entry, sizeof(entry));
	fdt_set_off_mem_rsvmap(fdt, total - 16);
	memset(err, 0, sizeof(err));
	rc = platform_parse(fdt, &plat, err, sizeof(err));
	free(fdt);
	if (!rc)
		fail_msg("parsed, with %zu reserved regions", plat.nresv);
	assert_substr(err, "fdt: ");
}

static void test_err_garbage(void **state)
{
	unsigned char junk[4096];
	static const char text[] = "/dts-v1/; / { };";

	(void)state;
	srand(1);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rand();
	expect_error(platform_parse(junk, &plat, err, sizeof(err)),
		     "not a valid device tree", NULL);
	memset(junk, 0, sizeof(junk));
	expect_error(platform_parse(junk, &plat, err, sizeof(err)),
		     "not a valid device tree", NULL);
	memset(junk, 0xff, sizeof(junk));
	expect_error(platform_parse(junk, &plat, err, sizeof(err)),
		     "not a valid device tree", NULL);
	memcpy(junk, text, sizeof(text));
	expect_error(platform_parse(junk, &plat, err, sizeof(err)),
		     "not a valid device tree", NULL);
}

/* Only the magic is right. */
static void test_err_magic_only(void **state)
{
	unsigned char blob[64] = { 0xd0, 0x0d, 0xfe, 0xed };

	(void)state;
	expect_error(platform_parse(blob, &plat, err, sizeof(err)),
		     "not a valid device tree", NULL);
}

/*
 * The first `cut` bytes of a valid blob, in a buffer of exactly that size
 * whose header says so. Shorter than a header: zero-filled up to one.
 */
static void test_err_truncated(void **state)
{
	size_t size,
		cuts[] = { 1, 4, 8, 39, 40, 41, 56, 64, 100, 200, 0, 0, 0 };
	void *dtb = load_dtb("qemu-virt", &size);

	(void)state;
	cuts[10] = size / 2;
	cuts[11] = size - 8;
	cuts[12] = size - 1;
	for (size_t i = 0; i < ARRAY_SIZE(cuts); i++) {
		size_t len = cuts[i] < sizeof(struct fdt_header)
				     ? sizeof(struct fdt_header)
				     : cuts[i];
		void *buf = calloc(1, len);

		memcpy(buf, dtb, cuts[i]);
		if (cuts[i] >= sizeof(struct fdt_header))
			fdt_set_totalsize(buf, cuts[i]);
		memset(err, 0, sizeof(err));
		if (platform_parse(buf, &plat, err, sizeof(err)) != -1)
			fail_msg("a blob cut at %zu of %zu parsed", cuts[i],
				 size);
		assert_substr(err, "not a valid device tree");
		free(buf);
	}
	free(dtb);
}

static void test_err_totalsize_lies(void **state)
{
	size_t size;
	void *dtb = load_dtb("qemu-virt", &size);

	(void)state;
	/* Smaller than the blocks it describes. */
	fdt_set_totalsize(dtb, (uint32_t)size - 64);
	expect_error(platform_parse(dtb, &plat, err, sizeof(err)),
		     "not a valid device tree", "TRUNCATED");
	/* Absurd. */
	fdt_set_totalsize(dtb, 0xffffffff);
	expect_error(platform_parse(dtb, &plat, err, sizeof(err)),
		     "not a valid device tree", NULL);
	fdt_set_totalsize(dtb, 8);
	expect_error(platform_parse(dtb, &plat, err, sizeof(err)),
		     "not a valid device tree", NULL);
	/* Larger than the buffer: the blocks are whole, nothing reads past. */
	fdt_set_totalsize(dtb, (uint32_t)size + 4096);
	assert_int_equal(platform_parse(dtb, &plat, err, sizeof(err)), 0);
	assert_int_equal(plat.ncpus, 4);
	free(dtb);
}

/* A tiny error buffer gets a terminated prefix; none at all is fine. */
static void test_error_buffer_small(void **state)
{
	void *fdt = load_dtb("bad-no-memory", NULL);
	char small[12];

	(void)state;
	memset(small, 'X', sizeof(small));
	assert_int_equal(platform_parse(fdt, &plat, small, 8), -1);
	assert_string_equal(small, "fdt: no");
	assert_int_equal(small[8], 'X');
	assert_int_equal(platform_parse(fdt, &plat, NULL, 0), -1);
	free(fdt);
}

/* Flip bytes of a valid blob: -1 with a reason, or a sane platform. */
static void test_fuzz_no_crash(void **state)
{
	size_t size;
	void *dtb = load_dtb("qemu-virt", &size);
	unsigned char *buf = malloc(size);
	unsigned int failed = 0;

	(void)state;
	srand(42);
	for (int iter = 0; iter < 20000; iter++) {
		memcpy(buf, dtb, size);
		for (int k = 0; k < 1 + iter % 4; k++)
			buf[(size_t)rand() % size] ^=
				(unsigned char)(1 + rand() % 255);
		memset(err, 0, sizeof(err));
		if (platform_parse(buf, &plat, err, sizeof(err))) {
			assert_true(strncmp(err, "fdt: ", 5) == 0);
			failed++;
			continue;
		}
		/* nmem >= 1: see test_err_memory_all_empty. */
		assert_true(plat.nmem <= PLATFORM_MAX_MEM);
		assert_in_range(plat.ncpus, 1, PLATFORM_MAX_HARTS);
		assert_true(plat.nresv <= PLATFORM_MAX_RESV);
		assert_int_not_equal(plat.timebase_hz, 0);
		assert_true(plat.initrd_start <= plat.initrd_end);
		assert_true(plat.plic.present || plat.aplic.present);
		assert_non_null(plat.bootargs);
	}
	/* Both outcomes happened: the fuzzing reached past the checks. */
	assert_in_range(failed, 1, 19999);
	free(buf);
	free(dtb);
}

static int teardown(void **state)
{
	(void)state;
	free(kept);
	kept = NULL;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_virt_memory_and_reserved),
		cmocka_unit_test(test_virt_l0_ram),
		cmocka_unit_test(test_l0_ram_split),
		cmocka_unit_test(test_virt_cpus),
		cmocka_unit_test(test_virt_uart_from_stdout_path),
		cmocka_unit_test(test_virt_plic),
		cmocka_unit_test(test_virt_chosen),
		cmocka_unit_test(test_aia_variant),
		cmocka_unit_test(test_aplic_direct),
		cmocka_unit_test(test_aplic_m_level_only),
		cmocka_unit_test(test_imsic_groups),
		cmocka_unit_test(test_err_imsic_geometry),
		cmocka_unit_test(test_aia_chosen_and_uart),
		cmocka_unit_test(test_cells_1_memory),
		cmocka_unit_test(test_cells_1_cpus_skip_disabled),
		cmocka_unit_test(test_cells_1_uart_alias_and_plic),
		cmocka_unit_test(test_platform_cpu_lookup),
		cmocka_unit_test(test_has_bootarg_words),
		cmocka_unit_test(test_has_bootarg_other_whitespace),
		cmocka_unit_test(test_err_no_memory),
		cmocka_unit_test(test_err_no_timebase),
		cmocka_unit_test(test_err_cpu_reg),
		cmocka_unit_test(test_err_isa_not_rv64),
		cmocka_unit_test(test_err_initrd_backwards),
		cmocka_unit_test(test_err_no_irqchip),
		cmocka_unit_test(test_err_cpu_props_missing),
		cmocka_unit_test(test_err_memory_all_empty),
		cmocka_unit_test(test_err_no_cpus),
		cmocka_unit_test(test_err_unsupported_cells),
		cmocka_unit_test(test_err_uart_reg_short),
		cmocka_unit_test(test_eic7700_dw_uart),
		cmocka_unit_test(test_k3_xscale_uart),
		cmocka_unit_test(test_uart_model_by_compatible),
		cmocka_unit_test(test_err_uart_io_width),
		cmocka_unit_test(test_harts_limit),
		cmocka_unit_test(test_memory_ranges_limit),
		cmocka_unit_test(test_reserved_limit),
		cmocka_unit_test(test_err_reservation_block_unterminated),
		cmocka_unit_test(test_err_garbage),
		cmocka_unit_test(test_err_magic_only),
		cmocka_unit_test(test_err_truncated),
		cmocka_unit_test(test_err_totalsize_lies),
		cmocka_unit_test(test_error_buffer_small),
		cmocka_unit_test(test_fuzz_no_crash),
	};

	return cmocka_run_group_tests_name("platform", tests, NULL, teardown);
}
