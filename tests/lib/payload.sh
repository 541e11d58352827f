# SPDX-License-Identifier: MIT
# Shared by the payload runners (tests/guest/run.sh, tests/nested/run.sh):
# a payload's console lines become cases.
#   PLAN <payload> <n>: <case>...   the cases it will report, printed first
#   PASS: <payload>: <case>[ (note)]
#   FAIL: <payload>: <case> (<detail>)
#   ECHO: <payload>: <case>         a PASS that is only seen when the bytes
#                                   went through the path under test
#   SKIP: <payload>: <case> (<why>) the case cannot run on this SBI: a SKIP
#                                   where SKIPPABLE allows it, else a FAIL
#   GUEST DONE <payload>            the end, before the SBI shutdown
# A planned case that never shows is a FAIL, and so are a missing plan, a
# missing GUEST DONE, a timeout, and QEMU not exiting 0 after the shutdown.
# A PAYLOADS entry NAME@VARIANT boots NAME.bin as the runner's boot_MODE
# does with VARIANT as its third argument (e.g. more harts), and reports its
# cases as 'NAME@VARIANT: case' (KNOWN and SKIPPABLE entries name NAME).
# The runner sets MODE, PAYLOADS, PAYLOAD_DIR, LOGS, TIMEOUT, KNOWN (entries
# "MODES|payload: case|why": a spec deviation of what lies below, whose FAIL
# counts as a pass that names it), SKIPPABLE (optional; entries
# "MODES|payload|why": the payloads whose SKIP lines those modes accept,
# a NAME@VARIANT payload that variant only; MODES is one mode or several
# separated by spaces) and a
# boot_MODE function, and may set a log_checks_MODE function (NAME LOG: more
# cases, from the whole log); then it sources tests/lib/runner.sh and this
# file and calls run_payloads.

# entry_for KEY ENTRY...: the "why" of the first "MODES|KEY|why" entry of
# this mode (MODES: one or more, separated by spaces), if there is one.
entry_for() {
	local key=$1 e modes k why
	shift
	for e in "$@"; do
		IFS='|' read -r modes k why <<<"$e"
		if [[ " $modes " == *" $MODE "* ]] && [ "$k" = "$key" ]; then
			echo "$why"
			return 0
		fi
	done
	return 1
}

# known_deviation 'PAYLOAD: CASE': why this mode expects it to fail, if so.
known_deviation() {
	entry_for "$1" "${KNOWN[@]}"
}

# skippable PAYLOAD: why this mode lets the payload (NAME or NAME@VARIANT)
# skip cases, if it does.
skippable() {
	entry_for "$1" ${SKIPPABLE+"${SKIPPABLE[@]}"}
}

# console_lines LOG: the guest's console lines without the host stamps (and
# without L0's "[payload] " prefix, nor the "[l0] " of an L0 that ran as
# L0's guest).
console_lines() {
	sed -nE 's/^ *[0-9.]+ \| //p' "$1" | sed 's/^\[l0\] //' |
		grep -v '^\[console\] ' | sed 's/^\[payload\] //'
}

# check_payload NAME LOG RC [SHOWN]: one PASS/FAIL per case the payload
# reported, named SHOWN (default NAME) in the results.
check_payload() {
	local name=$1 log=$2 rc=$3 shown=${4:-$1} line kase detail why plan=() n=-1
	local -A reported=()
	while IFS= read -r line; do
		case $line in
		"PLAN $name "*)
			line=${line#"PLAN $name "}
			n=${line%%:*}
			read -ra plan <<<"${line#*:}" ;;
		"PASS: $name: "* | "ECHO: $name: "*)
			kase=${line#*: "$name": }
			pass "$shown: $kase"
			reported[${kase%% *}]=1 ;;
		"FAIL: $name: "*)
			kase=${line#"FAIL: $name: "}
			detail=${kase#* (}
			detail=${detail%)}
			kase=${kase%% (*}
			if why=$(known_deviation "$name: $kase"); then
				pass "$shown: $kase (known deviation: $why; got: $detail)"
			else
				fail "$shown: $kase" "$detail"
			fi
			reported[$kase]=1 ;;
		"SKIP: $name: "*)
			kase=${line#"SKIP: $name: "}
			detail=${kase#* (}
			detail=${detail%)}
			kase=${kase%% (*}
			if why=$(skippable "$shown") || why=$(skippable "$name"); then
				skip "$shown: $kase" "$detail: $why"
			else
				fail "$shown: $kase" "skipped in $MODE mode: $detail"
			fi
			reported[$kase]=1 ;;
		esac
	done < <(console_lines "$log")
	if [ "$n" -lt 0 ] || [ "$n" -ne "${#plan[@]}" ]; then
		fail "$shown: plan" "no valid PLAN line; see $log"
	fi
	for kase in "${plan[@]}"; do
		[ -n "${reported[$kase]:-}" ] || fail "$shown: $kase" "not reported; see $log"
	done
	if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		fail "$shown: done" "timed out after ${TIMEOUT}s; see $log"
	elif ! grep -qx "GUEST DONE $name" < <(console_lines "$log"); then
		fail "$shown: done" "no 'GUEST DONE $name' line; see $log"
	elif [ "$rc" -ne 0 ]; then
		fail "$shown: done" "QEMU exit status $rc after the shutdown; see $log"
	fi
}

# run_under_l0 CONFIG LOG NAME=FILE...: L0 on QEMU (BOOT_MEM of RAM, default
# 512M) with an archive of CONFIG and the files it names (a payload's config
# names "payload.bin").
run_under_l0() {
	local config=$1 log=$2 initrd
	shift 2
	initrd=$PAYLOAD_DIR/l0-initrd-$(basename "$log" .log).cpio
	"$TOP/tests/vm/mkinitrd.sh" "$initrd" "$config" "$@" || return 1
	python3 "$TOP/tests/lib/console.py" "$log" timeout --kill-after=5 \
		"$TIMEOUT" "$TOP/tests/boot/qemu.sh" --smp 2 \
		--mem "${BOOT_MEM:-512M}" --initrd "$initrd" --append l0.poweroff \
		"${L0_BIN:-$TOP/build/l0.bin}"
}

# memory_returned NAME LOG: under L0, the VM gave back all it held when it
# stopped (RAM, G-stage and shadow tables, nested state): the free page
# count L0 printed after the last VM's release is the one before the guests.
memory_returned() {
	local before after
	before=$(sed -nE 's/.*L0: ([0-9]+) pages free before the guests$/\1/p' "$2" |
		head -n 1)
	after=$(sed -nE 's/.*L0: VM .* gave back its memory: ([0-9]+) pages free$/\1/p' "$2" |
		tail -n 1)
	if [ -n "$before" ] && [ "$before" = "$after" ]; then
		pass "$1: l0-memory-returned ($before pages free again)"
	else
		fail "$1: l0-memory-returned" \
			"pages free before the guests: ${before:-none}, after the VM stopped: ${after:-none}; see $2"
	fi
}

# run_payloads SUITE BUILD_TARGET [PAYLOAD...]: boot and check each payload.
run_payloads() {
	local suite=$1 target=$2 entry name variant log bin
	shift 2
	if [ -z "$MODE" ] || ! declare -F "boot_$MODE" >/dev/null; then
		echo "usage: run.sh MODE [PAYLOAD...]; MODE: $(declare -F | sed -n 's/^declare -f boot_//p' | tr '\n' ' ')" >&2
		exit 2
	fi
	mkdir -p "$LOGS"
	for entry in "${PAYLOADS[@]}"; do
		if [ $# -gt 0 ] && [[ " $* " != *" $entry "* ]]; then
			continue
		fi
		name=${entry%@*}
		variant=${entry#"$name"}
		variant=${variant#@}
		log=$LOGS/$suite-$MODE-${entry/@/-}.log
		bin=$PAYLOAD_DIR/$name.bin
		if [ ! -f "$bin" ]; then
			fail "$entry: build" "no $bin (make $target)"
			continue
		fi
		"boot_$MODE" "$bin" "$log" "$variant" >/dev/null 2>&1
		check_payload "$name" "$log" $? "$entry"
		if declare -F "log_checks_$MODE" >/dev/null; then
			"log_checks_$MODE" "$entry" "$log"
		fi
	done
	summary
}
