#!/usr/bin/env bash
# mkext4.sh ROOT OUT SIZE  Make OUT, an ext4 filesystem image of SIZE (as
# mke2fs takes it: 512M) holding the tree ROOT, with e2fsprogs' 'mke2fs -d'
# (no root privileges, no loop device). The file is sparse: holes in ROOT's
# files stay holes, and so does the free space. Fixed UUID and directory
# hash seed, every mtime SOURCE_DATE_EPOCH (default 0), root owns '/'; the
# inode change times are the build's (mke2fs copies them), so two builds
# differ in those bytes only.
set -euo pipefail
root=$1 out=$2 size=$3
epoch=${SOURCE_DATE_EPOCH:-0}
find "$root" -exec touch -h -d "@$epoch" {} +
tmp=$out.tmp
rm -f "$tmp"
E2FSPROGS_FAKE_TIME=$epoch mke2fs -q -F -t ext4 -L root \
	-U 6c306c30-0000-4000-8000-000000000001 \
	-E root_owner=0:0,hash_seed=6c306c30-0000-4000-8000-000000000002 \
	-d "$root" "$tmp" "$size" >/dev/null
mv "$tmp" "$out"
