#!/usr/bin/env bash
# run.sh MODE [PAYLOAD...]  Boot each nested test payload
# (build/nested/NAME.bin) under a hard timeout with the console logged to
# build/logs/nested-MODE-NAME.log, then turn the payload's lines into cases,
# as tests/guest/run.sh does:
#   PLAN <payload> <n>: <case>...   the cases it will report, printed first
#   PASS: <payload>: <case>[ (note)]
#   FAIL: <payload>: <case> (<detail>)
#   GUEST DONE <payload>            the end, before the SBI shutdown
# A planned case that never shows is a FAIL, and so are a missing plan, a
# missing GUEST DONE, a timeout, and QEMU not exiting 0 after the shutdown.
# The payloads run in HS-mode as a small L1 hypervisor and test the H
# extension; boot_MODE says where that HS-mode is:
# MODE reference: QEMU's own H extension (-cpu rv64,h=true) + OpenSBI.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib/runner.sh"
MODE=${1:-}
shift || true
LOGS=${L0_LOGS:-$TOP/build/logs}
PAYLOAD_DIR=${NESTED_PAYLOAD_DIR:-$TOP/build/nested}
TIMEOUT=${NESTED_TIMEOUT:-30}
OPENSBI=${OPENSBI_DIR:-/usr/lib/riscv64-linux-gnu/opensbi/generic}

PAYLOADS=(h-csr h-hip h-vcsr h-trap h-virt h-hlv h-mem h-irq h-fence hostile-l1)

# Where QEMU departs from the spec, the case still checks the spec; in
# reference mode its FAIL is counted as a pass that names the deviation.
# MODE|payload: case|why
KNOWN=(
	"reference|h-csr: hstatus-reserved-zero|QEMU 10.0 keeps every bit written to hstatus (write_hstatus masks nothing but VSXL), where the spec's reserved (WPRI) bits are read-only zero"
	"reference|h-csr: hstatus-vgein|QEMU 10.0 keeps any VGEIN written to hstatus, where VGEIN is WARL with legal values 0..GEILEN (GEILEN is 0 on this machine)"
	"reference|h-csr: hgatp-ppn-low-zero|QEMU 10.0 keeps PPN[1:0] written to hgatp in Sv39x4 mode, where the spec says the two low bits of PPN always read as zeros (16 KiB root table)"
	"reference|h-vcsr: vsstatus-reserved-zero|QEMU 10.0 keeps every bit written to vsstatus (write_vsstatus masks nothing but UXL), where the spec's WPRI bits are read-only zero"
	"reference|h-vcsr: vsepc-align|QEMU 10.0 keeps vsepc[0] = 1 when written from HS-mode, where the spec says the low bit of sepc (vsepc) is always zero"
	"reference|h-virt: vu-sstatus|QEMU 10.0 raises an illegal instruction (2) for a supervisor CSR accessed from VU-mode, where the spec says a virtual instruction (22) when HS-mode could access it"
	"reference|h-virt: vu-sret|QEMU 10.0 raises an illegal instruction (2) for SRET in VU-mode, where the spec says a virtual instruction (22)"
	"reference|h-hlv: hlv-past-ram|QEMU 10.0 leaves hstatus.GVA = 0 on an access fault of HLV, whose address (in stval) is a guest virtual address, for which the spec sets GVA = 1"
	"reference|h-hlv: hsv-past-ram|QEMU 10.0 leaves hstatus.GVA = 0 on an access fault of HSV, whose address (in stval) is a guest virtual address, for which the spec sets GVA = 1"
	"reference|h-hlv: gs-hlvx-noexec|QEMU 10.0 raises an instruction page fault (12) for HLVX on a G-stage page without X, where the spec says HLVX raises the exceptions of a load (load guest-page fault, 21)"
	"reference|h-irq: priority|QEMU 10.0 (without AIA, hviprio all zero) delivers the lowest-numbered pending VS interrupt first (SSI), where the spec's supervisor order is SEI, SSI, STI"
	"l0|h-virt: vu-sstatus|L2 runs on QEMU 10.0's own H extension, which raises an illegal instruction (2) for a supervisor CSR accessed from VU-mode (see the reference entry)"
	"l0|h-virt: vu-sret|L2 runs on QEMU 10.0's own H extension, which raises an illegal instruction (2) for SRET in VU-mode (see the reference entry)"
	"l0|h-irq: priority|L2 takes its VS interrupts from QEMU 10.0's own H extension, which delivers SSI first (see the reference entry)"
	"reference|h-vcsr: vsstatus-uxl|QEMU 10.0's hart keeps UXL = 3 (UXLEN 128 > SXLEN) written to vsstatus, which the spec's WARL UXL excludes (the same bug as sstatus.UXL in tests/guest/run.sh)"
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

# boot_reference BIN LOG: QEMU with the H extension + OpenSBI 1.5, with the
# payload as the kernel (OpenSBI enters it in S-mode, which is HS-mode).
boot_reference() {
	python3 "$TOP/tests/lib/console.py" "$2" timeout --kill-after=5 \
		"$TIMEOUT" "${QEMU:-qemu-system-riscv64}" -M virt -cpu rv64,h=true \
		-smp 2 -m 256M -nographic -monitor none -serial stdio \
		-bios "$OPENSBI/fw_dynamic.bin" -kernel "$1"
}

# boot_l0 BIN LOG: L0 on QEMU, with the payload as its only guest, nested-
# enabled (configs/nested-payload.dts): L0 emulates the H extension for it.
boot_l0() {
	local initrd=$TOP/build/nested/l0-initrd-$(basename "$1" .bin).cpio
	"$TOP/tests/vm/mkinitrd.sh" "$initrd" "$TOP/configs/nested-payload.dts" \
		"payload.bin=$1" || return 1
	python3 "$TOP/tests/lib/console.py" "$2" timeout --kill-after=5 \
		"$TIMEOUT" "$TOP/tests/boot/qemu.sh" --smp 2 --mem 512M \
		--initrd "$initrd" --append l0.poweroff "${L0_BIN:-$TOP/build/l0.bin}"
}

# console_lines LOG: the payload's console lines without the host stamps (and
# without a "[payload] " prefix, should a hypervisor below add one).
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
		"PASS: $name: "*)
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
	echo "usage: run.sh MODE [PAYLOAD...]; MODE: reference" >&2
	exit 2
fi
mkdir -p "$LOGS"
for name in "${PAYLOADS[@]}"; do
	if [ $# -gt 0 ] && [[ " $* " != *" $name "* ]]; then
		continue
	fi
	log=$LOGS/nested-$MODE-$name.log
	bin=$PAYLOAD_DIR/$name.bin
	if [ ! -f "$bin" ]; then
		fail "$name: build" "no $bin (make nested-payloads)"
		continue
	fi
	"boot_$MODE" "$bin" "$log" >/dev/null 2>&1
	check_payload "$name" "$log" $?
done
summary
