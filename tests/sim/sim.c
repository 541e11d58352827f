// SPDX-License-Identifier: MIT
/* The simulated harts: their CSRs, L0 run on them, the machine set up (sim.h). */
#include <setjmp.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <arch/csr.h>
#include <arch/pte.h>
#include <arch/sbi.h>
#include <arch/tlb.h>
#include <arch/trap.h>
#include <arch/vcpu_arch.h>
#include <l0/bits.h>
#include <l0/hart.h>
#include <l0/isa.h>
#include <l0/printf.h>
#include <l0/page_alloc.h>
#include <l0/sched.h>
#include <l0/timer.h>
#include <l0/passthrough.h>
#include <l0/platform.h>
#include <l0/vm.h>

#include "../../nested/state.h"
#include "sim_internal.h"

struct sim_hart sim_harts[SIM_HARTS];
unsigned int sim_nharts, sim_cur;
uint8_t *sim_pool;
unsigned int sim_polls;

uint64_t sim_now;
struct sim_fence sim_fences[SIM_MAX_FENCES];
unsigned int sim_nfences;
unsigned int sim_violations;
char sim_violation_msg[256];
unsigned int sim_ipis_sent[SIM_HARTS];

char trap_vector[4]; /* trap.c names it; nothing jumps there */

void sim_violation(const char *fmt, ...)
{
	char msg[sizeof(sim_violation_msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "sim: violation: %s\n", msg);
	if (!sim_violations++)
		memcpy(sim_violation_msg, msg, sizeof(msg));
}

/* --- the CSR file --- */

unsigned long sim_vmid_mask(const struct sim_hart *h)
{
	return (1UL << h->vmidlen) - 1;
}

unsigned long sim_cur_vmid(const struct sim_hart *h)
{
	return field_get(HGATP_VMID, h->csr[CSR_HGATP]);
}

unsigned long sim_csr_read(unsigned int csr)
{
	if (csr == CSR_TIME)
		return sim_now;
	if (csr == CSR_INSTRET)
		return 0;
	return sim_harts[sim_cur].csr[csr & 0xfff];
}

/* WARL fields as a hart with Sv39x4/Sv48x4, Sv39/Sv48 and VMIDLEN has. */
void sim_csr_write(unsigned int csr, unsigned long val)
{
	struct sim_hart *h = &sim_harts[sim_cur];
	unsigned long mode = field_get(SATP_MODE, val);

	switch (csr) {
	case CSR_HGATP:
		if (mode && mode != 8 && mode != 9)
			return; /* an unsupported MODE: the write is ignored */
		val &= HGATP_MODE | HGATP_VMID | HGATP_PPN;
		val = field_set(HGATP_VMID, val,
				field_get(HGATP_VMID, val) & sim_vmid_mask(h));
		break;
	case CSR_VSATP:
		if (mode && mode != 8 && mode != 9)
			return;
		break;
	case CSR_HVIP:
		val &= HVIP_VSSIP | HVIP_VSTIP | HVIP_VSEIP;
		break;
	default:
		break;
	}
	h->csr[csr & 0xfff] = val;
}

unsigned long sim_csr_swap(unsigned int csr, unsigned long val)
{
	unsigned long old = sim_csr_read(csr);

	sim_csr_write(csr, val);
	return old;
}

void sim_csr_set(unsigned int csr, unsigned long bits)
{
	sim_csr_write(csr, sim_csr_read(csr) | bits);
}

void sim_csr_clear(unsigned int csr, unsigned long bits)
{
	sim_csr_write(csr, sim_csr_read(csr) & ~bits);
}

unsigned long sim_hart_csr(unsigned int hart, unsigned int csr)
{
	return sim_harts[hart].csr[csr];
}

void sim_set_hart_csr(unsigned int hart, unsigned int csr, unsigned long v)
{
	unsigned int saved = sim_cur;

	sim_cur = hart;
	sim_csr_write(csr, v);
	sim_cur = saved;
}

struct hart *sim_this_hart(void)
{
	return &sim_harts[sim_cur].hart;
}

/* --- running L0 on a hart --- */

static struct trap_frame *frame_of(struct sim_hart *h)
{
	return (struct trap_frame *)(h->hart.stack_top -
				     sizeof(struct trap_frame));
}

struct trap_frame *sim_frame(unsigned int hart)
{
	return frame_of(&sim_harts[hart]);
}

struct vcpu *sim_current(unsigned int hart)
{
	return sim_harts[hart].hart.current;
}

void guest_enter(struct trap_frame *frame)
{
	struct sim_hart *h = &sim_harts[sim_cur];

	if (frame != frame_of(h))
		sim_violation("guest_enter with a frame not at the stack top");
	sim_entered(h);
	longjmp(*h->jb, 1);
}

void sim_wfi(void)
{
	struct sim_hart *h = &sim_harts[sim_cur];

	h->in_guest = false;
	longjmp(*h->jb, 2);
}

/* Run the hart's scheduler until it enters a guest or idles. */
static void run_sched(unsigned int hart)
{
	struct sim_hart *h = &sim_harts[hart];
	jmp_buf jb;

	sim_cur = hart;
	h->jb = &jb;
	h->in_guest = false;
	sim_polls = 0;
	if (!setjmp(jb))
		sched_run();
	h->jb = NULL;
}

static void set_cause(struct sim_hart *h, unsigned long scause,
		      unsigned long stval, unsigned long htval,
		      unsigned long htinst)
{
	struct trap_frame *tf = frame_of(h);

	sim_polls = 0;
	tf->scause = scause;
	tf->stval = stval;
	tf->htval = htval;
	tf->htinst = htinst;
	h->in_guest = false;
}

void sim_trap(unsigned int hart, unsigned long scause, unsigned long stval,
	      unsigned long htval, unsigned long htinst)
{
	struct sim_hart *h = &sim_harts[hart];
	jmp_buf jb;

	if (!h->in_guest)
		return; /* nothing runs there to trap */
	set_cause(h, scause, stval, htval, htinst);
	sim_cur = hart;
	h->jb = &jb;
	if (!setjmp(jb)) {
		trap_handle(frame_of(h));
		sim_entered(h); /* sret back into the same guest */
	}
	h->jb = NULL;
}

void sim_trap_handle_only(unsigned int hart, unsigned long scause,
			  unsigned long stval)
{
	struct sim_hart *h = &sim_harts[hart];

	if (!h->in_guest)
		return;
	set_cause(h, scause, stval, 0, 0);
	sim_cur = hart;
	vm_count_trap(sched_current(), scause);
	vcpu_handle_trap(sched_current(), frame_of(h));
}

void sim_trap_finish(unsigned int hart)
{
	struct sim_hart *h = &sim_harts[hart];
	jmp_buf jb;

	sim_cur = hart;
	h->jb = &jb;
	if (!setjmp(jb)) {
		sched_after_trap(frame_of(h));
		sim_entered(h);
	}
	h->jb = NULL;
}

/* An interrupt: into L0 from the guest, or waking the idle hart. */
void sim_interrupt(unsigned int hart, unsigned int irq)
{
	struct sim_hart *h = &sim_harts[hart];
	struct trap_frame tf = { .scause = SCAUSE_INTERRUPT | irq };
	jmp_buf jb;

	if (h->in_guest) {
		sim_trap(hart, SCAUSE_INTERRUPT | irq, 0, 0, 0);
		return;
	}
	sim_cur = hart;
	h->jb = &jb;
	sim_polls = 0;
	if (!setjmp(jb)) {
		trap_handle(&tf); /* from HS-mode: hstatus.SPV = 0 */
		sched_run();
	}
	h->jb = NULL;
}

void sim_deliver(void)
{
	for (unsigned int round = 0; round < 16; round++) {
		bool any = false;

		for (unsigned int i = 0; i < sim_nharts; i++) {
			struct sim_hart *h = &sim_harts[i];

			if (h->csr[CSR_SIP] & BIT(IRQ_S_SOFT)) {
				sim_interrupt(i, IRQ_S_SOFT);
				any = true;
			}
			if (sim_now >= h->timer) {
				sim_interrupt(i, IRQ_S_TIMER);
				any = true;
			}
		}
		if (!any)
			return;
	}
	sim_violation("interrupts keep coming after 16 rounds");
}

long sim_sbi(unsigned int hart, unsigned long ext, unsigned long fid,
	     unsigned long a0, unsigned long a1, unsigned long a2,
	     unsigned long *value)
{
	struct trap_frame *tf = frame_of(&sim_harts[hart]);
	struct vcpu *v = sim_current(hart);

	tf->regs[17] = ext;
	tf->regs[16] = fid;
	tf->regs[10] = a0;
	tf->regs[11] = a1;
	tf->regs[12] = a2;
	sim_trap(hart, EXC_ECALL_VS, 0, 0, 0);
	if (sim_current(hart) != v)
		tf = &v->regs;
	if (value)
		*value = tf->regs[11];
	return (long)tf->regs[10];
}

void sim_l1_insn(unsigned int hart, uint32_t insn, unsigned long rs1val,
		 unsigned long rs2val)
{
	struct trap_frame *tf = frame_of(&sim_harts[hart]);

	tf->regs[5] = rs1val;
	tf->regs[6] = rs2val;
	sim_trap(hart, EXC_VIRTUAL_INST, insn, 0, 0);
}

void sim_l1_csrw(unsigned int hart, unsigned int csr, unsigned long val)
{
	/* csrrw x0, csr, t0 */
	sim_l1_insn(hart, (csr << 20) | (5u << 15) | (1u << 12) | 0x73u, val,
		    0);
}

void sim_l1_sret(unsigned int hart)
{
	sim_l1_insn(hart, 0x10200073u, 0, 0);
}

long sim_hart_start(unsigned int hart, unsigned int vcpu)
{
	long err = sim_sbi(hart, SBI_EXT_HSM, SIM_HSM_START, vcpu,
			   GUEST_RAM_BASE + GUEST_KERNEL_OFFSET, 0, NULL);

	sim_deliver();
	return err;
}

void sim_l1_enter_l2(unsigned int hart, unsigned long hgatp)
{
	sim_l1_csrw(hart, 0x680, hgatp);		      /* hgatp */
	sim_l1_csrw(hart, 0x600, HSTATUS_SPV | HSTATUS_SPVP); /* hstatus */
	sim_l1_sret(hart);
}

void sim_l2_exit(unsigned int hart)
{
	sim_trap(hart, EXC_ECALL_VS, 0, 0, 0);
}

/* --- setting up --- */

void sim_init(unsigned int n, bool sstc)
{
	static void *map;
	struct mem_range r;

	if (!map) {
		map = mmap(NULL, POOL_SIZE + 2 * MiB, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (map == MAP_FAILED)
			abort();
		sim_pool = (uint8_t *)ALIGN_UP((uintptr_t)map, 2 * MiB);
	}
	/* A fresh machine: every page free, no VM, nothing cached. */
	r = (struct mem_range){ (uintptr_t)sim_pool, POOL_SIZE };
	page_alloc_init(&r, 1);
	sim_tlb_reset();
	sim_forget_vms();
	sim_now = 0;
	sim_nfences = 0;
	sim_violations = 0;
	memset(sim_ipis_sent, 0, sizeof(sim_ipis_sent));
	sim_nharts = n;
	for (unsigned int i = 0; i < n; i++) {
		struct sim_hart *h = &sim_harts[i];

		memset(h, 0, sizeof(*h));
		h->hart.index = i;
		h->hart.hartid = i;
		h->hart.online = true;
		h->hart.isa = ISA_BIT(ISA_H) | (sstc ? ISA_BIT(ISA_SSTC) : 0);
		h->hart.stack_top = (uintptr_t)h->stack + sizeof(h->stack);
		h->hart.timer_armed = ~0ULL;
		h->vmidlen = 14;
		h->timer = ~0ULL;
	}
	trap_set_irq_handler(IRQ_S_SOFT, sim_ipi_handler);
	trap_set_irq_handler(IRQ_S_TIMER, sim_timer_handler);
	sim_cur = 0;
}

void sim_set_vmidlen(unsigned int hart, unsigned int bits)
{
	sim_harts[hart].vmidlen = bits;
}

struct vm_config sim_vm_config(const char *name, unsigned int vcpus,
			       uint64_t hart_mask, bool nested)
{
	struct vm_config c = {
		.memory = 8 * MiB,
		.hart_mask = hart_mask,
		.kernel = "Image",
		.vcpus = vcpus,
		.nested = nested,
		.nested_hgatp_max = 9,
	};

	snprintf(c.name, sizeof(c.name), "%s", name);
	return c;
}

/* A "newc" cpio entry (cpio.c's format): header, name, data, padded. */
static size_t cpio_entry(uint8_t *out, const char *name, size_t size)
{
	size_t namesize = strlen(name) + 1, n;

	n = (size_t)sprintf(
		(char *)out,
		"070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
		1, size ? 0100644 : 0, 0, 0, 1, 0, size, 0, 0, 0, 0, namesize,
		0);
	memcpy(out + n, name, namesize);
	n = ALIGN_UP(n + namesize, 4);
	for (size_t i = 0; i < size; i++)
		out[n + i] = sim_image_byte(i);
	return ALIGN_UP(n + size, 4);
}

uint8_t sim_image_byte(size_t i)
{
	return (uint8_t)(i * 7 + 1);
}

unsigned int sim_boot(const struct vm_config *cfg, unsigned int n)
{
	static uint8_t archive[16384];
	static struct vm_config cfgs[VM_MAX]; /* VMs keep pointing at theirs */
	/* A host with no devices to pass through: guests get 31 sources. */
	static const struct platform plat;
	static const struct vm_host host = { .fdt = NULL, .plat = &plat };
	size_t len = cpio_entry(archive, "Image", SIM_IMAGE_SIZE);
	unsigned int made;

	len += cpio_entry(archive + len, "TRAILER!!!", 0);
	memcpy(cfgs, cfg, n * sizeof(*cfg));
	sim_cur = 0;
	made = vm_create_all(cfgs, n, archive, len, &host);
	for (unsigned int i = 0; i < sim_nharts; i++)
		run_sched(i);
	return made;
}

struct vm *sim_boot_shared_hart(void)
{
	struct vm_config c[] = {
		sim_vm_config("a", 2, 3, false), /* vCPU 0 on hart 0, 1 on 1 */
		sim_vm_config("b", 1, 2, false), /* shares hart 1 */
	};

	sim_init(2, true);
	if (sim_boot(c, 2) != 2 || sim_hart_start(0, 1))
		return NULL;
	return vm_by_index(0);
}

/* --- L1's own G-stage table, in its RAM --- */

void sim_l1_gstage_map(struct vm *vm, uint64_t root, uint64_t l2_gpa,
		       uint64_t l1_gpa)
{
	uint64_t *r = vm_ram_ptr(vm, root, 0x6000);
	uint64_t *t1 = r + 0x4000 / 8, *t0 = r + 0x5000 / 8;

	r[(l2_gpa >> 30) & 0x7ff] =
		field_prep(PTE_PPN, (root + 0x4000) >> 12) | PTE_V;
	t1[(l2_gpa >> 21) & 0x1ff] =
		field_prep(PTE_PPN, (root + 0x5000) >> 12) | PTE_V;
	t0[(l2_gpa >> 12) & 0x1ff] = field_prep(PTE_PPN, l1_gpa >> 12) | PTE_V |
				     PTE_R | PTE_W | PTE_X | PTE_U | PTE_A |
				     PTE_D;
}

unsigned long sim_l1_hgatp(uint64_t root, unsigned long vmid)
{
	return field_prep(HGATP_MODE, 8) | field_prep(HGATP_VMID, vmid) |
	       field_prep(HGATP_PPN, root >> 12);
}
