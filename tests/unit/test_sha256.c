// SPDX-License-Identifier: MIT
/*
 * core/sha256.c: the digests of FIPS 180-2's examples (appendix B) and of
 * the empty message; a message fed in pieces of every size gives the digest
 * of the whole. The expected digests were computed with Python's hashlib.
 */
#include <stdio.h>
#include <string.h>

#include <l0/sha256.h>

#include "stubs.h"

/* The 64 hex digits of a digest. */
static void hex(const uint8_t d[SHA256_BYTES], char out[2 * SHA256_BYTES + 1])
{
	for (int i = 0; i < SHA256_BYTES; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void check_digest(const void *msg, size_t len, const char *want)
{
	struct sha256 s;
	uint8_t d[SHA256_BYTES];
	char got[2 * SHA256_BYTES + 1];

	sha256_init(&s);
	sha256_update(&s, msg, len);
	sha256_final(&s, d);
	hex(d, got);
	assert_string_equal(got, want);
}

static void test_fips_examples(void **state)
{
	(void)state;
	check_digest("", 0,
		     "e3b0c44298fc1c149afbf4c8996fb924"
		     "27ae41e4649b934ca495991b7852b855");
	check_digest("abc", 3,
		     "ba7816bf8f01cfea414140de5dae2223"
		     "b00361a396177a9cb410ff61f20015ad");
	/* 448 bits: the length no longer fits in the first block. */
	check_digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		     56,
		     "248d6a61d20638b8e5c026930c3e6039"
		     "a33ce45964ff2167f6ecedd419db06c1");
	check_digest("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
		     "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		     112,
		     "cf5b16a778af8380036ce59e7b049237"
		     "0b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a's, in updates of 1000. */
static void test_million_a(void **state)
{
	struct sha256 s;
	char a[1000], got[2 * SHA256_BYTES + 1];
	uint8_t d[SHA256_BYTES];

	(void)state;
	memset(a, 'a', sizeof(a));
	sha256_init(&s);
	for (int i = 0; i < 1000; i++)
		sha256_update(&s, a, sizeof(a));
	sha256_final(&s, d);
	hex(d, got);
	assert_string_equal(got, "cdc76e5c9914fb9281a1c7e284d73e67"
				 "f1809a48a497200e046d39ccc7112cd0");
}

/* 512 bytes (0..255 twice) cut into pieces of n bytes, for every n. */
static void test_pieces(void **state)
{
	uint8_t msg[512], d[SHA256_BYTES];
	char got[2 * SHA256_BYTES + 1];
	struct sha256 s;

	(void)state;
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	for (size_t n = 1; n <= sizeof(msg); n++) {
		sha256_init(&s);
		for (size_t off = 0; off < sizeof(msg); off += n)
			sha256_update(
				&s, msg + off,
				n < sizeof(msg) - off ? n : sizeof(msg) - off);
		sha256_final(&s, d);
		hex(d, got);
		assert_string_equal(got, "110009dcee21620b166f3abfecb5eff7"
					 "a873be729d1c2d53822e7acc5f34eb9b");
	}
}

/* The final wipes the state: it held the message. */
static void test_final_wipes(void **state)
{
	static const struct sha256 zero;
	uint8_t d[SHA256_BYTES];
	struct sha256 s;

	(void)state;
	sha256_init(&s);
	sha256_update(&s, "secret", 6);
	sha256_final(&s, d);
	assert_memory_equal(&s, &zero, sizeof(s));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fips_examples),
		cmocka_unit_test(test_million_a),
		cmocka_unit_test(test_pieces),
		cmocka_unit_test(test_final_wipes),
	};

	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
