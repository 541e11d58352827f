// SPDX-License-Identifier: MIT
/*
 * hgatp and HFENCE by L0 VMID on this hart: the hart's part of the VMID map
 * (arch/vmid.h, arch/riscv/vmid.c).
 */
#include <arch/csr.h>
#include <arch/tlb.h>
#include <arch/vmid.h>
#include <l0/hart.h>
#include <l0/printf.h>

static unsigned int vmid_bits_cap = VMID_BITS_MAX;

static void hw_gvma_vmid(unsigned long vmid)
{
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.gvma zero, %0\n.option pop" ::"r"(vmid)
			 : "memory");
}

/* HFENCE.VVMA of every address space under the VMID now in hgatp. */
static void hw_vvma_all(void)
{
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.vvma zero, zero\n.option pop" ::
				 : "memory");
}

void tlb_cap_vmid_bits(unsigned int bits)
{
	vmid_bits_cap = bits < VMID_BITS_MAX ? bits : VMID_BITS_MAX;
}

/*
 * hgatp.VMID keeps the bits the hart implements, the low ones first: write
 * ones to all of it with MODE Bare and count what reads back (privileged
 * spec, hgatp). Bare translates nothing, so this caches nothing.
 */
static unsigned int probe_vmid_bits(void)
{
	unsigned long vmid;
	unsigned int bits = 0;

	csr_write(CSR_HGATP, HGATP_VMID);
	vmid = field_get(HGATP_VMID, csr_read(CSR_HGATP));
	csr_write(CSR_HGATP, 0);
	while (bits < VMID_BITS_MAX && (vmid & BIT(bits)))
		bits++;
	return bits;
}

unsigned int tlb_init_hart(void)
{
	unsigned int bits = probe_vmid_bits();

	if (bits > vmid_bits_cap)
		bits = vmid_bits_cap;
	vmid_space_init(&this_hart()->vmids, bits);
	return bits;
}

void tlb_print_stats(void)
{
	for (unsigned int i = 0; i < hart_count(); i++) {
		const struct hart *h = hart_by_index(i);

		printk("L0: hart %llu: VMIDLEN %u, hardware VMIDs handed out %lu\n",
		       (unsigned long long)h->hartid, h->vmids.bits,
		       h->vmids.assigned);
	}
}

static bool hw_vmid(unsigned long l0, unsigned int *hw)
{
	return vmid_space_lookup(&this_hart()->vmids, (unsigned int)l0, hw);
}

void hgatp_write(uint64_t hgatp)
{
	unsigned int hw;
	bool fresh =
		vmid_space_get(&this_hart()->vmids,
			       (unsigned int)field_get(HGATP_VMID, hgatp), &hw);

	csr_write(CSR_HGATP, field_set(HGATP_VMID, hgatp, hw));
	/*
	 * Whatever its last owner left under this VMID: both stages, since
	 * HFENCE.GVMA need not drop guest-virtual translations. Before the
	 * guest runs; HS-mode makes no implicit G-stage accesses meanwhile.
	 */
	if (fresh) {
		hw_gvma_vmid(hw);
		hw_vvma_all();
	}
}

void hfence_gvma_vmid(unsigned long vmid)
{
	unsigned int hw;

	if (hw_vmid(vmid, &hw))
		hw_gvma_vmid(hw);
}

void hfence_gvma_gpa(unsigned long gpa, unsigned long vmid)
{
	unsigned int hw;

	if (!hw_vmid(vmid, &hw))
		return;
	__asm__ volatile(".option push\n.option arch, +h\n"
			 "hfence.gvma %0, %1\n.option pop" ::"r"(gpa >> 2),
			 "r"((unsigned long)hw)
			 : "memory");
}

void hfence_vvma_of(unsigned long hgatp)
{
	unsigned long old;
	unsigned int hw;

	if (!hw_vmid(field_get(HGATP_VMID, hgatp), &hw))
		return;
	old = csr_swap(CSR_HGATP, field_set(HGATP_VMID, hgatp, hw));
	hw_vvma_all();
	csr_write(CSR_HGATP, old);
}
