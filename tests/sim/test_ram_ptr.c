// SPDX-License-Identifier: MIT
/*
 * vm_ram_ptr() answers a range inside one 2 MiB chunk already filled
 * inline, and asks its full path (vm_ram_ptr_fill()) everything else: the
 * answer must be the same either way, for every range, in RAM or not, and
 * a chunk not yet filled must be filled before its address is given out.
 */
#include <string.h>

#include "sim.h"
#include "stubs.h"

#define CHUNK (2UL << 20)

static bool chunk_filled(const struct vm *vm, uint64_t chunk)
{
	return vm->ram_ready[chunk / 64] & (1ULL << (chunk % 64));
}

/* The chunks filled so far, a bit each (the sim's VM has 8 MiB). */
static uint64_t filled(const struct vm *vm)
{
	uint64_t bits = 0;

	for (uint64_t c = 0; c < vm->ram_size / CHUNK; c++)
		bits |= chunk_filled(vm, c) ? 1ULL << c : 0;
	return bits;
}

/* The chunks [gpa, gpa + len) covers in RAM, a bit each. */
static uint64_t chunks_of(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t off = gpa - vm->ram_gpa, bits = 0;

	for (uint64_t c = off / CHUNK; len && c <= (off + len - 1) / CHUNK; c++)
		bits |= 1ULL << c;
	return bits;
}

/*
 * Ask for [gpa, gpa + len) twice: the first time maybe filling, the second
 * from a filled chunk where the range lies in one. Both answers must be
 * the RAM's host address (NULL outside it), the range's chunks filled
 * after the first and nothing else.
 */
static void expect_range(struct vm *vm, uint64_t gpa, uint64_t len)
{
	bool ram = vm_ram_contains(vm, gpa, len);
	uint8_t *want =
		ram ? (uint8_t *)(uintptr_t)(vm->ram_hpa + (gpa - vm->ram_gpa))
		    : NULL;
	uint64_t before = filled(vm);

	for (int i = 0; i < 2; i++) {
		if (vm_ram_ptr(vm, gpa, len) != want)
			fail_msg("gpa 0x%llx len 0x%llx: not %p (try %d)",
				 (unsigned long long)gpa,
				 (unsigned long long)len, want, i);
		assert_int_equal(filled(vm),
				 before | (ram ? chunks_of(vm, gpa, len) : 0));
	}
}

static void same_answer_either_way(void **state)
{
	struct vm_config c = sim_vm_config("r", 1, 1, false);
	uint64_t base, end;
	const uint8_t *p;
	struct vm *vm;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	base = vm->ram_gpa;
	end = base + vm->ram_size;
	assert_int_equal(vm->ram_size, 4 * CHUNK);

	/* Chunk 2, never touched: filled (with zeroes) before the answer. */
	assert_false(chunk_filled(vm, 2));
	p = vm_ram_ptr(vm, base + 2 * CHUNK + 0x1230, 16);
	assert_true(chunk_filled(vm, 2));
	for (int i = 0; i < 16; i++)
		assert_int_equal(p[i], 0);
	expect_range(vm, base + 2 * CHUNK + 0x1230, 16);
	/* Into chunk 3 from the filled chunk 2: chunk 3 too. */
	expect_range(vm, base + 3 * CHUNK - 8, 16);
	/* A whole chunk, its last byte, the last byte of RAM. */
	expect_range(vm, base + CHUNK, CHUNK);
	expect_range(vm, base + 2 * CHUNK - 1, 1);
	expect_range(vm, end - 1, 1);
	expect_range(vm, end - 8, 8);
	/* All of RAM, and one byte more. */
	expect_range(vm, base, vm->ram_size);
	expect_range(vm, base, vm->ram_size + 1);
	/* Past its end, across it, before it, across its start. */
	expect_range(vm, end, 8);
	expect_range(vm, end - 4, 8);
	expect_range(vm, base - 8, 8);
	expect_range(vm, base - 4, 8);
	/* A device's address; a range whose end wraps past 2^64. */
	expect_range(vm, 0x10000000, 8);
	expect_range(vm, base + 16, ~0ULL);
	expect_range(vm, ~0ULL - 3, 8);
	/* Nothing at all, in RAM and out of it. */
	expect_range(vm, base + 16, 0);
	expect_range(vm, end + CHUNK, 0);
	if (sim_violations)
		fail_msg("%s", sim_violation_msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_answer_either_way),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
