// SPDX-License-Identifier: MIT
/*
 * L0's own page table: an identity map of RAM and of the devices L0 drives.
 * All of L0's addresses are below 512 GiB, so one Sv39 tree serves both
 * Sv39 and Sv48: the Sv48 root's entry 0 points at it (privileged spec
 * 12.5/12.6: VA[47:39] = 0 selects entry 0). Sv39 when everything mapped
 * lies below 256 GiB: its virtual addresses are sign-extended from bit 38,
 * so an identity map above needs Sv48. Sv39 is the usual case and walks one
 * level less on each TLB refill: a refill of each page a trap touches,
 * after every change of V under QEMU (docs/images.md).
 */
#include <stdbool.h>

#include <arch/csr.h>
#include <arch/mmu.h>
#include <arch/pte.h>
#include <l0/page_alloc.h>
#include <l0/panic.h>

#define SV39_LEVELS 3
#define VPN_BITS 9
#define SV39_LIMIT (1ULL << 39)
#define SV39_CANONICAL_LIMIT (1ULL << 38)

typedef uint64_t pte_t;

static pte_t *sv39_root;
static unsigned long satp_value;
static uint64_t mapped_end; /* above the highest address mapped */

static unsigned long level_size(int level)
{
	return PAGE_SIZE << (VPN_BITS * level);
}

static pte_t *pte_table(pte_t pte)
{
	return (pte_t *)(uintptr_t)(field_get(PTE_PPN, pte) << PAGE_SHIFT);
}

static pte_t make_pte(uint64_t pa, uint64_t flags)
{
	return field_prep(PTE_PPN, pa >> PAGE_SHIFT) | flags | PTE_V;
}

/* Map one page of `level` (0: 4 KiB, 1: 2 MiB, 2: 1 GiB) at va == pa. */
static void map_page(uint64_t pa, int level, uint64_t flags)
{
	pte_t *table = sv39_root;

	for (int l = SV39_LEVELS - 1; l > level; l--) {
		pte_t *pte = &table[(pa >> (PAGE_SHIFT + VPN_BITS * l)) & 511];

		if (!(*pte & PTE_V))
			*pte = make_pte((uintptr_t)page_alloc(1, PAGE_SIZE), 0);
		else if (*pte & (PTE_R | PTE_X))
			return; /* already covered by a larger page */
		table = pte_table(*pte);
	}
	table[(pa >> (PAGE_SHIFT + VPN_BITS * level)) & 511] =
		make_pte(pa, flags | PTE_A | PTE_D | PTE_G);
}

void mmu_map_identity(uint64_t base, uint64_t size, enum mmu_prot prot)
{
	uint64_t flags = PTE_R | PTE_W | (prot == MMU_RWX ? PTE_X : 0);
	uint64_t pa = ALIGN_DOWN(base, PAGE_SIZE);
	uint64_t end = ALIGN_UP(base + size, PAGE_SIZE);

	if (end > SV39_LIMIT)
		panic("mmu: 0x%llx above L0's 512 GiB identity map",
		      (unsigned long long)end);
	if (end > mapped_end)
		mapped_end = end;
	while (pa < end) {
		int level = SV39_LEVELS - 1;

		while (level && (!IS_ALIGNED(pa, level_size(level)) ||
				 pa + level_size(level) > end))
			level--;
		map_page(pa, level, flags);
		pa += level_size(level);
	}
}

bool mmu_is_mapped(uint64_t va)
{
	pte_t *table = sv39_root;

	if (va >= SV39_LIMIT)
		return false;
	for (int l = SV39_LEVELS - 1; l >= 0; l--) {
		pte_t pte = table[(va >> (PAGE_SHIFT + VPN_BITS * l)) & 511];

		if (!(pte & PTE_V))
			return false;
		if (pte & (PTE_R | PTE_X))
			return true;
		table = pte_table(pte);
	}
	return false;
}

static bool try_satp(unsigned long mode, pte_t *root)
{
	unsigned long v = field_prep(SATP_MODE, mode) |
			  field_prep(SATP_PPN, (uintptr_t)root >> PAGE_SHIFT);

	csr_write(CSR_SATP, v);
	if (csr_read(CSR_SATP) != v)
		return false;
	__asm__ volatile("sfence.vma" ::: "memory");
	satp_value = v;
	return true;
}

void mmu_init(void)
{
	sv39_root = page_alloc(1, PAGE_SIZE);
}

const char *mmu_enable(void)
{
	pte_t *sv48_root;

	if (mapped_end <= SV39_CANONICAL_LIMIT &&
	    try_satp(SATP_MODE_SV39, sv39_root))
		return "Sv39";
	sv48_root = page_alloc(1, PAGE_SIZE);
	sv48_root[0] = make_pte((uintptr_t)sv39_root, 0);
	if (try_satp(SATP_MODE_SV48, sv48_root))
		return "Sv48";
	panic("mmu: the hart lacks Sv48, needed for L0's map up to 0x%llx",
	      (unsigned long long)mapped_end);
}

void mmu_enable_hart(void)
{
	csr_write(CSR_SATP, satp_value);
	__asm__ volatile("sfence.vma" ::: "memory");
}
