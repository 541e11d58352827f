#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run host unit test binaries (cmocka, TAP output) and count their cases.
# A binary that crashes or exits non-zero without saying why counts its
# unreported cases (at least one) as failed. The last line is always
# "N passed, N failed"; the exit status is non-zero when anything failed.
set -u

export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

total_pass=0
total_fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# Prints "<plan> <ok> <not ok>" for a TAP log; plan is -1 when absent.
count_tap() {
	awk '
		/^1\.\.[0-9]+$/ && plan < 0 { plan = substr($0, 4) + 0 }
		/^ok [0-9]+/ { ok++ }
		/^not ok [0-9]+/ { bad++ }
		BEGIN { plan = -1 }
		END { printf "%d %d %d\n", plan, ok, bad }
	' "$1"
}

run_one() {
	local bin=$1 name rc plan ok bad missing
	name=$(basename "$bin")
	if [ ! -x "$bin" ]; then
		echo "  FAIL $name: not built"
		total_fail=$((total_fail + 1))
		return
	fi
	"$bin" >"$log" 2>&1 </dev/null
	rc=$?
	read -r plan ok bad < <(count_tap "$log")
	missing=0
	if [ "$plan" -lt 0 ]; then
		missing=1
	elif [ $((ok + bad)) -lt "$plan" ]; then
		missing=$((plan - ok - bad))
	fi
	# Every case reported ok, yet the binary failed (sanitizer at exit).
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ] && [ "$missing" -eq 0 ]; then
		missing=1
	fi
	total_pass=$((total_pass + ok))
	total_fail=$((total_fail + bad + missing))
	if [ $((bad + missing)) -eq 0 ]; then
		echo "  PASS $name ($ok cases)"
		return
	fi
	echo "  FAIL $name: $ok ok, $bad not ok, $missing unreported (exit $rc)"
	sed 's/^/    | /' "$log"
}

for bin in "$@"; do
	run_one "$bin"
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
