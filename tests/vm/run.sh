#!/usr/bin/env bash
# run.sh L0_BIN [CASE...]  Debian Linux guests under L0 on QEMU virt: each
# case builds L0's initrd from a config in configs/ and the guest images,
# boots it under a hard timeout (log: build/logs/vm-CASE.log) and checks,
# line by line, that every VM boots, runs its workload and shuts down, and
# that L0 reports each VM's end. A case whose name ends in -aia runs on an
# AIA host (QEMU virt,aia=aplic-imsic: L0 takes its interrupts at an IMSIC
# file, from the APLIC in MSI mode); VM_MACHINE=MACHINE runs every other
# case on that QEMU machine instead of plain virt (e.g. virt,aia=aplic).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib/runner.sh"
. "$TOP/tests/lib/disknet.sh"
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
	"two-vms-aia linux-two-vms.dts    4     2G    rv64             linux0,linux1"
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

# check_vm NAME VM [PREFIX]: VM booted, ran its workload and stopped; PREFIX
# (a regex) comes before each of its lines: "\[l0\] " when an L0 that runs as
# a guest of L0 printed them.
check_vm() {
	local name=$1 vm=$2 p=${3:-}
	check "$name" "$vm boots with 2 harts" "$p\[$vm\] L2: start cpus=2$GUEST_EOL"
	check "$name" "$vm's console runs on its UART's interrupts" "$p\[$vm\] L2: ttyS0 interrupts [1-9][0-9]*$GUEST_EOL"
	check "$name" "$vm runs its workload" "$p\[$vm\] L2: done sha256=$ZEROS_SHA uptime=[0-9.]+$GUEST_EOL"
	check "$name" "L0 reports $vm's shutdown" "${p}L0: VM $vm stopped: the guest shut down$"
	check "$name" "L0 prints $vm's trap counts" "${p}L0: VM $vm: traps total [0-9]+, MMIO exits [0-9]+$"
}

# boot NAME CONFIG ROOTFS HARTS MEM CPU [console.py options...]: L0 with
# its initrd made from CONFIG (in configs/, or a path), the kernel $KERNEL
# (default: the 6.12 one) and ROOTFS, on a machine with the qemu.sh options
# in QEMU_DEVICES (--disk, --net); sets rc.
boot() {
	local name=$1 config=$2 rootfs=$3 harts=$4 mem=$5 cpu=$6
	local initrd=$OUT/$name.cpio
	shift 6
	log=$LOGS/vm-$name.log
	[[ $config == /* ]] || config=$TOP/configs/$config
	if ! "$TOP/tests/vm/mkinitrd.sh" "$initrd" "$config" \
		"Image=$IMG/${KERNEL:-Image-6.12}" "rootfs.cpio.gz=$IMG/$rootfs"; then
		rc=1
		echo "could not build $initrd" >"$log"
		return
	fi
	boot_initrd "$initrd" "$harts" "$mem" "$cpu" "$@"
}

# AIA_MACHINE: the host of the -aia cases.
AIA_MACHINE=virt,aia=aplic-imsic

# host_machine NAME: the QEMU machine case NAME runs on.
host_machine() {
	case $1 in
	*-aia) echo "$AIA_MACHINE" ;;
	*) echo "${VM_MACHINE:-virt}" ;;
	esac
}

# boot_initrd INITRD HARTS MEM CPU [console.py options...]: L0 on QEMU with
# its initrd archive INITRD (log in $log); sets rc.
boot_initrd() {
	local initrd=$1 harts=$2 mem=$3 cpu=$4
	shift 4
	python3 "$TOP/tests/lib/console.py" "$@" "$log" timeout --kill-after=5 \
		"$TIMEOUT" "$TOP/tests/boot/qemu.sh" --smp "$harts" --mem "$mem" \
		--cpu "$cpu" --machine "$(host_machine "$name")" --initrd "$initrd" \
		--append "l0.poweroff${L0_ARGS[$name]:+ ${L0_ARGS[$name]}}" \
		"${QEMU_DEVICES[@]}" "$L0_BIN"
	rc=$?
}

# check_end NAME: L0 ended cleanly after the last VM.
check_end() {
	local name=$1
	case $(host_machine "$name") in
	*aia=aplic-imsic*)
		check "$name" "L0 takes the host's interrupts at its IMSIC file" \
			"L0: host interrupts from the IMSIC \(S-level file, APLIC in MSI mode\), hart [0-9]+'s target [0-9]+$" ;;
	*aia=aplic*)
		check "$name" "L0 takes the host's interrupts at its APLIC IDC" \
			"L0: host interrupts from the APLIC \(direct delivery\), hart [0-9]+'s target [0-9]+$" ;;
	esac
	check "$name" "L0 powers off after the last VM" "L0: all VMs have stopped$"
	# With QEMU's 14 VMID bits a hart hands each of its address spaces a
	# hardware VMID once (a VM, a nested vCPU's shadows: a few); with
	# VMIDLEN 0 every change of address space hands VMID 0 out again.
	case ${L0_ARGS[$name]:-} in
	*l0.vmidlen=0*)
		check "$name" "L0 hands out VMID 0 again at each change of address space" \
			"L0: hart [0-9]+: VMIDLEN 0, hardware VMIDs handed out [0-9]{3,}$" ;;
	*)
		check "$name" "L0 prints each hart's VMIDs" \
			"L0: hart [0-9]+: VMIDLEN 14, hardware VMIDs handed out [1-9][0-9]?$"
		if has "L0: hart [0-9]+: VMIDLEN 14, hardware VMIDs handed out [0-9]{3,}$"; then
			fail "$name: a hardware VMID for each address space, once" "see $log"
		fi ;;
	esac
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
		check "$name" "$vm's Linux uses L0's SBI PMU" \
			"L0: VM $vm: SBI calls: [1-9][0-9]* PMU$"
	done
	check_end "$name"
}

# The console: typed input reaches the guest's shell through L0's UART and
# the guest's 16550; the guest counts its harts in /proc/cpuinfo. The input
# comes only by the host UART's interrupt, which L0 must take.
run_console_case() {
	local name=$1
	boot "$name" linux.dts l2-shell.cpio.gz 2 2G rv64 \
		--send 'L2: start cpus=2$' 'grep -c ^processor /proc/cpuinfo\n' \
		--send '^\[linux0\] 2$' 'poweroff -f\n'
	check "$name" "L0 gives the input to linux0" "L0: console input goes to VM linux0 "
	check "$name" "the shell echoes the typed command" "\[linux0\] .*# grep -c \^processor /proc/cpuinfo$GUEST_EOL"
	check "$name" "/proc/cpuinfo lists 2 harts" "\[linux0\] 2$GUEST_EOL"
	check "$name" "L0 reports linux0's shutdown" "L0: VM linux0 stopped: the guest shut down$"
	check_end "$name"
}

# SBI SUSP: the guest's shell suspends Linux to RAM (its second hart is
# stopped first, then the boot hart calls SUSP); a character typed once L0
# says the VM sleeps wakes it through its UART's interrupt (a wakeup source),
# and Linux resumes with both harts.
run_suspend_case() {
	local name=suspend
	boot "$name" linux.dts l2-shell.cpio.gz 2 2G rv64 \
		--send 'L2: start cpus=2$' 'dmesg -n 1; echo enabled > /sys/class/tty/ttyS0/power/wakeup; echo mem > /sys/power/state; echo "suspend-rc=$?"\n' \
		--send 'L0: VM linux0: system suspend \(SBI SUSP\)' '\n' \
		--send '^\[linux0\] suspend-rc=' 'cat /sys/devices/system/cpu/online; poweroff -f\n'
	check "$name" "Linux found SBI SUSP" "\[linux0\] .*suspend: SBI SUSP extension detected"
	check "$name" "L0 suspends linux0" "L0: VM linux0: system suspend \(SBI SUSP\), until an interrupt$"
	check "$name" "linux0 resumes, the suspend returns 0" "\[linux0\] suspend-rc=0$GUEST_EOL"
	check "$name" "both harts online after the resume" "\[linux0\] 0-1$GUEST_EOL"
	check "$name" "L0 reports linux0's shutdown" "L0: VM linux0 stopped: the guest shut down$"
	check_end "$name"
}

# The SBI PMU through Linux's perf (configs/linux-pmu.dts: two 1-vCPU VMs on
# one hart; l2-pmu.cpio.gz, whose tests/images/l2/perf-count.c counts a loop
# of PMU_N turns of two instructions with a perf group of cycles and
# instructions). Under QEMU -icount instret counts retired instructions
# exactly, and its cycle advances as instret does. Each step waits for a
# line typed on its VM's console: linux0 measures alone (linux1 waits for
# input, idle), then linux1 spins, and linux0 measures again on the hart
# they now share (linux1 is told to stop only once linux0 has its count),
# then reads its running counters in a tight loop.
PMU_N=10000000

# pmu_field RUN KEY: the number after " KEY=" on linux0's line "L2: pmu RUN ".
pmu_field() {
	sed -nE "s/.*\[linux0\] L2: pmu $1 .* $2=([0-9]+).*/\1/p" "$log" | head -n 1
}

# pmu_within NAME WHAT VALUE LOW HIGH
pmu_within() {
	if [ -n "$3" ] && [ "$3" -ge "$4" ] && [ "$3" -le "$5" ]; then
		pass "$1: $2 ($3)"
	else
		fail "$1: $2" "${3:-none}, want $4 to $5; see $log"
	fi
}

# check_pmu_run NAME RUN: linux0's count of the loop on its line RUN.
check_pmu_run() {
	local name=$1 run=$2 loop=$((2 * PMU_N)) insns cycles
	check "$name" "linux0 counts the loop $run through perf" \
		"\[linux0\] L2: pmu $run n=$PMU_N cycles=[0-9]+ instructions=[0-9]+$GUEST_EOL"
	insns=$(pmu_field "$run" instructions)
	cycles=$(pmu_field "$run" cycles)
	# linux0's own instructions: the loop's, and a few for the perf calls,
	# the timer ticks and L0's switches that came meanwhile (2 % at most;
	# 0.2 to 0.6 % seen). Shared, the spinning linux1 had turns on the
	# hart meanwhile (L0's time slices): none of its instructions may show
	# (counters that ran on off the hart count about twice the loop).
	pmu_within "$name" "$run: instructions, the loop's $loop and 2 % at most" \
		"$insns" "$loop" $((loop + loop / 50))
	pmu_within "$name" "$run: cycles, as many as instructions under -icount (1 %)" \
		"$cycles" $((${insns:-0} - ${insns:-0} / 100)) $((${insns:-0} + ${insns:-0} / 100))
}

# run_pmu_case NAME CONFIG: pmu, or pmu-nested, where linux0 is a nested
# L1 (configs/linux-pmu-nested.dts), whose counter reads nested/ hands on.
run_pmu_case() {
	local name=$1 config=$2 QEMU_DEVICES=(--icount) per vm
	boot "$name" "$config" l2-pmu.cpio.gz 1 1G rv64 \
		--send '^\[linux[01]\] L2: pmu (ready|neighbour idle)' '' \
		--send '^\[linux[01]\] L2: pmu (ready|neighbour idle)' '\n' \
		--send '^\[linux0\] L2: pmu alone ' '\x1d\n' \
		--send '^\[linux1\] L2: pmu neighbour busy' '\x1d\n' \
		--send '^\[linux0\] L2: pmu shared ' '\x1d\n'
	check "$name" "linux0's Linux uses L0's SBI PMU" \
		"L0: VM linux0: SBI calls: [1-9][0-9]* PMU$"
	[ "$name" = pmu-nested ] && check "$name" "linux0 is a nested L1 (L0 prints its nested counts)" \
		"L0: VM linux0: nested switches into L2 [0-9]+$"
	check_pmu_run "$name" alone
	check "$name" "linux1 spins beside linux0" "\[linux1\] L2: pmu neighbour busy$GUEST_EOL"
	check_pmu_run "$name" shared
	check "$name" "linux1 spins until told to stop" "\[linux1\] L2: pmu neighbour done$GUEST_EOL"
	check "$name" "linux0 reads its running counters, never going back" \
		"\[linux0\] L2: pmu reads k=[0-9]+ monotonic=yes "
	# A read of the group: a system call and two CSR reads, each an L0
	# trap (the guest's cycle and instret are L0's once it uses the PMU).
	per=$(sed -nE 's/.*\[linux0\] L2: pmu reads .* instructions-per-read=([0-9]+).*/\1/p' "$log")
	pmu_within "$name" "instructions per read of the group, 10000 at most" \
		"$per" 1 10000
	for vm in linux0 linux1; do
		check "$name" "L0 reports $vm's shutdown" "L0: VM $vm stopped: the guest shut down$"
	done
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
	"nested-l2-aia    nested.dts            Image-6.12  l1.cpio.gz       1         Sv48x4  -"
	"nested-l2-smp    nested-sv39x4.dts     Image-6.12  l1-smp.cpio.gz   2         Sv39x4  -"
	"nested-nacl      nested.dts            Image-7.2   l1-k7.2.cpio.gz  1         Sv48x4  on"
	"nested-nacl-off  nested-nacl-off.dts   Image-7.2   l1-k7.2.cpio.gz  1         Sv48x4  off"
	"nested-shared-hart nested-shared-hart.dts Image-6.12 l1.cpio.gz     1         Sv48x4  -"
	"nested-vmidlen-0 nested.dts            Image-6.12  l1.cpio.gz       1         Sv48x4  -"
	"nested-direct-map nested-direct-map.dts Image-7.2  l1-k7.2.cpio.gz  1         Sv48x4  on"
)
# L0's own bootargs for a case, besides l0.poweroff. VMIDLEN 0 (QEMU has no
# CPU option for fewer than 14 VMID bits): every change of hgatp fences.
declare -A L0_ARGS=(
	[nested-vmidlen-0]="l0.vmidlen=0"
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
	case ${L0_ARGS[$name]:-} in
	*l0.vmidlen=0*) check "$name" "L0 runs with VMIDLEN 0" "  h-ext: +VMIDLEN 0," ;;
	esac
	check "$name" "L1 boots with 2 harts" "\[linux0\] L1: init uptime=[0-9.]+ kernel=[^ ]+ cpus=2$GUEST_EOL"
	check "$name" "L1's CRNG is ready at once (rng-seed from L0)" "\[linux0\] \[ *0\.0+\] random: crng init done$"
	check "$name" "L1's KVM finds the H extension" "\[linux0\] L1: dmesg: .*kvm.*: hypervisor extension available$"
	check "$name" "L1's Linux uses L0's SBI PMU" "L0: VM linux0: SBI calls: [1-9][0-9]* PMU$"
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

# Recursion: L0's nested-enabled guest is L0 itself (configs/recursive-
# linux.dts), with linux-2vcpu's archive (configs/linux.dts) as its initrd.
# The inner L0 boots on the H extension the outer one emulates, passes its
# self-tests and runs the same Linux guest single-level, whose lines must be
# those of linux-2vcpu, where that archive ran on QEMU's own H extension.
# Both L0s print their counters; the inner one maps its guest's RAM with
# 2 MiB G-stage leaves, so the outer one's shadow fills huge pages.
run_recursive_case() {
	local name=recursive ref=$LOGS/vm-linux-2vcpu.log h
	local inner=$OUT/$name-inner.cpio initrd=$OUT/$name.cpio
	log=$LOGS/vm-$name.log
	if ! "$TOP/tests/vm/mkinitrd.sh" "$inner" "$TOP/configs/linux.dts" \
		"Image=$IMG/Image-6.12" "rootfs.cpio.gz=$IMG/l2.cpio.gz" ||
		! "$TOP/tests/vm/mkinitrd.sh" "$initrd" \
			"$TOP/configs/recursive-linux.dts" "l0.bin=$L0_BIN" \
			"inner.cpio=$inner"; then
		rc=1
		echo "could not build $initrd" >"$log"
	else
		boot_initrd "$initrd" 2 2G rv64
	fi
	check "$name" "the inner L0 boots on the emulated H extension" "\[l0\] L0 hypervisor "
	check "$name" "the inner L0 finds L0's SBI below it" "\[l0\]   firmware: L0 v"
	for h in 0 1; do
		check "$name" "the inner L0's timer self-test passes on hart $h" "\[l0\] selftest: timer hart $h: PASS"
		check "$name" "the inner L0's IPI self-test passes from hart $h" "\[l0\] selftest: ipi hart 0 -> hart $h -> hart 0: PASS"
	done
	check_vm "$name" linux0 '\[l0\] '
	if has '\[l0\] L0 panic'; then
		fail "$name: no panic of the inner L0" "see $log"
	fi
	check "$name" "the inner L0 powers off after its guest" "\[l0\] L0: all VMs have stopped$"
	check "$name" "L0 reports the inner L0's shutdown" "L0: VM l0 stopped: the guest shut down$"
	check "$name" "L0 prints the inner L0's trap counts" "L0: VM l0: traps total [0-9]+, MMIO exits [0-9]+$"
	# The inner L0 fences every hart when its VM gives back its tables,
	# through its SBI: L0's remote HFENCE (RFENCE FID 4), end to end.
	check "$name" "the inner L0 fences through L0's SBI remote HFENCE" "L0: VM l0: SBI calls: [1-9][0-9]* RFENCE$"
	check "$name" "the inner L0's guest runs in L0's shadow G-stage" "L0: VM l0: nested switches into L2 [1-9][0-9]*$"
	check "$name" "L0 shadows the inner L0's 2 MiB G-stage leaves with huge pages" "L0: VM l0: shadow faults: huge [1-9][0-9]*, "
	if [ ! -f "$ref" ]; then
		fail "$name: the guest's lines are linux-2vcpu's" "no $ref: run linux-2vcpu first"
	elif [ "$(guest_lines "$log" '\[l0\] ')" = "$(guest_lines "$ref" '')" ] &&
		[ -n "$(guest_lines "$ref" '')" ]; then
		pass "$name: the guest's lines are linux-2vcpu's"
	else
		fail "$name: the guest's lines are linux-2vcpu's" \
			"$(diff <(guest_lines "$ref" '') <(guest_lines "$log" '\[l0\] ') | tr '\n' ' ')"
	fi
	check_end "$name"
}

# guest_lines LOG PREFIX: linux0's program lines (not the kernel's), with
# what differs from run to run (uptime, interrupt counts) left out.
guest_lines() {
	sed -nE "s/^ *[0-9.]+ \| $2\[linux0\] (L2: [a-z]+( cpus=[0-9]+| sha256=[0-9a-f]+)?).*/\1/p" "$1"
}

# The disk images (docs/images.md) on devices that the guest owns
# (passthrough, direct-map): L1 boots from a copy of l1-disk.img through
# vda.cpio.gz and fetches a 16 MiB file from the host's loopback over its
# own virtio-net; nested: L2 boots from its disk image on L1's disk (L1's
# QEMU serves it) and fetches the file through L1, L1 reads back what L2
# wrote. tests/reference/run.sh runs the same on bare QEMU.
# name         config            kind
DISK_CASES=(
	"disk-plain   linux-disk.dts    plain"
	"disk-nested  nested-disk.dts   nested"
)

# run_disk_case NAME CONFIG KIND [disknet.* ARG...]: the bench adds
# disknet.read=. The config's bootargs get the HTTP server's address.
run_disk_case() {
	local name=$1 config=$2 kind=$3 disk=$OUT/$1.img cfg=$OUT/$1.dts
	local TIMEOUT=$TIMEOUT QEMU_DEVICES
	shift 3
	[ "$kind" = plain ] || TIMEOUT=${NESTED_TIMEOUT:-480}
	sed "s|^\(\t*bootargs = \"[^\"]*\)\";|\1 $HTTP_ARG $*\";|" \
		"$TOP/configs/$config" >"$cfg"
	disk_copy "$IMG/l1-disk.img" "$disk"
	QEMU_DEVICES=(--disk "$disk" --net)
	boot "$name" "$cfg" vda.cpio.gz 2 3G rv64
	rm -f "$disk"
	check "$name" "L1 boots with 2 harts" "\[linux0\] L1: init uptime=[0-9.]+ kernel=[^ ]+ cpus=2$GUEST_EOL"
	check_disknet "$name" "\[linux0\] " "$kind"
	check "$name" "L0 reports linux0's shutdown" "L0: VM linux0 stopped: the guest shut down$"
	check "$name" "L0 forwarded the devices' interrupts to linux0" \
		"L0: VM linux0: device interrupts forwarded [1-9][0-9]*, L0 traps for them [0-9]+$"
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
	local name=$1 sum QEMU_DEVICES
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
for name in console-input console-input-aia; do
	if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then
		run_console_case "$name"
	fi
done
if [ $# -eq 0 ] || [[ " $* " == *" suspend "* ]]; then
	run_suspend_case
fi
for c in "pmu linux-pmu.dts" "pmu-nested linux-pmu-nested.dts"; do
	read -r name config <<<"$c"
	if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then
		run_pmu_case "$name" "$config"
	fi
done
# On the AIA host the disk's interrupt comes as an MSI from the APLIC.
for name in passthrough-blk passthrough-blk-aia; do
	if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then
		run_blk_case "$name"
	fi
done
if [ $# -eq 0 ] || [[ " $* " == *" passthrough-bad "* ]]; then
	run_bad_case
fi
for c in "${NESTED_CASES[@]}"; do
	read -r name config kernel rootfs l2cpus hgatp nacl <<<"$c"
	if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then
		run_nested_case "$name" "$config" "$kernel" "$rootfs" "$l2cpus" "$hgatp" "$nacl"
	fi
done
# After linux-2vcpu, whose lines it compares with.
if [ $# -eq 0 ] || [[ " $* " == *" recursive "* ]]; then
	run_recursive_case
fi
for c in "${DISK_CASES[@]}"; do
	read -r name config kind <<<"$c"
	if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then
		[ -n "${HTTP_PID:-}" ] || httpd_start "$OUT/http" "$DISKNET_MIB" ||
			{ fail "$name: boot" "no HTTP server"; continue; }
		# shellcheck disable=SC2086  # words on purpose
		run_disk_case "$name" "$config" "$kind" $DISKNET_ARGS
	fi
done
httpd_stop
summary
