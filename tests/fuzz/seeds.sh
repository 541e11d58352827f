#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# seeds.sh NAME DIR: put the seed inputs of fuzz target NAME into its corpus
# DIR, made here from the tree's own sources (nothing binary is checked in):
# config: the guest configurations of configs/ and tests/unit/dts/, compiled
# by dtc; cpio: small newc archives (plain and "crc") written by cpio. The
# other targets read their input as a stream of operations and start from
# nothing. Seeds already there are kept.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
name=$1 dir=$2
mkdir -p "$dir"

case $name in
fuzz_config)
	for dts in "$TOP"/configs/*.dts "$TOP"/tests/unit/dts/guests-*.dts; do
		out=$dir/seed-$(basename "$(dirname "$dts")")-$(basename "$dts" .dts)
		[ -e "$out" ] ||
			dtc -q -I dts -O dtb -i "$TOP/configs" -o "$out" "$dts" ||
			rm -f "$out"
	done
	;;
fuzz_cpio)
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	mkdir -p "$tmp/src/guests"
	printf 'dtb' >"$tmp/src/guests.dtb"
	printf 'kernel image\n' >"$tmp/src/Image"
	printf 'x' >"$tmp/src/guests/a"
	ln -s Image "$tmp/src/link"
	for fmt in newc crc; do
		# The target's first byte picks the name it looks up: 0, guests.dtb.
		[ -e "$dir/seed-$fmt" ] && continue
		printf '\0' >"$dir/seed-$fmt"
		(cd "$tmp/src" && find . | LC_ALL=C sort |
			cpio -o -H $fmt --quiet) >>"$dir/seed-$fmt"
	done
	;;
esac
