// SPDX-License-Identifier: MIT
/*
 * HLV, HLVX and HSV from HS-mode: with vsatp and hgatp Bare on the
 * payload's own RAM (every width, sign and zero extension), their access
 * faults past RAM, and with a small Sv39x4 G-stage table the payload builds
 * itself: guest-page faults with htval = GPA >> 2, stval = the GVA and
 * hstatus.GVA = 1, HSV to a read-only page, HLVX and execute-only pages.
 */
#include "nested.h"

const char payload_name[] = "h-hlv";
PLAN("hlv-b", "hlv-bu", "hlv-h", "hlv-hu", "hlv-w", "hlv-wu", "hlv-d", "hsv-b",
     "hsv-h", "hsv-w", "hsv-d", "hlvx-hu", "hlvx-wu", "hlv-spvp0",
     "hlv-past-ram", "hsv-past-ram", "gs-hlv", "gs-hsv", "gs-gpf-scause",
     "gs-gpf-stval", "gs-gpf-htval", "gs-gpf-gva", "gs-gpf-htinst", "gs-hsv-ro",
     "gs-hlvx-xonly", "gs-hlv-xonly", "gs-hlv-xonly-mxr", "gs-hlvx-noexec");

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

void test_main(void)
{
	h_reset();
	bare_cases();
	past_ram_cases();
	gstage_cases();
	h_reset();
}
