#!/usr/bin/env bash
# nested-mmu.sh  Bench L0's nested MMU with Debian's KVM in L1 hosting L2, and
# record (each part on its own; a part that fails records nothing, says why,
# and makes the bench fail once the other parts have run):
#   l0_traps_per_l2_sbi_call[_<cause>]  sbi-loop.sh
#   ref_l2_marker_s_best           ref_l2_marker_s, the better of
#                                  reference.sh's run at the start of 'make
#                                  bench' and one more run made here, just
#                                  before the L0 runs of L2's boot
#   l2_boot_s_nested               L1 starts L2's VMM -> L2's first marker,
#                                  under L0 (configs/nested.dts), host
#                                  seconds, best of BENCH_RUNS (2)
#   l2_boot_ratio_nested_over_ref  that over ref_l2_marker_s_best (target:
#                                  at most 2.0)
#   l2_boot_s_nested_sv39x4        the same with L1 offered Sv39x4 only
#                                  (nested-hgatp = "sv39x4")
#   shadow_faults_huge, shadow_faults_small, l0_insns_per_shadow_fault,
#   host_hfences_per_nested_switch shadow-faults.sh (-icount; targets: at
#                                  most 1500 instructions, 0 HFENCEs)
# Two host cores shared with other work make single runs swing 2x; the best
# of runs made close together is the steadier figure.
# L1 is the 6.12 kernel; NESTED_L1_KERNEL, NESTED_L1_INITRD (Linux L2),
# NESTED_L1_SBILOOP (SBI-loop L2) and NESTED_CONFIG override its parts.
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

record unset ref_l2_marker_s_best l2_boot_ratio_nested_over_ref
part "SBI loop" "$BENCH/sbi-loop.sh" l0_traps_per_l2_sbi_call \
	"$kernel" "$sbiloop" "$config"

# The reference's L2 boot once more, measured as reference.sh measures it.
echo "nested-mmu: the reference once more"
ref=$(record get ref_l2_marker_s 2>/dev/null) ||
	fail "no ref_l2_marker_s: run tests/bench/reference.sh first (make bench does)"
ref_log=$LOGS/nested-mmu-ref/reference-l2-1cpu.log
if L0_LOGS=${ref_log%/*} "$TOP/tests/reference/run.sh" l2-1cpu >/dev/null; then
	again=$(interval "$ref_log" 'L1: starting L2' 'L2: start ')
	echo "nested-mmu: reference L2 boot $ref s, then $again s"
	record set ref_l2_marker_s_best "$(min "$ref" "$again")"
else
	failed+=("the reference once more (see $ref_log)")
fi

part "L2 boot" "$BENCH/l2-boot.sh" l2_boot_s_nested "$kernel" "$initrd" "$config"
part "L2 boot, Sv39x4" "$BENCH/l2-boot.sh" l2_boot_s_nested_sv39x4 \
	"$kernel" "$initrd" "$sv39x4" Sv39x4
part "shadow faults (-icount)" "$BENCH/shadow-faults.sh" "$kernel" "$initrd" "$config"

if nested=$(record get l2_boot_s_nested 2>/dev/null) &&
	ref=$(record get ref_l2_marker_s_best 2>/dev/null); then
	ratio=$(divide "$nested" "$ref")
	echo "nested-mmu: L2 boot $nested s under L0, $ref s on the reference: ratio $ratio"
	record set l2_boot_ratio_nested_over_ref "$ratio"
fi
fail_parts
