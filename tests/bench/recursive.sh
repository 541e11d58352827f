#!/usr/bin/env bash
# recursive.sh  Bench L0 as its own guest (docs/design.md, "Recursion"):
# linux-2vcpu's archive (configs/linux.dts) run by an inner L0 that is the
# nested-enabled guest of L0 (configs/recursive-linux.dts), against the same
# archive run by that L0 alone on QEMU's own H extension: interleaved pairs,
# BENCH_RUNS (default 3) of each; the time is the inner L0's banner -> its
# guest's first marker, so that the outer L0's own boot is left out.
#   l2_boot_s_recursive                  median time under two L0s
#   l2_boot_s_recursive_ref              median time under one L0
#   l2_boot_ratio_recursive_over_ref     median of the pairs' ratios
#   l2_boot_ratio_recursive_over_ref_min / _max   their spread
#   recursive_shadow_faults_huge/_small  the outer L0's shadow fills
#   recursive_l0_traps_per_inner_trap    outer L0 traps per trap the inner
#                                        L0 took from its guest
set -euo pipefail
. "$(dirname "$0")/lib.sh"
MARKER='\[linux0\] L2: start cpus=2'
inner=$OUT/recursive-inner.cpio outer=$OUT/recursive.cpio

"$TOP/tests/vm/mkinitrd.sh" "$inner" "$TOP/configs/linux.dts" \
	"Image=$IMG/Image-6.12" "rootfs.cpio.gz=$IMG/l2.cpio.gz"
"$TOP/tests/vm/mkinitrd.sh" "$outer" "$TOP/configs/recursive-linux.dts" \
	"l0.bin=$L0_BIN" "inner.cpio=$inner"

# run LOG INITRD: L0 on 2 harts with INITRD until it powers off.
run() {
	python3 "$TOP/tests/lib/console.py" "$1" timeout --kill-after=10 \
		"$TIMEOUT" "$TOP/tests/boot/qemu.sh" --smp 2 --mem 2G \
		--initrd "$2" --append l0.poweroff "$L0_BIN" >/dev/null ||
		fail "QEMU failed or timed out; see $1"
}

rec=() ref=() ratio=()
# shellcheck disable=SC2317  # called by interleave
round() {
	local a b
	run "$LOGS/bench-recursive-ref-$1.log" "$inner"
	run "$LOGS/bench-recursive-$1.log" "$outer"
	a=$(interval "$LOGS/bench-recursive-ref-$1.log" 'L0 hypervisor ' "$MARKER")
	b=$(interval "$LOGS/bench-recursive-$1.log" '\[l0\] L0 hypervisor ' "\[l0\] $MARKER")
	ref+=("$a") rec+=("$b") ratio+=("$(divide "$b" "$a")")
}
interleave round

log=$LOGS/bench-recursive-$RUNS.log
outer_traps=$(l0_vm_line "$log" 'traps total' 'traps total ([0-9]+), .*' '\1')
inner_traps=$(sed -nE 's/^ *[0-9.]+ \| \[l0\] L0: VM linux0: traps total ([0-9]+),.*/\1/p' "$log")
[ -n "$inner_traps" ] || fail "the inner L0 printed no trap counts in $log"
faults=$(l0_vm_line "$log" 'shadow faults: ...' 'shadow faults: huge ([0-9]+), small ([0-9]+),.*' '\1 \2')
spread l2_boot_ratio_recursive_over_ref "${ratio[@]}"
record set l2_boot_s_recursive "$(median "${rec[@]}")" \
	l2_boot_s_recursive_ref "$(median "${ref[@]}")" \
	recursive_shadow_faults_huge "${faults% *}" \
	recursive_shadow_faults_small "${faults#* }" \
	recursive_l0_traps_per_inner_trap "$(divide "$outer_traps" "$inner_traps")"
