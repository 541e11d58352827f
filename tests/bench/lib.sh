# shellcheck shell=bash
# Shared by the nested benches (sourced): where things are, one L0 run of an
# L1 image under a timeout, console stamps and L0's per-VM lines. Callers set
# -euo pipefail, and fail() ends the caller with the reason, so that a failed
# run records nothing.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
LOGS=${L0_LOGS:-$TOP/build/logs}
# shellcheck disable=SC2034  # for the callers
IMG=${L0_IMAGES:-$TOP/.cache/images}
OUT=$TOP/build/bench
L0_BIN=$TOP/build/l0.bin
# One nested L1+L2 run takes ~100 s alone on 2 busy cores, -icount ~2x more.
TIMEOUT=${BENCH_TIMEOUT:-900}
# Runs of each side of a timed comparison, interleaved (interleave below).
RUNS=${BENCH_RUNS:-3}
mkdir -p "$OUT" "$LOGS"

record() { python3 "$TOP/tests/bench/record.py" "$@"; }

fail() {
	echo "bench: $*" >&2
	exit 1
}

# part WHAT SCRIPT ARG...: one part of a bench, a script of its own (so that
# its set -e holds); a failure is noted in `failed` and the bench goes on.
# fail_parts: at the end, fail the bench (BENCH_NAME) naming those parts.
failed=()
part() {
	local what=$1
	shift
	echo "${BENCH_NAME:-bench}: $what"
	"$@" || failed+=("$what")
}
fail_parts() {
	[ ${#failed[@]} -eq 0 ] ||
		fail "${BENCH_NAME:-bench}: failed: $(IFS=,; echo "${failed[*]}")"
}

# l0_boot LOG CONFIG L1_KERNEL L1_INITRD [qemu.sh option...]: L0 on 2 harts
# runs the L1 image of CONFIG (which names them Image and rootfs.cpio.gz)
# until it powers off, or until a console line matches L0_BOOT_UNTIL when
# that is set (a run already known to be wrong ends early).
l0_boot() {
	local log=$1 config=$2 kernel=$3 initrd=$4 rc=0 cpio until=()
	cpio=$OUT/$(basename "$log" .log).cpio
	shift 4
	[ -z "${L0_BOOT_UNTIL:-}" ] || until=(--until "$L0_BOOT_UNTIL")
	"$TOP/tests/vm/mkinitrd.sh" "$cpio" "$config" "Image=$kernel" \
		"rootfs.cpio.gz=$initrd"
	python3 "$TOP/tests/lib/console.py" "${until[@]}" "$log" \
		timeout --kill-after=10 "$TIMEOUT" "$TOP/tests/boot/qemu.sh" \
		--smp 2 --mem 3G --initrd "$cpio" --append l0.poweroff "$@" \
		"$L0_BIN" >/dev/null || rc=$?
	case $rc in
	0) ;;
	124 | 137) fail "timed out after ${TIMEOUT}s (BENCH_TIMEOUT); see $log" ;;
	*) fail "QEMU exit status $rc; see $log" ;;
	esac
}

# l2_exited LOG: L1 reported no failure and a clean exit of its L2.
l2_exited() {
	! grep -q '| \[[^]]*\] L1: FAIL' "$1" ||
		fail "$(grep -m1 -o 'L1: FAIL.*' "$1"); see $1"
	grep -qE '^ *[0-9.]+ \| \[[^]]*\] L1: L2 exit status 0([^0-9]|$)' "$1" ||
		fail "L1 reports no clean exit of L2; see $1"
}

# stamp LOG REGEX: host seconds of the first console line matching REGEX.
stamp() {
	local t
	t=$(grep -m1 -E "^ *[0-9.]+ \| $2" "$1" | cut -d'|' -f1 | tr -d ' ')
	[ -n "$t" ] || fail "no line matching '$2' in $1"
	echo "$t"
}

# interval LOG FROM TO: host seconds from the first line matching FROM to
# the first matching TO, 3 decimals.
interval() {
	local a b
	a=$(stamp "$1" "$2")
	b=$(stamp "$1" "$3")
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }'
}

min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b ? a : b) }'; }

# interleave FN...: RUNS rounds of FN 1 ..., then FN 2 ..., so that each
# side of a comparison sees the same load from other work on the machine
# (reference, L0, reference, L0, ...). Each FN records its own figures.
interleave() {
	local i fn
	for ((i = 1; i <= RUNS; i++)); do
		for fn in "$@"; do
			"$fn" "$i"
		done
	done
}

# median X...: the middle value (the mean of the middle two when even),
# 3 decimals unless it is whole.
median() {
	printf '%s\n' "$@" | sort -g |
		awk '{ v[NR] = $1 } END {
			m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
			printf(m == int(m) ? "%d" : "%.3f", m) }'
}

# spread KEY X...: record KEY as the median of X..., and KEY_min and
# KEY_max beside it, so that a reader sees how far the runs swung.
spread() {
	local key=$1
	shift
	record set "$key" "$(median "$@")" \
		"${key}_min" "$(printf '%s\n' "$@" | sort -g | head -n 1)" \
		"${key}_max" "$(printf '%s\n' "$@" | sort -g | tail -n 1)"
}

# unspread KEY...: drop KEY, KEY_min and KEY_max (a failed run leaves none).
unspread() {
	local k keys=()
	for k in "$@"; do
		keys+=("$k" "${k}_min" "${k}_max")
	done
	record unset "${keys[@]}"
}

# clock_start LOG REGEX: host seconds at which the guest's clock read 0:
# the stamp of the first line matching REGEX, which ends in uptime=<s>,
# less that uptime.
clock_start() {
	local t up
	t=$(stamp "$1" "$2")
	up=$(grep -m1 -E "^ *[0-9.]+ \| $2" "$1" | sed -nE 's/.* uptime=([0-9.]+).*/\1/p')
	[ -n "$up" ] || fail "no uptime= in the line matching '$2' in $1"
	awk -v t="$t" -v u="$up" 'BEGIN { printf "%.3f", t - u }'
}

# l0_vm_line LOG FORM REGEX REPL: the first 'L0: VM <name>: REGEX' line of
# LOG, rewritten as sed's REPL (\1 ...); FORM shows the line in the error.
l0_vm_line() {
	local v
	v=$(sed -nE "s/^ *[0-9.]+ \| L0: VM [^:]+: $3$/$4/p" "$1" | head -n 1)
	[ -n "$v" ] || fail "L0 printed no line 'L0: VM <name>: $2' in $1"
	echo "$v"
}

# divide A B: A / B with 2 decimals.
divide() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# cause_key NAME: a short key for a trap cause L0 names (arch/riscv/trap.c);
# any other name becomes its own snake_case.
cause_key() {
	case $1 in
	"environment call from U-mode or VU-mode") echo ecall_u ;;
	"environment call from VS-mode") echo ecall_vs ;;
	"virtual instruction") echo virtual_insn ;;
	"illegal instruction") echo illegal_insn ;;
	"instruction guest-page fault") echo gpf_fetch ;;
	"load guest-page fault") echo gpf_load ;;
	"store/AMO guest-page fault") echo gpf_store ;;
	"supervisor software interrupt") echo irq_soft ;;
	"supervisor timer interrupt") echo irq_timer ;;
	"supervisor external interrupt") echo irq_ext ;;
	"virtual supervisor software interrupt") echo irq_vs_soft ;;
	"virtual supervisor timer interrupt") echo irq_vs_timer ;;
	"virtual supervisor external interrupt") echo irq_vs_ext ;;
	"supervisor guest external interrupt") echo irq_sgei ;;
	*) echo "$1" | tr -cs '[:alnum:]\n' '_' | tr '[:upper:]' '[:lower:]' | sed 's/_$//' ;;
	esac
}

# l2_boot_l0 LOG L1_KERNEL L1_INITRD CONFIG [GSTAGE]: one L0 run of an L1
# image that runs L2's Linux; prints L2's boot time, host seconds from L1
# starting L2's VMM to L2's first marker. GSTAGE (e.g. Sv39x4): the G-stage
# mode L1's KVM must report choosing (the run ends early on another).
l2_boot_l0() {
	local log=$1 config=$4 want=${5:-} mode others L0_BOOT_UNTIL=
	if [ -n "$want" ]; then
		others=$(printf '%s\n' Sv39x4 Sv48x4 Sv57x4 | grep -vx "$want" | paste -sd'|')
		L0_BOOT_UNTIL="kvm.*: using ($others) G-stage page table format"
	fi
	l0_boot "$log" "$config" "$2" "$3"
	# 6.12 says "using Sv48x4 G-stage page table format", 7.2 "highest
	# G-stage page table mode is Sv48x4".
	mode=$(sed -nE 's/.*kvm.*: (using|highest G-stage page table mode is) (Sv[0-9]+x4)( G-stage page table format)?.*/\2/p' \
		"$log" | head -n 1)
	[ -z "$want" ] || [ "$mode" = "$want" ] ||
		fail "L1's KVM chose ${mode:-no} G-stage mode, not $want (does L0 honour $config's nested-hgatp?); see $log"
	l2_exited "$log"
	interval "$log" "$L2_LAUNCH" "$L2_MARKER"
}
# L1 starting L2's VMM, L2's first and second markers, on both sides.
L2_LAUNCH='(\[[^]]*\] )?L1: starting L2'
L2_MARKER='(\[[^]]*\] )?L2: start '
L2_DONE='(\[[^]]*\] )?L2: done '

# l2_prestart LOG: host seconds from L1 starting L2's VMM to L2's clock
# start (L2's kernel's first line), as L2's uptime at its second marker
# shows it: L1's QEMU starting, loading L2 and L0's part in that.
l2_prestart() {
	local a b
	a=$(stamp "$1" "$L2_LAUNCH")
	b=$(clock_start "$1" "$L2_DONE")
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }'
}

# nested_levels LOG: "<switches> <L2> <L1 for L2> <L1 own>": L0's nested
# switches into L2 and its traps by who caused them (nested/nested.c).
nested_levels() {
	local s l
	s=$(l0_vm_line "$1" "nested switches into L2 <N>" \
		'nested switches into L2 ([0-9]+)' '\1')
	l=$(l0_vm_line "$1" "traps by level: L2 <a>, L1 for L2 <b>, L1 own <c>" \
		'traps by level: L2 ([0-9]+), L1 for L2 ([0-9]+), L1 own ([0-9]+)' \
		'\1 \2 \3')
	echo "$s $l"
}

# level_causes LOG KEY: "KEY_<level>_<cause> N" lines, one per cause of the
# traps L0 counted for each level (l2, l1_for_l2, l1_own).
level_causes() {
	local level n cause
	sed -nE 's/^ *[0-9.]+ \| L0: VM [^:]+: traps of (L2|L1 for L2|L1 own): ([0-9]+) (.*)$/\1|\2|\3/p' "$1" |
		while IFS='|' read -r level n cause; do
			level=${level// /_}
			echo "${2}_${level,,}_$(cause_key "$cause") $n"
		done
}
