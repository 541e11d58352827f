// SPDX-License-Identifier: MIT
/*
 * MMIO emulation: decode the guest's load or store, then hand it to the
 * device model whose window holds the address. The decoding follows the
 * privileged spec's "transformed instruction" rules for htinst (21.6.3)
 * and falls back to reading the instruction with HLVX when htinst is 0.
 */
#include <arch/csr.h>
#include <arch/vcpu_arch.h>
#include <l0/mmio.h>
#include <l0/vm.h>

#define OP_LOAD 0x03
#define OP_STORE 0x23

static bool decode_32(uint32_t insn, struct mmio_access *a)
{
	unsigned int funct3 = (insn >> 12) & 7;

	switch (insn & 0x7f) {
	case OP_LOAD:
		if (funct3 == 7)
			return false;
		a->store = false;
		a->width = 1u << (funct3 & 3);
		a->sign_extend = !(funct3 & 4);
		a->reg = (insn >> 7) & 31;
		return true;
	case OP_STORE:
		if (funct3 > 3)
			return false;
		a->store = true;
		a->width = 1u << funct3;
		a->reg = (insn >> 20) & 31;
		return true;
	default:
		return false;
	}
}

/* C.LW, C.LD, C.SW, C.SD and their sp-relative forms (RVC, quadrants 0/2). */
static bool decode_16(uint16_t insn, struct mmio_access *a)
{
	unsigned int funct3 = insn >> 13, quadrant = insn & 3;
	unsigned int reg_prime = 8 + ((insn >> 2) & 7);

	if (quadrant != 0 && quadrant != 2)
		return false;
	switch (funct3) {
	case 2: /* C.LW, C.LWSP */
	case 3: /* C.LD, C.LDSP */
		a->store = false;
		a->reg = quadrant ? (insn >> 7) & 31 : reg_prime;
		break;
	case 6: /* C.SW, C.SWSP */
	case 7: /* C.SD, C.SDSP */
		a->store = true;
		a->reg = quadrant ? (insn >> 2) & 31 : reg_prime;
		break;
	default:
		return false;
	}
	a->width = (funct3 & 1) ? 8 : 4;
	a->sign_extend = true;
	return true;
}

bool mmio_decode(unsigned long htinst, uint32_t insn, struct mmio_access *a)
{
	if (htinst & 1) {
		/* Transformed: a 32-bit encoding; bit 1 tells the real length. */
		a->insn_len = (htinst & 2) ? 4 : 2;
		return decode_32((uint32_t)(htinst | 2), a);
	}
	if (htinst)
		return false; /* a pseudoinstruction: the VS-stage walk's access */
	if ((insn & 3) == 3) {
		a->insn_len = 4;
		return decode_32(insn, a);
	}
	a->insn_len = 2;
	return decode_16((uint16_t)insn, a);
}

/* The trapping instruction, read through the guest's own translation. */
static bool fetch_insn(unsigned long va, uint32_t *insn)
{
	uint16_t lo, hi = 0;

	if (guest_load_insn_half(va, &lo))
		return false;
	if ((lo & 3) == 3 && guest_load_insn_half(va + 2, &hi))
		return false;
	*insn = lo | ((uint32_t)hi << 16);
	return true;
}

static uint64_t extend(uint64_t v, unsigned int width, bool sign)
{
	unsigned int shift = 64 - 8 * width;

	if (width == 8)
		return v;
	return sign ? (uint64_t)((int64_t)(v << shift) >> shift)
		    : v & ((1ULL << (8 * width)) - 1);
}

static bool uart_access(struct vm *vm, uint64_t off,
			const struct mmio_access *a, uint64_t *val)
{
	if (!vuart_access_ok(off, a->width))
		return false;
	spin_lock(&vm->lock);
	if (a->store)
		vuart_write(&vm->uart, off, (uint8_t)*val);
	else
		*val = vuart_read(&vm->uart, off);
	vm_console_refill(vm);
	spin_unlock(&vm->lock);
	return true;
}

static bool plic_access(struct vm *vm, uint64_t off,
			const struct mmio_access *a, uint64_t *val)
{
	uint32_t v32 = (uint32_t)*val;
	bool ok;

	if (a->store) {
		ok = vplic_write(&vm->plic, off, a->width, v32);
	} else {
		ok = vplic_read(&vm->plic, off, a->width, &v32);
		*val = v32;
	}
	return ok;
}

static bool device_access(struct vm *vm, uint64_t gpa,
			  const struct mmio_access *a, uint64_t *val)
{
	if (gpa >= GUEST_UART_BASE && gpa < GUEST_UART_BASE + VUART_SIZE)
		return uart_access(vm, gpa - GUEST_UART_BASE, a, val);
	if (gpa >= GUEST_PLIC_BASE && gpa < GUEST_PLIC_BASE + VPLIC_SIZE)
		return plic_access(vm, gpa - GUEST_PLIC_BASE, a, val);
	return false;
}

bool mmio_emulate(struct vcpu *v, struct trap_frame *tf, uint64_t gpa)
{
	struct mmio_access a;
	uint32_t insn = 0;
	uint64_t val = 0;

	if (!tf->htinst && !fetch_insn(tf->sepc, &insn))
		return false;
	if (!mmio_decode(tf->htinst, insn, &a))
		return false;
	if (a.store)
		val = a.reg ? tf->regs[a.reg] : 0;
	if (!device_access(v->vm, gpa, &a, &val))
		return false;
	if (!a.store && a.reg)
		tf->regs[a.reg] = extend(val, a.width, a.sign_extend);
	v->vm->stats.mmio_exits++;
	vm_update_plic(v->vm);
	tf->sepc += a.insn_len;
	return true;
}
