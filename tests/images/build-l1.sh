#!/usr/bin/env bash
# build-l1.sh OUT MODE L2_SMP KERNEL_TREE L2_KERNEL L2_INITRD L2_SHELL_INITRD
# build-l1.sh OUT sbiloop 1 KERNEL_TREE L2_PROGRAM
# build-l1.sh OUT disk 1 KERNEL_TREE L2_KERNEL VDA_INITRD L2_DISK
# L1 initramfs: busybox, l1/init and run-l2, the kvm.ko of the kernel unpacked
# in KERNEL_TREE (the one L1 will boot), QEMU with exactly the shared libraries
# its ELF NEEDED entries reach (and the loader), and L2's kernel and both L2
# initramfs (the shell one for 'run-l2 --shell' by hand).
# MODE is 'run' (boot L2, report, power off) or 'shell'. MODE 'disk' makes
# L1's disk image (ext4, 512 MiB, sparse) instead of an initramfs: l1/init is
# its /sbin/init, booted by the vda initramfs VDA_INITRD, with the disknet
# steps and loop.ko, and L2 boots from L2_DISK (build-l2.sh's disk mode),
# copied into it as /l2/disk.img, with VDA_INITRD too. The bench's
# 'sbiloop' mode holds a bare-metal L2 program (tests/bench/sbiloop) instead
# of L2's Linux, and runs it as 'run' runs L2.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
out=$1 mode=$2 smp=$3 ktree=$4
root=$(realpath -m "$out.root")
vmm=$UNPACKED/vmm
[ -f "$vmm/.done" ] || die "QEMU not unpacked in $vmm (make images)"
stage_base "$root"
install -m 755 "$TOP/tests/images/l1/init" "$root/init"
install -m 755 "$TOP/tests/images/l1/run-l2" "$root/usr/bin/run-l2"
printf 'MODE=%s\nL2_SMP=%s\nL2_MEM=%s\n' "$mode" "$smp" 256M >"$root/etc/image.conf"

# kvm.ko, decompressed here so that neither busybox's insmod nor the kernel
# needs to handle .xz; it keeps its appended signature.
release=$(kernel_release "$ktree")
kvm=$ktree/usr/lib/modules/$release/kernel/arch/riscv/kvm/kvm.ko.xz
[ -f "$kvm" ] || die "no kvm.ko.xz in $ktree for $release"
mkdir -p "$root/usr/lib/modules/$release"
xz -dc "$kvm" >"$root/usr/lib/modules/$release/kvm.ko"

# The VMM: the binary and its library closure, copied with their symlinks.
(cd "$vmm" && { echo usr/bin/qemu-system-riscv64;
	python3 "$TOP/tests/images/elfdeps.py" . usr/bin/qemu-system-riscv64; } |
	cpio --quiet -pdm "$root")

mkdir -p "$root/l2"
if [ "$mode" = sbiloop ]; then
	cp "$5" "$root/l2/sbiloop.bin"
elif [ "$mode" = disk ]; then
	install -m 755 "$TOP/tests/images/disknet" "$root/usr/bin/disknet"
	ln -s ../../init "$root/usr/sbin/init"
	xz -dc "$ktree/usr/lib/modules/$release/kernel/drivers/block/loop.ko.xz" \
		>"$root/usr/lib/modules/$release/loop.ko"
	cp "$5" "$root/l2/Image"
	cp "$6" "$root/l2/initrd-vda.cpio.gz"
	cp --sparse=always "$7" "$root/l2/disk.img"
else
	cp "$5" "$root/l2/Image"
	cp "$6" "$root/l2/initrd.cpio.gz"
	cp "$7" "$root/l2/initrd-shell.cpio.gz"
fi
if [ "$mode" = disk ]; then
	"$TOP/tests/images/mkext4.sh" "$root" "$out" 512M
else
	"$TOP/tests/images/mkcpio.sh" "$root" "$out"
fi
rm -rf "$root"
