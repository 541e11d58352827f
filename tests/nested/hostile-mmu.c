// SPDX-License-Identifier: MIT
/*
 * A hostile L1 MMU: malformed G-stage tables for L2, each checked against
 * the architected result (privileged spec, "Two-Stage Address
 * Translation"): cyclic tables, pointers past RAM, misaligned superpages,
 * reserved PTE bits and encodings, leaves without U, every R/W/X/U leaf
 * with every access (with and without HS-level MXR), hgatp's WARL fields,
 * HFENCE storms with random operands, and VS-stage tables that the G-stage
 * maps without W or X (implicit PTE reads are loads). Under L0 each L2
 * access lands in L0's shadow G-stage, so these test its fill and the
 * faults it hands to L1 (scause, sepc, stval, htval, hstatus.GVA/SPV).
 * Every L2 run has an S-mode timer as watchdog.
 *
 * Case names are short, for the PLAN line to fit L0's console line: 4k,
 * 2m, 1g name the leaf's size, "pt" a non-leaf PTE (pt1: at level 1),
 * "vspt" the VS-stage table's page.
 */
#include <string.h>

#include "nested.h"

const char payload_name[] = "hostile-mmu";
PLAN("4k-ok", "2m-ok", "1g-ok", "cyc-root", "cyc-self", "cyc-back",
     "pt-past-ram", "pt1-past-ram", "4k-past-ram", "2m-past-ram",
     "root-past-ram", "2m-misalign", "2m-half", "1g-misalign", "w-only", "wx",
     "pt-w", "no-u", "2m-no-u", "no-a", "no-d", "pt-a", "pt-d", "pt-u", "n-bit",
     "pbmt-nc", "pbmt-rsvd", "rsvd-bits", "pt-rsvd", "gpa-wide", "perm",
     "perm-mxr", "hgatp-rsvd", "hgatp-mode", "hgatp-vmid", "hgatp-ppn-low",
     "hgatp-sv48x4", "fence-storm", "fence-remap", "vspt-r", "vspt-rw",
     "vspt-x");

#define WATCHDOG_US 200000UL
#define WATCHDOG_CAUSE (SCAUSE_IRQ | IRQ_S_TIMER)
#define EXC_FETCH_PF 12

#define KIB 1024UL
#define PG (4 * KIB)
#define SZ_2M (1UL << 21)
#define SZ_1G (1UL << 30)
#define GLEAF (PTE_U | PTE_A | PTE_D)
#define RWX (PTE_R | PTE_W | PTE_X)
#define PTE_N (1UL << 63)
#define PTE_PBMT_SHIFT 61
#define PTE_RSVD_BITS (0x7fUL << 54) /* bits 60:54 */
#define HGATP_ZERO_BITS (3UL << 58)
#define VMID 9UL
/* hgatp.VMID: VMIDLEN may be 0, so compares leave it out. */
#define VMID_FIELD (HGATP_VMID_MASK << HGATP_VMID_SHIFT)
#define STORE_VAL 0x5a5aa5a55a5aa5a5UL
#define LOAD_VAL 0x0123456789abcdefUL

/*
 * L2's guest physical window: indices 1/1/1 at levels 2/1/0 of Sv39x4
 * (a 1 GiB leaf at 0x40000000, 2 MiB at 0x40200000, 4 KiB at 0x40201000).
 */
#define WIN_1G 0x40000000UL
#define WIN_2M (WIN_1G + SZ_2M)
#define WIN_4K (WIN_2M + PG)
#define VSPT_GPA 0x40400000UL /* where the VS-stage root shows to L2 */

static uint64_t groot[2048] __attribute__((aligned(16384)));
#define POOL_PAGES 4
static uint64_t pool[POOL_PAGES][512] __attribute__((aligned(4096)));
static unsigned int pool_used;
static uint64_t data[2][512] __attribute__((aligned(4096)));
static uint64_t vsroot[512] __attribute__((aligned(4096)));
static struct vctx c;
static uint64_t rng = 0x2545f4914f6cdd1dUL;

static unsigned long rnd(void)
{
	return xorshift64(&rng);
}

static uint64_t pte_ptr(uint64_t pa)
{
	return (pa >> 12 << 10) | PTE_V;
}

static uint64_t pte_leaf(uint64_t pa, uint64_t flags)
{
	return (pa >> 12 << 10) | PTE_V | flags;
}

static uint64_t pte_pa(uint64_t pte)
{
	return (pte >> 10 & ATP_PPN_MASK) << 12;
}

/* An address past the end of L1's RAM (nothing there), 16 KiB aligned. */
static uint64_t past_ram(void)
{
	return (plat.mem_base + plat.mem_size + SZ_2M - 1) & ~(SZ_2M - 1);
}

static uint64_t ram_1g(void)
{
	return plat.mem_base & ~(SZ_1G - 1);
}

static uint64_t hgatp_of(unsigned long mode, uint64_t root)
{
	return (mode << ATP_MODE_SHIFT) | (VMID << HGATP_VMID_SHIFT) |
	       (root >> 12);
}

static void gvma_all(void)
{
	__asm__ volatile(HASM("hfence.gvma\nhfence.vvma")::: "memory");
}

/* A fresh Sv39x4 table: only L1's RAM, identity, as one 1 GiB leaf. */
static void g_reset(void)
{
	memset(groot, 0, sizeof(groot));
	memset(pool, 0, sizeof(pool));
	pool_used = 0;
	groot[ram_1g() >> 30] = pte_leaf(ram_1g(), RWX | GLEAF);
	mb();
}

static uint64_t *table_at(uint64_t pa)
{
	return (uint64_t *)(unsigned long)pa;
}

/* The Sv39x4 PTE slot of gpa at level, with tables above it made (a case
 * takes at most two tables from the pool, which g_reset() empties). */
static uint64_t *g_slot(uint64_t gpa, int level)
{
	uint64_t *t = groot;

	for (int i = 2;; i--) {
		unsigned int shift = 12 + 9 * (unsigned int)i;
		uint64_t *p = &t[(gpa >> shift) & (i == 2 ? 2047 : 511)];

		if (i == level)
			return p;
		if (!(*p & PTE_V))
			*p = pte_ptr(ADDR(pool[pool_used++]));
		t = table_at(pte_pa(*p));
	}
}

/* ---- One L2 access and its architected outcome ---- */

enum acc { A_LOAD, A_STORE, A_FETCH };
enum want { W_OK, W_GPF, W_AF };

static const char *const acc_name[] = { "load", "store", "fetch" };
static const char *const want_name[] = { "ok", "guest-page fault",
					 "access fault" };
static const unsigned long gpf_cause[] = { EXC_LOAD_GPF, EXC_STORE_GPF,
					   EXC_FETCH_GPF };
static const unsigned long af_cause[] = { EXC_LOAD_ACCESS, EXC_STORE_ACCESS,
					  EXC_FETCH_ACCESS };

static void (*const acc_fn[])(void) = { l2_load, l2_store, l2_jump };

/* What L2 accesses: a word of data[0] (load, store), l2_ecall (fetch). */
static uint64_t acc_target(enum acc a)
{
	return a == A_FETCH ? ADDR(l2_ecall) : ADDR(&data[0][2]);
}

/* Run L2 in VS-mode with a watchdog: whether it fired. */
static bool run_l2(void (*pc)(void), unsigned long a1)
{
	vctx_init(&c, pc);
	c.x[R_A1] = a1;
	c.x[R_A2] = STORE_VAL;
	sbi_set_timer(now() + us_to_ticks(WATCHDOG_US));
	l2_run(&c, MODE_VS);
	sbi_set_timer(~0UL);
	return c.scause == WATCHDOG_CAUSE;
}

static char why[200];

/*
 * L2 makes access a at guest address va (vsatp Bare: va is also the GPA,
 * or the VS-stage maps it), landing at L1 address pa; htval_gpa is what
 * a guest-page fault reports. NULL when the outcome is w, else why not.
 */
static const char *access_as(enum acc a, uint64_t va, uint64_t pa,
			     uint64_t htval_gpa, enum want w)
{
	volatile uint64_t *p = (volatile uint64_t *)(unsigned long)pa;
	unsigned long pc, cause;
	bool ok;

	if (a != A_FETCH)
		*p = LOAD_VAL;
	mb();
	if (run_l2(acc_fn[a], va)) {
		l0_snprintf(why, sizeof(why), "%s of 0x%lx: hung (watchdog)",
			    acc_name[a], (unsigned long)va);
		return why;
	}
	pc = a == A_FETCH ? va : ADDR(acc_fn[a]);
	cause = w == W_GPF ? gpf_cause[a] : af_cause[a];
	switch (w) {
	case W_OK:
		ok = c.scause == EXC_ECALL_VS &&
		     (a == A_FETCH
			      ? c.pc == va
			      : c.x[R_A7] == L2_DONE &&
					(a == A_LOAD ? c.x[R_A0] == LOAD_VAL
						     : *p == STORE_VAL));
		break;
	default:
		ok = c.scause == cause && c.pc == pc && c.stval == va &&
		     c.htval == (w == W_GPF ? htval_gpa >> 2 : 0) &&
		     (c.hstatus & HSTATUS_GVA) && (c.hstatus & HSTATUS_SPV);
		break;
	}
	if (ok)
		return NULL;
	l0_snprintf(
		why, sizeof(why),
		"%s of 0x%lx, want %s: scause %lu sepc 0x%lx stval 0x%lx htval 0x%lx hstatus 0x%lx a0 0x%lx",
		acc_name[a], (unsigned long)va, want_name[w], c.scause, c.pc,
		c.stval, c.htval, c.hstatus, c.x[R_A0]);
	return why;
}

static const char *access_gpa(enum acc a, uint64_t gpa, uint64_t pa,
			      enum want w)
{
	return access_as(a, gpa, pa, gpa, w);
}

/* ---- Malformed G-stage tables, a table of cases ---- */

enum shape {
	S_LEAF,	     /* a leaf at .level for the window */
	S_CYC_ROOT,  /* root[1] points at the root */
	S_CYC_SELF,  /* the level-1 table's entry points at that table */
	S_CYC_BACK,  /* the level-0 entry points back at the root */
	S_PAST_ROOT, /* root[1] points past RAM */
	S_PAST_L1,   /* the level-1 entry points past RAM */
	S_PAST_LEAF, /* the leaf maps past RAM */
};

struct gcase {
	const char *name;
	enum shape shape;
	int level;	     /* of the leaf (0: 4 KiB) */
	uint64_t flags;	     /* leaf bits besides V and the PPN */
	uint64_t misalign;   /* added to the leaf's address */
	uint64_t nonleaf_or; /* bits ORed into the level-1 pointer */
	uint64_t gpa_or;     /* bits ORed into the address L2 uses */
	uint64_t sweep;	     /* each bit, in turn, ORed into the leaf */
	enum want want[3];   /* load, store, fetch */
	const char *ext;     /* with this extension: all W_OK */
	bool ad;	     /* A or D clear: hardware updates them, if so */
};

#define ALL(w)          \
	{               \
		w, w, w \
	}
#define OKS                      \
	{                        \
		W_OK, W_OK, W_OK \
	}

static const struct gcase gcases[] = {
	{ "4k-ok", S_LEAF, 0, RWX | GLEAF, .want = OKS },
	{ "2m-ok", S_LEAF, 1, RWX | GLEAF, .want = OKS },
	{ "1g-ok", S_LEAF, 2, RWX | GLEAF, .want = OKS },
	/* (a) No leaf within the levels: a guest-page fault. */
	{ "cyc-root", S_CYC_ROOT, 0, RWX | GLEAF, .want = ALL(W_GPF) },
	{ "cyc-self", S_CYC_SELF, 0, RWX | GLEAF, .want = ALL(W_GPF) },
	{ "cyc-back", S_CYC_BACK, 0, RWX | GLEAF, .want = ALL(W_GPF) },
	/* (b) Implicit or explicit access to no memory: an access fault of
	 * the original access type (the PTE address violates a PMA). */
	{ "pt-past-ram", S_PAST_ROOT, 0, RWX | GLEAF, .want = ALL(W_AF) },
	{ "pt1-past-ram", S_PAST_L1, 0, RWX | GLEAF, .want = ALL(W_AF) },
	{ "4k-past-ram", S_PAST_LEAF, 0, RWX | GLEAF, .want = ALL(W_AF) },
	{ "2m-past-ram", S_PAST_LEAF, 1, RWX | GLEAF, .want = ALL(W_AF) },
	/* (e) Misaligned superpages, reserved encodings and bits. */
	{ "2m-misalign", S_LEAF, 1, RWX | GLEAF, PG, .want = ALL(W_GPF) },
	{ "2m-half", S_LEAF, 1, RWX | GLEAF, SZ_2M / 2, .want = ALL(W_GPF) },
	{ "1g-misalign", S_LEAF, 2, RWX | GLEAF, SZ_2M, .want = ALL(W_GPF) },
	{ "w-only", S_LEAF, 0, PTE_W | GLEAF, .want = ALL(W_GPF) },
	{ "wx", S_LEAF, 0, PTE_W | PTE_X | GLEAF, .want = ALL(W_GPF) },
	{ "pt-w", S_LEAF, 0, RWX | GLEAF, .nonleaf_or = PTE_W,
	  .want = ALL(W_GPF) },
	{ "no-u", S_LEAF, 0, RWX | PTE_A | PTE_D, .want = ALL(W_GPF) },
	{ "2m-no-u", S_LEAF, 1, RWX | PTE_A | PTE_D, .want = ALL(W_GPF) },
	/* Svade: A = 0 faults every access, D = 0 stores. */
	{ "no-a", S_LEAF, 0, RWX | PTE_U | PTE_D, .want = ALL(W_GPF),
	  .ad = true },
	{ "no-d", S_LEAF, 0, RWX | PTE_U | PTE_A, .want = { W_OK, W_GPF, W_OK },
	  .ad = true },
	/* A, D, U are reserved in a non-leaf PTE. */
	{ "pt-a", S_LEAF, 0, RWX | GLEAF, .nonleaf_or = PTE_A,
	  .want = ALL(W_GPF) },
	{ "pt-d", S_LEAF, 0, RWX | GLEAF, .nonleaf_or = PTE_D,
	  .want = ALL(W_GPF) },
	{ "pt-u", S_LEAF, 0, RWX | GLEAF, .nonleaf_or = PTE_U,
	  .want = ALL(W_GPF) },
	/* N = 1 with PPN[3:0] != 1000 is reserved even with Svnapot. */
	{ "n-bit", S_LEAF, 0, RWX | GLEAF | PTE_N, .want = ALL(W_GPF) },
	{ "pbmt-nc", S_LEAF, 0, RWX | GLEAF | 1UL << PTE_PBMT_SHIFT,
	  .want = ALL(W_GPF), .ext = "svpbmt" },
	{ "pbmt-rsvd", S_LEAF, 0, RWX | GLEAF | 3UL << PTE_PBMT_SHIFT,
	  .want = ALL(W_GPF) },
	{ "rsvd-bits", S_LEAF, 0, RWX | GLEAF, .sweep = PTE_RSVD_BITS,
	  .want = ALL(W_GPF) },
	{ "pt-rsvd", S_LEAF, 0, RWX | GLEAF,
	  .nonleaf_or = PTE_RSVD_BITS | PTE_N | 3UL << PTE_PBMT_SHIFT,
	  .want = ALL(W_GPF) },
	/* GPA bits above Sv39x4's 41: a guest-page fault, no walk. */
	{ "gpa-wide", S_LEAF, 0, RWX | GLEAF, .gpa_or = 1UL << 41,
	  .want = ALL(W_GPF) },
};

static uint64_t win_of(int level)
{
	return level == 0 ? WIN_4K : level == 1 ? WIN_2M : WIN_1G;
}

/*
 * Whether the hart updates A/D in G-stage PTEs: the ISA string has Svadu
 * and not Svade (with both, Svade is in effect until the SBI turns
 * menvcfg.ADUE on: Linux's DT binding).
 */
static bool hw_ad;

/* Build k's table for access a (leaf bits flags) and make the access. */
static const char *gcase_access(const struct gcase *k, enum acc a,
				uint64_t flags, enum want w)
{
	uint64_t size = 1UL << (12 + 9 * k->level), x = acc_target(a);
	uint64_t gpa = win_of(k->level) + (x & (size - 1));
	uint64_t pa = (x & ~(size - 1)) + k->misalign;
	uint64_t *leaf, ad = PTE_A | (a == A_STORE ? PTE_D : 0);
	const char *bad;

	g_reset();
	if (k->shape == S_PAST_LEAF)
		pa = past_ram();
	leaf = g_slot(gpa, k->level);
	*leaf = pte_leaf(pa, flags);
	if (k->nonleaf_or)
		*g_slot(gpa, 1) |= k->nonleaf_or;
	switch (k->shape) {
	case S_CYC_ROOT:
		groot[1] = pte_ptr(ADDR(groot));
		break;
	case S_CYC_SELF:
		*g_slot(gpa, 1) = pte_ptr(pte_pa(groot[1]));
		break;
	case S_CYC_BACK:
		*leaf = pte_ptr(ADDR(groot));
		break;
	case S_PAST_ROOT:
		groot[1] = pte_ptr(past_ram());
		break;
	case S_PAST_L1:
		*g_slot(gpa, 1) = pte_ptr(past_ram());
		break;
	default:
		break;
	}
	mb();
	csr_write(hgatp, hgatp_of(ATP_MODE_SV39, ADDR(groot)));
	gvma_all();
	bad = access_gpa(a, gpa | k->gpa_or, x & ~7UL, w);
	if (!bad && k->ad && hw_ad && (READ_ONCE(*leaf) & ad) != ad) {
		l0_snprintf(why, sizeof(why),
			    "%s done, but the leaf's A/D not set: 0x%lx",
			    acc_name[a], (unsigned long)READ_ONCE(*leaf));
		bad = why;
	}
	return bad;
}

static void gcase_run(const struct gcase *k)
{
	bool ext = (k->ext && hart_has_ext(boot_hartid, k->ext)) ||
		   (k->ad && hw_ad);
	uint64_t sweep = k->sweep ? k->sweep : 1;
	const char *bad = NULL;
	unsigned int n = 0;

	for (int b = 0; b < 64 && !bad; b++) {
		uint64_t bit = k->sweep ? sweep & (1UL << b) : 0;

		if (k->sweep && !bit)
			continue;
		for (enum acc a = A_LOAD; a <= A_FETCH && !bad; a++, n++)
			bad = gcase_access(k, a, k->flags | bit,
					   ext ? W_OK : k->want[a]);
		if (!k->sweep)
			break;
	}
	csr_write(hgatp, 0);
	gvma_all();
	if (bad)
		check(k->name, false, "%s", bad);
	else if (k->ad)
		pass_note(k->name, "%u accesses; %s", n,
			  hw_ad ? "A/D set by the hart (Svadu)"
				: "faults (Svade)");
	else if (k->ext)
		pass_note(k->name, "%u accesses; %s %s", n, k->ext,
			  ext ? "in the ISA string" : "not in the ISA string");
	else
		pass_note(k->name, "%u accesses", n);
}

/*
 * hgatp's root past RAM: L2's first fetch (of each snippet) reads no
 * memory for its root PTE: an instruction access fault at the snippet.
 */
static void root_past_case(void)
{
	const char *bad = NULL;
	unsigned long a;

	csr_write(hgatp, hgatp_of(ATP_MODE_SV39, past_ram()));
	gvma_all();
	for (enum acc i = A_LOAD; i <= A_FETCH && !bad; i++) {
		a = ADDR(acc_fn[i]);
		if (run_l2(acc_fn[i], ADDR(&data[0][2])) ||
		    c.scause != EXC_FETCH_ACCESS || c.pc != a || c.stval != a ||
		    c.htval || !(c.hstatus & HSTATUS_GVA) ||
		    !(c.hstatus & HSTATUS_SPV)) {
			l0_snprintf(
				why, sizeof(why),
				"L2 at 0x%lx: scause %lu sepc 0x%lx stval 0x%lx htval 0x%lx hstatus 0x%lx",
				a, c.scause, c.pc, c.stval, c.htval, c.hstatus);
			bad = why;
		}
	}
	csr_write(hgatp, 0);
	gvma_all();
	check("root-past-ram", !bad, "want an instruction access fault; %s",
	      bad ? bad : "");
}

/* ---- Every R/W/X/U leaf with every access, with and without MXR ---- */

static enum want perm_want(uint64_t f, enum acc a, bool mxr)
{
	bool r = f & PTE_R, w = f & PTE_W, x = f & PTE_X;

	if (!(r || w || x) || (w && !r) || !(f & PTE_U))
		return W_GPF; /* no leaf at level 0, reserved, or not U */
	switch (a) {
	case A_LOAD:
		return r || (mxr && x) ? W_OK : W_GPF;
	case A_STORE:
		return w ? W_OK : W_GPF;
	default:
		return x ? W_OK : W_GPF;
	}
}

static void perm_sweep(const char *name, bool mxr)
{
	const struct gcase k = { .name = name, .shape = S_LEAF };
	const char *bad = NULL;
	unsigned int n = 0;

	if (mxr)
		csr_set(sstatus, SSTATUS_MXR);
	for (uint64_t f = 0; f < 16 && !bad; f++) {
		uint64_t flags = (f << 1) | PTE_A | PTE_D; /* R W X U */

		for (enum acc a = A_LOAD; a <= A_FETCH && !bad; a++, n++)
			bad = gcase_access(&k, a, flags,
					   perm_want(flags, a, mxr));
		if (bad)
			l0_snprintf(why + strlen(why),
				    sizeof(why) - strlen(why), "; pte 0x%lx",
				    (unsigned long)flags);
	}
	csr_clear(sstatus, SSTATUS_MXR);
	csr_write(hgatp, 0);
	gvma_all();
	if (bad)
		check(name, false, "%s", bad);
	else
		pass_note(name, "%u accesses", n);
}

/* ---- (c) hgatp's WARL fields ---- */

static bool atp_mode_legal(unsigned long v)
{
	unsigned long m = v >> ATP_MODE_SHIFT;

	return m == 0 || m == ATP_MODE_SV39 || m == ATP_MODE_SV48 ||
	       m == ATP_MODE_SV57;
}

/* Map the window's 4 KiB page to data[0] and load through it. */
static const char *window_load(void)
{
	uint64_t x = acc_target(A_LOAD);

	*g_slot(WIN_4K, 0) = pte_leaf(x & ~(PG - 1), RWX | GLEAF);
	mb();
	gvma_all();
	return access_gpa(A_LOAD, WIN_4K + (x & (PG - 1)), x, W_OK);
}

static void hgatp_cases(void)
{
	uint64_t good = hgatp_of(ATP_MODE_SV39, ADDR(groot)), r, r2;
	const char *bad = NULL;
	unsigned long m, vmids;

	g_reset();
	csr_write(hgatp, good | HGATP_ZERO_BITS);
	r = csr_read(hgatp) & ~VMID_FIELD;
	bad = r != (good & ~VMID_FIELD) ? NULL : window_load();
	check("hgatp-rsvd", r == (good & ~VMID_FIELD) && !bad,
	      "wrote 0x%lx read 0x%lx without VMID (want 0x%lx)%s%s",
	      (unsigned long)(good | HGATP_ZERO_BITS), (unsigned long)r,
	      (unsigned long)(good & ~VMID_FIELD), bad ? "; " : "",
	      bad ? bad : "");

	/* An unsupported MODE: every field still reads a legal value, and
	 * what is read back is stable. */
	bad = NULL;
	for (m = 1; m < 16 && !bad; m++) {
		if (m == ATP_MODE_SV39 || m == ATP_MODE_SV48 ||
		    m == ATP_MODE_SV57)
			continue;
		csr_write(hgatp, good);
		csr_write(hgatp, (good & ~(0xfUL << ATP_MODE_SHIFT)) |
					 m << ATP_MODE_SHIFT);
		r = csr_read(hgatp);
		csr_write(hgatp, r);
		r2 = csr_read(hgatp);
		if (!atp_mode_legal(r) || r2 != r || (r & HGATP_ZERO_BITS)) {
			l0_snprintf(why, sizeof(why),
				    "MODE %lu: read 0x%lx, written back 0x%lx",
				    m, (unsigned long)r, (unsigned long)r2);
			bad = why;
		}
	}
	check("hgatp-mode", !bad, "%s", bad ? bad : "");

	/* VMID: VMIDLEN low bits writable, the others zero. */
	csr_write(hgatp, good | HGATP_VMID_MASK << HGATP_VMID_SHIFT);
	vmids = csr_read(hgatp) >> HGATP_VMID_SHIFT & HGATP_VMID_MASK;
	csr_write(hgatp, good & ~(HGATP_VMID_MASK << HGATP_VMID_SHIFT));
	r = csr_read(hgatp) >> HGATP_VMID_SHIFT & HGATP_VMID_MASK;
	check("hgatp-vmid", !(vmids & (vmids + 1)) && r == 0,
	      "all-ones VMID read 0x%lx, zero read 0x%lx", vmids,
	      (unsigned long)r);

	/* PPN[1:0] read as zero: the walk starts at the 16 KiB root. */
	g_reset();
	csr_write(hgatp, good | 1);
	r = csr_read(hgatp) & ~VMID_FIELD;
	bad = window_load();
	check("hgatp-ppn-low", r == (good & ~VMID_FIELD) && !bad,
	      "wrote 0x%lx read 0x%lx%s%s", (unsigned long)(good | 1),
	      (unsigned long)r, bad ? "; " : "", bad ? bad : "");
	csr_write(hgatp, 0);
	gvma_all();
}

/* Sv48x4, if the hart keeps it: the window through a 4-level table. */
static void sv48x4_case(void)
{
	uint64_t *l2t = pool[0], *l1t = pool[1], *l0t = pool[2];
	uint64_t x = acc_target(A_LOAD), want, r;
	const char *bad;

	g_reset();
	memset(groot, 0, sizeof(groot));
	pool_used = 3;
	groot[0] = pte_ptr(ADDR(l2t));
	l2t[ram_1g() >> 30] = pte_leaf(ram_1g(), RWX | GLEAF);
	l2t[1] = pte_ptr(ADDR(l1t));
	l1t[1] = pte_ptr(ADDR(l0t));
	l0t[1] = pte_leaf(x & ~(PG - 1), RWX | GLEAF);
	l0t[2] = pte_leaf(ADDR(l2_ecall) & ~(PG - 1), RWX | GLEAF);
	mb();
	want = hgatp_of(ATP_MODE_SV48, ADDR(groot));
	csr_write(hgatp, want);
	r = csr_read(hgatp);
	if (r >> ATP_MODE_SHIFT != ATP_MODE_SV48) {
		csr_write(hgatp, 0);
		pass_note("hgatp-sv48x4", "Sv48x4 not kept (read 0x%lx)",
			  (unsigned long)r);
		return;
	}
	gvma_all();
	bad = access_gpa(A_LOAD, WIN_4K + (x & (PG - 1)), x, W_OK);
	if (!bad)
		bad = access_gpa(A_FETCH,
				 WIN_4K + PG + (ADDR(l2_ecall) & (PG - 1)), 0,
				 W_OK);
	if (!bad)
		bad = access_gpa(A_LOAD, (1UL << 50) | WIN_4K, x, W_GPF);
	csr_write(hgatp, 0);
	gvma_all();
	check("hgatp-sv48x4", (r & ~VMID_FIELD) == (want & ~VMID_FIELD) && !bad,
	      "read 0x%lx%s%s", (unsigned long)r, bad ? "; " : "",
	      bad ? bad : "");
}

/* ---- (d) HFENCE storms ---- */

#define STORM_ROUNDS 64
#define STORM_FENCES 64

static void fence_storm(unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		unsigned long a = rnd(), b = rnd();

		if (a & 1)
			__asm__ volatile(HASM("hfence.gvma %0, %1")::"r"(a),
					 "r"(b)
					 : "memory");
		else
			__asm__ volatile(HASM("hfence.vvma %0, %1")::"r"(a),
					 "r"(b)
					 : "memory");
	}
}

static void fence_all(void)
{
	__asm__ volatile(HASM("hfence.gvma zero, zero")::: "memory");
}

static void fence_gpa(void)
{
	__asm__ volatile(HASM("hfence.gvma %0, zero")::"r"(WIN_4K >> 2)
			 : "memory");
}

static void fence_vmid(void)
{
	__asm__ volatile(HASM("hfence.gvma zero, %0")::"r"(VMID) : "memory");
}

static void fence_gpa_vmid(void)
{
	__asm__ volatile(HASM("hfence.gvma %0, %1")::"r"(WIN_4K >> 2), "r"(VMID)
			 : "memory");
}

static void (*const fences[])(void) = { fence_all, fence_gpa, fence_vmid,
					fence_gpa_vmid };

/* Random fences between L2 loads through a fixed mapping. */
static void hfence_storm(void)
{
	uint64_t x = acc_target(A_LOAD), gpa = WIN_4K + (x & (PG - 1));
	const char *bad = NULL;
	unsigned int i, j;

	g_reset();
	*g_slot(gpa, 0) = pte_leaf(x & ~(PG - 1), RWX | GLEAF);
	mb();
	csr_write(hgatp, hgatp_of(ATP_MODE_SV39, ADDR(groot)));
	gvma_all();
	for (i = 0; i < STORM_ROUNDS && !bad; i++) {
		fence_storm(STORM_FENCES);
		for (j = A_LOAD; j <= A_STORE && !bad; j++)
			bad = access_gpa(j, gpa, x, W_OK);
	}
	csr_write(hgatp, 0);
	gvma_all();
	check("fence-storm", !bad, "round %u of %u (%u fences each): %s", i,
	      STORM_ROUNDS, STORM_FENCES, bad ? bad : "");
}

/* L1 remaps the window (data[0], data[1], nothing) and fences it in
 * each of the four forms: L2 sees the new mapping at once. */
static void hfence_remap(void)
{
	uint64_t off = ADDR(&data[0][2]) & (PG - 1), gpa = WIN_4K + off;
	const char *bad = NULL;
	unsigned int i;
	uint64_t *leaf;

	g_reset();
	leaf = g_slot(gpa, 0);
	csr_write(hgatp, hgatp_of(ATP_MODE_SV39, ADDR(groot)));
	gvma_all();
	for (i = 0; i < STORM_ROUNDS && !bad; i++) {
		unsigned int which = i % 3;
		uint64_t pa = ADDR(data[which & 1]) + off;

		fence_storm(STORM_FENCES / 2);
		*leaf = which == 2 ? 0
				   : pte_leaf(ADDR(data[which]), RWX | GLEAF);
		mb();
		fences[i % ARRAY_SIZE(fences)]();
		/* Different values, so that a stale mapping shows. */
		data[0][2] = 0xd0;
		data[1][2] = 0xd1;
		bad = access_gpa(A_LOAD, gpa, pa, which == 2 ? W_GPF : W_OK);
	}
	csr_write(hgatp, 0);
	gvma_all();
	check("fence-remap", !bad, "round %u (fence form %u): %s", i - 1,
	      (i - 1) % (unsigned int)ARRAY_SIZE(fences), bad ? bad : "");
}

/* ---- VS-stage tables behind a G-stage leaf without W or X ---- */

static void (*const vs_fns[])(void) = { l2_ecall, l2_load, l2_store };

/*
 * vsatp Sv39 with its root at VSPT_GPA, which the G-stage maps to vsroot
 * with gflags; the VS-stage maps L1's RAM 1:1 as a 1 GiB S page. L2 runs
 * l2_ecall, l2_load, l2_store there. The implicit PTE reads are loads for
 * the G-stage, whatever L2's access: with R, all succeed; without R (X
 * only), the first fetch takes an instruction guest-page fault at the
 * PTE's GPA (htval), with stval the fetch's address and htinst 0 or the
 * pseudoinstruction of a 64-bit read (0x3000).
 */
static void vs_pt_case(const char *name, uint64_t gflags, bool ok)
{
	uint64_t pte_gpa = VSPT_GPA + (ram_1g() >> 30) * 8, a;
	const char *bad = NULL;
	bool hung, good;

	g_reset();
	*g_slot(VSPT_GPA, 0) = pte_leaf(ADDR(vsroot), gflags | GLEAF);
	memset(vsroot, 0, sizeof(vsroot));
	vsroot[ram_1g() >> 30] = pte_leaf(ram_1g(), RWX | PTE_A | PTE_D);
	mb();
	csr_write(hgatp, hgatp_of(ATP_MODE_SV39, ADDR(groot)));
	csr_write(vsatp, (ATP_MODE_SV39 << ATP_MODE_SHIFT) | (VSPT_GPA >> 12));
	gvma_all();
	for (unsigned int i = 0; i < ARRAY_SIZE(vs_fns) && !bad; i++) {
		a = ADDR(vs_fns[i]);
		data[0][2] = LOAD_VAL;
		mb();
		hung = run_l2(vs_fns[i], ADDR(&data[0][2]));
		if (ok)
			good = c.scause == EXC_ECALL_VS &&
			       (i == 0 ? c.pc == a
				       : c.x[R_A7] == L2_DONE &&
						 (i == 1 ? c.x[R_A0] == LOAD_VAL
							 : data[0][2] ==
								   STORE_VAL));
		else
			good = c.scause == EXC_FETCH_GPF && c.pc == a &&
			       c.stval == a && c.htval == pte_gpa >> 2 &&
			       (c.htinst == 0 || c.htinst == 0x3000) &&
			       (c.hstatus & HSTATUS_GVA) &&
			       (c.hstatus & HSTATUS_SPV);
		if (hung || !good) {
			l0_snprintf(
				why, sizeof(why),
				"L2 at 0x%lx%s: scause %lu sepc 0x%lx stval 0x%lx htval 0x%lx (PTE GPA 0x%lx) htinst 0x%lx hstatus 0x%lx a7 %lu",
				(unsigned long)a, hung ? " hung" : "", c.scause,
				c.pc, c.stval, c.htval, (unsigned long)pte_gpa,
				c.htinst, c.hstatus, c.x[R_A7]);
			bad = why;
		}
	}
	csr_write(vsatp, 0);
	csr_write(hgatp, 0);
	gvma_all();
	check(name, !bad, "%s", bad ? bad : "");
}

void test_main(void)
{
	h_reset();
	csr_write(sie, SIE_STIE);
	gprintf("%s: L1 RAM ends at 0x%lx; svpbmt %d svnapot %d svadu %d svade %d\n",
		payload_name, (unsigned long)past_ram(),
		hart_has_ext(boot_hartid, "svpbmt"),
		hart_has_ext(boot_hartid, "svnapot"),
		hart_has_ext(boot_hartid, "svadu"),
		hart_has_ext(boot_hartid, "svade"));
	hw_ad = hart_has_ext(boot_hartid, "svadu") &&
		!hart_has_ext(boot_hartid, "svade");
	for (unsigned int i = 0; i < ARRAY_SIZE(gcases); i++)
		gcase_run(&gcases[i]);
	root_past_case();
	perm_sweep("perm", false);
	perm_sweep("perm-mxr", true);
	h_reset();
	hgatp_cases();
	sv48x4_case();
	hfence_storm();
	hfence_remap();
	h_reset();
	vs_pt_case("vspt-r", PTE_R, true);
	vs_pt_case("vspt-rw", PTE_R | PTE_W, true);
	vs_pt_case("vspt-x", PTE_X, false);
	csr_write(sie, 0);
	h_reset();
}
