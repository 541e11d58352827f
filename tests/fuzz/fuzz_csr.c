// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: nested/csr.c, the table of L1's virtual H-extension
 * CSRs and their WARL rules. The input picks the features L0 gives L1
 * (Sstc, VMID bits, hgatp and vsatp modes), then a stream of CSR writes
 * (any number, any value), changes of the interrupt inputs hip holds, and
 * reads.
 *
 * Oracles (privileged spec, "Hypervisor Extension"; nested/csr.c's
 * choices): a CSR reads if and only if the table has it, and only hgeip
 * refuses a write; after every write, each CSR still reads a legal value
 * (hstatus.VSXL and vsstatus.UXL 64-bit, SD as FS says, hgatp.MODE Bare or
 * offered with no more VMID bits than offered and PPN[1:0] 0, vsatp.MODE
 * Bare or offered, the VS interrupt bits only, vsip and vsie only where
 * hideleg delegates, hgeie and hgeip 0); a write changes no CSR but itself
 * and its aliases; and writing back what a CSR reads changes nothing (a
 * legal value is kept as it is).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../../nested/csr.h"
#include "fuzz.h"

#define MAX_OPS 64
#define NCSR 24 /* the CSRs of nested/csr.h */

#define VSSI (1ULL << 2)
#define VSTI (1ULL << 6)
#define VSEI (1ULL << 10)
#define VS_IRQS (VSSI | VSTI | VSEI)

static const unsigned int csrs[NCSR] = {
	CSR_H_HSTATUS,	  CSR_H_HEDELEG,    CSR_H_HIDELEG,   CSR_H_HIE,
	CSR_H_HTIMEDELTA, CSR_H_HCOUNTEREN, CSR_H_HGEIE,     CSR_H_HENVCFG,
	CSR_H_HTVAL,	  CSR_H_HIP,	    CSR_H_HVIP,	     CSR_H_HTINST,
	CSR_H_HGATP,	  CSR_H_HGEIP,	    CSR_H_VSSTATUS,  CSR_H_VSIE,
	CSR_H_VSTVEC,	  CSR_H_VSSCRATCH,  CSR_H_VSEPC,     CSR_H_VSCAUSE,
	CSR_H_VSTVAL,	  CSR_H_VSIP,	    CSR_H_VSTIMECMP, CSR_H_VSATP,
};

/*
 * The other CSRs a write to `csr` may change (the spec's aliases): hip's
 * VSSIP is hvip's, vsip and vsie are hip and hie where hideleg delegates,
 * and hip's VSTIP counts only with henvcfg.STCE.
 */
static bool may_change(unsigned int written, unsigned int csr)
{
	static const unsigned int alias[][3] = {
		{ CSR_H_HVIP, CSR_H_HIP, CSR_H_VSIP },
		{ CSR_H_HIP, CSR_H_HVIP, CSR_H_VSIP },
		{ CSR_H_VSIP, CSR_H_HIP, CSR_H_HVIP },
		{ CSR_H_HIE, CSR_H_VSIE, CSR_H_VSIE },
		{ CSR_H_VSIE, CSR_H_HIE, CSR_H_HIE },
		{ CSR_H_HIDELEG, CSR_H_VSIE, CSR_H_VSIP },
		{ CSR_H_HENVCFG, CSR_H_HIP, CSR_H_VSIP },
	};

	if (written == csr)
		return true;
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (alias[i][0] == written &&
		    (alias[i][1] == csr || alias[i][2] == csr))
			return true;
	return false;
}

static bool has(const struct nested_features *f, unsigned int csr)
{
	return csr != CSR_H_VSTIMECMP || f->sstc;
}

/* Every CSR as it reads now (0 for those L1 does not have). */
static void read_all(const struct nested_csrs *c,
		     const struct nested_features *f, uint64_t v[NCSR])
{
	for (unsigned int i = 0; i < NCSR; i++) {
		enum nested_csr_result r;

		v[i] = 0;
		r = nested_csr_read(c, f, csrs[i], &v[i]);
		CHECK((r == NESTED_CSR_OK) == has(f, csrs[i]),
		      "csr 0x%x: read %d", csrs[i], r);
		CHECK(nested_csr_known(csrs[i], f) == has(f, csrs[i]),
		      "csr 0x%x: known", csrs[i]);
		CHECK(nested_csr_name(csrs[i]) != NULL, "csr 0x%x: no name",
		      csrs[i]);
	}
}

static bool atp_mode_ok(uint64_t modes, uint64_t v)
{
	uint64_t mode = v >> 60;

	return mode == 0 || (modes >> mode) & 1;
}

/* The legal values of each CSR (nested/csr.c's WARL choices). */
static void check_legal(const struct nested_features *f, const uint64_t v[NCSR])
{
	unsigned int vmid = f->vmid_bits < 14 ? f->vmid_bits : 14;
	uint64_t fs;

	for (unsigned int i = 0; i < NCSR; i++) {
		uint64_t x = v[i];

		switch (csrs[i]) {
		case CSR_H_HSTATUS:
			CHECK(((x >> 32) & 3) == 2, "hstatus.VSXL");
			CHECK(!(x & (1ULL << 5)) && !((x >> 12) & 0x3f),
			      "hstatus: VSBE or VGEIN set");
			break;
		case CSR_H_VSSTATUS:
			fs = (x >> 13) & 3;
			CHECK(((x >> 32) & 3) == 2, "vsstatus.UXL");
			CHECK(!((x >> 9) & 3) && !((x >> 15) & 3),
			      "vsstatus: VS or XS set");
			CHECK(!(x >> 63) == (fs != 3), "vsstatus.SD");
			break;
		case CSR_H_HGATP:
			CHECK(atp_mode_ok(f->hgatp_modes, x), "hgatp.MODE");
			CHECK(!((x >> 44) & 0x3fff & ~((1ULL << vmid) - 1)),
			      "hgatp.VMID");
			CHECK(!(x & 3), "hgatp.PPN[1:0]");
			CHECK(!((x >> 58) & 3), "hgatp bits 59:58");
			break;
		case CSR_H_VSATP:
			CHECK(atp_mode_ok(f->vsatp_modes, x), "vsatp.MODE");
			break;
		case CSR_H_HIDELEG:
		case CSR_H_HIE:
		case CSR_H_HVIP:
		case CSR_H_HIP:
			CHECK(!(x & ~VS_IRQS), "csr 0x%x: a non-VS interrupt",
			      csrs[i]);
			break;
		case CSR_H_VSIE:
		case CSR_H_VSIP:
			CHECK(!(x & ~(v[2] >> 1)), "csr 0x%x: not delegated",
			      csrs[i]);
			break;
		case CSR_H_HGEIE:
		case CSR_H_HGEIP:
			CHECK(!x, "csr 0x%x: GEILEN is 0", csrs[i]);
			break;
		default:
			break;
		}
	}
}

/* Write `val` to CSR `csr` and check what it did to every CSR. */
static void write_one(struct nested_csrs *c, const struct nested_features *f,
		      unsigned int csr, uint64_t val)
{
	uint64_t before[NCSR], after[NCSR];
	enum nested_csr_result r;

	read_all(c, f, before);
	r = nested_csr_write(c, f, csr, val);
	read_all(c, f, after);
	if (!nested_csr_known(csr, f)) {
		CHECK(r == NESTED_CSR_ILLEGAL, "csr 0x%x: written", csr);
		CHECK(!memcmp(before, after, sizeof(before)),
		      "csr 0x%x: an illegal write changed a CSR", csr);
		return;
	}
	CHECK(r == (csr == CSR_H_HGEIP ? NESTED_CSR_READ_ONLY : NESTED_CSR_OK),
	      "csr 0x%x: write %d", csr, r);
	check_legal(f, after);
	for (unsigned int i = 0; i < NCSR; i++)
		CHECK(before[i] == after[i] || may_change(csr, csrs[i]),
		      "a write of 0x%x changed 0x%x", csr, csrs[i]);
}

/* Writing back what each CSR reads changes nothing. */
static void write_back_all(struct nested_csrs *c,
			   const struct nested_features *f)
{
	uint64_t before[NCSR], after[NCSR];

	read_all(c, f, before);
	for (unsigned int i = 0; i < NCSR; i++)
		if (has(f, csrs[i]) && csrs[i] != CSR_H_HGEIP)
			nested_csr_write(c, f, csrs[i], before[i]);
	read_all(c, f, after);
	for (unsigned int i = 0; i < NCSR; i++)
		CHECK(before[i] == after[i],
		      "csr 0x%x: 0x%llx written back reads 0x%llx", csrs[i],
		      (unsigned long long)before[i],
		      (unsigned long long)after[i]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	uint64_t v[NCSR];
	struct nested_features f = {
		.sstc = get(&in, 1) & 1,
		.svinval = get(&in, 1) & 1,
		.vmid_bits = (unsigned int)get(&in, 1) % 16,
		/* Bare, and Sv39x4/Sv48x4 (or Sv39/Sv48) or any of them. */
		.hgatp_modes = 1 | ((get(&in, 2) & 0x0300) ?: 0x0300),
		.vsatp_modes = 1 | ((get(&in, 2) & 0x0700) ?: 0x0300),
	};
	struct nested_csrs c;

	nested_csr_reset(&c, &f);
	read_all(&c, &f, v);
	check_legal(&f, v);
	for (unsigned int i = 0; i < MAX_OPS && in.n; i++) {
		unsigned int op = (unsigned int)get(&in, 1);

		if (op < 200) {
			write_one(&c, &f, csrs[op % NCSR], get(&in, 8));
		} else if (op < 220) {
			write_one(&c, &f, (unsigned int)get(&in, 2),
				  get(&in, 8));
		} else if (op < 240) {
			/* The inputs from outside: the VS timer, VS external. */
			c.hip = get(&in, 8) & (VSTI | VSEI);
		} else {
			write_back_all(&c, &f);
		}
	}
	write_back_all(&c, &f);
	return 0;
}
