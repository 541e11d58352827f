#!/usr/bin/env bash
# disknet.sh  Bench the devices that a guest owns: the nested disk case
# (disk-nested: L1 from its virtio-blk disk, L2 from its disk image through
# L1's QEMU) with disknet.read=64 and a 16 MiB file (DISKNET_READ_MIB,
# DISKNET_MIB: 256 and 64 took 5 more minutes a round), run RUNS times
# (DISKNET_RUNS, default 1: one nested run takes minutes) on bare QEMU
# (tests/reference/run.sh: QEMU's own H extension) and under L0
# (tests/vm/run.sh: passthrough, direct-map), interleaved, and record the
# medians (guest seconds, from the guests' lines; each ratio the median of
# the rounds' own ratios), each with _min and _max beside it:
#   l1_disk_read_s_bare, l1_disk_read_s_l0    L1: 64 MiB from /dev/vda, O_DIRECT
#   l1_net_s_bare, l1_net_s_l0                L1: 16 MiB over HTTP from the host
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
# One round of this bench takes minutes on 2 shared cores: 1 by
# default, not BENCH_RUNS, to keep 'make bench' under 25 minutes.
# shellcheck disable=SC2034  # lib.sh's interleave reads it
RUNS=${DISKNET_RUNS:-1}
KEYS=(l1_disk_read_s_bare l1_disk_read_s_l0 l1_net_s_bare l1_net_s_l0
	l2_disk_read_s_ref l2_disk_read_s_nested l2_net_s_ref l2_net_s_nested
	l1_disk_read_ratio_l0_over_bare l1_net_ratio_l0_over_bare
	l2_disk_read_ratio_nested_over_ref l2_net_ratio_nested_over_ref
	l0_traps_per_device_irq)
unspread "${KEYS[@]}"
READ_MIB=${DISKNET_READ_MIB:-64}
export DISKNET_MIB=${DISKNET_MIB:-16} DISKNET_ARGS=disknet.read=$READ_MIB
export REF_TIMEOUT=${BENCH_TIMEOUT:-900} NESTED_TIMEOUT=${BENCH_TIMEOUT:-900}

# seconds LOG LEVEL WHAT: the seconds= of LEVEL's line WHAT (http, vda read).
seconds() {
	local v
	v=$(sed -nE "s/^ *[0-9.]+ \| (\[[^]]*\] )?$2: $3 .*seconds=([0-9.]+).*/\2/p" "$1" | head -n 1)
	[ -n "$v" ] || fail "no '$2: $3 ... seconds=' line in $1"
	echo "$v"
}

declare -A got
# shellcheck disable=SC2317  # called by interleave
round() {
	local i=$1 side logs log v irq
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
		v=$(seconds "$log" L1 "vda read MiB=$READ_MIB")
		got[l1_disk_$side]+=" $v"
		v=$(seconds "$log" L1 http)
		got[l1_net_$side]+=" $v"
		v=$(seconds "$log" L2 "vda read MiB=$READ_MIB")
		got[l2_disk_$side]+=" $v"
		v=$(seconds "$log" L2 http)
		got[l2_net_$side]+=" $v"
		if [ "$side" = l0 ]; then
			irq=$(l0_vm_line "$log" "device interrupts forwarded N, L0 traps for them M" \
				'device interrupts forwarded ([0-9]+), L0 traps for them ([0-9]+)' \
				'\2 \1')
			got[irq]+=" $(echo "$irq" | awk '{ printf "%.2f", $1 / $2 }')"
		fi
		echo "disknet: run $i $side: L1 disk/net ${got[l1_disk_$side]##* }/${got[l1_net_$side]##* } s, L2 ${got[l2_disk_$side]##* }/${got[l2_net_$side]##* } s"
	done
	# This round's ratios: the L0 run over the bare run beside it.
	for v in l1_disk l1_net l2_disk l2_net; do
		got[ratio_$v]+=" $(divide "${got[${v}_l0]##* }" "${got[${v}_bare]##* }")"
	done
}
interleave round

# Each key and the figures it takes (got's index).
# shellcheck disable=SC2086  # lists of numbers
while read -r key index; do
	spread "$key" ${got[$index]}
done <<'EOF'
l1_disk_read_s_bare l1_disk_bare
l1_disk_read_s_l0 l1_disk_l0
l1_net_s_bare l1_net_bare
l1_net_s_l0 l1_net_l0
l2_disk_read_s_ref l2_disk_bare
l2_disk_read_s_nested l2_disk_l0
l2_net_s_ref l2_net_bare
l2_net_s_nested l2_net_l0
l1_disk_read_ratio_l0_over_bare ratio_l1_disk
l1_net_ratio_l0_over_bare ratio_l1_net
l2_disk_read_ratio_nested_over_ref ratio_l2_disk
l2_net_ratio_nested_over_ref ratio_l2_net
l0_traps_per_device_irq irq
EOF
