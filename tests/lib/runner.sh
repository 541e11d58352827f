# SPDX-License-Identifier: MIT
# Shared by the test runners (source it): one PASS/FAIL line per case and the
# plain closing line 'N passed, N failed' that make test adds up.

passed=0
failed=0

pass() {
	echo "PASS: $1"
	passed=$((passed + 1))
}

# fail NAME REASON
fail() {
	echo "FAIL: $1 ($2)"
	failed=$((failed + 1))
}

# summary: print the closing line; the exit status says whether all passed.
summary() {
	echo "$passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
