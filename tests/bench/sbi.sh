#!/usr/bin/env bash
# sbi.sh  The SBI L0 offers its guests, with the guest payloads of
# tests/guest (make guest-payloads) as guests of L0, and record:
#   sbi_extensions_offered     how many standard SBI extensions a VM without
#                              the H extension finds (sbi-base's
#                              probe-standard case lists them)
#   l0_insns_per_sbi_hsm_call  L0 instructions per HSM call of hsm-states
#                              (QEMU -icount: instret counts exactly), from
#                              the trap's entry to the scheduler's return
#   l0_insns_per_sbi_ipi_call  the same for sbi-ipi's IPI calls
# A failed part records nothing of its own.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
GUEST=$TOP/build/guest

record unset sbi_extensions_offered l0_insns_per_sbi_hsm_call \
	l0_insns_per_sbi_ipi_call

log=$LOGS/guest-l0-sbi-base.log
L0_BIN=$L0_BIN "$TOP/tests/guest/run.sh" l0 sbi-base >/dev/null ||
	fail "sbi-base failed under L0; see $log"
offered=$(sed -nE 's/.*PASS: sbi-base: probe-standard \((offered ([0-9]+):.*)\)$/\1/p' "$log")
[ -n "$offered" ] || fail "no probe-standard note in $log"
echo "sbi: $offered"
record set sbi_extensions_offered "$(echo "$offered" | sed -E 's/offered ([0-9]+):.*/\1/')"

# per_call PAYLOAD EXT KEY: the payload under L0 on QEMU -icount; KEY is
# L0's instructions per call of extension EXT, as L0 printed at its end.
per_call() {
	local payload=$1 ext=$2 key=$3 log=$LOGS/bench-sbi-$1-icount.log each
	"$TOP/tests/vm/mkinitrd.sh" "$OUT/sbi-$payload.cpio" \
		"$TOP/configs/payload.dts" "payload.bin=$GUEST/$payload.bin"
	python3 "$TOP/tests/lib/console.py" "$log" timeout 300 \
		"$TOP/tests/boot/qemu.sh" --icount --smp 2 --mem 512M \
		--initrd "$OUT/sbi-$payload.cpio" --append l0.poweroff \
		"$L0_BIN" >/dev/null
	grep -q "GUEST DONE $payload" "$log" || fail "$payload did not end; see $log"
	each=$(sed -nE "s/.*L0: VM payload: SBI $ext: L0 instructions [0-9]+ \\(([0-9]+) per call\\)$/\\1/p" "$log")
	[ -n "$each" ] || fail "no SBI $ext instruction count in $log"
	echo "sbi: $each L0 instructions per $ext call ($payload)"
	record set "$key" "$each"
}
per_call hsm-states HSM l0_insns_per_sbi_hsm_call
per_call sbi-ipi IPI l0_insns_per_sbi_ipi_call
