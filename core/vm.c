// SPDX-License-Identifier: MIT
/*
 * Creating VMs from their configuration: RAM, G-stage, the images from L0's
 * initrd archive, the guest's device tree; and their end (stop, reboot) with
 * the counters L0 keeps for them.
 */
#include <libfdt.h>
#include <string.h>

#include <arch/csr.h>
#include <arch/tlb.h>
#include <arch/sbi.h>
#include <arch/vcpu_arch.h>
#include <l0/cpio.h>
#include <l0/entropy.h>
#include <l0/guest_fdt.h>
#include <l0/hart.h>
#include <l0/hostirq.h>
#include <l0/nested.h>
#include <l0/page_alloc.h>
#include <l0/passthrough.h>
#include <l0/printf.h>
#include <l0/sbi_guest.h>
#include <l0/sched.h>
#include <l0/timer.h>
#include <l0/vm.h>
#include <l0/hot.h>

#define SZ_2M 0x200000UL
#define GUEST_FDT_SIZE 0x10000UL
#define IMAGE_MAGIC2_OFFSET 56
#define IMAGE_SIZE_OFFSET 16

/* What of the host's ISA a guest gets: nothing L0 would have to emulate. */
static const isa_bitmap_t guest_isa_mask =
	ISA_BIT(ISA_I) | ISA_BIT(ISA_M) | ISA_BIT(ISA_A) | ISA_BIT(ISA_F) |
	ISA_BIT(ISA_D) | ISA_BIT(ISA_C) | ISA_BIT(ISA_ZICSR) |
	ISA_BIT(ISA_ZIFENCEI) | ISA_BIT(ISA_ZICNTR) | ISA_BIT(ISA_ZIHINTPAUSE) |
	ISA_BIT(ISA_ZBA) | ISA_BIT(ISA_ZBB) | ISA_BIT(ISA_ZBS) |
	ISA_BIT(ISA_SSTC) | ISA_BIT(ISA_SVINVAL);

/*
 * Each VM page-aligned: a trap reads its counters and its vCPU, which then
 * share a page (struct vm), one TLB refill after each change of V.
 */
static union {
	struct vm vm;
	char pages[ALIGN_UP(sizeof(struct vm), PAGE_SIZE)];
} vms[VM_MAX] __attribute__((aligned(PAGE_SIZE)));
static unsigned int nvms;
static const struct vm_host *host;
static bool poweroff_when_done;
static isa_bitmap_t host_isa;

void vm_poweroff_when_done(bool on)
{
	poweroff_when_done = on;
}

static int vm_fail(struct vm *vm, const char *what)
{
	printk("L0: VM %s not started: %s\n", vm->cfg->name, what);
	return -1;
}

/* File `name` of the archive as guest physical `gpa` (vm_ram_load). */
static int load_file(struct vm *vm, const char *name, uint64_t gpa,
		     struct cpio_file *f)
{
	if (cpio_find(vm->archive, vm->archive_size, name, f))
		return vm_fail(vm,
			       "a file the config names is not in the initrd");
	if (vm_ram_load(vm, gpa, f->data, f->size))
		return vm_fail(vm, "an image does not fit in the VM's memory");
	return 0;
}

/* Bytes a kernel occupies from its load address (Image header, if any). */
static uint64_t kernel_footprint(const struct cpio_file *k)
{
	const uint8_t *p = k->data;
	uint64_t image_size;

	if (k->size < 64 || memcmp(p + IMAGE_MAGIC2_OFFSET, "RSC\x05", 4) != 0)
		return k->size;
	memcpy(&image_size, p + IMAGE_SIZE_OFFSET, sizeof(image_size));
	return image_size > k->size ? image_size : k->size;
}

static void build_isa(const struct vm *vm, char *isa, size_t len,
		      const char **exts, size_t max)
{
	/* A nested-enabled guest also gets the H extension, emulated by L0. */
	isa_bitmap_t g = host_isa & (guest_isa_mask |
				     (vm->cfg->nested ? ISA_BIT(ISA_H) : 0));
	size_t n = 0, pos;

	pos = (size_t)l0_snprintf(isa, len, "rv64");
	for (int e = 0; e < ISA_EXT_COUNT; e++) {
		const char *name = isa_ext_name(e);

		if (!isa_has(g, e))
			continue;
		if (n + 1 < max)
			exts[n++] = name;
		if (pos < len)
			pos += (size_t)l0_snprintf(
				isa + pos, len - pos, "%s%s",
				name[1] && pos > 4 ? "_" : "", name);
	}
	exts[n] = NULL;
}

static int write_fdt(struct vm *vm, uint64_t fdt_gpa, uint64_t initrd_start,
		     uint64_t initrd_end)
{
	char isa[160];
	const char *exts[ISA_EXT_COUNT + 1];
	struct guest_fdt_params p = {
		.name = vm->cfg->name,
		.vcpus = vm->nvcpus,
		.isa = isa,
		.isa_extensions = exts,
		.timebase_hz = (uint32_t)timer_us_to_ticks(1000000),
		.mem_base = vm->ram_gpa,
		.mem_size = vm->ram_size,
		.plic_base = GUEST_PLIC_BASE,
		.plic_size = VPLIC_SIZE,
		.plic_ndev = vm->plic.nsources - 1,
		.uart_base = GUEST_UART_BASE,
		.uart_irq = GUEST_UART_IRQ,
		.uart_clock_hz = 3686400,
		.bootargs = vm->cfg->bootargs,
		.initrd_start = initrd_start,
		.initrd_end = initrd_end,
		.host_fdt = host->fdt,
		.pt = &vm->pt,
	};
	uint8_t seed[ENTROPY_SEED_BYTES];
	int rc;

	build_isa(vm, isa, sizeof(isa), exts, ARRAY_SIZE(exts));
	if (entropy_guest_seed(seed)) {
		p.rng_seed = seed;
		p.rng_seed_len = sizeof(seed);
	}
	rc = guest_fdt_build(vm_ram_ptr(vm, fdt_gpa, GUEST_FDT_SIZE),
			     GUEST_FDT_SIZE, &p);
	if (rc) {
		printk("L0: VM %s: device tree: %s\n", vm->cfg->name,
		       fdt_strerror(rc));
		return vm_fail(vm, "its device tree could not be written");
	}
	return 0;
}

/*
 * Layout in guest RAM: kernel at +2 MiB (the Image text_offset), the device
 * tree in the last 2 MiB, the initrd just below it.
 */
static int load_images(struct vm *vm)
{
	uint64_t kernel = vm->ram_gpa + GUEST_KERNEL_OFFSET;
	uint64_t fdt = vm->ram_gpa + vm->ram_size - SZ_2M;
	uint64_t initrd = 0, initrd_end = 0;
	struct cpio_file k, rd;

	if (load_file(vm, vm->cfg->kernel, kernel, &k))
		return -1;
	if (vm->cfg->initrd[0]) {
		if (cpio_find(vm->archive, vm->archive_size, vm->cfg->initrd,
			      &rd))
			return vm_fail(vm, "its initrd is not in L0's initrd");
		initrd = ALIGN_DOWN(fdt - rd.size, PAGE_SIZE);
		if (rd.size > fdt - vm->ram_gpa ||
		    initrd < ALIGN_UP(kernel + kernel_footprint(&k), SZ_2M))
			return vm_fail(vm, "kernel and initrd do not fit");
		if (load_file(vm, vm->cfg->initrd, initrd, &rd))
			return -1;
		initrd_end = initrd + rd.size;
	} else if (kernel + kernel_footprint(&k) > fdt) {
		return vm_fail(vm, "the kernel does not fit");
	}
	return write_fdt(vm, fdt, initrd, initrd_end);
}

/* The least loaded online hart the config allows, for the next vCPU. */
static int pick_hart(const struct vm_config *cfg, unsigned int *load)
{
	int best = -1;

	for (unsigned int i = 0; i < hart_count(); i++) {
		struct hart *h = hart_by_index(i);

		if (!h->online || h->hartid >= 64 ||
		    !(cfg->hart_mask & BIT(h->hartid)))
			continue;
		if (best < 0 || load[i] < load[best])
			best = (int)i;
	}
	return best;
}

static void reset_vcpus(struct vm *vm)
{
	uint64_t fdt = vm->ram_gpa + vm->ram_size - SZ_2M;

	vm->time_delta = -timer_now();
	sbi_guest_vm_reset(vm);

	for (unsigned int i = 0; i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		vcpu_arch_reset(v, vm->ram_gpa + GUEST_KERNEL_OFFSET, i, fdt);
		memset(v->fp, 0, sizeof(v->fp));
		v->fp_saved = true; /* zeros, not the previous vCPU's values */
		v->timer_deadline = ~0ULL;
		v->hvip_set = v->hvip_clear = 0;
		v->seip = 0;
		v->state = i ? VCPU_STOPPED : VCPU_RUNNABLE;
		sbi_guest_vcpu_reset(v);
		/*
		 * Fences it owes (vm_ram_reset's) stay owed, and its hart drops
		 * the old run's VS-stage entries (HFENCE.GVMA need not).
		 */
		__atomic_or_fetch(&v->flush_pending, FLUSH_VVMA,
				  __ATOMIC_RELEASE);
		if (v->nested) {
			nested_vcpu_reset(v);
			__atomic_or_fetch(&v->flush_pending, FLUSH_NESTED,
					  __ATOMIC_RELEASE);
		}
	}
}

static int setup_vcpus(struct vm *vm, unsigned int *load)
{
	vm->nvcpus = vm->cfg->vcpus;
	for (unsigned int i = 0; i < vm->nvcpus; i++) {
		int hart = pick_hart(vm->cfg, load);

		if (hart < 0)
			return vm_fail(vm, "none of its harts is online");
		vm->vcpus[i].vm = vm;
		vm->vcpus[i].id = i;
		vm->vcpus[i].hart = (unsigned int)hart;
		if (vm->cfg->nested && nested_vcpu_init(&vm->vcpus[i]))
			return vm_fail(vm, "no memory for its nested state");
		load[hart]++;
	}
	reset_vcpus(vm);
	return 0;
}

static void uart_tx(void *vm, uint8_t byte)
{
	vm_console_putc(vm, byte);
}

/*
 * The vPLIC numbers sources as the host PLIC or APLIC does; a guest with no
 * device of the host's gets QEMU virt's 31 sources.
 */
static unsigned int plic_sources(const struct vm *vm)
{
	const struct platform *p = host->plat;
	uint32_t ndev = p->plic.present ? p->plic.ndev : p->aplic.ndev;

	if (!vm->pt.ndev || ndev < GUEST_PLIC_NDEV)
		return GUEST_PLIC_NDEV + 1;
	return ndev < VPLIC_MAX_SOURCES ? ndev + 1 : VPLIC_MAX_SOURCES;
}

/* Give back the host sources routed to `vm` (it is not started). */
static void unroute_devices(const struct vm *vm)
{
	const struct passthrough *pt = &vm->pt;

	for (unsigned int i = 0; i < pt->ndev; i++)
		for (unsigned int j = 0; j < pt->dev[i].nirq; j++)
			hostirq_unroute(pt->dev[i].irq[j], vm);
}

/* Map the passed-through devices' registers and route their interrupts. */
static int attach_devices(struct vm *vm)
{
	const struct passthrough *pt = &vm->pt;

	for (unsigned int i = 0; i < pt->ndev; i++)
		for (unsigned int j = 0; j < pt->dev[i].nirq; j++)
			if (!hostirq_available(pt->dev[i].irq[j]))
				return vm_fail(
					vm,
					"passthrough: a device interrupt L0 cannot take for it (no host interrupt controller target, or shared)");
	for (unsigned int i = 0; i < pt->ndev; i++) {
		const struct pt_device *d = &pt->dev[i];

		for (unsigned int j = 0; j < d->nreg; j++)
			if (gstage_map(&vm->gstage, d->reg[j].base,
				       d->reg[j].base, d->reg[j].size,
				       GSTAGE_R | GSTAGE_W))
				return vm_fail(
					vm,
					"passthrough: no memory to map its devices");
	}
	for (unsigned int i = 0; i < pt->ndev; i++)
		for (unsigned int j = 0; j < pt->dev[i].nirq; j++)
			if (!hostirq_route(pt->dev[i].irq[j], vm)) {
				unroute_devices(vm);
				return vm_fail(
					vm,
					"passthrough: a device interrupt the host controller does not route to L0 (e.g. not delegated to its APLIC domain)");
			}
	return 0;
}

/* Everything a VM holds of L0's memory, given back. */
static void free_vm(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nvcpus; i++)
		nested_vcpu_free(&vm->vcpus[i]);
	vm_ram_free(vm);
}

static int vm_create(struct vm *vm, unsigned int *load)
{
	const struct vm_config *cfg = vm->cfg;

	vm->ram_size = cfg->memory;
	if (vm_ram_init(vm)) {
		free_vm(vm);
		return vm_fail(vm, "not enough free memory for it");
	}
	if (setup_vcpus(vm, load)) {
		free_vm(vm);
		return -1;
	}
	/* Before the images: the guest's FDT gives the vPLIC's source count. */
	vplic_init(&vm->plic, plic_sources(vm), vm->nvcpus);
	if (load_images(vm) || attach_devices(vm)) {
		free_vm(vm);
		return -1;
	}
	vuart_init(&vm->uart, uart_tx, vm);
	return 0;
}

unsigned int vm_create_all(const struct vm_config *cfg, unsigned int n,
			   const void *archive, uint64_t archive_size,
			   const struct vm_host *h)
{
	unsigned int load[PLATFORM_MAX_HARTS] = { 0 };
	char err[200];

	host = h;
	host_isa = this_hart()->isa;
	/* Sstc without henvcfg.STCE is no use to a guest (vcpu_arch_init). */
	if (!vcpu_arch_has_sstc())
		host_isa &= ~ISA_BIT(ISA_SSTC);
	/* What every VM gives back when it stops: the soak compares. */
	printk("L0: %zu pages free before the guests\n", page_free_count());
	for (unsigned int i = 0; i < n && nvms < VM_MAX; i++) {
		struct vm *vm = &vms[nvms].vm;

		*vm = (struct vm){ .cfg = &cfg[i],
				   .id = nvms,
				   .archive = archive,
				   .archive_size = archive_size };
		if (passthrough_check(host, cfg, i, &vm->pt, err,
				      sizeof(err))) {
			printk("L0: %s\n", err);
			continue;
		}
		if (vm_create(vm, load))
			continue;
		printk("L0: VM %s: %u vCPU(s), %llu MiB at host 0x%llx\n",
		       vm->cfg->name, vm->nvcpus,
		       (unsigned long long)(vm->ram_size >> 20),
		       (unsigned long long)vm->ram_hpa);
		for (unsigned int j = 0; j < vm->nvcpus; j++)
			sched_add(&vm->vcpus[j]);
		__atomic_store_n(&vm->running, 1, __ATOMIC_RELEASE);
		nvms++;
	}
	/* New VMIDs and tables: no hart may hold stale G-stage entries. */
	hfence_gvma_all();
	return nvms;
}

L0_HOT void vm_count_trap(struct vcpu *v, unsigned long scause)
{
	unsigned long code = scause & ~SCAUSE_INTERRUPT;
	unsigned long idx =
		scause & SCAUSE_INTERRUPT ? VM_STAT_IRQ_BASE + code : code;

	if (idx >= VM_STAT_CAUSES)
		return;
	__atomic_add_fetch(&v->vm->stats.traps[idx], 1, __ATOMIC_RELAXED);
	if (v->nested)
		nested_count_trap(v, idx);
}

unsigned long vm_stat_cause(unsigned int idx)
{
	return idx < VM_STAT_IRQ_BASE
		       ? idx
		       : SCAUSE_INTERRUPT | (idx - VM_STAT_IRQ_BASE);
}

L0_HOT void vm_count_insns(struct vcpu *v, unsigned long scause,
			   unsigned long insns)
{
	__atomic_add_fetch(&v->vm->stats.insns, insns, __ATOMIC_RELAXED);
	if (v->nested)
		nested_count_insns(v, insns);
	if (scause == EXC_ECALL_VS)
		__atomic_add_fetch(&v->vm->stats.sbi_insns[v->sbi.last_ext],
				   insns, __ATOMIC_RELAXED);
	if (scause != EXC_VIRTUAL_INST)
		return;
	__atomic_add_fetch(&v->vm->stats.vinst_traps, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&v->vm->stats.vinst_insns, insns, __ATOMIC_RELAXED);
}

static void print_stats(const struct vm *vm)
{
	const struct vm_stats *s = &vm->stats;
	unsigned long total = 0;

	for (unsigned int i = 0; i < VM_STAT_CAUSES; i++) {
		total += s->traps[i];
		if (s->traps[i])
			printk("L0: VM %s: traps: %lu %s\n", vm->cfg->name,
			       s->traps[i], trap_cause_name(vm_stat_cause(i)));
	}
	for (unsigned int i = 0; i < sbi_guest_ext_count(); i++)
		if (s->sbi_calls[i])
			printk("L0: VM %s: SBI calls: %lu %s\n", vm->cfg->name,
			       s->sbi_calls[i], sbi_guest_ext_name(i));
	/* Exact only under QEMU -icount (make bench). */
	for (unsigned int i = 0; i < sbi_guest_ext_count(); i++)
		if (s->sbi_calls[i])
			printk("L0: VM %s: SBI %s: L0 instructions %lu (%lu per call)\n",
			       vm->cfg->name, sbi_guest_ext_name(i),
			       s->sbi_insns[i],
			       s->sbi_insns[i] / s->sbi_calls[i]);
	printk("L0: VM %s: traps total %lu, MMIO exits %lu\n", vm->cfg->name,
	       total, s->mmio_exits);
	printk("L0: VM %s: L0 instructions in its traps %lu\n", vm->cfg->name,
	       s->insns);
	if (vm->cfg->nested)
		nested_print_stats(vm);
	if (vm->pt.ndev)
		printk("L0: VM %s: device interrupts forwarded %lu, L0 traps for them %lu\n",
		       vm->cfg->name, s->devirqs, s->devirq_traps);
	if (s->vinst_traps)
		printk("L0: VM %s: virtual-instruction traps %lu, L0 instructions %lu (%lu each)\n",
		       vm->cfg->name, s->vinst_traps, s->vinst_insns,
		       s->vinst_insns / s->vinst_traps);
}

static void take_off_harts(struct vm *vm)
{
	__atomic_store_n(&vm->running, 0, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < vm->nvcpus; i++) {
		__atomic_store_n(&vm->vcpus[i].state, VCPU_STOPPED,
				 __ATOMIC_RELEASE);
		sched_kick(vm->vcpus[i].hart);
	}
}

unsigned int vm_count(void)
{
	return nvms;
}

struct vm *vm_by_index(unsigned int i)
{
	return i < nvms ? &vms[i].vm : NULL;
}

/* Whether a VM still runs, or has memory to give back. */
static bool vm_any_left(void)
{
	for (unsigned int i = 0; i < nvms; i++)
		if (__atomic_load_n(&vms[i].vm.running, __ATOMIC_ACQUIRE) ||
		    __atomic_load_n(&vms[i].vm.release_pending,
				    __ATOMIC_ACQUIRE))
			return true;
	return false;
}

void vm_stop(struct vm *vm, const char *why)
{
	if (!__atomic_exchange_n(&vm->running, 0, __ATOMIC_ACQ_REL))
		return;
	/* Before the vCPUs leave: the last one to go frees the VM. */
	__atomic_store_n(&vm->release_pending, 1, __ATOMIC_RELEASE);
	take_off_harts(vm);
	printk("L0: VM %s stopped: %s\n", vm->cfg->name, why);
	print_stats(vm);
}

/*
 * A stopped VM gives back its RAM, G-stage and nested state, once none of
 * its vCPUs is on a hart: this hart's entries for its VMIDs go here; no
 * hart uses them again (a stopped VM never restarts).
 */
static void vm_release(struct vm *vm)
{
	free_vm(vm);
	/*
	 * Its table pages may be reused by anyone now: no hart may keep a walk
	 * through them. The harts' VMID maps fence a VMID before it serves
	 * another owner, but a hart's page-walk cache is not bound to wait for
	 * that; so every hart fences, through the SBI as a hypervisor on
	 * firmware does (an L0 under L0 thus uses its L0's remote HFENCE), or
	 * this one alone where the firmware has no remote HFENCE.
	 */
	if (sbi_remote_hfence_gvma_all())
		hfence_gvma_all();
	printk("L0: VM %s gave back its memory: %zu pages free\n",
	       vm->cfg->name, page_free_count());
	if (vm_any_left())
		return;
	printk("L0: all VMs have stopped\n");
	tlb_print_stats();
	if (poweroff_when_done) {
		printk("L0: powering off\n");
		sbi_system_shutdown();
	}
}

void vm_reboot(struct vm *vm)
{
	printk("L0: VM %s: the guest asked for a reboot\n", vm->cfg->name);
	vm->reboot_pending = 1;
	take_off_harts(vm);
}

/* Complete each source of bitmap `done` at the host. */
static void complete_at_host(uint64_t *done)
{
	for (unsigned int w = 0; w < VPLIC_WORDS; w++)
		for (; done[w]; done[w] &= done[w] - 1)
			hostirq_complete(64 * w + ctz64(done[w]));
}

/* Whether a vCPU of `vm` is still on some hart. */
static bool vm_on_any_hart(const struct vm *vm)
{
	for (unsigned int i = 0; i < hart_count(); i++) {
		struct vcpu *c = __atomic_load_n(&hart_by_index(i)->current,
						 __ATOMIC_ACQUIRE);

		if (c && c->vm == vm)
			return true;
	}
	return false;
}

static void vm_finish_reboot(struct vm *vm)
{
	uint64_t deadline = timer_now() + timer_us_to_ticks(1000000);

	if (!__atomic_exchange_n(&vm->reboot_pending, 0, __ATOMIC_ACQ_REL))
		return;
	while (vm_on_any_hart(vm))
		if (timer_now() > deadline) {
			vm_stop(vm, "its vCPUs did not stop for the reboot");
			return;
		}
	/* Nothing of the previous run may show through: a reset clears RAM. */
	vm_ram_reset(vm);
	if (vm->pt.ndev) {
		/* The next kernel will not complete what this one claimed. */
		uint64_t held[VPLIC_WORDS];

		vplic_release_hw(&vm->plic, held);
		complete_at_host(held);
	}
	if (load_images(vm)) {
		vm_stop(vm, "its images could not be reloaded");
		return;
	}
	/*
	 * Nested state from scratch, shadow tables and their roots given back:
	 * each boot of the VM starts with what the first one had.
	 */
	for (unsigned int i = 0; i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (!v->nested)
			continue;
		nested_vcpu_free(v);
		if (nested_vcpu_init(v)) {
			vm_stop(vm, "L0 has no memory for its nested state");
			return;
		}
	}
	reset_vcpus(vm);
	__atomic_store_n(&vm->running, 1, __ATOMIC_RELEASE);
	printk("L0: VM %s restarted: %zu pages free\n", vm->cfg->name,
	       page_free_count());
	sched_wake(&vm->vcpus[0]);
}

/* Complete at the host what the guest completed of its devices' sources. */
static void complete_host_sources(struct vm *vm)
{
	uint64_t done[VPLIC_WORDS];
	unsigned int events = vplic_take_hw_done(&vm->plic, done);

	if (events)
		__atomic_add_fetch(&vm->stats.devirq_traps, events,
				   __ATOMIC_RELAXED);
	complete_at_host(done);
}

void vm_left_hart(struct vm *vm)
{
	/*
	 * This hart's store of `current` before the loads of the others':
	 * of two harts leaving at once, one must see the other gone.
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&vm->reboot_pending, __ATOMIC_ACQUIRE))
		vm_finish_reboot(vm);
	if (__atomic_load_n(&vm->release_pending, __ATOMIC_ACQUIRE) &&
	    !vm_on_any_hart(vm) &&
	    __atomic_exchange_n(&vm->release_pending, 0, __ATOMIC_ACQ_REL))
		vm_release(vm);
}

void vm_update_plic(struct vm *vm)
{
	if (vm->pt.ndev)
		complete_host_sources(vm);
	/*
	 * One hart at a time: of two harts that read the vPLIC at once, the
	 * one that read it last must also be the last to set VSEIP, or a
	 * stale level sticks (an interrupt lost, or one that the guest can
	 * never claim and takes again and again).
	 */
	spin_lock(&vm->irq_lock);
	for (unsigned int i = 0; i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		unsigned int level = vplic_context_pending(&vm->plic, i);

		if (v->seip != level) {
			v->seip = level;
			vcpu_set_irq(v, HVIP_VSEIP, level);
		}
	}
	spin_unlock(&vm->irq_lock);
}
