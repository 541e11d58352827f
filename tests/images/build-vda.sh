#!/usr/bin/env bash
# build-vda.sh OUT KERNEL_TREE  The boot initramfs for a root filesystem on
# /dev/vda (vda/init): busybox and the modules in vda/modules, from the
# kernel unpacked in KERNEL_TREE, decompressed so that busybox's insmod can
# load them. The same file boots L1 (from its disk) and L2 (from the disk
# image that L1's QEMU serves), which run the same kernel.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
out=$1 ktree=$2
root=$(realpath -m "$out.root")
stage_base "$root"
install -m 755 "$TOP/tests/images/vda/init" "$root/init"
grep -v '^#' "$TOP/tests/images/vda/modules" >"$root/etc/modules"
release=$(kernel_release "$ktree")
mkdir -p "$root/usr/lib/modules/$release"
while read -r m; do
	ko=$(find "$ktree/usr/lib/modules/$release/kernel" -name "$m.ko.xz")
	[ "$(echo "$ko" | grep -c .)" = 1 ] || die "want one $m.ko.xz in $ktree, have: ${ko:-none}"
	xz -dc "$ko" >"$root/usr/lib/modules/$release/$m.ko"
done <"$root/etc/modules"
"$TOP/tests/images/mkcpio.sh" "$root" "$out"
rm -rf "$root"
