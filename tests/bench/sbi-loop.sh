#!/usr/bin/env bash
# sbi-loop.sh KEY L1_KERNEL L1_INITRD CONFIG [INSNS_KEY]  L0 trap entries per L2 SBI call
# that L1's KVM handles. L0 (CONFIG, e.g. configs/nested.dts) runs L1_KERNEL
# with L1_INITRD, an L1 image whose L2 is the SBI loop (tests/bench/sbiloop,
# images from tests/bench/bench.mk), and this records from the lines L0 prints
# when the VM stops:
#   KEY          L0 trap entries from an L2 ecall until L0 next enters L2
#                (the ecall trap and all of L1's while its KVM handles the
#                call), per L2 ecall, 2 decimals
#   KEY_<cause>  the same for each cause (short names: cause_key in lib.sh)
#   INSNS_KEY    when given: the run is under QEMU -icount, and this is the
#                L0 instructions those traps retired, per L2 ecall (from
#                the trap vector's first instruction to its sret, as every
#                L0 instruction count; docs/bench.md)
# Any failure records nothing and says why. The nested-MMU bench runs it with
# KEY l0_traps_per_l2_sbi_call; the NACL bench can run it with its 7.2 L1 and
# a NACL on/off config as l0_traps_per_l2_sbi_call_nacl and _nonacl.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
[ $# -eq 4 ] || [ $# -eq 5 ] ||
	fail "usage: sbi-loop.sh KEY L1_KERNEL L1_INITRD CONFIG [INSNS_KEY]"
key=$1 kernel=$2 initrd=$3 config=$4 insns_key=${5:-}
log=$LOGS/bench-$key.log
icount=()
if [ -n "$insns_key" ]; then
	# One hart, for exact counts (shadow-faults.sh says why).
	icount=(--icount-shift auto --smp 1)
	# -icount runs on one host thread: about twice as long.
	TIMEOUT=${BENCH_ICOUNT_TIMEOUT:-$((2 * TIMEOUT))}
fi

# The causes' short names (cause_key in lib.sh) that a run may record.
CAUSE_KEYS=(ecall_u ecall_vs virtual_insn illegal_insn gpf_fetch gpf_load
	gpf_store irq_soft irq_timer irq_ext irq_vs_soft irq_vs_timer irq_vs_ext
	irq_sgei)

# Drop this key's figures of an earlier run first: a failure leaves none.
record unset "$key" "${CAUSE_KEYS[@]/#/${key}_}" ${insns_key:+"$insns_key"}

if [ -z "${SBI_LOOP_LOG:-}" ]; then
	l0_boot "$log" "$config" "$kernel" "$initrd" "${icount[@]}"
	l2_exited "$log"
fi
log=${SBI_LOOP_LOG:-$log} # a log given to check the parsing alone

# The loop ran all its calls, each answered as KVM answers a probe of BASE.
calls=$(sed -nE 's/^ *[0-9.]+ \| \[[^]]*\] L2: sbiloop done calls=([0-9]+) bad=0([^0-9].*)?$/\1/p' "$log")
[ -n "$calls" ] || fail "the SBI loop did not end with 'bad=0'; see $log"
start=$(stamp "$log" '\[[^]]*\] L2: sbiloop start ')
done=$(stamp "$log" '\[[^]]*\] L2: sbiloop done ')

line=$(l0_vm_line "$log" "L2 ecall exits <N>, L0 traps until L2 resumes <T>" \
	'L2 ecall exits ([0-9]+), L0 traps until L2 resumes ([0-9]+)' '\1 \2')
read -r exits traps <<<"$line"
# The loop's calls, its SRST, and nothing else of L2's traps ecall.
[ "$exits" -ge "$calls" ] ||
	fail "L0 counted $exits L2 ecall exits, fewer than the loop's $calls calls; see $log"

args=("$key" "$(divide "$traps" "$exits")")
while read -r n cause; do
	[ -n "$n" ] || continue
	args+=("${key}_$(cause_key "$cause")" "$(divide "$n" "$exits")")
	echo "sbi-loop: $(divide "$n" "$exits") per call: $cause"
done < <(sed -nE 's/^ *[0-9.]+ \| L0: VM [^:]+: L2 ecall round trip traps: ([0-9]+) (.*)$/\1 \2/p' "$log")
[ ${#args[@]} -gt 2 ] || fail "L0 printed no 'L2 ecall round trip traps' by cause in $log"
echo "sbi-loop: $exits L2 ecalls, $traps L0 traps until L2 resumed:" \
	"$(divide "$traps" "$exits") per call; the loop took" \
	"$(awk -v a="$done" -v b="$start" -v n="$calls" 'BEGIN { printf "%.0f", (a - b) / n * 1e6 }') us of host time per call"
if [ -n "$insns_key" ]; then
	each=$(l0_vm_line "$log" "L2 ecall round trip L0 instructions <I> (<E> per exit)" \
		'L2 ecall round trip L0 instructions [0-9]+ \(([0-9]+) per exit\)' '\1')
	echo "sbi-loop: $each L0 instructions per L2 ecall round trip"
	args+=("$insns_key" "$each")
fi
record set "${args[@]}"
