#!/usr/bin/env bash
# l0-guest.sh  Bench one Debian Linux guest (2 vCPUs, 512 MiB) under L0
# against the same kernel and initramfs on bare QEMU (same -cpu, -smp and
# guest memory), run side by side in this one bench run, and record:
#   l1_boot_s_on_l0             QEMU start -> the guest's first marker, under L0
#   l1_boot_s_bare              the same on bare QEMU + OpenSBI
#   l1_boot_ratio_l0_over_bare  their ratio (best of RUNS each)
#   l0_image_bytes              size of build/l0.bin
#   l1_boot_traps_total         L0 trap entries for the guest's whole run
#                               (boot, 32 MiB checksum, power-off)
#   l1_boot_traps_<cause>       the same by cause
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
LOGS=${L0_LOGS:-$TOP/build/logs}
IMG=${L0_IMAGES:-$TOP/.cache/images}
L0_BIN=$TOP/build/l0.bin
RUNS=${BENCH_RUNS:-2}
OPENSBI=${OPENSBI_DIR:-/usr/lib/riscv64-linux-gnu/opensbi/generic}
MARKER='L2: start cpus=2$'
initrd=$TOP/build/bench/l0-initrd.cpio
record() { python3 "$TOP/tests/bench/record.py" "$@"; }

"$TOP/tests/vm/mkinitrd.sh" "$initrd" "$TOP/configs/linux.dts" \
	"Image=$IMG/Image-6.12" "rootfs.cpio.gz=$IMG/l2.cpio.gz"

# stamp LOG REGEX: host seconds of the first console line matching REGEX.
stamp() {
	local t
	t=$(grep -m1 -E "^ *[0-9.]+ \| .*$2" "$1" | cut -d'|' -f1 | tr -d ' ')
	[ -n "$t" ] || { echo "bench: no '$2' in $1" >&2; exit 1; }
	echo "$t"
}

run_l0() {
	python3 "$TOP/tests/lib/console.py" "$1" timeout 300 \
		"$TOP/tests/boot/qemu.sh" --smp 2 --mem 2G --initrd "$initrd" \
		--append l0.poweroff "$L0_BIN" >/dev/null
}

run_bare() {
	python3 "$TOP/tests/lib/console.py" "$1" timeout 300 \
		"${QEMU:-qemu-system-riscv64}" -M virt -cpu rv64 -smp 2 -m 512M \
		-nographic -monitor none -serial stdio \
		-bios "$OPENSBI/fw_dynamic.bin" -kernel "$IMG/Image-6.12" \
		-initrd "$IMG/l2.cpio.gz" -append console=ttyS0 >/dev/null
}

best_l0= best_bare=
for ((i = 1; i <= RUNS; i++)); do
	run_l0 "$LOGS/bench-l0-$i.log"
	run_bare "$LOGS/bench-bare-$i.log"
	t=$(stamp "$LOGS/bench-l0-$i.log" "\[linux0\] $MARKER")
	best_l0=$(awk -v a="$t" -v b="${best_l0:-$t}" 'BEGIN { print (a < b ? a : b) }')
	t=$(stamp "$LOGS/bench-bare-$i.log" "$MARKER")
	best_bare=$(awk -v a="$t" -v b="${best_bare:-$t}" 'BEGIN { print (a < b ? a : b) }')
done

# Trap counts of the last L0 run, as L0 printed them when the VM stopped.
log=$LOGS/bench-l0-$RUNS.log
total=$(sed -nE 's/.*L0: VM linux0: traps total ([0-9]+),.*/\1/p' "$log")
[ -n "$total" ] || { echo "bench: no trap counts in $log" >&2; exit 1; }
by_cause=()
while read -r n cause; do
	by_cause+=("l1_boot_traps_$(echo "$cause" | tr -c 'a-zA-Z0-9\n' '_' | tr 'A-Z' 'a-z')" "$n")
done < <(sed -nE 's/.*L0: VM linux0: traps: ([0-9]+) (.*)$/\1 \2/p' "$log")

record set l1_boot_s_on_l0 "$best_l0" l1_boot_s_bare "$best_bare" \
	l1_boot_ratio_l0_over_bare "$(awk -v a="$best_l0" -v b="$best_bare" 'BEGIN { printf "%.3f", a / b }')" \
	l0_image_bytes "$(stat -c %s "$L0_BIN")" l1_boot_traps_total "$total" \
	"${by_cause[@]}"
