/* SPDX-License-Identifier: MIT */
/*
 * A simulated machine for L0's trap path (tests/sim). L0's own code (core/,
 * nested/, arch/riscv/gstage.c, vcpu_switch.c, trap.c) runs on the host
 * around fake harts: each has a CSR file, a TLB model and an interrupt
 * line; every fence L0 issues is logged and applied to the TLB model as the
 * privileged spec defines it. A test plays the guests: it makes a hart trap
 * (an ecall, a virtual instruction, a guest-page fault, an interrupt) and
 * L0 handles it as on silicon, entering a vCPU or idling in the end.
 *
 * The TLB model keeps, per hart, tagged by the VMID the hart's hgatp held:
 *   - G-stage leaves (guest physical page -> host page) and the non-leaf
 *     entries of the walk (page-walk cache: a table page the hart read);
 *   - failed G-stage walks (a hart may remember one until a fence);
 *   - VS-stage entries (guest virtual -> guest physical, with the ASID),
 *     which tests plant as "the guest ran and the hart cached this".
 * Nothing leaves it but the fence that the spec says removes it.
 *
 * Oracle, checked each time a hart enters a guest: no guest runs on another
 * guest's VS-stage entries under a host VMID they share (a VM's L1, or one
 * L2 of one vCPU, named by L1's VMID); every G-stage entry
 * tagged with the VMID it runs under must still be what that VMID's table
 * says now, and no page-walk entry may point into a table page that was
 * freed since the hart read it. And when L0 hands out a page again, no
 * hart may still hold a walk into it from before it was freed: a freed table
 * page is fenced on every hart that ran its VMID before it is reused. A
 * failure is a "violation" (sim_violations).
 */
#ifndef SIM_H
#define SIM_H

#include <stdbool.h>
#include <stdint.h>

#include <l0/vm.h>
#include <l0/vm_config.h>

#define SIM_HARTS 4
#define SIM_MAX_FENCES 4096

enum sim_fence_kind {
	SIM_FENCE_GVMA_ALL,
	SIM_FENCE_GVMA_VMID,
	SIM_FENCE_GVMA_GPA,
	SIM_FENCE_VVMA, /* of the VMID in hgatp, every ASID and address */
	SIM_FENCE_I,
};

struct sim_fence {
	unsigned int hart;
	enum sim_fence_kind kind;
	unsigned long vmid;
	uint64_t gpa;
};

/* The fence log since sim_fences_clear(). */
extern struct sim_fence sim_fences[SIM_MAX_FENCES];
extern unsigned int sim_nfences;
void sim_fences_clear(void);

/* Oracle failures since the start, and the first one's text. */
extern unsigned int sim_violations;
extern char sim_violation_msg[256];

/* IPIs sent to each hart (L0's ipi_send) since the start. */
extern unsigned int sim_ipis_sent[SIM_HARTS];

/*
 * A fresh machine of `nharts` harts, with or without Sstc; VMIDLEN 14; all
 * pages free, no VM (tests/sim/vm_reset.c empties L0's VM table).
 */
void sim_init(unsigned int nharts, bool sstc);
void sim_forget_vms(void);
/* hgatp.VMID keeps only the low `bits` bits on this hart (WARL). */
void sim_set_vmidlen(unsigned int hart, unsigned int bits);

/*
 * Create the VMs (L0's vm_create_all, with a tiny kernel "Image" in the
 * archive) and start every hart's scheduler. Returns the VM count.
 */
unsigned int sim_boot(const struct vm_config *cfg, unsigned int n);
/* Byte `i` of the kernel image sim_boot() gives each VM (4 KiB, no zeros). */
#define SIM_IMAGE_SIZE 4096
uint8_t sim_image_byte(size_t i);
/* A config: `vcpus` vCPUs on the harts in `hart_mask`, 8 MiB of RAM. */
struct vm_config sim_vm_config(const char *name, unsigned int vcpus,
			       uint64_t hart_mask, bool nested);

/*
 * On 2 harts, VM "a" with vCPU 0 on hart 0 and vCPU 1 (started) on hart 1,
 * and VM "b", which has hart 1 first: returns a (NULL: not so).
 */
struct vm *sim_boot_shared_hart(void);

/* What hart `i` runs: NULL when it idles. */
struct vcpu *sim_current(unsigned int hart);
/* Its trap frame: the running guest's registers. */
struct trap_frame *sim_frame(unsigned int hart);
/* Its CSR file. */
unsigned long sim_hart_csr(unsigned int hart, unsigned int csr);
void sim_set_hart_csr(unsigned int hart, unsigned int csr, unsigned long v);

/* Make hart `i`, which runs a guest, trap into L0 with this cause. */
void sim_trap(unsigned int hart, unsigned long scause, unsigned long stval,
	      unsigned long htval, unsigned long htinst);
/*
 * The same, in two halves, to interleave harts as real ones do: L0 handles
 * the trap (vcpu_handle_trap), then later the scheduler's after-trap path.
 */
void sim_trap_handle_only(unsigned int hart, unsigned long scause,
			  unsigned long stval);
void sim_trap_finish(unsigned int hart);

/* An SBI call from the guest on `hart`; returns a0 (error), a1 in *value. */
long sim_sbi(unsigned int hart, unsigned long ext, unsigned long fid,
	     unsigned long a0, unsigned long a1, unsigned long a2,
	     unsigned long *value);

/* The running L1 executes `insn`, which traps as a virtual instruction. */
void sim_l1_insn(unsigned int hart, uint32_t insn, unsigned long rs1val,
		 unsigned long rs2val);
/* csrw csr, val  and  hfence.gvma / sret for L1 in virtual HS-mode. */
void sim_l1_csrw(unsigned int hart, unsigned int csr, unsigned long val);
void sim_l1_sret(unsigned int hart);

/* SBI extensions a test calls (arch/sbi.h has the others). */
#define SIM_EXT_RFENCE 0x52464e43UL
#define SIM_HSM_START 0
#define SIM_HSM_STOP 1
#define SIM_HSM_STATUS 2

/* vCPU `vcpu` of the VM on `hart` starts (SBI HSM), and its hart runs it. */
long sim_hart_start(unsigned int hart, unsigned int vcpu);
/* L1 on `hart` enters L2 under `hgatp` (its virtual hgatp, then SRET). */
void sim_l1_enter_l2(unsigned int hart, unsigned long hgatp);
/* L2 on `hart` makes an ecall: L1 gets it. */
void sim_l2_exit(unsigned int hart);

/* Deliver pending IPIs and due timer interrupts to every hart. */
void sim_deliver(void);
/* Host time, in ticks (10 MHz). */
extern uint64_t sim_now;

/*
 * The running guest on `hart` accesses guest physical `gpa` (its VS-stage
 * is Bare): through the TLB model, else a walk of hgatp's table, else a
 * guest-page fault into L0, retried up to `tries` times. True when it got
 * a translation (to *hpa, when not NULL).
 */
bool sim_access(unsigned int hart, uint64_t gpa, unsigned int tries,
		uint64_t *hpa);

/* The hart caches VS-stage va -> gpa for the guest it runs (its ASID). */
void sim_tlb_fill_vs(unsigned int hart, uint64_t va, uint64_t gpa);
/*
 * L1 on `v` asked for its VS-stage entries to go (SBI remote SFENCE.VMA):
 * when `v` next runs L1, its hart may hold none of L1's VMID cached before.
 */
void sim_expect_vs_flush(const struct vcpu *v);
/* Whether the hart runs a guest now (a trap needs one). */
bool sim_in_guest(unsigned int hart);

/* The guest runs SFENCE.VMA (V=1: HFENCE.VVMA of hgatp's VMID). */
void sim_guest_sfence(unsigned int hart);
/* Whether the hart still holds a VS-stage entry of `vmid` for `va`. */
bool sim_tlb_has_vs(unsigned int hart, unsigned long vmid, uint64_t va);
/* Entries of each kind the hart holds for `vmid`. */
unsigned int sim_tlb_count(unsigned int hart, unsigned long vmid);

/*
 * Build an Sv39x4 G-stage table of L1's in its RAM at `root` (16 KiB
 * aligned, 24 KiB used) that maps L2 page `l2_gpa` to L1 page `l1_gpa`.
 */
void sim_l1_gstage_map(struct vm *vm, uint64_t root, uint64_t l2_gpa,
		       uint64_t l1_gpa);
/* The hgatp L1 writes for that table (Sv39x4) with `vmid`. */
unsigned long sim_l1_hgatp(uint64_t root, unsigned long vmid);

#endif
