#!/usr/bin/env bash
# shadow-faults.sh L1_KERNEL L1_INITRD CONFIG [SIDE]  L0's shadow G-stage and
# L0's instructions per nested switch:
# L0 (CONFIG) runs L1_KERNEL with L1_INITRD, an L1 image that runs L2's
# Linux, under QEMU -icount (instret counts exactly), and this records from
# the line L0 prints when the VM stops:
#   shadow_faults_huge         shadow faults filled with a huge page
#   shadow_faults_small        shadow faults filled with 4 KiB pages
#   l0_insns_per_shadow_fault  L0 instructions retired per shadow fault
#   host_hfences_per_nested_switch  host HFENCEs that L0's nested switches
#                              into and out of L2 issued, per switch into L2
#   host_hfences_nested_switches  the same, their count (2 decimals of the
#                              ratio hide a few in 30000 switches)
#   l0_insns_per_nested_switch_<SIDE>  L0 instructions retired in the traps
#                              of L2 and of L1 handling L2's exits, per
#                              nested switch into L2
#   l2_boot_l0_insns_<SIDE>    those instructions, whole L2 run
#   l1_l0_insns_own_<SIDE>     L0 instructions of L1's own traps
# SIDE (default nested) names the run; with another SIDE, the shadow and
# HFENCE keys end in _<SIDE> too.
# Any failure records nothing and says why.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 3 ] || [ $# -eq 4 ] ||
	fail "usage: shadow-faults.sh L1_KERNEL L1_INITRD CONFIG [SIDE]"
kernel=$1 initrd=$2 config=$3 side=${4:-nested}
sfx=${4:+_$4}
log=$LOGS/bench-shadow-icount$sfx.log
# -icount runs on one host thread: about twice as long.
TIMEOUT=${BENCH_ICOUNT_TIMEOUT:-$((2 * TIMEOUT))}
# shift=auto, not 0: L1's QEMU blocks in getrandom() until L1's CRNG is
# ready, and with shift=0 and no /chosen/rng-seed from L0 (before e2ecc08)
# the timer jitter that L1 gathers entropy from never came: L2 had not
# started after 500 s.
#
# One hart: under -icount QEMU keeps one instruction count for all harts,
# and instret reads it, so with two an L0 trap on one hart also counted
# what the other hart ran meanwhile (an SBI loop's round trip read 6655
# L0 instructions on two harts, 4786 on one). L1's two vCPUs share it.
ICOUNT=(--icount-shift auto --smp 1)
record unset "shadow_faults_huge$sfx" "shadow_faults_small$sfx" \
	"l0_insns_per_shadow_fault$sfx" "host_hfences_per_nested_switch$sfx" \
	"host_hfences_nested_switches$sfx" "l0_insns_per_nested_switch_$side" \
	"l2_boot_l0_insns_$side" "l1_l0_insns_own_$side"

if [ -z "${SHADOW_LOG:-}" ]; then
	l0_boot "$log" "$config" "$kernel" "$initrd" "${ICOUNT[@]}"
	l2_exited "$log"
fi
log=${SHADOW_LOG:-$log} # a log given to check the parsing alone
line=$(l0_vm_line "$log" "shadow faults: huge <H>, small <S>, L0 instructions <I> (<E> each)" \
	'shadow faults: huge ([0-9]+), small ([0-9]+), L0 instructions ([0-9]+) \(([0-9]+) each\)' \
	'\1 \2 \3 \4')
read -r huge small insns each <<<"$line"
[ $((huge + small)) -gt 0 ] || fail "L0 counted no shadow faults; see $log"
switches=$(l0_vm_line "$log" "nested switches into L2 <N>" \
	'nested switches into L2 ([0-9]+)' '\1')
fences=$(l0_vm_line "$log" "host HFENCEs in nested switches <F>" \
	'host HFENCEs in nested switches ([0-9]+)' '\1')
echo "shadow-faults: huge $huge, small $small, $insns L0 instructions ($each each);" \
	"$fences host HFENCEs in $switches nested switches"
insns=$(l0_vm_line "$log" "L0 instructions by level: L2 <a>, L1 for L2 <b>, L1 own <c>" \
	'L0 instructions by level: L2 ([0-9]+), L1 for L2 ([0-9]+), L1 own ([0-9]+)' \
	'\1 \2 \3')
read -r l2 for_l2 own <<<"$insns"
echo "shadow-faults: L0 instructions of L2's traps $l2, of L1's for L2 $for_l2," \
	"of L1's own $own: $(((l2 + for_l2) / switches)) per nested switch"
record set "shadow_faults_huge$sfx" "$huge" "shadow_faults_small$sfx" "$small" \
	"l0_insns_per_shadow_fault$sfx" "$each" \
	"host_hfences_per_nested_switch$sfx" "$(divide "$fences" "$switches")" \
	"host_hfences_nested_switches$sfx" "$fences" \
	"l0_insns_per_nested_switch_$side" "$(((l2 + for_l2) / switches))" \
	"l2_boot_l0_insns_$side" "$((l2 + for_l2))" "l1_l0_insns_own_$side" "$own"
