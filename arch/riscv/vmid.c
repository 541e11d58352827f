// SPDX-License-Identifier: MIT
/*
 * A hart's map from L0 VMIDs to its hardware VMIDs (see arch/vmid.h). The
 * hardware VMIDs go round in turn: the one handed out is the one that has
 * gone longest since it was last handed out, as in Linux KVM's scheme, but
 * taken back one at a time from its last owner instead of all at once at a
 * new generation. Plain logic: arch/riscv/tlb.c does the hart's part.
 */
#include <l0/bits.h>
#include <l0/panic.h>

#include <arch/vmid.h>

void vmid_space_init(struct vmid_space *s, unsigned int bits)
{
	BUG_ON(bits > VMID_BITS_MAX);
	*s = (struct vmid_space){ .bits = bits };
	/* More names than L0 has would never be handed out. */
	s->count = (1U << bits) < VMID_L0_LIMIT ? 1U << bits : VMID_L0_LIMIT;
}

bool vmid_space_get(struct vmid_space *s, unsigned int l0, unsigned int *hw)
{
	unsigned int id, prev;

	BUG_ON(l0 >= VMID_L0_LIMIT);
	if (vmid_space_lookup(s, l0, hw))
		return false;
	id = s->next;
	s->next = (id + 1) % s->count;
	prev = s->owner[id];
	if (prev)
		s->hw[prev - 1] = 0;
	s->owner[id] = (uint16_t)(l0 + 1);
	s->hw[l0] = (uint16_t)(id + 1);
	s->assigned++;
	*hw = id;
	return true;
}
