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
     "vspt-x", "alias-flood", "vmid-churn", "fence-gpa");

#define WATCHDOG_US 2000000UL
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

/* Run L2 in VS-mode with a0..a2 and a watchdog of us: whether it fired. */
static bool run_l2_args(void (*pc)(void), unsigned long a0, unsigned long a1,
			unsigned long a2, unsigned long us)
{
	vctx_init(&c, pc);
	c.x[R_A0] = a0;
	c.x[R_A1] = a1;
	c.x[R_A2] = a2;
	sbi_set_timer(now() + us_to_ticks(us));
	l2_run(&c, MODE_VS);
	sbi_set_timer(~0UL);
	return c.scause == WATCHDOG_CAUSE;
}

static bool run_l2(void (*pc)(void), unsigned long a1)
{
	return run_l2_args(pc, 0, a1, STORE_VAL, WATCHDOG_US);
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

/* ---- Pushing a shadow G-stage to its limits ---- */

/*
 * L2 code in C: it runs in VS-mode with vsatp Bare, where the G-stage maps
 * L1's RAM 1:1, so it may call and read what L1 can; it uses its arguments
 * (a0..a2) and its stack, no globals. It ends in an ecall with a0..a3 and
 * a7 = L2_DONE: the ecall of an SBI call, which goes to L1 and returns not.
 */
static inline __attribute__((always_inline, noreturn)) void
l2_report(unsigned long a0, unsigned long a1, unsigned long a2,
	  unsigned long a3)
{
	sbi_call(L2_DONE, 0, a0, a1, a2, a3, 0);
	__builtin_unreachable();
}

/* L2: out[i] = the word at GPA in[i], for i < n. */
static void __attribute__((noinline, noreturn))
l2_read_list(const uint64_t *in, uint64_t *out, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		out[i] = *(volatile const uint64_t *)(unsigned long)in[i];
	l2_report(0, n, 0, 0);
}

#define RD_MAX 32
/* An L2 run of the shadow cases may take several shadow faults. */
#define SHADOW_WATCHDOG_US 2000000UL
static uint64_t rd_in[RD_MAX], rd_out[RD_MAX], rd_want[RD_MAX];

/* A word no other page holds: k names the page (or block), w the word. */
static uint64_t tagv(unsigned long k, unsigned long w)
{
	return 0xa11a5ed000000000UL | (uint64_t)k << 20 | w;
}

static void fill_tags(uint64_t *page, unsigned long words, unsigned long k)
{
	for (unsigned long w = 0; w < words; w++)
		page[w] = tagv(k, w);
}

/*
 * Run L2 C code at pc with a0..a2 (a watchdog of us): whether it ended in
 * its L2_DONE ecall; if not, why says so, after what.
 */
static bool l2_done(void (*pc)(void), unsigned long a0, unsigned long a1,
		    unsigned long a2, unsigned long us, const char *what)
{
	mb();
	if (run_l2_args(pc, a0, a1, a2, us)) {
		l0_snprintf(why, sizeof(why), "%s: L2 hung (watchdog %lu ms)",
			    what, us / 1000);
		return false;
	}
	if (c.scause == EXC_ECALL_VS && c.x[R_A7] == L2_DONE)
		return true;
	l0_snprintf(
		why, sizeof(why),
		"%s: L2 trapped: scause %lu sepc 0x%lx stval 0x%lx htval 0x%lx",
		what, c.scause, c.pc, c.stval, c.htval);
	return false;
}

/*
 * L2 reads the n GPAs in rd_in; rd_want[i] holds the L1 address each
 * should land at (L1 reads the word there itself). NULL or why not, with
 * what as context.
 */
static const char *l2_reads(unsigned long n, const char *what)
{
	unsigned long i;

	if (!l2_done((void (*)(void))l2_read_list, ADDR(rd_in), ADDR(rd_out), n,
		     SHADOW_WATCHDOG_US, what))
		return why;
	for (i = 0; i < n; i++) {
		uint64_t want = *(volatile uint64_t *)(unsigned long)rd_want[i];

		if (rd_out[i] != want) {
			l0_snprintf(
				why, sizeof(why),
				"%s: GPA 0x%lx read 0x%lx, want 0x%lx (at L1 0x%lx)",
				what, (unsigned long)rd_in[i],
				(unsigned long)rd_out[i], (unsigned long)want,
				(unsigned long)rd_want[i]);
			return why;
		}
	}
	return NULL;
}

static void fence_gvma(uint64_t gpa, unsigned long vmid)
{
	if (vmid)
		__asm__ volatile(HASM("hfence.gvma %0, %1")::"r"(gpa >> 2),
				 "r"(vmid)
				 : "memory");
	else
		__asm__ volatile(HASM("hfence.gvma %0, zero")::"r"(gpa >> 2)
				 : "memory");
}

/*
 * alias-flood: FLOOD_REGIONS 2 MiB regions of L2 GPA space (8 GiB from
 * 4 GiB: root entries 4..11) through one level-1 table whose 512 entries
 * all point at one level-0 table, whose leaves map 4 L1 pages in turn.
 * Legal aliasing: L1's tables are 6 pages; a shadow needs a table page
 * per region, far over L0's cap. L2 reads a word of every region (a page
 * index that changes with the region), then writes a word through each
 * region and reads it back through another region and another page
 * index that alias the same L1 page. Then L1 turns its leaves by one L1
 * page (all regions change) and fences by its VMID, and again.
 */
#define FLOOD_BASE (4UL << 30)
#define FLOOD_REGIONS 4096UL
#define FLOOD_PAGES 4
#define FLOOD_ROUNDS 3		     /* leaves turned by 0, 1, 2 pages */
#define FLOOD_WATCHDOG_US 20000000UL /* 20 s: 3 shadow faults a region */

static uint64_t flood_l1[512] __attribute__((aligned(4096)));
static uint64_t flood_l0[512] __attribute__((aligned(4096)));
static uint64_t flood_data[FLOOD_PAGES][512] __attribute__((aligned(4096)));
static uint64_t flood_model[FLOOD_PAGES][512];

/* Region i's page index (i & 3 modulo 4: flood_data[(i + turn) & 3])
 * and word. */
static inline unsigned long flood_page(unsigned long i)
{
	return (i * 37) & 511;
}

static inline unsigned long flood_word(unsigned long i)
{
	return (i >> 2) & 511;
}

static inline uint64_t flood_gpa(unsigned long region, unsigned long page,
				 unsigned long word)
{
	return FLOOD_BASE + region * SZ_2M + page * PG + word * 8;
}

/* Another region (never i: 1030 i = -7 has no solution modulo 4096) and
 * another page index of the same L1 page. */
static inline unsigned long flood_peer(unsigned long i)
{
	return (i * 1031 + 7) & (FLOOD_REGIONS - 1);
}

static inline unsigned long flood_peer_page(unsigned long i)
{
	return flood_page(i) ^ (4 * (1 + i % 127));
}

static inline uint64_t flood_val(unsigned long i, unsigned long turn)
{
	return (0x5eed000000000000UL | turn << 40) ^ (i * 0x9e3779b97f4a7c15UL);
}

/* L2, with L1's leaves turned by turn pages: a0 = 0 when all went well,
 * else the pass (1 read, 2 write), a1 the region, a2 what was read, a3
 * what was wanted. */
static void __attribute__((noinline, noreturn)) l2_flood(unsigned long turn)
{
	unsigned long i, pass = 1;
	uint64_t got = 0, want = 0;

	/* Last region first: what the shadow may still hold from the write
	 * pass of the turn before (a reclaim would empty it later). */
	for (i = FLOOD_REGIONS; i-- > 0;) {
		unsigned long p = flood_page(i), w = flood_word(i);

		got = *(volatile uint64_t *)flood_gpa(i, p, w);
		want = tagv((p + turn) & 3, w);
		if (got != want)
			goto out;
	}
	pass = 2;
	for (i = 0; i < FLOOD_REGIONS; i++) {
		unsigned long w = flood_word(i);

		want = flood_val(i, turn);
		*(volatile uint64_t *)flood_gpa(i, flood_page(i), w) = want;
		got = *(volatile uint64_t *)flood_gpa(flood_peer(i),
						      flood_peer_page(i), w);
		if (got != want)
			goto out;
	}
	pass = 0;
out:
	l2_report(pass, i, got, want);
}

/* One L2 flood with L1's leaves turned by turn pages: NULL or why not. */
static const char *flood_run(unsigned long turn)
{
	unsigned long i, k, w;
	char what[16];

	for (k = 0; k < FLOOD_PAGES; k++)
		fill_tags(flood_data[k], 512, k);
	memcpy(flood_model, flood_data, sizeof(flood_model));
	for (i = 0; i < 512; i++)
		flood_l0[i] =
			pte_leaf(ADDR(flood_data[(i + turn) % FLOOD_PAGES]),
				 RWX | GLEAF);
	mb();
	/* Every region's translation changed: only a fence of them all (or
	 * of the VMID) reaches all (one by address reaches one region). */
	fence_vmid();
	l0_snprintf(what, sizeof(what), "turn %lu", turn);
	if (!l2_done((void (*)(void))l2_flood, turn, 0, 0, FLOOD_WATCHDOG_US,
		     what))
		return why;
	if (c.x[R_A0]) {
		i = c.x[R_A1];
		w = flood_word(i);
		l0_snprintf(
			why, sizeof(why),
			"turn %lu, pass %lu (%s), region %lu: GPA 0x%lx read 0x%lx, want 0x%lx",
			turn, c.x[R_A0],
			c.x[R_A0] == 1 ? "read" : "write, read via an alias", i,
			(unsigned long)(c.x[R_A0] == 1
						? flood_gpa(i, flood_page(i), w)
						: flood_gpa(flood_peer(i),
							    flood_peer_page(i),
							    w)),
			c.x[R_A2], c.x[R_A3]);
		return why;
	}
	/* Every write landed in the L1 page its alias names. */
	for (i = 0; i < FLOOD_REGIONS; i++)
		flood_model[(flood_page(i) + turn) & 3][flood_word(i)] =
			flood_val(i, turn);
	for (k = 0; k < FLOOD_PAGES; k++)
		for (w = 0; w < 512; w++)
			if (flood_data[k][w] != flood_model[k][w]) {
				l0_snprintf(
					why, sizeof(why),
					"turn %lu, after L2: L1 page %lu word %lu is 0x%lx, want 0x%lx",
					turn, k, w,
					(unsigned long)flood_data[k][w],
					(unsigned long)flood_model[k][w]);
				return why;
			}
	return NULL;
}

static void alias_flood(void)
{
	const char *bad = NULL;
	unsigned long i;

	g_reset();
	for (i = 0; i < 512; i++)
		flood_l1[i] = pte_ptr(ADDR(flood_l0));
	for (i = FLOOD_BASE >> 30;
	     i < (FLOOD_BASE + FLOOD_REGIONS * SZ_2M) >> 30; i++)
		groot[i] = pte_ptr(ADDR(flood_l1));
	mb();
	csr_write(hgatp, hgatp_of(ATP_MODE_SV39, ADDR(groot)));
	gvma_all();
	for (i = 0; i < FLOOD_ROUNDS && !bad; i++)
		bad = flood_run(i);
	csr_write(hgatp, 0);
	gvma_all();
	if (bad)
		check("alias-flood", false, "%s", bad);
	else
		pass_note(
			"alias-flood",
			"%lu regions of 2 MiB, %lu accesses, 6 L1 table pages, leaves turned %u times",
			FLOOD_REGIONS, FLOOD_ROUNDS * 3 * FLOOD_REGIONS,
			FLOOD_ROUNDS - 1);
}

/*
 * vmid-churn: CH_N tables, each under its own VMID (several with the same
 * VMID modulo 4), each mapping region A (CH_GPA, 4 KiB leaves) to pages of
 * its own and region B (the next 2 MiB) to the same pages through the same
 * level-0 table, or, for every other table, as a 2 MiB leaf to one of two
 * blocks. Built and fenced once, then L2 runs under them in random order,
 * without fences: VMIDs tag the translations, so each run must see its own
 * table's data (privileged spec: writing hgatp does not flush, and needs
 * no fence when the VMID's translations did not change).
 */
#define CH_N 10
#define CH_GPA 0x40000000UL
#define CH_PAGES 4
#define CH_ROUNDS 24

static const unsigned long ch_vmids[CH_N] = {
	1, 2, 3, 4, 5, 6, 7, 8, 12, 0x3ffc
};
static uint64_t ch_root[CH_N][2048] __attribute__((aligned(16384)));
static uint64_t ch_l1[CH_N][512] __attribute__((aligned(4096)));
static uint64_t ch_l0[CH_N][512] __attribute__((aligned(4096)));
static uint64_t ch_data[CH_N][CH_PAGES][512] __attribute__((aligned(4096)));
/* 2 MiB blocks, tagged: the churn's region B and fence-gpa's split. */
static uint64_t hblk[2][SZ_2M / 8] __attribute__((aligned(SZ_2M)));

static void ch_build(void)
{
	for (unsigned int t = 0; t < CH_N; t++) {
		memset(ch_root[t], 0, sizeof(ch_root[t]));
		memset(ch_l1[t], 0, sizeof(ch_l1[t]));
		memset(ch_l0[t], 0, sizeof(ch_l0[t]));
		ch_root[t][ram_1g() >> 30] = pte_leaf(ram_1g(), RWX | GLEAF);
		ch_root[t][CH_GPA >> 30] = pte_ptr(ADDR(ch_l1[t]));
		ch_l1[t][0] = pte_ptr(ADDR(ch_l0[t]));
		ch_l1[t][1] =
			t & 1 ? pte_ptr(ADDR(ch_l0[t]))
			      : pte_leaf(ADDR(hblk[t / 2 & 1]), RWX | GLEAF);
		for (unsigned int j = 0; j < CH_PAGES; j++) {
			fill_tags(ch_data[t][j], 512, 0x100 + t * 8 + j);
			ch_l0[t][j] =
				pte_leaf(ADDR(ch_data[t][j]), RWX | GLEAF);
		}
	}
	for (unsigned int b = 0; b < 2; b++)
		fill_tags(hblk[b], SZ_2M / 8, 0x200 + b);
	mb();
}

/* The reads of one run under table t: 2 * CH_PAGES. */
static unsigned long ch_reads(unsigned int t, unsigned int round)
{
	unsigned long n = 0;

	for (unsigned long j = 0; j < CH_PAGES; j++) {
		unsigned long w = (j * 7 + round) & 511;

		rd_in[n] = CH_GPA + j * PG + w * 8;
		rd_want[n++] = ADDR(&ch_data[t][j][w]);
		rd_in[n] = CH_GPA + SZ_2M + j * PG + w * 8;
		rd_want[n++] = t & 1 ? ADDR(&ch_data[t][j][w])
				     : ADDR(&hblk[t / 2 & 1][j * 512 + w]);
	}
	return n;
}

static uint64_t ch_hgatp(unsigned int t, unsigned long vmid)
{
	return (ATP_MODE_SV39 << ATP_MODE_SHIFT) | (vmid << HGATP_VMID_SHIFT) |
	       (ADDR(ch_root[t]) >> 12);
}

/*
 * One VMID, a new root: without a fence the old table's translations may
 * still be used (each read sees the old or the new table's word); after
 * HFENCE.GVMA by that VMID (or all), only the new table's.
 */
static const char *ch_new_root(unsigned long vmid, unsigned int *stale)
{
	uint64_t old[RD_MAX], neu[RD_MAX];
	unsigned long n, i;
	const char *bad;

	csr_write(hgatp, ch_hgatp(0, vmid));
	bad = l2_reads(ch_reads(0, 0), "old root");
	if (bad)
		return bad;
	/* Each word read must be the old table's or the new one's. */
	n = ch_reads(0, 1);
	for (i = 0; i < n; i++)
		old[i] = *(uint64_t *)(unsigned long)rd_want[i];
	ch_reads(1, 1);
	for (i = 0; i < n; i++)
		neu[i] = *(uint64_t *)(unsigned long)rd_want[i];
	csr_write(hgatp, ch_hgatp(1, vmid));
	bad = l2_reads(n, "new root, no fence");
	if (bad && (c.scause != EXC_ECALL_VS || c.x[R_A7] != L2_DONE))
		return bad;
	for (i = 0; i < n; i++) {
		if (rd_out[i] == old[i]) {
			(*stale)++;
		} else if (rd_out[i] != neu[i]) {
			l0_snprintf(
				why, sizeof(why),
				"new root, no fence: GPA 0x%lx read 0x%lx, neither the old table's 0x%lx nor the new one's 0x%lx",
				(unsigned long)rd_in[i],
				(unsigned long)rd_out[i], (unsigned long)old[i],
				(unsigned long)neu[i]);
			return why;
		}
	}
	__asm__ volatile(HASM("hfence.gvma zero, %0")::"r"(vmid) : "memory");
	bad = l2_reads(ch_reads(1, 2), "new root, HFENCE.GVMA by VMID");
	if (bad)
		return bad;
	csr_write(hgatp, ch_hgatp(0, vmid));
	fence_all();
	return l2_reads(ch_reads(0, 3), "old root again, HFENCE.GVMA all");
}

static void vmid_churn(void)
{
	unsigned long mask, vmid;
	unsigned int order[CH_N], round, i, t = 0, stale = 0;
	const char *bad = NULL;
	bool fenced;

	csr_write(hgatp, ch_hgatp(0, HGATP_VMID_MASK));
	mask = csr_read(hgatp) >> HGATP_VMID_SHIFT & HGATP_VMID_MASK;
	/* Fewer VMIDs than tables: they share VMIDs, and need fences. */
	fenced = mask < 0x3ffc;
	ch_build();
	gvma_all();
	for (i = 0; i < CH_N; i++)
		order[i] = i;
	for (round = 0; round < CH_ROUNDS && !bad; round++) {
		for (i = CH_N - 1; i > 0; i--) {
			unsigned int j = (unsigned int)(rnd() % (i + 1)), x;

			x = order[i];
			order[i] = order[j];
			order[j] = x;
		}
		for (i = 0; i < CH_N && !bad; i++) {
			t = order[i];
			vmid = ch_vmids[t] & mask;
			csr_write(hgatp, ch_hgatp(t, vmid));
			if (fenced)
				fence_all();
			bad = l2_reads(ch_reads(t, round), "churn");
		}
	}
	if (bad) {
		l0_snprintf(why + strlen(why), sizeof(why) - strlen(why),
			    "; round %u, table %u, VMID 0x%lx", round - 1, t,
			    ch_vmids[t] & mask);
	} else {
		bad = ch_new_root(ch_vmids[2] & mask, &stale);
	}
	csr_write(hgatp, 0);
	gvma_all();
	if (bad)
		check("vmid-churn", false, "%s", bad);
	else
		pass_note(
			"vmid-churn",
			"%u runs, %u tables%s; new root without a fence: %u of %u words stale",
			CH_ROUNDS * CH_N, CH_N,
			fenced ? " (too few VMIDs: fenced)" : "", stale,
			2 * CH_PAGES);
}

/*
 * fence-gpa: L1 remaps single 4 KiB pages of a region L2 has read and
 * fences each by its address alone (HFENCE.GVMA gpa >> 2, with the VMID or
 * zero): L2 sees the new page, and the old ones elsewhere. L1's RAM shows
 * to L2 through 4 KiB leaves, so a shadow holds nothing larger. Then a
 * 2 MiB leaf that L1 splits into 4 KiB leaves (one page remapped) and
 * joins again, fenced each time by one address (in the remapped page).
 */
#define FG_4K 0x40600000UL
#define FG_2M 0x40800000UL
#define FG_PAGES 16
#define FG_NEW 4
#define FG_ROUNDS 48
#define FG_SPLITS 8
#define FG_RAM_TABLES 6

static uint64_t fg_old[FG_PAGES][512] __attribute__((aligned(4096)));
static uint64_t fg_new[FG_NEW][512] __attribute__((aligned(4096)));
static uint64_t fg_ram_l1[512] __attribute__((aligned(4096)));
static uint64_t fg_ram_l0[FG_RAM_TABLES][512] __attribute__((aligned(4096)));
static unsigned int fg_ram_used;

/* L1's RAM around pa, 1:1 for L2 through a level-0 table of its own. */
static bool fg_ram_4k(uint64_t pa)
{
	uint64_t *slot = &fg_ram_l1[(pa >> 21) & 511], base;

	if (*slot & PTE_V)
		return true;
	if (fg_ram_used == FG_RAM_TABLES)
		return false;
	base = pa & ~(SZ_2M - 1);
	for (unsigned long i = 0; i < 512; i++)
		fg_ram_l0[fg_ram_used][i] =
			pte_leaf(base + i * PG, RWX | GLEAF);
	*slot = pte_ptr(ADDR(fg_ram_l0[fg_ram_used++]));
	return true;
}

/* What L2 needs of L1's RAM (code, lists, stack) as 4 KiB leaves. */
static bool fg_ram(void)
{
	struct vctx probe;
	uint64_t sp;

	vctx_init(&probe, l2_ecall);
	sp = probe.x[R_SP];
	memset(fg_ram_l1, 0, sizeof(fg_ram_l1));
	fg_ram_used = 0;
	groot[ram_1g() >> 30] = pte_ptr(ADDR(fg_ram_l1));
	return fg_ram_4k(ADDR(l2_read_list)) &&
	       fg_ram_4k(ADDR(l2_read_list) + 256) && fg_ram_4k(ADDR(rd_in)) &&
	       fg_ram_4k(ADDR(&rd_in[RD_MAX]) - 1) && fg_ram_4k(ADDR(rd_out)) &&
	       fg_ram_4k(ADDR(&rd_out[RD_MAX]) - 1) && fg_ram_4k(sp - 1) &&
	       fg_ram_4k(sp - 4096);
}

/* L2 reads a word of every page of FG_4K (as cur maps them). */
static const char *fg_read_4k(uint64_t *const cur[FG_PAGES], unsigned int round)
{
	for (unsigned long i = 0; i < FG_PAGES; i++) {
		unsigned long w = (i * 5 + round) & 511;

		rd_in[i] = FG_4K + i * PG + w * 8;
		rd_want[i] = ADDR(&cur[i][w]);
	}
	return l2_reads(FG_PAGES, "4 KiB remap");
}

/* L2 reads pages 0, k, k ^ 1 and 511 of FG_2M: hblk[0], but page k at
 * fg_new[0] if split. */
static const char *fg_read_2m(unsigned long k, bool split, const char *what)
{
	static const unsigned long pages[] = { 0, 0, 0, 511 };

	for (unsigned long i = 0; i < ARRAY_SIZE(pages); i++) {
		unsigned long p = i == 1 ? k : i == 2 ? k ^ 1 : pages[i];
		unsigned long w = (p * 3 + i) & 511;

		rd_in[i] = FG_2M + p * PG + w * 8;
		rd_want[i] = split && p == k ? ADDR(&fg_new[0][w])
					     : ADDR(&hblk[0][p * 512 + w]);
	}
	return l2_reads(ARRAY_SIZE(pages), what);
}

static const char *fg_split(void)
{
	uint64_t *l1slot = g_slot(FG_2M, 1), *split = pool[pool_used++];
	uint64_t big = pte_leaf(ADDR(hblk[0]), RWX | GLEAF), gpa;
	const char *bad = NULL;

	*l1slot = big;
	mb();
	fence_gvma(FG_2M, VMID);
	for (unsigned int r = 0; r < FG_SPLITS && !bad; r++) {
		unsigned long k = 1 + rnd() % 510;

		bad = fg_read_2m(k, false, "2 MiB leaf");
		if (bad)
			break;
		for (unsigned long i = 0; i < 512; i++)
			split[i] =
				pte_leaf(ADDR(hblk[0]) + i * PG, RWX | GLEAF);
		split[k] = pte_leaf(ADDR(fg_new[0]), RWX | GLEAF);
		mb();
		*l1slot = pte_ptr(ADDR(split));
		mb();
		gpa = FG_2M + k * PG + (rnd() & (PG - 4));
		fence_gvma(gpa, r & 1 ? VMID : 0);
		bad = fg_read_2m(k, true, "split, fenced in the page");
		if (bad)
			break;
		*l1slot = big;
		mb();
		fence_gvma(gpa, r & 1 ? 0 : VMID);
		bad = fg_read_2m(k, false, "joined, fenced in the page");
	}
	return bad;
}

/*
 * A 1 GiB leaf (FG_1G, to L1's RAM) read by L2 in two 2 MiB pieces, made
 * invalid and fenced by an address in one piece: the fence drops what
 * caches that leaf, so the other piece faults too; made valid again and
 * fenced by the other piece: both read again.
 */
#define FG_1G 0xc0000000UL
#define FG_1G_ROUNDS 4

/* L2 reads GPA gpa: a load guest-page fault, else why not. */
static const char *fg_read_gpf(uint64_t gpa, const char *what)
{
	rd_in[0] = gpa;
	mb();
	if (run_l2_args((void (*)(void))l2_read_list, ADDR(rd_in), ADDR(rd_out),
			1, SHADOW_WATCHDOG_US))
		c.scause = WATCHDOG_CAUSE;
	if (c.scause == EXC_LOAD_GPF && c.stval == gpa && c.htval == gpa >> 2 &&
	    (c.hstatus & HSTATUS_GVA))
		return NULL;
	l0_snprintf(
		why, sizeof(why),
		"%s: GPA 0x%lx, want a load guest-page fault: scause %lu stval 0x%lx htval 0x%lx hstatus 0x%lx a7 %lu",
		what, (unsigned long)gpa, c.scause, c.stval, c.htval, c.hstatus,
		c.x[R_A7]);
	return why;
}

static const char *fg_1g(void)
{
	uint64_t pa[2] = { ADDR(&fg_old[0][7]), ADDR(&hblk[1][0x4321]) };
	uint64_t leaf = pte_leaf(ram_1g(), RWX | GLEAF), gpa[2];
	uint64_t *slot = &groot[FG_1G >> 30];
	const char *bad = NULL;

	for (unsigned int i = 0; i < 2; i++) {
		gpa[i] = FG_1G + (pa[i] - ram_1g());
		rd_in[i] = gpa[i];
		rd_want[i] = pa[i];
	}
	*slot = leaf;
	mb();
	fence_gvma(gpa[0], VMID);
	for (unsigned int r = 0; r < FG_1G_ROUNDS && !bad; r++) {
		unsigned int f = r & 1;

		rd_in[0] = gpa[0];
		bad = l2_reads(2, "1 GiB leaf");
		if (bad)
			break;
		*slot = 0;
		mb();
		fence_gvma(gpa[f], r & 2 ? 0 : VMID);
		bad = fg_read_gpf(
			gpa[!f],
			"1 GiB leaf made invalid, fenced by an address in another 2 MiB");
		if (!bad)
			bad = fg_read_gpf(
				gpa[f],
				"1 GiB leaf made invalid, fenced by this address");
		*slot = leaf;
		mb();
		fence_gvma(gpa[!f], r & 2 ? VMID : 0);
	}
	if (!bad) {
		rd_in[0] = gpa[0];
		bad = l2_reads(2, "1 GiB leaf valid again");
	}
	return bad;
}

static void fence_gpa_case(void)
{
	uint64_t *cur[FG_PAGES];
	const char *bad = NULL;
	unsigned int r = 0;

	g_reset();
	for (unsigned long i = 0; i < FG_PAGES; i++) {
		fill_tags(fg_old[i], 512, 0x300 + i);
		cur[i] = fg_old[i];
		*g_slot(FG_4K + i * PG, 0) =
			pte_leaf(ADDR(fg_old[i]), RWX | GLEAF);
	}
	for (unsigned long i = 0; i < FG_NEW; i++)
		fill_tags(fg_new[i], 512, 0x380 + i);
	fill_tags(hblk[0], SZ_2M / 8, 0x200);
	if (!fg_ram()) {
		check("fence-gpa", false,
		      "L2's code, lists and stack need more than %u 2 MiB regions",
		      FG_RAM_TABLES);
		return;
	}
	mb();
	csr_write(hgatp, hgatp_of(ATP_MODE_SV39, ADDR(groot)));
	gvma_all();
	bad = fg_read_4k(cur, 0);
	for (r = 1; r <= FG_ROUNDS && !bad; r++) {
		unsigned long k = rnd() % FG_PAGES;
		uint64_t gpa = FG_4K + k * PG + (rnd() & (PG - 4));

		cur[k] = cur[k] == fg_old[k] ? fg_new[r % FG_NEW] : fg_old[k];
		*g_slot(FG_4K + k * PG, 0) =
			pte_leaf(ADDR(cur[k]), RWX | GLEAF);
		mb();
		fence_gvma(gpa, r & 1 ? VMID : 0);
		bad = fg_read_4k(cur, r);
		if (bad)
			l0_snprintf(why + strlen(why),
				    sizeof(why) - strlen(why),
				    "; round %u remapped page %lu", r, k);
	}
	if (!bad)
		bad = fg_split();
	if (!bad)
		bad = fg_1g();
	csr_write(hgatp, 0);
	gvma_all();
	if (bad)
		check("fence-gpa", false, "%s", bad);
	else
		pass_note(
			"fence-gpa",
			"%u 4 KiB remaps, %u 2 MiB splits, %u 1 GiB unmaps, each fenced by one address",
			FG_ROUNDS, FG_SPLITS, FG_1G_ROUNDS);
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
	h_reset();
	alias_flood();
	vmid_churn();
	fence_gpa_case();
	csr_write(sie, 0);
	h_reset();
}
