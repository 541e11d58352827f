# SPDX-License-Identifier: MIT
# gdb commands for L0 (docs/debugging.md). Load them with L0's symbols:
#   gdb-multiarch -x tests/gdb/l0.gdb build/l0.elf -ex 'target remote :1234'
# The cause and register names are read from L0's own tables (trap.c), so
# they say what L0's trap dump says.
#
#   l0-frame [TF]  a struct trap_frame: the trap cause, the trap CSRs and the
#                  32 registers. Without TF: the frame of the guest the
#                  current hart runs (the top of its stack, struct hart in tp).
#   l0-vcpu        which VM and vCPU the current hart runs, then l0-frame.

define l0-frame
	if $argc == 1
		set $l0_tf = (struct trap_frame *)($arg0)
	else
		set $l0_hart = (struct hart *)$tp
		set $l0_tf = (struct trap_frame *)($l0_hart->stack_top - sizeof(struct trap_frame))
	end
	set $l0_cause = $l0_tf->scause
	set $l0_code = $l0_cause & ~(1UL << 63)
	if $l0_cause >> 63
		set $l0_names = 'trap.c'::interrupt_names
		set $l0_n = sizeof('trap.c'::interrupt_names) / sizeof(char *)
		set $l0_kind = "interrupt"
	else
		set $l0_names = 'trap.c'::exception_names
		set $l0_n = sizeof('trap.c'::exception_names) / sizeof(char *)
		set $l0_kind = "exception"
	end
	if $l0_code < $l0_n && $l0_names[$l0_code] != 0
		printf "trap frame %p: %s %lu: %s (scause 0x%lx)\n", $l0_tf, $l0_kind, $l0_code, $l0_names[$l0_code], $l0_cause
	else
		printf "trap frame %p: %s %lu: reserved or custom cause (scause 0x%lx)\n", $l0_tf, $l0_kind, $l0_code, $l0_cause
	end
	printf " sepc    %016lx stval   %016lx sstatus %016lx\n", $l0_tf->sepc, $l0_tf->stval, $l0_tf->sstatus
	printf " hstatus %016lx htval   %016lx htinst  %016lx\n", $l0_tf->hstatus, $l0_tf->htval, $l0_tf->htinst
	# hstatus.SPV (bit 7): the trap came from a guest (V=1).
	if ($l0_tf->hstatus >> 7) & 1
		printf " from a guest (hstatus.SPV = 1): the registers are the guest's\n"
	else
		printf " from L0 itself (hstatus.SPV = 0)\n"
	end
	set $l0_i = 0
	while $l0_i < 32
		printf " %-4s %016lx %-4s %016lx %-4s %016lx %-4s %016lx\n", 'trap.c'::reg_names[$l0_i], $l0_i ? $l0_tf->regs[$l0_i] : 0, 'trap.c'::reg_names[$l0_i + 1], $l0_tf->regs[$l0_i + 1], 'trap.c'::reg_names[$l0_i + 2], $l0_tf->regs[$l0_i + 2], 'trap.c'::reg_names[$l0_i + 3], $l0_tf->regs[$l0_i + 3]
		set $l0_i = $l0_i + 4
	end
end
document l0-frame
Print an L0 trap frame: cause, trap CSRs, the 32 registers.
Usage: l0-frame [TF]. Without TF, the frame of the guest this hart runs
(in vcpu_handle_trap, TF is its argument tf).
end

define l0-vcpu
	set $l0_hart = (struct hart *)$tp
	set $l0_v = $l0_hart->current
	if $l0_v == 0
		printf "hart %lu (index %u) runs no vCPU\n", $l0_hart->hartid, $l0_hart->index
	else
		printf "hart %lu (index %u) runs VM %s vCPU %u\n", $l0_hart->hartid, $l0_hart->index, $l0_v->vm->cfg->name, $l0_v->id
		l0-frame
	end
end
document l0-vcpu
Which VM and vCPU the current hart runs, and that guest's trap frame.
end
