/* SPDX-License-Identifier: MIT */
/*
 * SHA-256 (FIPS 180-4, section 6.2), for the guests' rng-seeds
 * (core/entropy.c). Streaming: init, any number of updates, final.
 */
#ifndef L0_SHA256_H
#define L0_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_BYTES 32
#define SHA256_BLOCK 64

struct sha256 {
	uint32_t h[8];		     /* the hash value H */
	uint8_t block[SHA256_BLOCK]; /* the message block being filled */
	uint64_t bytes;		     /* message length so far */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* The digest of all the updates; `s` is wiped (it held the message). */
void sha256_final(struct sha256 *s, uint8_t out[SHA256_BYTES]);

#endif
