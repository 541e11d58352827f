#!/usr/bin/env bash
# disknet.sh  Bench the devices that a guest owns: the nested disk case
# (disk-nested: L1 from its virtio-blk disk, L2 from its disk image through
# L1's QEMU) with disknet.read=256 and a 64 MiB file, run RUNS times
# (DISKNET_RUNS, default 1: one nested run takes minutes) on bare QEMU
# (tests/reference/run.sh: QEMU's own H extension) and under L0
# (tests/vm/run.sh: passthrough, direct-map), and record the medians (guest
# seconds, from the guests' lines):
#   l1_disk_read_s_bare, l1_disk_read_s_l0    L1: 256 MiB from /dev/vda, O_DIRECT
#   l1_net_s_bare, l1_net_s_l0                L1: 64 MiB over HTTP from the host
#   l2_disk_read_s_ref, l2_disk_read_s_nested L2: the same, its disk through L1's QEMU
#   l2_net_s_ref, l2_net_s_nested             L2: the same, through L1
#   l1_disk_read_ratio_l0_over_bare, l1_net_ratio_l0_over_bare,
#   l2_disk_read_ratio_nested_over_ref, l2_net_ratio_nested_over_ref
#   l0_traps_per_device_irq                   L0's traps per forwarded
#                                             device interrupt, whole run
# Both runners check every line of the case as make test does; a run that
# fails records nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
RUNS=${DISKNET_RUNS:-1}
KEYS=(l1_disk_read_s_bare l1_disk_read_s_l0 l1_net_s_bare l1_net_s_l0
	l2_disk_read_s_ref l2_disk_read_s_nested l2_net_s_ref l2_net_s_nested
	l1_disk_read_ratio_l0_over_bare l1_net_ratio_l0_over_bare
	l2_disk_read_ratio_nested_over_ref l2_net_ratio_nested_over_ref
	l0_traps_per_device_irq)
record unset "${KEYS[@]}"
export DISKNET_MIB=64 DISKNET_ARGS=disknet.read=256
export REF_TIMEOUT=${BENCH_TIMEOUT:-900} NESTED_TIMEOUT=${BENCH_TIMEOUT:-900}

# seconds LOG LEVEL WHAT: the seconds= of LEVEL's line WHAT (http, vda read).
seconds() {
	local v
	v=$(sed -nE "s/^ *[0-9.]+ \| (\[[^]]*\] )?$2: $3 .*seconds=([0-9.]+).*/\2/p" "$1" | head -n 1)
	[ -n "$v" ] || fail "no '$2: $3 ... seconds=' line in $1"
	echo "$v"
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A got
for i in $(seq "$RUNS"); do
	for side in bare l0; do
		logs=$LOGS/bench-disknet-$side-$i
		if [ "$side" = bare ]; then
			L0_LOGS=$logs "$TOP/tests/reference/run.sh" disk-nested >"$logs.out" ||
				fail "bare QEMU run $i failed; see $logs.out"
			log=$logs/reference-disk-nested.log
		else
			L0_LOGS=$logs "$TOP/tests/vm/run.sh" "$L0_BIN" disk-nested >"$logs.out" ||
				fail "L0 run $i failed; see $logs.out"
			log=$logs/vm-disk-nested.log
		fi
		got[l1_disk_$side]+=" $(seconds "$log" L1 'vda read MiB=256')"
		got[l1_net_$side]+=" $(seconds "$log" L1 http)"
		got[l2_disk_$side]+=" $(seconds "$log" L2 'vda read MiB=256')"
		got[l2_net_$side]+=" $(seconds "$log" L2 http)"
		if [ "$side" = l0 ]; then
			got[irq]+=" $(l0_vm_line "$log" "device interrupts forwarded N, L0 traps for them M" \
				'device interrupts forwarded ([0-9]+), L0 traps for them ([0-9]+)' \
				'\2 \1' | awk '{ printf "%.2f", $1 / $2 }')"
		fi
		echo "disknet: run $i $side: L1 disk/net ${got[l1_disk_$side]##* }/${got[l1_net_$side]##* } s, L2 ${got[l2_disk_$side]##* }/${got[l2_net_$side]##* } s"
	done
done
# shellcheck disable=SC2086  # lists of numbers
{
	l1db=$(median ${got[l1_disk_bare]}) l1dl=$(median ${got[l1_disk_l0]})
	l1nb=$(median ${got[l1_net_bare]}) l1nl=$(median ${got[l1_net_l0]})
	l2db=$(median ${got[l2_disk_bare]}) l2dl=$(median ${got[l2_disk_l0]})
	l2nb=$(median ${got[l2_net_bare]}) l2nl=$(median ${got[l2_net_l0]})
	irq=$(median ${got[irq]})
}
record set l1_disk_read_s_bare "$l1db" l1_disk_read_s_l0 "$l1dl" \
	l1_net_s_bare "$l1nb" l1_net_s_l0 "$l1nl" \
	l2_disk_read_s_ref "$l2db" l2_disk_read_s_nested "$l2dl" \
	l2_net_s_ref "$l2nb" l2_net_s_nested "$l2nl" \
	l1_disk_read_ratio_l0_over_bare "$(divide "$l1dl" "$l1db")" \
	l1_net_ratio_l0_over_bare "$(divide "$l1nl" "$l1nb")" \
	l2_disk_read_ratio_nested_over_ref "$(divide "$l2dl" "$l2db")" \
	l2_net_ratio_nested_over_ref "$(divide "$l2nl" "$l2nb")" \
	l0_traps_per_device_irq "$irq"
