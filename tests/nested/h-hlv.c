// SPDX-License-Identifier: MIT
/*
 * HLV, HLVX and HSV from HS-mode: with vsatp and hgatp Bare on the
 * payload's own RAM (every width, sign and zero extension), their access
 * faults past RAM, and with a small Sv39x4 G-stage table the payload builds
 * itself: guest-page faults with htval = GPA >> 2, stval = the GVA and
 * hstatus.GVA = 1, HSV to a read-only page, HLVX and execute-only pages,
 * and misaligned accesses that cross into a page mapped elsewhere or not.
 */
#include "nested.h"

const char payload_name[] = "h-hlv";
PLAN("hlv-b", "hlv-bu", "hlv-h", "hlv-hu", "hlv-w", "hlv-wu", "hlv-d", "hsv-b",
     "hsv-h", "hsv-w", "hsv-d", "hlvx-hu", "hlvx-wu", "hlv-spvp0",
     "hlv-past-ram", "hsv-past-ram", "gs-hlv", "gs-hsv", "gs-gpf-scause",
     "gs-gpf-stval", "gs-gpf-htval", "gs-gpf-gva", "gs-gpf-htinst", "gs-hsv-ro",
     "gs-hlvx-xonly", "gs-hlv-xonly", "gs-hlv-xonly-mxr", "gs-hlvx-noexec",
     "gs-hlv-cross", "gs-hsv-cross", "gs-hlv-cross-gpf");

#define HLV(insn, addr)                                 \
	({                                              \
		unsigned long v_;                       \
		__asm__ volatile(HASM(insn " %0, (%1)") \
				 : "=r"(v_)             \
				 : "r"(addr)            \
				 : "memory");           \
		v_;                                     \
	})
#define HSV(insn, addr, val) \
	__asm__ volatile(HASM(insn " %0, (%1)")::"r"(val), "r"(addr) : "memory")

static uint64_t buf[512] __attribute__((aligned(4096)));
static uint64_t ro_page[512] __attribute__((aligned(4096)));
static uint64_t x_page[512] __attribute__((aligned(4096)));

#define GPA_BASE 0xc0000000UL /* a window only the G-stage table knows */
#define GPA_RW (GPA_BASE + 0x0000)
#define GPA_RO (GPA_BASE + 0x1000)
#define GPA_X (GPA_BASE + 0x2000)
#define GPA_NONE (GPA_BASE + 0x3000)
/* Two pages in a row mapped to pages that are not: cross[0] and cross[2]. */
#define GPA_CROSS (GPA_BASE + 0x4000)
#define GPA_CROSS_NONE (GPA_CROSS + 0x2000) /* unmapped, after them */

static uint8_t cross[3][4096] __attribute__((aligned(4096)));

#define EXC_LOAD_MISALIGNED 4
#define EXC_STORE_MISALIGNED 6

static void bare_cases(void)
{
	volatile uint64_t *p = buf;
	unsigned long a = (unsigned long)buf;

	csr_set(hstatus, HSTATUS_SPVP);
	p[0] = 0xfedcba9887654321UL;
	check("hlv-b",
	      HLV("hlv.b", a) == 0x21 &&
		      HLV("hlv.b", a + 3) == 0xffffffffffffff87UL,
	      "read 0x%lx 0x%lx", HLV("hlv.b", a), HLV("hlv.b", a + 3));
	check("hlv-bu", HLV("hlv.bu", a + 3) == 0x87, "read 0x%lx",
	      HLV("hlv.bu", a + 3));
	check("hlv-h", HLV("hlv.h", a + 2) == 0xffffffffffff8765UL,
	      "read 0x%lx", HLV("hlv.h", a + 2));
	check("hlv-hu", HLV("hlv.hu", a + 2) == 0x8765, "read 0x%lx",
	      HLV("hlv.hu", a + 2));
	check("hlv-w",
	      HLV("hlv.w", a + 4) == 0xfffffffffedcba98UL &&
		      HLV("hlv.w", a) == 0xffffffff87654321UL,
	      "read 0x%lx", HLV("hlv.w", a + 4));
	check("hlv-wu", HLV("hlv.wu", a + 4) == 0xfedcba98UL, "read 0x%lx",
	      HLV("hlv.wu", a + 4));
	check("hlv-d", HLV("hlv.d", a) == 0xfedcba9887654321UL, "read 0x%lx",
	      HLV("hlv.d", a));

	p[1] = 0;
	HSV("hsv.b", a + 8, 0x1ab);
	check("hsv-b", p[1] == 0xab, "memory 0x%lx", (unsigned long)p[1]);
	HSV("hsv.h", a + 10, 0x12345678);
	check("hsv-h", p[1] == 0x567800ab, "memory 0x%lx", (unsigned long)p[1]);
	HSV("hsv.w", a + 12, 0x9abcdef0UL);
	check("hsv-w", p[1] == 0x9abcdef0567800abUL, "memory 0x%lx",
	      (unsigned long)p[1]);
	HSV("hsv.d", a + 8, 0x0102030405060708UL);
	check("hsv-d", p[1] == 0x0102030405060708UL, "memory 0x%lx",
	      (unsigned long)p[1]);

	/* With Bare, X is granted: HLVX reads the code. */
	check("hlvx-hu",
	      HLV("hlvx.hu", ADDR(l2_ecall)) == (insn_at(l2_ecall) & 0xffff),
	      "read 0x%lx, code 0x%x", HLV("hlvx.hu", ADDR(l2_ecall)),
	      insn_at(l2_ecall));
	check("hlvx-wu", HLV("hlvx.wu", ADDR(l2_ecall)) == insn_at(l2_ecall),
	      "read 0x%lx, code 0x%x", HLV("hlvx.wu", ADDR(l2_ecall)),
	      insn_at(l2_ecall));
	csr_clear(hstatus, HSTATUS_SPVP);
	check("hlv-spvp0", HLV("hlv.d", a) == 0xfedcba9887654321UL,
	      "SPVP=0: read 0x%lx", HLV("hlv.d", a));
	csr_set(hstatus, HSTATUS_SPVP);
}

static void past_ram_cases(void)
{
	unsigned long addr = plat.mem_base + plat.mem_size;
	struct htrap_info t;

	/* hgatp Bare: the GPA is the physical address; nothing is there. */
	htrap_expect(0);
	(void)HLV("hlv.d", addr);
	t = htrap_result();
	check("hlv-past-ram",
	      t.taken && t.scause == EXC_LOAD_ACCESS && t.stval == addr &&
		      (t.hstatus & HSTATUS_GVA) && t.htval == 0,
	      "HLV.D 0x%lx: taken %d scause %lu stval 0x%lx hstatus 0x%lx htval 0x%lx",
	      addr, t.taken, t.scause, t.stval, t.hstatus, t.htval);
	htrap_expect(0);
	HSV("hsv.d", addr, 0UL);
	t = htrap_result();
	check("hsv-past-ram",
	      t.taken && t.scause == EXC_STORE_ACCESS && t.stval == addr &&
		      (t.hstatus & HSTATUS_GVA),
	      "HSV.D 0x%lx: taken %d scause %lu stval 0x%lx hstatus 0x%lx",
	      addr, t.taken, t.scause, t.stval, t.hstatus);
}

/* The htinst an HLV.D/HSV.D may report: zero or its transformation (rs1
 * replaced by the address offset, 0). */
static bool htinst_ok(unsigned long htinst, uint32_t insn)
{
	return htinst == 0 || htinst == (insn & ~(0x1fU << 15));
}

static void gstage_cases(void)
{
	unsigned long v = 0;
	uint32_t insn = 0;
	struct htrap_info t;

	gstage_reset();
	gstage_map_4k(GPA_RW, (unsigned long)buf, PTE_R | PTE_W);
	gstage_map_4k(GPA_RO, (unsigned long)ro_page, PTE_R);
	gstage_map_4k(GPA_X, (unsigned long)x_page, PTE_X);
	csr_write(hgatp, gstage_hgatp(1));
	__asm__ volatile(HASM("hfence.gvma")::: "memory");
	buf[2] = 0x600dcafe12345678UL;
	ro_page[0] = 0x5151;
	x_page[0] = 0x7777abcd;
	mb();

	check("gs-hlv", HLV("hlv.d", GPA_RW + 16) == buf[2], "read 0x%lx",
	      HLV("hlv.d", GPA_RW + 16));
	HSV("hsv.d", GPA_RW + 24, 0x1234UL);
	check("gs-hsv", buf[3] == 0x1234, "memory 0x%lx",
	      (unsigned long)buf[3]);

	htrap_expect(0);
	__asm__ volatile(HASM("1: hlv.d %0, (%2)\n lwu %1, 1b")
			 : "+r"(v), "=r"(insn)
			 : "r"(GPA_NONE + 8)
			 : "memory");
	t = htrap_result();
	/* lwu after the fault reads the instruction: insn is its encoding. */
	check("gs-gpf-scause", t.taken && t.scause == EXC_LOAD_GPF,
	      "taken %d scause %lu", t.taken, t.scause);
	check("gs-gpf-stval", t.stval == GPA_NONE + 8, "stval 0x%lx", t.stval);
	check("gs-gpf-htval", t.htval == (GPA_NONE + 8) >> 2,
	      "htval 0x%lx, expected 0x%lx", t.htval, (GPA_NONE + 8) >> 2);
	check("gs-gpf-gva", t.hstatus & HSTATUS_GVA, "hstatus 0x%lx",
	      t.hstatus);
	check("gs-gpf-htinst", htinst_ok(t.htinst, insn),
	      "htinst 0x%lx, HLV.D 0x%x", t.htinst, insn);

	htrap_expect(0);
	HSV("hsv.d", GPA_RO, 1UL);
	t = htrap_result();
	check("gs-hsv-ro",
	      t.taken && t.scause == EXC_STORE_GPF && t.stval == GPA_RO &&
		      t.htval == GPA_RO >> 2 && ro_page[0] == 0x5151,
	      "taken %d scause %lu stval 0x%lx htval 0x%lx", t.taken, t.scause,
	      t.stval, t.htval);

	check("gs-hlvx-xonly", HLV("hlvx.wu", GPA_X) == 0x7777abcd,
	      "read 0x%lx", HLV("hlvx.wu", GPA_X));
	htrap_expect(0);
	(void)HLV("hlv.w", GPA_X);
	t = htrap_result();
	check("gs-hlv-xonly",
	      t.taken && t.scause == EXC_LOAD_GPF && t.htval == GPA_X >> 2,
	      "MXR=0: taken %d scause %lu htval 0x%lx", t.taken, t.scause,
	      t.htval);
	/* sstatus.MXR (HS's) makes X readable for the G-stage too. */
	csr_set(sstatus, SSTATUS_MXR);
	htrap_expect(0);
	v = HLV("hlv.wu", GPA_X);
	t = htrap_result();
	csr_clear(sstatus, SSTATUS_MXR);
	check("gs-hlv-xonly-mxr", !t.taken && v == 0x7777abcd,
	      "MXR=1: taken %d scause %lu read 0x%lx", t.taken, t.scause, v);
	htrap_expect(0);
	(void)HLV("hlvx.wu", GPA_RW);
	t = htrap_result();
	check("gs-hlvx-noexec",
	      t.taken && t.scause == EXC_LOAD_GPF && t.stval == GPA_RW &&
		      t.htval == GPA_RW >> 2,
	      "taken %d scause %lu stval 0x%lx htval 0x%lx", t.taken, t.scause,
	      t.stval, t.htval);
	csr_write(hgatp, 0);
	__asm__ volatile(HASM("hfence.gvma")::: "memory");
}

/*
 * A misaligned HLV/HSV may be done (each byte through its own page's
 * translation), or raise a misaligned or access fault (privileged spec,
 * "Misaligned accesses"). What it may not do is take the bytes after a
 * page boundary from the page after the first one's host page.
 */
static bool misaligned_trap(const struct htrap_info *t, bool store)
{
	unsigned long mis = store ? EXC_STORE_MISALIGNED : EXC_LOAD_MISALIGNED;
	unsigned long acc = store ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS;

	return t->taken && (t->scause == mis || t->scause == acc);
}

static void cross_cases(void)
{
	unsigned long va = GPA_CROSS + 0x1000 - 4, v, want = 0;
	struct htrap_info t;

	gstage_reset();
	gstage_map_4k(GPA_CROSS, (unsigned long)cross[0], PTE_R | PTE_W);
	gstage_map_4k(GPA_CROSS + 0x1000, (unsigned long)cross[2],
		      PTE_R | PTE_W);
	csr_write(hgatp, gstage_hgatp(1));
	__asm__ volatile(HASM("hfence.gvma")::: "memory");
	for (int i = 0; i < 4096; i++) {
		cross[0][i] = (uint8_t)(0x10 + i);
		cross[1][i] = 0xee;
		cross[2][i] = (uint8_t)(0x80 + i);
	}
	for (int i = 0; i < 8; i++)
		want |= (unsigned long)(i < 4 ? cross[0][4092 + i]
					      : cross[2][i - 4])
			<< (8 * i);
	mb();

	htrap_expect(0);
	v = HLV("hlv.d", va);
	t = htrap_result();
	check("gs-hlv-cross",
	      misaligned_trap(&t, false) || (!t.taken && v == want),
	      "HLV.D 0x%lx: taken %d scause %lu, read 0x%lx, want 0x%lx", va,
	      t.taken, t.scause, v, want);

	htrap_expect(0);
	HSV("hsv.d", va, 0x0706050403020100UL);
	t = htrap_result();
	mb();
	check("gs-hsv-cross",
	      misaligned_trap(&t, true) ||
		      (!t.taken && cross[0][4095] == 3 && cross[2][0] == 4 &&
		       cross[2][3] == 7 && cross[1][0] == 0xee),
	      "HSV.D 0x%lx: taken %d scause %lu; bytes 0x%x 0x%x, next page 0x%x",
	      va, t.taken, t.scause, cross[0][4095], cross[2][0], cross[1][0]);

	/* The second page unmapped: a guest-page fault for its address. */
	va = GPA_CROSS_NONE - 4;
	htrap_expect(0);
	(void)HLV("hlv.d", va);
	t = htrap_result();
	check("gs-hlv-cross-gpf",
	      misaligned_trap(&t, false) ||
		      (t.taken && t.scause == EXC_LOAD_GPF &&
		       (t.stval == va || t.stval == GPA_CROSS_NONE) &&
		       (t.htval == 0 || t.htval == GPA_CROSS_NONE >> 2) &&
		       (t.hstatus & HSTATUS_GVA)),
	      "HLV.D 0x%lx: taken %d scause %lu stval 0x%lx htval 0x%lx", va,
	      t.taken, t.scause, t.stval, t.htval);
	csr_write(hgatp, 0);
	__asm__ volatile(HASM("hfence.gvma")::: "memory");
}

void test_main(void)
{
	h_reset();
	bare_cases();
	past_ram_cases();
	gstage_cases();
	cross_cases();
	h_reset();
}
