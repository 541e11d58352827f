// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: nested/nacl_shmem.c, the SBI NACL shared memory of a
 * nested vCPU (SBI spec, "Nested Acceleration Extension"), which L1 owns
 * and may write at any time. The memory is a heap buffer of exactly
 * NACL_SHMEM_SIZE bytes (ASan sees any access past it), filled by the
 * input; then a stream of L1's writes (any word, or a CSR word with its
 * dirty bit) and L0's operations: a publish of any set of CSRs, SYNC_CSR
 * of one CSR or all,
 * finding the next pending HFENCE entry and taking one (in range or not), the SRET context, autoswap,
 * and CSR writes of the trap-and-emulate path.
 *
 * Oracles: L0 writes only the CSR space, the dirty bitmap (clearing bits,
 * never setting them), the Pending bit of an HFENCE entry's Config word
 * (clearing it) and the autoswap hstatus word; after a publish or a sync,
 * each CSR L1 has whose dirty bit is clear reads in the CSR space as it
 * reads (the spec's coherence rule), and a publish of some CSRs writes no
 * other CSR's word; a sync clears the dirty bits of the
 * CSRs L1 has and leaves the others, and writes each dirty CSR as a CSR
 * write of its word would; an HFENCE entry is decoded as the spec's table
 * says (type, VMID, a range of at most NACL_HFENCE_MAX_PAGES pages of
 * 2^(12 + Order) bytes, aligned, or the whole space); the SRET context
 * gives X1..X31; autoswap swaps hstatus with its word, legalized.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../nested/nacl.h"
#include "fuzz.h"

#define MAX_OPS 48

static uint64_t word(const uint8_t *m, unsigned int off)
{
	uint64_t w;

	memcpy(&w, m + off, 8);
	return w;
}

static void set_word(uint8_t *m, unsigned int off, uint64_t w)
{
	memcpy(m + off, &w, 8);
}

static bool dirty(const uint8_t *m, unsigned int csr)
{
	unsigned int i = nacl_csr_index(csr);

	return (m[NACL_DIRTY_OFF + i / 8] >> (i % 8)) & 1;
}

/* A CSR number: one of the table's, or any that SYNC_CSR would accept. */
static unsigned int pick_csr(struct input *in)
{
	unsigned int x = (unsigned int)get(in, 2);

	if (x & 0x8000)
		return nested_csr_number(x % nested_csr_count());
	return (x & 0xcff) | 0x200;
}

/* A word of the memory: often a CSR's, an HFENCE entry's or autoswap's. */
static unsigned int pick_off(struct input *in)
{
	unsigned int x = (unsigned int)get(in, 2);

	switch (x >> 14) {
	case 0:
		return NACL_CSR_OFF + 8 * nacl_csr_index(nested_csr_number(
						  x % 64 % nested_csr_count()));
	case 1:
		return NACL_HFENCE_OFF +
		       (x % NACL_HFENCE_ENTRIES) * NACL_HFENCE_ENTRY_SIZE +
		       8 * (x / 64 % 4);
	case 2:
		return NACL_AUTOSWAP_OFF + 8 * (x % 2);
	default:
		return x % (NACL_SHMEM_SIZE / 8) * 8;
	}
}

/*
 * What L0 may change: the CSR space, the dirty bitmap (clearing bits), an
 * HFENCE entry's Pending bit (clearing it) and autoswap's hstatus word.
 */
static void check_writes(const uint8_t *before, const uint8_t *m)
{
	unsigned int swap = NACL_AUTOSWAP_OFF + NACL_AUTOSWAP_HSTATUS;

	CHECK(!memcmp(m, before, swap) &&
		      !memcmp(m + swap + 8, before + swap + 8,
			      NACL_HFENCE_OFF - swap - 8),
	      "L0 wrote the SRET or autoswap context");
	for (unsigned int i = 0; i < NACL_HFENCE_ENTRIES; i++) {
		unsigned int off = NACL_HFENCE_OFF + i * NACL_HFENCE_ENTRY_SIZE;
		uint64_t was = word(before, off), now = word(m, off);

		CHECK((now == was || now == (was & ~NACL_HFENCE_PENDING)) &&
			      !memcmp(m + off + 8, before + off + 8,
				      NACL_HFENCE_ENTRY_SIZE - 8),
		      "HFENCE entry %u: more than Pending changed", i);
	}
	for (unsigned int off = NACL_DIRTY_OFF; off < NACL_CSR_OFF; off += 8)
		CHECK(!(word(m, off) & ~word(before, off)),
		      "a dirty bit set at 0x%x", off);
}

/*
 * Each CSR L1 has of the table entries in `entries`, not dirty, reads in
 * the CSR space as it reads.
 */
static void check_coherent(const uint8_t *m, const struct nested_csrs *c,
			   const struct nested_features *f, uint32_t entries)
{
	for (unsigned int i = 0; i < nested_csr_count(); i++) {
		unsigned int csr = nested_csr_number(i);
		uint64_t v;

		if (!((entries >> i) & 1) || !nested_csr_known(csr, f) ||
		    dirty(m, csr))
			continue;
		CHECK(nested_csr_read(c, f, csr, &v) == NESTED_CSR_OK,
		      "csr 0x%x: unreadable", csr);
		CHECK(nacl_csr_word(m, csr) == v,
		      "csr 0x%x: 0x%llx in the CSR space, reads 0x%llx", csr,
		      (unsigned long long)nacl_csr_word(m, csr),
		      (unsigned long long)v);
	}
}

/* A publish of some entries: those coherent, no other CSR word written. */
static void publish(uint8_t *m, const uint8_t *before,
		    const struct nested_csrs *c,
		    const struct nested_features *f, uint32_t entries)
{
	nacl_publish(m, c, f, entries);
	check_coherent(m, c, f, entries);
	for (unsigned int i = 0; i < nested_csr_count(); i++) {
		unsigned int off =
			NACL_CSR_OFF + 8 * nacl_csr_index(nested_csr_number(i));

		if (!((entries >> i) & 1))
			CHECK(word(m, off) == word(before, off),
			      "csr 0x%x: written, but not asked for",
			      nested_csr_number(i));
	}
}

static void sync_one(uint8_t *m, uint8_t *before, struct nested_csrs *c,
		     const struct nested_features *f, unsigned int csr)
{
	bool was = nested_csr_known(csr, f) && dirty(m, csr), wrote;
	struct nested_csrs want = *c;

	if (was)
		nested_csr_write(&want, f, csr, nacl_csr_word(m, csr));
	wrote = nacl_sync_csr(m, c, f, csr);
	CHECK(wrote == was, "csr 0x%x: sync %d, dirty %d", csr, wrote, was);
	if (!wrote) {
		CHECK(!memcmp(m, before, NACL_SHMEM_SIZE),
		      "csr 0x%x: a sync without a write changed memory", csr);
		return;
	}
	CHECK(!memcmp(c, &want, sizeof(want)),
	      "csr 0x%x: the sync is not the CSR write", csr);
	CHECK(!dirty(m, csr), "csr 0x%x: still dirty", csr);
	check_coherent(m, c, f, NESTED_CSR_ALL);
}

/*
 * A sync of all, then the publish that its callers do: each dirty CSR L1
 * has written as a CSR write of its word, in the table's order.
 */
static void sync_all(uint8_t *m, const uint8_t *before, struct nested_csrs *c,
		     const struct nested_features *f)
{
	struct nested_csrs want = *c;
	uint32_t written = 0;

	for (unsigned int i = 0; i < nested_csr_count(); i++) {
		unsigned int csr = nested_csr_number(i);

		if (!nested_csr_known(csr, f) || !dirty(m, csr))
			continue;
		nested_csr_write(&want, f, csr, nacl_csr_word(m, csr));
		written |= 1U << i;
	}
	CHECK(nacl_sync_all_csrs(m, c, f) == written,
	      "sync of all: not the table entries written");
	CHECK(!memcmp(c, &want, sizeof(want)),
	      "sync of all: not the table order's writes");
	nacl_publish(m, c, f, NESTED_CSR_ALL);
	for (unsigned int i = 0; i < NACL_CSR_WORDS; i++) {
		/* Index i of the CSR space is CSR number n with this index. */
		unsigned int n = ((i & 0x300) << 2) | 0x200 | (i & 0xff);
		bool d = (m[NACL_DIRTY_OFF + i / 8] >> (i % 8)) & 1;
		bool was = (before[NACL_DIRTY_OFF + i / 8] >> (i % 8)) & 1;

		if (nested_csr_known(n, f))
			CHECK(!d, "csr 0x%x: dirty after a sync of all", n);
		else
			CHECK(d == was,
			      "index 0x%x: an unknown dirty bit changed", i);
	}
	check_coherent(m, c, f, NESTED_CSR_ALL);
}

static void hfence_take(uint8_t *m, const uint8_t *before, struct input *in)
{
	unsigned int i = (unsigned int)get(in, 1) % 64;
	unsigned int off = NACL_HFENCE_OFF + i * NACL_HFENCE_ENTRY_SIZE;
	uint64_t config = i < NACL_HFENCE_ENTRIES ? word(m, off) : 0;
	unsigned int type = (config >> NACL_HFENCE_TYPE_SHIFT) & 0xf;
	unsigned int order = (config >> NACL_HFENCE_ORDER_SHIFT) & 0x7f;
	unsigned int next = i;
	struct nacl_hfence h;

	while (next < NACL_HFENCE_ENTRIES &&
	       !(word(m, NACL_HFENCE_OFF + next * NACL_HFENCE_ENTRY_SIZE) &
		 NACL_HFENCE_PENDING))
		next++;
	CHECK(nacl_hfence_next(m, i, 64) ==
		      (next < NACL_HFENCE_ENTRIES ? next : 64),
	      "entry %u: the next pending one", i);
	nacl_hfence_take(m, i, &h);
	if (!(config & NACL_HFENCE_PENDING)) {
		CHECK(h.kind == NACL_FENCE_NONE, "entry %u: not pending", i);
		CHECK(!memcmp(m, before, NACL_SHMEM_SIZE),
		      "entry %u: idle, but memory changed", i);
		return;
	}
	CHECK(word(m, off) == (config & ~NACL_HFENCE_PENDING),
	      "entry %u: Config is not Pending cleared", i);
	set_word(m, off, config); /* the rest must be as it was */
	CHECK(!memcmp(m, before, NACL_SHMEM_SIZE),
	      "entry %u: more than Pending changed", i);
	set_word(m, off, config & ~NACL_HFENCE_PENDING);
	CHECK(h.kind == (type < 4   ? NACL_FENCE_GVMA
			 : type < 8 ? NACL_FENCE_VVMA
				    : NACL_FENCE_NONE),
	      "entry %u: type %u gave kind %d", i, type, h.kind);
	if (h.kind == NACL_FENCE_NONE)
		return;
	CHECK(h.all_vmids == (type == NACL_HFENCE_GVMA ||
			      type == NACL_HFENCE_GVMA_ALL),
	      "entry %u: all_vmids", i);
	if (!h.all_vmids)
		CHECK(h.vmid == ((config >> 16) & 0x3fff), "entry %u: VMID", i);
	if (type == NACL_HFENCE_GVMA_ALL || type == NACL_HFENCE_GVMA_VMID_ALL)
		CHECK(h.all_addrs, "entry %u: a *_ALL type with a range", i);
	if (h.all_addrs)
		return;
	CHECK(order < 52 && h.page_size == 1ULL << (12 + order),
	      "entry %u: page size 0x%llx for Order %u", i,
	      (unsigned long long)h.page_size, order);
	CHECK(h.pages <= NACL_HFENCE_MAX_PAGES &&
		      h.pages == word(m, off + NACL_HFENCE_PCOUNT),
	      "entry %u: %llu pages", i, (unsigned long long)h.pages);
	CHECK(h.addr >> (12 + order) == word(m, off + NACL_HFENCE_PNUM) &&
		      !(h.addr & (h.page_size - 1)),
	      "entry %u: the range's start", i);
}

static void autoswap(uint8_t *m, struct nested_csrs *c,
		     const struct nested_features *f)
{
	unsigned int slot = NACL_AUTOSWAP_OFF + NACL_AUTOSWAP_HSTATUS;
	bool on = word(m, NACL_AUTOSWAP_OFF) & NACL_AUTOSWAP_FLAG_HSTATUS;
	uint64_t new = word(m, slot), old = 0;
	struct nested_csrs want = *c;

	nested_csr_read(c, f, CSR_H_HSTATUS, &old);
	nested_csr_write(&want, f, CSR_H_HSTATUS, new);
	CHECK(nacl_autoswap(m, c, f) == on, "autoswap: flags");
	if (!on)
		return;
	CHECK(!memcmp(c, &want, sizeof(want)) && word(m, slot) == old,
	      "autoswap: not a swap of hstatus");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct nested_features f = {
		.sstc = get(&in, 1) & 1,
		.vmid_bits = (unsigned int)get(&in, 1) % 15,
		.hgatp_modes = 1 | 0x300,
		.vsatp_modes = 1 | 0x300,
	};
	uint8_t *m = malloc(NACL_SHMEM_SIZE), *before = malloc(NACL_SHMEM_SIZE);
	unsigned long regs[32];
	struct nested_csrs c;
	unsigned int csr;
	uint64_t val;

	if (!m || !before)
		abort();
	nested_csr_reset(&c, &f);
	/* L1's memory as it was when it named it: zeros, and some words. */
	memset(m, 0, NACL_SHMEM_SIZE);
	for (unsigned int i = get(&in, 1) % 32; i; i--)
		set_word(m, pick_off(&in), get(&in, 8));
	for (unsigned int i = 0; i < MAX_OPS && in.n; i++) {
		memcpy(before, m, NACL_SHMEM_SIZE);
		switch (get(&in, 1) % 10) {
		case 0: /* L1 writes any word */
			set_word(m, pick_off(&in), get(&in, 8));
			continue;
		case 1: /* L1 writes a CSR, as the spec tells it to */
			csr = pick_csr(&in);
			set_word(m, NACL_CSR_OFF + 8 * nacl_csr_index(csr),
				 get(&in, 8));
			m[NACL_DIRTY_OFF + nacl_csr_index(csr) / 8] |=
				(uint8_t)(1u << (nacl_csr_index(csr) % 8));
			continue;
		case 2:
			publish(m, before, &c, &f, (uint32_t)get(&in, 4));
			break;
		case 3:
			sync_one(m, before, &c, &f, pick_csr(&in));
			break;
		case 4:
			sync_all(m, before, &c, &f);
			break;
		case 5:
			hfence_take(m, before, &in);
			break;
		case 6:
			regs[0] = 0x5a;
			nacl_sret_gprs(m, regs);
			CHECK(regs[0] == 0x5a, "SRET context: x0 written");
			for (unsigned int r = 1; r < 32; r++)
				CHECK(regs[r] == word(m, NACL_SRET_OFF + 8 * r),
				      "SRET context: x%u", r);
			break;
		case 7:
			autoswap(m, &c, &f);
			break;
		case 8: /* the trap-and-emulate path writes a CSR */
			csr = pick_csr(&in);
			val = get(&in, 8);
			nested_csr_write(&c, &f, csr, val);
			break;
		default: /* hip's inputs from outside change */
			c.hip = get(&in, 2) & ((1u << 6) | (1u << 10));
			break;
		}
		check_writes(before, m);
	}
	free(before);
	free(m);
	return 0;
}
