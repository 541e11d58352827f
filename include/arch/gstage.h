/* SPDX-License-Identifier: MIT */
/*
 * G-stage (guest physical -> host physical) page tables: Sv39x4 and Sv48x4,
 * privileged spec section "Two-Stage Address Translation".
 */
#ifndef ARCH_GSTAGE_H
#define ARCH_GSTAGE_H

#include <stdbool.h>
#include <stdint.h>

enum gstage_mode {
	GSTAGE_SV39X4 = 8, /* hgatp.MODE values */
	GSTAGE_SV48X4 = 9,
};

/* Permissions of a guest mapping: PTE R/W/X; U is always set (G-stage). */
#define GSTAGE_R (1u << 0)
#define GSTAGE_W (1u << 1)
#define GSTAGE_X (1u << 2)
#define GSTAGE_RWX (GSTAGE_R | GSTAGE_W | GSTAGE_X)

struct gstage {
	uint64_t *root; /* 16 KiB, 16 KiB aligned */
	enum gstage_mode mode;
	uint16_t vmid;
};

/* Largest guest physical address + 1 that `mode` translates. */
uint64_t gstage_gpa_limit(enum gstage_mode mode);

/* Allocate an empty table. Returns 0, or -1 when memory runs out. */
int gstage_init(struct gstage *g, enum gstage_mode mode, uint16_t vmid);

/*
 * Map [gpa, gpa + size) to [hpa, ...) with `prot`, using 1 GiB / 2 MiB pages
 * where both addresses and the size allow. All three must be 4 KiB aligned
 * and within gstage_gpa_limit(). Returns 0 or -1.
 */
int gstage_map(struct gstage *g, uint64_t gpa, uint64_t hpa, uint64_t size,
	       unsigned int prot);

/* Remove mappings in [gpa, gpa + size), splitting huge pages as needed. */
int gstage_unmap(struct gstage *g, uint64_t gpa, uint64_t size);

/*
 * Walk the table as hardware would. Returns true with the host address and
 * permissions of `gpa`, false when it is unmapped.
 */
bool gstage_translate(const struct gstage *g, uint64_t gpa, uint64_t *hpa,
		      unsigned int *prot);

/* Free every table page. */
void gstage_destroy(struct gstage *g);

/* The hgatp value that selects this table. */
uint64_t gstage_hgatp(const struct gstage *g);

#endif
