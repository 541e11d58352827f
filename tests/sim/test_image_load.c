// SPDX-License-Identifier: MIT
/*
 * A VM's images are copied into its RAM a 2 MiB chunk at a time, at the
 * chunk's first touch (core/vm_ram.c), not when the VM is made: the guest
 * starts without waiting for the copy. What it reads must be the image
 * all the same, zeroes after it, and again the image after a reboot.
 */
#include <string.h>

#include <arch/sbi.h>

#include "sim.h"
#include "stubs.h"

#define CHUNK (2UL << 20)

static bool chunk_filled(const struct vm *vm, uint64_t gpa)
{
	uint64_t c = (gpa - vm->ram_gpa) / CHUNK;

	return vm->ram_ready[c / 64] & (1ULL << (c % 64));
}

static void check_image(struct vm *vm, uint64_t kernel)
{
	const uint8_t *p = vm_ram_ptr(vm, kernel, SIM_IMAGE_SIZE + 64);

	assert_non_null(p);
	for (size_t i = 0; i < SIM_IMAGE_SIZE; i++)
		if (p[i] != sim_image_byte(i))
			fail_msg("image byte %zu: 0x%x, want 0x%x", i, p[i],
				 sim_image_byte(i));
	for (size_t i = SIM_IMAGE_SIZE; i < SIM_IMAGE_SIZE + 64; i++)
		if (p[i])
			fail_msg("byte %zu past the image is 0x%x", i, p[i]);
}

static void image_copied_at_first_touch(void **state)
{
	struct vm_config c = sim_vm_config("i", 1, 1, false);
	struct vm *vm;
	uint64_t kernel;
	uint8_t *p;

	(void)state;
	sim_init(1, true);
	assert_int_equal(sim_boot(&c, 1), 1);
	vm = vm_by_index(0);
	kernel = vm->ram_gpa + GUEST_KERNEL_OFFSET;
	/* Made and running, its kernel's chunk not yet filled. */
	assert_non_null(sim_current(0));
	assert_false(chunk_filled(vm, kernel));
	/* The guest's first touch fills it: the image, zeroes after it. */
	assert_true(sim_access(0, kernel, 3, NULL));
	assert_true(chunk_filled(vm, kernel));
	check_image(vm, kernel);

	/* The guest writes over it; a reboot brings the image back. */
	p = vm_ram_ptr(vm, kernel, SIM_IMAGE_SIZE);
	memset(p, 0, SIM_IMAGE_SIZE);
	memset(p + SIM_IMAGE_SIZE, 0xee, 64);
	sim_sbi(0, SBI_EXT_SRST, 0, 1, 0, 0, NULL);
	sim_deliver();
	assert_ptr_equal(sim_current(0), &vm->vcpus[0]);
	assert_false(chunk_filled(vm, kernel));
	check_image(vm, kernel);
	if (sim_violations)
		fail_msg("%s", sim_violation_msg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(image_copied_at_first_touch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
