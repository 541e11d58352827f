/* SPDX-License-Identifier: MIT */
/* Physical address ranges and the arithmetic on sets of them. */
#ifndef L0_MEMRANGE_H
#define L0_MEMRANGE_H

#include <stddef.h>
#include <stdint.h>

struct mem_range {
	uint64_t base;
	uint64_t size;
};

static inline uint64_t mem_range_end(const struct mem_range *r)
{
	return r->base + r->size;
}

/*
 * Remove `hole` from the sorted, disjoint set `set` of `*n` ranges (room
 * for `max`). Returns 0, or -1 when splitting a range needs more room.
 */
int mem_ranges_remove(struct mem_range *set, size_t *n, size_t max,
		      struct mem_range hole);

/* Sort `set` by base and merge overlapping or touching ranges. */
void mem_ranges_normalize(struct mem_range *set, size_t *n);

#endif
