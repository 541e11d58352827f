#!/usr/bin/env bash
# nested-mmu.sh  Bench L0's nested MMU with Debian's KVM in L1 hosting L2, and
# record (each part on its own; a part that fails records nothing, says why,
# and makes the bench fail once the other parts have run):
#   l2_boot_s_nested               L1 starts L2's VMM -> L2's first marker,
#                                  under L0 (configs/nested.dts), host seconds
#   l2_boot_ratio_nested_over_ref  that over ref_l2_marker_s, which
#                                  reference.sh recorded earlier in the same
#                                  'make bench' (target: at most 2.0)
#   l2_boot_s_nested_sv39x4        the same with L1 offered Sv39x4 only
#                                  (nested-hgatp = "sv39x4")
#   l0_traps_per_l2_sbi_call[_<cause>]  sbi-loop.sh
#   shadow_faults_huge, shadow_faults_small, l0_insns_per_shadow_fault
#                                  shadow-faults.sh (-icount; target for the
#                                  instructions: at most 1500)
# L1 is the 6.12 kernel; NESTED_L1_KERNEL, NESTED_L1_INITRD (Linux L2),
# NESTED_L1_SBILOOP (SBI-loop L2) and NESTED_CONFIG override its parts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
BENCH=$TOP/tests/bench
kernel=${NESTED_L1_KERNEL:-$IMG/Image-6.12}
initrd=${NESTED_L1_INITRD:-$IMG/l1.cpio.gz}
sbiloop=${NESTED_L1_SBILOOP:-$OUT/l1-sbiloop.cpio.gz}
config=${NESTED_CONFIG:-$TOP/configs/nested.dts}
failed=()

# part WHAT SCRIPT ARG...: a script of its own, so that its set -e holds.
part() {
	local what=$1
	shift
	echo "nested-mmu: $what"
	"$@" || failed+=("$what")
}

# The same VM offered Sv39x4 only as its hgatp mode.
sv39x4=$OUT/nested-sv39x4.dts
sed -E 's/^(\t*)nested;/&\n\1nested-hgatp = "sv39x4";/' "$config" >"$sv39x4"
grep -q 'nested-hgatp = "sv39x4";' "$sv39x4" || fail "no 'nested;' line in $config"

record unset l2_boot_ratio_nested_over_ref
part "SBI loop" "$BENCH/sbi-loop.sh" l0_traps_per_l2_sbi_call \
	"$kernel" "$sbiloop" "$config"
part "L2 boot" "$BENCH/l2-boot.sh" l2_boot_s_nested "$kernel" "$initrd" "$config"
part "L2 boot, Sv39x4" "$BENCH/l2-boot.sh" l2_boot_s_nested_sv39x4 \
	"$kernel" "$initrd" "$sv39x4" Sv39x4
part "shadow faults (-icount)" "$BENCH/shadow-faults.sh" "$kernel" "$initrd" "$config"

if nested=$(record get l2_boot_s_nested 2>/dev/null); then
	if ref=$(record get ref_l2_marker_s 2>/dev/null); then
		ratio=$(awk -v a="$nested" -v b="$ref" 'BEGIN { printf "%.2f", a / b }')
		echo "nested-mmu: L2 boot ${nested} s under L0, ${ref} s on the reference: ratio $ratio"
		record set l2_boot_ratio_nested_over_ref "$ratio"
	else
		echo "bench: no ref_l2_marker_s: run tests/bench/reference.sh first (make bench does)" >&2
		failed+=("L2 boot ratio")
	fi
fi
[ ${#failed[@]} -eq 0 ] || fail "nested-mmu: failed: $(IFS=,; echo "${failed[*]}")"
