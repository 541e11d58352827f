// SPDX-License-Identifier: MIT
/*
 * The NACL shared memory of one vCPU (SBI spec, "Nested Acceleration
 * Extension"): L1's virtual CSRs into and out of its CSR space, its
 * HFENCE entries, SRET context and autoswap context. The CSR writes go
 * through nested/csr.c, so the WARL rules are the trap-and-emulate path's.
 *
 * L1 owns the memory and may write it from another hart meanwhile: each
 * word is loaded once, and the bits L0 clears are cleared atomically.
 */
#include <stddef.h>

#include <l0/bits.h>
#include <l0/hot.h>

#include "nacl.h"

static uint64_t *word_at(uint8_t *shmem, unsigned int off)
{
	return (uint64_t *)(void *)(shmem + off);
}

static uint64_t load(const uint8_t *shmem, unsigned int off)
{
	return __atomic_load_n((const uint64_t *)(const void *)(shmem + off),
			       __ATOMIC_RELAXED);
}

static void store(uint8_t *shmem, unsigned int off, uint64_t val)
{
	__atomic_store_n(word_at(shmem, off), val, __ATOMIC_RELAXED);
}

unsigned int nacl_csr_index(unsigned int csr)
{
	return NACL_CSR_INDEX(csr);
}

bool nacl_csr_num_ok(unsigned long csr_num)
{
	return (csr_num & 0x300) == 0x200 && csr_num < 0x1000;
}

static unsigned int csr_off(unsigned int csr)
{
	return NACL_CSR_OFF + 8 * nacl_csr_index(csr);
}

uint64_t nacl_csr_word(const uint8_t *shmem, unsigned int csr)
{
	return load(shmem, csr_off(csr));
}

/* The dirty bitmap as little-endian words: bit i of byte i / 8. */
static unsigned int dirty_off(unsigned int idx)
{
	return NACL_DIRTY_OFF + 8 * (idx / 64);
}

static bool dirty(const uint8_t *shmem, unsigned int idx)
{
	return (load(shmem, dirty_off(idx)) >> (idx % 64)) & 1;
}

/* Acquire: the loads after it (the CSR's value) cannot pass it. */
static void clear_dirty(uint8_t *shmem, unsigned int idx)
{
	__atomic_fetch_and(word_at(shmem, dirty_off(idx)), ~BIT(idx % 64),
			   __ATOMIC_ACQUIRE);
}

/* The CSR space index of each table entry's CSR (nested/csr.h's list). */
#define ENTRY_INDEX(name) NACL_CSR_INDEX(CSR_H_##name),
L0_HOT_DATA static const uint16_t entry_index[NESTED_CSR_ENTRIES] = {
	NESTED_CSR_TABLE(ENTRY_INDEX)
};
#undef ENTRY_INDEX

/* Dirty bitmap word `w`'s bits of the table's CSRs: a constant when `w` is. */
__attribute__((always_inline)) static inline uint64_t known_bits(unsigned int w)
{
	uint64_t bits = 0;

#define KNOWN_BIT(name)                             \
	if (NACL_CSR_INDEX(CSR_H_##name) / 64 == w) \
		bits |= BIT(NACL_CSR_INDEX(CSR_H_##name) % 64);
	NESTED_CSR_TABLE(KNOWN_BIT)
#undef KNOWN_BIT
	return bits;
}

/*
 * The dirty bitmap's words that hold a bit of a table CSR, as they are
 * now, with only those bits; the other words stay 0 and are not even
 * read, for the dirty bits of CSRs L0 does not implement are left alone.
 * Returns whether any bit is set.
 */
L0_HOT static bool dirty_words(const uint8_t *shmem,
			       uint64_t words[NACL_DIRTY_WORDS])
{
	uint64_t any = 0;

#pragma GCC unroll 16
	for (unsigned int w = 0; w < NACL_DIRTY_WORDS; w++) {
		words[w] = known_bits(w) ? load(shmem, NACL_DIRTY_OFF + 8 * w) &
						   known_bits(w)
					 : 0;
		any |= words[w];
	}
	return any != 0;
}

/* Table entry `name`'s dirty bit in `words` (dirty_words()). */
#define ENTRY_DIRTY(words, name)                        \
	(((words)[NACL_CSR_INDEX(CSR_H_##name) / 64] >> \
	  (NACL_CSR_INDEX(CSR_H_##name) % 64)) &        \
	 1)

/*
 * The table entries (nested/csr.c) of the CSRs L1 has whose dirty bit is
 * set, as a bit per entry: an entry at a time, spelled out from the
 * table's list, so that each is a shift and a test.
 */
L0_HOT static uint32_t dirty_entries(const uint8_t *shmem,
				     const struct nested_features *f)
{
	uint64_t words[NACL_DIRTY_WORDS];
	uint32_t entries = 0;

	if (!dirty_words(shmem, words))
		return 0;
#define DIRTY_ENTRY(name) \
	entries |= (uint32_t)ENTRY_DIRTY(words, name) << NESTED_ENTRY_##name;
	NESTED_CSR_TABLE(DIRTY_ENTRY)
#undef DIRTY_ENTRY
	return entries & nested_csr_entries(f);
}

L0_HOT void nacl_publish(uint8_t *shmem, const struct nested_csrs *c,
			 const struct nested_features *f, uint32_t entries)
{
	/* L1's pending writes stay until they are synchronized. */
	nested_csr_store_set(c, f, entries & ~dirty_entries(shmem, f),
			     word_at(shmem, NACL_CSR_OFF), entry_index);
}

/*
 * Steps 3-4 of table entry `e`, whose CSR L1 has and whose bit is set.
 * The bit is cleared before the value is read: a write L1 makes
 * meanwhile (from another hart) is then either this one's or dirty
 * again for the next synchronization, never lost.
 */
__attribute__((always_inline)) static inline void
write_dirty(uint8_t *shmem, struct nested_csrs *c,
	    const struct nested_features *f, unsigned int e)
{
	unsigned int idx = entry_index[e];

	clear_dirty(shmem, idx);
	/* A read-only CSR (hgeip) refuses the write: the spec's "emulate
	 * write" of it changes nothing, as csrw would not either. */
	(void)nested_csr_write_entry(c, f, e,
				     load(shmem, NACL_CSR_OFF + 8 * idx));
}

/*
 * Step 5, for every CSR at once: a write may change others too (hip's
 * VSSIP is hvip's, vsie is hie's), so all of them are written back.
 */
bool nacl_sync_csr(uint8_t *shmem, struct nested_csrs *c,
		   const struct nested_features *f, unsigned int csr)
{
	int e = nested_csr_entry(csr, f);

	if (e < 0 || !dirty(shmem, nacl_csr_index(csr)))
		return false;
	write_dirty(shmem, c, f, (unsigned int)e);
	nacl_publish(shmem, c, f, NESTED_CSR_ALL);
	return true;
}

uint32_t nacl_sync_all_csrs(uint8_t *shmem, struct nested_csrs *c,
			    const struct nested_features *f)
{
	uint64_t words[NACL_DIRTY_WORDS];
	uint32_t have, entries = 0;

	if (!dirty_words(shmem, words))
		return 0;
	have = nested_csr_entries(f);
	/* In the table's order, which the spec's step 4 needs (see above);
	 * the bitmap was read once, in dirty_words(). */
#define SYNC_ENTRY(name)                                                     \
	if (ENTRY_DIRTY(words, name) && (have & BIT(NESTED_ENTRY_##name))) { \
		write_dirty(shmem, c, f, NESTED_ENTRY_##name);               \
		entries |= BIT(NESTED_ENTRY_##name);                         \
	}
	NESTED_CSR_TABLE(SYNC_ENTRY)
#undef SYNC_ENTRY
	return entries;
}

/* What each type asks for (the spec's table); reserved types: nothing. */
static const struct {
	uint8_t kind; /* enum nacl_fence */
	bool all_vmids, all_addrs;
} hfence_types[NACL_HFENCE_TYPE_MASK + 1] = {
	[NACL_HFENCE_GVMA] = { NACL_FENCE_GVMA, true, false },
	[NACL_HFENCE_GVMA_ALL] = { NACL_FENCE_GVMA, true, true },
	[NACL_HFENCE_GVMA_VMID] = { NACL_FENCE_GVMA, false, false },
	[NACL_HFENCE_GVMA_VMID_ALL] = { NACL_FENCE_GVMA, false, true },
	/* L0 drops a VMID's whole VS-stage: the address and ASID forms too. */
	[NACL_HFENCE_VVMA] = { NACL_FENCE_VVMA, false, true },
	[NACL_HFENCE_VVMA_ALL] = { NACL_FENCE_VVMA, false, true },
	[NACL_HFENCE_VVMA_ASID] = { NACL_FENCE_VVMA, false, true },
	[NACL_HFENCE_VVMA_ASID_ALL] = { NACL_FENCE_VVMA, false, true },
};

/* The page range of a ranged entry; too long or too large: all of it. */
static void hfence_range(const uint8_t *entry, uint64_t config,
			 struct nacl_hfence *h)
{
	unsigned int shift =
		12 + (unsigned int)((config >> NACL_HFENCE_ORDER_SHIFT) &
				    NACL_HFENCE_ORDER_MASK);
	uint64_t pnum = load(entry, NACL_HFENCE_PNUM);

	h->pages = load(entry, NACL_HFENCE_PCOUNT);
	if (shift >= 64 || (pnum << shift) >> shift != pnum ||
	    h->pages > NACL_HFENCE_MAX_PAGES) {
		h->all_addrs = true;
		return;
	}
	h->page_size = 1ULL << shift;
	h->addr = pnum << shift;
}

/* HFENCE entries nacl_hfence_next() looks at in one go. */
#define HFENCE_BLOCK 20

unsigned int nacl_hfence_next(const uint8_t *shmem, unsigned int from,
			      unsigned int end)
{
	const uint8_t *entry = shmem + NACL_HFENCE_OFF + NACL_HFENCE_CONFIG +
			       (size_t)from * NACL_HFENCE_ENTRY_SIZE;

	unsigned int stop =
		end < NACL_HFENCE_ENTRIES ? end : NACL_HFENCE_ENTRIES;

	/*
	 * Plain loads: most entries are idle, and an AMO costs more. A third
	 * of the Config words at a time, unrolled: SYNC_SRET scans all 60 at
	 * every entry into L2, and L1 has mostly none pending, so that a
	 * load and an OR each is nearly all it costs.
	 */
	for (; from + HFENCE_BLOCK <= stop;
	     from += HFENCE_BLOCK,
	     entry += (size_t)HFENCE_BLOCK * NACL_HFENCE_ENTRY_SIZE) {
		uint64_t configs = 0;

#pragma GCC unroll 20
		for (unsigned int j = 0; j < HFENCE_BLOCK; j++)
			configs |= load(entry, j * NACL_HFENCE_ENTRY_SIZE);
		if (configs & NACL_HFENCE_PENDING)
			break;
	}
	for (; from < stop; from++, entry += NACL_HFENCE_ENTRY_SIZE)
		if (load(entry, 0) & NACL_HFENCE_PENDING)
			return from;
	return end;
}

void nacl_hfence_take(uint8_t *shmem, unsigned int i, struct nacl_hfence *h)
{
	uint8_t *entry =
		shmem + NACL_HFENCE_OFF + (size_t)i * NACL_HFENCE_ENTRY_SIZE;
	uint64_t config;
	unsigned int type;

	*h = (struct nacl_hfence){ .kind = NACL_FENCE_NONE };
	if (i >= NACL_HFENCE_ENTRIES)
		return;
	/* A plain load first: most entries are idle, and an AMO costs more. */
	if (!(load(entry, NACL_HFENCE_CONFIG) & NACL_HFENCE_PENDING))
		return;
	/* Clear Pending and learn the Config word in one atomic step. */
	config = __atomic_fetch_and(word_at(entry, NACL_HFENCE_CONFIG),
				    ~NACL_HFENCE_PENDING, __ATOMIC_ACQ_REL);
	if (!(config & NACL_HFENCE_PENDING))
		return;
	type = (config >> NACL_HFENCE_TYPE_SHIFT) & NACL_HFENCE_TYPE_MASK;
	h->kind = hfence_types[type].kind;
	h->all_vmids = hfence_types[type].all_vmids;
	h->all_addrs = hfence_types[type].all_addrs;
	h->vmid = (config >> NACL_HFENCE_VMID_SHIFT) & NACL_HFENCE_VMID_MASK;
	if (h->kind != NACL_FENCE_NONE && !h->all_addrs)
		hfence_range(entry, config, h);
}

void nacl_sret_gprs(const uint8_t *shmem, unsigned long regs[32])
{
	/* A load and a store each, without the loop's own instructions:
	 * this runs at every SYNC_SRET. */
#pragma GCC unroll 31
	for (unsigned int i = 1; i < 32; i++)
		regs[i] = load(shmem, NACL_SRET_OFF + 8 * i);
}

L0_HOT bool nacl_autoswap(uint8_t *shmem, struct nested_csrs *c,
			  const struct nested_features *f)
{
	unsigned int slot = NACL_AUTOSWAP_OFF + NACL_AUTOSWAP_HSTATUS;
	uint64_t flags = load(shmem, NACL_AUTOSWAP_OFF + NACL_AUTOSWAP_FLAGS);

	if (!(flags & NACL_AUTOSWAP_FLAG_HSTATUS))
		return false;
	store(shmem, slot, nested_csr_swap_hstatus(c, f, load(shmem, slot)));
	return true;
}
