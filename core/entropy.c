// SPDX-License-Identifier: MIT
/*
 * Guest seeds from the host's rng-seed (include/l0/entropy.h), by a
 * hash-based generator with fast key erasure:
 *   key  = SHA-256("L0 host rng-seed" || host seed)
 *   seed = SHA-256(key || 0x01), then key = SHA-256(key || 0x02)
 * for each guest seed, in the order guests (and their reboots) ask. The two
 * hashes of one key are independent, so a seed tells nothing of the key, of
 * the host's bytes or of any other seed, before or after it (SHA-256 as a
 * one-way function and PRF); and the key that made a seed is gone once the
 * seed is out, so not even L0's memory gives past seeds back. It passes the
 * host's entropy on and makes none.
 */
#include <string.h>

#include <l0/entropy.h>
#include <l0/sha256.h>
#include <l0/spinlock.h>

_Static_assert(ENTROPY_SEED_BYTES == SHA256_BYTES, "a seed is one digest");

static const char domain[] = "L0 host rng-seed";
static uint8_t key[SHA256_BYTES];
static bool seeded;
static spinlock_t lock;

/* SHA-256(key || tag) into out (which may be the key itself). */
static void hash_key(uint8_t tag, uint8_t out[SHA256_BYTES])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, key, sizeof(key));
	sha256_update(&s, &tag, 1);
	sha256_final(&s, out);
}

void entropy_init(const void *seed, size_t len)
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, domain, sizeof(domain) - 1);
	sha256_update(&s, seed, len);
	sha256_final(&s, key);
	seeded = len > 0;
}

bool entropy_guest_seed(uint8_t out[ENTROPY_SEED_BYTES])
{
	if (!seeded)
		return false;
	spin_lock(&lock);
	hash_key(0x01, out);
	hash_key(0x02, key);
	spin_unlock(&lock);
	return true;
}
