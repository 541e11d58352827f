/* SPDX-License-Identifier: MIT */
/*
 * Physical page allocator: one bitmap over the span of free memory, kept in
 * that memory itself. L0 runs identity-mapped, so a page's address is both
 * physical and virtual.
 */
#ifndef L0_PAGE_ALLOC_H
#define L0_PAGE_ALLOC_H

#include <stddef.h>
#include <stdint.h>

#include <l0/memrange.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)

/* Hand the allocator the free ranges (sorted, disjoint; see memrange.h). */
void page_alloc_init(const struct mem_range *free, size_t n);

/*
 * Allocate `npages` contiguous zeroed pages aligned to `align` bytes (a power
 * of two, at least PAGE_SIZE). Panics, naming the request, when memory runs
 * out; page_try_alloc() returns NULL instead.
 */
void *page_alloc(size_t npages, size_t align);
void *page_try_alloc(size_t npages, size_t align);

/*
 * The same, without zeroing: for a caller that clears what it hands out
 * itself (guest RAM, zeroed 2 MiB at a time on first use).
 */
void *page_try_alloc_uninit(size_t npages, size_t align);

/* Free pages from page_alloc(); panics on a double free or a foreign page. */
void page_free(void *addr, size_t npages);

size_t page_free_count(void);
size_t page_total_count(void);

#endif
