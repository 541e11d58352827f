/* SPDX-License-Identifier: MIT */
/*
 * nested/ internal: the virtual H-extension CSRs of one L1 vCPU (virtual
 * HS-mode), and the table that says how each one reads and writes
 * (nested/csr.c). RISC-V privileged spec, chapter "Hypervisor Extension".
 * Nothing outside nested/ includes this file.
 */
#ifndef NESTED_CSR_H
#define NESTED_CSR_H

#include <stdbool.h>
#include <stdint.h>

/* What L0 lets L1 have; the WARL rules depend on it. */
struct nested_features {
	bool sstc;		/* vstimecmp exists, henvcfg.STCE is writable */
	bool svinval;		/* HINVAL.* are legal */
	bool nacl;		/* SBI NACL offered (no nested-nacl-off) */
	unsigned int vmid_bits; /* hgatp.VMID width L0 gives L1 (0..14) */
	uint64_t hgatp_modes;	/* bit per supported hgatp.MODE (Bare always) */
	uint64_t vsatp_modes;	/* bit per supported vsatp.MODE (Bare always):
				 * the hart's own satp modes, as L2's satp is
				 * the real vsatp */
};

/*
 * L1's virtual h* and vs* CSRs, as L1 sees them. While L1 itself runs,
 * its vs* values live here; while L2 runs, they are on the hart (L0 swaps
 * them at the nested switch) and these are refreshed at the exit.
 *
 * Fields that are not plain storage (nested_csr_read() derives the CSR):
 * - hip holds the inputs from outside the CSRs, set by the caller:
 *   VSTIP = the Sstc condition (time + htimedelta >= vstimecmp, unsigned;
 *   counted only with f->sstc and henvcfg.STCE = 1), VSEIP = any other
 *   VS-level external interrupt signal directed at L1. Its VSSIP is unused:
 *   hip.VSSIP is hvip.VSSIP. hip reads as hvip OR these inputs.
 * - vsip and vsie are unused (kept zero): they are aliases of hip/hie's VS
 *   bits, shifted down by one, for the bits hideleg delegates.
 * L0 may set the trap fields (hstatus.GVA/SPV/SPVP, vs* on an injected
 * trap) directly; a read masks every field with its legal bits.
 */
struct nested_csrs {
	uint64_t hstatus, hedeleg, hideleg, hie, hip, hvip, hcounteren;
	uint64_t hgeie, hgeip, htval, htinst, hgatp, henvcfg, htimedelta;
	uint64_t vsstatus, vsie, vsip, vstvec, vsscratch, vsepc, vscause;
	uint64_t vstval, vsatp, vstimecmp;
};

/* CSR numbers of the H extension (privileged spec, CSR listing). */
enum {
	CSR_H_HSTATUS = 0x600,
	CSR_H_HEDELEG = 0x602,
	CSR_H_HIDELEG = 0x603,
	CSR_H_HIE = 0x604,
	CSR_H_HTIMEDELTA = 0x605,
	CSR_H_HCOUNTEREN = 0x606,
	CSR_H_HGEIE = 0x607,
	CSR_H_HENVCFG = 0x60a,
	CSR_H_HTVAL = 0x643,
	CSR_H_HIP = 0x644,
	CSR_H_HVIP = 0x645,
	CSR_H_HTINST = 0x64a,
	CSR_H_HGATP = 0x680,
	CSR_H_HGEIP = 0xe12,
	CSR_H_VSSTATUS = 0x200,
	CSR_H_VSIE = 0x204,
	CSR_H_VSTVEC = 0x205,
	CSR_H_VSSCRATCH = 0x240,
	CSR_H_VSEPC = 0x241,
	CSR_H_VSCAUSE = 0x242,
	CSR_H_VSTVAL = 0x243,
	CSR_H_VSIP = 0x244,
	CSR_H_VSTIMECMP = 0x24d,
	CSR_H_VSATP = 0x280,
};

/*
 * The table's entries (nested/csr.c) by name, in its order: entry i is
 * the i-th name, CSR_H_<name> its CSR. Code that must be spelled out for
 * each CSR (the NACL CSR space's slots) is built from it.
 */
/* clang-format off */
#define NESTED_CSR_TABLE(X)                                                 \
	X(HSTATUS) X(HEDELEG) X(HIDELEG) X(HIE) X(HTIMEDELTA) X(HCOUNTEREN) \
	X(HGEIE) X(HENVCFG) X(HTVAL) X(HVIP) X(HIP) X(HTINST) X(HGATP)      \
	X(HGEIP) X(VSSTATUS) X(VSIE) X(VSTVEC) X(VSSCRATCH) X(VSEPC)        \
	X(VSCAUSE) X(VSTVAL) X(VSIP) X(VSTIMECMP) X(VSATP)
/* clang-format on */

/* The table's entries: NESTED_ENTRY_HSTATUS is 0, and so on. */
#define NESTED_CSR_ENTRY_NAME(name) NESTED_ENTRY_##name,
enum { NESTED_CSR_TABLE(NESTED_CSR_ENTRY_NAME) NESTED_CSR_ENTRIES };
#undef NESTED_CSR_ENTRY_NAME

enum nested_csr_result {
	NESTED_CSR_OK,
	NESTED_CSR_ILLEGAL,   /* not a CSR L1 has: illegal instruction */
	NESTED_CSR_READ_ONLY, /* a write to a read-only CSR: illegal too */
};

/* Reset values, as at L1's reset (all zero except what the spec fixes). */
void nested_csr_reset(struct nested_csrs *c, const struct nested_features *f);

/* Whether `csr` is one of the table's (an H-extension CSR L1 has). */
bool nested_csr_known(unsigned int csr, const struct nested_features *f);

/* The CSR's name ("hstatus"), or NULL when it is not in the table. */
const char *nested_csr_name(unsigned int csr);

/* The table's size, and the CSR number of its entry `i` (tests, dumps). */
unsigned int nested_csr_count(void);
unsigned int nested_csr_number(unsigned int i);

/* At least the table's size: a bit per entry fits in a uint32_t. */
#define NESTED_CSR_MAX 32

/*
 * The table entry of `csr` if L1 has it, else -1. The entries are in
 * dependency order (a CSR before those derived from it): writing several
 * CSRs in the order of their entries writes them as that order says.
 */
int nested_csr_entry(unsigned int csr, const struct nested_features *f);

/* Every table entry: NESTED_CSR_MAX bits, more than there are entries. */
#define NESTED_CSR_ALL (~0U)

/*
 * The CSRs of the table entries in `entries` (a bit per entry) that L1
 * has, as nested_csr_read() reads them, stored into an array of words
 * (SBI NACL's CSR space): entry e's value into words[slot[e]].
 */
void nested_csr_store_set(const struct nested_csrs *c,
			  const struct nested_features *f, uint32_t entries,
			  uint64_t *words,
			  const uint16_t slot[NESTED_CSR_ENTRIES]);

/* Read `csr` as L1 would see it. */
enum nested_csr_result nested_csr_read(const struct nested_csrs *c,
				       const struct nested_features *f,
				       unsigned int csr, uint64_t *val);

/*
 * Write `val` to `csr`, legalized as the spec's WARL rules say (read-only
 * and read-as-zero bits kept; an unsupported hgatp.MODE keeps the old
 * MODE while VMID and PPN are written, as the spec says hgatp is "not
 * ignored as it is for satp"; an unsupported vsatp.MODE ignores the whole
 * write, as satp does). `csr` operations (CSRRS/CSRRC) are the caller's:
 * it reads, modifies and writes, and does not write at all when the
 * instruction does not (CSRRS/CSRRC with rs1 = x0, CSRRSI/CSRRCI with
 * uimm = 0), so that reading hgeip that way is legal.
 */
enum nested_csr_result nested_csr_write(struct nested_csrs *c,
					const struct nested_features *f,
					unsigned int csr, uint64_t val);

/*
 * vsie, which is hie's bits that hideleg delegates, shifted down by one:
 * its read and its write (nested_csr_read() and nested_csr_write() of
 * CSR_H_VSIE), for the nested switch, which moves it at every entry and
 * exit of L2.
 */
uint64_t nested_csr_vsie(const struct nested_csrs *c);
void nested_csr_set_vsie(struct nested_csrs *c, uint64_t val);

/* The table entries of the CSRs L1 has (a bit per entry). */
uint32_t nested_csr_entries(const struct nested_features *f);

/* nested_csr_write() of table entry `e`, which L1 has: no look-up. */
enum nested_csr_result nested_csr_write_entry(struct nested_csrs *c,
					      const struct nested_features *f,
					      unsigned int e, uint64_t val);

/*
 * CSRRW of hstatus: the old value read, `val` written as
 * nested_csr_write() writes it (SBI NACL's autoswap, at every switch both
 * ways).
 */
uint64_t nested_csr_swap_hstatus(struct nested_csrs *c,
				 const struct nested_features *f, uint64_t val);

/* What a CSR instruction does with the value it read (funct3's low bits). */
enum nested_csr_op {
	NESTED_CSR_READ,  /* CSRRS/CSRRC with nothing to set or clear */
	NESTED_CSR_WRITE, /* CSRRW: the argument */
	NESTED_CSR_SET,	  /* CSRRS: old | argument */
	NESTED_CSR_CLEAR, /* CSRRC: old & ~argument */
};

struct nested_csr_rmw {
	enum nested_csr_result result;
	uint64_t old; /* the value read */
};

/*
 * A CSR instruction on `csr` with one lookup: the value read, and unless
 * `op` is NESTED_CSR_READ the new value written as nested_csr_write()
 * writes it. CSRRW with rd = x0 still reads here: the read has no side
 * effect on these CSRs. Returned by value (in two registers): no local
 * whose address is taken on L1's hottest path.
 */
struct nested_csr_rmw nested_csr_rmw(struct nested_csrs *c,
				     const struct nested_features *f,
				     unsigned int csr, enum nested_csr_op op,
				     uint64_t arg);

#endif
