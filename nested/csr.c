// SPDX-License-Identifier: MIT
/*
 * The virtual H-extension CSRs of an L1 vCPU: one table entry per CSR says
 * where it lives, which bits L1 may write, and how the derived ones read.
 * RISC-V privileged spec, "H" Extension for Hypervisor Support, RV64 only.
 *
 * Choices where the spec leaves one (WARL), for L0's L1:
 * - hstatus: VSXL read-only 2 (VSXLEN = 64), VSBE read-only 0 (little-
 *   endian only), VGEIN read-only 0 (GEILEN = 0), HUKTE/HUPMM 0.
 * - hedeleg: exactly the bits the spec's table calls writable (0 too,
 *   which IALIGN = 16 leaves open); the rest read-only 0.
 * - hideleg, hvip, hie: VSSI/VSTI/VSEI only; SGEIE 0 (no SGEI can pend);
 *   hideleg.LCOFI 0 (no Shlcofideleg); no AIA bits.
 * - hgeie, hgeip: GEILEN = 0, both read as 0.
 * - hcounteren: CY, TM, IR; the HPMn bits read-only 0.
 * - htval, htinst: hold any value (a superset of what traps write).
 * - henvcfg: FIOM writable, STCE with Sstc; CBIE/CBCFE/CBZE, PBMTE, ADUE,
 *   LPE, SSE, DTE, PMM read-only 0 (L0 gives its guests none of them).
 * - hgatp: an unsupported MODE keeps the old MODE, the other fields are
 *   still written; PPN[1:0] read-only 0; PPN[43:2] all writable; VMID has
 *   f->vmid_bits bits.
 * - vsstatus: UXL read-only 2, UBE 0 (= VSBE), VS 0 (no V), XS 0,
 *   SPELP/SDT 0; SD = FS, VS or XS is Dirty.
 * - vstvec: MODE bit 1 read-only 0 (2 reads as Direct, 3 as Vectored).
 * - vsepc: bit 0 read-only 0 (C is there: IALIGN = 16).
 * - vscause: WLRL, kept as written.
 * - vsatp: an unsupported MODE ignores the whole write (as satp does,
 *   one of the spec's two choices at V=0); all 16 ASID bits writable.
 */
#include <stddef.h>

#include <l0/bits.h>
#include <l0/hot.h>

#include "csr.h"

/* hstatus (RV64). */
#define HS_VSBE BIT(5)
#define HS_GVA BIT(6)
#define HS_SPV BIT(7)
#define HS_SPVP BIT(8)
#define HS_HU BIT(9)
#define HS_VGEIN GENMASK(17, 12)
#define HS_VTVM BIT(20)
#define HS_VTW BIT(21)
#define HS_VTSR BIT(22)
#define HS_VSXL GENMASK(33, 32)
#define HS_VSXL_64 (2UL << 32) /* VSXL = 2: 64-bit */

/* VS-level interrupts in hideleg/hvip/hip/hie, and their vsip/vsie bits. */
#define VSSI BIT(2)
#define VSTI BIT(6)
#define VSEI BIT(10)
#define VS_IRQS (VSSI | VSTI | VSEI)

/* henvcfg */
#define ENV_FIOM BIT(0)
#define ENV_STCE BIT(63)

/* hgatp and vsatp (RV64). */
#define ATP_MODE GENMASK(63, 60)
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MAX 14
#define HGATP_PPN GENMASK(43, 0)
#define VSATP_ALL (~0UL)

/* vsstatus (VSXLEN = 64). */
#define VSS_SIE BIT(1)
#define VSS_SPIE BIT(5)
#define VSS_SPP BIT(8)
#define VSS_VS GENMASK(10, 9)
#define VSS_FS GENMASK(14, 13)
#define VSS_XS GENMASK(16, 15)
#define VSS_SUM BIT(18)
#define VSS_MXR BIT(19)
#define VSS_UXL GENMASK(33, 32)
#define VSS_SD BIT(63)
#define VSS_UXL_64 (2UL << 32) /* UXL = 2: 64-bit */
#define CTX_DIRTY 3UL

/* Exceptions the spec's hedeleg table makes writable. */
#define HEDELEG_WRITABLE \
	(GENMASK(8, 0) | BIT(12) | BIT(13) | BIT(15) | BIT(18) | BIT(19))

enum csr_need {
	NEED_NONE,
	NEED_SSTC,
};

struct csr_desc {
	uint16_t num;
	uint8_t need;	/* enum csr_need: absent without the feature */
	bool read_only; /* a write is an illegal instruction */
	const char *name;
	size_t off;    /* the field in struct nested_csrs */
	uint64_t mask; /* writable bits (mask_fn == NULL) */
	uint64_t ones; /* read-only bits that read as one */
	/* Writable bits that depend on the features; NULL: mask. */
	uint64_t (*mask_fn)(const struct nested_features *f);
	/* WARL fix-ups on the written value, before the mask; NULL: none. */
	uint64_t (*legalize)(const struct nested_features *f, uint64_t old,
			     uint64_t val);
	/* A derived value (aliases); NULL: the field, masked. */
	uint64_t (*read)(const struct nested_csrs *c,
			 const struct nested_features *f);
	/* A write that lands elsewhere (aliases); NULL: into the field. */
	void (*write)(struct nested_csrs *c, const struct nested_features *f,
		      uint64_t val);
};

static bool mode_supported(uint64_t modes, uint64_t mode)
{
	return mode == 0 || (modes & BIT(mode)) != 0;
}

L0_HOT static uint64_t henvcfg_mask(const struct nested_features *f)
{
	return ENV_FIOM | (f->sstc ? ENV_STCE : 0);
}

L0_HOT static uint64_t hgatp_mask(const struct nested_features *f)
{
	unsigned int vmid_bits = f->vmid_bits;

	if (vmid_bits > HGATP_VMID_MAX)
		vmid_bits = HGATP_VMID_MAX;
	/* PPN[1:0] read-only 0: the root table is 16 KiB aligned. */
	return ATP_MODE | (HGATP_PPN & ~3UL) |
	       (((1UL << vmid_bits) - 1) << HGATP_VMID_SHIFT);
}

/* hgatp fields are WARL "in the normal way": a bad MODE keeps the old. */
L0_HOT static uint64_t hgatp_legalize(const struct nested_features *f,
				      uint64_t old, uint64_t val)
{
	if (!mode_supported(f->hgatp_modes, field_get(ATP_MODE, val)))
		val = field_set(ATP_MODE, val, field_get(ATP_MODE, old));
	return val;
}

/* vsatp, written at V=0 with a bad MODE: ignored, as for satp. */
static uint64_t vsatp_legalize(const struct nested_features *f, uint64_t old,
			       uint64_t val)
{
	if (!mode_supported(f->vsatp_modes, field_get(ATP_MODE, val)))
		return old;
	return val;
}

L0_HOT static uint64_t hip_read(const struct nested_csrs *c,
				const struct nested_features *f)
{
	uint64_t v = c->hvip & VS_IRQS;

	/* Sstc: the vstimecmp signal counts only with henvcfg.STCE = 1. */
	if (f->sstc && (c->henvcfg & ENV_STCE))
		v |= c->hip & VSTI;
	/* hgeip[VGEIN] is 0 (GEILEN = 0); other VS external signals. */
	v |= c->hip & VSEI;
	return v;
}

/* Only hip.VSSIP is writable: it is hvip.VSSIP. */
static void hip_write(struct nested_csrs *c, const struct nested_features *f,
		      uint64_t val)
{
	(void)f;
	c->hvip = (c->hvip & ~VSSI) | (val & VSSI);
}

L0_HOT static uint64_t vsip_read(const struct nested_csrs *c,
				 const struct nested_features *f)
{
	return (hip_read(c, f) & c->hideleg & VS_IRQS) >> 1;
}

/* vsip.SSIP is hip.VSSIP when delegated; STIP and SEIP are read-only. */
static void vsip_write(struct nested_csrs *c, const struct nested_features *f,
		       uint64_t val)
{
	if (c->hideleg & VSSI)
		hip_write(c, f, val << 1);
}

L0_HOT uint64_t nested_csr_vsie(const struct nested_csrs *c)
{
	return (c->hie & c->hideleg & VS_IRQS) >> 1;
}

L0_HOT void nested_csr_set_vsie(struct nested_csrs *c, uint64_t val)
{
	uint64_t deleg = c->hideleg & VS_IRQS;

	c->hie = (c->hie & ~deleg) | ((val << 1) & deleg);
}

static uint64_t vsie_read(const struct nested_csrs *c,
			  const struct nested_features *f)
{
	(void)f;
	return nested_csr_vsie(c);
}

static void vsie_write(struct nested_csrs *c, const struct nested_features *f,
		       uint64_t val)
{
	(void)f;
	nested_csr_set_vsie(c, val);
}

#define VSSTATUS_WRITABLE \
	(VSS_SIE | VSS_SPIE | VSS_SPP | VSS_FS | VSS_SUM | VSS_MXR)
#define VSSTATUS_ONES VSS_UXL_64

L0_HOT static uint64_t vsstatus_read(const struct nested_csrs *c,
				     const struct nested_features *f)
{
	uint64_t v = (c->vsstatus & VSSTATUS_WRITABLE) | VSSTATUS_ONES;

	(void)f;
	if (field_get(VSS_FS, v) == CTX_DIRTY ||
	    field_get(VSS_VS, v) == CTX_DIRTY ||
	    field_get(VSS_XS, v) == CTX_DIRTY)
		v |= VSS_SD;
	return v;
}

#define F(field) offsetof(struct nested_csrs, field)

/*
 * In dependency order: a CSR comes before those derived from it (hvip
 * before hip, hideleg and hie before vsie and vsip), the order in which
 * SBI NACL's "synchronize CSR" must write them (nested/nacl_shmem.c).
 */
L0_HOT_DATA static const struct csr_desc table[] = {
	[NESTED_ENTRY_HSTATUS] = { .num = CSR_H_HSTATUS,
				   .name = "hstatus",
				   .off = F(hstatus),
				   .mask = HS_GVA | HS_SPV | HS_SPVP | HS_HU |
					   HS_VTVM | HS_VTW | HS_VTSR,
				   .ones = HS_VSXL_64 },
	[NESTED_ENTRY_HEDELEG] = { .num = CSR_H_HEDELEG,
				   .name = "hedeleg",
				   .off = F(hedeleg),
				   .mask = HEDELEG_WRITABLE },
	[NESTED_ENTRY_HIDELEG] = { .num = CSR_H_HIDELEG,
				   .name = "hideleg",
				   .off = F(hideleg),
				   .mask = VS_IRQS },
	[NESTED_ENTRY_HIE] = { .num = CSR_H_HIE,
			       .name = "hie",
			       .off = F(hie),
			       .mask = VS_IRQS },
	[NESTED_ENTRY_HTIMEDELTA] = { .num = CSR_H_HTIMEDELTA,
				      .name = "htimedelta",
				      .off = F(htimedelta),
				      .mask = ~0UL },
	[NESTED_ENTRY_HCOUNTEREN] = { .num = CSR_H_HCOUNTEREN,
				      .name = "hcounteren",
				      .off = F(hcounteren),
				      .mask = GENMASK(2, 0) },
	[NESTED_ENTRY_HGEIE] = { .num = CSR_H_HGEIE,
				 .name = "hgeie",
				 .off = F(hgeie),
				 .mask = 0 },
	[NESTED_ENTRY_HENVCFG] = { .num = CSR_H_HENVCFG,
				   .name = "henvcfg",
				   .off = F(henvcfg),
				   .mask_fn = henvcfg_mask },
	[NESTED_ENTRY_HTVAL] = { .num = CSR_H_HTVAL,
				 .name = "htval",
				 .off = F(htval),
				 .mask = ~0UL },
	[NESTED_ENTRY_HVIP] = { .num = CSR_H_HVIP,
				.name = "hvip",
				.off = F(hvip),
				.mask = VS_IRQS },
	[NESTED_ENTRY_HIP] = { .num = CSR_H_HIP,
			       .name = "hip",
			       .off = F(hip),
			       .read = hip_read,
			       .write = hip_write },
	[NESTED_ENTRY_HTINST] = { .num = CSR_H_HTINST,
				  .name = "htinst",
				  .off = F(htinst),
				  .mask = ~0UL },
	[NESTED_ENTRY_HGATP] = { .num = CSR_H_HGATP,
				 .name = "hgatp",
				 .off = F(hgatp),
				 .mask_fn = hgatp_mask,
				 .legalize = hgatp_legalize },
	[NESTED_ENTRY_HGEIP] = { .num = CSR_H_HGEIP,
				 .name = "hgeip",
				 .off = F(hgeip),
				 .read_only = true,
				 .mask = 0 },
	[NESTED_ENTRY_VSSTATUS] = { .num = CSR_H_VSSTATUS,
				    .name = "vsstatus",
				    .off = F(vsstatus),
				    .mask = VSSTATUS_WRITABLE,
				    .ones = VSSTATUS_ONES,
				    .read = vsstatus_read },
	[NESTED_ENTRY_VSIE] = { .num = CSR_H_VSIE,
				.name = "vsie",
				.off = F(vsie),
				.read = vsie_read,
				.write = vsie_write },
	[NESTED_ENTRY_VSTVEC] = { .num = CSR_H_VSTVEC,
				  .name = "vstvec",
				  .off = F(vstvec),
				  .mask = ~BIT(1) },
	[NESTED_ENTRY_VSSCRATCH] = { .num = CSR_H_VSSCRATCH,
				     .name = "vsscratch",
				     .off = F(vsscratch),
				     .mask = ~0UL },
	[NESTED_ENTRY_VSEPC] = { .num = CSR_H_VSEPC,
				 .name = "vsepc",
				 .off = F(vsepc),
				 .mask = ~BIT(0) },
	[NESTED_ENTRY_VSCAUSE] = { .num = CSR_H_VSCAUSE,
				   .name = "vscause",
				   .off = F(vscause),
				   .mask = ~0UL },
	[NESTED_ENTRY_VSTVAL] = { .num = CSR_H_VSTVAL,
				  .name = "vstval",
				  .off = F(vstval),
				  .mask = ~0UL },
	[NESTED_ENTRY_VSIP] = { .num = CSR_H_VSIP,
				.name = "vsip",
				.off = F(vsip),
				.read = vsip_read,
				.write = vsip_write },
	[NESTED_ENTRY_VSTIMECMP] = { .num = CSR_H_VSTIMECMP,
				     .need = NEED_SSTC,
				     .name = "vstimecmp",
				     .off = F(vstimecmp),
				     .mask = ~0UL },
	[NESTED_ENTRY_VSATP] = { .num = CSR_H_VSATP,
				 .name = "vsatp",
				 .off = F(vsatp),
				 .mask = VSATP_ALL,
				 .legalize = vsatp_legalize },
};

#undef F

_Static_assert(ARRAY_SIZE(table) <= NESTED_CSR_MAX, "a bit per entry");

_Static_assert(ARRAY_SIZE(table) == NESTED_CSR_ENTRIES, "an entry per name");

/*
 * CSR number -> table index + 1, so that a lookup on L1's hot path is one
 * load, not a search; built by the compiler from the same list. The
 * H-extension's CSRs lie at 0x2xx, 0x6xx and 0xe12: keyed by bits 11:10 and
 * 7:0 the map is 1 KiB, not 4, and shares a page with the tables of the
 * trap path (L0_HOT_DATA). Other CSRs share those keys: the entry found
 * must have the number asked for.
 */
#define SLOT_KEY(csr) ((((csr) >> 10) & 3) << 8 | ((csr)&0xff))
#define SLOT(name) [SLOT_KEY(CSR_H_##name)] = NESTED_ENTRY_##name + 1,
L0_HOT_DATA static const uint8_t slot_of[1024] = { NESTED_CSR_TABLE(SLOT) };
#undef SLOT

__attribute__((always_inline)) static inline const struct csr_desc *
lookup(unsigned int csr)
{
	const struct csr_desc *d;

	if (csr >= 4096 || !slot_of[SLOT_KEY(csr)])
		return NULL;
	d = &table[slot_of[SLOT_KEY(csr)] - 1];
	return d->num == csr ? d : NULL;
}

static bool has_need(const struct csr_desc *d, const struct nested_features *f)
{
	switch (d->need) {
	case NEED_SSTC:
		return f->sstc;
	default:
		return true;
	}
}

/* The CSR, if L1 has it. */
__attribute__((always_inline)) static inline const struct csr_desc *
find(unsigned int csr, const struct nested_features *f)
{
	const struct csr_desc *d = lookup(csr);

	return d && has_need(d, f) ? d : NULL;
}

static uint64_t *field(struct nested_csrs *c, const struct csr_desc *d)
{
	return (uint64_t *)((char *)c + d->off);
}

static uint64_t field_val(const struct nested_csrs *c, const struct csr_desc *d)
{
	return *(const uint64_t *)((const char *)c + d->off);
}

static uint64_t writable(const struct csr_desc *d,
			 const struct nested_features *f)
{
	return d->mask_fn ? d->mask_fn(f) : d->mask;
}

void nested_csr_reset(struct nested_csrs *c, const struct nested_features *f)
{
	(void)f;
	*c = (struct nested_csrs){ 0 };
	for (size_t i = 0; i < ARRAY_SIZE(table); i++)
		*field(c, &table[i]) = table[i].ones;
}

bool nested_csr_known(unsigned int csr, const struct nested_features *f)
{
	return find(csr, f) != NULL;
}

const char *nested_csr_name(unsigned int csr)
{
	const struct csr_desc *d = lookup(csr);

	return d ? d->name : NULL;
}

unsigned int nested_csr_count(void)
{
	return ARRAY_SIZE(table);
}

unsigned int nested_csr_number(unsigned int i)
{
	return i < ARRAY_SIZE(table) ? table[i].num : 0;
}

int nested_csr_entry(unsigned int csr, const struct nested_features *f)
{
	const struct csr_desc *d = find(csr, f);

	return d ? (int)(d - table) : -1;
}

/* Inlined everywhere: with a constant entry it folds to a few instructions. */
__attribute__((always_inline)) static inline uint64_t
read_entry(const struct nested_csrs *c, const struct nested_features *f,
	   const struct csr_desc *d)
{
	if (d->read)
		return d->read(c, f);
	return (field_val(c, d) & writable(d, f)) | d->ones;
}

enum nested_csr_result nested_csr_read(const struct nested_csrs *c,
				       const struct nested_features *f,
				       unsigned int csr, uint64_t *val)
{
	const struct csr_desc *d = find(csr, f);

	if (!d)
		return NESTED_CSR_ILLEGAL;
	*val = read_entry(c, f, d);
	return NESTED_CSR_OK;
}

/*
 * An entry at a time, spelled out from the table's list rather than a
 * loop: each read then folds to its own few instructions (no look-up, no
 * call through the entry), where a loop over the table cost L2's exit
 * with NACL some 40 L0 instructions a CSR. The store is a relaxed atomic
 * one: the words are L1's, which may read them meanwhile.
 */
L0_HOT void nested_csr_store_set(const struct nested_csrs *c,
				 const struct nested_features *f,
				 uint32_t entries, uint64_t *words,
				 const uint16_t slot[NESTED_CSR_ENTRIES])
{
#define STORE_ENTRY(name)                                              \
	if (((entries >> NESTED_ENTRY_##name) & 1) &&                  \
	    has_need(&table[NESTED_ENTRY_##name], f))                  \
		__atomic_store_n(                                      \
			&words[slot[NESTED_ENTRY_##name]],             \
			read_entry(c, f, &table[NESTED_ENTRY_##name]), \
			__ATOMIC_RELAXED);
	NESTED_CSR_TABLE(STORE_ENTRY)
#undef STORE_ENTRY
}

__attribute__((always_inline)) static inline enum nested_csr_result
write_entry(struct nested_csrs *c, const struct nested_features *f,
	    const struct csr_desc *d, uint64_t val)
{
	uint64_t *p, mask;

	if (d->read_only)
		return NESTED_CSR_READ_ONLY;
	if (d->write) {
		d->write(c, f, val);
		return NESTED_CSR_OK;
	}
	p = field(c, d);
	mask = writable(d, f);
	if (d->legalize)
		val = d->legalize(f, *p, val);
	*p = (*p & ~mask) | (val & mask) | d->ones;
	return NESTED_CSR_OK;
}

/* A case per entry: each write folds to its entry's own few instructions. */
L0_HOT enum nested_csr_result
nested_csr_write_entry(struct nested_csrs *c, const struct nested_features *f,
		       unsigned int e, uint64_t val)
{
	switch (e) {
#define WRITE_ENTRY(name)         \
	case NESTED_ENTRY_##name: \
		return write_entry(c, f, &table[NESTED_ENTRY_##name], val);
		NESTED_CSR_TABLE(WRITE_ENTRY)
#undef WRITE_ENTRY
	default:
		return NESTED_CSR_ILLEGAL;
	}
}

L0_HOT uint32_t nested_csr_entries(const struct nested_features *f)
{
	uint32_t have = 0;

#define HAVE_ENTRY(name)                              \
	if (has_need(&table[NESTED_ENTRY_##name], f)) \
		have |= BIT(NESTED_ENTRY_##name);
	NESTED_CSR_TABLE(HAVE_ENTRY)
#undef HAVE_ENTRY
	return have;
}

L0_HOT uint64_t nested_csr_swap_hstatus(struct nested_csrs *c,
					const struct nested_features *f,
					uint64_t val)
{
	const struct csr_desc *d = &table[NESTED_ENTRY_HSTATUS];
	uint64_t old = read_entry(c, f, d);

	write_entry(c, f, d, val);
	return old;
}

enum nested_csr_result nested_csr_write(struct nested_csrs *c,
					const struct nested_features *f,
					unsigned int csr, uint64_t val)
{
	const struct csr_desc *d = find(csr, f);

	return d ? write_entry(c, f, d, val) : NESTED_CSR_ILLEGAL;
}

L0_HOT struct nested_csr_rmw nested_csr_rmw(struct nested_csrs *c,
					    const struct nested_features *f,
					    unsigned int csr,
					    enum nested_csr_op op, uint64_t arg)
{
	const struct csr_desc *d = find(csr, f);
	struct nested_csr_rmw r = { .result = NESTED_CSR_ILLEGAL };
	uint64_t val;

	if (!d)
		return r;
	r.old = read_entry(c, f, d);
	switch (op) {
	case NESTED_CSR_READ:
		r.result = NESTED_CSR_OK;
		return r;
	case NESTED_CSR_SET:
		val = r.old | arg;
		break;
	case NESTED_CSR_CLEAR:
		val = r.old & ~arg;
		break;
	default:
		val = arg;
		break;
	}
	r.result = write_entry(c, f, d, val);
	return r;
}
