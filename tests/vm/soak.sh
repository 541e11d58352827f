#!/usr/bin/env bash
# soak.sh L0_BIN  L0 on QEMU with two VMs (configs/soak.dts): a nested L1 at
# its shell runs L2 (run-l2) SOAK_L2_RUNS times in a row, then reboots
# itself (SBI SRST), SOAK_REBOOTS times, doing the same after each boot;
# beside it a second VM idles at its shell and must still answer at the
# end. Commands are typed on L0's console (input goes to l1, then Ctrl-]
# moves it to vm2): in each boot, into L1's shell as soon as it shows, and
# after the runs into an L2's shell (run-l2 --shell) as soon as it starts;
# every typed line must be answered. Checks each L2 run, each answer, each
# reboot, that L0's free page
# count is the same at every restart of l1, that each VM gave back all it
# held (the count after the last release is the one before the guests),
# and that L0 printed nothing unexpected. Prints the free-page series and
# 'N passed, N failed'. Log: build/logs/soak.log.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib/runner.sh"
L0_BIN=$1
LOGS=${L0_LOGS:-$TOP/build/logs}
OUT=$TOP/build/vm
IMG=${L0_IMAGES:-$TOP/.cache/images}
RUNS=${SOAK_L2_RUNS:-100}
REBOOTS=${SOAK_REBOOTS:-20}
# About 35 s per L2 run and 30 s per boot of L1 on an idle host (110 s and
# 50 s on a loaded one); four times the idle figures, one more L2 per boot.
TIMEOUT=${SOAK_TIMEOUT:-$((120 + (REBOOTS + 1) * (120 + (RUNS + 1) * 140)))}
ZEROS_SHA=83ee47245398adee # as tests/vm/run.sh
log=$LOGS/soak.log
initrd=$OUT/soak.cpio

# The typing, in order: each once its line shows (tests/lib/console.py).
RUN='run-l2; echo "L1: soak run $?"\n'
DONE='^\[l1\] L1: soak run [0-9]+'
# Typed lines whose answer is 42 only if the shell ran them.
ASK_L1='echo "L1: answer $((6 * 7))"\n'
ASK_L2='echo "L2: answer $((6 * 7))"\n'
SHELL_DONE='^\[l1\] L1: soak shell [0-9]+'
sends=()
for ((r = 0; r <= REBOOTS; r++)); do
	sends+=(--send '^\[l1\] L1: shell;' "$ASK_L1"
		--send '^\[l1\] L1: answer 42' "$RUN")
	for ((i = 1; i < RUNS; i++)); do
		sends+=(--send "$DONE" "$RUN")
	done
	sends+=(--send "$DONE" 'run-l2 --shell; echo "L1: soak shell $?"\n'
		--send '^\[l1\] L2: start cpus=' "$ASK_L2"
		--send '^\[l1\] L2: answer 42' 'poweroff -f\n')
	if [ "$r" -lt "$REBOOTS" ]; then
		sends+=(--send "$SHELL_DONE" 'reboot -f\n')
	fi
done
sends+=(--send "$SHELL_DONE" 'poweroff -f\n'
	--send '^L0: VM l1 gave back its memory' '\x1d'
	--send '^L0: console input goes to VM vm2' 'echo "vm2: still here"\n'
	--send '^\[vm2\] vm2: still here' 'poweroff -f\n')

mkdir -p "$LOGS" "$OUT"
"$TOP/tests/vm/mkinitrd.sh" "$initrd" "$TOP/configs/soak.dts" \
	"Image=$IMG/Image-6.12" "l1.cpio.gz=$IMG/l1-shell.cpio.gz" \
	"vm2.cpio.gz=$IMG/l2-shell.cpio.gz" || exit 1
echo "soak: $RUNS L2 runs x $((REBOOTS + 1)) boots of L1, timeout ${TIMEOUT}s"
python3 "$TOP/tests/lib/console.py" "${sends[@]}" "$log" timeout \
	--kill-after=5 "$TIMEOUT" "$TOP/tests/boot/qemu.sh" --smp 3 --mem 2G \
	--initrd "$initrd" --append l0.poweroff "$L0_BIN"
rc=$?

# lines ERE: the console lines (without stamps) that match ERE.
lines() {
	sed -nE 's/^ *[0-9.]+ \| //p' "$log" | grep -E "$1"
}

# Each boot of L1, its L2 runs: the k-th "soak run" line is run k.
mapfile -t exits < <(lines "$DONE" | sed -E 's/.* ([0-9]+)$/\1/')
mapfile -t l2done < <(lines "^\[l1\] L2: done sha256=")
for ((k = 0; k < (REBOOTS + 1) * RUNS; k++)); do
	name="boot $((k / RUNS)) run $((k % RUNS + 1))"
	if [ "${exits[k]:-}" = 0 ] && [[ ${l2done[k]:-} == *"sha256=$ZEROS_SHA "* ]]; then
		pass "$name: L2 ran its workload and exited 0"
	else
		fail "$name: L2 ran its workload and exited 0" \
			"exit '${exits[k]:-none}', '${l2done[k]:-no L2 done line}'; see $log"
	fi
done

# Each boot of L1: the typed lines answered, the L2 shell ended.
for level in L1 L2; do
	n=$(lines "^\[l1\] $level: answer 42" | wc -l)
	if [ "$n" -eq $((REBOOTS + 1)) ]; then
		pass "typed into $level's shell in each of the $n boots: answered"
	else
		fail "typed into $level's shell in each boot: answered" \
			"$n answers of $((REBOOTS + 1)); see $log"
	fi
done
n=$(lines "$SHELL_DONE" | grep -c ' 0$')
if [ "$n" -eq $((REBOOTS + 1)) ]; then
	pass "L2's shell powered off and L1's VMM exited 0 in each boot"
else
	fail "L2's shell powered off and L1's VMM exited 0 in each boot" \
		"$n of $((REBOOTS + 1)); see $log"
fi

# The free-page series: before the guests, at each restart of l1, after
# each release.
before=$(lines '^L0: [0-9]+ pages free before the guests$' | sed -E 's/^L0: ([0-9]+) .*/\1/' | head -n 1)
mapfile -t restarts < <(lines '^L0: VM l1 restarted: [0-9]+ pages free$' | sed -E 's/.*: ([0-9]+) pages free$/\1/')
mapfile -t released < <(lines '^L0: VM [a-z0-9]+ gave back its memory: [0-9]+ pages free$' | sed -E 's/.*: ([0-9]+) pages free$/\1/')
echo "soak: free pages before the guests ${before:-none}; at l1's restarts ${restarts[*]:-none}; after each release ${released[*]:-none}"
for ((r = 1; r <= REBOOTS; r++)); do
	if [ -z "${restarts[r - 1]:-}" ]; then
		fail "reboot $r: l1 restarted" "no 'L0: VM l1 restarted' line; see $log"
	elif [ "${restarts[r - 1]}" = "${restarts[0]}" ]; then
		pass "reboot $r: l1 restarted with ${restarts[r - 1]} pages free, as at the first"
	else
		fail "reboot $r: free pages as at the first restart" \
			"${restarts[r - 1]} now, ${restarts[0]} at the first"
	fi
done
if [ ${#released[@]} -eq 2 ] && [ "${released[1]}" = "$before" ]; then
	pass "both VMs gave back all they held: $before pages free again"
else
	fail "both VMs gave back all they held" \
		"before ${before:-none}, after the releases ${released[*]:-none}"
fi
if lines '^\[vm2\] vm2: still here' >/dev/null; then
	pass "vm2 answered at the end"
else
	fail "vm2 answered at the end" "no answer to the typed echo; see $log"
fi
# L0's own lines: only the expected kinds (each hart's VMIDs at the end).
unexpected=$(lines '^L0' | grep -vE '^L0( hypervisor |: ([0-9]+ of [0-9]+ harts online|[0-9]+ pages free before the guests|VM (l1|vm2)(:| stopped| restarted| gave back)|console input goes to|host interrupts from the [A-Z]+, hart [0-9]+.s target [0-9]+$|all VMs have stopped|powering off|banner at|hart [0-9]+: VMIDLEN [0-9]+, hardware VMIDs handed out [0-9]+$))' | head -n 3)
if [ -z "$unexpected" ]; then
	pass "L0 printed only the expected lines"
else
	fail "L0 printed only the expected lines" "$unexpected"
fi
case $rc in
0) pass "QEMU exits cleanly" ;;
124 | 137) fail "QEMU exits cleanly" "timed out after ${TIMEOUT}s; see $log" ;;
*) fail "QEMU exits cleanly" "exit status $rc; see $log" ;;
esac
summary
