// SPDX-License-Identifier: MIT
/*
 * core/entropy.c: guest seeds come from the host's, and only from it, and
 * one guest's seed tells nothing of another's.
 */
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

/*
 * Known answers of the construction (entropy.c's comment): key =
 * SHA-256("L0 host rng-seed" || host seed); each draw gives SHA-256(key ||
 * 0x01) and replaces the key with SHA-256(key || 0x02). Computed with
 * Python's hashlib, an implementation of its own.
 */
static void test_known_answers(void **state)
{
	static const uint8_t want[2][ENTROPY_SEED_BYTES] = {
		{ 0x28, 0xf7, 0x1e, 0xda, 0xeb, 0x36, 0xa0, 0x03,
		  0x1a, 0xc8, 0xbf, 0xd8, 0x30, 0xe6, 0xed, 0x94,
		  0xe8, 0x8e, 0xc7, 0xf6, 0xf3, 0x29, 0xf0, 0x9d,
		  0xeb, 0x1f, 0xed, 0xee, 0x79, 0x1e, 0xa6, 0xfe },
		{ 0xa8, 0x84, 0xa0, 0x7f, 0x8b, 0xd4, 0x02, 0xbd,
		  0x0f, 0x34, 0x32, 0x52, 0x84, 0x73, 0xb2, 0x6f,
		  0x92, 0x06, 0xc3, 0x34, 0x1b, 0x8e, 0xd8, 0x93,
		  0x57, 0x6f, 0xc8, 0x08, 0xc5, 0x3d, 0x5f, 0x42 },
	};
	uint8_t out[ENTROPY_SEED_BYTES];

	(void)state;
	entropy_init(host_a, sizeof(host_a));
	for (unsigned int i = 0; i < 2; i++) {
		assert_true(entropy_guest_seed(out));
		assert_memory_equal(out, want[i], sizeof(out));
	}
}

/* --- the attack on the old generator: raw xoshiro256** outputs --- */

static uint64_t rotl(uint64_t x, unsigned int k)
{
	return (x << k) | (x >> (64 - k));
}

/* The inverse of an odd number modulo 2^64 (Newton's iteration). */
static uint64_t inverse(uint64_t a)
{
	uint64_t x = a;

	for (int i = 0; i < 6; i++)
		x *= 2 - a * x;
	return x;
}

/* xoshiro256**'s output was rotl(s1 * 5, 7) * 9: it gives s1 back. */
static uint64_t s1_of(uint64_t out)
{
	return rotl(out * inverse(9), 57) * inverse(5);
}

static uint64_t xoshiro_next(uint64_t s[4])
{
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/*
 * One guest's seed as four consecutive xoshiro256** outputs gives s1 at four
 * steps, from which the whole state after the first step follows (the
 * update is xors and shifts); run on, it prints the next guest's seed.
 */
static void predict_next_seed(const uint8_t seed[ENTROPY_SEED_BYTES],
			      uint8_t next[ENTROPY_SEED_BYTES])
{
	uint64_t w[4], a, b, c, d, s[4];

	memcpy(w, seed, sizeof(w));
	a = s1_of(w[0]);
	b = s1_of(w[1]);
	c = s1_of(w[2]);
	d = s1_of(w[3]);
	s[1] = b;
	s[2] = a ^ b ^ (a << 17);
	s[0] = c ^ a ^ (a << 17);
	s[3] = d ^ c ^ s[2] ^ (b << 17) ^ b;
	for (int i = 0; i < 3; i++) /* the rest of this seed */
		xoshiro_next(s);
	for (int i = 0; i < 4; i++)
		w[i] = xoshiro_next(s);
	memcpy(next, w, sizeof(w));
}

/*
 * The review's attack: from guest A's seed, the next guest's. The attack
 * is checked on a xoshiro256** stream of its own first, then it must fail
 * on L0's seeds.
 */
static void test_seed_does_not_predict_next(void **state)
{
	uint64_t s[4] = { 0x0123456789abcdefULL, 0xfedcba9876543210ULL, 42, 7 };
	uint64_t stream[8];
	uint8_t a[ENTROPY_SEED_BYTES], b[ENTROPY_SEED_BYTES];
	uint8_t guess[ENTROPY_SEED_BYTES];

	(void)state;
	for (int i = 0; i < 8; i++)
		stream[i] = xoshiro_next(s);
	predict_next_seed((const uint8_t *)stream, guess);
	assert_memory_equal(guess, &stream[4], sizeof(guess));

	entropy_init(host_a, sizeof(host_a));
	assert_true(entropy_guest_seed(a));
	assert_true(entropy_guest_seed(b));
	predict_next_seed(a, guess);
	assert_memory_not_equal(guess, b, sizeof(b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_host_seed),
		cmocka_unit_test(test_seeds_differ),
		cmocka_unit_test(test_follows_host_seed),
		cmocka_unit_test(test_known_answers),
		cmocka_unit_test(test_seed_does_not_predict_next),
	};

	return cmocka_run_group_tests_name("entropy", tests, NULL, NULL);
}
