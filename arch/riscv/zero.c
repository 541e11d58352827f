// SPDX-License-Identifier: MIT
/* Zeroing guest RAM: a cache block per instruction with Zicboz. */
#include <string.h>

#include <arch/zero.h>
#include <l0/bits.h>
#include <l0/page_alloc.h>

unsigned long cbo_zero_probe(void *block);
void cbo_zero_range(void *p, size_t len, size_t block);

static size_t cbo_block;

void zero_init(uint32_t block)
{
	void *page;

	/* A sane block divides a page; anything else stays with memset. */
	if (!block || (block & (block - 1)) || block > PAGE_SIZE)
		return;
	page = page_alloc(1, PAGE_SIZE);
	if (!cbo_zero_probe(page))
		cbo_block = block;
	page_free(page, 1);
}

void zero_range(void *p, size_t len)
{
	uintptr_t start = (uintptr_t)p, end = start + len;
	uintptr_t mid = ALIGN_UP(start, cbo_block ? cbo_block : 1);
	uintptr_t mid_end = ALIGN_DOWN(end, cbo_block ? cbo_block : 1);

	if (!cbo_block || mid >= mid_end) {
		memset(p, 0, len);
		return;
	}
	/* The unaligned ends by memset, the blocks between by cbo.zero. */
	memset(p, 0, mid - start);
	cbo_zero_range((void *)mid, mid_end - mid, cbo_block);
	memset((void *)mid_end, 0, end - mid_end);
}

size_t zero_block_size(void)
{
	return cbo_block;
}
