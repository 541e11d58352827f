#!/usr/bin/env bash
# nacl.sh  Bench SBI nested acceleration: Debian's 7.2 L1 kernel, whose KVM
# uses NACL when L0 offers it, under L0 with NACL on (configs/nested.dts) and
# off (configs/nested-nacl-off.dts), side by side, and record:
#   l0_traps_per_l2_sbi_call_nacl[_<cause>]    sbi-loop.sh, NACL on (target:
#                                              at most 3; the floor is 2)
#   l0_insns_per_nacl_sret                     the same run, under -icount:
#                                              L0 instructions per L2 SBI
#                                              call round trip (L2's exit,
#                                              L1's SYNC_SRET; target: at
#                                              most 600)
#   l0_traps_per_l2_sbi_call_nonacl[_<cause>]  the same, NACL off
#   l2-pairs.sh's keys for the reference case l1-k7.2 (ref_k7_2), NACL on
#   (nacl) and off (nonacl), BENCH_RUNS (3) interleaved rounds of the three:
#     l2_boot_s_nacl, l2_boot_s_nonacl, l2_boot_s_ref_k7_2
#     l2_boot_ratio_nacl_over_ref                (target: at most 1.6)
#     l2_boot_l0_traps_nacl, l2_boot_l0_traps_nonacl
#     l0_traps_per_nested_switch_nacl, _nonacl   (target: at most 2.3 with
#                                                NACL; the floor is 2)
#   l2_boot_ratio_nacl_over_nonacl             the median of the rounds'
#                                              ratios, _min, _max (target:
#                                              below 1)
#   l0_insns_per_nested_switch_nacl, l2_boot_l0_insns_nacl,
#   shadow_faults_*_nacl, ...                  shadow-faults.sh, NACL on,
#                                              under -icount
# A part that fails records nothing, says why, and fails the bench once the
# others have run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
BENCH=$TOP/tests/bench
kernel=$IMG/Image-7.2
on=$TOP/configs/nested.dts
off=$TOP/configs/nested-nacl-off.dts
BENCH_NAME=nacl


unspread l2_boot_ratio_nacl_over_nonacl
part "SBI loop, NACL on (-icount)" "$BENCH/sbi-loop.sh" \
	l0_traps_per_l2_sbi_call_nacl "$kernel" "$OUT/l1-sbiloop-k7.2.cpio.gz" \
	"$on" l0_insns_per_nacl_sret
part "SBI loop, NACL off" "$BENCH/sbi-loop.sh" l0_traps_per_l2_sbi_call_nonacl \
	"$kernel" "$OUT/l1-sbiloop-k7.2.cpio.gz" "$off"
part "L2 boot against the reference" "$BENCH/l2-pairs.sh" ref_k7_2 l1-k7.2 \
	"$kernel" "$IMG/l1-k7.2.cpio.gz" nacl "$on" nonacl "$off"
part "L2 boot, NACL on (-icount)" "$BENCH/shadow-faults.sh" \
	"$kernel" "$IMG/l1-k7.2.cpio.gz" "$on" nacl

# The rounds' own ratios: each NACL run over the run without NACL beside it.
a=() b=() ratios=()
[ ! -f "$OUT/l2-pairs-nacl.times" ] || mapfile -t a <"$OUT/l2-pairs-nacl.times"
[ ! -f "$OUT/l2-pairs-nonacl.times" ] || mapfile -t b <"$OUT/l2-pairs-nonacl.times"
for i in "${!a[@]}"; do
	[ -n "${b[i]:-}" ] && ratios+=("$(divide "${a[i]}" "${b[i]}")")
done
if record get l2_boot_s_nonacl >/dev/null 2>&1 && [ ${#ratios[@]} -gt 0 ] &&
	[ ${#ratios[@]} -eq ${#a[@]} ]; then
	spread l2_boot_ratio_nacl_over_nonacl "${ratios[@]}"
	echo "nacl: L2 boot with NACL over without, each round: ${ratios[*]}"
fi
fail_parts
