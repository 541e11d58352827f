// SPDX-License-Identifier: MIT
/*
 * WARL behaviour of the hypervisor CSRs from HS-mode: hstatus, hedeleg,
 * hideleg, henvcfg, hcounteren, htimedelta, htval, htinst and hgatp. Each
 * case writes all-ones and zero, reads back, and checks only what the spec
 * requires; where the hart may choose (VMIDLEN, GEILEN, optional
 * extensions) it reads what the hart reports and checks consistency.
 */
#include "nested.h"

const char payload_name[] = "h-csr";
PLAN("hstatus-vsxl", "hstatus-reserved-zero", "hstatus-vsxl-warl",
     "hstatus-writable", "hstatus-vgein", "hedeleg-ro-zero", "hedeleg-writable",
     "hedeleg-zero", "hideleg-writable", "hideleg-ro-zero", "hideleg-zero",
     "henvcfg-reserved-zero", "henvcfg-stce", "henvcfg-zero",
     "hcounteren-32bit", "hcounteren-zero", "htimedelta", "htval-zero",
     "htinst-zero", "hgatp-bare-zero", "hgatp-sv39x4", "hgatp-vmid",
     "hgatp-ppn-low-zero", "hgatp-mode-reserved-1", "hgatp-mode-reserved-15");

/* hstatus: the defined fields. */
#define HSTATUS_DEFINED                                            \
	(HSTATUS_VSBE | HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | \
	 HSTATUS_HU | HSTATUS_VGEIN | HSTATUS_VTVM | HSTATUS_VTW | \
	 HSTATUS_VTSR | HSTATUS_VSXL | HSTATUS_HUPMM)
#define HSTATUS_MUST_WRITE                                       \
	(HSTATUS_GVA | HSTATUS_SPV | HSTATUS_SPVP | HSTATUS_HU | \
	 HSTATUS_VTVM | HSTATUS_VTW | HSTATUS_VTSR)

/* hedeleg: ecalls from HS/VS/M (9-11) and the H extension's own causes
 * (20-23) are read-only zero; the spec's table lists these as writable. */
#define HEDELEG_RO_ZERO (0x7UL << 9 | 0xfUL << 20)
#define HEDELEG_WRITABLE                                                   \
	((1UL << 0) | (1UL << 1) | (1UL << 2) | (1UL << 3) | (1UL << 4) |  \
	 (1UL << 5) | (1UL << 6) | (1UL << 7) | (1UL << 8) | (1UL << 12) | \
	 (1UL << 13) | (1UL << 15))

/* hideleg: among bits 15:0, the S-level interrupts (1, 5, 9, 12) are
 * read-only zero, and so are the M-level ones (3, 7, 11). */
#define HIDELEG_RO_ZERO                                                   \
	((1UL << 1) | (1UL << 3) | (1UL << 5) | (1UL << 7) | (1UL << 9) | \
	 (1UL << 11) | (1UL << 12))

/* Bits 15:0 of hideleg/hvip/hip/hie that may be nonzero. */
#define LCOFI (1UL << 13)
#define SGEI (1UL << IRQ_S_GEXT)

/* henvcfg: FIOM, LPE, SSE, CBIE, CBCFE, CBZE, PMM, DTE, CDE, ADUE, PBMTE,
 * STCE. */
#define HENVCFG_STCE (1UL << 63)
#define HENVCFG_PBMTE (1UL << 62)
#define HENVCFG_DEFINED                                                       \
	((1UL << 0) | (1UL << 2) | (1UL << 3) | (3UL << 4) | (1UL << 6) |     \
	 (1UL << 7) | (3UL << 32) | (1UL << 59) | (1UL << 60) | (1UL << 61) | \
	 HENVCFG_PBMTE | HENVCFG_STCE)

/* vsstatus: as sstatus. */
#define VSSTATUS_DEFINED                                                       \
	(SSTATUS_SIE | SSTATUS_SPIE | (1UL << 6) | SSTATUS_SPP | (3UL << 9) |  \
	 (3UL << 13) | (3UL << 15) | SSTATUS_SUM | SSTATUS_MXR | (1UL << 23) | \
	 (1UL << 24) | SSTATUS_UXL | (1UL << 63))

static unsigned long geie_mask;

static void hstatus_cases(void)
{
	unsigned long old = csr_read(hstatus), v, z, g;

	check("hstatus-vsxl", ((old & HSTATUS_VSXL) >> HSTATUS_VSXL_SHIFT) == 2,
	      "hstatus 0x%lx: VSXL %lu, expected 2 (RV64)", old,
	      (old & HSTATUS_VSXL) >> HSTATUS_VSXL_SHIFT);
	csr_write(hstatus, ~0UL);
	v = csr_read(hstatus);
	csr_write(hstatus, old & ~HSTATUS_MUST_WRITE & ~HSTATUS_VSXL);
	z = csr_read(hstatus);
	csr_write(hstatus, old);
	check("hstatus-reserved-zero", !(v & ~HSTATUS_DEFINED),
	      "wrote ~0, read 0x%lx: reserved bits 0x%lx", v,
	      v & ~HSTATUS_DEFINED);
	check("hstatus-vsxl-warl",
	      ((v & HSTATUS_VSXL) >> HSTATUS_VSXL_SHIFT) != 3 &&
		      ((z & HSTATUS_VSXL) >> HSTATUS_VSXL_SHIFT) != 0,
	      "VSXL read %lu after ~0 and %lu after 0; 0 and 3 are reserved",
	      (v & HSTATUS_VSXL) >> HSTATUS_VSXL_SHIFT,
	      (z & HSTATUS_VSXL) >> HSTATUS_VSXL_SHIFT);
	check("hstatus-writable",
	      (v & HSTATUS_MUST_WRITE) == HSTATUS_MUST_WRITE &&
		      !(z & HSTATUS_MUST_WRITE),
	      "after ~0: 0x%lx, after 0: 0x%lx (GVA SPV SPVP HU VTVM VTW VTSR)",
	      v & HSTATUS_MUST_WRITE, z & HSTATUS_MUST_WRITE);

	csr_write(hgeie, ~0UL);
	geie_mask = csr_read(hgeie);
	csr_write(hgeie, 0);
	csr_write(hstatus, old | HSTATUS_VGEIN);
	g = (csr_read(hstatus) & HSTATUS_VGEIN) >> HSTATUS_VGEIN_SHIFT;
	csr_write(hstatus, old);
	check("hstatus-vgein",
	      g <= (unsigned long)__builtin_popcountl(geie_mask),
	      "wrote VGEIN 63, read %lu with GEILEN %d", g,
	      __builtin_popcountl(geie_mask));
}

static void deleg_cases(void)
{
	unsigned long v, z;

	csr_write(hedeleg, ~0UL);
	v = csr_read(hedeleg);
	csr_write(hedeleg, 0);
	z = csr_read(hedeleg);
	check("hedeleg-ro-zero", !(v & HEDELEG_RO_ZERO),
	      "wrote ~0, read 0x%lx: bits 0x%lx of 9-11/20-23 set", v,
	      v & HEDELEG_RO_ZERO);
	check("hedeleg-writable", (v & HEDELEG_WRITABLE) == HEDELEG_WRITABLE,
	      "wrote ~0, read 0x%lx: bits 0x%lx stayed 0", v,
	      HEDELEG_WRITABLE & ~v);
	check("hedeleg-zero", z == 0, "wrote 0, read 0x%lx", z);

	csr_write(hideleg, ~0UL);
	v = csr_read(hideleg);
	csr_write(hideleg, 0);
	z = csr_read(hideleg);
	check("hideleg-writable", (v & HIP_VS_ALL) == HIP_VS_ALL,
	      "wrote ~0, read 0x%lx", v);
	check("hideleg-ro-zero", !(v & HIDELEG_RO_ZERO),
	      "wrote ~0, read 0x%lx: bits 0x%lx (S-level 1/5/9/12, M-level 3/7/11 are read-only zero)",
	      v, v & HIDELEG_RO_ZERO);
	check("hideleg-zero", z == 0, "wrote 0, read 0x%lx", z);
}

static void env_cases(void)
{
	unsigned long v, z, old = csr_read(henvcfg);

	csr_write(henvcfg, ~0UL);
	v = csr_read(henvcfg);
	csr_write(henvcfg, 0);
	z = csr_read(henvcfg);
	csr_write(henvcfg, old);
	check("henvcfg-reserved-zero", !(v & ~HENVCFG_DEFINED),
	      "wrote ~0, read 0x%lx: reserved 0x%lx", v, v & ~HENVCFG_DEFINED);
	check("henvcfg-stce", !!(v & HENVCFG_STCE) == has_sstc(),
	      "STCE after ~0: %d, Sstc in the FDT: %d", !!(v & HENVCFG_STCE),
	      has_sstc());
	check("henvcfg-zero", !(z & (HENVCFG_STCE | HENVCFG_PBMTE | 0xffUL)),
	      "wrote 0, read 0x%lx", z);

	csr_write(hcounteren, ~0UL);
	v = csr_read(hcounteren);
	csr_write(hcounteren, 0);
	z = csr_read(hcounteren);
	csr_write(hcounteren, ~0UL);
	check("hcounteren-32bit", !(v >> 32), "wrote ~0, read 0x%lx", v);
	check("hcounteren-zero", z == 0, "wrote 0, read 0x%lx", z);

	csr_write(htimedelta, 0x8123456789abcdefUL);
	v = csr_read(htimedelta);
	csr_write(htimedelta, 0);
	check("htimedelta", v == 0x8123456789abcdefUL,
	      "wrote 0x8123456789abcdef, read 0x%lx", v);
	csr_write(htval, 0);
	v = csr_read(htval);
	check("htval-zero", v == 0, "wrote 0, read 0x%lx", v);
	csr_write(htinst, 0);
	v = csr_read(htinst);
	check("htinst-zero", v == 0, "wrote 0, read 0x%lx", v);
}

static bool mode_legal(unsigned long mode)
{
	return mode == 0 || mode == ATP_MODE_SV39 || mode == ATP_MODE_SV48 ||
	       mode == ATP_MODE_SV57;
}

static void hgatp_cases(void)
{
	unsigned long base = gstage_hgatp(0), v, vmid, mode, ppn;
	unsigned int vmidlen;

	gstage_reset();
	csr_write(hgatp, 0);
	v = csr_read(hgatp);
	check("hgatp-bare-zero", v == 0, "wrote 0, read 0x%lx", v);

	csr_write(hgatp, base);
	v = csr_read(hgatp);
	check("hgatp-sv39x4", v == base, "wrote 0x%lx, read 0x%lx", base, v);

	csr_write(hgatp, base | (HGATP_VMID_MASK << HGATP_VMID_SHIFT));
	v = csr_read(hgatp);
	vmid = (v >> HGATP_VMID_SHIFT) & HGATP_VMID_MASK;
	vmidlen = (unsigned int)__builtin_popcountl(vmid);
	if (check("hgatp-vmid", !((vmid + 1) & vmid) && vmidlen <= 14,
		  "wrote VMID 0x3fff, read 0x%lx", vmid))
		pass_note("hgatp-vmid", "VMIDLEN %u", vmidlen);

	csr_write(hgatp, base | 3);
	v = csr_read(hgatp);
	check("hgatp-ppn-low-zero", (v & 3) == 0, "wrote PPN 0x%lx, read 0x%lx",
	      (base | 3) & ATP_PPN_MASK, v & ATP_PPN_MASK);

	/* Not ignored as for satp: the fields are WARL in the normal way. */
	csr_write(hgatp, base);
	csr_write(hgatp, (1UL << ATP_MODE_SHIFT) | (1UL << HGATP_VMID_SHIFT) |
				 ((unsigned long)base & ATP_PPN_MASK));
	v = csr_read(hgatp);
	mode = v >> ATP_MODE_SHIFT;
	ppn = v & ATP_PPN_MASK;
	check("hgatp-mode-reserved-1",
	      mode_legal(mode) && (mode == 0 || !(ppn & 3)),
	      "wrote MODE 1, read 0x%lx", v);
	csr_write(hgatp, (15UL << ATP_MODE_SHIFT) | 3);
	v = csr_read(hgatp);
	mode = v >> ATP_MODE_SHIFT;
	check("hgatp-mode-reserved-15",
	      mode_legal(mode) && (mode == 0 || !(v & 3)),
	      "wrote MODE 15, read 0x%lx", v);
	csr_write(hgatp, 0);
	__asm__ volatile(HASM("hfence.gvma")::: "memory");
}

void test_main(void)
{
	h_reset();
	hstatus_cases();
	deleg_cases();
	env_cases();
	hgatp_cases();
	h_reset();
}
