// SPDX-License-Identifier: MIT
/*
 * Guest seeds from the host's rng-seed (include/l0/entropy.h). The host's
 * bytes are folded into a 256-bit state; each guest seed is four outputs of
 * xoshiro256** on it, so no two guests (or two boots of one guest) get the
 * same seed, and none reveals the host's. It is a conduit, not a CSPRNG: a
 * guest's kernel mixes the seed into its own pool.
 */
#include <string.h>

#include <l0/entropy.h>
#include <l0/spinlock.h>

static uint64_t state[4];
static bool seeded;
static spinlock_t lock;

static uint64_t rotl(uint64_t x, unsigned int k)
{
	return (x << k) | (x >> (64 - k));
}

/* SplitMix64: spreads the host's bytes over the whole state. */
static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t xoshiro256ss(void)
{
	uint64_t out = rotl(state[1] * 5, 7) * 9, t = state[1] << 17;

	state[2] ^= state[0];
	state[3] ^= state[1];
	state[1] ^= state[2];
	state[0] ^= state[3];
	state[2] ^= t;
	state[3] = rotl(state[3], 45);
	return out;
}

void entropy_init(const void *seed, size_t len)
{
	const uint8_t *b = seed;
	uint64_t x = 0;

	memset(state, 0, sizeof(state));
	seeded = len > 0;
	for (size_t i = 0; i < len; i++) {
		x = (x << 8) | b[i];
		if (i % 8 == 7 || i == len - 1)
			state[(i / 8) % 4] ^= splitmix64(&x);
	}
	for (unsigned int i = 0; i < 4; i++)
		state[i] ^= splitmix64(&x);
}

bool entropy_guest_seed(uint8_t out[ENTROPY_SEED_BYTES])
{
	uint64_t w[ENTROPY_SEED_BYTES / 8];

	if (!seeded)
		return false;
	spin_lock(&lock);
	for (size_t i = 0; i < ENTROPY_SEED_BYTES / 8; i++)
		w[i] = xoshiro256ss();
	spin_unlock(&lock);
	memcpy(out, w, sizeof(w));
	return true;
}
