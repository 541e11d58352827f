#!/usr/bin/env bash
# kernel.sh UNPACKED OUT  Copy the kernel of an unpacked Debian riscv64 kernel
# package to OUT. Debian's riscv64 'vmlinux'/'vmlinuz' is a flat EFI-stub
# Image (not ELF, not compressed), which QEMU and L0 boot as it is; check it
# by the RISC-V Image header's magic ("RSC\x05" at byte 56) rather than trust it.
set -euo pipefail
src=$1 out=$2
kernel=
for f in "$src"/boot/vmlinux-* "$src"/usr/lib/modules/*/vmlinuz; do
	[ -f "$f" ] && kernel=$f && break
done
[ -n "$kernel" ] || { echo "kernel.sh: no kernel under $src" >&2; exit 1; }
magic=$(dd if="$kernel" bs=1 skip=56 count=4 status=none | od -An -c | tr -d ' ')
[ "$magic" = 'RSC005' ] || { echo "kernel.sh: $kernel is not a RISC-V Image (magic '$magic')" >&2; exit 1; }
cp "$kernel" "$out.tmp"
mv "$out.tmp" "$out"
