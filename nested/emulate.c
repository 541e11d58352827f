// SPDX-License-Identifier: MIT
/*
 * The H-extension instructions L1 executes in virtual HS-mode. In real
 * VS-mode each one raises a virtual-instruction exception whose stval holds
 * the instruction (privileged spec, "Virtual Instruction Exception"); this
 * file decodes it from a table of encodings and performs it on L1's
 * virtual state.
 */
#include <arch/csr.h>
#include <l0/vm.h>

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
static bool emulate_csr(struct vcpu *v, struct nested_vcpu *n,
			struct trap_frame *tf, uint32_t insn)
{
	unsigned int csr = insn >> 20, funct3 = (insn >> 12) & 7;
	unsigned int src = rs1_of(insn);
	uint64_t old = 0, arg = (funct3 & 4) ? src : tf->regs[src];
	bool writes = (funct3 & 3) == 1 || src != 0;
	uint64_t val;

	(void)v;
	if (!src)
		arg = 0;
	if (!nested_csr_known(csr, &n->feat))
		return false;
	if (nested_csr_read(&n->csrs, &n->feat, csr, &old) != NESTED_CSR_OK)
		return false;
	switch (funct3 & 3) {
	case 1:
		val = arg;
		break;
	case 2:
		val = old | arg;
		break;
	default:
		val = old & ~arg;
		break;
	}
	if (writes &&
	    nested_csr_write(&n->csrs, &n->feat, csr, val) != NESTED_CSR_OK)
		return false;
	set_reg(tf, rd_of(insn), old);
	if (csr == CSR_H_HSTATUS)
		nested_update_l1_hstatus(n, tf);
	tf->sepc += 4;
	return true;
}

/* SRET: into L2 when virtual hstatus.SPV = 1, else L1's own return. */
static bool emulate_sret(struct vcpu *v, struct nested_vcpu *n,
			 struct trap_frame *tf, uint32_t insn)
{
	unsigned long vsstatus = csr_read(CSR_VSSTATUS);

	(void)insn;
	if (n->csrs.hstatus & HSTATUS_SPV) {
		nested_enter_l2(v, n, tf);
		return true;
	}
	tf->sepc = csr_read(CSR_VSEPC);
	tf->sstatus =
		field_set(SSTATUS_SPP, tf->sstatus, !!(vsstatus & SSTATUS_SPP));
	vsstatus =
		field_set(SSTATUS_SIE, vsstatus, !!(vsstatus & SSTATUS_SPIE));
	vsstatus = (vsstatus | SSTATUS_SPIE) & ~SSTATUS_SPP;
	csr_write(CSR_VSSTATUS, vsstatus);
	return true;
}

/*
 * HFENCE.VVMA/GVMA and HINVAL.*: L2's translations live under L2's own
 * VMID, so dropping all of that VMID's entries covers every operand form.
 * A G-stage fence also empties the shadow of L1's table.
 */
static bool emulate_hfence(struct vcpu *v, struct nested_vcpu *n,
			   struct trap_frame *tf, uint32_t insn)
{
	(void)v;
	if (insn & BIT(30)) /* the GVMA forms */
		n->shadow_of = ~0ULL;
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.gvma zero, %0\n.option pop" ::"r"(n->l2_vmid)
			 : "memory");
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

/*
 * HLV/HLVX/HSV with L1's virtual vsatp and hgatp both Bare: the address is
 * an L1 guest physical address. Other modes need the software walker of
 * the nested MMU issue; until then they raise an access fault in L1.
 */
static bool emulate_hlv_hsv(struct vcpu *v, struct nested_vcpu *n,
			    struct trap_frame *tf, uint32_t insn)
{
	unsigned int funct7 = insn >> 25, size = 1u << ((funct7 >> 1) & 3);
	bool store = funct7 & 1;
	unsigned int rs2 = (insn >> 20) & 31;
	uint64_t va = tf->regs[rs1_of(insn)], val = 0;
	uint8_t *p;

	if (n->csrs.vsatp >> 60 || n->csrs.hgatp >> 60)
		p = NULL;
	else
		p = vm_ram_ptr(v->vm, va, size);
	if (!p) {
		vcpu_inject_exception(
			tf, store ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS, va);
		return true;
	}
	if (store) {
		val = rs2 ? tf->regs[rs2] : 0;
		for (unsigned int i = 0; i < size; i++)
			p[i] = (uint8_t)(val >> (8 * i));
	} else {
		for (unsigned int i = 0; i < size; i++)
			val |= (uint64_t)p[i] << (8 * i);
		/* rs2 = 0: sign-extend (HLV.B/H/W); 1 and 3: zero (U, HLVX). */
		if (rs2 == 0 && size < 8)
			val = sign_extend(val, 8 * size);
		set_reg(tf, rd_of(insn), val);
	}
	tf->sepc += 4;
	return true;
}

/* Encodings: privileged spec, "Hypervisor Instructions" and Zicsr. */
static const struct insn_pattern patterns[] = {
	{ 0xffffffff, INSN_SRET, emulate_sret },
	{ 0xfe007fff, 0x22000073, emulate_hfence },  /* HFENCE.VVMA */
	{ 0xfe007fff, 0x62000073, emulate_hfence },  /* HFENCE.GVMA */
	{ 0xfe007fff, 0x26000073, emulate_hinval },  /* HINVAL.VVMA */
	{ 0xfe007fff, 0x66000073, emulate_hinval },  /* HINVAL.GVMA */
	{ 0xf000707f, 0x60004073, emulate_hlv_hsv }, /* HLV/HLVX/HSV */
	{ 0x0000307f, 0x00001073, emulate_csr },     /* CSRRW, CSRRWI */
	{ 0x0000307f, 0x00002073, emulate_csr },     /* CSRRS, CSRRSI */
	{ 0x0000307f, 0x00003073, emulate_csr },     /* CSRRC, CSRRCI */
};

bool nested_emulate_l1_insn(struct vcpu *v, struct nested_vcpu *n,
			    struct trap_frame *tf)
{
	uint32_t insn = (uint32_t)tf->stval;

	for (unsigned int i = 0; i < ARRAY_SIZE(patterns); i++)
		if ((insn & patterns[i].mask) == patterns[i].match)
			return patterns[i].emulate(v, n, tf, insn);
	return false;
}
