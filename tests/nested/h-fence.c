// SPDX-License-Identifier: MIT
/*
 * HFENCE.VVMA and HFENCE.GVMA: they execute in HS-mode (whatever
 * hstatus.VTVM, which only concerns VS-mode), are illegal in U-mode and
 * virtual instructions in VS/VU-mode; and after a change of a G-stage or
 * VS-stage mapping, the fence makes HLV see the new one.
 */
#include "nested.h"

const char payload_name[] = "h-fence";
PLAN("vvma-hs", "gvma-hs", "vvma-hs-args", "gvma-hs-args", "vvma-hs-vtvm",
     "vvma-u-illegal", "gvma-u-illegal", "vvma-vs-virtual", "gvma-vu-virtual",
     "gvma-remap", "vvma-remap");

static struct vctx c;
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));

#define GPA_WIN 0xc0000000UL
#define VA_WIN 0x40000000UL

static bool no_trap(void (*fn)(void))
{
	struct htrap_info t;

	htrap_expect(0);
	fn();
	t = htrap_result();
	return !t.taken;
}

static void vvma(void)
{
	__asm__ volatile(HASM("hfence.vvma")::: "memory");
}

static void gvma(void)
{
	__asm__ volatile(HASM("hfence.gvma")::: "memory");
}

static void vvma_args(void)
{
	__asm__ volatile(HASM("hfence.vvma %0, %1")::"r"(VA_WIN), "r"(1UL)
			 : "memory");
}

static void gvma_args(void)
{
	__asm__ volatile(HASM("hfence.gvma %0, %1")::"r"(GPA_WIN >> 2), "r"(1UL)
			 : "memory");
}

static unsigned long hlv_d(unsigned long addr)
{
	unsigned long v;

	__asm__ volatile(HASM("hlv.d %0, (%1)")
			 : "=r"(v)
			 : "r"(addr)
			 : "memory");
	return v;
}

void test_main(void)
{
	unsigned long a, b;

	h_reset();
	check("vvma-hs", no_trap(vvma), "trapped");
	check("gvma-hs", no_trap(gvma), "trapped");
	check("vvma-hs-args", no_trap(vvma_args), "trapped");
	check("gvma-hs-args", no_trap(gvma_args), "trapped");
	csr_set(hstatus, HSTATUS_VTVM);
	check("vvma-hs-vtvm", no_trap(vvma) && no_trap(gvma), "trapped");
	csr_clear(hstatus, HSTATUS_VTVM);

	vctx_init(&c, l2_hfence_vvma);
	l2_run(&c, MODE_U);
	check("vvma-u-illegal",
	      c.scause == EXC_ILLEGAL && c.pc == ADDR(l2_hfence_vvma),
	      "scause %lu sepc 0x%lx", c.scause, c.pc);
	vctx_init(&c, l2_hfence_gvma);
	l2_run(&c, MODE_U);
	check("gvma-u-illegal",
	      c.scause == EXC_ILLEGAL && c.pc == ADDR(l2_hfence_gvma),
	      "scause %lu sepc 0x%lx", c.scause, c.pc);
	vctx_init(&c, l2_hfence_vvma);
	l2_run(&c, MODE_VS);
	check("vvma-vs-virtual",
	      c.scause == EXC_VIRTUAL && c.pc == ADDR(l2_hfence_vvma),
	      "scause %lu sepc 0x%lx", c.scause, c.pc);
	vctx_init(&c, l2_hfence_gvma);
	l2_run(&c, MODE_VU);
	check("gvma-vu-virtual",
	      c.scause == EXC_VIRTUAL && c.pc == ADDR(l2_hfence_gvma),
	      "scause %lu sepc 0x%lx", c.scause, c.pc);

	/* G-stage remap: GPA_WIN -> page_a, then -> page_b. */
	page_a[0] = 0xaaaa;
	page_b[0] = 0xbbbb;
	csr_set(hstatus, HSTATUS_SPVP);
	gstage_reset();
	gstage_map_4k(GPA_WIN, (unsigned long)page_a, PTE_R | PTE_W);
	csr_write(hgatp, gstage_hgatp(5));
	gvma();
	a = hlv_d(GPA_WIN);
	gstage_map_4k(GPA_WIN, (unsigned long)page_b, PTE_R | PTE_W);
	gvma_args();
	b = hlv_d(GPA_WIN);
	check("gvma-remap", a == 0xaaaa && b == 0xbbbb,
	      "before 0x%lx after 0x%lx", a, b);
	csr_write(hgatp, 0);
	gvma();

	/* VS-stage remap: VA_WIN -> page_a, then -> page_b (hgatp Bare). */
	vstage_reset();
	vstage_map_4k(VA_WIN, (unsigned long)page_a, PTE_R | PTE_W);
	csr_write(vsatp, vstage_satp());
	vvma();
	a = hlv_d(VA_WIN);
	vstage_map_4k(VA_WIN, (unsigned long)page_b, PTE_R | PTE_W);
	vvma_args();
	b = hlv_d(VA_WIN);
	check("vvma-remap", a == 0xaaaa && b == 0xbbbb,
	      "before 0x%lx after 0x%lx", a, b);
	h_reset();
}
