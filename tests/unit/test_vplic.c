// SPDX-License-Identifier: MIT
/* core/vplic.c: the emulated PLIC's registers, gateways, claim and complete. */
#include <pthread.h>
#include <stdbool.h>

#include <l0/bits.h>
#include <l0/vplic.h>

#include "stubs.h"

#define PRIO(src) (0x0 + 4 * (src))
#define PENDING(w) (0x1000 + 4 * (w))
#define ENABLE(ctx, w) (0x2000 + 0x80 * (ctx) + 4 * (w))
#define THRESHOLD(ctx) (0x200000 + 0x1000 * (ctx))
#define CLAIM(ctx) (0x200004 + 0x1000 * (ctx))

#define NSRC 40 /* two words of pending and enable bits */
#define NCTX 2

static struct vplic plic;

static int setup(void **state)
{
	(void)state;
	stub_reset();
	vplic_init(&plic, NSRC, NCTX);
	return 0;
}

/* A 4-byte read that must hit a register. */
static uint32_t rd(uint64_t off)
{
	uint32_t v = 0xdeadbeef;

	assert_true(vplic_read(&plic, off, 4, &v));
	return v;
}

static void wr(uint64_t off, uint32_t v)
{
	assert_true(vplic_write(&plic, off, 4, v));
}

static uint32_t claim(unsigned int ctx)
{
	return rd(CLAIM(ctx));
}

static void complete(unsigned int ctx, uint32_t src)
{
	wr(CLAIM(ctx), src);
}

/* Give `src` priority `prio`, enable it for `ctx` and raise its line. */
static void arm(unsigned int ctx, unsigned int src, uint32_t prio)
{
	uint64_t w = src / 32;

	wr(PRIO(src), prio);
	wr(ENABLE(ctx, w), rd(ENABLE(ctx, w)) | (1U << (src % 32)));
	vplic_set_level(&plic, src, true);
}

static void test_reset_state(void **state)
{
	(void)state;
	for (unsigned int src = 0; src < NSRC; src++)
		assert_int_equal(rd(PRIO(src)), 0);
	for (unsigned int ctx = 0; ctx < NCTX; ctx++) {
		assert_int_equal(rd(ENABLE(ctx, 0)), 0);
		assert_int_equal(rd(ENABLE(ctx, 1)), 0);
		assert_int_equal(rd(THRESHOLD(ctx)), 0);
		assert_int_equal(claim(ctx), 0);
		assert_false(vplic_context_pending(&plic, ctx));
	}
	assert_int_equal(rd(PENDING(0)), 0);
	assert_int_equal(rd(PENDING(1)), 0);
}

static void test_priority_warl(void **state)
{
	(void)state;
	wr(PRIO(1), 0xffffffff);
	assert_int_equal(rd(PRIO(1)), 7);
	wr(PRIO(2), 9);
	assert_int_equal(rd(PRIO(2)), 1);
	wr(PRIO(NSRC - 1), 5);
	assert_int_equal(rd(PRIO(NSRC - 1)), 5);
	/* Source 0 does not exist: its priority stays 0. */
	wr(PRIO(0), 7);
	assert_int_equal(rd(PRIO(0)), 0);
	wr(THRESHOLD(1), 0xff);
	assert_int_equal(rd(THRESHOLD(1)), 7);
}

static void test_claim_by_priority(void **state)
{
	(void)state;
	arm(0, 3, 2);
	arm(0, 5, 6);
	arm(0, 7, 4);
	arm(0, 33, 5);
	assert_true(vplic_context_pending(&plic, 0));
	assert_int_equal(claim(0), 5);
	assert_int_equal(claim(0), 33);
	assert_int_equal(claim(0), 7);
	assert_int_equal(claim(0), 3);
	assert_int_equal(claim(0), 0);
	assert_false(vplic_context_pending(&plic, 0));
}

static void test_ties_go_to_lowest_id(void **state)
{
	(void)state;
	arm(0, 36, 3);
	arm(0, 10, 3);
	arm(0, 4, 3);
	arm(0, 9, 3);
	assert_int_equal(claim(0), 4);
	assert_int_equal(claim(0), 9);
	assert_int_equal(claim(0), 10);
	assert_int_equal(claim(0), 36);
	assert_int_equal(claim(0), 0);
}

static void test_threshold(void **state)
{
	(void)state;
	arm(0, 6, 3);
	wr(THRESHOLD(0), 3); /* only priorities above 3 interrupt */
	assert_false(vplic_context_pending(&plic, 0));
	assert_int_equal(claim(0), 0);
	assert_int_equal(rd(PENDING(0)), BIT(6));
	wr(THRESHOLD(0), 2);
	assert_true(vplic_context_pending(&plic, 0));
	assert_int_equal(claim(0), 6);
	assert_int_equal(rd(PENDING(0)), 0);
}

static void test_priority_zero_never_interrupts(void **state)
{
	(void)state;
	arm(0, 8, 0);
	assert_int_equal(rd(PENDING(0)), BIT(8));
	assert_false(vplic_context_pending(&plic, 0));
	assert_int_equal(claim(0), 0);
	/* Raising the priority later makes the pending source claimable. */
	wr(PRIO(8), 1);
	assert_true(vplic_context_pending(&plic, 0));
	assert_int_equal(claim(0), 8);
}

static void test_disabled_source_is_masked(void **state)
{
	(void)state;
	wr(PRIO(12), 7);
	vplic_set_level(&plic, 12, true);
	assert_int_equal(rd(PENDING(0)), BIT(12));
	assert_false(vplic_context_pending(&plic, 0));
	assert_int_equal(claim(0), 0);
	/* Still pending: enabling it later delivers it. */
	wr(ENABLE(0, 0), BIT(12));
	assert_int_equal(claim(0), 12);
	/* Disabled again: context 0 can no longer complete it. */
	wr(ENABLE(0, 0), 0);
	complete(0, 12);
	assert_int_equal(rd(PENDING(0)), 0);
	wr(ENABLE(0, 0), BIT(12));
	complete(0, 12);
	assert_int_equal(rd(PENDING(0)), BIT(12));
}

static void test_level_repends_after_complete(void **state)
{
	(void)state;
	arm(0, 2, 1);
	assert_int_equal(claim(0), 2);
	/* Claimed and not completed: the high line does not re-pend it. */
	vplic_set_level(&plic, 2, true);
	assert_int_equal(rd(PENDING(0)), 0);
	assert_false(vplic_context_pending(&plic, 0));
	assert_int_equal(claim(0), 0);
	/* Completed while still high: pending again at once. */
	complete(0, 2);
	assert_int_equal(rd(PENDING(0)), BIT(2));
	assert_int_equal(claim(0), 2);
	/* The device drops the line before completion: nothing more. */
	vplic_set_level(&plic, 2, false);
	complete(0, 2);
	assert_int_equal(rd(PENDING(0)), 0);
	assert_int_equal(claim(0), 0);
}

static void test_lowered_line_withdraws_request(void **state)
{
	(void)state;
	arm(0, 20, 4);
	assert_true(vplic_context_pending(&plic, 0));
	vplic_set_level(&plic, 20, false);
	assert_int_equal(rd(PENDING(0)), 0);
	assert_false(vplic_context_pending(&plic, 0));
	assert_int_equal(claim(0), 0);
}

static void test_bad_completions_ignored(void **state)
{
	(void)state;
	arm(0, 5, 1);
	wr(PRIO(6), 1);
	wr(ENABLE(1, 0), BIT(6)); /* context 1 does not have source 5 */
	assert_int_equal(claim(0), 5);
	/* Not enabled for context 1: ignored, 5 stays claimed. */
	complete(1, 5);
	assert_int_equal(rd(PENDING(0)), 0);
	/* Never claimed, nonexistent or out of range: ignored. */
	complete(0, 6);
	complete(0, 0);
	complete(0, NSRC);
	complete(0, 63);
	complete(0, 0xffffffff);
	assert_int_equal(rd(PENDING(0)), 0);
	assert_int_equal(claim(0), 0);
	/* The right completion re-pends it (its line is still high). */
	complete(0, 5);
	assert_int_equal(claim(0), 5);
	/* A second completion of a completed source changes nothing. */
	vplic_set_level(&plic, 5, false);
	complete(0, 5);
	complete(0, 5);
	assert_int_equal(rd(PENDING(0)), 0);
}

static void test_contexts_are_independent(void **state)
{
	(void)state;
	arm(0, 3, 2);
	arm(1, 4, 2);
	assert_int_equal(rd(ENABLE(0, 0)), BIT(3));
	assert_int_equal(rd(ENABLE(1, 0)), BIT(4));
	wr(THRESHOLD(1), 2);
	assert_true(vplic_context_pending(&plic, 0));
	assert_false(vplic_context_pending(&plic, 1));
	assert_int_equal(claim(1), 0);
	wr(THRESHOLD(1), 1);
	assert_int_equal(claim(1), 4);
	assert_int_equal(claim(0), 3);
	assert_int_equal(rd(THRESHOLD(0)), 0);
}

static void test_claim_is_global(void **state)
{
	(void)state;
	arm(0, 11, 3);
	arm(1, 11, 3);
	assert_true(vplic_context_pending(&plic, 1));
	assert_int_equal(claim(0), 11);
	/* Claimed by context 0: context 1 no longer sees it. */
	assert_false(vplic_context_pending(&plic, 1));
	assert_int_equal(claim(1), 0);
	/* Context 1 has it enabled, so its completion counts too. */
	complete(1, 11);
	assert_int_equal(claim(1), 11);
}

static void test_enable_reserved_bits(void **state)
{
	(void)state;
	wr(ENABLE(0, 0), 0xffffffff);
	wr(ENABLE(0, 1), 0xffffffff);
	/* Source 0 and sources 40..63 do not exist. */
	assert_int_equal(rd(ENABLE(0, 0)), 0xfffffffe);
	assert_int_equal(rd(ENABLE(0, 1)), 0xff);
	assert_int_equal(rd(ENABLE(1, 0)), 0);

	vplic_init(&plic, VPLIC_MAX_SOURCES, 1);
	wr(ENABLE(0, 1), 0xffffffff);
	assert_int_equal(rd(ENABLE(0, 1)), 0xffffffff);
	arm(0, 63, 7);
	assert_int_equal(rd(PENDING(1)), 0x80000000);
	assert_int_equal(claim(0), 63);
}

static void test_pending_is_read_only(void **state)
{
	(void)state;
	wr(PENDING(0), 0xffffffff);
	wr(PENDING(1), 0xffffffff);
	assert_int_equal(rd(PENDING(0)), 0);
	assert_int_equal(rd(PENDING(1)), 0);
	vplic_set_level(&plic, 1, true);
	vplic_set_level(&plic, 39, true);
	wr(PENDING(0), 0);
	assert_int_equal(rd(PENDING(0)), BIT(1));
	assert_int_equal(rd(PENDING(1)), BIT(39 - 32));
}

/*
 * Reserved words inside the window (past the sources, contexts or enable
 * words that exist, the spec's reserved gaps) read 0 and ignore writes, as
 * on QEMU's PLIC: an L1 hypervisor that disables one source past its ndev
 * writes the next enable word and must not die of it.
 */
static void test_reserved_words(void **state)
{
	static const uint64_t reserved[] = {
		PRIO(NSRC),    PRIO(1023),	PENDING(2),
		0x1080,	       0x1ffc,		ENABLE(0, 2),
		ENABLE(0, 31), ENABLE(NCTX, 0), ENABLE(15871, 0),
		0x1f2000,      0x1ffffc,	0x200008,
		0x200ffc,      THRESHOLD(NCTX), CLAIM(NCTX),
		CLAIM(15871),  VPLIC_SIZE - 4,
	};

	(void)state;
	arm(0, 1, 1);
	for (size_t i = 0; i < ARRAY_SIZE(reserved); i++) {
		wr(reserved[i], 0xffffffff);
		if (rd(reserved[i]))
			fail_msg("reserved offset 0x%llx kept a write",
				 (unsigned long long)reserved[i]);
	}
	/* Source 0 does not exist: its priority and enable bit stay 0. */
	wr(PRIO(0), 7);
	assert_int_equal(rd(PRIO(0)), 0);
	wr(ENABLE(0, 0), 0xffffffff);
	assert_int_equal(rd(ENABLE(0, 0)), 0xfffffffe);
	wr(ENABLE(0, 0), BIT(1));
	/* Nothing else changed, and the last register of each kind exists. */
	assert_int_equal(rd(PRIO(NSRC - 1)), 0);
	assert_int_equal(rd(ENABLE(NCTX - 1, 1)), 0);
	assert_int_equal(rd(ENABLE(0, 1)), 0);
	assert_int_equal(rd(THRESHOLD(NCTX - 1)), 0);
	assert_int_equal(claim(0), 1);
}

/* At or beyond the window's end there is no PLIC: an access fault. */
static void test_out_of_window(void **state)
{
	static const uint64_t outside[] = {
		VPLIC_SIZE,	UINT64_MAX - 3, VPLIC_SIZE + 4,
		0x100000000ULL, UINT64_MAX,
	};
	uint32_t v;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(outside); i++) {
		v = 0xdeadbeef;
		if (vplic_read(&plic, outside[i], 4, &v) ||
		    vplic_write(&plic, outside[i], 4, 0xffffffff))
			fail_msg("offset 0x%llx accepted",
				 (unsigned long long)outside[i]);
		assert_int_equal(v, 0);
	}
}

/*
 * Any access but an aligned 4-byte one faults (QEMU's PLIC too), in a
 * register or a reserved word, without side effects: no claim, no
 * completion, no register change.
 */
static void test_odd_sizes_and_alignment(void **state)
{
	static const struct {
		uint64_t off;
		unsigned int size;
	} odd[] = {
		{ CLAIM(0), 1 },       { CLAIM(0), 2 },
		{ CLAIM(0), 8 },       { CLAIM(0), 0 },
		{ CLAIM(0) + 1, 1 },   { CLAIM(0) + 2, 4 },
		{ CLAIM(0) + 3, 4 },   { PRIO(1), 1 },
		{ PRIO(1) + 2, 2 },    { ENABLE(0, 0), 8 },
		{ THRESHOLD(0), 3 },   { PENDING(0), 1 },
		{ 0x200009, 1 },       { 0x1080, 8 },
		{ VPLIC_SIZE - 1, 1 }, { VPLIC_SIZE - 2, 4 },
	};
	uint32_t v;

	(void)state;
	arm(0, 1, 1);
	for (size_t i = 0; i < ARRAY_SIZE(odd); i++) {
		v = 0xdeadbeef;
		if (vplic_read(&plic, odd[i].off, odd[i].size, &v) ||
		    vplic_write(&plic, odd[i].off, odd[i].size, 0))
			fail_msg("%u bytes at 0x%llx accepted", odd[i].size,
				 (unsigned long long)odd[i].off);
		assert_int_equal(v, 0);
	}
	assert_int_equal(rd(PRIO(1)), 1);
	assert_int_equal(rd(ENABLE(0, 0)), BIT(1));
	assert_int_equal(claim(0), 1);
	assert_false(vplic_write(&plic, CLAIM(0) + 1, 1, 1));
	assert_false(vplic_write(&plic, CLAIM(0), 2, 1));
	assert_int_equal(rd(PENDING(0)), 0); /* still claimed */
}

static void test_bad_levels_and_contexts(void **state)
{
	(void)state;
	vplic_set_level(&plic, 0, true);
	vplic_set_level(&plic, NSRC, true);
	vplic_set_level(&plic, 63, true);
	vplic_set_level(&plic, 64, true);
	vplic_set_level(&plic, 1000000, true);
	assert_int_equal(rd(PENDING(0)), 0);
	assert_int_equal(rd(PENDING(1)), 0);
	arm(0, 1, 1);
	assert_false(vplic_context_pending(&plic, NCTX));
	assert_false(vplic_context_pending(&plic, 1000000));
}

static void test_init_rejects_bad_sizes(void **state)
{
	(void)state;
	EXPECT_PANIC(vplic_init(&plic, 0, 1));
	EXPECT_PANIC(vplic_init(&plic, VPLIC_MAX_SOURCES + 1, 1));
	EXPECT_PANIC(vplic_init(&plic, 2, 0));
	EXPECT_PANIC(vplic_init(&plic, 2, VPLIC_MAX_CONTEXTS + 1));
	vplic_init(&plic, 1, VPLIC_MAX_CONTEXTS); /* no sources at all */
	assert_int_equal(rd(PRIO(0)), 0);
	wr(PRIO(1), 7); /* reserved: there is no source 1 */
	assert_int_equal(rd(PRIO(1)), 0);
	assert_int_equal(claim(VPLIC_MAX_CONTEXTS - 1), 0);
}

/*
 * Several harts at once: each thread owns one context and one source and
 * runs raise / claim / complete / lower cycles. Any lost update of the
 * shared bitmaps shows up as a wrong claim.
 */
#define HAMMER_THREADS 4
#define HAMMER_ROUNDS 20000

static void *hammer(void *arg)
{
	unsigned int ctx = (unsigned int)(uintptr_t)arg;
	unsigned int src = 1 + ctx;
	uint64_t claim_off = CLAIM(ctx);
	unsigned long bad = 0;
	uint32_t v;

	for (int i = 0; i < HAMMER_ROUNDS; i++) {
		vplic_set_level(&plic, src, true);
		if (!vplic_read(&plic, claim_off, 4, &v) || v != src)
			bad++;
		vplic_set_level(&plic, src, false);
		vplic_write(&plic, claim_off, 4, src);
	}
	return (void *)(uintptr_t)bad;
}

static void test_concurrent_contexts(void **state)
{
	pthread_t t[HAMMER_THREADS];

	(void)state;
	vplic_init(&plic, NSRC, HAMMER_THREADS);
	for (unsigned int c = 0; c < HAMMER_THREADS; c++) {
		wr(PRIO(1 + c), 1);
		wr(ENABLE(c, 0), BIT(1 + c));
	}
	for (unsigned int c = 0; c < HAMMER_THREADS; c++)
		assert_int_equal(pthread_create(&t[c], NULL, hammer,
						(void *)(uintptr_t)c),
				 0);
	for (unsigned int c = 0; c < HAMMER_THREADS; c++) {
		void *bad;

		assert_int_equal(pthread_join(t[c], &bad), 0);
		assert_int_equal((uintptr_t)bad, 0);
	}
	assert_int_equal(rd(PENDING(0)), 0);
	assert_int_equal(plic.claimed[0] | plic.claimed[1], 0);
}

/* The completions owed to the host, as one word (sources below 64). */
static uint64_t hw_done(unsigned int *events)
{
	uint64_t done[VPLIC_WORDS];
	unsigned int ev = vplic_take_hw_done(&plic, done);

	for (unsigned int w = 1; w < VPLIC_WORDS; w++)
		assert_int_equal(done[w], 0);
	if (events)
		*events = ev;
	return done[0];
}

/*
 * A passed-through source, as hostirq.c drives it: the host claim raises
 * the line and holds it; the guest's claim and complete are the only
 * events; the completion drops the line and is handed back once, for the
 * host's completion. Then the host may raise it again: nothing is lost,
 * and nothing repeats while the host holds its claim.
 */
static void test_hw_source_round_trip(void **state)
{
	unsigned int events;

	(void)state;
	vplic_set_hw(&plic, 8);
	arm(0, 8, 1); /* the host claimed it: line high */
	assert_true(vplic_context_pending(&plic, 0));
	assert_int_equal(hw_done(&events), 0);
	assert_int_equal(events, 0);
	assert_int_equal(claim(0), 8);
	assert_false(vplic_context_pending(&plic, 0));
	/* Claimed: the guest handles the device; no second request. */
	assert_int_equal(claim(0), 0);
	assert_int_equal(hw_done(&events), 0);
	assert_int_equal(events, 1);
	complete(0, 8);
	/* The line is the host's again: low, until it forwards another. */
	assert_false(vplic_context_pending(&plic, 0));
	assert_int_equal(rd(PENDING(0)), 0);
	assert_int_equal(hw_done(&events), BIT(8));
	assert_int_equal(events, 1);
	assert_int_equal(hw_done(&events), 0); /* handed back once */
	assert_int_equal(events, 0);
	/* The host's next interrupt of the source. */
	vplic_set_level(&plic, 8, true);
	assert_int_equal(claim(0), 8);
	complete(0, 8);
	assert_int_equal(hw_done(&events), BIT(8));
	assert_int_equal(events, 2);
}

/*
 * A completion the guest makes up is no host completion: not claimed, not
 * enabled for that context, or not a hw source. An emulated source keeps
 * its level semantics beside a hw one.
 */
static void test_hw_bad_completions(void **state)
{
	unsigned int events;

	(void)state;
	vplic_set_hw(&plic, 7);
	vplic_set_hw(&plic, 0);	   /* ignored */
	vplic_set_hw(&plic, NSRC); /* ignored */
	complete(0, 7);		   /* never claimed */
	arm(0, 7, 1);
	arm(0, 10, 2);	/* an emulated source (the UART) */
	complete(1, 7); /* not enabled for context 1 */
	complete(0, 7); /* pending, not claimed */
	assert_int_equal(hw_done(&events), 0);
	assert_int_equal(events, 0);
	assert_int_equal(claim(0), 10);
	complete(0, 10);
	assert_int_equal(hw_done(&events), 0);
	assert_int_equal(events, 0);
	/* Level-triggered, the UART's line is still high: pending again. */
	assert_int_equal(claim(0), 10);
	complete(0, 10);
	vplic_set_level(&plic, 10, false);
	assert_int_equal(claim(0), 7);
	complete(0, 7);
	complete(0, 7); /* twice: the second is no claim's */
	assert_int_equal(hw_done(&events), BIT(7));
	assert_int_equal(events, 2);
}

/* A reboot: the host gets back every source it holds for the guest. */
static void test_hw_release(void **state)
{
	uint64_t held[VPLIC_WORDS];

	(void)state;
	vplic_set_hw(&plic, 3);
	vplic_set_hw(&plic, 4);
	vplic_set_hw(&plic, 5);
	vplic_set_hw(&plic, 6);
	arm(0, 3, 1); /* forwarded, not claimed */
	arm(0, 4, 3); /* claimed by the guest */
	arm(0, 5, 2); /* completed, not yet handed back */
	arm(0, 9, 1); /* emulated: not the host's */
	assert_int_equal(claim(0), 4);
	assert_int_equal(claim(0), 5);
	complete(0, 5);
	vplic_release_hw(&plic, held);
	assert_int_equal(held[0], BIT(3) | BIT(4) | BIT(5));
	assert_int_equal(held[1], 0);
	assert_int_equal(hw_done(NULL), 0);
	assert_int_equal(claim(0), 9); /* hw lines dropped, 9 still high */
	assert_int_equal(claim(0), 0);
	vplic_release_hw(&plic, held);
	assert_int_equal(held[0], 0);
	/* Still hw sources: the host's next interrupt goes round again. */
	vplic_set_level(&plic, 4, true);
	assert_int_equal(claim(0), 4);
	complete(0, 4);
	assert_int_equal(hw_done(NULL), BIT(4));
}

/* Sources above 63: a host PLIC's numbers (QEMU virt has 95). */
static void test_high_sources(void **state)
{
	(void)state;
	vplic_init(&plic, 96, 1);
	wr(PRIO(95), 3);
	assert_int_equal(rd(PRIO(95)), 3);
	wr(ENABLE(0, 2), 0xffffffff);
	assert_int_equal(rd(ENABLE(0, 2)), 0xffffffff);
	assert_int_equal(rd(ENABLE(0, 0)), 0);
	/* No word 3: reserved, so the write is ignored and it reads 0. */
	wr(ENABLE(0, 3), 1);
	assert_int_equal(rd(ENABLE(0, 3)), 0);
	wr(PRIO(64), 2);
	vplic_set_level(&plic, 64, true);
	vplic_set_level(&plic, 95, true);
	assert_int_equal(rd(PENDING(2)), BIT(0) | BIT(31));
	assert_int_equal(claim(0), 95);
	assert_int_equal(claim(0), 64);
	assert_int_equal(claim(0), 0);
	vplic_set_hw(&plic, 95);
	complete(0, 95);
	complete(0, 64);
	assert_int_equal(rd(PENDING(2)), BIT(0)); /* 64 still high; 95 is hw */
	{
		uint64_t done[VPLIC_WORDS];

		vplic_take_hw_done(&plic, done);
		assert_int_equal(done[0], 0);
		assert_int_equal(done[1], BIT(95 - 64));
	}
	vplic_init(&plic, VPLIC_MAX_SOURCES, 1);
	wr(PRIO(127), 1);
	wr(ENABLE(0, 3), BIT(31));
	vplic_set_level(&plic, 127, true);
	vplic_set_level(&plic, 128, true); /* ignored */
	assert_int_equal(claim(0), 127);
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reset_state),
		T(test_priority_warl),
		T(test_claim_by_priority),
		T(test_ties_go_to_lowest_id),
		T(test_threshold),
		T(test_priority_zero_never_interrupts),
		T(test_disabled_source_is_masked),
		T(test_level_repends_after_complete),
		T(test_lowered_line_withdraws_request),
		T(test_bad_completions_ignored),
		T(test_contexts_are_independent),
		T(test_claim_is_global),
		T(test_enable_reserved_bits),
		T(test_pending_is_read_only),
		T(test_reserved_words),
		T(test_out_of_window),
		T(test_odd_sizes_and_alignment),
		T(test_bad_levels_and_contexts),
		T(test_init_rejects_bad_sizes),
		T(test_concurrent_contexts),
		T(test_hw_source_round_trip),
		T(test_hw_bad_completions),
		T(test_hw_release),
		T(test_high_sources),
	};

	return cmocka_run_group_tests_name("vplic", tests, NULL, NULL);
}
