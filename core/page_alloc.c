// SPDX-License-Identifier: MIT
/*
 * Physical page allocator. One bit per page over [span_base, span_end): set
 * means in use. Pages that are not free memory (holes, reserved regions, the
 * bitmap itself) are marked in use at init and never freed. A second bitmap,
 * one bit per bitmap word, marks the words that are full, so a search skips
 * a VM's RAM (a large block in use) 4096 pages at a time.
 */
#include <stdbool.h>
#include <string.h>

#include <arch/zero.h>
#include <l0/bits.h>
#include <l0/page_alloc.h>
#include <l0/panic.h>
#include <l0/spinlock.h>

#define BITS_PER_WORD 64UL
#define PAGES_PER_FULL_WORD (BITS_PER_WORD * BITS_PER_WORD)
#define MAX_RANGES 32

static struct {
	spinlock_t lock;
	uint64_t *bitmap;
	uint64_t *full; /* bit w: bitmap word w has no free page */
	uint64_t span_base;
	size_t npages;
	size_t nfree;
	size_t total;
	size_t hint;			     /* first index that may be free */
	struct mem_range ranges[MAX_RANGES]; /* page-aligned free ranges */
	size_t nranges;
	size_t bitmap_first, bitmap_pages;
} pool;

static bool test_bit(size_t i)
{
	return pool.bitmap[i / BITS_PER_WORD] & BIT(i % BITS_PER_WORD);
}

/* A bitmap word at a time: init marks every page of the machine. */
static void set_bits(size_t first, size_t n, bool used)
{
	for (size_t i = first, end = first + n; i < end;) {
		size_t w = i / BITS_PER_WORD, b = i % BITS_PER_WORD;
		size_t cnt = end - i < BITS_PER_WORD - b ? end - i
							 : BITS_PER_WORD - b;
		uint64_t mask = (cnt == BITS_PER_WORD ? ~0ULL : BIT(cnt) - 1)
				<< b;

		if (used)
			pool.bitmap[w] |= mask;
		else
			pool.bitmap[w] &= ~mask;
		if (pool.bitmap[w] == ~0ULL)
			pool.full[w / BITS_PER_WORD] |= BIT(w % BITS_PER_WORD);
		else
			pool.full[w / BITS_PER_WORD] &= ~BIT(w % BITS_PER_WORD);
		i += cnt;
	}
}

static uint64_t index_to_addr(size_t i)
{
	return pool.span_base + ((uint64_t)i << PAGE_SHIFT);
}

void page_alloc_init(const struct mem_range *free, size_t n)
{
	size_t words, full_words, bitmap_pages, i;
	uint64_t span_end;

	BUG_ON(n == 0 || n > MAX_RANGES);
	pool.span_base = ALIGN_UP(free[0].base, PAGE_SIZE);
	span_end = ALIGN_DOWN(mem_range_end(&free[n - 1]), PAGE_SIZE);
	pool.npages = (span_end - pool.span_base) >> PAGE_SHIFT;
	words = (pool.npages + BITS_PER_WORD - 1) / BITS_PER_WORD;
	full_words = (words + BITS_PER_WORD - 1) / BITS_PER_WORD;
	bitmap_pages =
		ALIGN_UP((words + full_words) * 8, PAGE_SIZE) >> PAGE_SHIFT;

	/* The bitmap lives in the first free range big enough to hold it. */
	for (i = 0; i < n; i++) {
		uint64_t b = ALIGN_UP(free[i].base, PAGE_SIZE);

		if (b + (bitmap_pages << PAGE_SHIFT) <= mem_range_end(&free[i]))
			break;
	}
	if (i == n)
		panic("page_alloc: no free range holds a %zu-page bitmap",
		      bitmap_pages);
	pool.bitmap = (uint64_t *)(uintptr_t)ALIGN_UP(free[i].base, PAGE_SIZE);
	memset(pool.bitmap, 0xff, words * 8);
	pool.full = pool.bitmap + words;
	memset(pool.full, 0xff, full_words * 8);

	pool.total = 0;
	pool.nranges = 0;
	pool.bitmap_first =
		((uintptr_t)pool.bitmap - pool.span_base) >> PAGE_SHIFT;
	pool.bitmap_pages = bitmap_pages;
	for (i = 0; i < n; i++) {
		uint64_t b = ALIGN_UP(free[i].base, PAGE_SIZE);
		uint64_t e = ALIGN_DOWN(mem_range_end(&free[i]), PAGE_SIZE);

		if (e <= b)
			continue;
		pool.ranges[pool.nranges++] = (struct mem_range){ b, e - b };
		set_bits((b - pool.span_base) >> PAGE_SHIFT,
			 (e - b) >> PAGE_SHIFT, false);
		pool.total += (e - b) >> PAGE_SHIFT;
	}
	set_bits(((uintptr_t)pool.bitmap - pool.span_base) >> PAGE_SHIFT,
		 bitmap_pages, true);
	pool.total -= bitmap_pages;
	pool.nfree = pool.total;
	pool.hint = 0;
}

/* Whether [first, first + n) lies in one free range, off the bitmap. */
static bool run_is_pool(size_t first, size_t n)
{
	uint64_t a = index_to_addr(first), e = index_to_addr(first + n);

	if (first < pool.bitmap_first + pool.bitmap_pages &&
	    first + n > pool.bitmap_first)
		return false;
	for (size_t i = 0; i < pool.nranges; i++)
		if (a >= pool.ranges[i].base &&
		    e <= mem_range_end(&pool.ranges[i]))
			return true;
	return false;
}

/* A word of the bitmap at a time where the run covers it whole. */
static bool run_is_free(size_t first, size_t n)
{
	size_t i = first, end = first + n;

	for (; i < end && i % BITS_PER_WORD; i++)
		if (test_bit(i))
			return false;
	for (; end - i >= BITS_PER_WORD; i += BITS_PER_WORD)
		if (pool.bitmap[i / BITS_PER_WORD])
			return false;
	for (; i < end; i++)
		if (test_bit(i))
			return false;
	return true;
}

/* First fit from the hint; returns npages when nothing fits. */
static size_t find_run(size_t n, size_t align_pages)
{
	uint64_t base_pfn = pool.span_base >> PAGE_SHIFT;

	if (n > pool.npages)
		return pool.npages;
	for (size_t i = pool.hint; i <= pool.npages - n;) {
		size_t w = i / BITS_PER_WORD, mis;
		uint64_t avail;

		if (i % PAGES_PER_FULL_WORD == 0 &&
		    pool.full[w / BITS_PER_WORD] == ~0ULL) {
			i += PAGES_PER_FULL_WORD;
			continue;
		}
		/* A run starts on a free page: skip the word's used ones. */
		avail = ~pool.bitmap[w] & (~0ULL << (i % BITS_PER_WORD));
		if (!avail) {
			i = (w + 1) * BITS_PER_WORD;
			continue;
		}
		i = w * BITS_PER_WORD + ctz64(avail);
		if (i > pool.npages - n)
			break;
		mis = (base_pfn + i) & (align_pages - 1);
		if (mis) {
			i += align_pages - mis;
			continue;
		}
		if (run_is_free(i, n))
			return i;
		i++;
	}
	return pool.npages;
}

void *page_try_alloc_uninit(size_t npages, size_t align)
{
	size_t align_pages = align > PAGE_SIZE ? align >> PAGE_SHIFT : 1;
	size_t i;
	void *p = NULL;

	BUG_ON(npages == 0 || (align_pages & (align_pages - 1)));
	spin_lock(&pool.lock);
	i = find_run(npages, align_pages);
	if (i < pool.npages) {
		set_bits(i, npages, true);
		pool.nfree -= npages;
		if (i == pool.hint)
			pool.hint = i + npages;
		p = (void *)(uintptr_t)index_to_addr(i);
	}
	spin_unlock(&pool.lock);
	return p;
}

void *page_try_alloc(size_t npages, size_t align)
{
	void *p = page_try_alloc_uninit(npages, align);

	/* cbo.zero where the hart has it: a 64-byte block an instruction. */
	if (p)
		zero_range(p, npages << PAGE_SHIFT);
	return p;
}

void *page_alloc(size_t npages, size_t align)
{
	void *p = page_try_alloc(npages, align);

	if (!p)
		panic("out of memory: %zu pages (align 0x%zx) wanted, %zu of %zu free",
		      npages, align, pool.nfree, pool.total);
	return p;
}

void page_free(void *addr, size_t npages)
{
	uint64_t a = (uintptr_t)addr;
	size_t first = (a - pool.span_base) >> PAGE_SHIFT;

	if (a < pool.span_base || !IS_ALIGNED(a, PAGE_SIZE) ||
	    npages > pool.npages || first > pool.npages - npages ||
	    !run_is_pool(first, npages))
		panic("page_free: %p (%zu pages) is not an allocator page",
		      addr, npages);
	spin_lock(&pool.lock);
	for (size_t i = first; i < first + npages; i++) {
		if (!test_bit(i)) {
			spin_unlock(&pool.lock);
			panic("double free of page 0x%llx",
			      (unsigned long long)index_to_addr(i));
		}
	}
	set_bits(first, npages, false);
	pool.nfree += npages;
	if (first < pool.hint)
		pool.hint = first;
	spin_unlock(&pool.lock);
}

size_t page_free_count(void)
{
	return pool.nfree;
}

size_t page_total_count(void)
{
	return pool.total;
}
