#!/usr/bin/env bash
# run.sh MODE [PAYLOAD...]  Boot each guest test payload (build/guest/NAME.bin)
# under a hard timeout with the console logged to
# build/logs/guest-MODE-NAME.log, then turn the payload's lines into cases:
#   PLAN <payload> <n>: <case>...   the cases it will report, printed first
#   PASS: <payload>: <case>[ (note)]
#   FAIL: <payload>: <case> (<detail>)
#   ECHO: <payload>: <case>         a PASS that is only seen when the bytes
#                                   went through the path under test
#   GUEST DONE <payload>            the end, before the SBI shutdown
# A planned case that never shows is a FAIL, and so are a missing plan, a
# missing GUEST DONE, a timeout, and QEMU not exiting 0 after the shutdown.
# MODE reference: directly on QEMU + OpenSBI, the differential baseline.
# MODE l0: as a 2-vCPU guest under L0 (configs/payload.dts); L0 prefixes the
# guest's console lines with "[payload] ".
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib/runner.sh"
MODE=${1:-}
shift || true
LOGS=${L0_LOGS:-$TOP/build/logs}
GUESTS=${GUEST_DIR:-$TOP/build/guest}
TIMEOUT=${GUEST_TIMEOUT:-30}
OPENSBI=${OPENSBI_DIR:-/usr/lib/riscv64-linux-gnu/opensbi/generic}
L0_BIN=${L0_BIN:-$TOP/build/l0.bin}

PAYLOADS=(sbi-base sbi-time sbi-ipi sbi-hsm sbi-rfence sbi-srst sbi-dbcn
	mmio-uart mmio-plic hostile-csr hostile-mem hostile-sbi
	hostile-hsm)

# Where OpenSBI 1.5 departs from the SBI spec, the case still checks the
# spec; in reference mode its FAIL is counted as a pass that names the
# deviation (a PASS is fine too, e.g. with a newer OpenSBI).
# MODE|payload: case|why
KNOWN=(
	"reference|sbi-ipi: invalid-mask-bit|OpenSBI 1.5 drops harts of hart_mask that do not exist and returns 0 instead of SBI_ERR_INVALID_PARAM (fixed upstream after 1.5)"
	"reference|sbi-rfence: fence-i-invalid-bit|OpenSBI 1.5 drops harts of hart_mask that do not exist and returns 0 instead of SBI_ERR_INVALID_PARAM (fixed upstream after 1.5)"
	"reference|sbi-dbcn: write-above-64bit|OpenSBI 1.5 returns SBI_ERR_FAILED for base_addr_hi != 0, where SBI 2.0's DBCN chapter says SBI_ERR_INVALID_PARAM"
	"reference|hostile-sbi: ipi-base-huge|OpenSBI 1.5 drops harts of hart_mask that do not exist, also when hart_mask_base names none, and returns 0 instead of SBI_ERR_INVALID_PARAM"
	"reference|hostile-sbi: rfence-base-huge|OpenSBI 1.5 drops harts of hart_mask that do not exist, also when hart_mask_base names none, and returns 0 instead of SBI_ERR_INVALID_PARAM"
	"reference|hostile-mem: load-0x1000|QEMU virt has its boot ROM at 0x1000, which the reference's FDT does not describe; the guest under L0 has nothing there"
	"reference|hostile-mem: dbcn-write-ram-end|OpenSBI 1.5 checks a DBCN buffer against its PMP domain only (all but the firmware) and reads it in M-mode: past RAM the firmware faults and the machine hangs, so the case is not run; SBI 2.0 says SBI_ERR_INVALID_PARAM"
	"reference|hostile-mem: dbcn-write-wrap|OpenSBI 1.5 does not check that base + num_bytes wraps, and reads the buffer in M-mode until it faults, so the case is not run; SBI 2.0 says SBI_ERR_INVALID_PARAM"
	"reference|hostile-mem: hsm-start-high|OpenSBI 1.5 checks start_addr against its PMP domain only and starts the hart where nothing is, instead of SBI_ERR_INVALID_ADDRESS"
	"reference|hostile-mem: hsm-start-ram-end|OpenSBI 1.5 checks start_addr against its PMP domain only and starts the hart where nothing is, instead of SBI_ERR_INVALID_ADDRESS (or the hart is already started by hsm-start-high)"
	"reference|hostile-csr: sstatus-uxl|QEMU 10.0's hart keeps UXL = 3 (UXLEN 128 > SXLEN) written to sstatus, which the spec's WARL UXL excludes"
	"l0|hostile-csr: sstatus-uxl|the same QEMU 10.0 hart bug, seen through vsstatus (QEMU's H extension keeps UXL = 3 too); not L0's doing"
)

# known_deviation 'PAYLOAD: CASE': why this mode expects it to fail, if so.
known_deviation() {
	local k mode kase why
	for k in "${KNOWN[@]}"; do
		IFS='|' read -r mode kase why <<<"$k"
		if [ "$mode" = "$MODE" ] && [ "$kase" = "$1" ]; then
			echo "$why"
			return 0
		fi
	done
	return 1
}

# boot_reference BIN LOG: QEMU + OpenSBI 1.5 with the payload as the kernel.
boot_reference() {
	python3 "$TOP/tests/lib/console.py" "$2" timeout --kill-after=5 \
		"$TIMEOUT" "${QEMU:-qemu-system-riscv64}" -M virt -cpu rv64 \
		-smp 2 -m 256M -nographic -monitor none -serial stdio \
		-bios "$OPENSBI/fw_dynamic.bin" -kernel "$1"
}

# boot_l0 BIN LOG: L0 on QEMU, with the payload as its only guest.
boot_l0() {
	local initrd=$TOP/build/guest/l0-initrd-$(basename "$1" .bin).cpio
	"$TOP/tests/vm/mkinitrd.sh" "$initrd" "$TOP/configs/payload.dts" \
		"payload.bin=$1" || return 1
	python3 "$TOP/tests/lib/console.py" "$2" timeout --kill-after=5 \
		"$TIMEOUT" "$TOP/tests/boot/qemu.sh" --smp 2 --mem 512M \
		--initrd "$initrd" --append l0.poweroff "$L0_BIN"
}

# console_lines LOG: the guest's console lines without the host stamps (and
# without L0's "[payload] " prefix).
console_lines() {
	sed -nE 's/^ *[0-9.]+ \| //p' "$1" | grep -v '^\[console\] ' |
		sed 's/^\[payload\] //'
}

# check_payload NAME LOG RC: one PASS/FAIL per case the payload reported.
check_payload() {
	local name=$1 log=$2 rc=$3 line kase detail why plan=() n=-1
	local -A reported=()
	while IFS= read -r line; do
		case $line in
		"PLAN $name "*)
			line=${line#"PLAN $name "}
			n=${line%%:*}
			read -ra plan <<<"${line#*:}" ;;
		"PASS: $name: "* | "ECHO: $name: "*)
			kase=${line#*: "$name": }
			pass "$name: $kase"
			reported[${kase%% *}]=1 ;;
		"FAIL: $name: "*)
			kase=${line#"FAIL: $name: "}
			detail=${kase#* (}
			detail=${detail%)}
			kase=${kase%% (*}
			if why=$(known_deviation "$name: $kase"); then
				pass "$name: $kase (known deviation: $why; got: $detail)"
			else
				fail "$name: $kase" "$detail"
			fi
			reported[$kase]=1 ;;
		esac
	done < <(console_lines "$log")
	if [ "$n" -lt 0 ] || [ "$n" -ne "${#plan[@]}" ]; then
		fail "$name: plan" "no valid PLAN line; see $log"
	fi
	for kase in "${plan[@]}"; do
		[ -n "${reported[$kase]:-}" ] || fail "$name: $kase" "not reported; see $log"
	done
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		fail "$name: done" "timed out after ${TIMEOUT}s; see $log"
	elif ! grep -qx "GUEST DONE $name" < <(console_lines "$log"); then
		fail "$name: done" "no 'GUEST DONE $name' line; see $log"
	elif [ "$rc" -ne 0 ]; then
		fail "$name: done" "QEMU exit status $rc after the shutdown; see $log"
	fi
}

if [ -z "$MODE" ] || ! declare -F "boot_$MODE" >/dev/null; then
	echo "usage: run.sh MODE [PAYLOAD...]; MODE: reference or l0" >&2
	exit 2
fi
mkdir -p "$LOGS"
for name in "${PAYLOADS[@]}"; do
	if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then
		continue
	fi
	log=$LOGS/guest-$MODE-$name.log
	bin=$GUESTS/$name.bin
	if [ ! -f "$bin" ]; then
		fail "$name: build" "no $bin (make guest-payloads)"
		continue
	fi
	"boot_$MODE" "$bin" "$log" >/dev/null 2>&1
	check_payload "$name" "$log" $?
done
summary
