// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: L0's trap path on the simulated harts (sim.h), driven by
 * a stream of guest events. Each input boots a fresh machine (2 or 3 harts,
 * with or without Sstc): a nested VM with 2 vCPUs and a plain one sharing a
 * hart; then up to 96 events: L1's CSR writes, HFENCE, HLV/HSV, SRET into
 * L2, L1's own G-stage table edits, guest accesses through the TLB model,
 * guest-page faults with any htinst, any virtual instruction, SBI calls
 * (HSM, RFENCE, IPI, TIME, NACL, SRST...), time and interrupts.
 *
 * Oracles: no L0 panic (abort), no sanitizer report, and no sim violation:
 * no translation served outside the running VM's RAM; every G-stage entry
 * a hart runs on agrees with its table; no walk into a freed table page,
 * and none left when the page is reused; L1's remote SFENCE.VMA done; and,
 * at the end, no leaf of a VM's G-stage or of a shadow outside its RAM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arch/csr.h>
#include <arch/pte.h>
#include <arch/sbi.h>
#include <l0/page_alloc.h>

#include "../../nested/state.h"
#include "fuzz.h"
#include "sim.h"

#define L1_ROOT0 0x80600000UL
#define L1_ROOT1 0x80608000UL
#define L2_BASE 0x80000000UL
#define RAM_PAGES 2048 /* 8 MiB */
#define MAX_EVENTS 96
#define SBI_EXT_NACL 0x4e41434cUL

/* An address worth trying: L2's pages, L1's RAM, devices, or anything. */
static uint64_t pick_gpa(struct input *in)
{
	switch (get(in, 1) % 5) {
	case 0:
		return L2_BASE + (get(in, 1) % 32) * PAGE_SIZE;
	case 1:
		return GUEST_RAM_BASE + (get(in, 2) % RAM_PAGES) * PAGE_SIZE;
	case 2:
		return GUEST_UART_BASE + get(in, 1) % 8;
	case 3:
		return GUEST_PLIC_BASE + get(in, 3);
	default:
		return get(in, 8);
	}
}

static unsigned long pick_hgatp(struct input *in)
{
	switch (get(in, 1) % 3) {
	case 0: /* Bare, with some VMID */
		return field_prep(HGATP_VMID, get(in, 1) % 4);
	case 1:
		return sim_l1_hgatp(L1_ROOT0, get(in, 1) % 8);
	default:
		return sim_l1_hgatp(L1_ROOT1, get(in, 1) % 8);
	}
}

static const unsigned int h_csrs[] = {
	0x600, 0x602, 0x603, 0x604, 0x605, 0x606, 0x60a, 0x643,
	0x644, 0x645, 0x64a, 0x680, 0x200, 0x204, 0x205, 0x240,
	0x241, 0x242, 0x243, 0x244, 0x24d, 0x280, 0xe12, 0x615,
};
static const unsigned int vs_csrs[] = { CSR_VSSTATUS, CSR_VSIE, CSR_VSTVEC,
					CSR_VSATP, CSR_VSEPC };
static const unsigned long sbi_exts[] = {
	SBI_EXT_BASE, SBI_EXT_TIME, SBI_EXT_IPI,  SIM_EXT_RFENCE,
	SBI_EXT_HSM,  SBI_EXT_NACL, SBI_EXT_DBCN, SBI_EXT_LEGACY_PUTCHAR,
	SBI_EXT_SRST,
};

/* An SBI call with arguments that mostly make sense, sometimes not. */
static void sbi_event(struct input *in, unsigned int h)
{
	unsigned long ext = sbi_exts[get(in, 1) % ARRAY_SIZE(sbi_exts)];
	unsigned long fid = get(in, 1) % 8, a0 = get(in, 1), a1, a2 = 0;
	struct vcpu *v = sim_current(h);
	long err;

	a1 = get(in, 1) & 1 ? pick_gpa(in) : get(in, 8);
	if (ext == SBI_EXT_SRST && get(in, 1) != 0x5a)
		return; /* reboots and shutdowns: rarely */
	if (ext == SBI_EXT_DBCN)
		a0 %= 64; /* a bounded write (its bound is fix 1's) */
	if (ext == SBI_EXT_NACL && fid == 1)
		a0 = GUEST_RAM_BASE + (get(in, 2) % RAM_PAGES) * PAGE_SIZE;
	err = sim_sbi(h, ext, fid, a0, a1, a2, NULL);
	/* A remote fence done: each target must drop L1's VS-stage entries. */
	if (ext == SIM_EXT_RFENCE && fid <= 2 && !err)
		for (unsigned int i = 0; i < v->vm->nvcpus && i < 8; i++)
			if (a1 == ~0UL || (a1 == 0 && (a0 & BIT(i))))
				sim_expect_vs_flush(&v->vm->vcpus[i]);
}

static void event(struct input *in, unsigned int nharts)
{
	unsigned int op = get(in, 1) % 16, h = get(in, 1) % nharts;
	struct trap_frame *tf = sim_frame(h);
	struct vm *vm = vm_by_index(0);
	uint32_t insn;

	if (op == 8) { /* time passes, interrupts arrive */
		sim_now += get(in, 2) * 10;
		sim_deliver();
		return;
	}
	if (!sim_in_guest(h))
		return;
	switch (op) {
	case 0:
		sim_l1_csrw(h, h_csrs[get(in, 1) % ARRAY_SIZE(h_csrs)],
			    get(in, 8));
		break;
	case 1:
		sim_l1_enter_l2(h, pick_hgatp(in));
		break;
	case 2:
		sim_l1_gstage_map(vm, get(in, 1) & 1 ? L1_ROOT1 : L1_ROOT0,
				  L2_BASE + (get(in, 1) % 32) * PAGE_SIZE,
				  ALIGN_DOWN(pick_gpa(in), PAGE_SIZE));
		break;
	case 3: /* hfence.vvma / hfence.gvma with t0, t1 or x0 */
		insn = (get(in, 1) & 1 ? 0x62000073u : 0x22000073u) |
		       (get(in, 1) & 1 ? 5u << 15 : 0) |
		       (get(in, 1) & 1 ? 6u << 20 : 0);
		sim_l1_insn(h, insn, pick_gpa(in) >> 2, get(in, 1) % 8);
		break;
	case 4: /* HLV/HLVX/HSV, any width, any registers */
		insn = 0x60004073u | ((uint32_t)get(in, 4) & 0x0fff8f80u);
		tf->regs[(insn >> 15) & 31] = pick_gpa(in);
		sim_trap(h, EXC_VIRTUAL_INST, insn, 0, 0);
		break;
	case 5:
		sim_l1_sret(h);
		break;
	case 6:
		sim_access(h, pick_gpa(in), 2, NULL);
		break;
	case 7:
		sbi_event(in, h);
		break;
	case 9: { /* a guest-page fault, whatever the TLB model says */
		static const unsigned long causes[] = { 20, 21, 23 };
		static const unsigned long htinsts[] = { 0, 0x2000, 0x2020,
							 0x3000 };
		uint64_t gpa = pick_gpa(in);

		sim_trap(h, causes[get(in, 1) % 3], gpa, gpa >> 2,
			 get(in, 1) & 1 ? htinsts[get(in, 1) % 4] : get(in, 4));
		break;
	}
	case 10:
		sim_l1_insn(h, (uint32_t)get(in, 4), get(in, 8), get(in, 8));
		break;
	case 11:
		sim_set_hart_csr(h, vs_csrs[get(in, 1) % ARRAY_SIZE(vs_csrs)],
				 get(in, 8));
		break;
	case 12: /* the guest ran: the hart cached one of its VS-stage pages */
		sim_tlb_fill_vs(h, get(in, 1) * PAGE_SIZE, pick_gpa(in));
		break;
	case 13:
		sim_guest_sfence(h);
		break;
	case 14: { /* the guest writes its memory: tables, NACL memory */
		uint64_t *p = vm_ram_ptr(
			vm, GUEST_RAM_BASE + get(in, 3) % (8 << 20), 8);

		if (p && !((uintptr_t)p & 7))
			*p = get(in, 8);
		break;
	}
	default:
		sim_trap(h, EXC_ECALL_VS, 0, 0, 0); /* L2's ecall, or L1's */
		break;
	}
}

/* Every leaf of the table at `t` (level `lvl`) lies in [base, base+size). */
static void check_leaves(const uint64_t *t, unsigned int n, int lvl,
			 const struct vm *vm, const char *what)
{
	for (unsigned int i = 0; i < n; i++) {
		uint64_t pte = t[i], pa = field_get(PTE_PPN, pte) << 12;
		uint64_t size = 1ULL << (12 + 9 * lvl);

		if (!(pte & PTE_V))
			continue;
		if (!(pte & PTE_RWX) && lvl > 0) {
			check_leaves((const uint64_t *)(uintptr_t)pa, 512,
				     lvl - 1, vm, what);
			continue;
		}
		if (pa < vm->ram_hpa ||
		    pa - vm->ram_hpa > vm->ram_size - size) {
			fprintf(stderr, "%s: a leaf to 0x%llx outside VM RAM\n",
				what, (unsigned long long)pa);
			abort();
		}
	}
}

static void check_tables(void)
{
	for (unsigned int i = 0; i < vm_count(); i++) {
		const struct vm *vm = vm_by_index(i);

		check_leaves(vm->gstage.root, 2048, 2, vm, "VM G-stage");
		for (unsigned int j = 0; j < vm->nvcpus; j++) {
			const struct nested_vcpu *n = vm->vcpus[j].nested;

			for (unsigned int s = 0; n && s < SHADOW_SLOTS; s++)
				if (n->shadows[s].g.root)
					check_leaves(n->shadows[s].g.root, 2048,
						     n->shadows[s].g.mode == 9
							     ? 3
							     : 2,
						     vm, "shadow");
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	unsigned int nharts = 2 + get(&in, 1) % 2;
	struct vm_config cfg[2];

	sim_init(nharts, get(&in, 1) & 1);
	cfg[0] = sim_vm_config("n", 2, BIT(nharts) - 1, true);
	cfg[1] = sim_vm_config("p", 1, 2, false);
	if (sim_boot(cfg, 2) != 2)
		abort();
	for (unsigned int i = 0; i < MAX_EVENTS && in.n; i++)
		event(&in, nharts);
	check_tables();
	if (sim_violations) {
		fprintf(stderr, "sim: %u violations; first: %s\n",
			sim_violations, sim_violation_msg);
		abort();
	}
	return 0;
}
