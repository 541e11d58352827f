#!/usr/bin/env bash
# run.sh [CASE...]  The reference run: QEMU's own H extension hosts L1 (Debian
# Linux with KVM), which hosts L2 through Debian's QEMU with -accel kvm. For
# each case, boot it once under a hard timeout, keep the console log in
# build/logs/reference-CASE.log, and check every line the images promise.
# Prints 'PASS: ...' / 'FAIL: ... (reason)' per check, then 'N passed, N failed'.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
IMG=${L0_IMAGES:-$TOP/.cache/images}
LOGS=${L0_LOGS:-$TOP/build/logs}
TIMEOUT=${REF_TIMEOUT:-300}
OPENSBI=${OPENSBI:-/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin}
# sha256 of 32 MiB of zeros, first 16 hex digits: what L2's workload prints.
ZEROS_SHA=83ee47245398adee

# name      L1 kernel    L1 initramfs     L2 vCPUs
CASES=(
	"l2-1cpu   Image-6.12   l1.cpio.gz       1"
	"l2-2cpu   Image-6.12   l1-smp.cpio.gz   2"
	"l1-k7.2   Image-7.2    l1-k7.2.cpio.gz  1"
)

. "$TOP/tests/lib/runner.sh"
. "$TOP/tests/lib/disknet.sh"

# The disk images (docs/images.md): L1 boots Image-6.12 with root=/dev/vda
# through vda.cpio.gz, from a copy of l1-disk.img on a virtio-blk disk, with
# a virtio-net NIC on QEMU's user network, and fetches a 16 MiB file from
# the host's loopback. nested: L2 does the same from its own disk through
# L1's QEMU, and L1 reads back what L2 wrote; plain: L1 alone, no KVM.
# name        kind
DISK_CASES=(
	"disk-nested  nested"
	"disk-plain   plain"
)

# check_end NAME: QEMU exited after L1's power-off, within the timeout.
check_end() {
	local name=$1
	case $rc in
	0)	# L1's own power-off is its last console line (L2's came earlier).
		if tail -n 2 "$log" | head -n 1 | grep -q 'reboot: Power down$'; then
			pass "$name: L1 powers off"
		else
			fail "$name: L1 powers off" "QEMU exited but L1's last line is no power-off; see $log"
		fi ;;
	124 | 137) fail "$name: L1 powers off" "timed out after ${TIMEOUT}s; see $log" ;;
	*) fail "$name: L1 powers off" "QEMU exit status $rc; see $log" ;;
	esac
	echo "$name: $(tail -n 1 "$log" | cut -d'|' -f1 | tr -d ' ') s wall time"
}

# check CASE WHAT REGEX: the log has a console line matching REGEX.
check() {
	if grep -qE "^ *[0-9.]+ \| $3" "$log"; then pass "$1: $2"
	else fail "$1: $2" "no line matching '$3'; see $log"; fi
}

run_case() {
	local name=$1 kernel=$IMG/$2 initrd=$IMG/$3 smp=$4 rc
	log=$LOGS/reference-$name.log
	for f in "$kernel" "$initrd" "$OPENSBI"; do
		[ -f "$f" ] || { fail "$name: boot" "missing $f; run 'make images'"; return; }
	done
	python3 "$TOP/tests/lib/console.py" "$log" \
		timeout --kill-after=10 "$TIMEOUT" \
		qemu-system-riscv64 -M virt -cpu rv64,h=true -smp 2 -m 2G -nographic \
		-bios "$OPENSBI" -kernel "$kernel" -initrd "$initrd" \
		-append "console=ttyS0"
	rc=$?
	check "$name" "L1 reaches /init" "L1: init "
	check "$name" "KVM reports the hypervisor extension" "L1: dmesg: .*hypervisor extension available"
	check "$name" "/dev/kvm present" "L1: /dev/kvm ok$GUEST_EOL"
	check "$name" "L2 first marker" "L2: start cpus=$smp$GUEST_EOL"
	check "$name" "L2's console runs on its UART's interrupts" "L2: ttyS0 interrupts [1-9][0-9]*$GUEST_EOL"
	check "$name" "L2 workload and second marker" "L2: done sha256=$ZEROS_SHA uptime=[0-9.]+$GUEST_EOL"
	check "$name" "L2 exits with status 0" "L1: L2 exit status 0$GUEST_EOL"
	if grep -q '| L1: FAIL' "$log"; then
		fail "$name: L1 reports no failure" "$(grep -m1 -o 'L1: FAIL.*' "$log")"
	fi
	check_end "$name"
}

# run_disk_case NAME KIND [disknet.* ARG...]: the bench adds disknet.read=.
run_disk_case() {
	local name=$1 kind=$2 disk=$TOP/build/disk/reference-$1.img f l2=
	shift 2
	log=$LOGS/reference-$name.log
	for f in "$IMG/Image-6.12" "$IMG/vda.cpio.gz" "$IMG/l1-disk.img" "$OPENSBI"; do
		[ -f "$f" ] || { fail "$name: boot" "missing $f; run 'make images'"; return; }
	done
	[ "$kind" = nested ] || l2=disknet.l2=0
	disk_copy "$IMG/l1-disk.img" "$disk"
	disknet_devices "$disk"
	python3 "$TOP/tests/lib/console.py" "$log" \
		timeout --kill-after=10 "$TIMEOUT" \
		qemu-system-riscv64 -M virt -cpu rv64,h=true -smp 2 -m 2G -nographic \
		-bios "$OPENSBI" -kernel "$IMG/Image-6.12" -initrd "$IMG/vda.cpio.gz" \
		-append "console=ttyS0 root=/dev/vda $HTTP_ARG $l2 $*" "${DISKNET_DEVICES[@]}"
	rc=$?
	rm -f "$disk"
	check_disknet "$name" "" "$kind"
	check_end "$name"
}

mkdir -p "$LOGS"
for c in "${CASES[@]}"; do
	read -r name kernel initrd smp <<<"$c"
	if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then
		run_case "$name" "$kernel" "$initrd" "$smp"
	fi
done
for c in "${DISK_CASES[@]}"; do
	read -r name kind <<<"$c"
	if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then
		[ -n "${HTTP_PID:-}" ] || httpd_start "$TOP/build/http/reference" "$DISKNET_MIB" ||
			{ fail "$name: boot" "no HTTP server"; continue; }
		# shellcheck disable=SC2086  # words on purpose
		run_disk_case "$name" "$kind" $DISKNET_ARGS
	fi
done
httpd_stop
summary
