#!/usr/bin/env bash
# build-l2.sh OUT MODE  L2 initramfs: busybox and l2/init; MODE is 'run'
# (markers, workload, power off) or 'shell' (first marker, then a shell).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
out=$1 mode=$2
root=$(realpath -m "$out.root")
stage_base "$root"
install -m 755 "$TOP/tests/images/l2/init" "$root/init"
echo "MODE=$mode" >"$root/etc/image.conf"
"$TOP/tests/images/mkcpio.sh" "$root" "$out"
rm -rf "$root"
