#!/usr/bin/env bash
# sbi-extensions.sh  Record how many standard SBI extensions L0 offers a
# guest: the guest payload sbi-base (tests/guest) runs under L0 and lists,
# in its probe-standard case, the SBI v3.0 extension IDs its probes found.
#   sbi_extensions_offered   their count (a VM without the H extension)
# A failed run records nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
log=$LOGS/guest-l0-sbi-base.log

record unset sbi_extensions_offered
L0_BIN=$L0_BIN "$TOP/tests/guest/run.sh" l0 sbi-base >/dev/null ||
	fail "sbi-base failed under L0; see $log"
n=$(sed -nE 's/.*PASS: sbi-base: probe-standard \(offered ([0-9]+):.*/\1/p' "$log")
[ -n "$n" ] || fail "no probe-standard note in $log"
echo "sbi-extensions: $(sed -nE 's/.*PASS: sbi-base: probe-standard \((.*)\)$/\1/p' "$log")"
record set sbi_extensions_offered "$n"
