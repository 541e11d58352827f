// SPDX-License-Identifier: MIT
/*
 * Read the host device tree into struct platform. The tree comes from
 * firmware, but is still checked as untrusted input: every property length is
 * validated and every failure names its node and property.
 */
#include <libfdt.h>
#include <string.h>

#include <drivers/uart.h>
#include <l0/bits.h>
#include <l0/platform.h>
#include <l0/printf.h>

struct parser {
	const void *fdt;
	struct platform *p;
	char *err;
	size_t errlen;
};

#define FAIL(ps, ...)                                              \
	({                                                         \
		l0_snprintf((ps)->err, (ps)->errlen, __VA_ARGS__); \
		-1;                                                \
	})

uint64_t platform_read_cells(const void *cells, int n)
{
	const fdt32_t *c = cells;
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = (v << 32) | fdt32_to_cpu(c[i]);
	return v;
}

static const char *node_path(struct parser *ps, int node, char *buf, size_t len)
{
	if (fdt_get_path(ps->fdt, node, buf, (int)len) < 0)
		l0_snprintf(buf, len, "node@%d", node);
	return buf;
}

/* Entry `idx` of a node's `reg`, sized by its parent's #*-cells. */
static int read_reg(struct parser *ps, int node, int idx, struct mem_range *r)
{
	int parent = fdt_parent_offset(ps->fdt, node);
	int ac = fdt_address_cells(ps->fdt, parent);
	int sc = fdt_size_cells(ps->fdt, parent);
	const fdt32_t *reg;
	char path[128];
	int len;

	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return FAIL(ps,
			    "fdt: %s: unsupported #address-cells/#size-cells",
			    node_path(ps, parent, path, sizeof(path)));
	reg = fdt_getprop(ps->fdt, node, "reg", &len);
	if (!reg || len < (int)sizeof(fdt32_t) * (ac + sc) * (idx + 1))
		return FAIL(ps, "fdt: %s: reg: missing or too short",
			    node_path(ps, node, path, sizeof(path)));
	reg += (ptrdiff_t)(ac + sc) * idx;
	r->base = platform_read_cells(reg, ac);
	r->size = platform_read_cells(reg + ac, sc);
	return 0;
}

static int reg_count(struct parser *ps, int node)
{
	int parent = fdt_parent_offset(ps->fdt, node);
	int cells = fdt_address_cells(ps->fdt, parent) +
		    fdt_size_cells(ps->fdt, parent);
	int len;

	if (!fdt_getprop(ps->fdt, node, "reg", &len) || cells <= 0)
		return 0;
	return len / (int)(cells * sizeof(fdt32_t));
}

static bool node_enabled(const void *fdt, int node)
{
	const char *status = fdt_getprop(fdt, node, "status", NULL);

	return !status || !strcmp(status, "okay") || !strcmp(status, "ok");
}

static bool prop_is(const void *fdt, int node, const char *name,
		    const char *value)
{
	int len;
	const char *v = fdt_getprop(fdt, node, name, &len);

	return v && len > 0 && !strncmp(v, value, (size_t)len) &&
	       strlen(value) + 1 == (size_t)len;
}

static int read_u32(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

	return v && len == sizeof(*v) ? (int)fdt32_to_cpu(*v) : (int)dflt;
}

static int parse_memory(struct parser *ps)
{
	struct platform *p = ps->p;
	int node;

	fdt_for_each_subnode (node, ps->fdt, 0) {
		if (!prop_is(ps->fdt, node, "device_type", "memory") ||
		    !node_enabled(ps->fdt, node))
			continue;
		for (int i = 0; i < reg_count(ps, node); i++) {
			if (p->nmem == PLATFORM_MAX_MEM)
				return FAIL(ps,
					    "fdt: more than %d memory ranges",
					    PLATFORM_MAX_MEM);
			if (read_reg(ps, node, i, &p->mem[p->nmem]))
				return -1;
			p->nmem++;
		}
	}
	mem_ranges_normalize(p->mem, &p->nmem);
	if (!p->nmem)
		return FAIL(ps,
			    "fdt: no memory node (device_type = \"memory\")");
	return 0;
}

static int add_resv(struct parser *ps, struct mem_range r)
{
	if (ps->p->nresv == PLATFORM_MAX_RESV)
		return FAIL(ps, "fdt: more than %d reserved regions",
			    PLATFORM_MAX_RESV);
	ps->p->resv[ps->p->nresv++] = r;
	return 0;
}

static int parse_reserved(struct parser *ps)
{
	struct mem_range r;
	uint64_t addr, size;
	int node, parent;

	for (int i = 0; i < fdt_num_mem_rsv(ps->fdt); i++) {
		if (fdt_get_mem_rsv(ps->fdt, i, &addr, &size) < 0)
			return FAIL(ps, "fdt: memory reservation %d unreadable",
				    i);
		if (add_resv(ps, (struct mem_range){ addr, size }))
			return -1;
	}
	parent = fdt_path_offset(ps->fdt, "/reserved-memory");
	if (parent < 0)
		return 0;
	fdt_for_each_subnode (node, ps->fdt, parent) {
		bool nomap = fdt_getprop(ps->fdt, node, "no-map", NULL);

		for (int i = 0; i < reg_count(ps, node); i++) {
			if (read_reg(ps, node, i, &r) || add_resv(ps, r))
				return -1;
			/* add_resv() bounds nresv, and so this too */
			if (nomap)
				ps->p->nomap[ps->p->nnomap++] = r;
		}
	}
	mem_ranges_normalize(ps->p->resv, &ps->p->nresv);
	mem_ranges_normalize(ps->p->nomap, &ps->p->nnomap);
	return 0;
}

/* Prefer the list form; fall back to the single `riscv,isa` string. */
static int parse_cpu_isa(struct parser *ps, int node, isa_bitmap_t *isa)
{
	const char *s;
	char path[128];
	int len, ext;

	s = fdt_getprop(ps->fdt, node, "riscv,isa-extensions", &len);
	if (s && len > 0 && s[len - 1] == '\0') {
		*isa = 0;
		for (const char *e = s; e < s + len; e += strlen(e) + 1) {
			ext = isa_ext_lookup(e, strlen(e));
			if (ext >= 0)
				*isa |= ISA_BIT(ext);
		}
		return 0;
	}
	s = fdt_getprop(ps->fdt, node, "riscv,isa", &len);
	if (!s || len <= 0 || s[len - 1] != '\0' || isa_parse_string(s, isa))
		return FAIL(ps, "fdt: %s: riscv,isa: missing or not rv64",
			    node_path(ps, node, path, sizeof(path)));
	return 0;
}

static uint32_t cpu_intc_phandle(const void *fdt, int cpu)
{
	int node;

	fdt_for_each_subnode (node, fdt, cpu)
		if (fdt_getprop(fdt, node, "interrupt-controller", NULL))
			return fdt_get_phandle(fdt, node);
	return 0;
}

static int parse_cpus(struct parser *ps)
{
	struct platform *p = ps->p;
	int cpus = fdt_path_offset(ps->fdt, "/cpus");
	const fdt32_t *reg;
	char path[128];
	int node, len, ac;

	if (cpus < 0)
		return FAIL(ps, "fdt: no /cpus node");
	p->timebase_hz =
		(uint32_t)read_u32(ps->fdt, cpus, "timebase-frequency", 0);
	if (!p->timebase_hz)
		return FAIL(ps,
			    "fdt: /cpus: timebase-frequency missing or zero");
	ac = fdt_address_cells(ps->fdt, cpus);
	fdt_for_each_subnode (node, ps->fdt, cpus) {
		struct platform_cpu *c = &p->cpus[p->ncpus];

		if (!prop_is(ps->fdt, node, "device_type", "cpu") ||
		    !node_enabled(ps->fdt, node))
			continue;
		if (p->ncpus == PLATFORM_MAX_HARTS)
			return FAIL(ps, "fdt: more than %d harts",
				    PLATFORM_MAX_HARTS);
		reg = fdt_getprop(ps->fdt, node, "reg", &len);
		if (ac < 1 || ac > 2 || !reg || len != (int)sizeof(*reg) * ac)
			return FAIL(ps, "fdt: %s: reg: bad hart id",
				    node_path(ps, node, path, sizeof(path)));
		c->hartid = platform_read_cells(reg, ac);
		c->intc_phandle = cpu_intc_phandle(ps->fdt, node);
		c->irq_target = -1;
		c->cboz_block = (uint32_t)read_u32(ps->fdt, node,
						   "riscv,cboz-block-size", 0);
		if (parse_cpu_isa(ps, node, &c->isa))
			return -1;
		p->ncpus++;
	}
	if (!p->ncpus)
		return FAIL(ps, "fdt: /cpus: no enabled cpu");
	return 0;
}

/* The UART named by /chosen/stdout-path, else the first one L0 drives. */
static int find_uart(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *path =
		chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", NULL)
			    : NULL;
	int node;

	if (path) {
		const char *colon = strchr(path, ':');
		int len = colon ? (int)(colon - path) : (int)strlen(path);

		node = fdt_path_offset_namelen(fdt, path, len);
		if (node >= 0 && uart_model_of(fdt, node))
			return node;
	}
	return uart_find_any(fdt);
}

/*
 * The first cell of `interrupts` (or of the specifier in
 * `interrupts-extended`) is the source number for both the PLIC's one-cell
 * and the APLIC's two-cell (source, sense) specifiers.
 */
static uint32_t first_irq(const void *fdt, int node)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, "interrupts", &len);

	if (v && len >= (int)sizeof(*v))
		return fdt32_to_cpu(v[0]);
	v = fdt_getprop(fdt, node, "interrupts-extended", &len);
	if (v && len >= 2 * (int)sizeof(*v))
		return fdt32_to_cpu(v[1]);
	return 0;
}

static int parse_uart(struct parser *ps)
{
	struct platform_uart *u = &ps->p->uart;
	int node = find_uart(ps->fdt);
	struct mem_range r;
	char path[128];

	if (node < 0 || !node_enabled(ps->fdt, node))
		return 0; /* the console falls back to SBI */
	if (read_reg(ps, node, 0, &r))
		return -1;
	u->model = uart_model_of(ps->fdt, node);
	u->base = r.base;
	u->reg_shift = (uint32_t)read_u32(ps->fdt, node, "reg-shift", 0);
	u->reg_io_width = (uint32_t)read_u32(ps->fdt, node, "reg-io-width", 1);
	if (u->reg_io_width != 1 && u->reg_io_width != 4)
		return FAIL(ps, "fdt: %s: reg-io-width: %u (L0 drives 1 or 4)",
			    node_path(ps, node, path, sizeof(path)),
			    u->reg_io_width);
	if (u->reg_shift > 3 || (8U << u->reg_shift) > r.size)
		return FAIL(
			ps, "fdt: %s: reg-shift: %u does not fit its reg size",
			node_path(ps, node, path, sizeof(path)), u->reg_shift);
	u->clock_hz = (uint32_t)read_u32(ps->fdt, node, "clock-frequency", 0);
	u->irq = first_irq(ps->fdt, node);
	u->present = true;
	return 0;
}

/* A node's registers and source count into `m`. */
static int read_mmio(struct parser *ps, int node, struct platform_mmio *m,
		     const char *ndev_prop)
{
	struct mem_range r;

	if (read_reg(ps, node, 0, &r))
		return -1;
	m->present = true;
	m->base = r.base;
	m->size = r.size;
	m->ndev =
		ndev_prop ? (uint32_t)read_u32(ps->fdt, node, ndev_prop, 0) : 0;
	return 0;
}

/* The first enabled node with one of `compat`, or -1. */
static int find_enabled(const void *fdt, const char *const *compat)
{
	for (; *compat; compat++) {
		int node = fdt_node_offset_by_compatible(fdt, -1, *compat);

		for (; node >= 0;
		     node = fdt_node_offset_by_compatible(fdt, node, *compat))
			if (node_enabled(fdt, node))
				return node;
	}
	return -1;
}

/* A hart's supervisor external interrupt, as its riscv,cpu-intc numbers it. */
#define INTC_S_EXT 9

static struct platform_cpu *cpu_of_intc(struct platform *p, uint32_t phandle)
{
	for (size_t i = 0; i < p->ncpus; i++)
		if (phandle && p->cpus[i].intc_phandle == phandle)
			return &p->cpus[i];
	return NULL;
}

/*
 * Call `fn` for each interrupts-extended entry <cpu-intc 9> of `node`, with
 * the entry's index: a PLIC's context, an APLIC's IDC (hart index) or an
 * IMSIC's interrupt file, in the bindings' order (PLIC spec, "Interrupt
 * Targets"; the riscv,aplic and riscv,imsics bindings). Returns how many
 * matched, or -1 when `fn` failed.
 */
static int for_each_seip(struct parser *ps, int node,
			 int (*fn)(struct parser *ps, int node, int idx,
				   struct platform_cpu *c))
{
	int len, n = 0;
	const fdt32_t *ie =
		fdt_getprop(ps->fdt, node, "interrupts-extended", &len);

	for (int idx = 0; ie && (idx + 1) * 8 <= len; idx++) {
		const fdt32_t *entry = ie + (ptrdiff_t)2 * idx;
		struct platform_cpu *c =
			cpu_of_intc(ps->p, fdt32_to_cpu(entry[0]));

		if (!c || fdt32_to_cpu(entry[1]) != INTC_S_EXT)
			continue;
		if (fn && fn(ps, node, idx, c))
			return -1;
		n++;
	}
	return n;
}

static int set_context(struct parser *ps, int node, int idx,
		       struct platform_cpu *c)
{
	(void)ps;
	(void)node;
	c->irq_target = idx;
	return 0;
}

static uint32_t ceil_log2(uint32_t n)
{
	uint32_t bits = 0;

	while ((1ULL << bits) < n)
		bits++;
	return bits;
}

/*
 * An IMSIC's geometry, with the binding's defaults: no guest files, as
 * many hart-index bits as it has harts, one group, group bits at 24.
 */
static int parse_imsic_geometry(struct parser *ps, int node)
{
	struct platform_imsic *g = &ps->p->imsic_files;
	int len = 0;
	char path[128];

	fdt_getprop(ps->fdt, node, "interrupts-extended", &len);
	g->num_ids = (uint32_t)read_u32(ps->fdt, node, "riscv,num-ids", 0);
	g->guest_bits =
		(uint32_t)read_u32(ps->fdt, node, "riscv,guest-index-bits", 0);
	g->hart_bits =
		(uint32_t)read_u32(ps->fdt, node, "riscv,hart-index-bits",
				   ceil_log2((uint32_t)len / 8));
	g->group_bits =
		(uint32_t)read_u32(ps->fdt, node, "riscv,group-index-bits", 0);
	g->group_shift = (uint32_t)read_u32(ps->fdt, node,
					    "riscv,group-index-shift", 24);
	/*
	 * AIA spec 3.1 and 3.6; a hart index has at most the 14 bits of the
	 * APLIC's target register (4.5.16).
	 */
	if (g->num_ids < 63 || g->num_ids > 2047 || g->guest_bits > 6 ||
	    g->hart_bits + g->group_bits > 14 ||
	    g->group_shift < 12 + g->guest_bits + g->hart_bits ||
	    g->group_shift > 55)
		return FAIL(
			ps,
			"fdt: %s: riscv,num-ids or riscv,*-index-*: out of the AIA spec's range",
			node_path(ps, node, path, sizeof(path)));
	return 0;
}

/*
 * IMSIC interrupt file `idx`: its address counts files through the reg
 * regions in order, each file 4 KiB per guest index (AIA spec 3.6); the
 * hart index is that address's hart and group bits.
 */
static int set_imsic_hart(struct parser *ps, int node, int idx,
			  struct platform_cpu *c)
{
	const struct platform_imsic *g = &ps->p->imsic_files;
	uint64_t stride = 1ULL << (12 + g->guest_bits), addr = 0;
	uint64_t skip = (uint64_t)idx;
	struct mem_range r;
	char path[128];

	for (int i = 0; i < reg_count(ps, node) && !addr; i++) {
		if (read_reg(ps, node, i, &r))
			return -1;
		if (skip < r.size / stride)
			addr = r.base + skip * stride;
		else
			skip -= r.size / stride;
	}
	if (!addr)
		return FAIL(ps, "fdt: %s: reg: no interrupt file for entry %d",
			    node_path(ps, node, path, sizeof(path)), idx);
	c->irq_target =
		(int)(((addr >> (12 + g->guest_bits)) &
		       (BIT(g->hart_bits) - 1)) |
		      (((addr >> g->group_shift) & (BIT(g->group_bits) - 1))
		       << g->hart_bits));
	return 0;
}

/* The APLIC whose msi-parent is `imsic`: it forwards wired sources there. */
static int aplic_feeding(const void *fdt, int imsic)
{
	static const char aplic[] = "riscv,aplic";
	uint32_t ph = fdt_get_phandle(fdt, imsic);
	int node = fdt_node_offset_by_compatible(fdt, -1, aplic);

	for (; node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, aplic)) {
		int len;
		const fdt32_t *mp = fdt_getprop(fdt, node, "msi-parent", &len);

		if (node_enabled(fdt, node) && mp && len >= 4 && ph &&
		    fdt32_to_cpu(mp[0]) == ph)
			return node;
	}
	return -1;
}

/*
 * L0's controller is the enabled node that raises the harts' SEIP, by the
 * first compatible of this table it has. The M-level APLIC and IMSIC of an
 * AIA host target cause 11 (or feed those that do): they are the
 * firmware's, and not L0's to touch.
 */
static const struct {
	const char *compatible;
	enum platform_irqchip kind;
} irqchips[] = {
	{ "riscv,imsics", IRQCHIP_IMSIC },
	{ "riscv,aplic", IRQCHIP_APLIC },
	{ "riscv,plic0", IRQCHIP_PLIC },
	{ "sifive,plic-1.0.0", IRQCHIP_PLIC },
};

static int find_seip_chip(struct parser *ps, enum platform_irqchip *kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(irqchips); i++) {
		const char *c = irqchips[i].compatible;
		int node = fdt_node_offset_by_compatible(ps->fdt, -1, c);

		for (; node >= 0;
		     node = fdt_node_offset_by_compatible(ps->fdt, node, c))
			if (node_enabled(ps->fdt, node) &&
			    for_each_seip(ps, node, NULL) > 0) {
				*kind = irqchips[i].kind;
				return node;
			}
	}
	return -1;
}

static int parse_irqchips(struct parser *ps)
{
	static const char *const plic[] = { "riscv,plic0", "sifive,plic-1.0.0",
					    NULL };
	static const char *const aplic[] = { "riscv,aplic", NULL };
	static const char *const imsic[] = { "riscv,imsics", NULL };
	struct platform *p = ps->p;
	enum platform_irqchip kind = IRQCHIP_NONE;
	int chip = find_seip_chip(ps, &kind);
	int plic_node =
		kind == IRQCHIP_PLIC ? chip : find_enabled(ps->fdt, plic);
	int aplic_node = kind == IRQCHIP_APLIC ? chip : -1;
	int imsic_node =
		kind == IRQCHIP_IMSIC ? chip : find_enabled(ps->fdt, imsic);

	if (kind == IRQCHIP_IMSIC) {
		aplic_node = aplic_feeding(ps->fdt, chip);
		p->aplic_msi = aplic_node >= 0;
	}
	if (aplic_node < 0)
		aplic_node = find_enabled(ps->fdt, aplic);
	if ((plic_node >= 0 &&
	     read_mmio(ps, plic_node, &p->plic, "riscv,ndev")) ||
	    (aplic_node >= 0 &&
	     read_mmio(ps, aplic_node, &p->aplic, "riscv,num-sources")) ||
	    (imsic_node >= 0 && read_mmio(ps, imsic_node, &p->imsic, NULL)))
		return -1;
	if (!p->plic.present && !p->aplic.present)
		return FAIL(ps, "fdt: no interrupt controller (PLIC or APLIC)");
	p->irqchip = kind;
	if (kind == IRQCHIP_IMSIC && parse_imsic_geometry(ps, chip))
		return -1;
	if (kind != IRQCHIP_NONE &&
	    for_each_seip(ps, chip,
			  kind == IRQCHIP_IMSIC ? set_imsic_hart
						: set_context) < 0)
		return -1;
	return 0;
}

static uint64_t read_addr_prop(const void *fdt, int node, const char *name)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);

	if (!v || (len != 4 && len != 8))
		return 0;
	return platform_read_cells(v, len / 4);
}

static int parse_chosen(struct parser *ps)
{
	struct platform *p = ps->p;
	int chosen = fdt_path_offset(ps->fdt, "/chosen");
	const char *args;
	int len;

	p->bootargs = "";
	if (chosen < 0)
		return 0;
	args = fdt_getprop(ps->fdt, chosen, "bootargs", &len);
	if (args && len > 0 && args[len - 1] == '\0')
		p->bootargs = args;
	p->rng_seed = fdt_getprop(ps->fdt, chosen, "rng-seed", &len);
	p->rng_seed_len = p->rng_seed && len > 0 ? (size_t)len : 0;
	if (!p->rng_seed_len)
		p->rng_seed = NULL;
	p->initrd_start = read_addr_prop(ps->fdt, chosen, "linux,initrd-start");
	p->initrd_end = read_addr_prop(ps->fdt, chosen, "linux,initrd-end");
	if (p->initrd_end < p->initrd_start)
		return FAIL(
			ps,
			"fdt: /chosen: linux,initrd-end below linux,initrd-start");
	return 0;
}

int platform_parse(const void *fdt, struct platform *p, char *err,
		   size_t errlen)
{
	struct parser ps = { fdt, p, err, errlen };
	int rc;

	memset(p, 0, sizeof(*p));
	rc = fdt_check_header(fdt);
	if (!rc)
		rc = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (rc)
		return FAIL(&ps, "fdt: not a valid device tree: %s",
			    fdt_strerror(rc));
	if (parse_memory(&ps) || parse_reserved(&ps) || parse_cpus(&ps) ||
	    parse_uart(&ps) || parse_irqchips(&ps) || parse_chosen(&ps))
		return -1;
	return 0;
}

int platform_l0_ram(const struct platform *p, struct mem_range *out, size_t max)
{
	size_t n = p->nmem;

	if (n > max)
		return -1;
	memcpy(out, p->mem, n * sizeof(*out));
	for (size_t i = 0; i < p->nnomap; i++)
		if (mem_ranges_remove(out, &n, max, p->nomap[i]))
			return -1;
	return (int)n;
}

const struct platform_cpu *platform_cpu(const struct platform *p,
					uint64_t hartid)
{
	for (size_t i = 0; i < p->ncpus; i++)
		if (p->cpus[i].hartid == hartid)
			return &p->cpus[i];
	return NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The bootargs word that is `word`, or with `prefix`, starts with it. */
static const char *find_bootarg(const struct platform *p, const char *word,
				bool prefix)
{
	size_t n = strlen(word);

	for (const char *s = p->bootargs; *s;) {
		size_t len = 0;

		while (is_blank(*s))
			s++;
		while (s[len] && !is_blank(s[len]))
			len++;
		if ((len == n || (prefix && len > n)) && !strncmp(s, word, n))
			return s;
		s += len;
	}
	return NULL;
}

bool platform_has_bootarg(const struct platform *p, const char *word)
{
	return find_bootarg(p, word, false);
}

const char *platform_bootarg_value(const struct platform *p, const char *key)
{
	const char *s = find_bootarg(p, key, true);

	return s ? s + strlen(key) : NULL;
}
