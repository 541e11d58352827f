#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run each libFuzzer binary for FUZZ_S seconds on its corpus in
# build/fuzz/corpus/NAME/ (seeded by tests/fuzz/seeds.sh, grown by each run).
# PASS: it ran with no finding; FAIL: a crash, an oracle's abort, a leak, a
# timeout or an OOM, whose input is kept in build/fuzz/findings/NAME/
# (rerun: BINARY FILE). Prints each target's executions, executions per
# second and findings, and ends with 'N passed, N failed'.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
. tests/lib/runner.sh
FUZZ_S=${FUZZ_S:-60}

for bin in "$@"; do
	name=$(basename "$bin")
	corpus=build/fuzz/corpus/$name findings=build/fuzz/findings/$name
	log=build/fuzz/$name.log
	mkdir -p "$corpus" "$findings"
	tests/fuzz/seeds.sh "$name" "$corpus"
	before=$(find "$findings" -type f | wc -l)
	# -timeout: one input that runs 10 s is a hang, a finding.
	timeout $((FUZZ_S + 120)) "$bin" -max_total_time="$FUZZ_S" \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix="$findings/" "$corpus" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	found=$(($(find "$findings" -type f | wc -l) - before))
	echo "$name: ${execs:-0} executions in ${FUZZ_S} s" \
		"($((${execs:-0} / FUZZ_S)) per s), $found findings"
	if [ "$rc" -eq 0 ] && [ "$found" -eq 0 ]; then
		pass "$name"
	else
		fail "$name" "exit $rc, $found findings; see $log"
		grep -m 3 -E 'oracle|violation|panic|ERROR|SUMMARY' "$log"
	fi
done
summary
