#!/usr/bin/env bash
# l0-guest.sh  Bench one Debian Linux guest (2 vCPUs, 512 MiB) under L0
# against the same kernel and initramfs on bare QEMU (same -cpu, -smp and
# guest memory): BENCH_RUNS (3) interleaved rounds of bare and L0, the guest
# booted `quiet`, then one L0 run with the kernel's messages on the 16550.
# Records the medians of the rounds, with _min and _max beside them:
#   l1_boot_s_on_l0             QEMU start -> the guest's first marker, under
#                               L0 (booted quiet since the rounds came)
#   l1_boot_s_bare              the same on bare QEMU + OpenSBI
#   l1_boot_ratio_l0_over_bare  the rounds' ratios of the two
#   l1_uptime_ratio_l0_over_bare_quiet  the guest's own uptime at its second
#                               marker, under L0 over bare (target: at most
#                               1.15)
#   guest_clock_delay_s_l0_minus_bare   host seconds from QEMU's start to
#                               the guest's clock start (its kernel's first
#                               line), under L0 less bare (target: at most
#                               0.3)
#   l1_boot_l0_traps_console_quiet  L0 traps of a whole run booted quiet
# and from the verbose L0 run (console=ttyS0):
#   l1_boot_l0_traps_console_uart   its L0 traps: each byte the kernel
#                               writes to the 16550 is one
#   l1_boot_traps_total         the same (the key of before the rounds)
#   l1_boot_traps_<cause>       the same by cause
#   l0_image_bytes              size of build/l0.bin
# Debian's kernels have no SBI console (hvc0; docs/bench.md), so there is
# no l1_boot_l0_traps_console_hvc0.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
OPENSBI=${OPENSBI_DIR:-/usr/lib/riscv64-linux-gnu/opensbi/generic}
MARKER='(\[linux0\] )?L2: start cpus=2$'
DONE='(\[linux0\] )?L2: done '

unspread l1_boot_s_on_l0 l1_boot_s_bare l1_boot_ratio_l0_over_bare \
	l1_uptime_ratio_l0_over_bare_quiet guest_clock_delay_s_l0_minus_bare \
	l1_boot_l0_traps_console_quiet
unspread l1_boot_l0_traps_console_uart # one run: no spread
# shellcheck disable=SC2207  # key names hold no blanks
old=($(record keys l1_boot_traps_))
[ ${#old[@]} -eq 0 ] || record unset "${old[@]}"

# The guest's archive for L0: ttyS0 verbose, and quiet.
for mode in verbose quiet; do
	args=console=ttyS0
	[ "$mode" = verbose ] || args+=" quiet"
	sed "s/bootargs = \"console=ttyS0\"/bootargs = \"$args\"/" \
		"$TOP/configs/linux.dts" >"$OUT/linux-$mode.dts"
	grep -q "bootargs = \"$args\"" "$OUT/linux-$mode.dts" ||
		fail "no 'bootargs = \"console=ttyS0\"' in configs/linux.dts"
	"$TOP/tests/vm/mkinitrd.sh" "$OUT/l0-guest-$mode.cpio" \
		"$OUT/linux-$mode.dts" "Image=$IMG/Image-6.12" \
		"rootfs.cpio.gz=$IMG/l2.cpio.gz"
done

# run_l0 LOG MODE, run_bare LOG MODE: one run until the guest powers off.
run_l0() {
	python3 "$TOP/tests/lib/console.py" "$1" timeout --kill-after=10 300 \
		"$TOP/tests/boot/qemu.sh" --smp 2 --mem 2G \
		--initrd "$OUT/l0-guest-$2.cpio" --append l0.poweroff "$L0_BIN" \
		>/dev/null || fail "QEMU failed or timed out; see $1"
}
run_bare() {
	local args=console=ttyS0
	[ "$2" = verbose ] || args+=" quiet"
	python3 "$TOP/tests/lib/console.py" "$1" timeout --kill-after=10 300 \
		"${QEMU:-qemu-system-riscv64}" -M virt -cpu rv64 -smp 2 -m 512M \
		-nographic -monitor none -serial stdio \
		-bios "$OPENSBI/fw_dynamic.bin" -kernel "$IMG/Image-6.12" \
		-initrd "$IMG/l2.cpio.gz" -append "$args" >/dev/null ||
		fail "QEMU failed or timed out; see $1"
}
# uptime_at LOG: the guest's uptime at its second marker.
uptime_at() {
	grep -m1 -E "^ *[0-9.]+ \| $DONE" "$1" | sed -nE 's/.* uptime=([0-9.]+).*/\1/p'
}
traps_total() {
	l0_vm_line "$1" 'traps total N, ...' 'traps total ([0-9]+),.*' '\1'
}

t_l0=() t_bare=() ratio=() up_ratio=() delay=() quiet=()
# shellcheck disable=SC2317  # called by interleave
round() {
	local l=$LOGS/bench-l0-quiet-$1.log b=$LOGS/bench-bare-quiet-$1.log
	# Each figure on its own: a failed $(...) inside +=(...) would not stop.
	local tb tl ul ub cl cb q
	run_bare "$b" quiet
	run_l0 "$l" quiet
	tb=$(stamp "$b" "$MARKER")
	tl=$(stamp "$l" "$MARKER")
	ul=$(uptime_at "$l")
	ub=$(uptime_at "$b")
	if [ -z "$ul" ] || [ -z "$ub" ]; then
		fail "no uptime= at the second marker in $l or $b"
	fi
	cl=$(clock_start "$l" "$DONE")
	cb=$(clock_start "$b" "$DONE")
	q=$(traps_total "$l")
	t_bare+=("$tb") t_l0+=("$tl") quiet+=("$q")
	ratio+=("$(awk -v a="$tl" -v b="$tb" 'BEGIN { printf "%.3f", a / b }')")
	up_ratio+=("$(awk -v a="$ul" -v b="$ub" 'BEGIN { printf "%.3f", a / b }')")
	delay+=("$(awk -v a="$cl" -v b="$cb" 'BEGIN { printf "%.3f", a - b }')")
	echo "l0-guest: round $1: boot ${t_l0[-1]} s under L0, ${t_bare[-1]} s bare;" \
		"uptime ratio ${up_ratio[-1]}, clock ${delay[-1]} s later; ${quiet[-1]} L0 traps"
}
interleave round
log=$LOGS/bench-l0-verbose.log
run_l0 "$log" verbose
uart=$(traps_total "$log")
echo "l0-guest: $uart L0 traps booted verbose"

spread l1_boot_s_on_l0 "${t_l0[@]}"
spread l1_boot_s_bare "${t_bare[@]}"
spread l1_boot_ratio_l0_over_bare "${ratio[@]}"
spread l1_uptime_ratio_l0_over_bare_quiet "${up_ratio[@]}"
spread guest_clock_delay_s_l0_minus_bare "${delay[@]}"
spread l1_boot_l0_traps_console_quiet "${quiet[@]}"

# The verbose L0 run's trap counts, as L0 printed them at the VM's stop.
by_cause=()
while read -r n cause; do
	by_cause+=("l1_boot_traps_$(echo "$cause" | tr -c 'a-zA-Z0-9\n' '_' | tr 'A-Z' 'a-z')" "$n")
done < <(sed -nE 's/.*L0: VM linux0: traps: ([0-9]+) (.*)$/\1 \2/p' "$log")
record set l0_image_bytes "$(stat -c %s "$L0_BIN")" \
	l1_boot_l0_traps_console_uart "$uart" l1_boot_traps_total "$uart" \
	"${by_cause[@]}"
