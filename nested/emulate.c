// SPDX-License-Identifier: MIT
/*
 * The H-extension instructions L1 executes in virtual HS-mode. In real
 * VS-mode each one raises a virtual-instruction exception whose stval holds
 * the instruction (privileged spec, "Virtual Instruction Exception"); this
 * file decodes it from a table of encodings and performs it on L1's
 * virtual state.
 */
#include <arch/csr.h>
#include <arch/tlb.h>
#include <l0/page_alloc.h>
#include <l0/vm.h>
#include <l0/hot.h>

#include "state.h"

#define INSN_SRET 0x10200073u
#define OPCODE_SYSTEM 0x73u

struct insn_pattern {
	uint32_t mask, match;
	bool (*emulate)(struct vcpu *v, struct nested_vcpu *n,
			struct trap_frame *tf, uint32_t insn);
};

static unsigned int rd_of(uint32_t insn)
{
	return (insn >> 7) & 31;
}

static unsigned int rs1_of(uint32_t insn)
{
	return (insn >> 15) & 31;
}

static unsigned int rs2_of(uint32_t insn)
{
	return (insn >> 20) & 31;
}

/* The low `bits` (1..63) of `v`, sign-extended. */
static uint64_t sign_extend(uint64_t v, unsigned int bits)
{
	uint64_t sign;

	if (bits == 0 || bits >= 64)
		return v;
	sign = 1ULL << (bits - 1);
	v &= (sign << 1) - 1;
	return (v ^ sign) - sign;
}

static void set_reg(struct trap_frame *tf, unsigned int r, uint64_t val)
{
	if (r)
		tf->regs[r] = val;
}

/*
 * CSRRW/S/C and their immediate forms on an H-extension CSR. As in
 * hardware, CSRRS/C with rs1 = x0 (or uimm 0) do not write, and CSRRW with
 * rd = x0 does not read.
 */
L0_HOT static bool emulate_csr(struct vcpu *v, struct nested_vcpu *n,
			       struct trap_frame *tf, uint32_t insn)
{
	unsigned int csr = insn >> 20, funct3 = (insn >> 12) & 7;
	unsigned int src = rs1_of(insn);
	uint64_t arg = (funct3 & 4) || !src ? src : tf->regs[src];
	/* funct3's low bits: 1 CSRRW, 2 CSRRS, 3 CSRRC (enum nested_csr_op). */
	enum nested_csr_op op = funct3 & 3;
	bool writes = op == NESTED_CSR_WRITE || src != 0;
	struct nested_csr_rmw r;

	if (!writes)
		op = NESTED_CSR_READ;
	if (csr == CSR_H_HSTATUS) {
		nested_settle_l1_hstatus(n);
		/* L1's own value from now on: no trap of L0's to undo. */
		if (writes)
			n->exit_mark.valid = false;
	}
	/* An unknown CSR reads as NESTED_CSR_ILLEGAL: no separate lookup. */
	if (csr == CSR_H_HIP || csr == CSR_H_VSIP)
		nested_refresh_hip(v, n);
	r = nested_csr_rmw(&n->csrs, &n->feat, csr, op, arg);
	if (r.result != NESTED_CSR_OK)
		return false;
	set_reg(tf, rd_of(insn), r.old);
	if (csr == CSR_H_HSTATUS)
		nested_update_l1_hstatus(n, tf);
	if (writes)
		nested_nacl_publish(n);
	tf->sepc += 4;
	return true;
}

/* SRET: into L2 when virtual hstatus.SPV = 1, else L1's own return. */
void nested_emulate_sret(struct vcpu *v, struct nested_vcpu *n,
			 struct trap_frame *tf)
{
	unsigned long vsstatus = csr_read(CSR_VSSTATUS);

	nested_settle_l1_hstatus(n);
	if (n->csrs.hstatus & HSTATUS_SPV) {
		nested_enter_l2(v, n, tf);
		return;
	}
	tf->sepc = csr_read(CSR_VSEPC);
	tf->sstatus =
		field_set(SSTATUS_SPP, tf->sstatus, !!(vsstatus & SSTATUS_SPP));
	vsstatus =
		field_set(SSTATUS_SIE, vsstatus, !!(vsstatus & SSTATUS_SPIE));
	vsstatus = (vsstatus | SSTATUS_SPIE) & ~SSTATUS_SPP;
	csr_write(CSR_VSSTATUS, vsstatus);
	nested_update_l1_hstatus(n, tf); /* SPV may have settled to 0 */
}

static bool emulate_sret(struct vcpu *v, struct nested_vcpu *n,
			 struct trap_frame *tf, uint32_t insn)
{
	(void)insn;
	nested_emulate_sret(v, n, tf);
	return true;
}

/*
 * HFENCE.VVMA/GVMA and HINVAL.*. A G-stage fence names a guest physical
 * address (rs1, shifted right by 2) and a VMID (rs2), x0 meaning all; the
 * shadows drop what it names. A VS-stage fence drops every VS-stage entry
 * of L1's current VMID, which covers its address and ASID forms.
 */
static bool emulate_hfence(struct vcpu *v, struct nested_vcpu *n,
			   struct trap_frame *tf, uint32_t insn)
{
	unsigned int rs1 = rs1_of(insn), rs2 = rs2_of(insn);

	(void)v;
	/* rs2's bits above VMIDMAX (14 on RV64) are ignored. */
	if (insn & BIT(30)) /* the GVMA forms */
		nested_shadow_fence_gvma(n, !rs2,
					 tf->regs[rs2] & GENMASK(13, 0), !rs1,
					 tf->regs[rs1] << 2);
	else
		nested_shadow_fence_vvma(n, false,
					 field_get(HGATP_VMID, n->csrs.hgatp));
	tf->sepc += 4;
	return true;
}

static bool emulate_hinval(struct vcpu *v, struct nested_vcpu *n,
			   struct trap_frame *tf, uint32_t insn)
{
	if (!n->feat.svinval)
		return false;
	return emulate_hfence(v, n, tf, insn);
}

/* The L1 address of an HLV/HSV's guest address, through L1's hgatp. */
static enum walk_result hlv_translate(struct nested_vcpu *n, uint64_t va,
				      enum walk_access acc, uint64_t *pa);

static bool read_l1_pte(void *vm, uint64_t addr, uint64_t *pte)
{
	const uint64_t *p = (addr & 7) ? NULL : vm_ram_ptr(vm, addr, 8);

	if (!p)
		return false;
	*pte = *p;
	return true;
}

static enum walk_result hlv_translate(struct nested_vcpu *n, uint64_t va,
				      enum walk_access acc, uint64_t *pa)
{
	struct walk w;
	enum walk_result r;

	if (!(n->csrs.hgatp >> 60)) {
		*pa = va;
		return WALK_OK;
	}
	r = nested_gstage_walk(n->csrs.hgatp, va, acc, read_l1_pte, n->vm, &w);
	*pa = w.pa;
	return r;
}

/* A VS-stage PTE read: its guest physical address through L1's hgatp. */
static enum walk_result read_vs_pte(void *ctx, uint64_t gpa, uint64_t *pte)
{
	struct nested_vcpu *n = ctx;
	enum walk_result r;
	uint64_t pa;

	r = hlv_translate(n, gpa, WALK_LOAD, &pa);
	if (r == WALK_OK && !read_l1_pte(n->vm, pa, pte))
		r = WALK_ACCESS_FAULT;
	return r;
}

/* A VS-stage walk of `vsatp` for `va`, its PTEs read through L1's hgatp. */
static enum walk_result vs_walk(struct nested_vcpu *n, uint64_t vsatp,
				uint64_t va, enum walk_access acc, bool user,
				uint64_t *gpa, uint64_t *fault_gpa)
{
	struct vs_walk_ctl c = {
		.acc = acc,
		.user = user,
		.sum = n->csrs.vsstatus & SSTATUS_SUM,
		.mxr = (n->csrs.vsstatus | csr_read(CSR_VSSTATUS)) &
		       SSTATUS_MXR,
		.read = read_vs_pte,
		.ctx = n,
	};

	return nested_vs_walk(vsatp, va, &c, gpa, fault_gpa);
}

/* HLV's VS-stage: L1's virtual vsatp, at the privilege of hstatus.SPVP. */
static enum walk_result vs_translate(struct nested_vcpu *n, uint64_t va,
				     enum walk_access acc, uint64_t *gpa,
				     uint64_t *fault_gpa)
{
	return vs_walk(n, n->csrs.vsatp, va, acc,
		       !(n->csrs.hstatus & HSTATUS_SPVP), gpa, fault_gpa);
}

/* Where an HLV/HSV of `va` lands in L1's memory, or the fault it takes. */
static enum walk_result hlv_address(struct nested_vcpu *n, uint64_t va,
				    enum walk_access acc, uint64_t *pa,
				    uint64_t *fault_gpa)
{
	uint64_t gpa = va;
	enum walk_result r = WALK_OK;

	*fault_gpa = va;
	if (n->csrs.vsatp >> 60)
		r = vs_translate(n, va, acc, &gpa, fault_gpa);
	if (r != WALK_OK)
		return r;
	*fault_gpa = gpa;
	return hlv_translate(n, gpa, acc, pa);
}

static void hlv_fault(struct nested_vcpu *n, struct trap_frame *tf, bool store,
		      enum walk_result r, uint64_t va, uint64_t fault_gpa)
{
	static const unsigned long causes[][2] = {
		[WALK_PAGE_FAULT] = { EXC_LOAD_PAGE_FAULT,
				      EXC_STORE_PAGE_FAULT },
		[WALK_GUEST_PAGE_FAULT] = { EXC_LOAD_GUEST_PAGE_FAULT,
					    EXC_STORE_GUEST_PAGE_FAULT },
		[WALK_ACCESS_FAULT] = { EXC_LOAD_ACCESS, EXC_STORE_ACCESS },
		[WALK_OK] = { EXC_LOAD_ACCESS, EXC_STORE_ACCESS },
	};

	nested_l1_exception(n, tf, causes[r][store], va,
			    r == WALK_GUEST_PAGE_FAULT ? fault_gpa >> 2 : 0,
			    true);
}

/*
 * Where the `len` bytes of an HLV/HSV at `va` (all in one page) land in
 * L1's memory, or NULL after raising the fault in L1.
 */
static uint8_t *hlv_bytes(struct vcpu *v, struct nested_vcpu *n,
			  struct trap_frame *tf, uint64_t va, unsigned int len,
			  enum walk_access acc, bool store)
{
	uint64_t pa = 0, fault_gpa;
	enum walk_result r = hlv_address(n, va, acc, &pa, &fault_gpa);
	uint8_t *p = r == WALK_OK ? vm_ram_ptr(v->vm, pa, len) : NULL;

	if (!p)
		hlv_fault(n, tf, store, r, va, fault_gpa);
	return p;
}

/*
 * HLV/HLVX/HSV: L1's access as its V=1 guest would make it. Through L1's
 * vsatp (if on) to an L2 guest physical address, through L1's hgatp (if
 * on) to L1's memory, as two-stage translation does it in hardware.
 * Faults land in L1's HS-mode with GVA = 1. A misaligned access that
 * crosses a page is done in two parts, each through its own page's
 * translation; a fault in the second reports that part's address (as
 * the privileged spec's misaligned rules allow), and nothing is stored.
 */
static bool emulate_hlv_hsv(struct vcpu *v, struct nested_vcpu *n,
			    struct trap_frame *tf, uint32_t insn)
{
	unsigned int funct7 = insn >> 25, size = 1u << ((funct7 >> 1) & 3);
	bool store = funct7 & 1;
	unsigned int rs2 = rs2_of(insn);
	bool hlvx = !store && rs2 == 3;
	bool mxr = csr_read(CSR_VSSTATUS) & SSTATUS_MXR; /* L1's sstatus */
	enum walk_access acc = store  ? WALK_STORE
			       : hlvx ? WALK_HLVX
			       : mxr  ? WALK_LOAD_MXR
				      : WALK_LOAD;
	uint64_t va = tf->regs[rs1_of(insn)], val = 0;
	unsigned int first = PAGE_SIZE - (va & (PAGE_SIZE - 1));
	uint8_t *p[2];

	if (first > size)
		first = size;
	p[0] = hlv_bytes(v, n, tf, va, first, acc, store);
	if (!p[0])
		return true;
	p[1] = p[0] + first; /* unless the access crosses into the next page */
	if (first < size) {
		p[1] = hlv_bytes(v, n, tf, va + first, size - first, acc,
				 store);
		if (!p[1])
			return true;
	}
	if (store) {
		val = rs2 ? tf->regs[rs2] : 0;
		for (unsigned int i = 0; i < size; i++)
			*(i < first ? p[0] + i : p[1] + i - first) =
				(uint8_t)(val >> (8 * i));
	} else {
		for (unsigned int i = 0; i < size; i++)
			val |= (uint64_t) *
				       (i < first ? p[0] + i : p[1] + i - first)
			       << (8 * i);
		/* rs2 = 0: sign-extend (HLV.B/H/W); 1 and 3: zero (U, HLVX). */
		if (rs2 == 0 && size < 8)
			val = sign_extend(val, 8 * size);
		set_reg(tf, rd_of(insn), val);
	}
	tf->sepc += 4;
	return true;
}

/* Encodings: privileged spec, "Hypervisor Instructions" and Zicsr. */
L0_HOT_DATA static const struct insn_pattern patterns[] = {
	/* CSR accesses first: they are nearly all of L1's traps. */
	{ 0x0000307f, 0x00001073, emulate_csr }, /* CSRRW, CSRRWI */
	{ 0x0000307f, 0x00002073, emulate_csr }, /* CSRRS, CSRRSI */
	{ 0x0000307f, 0x00003073, emulate_csr }, /* CSRRC, CSRRCI */
	{ 0xffffffff, INSN_SRET, emulate_sret },
	{ 0xfe007fff, 0x22000073, emulate_hfence },  /* HFENCE.VVMA */
	{ 0xfe007fff, 0x62000073, emulate_hfence },  /* HFENCE.GVMA */
	{ 0xfe007fff, 0x26000073, emulate_hinval },  /* HINVAL.VVMA */
	{ 0xfe007fff, 0x66000073, emulate_hinval },  /* HINVAL.GVMA */
	{ 0xf000707f, 0x60004073, emulate_hlv_hsv }, /* HLV/HLVX/HSV */
};

bool nested_is_hlv_hsv(uint32_t insn)
{
	return (insn & 0xf000707f) == 0x60004073;
}

L0_HOT bool nested_emulate_l1_insn(struct vcpu *v, struct nested_vcpu *n,
				   struct trap_frame *tf)
{
	uint32_t insn = (uint32_t)tf->stval;

	for (unsigned int i = 0; i < ARRAY_SIZE(patterns); i++)
		if ((insn & patterns[i].mask) == patterns[i].match)
			return patterns[i].emulate(v, n, tf, insn);
	return false;
}
