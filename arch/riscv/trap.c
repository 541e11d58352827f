// SPDX-License-Identifier: MIT
/* HS-mode trap dispatch and the names of every trap cause. */
#include <arch/csr.h>
#include <arch/sbi.h>
#include <arch/trap.h>
#include <l0/hart.h>
#include <l0/printf.h>
#include <l0/sched.h>
#include <l0/vm.h>
#include <l0/hot.h>

/* Privileged spec, table "Supervisor cause register (scause) values". */
static const char *const exception_names[] = {
	[0] = "instruction address misaligned",
	[1] = "instruction access fault",
	[2] = "illegal instruction",
	[3] = "breakpoint",
	[4] = "load address misaligned",
	[5] = "load access fault",
	[6] = "store/AMO address misaligned",
	[7] = "store/AMO access fault",
	[8] = "environment call from U-mode or VU-mode",
	[9] = "environment call from HS-mode",
	[10] = "environment call from VS-mode",
	[11] = "environment call from M-mode",
	[12] = "instruction page fault",
	[13] = "load page fault",
	[15] = "store/AMO page fault",
	[18] = "software check",
	[19] = "hardware error",
	[20] = "instruction guest-page fault",
	[21] = "load guest-page fault",
	[22] = "virtual instruction",
	[23] = "store/AMO guest-page fault",
};

static const char *const interrupt_names[] = {
	[1] = "supervisor software interrupt",
	[2] = "virtual supervisor software interrupt",
	[5] = "supervisor timer interrupt",
	[6] = "virtual supervisor timer interrupt",
	[9] = "supervisor external interrupt",
	[10] = "virtual supervisor external interrupt",
	[12] = "supervisor guest external interrupt",
	[13] = "counter overflow interrupt",
};

#define NR_IRQS ARRAY_SIZE(interrupt_names)

L0_HOT_DATA static irq_handler_t irq_handlers[NR_IRQS];

extern char trap_vector[];

const char *trap_cause_name(unsigned long scause)
{
	unsigned long code = scause & ~SCAUSE_INTERRUPT;
	const char *name = NULL;

	if (scause & SCAUSE_INTERRUPT) {
		if (code < ARRAY_SIZE(interrupt_names))
			name = interrupt_names[code];
	} else if (code < ARRAY_SIZE(exception_names)) {
		name = exception_names[code];
	}
	return name ? name : "reserved or custom cause";
}

void trap_init_hart(void)
{
	csr_write(CSR_SSCRATCH, 0);
	csr_write(CSR_STVEC, (unsigned long)trap_vector);
}

void trap_set_irq_handler(unsigned int irq, irq_handler_t fn)
{
	if (irq < NR_IRQS)
		irq_handlers[irq] = fn;
}

static const char *const reg_names[32] = {
	"zero", "ra", "sp", "gp", "tp",	 "t0",	"t1", "t2", "s0", "s1", "a0",
	"a1",	"a2", "a3", "a4", "a5",	 "a6",	"a7", "s2", "s3", "s4", "s5",
	"s6",	"s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

void trap_dump(const struct trap_frame *tf)
{
	printk("trap: %s (scause 0x%lx)\n", trap_cause_name(tf->scause),
	       tf->scause);
	printk(" sepc    %016lx stval   %016lx sstatus %016lx\n", tf->sepc,
	       tf->stval, tf->sstatus);
	printk(" hstatus %016lx htval   %016lx htinst  %016lx\n", tf->hstatus,
	       tf->htval, tf->htinst);
	for (int i = 0; i < 32; i += 4)
		printk(" %-4s %016lx %-4s %016lx %-4s %016lx %-4s %016lx\n",
		       reg_names[i], i ? tf->regs[i] : 0, reg_names[i + 1],
		       tf->regs[i + 1], reg_names[i + 2], tf->regs[i + 2],
		       reg_names[i + 3], tf->regs[i + 3]);
}

static void __attribute__((noreturn)) stop_this_hart(struct trap_frame *tf)
{
	struct hart *h = this_hart();

	trap_dump(tf);
	printk("L0: hart %llu stopped after an unexpected trap\n",
	       (unsigned long long)(h ? h->hartid : 0));
	local_irq_disable();
	sbi_hart_stop();
	for (;;)
		wait_for_interrupt();
}

/* An exception L0 expected: an access to guest memory (guest_mem.S). */
static bool fixup_expected(struct trap_frame *tf)
{
	struct hart *h = this_hart();

	if (!h || !h->fixup_pc)
		return false;
	h->fixup_cause = tf->scause;
	tf->sepc = h->fixup_pc;
	h->fixup_pc = 0;
	return true;
}

L0_HOT void trap_handle(struct trap_frame *tf)
{
	unsigned long code = tf->scause & ~SCAUSE_INTERRUPT;
	/* From a guest: its vCPU is this hart's current one. */
	struct vcpu *v =
		tf->hstatus & HSTATUS_SPV ? this_hart()->current : NULL;

	if (v)
		vm_count_trap(v, tf->scause);
	if (tf->scause & SCAUSE_INTERRUPT) {
		if (code >= NR_IRQS || !irq_handlers[code])
			stop_this_hart(tf);
		irq_handlers[code]();
	} else if (v) {
		vcpu_handle_trap(v, tf);
	} else if (!fixup_expected(tf)) {
		stop_this_hart(tf);
	}
	if (v)
		sched_after_trap(tf);
}

L0_HOT void trap_account(const struct trap_frame *tf, unsigned long insns)
{
	if (tf->hstatus & HSTATUS_SPV)
		vm_count_insns(this_hart()->current, tf->scause, insns);
}
