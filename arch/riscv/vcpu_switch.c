// SPDX-License-Identifier: MIT
/*
 * Loading and saving a vCPU's VS-level state on this hart. The GPRs travel in
 * the trap frame; everything else a guest can see is here.
 */
#include <arch/csr.h>
#include <arch/tlb.h>
#include <arch/vcpu_arch.h>
#include <l0/printf.h>
#include <l0/vm.h>
#include <l0/hot.h>

/*
 * Exceptions the guest handles itself (privileged spec 21.2.3): everything
 * a kernel expects to see from its own mode or from user mode, but not
 * ecalls from VS (the SBI), guest-page faults or virtual instructions.
 */
static const unsigned long hedeleg =
	BIT(EXC_INST_MISALIGNED) | BIT(EXC_INST_ACCESS) |
	BIT(EXC_ILLEGAL_INST) | BIT(EXC_BREAKPOINT) | BIT(EXC_LOAD_MISALIGNED) |
	BIT(EXC_LOAD_ACCESS) | BIT(EXC_STORE_MISALIGNED) |
	BIT(EXC_STORE_ACCESS) | BIT(EXC_ECALL_U) | BIT(EXC_INST_PAGE_FAULT) |
	BIT(EXC_LOAD_PAGE_FAULT) | BIT(EXC_STORE_PAGE_FAULT);

static const unsigned long hideleg = HVIP_VSSIP | HVIP_VSTIP | HVIP_VSEIP;

L0_HOT_DATA bool vcpu_arch_sstc;
static uint64_t vsatp_modes;
static unsigned long henvcfg_fields, senvcfg_fields;

/*
 * The fields of henvcfg and senvcfg that L0 knows (privileged spec,
 * "Hypervisor Environment Configuration Register", "Supervisor Environment
 * Configuration Register"); each is WARL or read-only 0 without its
 * extension. senvcfg has only those below bit 8.
 */
#define SENVCFG_KNOWN GENMASK(7, 0)
static const struct {
	unsigned long mask;
	const char *name;
} envcfg_fields[] = {
	{ BIT(0), "FIOM" },	  { GENMASK(5, 4), "CBIE" },
	{ BIT(6), "CBCFE" },	  { BIT(7), "CBZE" },
	{ HENVCFG_ADUE, "ADUE" }, { BIT(62), "PBMTE" },
	{ HENVCFG_STCE, "STCE" },
};

/*
 * Which of the known fields henvcfg and senvcfg keep when written with ones:
 * only those exist on this hart. Nothing runs under them yet.
 */
static void probe_envcfg(void)
{
	unsigned long known = 0, old;

	for (size_t i = 0; i < ARRAY_SIZE(envcfg_fields); i++)
		known |= envcfg_fields[i].mask;
	old = csr_read(CSR_HENVCFG);
	csr_write(CSR_HENVCFG, known);
	henvcfg_fields = csr_read(CSR_HENVCFG) & known;
	csr_write(CSR_HENVCFG, old);
	known &= SENVCFG_KNOWN;
	old = csr_read(CSR_SENVCFG);
	csr_write(CSR_SENVCFG, known);
	senvcfg_fields = csr_read(CSR_SENVCFG) & known;
	csr_write(CSR_SENVCFG, old);
}

/*
 * The vsatp modes the hart takes: a write of an unsupported mode leaves
 * vsatp as it was (V=0, privileged spec 21.2.18), so each is tried.
 */
static uint64_t probe_vsatp_modes(void)
{
	uint64_t modes = BIT(0);

	for (unsigned long mode = SATP_MODE_SV39; mode <= 11; mode++) {
		csr_write(CSR_VSATP, field_prep(SATP_MODE, mode));
		if (field_get(SATP_MODE, csr_read(CSR_VSATP)) == mode)
			modes |= BIT(mode);
		csr_write(CSR_VSATP, 0);
	}
	return modes;
}

void vcpu_arch_init(bool sstc)
{
	probe_envcfg();
	/* Guests get vstimecmp only if henvcfg.STCE can give it to them. */
	vcpu_arch_sstc = sstc && (henvcfg_fields & HENVCFG_STCE);
	vsatp_modes = probe_vsatp_modes();
}

static size_t format_fields(char *buf, size_t size, const char *csr,
			    unsigned long fields)
{
	size_t len = (size_t)l0_snprintf(buf, size, "%s", csr);

	for (size_t i = 0; i < ARRAY_SIZE(envcfg_fields); i++)
		if (fields & envcfg_fields[i].mask)
			len += (size_t)l0_snprintf(
				buf + len, len < size ? size - len : 0, " %s",
				envcfg_fields[i].name);
	if (!fields)
		len += (size_t)l0_snprintf(
			buf + len, len < size ? size - len : 0, " (none)");
	return len;
}

void vcpu_arch_format_envcfg(char *buf, size_t size)
{
	size_t len = format_fields(buf, size, "henvcfg", henvcfg_fields);

	if (len + 2 < size)
		format_fields(buf + len, size - len, ", senvcfg",
			      senvcfg_fields);
}

bool vcpu_arch_henvcfg_has(unsigned long fields)
{
	return (henvcfg_fields & fields) == fields;
}

uint64_t vcpu_arch_vsatp_modes(void)
{
	return vsatp_modes;
}

void vcpu_arch_load(struct vcpu *v)
{
	const struct vcpu_csrs *c = &v->csrs;

	csr_write(CSR_HEDELEG, c->hedeleg);
	csr_write(CSR_HIDELEG, c->hideleg);
	csr_write(CSR_HCOUNTEREN, c->hcounteren);
	csr_write(CSR_HENVCFG, c->henvcfg);
	csr_write(CSR_HTIMEDELTA, c->htimedelta);
	hgatp_write(c->hgatp);
	csr_write(CSR_VSSTATUS, c->vsstatus);
	csr_write(CSR_VSIE, c->vsie);
	csr_write(CSR_VSTVEC, c->vstvec);
	csr_write(CSR_VSSCRATCH, c->vsscratch);
	csr_write(CSR_VSEPC, c->vsepc);
	csr_write(CSR_VSCAUSE, c->vscause);
	csr_write(CSR_VSTVAL, c->vstval);
	csr_write(CSR_VSATP, c->vsatp);
	csr_write(CSR_HVIP, c->hvip);
	csr_write(CSR_SCOUNTEREN, c->scounteren);
	csr_write(CSR_SENVCFG, c->senvcfg);
	if (vcpu_arch_sstc)
		csr_write(CSR_VSTIMECMP, c->vstimecmp);
}

void vcpu_arch_put(struct vcpu *v)
{
	struct vcpu_csrs *c = &v->csrs;

	c->vsstatus = csr_read(CSR_VSSTATUS);
	c->vsie = csr_read(CSR_VSIE);
	c->vstvec = csr_read(CSR_VSTVEC);
	c->vsscratch = csr_read(CSR_VSSCRATCH);
	c->vsepc = csr_read(CSR_VSEPC);
	c->vscause = csr_read(CSR_VSCAUSE);
	c->vstval = csr_read(CSR_VSTVAL);
	c->vsatp = csr_read(CSR_VSATP);
	c->hvip = csr_read(CSR_HVIP);
	c->scounteren = csr_read(CSR_SCOUNTEREN);
	c->senvcfg = csr_read(CSR_SENVCFG);
	if (vcpu_arch_sstc)
		c->vstimecmp = csr_read(CSR_VSTIMECMP);
}

void vcpu_arch_reset(struct vcpu *v, unsigned long entry, unsigned long a0,
		     unsigned long a1)
{
	struct trap_frame *r = &v->regs;

	*r = (struct trap_frame){ 0 };
	r->sepc = entry;
	r->regs[10] = a0;
	r->regs[11] = a1;
	/* sret lands in VS-mode (SPV, SPP) with the guest's FPU usable. */
	r->sstatus = SSTATUS_SPP | SSTATUS_FS_DIRTY;
	r->hstatus = HSTATUS_SPV | HSTATUS_SPVP | field_prep(HSTATUS_VSXL, 2);
	v->csrs = (struct vcpu_csrs){
		.vstimecmp = ~0UL,
		/* As OpenSBI leaves it for S-mode: U may read cycle/time/instret. */
		.scounteren = HCOUNTEREN_CY | HCOUNTEREN_TM | HCOUNTEREN_IR,
		.hcounteren = HCOUNTEREN_CY | HCOUNTEREN_TM | HCOUNTEREN_IR,
		.hedeleg = hedeleg,
		.hideleg = hideleg,
		.henvcfg = vcpu_arch_sstc ? HENVCFG_STCE : 0,
		.htimedelta = v->vm->time_delta,
		.hgatp = gstage_hgatp(&v->vm->gstage),
	};
}

uint64_t vcpu_arch_guest_time(void)
{
	return csr_read(CSR_TIME) + csr_read(CSR_HTIMEDELTA);
}
