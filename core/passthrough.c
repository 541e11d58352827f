// SPDX-License-Identifier: MIT
/*
 * Checks of a guest's `passthrough` nodes against the host device tree
 * (see include/l0/passthrough.h and docs/guests.md). Every refusal is one
 * line naming the guest, the property and the node, and refuses only that
 * guest. The host tree was checked by platform_parse(); its nodes are still
 * read with every length checked.
 */
#include <libfdt.h>
#include <string.h>

#include <l0/bits.h>
#include <l0/passthrough.h>
#include <l0/printf.h>
#include <l0/vm.h>

#define PT_PAGE 0x1000ULL

struct pt_checker {
	const struct vm_host *host;
	const struct vm_config *c;
	const char *path; /* the node at fault */
	char *err;
	size_t errlen;
};

/* Report "guests/NAME: passthrough: PATH: why" and evaluate to -1. */
#define FAIL(pc, fmt, ...)                                                     \
	({                                                                     \
		l0_snprintf((pc)->err, (pc)->errlen,                           \
			    "guests/%s: passthrough: %s: " fmt, (pc)->c->name, \
			    (pc)->path, ##__VA_ARGS__);                        \
		-1;                                                            \
	})

/* Address ranges a guest sees that L0 emulates: no device may sit there. */
static const struct {
	struct mem_range r;
	const char *what;
} guest_windows[] = {
	{ { GUEST_PLIC_BASE, VPLIC_SIZE }, "the guest's virtual PLIC" },
	{ { GUEST_UART_BASE, ALIGN_UP(VUART_SIZE, PT_PAGE) },
	  "the guest's virtual UART" },
};

static bool overlaps(const struct mem_range *a, const struct mem_range *b)
{
	return a->base < mem_range_end(b) && b->base < mem_range_end(a);
}

static int check_range(struct pt_checker *pc, const struct mem_range *r)
{
	const struct platform *p = pc->host->plat;
	/* L0's interrupt controllers (the S-level ones: the M-level are PMP's). */
	const struct {
		const struct platform_mmio *m;
		const char *what;
	} chips[] = {
		{ &p->plic, "PLIC" },
		{ &p->aplic, "APLIC" },
		{ &p->imsic, "IMSIC" },
	};

	if (!r->size || mem_range_end(r) < r->base)
		return FAIL(pc, "reg: empty or wrapping range at 0x%llx",
			    (unsigned long long)r->base);
	if (!IS_ALIGNED(r->base, PT_PAGE) || !IS_ALIGNED(r->size, PT_PAGE))
		return FAIL(pc,
			    "reg: 0x%llx+0x%llx is not page aligned (4 KiB)",
			    (unsigned long long)r->base,
			    (unsigned long long)r->size);
	for (size_t i = 0; i < ARRAY_SIZE(guest_windows); i++)
		if (overlaps(r, &guest_windows[i].r))
			return FAIL(pc, "reg: 0x%llx overlaps %s",
				    (unsigned long long)r->base,
				    guest_windows[i].what);
	for (size_t i = 0; i < p->nmem; i++)
		if (overlaps(r, &p->mem[i]))
			return FAIL(pc, "reg: 0x%llx overlaps RAM",
				    (unsigned long long)r->base);
	if (p->uart.present &&
	    overlaps(r, &(struct mem_range){ ALIGN_DOWN(p->uart.base, PT_PAGE),
					     PT_PAGE }))
		return FAIL(pc, "reg: 0x%llx overlaps L0's console UART",
			    (unsigned long long)r->base);
	for (size_t i = 0; i < ARRAY_SIZE(chips); i++)
		if (chips[i].m->present &&
		    overlaps(r, &(struct mem_range){ chips[i].m->base,
						     chips[i].m->size }))
			return FAIL(pc, "reg: 0x%llx overlaps the host %s",
				    (unsigned long long)r->base, chips[i].what);
	return 0;
}

static int read_regs(struct pt_checker *pc, int node, struct pt_device *d)
{
	const void *fdt = pc->host->fdt;
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent);
	int sc = fdt_size_cells(fdt, parent);
	const fdt32_t *reg;
	int len, n;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return FAIL(pc, "reg: unsupported #address-cells/#size-cells");
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || len <= 0 || len % (int)(4 * (ac + sc)))
		return FAIL(pc, "reg: missing or malformed");
	n = len / (4 * (ac + sc));
	if (n > PT_MAX_REGS)
		return FAIL(pc, "reg: more than %d ranges", PT_MAX_REGS);
	for (int i = 0; i < n; i++, reg += ac + sc) {
		d->reg[i].base = platform_read_cells(reg, ac);
		d->reg[i].size = platform_read_cells(reg + ac, sc);
	}
	d->nreg = (unsigned int)n;
	return 0;
}

/* The node's interrupt parent: its own or its nearest ancestor's. */
static int interrupt_parent(const void *fdt, int node)
{
	const fdt32_t *ph;
	int len;

	for (; node >= 0; node = fdt_parent_offset(fdt, node)) {
		ph = fdt_getprop(fdt, node, "interrupt-parent", &len);
		if (ph && len == sizeof(*ph))
			return fdt_node_offset_by_phandle(fdt,
							  fdt32_to_cpu(*ph));
		if (ph)
			return -FDT_ERR_BADVALUE;
	}
	return -FDT_ERR_NOTFOUND;
}

/* Whether `node` is the host's controller whose registers `m` are. */
static bool is_node_at(const struct pt_checker *pc, int node,
		       const struct platform_mmio *m, const char *compat)
{
	const void *fdt = pc->host->fdt;
	int ac = fdt_address_cells(fdt, fdt_parent_offset(fdt, node));
	const fdt32_t *reg;
	int len;

	if (!m->present || fdt_node_check_compatible(fdt, node, compat))
		return false;
	reg = fdt_getprop(fdt, node, "reg", &len);
	return reg && ac >= 1 && ac <= 2 && len >= 4 * ac &&
	       platform_read_cells(reg, ac) == m->base;
}

/* The AIA binding's sense cell for level-high, what drivers/irq/ sets. */
#define IRQ_SENSE_LEVEL_HIGH 4

/*
 * The cells of a specifier at `parent`, if L0 takes that controller's
 * sources: the host PLIC (one: the source) or the APLIC domain that L0's
 * interrupts come from, directly or as MSIs (two: source and sense);
 * 0 when neither.
 */
static int host_irq_cells(const struct pt_checker *pc, int parent,
			  uint32_t *ndev)
{
	const struct platform *p = pc->host->plat;

	if (is_node_at(pc, parent, &p->plic, "riscv,plic0") ||
	    is_node_at(pc, parent, &p->plic, "sifive,plic-1.0.0")) {
		*ndev = p->plic.ndev;
		return 1;
	}
	if ((p->irqchip == IRQCHIP_APLIC ||
	     (p->irqchip == IRQCHIP_IMSIC && p->aplic_msi)) &&
	    is_node_at(pc, parent, &p->aplic, "riscv,aplic")) {
		*ndev = p->aplic.ndev;
		return 2;
	}
	return 0;
}

/*
 * `interrupts` on the host PLIC or L0's APLIC domain (level-high there),
 * or none at all.
 */
static int read_irqs(struct pt_checker *pc, int node, struct pt_device *d)
{
	const void *fdt = pc->host->fdt;
	const struct platform *p = pc->host->plat;
	const fdt32_t *irq;
	uint32_t ndev = 0;
	int len, parent, cells, n;

	if (fdt_getprop(fdt, node, "interrupts-extended", NULL))
		return FAIL(pc, "interrupts-extended: not supported");
	irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq)
		return 0;
	parent = interrupt_parent(fdt, node);
	cells = parent < 0 ? 0 : host_irq_cells(pc, parent, &ndev);
	if (!cells)
		return FAIL(
			pc,
			"interrupts: not on the host PLIC or L0's APLIC domain");
	if (len <= 0 || len % (int)(cells * sizeof(*irq)))
		return FAIL(pc, "interrupts: malformed");
	n = len / (int)(cells * sizeof(*irq));
	if (n > PT_MAX_IRQS)
		return FAIL(pc, "interrupts: more than %d", PT_MAX_IRQS);
	for (int i = 0; i < n; i++, irq += cells) {
		uint32_t src = fdt32_to_cpu(irq[0]);

		if (!src || src > ndev || src >= VPLIC_MAX_SOURCES)
			return FAIL(
				pc,
				"interrupts: source %u is not one the vPLIC has (1..%u)",
				src, VPLIC_MAX_SOURCES - 1);
		if (cells == 2 && fdt32_to_cpu(irq[1]) != IRQ_SENSE_LEVEL_HIGH)
			return FAIL(
				pc,
				"interrupts: source %u is not level-high (sense %u)",
				src, fdt32_to_cpu(irq[1]));
		if (p->uart.present && src == p->uart.irq)
			return FAIL(
				pc,
				"interrupts: source %u is L0's console UART's",
				src);
		d->irq[d->nirq++] = src;
	}
	return 0;
}

/* The earlier guest that already owns host node `node`, or NULL. */
static const struct vm_config *earlier_owner(const struct pt_checker *pc,
					     const struct vm_config *cfg,
					     size_t idx, int node)
{
	const void *fdt = pc->host->fdt;

	for (size_t j = 0; j < idx; j++)
		for (unsigned int k = 0; k < cfg[j].npassthrough; k++)
			if (fdt_path_offset(fdt, cfg[j].passthrough[k]) == node)
				return &cfg[j];
	return NULL;
}

/* Whether two devices share a page (their ranges are whole pages). */
static const struct mem_range *shared_range(const struct pt_device *d,
					    const struct pt_device *o)
{
	for (unsigned int a = 0; a < d->nreg; a++)
		for (unsigned int b = 0; b < o->nreg; b++)
			if (overlaps(&d->reg[a], &o->reg[b]))
				return &d->reg[a];
	return NULL;
}

/* A host source both devices use; 0 when none. */
static uint32_t shared_irq(const struct pt_device *d, const struct pt_device *o)
{
	for (unsigned int a = 0; a < d->nirq; a++)
		for (unsigned int b = 0; b < o->nirq; b++)
			if (d->irq[a] == o->irq[b])
				return d->irq[a];
	return 0;
}

/*
 * Another node of an earlier guest that shares a page or a source with
 * this one (two nodes for one device, or devices behind one page): the
 * first guest keeps it. Its node is read by the same rules as then; what
 * is wrong with it is that guest's error, not this one's.
 */
static int check_shared(struct pt_checker *pc, const struct vm_config *cfg,
			size_t idx, const struct pt_device *d)
{
	const void *fdt = pc->host->fdt;
	const struct mem_range *r;
	struct pt_device o;
	char ignored[1] = "";
	uint32_t src;

	for (size_t j = 0; j < idx; j++) {
		for (unsigned int k = 0; k < cfg[j].npassthrough; k++) {
			const char *path = cfg[j].passthrough[k];
			struct pt_checker quiet = { pc->host, &cfg[j], path,
						    ignored, sizeof(ignored) };

			o = (struct pt_device){ .node = fdt_path_offset(fdt,
									path) };
			if (o.node < 0 || read_regs(&quiet, o.node, &o) ||
			    read_irqs(&quiet, o.node, &o))
				continue;
			r = shared_range(d, &o);
			if (r)
				return FAIL(
					pc,
					"reg: 0x%llx overlaps %s of guests/%s",
					(unsigned long long)r->base, path,
					cfg[j].name);
			src = shared_irq(d, &o);
			if (src)
				return FAIL(
					pc,
					"interrupts: source %u is also %s's, of guests/%s",
					src, path, cfg[j].name);
		}
	}
	return 0;
}

static int check_node(struct pt_checker *pc, const struct vm_config *cfg,
		      size_t idx, unsigned int k, struct pt_device *d)
{
	const void *fdt = pc->host->fdt;
	const struct platform *p = pc->host->plat;
	const struct vm_config *other;
	int node = fdt_path_offset(fdt, pc->path);

	if (node < 0)
		return FAIL(pc, "not in the host device tree");
	if (fdt_getprop(fdt, node, "interrupt-controller", NULL))
		return FAIL(pc, "an interrupt controller (L0's)");
	for (unsigned int i = 0; i < k; i++)
		if (fdt_path_offset(fdt, pc->c->passthrough[i]) == node)
			return FAIL(pc, "listed twice");
	other = earlier_owner(pc, cfg, idx, node);
	if (other)
		return FAIL(pc, "already passed through to guests/%s",
			    other->name);
	*d = (struct pt_device){ .node = node };
	if (read_regs(pc, node, d))
		return -1;
	if (p->uart.present && d->reg[0].base == p->uart.base)
		return FAIL(pc, "L0's console UART");
	for (unsigned int i = 0; i < d->nreg; i++)
		if (check_range(pc, &d->reg[i]))
			return -1;
	if (read_irqs(pc, node, d))
		return -1;
	return check_shared(pc, cfg, idx, d);
}

int passthrough_check(const struct vm_host *host, const struct vm_config *cfg,
		      size_t idx, struct passthrough *out, char *err,
		      size_t errlen)
{
	struct pt_checker pc = { host, &cfg[idx], "", err, errlen };

	out->ndev = 0;
	if (!pc.c->npassthrough)
		return 0;
	if (!pc.c->direct_map) {
		l0_snprintf(
			err, errlen,
			"guests/%s: passthrough: needs direct-map (a device does DMA to the addresses the guest gives it)",
			pc.c->name);
		return -1;
	}
	for (unsigned int k = 0; k < pc.c->npassthrough; k++) {
		pc.path = pc.c->passthrough[k];
		if (check_node(&pc, cfg, idx, k, &out->dev[k]))
			return -1;
		out->ndev++;
	}
	return 0;
}
