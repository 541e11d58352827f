// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: core/mmio.c's decode and emulation of a guest's trapped
 * loads and stores, on the vPLIC (core/vplic.c) and the vUART
 * (core/vuart.c) of one VM, as the guest's device drivers (or a hostile
 * guest) would drive them. Each input makes a VM (heap-allocated: ASan sees
 * any access past it) with any number of PLIC sources and contexts and
 * some sources wired to host interrupts, then plays up to 64 events: a
 * trapped access (a transformed instruction in htinst, any htinst, or an
 * instruction fetched from the guest, any register values) to a register
 * of either device or anywhere, a device's line level, a byte received by
 * the UART, the host's side of passed-through sources, and direct vPLIC
 * accesses of any size and offset.
 *
 * Oracles: an access changes nothing in the VM but the two devices' state
 * and its counters, and nothing in the trap frame but the load's register
 * (never x0) and sepc, moved past the instruction (all of it unchanged when
 * the access is refused); a load's value is zero- or sign-extended from its
 * width; a refused vPLIC access has no effect and reads 0; a claim reads a
 * source that exists; and the devices' state stays legal: priorities and
 * thresholds 0..7, no pending, claimed or enabled bit for source 0 or a
 * source past nsources, no enable bit for a context past ncontexts, the
 * UART's FIFO within its size.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arch/trap.h>
#include <arch/vcpu_arch.h>
#include <l0/mmio.h>
#include <l0/vm.h>

#include "fuzz.h"

#define MAX_EVENTS 64
#define OPC_LOAD 0x03
#define OPC_STORE 0x23

/* The instruction the guest's memory holds at sepc (no htinst). */
static uint32_t guest_insn;
static bool guest_insn_faults;

unsigned long guest_load_insn_half(unsigned long va, uint16_t *out)
{
	*out = (uint16_t)(guest_insn >> (va & 2 ? 16 : 0));
	return guest_insn_faults;
}

/* What core/vm.c does with the vPLIC's output: each context's level. */
void vm_update_plic(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nvcpus; i++)
		vm->vcpus[i].seip = vplic_context_pending(&vm->plic, i);
}

/* Typed input is not modelled (the events feed the UART instead). */
void vm_console_refill(struct vm *vm)
{
	vplic_set_level(&vm->plic, GUEST_UART_IRQ, vuart_irq_level(&vm->uart));
}

static unsigned int tx_bytes;

static void uart_tx(void *ctx, uint8_t byte)
{
	(void)ctx;
	(void)byte;
	tx_bytes++;
}

/* A PLIC offset: a register of a source or context, or anything. */
static uint64_t pick_plic_off(struct input *in)
{
	unsigned int n = (unsigned int)get(in, 1), ctx = n % 10;

	switch (get(in, 1) % 6) {
	case 0:
		return 4 * (n % 130);
	case 1:
		return 0x1000 + 4 * (n % 8);
	case 2:
		return 0x2000 + 0x80 * ctx + 4 * (n % 8);
	case 3:
		return 0x200000 + 0x1000 * ctx + (get(in, 1) & 4);
	case 4:
		return get(in, 4) % (VPLIC_SIZE + 16);
	default:
		return get(in, 8);
	}
}

static uint64_t pick_gpa(struct input *in)
{
	switch (get(in, 1) % 4) {
	case 0:
		return GUEST_UART_BASE + get(in, 1) % (VUART_SIZE + 8);
	case 1:
	case 2:
		return GUEST_PLIC_BASE + pick_plic_off(in);
	default:
		return get(in, 8);
	}
}

/* htinst: a transformed load or store (rs1 = 0), any value, or 0. */
static unsigned long pick_htinst(struct input *in)
{
	unsigned int f3 = (unsigned int)get(in, 1),
		     reg = (unsigned int)get(in, 1);
	unsigned long len_bit = f3 & 0x80 ? 2 : 0; /* bit 1: a 4-byte insn */

	switch (get(in, 1) % 4) {
	case 0:
		return (f3 & 7) << 12 | (reg & 31) << 7 | OPC_LOAD | len_bit |
		       1;
	case 1:
		return (reg & 31) << 20 | (f3 & 7) << 12 | OPC_STORE | len_bit |
		       1;
	case 2:
		return 0;
	default:
		return get(in, 8);
	}
}

static void check_plic(const struct vplic *p)
{
	CHECK(p->priority[0] == 0, "source 0 has a priority");
	for (unsigned int s = 0; s < VPLIC_MAX_SOURCES; s++) {
		bool exists = s && s < p->nsources;
		uint64_t bit = 1ULL << (s % 64);

		CHECK(p->priority[s] <= 7 && (exists || !p->priority[s]),
		      "source %u: priority %u", s, p->priority[s]);
		if (exists)
			continue;
		CHECK(!(p->pending[s / 64] & bit) &&
			      !(p->claimed[s / 64] & bit),
		      "source %u (of %u): pending or claimed", s, p->nsources);
		for (unsigned int c = 0; c < VPLIC_MAX_CONTEXTS; c++)
			CHECK(!(p->enable[c][s / 64] & bit),
			      "source %u: enabled in context %u", s, c);
	}
	for (unsigned int c = 0; c < VPLIC_MAX_CONTEXTS; c++) {
		CHECK(p->threshold[c] <= 7, "context %u: threshold %u", c,
		      p->threshold[c]);
		for (unsigned int w = 0; c >= p->ncontexts && w < VPLIC_WORDS;
		     w++)
			CHECK(!p->enable[c][w] && !p->threshold[c],
			      "context %u (of %u) written", c, p->ncontexts);
	}
}

/*
 * Nothing in the VM but the devices and the counters (and the PLIC's
 * output to each vCPU, vm_update_plic()'s): both copies with those zeroed
 * are the same.
 */
static void check_vm(const struct vm *before, const struct vm *now)
{
	static struct vm a, b;

	memcpy(&a, before, sizeof(a));
	memcpy(&b, now, sizeof(b));
	for (struct vm *x = &a; x; x = x == &a ? &b : NULL) {
		memset(&x->plic, 0, sizeof(x->plic));
		memset(&x->uart, 0, sizeof(x->uart));
		memset(&x->stats, 0, sizeof(x->stats));
		for (unsigned int i = 0; i < VM_MAX_VCPUS; i++)
			x->vcpus[i].seip = 0;
	}
	CHECK(!memcmp(&a, &b, sizeof(a)),
	      "the access changed the VM outside its devices");
}

static void trapped_access(struct vm *vm, struct vm *snap, struct input *in)
{
	struct vcpu *v = &vm->vcpus[get(in, 1) % vm->nvcpus];
	struct trap_frame tf = { .sepc = 0x80001000 }, old;
	uint64_t gpa = pick_gpa(in);
	struct mmio_access a = { 0 };
	bool decoded, ok;

	for (unsigned int r = 1; r < 32; r++)
		tf.regs[r] = get(in, 1) & 1 ? get(in, 8) : r;
	tf.htinst = pick_htinst(in);
	guest_insn = (uint32_t)get(in, 4);
	guest_insn_faults = get(in, 1) == 0xff;
	old = tf;
	decoded = mmio_decode(tf.htinst, guest_insn, &a);
	if (decoded)
		CHECK((a.width == 1 || a.width == 2 || a.width == 4 ||
		       a.width == 8) &&
			      a.reg < 32 &&
			      (a.insn_len == 2 || a.insn_len == 4),
		      "decode: width %u, reg %u, length %u", a.width, a.reg,
		      a.insn_len);
	memcpy(snap, vm, sizeof(*vm));
	ok = mmio_emulate(v, &tf, gpa);
	check_vm(snap, vm);
	CHECK(!ok || decoded, "an access emulated that does not decode");
	if (!ok) {
		CHECK(!memcmp(&tf, &old, sizeof(tf)),
		      "a refused access changed the frame");
		return;
	}
	CHECK(tf.sepc == old.sepc + a.insn_len, "sepc moved by %lu",
	      tf.sepc - old.sepc);
	for (unsigned int r = 0; r < 32; r++)
		CHECK(tf.regs[r] == old.regs[r] ||
			      (!a.store && r == a.reg && r),
		      "x%u changed", r);
	if (!a.store && a.reg && a.width < 8) {
		uint64_t x = tf.regs[a.reg], top = x >> (8 * a.width - 1);

		CHECK(a.sign_extend
			      ? (top == 0 || top == ~0ULL >> (8 * a.width - 1))
			      : top <= 1,
		      "a load of %u bytes read 0x%llx", a.width,
		      (unsigned long long)x);
		if (gpa >= GUEST_PLIC_BASE + 0x200000 &&
		    gpa < GUEST_PLIC_BASE + VPLIC_SIZE && (gpa & 0xfff) == 4)
			CHECK((uint32_t)x < vm->plic.nsources,
			      "a claim of source %u", (uint32_t)x);
	}
}

/* A direct vPLIC access: refused ones change nothing and read 0. */
static void plic_direct(struct vm *vm, struct input *in)
{
	struct vplic before = vm->plic;
	uint64_t off = pick_plic_off(in);
	unsigned int size = (unsigned int)get(in, 1) % 9;
	uint32_t val = (uint32_t)get(in, 4);
	bool ok;

	if (get(in, 1) & 1) {
		ok = vplic_write(&vm->plic, off, size, val);
	} else {
		ok = vplic_read(&vm->plic, off, size, &val);
		CHECK(ok || !val, "a refused read gave 0x%x", val);
	}
	if (!ok)
		CHECK(!memcmp(&before, &vm->plic, sizeof(before)),
		      "a refused access at 0x%llx changed the vPLIC",
		      (unsigned long long)off);
	CHECK(ok == (size == 4 && !(off & 3) && off < VPLIC_SIZE),
	      "an access of %u bytes at 0x%llx: %d", size,
	      (unsigned long long)off, ok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct vm *vm = calloc(1, sizeof(*vm)), *snap = malloc(sizeof(*vm));
	uint64_t done[VPLIC_WORDS];

	if (!vm || !snap)
		abort();
	vm->nvcpus = 1 + (unsigned int)get(&in, 1) % VPLIC_MAX_CONTEXTS;
	for (unsigned int i = 0; i < vm->nvcpus; i++)
		vm->vcpus[i].vm = vm;
	vuart_init(&vm->uart, uart_tx, NULL);
	vplic_init(&vm->plic, 1 + (unsigned int)get(&in, 1) % VPLIC_MAX_SOURCES,
		   vm->nvcpus);
	for (unsigned int i = get(&in, 1) % 4; i; i--)
		vplic_set_hw(&vm->plic, (unsigned int)get(&in, 1));
	for (unsigned int i = 0; i < MAX_EVENTS && in.n; i++) {
		switch (get(&in, 1) % 10) {
		case 5:
			vplic_set_level(&vm->plic, (unsigned int)get(&in, 1),
					get(&in, 1) & 1);
			break;
		case 6:
			vuart_receive(&vm->uart, (uint8_t)get(&in, 1));
			vm_console_refill(vm);
			break;
		case 7:
			vplic_take_hw_done(&vm->plic, done);
			break;
		case 8:
			if (get(&in, 1) & 1)
				vplic_release_hw(&vm->plic, done);
			else
				plic_direct(vm, &in);
			break;
		default:
			trapped_access(vm, snap, &in);
			break;
		}
		check_plic(&vm->plic);
		CHECK(vm->uart.rx_count <= VUART_RX_FIFO &&
			      vm->uart.rx_head < VUART_RX_FIFO,
		      "UART FIFO: head %u, count %u", vm->uart.rx_head,
		      vm->uart.rx_count);
	}
	free(snap);
	free(vm);
	return 0;
}
