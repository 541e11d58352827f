// SPDX-License-Identifier: MIT
/*
 * Guest RAM: one contiguous host block per VM, zeroed and mapped into the
 * G-stage 2 MiB at a time, the first time the guest (or L0 on its behalf)
 * touches it. A guest that uses a part of its memory costs L0 only that
 * part's zeroing, and nothing of the host's earlier contents shows through.
 */
#include <string.h>

#include <arch/csr.h>
#include <arch/tlb.h>
#include <arch/zero.h>
#include <l0/page_alloc.h>
#include <l0/vm.h>
#include <l0/hot.h>

#define CHUNK_SHIFT VM_RAM_CHUNK_SHIFT
#define CHUNK_SIZE VM_RAM_CHUNK_SIZE

static void populate(struct vm *vm, size_t i);

/*
 * A direct-map VM's devices write its RAM by DMA, which L0 does not see: a
 * chunk filled at the CPU's first touch after a DMA would lose the data. So
 * its RAM is all zeroed up front, at each (re)start, and its images are
 * copied as they are loaded (vm_ram_load).
 */
static void zero_if_direct_map(struct vm *vm)
{
	if (!vm->cfg->direct_map)
		return;
	for (size_t i = 0; i < vm->ram_size >> CHUNK_SHIFT; i++)
		populate(vm, i);
}

int vm_ram_init(struct vm *vm)
{
	size_t chunks = vm->ram_size >> CHUNK_SHIFT;

	vm->ram_hpa = (uintptr_t)page_try_alloc_uninit(
		vm->ram_size >> PAGE_SHIFT, CHUNK_SIZE);
	vm->ram_ready = page_try_alloc(
		ALIGN_UP(chunks, PAGE_SIZE * 8) / (PAGE_SIZE * 8), PAGE_SIZE);
	if (!vm->ram_hpa || !vm->ram_ready)
		return -1;
	/* direct-map: DMA the guest programs with its own addresses hits it. */
	vm->ram_gpa = vm->cfg->direct_map ? vm->ram_hpa : GUEST_RAM_BASE;
	if (vm->ram_gpa + vm->ram_size > gstage_gpa_limit(GSTAGE_SV39X4))
		return -1;
	vm->nimages = 0;
	zero_if_direct_map(vm);
	return gstage_init(&vm->gstage, GSTAGE_SV39X4, (uint16_t)(vm->id + 1));
}

void vm_ram_free(struct vm *vm)
{
	size_t chunks = vm->ram_size >> CHUNK_SHIFT;

	gstage_destroy(&vm->gstage);
	if (vm->ram_ready)
		page_free(vm->ram_ready,
			  ALIGN_UP(chunks, PAGE_SIZE * 8) / (PAGE_SIZE * 8));
	if (vm->ram_hpa)
		page_free((void *)(uintptr_t)vm->ram_hpa,
			  vm->ram_size >> PAGE_SHIFT);
	vm->ram_ready = NULL;
	vm->ram_hpa = 0;
}

/*
 * RAM offsets [from, to) of a chunk never touched: the images' bytes where
 * they lie, zeroes elsewhere, each byte written once. The images do not
 * overlap (vm.c places them apart).
 */
static void fill(struct vm *vm, uint64_t from, uint64_t to)
{
	uint8_t *ram = (uint8_t *)(uintptr_t)vm->ram_hpa;

	while (from < to) {
		const struct vm_image *next = NULL;
		uint64_t start = to, end;

		/* The lowest image that lies in [from, to). */
		for (unsigned int k = 0; k < vm->nimages; k++) {
			const struct vm_image *im = &vm->images[k];

			if (im->off + im->len > from && im->off < start) {
				next = im;
				start = im->off > from ? im->off : from;
			}
		}
		zero_range(ram + from, start - from);
		if (!next)
			return;
		end = next->off + next->len < to ? next->off + next->len : to;
		memcpy(ram + start,
		       (const uint8_t *)next->src + (start - next->off),
		       end - start);
		from = end;
	}
}

/* Fill chunk `i` the first time anyone asks for it. */
L0_HOT static void populate(struct vm *vm, size_t i)
{
	uint64_t bit = BIT(i % 64), lo = (uint64_t)i << CHUNK_SHIFT;

	if (__atomic_load_n(&vm->ram_ready[i / 64], __ATOMIC_ACQUIRE) & bit)
		return;
	spin_lock(&vm->ram_lock);
	if (!(vm->ram_ready[i / 64] & bit)) {
		fill(vm, lo, lo + CHUNK_SIZE);
		__atomic_or_fetch(&vm->ram_ready[i / 64], bit,
				  __ATOMIC_RELEASE);
	}
	spin_unlock(&vm->ram_lock);
}

bool vm_ram_contains(const struct vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t off = gpa - vm->ram_gpa;

	return gpa >= vm->ram_gpa && off <= vm->ram_size &&
	       len <= vm->ram_size - off;
}

void *vm_ram_ptr_fill(struct vm *vm, uint64_t gpa, uint64_t len)
{
	uint64_t off = gpa - vm->ram_gpa;

	if (!vm_ram_contains(vm, gpa, len))
		return NULL;
	for (uint64_t c = off >> CHUNK_SHIFT;
	     len && c <= (off + len - 1) >> CHUNK_SHIFT; c++)
		populate(vm, c);
	return (void *)(uintptr_t)(vm->ram_hpa + off);
}

int vm_ram_load(struct vm *vm, uint64_t gpa, const void *src, uint64_t len)
{
	uint64_t off = gpa - vm->ram_gpa;
	uint8_t *ram = (uint8_t *)(uintptr_t)vm->ram_hpa;

	if (!vm_ram_contains(vm, gpa, len) || vm->nimages == VM_IMAGES)
		return -1;
	vm->images[vm->nimages++] =
		(struct vm_image){ .off = off, .len = len, .src = src };
	/* Chunks already filled (a direct-map VM's, all) get it now. */
	for (uint64_t c = off >> CHUNK_SHIFT;
	     len && c <= (off + len - 1) >> CHUNK_SHIFT; c++) {
		uint64_t lo = c << CHUNK_SHIFT, hi = lo + CHUNK_SIZE;
		uint64_t from = off > lo ? off : lo;
		uint64_t to = off + len < hi ? off + len : hi;

		if (vm->ram_ready[c / 64] & BIT(c % 64))
			memcpy(ram + from, (const uint8_t *)src + (from - off),
			       to - from);
	}
	return 0;
}

bool vm_ram_fault(struct vm *vm, uint64_t gpa)
{
	uint64_t chunk_gpa = ALIGN_DOWN(gpa, CHUNK_SIZE);
	uint64_t off = chunk_gpa - vm->ram_gpa;
	unsigned long vmid = vm->gstage.vmid;
	int rc = 0;

	if (gpa < vm->ram_gpa || gpa - vm->ram_gpa >= vm->ram_size)
		return false;
	populate(vm, off >> CHUNK_SHIFT);
	spin_lock(&vm->ram_lock);
	if (!gstage_translate(&vm->gstage, gpa, NULL, NULL))
		rc = gstage_map(&vm->gstage, chunk_gpa, vm->ram_hpa + off,
				CHUNK_SIZE, GSTAGE_RWX);
	spin_unlock(&vm->ram_lock);
	if (rc)
		vm_stop(vm, "L0 has no memory left for its G-stage table");
	/* A hart may keep a failed walk: drop this VMID's entries here. */
	hfence_gvma_vmid(vmid);
	return true;
}

void vm_ram_reset(struct vm *vm)
{
	size_t words = ALIGN_UP(vm->ram_size >> CHUNK_SHIFT, 64) / 64;

	/*
	 * Keep the tables: every hart of the VM walked them, under its VMID
	 * and its L2's, and fences only when it runs one of them again.
	 */
	gstage_unmap_keep_tables(&vm->gstage, vm->ram_gpa, vm->ram_size);
	memset(vm->ram_ready, 0, words * sizeof(*vm->ram_ready));
	vm->nimages = 0; /* loaded again (vm.c) */
	zero_if_direct_map(vm);
	for (unsigned int i = 0; i < vm->nvcpus; i++)
		__atomic_or_fetch(&vm->vcpus[i].flush_pending, FLUSH_GVMA,
				  __ATOMIC_RELEASE);
}
