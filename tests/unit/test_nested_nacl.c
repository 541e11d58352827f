// SPDX-License-Identifier: MIT
/*
 * nested/nacl_shmem.c: the SBI NACL shared memory of one vCPU. Offsets and
 * formulas from the SBI spec's chapter "Nested Acceleration Extension"
 * (XLEN = 64); the CSR values from nested/csr.c's WARL rules.
 */
#include <stdbool.h>
#include <string.h>

#include <l0/bits.h>

#include <l0/nested.h>
#include <l0/vm.h>

#include "../../nested/state.h"
#include "stubs.h"

#define HSTATUS_VSXL_64 (2UL << 32)
#define HSTATUS_SPV BIT(7)
#define HSTATUS_SPVP BIT(8)
#define VSSIP BIT(2)
#define VSTIP BIT(6)

static uint8_t shmem[NACL_SHMEM_SIZE] __attribute__((aligned(4096)));
static struct nested_csrs c;
static struct nested_features f;

static int setup(void **state)
{
	(void)state;
	stub_reset();
	memset(shmem, 0, sizeof(shmem));
	f = (struct nested_features){
		.sstc = true,
		.nacl = true,
		.vmid_bits = 0,
		.hgatp_modes = BIT(8) | BIT(9),
		.vsatp_modes = BIT(8) | BIT(9),
	};
	nested_csr_reset(&c, &f);
	return 0;
}

static uint64_t *word(unsigned int off)
{
	return (uint64_t *)(void *)(shmem + off);
}

static uint64_t *csr_word(unsigned int csr)
{
	return word(NACL_CSR_OFF + 8 * nacl_csr_index(csr));
}

/* What L1 does to write CSR x: the word, then bit i of the bitmap. */
static void l1_write(unsigned int csr, uint64_t val)
{
	unsigned int i = nacl_csr_index(csr);

	*csr_word(csr) = val;
	shmem[NACL_DIRTY_OFF + i / 8] |= (uint8_t)(1u << (i % 8));
}

static bool is_dirty(unsigned int csr)
{
	unsigned int i = nacl_csr_index(csr);

	return shmem[NACL_DIRTY_OFF + i / 8] & (1u << (i % 8));
}

/* The bit of CSR `csr`'s table entry. */
static uint32_t entry_bit(unsigned int csr)
{
	int e = nested_csr_entry(csr, &f);

	assert_true(e >= 0);
	return BIT(e);
}

static uint64_t rd(unsigned int csr)
{
	uint64_t v = 0;

	assert_int_equal(nested_csr_read(&c, &f, csr, &v), NESTED_CSR_OK);
	return v;
}

/* The spec's layout: sizes and offsets of each area. */
static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(NACL_SHMEM_SIZE, 4096 + 1024 * 8);
	assert_int_equal(NACL_HFENCE_ENTRIES, 60);
	/* HFENCE entries end where the dirty bitmap begins (0x0f80). */
	assert_int_equal(NACL_HFENCE_OFF +
				 NACL_HFENCE_ENTRIES * NACL_HFENCE_ENTRY_SIZE,
			 NACL_DIRTY_OFF);
	/* The bitmap has a bit for each of the 1024 CSR words. */
	assert_int_equal(4096 - NACL_DIRTY_OFF, 1024 / 8);
	assert_int_equal(NACL_CSR_OFF + NACL_CSR_WORDS * 8, NACL_SHMEM_SIZE);
	/* SRET context X1..X31 fits in 0x000-0x1ff, autoswap at 0x200. */
	assert_true(NACL_SRET_OFF + 32 * 8 <= NACL_AUTOSWAP_OFF);
}

/* The spec's table of CSR space index ranges. */
static void test_csr_index(void **state)
{
	static const unsigned int map[][2] = {
		{ 0x200, 0x000 }, { 0x2ff, 0x0ff }, { 0x600, 0x100 },
		{ 0x67f, 0x17f }, { 0x680, 0x180 }, { 0x6c0, 0x1c0 },
		{ 0xa00, 0x200 }, { 0xabf, 0x2bf }, { 0xe00, 0x300 },
		{ 0xe12, 0x312 }, { 0xeff, 0x3ff },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		assert_int_equal(nacl_csr_index(map[i][0]), map[i][1]);
	/* Every CSR L0 implements has its own word. */
	for (unsigned int i = 0; i < nested_csr_count(); i++)
		for (unsigned int j = 0; j < i; j++)
			assert_int_not_equal(
				nacl_csr_index(nested_csr_number(i)),
				nacl_csr_index(nested_csr_number(j)));
}

static void test_csr_num_ok(void **state)
{
	(void)state;
	assert_true(nacl_csr_num_ok(0x600));
	assert_true(nacl_csr_num_ok(0x280));
	assert_true(nacl_csr_num_ok(0xe12));
	assert_false(nacl_csr_num_ok(0x100)); /* sstatus: not [9:8] = 10 */
	assert_false(nacl_csr_num_ok(0x300));
	assert_false(nacl_csr_num_ok(0x1600)); /* beyond 12 bits */
	assert_false(nacl_csr_num_ok(~0UL));
}

/* Publishing writes each CSR as it reads, not the raw field. */
static void test_publish(void **state)
{
	(void)state;
	nested_csr_write(&c, &f, CSR_H_HEDELEG, ~0UL);
	nested_csr_write(&c, &f, CSR_H_VSSCRATCH, 0x1234);
	nacl_publish(shmem, &c, &f, NESTED_CSR_ALL);
	assert_int_equal(*csr_word(CSR_H_HSTATUS), HSTATUS_VSXL_64);
	assert_int_equal(*csr_word(CSR_H_HEDELEG), rd(CSR_H_HEDELEG));
	assert_int_not_equal(*csr_word(CSR_H_HEDELEG), ~0UL);
	assert_int_equal(*csr_word(CSR_H_VSSCRATCH), 0x1234);
	assert_int_equal(nacl_csr_word(shmem, CSR_H_VSSCRATCH), 0x1234);
}

/* A publish of some entries writes those CSRs and no other word. */
static void test_publish_some(void **state)
{
	static uint8_t before[NACL_SHMEM_SIZE];

	(void)state;
	memset(shmem, 0xa5, sizeof(shmem));
	memset(shmem + NACL_DIRTY_OFF, 0, NACL_CSR_OFF - NACL_DIRTY_OFF);
	memcpy(before, shmem, sizeof(shmem));
	nested_csr_write(&c, &f, CSR_H_HGATP, 8UL << 60);
	nested_csr_write(&c, &f, CSR_H_VSEPC, 0x1000);
	nacl_publish(shmem, &c, &f,
		     entry_bit(CSR_H_HGATP) | entry_bit(CSR_H_VSEPC));
	assert_int_equal(*csr_word(CSR_H_HGATP), 8UL << 60);
	assert_int_equal(*csr_word(CSR_H_VSEPC), 0x1000);
	*csr_word(CSR_H_HGATP) = *csr_word(CSR_H_VSEPC) = 0xa5a5a5a5a5a5a5a5;
	assert_memory_equal(shmem, before, sizeof(shmem));
}

/* A dirty word is L1's pending write: publishing keeps it. */
static void test_publish_keeps_dirty(void **state)
{
	(void)state;
	l1_write(CSR_H_VSSCRATCH, 0x5555);
	nested_csr_write(&c, &f, CSR_H_VSSCRATCH, 0x1111);
	nacl_publish(shmem, &c, &f, NESTED_CSR_ALL);
	assert_int_equal(*csr_word(CSR_H_VSSCRATCH), 0x5555);
	assert_true(is_dirty(CSR_H_VSSCRATCH));
}

/* Steps 1-5: written with the WARL rules, bit cleared, value back. */
static void test_sync_one(void **state)
{
	(void)state;
	l1_write(CSR_H_HEDELEG, ~0UL);
	assert_true(nacl_sync_csr(shmem, &c, &f, CSR_H_HEDELEG));
	assert_false(is_dirty(CSR_H_HEDELEG));
	assert_int_not_equal(rd(CSR_H_HEDELEG), 0);
	assert_int_not_equal(rd(CSR_H_HEDELEG), ~0UL);
	assert_int_equal(*csr_word(CSR_H_HEDELEG), rd(CSR_H_HEDELEG));
	/* Not dirty: nothing happens, even with another value there. */
	*csr_word(CSR_H_HEDELEG) = 0;
	assert_false(nacl_sync_csr(shmem, &c, &f, CSR_H_HEDELEG));
	assert_int_not_equal(rd(CSR_H_HEDELEG), 0);
}

/* hgatp: an unsupported MODE keeps the old one, as csrw would. */
static void test_sync_legalizes(void **state)
{
	(void)state;
	l1_write(CSR_H_HGATP, (10UL << 60) | 0x123); /* Sv57x4: not here */
	nacl_sync_csr(shmem, &c, &f, CSR_H_HGATP);
	assert_int_equal(rd(CSR_H_HGATP) >> 60, 0);
	assert_int_equal(*csr_word(CSR_H_HGATP), rd(CSR_H_HGATP));
}

/* hgeip is read-only: its dirty write changes nothing, but is consumed. */
static void test_sync_read_only(void **state)
{
	(void)state;
	l1_write(CSR_H_HGEIP, 0xff);
	assert_true(nacl_sync_csr(shmem, &c, &f, CSR_H_HGEIP));
	assert_int_equal(rd(CSR_H_HGEIP), 0);
	assert_int_equal(*csr_word(CSR_H_HGEIP), 0);
	assert_false(is_dirty(CSR_H_HGEIP));
}

/* Garbage bits for CSRs L0 does not have: never written, left alone. */
static void test_sync_unknown(void **state)
{
	struct nested_csrs before;

	(void)state;
	l1_write(0x6ff, 0xdead);
	l1_write(0xa00, 0xbeef);
	before = c;
	assert_false(nacl_sync_csr(shmem, &c, &f, 0x6ff));
	assert_int_equal(nacl_sync_all_csrs(shmem, &c, &f), 0);
	assert_memory_equal(&before, &c, sizeof(c));
	assert_true(is_dirty(0x6ff));
	assert_int_equal(*csr_word(0x6ff), 0xdead);
}

/* "hvip is emulated and written first, followed by hip." */
static void test_sync_all_order(void **state)
{
	(void)state;
	l1_write(CSR_H_HIP, 0);		     /* clears VSSIP ... */
	l1_write(CSR_H_HVIP, VSSIP | VSTIP); /* ... after hvip set it */
	l1_write(CSR_H_VSSCRATCH, 7);
	l1_write(CSR_H_HSTATUS, HSTATUS_SPV | HSTATUS_SPVP);
	assert_int_equal(nacl_sync_all_csrs(shmem, &c, &f),
			 entry_bit(CSR_H_HIP) | entry_bit(CSR_H_HVIP) |
				 entry_bit(CSR_H_VSSCRATCH) |
				 entry_bit(CSR_H_HSTATUS));
	assert_int_equal(rd(CSR_H_HVIP), VSTIP);
	assert_int_equal(rd(CSR_H_VSSCRATCH), 7);
	assert_int_equal(rd(CSR_H_HSTATUS),
			 HSTATUS_VSXL_64 | HSTATUS_SPV | HSTATUS_SPVP);
	for (unsigned int i = 0; i < 128; i++)
		assert_int_equal(shmem[NACL_DIRTY_OFF + i], 0);
	/* The values go back to the CSR space with the caller's publish. */
	assert_int_equal(*csr_word(CSR_H_HIP), 0);
	nacl_publish(shmem, &c, &f, NESTED_CSR_ALL);
	assert_int_equal(*csr_word(CSR_H_HVIP), VSTIP);
	assert_int_equal(*csr_word(CSR_H_HIP), VSTIP);
}

/* vsie is derived from hideleg and hie: written after both. */
static void test_sync_all_derived_last(void **state)
{
	(void)state;
	l1_write(CSR_H_VSIE, VSSIP >> 1);
	l1_write(CSR_H_HIDELEG, VSSIP);
	assert_int_equal(nacl_sync_all_csrs(shmem, &c, &f),
			 entry_bit(CSR_H_VSIE) | entry_bit(CSR_H_HIDELEG));
	assert_int_equal(rd(CSR_H_HIE), VSSIP);
}

static uint64_t *entry(unsigned int i, unsigned int word_off)
{
	return word(NACL_HFENCE_OFF + i * NACL_HFENCE_ENTRY_SIZE + word_off);
}

static uint64_t config(unsigned int type)
{
	return NACL_HFENCE_PENDING | ((uint64_t)type << NACL_HFENCE_TYPE_SHIFT);
}

static struct nacl_hfence take(unsigned int i)
{
	struct nacl_hfence h;

	memset(&h, 0x5a, sizeof(h));
	nacl_hfence_take(shmem, i, &h);
	return h;
}

/* Pending entries are consumed (Pending cleared) and decoded, by type. */
/* The scan for pending entries: Pending alone counts, idle ones are skipped. */
static void test_hfence_next(void **state)
{
	(void)state;
	assert_int_equal(nacl_hfence_next(shmem, 0, NACL_HFENCE_ENTRIES),
			 NACL_HFENCE_ENTRIES);
	*entry(3, NACL_HFENCE_CONFIG) =
		config(NACL_HFENCE_GVMA) & ~NACL_HFENCE_PENDING;
	*entry(3, NACL_HFENCE_PNUM) = ~0UL;
	*entry(7, NACL_HFENCE_CONFIG) = config(NACL_HFENCE_VVMA);
	*entry(59, NACL_HFENCE_CONFIG) = NACL_HFENCE_PENDING;
	assert_int_equal(nacl_hfence_next(shmem, 0, NACL_HFENCE_ENTRIES), 7);
	assert_int_equal(nacl_hfence_next(shmem, 7, NACL_HFENCE_ENTRIES), 7);
	assert_int_equal(nacl_hfence_next(shmem, 8, NACL_HFENCE_ENTRIES), 59);
	assert_int_equal(nacl_hfence_next(shmem, 8, 59), 59);
	assert_int_equal(nacl_hfence_next(shmem, 60, 60), 60);
	/* An end past the entries reads none of the memory beyond them. */
	assert_int_equal(nacl_hfence_next(shmem, 60, 64), 64);
}

static void test_hfence_take(void **state)
{
	struct nacl_hfence h;

	(void)state;
	*entry(0, NACL_HFENCE_CONFIG) =
		config(NACL_HFENCE_GVMA_VMID_ALL) | (7UL << 16);
	*entry(1, NACL_HFENCE_CONFIG) =
		config(NACL_HFENCE_VVMA_ASID) | (5UL << 16) | 3;
	*entry(1, NACL_HFENCE_PNUM) = 0x40000;
	*entry(1, NACL_HFENCE_PCOUNT) = ~0UL; /* no loop over it */
	/* GVMA of 3 pages of 2 MiB (Order 9) at 0x80000000, all VMIDs. */
	*entry(59, NACL_HFENCE_CONFIG) =
		config(NACL_HFENCE_GVMA) | (9UL << NACL_HFENCE_ORDER_SHIFT);
	*entry(59, NACL_HFENCE_PNUM) = 0x80000000UL >> 21;
	*entry(59, NACL_HFENCE_PCOUNT) = 3;
	h = take(0);
	assert_int_equal(h.kind, NACL_FENCE_GVMA);
	assert_false(h.all_vmids);
	assert_true(h.all_addrs);
	assert_int_equal(h.vmid, 7);
	h = take(1);
	assert_int_equal(h.kind, NACL_FENCE_VVMA);
	assert_false(h.all_vmids);
	assert_int_equal(h.vmid, 5);
	h = take(59);
	assert_int_equal(h.kind, NACL_FENCE_GVMA);
	assert_true(h.all_vmids);
	assert_false(h.all_addrs);
	assert_int_equal(h.addr, 0x80000000UL);
	assert_int_equal(h.page_size, 1UL << 21);
	assert_int_equal(h.pages, 3);
	assert_int_equal(*entry(0, NACL_HFENCE_CONFIG),
			 (config(NACL_HFENCE_GVMA_VMID_ALL) | (7UL << 16)) &
				 ~NACL_HFENCE_PENDING);
	assert_false(*entry(1, NACL_HFENCE_CONFIG) & NACL_HFENCE_PENDING);
	/* The page words are L1's: untouched. */
	assert_int_equal(*entry(1, NACL_HFENCE_PNUM), 0x40000);
	/* Taken once: a second time there is nothing pending. */
	assert_int_equal(take(0).kind, NACL_FENCE_NONE);
}

/* A range too long, an Order past 64 bits, an address that overflows:
 * the whole VMID is fenced, never a loop over L1's count. */
static void test_hfence_range_whole(void **state)
{
	(void)state;
	*entry(0, NACL_HFENCE_CONFIG) = config(NACL_HFENCE_GVMA_VMID);
	*entry(0, NACL_HFENCE_PCOUNT) = NACL_HFENCE_MAX_PAGES + 1;
	*entry(1, NACL_HFENCE_CONFIG) =
		config(NACL_HFENCE_GVMA) | (0x7fUL << NACL_HFENCE_ORDER_SHIFT);
	*entry(1, NACL_HFENCE_PCOUNT) = 1;
	*entry(2, NACL_HFENCE_CONFIG) = config(NACL_HFENCE_GVMA);
	*entry(2, NACL_HFENCE_PNUM) = 1UL << 60;
	*entry(2, NACL_HFENCE_PCOUNT) = 1;
	*entry(3, NACL_HFENCE_CONFIG) = config(NACL_HFENCE_GVMA);
	*entry(3, NACL_HFENCE_PNUM) = 0x80001;
	*entry(3, NACL_HFENCE_PCOUNT) = NACL_HFENCE_MAX_PAGES;
	assert_true(take(0).all_addrs);
	assert_true(take(1).all_addrs);
	assert_true(take(2).all_addrs);
	assert_false(take(3).all_addrs);
}

/* Not pending, reserved types and indexes past the array. */
static void test_hfence_garbage(void **state)
{
	(void)state;
	*entry(2, NACL_HFENCE_CONFIG) =
		config(NACL_HFENCE_VVMA) & ~NACL_HFENCE_PENDING;
	*entry(3, NACL_HFENCE_CONFIG) = config(8);
	*entry(4, NACL_HFENCE_CONFIG) = config(15) | 0x0f00ffffffffffffUL;
	assert_int_equal(take(2).kind, NACL_FENCE_NONE);
	assert_int_equal(take(3).kind, NACL_FENCE_NONE);
	assert_int_equal(take(4).kind, NACL_FENCE_NONE);
	/* Reserved types are consumed: L1 does not wait on them forever. */
	assert_false(*entry(3, NACL_HFENCE_CONFIG) & NACL_HFENCE_PENDING);
	assert_false(*entry(4, NACL_HFENCE_CONFIG) & NACL_HFENCE_PENDING);
	/* Entry 60 would be the dirty bitmap. */
	memset(shmem + NACL_DIRTY_OFF, 0xff, 128);
	assert_int_equal(take(NACL_HFENCE_ENTRIES).kind, NACL_FENCE_NONE);
	assert_int_equal(shmem[NACL_DIRTY_OFF + 7], 0xff);
}

static void test_sret_gprs(void **state)
{
	unsigned long regs[32];

	(void)state;
	for (unsigned int i = 0; i < 32; i++)
		*word(NACL_SRET_OFF + 8 * i) = 0x100 + i;
	memset(regs, 0, sizeof(regs));
	nacl_sret_gprs(shmem, regs);
	assert_int_equal(regs[0], 0); /* x0 stays zero; word 0 is reserved */
	for (unsigned int i = 1; i < 32; i++)
		assert_int_equal(regs[i], 0x100 + i);
}

/* Autoswap: both ways, the new value legalized; off without the flag. */
static void test_autoswap(void **state)
{
	uint64_t *flags = word(NACL_AUTOSWAP_OFF + NACL_AUTOSWAP_FLAGS);
	uint64_t *slot = word(NACL_AUTOSWAP_OFF + NACL_AUTOSWAP_HSTATUS);

	(void)state;
	*slot = HSTATUS_SPV | HSTATUS_SPVP | BIT(40); /* 40: reserved */
	assert_false(nacl_autoswap(shmem, &c, &f));
	assert_int_equal(rd(CSR_H_HSTATUS), HSTATUS_VSXL_64);
	*flags = NACL_AUTOSWAP_FLAG_HSTATUS;
	assert_true(nacl_autoswap(shmem, &c, &f));
	assert_int_equal(rd(CSR_H_HSTATUS),
			 HSTATUS_VSXL_64 | HSTATUS_SPV | HSTATUS_SPVP);
	assert_int_equal(*slot, HSTATUS_VSXL_64);
	/* The way back (virtualization ON -> OFF). */
	assert_true(nacl_autoswap(shmem, &c, &f));
	assert_int_equal(rd(CSR_H_HSTATUS), HSTATUS_VSXL_64);
	assert_int_equal(*slot, HSTATUS_VSXL_64 | HSTATUS_SPV | HSTATUS_SPVP);
}

/* --- nested/nacl.c's SBI calls, around stand-ins for the shadows --- */

/* Each fence nacl.c asks shadow.c for. */
struct fence_call {
	bool all_vmids, all_gpas;
	unsigned long vmid;
	uint64_t gpa;
};

static struct fence_call gvma_calls[NACL_HFENCE_ENTRIES * 64 * 2];
static unsigned int ngvma;

void nested_shadow_fence_gvma(struct nested_vcpu *n, bool all_vmids,
			      unsigned long vmid, bool all_gpas, uint64_t gpa)
{
	(void)n;
	assert_true(ngvma < ARRAY_SIZE(gvma_calls));
	gvma_calls[ngvma++] =
		(struct fence_call){ all_vmids, all_gpas, vmid, gpa };
}

void nested_shadow_fence_vvma(struct nested_vcpu *n, bool all_vmids,
			      unsigned long vmid)
{
	(void)n;
	(void)all_vmids;
	(void)vmid;
}

void nested_refresh_hip(struct vcpu *v, struct nested_vcpu *n)
{
	(void)v;
	(void)n;
}

void nested_update_l1_hstatus(const struct nested_vcpu *n,
			      struct trap_frame *tf)
{
	(void)n;
	(void)tf;
}

void nested_emulate_sret(struct vcpu *v, struct nested_vcpu *n,
			 struct trap_frame *tf)
{
	(void)v;
	(void)n;
	(void)tf;
}

/*
 * The VM's RAM is the test's shared memory, at a made-up address. The VM
 * has no RAM of its own (ram_size 0): vm_ram_ptr() always asks this.
 */
#define SHMEM_GPA 0x80400000UL

void *vm_ram_ptr_fill(struct vm *vm, uint64_t gpa, uint64_t len)
{
	(void)vm;
	return gpa == SHMEM_GPA && len <= sizeof(shmem) ? shmem : NULL;
}

/* Whether one of the calls fences page `gpa` of `vmid`. */
static bool fenced(unsigned long vmid, uint64_t gpa)
{
	for (unsigned int i = 0; i < ngvma; i++) {
		const struct fence_call *c = &gvma_calls[i];

		if ((c->all_vmids || c->vmid == vmid) &&
		    (c->all_gpas || c->gpa == gpa))
			return true;
	}
	return false;
}

/*
 * Every entry pending, each 64 pages (the most that is fenced page by
 * page): one SYNC_HFENCE fences a bounded number of pages one by one (the
 * review counted 3840 calls, 19,200 shadow unmaps with 4 slots), and past
 * the budget the whole VMID instead: every page of every entry is still
 * fenced.
 */
static void test_sync_hfence_bounded(void **state)
{
	static const struct vm_config cfg = { .nested = true };
	struct vm vm = { .cfg = &cfg };
	struct nested_vcpu n = { .vm = &vm, .feat = f };
	struct vcpu v = { .vm = &vm, .nested = &n };
	struct trap_frame tf = { 0 };
	struct nested_sbiret r;
	unsigned int pages = 0;

	(void)state;
	tf.regs[10] = SHMEM_GPA;
	r = nested_nacl_call(&v, &tf, 1); /* SET_SHMEM */
	assert_int_equal(r.error, 0);
	for (unsigned int i = 0; i < NACL_HFENCE_ENTRIES; i++) {
		/* Alternately every VMID, and VMID i. */
		*entry(i, NACL_HFENCE_CONFIG) =
			config(i % 2 ? NACL_HFENCE_GVMA_VMID
				     : NACL_HFENCE_GVMA) |
			((unsigned long)i << NACL_HFENCE_VMID_SHIFT);
		*entry(i, NACL_HFENCE_PNUM) = 0x80000 + i * 0x100;
		*entry(i, NACL_HFENCE_PCOUNT) = NACL_HFENCE_MAX_PAGES;
	}
	ngvma = 0;
	tf.regs[10] = ~0UL;
	r = nested_nacl_call(&v, &tf, 3); /* SYNC_HFENCE, every entry */
	assert_int_equal(r.error, 0);
	for (unsigned int i = 0; i < ngvma; i++)
		pages += !gvma_calls[i].all_gpas;
	assert_in_range(pages, 1, NACL_HFENCE_PAGE_BUDGET);
	assert_in_range(ngvma, 1,
			NACL_HFENCE_PAGE_BUDGET + NACL_HFENCE_ENTRIES);
	for (unsigned int i = 0; i < NACL_HFENCE_ENTRIES; i++) {
		assert_false(*entry(i, NACL_HFENCE_CONFIG) &
			     NACL_HFENCE_PENDING);
		for (unsigned int p = 0; p < NACL_HFENCE_MAX_PAGES; p++)
			if (!fenced(i, ((0x80000UL + i * 0x100) << 12) +
					       p * 4096UL))
				fail_msg("entry %u page %u not fenced", i, p);
	}
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_layout),
		T(test_csr_index),
		T(test_csr_num_ok),
		T(test_publish),
		T(test_publish_some),
		T(test_publish_keeps_dirty),
		T(test_sync_one),
		T(test_sync_legalizes),
		T(test_sync_read_only),
		T(test_sync_unknown),
		T(test_sync_all_order),
		T(test_sync_all_derived_last),
		T(test_hfence_next),
		T(test_hfence_take),
		T(test_hfence_range_whole),
		T(test_hfence_garbage),
		T(test_sret_gprs),
		T(test_autoswap),
		T(test_sync_hfence_bounded),
	};

	return cmocka_run_group_tests_name("nested_nacl", tests, NULL, NULL);
}
