#!/usr/bin/env bash
# l2-boot.sh KEY L1_KERNEL L1_INITRD CONFIG [GSTAGE]  L2's boot time under L0
# alone (no reference beside it: l2-pairs.sh makes the ratios): L0 (CONFIG)
# runs L1_KERNEL with L1_INITRD, an L1 image that runs L2's Linux, and this
# records
#   KEY  host seconds from L1 starting L2's VMM to L2's first marker, the
#        median of BENCH_RUNS (3) runs, with KEY_min and KEY_max
# GSTAGE (e.g. Sv39x4): the G-stage mode that L1's KVM must report choosing,
# or the run records nothing (CONFIG's nested-hgatp did not take).
# Any failure records nothing and says why.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 4 ] || [ $# -eq 5 ] ||
	fail "usage: l2-boot.sh KEY L1_KERNEL L1_INITRD CONFIG [GSTAGE]"
key=$1
shift
unspread "$key"

args=("$@") times=()
# shellcheck disable=SC2317  # called by interleave
boot_once() {
	local t
	t=$(l2_boot_l0 "$LOGS/bench-$key-$1.log" "${args[@]}")
	times+=("$t")
	echo "l2-boot: $key: run $1: ${times[-1]} s"
}
interleave boot_once
spread "$key" "${times[@]}"
