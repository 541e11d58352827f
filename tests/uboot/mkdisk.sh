#!/usr/bin/env bash
# mkdisk.sh OUT DIR  A disk image as a board's SD card or boot disk looks to
# U-Boot: an MBR partition table with one bootable Linux partition, an ext4
# file system holding DIR's files (mke2fs -d: no mounting, no root).
set -euo pipefail
out=$1 dir=$2
start=2048 # sectors: the partition starts at 1 MiB
kib=$(( $(du -sk "$dir" | cut -f1) * 5 / 4 + 8192 ))
fs=$out.fs
rm -f "$fs"
mke2fs -q -F -t ext4 -L boot -d "$dir" "$fs" "${kib}k"
python3 - "$out.tmp" "$fs" "$start" <<'PY'
import os, struct, sys
out, fs, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
sectors = os.path.getsize(fs) // 512
# One MBR entry: bootable (0x80), type 0x83 (Linux), LBA start and length;
# the CHS fields say "use LBA" (0xfe 0xff 0xff).
entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x83,
                    b"\xfe\xff\xff", start, sectors)
mbr = bytearray(512)
mbr[440:444] = b"L0bt"  # disk signature
mbr[446:462] = entry
mbr[510:512] = b"\x55\xaa"
with open(out, "wb") as f, open(fs, "rb") as src:
    f.write(mbr)
    f.write(bytes(start * 512 - 512))
    while chunk := src.read(1 << 20):
        f.write(chunk)
PY
rm -f "$fs"
mv "$out.tmp" "$out"
