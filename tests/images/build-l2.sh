#!/usr/bin/env bash
# build-l2.sh OUT MODE  L2 initramfs: busybox and l2/init; MODE is 'run'
# (markers, workload, power off) or 'shell' (first marker, then a shell).
# MODE 'disk' makes L2's disk image instead: an ext4 filesystem (320 MiB,
# sparse: the bench reads 256 MiB of it) with l2/init as /sbin/init and the
# disknet steps, booted by the vda initramfs (build-vda.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
out=$1 mode=$2
root=$(realpath -m "$out.root")
stage_base "$root"
install -m 755 "$TOP/tests/images/l2/init" "$root/init"
echo "MODE=$mode" >"$root/etc/image.conf"
if [ "$mode" = disk ]; then
	install -m 755 "$TOP/tests/images/disknet" "$root/usr/bin/disknet"
	ln -s ../../init "$root/usr/sbin/init"
	"$TOP/tests/images/mkext4.sh" "$root" "$out" 320M
else
	"$TOP/tests/images/mkcpio.sh" "$root" "$out"
fi
rm -rf "$root"
