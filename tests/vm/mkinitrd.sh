#!/usr/bin/env bash
# mkinitrd.sh OUT CONFIG.dts NAME=FILE...  Make L0's initrd: a newc cpio
# archive (uncompressed: L0 reads it in place) holding guests.dtb, compiled
# from CONFIG.dts, and each FILE under the NAME the config gives it.
set -euo pipefail
out=$(realpath -m "$1") config=$2
shift 2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
dtc -q -I dts -O dtb -o "$dir/guests.dtb" "$config"
for pair in "$@"; do
	cp "${pair#*=}" "$dir/${pair%%=*}"
done
mkdir -p "$(dirname "$out")"
(cd "$dir" && find . -type f | LC_ALL=C sort |
	cpio --quiet -o -H newc --reproducible --owner=0:0 >"$out.tmp")
mv "$out.tmp" "$out"
