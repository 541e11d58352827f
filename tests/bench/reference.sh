#!/usr/bin/env bash
# reference.sh  Bench the reference run (QEMU's H extension, L2 with 1 vCPU)
# and record, in host seconds from the console log's stamps:
#   ref_l1_init_s    QEMU start -> L1's /init prints its first line
#   ref_l2_marker_s  L1 starts L2's VMM -> L2's first marker
#   ref_total_s      QEMU start -> QEMU exits after L1 powers off
# The run must pass all its checks first: a failed run records nothing.
# REF_LOG=LOG takes the figures from LOG, a passed run of the case made
# before (make bench: the first round of nested-mmu.sh's), and runs nothing.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
LOGS=${L0_LOGS:-$TOP/build/logs}
log=${REF_LOG:-$LOGS/reference-l2-1cpu.log}

[ -n "${REF_LOG:-}" ] || "$TOP/tests/reference/run.sh" l2-1cpu

# stamp REGEX: host seconds of the first console line matching REGEX.
stamp() {
	local t
	t=$(grep -m1 -E "^ *[0-9.]+ \| $1" "$log" | cut -d'|' -f1 | tr -d ' ')
	[ -n "$t" ] || { echo "bench: no '$1' in $log" >&2; exit 1; }
	echo "$t"
}
l1_init=$(stamp 'L1: init ')
l2_launch=$(stamp 'L1: starting L2')
l2_marker=$(stamp 'L2: start ')
total=$(stamp '\[console\] exit status')
python3 "$TOP/tests/bench/record.py" set \
	ref_l1_init_s "$l1_init" \
	ref_l2_marker_s "$(awk -v a="$l2_marker" -v b="$l2_launch" 'BEGIN { printf "%.3f", a - b }')" \
	ref_total_s "$total"
[ -n "${REF_LOG:-}" ] || python3 "$TOP/tests/bench/record.py" table
