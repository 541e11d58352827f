// SPDX-License-Identifier: MIT
/* core/entropy.c: guest seeds come from the host's, and only from it. */
#include <string.h>

#include <l0/entropy.h>

#include "stubs.h"

static const uint8_t host_a[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
static const uint8_t host_b[32] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, [31] = 1 };

/* Without a host seed there is no guest seed: nothing to trust. */
static void test_no_host_seed(void **state)
{
	uint8_t out[ENTROPY_SEED_BYTES];

	(void)state;
	entropy_init(NULL, 0);
	assert_false(entropy_guest_seed(out));
}

/* Each guest's seed differs from the last, and from the host's bytes. */
static void test_seeds_differ(void **state)
{
	uint8_t a[ENTROPY_SEED_BYTES], b[ENTROPY_SEED_BYTES];
	static const uint8_t zero[ENTROPY_SEED_BYTES];

	(void)state;
	entropy_init(host_a, sizeof(host_a));
	assert_true(entropy_guest_seed(a));
	assert_true(entropy_guest_seed(b));
	assert_memory_not_equal(a, b, sizeof(a));
	assert_memory_not_equal(a, host_a, sizeof(a));
	assert_memory_not_equal(a, zero, sizeof(a));
}

/* The same host seed gives the same sequence; one bit more, another one. */
static void test_follows_host_seed(void **state)
{
	uint8_t a1[ENTROPY_SEED_BYTES], a2[ENTROPY_SEED_BYTES];
	uint8_t b[ENTROPY_SEED_BYTES];

	(void)state;
	entropy_init(host_a, sizeof(host_a));
	assert_true(entropy_guest_seed(a1));
	entropy_init(host_a, sizeof(host_a));
	assert_true(entropy_guest_seed(a2));
	assert_memory_equal(a1, a2, sizeof(a1));
	entropy_init(host_b, sizeof(host_b));
	assert_true(entropy_guest_seed(b));
	assert_memory_not_equal(a1, b, sizeof(a1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_host_seed),
		cmocka_unit_test(test_seeds_differ),
		cmocka_unit_test(test_follows_host_seed),
	};

	return cmocka_run_group_tests_name("entropy", tests, NULL, NULL);
}
