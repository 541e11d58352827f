// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: nested/walk.c, L0's software walks of L1's G-stage
 * tables (Sv39x4, Sv48x4) and of the VS-stage tables (Sv39, Sv48) that
 * HLV/HSV go through. L1 writes those tables: every PTE is hostile.
 *
 * L1's memory is a model of MEM_PAGES pages at MEM_BASE; a PTE read
 * outside it finds nothing there. The input is a stream of operations:
 * write a PTE (a pointer to a page of the model, a leaf with any flags, a
 * superpage, or any 64 bits), walk the G-stage (any hgatp, address and
 * access), walk the VS-stage through the G-stage (as HLV does), or ask
 * nested_gstage_leaf_4k() about any PTE.
 *
 * Oracles (privileged spec, "Virtual Address Translation" and "Guest
 * Physical Address Translation"): every PTE read is 8-byte aligned, at
 * most one per level, the first in the root that the atp names; a walk
 * that succeeds ends on a valid leaf of the model, read last, whose flags
 * allow the access (U and A always for the G-stage; W with D for a store;
 * U or SUM, MXR as the spec says for the VS-stage), whose PPN is aligned
 * to its page size, and the address it gives is that leaf's page plus the
 * offset; the prot it reports is what the leaf allows; a 4 KiB G-stage
 * leaf is one nested_gstage_leaf_4k() takes the same way; a G-stage fault
 * while reading a VS-stage PTE reports that PTE's address.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "../../nested/walk.h"
#include "fuzz.h"

#define MEM_BASE 0x80000000ULL
#define MEM_PAGES 16
#define PG 4096ULL
#define MAX_OPS 64

/* Privileged spec: PTE bits and the atp's fields (RV64). */
#define T_V (1ULL << 0)
#define T_R (1ULL << 1)
#define T_W (1ULL << 2)
#define T_X (1ULL << 3)
#define T_U (1ULL << 4)
#define T_A (1ULL << 6)
#define T_D (1ULL << 7)
#define T_RESERVED (~0ULL << 54)
#define T_PPN(pte) (((pte) >> 10) & ((1ULL << 44) - 1))

static uint64_t mem[MEM_PAGES * PG / 8];

/* The reads of one walk: how many, and the last one's address and PTE. */
struct reads {
	unsigned int n;
	uint64_t addr, pte;
};

static bool mem_read(struct reads *r, uint64_t addr, uint64_t *pte)
{
	CHECK(addr % 8 == 0, "a PTE read at 0x%llx", (unsigned long long)addr);
	r->n++;
	r->addr = addr;
	if (addr < MEM_BASE || addr - MEM_BASE >= sizeof(mem))
		return false;
	*pte = r->pte = mem[(addr - MEM_BASE) / 8];
	return true;
}

static bool g_read(void *ctx, uint64_t addr, uint64_t *pte)
{
	return mem_read(ctx, addr, pte);
}

/* A PTE worth trying: mostly pointers into the model and leaves. */
static uint64_t pick_pte(struct input *in)
{
	uint64_t page = (MEM_BASE / PG) + get(in, 1) % MEM_PAGES;

	switch (get(in, 1) % 5) {
	case 0: /* a pointer to a table of the model */
		return page << 10 | T_V;
	case 1: /* a 4 KiB leaf with any flags */
		return page << 10 | get(in, 1);
	case 2: /* a superpage leaf, aligned or not */
		return (get(in, 3) << (9 * (1 + get(in, 1) % 3))) << 10 |
		       get(in, 1);
	case 3: /* a leaf with any flags and high bits */
		return page << 10 | get(in, 1) | get(in, 2) << 48;
	default:
		return get(in, 8);
	}
}

/* An atp: MODE 8 or 9 (or any), its root in the model (or anywhere). */
static uint64_t pick_atp(struct input *in)
{
	uint64_t mode = get(in, 1), root = get(in, 1);

	mode = mode < 200 ? 8 + mode % 2 : mode % 16;
	root = root < 200 ? MEM_BASE / PG + root % MEM_PAGES : get(in, 6);
	return mode << 60 | get(in, 2) << 44 | (root & ((1ULL << 44) - 1));
}

/* An address: small, in the width of a mode, or any. */
static uint64_t pick_addr(struct input *in)
{
	switch (get(in, 1) % 4) {
	case 0:
		return get(in, 4);
	case 1:
		return get(in, 8) & ((1ULL << 41) - 1);
	case 2:
		return get(in, 8) & ((1ULL << 50) - 1);
	default:
		return get(in, 8);
	}
}

static int levels(uint64_t atp)
{
	uint64_t mode = atp >> 60;

	return mode == 8 ? 3 : mode == 9 ? 4 : 0;
}

/* The checks every leaf a walk ends on must pass. */
static void check_leaf(uint64_t pte, uint64_t page_size, const char *stage)
{
	CHECK(pte & T_V, "%s: an invalid leaf", stage);
	CHECK(pte & (T_R | T_X), "%s: a leaf with neither R nor X", stage);
	CHECK(!(pte & T_W) || (pte & T_R), "%s: a W-only leaf", stage);
	CHECK(pte & T_A, "%s: a leaf with A = 0", stage);
	CHECK(!(pte & T_RESERVED), "%s: a leaf with reserved bits", stage);
	CHECK(!((T_PPN(pte) << 12) & (page_size - 1)),
	      "%s: a misaligned superpage", stage);
}

/* The leaf's permissions allow the access (`mxr`: sstatus.MXR's loads). */
static void check_access(uint64_t pte, enum walk_access acc, bool mxr,
			 const char *stage)
{
	switch (acc) {
	case WALK_LOAD:
		CHECK((pte & T_R) || (mxr && (pte & T_X)),
		      "%s: a load without R", stage);
		break;
	case WALK_LOAD_MXR:
		CHECK(pte & (T_R | T_X), "%s: an MXR load without R or X",
		      stage);
		break;
	case WALK_STORE:
		CHECK((pte & T_W) && (pte & T_D), "%s: a store without W, D",
		      stage);
		break;
	case WALK_FETCH:
	case WALK_HLVX:
		CHECK(pte & T_X, "%s: a fetch without X", stage);
		break;
	default:
		break;
	}
}

static void gstage_walk(struct input *in)
{
	uint64_t hgatp = pick_atp(in), gpa = pick_addr(in);
	enum walk_access acc = (enum walk_access)(get(in, 1) % 6);
	int lv = levels(hgatp);
	struct reads r = { 0 };
	struct walk w, leaf;
	enum walk_result res;
	uint64_t pte;

	res = nested_gstage_walk(hgatp, gpa, acc, g_read, &r, &w);
	CHECK(r.n <= (unsigned int)lv, "G-stage: %u reads", r.n);
	if (!lv || gpa >> (14 + 9 * lv)) {
		CHECK(res == WALK_GUEST_PAGE_FAULT && !r.n,
		      "G-stage: a bad mode or a too wide GPA walked");
		return;
	}
	if (r.n == 1)
		CHECK(r.addr - ((hgatp & ((1ULL << 44) - 1)) << 12) < 4 * PG,
		      "G-stage: the first read outside the root");
	if (res == WALK_ACCESS_FAULT)
		CHECK(r.addr < MEM_BASE || r.addr - MEM_BASE >= sizeof(mem),
		      "G-stage: an access fault on a PTE in memory");
	if (res != WALK_OK)
		return;
	CHECK(w.pte_addr == r.addr, "G-stage: the leaf is not the last read");
	pte = r.pte;
	CHECK(w.page_size == PG || w.page_size == PG << 9 ||
		      w.page_size == PG << 18 || w.page_size == PG << 27,
	      "G-stage: page size 0x%llx", (unsigned long long)w.page_size);
	check_leaf(pte, w.page_size, "G-stage");
	CHECK(pte & T_U, "G-stage: a leaf with U = 0");
	CHECK(w.pa == ((T_PPN(pte) << 12) | (gpa & (w.page_size - 1))),
	      "G-stage: the address is not the leaf's");
	CHECK(!(w.prot & WALK_R) == !(pte & T_R) &&
		      !(w.prot & WALK_X) == !(pte & T_X) &&
		      !(w.prot & WALK_W) == !((pte & T_W) && (pte & T_D)),
	      "G-stage: prot is not the leaf's");
	check_access(pte, acc, false, "G-stage");
	if (w.page_size == PG) {
		CHECK(nested_gstage_leaf_4k(pte, &leaf) &&
			      leaf.pa == (w.pa & ~(PG - 1)) &&
			      leaf.prot == w.prot,
		      "G-stage: nested_gstage_leaf_4k() disagrees with the walk");
	}
}

/* A VS-stage PTE read, through the G-stage as HLV's walk does it. */
struct vs_ctx {
	uint64_t hgatp;
	struct reads g, vs; /* the G-stage's, and the VS-stage's PTEs */
};

static enum walk_result vs_read(void *ctx, uint64_t addr, uint64_t *pte)
{
	struct vs_ctx *c = ctx;
	enum walk_result r;
	struct walk w;

	c->vs.n++;
	c->vs.addr = addr;
	c->g.n = 0;
	r = nested_gstage_walk(c->hgatp, addr, WALK_LOAD, g_read, &c->g, &w);
	if (r != WALK_OK)
		return r;
	if (!mem_read(&c->g, w.pa, pte))
		return WALK_ACCESS_FAULT;
	c->vs.pte = *pte;
	return WALK_OK;
}

static void vs_walk(struct input *in)
{
	struct vs_ctx c = { .hgatp = pick_atp(in) };
	uint64_t vsatp = pick_atp(in), va = pick_addr(in), gpa = 0, fault = 0;
	unsigned int flags = (unsigned int)get(in, 1);
	struct vs_walk_ctl ctl = {
		.acc = (enum walk_access)(flags % 5),
		.user = flags & 8,
		.sum = flags & 16,
		.mxr = flags & 32,
		.read = vs_read,
		.ctx = &c,
	};
	int lv = levels(vsatp);
	enum walk_result res;
	uint64_t pte;

	if (flags & 64)
		va = (uint64_t)((int64_t)(va << 16) >> 16); /* canonical Sv48 */
	res = nested_vs_walk(vsatp, va, &ctl, &gpa, &fault);
	CHECK(c.vs.n <= (unsigned int)lv, "VS-stage: %u reads", c.vs.n);
	if (res == WALK_GUEST_PAGE_FAULT || res == WALK_ACCESS_FAULT)
		CHECK(c.vs.n && fault == c.vs.addr,
		      "VS-stage: a G-stage fault not at the PTE read");
	if (res != WALK_OK)
		return;
	CHECK(lv && c.vs.n, "VS-stage: a walk of a bad mode succeeded");
	CHECK((uint64_t)(((int64_t)va >> (11 + 9 * lv)) + 1) <= 1,
	      "VS-stage: a non-canonical address translated");
	pte = c.vs.pte;
	check_leaf(pte, PG, "VS-stage");
	CHECK((gpa & (PG - 1)) == (va & (PG - 1)),
	      "VS-stage: the page offset changed");
	CHECK((gpa >> 12) >= T_PPN(pte) &&
		      (gpa >> 12) - T_PPN(pte) < (1ULL << (9 * (lv - 1))),
	      "VS-stage: the address is outside the leaf's pages");
	if (ctl.user)
		CHECK(pte & T_U, "VS-stage: U-mode through an S page");
	else if (pte & T_U)
		CHECK(ctl.sum && ctl.acc != WALK_FETCH,
		      "VS-stage: S-mode through a U page without SUM");
	check_access(pte, ctl.acc, ctl.mxr, "VS-stage");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct walk w;

	memset(mem, 0, sizeof(mem));
	for (unsigned int i = 0; i < MAX_OPS && in.n; i++) {
		switch (get(&in, 1) % 4) {
		case 0: {
			unsigned int page =
				(unsigned int)get(&in, 1) % MEM_PAGES;
			unsigned int idx = (unsigned int)get(&in, 2) % 512;

			mem[page * 512 + idx] = pick_pte(&in);
			break;
		}
		case 1:
			gstage_walk(&in);
			break;
		case 2:
			vs_walk(&in);
			break;
		default: {
			uint64_t pte = pick_pte(&in);

			if (nested_gstage_leaf_4k(pte, &w))
				check_leaf(pte, PG, "leaf_4k");
			break;
		}
		}
	}
	return 0;
}
