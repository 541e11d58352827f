#!/usr/bin/env bash
# mkcpio.sh ROOT OUT  Pack ROOT as a reproducible gzip'd newc cpio: sorted
# names, every mtime set to SOURCE_DATE_EPOCH (default 0), owner root, no
# inode numbers or gzip timestamp, so the same inputs give the same bytes.
set -euo pipefail
root=$1 out=$2
epoch=${SOURCE_DATE_EPOCH:-0}
find "$root" -exec touch -h -d "@$epoch" {} +
tmp=$out.tmp
(cd "$root" && find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort |
	cpio --quiet -o -H newc --reproducible -R 0:0) | gzip -n -6 >"$tmp"
mv "$tmp" "$out"
