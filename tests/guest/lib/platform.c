// SPDX-License-Identifier: MIT
/* What the payloads need from the FDT, read with libfdt. */
#include <string.h>
#include <libfdt.h>

#include "guest.h"

struct platform plat;

static uint64_t read_cells(const fdt32_t *cells, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 32) | fdt32_to_cpu(*cells++);
	return v;
}

/* reg entry 0 of node: address and size; -1 when missing. */
static int read_reg(const void *fdt, int node, uint64_t *addr, uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent);
	int sc = fdt_size_cells(fdt, parent);
	const fdt32_t *reg;
	int len;

	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 ||
	    len < (int)sizeof(*reg) * (ac + sc))
		return -1;
	*addr = read_cells(reg, ac);
	if (size)
		*size = sc ? read_cells(reg + ac, sc) : 0;
	return 0;
}

static uint32_t read_u32(const void *fdt, int node, const char *name,
			 uint32_t dflt)
{
	const fdt32_t *v = fdt_getprop(fdt, node, name, NULL);

	return v ? fdt32_to_cpu(*v) : dflt;
}

static bool enabled(const void *fdt, int node)
{
	const char *s = fdt_getprop(fdt, node, "status", NULL);

	return !s || !strcmp(s, "okay") || !strcmp(s, "ok");
}

static int find_compatible(const void *fdt, const char *a, const char *b)
{
	int node = -1;

	for (;;) {
		node = fdt_next_node(fdt, node, NULL);
		if (node < 0)
			return node;
		if (!enabled(fdt, node))
			continue;
		if (!fdt_node_check_compatible(fdt, node, a) ||
		    (b && !fdt_node_check_compatible(fdt, node, b)))
			return node;
	}
}

static int cpu_node(unsigned long hartid)
{
	const void *fdt = plat.fdt;
	int cpus = fdt_path_offset(fdt, "/cpus");
	const char *type;
	uint64_t reg;
	int node;

	fdt_for_each_subnode (node, fdt, cpus) {
		type = fdt_getprop(fdt, node, "device_type", NULL);
		if (!type || strcmp(type, "cpu") != 0 || !enabled(fdt, node) ||
		    read_reg(fdt, node, &reg, NULL))
			continue;
		if (reg == hartid)
			return node;
	}
	return -1;
}

static void read_harts(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	const fdt32_t *tb;
	const char *type;
	uint64_t reg;
	int node, len;

	tb = fdt_getprop(fdt, cpus, "timebase-frequency", &len);
	if (tb)
		plat.timebase = read_cells(tb, len / 4 > 1 ? 2 : 1);
	fdt_for_each_subnode (node, fdt, cpus) {
		type = fdt_getprop(fdt, node, "device_type", NULL);
		if (!type || strcmp(type, "cpu") != 0 || !enabled(fdt, node) ||
		    read_reg(fdt, node, &reg, NULL) ||
		    plat.nr_harts >= MAX_HARTS)
			continue;
		plat.hart_ids[plat.nr_harts++] = reg;
	}
}

static void read_memory(const void *fdt)
{
	const char *type;
	int node, resv;

	fdt_for_each_subnode (node, fdt, 0) {
		type = fdt_getprop(fdt, node, "device_type", NULL);
		if (type && !strcmp(type, "memory") && enabled(fdt, node) &&
		    !read_reg(fdt, node, &plat.mem_base, &plat.mem_size))
			break;
	}
	/* Reserved no-map memory (firmware) first, else just past RAM. */
	plat.bad_addr = plat.mem_base + plat.mem_size;
	resv = fdt_path_offset(fdt, "/reserved-memory");
	if (resv < 0)
		return;
	fdt_for_each_subnode (node, fdt, resv) {
		if (fdt_getprop(fdt, node, "no-map", NULL) &&
		    !read_reg(fdt, node, &plat.bad_addr, NULL))
			return;
	}
}

static void read_devices(const void *fdt)
{
	int node;

	node = find_compatible(fdt, "ns16550a", "ns16550");
	if (node >= 0 && !read_reg(fdt, node, &plat.uart_base, NULL)) {
		plat.uart_irq = read_u32(fdt, node, "interrupts", 0);
		plat.uart_shift = read_u32(fdt, node, "reg-shift", 0);
	}
	node = find_compatible(fdt, "riscv,plic0", "sifive,plic-1.0.0");
	if (node >= 0 && !read_reg(fdt, node, &plat.plic_base, NULL))
		plat.plic_ndev = read_u32(fdt, node, "riscv,ndev", 0);
}

int platform_init(const void *fdt)
{
	if (fdt_check_header(fdt))
		return -1;
	plat.fdt = fdt;
	read_harts(fdt);
	read_memory(fdt);
	read_devices(fdt);
	return plat.timebase && plat.nr_harts ? 0 : -1;
}

/* Whether a multi-letter ISA extension is in riscv,isa after the base. */
static bool isa_string_has(const char *isa, const char *ext)
{
	size_t n = strlen(ext);
	const char *p = strchr(isa, '_');

	while (p) {
		p++;
		if (!strncmp(p, ext, n) && (p[n] == '_' || !p[n]))
			return true;
		p = strchr(p, '_');
	}
	return false;
}

bool hart_has_ext(unsigned long hartid, const char *ext)
{
	int node = cpu_node(hartid);
	const char *isa;

	if (node < 0)
		return false;
	if (fdt_getprop(plat.fdt, node, "riscv,isa-extensions", NULL))
		return fdt_stringlist_search(plat.fdt, node,
					     "riscv,isa-extensions", ext) >= 0;
	isa = fdt_getprop(plat.fdt, node, "riscv,isa", NULL);
	return isa && isa_string_has(isa, ext);
}

/* The PLIC context whose interrupts-extended entry is <hart intc, 9>. */
int plic_s_context(unsigned long hartid)
{
	const void *fdt = plat.fdt;
	int cpu = cpu_node(hartid), intc, plic, len, i;
	const fdt32_t *ext;
	uint32_t phandle = 0;

	fdt_for_each_subnode (intc, fdt, cpu) {
		if (fdt_getprop(fdt, intc, "interrupt-controller", NULL)) {
			phandle = fdt_get_phandle(fdt, intc);
			break;
		}
	}
	plic = find_compatible(fdt, "riscv,plic0", "sifive,plic-1.0.0");
	if (cpu < 0 || !phandle || plic < 0)
		return -1;
	ext = fdt_getprop(fdt, plic, "interrupts-extended", &len);
	for (i = 0; ext && (i + 1) * 8 <= len; i++)
		if (fdt32_to_cpu(ext[2L * i]) == phandle &&
		    fdt32_to_cpu(ext[2L * i + 1]) == IRQ_S_EXT)
			return i;
	return -1;
}

long other_hart(void)
{
	for (int i = 0; i < plat.nr_harts; i++)
		if (plat.hart_ids[i] != boot_hartid)
			return (long)plat.hart_ids[i];
	return -1;
}
