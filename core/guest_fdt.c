// SPDX-License-Identifier: MIT
/*
 * The device tree of a guest, written with libfdt's sequential-write API and
 * shaped like the one QEMU's virt machine gives a Linux guest (root
 * compatible "riscv-virtio"), but holding only what L0 really emulates:
 * memory, the vcpus with their local interrupt controllers, a PLIC and one
 * 16550. libfdt checks every write against the buffer size, so a buffer that
 * is too small gives -FDT_ERR_NOSPACE and nothing is written past its end.
 *
 * Phandles are fixed: the PLIC is 1, cpu@N is 2 + 2N and its interrupt
 * controller 3 + 2N.
 */
#include <libfdt.h>
#include <stdint.h>
#include <string.h>

#include <l0/guest_fdt.h>
#include <l0/printf.h>

#define PHANDLE_PLIC 1u
#define UART_REG_SIZE 0x100
#define IRQ_S_EXT 9 /* scause interrupt code of a supervisor external irq */

/* Return the libfdt error of `expr`, if any. */
#define TRY(expr)                   \
	do {                        \
		int _rc = (expr);   \
		if (_rc)            \
			return _rc; \
	} while (0)

static uint32_t cpu_phandle(unsigned int cpu)
{
	return 2 + 2 * cpu;
}

static uint32_t intc_phandle(unsigned int cpu)
{
	return 3 + 2 * cpu;
}

/* A property with no value, like "interrupt-controller". */
static int prop_empty(void *fdt, const char *name)
{
	void *val;

	return fdt_property_placeholder(fdt, name, 0, &val);
}

/* One <address size> pair, two cells each (#address/#size-cells = <2>). */
static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = { cpu_to_fdt64(base), cpu_to_fdt64(size) };

	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

/* The string `a` followed by `b`, as one string. */
static int prop_concat(void *fdt, const char *name, const char *a,
		       const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *val;

	if (la + lb >= INT32_MAX)
		return -FDT_ERR_BADVALUE;
	TRY(fdt_property_placeholder(fdt, name, (int)(la + lb + 1),
				     (void **)&val));
	l0_snprintf(val, la + lb + 1, "%s%s", a, b);
	return 0;
}

/* A string list ("a\0b\0") from a NULL-ended array; nothing when empty. */
static int prop_strings(void *fdt, const char *name, const char *const *list)
{
	size_t len = 0, n;
	char *val;

	if (!list || !list[0])
		return 0;
	for (const char *const *s = list; *s; s++) {
		len += strlen(*s) + 1;
		if (len >= INT32_MAX)
			return -FDT_ERR_BADVALUE;
	}
	TRY(fdt_property_placeholder(fdt, name, (int)len, (void **)&val));
	for (const char *const *s = list; *s; s++) {
		n = strlen(*s) + 1;
		memcpy(val, *s, n);
		val += n;
	}
	return 0;
}

/* Open the node "<name>@<addr>", the address in hex as DT unit names want. */
static int begin_node_at(void *fdt, const char *name, uint64_t addr)
{
	char buf[48];

	l0_snprintf(buf, sizeof(buf), "%s@%llx", name,
		    (unsigned long long)addr);
	return fdt_begin_node(fdt, buf);
}

static int write_chosen(void *fdt, const struct guest_fdt_params *p)
{
	char path[48];

	TRY(fdt_begin_node(fdt, "chosen"));
	if (p->bootargs && *p->bootargs)
		TRY(fdt_property_string(fdt, "bootargs", p->bootargs));
	l0_snprintf(path, sizeof(path), "/soc/serial@%llx",
		    (unsigned long long)p->uart_base);
	TRY(fdt_property_string(fdt, "stdout-path", path));
	if (p->rng_seed && p->rng_seed_len)
		TRY(fdt_property(fdt, "rng-seed", p->rng_seed,
				 (int)p->rng_seed_len));
	if (p->initrd_start || p->initrd_end) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start",
				     p->initrd_start));
		TRY(fdt_property_u64(fdt, "linux,initrd-end", p->initrd_end));
	}
	return fdt_end_node(fdt);
}

static int write_memory(void *fdt, const struct guest_fdt_params *p)
{
	TRY(begin_node_at(fdt, "memory", p->mem_base));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(prop_reg(fdt, p->mem_base, p->mem_size));
	return fdt_end_node(fdt);
}

/*
 * QEMU leaves out #address-cells here; dtc warns about that
 * (interrupt_provider), so it is <0>, as on the PLIC.
 */
static int write_cpu_intc(void *fdt, unsigned int cpu)
{
	TRY(fdt_begin_node(fdt, "interrupt-controller"));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	TRY(fdt_property_u32(fdt, "#address-cells", 0));
	TRY(prop_empty(fdt, "interrupt-controller"));
	TRY(fdt_property_string(fdt, "compatible", "riscv,cpu-intc"));
	TRY(fdt_property_u32(fdt, "phandle", intc_phandle(cpu)));
	return fdt_end_node(fdt);
}

static int write_cpu(void *fdt, const struct guest_fdt_params *p,
		     unsigned int cpu)
{
	TRY(begin_node_at(fdt, "cpu", cpu));
	TRY(fdt_property_u32(fdt, "phandle", cpu_phandle(cpu)));
	TRY(fdt_property_string(fdt, "device_type", "cpu"));
	TRY(fdt_property_u32(fdt, "reg", cpu));
	TRY(fdt_property_string(fdt, "status", "okay"));
	TRY(fdt_property_string(fdt, "compatible", "riscv"));
	TRY(fdt_property_string(fdt, "riscv,isa", p->isa));
	TRY(fdt_property_string(fdt, "riscv,isa-base", "rv64i"));
	TRY(prop_strings(fdt, "riscv,isa-extensions", p->isa_extensions));
	/*
	 * L0 only gives guests Sv39 to begin with (hgatp Sv39x4 and no
	 * wider vsatp modes); Linux then falls back from Sv57/48 itself.
	 */
	TRY(fdt_property_string(fdt, "mmu-type", "riscv,sv39"));
	TRY(write_cpu_intc(fdt, cpu));
	return fdt_end_node(fdt);
}

/* cpu-map/cluster0/coreN, one core per vcpu, as on QEMU's virt. */
static int write_cpu_map(void *fdt, unsigned int vcpus)
{
	char name[24];

	TRY(fdt_begin_node(fdt, "cpu-map"));
	TRY(fdt_begin_node(fdt, "cluster0"));
	for (unsigned int cpu = 0; cpu < vcpus; cpu++) {
		l0_snprintf(name, sizeof(name), "core%u", cpu);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_u32(fdt, "cpu", cpu_phandle(cpu)));
		TRY(fdt_end_node(fdt));
	}
	TRY(fdt_end_node(fdt));
	return fdt_end_node(fdt);
}

static int write_cpus(void *fdt, const struct guest_fdt_params *p)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 1));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	TRY(fdt_property_u32(fdt, "timebase-frequency", p->timebase_hz));
	for (unsigned int cpu = 0; cpu < p->vcpus; cpu++)
		TRY(write_cpu(fdt, p, cpu));
	TRY(write_cpu_map(fdt, p->vcpus));
	return fdt_end_node(fdt);
}

/*
 * Only each vcpu's supervisor external interrupt (9) is wired: a guest has
 * no M-mode, so unlike QEMU's <&intc 11 &intc 9> pairs there is one PLIC
 * context per cpu, and context N is cpu N's S-mode context. The vPLIC
 * (include/l0/vplic.h) relies on that numbering.
 */
static int prop_plic_irqs(void *fdt, unsigned int vcpus)
{
	int len = (int)vcpus * 2 * (int)sizeof(fdt32_t); /* vcpus checked */
	fdt32_t *cell;

	TRY(fdt_property_placeholder(fdt, "interrupts-extended", len,
				     (void **)&cell));
	for (unsigned int cpu = 0; cpu < vcpus; cpu++) {
		*cell++ = cpu_to_fdt32(intc_phandle(cpu));
		*cell++ = cpu_to_fdt32(IRQ_S_EXT);
	}
	return 0;
}

static int write_plic(void *fdt, const struct guest_fdt_params *p)
{
	static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";

	TRY(begin_node_at(fdt, "plic", p->plic_base));
	TRY(fdt_property_u32(fdt, "phandle", PHANDLE_PLIC));
	TRY(fdt_property(fdt, "compatible", compat, sizeof(compat)));
	TRY(prop_reg(fdt, p->plic_base, p->plic_size));
	TRY(fdt_property_u32(fdt, "riscv,ndev", p->plic_ndev));
	TRY(prop_empty(fdt, "interrupt-controller"));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 1));
	TRY(fdt_property_u32(fdt, "#address-cells", 0));
	TRY(prop_plic_irqs(fdt, p->vcpus));
	return fdt_end_node(fdt);
}

static int write_uart(void *fdt, const struct guest_fdt_params *p)
{
	TRY(begin_node_at(fdt, "serial", p->uart_base));
	TRY(fdt_property_string(fdt, "compatible", "ns16550a"));
	TRY(prop_reg(fdt, p->uart_base, UART_REG_SIZE));
	TRY(fdt_property_u32(fdt, "clock-frequency", p->uart_clock_hz));
	TRY(fdt_property_u32(fdt, "interrupts", p->uart_irq));
	TRY(fdt_property_u32(fdt, "interrupt-parent", PHANDLE_PLIC));
	return fdt_end_node(fdt);
}

/* Rewritten or meaningless in the guest's tree: not copied from the host. */
static bool host_only(const char *prop)
{
	static const char *const props[] = {
		"reg",
		"interrupts",
		"interrupt-parent",
		"interrupts-extended",
		"phandle",
		"linux,phandle",
		"status",
	};

	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		if (!strcmp(prop, props[i]))
			return true;
	return false;
}

/* A host node the guest owns, with the host's addresses (direct-map). */
static int write_device(void *fdt, const void *host, const struct pt_device *d)
{
	const char *name = fdt_get_name(host, d->node, NULL);
	fdt32_t *reg, *irq;
	int prop;

	if (!name)
		return -FDT_ERR_BADSTRUCTURE;
	TRY(fdt_begin_node(fdt, name));
	fdt_for_each_property_offset (prop, host, d->node) {
		const char *pname;
		int len;
		const void *val =
			fdt_getprop_by_offset(host, prop, &pname, &len);

		if (!val || host_only(pname))
			continue;
		TRY(fdt_property(fdt, pname, val, len));
	}
	/* Property values are only 4-byte aligned: 32-bit cells. */
	TRY(fdt_property_placeholder(fdt, "reg", (int)(d->nreg * 16),
				     (void **)&reg));
	for (unsigned int i = 0; i < d->nreg; i++) {
		*reg++ = cpu_to_fdt32((uint32_t)(d->reg[i].base >> 32));
		*reg++ = cpu_to_fdt32((uint32_t)d->reg[i].base);
		*reg++ = cpu_to_fdt32((uint32_t)(d->reg[i].size >> 32));
		*reg++ = cpu_to_fdt32((uint32_t)d->reg[i].size);
	}
	if (d->nirq) {
		TRY(fdt_property_placeholder(
			fdt, "interrupts", (int)(d->nirq * 4), (void **)&irq));
		for (unsigned int i = 0; i < d->nirq; i++)
			irq[i] = cpu_to_fdt32(d->irq[i]);
		TRY(fdt_property_u32(fdt, "interrupt-parent", PHANDLE_PLIC));
	}
	return fdt_end_node(fdt);
}

static int write_soc(void *fdt, const struct guest_fdt_params *p)
{
	TRY(fdt_begin_node(fdt, "soc"));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_string(fdt, "compatible", "simple-bus"));
	TRY(prop_empty(fdt, "ranges"));
	TRY(write_plic(fdt, p));
	TRY(write_uart(fdt, p));
	for (unsigned int i = 0; p->pt && i < p->pt->ndev; i++)
		TRY(write_device(fdt, p->host_fdt, &p->pt->dev[i]));
	return fdt_end_node(fdt);
}

static int write_root(void *fdt, const struct guest_fdt_params *p)
{
	TRY(fdt_begin_node(fdt, ""));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_string(fdt, "compatible", "riscv-virtio"));
	TRY(prop_concat(fdt, "model", "L0 guest ", p->name));
	TRY(write_chosen(fdt, p));
	TRY(write_memory(fdt, p));
	TRY(write_cpus(fdt, p));
	TRY(write_soc(fdt, p));
	return fdt_end_node(fdt);
}

int guest_fdt_build(void *buf, size_t size, const struct guest_fdt_params *p)
{
	int bufsize = size > INT32_MAX ? INT32_MAX : (int)size;

	/* The phandles and interrupts-extended's length must not overflow. */
	if (!p->name || !p->isa || !p->vcpus || p->vcpus > INT32_MAX / 8 ||
	    p->initrd_end < p->initrd_start)
		return -FDT_ERR_BADVALUE;
	TRY(fdt_create(buf, bufsize));
	TRY(fdt_finish_reservemap(buf));
	TRY(write_root(buf, p));
	return fdt_finish(buf);
}
