// SPDX-License-Identifier: MIT
/* Set arithmetic on physical ranges, for building the free-memory map. */
#include <l0/memrange.h>

static void remove_at(struct mem_range *set, size_t *n, size_t i)
{
	for (; i + 1 < *n; i++)
		set[i] = set[i + 1];
	(*n)--;
}

void mem_ranges_normalize(struct mem_range *set, size_t *n)
{
	size_t i, j;

	for (i = 0; i < *n;) {
		if (!set[i].size) {
			remove_at(set, n, i);
			continue;
		}
		i++;
	}
	/* Insertion sort: the sets are a handful of entries. */
	for (i = 1; i < *n; i++) {
		struct mem_range r = set[i];

		for (j = i; j > 0 && set[j - 1].base > r.base; j--)
			set[j] = set[j - 1];
		set[j] = r;
	}
	for (i = 0; i + 1 < *n;) {
		uint64_t end = mem_range_end(&set[i]);

		if (set[i + 1].base > end) {
			i++;
			continue;
		}
		if (mem_range_end(&set[i + 1]) > end)
			set[i].size = mem_range_end(&set[i + 1]) - set[i].base;
		remove_at(set, n, i + 1);
	}
}

int mem_ranges_remove(struct mem_range *set, size_t *n, size_t max,
		      struct mem_range hole)
{
	uint64_t hend = mem_range_end(&hole);

	for (size_t i = 0; i < *n; i++) {
		struct mem_range *r = &set[i];
		uint64_t end = mem_range_end(r);

		if (hend <= r->base || hole.base >= end || !hole.size)
			continue;
		if (hole.base > r->base && hend < end) {
			/* The hole splits r in two. */
			if (*n == max)
				return -1;
			for (size_t j = *n; j > i + 1; j--)
				set[j] = set[j - 1];
			(*n)++;
			set[i + 1] = (struct mem_range){ hend, end - hend };
			r->size = hole.base - r->base;
			return 0;
		}
		if (hole.base > r->base) {
			r->size = hole.base - r->base;
		} else if (hend < end) {
			r->size = end - hend;
			r->base = hend;
		} else {
			remove_at(set, n, i--);
		}
	}
	return 0;
}
