#!/usr/bin/env bash
# build-l2.sh OUT MODE [KERNEL_TREE | PERF_COUNT]  L2 initramfs: busybox and
# l2/init; MODE is 'run' (markers, workload, power off), 'shell' (first
# marker, then a shell), 'blk' (read the passed-through virtio disk
# /dev/vda, power off: with the virtio_mmio and virtio_blk modules of
# KERNEL_TREE's kernel, which Debian builds as modules) or 'pmu' (with the
# built PERF_COUNT, l2/perf-count.c: measures itself through perf, or keeps
# busy beside a VM that does; tests/vm/run.sh pmu).
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
if [ "$mode" = blk ]; then
	# Decompressed here: neither busybox's insmod nor the kernel need .xz.
	ktree=$3 release=$(kernel_release "$3")
	mkdir -p "$root/usr/lib/modules/$release"
	for m in virtio/virtio_mmio block/virtio_blk; do
		ko=$ktree/usr/lib/modules/$release/kernel/drivers/$m.ko.xz
		[ -f "$ko" ] || die "no $m.ko.xz in $ktree for $release"
		xz -dc "$ko" >"$root/usr/lib/modules/$release/${m#*/}.ko"
	done
fi
if [ "$mode" = pmu ]; then
	install -m 755 "$3" "$root/usr/bin/perf-count"
fi
if [ "$mode" = disk ]; then
	install -m 755 "$TOP/tests/images/disknet" "$root/usr/bin/disknet"
	ln -s ../../init "$root/usr/sbin/init"
	"$TOP/tests/images/mkext4.sh" "$root" "$out" 320M
else
	"$TOP/tests/images/mkcpio.sh" "$root" "$out"
fi
rm -rf "$root"
