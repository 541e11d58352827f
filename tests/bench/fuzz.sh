#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fuzz.sh BINARY...: each libFuzzer target's speed, for 'make bench': FUZZ_S
# seconds (default 10) from its seeds alone (a fresh corpus, libFuzzer's
# -seed=1, so that runs compare), recorded as fuzz_execs_per_s_NAME
# (NAME: the target without "fuzz_"). A run with a finding records nothing
# and fails the bench (make fuzz keeps the finding).
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP"
FUZZ_S=${FUZZ_S:-10}
work=build/bench/fuzz
rc=0

for bin in "$@"; do
	name=$(basename "$bin")
	key=fuzz_execs_per_s_${name#fuzz_}
	rm -rf "$work/$name"
	mkdir -p "$work/$name/corpus"
	tests/fuzz/seeds.sh "$name" "$work/$name/corpus"
	log=$work/$name.log
	if ! timeout $((FUZZ_S + 120)) "$bin" -max_total_time="$FUZZ_S" \
		-seed=1 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$work/$name/" "$work/$name/corpus" \
		>"$log" 2>&1; then
		echo "bench fuzz: $name found something; see $log" >&2
		python3 tests/bench/record.py unset "$key"
		rc=1
		continue
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	echo "bench fuzz: $name: $execs executions in $FUZZ_S s"
	python3 tests/bench/record.py set "$key" $((execs / FUZZ_S))
done
exit $rc
