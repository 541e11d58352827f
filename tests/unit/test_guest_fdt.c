// SPDX-License-Identifier: MIT
/*
 * core/guest_fdt.c: the trees it writes for 1, 2 and 8 vcpus, read back
 * with the host libfdt byte by byte, parsed by L0's own platform_parse()
 * (what the guest gets is what L0 itself would accept) and by dtc. Every
 * tree is built into a heap buffer, so ASan sees any write past its size.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <l0/bits.h>
#include <l0/guest_fdt.h>
#include <l0/platform.h>

#include "stubs.h"

#define B(x) ISA_BIT(ISA_##x)
#define ISA_STR "rv64imafdch_zicsr_zifencei_sstc_svinval"
#define ISA_BITS                                                     \
	(B(I) | B(M) | B(A) | B(F) | B(D) | B(C) | B(H) | B(ZICSR) | \
	 B(ZIFENCEI) | B(SSTC) | B(SVINVAL))
/* riscv,isa-extensions as the bytes of the property. */
#define EXT_BYTES "i\0m\0a\0f\0d\0c\0h\0zicsr\0zifencei\0sstc\0svinval"
#define FDT_BUF 65536

static const char *const exts[] = { "i",	"m",	"a",	   "f",
				    "d",	"c",	"h",	   "zicsr",
				    "zifencei", "sstc", "svinval", NULL };

static const unsigned int vcpu_counts[] = { 1, 2, 8 };

/* A guest like QEMU's virt: what the tests change, they change in a copy. */
static struct guest_fdt_params params(unsigned int vcpus)
{
	return (struct guest_fdt_params){
		.name = "debian",
		.vcpus = vcpus,
		.isa = ISA_STR,
		.isa_extensions = exts,
		.timebase_hz = 10000000,
		.mem_base = 0x80000000,
		.mem_size = 0x10000000,
		.plic_base = 0xc000000,
		.plic_size = 0x600000,
		.plic_ndev = 95,
		.uart_base = 0x10000000,
		.uart_irq = 10,
		.uart_clock_hz = 3686400,
		.bootargs = "console=ttyS0 root=/dev/vda ro",
		.initrd_start = 0x88000000,
		.initrd_end = 0x88200000,
	};
}

/* Build `p` into a big buffer; returns it trimmed to its totalsize. */
static void *build(const struct guest_fdt_params *p)
{
	void *buf = malloc(FDT_BUF), *fdt;
	int rc;

	assert_non_null(buf);
	rc = guest_fdt_build(buf, FDT_BUF, p);
	if (rc)
		fail_msg("guest_fdt_build: %s", fdt_strerror(rc));
	assert_int_equal(fdt_check_full(buf, FDT_BUF), 0);
	fdt = malloc(fdt_totalsize(buf));
	assert_non_null(fdt);
	memcpy(fdt, buf, fdt_totalsize(buf));
	free(buf);
	return fdt;
}

static int node(const void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	if (off < 0)
		fail_msg("no %s in the guest tree", path);
	return off;
}

/* Property `name` of `path` is exactly the `len` bytes at `val`. */
static void expect_bytes(const void *fdt, const char *path, const char *name,
			 const void *val, int len)
{
	int got;
	const void *v = fdt_getprop(fdt, node(fdt, path), name, &got);

	if (!v)
		fail_msg("%s: no %s", path, name);
	if (got != len || memcmp(v, val, (size_t)len))
		fail_msg("%s: %s: %d bytes, not the %d expected", path, name,
			 got, len);
}

static void expect_absent(const void *fdt, const char *path, const char *name)
{
	if (fdt_getprop(fdt, node(fdt, path), name, NULL))
		fail_msg("%s: unexpected %s", path, name);
}

/* A string literal, with its NUL, or a literal string list. */
#define expect_str(fdt, path, name, s) \
	expect_bytes(fdt, path, name, s, (int)sizeof(s))

static void expect_u32(const void *fdt, const char *path, const char *name,
		       uint32_t v)
{
	fdt32_t cell = cpu_to_fdt32(v);

	expect_bytes(fdt, path, name, &cell, sizeof(cell));
}

static void expect_u64(const void *fdt, const char *path, const char *name,
		       uint64_t v)
{
	fdt64_t cells = cpu_to_fdt64(v);

	expect_bytes(fdt, path, name, &cells, sizeof(cells));
}

static void expect_reg(const void *fdt, const char *path, uint64_t base,
		       uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	expect_bytes(fdt, path, "reg", reg, sizeof(reg));
}

static void expect_empty(const void *fdt, const char *path, const char *name)
{
	expect_bytes(fdt, path, name, "", 0);
}

static uint32_t phandle_of(const void *fdt, const char *path)
{
	uint32_t ph = fdt_get_phandle(fdt, node(fdt, path));

	if (!ph)
		fail_msg("%s: no phandle", path);
	return ph;
}

static void test_root(void **state)
{
	struct guest_fdt_params p = params(2);
	void *fdt = build(&p);

	(void)state;
	expect_u32(fdt, "/", "#address-cells", 2);
	expect_u32(fdt, "/", "#size-cells", 2);
	expect_str(fdt, "/", "compatible", "riscv-virtio");
	expect_str(fdt, "/", "model", "L0 guest debian");
	assert_int_equal(fdt_num_mem_rsv(fdt), 0);
	free(fdt);
	p.name = "";
	fdt = build(&p);
	expect_str(fdt, "/", "model", "L0 guest ");
	free(fdt);
}

static void test_chosen(void **state)
{
	struct guest_fdt_params p = params(2);
	void *fdt = build(&p);

	(void)state;
	expect_str(fdt, "/chosen", "bootargs",
		   "console=ttyS0 root=/dev/vda ro");
	expect_str(fdt, "/chosen", "stdout-path", "/soc/serial@10000000");
	expect_u64(fdt, "/chosen", "linux,initrd-start", 0x88000000);
	expect_u64(fdt, "/chosen", "linux,initrd-end", 0x88200000);
	/* stdout-path resolves, to the UART. */
	assert_int_equal(fdt_path_offset(fdt, "/soc/serial@10000000"),
			 fdt_node_offset_by_compatible(fdt, -1, "ns16550a"));
	free(fdt);
}

static void test_no_initrd(void **state)
{
	struct guest_fdt_params p = params(1);
	void *fdt;

	(void)state;
	p.initrd_start = 0;
	p.initrd_end = 0;
	fdt = build(&p);
	expect_absent(fdt, "/chosen", "linux,initrd-start");
	expect_absent(fdt, "/chosen", "linux,initrd-end");
	free(fdt);
}

/* The seed L0 passes on is /chosen/rng-seed, byte for byte; none: absent. */
static void test_rng_seed(void **state)
{
	static const uint8_t seed[32] = { 0xde, 0xad, 0xbe, 0xef, [31] = 7 };
	struct guest_fdt_params p = params(1);
	void *fdt;

	(void)state;
	fdt = build(&p);
	expect_absent(fdt, "/chosen", "rng-seed");
	free(fdt);
	p.rng_seed = seed;
	p.rng_seed_len = sizeof(seed);
	fdt = build(&p);
	expect_bytes(fdt, "/chosen", "rng-seed", seed, sizeof(seed));
	free(fdt);
}

/* "" and NULL: no bootargs property at all, as on QEMU without -append. */
static void test_empty_bootargs(void **state)
{
	static const char *const none[] = { "", NULL };
	struct guest_fdt_params p = params(1);
	struct platform plat;
	char err[128];
	void *fdt;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(none); i++) {
		p.bootargs = none[i];
		fdt = build(&p);
		expect_absent(fdt, "/chosen", "bootargs");
		expect_str(fdt, "/chosen", "stdout-path",
			   "/soc/serial@10000000");
		if (platform_parse(fdt, &plat, err, sizeof(err)))
			fail_msg("%s", err);
		assert_string_equal(plat.bootargs, "");
		free(fdt);
	}
}

static void test_memory(void **state)
{
	struct guest_fdt_params p = params(2);
	void *fdt = build(&p);

	(void)state;
	expect_str(fdt, "/memory@80000000", "device_type", "memory");
	expect_reg(fdt, "/memory@80000000", 0x80000000, 0x10000000);
	free(fdt);
	/* Above 4 GiB: both cells of the address, the unit name in full. */
	p.mem_base = 0x100000000ULL;
	p.mem_size = 0x180000000ULL;
	fdt = build(&p);
	expect_reg(fdt, "/memory@100000000", 0x100000000ULL, 0x180000000ULL);
	free(fdt);
}

static void test_cpus_node(void **state)
{
	struct guest_fdt_params p = params(2);
	void *fdt;

	(void)state;
	p.timebase_hz = 24000000;
	fdt = build(&p);
	expect_u32(fdt, "/cpus", "#address-cells", 1);
	expect_u32(fdt, "/cpus", "#size-cells", 0);
	expect_u32(fdt, "/cpus", "timebase-frequency", 24000000);
	free(fdt);
}

/* Every cpu@N and its interrupt controller, for 1, 2 and 8 vcpus. */
static void check_cpu(const void *fdt, unsigned int n)
{
	char cpu[32], intc[64];
	int count = 0, sub;

	snprintf(cpu, sizeof(cpu), "/cpus/cpu@%u", n);
	snprintf(intc, sizeof(intc), "%s/interrupt-controller", cpu);
	expect_str(fdt, cpu, "device_type", "cpu");
	expect_u32(fdt, cpu, "reg", n);
	expect_str(fdt, cpu, "status", "okay");
	expect_str(fdt, cpu, "compatible", "riscv");
	expect_str(fdt, cpu, "riscv,isa", ISA_STR);
	expect_str(fdt, cpu, "riscv,isa-base", "rv64i");
	expect_str(fdt, cpu, "riscv,isa-extensions", EXT_BYTES);
	expect_str(fdt, cpu, "mmu-type", "riscv,sv39");
	expect_u32(fdt, cpu, "phandle", 2 + 2 * n);
	expect_u32(fdt, intc, "#interrupt-cells", 1);
	expect_u32(fdt, intc, "#address-cells", 0);
	expect_empty(fdt, intc, "interrupt-controller");
	expect_str(fdt, intc, "compatible", "riscv,cpu-intc");
	expect_u32(fdt, intc, "phandle", 3 + 2 * n);
	fdt_for_each_subnode (sub, fdt, node(fdt, cpu))
		count++;
	assert_int_equal(count, 1);
}

static void test_cpus(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(vcpu_counts); i++) {
		struct guest_fdt_params p = params(vcpu_counts[i]);
		void *fdt = build(&p);
		char path[32];
		int cpus = 0, sub;

		for (unsigned int n = 0; n < p.vcpus; n++)
			check_cpu(fdt, n);
		snprintf(path, sizeof(path), "/cpus/cpu@%u", p.vcpus);
		assert_true(fdt_path_offset(fdt, path) < 0);
		fdt_for_each_subnode (sub, fdt, node(fdt, "/cpus"))
			cpus++;
		assert_int_equal(cpus, p.vcpus + 1); /* and cpu-map */
		free(fdt);
	}
}

static void test_cpu_map(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(vcpu_counts); i++) {
		struct guest_fdt_params p = params(vcpu_counts[i]);
		void *fdt = build(&p);
		int cores = 0, sub;

		fdt_for_each_subnode (sub, fdt,
				      node(fdt, "/cpus/cpu-map/cluster0")) {
			char core[64], cpu[32];

			snprintf(core, sizeof(core),
				 "/cpus/cpu-map/cluster0/core%d", cores);
			snprintf(cpu, sizeof(cpu), "/cpus/cpu@%d", cores);
			assert_int_equal(sub, node(fdt, core));
			expect_u32(fdt, core, "cpu", phandle_of(fdt, cpu));
			cores++;
		}
		assert_int_equal(cores, p.vcpus);
		free(fdt);
	}
}

static void test_soc_and_plic(void **state)
{
	struct guest_fdt_params p = params(2);
	void *fdt = build(&p);
	const char *plic = "/soc/plic@c000000";

	(void)state;
	expect_u32(fdt, "/soc", "#address-cells", 2);
	expect_u32(fdt, "/soc", "#size-cells", 2);
	expect_str(fdt, "/soc", "compatible", "simple-bus");
	expect_empty(fdt, "/soc", "ranges");
	expect_str(fdt, plic, "compatible", "sifive,plic-1.0.0\0riscv,plic0");
	expect_reg(fdt, plic, 0xc000000, 0x600000);
	expect_u32(fdt, plic, "riscv,ndev", 95);
	expect_empty(fdt, plic, "interrupt-controller");
	expect_u32(fdt, plic, "#interrupt-cells", 1);
	expect_u32(fdt, plic, "#address-cells", 0);
	expect_u32(fdt, plic, "phandle", 1);
	free(fdt);
}

/* Context N of the PLIC is cpu N's S-mode external interrupt (9). */
static void test_plic_contexts(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(vcpu_counts); i++) {
		struct guest_fdt_params p = params(vcpu_counts[i]);
		void *fdt = build(&p);
		int plic = node(fdt, "/soc/plic@c000000"), len;
		const fdt32_t *ie =
			fdt_getprop(fdt, plic, "interrupts-extended", &len);

		assert_non_null(ie);
		assert_int_equal(len, p.vcpus * 2 * sizeof(fdt32_t));
		for (unsigned int n = 0; n < p.vcpus; n++) {
			int intc = fdt_node_offset_by_phandle(
				fdt, fdt32_to_cpu(ie[2 * n]));
			char cpu[32];

			snprintf(cpu, sizeof(cpu), "/cpus/cpu@%u", n);
			assert_true(intc >= 0);
			assert_int_equal(fdt_parent_offset(fdt, intc),
					 node(fdt, cpu));
			assert_int_equal(fdt_node_check_compatible(
						 fdt, intc, "riscv,cpu-intc"),
					 0);
			assert_int_equal(fdt32_to_cpu(ie[2 * n + 1]), 9);
		}
		free(fdt);
	}
}

static void test_uart(void **state)
{
	struct guest_fdt_params p = params(2);
	void *fdt = build(&p);
	const char *uart = "/soc/serial@10000000";
	int plic;

	(void)state;
	expect_str(fdt, uart, "compatible", "ns16550a");
	expect_reg(fdt, uart, 0x10000000, 0x100);
	expect_u32(fdt, uart, "clock-frequency", 3686400);
	expect_u32(fdt, uart, "interrupts", 10);
	plic = fdt_node_offset_by_phandle(
		fdt, fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(
			     fdt, node(fdt, uart), "interrupt-parent", NULL)));
	assert_int_equal(plic, node(fdt, "/soc/plic@c000000"));
	free(fdt);
}

/* Phandles are unique, and the same parameters give the same bytes. */
static void test_phandles_deterministic(void **state)
{
	struct guest_fdt_params p = params(8);
	void *a = build(&p), *b = build(&p);
	uint32_t seen[64], max = 0;
	int count = 0, off;

	(void)state;
	assert_int_equal(fdt_totalsize(a), fdt_totalsize(b));
	assert_memory_equal(a, b, fdt_totalsize(a));
	for (off = fdt_next_node(a, -1, NULL); off >= 0;
	     off = fdt_next_node(a, off, NULL)) {
		uint32_t ph = fdt_get_phandle(a, off);

		if (!ph)
			continue;
		for (int i = 0; i < count; i++)
			assert_int_not_equal(seen[i], ph);
		assert_true(count < (int)ARRAY_SIZE(seen));
		seen[count++] = ph;
		max = ph > max ? ph : max;
	}
	/* The PLIC, and each cpu with its interrupt controller: 1..17. */
	assert_int_equal(count, 1 + 2 * 8);
	assert_int_equal(max, 17);
	assert_int_equal(fdt_get_max_phandle(a), 17);
	free(a);
	free(b);
}

/* L0's own reader sees in the guest's tree what was asked for. */
static void check_platform(const struct guest_fdt_params *p)
{
	void *fdt = build(p);
	struct platform plat;
	char err[128];

	if (platform_parse(fdt, &plat, err, sizeof(err)))
		fail_msg("%u vcpus: %s", p->vcpus, err);
	assert_int_equal(plat.nmem, 1);
	assert_int_equal(plat.mem[0].base, p->mem_base);
	assert_int_equal(plat.mem[0].size, p->mem_size);
	assert_int_equal(plat.nresv, 0);
	assert_int_equal(plat.timebase_hz, p->timebase_hz);
	assert_int_equal(plat.ncpus, p->vcpus);
	for (unsigned int n = 0; n < p->vcpus; n++) {
		assert_int_equal(plat.cpus[n].hartid, n);
		assert_int_equal(plat.cpus[n].isa, ISA_BITS);
	}
	assert_true(plat.uart.present);
	assert_int_equal(plat.uart.base, p->uart_base);
	assert_int_equal(plat.uart.reg_shift, 0);
	assert_int_equal(plat.uart.reg_io_width, 1);
	assert_int_equal(plat.uart.clock_hz, p->uart_clock_hz);
	assert_true(plat.plic.present);
	assert_int_equal(plat.plic.base, p->plic_base);
	assert_int_equal(plat.plic.size, p->plic_size);
	assert_int_equal(plat.plic.ndev, p->plic_ndev);
	assert_false(plat.aplic.present);
	assert_false(plat.imsic.present);
	assert_int_equal(plat.initrd_start, p->initrd_start);
	assert_int_equal(plat.initrd_end, p->initrd_end);
	assert_string_equal(plat.bootargs, p->bootargs);
	free(fdt);
}

static void test_platform_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(vcpu_counts); i++) {
		struct guest_fdt_params p = params(vcpu_counts[i]);

		check_platform(&p);
		p.mem_base = 0x200000000ULL;
		p.plic_base = 0x40000000;
		p.uart_base = 0x3000000;
		p.initrd_start = 0;
		p.initrd_end = 0;
		p.bootargs = "quiet";
		check_platform(&p);
	}
}

/* Without riscv,isa-extensions, the riscv,isa string says it all. */
static void test_no_isa_extensions(void **state)
{
	static const char *const empty[] = { NULL };
	struct guest_fdt_params p = params(2);
	struct platform plat;
	char err[128];
	void *fdt;

	(void)state;
	for (int i = 0; i < 2; i++) {
		p.isa_extensions = i ? empty : NULL;
		fdt = build(&p);
		expect_absent(fdt, "/cpus/cpu@1", "riscv,isa-extensions");
		expect_str(fdt, "/cpus/cpu@1", "riscv,isa", ISA_STR);
		if (platform_parse(fdt, &plat, err, sizeof(err)))
			fail_msg("%s", err);
		assert_int_equal(plat.cpus[1].isa, ISA_BITS);
		free(fdt);
	}
}

/*
 * Every size below the tree's own, in a heap buffer of exactly that size:
 * -FDT_ERR_NOSPACE and no write past it (ASan). The tree's size fits, and a
 * canary just past it stays untouched.
 */
static void check_sizes(const struct guest_fdt_params *p, size_t step)
{
	void *fdt = build(p), *buf;
	size_t need = fdt_totalsize(fdt);
	unsigned char *big;

	free(fdt);
	for (size_t size = 0; size < need; size += step) {
		buf = malloc(size ? size : 1);
		assert_non_null(buf);
		assert_int_equal(guest_fdt_build(buf, size, p),
				 -FDT_ERR_NOSPACE);
		free(buf);
	}
	buf = malloc(need - 1);
	assert_int_equal(guest_fdt_build(buf, need - 1, p), -FDT_ERR_NOSPACE);
	free(buf);
	big = malloc(need + 64);
	memset(big, 0xa5, need + 64);
	assert_int_equal(guest_fdt_build(big, need, p), 0);
	assert_int_equal(fdt_totalsize(big), need);
	for (size_t i = need; i < need + 64; i++)
		assert_int_equal(big[i], 0xa5);
	free(big);
}

static void test_too_small(void **state)
{
	struct guest_fdt_params p = params(1);

	(void)state;
	check_sizes(&p, 1);
	p = params(2);
	check_sizes(&p, 1);
	p = params(8);
	check_sizes(&p, 7);
	p.isa_extensions = NULL;
	p.bootargs = "";
	p.initrd_start = p.initrd_end = 0;
	check_sizes(&p, 3);
}

static void test_bad_params(void **state)
{
	struct guest_fdt_params p = params(2);
	char buf[4096];

	(void)state;
	p.vcpus = 0;
	assert_int_equal(guest_fdt_build(buf, sizeof(buf), &p),
			 -FDT_ERR_BADVALUE);
	p = params(2);
	p.isa = NULL;
	assert_int_equal(guest_fdt_build(buf, sizeof(buf), &p),
			 -FDT_ERR_BADVALUE);
	p = params(2);
	p.name = NULL;
	assert_int_equal(guest_fdt_build(buf, sizeof(buf), &p),
			 -FDT_ERR_BADVALUE);
	p = params(2);
	p.initrd_start = 0x88200000;
	p.initrd_end = 0x88000000;
	assert_int_equal(guest_fdt_build(buf, sizeof(buf), &p),
			 -FDT_ERR_BADVALUE);
	p.initrd_start = p.initrd_end;
	assert_int_equal(guest_fdt_build(buf, sizeof(buf), &p), 0);
}

/* dtc decompiles the tree without a single warning. */
static void check_dtc(const struct guest_fdt_params *p)
{
	char dir[] = "/tmp/l0-guest-fdt-XXXXXX", dtb[64], log[64], cmd[256];
	void *fdt = build(p);
	FILE *f;
	long warnings;

	assert_non_null(mkdtemp(dir));
	snprintf(dtb, sizeof(dtb), "%s/guest.dtb", dir);
	snprintf(log, sizeof(log), "%s/dtc.log", dir);
	f = fopen(dtb, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(fdt, 1, fdt_totalsize(fdt), f),
			 fdt_totalsize(fdt));
	fclose(f);
	snprintf(cmd, sizeof(cmd), "dtc -I dtb -O dts -o /dev/null %s 2>%s",
		 dtb, log);
	assert_int_equal(system(cmd), 0);
	f = fopen(log, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	warnings = ftell(f);
	fclose(f);
	if (warnings) {
		snprintf(cmd, sizeof(cmd), "cat %s >&2", log);
		assert_int_equal(system(cmd), 0);
	}
	unlink(dtb);
	unlink(log);
	rmdir(dir);
	free(fdt);
	assert_int_equal(warnings, 0);
}

static void test_dtc_accepts(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(vcpu_counts); i++) {
		struct guest_fdt_params p = params(vcpu_counts[i]);

		check_dtc(&p);
		p.bootargs = "";
		p.initrd_start = p.initrd_end = 0;
		p.isa_extensions = NULL;
		check_dtc(&p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_chosen),
		cmocka_unit_test(test_no_initrd),
		cmocka_unit_test(test_rng_seed),
		cmocka_unit_test(test_empty_bootargs),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_cpus_node),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_cpu_map),
		cmocka_unit_test(test_soc_and_plic),
		cmocka_unit_test(test_plic_contexts),
		cmocka_unit_test(test_uart),
		cmocka_unit_test(test_phandles_deterministic),
		cmocka_unit_test(test_platform_parse),
		cmocka_unit_test(test_no_isa_extensions),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_bad_params),
		cmocka_unit_test(test_dtc_accepts),
	};

	return cmocka_run_group_tests_name("guest_fdt", tests, NULL, NULL);
}
