// SPDX-License-Identifier: MIT
/*
 * A hostile guest's CSR writes: all-ones and garbage into every S-level CSR,
 * then the WARL-legal read-back the privileged spec allows; h*, vs* and M
 * CSRs from S-mode. Where the spec allows several values, the case checks
 * the property (no reserved bit set, a second write of the read-back value
 * is stable), not one value.
 */
#include "guest.h"

const char payload_name[] = "hostile-csr";
PLAN("sstatus-reserved-zero", "sstatus-stable", "sstatus-spp-sie",
     "sstatus-uxl", "sstatus-sd", "sie-legal", "sie-stable", "sip-legal",
     "sip-ssip", "stvec-mode-2", "stvec-mode-3", "stvec-all-ones",
     "stvec-works", "sscratch", "satp-bad-mode", "scounteren", "senvcfg-legal",
     "senvcfg-stable", "hstatus-read", "hstatus-write", "hgatp-read",
     "vsstatus-read", "mstatus-read", "mstatus-write", "mtvec-read",
     "mtvec-write", "resumed");

/* sstatus fields (privileged spec, "Supervisor Status Register"). */
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_UBE (1UL << 6)
#define SSTATUS_SPP (1UL << 8)
#define SSTATUS_VS (3UL << 9)
#define SSTATUS_FS (3UL << 13)
#define SSTATUS_XS (3UL << 15)
#define SSTATUS_SUM (1UL << 18)
#define SSTATUS_MXR (1UL << 19)
#define SSTATUS_SPELP (1UL << 23) /* Zicfilp */
#define SSTATUS_SDT (1UL << 24)	  /* Ssdbltrp */
#define SSTATUS_UXL (3UL << 32)
#define SSTATUS_SD (1UL << 63)
#define SSTATUS_DEFINED                                                        \
	(SSTATUS_SIE | SSTATUS_SPIE | SSTATUS_UBE | SSTATUS_SPP | SSTATUS_VS | \
	 SSTATUS_FS | SSTATUS_XS | SSTATUS_SUM | SSTATUS_MXR | SSTATUS_SPELP | \
	 SSTATUS_SDT | SSTATUS_UXL | SSTATUS_SD)

/* sie/sip: bits 15:0 are the standard causes; S-level ones are 1, 5, 9 and
 * 13 (LCOFI). Bits 16 and up are for the platform. */
#define SIP_STANDARD 0xffffUL
#define SIP_S_LEVEL ((1UL << 1) | (1UL << 5) | (1UL << 9) | (1UL << 13))

/* senvcfg fields: FIOM, LPE, SSE, CBIE, CBCFE, CBZE, PMM. */
#define SENVCFG_CBIE (3UL << 4)
#define SENVCFG_PMM (3UL << 32)
#define SENVCFG_DEFINED                                                     \
	((1UL << 0) | (1UL << 2) | (1UL << 3) | SENVCFG_CBIE | (1UL << 6) | \
	 (1UL << 7) | SENVCFG_PMM)

#define SATP_MODE_SHIFT 60

#define EXC_ILLEGAL_INST 2

static unsigned long illegal_expected, illegal_seen;

/* sstatus: everything but SIE is safe to set for a moment (sie is 0). */
static void sstatus_cases(void)
{
	unsigned long old = csr_read(sstatus), v, v2, spp1, spp0;

	csr_write(sie, 0);
	csr_write(sstatus, ~0UL & ~SSTATUS_SDT);
	v = csr_read(sstatus);
	csr_write(sstatus, v & ~SSTATUS_SIE);
	v2 = csr_read(sstatus);
	csr_write(sstatus, (old | SSTATUS_SPP | SSTATUS_SPIE) & ~SSTATUS_SIE);
	spp1 = csr_read(sstatus);
	csr_write(sstatus, old & ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE));
	spp0 = csr_read(sstatus);
	csr_write(sstatus, old);

	check("sstatus-reserved-zero", !(v & ~SSTATUS_DEFINED),
	      "wrote ~0, read 0x%lx: reserved bits 0x%lx set", v,
	      v & ~SSTATUS_DEFINED);
	check("sstatus-stable", v2 == (v & ~SSTATUS_SIE),
	      "wrote back 0x%lx, read 0x%lx", v & ~SSTATUS_SIE, v2);
	check("sstatus-spp-sie",
	      (v & SSTATUS_SIE) && (v & SSTATUS_SPIE) && (v & SSTATUS_SPP) &&
		      (spp1 & SSTATUS_SPP) && (spp1 & SSTATUS_SPIE) &&
		      !(spp0 & (SSTATUS_SPP | SSTATUS_SPIE)),
	      "after ~0: 0x%lx; SPP/SPIE set: 0x%lx; cleared: 0x%lx", v, spp1,
	      spp0);
	/* RV64 with U-mode: UXL is 1 or 2 (3 is reserved), never 0. */
	check("sstatus-uxl",
	      ((v & SSTATUS_UXL) >> 32) == 1 || ((v & SSTATUS_UXL) >> 32) == 2,
	      "UXL %lu after ~0", (v & SSTATUS_UXL) >> 32);
	check("sstatus-sd",
	      !!(v & SSTATUS_SD) == ((v & SSTATUS_FS) == SSTATUS_FS ||
				     (v & SSTATUS_VS) == SSTATUS_VS ||
				     (v & SSTATUS_XS) == SSTATUS_XS),
	      "SD does not summarize FS/VS/XS: 0x%lx", v);
}

/* sie and sip, with sstatus.SIE = 0 so that nothing is taken. */
static void sie_sip_cases(void)
{
	unsigned long old_ss = csr_read(sstatus), v, v2, z, p_before, p, p0;
	const unsigned long ro = (1UL << IRQ_S_TIMER) | (1UL << IRQ_S_EXT);

	csr_clear(sstatus, SSTATUS_SIE);
	csr_write(sie, ~0UL);
	v = csr_read(sie);
	csr_write(sie, v);
	v2 = csr_read(sie);
	csr_write(sie, 0);
	z = csr_read(sie);
	check("sie-legal",
	      !(v & SIP_STANDARD & ~SIP_S_LEVEL) && (v & SIE_SSIE) &&
		      (v & SIE_STIE) && !z,
	      "wrote ~0, read 0x%lx; after 0: 0x%lx", v, z);
	check("sie-stable", v2 == v, "wrote back 0x%lx, read 0x%lx", v, v2);

	p_before = csr_read(sip);
	csr_write(sip, ~0UL);
	p = csr_read(sip);
	csr_write(sip, 0);
	p0 = csr_read(sip);
	/* STIP and SEIP are read-only in sip: neither write changes them. */
	check("sip-legal",
	      !(p & SIP_STANDARD & ~SIP_S_LEVEL) &&
		      (p & ro) == (p_before & ro) &&
		      (p0 & ro) == (p_before & ro),
	      "before 0x%lx, after ~0 0x%lx, after 0 0x%lx", p_before, p, p0);
	check("sip-ssip", (p & SIE_SSIE) && !(p0 & SIE_SSIE),
	      "SSIP after ~0: %lu, after 0: %lu", (p >> 1) & 1, (p0 >> 1) & 1);
	csr_write(sstatus, old_ss);
}

/*
 * stvec must read back MODE 0 or 1 (2 and 3 are reserved) and be stable.
 * No trap may happen while it is garbage: the write, read, write-back and
 * restore are one asm block.
 */
static bool stvec_try(unsigned long val, unsigned long *got,
		      unsigned long *again)
{
	unsigned long old, g, a;

	__asm__ volatile("csrr %0, stvec\n"
			 "csrw stvec, %3\n"
			 "csrr %1, stvec\n"
			 "csrw stvec, %1\n"
			 "csrr %2, stvec\n"
			 "csrw stvec, %0\n"
			 : "=&r"(old), "=&r"(g), "=&r"(a)
			 : "r"(val)
			 : "memory");
	*got = g;
	*again = a;
	return (g & 3) <= 1 && a == g;
}

static void stvec_cases(void)
{
	unsigned long base = csr_read(stvec) & ~3UL, g, a;
	struct trap_info ti;
	bool ok;

	ok = stvec_try(base | 2, &g, &a);
	check("stvec-mode-2", ok, "wrote 0x%lx, read 0x%lx then 0x%lx",
	      base | 2, g, a);
	ok = stvec_try(base | 3, &g, &a);
	check("stvec-mode-3", ok, "wrote 0x%lx, read 0x%lx then 0x%lx",
	      base | 3, g, a);
	ok = stvec_try(~0UL, &g, &a);
	check("stvec-all-ones", ok, "wrote ~0, read 0x%lx then 0x%lx", g, a);
	/* The restored vector still takes a trap. */
	trap_expect(0);
	__asm__ volatile("csrr %0, mstatus" : "=r"(g)::"memory");
	ti = trap_result();
	illegal_expected++;
	illegal_seen += ti.taken;
	check("stvec-works", ti.taken && ti.scause == EXC_ILLEGAL_INST,
	      "taken %d scause 0x%lx", ti.taken, ti.scause);
}

static void sscratch_satp_cases(void)
{
	static const unsigned long pats[] = { ~0UL, 0x5a5a5a5aa5a5a5a5UL,
					      1UL << 63, 0 };
	static const unsigned long bad_modes[] = { 1, 2, 7, 12, 13 };
	unsigned long old = csr_read(sscratch), v = 0, sv, after = 0;
	bool ok = true;

	for (unsigned int i = 0; i < ARRAY_SIZE(pats) && ok; i++) {
		csr_write(sscratch, pats[i]);
		v = csr_read(sscratch);
		ok = v == pats[i];
		if (!ok)
			check("sscratch", false, "wrote 0x%lx, read 0x%lx",
			      pats[i], v);
	}
	csr_write(sscratch, old);
	if (ok)
		check("sscratch", true, "-");

	/* Unsupported MODE: "the entire write has no effect". Only reserved
	 * modes, never Sv64 or custom ones a hart might implement. */
	sv = csr_read(satp);
	ok = true;
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_modes) && ok; i++) {
		csr_write(satp, (bad_modes[i] << SATP_MODE_SHIFT) |
					0x0fffffffffffffffUL);
		after = csr_read(satp);
		ok = after == sv;
		if (!ok) {
			csr_write(satp, sv);
			check("satp-bad-mode", false,
			      "MODE %lu: satp 0x%lx, was 0x%lx", bad_modes[i],
			      after, sv);
		}
	}
	if (ok)
		check("satp-bad-mode", true, "-");
}

static void counteren_envcfg_cases(void)
{
	unsigned long old = csr_read(scounteren), v, v2, cbie;

	/* A 32-bit WARL register: no bit above 31, stable. */
	csr_write(scounteren, ~0UL);
	v = csr_read(scounteren);
	csr_write(scounteren, v);
	v2 = csr_read(scounteren);
	csr_write(scounteren, old);
	check("scounteren", !(v >> 32) && v2 == v,
	      "wrote ~0, read 0x%lx, then 0x%lx", v, v2);

	old = csr_read(senvcfg);
	csr_write(senvcfg, ~0UL);
	v = csr_read(senvcfg);
	csr_write(senvcfg, v);
	v2 = csr_read(senvcfg);
	csr_write(senvcfg, old);
	cbie = (v & SENVCFG_CBIE) >> 4;
	/* CBIE 2 and PMM 1 are reserved encodings of WARL fields. */
	check("senvcfg-legal",
	      !(v & ~SENVCFG_DEFINED) && cbie != 2 &&
		      ((v & SENVCFG_PMM) >> 32) != 1,
	      "wrote ~0, read 0x%lx", v);
	check("senvcfg-stable", v2 == v, "wrote back 0x%lx, read 0x%lx", v, v2);
}

/*
 * Run one CSR instruction that may trap; `pc` gets its address. The asm
 * records the address with auipc just before it (4 bytes: csr* is never
 * compressed).
 */
#define CSR_INSN(insn, val, pc)                    \
	__asm__ volatile("auipc %1, 0\n" insn "\n" \
			 : "+&r"(val), "=&r"(pc)::"memory")

/* An illegal instruction: cause 2, sepc at it, stval its bits or 0. */
static void illegal_case(const char *name, struct trap_info ti,
			 unsigned long pc)
{
	uint32_t bits = *(volatile uint32_t *)(pc + 4);

	illegal_expected++;
	illegal_seen += ti.taken;
	check(name,
	      ti.taken && ti.scause == EXC_ILLEGAL_INST && ti.sepc == pc + 4 &&
		      (ti.stval == bits || ti.stval == 0),
	      "taken %d scause 0x%lx sepc 0x%lx stval 0x%lx (insn 0x%x at 0x%lx)",
	      ti.taken, ti.scause, ti.sepc, ti.stval, bits, pc + 4);
}

/* No trap: the CSR is there (the hart has the H extension). */
static void legal_case(const char *name, struct trap_info ti)
{
	if (ti.taken)
		check(name, false,
		      "the FDT lists H, yet scause 0x%lx stval 0x%lx",
		      ti.scause, ti.stval);
	else
		pass_note(name, "the FDT lists H: accessible in HS-mode");
}

static void h_csr_cases(void)
{
	bool has_h = hart_has_ext(this_hart(), "h");
	unsigned long v = 0, pc, keep;
	struct trap_info ti;

	gprintf("hostile-csr: hart %lu %s the H extension (FDT)\n", this_hart(),
		has_h ? "has" : "does not have");
#define H_CASE(name, insn)                          \
	do {                                        \
		trap_expect(0);                     \
		CSR_INSN(insn, v, pc);              \
		ti = trap_result();                 \
		if (has_h)                          \
			legal_case(name, ti);       \
		else                                \
			illegal_case(name, ti, pc); \
	} while (0)
	H_CASE("hstatus-read", "csrr %0, hstatus");
	/* With H, write back what is there; without, garbage. */
	keep = has_h ? v : ~0UL;
	v = keep;
	H_CASE("hstatus-write", "csrw hstatus, %0");
	H_CASE("hgatp-read", "csrr %0, hgatp");
	H_CASE("vsstatus-read", "csrr %0, vsstatus");
#undef H_CASE
}

static void m_csr_cases(void)
{
	unsigned long v = 0, pc;
	struct trap_info ti;

#define M_CASE(name, insn, val)             \
	do {                                \
		v = (val);                  \
		trap_expect(0);             \
		CSR_INSN(insn, v, pc);      \
		ti = trap_result();         \
		illegal_case(name, ti, pc); \
	} while (0)
	M_CASE("mstatus-read", "csrr %0, mstatus", 0);
	M_CASE("mstatus-write", "csrw mstatus, %0", ~0UL);
	M_CASE("mtvec-read", "csrr %0, mtvec", 0);
	M_CASE("mtvec-write", "csrw mtvec, %0", 0x1234);
#undef M_CASE
}

void test_main(void)
{
	sstatus_cases();
	sie_sip_cases();
	stvec_cases();
	sscratch_satp_cases();
	counteren_envcfg_cases();
	h_csr_cases();
	m_csr_cases();
	check("resumed", illegal_seen == illegal_expected,
	      "%lu illegal-instruction traps of %lu expected", illegal_seen,
	      illegal_expected);
}
