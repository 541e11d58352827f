#!/usr/bin/env bash
# nested-mmu.sh  Bench L0's nested MMU with Debian's KVM in L1 hosting L2, and
# record (each part on its own; a part that fails records nothing, says why,
# and makes the bench fail once the other parts have run):
#   l0_traps_per_l2_sbi_call[_<cause>]  sbi-loop.sh
#   l2-pairs.sh's keys for the reference case l2-1cpu (ref) and L0 with
#   configs/nested.dts (nested), BENCH_RUNS (3) interleaved rounds:
#     l2_boot_s_ref, l2_boot_s_nested            L1 starts L2's VMM -> L2's
#                                                first marker, host seconds
#     l2_boot_ratio_nested_over_ref              (target: at most 1.8)
#     l2_prestart_s_ratio_nested_over_ref        L1 starts L2's VMM -> L2's
#                                                clock (target: at most 1.5)
#     l2_boot_l0_traps_nested, l0_traps_per_nested_switch_nested, ...
#   ref_l1_init_s, ref_l2_marker_s, ref_total_s  reference.sh, from the
#                                  first round's reference run
#   l2_boot_s_nested_sv39x4        l2-boot.sh, the same with L1 offered
#                                  Sv39x4 only (nested-hgatp = "sv39x4"),
#                                  one run (a time, no ratio)
#   shadow_faults_huge, shadow_faults_small, l0_insns_per_shadow_fault,
#   host_hfences_per_nested_switch shadow-faults.sh (-icount; targets: at
#                                  most 1500 instructions, 0 HFENCEs)
# Each ratio is the median of the rounds' ratios, with _min and _max beside
# it: two host cores shared with other work make single runs swing 2x.
# L1 is the 6.12 kernel; NESTED_L1_KERNEL, NESTED_L1_INITRD (Linux L2),
# NESTED_L1_SBILOOP (SBI-loop L2) and NESTED_CONFIG override its parts (the
# reference stays the l2-1cpu case).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
BENCH=$TOP/tests/bench
kernel=${NESTED_L1_KERNEL:-$IMG/Image-6.12}
initrd=${NESTED_L1_INITRD:-$IMG/l1.cpio.gz}
sbiloop=${NESTED_L1_SBILOOP:-$OUT/l1-sbiloop.cpio.gz}
config=${NESTED_CONFIG:-$TOP/configs/nested.dts}
BENCH_NAME=nested-mmu


# The same VM offered Sv39x4 only as its hgatp mode.
sv39x4=$OUT/nested-sv39x4.dts
sed -E 's/^(\t*)nested;/&\n\1nested-hgatp = "sv39x4";/' "$config" >"$sv39x4"
grep -q 'nested-hgatp = "sv39x4";' "$sv39x4" || fail "no 'nested;' line in $config"

record unset ref_l2_marker_s_best
part "SBI loop" "$BENCH/sbi-loop.sh" l0_traps_per_l2_sbi_call \
	"$kernel" "$sbiloop" "$config"
part "L2 boot against the reference" "$BENCH/l2-pairs.sh" ref l2-1cpu \
	"$kernel" "$initrd" nested "$config"
# reference.sh's keys (ref_l1_init_s, ...), from the first round's reference.
part "the reference's keys" env REF_LOG="$LOGS/bench-l2-ref-1/reference-l2-1cpu.log" \
	"$BENCH/reference.sh"
part "L2 boot, Sv39x4" env BENCH_RUNS=1 "$BENCH/l2-boot.sh" \
	l2_boot_s_nested_sv39x4 "$kernel" "$initrd" "$sv39x4" Sv39x4
part "shadow faults (-icount)" "$BENCH/shadow-faults.sh" "$kernel" "$initrd" "$config"
fail_parts
