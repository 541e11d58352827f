// SPDX-License-Identifier: MIT
/*
 * WARL behaviour of the VS CSRs (vsstatus, vstvec, vsscratch, vsepc,
 * vscause, vstval, vsatp, vstimecmp) written from HS-mode.
 */
#include "nested.h"

const char payload_name[] = "h-vcsr";
PLAN("vsstatus-reserved-zero", "vsstatus-uxl", "vsstatus-writable",
     "vstvec-mode", "vsscratch", "vsepc-align", "vscause", "vstval",
     "vsatp-bare", "vsatp-asid", "vstimecmp");

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

static void vsstatus_cases(void)
{
	unsigned long old = csr_read(vsstatus), v, z, uxl;

	csr_write(vsstatus, ~0UL & ~(1UL << 24));
	v = csr_read(vsstatus);
	csr_write(vsstatus, 0);
	z = csr_read(vsstatus);
	csr_write(vsstatus, old);
	uxl = (v & SSTATUS_UXL) >> 32;
	check("vsstatus-reserved-zero", !(v & ~VSSTATUS_DEFINED),
	      "wrote ~0, read 0x%lx: reserved 0x%lx", v, v & ~VSSTATUS_DEFINED);
	check("vsstatus-uxl", uxl == 1 || uxl == 2, "wrote ~0, read UXL %lu",
	      uxl);
	check("vsstatus-writable",
	      (v & (SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_SPP | SSTATUS_SUM |
		    SSTATUS_MXR)) == (SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_SPP |
				      SSTATUS_SUM | SSTATUS_MXR) &&
		      !(z & (SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_SPP |
			     SSTATUS_SUM | SSTATUS_MXR)),
	      "after ~0: 0x%lx, after 0: 0x%lx", v, z);
}

static void vs_cases(void)
{
	unsigned long base = ADDR(l2_vec), v, m2, asid, z;

	csr_write(vstvec, base | 1);
	v = csr_read(vstvec);
	csr_write(vstvec, base | 2);
	m2 = csr_read(vstvec);
	csr_write(vstvec, base);
	check("vstvec-mode", v == (base | 1) && (m2 & 3) < 2,
	      "wrote base|1: 0x%lx; base|2: 0x%lx", v, m2);

	csr_write(vsscratch, 0xfedcba9876543210UL);
	v = csr_read(vsscratch);
	check("vsscratch", v == 0xfedcba9876543210UL, "read 0x%lx", v);

	csr_write(vsepc, ~0UL);
	v = csr_read(vsepc);
	check("vsepc-align", !(v & 1) && (v & ~3UL) == ~3UL,
	      "wrote ~0, read 0x%lx", v);

	csr_write(vscause, EXC_LOAD_PF);
	v = csr_read(vscause);
	csr_write(vscause, SCAUSE_IRQ | IRQ_S_EXT);
	z = csr_read(vscause);
	check("vscause", v == EXC_LOAD_PF && z == (SCAUSE_IRQ | IRQ_S_EXT),
	      "wrote 13: 0x%lx; wrote irq|9: 0x%lx", v, z);

	csr_write(vstval, 0x80201234UL);
	v = csr_read(vstval);
	check("vstval", v == 0x80201234UL, "wrote 0x80201234, read 0x%lx", v);

	csr_write(vsatp, 0);
	v = csr_read(vsatp);
	check("vsatp-bare", v == 0, "wrote 0, read 0x%lx", v);

	vstage_reset();
	csr_write(vsatp, vstage_satp() | (0xffffUL << SATP_ASID_SHIFT));
	v = csr_read(vsatp);
	csr_write(vsatp, 0);
	asid = (v >> SATP_ASID_SHIFT) & 0xffff;
	if (check("vsatp-asid",
		  (v >> ATP_MODE_SHIFT) == ATP_MODE_SV39 &&
			  !((asid + 1) & asid),
		  "wrote Sv39 ASID 0xffff, read 0x%lx", v))
		pass_note("vsatp-asid", "ASIDLEN %d",
			  __builtin_popcountl(asid));

	if (has_sstc()) {
		csr_write(vstimecmp, 0x123456789UL);
		v = csr_read(vstimecmp);
		csr_write(vstimecmp, ~0UL);
		check("vstimecmp", v == 0x123456789UL,
		      "wrote 0x123456789, read 0x%lx", v);
	} else {
		pass_note("vstimecmp", "no Sstc: not checked");
	}
}

void test_main(void)
{
	h_reset();
	vsstatus_cases();
	vs_cases();
	h_reset();
}
