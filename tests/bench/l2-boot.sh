#!/usr/bin/env bash
# l2-boot.sh KEY L1_KERNEL L1_INITRD CONFIG [GSTAGE]  L2's boot time under L0:
# L0 (CONFIG) runs L1_KERNEL with L1_INITRD, an L1 image that runs L2's
# Linux, and this records
#   KEY  host seconds from L1 starting L2's VMM to L2's first marker, taken
#        as the reference's ref_l2_marker_s is (tests/bench/reference.sh),
#        best of BENCH_RUNS (2) runs
# GSTAGE (e.g. Sv39x4): the G-stage mode that L1's KVM must report choosing,
# or the run records nothing (CONFIG's nested-hgatp did not take).
# Any failure records nothing and says why.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 4 ] || [ $# -eq 5 ] ||
	fail "usage: l2-boot.sh KEY L1_KERNEL L1_INITRD CONFIG [GSTAGE]"
key=$1 kernel=$2 initrd=$3 config=$4 want=${5:-}
RUNS=${BENCH_RUNS:-2}
record unset "$key"

# A run whose L1 picks another mode is of no use: end it there.
L0_BOOT_UNTIL=
if [ -n "$want" ]; then
	others=$(printf '%s\n' Sv39x4 Sv48x4 Sv57x4 | grep -vx "$want" | paste -sd'|')
	L0_BOOT_UNTIL="kvm.*: using ($others) G-stage page table format"
fi

# boot_once LOG: one run; prints its L2 boot time.
boot_once() {
	local log=$1 mode
	l0_boot "$log" "$config" "$kernel" "$initrd"
	# 6.12 says "using Sv48x4 G-stage page table format", 7.2 "highest
	# G-stage page table mode is Sv48x4".
	mode=$(sed -nE 's/.*kvm.*: (using|highest G-stage page table mode is) (Sv[0-9]+x4)( G-stage page table format)?.*/\2/p' \
		"$log" | head -n 1)
	[ -z "$want" ] || [ "$mode" = "$want" ] ||
		fail "L1's KVM chose ${mode:-no} G-stage mode, not $want (does L0 honour $config's nested-hgatp?); see $log"
	l2_exited "$log"
	echo "l2-boot: $key: L1's KVM uses ${mode:-an unreported} G-stage mode" >&2
	interval "$log" '\[[^]]*\] L1: starting L2' '\[[^]]*\] L2: start '
}

best=
for ((i = 1; i <= RUNS; i++)); do
	t=$(boot_once "$LOGS/bench-$key-$i.log")
	echo "l2-boot: $key: run $i: $t s"
	best=$(min "$t" "${best:-$t}")
done
record set "$key" "$best"
