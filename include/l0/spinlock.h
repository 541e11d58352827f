/* SPDX-License-Identifier: MIT */
/* Ticket-free test-and-set spinlock; L0's critical sections are short. */
#ifndef L0_SPINLOCK_H
#define L0_SPINLOCK_H

#include <stdbool.h>

typedef struct {
	bool locked;
} spinlock_t;

static inline void spin_lock(spinlock_t *l)
{
	while (__atomic_test_and_set(&l->locked, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&l->locked, __ATOMIC_RELAXED))
			;
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_clear(&l->locked, __ATOMIC_RELEASE);
}

#endif
