// SPDX-License-Identifier: MIT
/*
 * SBI RFENCE's remote HFENCEs (FIDs 3-6), as an L1 hypervisor uses them:
 * the other hart runs L2 through a G-stage table of VMID 5 shared with
 * this one; this hart changes a mapping and fences it on the other with
 * the SBI call; L2 there must see the new mapping. Under L0 the other
 * vCPU's shadow of the table keeps the old one until the fence reaches it
 * (on QEMU's own H the TLB is emptied on every change of V, so the
 * reference only shows that the calls succeed). Then hostile arguments:
 * masks naming no hart, ranges that wrap, huge ranges, VMIDs and ASIDs.
 */
#include "nested.h"

#define WAIT_US 2000000
#define NO_SUCH_HART 40
#define VMID 5
#define GPA_ALIAS 0xc0000000UL /* 2 MiB: the payload's first 2 MiB */
#define GPA_WIN 0xc0200000UL   /* one 4 KiB page, remapped */
#define VA_WIN 0x40000000UL    /* one 4 KiB page of the VS-stage */

enum {
	HFENCE_GVMA_VMID = 3,
	HFENCE_GVMA,
	HFENCE_VVMA_ASID,
	HFENCE_VVMA,
};

const char payload_name[] = "h-rfence";
PLAN("probe", "hart-start", "gs-before", "gvma-vmid-remote", "gvma-remote",
     "gvma-vmid-whole", "gvma-vmid-long-range", "gvma-all-harts", "vs-before",
     "vvma-remote", "vvma-asid-remote", "self-only", "invalid-bit",
     "invalid-base", "range-wraps", "range-huge", "size-all-ones", "vmid-huge",
     "asid-huge", "empty-mask");

static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));

/* One L2 load on the other hart, under the hgatp and vsatp given. */
static volatile struct {
	unsigned long seq, done;
	unsigned long hgatp, vsatp, pc, addr;
	unsigned long a7, a0, scause;
	unsigned long stop;
} remote;

static unsigned long image_2m(void)
{
	return ADDR(l2_load) & ~((1UL << 21) - 1);
}

static unsigned long alias(void (*fn)(void))
{
	return GPA_ALIAS + (ADDR(fn) - image_2m());
}

static void secondary(unsigned long hartid, unsigned long opaque)
{
	static struct vctx c;
	unsigned long seen = 0, hgatp_now = ~0UL, vsatp_now = ~0UL;

	(void)hartid;
	(void)opaque;
	h_reset();
	while (!READ_ONCE(remote.stop)) {
		if (READ_ONCE(remote.seq) == seen)
			continue;
		seen = remote.seq;
		mb();
		/*
		 * Its own fences only when it switches tables: what changes
		 * in them afterwards only the caller's SBI fences cover.
		 */
		if (hgatp_now != remote.hgatp || vsatp_now != remote.vsatp) {
			hgatp_now = remote.hgatp;
			vsatp_now = remote.vsatp;
			csr_write(hgatp, hgatp_now);
			csr_write(vsatp, vsatp_now);
			__asm__ volatile(HASM("hfence.gvma")
						 HASM("hfence.vvma")::
							 : "memory");
		}
		vctx_init(&c, l2_load);
		c.pc = remote.pc;
		c.x[R_A1] = remote.addr;
		l2_run(&c, MODE_VS);
		remote.a7 = c.x[R_A7];
		remote.a0 = c.x[R_A0];
		remote.scause = c.scause;
		mb();
		WRITE_ONCE(remote.done, seen);
	}
	h_reset();
}

/* L2's load of `addr` on the other hart: the value, or ~0 when it failed. */
static unsigned long remote_load(unsigned long hgatp, unsigned long vsatp,
				 unsigned long pc, unsigned long addr)
{
	uint64_t end = now() + us_to_ticks(WAIT_US);
	unsigned long seq = remote.seq + 1;

	remote.hgatp = hgatp;
	remote.vsatp = vsatp;
	remote.pc = pc;
	remote.addr = addr;
	mb();
	WRITE_ONCE(remote.seq, seq);
	while (READ_ONCE(remote.done) != seq)
		if (now() > end)
			return ~0UL;
	mb();
	return remote.a7 == L2_DONE ? remote.a0 : ~0UL;
}

static long rfence(unsigned long fid, unsigned long mask, unsigned long base,
		   unsigned long start, unsigned long size, unsigned long id)
{
	return sbi_call(SBI_EXT_RFENCE, fid, mask, base, start, size, id).error;
}

static unsigned long gs_load(void)
{
	return remote_load(gstage_hgatp(VMID), 0, alias(l2_load), GPA_WIN);
}

/* Map GPA_WIN to `page`, fence with `fid` (...) on `mask`/`base`, load. */
static void gs_case(const char *name, uint64_t *page, unsigned long fid,
		    unsigned long mask, unsigned long base, unsigned long start,
		    unsigned long size)
{
	unsigned long got;
	long err;

	gstage_map_4k(GPA_WIN, (unsigned long)page, PTE_R | PTE_W);
	err = rfence(fid, mask, base, start, size, VMID);
	got = gs_load();
	check(name, !err && got == page[0],
	      "error %ld; L2 read 0x%lx, want 0x%lx (scause %lu)", err, got,
	      (unsigned long)page[0], remote.scause);
}

static void gstage_cases(unsigned long other)
{
	unsigned long mask = 1UL << other, got;

	gstage_reset();
	gstage_map_2m(GPA_ALIAS, image_2m(), PTE_R | PTE_W | PTE_X);
	gstage_map_4k(GPA_WIN, (unsigned long)page_a, PTE_R | PTE_W);
	csr_write(hgatp, gstage_hgatp(VMID));
	__asm__ volatile(HASM("hfence.gvma")::: "memory");
	got = gs_load();
	check("gs-before", got == page_a[0], "L2 read 0x%lx, want 0x%lx", got,
	      (unsigned long)page_a[0]);
	gs_case("gvma-vmid-remote", page_b, HFENCE_GVMA_VMID, mask, 0, GPA_WIN,
		4096);
	gs_case("gvma-remote", page_a, HFENCE_GVMA, mask, 0, GPA_WIN + 8, 8);
	gs_case("gvma-vmid-whole", page_b, HFENCE_GVMA_VMID, mask, 0, 0, 0);
	/* 1 GiB: more than any implementation fences page by page. */
	gs_case("gvma-vmid-long-range", page_a, HFENCE_GVMA_VMID, mask, 0,
		GPA_ALIAS, 1UL << 30);
	gs_case("gvma-all-harts", page_b, HFENCE_GVMA_VMID, 0, -1UL, GPA_WIN,
		4096);
}

/* The VS-stage: hgatp Bare, VA_WIN -> page, fence with `fid`, load. */
static void vs_case(const char *name, uint64_t *page, unsigned long fid,
		    unsigned long mask)
{
	unsigned long got;
	long err;

	vstage_map_4k(VA_WIN, (unsigned long)page, PTE_R | PTE_W | PTE_A);
	err = rfence(fid, mask, 0, VA_WIN, 4096, 0);
	got = remote_load(0, vstage_satp(), ADDR(l2_load), VA_WIN);
	check(name, !err && got == page[0],
	      "error %ld; L2 read 0x%lx, want 0x%lx (scause %lu)", err, got,
	      (unsigned long)page[0], remote.scause);
}

static void vstage_cases(unsigned long other)
{
	unsigned long ram_1g = plat.mem_base & ~((1UL << 30) - 1), got;

	/* The VVMA forms fence the caller's current VMID: Bare's, 0. */
	csr_write(hgatp, 0);
	vstage_reset();
	vstage_map_1g(ram_1g, ram_1g, PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	vstage_map_4k(VA_WIN, (unsigned long)page_a, PTE_R | PTE_W | PTE_A);
	got = remote_load(0, vstage_satp(), ADDR(l2_load), VA_WIN);
	check("vs-before", got == page_a[0], "L2 read 0x%lx, want 0x%lx", got,
	      (unsigned long)page_a[0]);
	vs_case("vvma-remote", page_b, HFENCE_VVMA, 1UL << other);
	vs_case("vvma-asid-remote", page_a, HFENCE_VVMA_ASID, 1UL << other);
}

static void expect(const char *name, long err, long want)
{
	check(name, err == want, "error %ld, want %ld", err, want);
}

static void hostile_cases(unsigned long other)
{
	unsigned long both = 1UL << other | 1UL << boot_hartid;
	long err = 0;

	expect("self-only",
	       rfence(HFENCE_GVMA_VMID, 1UL << boot_hartid, 0, 0, 0, VMID), 0);
	expect("invalid-bit",
	       rfence(HFENCE_GVMA, both | 1UL << NO_SUCH_HART, 0, 0, 0, 0),
	       SBI_ERR_INVALID_PARAM);
	expect("invalid-base", rfence(HFENCE_VVMA, 1, NO_SUCH_HART, 0, 0, 0),
	       SBI_ERR_INVALID_PARAM);
	/* start + size past 2^64: not a range (SBI_ERR_INVALID_ADDRESS). */
	for (unsigned long fid = HFENCE_GVMA_VMID; fid <= HFENCE_VVMA && !err;
	     fid++)
		if (rfence(fid, both, 0, -4096UL, 8192, 1) !=
		    SBI_ERR_INVALID_ADDRESS)
			err = (long)fid;
	check("range-wraps", !err, "FID %ld did not give -5", err);
	/* Bounded however large: a full fence. */
	err = 0;
	for (unsigned long fid = HFENCE_GVMA_VMID; fid <= HFENCE_VVMA && !err;
	     fid++)
		err = rfence(fid, both, 0, 0, 1UL << 62, 1);
	expect("range-huge", err, 0);
	err = 0;
	for (unsigned long fid = HFENCE_GVMA_VMID; fid <= HFENCE_VVMA && !err;
	     fid++)
		err = rfence(fid, both, 0, 0x1234000, ~0UL, 1);
	expect("size-all-ones", err, 0);
	expect("vmid-huge",
	       rfence(HFENCE_GVMA_VMID, both, 0, GPA_WIN, 4096, ~0UL), 0);
	expect("asid-huge",
	       rfence(HFENCE_VVMA_ASID, both, 0, VA_WIN, 4096, ~0UL), 0);
	expect("empty-mask", rfence(HFENCE_GVMA, 0, 0, 0, 0, 0), 0);
}

void test_main(void)
{
	long other = other_hart(), err;

	page_a[0] = 0xaaaa0001;
	page_b[0] = 0xbbbb0002;
	h_reset();
	check("probe", sbi_probe(SBI_EXT_RFENCE) == 1, "probe(RFENCE) %ld",
	      sbi_probe(SBI_EXT_RFENCE));
	err = other < 0 ? -1 : start_hart((unsigned long)other, secondary, 0);
	if (!check("hart-start", !err, "other hart %ld: error %ld", other,
		   err)) {
		for (unsigned long i = 2; i < payload_plan_len; i++)
			check(payload_plan[i], false, "needs 2 harts");
		return;
	}
	gstage_cases((unsigned long)other);
	vstage_cases((unsigned long)other);
	hostile_cases((unsigned long)other);
	WRITE_ONCE(remote.stop, 1);
	wait_hart_status(other, HSM_STOPPED, WAIT_US);
	h_reset();
}
