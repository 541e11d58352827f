/* SPDX-License-Identifier: MIT */
/* RISC-V ISA extensions L0 knows by name, as a bitmap per hart. */
#ifndef L0_ISA_H
#define L0_ISA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum isa_ext {
	ISA_I,
	ISA_M,
	ISA_A,
	ISA_F,
	ISA_D,
	ISA_C,
	ISA_V,
	ISA_H,
	ISA_ZICSR,
	ISA_ZIFENCEI,
	ISA_ZICNTR,
	ISA_ZIHPM,
	ISA_ZIHINTPAUSE,
	ISA_ZICBOM,
	ISA_ZICBOZ,
	ISA_ZBA,
	ISA_ZBB,
	ISA_ZBS,
	ISA_SSTC,
	ISA_SVINVAL,
	ISA_SVADU,
	ISA_SVNAPOT,
	ISA_SVPBMT,
	ISA_SSCOFPMF,
	ISA_SMAIA,
	ISA_SSAIA,
	ISA_ZAWRS,
	ISA_EXT_COUNT
};

typedef uint64_t isa_bitmap_t;

#define ISA_BIT(ext) ((isa_bitmap_t)1 << (ext))

static inline bool isa_has(isa_bitmap_t isa, enum isa_ext ext)
{
	return isa & ISA_BIT(ext);
}

/* The extension's canonical lower-case name. */
const char *isa_ext_name(enum isa_ext ext);

/* Look up one extension by name; -1 when L0 does not know it. */
int isa_ext_lookup(const char *name, size_t len);

/*
 * Parse a `riscv,isa` string ("rv64imafdch_zicsr_sstc"). Unknown extensions
 * are skipped. Returns -1 unless it starts with "rv64".
 */
int isa_parse_string(const char *isa, isa_bitmap_t *out);

/* Write the known extensions of `isa` as a space-separated list. */
void isa_format(isa_bitmap_t isa, char *buf, size_t size);

#endif
