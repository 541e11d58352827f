#!/usr/bin/env bash
# nested.sh  Bench L0's H-extension emulation and record:
#   l1_boot_traps_nested_on   L0 trap entries of the L1 image (Debian 6.12,
#                             KVM loaded) booting to its shell and powering
#                             off, as a nested-enabled guest
#   l1_boot_traps_nested_off  the same image with nesting off (KVM finds no
#                             H extension; the rest of the boot is the same)
#   l0_insns_per_csr_trap     L0 instructions retired per emulated CSR access
#                             of the nested regression payload h-csr, from
#                             the trap vector's first instruction to its
#                             sret (QEMU -icount: instret counts exactly;
#                             target at most 300), its one vCPU alone on
#                             its host hart, the usual layout
#   l0_insns_per_csr_trap_shared_hart  the same with the payload's two vCPUs
#                             on one host hart: each trap also checks the
#                             time slice and the other vCPU's timer
#   l0_tlb_fills_per_csr_trap the pages L0 touches in each of those CSR
#                             accesses (one vCPU): QEMU empties its TLB on
#                             every change of V, so each is a page walk
#                             (tests/bench/tlb-fills.py)
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
LOGS=${L0_LOGS:-$TOP/build/logs}
IMG=${L0_IMAGES:-$TOP/.cache/images}
OUT=$TOP/build/bench
L0_BIN=$TOP/build/l0.bin
record() { python3 "$TOP/tests/bench/record.py" "$@"; }
mkdir -p "$OUT" "$LOGS"

# traps_total LOG: what L0 printed when the VM stopped.
traps_total() {
	local n
	n=$(sed -nE 's/.*L0: VM [^:]+: traps total ([0-9]+),.*/\1/p' "$1")
	[ -n "$n" ] || { echo "bench: no trap counts in $1" >&2; exit 1; }
	echo "$n"
}

# l1_boot CONFIG LOG: the L1 shell image, powered off at its first prompt.
l1_boot() {
	"$TOP/tests/vm/mkinitrd.sh" "$OUT/l1-boot.cpio" "$1" \
		"Image=$IMG/Image-6.12" "rootfs.cpio.gz=$IMG/l1-shell.cpio.gz"
	python3 "$TOP/tests/lib/console.py" --send 'L1: (shell;|FAIL)' 'poweroff -f\n' \
		"$2" timeout 300 "$TOP/tests/boot/qemu.sh" --smp 2 --mem 3G \
		--initrd "$OUT/l1-boot.cpio" --append l0.poweroff "$L0_BIN" >/dev/null
}

sed '/^\t*nested;/d' "$TOP/configs/nested.dts" >"$OUT/nested-off.dts"
l1_boot "$TOP/configs/nested.dts" "$LOGS/bench-nested-on.log"
l1_boot "$OUT/nested-off.dts" "$LOGS/bench-nested-off.log"
on=$(traps_total "$LOGS/bench-nested-on.log")
off=$(traps_total "$LOGS/bench-nested-off.log")

# csr_insns VCPUS NAME [QEMU_OPTION...]: L0 instructions per CSR access of
# h-csr with VCPUS vCPUs on one host hart, as every -icount count
# (docs/bench.md): QEMU's one count for all harts would take in what another
# hart ran.
csr_insns() {
	local dts=$OUT/h-csr-$2.dts log=$LOGS/bench-csr-icount-$2.log each
	sed "s/vcpus = <2>/vcpus = <$1>/" "$TOP/configs/nested-payload.dts" >"$dts"
	grep -q "vcpus = <$1>" "$dts" ||
		{ echo "bench: no 'vcpus = <2>' in configs/nested-payload.dts" >&2; exit 1; }
	"$TOP/tests/vm/mkinitrd.sh" "$OUT/h-csr-$2.cpio" "$dts" \
		"payload.bin=$TOP/build/nested/h-csr.bin"
	python3 "$TOP/tests/lib/console.py" "$log" timeout 300 \
		"$TOP/tests/boot/qemu.sh" --icount --smp 1 --mem 512M "${@:3}" \
		--initrd "$OUT/h-csr-$2.cpio" --append l0.poweroff "$L0_BIN" >/dev/null
	each=$(sed -nE 's/.*virtual-instruction traps [0-9]+, L0 instructions [0-9]+ \(([0-9]+) each\).*/\1/p' "$log")
	[ -n "$each" ] || { echo "bench: no instruction count in $log" >&2; exit 1; }
	echo "$each"
}
# The usual layout, a vCPU alone on its hart; and two sharing one hart,
# where each trap also checks whether the vCPU's time slice ended.
each=$(csr_insns 1 own)
shared=$(csr_insns 2 shared)
# And the pages L0 touches in each (the same count: -icount, as above).
csr_insns 1 tlb --trace-tlb "$LOGS/bench-csr-tlb.log" >/dev/null
fills=$(python3 "$TOP/tests/bench/tlb-fills.py" "$LOGS/bench-csr-tlb.log" \
	"$TOP/build/l0.elf")

record set l1_boot_traps_nested_on "$on" l1_boot_traps_nested_off "$off" \
	l0_insns_per_csr_trap "$each" l0_insns_per_csr_trap_shared_hart "$shared" \
	l0_tlb_fills_per_csr_trap "$fills"
