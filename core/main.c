// SPDX-License-Identifier: MIT
/* L0's boot: device tree, console, memory, MMU, harts, banner. */
#include <libfdt.h>

#include <arch/csr.h>
#include <arch/image.h>
#include <arch/mmu.h>
#include <arch/sbi.h>
#include <arch/tlb.h>
#include <arch/trap.h>
#include <arch/vcpu_arch.h>
#include <arch/zero.h>
#include <drivers/irqchip.h>
#include <stdlib.h>
#include <string.h>

#include <l0/console.h>
#include <l0/cpio.h>
#include <l0/entropy.h>
#include <l0/hart.h>
#include <l0/hostirq.h>
#include <l0/page_alloc.h>
#include <l0/panic.h>
#include <l0/platform.h>
#include <l0/sched.h>
#include <l0/selftest.h>
#include <l0/timer.h>
#include <l0/vm.h>
#include <l0/vm_config.h>

#ifndef L0_VERSION
#define L0_VERSION "unknown"
#endif

#define MAX_FREE_RANGES (PLATFORM_MAX_MEM + PLATFORM_MAX_RESV + 4)

extern char _start[], _image_end[];

static struct platform platform;

void l0_main(unsigned long hartid, const void *fdt);
void hart_main(struct hart *h);

/* Refuse to run: one clear line, then power off instead of hanging. */
static void __attribute__((noreturn)) refuse(const char *why)
{
	printk("L0: refusing to run: %s\n", why);
	sbi_system_shutdown();
}

static void check_harts(void)
{
	char msg[128];

	for (size_t i = 0; i < platform.ncpus; i++) {
		if (isa_has(platform.cpus[i].isa, ISA_H))
			continue;
		l0_snprintf(
			msg, sizeof(msg),
			"hart %llu has no H extension (hypervisor); L0 needs it on every hart",
			(unsigned long long)platform.cpus[i].hartid);
		refuse(msg);
	}
}

static void remove_or_panic(struct mem_range *set, size_t *n,
			    struct mem_range hole)
{
	if (mem_ranges_remove(set, n, MAX_FREE_RANGES, hole))
		panic("memory: too many holes in the memory map");
}

static struct mem_range image_range(void)
{
	return (struct mem_range){ (uintptr_t)_start,
				   (uintptr_t)_image_end - (uintptr_t)_start };
}

static bool overlaps(struct mem_range a, struct mem_range b)
{
	return a.size && b.size && a.base < mem_range_end(&b) &&
	       b.base < mem_range_end(&a);
}

static void refuse_image(const char *what, struct mem_range r)
{
	struct mem_range image = image_range();
	char msg[160];

	l0_snprintf(msg, sizeof(msg),
		    "L0's image at 0x%llx-0x%llx %s 0x%llx-0x%llx",
		    (unsigned long long)image.base,
		    (unsigned long long)mem_range_end(&image), what,
		    (unsigned long long)r.base,
		    (unsigned long long)mem_range_end(&r));
	refuse(msg);
}

/*
 * L0 runs wherever it was loaded (head.S relocates it), but its image, BSS
 * included, must lie in one RAM range and off what others put in memory.
 */
static void check_image(const void *fdt)
{
	struct mem_range image = image_range();
	struct mem_range initrd = { platform.initrd_start,
				    platform.initrd_end -
					    platform.initrd_start };
	bool in_ram = false;

	for (size_t i = 0; i < platform.nmem; i++)
		in_ram |= image.base >= platform.mem[i].base &&
			  mem_range_end(&image) <=
				  mem_range_end(&platform.mem[i]);
	if (!in_ram)
		refuse_image("is not in one RAM range; RAM starts at",
			     platform.mem[0]);
	if (overlaps(image,
		     (struct mem_range){ (uintptr_t)fdt, fdt_totalsize(fdt) }))
		refuse_image("overlaps the device tree at",
			     (struct mem_range){ (uintptr_t)fdt,
						 fdt_totalsize(fdt) });
	if (overlaps(image, initrd))
		refuse_image("overlaps the initrd at", initrd);
	for (size_t i = 0; i < platform.nresv; i++)
		if (overlaps(image, platform.resv[i]))
			refuse_image("overlaps reserved memory at",
				     platform.resv[i]);
}

/* Free memory = FDT memory - L0's image - the FDT - reserved - initrd. */
static void memory_init(const void *fdt)
{
	struct mem_range free[MAX_FREE_RANGES];
	size_t n = platform.nmem;

	for (size_t i = 0; i < n; i++)
		free[i] = platform.mem[i];
	check_image(fdt);
	remove_or_panic(free, &n, image_range());
	remove_or_panic(
		free, &n,
		(struct mem_range){ (uintptr_t)fdt, fdt_totalsize(fdt) });
	remove_or_panic(free, &n,
			(struct mem_range){ platform.initrd_start,
					    platform.initrd_end -
						    platform.initrd_start });
	for (size_t i = 0; i < platform.nresv; i++)
		remove_or_panic(free, &n, platform.resv[i]);
	if (!n)
		panic("memory: no free memory left after the reserved regions");
	page_alloc_init(free, n);
}

static const char *mmu_setup(void)
{
	const struct platform_mmio *dev[] = { &platform.plic, &platform.aplic,
					      &platform.imsic };

	struct mem_range ram[MAX_FREE_RANGES];
	int n = platform_l0_ram(&platform, ram, ARRAY_SIZE(ram));

	if (n < 0)
		panic("mmu: too many holes in the memory map");
	mmu_init();
	for (int i = 0; i < n; i++)
		mmu_map_identity(ram[i].base, ram[i].size, MMU_RWX);
	if (platform.uart.present)
		mmu_map_identity(platform.uart.base, PAGE_SIZE, MMU_RW);
	for (size_t i = 0; i < ARRAY_SIZE(dev); i++)
		if (dev[i]->present)
			mmu_map_identity(dev[i]->base, dev[i]->size, MMU_RW);
	return mmu_enable();
}

static void print_irqchips(void)
{
	if (platform.plic.present)
		printk("  irqchip:  PLIC at 0x%llx, %u sources\n",
		       (unsigned long long)platform.plic.base,
		       platform.plic.ndev);
	if (platform.aplic.present)
		printk("  irqchip:  APLIC at 0x%llx, %u sources\n",
		       (unsigned long long)platform.aplic.base,
		       platform.aplic.ndev);
	if (platform.imsic.present)
		printk("  irqchip:  IMSIC at 0x%llx\n",
		       (unsigned long long)platform.imsic.base);
}

static void print_banner(uint64_t boot_hartid, const char *mmu_mode)
{
	long spec = sbi_spec_version(), impl = sbi_impl_version();
	uint64_t mem = 0;
	char isa[256], envcfg[160];

	for (size_t i = 0; i < platform.nmem; i++)
		mem += platform.mem[i].size;
	isa_format(platform_cpu(&platform, boot_hartid)->isa, isa, sizeof(isa));
	printk("\nL0 hypervisor %s\n", L0_VERSION);
	printk("  harts:    %zu (boot hart %llu)\n", platform.ncpus,
	       (unsigned long long)boot_hartid);
	printk("  image:    at 0x%llx, %llu KiB (linked at 0x%llx)\n",
	       (unsigned long long)image_range().base,
	       (unsigned long long)(image_range().size >> 10),
	       (unsigned long long)L0_LINK_BASE);
	printk("  memory:   %llu MiB in %zu range(s) from 0x%llx, %zu KiB free\n",
	       (unsigned long long)(mem >> 20), platform.nmem,
	       (unsigned long long)platform.mem[0].base,
	       page_free_count() * (PAGE_SIZE / 1024));
	printk("  isa:      %s\n", isa);
	printk("  mmu:      %s, timer: %s at %llu Hz\n", mmu_mode, timer_kind(),
	       (unsigned long long)platform.timebase_hz);
	printk("  firmware: %s v%ld.%ld, SBI spec v%ld.%ld\n",
	       sbi_impl_name(sbi_impl_id()), impl >> 16, impl & 0xffff,
	       (spec >> 24) & 0x7f, spec & 0xffffff);
	printk("  console:  %s\n", console_name());
	vcpu_arch_format_envcfg(envcfg, sizeof(envcfg));
	printk("  h-ext:    VMIDLEN %u, %s\n", this_hart()->vmids.bits, envcfg);
	if (zero_block_size())
		printk("  zeroing:  cbo.zero, %zu-byte blocks\n",
		       zero_block_size());
	print_irqchips();
	printk("L0: banner at %llu us after reset\n",
	       (unsigned long long)(timer_now() * 1000000 /
				    platform.timebase_hz));
}

void hart_main(struct hart *h)
{
	selftest_timer(h);
	smp_wait_release();
	sched_run();
}

/*
 * A guests.dtb describes at most VM_MAX guests in a few KiB (their images
 * are other files); past this bound it is a mistake, not a configuration.
 */
#define GUESTS_DTB_MAX (1UL << 20)

/* guests.dtb from L0's initrd, copied to 8-byte aligned memory for libfdt. */
static void *guests_dtb(const void *archive, uint64_t size)
{
	struct cpio_file f;
	void *copy;
	int rc = cpio_find(archive, size, "guests.dtb", &f);
	size_t npages;

	if (rc) {
		printk("L0: %s\n",
		       rc == -1
			       ? "no guests.dtb in the initrd: no guests"
			       : "the initrd is not a newc cpio archive: no guests");
		return NULL;
	}
	/* The archive is untrusted input: refuse what would not fit. */
	if (f.size < sizeof(struct fdt_header)) {
		printk("L0: guests.dtb is %zu bytes, too small for a device tree: no guests\n",
		       f.size);
		return NULL;
	}
	if (f.size > GUESTS_DTB_MAX) {
		printk("L0: guests.dtb is %zu bytes, more than the %lu MiB L0 takes: no guests\n",
		       f.size, GUESTS_DTB_MAX >> 20);
		return NULL;
	}
	npages = ALIGN_UP(f.size, PAGE_SIZE) >> PAGE_SHIFT;
	copy = page_try_alloc(npages, PAGE_SIZE);
	if (!copy) {
		printk("L0: no memory for a copy of guests.dtb (%zu bytes): no guests\n",
		       f.size);
		return NULL;
	}
	memcpy(copy, f.data, f.size);
	if (fdt_check_header(copy) || fdt_totalsize(copy) > f.size) {
		printk("L0: guests.dtb is not a valid device tree: no guests\n");
		page_free(copy, npages);
		return NULL;
	}
	return copy;
}

/* Read the guests' configuration and create them. Returns how many run. */
static unsigned int start_guests(const void *fdt)
{
	static struct vm_config cfg[VM_MAX];
	const void *archive = (const void *)(uintptr_t)platform.initrd_start;
	uint64_t size = platform.initrd_end - platform.initrd_start;
	char err[160];
	void *dtb;
	int n;

	if (!size) {
		printk("L0: no initrd: no guests\n");
		return 0;
	}
	dtb = guests_dtb(archive, size);
	if (!dtb)
		return 0;
	n = vm_config_parse(dtb, cfg, VM_MAX, err, sizeof(err));
	if (n < 0) {
		printk("L0: guests.dtb: %s\n", err);
		return 0;
	}
	return vm_create_all(cfg, (unsigned int)n, archive, size,
			     &(struct vm_host){ fdt, &platform });
}

void l0_main(unsigned long hartid, const void *fdt)
{
	char err[160];
	const char *mmu_mode, *vmid_bits;

	trap_init_hart();
	console_init_early();
	if (platform_parse(fdt, &platform, err, sizeof(err)))
		refuse(err);
	console_init(&platform);
	/* The host's seed is L0's alone: keep it, then wipe it from the FDT. */
	entropy_init(platform.rng_seed, platform.rng_seed_len);
	if (platform.rng_seed)
		memset((void *)(uintptr_t)platform.rng_seed, 0,
		       platform.rng_seed_len);
	if (!platform_cpu(&platform, hartid))
		refuse("the boot hart is not in the device tree's /cpus");
	check_harts();
	memory_init(fdt);
	mmu_mode = mmu_setup();
	/*
	 * henvcfg.STCE is read-only 0 while the firmware leaves menvcfg.STCE
	 * 0 (Sstc spec): then stimecmp is no use to L0 either.
	 */
	vcpu_arch_init(isa_has(platform_cpu(&platform, hartid)->isa, ISA_SSTC));
	timer_init(platform.timebase_hz, vcpu_arch_has_sstc());
	smp_init(&platform, hartid);
	vmid_bits = platform_bootarg_value(&platform, "l0.vmidlen=");
	if (vmid_bits)
		tlb_cap_vmid_bits((unsigned int)strtoul(vmid_bits, NULL, 10));
	tlb_init_hart();
	if (isa_has(platform_cpu(&platform, hartid)->isa, ISA_ZICBOZ))
		zero_init(platform_cpu(&platform, hartid)->cboz_block);
	print_banner(hartid, mmu_mode);

	smp_boot_secondaries();
	selftest_timer(this_hart());
	selftest_ipi();
	selftest_wait_all();
	selftest_nomap(&platform);
	printk("L0: %u of %u harts online\n", harts_online(), hart_count());
	if (platform_has_bootarg(&platform, "l0.selftest=fault"))
		selftest_fault();
	vm_poweroff_when_done(platform_has_bootarg(&platform, "l0.poweroff"));
	/* Before the guests: their devices' interrupts come here too. */
	if (hostirq_init(&platform, platform_cpu(&platform, hartid)))
		printk("L0: host interrupts from the %s, hart %llu's target %d\n",
		       irqchip_name(), (unsigned long long)hartid,
		       platform_cpu(&platform, hartid)->irq_target);
	else
		printk("L0: no host interrupts (no S-level target of a host interrupt controller L0 drives)\n");
	if (platform_has_bootarg(&platform, "l0.selftest=input"))
		selftest_console_input(&platform);
	if (start_guests(fdt)) {
		if (console_enable_input(&platform, vm_console_input))
			vm_console_start();
		smp_release_harts();
		sched_run();
	}
	if (platform_has_bootarg(&platform, "l0.poweroff")) {
		printk("L0: powering off\n");
		sbi_system_shutdown();
	}
	printk("L0: idle (QEMU: Ctrl-A X quits)\n");
	for (;;)
		wait_for_interrupt();
}
