// SPDX-License-Identifier: MIT
/*
 * The hypervisor interrupt CSRs from HS-mode: hvip, hip, hie, hgeie and
 * hgeip (GEILEN as the hart reports it), and the aliases of vsip/vsie onto
 * hip/hie through hideleg.
 */
#include "nested.h"

const char payload_name[] = "h-hip";
PLAN("hgeie-geilen", "hgeie-zero", "hgeip-read-only", "hgeip-within-geilen",
     "hvip-writable", "hvip-ro-zero", "hip-vssip-alias", "hip-vstip-vseip-ro",
     "hip-ro-zero", "hie-writable", "hie-ro-zero", "hip-sgeip",
     "vsie-undelegated", "vsie-alias", "vsip-undelegated", "vsip-alias",
     "vsip-ro-bits");

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

static unsigned long geie_mask;

static bool low_run_from_1(unsigned long v)
{
	return !(v & 1) && !((v + 2) & v);
}

static void hgei_cases(void)
{
	unsigned long z, p;
	struct htrap_info t;

	csr_write(hgeie, ~0UL);
	geie_mask = csr_read(hgeie);
	csr_write(hgeie, 0);
	z = csr_read(hgeie);
	check("hgeie-geilen", low_run_from_1(geie_mask),
	      "wrote ~0, read 0x%lx: not bits 1..GEILEN", geie_mask);
	if (low_run_from_1(geie_mask))
		pass_note("hgeie-geilen", "GEILEN %d",
			  __builtin_popcountl(geie_mask));
	check("hgeie-zero", z == 0, "wrote 0, read 0x%lx", z);

	htrap_expect(0);
	__asm__ volatile("csrw hgeip, %0" ::"r"(~0UL) : "memory");
	t = htrap_result();
	check("hgeip-read-only", t.taken && t.scause == EXC_ILLEGAL,
	      "csrw hgeip: taken %d scause %lu", t.taken, t.scause);
	p = csr_read(hgeip);
	check("hgeip-within-geilen", !(p & ~geie_mask),
	      "hgeip 0x%lx, hgeie mask 0x%lx", p, geie_mask);
}

static void hip_cases(void)
{
	unsigned long v, z, a, b, c, d;

	csr_write(hie, 0);
	csr_write(hvip, ~0UL);
	v = csr_read(hvip);
	csr_write(hvip, 0);
	z = csr_read(hvip);
	check("hvip-writable",
	      (v & HIP_VS_ALL) == HIP_VS_ALL && !(z & HIP_VS_ALL),
	      "after ~0: 0x%lx, after 0: 0x%lx", v, z);
	check("hvip-ro-zero", !(v & 0xffffUL & ~(HIP_VS_ALL | LCOFI)),
	      "wrote ~0, read 0x%lx", v);

	csr_write(hvip, HIP_VSSIP);
	a = csr_read(hip);
	csr_clear(hip, HIP_VSSIP);
	b = csr_read(hvip);
	csr_set(hip, HIP_VSSIP);
	c = csr_read(hvip);
	csr_write(hvip, 0);
	check("hip-vssip-alias",
	      (a & HIP_VSSIP) && !(b & HIP_VSSIP) && (c & HIP_VSSIP),
	      "hvip.VSSIP=1: hip 0x%lx; hip.VSSIP cleared: hvip 0x%lx; set: hvip 0x%lx",
	      a, b, c);

	csr_write(hvip, HIP_VSTIP | HIP_VSEIP);
	a = csr_read(hip);
	csr_write(hip, 0);
	b = csr_read(hip);
	csr_write(hvip, 0);
	c = csr_read(hip);
	csr_write(hip, ~0UL);
	d = csr_read(hip);
	csr_write(hip, 0);
	check("hip-vstip-vseip-ro",
	      (a & (HIP_VSTIP | HIP_VSEIP)) == (HIP_VSTIP | HIP_VSEIP) &&
		      (b & (HIP_VSTIP | HIP_VSEIP)) ==
			      (HIP_VSTIP | HIP_VSEIP) &&
		      !(d & HIP_VSEIP),
	      "hvip VSTIP|VSEIP: hip 0x%lx; hip=0: 0x%lx; hvip=0: 0x%lx; hip=~0: 0x%lx",
	      a, b, c, d);
	check("hip-ro-zero", !(d & 0xffffUL & ~(HIP_VS_ALL | SGEI | LCOFI)),
	      "wrote ~0, read 0x%lx", d);

	csr_write(hie, ~0UL);
	v = csr_read(hie);
	csr_write(hie, 0);
	z = csr_read(hie);
	check("hie-writable",
	      (v & HIP_VS_ALL) == HIP_VS_ALL && !(z & HIP_VS_ALL),
	      "after ~0: 0x%lx, after 0: 0x%lx", v, z);
	check("hie-ro-zero", !(v & 0xffffUL & ~(HIP_VS_ALL | SGEI | LCOFI)),
	      "wrote ~0, read 0x%lx", v);
	/* SGEIP is 1 iff hgeip & hgeie is nonzero. */
	csr_write(hgeie, geie_mask);
	a = csr_read(hip);
	b = csr_read(hgeip);
	csr_write(hgeie, 0);
	c = csr_read(hip);
	check("hip-sgeip", !!(a & SGEI) == !!(b & geie_mask) && !(c & SGEI),
	      "hgeie=0x%lx: hip 0x%lx hgeip 0x%lx; hgeie=0: hip 0x%lx",
	      geie_mask, a, b, c);
}

static void vsi_cases(void)
{
	unsigned long a, b, c, d;

	csr_write(hideleg, 0);
	csr_write(hie, 0);
	csr_write(vsie, ~0UL);
	a = csr_read(vsie);
	b = csr_read(hie);
	check("vsie-undelegated", !(a & 0x222) && !(b & HIP_VS_ALL),
	      "hideleg 0, vsie=~0: vsie 0x%lx hie 0x%lx", a, b);

	csr_write(hideleg, HIP_VS_ALL);
	csr_write(vsie, 0x222);
	a = csr_read(hie);
	b = csr_read(vsie);
	csr_write(hie, 0);
	c = csr_read(vsie);
	check("vsie-alias",
	      (a & HIP_VS_ALL) == HIP_VS_ALL && (b & 0x222) == 0x222 &&
		      !(c & 0x222),
	      "vsie=0x222: hie 0x%lx vsie 0x%lx; hie=0: vsie 0x%lx", a, b, c);

	csr_write(hideleg, 0);
	csr_write(hvip, HIP_VS_ALL);
	a = csr_read(vsip);
	check("vsip-undelegated", !(a & 0x222),
	      "hideleg 0, hvip 0x444: vsip 0x%lx", a);

	csr_write(hideleg, HIP_VS_ALL);
	a = csr_read(vsip);
	csr_write(vsip, 0);
	b = csr_read(hvip);
	csr_write(vsip, 0x2);
	c = csr_read(hvip);
	check("vsip-alias",
	      (a & 0x222) == 0x222 && !(b & HIP_VSSIP) && (c & HIP_VSSIP),
	      "hvip 0x444: vsip 0x%lx; vsip=0: hvip 0x%lx; vsip=2: hvip 0x%lx",
	      a, b, c);
	d = b;
	check("vsip-ro-bits",
	      (d & (HIP_VSTIP | HIP_VSEIP)) == (HIP_VSTIP | HIP_VSEIP),
	      "vsip=0 cleared hvip bits: hvip 0x%lx", d);
	csr_write(hvip, 0);
	csr_write(hideleg, 0);
}

void test_main(void)
{
	h_reset();
	hgei_cases();
	hip_cases();
	vsi_cases();
	h_reset();
}
