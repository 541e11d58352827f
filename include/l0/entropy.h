/* SPDX-License-Identifier: MIT */
/*
 * Seeds for guests' /chosen/rng-seed (core/entropy.c), drawn from the one the
 * host's firmware gave L0. Linux credits rng-seed to its CRNG at boot; without
 * it, a guest's getrandom() blocks until jitter entropy fills the pool (about
 * 6 s for L1 under L0, which L1's QEMU waits for before it starts L2).
 *
 * This passes entropy on, it makes none: with no host seed there are no
 * guest seeds, rather than seeds a guest would wrongly trust.
 */
#ifndef L0_ENTROPY_H
#define L0_ENTROPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENTROPY_SEED_BYTES 32

/* Take the host's seed (`len` bytes, may be 0), which the caller then wipes. */
void entropy_init(const void *seed, size_t len);

/* A fresh guest seed in `out`; false when L0 has no host seed. */
bool entropy_guest_seed(uint8_t out[ENTROPY_SEED_BYTES]);

#endif
