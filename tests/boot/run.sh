#!/usr/bin/env bash
# run.sh L0_BIN [CASE...]  QEMU boot tests of L0. Each case boots L0 under a
# hard timeout with the console logged (build/logs/boot-CASE.log, stamped
# with host seconds), then checks the log line by line. A hang is a FAIL.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib/runner.sh"
L0_BIN=$1
shift
LOGS=${L0_LOGS:-$TOP/build/logs}
TIMEOUT=${BOOT_TIMEOUT:-60}

# name        firmware   harts memory cpu              machine           extra
CASES=(
	"dyn-1       fw_dynamic 1  256M  rv64             virt              -"
	"dyn-2       fw_dynamic 2  256M  rv64             virt              -"
	"dyn-4       fw_dynamic 4  256M  rv64             virt              -"
	"jump-1      fw_jump    1  256M  rv64             virt              -"
	"jump-2      fw_jump    2  256M  rv64             virt              -"
	"jump-4      fw_jump    4  256M  rv64             virt              -"
	"mem-4g      fw_dynamic 2  4G    rv64             virt              -"
	"sbi-timer   fw_dynamic 2  256M  rv64,sstc=false  virt              -"
	"sv39        fw_dynamic 2  256M  rv64,sv48=false  virt              -"
	# L0 takes its console UART's interrupt (a key the test types) from
	# each kind of host controller: the PLIC, the APLIC in direct mode
	# (aia=aplic), the IMSIC fed by the APLIC in MSI mode (aia=aplic-imsic).
	"input-plic  fw_dynamic 2  256M  rv64             virt              input"
	"aia-aplic   fw_dynamic 2  256M  rv64             virt,aia=aplic    input"
	"aia         fw_dynamic 2  256M  rv64             virt,aia=aplic-imsic input"
	# An SG2044-class hart count (PLATFORM_MAX_HARTS).
	"smp-64      fw_dynamic 64 1G    rv64             virt              smp64"
	"no-h        fw_dynamic 1  256M  rv64,h=false     virt              refuse"
	"no-memory   fw_dynamic 1  256M  rv64             virt              no-memory"
	"fault       fw_dynamic 1  256M  rv64             virt              fault"
	# L0 with a payload guest (sbi-base), loaded at 0xADDR: booti's rule is
	# any 2 MiB-aligned address, e.g. RAM base + 2 MiB on a board whose RAM
	# starts above 4 GiB (-m 6G on virt: RAM to 0x200000000).
	"load-80200000 fw_dynamic 2 512M rv64             virt              guest@80200000"
	"load-90200000 fw_dynamic 2 1G  rv64              virt              guest@90200000"
	"load-above-4g fw_dynamic 2 6G  rv64              virt              guest@100200000"
	# Loaded onto a /reserved-memory region (one the test adds to the FDT).
	"load-overlap fw_dynamic 1  1G   rv64             virt              overlap@90200000"
	"vmidlen-0   fw_dynamic 2  256M  rv64             virt              vmidlen"
	"dtb-empty   fw_dynamic 1  256M  rv64             virt              dtb-empty"
	"dtb-huge    fw_dynamic 1  256M  rv64             virt              dtb-huge"
)

# has REGEX: the log has a console line matching REGEX (an extended regex).
has() {
	grep -qE "^ *[0-9.]+ \| $1" "$log"
}

# expect WHAT REGEX: collect a missing expectation for this case.
expect() {
	has "$2" || missing+=("$1")
}

# mem_mib 256M|4G: the size in MiB.
mem_mib() {
	case $1 in
	*G) echo $((${1%G} * 1024)) ;;
	*M) echo "${1%M}" ;;
	esac
}

# lost_by_firmware H: OpenSBI 1.5's fw_jump never released hart H. Its boot
# lottery and boot status share one word, so a hart that reaches the lottery
# after the boot hart is done overwrites the status and spins forever in
# M-mode (docs/boot.md). L0 must name such a hart and go on without it.
#
# With 64 harts on QEMU virt, the same race loses harts under fw_dynamic too:
# which and how many depends on how the host schedules QEMU's vCPU threads
# (harts 59 to 63 on one machine, 58 to 63 on another; Linux on the same
# firmware and machine says "CPU59: failed to come online" the same way).
# L0 must name each of them, and most harts must still come up.
SMP64_MIN_ONLINE=48
lost_by_firmware() {
	{ [ "$fw" = fw_jump ] || [ "$extra" = smp64 ]; } &&
		has "smp: hart $1 never reported in \(HSM state: start pending\)"
}

expect_normal_boot() {
	local h online=0
	expect "banner" "L0 hypervisor "
	expect "hart count" "  harts: +$harts "
	expect "memory size" "  memory: +$(mem_mib "$mem") MiB"
	for ((h = 0; h < harts; h++)); do
		if lost_by_firmware "$h"; then
			notes+=("firmware lost hart $h")
			continue
		fi
		online=$((online + 1))
		expect "timer on hart $h" "selftest: timer hart $h: PASS"
		# The boot hart is whichever OpenSBI chose.
		expect "ipi round trip to hart $h" "selftest: ipi hart ([0-9]+) -> hart $h -> hart \\1: PASS"
	done
	expect "all harts online" "L0: $online of $harts harts online"
	[ "$extra" = smp64 ] && [ "$online" -lt "$SMP64_MIN_ONLINE" ] &&
		missing+=("at least $SMP64_MIN_ONLINE harts online (got $online)")
	# OpenSBI 1.5 reserves its own memory with no-map.
	expect "OpenSBI's no-map region unmapped" "selftest: no-map 0x80000000-0x80[0-9a-f]{6} out of L0's page table: PASS"
	# QEMU's hgatp keeps all 14 VMID bits (it has no option for fewer);
	# henvcfg.STCE is there exactly when the hart has Sstc.
	expect "VMIDLEN and henvcfg probed" "  h-ext: +VMIDLEN $vmidlen, henvcfg FIOM"
	if [ -n "$stce" ] && ! has "  h-ext: .*henvcfg[A-Z ]* STCE,"; then
		missing+=("henvcfg.STCE (the hart has Sstc)")
	elif [ -z "$stce" ] && has "  h-ext: .*henvcfg[A-Z ]* STCE,"; then
		missing+=("no henvcfg.STCE (the hart has no Sstc)")
	fi
	has "smp: hart [0-9]+ has VMIDLEN" && missing+=("no hart with another VMIDLEN")
	expect "power off" "L0: powering off"
	has "FAIL|panic|trap:" && missing+=("no failure, panic or trap line")
	[ "$rc" -eq 0 ] || missing+=("QEMU exit status 0 (got $rc)")
}

# dump_dtb: QEMU's FDT for this case's machine, into $dtb.
dump_dtb() {
	dtb=$LOGS/boot-$name.dtb
	"${QEMU:-qemu-system-riscv64}" -M "$machine,dumpdtb=$dtb" -cpu "$cpu" \
		-smp "$harts" -m "$mem" -nographic >/dev/null 2>&1
}

# expect_input: L0 took the typed key by its console UART's interrupt, from
# the controller this case's machine has.
expect_input() {
	local chip="the PLIC"
	case $machine in
	*aia=aplic-imsic*) chip="the IMSIC \(S-level file, APLIC in MSI mode\)" ;;
	*aia=aplic*) chip="the APLIC \(direct delivery\)" ;;
	esac
	expect "host interrupts from $chip" "L0: host interrupts from $chip, hart [0-9]+'s target [0-9]+$"
	expect "the key, by the UART's interrupt" "selftest: console input: PASS \([1-9][0-9]* bytes by the UART's interrupt 10, from $chip\)$"
}

# expect_guest: the payload guest ran to its end with no failing case.
expect_guest() {
	expect "guest's cases" "\[payload\] PASS: sbi-base: "
	expect "guest's end" "\[payload\] GUEST DONE sbi-base"
	has "\[payload\] FAIL: " && missing+=("no failing guest case")
}

# guests_initrd OUT SIZE: an initrd whose guests.dtb is SIZE bytes of zeros.
guests_initrd() {
	local dir
	dir=$(mktemp -d)
	truncate -s "$2" "$dir/guests.dtb"
	(cd "$dir" && echo guests.dtb |
		cpio --quiet -o -H newc --reproducible --owner=0:0) >"$1"
	rm -rf "$dir"
}

# hog_dtb DTB MEM_MIB: QEMU's device tree for this case (with the initrd
# where QEMU puts it), with all but 2 MiB below the initrd and 8 MiB above
# it reserved, so that L0 has less free memory than the initrd's size.
hog_dtb() {
	local start end ram_end=$((0x80000000 + $2 * 1024 * 1024)) low=0x80400000
	"${QEMU:-qemu-system-riscv64}" -M "$machine,dumpdtb=$1" -cpu "$cpu" \
		-smp "$harts" -m "$mem" -nographic -initrd "$initrd" \
		-kernel "$L0_BIN" >/dev/null 2>&1
	read -r _ start < <(fdtget -t x "$1" /chosen linux,initrd-start)
	read -r _ end < <(fdtget -t x "$1" /chosen linux,initrd-end)
	start=$((0x$start)) end=$(((0x$end + 0xfff) & ~0xfff))
	dtc -q -I dtb -O dts "$1" |
		sed "s|^/dts-v1/;|&\n/memreserve/ $low $((start - low));\n/memreserve/ $end $((ram_end - 0x800000 - end));|" |
		dtc -q -I dts -O dtb -o "$1"
}

run_case() {
	local name=$1 fw=$2 harts=$3 mem=$4 cpu=$5 machine=$6 extra=$7
	local append=l0.poweroff dtb= timeout=$TIMEOUT initrd= at= load=() vmidlen=14 stce=1
	local send=()
	log=$LOGS/boot-$name.log
	missing=() notes=()
	case $extra in
	*@*)
		at=${extra#*@}
		[ "$at" = 80200000 ] ||
			load=(--load-at "0x$at" --jump "$TOP/build/boot/jump-$at.bin") ;;
	esac
	case $extra in
	no-memory)
		dump_dtb
		fdtput -r "$dtb" /memory@80000000 ;;
	guest@*)
		initrd=$LOGS/boot-$name.cpio
		"$TOP/tests/vm/mkinitrd.sh" "$initrd" "$TOP/configs/payload.dts" \
			"payload.bin=$TOP/build/guest/sbi-base.bin" ;;
	overlap@*)
		dump_dtb
		fdtput -p -c "$dtb" /reserved-memory/test@90000000
		fdtput -t x "$dtb" /reserved-memory '#address-cells' 2
		fdtput -t x "$dtb" /reserved-memory '#size-cells' 2
		fdtput "$dtb" /reserved-memory ranges
		fdtput -t x "$dtb" /reserved-memory/test@90000000 reg 0 0x90000000 0 0x1000000 ;;
	fault)
		append="l0.selftest=fault l0.poweroff"
		timeout=10 ;; # the stopped hart leaves QEMU running: expected
	smp64)
		timeout=$((TIMEOUT * 3)) ;; # 64 harts on the host's few cores
	# Fewer VMID bits than QEMU has, as a board may: every hart uses 0.
	vmidlen) append="l0.vmidlen=0 l0.poweroff" vmidlen=0 ;;
	input)
		append="l0.selftest=input l0.poweroff"
		send=(--send "selftest: console input: type a key" "x") ;;
	dtb-empty)
		initrd=$LOGS/boot-$name.cpio
		guests_initrd "$initrd" 0 ;;
	dtb-huge) # more than L0 has free: it must not try to copy it
		initrd=$LOGS/boot-$name.cpio dtb=$LOGS/boot-$name.dtb
		guests_initrd "$initrd" 16M
		hog_dtb "$dtb" "$(mem_mib "$mem")" ;;
	esac
	[[ $cpu == *sstc=false* ]] && stce=""
	python3 "$TOP/tests/lib/console.py" ${send[@]+"${send[@]}"} "$log" \
		timeout --kill-after=5 "$timeout" \
		"$TOP/tests/boot/qemu.sh" --fw "$fw" --smp "$harts" --mem "$mem" \
		--cpu "$cpu" --machine "$machine" ${dtb:+--dtb "$dtb"} \
		${initrd:+--initrd "$initrd"} ${load[@]+"${load[@]}"} \
		--append "$append" "$L0_BIN"
	rc=$?
	case $extra in
	- | smp64 | vmidlen) expect_normal_boot ;;
	input)
		expect_normal_boot
		expect_input ;;
	guest@*)
		expect "image at 0x$at" "  image: +at 0x$at, "
		expect_normal_boot
		expect_guest ;;
	overlap@*)
		expect "one clear refusal" "L0: refusing to run: L0's image at 0x$at-0x[0-9a-f]+ overlaps reserved memory at 0x90000000-0x91000000" ;;
	refuse) expect "one clear refusal" "L0: refusing to run: hart 0 has no H extension" ;;
	no-memory) expect "one clear refusal" "L0: refusing to run: fdt: no memory node" ;;
	dtb-empty)
		expect_normal_boot
		expect "one clear refusal" "L0: guests.dtb is 0 bytes, too small for a device tree: no guests$" ;;
	dtb-huge)
		expect_normal_boot
		expect "one clear refusal" "L0: guests.dtb is 16777216 bytes, more than the 1 MiB L0 takes: no guests$" ;;
	fault)
		expect "cause name" "trap: load page fault \(scause 0xd\)"
		expect "faulting address" " sepc +[0-9a-f]{16} stval +0000000000000008"
		expect "register dump" " zero 0000000000000000 ra +[0-9a-f]{16} sp +[0-9a-f]{16} gp "
		expect "last registers" " t3 +[0-9a-f]{16} t4 +[0-9a-f]{16} t5 +[0-9a-f]{16} t6 +[0-9a-f]{16}$"
		expect "hart stopped" "L0: hart 0 stopped after an unexpected trap"
		has "powering off" && missing+=("no power-off after the stop") ;;
	esac
	if [ "$extra" != fault ] && { [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; }; then
		missing+=("no hang: timed out after ${timeout}s")
	fi
	if [ ${#missing[@]} -eq 0 ]; then
		has "L0 hypervisor " && notes+=("$(banner_time)")
		pass "$name${notes[*]:+ ($(IFS=';'; echo "${notes[*]}"))}"
	else
		fail "$name" "missing: $(IFS=';'; echo "${missing[*]}"); see $log"
	fi
}

# Host seconds from QEMU's start to L0's banner, as the log stamps it.
banner_time() {
	local t
	t=$(grep -m1 -E '^ *[0-9.]+ \| L0 hypervisor ' "$log" | cut -d'|' -f1 | tr -d ' ')
	echo "banner at $t s"
}

mkdir -p "$LOGS"
for c in "${CASES[@]}"; do
	read -r name fw harts mem cpu machine extra <<<"$c"
	if [ $# -eq 0 ] || [[ " $* " == *" $name "* ]]; then
		run_case "$name" "$fw" "$harts" "$mem" "$cpu" "$machine" "$extra"
	fi
done
summary
