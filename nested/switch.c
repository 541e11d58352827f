// SPDX-License-Identifier: MIT
/*
 * The nested switch. Entering L2 (L1's SRET with virtual hstatus.SPV = 1):
 * L1's VS-level CSRs go aside and L1's virtual vs* CSRs go onto the hart,
 * with L2's hgatp, delegation and time. Leaving L2 (a trap L1 must see):
 * the reverse, then the trap is delivered to L1's virtual HS-mode with the
 * CSRs set as hardware sets them (privileged spec, "Trap Entry" in the
 * H-extension chapter).
 */
#include <arch/csr.h>
#include <arch/vcpu_arch.h>
#include <l0/hot.h>

#include "state.h"

#define HVIP_VS_BITS (HVIP_VSSIP | HVIP_VSTIP | HVIP_VSEIP)

L0_HOT static unsigned long frame_hstatus(unsigned long spvp,
					  unsigned long extra)
{
	return HSTATUS_SPV | (spvp ? HSTATUS_SPVP : 0) |
	       field_prep(HSTATUS_VSXL, 2) | extra;
}

/*
 * The hart gives L1 its own traps directly (hedeleg, hideleg: L1's page
 * faults, its timer while it idles), and a trap taken in HS-mode from V=0
 * writes hstatus.SPV = 0 and GVA = 0 (privileged spec, H extension, "Trap
 * Entry"). L0 never sees those traps, so the SPV = 1 of its last exit from
 * L2 would stay: L1 would take its own idle loop's interrupt for one from
 * L2 (L0 as L1 then nests trap frames until its stack runs over its code),
 * and its SRET back into its own code would enter L2. Such a trap writes
 * vsepc, vscause and vstval: any of them changed since the exit says one
 * came. L1's own writes are no false alarm in practice: hypervisors read
 * hstatus before they touch sepc (KVM swaps hstatus on its way out of the
 * guest, L0 saves it in its trap vector), and write hstatus before the
 * SRET into their guest, which ends the mark.
 */
L0_HOT void nested_settle_l1_hstatus(struct nested_vcpu *n)
{
	struct nested_exit_mark *m = &n->exit_mark;

	if (!m->valid)
		return;
	if (csr_read(CSR_VSEPC) == m->epc &&
	    csr_read(CSR_VSCAUSE) == m->cause &&
	    csr_read(CSR_VSTVAL) == m->tval)
		return;
	m->valid = false;
	n->csrs.hstatus &= ~(HSTATUS_SPV | HSTATUS_GVA);
	/*
	 * L1 may read hstatus in the NACL CSR space once this trap returns:
	 * the SBI spec's NACL chapter wants the space updated whenever a
	 * CSR's state changes, and this is when L0 learns that it did.
	 */
	nested_nacl_publish_csr(n, CSR_H_HSTATUS);
}

L0_HOT void nested_update_l1_hstatus(const struct nested_vcpu *n,
				     struct trap_frame *tf)
{
	tf->hstatus &= ~HSTATUS_VTSR;
	if (n->csrs.hstatus & HSTATUS_SPV)
		tf->hstatus |= HSTATUS_VTSR;
}

/*
 * L2's VS-level CSRs and HS-level set-up, from L1's virtual CSRs, in
 * place of L1's own in v->csrs (put aside in n->l1.csrs), whose
 * scounteren and senvcfg L2 keeps: they have no VS copies. `hgatp`: the
 * hart's for L2 (its shadow's, or L1's own table under Bare).
 */
L0_HOT static void build_l2_csrs(struct vcpu *v, struct nested_vcpu *n,
				 uint64_t hgatp)
{
	const struct nested_csrs *c = &n->csrs;
	const struct vcpu_csrs *l1 = &n->l1.csrs;
	struct vcpu_csrs *l2 = &v->csrs;

	l2->vsstatus = c->vsstatus;
	l2->vsie = nested_csr_vsie(c);
	l2->vstvec = c->vstvec;
	l2->vsscratch = c->vsscratch;
	l2->vsepc = c->vsepc;
	l2->vscause = c->vscause;
	l2->vstval = c->vstval;
	l2->vsatp = c->vsatp;
	l2->vstimecmp = c->vstimecmp;
	l2->hvip = c->hvip & HVIP_VS_BITS;
	l2->hcounteren = c->hcounteren & l1->hcounteren;
	l2->hedeleg = c->hedeleg;
	l2->hideleg = c->hideleg;
	l2->henvcfg = c->henvcfg & l1->henvcfg;
	l2->htimedelta = l1->htimedelta + c->htimedelta;
	l2->hgatp = hgatp;
}

L0_HOT void nested_enter_l2(struct vcpu *v, struct nested_vcpu *n,
			    struct trap_frame *tf)
{
	unsigned long vsstatus = csr_read(CSR_VSSTATUS);
	unsigned long l2_mode = !!(vsstatus & SSTATUS_SPP);
	unsigned long pc = csr_read(CSR_VSEPC);
	uint64_t hgatp = 0;

	if (field_get(HGATP_MODE, n->csrs.hgatp) &&
	    nested_shadow_enter(n, vsstatus & SSTATUS_MXR, &hgatp)) {
		vm_stop(v->vm, "L0 has no memory for L2's shadow G-stage");
		return;
	}
	/* L1's SRET, as hardware does it: SIE <- SPIE, SPIE <- 1, SPP <- U. */
	vsstatus =
		field_set(SSTATUS_SIE, vsstatus, !!(vsstatus & SSTATUS_SPIE));
	vsstatus |= SSTATUS_SPIE;
	vsstatus &= ~SSTATUS_SPP;
	csr_write(CSR_VSSTATUS, vsstatus);
	n->csrs.hstatus &= ~HSTATUS_SPV;
	n->exit_mark.valid = false;

	vcpu_arch_put(v);
	n->l1.csrs = v->csrs;
	if (!hgatp) {
		/* hgatp = Bare: L2's guest physical addresses are L1's. */
		hgatp = nested_bare_hgatp(n);
		nested_bare_enter(n);
	}
	build_l2_csrs(v, n, hgatp);
	vcpu_arch_load(v);

	tf->sepc = pc;
	tf->sstatus = field_set(SSTATUS_SPP, tf->sstatus, l2_mode);
	tf->hstatus = frame_hstatus(
		l2_mode,
		n->csrs.hstatus & (HSTATUS_VTW | HSTATUS_VTSR | HSTATUS_VTVM));
	n->in_l2 = true;
	n->in_ecall = false;
	n->for_l2 = false;
	n->stats.switches++;
}

L0_HOT void nested_exit_to_l1(struct vcpu *v, struct nested_vcpu *n,
			      struct trap_frame *tf, unsigned long cause,
			      unsigned long tval)
{
	struct nested_csrs *c = &n->csrs;
	unsigned long l2_mode = !!(tf->sstatus & SSTATUS_SPP);
	/* L2's, until L1's go back in. */
	const struct vcpu_csrs *l2 = &v->csrs;
	unsigned long vsstatus, base;

	vcpu_arch_put(v);
	c->vsstatus = l2->vsstatus;
	nested_csr_set_vsie(c, l2->vsie);
	c->vstvec = l2->vstvec;
	c->vsscratch = l2->vsscratch;
	c->vsepc = l2->vsepc;
	c->vscause = l2->vscause;
	c->vstval = l2->vstval;
	c->vsatp = l2->vsatp;
	c->vstimecmp = l2->vstimecmp;
	/* L2 may clear its own VSSIP (sip.SSIP aliases hvip.VSSIP). */
	c->hvip = field_set(HVIP_VSSIP, c->hvip, !!(l2->hvip & HVIP_VSSIP));

	/* senvcfg and scounteren have no VS copies: L1 sees what L2 left. */
	n->l1.csrs.scounteren = l2->scounteren;
	n->l1.csrs.senvcfg = l2->senvcfg;
	v->csrs = n->l1.csrs;
	vcpu_arch_load(v);
	n->in_l2 = false;
	n->for_l2 = true;
	n->shadow = NULL;
	if (cause == EXC_ECALL_VS) {
		/* L0's traps from here to L2's next entry are this call's. */
		n->in_ecall = true;
		n->stats.ecall_exits++;
		n->stats.ecall_traps[EXC_ECALL_VS]++;
	}

	/* The trap, as L1's HS-mode takes it from V=1. */
	c->htval = tf->htval;
	c->htinst = tf->htinst;
	c->hstatus = field_set(HSTATUS_SPVP, c->hstatus | HSTATUS_SPV, l2_mode);
	c->hstatus = field_set(HSTATUS_GVA, c->hstatus,
			       !!(tf->hstatus & HSTATUS_GVA));
	vsstatus = csr_read(CSR_VSSTATUS);
	vsstatus =
		field_set(SSTATUS_SPIE, vsstatus, !!(vsstatus & SSTATUS_SIE));
	vsstatus &= ~SSTATUS_SIE;
	vsstatus = field_set(SSTATUS_SPP, vsstatus, l2_mode);
	/*
	 * Priv. spec, H extension, sstatus.FS with V=1: a change of the FP
	 * state sets both vsstatus.FS and the HS-level sstatus.FS, which is
	 * L1's, to Dirty. L1's KVM saves L2's FP registers only when its own
	 * sstatus.FS says Dirty; without this, L1's tasks clobber them. L2's
	 * vsstatus.FS stays Dirty until L2 cleans it, so L1 may see Dirty with
	 * no new change: it then saves once more, which costs but is correct.
	 */
	if (field_get(SSTATUS_FS, c->vsstatus) ==
	    field_get(SSTATUS_FS, SSTATUS_FS_DIRTY))
		vsstatus |= SSTATUS_FS_DIRTY;
	csr_write(CSR_VSSTATUS, vsstatus);
	csr_write(CSR_VSEPC, tf->sepc);
	csr_write(CSR_VSCAUSE, cause);
	csr_write(CSR_VSTVAL, tval);
	n->exit_mark = (struct nested_exit_mark){
		.epc = tf->sepc, .cause = cause, .tval = tval, .valid = true
	};

	base = csr_read(CSR_VSTVEC);
	tf->sepc = base & ~3UL;
	if ((base & 3) == 1 && (cause & SCAUSE_INTERRUPT))
		tf->sepc += 4 * (cause & ~SCAUSE_INTERRUPT);
	tf->sstatus |= SSTATUS_SPP;
	tf->hstatus = frame_hstatus(1, 0);
	nested_nacl_exit_to_l1(v, n);
	nested_update_l1_hstatus(n, tf);
}

void nested_l1_exception(struct nested_vcpu *n, struct trap_frame *tf,
			 unsigned long cause, unsigned long tval,
			 unsigned long htval, bool gva)
{
	vcpu_inject_exception(tf, cause, tval);
	n->csrs.hstatus &= ~HSTATUS_SPV; /* taken from V = 0 */
	n->exit_mark.valid = false;
	n->csrs.hstatus = field_set(HSTATUS_GVA, n->csrs.hstatus, gva);
	n->csrs.htval = htval;
	n->csrs.htinst = 0;
	nested_nacl_publish(n);
	nested_update_l1_hstatus(n, tf);
}

L0_HOT void nested_refresh_hip(struct vcpu *v, struct nested_vcpu *n)
{
	struct nested_csrs *c = &n->csrs;
	uint64_t l1_time = csr_read(CSR_TIME) + v->csrs.htimedelta;
	bool timer = n->feat.sstc && (c->henvcfg & HENVCFG_STCE) &&
		     l1_time + c->htimedelta >= c->vstimecmp;

	c->hip = field_set(HVIP_VSTIP, c->hip, timer);
}
