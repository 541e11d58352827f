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
