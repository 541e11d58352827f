// SPDX-License-Identifier: MIT
/* HS-mode traps, L2 runs and page tables for the nested payloads. */
#include <string.h>

#include "nested.h"

#define L2_STACK_SIZE 4096

static uint8_t l2_stacks[MAX_HARTS][L2_STACK_SIZE] __attribute__((aligned(16)));
static struct htrap_extra {
	volatile unsigned long htval, htinst, hstatus;
} extra[MAX_HARTS];

void trap_handler(void);
void hs_trap_handler(void);

/* A trap taken in HS-mode from HS-mode: tests/guest/lib's handler, plus
 * the H extension's trap CSRs. */
void hs_trap_handler(void)
{
	struct htrap_extra *e = &extra[this_hart()];

	e->htval = csr_read(htval);
	e->htinst = csr_read(htinst);
	e->hstatus = csr_read(hstatus);
	trap_handler();
}

void htrap_expect(unsigned long resume)
{
	struct htrap_extra *e = &extra[this_hart()];

	e->htval = e->htinst = e->hstatus = 0;
	trap_expect(resume);
}

struct htrap_info htrap_result(void)
{
	struct trap_info t = trap_result();
	struct htrap_extra *e = &extra[this_hart()];
	struct htrap_info r = {
		.taken = t.taken,
		.scause = t.scause,
		.stval = t.stval,
		.sepc = t.sepc,
		.htval = e->htval,
		.htinst = e->htinst,
		.hstatus = e->hstatus,
	};

	return r;
}

void vctx_init(struct vctx *c, void (*pc)(void))
{
	memset(c, 0, sizeof(*c));
	c->pc = (unsigned long)pc;
	c->x[R_SP] = (unsigned long)&l2_stacks[this_hart()][L2_STACK_SIZE];
}

void l2_run(struct vctx *c, enum l2_mode mode)
{
	bool v = mode == MODE_VS || mode == MODE_VU;
	bool s = mode == MODE_VS || mode == MODE_HS;

	csr_clear(sstatus, SSTATUS_SPIE | SSTATUS_SIE);
	if (v)
		csr_set(hstatus, HSTATUS_SPV);
	else
		csr_clear(hstatus, HSTATUS_SPV);
	if (s)
		csr_set(sstatus, SSTATUS_SPP);
	else
		csr_clear(sstatus, SSTATUS_SPP);
	l2_enter(c);
}

bool l2_reported(const struct vctx *c)
{
	return c->scause == EXC_ECALL_VS && c->x[R_A7] == L2_VEC;
}

void h_reset(void)
{
	csr_write(hstatus, 2UL << HSTATUS_VSXL_SHIFT);
	csr_write(hedeleg, 0);
	csr_write(hideleg, 0);
	csr_write(hvip, 0);
	csr_write(hie, 0);
	csr_write(hgatp, 0);
	csr_write(hcounteren, ~0UL);
	csr_write(htimedelta, 0);
	csr_write(vsatp, 0);
	csr_write(vsstatus, 0);
	csr_write(vsie, 0);
	csr_write(vstvec, ADDR(l2_vec));
	/* No VS timer from vstimecmp unless a case asks for it. */
	if (has_sstc())
		csr_write(vstimecmp, ~0UL);
	csr_clear(henvcfg, 1UL << 63);
	csr_clear(sstatus, SSTATUS_MXR | SSTATUS_SUM);
	__asm__ volatile(HASM("hfence.gvma\nhfence.vvma")::: "memory");
}

bool has_sstc(void)
{
	return hart_has_ext(boot_hartid, "sstc");
}

/* G-stage: root (16 KiB, 2048 entries), one level 1 and one level 0 table. */
static uint64_t groot[2048] __attribute__((aligned(16384)));
static uint64_t gl1[512] __attribute__((aligned(4096)));
static uint64_t gl0[512] __attribute__((aligned(4096)));

static uint64_t pte_table(const void *next)
{
	return ((uint64_t)(unsigned long)next >> 12 << 10) | PTE_V;
}

static uint64_t pte_leaf(uint64_t pa, unsigned long flags)
{
	return (pa >> 12 << 10) | flags | PTE_V | PTE_A | PTE_D;
}

void gstage_reset(void)
{
	memset(groot, 0, sizeof(groot));
	memset(gl1, 0, sizeof(gl1));
	memset(gl0, 0, sizeof(gl0));
	mb();
}

void gstage_map_2m(uint64_t gpa, uint64_t pa, unsigned long flags)
{
	groot[(gpa >> 30) & 2047] = pte_table(gl1);
	gl1[(gpa >> 21) & 511] = pte_leaf(pa, flags | PTE_U);
	mb();
}

void gstage_map_4k(uint64_t gpa, uint64_t pa, unsigned long flags)
{
	groot[(gpa >> 30) & 2047] = pte_table(gl1);
	gl1[(gpa >> 21) & 511] = pte_table(gl0);
	gl0[(gpa >> 12) & 511] = flags ? pte_leaf(pa, flags | PTE_U) : 0;
	mb();
}

unsigned long gstage_hgatp(unsigned long vmid)
{
	return (ATP_MODE_SV39 << ATP_MODE_SHIFT) |
	       ((vmid & HGATP_VMID_MASK) << HGATP_VMID_SHIFT) |
	       ((unsigned long)groot >> 12);
}

/* VS-stage Sv39. */
static uint64_t vroot[512] __attribute__((aligned(4096)));
static uint64_t vl1[512] __attribute__((aligned(4096)));
static uint64_t vl0[512] __attribute__((aligned(4096)));

void vstage_reset(void)
{
	memset(vroot, 0, sizeof(vroot));
	memset(vl1, 0, sizeof(vl1));
	memset(vl0, 0, sizeof(vl0));
	mb();
}

void vstage_map_1g(uint64_t va, uint64_t pa, unsigned long flags)
{
	vroot[(va >> 30) & 511] = pte_leaf(pa, flags);
	mb();
}

void vstage_map_4k(uint64_t va, uint64_t pa, unsigned long flags)
{
	vroot[(va >> 30) & 511] = pte_table(vl1);
	vl1[(va >> 21) & 511] = pte_table(vl0);
	vl0[(va >> 12) & 511] = flags ? pte_leaf(pa, flags) : 0;
	mb();
}

unsigned long vstage_root(void)
{
	return (unsigned long)vroot;
}

unsigned long vstage_satp(void)
{
	return (ATP_MODE_SV39 << ATP_MODE_SHIFT) | ((unsigned long)vroot >> 12);
}
