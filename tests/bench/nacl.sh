#!/usr/bin/env bash
# nacl.sh  Bench SBI nested acceleration: Debian's 7.2 L1 kernel, whose KVM
# uses NACL when L0 offers it, under L0 with NACL on (configs/nested.dts) and
# off (configs/nested-nacl-off.dts), side by side, and record:
#   l0_traps_per_l2_sbi_call_nacl[_<cause>]    sbi-loop.sh, NACL on (target:
#                                              at most 3; the floor is 2)
#   l0_traps_per_l2_sbi_call_nonacl[_<cause>]  the same, NACL off
#   l2_boot_s_nacl, l2_boot_s_nonacl           l2-boot.sh, best of BENCH_RUNS
#   l2_boot_ratio_nacl_over_nonacl             the first over the second
#                                              (target: below 1)
# A part that fails records nothing, says why, and fails the bench once the
# others have run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
BENCH=$TOP/tests/bench
kernel=$IMG/Image-7.2
on=$TOP/configs/nested.dts
off=$TOP/configs/nested-nacl-off.dts
BENCH_NAME=nacl


record unset l2_boot_ratio_nacl_over_nonacl
part "SBI loop, NACL on" "$BENCH/sbi-loop.sh" l0_traps_per_l2_sbi_call_nacl \
	"$kernel" "$OUT/l1-sbiloop-k7.2.cpio.gz" "$on"
part "SBI loop, NACL off" "$BENCH/sbi-loop.sh" l0_traps_per_l2_sbi_call_nonacl \
	"$kernel" "$OUT/l1-sbiloop-k7.2.cpio.gz" "$off"
part "L2 boot, NACL on" "$BENCH/l2-boot.sh" l2_boot_s_nacl \
	"$kernel" "$IMG/l1-k7.2.cpio.gz" "$on"
part "L2 boot, NACL off" "$BENCH/l2-boot.sh" l2_boot_s_nonacl \
	"$kernel" "$IMG/l1-k7.2.cpio.gz" "$off"

if a=$(record get l2_boot_s_nacl 2>/dev/null) &&
	b=$(record get l2_boot_s_nonacl 2>/dev/null); then
	ratio=$(divide "$a" "$b")
	echo "nacl: L2 boot $a s with NACL, $b s without: ratio $ratio"
	record set l2_boot_ratio_nacl_over_nonacl "$ratio"
fi
fail_parts
