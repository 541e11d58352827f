// SPDX-License-Identifier: MIT
/* The 16550 at the FDT's address: registers, THR output, THRE via PLIC. */
#include "guest.h"
#include "mmio.h"

#define WAIT_US 1000000

const char payload_name[] = "mmio-uart";
PLAN("fdt-devices", "lsr-thre", "thr-visible", "dlab-divisor", "dlab-separate",
     "iir-none", "plic-irq", "plic-claim", "iir-thre", "iir-none-after",
     "wide-loads", "wide-stores", "load-extension");

static int ctx = -1;
static volatile unsigned long sei_seen, claimed, iir_in_irq;

static bool thre_wait(void)
{
	uint64_t end = now() + us_to_ticks(WAIT_US);

	while (!(uart_read(UART_LSR) & UART_LSR_THRE))
		if (now() > end)
			return false;
	return true;
}

static void thr_case(void)
{
	static const char line[] = "ECHO: mmio-uart: thr-visible\n";

	for (const char *p = line; *p; p++) {
		if (!thre_wait()) {
			check("thr-visible", false, "THRE stays clear");
			return;
		}
		uart_write(UART_RBR, (uint8_t)*p);
	}
	thre_wait();
}

static void dlab_cases(void)
{
	uint8_t lcr = uart_read(UART_LCR), dll, dlm, rd_dll, rd_dlm, ier;

	uart_write(UART_IER, 0);
	uart_write(UART_LCR, lcr | UART_LCR_DLAB);
	dll = uart_read(UART_RBR);
	dlm = uart_read(UART_IER);
	uart_write(UART_RBR, 0x5a);
	uart_write(UART_IER, 0x0f);
	rd_dll = uart_read(UART_RBR);
	rd_dlm = uart_read(UART_IER);
	uart_write(UART_LCR, lcr);
	ier = uart_read(UART_IER);
	uart_write(UART_LCR, lcr | UART_LCR_DLAB);
	uart_write(UART_RBR, dll);
	uart_write(UART_IER, dlm);
	uart_write(UART_LCR, lcr);
	check("dlab-divisor", rd_dll == 0x5a && rd_dlm == 0x0f,
	      "DLL 0x%x DLM 0x%x, wrote 0x5a 0x0f", rd_dll, rd_dlm);
	check("dlab-separate", ier == 0 && uart_read(UART_LCR) == lcr,
	      "IER 0x%x after DLM = 0x0f, LCR 0x%x", ier, uart_read(UART_LCR));
}

/*
 * QEMU's ns16550a on virt takes any naturally aligned access of 1 to 8
 * bytes as one access to the register at its address: loads get the
 * register zero-extended, stores write the low byte. Tried on DLL (with
 * LCR.DLAB), which has no side effect.
 */
static void width_cases(void)
{
	static const int widths[] = { 2, 4, 8 };
	uintptr_t dll = plat.uart_base;
	uint8_t lcr = uart_read(UART_LCR), old;
	uint64_t v = 0, lb = 0, lbu = 0, wide[3] = { 0 };
	bool load_ok = true, store_ok = true, faulted = false;
	uint8_t got[3] = { 0 };

	if (plat.uart_shift) {
		for (unsigned int i = 0; i < 3; i++)
			check(payload_plan[payload_plan_len - 3 + i], false,
			      "reg-shift %u: not the virt UART",
			      plat.uart_shift);
		return;
	}
	uart_write(UART_LCR, lcr | UART_LCR_DLAB);
	old = uart_read(UART_RBR);
	uart_write(UART_RBR, 0x5a);
	for (size_t i = 0; i < ARRAY_SIZE(widths); i++) {
		faulted |= mmio_try_load(dll, widths[i], &wide[i]).taken;
		load_ok &= wide[i] == 0x5a;
	}
	for (size_t i = 0; i < ARRAY_SIZE(widths); i++) {
		faulted |= mmio_try_store(dll, widths[i],
					  0x1122334455667700ULL | (0x81 + i))
				   .taken;
		got[i] = uart_read(UART_RBR);
		store_ok &= got[i] == 0x81 + i;
	}
	uart_write(UART_RBR, 0x88);
	faulted |= mmio_try_load(dll, -1, &lb).taken;
	faulted |= mmio_try_load(dll, 1, &v).taken;
	lbu = v;
	faulted |= mmio_try_load(dll, 4, &v).taken;
	uart_write(UART_RBR, old);
	uart_write(UART_LCR, lcr);
	check("wide-loads", !faulted && load_ok,
	      "DLL 0x5a read as 0x%lx, 0x%lx, 0x%lx (2, 4, 8 bytes)%s",
	      (unsigned long)wide[0], (unsigned long)wide[1],
	      (unsigned long)wide[2], faulted ? ", faulted" : "");
	check("wide-stores", !faulted && store_ok,
	      "2, 4, 8-byte stores left DLL 0x%x 0x%x 0x%x, want 0x81 0x82 0x83",
	      got[0], got[1], got[2]);
	check("load-extension",
	      !faulted && lb == (uint64_t)(int64_t)(int8_t)0x88 &&
		      lbu == 0x88 && v == 0x88,
	      "DLL 0x88: lb 0x%lx lbu 0x%lx lwu 0x%lx", (unsigned long)lb,
	      (unsigned long)lbu, (unsigned long)v);
}

static void sei_hook(unsigned long hartid)
{
	uint32_t id = *plic_claim(ctx);

	(void)hartid;
	claimed = id;
	iir_in_irq = uart_read(UART_IIR);
	uart_write(UART_IER, 0);
	if (id)
		*plic_claim(ctx) = id;
	csr_clear(sie, SIE_SEIE); /* one interrupt is all this test wants */
	WRITE_ONCE(sei_seen, 1);
}

static void irq_cases(void)
{
	*plic_priority(plat.uart_irq) = 1;
	plic_disable_all(ctx);
	plic_enable(ctx, plat.uart_irq, true);
	*plic_threshold(ctx) = 0;
	irq_hooks[IRQ_S_EXT] = sei_hook;
	irq_enable(SIE_SEIE);
	uart_write(UART_IER, UART_IER_ETBEI);
	wait_flag(&sei_seen, WAIT_US);
	irq_disable_all();
	uart_write(UART_IER, 0);
	plic_enable(ctx, plat.uart_irq, false);
	check("plic-irq", sei_seen, "no external interrupt with IER.ETBEI");
	check("plic-claim", sei_seen && claimed == plat.uart_irq,
	      "claimed %lu, want the UART's %u", claimed, plat.uart_irq);
	check("iir-thre", sei_seen && (iir_in_irq & 0x0f) == UART_IIR_THRE,
	      "IIR 0x%lx in the handler, want 0x_2", iir_in_irq);
	check("iir-none-after", (uart_read(UART_IIR) & 0x0f) == UART_IIR_NONE,
	      "IIR 0x%x with IER = 0", uart_read(UART_IIR));
}

void test_main(void)
{
	bool ok;

	ctx = plic_s_context(this_hart());
	ok = check("fdt-devices", plat.uart_base && plat.plic_base && ctx >= 0,
		   "UART 0x%lx, PLIC 0x%lx, S context %d",
		   (unsigned long)plat.uart_base, (unsigned long)plat.plic_base,
		   ctx);
	if (!ok) {
		for (unsigned long i = 1; i < payload_plan_len; i++)
			check(payload_plan[i], false, "no UART or PLIC");
		return;
	}
	gprintf("mmio-uart: UART 0x%lx irq %u, PLIC 0x%lx context %d\n",
		(unsigned long)plat.uart_base, plat.uart_irq,
		(unsigned long)plat.plic_base, ctx);
	check("lsr-thre", uart_read(UART_LSR) & UART_LSR_THRE, "LSR 0x%x",
	      uart_read(UART_LSR));
	thr_case();
	dlab_cases();
	uart_write(UART_IER, 0);
	check("iir-none", (uart_read(UART_IIR) & 0x0f) == UART_IIR_NONE,
	      "IIR 0x%x with IER = 0", uart_read(UART_IIR));
	irq_cases();
	width_cases();
}
