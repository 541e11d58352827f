#!/usr/bin/env bash
# run.sh L0_BIN [CASE...]  Boot flows through U-Boot, as on a board: QEMU
# virt, OpenSBI fw_dynamic, Debian's U-Boot (u-boot-qemu, the
# qemu-riscv64_smode build) and its distro boot from a virtio disk (an MBR
# partition with ext4, tests/uboot/mkdisk.sh), L0 running a Linux guest
# (configs/linux.dts, the vm suite's guest) to its end.
#   extlinux  extlinux/extlinux.conf: booti of l0.bin with the guest archive
#             as the initrd (U-Boot moves L0 to RAM base + 2 MiB)
#   fit       boot.scr and l0.itb from 'make fit' (tests/uboot/mkfit.sh):
#             bootm, L0 loaded at 0x90200000, the archive as the FIT's
#             ramdisk, the firmware's FDT
# Logs: build/logs/uboot-CASE.log. A hang is a FAIL.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib/runner.sh"
L0_BIN=$1
shift
LOGS=${L0_LOGS:-$TOP/build/logs}
OUT=$TOP/build/uboot
IMG=${L0_IMAGES:-$TOP/.cache/images}
TIMEOUT=${UBOOT_TIMEOUT:-240}
UBOOT=${UBOOT:-/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin}
OPENSBI=${OPENSBI_DIR:-/usr/lib/riscv64-linux-gnu/opensbi/generic}
# sha256 of 32 MiB of zeros, first 16 hex digits: what the guest prints.
ZEROS_SHA=83ee47245398adee

has() {
	grep -qE "^ *[0-9.]+ \| $1" "$log"
}

# check CASE WHAT REGEX
check() {
	if has "$3"; then pass "$1: $2"; else fail "$1: $2" "no line matching '$3'; see $log"; fi
}

# boot_disk DISK: QEMU with U-Boot as OpenSBI's payload and DISK on
# virtio-blk; sets rc.
boot_disk() {
	python3 "$TOP/tests/lib/console.py" "$log" timeout --kill-after=5 \
		"$TIMEOUT" "${QEMU:-qemu-system-riscv64}" -M virt -cpu rv64 \
		-smp 2 -m 2G -nographic -monitor none -serial stdio \
		-bios "$OPENSBI/fw_dynamic.bin" -kernel "$UBOOT" \
		-drive "file=$1,format=raw,if=none,id=hd0" \
		-device virtio-blk-device,drive=hd0
	rc=$?
}

# check_linux CASE: the guest ran to its end, then L0 powered off.
check_linux() {
	local name=$1
	check "$name" "L0 starts" "L0 hypervisor "
	check "$name" "linux0 boots with 2 harts" "\[linux0\] L2: start cpus=2$GUEST_EOL"
	check "$name" "linux0 runs its workload" "\[linux0\] L2: done sha256=$ZEROS_SHA uptime=[0-9.]+$GUEST_EOL"
	check "$name" "L0 reports linux0's shutdown" "L0: VM linux0 stopped: the guest shut down$"
	check "$name" "L0 powers off after the last VM" "L0: all VMs have stopped$"
	if has "L0 panic|trap: |stopped after an unexpected trap|refusing to run"; then
		fail "$name: no L0 panic, fatal trap or refusal" "see $log"
	fi
	case $rc in
	0) pass "$name: QEMU exits cleanly" ;;
	124 | 137) fail "$name: QEMU exits cleanly" "timed out after ${TIMEOUT}s; see $log" ;;
	*) fail "$name: QEMU exits cleanly" "exit status $rc; see $log" ;;
	esac
}

case_extlinux() {
	local name=extlinux dir=$OUT/extlinux
	rm -rf "$dir" && mkdir -p "$dir/files/extlinux"
	cp "$L0_BIN" "$dir/files/l0.bin"
	cp "$initrd" "$dir/files/l0-initrd.cpio"
	cat >"$dir/files/extlinux/extlinux.conf" <<-'EOF'
		default l0
		timeout 0
		label l0
			kernel /l0.bin
			initrd /l0-initrd.cpio
			append l0.poweroff
	EOF
	"$TOP/tests/uboot/mkdisk.sh" "$dir/disk.img" "$dir/files" >/dev/null
	log=$LOGS/uboot-$name.log
	boot_disk "$dir/disk.img"
	check "$name" "U-Boot finds extlinux.conf on the disk" "Found /extlinux/extlinux.conf"
	check "$name" "booti starts L0 where U-Boot put it" "  image: +at 0x80200000, "
	check_linux "$name"
}

case_fit() {
	local name=fit dir=$OUT/fit
	rm -rf "$dir" && mkdir -p "$dir/files"
	BOOTARGS=l0.poweroff "$TOP/tests/uboot/mkfit.sh" "$dir/fit" "$L0_BIN" \
		"$initrd" 0x90200000 >/dev/null
	cp "$dir/fit/l0.itb" "$dir/fit/boot.scr" "$dir/files/"
	"$TOP/tests/uboot/mkdisk.sh" "$dir/disk.img" "$dir/files" >/dev/null
	log=$LOGS/uboot-$name.log
	boot_disk "$dir/disk.img"
	check "$name" "U-Boot runs boot.scr from the disk" "Found U-Boot script /boot.scr"
	check "$name" "bootm takes L0 from the FIT" "   Trying 'l0' kernel subimage"
	check "$name" "bootm takes the guest archive as the FIT's ramdisk" "   Trying 'guests' ramdisk subimage"
	if [ "$(grep -c 'Verifying Hash Integrity ... sha256+ OK' "$log")" -ge 2 ]; then
		pass "$name: both hashes verify"
	else
		fail "$name: both hashes verify" "see $log"
	fi
	check "$name" "L0 runs at the FIT's load address" "  image: +at 0x90200000, "
	check_linux "$name"
}

mkdir -p "$LOGS" "$OUT"
initrd=$OUT/l0-initrd.cpio
if ! "$TOP/tests/vm/mkinitrd.sh" "$initrd" "$TOP/configs/linux.dts" \
	"Image=$IMG/Image-6.12" "rootfs.cpio.gz=$IMG/l2.cpio.gz"; then
	fail "guest archive" "could not build $initrd (make images)"
	summary
	exit
fi
for c in extlinux fit; do
	if [ $# -eq 0 ] || [[ " $* " == *" $c "* ]]; then
		"case_$c"
	fi
done
summary
