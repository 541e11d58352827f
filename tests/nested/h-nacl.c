// SPDX-License-Identifier: MIT
/*
 * SBI nested acceleration (SBI spec, "Nested Acceleration Extension (EID
 * #0x4E41434C "NACL")"): every function and feature, and the errors. An
 * SBI without NACL (OpenSBI on QEMU's own H extension) reports each case
 * as SKIP, which only the reference mode accepts (tests/nested/run.sh).
 */
#include <string.h>

#include "nested.h"

const char payload_name[] = "h-nacl";
PLAN("probe-ext", "probe-features", "unknown-fid", "no-shmem",
     "shmem-misaligned", "shmem-flags", "shmem-outside-ram", "shmem-enable",
     "csr-publish", "sync-csr-one", "sync-csr-all", "sync-csr-read-only",
     "sync-csr-bad", "sync-hfence-one", "sync-hfence-bad", "sync-hfence-gvma",
     "sync-sret", "sync-sret-syncs", "sync-sret-exit-csrs", "autoswap",
     "shmem-bad-while-on", "shmem-disable");

#define SBI_EXT_NACL 0x4e41434c
#define NACL_PROBE_FEATURE 0
#define NACL_SET_SHMEM 1
#define NACL_SYNC_CSR 2
#define NACL_SYNC_HFENCE 3
#define NACL_SYNC_SRET 4
#define SBI_ERR_NO_SHMEM (-9)

/* The shared memory's layout (XLEN = 64). */
#define SHMEM_SIZE (4096 + 1024 * 8)
#define AUTOSWAP_OFF 0x200
#define HFENCE_OFF 0x800
#define HFENCE_ENTRIES 60
#define DIRTY_OFF 0xf80
#define CSR_OFF 0x1000
#define HFENCE_PENDING (1UL << 63)
#define HFENCE_TYPE_SHIFT 56
#define HFENCE_GVMA_VMID_ALL 3
#define HFENCE_VVMA_ALL 5

#define CSR_HSTATUS 0x600
#define CSR_HEDELEG 0x602
#define CSR_HTVAL 0x643
#define CSR_HVIP 0x645
#define CSR_HTINST 0x64a
#define CSR_HGEIP 0xe12
#define CSR_VSTVEC 0x205
#define CSR_VSSCRATCH 0x240

#define GPA_ALIAS 0xc0000000UL /* 2 MiB: the payload's first 2 MiB */
#define GPA_WIN 0xc0200000UL   /* one 4 KiB page */
#define GPA_NONE 0xc0201000UL  /* nothing */

static uint8_t shmem[SHMEM_SIZE] __attribute__((aligned(4096)));
static struct vctx c;
static volatile uint64_t shared = 0x0123456789abcdefUL;
static uint64_t page_a[512] __attribute__((aligned(4096)));
static uint64_t page_b[512] __attribute__((aligned(4096)));

static struct sbiret nacl(unsigned long fid, unsigned long a0, unsigned long a1,
			  unsigned long a2)
{
	return sbi_call(SBI_EXT_NACL, fid, a0, a1, a2, 0, 0);
}

static long set_shmem(unsigned long lo, unsigned long hi, unsigned long flags)
{
	return nacl(NACL_SET_SHMEM, lo, hi, flags).error;
}

static long sync_csr(unsigned long csr)
{
	return nacl(NACL_SYNC_CSR, csr, 0, 0).error;
}

static long sync_hfence(unsigned long i)
{
	return nacl(NACL_SYNC_HFENCE, i, 0, 0).error;
}

static volatile uint64_t *word(unsigned int off)
{
	return (volatile uint64_t *)(void *)(shmem + off);
}

static unsigned int csr_index(unsigned int csr)
{
	return ((csr & 0xc00) >> 2) | (csr & 0xff);
}

static volatile uint64_t *csr_word(unsigned int csr)
{
	return word(CSR_OFF + 8 * csr_index(csr));
}

/* L1's write of CSR x: the word, then its dirty bit. */
static void l1_write(unsigned int csr, uint64_t val)
{
	unsigned int i = csr_index(csr);

	*csr_word(csr) = val;
	mb();
	shmem[DIRTY_OFF + i / 8] |= (uint8_t)(1u << (i % 8));
	mb();
}

static bool is_dirty(unsigned int csr)
{
	unsigned int i = csr_index(csr);

	return READ_ONCE(shmem[DIRTY_OFF + i / 8]) & (1u << (i % 8));
}

static volatile uint64_t *hfence_config(unsigned int i)
{
	return word(HFENCE_OFF + 32 * i);
}

static unsigned long shmem_pa(void)
{
	return (unsigned long)shmem;
}

static void probe_cases(void)
{
	bool feats = true;
	struct sbiret r;

	for (unsigned long id = 0; id < 4; id++) {
		r = nacl(NACL_PROBE_FEATURE, id, 0, 0);
		feats &= r.error == 0 && r.value == 1;
	}
	r = nacl(NACL_PROBE_FEATURE, 4, 0, 0);
	feats &= r.error == 0 && r.value == 0;
	r = nacl(NACL_PROBE_FEATURE, ~0UL, 0, 0);
	check("probe-features", feats && r.error == 0 && r.value == 0,
	      "features 0-3 not all 1, or 4/~0 not 0");
	r = nacl(5, 0, 0, 0);
	check("unknown-fid", r.error == SBI_ERR_NOT_SUPPORTED, "error %ld",
	      r.error);
}

/* Without shared memory, every sync is SBI_ERR_NO_SHMEM. */
static bool no_shmem(void)
{
	struct sbiret r = nacl(NACL_SYNC_SRET, 0, 0, 0);

	return sync_csr(~0UL) == SBI_ERR_NO_SHMEM &&
	       sync_hfence(~0UL) == SBI_ERR_NO_SHMEM &&
	       r.error == SBI_ERR_NO_SHMEM;
}

static void shmem_error_cases(void)
{
	unsigned long end = plat.mem_base + plat.mem_size;
	long e1, e2, e3, e4;

	check("no-shmem", no_shmem(), "a sync worked without shared memory");
	e1 = set_shmem(shmem_pa() + 8, 0, 0);
	check("shmem-misaligned",
	      e1 == SBI_ERR_INVALID_PARAM && no_shmem() &&
		      set_shmem(shmem_pa() + 0x800, 0, 0) ==
			      SBI_ERR_INVALID_PARAM,
	      "error %ld, or NACL on after it", e1);
	e1 = set_shmem(shmem_pa(), 0, 1);
	check("shmem-flags", e1 == SBI_ERR_INVALID_PARAM && no_shmem(),
	      "error %ld", e1);
	e1 = set_shmem(end, 0, 0);			/* past RAM */
	e2 = set_shmem(end - 4096, 0, 0);		/* crosses its end */
	e3 = set_shmem(shmem_pa(), 1, 0);		/* above 64 bits */
	e4 = set_shmem(plat.mem_base - 0x100000, 0, 0); /* below RAM */
	check("shmem-outside-ram",
	      e1 == SBI_ERR_INVALID_ADDRESS && e2 == SBI_ERR_INVALID_ADDRESS &&
		      e3 == SBI_ERR_INVALID_ADDRESS &&
		      e4 == SBI_ERR_INVALID_ADDRESS && no_shmem(),
	      "errors %ld %ld %ld %ld", e1, e2, e3, e4);
}

/* On: the CSR space holds the CSRs as they read; CSR writes show there. */
static void shmem_on_cases(void)
{
	long e;

	memset(shmem, 0xa5, sizeof(shmem));
	memset(shmem + DIRTY_OFF, 0, 128);
	memset(shmem + HFENCE_OFF, 0, HFENCE_ENTRIES * 32);
	csr_write(hedeleg, 1UL << EXC_BREAKPOINT);
	e = set_shmem(shmem_pa(), 0, 0);
	check("shmem-enable",
	      e == 0 && *csr_word(CSR_HEDELEG) == csr_read(hedeleg) &&
		      *csr_word(CSR_HSTATUS) == csr_read(hstatus) &&
		      *csr_word(CSR_HVIP) == 0,
	      "error %ld hedeleg 0x%lx hstatus 0x%lx (csrr 0x%lx)", e,
	      (unsigned long)*csr_word(CSR_HEDELEG),
	      (unsigned long)*csr_word(CSR_HSTATUS), csr_read(hstatus));
	csr_write(vsscratch, 0x5a5a);
	csr_write(hvip, HIP_VSSIP);
	check("csr-publish",
	      *csr_word(CSR_VSSCRATCH) == 0x5a5a &&
		      *csr_word(CSR_HVIP) == HIP_VSSIP,
	      "vsscratch 0x%lx hvip 0x%lx",
	      (unsigned long)*csr_word(CSR_VSSCRATCH),
	      (unsigned long)*csr_word(CSR_HVIP));
	csr_write(hvip, 0);
}

static void sync_csr_cases(void)
{
	unsigned long hedeleg, a, b;
	long e, e1, e2, e3, e4;

	l1_write(CSR_HEDELEG, ~0UL);
	e = sync_csr(CSR_HEDELEG);
	hedeleg = csr_read(hedeleg);
	check("sync-csr-one",
	      e == 0 && !is_dirty(CSR_HEDELEG) && hedeleg != ~0UL &&
		      (hedeleg & (1UL << EXC_BREAKPOINT)) &&
		      *csr_word(CSR_HEDELEG) == hedeleg,
	      "error %ld hedeleg 0x%lx word 0x%lx", e, hedeleg,
	      (unsigned long)*csr_word(CSR_HEDELEG));
	csr_write(hedeleg, 0);

	l1_write(CSR_VSSCRATCH, 0x1111);
	l1_write(CSR_HVIP, HIP_VSSIP | HIP_VSTIP);
	e = sync_csr(~0UL);
	a = csr_read(vsscratch);
	b = csr_read(hvip);
	check("sync-csr-all",
	      e == 0 && a == 0x1111 && b == (HIP_VSSIP | HIP_VSTIP) &&
		      !is_dirty(CSR_VSSCRATCH) && !is_dirty(CSR_HVIP),
	      "error %ld vsscratch 0x%lx hvip 0x%lx", e, a, b);
	csr_write(hvip, 0);

	l1_write(CSR_HGEIP, 0xff);
	e = sync_csr(CSR_HGEIP);
	check("sync-csr-read-only",
	      e == 0 && csr_read(hgeip) == 0 && *csr_word(CSR_HGEIP) == 0 &&
		      !is_dirty(CSR_HGEIP),
	      "error %ld hgeip 0x%lx word 0x%lx", e, csr_read(hgeip),
	      (unsigned long)*csr_word(CSR_HGEIP));

	/* Not an H CSR, past 12 bits, not implemented; garbage dirty bits. */
	e1 = sync_csr(0x100);
	e2 = sync_csr(0x1600);
	e3 = sync_csr(0x6ff);
	l1_write(0x6ff, 0xdead);
	e4 = sync_csr(~0UL);
	check("sync-csr-bad",
	      e1 == SBI_ERR_INVALID_PARAM && e2 == SBI_ERR_INVALID_PARAM &&
		      e3 == SBI_ERR_INVALID_PARAM && e4 == 0 &&
		      *csr_word(0x6ff) == 0xdead,
	      "errors %ld %ld %ld %ld", e1, e2, e3, e4);
	shmem[DIRTY_OFF + csr_index(0x6ff) / 8] = 0;
}

static unsigned long image_2m(void)
{
	return ADDR(l2_ecall) & ~((1UL << 21) - 1);
}

static unsigned long alias(void (*fn)(void))
{
	return GPA_ALIAS + (ADDR(fn) - image_2m());
}

/* L2 loads from GPA_WIN through L1's G-stage (plain SRET). */
static unsigned long l2_read_win(void)
{
	vctx_init(&c, l2_load);
	c.pc = alias(l2_load);
	c.x[R_A1] = GPA_WIN;
	l2_run(&c, MODE_VS);
	return c.x[R_A7] == L2_DONE ? c.x[R_A0] : ~0UL;
}

static void gstage_setup(void)
{
	gstage_reset();
	gstage_map_2m(GPA_ALIAS, image_2m(), PTE_R | PTE_W | PTE_X);
	gstage_map_4k(GPA_WIN, (unsigned long)page_a, PTE_R | PTE_W);
	csr_write(hgatp, gstage_hgatp(1));
	__asm__ volatile(HASM("hfence.gvma")::: "memory");
}

static void sync_hfence_cases(void)
{
	unsigned long a, b;
	long e, e1;

	*hfence_config(5) = HFENCE_PENDING | ((unsigned long)HFENCE_VVMA_ALL
					      << HFENCE_TYPE_SHIFT);
	*hfence_config(6) = *hfence_config(5);
	e = sync_hfence(5);
	check("sync-hfence-one",
	      e == 0 && !(*hfence_config(5) & HFENCE_PENDING) &&
		      (*hfence_config(6) & HFENCE_PENDING),
	      "error %ld config5 0x%lx config6 0x%lx", e,
	      (unsigned long)*hfence_config(5),
	      (unsigned long)*hfence_config(6));
	/* A reserved type is consumed and ignored; index 60 is past them. */
	*hfence_config(7) = HFENCE_PENDING | (12UL << HFENCE_TYPE_SHIFT);
	e = sync_hfence(~0UL);
	e1 = sync_hfence(HFENCE_ENTRIES);
	check("sync-hfence-bad",
	      e == 0 && e1 == SBI_ERR_INVALID_PARAM &&
		      !(*hfence_config(6) & HFENCE_PENDING) &&
		      !(*hfence_config(7) & HFENCE_PENDING),
	      "errors %ld %ld config7 0x%lx", e, e1,
	      (unsigned long)*hfence_config(7));

	/* A G-stage remap is seen by L2 after a NACL GVMA entry. */
	page_a[0] = 0xaaaa;
	page_b[0] = 0xbbbb;
	gstage_setup();
	a = l2_read_win();
	gstage_map_4k(GPA_WIN, (unsigned long)page_b, PTE_R | PTE_W);
	*hfence_config(0) =
		HFENCE_PENDING |
		((unsigned long)HFENCE_GVMA_VMID_ALL << HFENCE_TYPE_SHIFT) |
		(1UL << 16);
	e = sync_hfence(~0UL);
	b = l2_read_win();
	check("sync-hfence-gvma",
	      e == 0 && a == 0xaaaa && b == 0xbbbb &&
		      !(*hfence_config(0) & HFENCE_PENDING),
	      "error %ld before 0x%lx after 0x%lx", e, a, b);
}

/* Into VS-mode with SYNC_SRET; hstatus.SPV as the caller set it. */
static long nacl_run(void)
{
	csr_clear(sstatus, SSTATUS_SPIE | SSTATUS_SIE);
	csr_set(sstatus, SSTATUS_SPP);
	c.scause = ~0UL;
	return l2_enter_nacl(&c, shmem);
}

static void sync_sret_cases(void)
{
	long e;

	h_reset(); /* hgatp Bare: L2 runs at the payload's addresses */
	vctx_init(&c, l2_load);
	c.x[R_A1] = (unsigned long)&shared;
	c.x[R_A3] = 0x3333;
	csr_set(hstatus, HSTATUS_SPV);
	e = nacl_run();
	check("sync-sret",
	      c.scause == EXC_ECALL_VS && c.x[R_A7] == L2_DONE &&
		      c.x[R_A0] == shared && c.x[R_A3] == 0x3333,
	      "error %ld scause %ld a7 %lu a0 0x%lx", e, (long)c.scause,
	      c.x[R_A7], c.x[R_A0]);

	/* Dirty hedeleg and vstvec are synced before the SRET. */
	h_reset();
	csr_write(vstvec, 0);
	l1_write(CSR_HEDELEG, 1UL << EXC_BREAKPOINT);
	l1_write(CSR_VSTVEC, ADDR(l2_vec));
	vctx_init(&c, l2_ebreak);
	csr_set(hstatus, HSTATUS_SPV);
	e = nacl_run();
	check("sync-sret-syncs",
	      c.scause == EXC_ECALL_VS && c.x[R_A7] == L2_VEC &&
		      c.x[R_A0] == EXC_BREAKPOINT && !is_dirty(CSR_HEDELEG),
	      "error %ld scause %ld a7 %lu a0 %lu", e, (long)c.scause,
	      c.x[R_A7], c.x[R_A0]);
	h_reset();
}

/* L2's guest-page fault: L1 reads htval, htinst, hstatus from memory. */
static void exit_csr_cases(void)
{
	volatile uint64_t *flags = word(AUTOSWAP_OFF);
	volatile uint64_t *slot = word(AUTOSWAP_OFF + 8);
	unsigned long host, guest;
	long e;

	gstage_setup();
	vctx_init(&c, l2_load);
	c.pc = alias(l2_load);
	c.x[R_A1] = GPA_NONE + 8;
	csr_set(hstatus, HSTATUS_SPV);
	e = nacl_run();
	check("sync-sret-exit-csrs",
	      c.scause == EXC_LOAD_GPF &&
		      *csr_word(CSR_HTVAL) == (GPA_NONE + 8) >> 2 &&
		      *csr_word(CSR_HTVAL) == c.htval &&
		      *csr_word(CSR_HTINST) == c.htinst &&
		      *csr_word(CSR_HSTATUS) == c.hstatus &&
		      (c.hstatus & HSTATUS_SPV),
	      "error %ld scause %ld htval 0x%lx/0x%lx hstatus 0x%lx/0x%lx", e,
	      (long)c.scause, (unsigned long)*csr_word(CSR_HTVAL), c.htval,
	      (unsigned long)*csr_word(CSR_HSTATUS), c.hstatus);

	/* Autoswap: L1's hstatus stays SPV = 0; L2's goes in and out. */
	h_reset();
	host = csr_read(hstatus);
	*slot = host | HSTATUS_SPV | HSTATUS_SPVP;
	*flags = 1;
	vctx_init(&c, l2_load);
	c.x[R_A1] = (unsigned long)&shared;
	e = nacl_run();
	guest = *slot;
	*flags = 0;
	check("autoswap",
	      c.x[R_A7] == L2_DONE && c.x[R_A0] == shared &&
		      c.hstatus == host && *csr_word(CSR_HSTATUS) == host &&
		      (guest & HSTATUS_SPV) && (guest & HSTATUS_SPVP),
	      "error %ld a7 %lu hstatus 0x%lx (was 0x%lx) swapped 0x%lx", e,
	      c.x[R_A7], c.hstatus, host, guest);
	h_reset();
}

/* A failed SET_SHMEM leaves NACL off, even when it was on. */
static void bad_while_on_case(void)
{
	long e1 = set_shmem(shmem_pa() + 64, 0, 0), e2, e3;
	bool off1 = no_shmem();

	e2 = set_shmem(shmem_pa(), 0, 0);
	e3 = set_shmem(plat.mem_base + plat.mem_size, 0, 0);
	check("shmem-bad-while-on",
	      e1 == SBI_ERR_INVALID_PARAM && off1 && e2 == 0 &&
		      e3 == SBI_ERR_INVALID_ADDRESS && no_shmem() &&
		      set_shmem(shmem_pa(), 0, 0) == 0,
	      "errors %ld %ld %ld, or NACL on after one", e1, e2, e3);
}

static void disable_case(void)
{
	long e = set_shmem(~0UL, ~0UL, 0);

	*csr_word(CSR_VSSCRATCH) = 0;
	csr_write(vsscratch, 0x7777);
	check("shmem-disable",
	      e == 0 && no_shmem() && *csr_word(CSR_VSSCRATCH) == 0 &&
		      set_shmem(~0UL, ~0UL, 0) == 0,
	      "error %ld, or NACL still on", e);
}

void test_main(void)
{
	long has = sbi_probe(SBI_EXT_NACL);

	if (!has) {
		skip_all("the SBI has no NACL extension");
		return;
	}
	check("probe-ext", has == 1, "probe %ld", has);
	h_reset();
	probe_cases();
	shmem_error_cases();
	shmem_on_cases();
	sync_csr_cases();
	sync_hfence_cases();
	sync_sret_cases();
	exit_csr_cases();
	bad_while_on_case();
	disable_case();
	h_reset();
}
