#!/usr/bin/env bash
# run.sh L0_BIN [CASE...]  Debian Linux guests under L0 on QEMU virt: each
# case builds L0's initrd from a config in configs/ and the guest images,
# boots it under a hard timeout (log: build/logs/vm-CASE.log) and checks,
# line by line, that every VM boots, runs its workload and shuts down, and
# that L0 reports each VM's end.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib/runner.sh"
L0_BIN=$1
shift
LOGS=${L0_LOGS:-$TOP/build/logs}
OUT=$TOP/build/vm
IMG=${L0_IMAGES:-$TOP/.cache/images}
TIMEOUT=${VM_TIMEOUT:-180}
# sha256 of 32 MiB of zeros, first 16 hex digits: what the guest prints.
ZEROS_SHA=83ee47245398adee

# name        config               harts memory cpu              VMs
CASES=(
	"linux-2vcpu linux.dts            2     2G    rv64             linux0"
	"two-vms     linux-two-vms.dts    4     2G    rv64             linux0,linux1"
	"one-hart    linux-one-hart.dts   2     2G    rv64             linux0"
	"no-sstc     linux.dts            2     2G    rv64,sstc=false  linux0"
)

has() {
	grep -qE "^ *[0-9.]+ \| $1" "$log"
}

# check CASE WHAT REGEX
check() {
	if has "$3"; then pass "$1: $2"; else fail "$1: $2" "no line matching '$3'; see $log"; fi
}

check_vm() {
	local name=$1 vm=$2
	check "$name" "$vm boots with 2 harts" "\[$vm\] L2: start cpus=2$GUEST_EOL"
	check "$name" "$vm's console runs on its UART's interrupts" "\[$vm\] L2: ttyS0 interrupts [1-9][0-9]*$GUEST_EOL"
	check "$name" "$vm runs its workload" "\[$vm\] L2: done sha256=$ZEROS_SHA uptime=[0-9.]+$GUEST_EOL"
	check "$name" "L0 reports $vm's shutdown" "L0: VM $vm stopped: the guest shut down$"
	check "$name" "L0 prints $vm's trap counts" "L0: VM $vm: traps total [0-9]+, MMIO exits [0-9]+$"
}

# boot NAME CONFIG ROOTFS HARTS MEM CPU [console.py options...]: L0 with
# its initrd made from CONFIG, the kernel $KERNEL (default: the 6.12 one)
# and ROOTFS, on a machine with the qemu.sh options in QEMU_DEVICES (--disk,
# --net); sets rc.
boot() {
	local name=$1 config=$2 rootfs=$3 harts=$4 mem=$5 cpu=$6
	local initrd=$OUT/$name.cpio
	shift 6
	log=$LOGS/vm-$name.log
	if ! "$TOP/tests/vm/mkinitrd.sh" "$initrd" "$TOP/configs/$config" \
		"Image=$IMG/${KERNEL:-Image-6.12}" "rootfs.cpio.gz=$IMG/$rootfs"; then
		rc=1
		echo "could not build $initrd" >"$log"
		return
	fi
	python3 "$TOP/tests/lib/console.py" "$@" "$log" timeout --kill-after=5 \
		"$TIMEOUT" "$TOP/tests/boot/qemu.sh" --smp "$harts" --mem "$mem" \
		--cpu "$cpu" --initrd "$initrd" --append l0.poweroff \
		"${QEMU_DEVICES[@]}" "$L0_BIN"
	rc=$?
}

# check_end NAME: L0 ended cleanly after the last VM.
check_end() {
	local name=$1
	check "$name" "L0 powers off after the last VM" "L0: all VMs have stopped$"
	if has "L0 panic|trap: |stopped after an unexpected trap|L0 bug"; then
		fail "$name: no L0 panic or fatal trap" "see $log"
	fi
	case $rc in
	0) pass "$name: QEMU exits cleanly" ;;
	124 | 137) fail "$name: QEMU exits cleanly" "timed out after ${TIMEOUT}s; see $log" ;;
	*) fail "$name: QEMU exits cleanly" "exit status $rc; see $log" ;;
	esac
}

run_case() {
	local name=$1 config=$2 harts=$3 mem=$4 cpu=$5 vms=$6 vm
	boot "$name" "$config" l2.cpio.gz "$harts" "$mem" "$cpu"
	for vm in ${vms//,/ }; do
		check_vm "$name" "$vm"
	done
	check_end "$name"
}

# The console: typed input reaches the guest's shell through L0's UART and
# the guest's 16550; the guest counts its harts in /proc/cpuinfo.
run_console_case() {
	local name=console-input
	boot "$name" linux.dts l2-shell.cpio.gz 2 2G rv64 \
		--send 'L2: start cpus=2$' 'grep -c ^processor /proc/cpuinfo\n' \
		--send '^\[linux0\] 2$' 'poweroff -f\n'
	check "$name" "L0 gives the input to linux0" "L0: console input goes to VM linux0 "
	check "$name" "the shell echoes the typed command" "\[linux0\] .*# grep -c \^processor /proc/cpuinfo$GUEST_EOL"
	check "$name" "/proc/cpuinfo lists 2 harts" "\[linux0\] 2$GUEST_EOL"
	check "$name" "L0 reports linux0's shutdown" "L0: VM linux0 stopped: the guest shut down$"
	check_end "$name"
}

# A nested-enabled L1: L0 emulates the H extension, Debian's KVM in L1 finds
# it and runs an L2 Linux (through L1's QEMU with -accel kvm) on L0's shadow
# G-stage; L2 runs its workload and powers off, then L1 does. The three
# levels, end to end. L2's lines reach us only through its ttyS0 (L1's QEMU
# emulates the 16550, its interrupts cross both levels). NACL says what L1's
# KVM must say of SBI nested acceleration: "on" (it uses every feature),
# "off" (it does without) or "-" (a kernel without it: nothing).
# name             config                L1 kernel   L1 image         L2 vCPUs  hgatp   NACL
NESTED_CASES=(
	"nested-l2        nested.dts            Image-6.12  l1.cpio.gz       1         Sv48x4  -"
	"nested-l2-smp    nested-sv39x4.dts     Image-6.12  l1-smp.cpio.gz   2         Sv39x4  -"
	"nested-nacl      nested.dts            Image-7.2   l1-k7.2.cpio.gz  1         Sv48x4  on"
	"nested-nacl-off  nested-nacl-off.dts   Image-7.2   l1-k7.2.cpio.gz  1         Sv48x4  off"
	"nested-direct-map nested-direct-map.dts Image-7.2  l1-k7.2.cpio.gz  1         Sv48x4  on"
)

# check_nacl NAME on|off|-: what L1's KVM says of SBI nested acceleration.
check_nacl() {
	local name=$1 re="\[linux0\] L1: dmesg: .*kvm.*: using SBI nested acceleration"
	case $2 in
	on) check "$name" "L1's KVM uses SBI nested acceleration" \
		"$re with sync_csr, sync_hfence, sync_sret, autoswap_csr$" ;;
	off) if has "$re"; then
		fail "$name: L1's KVM does without SBI nested acceleration" "it uses it; see $log"
	else
		pass "$name: L1's KVM does without SBI nested acceleration"
	fi ;;
	esac
}

run_nested_case() {
	local name=$1 config=$2 KERNEL=$3 rootfs=$4 l2cpus=$5 hgatp=$6 nacl=$7
	local TIMEOUT=${NESTED_TIMEOUT:-480}
	boot "$name" "$config" "$rootfs" 2 3G rv64
	check "$name" "L1 boots with 2 harts" "\[linux0\] L1: init uptime=[0-9.]+ kernel=[^ ]+ cpus=2$GUEST_EOL"
	check "$name" "L1's CRNG is ready at once (rng-seed from L0)" "\[linux0\] \[ *0\.0+\] random: crng init done$"
	check "$name" "L1's KVM finds the H extension" "\[linux0\] L1: dmesg: .*kvm.*: hypervisor extension available$"
	check_nacl "$name" "$nacl"
	check "$name" "L1 has /dev/kvm" "\[linux0\] L1: /dev/kvm ok$GUEST_EOL"
	# 6.12 says "using Sv48x4 G-stage page table format", 7.2 "highest
	# G-stage page table mode is Sv48x4".
	check "$name" "L1's KVM picks $hgatp, the largest L0 offers" "\[linux0\] .*kvm.*: (using $hgatp G-stage page table format|highest G-stage page table mode is $hgatp)$"
	check "$name" "L2 boots with $l2cpus vCPU(s) under L1's KVM" "\[linux0\] L2: start cpus=$l2cpus$GUEST_EOL"
	check "$name" "L2's console runs on its UART's interrupts (through L1's KVM)" "\[linux0\] L2: ttyS0 interrupts [1-9][0-9]*$GUEST_EOL"
	check "$name" "L2 runs its workload" "\[linux0\] L2: done sha256=$ZEROS_SHA uptime=[0-9.]+$GUEST_EOL"
	check "$name" "L2 exits with status 0" "\[linux0\] L1: L2 exit status 0$GUEST_EOL"
	check "$name" "L0 reports L1's shutdown" "L0: VM linux0 stopped: the guest shut down$"
	check "$name" "L0 counts its nested switches" "L0: VM linux0: nested switches into L2 [1-9][0-9]*$"
	# On its faults, or on L1's fence of a page it has just mapped.
	check "$name" "L0 fills L2's shadow G-stage" "L0: VM linux0: shadow (faults: huge [0-9]+, small [1-9]|pages mapped ahead [0-9]+, again after L1's fence [1-9])"
	check_end "$name"
}

# A disk the test writes: a known line, then numbers; first MiB's sha256.
make_disk() {
	{ echo "L0 passthrough test disk"; seq 1 200000; } | head -c 1048576 >"$1"
	truncate -s 2M "$1"
	head -c 1048576 "$1" | sha256sum | cut -c 1-16
}

# The guest that owns the disk reads it through the virtio-blk driver, on
# its own device's interrupts forwarded by L0, with its RAM direct-mapped.
check_blk_guest() {
	local name=$1 sum=$2 hpa
	check "$name" "linux0 boots with 2 harts" "\[linux0\] L2: start cpus=2$GUEST_EOL"
	check "$name" "linux0 reads its passed-through disk (virtio-blk, DMA to its RAM)" \
		"\[linux0\] L2: vda sha256=$sum irqs=[1-9][0-9]*$GUEST_EOL"
	hpa=$(sed -n 's/.*L0: VM linux0: 2 vCPU(s), 512 MiB at host 0x\([0-9a-f]*\).*/\1/p' "$log")
	check "$name" "linux0's RAM is direct-mapped (its memory node is at the host address)" \
		"\[linux0\] L2: memory@${hpa:-none}$GUEST_EOL"
	check "$name" "L0 reports linux0's shutdown" "L0: VM linux0 stopped: the guest shut down$"
	check "$name" "L0 counts linux0's forwarded device interrupts" \
		"L0: VM linux0: device interrupts forwarded [1-9][0-9]*, L0 traps for them [1-9][0-9]*$"
	# Level-triggered forwarding: each host interrupt is one the guest
	# handles (nothing lost, no storm of repeats while it is claimed).
	local guest l0
	guest=$(sed -n 's/.*\[linux0\] L2: vda sha256=[0-9a-f]* irqs=\([0-9]*\).*/\1/p' "$log")
	l0=$(sed -n 's/.*L0: VM linux0: device interrupts forwarded \([0-9]*\),.*/\1/p' "$log")
	if [ -n "$guest" ] && [ "$guest" = "$l0" ]; then
		pass "$name: L0 forwarded as many disk interrupts as linux0 handled ($l0)"
	else
		fail "$name: L0 forwarded as many disk interrupts as linux0 handled" \
			"L0 ${l0:-?}, linux0 ${guest:-?}; see $log"
	fi
}

run_blk_case() {
	local name=passthrough-blk sum QEMU_DEVICES
	sum=$(make_disk "$OUT/$name.img")
	QEMU_DEVICES=(--disk "$OUT/$name.img")
	boot "$name" passthrough-disk.dts l2-blk.cpio.gz 2 2G rv64
	check_blk_guest "$name" "$sum"
	check_end "$name"
}

# refused NAME GUEST REASON: L0's one line for a guest it does not start.
refused() {
	if grep -qF "L0: guests/$2: passthrough: $3" "$log" &&
		! grep -qF "L0: VM $2: " "$log"; then
		pass "$1: guest $2 is refused: $3"
	else
		fail "$1: guest $2 is refused: $3" "no such line, or it started; see $log"
	fi
}

run_bad_case() {
	local name=passthrough-bad sum QEMU_DEVICES
	sum=$(make_disk "$OUT/$name.img")
	QEMU_DEVICES=(--disk "$OUT/$name.img" --net)
	boot "$name" passthrough-bad.dts l2-blk.cpio.gz 2 2G rv64
	refused "$name" taken "/soc/virtio_mmio@10008000: already passed through to guests/linux0"
	refused "$name" no-direct-map "needs direct-map"
	refused "$name" console "/soc/serial@10000000: L0's console UART"
	refused "$name" plic "/soc/plic@c000000: an interrupt controller (L0's)"
	refused "$name" ram "/memory@80000000: reg: 0x80000000 overlaps RAM"
	refused "$name" missing "/soc/virtio_mmio@20000000: not in the host device tree"
	refused "$name" unaligned "/fw-cfg@10100000: reg: 0x10100000+0x18 is not page aligned"
	check_blk_guest "$name" "$sum"
	check_end "$name"
}

QEMU_DEVICES=()
mkdir -p "$LOGS" "$OUT"
for c in "${CASES[@]}"; do
	read -r name config harts mem cpu vms <<<"$c"
	if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then
		run_case "$name" "$config" "$harts" "$mem" "$cpu" "$vms"
	fi
done
if [ $# -eq 0 ] || [[ " $* " == *" console-input "* ]]; then
	run_console_case
fi
if [ $# -eq 0 ] || [[ " $* " == *" passthrough-blk "* ]]; then
	run_blk_case
fi
if [ $# -eq 0 ] || [[ " $* " == *" passthrough-bad "* ]]; then
	run_bad_case
fi
for c in "${NESTED_CASES[@]}"; do
	read -r name config kernel rootfs l2cpus hgatp nacl <<<"$c"
	if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then
		run_nested_case "$name" "$config" "$kernel" "$rootfs" "$l2cpus" "$hgatp" "$nacl"
	fi
done
summary
