#!/usr/bin/env bash
# run-all.sh  What 'make test' runs: every test runner in turn, each ending
# with 'N passed, N failed'; then the sum of them all on one closing line.
# A runner that dies without its closing line counts as one failure.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
mkdir -p build/logs

# name          make target
RUNNERS=(
	"lint        lint"
	"unit        unit-test"
	"sim         sim-test"
	"fuzz        fuzz-test"
	"boot        boot-test"
	"gdb         gdb-test"
	"guest-ref   test-guest-reference"
	"guest-l0    test-guest-l0"
	"nested-ref  test-nested-reference"
	"nested-l0   test-nested-l0"
	"nested-rec  test-nested-recursive"
	"vm          vm-test"
	"soak        soak-short"
	"uboot       uboot-test"
	"reference   test-reference"
)

total_pass=0 total_fail=0 total_skip=0 summaries=()
for r in "${RUNNERS[@]}"; do
	read -r name target <<<"$r"
	echo "=== $name tests (make $target)"
	out=build/logs/run-$name.out
	make --no-print-directory "$target" 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "FAIL: $name runner ended without its summary line"
		line="0 passed, 1 failed"
	fi
	read -r p _ f _ k _ <<<"${line//,/}"
	[[ ${k:-} =~ ^[0-9]+$ ]] || k=0
	if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: make $target exited with status $status"
		f=1 line="$line, and make $target failed"
	fi
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	total_skip=$((total_skip + k))
	summaries+=("$name: $line")
done
# What failed, gathered from all runners, with the end of up to three of
# the logs they name: what a CI log shows of a failure is its last lines.
fails=$(grep -h '^FAIL' build/logs/run-*.out 2>/dev/null)
if [ -n "$fails" ]; then
	echo "=== failures"
	echo "$fails"
	grep -oE 'see [^ ;)]+\.log' <<<"$fails" | sort -u | head -n 3 |
		while read -r _ log; do
			echo "--- end of $log"
			tail -n 15 "$log" | cut -c1-200
		done
fi
echo "=== summary"
printf '%s\n' "${summaries[@]}"
if [ "$total_skip" -gt 0 ]; then
	echo "$total_pass passed, $total_fail failed, $total_skip skipped"
else
	echo "$total_pass passed, $total_fail failed"
fi
[ "$total_fail" -eq 0 ]
