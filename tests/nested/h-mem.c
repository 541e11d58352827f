// SPDX-License-Identifier: MIT
/*
 * L2's memory: with hgatp Bare it reads and writes L1's memory at the same
 * addresses; through a G-stage table it runs from an alias and takes
 * guest-page faults to HS-mode; with vsatp Sv39 its own page faults go to
 * its vstvec when delegated, or to HS-mode with hstatus.GVA = 1.
 */
#include "nested.h"

const char payload_name[] = "h-mem";
PLAN("bare-read", "bare-write", "gs-exec-alias", "gs-load", "gs-gpf-load",
     "gs-gpf-load-htinst", "gs-gpf-store", "gs-gpf-fetch", "vs-pf-deleg",
     "vs-pf-hs", "vs-gpf-implicit", "vs-sv39-run");

static struct vctx c;
static volatile uint64_t shared = 0xabcdef0011223344UL;
static uint64_t page[512] __attribute__((aligned(4096)));

#define GPA_ALIAS 0xc0000000UL /* 2 MiB: the payload's first 2 MiB */
#define GPA_PAGES 0xc0200000UL /* 4 KiB pages */
#define GPA_RW (GPA_PAGES + 0x0000)
#define GPA_RO (GPA_PAGES + 0x1000)
#define GPA_NONE (GPA_PAGES + 0x2000)
#define VA_NONE 0x40000000UL

static unsigned long image_2m(void)
{
	return ADDR(l2_ecall) & ~((1UL << 21) - 1);
}

static unsigned long alias(void (*fn)(void))
{
	return GPA_ALIAS + (ADDR(fn) - image_2m());
}

static void bare_cases(void)
{
	vctx_init(&c, l2_load);
	c.x[R_A1] = (unsigned long)&shared;
	l2_run(&c, MODE_VS);
	check("bare-read", c.x[R_A7] == L2_DONE && c.x[R_A0] == shared,
	      "a7 %lu scause %lu read 0x%lx", c.x[R_A7], c.scause, c.x[R_A0]);
	vctx_init(&c, l2_store);
	c.x[R_A1] = (unsigned long)&shared;
	c.x[R_A2] = 0x5555aaaa;
	l2_run(&c, MODE_VS);
	check("bare-write", c.x[R_A7] == L2_DONE && shared == 0x5555aaaa,
	      "a7 %lu scause %lu memory 0x%lx", c.x[R_A7], c.scause,
	      (unsigned long)shared);
}

static void gstage_cases(void)
{
	uint32_t ld = insn_at(l2_load);

	gstage_reset();
	gstage_map_2m(GPA_ALIAS, image_2m(), PTE_R | PTE_W | PTE_X);
	gstage_map_4k(GPA_RW, (unsigned long)page, PTE_R | PTE_W);
	gstage_map_4k(GPA_RO, (unsigned long)page, PTE_R);
	csr_write(hgatp, gstage_hgatp(2));
	__asm__ volatile(HASM("hfence.gvma")::: "memory");
	page[1] = 0x1234567;
	mb();

	vctx_init(&c, l2_ecall);
	c.pc = alias(l2_ecall);
	c.x[R_SP] = 0;
	l2_run(&c, MODE_VS);
	check("gs-exec-alias",
	      c.scause == EXC_ECALL_VS && c.pc == alias(l2_ecall),
	      "scause %lu sepc 0x%lx, expected 0x%lx", c.scause, c.pc,
	      alias(l2_ecall));

	vctx_init(&c, l2_load);
	c.pc = alias(l2_load);
	c.x[R_A1] = GPA_RW + 8;
	l2_run(&c, MODE_VS);
	check("gs-load", c.x[R_A7] == L2_DONE && c.x[R_A0] == 0x1234567,
	      "a7 %lu scause %lu read 0x%lx", c.x[R_A7], c.scause, c.x[R_A0]);

	vctx_init(&c, l2_load);
	c.pc = alias(l2_load);
	c.x[R_A1] = GPA_NONE + 16;
	l2_run(&c, MODE_VS);
	check("gs-gpf-load",
	      c.scause == EXC_LOAD_GPF && c.pc == alias(l2_load) &&
		      c.stval == GPA_NONE + 16 &&
		      c.htval == (GPA_NONE + 16) >> 2 &&
		      (c.hstatus & HSTATUS_GVA) && (c.hstatus & HSTATUS_SPV),
	      "scause %lu sepc 0x%lx stval 0x%lx htval 0x%lx hstatus 0x%lx",
	      c.scause, c.pc, c.stval, c.htval, c.hstatus);
	/* Zero, or the load transformed: rs1 replaced by the offset (0). */
	check("gs-gpf-load-htinst",
	      c.htinst == 0 || c.htinst == (ld & ~(0x1fU << 15) & ~0xfff00000U),
	      "htinst 0x%lx, ld 0x%x", c.htinst, ld);

	vctx_init(&c, l2_store);
	c.pc = alias(l2_store);
	c.x[R_A1] = GPA_RO + 8;
	l2_run(&c, MODE_VS);
	check("gs-gpf-store",
	      c.scause == EXC_STORE_GPF && c.stval == GPA_RO + 8 &&
		      c.htval == (GPA_RO + 8) >> 2 &&
		      (c.hstatus & HSTATUS_GVA) && page[1] == 0x1234567,
	      "scause %lu stval 0x%lx htval 0x%lx hstatus 0x%lx", c.scause,
	      c.stval, c.htval, c.hstatus);

	vctx_init(&c, l2_jump);
	c.pc = alias(l2_jump);
	c.x[R_A1] = GPA_NONE;
	l2_run(&c, MODE_VS);
	check("gs-gpf-fetch",
	      c.scause == EXC_FETCH_GPF && c.pc == GPA_NONE &&
		      c.stval == GPA_NONE && c.htval == GPA_NONE >> 2 &&
		      (c.hstatus & HSTATUS_GVA),
	      "scause %lu sepc 0x%lx stval 0x%lx htval 0x%lx hstatus 0x%lx",
	      c.scause, c.pc, c.stval, c.htval, c.hstatus);
	csr_write(hgatp, 0);
	__asm__ volatile(HASM("hfence.gvma")::: "memory");
}

static void vstage_cases(void)
{
	unsigned long ram_1g = plat.mem_base & ~((1UL << 30) - 1), pte;

	/* VS-stage: identity 1 GiB page over RAM; hgatp Bare. */
	vstage_reset();
	vstage_map_1g(ram_1g, ram_1g, PTE_R | PTE_W | PTE_X);
	csr_write(vsatp, vstage_satp());
	__asm__ volatile(HASM("hfence.vvma")::: "memory");

	vctx_init(&c, l2_load);
	c.x[R_A1] = (unsigned long)&shared;
	l2_run(&c, MODE_VS);
	check("vs-sv39-run", c.x[R_A7] == L2_DONE && c.x[R_A0] == shared,
	      "a7 %lu scause %lu stval 0x%lx read 0x%lx", c.x[R_A7], c.scause,
	      c.stval, c.x[R_A0]);

	csr_write(hedeleg, 1UL << EXC_LOAD_PF);
	vctx_init(&c, l2_load);
	c.x[R_A1] = VA_NONE + 8;
	l2_run(&c, MODE_VS);
	check("vs-pf-deleg",
	      l2_reported(&c) && c.x[R_A0] == EXC_LOAD_PF &&
		      c.x[R_A1] == ADDR(l2_load) && c.x[R_A2] == VA_NONE + 8,
	      "scause %lu a7 %lu; vscause %lu vsepc 0x%lx vstval 0x%lx",
	      c.scause, c.x[R_A7], c.x[R_A0], c.x[R_A1], c.x[R_A2]);

	csr_write(hedeleg, 0);
	vctx_init(&c, l2_load);
	c.x[R_A1] = VA_NONE + 8;
	l2_run(&c, MODE_VS);
	check("vs-pf-hs",
	      c.scause == EXC_LOAD_PF && c.pc == ADDR(l2_load) &&
		      c.stval == VA_NONE + 8 && c.htval == 0 &&
		      (c.hstatus & HSTATUS_GVA) && (c.hstatus & HSTATUS_SPV),
	      "scause %lu sepc 0x%lx stval 0x%lx htval 0x%lx hstatus 0x%lx",
	      c.scause, c.pc, c.stval, c.htval, c.hstatus);

	/*
	 * Both stages: the VS-stage root is at a GPA the G-stage does not map,
	 * so L2's first fetch faults on the implicit PTE read: an instruction
	 * guest-page fault with htval = the PTE's GPA >> 2 and htinst zero or
	 * a pseudoinstruction for a 64-bit read (0x3000).
	 */
	gstage_reset();
	gstage_map_2m(GPA_ALIAS, image_2m(), PTE_R | PTE_W | PTE_X);
	csr_write(hgatp, gstage_hgatp(3));
	csr_write(vsatp, (ATP_MODE_SV39 << ATP_MODE_SHIFT) | (GPA_NONE >> 12));
	__asm__ volatile(HASM("hfence.gvma\nhfence.vvma")::: "memory");
	vctx_init(&c, l2_ecall);
	l2_run(&c, MODE_VS);
	pte = GPA_NONE + ((ADDR(l2_ecall) >> 30) & 511) * 8;
	check("vs-gpf-implicit",
	      c.scause == EXC_FETCH_GPF && c.pc == ADDR(l2_ecall) &&
		      c.stval == ADDR(l2_ecall) && c.htval == pte >> 2 &&
		      (c.htinst == 0 || c.htinst == 0x3000),
	      "scause %lu sepc 0x%lx stval 0x%lx htval 0x%lx (PTE GPA 0x%lx) htinst 0x%lx",
	      c.scause, c.pc, c.stval, c.htval, pte, c.htinst);
	csr_write(vsatp, 0);
	csr_write(hgatp, 0);
	__asm__ volatile(HASM("hfence.gvma\nhfence.vvma")::: "memory");
}

void test_main(void)
{
	h_reset();
	bare_cases();
	gstage_cases();
	h_reset();
	vstage_cases();
	h_reset();
}
