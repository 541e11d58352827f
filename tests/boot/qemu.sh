#!/usr/bin/env bash
# qemu.sh [--interactive] [--fw fw_dynamic|fw_jump] [--smp N] [--mem SIZE]
#         [--cpu CPU] [--machine MACHINE] [--dtb FILE] [--initrd FILE]
#         [--append ARGS] [--icount] [--icount-shift N|auto]
#         [--disk FILE] [--net] [--load-at ADDR --jump JUMP_BIN]
#         [--gdb PORT] [--trace-tlb FILE] L0_BIN
# Boot L0 on QEMU's riscv64 virt machine under OpenSBI. Without
# --interactive, QEMU's monitor is off and standard input goes straight to
# the UART (tests type into it through tests/lib/console.py --send).
# --disk adds a virtio-blk device holding FILE (raw), --net a virtio-net
# device on QEMU's user network, both on fixed virtio-mmio transports so
# that a guest config can name them (docs/guests.md): the disk on
# /soc/virtio_mmio@10008000 (PLIC source 8), the network on
# /soc/virtio_mmio@10007000 (PLIC source 7).
# --load-at: QEMU's loader puts L0 at ADDR and -kernel is JUMP_BIN, which
# jumps there (build/boot/jump-ADDR.bin from tests/boot/jump.S).
# --gdb: QEMU's gdb stub listens on TCP PORT and the harts wait, halted at
# reset, for gdb's 'continue' (docs/debugging.md).
# --trace-tlb: QEMU logs each TLB fill to FILE (-d mmu), for
# tests/bench/tlb-fills.py.
set -euo pipefail
fw=fw_dynamic smp=2 mem=1G cpu=rv64 machine=virt dtb= initrd= append= interactive= icount=
icount_shift=0 devices=() load_at= jump= gdb= trace_tlb=
while [ $# -gt 1 ]; do
	case $1 in
	--interactive) interactive=1; shift; continue ;;
	--net) devices+=(-netdev user,id=net0 -device virtio-net-device,netdev=net0,bus=virtio-mmio-bus.6)
		shift; continue ;;
	--disk) devices+=(-drive "file=$2,format=raw,if=none,id=hd0"
		-device virtio-blk-device,drive=hd0,bus=virtio-mmio-bus.7) ;;
	# Count instructions exactly (instret), single-threaded: for benches.
	--icount) icount=1; shift; continue ;;
	# The same with another shift: 'auto' keeps guest time near the host's,
	# which a Linux that gathers entropy from timer jitter needs (instret
	# counts exactly whatever the shift).
	--icount-shift) icount=1 icount_shift=$2 ;;
	--fw) fw=$2 ;;
	--smp) smp=$2 ;;
	--mem) mem=$2 ;;
	--cpu) cpu=$2 ;;
	--machine) machine=$2 ;;
	--dtb) dtb=$2 ;;
	--initrd) initrd=$2 ;;
	--append) append=$2 ;;
	--load-at) load_at=$2 ;;
	--jump) jump=$2 ;;
	--gdb) gdb=$2 ;;
	--trace-tlb) trace_tlb=$2 ;;
	*) echo "qemu.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift 2
done
[ $# -eq 1 ] || { echo "usage: qemu.sh [options] L0_BIN" >&2; exit 2; }
args=(-M "$machine" -cpu "$cpu" -smp "$smp" -m "$mem" -nographic
	-bios "${OPENSBI_DIR:-/usr/lib/riscv64-linux-gnu/opensbi/generic}/$fw.bin"
	-kernel "${jump:-$1}")
[ -z "$load_at" ] || args+=(-device "loader,file=$1,addr=$load_at,force-raw=on")
[ -z "$dtb" ] || args+=(-dtb "$dtb")
[ -z "$initrd" ] || args+=(-initrd "$initrd")
[ -z "$icount" ] || args+=(-icount "shift=$icount_shift")
[ -z "$append" ] || args+=(-append "$append")
args+=("${devices[@]}")
[ -z "$gdb" ] || args+=(-gdb "tcp::$gdb" -S)
[ -z "$trace_tlb" ] || args+=(-d mmu -D "$trace_tlb")
[ -n "$interactive" ] || args+=(-monitor none -serial stdio)
if [ -n "$interactive" ]; then
	echo "qemu.sh: booting L0; leave QEMU with Ctrl-A X"
	exec "${QEMU:-qemu-system-riscv64}" "${args[@]}"
fi
exec "${QEMU:-qemu-system-riscv64}" "${args[@]}"
