#!/usr/bin/env bash
# l2-pairs.sh REF REF_CASE L1_KERNEL L1_INITRD SIDE CONFIG [SIDE CONFIG...]
# L2's boot on the reference (tests/reference/run.sh REF_CASE: QEMU's own H
# extension, the same L1 kernel and image) and under L0 with each CONFIG,
# interleaved: reference, each SIDE, reference, each SIDE, ... BENCH_RUNS
# (3) rounds. Records, for the reference (key part REF) and each SIDE:
#   l2_boot_s_<S>                      L1 starts L2's VMM -> L2's first
#                                      marker, host seconds
#   l2_prestart_s_<S>                  L1 starts L2's VMM -> L2's clock
#                                      starts (its uptime at its second
#                                      marker tells when)
# and for each SIDE:
#   l2_boot_ratio_<S>_over_ref         the rounds' ratios to the reference
#   l2_prestart_s_ratio_<S>_over_ref   the same for the prestart stretch
#   l2_boot_l0_traps_<S>               L0 traps of L2 and of L1 handling
#                                      L2's exits, whole L2 run
#   l0_traps_per_nested_switch_<S>     that per nested switch into L2
# each the median of the rounds, with _min and _max beside it; and from the
# last round, l2_boot_l0_traps_<S>_<level>_<cause> (level l2, l1_for_l2,
# l1_own: L1's work for no exit of L2's; docs/bench.md).
# Each round's L0 times go to build/bench/l2-pairs-<S>.times (nacl.sh
# divides one side by another). Any failure records nothing and says why.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
if [ $# -lt 6 ] || [ $((($# - 4) % 2)) -ne 0 ]; then
	fail "usage: l2-pairs.sh REF REF_CASE L1_KERNEL L1_INITRD SIDE CONFIG [SIDE CONFIG...]"
fi
ref=$1 ref_case=$2 kernel=$3 initrd=$4
shift 4
sides=() configs=()
while [ $# -gt 0 ]; do
	sides+=("$1") configs+=("$2")
	shift 2
done

keys=("l2_boot_s_$ref" "l2_prestart_s_$ref")
for s in "${sides[@]}"; do
	keys+=("l2_boot_s_$s" "l2_prestart_s_$s" "l2_boot_ratio_${s}_over_ref"
		"l2_prestart_s_ratio_${s}_over_ref" "l2_boot_l0_traps_$s"
		"l0_traps_per_nested_switch_$s")
	# shellcheck disable=SC2207  # key names hold no blanks
	old=($(record keys "l2_boot_l0_traps_${s}_"))
	[ ${#old[@]} -eq 0 ] || record unset "${old[@]}"
	: >"$OUT/l2-pairs-$s.times"
done
unspread "${keys[@]}"

declare -A got
ref_boot=() ref_pre=()
run_ref() {
	local dir=$LOGS/bench-l2-$ref-$1 t p
	L0_LOGS=$dir REF_TIMEOUT=$TIMEOUT "$TOP/tests/reference/run.sh" \
		"$ref_case" >"$dir.out" || fail "reference run $1 failed; see $dir.out"
	t=$(interval "$dir/reference-$ref_case.log" "$L2_LAUNCH" "$L2_MARKER")
	p=$(l2_prestart "$dir/reference-$ref_case.log")
	ref_boot+=("$t") ref_pre+=("$p")
	echo "l2-pairs: $ref run $1: L2 boot ${ref_boot[-1]} s, prestart ${ref_pre[-1]} s"
}
run_sides() {
	local i s t p log levels lv traps
	for i in "${!sides[@]}"; do
		s=${sides[i]} log=$LOGS/bench-l2-${sides[i]}-$1.log
		t=$(l2_boot_l0 "$log" "$kernel" "$initrd" "${configs[i]}")
		p=$(l2_prestart "$log")
		levels=$(nested_levels "$log")
		read -r -a lv <<<"$levels"
		traps=$((lv[1] + lv[2]))
		echo "$t" >>"$OUT/l2-pairs-$s.times"
		got[boot_$s]+=" $t" got[pre_$s]+=" $p" got[traps_$s]+=" $traps"
		got[ratio_$s]+=" $(divide "$t" "${ref_boot[-1]}")"
		got[pre_ratio_$s]+=" $(awk -v a="$p" -v b="${ref_pre[-1]}" 'BEGIN { printf "%.3f", a / b }')"
		got[per_switch_$s]+=" $(divide "$traps" "${lv[0]}")"
		echo "l2-pairs: $s run $1: L2 boot $t s, prestart $p s; L0 traps: L2 ${lv[1]}, L1 for L2 ${lv[2]}, L1 own ${lv[3]}, in ${lv[0]} nested switches"
	done
}
interleave run_ref run_sides

spread "l2_boot_s_$ref" "${ref_boot[@]}"
spread "l2_prestart_s_$ref" "${ref_pre[@]}"
# shellcheck disable=SC2086  # lists of numbers
for s in "${sides[@]}"; do
	spread "l2_boot_s_$s" ${got[boot_$s]}
	spread "l2_prestart_s_$s" ${got[pre_$s]}
	spread "l2_boot_ratio_${s}_over_ref" ${got[ratio_$s]}
	spread "l2_prestart_s_ratio_${s}_over_ref" ${got[pre_ratio_$s]}
	spread "l2_boot_l0_traps_$s" ${got[traps_$s]}
	spread "l0_traps_per_nested_switch_$s" ${got[per_switch_$s]}
	levels=$(nested_levels "$LOGS/bench-l2-$s-$RUNS.log")
	read -r -a lv <<<"$levels"
	causes=$(level_causes "$LOGS/bench-l2-$s-$RUNS.log" "l2_boot_l0_traps_$s")
	# shellcheck disable=SC2086  # key value pairs, no blanks in either
	record set "l2_boot_l0_traps_${s}_l2" "${lv[1]}" \
		"l2_boot_l0_traps_${s}_l1_for_l2" "${lv[2]}" \
		"l2_boot_l0_traps_${s}_l1_own" "${lv[3]}" \
		$causes
	echo "l2-pairs: $s: L2 boot ratio $(record get "l2_boot_ratio_${s}_over_ref")," \
		"prestart ratio $(record get "l2_prestart_s_ratio_${s}_over_ref")," \
		"$(record get "l0_traps_per_nested_switch_$s") L0 traps per nested switch (medians)"
done
