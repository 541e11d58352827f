// SPDX-License-Identifier: MIT
/*
 * arch/riscv/vmid.c: a hart's map from L0 VMIDs to hardware VMIDs, run
 * against a model of the hart's TLB. The model tags what a hardware VMID
 * holds with the L0 VMID that last ran under it; only the fence the map
 * asks for (a hardware VMID handed to a new owner) empties it. The property:
 * an address space never runs under a hardware VMID that holds another's
 * entries, whatever VMIDLEN and whatever order the spaces run in.
 */
#include <stdlib.h>
#include <string.h>

#include <arch/vmid.h>
#include <l0/bits.h>

#include "stubs.h"

/* L0's VMIDs today: 8 VMs, then 8 x 8 vCPUs x 5 (nested/nested.c). */
#define L0_NAMES 329

static struct vmid_space space;

/* The TLB model: per hardware VMID, the L0 VMID + 1 whose entries it has. */
static uint16_t tlb_tag[1U << VMID_BITS_MAX];
static unsigned long fences;

/* The hart loads `l0` (hgatp_write) and runs it: check, then tag. */
static unsigned int run(unsigned int l0)
{
	unsigned int hw, again;

	if (vmid_space_get(&space, l0, &hw)) {
		tlb_tag[hw] = 0; /* HFENCE.GVMA + HFENCE.VVMA of hw */
		fences++;
	}
	assert_true(hw < (1U << space.bits));
	if (tlb_tag[hw] && tlb_tag[hw] != l0 + 1)
		fail_msg(
			"L0 VMID %u runs under hardware VMID %u, which holds L0 VMID %u's entries",
			l0, hw, tlb_tag[hw] - 1U);
	tlb_tag[hw] = (uint16_t)(l0 + 1);
	/* The map agrees with itself: l0 has hw, and nobody else has it. */
	assert_true(vmid_space_lookup(&space, l0, &again));
	assert_int_equal(again, hw);
	return hw;
}

static void start(unsigned int bits)
{
	vmid_space_init(&space, bits);
	memset(tlb_tag, 0, sizeof(tlb_tag));
	fences = 0;
}

/* No two L0 VMIDs hold one hardware VMID at once. */
static void check_injective(void)
{
	static uint16_t seen[1U << VMID_BITS_MAX];
	unsigned int hw;

	memset(seen, 0, sizeof(seen));
	for (unsigned int l0 = 0; l0 < VMID_L0_LIMIT; l0++) {
		if (!vmid_space_lookup(&space, l0, &hw))
			continue;
		assert_true(hw < (1U << space.bits));
		if (seen[hw])
			fail_msg("hardware VMID %u held by L0 VMIDs %u and %u",
				 hw, seen[hw] - 1U, l0);
		seen[hw] = (uint16_t)(l0 + 1);
	}
}

/* Random runs of L0 VMIDs, a few hot ones and the whole range. */
static void random_runs(unsigned int bits, unsigned int seed)
{
	start(bits);
	srand(seed);
	for (unsigned int i = 0; i < 200000; i++) {
		unsigned int l0 = rand() % 4 ? 1 + (unsigned int)rand() % 6
					     : (unsigned int)rand() % L0_NAMES;

		run(l0);
		if (i % 1000 == 0)
			check_injective();
	}
	check_injective();
}

static void test_within_vmidlen(void **state)
{
	static const unsigned int widths[] = { 0, 1, 4, 7, 14 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(widths); i++)
		random_runs(widths[i], 1 + (unsigned int)i);
}

/* VMIDLEN 0: one hardware VMID, so every change of space fences. */
static void test_no_vmid_bits(void **state)
{
	(void)state;
	start(0);
	assert_int_equal(run(3), 0);
	assert_int_equal(fences, 1);
	run(3);
	assert_int_equal(fences, 1); /* the same space again: nothing */
	run(7);
	assert_int_equal(fences, 2);
	run(3);
	assert_int_equal(fences, 3);
	assert_false(vmid_space_lookup(&space, 7, &(unsigned int){ 0 }));
}

/* Enough bits for every name: each is fenced once, the first time only. */
static void test_enough_bits(void **state)
{
	(void)state;
	start(9);
	for (unsigned int round = 0; round < 3; round++)
		for (unsigned int l0 = 0; l0 < L0_NAMES; l0++)
			run(l0);
	assert_int_equal(fences, L0_NAMES);
	assert_int_equal(space.assigned, L0_NAMES);
	check_injective();
}

/*
 * Fewer: VMIDLEN 2 has 4 hardware VMIDs. Five spaces in a cycle take each
 * one back from the space that has gone longest without a new one.
 */
static void test_reuse_in_turn(void **state)
{
	unsigned int hw;

	(void)state;
	start(2);
	for (unsigned int l0 = 1; l0 <= 4; l0++)
		assert_int_equal(run(l0), l0 - 1);
	assert_int_equal(fences, 4);
	run(2); /* still its own: no fence */
	assert_int_equal(fences, 4);
	assert_int_equal(run(5), 0); /* taken from L0 VMID 1 */
	assert_int_equal(fences, 5);
	assert_false(vmid_space_lookup(&space, 1, &hw));
	assert_true(vmid_space_lookup(&space, 2, &hw));
	assert_int_equal(hw, 1);
	assert_int_equal(run(1), 1); /* back, from L0 VMID 2 */
	assert_false(vmid_space_lookup(&space, 2, &hw));
	assert_int_equal(fences, 6);
}

/* Names out of range are no one's; VMIDLEN beyond 14 is a bug. */
static void test_bounds(void **state)
{
	unsigned int hw = 12345;

	(void)state;
	start(14);
	assert_false(vmid_space_lookup(&space, 0, &hw));
	assert_false(vmid_space_lookup(&space, VMID_L0_LIMIT, &hw));
	assert_int_equal(hw, 12345);
	EXPECT_PANIC(vmid_space_get(&space, VMID_L0_LIMIT, &hw));
	EXPECT_PANIC(vmid_space_init(&space, VMID_BITS_MAX + 1));
	/* More hardware VMIDs than names: only the names' worth are used. */
	start(14);
	assert_int_equal(space.count, VMID_L0_LIMIT);
	start(3);
	assert_int_equal(space.count, 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_within_vmidlen),
		cmocka_unit_test(test_no_vmid_bits),
		cmocka_unit_test(test_enough_bits),
		cmocka_unit_test(test_reuse_in_turn),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
