# SPDX-License-Identifier: MIT
# Shared by the test runners (source it): one PASS/FAIL (or SKIP) line per
# case and the plain closing line 'N passed, N failed' (', N skipped' when
# some were) that make test adds up.

passed=0
failed=0
skipped=0

pass() {
	echo "PASS: $1"
	passed=$((passed + 1))
}

# fail NAME REASON
fail() {
	echo "FAIL: $1 ($2)"
	failed=$((failed + 1))
}

# skip NAME REASON: a case that cannot run here, and may not (the caller
# decides that): neither a pass nor a failure.
skip() {
	echo "SKIP: $1 ($2)"
	skipped=$((skipped + 1))
}

# summary: print the closing line; the exit status says whether all passed.
summary() {
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}

# The end of a guest program's console line, for regexes: the kernel's
# console output may follow it on the same line (printk does not wait for
# the program's newline).
GUEST_EOL='( *\[ *[0-9]+\.[0-9]+\].*)?$'
