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
	if (cbo_block && IS_ALIGNED((uintptr_t)p | len, cbo_block))
		cbo_zero_range(p, len, cbo_block);
	else
		memset(p, 0, len);
}

size_t zero_block_size(void)
{
	return cbo_block;
}
